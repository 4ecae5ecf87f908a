/**
 * Studies kept in a {@linkcode Storage}: {@linkcode createStudy}, {@linkcode loadStudy} and the
 * {@linkcode StoredStudy} they return, with the ask/tell interface of `SMBO` (asynchronous, since
 * the storage may be a server).
 *
 * A stored study turns its trials into the proposer's inputs, and the proposer's answer into
 * configurations, with the same code as `SMBO` (failed trials at the worst value, pending points,
 * pool candidates, checked proposals), and checks its options, `tell` details and outcomes alike.
 *
 * How a stored study stays correct when processes die or several workers share it:
 * - the initial design (and enqueued configurations) is drawn once, from the study's seed, when
 *   the study is created, and stored as `waiting` trials; workers take waiting trials first, so a
 *   rerun never draws it again;
 * - a worker claims each trial in one transaction ({@linkcode Storage.claim}); a new
 *   configuration is proposed from a snapshot of the study in which every other worker's running
 *   and waiting trials are pending points (the proposer's kriging believer), and is recorded only
 *   if no other worker took the same configuration meanwhile;
 * - an `ask(q)` that cannot claim all `q` trials (in pool mode, other workers took candidates
 *   between its check of `remaining` and its claims) claims none: it hands back those it claimed
 *   ({@linkcode Storage.release}), `waiting` again for the next ask of any worker;
 * - a worker heart-beats its running trials; a trial whose worker stopped heart-beating for a
 *   lease period (or whose process on this host has exited) becomes `failed` with a reason naming
 *   the worker, or `waiting` again with `requeue`. Such a lost trial does not count as evaluated
 *   and the model never sees it; a proposal whose trial is lost before any later proposal that is
 *   not (a process killed while it evaluated it) is made again as if it had never been, from its
 *   random stream and the proposer state it started from, so that a rerun of one worker proposes
 *   what the uninterrupted run proposed (see `#undoneProposals`); such a proposal is made again
 *   once: when the trial that made it again is lost too (a configuration that kills its worker),
 *   the next proposal draws the next stream, and the model sees that configuration as failed;
 * - any handle (another worker's, or one that `loadStudy` opened in another process) can fail a
 *   running or waiting trial by number ({@linkcode StoredStudy.failTrial}), e.g. one whose
 *   objective hangs in a worker that still heart-beats; it is an ordinary failed trial, not a
 *   lost one (it counts as evaluated, the model sees it as failed, it keeps its pool candidate),
 *   and its worker's later `tell` throws `TrialLostError`;
 * - a proposer that saves its state (`Proposer.saveState`, as `bayesOpt`: its fit count, hence
 *   the full-refit schedule, and its last fit's hyperparameters) has it recorded with each
 *   model-based proposal, in the transaction that records the trial, and restored from the study
 *   before each proposal: a resumed study proposes what an uninterrupted run would, and whichever
 *   worker proposes next starts from the study's state (that of the latest recorded proposal;
 *   two workers proposing at once both start from the same one, and the later record is kept).
 *   A process whose own proposal is the latest recorded continues in its own memory instead, its
 *   live surrogate included (`FitHints.previous`, which surrogates without `warmStartState` need
 *   to warm-start); a stored state the proposer cannot restore is an error naming the study, and
 *   {@linkcode StoredStudy.resetProposerState} clears it;
 * - the model sees complete and failed trials in trial-number order, as `SMBO` does, whatever
 *   order their evaluations finished in, so a resumed process gives it the running one's order.
 *
 * @module
 */
import { Rng } from "../random/rng.ts";
import { initialDesign, type SampleMethod } from "../space/design.ts";
import { bayesOpt, type BayesOptOptions } from "../smbo/bayes_opt.ts";
import { pickFromPool, type Proposer } from "../smbo/proposer.ts";
import {
  type BestTrial,
  checkEncodableSpace,
  type EncodableSpace,
  INITIAL_NOT_A_CANDIDATE,
  NOT_A_CANDIDATE,
  type PoolDesign,
  SMBO_DEFAULTS,
  studyOptionFields,
  tellDetailsSchema,
} from "../smbo/study.ts";
import {
  checkTellOutcome,
  copyParams,
  noCompleteTrialMessage,
  resolveOutcome,
  type Trial,
  type TrialOutcome,
} from "../smbo/trial.ts";
import {
  configurationKey,
  insertionIndex,
  matchPool,
  nearestCandidates,
  Observations,
  poolTooSmallError,
  proposalContext,
  proposePoints,
  samePoint,
} from "../smbo/_proposal.ts";
import { checkProposerOptions } from "../smbo/_minimize.ts";
import { isBetter, minimised, type StudyDirection } from "../smbo/_direction.ts";
import { sameSpace, Space, spaceFromJSON } from "../space/space.ts";
import { z } from "../deps/zod.ts";
import { canonicalJSON, describeValue, parseOrThrow } from "../validate.ts";
import { metaFeatureValuesSchema } from "../meta/warm_start.ts";
import { StorageError, storageFailure, TrialLostError } from "./errors.ts";
import { positiveSecondsSchema, storedNameSchema } from "./_validate.ts";
import {
  checkJsonValue,
  type ClaimedTrial,
  type ClaimRequest,
  deadLocalWorker,
  isJsonObject,
  type NewTrial,
  openStorage,
  type Storage,
  type StoredTrial,
  type StudyRecord,
  workerId,
} from "./storage.ts";

/**
 * Defaults of stored studies: a running trial is given up when its worker has not heart-beaten
 * for `leaseSeconds` (60 s); workers beat every `leaseSeconds / 6`; given-up trials fail
 * (`requeue: false`).
 */
export const STORED_STUDY_DEFAULTS = {
  leaseSeconds: 60,
  heartbeatFraction: 1 / 6,
  requeue: false,
} as const;

/** Options of {@linkcode createStudy} and {@linkcode loadStudy}. */
export interface StudyOptions<P> {
  /** A storage or its URL (default `memory:`); a URL opened here is closed by `close()`. */
  storage?: Storage | string;
  /** The study's unique name (any text without NUL, U+0000). */
  name: string;
  /** The search space; `loadStudy` rebuilds it from the stored definition when omitted. */
  space?: EncodableSpace<P>;
  /** Seed of the initial design and of every proposal (kept in the study). */
  seed?: number;
  /** Number of space-filling initial points (kept in the study). */
  initialDesignSize?: number;
  /** How the initial points are spread (kept in the study). */
  initialDesign?: SampleMethod;
  /**
   * Pool mode only: how the initial design picks candidates (kept in the study), as
   * `SMBOOptions.poolDesign`: `"random"` (the default) or `"nearest"`.
   */
  poolDesign?: PoolDesign;
  /** How failed trials enter the model (kept in the study). */
  failedTrials?: "worst" | "ignore";
  /**
   * Which way the objective improves (kept in the study): `"minimize"` (the default for a new
   * study) or `"maximize"`. Omitted, an existing study keeps its own; given, it must be the
   * study's (an error naming `direction` and both values otherwise, and nothing is changed).
   */
  direction?: StudyDirection;
  /** Pool mode: the finite candidate list (kept in the study). */
  candidates?: readonly P[];
  /**
   * Configurations asked first, before the initial design; stored as waiting trials when the
   * study is created (a later `enqueue` adds more to an existing study). Given on opening an
   * existing study, they must be those it was created with (an error naming the first that
   * differs otherwise, as for another seed: transfer options read again from a storage whose
   * experience changed give others).
   */
  initialConfigurations?: readonly P[];
  /**
   * The model-based step (default `bayesOpt(options.bayesOpt)`); not stored, but the state it
   * saves (`Proposer.saveState`) is.
   */
  proposer?: Proposer;
  /** Options of the default proposer. */
  bayesOpt?: BayesOptOptions;
  /**
   * The task's meta-features, recorded with the study (for transfer to later tasks): finite
   * numbers, or NaN or null (as JSON writes NaN) for an unavailable one. Opening an
   * existing study with meta-features other than those it records is an error (as another seed
   * is; `setMetaFeatures` replaces them); a study that records none records these.
   */
  metaFeatures?: Record<string, number>;
  /** This worker's id (default `host/pid/random`). */
  worker?: string;
  /**
   * Seconds without a heart-beat after which a running trial is given up (kept in the study; 60
   * by default). Every worker judges every running trial of the study, its own and the others',
   * by it: omitted, an existing study's is used, and given, it must be the study's (an error
   * naming `leaseSeconds` and both values otherwise, as for another seed).
   */
  leaseSeconds?: number;
  /** Seconds between heart-beats (default a sixth of the lease); this handle's own. */
  heartbeatSeconds?: number;
  /**
   * Queue given-up trials again instead of failing them (default false). The study keeps the
   * value it was created with as the default of the handles that give none; a handle that gives
   * one treats the trials it gives up so.
   */
  requeue?: boolean;
}

/**
 * @internal Meta-features: any names (`__proto__` included), each a finite number, or NaN or null
 * for an unavailable one (null, as JSON writes NaN, is read as NaN): what `transferOptions` and a
 * `TaskStore` accept (`metaFeatureValuesSchema`).
 */
export const metaFeaturesSchema: z.ZodType<Record<string, number>, unknown> =
  metaFeatureValuesSchema;

// The study options of `SMBO` (one schema, so both check them alike) and the storage's own; strict,
// so that a misspelled option is an error naming it.
const optionsSchema = z.strictObject({
  ...studyOptionFields,
  storage: z.union([z.string(), z.object({}).loose()], {
    error: "must be a storage or a storage URL",
  }).optional(),
  name: storedNameSchema,
  space: z.unknown().optional(),
  bayesOpt: z.record(z.string(), z.unknown()).optional(),
  metaFeatures: metaFeaturesSchema.optional(),
  worker: storedNameSchema.optional(),
  leaseSeconds: positiveSecondsSchema.optional(),
  heartbeatSeconds: positiveSecondsSchema.optional(),
  requeue: z.boolean().optional(),
});

interface Settings {
  seed: number;
  initialDesign: SampleMethod;
  /** Kept only when `"nearest"` (absent: `"random"`, as studies stored without it). */
  poolDesign?: "nearest";
  initialDesignSize: number;
  failedTrials: "worst" | "ignore";
  leaseSeconds: number;
  requeue: boolean;
  candidates?: unknown[];
}

interface CacheEntry {
  trial: StoredTrial;
  /**
   * Where the trial's number first entered the cache, 0, 1, …: the order in which the cache
   * lists its trials (kept when the number's entry is replaced, as a `Map` keeps its keys).
   */
  ordinal: number;
  /** The trial as `trials` hands it out (`#toTrial`), made when first read. */
  view?: Trial<unknown>;
  point?: Float64Array;
  /** Already counted in the model data (complete, or failed and not lost: both final). */
  final?: boolean;
  /** Pool mode: the candidates the trial's configuration is (see `#countTaken`), found once. */
  candidates?: number[];
  /** Pool mode: whether the trial holds its configuration now (every trial but a lost one). */
  takes?: boolean;
  /**
   * Pool mode: the candidate the trial takes while it holds its configuration; undefined when as
   * many other trials already take every candidate of it (see `#countTaken`).
   */
  took?: number;
}

