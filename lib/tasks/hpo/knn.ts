/**
 * Weighted k-nearest neighbours (Hechenbichler & Schliep 2004, "Weighted k-Nearest-Neighbor
 * Techniques and Ordinal Classification", the method of R's `kknn`), the k-NN model of the HPO
 * tasks: plain TypeScript, no TensorFlow.js, no training (the training rows are the model).
 *
 * For a query x, let D₁ ≤ … ≤ D_k be the Minkowski distances (exponent p) to its k nearest
 * training rows and D_{k+1} the next one. Each neighbour gets the weight K(d_j) of its
 * standardised distance d_j = D_j / max(D_{k+1}, 1e-6), clipped to [1e-6, 1 − 1e-6], with the
 * kernel K one of:
 * - `rectangular`: 1 (the unweighted vote);
 * - `triangular`: 1 − d;
 * - `epanechnikov`: ¾(1 − d²);
 * - `biweight`: (15/8)(1 − d²)² (`kknn`'s `dbeta((d + 1) / 2, 3, 3)`);
 * - `gaussian`: φ(d·|Φ⁻¹(1 / (2(k + 1)))|), the standard normal density;
 * - `inv`: 1 / d.
 *
 * Classification: class probabilities are the weights' shares per class; regression: the weighted
 * mean of the neighbours' targets. Distance ties keep the training row that comes first. When
 * the training set has at most k rows, k becomes its size minus one (at least 1).
 *
 * Features are used as given. `kknn` (`scale = TRUE`) divides each column by its standard
 * deviation, pools it over the dummy columns of a factor and gives a constant column no weight;
 * the HPO tasks pass features standardised by `prepareDataset` instead (training mean and
 * standard deviation, 1 for a constant column; one-hot columns each on their own).
 *
 * @module
 */
import type { PreparedDataset } from "../../data/mod.ts";
import { normalPdf } from "../../acquisition/normal.ts";
import { normalQuantile } from "../../stats/mod.ts";
import {
  probabilityScores,
  regressionScores,
  type RowMajorMatrix,
  splitMatrix,
  type SplitScores,
  targetStandardiser,
} from "./scores.ts";

/** The kernels of {@linkcode kknnWeights}, in a fixed order. */
export const KNN_KERNELS: readonly KnnKernel[] = Object.freeze([
  "rectangular",
  "triangular",
  "epanechnikov",
  "biweight",
  "gaussian",
  "inv",
]);

/** A kernel of weighted k-NN (see the module documentation for the formulas). */
export type KnnKernel =
  | "rectangular"
  | "triangular"
  | "epanechnikov"
  | "biweight"
  | "gaussian"
  | "inv";

/** Settings of weighted k-NN. */
export interface KnnSettings {
  /** Neighbours per prediction (a positive integer). */
  readonly k: number;
  /** Exponent of the Minkowski distance (≥ 1: 1 Manhattan, 2 Euclidean). */
  readonly p: number;
  /** Weight of a neighbour as a function of its standardised distance. */
  readonly kernel: KnnKernel;
}

/** Smallest standardised distance and largest, as in `kknn`. */
const EDGE = 1e-6;

/**
 * The weights `kknn` gives the k nearest neighbours of a query from their distances (ascending)
 * and the distance to the (k+1)-th neighbour.
 *
 * @throws {RangeError} naming the argument for an unknown kernel or no distances.
 * @example
 * ```ts
 * import { kknnWeights } from "./knn.ts";
 * kknnWeights([0, 1], 2, "triangular"); // [1 − 1e-6, 0.5]
 * ```
 */
export function kknnWeights(
  distances: ArrayLike<number>,
  next: number,
  kernel: KnnKernel,
): Float64Array {
  const k = distances.length;
  if (k === 0) throw new RangeError("kknnWeights.distances: needs at least one distance");
  const scale = Math.max(next, EDGE);
  const weights = new Float64Array(k);
  const q = kernel === "gaussian" ? Math.abs(normalQuantile(1 / (2 * (k + 1)))) : 0;
  for (let j = 0; j < k; j++) {
    const d = Math.min(Math.max(distances[j] / scale, EDGE), 1 - EDGE);
    switch (kernel) {
      case "rectangular":
        weights[j] = 1;
        break;
      case "triangular":
        weights[j] = 1 - d;
        break;
      case "epanechnikov":
        weights[j] = 0.75 * (1 - d * d);
        break;
      case "biweight":
        weights[j] = (15 / 8) * (1 - d * d) ** 2;
        break;
      case "gaussian":
        weights[j] = normalPdf(d * q);
        break;
      case "inv":
        weights[j] = 1 / d;
        break;
      default:
        throw new RangeError(
          `kknnWeights.kernel: must be one of ${KNN_KERNELS.join(", ")}, got ${
            JSON.stringify(kernel)
          }`,
        );
    }
  }
  return weights;
}

