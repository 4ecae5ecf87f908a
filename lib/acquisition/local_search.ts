/**
 * SMAC's acquisition optimiser for mixed and conditional spaces: local search in the one-exchange
 * neighbourhood from the best observed configurations and the best of many random samples, plus
 * the sorted random samples themselves (SMAC3's `LocalAndSortedRandomSearch`; Hutter, Hoos &
 * Leyton-Brown, "Sequential Model-Based Optimization for General Algorithm Configuration",
 * LION 5, 2011, section 4.3).
 *
 * Neighbourhood ({@linkcode oneExchangeNeighbourhood}): every neighbour changes exactly one active
 * parameter of the point —
 * - a continuous parameter moves by a normal step of standard deviation `stepScale` (0.2) in its
 *   unit-cube column, redrawn until it stays in [0, 1]; `continuousNeighbours` (4) such steps, as
 *   ConfigSpace's `get_one_exchange_neighbourhood`;
 * - an integer (or a float on a grid) moves to its two neighbouring grid values, plus up to two
 *   values reached by a normal step of 0.2 in its column;
 * - a categorical takes each of its other choices;
 * - inactive parameters (conditional spaces) are not moved, and every neighbour is mapped through
 *   the space's `project`, which puts the children of a changed parent into their canonical
 *   (inactive or freshly active) encoding.
 *
 * Search ({@linkcode localSearch}): the `localStarts` (10, SMAC's `local_search_iterations`) first
 * `starts` (the caller orders them, e.g. observed points by posterior mean, as SMAC 2) and the
 * `randomStarts` (10) best of `randomSamples` (5000, SMAC's `challengers`) uniform random
 * configurations each run a local search: the whole neighbourhood of every running search is
 * evaluated in one batch, in a random order; with `improvement: "first"` (SMAC) the search moves
 * to the first neighbour in that order that improves the acquisition, with `"best"` to the best
 * one. Without an improving neighbour it counts a plateau step and moves to an equally good
 * neighbour when there is one, and draws a fresh neighbourhood; it stops after `plateauSteps`
 * (10, SMAC's `n_steps_plateau_walk`) such steps, after `maxSteps` moves, or at once when its
 * neighbourhood is deterministic (no continuous parameter) and holds no equal neighbour. With
 * `candidates: "visited"` (default) every point evaluated (random samples, visited points, their
 * neighbours) is a candidate (only those that can still be among the best `q` are kept as the
 * search goes, see `KeptCandidates`); with `"ends"` the candidates are the random samples and the
 * point where each local search ended (one local optimum per search, so that the `q` best are
 * spread over the optima rather than packed around one): the list SMAC3 2.0's
 * `LocalAndSortedRandomSearch` hands its `ConfigSelector`. From SMAC3 2.1 on that list holds the
 * local searches' end points only (the best random samples enter it as starts of local searches,
 * not in addition), which `"ends"` does not reproduce. The best `q` distinct candidates not within
 * `duplicateTolerance` of an `exclude` point are returned, as by `optimizeAcquisition`.
 *
 * Sampled acquisitions (`acquisition.sampled`: Thompson sampling, one joint posterior draw per
 * `evaluate` call) are not searched this way: values of different calls come from independent
 * draws, so the best over all calls would be a maximum over draws (biased towards high variance),
 * and every call would pay a joint draw (a dense Cholesky factorisation over its points). As
 * BoTorch's `MaxPosteriorSampling`, ONE candidate set is scored in ONE call instead and its best
 * `q` are returned. The set: the first `localStarts` `starts`; their one-exchange neighbourhoods,
 * a random neighbour of each start in turn, until the set leaves room for the random samples'
 * share, min(`randomSamples`, `maxCandidates`/2); then up to `randomSamples` uniform random
 * configurations — de-duplicated, without the `exclude` points, at most `maxCandidates` (1024)
 * in all. The neighbourhoods take the place of the local searches around the best
 * configurations, the random samples that of the sorted random search; `randomStarts`,
 * `maxSteps`, `plateauSteps`, `improvement` and `candidates` do not apply. In a small discrete
 * space the set holds every configuration not excluded, and the pick is exact Thompson sampling.
 *
 * Pool mode (`pool` given): the pool is scored by {@linkcode optimizeAcquisition}; local search
 * does not apply. Random interleaving (SMAC's random design) is a proposer's business, see
 * `interleaveRandom` in `lib/smbo/presets.ts`.
 *
 * @module
 */
import { equalVectors } from "../linalg/mod.ts";
import { z } from "../deps/zod.ts";
import type { Rng } from "../random/rng.ts";
import { codecOf, type ParamCodec } from "../space/codec.ts";
import type { Space } from "../space/space.ts";

/**
 * What the local search needs of a search space (any `Space` has it): its dimension, parameters
 * with their columns and types, the projection onto canonical encoded points, and, for a
 * conditional space, which columns are active at a point.
 */
export type SearchSpace = Pick<Space, "dim" | "params" | "project"> & {
  /** Whether some parameter has a condition. */
  readonly conditional?: boolean;
  /** 1 where the column's parameter is active at `u`, 0 where it is inactive. */
  activeColumns?(u: ArrayLike<number>): ArrayLike<number>;
};

