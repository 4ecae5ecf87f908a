/**
 * Maximising an acquisition function over the unit cube (or over a finite pool of candidates).
 *
 * Continuous mode, as in BoTorch's `optimize_acqf`: evaluate the acquisition on `rawSamples`
 * scrambled Sobol points, start L-BFGS-B (with the analytic gradients) from the best `restarts` of
 * them inside [0, 1]^dim, then map every candidate (local optima and raw samples) through
 * `project` (the search space's encode∘decode: it rounds integers and snaps one-hot categoricals)
 * and re-evaluate the acquisition AFTER projection, so the returned point is a feasible point of
 * the space ranked by its true acquisition value. When `project` is given, the best `restarts`
 * projected candidates are then polished: L-BFGS-B again over the coordinates that `project`
 * leaves continuous (found by probing it), with the discrete ones held fixed by zero-width bounds;
 * the polished points are projected and evaluated too. Non-differentiable and `sampled`
 * acquisitions (Thompson sampling with exact joint draws) are maximised over the projected raw
 * samples in one joint evaluation; Thompson sampling with a pathwise sample (one fixed posterior
 * function with a gradient) goes through L-BFGS-B as any differentiable acquisition.
 *
 * Start selection (`startSelection`): `"best"` starts L-BFGS-B from the `restarts` raw samples
 * with the highest acquisition values; `"boltzmann"` draws them without replacement with weights
 * exp(η·z), z the standardised acquisition values (η = 1), always keeping the best one — BoTorch's
 * `initialize_q_batch` in `gen_batch_initial_conditions`, which spreads the starts over several
 * modes of a multimodal acquisition.
 *
 * Incumbent-biased raw samples (`incumbents`, `incumbentSamples`): besides the Sobol points,
 * `incumbentSamples` raw samples are drawn around randomly chosen incumbents with a normal
 * perturbation of standard deviation `incumbentScale` per coordinate, truncated to the cube —
 * BoTorch's `sample_around_best` (there with σ = 10⁻³ around the best 5% of the training points).
 * A list of scales splits the samples evenly over them (fine and coarse local search at once).
 *
 * Pool mode (`pool` given): the acquisition is evaluated on the pool members only (tabular
 * benchmarks, where only listed configurations can be run) and the best member is returned by
 * reference; `project`, `rawSamples` and `restarts` are not used.
 *
 * `exclude` lists points (already evaluated or pending) that must not be returned again; `q > 1`
 * returns the `q` best distinct candidates (a ranked list, not a joint batch criterion: for batches
 * with pending points use a fantasy strategy such as the kriging believer around this function).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { lbfgsb } from "../optim/lbfgsb.ts";
import { multiStart } from "../optim/multi_start.ts";
import {
  checkPoints,
  float64ArraySchema,
  isPromiseLike,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
  withoutUndefined,
} from "../validate.ts";
import type { Rng } from "../random/rng.ts";
import { unitCubeDesign } from "../space/design.ts";
import type { AcquisitionFunction, ValueAndGradient } from "./acquisition.ts";
import { equalVectors } from "../linalg/mod.ts";

/** Options of {@linkcode optimizeAcquisition}; defaults in {@linkcode ACQUISITION_OPTIMIZER_DEFAULTS}. */
export interface OptimizeAcquisitionOptions {
  /** Dimension of the unit cube (must equal the acquisition's). */
  dim: number;
  /** Source of the Sobol scrambling. */
  rng: Rng;
  /** Number of scrambled Sobol raw samples (a power of two keeps the Sobol balance). */
  rawSamples?: number;
  /** Number of L-BFGS-B restarts, started from the best raw samples. */
  restarts?: number;
  /** Maps a point of the cube to the nearest representable point (default: identity). */
  project?: (point: Float64Array) => Float64Array;
  /** Finite candidate set: maximise over these points only (pool mode); coordinates finite. */
  pool?: readonly Float64Array[];
  /**
   * Points that must not be returned (evaluated or pending), matched within `duplicateTolerance`;
   * coordinates finite.
   */
  exclude?: readonly Float64Array[];
  /** Number of distinct candidates to return, best first. */
  q?: number;
  /** Iteration limit of each L-BFGS-B run. */
  maxIterations?: number;
  /** Two points closer than this in every coordinate count as the same point. */
  duplicateTolerance?: number;
  /** How the L-BFGS-B starts are chosen among the raw samples: the best, or Boltzmann draws. */
  startSelection?: "best" | "boltzmann";
  /** Points to draw extra raw samples around (e.g. the best observed points); coordinates finite. */
  incumbents?: readonly Float64Array[];
  /** Number of extra raw samples around `incumbents` (0: none). */
  incumbentSamples?: number;
  /**
   * Standard deviation of the perturbations around `incumbents`, in unit-cube coordinates; a list
   * splits the samples evenly over its scales.
   */
  incumbentScale?: number | readonly number[];
}

