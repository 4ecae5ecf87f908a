/**
 * Descriptive statistics of samples (any `ArrayLike<number>`: `number[]` or `Float64Array`), with
 * the conventions of numpy and scipy so that results can be checked against them: standard
 * deviations use ddof = 1, skewness and kurtosis are the biased moment estimators (scipy's
 * `bias=True`; kurtosis is Fisher's excess), quantiles interpolate linearly (numpy's default,
 * Hyndman–Fan type 7).
 *
 * @module
 */
import { extremeMagnitudeExponent, magnitudeExponent, timesPowerOfTwo } from "./scale.ts";

/**
 * The arithmetic mean; NaN for an empty sample. Finite values whose sum overflows (two values of
 * 1.5e308) have a representable mean: it is then taken on the values times 2^-k
 * ({@linkcode magnitudeExponent}, exact) and mapped back by 2^k; otherwise the plain sum divided
 * by n, unchanged.
 *
 * @example
 * ```ts
 * import { mean } from "./descriptive.ts";
 * mean([1, 2, 6]); // 3
 * mean([1.5e308, 1.5e308]); // 1.5e308, although the sum overflows
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  if (Number.isFinite(s) || !allFinite(x)) return s / n;
  const k = magnitudeExponent(x);
  s = 0;
  for (let i = 0; i < n; i++) s += timesPowerOfTwo(x[i], -k);
  return timesPowerOfTwo(s / n, k);
}

/** Whether every value is finite. */
function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/** The values times `2^k`, each exact unless it under- or overflows. */
function timesPowerOfTwoEach(x: ArrayLike<number>, k: number): Float64Array {
  return Float64Array.from(x, (v) => timesPowerOfTwo(v, k));
}

/**
 * The variance with `ddof` delta degrees of freedom (default 1, the sample variance; 0 gives the
 * population variance); NaN when n ≤ ddof. When the squares of finite values overflow, the
 * variance is taken on the values times 2^-k ({@linkcode magnitudeExponent}, exact) and mapped back
 * by 2^2k, so it is ±Infinity only when the variance itself leaves the float64 range.
 *
 * @example
 * ```ts
 * import { variance } from "./descriptive.ts";
 * variance([1, 2, 3, 4]); // 5 / 3
 * variance([1, 2, 3, 4], 0); // 1.25
 * // ten values ±6e153: the sum of squares (3.6e308) overflows, the variance (4e307) does not
 * variance(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 6e153 : -6e153))); // ≈ 4e307
 * variance([1e300, 3e300]); // Infinity: 2e600 is beyond the float64 range
 * ```
 */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (n <= ddof) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) ** 2;
  const v = s / (n - ddof);
  if (Number.isFinite(v) || !allFinite(x)) return v;
  const k = magnitudeExponent(x);
  return timesPowerOfTwo(variance(timesPowerOfTwoEach(x, -k), ddof), 2 * k);
}

/**
 * The standard deviation √variance with `ddof` delta degrees of freedom (default 1); NaN when
 * n ≤ ddof. When the variance of finite values overflows although the standard deviation does not
 * (values beyond about 1e154), it is that of the values times 2^-k ({@linkcode magnitudeExponent},
 * exact), mapped back by 2^k; otherwise `Math.sqrt(variance(x, ddof))`, unchanged.
 *
 * @example
 * ```ts
 * import { standardDeviation } from "./descriptive.ts";
 * standardDeviation([1, 2, 3, 4]); // √(5 / 3)
 * standardDeviation([1e300, 3e300]); // √2 · 1e300, although its square overflows
 * ```
 */
export function standardDeviation(x: ArrayLike<number>, ddof = 1): number {
  const v = variance(x, ddof);
  if (Number.isFinite(v) || !allFinite(x)) return Math.sqrt(v);
  const k = magnitudeExponent(x);
  return timesPowerOfTwo(Math.sqrt(variance(timesPowerOfTwoEach(x, -k), ddof)), k);
}

/**
 * The standard score `(value − mean) / sd`, also where the difference alone leaves the float64
 * range: then all three are halved first (exact), so the score is finite whenever it is
 * representable. Otherwise ±Infinity.
 *
 * @example
 * ```ts
 * import { standardScore } from "./descriptive.ts";
 * standardScore(3, 1, 2); // 1
 * standardScore(1.5e308, -1.5e308, 1.5e308); // 2, although the difference overflows
 * ```
 */
export function standardScore(value: number, mean: number, sd: number): number {
  const z = (value - mean) / sd;
  return Number.isFinite(z) ? z : (value / 2 - mean / 2) / (sd / 2);
}