/** Whether the space may have inactive parameters (conditional, or unknown but able to say). */
function isConditional(space: SearchSpace): boolean {
  return space.conditional === true ||
    (space.conditional === undefined && typeof space.activeColumns === "function");
}
import {
  checkPoints,
  float64ArraySchema,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
} from "../validate.ts";
import type { AcquisitionFunction } from "./acquisition.ts";
import {
  type AcquisitionOptimum,
  AllCandidatesExcludedError,
  checkAcquisition,
  checkNotAllNaN,
  evaluateChecked,
  isNear,
  optimizeAcquisition,
  rankDescending,
  selectBest,
} from "./optimize.ts";

/** Settings of the neighbourhood; defaults in {@linkcode LOCAL_SEARCH_DEFAULTS}. */
export interface NeighbourhoodOptions {
  /** Normal steps drawn per continuous parameter. */
  continuousNeighbours?: number;
  /** Standard deviation of a step, in unit-cube coordinates. */
  stepScale?: number;
}

/** Options of {@linkcode localSearch}; defaults in {@linkcode LOCAL_SEARCH_DEFAULTS}. */
export interface LocalSearchOptions extends NeighbourhoodOptions {
  /** Dimension of the encoded points (must equal the acquisition's and the space's). */
  dim: number;
  /** Source of the random samples, neighbourhood steps and orders. */
  rng: Rng;
  /**
   * The search space: its parameters, their columns and types. Without it every column is a
   * continuous parameter of its own, mapped through `project`.
   */
  space?: SearchSpace;
  /**
   * Maps a point to the nearest representable one; default `space.project` (else identity).
   * Without it, the moves and random samples of a space without conditions are built canonical
   * and not projected (the same points, faster).
   */
  project?: (point: Float64Array) => Float64Array;
  /** Start points in order of priority (e.g. observed points by posterior mean). */
  starts?: readonly Float64Array[];
  /** How many of `starts` (the first ones) run a local search. */
  localStarts?: number;
  /** Uniform random configurations evaluated (and candidates themselves). */
  randomSamples?: number;
  /** How many of the best random samples run a local search. */
  randomStarts?: number;
  /** Most moves of one local search. */
  maxSteps?: number;
  /** Steps without improvement (plateau walks, fresh neighbourhoods) before a search stops. */
  plateauSteps?: number;
  /** Move to the first improving neighbour in random order (SMAC) or to the best one. */
  improvement?: "first" | "best";
  /**
   * Which points are candidates for the result: `"visited"` every point evaluated, `"ends"` the
   * random samples and the end point of each local search (SMAC3 2.0's challenger list; from 2.1
   * on SMAC3 lists the end points only).
   */
  candidates?: "visited" | "ends";
  /**
   * Finite candidate set: score these points only (local search does not apply); coordinates
   * finite.
   */
  pool?: readonly Float64Array[];
  /**
   * Points that must not be returned (evaluated or pending), matched within `duplicateTolerance`;
   * coordinates finite.
   */
  exclude?: readonly Float64Array[];
  /** Number of distinct candidates to return, best first. */
  q?: number;
  /** Two points closer than this in every coordinate count as the same point. */
  duplicateTolerance?: number;
  /**
   * Most points of the one candidate set a `sampled` acquisition (Thompson sampling) is
   * evaluated on (see the module documentation).
   */
  maxCandidates?: number;
}

/**
 * Defaults of {@linkcode localSearch}, SMAC3's (`LocalAndSortedRandomSearch`, `LocalSearch`,
 * ConfigSpace's one-exchange neighbourhood): `randomSamples: 5000` (SMAC's `challengers`; its
 * hyperparameter-optimisation facade uses 10,000), `localStarts: 10` and `randomStarts: 10`
 * (`local_search_iterations`), `plateauSteps: 10` (`n_steps_plateau_walk`), `improvement:
 * "first"`, `continuousNeighbours: 4` and `stepScale: 0.2` (ConfigSpace), `maxSteps: 100` (SMAC
 * has no limit; a bound keeps one proposal's cost bounded), `candidates: "visited"` (every
 * evaluated point; `"ends"` is SMAC3 2.0's list), `q: 1`, `duplicateTolerance: 1e-9`,
 * `maxCandidates: 1024` (the candidate set of a `sampled` acquisition). A joint posterior draw
 * over m points factorises their m×m covariance, O(m³) with the dense Cholesky of `lib/gp`:
 * about 0.15 s at m = 1,000, 1.3 s at 2,048 and 20 s at 5,000 on a 2-core machine, so the 5,000
 * random samples of the search cannot all be in it. BoTorch's TuRBO draws over
 * min(5000, max(2000, 200·d)) candidates with LAPACK; 1024 keeps the draw to a fraction of a
 * second, and it is the number of raw samples the L-BFGS-B optimiser scores on a continuous space.
 *
 * @example
 * ```ts
 * import { LOCAL_SEARCH_DEFAULTS } from "./local_search.ts";
 * console.log(LOCAL_SEARCH_DEFAULTS.stepScale); // 0.2
 * ```
 */