/**
 * The `k + 1` nearest training rows of every query row: for query i, `index[i·(k+1) + j]` is the
 * j-th nearest training row and `distance[…]` its Minkowski distance (ascending; ties keep the
 * earlier training row).
 */
function nearest(
  train: RowMajorMatrix,
  query: RowMajorMatrix,
  count: number,
  p: number,
): { index: Int32Array; distance: Float64Array } {
  const { cols } = train;
  const index = new Int32Array(query.rows * count);
  const distance = new Float64Array(query.rows * count);
  const sums = new Float64Array(count);
  const rows = new Int32Array(count);
  const x = train.data;
  const z = query.data;
  for (let i = 0; i < query.rows; i++) {
    let filled = 0;
    const qi = i * cols;
    for (let r = 0; r < train.rows; r++) {
      const tr = r * cols;
      let s = 0;
      if (p === 1) {
        for (let c = 0; c < cols; c++) s += Math.abs(z[qi + c] - x[tr + c]);
      } else if (p === 2) {
        for (let c = 0; c < cols; c++) {
          const diff = z[qi + c] - x[tr + c];
          s += diff * diff;
        }
      } else {
        for (let c = 0; c < cols; c++) s += Math.abs(z[qi + c] - x[tr + c]) ** p;
      }
      // Insertion into the sorted buffer of the `count` smallest sums; strict comparisons keep
      // the earlier row first among ties.
      if (filled === count && s >= sums[count - 1]) continue;
      let j = filled < count ? filled++ : count - 1;
      while (j > 0 && sums[j - 1] > s) {
        sums[j] = sums[j - 1];
        rows[j] = rows[j - 1];
        j--;
      }
      sums[j] = s;
      rows[j] = r;
    }
    for (let j = 0; j < count; j++) {
      index[i * count + j] = rows[j];
      distance[i * count + j] = p === 1
        ? sums[j]
        : p === 2
        ? Math.sqrt(sums[j])
        : sums[j] ** (1 / p);
    }
  }
  return { index, distance };
}

function checkInputs(
  train: RowMajorMatrix,
  targets: ArrayLike<number>,
  query: RowMajorMatrix,
  settings: KnnSettings,
  where: string,
): number {
  if (!Number.isInteger(settings.k) || settings.k < 1) {
    throw new RangeError(`${where}.settings.k: must be a positive integer, got ${settings.k}`);
  }
  if (!(settings.p >= 1) || !Number.isFinite(settings.p)) {
    throw new RangeError(`${where}.settings.p: must be a finite number ≥ 1, got ${settings.p}`);
  }
  if (!KNN_KERNELS.includes(settings.kernel)) {
    throw new RangeError(
      `${where}.settings.kernel: must be one of ${KNN_KERNELS.join(", ")}, got ${
        JSON.stringify(settings.kernel)
      }`,
    );
  }
  if (train.rows < 2) {
    throw new RangeError(`${where}.train.rows: needs at least 2, got ${train.rows}`);
  }
  if (train.data.length !== train.rows * train.cols) {
    throw new RangeError(
      `${where}.train.data: must hold rows × cols = ${train.rows * train.cols} values`,
    );
  }
  if (query.cols !== train.cols) {
    throw new RangeError(
      `${where}.query.cols: must equal train.cols (${train.cols}), got ${query.cols}`,
    );
  }
  if (query.data.length !== query.rows * query.cols) {
    throw new RangeError(
      `${where}.query.data: must hold rows × cols = ${query.rows * query.cols} values`,
    );
  }
  if (targets.length !== train.rows) {
    throw new RangeError(
      `${where}.targets: must hold train.rows = ${train.rows} values, got ${targets.length}`,
    );
  }
  return Math.min(settings.k, train.rows - 1);
}