/** The central moments m2, m3, m4 (divided by n). */
function centralMoments(x: ArrayLike<number>): [number, number, number] {
  const m = mean(x);
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return [m2 / x.length, m3 / x.length, m4 / x.length];
}

/** Whether all values are equal up to rounding of their mean (scipy's "nearly constant" rule). */
function nearlyConstant(x: ArrayLike<number>, m2: number): boolean {
  const m = mean(x);
  return m2 <= (1e-15 * m) ** 2;
}

/**
 * Biased sample skewness m3 / m2^1.5 (scipy.stats.skew); NaN for constant or empty samples.
 * Scale-free, so samples of any finite magnitude: beyond 1e±66, short of where cubes of the
 * deviations leave the float64 range (about 1e±102), the sample is first multiplied by a power of
 * two ({@linkcode extremeMagnitudeExponent} of order 3, exact).
 *
 * @example
 * ```ts
 * import { skewness } from "./descriptive.ts";
 * skewness([1, 2, 3, 10]); // 45 / 12.5^1.5
 * skewness([1e120, 2e120, 3e120, 10e120]); // the same
 * ```
 */
export function skewness(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  const xs = withoutExtremeMagnitude(x, 3).values;
  const [m2, m3] = centralMoments(xs);
  if (nearlyConstant(xs, m2)) return NaN;
  return m3 / m2 ** 1.5;
}

/**
 * Biased excess kurtosis m4 / m2² − 3 (scipy.stats.kurtosis); NaN for constant or empty samples.
 * Scale-free, so samples of any finite magnitude: beyond 1e±50, short of where fourth powers of
 * the deviations leave the float64 range (about 1e±77), the sample is first multiplied by a power
 * of two ({@linkcode extremeMagnitudeExponent} of order 4, exact).
 *
 * @example
 * ```ts
 * import { kurtosis } from "./descriptive.ts";
 * kurtosis([1, 2, 3, 10]); // 348.5 / 12.5² − 3
 * kurtosis([1e80, 2e80, 3e80, 10e80]); // the same
 * ```
 */
export function kurtosis(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  const xs = withoutExtremeMagnitude(x, 4).values;
  const [m2, , m4] = centralMoments(xs);
  if (nearlyConstant(xs, m2)) return NaN;
  return m4 / (m2 * m2) - 3;
}

/**
 * The smallest and the largest value, `[Math.min(...x), Math.max(...x)]` without spreading `x`
 * into a call (which overflows the call stack past about 10⁵ values): NaN when a value is NaN,
 * `[Infinity, -Infinity]` when `x` is empty.
 *
 * @example
 * ```ts
 * import { extent } from "./descriptive.ts";
 * extent([3, 1, 2]); // [1, 3]
 * extent(new Float64Array(200_000).fill(1)); // [1, 1]
 * ```
 */
export function extent(x: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) return [NaN, NaN];
    // As Math.min and Math.max: −0 below +0.
    if (v < low || (v === low && Object.is(v, -0))) low = v;
    if (v > high || (v === high && Object.is(high, -0))) high = v;
  }
  return [low, high];
}