/**
 * Defaults of {@linkcode optimizeAcquisition}:
 * - `rawSamples: 1024` scrambled Sobol points (BoTorch examples use 512–1024);
 * - `restarts: 5` L-BFGS-B runs from the best raw samples;
 * - `q: 1` candidate returned;
 * - `maxIterations: 200` per L-BFGS-B run (BoTorch's `maxiter`); other L-BFGS-B settings are
 *   those of {@linkcode LBFGSB_DEFAULTS} (scipy's). Its gradient tolerance is absolute, as
 *   scipy's `gtol` in BoTorch: an acquisition whose values are tiny (EI of a model of raw
 *   targets of order 1e-5) stops at its starts, so optimise it on standardised targets (as
 *   `bayesOpt` does) or its logarithm (`logEI`);
 * - `duplicateTolerance: 1e-9` (max-norm distance below which two points are the same; with
 *   `q > 1`, restarts that reach one optimum differ by more than this, so pass a larger one, e.g.
 *   `bayesOpt`'s 1e-4, for a batch of distinct points);
 * - `startSelection: "best"` (the best raw samples start L-BFGS-B);
 * - `incumbentSamples: 0` extra raw samples around `incumbents`, `incumbentScale: 1e-3` (BoTorch's
 *   `sample_around_best` σ).
 *
 * @example
 * ```ts
 * import { ACQUISITION_OPTIMIZER_DEFAULTS } from "./optimize.ts";
 * console.log(ACQUISITION_OPTIMIZER_DEFAULTS.rawSamples); // 1024
 * ```
 */
export const ACQUISITION_OPTIMIZER_DEFAULTS: Readonly<{
  rawSamples: number;
  restarts: number;
  q: number;
  maxIterations: number;
  duplicateTolerance: number;
  startSelection: "best" | "boltzmann";
  incumbentSamples: number;
  incumbentScale: number | readonly number[];
}> = Object.freeze({
  rawSamples: 1024,
  restarts: 5,
  q: 1,
  maxIterations: 200,
  duplicateTolerance: 1e-9,
  startSelection: "best",
  incumbentSamples: 0,
  incumbentScale: 1e-3,
});

/** The outcome of {@linkcode optimizeAcquisition}. */
export interface AcquisitionOptimum {
  /** The best candidate (feasible: projected, or a pool member). */
  point: Float64Array;
  /** The acquisition value at `point` (after projection). */
  value: number;
  /** The `q` best distinct candidates, best first (fewer if fewer exist). */
  points: Float64Array[];
  /** Their acquisition values. */
  values: Float64Array;
}

const scaleSchema = z.number().positive("must be > 0").refine(Number.isFinite, "must be finite");

const optionsSchema = z.strictObject({
  dim: positiveIntSchema,
  rng: rngSchema,
  rawSamples: positiveIntSchema.optional(),
  restarts: positiveIntSchema.optional(),
  project: z.custom<(point: Float64Array) => Float64Array>(
    (v) => typeof v === "function",
    "must be a function",
  ).optional(),
  pool: z.array(float64ArraySchema).min(1, "must contain at least one point").optional(),
  exclude: z.array(float64ArraySchema).optional(),
  q: positiveIntSchema.optional(),
  maxIterations: positiveIntSchema.optional(),
  duplicateTolerance: z.number().nonnegative("must be >= 0").optional(),
  startSelection: z.enum(["best", "boltzmann"]).optional(),
  incumbents: z.array(float64ArraySchema).optional(),
  incumbentSamples: z.number().int().nonnegative("must be an integer >= 0").optional(),
  incumbentScale: z.union([scaleSchema, z.array(scaleSchema).min(1, "must not be empty")])
    .optional(),
});

/**
 * @internal Throws a `TypeError` naming `label` unless `acquisition` has an `evaluate` method:
 * the one check of the acquisition optimisers (L-BFGS-B here, local search).
 */
