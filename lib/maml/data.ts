/**
 * Task data for meta-learning: episodes (support and query sets of one task) as plain typed
 * arrays, stacked into tensors `[T, N, dim]` for a meta-batch of T tasks.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import type { FunctionalModel } from "./model.ts";
import { softmaxCrossEntropy, type TaskLoss } from "./inner.ts";
import { DataError } from "../data/errors.ts";

/** Labelled points of one task, row-major: `x` holds n·inputDim values, `y` n·outputDim. */
export interface LabelledSet {
  /** Inputs, row-major `[n, inputDim]`. */
  readonly x: Float64Array | Float32Array;
  /** Targets, row-major `[n, outputDim]`. */
  readonly y: Float64Array | Float32Array;
}

/** One few-shot task: a support set to adapt on and a query set to score the adaptation. */
export interface Episode {
  /** Points the learner adapts on (K shots). */
  readonly support: LabelledSet;
  /** Points the adapted learner is scored on. */
  readonly query: LabelledSet;
}

/** A meta-batch of T tasks as tensors; the caller owns them (see {@linkcode disposeBatch}). */
export interface TaskBatch {
  /** Support inputs `[T, K, inputDim]`. */
  readonly supportX: tf.Tensor3D;
  /** Support targets `[T, K, outputDim]`. */
  readonly supportY: tf.Tensor3D;
  /** Query inputs `[T, Q, inputDim]`. */
  readonly queryX: tf.Tensor3D;
  /** Query targets `[T, Q, outputDim]`. */
  readonly queryY: tf.Tensor3D;
}

/** The largest finite float32: larger magnitudes become infinite in a tensor. */
const FLOAT32_MAX = 3.4028234663852886e38;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return Array.isArray(value) ? "an Array" : (value.constructor?.name ?? "an object");
}

/**
 * Checks one array of one set of episode `i` (type, size, agreement with episode 0, values; with
 * `distributions`, each point's row a probability vector, see {@linkcode firstNonDistribution}).
 */
