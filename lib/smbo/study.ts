/**
 * The ask/tell optimiser. {@linkcode SMBO} owns the trials of one study: it serves enqueued
 * configurations first, then a space-filling initial design, then asks its proposer (GP-based
 * Bayesian optimisation by default) for the rest. A failed evaluation is a failed trial; the study
 * goes on.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import {
  DESIGN_DEFAULTS,
  type DesignSizeInput,
  initialDesign,
  type SampleMethod,
  sampleMethodSchema,
} from "../space/design.ts";
import type { ProposalContext, Proposer } from "./proposer.ts";
import { pickFromPool } from "./proposer.ts";
import {
  configurationKey,
  matchPool,
  nearestCandidates,
  Observations,
  poolTooSmallError,
  proposalContext,
  proposePoints,
  studyBudgets,
} from "./_proposal.ts";
import {
  checkTellOutcome,
  copyParams,
  noCompleteTrialMessage,
  resolveOutcome,
  type Trial,
  type TrialOutcome,
  type TrialSource,
} from "./trial.ts";
import { describeValue, nonNegativeIntSchema, parseOrThrow, safeIntSchema } from "../validate.ts";
import { Space } from "../space/space.ts";
import {
  DEFAULT_DIRECTION,
  directionSchema,
  isBetter,
  minimised,
  type StudyDirection,
} from "./_direction.ts";

export type { StudyDirection } from "./_direction.ts";

/** What the optimiser needs of a search space (the spaces of `defineSpace` provide it). */
export interface EncodableSpace<P> {
  /** Encoded dimension. */
  readonly dim: number;
  /** Maps a configuration to the unit cube. */
  encode(params: P): Float64Array;
  /** Maps a point of the unit cube to a configuration. */
  decode(point: Float64Array): P;
  /** The nearest point of the unit cube that decodes and encodes to itself. */
  project(point: Float64Array): Float64Array;
  /** Checks a configuration, throwing an error that names the bad field. */
  validate(params: unknown): P;
}

/**
 * Defaults of {@linkcode SMBO}:
 * - `initialDesignSize`: `max(5, 2·p + 1)` points, p = number of searched parameters (fixed ones
 *   excluded, a categorical counted once however many one-hot columns it has; p = dim for numeric
 *   spaces, the `max(5, 2·dim + 1)` of the GP-EI peer), see `DESIGN_DEFAULTS`;
 * - `initialDesign`: `"sobol"` (scrambled Sobol; also `"lhs"` and `"uniform"`), drawn by the
 *   space module's `initialDesign`, the function behind `space.sample` too (in a small discrete
 *   space, a point repeating a configuration of the design or one asked before the design's
 *   first point is replaced by the next point of the sequence that gives a new configuration, so
 *   long as one of the 64 further points tried gives one: a design larger than the space's number
 *   of configurations repeats some, and so may a configuration enqueued once the design has
 *   begun);
 * - `failedTrials`: `"worst"`: a failed configuration enters the surrogate with the worst value
 *   observed so far (the highest when minimising, the lowest when maximising), so that the model
 *   steers away from it (SMAC's crash cost); `"ignore"` leaves failures out of the model (the
 *   proposer's context lists them as `failed`, so no proposal repeats one either);
 * - `direction`: `"minimize"`; `"maximize"` makes higher values better (e.g. an accuracy).
 *
 * The seed is not among them: without `seed` a study uses seed 0 (see {@linkcode SMBOOptions}),
 * so studies without one give the same trials.
 */
export const SMBO_DEFAULTS: Readonly<{
  initialDesign: SampleMethod;
  failedTrials: "worst" | "ignore";
  initialDesignSize: (space: DesignSizeInput) => number;
  direction: StudyDirection;
}> = Object.freeze({
  initialDesign: DESIGN_DEFAULTS.method,
  failedTrials: "worst",
  initialDesignSize: DESIGN_DEFAULTS.size,
  direction: DEFAULT_DIRECTION,
});

/**
 * How a study in pool mode picks its initial design's candidates (see
 * {@linkcode SMBOOptions.poolDesign}): `"random"` or `"nearest"`.
 */
export type PoolDesign = "random" | "nearest";