/**
 * Class probabilities of weighted k-NN for every query row (row-major, `classes` per row).
 *
 * @throws {RangeError} naming the argument for bad settings, shapes or labels.
 * @example
 * ```ts
 * import { kknnClassify } from "./knn.ts";
 * const train = { data: [0, 1, 2, 10], rows: 4, cols: 1 };
 * const proba = kknnClassify(train, [0, 0, 0, 1], { data: [9], rows: 1, cols: 1 }, 2, {
 *   k: 1, p: 2, kernel: "rectangular",
 * });
 * proba; // [0, 1]: the nearest training row is 10, of class 1
 * ```
 */
export function kknnClassify(
  train: RowMajorMatrix,
  labels: ArrayLike<number>,
  query: RowMajorMatrix,
  classes: number,
  settings: KnnSettings,
): Float64Array {
  const k = checkInputs(train, labels, query, settings, "kknnClassify");
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new RangeError(
        `kknnClassify.labels[${i}]: must be a class index in [0, ${classes}), got ${v}`,
      );
    }
  }
  const { index, distance } = nearest(train, query, k + 1, settings.p);
  const proba = new Float64Array(query.rows * classes);
  for (let i = 0; i < query.rows; i++) {
    const o = i * (k + 1);
    const w = kknnWeights(distance.subarray(o, o + k), distance[o + k], settings.kernel);
    let total = 0;
    for (let j = 0; j < k; j++) {
      proba[i * classes + labels[index[o + j]]] += w[j];
      total += w[j];
    }
    for (let c = 0; c < classes; c++) proba[i * classes + c] /= total;
  }
  return proba;
}

/**
 * Predictions of weighted k-NN regression (the weighted mean of the neighbours' targets).
 *
 * @throws {RangeError} naming the argument for bad settings or shapes.
 * @example
 * ```ts
 * import { kknnRegress } from "./knn.ts";
 * const train = { data: [0, 1, 2, 10], rows: 4, cols: 1 };
 * kknnRegress(train, [0, 1, 2, 10], { data: [0.9], rows: 1, cols: 1 }, {
 *   k: 2, p: 1, kernel: "rectangular",
 * }); // [0.5]: the mean of the targets of rows 1 and 0
 * ```
 */
export function kknnRegress(
  train: RowMajorMatrix,
  targets: ArrayLike<number>,
  query: RowMajorMatrix,
  settings: KnnSettings,
): Float64Array {
  const k = checkInputs(train, targets, query, settings, "kknnRegress");
  const { index, distance } = nearest(train, query, k + 1, settings.p);
  const out = new Float64Array(query.rows);
  for (let i = 0; i < query.rows; i++) {
    const o = i * (k + 1);
    const w = kknnWeights(distance.subarray(o, o + k), distance[o + k], settings.kernel);
    let total = 0;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      sum += w[j] * targets[index[o + j]];
      total += w[j];
    }
    out[i] = sum / total;
  }
  return out;
}

/**
 * Scores weighted k-NN with `config` (the training rows of `data` as neighbours) on
 * `data.validation` and `data.test`, with the scores of the other HPO models. Regression uses
 * the standardised target, so `error` is the RMSE on that scale; classification cross-entropy
 * clips probabilities at 1e-15. `steps` is the number of distances computed (training rows ×
 * scored rows), a deterministic cost. k-NN draws no random numbers.
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { fitAndScoreKnn } from "./knn.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = fitAndScoreKnn(data, { k: 7, p: 2, kernel: "triangular" });
 * outcome.validation.error; // misclassification rate of the validation rows
 * ```
 */
export function fitAndScoreKnn(
  data: PreparedDataset,
  config: KnnSettings,
): { validation: SplitScores; test: SplitScores; steps: number } {
  const matrix = (split: PreparedDataset["train"]) => splitMatrix(data, split);
  const train = matrix(data.train);
  const steps = data.train.size * (data.validation.size + data.test.size);
  if (data.task === "classification") {
    const classes = data.classLabels.length;
    const score = (split: PreparedDataset["train"]) => {
      const proba = kknnClassify(train, data.train.y, matrix(split), classes, config);
      return probabilityScores(proba, split.y, classes);
    };
    return { validation: score(data.validation), test: score(data.test), steps };
  }
  const standardise = targetStandardiser(data);
  const targets = standardise(data.train.y);
  const score = (split: PreparedDataset["train"]) =>
    regressionScores(kknnRegress(train, targets, matrix(split), config), standardise(split.y));
  return { validation: score(data.validation), test: score(data.test), steps };
}
