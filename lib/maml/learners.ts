/**
 * Meta-learners on a functional model: MAML (exact second order or first order), ANIL, Meta-SGD,
 * learned inner hyperparameters, Reptile and the "pretrained on all tasks" baseline.
 *
 * Every learner owns its meta-parameters as `tf.Variable`s (the initialisation θ, plus learned
 * rates, step scales or weight decay), computes a meta-gradient for a {@linkcode TaskBatch}, and
 * adapts to new tasks. `clone()` gives a learn2learn-style fast learner for a batch of tasks.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import {
  checkBatch,
  checkBatchValues,
  checkFiniteTensor,
  checkSet,
  checkTargets,
  type TaskBatch,
} from "./data.ts";
import {
  adaptParams,
  type InnerRule,
  mse,
  softmaxCrossEntropy,
  type TaskLoss,
  tileTasks,
} from "./inner.ts";
import {
  type DenseEngine,
  type DenseEngineLease,
  type DenseRule,
  type DenseSet,
  leaseDenseEngine,
} from "./fused.ts";
import { checkFunctionalModel, type FunctionalModel } from "./model.ts";
import { describeValue, parseOrThrow } from "../validate.ts";
import { LEARNER_KINDS, type LearnerKind } from "./kinds.ts";

/** A meta-loss and the gradient (or update direction) for each meta-parameter. */
export interface MetaGradients {
  /** The meta-loss of the batch (mean query loss after adaptation). */
  readonly loss: tf.Scalar;
  /** One tensor per entry of `variables`, same shapes. */
  readonly grads: tf.Tensor[];
}

/**
 * How a learner computes meta-gradients: `"auto"` (default) uses the fused engine of `fused.ts`
 * when the model is a fully connected network (a model with an `architecture`, such as
 * `mlp`'s) trained with the mean squared error {@linkcode mse} or the softmax
 * cross-entropy {@linkcode softmaxCrossEntropy}, else tfjs's tape (another model, or another
 * loss); `"fused"` requires the engine; `"tape"` always differentiates tensor operations. Both
 * give the same meta-gradient up to float32 rounding.
 */
export type MetaGradientEngine = "auto" | "fused" | "tape";

/** Options of `metaGradients`. */
export interface MetaGradientOptions {
  /** Engine (default `"auto"`). */
  engine?: MetaGradientEngine;
}

/** A task set of a batch as plain arrays for the fused engine. */
function denseSet(x: tf.Tensor3D, y: tf.Tensor3D): DenseSet {
  return { x: x.dataSync(), y: y.dataSync(), points: x.shape[1] };
}

/** float64 arrays to float32 tensors of the given shapes. */
function tensorsOf(values: readonly Float64Array[], shapes: readonly (readonly number[])[]) {
  return values.map((v, i) => tf.tensor(Float32Array.from(v), [...shapes[i]]));
}

/**
 * Raised when a loss or an adapted parameter is NaN or infinite; the learner is left unchanged.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { NonFiniteLossError } from "./learners.ts";
 * const e = new NonFiniteLossError("meta-loss is NaN");
 * console.log(e.name); // "NonFiniteLossError"
 * ```
 */
export class NonFiniteLossError extends Error {
  /** Creates the error with a message naming the quantity. */
  constructor(message: string) {
    super(message);
    this.name = "NonFiniteLossError";
  }
}

/**
 * Learner defaults (Finn et al. 2017's sinusoid protocol): inner SGD rate 0.01, one inner step
 * in training (Reptile: 5), learned-rate initial value = `innerLr`, weight decay 0, seed 0.
 */
export const LEARNER_DEFAULTS = {
  innerLr: 0.01,
  innerSteps: 1,
  reptileInnerSteps: 5,
  weightDecay: 0,
  seed: 0,
} as const;

const BaseSchema = {
  innerLr: z.number().finite().positive().default(LEARNER_DEFAULTS.innerLr),
  innerSteps: z.number().int().min(1).default(LEARNER_DEFAULTS.innerSteps),
  seed: z.number().int().default(LEARNER_DEFAULTS.seed),
};

/** Options common to all learners. */
export interface LearnerOptions {
  /** Inner-loop learning rate α (initial value when learned). Default 0.01. */
  innerLr?: number;
  /** Inner steps during meta-training (default 1; Reptile 5). */
  innerSteps?: number;
  /** Seed of the initial parameters (default 0). */
  seed?: number;
  /**
   * Per-task loss (default mean squared error). Checkpoints store the name of a built-in loss
   * ({@linkcode mse}, {@linkcode softmaxCrossEntropy}) and restore it; another loss is stored as
   * `"custom"` and must be passed again to `fromCheckpoint` / `loadCheckpoint` (`{ loss }`).
   */
  loss?: TaskLoss;
}

/**
 * What every meta-learner provides to the training loop, the evaluation and checkpoints.
 */
export interface MetaLearner {
  /** The learner's name. */
  readonly kind: LearnerKind;
  /** The functional model. */
  readonly model: FunctionalModel;
  /** Meta-parameters (θ first, in the model's order, then rule parameters). */
  readonly variables: readonly tf.Variable[];
  /** Stable names of `variables` (for checkpoints): `theta.i`, `lr.i`, `stepScale.k`, `weightDecay`. */
  readonly variableKeys: readonly string[];
  /** The options needed to rebuild the learner (JSON). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The per-task loss. */
  readonly loss: TaskLoss;
  /** Meta-loss and meta-gradient of a batch; the caller disposes the tensors. */
  metaGradients(batch: TaskBatch, options?: MetaGradientOptions): MetaGradients;
  /**
   * Adapts task-batched parameters `[T, ...]` with the learner's inner rule for `steps` steps,
   * numbering steps from `firstStep` (learned per-step scales). Differentiable; a first-order
   * learner (`fomaml`, `firstOrder: true`) treats the support gradients as constants, so that a
   * gradient taken through it (e.g. an outer loop over `clone().adapt()`) is first order too.
   * A second-order gradient through it is exact only with `model.parameterGradients` and
   * `loss.outputGradient` (which the second-order learners require; Reptile and Pretrained accept
   * a model without them, and a gradient through their adaptation then misses terms).
   */
  adaptFrom(
    params: readonly tf.Tensor[],
    x: tf.Tensor3D,
    y: tf.Tensor3D,
    steps: number,
    firstStep?: number,
  ): tf.Tensor[];
  /**
   * Called after each optimiser step: clamps the meta-parameters that have a hard bound, i.e. a
   * learned weight decay at 0. Learned inner rates and step scales are not constrained (they may
   * turn negative).
   */
  project(): void;
  /** A fast learner starting from the current initialisation (learn2learn's `clone()`). */
  clone(): FastLearner;
  /** Frees the variables. */
  dispose(): void;
}