/** @internal The schema of {@linkcode PoolDesign}. */
export const poolDesignSchema: z.ZodType<PoolDesign> = z.enum(["random", "nearest"]);

/** Largest initial design of a study: it is drawn at once on the first `ask`. */
const MAX_INITIAL_DESIGN = 100_000;

/** @internal The option fields of {@linkcode SMBO}, shared with `minimize`'s strict schema. */
export const studyOptionFields = {
  seed: safeIntSchema.optional(),
  initialDesignSize: nonNegativeIntSchema.max(
    MAX_INITIAL_DESIGN,
    `must be at most ${MAX_INITIAL_DESIGN} (the design is drawn at once)`,
  ).optional(),
  initialDesign: sampleMethodSchema.optional(),
  poolDesign: poolDesignSchema.optional(),
  failedTrials: z.enum(["worst", "ignore"]).optional(),
  direction: directionSchema.optional(),
  proposer: z.custom<Proposer>(
    (p) => typeof p === "object" && p !== null && typeof (p as Proposer).propose === "function",
    { message: "must be a Proposer (an object with a propose(context, q) method)" },
  ).optional(),
  candidates: z.array(z.unknown()).min(1, "must not be empty").optional(),
  initialConfigurations: z.array(z.unknown()).optional(),
};

const optionsSchema = z.strictObject(studyOptionFields);

/**
 * @internal The label of the options in a study's error messages when another function built
 * them (`minimize options`), keyed by the options object; `SMBO options` otherwise.
 */
export const studyCallers: WeakMap<object, string> = new WeakMap();

/** @internal The details `tell` accepts (shared by in-memory and stored studies). */
export const tellDetailsSchema = z.strictObject({
  seconds: z.number().nonnegative("must be a finite number ≥ 0").refine(
    Number.isFinite,
    "must be a finite number ≥ 0",
  ).optional(),
});

/**
 * @internal Checks that `space` can be optimised over (what `defineSpace` returns), throwing an
 * error that names the argument otherwise.
 */
export function checkEncodableSpace(space: unknown, label: string): void {
  const s = space as Partial<EncodableSpace<unknown>> | null;
  if (
    s === null || typeof s !== "object" || !Number.isInteger(s.dim) || (s.dim as number) < 0 ||
    typeof s.encode !== "function" || typeof s.decode !== "function" ||
    typeof s.project !== "function" || typeof s.validate !== "function"
  ) {
    throw new TypeError(
      `${label}: must be a search space (defineSpace(...): dim, encode, decode, project, validate), got ${
        s === null ? "null" : Array.isArray(s) ? "an array" : typeof s
      }`,
    );
  }
}

/** Options of {@linkcode SMBO}. */
export interface SMBOOptions<P> {
  /**
   * Seed of every random choice; the same seed and the same told values give the same trials. A
   * safe integer (|seed| ≤ 2⁵³ − 1, an error naming `seed` otherwise); distinct seeds, negative
   * ones included, give distinct random streams. Default 0, not a random seed (unlike Optuna's
   * samplers): two studies without a seed give the same trials; pass e.g. `Date.now()` for runs of
   * their own.
   */
  seed?: number;
  /**
   * Number of space-filling initial points (after enqueued ones, at most 100,000); see
   * {@linkcode SMBO_DEFAULTS}.
   */
  initialDesignSize?: number;
  /** How the initial points are spread (`"sobol"`, `"lhs"` or `"uniform"`). */
  initialDesign?: SampleMethod;
  /**
   * Pool mode only: how the initial design picks candidates. `"random"` (the default): a
   * uniformly random subset of the unused candidates, whatever `initialDesign` says. `"nearest"`:
   * the `initialDesign` points (scrambled Sobol by default), each replaced in design order by the
   * unused candidate nearest to it (Euclidean distance between encoded points), so that the
   * design spreads over the space rather than over where the candidates are dense; e.g. SMAC's
   * Sobol design carried over to a tabular benchmark. Measured on 20 tabular pools in
   * `results/rf/pool_design/`.
   */
  poolDesign?: PoolDesign;
  /** How failed trials enter the model. */
  failedTrials?: "worst" | "ignore";
  /**
   * Which way the objective improves: `"minimize"` (the default) or `"maximize"` (e.g. an
   * accuracy, with no need to negate it). Trials keep the values told; `best` is the highest one
   * when maximising, and the proposer models the values negated, so that it always minimises.
   */
  direction?: StudyDirection;
  /** The model-based step; `bayesOpt()` (its defaults) in `minimize`. */
  proposer: Proposer;
  /**
   * Pool mode: a finite list of configurations; every suggestion is one of them, each listed entry
   * at most once. Entries are not merged: a configuration listed twice is two candidates, which
   * the initial design or the proposer may both suggest (deduplicate the list first to evaluate
   * each configuration once). A trial's params are the candidate's validated copy with the
   * candidate's own key order (so that a table keyed by a candidate's JSON finds the trial's).
   */
  candidates?: readonly P[];
  /**
   * Configurations asked first, in order, before the initial design (e.g. a warm start from past
   * tasks); in pool mode each must be one of the candidates.
   */
  initialConfigurations?: readonly P[];
}

