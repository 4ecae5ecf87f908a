/**
 * Internal: the one place where a study's trials become a proposer's inputs and a proposer's
 * answer becomes configurations, shared by the in-memory `SMBO` and the stored study
 * (`lib/storage/study.ts`), so that both impute failures, pass pending points, handle pools and
 * check proposals the same way.
 *
 * @module
 */
import { canonicalJSON, isPromiseLike } from "../validate.ts";
import { pickFromPool, type ProposalContext, type Proposer, randomlyChosen } from "./proposer.ts";

/**
 * The error of `ask(q)` in pool mode when fewer than `q` candidates are left (`left`): the call
 * claims nothing (`minimize` instead shrinks its last batch to what is left).
 */
export function poolTooSmallError(q: number, left: number): RangeError {
  const unit = left === 1 ? "configuration" : "configurations";
  // One trial is `ask()` or `ask(1)`: the message names neither.
  return new RangeError(
    `${q === 1 ? "ask" : `ask(${q})`}: the candidate pool has only ${left} unused ${unit} left`,
  );
}

/** How failed trials enter the model: at the worst value seen so far, or not at all. */
export type FailedTrials = "worst" | "ignore";

/**
 * What a study knows when it asks its proposer for new points (all encoded): the context's
 * fields, with the observations given as complete and failed trials.
 */
export interface ProposalInputs
  extends Omit<ProposalContext, "points" | "values" | "evaluationsLeft"> {
  /** Points of the complete trials. */
  completePoints: readonly Float64Array[];
  /**
   * Their values (finite), in the same order, on the proposer's lower-is-better scale: a
   * maximising study gives them negated (`minimised` in `_direction.ts`).
   */
  completeValues: ArrayLike<number>;
  /** Points of the trials the objective failed on. */
  failedPoints: readonly Float64Array[];
  /** How failed trials enter the model. */
  failedTrials: FailedTrials;
}

/** The study's point that each copy handed to a plug-in copies (see `handedOut`). */
const originals = new WeakMap<Float64Array, Float64Array>();
/** The copy of each study point last handed to a plug-in. */
const copies = new WeakMap<Float64Array, Float64Array>();

/** Whether `copy` still holds exactly the coordinates of `own` (`Object.is`: -0 and NaN too). */
function unchanged(copy: Float64Array, own: Float64Array): boolean {
  if (copy.length !== own.length) return false;
  for (let j = 0; j < own.length; j++) if (!Object.is(copy[j], own[j])) return false;
  return true;
}

/**
 * A copy of a study's point for a plug-in, so that a proposer or surrogate that writes into the
 * points it is given (e.g. rescaling them in place) cannot change the study's records. The copy
 * handed out before is given again while it still equals the point, so that caches keyed by the
 * point object (the base models' predictions over a fixed pool: `standardizedPredict`) keep
 * working across proposals; a copy a plug-in has changed is replaced.
 */
function handedOut(point: Float64Array): Float64Array {
  const own = originals.get(point) ?? point;
  const before = copies.get(own);
  if (before !== undefined && unchanged(before, own)) return before;
  const copy = own.slice();
  copies.set(own, copy);
  originals.set(copy, own);
  return copy;
}

/** The study's own point of a point a plug-in returned: the one it copies, or itself. */
function original(point: Float64Array): Float64Array {
  return originals.get(point) ?? point;
}

/**
 * @internal The proposer's context: complete trials, then, with `failedTrials: "worst"` and at
 * least one complete trial, every failed configuration at the worst complete value (SMAC's crash
 * cost), so that the model steers away from it. The values are lower-is-better (see
 * `completeValues`), so the worst is their maximum in either direction. The failed
 * configurations not imputed (all of them with `"ignore"`, and before any trial completes) are
 * the context's `failed`, so that proposals do not repeat them either. Every point of the
 * context (observed, failed, pending, pool) is a copy of the study's own, so that a plug-in
 * cannot edit the study's records; `matchPool` matches a returned copy of a pool candidate to
 * that candidate as it would the candidate itself.
 */