export function checkAcquisition(acquisition: AcquisitionFunction, label: string): void {
  if (
    acquisition === null || typeof acquisition !== "object" ||
    typeof acquisition.evaluate !== "function"
  ) {
    throw new TypeError(`${label}: acquisition: must have an evaluate method`);
  }
}

/** How an acquisition is named in the optimisers' messages: `acquisition "LogEI"`. */
function acquisitionLabel(acquisition: AcquisitionFunction): string {
  let name: unknown;
  try {
    name = acquisition.name;
  } catch {
    // A throwing getter: unnamed below.
  }
  return typeof name === "string" ? `acquisition ${JSON.stringify(name)}` : "acquisition";
}

/**
 * @internal `acquisition.evaluate(points)`, checked: a `Float64Array` of one value per point
 * (a promise, another type or length is a `TypeError` naming `label` and the acquisition, e.g.
 * `localSearch: acquisition "LogEI".evaluate: must return a Float64Array of 1024 values, got 3`).
 * Shared by the acquisition optimisers.
 */
export function evaluateChecked(
  acquisition: AcquisitionFunction,
  points: readonly Float64Array[],
  label: string,
): Float64Array {
  const values: unknown = acquisition.evaluate(points);
  const where = `${label}: ${acquisitionLabel(acquisition)}.evaluate`;
  if (isPromiseLike(values)) {
    throw new TypeError(
      `${where}: returned a Promise; acquisitions must evaluate synchronously`,
    );
  }
  if (!(values instanceof Float64Array) || values.length !== points.length) {
    throw new TypeError(
      `${where}: must return a Float64Array of ${points.length} values, got ${
        values instanceof Float64Array
          ? `${values.length}`
          : Array.isArray(values)
          ? `an array (use Float64Array.from)`
          : values === null
          ? "null"
          : typeof values
      }`,
    );
  }
  return values;
}

/**
 * @internal `acquisition.valueAndGradient(point)`, checked: `{ value: number, gradient }` with a
 * `Float64Array` gradient of `dim` values; anything else (a promise included) is a `TypeError`
 * naming `label` and the acquisition. Where the value is finite, every entry of the gradient must
 * be too: a NaN or ±Infinity there is a `RangeError` (`optimizeAcquisition: acquisition "EI"
 * .valueAndGradient: gradient[1] must be finite where the value is (0.25), got NaN`), not a
 * direction for L-BFGS-B. A non-finite value (which L-BFGS-B backs off from) passes as it is.
 */
export function valueAndGradientChecked(
  acquisition: AcquisitionFunction,
  point: Float64Array,
  dim: number,
  label: string,
): ValueAndGradient {
  const result: unknown = acquisition.valueAndGradient!(point);
  const where = `${label}: ${acquisitionLabel(acquisition)}.valueAndGradient`;
  if (isPromiseLike(result)) {
    throw new TypeError(`${where}: returned a Promise; acquisitions must evaluate synchronously`);
  }
  const { value, gradient } = (result ?? {}) as Partial<ValueAndGradient>;
  if (typeof value !== "number") {
    throw new TypeError(
      `${where}: must return { value: number, gradient }, got value ${typeof value}`,
    );
  }
  if (!(gradient instanceof Float64Array) || gradient.length !== dim) {
    throw new TypeError(
      `${where}: gradient must be a Float64Array of ${dim} values, got ${
        gradient instanceof Float64Array ? `${gradient.length}` : typeof gradient
      }`,
    );
  }
  if (Number.isFinite(value)) {
    for (let j = 0; j < dim; j++) {
      if (!Number.isFinite(gradient[j])) {
        throw new RangeError(
          `${where}: gradient[${j}] must be finite where the value is (${value}), got ${
            gradient[j]
          }`,
        );
      }
    }
  }
  return { value, gradient };
}

/**
 * @internal Throws a `RangeError` naming `label` and the acquisition when every one of `values`
 * is NaN (there is no best candidate then, only an arbitrary one): the surrogate's predictions or
 * the acquisition are broken. No values (no candidate) passes.
 */
export function checkNotAllNaN(
  values: ArrayLike<number>,
  acquisition: AcquisitionFunction,
  label: string,
): void {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return;
  if (values.length === 0) return;
  throw new RangeError(
    `${label}: ${acquisitionLabel(acquisition)} is NaN at every candidate (${values.length}); ` +
      "no candidate can be chosen",
  );
}

