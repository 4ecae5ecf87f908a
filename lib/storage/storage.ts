/**
 * Study storages: one contract ({@linkcode Storage}), three backends behind
 * {@linkcode openStorage}:
 *
 * | URL                                   | backend                                               |
 * | ------------------------------------- | ----------------------------------------------------- |
 * | `memory:`                             | in-process SQLite `:memory:` database (the default)   |
 * | `sqlite:<path>`                       | a SQLite file via `node:sqlite` (WAL, busy timeout)   |
 * | `sqlite:///<relative path>`           | the same, in SQLAlchemy's (Optuna's) URL form         |
 * | `sqlite:////<absolute path>`          | the same, in SQLAlchemy's (Optuna's) URL form         |
 * | `postgres://user[:pw]@host:port/db`   | PostgreSQL via the `postgres` client (`?schema=name`) |
 *
 * `sqlite:<path>` takes the path as written: `sqlite:tune.db` and `sqlite:runs/tune.db` are
 * relative to the working directory, `sqlite:/data/tune.db` is absolute. A URL that starts with
 * `sqlite://` follows SQLAlchemy, as Optuna users write it: after the three slashes comes the
 * path, so `sqlite:///tune.db` is `./tune.db` and `sqlite:////data/tune.db` (four slashes) is
 * `/data/tune.db`; `sqlite://host/...` (a host) is an error.
 *
 * The storage keeps studies (space, direction, settings, meta-features, user attributes) and
 * their trials, and offers the few atomic operations that make many workers safe on one study:
 * claiming a trial ({@linkcode Storage.claim}: reaps trials whose worker stopped heart-beating,
 * checks the global budget, hands out a waiting trial or records a new proposal, all in one
 * transaction), handing back claimed trials unrun ({@linkcode Storage.release}), telling
 * ({@linkcode Storage.finish}), failing any worker's trial ({@linkcode Storage.failTrial}) and
 * heart-beating. All SQL is parameterised.
 *
 * @module
 */
