/**
 * Proposers: the pluggable step of SMBO that turns the history of a study into the next points
 * to evaluate. Random search, GP-based Bayesian optimisation and transfer strategies are all
 * proposers; the {@linkcode SMBO} loop around them owns trials, initial designs and failures.
 *
 * @module
 */
import type { Rng } from "../random/rng.ts";
import type { Space } from "../space/space.ts";

/** Everything a proposer may use to choose the next points, all in the encoded unit cube. */
export interface ProposalContext {
  /** Encoded dimension of the search space. */
  dim: number;
  /** Encoded points with a usable value (complete trials, and failed ones when imputed). */
  points: readonly Float64Array[];
  /**
   * The value of each of `points`, lower is better: a study with `direction: "maximize"` gives
   * its proposer the told values negated, so that every proposer minimises.
   */
  values: Float64Array;
  /** Encoded points asked but not yet told; proposals should not repeat them. */
  pending: readonly Float64Array[];
  /**
   * Encoded points of failed trials that are not among `points`: with `failedTrials: "ignore"`
   * all of them, with `"worst"` those failed before any trial completed (once one has, they are
   * in `points` at the worst value and this is empty). Proposals should not repeat them, as they
   * do not repeat evaluated points. Undefined in a context built by hand: read it as
   * `context.failed ?? []`.
   */
  failed?: readonly Float64Array[];
  /** Maps any point of the unit cube to the nearest point the space can represent. */
  project: (point: Float64Array) => Float64Array;
  /** Seeded randomness for this proposal only. */
  rng: Rng;
  /**
   * A scratch record owned by the study, kept from one proposal to the next (e.g. the previous
   * surrogate, to warm-start its hyperparameters). Proposers namespace their keys. When an ask
   * fails (the proposer throws), the study puts its memory back as it was before the ask: plain
   * data (plain objects, arrays, typed arrays, `Map`s, `Set`s) as it was even when the proposer
   * edited it in place, but instances of classes (a fitted model) by reference only, so replace
   * such an object rather than editing it in place.
   */
  memory: Map<string, unknown>;
  /**
   * In pool mode, the encoded candidates not yet evaluated nor pending; proposals must be
   * members of it (by reference or by value).
   */
  pool?: readonly Float64Array[];
  /**
   * The run's total number of evaluations, when known: set by `minimize` (in memory or on a
   * stored study, where it is the global budget); undefined for plain ask/tell.
   */
  budget?: number;
  /**
   * With `budget`: the evaluations not yet asked for, those being proposed now included
   * (budget − complete − failed − pending trials, at least 0).
   */
  evaluationsLeft?: number;
  /**
   * The study's search space, when the proposer runs inside a study: its parameters, the columns
   * each one owns and their types, so that a proposer can move in the space's own terms (flip a
   * categorical, step an integer) rather than in the unit cube only. Undefined for a bare context.
   */
  space?: Space;
}

/**
 * Chooses `q` new points to evaluate.
 *
 * @example
 * ```ts
 * import type { Proposer } from "./proposer.ts";
 * const centre: Proposer = {
 *   name: "centre",
 *   propose: (context, q) => Array.from({ length: q }, () => new Float64Array(context.dim).fill(0.5)),
 * };
 * ```
 */
export interface Proposer {
  /** A short name for reports. */
  readonly name: string;
  /** Returns `q` encoded points (projected, and pool members in pool mode). */
  propose(context: ProposalContext, q: number): Float64Array[];
  /**
   * Optional, with `restoreState`: what the proposer keeps in `context.memory` between proposals
   * (e.g. `bayesOpt`'s fit count and its last fit's hyperparameters), as a JSON object (plain
   * finite numbers, keyed by the proposer's memory keys) that reads back exactly. A stored study
   * keeps it with each model-based proposal it records, in the same transaction, and restores it
   * into a fresh memory before the next proposal (unless the process's own proposal is the
   * latest recorded: it then continues in its own memory): a resumed study, or any of its
   * workers, proposes from the study's state as an uninterrupted run would. Anything but a plain
   * JSON object is a `TypeError` naming the proposer, and nothing is stored. Proposers without
   * these keep their memory in the process.
   */
  saveState?(memory: Map<string, unknown>): Record<string, unknown>;
  /**
   * Optional, with `saveState`: puts a state `saveState` returned into `memory` (an empty memory,
   * or one to overwrite); keys of other proposers are ignored. Throws an error naming the field
   * when the state is not one `saveState` writes.
   */
  restoreState?(memory: Map<string, unknown>, state: Record<string, unknown>): void;
}