export const LOCAL_SEARCH_DEFAULTS: Readonly<{
  randomSamples: number;
  localStarts: number;
  randomStarts: number;
  maxSteps: number;
  plateauSteps: number;
  improvement: "first" | "best";
  candidates: "visited" | "ends";
  continuousNeighbours: number;
  stepScale: number;
  q: number;
  duplicateTolerance: number;
  maxCandidates: number;
}> = Object.freeze({
  randomSamples: 5000,
  localStarts: 10,
  randomStarts: 10,
  maxSteps: 100,
  plateauSteps: 10,
  improvement: "first",
  candidates: "visited",
  continuousNeighbours: 4,
  stepScale: 0.2,
  q: 1,
  duplicateTolerance: 1e-9,
  maxCandidates: 1024,
});

/** Most extra values an integer reaches by normal steps, beside its two neighbouring values. */
const INTEGER_JUMPS = 2;
/** Draws of a normal step before it is clipped to the cube. */
const STEP_ATTEMPTS = 64;

const stepScaleSchema = z.number().positive("must be > 0").refine(
  Number.isFinite,
  "must be finite",
);

const neighbourhoodSchema = z.strictObject({
  continuousNeighbours: positiveIntSchema.optional(),
  stepScale: stepScaleSchema.optional(),
});

const optionsSchema = neighbourhoodSchema.extend({
  dim: positiveIntSchema,
  rng: rngSchema,
  space: z.custom<SearchSpace>(
    (v) =>
      v !== null && typeof v === "object" && Array.isArray((v as SearchSpace).params) &&
      typeof (v as SearchSpace).project === "function",
    "must be a Space",
  ).optional(),
  project: z.custom<(point: Float64Array) => Float64Array>(
    (v) => typeof v === "function",
    "must be a function",
  ).optional(),
  starts: z.array(float64ArraySchema).optional(),
  localStarts: nonNegativeIntSchema.optional(),
  randomSamples: nonNegativeIntSchema.optional(),
  randomStarts: nonNegativeIntSchema.optional(),
  maxSteps: positiveIntSchema.optional(),
  plateauSteps: nonNegativeIntSchema.optional(),
  improvement: z.enum(["first", "best"]).optional(),
  candidates: z.enum(["visited", "ends"]).optional(),
  pool: z.array(float64ArraySchema).min(1, "must contain at least one point").optional(),
  exclude: z.array(float64ArraySchema).optional(),
  q: positiveIntSchema.optional(),
  duplicateTolerance: z.number().nonnegative("must be >= 0").optional(),
  maxCandidates: positiveIntSchema.optional(),
});

/** One searched parameter as the neighbourhood sees it. */
interface SearchParam {
  columns: readonly number[];
  type: "continuous" | "integer" | "categorical";
  codec?: ParamCodec;
  grid?: number;
  low?: number;
  high?: number;
}

/** The parameters of a space (fixed ones dropped) or, without one, one continuous per column. */
function searchParams(space: SearchSpace | undefined, dim: number): SearchParam[] {
  if (space === undefined) {
    return Array.from({ length: dim }, (_, j) => ({ columns: [j], type: "continuous" as const }));
  }
  const params: SearchParam[] = [];
  for (const p of space.params) {
    if (p.type === "fixed" || p.columns.length === 0) continue;
    if (p.type !== "integer") {
      params.push({ columns: p.columns, type: p.type });
      continue;
    }
    const definition = p.definition as {
      kind: string;
      low: number;
      high: number;
      step?: number;
      log?: boolean;
    };
    params.push({
      columns: p.columns,
      type: "integer",
      codec: codecOf(p.definition),
      // Distance between neighbouring values: the grid step, 1 for a log-scaled integer.
      grid: definition.log ? 1 : (definition.step ?? 1),
      low: definition.low,
      high: definition.high,
    });
  }
  return params;
}

/** Which parameters are active at `point` (all of them in a space without conditions). */
function activeParams(
  space: SearchSpace | undefined,
  params: readonly SearchParam[],
  point: Float64Array,
): boolean[] {
  if (space === undefined || typeof space.activeColumns !== "function" || !isConditional(space)) {
    return params.map(() => true);
  }
  const active = space.activeColumns(point);
  return params.map((p) => active[p.columns[0]] !== 0);
}

/** A normal step of `scale` from `u`, redrawn until it stays in [0, 1] (clipped at last). */
function normalStep(u: number, scale: number, rng: Rng): number {
  for (let attempt = 0; attempt < STEP_ATTEMPTS; attempt++) {
    const v = u + scale * rng.normal();
    if (v >= 0 && v <= 1) return v;
  }
  return Math.min(1, Math.max(0, u + scale * rng.normal()));
}

/** Returns a copy of an encoded point. */
type PointCopier = (point: Float64Array) => Float64Array;

/** A copy of its own for each point: what callers that keep the points get. */
const ownCopy: PointCopier = (point) => point.slice();

/** Points per block of {@linkcode PointBlocks}. */
const BLOCK_POINTS = 256;