import { createHash } from "node:crypto";
import process from "node:process";
import { redactUrl, StorageError, TrialLostError } from "./errors.ts";
import { migrate } from "./schema.ts";
import type { Row, SqlDriver, SqlTransaction, SqlValue } from "./sql.ts";
import { holdsStorage, openSqlite } from "./sqlite.ts";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { TrialSource } from "../smbo/trial.ts";
import { checkDirection, isBetter, type StudyDirection } from "../smbo/_direction.ts";
import {
  canonicalJSON,
  describeValue,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";
import { z } from "../deps/zod.ts";
import { positiveSecondsSchema, storedNameSchema } from "./_validate.ts";

/** A stored trial's state: `waiting` trials are drawn (or queued) but not yet handed out. */
export type StoredTrialStatus = "waiting" | "running" | "complete" | "failed";

/** A trial as the storage keeps it. */
export interface StoredTrial {
  /** Position in its study, from 0. */
  number: number;
  /** Its state. */
  status: StoredTrialStatus;
  /** The configuration (JSON). */
  params: Record<string, unknown>;
  /** The objective value of a complete trial. */
  value?: number;
  /**
   * Why a failed trial failed (or why a queued-again trial was taken from its worker); kept
   * exactly, NUL characters included.
   */
  error?: string;
  /** How the configuration was chosen. */
  source: TrialSource;
  /** Seconds the objective took. */
  seconds?: number;
  /** The worker that runs (or ran) it. */
  worker?: string;
  /**
   * Failed because its worker stopped heart-beating (the objective did not finish). A trial
   * failed with {@linkcode Storage.failTrial} is not lost: it is failed on purpose, with a reason.
   */
  lost: boolean;
  /**
   * How many times it was handed to a worker (a claim handed back unrun with
   * {@linkcode Storage.release} included: a number and attempt never name two claims).
   */
  attempts: number;
  /** User attributes (JSON values). */
  userAttrs: Record<string, unknown>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** When a worker last took it. */
  startedAt?: number;
  /** When it was told or given up. */
  finishedAt?: number;
  /** The last heart-beat of its worker. */
  heartbeat?: number;
  /** The study's change counter at the trial's last change. */
  seq: number;
}

/** A study as the storage keeps it. */
export interface StudyRecord {
  /** Storage-internal id; never given again to another study, even after a deletion. */
  id: number;
  /** Unique name. */
  name: string;
  /**
   * Which way the study's objective improves: `"minimize"`, or `"maximize"` for a study created
   * with `direction: "maximize"` (studies of earlier versions are `"minimize"`). Values are stored
   * as the objective returned them.
   */
  direction: StudyDirection;
  /** The search space's JSON form (`Space.toJSON()`), or null when unknown. */
  space: unknown;
  /** Settings the study was created with (seed, initial design, lease, ...). */
  settings: Record<string, unknown>;
  /** Meta-features of the task, when recorded (NaN for unavailable ones). */
  metaFeatures?: Record<string, number>;
  /** User attributes. */
  userAttrs: Record<string, unknown>;
  /**
   * The JSON text of the proposer's state (see `Proposer.saveState`: e.g. `bayesOpt`'s fit count
   * and last hyperparameters), as recorded with the study's latest model-based proposal;
   * undefined before any. Kept as text: the study reads it, and names itself in the error when
   * it is not a state its proposer wrote.
   */
  proposerState?: string;
  /**
   * With {@linkcode proposerState}: the number of the trial whose proposal recorded it, and the
   * JSON text of the state that proposal started from (absent when it started from a fresh
   * proposer). A stored study undoes a proposal whose trial was lost with its worker before any
   * later proposal: the next one starts from `base` again. Undefined for a state recorded by an
   * earlier metahpo (or by a claim that gave no `proposerStateBase`).
   */
  proposerStateOrigin?: { trial: number; base?: string };
  /**
   * The numbers of lost trials (`StoredTrial.lost`) whose proposals later proposals were made as
   * if they had never been (see `StoredStudy`), in increasing order; undefined when none. Their
   * random streams are drawn again, by the proposals made in their place.
   */
  undoneProposals?: number[];
  /**
   * For each undone proposal ({@linkcode undoneProposals}) that a later proposal made again: the
   * number of that later trial, or null when an earlier metahpo, which did not record it, made it
   * again (every undone proposal of a study it left is here, with null). Undefined when none. A
   * proposal is made again at most once: a trial listed here as the one that made a proposal
   * again is not undone when it is lost in turn.
   */
  redoneProposals?: Record<number, number | null>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Last change. */
  updatedAt: number;
  /** The change counter. */
  seq: number;
  /**
   * Trials whose objective finished (complete, or failed and not lost; a trial failed with
   * {@linkcode Storage.failTrial} counts).
   */
  finished: number;
}

/** A study with its trial counts and best value, as {@linkcode Storage.listStudies} returns. */
export interface StudySummary extends StudyRecord {
  /** Trials per status; `lost` counts the failed trials whose worker stopped heart-beating. */
  counts: Record<StoredTrialStatus | "lost", number>;
  /**
   * The best value of a complete trial, when any: the lowest, or the highest in a study whose
   * `direction` is `"maximize"`.
   */
  best?: number;
}

/** A trial to add to a study. */
export interface NewTrial {
  /** The configuration (JSON-serialisable). */
  params: Record<string, unknown>;
  /** How it was chosen. */
  source: TrialSource;
  /**
   * An objective value already known (a finite number), e.g. of an imported task: the trial is
   * stored `complete` with it, in the same transaction, and counts as finished. Without it the
   * trial is `waiting`. (A claim's proposal never has one.)
   */
  value?: number;
}

/** A study to create. */
export interface NewStudy {
  /** Unique name (any non-empty text without NUL, U+0000). */
  name: string;
  /** The space's JSON form. */
  space: unknown;
  /** Which way the objective improves (default `"minimize"`). */
  direction?: StudyDirection;
  /** Settings to keep (JSON). */
  settings: Record<string, unknown>;
  /** Meta-features of the task. */
  metaFeatures?: Record<string, number>;
}

/** What a worker asks of {@linkcode Storage.claim}. */
export interface ClaimRequest {
  /** The worker's id (see {@linkcode workerId}). */
  worker: string;
  /** A running trial whose last heart-beat is older than this many ms is given up. */
  leaseMs: number;
  /** Give up lost trials by queueing them again (true) or failing them (false). */
  requeue: boolean;
  /** Only hand out a trial while finished + running trials stay below this. */
  budget?: number;
  /** A new configuration, proposed from the study as of `basedOnSeq`. */
  proposal?: NewTrial & { basedOnSeq: number };
  /**
   * With `proposal`: the proposer's state after proposing it (a JSON object, see
   * `Proposer.saveState`), recorded as the study's {@linkcode StudyRecord.proposerState} in the
   * transaction that records the proposal (and only then).
   */
  proposerState?: Record<string, unknown>;
  /**
   * With `proposerState`: the state the proposal started from (a JSON object; omitted when it
   * started from a fresh proposer), recorded with the proposal's trial number as the study's
   * {@linkcode StudyRecord.proposerStateOrigin}.
   */
  proposerStateBase?: Record<string, unknown>;
  /**
   * With `proposal`: the numbers of the lost trials whose proposals it is made as if they had
   * never been, added to the study's {@linkcode StudyRecord.undoneProposals} in the transaction
   * that records the proposal (and only then).
   */
  undone?: readonly number[];
  /**
   * With `proposal`: the undone trial (in `undone` or the study's
   * {@linkcode StudyRecord.undoneProposals}) whose proposal it makes again, recorded with the new
   * trial's number in the study's {@linkcode StudyRecord.redoneProposals} in the transaction that
   * records the proposal. When another proposal made it again meanwhile, the claim is `stale` and
   * records nothing; a trial that is no undone proposal of the study is a `RangeError`.
   */
  redoes?: number;
  /** The time in ms (default: the server's clock on PostgreSQL, this machine's on SQLite). */
  now?: number;
}

/** What {@linkcode Storage.claim} returns. */
export type ClaimResult =
  | { kind: "trial"; trial: StoredTrial; proposalUsed: boolean }
  | { kind: "propose"; seq: number }
  | { kind: "stale" }
  | { kind: "wait" }
  | { kind: "done" };

/** A trial as its worker claimed it, for {@linkcode Storage.finish} to check it still is. */
export interface ClaimedTrial {
  /** Its configuration, as claimed. */
  params: Record<string, unknown>;
  /** Its {@linkcode StoredTrial.attempts} when claimed (not compared when absent). */
  attempts?: number;
}

/** How a trial ended, for {@linkcode Storage.finish}. */
export type FinishedOutcome =
  | { status: "complete"; value: number; seconds?: number }
  | { status: "failed"; error: string; seconds?: number };

/**
 * The contract every study storage implements (`openStorage` returns the built-in ones; a storage
 * of your own can be passed as the `storage` option of `createStudy`, `loadStudy` or `minimize`).
 *
 * Errors: a method reports the storage's own failure (unreachable server, a full disk, a failed
 * query) as a {@linkcode StorageError} naming the storage, and a trial its worker can no longer
 * tell as a {@linkcode TrialLostError}, as documented per method; a bad argument of the caller's
 * is a `TypeError` or `RangeError` where a method says so. The built-in storages check every
 * argument that is cheap to check (a study name is a string, a study id a positive integer, a
 * trial number an integer ≥ 0, a worker id a non-empty string) before they touch the database:
 * `deleteStudy(1)` throws `TypeError: deleteStudy.name: must be a string, got 1`. A stored
 * study wraps any other error that a method throws (an `Error("disk full")`, a thrown string),
 * and a `TypeError` or
 * `RangeError` of a method that takes no caller's values (`getStudy`, `trialsSince`, `claim`,
 * `release`, `heartbeat`, `resetProposerState`, `close`), in a `StorageError` naming the storage
 * and the method, the original as its `cause`: stored `minimize` then rejects with it as with a
 * built-in storage's failure, not as a failure of the proposer.
 */
export interface Storage {
  /** The storage URL (password removed). */
  readonly url: string;
  /** Which backend. */
  readonly kind: "memory" | "sqlite" | "postgres";
  /**
   * Creates a study with its first waiting trials; with `loadIfExists`, returns the existing one
   * unchanged instead (`created` false); otherwise an existing name is an error.
   */
  createStudy(
    study: NewStudy,
    initialTrials: readonly NewTrial[],
    options?: { loadIfExists?: boolean },
  ): Promise<{ study: StudyRecord; created: boolean }>;
  /** The study of this name, if any. */
  getStudy(name: string): Promise<StudyRecord | undefined>;
  /**
   * All studies with trial counts and best values, by creation, read in one snapshot (a read
   * transaction: counts and records agree while workers write).
   */
  listStudies(): Promise<StudySummary[]>;
  /**
   * The study of this name and all its trials (by number), read in one snapshot (a read
   * transaction, which takes no lock): the record's `seq` and `finished` agree with the trials
   * while workers write, as an export needs. Undefined when there is no such study.
   */
  studySnapshot(name: string): Promise<{ study: StudyRecord; trials: StoredTrial[] } | undefined>;
  /** Deletes a study and its trials; false when there was none. */
  deleteStudy(name: string): Promise<boolean>;
  /** Records the study's meta-features (replacing earlier ones). */
  setMetaFeatures(studyId: number, metaFeatures: Record<string, number>): Promise<void>;
  /**
   * Sets a user attribute of the study: a JSON value (finite numbers, strings, booleans, null,
   * arrays and plain objects of them); anything else is a TypeError naming its path.
   */
  setUserAttr(studyId: number, key: string, value: unknown): Promise<void>;
  /** Sets a user attribute of a trial (a JSON value, as for `setUserAttr`). */
  setTrialUserAttr(studyId: number, number: number, key: string, value: unknown): Promise<void>;
  /**
   * Clears the study's {@linkcode StudyRecord.proposerState} and its
   * {@linkcode StudyRecord.proposerStateOrigin} (nothing else): the next proposal starts from a
   * fresh proposer.
   */
  resetProposerState(studyId: number): Promise<void>;
  /** Trials changed after change `seq` (all with 0), by number, and the study's current `seq`. */
  trialsSince(studyId: number, seq: number): Promise<{ trials: StoredTrial[]; seq: number }>;
  /**
   * Appends trials, returning them: waiting ones (asked before any new proposal), or complete
   * ones with their {@linkcode NewTrial.value}. `options.limits`: for each trial, how many trials
   * that are not lost ({@linkcode StoredTrial.lost}) may hold its configuration, itself included
   * (in pool mode: how many times the pool lists it); checked in the transaction that adds them,
   * once it holds the study's write lock, so that two handles adding the same configuration at
   * once cannot both succeed: a configuration held by that many trials already is a `RangeError`
   * naming it and them, and nothing is added.
   */
  addTrials(
    studyId: number,
    trials: readonly NewTrial[],
    options?: { limits?: readonly number[] },
  ): Promise<StoredTrial[]>;
  /**
   * One atomic step of a worker; see {@linkcode ClaimResult}. A waiting trial is handed out before
   * any new proposal, as `SMBO` asks: first the queue (enqueued trials, and trials queued again
   * after their worker was lost), then the initial design's other waiting trials, each by number.
   */
  claim(studyId: number, request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Hands back trials that `worker` claimed and will not run (a stored study's `ask(q)` that
   * could not claim all `q` of them claims none), in one transaction: each of `trials` (numbers
   * and {@linkcode StoredTrial.attempts}, as the worker claimed them) that still runs on `worker`
   * in that attempt is `waiting` again, without worker, start time or heart-beat, as before it was
   * claimed; the next claim, by any worker, hands it out (a new proposal's trial too, with its
   * configuration: in pool mode it keeps its candidate, and the study's proposals, their random
   * streams and recorded proposer state stand as they are). Nothing is counted: the trial is not
   * finished, not lost, and its {@linkcode StoredTrial.attempts} stays (the next claim is another
   * attempt). A trial that no longer runs on `worker` in that attempt (given up when its lease
   * expired, or failed with {@linkcode Storage.failTrial}) is left as it is. Returns the trials
   * handed back, as they now are, by number.
   */
  release(
    studyId: number,
    worker: string,
    trials: readonly { number: number; attempts: number }[],
  ): Promise<StoredTrial[]>;
  /**
   * Tells a running trial of `worker`; throws {@linkcode TrialLostError} when it is not. Given
   * `claimed`, the trial as the worker claimed it (its configuration and attempt), the trial must
   * still be that one: a trial that no longer exists, or whose number now holds another
   * configuration or attempt (a claim lost in a database crash, its number given again), is a
   * {@linkcode TrialLostError} too, and nothing changes; so a value is never recorded against
   * another configuration than the one it was measured on.
   */
  finish(
    studyId: number,
    number: number,
    worker: string,
    outcome: FinishedOutcome,
    claimed?: ClaimedTrial,
  ): Promise<StoredTrial>;
  /**
   * Fails a `running` trial of any worker, or a `waiting` one, with `reason` as its error (kept
   * exactly), in one transaction: any process can end a trial whose objective hangs, or whose
   * trial object was lost, in a worker that is still alive and heart-beating (as Optuna's
   * `study.tell(number, state=FAIL)`). The trial is an ordinary failed trial, not a
   * {@linkcode StoredTrial.lost | lost} one: it counts in {@linkcode StudyRecord.finished} (the
   * budget) and keeps its worker, attempts and start time. Its worker's later `finish` throws
   * {@linkcode TrialLostError} naming the reason, and its heart-beats no longer touch it. An
   * unknown number is a `RangeError`; a trial already complete or failed is a
   * {@linkcode TrialLostError} naming its state, and nothing changes.
   */
  failTrial(studyId: number, number: number, reason: string): Promise<StoredTrial>;
  /**
   * Marks the worker's running trials as alive now (`now` defaults to the storage's clock); given
   * `trials` (numbers and {@linkcode StoredTrial.attempts}, as the worker claimed them), only
   * those of them that still run on `worker` in that attempt: a process that reuses a worker id
   * (an explicit `worker` name, after a crash) then keeps only its own trials alive, not those
   * the crashed one left.
   */
  heartbeat(
    studyId: number,
    worker: string,
    now?: number,
    trials?: readonly { number: number; attempts: number }[],
  ): Promise<void>;
  /** Closes connections; the storage cannot be used afterwards. */
  close(): Promise<void>;
}

/** Options of {@linkcode openStorage}. */
export interface OpenStorageOptions {
  /** SQLite: how long a write waits for another process's lock (default 30,000 ms). */
  busyTimeoutMs?: number;
  /** PostgreSQL: most connections in the pool (default 4). */
  maxConnections?: number;
  /** PostgreSQL: seconds to wait for a connection to the server (default 10). */
  connectTimeoutSeconds?: number;
  /**
   * PostgreSQL: seconds a transaction may stay idle between two of its statements (its process
   * stopped, or its event loop blocked) before the server ends it (default 10), so that a frozen
   * worker does not stall the others, which wait for the study's row lock it holds; the
   * transaction so ended commits nothing and, once its process goes on, runs again.
   */
  idleInTransactionTimeoutSeconds?: number;
  /**
   * Create the storage when it does not exist (default true). With false, only an existing one
   * opens: a missing SQLite file, a missing PostgreSQL `?schema=` or a database without metahpo's
   * tables is a {@linkcode StorageError}, and nothing is created or changed (a SQLite file that
   * is not a metahpo storage keeps its journal mode and size). (`memory:` is always new.)
   */
  create?: boolean;
  /**
   * Open an existing storage read-only (default false; implies `create: false`): reading works
   * on a file (or in a directory) that cannot be written, and nothing is changed — not even the
   * schema of an older metahpo, which is read as it is. Every write is a
   * {@linkcode StorageError}. SQLite opens the file read-only; PostgreSQL sessions are read-only
   * (`default_transaction_read_only`). `deno task studies` lists and exports this way.
   */
  readOnly?: boolean;
}

/**
 * The options of {@linkcode openStorage}, strict as `createStudy`'s: an unknown key is an error
 * naming it, and a malformed one (a negative `busyTimeoutMs`) is an error naming it too.
 */
const openStorageOptionsSchema = z.strictObject({
  busyTimeoutMs: nonNegativeIntSchema.optional(),
  maxConnections: positiveIntSchema.optional(),
  connectTimeoutSeconds: positiveSecondsSchema.optional(),
  idleInTransactionTimeoutSeconds: positiveSecondsSchema.optional(),
  create: z.boolean({ error: "must be a boolean" }).optional(),
  readOnly: z.boolean({ error: "must be a boolean" }).optional(),
});

/**
 * Opens a storage from its URL (default `memory:`), creating (unless `options.create` is false)
 * or migrating its schema (unless `options.readOnly`). Options are strict: an unknown key (a
 * misspelt `readOnly`) is a `TypeError` naming it, before anything is opened or created. Other
 * errors are {@linkcode StorageError}s naming the storage: unreachable server, locked, corrupt or
 * read-only file, schema newer than this metahpo, no storage with `create: false`. SQLite URLs:
 * `sqlite:<path>` takes the path as written (`sqlite:tune.db` is `./tune.db`,
 * `sqlite:/data/tune.db` is absolute); a URL starting with `sqlite://` is read as SQLAlchemy (and
 * so Optuna) reads it: `sqlite:///tune.db` is `./tune.db`, `sqlite:////data/tune.db` is
 * `/data/tune.db`.
 *
 * @example
 * ```ts
 * import { openStorage } from "./storage.ts";
 * const storage = await openStorage("memory:");
 * const { study } = await storage.createStudy(
 *   { name: "demo", space: null, settings: {} },
 *   [{ params: { x: 1 }, source: "enqueued" }],
 * );
 * (await storage.trialsSince(study.id, 0)).trials.length; // 1
 * await storage.close();
 * ```
 */
export async function openStorage(
  url = "memory:",
  options: OpenStorageOptions = {},
): Promise<Storage> {
  if (typeof url !== "string") throw new TypeError("openStorage.url: must be a string");
  // Before anything is opened or created: a misspelt `readOnly` must not open read-write.
  parseOrThrow(openStorageOptionsSchema, options, "openStorage options");
  const readOnly = options.readOnly === true;
  const label = redactUrl(url);
  let driver: SqlDriver;
  let kind: Storage["kind"];
  if (url === "memory:" || url === "memory") {
    driver = openSqlite(":memory:", "memory:", options);
    kind = "memory";
  } else if (url.startsWith("sqlite:")) {
    const path = sqlitePath(url, label);
    if (path === "" || path === ":memory:") {
      throw new StorageError(
        label,
        "needs a file path (sqlite:<path> or sqlite:///<path>; memory: for in-memory)",
      );
    }
    checkSqliteReading(url, path, label, !readOnly && options.create !== false);
    driver = openSqlite(path, label, { ...options, create: !readOnly && options.create });
    kind = "sqlite";
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgres } = await import("./postgres.ts");
    driver = await openPostgres(url, label, options);
    kind = "postgres";
  } else {
    throw new TypeError(
      `openStorage: unknown storage URL ${JSON.stringify(label)}; expected memory:, ` +
        "sqlite:<path> or postgres://user@host:port/db",
    );
  }
  try {
    await migrate(driver, {
      create: kind === "memory" || (options.create !== false && !readOnly),
      readOnly: readOnly && kind !== "memory",
    });
  } catch (error) {
    await driver.close().catch(() => {});
    throw error;
  }
  return new SqlStorage(driver, label, kind);
}

/**
 * @internal The file path of a `sqlite:` URL: `sqlite:<path>` as written; `sqlite://` URLs as
 * SQLAlchemy reads them (`sqlite:///relative.db`, `sqlite:////absolute.db`; no host, else a
 * {@linkcode StorageError} naming `label`). The one reading of these URLs (`openStorage`, the
 * studies command).
 */
export function sqlitePath(url: string, label: string): string {
  const rest = url.slice("sqlite:".length);
  if (!rest.startsWith("//")) return rest;
  const afterSlashes = rest.slice(2);
  if (afterSlashes !== "" && !afterSlashes.startsWith("/")) {
    throw new StorageError(
      label,
      "sqlite:// URLs take no host: write sqlite:///relative/path.db or " +
        "sqlite:////absolute/path.db (SQLAlchemy's form), or sqlite:<path>",
    );
  }
  return afterSlashes.slice(1);
}

/**
 * Metahpo versions before SQLAlchemy's reading of `sqlite://` URLs read `sqlite:///X` (three
 * slashes) as the absolute `/X`, now `./X`: opening such a URL where `./X` does not exist while
 * `/X` holds a metahpo storage is a `StorageError` naming both files and the URL of each, so that
 * a rerun after an upgrade never starts a study over beside the one it resumes (`create`: the open
 * would create `./X`), and a listing says where the studies are.
 */
function checkSqliteReading(url: string, path: string, label: string, create: boolean): void {
  if (!/^sqlite:\/\/\/[^/]/.test(url) || existsSync(path)) return;
  const earlier = `/${path}`;
  if (!holdsStorage(earlier)) return;
  throw new StorageError(
    label,
    `the URL names the relative path ${resolve(path)}, which does not exist${
      create ? " (it would be created, empty)" : ""
    }, while ${earlier} holds a metahpo ` +
      "storage (metahpo versions before SQLAlchemy's reading of sqlite:// URLs read three " +
      `slashes as an absolute path): write sqlite:////${path} (four slashes) or sqlite:${earlier} ` +
      `for ${earlier}, or sqlite:${path} for a new storage at ${resolve(path)}; nothing was ` +
      "created",
  );
}

/**
 * A worker id: `host/pid/random`. The storage recognises a dead worker of its own host by its
 * pid and gives its trials up at once instead of after a lease.
 *
 * @example
 * ```ts
 * import { workerId } from "./storage.ts";
 * workerId(); // e.g. "my-host/12345/3f2a9c1e"
 * ```
 */
export function workerId(): string {
  return `${hostName()}/${Deno.pid}/${crypto.randomUUID().slice(0, 8)}`;
}

/** This host's name, or `unknown-host` without `--allow-sys` (never prompts). */
function hostName(): string {
  const permission = Deno.permissions.querySync({ name: "sys", kind: "hostname" });
  return permission.state === "granted" ? Deno.hostname() : "unknown-host";
}

/**
 * @internal Whether a worker id names a process of this host that no longer runs (a claim gives
 * its running trials up at once; a stored study's `remaining` counts them as that claim leaves
 * them).
 */
export function deadLocalWorker(worker: string | null | undefined): boolean {
  if (!worker) return false;
  const [host, pidText] = worker.split("/");
  const pid = Number(pidText);
  if (
    host === "unknown-host" || host !== hostName() || !Number.isInteger(pid) || pid <= 0 ||
    pid === Deno.pid
  ) {
    return false;
  }
  // Signalling needs --allow-run; without it (never prompt mid-study) the lease decides alone.
  if (Deno.permissions.querySync({ name: "run" }).state !== "granted") return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "ESRCH";
  }
}