export function proposalContext(live: ProposalInputs): ProposalContext {
  // The study's lists as they are now (it keeps adding to them), so that a context read after
  // the proposal (a plug-in that keeps it) still pairs each point with its value: the values are
  // copied here, the lists of points too (references: a few microseconds at 10,000 trials); the
  // copies of the points themselves are made when a plug-in first reads them (then kept), so
  // that a proposer that reads none (random search) copies no point.
  const inputs: ProposalInputs = {
    ...live,
    completePoints: live.completePoints.slice(),
    failedPoints: live.failedPoints.slice(),
    pending: live.pending.slice(),
    ...(live.pool === undefined ? {} : { pool: live.pool.slice() }),
  };
  const nc = live.completeValues.length;
  const imputed = inputs.failedTrials === "worst" && nc > 0 ? inputs.failedPoints.length : 0;
  const values = new Float64Array(nc + imputed);
  values.set(live.completeValues);
  if (imputed > 0) {
    let worst = -Infinity;
    for (let i = 0; i < nc; i++) worst = Math.max(worst, values[i]);
    values.fill(worst, nc);
  }
  let points: Float64Array[] | undefined;
  let pending: Float64Array[] | undefined;
  let failed: Float64Array[] | undefined;
  let pool: Float64Array[] | undefined;
  return {
    dim: inputs.dim,
    get points() {
      return points ??=
        (imputed > 0 ? inputs.completePoints.concat(inputs.failedPoints) : inputs.completePoints)
          .map(handedOut);
    },
    values,
    get pending() {
      return pending ??= inputs.pending.map(handedOut);
    },
    get failed() {
      return failed ??= imputed > 0 ? [] : inputs.failedPoints.map(handedOut);
    },
    project: inputs.project,
    rng: inputs.rng,
    memory: inputs.memory,
    get pool() {
      return inputs.pool === undefined ? undefined : pool ??= inputs.pool.map(handedOut);
    },
    ...(inputs.space === undefined ? {} : { space: inputs.space }),
    ...(inputs.budget === undefined ? {} : {
      budget: inputs.budget,
      evaluationsLeft: Math.max(
        0,
        inputs.budget - nc - inputs.failedPoints.length - inputs.pending.length,
      ),
    }),
  };
}

/**
 * @internal Where `number` goes in the increasing list `numbers`: the first index whose value is
 * not below it (the end when all are).
 */
