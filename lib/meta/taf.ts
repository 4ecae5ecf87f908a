/**
 * TAF, the transfer acquisition function (Wistuba, Schilling & Schmidt-Thieme 2018, "Scalable
 * Gaussian process-based transfer surrogates for hyperparameter optimization", TAF-R): the target
 * GP's expected improvement plus each base model's predicted improvement over its own best
 * prediction among the target's observations, weighted like TST-R,
 *
 *     a(x) = [¾ · EI_t(x) + Σ_i w_i · max(0, y*_i − μ̃_i(x))] / (¾ + Σ_i w_i),
 *     y*_i = min_j μ̃_i(x_j) over the target's observed points x_j,
 *
 * everything in standardised units (EI_t of the standardised target GP). The weights need the
 * target data, which an acquisition builder does not see: {@linkcode taf} therefore returns a pair,
 * a surrogate factory that fits the target GP and records the weights and incumbents, and the
 * acquisition builder that reads them; pass both to `bayesOpt`.
 *
 * @module
 */
import { expectedImprovementOf } from "../acquisition/expected_improvement.ts";
import type { AcquisitionFunction } from "../acquisition/acquisition.ts";
import type { GaussianProcess } from "../gp/gp.ts";
import type {
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "../models/surrogate.ts";
import type { Rng } from "../random/rng.ts";
import type { AcquisitionBuilder } from "../smbo/bayes_opt.ts";
import {
  type BaseModel,
  standardizedPoint,
  standardizedPredict,
  targetFitter,
} from "./base_models.ts";
import { checkBaseModels, checkFitDimension } from "./rgpe.ts";
import {
  type KernelWeightOptions,
  kernelWeights,
  parseKernelWeightOptions,
  TARGET_KERNEL_WEIGHT,
} from "./tstr.ts";

/**
 * The target GP fitted by TAF's factory, with the base models' weights and incumbents on the
 * target data; as a surrogate it is the target GP.
 */
export class TafSurrogate implements Surrogate {
  /** Input dimension. */
  readonly dim: number;

  /** Wraps a fitted target GP with the transfer quantities computed on its data. */
  constructor(
    /** The target GP. */
    readonly target: GaussianProcess,
    /** Base models. */
    readonly baseModels: readonly BaseModel[],
    /** Epanechnikov weight of each base model. */
    readonly weights: Float64Array,
    /** y*_i: each base model's lowest standardised mean over the target's observed points. */
    readonly incumbents: Float64Array,
  ) {
    this.dim = target.dim;
  }

  predict(points: readonly Float64Array[]): Prediction {
    return this.target.predict(points);
  }

  predictWithGradient(point: Float64Array): PointPrediction {
    return this.target.predictWithGradient(point);
  }

  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
    return this.target.sampleJoint(points, count, rng);
  }
}

/** The TAF acquisition on a {@linkcode TafSurrogate}, `best` being the target's best value. */
export function transferAcquisition(surrogate: TafSurrogate, best: number): AcquisitionFunction {
  const { target, baseModels, weights, incumbents, dim } = surrogate;
  const { mean: shift, std } = target.standardization;
  const threshold = (best - shift) / std;
  const total = weights.reduce((a, b) => a + b, 0) + TARGET_KERNEL_WEIGHT;
  const used = baseModels.flatMap((_, i) => weights[i] > 0 ? [i] : []);
  return {
    name: "TAF",
    dim,
    evaluate(points) {
      const t = standardizedPredict(target, points);
      const out = Float64Array.from(
        t.mean,
        (m, j) =>
          TARGET_KERNEL_WEIGHT *
          expectedImprovementOf(m, Math.sqrt(t.variance[j]), threshold).value,
      );
      for (const i of used) {
        const mean = standardizedPredict(baseModels[i].gp, points).mean;
        for (let j = 0; j < points.length; j++) {
          out[j] += weights[i] * Math.max(0, incumbents[i] - mean[j]);
        }
      }
      return out.map((v) => v / total);
    },
    valueAndGradient(point) {
      const t = standardizedPoint(target, point);
      const sd = Math.sqrt(Math.max(t.variance, 0));
      const ei = expectedImprovementOf(t.mean, sd, threshold);
      let value = TARGET_KERNEL_WEIGHT * ei.value;
      const gradient = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        gradient[j] = TARGET_KERNEL_WEIGHT * (ei.dMean * t.meanGradient[j] +
          (sd > 0 ? (ei.dSd * t.varianceGradient[j]) / (2 * sd) : 0));
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

/** The two halves of TAF, to pass to `bayesOpt`. */
export interface TafPair {
  /** Fits the target GP and computes the weights and incumbents. */
  surrogate: SurrogateFactory;
  /** Builds the TAF acquisition on what `surrogate` fitted. */
  acquisition: AcquisitionBuilder;
}

/**
 * TAF as a surrogate factory and an acquisition builder (see the module docs).
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * import { taf } from "./taf.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * const x = [0.1, 0.4, 0.8].map((v) => Float64Array.of(v));
 * const base = fitBaseModels([{ id: "a", points: x, values: Float64Array.of(1, 0, 2) }]);
 * const proposer = bayesOpt({ ...taf(base) });
 * ```
 */
export function taf(baseModels: readonly BaseModel[], options: KernelWeightOptions = {}): TafPair {
  const { bandwidth } = parseKernelWeightOptions(options, "taf options");
  const dim = checkBaseModels(baseModels, "taf.baseModels");
  const fitTarget = targetFitter(options.gp);
  return {
    surrogate: {
      name: "taf",
      fit(points, values, rng, hints) {
        checkFitDimension(points, dim, "taf.fit");
        const target = fitTarget(points, values, rng, hints);
        const weights = kernelWeights(baseModels, points, values, bandwidth);
        const incumbents = Float64Array.from(
          baseModels,
          (m) => Math.min(...standardizedPredict(m.gp, points).mean),
        );
        return new TafSurrogate(target, baseModels, weights, incumbents);
      },
    },
    acquisition(surrogate, context) {
      if (!(surrogate instanceof TafSurrogate)) {
        throw new TypeError(
          "taf acquisition: the surrogate must be fitted by taf(...).surrogate (pass both to bayesOpt)",
        );
      }
      return transferAcquisition(surrogate, context.best);
    },
  };
}
