/**
 * Meta-training: one meta-step (meta-gradient, finiteness check, optimiser update) and the
 * loop around it with meta-batches, meta-validation, progress callbacks and checkpoints.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { disposeBatch, type Episode, episodeBatch, type TaskBatch } from "./data.ts";
import { tileTasks } from "./inner.ts";
import { type MetaLearner, NonFiniteLossError } from "./learners.ts";
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
 * A tfjs optimiser for meta-parameters; the caller disposes it.
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
  return o.kind === "adam" ? tf.train.adam(o.lr, 0.9, 0.999, 1e-8) : tf.train.sgd(o.lr);
}

/**
 * One meta-step: computes the meta-gradient of `batch`, and if the meta-loss and every gradient
 * are finite applies it with `optimizer` and projects the meta-parameters; returns the meta-loss.
 * Otherwise throws {@linkcode NonFiniteLossError} and leaves the learner unchanged.
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
  const { loss, grads } = learner.metaGradients(batch);
  try {
    const value = loss.dataSync()[0];
    if (!Number.isFinite(value)) throw new NonFiniteLossError(`meta-loss is ${value}`);
    const gradSum = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(g))).dataSync()[0]);
    if (!Number.isFinite(gradSum)) throw new NonFiniteLossError("meta-gradient is not finite");
    const variables = learner.variables;
    optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    learner.project();
    return value;
  } finally {
    tf.dispose([loss, ...grads]);
  }
}

/** A source of meta-batches: `n` episodes drawn from `rng`. */
export type EpisodeSource = (rng: Rng, n: number) => Episode[];

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
  /** Draws the training episodes of each meta-batch. */
  source: EpisodeSource;
  /** Meta-iterations (≥ 1). */
  iterations: number;
  /** Tasks per meta-batch (default 25). */
  metaBatchSize?: number;
  /** Seed of the training task stream (default 0). */
  seed?: number;
  /** Meta-optimiser (default Adam 1e-3). */
  optimizer?: MetaOptimizerOptions;
  /** Meta-validation episodes, scored every `validateEvery` iterations (mean query loss). */
  validation?: readonly Episode[];
  /** Validation period in iterations (default 500). */
  validateEvery?: number;
  /** Called every `progressEvery` iterations and after each validation. */
  onProgress?: (progress: Progress) => void | Promise<void>;
  /** Progress period in iterations (default 100). */
  progressEvery?: number;
  /** Called with a checkpoint every `checkpointEvery` iterations (e.g. save it to a file). */
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

/** What {@linkcode metaTrain} returns. */
export interface MetaTrainResult {
  /** Meta-iterations completed (fewer than asked when the run diverged). */
  readonly iterations: number;
  /** Meta-loss of every completed iteration. */
  readonly losses: Float64Array;
  /** Meta-validation losses `{ iteration, loss }`. */
  readonly validation: readonly { iteration: number; loss: number }[];
  /** True when a meta-loss or meta-gradient became non-finite; training stopped there. */
  readonly diverged: boolean;
  /** The divergence message, when diverged. */
  readonly divergence?: string;
  /** Wall-clock milliseconds per completed meta-iteration (validation excluded). */
  readonly msPerIteration: number;
}

/** Mean query loss of `learner` on `episodes` after `steps` inner steps (no meta-gradient). */
function validationLoss(learner: MetaLearner, episodes: readonly Episode[], steps: number): number {
  const batch = episodeBatch(episodes, learner.model);
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
 * Meta-trains `learner` in place. A divergence (non-finite meta-loss) ends training early and is
 * reported in the result (`diverged: true`), never thrown; the learner keeps its last finite
 * parameters. Bad options throw a `TypeError` naming the field.
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
  const o = parseOrThrow(TrainSchema, options, "metaTrain");
  const optimizer = metaOptimizer(options.optimizer);
  const rng = new Rng(o.seed);
  const losses = new Float64Array(o.iterations);
  const validation: { iteration: number; loss: number }[] = [];
  let done = 0;
  let trainingMs = 0;
  let divergence: string | undefined;
  try {
    for (let it = 1; it <= o.iterations; it++) {
      const batch = episodeBatch(o.source(rng, o.metaBatchSize), learner.model);
      const start = performance.now();
      try {
        losses[it - 1] = metaStep(learner, batch, optimizer);
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
