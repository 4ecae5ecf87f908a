/**
 * Float64 special functions of the standard normal distribution with high relative accuracy in
 * the tails, as needed by improvement-based acquisition functions:
 * `erf`, `erfc` and the scaled `erfcx(x) = exp(x²)·erfc(x)` from W. J. Cody's rational Chebyshev
 * approximations (Cody, "Rational Chebyshev approximations for the error function", Math. Comp.
 * 23, 1969; the CALERF routine of SPECFUN, relative error below about 1e-15 over the whole range);
 * the normal density, distribution function and their logarithms; `log1mexp`; and the
 * expected-improvement factor `h(z) = φ(z) + zΦ(z)` with its stable logarithm (Ament et al.,
 * "Unexpected Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023).
 *
 * @module
 */

const A = [
  3.16112374387056560e0,
  1.13864154151050156e2,
  3.77485237685302021e2,
  3.20937758913846947e3,
  1.85777706184603153e-1,
];
const B = [
  2.36012909523441209e1,
  2.44024637934444173e2,
  1.28261652607737228e3,
  2.84423683343917062e3,
];
const C = [
  5.64188496988670089e-1,
  8.88314979438837594e0,
  6.61191906371416295e1,
  2.98635138197400131e2,
  8.81952221241769090e2,
  1.71204761263407058e3,
  2.05107837782607147e3,
  1.23033935479799725e3,
  2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1,
  1.17693950891312499e2,
  5.37181101862009858e2,
  1.62138957456669019e3,
  3.29079923573345963e3,
  4.36261909014324716e3,
  3.43936767414372164e3,
  1.23033935480374942e3,
];
const P = [
  3.05326634961232344e-1,
  3.60344899949804439e-1,
  1.25781726111229246e-1,
  1.60837851487422766e-2,
  6.58749161529837803e-4,
  1.63153871373020978e-2,
];
const Q = [
  2.56852019228982242e0,
  1.87295284992346047e0,
  5.27905102951428412e-1,
  6.05183413124413191e-2,
  2.33520497626869185e-3,
];
const ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;
/** Below this, erfcx(x) overflows (Cody's XNEG for IEEE doubles). */
const ERFCX_NEGATIVE_LIMIT = -26.628;
/** Above this, erfc(x) underflows to 0 (Cody's XBIG). */
const ERFC_UNDERFLOW = 26.543;
/** Above this, erfcx(x) = 1/(x√π) to double precision (Cody's XHUGE). */
const ERFCX_ASYMPTOTIC = 6.71e7;
const LOG_SQRT_2PI = 0.9189385332046727418;
const SQRT_HALF = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
/** Below this, log h(z) uses the asymptotic series of `1 − |z|·erfcx(−z/√2)·√(π/2)`. */
const LOG_H_SERIES = -20;

const enum Kind {
  Erf,
  Erfc,
  Erfcx,
}

/** exp(−y²) without the cancellation of squaring y directly (Cody's split of y into y₁₆ + δ). */
function expMinusSquare(y: number): number {
  const coarse = Math.trunc(y * 16) / 16;
  const delta = (y - coarse) * (y + coarse);
  return Math.exp(-coarse * coarse) * Math.exp(-delta);
}

function calerf(x: number, kind: Kind): number {
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = A[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * ysq;
      den = (den + B[i]) * ysq;
    }
    const erfValue = x * (num + A[3]) / (den + B[3]);
    if (kind === Kind.Erf) return erfValue;
    return kind === Kind.Erfc ? 1 - erfValue : Math.exp(ysq) * (1 - erfValue);
  }
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    result = (num + C[7]) / (den + D[7]);
    if (kind !== Kind.Erfcx) result *= expMinusSquare(y);
  } else if (y >= ERFC_UNDERFLOW && kind !== Kind.Erfcx) {
    result = 0;
  } else if (y >= ERFCX_ASYMPTOTIC) {
    result = ONE_OVER_SQRT_PI / y;
  } else {
    const ysq = 1 / (y * y);
    let num = P[5] * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * ysq;
      den = (den + Q[i]) * ysq;
    }
    result = (ONE_OVER_SQRT_PI - ysq * (num + P[4]) / (den + Q[4])) / y;
    if (kind !== Kind.Erfcx) result *= expMinusSquare(y);
  }
  if (kind === Kind.Erf) {
    const erfValue = (0.5 - result) + 0.5;
    return x < 0 ? -erfValue : erfValue;
  }
  if (kind === Kind.Erfc) return x < 0 ? 2 - result : result;
  if (x >= 0) return result;
  if (x < ERFCX_NEGATIVE_LIMIT) return Infinity;
  const twice = 2 / expMinusSquare(y);
  return twice - result;
}