/**
 * Maximises an acquisition function: multi-start L-BFGS-B from the best scrambled Sobol raw
 * samples (continuous mode) or exhaustive evaluation of a candidate pool (pool mode); see the
 * module documentation. Deterministic for a given `rng` state (and acquisition). An acquisition's
 * value at a point must not depend on the other points of an `evaluate` call (true of every
 * built-in one): values of different calls are compared, and a raw sample that the projection
 * leaves unchanged keeps the value computed for it rather than being evaluated again.
 *
 * @param acquisition The acquisition to maximise (differentiable or not).
 * @param options Dimension, rng and the settings above.
 * @returns The best feasible candidate(s) and their acquisition values.
 * @throws {TypeError | RangeError} On bad options (the message names the field, e.g.
 *   `options.pool[0][0]: must be finite, got NaN`), a dimension mismatch, a `project` that
 *   returns a bad point, an acquisition whose `evaluate` does not return a `Float64Array` of one
 *   value per point or whose `valueAndGradient` does not return a number and a `Float64Array`
 *   gradient of `dim` values (a promise included) or returns a finite value with a NaN or
 *   ±Infinity in its gradient (a `RangeError`), an acquisition that is NaN at every
 *   candidate (all naming the acquisition: `optimizeAcquisition: acquisition "EI".evaluate: …`),
 *   or when every candidate is excluded.
 *
 * @example
 * ```ts
 * import { optimizeAcquisition } from "./optimize.ts";
 * import { Rng } from "../random/rng.ts";
 * // a smooth bump with its maximum at (0.3, 0.7)
 * const bump = {
 *   name: "bump",
 *   dim: 2,
 *   evaluate: (points: readonly Float64Array[]) =>
 *     Float64Array.from(points, (p) => -((p[0] - 0.3) ** 2) - (p[1] - 0.7) ** 2),
 *   valueAndGradient: (p: Float64Array) => ({
 *     value: -((p[0] - 0.3) ** 2) - (p[1] - 0.7) ** 2,
 *     gradient: Float64Array.of(-2 * (p[0] - 0.3), -2 * (p[1] - 0.7)),
 *   }),
 * };
 * const best = optimizeAcquisition(bump, { dim: 2, rng: new Rng(0) });
 * console.log(best.point); // ≈ [0.3, 0.7]
 * // integer grid of step 0.25 in the first coordinate
 * const onGrid = optimizeAcquisition(bump, {
 *   dim: 2,
 *   rng: new Rng(0),
 *   project: (u) => Float64Array.of(Math.round(u[0] * 4) / 4, u[1]),
 * });
 * console.log(onGrid.point[0]); // 0.25
 * ```
 */