function variableFrom(values: Float32Array, shape: readonly number[]): tf.Variable {
  return trainable(() => tf.tensor(values, [...shape]));
}

/** A trainable variable initialised from a tensor that is freed right away (no leak). */
function trainable(initial: () => tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.variable(initial(), true));
}

/**
 * Throws a `TypeError` naming `model.parameterGradients` or `options.loss.outputGradient` when
 * one is missing: a second-order meta-gradient needs both (the inner loop's support gradient must
 * be built from ordinary ops for tfjs to differentiate it exactly).
 */
function checkSecondOrder(model: FunctionalModel, loss: TaskLoss, name: string): void {
  const missing = [
    ...(typeof model.parameterGradients === "function" ? [] : ["model.parameterGradients"]),
    ...(typeof loss.outputGradient === "function" ? [] : ["options.loss.outputGradient"]),
  ];
  if (missing.length === 0) return;
  throw new TypeError(
    `${name}: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing: a ` +
      "second-order meta-gradient (firstOrder false) differentiates through the inner loop's " +
      "support gradients, which tfjs computes exactly only from them (its fallback, tf.grads " +
      `inside tf.grads, drops terms); provide ${missing.join(" and ")}, or use first order ` +
      '(firstOrder: true; for MAML the "fomaml" kind)',
  );
}

/**
 * Batches handed to `metaGradients` by {@linkcode metaGradientsOfCheckedBatch} while that call
 * runs: their values were checked finite when they were drawn.
 */
const finiteBatches = new WeakSet<TaskBatch>();

/**
 * The checks of a built-in learner's `metaGradients`: the batch's shapes for `learner.model`, and
 * its values (a {@linkcode DataError} naming the field, e.g.
 * `maml.metaGradients: batch.supportY[3] (task 0, point 3): must be finite, got NaN`, as
 * `metaStep` and `clone().adapt` give), the pass over the inputs skipped for a batch that
 * `metaTrain`'s loop checked when it drew it; softmax cross-entropy targets are checked always.
 */
function checkMetaBatch(learner: LearnerBase, batch: TaskBatch): void {
  checkBatch(batch, learner.model);
  const label = `${learner.kind}.metaGradients: batch`;
  if (!finiteBatches.has(batch)) {
    checkBatchValues(batch, label, learner.loss);
    return;
  }
  checkTargets(batch.supportY, `${label}.supportY`, learner.loss);
  checkTargets(batch.queryY, `${label}.queryY`, learner.loss);
}

/**
 * @internal `learner.metaGradients(batch)` for a batch whose values the caller checked finite
 * (`metaTrain`'s loop: its batches come from checked episodes or pools), so that a built-in
 * learner does not read its inputs again. Not re-exported.
 */
export function metaGradientsOfCheckedBatch(
  learner: MetaLearner,
  batch: TaskBatch,
): MetaGradients {
  finiteBatches.add(batch);
  try {
    return learner.metaGradients(batch);
  } finally {
    finiteBatches.delete(batch);
  }
}

function allFinite(tensors: readonly tf.Tensor[]): boolean {
  return tf.tidy(() => tensors.every((t) => Number.isFinite(tf.sum(t).dataSync()[0])));
}

/**
 * A learner's parameters adapted to a batch of tasks, learn2learn style:
 * `const learner = maml.clone(); learner.adapt(x, y); learner.predict(xq)`.
 * Before the first `adapt` the parameters are the shared initialisation (any number of tasks).
 * It adapts with the learner's inner rule, so it needs that learner alive: once the learner is
 * disposed, `adapt`, `predict` and `evaluate` throw the learner's "disposed" error.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { MAML, mlp } from "./mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 40, 40, 1] }), { innerLr: 0.01 });
 * const x = tf.randomUniform([4, 10, 1], -5, 5) as import("../deps/tf.ts").tf.Tensor3D;
 * const learner = maml.clone();
 * learner.adapt(x, tf.sin(x), 5);
 * const prediction = learner.predict(x); // [4, 10, 1]
 * learner.dispose();
 * ```
 */
export class FastLearner {
  #learner: MetaLearner;
  #params: tf.Tensor[];
  #tasks: number | undefined;
  #steps = 0;
  #disposed = false;

  /** Starts from copies of the learner's initialisation θ. */
  constructor(learner: MetaLearner) {
    this.#learner = learner;
    const thetaCount = learner.model.paramShapes.length;
    this.#params = learner.variables.slice(0, thetaCount).map((v) => tf.keep(v.clone()));
  }

  /** Current parameters (`[T, ...shape]` after the first adapt, else the unbatched θ). */
  get params(): readonly tf.Tensor[] {
    return this.#params;
  }

