/**
 * Confidence intervals of a mean: the Student-t interval that benchmark summaries report, and the
 * normal-approximation interval (1.96·s/√n) of the few-shot literature; the Student-t quantile
 * they rest on.
 *
 * @module
 */
import { checkSample } from "./_sample.ts";
import { mean as sampleMean, standardDeviation, variance } from "./descriptive.ts";

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
 * The mean and the half-width of its two-sided Student-t confidence interval at `level` (default
 * 95%): t_{(1+level)/2, n−1} · s/√n. NaN values are dropped and counted out of n; fewer than two
 * values give a NaN half-width, and no values (an empty sample, or only NaN) a NaN mean as well,
 * with n = 0 saying so (the summaries of {@linkcode ./summary.ts} rely on this to report an empty
 * cell rather than fail; {@linkcode meanCi95}, whose result has no n, throws instead).
 *
 * @throws {RangeError} when `level` is not in (0, 1).
 * @throws {TypeError} naming the field when `values` is not an array of numbers
 * (`meanInterval values: must be an array of numbers, got undefined`).
 *
 * @example
 * ```ts
 * import { meanInterval } from "./intervals.ts";
 * const { mean, halfWidth } = meanInterval([1, 2, 3, 4]); // 2.5, 3.182·√(5/3)/2
 * ```
 */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`meanInterval: level must be in (0, 1), got ${level}`);
  }
  checkSample(values, "meanInterval values");
  const finite = values.filter((v) => !Number.isNaN(v));
  const n = finite.length;
  const mean = sampleMean(finite);
  if (n < 2) return { mean, halfWidth: NaN, n };
  const v = variance(finite);
  // The standard error √(s²/n), or s/√n when s² overflows and s does not (values beyond 1e154).
  const standardError = Number.isFinite(v)
    ? Math.sqrt(v / n)
    : standardDeviation(finite) / Math.sqrt(n);
  return { mean, halfWidth: studentTQuantile(0.5 + level / 2, n - 1) * standardError, n };
}

/**
 * Mean and 95% confidence half-width of values: 1.96·s/√n with the sample standard deviation s
 * (normal approximation, as the PyTorch MAML peer and Finn et al. 2017 report; with n = 600 the
 * t quantile 1.964 differs in the fourth digit). A NaN value makes the mean and the half-width
 * NaN, an infinite one makes the mean infinite and the half-width NaN; a single value has a NaN
 * half-width.
 *
 * @throws {RangeError} when there are no values (its result has no count to say so; see
 * {@linkcode meanInterval} for the form that returns NaN with n = 0).
 * @throws {TypeError} naming the field when `values` is not an array of numbers.
 *
 * @example
 * ```ts
 * import { meanCi95 } from "./intervals.ts";
 * const { mean, halfWidth } = meanCi95([1, 2, 3, 4]); // 2.5, 1.265
 * ```
 */
export function meanCi95(values: ArrayLike<number>): { mean: number; halfWidth: number } {
  checkSample(values, "meanCi95 values");
  const n = values.length;
  if (n === 0) throw new RangeError("meanCi95: no values");
  const mean = sampleMean(values);
  if (n === 1 || !Number.isFinite(mean)) return { mean, halfWidth: NaN };
  return { mean, halfWidth: 1.96 * standardDeviation(values) / Math.sqrt(n) };
}