/**
 * Points of dimension `dim` as views into shared blocks of {@linkcode BLOCK_POINTS} points: a
 * local search makes thousands of neighbours and random samples per proposal, almost all dropped
 * after one evaluation, and allocating a typed array costs several times more than a view into
 * an existing one. A kept view holds its block alive; the search returns copies of its own.
 */
class PointBlocks {
  readonly #dim: number;
  #block = new Float64Array(0);
  #used = 0;
  constructor(dim: number) {
    this.#dim = dim;
  }
  /** A new point of zeros. */
  take(): Float64Array {
    const dim = this.#dim;
    if (this.#used + dim > this.#block.length) {
      this.#block = new Float64Array(dim * BLOCK_POINTS);
      this.#used = 0;
    }
    const view = this.#block.subarray(this.#used, this.#used + dim);
    this.#used += dim;
    return view;
  }
  /** A new point equal to `point`. */
  readonly copy: PointCopier = (point) => {
    const view = this.take();
    view.set(point);
    return view;
  };
}

/** A neighbour made on demand (continuous steps are drawn then); undefined: none after all. */
type Move = () => Float64Array | undefined;

/** The raw (unprojected) moves of `point` that change parameter `p`. */
function moves(
  point: Float64Array,
  p: SearchParam,
  settings: { continuousNeighbours: number; stepScale: number },
  rng: Rng,
  copy: PointCopier,
): Move[] {
  const out: Move[] = [];
  const column = p.columns[0];
  if (p.type === "categorical") {
    let current = 0;
    for (let k = 1; k < p.columns.length; k++) {
      if (point[p.columns[k]] > point[p.columns[current]]) current = k;
    }
    for (let k = 0; k < p.columns.length; k++) {
      if (k === current) continue;
      out.push(() => {
        const next = copy(point);
        for (const c of p.columns) next[c] = 0;
        next[p.columns[k]] = 1;
        return next;
      });
    }
    return out;
  }
  if (p.type === "continuous") {
    for (let k = 0; k < settings.continuousNeighbours; k++) {
      out.push(() => {
        const next = copy(point);
        next[column] = normalStep(point[column], settings.stepScale, rng);
        return next[column] === point[column] ? undefined : next;
      });
    }
    return out;
  }
  // Integer (or float grid): the neighbouring values, then normal jumps to other values.
  const codec = p.codec!;
  const encodeValue = (value: number) => {
    const next = copy(point);
    codec.encode(value, next, column);
    return next;
  };
  const current = codec.decode(point, column) as number;
  // The values already taken, as the codec decodes them: current ± grid computed in floats can
  // miss the grid value it encodes to (0.30000000000000004 − 0.1 is 0.20000000000000004, which
  // encodes to 0.2), and a jump landing on that grid value must not return it again.
  const seen = new Set<number>([current]);
  for (const value of [current - p.grid!, current + p.grid!]) {
    if (!(value >= p.low! - 1e-9 * p.grid! && value <= p.high! + 1e-9 * p.grid!)) continue;
    seen.add(codec.decode(encodeValue(value), column) as number);
    out.push(() => encodeValue(value));
  }
  for (let k = 0; k < INTEGER_JUMPS; k++) {
    out.push(() => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const probe = copy(point);
        probe[column] = normalStep(point[column], settings.stepScale, rng);
        const value = codec.decode(probe, column) as number;
        if (seen.has(value)) continue;
        seen.add(value);
        return encodeValue(value);
      }
      return undefined;
    });
  }
  return out;
}

/**
 * The one-exchange neighbourhood of an encoded point (see the module documentation): each
 * neighbour changes exactly one active parameter and is mapped through `space.project`, so that
 * the children of a changed parent take their canonical encoding. Neighbours equal to the point
 * after projection are dropped. Continuous steps are random: the same `rng` state gives the same
 * neighbourhood.
 *
 * @param point An encoded point of `space` (projected).
 * @param space The search space.
 * @param rng Source of the continuous steps.
 * @param options Steps per continuous parameter and their scale.
 * @returns The neighbours, parameter by parameter in the space's order.
 *
 * @example
 * ```ts
 * import { oneExchangeNeighbourhood } from "./local_search.ts";
 * import { categorical, defineSpace, float, int } from "../space/mod.ts";
 * import { Rng } from "../random/rng.ts";
 * const space = defineSpace({
 *   x: float(0, 1),
 *   n: int(1, 5),
 *   act: categorical(["relu", "tanh", "gelu"]),
 * });
 * const u = space.encode({ x: 0.5, n: 3, act: "tanh" });
 * const neighbours = oneExchangeNeighbourhood(u, space, new Rng(0));
 * // 4 steps of x, n = 2 and n = 4 (and up to 2 jumps), act = relu and act = gelu
 * console.log(neighbours.map((v) => space.decode(v)).filter((c) => c.act !== "tanh").length); // 2
 * ```
 */
