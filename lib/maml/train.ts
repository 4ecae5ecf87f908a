/**
 * Meta-training: one meta-step (meta-gradient, finiteness check, optimiser update) and the
 * loop around it with meta-batches, meta-validation, progress callbacks and checkpoints.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import {
  checkBatch,
  checkBatchValues,
  checkEpisodes,
  disposeBatch,
  type Episode,
  episodeBatch,
  stackEpisodes,
  type TaskBatch,
} from "./data.ts";
import { tileTasks } from "./inner.ts";
import { metaGradientsOfCheckedBatch, type MetaLearner, NonFiniteLossError } from "./learners.ts";
import { parseOrThrow } from "../validate.ts";

/** Meta-optimiser settings. */
export interface MetaOptimizerOptions {
  /** `"adam"` (default; β₁ 0.9, β₂ 0.999, ε 1e-8 as in PyTorch) or `"sgd"`. */
  kind?: "adam" | "sgd";
  /** Meta learning rate β (default 1e-3). */
  lr?: number;
}

const OptimizerSchema = z.object({
  kind: z.enum(["adam", "sgd"]).default("adam"),
  lr: z.number().finite().positive().default(1e-3),
}).strict();

/**
 * Adam (Kingma & Ba 2015, with PyTorch's and tfjs's bias correction and ε outside the square
 * root) or plain SGD as a tfjs optimiser whose update runs as one JavaScript loop per variable
 * (float64 moments) and one `assign`: the same update as `tf.train.adam` / `tf.train.sgd`, without
 * the dozen tensor operations per variable that dominate a fused meta-iteration's cost.
 * `getWeights` / `setWeights` carry the step count and the moments in `tf.train.adam`'s layout.
 */
class ArrayOptimizer extends tf.Optimizer {
  readonly #kind: "adam" | "sgd";
  readonly #lr: number;
  readonly #beta1 = 0.9;
  readonly #beta2 = 0.999;
  readonly #epsilon = 1e-8;
  #step = 0;
  /** Moments per variable, and the arrays the next step's are computed into (then swapped). */
  #moments = new Map<
    string,
    { m: Float64Array; v: Float64Array; m2: Float64Array; v2: Float64Array }
  >();
  /**
   * Moments given to `setWeights`, in the order of the variables they belong to: the next
   * `applyGradients` takes them by position (as `tf.train.adam` does), since the variables' names
   * may differ from those they were saved under.
   */
  #restored: { name: string; m: Float64Array; v: Float64Array }[] | undefined;

  constructor(kind: "adam" | "sgd", lr: number) {
    super();
    this.#kind = kind;
    this.#lr = lr;
  }

  /** Registered class name (tfjs serialisation). */
  static get className(): string {
    return "MetahpoArrayOptimizer";
  }