  /** Inner steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  #batched(tasks: number): tf.Tensor[] {
    return this.#tasks === undefined ? tileTasks(this.#params, tasks) : this.#params;
  }

  /**
   * Throws when the fast learner was disposed (its parameters are gone), or the learner it was
   * cloned from was (its inner rule, learned rates included, is gone: that learner's own
   * "disposed" error).
   */
  #live(operation: string): void {
    if (this.#disposed) {
      throw new Error(`${operation}: this fast learner was disposed (its parameters are freed)`);
    }
    void this.#learner.variables; // throws once the learner is disposed
  }

  #check(x: tf.Tensor3D, y: tf.Tensor3D, name: string): void {
    checkSet(x, y, this.#learner.model, name);
    if (this.#tasks !== undefined && x.shape[0] !== this.#tasks) {
      throw new RangeError(
        `${name}: ${x.shape[0]} tasks, this learner was adapted to ${this.#tasks}`,
      );
    }
  }

  /**
   * Takes `steps` inner steps on support data `x` `[T, K, in]`, `y` `[T, K, out]`. Throws (and
   * keeps the current parameters) on shape mismatches, empty sets, a NaN or infinite value in `x`
   * or `y` or, for the softmax cross-entropy, a target row of `y` that is not a probability vector
   * (a `DataError` naming it, before anything is computed) or a non-finite loss. The new
   * parameters are kept out of any enclosing `tf.tidy` (like `clone()`'s); the replaced ones are
   * freed.
   */
  adapt(x: tf.Tensor3D, y: tf.Tensor3D, steps = 1): void {
    this.#live("adapt");
    if (!Number.isInteger(steps) || steps < 0) {
      throw new RangeError(
        `adapt: steps must be a non-negative integer, got ${describeValue(steps)}`,
      );
    }
    this.#check(x, y, "support");
    checkFiniteTensor(x, "adapt: x");
    checkFiniteTensor(y, "adapt: y");
    checkTargets(y, "adapt: y", this.#learner.loss);
    const next = tf.tidy(() => {
      const start = this.#batched(x.shape[0]);
      const before = tf.sum(this.#learner.loss.value(this.#learner.model.forward(start, x), y));
      if (!Number.isFinite(before.dataSync()[0])) {
        throw new NonFiniteLossError(`adapt: support loss is ${before.dataSync()[0]}`);
      }
      return this.#learner.adaptFrom(start, x, y, steps, this.#steps);
    });
    if (!allFinite(next)) {
      tf.dispose(next.filter((t) => !this.#params.includes(t)));
      throw new NonFiniteLossError(`adapt: parameters became non-finite within ${steps} steps`);
    }
    tf.dispose(this.#params.filter((t) => !next.includes(t))); // unadapted tensors carry over
    // Inside a caller's tf.tidy the new tensors would be freed when it ends, as clone()'s would.
    this.#params = next.map((t) => tf.keep(t));
    this.#tasks = x.shape[0];
    this.#steps += steps;
  }

  /** Predictions `[T, N, out]` for inputs `[T, N, in]`. */
  predict(x: tf.Tensor3D): tf.Tensor3D {
    this.#live("predict");
    const model = this.#learner.model;
    if (x.rank !== 3 || x.shape[2] !== model.inputDim) {
      throw new RangeError(
        `predict: x must be [tasks, points, ${model.inputDim}], got [${x.shape}]`,
      );
    }
    if (this.#tasks !== undefined && x.shape[0] !== this.#tasks) {
      throw new RangeError(
        `predict: ${x.shape[0]} tasks, this learner was adapted to ${this.#tasks}`,
      );
    }
    return tf.tidy(() => model.forward(this.#batched(x.shape[0]), x));
  }

  /**
   * Per-task loss `[T]` on `x`, `y`. Throws, as {@linkcode FastLearner.adapt} does, on shape
   * mismatches, empty sets, a NaN or infinite value in `x` or `y` and, for the softmax
   * cross-entropy, a target row of `y` that is not a probability vector (a `DataError` naming it).
   */
  evaluate(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor1D {
    this.#live("evaluate");
    this.#check(x, y, "evaluate");
    checkFiniteTensor(x, "evaluate: x");
    checkFiniteTensor(y, "evaluate: y");
    checkTargets(y, "evaluate: y", this.#learner.loss);
    return tf.tidy(() => this.#learner.loss.value(this.predict(x), y));
  }

  /** Frees the fast parameters; using the fast learner afterwards throws. */
  dispose(): void {
    tf.dispose(this.#params);
    this.#params = [];
    this.#disposed = true;
  }
}

/**
 * Shared machinery of the learners: θ as variables with a seeded initialisation, plain-SGD
 * adaptation, clone and dispose. Extend it for a new learner by implementing `metaGradients`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { MAML, LearnerBase, mlp } from "./mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 8, 1] }));
 * console.log(maml instanceof LearnerBase); // true
 * ```
 */
export abstract class LearnerBase implements MetaLearner {
  /** The learner's name. */
  abstract readonly kind: LearnerKind;
  /** The functional model. */
  readonly model: FunctionalModel;
  /** The per-task loss. */
  readonly loss: TaskLoss;
  /** Validated options (JSON), enough to rebuild the learner. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The meta-learned initialisation θ, one variable per model parameter. */
  readonly theta: readonly tf.Variable[];
  /** Inner learning rate α (initial value when learned). */
  protected readonly innerLr: number;
  /** Inner steps in meta-training. */
  protected readonly innerSteps: number;
  /** The leased fused engine (undefined: not asked for yet; null: the model has none). */
  #lease: DenseEngineLease | null | undefined;
  #disposed = false;

  /**
   * Builds θ from `model.init(new Rng(options.seed))`, after checking the model and every initial
   * value's size (errors name the parameter; nothing is allocated when they are thrown). With
   * `secondOrder` (a meta-gradient that differentiates through the inner loop's support
   * gradients) the model must have `parameterGradients` and the loss `outputGradient`: tfjs's
   * fallback, `tf.grads` inside `tf.grads`, drops second-order terms (see
   * {@linkcode FunctionalModel.parameterGradients}), so their absence is a `TypeError` naming
   * the missing member.
   */
  constructor(
    model: FunctionalModel,
    options: Record<string, unknown>,
    loss: TaskLoss | undefined,
    secondOrder = false,
  ) {
    const values = checkFunctionalModel(model, options.seed as number, `${new.target.name}: model`);
    if (loss !== undefined && (loss === null || typeof loss.value !== "function")) {
      throw new TypeError(`${new.target.name}: options.loss must be a TaskLoss ({ value })`);
    }
    if (loss === softmaxCrossEntropy && model.outputDim < 2) {
      throw new RangeError(
        `${new.target.name}: options.loss: softmaxCrossEntropy needs a model with at least 2 ` +
          `outputs (one logit per class), model.outputDim is ${model.outputDim}`,
      );
    }
    if (secondOrder) checkSecondOrder(model, loss ?? mse, new.target.name);
    this.model = model;
    this.options = options;
    this.loss = loss ?? mse;
    this.innerLr = options.innerLr as number;
    this.innerSteps = options.innerSteps as number;
    this.theta = values.map((v, i) => variableFrom(v, model.paramShapes[i]));
  }

  /** θ followed by the inner rule's learned variables (an error once the learner is disposed). */
  get variables(): readonly tf.Variable[] {
    this.#live();
    return [...this.theta, ...this.ruleVariables()];
  }

  /**
   * Throws once the learner is disposed: every use of it (`metaGradients`, `clone`, `metaStep`,
   * `metaTest`, …) reads `variables` or the fused engine first.
   */
  #live(): void {
    if (this.#disposed) {
      throw new Error(
        `${this.kind}: this learner was disposed (its variables are freed); create a new one or ` +
          "load a checkpoint",
      );
    }
  }

  /** Names of `variables` for checkpoints. */
  get variableKeys(): readonly string[] {
    return [...this.theta.map((_, i) => `theta.${i}`), ...this.ruleKeys()];
  }

  /** Learned variables of the inner rule (none by default). */
  protected ruleVariables(): tf.Variable[] {
    return [];
  }

  /** Checkpoint names of `ruleVariables()`. */
  protected ruleKeys(): string[] {
    return [];
  }

  /**
   * Meta-loss and meta-gradient of a batch; the caller disposes the tensors. The built-in
   * learners check the batch first: its shapes, and its values (a `DataError` naming the field for
   * a NaN or infinite value, or for the softmax cross-entropy a target row that is not a
   * probability vector, as `metaStep` and `clone().adapt` give).
   */
  abstract metaGradients(batch: TaskBatch, options?: MetaGradientOptions): MetaGradients;

  /** Plain SGD with the fixed inner rate on every parameter (overridden by learned rules). */
  adaptFrom(
    params: readonly tf.Tensor[],
    x: tf.Tensor3D,
    y: tf.Tensor3D,
    steps: number,
    _firstStep = 0,
  ): tf.Tensor[] {
    const rule: InnerRule = {
      lrs: params.map(() => this.innerLr),
      adapts: params.map(() => true),
    };
    return adaptParams(this.model, params, x, y, rule, { steps, loss: this.loss });
  }

  /** Clamps bounded meta-parameters after an optimiser step (none by default). */
  project(): void {}

  /** A fast learner starting from θ (learn2learn's `clone()`). */
  clone(): FastLearner {
    return new FastLearner(this);
  }

  /**
   * The fused engine `metaGradients` uses under `options.engine` (see
   * {@linkcode MetaGradientEngine}), or undefined for the tape. The learner holds it from its
   * first use until `dispose()`; live learners of one architecture and loss share one engine.
   */
  protected fusedEngine(options: MetaGradientOptions | undefined): DenseEngine | undefined {
    const wanted = options?.engine ?? "auto";
    if (wanted !== "auto" && wanted !== "fused" && wanted !== "tape") {
      throw new TypeError(
        `metaGradients: engine must be "auto", "fused" or "tape", got ${JSON.stringify(wanted)}`,
      );
    }
    this.#live();
    if (wanted === "tape") return undefined;
    if (this.#lease === undefined) {
      this.#lease = leaseDenseEngine(this.model, this.loss, this) ?? null;
    }
    const engine = this.#lease?.engine;
    if (engine === undefined && wanted === "fused") {
      throw new TypeError(
        `${this.kind}.metaGradients: engine "fused" needs a fully connected model ` +
          "(model.architecture, e.g. mlp()) and the mse or softmaxCrossEntropy loss",
      );
    }
    return engine;
  }

  /** Frees the variables and gives back the fused engine; using the learner afterwards throws. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#lease?.release();
    this.#lease = undefined;
    tf.dispose([...this.theta, ...this.ruleVariables()]);
  }
}

/** Options of the gradient-based (MAML family) learners. */
export interface GradientLearnerOptions extends LearnerOptions {
  /**
   * First-order approximation (support gradients treated as constants). Default false: exact
   * second order, which needs the model's `parameterGradients` and the loss's `outputGradient`
   * (the constructor throws without them).
   */
  firstOrder?: boolean;
}

/**
 * Throws a `RangeError` naming `model.headIndices` when it is empty: an inner loop that adapts
 * only the head would adapt nothing. Runs before the model is checked (and before anything is
 * allocated), so it reads `headIndices` only when it is an array; the model's other checks follow.
 */
function checkHead(model: FunctionalModel, name: string): void {
  const head = (model as { headIndices?: unknown } | null | undefined)?.headIndices;
  if (Array.isArray(head) && head.length === 0) {
    throw new RangeError(
      `${name}: model.headIndices is empty: ${name} adapts only the head (the parameters ` +
        "model.headIndices lists), so its inner loop would adapt nothing; list the head's " +
        "parameter indices, or use MAML to adapt every parameter",
    );
  }
}

/** How a {@linkcode GradientLearner} shapes its inner rule. */
export interface RuleSpec {
  /**
   * Which parameters the inner loop adapts: all, or the head (`model.headIndices`, which must
   * not be empty).
   */
  adapt: "all" | "head";
  /** Fixed inner rate, or learned per parameter tensor or per element. */
  lr: "fixed" | "per-tensor" | "per-element";
  /** Learned per-step scales. */
  stepScales: boolean;
  /** Inner weight decay: none, fixed at `options.weightDecay`, or learned. */
  weightDecay: "none" | "fixed" | "learned";
}

/**
 * The MAML family around one inner rule; {@linkcode MAML}, {@linkcode ANIL},
 * {@linkcode MetaSGD} and {@linkcode LearnedHyperparameters} are its presets.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { GradientLearner, MetaSGD, mlp } from "./mod.ts";
 * console.log(new MetaSGD(mlp({ sizes: [1, 8, 1] })) instanceof GradientLearner); // true
 * ```
 */
export abstract class GradientLearner extends LearnerBase {
  readonly #spec: RuleSpec;
  readonly #firstOrder: boolean;
  readonly #lrs: tf.Variable[];
  readonly #stepScales: tf.Variable[];
  readonly #weightDecay: tf.Variable | undefined;
  readonly #fixedDecay: number | undefined;

  /**
   * Builds θ and the rule's learned variables from validated options. An inner loop that adapts
   * only the head (`spec.adapt: "head"`, ANIL) needs a model that names its head: an empty
   * `model.headIndices` is a `RangeError` naming it (nothing would adapt).
   */
  constructor(
    model: FunctionalModel,
    options: Record<string, unknown>,
    loss: TaskLoss | undefined,
    spec: RuleSpec,
  ) {
    if (spec.adapt === "head") checkHead(model, new.target.name);
    super(model, options, loss, options.firstOrder !== true);
    this.#spec = spec;
    this.#firstOrder = options.firstOrder === true;
    const shapes = model.paramShapes;
    this.#lrs = spec.lr === "fixed"
      ? []
      : shapes.map((shape) =>
        trainable(() => tf.fill(spec.lr === "per-element" ? [...shape] : [], this.innerLr))
      );
    this.#stepScales = spec.stepScales
      ? Array.from({ length: this.innerSteps }, () => trainable(() => tf.scalar(1)))
      : [];
    const decay = (options.weightDecay as number | undefined) ?? 0;
    this.#weightDecay = spec.weightDecay === "learned"
      ? trainable(() => tf.scalar(decay))
      : undefined;
    this.#fixedDecay = spec.weightDecay === "fixed" ? decay : undefined;
  }

  /** Learned rates, step scales and weight decay, in that order. */
  protected override ruleVariables(): tf.Variable[] {
    return [...this.#lrs, ...this.#stepScales, ...(this.#weightDecay ? [this.#weightDecay] : [])];
  }

  /** `lr.i`, `stepScale.k`, `weightDecay`. */
  protected override ruleKeys(): string[] {
    return [
      ...this.#lrs.map((_, i) => `lr.${i}`),
      ...this.#stepScales.map((_, k) => `stepScale.${k}`),
      ...(this.#weightDecay ? ["weightDecay"] : []),
    ];
  }

  #rule(ruleValues: readonly tf.Tensor[]): InnerRule {
    const n = this.model.paramShapes.length;
    const lrCount = this.#lrs.length;
    const scales = ruleValues.slice(lrCount, lrCount + this.#stepScales.length);
    const head = new Set(this.model.headIndices);
    return {
      lrs: lrCount ? ruleValues.slice(0, lrCount) : Array.from({ length: n }, () => this.innerLr),
      adapts: Array.from({ length: n }, (_, i) => this.#spec.adapt === "all" || head.has(i)),
      stepScales: scales,
      weightDecay: this.#weightDecay ? ruleValues[ruleValues.length - 1] : this.#fixedDecay,
    };
  }

  #adaptWith(
    rule: InnerRule,
    params: readonly tf.Tensor[],
    x: tf.Tensor3D,
    y: tf.Tensor3D,
    steps: number,
    firstStep: number,
    firstOrder: boolean,
  ): tf.Tensor[] {
    if (firstStep === 0 || !rule.stepScales?.length) {
      return adaptParams(this.model, params, x, y, rule, { steps, firstOrder, loss: this.loss });
    }
    const offset = Math.min(firstStep, rule.stepScales.length - 1);
    const shifted = { ...rule, stepScales: rule.stepScales.slice(offset) };
    return adaptParams(this.model, params, x, y, shifted, { steps, firstOrder, loss: this.loss });
  }

  /**
   * Adapts with the learned rule (rates, step scales, weight decay; ANIL: head only); first order
   * (support gradients as constants) when the learner is, like its meta-gradient.
   */
  override adaptFrom(
    params: readonly tf.Tensor[],
    x: tf.Tensor3D,
    y: tf.Tensor3D,
    steps: number,
    firstStep = 0,
  ): tf.Tensor[] {
    const rule = this.#rule(this.ruleVariables());
    return this.#adaptWith(rule, params, x, y, steps, firstStep, this.#firstOrder);
  }

  /** Mean query loss after adapting θ on each task's support set: a function of all variables. */
  metaLoss(batch: TaskBatch, values: readonly tf.Tensor[] = this.variables): tf.Scalar {
    const n = this.model.paramShapes.length;
    const rule = this.#rule(values.slice(n));
    const tasks = batch.supportX.shape[0];
    const fast = this.#adaptWith(
      rule,
      tileTasks(values.slice(0, n), tasks),
      batch.supportX,
      batch.supportY,
      this.innerSteps,
      0,
      this.#firstOrder,
    );
    return tf.mean(this.loss.value(this.model.forward(fast, batch.queryX), batch.queryY));
  }

  /**
   * The exact (or first-order) meta-gradient of {@linkcode GradientLearner.metaLoss}, from the
   * fused engine or tfjs's tape (see {@linkcode MetaGradientEngine}), after the checks of the
   * batch's shapes and values ({@linkcode LearnerBase.metaGradients}).
   */
  metaGradients(batch: TaskBatch, options?: MetaGradientOptions): MetaGradients {
    checkMetaBatch(this, batch);
    const engine = this.fusedEngine(options);
    if (engine !== undefined) return this.#fusedMetaGradients(engine, batch);
    return tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...values: tf.Tensor[]) =>
        this.metaLoss(batch, values)
      )([...this.variables]);
      return { loss: value, grads };
    });
  }

  /** The inner rule of the current variable values, in plain numbers. */
  #denseRule(): DenseRule {
    const n = this.model.paramShapes.length;
    const head = new Set(this.model.headIndices);
    const value = (v: tf.Variable) => v.dataSync()[0];
    return {
      adapts: Array.from({ length: n }, (_, i) => this.#spec.adapt === "all" || head.has(i)),
      lrs: this.#lrs.length
        ? this.#lrs.map((v) => this.#spec.lr === "per-element" ? v.dataSync() : value(v))
        : Array.from({ length: n }, () => this.innerLr),
      stepScales: this.#stepScales.map(value),
      weightDecay: this.#weightDecay ? value(this.#weightDecay) : this.#fixedDecay ?? 0,
    };
  }

  #fusedMetaGradients(engine: DenseEngine, batch: TaskBatch): MetaGradients {
    const g = engine.metaGradient(
      this.theta.map((v) => v.dataSync()),
      batch.supportX.shape[0],
      denseSet(batch.supportX, batch.supportY),
      denseSet(batch.queryX, batch.queryY),
      this.#denseRule(),
      {
        steps: this.innerSteps,
        firstOrder: this.#firstOrder,
        ruleGradients: this.ruleVariables().length > 0,
      },
    );
    const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
    const grads = tensorsOf(g.theta, this.model.paramShapes);
    this.#lrs.forEach((_, i) =>
      grads.push(
        this.#spec.lr === "per-element"
          ? tf.tensor(Float32Array.from(g.lrs[i]), [...this.model.paramShapes[i]])
          : tf.scalar(sum(g.lrs[i])),
      )
    );
    this.#stepScales.forEach((_, k) => grads.push(tf.scalar(g.stepScales[k])));
    if (this.#weightDecay) grads.push(tf.scalar(g.weightDecay));
    return { loss: tf.scalar(g.loss), grads };
  }

  /**
   * Clamps a learned weight decay at 0, its only hard bound; learned rates and step scales are
   * left as the optimiser set them (they may be negative).
   */
  override project(): void {
    const decay = this.#weightDecay;
    if (decay) tf.tidy(() => decay.assign(tf.relu(decay)));
  }
}

const learnerKindSchema = z.enum(LEARNER_KINDS, {
  error: (issue) =>
    `unknown kind ${JSON.stringify(issue.input)} (known: ${LEARNER_KINDS.join(", ")})`,
});

const MamlSchema = z.object({ ...BaseSchema, firstOrder: z.boolean().default(false) }).strict();

function split<T extends { loss?: TaskLoss }>(
  options: T | undefined,
): [Omit<T, "loss">, TaskLoss | undefined] {
  const { loss, ...rest } = options ?? ({} as T);
  return [rest, loss];
}

/**
 * MAML (Finn et al. 2017): learns the initialisation θ; the meta-gradient differentiates
 * through the inner SGD steps exactly (second order) unless `firstOrder` is set (FOMAML).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { MAML, mlp } from "./mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 40, 40, 1] }), { innerLr: 0.01, firstOrder: false });
 * const learner = maml.clone(); // learner.adapt(x, y); learner.predict(xq)
 * ```
 */
export class MAML extends GradientLearner {
  /** `"maml"`, or `"fomaml"` with `firstOrder`. */
  readonly kind: LearnerKind;

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: GradientLearnerOptions) {
    const [rest, loss] = split(options);
    const o = parseOrThrow(MamlSchema, rest, "MAML");
    super(model, o, loss, { adapt: "all", lr: "fixed", stepScales: false, weightDecay: "none" });
    this.kind = o.firstOrder ? "fomaml" : "maml";
  }
}

/**
 * ANIL (Raghu et al. 2020): MAML whose inner loop adapts only the head
 * (`model.headIndices`); the body is learned by the outer loop alone. A model whose
 * `headIndices` is empty is a `RangeError` naming it (the inner loop would adapt nothing).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { ANIL, mlp } from "./mod.ts";
 * const anil = new ANIL(mlp({ sizes: [1, 40, 40, 1] }), { innerLr: 0.01 });
 * ```
 */
export class ANIL extends GradientLearner {
  /** Always `"anil"`. */
  readonly kind: LearnerKind = "anil";

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: GradientLearnerOptions) {
    const [rest, loss] = split(options);
    const o = parseOrThrow(MamlSchema, rest, "ANIL");
    super(model, o, loss, { adapt: "head", lr: "fixed", stepScales: false, weightDecay: "none" });
  }
}

/**
 * Meta-SGD (Li et al. 2017): one learned inner learning rate per parameter element, initialised
 * to `innerLr`, meta-trained with θ. Rates are not constrained (they may turn negative: a step
 * up the support loss, which the meta-gradient may choose).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { MetaSGD, mlp } from "./mod.ts";
 * const metaSgd = new MetaSGD(mlp({ sizes: [1, 40, 40, 1] }), { innerLr: 0.01 });
 * ```
 */
export class MetaSGD extends GradientLearner {
  /** Always `"metasgd"`. */
  readonly kind: LearnerKind = "metasgd";

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: GradientLearnerOptions) {
    const [rest, loss] = split(options);
    const o = parseOrThrow(MamlSchema, rest, "MetaSGD");
    super(model, o, loss, {
      adapt: "all",
      lr: "per-element",
      stepScales: false,
      weightDecay: "none",
    });
  }
}

/** Options of {@linkcode LearnedHyperparameters}. */
export interface LearnedHyperparametersOptions extends GradientLearnerOptions {
  /** One learned rate per parameter tensor (`"per-tensor"`, default) or per element. */
  lrGranularity?: "per-tensor" | "per-element";
  /** Learn a scale for each of the `innerSteps` steps (default true). */
  learnStepScales?: boolean;
  /** Initial inner weight decay λ (default 0). */
  weightDecay?: number;
  /** Learn λ (default true; kept ≥ 0 after every meta-step, unlike the rates and step scales). */
  learnWeightDecay?: boolean;
}

const LearnedHpSchema = z.object({
  ...BaseSchema,
  firstOrder: z.boolean().default(false),
  lrGranularity: z.enum(["per-tensor", "per-element"]).default("per-tensor"),
  learnStepScales: z.boolean().default(true),
  weightDecay: z.number().finite().min(0).default(LEARNER_DEFAULTS.weightDecay),
  learnWeightDecay: z.boolean().default(true),
}).strict();

/**
 * Inner-loop hyperparameters as meta-parameters (Li et al. 2017; Antoniou et al. 2019): inner learning rates (per
 * parameter tensor, i.e. per layer's weights and biases, or per element), per-step step scales
 * and weight decay are updated by the meta-gradient with θ:
 * θ'ᵢ = θ − α∇θ L_Tᵢ(f_θ) (one inner step); α' = α − β∇α (1/T) Σᵢ L_Tᵢ(f_θ'ᵢ), a step down
 * the mean query loss over the T tasks of a meta-batch (β = the meta-optimiser's rate, written
 * for plain SGD).
 * As with {@linkcode MetaSGD}, the rates and step scales are not constrained: they may turn
 * negative (a negative rate, or a rate times a negative scale, is a step up the support loss,
 * which the meta-gradient may choose). Only the weight decay is kept ≥ 0 (`project()`).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { LearnedHyperparameters, mlp } from "./mod.ts";
 * const lhp = new LearnedHyperparameters(mlp({ sizes: [1, 40, 40, 1] }), {
 *   innerSteps: 2,
 *   lrGranularity: "per-tensor",
 *   weightDecay: 1e-3,
 * });
 * ```
 */
export class LearnedHyperparameters extends GradientLearner {
  /** Always `"learned-hp"`. */
  readonly kind: LearnerKind = "learned-hp";

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: LearnedHyperparametersOptions) {
    const [rest, loss] = split(options);
    const o = parseOrThrow(LearnedHpSchema, rest, "LearnedHyperparameters");
    super(model, o, loss, {
      adapt: "all",
      lr: o.lrGranularity,
      stepScales: o.learnStepScales,
      weightDecay: o.learnWeightDecay ? "learned" : o.weightDecay > 0 ? "fixed" : "none",
    });
  }
}

const ReptileSchema = z.object({
  ...BaseSchema,
  innerSteps: z.number().int().min(1).default(LEARNER_DEFAULTS.reptileInnerSteps),
}).strict();

/**
 * Reptile (Nichol et al. 2018): adapt each task with `innerSteps` SGD steps on its support set,
 * then move θ towards the adapted parameters. The "gradient" handed to the meta-optimiser is
 * θ − mean_T(φ_T), so plain SGD with rate ε gives θ ← θ + ε(mean φ − θ). The reported loss is the
 * query loss after adaptation.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { Reptile, mlp } from "./mod.ts";
 * const reptile = new Reptile(mlp({ sizes: [1, 40, 40, 1] }), { innerSteps: 5 });
 * ```
 */
export class Reptile extends LearnerBase {
  /** Always `"reptile"`. */
  readonly kind: LearnerKind = "reptile";

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: LearnerOptions) {
    const [rest, loss] = split(options);
    super(model, parseOrThrow(ReptileSchema, rest, "Reptile"), loss);
  }

  /**
   * Query loss after adaptation, and θ − mean adapted parameters as the update direction, after
   * the checks of the batch's shapes and values ({@linkcode LearnerBase.metaGradients}).
   */
  metaGradients(batch: TaskBatch, options?: MetaGradientOptions): MetaGradients {
    checkMetaBatch(this, batch);
    const engine = this.fusedEngine(options);
    if (engine !== undefined) {
      const theta = this.theta.map((v) => v.dataSync());
      const tasks = batch.supportX.shape[0];
      const { params, queryLoss } = engine.adapt(
        theta,
        tasks,
        denseSet(batch.supportX, batch.supportY),
        {
          adapts: theta.map(() => true),
          lrs: theta.map(() => this.innerLr),
          stepScales: [],
          weightDecay: 0,
        },
        this.innerSteps,
        denseSet(batch.queryX, batch.queryY),
      );
      const directions = theta.map((values, i) =>
        Float64Array.from(values, (v, e) => {
          let mean = 0;
          for (let t = 0; t < tasks; t++) mean += params[t][i][e];
          return v - mean / tasks;
        })
      );
      const loss = queryLoss.reduce((a, b) => a + b, 0) / tasks;
      return { loss: tf.scalar(loss), grads: tensorsOf(directions, this.model.paramShapes) };
    }
    return tf.tidy(() => {
      const tasks = batch.supportX.shape[0];
      const fast = this.adaptFrom(
        tileTasks(this.theta, tasks),
        batch.supportX,
        batch.supportY,
        this.innerSteps,
      );
      const loss = tf.mean(this.loss.value(this.model.forward(fast, batch.queryX), batch.queryY));
      const grads = this.theta.map((theta, i) => tf.sub(theta, tf.mean(fast[i], 0)));
      return { loss: loss as tf.Scalar, grads };
    });
  }
}

const PretrainedSchema = z.object(BaseSchema).strict();

/**
 * The "pretrained on all tasks" baseline of Finn et al.: θ minimises the average loss over
 * tasks (support and query points, no adaptation in training); at test time it is fine-tuned
 * with plain SGD at `innerLr` like the others.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { Pretrained, mlp } from "./mod.ts";
 * const baseline = new Pretrained(mlp({ sizes: [1, 40, 40, 1] }));
 * ```
 */
export class Pretrained extends LearnerBase {
  /** Always `"pretrained"`. */
  readonly kind: LearnerKind = "pretrained";

  /** Creates the learner; options are validated (errors name the field). */
  constructor(model: FunctionalModel, options?: LearnerOptions) {
    const [rest, loss] = split(options);
    super(model, parseOrThrow(PretrainedSchema, rest, "Pretrained"), loss);
  }

  /**
   * Mean loss over all points of each task at θ, and its gradient, after the checks of the
   * batch's shapes and values ({@linkcode LearnerBase.metaGradients}).
   */
  metaGradients(batch: TaskBatch, options?: MetaGradientOptions): MetaGradients {
    checkMetaBatch(this, batch);
    const engine = this.fusedEngine(options);
    if (engine !== undefined) {
      const g = engine.pooledGradient(
        this.theta.map((v) => v.dataSync()),
        batch.supportX.shape[0],
        [denseSet(batch.supportX, batch.supportY), denseSet(batch.queryX, batch.queryY)],
      );
      return { loss: tf.scalar(g.loss), grads: tensorsOf(g.theta, this.model.paramShapes) };
    }
    return tf.tidy(() => {
      const x = tf.concat([batch.supportX, batch.queryX], 1) as tf.Tensor3D;
      const y = tf.concat([batch.supportY, batch.queryY], 1) as tf.Tensor3D;
      const { value, grads } = tf.valueAndGrads((...theta: tf.Tensor[]) =>
        tf.mean(
          this.loss.value(this.model.forward(tileTasks(theta, x.shape[0]), x), y),
        ) as tf.Scalar
      )([...this.theta]);
      return { loss: value, grads };
    });
  }
}

/** The options schema of each kind: the one its class validates with. */
const OPTIONS_SCHEMAS: Readonly<Record<LearnerKind, z.ZodType<Record<string, unknown>>>> = {
  maml: MamlSchema,
  fomaml: MamlSchema,
  anil: MamlSchema,
  metasgd: MamlSchema,
  "learned-hp": LearnedHpSchema,
  reptile: ReptileSchema,
  pretrained: PretrainedSchema,
};

/**
 * Throws a `TypeError` naming `${label}.firstOrder` when it is given for kind `maml` or `fomaml`
 * and is not a boolean or contradicts the kind (`maml` is second order, `fomaml` first order).
 */
function checkOrderOfKind(kind: LearnerKind, firstOrder: unknown, label: string): void {
  if ((kind !== "maml" && kind !== "fomaml") || firstOrder === undefined) return;
  if (typeof firstOrder !== "boolean") {
    throw new TypeError(
      `${label}.firstOrder: must be a boolean, got ${JSON.stringify(firstOrder)}`,
    );
  }
  if (firstOrder !== (kind === "fomaml")) {
    throw new TypeError(
      `${label}.firstOrder: ${JSON.stringify(firstOrder)} contradicts kind "${kind}" (kind ` +
        '"maml" is second order, "fomaml" first order)',
    );
  }
}

/**
 * @internal The options of a learner of `kind` as its class validates them, defaults filled in
 * (for `maml` and `fomaml`, `firstOrder` follows the kind), without building the learner; errors
 * name the field under `label` (`checkpoint.options.innerLr: Too small: …`). Used by checkpoints;
 * not re-exported.
 *
 * @example
 * ```ts
 * import { parseLearnerOptions } from "./learners.ts";
 * const options = parseLearnerOptions("fomaml", { innerLr: 0.05 }, "checkpoint.options");
 * // { innerLr: 0.05, innerSteps: 1, seed: 0, firstOrder: true }
 * ```
 */
export function parseLearnerOptions(
  kind: LearnerKind,
  options: unknown,
  label: string,
): Record<string, unknown> {
  const given = parseOrThrow(z.record(z.string(), z.unknown()), options, label);
  checkOrderOfKind(kind, given.firstOrder, label);
  const ordered = kind === "maml" || kind === "fomaml"
    ? { ...given, firstOrder: kind === "fomaml" }
    : given;
  return parseOrThrow(OPTIONS_SCHEMAS[kind], ordered, label);
}

/**
 * The options of each learner kind, as {@linkcode createLearner} takes them: those of the class
 * that kind builds ({@linkcode MAML}, {@linkcode ANIL}, {@linkcode MetaSGD},
 * {@linkcode LearnedHyperparameters}, {@linkcode Reptile}, {@linkcode Pretrained}).
 */
export interface LearnerOptionsByKind {
  /** {@linkcode MAML}, second order (`firstOrder`, when given, must be false). */
  maml: GradientLearnerOptions;
  /** {@linkcode MAML} with `firstOrder` (when given, it must be true). */
  fomaml: GradientLearnerOptions;
  /** {@linkcode Reptile}. */
  reptile: LearnerOptions;
  /** {@linkcode ANIL}. */
  anil: GradientLearnerOptions;
  /** {@linkcode MetaSGD}. */
  metasgd: GradientLearnerOptions;
  /** {@linkcode LearnedHyperparameters}. */
  "learned-hp": LearnedHyperparametersOptions;
  /** {@linkcode Pretrained}. */
  pretrained: LearnerOptions;
}

/**
 * Builds a learner by kind (used by checkpoints and the benchmark), with the options of the class
 * that kind builds ({@linkcode LearnerOptionsByKind}): `createLearner("maml", model, { innerLR })`
 * is a type error, as `new MAML(model, { innerLR })` is, and at run time an error naming the key.
 * The kind fixes the order of `maml` (second order) and `fomaml` (first order): a contradicting
 * `options.firstOrder` is a `TypeError`, a consistent one is accepted.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { createLearner, mlp } from "./mod.ts";
 * const learner = createLearner("metasgd", mlp({ sizes: [1, 40, 40, 1] }), { seed: 3 });
 * const hp = createLearner("learned-hp", mlp({ sizes: [1, 8, 1] }), { lrGranularity: "per-element" });
 * ```
 */
export function createLearner<K extends LearnerKind>(
  kind: K,
  model: FunctionalModel,
  options?: LearnerOptionsByKind[K],
): MetaLearner;
export function createLearner(
  kind: LearnerKind,
  model: FunctionalModel,
  options: Record<string, unknown> & { loss?: TaskLoss } = {},
): MetaLearner {
  parseOrThrow(learnerKindSchema, kind, "createLearner: kind");
  parseOrThrow(
    z.custom((m) => m !== null && typeof m === "object", {
      message: "must be a FunctionalModel (e.g. mlp({ sizes: [1, 40, 40, 1] })), got " +
        (model === null ? "null" : typeof model),
    }),
    model,
    "createLearner: model",
  );
  parseOrThrow(
    z.custom((o) => o === undefined || (o !== null && typeof o === "object" && !Array.isArray(o)), {
      message: "must be an options object",
    }),
    options,
    "createLearner: options",
  );
  checkOrderOfKind(kind, options?.firstOrder, "createLearner: options");
  switch (kind) {
    case "maml":
      return new MAML(model, { ...options, firstOrder: false });
    case "fomaml":
      return new MAML(model, { ...options, firstOrder: true });
    case "anil":
      return new ANIL(model, options);
    case "metasgd":
      return new MetaSGD(model, options);
    case "learned-hp":
      return new LearnedHyperparameters(model, options);
    case "reptile":
      return new Reptile(model, options);
    case "pretrained":
      return new Pretrained(model, options);
    default:
      throw new TypeError(`createLearner: unknown kind "${kind as string}"`);
  }
}