export function oneExchangeNeighbourhood(
  point: Float64Array,
  space: SearchSpace,
  rng: Rng,
  options: NeighbourhoodOptions = {},
): Float64Array[] {
  const parsed = parseOrThrow(neighbourhoodSchema, options, "oneExchangeNeighbourhood: options");
  if (!(point instanceof Float64Array) || point.length !== space.dim) {
    throw new TypeError(
      `oneExchangeNeighbourhood: point: must be a Float64Array of length ${space.dim}`,
    );
  }
  const settings = {
    continuousNeighbours: parsed.continuousNeighbours ??
      LOCAL_SEARCH_DEFAULTS.continuousNeighbours,
    stepScale: parsed.stepScale ?? LOCAL_SEARCH_DEFAULTS.stepScale,
  };
  const params = searchParams(space, space.dim);
  return neighbourMoves(point, params, space, (u) => space.project(u), settings, rng, ownCopy)
    .map((move) => move())
    .filter((v): v is Float64Array => v !== undefined);
}

function neighbourMoves(
  point: Float64Array,
  params: readonly SearchParam[],
  space: SearchSpace | undefined,
  project: (u: Float64Array) => Float64Array,
  settings: { continuousNeighbours: number; stepScale: number },
  rng: Rng,
  copy: PointCopier,
  canonicalMoves = true,
): Move[] {
  const active = activeParams(space, params, point);
  // Moves of a space without conditions are canonical already (a column in [0, 1], an encoded
  // grid value, a one-hot choice): they are projected only for a conditional space, whose
  // children must be reset, or a caller's own projection.
  const canonical = canonicalMoves && space !== undefined && !isConditional(space);
  const out: Move[] = [];
  params.forEach((p, i) => {
    if (!active[i]) return;
    for (const move of moves(point, p, settings, rng, copy)) {
      out.push(() => {
        const raw = move();
        if (raw === undefined) return undefined;
        const projected = canonical ? raw : project(raw);
        return isNear(projected, [point], 0) ? undefined : projected;
      });
    }
  });
  return out;
}

/** The state of one running local search. */
interface SearchState {
  point: Float64Array;
  value: number;
  steps: number;
  plateau: number;
  running: boolean;
  /** The shuffled moves from `point` being scanned (undefined: draw a new neighbourhood). */
  neighbours?: Move[];
  /** How many of `neighbours` were evaluated. */
  cursor: number;
  /** How many to evaluate next. */
  chunk: number;
  /** The first neighbour found with the same value (for a plateau walk). */
  equal?: Float64Array;
}

/** First and largest chunk of neighbours evaluated per round (SMAC's 2 and 64). */
const FIRST_CHUNK = 2;
const LAST_CHUNK = 64;

/**
 * A uniform random configuration: uniform columns mapped through `project` (a conditional space,
 * or no space), else drawn parameter by parameter (a uniform column, a uniform grid value, a
 * uniform choice), which is the same distribution without the cost of a projection.
 */
function sampleUniform(
  params: readonly SearchParam[],
  space: SearchSpace | undefined,
  dim: number,
  project: (u: Float64Array) => Float64Array,
  rng: Rng,
  blocks: PointBlocks,
): Float64Array {
  // The draws of `rng.uniforms(dim)`, into a view of `blocks`.
  const u = blocks.take();
  for (let j = 0; j < dim; j++) u[j] = rng.uniform();
  if (
    space === undefined || typeof space.activeColumns === "function" &&
      (space as { conditional?: boolean }).conditional !== false
  ) {
    return project(u);
  }
  for (const p of params) {
    if (p.type === "categorical") {
      const pick = rng.integer(p.columns.length);
      for (let k = 0; k < p.columns.length; k++) u[p.columns[k]] = k === pick ? 1 : 0;
    } else if (p.type === "integer") {
      p.codec!.encode(p.codec!.decode(u, p.columns[0]), u, p.columns[0]);
    }
  }
  return u;
}

/**
 * Maximises an acquisition over a mixed or conditional space by SMAC's local and sorted random
 * search (see the module documentation); in pool mode it scores the pool; a `sampled`
 * acquisition (Thompson sampling) is evaluated once, on one candidate set. Deterministic for a
 * given `rng` state (and acquisition). Only `acquisition.evaluate` is used: gradients are not
 * needed (random forests, Thompson samples).
 *
 * @param acquisition The acquisition to maximise.
 * @param options Dimension, rng, space and the settings above.
 * @returns The best feasible candidate(s) and their acquisition values.
 * @throws {TypeError | RangeError} On bad options (the message names the field), a dimension
 *   mismatch, an `evaluate` that does not return a `Float64Array` of one value per point (a
 *   promise included) or returns NaN at every candidate (naming the acquisition), or an
 *   {@linkcode AllCandidatesExcludedError} when every candidate is excluded.
 *
 * @example
 * ```ts
 * import { localSearch } from "./local_search.ts";
 * import { categorical, defineSpace, float } from "../space/mod.ts";
 * import { Rng } from "../random/rng.ts";
 * const space = defineSpace({ x: float(0, 1), act: categorical(["a", "b", "c"]) });
 * // highest at x = 0.3 with act = "c" (column 3)
 * const acquisition = {
 *   name: "bump",
 *   dim: space.dim,
 *   evaluate: (points: readonly Float64Array[]) =>
 *     Float64Array.from(points, (p) => -((p[0] - 0.3) ** 2) + p[3]),
 * };
 * const best = localSearch(acquisition, { dim: space.dim, rng: new Rng(0), space });
 * console.log(space.decode(best.point).act); // "c"
 * ```
 */
