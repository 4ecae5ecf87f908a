/**
 * TAF, the transfer acquisition function (Wistuba, Schilling & Schmidt-Thieme 2018, "Scalable
 * Gaussian process-based transfer surrogates for hyperparameter optimization", TAF-R): the target
 * model's expected improvement plus each base model's predicted improvement over its own best
 * prediction among the target's observations, weighted like TST-R,
 *
 *     a(x) = [¾ · EI_t(x) + Σ_i w_i · max(0, y*_i − μ̃_i(x))] / (¾ + Σ_i w_i),
 *     y*_i = min_j μ̃_i(x_j) over the target's observed points x_j,
 *
 * everything in standardised units (EI_t of the target surrogate with the observed values
 * standardised). {@linkcode taf} is a plain acquisition builder for `bayesOpt`: the acquisition
 * context carries the target's observed points and values, from which it computes the weights
 * and incumbents; any surrogate of the target works. The weights w_i are TST-R's Epanechnikov
 * kernel weights (`epanechnikovWeight`), a deterministic function of the observations: there is
 * no bootstrap (unlike RGPE's weights), and the context's `rng` is not used.
 *
 * @module
 */
import { expectedImprovementOf } from "../acquisition/expected_improvement.ts";
import type { AcquisitionFunction } from "../acquisition/acquisition.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import type { Surrogate } from "../models/surrogate.ts";
import type { AcquisitionBuilder, AcquisitionContext } from "../smbo/bayes_opt.ts";
import { type BaseModel, standardizedMean, standardizedPoint } from "./base_models.ts";
import { checkBaseModels, checkFitDimension } from "./rgpe.ts";
import {
  type KernelWeightOptions,
  kernelWeights,
  parseKernelWeightOptions,
  TARGET_KERNEL_WEIGHT,
} from "./tstr.ts";

/** What the TAF acquisition combines besides the target surrogate (see {@linkcode taf}). */
export interface TafParts {
  /** Base models. */
  readonly baseModels: readonly BaseModel[];
  /** Epanechnikov weight of each base model (deterministic, see the module docs). */
  readonly weights: Float64Array;
  /** y*_i: each base model's lowest standardised mean over the target's observed points. */
  readonly incumbents: Float64Array;
  /** The target's best observed value, in the surrogate's units. */
  readonly best: number;
  /** The target standardisation (mean, std) that maps the surrogate's units to TAF's. */
  readonly standardization: { readonly mean: number; readonly std: number };
}

/**
 * The TAF acquisition on a target surrogate, from its parts (the formula in the module docs).
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * import { transferAcquisition } from "./taf.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const x = [0.1, 0.4, 0.8].map((v) => Float64Array.of(v));
 * const base = fitBaseModels([{ id: "a", points: x, values: Float64Array.of(1, 0, 2) }]);
 * const target = fitGP(x, [2, 1, 0]);
 * const a = transferAcquisition(target, {
 *   baseModels: base,
 *   weights: Float64Array.of(0.5),
 *   incumbents: Float64Array.of(-1),
 *   best: 0,
 *   standardization: target.standardization,
 * });
 * a.evaluate([Float64Array.of(0.6)]);
 * ```
 */
