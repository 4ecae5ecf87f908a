/**
 * Internal: what `minimize` in memory and `minimize` on a stored study (`lib/storage/run.ts`)
 * share: the option fields and their checks, the study's time limit, and how one evaluation of
 * the objective becomes an outcome (a value or an error) with its wall time, the objective working
 * on its own copy of the configuration and, with `trialTimeout`, failing when it has not settled
 * in time.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";
import { checkEncodableSpace, studyOptionFields } from "./study.ts";
import { copyParams, resolveOutcome, type Trial } from "./trial.ts";
import type { MinimizeResult } from "./minimize.ts";
import type { StoredMinimizeResult } from "../storage/run.ts";

/**
 * @internal The result of a `minimize` run as the run left it: its trials and their best (read
 * now; reading `best` throws the study's error when every trial failed), so that continuing with
 * the study changes neither.
 */
export function settledResult<S extends { readonly best: unknown; readonly trials: unknown }, R>(
  study: S,
  stopped: R,
): { readonly best: S["best"]; trials: S["trials"]; study: S; stopped: R } {
  const trials = study.trials;
  let best: S["best"] | undefined, noBest: unknown;
  try {
    best = study.best;
  } catch (error) {
    noBest = error;
  }
  return {
    get best() {
      if (best === undefined) throw noBest;
      return best;
    },
    trials,
    study,
    stopped,
  };
}

/** Longest `trialTimeout`: the largest delay a timer takes (2^31 − 1 ms, about 24.8 days). */
const MAX_TRIAL_TIMEOUT_SECONDS = 2_147_483;

/** A positive, finite number of seconds. */
const secondsSchema = z.number({ error: "must be a finite number of seconds > 0" })
  .positive("must be a finite number of seconds > 0");

/** @internal The option fields of `minimize`, in memory and on a stored study alike. */
export const minimizeOptionFields = {
  ...studyOptionFields,
  budget: positiveIntSchema,
  batchSize: positiveIntSchema.optional(),
  timeout: secondsSchema.optional(),
  trialTimeout: secondsSchema.max(
    MAX_TRIAL_TIMEOUT_SECONDS,
    `must be at most ${MAX_TRIAL_TIMEOUT_SECONDS} seconds (the longest timer delay)`,
  ).optional(),
  onTrial: z.custom<(...args: unknown[]) => unknown>((f) => typeof f === "function", {
    message: "must be a function",
  }).optional(),
  bayesOpt: z.record(z.string(), z.unknown()).optional(),
};

/**
 * @internal Checks `proposer` and `bayesOpt` together: the latter configures the default
 * proposer, so giving both is an error naming the option.
 */
export function checkProposerOptions(
  options: { proposer?: unknown; bayesOpt?: unknown },
  label: string,
): void {
  if (options.proposer !== undefined && options.bayesOpt !== undefined) {
    throw new TypeError(
      `${label}.bayesOpt: configures the default proposer, so it cannot be combined with options.proposer`,
    );
  }
}

/**
 * @internal Checks the arguments of a `minimize` call (objective, space, options against
 * `schema`), throwing an error that names the bad one.
 */
export function checkMinimizeCall(
  objective: unknown,
  space: unknown,
  options: unknown,
  schema: z.ZodType,
): void {
  if (typeof objective !== "function") {
    throw new TypeError("minimize: objective must be a function");
  }
  checkEncodableSpace(space, "minimize: space");
  parseOrThrow(schema, options, "minimize options");
  checkProposerOptions(options as { proposer?: unknown }, "minimize options");
}

/** @internal Why `minimize` stopped: see `MinimizeResult.stopped`. */
export type StopReason = "budget" | "timeout" | "exhausted" | "callback";

