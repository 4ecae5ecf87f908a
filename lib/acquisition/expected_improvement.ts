/**
 * Expected improvement (EI) and its logarithm (LogEI) for MINIMISATION.
 *
 * With posterior mean μ, standard deviation σ and incumbent `f_min` (minus the optional `xi`),
 * `EI(x) = (f_min − μ)·Φ(Z) + σ·φ(Z)` with `Z = (f_min − μ)/σ` (Jones, Schonlau & Welch 1998).
 * Formulas written with `μ − f_min` are the maximisation form: for minimisation the improvement is
 * `max(f_min − f, 0)`, so the sign is `f_min − μ`, as here.
 *
 * EI underflows to exactly 0 (with a zero gradient) once σ·h(Z) leaves float64 (Z below about
 * −38 at σ = 1), which leaves gradient-based optimisers stranded on flat plateaus. LogEI =
 * log σ + log h(Z) with `h(z) = φ(z) + zΦ(z)` is computed stably for every Z (Ament et al.,
 * "Unexpected Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023), so
 * it stays finite, smooth and informative there; it is the recommended default.
 *
 * @module
 */
import type { Surrogate } from "../models/surrogate.ts";
import {
  type AcquisitionFunction,
  improvementAcquisition,
  type ImprovementOptions,
  type UtilityValue,
} from "./acquisition.ts";
import {
  erfcx,
  expectedImprovementFactor,
  expectedImprovementTerms,
  log1mexp,
  logExpectedImprovementFactor,
  logNormalCdf,
  logNormalPdf,
  normalCdf,
  normalPdf,
} from "./normal.ts";

/**
 * EI at one (μ, σ) for minimisation below `threshold` (= f_min − xi), with ∂/∂μ = −Φ(Z) and
 * ∂/∂σ = φ(Z). At σ = 0 it is `max(threshold − μ, 0)`, with the limits as σ → 0⁺ of ∂/∂σ (φ(0)
 * at μ = threshold, else 0) and, away from μ = threshold, of ∂/∂μ (−1 below it, 0 above); at
 * μ = threshold ∂/∂μ is 0 (the limit would be −Φ(0) = −½).
 *
 * @example
 * ```ts
 * import { expectedImprovementOf } from "./expected_improvement.ts";
 * console.log(expectedImprovementOf(0, 1, 0).value); // φ(0) = 0.3989422804014327
 * ```
 */
export function expectedImprovementOf(mean: number, sd: number, threshold: number): UtilityValue {
  const improvement = threshold - mean;
  const z = improvement / sd;
  if (!(sd > 0) || !Number.isFinite(z)) {
    return {
      value: Math.max(improvement, 0),
      dMean: improvement > 0 ? -1 : 0,
      dSd: improvement === 0 ? normalPdf(0) : 0,
    };
  }
  return { value: scaledFactor(sd, z), dMean: -normalCdf(z), dSd: normalPdf(z) };
}

/**
 * σ·h(Z), EI for σ > 0. Below Z ≈ −37.4 h(Z) leaves the normal float64 range (it is 0 below
 * Z ≈ −38.39) while σ·h(Z) may not when σ is large (σ = 10¹⁵⁰ at Z = −40: 9.13·10⁻²⁰²); there it
 * is exp(log σ + log h(Z)), with LogEI's log h (Ament et al. 2023). With σ ≤ 1 the product is
 * itself below the normal range and is kept as the plain product.
 */
function scaledFactor(sd: number, z: number): number {
  const factor = expectedImprovementFactor(z);
  return factor < MIN_NORMAL && sd > 1
    ? Math.exp(Math.log(sd) + logExpectedImprovementFactor(z))
    : sd * factor;
}

/**
 * log EI at one (μ, σ) for minimisation below `threshold`, finite wherever σ > 0 (see the module
 * documentation), with ∂/∂μ = −(Φ/h)(Z)/σ and ∂/∂σ = (φ/h)(Z)/σ. At σ = 0 it is
 * `log max(threshold − μ, 0)`, i.e. −Infinity (with zero derivatives) when no improvement is
 * possible.
 *
 * @example
 * ```ts
 * import { logExpectedImprovementOf } from "./expected_improvement.ts";
 * console.log(logExpectedImprovementOf(40, 1, 0).value); // -808.29856835662 (EI is 0 in float64)
 * ```
 */
export function logExpectedImprovementOf(
  mean: number,
  sd: number,
  threshold: number,
): UtilityValue {
  const improvement = threshold - mean;
  const z = improvement / sd;
  if (!(sd > 0) || !Number.isFinite(z)) {
    return improvement > 0
      ? { value: Math.log(improvement), dMean: -1 / improvement, dSd: 0 }
      : { value: -Infinity, dMean: 0, dSd: 0 };
  }
  const terms = expectedImprovementTerms(z);
  return {
    value: Math.log(sd) + terms.logH,
    dMean: -terms.cdfOverH / sd,
    dSd: terms.pdfOverH / sd,
  };
}