/**
 * An ascending sorted copy (NaN values last).
 *
 * @example
 * ```ts
 * import { sorted } from "./descriptive.ts";
 * sorted([3, 1, 2]); // Float64Array [1, 2, 3]
 * ```
 */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * The q-quantile of an already sorted sample, linear interpolation between order statistics
 * (numpy's default); NaN for an empty sample. `q` is not checked (see {@linkcode quantile}).
 * Infinite order statistics are interpolated as limits: between −∞ and a larger value the result
 * is −∞, between a value and +∞ it is +∞, between two equal infinities that infinity, and between
 * −∞ and +∞ NaN.
 *
 * @example
 * ```ts
 * import { quantileSorted } from "./descriptive.ts";
 * quantileSorted([1, 2, 3, 4], 0.25); // 1.75
 * quantileSorted([-Infinity, 0], 0.5); // -Infinity
 * ```
 */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  const t = h - lo;
  // On an order statistic, or between two equal ones, that value (not 0 · ∞ or ∞ − ∞ = NaN beside
  // or between infinite ones; + 0 keeps the sign of zero the interpolation gave).
  if (t === 0 || s[lo] === s[hi]) return s[lo] + 0;
  // From −∞ towards a larger value the interpolation is −∞ (as it is +∞ towards +∞ below), and
  // undefined (NaN) between −∞ and +∞; the formula would give −∞ + ∞ = NaN for both.
  if (s[lo] === -Infinity) return s[hi] === Infinity ? NaN : -Infinity;
  const v = s[lo] + t * (s[hi] - s[lo]);
  // Between two finite values whose difference overflows: the weighted mean, which does not.
  return Number.isFinite(v) || !Number.isFinite(s[lo]) || !Number.isFinite(s[hi])
    ? v
    : (1 - t) * s[lo] + t * s[hi];
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default); NaN for
 * an empty sample or one holding a NaN (as `np.quantile`). Next to an infinite value the
 * interpolation takes its limit ({@linkcode quantileSorted}): ±∞ towards ±∞, NaN only between −∞
 * and +∞.
 *
 * @throws {RangeError} when `q` is not in [0, 1].
 *
 * @example
 * ```ts
 * import { quantile } from "./descriptive.ts";
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(x: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const s = sortedWithoutNaN(x);
  return s === undefined ? NaN : quantileSorted(s, q);
}

/** An ascending sorted copy, or undefined when a value is NaN (NaN sorts last). */
function sortedWithoutNaN(x: ArrayLike<number>): Float64Array | undefined {
  const s = sorted(x);
  return s.length > 0 && Number.isNaN(s[s.length - 1]) ? undefined : s;
}

/**
 * The median (NaN for an empty sample or one holding a NaN).
 *
 * @example
 * ```ts
 * import { median } from "./descriptive.ts";
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}

/**
 * The interquartile range q(0.75) − q(0.25); NaN for an empty sample or one holding a NaN (as
 * {@linkcode quantile}, and `scipy.stats.iqr`).
 *
 * @example
 * ```ts
 * import { iqr } from "./descriptive.ts";
 * iqr([1, 2, 3, 4, 5]); // 2
 * iqr([1, 2, NaN, 4]); // NaN
 * ```
 */
export function iqr(x: ArrayLike<number>): number {
  const s = sortedWithoutNaN(x);
  return s === undefined ? NaN : quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

/**
 * The median absolute deviation times `factor` (1.4826 by default, which makes it a consistent
 * estimator of σ for normal data, as in pymfe).
 *
 * @example
 * ```ts
 * import { mad } from "./descriptive.ts";
 * mad([1, 2, 3, 4, 100], 1); // 1
 * ```
 */
export function mad(x: ArrayLike<number>, factor = 1.4826): number {
  const med = median(x);
  const dev = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dev[i] = Math.abs(x[i] - med);
  return factor * median(dev);
}

/**
 * Pearson correlation of two equally long samples; NaN when either is constant, that is when its
 * values are all equal (scipy.stats.pearsonr's test): deviations are taken from that common value,
 * exactly 0, not from a mean that rounding moves off it (three values 0.1 average to
 * 0.10000000000000002). Samples of any finite magnitude: beyond 1e±100 a sample is first
 * multiplied by a power of two ({@linkcode extremeMagnitudeExponent}; exact, and the correlation
 * does not depend on scale), and the normalisation √(Σdx²·Σdy²) is taken as √Σdx²·√Σdy² when the
 * product leaves the normal range.
 *
 * @throws {RangeError} when the samples differ in length.
 *
 * @example
 * ```ts
 * import { correlation } from "./descriptive.ts";
 * correlation([1, 2, 3], [2, 4, 7]); // ≈ 0.99
 * correlation([1e-170, 2e-170, 3e-170], [2e200, 4e200, 7e200]); // the same
 * correlation([0.1, 0.1, 0.1], [1, 2, 3]); // NaN: a constant sample
 * ```
 */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) {
    throw new RangeError(
      `correlation: samples of different lengths, x has ${x.length} and y ${y.length}`,
    );
  }
  const xs = withoutExtremeMagnitude(x).values, ys = withoutExtremeMagnitude(y).values;
  const mx = centre(xs), my = centre(ys);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - mx, dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const product = sxx * syy;
  return sxy /
    (product >= MIN_NORMAL && product < Infinity
      ? Math.sqrt(product)
      : Math.sqrt(sxx) * Math.sqrt(syy));
}

/** The smallest positive normal double. */
const MIN_NORMAL = 2 ** -1022;

/**
 * The value deviations are taken from: the common value of a sample whose values are all equal
 * (so that its deviations are exactly 0), the mean otherwise.
 */
function centre(x: ArrayLike<number>): number {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return mean(x);
  return x.length === 0 ? NaN : x[0];
}

