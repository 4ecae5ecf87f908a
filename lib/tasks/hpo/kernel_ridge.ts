/**
 * Kernel ridge regression on centred targets, the kernel-ridge model of the HPO tasks:
 * scikit-learn's `KernelRidge` (which has no intercept) fitted to y − ȳ, with ȳ added back. It is
 * close to the least-squares SVM of Suykens & Vandewalle 1999, whose intercept solves a bordered
 * system instead of being the training mean. Plain TypeScript in float64, no TensorFlow.js, no
 * randomness.
 *
 * With the training rows X (n × d), the kernel matrix K = k(X, X) and centred targets
 * Ỹ = Y − ȳ (one column per output), the fit solves (K + α·I)·A = Ỹ by Cholesky; a prediction
 * is f(z) = k(z, X)·A + ȳ. Kernels, with γ > 0:
 * - `rbf`: k(x, z) = exp(−γ·‖x − z‖²);
 * - `laplacian`: k(x, z) = exp(−γ·‖x − z‖₁).
 *
 * Regression uses the (standardised) target as one output. Classification regresses the class
 * indicators (one output per class, 1 for the row's class and 0 otherwise): the predicted class
 * is the largest output (ties to the lower index), and the class probabilities for the
 * cross-entropy are the outputs floored at 1e-15 and rescaled to sum to one.
 *
 * @module
 */
import type { PreparedDataset } from "../../data/mod.ts";
import { cholesky, choleskySolve } from "../../linalg/cholesky.ts";
import {
  classificationScores,
  PROBABILITY_FLOOR,
  regressionScores,
  type RowMajorMatrix,
  splitMatrix,
  type SplitScores,
  targetStandardiser,
} from "./scores.ts";

/** The kernels of {@linkcode kernelRidgeFit}, in a fixed order. */
export const KERNEL_RIDGE_KERNELS: readonly KernelRidgeKernel[] = Object.freeze([
  "rbf",
  "laplacian",
]);

/** A kernel of kernel ridge regression (see the module documentation for the formulas). */
export type KernelRidgeKernel = "rbf" | "laplacian";

/** Settings of kernel ridge regression. */
export interface KernelRidgeSettings {
  /** The ridge penalty α added to the kernel matrix's diagonal (> 0). */
  readonly alpha: number;
  /** The kernel's inverse length scale γ (> 0). */
  readonly gamma: number;
  /** The kernel. */
  readonly kernel: KernelRidgeKernel;
}

/** A fitted kernel ridge regression. */
export interface KernelRidgeModel {
  /** The settings it was fitted with. */
  readonly settings: KernelRidgeSettings;
  /** Number of outputs. */
  readonly outputs: number;
  /**
   * Predictions for every row of `query` (row-major, `outputs` per row).
   *
   * @throws {RangeError} naming the argument when its columns differ from the training rows'.
   */
  predict(query: RowMajorMatrix): Float64Array;
}

/** k(x, z) for rows x of `a` at `ia` and z of `b` at `ib`. */
function kernelValue(
  a: ArrayLike<number>,
  ia: number,
  b: ArrayLike<number>,
  ib: number,
  cols: number,
  settings: KernelRidgeSettings,
): number {
  let s = 0;
  if (settings.kernel === "rbf") {
    for (let c = 0; c < cols; c++) {
      const diff = a[ia + c] - b[ib + c];
      s += diff * diff;
    }
  } else {
    for (let c = 0; c < cols; c++) s += Math.abs(a[ia + c] - b[ib + c]);
  }
  return Math.exp(-settings.gamma * s);
}

function checkSettings(settings: KernelRidgeSettings, where: string): void {
  for (const key of ["alpha", "gamma"] as const) {
    const v = settings[key];
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`${where}.settings.${key}: must be a finite number > 0, got ${v}`);
    }
  }
  if (!KERNEL_RIDGE_KERNELS.includes(settings.kernel)) {
    throw new RangeError(
      `${where}.settings.kernel: must be one of ${KERNEL_RIDGE_KERNELS.join(", ")}, got ${
        JSON.stringify(settings.kernel)
      }`,
    );
  }
}

/**
 * Fits kernel ridge regression to the rows of `train` and `targets` (row-major, `outputs`
 * columns: n × outputs values).
 *
 * @throws {RangeError} naming the argument for bad settings, shapes or non-finite values.
 * @example
 * ```ts
 * import { kernelRidgeFit } from "./kernel_ridge.ts";
 * const train = { data: [0, 1, 2, 3], rows: 4, cols: 1 };
 * const model = kernelRidgeFit(train, [0, 1, 4, 9], 1, { alpha: 1e-6, gamma: 1, kernel: "rbf" });
 * model.predict({ data: [2], rows: 1, cols: 1 })[0]; // ≈ 4 (nearly interpolates)
 * ```
 */