export function optimizeAcquisition(
  acquisition: AcquisitionFunction,
  options: OptimizeAcquisitionOptions,
): AcquisitionOptimum {
  checkAcquisition(acquisition, "optimizeAcquisition");
  const parsed = parseOrThrow(optionsSchema, options, "optimizeAcquisition: options");
  const settings = { ...ACQUISITION_OPTIMIZER_DEFAULTS, ...withoutUndefined(parsed) };
  const { dim } = parsed;
  if (acquisition.dim !== dim) {
    throw new RangeError(
      `optimizeAcquisition: options.dim: ${dim} does not match the acquisition's dim ${acquisition.dim}`,
    );
  }
  const exclude = parsed.exclude ?? [];
  checkPoints(exclude, dim, "optimizeAcquisition: options.exclude", { finite: true });
  const label = "optimizeAcquisition";
  const evaluate = (points: readonly Float64Array[]) => evaluateChecked(acquisition, points, label);
  const select = (
    candidates: readonly Float64Array[],
    values: Float64Array,
    excluded: readonly Float64Array[] = exclude,
  ) => {
    checkNotAllNaN(values, acquisition, label);
    return selectBest(candidates, values, excluded, settings.q, settings.duplicateTolerance);
  };

  if (parsed.pool !== undefined) {
    checkPoints(parsed.pool, dim, "optimizeAcquisition: options.pool", { finite: true });
    const available = parsed.pool.filter((p) => !isNear(p, exclude, settings.duplicateTolerance));
    if (available.length === 0) {
      throw new RangeError("optimizeAcquisition: options.pool: every pool member is excluded");
    }
    return select(available, evaluate(available), []);
  }

  const project = parsed.project;
  const incumbents = parsed.incumbents ?? [];
  checkPoints(incumbents, dim, "optimizeAcquisition: options.incumbents", { finite: true });
  // Scrambled Sobol (a Latin hypercube above Sobol's largest dimension), plus samples around the
  // incumbents when given.
  const raw = unitCubeDesign(settings.rawSamples, dim, parsed.rng, "sobol");
  if (incumbents.length > 0 && settings.incumbentSamples > 0) {
    raw.push(
      ...perturbAround(incumbents, settings.incumbentSamples, settings.incumbentScale, parsed.rng),
    );
  }
  const feasible = (points: readonly Float64Array[]) =>
    project === undefined
      ? points
      : uniquePoints(points.map((p, i) => checkedProjection(project, p, dim, i)));

  if (typeof acquisition.valueAndGradient !== "function" || acquisition.sampled === true) {
    const candidates = feasible(raw);
    return select(candidates, evaluate(candidates));
  }

  const rawValues = evaluate(raw);
  const order = rankDescending(rawValues);
  const count = Math.min(settings.restarts, raw.length);
  const starts =
    (settings.startSelection === "boltzmann"
      ? boltzmannStarts(rawValues, count, parsed.rng)
      : order.slice(0, count)).map((i) => raw[i]);
  const negated = (x: Float64Array) => {
    const { value, gradient } = valueAndGradientChecked(acquisition, x, dim, label);
    const negatedGradient = new Float64Array(dim);
    for (let j = 0; j < dim; j++) negatedGradient[j] = -gradient[j];
    return { value: -value, gradient: negatedGradient };
  };
  const { results } = multiStart(negated, starts, {
    lower: new Float64Array(dim),
    upper: new Float64Array(dim).fill(1),
    maxIterations: settings.maxIterations,
  });
  const optima = results.filter((r) => Number.isFinite(r.value)).map((r) => r.x);
  if (project === undefined) {
    const optimaValues = evaluate(optima);
    return select(
      [...optima, ...raw],
      Float64Array.from([...optimaValues, ...rawValues]),
    );
  }
  // The raw samples the projection leaves as they are keep the values computed for them above
  // (an acquisition's value at a point does not depend on the other points it is asked with):
  // only the optima and the raw samples it moves are evaluated again.
  const sources = [...optima, ...order.map((i) => raw[i])];
  const projected = sources.map((p, i) => checkedProjection(project, p, dim, i));
  const firsts = uniqueIndices(projected);
  const candidates = firsts.map((k) => projected[k]);
  const values = new Float64Array(candidates.length);
  const fresh: number[] = [];
  firsts.forEach((k, c) => {
    if (k >= optima.length && samePoint(projected[k], sources[k])) {
      values[c] = rawValues[order[k - optima.length]];
    } else fresh.push(c);
  });
  if (fresh.length > 0) {
    const freshValues = evaluate(fresh.map((c) => candidates[c]));
    fresh.forEach((c, f) => (values[c] = freshValues[f]));
  }
  // Polish: re-optimise the continuous coordinates of the best projected candidates with their
  // discrete coordinates held fixed (zero-width bounds), then project and evaluate again.
  const polished: Float64Array[] = [];
  for (const i of rankDescending(values).slice(0, settings.restarts)) {
    const fixed = discreteCoordinates(project, candidates[i]);
    if (fixed.every(Boolean)) continue;
    const lower = Float64Array.from(candidates[i], (v, j) => (fixed[j] ? v : 0));
    const upper = Float64Array.from(candidates[i], (v, j) => (fixed[j] ? v : 1));
    const result = lbfgsb(negated, candidates[i], {
      lower,
      upper,
      maxIterations: settings.maxIterations,
    });
    if (Number.isFinite(result.value)) polished.push(checkedProjection(project, result.x, dim, i));
  }
  return select(
    [...candidates, ...polished],
    Float64Array.from([...values, ...evaluate(polished)]),
  );
}

/** Temperature η of the Boltzmann start selection (BoTorch's `initialize_q_batch` default). */
const BOLTZMANN_ETA = 1;

/**
 * Indices of `count` raw samples drawn without replacement with weights exp(η·z) (z: the
 * standardised finite values; non-finite values get weight 0), the best sample always among
 * them (BoTorch's `initialize_q_batch`). Equal values give uniform draws.
 */
