/**
 * Thompson sampling for MINIMISATION: draw one sample of the latent objective from the posterior
 * and pick the point where the sample is lowest (Thompson 1933; Kandasamy et al. 2018 for the
 * batch version). Two samplers: `"exact"` draws one joint sample on a finite candidate set (the
 * surrogate's `sampleJoint`); `"pathwise"` draws one whole posterior function of a GP (random
 * Fourier features plus Matheron's update, Wilson et al. 2020, `GaussianProcess.samplePaths`),
 * which is maximised like any differentiable acquisition.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { SamplePath, SamplePathOptions } from "../gp/pathwise.ts";
import type { Surrogate } from "../models/surrogate.ts";
import type { Rng } from "../random/rng.ts";
import { describeValue, parseOrThrow, positiveIntSchema, rngSchema } from "../validate.ts";
import { type AcquisitionFunction, assertSurrogate, checkLength } from "./acquisition.ts";
import { checkPoint, checkPoints, isPromiseLike } from "../validate.ts";

/** Options of {@linkcode thompsonSampling}. */
export interface ThompsonSamplingOptions {
  /** The source of the posterior samples. */
  rng: Rng;
  /**
   * `"exact"` (default): a fresh joint posterior sample on the points of each `evaluate` call;
   * `"pathwise"`: one posterior function drawn when the acquisition is built, for a surrogate
   * with `samplePaths` (see {@linkcode hasSamplePaths}).
   */
  sampler?: "exact" | "pathwise";
  /**
   * Random Fourier features of the pathwise sample (`sampler: "pathwise"` only); default the
   * surrogate's (`SAMPLE_PATH_DEFAULTS.features`, 1024, for a GP).
   */
  features?: number;
}

const optionsSchema = z.strictObject({
  rng: rngSchema,
  sampler: z.enum(["exact", "pathwise"]).optional(),
  features: positiveIntSchema.optional(),
});

/** A surrogate that draws pathwise posterior samples (a GP whose kernel has a spectral density). */
export type PathSampler = Surrogate & {
  samplePaths(count: number, rng: Rng, options?: SamplePathOptions): SamplePath[];
};

/**
 * Whether `surrogate` draws pathwise posterior samples (`samplePaths`, see
 * {@linkcode thompsonSampling}): a GP (`fitGP`, `gpFactory`) whose kernel has a spectral density
 * (RBF, Matérn, their sums and products; not the categorical kernels); a surrogate of your own
 * only if it provides the method.
 *
 * @example
 * ```ts
 * import { hasSamplePaths } from "./thompson.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const gp = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.8)], [0.5, 0.2, 0.9]);
 * hasSamplePaths(gp); // true: Matérn-5/2
 * ```
 */
export function hasSamplePaths(surrogate: Surrogate): surrogate is PathSampler {
  return typeof (surrogate as Partial<PathSampler>).samplePaths === "function";
}

/**
 * The Thompson-sampling acquisition, with one of two samplers.
 *
 * `sampler: "exact"` (the default): `evaluate(points)` draws ONE fresh joint posterior sample
 * `f̃` on exactly those points (via `surrogate.sampleJoint`) and returns `−f̃` (to maximise).
 * Values are only comparable within one call, so evaluate the whole candidate set at once: the
 * acquisition is marked `sampled`, and the acquisition optimisers score one candidate set in one
 * call and take its best (BoTorch's `MaxPosteriorSampling`) — `optimizeAcquisition` its projected
 * raw samples (or the pool), `localSearch` one set of random samples and one-exchange neighbours
 * of its starts. It is NOT differentiable (no `valueAndGradient`). A draw on m points costs an
 * m×m covariance and its Cholesky factor, O(m³). The draw is checked:
 * `sampleJoint(points, 1, rng)` must return an array holding one sample of `points.length`
 * finite values; anything else (no sample, a short one, NaN, a promise) is an error naming `TS`
 * and `surrogate.sampleJoint`.
 *
 * `sampler: "pathwise"`: ONE posterior function f̃ is drawn when the acquisition is built,
 * `surrogate.samplePaths(1, rng, { features })` (Wilson et al. 2020, "Efficiently sampling
 * functions from Gaussian process posteriors": a random-Fourier-feature prior sample plus
 * Matheron's update, f̃(x) = f(x) + k(x, X)(K + σ²I)⁻¹(y − f(X) − ε)); `evaluate` and
 * `valueAndGradient` return −f̃ and its gradient, the same function at every call, O(F + n) per
 * point (F features, n training points). It is a deterministic, differentiable acquisition
 * (not `sampled`): `optimizeAcquisition` maximises it as any other (raw samples, then L-BFGS-B
 * from the best), so the proposal is not confined to one candidate set. The surrogate must have
 * `samplePaths` ({@linkcode hasSamplePaths}); the path must return finite values and gradients
 * (errors name `TS` and the path).
 *
 * @param surrogate A fitted surrogate.
 * @param options `rng` (consumed by every `evaluate` call with `"exact"`, once at construction
 *   with `"pathwise"`), `sampler` and, with `"pathwise"`, `features`.
 * @throws {TypeError} When the surrogate has no `sampleJoint` (`"exact"`) or no `samplePaths`
 *   (`"pathwise"`), `rng` is missing, or an option is malformed (named).
 *
 * @example
 * ```ts
 * import { thompsonSampling } from "./thompson.ts";
 * import { optimizeAcquisition } from "./optimize.ts";
 * import { Rng } from "../random/rng.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.8)], [0.5, 0.2, 0.9]);
 * const ts = thompsonSampling(surrogate, { rng: new Rng(0) });
 * const values = ts.evaluate([Float64Array.of(0.1), Float64Array.of(0.9)]); // one joint draw
 * // One posterior function, maximised by L-BFGS-B like any differentiable acquisition:
 * const path = thompsonSampling(surrogate, { rng: new Rng(0), sampler: "pathwise" });
 * const { point } = optimizeAcquisition(path, { dim: 1, rng: new Rng(1) });
 * ```
 */