/**
 * Thrown by `minimize` when the run cannot go on but its trials must not be lost: `result` holds
 * the result so far and `cause` the error that stopped it.
 * - `result.stopped: "callback"` (in memory or on a stored study): the `onTrial` callback threw or
 *   rejected; the run stopped once every evaluated trial of the batch had been told (and
 *   stored). On a stored study, the study is closed (the result's `trials` and `best` are still
 *   readable).
 * - `result.stopped: "proposer"` (in memory or on a stored study): asking for the next
 *   configurations threw, e.g. a custom surrogate's `fit`, an acquisition or a proposer failed;
 *   the failed ask left no trial behind, and the message names the proposer. On a stored study,
 *   every told trial stays in its storage (a rerun resumes the study) and the study is closed
 *   (the result's `trials` and `best` are still readable); the storage failing is not the
 *   proposer's failure: its `StorageError` rejects as it is.
 *
 * @example
 * ```ts
 * import { minimize, MinimizeStopped } from "./minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * try {
 *   await minimize((p) => p.x, space, {
 *     budget: 10,
 *     seed: 0,
 *     onTrial: async (trial) => {
 *       if (trial.id === 2) throw new Error("progress file not writable");
 *     },
 *   });
 * } catch (error) {
 *   if (error instanceof MinimizeStopped) console.log(error.result.trials.length); // 3
 * }
 * ```
 *
 * @example A proposer that fails: the trials evaluated before are kept
 * ```ts
 * import { minimize, MinimizeStopped } from "./minimize.ts";
 * import type { Proposer } from "./proposer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const broken: Proposer = {
 *   name: "broken",
 *   propose: () => {
 *     throw new Error("singular matrix");
 *   },
 * };
 * try {
 *   await minimize((p) => p.x, space, { budget: 10, seed: 0, initialDesignSize: 4, proposer: broken });
 * } catch (error) {
 *   if (error instanceof MinimizeStopped) {
 *     console.log(error.result.stopped, error.result.trials.length); // "proposer" 4
 *     console.log(error.message); // minimize: proposer "broken" failed after 4 trials (singular matrix); …
 *   }
 * }
 * ```
 */
export class MinimizeStopped<P = Record<string, unknown>> extends Error {
  /**
   * The result so far: every trial told before the run stopped; `stopped` says why
   * (`"callback"` or `"proposer"`).
   */
  readonly result: MinimizeResult<P> | StoredMinimizeResult<P>;

  /** Wraps the error that stopped the run (`cause`); `result` is the run's result so far. */
  constructor(result: MinimizeResult<P> | StoredMinimizeResult<P>, cause: unknown) {
    let reason: string;
    try {
      reason = cause instanceof Error ? String(cause.message) : describeThrown(cause);
    } catch {
      reason = "an error that cannot be described";
    }
    const what = result.stopped === "proposer"
      ? `proposer ${JSON.stringify(proposerName(result))} failed`
      : "options.onTrial threw";
    super(
      `minimize: ${what} after ${result.trials.length} trials (${reason}); ` +
        "the result so far is in this error's result",
      { cause },
    );
    this.name = "MinimizeStopped";
    this.result = result;
  }
}

/** The name of the proposer of a result's study, for messages (never throws). */
function proposerName(result: { readonly study: unknown }): string {
  try {
    const name = (result.study as { proposer?: { name?: unknown } }).proposer?.name;
    return typeof name === "string" ? name : String(name);
  } catch {
    return "(unnamed)";
  }
}

/**
 * @internal Calls `onTrial` on each told trial, in trial order, awaiting each (a returned promise
 * included): `"stop"` when a callback returned `false` (or a promise of it; the rest of the batch
 * is still reported), `"continue"` otherwise, and `{ error }` as soon as one throws or rejects.
 */
export async function reportTrials<T, S>(
  trials: readonly T[],
  study: S,
  onTrial: ((trial: T, study: S) => unknown) | undefined,
): Promise<"continue" | "stop" | { error: unknown }> {
  if (onTrial === undefined) return "continue";
  let stop = false;
  for (const trial of trials) {
    try {
      if ((await onTrial(trial, study)) === false) stop = true;
    } catch (error) {
      return { error };
    }
  }
  return stop ? "stop" : "continue";
}

/**
 * @internal The study's time limit: `expired()` tells whether `timeout` seconds have passed since
 * the call (never without a timeout), `left()` the milliseconds left (`Infinity` without one).
 */
export function deadline(timeout: number | undefined): { expired(): boolean; left(): number } {
  const end = timeout === undefined ? Infinity : performance.now() + 1000 * timeout;
  return {
    expired: () => performance.now() >= end,
    left: () => Math.max(0, end - performance.now()),
  };
}