export function localSearch(
  acquisition: AcquisitionFunction,
  options: LocalSearchOptions,
): AcquisitionOptimum {
  return search(acquisition, options, { evaluated: 0, peakKept: 0 });
}

/**
 * @internal {@linkcode localSearch}, with how many points it evaluated and the most evaluated
 * points it kept at once as candidates for its result (beside the random samples, which
 * `candidates: "ends"` returns to, and the running searches).
 */
export function localSearchWithStats(
  acquisition: AcquisitionFunction,
  options: LocalSearchOptions,
): { optimum: AcquisitionOptimum; evaluated: number; peakKept: number } {
  const stats = { evaluated: 0, peakKept: 0 };
  const optimum = search(acquisition, options, stats);
  return { optimum, ...stats };
}

function search(
  acquisition: AcquisitionFunction,
  options: LocalSearchOptions,
  stats: { evaluated: number; peakKept: number },
): AcquisitionOptimum {
  checkAcquisition(acquisition, "localSearch");
  const parsed = parseOrThrow(optionsSchema, options, "localSearch: options");
  const settings = { ...LOCAL_SEARCH_DEFAULTS };
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  const { dim, rng, space } = parsed;
  if (acquisition.dim !== dim) {
    throw new RangeError(
      `localSearch: options.dim: ${dim} does not match the acquisition's dim ${acquisition.dim}`,
    );
  }
  if (space !== undefined && space.dim !== dim) {
    throw new RangeError(
      `localSearch: options.space: its dimension ${space.dim} does not match options.dim ${dim}`,
    );
  }
  const exclude = parsed.exclude ?? [];
  checkPoints(exclude, dim, "localSearch: options.exclude", { finite: true });
  if (parsed.pool !== undefined) {
    checkPoints(parsed.pool, dim, "localSearch: options.pool", { finite: true });
    return optimizeAcquisition(acquisition, {
      dim,
      rng,
      pool: parsed.pool,
      exclude,
      q: settings.q,
      duplicateTolerance: settings.duplicateTolerance,
    });
  }
  const starts = parsed.starts ?? [];
  checkPoints(starts, dim, "localSearch: options.starts");
  const project = parsed.project ??
    (space === undefined ? (u: Float64Array) => u.slice() : (u: Float64Array) => space.project(u));
  const checkedProjection = (projected: Float64Array) => {
    if (!(projected instanceof Float64Array) || projected.length !== dim) {
      throw new TypeError(
        `localSearch: options.project: must return a Float64Array of length ${dim}`,
      );
    }
    return projected;
  };
  const checkedProject = (u: Float64Array) => checkedProjection(project(u));
  const params = searchParams(space, dim);
  const blocks = new PointBlocks(dim);
  // The space's projection of a point the search made (a neighbour, a sample): in place.
  const projectOwn = parsed.project === undefined && space !== undefined
    ? (u: Float64Array) => checkedProjection(space.project(u, u))
    : checkedProject;
  const uniform = () =>
    parsed.project === undefined
      ? sampleUniform(params, space, dim, projectOwn, rng, blocks)
      : checkedProject(rng.uniforms(dim));
  const neighbours = (point: Float64Array) =>
    neighbourMoves(
      point,
      params,
      space,
      projectOwn,
      settings,
      rng,
      blocks.copy,
      parsed.project === undefined,
    );
  if (acquisition.sampled === true) {
    const candidates = sampledCandidates(
      starts.slice(0, settings.localStarts).map((s) => checkedProject(s)),
      neighbours,
      uniform,
      exclude,
      settings,
      rng,
    );
    if (candidates.length === 0) throw new AllCandidatesExcludedError();
    const values = evaluateChecked(acquisition, candidates, "localSearch");
    checkNotAllNaN(values, acquisition, "localSearch");
    return ownPoints(
      selectBest(candidates, values, [], settings.q, settings.duplicateTolerance),
    );
  }
  const deterministic = params.every((p) => p.type === "categorical");

  // With `candidates: "visited"` every evaluated point is a candidate, but only those that can
  // still be among the best `q` are kept; `"ends"` needs the random samples and the end points.
  const kept = settings.candidates === "visited"
    ? new KeptCandidates(settings.q, settings.duplicateTolerance, exclude)
    : undefined;
  // Whether some evaluated point had a value that is not NaN (if none had, no candidate can be
  // chosen: the search refuses to pick an arbitrary one).
  let someValue = false;
  const evaluate = (points: Float64Array[]): Float64Array => {
    if (points.length === 0) return new Float64Array();
    const result = evaluateChecked(acquisition, points, "localSearch");
    if (!someValue) someValue = result.some((v) => !Number.isNaN(v));
    stats.evaluated += points.length;
    if (kept !== undefined) {
      for (let i = 0; i < points.length; i++) {
        const v = result[i];
        kept.offer(points[i], Number.isNaN(v) ? -Infinity : v);
      }
      stats.peakKept = kept.peak;
    }
    return result;
  };

  // Sorted random search.
  const random = Array.from({ length: settings.randomSamples }, uniform);
  const randomValues = evaluate(random);
  const randomOrder = rankDescending(randomValues).slice(0, settings.randomStarts);
  // Local search from the first starts and the best random samples.
  const startPoints = starts.slice(0, settings.localStarts).map((s) => checkedProject(s));
  const startValues = evaluate(startPoints);
  const searches: SearchState[] = [
    ...startPoints.map((point, i) => ({ point, value: startValues[i] })),
    ...randomOrder.map((i) => ({ point: random[i], value: randomValues[i] })),
  ].map(({ point, value }) => ({
    point,
    value: Number.isNaN(value) ? -Infinity : value,
    steps: 0,
    plateau: 0,
    running: true,
    cursor: 0,
    chunk: FIRST_CHUNK,
  }));
  // Only `"ends"` returns to the random samples.
  if (kept !== undefined) random.length = 0;

  // SMAC's vectorised local search: each round every running search contributes the next chunk
  // of its shuffled neighbourhood (2, 4, … 64 neighbours while none improves; the whole
  // neighbourhood for best improvement), all chunks are evaluated in one batch.
  while (searches.some((s) => s.running)) {
    const batch: Float64Array[] = [];
    const ranges: [number, number][] = [];
    for (const search of searches) {
      const from = batch.length;
      if (search.running) {
        if (search.neighbours === undefined) {
          search.neighbours = rng.shuffle(neighbours(search.point));
          search.cursor = 0;
          search.equal = undefined;
        }
        const take = settings.improvement === "best" ? Infinity : search.chunk;
        let made = 0;
        while (made < take && search.cursor < search.neighbours.length) {
          const neighbour = search.neighbours[search.cursor++]();
          if (neighbour === undefined) continue;
          batch.push(neighbour);
          made++;
        }
      }
      ranges.push([from, batch.length]);
    }
    const batchValues = evaluate(batch);
    searches.forEach((search, i) => {
      if (!search.running) return;
      const [from, to] = ranges[i];
      let move = -1;
      for (let k = from; k < to; k++) {
        const v = batchValues[k];
        if (
          v > search.value &&
          (move < 0 || (settings.improvement === "best" && v > batchValues[move]))
        ) {
          move = k;
          if (settings.improvement === "first") break;
        } else if (v === search.value && search.equal === undefined) {
          search.equal = batch[k];
        }
      }
      if (move >= 0) {
        search.point = batch[move];
        search.value = batchValues[move];
        search.steps++;
        search.neighbours = undefined;
        search.chunk = FIRST_CHUNK;
        if (search.steps >= settings.maxSteps) search.running = false;
        return;
      }
      search.chunk = Math.min(2 * search.chunk, LAST_CHUNK);
      if (search.cursor < search.neighbours!.length) return;
      // The neighbourhood is exhausted without improvement: a plateau step.
      search.plateau++;
      const equal = search.equal;
      search.neighbours = undefined;
      search.chunk = FIRST_CHUNK;
      if (equal !== undefined) search.point = equal;
      else if (deterministic || to === from) search.running = false;
      if (search.plateau >= settings.plateauSteps) search.running = false;
    });
  }
  if (!someValue && stats.evaluated > 0) {
    checkNotAllNaN(new Float64Array(stats.evaluated).fill(NaN), acquisition, "localSearch");
  }
  if (kept !== undefined) return ownPoints(kept.best());
  // SMAC3's list: the sorted random samples and each search's final point.
  return ownPoints(selectBest(
    [...random, ...searches.map((s) => s.point)],
    Float64Array.from([...randomValues, ...searches.map((s) => s.value)]),
    exclude,
    settings.q,
    settings.duplicateTolerance,
  ));
}

