/**
 * The inner loop shared by every gradient-based learner: a few steps of (generalised) gradient
 * descent on each task's support loss, for all tasks of a meta-batch at once.
 *
 * One step, for every adapted parameter tensor i at step k:
 * θᵢ ← θᵢ − αᵢ · s_k · (∇θᵢ L_support + λ · θᵢ),
 * where αᵢ is a fixed number, a learned scalar (per tensor) or a learned tensor of θᵢ's shape
 * (per element, Meta-SGD), s_k an optional learned per-step scale (steps beyond the last scale
 * reuse it) and λ an optional weight decay. The support gradient comes from the model's
 * hand-written `parameterGradients` (built from ordinary ops), so that inside `tf.grads` the
 * whole inner loop is differentiated exactly: the meta-gradient is exact second order (tfjs
 * 4.22's gradient-of-gradient drops terms through tensors its kernels save for backprop, e.g.
 * tanh'' and the matMul inputs, so `tf.grads` inside `tf.grads` is not used for it). With
 * `firstOrder` the support gradient is taken as a constant (detached), as in first-order MAML.
 * A model without `parameterGradients` (or a loss without `outputGradient`) gets its support
 * gradient from `tf.grads`: exact as a value, for adaptation and first-order meta-gradients, but
 * not differentiable exactly, so the second-order learners refuse such a model or loss.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import type { FunctionalModel } from "./model.ts";
import { nonNegativeIntSchema, parseOrThrow } from "../validate.ts";

/**
 * A per-task loss: `value` maps predictions and targets `[T, N, out]` to losses `[T]`;
 * `outputGradient` is the gradient of each task's loss with respect to its predictions, written
 * with differentiable ops (needed with {@linkcode FunctionalModel.parameterGradients} for exact
 * second-order meta-gradients: a second-order learner refuses a loss without it, while the
 * first-order ones, evaluation and adaptation fall back to `tf.grads`).
 */
export interface TaskLoss {
  /** Each task's loss `[T]`. */
  value(prediction: tf.Tensor3D, target: tf.Tensor3D): tf.Tensor1D;
  /** ∂ lossₜ / ∂ predictionₜ, `[T, N, out]` (optional). */
  outputGradient?(prediction: tf.Tensor3D, target: tf.Tensor3D): tf.Tensor3D;
}

/**
 * Mean squared error of each task (mean over points and outputs), with its gradient.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { mse } from "./inner.ts";
 * mse.value(tf.zeros([2, 3, 1]), tf.ones([2, 3, 1])).print(); // [1, 1]
 * ```
 */
export const mse: TaskLoss = {
  value: (prediction, target) => tf.mean(tf.squaredDifference(prediction, target), [1, 2]),
  outputGradient: (prediction, target) =>
    tf.mul(tf.sub(prediction, target), 2 / (prediction.shape[1] * prediction.shape[2])),
};

/**
 * Softmax cross-entropy of each task for classification (mean over points): with logits ŷ and
 * one-hot (or probability) targets y of a task's N points,
 * L = −(1/N) Σₙ Σ_c y_{n,c} log softmax(ŷₙ)_c, and ∂L/∂ŷₙ = (softmax(ŷₙ) − yₙ)/N.
 * The gradient is written with differentiable ops (a max-shifted exponential), so that the
 * hand-written inner backward pass of `mlp` gives exact second-order MAML meta-gradients through
 * the softmax (Finn et al. 2017, few-shot classification). The model's output is the logits:
 * one unit per class of an N-way episode, at least 2 (a single logit throws a `RangeError`).
 * That gradient is the loss's only for target rows that sum to 1 (for a row sum s it is
 * (s·softmax(ŷₙ) − yₙ)/N), so the learners' data entry points (`checkEpisodes` with this loss,
 * `metaGradients`, `metaStep`, `metaTrain`, `metaTest`, `clone().adapt`) refuse a target row that
 * is not a probability vector (negative, multi-hot, all zero, a class index) with a `DataError`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { softmaxCrossEntropy } from "./inner.ts";
 * const logits = tf.zeros([1, 2, 4]) as import("../deps/tf.ts").tf.Tensor3D;
 * const target = tf.oneHot([[0, 3]], 4).toFloat() as import("../deps/tf.ts").tf.Tensor3D;
 * softmaxCrossEntropy.value(logits, target).print(); // [log 4 ≈ 1.386]
 * ```
 */
export const softmaxCrossEntropy: TaskLoss = {
  value: (prediction, target) =>
    tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(classLogits(prediction))), 2), 1)),
  outputGradient: (prediction, target) =>
    tf.div(tf.sub(softmax(classLogits(prediction)), target), prediction.shape[1]),
};

/**
 * The logits, after checking there are at least 2 classes: the softmax of a single logit is 1,
 * which would make the loss 0 whatever the model does.
 */