/**
 * Study attribute keys that start with U+FDD0 (a noncharacter, reserved for internal use) hold
 * metahpo's own state, not user attributes: `setUserAttr` refuses them and `userAttrs` leaves
 * them out.
 */
const INTERNAL_ATTR = "\uFDD0";

/** The study attribute that holds {@linkcode StudyRecord.proposerState}. */
const PROPOSER_STATE_ATTR = `${INTERNAL_ATTR}proposer-state`;

/**
 * The study attribute that holds {@linkcode StudyRecord.proposerStateOrigin}, as JSON
 * `{"trial": number, "base": state or null}`.
 */
const PROPOSER_ORIGIN_ATTR = `${INTERNAL_ATTR}proposer-state-origin`;

/** The study attribute that holds {@linkcode StudyRecord.undoneProposals}, as a JSON array. */
const UNDONE_ATTR = `${INTERNAL_ATTR}undone-proposals`;

const undoneSchema = z.array(nonNegativeIntSchema);

const heartbeatTrialsSchema = z.array(
  z.object({ number: nonNegativeIntSchema, attempts: nonNegativeIntSchema }),
);

/**
 * The fields of a {@linkcode NewTrial}, and no others: a misspelt or unknown field (`valu`,
 * `status`, `error`) is a `TypeError` naming it, rather than a trial stored `waiting`. The values
 * are checked where they are written (`params` as JSON, `value` a finite number); `source` is a
 * `TrialSource`.
 */