export function transferAcquisition(surrogate: Surrogate, parts: TafParts): AcquisitionFunction {
  const { baseModels, weights, incumbents } = parts;
  const { mean: shift, std } = parts.standardization;
  const dim = surrogate.dim;
  const threshold = (parts.best - shift) / std;
  const total = weights.reduce((a, b) => a + b, 0) + TARGET_KERNEL_WEIGHT;
  const used = baseModels.flatMap((_, i) => weights[i] > 0 ? [i] : []);
  return {
    name: "TAF",
    dim,
    evaluate(points) {
      const t = surrogate.predict(points);
      const out = Float64Array.from(
        t.mean,
        (m, j) =>
          TARGET_KERNEL_WEIGHT *
          expectedImprovementOf((m - shift) / std, Math.sqrt(t.variance[j]) / std, threshold)
            .value,
      );
      for (const i of used) {
        const mean = standardizedMean(baseModels[i].gp, points, { cache: true });
        for (let j = 0; j < points.length; j++) {
          out[j] += weights[i] * Math.max(0, incumbents[i] - mean[j]);
        }
      }
      return out.map((v) => v / total);
    },
    valueAndGradient(point) {
      const t = surrogate.predictWithGradient(point);
      const variance = Math.max(t.variance, 0) / (std * std);
      const sd = Math.sqrt(variance);
      const ei = expectedImprovementOf((t.mean - shift) / std, sd, threshold);
      let value = TARGET_KERNEL_WEIGHT * ei.value;
      const gradient = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        const dMean = t.meanGradient[j] / std, dVariance = t.varianceGradient[j] / (std * std);
        gradient[j] = TARGET_KERNEL_WEIGHT *
          (ei.dMean * dMean + (sd > 0 ? (ei.dSd * dVariance) / (2 * sd) : 0));
      }
      for (const i of used) {
        const p = standardizedPoint(baseModels[i].gp, point);
        if (p.mean >= incumbents[i]) continue;
        value += weights[i] * (incumbents[i] - p.mean);
        for (let j = 0; j < dim; j++) gradient[j] -= weights[i] * p.meanGradient[j];
      }
      return { value: value / total, gradient: gradient.map((g) => g / total) };
    },
  };
}

/**
 * The parts of TAF on the target's observations: base-model weights (Epanechnikov kernel on the
 * fraction of discordant pairs, as TST-R; no resampling, so the parts do not depend on the
 * context's `rng`), incumbents y*_i and the target standardisation.
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * import { tafParts } from "./taf.ts";
 * import { Rng } from "../random/rng.ts";
 * const x = [0.1, 0.4, 0.8].map((v) => Float64Array.of(v));
 * const base = fitBaseModels([{ id: "a", points: x, values: Float64Array.of(1, 0, 2) }]);
 * const parts = tafParts(base, {
 *   best: 0,
 *   rng: new Rng(0),
 *   points: x,
 *   values: Float64Array.of(2, 1, 0),
 *   pending: [],
 * });
 * parts.weights; // one weight per base model
 * ```
 */
export function tafParts(
  baseModels: readonly BaseModel[],
  context: AcquisitionContext,
  options: KernelWeightOptions = {},
): TafParts {
  const { bandwidth } = parseKernelWeightOptions(options, "taf options");
  const dim = checkBaseModels(baseModels, "taf.baseModels");
  const { points, values, best } = context;
  checkFitDimension(points, dim, "taf");
  if (points.length === 0 || points.length !== values.length) {
    throw new RangeError(
      `taf: the acquisition context needs observed points and as many values (got ${points.length} and ${values.length})`,
    );
  }
  const { mean, std } = standardizeTargets(values);
  return {
    baseModels,
    weights: kernelWeights(baseModels, points, values, bandwidth),
    incumbents: Float64Array.from(baseModels, (m) => {
      let low = Infinity;
      for (const v of standardizedMean(m.gp, points, { cache: true })) low = Math.min(low, v);
      return low;
    }),
    best,
    standardization: { mean, std },
  };
}

/**
 * TAF as an acquisition builder for `bayesOpt` (see the module docs). It reads the target's
 * observations from the acquisition context, so any surrogate of the target works; the transfer
 * strategy `taf` pairs it with a GP (`gpFactory(options.gp)`; `options.gp` only matters there).
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * import { taf } from "./taf.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * const x = [0.1, 0.4, 0.8].map((v) => Float64Array.of(v));
 * const base = fitBaseModels([{ id: "a", points: x, values: Float64Array.of(1, 0, 2) }]);
 * const proposer = bayesOpt({ acquisition: taf(base) });
 * ```
 */
export function taf(
  baseModels: readonly BaseModel[],
  options: KernelWeightOptions = {},
): AcquisitionBuilder {
  parseKernelWeightOptions(options, "taf options");
  checkBaseModels(baseModels, "taf.baseModels");
  return (surrogate, context) =>
    transferAcquisition(surrogate, tafParts(baseModels, context, options));
}
