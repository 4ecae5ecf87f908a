/**
 * A meta-feature → configuration model (model-based meta-learning, Vanschoren 2018 §2.2): a GP
 * regressor per encoded coordinate from the prior tasks' min–max scaled meta-features to the
 * coordinates of their best configurations. For a new task it predicts a good configuration (the
 * posterior mean) with an uncertainty (the posterior standard deviation); the mean and draws
 * around it serve as an initial design. Unavailable (NaN) meta-features are imputed with 0.5, the
 * middle of the scaled range. The predicted coordinates are clipped to [0, 1].
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { fitGP, type GpFactoryOptions } from "../gp/gp.ts";
import { fitMetaFeatureScaler, scaleMetaFeatures } from "../metafeatures/similarity.ts";
import { Rng } from "../random/rng.ts";
import type { EncodedTask } from "./base_models.ts";
import { alignMetaFeatures, distinctPoints } from "./warm_start.ts";
import {
  float64ArraySchema,
  ownRecordSchema,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";

/** A predicted configuration. */
export interface ConfigurationPrediction {
  /** Predicted encoded configuration (posterior mean, clipped to the cube). */
  mean: Float64Array;
  /** Posterior standard deviation of each coordinate. */
  sd: Float64Array;
}

/** Options of {@linkcode configurationModelPoints}. */
export interface ConfigurationModelOptions {
  /** The target task's meta-features (required). */
  metaFeatures: Record<string, number>;
  /** Number of configurations: the mean, then draws around it (default 1). */
  count?: number;
  /** Seed of the draws (default 0). */
  seed?: number;
  /** Pool mode: encoded candidates to map the configurations to. */
  pool?: readonly Float64Array[];
  /** Settings of the coordinate GPs. */
  gp?: GpFactoryOptions;
}

const optionsSchema = z.strictObject({
  metaFeatures: ownRecordSchema(z.number()),
  count: positiveIntSchema.optional(),
  seed: z.number().int("must be an integer").optional(),
  pool: z.array(float64ArraySchema).min(1)
    .optional(),
  gp: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Predicts the best configuration of a task from its meta-features (see the module docs).
 *
 * @example
 * ```ts
 * import { predictConfiguration } from "./config_model.ts";
 * const task = (x: number) => ({
 *   id: `t${x}`,
 *   points: [Float64Array.of(x), Float64Array.of(1 - x)],
 *   values: Float64Array.of(0, 1),
 *   metaFeatures: { m: x },
 * });
 * const { mean } = predictConfiguration([task(0.2), task(0.4), task(0.6)], { m: 0.5 });
 * ```
 */
export function predictConfiguration(
  tasks: readonly EncodedTask[],
  metaFeatures: Record<string, number>,
  gp: GpFactoryOptions = {},
): ConfigurationPrediction {
  if (!Array.isArray(tasks) || tasks.length < 2) {
    throw new RangeError("configurationModel: needs at least two prior tasks with meta-features");
  }
  const aligned = alignMetaFeatures(metaFeatures, tasks);
  const scaler = fitMetaFeatureScaler([...aligned.tasks, aligned.target]);
  const features = (v: typeof aligned.target) =>
    scaleMetaFeatures(v, scaler).map((x) => (Number.isNaN(x) ? 0.5 : x));
  const inputs = aligned.tasks.map(features);
  const query = features(aligned.target);
  const best = tasks.map((t) => t.points[t.values.indexOf(Math.min(...t.values))]);
  const dim = best[0].length;
  const mean = new Float64Array(dim), sd = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    const model = fitGP(inputs, Float64Array.from(best, (p) => p[d]), { ...gp, rng: new Rng(d) });
    const p = model.predict([query]);
    mean[d] = Math.min(1, Math.max(0, p.mean[0]));
    sd[d] = Math.sqrt(p.variance[0]);
  }
  return { mean, sd };
}

/**
 * Initial configurations from {@linkcode predictConfiguration}: the predicted mean first, then
 * draws mean + sd·z (clipped to the cube), deduplicated or mapped to pool members.
 *
 * @example
 * ```ts
 * import { configurationModelPoints } from "./config_model.ts";
 * const task = (x: number) => ({
 *   id: `t${x}`,
 *   points: [Float64Array.of(x), Float64Array.of(1 - x)],
 *   values: Float64Array.of(0, 1),
 *   metaFeatures: { m: x },
 * });
 * configurationModelPoints([task(0.2), task(0.4)], { metaFeatures: { m: 0.3 }, count: 3 });
 * ```
 */
export function configurationModelPoints(
  tasks: readonly EncodedTask[],
  options: ConfigurationModelOptions,
): Float64Array[] {
  const parsed = parseOrThrow(optionsSchema, options, "configurationModel options");
  const { mean, sd } = predictConfiguration(tasks, parsed.metaFeatures, options.gp);
  const rng = new Rng(parsed.seed ?? 0);
  const count = parsed.count ?? 1;
  const points = [mean];
  // Draws may coincide after clipping: draw a few more than needed before deduplicating.
  for (let i = 1; i < 4 * count; i++) {
    points.push(mean.map((m, d) => Math.min(1, Math.max(0, m + sd[d] * rng.normal()))));
  }
  return distinctPoints(points, options.pool).slice(0, count);
}
