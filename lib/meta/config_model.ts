/**
 * A meta-feature → configuration model (model-based meta-learning, Vanschoren 2018 §2.2): a GP
 * regressor per encoded coordinate from the prior tasks' min–max scaled meta-features to the
 * coordinates of their best configurations. For a new task it predicts a good configuration (the
 * posterior mean) with an uncertainty (the posterior standard deviation); the mean and draws
 * around it serve as an initial design. The predicted coordinates are clipped to [0, 1].
 *
 * Unavailable (NaN) meta-features, as `extractMetaFeatures` gives them:
 * - one unavailable for the new task is left out of the model's inputs, for every task: the GP
 *   predicts from what is known of the new task. Imputing it would place the new task at an
 *   arbitrary value of that meta-feature and make the past tasks near that value look more
 *   similar to it; leaving it out is what the meta-feature distance does with a coordinate that is
 *   NaN in either vector (`metaFeatureDistance`);
 * - one unavailable for a past task (and available for the new one) is imputed with the mean of
 *   the past tasks' scaled values of that meta-feature, so that the task sits at the centre of the
 *   others on the axis nothing is known of; a meta-feature unavailable for every past task is left
 *   out as well.
 *
 * With no input left (no meta-feature available for the new task and a past one) or a single past
 * task, there is nothing to learn a mapping from: the prediction is the past tasks' mean best
 * configuration, coordinate by coordinate, with their sample standard deviation (0 for a single
 * task, whose best configuration is then the prediction). ±Infinity meta-features are refused.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { fitGP, type GpFactoryOptions } from "../gp/gp.ts";
import { fitMetaFeatureScaler, scaleMetaFeatures } from "../metafeatures/similarity.ts";
import { Rng } from "../random/rng.ts";
import type { EncodedTask } from "./base_models.ts";
import { alignMetaFeatures, distinctPoints, metaFeatureValuesSchema } from "./warm_start.ts";
import { float64ArraySchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

/** A predicted configuration. */
export interface ConfigurationPrediction {
  /** Predicted encoded configuration (posterior mean, clipped to the cube). */
  mean: Float64Array;
  /** Posterior standard deviation of each coordinate. */
  sd: Float64Array;
}

/** Options of {@linkcode configurationModelPoints}. */
export interface ConfigurationModelOptions {
  /** The target task's meta-features (required; NaN for an unavailable one, see the module docs). */
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
  metaFeatures: metaFeatureValuesSchema,
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
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new RangeError("configurationModel: needs at least one prior task with meta-features");
  }
  const given = parseOrThrow(
    metaFeatureValuesSchema,
    metaFeatures,
    "configurationModel.metaFeatures",
  );
  // Inputs: the meta-features available for the new task and for at least one past task; a past
  // task's gap is filled with the mean of the past tasks' available values (see the module docs).
  // None given (`{}`): none is known of the new task.
  const used: number[] = [], fill: number[] = [];
  let past: Float64Array[] = [];
  let target: Float64Array = new Float64Array(0);
  if (Object.keys(given).length > 0) {
    const aligned = alignMetaFeatures(given, tasks, "configurationModel.metaFeatures");
    const scaler = fitMetaFeatureScaler([...aligned.tasks, aligned.target]);
    target = scaleMetaFeatures(aligned.target, scaler);
    past = aligned.tasks.map((v) => scaleMetaFeatures(v, scaler));
    for (let j = 0; j < target.length; j++) {
      const known = past.map((v) => v[j]).filter((x) => !Number.isNaN(x));
      if (Number.isNaN(target[j]) || known.length === 0) continue;
      used.push(j);
      fill.push(known.reduce((a, b) => a + b, 0) / known.length);
    }
  }
  const inputs = past.map((v) =>
    Float64Array.from(used, (j, k) => (Number.isNaN(v[j]) ? fill[k] : v[j]))
  );
  const query = Float64Array.from(used, (j) => target[j]);
  const best = tasks.map((t) => t.points[argMin(t.values)]);
  const dim = best[0].length;
  const mean = new Float64Array(dim), sd = new Float64Array(dim);
  if (used.length === 0 || tasks.length === 1) {
    // Nothing to learn a mapping from: the past tasks' mean best configuration and its spread.
    for (let d = 0; d < dim; d++) {
      const xs = best.map((p) => p[d]);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      mean[d] = Math.min(1, Math.max(0, m));
      sd[d] = xs.length > 1
        ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
        : 0;
    }
    return { mean, sd };
  }
  for (let d = 0; d < dim; d++) {
    const model = fitGP(inputs, Float64Array.from(best, (p) => p[d]), { ...gp, rng: new Rng(d) });
    const p = model.predict([query]);
    mean[d] = Math.min(1, Math.max(0, p.mean[0]));
    sd[d] = Math.sqrt(p.variance[0]);
  }
  return { mean, sd };
}

/**
 * The index of the first smallest value, by a loop: spreading a task's values into `Math.min`
 * passes them as call arguments, which overflows the stack for a task of ~10⁵ trials.
 */
function argMin(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
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
