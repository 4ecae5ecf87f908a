/**
 * The cheap learners landmarking measures: leave-fold-out 1-nearest neighbour, Gaussian naive Bayes, linear
 * discriminant analysis and ordinary least squares, each fitted on a set of training rows of a
 * {@linkcode DesignMatrix} and predicting one row at a time. Their conventions follow
 * scikit-learn (KNeighborsClassifier with one neighbour, GaussianNB with `var_smoothing = 1e-9`,
 * LinearDiscriminantAnalysis, LinearRegression) so that reference values can be checked.
 *
 * @module
 */

import type { DesignMatrix } from "./context.ts";
import { choleskySolve, tryCholesky } from "../linalg/mod.ts";

/** Predicts the targets of the listed design rows. */
export type Predictor = (rows: Int32Array) => Float64Array;

/** Lifts a one-row prediction rule to a {@linkcode Predictor}. */
function eachRow(predict: (row: number) => number): Predictor {
  return (rows) => Float64Array.from(rows, predict);
}

/**
 * Leave-fold-out 1-nearest neighbour: for every row, the row in another fold at the smallest
 * Euclidean distance (ties: the lowest row index), i.e. the neighbour a 1-NN model trained on
 * the other folds would use. Each pair of rows is measured once and serves both rows, and four
 * rows share each pass over the others, so all folds together cost n²·d/2 operations.
 *
 * @example
 * ```ts
 * import { crossValidatedNearestNeighbour } from "./learners.ts";
 * const design = { x: Float64Array.of(0, 1, 5, 6), rows: 4, columns: 1, source: Int32Array.of(0) };
 * console.log(crossValidatedNearestNeighbour(design, Int32Array.of(0, 1, 0, 1))); // [1, 0, 3, 2]
 * ```
 */
export function crossValidatedNearestNeighbour(design: DesignMatrix, fold: Int32Array): Int32Array {
  const { x, rows: n, columns: d } = design;
  const best = new Float64Array(n).fill(Infinity);
  const nearest = new Int32Array(n).fill(-1);
  const pair = (a: number, b: number) => {
    if (fold[a] === fold[b]) return;
    let s = 0;
    for (let j = 0, oa = a * d, ob = b * d; j < d; j++) {
      const e = x[oa + j] - x[ob + j];
      s += e * e;
    }
    if (s < best[a]) (best[a] = s), (nearest[a] = b);
    if (s < best[b]) (best[b] = s), (nearest[b] = a);
  };
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    for (let a = i; a < i + 4; a++) for (let b = a + 1; b < i + 4; b++) pair(a, b);
    const o0 = i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    const f0 = fold[i], f1 = fold[i + 1], f2 = fold[i + 2], f3 = fold[i + 3];
    let b0 = best[i], b1 = best[i + 1], b2 = best[i + 2], b3 = best[i + 3];
    let r0 = nearest[i], r1 = nearest[i + 1], r2 = nearest[i + 2], r3 = nearest[i + 3];
    for (let j = i + 4, oj = j * d; j < n; j++, oj += d) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let c = 0; c < d; c++) {
        const v = x[oj + c];
        const e0 = x[o0 + c] - v, e1 = x[o1 + c] - v, e2 = x[o2 + c] - v, e3 = x[o3 + c] - v;
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      const fj = fold[j];
      // Row j's candidates arrive in increasing index order, so strict < keeps the lowest.
      if (f0 !== fj) {
        if (s0 < b0) (b0 = s0), (r0 = j);
        if (s0 < best[j]) (best[j] = s0), (nearest[j] = i);
      }
      if (f1 !== fj) {
        if (s1 < b1) (b1 = s1), (r1 = j);
        if (s1 < best[j]) (best[j] = s1), (nearest[j] = i + 1);
      }
      if (f2 !== fj) {
        if (s2 < b2) (b2 = s2), (r2 = j);
        if (s2 < best[j]) (best[j] = s2), (nearest[j] = i + 2);
      }
      if (f3 !== fj) {
        if (s3 < b3) (b3 = s3), (r3 = j);
        if (s3 < best[j]) (best[j] = s3), (nearest[j] = i + 3);
      }
    }
    best[i] = b0, best[i + 1] = b1, best[i + 2] = b2, best[i + 3] = b3;
    nearest[i] = r0, nearest[i + 1] = r1, nearest[i + 2] = r2, nearest[i + 3] = r3;
  }
  for (; i < n; i++) for (let b = i + 1; b < n; b++) pair(i, b);
  return nearest;
}

/**
 * Gaussian naive Bayes with class priors from the training frequencies and per-class variances
 * (population) plus `1e-9 ·` the largest feature variance, as scikit-learn's GaussianNB.
 */
