/**
 * A weighted ensemble of GPs as one {@linkcode Surrogate}, the shape shared by RGPE and TST-R.
 * Every member is used in its own standardised units; the ensemble is expressed in the target
 * task's units through the target GP's standardisation (ȳ, s):
 *
 *     μ(x)  = ȳ + s · Σ_i a_i μ̃_i(x),      σ²(x) = s² · Σ_i b_i σ̃_i²(x),
 *
 * with mean weights a_i and variance weights b_i (RGPE: a = w, b = w²; TST-R: a = w/Σw and b
 * selecting the target model). Joint samples add each member's centred joint sample scaled by
 * √b_i to the ensemble mean, which has exactly these marginals; posterior paths (`samplePaths`,
 * for Thompson sampling) add each member's centred path (random Fourier features plus Matheron's
 * update, Wilson et al. 2020) the same way, when every member with b_i ≠ 0 draws paths.
 *
 * @module
 */
import type { GaussianProcess } from "../gp/gp.ts";
import type { SamplePath, SamplePathOptions } from "../gp/pathwise.ts";
import type { PointPrediction, Prediction, Surrogate } from "../models/surrogate.ts";
import type { Rng } from "../random/rng.ts";
import { z } from "../deps/zod.ts";
import { nonNegativeIntSchema, parseOrThrow, rngSchema } from "../validate.ts";
import { standardizedMean, standardizedPoint, standardizedPredict } from "./base_models.ts";

/** One member of a {@linkcode WeightedEnsemble}. */
export interface EnsembleMember {
  /** Prior task id, or `"target"`. */
  readonly id: string;
  /** Its GP. */
  readonly gp: GaussianProcess;
  /** Weight a_i of its standardised mean. */
  readonly meanWeight: number;
  /** Weight b_i of its standardised variance. */
  readonly varianceWeight: number;
  /**
   * Whether the GP never changes (a base model): its predictions at a point are then memoised
   * across fits, so that a pool's candidates are predicted once per base model.
   */
  readonly fixed?: boolean;
}

/** The members' weights: a_i any finite number, b_i finite and ≥ 0 (it scales a variance). */
const weightsSchema = z.array(
  z.object({
    meanWeight: z.number("must be a finite number"),
    varianceWeight: z.number("must be a finite number ≥ 0").min(0, "must be a finite number ≥ 0"),
  }),
);

/**
 * A weighted GP ensemble in the target's units (see the module docs). Members with both weights
 * zero are skipped. The constructor throws a `TypeError` naming the member's field for a mean
 * weight that is not a finite number or a variance weight that is not a finite number ≥ 0
 * (`WeightedEnsemble.members[0].varianceWeight: must be a finite number ≥ 0`).
 *
 * @example
 * ```ts
 * import { fitGP } from "../gp/gp.ts";
 * import { WeightedEnsemble } from "./ensemble.ts";
 * const x = [0.1, 0.5, 0.9].map((v) => Float64Array.of(v));
 * const target = fitGP(x, Float64Array.of(1, 0, 1));
 * const prior = fitGP(x, Float64Array.of(2, 0, 2));
 * const ensemble = new WeightedEnsemble(target, [
 *   { id: "prior", gp: prior, meanWeight: 0.5, varianceWeight: 0.25 },
 *   { id: "target", gp: target, meanWeight: 0.5, varianceWeight: 0.25 },
 * ]);
 * ensemble.predict([Float64Array.of(0.3)]);
 * ```
 */
export class WeightedEnsemble implements Surrogate {
  /** Input dimension. */
  readonly dim: number;
  /** The members with a non-zero weight, in the order given. */
  readonly members: readonly EnsembleMember[];
  /** The target GP, whose standardisation gives the ensemble's units. */
  readonly target: GaussianProcess;
  /**
   * Posterior paths of the ensemble (see the module docs), in the target's units; present when
   * every member with a non-zero variance weight has `samplePaths` (GPs whose kernel has a
   * spectral density).
   */
  readonly samplePaths?: (count: number, rng: Rng, options?: SamplePathOptions) => SamplePath[];

  /** Builds the ensemble; every member must have the target's dimension. */
  constructor(target: GaussianProcess, members: readonly EnsembleMember[]) {
    this.dim = target.dim;
    this.target = target;
    parseOrThrow(weightsSchema, members, "WeightedEnsemble.members");
    members.forEach((m, i) => {
      if (m.gp.dim !== target.dim) {
        throw new RangeError(`WeightedEnsemble.members[${i}]: dim ${m.gp.dim} ≠ ${target.dim}`);
      }
    });
    this.members = members.filter((m) => m.meanWeight !== 0 || m.varianceWeight !== 0);
    const sampled = this.members.filter((m) => m.varianceWeight !== 0);
    if (sampled.every((m) => typeof m.gp.samplePaths === "function")) {
      this.samplePaths = (count, rng, options) => this.#samplePaths(sampled, count, rng, options);
    }
  }

