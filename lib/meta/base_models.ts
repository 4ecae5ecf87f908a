/**
 * Prior tasks in the optimiser's coordinates: trials encoded into the unit cube of a search space
 * ({@linkcode encodePriorTasks}), and one GP per prior task fitted once
 * ({@linkcode fitBaseModels}), the "base models" of the transfer surrogates. Base models are used
 * in standardised units (each task's values scaled to mean 0, variance 1), so that tasks whose
 * objectives have different offsets and scales can be combined.
 *
 * @module
 */
import {
  conditionOnObservations,
  fitGP,
  type GaussianProcess,
  gpFactory,
  type GpFactoryOptions,
  gpWarmStartState,
} from "../gp/gp.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import { equalVectors } from "../linalg/mod.ts";
import { extremeMagnitudeExponent, timesPowerOfTwo } from "../stats/scale.ts";
import {
  type FitHints,
  type PointPrediction,
  type Prediction,
  predictMean,
  type Surrogate,
} from "../models/surrogate.ts";
import { Rng } from "../random/rng.ts";
import { z } from "../deps/zod.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";
import type { PriorTask } from "./store.ts";
import { TaskStore } from "./store.ts";

/** What the encoders need of a search space (the spaces of `defineSpace` provide it). */
export interface SpaceLike {
  /** Encoded dimension. */
  readonly dim: number;
  /** Checks a configuration, throwing an error that names the bad field. */
  validate(params: unknown): unknown;
  /** Maps a (validated) configuration to the unit cube. */
  encode(params: never): Float64Array;
}

/** A prior task with its trials encoded as points of the unit cube. */
export interface EncodedTask {
  /** The task's id. */
  readonly id: string;
  /** Encoded configurations. */
  readonly points: readonly Float64Array[];
  /** Their values. */
  readonly values: Float64Array;
  /** Meta-features, when known. */
  readonly metaFeatures?: Readonly<Record<string, number>>;
}

/** Prior tasks as given by users: a store, or a list of tasks. */
export type PriorTasksInput = TaskStore | readonly PriorTask[];

/**
 * The tasks of a store or a list, validated; every issue of an error names the list `label` and
 * each task's trials `trialsKey`, as the caller's own objects name them (see `TaskStore.from`).
 */
export function priorTaskList(
  input: PriorTasksInput,
  label: string,
  trialsKey = "trials",
): readonly PriorTask[] {
  if (input instanceof TaskStore) return input.tasks;
  return TaskStore.from(input, { label, trials: trialsKey }).tasks;
}

/**
 * Encodes every trial of every prior task in a search space; a configuration that does not fit
 * the space throws an error naming it, e.g. `priorTasks[1].trials[4].params: …`. Errors name the
 * list `label` and each task's trials `trialsKey`: a caller that builds the tasks from objects of
 * its own names them as those objects do (`"problems"` and `"history"` for the problems of
 * `leaveOneTaskOut`, whose trials are their `history`).
 *
 * @example
 * ```ts
 * import { encodePriorTasks } from "./base_models.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 10) });
 * const [task] = encodePriorTasks([{ id: "a", trials: [{ params: { x: 5 }, value: 1 }] }], space);
 * task.points[0]; // Float64Array [0.5]
 * ```
 */
export function encodePriorTasks(
  tasks: PriorTasksInput,
  space: SpaceLike,
  label = "priorTasks",
  trialsKey = "trials",
): EncodedTask[] {
  if (typeof space?.encode !== "function" || typeof space.validate !== "function") {
    throw new TypeError(`encodePriorTasks.space: must be a search space (encode, validate)`);
  }
  return priorTaskList(tasks, label, trialsKey).map((task, i) => ({
    id: task.id,
    points: task.trials.map((trial, j) => {
      let valid: unknown;
      try {
        valid = space.validate(trial.params);
      } catch (error) {
        throw new TypeError(
          `${label}[${i}].${trialsKey}[${j}].params: ${
            (error as Error).message
          } (task "${task.id}")`,
        );
      }
      return space.encode(valid as never);
    }),
    values: Float64Array.from(task.trials, (t) => t.value),
    ...(task.metaFeatures ? { metaFeatures: task.metaFeatures } : {}),
  }));
}