/**
 * A sample of extreme magnitude for a statistic of order `order` (largest |value| beyond
 * 1e±100 for order 2) times `2^-k`, k its {@linkcode extremeMagnitudeExponent}; otherwise the
 * sample itself with k = 0.
 */
function withoutExtremeMagnitude(
  x: ArrayLike<number>,
  order = 2,
): { values: ArrayLike<number>; k: number } {
  const k = extremeMagnitudeExponent(x, order);
  return { values: k === 0 ? x : timesPowerOfTwoEach(x, -k), k };
}

/**
 * The sample covariance matrix (ddof = 1) of equally long columns, row-major p × p. A column whose
 * values are all equal has covariances of exactly 0 (its deviations are taken from that common
 * value, not from a mean that rounding moves off it), so a constant column is singular, as it is
 * for {@linkcode correlation}. Columns of any finite magnitude: beyond 1e±100 a column is
 * multiplied by a power of two ({@linkcode extremeMagnitudeExponent}) before its products are
 * summed, and each entry is mapped back exactly, so that an entry is ±Infinity only when the
 * covariance itself leaves the float64 range.
 *
 * @throws {RangeError} when the columns differ in length.
 *
 * @example
 * ```ts
 * import { covarianceMatrix } from "./descriptive.ts";
 * covarianceMatrix([[1, 2, 3], [2, 4, 6]]); // [1, 2, 2, 4]
 * // [0 (1e-340 underflows), 2e30, 2e30, Infinity (4e400 overflows)]
 * covarianceMatrix([[1e-170, 2e-170, 3e-170], [2e200, 4e200, 6e200]]);
 * covarianceMatrix([[0.1, 0.1, 0.1], [1, 2, 4]]); // [0, 0, 0, 7 / 3]
 * ```
 */
export function covarianceMatrix(columns: readonly ArrayLike<number>[]): Float64Array {
  const p = columns.length;
  const n = p === 0 ? 0 : columns[0].length;
  columns.forEach((c, a) => {
    if (c.length !== n) {
      throw new RangeError(
        `covarianceMatrix: columns of different lengths, columns[0] has ${n} values and ` +
          `columns[${a}] ${c.length}`,
      );
    }
  });
  const scaled = columns.map((c) => withoutExtremeMagnitude(c));
  const centred = scaled.map(({ values }) => {
    const m = centre(values);
    return Float64Array.from(values, (v) => v - m);
  });
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      const ca = centred[a], cb = centred[b];
      for (let i = 0; i < n; i++) s += ca[i] * cb[i];
      const k = scaled[a].k + scaled[b].k;
      out[a * p + b] = out[b * p + a] = k === 0 ? s / (n - 1) : timesPowerOfTwo(s / (n - 1), k);
    }
  }
  return out;
}

/**
 * D'Agostino and Pearson's omnibus normality test (scipy.stats.normaltest): the p-value of
 * K² = Z(skewness)² + Z(kurtosis)² against χ²(2). Needs at least 8 values; NaN for constant
 * samples.
 *
 * @example
 * ```ts
 * import { normalityPValue } from "./descriptive.ts";
 * normalityPValue([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // ≈ 0.363 (scipy.stats.normaltest)
 * ```
 */
export function normalityPValue(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 8) return NaN;
  const g1 = skewness(x);
  const b2 = kurtosis(x) + 3;
  if (!Number.isFinite(g1) || !Number.isFinite(b2)) return NaN;
  // skewtest
  let y = g1 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) /
    ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  if (y === 0) y = 1;
  const zs = delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
  // kurtosistest
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const xk = (b2 - e) / Math.sqrt(varb2);
  const sqrtBeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) *
    Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtBeta1) * (2 / sqrtBeta1 + Math.sqrt(1 + 4 / (sqrtBeta1 * sqrtBeta1)));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + xk * Math.sqrt(2 / (a - 4));
  if (denom === 0) return NaN;
  const term2 = Math.sign(denom) * Math.cbrt((1 - 2 / a) / Math.abs(denom));
  const zk = (term1 - term2) / Math.sqrt(2 / (9 * a));
  return Math.exp(-(zs * zs + zk * zk) / 2);
}

/**
 * Shannon entropy in bits of a vector of counts (zeros ignored); NaN when all counts are 0.
 *
 * @example
 * ```ts
 * import { entropyOfCounts } from "./descriptive.ts";
 * entropyOfCounts([1, 1, 2]); // 1.5
 * ```
 */
export function entropyOfCounts(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return NaN;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0) {
      const p = counts[i] / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}