/** `optimum` with copies of its own of its points (not views into a search's blocks). */
function ownPoints(optimum: AcquisitionOptimum): AcquisitionOptimum {
  const points = optimum.points.map((p) => p.slice());
  return { point: points[0], value: optimum.value, points, values: optimum.values };
}

/**
 * Whether no point can be within `tolerance` of both `a` and `b` in every coordinate (the rule of
 * `isNear`): some coordinate differs by more than 3·`tolerance` (2·`tolerance` and a margin for
 * rounding). False when unsure (NaN or infinite differences at an infinite tolerance).
 */
function separated(a: Float64Array, b: Float64Array, tolerance: number): boolean {
  const bound = 3 * tolerance;
  for (let j = 0; j < a.length; j++) if (Math.abs(a[j] - b[j]) > bound) return true;
  return false;
}

/**
 * @internal The candidates of `candidates: "visited"` that can still be in the result: of the
 * points offered (in evaluation order, values with NaN as -Infinity), `best()` returns what
 * `selectBest` would over all of them — the best `q` distinct points not within `tolerance` of
 * an `exclude` point, in the order of `rankDescending` (value descending, ties in evaluation
 * order) — while holding about `q` points instead of every one evaluated (more only where kept
 * points lie within 3·`tolerance` of each other in every coordinate).
 *
 * Kept, in that order: the offered points that are not excluded and not an exact copy of a kept
 * point of the same value (which ranks before it), down to the `q`-th witness. The witnesses are
 * the kept points, in order, each separated (see `separated`) from the witnesses before it; no
 * point is within `tolerance` of two of them. A point offered below the `q`-th witness, or left
 * below a new `q`-th witness, is dropped. Why the pick stays the same: `selectBest` takes a point
 * unless it is within `tolerance` of a point taken before it, so its picks among all the points
 * ranked before a dropped point are a maximal set of mutually distant points there; each of the
 * `q` witnesses ranked before it (they stay kept, or give way to `q` new witnesses ranked higher
 * still) is a pick or within `tolerance` of one, a different one for each witness. So `q` picks
 * come before every dropped point, and every point ranked before the `q`-th pick is kept or was a
 * point that is not picked, which changes no other pick.
 */