/** A prior task with its GP. */
export interface BaseModel {
  /** The task's id. */
  readonly id: string;
  /** The GP fitted to the task's trials. */
  readonly gp: GaussianProcess;
  /** The task's encoded trials. */
  readonly task: EncodedTask;
}

/** Options of {@linkcode fitBaseModels}. */
export interface BaseModelOptions {
  /** GP settings (default: those of `fitGP`). */
  gp?: GpFactoryOptions;
  /**
   * Seed of the GP restarts (default 0). Each task's restarts draw from its own stream,
   * `Rng.stream(seed, "base:" + id)`, so a task's model depends on the seed, its id and its trials,
   * not on its position among the tasks.
   */
  seed?: number;
  /**
   * Largest number of a task's trials its GP is fitted to (default
   * {@linkcode BASE_MODEL_DEFAULTS}`.maxPoints`); larger tasks are cut by
   * {@linkcode basePointSubset}.
   */
  maxPoints?: number;
}

/**
 * Defaults of {@linkcode fitBaseModels}: a base GP sees at most 100 of its task's trials. An exact
 * GP's fit costs O(n³) per likelihood evaluation, so 50 past tasks of 300 trials each would take
 * minutes to fit; 100 well-chosen trials keep the task's ranking and its good region (what the
 * transfer surrogates use) at about 1/27 of the cost.
 *
 * @example
 * ```ts
 * import { BASE_MODEL_DEFAULTS } from "./base_models.ts";
 * console.log(BASE_MODEL_DEFAULTS.maxPoints); // 100
 * ```
 */
export const BASE_MODEL_DEFAULTS: Readonly<{ maxPoints: number }> = Object.freeze({
  maxPoints: 100,
});

/**
 * Indices of at most `max` of a task's trials for its base GP: all of them when there are at most
 * `max`; otherwise the best quarter by value (the region the transfer strategies exploit) and, for
 * the rest, a greedy farthest-point selection (each next trial the one farthest, in the unit
 * cube, from those already taken; ties to the lower index), which covers the space. Deterministic.
 *
 * @example
 * ```ts
 * import { basePointSubset } from "./base_models.ts";
 * const points = [0, 0.1, 0.2, 0.5, 0.9].map((x) => Float64Array.of(x));
 * basePointSubset(points, Float64Array.of(5, 1, 4, 3, 2), 3); // [1, 4, 3]: best, then farthest
 * ```
 */
export function basePointSubset(
  points: readonly Float64Array[],
  values: Float64Array,
  max: number,
): number[] {
  const n = points.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    values[a] - values[b] || a - b
  );
  const chosen = order.slice(0, Math.max(1, Math.floor(max / 4)));
  const taken = new Uint8Array(n);
  const nearest = new Float64Array(n).fill(Infinity);
  const update = (c: number) => {
    taken[c] = 1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let d = 0;
      for (let j = 0; j < points[i].length; j++) d += (points[i][j] - points[c][j]) ** 2;
      if (d < nearest[i]) nearest[i] = d;
    }
  };
  chosen.forEach(update);
  while (chosen.length < max) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!taken[i] && (best < 0 || nearest[i] > nearest[best])) best = i;
    chosen.push(best);
    update(best);
  }
  return chosen;
}

const baseModelOptionsSchema = z.strictObject({
  gp: z.record(z.string(), z.unknown()).optional(),
  seed: z.number().int("must be an integer").optional(),
  maxPoints: positiveIntSchema.optional(),
});

/**
 * Checks options of {@linkcode fitBaseModels} before any model is fitted: unknown keys, a seed
 * that is not an integer, a `maxPoints` that is not a positive integer and bad GP settings
 * (`gpFactory`'s own check) are errors naming the option under `label`.
 *
 * @param options The options to check.
 * @param label How the error names them, e.g. `"PreparedPrior options"`.
 * @returns The options, checked.
 * @throws {TypeError} On a bad option, naming it.
 *
 * @example
 * ```ts
 * import { checkBaseModelOptions } from "./base_models.ts";
 * checkBaseModelOptions({ seed: 1, maxPoints: 50 }, "options"); // passes
 * // checkBaseModelOptions({ seeed: 1 }, "options") throws "options.seeed: unknown key"
 * ```
 */
