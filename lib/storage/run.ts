/**
 * `minimize` on a stored study (`minimize(f, space, { storage, study, budget })`), and
 * {@linkcode runWorkers}, which runs one script as N local worker processes on one study.
 *
 * The budget is global and counts evaluations that finished (complete, or failed by the
 * objective) in the study, by every worker and every earlier run: rerunning the same call after
 * a crash resumes where the study stands, and N workers together finish exactly `budget` trials.
 * A trial lost with its worker (killed process, lease expired) does not count; a trial failed
 * from any handle (`StoredStudy.failTrial`, `deno task studies <url> fail`) does, as failed.
 *
 * `timeout` and `trialTimeout` work as in memory, per call: after `timeout` seconds this worker
 * starts no new trial (its trials in flight finish and are told; trials it claimed while the time
 * passed are handed back, `waiting` for the next ask); an evaluation not settled within
 * `trialTimeout` seconds is told as a failed trial naming the timeout (it counts against the
 * budget), which also ends its heart-beat.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { ownRecordSchema, parseOrThrow, positiveIntSchema } from "../validate.ts";
import type { MinimizeOptions, Objective } from "../smbo/minimize.ts";
import type { BestTrial, EncodableSpace } from "../smbo/study.ts";
import type { Trial } from "../smbo/trial.ts";
import { budgetedDesignSize } from "../space/design.ts";
import {
  checkMinimizeCall,
  deadline,
  evaluateObjective,
  minimizeOptionFields,
  MinimizeStopped,
  reportTrials,
  settledResult,
  type StopReason,
} from "../smbo/_minimize.ts";
import { StorageError, TrialLostError } from "./errors.ts";
import { positiveSecondsSchema, storedNameSchema } from "./_validate.ts";
import type { Storage } from "./storage.ts";
import { metaFeaturesSchema, releaseClaimed, StoredStudy, type StudyOptions } from "./study.ts";

/** Options that run `minimize` on a stored study. */
export interface StoredRunOptions {
  /** The storage or its URL (`memory:`, `sqlite:<path>`, `postgres://...`). */
  storage: Storage | string;
  /**
   * The study's name (non-empty, without NUL): created on the first run, resumed by later runs and
   * other workers.
   */
  study: string;
  /**
   * The task's meta-features, recorded with the study for later transfer; resuming a study that
   * records other ones is an error, as another seed is.
   */
  metaFeatures?: Record<string, number>;
  /** This worker's id (default `host/pid/random`). */
  worker?: string;
  /**
   * Seconds without a heart-beat after which a running trial is given up (default 60), kept in the
   * study: a rerun or another worker that gives another value than the study's is an error naming
   * `leaseSeconds` (omitted, the study's is used).
   */
  leaseSeconds?: number;
  /** Seconds between heart-beats (default a sixth of the lease). */
  heartbeatSeconds?: number;
  /**
   * Queue given-up trials again instead of failing them (default: as the study was created, false
   * for a new one); applies to the trials this worker gives up.
   */
  requeue?: boolean;
}

/** Options of `minimize` on a stored study. */
export type StoredMinimizeOptions<P> =
  & Omit<MinimizeOptions<P>, "onTrial">
  & StoredRunOptions
  & {
    /**
     * Called after every trial this worker told, in trial order once its batch is told (see
     * `MinimizeOptions.onTrial`: awaited; `false` stops this call with `stopped: "callback"`; a
     * throw or rejection rejects it with a `MinimizeStopped`, the study closed).
     */
    onTrial?: (trial: Trial<P>, study: StoredStudy<P>) => unknown;
  };