/**
 * Quantile of Student's t distribution with `dof` degrees of freedom, for every p in (0, 1) and
 * every dof ≥ 1 (`Infinity` gives the normal quantile). Hill's 1970 algorithm 396 gives a first
 * value (closed forms for 1 and 2 degrees of freedom), which is returned when one Newton step on
 * the distribution function (the regularized incomplete beta function) confirms it to a relative
 * 1.8e-5; otherwise Newton's method refines it to about 1e-12 (for 1 and 2 degrees of freedom the
 * closed forms are rewritten without their cancellation instead). Beyond 10⁶ degrees of freedom
 * Hill's value is returned as it is (its normal expansion is then accurate to about 1e-9), beyond
 * 10²⁰ the normal quantile. So the result is within a relative 2e-5 of the exact quantile (the
 * largest error found is 1.7e-5, against mpmath's regularized incomplete beta function at 60
 * digits for p from 1e-300 to 1 − 1e-10 and dof from 1 to 10⁹), and within 3e-6 at p = 0.975, the
 * quantile of the 95% intervals, for integer dof, as the tests check against scipy's `t.ppf`.
 * scipy serves as the reference for moderate p only: near p = ½ and far in the tails its `t.ppf`
 * is itself off by more than this, and the reference there is mpmath. A lower-tail p is used as
 * it is, not through 1 − p, so p down to the smallest double works; a quantile beyond the float64
 * range is ±Infinity.
 *
 * @throws {RangeError} when `p` is not in (0, 1) or `dof` is not ≥ 1.
 *
 * @example
 * ```ts
 * import { studentTQuantile } from "./intervals.ts";
 * studentTQuantile(0.975, 10); // ≈ 2.228
 * studentTQuantile(0.6, 1.1); // ≈ 0.31833
 * studentTQuantile(1e-300, 5); // ≈ −1.6e60
 * ```
 */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(dof >= 1)) throw new RangeError(`studentTQuantile: dof must be ≥ 1, got ${dof}`);
  // The tail probability q beyond |t|: p itself below ½, 1 − p (exact) above.
  const upper = p >= 0.5;
  const t = upperTailQuantile(upper ? 1 - p : p, dof);
  return upper ? t : -t;
}

/** Hill's value is kept when a Newton step moves it by at most this (relative). */
const HILL_TOLERANCE = 1.8e-5;
/** Beyond this many degrees of freedom Hill's value is returned unchecked. */
const LARGE_DOF = 1e6;
/** Beyond this many degrees of freedom Student's t is the normal distribution. */
const NORMAL_DOF = 1e20;

