/**
 * Task data for meta-learning: episodes (support and query sets of one task) as plain typed
 * arrays, stacked into tensors `[T, N, dim]` for a meta-batch of T tasks.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import type { FunctionalModel } from "./model.ts";

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

function stack(
  sets: readonly LabelledSet[],
  key: "x" | "y",
  dim: number,
  where: string,
): tf.Tensor3D {
  const first = sets[0][key].length;
  if (first === 0) throw new RangeError(`${where}: empty set (0 points)`);
  if (first % dim !== 0) {
    throw new RangeError(`${where}[0].${key}: length ${first} is not a multiple of ${dim}`);
  }
  const values = new Float32Array(sets.length * first);
  sets.forEach((set, t) => {
    if (set[key].length !== first) {
      throw new RangeError(
        `${where}[${t}].${key}: length ${set[key].length}, expected ${first} like task 0`,
      );
    }
    values.set(set[key], t * first);
  });
  return tf.tensor3d(values, [sets.length, first / dim, dim]);
}

/**
 * Stacks episodes into a {@linkcode TaskBatch}; all episodes need the same support and query
 * sizes. Throws a `RangeError` naming the bad episode on empty sets or mismatched lengths.
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
export function episodeBatch(episodes: readonly Episode[], model: FunctionalModel): TaskBatch {
  if (episodes.length === 0) throw new RangeError("episodes: empty meta-batch (0 tasks)");
  const support = episodes.map((e) => e.support);
  const query = episodes.map((e) => e.query);
  const tensors: tf.Tensor3D[] = [];
  try {
    tensors.push(stack(support, "x", model.inputDim, "episodes.support"));
    tensors.push(stack(support, "y", model.outputDim, "episodes.support"));
    tensors.push(stack(query, "x", model.inputDim, "episodes.query"));
    tensors.push(stack(query, "y", model.outputDim, "episodes.query"));
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
 * with N ≥ 1 and T ≥ 1; `name` prefixes the message.
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

/**
 * Validates a whole batch (support and query with the same number of tasks).
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
  checkSet(batch.supportX, batch.supportY, model, "support");
  checkSet(batch.queryX, batch.queryY, model, "query");
  if (batch.supportX.shape[0] !== batch.queryX.shape[0]) {
    throw new RangeError(
      `batch: ${batch.supportX.shape[0]} support tasks but ${batch.queryX.shape[0]} query tasks`,
    );
  }
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