  /**
   * One update of every named variable with its gradient. The new values are computed for every
   * variable before any is assigned: when one of them is not finite (a finite float64 update
   * beyond float32's range), nothing changes — variables, moments, step count — and a
   * {@linkcode NonFiniteLossError} is thrown.
   */
  override applyGradients(
    variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    if (this.#restored !== undefined) this.#takeRestored(list.map((entry) => entry.name));
    const step = this.#step + 1;
    const c1 = 1 - this.#beta1 ** step;
    const c2 = 1 - this.#beta2 ** step;
    const updates: { variable: tf.Variable; next: Float32Array; name: string }[] = [];
    for (const { name, tensor } of list) {
      if (tensor == null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined) throw new Error(`metaOptimizer: no variable named ${name}`);
      const g = tensor.dataSync();
      const value = variable.dataSync();
      const next = new Float32Array(value.length);
      if (this.#kind === "sgd") {
        for (let e = 0; e < next.length; e++) next[e] = value[e] - this.#lr * g[e];
      } else {
        let state = this.#moments.get(name);
        if (state === undefined) {
          const n = value.length;
          state = {
            m: new Float64Array(n),
            v: new Float64Array(n),
            m2: new Float64Array(n),
            v2: new Float64Array(n),
          };
          this.#moments.set(name, state);
        }
        const { m, v, m2, v2 } = state;
        const b1 = this.#beta1;
        const b2 = this.#beta2;
        for (let e = 0; e < next.length; e++) {
          m2[e] = b1 * m[e] + (1 - b1) * g[e];
          v2[e] = b2 * v[e] + (1 - b2) * g[e] * g[e];
          next[e] = value[e] - this.#lr * (m2[e] / c1) / (Math.sqrt(v2[e] / c2) + this.#epsilon);
        }
      }
      if (!allFinite(next)) {
        throw new NonFiniteLossError("meta-update is not finite (a parameter beyond float32)");
      }
      updates.push({ variable, next, name });
    }
    this.#step = step;
    for (const { variable, next, name } of updates) {
      const state = this.#moments.get(name);
      if (state) {
        [state.m, state.m2] = [state.m2, state.m];
        [state.v, state.v2] = [state.v2, state.v];
      }
      tf.tidy(() => variable.assign(tf.tensor(next, variable.shape)));
    }
  }

  /** Settings (tfjs serialisation). */
  override getConfig(): tf.serialization.ConfigDict {
    return { kind: this.#kind, learningRate: this.#lr };
  }

  /**
   * Keys the moments given to `setWeights` by the names of the variables updated now, position
   * by position; a count or a size that does not match is an `Error` and keeps them pending.
   */
  #takeRestored(names: readonly string[]): void {
    const restored = this.#restored!;
    if (restored.length !== names.length) {
      throw new Error(
        `metaOptimizer: setWeights gave moments of ${restored.length} variables, ` +
          `applyGradients updates ${names.length}`,
      );
    }
    restored.forEach(({ name: saved, m }, i) => {
      const size = tf.engine().registeredVariables[names[i]]?.size;
      if (size !== undefined && size !== m.length) {
        throw new Error(
          `metaOptimizer: setWeights: ${saved}/m has ${m.length} values, variable ${i} ` +
            `(${names[i]}) has ${size}`,
        );
      }
    });
    this.#moments.clear();
    restored.forEach(({ m, v }, i) =>
      this.#moments.set(names[i], {
        m,
        v,
        m2: new Float64Array(m.length),
        v2: new Float64Array(m.length),
      })
    );
    this.#restored = undefined;
  }

  /**
   * The step count (`iter`) and, for Adam, the first then the second moment of each variable
   * (`<name>/m` …, `<name>/v` …, shaped like the variable; float32, as `tf.train.adam`'s), in the
   * order the variables were first updated: `tf.train.adam`'s layout.
   */
  override getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    const iter = { name: "iter", tensor: tf.scalar(this.#step, "int32") };
    const pending = this.#restored;
    const entries = pending !== undefined
      ? pending.map(({ name, m, v }) => ({ name, m, v }))
      : [...this.#moments].map(([name, { m, v }]) => ({ name, m, v }));
    const tensor = (name: string, values: Float64Array) => {
      const shape = tf.engine().registeredVariables[name]?.shape;
      return tf.tensor(
        Float32Array.from(values),
        shape !== undefined && tf.util.sizeFromShape(shape) === values.length
          ? shape
          : [values.length],
      );
    };
    return Promise.resolve([
      iter,
      ...entries.map(({ name, m }) => ({ name: `${name}/m`, tensor: tensor(name, m) })),
      ...entries.map(({ name, v }) => ({ name: `${name}/v`, tensor: tensor(name, v) })),
    ]);
  }

  /**
   * Restores what `getWeights` (or `tf.train.adam`'s) gave: the step count (`iter`) and, for
   * Adam, the moments, which the next `applyGradients` assigns to its variables by position (the
   * first pair to the first variable, …). Adam's next steps then equal an uninterrupted run's, up
   * to the moments' rounding to float32. Weights without moments (only `iter`) restart Adam from
   * step 0 with zero moments, as a new optimiser: a step count without its moments would make the
   * bias correction inflate the first steps. An odd number of moment tensors is an `Error`.
   */
  override async setWeights(weights: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    const iter = weights.find((w) => w.name === "iter");
    const moments = weights.filter((w) => w !== iter);
    if (this.#kind === "adam" && moments.length % 2 !== 0) {
      throw new Error(
        `metaOptimizer: setWeights: ${moments.length} moment tensors, expected a first and a ` +
          "second moment per variable",
      );
    }
    const half = moments.length / 2;
    const restored = this.#kind === "adam" && half > 0
      ? await Promise.all(
        moments.slice(0, half).map(async (w, i) => ({
          name: w.name.replace(/\/m$/, ""),
          m: Float64Array.from(await w.tensor.data()),
          v: Float64Array.from(await moments[half + i].tensor.data()),
        })),
      )
      : undefined;
    if (restored?.some(({ m, v }) => m.length !== v.length)) {
      throw new Error("metaOptimizer: setWeights: a first and second moment differ in size");
    }
    this.#moments.clear();
    this.#restored = restored;
    const step = iter ? (await iter.tensor.data())[0] : 0;
    this.#step = this.#kind === "adam" && restored === undefined ? 0 : step;
  }

  /** Frees the moments. */
  override dispose(): void {
    this.#moments.clear();
    this.#restored = undefined;
  }
}

/**
 * A tfjs optimiser for meta-parameters (Adam or SGD, the update of `tf.train.adam` /
 * `tf.train.sgd` computed in JavaScript); the caller disposes it. `getWeights` gives the step
 * count and Adam's moments in `tf.train.adam`'s layout, and `setWeights` restores them, so that a
 * resumed Adam continues as an uninterrupted one (up to the moments' rounding to float32); given
 * only a step count, Adam restarts from step 0.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { metaOptimizer } from "./train.ts";
 * const adam = metaOptimizer({ kind: "adam", lr: 1e-3 });
 * adam.dispose();
 * ```
 */
export function metaOptimizer(options: MetaOptimizerOptions = {}): tf.Optimizer {
  const o = parseOrThrow(OptimizerSchema, options, "metaOptimizer");
  return new ArrayOptimizer(o.kind, o.lr);
}

/**
 * One meta-step: computes the meta-gradient of `batch`, and if the meta-loss and every gradient
 * are finite applies it with `optimizer` and projects the meta-parameters; returns the meta-loss.
 * Otherwise throws {@linkcode NonFiniteLossError} and leaves the learner unchanged; so does an
 * update of {@linkcode metaOptimizer} whose new parameters would not all be finite (a finite
 * step beyond float32's range), which leaves the optimiser's state unchanged too. The batch is
 * checked first (shapes, and finite values: a hand-built batch with a NaN or infinite value is a
 * `DataError` naming the field, e.g. `metaStep: batch.supportY[3] (task 0, point 3): must be
 * finite, got NaN`, before anything is computed; so is, for the learner's loss
 * `softmaxCrossEntropy`, a target row that is not a probability vector).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { episodeBatch, MAML, metaOptimizer, metaStep, mlp } from "./mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 8, 1] }));
 * const ep = {
 *   support: { x: new Float64Array([0, 1]), y: new Float64Array([0, 1]) },
 *   query: { x: new Float64Array([2]), y: new Float64Array([2]) },
 * };
 * const batch = episodeBatch([ep], maml.model);
 * const loss = metaStep(maml, batch, metaOptimizer());
 * ```
 */
export function metaStep(learner: MetaLearner, batch: TaskBatch, optimizer: tf.Optimizer): number {
  checkBatch(batch, learner.model);
  checkBatchValues(batch, "metaStep: batch", learner.loss);
  return checkedMetaStep(learner, batch, optimizer);
}

/**
 * {@linkcode metaStep} on a batch whose values are known to be finite (`metaTrain`'s batches
 * come from checked episodes or pools), without the pass over its values (a built-in learner's
 * `metaGradients` skips its own too, see {@linkcode metaGradientsOfCheckedBatch}).
 */
function checkedMetaStep(learner: MetaLearner, batch: TaskBatch, optimizer: tf.Optimizer): number {
  const { loss, grads } = metaGradientsOfCheckedBatch(learner, batch);
  try {
    const value = loss.dataSync()[0];
    if (!Number.isFinite(value)) throw new NonFiniteLossError(`meta-loss is ${value}`);
    if (!grads.every((g) => allFinite(g.dataSync()))) {
      throw new NonFiniteLossError("meta-gradient is not finite");
    }
    const variables = learner.variables;
    optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    learner.project();
    return value;
  } finally {
    tf.dispose([loss, ...grads]);
  }
}

/**
 * Whether every value is finite: a plain loop, which V8 compiles inline, where
 * `TypedArray.prototype.every(Number.isFinite)` calls back once per element (a tenth of a
 * millisecond per few-shot meta-step).
 */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** A source of meta-batches: exactly `n` episodes drawn from `rng`. */
export type EpisodeSource = (rng: Rng, n: number) => Episode[];

/**
 * @internal A source of meta-batches as tensors: `n` episodes drawn from `rng`, stacked as
 * {@linkcode episodeBatch} stacks them, whose errors start with `label`, with its checks (finite
 * values: the training loop does not read the values again); not re-exported.
 */
export type BatchSource = (rng: Rng, n: number, label: string) => TaskBatch;

/** Progress report passed to `onProgress`. */
export interface Progress {
  /** Meta-iterations done. */
  readonly iteration: number;
  /** Meta-loss of the last meta-batch. */
  readonly loss: number;
  /** Mean meta-validation loss, when validation ran at this iteration. */
  readonly validationLoss?: number;
}

/** Options of {@linkcode metaTrain}. */
export interface MetaTrainOptions {
  /**
   * Draws the training episodes of each meta-batch: called with the training stream's generator
   * and `metaBatchSize`, it must return that many episodes (another count is a `RangeError`
   * naming `metaBatchSize`).
   */
  source: EpisodeSource;
  /** Meta-iterations (≥ 1). */
  iterations: number;
  /** Tasks per meta-batch (default 25). */
  metaBatchSize?: number;
  /** Seed of the training task stream (default 0). */
  seed?: number;
  /** Meta-optimiser (default Adam 1e-3). */
  optimizer?: MetaOptimizerOptions;
  /**
   * Meta-validation episodes, scored every `validateEvery` iterations (mean query loss); checked
   * before training starts ({@linkcode checkEpisodes}).
   */
  validation?: readonly Episode[];
  /** Validation period in iterations (default 500). */
  validateEvery?: number;
  /** Called every `progressEvery` iterations and after each validation. */
  onProgress?: (progress: Progress) => void | Promise<void>;
  /** Progress period in iterations (default 100). */
  progressEvery?: number;
  /**
   * Called with the number of meta-iterations done every `checkpointEvery` iterations, after that
   * iteration's update; e.g. save a checkpoint of the learner: `(iteration) =>
   * saveCheckpoint(path, learner, iteration)`.
   */
  onCheckpoint?: (iteration: number) => void | Promise<void>;
  /** Checkpoint period in iterations (default 0 = never). */
  checkpointEvery?: number;
}

const TrainSchema = z.object({
  source: z.custom<EpisodeSource>((v) => typeof v === "function", "must be a function"),
  iterations: z.number().int().min(1),
  metaBatchSize: z.number().int().min(1).default(25),
  seed: z.number().int().default(0),
  optimizer: z.unknown().optional(),
  validation: z.array(z.unknown()).min(1).optional(),
  validateEvery: z.number().int().min(1).default(500),
  onProgress: z.custom<MetaTrainOptions["onProgress"]>((v) => typeof v === "function").optional(),
  progressEvery: z.number().int().min(1).default(100),
  onCheckpoint: z.custom<MetaTrainOptions["onCheckpoint"]>((v) => typeof v === "function")
    .optional(),
  checkpointEvery: z.number().int().min(0).default(0),
}).strict();

/** {@linkcode TrainSchema} for {@linkcode metaTrainBatches}: meta-batches come from its argument. */
const BatchTrainSchema = TrainSchema.omit({ source: true });

/** What {@linkcode metaTrain} returns. */
export interface MetaTrainResult {
  /** Meta-iterations completed (fewer than asked when the run diverged). */
  readonly iterations: number;
  /** Meta-loss of every completed iteration. */
  readonly losses: Float64Array;
  /** Meta-validation losses `{ iteration, loss }`. */
  readonly validation: readonly { iteration: number; loss: number }[];
  /**
   * True when a meta-loss, a meta-gradient, an updated parameter (beyond float32's range) or a
   * meta-validation loss became non-finite; training stopped there.
   */
  readonly diverged: boolean;
  /** The divergence message, when diverged. */
  readonly divergence?: string;
  /** Wall-clock milliseconds per completed meta-iteration (validation excluded). */
  readonly msPerIteration: number;
}

/**
 * Mean query loss of `learner` on `episodes` after `steps` inner steps (no meta-gradient);
 * `episodes` were checked once by {@linkcode metaTrain}.
 */
function validationLoss(learner: MetaLearner, episodes: readonly Episode[], steps: number): number {
  const batch = stackEpisodes(episodes, learner.model);
  try {
    return tf.tidy(() => {
      const tasks = batch.supportX.shape[0];
      const theta = learner.variables.slice(0, learner.model.paramShapes.length);
      const start = tileTasks(theta, tasks);
      const fast = learner.adaptFrom(start, batch.supportX, batch.supportY, steps);
      return tf.mean(learner.loss.value(learner.model.forward(fast, batch.queryX), batch.queryY))
        .dataSync()[0];
    });
  } finally {
    disposeBatch(batch);
  }
}

/**
 * Meta-trains `learner` in place. A divergence (non-finite meta-loss or meta-gradient, or a
 * meta-update whose new parameters would not be finite in float32) ends training early and is
 * reported in the result (`diverged: true`, `divergence`), never thrown; the learner keeps its
 * last finite parameters (the update is not applied). A non-finite meta-validation loss is a divergence too:
 * it is recorded in `validation`, and training stops after that iteration (whose update is kept).
 * Bad options throw a `TypeError` naming the field, a `source` that returns another number of
 * episodes than `metaBatchSize` a `RangeError` naming it; malformed episodes from `source` or in
 * `validation` (missing sets, sizes, NaN or infinite values, for `softmaxCrossEntropy` target
 * rows that are not probability vectors) throw the errors of {@linkcode checkEpisodes}, e.g.
 * `metaTrain: iteration 3: source()[1].query.y[0] (point 0): must be finite, got NaN`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { MAML, metaTrain, mlp } from "./mod.ts";
 * import { episodeSampler, sinusoid } from "../tasks/sinusoid/mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 40, 40, 1] }));
 * const result = await metaTrain(maml, {
 *   source: episodeSampler(sinusoid, { shots: 10 }),
 *   iterations: 10,
 * });
 * ```
 */
export async function metaTrain(
  learner: MetaLearner,
  options: MetaTrainOptions,
): Promise<MetaTrainResult> {
  const { source } = parseOrThrow(TrainSchema, options, "metaTrain");
  const { source: _, ...rest } = options;
  return await metaTrainBatches(learner, rest, (rng, n, label) => {
    const episodes = source(rng, n);
    if (Array.isArray(episodes) && episodes.length !== n) {
      throw new RangeError(
        `${label} returned ${episodes.length} episodes, options.metaBatchSize is ${n} (a ` +
          "source returns the number of episodes it is asked for)",
      );
    }
    return episodeBatch(episodes, learner.model, label, learner.loss);
  });
}

/**
 * @internal {@linkcode metaTrain} with the meta-batches of `batches` (called with the label
 * `metaTrain: iteration i: source()`) instead of stacked episodes of `options.source`: for a source
 * that writes its episodes straight into a batch's arrays. Not re-exported.
 */
export async function metaTrainBatches(
  learner: MetaLearner,
  options: Omit<MetaTrainOptions, "source">,
  batches: BatchSource,
): Promise<MetaTrainResult> {
  const o = parseOrThrow(BatchTrainSchema, options, "metaTrain");
  if (options.validation) {
    checkEpisodes(options.validation, learner.model, "metaTrain: validation", learner.loss);
  }
  const optimizer = metaOptimizer(options.optimizer);
  const rng = new Rng(o.seed);
  const losses = new Float64Array(o.iterations);
  const validation: { iteration: number; loss: number }[] = [];
  let done = 0;
  let trainingMs = 0;
  let divergence: string | undefined;
  try {
    for (let it = 1; it <= o.iterations; it++) {
      const batch = batches(rng, o.metaBatchSize, `metaTrain: iteration ${it}: source()`);
      const start = performance.now();
      try {
        losses[it - 1] = checkedMetaStep(learner, batch, optimizer); // checked by `batches`
      } catch (error) {
        if (!(error instanceof NonFiniteLossError)) throw error;
        divergence = `iteration ${it}: ${error.message}`;
        break;
      } finally {
        disposeBatch(batch);
      }
      trainingMs += performance.now() - start;
      done = it;
      let validated: number | undefined;
      if (options.validation && it % o.validateEvery === 0) {
        validated = validationLoss(
          learner,
          options.validation,
          learner.options.innerSteps as number,
        );
        validation.push({ iteration: it, loss: validated });
        if (!Number.isFinite(validated)) {
          divergence = `iteration ${it}: meta-validation loss is ${validated}`;
          break;
        }
      }
      if (o.onProgress && (it % o.progressEvery === 0 || validated !== undefined)) {
        await o.onProgress({ iteration: it, loss: losses[it - 1], validationLoss: validated });
      }
      if (o.onCheckpoint && o.checkpointEvery > 0 && it % o.checkpointEvery === 0) {
        await o.onCheckpoint(it);
      }
    }
  } finally {
    optimizer.dispose();
  }
  return {
    iterations: done,
    losses: losses.slice(0, done),
    validation,
    diverged: divergence !== undefined,
    divergence,
    msPerIteration: done > 0 ? trainingMs / done : NaN,
  };
}
