/**
 * The confidence-bound acquisition for MINIMISATION: GP-UCB (Srinivas et al. 2010) applied to
 * `−f`, i.e. the lower confidence bound `μ − √β·σ`, negated so that it is maximised:
 * `LCB(x) = −(μ(x) − √β·σ(x))`.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Surrogate } from "../models/surrogate.ts";
import { parseOrThrow } from "../validate.ts";
import { type AcquisitionFunction, marginalAcquisition, type UtilityValue } from "./acquisition.ts";

/** Options of {@linkcode lowerConfidenceBound}. */
export interface ConfidenceBoundOptions {
  /** The exploration weight β ≥ 0 (σ is weighted by √β); default {@linkcode CONFIDENCE_BOUND_DEFAULTS}. */
  beta?: number;
}

/**
 * Defaults of {@linkcode lowerConfidenceBound}: `beta = 4`, i.e. the mean minus two posterior
 * standard deviations (a fixed β rather than the growing schedule of the GP-UCB regret bound,
 * which is very conservative in practice).
 *
 * @example
 * ```ts
 * import { CONFIDENCE_BOUND_DEFAULTS } from "./confidence_bound.ts";
 * console.log(CONFIDENCE_BOUND_DEFAULTS.beta); // 4
 * ```
 */
export const CONFIDENCE_BOUND_DEFAULTS: Readonly<{ beta: number }> = Object.freeze({ beta: 4 });

const optionsSchema = z.strictObject({
  beta: z.number().nonnegative("must be >= 0").refine(Number.isFinite, "must be finite").optional(),
});

/**
 * The negated lower confidence bound at one (μ, σ): `√β·σ − μ`, with ∂/∂μ = −1, ∂/∂σ = √β.
 *
 * @example
 * ```ts
 * import { lowerConfidenceBoundOf } from "./confidence_bound.ts";
 * console.log(lowerConfidenceBoundOf(1, 0.5, 4).value); // 0 = −(1 − 2·0.5)
 * ```
 */
export function lowerConfidenceBoundOf(mean: number, sd: number, beta: number): UtilityValue {
  const weight = Math.sqrt(beta);
  return { value: weight * sd - mean, dMean: -1, dSd: weight };
}

/**
 * The confidence-bound acquisition for a minimised objective, to maximise:
 * `−(μ − √β·σ)` (UCB written as LCB for minimisation).
 *
 * @param surrogate A fitted surrogate.
 * @param options `beta` ≥ 0 (default 4).
 * @throws {TypeError} When `beta` is negative or not finite, or the surrogate is malformed.
 *
 * @example
 * ```ts
 * import { lowerConfidenceBound } from "./confidence_bound.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const lcb = lowerConfidenceBound(surrogate, { beta: 2 });
 * ```
 */
export function lowerConfidenceBound(
  surrogate: Surrogate,
  options: ConfidenceBoundOptions = {},
): AcquisitionFunction {
  const parsed = parseOrThrow(optionsSchema, options, "lowerConfidenceBound: options");
  const beta = parsed.beta ?? CONFIDENCE_BOUND_DEFAULTS.beta;
  return marginalAcquisition(
    "LCB",
    surrogate,
    (mean, sd) => lowerConfidenceBoundOf(mean, sd, beta),
    // √β·σ − μ = −shift + scale·(√β·σ̃ − μ̃).
    (shift, scale) => ({
      utility: (mean, sd) => lowerConfidenceBoundOf(mean, sd, beta),
      offset: -shift,
      factor: scale,
    }),
  );
}