/** The objective as `minimize` calls it: the third argument carries the trial's abort signal. */
type ObjectiveCall<P> = (
  params: P,
  trial: Trial<P>,
  context: { readonly signal: AbortSignal },
) => unknown;

/** The reason of a trial that did not settle within `trialTimeout` seconds. */
function timeoutReason(trialTimeout: number): string {
  return `objective timed out: not settled within trialTimeout = ${trialTimeout} s`;
}

/**
 * A readable form of a thrown value that is not an `Error`, for a failed trial's reason: JSON for
 * plain data (`{"code":42}`, `"text"`), with the class name of a class instance; `1n` for a
 * bigint; `null`, `undefined`; never more than 500 characters. Never throws: a value that cannot
 * be described (a revoked `Proxy`, a cyclic object without a string form) is `a value that
 * cannot be described`.
 */
function describeThrown(value: unknown): string {
  try {
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
    if (typeof value === "symbol" || value === undefined) return String(value);
    let text: string | undefined;
    try {
      text = JSON.stringify(value, (_key, v) => typeof v === "bigint" ? `${v}n` : v);
    } catch {
      // A cycle or a throwing toJSON: fall back to the value's own string form below.
    }
    text ??= String(value);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      if (typeof name === "string" && name !== "" && name !== "Object") text = `${name} ${text}`;
    }
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return "a value that cannot be described";
  }
}

/**
 * The outcome of an evaluation that threw or rejected with `error`: its reason, `name: message`
 * for an `Error` (as `tell` words it), the described value otherwise.
 */
function thrownOutcome(error: unknown): { error: string } {
  let isError = false;
  try {
    isError = error instanceof Error;
  } catch {
    // A revoked Proxy: described below.
  }
  if (isError) {
    try {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    } catch {
      return { error: "objective threw an Error whose message cannot be read" };
    }
  }
  return { error: `objective threw ${describeThrown(error)}` };
}

/**
 * The outcome of an evaluation that returned `value`, as `tell` takes it: the number, or the
 * reason it fails (a returned object, string or the like is a failed trial, not an error of
 * `tell`).
 */
function returnedOutcome(value: unknown): number | { error: string } {
  if (typeof value === "number") return value;
  const resolved = resolveOutcome(value);
  return resolved.status === "complete" ? resolved.value : { error: resolved.error };
}

/**
 * @internal Evaluates the objective on its own copy of the trial's configuration (editing it
 * cannot change the study's record), passing it an `AbortSignal`: its value, or the error it
 * threw or rejected with (a thrown non-error keeps its content in the reason), and the seconds it
 * took. With `trialTimeout` (seconds), an evaluation not settled by then is a failure naming the
 * timeout, the signal is aborted (reason: a `TimeoutError` `DOMException`) and whatever the
 * objective settles with later is ignored; a synchronous objective cannot be interrupted, and when
 * it returns after `trialTimeout` it fails alike. The timer is cleared when the evaluation ends.
 */
export async function evaluateObjective<P>(
  objective: ObjectiveCall<P>,
  trial: Trial<P>,
  trialTimeout?: number,
): Promise<{ outcome: number | { error: string }; seconds: number }> {
  const controller = new AbortController();
  const context = Object.freeze({ signal: controller.signal });
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  // Handles both outcomes of the objective, so that a late rejection is never unhandled.
  const settled = (async () => {
    try {
      return {
        outcome: returnedOutcome(await objective(copyParams(trial.params), trial, context)),
      };
    } catch (error) {
      return { outcome: thrownOutcome(error) };
    }
  })();
  if (trialTimeout === undefined) {
    const { outcome } = await settled;
    return { outcome, seconds: elapsed() };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, trialTimeout * 1000 - elapsed()));
  });
  try {
    const first = await Promise.race([settled, timedOut]);
    const seconds = elapsed();
    if (first !== "timeout" && seconds < trialTimeout) return { outcome: first.outcome, seconds };
    const reason = timeoutReason(trialTimeout);
    controller.abort(new DOMException(reason, "TimeoutError"));
    return { outcome: { error: reason }, seconds };
  } finally {
    clearTimeout(timer);
  }
}