/**
 * The expected-improvement acquisition (to maximise) for a minimised objective:
 * `EI(x) = (f_min − μ)Φ(Z) + σφ(Z)`, `Z = (f_min − μ)/σ`, where `f_min` is `options.best − xi`.
 * (The form with `μ − f_min` is for maximisation.) Prefer
 * {@linkcode logExpectedImprovement}, which does not underflow.
 *
 * @param surrogate A fitted surrogate.
 * @param options `best` (the incumbent value) and optional `xi` (default 0).
 * @throws {TypeError} When `best` or `xi` is not a finite number or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { expectedImprovement } from "./expected_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const ei = expectedImprovement(surrogate, { best: 0.3 });
 * const values = ei.evaluate([new Float64Array(surrogate.dim).fill(0.5)]);
 * const { value, gradient } = ei.valueAndGradient!(new Float64Array(surrogate.dim).fill(0.5));
 * ```
 */
export function expectedImprovement(
  surrogate: Surrogate,
  options: ImprovementOptions,
): AcquisitionFunction {
  return improvementAcquisition(
    "EI",
    "expectedImprovement",
    surrogate,
    options,
    expectedImprovementOf,
    "linear",
  );
}

/**
 * The log-expected-improvement acquisition (Ament et al. 2023) for a minimised objective: the
 * logarithm of {@linkcode expectedImprovement}, computed so that it stays finite and smooth where
 * EI underflows to 0. Same options.
 *
 * @param surrogate A fitted surrogate.
 * @param options `best` (the incumbent value) and optional `xi` (default 0).
 * @throws {TypeError} When `best` or `xi` is not a finite number or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { logExpectedImprovement } from "./expected_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const logEi = logExpectedImprovement(surrogate, { best: 0.3 });
 * const [value] = logEi.evaluate([new Float64Array(surrogate.dim).fill(0.5)]);
 * ```
 */
export function logExpectedImprovement(
  surrogate: Surrogate,
  options: ImprovementOptions,
): AcquisitionFunction {
  return improvementAcquisition(
    "LogEI",
    "logExpectedImprovement",
    surrogate,
    options,
    logExpectedImprovementOf,
    "log",
  );
}

/**
 * EI of a log-normal objective at one (μ, σ): the model is of Y = log f, and the improvement is
 * measured in f, `E[max(e^{f*} − e^Y, 0)] = e^{f*}Φ(v) − e^{μ+σ²/2}Φ(v − σ)`, `v = (f* − μ)/σ`,
 * with ∂/∂μ = −e^{μ+σ²/2}Φ(v − σ) and ∂/∂σ = e^{f*}φ(v) − σe^{μ+σ²/2}Φ(v − σ) (Hutter, Hoos &
 * Leyton-Brown 2011, section 4.3; SMAC's `EI(log=True)`). At σ = 0 it is `max(e^{f*} − e^μ, 0)`.
 * Finite for finite inputs unless EI itself exceeds float64: once `e^{μ+σ²/2}` overflows or
 * `Φ(v − σ)` underflows (σ beyond about 37 at μ = f* = 0), or `e^{f*}` overflows, the terms are
 * combined in logarithms. Where `σ·max(1, v)` is small the two terms agree in their leading digits
 * (EI ≈ e^{f*}σh(v) with `h(v) = φ(v) + vΦ(v)`, about σ/max(1, |v|) times either term), so there
 * the difference is taken analytically: with `R = Φ/φ`, EI = `e^{f*}φ(v)(R(v) − R(v − σ))` =
 * `e^{f*}σ∫₀¹ h(v − sσ)·e^{−sσ(v − sσ/2)} ds`, whose integrand changes by a factor of at most about
 * `e^{2σ·max(1, v)}` over [0, 1]; 8-point Gauss–Legendre quadrature with `log h` from
 * {@linkcode logExpectedImprovementFactor} integrates it. `tests/acquisition/expected_improvement_test.ts`
 * checks EI and its derivatives against 60-digit references (σ from 1e-14 to 0.2, printed by
 * `tests/acquisition/expected_improvement_reference.py`) to a relative 1e-11.
 *
 * @example
 * ```ts
 * import { lognormalExpectedImprovementOf } from "./expected_improvement.ts";
 * console.log(lognormalExpectedImprovementOf(0, 0, Math.log(2)).value); // 2 − 1 = 1
 * ```
 */