const newTrialShape = {
  params: z.unknown(),
  source: z.enum(["enqueued", "initial", "model", "random"]),
  value: z.unknown().optional(),
};
const newTrialsSchema = z.array(z.strictObject(newTrialShape));
const proposalSchema = z.strictObject({ ...newTrialShape, basedOnSeq: z.unknown() });

/**
 * A study name to look up (`getStudy`, `studySnapshot`, `deleteStudy`): any string, as a
 * database written by an earlier metahpo may hold a name that {@linkcode storedNameSchema}
 * refuses (one with a NUL character); anything else is a `TypeError` naming `label`.
 */
function checkLookupName(name: unknown, label: string): string {
  if (typeof name !== "string") {
    throw new TypeError(`${label}: must be a string, got ${describeValue(name)}`);
  }
  return name;
}

/** A study's {@linkcode StudyRecord.id} (a positive integer), or a `TypeError` naming `label`. */
function checkStudyId(studyId: unknown, label: string): number {
  if (typeof studyId !== "number" || !Number.isSafeInteger(studyId) || studyId < 1) {
    throw new TypeError(
      `${label}: must be a study id (a positive integer), got ${describeValue(studyId)}`,
    );
  }
  return studyId;
}

/** The trial numbers an undone-proposals attribute holds (none for text of another form). */
function undoneProposals(text: string | undefined): number[] {
  if (text === undefined) return [];
  try {
    const parsed = undoneSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * The study attribute that holds {@linkcode StudyRecord.redoneProposals}, as a JSON object (an
 * undone trial's number → the number of the trial that made its proposal again, or null).
 */
const REDONE_ATTR = `${INTERNAL_ATTR}redone-proposals`;

const redoneSchema = z.record(
  z.string().regex(/^(0|[1-9][0-9]*)$/),
  z.union([nonNegativeIntSchema, z.null()]),
);

/**
 * The {@linkcode StudyRecord.redoneProposals} a redone-proposals attribute holds, given the
 * study's undone proposals. Without the attribute (an earlier metahpo undid them, and made each
 * of them again at once without recording it), or with text of another form, every undone
 * proposal counts as made again, by an unrecorded trial (null).
 */
function redoneProposals(
  text: string | undefined,
  undone: readonly number[],
): Record<number, number | null> {
  if (text !== undefined) {
    try {
      const parsed = redoneSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch { /* of another form: as absent */ }
  }
  return Object.fromEntries(undone.map((n) => [n, null]));
}

/**
 * The {@linkcode StudyRecord.proposerStateOrigin} an origin attribute holds; undefined for text
 * not of the form `claim` writes (only metahpo writes it: such text is left unused, as a study
 * without an origin, rather than making the study unreadable).
 */
function proposerStateOrigin(text: string): StudyRecord["proposerStateOrigin"] {
  let origin: unknown;
  try {
    origin = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(origin) || !Number.isInteger(origin.trial)) return undefined;
  const base = origin.base;
  if (base !== null && !isJsonObject(base)) return undefined;
  return {
    trial: origin.trial as number,
    ...(base === null ? {} : { base: JSON.stringify(base) }),
  };
}

function paramsKey(params: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJSON(params)).digest("hex");
}

function num(v: unknown): number {
  return typeof v === "number" ? v : Number(v);
}

function optNum(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : num(v);
}

function metaFeaturesToJSON(metaFeatures: Record<string, number>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(metaFeatures).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
    ),
  );
}

function metaFeaturesFromJSON(text: unknown): Record<string, number> | undefined {
  if (text === null || text === undefined) return undefined;
  const parsed = JSON.parse(String(text)) as Record<string, number | null>;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v ?? NaN]));
}