export function kernelRidgeFit(
  train: RowMajorMatrix,
  targets: ArrayLike<number>,
  outputs: number,
  settings: KernelRidgeSettings,
): KernelRidgeModel {
  checkSettings(settings, "kernelRidgeFit");
  const { rows: n, cols } = train;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`kernelRidgeFit.train.rows: must be a positive integer, got ${n}`);
  }
  if (train.data.length !== n * cols) {
    throw new RangeError(`kernelRidgeFit.train.data: must hold rows × cols = ${n * cols} values`);
  }
  if (!Number.isInteger(outputs) || outputs < 1) {
    throw new RangeError(`kernelRidgeFit.outputs: must be a positive integer, got ${outputs}`);
  }
  if (targets.length !== n * outputs) {
    throw new RangeError(
      `kernelRidgeFit.targets: must hold rows × outputs = ${
        n * outputs
      } values, got ${targets.length}`,
    );
  }
  for (let i = 0; i < train.data.length; i++) {
    if (!Number.isFinite(train.data[i])) {
      throw new RangeError(`kernelRidgeFit.train.data[${i}]: must be finite, got ${train.data[i]}`);
    }
  }
  for (let i = 0; i < targets.length; i++) {
    if (!Number.isFinite(targets[i])) {
      throw new RangeError(`kernelRidgeFit.targets[${i}]: must be finite, got ${targets[i]}`);
    }
  }
  const x = Float64Array.from(train.data);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = kernelValue(x, i * cols, x, j * cols, cols, settings);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
    k[i * n + i] += settings.alpha;
  }
  // K + αI is positive definite for α > 0; the jitter fallback only guards round-off.
  const { lower } = cholesky(k, n);
  const means = new Float64Array(outputs);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < outputs; o++) means[o] += targets[i * outputs + o] / n;
  }
  // Dual coefficients, one column per output, stored output-major (outputs × n).
  const coefficients = new Float64Array(outputs * n);
  const column = new Float64Array(n);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < n; i++) column[i] = targets[i * outputs + o] - means[o];
    coefficients.set(choleskySolve(lower, n, column), o * n);
  }
  return Object.freeze({
    settings: Object.freeze({ ...settings }),
    outputs,
    predict(query: RowMajorMatrix): Float64Array {
      if (query.cols !== cols) {
        throw new RangeError(
          `kernelRidge.predict.query.cols: must equal the training rows' (${cols}), got ${query.cols}`,
        );
      }
      if (query.data.length !== query.rows * cols) {
        throw new RangeError(
          `kernelRidge.predict.query.data: must hold rows × cols = ${query.rows * cols} values`,
        );
      }
      const out = new Float64Array(query.rows * outputs);
      const row = new Float64Array(n);
      for (let q = 0; q < query.rows; q++) {
        for (let i = 0; i < n; i++) {
          row[i] = kernelValue(query.data, q * cols, x, i * cols, cols, settings);
        }
        for (let o = 0; o < outputs; o++) {
          let s = means[o];
          const base = o * n;
          for (let i = 0; i < n; i++) s += row[i] * coefficients[base + i];
          out[q * outputs + o] = s;
        }
      }
      return out;
    },
  });
}

/**
 * Fits kernel ridge regression with `config` on `data.train` and scores it on `data.validation`
 * and `data.test`, with the scores of the other HPO models: regression on the standardised
 * target (`error` its RMSE); classification by regression on the class indicators (see the
 * module documentation). `steps` is the number of kernel evaluations (training rows × (training +
 * scored rows)), a deterministic cost.
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { fitAndScoreKernelRidge } from "./kernel_ridge.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = fitAndScoreKernelRidge(data, { alpha: 0.1, gamma: 0.2, kernel: "rbf" });
 * outcome.validation.error; // misclassification rate of the validation rows
 * ```
 */
export function fitAndScoreKernelRidge(
  data: PreparedDataset,
  config: KernelRidgeSettings,
): { validation: SplitScores; test: SplitScores; steps: number } {
  const matrix = (split: PreparedDataset["train"]) => splitMatrix(data, split);
  const n = data.train.size;
  const steps = n * (n + data.validation.size + data.test.size);
  if (data.task === "classification") {
    const classes = data.classLabels.length;
    const indicators = new Float64Array(n * classes);
    for (let i = 0; i < n; i++) indicators[i * classes + data.train.y[i]] = 1;
    const model = kernelRidgeFit(matrix(data.train), indicators, classes, config);
    const score = (split: PreparedDataset["train"]) => {
      const outputs = model.predict(matrix(split));
      const logProbabilities = new Float64Array(outputs.length);
      let wrong = 0;
      for (let r = 0; r < split.size; r++) {
        let total = 0;
        let best = 0;
        for (let c = 0; c < classes; c++) {
          const v = outputs[r * classes + c];
          total += Math.max(v, PROBABILITY_FLOOR);
          if (v > outputs[r * classes + best]) best = c;
        }
        if (best !== split.y[r]) wrong++;
        for (let c = 0; c < classes; c++) {
          logProbabilities[r * classes + c] = Math.log(
            Math.max(outputs[r * classes + c], PROBABILITY_FLOOR) / total,
          );
        }
      }
      // The error from the raw outputs (floored ones could tie); the loss from the probabilities.
      const { loss } = classificationScores(logProbabilities, split.y, classes);
      return { error: wrong / split.size, loss };
    };
    return { validation: score(data.validation), test: score(data.test), steps };
  }
  const standardise = targetStandardiser(data);
  const model = kernelRidgeFit(matrix(data.train), standardise(data.train.y), 1, config);
  const score = (split: PreparedDataset["train"]) =>
    regressionScores(model.predict(matrix(split)), standardise(split.y));
  return { validation: score(data.validation), test: score(data.test), steps };
}