export function lognormalExpectedImprovementOf(
  mean: number,
  sd: number,
  threshold: number,
): UtilityValue {
  const target = Math.exp(threshold);
  if (!(sd > 0)) {
    const improvement = target - Math.exp(mean);
    return {
      value: Math.max(improvement, 0),
      dMean: improvement > 0 ? -Math.exp(mean) : 0,
      dSd: 0,
    };
  }
  const v = (threshold - mean) / sd;
  const logScaled = mean + 0.5 * sd * sd;
  const scaled = Math.exp(logScaled);
  const cdf = normalCdf(v - sd);
  const close = Number.isFinite(v) && sd * Math.max(1, v) <= CLOSE_TERMS;
  if (target < Infinity && scaled < Infinity && cdf >= MIN_NORMAL) {
    const tail = scaled * cdf;
    return {
      value: close
        ? lognormalExpectedImprovementClose(v, sd, threshold)
        : Math.max(target * normalCdf(v) - tail, 0),
      dMean: -tail,
      dSd: target * normalPdf(v) - sd * tail,
    };
  }
  // A large σ (e^{μ+σ²/2} overflows while Φ(v − σ) underflows) or e^{f*} beyond float64: the
  // terms in logarithms, EI = e^{f*}Φ(v)·(1 − e^d) with d = log(tail) − f* − log Φ(v). Below
  // z = v − σ = −5, Φ(z) = erfcx(−z/√2)·e^{−z²/2}/2 and μ + σ²/2 − z²/2 = f* − v²/2, so the
  // tail's logarithm is taken without the cancellation of σ²/2 against log Φ(z).
  const z = v - sd;
  const logTail = z < -5
    ? threshold - 0.5 * v * v + Math.log(0.5 * erfcx(-z * Math.SQRT1_2))
    : logScaled + logNormalCdf(z);
  const logFirst = threshold + logNormalCdf(v);
  const d = logTail - logFirst;
  const tail = Math.exp(logTail);
  return {
    value: close
      ? lognormalExpectedImprovementClose(v, sd, threshold)
      : d < 0
      ? Math.exp(logFirst + log1mexp(d))
      : 0,
    dMean: -tail,
    dSd: Math.exp(threshold + logNormalPdf(v)) - sd * tail,
  };
}

/** The smallest positive normal double: below it Φ(v − σ) or h(Z) has lost digits. */
const MIN_NORMAL = 2 ** -1022;

/**
 * Up to this `σ·max(1, v)` the log-normal EI is integrated; beyond it the closed form's two terms
 * cancel by a factor of at most about `max(1, |v|)/σ` (below 400 for v ≥ −40).
 */
const CLOSE_TERMS = 0.1;

/** Nodes on [0, 1] of 8-point Gauss–Legendre quadrature (exact for polynomials of degree 15). */
const GAUSS_LEGENDRE_NODES = [
  0.019855071751231884,
  0.10166676129318663,
  0.23723379504183551,
  0.4082826787521751,
  0.5917173212478249,
  0.76276620495816449,
  0.89833323870681337,
  0.98014492824876812,
];
/** Weights of {@linkcode GAUSS_LEGENDRE_NODES} (summing to 1). */
const GAUSS_LEGENDRE_WEIGHTS = [
  0.05061426814518813,
  0.11119051722668724,
  0.15685332293894364,
  0.18134189168918099,
  0.18134189168918099,
  0.15685332293894364,
  0.11119051722668724,
  0.05061426814518813,
];

/**
 * `e^{f*}Φ(v) − e^{μ+σ²/2}Φ(v − σ)` for small `σ·max(1, v)`, without subtracting the terms:
 * `e^{f*}σ∫₀¹ h(v − sσ)·e^{−sσ(v − sσ/2)} ds` (see {@linkcode lognormalExpectedImprovementOf}),
 * summed in logarithms so that neither `h` nor `e^{f*}` under- or overflows on the way.
 */
function lognormalExpectedImprovementClose(v: number, sd: number, threshold: number): number {
  const logs = GAUSS_LEGENDRE_NODES.map((node) => {
    const step = sd * node;
    return logExpectedImprovementFactor(v - step) - step * (v - 0.5 * step);
  });
  const top = Math.max(...logs);
  if (top === -Infinity) return 0;
  let sum = 0;
  for (let i = 0; i < logs.length; i++) sum += GAUSS_LEGENDRE_WEIGHTS[i] * Math.exp(logs[i] - top);
  return Math.exp(threshold + top + Math.log(sd * sum));
}

/**
 * SMAC's expected improvement for a surrogate of the logarithm of the objective (Hutter, Hoos &
 * Leyton-Brown 2011, section 4.3): the improvement `max(e^{f*} − e^Y, 0)` of the objective itself
 * under the model's normal predictive distribution of Y = log f (see
 * {@linkcode lognormalExpectedImprovementOf}). Use it with values on a log scale, e.g.
 * `bayesOpt`'s `outcomeTransform: "log-scaled"`.
 *
 * @param surrogate A fitted surrogate of log-scaled values.
 * @param options `best` (the incumbent, log-scaled) and optional `xi` (default 0).
 * @throws {TypeError} When `best` or `xi` is not a finite number or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { lognormalExpectedImprovement } from "./expected_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)], [-1, -3, -0.5]);
 * const ei = lognormalExpectedImprovement(surrogate, { best: -3 });
 * const [value] = ei.evaluate([Float64Array.of(0.45)]);
 * console.log(value >= 0); // true
 * ```
 */
export function lognormalExpectedImprovement(
  surrogate: Surrogate,
  options: ImprovementOptions,
): AcquisitionFunction {
  return improvementAcquisition(
    "LognormalEI",
    "lognormalExpectedImprovement",
    surrogate,
    options,
    lognormalExpectedImprovementOf,
  );
}
