/**
 * Training and scoring of the HPO models with tfjs: a dense network (no hidden layer = softmax or
 * linear regression) trained by Adam (or the optimiser of `settings.optimizer`: SGD with momentum,
 * Adam with its β's, RMSProp) on shuffled minibatches, scored on the validation and test rows. Every random choice (initial weights, minibatch order, dropout masks) comes from one
 * {@linkcode Rng}, in JavaScript, so a seed fixes the run on a given backend.
 *
 * Metrics (lower is better):
 * - classification: `error` is the misclassification rate (argmax of the logits; ties go to the
 *   lower class index), `loss` the mean cross-entropy in nats;
 * - regression: the target is standardised with the training mean and standard deviation (ddof 0);
 *   `error` is the RMSE on that scale (1 ≈ predicting the training mean), `loss` the MSE.
 *
 * Training minimises the mean loss of the minibatch plus `l2 · Σ w²` over the weight matrices
 * (biases are not penalised). A run whose training loss (read at the end of every epoch) or whose
 * predictions are not finite has diverged: it reports a failure instead of scores.
 *
 * @module
 */
import { tf } from "../../deps/tf.ts";
import type { PreparedDataset } from "../../data/mod.ts";
import type { Rng } from "../../random/rng.ts";
import { classificationScores, regressionScores, type SplitScores, targetScale } from "./scores.ts";

/**
 * The optimiser of a training run and its own hyperparameters (tfjs `tf.train.*`):
 * - `sgd`: SGD with heavy-ball `momentum` in [0, 1) (0: plain SGD), optionally Nesterov's;
 * - `adam`: Adam with `beta1`, `beta2` (Kingma & Ba 2015; tfjs's ε = 1e-7);
 * - `rmsprop`: RMSProp with decay `rho` (Tieleman & Hinton 2012; tfjs's ε = 1e-7, no momentum).
 */
export type OptimizerSettings =
  | { name: "sgd"; momentum: number; nesterov?: boolean }
  | { name: "adam"; beta1: number; beta2: number }
  | { name: "rmsprop"; rho: number };

/** Hyperparameters of one training run (the union of the models' spaces). */
export interface TrainingSettings {
  /** Learning rate. */
  lr: number;
  /** The optimiser; default Adam with tfjs's defaults (β₁ = 0.9, β₂ = 0.999). */
  optimizer?: OptimizerSettings;
  /** L2 weight on the weight matrices. */
  l2: number;
  /** Width of each hidden layer (empty: softmax / linear regression). */
  hidden: readonly number[];
  /** Drop probability after each hidden layer (inverted dropout). */
  dropout: number;
  /** Minibatch size (the last batch of an epoch may be smaller). */
  batchSize: number;
  /** Passes over the training rows. */
  epochs: number;
}

export { classificationScores, regressionScores, type SplitScores, targetScale } from "./scores.ts";

/** The outcome of {@linkcode trainAndScore}: scores, or why training failed. */
export type TrainingOutcome =
  | { status: "complete"; validation: SplitScores; test: SplitScores; steps: number }
  | { status: "failed"; reason: string; steps: number };

/** Where a layer's weights (`fanIn × fanOut`, row-major) and then its bias sit in the flat vector. */
interface Layer {
  offset: number;
  fanIn: number;
  fanOut: number;
}

/**
 * Trains the network described by `settings` on `data.train` and scores it on `data.validation`
 * and `data.test`. Synchronous: tfjs must already have a ready backend. Every tensor it creates is
 * disposed before it returns or throws.
 *
 * @example
 * ```ts
 * import { tf } from "../../deps/tf.ts";
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * import { trainAndScore } from "./train.ts";
 * await tf.setBackend("cpu");
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = trainAndScore(data, {
 *   lr: 0.05, l2: 1e-4, hidden: [16], dropout: 0, batchSize: 16, epochs: 20,
 * }, new Rng(0));
 * if (outcome.status === "complete") outcome.validation.error; // ≈ 0.03
 * ```
 */