export function checkBaseModelOptions(options: unknown, label: string): BaseModelOptions {
  const parsed = parseOrThrow(baseModelOptionsSchema, options, label) as BaseModelOptions;
  if (parsed.gp !== undefined) {
    try {
      gpFactory(parsed.gp);
    } catch (error) {
      throw new TypeError(`${label}.gp: ${(error as Error).message}`);
    }
  }
  return parsed;
}

/**
 * Fits one GP per prior task (once; strategies reuse them at every step), each to at most
 * `maxPoints` of its trials ({@linkcode basePointSubset}). A task's GP is the same wherever the
 * task sits in the list: its restarts draw from a stream named by its id (see
 * {@linkcode BaseModelOptions}.seed).
 *
 * @example
 * ```ts
 * import { fitBaseModels } from "./base_models.ts";
 * const models = fitBaseModels([{
 *   id: "a",
 *   points: [Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)],
 *   values: Float64Array.of(1, 0, 1),
 * }]);
 * models[0].gp.predict([Float64Array.of(0.4)]);
 * ```
 */
export function fitBaseModels(
  tasks: readonly EncodedTask[],
  options: BaseModelOptions = {},
): BaseModel[] {
  if (!Array.isArray(tasks)) throw new TypeError("fitBaseModels.tasks: must be an array");
  checkBaseModelOptions(options, "fitBaseModels options");
  return tasks.map((task, i) => fitOne(task, options, i));
}

/**
 * One task's base GP, exactly as {@linkcode fitBaseModels} fits it in any list (its restarts
 * draw from the stream named by its id), so that models can be fitted one task at a time, on
 * first use, and shared; errors name the task as `fitBaseModels.tasks[index]`, its position in
 * the list it belongs to.
 *
 * @param task The encoded task.
 * @param options As for {@linkcode fitBaseModels}.
 * @param index The task's position in its list, for the error messages.
 * @returns The task's base model.
 * @throws {TypeError} On bad options or a task without points; `Error` when the GP fit fails.
 *
 * @example
 * ```ts
 * import { fitBaseModel, fitBaseModels } from "./base_models.ts";
 * const task = {
 *   id: "a",
 *   points: [Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)],
 *   values: Float64Array.of(1, 0, 1),
 * };
 * const one = fitBaseModel(task);
 * const [same] = fitBaseModels([task]);
 * one.gp.predict([Float64Array.of(0.4)]).mean[0] === same.gp.predict([Float64Array.of(0.4)]).mean[0]; // true
 * ```
 */
export function fitBaseModel(
  task: EncodedTask,
  options: BaseModelOptions = {},
  index = 0,
): BaseModel {
  checkBaseModelOptions(options, "fitBaseModels options");
  return fitOne(task, options, index);
}

/** {@linkcode fitBaseModel} with options already checked. */
function fitOne(task: EncodedTask, options: BaseModelOptions, index: number): BaseModel {
  if (!Array.isArray(task?.points) || task.points.length === 0) {
    throw new TypeError(`fitBaseModels.tasks[${index}].points: must be a non-empty array`);
  }
  const seed = options.seed ?? 0;
  const max = options.maxPoints ?? BASE_MODEL_DEFAULTS.maxPoints;
  try {
    const keep = basePointSubset(task.points, task.values, max);
    const points = keep.length === task.points.length
      ? task.points
      : keep.map((k) => task.points[k]);
    const values = keep.length === task.points.length
      ? task.values
      : Float64Array.from(keep, (k) => task.values[k]);
    return {
      id: task.id,
      gp: fitGP(points, overflowSafe(values), {
        ...options.gp,
        rng: Rng.stream(seed, `base:${task.id}`),
      }),
      task,
    };
  } catch (error) {
    throw new Error(`fitBaseModels.tasks[${index}] ("${task.id}"): ${(error as Error).message}`);
  }
}