export class KeptCandidates {
  readonly #q: number;
  readonly #tolerance: number;
  readonly #exclude: readonly Float64Array[];
  readonly #points: Float64Array[] = [];
  readonly #values: number[] = [];
  readonly #witness: boolean[] = [];
  #witnesses = 0;
  /** The most points kept at once. */
  peak = 0;

  /** An empty list for the best `q` points, `tolerance` apart and from `exclude`. */
  constructor(q: number, tolerance: number, exclude: readonly Float64Array[]) {
    this.#q = q;
    this.#tolerance = tolerance;
    this.#exclude = exclude;
  }

  /** Offers the next evaluated point and its value (not NaN). */
  offer(point: Float64Array, value: number): void {
    const points = this.#points, values = this.#values, witness = this.#witness;
    // After every kept point of a value ≥ `value`: ties rank in evaluation order.
    let low = 0, high = values.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (values[mid] >= value) low = mid + 1;
      else high = mid;
    }
    const at = low;
    if (this.#witnesses === this.#q && at === points.length) return;
    if (isNear(point, this.#exclude, this.#tolerance)) return;
    for (let j = at - 1; j >= 0 && values[j] === value; j--) {
      if (equalVectors(points[j], point)) return;
    }
    points.splice(at, 0, point);
    values.splice(at, 0, value);
    witness.splice(at, 0, false);
    const chosen: Float64Array[] = [];
    for (let j = 0; j < at; j++) if (witness[j]) chosen.push(points[j]);
    if (chosen.every((w) => separated(w, point, this.#tolerance))) {
      // A new witness: the ones after it are chosen again, and the points after the q-th dropped.
      for (let j = at; j < points.length; j++) {
        witness[j] = chosen.length < this.#q &&
          chosen.every((w) => separated(w, points[j], this.#tolerance));
        if (!witness[j]) continue;
        chosen.push(points[j]);
        if (chosen.length === this.#q) {
          points.length = values.length = witness.length = j + 1;
          break;
        }
      }
      this.#witnesses = chosen.length;
    }
    this.peak = Math.max(this.peak, points.length);
  }

  /** The best `q` distinct points as `selectBest` picks them among all the points offered. */
  best(): AcquisitionOptimum {
    return selectBest(
      this.#points,
      Float64Array.from(this.#values),
      this.#exclude,
      this.#q,
      this.#tolerance,
    );
  }
}

/**
 * The one candidate set of a sampled acquisition (see the module documentation): the starts,
 * their neighbourhoods taken in turn (each start's moves in a random order), then uniform random
 * samples; exact duplicates and points within `duplicateTolerance` of an `exclude` point are
 * dropped, and the set stops at `maxCandidates`.
 */
function sampledCandidates(
  starts: readonly Float64Array[],
  neighbours: (point: Float64Array) => Move[],
  uniform: () => Float64Array,
  exclude: readonly Float64Array[],
  settings: { maxCandidates: number; randomSamples: number; duplicateTolerance: number },
  rng: Rng,
): Float64Array[] {
  const cap = settings.maxCandidates;
  const candidates: Float64Array[] = [];
  const seen = new Set<string>();
  const add = (point: Float64Array) => {
    const key = point.join(",");
    if (seen.has(key)) return;
    seen.add(key);
    if (!isNear(point, exclude, settings.duplicateTolerance)) candidates.push(point);
  };
  for (const start of starts) if (candidates.length < cap) add(start);
  // The random samples' share: up to half of the set, the neighbourhoods the rest.
  const local = cap - Math.min(settings.randomSamples, Math.floor(cap / 2));
  const lists = starts.map((start) => rng.shuffle(neighbours(start)));
  for (let k = 0; candidates.length < local && lists.some((moves) => k < moves.length); k++) {
    for (const moves of lists) {
      if (candidates.length >= local) break;
      if (k >= moves.length) continue;
      const neighbour = moves[k]();
      if (neighbour !== undefined) add(neighbour);
    }
  }
  const random = Math.min(settings.randomSamples, cap - candidates.length);
  for (let i = 0; i < random; i++) add(uniform());
  return candidates;
}
