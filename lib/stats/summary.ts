/**
 * Central values with 95% confidence intervals, the three ways benchmark curves are summarised:
 * the mean (Student-t interval), the geometric mean (Student-t interval of log10 values) and the
 * median (distribution-free interval from order statistics, exact binomial coverage).
 *
 * @module
 */
import { checkSample } from "./_sample.ts";
import { median } from "./descriptive.ts";
import { meanInterval } from "./intervals.ts";

/** How values over seeds or tasks are summarised. */
export type Center = "mean" | "geomean" | "median";

/**
 * A central value with a confidence interval; NaN bounds when the sample is too small, and a NaN
 * center as well when it has no values (n = 0).
 */
export interface Interval {
  /** The central value. */
  center: number;
  /** Lower bound of the 95% confidence interval. */
  lower: number;
  /** Upper bound of the 95% confidence interval. */
  upper: number;
  /** Number of non-NaN values. */
  n: number;
}

/**
 * Summary settings: the confidence level of every interval, and the floor applied before taking
 * log10 for the geometric mean (a regret of exactly 0 would otherwise be −∞): values from 0 up to
 * the floor count as the floor, negative values are refused.
 *
 * @example
 * ```ts
 * import { SUMMARY_DEFAULTS } from "./summary.ts";
 * SUMMARY_DEFAULTS.level; // 0.95
 * ```
 */
export const SUMMARY_DEFAULTS: { readonly level: number; readonly logFloor: number } = {
  level: 0.95,
  logFloor: 1e-12,
};

/**
 * The median with its distribution-free confidence interval `[x₍ⱼ₎, x₍ₙ₊₁₋ⱼ₎]`: `j` is the
 * largest order such that P(Binomial(n, ½) < j) ≤ (1 − level)/2, so the coverage is at least
 * `level` whatever the distribution. Fewer than 6 values cannot reach 95%: the bounds are NaN.
 * NaN values are dropped; with none left (an empty sample) the center is NaN too and n = 0.
 *
 * @throws {RangeError} when `level` is not in (0, 1).
 * @throws {TypeError} naming the field when `values` is not an array of numbers.
 *
 * @example
 * ```ts
 * import { medianInterval } from "./summary.ts";
 * medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // { center: 5.5, lower: 2, upper: 9, n: 10 }
 * ```
 */
export function medianInterval(
  values: readonly number[],
  level: number = SUMMARY_DEFAULTS.level,
): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`medianInterval: level must be in (0, 1)`);
  checkSample(values, "medianInterval values");
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const tail = (1 - level) / 2;
  // Cumulative binomial probabilities P(B < j), built term by term in log space (n can be large).
  let j = 0;
  let cumulative = 0;
  let logTerm = -n * Math.LN2; // log P(B = 0)
  while (j < n) {
    const next = cumulative + Math.exp(logTerm);
    if (next > tail) break;
    cumulative = next;
    logTerm += Math.log((n - j) / (j + 1));
    j++;
  }
  const center = median(sorted);
  if (j === 0) return { center, lower: NaN, upper: NaN, n };
  return { center, lower: sorted[j - 1], upper: sorted[n - j], n };
}

/**
 * Summarises values with the given center and its 95% confidence interval (NaN values dropped;
 * with none left, an empty sample, every field is NaN and n = 0). The geometric mean is 10 to the
 * mean of log10 values, its interval the Student-t interval of those logs; values below
 * `SUMMARY_DEFAULTS.logFloor` (1e-12; 0 included) count as the floor, and so do negative values
 * down to −1e-12 (a regret measured from a known minimum can fall a few units in the last place
 * below 0: Branin's minimiser evaluates 2.2e-16 below its stated minimum).
 *
 * @throws {RangeError} naming the value for `"geomean"` of a value below −1e-12, −∞ included
 * (`summarise values[0]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got -0.5`); for another `center`,
 * or a `level` not in (0, 1).
 * @throws {TypeError} naming the field when `values` is not an array of numbers.
 *
 * @example
 * ```ts
 * import { summarise } from "./summary.ts";
 * summarise([1, 10, 100], "geomean").center; // ≈ 10
 * summarise([0, 1e-3], "geomean").center; // ≈ 3.2e-8, 0 counting as 1e-12
 * ```
 */