function checkValues(
  values: unknown,
  dim: number,
  first: number | undefined,
  where: string,
  points?: number,
  distributions = false,
): number {
  if (!(values instanceof Float64Array || values instanceof Float32Array)) {
    throw new TypeError(
      `${where}: must be a Float64Array or Float32Array, got ${describe(values)}`,
    );
  }
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: empty set (0 points)`);
  if (first === undefined && points !== undefined && n !== points * dim && n % points === 0) {
    // y of episode 0 has a whole number of values per point of x, but not the model's.
    throw new RangeError(
      `${where}: ${n / points} values per point (${n} for the ${points} points of x), the ` +
        `model's output dimension (model.outputDim) is ${dim}: the model's outputs do not match ` +
        "the targets (for classification, one output per class: the number of classes, ways)",
    );
  }
  if (first === undefined && n % dim !== 0) {
    throw new RangeError(`${where}: length ${n} is not a multiple of ${dim} (values per point)`);
  }
  if (first !== undefined && n !== first) {
    throw new RangeError(`${where}: length ${n}, expected ${first} like episode 0`);
  }
  const j = firstNonFinite(values);
  if (j >= 0) {
    const v = values[j];
    const what = Number.isFinite(v) ? "must be finite in float32" : "must be finite";
    throw new DataError(`${where}[${j}] (point ${Math.floor(j / dim)}): ${what}, got ${v}`);
  }
  if (distributions) {
    const point = firstNonDistribution(values, dim);
    if (point >= 0) {
      throw new DataError(`${where} (point ${point}): ${notDistribution(values, dim, point)}`);
    }
  }
  return n;
}

/**
 * Whether targets of `loss` must be probability vectors: the softmax cross-entropy's inner
 * gradient (p − y)/N (with `softmaxCrossEntropy`'s `outputGradient` and the fused engine) is the
 * gradient of its loss −Σ y log p only when each target row sums to 1 (for another sum s it is
 * (s·p − y)/N), and a negative target makes the loss unbounded below.
 */
function needsDistributions(loss: TaskLoss | undefined): boolean {
  return loss === softmaxCrossEntropy;
}

/**
 * The largest |row sum − 1| a target row may have: 1e-6, or for many classes one float32
 * rounding (2⁻²³ relative) per class, what a row normalised in float32 arithmetic can carry.
 */
function distributionTolerance(dim: number): number {
  return Math.max(1e-6, dim * 2 ** -23);
}

/**
 * @internal The first point of finite `values` (`[points, dim]` row-major) whose row is not a
 * probability vector (a negative value, or a sum farther than {@linkcode distributionTolerance}
 * from 1), or −1: the target check of {@linkcode checkEpisodes} and {@linkcode checkTargets} for
 * the softmax cross-entropy. Not re-exported.
 */
export function firstNonDistribution(values: ArrayLike<number>, dim: number): number {
  const tolerance = distributionTolerance(dim);
  for (let point = 0, o = 0; o < values.length; point++, o += dim) {
    let sum = 0;
    let negative = false;
    for (let c = 0; c < dim; c++) {
      const v = values[o + c];
      if (v < 0) negative = true;
      sum += v;
    }
    if (negative || !(Math.abs(sum - 1) <= tolerance)) return point;
  }
  return -1;
}

/** Why the target row of `point` is refused, with its values (the first 10) and sum. */
function notDistribution(values: ArrayLike<number>, dim: number, point: number): string {
  const row = Array.from({ length: Math.min(dim, 10) }, (_, c) => values[point * dim + c]);
  let sum = 0;
  for (let c = 0; c < dim; c++) sum += values[point * dim + c];
  return "softmaxCrossEntropy targets must be probability vectors (non-negative, summing to 1; " +
    `one-hot rows for class labels), got [${row.join(", ")}${dim > 10 ? ", …" : ""}] (sum ${sum})`;
}

/**
 * @internal The index of the first value that is not finite in float32, or −1: the test of
 * {@linkcode checkEpisodes}, {@linkcode checkFiniteTensor} and checkpoint values; not
 * re-exported.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  // One comparison per value: NaN, ±Infinity and float64 values beyond float32's range all fail.
  for (let j = 0; j < values.length; j++) if (!(Math.abs(values[j]) <= FLOAT32_MAX)) return j;
  return -1;
}

/**
 * @internal Whether every value is finite in float32, the test of {@linkcode checkEpisodes} for
 * episode values; not re-exported.
 */
export function finiteInFloat32(values: ArrayLike<number>): boolean {
  return firstNonFinite(values) < 0;
}

/**
 * Checks episodes before they are stacked: a non-empty array of `{ support, query }` sets whose
 * `x` and `y` are `Float64Array`s or `Float32Array`s of whole points for `model`, the same sizes
 * as episode 0, and finite values (as float32). With `loss` {@linkcode softmaxCrossEntropy},
 * every point's target row must also be a probability vector: non-negative, summing to 1 within
 * 1e-6 (or one float32 rounding per class beyond 8 classes), as one-hot rows and soft labels
 * are (a multi-hot row, an all-zero row or a class index in the first column is refused). Errors
 * start with `label` and name the episode and the field: a `TypeError` for a missing or mistyped
 * field, a `RangeError` for sizes, a {@linkcode DataError} for a NaN or infinite value or a
 * target row that is not a probability vector. One pass over each array.
 *
 * @example
 * ```ts
 * import { checkEpisodes } from "./data.ts";
 * import { softmaxCrossEntropy } from "./inner.ts";
 * import { mlp } from "./model.ts";
 * const ep = (y: number) => ({
 *   support: { x: new Float64Array([0, 1]), y: new Float64Array([0, y]) },
 *   query: { x: new Float64Array([2]), y: new Float64Array([2]) },
 * });
 * checkEpisodes([ep(1), ep(2)], mlp({ sizes: [1, 8, 1] }), "episodes"); // passes
 * try {
 *   checkEpisodes([ep(1), ep(NaN)], mlp({ sizes: [1, 8, 1] }), "metaTest: episodes");
 * } catch (error) {
 *   // DataError: metaTest: episodes[1].support.y[1] (point 1): must be finite, got NaN
 * }
 * const twoWay = (y: number[]) => ({
 *   support: { x: new Float64Array([0, 1]), y: new Float64Array(y) },
 *   query: { x: new Float64Array([2]), y: new Float64Array([0, 1]) },
 * });
 * const classifier = mlp({ sizes: [1, 8, 2] });
 * checkEpisodes([twoWay([1, 0, 0.2, 0.8])], classifier, "episodes", softmaxCrossEntropy); // passes
 * try {
 *   checkEpisodes([twoWay([1, 1, 0, 1])], classifier, "episodes", softmaxCrossEntropy);
 * } catch (error) {
 *   // DataError: episodes[0].support.y (point 0): softmaxCrossEntropy targets must be
 *   // probability vectors (non-negative, summing to 1; one-hot rows for class labels), got
 *   // [1, 1] (sum 2)
 * }
 * ```
 */
export function checkEpisodes(
  episodes: unknown,
  model: Pick<FunctionalModel, "inputDim" | "outputDim">,
  label: string,
  loss?: TaskLoss,
): asserts episodes is readonly Episode[] {
  const distributions = needsDistributions(loss);
  if (!Array.isArray(episodes)) {
    throw new TypeError(`${label}: must be an array of episodes, got ${describe(episodes)}`);
  }
  if (episodes.length === 0) throw new RangeError(`${label}: empty meta-batch (0 episodes)`);
  const sizes: Record<string, number> = {};
  for (let i = 0; i < episodes.length; i++) {
    const episode = episodes[i];
    if (episode === null || typeof episode !== "object") {
      throw new TypeError(
        `${label}[${i}]: must be an episode { support, query }, got ${describe(episode)}`,
      );
    }
    for (const part of ["support", "query"] as const) {
      const set = (episode as Partial<Episode>)[part];
      if (set === null || typeof set !== "object") {
        throw new TypeError(
          `${label}[${i}].${part}: must be a labelled set { x, y }, got ${describe(set)}`,
        );
      }
      const where = `${label}[${i}].${part}`;
      const nx = checkValues(set.x, model.inputDim, sizes[`${part}.x`], `${where}.x`);
      const points = i === 0 ? nx / model.inputDim : undefined;
      const ny = checkValues(
        set.y,
        model.outputDim,
        sizes[`${part}.y`],
        `${where}.y`,
        points,
        distributions,
      );
      if (i === 0) {
        if (nx / model.inputDim !== ny / model.outputDim) {
          throw new RangeError(
            `${where}: x has ${nx / model.inputDim} points, y has ${ny / model.outputDim}`,
          );
        }
        sizes[`${part}.x`] = nx;
        sizes[`${part}.y`] = ny;
      }
    }
  }
}

/** Stacks one field of checked sets into a float32 array, the sets one after another. */
function stack(sets: readonly LabelledSet[], key: "x" | "y"): Float32Array {
  const first = sets[0][key].length;
  const values = new Float32Array(sets.length * first);
  sets.forEach((set, t) => values.set(set[key], t * first));
  return values;
}

/**
 * Stacks episodes into a {@linkcode TaskBatch} after {@linkcode checkEpisodes} (all episodes need
 * the same support and query sizes and finite values; with `loss` {@linkcode softmaxCrossEntropy}
 * target rows that are probability vectors); errors start with `label` (default `"episodes"`)
 * and name the episode and field, e.g.
 * `episodes[3].support.x: length 3, expected 5 like episode 0`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { episodeBatch, disposeBatch } from "./data.ts";
 * import { mlp } from "./model.ts";
 * const ep = {
 *   support: { x: new Float64Array([0, 1]), y: new Float64Array([0, 1]) },
 *   query: { x: new Float64Array([2]), y: new Float64Array([2]) },
 * };
 * const batch = episodeBatch([ep, ep], mlp({ sizes: [1, 8, 1] }));
 * disposeBatch(batch);
 * ```
 */
