/**
 * Summary statistics for benchmark results: medians, means with Student-t confidence intervals,
 * best-so-far curves and average ranks (HPO-B style).
 *
 * @module
 */
import { quantileSorted } from "../metafeatures/stats.ts";

/**
 * The median of a list of numbers (NaN for an empty list).
 *
 * @example
 * ```ts
 * import { median } from "./stats.ts";
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default).
 *
 * @example
 * ```ts
 * import { quantile } from "./stats.ts";
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/** A mean with the half-width of its two-sided confidence interval. */
export interface MeanInterval {
  /** Sample mean. */
  mean: number;
  /** Half-width of the interval: the interval is mean ± halfWidth. */
  halfWidth: number;
  /** Number of values. */
  n: number;
}

/**
 * The mean and the half-width of its 95% Student-t confidence interval (NaN values are dropped and
 * counted out of n; fewer than two values give a NaN half-width).
 *
 * @example
 * ```ts
 * import { meanInterval } from "./stats.ts";
 * const { mean, halfWidth } = meanInterval([1, 2, 3, 4]);
 * ```
 */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  const finite = values.filter((v) => !Number.isNaN(v));
  const n = finite.length;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, halfWidth: NaN, n };
  const variance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, halfWidth: studentTQuantile(0.5 + level / 2, n - 1) * Math.sqrt(variance / n), n };
}

/**
 * Running minimum of a sequence (best value so far), NaN entries skipped.
 *
 * @example
 * ```ts
 * import { bestSoFar } from "./stats.ts";
 * bestSoFar([3, 5, 1, NaN, 2]); // [3, 3, 1, 1, 1]
 * ```
 */
export function bestSoFar(values: readonly number[]): number[] {
  let best = Infinity;
  return values.map((v) => (best = Number.isNaN(v) ? best : Math.min(best, v)));
}

/**
 * Average ranks of methods across problems (rank 1 is the lowest score; ties share the mean
 * rank). `scores[p][m]` is method m's score on problem p.
 *
 * @example
 * ```ts
 * import { averageRanks } from "./stats.ts";
 * averageRanks([[0.1, 0.2], [0.3, 0.3]]); // [1.25, 1.75]
 * ```
 */
export function averageRanks(scores: readonly (readonly number[])[]): number[] {
  if (scores.length === 0) return [];
  const methods = scores[0].length;
  const totals = new Array<number>(methods).fill(0);
  for (const [p, row] of scores.entries()) {
    if (row.length !== methods) {
      throw new RangeError(
        `averageRanks: problem ${p} has ${row.length} scores, expected ${methods}`,
      );
    }
    const ranks = rankWithTies(row);
    for (let m = 0; m < methods; m++) totals[m] += ranks[m];
  }
  return totals.map((t) => t / scores.length);
}

function rankWithTies(row: readonly number[]): number[] {
  const order = Array.from(row.keys()).sort((a, b) => row[a] - row[b]);
  const ranks = new Array<number>(row.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && row[order[j + 1]] === row[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/**
 * Quantile of Student's t distribution with `dof` degrees of freedom (Hill's 1970 algorithm 396,
 * accurate to about 1e-6 for dof ≥ 1, exact closed forms for 1 and 2).
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./stats.ts";
 * studentTQuantile(0.975, 10); // ≈ 2.228
 * ```
 */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(dof >= 1)) throw new RangeError(`studentTQuantile: dof must be ≥ 1, got ${dof}`);
  if (p < 0.5) return -studentTQuantile(1 - p, dof);
  const twoSided = 2 * (1 - p);
  if (dof === 1) return Math.tan(Math.PI * (0.5 - twoSided / 2));
  if (dof === 2) return Math.sqrt(2 / (twoSided * (2 - twoSided)) - 2);
  const a = 1 / (dof - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * a / b - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt(a * Math.PI / 2) * dof;
  let x = d * twoSided;
  let y = x ** (2 / dof);
  if (y > 0.05 + a) {
    x = normalQuantile(twoSided / 2);
    y = x * x;
    if (dof < 5) c += 0.3 * (dof - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y = ((1 / (((dof + 6) / (dof * y) - 0.089 * d - 0.822) * (dof + 2) * 3) +
              0.5 / (dof + 4)) * y - 1) * (dof + 1) / (dof + 2) + 1 / y;
  }
  return Math.sqrt(dof * y);
}

/** Lower-tail standard normal quantile (Acklam's rational approximation, rel. error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