/** Magnitude above which a task's values are standardised before its GP is fitted. */
const SAFE_MAGNITUDE = 1e150;

/**
 * A task's values as its GP is fitted to them: as they are; or, when some magnitude exceeds 1e150
 * (where the GP's variances in original units, std², and differences of values overflow), their
 * overflow-free standardisation (`standardizeTargets`); or, when every magnitude is below 1e-100
 * but not all are 0, the values times the power of two that brings the largest magnitude to about
 * [1, 2) (`extremeMagnitudeExponent`), an exact operation. Below 1e-100 the GP's std², which turns
 * its standardised variances into original units, would underflow: std is at least ~1e-14 of the
 * largest magnitude (below that, `standardizeTargets` counts values constant), so from 1e-100 on
 * std² ≥ ~1e-228 and standardised variances down to 1e-80 stay normal numbers. Strategies read
 * base models in their own standardised units only, which an affine map of the values does not
 * change: a task whose values are another's times a power of two (none of them subnormal) gets
 * the same base model in those units, bit for bit.
 */
function overflowSafe(values: Float64Array): Float64Array {
  let magnitude = 0;
  for (const v of values) magnitude = Math.max(magnitude, Math.abs(v));
  if (magnitude > SAFE_MAGNITUDE) return standardizeTargets(values).scaled;
  const exponent = extremeMagnitudeExponent(values);
  return exponent < 0 ? values.map((v) => timesPowerOfTwo(v, -exponent)) : values;
}

/**
 * A GP's posterior at many points in its own standardised units. With `cache: true` (for GPs that
 * never change, i.e. base models), each point's prediction is kept per GP and per point object
 * (checked against a copy of its coordinates, so that a reused, mutated array is recomputed), and
 * a study over a fixed pool computes every base model's predictions at a candidate once. Each
 * point's prediction does not depend on the other points asked with it, so cached and fresh
 * values are identical.
 */
export function standardizedPredict(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  options: { cache?: boolean } = {},
): Prediction {
  const { mean, variance } = options.cache
    ? cachedPredict(gp, points, true) as Prediction
    : gp.predict(points);
  const { mean: shift, std } = gp.standardization;
  return {
    mean: mean.map((m) => (m - shift) / std),
    variance: variance.map((v) => v / (std * std)),
  };
}

/**
 * A GP's posterior mean at many points in its own standardised units (no variance is computed);
 * `cache` as in {@linkcode standardizedPredict}.
 */
export function standardizedMean(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  options: { cache?: boolean } = {},
): Float64Array {
  const mean = options.cache ? cachedPredict(gp, points, false).mean : predictMean(gp, points);
  const { mean: shift, std } = gp.standardization;
  return mean.map((m) => (m - shift) / std);
}

interface CachedPoint {
  readonly copy: Float64Array;
  mean: number;
  variance?: number;
}

const predictionCache = new WeakMap<GaussianProcess, WeakMap<Float64Array, CachedPoint>>();

/** Predictions of a fixed GP in its original units, memoised per point (see above). */
function cachedPredict(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  withVariance: boolean,
): { mean: Float64Array; variance?: Float64Array } {
  let own = predictionCache.get(gp);
  if (!own) predictionCache.set(gp, own = new WeakMap());
  const entries: (CachedPoint | undefined)[] = points.map((point) => {
    const entry = own.get(point);
    if (!entry || (withVariance && entry.variance === undefined)) return undefined;
    const { copy } = entry;
    if (copy.length !== point.length) return undefined;
    for (let j = 0; j < copy.length; j++) if (copy[j] !== point[j]) return undefined;
    return entry;
  });
  const missing = entries.flatMap((e, i) => e ? [] : [i]);
  if (missing.length > 0) {
    const asked = missing.map((i) => points[i]);
    const fresh = withVariance
      ? gp.predict(asked)
      : { mean: predictMean(gp, asked), variance: undefined };
    missing.forEach((i, k) => {
      const point = points[i];
      const entry: CachedPoint = { copy: point.slice(), mean: fresh.mean[k] };
      if (fresh.variance) entry.variance = fresh.variance[k];
      own.set(point, entry);
      entries[i] = entry;
    });
  }
  const mean = Float64Array.from(entries, (e) => e!.mean);
  return withVariance
    ? { mean, variance: Float64Array.from(entries, (e) => e!.variance!) }
    : { mean };
}