export function thompsonSampling(
  surrogate: Surrogate,
  options: ThompsonSamplingOptions,
): AcquisitionFunction {
  assertSurrogate(surrogate, "thompsonSampling: surrogate");
  const sampler = (options as Partial<ThompsonSamplingOptions> | undefined)?.sampler;
  if (sampler === "pathwise") return pathwiseThompsonSampling(surrogate, options);
  if (typeof surrogate.sampleJoint !== "function") {
    throw new TypeError("thompsonSampling: surrogate.sampleJoint: must be a function");
  }
  const parsed = parseOrThrow(optionsSchema, options, "thompsonSampling: options");
  if (parsed.features !== undefined) {
    throw new TypeError(
      'thompsonSampling: options.features: only with sampler: "pathwise" (an exact joint draw ' +
        "has no features)",
    );
  }
  const { rng } = parsed;
  const dim = surrogate.dim;
  return {
    name: "TS",
    dim,
    sampled: true,
    evaluate(points) {
      checkPoints(points, dim, "TS.evaluate: points");
      if (points.length === 0) return new Float64Array(0);
      const samples = surrogate.sampleJoint(points, 1, rng);
      const label = "TS: surrogate.sampleJoint(points, 1, rng)";
      if (isPromiseLike(samples)) {
        throw new TypeError(
          `${label}: returned a Promise; it must return the samples synchronously`,
        );
      }
      if (!Array.isArray(samples) || samples.length < 1) {
        throw new TypeError(
          `${label}: must return an array of one sample (a Float64Array of ${points.length} values), got ${
            Array.isArray(samples) ? "an empty array" : samples === null ? "null" : typeof samples
          }`,
        );
      }
      const sample = samples[0];
      checkLength(sample, points.length, `${label}[0]`, `${points.length} values (one per point)`);
      for (let i = 0; i < sample.length; i++) {
        if (!Number.isFinite(sample[i])) {
          throw new RangeError(`${label}[0][${i}]: must be finite, got ${sample[i]}`);
        }
      }
      return Float64Array.from(sample, (v) => -v);
    },
  };
}

/** `thompsonSampling` with `sampler: "pathwise"`: one path, drawn now, negated. */
function pathwiseThompsonSampling(
  surrogate: Surrogate,
  options: ThompsonSamplingOptions,
): AcquisitionFunction {
  if (!hasSamplePaths(surrogate)) {
    throw new TypeError(
      'thompsonSampling: options.sampler: "pathwise" needs a surrogate with samplePaths (a GP ' +
        "whose kernel has a spectral density: RBF, Matérn, their sums and products); use " +
        '"exact" for this one',
    );
  }
  const { rng, features } = parseOrThrow(optionsSchema, options, "thompsonSampling: options");
  const dim = surrogate.dim;
  const label = "TS: surrogate.samplePaths(1, rng)";
  const paths: unknown = surrogate.samplePaths(1, rng, features === undefined ? {} : { features });
  const path = (Array.isArray(paths) ? paths[0] : undefined) as Partial<SamplePath> | undefined;
  if (
    typeof path?.evaluate !== "function" || typeof path.valueAndGradient !== "function"
  ) {
    throw new TypeError(
      `${label}: must return an array of one path (with evaluate and valueAndGradient), got ${
        Array.isArray(paths) ? `an array of ${describeValue(path)}` : describeValue(paths)
      }`,
    );
  }
  const sample = path as SamplePath;
  return {
    name: "TS",
    dim,
    evaluate(points) {
      checkPoints(points, dim, "TS.evaluate: points");
      if (points.length === 0) return new Float64Array(0);
      const values = sample.evaluate(points);
      checkLength(values, points.length, `${label}[0].evaluate`, `${points.length} values`);
      return Float64Array.from(values, (v, i) => {
        if (!Number.isFinite(v)) {
          throw new RangeError(`${label}[0].evaluate: value[${i}] must be finite, got ${v}`);
        }
        return -v;
      });
    },
    valueAndGradient(point) {
      checkPoint(point, dim, "TS.valueAndGradient: point");
      const { value, gradient } = sample.valueAndGradient(point);
      const where = `${label}[0].valueAndGradient`;
      checkLength(gradient, dim, `${where}: gradient`, `${dim} values`);
      if (!Number.isFinite(value) || !gradient.every(Number.isFinite)) {
        throw new RangeError(`${where}: must be finite, got ${value} and [${gradient}]`);
      }
      return { value: -value, gradient: Float64Array.from(gradient, (g) => -g) };
    },
  };
}