/** What `minimize` returns on a stored study. */
export interface StoredMinimizeResult<P> {
  /**
   * The best complete trial of the whole study when the call returned; reading it throws when
   * none had completed.
   */
  readonly best: BestTrial<P>;
  /** All trials of the study (every worker's), by number, when the call returned. */
  readonly trials: Trial<P>[];
  /**
   * The study, still open (call `close()` when done with it); its own `trials` and `best` follow
   * it, where `trials` and `best` above stay as the run left them.
   */
  readonly study: StoredStudy<P>;
  /**
   * Why this call stopped: `"budget"` (the study has `budget` finished trials), `"timeout"` (this
   * call's `timeout` passed first), `"exhausted"` (pool mode: no candidate left, each taken by a
   * finished trial; while other workers' trials still hold some, this worker waits, since a trial
   * lost with its worker frees its candidate) or `"callback"` (`onTrial` returned `false` before
   * the budget was reached). `"proposer"` is found only on the
   * result of a `MinimizeStopped` error: the proposer (or its surrogate or acquisition) threw, and
   * every trial stored until then is kept (a rerun resumes the study).
   */
  readonly stopped: "budget" | "timeout" | "exhausted" | "callback" | "proposer";
}

/** The option fields of a stored run, next to `minimize`'s own (the schema is strict). */
const storedRunFields = {
  study: storedNameSchema,
  storage: z.union([z.string(), z.object({}).loose()], {
    error: "must be a storage or a storage URL",
  }),
  metaFeatures: metaFeaturesSchema.optional(),
  worker: storedNameSchema.optional(),
  leaseSeconds: positiveSecondsSchema.optional(),
  heartbeatSeconds: positiveSecondsSchema.optional(),
  requeue: z.boolean().optional(),
};

const schema = z.strictObject({ ...minimizeOptionFields, ...storedRunFields });

/** Whether `minimize` options ask for a stored study (they name a `storage` or a `study`). */
export function isStoredRun<P>(
  options: MinimizeOptions<P> | StoredMinimizeOptions<P>,
): options is StoredMinimizeOptions<P> {
  if (typeof options !== "object" || options === null) return false;
  const given = options as { storage?: unknown; study?: unknown };
  return given.storage !== undefined || given.study !== undefined;
}

/**
 * Runs `objective` on a stored study until it has `budget` finished trials; see the module docs.
 *
 * @example
 * ```ts
 * import { minimizeStored } from "./run.ts";
 * import { randomSearch } from "../smbo/proposer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(-1, 1) });
 * const result = await minimizeStored((p) => p.x ** 2, space, {
 *   storage: "memory:",
 *   study: "demo",
 *   budget: 6,
 *   proposer: randomSearch(),
 * });
 * result.trials.length; // 6
 * await result.study.close();
 * ```
 */
export async function minimizeStored<P>(
  objective: Objective<P>,
  space: EncodableSpace<P>,
  options: StoredMinimizeOptions<P>,
): Promise<StoredMinimizeResult<P>> {
  checkMinimizeCall(objective, space, options, schema);
  const {
    budget,
    batchSize = 1,
    onTrial,
    study: name,
    timeout,
    trialTimeout,
    ...rest
  } = options;
  const limit = deadline(timeout);
  const study = await StoredStudy.open<P>(
    { ...(rest as StudyOptions<P>), name, space },
    "load-if-exists",
    { initialDesignSize: budgetedDesignSize(space, budget), budget, caller: "minimize" },
  );
  const resultOf = (stopped: StoredMinimizeResult<P>["stopped"]): StoredMinimizeResult<P> =>
    settledResult(study, stopped);
  let stopped: StopReason;
  try {
    while (true) {
      if (limit.expired()) {
        stopped = "timeout";
        break;
      }
      let batch: Awaited<ReturnType<typeof study.askWithin>>;
      try {
        batch = await study.askWithin(batchSize, budget);
      } catch (error) {
        // The storage failing is its own error; the proposer (or its surrogate or acquisition)
        // failing stops the run as in memory, every stored trial kept in the error's result.
        if (error instanceof StorageError || error instanceof TrialLostError) throw error;
        await study.refresh().catch(() => {});
        throw new MinimizeStopped(resultOf("proposer"), error);
      }
      if (batch === "done") {
        stopped = "exhausted"; // unless the budget is reached, as checked below
        break;
      }
      if (batch === "wait") {
        await StoredStudy.sleep(Math.min(study.pollMs, limit.left()));
        continue;
      }
      if (limit.expired()) {
        // The time limit passed while this worker asked: the trials it claimed are not started
        // but handed back, waiting for the next ask (a rerun evaluates them first).
        await releaseClaimed(study, batch);
        stopped = "timeout";
        break;
      }
      // Each trial is told as soon as its evaluation ends; the callback then sees the batch's
      // told trials in trial order.
      const told = await Promise.all(batch.map(async (trial) => {
        const { outcome, seconds } = await evaluateObjective(objective, trial, trialTimeout);
        try {
          return await study.tell(trial, outcome, { seconds });
        } catch (error) {
          // Given up while it ran (lease expired: another worker owns the slot now), failed
          // from another handle (`failTrial`), or its claim lost in a database crash (the trial
          // gone, or its number given to another configuration): the stored outcome stands, and
          // this evaluation is lost (it counts nowhere).
          if (!(error instanceof TrialLostError)) throw error;
          return undefined;
        }
      }));
      const report = await reportTrials(
        told.filter((trial) => trial !== undefined),
        study,
        onTrial,
      );
      if (typeof report === "object") {
        await study.refresh().catch(() => {});
        throw new MinimizeStopped(resultOf("callback"), report.error);
      }
      if (report === "stop") {
        stopped = "callback"; // unless the budget is reached, as checked below
        break;
      }
    }
    await study.refresh();
  } catch (error) {
    await study.close().catch(() => {});
    throw error;
  }
  if (study.record.finished >= budget) stopped = "budget";
  return resultOf(stopped);
}