/**
 * Random search: uniform points of the unit cube, projected onto the space; in pool mode, distinct
 * random pool members. The baseline every model-based strategy must beat.
 *
 * @example
 * ```ts
 * import { randomSearch } from "./proposer.ts";
 * import { Rng } from "../random/rng.ts";
 * const [point] = randomSearch().propose(
 *   {
 *     dim: 2,
 *     points: [],
 *     values: new Float64Array(),
 *     pending: [],
 *     project: (u) => u,
 *     rng: new Rng(0),
 *     memory: new Map(),
 *   },
 *   1,
 * );
 * ```
 */
export function randomSearch(): Proposer {
  return {
    name: "random",
    propose(context, q) {
      const points = context.pool
        ? pickFromPool(context.pool, q, context.rng)
        : Array.from({ length: q }, () => context.project(context.rng.uniforms(context.dim)));
      randomlyChosen.set(points, points.map(() => true)); // its trials' source is "random"
      return points;
    },
  };
}

/**
 * Which points of a proposer's answer are uniform random configurations rather than the model's,
 * so that each trial is labelled by how its configuration was chosen: a study gives the trial of
 * point i the source `"random"` when `randomlyChosen.get(points)?.[i]` is true (the array the
 * proposer returned, one flag per point), `"model"` otherwise. `randomSearch` and
 * `interleaveRandom` mark the arrays they return; a custom proposer that mixes in random points
 * (its own sampler, an exploration share) marks its answer the same way.
 *
 * @example
 * ```ts
 * import { type Proposer, randomlyChosen } from "./proposer.ts";
 * // every other proposal a uniform random point, the others at the centre
 * const explorer: Proposer = {
 *   name: "centre-or-random",
 *   propose(context, q) {
 *     const random = Array.from({ length: q }, (_, i) => i % 2 === 1);
 *     const points = random.map((r) =>
 *       r ? context.project(context.rng.uniforms(context.dim)) : new Float64Array(context.dim).fill(0.5)
 *     );
 *     randomlyChosen.set(points, random); // their trials' source: "model", "random", ...
 *     return points;
 *   },
 * };
 * ```
 */
export const randomlyChosen: WeakMap<readonly Float64Array[], readonly boolean[]> = new WeakMap();

/**
 * The `saveState`/`restoreState` of a proposer that another wraps (sharing its memory), when it
 * has them, for the wrapper to pass through: `{ name, propose, ...savedState(inner) }`, so that a
 * stored study keeps the inner proposer's state (e.g. `bayesOpt`'s fit count and
 * hyperparameters) with the wrapper too.
 *
 * @param proposer The wrapped proposer.
 * @returns Its `saveState` and `restoreState` bound to it, or `{}` when it has not both.
 *
 * @example
 * ```ts
 * import { type Proposer, randomSearch, savedState } from "./proposer.ts";
 * import { bayesOpt } from "./bayes_opt.ts";
 * savedState(randomSearch()); // {}: random search keeps no state
 * // a wrapper that logs each proposal and keeps bayesOpt's state in stored studies
 * const inner = bayesOpt();
 * const logged: Proposer = {
 *   name: `logged-${inner.name}`,
 *   propose(context, q) {
 *     const points = inner.propose(context, q);
 *     console.log(`proposed ${points.length} points`);
 *     return points;
 *   },
 *   ...savedState(inner),
 * };
 * ```
 */
export function savedState(proposer: Proposer): Pick<Proposer, "saveState" | "restoreState"> {
  const { saveState, restoreState } = proposer;
  if (typeof saveState !== "function" || typeof restoreState !== "function") return {};
  return {
    saveState: (memory) => saveState.call(proposer, memory),
    restoreState: (memory, state) => restoreState.call(proposer, memory, state),
  };
}

/** `q` distinct random members of a pool (all of it when it is smaller than `q`). */
export function pickFromPool(
  pool: readonly Float64Array[],
  q: number,
  rng: Rng,
): Float64Array[] {
  const order = rng.shuffle(Array.from(pool.keys()));
  return order.slice(0, q).map((i) => pool[i]);
}