function jsonValue(label: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${label}: must be a JSON value`);
  return text;
}

/**
 * @internal Whether `value` has the shape of a JSON object, as a stored study keeps a proposer's
 * state (`Proposer.saveState`): an object that is neither null nor an array. Its prototype and
 * values are not looked at ({@linkcode checkJsonValue} does that).
 *
 * @example
 * ```ts
 * import { isJsonObject } from "./storage.ts";
 * isJsonObject({ bayesOpt: { fits: 2 } }); // true
 * isJsonObject([1, 2]); // false
 * isJsonObject(null); // false
 * ```
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * @internal Throws a `TypeError` naming the path (`label.key[1]`, e.g. `userAttrs.arr[1]`) unless
 * `value` is a JSON value that reads back as it was written: finite numbers, strings, booleans,
 * null, arrays and plain objects of them, without cycles. NaN, ±Infinity, undefined, BigInt,
 * functions, symbols, cycles and objects of other classes (a Date, a Map, a typed array), which
 * `JSON.stringify` would drop, turn into null or something else, or refuse with an unnamed error,
 * are refused.
 */
export function checkJsonValue(value: unknown, label: string): void {
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string): void => {
    const bad = (got: string): never => {
      throw new TypeError(
        `${path}: must be a JSON value (finite number, string, boolean, null, array or ` +
          `object), got ${got}`,
      );
    };
    switch (typeof v) {
      case "string":
      case "boolean":
        return;
      case "number":
        if (!Number.isFinite(v)) bad(String(v));
        return;
      case "bigint":
        return bad(`a BigInt (${v}n)`);
      case "undefined":
        return bad("undefined");
      case "function":
        return bad("a function");
      case "symbol":
        return bad("a symbol");
    }
    if (v === null) return;
    const object = v as Record<string, unknown>;
    if (ancestors.has(object)) bad("a circular reference");
    if (Array.isArray(object)) {
      ancestors.add(object);
      for (let i = 0; i < object.length; i++) visit(object[i], `${path}[${i}]`);
    } else {
      const proto = Object.getPrototypeOf(object);
      if (proto !== Object.prototype && proto !== null) {
        bad(`a ${proto?.constructor?.name || "object of a class"}`);
      }
      ancestors.add(object);
      for (const key of Object.keys(object)) visit(object[key], `${path}.${key}`);
    }
    ancestors.delete(object);
  };
  visit(value, label);
}

/**
 * Marks an error text stored with its NUL characters escaped. PostgreSQL's text cannot hold NUL
 * (U+0000), and `node:sqlite` reads a text only up to its first NUL; so a text that contains one
 * (or starts with this mark) is stored, on every backend, as the mark followed by the text with
 * `\` doubled and NUL written `\0`. Other texts are stored as they are, so that texts written
 * before read unchanged. U+FDD0 is a noncharacter, reserved for such internal use.
 */
const NUL_ESCAPED = "\uFDD0nul-escaped:";

/** An error text as stored (see {@linkcode NUL_ESCAPED}). */
function escapeNul(text: string): string {
  if (!text.includes("\0") && !text.startsWith(NUL_ESCAPED)) return text;
  return NUL_ESCAPED + text.replace(/[\\\0]/g, (c) => c === "\0" ? "\\0" : "\\\\");
}

/** The error text that {@linkcode escapeNul} stored. */
function unescapeNul(text: string): string {
  if (!text.startsWith(NUL_ESCAPED)) return text;
  return text.slice(NUL_ESCAPED.length).replace(/\\([\\0])/g, (_, c) => c === "0" ? "\0" : "\\");
}

const utf8 = new TextDecoder();

/**
 * A text column as read: on SQLite it is selected as a BLOB (see {@linkcode textColumn}) and
 * decoded here, so that a NUL in a text written by an older metahpo does not cut it short.
 */
function columnText(value: unknown): string {
  return value instanceof Uint8Array ? utf8.decode(value) : String(value);
}

/** How to select a text column exactly: `node:sqlite` would stop reading a TEXT at a NUL. */
function textColumn(dialect: SqlDriver["dialect"], column: string): string {
  return dialect === "sqlite" ? `CAST(${column} AS BLOB) AS ${column}` : column;
}

/** How many studies' settings texts a storage keeps to recognise them unchanged (`#studyRow`). */
const SETTINGS_KEPT = 16;

/** Why a running trial's worker is taken to be gone, or undefined while it is alive. */
function lostReason(row: Row, now: number, leaseMs: number): string | undefined {
  const beat = optNum(row.heartbeat) ?? 0;
  const worker = row.worker === null ? "unknown" : String(row.worker);
  if (now - beat > leaseMs) {
    return `worker ${worker} stopped heart-beating (last beat ${
      ((now - beat) / 1000).toFixed(1)
    } s ago, lease ${(leaseMs / 1000).toFixed(1)} s)`;
  }
  if (deadLocalWorker(worker)) {
    return `worker ${worker} is no longer running (its process has exited)`;
  }
  return undefined;
}

/** The columns of a trial that {@linkcode toTrial} reads. */
function trialColumns(dialect: SqlDriver["dialect"]): string {
  return `number, status, params, value, ${textColumn(dialect, "error")}, source, seconds, ` +
    "worker, lost, attempts, user_attrs, created_at, started_at, finished_at, heartbeat, seq";
}

function toTrial(row: Row): StoredTrial {
  const trial: StoredTrial = {
    number: num(row.number),
    status: row.status as StoredTrialStatus,
    params: JSON.parse(String(row.params)),
    source: row.source as TrialSource,
    lost: num(row.lost) === 1,
    attempts: num(row.attempts),
    userAttrs: JSON.parse(String(row.user_attrs)),
    createdAt: num(row.created_at),
    seq: num(row.seq),
  };
  if (row.value !== null && row.value !== undefined) trial.value = num(row.value);
  if (row.error !== null && row.error !== undefined) {
    trial.error = unescapeNul(columnText(row.error));
  }
  if (row.seconds !== null && row.seconds !== undefined) trial.seconds = num(row.seconds);
  if (row.worker !== null && row.worker !== undefined) trial.worker = String(row.worker);
  trial.startedAt = optNum(row.started_at);
  trial.finishedAt = optNum(row.finished_at);
  trial.heartbeat = optNum(row.heartbeat);
  for (const key of ["startedAt", "finishedAt", "heartbeat"] as const) {
    if (trial[key] === undefined) delete trial[key];
  }
  return trial;
}

class SqlStorage implements Storage {
  readonly url: string;
  readonly kind: Storage["kind"];
  readonly #driver: SqlDriver;
  /**
   * The time leases are measured on, in ms since the epoch: the server's clock on PostgreSQL
   * (workers on several machines need not agree on the time), this machine's for SQLite.
   */
  readonly #clock: string;
  /** The columns of a trial (see {@linkcode trialColumns}). */
  readonly #trialColumns: string;
  /**
   * The settings text of the studies last read and parsed (see `#studyRow`), at most
   * `SETTINGS_KEPT` of them, most recent last: the same text read again is known to parse, and is
   * parsed only when its record's `settings` is read.
   */
  readonly #settingsRead = new Map<number, string>();

  constructor(driver: SqlDriver, url: string, kind: Storage["kind"]) {
    this.#driver = driver;
    this.#trialColumns = trialColumns(driver.dialect);
    this.#clock = driver.dialect === "postgres"
      ? "round(extract(epoch from clock_timestamp()) * 1000)::float8"
      : "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
    this.url = url;
    this.kind = kind;
  }

  async #bump(tx: SqlTransaction, studyId: number, now = Date.now()): Promise<number> {
    const rows = await tx.query(
      "UPDATE metahpo_studies SET seq = seq + 1, updated_at = ? WHERE id = ? RETURNING seq",
      [now, studyId],
    );
    if (rows.length === 0) {
      throw new StorageError(this.url, `no study with id ${studyId} (was it deleted?)`);
    }
    return num(rows[0].seq);
  }

  /** The study of this name (or, given `{ id }`, of this id). */
  async #studyRow(
    q: SqlTransaction | SqlDriver,
    name: string | { id: number },
  ): Promise<StudyRecord | undefined> {
    const dialect = this.#driver.dialect;
    // PostgreSQL's text holds no NUL character: no study there has such a name (SQLite may
    // hold one an earlier version stored), and the query would fail on the parameter.
    if (typeof name === "string" && dialect === "postgres" && name.includes("\u0000")) {
      return undefined;
    }
    const rows = await q.query(
      `SELECT id, ${textColumn(dialect, "name")}, direction, space, settings, meta_features, ` +
        "created_at, updated_at, seq, finished FROM metahpo_studies WHERE " +
        (typeof name === "string" ? "name = ?" : "id = ?"),
      [typeof name === "string" ? name : name.id],
    );
    if (rows.length === 0) return undefined;
    const row = rows[0];
    const attrs = await q.query(
      `SELECT ${textColumn(dialect, "key")}, value FROM metahpo_study_attrs WHERE study_id = ? ` +
        "ORDER BY key",
      [num(row.id)],
    );
    const keyed = attrs.map((a) => ({ key: columnText(a.key), value: a.value }));
    const userAttrs = keyed.filter((a) => !a.key.startsWith(INTERNAL_ATTR));
    const proposerState = keyed.find((a) => a.key === PROPOSER_STATE_ATTR);
    const origin = keyed.find((a) => a.key === PROPOSER_ORIGIN_ATTR);
    const undone = keyed.find((a) => a.key === UNDONE_ATTR);
    const redone = keyed.find((a) => a.key === REDONE_ATTR);
    const direction = row.direction;
    if (direction !== "minimize" && direction !== "maximize") {
      throw new StorageError(
        this.url,
        `study ${JSON.stringify(columnText(row.name))}: unknown direction ${
          JSON.stringify(direction)
        } (expected "minimize" or "maximize")`,
      );
    }
    // A study's settings never change, and in pool mode they hold every candidate: a stored
    // study reads its record again after each change (`StoredStudy.refresh`), and never reads its
    // settings again, so the text this storage parsed before is parsed again only when read (a
    // text read for the first time is parsed here, so that an unreadable one fails here).
    const id = num(row.id);
    const text = String(row.settings);
    let parsed: Record<string, unknown> | undefined;
    if (this.#settingsRead.get(id) !== text) parsed = JSON.parse(text);
    // Kept for the studies read most recently (a listing of many pool studies keeps a few texts).
    this.#settingsRead.delete(id);
    this.#settingsRead.set(id, text);
    if (this.#settingsRead.size > SETTINGS_KEPT) {
      this.#settingsRead.delete(this.#settingsRead.keys().next().value!);
    }
    const study: StudyRecord = {
      id,
      name: columnText(row.name),
      direction,
      space: row.space === null ? null : JSON.parse(String(row.space)),
      get settings(): Record<string, unknown> {
        return parsed ??= JSON.parse(text);
      },
      set settings(value: Record<string, unknown>) {
        parsed = value;
      },
      userAttrs: Object.fromEntries(
        userAttrs.map((a) => [a.key, JSON.parse(String(a.value))]),
      ),
      createdAt: num(row.created_at),
      updatedAt: num(row.updated_at),
      seq: num(row.seq),
      finished: num(row.finished),
    };
    const metaFeatures = metaFeaturesFromJSON(row.meta_features);
    if (metaFeatures) study.metaFeatures = metaFeatures;
    if (proposerState) {
      study.proposerState = columnText(proposerState.value);
      const from = origin && proposerStateOrigin(columnText(origin.value));
      if (from) study.proposerStateOrigin = from;
    }
    const undoneNumbers = undoneProposals(undone && columnText(undone.value));
    if (undoneNumbers.length > 0) study.undoneProposals = undoneNumbers;
    const redoneBy = redoneProposals(redone && columnText(redone.value), undoneNumbers);
    if (Object.keys(redoneBy).length > 0) study.redoneProposals = redoneBy;
    return study;
  }

  async #insertTrials(
    tx: SqlTransaction,
    studyId: number,
    seq: number,
    trials: readonly NewTrial[],
    now: number,
  ): Promise<StoredTrial[]> {
    const rows = await tx.query(
      "SELECT max(number) AS n FROM metahpo_trials WHERE study_id = ?",
      [studyId],
    );
    let next = rows[0].n === null || rows[0].n === undefined ? 0 : num(rows[0].n) + 1;
    const out: StoredTrial[] = [];
    let complete = 0;
    for (const trial of trials) {
      const value = trial.value;
      if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
        throw new TypeError(`trials[${out.length}].value: must be a finite number, got ${value}`);
      }
      if (value !== undefined) complete++;
      const inserted = await tx.query(
        "INSERT INTO metahpo_trials (study_id, number, status, params, params_key, value, " +
          "source, created_at, finished_at, created_seq, seq) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
          `RETURNING ${this.#trialColumns}`,
        [
          studyId,
          next++,
          value === undefined ? "waiting" : "complete",
          jsonValue("params", trial.params),
          paramsKey(trial.params),
          value ?? null,
          trial.source,
          now,
          value === undefined ? null : now,
          seq,
          seq,
        ],
      );
      out.push(toTrial(inserted[0]));
    }
    if (complete > 0) {
      await tx.query("UPDATE metahpo_studies SET finished = finished + ? WHERE id = ?", [
        complete,
        studyId,
      ]);
    }
    return out;
  }

  async createStudy(
    study: NewStudy,
    initialTrials: readonly NewTrial[],
    options: { loadIfExists?: boolean } = {},
  ): Promise<{ study: StudyRecord; created: boolean }> {
    parseOrThrow(storedNameSchema, study?.name, "createStudy.name");
    const direction = checkDirection(study.direction, "createStudy.direction");
    parseOrThrow(newTrialsSchema, initialTrials, "createStudy.initialTrials");
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.#driver.transaction(async (tx) => {
        const existing = await this.#studyRow(tx, study.name);
        if (existing) {
          if (!options.loadIfExists) {
            throw new StorageError(
              this.url,
              `study ${JSON.stringify(study.name)} already exists (load it, or pass loadIfExists)`,
            );
          }
          return { study: existing, created: false };
        }
        const now = Date.now();
        // SQLite would give the largest id in use + 1, the id of a deleted study whose handle
        // may still be open: the counter gives one never given before (see schema.ts).
        const id = this.#driver.dialect === "sqlite" ? await this.#newStudyId(tx) : undefined;
        const inserted = await tx.query(
          `INSERT INTO metahpo_studies (${id === undefined ? "" : "id, "}name, direction, ` +
            "space, settings, meta_features, created_at, updated_at, seq) VALUES " +
            `(${id === undefined ? "" : "?, "}?, ?, ?, ?, ?, ?, ?, 1) ` +
            "ON CONFLICT (name) DO NOTHING RETURNING id",
          [
            ...(id === undefined ? [] : [id]),
            study.name,
            direction,
            study.space === null || study.space === undefined
              ? null
              : jsonValue("space", study.space),
            jsonValue("settings", study.settings),
            study.metaFeatures ? metaFeaturesToJSON(study.metaFeatures) : null,
            now,
            now,
          ],
        );
        if (inserted.length === 0) return undefined; // created concurrently: read it again
        await this.#insertTrials(tx, num(inserted[0].id), 1, initialTrials, now);
        return { study: (await this.#studyRow(tx, study.name))!, created: true };
      });
      if (result) return result;
    }
    throw new StorageError(this.url, `could not create study ${JSON.stringify(study.name)}`);
  }

  /**
   * SQLite: a study id never given before, from the `study_id` counter (also past any id a
   * process of an older metahpo may have inserted without it).
   */
  async #newStudyId(tx: SqlTransaction): Promise<number> {
    const rows = await tx.query(
      "UPDATE metahpo_counters SET value = max(value, (SELECT coalesce(max(id), 0) FROM " +
        "metahpo_studies)) + 1 WHERE name = 'study_id' RETURNING value",
    );
    if (rows.length === 0) {
      throw new StorageError(this.url, "the study id counter is missing (metahpo_counters)");
    }
    return num(rows[0].value);
  }

  getStudy(name: string): Promise<StudyRecord | undefined> {
    checkLookupName(name, "getStudy.name");
    return this.#studyRow(this.#driver, name);
  }

  listStudies(): Promise<StudySummary[]> {
    return this.#driver.read((tx) => this.#listStudies(tx));
  }

  async #listStudies(tx: SqlTransaction): Promise<StudySummary[]> {
    const studies = await tx.query("SELECT id FROM metahpo_studies ORDER BY created_at, id");
    const counts = await tx.query(
      "SELECT study_id, status, lost, count(*) AS n, min(value) AS low, max(value) AS high " +
        "FROM metahpo_trials GROUP BY study_id, status, lost",
    );
    const out: StudySummary[] = [];
    for (const { id } of studies) {
      const record = await this.#studyRow(tx, { id: num(id) });
      if (!record) continue;
      const summary: StudySummary = {
        ...record,
        counts: { waiting: 0, running: 0, complete: 0, failed: 0, lost: 0 },
      };
      for (const row of counts) {
        if (num(row.study_id) !== record.id) continue;
        const status = row.status as StoredTrialStatus;
        summary.counts[status] += num(row.n);
        if (num(row.lost) === 1) summary.counts.lost += num(row.n);
        if (status === "complete" && row.low !== null && row.low !== undefined) {
          const [low, high] = [num(row.low), num(row.high)];
          summary.best = isBetter(high, low, record.direction) ? high : low;
        }
      }
      out.push(summary);
    }
    return out;
  }

  studySnapshot(
    name: string,
  ): Promise<{ study: StudyRecord; trials: StoredTrial[] } | undefined> {
    checkLookupName(name, "studySnapshot.name");
    return this.#driver.read(async (tx) => {
      const study = await this.#studyRow(tx, name);
      if (!study) return undefined;
      const rows = await tx.query(
        `SELECT ${this.#trialColumns} FROM metahpo_trials WHERE study_id = ?`,
        [study.id],
      );
      return { study, trials: rows.map(toTrial).sort((a, b) => a.number - b.number) };
    });
  }

  deleteStudy(name: string): Promise<boolean> {
    checkLookupName(name, "deleteStudy.name");
    return this.#driver.transaction(async (tx) => {
      const study = await this.#studyRow(tx, name);
      if (!study) return false;
      await tx.query("DELETE FROM metahpo_study_attrs WHERE study_id = ?", [study.id]);
      await tx.query("DELETE FROM metahpo_trials WHERE study_id = ?", [study.id]);
      await tx.query("DELETE FROM metahpo_studies WHERE id = ?", [study.id]);
      return true;
    });
  }

  setMetaFeatures(studyId: number, metaFeatures: Record<string, number>): Promise<void> {
    checkStudyId(studyId, "setMetaFeatures.studyId");
    return this.#driver.transaction(async (tx) => {
      await this.#bump(tx, studyId);
      await tx.query("UPDATE metahpo_studies SET meta_features = ? WHERE id = ?", [
        metaFeaturesToJSON(metaFeatures),
        studyId,
      ]);
    });
  }

  resetProposerState(studyId: number): Promise<void> {
    checkStudyId(studyId, "resetProposerState.studyId");
    return this.#driver.transaction(async (tx) => {
      await this.#bump(tx, studyId);
      await tx.query("DELETE FROM metahpo_study_attrs WHERE study_id = ? AND key IN (?, ?)", [
        studyId,
        PROPOSER_STATE_ATTR,
        PROPOSER_ORIGIN_ATTR,
      ]);
    });
  }

  setUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    checkStudyId(studyId, "setUserAttr.studyId");
    parseOrThrow(storedNameSchema, key, "setUserAttr.key");
    if (key.startsWith(INTERNAL_ATTR)) {
      throw new TypeError("setUserAttr.key: must not start with U+FDD0 (reserved for metahpo)");
    }
    checkJsonValue(value, `userAttrs.${key}`);
    const text = JSON.stringify(value);
    return this.#driver.transaction(async (tx) => {
      await this.#bump(tx, studyId);
      await tx.query(
        "INSERT INTO metahpo_study_attrs (study_id, key, value) VALUES (?, ?, ?) " +
          "ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value",
        [studyId, key, text],
      );
    });
  }

  setTrialUserAttr(studyId: number, number: number, key: string, value: unknown): Promise<void> {
    checkStudyId(studyId, "setTrialUserAttr.studyId");
    parseOrThrow(nonNegativeIntSchema, number, "setTrialUserAttr.number");
    if (typeof key !== "string") throw new TypeError("setTrialUserAttr.key: must be a string");
    checkJsonValue(value, `trial userAttrs.${key}`);
    return this.#driver.transaction(async (tx) => {
      const seq = await this.#bump(tx, studyId);
      const rows = await tx.query(
        "SELECT user_attrs FROM metahpo_trials WHERE study_id = ? AND number = ?",
        [studyId, number],
      );
      if (rows.length === 0) throw new RangeError(`setTrialUserAttr: no trial ${number}`);
      const attrs = JSON.parse(String(rows[0].user_attrs));
      attrs[key] = value;
      await tx.query(
        "UPDATE metahpo_trials SET user_attrs = ?, seq = ? WHERE study_id = ? AND number = ?",
        [JSON.stringify(attrs), seq, studyId, number],
      );
    });
  }

  async trialsSince(studyId: number, seq: number): Promise<{ trials: StoredTrial[]; seq: number }> {
    checkStudyId(studyId, "trialsSince.studyId");
    parseOrThrow(nonNegativeIntSchema, seq, "trialsSince.seq");
    // The counter first: every change up to it has committed (writers hold the study row until
    // they commit), so nothing at or below it can appear later. Rows changed after it may be
    // read too; they are read again next time, which is harmless.
    const study = await this.#driver.query("SELECT seq FROM metahpo_studies WHERE id = ?", [
      studyId,
    ]);
    if (study.length === 0) {
      throw new StorageError(this.url, `no study with id ${studyId} (was it deleted?)`);
    }
    const rows = await this.#driver.query(
      `SELECT ${this.#trialColumns} FROM metahpo_trials WHERE study_id = ? AND seq > ?`,
      [studyId, seq],
    );
    // Sorted here: an ORDER BY could make the planner scan the primary key instead of `seq`.
    const trials = rows.map(toTrial).sort((a, b) => a.number - b.number);
    return { trials, seq: num(study[0].seq) };
  }

  addTrials(
    studyId: number,
    trials: readonly NewTrial[],
    options: { limits?: readonly number[] } = {},
  ): Promise<StoredTrial[]> {
    checkStudyId(studyId, "addTrials.studyId");
    parseOrThrow(newTrialsSchema, trials, "addTrials.trials");
    const limits = options.limits === undefined
      ? undefined
      : parseOrThrow(z.array(nonNegativeIntSchema), options.limits, "addTrials options.limits");
    if (limits !== undefined && limits.length !== trials.length) {
      throw new RangeError(
        `addTrials options.limits: must have one limit per trial (${trials.length}), got ` +
          `${limits.length}`,
      );
    }
    return this.#driver.transaction(async (tx) => {
      const now = Date.now();
      // The study's write lock first: a concurrent addTrials or claim commits before this reads.
      const seq = await this.#bump(tx, studyId, now);
      if (limits !== undefined) {
        const added = new Map<string, number>();
        for (const [i, trial] of trials.entries()) {
          const key = paramsKey(trial.params);
          const holders = await tx.query(
            "SELECT number, status FROM metahpo_trials WHERE study_id = ? AND params_key = ? " +
              "AND lost = 0 ORDER BY number",
            [studyId, key],
          );
          const held = holders.length + (added.get(key) ?? 0);
          if (held >= limits[i]) {
            const by = holders.map((row) => `trial ${num(row.number)} (${row.status})`);
            if (held > holders.length) by.push("an earlier trial of this call");
            throw new RangeError(
              `addTrials: the configuration ${canonicalJSON(trial.params)} of trials[${i}] is ` +
                `held already by ${by.join(", ")}, and at most ${limits[i]} ` +
                `${limits[i] === 1 ? "trial" : "trials"} that are not lost may hold it`,
            );
          }
          added.set(key, (added.get(key) ?? 0) + 1);
        }
      }
      return await this.#insertTrials(tx, studyId, seq, trials, now);
    });
  }

  /**
   * Without a proposal, most claims only learn that a new configuration is needed: checked with
   * plain reads first, so that this common case costs no write transaction. Anything else (a
   * waiting trial, a lost one, the budget nearly reached) goes through the transaction, which
   * decides; so does every proposal.
   */
  async #needsProposal(studyId: number, request: ClaimRequest): Promise<number | undefined> {
    const study = await this.#driver.query(
      `SELECT seq, finished, ${this.#clock} AS now FROM metahpo_studies WHERE id = ?`,
      [studyId],
    );
    if (study.length === 0) return undefined;
    const now = request.now ?? Math.round(num(study[0].now));
    const running = await this.#driver.query(
      "SELECT number, worker, heartbeat FROM metahpo_trials WHERE study_id = ? AND " +
        "status = 'running'",
      [studyId],
    );
    if (running.some((row) => lostReason(row, now, request.leaseMs) !== undefined)) {
      return undefined;
    }
    if (
      request.budget !== undefined && num(study[0].finished) + running.length >= request.budget
    ) {
      return undefined;
    }
    const waiting = await this.#driver.query(
      "SELECT number FROM metahpo_trials WHERE study_id = ? AND status = 'waiting' LIMIT 1",
      [studyId],
    );
    return waiting.length === 0 ? num(study[0].seq) : undefined;
  }

  async claim(studyId: number, request: ClaimRequest): Promise<ClaimResult> {
    checkStudyId(studyId, "claim.studyId");
    parseOrThrow(storedNameSchema, request?.worker, "claim.worker");
    // What a stored study restores: JSON objects (not arrays, not null).
    const stateText = (state: unknown, field: string): string => {
      if (!isJsonObject(state)) {
        throw new TypeError(
          `claim.${field}: must be a JSON object, got ${
            Array.isArray(state) ? "an array" : state === null ? "null" : typeof state
          }`,
        );
      }
      checkJsonValue(state, `claim.${field}`);
      return JSON.stringify(state);
    };
    let proposerState: string | undefined;
    let proposerStateBase: string | undefined;
    if (request.proposerState !== undefined) {
      proposerState = stateText(request.proposerState, "proposerState");
    }
    if (request.proposerStateBase !== undefined) {
      proposerStateBase = stateText(request.proposerStateBase, "proposerStateBase");
    }
    const undone = request.undone === undefined
      ? []
      : parseOrThrow(undoneSchema, request.undone, "claim.undone");
    const redoes = request.redoes === undefined
      ? undefined
      : parseOrThrow(nonNegativeIntSchema, request.redoes, "claim.redoes");
    if (request.proposal !== undefined) {
      parseOrThrow(proposalSchema, request.proposal, "claim.proposal");
    }
    if (!request.proposal) {
      const seq = await this.#needsProposal(studyId, request);
      if (seq !== undefined) return { kind: "propose", seq };
    }
    return await this.#driver.transaction(async (tx) => {
      // Committed durably (PostgreSQL's default `synchronous_commit`), as every write: a claim
      // acknowledged and then lost in a server crash would give its number to another
      // configuration, and the first worker's tell would land on it.
      // Serialise claims on the study: SQLite's BEGIN IMMEDIATE already does; on PostgreSQL the
      // row lock, taken without writing so that a claim that changes nothing commits for free.
      const locked = await tx.query(
        `SELECT seq, ${this.#clock} AS now FROM metahpo_studies WHERE id = ?${
          this.#driver.dialect === "postgres" ? " FOR UPDATE" : ""
        }`,
        [studyId],
      );
      if (locked.length === 0) {
        throw new StorageError(this.url, `no study with id ${studyId} (was it deleted?)`);
      }
      const now = request.now ?? Math.round(num(locked[0].now));
      let bumped: number | undefined;
      const bump = async () => bumped ??= await this.#bump(tx, studyId, now);
      // Give up the trials of workers that stopped heart-beating.
      const running = await tx.query(
        "SELECT number, worker, heartbeat FROM metahpo_trials WHERE study_id = ? AND " +
          "status = 'running'",
        [studyId],
      );
      let live = 0;
      for (const row of running) {
        const reason = lostReason(row, now, request.leaseMs);
        if (!reason) {
          live++;
          continue;
        }
        const seq = await bump();
        if (request.requeue) {
          await tx.query(
            "UPDATE metahpo_trials SET status = 'waiting', worker = NULL, heartbeat = NULL, " +
              "started_at = NULL, error = ?, seq = ? WHERE study_id = ? AND number = ?",
            [escapeNul(`queued again: ${reason}`), seq, studyId, num(row.number)],
          );
        } else {
          await tx.query(
            "UPDATE metahpo_trials SET status = 'failed', lost = 1, error = ?, finished_at = ?, " +
              "seq = ? WHERE study_id = ? AND number = ?",
            [escapeNul(reason), now, seq, studyId, num(row.number)],
          );
        }
      }
      if (request.budget !== undefined) {
        const study = await tx.query("SELECT finished FROM metahpo_studies WHERE id = ?", [
          studyId,
        ]);
        const finished = num(study[0].finished);
        if (finished >= request.budget) return { kind: "done" };
        if (finished + live >= request.budget) return { kind: "wait" };
      }
      const start = async (number: number): Promise<StoredTrial> => {
        const seq = await bump();
        const rows = await tx.query(
          "UPDATE metahpo_trials SET status = 'running', worker = ?, started_at = ?, " +
            "heartbeat = ?, attempts = attempts + 1, seq = ? WHERE study_id = ? AND number = ? " +
            `RETURNING ${this.#trialColumns}`,
          [request.worker, now, now, seq, studyId, number],
        );
        return toTrial(rows[0]);
      };
      const waiting = await this.#nextWaiting(tx, studyId);
      if (waiting !== undefined) {
        return { kind: "trial", trial: await start(waiting), proposalUsed: false };
      }
      const proposal = request.proposal;
      if (!proposal) return { kind: "propose", seq: bumped ?? num(locked[0].seq) };
      // Another worker may have taken the same configuration since the proposal's snapshot.
      const twin = await tx.query(
        "SELECT number FROM metahpo_trials WHERE study_id = ? AND params_key = ? AND " +
          "created_seq > ? LIMIT 1",
        [studyId, paramsKey(proposal.params), proposal.basedOnSeq],
      );
      if (twin.length > 0) return { kind: "stale" };
      // The undone proposals, and those made again, when this proposal changes them.
      let undoneBefore: number[] = [];
      let redoneBy: Record<number, number | null> = {};
      if (undone.length > 0 || redoes !== undefined) {
        undoneBefore = undoneProposals(await this.#internalAttr(tx, studyId, UNDONE_ATTR));
        redoneBy = redoneProposals(
          await this.#internalAttr(tx, studyId, REDONE_ATTR),
          undoneBefore,
        );
      }
      if (redoes !== undefined) {
        if (!undoneBefore.includes(redoes) && !undone.includes(redoes)) {
          throw new RangeError(
            `claim.redoes: trial ${redoes} is not an undone proposal of the study (id ${studyId})`,
          );
        }
        // Made again by another worker meanwhile: this proposal drew a stream already drawn twice.
        if (Object.hasOwn(redoneBy, redoes)) return { kind: "stale" };
      }
      const [inserted] = await this.#insertTrials(tx, studyId, await bump(), [
        { params: proposal.params, source: proposal.source },
      ], now);
      if (proposerState !== undefined) {
        // With the trial it was proposed with: a resume (or another worker) continues from it,
        // or from the state before it when the trial is lost before any later proposal.
        const origin = `{"trial":${inserted.number},"base":${proposerStateBase ?? "null"}}`;
        await this.#setInternalAttr(tx, studyId, PROPOSER_STATE_ATTR, proposerState);
        await this.#setInternalAttr(tx, studyId, PROPOSER_ORIGIN_ATTR, origin);
      }
      if (undone.length > 0) {
        const all = [...new Set([...undoneBefore, ...undone])].sort((a, b) => a - b);
        await this.#setInternalAttr(tx, studyId, UNDONE_ATTR, JSON.stringify(all));
      }
      if (redoes !== undefined) {
        redoneBy[redoes] = inserted.number;
        await this.#setInternalAttr(tx, studyId, REDONE_ATTR, JSON.stringify(redoneBy));
      }
      return { kind: "trial", trial: await start(inserted.number), proposalUsed: true };
    });
  }

  /**
   * The waiting trial a claim hands out, as `SMBO` asks: the queue first (enqueued trials, and
   * trials queued again after their worker was lost, which say so in their `error`), then the
   * initial design's other trials; by number within each. Trial numbers count trials as they were
   * added, so a configuration enqueued while the design still waits has a higher number than the
   * design trials asked after it. Whether any trial waits is read through the status index alone;
   * only when one does are the waiting trials looked through for one of the queue.
   */
  async #nextWaiting(tx: SqlTransaction, studyId: number): Promise<number | undefined> {
    // The lowest-numbered waiting trial through the status index alone (most claims find none),
    // then, only when there is one, the lowest of the queue.
    const first = await tx.query(
      "SELECT number FROM metahpo_trials WHERE study_id = ? AND status = 'waiting' " +
        "ORDER BY number LIMIT 1",
      [studyId],
    );
    if (first.length === 0) return undefined;
    const queued = await tx.query(
      "SELECT number FROM metahpo_trials WHERE study_id = ? AND status = 'waiting' AND " +
        "NOT (source = 'initial' AND error IS NULL) ORDER BY number LIMIT 1",
      [studyId],
    );
    return num((queued.length > 0 ? queued : first)[0].number);
  }

  release(
    studyId: number,
    worker: string,
    trials: readonly { number: number; attempts: number }[],
  ): Promise<StoredTrial[]> {
    checkStudyId(studyId, "release.studyId");
    parseOrThrow(storedNameSchema, worker, "release.worker");
    const claims = parseOrThrow(heartbeatTrialsSchema, trials, "release.trials");
    return this.#driver.transaction(async (tx) => {
      // The study row first, as every writer: claims and tells of the study wait for this one.
      const seq = await this.#bump(tx, studyId);
      const released: StoredTrial[] = [];
      for (const { number, attempts } of claims) {
        const rows = await tx.query(
          "UPDATE metahpo_trials SET status = 'waiting', worker = NULL, started_at = NULL, " +
            "heartbeat = NULL, seq = ? WHERE study_id = ? AND number = ? AND worker = ? AND " +
            `status = 'running' AND attempts = ? RETURNING ${this.#trialColumns}`,
          [seq, studyId, number, worker, attempts],
        );
        released.push(...rows.map(toTrial));
      }
      return released.sort((a, b) => a.number - b.number);
    });
  }

  /** Reads one of metahpo's own study attributes (undefined when it is not set). */
  async #internalAttr(
    tx: SqlTransaction,
    studyId: number,
    key: string,
  ): Promise<string | undefined> {
    const rows = await tx.query(
      "SELECT value FROM metahpo_study_attrs WHERE study_id = ? AND key = ?",
      [studyId, key],
    );
    return rows.length > 0 ? columnText(rows[0].value) : undefined;
  }

  /** Writes one of metahpo's own study attributes (a key that starts with U+FDD0). */
  async #setInternalAttr(
    tx: SqlTransaction,
    studyId: number,
    key: string,
    value: string,
  ): Promise<void> {
    await tx.query(
      "INSERT INTO metahpo_study_attrs (study_id, key, value) VALUES (?, ?, ?) " +
        "ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value",
      [studyId, key, value],
    );
  }

  finish(
    studyId: number,
    number: number,
    worker: string,
    outcome: FinishedOutcome,
    claimed?: ClaimedTrial,
  ): Promise<StoredTrial> {
    checkStudyId(studyId, "finish.studyId");
    parseOrThrow(nonNegativeIntSchema, number, "finish.number");
    parseOrThrow(storedNameSchema, worker, "finish.worker");
    const claimedText = claimed === undefined ? undefined : canonicalJSON(claimed.params);
    return this.#driver.transaction(async (tx) => {
      const now = Date.now();
      const seq = await this.#bump(tx, studyId, now);
      const rows = await tx.query(
        `SELECT status, worker, lost, attempts, params, ` +
          `${textColumn(this.#driver.dialect, "error")} FROM ` +
          "metahpo_trials WHERE study_id = ? AND number = ?",
        [studyId, number],
      );
      const lostClaim = "its claim was lost (e.g. in a database server crash)";
      if (rows.length === 0) {
        if (claimed === undefined) {
          throw new RangeError(`tell: no trial with id ${number} in this study`);
        }
        throw new TrialLostError(
          `tell: trial ${number} is not in the study: ${lostClaim}; the value was not recorded`,
        );
      }
      const row = rows[0];
      if (claimed !== undefined) {
        // The configurations themselves, not `params_key`: a key written by another version
        // must not refuse a tell.
        const stored = canonicalJSON(JSON.parse(String(row.params)));
        if (stored !== claimedText) {
          throw new TrialLostError(
            `tell: trial ${number} now holds another configuration (${stored}) than the one ` +
              `told (${claimedText}): ${lostClaim} and the number given again; the value was ` +
              "not recorded",
          );
        }
        if (claimed.attempts !== undefined && num(row.attempts) !== claimed.attempts) {
          throw new TrialLostError(
            `tell: trial ${number} was handed out again (attempt ${
              num(row.attempts)
            }, told for attempt ${claimed.attempts}): the value was not recorded`,
          );
        }
      }
      if (row.status !== "running" || row.worker !== worker) {
        const state = row.status === "running"
          ? `running on worker ${row.worker}`
          : row.error !== null && row.status !== "complete"
          ? `${row.status} (${unescapeNul(columnText(row.error))})`
          : String(row.status);
        throw new TrialLostError(
          `tell: trial ${number} cannot be told by worker ${worker}: it is ${state}`,
        );
      }
      const values: SqlValue[] = outcome.status === "complete"
        ? ["complete", outcome.value, null]
        : ["failed", null, escapeNul(outcome.error)];
      const updated = await tx.query(
        "UPDATE metahpo_trials SET status = ?, value = ?, error = ?, seconds = ?, " +
          "finished_at = ?, seq = ? WHERE study_id = ? AND number = ? " +
          `RETURNING ${this.#trialColumns}`,
        [...values, outcome.seconds ?? null, now, seq, studyId, number],
      );
      await tx.query("UPDATE metahpo_studies SET finished = finished + 1 WHERE id = ?", [studyId]);
      return toTrial(updated[0]);
    });
  }

  failTrial(studyId: number, number: number, reason: string): Promise<StoredTrial> {
    checkStudyId(studyId, "failTrial.studyId");
    if (!Number.isSafeInteger(number) || number < 0) {
      throw new RangeError(
        `failTrial.number: must be a trial number (an integer >= 0), got ${String(number)}`,
      );
    }
    if (typeof reason !== "string" || reason === "") {
      throw new TypeError("failTrial.reason: must be a non-empty string");
    }
    return this.#driver.transaction(async (tx) => {
      const now = Date.now();
      // The study row first, as every writer: claims and tells of the study wait for this one.
      const seq = await this.#bump(tx, studyId, now);
      const rows = await tx.query(
        `SELECT status, value, ${textColumn(this.#driver.dialect, "error")} FROM ` +
          "metahpo_trials WHERE study_id = ? AND number = ?",
        [studyId, number],
      );
      const study = async () => {
        const named = await tx.query(
          `SELECT ${textColumn(this.#driver.dialect, "name")} FROM metahpo_studies WHERE id = ?`,
          [studyId],
        );
        return JSON.stringify(columnText(named[0].name));
      };
      if (rows.length === 0) {
        throw new RangeError(`failTrial: study ${await study()} has no trial ${number}`);
      }
      const row = rows[0];
      if (row.status !== "running" && row.status !== "waiting") {
        const state = row.status === "complete"
          ? `complete (value ${num(row.value)})`
          : row.error !== null
          ? `${row.status} (${unescapeNul(columnText(row.error))})`
          : String(row.status);
        throw new TrialLostError(
          `failTrial: trial ${number} of study ${await study()} is already ${state}`,
        );
      }
      const updated = await tx.query(
        "UPDATE metahpo_trials SET status = 'failed', value = NULL, error = ?, lost = 0, " +
          "finished_at = ?, seq = ? WHERE study_id = ? AND number = ? " +
          `RETURNING ${this.#trialColumns}`,
        [escapeNul(reason), now, seq, studyId, number],
      );
      await tx.query("UPDATE metahpo_studies SET finished = finished + 1 WHERE id = ?", [studyId]);
      return toTrial(updated[0]);
    });
  }

  async heartbeat(
    studyId: number,
    worker: string,
    now?: number,
    trials?: readonly { number: number; attempts: number }[],
  ): Promise<void> {
    checkStudyId(studyId, "heartbeat.studyId");
    parseOrThrow(storedNameSchema, worker, "heartbeat.worker");
    if (now !== undefined && !Number.isFinite(now)) {
      throw new TypeError(
        `heartbeat.now: must be a finite number (ms since the epoch), got ${describeValue(now)}`,
      );
    }
    if (trials !== undefined) {
      parseOrThrow(heartbeatTrialsSchema, trials, "heartbeat.trials");
      if (trials.length === 0) return;
    }
    const only = trials === undefined
      ? ""
      : ` AND (${trials.map(() => "(number = ? AND attempts = ?)").join(" OR ")})`;
    await this.#driver.query(
      `UPDATE metahpo_trials SET heartbeat = ${now === undefined ? this.#clock : "?"} ` +
        `WHERE study_id = ? AND worker = ? AND status = 'running'${only}`,
      [
        ...(now === undefined ? [] : [now]),
        studyId,
        worker,
        ...(trials ?? []).flatMap((t) => [t.number, t.attempts]),
      ],
    );
  }

  close(): Promise<void> {
    return this.#driver.close();
  }
}