/** A GP's posterior and gradients at one point in its own standardised units. */
export function standardizedPoint(gp: GaussianProcess, point: Float64Array): PointPrediction {
  const p = gp.predictWithGradient(point);
  const { mean: shift, std } = gp.standardization;
  return {
    mean: (p.mean - shift) / std,
    variance: p.variance / (std * std),
    meanGradient: p.meanGradient.map((g) => g / std),
    varianceGradient: p.varianceGradient.map((g) => g / (std * std)),
  };
}

/**
 * Fits the target task's GP for a transfer surrogate, passing the optimiser's fit hints on to
 * `gpFactory` with the previous transfer surrogate's own target GP, so that the target model is
 * warm-started exactly as plain GP-BO's model is. Without a previous surrogate, a
 * `FitHints.previousState` that {@linkcode targetWarmStartState} wrote (read back from a stored
 * study) is used as that surrogate's target GP would be, with the same numerics; any other state
 * (a plain GP's, say) is ignored, as its surrogate would be.
 *
 * Fantasies (`mode: "keep"`, the kriging believer of `bayesOpt`; Ginsbourger, Le Riche & Carraro
 * 2010) condition the previous target GP, as plain GP-BO's: when that GP was fitted by this
 * fitter (in the same space) and the points and values extend the data it was given (equal
 * coordinates and values, in order: `===`, under which −0 and 0 give the same GP), the target
 * is `conditionOnObservations(previous, newPoints, previous.predict(newPoints).mean)`: believed
 * at its own posterior mean (the values given for the new points are not used), at the previous
 * GP's hyperparameters, target standardisation and constant mean. Its posterior mean is then
 * unchanged everywhere and its variance nowhere rises; with the ensemble weights kept (RGPE,
 * TST-R), so is the ensemble's mean, which at the new points is the value the believer gave them.
 * (Conditioned on the believer's values, the ensemble's mean, the target would move towards the
 * past tasks' prediction, and the ensemble's mean with it.) Otherwise (other data, another
 * space, a GP of elsewhere) `gpFactory`'s `mode: "keep"` refits on the values given with the
 * hyperparameters fixed, which standardises the targets afresh.
 *
 * @example
 * ```ts
 * import { targetFitter } from "./base_models.ts";
 * import { WeightedEnsemble } from "./ensemble.ts";
 * import { conditionOnObservations } from "../gp/gp.ts";
 * import { Rng } from "../random/rng.ts";
 * const fit = targetFitter();
 * const x = [0.1, 0.5, 0.9].map((v) => Float64Array.of(v));
 * const target = fit(x, Float64Array.of(1, 0, 1), new Rng(0));
 * const previous = new WeightedEnsemble(target, [
 *   { id: "target", gp: target, meanWeight: 1, varianceWeight: 1 },
 * ]);
 * const more = [Float64Array.of(0.3)];
 * // Any value given for the new point: the target is believed at its own mean there.
 * const kept = fit([...x, ...more], Float64Array.of(1, 0, 1, 5), new Rng(0), {
 *   previous,
 *   mode: "keep",
 * });
 * const direct = conditionOnObservations(target, more, target.predict(more).mean)!;
 * kept.predict(more).variance[0] === direct.predict(more).variance[0]; // true
 * Math.abs(kept.predict(more).mean[0] - target.predict(more).mean[0]) < 1e-9; // true
 * ```
 */