/**
 * The error function `erf(x) = 2/√π ∫₀ˣ exp(−t²) dt`.
 *
 * @example
 * ```ts
 * import { erf } from "./normal.ts";
 * console.log(erf(1)); // 0.8427007929497149
 * ```
 */
export function erf(x: number): number {
  return Number.isNaN(x) ? NaN : calerf(x, Kind.Erf);
}

/**
 * The complementary error function `erfc(x) = 1 − erf(x)`, accurate in relative terms for large x
 * (it underflows to 0 beyond x ≈ 26.5).
 *
 * @example
 * ```ts
 * import { erfc } from "./normal.ts";
 * console.log(erfc(10)); // 2.088487583762545e-45
 * ```
 */
export function erfc(x: number): number {
  return Number.isNaN(x) ? NaN : calerf(x, Kind.Erfc);
}

/**
 * The scaled complementary error function `erfcx(x) = exp(x²)·erfc(x)`, finite for all x above
 * −26.6 (it behaves like `1/(x√π)` for large x and overflows to Infinity below −26.6).
 *
 * @example
 * ```ts
 * import { erfcx } from "./normal.ts";
 * console.log(erfcx(100)); // 0.005641613782989433
 * ```
 */
export function erfcx(x: number): number {
  return Number.isNaN(x) ? NaN : calerf(x, Kind.Erfcx);
}

/**
 * The standard normal density `φ(z) = exp(−z²/2)/√(2π)`.
 *
 * @example
 * ```ts
 * import { normalPdf } from "./normal.ts";
 * console.log(normalPdf(0)); // 0.3989422804014327
 * ```
 */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) * ONE_OVER_SQRT_2PI;
}

/**
 * The logarithm of the standard normal density, `−z²/2 − log √(2π)`.
 *
 * @example
 * ```ts
 * import { logNormalPdf } from "./normal.ts";
 * console.log(logNormalPdf(100)); // -5000.918938533205
 * ```
 */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/**
 * The standard normal distribution function `Φ(z) = erfc(−z/√2)/2`, with relative accuracy in the
 * lower tail (it underflows to 0 only below z ≈ −37.5).
 *
 * @example
 * ```ts
 * import { normalCdf } from "./normal.ts";
 * console.log(normalCdf(-10)); // 7.619853024160496e-24 (Φ(−10) = 7.6198530241605261e-24)
 * ```
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT_HALF);
}

/**
 * `log Φ(z)`, finite for every finite z: through `erfcx` in the lower tail (where Φ underflows)
 * and through `log1p(−Φ(−z))` in the upper tail (where Φ rounds to 1).
 *
 * @example
 * ```ts
 * import { logNormalCdf } from "./normal.ts";
 * console.log(logNormalCdf(-40)); // ≈ -804.608
 * console.log(logNormalCdf(10)); // ≈ -7.62e-24
 * ```
 */
export function logNormalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 0;
  if (z === -Infinity) return -Infinity;
  if (z > 0) return Math.log1p(-0.5 * erfc(z * SQRT_HALF));
  if (z > -5) return Math.log(0.5 * erfc(-z * SQRT_HALF));
  return Math.log(0.5 * erfcx(-z * SQRT_HALF)) - 0.5 * z * z;
}

/**
 * `log(1 − exp(a))` for `a ≤ 0`, accurate both near 0 and for very negative `a` (Mächler, "Accurately
 * computing log(1 − exp(−|a|))", 2012).
 *
 * @example
 * ```ts
 * import { log1mexp } from "./normal.ts";
 * console.log(log1mexp(-1e-20)); // ≈ -46.05
 * ```
 */