export function episodeBatch(
  episodes: readonly Episode[],
  model: FunctionalModel,
  label = "episodes",
  loss?: TaskLoss,
): TaskBatch {
  checkEpisodes(episodes, model, label, loss);
  return stackEpisodes(episodes, model);
}

/**
 * @internal {@linkcode episodeBatch} without {@linkcode checkEpisodes}, for callers that checked
 * every episode once up front (`metaTest`, `metaTrain`'s validation set); not re-exported.
 */
export function stackEpisodes(episodes: readonly Episode[], model: FunctionalModel): TaskBatch {
  const support = episodes.map((e) => e.support);
  const query = episodes.map((e) => e.query);
  return stackedBatch({
    tasks: episodes.length,
    supportX: stack(support, "x"),
    supportY: stack(support, "y"),
    queryX: stack(query, "x"),
    queryY: stack(query, "y"),
  }, model);
}

/**
 * @internal The {@linkcode TaskBatch} of a meta-batch already stacked into float32 arrays
 * (`[tasks, points, dim]` row-major, as {@linkcode stackEpisodes} makes them): the caller answers
 * for the checks of {@linkcode checkEpisodes} (whole points of `model`'s sizes, as many in `x` as
 * in `y`, finite values). The tensors take the arrays over. Not re-exported.
 */
