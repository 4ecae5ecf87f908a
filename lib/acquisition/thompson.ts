/**
 * Thompson sampling for MINIMISATION: draw one joint sample of the latent objective from the
 * posterior on a finite candidate set and pick the candidate where the sample is lowest
 * (Thompson 1933; Kandasamy et al. 2018 for the batch version).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Surrogate } from "../models/surrogate.ts";
import type { Rng } from "../random/rng.ts";
import { parseOrThrow, rngSchema } from "../validate.ts";
import { type AcquisitionFunction, assertSurrogate, checkLength } from "./acquisition.ts";
import { checkPoints, isPromiseLike } from "../validate.ts";

/** Options of {@linkcode thompsonSampling}. */
export interface ThompsonSamplingOptions {
  /** The source of the posterior samples. */
  rng: Rng;
}

const optionsSchema = z.strictObject({
  rng: rngSchema,
});

/**
 * The Thompson-sampling acquisition: `evaluate(points)` draws ONE fresh joint posterior sample
 * `f̃` on exactly those points (via `surrogate.sampleJoint`) and returns `−f̃` (to maximise).
 * Values are only comparable within one call, so evaluate the whole candidate set at once: the
 * acquisition is marked `sampled`, and the acquisition optimisers score one candidate set in one
 * call and take its best (BoTorch's `MaxPosteriorSampling`) — `optimizeAcquisition` its projected
 * raw samples (or the pool), `localSearch` one set of random samples and one-exchange neighbours
 * of its starts. It is NOT differentiable (no `valueAndGradient`).
 *
 * The draw is checked: `sampleJoint(points, 1, rng)` must return an array holding one sample of
 * `points.length` finite values; anything else (no sample, a short one, NaN, a promise) is an
 * error naming `TS` and `surrogate.sampleJoint`.
 *
 * @param surrogate A fitted surrogate.
 * @param options `rng`, consumed by every `evaluate` call.
 * @throws {TypeError} When the surrogate has no `sampleJoint` or `rng` is missing.
 *
 * @example
 * ```ts
 * import { thompsonSampling } from "./thompson.ts";
 * import { Rng } from "../random/rng.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.8)], [0.5, 0.2, 0.9]);
 * const ts = thompsonSampling(surrogate, { rng: new Rng(0) });
 * const values = ts.evaluate([Float64Array.of(0.1), Float64Array.of(0.9)]); // one joint draw
 * ```
 */
export function thompsonSampling(
  surrogate: Surrogate,
  options: ThompsonSamplingOptions,
): AcquisitionFunction {
  assertSurrogate(surrogate, "thompsonSampling: surrogate");
  if (typeof surrogate.sampleJoint !== "function") {
    throw new TypeError("thompsonSampling: surrogate.sampleJoint: must be a function");
  }
  const { rng } = parseOrThrow(optionsSchema, options, "thompsonSampling: options");
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
