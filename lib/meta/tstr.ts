/**
 * TST-R, the two-stage transfer surrogate with ranking-based weights (Wistuba, Schilling &
 * Schmidt-Thieme 2016, "Two-stage transfer surrogate model for automatic hyperparameter
 * optimization"), as a {@linkcode SurrogateFactory}. The mean is a kernel-weighted average of the
 * base models' and the target model's (standardised) means; base model i gets the Epanechnikov
 * weight ¾(1 − (ξ_i/ρ)²) of its fraction ξ_i of discordant pairs on the target's observations
 * (0 beyond the bandwidth ρ), the target model ¾. The variance is the target GP's.
 *
 * Fantasies (a fit with `mode: "keep"`: `bayesOpt`'s kriging believer for batches and pending
 * trials, Ginsbourger, Le Riche & Carraro 2010) keep the model and add the believed points as
 * data, as for RGPE (see `rgpe.ts`): the weights are those of the previous fit (when it is this
 * factory's), not recomputed on the believed values, and the target GP is that fit's conditioned
 * on the believed points at its own posterior mean there, at its hyperparameters,
 * standardisation and constant mean (`targetFitter`), so that the ensemble's mean is unchanged
 * everywhere (at the believed points, the believed value) and its variance, the target's,
 * nowhere rises.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { GpFactoryOptions } from "../gp/gp.ts";
import type { Surrogate, SurrogateFactory } from "../models/surrogate.ts";
import {
  type BaseModel,
  standardizedMean,
  targetFitter,
  targetWarmStartState,
} from "./base_models.ts";
import { WeightedEnsemble } from "./ensemble.ts";
import { bandwidthSchema, epanechnikovWeight } from "./ranking.ts";
import { checkBaseModels, checkFitDimension, gpOptionsSchema } from "./rgpe.ts";
import { parseOrThrow } from "../validate.ts";

/** Options of {@linkcode tstr} and `taf`; defaults in {@linkcode TSTR_DEFAULTS}. */
export interface KernelWeightOptions {
  /** Bandwidth ρ of the Epanechnikov kernel on the discordant-pair fraction. */
  bandwidth?: number;
  /** Settings of the target GP. */
  gp?: GpFactoryOptions;
}

/**
 * Defaults of {@linkcode tstr} and `taf`: bandwidth ρ = 0.1 on the fraction of discordant pairs.
 *
 * @example
 * ```ts
 * import { TSTR_DEFAULTS } from "./tstr.ts";
 * console.log(TSTR_DEFAULTS.bandwidth); // 0.1
 * ```
 */
export const TSTR_DEFAULTS: Readonly<{ bandwidth: number }> = Object.freeze({ bandwidth: 0.1 });

/** Weight given to the target model by TST-R and TAF. */
export const TARGET_KERNEL_WEIGHT = 0.75;

/** The schema of the kernel-weight options (also checks `transferOptions`' `kernelWeights`). */
export const kernelWeightOptionsSchema = z.strictObject({
  bandwidth: bandwidthSchema.optional(),
  gp: gpOptionsSchema.optional(),
});

/** Validates kernel-weight options. */
export function parseKernelWeightOptions(options: unknown, label: string): { bandwidth: number } {
  return { ...TSTR_DEFAULTS, ...parseOrThrow(kernelWeightOptionsSchema, options, label) };
}

/** Epanechnikov weights of the base models on the target's observations. */
export function kernelWeights(
  baseModels: readonly BaseModel[],
  points: readonly Float64Array[],
  values: Float64Array,
  bandwidth: number,
): Float64Array {
  return Float64Array.from(
    baseModels,
    (m) => epanechnikovWeight(standardizedMean(m.gp, points, { cache: true }), values, bandwidth),
  );
}

/**
 * The TST-R surrogate factory (see the module docs).
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * import { tstr } from "./tstr.ts";
 * import { Rng } from "../random/rng.ts";
 * const x = [0.1, 0.4, 0.8].map((v) => Float64Array.of(v));
 * const base = fitBaseModels([{ id: "a", points: x, values: Float64Array.of(1, 0, 2) }]);
 * const surrogate = tstr(base).fit(x, Float64Array.of(1.1, 0.1, 2.2), new Rng(0));
 * ```
 */
export function tstr(
  baseModels: readonly BaseModel[],
  options: KernelWeightOptions = {},
): SurrogateFactory {
  const { bandwidth } = parseKernelWeightOptions(options, "tstr options");
  const dim = checkBaseModels(baseModels, "tstr.baseModels");
  const fitTarget = targetFitter(options.gp);
  // The weights of each ensemble this factory fitted: a fantasy keeps them (see the module docs).
  const fitted = new WeakMap<Surrogate, Float64Array>();
  return {
    name: "tst-r",
    // A WeightedEnsemble of GPs, not a GP: no "lognei" (bayesOpt refuses it at construction).
    gaussianProcess: false,
    // The target GP's hyperparameters: a stored study resumes its warm starts exactly.
    warmStartState: targetWarmStartState,
    fit(points, values, rng, hints) {
      checkFitDimension(points, dim, "tstr.fit");
      const target = fitTarget(points, values, rng, hints);
      const kept = hints?.mode === "keep" && hints.previous !== undefined
        ? fitted.get(hints.previous)
        : undefined;
      const weights = kept ?? kernelWeights(baseModels, points, values, bandwidth);
      const total = weights.reduce((a, b) => a + b, 0) + TARGET_KERNEL_WEIGHT;
      const ensemble = new WeightedEnsemble(target, [
        ...baseModels.map((m, i) => ({
          id: m.id,
          gp: m.gp,
          meanWeight: weights[i] / total,
          varianceWeight: 0,
          fixed: true,
        })),
        { id: "target", gp: target, meanWeight: TARGET_KERNEL_WEIGHT / total, varianceWeight: 1 },
      ]);
      fitted.set(ensemble, weights);
      return ensemble;
    },
  };
}