function boltzmannStarts(values: Float64Array, count: number, rng: Rng): number[] {
  const finite = Array.from(values).filter(Number.isFinite);
  const order = rankDescending(values);
  if (finite.length === 0) return order.slice(0, count);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length);
  const top = values[order[0]];
  // Weights relative to the best value: exp(η(z − z_max)) ≤ 1 never overflows.
  const weights = Array.from(
    values,
    (v) => Number.isFinite(v) ? (sd > 0 ? Math.exp(BOLTZMANN_ETA * (v - top) / sd) : 1) : 0,
  );
  const chosen = [order[0]];
  weights[order[0]] = 0;
  while (chosen.length < count) {
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) {
      chosen.push(...order.filter((i) => !chosen.includes(i)).slice(0, count - chosen.length));
      break;
    }
    let u = rng.uniform() * total;
    let pick = weights.findIndex((w) => (u -= w) < 0 && w > 0);
    if (pick < 0) pick = weights.findLastIndex((w) => w > 0);
    chosen.push(pick);
    weights[pick] = 0;
  }
  return chosen;
}

/**
 * `count` points around randomly chosen `centres`: each coordinate gets a normal perturbation of
 * standard deviation `scale` (the k-th point uses the (k mod #scales)-th of a list), redrawn until
 * it stays in [0, 1] (clipped after 64 draws).
 */
function perturbAround(
  centres: readonly Float64Array[],
  count: number,
  scales: number | readonly number[],
  rng: Rng,
): Float64Array[] {
  const list = typeof scales === "number" ? [scales] : scales;
  const points: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const scale = list[k % list.length];
    const centre = centres[rng.integer(centres.length)];
    const point = new Float64Array(centre.length);
    for (let j = 0; j < centre.length; j++) {
      const c = centre[j];
      let value = Math.min(1, Math.max(0, c));
      for (let attempt = 0; attempt < 64; attempt++) {
        const v = c + scale * rng.normal();
        if (v >= 0 && v <= 1) {
          value = v;
          break;
        }
      }
      point[j] = value;
    }
    points.push(point);
  }
  return points;
}

/** Step used to probe whether `project` moves a coordinate continuously. */
const PROBE_STEP = 1e-6;

/**
 * Which coordinates of a projected point `project` treats as discrete: those where a small
 * move of the coordinate is not reproduced by the projection (rounded integers, one-hot
 * categoricals, fixed parameters).
 */
function discreteCoordinates(
  project: (point: Float64Array) => Float64Array,
  point: Float64Array,
): boolean[] {
  return Array.from(point, (v, j) => {
    const probe = point.slice();
    const step = v > 0.5 ? -PROBE_STEP : PROBE_STEP;
    probe[j] = v + step;
    const moved = project(probe)[j] - v;
    return !(Math.abs(moved - step) <= 1e-3 * PROBE_STEP);
  });
}

function checkedProjection(
  project: (point: Float64Array) => Float64Array,
  point: Float64Array,
  dim: number,
  index: number,
): Float64Array {
  const projected = project(point.slice());
  if (!(projected instanceof Float64Array) || projected.length !== dim) {
    throw new TypeError(
      `optimizeAcquisition: options.project: must return a Float64Array of length ${dim}`,
    );
  }
  let finite = true;
  for (let j = 0; j < dim && finite; j++) finite = Number.isFinite(projected[j]);
  if (!finite) {
    throw new RangeError(
      `optimizeAcquisition: options.project: returned a non-finite point for candidate ${index}`,
    );
  }
  return projected;
}

/** One float64 and its two 32-bit words, for {@linkcode pointHash}. */
const HASH_BITS = new Float64Array(1);
const HASH_WORDS = new Uint32Array(HASH_BITS.buffer);

/** A 32-bit hash of a point's coordinates, the same for equal points (−0 and 0 alike). */
function pointHash(p: Float64Array): number {
  let h = p.length;
  for (let j = 0; j < p.length; j++) {
    HASH_BITS[0] = p[j] === 0 ? 0 : p[j];
    h = Math.imul(h ^ HASH_WORDS[0], 0x9e3779b1);
    h = Math.imul(h ^ HASH_WORDS[1], 0x85ebca6b);
    h ^= h >>> 15;
  }
  return h;
}

/** Drops exact duplicates (projection maps many points of the cube to one), keeping the first. */
function uniquePoints(points: readonly Float64Array[]): Float64Array[] {
  return uniqueIndices(points).map((k) => points[k]);
}