export function insertionIndex(numbers: ArrayLike<number>, number: number): number {
  let lo = 0, hi = numbers.length;
  if (hi === 0 || numbers[hi - 1] < number) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (numbers[mid] < number) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * @internal The observations a study gives its proposer (`ProposalInputs`), kept up to date one
 * trial at a time, so that an ask builds no list from every trial: the complete trials' points
 * and values (on the proposer's lower-is-better scale) and the failed trials' points, each list
 * in trial-number order whatever order the trials finished in (a batch's evaluations finish out
 * of order), as the in-memory `SMBO` and the stored study both give them.
 */
export class Observations {
  /** Points of the complete trials. */
  readonly completePoints: Float64Array[] = [];
  /** Points of the failed trials. */
  readonly failedPoints: Float64Array[] = [];
  readonly #completeNumbers: number[] = [];
  readonly #failedNumbers: number[] = [];
  #values = new Float64Array(0);
  #count = 0;

  /** The complete trials' values, in the order of `completePoints` (a view of this list). */
  get completeValues(): Float64Array {
    return this.#values.subarray(0, this.#count);
  }

  /** Adds complete trial `number` with its point and its value on the lower-is-better scale. */
  addComplete(number: number, point: Float64Array, value: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(Math.max(64, 2 * this.#values.length));
      grown.set(this.#values);
      this.#values = grown;
    }
    const at = insertionIndex(this.#completeNumbers, number);
    this.#completeNumbers.splice(at, 0, number);
    this.completePoints.splice(at, 0, point);
    this.#values.copyWithin(at + 1, at, this.#count++);
    this.#values[at] = value;
  }

  /** Adds failed trial `number` with its point. */
  addFailed(number: number, point: Float64Array): void {
    const at = insertionIndex(this.#failedNumbers, number);
    this.#failedNumbers.splice(at, 0, number);
    this.failedPoints.splice(at, 0, point);
  }
}

/**
 * @internal Where `minimize` leaves its budget for an in-memory `SMBO`, so that the study's
 * proposal contexts carry it (plain ask/tell studies have none).
 */
export const studyBudgets: WeakMap<object, number> = new WeakMap();

/** Attempts at drawing a random point that is not taken already (for small discrete spaces). */
const RANDOM_ATTEMPTS = 100;

/**
 * @internal `q` uniform random points of the unit cube, projected onto the space by
 * `context.project`, each drawn again (up to 100 draws) while it is a `samePoint` of one of
 * `taken` or of a point drawn before it; `taken` is extended with the points drawn. In a
 * continuous space the first draws are kept, the points of plain random search; in a small
 * discrete space they are distinct configurations while draws find new ones.
 */
export function randomPointsAvoiding(
  context: Pick<ProposalContext, "dim" | "project" | "rng">,
  q: number,
  taken: Float64Array[],
): Float64Array[] {
  return Array.from({ length: q }, () => {
    let point = context.project(context.rng.uniforms(context.dim));
    for (let k = 1; k < RANDOM_ATTEMPTS && taken.some((t) => samePoint(t, point)); k++) {
      point = context.project(context.rng.uniforms(context.dim));
    }
    taken.push(point);
    return point;
  });
}

/**
 * The proposer before any trial has a value to model: random search whose points avoid the
 * evaluated, failed and pending configurations and each other (up to 100 draws each: see
 * `randomPointsAvoiding`), so that a first batch larger than the initial design, or the batch
 * after trials that all failed, holds distinct configurations of a small discrete space; in pool
 * mode distinct random members of the pool (which holds the unused candidates only).
 */
const firstRandom: Proposer = {
  name: "random",
  propose(context, q) {
    const points = context.pool
      ? pickFromPool(context.pool, q, context.rng)
      : randomPointsAvoiding(context, q, [
        ...context.points,
        ...(context.failed ?? []),
        ...context.pending,
      ]);
    randomlyChosen.set(points, points.map(() => true)); // its trials' source is "random"
    return points;
  },
};

/**
 * How far outside [0, 1] a proposed coordinate may be: rounding (e.g. of an optimiser's step)
 * that decoding projects back; a coordinate beyond it is an error, not clamped.
 */
const UNIT_CUBE_TOLERANCE = 1e-9;

/**
 * @internal Asks for `n` points: from `proposer` once some trial has a value to model, otherwise
 * (and in a space with no encoded column, which has a single configuration) from random search
 * that avoids the configurations evaluated, failed, pending or drawn in the same batch.
 * Each point's source is `"model"`, or `"random"` for a random one (random search, or a point of
 * the random share of `interleaveRandom`). Throws an error naming the proposer when its answer is
 * not `n` finite points of `context.dim` coordinates (a promise of them included), or when a
 * coordinate is outside [0, 1] by more than rounding (1e-9), naming the point and the coordinate.
 */
export function proposePoints(
  proposer: Proposer,
  context: ProposalContext,
  n: number,
): { points: Float64Array[]; sources: ("model" | "random")[]; proposer: Proposer } {
  // `values` has one entry per point: counting them copies no point (see `proposalContext`).
  const [chosen, source] = context.values.length > 0 && context.dim > 0
    ? [proposer, "model" as const]
    : [firstRandom, "random" as const];
  const points = chosen.propose(context, n);
  const random = Array.isArray(points) ? randomlyChosen.get(points) : undefined;
  const sources = Array.from({ length: n }, (_, i) => random?.[i] ? "random" as const : source);
  if (isPromiseLike(points)) {
    throw new TypeError(
      `proposer ${chosen.name} returned a Promise; propose must return the points synchronously`,
    );
  }
  if (!Array.isArray(points) || points.length !== n) {
    throw new Error(
      `proposer ${chosen.name} returned ${
        Array.isArray(points) ? points.length : typeof points
      } points, expected ${n}`,
    );
  }
  points.forEach((point, i) => {
    if (
      !(point instanceof Float64Array) || point.length !== context.dim ||
      !point.every(Number.isFinite)
    ) {
      throw new Error(
        `proposer ${chosen.name} returned point ${i} that is not a Float64Array of ${context.dim} finite numbers`,
      );
    }
    const j = point.findIndex((v) => v < -UNIT_CUBE_TOLERANCE || v > 1 + UNIT_CUBE_TOLERANCE);
    if (j >= 0) {
      throw new RangeError(
        `proposer ${chosen.name} returned point ${i} with coordinate ${j} = ${
          point[j]
        }, outside the unit cube [0, 1] (points are encoded: see space.encode)`,
      );
    }
  });
  return { points, sources, proposer: chosen };
}

/**
 * @internal Whether two encoded points agree to 1e-12 in every coordinate: the tolerance of a
 * proposed point that is a pool candidate up to rounding (e.g. projected, `encode(decode(u))`).
 */
export function samePoint(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-12) return false;
  return true;
}

/** The largest coordinate difference of two points of one length. */
function distance(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/**
 * @internal The candidates nearest to design points, in design order: each of `points` takes the
 * candidate of `pool` nearest to it (Euclidean distance between encoded points; the first of
 * equally near ones) among those not taken by an earlier point. Positions in `pool`; at most
 * `pool.length` points.
 */
export function nearestCandidates(
  pool: readonly Float64Array[],
  points: readonly Float64Array[],
): number[] {
  if (points.length > pool.length) {
    throw new RangeError(
      `nearestCandidates: ${points.length} design points for ${pool.length} candidates`,
    );
  }
  const taken = new Uint8Array(pool.length);
  return points.map((point) => {
    let index = -1;
    let best = Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const candidate = pool[i];
      let d = 0;
      for (let j = 0; j < candidate.length; j++) d += (candidate[j] - point[j]) ** 2;
      if (d < best) [index, best] = [i, d];
    }
    taken[index] = 1;
    return index;
  });
}

/**
 * @internal The key of a configuration for matching it with pool candidates: its canonical JSON
 * (keys sorted). Two configurations have the same key exactly when they have the same parameters
 * with the same values (`0` and `-0` alike), whatever their key order.
 */
export function configurationKey(params: unknown): string {
  return canonicalJSON(params);
}

/**
 * @internal The positions in `pool` of the proposed points, each candidate at most once; throws
 * an error naming the proposer otherwise. A point is matched by reference (a candidate and the
 * copies of it that `proposalContext` hands out count as one), else to a candidate
 * with exactly its coordinates, else (a candidate up to rounding) to the nearest candidate within
 * `samePoint`'s tolerance; so two distinct candidates, however close, stay two. Among equal
 * candidates (a configuration listed twice), the first one not taken yet.
 */
export function matchPool(
  pool: readonly Float64Array[],
  points: readonly Float64Array[],
  proposerName: string,
): number[] {
  const taken = new Set<number>();
  return points.map((point) => {
    // By reference: the candidate itself, or the copy of it in a proposal context.
    const own = original(point);
    let index = pool.findIndex((candidate) => original(candidate) === own);
    if (index < 0 || taken.has(index)) {
      index = -1;
      let best = Infinity;
      for (let i = 0; i < pool.length && best > 0; i++) {
        if (taken.has(i) || !samePoint(pool[i], point)) continue;
        const d = distance(pool[i], point);
        if (d < best) [index, best] = [i, d];
      }
    }
    if (index < 0) {
      throw new Error(
        `proposer ${proposerName} returned a point that is not an unused pool candidate`,
      );
    }
    taken.add(index);
    return index;
  });
}