/**
 * @internal The pool candidates that `samePoint` matches to a point, without comparing it to every
 * candidate: the candidates are sorted by a fixed weighted sum of their coordinates, and two
 * points that agree to 1e-12 in every coordinate have sums within a bound of each other (rounding
 * included), so only the candidates in that window of the sorted sums are compared. Exact: the
 * same candidates as comparing with every one, in increasing order (a point or a pool that the
 * bound does not cover, e.g. of another length, is compared with every candidate).
 */
export class PoolIndex {
  readonly #points: readonly Float64Array[];
  readonly #weights: Float64Array;
  /** Candidate positions by increasing sum, and their sums; absent: compare with all. */
  readonly #order?: Int32Array;
  readonly #sums?: Float64Array;
  /** The largest bound on the rounding error of a candidate's sum. */
  #slack = 0;
  /** A bound on the difference of the exact sums of two points that `samePoint` matches. */
  readonly #tolerance: number;

  /** Indexes `points` (the pool's encoded candidates, all of the space's dimension `dim`). */
  constructor(points: readonly Float64Array[], dim: number) {
    this.#points = points;
    // Weights in [1, 2) that no small integer relation ties together (golden-ratio steps), so
    // that distinct grid points (integers, one-hot categories) rarely share a sum.
    this.#weights = Float64Array.from(
      { length: dim },
      (_, i) => 1 + ((i + 1) * 0.6180339887498949) % 1,
    );
    let total = 0;
    for (const w of this.#weights) total += w;
    // |a_i - b_i| ≤ 1e-12 (as computed: at most 1e-12 · (1 + 2⁻⁵³) exactly) in every coordinate
    // bounds the exact sums' difference by 1e-12 · Σ w_i; doubled for margin.
    this.#tolerance = 2e-12 * total;
    const sums = new Float64Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const [sum, error] = this.#sum(points[i]);
      if (!Number.isFinite(sum + error)) return; // no index: compare with every candidate
      sums[i] = sum;
      this.#slack = Math.max(this.#slack, error);
    }
    const order = Int32Array.from({ length: points.length }, (_, i) => i);
    order.sort((a, b) => sums[a] - sums[b] || a - b);
    this.#order = order;
    this.#sums = Float64Array.from(order, (i) => sums[i]);
  }

  /** The positions of the candidates `c` with `samePoint(c, point)`, in increasing order. */
  matches(point: Float64Array): number[] {
    const [sum, error] = this.#sum(point);
    const order = this.#order, sums = this.#sums;
    if (!order || !sums || !Number.isFinite(sum + error)) {
      return this.#points.flatMap((c, i) => samePoint(c, point) ? [i] : []);
    }
    const radius = this.#tolerance + 2 * (error + this.#slack);
    const found: number[] = [];
    for (
      let j = insertionIndex(sums, sum - radius);
      j < sums.length && sums[j] <= sum + radius;
      j++
    ) {
      if (samePoint(this.#points[order[j]], point)) found.push(order[j]);
    }
    return found.sort((a, b) => a - b);
  }

  /**
   * The weighted sum of a point's coordinates as computed, and a bound on its rounding error
   * (4·(n + 1)·2⁻⁵³·Σ|w_i x_i|, about four times the textbook γ_n bound); NaN for a point of
   * another length.
   */
  #sum(point: Float64Array): [number, number] {
    const w = this.#weights;
    if (point.length !== w.length) return [NaN, NaN];
    let sum = 0, magnitude = 0;
    for (let i = 0; i < w.length; i++) {
      const term = w[i] * point[i];
      sum += term;
      magnitude += Math.abs(term);
    }
    return [sum, 4 * (w.length + 1) * Number.EPSILON / 2 * magnitude];
  }
}

/** Where a `Trial` object that a stored study handed out comes from (see `trialOrigins`). */
interface TrialOrigin {
  storage: Storage;
  studyId: number;
  number: number;
  /** The claim, for a trial that `ask` handed out. */
  claim?: ClaimedTrial;
}

/**
 * The origin of every `Trial` object a stored study handed out (`ask`, `trials`, `best`, `tell`,
 * `failTrial`), by its `params` object, which copies of the trial share (`{ ...trial }`): `tell`
 * takes a trial object of its own study only (from any handle of it in this process), as `SMBO`
 * takes its own, and refuses another study's even when its number and configuration are equal.
 */
const trialOrigins = new WeakMap<object, TrialOrigin>();

function spaceJSON(space: EncodableSpace<unknown>): unknown {
  const toJSON = (space as { toJSON?: () => unknown }).toJSON;
  return typeof toJSON === "function" ? toJSON.call(space) : null;
}

/** What a study can do with stored data this version of metahpo cannot read. */
function unreadableHint(url: string, name: string): string {
  return `; export its trials (deno task studies ${url} export ${
    JSON.stringify(name)
  } --format json) and go on in a new study whose space holds them, or open the study with the ` +
    "metahpo version that stored it";
}

/**
 * The space a study was created with, rebuilt from its stored definition: a definition the rules
 * of spaces refuse (one stored by an earlier metahpo version whose rules were looser, e.g.
 * `int(0, Number.MAX_SAFE_INTEGER)`, a grid of more than 2^52 values) is a `StorageError` naming
 * the storage, the study and the field, and saying what the user can do.
 */
function readStoredSpace(url: string, record: { name: string; space: unknown }): Space {
  try {
    return spaceFromJSON(record.space);
  } catch (error) {
    throw new StorageError(
      url,
      unreadableSpace(record.name, error) + unreadableHint(url, record.name),
      {
        cause: error,
      },
    );
  }
}

/** The message of a stored space that `spaceFromJSON` refuses with `error`. */
function unreadableSpace(name: string, error: unknown): string {
  return `study ${JSON.stringify(name)}: its stored space is not one this metahpo reads (${
    (error as Error).message
  })`;
}

/**
 * A configuration a study stores (`what`: a pool candidate or a trial), checked and encoded as a
 * `Space` reads stored values (`SpaceReadOptions`: a grid value that earlier metahpo versions
 * accepted is kept as stored, and encoded to its grid point); a configuration the space refuses
 * all the same is a `StorageError` naming the storage, the study, the configuration and what the
 * user can do, never an error about the caller's input.
 */
function readStored<P>(
  url: string,
  name: string,
  space: EncodableSpace<P>,
  params: unknown,
  what: string,
): { params: P; point: Float64Array } {
  try {
    if (space instanceof Space) {
      const valid = space.validate(params, { storedGrid: "keep" }) as P;
      return { params: valid, point: space.encode(valid as never, { storedGrid: "keep" }) };
    }
    const valid = space.validate(params);
    return { params: valid, point: space.encode(valid) };
  } catch (error) {
    throw new StorageError(
      url,
      `study ${JSON.stringify(name)}: its stored ${what} ${
        canonicalJSON(params)
      } is not a configuration of its space (${(error as Error).message})` +
        unreadableHint(url, name),
      { cause: error },
    );
  }
}

/** `space.validate(params, { storedGrid: "keep" })`, or undefined when the space refuses it. */
function readAsStored(space: Space, params: unknown): unknown {
  try {
    return space.validate(params, { storedGrid: "keep" });
  } catch {
    return undefined;
  }
}

/**
 * Calls method `method` of `storage` (`call` does), as a stored study calls each one: an error
 * outside the `Storage` contract (a custom storage's `Error("disk full")`) becomes a
 * `StorageError` naming the storage and the method (`storageFailure`), so that it is reported as
 * the built-in storages' failures are, never as the proposer's.
 */