export function fitGaussianNaiveBayes(
  design: DesignMatrix,
  train: Int32Array,
  y: Int32Array,
  classes: number,
): Predictor {
  const { x, columns: d } = design;
  const count = new Float64Array(classes);
  const means = new Float64Array(classes * d);
  const vars = new Float64Array(classes * d);
  const overallMean = new Float64Array(d);
  for (const r of train) {
    count[y[r]]++;
    for (let j = 0; j < d; j++) {
      means[y[r] * d + j] += x[r * d + j];
      overallMean[j] += x[r * d + j];
    }
  }
  for (let j = 0; j < d; j++) overallMean[j] /= train.length;
  for (let c = 0; c < classes; c++) for (let j = 0; j < d; j++) means[c * d + j] /= count[c];
  let maxVar = 0;
  const overallVar = new Float64Array(d);
  for (const r of train) {
    for (let j = 0; j < d; j++) {
      vars[y[r] * d + j] += (x[r * d + j] - means[y[r] * d + j]) ** 2;
      overallVar[j] += (x[r * d + j] - overallMean[j]) ** 2;
    }
  }
  for (let j = 0; j < d; j++) maxVar = Math.max(maxVar, overallVar[j] / train.length);
  const epsilon = 1e-9 * maxVar;
  const logNorm = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    if (count[c] === 0) continue;
    let s = Math.log(count[c] / train.length);
    for (let j = 0; j < d; j++) {
      vars[c * d + j] = vars[c * d + j] / count[c] + epsilon;
      s -= 0.5 * Math.log(2 * Math.PI * vars[c * d + j]);
    }
    logNorm[c] = s;
  }
  return eachRow((row) => {
    let best = -Infinity, bestClass = 0;
    for (let c = 0; c < classes; c++) {
      if (count[c] === 0) continue;
      let s = logNorm[c];
      for (let j = 0; j < d; j++) {
        s -= (x[row * d + j] - means[c * d + j]) ** 2 / (2 * vars[c * d + j]);
      }
      if (s > best) {
        best = s;
        bestClass = c;
      }
    }
    return bestClass;
  });
}

/**
 * Linear discriminant analysis: class means, pooled within-class covariance divided by
 * (n − classes), priors from training frequencies. Returns undefined when the pooled covariance
 * is singular.
 */
export function fitLinearDiscriminant(
  design: DesignMatrix,
  train: Int32Array,
  y: Int32Array,
  classes: number,
): Predictor | undefined {
  const { x, columns: d } = design;
  const count = new Float64Array(classes);
  const means = new Float64Array(classes * d);
  for (const r of train) {
    count[y[r]]++;
    for (let j = 0; j < d; j++) means[y[r] * d + j] += x[r * d + j];
  }
  const present = [...count.keys()].filter((c) => count[c] > 0);
  for (const c of present) for (let j = 0; j < d; j++) means[c * d + j] /= count[c];
  const cov = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (const r of train) {
    for (let j = 0; j < d; j++) diff[j] = x[r * d + j] - means[y[r] * d + j];
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) cov[a * d + b] += diff[a] * diff[b];
  }
  const dof = train.length - present.length;
  if (dof <= 0) return undefined;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) cov[a * d + b] = cov[b * d + a] = cov[a * d + b] / dof;
  }
  const l = tryCholesky(cov, d);
  if (!l) return undefined;
  const weights = present.map((c) => choleskySolve(l, d, means.subarray(c * d, (c + 1) * d)));
  const bias = present.map((c, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += weights[i][j] * means[c * d + j];
    return -0.5 * s + Math.log(count[c] / train.length);
  });
  return eachRow((row) => {
    let best = -Infinity, bestClass = present[0];
    present.forEach((c, i) => {
      let s = bias[i];
      for (let j = 0; j < d; j++) s += weights[i][j] * x[row * d + j];
      if (s > best) {
        best = s;
        bestClass = c;
      }
    });
    return bestClass;
  });
}

/**
 * Ordinary least squares with an intercept (normal equations on centred columns). Returns
 * undefined when the columns are collinear on the training rows.
 */
export function fitLeastSquares(
  design: DesignMatrix,
  train: Int32Array,
  y: Float64Array,
): Predictor | undefined {
  const { x, columns: d } = design;
  const mx = new Float64Array(d);
  let my = 0;
  for (const r of train) {
    my += y[r];
    for (let j = 0; j < d; j++) mx[j] += x[r * d + j];
  }
  my /= train.length;
  for (let j = 0; j < d; j++) mx[j] /= train.length;
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const c = new Float64Array(d);
  for (const r of train) {
    for (let j = 0; j < d; j++) c[j] = x[r * d + j] - mx[j];
    const cy = y[r] - my;
    for (let a = 0; a < d; a++) {
      xty[a] += c[a] * cy;
      for (let b = 0; b <= a; b++) xtx[a * d + b] += c[a] * c[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) xtx[b * d + a] = xtx[a * d + b];
  const l = tryCholesky(xtx, d);
  if (!l) return undefined;
  const beta = choleskySolve(l, d, xty);
  return eachRow((row) => {
    let s = my;
    for (let j = 0; j < d; j++) s += beta[j] * (x[row * d + j] - mx[j]);
    return s;
  });
}
