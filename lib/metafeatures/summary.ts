/**
 * Summary functions that reduce a vector measure (one value per feature, pair of features,
 * fold, …) to fixed-size outputs, named as in pymfe. NaN entries of the vector are ignored;
 * when too few finite values remain the output is NaN with a reason. A ±Infinity entry is not
 * ignored: it is an overflow, and `extractMetaFeatures` makes every summary of that vector NaN
 * with an overflow reason, so summary functions only ever see finite values.
 *
 * Conventions: `sd` and `var` use ddof = 1; `skewness` and `kurtosis` are scipy's biased
 * estimators (kurtosis is excess); `quantiles` gives the 0, 0.25, 0.5, 0.75 and 1 quantiles
 * with linear interpolation; `histogram` gives the proportions of values in 10 equal-width bins
 * over [min, max] with numpy.histogram's edges (all in the first bin when the values are equal).
 *
 * Extreme magnitudes: `mean`, `sd`, `var` and `sum` read values whose largest |value| exceeds
 * 1e100, or is non-zero and below 1e-100, multiplied by an exact power of two (`rescaleColumn` of
 * `context.ts`, the rule of the statistical group's columns), and map their results back by the
 * inverse power; `skewness` and `kurtosis`, which do not depend on scale, are those of `lib/stats`,
 * which rescale the same way from 1e±66 and 1e±50 (where cubes and fourth powers need it). So a
 * result overflows to ±Infinity (NaN with an overflow reason in `extractMetaFeatures`) only when
 * the true value is not representable. Other values are read as they are, with bit-identical
 * results.
 *
 * @module
 */

import {
  iqr,
  kurtosis,
  mean,
  median,
  quantileSorted,
  skewness,
  sorted,
  timesPowerOfTwo,
  variance,
} from "../stats/mod.ts";
import { rescaleColumn } from "./context.ts";

/** A reduction of a vector measure to `outputs` numbers. */
export interface SummaryFunction {
  /** The name used in meta-feature names (`measure.name`). */
  readonly name: string;
  /** How many numbers it yields (names get a `.i` suffix when more than one). */
  readonly outputs: number;
  /** Fewest finite values it needs. */
  readonly minValues: number;
  /** Reduces finite values (at least `minValues` of them). */
  compute(values: Float64Array): number | Float64Array;
}

const HISTOGRAM_BINS = 10;

/** Bin shares with numpy.histogram's edges (lo + i·step, last edge exactly hi) and rounding fix-up. */
function histogram(values: Float64Array): Float64Array {
  const s = sorted(values);
  const lo = s[0], hi = s[s.length - 1];
  // max − min overflows: the shares of the halved values are the same (halving is exact and
  // keeps the order), and their span is finite.
  if (!Number.isFinite(hi - lo) && Number.isFinite(lo) && Number.isFinite(hi)) {
    return histogram(values.map((v) => v * 0.5));
  }
  const out = new Float64Array(HISTOGRAM_BINS);
  const step = (hi - lo) / HISTOGRAM_BINS;
  const edge = (i: number) => (i === HISTOGRAM_BINS ? hi : lo + i * step);
  for (const v of s) {
    let bin = 0;
    if (hi > lo) {
      bin = Math.min(Math.trunc((v - lo) * (HISTOGRAM_BINS / (hi - lo))), HISTOGRAM_BINS - 1);
      if (v < edge(bin)) bin--;
      else if (bin !== HISTOGRAM_BINS - 1 && v >= edge(bin + 1)) bin++;
    }
    out[bin]++;
  }
  return out.map((c) => c / s.length);
}

/**
 * `f` of the values after {@linkcode rescaleColumn}, times the inverse power raised to `degree`
 * (the degree of homogeneity of `f`: 1 for a mean, 2 for a variance); `f(values)` itself when the
 * values are not rescaled.
 */
function rescaled(
  f: (values: Float64Array) => number,
  degree: number,
): (values: Float64Array) => number {
  return (values) => {
    const c = rescaleColumn(values);
    const out = f(c.values);
    return c.exponent === 0 ? out : timesPowerOfTwo(out, -degree * c.exponent);
  };
}

const list: SummaryFunction[] = [
  { name: "mean", outputs: 1, minValues: 1, compute: rescaled(mean, 1) },
  { name: "sd", outputs: 1, minValues: 2, compute: rescaled((v) => Math.sqrt(variance(v)), 1) },
  { name: "var", outputs: 1, minValues: 2, compute: rescaled((v) => variance(v), 2) },
  { name: "min", outputs: 1, minValues: 1, compute: (v) => sorted(v)[0] },
  { name: "max", outputs: 1, minValues: 1, compute: (v) => sorted(v)[v.length - 1] },
  { name: "median", outputs: 1, minValues: 1, compute: median },
  {
    name: "range",
    outputs: 1,
    minValues: 1,
    compute: (v) => {
      const s = sorted(v);
      return s[s.length - 1] - s[0];
    },
  },
  { name: "iq_range", outputs: 1, minValues: 1, compute: iqr },
  {
    name: "quantiles",
    outputs: 5,
    minValues: 1,
    compute: (v) => {
      const s = sorted(v);
      return Float64Array.from([0, 0.25, 0.5, 0.75, 1], (q) => quantileSorted(s, q));
    },
  },
  { name: "skewness", outputs: 1, minValues: 1, compute: skewness },
  { name: "kurtosis", outputs: 1, minValues: 1, compute: kurtosis },
  { name: "count", outputs: 1, minValues: 0, compute: (v) => v.length },
  {
    name: "sum",
    outputs: 1,
    minValues: 0,
    compute: rescaled((v) => v.reduce((a, b) => a + b, 0), 1),
  },
  { name: "histogram", outputs: HISTOGRAM_BINS, minValues: 1, compute: histogram },
];

/**
 * The built-in summary functions by name: mean, sd, var, min, max, median, range, iq_range,
 * quantiles, skewness, kurtosis, count, sum, histogram.
 *
 * @example
 * ```ts
 * import { SUMMARY_FUNCTIONS } from "./summary.ts";
 * console.log(SUMMARY_FUNCTIONS.get("sd")!.compute(Float64Array.of(1, 2, 3))); // 1
 * ```
 */
export const SUMMARY_FUNCTIONS: ReadonlyMap<string, SummaryFunction> = new Map(
  list.map((s) => [s.name, s]),
);

/** The output names of a summary for a measure. */
export function summaryNames(measure: string, summary: SummaryFunction): string[] {
  const base = `${measure}.${summary.name}`;
  return summary.outputs === 1
    ? [base]
    : Array.from({ length: summary.outputs }, (_, i) => `${base}.${i}`);
}