async function viaStorage<T>(storage: Storage, method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storageFailure(storage.url, method, error);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `StoredStudy`'s private `#release`, for {@linkcode releaseClaimed} (set in its static block). */
let releaseClaims: <P>(study: StoredStudy<P>, trials: readonly Trial<P>[]) => Promise<void>;

/**
 * @internal Hands back trials that `study` claimed (`askWithin`) and did not start, as an `ask(q)`
 * that cannot claim all `q` does: they are `waiting` again (`Storage.release`), the next claim of
 * any worker hands them out with their configurations, and the study's proposals, their random
 * streams and its recorded proposer state stand, so that a rerun evaluates what an uninterrupted
 * run does. When the storage cannot release them, they are given up once their lease expires.
 * For stored `minimize`, whose `timeout` may pass while it asks.
 */
export function releaseClaimed<P>(
  study: StoredStudy<P>,
  trials: readonly Trial<P>[],
): Promise<void> {
  return releaseClaims(study, trials);
}

/**
 * A study kept in a storage, with `SMBO`'s ask/tell interface. Trials are numbered by the
 * storage; `trials` and `best` show the study as of the last `ask`, `tell` or `refresh`.
 *
 * @example
 * ```ts
 * import { createStudy } from "./study.ts";
 * import { randomSearch } from "../smbo/proposer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const space = defineSpace({ x: float(-2, 2) });
 * const study = await createStudy({ name: "demo", space, seed: 0, proposer: randomSearch() });
 * for (let i = 0; i < 8; i++) {
 *   const trial = await study.ask();
 *   await study.tell(trial, (trial.params.x - 1) ** 2);
 * }
 * study.best.value; // close to 0
 * await study.close();
 * ```
 */
export class StoredStudy<P> {
  /** The storage. */
  readonly storage: Storage;
  /** The study's name. */
  readonly name: string;
  /** The search space. */
  readonly space: EncodableSpace<P>;
  /** The model-based step. */
  readonly proposer: Proposer;
  /** This worker's id. */
  readonly worker: string;
  /** Which way the objective improves, as stored with the study. */
  readonly direction: StudyDirection;
  #record: StudyRecord;
  readonly #settings: Settings;
  readonly #ownsStorage: boolean;
  readonly #cache = new Map<number, CacheEntry>();
  readonly #memory = new Map<string, unknown>();
  /**
   * With a proposer that saves its state: the memory of this process's last recorded proposal
   * and the exact text of the state recorded with it. The next proposal continues in that memory
   * (its live surrogate included, `FitHints.previous`) while the study's stored state is still
   * that text; otherwise it starts from the stored state.
   */
  #lastSaved?: { memory: Map<string, unknown>; text: string };
  /** This worker's running trials: number → the trial as claimed (see `Storage.finish`). */
  readonly #mine = new Map<number, ClaimedTrial>();
  readonly #open = new Map<number, CacheEntry>();
  /** The cached trials' numbers in increasing order, and their entries in the same order. */
  readonly #numbers: number[] = [];
  readonly #sorted: CacheEntry[] = [];
  // The model data in trial-number order, as `SMBO` keeps it, whatever order the trials
  // finished in (a batch's evaluations finish out of order): a resumed process, which reads the
  // trials by number, then gives the model its data in the same order as the running one.
  readonly #observed = new Observations();
  /** How many cached trials were proposed (source `"model"` or `"random"`). */
  #proposed = 0;
  /** The numbers of the proposed trials that are not lost, in increasing order. */
  readonly #keptProposals: number[] = [];
  /** The numbers of the proposed trials that are lost. */
  readonly #lostProposals = new Set<number>();
  /** The entry of the best complete trial (see `best`); stale while `#bestStale`. */
  #bestEntry?: CacheEntry;
  /** Whether a complete trial changed since `#bestEntry` was found (it is then found again). */
  #bestStale = false;
  readonly #heartbeatMs: number;
  readonly #leaseMs: number;
  readonly #requeue: boolean;
  readonly #pool?: { params: P; point: Float64Array }[];
  /** Pool mode: the candidates of each configuration (`configurationKey`), in pool order. */
  readonly #poolKeys?: Map<string, number[]>;
  /** Pool mode: finds the candidates of a configuration up to rounding (see `#countTaken`). */
  readonly #poolIndex?: PoolIndex;
  /** Pool mode: 1 for a candidate a trial (lost ones aside) takes, else 0 (see `#countTaken`). */
  readonly #taken?: Int32Array;
  /** Pool mode: how many candidates no trial takes. */
  #unusedCount = 0;
  #seq = 0;
  /** The seed's generator after `given` proposals' streams (see `#proposalRng`). */
  #proposalStreams?: { root: Rng; given: number };
  #timer?: ReturnType<typeof setInterval>;
  #closed = false;
  /** The last heart-beat error, if the storage was unreachable at that moment. */
  lastHeartbeatError?: Error;

  static {
    releaseClaims = (study, trials) => study.#release(trials);
  }

  private constructor(
    storage: Storage,
    ownsStorage: boolean,
    record: StudyRecord,
    space: EncodableSpace<P>,
    proposer: Proposer,
    options: StudyOptions<P>,
  ) {
    this.storage = storage;
    this.#ownsStorage = ownsStorage;
    this.#record = record;
    this.name = record.name;
    this.direction = record.direction;
    this.space = space;
    this.proposer = proposer;
    this.worker = options.worker ?? workerId();
    this.#settings = record.settings as unknown as Settings;
    this.#leaseMs = 1000 * (options.leaseSeconds ?? this.#settings.leaseSeconds);
    this.#requeue = options.requeue ?? this.#settings.requeue;
    this.#heartbeatMs = 1000 *
      (options.heartbeatSeconds ??
        this.#leaseMs / 1000 * STORED_STUDY_DEFAULTS.heartbeatFraction);
    if (this.#settings.candidates) {
      this.#pool = this.#settings.candidates.map((c, i) =>
        readStored(storage.url, record.name, space, c, `candidates[${i}]`)
      );
      this.#poolKeys = new Map();
      this.#pool.forEach((c, i) => {
        const key = configurationKey(c.params);
        const same = this.#poolKeys!.get(key);
        if (same) same.push(i);
        else this.#poolKeys!.set(key, [i]);
      });
      this.#poolIndex = new PoolIndex(this.#pool.map((c) => c.point), space.dim);
      this.#taken = new Int32Array(this.#pool.length);
      this.#unusedCount = this.#pool.length;
    }
  }

  /**
   * @internal Opens or creates the study; see {@linkcode createStudy} and {@linkcode loadStudy}.
   * `defaults.initialDesignSize` replaces the default design size of a study created here when
   * `options` gives none (stored `minimize`, which knows its budget: `budgetedDesignSize`); it is
   * not compared with an existing study's. `defaults.budget` (stored `minimize`'s) caps the design
   * of a study created here as the in-memory `minimize` caps it: min(initialDesignSize, budget)
   * points, drawn at that size (the study keeps the `initialDesignSize` it was given, so that a
   * rerun with a larger budget is the same call, and that rerun adds the points its budget's
   * design lacks: see `#extendDesign`). `defaults.caller` names the function the user
   * called in error messages (`minimize`; default `createStudy` or `loadStudy`).
   */
  static async open<P>(
    options: StudyOptions<P>,
    mode: "create" | "load" | "load-if-exists",
    defaults: { initialDesignSize?: number; budget?: number; caller?: string } = {},
  ): Promise<StoredStudy<P>> {
    const label = defaults.caller ?? (mode === "load" ? "loadStudy" : "createStudy");
    const parsed = parseOrThrow(optionsSchema, options, `${label} options`);
    if (options.metaFeatures !== undefined) {
      // As the study keeps them: NaN for an unavailable one given as null.
      options = { ...options, metaFeatures: parsed.metaFeatures };
    }
    if (options.space !== undefined) checkEncodableSpace(options.space, `${label} options.space`);
    checkProposerOptions(options, `${label} options`);
    const ownsStorage = typeof options.storage === "string" || options.storage === undefined;
    const storage = typeof options.storage === "object"
      ? options.storage as Storage
      : await openStorage(options.storage ?? "memory:");
    try {
      let record = await viaStorage(storage, "getStudy", () => storage.getStudy(options.name));
      if (!record && mode === "load") {
        throw new StorageError(storage.url, `no study named ${JSON.stringify(options.name)}`);
      }
      if (!options.space && !record) {
        throw new TypeError(`${label} options.space: required to create a study`);
      }
      let space = options.space;
      if (!space) {
        if (record!.space === null) {
          throw new TypeError(
            `${label} options.space: study ${
              JSON.stringify(options.name)
            } has no stored space; pass it`,
          );
        }
        space = readStoredSpace(storage.url, record!) as unknown as EncodableSpace<P>;
      }
      const settings = StoredStudy.#settingsOf(
        options,
        space,
        label,
        defaults,
        (record?.settings as Settings | undefined)?.candidates,
      );
      const exists = () =>
        new StorageError(
          storage.url,
          `study ${JSON.stringify(options.name)} already exists (use loadStudy, or ` +
            "createStudy with loadIfExists)",
        );
      // Whether the study existed (this call resumes it): then the options must be its own.
      let existed = record !== undefined;
      if (record) {
        if (mode === "create") throw exists();
        StoredStudy.#checkCompatible(record, options, space, settings);
      } else {
        if (options.poolDesign !== undefined && settings.candidates === undefined) {
          throw new TypeError(`${label} options.poolDesign: only in pool mode (with candidates)`);
        }
        const created = await viaStorage(storage, "createStudy", () =>
          storage.createStudy(
            {
              name: options.name,
              space: spaceJSON(space as EncodableSpace<unknown>),
              direction: options.direction ?? SMBO_DEFAULTS.direction,
              settings: settings as unknown as Record<string, unknown>,
              metaFeatures: options.metaFeatures,
            },
            StoredStudy.#initialTrials(options, space, settings, label, defaults.budget),
            { loadIfExists: true },
          ));
        record = created.study;
        if (!created.created) {
          // Created by another process since it was looked up: as if it had existed before.
          if (mode === "create") throw exists();
          existed = true;
          StoredStudy.#checkCompatible(record, options, space, settings);
        }
      }
      if (options.metaFeatures && !record.metaFeatures) {
        const { id } = record, metaFeatures = options.metaFeatures;
        await viaStorage(
          storage,
          "setMetaFeatures",
          () => storage.setMetaFeatures(id, metaFeatures),
        );
        record = (await viaStorage(storage, "getStudy", () => storage.getStudy(options.name)))!;
      }
      const proposer = options.proposer ?? bayesOpt(options.bayesOpt);
      const study = new StoredStudy(storage, ownsStorage, record, space, proposer, options);
      await study.refresh();
      if (existed && options.initialConfigurations !== undefined) {
        study.#checkInitialConfigurations(options.initialConfigurations, label);
      }
      if (existed && defaults.budget !== undefined) {
        await study.#extendDesign(defaults.budget, label);
      }
      return study;
    } catch (error) {
      if (ownsStorage) await storage.close().catch(() => {});
      throw error;
    }
  }

  static #settingsOf<P>(
    options: StudyOptions<P>,
    space: EncodableSpace<P>,
    label: string,
    defaults: { initialDesignSize?: number } = {},
    stored?: readonly unknown[],
  ): Settings {
    const settings: Settings = {
      seed: options.seed ?? 0,
      initialDesign: options.initialDesign ?? SMBO_DEFAULTS.initialDesign,
      initialDesignSize: options.initialDesignSize ?? defaults.initialDesignSize ??
        SMBO_DEFAULTS.initialDesignSize(space),
      failedTrials: options.failedTrials ?? SMBO_DEFAULTS.failedTrials,
      leaseSeconds: options.leaseSeconds ?? STORED_STUDY_DEFAULTS.leaseSeconds,
      requeue: options.requeue ?? STORED_STUDY_DEFAULTS.requeue,
    };
    if (options.poolDesign === "nearest") settings.poolDesign = "nearest";
    if (options.candidates) {
      settings.candidates = options.candidates.map((c, i) => {
        try {
          return space.validate(c);
        } catch (error) {
          // Rerunning the call that created a study stored by an earlier metahpo version: a
          // grid value it accepted then (SpaceReadOptions) is taken where the study stores
          // exactly that candidate, and nowhere else.
          if (stored !== undefined && i < stored.length && space instanceof Space) {
            const read = readAsStored(space, c);
            if (read !== undefined && canonicalJSON(read) === canonicalJSON(stored[i])) {
              return read;
            }
          }
          throw new TypeError(`${label} options.candidates[${i}]: ${(error as Error).message}`);
        }
      });
    }
    return settings;
  }

  static #checkCompatible<P>(
    record: StudyRecord,
    options: StudyOptions<P>,
    space: EncodableSpace<P>,
    settings: Settings,
  ): void {
    const name = JSON.stringify(record.name);
    if (options.direction !== undefined && options.direction !== record.direction) {
      throw new TypeError(
        `study ${name}: options.direction is ${JSON.stringify(options.direction)}, but the ` +
          `study was created with ${JSON.stringify(record.direction)}`,
      );
    }
    const given = spaceJSON(space as EncodableSpace<unknown>);
    if (options.space && record.space !== null && given !== null) {
      // The same space written out alike or not (`log: false`, an int's `step: 1`, parents of a
      // condition in another order): `sameSpace`.
      if (!sameSpace(record.space, given)) {
        throw new TypeError(
          `study ${name}: options.space differs from the space the study was created with`,
        );
      }
    }
    const stored = record.settings as unknown as Settings;
    if (
      options.poolDesign !== undefined &&
      (stored.poolDesign ?? "random") !== (settings.poolDesign ?? "random")
    ) {
      throw new TypeError(
        `study ${name}: options.poolDesign is ${JSON.stringify(options.poolDesign)}, but the ` +
          `study was created with ${JSON.stringify(stored.poolDesign ?? "random")}` +
          (stored.candidates === undefined ? " (it has no candidate pool)" : ""),
      );
    }
    // The lease too: every worker judges the study's running trials (its own and the others')
    // by it, so a worker with a shorter one would give up live workers' trials.
    const keys = [
      "seed",
      "initialDesign",
      "initialDesignSize",
      "failedTrials",
      "leaseSeconds",
    ] as const;
    for (const key of keys) {
      if (options[key] !== undefined && stored[key] !== settings[key]) {
        throw new TypeError(
          `study ${name}: options.${key} is ${JSON.stringify(settings[key])}, but the study ` +
            `was created with ${JSON.stringify(stored[key])}` +
            (key === "initialDesignSize" ? designSizeHint(stored[key]) + rerunHint(options) : ""),
        );
      }
    }
    if (
      options.candidates &&
      canonicalJSON(stored.candidates ?? null) !== canonicalJSON(settings.candidates)
    ) {
      throw new TypeError(
        `study ${name}: options.candidates differ from those the study was created with`,
      );
    }
    if (options.metaFeatures !== undefined && record.metaFeatures !== undefined) {
      StoredStudy.#checkMetaFeatures(name, options.metaFeatures, record.metaFeatures);
    }
  }

  /**
   * Meta-features given on opening a study that records some: the same names with the same values
   * as the storage writes them (NaN as null, so NaN equals NaN; keys in any order), or a
   * `TypeError` naming the first name that differs.
   */
  static #checkMetaFeatures(
    name: string,
    given: Record<string, number>,
    stored: Record<string, number>,
  ): void {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(given)])].sort();
    const shown = (features: Record<string, number>, key: string, none: string) =>
      Object.hasOwn(features, key) ? describeValue(features[key]) : none;
    for (const key of keys) {
      const a = Object.hasOwn(given, key) ? JSON.stringify(given[key]) : undefined;
      const b = Object.hasOwn(stored, key) ? JSON.stringify(stored[key]) : undefined;
      if (a === b) continue;
      throw new TypeError(
        `study ${name}: options.metaFeatures.${key} is ${shown(given, key, "absent")}, but the ` +
          `study records ${
            shown(stored, key, "none")
          } (setMetaFeatures replaces its meta-features)`,
      );
    }
  }

  /**
   * Initial configurations given on opening an existing study: they must be those it was created
   * with, its first trials (enqueued when it was created, before its initial design), or a
   * `TypeError` naming the first that differs and what the study holds. A study without an initial
   * design cannot tell its initial configurations from configurations enqueued before its first
   * proposal: those given must then be the first of them.
   */
  #checkInitialConfigurations(given: readonly P[], label: string): void {
    const trials = this.storedTrials;
    const design = trials.findIndex((t) => t.source === "initial");
    const created: StoredTrial[] = [];
    for (const t of design === -1 ? trials : trials.slice(0, design)) {
      if (t.source !== "enqueued") break;
      created.push(t);
    }
    const name = JSON.stringify(this.name);
    const holds = (n: number) => `${n} initial configuration${n === 1 ? "" : "s"}`;
    given.forEach((config, i) => {
      let params: P;
      try {
        params = this.space.validate(config);
      } catch (error) {
        throw new TypeError(
          `${label} options.initialConfigurations[${i}]: ${(error as Error).message}`,
        );
      }
      if (i < created.length && canonicalJSON(params) === canonicalJSON(created[i].params)) return;
      throw new TypeError(
        `study ${name}: options.initialConfigurations[${i}] is ${canonicalJSON(params)}, but ` +
          (i < created.length
            ? `the study was created with ${canonicalJSON(created[i].params)} there`
            : `the study was created with ${holds(created.length)}`) +
          rerunHint({ initialConfigurations: given }),
      );
    });
    if (design !== -1 && created.length !== given.length) {
      throw new TypeError(
        `study ${name}: options.initialConfigurations has ${given.length}, but the study was ` +
          `created with ${holds(created.length)}` + rerunHint({ initialConfigurations: given }),
      );
    }
  }

  static #initialTrials<P>(
    options: Pick<StudyOptions<P>, "initialConfigurations">,
    space: EncodableSpace<P>,
    settings: Settings,
    label: string,
    budget = Infinity,
  ): NewTrial[] {
    const trials: NewTrial[] = [];
    const pool = settings.candidates?.map((c) => ({
      params: c as P,
      point: space.encode(c as P),
      key: configurationKey(c),
      used: false,
    }));
    options.initialConfigurations?.forEach((config, i) => {
      let params: P;
      try {
        params = space.validate(config);
      } catch (error) {
        throw new TypeError(
          `${label} options.initialConfigurations[${i}]: ${(error as Error).message}`,
        );
      }
      if (pool) {
        const key = configurationKey(params);
        const match = pool.find((c) => !c.used && c.key === key);
        if (!match) {
          throw new RangeError(
            `${label} options.initialConfigurations[${i}]: in pool mode it must be an ` +
              "unused candidate" +
              (pool.some((c) => c.key === key) ? "" : `; it is ${INITIAL_NOT_A_CANDIDATE}`),
          );
        }
        match.used = true;
      }
      trials.push({ params: params as Record<string, unknown>, source: "enqueued" });
    });
    const rng = new Rng(settings.seed).spawn();
    // A design larger than the budget is never used up: drawn at the budget's size, as in memory.
    const size = Math.min(settings.initialDesignSize, budget);
    if (size === 0) return trials;
    if (pool) {
      const unused = pool.filter((c) => !c.used);
      if (settings.poolDesign === "nearest") {
        // As `SMBO`'s: the design's points, each taking the unused candidate nearest to it.
        const design = initialDesign(
          space,
          Math.min(size, pool.length),
          rng,
          settings.initialDesign,
          label,
          { distinct: false },
        ).slice(0, unused.length);
        for (const i of nearestCandidates(unused.map((c) => c.point), design)) {
          trials.push({ params: unused[i].params as Record<string, unknown>, source: "initial" });
        }
        return trials;
      }
      for (const point of pickFromPool(unused.map((c) => c.point), size, rng)) {
        const candidate = unused.find((c) => c.point === point)!;
        trials.push({ params: candidate.params as Record<string, unknown>, source: "initial" });
      }
      return trials;
    }
    // As `SMBO`'s design: no repeat of a configuration of the design or of one asked before it.
    const points = initialDesign(space, size, rng, settings.initialDesign, "createStudy", {
      exclude: trials.map((t) => space.encode(t.params as P)),
    });
    for (const u of points) {
      trials.push({ params: space.decode(u) as Record<string, unknown>, source: "initial" });
    }
    return trials;
  }

  /**
   * A stored `minimize` resumed with a larger budget: the study's design, drawn at
   * min(initialDesignSize, budget) points when it was created (see {@linkcode StoredStudy.open}),
   * gets the points that a design drawn at min(initialDesignSize, budget) for this budget has and
   * it lacks, as waiting trials after the study's others, so that the study evaluates the design
   * the in-memory `minimize` with this budget evaluates. The design is drawn again from the seed,
   * after the initial configurations the study was created with: a design whose first points do
   * not depend on its size (scrambled Sobol, uniform, a random pool subset) keeps the points it
   * has and gains the next ones; with a Latin hypercube, the points of the larger design that the
   * study lacks. In pool mode, a candidate a trial took meanwhile is left out. Two workers that
   * resume at once add the points once: each point may be held by one more trial than this
   * handle has read, checked in the transaction that adds them (`Storage.addTrials`).
   */
  async #extendDesign(budget: number, label: string): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const missing = this.#missingDesign(budget, label);
      if (missing.length === 0) return;
      const held = new Map<string, number>();
      for (const { trial } of this.#cache.values()) {
        if (trial.status === "failed" && trial.lost) continue;
        const key = configurationKey(trial.params);
        held.set(key, (held.get(key) ?? 0) + 1);
      }
      const limits = missing.map((t) => {
        const key = configurationKey(t.params);
        held.set(key, (held.get(key) ?? 0) + 1);
        return held.get(key)!;
      });
      try {
        await viaStorage(
          this.storage,
          "addTrials",
          () => this.storage.addTrials(this.#record.id, missing, { limits }),
        );
        await this.refresh();
        return;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        await this.refresh(); // another worker added them (or took a candidate) meanwhile
      }
    }
  }

  /** The design trials `#extendDesign` adds (none when the design is complete for `budget`). */
  #missingDesign(budget: number, label: string): NewTrial[] {
    const trials = this.#sorted.map((e) => e.trial);
    const first = trials.findIndex((t) => t.source === "initial");
    if (first === -1) return []; // no design: it is empty whatever the budget
    const have = trials.filter((t) => t.source === "initial");
    if (have.length >= Math.min(this.#settings.initialDesignSize, budget)) return [];
    // Only a design that nothing proposed has followed yet: the in-memory run asks the design
    // first, so once a model or random proposal is in the study its design is what it is (a
    // rerun of a finished study with its own budget must change nothing).
    if (trials.some((t) => t.source === "model" || t.source === "random")) return [];
    let drawn: NewTrial[];
    try {
      drawn = StoredStudy.#initialTrials(
        { initialConfigurations: trials.slice(0, first).map((t) => t.params as P) },
        this.space,
        this.#settings,
        label,
        budget,
      ).filter((t) => t.source === "initial");
    } catch {
      return []; // initial configurations this version reads otherwise (STORED_GRID_TOLERANCE)
    }
    // The drawn points the design lacks (as a multiset of configurations), in design order.
    const lacking = new Map<string, number>();
    for (const t of have) {
      const key = configurationKey(t.params);
      lacking.set(key, (lacking.get(key) ?? 0) - 1);
    }
    const missing: NewTrial[] = [];
    const chosen = new Map<string, number>();
    for (const t of drawn) {
      if (have.length + missing.length >= drawn.length) break;
      const key = configurationKey(t.params);
      const balance = (lacking.get(key) ?? 0) + 1;
      lacking.set(key, balance);
      if (balance <= 0) continue; // the design has it
      if (this.#pool) {
        // Only a candidate no trial took since.
        const free = this.#poolKeys!.get(key)!.filter((i) => this.#taken![i] === 0).length;
        if (free <= (chosen.get(key) ?? 0)) continue;
        chosen.set(key, (chosen.get(key) ?? 0) + 1);
      }
      missing.push(t);
    }
    return missing;
  }

  /** The storage's id of the study. */
  get id(): number {
    return this.#record.id;
  }

  /** The study's record (settings, meta-features, user attributes) as of the last refresh. */
  get record(): StudyRecord {
    return this.#record;
  }

  /** Meta-features recorded with the study. */
  get metaFeatures(): Record<string, number> | undefined {
    return this.#record.metaFeatures;
  }

  /** User attributes of the study. */
  get userAttrs(): Record<string, unknown> {
    return this.#record.userAttrs;
  }

  /** Every stored trial (waiting ones included) with storage details, by number. */
  get storedTrials(): StoredTrial[] {
    const sorted = this.#sorted;
    const trials = new Array<StoredTrial>(sorted.length);
    for (let i = 0; i < sorted.length; i++) trials[i] = sorted[i].trial;
    return trials;
  }

  /** Trials handed to a worker (not `waiting`), by number, as `SMBO` trials. */
  get trials(): Trial<P>[] {
    const trials: Trial<P>[] = [];
    for (const entry of this.#sorted) {
      if (entry.trial.status === "waiting") continue;
      // Made once per state of the trial: the same frozen object until the trial changes.
      trials.push((entry.view ??= this.#toTrial(entry.trial)) as Trial<P>);
    }
    return trials;
  }

  /**
   * The best complete trial (the lowest value, or the highest when the study's `direction` is
   * `"maximize"`); throws when no trial has completed yet.
   */
  get best(): BestTrial<P> {
    if (this.#bestStale) {
      this.#bestStale = false;
      this.#bestEntry = undefined;
      for (const entry of this.#cache.values()) this.#considerBest(entry);
    }
    const best = this.#bestEntry?.trial;
    if (best === undefined) {
      throw new Error(`study ${JSON.stringify(this.name)}: ${noCompleteTrialMessage(this.trials)}`);
    }
    const trial = this.#toTrial(best);
    return { params: trial.params, value: trial.value!, trial };
  }

  /**
   * Makes `entry` the best trial when it is complete and better than the best so far, or as good
   * and listed before it in the cache (so that the best is the first of the best in the cache's
   * order, as a scan of the cache finds it).
   */
  #considerBest(entry: CacheEntry): void {
    const { trial } = entry;
    if (trial.status !== "complete") return;
    const best = this.#bestEntry;
    if (
      best === undefined || isBetter(trial.value!, best.trial.value!, this.direction) ||
      (entry.ordinal < best.ordinal && !isBetter(best.trial.value!, trial.value!, this.direction))
    ) {
      this.#bestEntry = entry;
    }
  }

  /**
   * The frozen `Trial` of a stored trial, known to `tell` as this study's (`trialOrigins`): it
   * shares a frozen configuration (a cached trial's), or has a frozen copy of the storage's, as
   * `SMBO`'s trials have.
   */
  #toTrial(t: StoredTrial): Trial<P> {
    const params = Object.isFrozen(t.params) ? t.params : Object.freeze(copyParams(t.params));
    if (!trialOrigins.has(params)) {
      trialOrigins.set(params, {
        storage: this.storage,
        studyId: this.#record.id,
        number: t.number,
      });
    }
    return Object.freeze({
      id: t.number,
      params: params as P,
      status: t.status === "waiting" ? "running" : t.status,
      source: t.source,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.error !== undefined && t.status === "failed" ? { error: t.error } : {}),
      ...(t.seconds !== undefined ? { seconds: t.seconds } : {}),
    });
  }

  /**
   * Reads the changes other workers made since the last refresh (only those: cheap). A study
   * deleted meanwhile is a `StorageError`, also when a new study took its name: a handle never
   * reads or writes another study.
   */
  async refresh(): Promise<void> {
    const { trials, seq } = await viaStorage(
      this.storage,
      "trialsSince",
      () => this.storage.trialsSince(this.#record.id, this.#seq),
    );
    if (seq !== this.#record.seq) {
      const record = await viaStorage(
        this.storage,
        "getStudy",
        () => this.storage.getStudy(this.name),
      );
      if (record?.id !== this.#record.id) {
        throw new StorageError(
          this.storage.url,
          `no study with id ${this.#record.id} (was it deleted?)` +
            (record ? `; the study named ${JSON.stringify(this.name)} now is a new one` : ""),
        );
      }
      this.#record = record;
    }
    for (const trial of trials) this.#remember(trial);
    this.#seq = seq;
  }

  /** Asks for the next configuration to evaluate. */
  ask(): Promise<Trial<P>>;
  /**
   * Asks for a batch of `q` configurations, to be evaluated in parallel. In pool mode, fewer than
   * `q` configurations left is a `RangeError` (`ask(2): the candidate pool has only 1 unused
   * configuration left`), and the ask claims nothing: also when other workers took candidates
   * while it claimed, the trials it had claimed are handed back (`Storage.release`), `waiting`
   * for the next ask of any worker.
   */
  ask(q: number): Promise<Trial<P>[]>;
  async ask(q?: number): Promise<Trial<P> | Trial<P>[]> {
    if (q !== undefined && (!Number.isInteger(q) || q < 1)) {
      throw new RangeError(`ask(q): q must be a positive integer, got ${describeValue(q)}`);
    }
    this.#checkOpen();
    await this.refresh();
    if (this.remaining < (q ?? 1)) throw poolTooSmallError(q ?? 1, this.remaining);
    // All `q` or none: another worker may take candidates between the check above and the claims.
    const claimed: Trial<P>[] = [];
    let result: Trial<P>[] | "wait" | "done";
    try {
      result = await this.#askWithin(q ?? 1, undefined, claimed);
    } catch (error) {
      await this.#release(claimed);
      throw error;
    }
    if (!Array.isArray(result)) {
      throw new RangeError(`ask: the candidate pool of study ${this.name} is exhausted`);
    }
    if (result.length < (q ?? 1)) {
      await this.#release(claimed);
      throw poolTooSmallError(q ?? 1, result.length);
    }
    return q === undefined ? result[0] : result;
  }

  /**
   * Hands back trials this handle claimed and did not hand out (see `Storage.release`): they are
   * `waiting` again. This handle stops heart-beating for them first, so that a release the storage
   * cannot make (unreachable) leaves them to be given up once the lease expires.
   */
  async #release(trials: readonly Trial<P>[]): Promise<void> {
    const claims: { number: number; attempts: number }[] = [];
    for (const trial of trials) {
      const claim = this.#mine.get(trial.id);
      if (claim === undefined) continue;
      claims.push({ number: trial.id, attempts: claim.attempts! });
      this.#mine.delete(trial.id);
    }
    if (this.#mine.size === 0) this.#stopHeartbeat();
    if (claims.length === 0) return;
    try {
      const released = await viaStorage(
        this.storage,
        "release",
        () => this.storage.release(this.#record.id, this.worker, claims),
      );
      for (const trial of released) this.#remember(trial);
    } catch {
      // The ask's own error is the one to report; the trials are lost after the lease.
    }
  }

  /**
   * Claims up to `q` trials while the study's finished plus running trials stay below `budget`
   * (no limit without it): the trials, or `"wait"` (the budget is taken by running trials that
   * may still be lost, or, in pool mode, every candidate is taken and some are by other workers'
   * trials still open, which may still be lost and free theirs) or `"done"` (the budget is
   * reached, or every candidate of the pool is taken by a trial that is finished or this
   * worker's).
   */
  askWithin(q: number, budget?: number): Promise<Trial<P>[] | "wait" | "done"> {
    return this.#askWithin(q, budget, []);
  }

  /** {@linkcode askWithin}, collecting the trials it claims in `out` as it claims them. */
  async #askWithin(
    q: number,
    budget: number | undefined,
    out: Trial<P>[],
  ): Promise<Trial<P>[] | "wait" | "done"> {
    this.#checkOpen();
    let proposals: NewTrial[] = [];
    let proposerState: Record<string, unknown> | undefined;
    let proposerStateBase: Record<string, unknown> | undefined;
    let memory: Map<string, unknown> | undefined;
    let undone: number[] | undefined;
    let redoes: (number | undefined)[] = [];
    let basedOnSeq = 0;
    let stale = 0;
    while (out.length < q) {
      const request: ClaimRequest = {
        worker: this.worker,
        leaseMs: this.#leaseMs,
        requeue: this.#requeue,
        budget,
        proposal: proposals.length > 0 ? { ...proposals[0], basedOnSeq } : undefined,
        ...(proposals.length > 0 && proposerState !== undefined ? { proposerState } : {}),
        ...(proposals.length > 0 && proposerState !== undefined && proposerStateBase !== undefined
          ? { proposerStateBase }
          : {}),
        ...(proposals.length > 0 && undone !== undefined ? { undone } : {}),
        ...(proposals.length > 0 && redoes[0] !== undefined ? { redoes: redoes[0] } : {}),
      };
      const result = await viaStorage(
        this.storage,
        "claim",
        () => this.storage.claim(this.#record.id, request),
      );
      if (result.kind === "trial") {
        if (result.proposalUsed) {
          proposals.shift();
          redoes.shift();
          if (proposerState !== undefined) {
            // Recorded with the first of the batch, as this text (`Storage.claim`).
            this.#lastSaved = { memory: memory!, text: JSON.stringify(proposerState) };
          }
          proposerState = proposerStateBase = undefined;
          undone = undefined; // recorded with the first of the batch too
        }
        this.#remember(result.trial);
        // As `SMBO`'s: the trial's configuration is a frozen copy, which `tell` compares with
        // the stored one (see `Storage.finish`).
        const params = Object.freeze(copyParams(result.trial.params));
        const claim = { params, attempts: result.trial.attempts };
        this.#mine.set(result.trial.number, claim);
        this.#startHeartbeat();
        const trial = this.#toTrial({ ...result.trial, params });
        trialOrigins.set(trial.params as object, {
          storage: this.storage,
          studyId: this.#record.id,
          number: trial.id,
          claim,
        });
        out.push(trial);
      } else if (result.kind === "wait" || result.kind === "done") {
        return out.length > 0 ? out : result.kind;
      } else {
        if (result.kind === "stale" && ++stale > 100) {
          throw new Error(`ask: study ${this.name}: proposals keep colliding with other workers`);
        }
        await this.refresh();
        basedOnSeq = this.#seq;
        ({ proposals, proposerState, proposerStateBase, memory, undone, redoes } = this.#propose(
          q - out.length,
          budget,
        ));
        if (proposals.length === 0) {
          if (out.length > 0) return out;
          // Pool mode, every candidate taken: another worker's open trial may still be lost and
          // free its candidate, which is then evaluated again (as when the budget is taken).
          return this.#othersOpen() ? "wait" : "done";
        }
      }
    }
    return out;
  }

  /**
   * Reports the outcome of a trial of this worker: a finite value completes it; NaN, ±Infinity,
   * an `Error` or `{ error: reason }` fails it; any other outcome (a string, `undefined`,
   * `{ value: 0.5 }`) is a `TypeError` naming `outcome` that changes nothing. As with `SMBO`, the
   * study owns the outcome: `details` may only add the measured `seconds` (a finite number ≥ 0),
   * and bad details or an unknown trial throw and change nothing. `trial` is its number, or a
   * trial object this study handed out (`ask`'s, or one of `trials`, from any handle of the study
   * in this process), or a copy sharing its configuration (`{ ...trial }`); another study's trial
   * or a hand-made `{ id, params }` is a `RangeError` (`tell: trial 0 was not asked by this
   * study`), even when its number and configuration are this study's, and nothing changes.
   * Throws `TrialLostError` when the trial was already told, or was given up meanwhile (another
   * worker's, its lease expired, or failed with {@linkcode StoredStudy.failTrial} by any handle),
   * or when its claim is gone from the database or its number now holds another configuration or
   * attempt (a claim lost in a database crash, the number given again: see `Storage.finish`); the
   * stored outcome is then kept. Trials are frozen.
   */
  async tell(
    trial: Trial<P> | number,
    outcome: TrialOutcome,
    details: { seconds?: number } = {},
  ): Promise<Trial<P>> {
    this.#checkOpen();
    const id = typeof trial === "number" ? trial : trial?.id;
    if (!Number.isInteger(id)) throw new RangeError(`tell: no trial with id ${String(id)}`);
    // The trial as claimed: the storage refuses the tell when its number now holds another
    // configuration (a claim lost in a database crash and the number given again).
    let claim = this.#mine.get(id as number);
    if (typeof trial === "object" && trial !== null) {
      // A trial object this study handed out (or a copy sharing its configuration), as `SMBO`
      // takes: another study's, or a hand-made one, is refused before its value lands on this
      // study's trial of that number, whatever its configuration.
      const origin = trialOrigins.get(trial.params as object);
      if (origin === undefined || !this.#sameStudy(origin) || origin.number !== id) {
        throw new RangeError(
          `tell: trial ${id} was not asked by this study (a trial object is told to the study ` +
            "that handed it out; a trial number is taken as this study's)",
        );
      }
      claim = origin.claim ?? claim;
    }
    const known = this.#cache.get(id as number)?.trial;
    if (known && (known.status === "complete" || (known.status === "failed" && !known.lost))) {
      const detail = known.status === "failed" && known.error !== undefined
        ? `: ${known.error}`
        : "";
      throw new TrialLostError(`tell: trial ${id} was already told (${known.status}${detail})`);
    }
    const { seconds } = parseOrThrow(tellDetailsSchema, details ?? {}, "tell details");
    checkTellOutcome(outcome);
    const resolved = resolveOutcome(outcome);
    const stored = await viaStorage(
      this.storage,
      "finish",
      () =>
        this.storage.finish(
          this.#record.id,
          id as number,
          this.worker,
          { ...resolved, seconds },
          claim,
        ),
    ).finally(() => {
      // A stale `Trial` leaves the number's current claim (of this worker) running.
      if (claim !== undefined && this.#mine.get(id as number) !== claim) return;
      this.#mine.delete(id as number);
      if (this.#mine.size === 0) this.#stopHeartbeat();
    });
    this.#remember(stored);
    return this.#toTrial(stored);
  }

  /**
   * Fails a running trial of any worker, or a waiting one, by its number (as Optuna's
   * `study.tell(number, state=TrialState.FAIL)`): for a trial whose objective hangs, or whose
   * `Trial` was lost, in a worker that is still alive (it keeps heart-beating, so its lease never
   * expires). Any handle can do it: this worker's, another's, or one opened with `loadStudy` in
   * another process (`deno task studies <url> fail <study> <number>` from a shell). `reason`
   * (default `failed by worker <this worker's id>`) is kept as the trial's error, exactly.
   *
   * The trial becomes an ordinary failed trial, not a lost one (`StoredTrial.lost` stays false):
   * like a trial its objective failed (or a `trialTimeout`), it counts against a stored
   * `minimize`'s budget, the model sees it as failed (at the worst value, by default), and in
   * pool mode it keeps its candidate; `enqueue` its configuration to evaluate it again. Its
   * worker's later `tell` throws `TrialLostError` naming the reason and changes nothing
   * (a stored `minimize` skips it and goes on), and its heart-beats no longer touch it. Other
   * handles see it on their next refresh (`ask`, `tell`, `refresh`).
   *
   * A number the study does not have is a `RangeError`
   * (`failTrial: study "name" has no trial 7`); a trial already complete or failed is a
   * `TrialLostError` naming its state (`failTrial: trial 3 of study "name" is already complete
   * (value 0.25)`), and nothing changes.
   *
   * @example
   * ```ts
   * import { createStudy, loadStudy } from "./study.ts";
   * import { openStorage } from "./storage.ts";
   * import { randomSearch } from "../smbo/proposer.ts";
   * import { defineSpace, float } from "../space/mod.ts";
   *
   * const storage = await openStorage("memory:");
   * const space = defineSpace({ x: float(0, 1) });
   * const worker = await createStudy({ storage, name: "s", space, proposer: randomSearch() });
   * const hung = await worker.ask(); // its objective never returns
   * const operator = await loadStudy({ storage, name: "s" });
   * const failed = await operator.failTrial(hung.id, "hung for 2 hours");
   * failed.status; // "failed"
   * failed.error; // "hung for 2 hours"
   * await worker.tell(hung, 0.5).catch((error) => error.name); // "TrialLostError"
   * await worker.close();
   * await operator.close();
   * await storage.close();
   * ```
   */
  async failTrial(trial: Trial<P> | number, reason?: string): Promise<Trial<P>> {
    this.#checkOpen();
    const id = typeof trial === "number" ? trial : trial?.id;
    const stored = await viaStorage(
      this.storage,
      "failTrial",
      () =>
        this.storage.failTrial(this.#record.id, id, reason ?? `failed by worker ${this.worker}`),
    );
    this.#remember(stored);
    return this.#toTrial(stored);
  }

  /**
   * How many more configurations `ask` can give, as of the last refresh: in pool mode the unused
   * candidates and the waiting trials; otherwise `Infinity`. A running trial whose worker's process
   * on this host has exited counts as the next ask leaves it, since that ask gives it up first:
   * queued again (`requeue`), or lost, its candidate free. A trial whose worker elsewhere stopped
   * heart-beating counts once a claim has given it up (`ask` or `minimize`): the study does not
   * keep other workers' heart-beats, so its lease cannot be judged here.
   */
  get remaining(): number {
    if (!this.#pool) return Infinity;
    let waiting = 0;
    let gone: CacheEntry[] | undefined;
    for (const entry of this.#open.values()) {
      if (entry.trial.status === "waiting") waiting++;
      else if (entry.trial.worker !== this.worker && deadLocalWorker(entry.trial.worker)) {
        (gone ??= []).push(entry);
      }
    }
    if (gone === undefined) return this.#unusedCount + waiting;
    if (this.#requeue) return this.#unusedCount + waiting + gone.length;
    return this.#unusedCount + waiting + this.#freedBy(gone);
  }

  /**
   * Pool mode: how many candidates the trials of `gone` free when they are lost, as `#setTaken`
   * frees them: a candidate that a trial holding its configuration without one of its own (and
   * not lost with them) would take over stays taken.
   */
  #freedBy(gone: readonly CacheEntry[]): number {
    const freed = gone.map((e) => e.took).filter((i) => i !== undefined);
    if (freed.length === 0) return 0;
    const lost = new Set(gone);
    let count = freed.length;
    const heirs = new Set<CacheEntry>();
    for (const candidate of freed) {
      for (const other of this.#cache.values()) {
        if (
          !lost.has(other) && !heirs.has(other) && other.takes && other.took === undefined &&
          other.candidates!.includes(candidate)
        ) {
          heirs.add(other);
          count--;
          break;
        }
      }
    }
    return count;
  }

  /**
   * Pool candidates no trial has taken (waiting, running or finished; lost ones free theirs), in
   * pool order. A trial takes one candidate that is its configuration (see `#countTaken`).
   */
  #unusedPool(): { params: P; point: Float64Array }[] {
    const taken = this.#taken!;
    return this.#pool!.filter((_, i) => taken[i] === 0);
  }

  /**
   * Pool mode: counts the trial's candidate as taken or free again when that changed. A trial's
   * candidates are those with exactly its configuration (the same values, several when the pool
   * lists it more than once); a configuration that is none exactly (stored by a version that
   * matched candidates to 1e-12 in the unit cube) has those `samePoint` matches. As in `SMBO`, a
   * configuration listed n times is n candidates: each trial that holds it takes the first of
   * them no trial takes, so k trials take min(k, n) and the others stay in the pool; a trial lost
   * frees its candidate, which a trial holding the configuration without one then takes over.
   */
  #countTaken(entry: CacheEntry): void {
    this.#setTaken(entry, !(entry.trial.status === "failed" && entry.trial.lost));
  }

  /** Pool mode: counts the entry's trial as holding its configuration or not (`#countTaken`). */
  #setTaken(entry: CacheEntry, takes: boolean): void {
    if (takes === (entry.takes ?? false)) return;
    entry.takes = takes;
    entry.candidates ??= this.#poolKeys!.get(configurationKey(entry.trial.params))?.slice() ??
      this.#poolIndex!.matches(this.#point(entry));
    const taken = this.#taken!;
    if (takes) {
      // The first of its candidates no trial holds; none while as many trials hold them.
      entry.took = entry.candidates.find((i) => taken[i] === 0);
      if (entry.took !== undefined) {
        taken[entry.took] = 1;
        this.#unusedCount--;
      }
      return;
    }
    const freed = entry.took;
    entry.took = undefined;
    if (freed === undefined) return;
    // A trial that holds the configuration without a candidate of its own takes this one over.
    for (const other of this.#cache.values()) {
      if (
        other !== entry && other.takes && other.took === undefined &&
        other.candidates!.includes(freed)
      ) {
        other.took = freed;
        return;
      }
    }
    taken[freed] = 0;
    this.#unusedCount++;
  }

  /**
   * Queues a configuration to be asked before any new proposal (by any worker). In pool mode it
   * must be an unused candidate, or a candidate whose trials all failed (a trial its objective
   * failed, or one failed by number with {@linkcode StoredStudy.failTrial}; lost ones aside): a
   * retry, which evaluates the candidate again while its failed trials stay in the study (and
   * count against a budget), and which proposals never make (a failed trial keeps its candidate).
   * As with `SMBO.enqueue`, a configuration the pool lists n times can be enqueued until n
   * trials that have not failed hold it.
   * The storage checks it in the transaction that adds it (two handles enqueueing the same
   * candidate at once, or one enqueueing it while another's proposal takes it, are not both
   * accepted): otherwise a `RangeError` names the candidate and the trials that hold it, and
   * nothing is added. The queued trial counts in {@linkcode StoredStudy.remaining} until it is
   * asked.
   *
   * @example
   * ```ts
   * import { createStudy } from "./study.ts";
   * import { openStorage } from "./storage.ts";
   * import { defineSpace, int } from "../space/mod.ts";
   *
   * const storage = await openStorage("memory:");
   * const space = defineSpace({ x: int(0, 9) });
   * const candidates = [{ x: 0 }, { x: 1 }, { x: 2 }];
   * const options = { storage, name: "s", space, candidates, initialDesignSize: 1 };
   * const study = await createStudy(options);
   * const hung = await study.ask();
   * await study.failTrial(hung.id, "hung for 2 hours");
   * study.remaining; // 2: the candidates no trial took
   * await study.enqueue(hung.params); // the retry
   * study.remaining; // 3
   * const retry = await study.ask();
   * retry.params.x === hung.params.x; // true
   * await study.close();
   * await storage.close();
   * ```
   */
  async enqueue(params: P): Promise<void> {
    this.#checkOpen();
    const valid = this.#enqueueable(params);
    let limit: number | undefined;
    if (this.#pool) {
      await this.refresh();
      limit = this.#enqueueLimit(valid);
      if (limit === undefined) throw this.#takenCandidateError(valid);
    }
    for (;;) {
      try {
        await viaStorage(this.storage, "addTrials", () =>
          this.storage.addTrials(this.#record.id, [{
            params: valid as Record<string, unknown>,
            source: "enqueued",
          }], limit === undefined ? undefined : { limits: [limit] }));
        break;
      } catch (error) {
        if (limit === undefined || !(error instanceof RangeError)) throw error;
        // Taken meanwhile by another handle (an enqueue or a proposal); or a trial of the
        // candidate failed meanwhile, which makes room for one more.
        await this.refresh();
        const next = this.#enqueueLimit(valid);
        if (next === undefined || next <= limit) throw this.#takenCandidateError(valid, error);
        limit = next;
      }
    }
    await this.refresh();
  }

  /**
   * `params` checked as new input; in pool mode, a candidate as the study stored it passes too (a
   * grid value an earlier metahpo accepted, read with `storedGrid: "keep"`), so that a failed one
   * can be retried.
   */
  #enqueueable(params: P): P {
    try {
      return this.space.validate(params);
    } catch (error) {
      if (!this.#pool || !(this.space instanceof Space)) throw error;
      const stored = readAsStored(this.space, params);
      if (stored === undefined || !this.#poolKeys!.has(configurationKey(stored))) throw error;
      return stored as P;
    }
  }

  /**
   * Pool mode: how many trials that are not lost may hold `params` (valid) once it is enqueued,
   * as of the last refresh (`Storage.addTrials`'s limit): as many as the pool lists it, besides
   * those that failed; undefined when it cannot be enqueued (no candidate, or as many waiting,
   * running or complete trials hold it as the pool lists it). A configuration listed twice is two
   * candidates, as in `SMBO`: one trial of it leaves the other to enqueue.
   */
  #enqueueLimit(params: P): number | undefined {
    const key = configurationKey(params);
    const candidates = this.#poolKeys!.get(key);
    if (candidates === undefined) return undefined;
    let failed = 0;
    let holding = 0;
    for (const entry of this.#cache.values()) {
      if (!entry.takes || !entry.candidates!.some((i) => candidates.includes(i))) continue;
      if (entry.trial.status !== "failed") holding++;
      // The storage counts the trials of exactly this configuration.
      else if (configurationKey(entry.trial.params) === key) failed++;
    }
    return holding < candidates.length ? candidates.length + failed : undefined;
  }

  /**
   * Pool mode: the error of enqueueing `params` (valid), which is no unused candidate: naming it
   * and the trials that hold it, as of the last refresh.
   */
  #takenCandidateError(params: P, cause?: unknown): RangeError {
    const key = configurationKey(params);
    const holders = [...this.#cache.values()]
      .filter((e) => e.takes && configurationKey(e.trial.params) === key)
      .map((e) => `trial ${e.trial.number} (${e.trial.status})`);
    const known = this.#poolKeys!.has(key);
    return new RangeError(
      `enqueue: in pool mode the configuration must be an unused candidate; ${key} is ` +
        (!known
          ? NOT_A_CANDIDATE
          : holders.length > 0
          ? `taken by ${holders.join(", ")}`
          : "taken"),
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * Records the task's meta-features with the study (used by transfer to later tasks): finite
   * numbers, or NaN or null for an unavailable one (kept as NaN); ±Infinity or another value is a
   * `TypeError` naming it, and nothing is recorded.
   */
  async setMetaFeatures(metaFeatures: Record<string, number>): Promise<void> {
    const parsed = parseOrThrow(metaFeaturesSchema, metaFeatures, "setMetaFeatures.metaFeatures");
    await viaStorage(
      this.storage,
      "setMetaFeatures",
      () => this.storage.setMetaFeatures(this.#record.id, parsed),
    );
    await this.refresh();
  }

  /**
   * Sets a user attribute of the study: a JSON value (finite numbers, strings, booleans, null,
   * arrays and plain objects of them); NaN, ±Infinity, undefined, BigInt, functions, cycles and
   * class instances are a TypeError naming their path (`userAttrs.arr[1]`), and nothing is stored.
   */
  async setUserAttr(key: string, value: unknown): Promise<void> {
    await viaStorage(
      this.storage,
      "setUserAttr",
      () => this.storage.setUserAttr(this.#record.id, key, value),
    );
    await this.refresh();
  }

  /** Sets a user attribute of a trial (a JSON value, as for {@linkcode setUserAttr}). */
  async setTrialUserAttr(trial: Trial<P> | number, key: string, value: unknown): Promise<void> {
    const id = typeof trial === "number" ? trial : trial.id;
    await viaStorage(
      this.storage,
      "setTrialUserAttr",
      () => this.storage.setTrialUserAttr(this.#record.id, id, key, value),
    );
    await this.refresh();
  }

  /** Stops heart-beating; closes the storage when the study opened it from a URL. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopHeartbeat();
    if (this.#ownsStorage) await viaStorage(this.storage, "close", () => this.storage.close());
  }

  /** Waits `ms` (used between polls of a study whose budget is taken by running trials). */
  static sleep(ms: number): Promise<void> {
    return sleep(ms);
  }

  /** Milliseconds between polls while waiting on other workers' running trials. */
  get pollMs(): number {
    return Math.max(20, Math.min(1000, this.#leaseMs / 4));
  }

  /**
   * Whether a trial object's origin is this study: the same storage (for a file or a server, any
   * handle of its URL) and the same study id (never given to another study).
   */
  #sameStudy(origin: TrialOrigin): boolean {
    return origin.studyId === this.#record.id &&
      (origin.storage === this.storage ||
        (this.storage.kind !== "memory" && origin.storage.kind === this.storage.kind &&
          origin.storage.url === this.storage.url));
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`study ${JSON.stringify(this.name)}: closed`);
  }

  /**
   * Records a trial's latest state and keeps the model data, the proposals' counts, the sorted
   * trials and the best trial up to date incrementally, so that an ask of a proposer that needs
   * no history (random search) costs the same in a study of 100 trials or of 10,000 (outside
   * pool mode, whose proposals draw from every unused candidate).
   */
  #remember(stored: StoredTrial): void {
    // The study owns what it read: trials and configurations are frozen copies.
    const trial: StoredTrial = Object.freeze({
      ...stored,
      params: Object.freeze(copyParams(stored.params)),
      userAttrs: Object.freeze(copyParams(stored.userAttrs)),
    });
    let entry = this.#cache.get(trial.number);
    const before = entry?.trial;
    if (
      entry && !entry.final && (entry.point !== undefined || entry.candidates !== undefined) &&
      canonicalJSON(entry.trial.params) !== canonicalJSON(trial.params)
    ) {
      // The number now holds another configuration (a claim lost in a database crash, the number
      // given again): the old configuration's point and candidates go with it.
      this.#setTaken(entry, false);
      if (this.#bestEntry === entry) this.#bestStale = true;
      entry = { trial, ordinal: entry.ordinal };
      this.#cache.set(trial.number, entry);
      this.#sorted[insertionIndex(this.#numbers, trial.number)] = entry;
    } else if (entry) {
      entry.trial = trial;
      entry.view = undefined;
    } else {
      entry = { trial, ordinal: this.#cache.size };
      this.#cache.set(trial.number, entry);
      const at = insertionIndex(this.#numbers, trial.number);
      this.#numbers.splice(at, 0, trial.number);
      this.#sorted.splice(at, 0, entry);
    }
    this.#countProposal(before, trial);
    if (
      before?.status === "complete" &&
      (trial.status !== "complete" || !Object.is(trial.value, before.value))
    ) {
      this.#bestStale = true; // not a storage's doing (complete is final), but then found again
    }
    if (!this.#bestStale) this.#considerBest(entry);
    if (
      this.#mine.has(trial.number) && (trial.status === "complete" || trial.status === "failed")
    ) {
      // Failed by any handle (`failTrial`), or lost: this worker no longer beats for it. (Final
      // states only: a read that overlapped a claim of this worker may still show it waiting.)
      this.#mine.delete(trial.number);
      if (this.#mine.size === 0) this.#stopHeartbeat();
    }
    if (this.#pool) this.#countTaken(entry);
    if (entry.final) return;
    if (trial.status === "waiting" || trial.status === "running") {
      this.#open.set(trial.number, entry);
      return;
    }
    this.#open.delete(trial.number);
    if (trial.status === "complete") {
      entry.final = true;
      // On the proposer's lower-is-better scale, as `SMBO` gives them.
      this.#observed.addComplete(
        trial.number,
        this.#point(entry),
        minimised(trial.value!, this.direction),
      );
    } else if (!trial.lost || this.#madeAgain(trial.number)) {
      // Failed; or lost when it made a lost proposal again (see `#undoneProposals`): the model
      // sees that configuration as failed, so that the proposer turns away from one that keeps
      // killing its workers.
      entry.final = true;
      this.#observed.addFailed(trial.number, this.#point(entry));
    }
  }

  /**
   * Keeps the proposals' counts (`#undoneProposals`, `#proposalRng`) up to date when a trial
   * number's state goes from `before` (none for a number first read) to `after`.
   */
  #countProposal(before: StoredTrial | undefined, after: StoredTrial): void {
    const proposed = (t: StoredTrial | undefined) =>
      t !== undefined && (t.source === "model" || t.source === "random");
    const [was, is] = [proposed(before), proposed(after)];
    if (was === is && (!was || before!.lost === after.lost)) return;
    const number = after.number;
    if (was) {
      this.#proposed--;
      if (before!.lost) this.#lostProposals.delete(number);
      else this.#keptProposals.splice(insertionIndex(this.#keptProposals, number), 1);
    }
    if (is) {
      this.#proposed++;
      if (after.lost) this.#lostProposals.add(number);
      else this.#keptProposals.splice(insertionIndex(this.#keptProposals, number), 0, number);
    }
  }

  /**
   * Whether a trial of the study is open (as of the last refresh) that this worker does not run:
   * a waiting one, or another worker's running one.
   */
  #othersOpen(): boolean {
    for (const { trial } of this.#open.values()) {
      if (trial.status === "waiting" || !this.#mine.has(trial.number)) return true;
    }
    return false;
  }

  /** Whether trial `number` made an undone proposal again (`StudyRecord.redoneProposals`). */
  #madeAgain(number: number): boolean {
    const redone = this.#record.redoneProposals;
    return redone !== undefined && Object.values(redone).includes(number);
  }

  #startHeartbeat(): void {
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => {
      // This handle's trials only: another process may run under the same worker id (a rerun
      // with an explicit `worker`), and a crashed one's trials must not stay alive.
      const trials = [...this.#mine].map(([number, claim]) => ({
        number,
        attempts: claim.attempts!,
      }));
      viaStorage(
        this.storage,
        "heartbeat",
        () => this.storage.heartbeat(this.#record.id, this.worker, undefined, trials),
      ).then(
        () => this.lastHeartbeatError = undefined,
        (error) => this.lastHeartbeatError = error,
      );
    }, this.#heartbeatMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stopHeartbeat(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #point(entry: CacheEntry): Float64Array {
    entry.point ??= readStored(
      this.storage.url,
      this.name,
      this.space,
      entry.trial.params,
      `trial ${entry.trial.number}`,
    ).point;
    return entry.point;
  }

  /**
   * The memory of the next proposal, and the state it holds (undefined: a fresh proposer): with a
   * proposer that saves its state, this process's memory of its last recorded proposal when the
   * study's state (as of the last refresh) is still the one recorded with it, so that an
   * uninterrupted process keeps its live surrogate (`FitHints.previous`), and otherwise a fresh
   * one holding the study's state; with a proposer that does not, this process's memory. A state
   * recorded with an undone proposal (`undone`, see `#undoneProposals`) is replaced by the one
   * that proposal started from. A stored state the proposer does not accept is a `StorageError`
   * naming the study and the field, and pointing to `resetProposerState`.
   */
  #proposalMemory(
    undone: ReadonlySet<number>,
  ): { memory: Map<string, unknown>; state?: Record<string, unknown> } {
    const { saveState, restoreState } = this.proposer;
    if (typeof saveState !== "function" || typeof restoreState !== "function") {
      return { memory: this.#memory };
    }
    let text = this.#record.proposerState;
    const origin = this.#record.proposerStateOrigin;
    const undo = text !== undefined && origin !== undefined && undone.has(origin.trial);
    if (undo) text = origin.base;
    const last = this.#lastSaved;
    // Taken, not shared: a proposal that is not recorded may have changed it.
    this.#lastSaved = undefined;
    if (!undo && last !== undefined && text === last.text) {
      return { memory: last.memory, state: JSON.parse(last.text) };
    }
    const memory = new Map<string, unknown>();
    if (text === undefined) return { memory };
    const invalid = (detail: string) =>
      new StorageError(
        this.storage.url,
        `study ${JSON.stringify(this.name)}: the stored proposer state is invalid: ${detail} ` +
          `(proposer ${JSON.stringify(this.proposer.name)}; study.resetProposerState() clears it)`,
      );
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch (error) {
      throw invalid(`not JSON (${(error as Error).message})`);
    }
    if (!isJsonObject(state)) throw invalid("must be an object");
    try {
      // A copy: the proposer may keep what it is given.
      restoreState.call(this.proposer, memory, JSON.parse(text));
    } catch (error) {
      throw invalid((error as Error).message);
    }
    return { memory, state };
  }

  /**
   * The proposals this study undoes. The model never sees a trial lost with its worker
   * (`StoredTrial.lost`), so a proposal whose trial is lost before any later proposal that is not
   * (a run killed while it evaluated it) is made again as if it had never been: the next proposal
   * draws its random stream (`#proposalRng`) and, when the study's state was recorded with it,
   * starts from the state it started from (`StudyRecord.proposerStateOrigin`); a rerun then
   * proposes what the uninterrupted run proposed. `trailing`: the trials proposed (source
   * `"model"` or `"random"`) that were lost and follow every proposed trial that was not, those
   * that made an undone proposal again aside (`StudyRecord.redoneProposals`); `all`: those and
   * the lost trials that earlier proposals undid (`StudyRecord.undoneProposals`, which the next
   * proposal records `trailing` in); `pending`: the trials of `all` whose proposals no later
   * proposal made again yet, in increasing order (the next proposals make them again, in that
   * order, and record it). A lost trial that a proposal made while it still ran follows (another
   * worker's) is not undone: its stream stays drawn, so that the next proposal does not draw that
   * proposal's stream again. Nor is a lost trial that made an undone proposal again: a proposal
   * is made again once, so that a configuration that kills its worker (and then its redo) is not
   * proposed a third time; the next proposal draws a fresh stream and the study goes on.
   */
  #undoneProposals(): { trailing: Set<number>; all: Set<number>; pending: number[] } {
    const redone = this.#record.redoneProposals ?? {};
    const redos = new Set(Object.values(redone));
    // Kept up to date by `#remember`: the latest proposed trial that is not lost, and the lost
    // ones in the cache's order.
    const kept = this.#keptProposals;
    const latest = kept.length > 0 ? kept[kept.length - 1] : -1;
    const lost = [...this.#lostProposals]
      .map((number) => this.#cache.get(number)!)
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((entry) => entry.trial.number);
    const earlier = new Set(this.#record.undoneProposals ?? []);
    const trailing = new Set(lost.filter((number) => number > latest && !redos.has(number)));
    const all = new Set(lost.filter((n) => trailing.has(n) || earlier.has(n)));
    const pending = [...all].filter((n) => !Object.hasOwn(redone, n)).sort((a, b) => a - b);
    return { trailing, all, pending };
  }

  /**
   * Clears the study's stored proposer state (`Proposer.saveState`), e.g. one that the current
   * proposer cannot restore (a state written by another proposer, or corrupted): the next
   * proposal, by any worker, starts from a fresh proposer (for `bayesOpt`, a full refit), and
   * later proposals record their state again. Trials are not changed.
   */
  async resetProposerState(): Promise<void> {
    this.#checkOpen();
    this.#lastSaved = undefined;
    await viaStorage(
      this.storage,
      "resetProposerState",
      () => this.storage.resetProposerState(this.#record.id),
    );
    await this.refresh();
  }

  /**
   * The generator of the next proposal, a function of the study's state (any worker, and a
   * resumed process, proposes alike) drawn as `SMBO` draws it: from the seed's generator, after
   * the initial design's stream, one stream per proposal, here per trial proposed so far (source
   * `"model"` or `"random"`; undone proposals, `undone`, aside). A study that proposes one trial at a time outside pool mode (stored
   * `minimize` with `batchSize` 1) thus proposes what the in-memory `minimize` does.
   */
  #proposalRng(undone: ReadonlySet<number>): Rng {
    const proposed = this.#proposed - undone.size;
    let streams = this.#proposalStreams;
    if (streams === undefined || streams.given > proposed) {
      const root = new Rng(this.#settings.seed);
      if (this.#settings.initialDesignSize > 0) root.spawn(); // the initial design's stream
      streams = this.#proposalStreams = { root, given: 0 };
    }
    for (; streams.given < proposed; streams.given++) streams.root.spawn();
    return streams.root.clone().spawn();
  }

  #propose(
    n: number,
    budget?: number,
  ): {
    proposals: NewTrial[];
    proposerState?: Record<string, unknown>;
    proposerStateBase?: Record<string, unknown>;
    memory?: Map<string, unknown>;
    undone?: number[];
    redoes: (number | undefined)[];
  } {
    let pool: { params: P; point: Float64Array }[] | undefined;
    if (this.#pool) {
      pool = this.#unusedPool();
      if (pool.length === 0) return { proposals: [], redoes: [] };
      n = Math.min(n, pool.length);
    }
    const undone = this.#undoneProposals();
    const { memory, state: base } = this.#proposalMemory(undone.trailing);
    const context = proposalContext({
      dim: this.space.dim,
      completePoints: this.#observed.completePoints,
      completeValues: this.#observed.completeValues,
      failedPoints: this.#observed.failedPoints,
      failedTrials: this.#settings.failedTrials,
      // By trial number, as `SMBO` gives them (a trial queued again keeps its number).
      pending: [...this.#open.values()].sort((a, b) => a.trial.number - b.trial.number)
        .map((e) => this.#point(e)),
      project: (u) => this.space.project(u),
      // From the study's state, not from this worker's history: any worker proposes alike.
      rng: this.#proposalRng(undone.all),
      memory,
      pool: pool?.map((c) => c.point),
      budget,
      ...(this.space instanceof Space ? { space: this.space } : {}),
    });
    const { points, sources, proposer } = proposePoints(this.proposer, context, n);
    const candidates = pool;
    const params = candidates
      ? matchPool(context.pool!, points, proposer.name).map((i) => candidates[i].params)
      : points.map((point) => this.space.decode(point));
    const proposals = params.map((p, i) => ({
      params: p as Record<string, unknown>,
      source: sources[i],
    }));
    const earlier = this.#record.undoneProposals ?? [];
    const newlyUndone = [...undone.trailing].filter((n) => !earlier.includes(n));
    // The first proposals make the pending undone ones again (their streams, counted as drawn
    // once more: see `#proposalRng`).
    const recorded = {
      ...(newlyUndone.length > 0 ? { undone: newlyUndone } : {}),
      redoes: proposals.map((_, i) => undone.pending[i]),
    };
    // Saved when the study's proposer made them (not the random search before any value).
    if (memory === this.#memory || proposer !== this.proposer) {
      return { proposals, ...recorded };
    }
    const saved: unknown = this.proposer.saveState!(memory);
    checkProposerState(saved, this.proposer.name);
    return { proposals, proposerState: saved, proposerStateBase: base, memory, ...recorded };
  }
}

/** What to do when a resumed study's `initialDesignSize` differs from the stored one. */
function designSizeHint(stored: number): string {
  return `; leave options.initialDesignSize out to resume with the study's own (${stored}). A ` +
    "size computed from the budget, such as smacInitialDesignSize(space, budget), differs when " +
    "the budget does (and between metahpo versions whose rule differs): compute it once, or " +
    "leave it out when resuming";
}

/**
 * The likely cause of options that differ from those a study was created with, appended to the
 * error when they carry initial configurations, as transfer options do: a rerun that computes
 * them from a storage's experience (`transferOptionsFromStorage`, see the README's "Experience")
 * gets others once that experience changed, and the study itself, stopped, is experience unless
 * the call leaves it out.
 */
function rerunHint(options: { initialConfigurations?: readonly unknown[] }): string {
  if (options.initialConfigurations === undefined) return "";
  return ". A rerun resumes a study with the options it was created with: transfer options read " +
    "from a storage (transferOptionsFromStorage) differ when its finished studies changed since " +
    "the study was created, and the study itself is one of them once it has stopped unless the " +
    "call names it in `exclude`. Name the study itself in `exclude`, and the studies that " +
    "finished since it was created, or start a new study to learn from them";
}

/**
 * Throws a `TypeError` naming the proposer and the field unless `state`, what its `saveState`
 * returned, is what a stored study can restore: a plain JSON object (see `Proposer.saveState`).
 * Checked before anything is stored.
 */
function checkProposerState(
  state: unknown,
  name: string,
): asserts state is Record<string, unknown> {
  const label = `proposer ${JSON.stringify(name)}: saveState()`;
  if (!isJsonObject(state) || ![Object.prototype, null].includes(Object.getPrototypeOf(state))) {
    const got = Array.isArray(state)
      ? "an array"
      : state === null
      ? "null"
      : typeof state === "object"
      ? `a ${Object.getPrototypeOf(state)?.constructor?.name || "class instance"}`
      : typeof state;
    throw new TypeError(`${label}: must return a plain JSON object, got ${got}`);
  }
  checkJsonValue(state, label);
}

/**
 * Creates a study in a storage (default `memory:`): stores its space, direction, settings and
 * initial design. With `loadIfExists`, an existing study of that name is loaded instead (its
 * settings, direction and recorded meta-features must agree with any given explicitly); otherwise
 * an existing name is an error.
 *
 * @example
 * ```ts
 * import { createStudy } from "./study.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const path = await Deno.makeTempFile({ suffix: ".db" });
 * const study = await createStudy({
 *   storage: `sqlite:${path}`,
 *   name: "lr search",
 *   space: defineSpace({ lr: float(1e-4, 1, { log: true }) }),
 *   seed: 1,
 * });
 * const trial = await study.ask();
 * await study.tell(trial, Math.log(trial.params.lr) ** 2);
 * await study.close();
 * ```
 *
 * @example A study that maximises, kept with its direction
 * ```ts
 * import { createStudy, loadStudy } from "./study.ts";
 * import { openStorage } from "./storage.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const space = defineSpace({ c: float(1e-3, 1e3, { log: true }) });
 * const study = await createStudy({ storage, name: "svm", space, direction: "maximize" });
 * const trial = await study.ask();
 * await study.tell(trial, 0.9 - 0.05 * Math.log10(trial.params.c) ** 2); // an accuracy
 * await study.close();
 * (await loadStudy({ storage, name: "svm" })).direction; // "maximize"
 * await loadStudy({ storage, name: "svm", direction: "minimize" }).catch((e) => e.message);
 * // 'study "svm": options.direction is "minimize", but the study was created with "maximize"'
 * await storage.close();
 * ```
 */
export function createStudy<P>(
  options: StudyOptions<P> & { space: EncodableSpace<P>; loadIfExists?: boolean },
): Promise<StoredStudy<P>> {
  const { loadIfExists, ...rest } = options;
  return StoredStudy.open(rest, loadIfExists ? "load-if-exists" : "create");
}

/**
 * Loads an existing study (an error names the storage when there is none). Without `space`, the
 * space is rebuilt from its stored definition; without `direction`, the study keeps its own (a
 * `direction` other than the stored one is an error naming both).
 *
 * @example
 * ```ts
 * import { createStudy, loadStudy } from "./study.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * import { openStorage } from "./storage.ts";
 * const storage = await openStorage("memory:");
 * await createStudy({ storage, name: "s", space: defineSpace({ x: float(0, 1) }) });
 * const again = await loadStudy({ storage, name: "s" });
 * again.space; // rebuilt from the stored definition
 * again.direction; // "minimize", as created
 * await storage.close();
 * ```
 */
export function loadStudy<P = Record<string, unknown>>(
  options: StudyOptions<P>,
): Promise<StoredStudy<P>> {
  return StoredStudy.open(options, "load");
}

/**
 * The space of a stored study, rebuilt from its definition (null when none was stored); a
 * definition the rules of spaces refuse is a `TypeError` naming the study and the field.
 */
export function storedSpace(study: StudyRecord): Space | null {
  if (study.space === null) return null;
  try {
    return spaceFromJSON(study.space);
  } catch (error) {
    throw new TypeError(unreadableSpace(study.name, error), { cause: error });
  }
}