export function stackedBatch(
  values: {
    readonly tasks: number;
    readonly supportX: Float32Array;
    readonly supportY: Float32Array;
    readonly queryX: Float32Array;
    readonly queryY: Float32Array;
  },
  model: FunctionalModel,
): TaskBatch {
  const { tasks } = values;
  const tensor = (array: Float32Array, dim: number) =>
    tf.tensor3d(array, [tasks, array.length / tasks / dim, dim]);
  const tensors: tf.Tensor3D[] = [];
  try {
    tensors.push(tensor(values.supportX, model.inputDim));
    tensors.push(tensor(values.supportY, model.outputDim));
    tensors.push(tensor(values.queryX, model.inputDim));
    tensors.push(tensor(values.queryY, model.outputDim));
    const batch = {
      supportX: tensors[0],
      supportY: tensors[1],
      queryX: tensors[2],
      queryY: tensors[3],
    };
    checkBatch(batch, model);
    return batch;
  } catch (error) {
    tf.dispose(tensors);
    throw error;
  }
}

/**
 * Throws a `RangeError` unless `x` `[T, N, inputDim]` and `y` `[T, N, outputDim]` fit `model`
 * with N ≥ 1 and T ≥ 1; `name` prefixes the message. Something that is not a tensor is a
 * `TypeError` naming it (`support.y: must be a tensor, got undefined`).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { checkSet } from "./data.ts";
 * import { mlp } from "./model.ts";
 * checkSet(tf.zeros([2, 5, 1]), tf.zeros([2, 5, 1]), mlp({ sizes: [1, 8, 1] }), "support");
 * ```
 */
export function checkSet(x: tf.Tensor, y: tf.Tensor, model: FunctionalModel, name: string): void {
  checkTensor(x, `${name}.x`);
  checkTensor(y, `${name}.y`);
  if (x.rank !== 3 || y.rank !== 3) {
    throw new RangeError(
      `${name}: x and y must be [tasks, points, dim], got [${x.shape}] and [${y.shape}]`,
    );
  }
  const [t, n, d] = x.shape;
  if (t === 0 || n === 0) throw new RangeError(`${name}: empty set, x has shape [${x.shape}]`);
  if (d !== model.inputDim) {
    throw new RangeError(`${name}.x: last dimension ${d}, the model expects ${model.inputDim}`);
  }
  if (y.shape[0] !== t || y.shape[1] !== n || y.shape[2] !== model.outputDim) {
    throw new RangeError(
      `${name}: shape mismatch, x [${x.shape}] needs y [${t},${n},${model.outputDim}], got [${y.shape}]`,
    );
  }
}

/** Throws a `TypeError` naming `where` unless `value` is a tensor. */
function checkTensor(value: unknown, where: string): void {
  if (!(value instanceof tf.Tensor)) {
    throw new TypeError(`${where}: must be a tensor, got ${describe(value)}`);
  }
}

