/**
 * Warm starts: the first configurations of a new study taken from past tasks.
 *
 * With meta-features (Feurer, Springenberg & Hutter 2015, "Initializing Bayesian hyperparameter
 * optimization via meta-learning"): the meta-features of the prior tasks and the target are
 * min–max scaled (bounds fitted on all of them), tasks are compared by the L1 distance, and the
 * best configuration of each of the k nearest tasks is proposed, nearest first. A NaN meta-feature
 * is unavailable (as `extractMetaFeatures` gives, e.g. categorical-feature statistics of an
 * all-numeric table), for the new task or a past one, and so is a meta-feature of the new task
 * that a past task does not name (null, as JSON writes NaN, reads as NaN): it is left out of the
 * distances between the tasks that lack it (`metaFeatureDistance`), and a past task that shares no
 * available meta-feature with the new task comes after every other, in its order among the tasks.
 * When no past task shares one (e.g. every meta-feature of the new task is NaN), the distances
 * tell nothing about the new task: the fallback below is used, as without meta-features, so that
 * the order of the past tasks does not decide the start (as `predictConfiguration` falls back to
 * the past tasks' mean best configuration when no meta-feature is available for the new task
 * and a past one). ±Infinity is refused, as in a `TaskStore` and in a stored study's
 * meta-features.
 *
 * Without meta-features (fallback): a greedy portfolio (Feurer et al. 2018, "Practical automated
 * machine learning for the AutoML challenge"; Wistuba et al. 2015). Candidates are each task's
 * best configuration (its trial of lowest value, the first of equal ones); a candidate's score on
 * task j is the min–max normalised value (0 best, 1 worst of task j) of task j's trial nearest to
 * it in the unit cube (its own value when task j evaluated exactly that configuration, as in
 * tabular meta-datasets; the best of its trials there when task j evaluated it more than once).
 * Configurations are picked one at a time to minimise the mean over tasks of the best score
 * reached so far. The first pick (the one warm-start configuration of the model-based transfer
 * strategies) is thus the best configuration with the lowest mean normalised score, not
 * necessarily the one with the lowest value across the tasks: the normalisation keeps a task of
 * large values from outweighing the others.
 *
 * Either way the list is deduplicated: in pool mode every configuration is replaced by its nearest
 * pool member (Euclidean distance in the unit cube) and a member reached again is dropped, so
 * that, as without a pool, tasks that share a best configuration give it once and the next tasks'
 * bests follow. There are fewer than `count` when the tasks have fewer distinct bests; nothing
 * fills the rest: `transferOptions` asks the configurations it gets, then no space-filling design
 * (its `initialDesignSize` is 0 after a warm start unless given) and its strategy's proposer.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { kNearestTasks } from "../metafeatures/similarity.ts";
import { metaFeatureOrder } from "../metafeatures/order.ts";
import type { EncodedTask } from "./base_models.ts";
import { checkEncodedTasks, greedyPortfolio } from "./portfolio.ts";
import {
  checkPoints,
  float64ArraySchema,
  ownRecordSchema,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";

/** Options of {@linkcode warmStartPoints}; defaults in {@linkcode WARM_START_DEFAULTS}. */
export interface WarmStartOptions {
  /** Number of configurations (k nearest tasks, or portfolio size). */
  count?: number;
  /**
   * The target task's meta-features (finite numbers, NaN for an unavailable one); without them,
   * or when no past task shares an available one with them, the portfolio fallback is used (see
   * the module docs: the greedy portfolio over the tasks' best configurations, not the best value
   * across tasks).
   */
  metaFeatures?: Record<string, number>;
  /**
   * Pool mode: encoded candidates to map the configurations to, of the tasks' dimension with
   * finite coordinates.
   */
  pool?: readonly Float64Array[];
}

/**
 * Defaults of {@linkcode warmStartPoints}: 5 configurations.
 *
 * @example
 * ```ts
 * import { WARM_START_DEFAULTS } from "./warm_start.ts";
 * console.log(WARM_START_DEFAULTS.count); // 5
 * ```
 */
export const WARM_START_DEFAULTS: Readonly<{ count: number }> = Object.freeze({ count: 5 });

/**
 * One meta-feature value: a finite number, or NaN or null for an unavailable one (null, as JSON
 * writes NaN, is read as NaN); ±Infinity is refused.
 */
export const metaFeatureValueSchema: z.ZodType<number, unknown> = z.union(
  [z.number(), z.nan(), z.null()],
  { error: "must be a finite number, NaN or null" },
).transform((v) => v ?? NaN);

/**
 * A task's meta-features: named finite numbers, NaN (or null) for an unavailable one (what
 * `extractMetaFeatures` gives, and what a `TaskStore` or a stored study accepts); ±Infinity is
 * refused. The parsed record has NaN in place of null.
 */
export const metaFeatureValuesSchema: z.ZodType<Record<string, number>, unknown> = ownRecordSchema(
  metaFeatureValueSchema,
);

const optionsSchema = z.strictObject({
  count: positiveIntSchema.optional(),
  metaFeatures: metaFeatureValuesSchema.optional(),
  pool: z.array(float64ArraySchema).min(
    1,
    "must not be empty",
  ).optional(),
});

/** A meta-feature vector in the name order of `names`. */
export interface NamedVector {
  /** Meta-feature names. */
  names: string[];
  /** Values in `names` order. */
  values: Float64Array;
}