/** Options of {@linkcode runWorkers}. */
export interface RunWorkersOptions {
  /** Number of worker processes. */
  workers: number;
  /** Arguments passed to every worker after the script path. */
  args?: readonly string[];
  /** Deno permission flags (default `["--allow-all"]`). */
  permissions?: readonly string[];
  /** Extra environment variables; each worker also gets `METAHPO_WORKER_INDEX` (0 … N−1). */
  env?: Record<string, string>;
  /** Forward the workers' output to this process (default true). */
  inheritOutput?: boolean;
}

/** The fields of {@linkcode RunWorkersOptions}; strict, so a misspelt key is an error. */
const runWorkersSchema = z.strictObject({
  workers: positiveIntSchema,
  args: z.array(z.string()).optional(),
  permissions: z.array(z.string()).optional(),
  env: ownRecordSchema(z.string()).optional(),
  inheritOutput: z.boolean().optional(),
});

/** How one worker process ended. */
export interface WorkerExit {
  /** Its index. */
  index: number;
  /** Exit code. */
  code: number;
  /** The signal that ended it, if any. */
  signal: string | null;
}

/**
 * Runs a Deno script as N worker processes at once (each typically calls `minimize` with the
 * same `storage` and `study`), waits for all, and returns how each ended. The study's budget is
 * shared, so N workers finish it together. The options are strict: an unknown or malformed one
 * (`permission` for `permissions`) is a `TypeError` naming it, before any process starts.
 *
 * @example
 * ```ts ignore
 * import { runWorkers } from "./run.ts";
 * const exits = await runWorkers("./tune.ts", { workers: 4, args: ["sqlite:tune.db"] });
 * exits.every((e) => e.code === 0);
 * ```
 */
export async function runWorkers(
  script: string | URL,
  options: RunWorkersOptions,
): Promise<WorkerExit[]> {
  parseOrThrow(runWorkersSchema, options, "runWorkers options");
  const path = script instanceof URL ? script.href : script;
  const inherit = options.inheritOutput ?? true;
  const children = Array.from(
    { length: options.workers },
    (_, index) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", ...(options.permissions ?? ["--allow-all"]), path, ...(options.args ?? [])],
        env: { ...options.env, METAHPO_WORKER_INDEX: String(index) },
        stdout: inherit ? "inherit" : "null",
        stderr: inherit ? "inherit" : "null",
        stdin: "null",
      }).spawn(),
  );
  const statuses = await Promise.all(children.map((c) => c.status));
  return statuses.map((s, index) => ({ index, code: s.code, signal: s.signal ?? null }));
}