/**
 * Validates a whole batch (support and query with the same number of tasks); a missing field or
 * one that is not a tensor is a `TypeError` naming it (`batch.supportY: must be a tensor, got
 * undefined`).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { checkBatch } from "./data.ts";
 * import { mlp } from "./model.ts";
 * const z = (n: number) => tf.zeros([3, n, 1]) as import("../deps/tf.ts").tf.Tensor3D;
 * checkBatch({ supportX: z(5), supportY: z(5), queryX: z(9), queryY: z(9) }, mlp({ sizes: [1, 4, 1] }));
 * ```
 */
export function checkBatch(batch: TaskBatch, model: FunctionalModel): void {
  if (batch === null || typeof batch !== "object") {
    throw new TypeError(
      `batch: must be { supportX, supportY, queryX, queryY } of tensors, got ${describe(batch)}`,
    );
  }
  for (const key of ["supportX", "supportY", "queryX", "queryY"] as const) {
    checkTensor(batch[key], `batch.${key}`);
  }
  checkSet(batch.supportX, batch.supportY, model, "support");
  checkSet(batch.queryX, batch.queryY, model, "query");
  if (batch.supportX.shape[0] !== batch.queryX.shape[0]) {
    throw new RangeError(
      `batch: ${batch.supportX.shape[0]} support tasks but ${batch.queryX.shape[0]} query tasks`,
    );
  }
}

/**
 * @internal Throws a {@linkcode DataError} naming `where`, the index, the task and the point when
 * a value of `tensor` `[T, N, dim]` is NaN or infinite (one pass over its values, read with
 * `dataSync`); for tensors handed in by a caller, which {@linkcode checkEpisodes} never saw. Not
 * re-exported.
 */
export function checkFiniteTensor(tensor: tf.Tensor, where: string): void {
  const values = tensor.dataSync() as ArrayLike<number>;
  const j = firstNonFinite(values);
  if (j < 0) return;
  const [, points, dim] = tensor.shape;
  const point = Math.floor(j / dim);
  throw new DataError(
    `${where}[${j}] (task ${Math.floor(point / points)}, point ${point % points}): ` +
      `must be finite, got ${values[j]}`,
  );
}

/**
 * @internal With `loss` {@linkcode softmaxCrossEntropy}, throws a {@linkcode DataError} naming
 * `where`, the task and the point when a target row of `tensor` `[T, N, classes]` (finite values,
 * read with `dataSync`) is not a probability vector (see {@linkcode checkEpisodes}); another loss
 * takes any finite targets. Not re-exported.
 */
export function checkTargets(tensor: tf.Tensor, where: string, loss: TaskLoss | undefined): void {
  if (!needsDistributions(loss)) return;
  const [, points, dim] = tensor.shape;
  const values = tensor.dataSync() as ArrayLike<number>;
  const point = firstNonDistribution(values, dim);
  if (point < 0) return;
  throw new DataError(
    `${where} (task ${Math.floor(point / points)}, point ${point % points}): ` +
      notDistribution(values, dim, point),
  );
}

/**
 * @internal {@linkcode checkFiniteTensor} on the four tensors of a batch, named
 * `${label}.supportX` and so on, then {@linkcode checkTargets} on `supportY` and `queryY` for
 * `loss`. Not re-exported.
 */
export function checkBatchValues(batch: TaskBatch, label: string, loss?: TaskLoss): void {
  for (const key of ["supportX", "supportY", "queryX", "queryY"] as const) {
    checkFiniteTensor(batch[key], `${label}.${key}`);
  }
  checkTargets(batch.supportY, `${label}.supportY`, loss);
  checkTargets(batch.queryY, `${label}.queryY`, loss);
}

/**
 * Disposes the four tensors of a batch.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { disposeBatch } from "./data.ts";
 * const z = () => tf.zeros([1, 1, 1]) as import("../deps/tf.ts").tf.Tensor3D;
 * disposeBatch({ supportX: z(), supportY: z(), queryX: z(), queryY: z() });
 * ```
 */
export function disposeBatch(batch: TaskBatch): void {
  tf.dispose([batch.supportX, batch.supportY, batch.queryX, batch.queryY]);
}