/** The t > 0 with P(T > t) = q, for q in (0, ½]. */
function upperTailQuantile(q: number, dof: number): number {
  if (q === 0.5) return 0;
  if (dof > NORMAL_DOF) return -normalQuantile(q);
  const first = hillUpperTailQuantile(q, dof);
  const agrees = (exact: number) => Math.abs(first / exact - 1) <= HILL_TOLERANCE;
  if (dof === 1) {
    // tan(π(½ − q)) = cot(πq): the first form loses q's digits to ½ − q in the tail.
    const exact = q >= 0.25 ? first : q < 1e-8 ? 1 / Math.PI / q : 1 / Math.tan(Math.PI * q);
    return agrees(exact) ? first : exact;
  }
  if (dof === 2) {
    // √(2/(2q(2 − 2q)) − 2) = (1 − 2q)/√(2q(1 − q)), without the cancellation near the median.
    const exact = (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
    return agrees(exact) ? first : exact;
  }
  if (dof > LARGE_DOF) return first;
  // Newton's method: in the centre on P(0 < T < t) against t (concave: from the left the steps
  // increase monotonically to the root, and c/f(0) lies left of it), in the tails on
  // log P(T > t) against log t (concave too, and nearly linear far out).
  const centre = q >= 0.25;
  const c = 0.5 - q; // exact for q ≥ 0.25
  const logQ = Math.log(q);
  const lower = centre ? c / Math.exp(studentTDistribution(0, dof).logDensity) : 0;
  let t = first > 0 && first < Infinity ? first : centre ? lower : studentTTailStart(logQ, dof);
  for (let k = 0; k < 100 && t < Infinity; k++) {
    const { centreMass, logUpperTail, logDensity } = studentTDistribution(t, dof);
    const next = centre
      ? Math.max(lower, t - (centreMass - c) / Math.exp(logDensity))
      : t * Math.exp((logUpperTail - logQ) * Math.exp(logUpperTail - Math.log(t) - logDensity));
    const change = Math.abs(next - t) / t;
    if (k === 0 && t === first && change <= HILL_TOLERANCE) return first;
    t = next;
    if (change < 1e-10) break;
  }
  return t;
}

/** Hill's (1970) algorithm 396 for P(T > t) = q, with its closed forms for 1 and 2 dof. */
function hillUpperTailQuantile(q: number, dof: number): number {
  const twoSided = 2 * q;
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

/** The t of the tail asymptote P(T > t) ≈ ν^(ν/2 − 1)·t^(−ν)/B(ν/2, ½) at log q. */
function studentTTailStart(logQ: number, dof: number): number {
  return Math.exp(((dof / 2 - 1) * Math.log(dof) - logBetaHalf(dof / 2) - logQ) / dof);
}

/** log(1 + r²) without overflow. */
function log1pSquare(r: number): number {
  return r < 1e150 ? Math.log1p(r * r) : 2 * Math.log(r) + Math.log1p(1 / (r * r));
}

/**
 * For t ≥ 0: P(0 < T < t), log P(T > t) and the log density
 * log f(t) = −½ log ν − log B(ν/2, ½) − (ν + 1)/2 · log(1 + t²/ν). The probabilities come from
 * the regularized incomplete beta function, P(T > t) = ½·I_x(ν/2, ½) with x = ν/(ν + t²)
 * (Numerical Recipes' continued fraction on the side where it converges fast: I_x(ν/2, ½) in the
 * tails, 1 − I_{1−x}(½, ν/2) in the centre, each in logarithms so that nothing under- or
 * overflows).
 */
function studentTDistribution(
  t: number,
  dof: number,
): { centreMass: number; logUpperTail: number; logDensity: number } {
  const a = dof / 2;
  const r = t / Math.sqrt(dof);
  const logOnePlus = log1pSquare(r); // −log x
  const logBeta = logBetaHalf(a);
  const logDensity = -0.5 * Math.log(dof) - logBeta - (a + 0.5) * logOnePlus;
  const x = Math.exp(-logOnePlus);
  if (x < (a + 1) / (a + 2.5)) {
    // log(1 − x) = −log(1 + 1/r²)
    const logI = -a * logOnePlus - 0.5 * Math.log1p(1 / (r * r)) - Math.log(a) - logBeta +
      Math.log(betaContinuedFraction(a, 0.5, x));
    const logUpperTail = logI - Math.LN2;
    return { centreMass: 0.5 - Math.exp(logUpperTail), logUpperTail, logDensity };
  }
  // I_{1−x}(½, a) = (1 − x)^½ x^a / (½ B) · fraction, with 1 − x = r²/(1 + r²).
  const rr = r * r;
  const centreMass = r / Math.sqrt(1 + rr) * Math.exp(-a * logOnePlus - logBeta) *
    betaContinuedFraction(0.5, a, rr / (1 + rr));
  return { centreMass, logUpperTail: Math.log(0.5 - centreMass), logDensity };
}

/**
 * The continued fraction of the regularized incomplete beta function I_x(a, b), evaluated by the
 * modified Lentz method (Numerical Recipes, 3rd ed., §6.4 `betacf`); it converges quickly for
 * x < (a + 1)/(a + b + 2).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / guard(1 - (a + b) * x / (a + 1));
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h;
}

/** log √π. */
const LOG_SQRT_PI = 0.5723649429247001;

/**
 * log B(a, ½) = log Γ(a) + log √π − log Γ(a + ½) for a > 0: the recurrence
 * B(a, ½) = B(a + 1, ½)·(a + ½)/a up to a ≥ 15, then Stirling's series of log Γ(a + ½) − log Γ(a)
 * (absolute error below 1e-15).
 */
function logBetaHalf(a: number): number {
  let shift = 0;
  for (; a < 15; a++) shift += Math.log1p(0.5 / a);
  const series = (z: number) => {
    const w = 1 / z;
    const w2 = w * w;
    return w * (1 / 12 - w2 * (1 / 360 - w2 * (1 / 1260 - w2 * (1 / 1680 - w2 / 1188))));
  };
  const logGammaRatio = (a * Math.log1p(0.5 / a) - 0.5) + 0.5 * Math.log(a) +
    (series(a + 0.5) - series(a));
  return LOG_SQRT_PI - logGammaRatio + shift;
}

/**
 * Lower-tail standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation,
 * relative error below 1.2e-9).
 *
 * @example
 * ```ts
 * import { normalQuantile } from "./intervals.ts";
 * normalQuantile(0.975); // ≈ 1.959964
 * ```
 */
export function normalQuantile(p: number): number {
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