/**
 * `params` (a validated configuration, built in the space's order) with the keys in the order
 * `like` has them, then any others (e.g. fixed parameters `like` omits) in their own order.
 */
function inKeyOrderOf<P>(like: unknown, params: P): P {
  if (like === null || typeof like !== "object" || params === null || typeof params !== "object") {
    return params;
  }
  const own = params as Record<string, unknown>;
  const keys = Object.keys(like).filter((k) => Object.hasOwn(own, k));
  for (const k of Object.keys(own)) if (!keys.includes(k)) keys.push(k);
  return Object.fromEntries(keys.map((k) => [k, own[k]])) as P;
}

/** The best complete trial of a study. */
export interface BestTrial<P> {
  /** Its configuration (the trial's own, read-only). */
  readonly params: Readonly<P>;
  /** Its objective value (the lowest observed, or the highest in a maximising study). */
  readonly value: number;
  /** The trial itself. */
  readonly trial: Trial<P>;
}

interface TrialRecord<P> {
  trial: Trial<P>;
  point: Float64Array;
  poolIndex?: number;
}

/**
 * @internal Why a configuration cannot be queued in pool mode when it is none of the candidates
 * (`SMBO.enqueue`, a stored study's `enqueue`).
 */
export const NOT_A_CANDIDATE = "not one of the candidates";

/**
 * @internal {@linkcode NOT_A_CANDIDATE} for an initial configuration (`SMBO`'s and a stored
 * study's `initialConfigurations`), with its usual cause: a warm start of `transferOptions` built
 * without the study's `candidates` (see the README, "Pool mode").
 */
export const INITIAL_NOT_A_CANDIDATE = `${NOT_A_CANDIDATE} (initial configurations from ` +
  "transferOptions need the same candidates: pass them to transferOptions too)";

/** A configuration waiting in the queue of `enqueue`. */
interface Queued<P> {
  params: P;
  source: TrialSource;
  poolIndex?: number;
}

/** What `ask` changes, so that a call that throws can be undone. */
interface AskSnapshot<P> {
  records: number;
  queue: Queued<P>[];
  initialPointsUsed: number;
  initialDesignPoints?: Float64Array[];
  rng: Rng;
  /** Pool mode: how many candidates had been marked used (the length of `#usedOrder`). */
  used: number;
  memory: [string, unknown][];
}

/**
 * A copy of `value` that later edits of `value` in place do not reach, for undoing a failed ask:
 * plain data is copied deeply (plain objects, arrays, typed arrays, `Map`s and `Set`s, cycles
 * and shared parts kept as such; a frozen object's copy is frozen), anything else (an instance
 * of a class, such as a fitted surrogate, a function) is kept by reference.
 */