/**
 * The indices of the first occurrence of each distinct point, in order: points are the same when
 * their coordinates are equal, as their texts `p.join(",")` would be for the finite points of one
 * dimension the projection gives (hashed, then compared, without any number-to-text conversion).
 */
function uniqueIndices(points: readonly Float64Array[]): number[] {
  const buckets = new Map<number, number[]>();
  const firsts: number[] = [];
  for (let k = 0; k < points.length; k++) {
    const p = points[k];
    const h = pointHash(p);
    const bucket = buckets.get(h);
    if (bucket === undefined) buckets.set(h, [k]);
    else {
      if (bucket.some((i) => equalVectors(points[i], p))) continue;
      bucket.push(k);
    }
    firsts.push(k);
  }
  return firsts;
}

/** Whether two points have the same coordinates, bit for bit (−0 and 0 apart). */
function samePoint(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) return false;
  return true;
}

/**
 * @internal Indices sorted by decreasing value; NaN ranks last; ties keep the original order.
 * Shared by the acquisition optimisers.
 */
export function rankDescending(values: ArrayLike<number>): number[] {
  const keys = new Float64Array(values.length);
  for (let i = 0; i < keys.length; i++) {
    keys[i] = Number.isNaN(values[i]) ? -Infinity : values[i];
  }
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) =>
    keys[b] - keys[a] || a - b
  );
}

/**
 * @internal Whether `point` is within `tolerance` of one of `others` in every coordinate (the
 * duplicate rule of the acquisition optimisers).
 */
export function isNear(
  point: Float64Array,
  others: readonly Float64Array[],
  tolerance: number,
): boolean {
  return others.some((other) => {
    for (let j = 0; j < point.length; j++) {
      if (!(Math.abs(point[j] - other[j]) <= tolerance)) return false;
    }
    return true;
  });
}

/**
 * Thrown by {@linkcode optimizeAcquisition} when `exclude` rules out every candidate (e.g. a small
 * discrete space that has been evaluated everywhere).
 *
 * @example
 * ```ts
 * import { AllCandidatesExcludedError } from "./optimize.ts";
 * const error = new AllCandidatesExcludedError();
 * console.log(error instanceof RangeError); // true
 * ```
 */
export class AllCandidatesExcludedError extends RangeError {
  /** Creates the error with its standard message. */
  constructor() {
    super("optimizeAcquisition: every candidate is excluded");
    this.name = "AllCandidatesExcludedError";
  }
}

/** Rejections after which {@linkcode selectBest} sorts all candidates instead of scanning. */
const GREEDY_REJECTIONS = 64;

/**
 * @internal The best `q` distinct candidates not within `tolerance` of an excluded point, best
 * first, in the order of {@linkcode rankDescending} (NaN last, ties: the earliest). Linear scans
 * for the best remaining candidate while few are rejected, a full sort otherwise; throws
 * {@linkcode AllCandidatesExcludedError} when none is left. Shared by the acquisition optimisers.
 */
export function selectBest(
  candidates: readonly Float64Array[],
  values: Float64Array,
  exclude: readonly Float64Array[],
  q: number,
  tolerance: number,
): AcquisitionOptimum {
  const points: Float64Array[] = [];
  const chosen: number[] = [];
  const consider = (i: number) => {
    const candidate = candidates[i];
    if (isNear(candidate, exclude, tolerance) || isNear(candidate, points, tolerance)) {
      return false;
    }
    points.push(candidate);
    chosen.push(values[i]);
    return true;
  };
  const key = (v: number) => (Number.isNaN(v) ? -Infinity : v);
  const skipped = new Uint8Array(values.length);
  let rejections = 0;
  while (points.length < q && rejections < GREEDY_REJECTIONS) {
    let best = -1;
    for (let i = 0; i < values.length; i++) {
      if (!skipped[i] && (best < 0 || key(values[i]) > key(values[best]))) best = i;
    }
    if (best < 0) break;
    skipped[best] = 1;
    if (!consider(best)) rejections++;
  }
  if (points.length < q && rejections >= GREEDY_REJECTIONS) {
    for (const i of rankDescending(values)) {
      if (points.length === q) break;
      if (!skipped[i]) consider(i);
    }
  }
  if (points.length === 0) throw new AllCandidatesExcludedError();
  return { point: points[0], value: chosen[0], points, values: Float64Array.from(chosen) };
}