  /**
   * `count` paths: the ensemble mean plus, for each member with b_i ≠ 0, its own path minus its
   * mean, scaled by √b_i · s / s_i (as `sampleJoint` scales its joint draws).
   */
  #samplePaths(
    sampled: readonly EnsembleMember[],
    count: number,
    rng: Rng,
    options: SamplePathOptions = {},
  ): SamplePath[] {
    parseOrThrow(nonNegativeIntSchema, count, "WeightedEnsemble.samplePaths: count");
    parseOrThrow(rngSchema, rng, "WeightedEnsemble.samplePaths: rng");
    const { std } = this.target.standardization;
    const dim = this.dim;
    return Array.from({ length: count }, () => {
      const parts = sampled.map((m) => ({
        gp: m.gp,
        path: m.gp.samplePaths!(1, rng, options)[0],
        scale: (Math.sqrt(m.varianceWeight) * std) / m.gp.standardization.std,
      }));
      const features = parts[0]?.path.features ?? 0;
      return {
        dim,
        features,
        evaluate: (points: readonly Float64Array[]): Float64Array => {
          const values = this.predictMean(points);
          for (const { gp, path, scale } of parts) {
            const own = gp.predictMean(points);
            const drawn = path.evaluate(points);
            for (let i = 0; i < points.length; i++) values[i] += scale * (drawn[i] - own[i]);
          }
          return values;
        },
        valueAndGradient: (point: Float64Array) => {
          const ensemble = this.predictWithGradient(point);
          let value = ensemble.mean;
          const gradient = ensemble.meanGradient.slice();
          for (const { gp, path, scale } of parts) {
            const own = gp.predictWithGradient(point);
            const drawn = path.valueAndGradient(point);
            value += scale * (drawn.value - own.mean);
            for (let j = 0; j < dim; j++) {
              gradient[j] += scale * (drawn.gradient[j] - own.meanGradient[j]);
            }
          }
          return { value, gradient };
        },
      };
    });
  }

  /** Mean weights of the members by id (members whose weights are both zero are left out). */
  get weights(): Record<string, number> {
    return Object.fromEntries(this.members.map((m) => [m.id, m.meanWeight]));
  }

  predict(points: readonly Float64Array[]): Prediction {
    const { mean: shift, std } = this.target.standardization;
    const mean = new Float64Array(points.length);
    const variance = new Float64Array(points.length);
    for (const m of this.members) {
      if (m.varianceWeight === 0) {
        // Only its mean counts (its variance would be added times 0): skip the variance solve.
        const own = standardizedMean(m.gp, points, { cache: m.fixed });
        for (let i = 0; i < points.length; i++) mean[i] += m.meanWeight * own[i];
        continue;
      }
      const p = standardizedPredict(m.gp, points, { cache: m.fixed });
      for (let i = 0; i < points.length; i++) {
        mean[i] += m.meanWeight * p.mean[i];
        variance[i] += m.varianceWeight * p.variance[i];
      }
    }
    return {
      mean: mean.map((v) => shift + std * v),
      variance: variance.map((v) => std * std * v),
    };
  }

  /** The ensemble mean alone (as `predict(points).mean`, without any variance solve). */
  predictMean(points: readonly Float64Array[]): Float64Array {
    const { mean: shift, std } = this.target.standardization;
    const mean = new Float64Array(points.length);
    for (const m of this.members) {
      if (m.meanWeight === 0) continue;
      const own = standardizedMean(m.gp, points, { cache: m.fixed });
      for (let i = 0; i < points.length; i++) mean[i] += m.meanWeight * own[i];
    }
    return mean.map((v) => shift + std * v);
  }

  predictWithGradient(point: Float64Array): PointPrediction {
    const { mean: shift, std } = this.target.standardization;
    let mean = 0, variance = 0;
    const meanGradient = new Float64Array(this.dim);
    const varianceGradient = new Float64Array(this.dim);
    for (const m of this.members) {
      const p = standardizedPoint(m.gp, point);
      mean += m.meanWeight * p.mean;
      variance += m.varianceWeight * p.variance;
      for (let j = 0; j < this.dim; j++) {
        meanGradient[j] += m.meanWeight * p.meanGradient[j];
        varianceGradient[j] += m.varianceWeight * p.varianceGradient[j];
      }
    }
    return {
      mean: shift + std * mean,
      variance: std * std * variance,
      meanGradient: meanGradient.map((g) => std * g),
      varianceGradient: varianceGradient.map((g) => std * std * g),
    };
  }

  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
    const mean = this.predictMean(points);
    const samples = Array.from({ length: count }, () => mean.slice());
    const { std } = this.target.standardization;
    for (const m of this.members) {
      if (m.varianceWeight === 0) continue;
      const own = m.gp.predictMean(points);
      const scale = (Math.sqrt(m.varianceWeight) * std) / m.gp.standardization.std;
      m.gp.sampleJoint(points, count, rng).forEach((draw, s) => {
        for (let i = 0; i < points.length; i++) samples[s][i] += scale * (draw[i] - own[i]);
      });
    }
    return samples;
  }
}