function snapshotValue(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== "object") return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (ArrayBuffer.isView(value)) {
    const copy = value instanceof DataView
      ? value
      : (value as unknown as { slice(): ArrayBufferView }).slice();
    seen.set(value, copy);
    return copy;
  }
  let copy: unknown;
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (const item of value) array.push(snapshotValue(item, seen));
    copy = array;
  } else if (value instanceof Map) {
    const map = new Map();
    seen.set(value, map);
    for (const [k, v] of value) map.set(k, snapshotValue(v, seen));
    copy = map;
  } else if (value instanceof Set) {
    const set = new Set();
    seen.set(value, set);
    for (const v of value) set.add(snapshotValue(v, seen));
    copy = set;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const object: Record<string, unknown> = Object.create(prototype);
    seen.set(value, object);
    for (const key of Object.keys(value)) {
      Object.defineProperty(object, key, {
        value: snapshotValue((value as Record<string, unknown>)[key], seen),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    copy = object;
  }
  return Object.isFrozen(value) ? Object.freeze(copy) : copy;
}

/** `SMBO`'s private `#askUndoable`, for {@linkcode askUndoable} (set in its static block). */
let undoableAsk: <P>(study: SMBO<P>, count: number) => { trials: Trial<P>[]; undo: () => void };

/** The number of `SMBO`'s trials, for {@linkcode trialCount} (set in its static block). */
let countTrials: (study: SMBO<unknown>) => number;

/**
 * @internal How many trials `study` has (`study.trials.length`, without copying the list), for
 * `minimize`'s loop.
 */
export function trialCount<P>(study: SMBO<P>): number {
  return countTrials(study as SMBO<unknown>);
}

/**
 * @internal Asks `study` for `count` trials as `study.ask(count)` does, and returns them with
 * `undo`, which takes the ask back as if it had never happened: the trials, the queue, the initial
 * design, the pool, the proposer's memory and the random stream are as before it, so the next ask
 * asks for the same configurations. `undo` throws once a later ask or a tell changed the study.
 * For `minimize`, whose `timeout` may pass while the proposer works: the trials asked then are
 * not started, and a study continued afterwards proposes what an uninterrupted one does.
 */
export function askUndoable<P>(
  study: SMBO<P>,
  count: number,
): { trials: Trial<P>[]; undo: () => void } {
  return undoableAsk(study, count);
}

/**
 * Sequential model-based optimisation with an ask/tell interface: it minimises the values told,
 * or maximises them with `direction: "maximize"`.
 *
 * @example
 * ```ts
 * import { SMBO } from "./study.ts";
 * import { randomSearch } from "./proposer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const space = defineSpace({ x: float(-2, 2) });
 * const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
 * for (let i = 0; i < 10; i++) {
 *   const trial = study.ask();
 *   study.tell(trial, (trial.params.x - 1) ** 2);
 * }
 * study.best.value; // close to 0
 * ```
 *
 * @example Maximising a score
 * ```ts
 * import { SMBO } from "./study.ts";
 * import { randomSearch } from "./proposer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const space = defineSpace({ x: float(-2, 2) });
 * const study = new SMBO(space, { seed: 0, proposer: randomSearch(), direction: "maximize" });
 * for (let i = 0; i < 10; i++) {
 *   const trial = study.ask();
 *   study.tell(trial, 1 - (trial.params.x - 1) ** 2); // e.g. an accuracy
 * }
 * study.best.value; // the highest value told, close to 1
 * ```
 */
export class SMBO<P> {
  /** The search space. */
  readonly space: EncodableSpace<P>;
  /** Which way the objective improves (`"minimize"` unless the options said otherwise). */
  readonly direction: StudyDirection;
  /** The model-based step. */
  readonly proposer: Proposer;
  readonly #records: TrialRecord<P>[] = [];
  /** The trial of each record (`trials` copies it). */
  readonly #trials: Trial<P>[] = [];
  /** The trials' records as the proposer sees them, kept up to date by `tell`. */
  readonly #observed = new Observations();
  /** The points of the running trials by id, in id order (`#start` adds, `tell` removes). */
  readonly #running = new Map<number, Float64Array>();
  /** The best complete trial (see `best`), kept up to date by `tell`. */
  #best?: Trial<P>;
  readonly #queue: Queued<P>[] = [];
  #rng: Rng;
  readonly #memory = new Map<string, unknown>();
  readonly #failedTrials: "worst" | "ignore";
  /** Pool mode: the candidates, their points and keys (`configurationKey`), and whether used. */
  readonly #pool?: { params: P; point: Float64Array; key: string; used: boolean }[];
  /** Pool mode: how many candidates are not used. */
  #unusedCount = 0;
  /** Pool mode: the candidates marked used, in that order (so that `#restore` unmarks them). */
  readonly #usedOrder: number[] = [];
  readonly #initialDesignSize: number;
  readonly #initialDesign: SampleMethod;
  readonly #poolDesign: PoolDesign;
  #initialPointsUsed = 0;
  #initialDesignPoints?: Float64Array[];

  static {
    undoableAsk = (study, count) => study.#askUndoable(count);
    countTrials = (study) => study.#records.length;
  }

  /** Creates a study; throws an error naming the bad option when `options` does not fit. */
  constructor(space: EncodableSpace<P>, options: SMBOOptions<P>) {
    checkEncodableSpace(space, "SMBO space");
    const label = studyCallers.get(options) ?? "SMBO options";
    parseOrThrow(optionsSchema, options, label);
    if (!options.proposer) throw new TypeError("SMBO options.proposer: required");
    this.space = space;
    this.proposer = options.proposer;
    this.#rng = new Rng(options.seed ?? 0);
    this.#failedTrials = options.failedTrials ?? SMBO_DEFAULTS.failedTrials;
    this.direction = options.direction ?? SMBO_DEFAULTS.direction;
    this.#initialDesign = options.initialDesign ?? SMBO_DEFAULTS.initialDesign;
    this.#initialDesignSize = options.initialDesignSize ??
      SMBO_DEFAULTS.initialDesignSize(space);
    this.#poolDesign = options.poolDesign ?? "random";
    if (options.poolDesign !== undefined && !options.candidates) {
      throw new TypeError(`${label}.poolDesign: only in pool mode (with candidates)`);
    }
    if (options.candidates) {
      this.#pool = options.candidates.map((candidate, i) => {
        let params: P;
        try {
          params = space.validate(candidate);
        } catch (error) {
          throw new TypeError(`${label}.candidates[${i}]: ${(error as Error).message}`);
        }
        return {
          params: inKeyOrderOf(candidate, params),
          point: space.encode(params),
          key: configurationKey(params),
          used: false,
        };
      });
      this.#unusedCount = this.#pool.length;
    }
    options.initialConfigurations?.forEach((params, i) => {
      try {
        this.#enqueue(params, INITIAL_NOT_A_CANDIDATE);
      } catch (error) {
        throw new TypeError(`${label}.initialConfigurations[${i}]: ${(error as Error).message}`);
      }
    });
  }

  /** All trials in the order they were asked. */
  get trials(): Trial<P>[] {
    return this.#trials.slice();
  }

  /**
   * The best complete trial (the lowest value, or the highest in a maximising study; the first
   * such trial on a tie); throws when no trial has completed yet.
   */
  get best(): BestTrial<P> {
    const best = this.#best;
    if (best === undefined) {
      throw new Error(noCompleteTrialMessage(this.#records.map((r) => r.trial)));
    }
    return { params: best.params, value: best.value!, trial: best };
  }

  /** Whether the pool (in pool mode) has no unused candidate left. */
  get exhausted(): boolean {
    return this.remaining === 0;
  }

  /**
   * How many more configurations `ask` can give: in pool mode the unused candidates and the
   * queued ones; otherwise `Infinity`.
   */
  get remaining(): number {
    if (this.#pool === undefined) return Infinity;
    return this.#unusedCount + this.#queue.length;
  }

  /**
   * Queues a configuration to be asked before any other (e.g. a warm start or a known default).
   * Throws an error naming the bad field when it does not fit the space; in pool mode it must
   * be one of the candidates, exactly (the same values; a candidate listed twice can be queued
   * twice), and the trial then has the candidate's key order: an unused candidate, or a retry of
   * one whose trials all failed (none running, complete or queued; as a stored study's
   * `enqueue`), which proposals never give again.
   */
  enqueue(params: P): void {
    this.#enqueue(params, NOT_A_CANDIDATE);
  }

  /** `enqueue`, saying `notACandidate` of a configuration that is none of the candidates. */
  #enqueue(params: P, notACandidate: string): void {
    const valid = this.space.validate(params);
    let poolIndex: number | undefined;
    if (this.#pool) {
      const key = configurationKey(valid);
      poolIndex = this.#pool.findIndex((c) => !c.used && c.key === key);
      if (poolIndex < 0) {
        poolIndex = this.#pool.findIndex((c, i) => c.used && c.key === key && this.#onlyFailed(i));
      }
      if (poolIndex < 0) {
        throw new RangeError(
          "enqueue: in pool mode the configuration must be an unused candidate" +
            (this.#pool.some((c) => c.key === key) ? "" : `; it is ${notACandidate}`),
        );
      }
      this.#markUsed(poolIndex);
    }
    const queued = poolIndex === undefined ? valid : this.#pool![poolIndex].params;
    this.#queue.push({ params: queued, source: "enqueued", poolIndex });
  }

  /** Whether pool candidate `index` has trials, all failed, and is not queued. */
  #onlyFailed(index: number): boolean {
    let tried = false;
    for (const { trial, poolIndex } of this.#records) {
      if (poolIndex !== index) continue;
      if (trial.status !== "failed") return false;
      tried = true;
    }
    return tried && !this.#queue.some((q) => q.poolIndex === index);
  }

  /** Asks for the next configuration to evaluate. */
  ask(): Trial<P>;
  /** Asks for a batch of `q` configurations, to be evaluated in parallel. */
  ask(q: number): Trial<P>[];
  ask(q?: number): Trial<P> | Trial<P>[] {
    if (q !== undefined && (!Number.isInteger(q) || q < 1)) {
      throw new RangeError(`ask(q): q must be a positive integer, got ${describeValue(q)}`);
    }
    const { trials } = this.#askUndoable(q ?? 1);
    return q === undefined ? trials[0] : trials;
  }

  /**
   * Asks for `count` trials, with `undo`, which takes the ask back (see `askUndoable`). All or
   * nothing: a proposer that throws half-way leaves no running trial behind, and the next call
   * asks for the same configurations as if this one had never happened.
   */
  #askUndoable(count: number): { trials: Trial<P>[]; undo: () => void } {
    if (this.remaining < count) throw poolTooSmallError(count, this.remaining);
    const snapshot = this.#snapshot();
    let trials: Trial<P>[];
    try {
      trials = this.#ask(count);
    } catch (error) {
      this.#restore(snapshot);
      throw error;
    }
    const records = this.#records.length;
    const undo = () => {
      // Only while the asked trials are the study's last ones and none of them was told.
      const untouched = this.#records.length === records &&
        trials.every((trial) => this.#records[trial.id]?.trial === trial);
      if (!untouched) throw new Error("ask: cannot undo an ask after a later ask or tell");
      this.#restore(snapshot);
    };
    return { trials, undo };
  }

  #ask(count: number): Trial<P>[] {
    const trials: Trial<P>[] = [];
    while (trials.length < count && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      trials.push(this.#start(next.params, next.source, next.poolIndex));
    }
    const initialLeft = this.#initialDesignSize - this.#initialPointsUsed;
    if (trials.length < count && initialLeft > 0) {
      const n = Math.min(count - trials.length, initialLeft);
      for (const { params, poolIndex } of this.#initialPoints(n)) {
        trials.push(this.#start(params, "initial", poolIndex));
      }
      this.#initialPointsUsed += n;
    }
    if (trials.length < count) {
      for (const { params, poolIndex, source } of this.#propose(count - trials.length)) {
        trials.push(this.#start(params, source, poolIndex));
      }
    }
    return trials;
  }

  /**
   * What `ask` may change, for `#restore`. The proposer's memory is copied deeply where it is
   * plain data (see `snapshotValue`), so that a proposer that edits its records in place and then
   * throws leaves them as they were.
   */
  #snapshot(): AskSnapshot<P> {
    return {
      records: this.#records.length,
      queue: this.#queue.slice(),
      initialPointsUsed: this.#initialPointsUsed,
      initialDesignPoints: this.#initialDesignPoints,
      rng: this.#rng.clone(),
      used: this.#usedOrder.length,
      memory: Array.from(this.#memory, ([key, value]) => [key, snapshotValue(value, new Map())]),
    };
  }

  /**
   * Undoes what `ask` changed since `snapshot`: trials, queue, design, pool, memory, rng. The
   * trials it takes back are running ones (an ask is undone only while none of its trials was
   * told), and the candidates it unmarks are those marked used since (by the ask, or by an
   * `enqueue` whose queued configuration it takes back with the queue).
   */
  #restore(snapshot: AskSnapshot<P>): void {
    for (let id = snapshot.records; id < this.#records.length; id++) this.#running.delete(id);
    this.#records.length = this.#trials.length = snapshot.records;
    this.#queue.splice(0, this.#queue.length, ...snapshot.queue);
    this.#initialPointsUsed = snapshot.initialPointsUsed;
    this.#initialDesignPoints = snapshot.initialDesignPoints;
    while (this.#usedOrder.length > snapshot.used) {
      this.#pool![this.#usedOrder.pop()!].used = false;
      this.#unusedCount++;
    }
    this.#memory.clear();
    for (const [key, value] of snapshot.memory) this.#memory.set(key, value);
    this.#rng = snapshot.rng;
  }

  /**
   * Reports the outcome of a trial: a finite value completes it; NaN, ±Infinity, an `Error` or
   * `{ error: reason }` fails it; any other outcome (a string, `undefined`, an Optuna-style
   * `{ value: 0.5 }`) is a `TypeError` naming `outcome` that changes nothing (pass the number
   * itself: `tell(trial, 0.5)`). `trial` is a trial this study handed out (the object `ask`
   * returned, or any copy of it that keeps its frozen `params`, such as `{ ...trial }`), or its
   * integer `id`; a trial of another study, a hand-made `{ id, params }` or a copy with params of
   * its own (a JSON copy sent to a worker and back: tell its `id` instead) is a `RangeError`
   * saying so, whatever its id. The study owns the outcome: `details` may only add the measured `seconds` (a finite
   * number ≥ 0); telling an unknown, foreign or already finished trial, or bad details, throws and
   * changes nothing.
   * Trials are frozen: the returned and recorded ones cannot be edited.
   */
  tell(
    trial: Trial<P> | number,
    outcome: TrialOutcome,
    details: { seconds?: number } = {},
  ): Trial<P> {
    const record = this.#recordOf(trial);
    const id = record.trial.id;
    if (record.trial.status !== "running") {
      throw new Error(`tell: trial ${id} was already told (${record.trial.status})`);
    }
    const { seconds } = parseOrThrow(tellDetailsSchema, details ?? {}, "tell details");
    checkTellOutcome(outcome);
    const resolved = resolveOutcome(outcome);
    const { params, source } = record.trial;
    const finished: Trial<P> = Object.freeze({
      id,
      params,
      source,
      ...resolved,
      ...(seconds === undefined ? {} : { seconds }),
    });
    record.trial = this.#trials[id] = finished;
    this.#running.delete(id);
    if (finished.status === "complete") {
      this.#observed.addComplete(id, record.point, minimised(finished.value!, this.direction));
      // The first of the best in trial order, as a scan of the trials finds it.
      const best = this.#best;
      if (
        best === undefined || isBetter(finished.value!, best.value!, this.direction) ||
        (id < best.id && !isBetter(best.value!, finished.value!, this.direction))
      ) {
        this.#best = finished;
      }
    } else this.#observed.addFailed(id, record.point);
    return finished;
  }

  /** The record of the trial `tell` is given: by id, or a trial object this study handed out. */
  #recordOf(trial: Trial<P> | number): TrialRecord<P> {
    if (typeof trial === "number") {
      const record = Number.isInteger(trial) ? this.#records[trial] : undefined;
      if (!record) throw new RangeError(`tell: no trial with id ${trial} in this study`);
      return record;
    }
    if (trial === null || typeof trial !== "object" || Array.isArray(trial)) {
      throw new TypeError(
        `tell: trial must be a trial of this study or its integer id, got ${describeValue(trial)}`,
      );
    }
    const id = (trial as { id?: unknown }).id;
    const record = Number.isInteger(id) ? this.#records[id as number] : undefined;
    // The same object, or a copy sharing its frozen params: a trial of another study or a
    // hand-made one has its own params, even when they are equal.
    if (
      record === undefined ||
      trial.params !== record.trial.params
    ) {
      throw new RangeError(
        `tell: trial ${
          Number.isInteger(id) ? id : `with id ${describeValue(id)}`
        } is not a trial object this study handed out: tell takes the trial that ask returned ` +
          "(or a copy keeping its frozen params, such as { ...trial }; a JSON copy is not one) " +
          "or its integer id",
      );
    }
    return record;
  }

  #start(params: P, source: TrialSource, poolIndex?: number): Trial<P> {
    const own = Object.freeze(copyParams(params));
    const trial: Trial<P> = Object.freeze({
      id: this.#records.length,
      params: own,
      status: "running",
      source,
    });
    const point = this.space.encode(own);
    this.#records.push({ trial, point, poolIndex });
    this.#trials.push(trial);
    this.#running.set(trial.id, point);
    return trial;
  }

  #initialPoints(n: number): { params: P; poolIndex?: number }[] {
    if (this.#pool) {
      const unused = this.#unusedPool();
      if (this.#poolDesign === "random") {
        const points = pickFromPool(unused.map((u) => u.point), n, this.#rng.spawn());
        return this.#claimPool(unused, points, this.proposer.name);
      }
      // The whole design is drawn once (at most one point per candidate); each point takes the
      // unused candidate nearest to it when it is asked.
      this.#initialDesignPoints ??= initialDesign(
        this.space,
        Math.min(this.#initialDesignSize, this.#pool.length),
        this.#rng.spawn(),
        this.#initialDesign,
        "SMBO initial design",
        { distinct: false },
      );
      const design = this.#initialDesignPoints
        .slice(this.#initialPointsUsed, this.#initialPointsUsed + n);
      const nearest = nearestCandidates(unused.map((u) => u.point), design);
      return this.#claimPool(unused, nearest.map((i) => unused[i].point), this.proposer.name);
    }
    // The whole design is drawn once, so that it stays space-filling however it is asked for;
    // a point repeating a configuration already in the design or already asked (an enqueued or
    // initial configuration) is replaced by the next new one (small discrete spaces).
    this.#initialDesignPoints ??= initialDesign(
      this.space,
      this.#initialDesignSize,
      this.#rng.spawn(),
      this.#initialDesign,
      "SMBO initial design",
      { exclude: this.#records.map((r) => r.point) },
    );
    return this.#initialDesignPoints
      .slice(this.#initialPointsUsed, this.#initialPointsUsed + n)
      .map((u) => ({ params: this.space.decode(u) }));
  }

  #propose(n: number): { params: P; poolIndex?: number; source: TrialSource }[] {
    const unused = this.#pool ? this.#unusedPool() : undefined;
    const context = this.#context(unused);
    const { points, sources, proposer } = proposePoints(this.proposer, context, n);
    if (unused) {
      return this.#claimPool(unused, points, proposer.name).map((claimed, i) => ({
        ...claimed,
        source: sources[i],
      }));
    }
    return points.map((point, i) => ({ params: this.space.decode(point), source: sources[i] }));
  }

  /** The proposer's context, from the lists `tell` keeps (each in trial order). */
  #context(unused?: { point: Float64Array; index: number }[]): ProposalContext {
    return proposalContext({
      dim: this.space.dim,
      completePoints: this.#observed.completePoints,
      // On the proposer's lower-is-better scale (negated when maximising).
      completeValues: this.#observed.completeValues,
      failedPoints: this.#observed.failedPoints,
      failedTrials: this.#failedTrials,
      pending: [...this.#running.values()],
      project: (u) => this.space.project(u),
      rng: this.#rng.spawn(),
      memory: this.#memory,
      pool: unused?.map((u) => u.point),
      budget: studyBudgets.get(this),
      ...(this.space instanceof Space ? { space: this.space } : {}),
    });
  }

  #unusedPool(): { point: Float64Array; index: number }[] {
    return this.#pool!.flatMap((c, index) => c.used ? [] : [{ point: c.point, index }]);
  }

  /** Marks the pool candidates of `points` as used (each must be an unused one). */
  #claimPool(
    unused: { point: Float64Array; index: number }[],
    points: readonly Float64Array[],
    proposerName: string,
  ): { params: P; poolIndex: number }[] {
    return matchPool(unused.map((u) => u.point), points, proposerName).map((i) => {
      const index = unused[i].index;
      this.#markUsed(index);
      return { params: this.#pool![index].params, poolIndex: index };
    });
  }

  /** Marks pool candidate `index` as used (counted, and undone by `#restore`). */
  #markUsed(index: number): void {
    const candidate = this.#pool![index];
    if (candidate.used) return;
    candidate.used = true;
    this.#unusedCount--;
    this.#usedOrder.push(index);
  }
}