export function trainAndScore(
  data: PreparedDataset,
  settings: TrainingSettings,
  rng: Rng,
): TrainingOutcome {
  const classification = data.task === "classification";
  const inputs = data.numFeatures;
  const outputs = classification ? data.classLabels.length : 1;
  const n = data.train.size;
  const { mean, std } = targetScale(data);
  const target = (y: Float64Array) =>
    classification ? y : Float64Array.from(y, (v) => (v - mean) / std);

  const widths = [inputs, ...settings.hidden, outputs];
  const shapes = widths.slice(1).map((fanOut, l) => ({ fanIn: widths[l], fanOut }));
  const size = shapes.reduce((total, s) => total + (s.fanIn + 1) * s.fanOut, 0);
  // One flat parameter vector (weights then bias of each layer): Adam then updates one variable
  // instead of two per layer, which roughly halves the tfjs ops per step on these small networks.
  const initial = new Float32Array(size);
  const penalised = new Float32Array(size);
  const layers: Layer[] = [];
  let offset = 0;
  for (const { fanIn, fanOut } of shapes) {
    // Glorot-uniform weights drawn in JavaScript so the seed fixes them on every backend.
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const u = rng.uniforms(fanIn * fanOut);
    for (let i = 0; i < u.length; i++) {
      initial[offset + i] = (2 * u[i] - 1) * limit;
      penalised[offset + i] = 1;
    }
    layers.push({ offset, fanIn, fanOut });
    offset += (fanIn + 1) * fanOut;
  }
  const initialTensor = tf.tensor1d(initial);
  const theta = tf.variable(initialTensor, true);
  initialTensor.dispose(); // the variable holds its own reference to the data
  const l2Mask = tf.tensor1d(penalised);
  const xTrain = tf.tensor2d(Float32Array.from(data.train.x), [n, inputs]);
  const yTrain = classification
    ? tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(data.train.y), "int32"), outputs))
    : tf.tensor2d(Float32Array.from(target(data.train.y)), [n, 1]);
  const optimizer = makeOptimizer(settings.lr, settings.optimizer);
  let steps = 0;
  try {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const batch = Math.min(settings.batchSize, n);
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      shuffleInPlace(order, rng);
      let last = NaN;
      for (let start = 0; start < n; start += batch) {
        const rows = order.subarray(start, Math.min(n, start + batch));
        const masks = settings.dropout > 0
          ? settings.hidden.map((units) => dropoutMask(rng, rows.length * units, settings.dropout))
          : [];
        const isLast = start + batch >= n;
        const loss = optimizer.minimize(
          () => {
            const index = tf.tensor1d(rows, "int32");
            const logits = forward(theta, layers, tf.gather(xTrain, index), masks, rows.length);
            const yBatch = tf.gather(yTrain, index);
            const dataLoss = classification
              ? tf.neg(tf.mean(tf.sum(tf.mul(yBatch, tf.logSoftmax(logits)), 1)))
              : tf.mean(tf.square(tf.sub(logits, yBatch)));
            if (settings.l2 === 0) return dataLoss as tf.Scalar;
            const penalty = tf.sum(tf.mul(tf.square(theta), l2Mask));
            return tf.add(dataLoss, tf.mul(settings.l2, penalty)) as tf.Scalar;
          },
          isLast,
          [theta],
        );
        steps++;
        if (loss) {
          last = loss.dataSync()[0];
          loss.dispose();
        }
      }
      if (!Number.isFinite(last)) {
        return {
          status: "failed",
          reason: `training diverged: loss ${last} at the end of epoch ${epoch + 1}`,
          steps,
        };
      }
    }
    const score = (split: PreparedDataset["validation"], name: string): SplitScores | string => {
      const predictions = tf.tidy(() =>
        forward(theta, layers, tf.tensor2d(Float32Array.from(split.x), [split.size, inputs]), [], 0)
      );
      const values = predictions.dataSync() as Float32Array;
      predictions.dispose();
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) return `non-finite prediction on the ${name} rows`;
      }
      return classification
        ? classificationScores(values, split.y, outputs)
        : regressionScores(values, target(split.y));
    };
    const validation = score(data.validation, "validation");
    if (typeof validation === "string") return { status: "failed", reason: validation, steps };
    const test = score(data.test, "test");
    if (typeof test === "string") return { status: "failed", reason: test, steps };
    return { status: "complete", validation, test, steps };
  } finally {
    xTrain.dispose();
    yTrain.dispose();
    disposeOptimizer(optimizer);
    theta.dispose();
    l2Mask.dispose();
  }
}

function makeOptimizer(lr: number, settings?: OptimizerSettings): tf.Optimizer {
  switch (settings?.name) {
    case undefined:
      return tf.train.adam(lr);
    case "adam":
      return tf.train.adam(lr, settings.beta1, settings.beta2);
    case "sgd":
      return settings.momentum === 0 && !settings.nesterov
        ? tf.train.sgd(lr)
        : tf.train.momentum(lr, settings.momentum, settings.nesterov ?? false);
    case "rmsprop":
      return tf.train.rmsprop(lr, settings.rho);
  }
}

/**
 * Disposes an optimiser and every tensor it holds. tfjs 4.22's `MomentumOptimizer.dispose()`
 * frees its momentum scalar and accumulators but not the learning-rate scalar (`c`) that its
 * parent `SGDOptimizer` created (and `SGDOptimizer.dispose()` would free): that scalar is freed
 * here, once per SGD-with-momentum or Nesterov run (a no-op if tfjs already freed it).
 */
function disposeOptimizer(optimizer: tf.Optimizer): void {
  const learningRate = optimizer instanceof tf.MomentumOptimizer
    ? (optimizer as unknown as { c?: tf.Tensor }).c
    : undefined;
  optimizer.dispose();
  if (learningRate && !learningRate.isDisposed) learningRate.dispose();
}

function forward(
  theta: tf.Tensor1D,
  layers: readonly Layer[],
  x: tf.Tensor2D,
  masks: readonly Float32Array[],
  rows: number,
): tf.Tensor2D {
  let h = x;
  layers.forEach(({ offset, fanIn, fanOut }, l) => {
    const w = tf.reshape(tf.slice(theta, offset, fanIn * fanOut), [fanIn, fanOut]);
    const b = tf.slice(theta, offset + fanIn * fanOut, fanOut);
    h = tf.add(tf.matMul(h, w), b);
    if (l + 1 < layers.length) {
      h = tf.relu(h);
      if (masks.length > 0) h = tf.mul(h, tf.tensor2d(masks[l], [rows, masks[l].length / rows]));
    }
  });
  return h;
}

/** Inverted-dropout mask: 0 with probability `rate`, else 1 / (1 − rate). */
function dropoutMask(rng: Rng, size: number, rate: number): Float32Array {
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < rate ? 0 : keep;
  return mask;
}

/** Fisher–Yates with the Rng (as `Rng.shuffle`, on a typed array without copying). */
function shuffleInPlace(order: Int32Array, rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