export function log1mexp(a: number): number {
  return a > -Math.LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

/** Beyond this, `1 − |z|·erfcx(−z/√2)·√(π/2)` equals its asymptote `1/z²` to double precision. */

/**
 * `φ(z)/Φ(z)` (the inverse Mills ratio), finite for every finite z: through `erfcx` in the lower
 * tail, where both φ and Φ underflow (`φ/Φ = √(2/π)/erfcx(−z/√2)`, about `|z|` for z ≪ 0).
 *
 * @example
 * ```ts
 * import { inverseMillsRatio } from "./normal.ts";
 * console.log(inverseMillsRatio(-1e6)); // ≈ 1e6
 * ```
 */
export function inverseMillsRatio(z: number): number {
  if (z >= -5) return normalPdf(z) / normalCdf(z);
  return SQRT_TWO_OVER_PI / erfcx(-z * SQRT_HALF);
}

/** `log h(z)` and the ratios `φ(z)/h(z)` and `Φ(z)/h(z)` needed by the gradient of LogEI. */
export interface ExpectedImprovementTerms {
  /** `log h(z)`, `h(z) = φ(z) + zΦ(z)`. */
  logH: number;
  /** `φ(z)/h(z)` (equals `σ·∂log EI/∂σ`). */
  pdfOverH: number;
  /** `Φ(z)/h(z)` (equals `−σ·∂log EI/∂μ`). */
  cdfOverH: number;
}

/**
 * `log h(z)` with `h(z) = φ(z) + zΦ(z)` (the expected improvement of a standard normal over 0 at
 * standardised improvement z, so EI = σ·h(z)), together with `φ/h` and `Φ/h`.
 *
 * Following Ament et al. (2023, eq. 9), for z ≤ −1 write `h = φ(z)·(1 − |z|·r)` with
 * `r = erfcx(−z/√2)·√(π/2)` and compute `log h = log φ(z) + log1mexp(log(|z|·r))`. The paper
 * switches to the leading asymptote `1 − |z|r ≈ 1/z²` only below `−1/√ε`; since the subtraction
 * loses about `ε·z²` in relative terms, here the asymptotic series
 * `1 − |z|r = z⁻²·(1 − 3/z² + 15/z⁴ − 105/z⁶ + …)` takes over below z = −20 instead, keeping the
 * relative error near 1e-13 everywhere (and LogEI monotone). The ratios use the same factorisation
 * (`φ/h = 1/(1 − |z|r)`, `Φ/h = r/(1 − |z|r)`), so everything stays finite for every finite z.
 *
 * @example
 * ```ts
 * import { expectedImprovementTerms } from "./normal.ts";
 * console.log(expectedImprovementTerms(-40).logH); // -808.29856835662 (h itself underflows to 0)
 * ```
 */
export function expectedImprovementTerms(z: number): ExpectedImprovementTerms {
  if (Number.isNaN(z)) return { logH: NaN, pdfOverH: NaN, cdfOverH: NaN };
  if (z > -1) {
    const pdf = normalPdf(z);
    const cdf = normalCdf(z);
    const h = pdf + z * cdf;
    return { logH: Math.log(h), pdfOverH: pdf / h, cdfOverH: cdf / h };
  }
  const r = erfcx(-z * SQRT_HALF) * SQRT_HALF_PI;
  if (z > LOG_H_SERIES) {
    const logOneMinus = log1mexp(Math.log(-z * r));
    const pdfOverH = Math.exp(-logOneMinus);
    return { logH: logNormalPdf(z) + logOneMinus, pdfOverH, cdfOverH: r * pdfOverH };
  }
  const inverseSquare = 1 / (z * z);
  let series = 1;
  let term = 1;
  for (let k = 1; k < 40 && Math.abs(term) > 1e-17; k++) {
    term *= -(2 * k + 1) * inverseSquare;
    series += term;
  }
  const pdfOverH = z * z / series;
  return {
    logH: logNormalPdf(z) - 2 * Math.log(-z) + Math.log(series),
    pdfOverH,
    cdfOverH: r * pdfOverH,
  };
}

/**
 * `log h(z)` for `h(z) = φ(z) + zΦ(z)`, finite for every finite z (see
 * {@linkcode expectedImprovementTerms}).
 *
 * @example
 * ```ts
 * import { logExpectedImprovementFactor } from "./normal.ts";
 * console.log(logExpectedImprovementFactor(-40)); // -808.29856835662
 * ```
 */
export function logExpectedImprovementFactor(z: number): number {
  return expectedImprovementTerms(z).logH;
}

/**
 * `h(z) = φ(z) + zΦ(z)` (see {@linkcode expectedImprovementTerms}), computed without the
 * cancellation of the direct formula for z < −1.
 *
 * @example
 * ```ts
 * import { expectedImprovementFactor } from "./normal.ts";
 * console.log(expectedImprovementFactor(0)); // 0.3989422804014327
 * ```
 */
export function expectedImprovementFactor(z: number): number {
  return z > -1 ? normalPdf(z) + z * normalCdf(z) : Math.exp(logExpectedImprovementFactor(z));
}