/**
 * The target's and the prior tasks' meta-features as vectors with the target's names, in the
 * canonical order of `metaFeatureOrder` (that of `extractMetaFeatures` for its names, then the
 * others sorted), whatever order the target's record lists them in: the distances and the
 * configuration model's inputs do not depend on it. A name a past task lacks, or every name for
 * a past task without meta-features, is unavailable there (NaN, left out of the distances as a
 * NaN value is); names a past task has beyond the target's are not used. Throws when no past
 * task has any of the target's names (the names do not match at all, so no distance could be
 * computed); `field` names the caller's option in the error.
 */
export function alignMetaFeatures(
  target: Record<string, number>,
  tasks: readonly EncodedTask[],
  field = "metaFeatures",
): { target: NamedVector; tasks: NamedVector[] } {
  const names = metaFeatureOrder(Object.keys(target));
  if (names.length === 0) throw new RangeError(`${field}: must name at least one meta-feature`);
  const vectors = tasks.map((task) => {
    const own = task.metaFeatures ?? {};
    return {
      names,
      values: Float64Array.from(names, (n) => (Object.hasOwn(own, n) ? own[n] ?? NaN : NaN)),
    };
  });
  if (
    !tasks.some((task) =>
      names.some((n) => task.metaFeatures && Object.hasOwn(task.metaFeatures, n))
    )
  ) {
    const list = Object.keys(target).slice(0, 5).map((n) => `'${n}'`).join(", ");
    throw new RangeError(
      `${field}: no prior task has any of these meta-features (${list}${
        names.length > 5 ? ", ..." : ""
      }); give the past tasks' meta-features under the same names, or none`,
    );
  }
  return { target: { names, values: Float64Array.from(names, (n) => target[n]) }, tasks: vectors };
}

function bestPoint(task: EncodedTask): Float64Array {
  let best = 0;
  task.values.forEach((v, i) => (v < task.values[best] ? (best = i) : 0));
  return task.points[best];
}

function distance2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** The pool member nearest to `p` (the first of equals), skipping those `skip` says; none left: undefined. */
function nearestMember(
  p: Float64Array,
  pool: readonly Float64Array[],
  skip: (c: Float64Array) => boolean = () => false,
): Float64Array | undefined {
  let best: Float64Array | undefined, bestD = Infinity;
  for (const c of pool) {
    if (skip(c)) continue;
    const d = distance2(p, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

/** Deduplicates (max-norm 1e-9), or maps to distinct nearest pool members. */
export function distinctPoints(
  points: readonly Float64Array[],
  pool?: readonly Float64Array[],
): Float64Array[] {
  const out: Float64Array[] = [];
  for (const p of points) {
    if (pool) {
      const best = nearestMember(p, pool, (c) => out.includes(c));
      if (best) out.push(best);
    } else if (!out.some((q) => q.every((v, i) => Math.abs(v - p[i]) <= 1e-9))) {
      out.push(p);
    }
  }
  return out;
}

/**
 * Warm-start configurations (encoded) from prior tasks (see the module docs).
 *
 * @throws {TypeError} naming the argument when `tasks` is not a list of encoded tasks, or naming
 * a bad option.
 * @throws {RangeError} without prior tasks, or naming the field of a task as `greedyPortfolio`
 * checks them (`warmStart tasks[0].values[1]: must be finite, got NaN`), or of a pool member whose
 * dimension differs from the tasks' or that has a non-finite coordinate (`warmStart
 * options.pool[0]: expected 1 coordinate, got 3`).
 *
 * @example
 * ```ts
 * import { warmStartPoints } from "./warm_start.ts";
 * const task = (id: string, best: number, size: number) => ({
 *   id,
 *   points: [Float64Array.of(best), Float64Array.of(0.5)],
 *   values: Float64Array.of(0, 1),
 *   metaFeatures: { size },
 * });
 * const tasks = [task("a", 0.1, 100), task("b", 0.9, 1000)];
 * warmStartPoints(tasks, { count: 1, metaFeatures: { size: 900 } }); // [Float64Array [0.9]]
 * ```
 */
export function warmStartPoints(
  tasks: readonly EncodedTask[],
  options: WarmStartOptions = {},
): Float64Array[] {
  const parsed = parseOrThrow(optionsSchema, options, "warmStart options");
  const dim = checkEncodedTasks(tasks, "warmStart tasks");
  if (parsed.pool) checkPoints(parsed.pool, dim, "warmStart options.pool", { finite: true });
  const count = parsed.count ?? WARM_START_DEFAULTS.count;
  let points: Float64Array[] | undefined;
  if (parsed.metaFeatures) {
    const aligned = alignMetaFeatures(
      parsed.metaFeatures,
      tasks,
      "warmStart options.metaFeatures",
    );
    const nearest = kNearestTasks(aligned.target, aligned.tasks, tasks.length);
    // A past task that shares no available meta-feature with the new one is at distance
    // Infinity; when all are, the fallback below decides (see the module docs).
    if (nearest.some(({ distance }) => distance < Infinity)) {
      points = nearest.map(({ index }) => bestPoint(tasks[index]));
    }
  }
  if (!points) {
    points = greedyPortfolio(tasks, { size: tasks.length, candidates: tasks.map(bestPoint) })
      .points;
  }
  return (options.pool ? nearestDistinct(points, options.pool) : distinctPoints(points))
    .slice(0, count);
}

/** Each point's nearest pool member, in order, each member once (a member reached again is dropped). */
function nearestDistinct(
  points: readonly Float64Array[],
  pool: readonly Float64Array[],
): Float64Array[] {
  const out = new Set<Float64Array>();
  for (const p of points) {
    const best = nearestMember(p, pool);
    if (best) out.add(best);
  }
  return [...out];
}