export function summarise(
  values: readonly number[],
  center: Center,
  level: number = SUMMARY_DEFAULTS.level,
): Interval {
  checkSample(values, "summarise values");
  if (center === "geomean") checkNonNegative(values, "summarise values");
  if (center === "median") return medianInterval(values, level);
  if (center === "mean") {
    const { mean, halfWidth, n } = meanInterval(values, level);
    return { center: mean, lower: mean - halfWidth, upper: mean + halfWidth, n };
  }
  if (center !== "geomean") {
    throw new RangeError(`summarise: center must be mean, geomean or median, got "${center}"`);
  }
  const logs = values.filter((v) => !Number.isNaN(v)).map((v) =>
    Math.log10(Math.max(v, SUMMARY_DEFAULTS.logFloor))
  );
  const { mean, halfWidth, n } = meanInterval(logs, level);
  return {
    center: 10 ** mean,
    lower: 10 ** (mean - halfWidth),
    upper: 10 ** (mean + halfWidth),
    n,
  };
}

/**
 * Throws a `RangeError` naming the first value below −`SUMMARY_DEFAULTS.logFloor` (−∞ included):
 * the geometric mean has no value for it; a negative value above it is round-off of 0 and counts
 * as the floor. NaN passes (it is dropped).
 */
function checkNonNegative(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] < -SUMMARY_DEFAULTS.logFloor) {
      throw new RangeError(
        `${label}[${i}]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got ${
          values[i]
        }`,
      );
    }
  }
}

/** An {@linkcode Interval} over the finite values, with the count of the values left out. */
export interface DivergenceInterval extends Interval {
  /** Number of non-finite values (NaN or ±Infinity: runs that diverged), left out of the summary. */
  diverged: number;
  /** Number of values given, finite or not. */
  total: number;
}

/**
 * The one rule for diverged values shared by tables and figures: the center and 95% interval
 * are computed over the **finite** values only, and the non-finite ones (NaN or ±∞, e.g. a
 * training run that diverged) are counted in `diverged` out of `total`, so that every table cell
 * and every curve point can show how many values it left out instead of dropping them silently.
 * With `nonNegative` (a metric that cannot be negative, e.g. MSE or regret) the lower bound is
 * clipped at 0: a Student-t interval `mean − t·s/√n` of a skewed sample can fall below zero.
 * With no finite value (an empty sample, or every run diverged) the center and bounds are NaN and
 * n = 0.
 *
 * @throws {RangeError} naming the value for `"geomean"` of a finite value below −1e-12 (as for
 * `summarise`, a negative value above it is round-off of 0 and counts as the floor;
 * `summariseFinite values[1]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got
 * -3`); −∞ is left out as diverged, as every non-finite value is.
 * @throws {TypeError} naming the field when `values` is not an array of numbers.
 *
 * @example
 * ```ts
 * import { summariseFinite } from "./summary.ts";
 * const s = summariseFinite([1, 2, 3, NaN, Infinity], "mean", { nonNegative: true });
 * s.center; // 2
 * s.diverged; // 2
 * s.total; // 5
 * ```
 */
export function summariseFinite(
  values: readonly number[],
  center: Center,
  options: { nonNegative?: boolean; level?: number } = {},
): DivergenceInterval {
  checkSample(values, "summariseFinite values");
  if (center === "geomean") {
    checkNonNegative(values.map((v) => (Number.isFinite(v) ? v : 0)), "summariseFinite values");
  }
  const finite = values.filter(Number.isFinite);
  const summary = finite.length > 0
    ? summarise(finite, center, options.level ?? SUMMARY_DEFAULTS.level)
    : { center: NaN, lower: NaN, upper: NaN, n: 0 };
  const lower = options.nonNegative && Number.isFinite(summary.lower)
    ? Math.max(0, summary.lower)
    : summary.lower;
  return { ...summary, lower, diverged: values.length - finite.length, total: values.length };
}

/**
 * How many values are above, equal to and below 0: the signs of paired differences (A − B per seed
 * or task), as "better / same / worse" counts. NaN counts in none of the three.
 *
 * @example
 * ```ts
 * import { signCounts } from "./summary.ts";
 * signCounts([0.2, 0, -1, 3]); // { above: 2, zero: 1, below: 1 }
 * ```
 */
export function signCounts(
  values: ArrayLike<number>,
): { above: number; zero: number; below: number } {
  let above = 0, zero = 0, below = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 0) above++;
    else if (values[i] < 0) below++;
    else if (values[i] === 0) zero++;
  }
  return { above, zero, below };
}