function classLogits(prediction: tf.Tensor3D): tf.Tensor3D {
  if (prediction.shape[2] < 2) {
    throw new RangeError(
      `softmaxCrossEntropy: predictions [${prediction.shape}] have ${prediction.shape[2]} ` +
        "output, need at least 2 (one logit per class)",
    );
  }
  return prediction;
}

/** Softmax over the last axis from exp, sum and div (each with a plain first derivative). */
function softmax(logits: tf.Tensor3D): tf.Tensor3D {
  // The shift by the row maximum is a constant for the gradient: softmax does not depend on it.
  const shift = tf.tensor(tf.max(logits, 2, true).dataSync(), [...logits.shape.slice(0, 2), 1]);
  const e = tf.exp(tf.sub(logits, shift));
  return tf.div(e, tf.sum(e, 2, true));
}

/** How the inner loop updates parameters (see the module documentation for the formula). */
export interface InnerRule {
  /** Learning rate per parameter tensor: a number, a scalar tensor or a tensor of its shape. */
  readonly lrs: readonly (number | tf.Tensor)[];
  /** Whether each parameter tensor adapts (ANIL adapts only the head). */
  readonly adapts: readonly boolean[];
  /** Optional per-step scales s_k (scalar tensors or numbers). */
  readonly stepScales?: readonly (number | tf.Tensor)[];
  /** Optional weight decay λ (number or scalar tensor). */
  readonly weightDecay?: number | tf.Tensor;
}

/** Options of {@linkcode adaptParams}. */
export interface AdaptOptions {
  /** Number of inner steps (an integer ≥ 0). */
  readonly steps: number;
  /** Treat support gradients as constants (first-order MAML); default false. */
  readonly firstOrder?: boolean;
  /** Per-task loss; default {@linkcode mse}. */
  readonly loss?: TaskLoss;
}

/**
 * A copy that carries no gradient: outside any tape it only costs a copy, inside `tf.grads`
 * it cuts the path, which is what first-order MAML means.
 */
function detach(t: tf.Tensor): tf.Tensor {
  return tf.tensor(t.dataSync(), t.shape, t.dtype);
}

/**
 * Repeats unbatched parameters `[...shape]` along a new leading task axis `[T, ...shape]`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { tileTasks } from "./inner.ts";
 * const [w] = tileTasks([tf.ones([2, 3])], 4); // shape [4, 2, 3]
 * ```
 */
export function tileTasks(params: readonly tf.Tensor[], tasks: number): tf.Tensor[] {
  // A broadcasting add, not tf.tile or tf.broadcastTo (which runs the Tile kernel): its
  // gradient is one sum, while Tile's is a slice and an add per copy.
  return params.map((p) => tf.add(tf.zeros([tasks, ...p.shape]), p));
}

/**
 * Each task's support-loss gradient with respect to the adapted parameters: from the model's
 * `parameterGradients` and the loss's `outputGradient` when both exist (differentiable exactly),
 * else from `tf.grads` (first derivatives only: a nested `tf.grads` over it drops terms).
 */
function supportGradients(
  model: FunctionalModel,
  params: readonly tf.Tensor[],
  adapted: readonly number[],
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  loss: TaskLoss,
): tf.Tensor[] {
  const outputGradient = loss.outputGradient;
  if (model.parameterGradients && outputGradient) {
    const all = model.parameterGradients(params, x, (prediction) => outputGradient(prediction, y));
    return adapted.map((i) => all[i]);
  }
  const moving = adapted.map((i) => params[i]);
  const supportLoss = (...values: tf.Tensor[]): tf.Scalar => {
    const full = [...params];
    adapted.forEach((i, j) => (full[i] = values[j]));
    return tf.sum(loss.value(model.forward(full, x), y));
  };
  // Summing task losses gives each task's own gradient in its slice of the batched params.
  return tf.grads(supportLoss)(moving);
}

/**
 * Adapts task-batched parameters `[T, ...shape]` on support data `x` `[T, K, in]`, `y`
 * `[T, K, out]`; returns the adapted parameters (new tensors; unadapted ones are returned as
 * given). Differentiable with respect to the parameters and every tensor in `rule`. Throws,
 * naming the argument, for a count of `params` other than the model's parameters, a `rule.lrs`
 * or `rule.adapts` without one entry per parameter tensor, `options.steps` that is not an
 * integer ≥ 0, an `x` that is not `[T, K, in]`, or a `params[i]` whose shape is not
 * `[T, ...model.paramShapes[i]]` (unbatched parameters: repeat them with {@linkcode tileTasks}).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { adaptParams, tileTasks } from "./inner.ts";
 * import { mlp } from "./model.ts";
 * import { Rng } from "../random/rng.ts";
 * const model = mlp({ sizes: [1, 8, 1] });
 * const theta = model.init(new Rng(0)).map((v, i) => tf.tensor(v, [...model.paramShapes[i]]));
 * const x = tf.randomUniform([3, 5, 1], -5, 5) as import("../deps/tf.ts").tf.Tensor3D;
 * const fast = adaptParams(model, tileTasks(theta, 3), x, tf.sin(x), {
 *   lrs: theta.map(() => 0.01),
 *   adapts: theta.map(() => true),
 * }, { steps: 5 });
 * ```
 */