export function targetFitter(
  options: GpFactoryOptions = {},
): (
  points: readonly Float64Array[],
  values: Float64Array,
  rng: Rng,
  hints?: FitHints,
) => GaussianProcess {
  const factory = gpFactory(options);
  // The data each GP of this fitter was given (copies; a fantasy's believed values included, not
  // the means it was conditioned on), for the fantasies' prefix check.
  const data = new WeakMap<GaussianProcess, TargetData>();
  const remember = (
    gp: GaussianProcess,
    points: readonly Float64Array[],
    values: Float64Array,
    space: FitHints["space"],
  ) => {
    data.set(gp, { points: points.map((p) => p.slice()), values: values.slice(), space });
    return gp;
  };
  return (points, values, rng, hints) => {
    const previous = (hints?.previous as (Surrogate & { target?: GaussianProcess }) | undefined)
      ?.target;
    if (hints?.mode === "keep" && previous !== undefined) {
      const own = data.get(previous);
      if (
        own !== undefined && own.space === hints.space && extendsObservations(own, points, values)
      ) {
        const n = own.points.length;
        const added = points.slice(n);
        // At the target GP's own posterior mean, not at the values given (the believer's, the
        // ensemble's mean): its mean, hence the ensemble's, stays where it was. The values given
        // are remembered, as the next fantasy extends them.
        const conditioned = conditionOnObservations(previous, added, previous.predict(added).mean);
        if (conditioned !== undefined) return remember(conditioned, points, values, hints.space);
      }
    }
    const state = hints?.previous === undefined ? targetState(hints?.previousState) : undefined;
    // gpFactory's surrogates are GaussianProcess instances; the contract only promises Surrogate.
    const gp = factory.fit(
      points,
      values,
      rng,
      previous
        ? { ...hints, previous }
        : state !== undefined
        ? { ...hints, previousState: state }
        : undefined,
    ) as GaussianProcess;
    return remember(gp, points, values, hints?.space);
  };
}

/** The training data of a target GP of {@linkcode targetFitter}, and the space it was fitted in. */
interface TargetData {
  readonly points: readonly Float64Array[];
  readonly values: Float64Array;
  readonly space: FitHints["space"];
}

/**
 * Whether `points` and `values` extend the observations `prior` (a model's own training data):
 * as many values as points, and `prior`'s points and values first, in order, with equal
 * coordinates and values (`===`: −0 equals 0, which give the same model). What a fantasy
 * (`FitHints.mode: "keep"`) checks before conditioning a model on the rest.
 *
 * @example
 * ```ts
 * import { extendsObservations } from "./base_models.ts";
 * const prior = { points: [Float64Array.of(0.1)], values: Float64Array.of(2) };
 * extendsObservations(prior, [Float64Array.of(0.1), Float64Array.of(0.5)], Float64Array.of(2, 1)); // true
 * extendsObservations(prior, [Float64Array.of(0.2), Float64Array.of(0.5)], Float64Array.of(2, 1)); // false
 * ```
 */
export function extendsObservations(
  prior: { readonly points: readonly Float64Array[]; readonly values: Float64Array },
  points: readonly Float64Array[],
  values: Float64Array,
): boolean {
  const n = prior.points.length;
  if (points.length < n || values.length !== points.length || prior.values.length !== n) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    if (prior.values[i] !== values[i] || !equalVectors(prior.points[i], points[i])) return false;
  }
  return true;
}

/**
 * The `SurrogateFactory.warmStartState` of a transfer surrogate whose target GP
 * {@linkcode targetFitter} fits (RGPE's, TST-R's): `{ target: <gpFactory's state> }`, the target
 * GP's hyperparameters, or undefined for a surrogate without a target GP. Namespaced, so that
 * `gpFactory` ignores it (as it ignores the transfer surrogate itself) and `targetFitter` ignores
 * a plain GP's state.
 */
export function targetWarmStartState(surrogate: Surrogate): unknown {
  const target = (surrogate as Surrogate & { target?: GaussianProcess }).target;
  if (target === undefined || target === null) return undefined;
  const state = gpWarmStartState(target);
  return state === undefined ? undefined : { target: state };
}

/** The target GP's state inside a state {@linkcode targetWarmStartState} wrote, if it is one. */
function targetState(state: unknown): unknown {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return undefined;
  return Object.hasOwn(state, "target") ? (state as { target: unknown }).target : undefined;
}
