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
import { copyParams, type Trial } from "./trial.ts";

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
export type StopReason = "budget" | "timeout" | "exhausted";

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
 * bigint; `null`, `undefined`; never more than 500 characters.
 */
function describeThrown(value: unknown): string {
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
}

/** The outcome of an evaluation that threw or rejected with `error`. */
function thrownOutcome(error: unknown): Error | { error: string } {
  return error instanceof Error ? error : { error: `objective threw ${describeThrown(error)}` };
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
): Promise<{ outcome: unknown; seconds: number }> {
  const controller = new AbortController();
  const context = Object.freeze({ signal: controller.signal });
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  // Handles both outcomes of the objective, so that a late rejection is never unhandled.
  const settled = (async () => {
    try {
      return { outcome: await objective(copyParams(trial.params), trial, context) };
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