export function adaptParams(
  model: FunctionalModel,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  rule: InnerRule,
  options: AdaptOptions,
): tf.Tensor[] {
  checkAdaptArguments(model, params, x, rule, options);
  const loss = options.loss ?? mse;
  const adapted = params.map((_, i) => i).filter((i) => rule.adapts[i]);
  let current = [...params];
  for (let k = 0; k < options.steps; k++) {
    const grads = supportGradients(model, current, adapted, x, y, loss);
    const scale = rule.stepScales?.length
      ? rule.stepScales[Math.min(k, rule.stepScales.length - 1)]
      : 1;
    const next = [...current];
    adapted.forEach((i, j) => {
      const g = options.firstOrder ? detach(grads[j]) : grads[j];
      const direction = rule.weightDecay === undefined
        ? g
        : tf.add(g, tf.mul(rule.weightDecay, current[i]));
      const factor = tf.mul(rule.lrs[i], scale);
      next[i] = fusable(factor, direction, current[i])
        ? cpuStep(current[i], factor, direction)
        : tf.sub(current[i], tf.mul(factor, direction));
    });
    current = next;
  }
  return current;
}

/**
 * Whether `current − factor·direction` can be taken in one loop (`cpuStep`): on the `cpu`
 * backend, outside any gradient tape (evaluation: nothing differentiates through it), on float32
 * tensors of one shape with a factor that is a scalar or of that shape without its task axis.
 */
function fusable(factor: tf.Tensor, direction: tf.Tensor, current: tf.Tensor): boolean {
  if (tf.getBackend() !== "cpu" || tf.engine().isTapeOn()) return false;
  if (factor.dtype !== "float32" || direction.dtype !== "float32" || current.dtype !== "float32") {
    return false;
  }
  const shape = direction.shape;
  if (current.shape.length !== shape.length || current.shape.some((d, j) => d !== shape[j])) {
    return false;
  }
  return factor.size === 1 && factor.rank === 0 ||
    factor.rank === shape.length - 1 && factor.shape.every((d, j) => d === shape[j + 1]);
}

/**
 * `current − factor·direction` by one loop, with the rounding of the two float32 kernels it
 * replaces (`tf.mul`, then `tf.sub`, each result rounded to float32): the same values.
 */
function cpuStep(current: tf.Tensor, factor: tf.Tensor, direction: tf.Tensor): tf.Tensor {
  const c = current.dataSync() as Float32Array;
  const f = factor.dataSync() as Float32Array;
  const d = direction.dataSync() as Float32Array;
  const out = new Float32Array(c.length);
  const period = f.length;
  for (let k = 0; k < c.length; k++) out[k] = c[k] - Math.fround(f[k % period] * d[k]);
  return tf.tensor(out, current.shape, "float32");
}

/**
 * The checks of {@linkcode adaptParams}, on counts (one per parameter tensor) and the shapes of
 * `params` (task-batched like `x`): the values are left to the caller (a learner's own are valid
 * by construction).
 */
function checkAdaptArguments(
  model: FunctionalModel,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  rule: InnerRule,
  options: AdaptOptions,
): void {
  parseOrThrow(nonNegativeIntSchema, options.steps, "adaptParams: options.steps");
  const count = model.paramShapes.length;
  const lists = [
    ["params", params],
    ["rule.lrs", rule.lrs],
    ["rule.adapts", rule.adapts],
  ] as const;
  for (const [name, list] of lists) {
    if (!Array.isArray(list) || list.length !== count) {
      throw new RangeError(
        `adaptParams: ${name}: needs one entry per parameter tensor (${count}), got ` +
          (Array.isArray(list) ? list.length : typeof list),
      );
    }
  }
  if (x?.rank !== 3) {
    throw new RangeError(
      `adaptParams: x: must be [tasks, points, inputDim], got [${x?.shape ?? typeof x}]`,
    );
  }
  const tasks = x.shape[0];
  params.forEach((p, i) => {
    const expected = [tasks, ...model.paramShapes[i]];
    if (p?.rank !== expected.length || expected.some((d, a) => p.shape[a] !== d)) {
      throw new RangeError(
        `adaptParams: params[${i}]: shape [${p?.shape ?? typeof p}], expected ` +
          `[T, ...shape] = [${expected}] (T = ${tasks}, the tasks of x; unbatched parameters are ` +
          "repeated per task by tileTasks(params, T))",
      );
    }
  });
}
