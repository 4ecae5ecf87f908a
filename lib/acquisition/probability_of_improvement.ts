/**
 * Probability of improvement (PI) and its logarithm (LogPI) for MINIMISATION:
 * `PI(x) = Φ(Z)`, `Z = (f_min − μ)/σ` with `f_min` the incumbent minus the optional `xi`.
 * LogPI uses a tail-accurate `log Φ`, so it stays finite where PI underflows to 0.
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
import { inverseMillsRatio, logNormalCdf, normalCdf, normalPdf } from "./normal.ts";

/**
 * PI at one (μ, σ) for minimisation below `threshold`, with ∂/∂μ = −φ(Z)/σ and
 * ∂/∂σ = −Zφ(Z)/σ. At σ = 0 it is 1 when μ < threshold and 0 otherwise (zero derivatives).
 *
 * @example
 * ```ts
 * import { probabilityOfImprovementOf } from "./probability_of_improvement.ts";
 * console.log(probabilityOfImprovementOf(0, 1, 0).value); // 0.5
 * ```
 */
export function probabilityOfImprovementOf(
  mean: number,
  sd: number,
  threshold: number,
): UtilityValue {
  const z = (threshold - mean) / sd;
  if (!(sd > 0) || !Number.isFinite(z)) {
    return { value: threshold > mean ? 1 : 0, dMean: 0, dSd: 0 };
  }
  const pdf = normalPdf(z);
  return { value: normalCdf(z), dMean: -pdf / sd, dSd: -z * pdf / sd };
}

/**
 * log PI at one (μ, σ) for minimisation below `threshold`, finite wherever σ > 0, with
 * ∂/∂μ = −(φ/Φ)(Z)/σ and ∂/∂σ = −Z(φ/Φ)(Z)/σ (the inverse Mills ratio φ/Φ is computed without
 * underflow). At σ = 0 it is 0 when μ < threshold and −Infinity otherwise.
 *
 * @example
 * ```ts
 * import { logProbabilityOfImprovementOf } from "./probability_of_improvement.ts";
 * console.log(logProbabilityOfImprovementOf(50, 1, 0).value); // ≈ -1254.8, where PI is 0
 * ```
 */
export function logProbabilityOfImprovementOf(
  mean: number,
  sd: number,
  threshold: number,
): UtilityValue {
  const z = (threshold - mean) / sd;
  if (!(sd > 0) || !Number.isFinite(z)) {
    return { value: threshold > mean ? 0 : -Infinity, dMean: 0, dSd: 0 };
  }
  const mills = inverseMillsRatio(z);
  return { value: logNormalCdf(z), dMean: -mills / sd, dSd: -z * mills / sd };
}

/**
 * The probability-of-improvement acquisition (to maximise) for a minimised objective:
 * `PI(x) = Φ((f_min − μ)/σ)` with `f_min = options.best − xi`.
 *
 * @param surrogate A fitted surrogate.
 * @param options `best` (the incumbent value) and optional `xi` (default 0).
 * @throws {TypeError} When `best` or `xi` is not a finite number or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { probabilityOfImprovement } from "./probability_of_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const pi = probabilityOfImprovement(surrogate, { best: 0.3, xi: 0.01 });
 * ```
 */
export function probabilityOfImprovement(
  surrogate: Surrogate,
  options: ImprovementOptions,
): AcquisitionFunction {
  return improvementAcquisition(
    "PI",
    "probabilityOfImprovement",
    surrogate,
    options,
    probabilityOfImprovementOf,
    "invariant",
  );
}

/**
 * The log-probability-of-improvement acquisition: the logarithm of
 * {@linkcode probabilityOfImprovement}, finite where PI underflows. Same options.
 *
 * @param surrogate A fitted surrogate.
 * @param options `best` (the incumbent value) and optional `xi` (default 0).
 * @throws {TypeError} When `best` or `xi` is not a finite number or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { logProbabilityOfImprovement } from "./probability_of_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const logPi = logProbabilityOfImprovement(surrogate, { best: 0.3 });
 * ```
 */
export function logProbabilityOfImprovement(
  surrogate: Surrogate,
  options: ImprovementOptions,
): AcquisitionFunction {
  return improvementAcquisition(
    "LogPI",
    "logProbabilityOfImprovement",
    surrogate,
    options,
    logProbabilityOfImprovementOf,
    "invariant",
  );
}
