/**
 * Trials: one evaluation of the objective at one configuration, and how a reported outcome
 * (a value, a non-finite number or an error) becomes a trial's final state.
 *
 * @module
 */
import { describeValue } from "../validate.ts";

/**
 * Where a suggested configuration came from: `"enqueued"` (`enqueue`, `initialConfigurations`),
 * `"initial"` (the initial design), `"model"` (the study's proposer) or `"random"` (a uniform
 * random configuration: every proposal of `randomSearch()`, one drawn before any trial has a
 * value to model, or one of the random share of `interleaveRandom` and `smac()`).
 */
export type TrialSource = "enqueued" | "initial" | "model" | "random";

/** A trial's state: asked and not yet told (`running`), told a finite value, or failed. */
export type TrialStatus = "running" | "complete" | "failed";

/**
 * One evaluation of the objective, as a study records it: read-only (the study's trials are
 * frozen; `minimize` hands the objective its own copy of the configuration, which it may edit).
 *
 * @example
 * ```ts
 * import type { Trial } from "./trial.ts";
 * const t: Trial<{ x: number }> = {
 *   id: 0,
 *   params: { x: 0.5 },
 *   status: "complete",
 *   value: 1.25,
 *   source: "initial",
 * };
 * // t.params.x = 0.4 and t.value = 0 are type errors.
 * ```
 */
export interface Trial<P = Record<string, unknown>> {
  /** Position of the trial in its study, from 0. */
  readonly id: number;
  /** The configuration, in the space's own units. */
  readonly params: Readonly<P>;
  /** `running` until told, then `complete` or `failed`. */
  readonly status: TrialStatus;
  /** The objective value of a complete trial. */
  readonly value?: number;
  /** Why a failed trial failed. */
  readonly error?: string;
  /** How the configuration was chosen. */
  readonly source: TrialSource;
  /** Seconds the objective took, when the study measured it (`minimize` does). */
  readonly seconds?: number;
}

/**
 * The outcome of evaluating a trial, as `tell` takes it: a value (a finite number completes the
 * trial; NaN and ±Infinity fail it), or what went wrong (an `Error`, or `{ error: reason }`).
 */
export type TrialOutcome = number | Error | { error: string };

/**
 * Turns a reported outcome into a status: finite numbers complete the trial; NaN, ±Infinity,
 * non-numbers and errors fail it with a reason. Never throws: a value whose description throws
 * (an `Error` whose `message` getter throws, a revoked `Proxy`) fails the trial with a
 * best-effort reason.
 *
 * @example
 * ```ts
 * import { resolveOutcome } from "./trial.ts";
 * resolveOutcome(1.5); // { status: "complete", value: 1.5 }
 * resolveOutcome(NaN); // { status: "failed", error: "objective returned NaN" }
 * ```
 */
export function resolveOutcome(
  outcome: unknown,
): { status: "complete"; value: number } | { status: "failed"; error: string } {
  if (typeof outcome === "number") {
    return Number.isFinite(outcome)
      ? { status: "complete", value: outcome }
      : { status: "failed", error: `objective returned ${outcome}` };
  }
  try {
    if (outcome instanceof Error) {
      return { status: "failed", error: `${outcome.name}: ${outcome.message}` };
    }
    if (isErrorRecord(outcome)) return { status: "failed", error: outcome.error };
    return {
      status: "failed",
      error: `objective returned ${describeValue(outcome)}, expected a finite number`,
    };
  } catch {
    return { status: "failed", error: "objective gave a value that cannot be described" };
  }
}

/** Whether `outcome` is `{ error: string }`. */
function isErrorRecord(outcome: unknown): outcome is { error: string } {
  return outcome !== null && typeof outcome === "object" && "error" in outcome &&
    typeof outcome.error === "string";
}

/**
 * @internal Checks an outcome given to `tell` (in memory and on a stored study): a
 * {@linkcode TrialOutcome}, or a `TypeError` naming `outcome` (e.g. for an Optuna-style
 * `{ value: 0.5 }`, which would otherwise be recorded as a failure).
 */
export function checkTellOutcome(outcome: unknown): void {
  let ok = false;
  try {
    ok = typeof outcome === "number" || outcome instanceof Error || isErrorRecord(outcome);
  } catch {
    // A revoked Proxy, or a throwing `has` trap: not an outcome.
  }
  if (ok) return;
  let got = "a value that cannot be described";
  try {
    got = describeValue(outcome);
  } catch {
    // Kept as above.
  }
  throw new TypeError(
    `tell: outcome must be a number (the trial's value, e.g. tell(trial, 0.5)), an Error or ` +
      `{ error: string }, got ${got}`,
  );
}

/**
 * A copy of a configuration that shares nothing mutable with the original: plain objects and
 * arrays are copied recursively (own keys only, so a parameter named `__proto__` stays a
 * parameter); anything else (numbers, strings, booleans, class instances) is kept as is. The study
 * records such a copy, and `minimize` hands the objective another one, so that an objective that
 * edits its argument cannot change the study's record.
 *
 * @example
 * ```ts
 * import { copyParams } from "./trial.ts";
 * const original = { x: 1, nested: { y: [2, 3] } };
 * const copy = copyParams(original);
 * copy.nested.y.push(4); // original.nested.y is still [2, 3]
 * ```
 */
export function copyParams<P>(params: P): P {
  if (Array.isArray(params)) return params.map((v) => copyParams(v)) as P;
  if (params === null || typeof params !== "object") return params;
  const proto = Object.getPrototypeOf(params);
  if (proto !== Object.prototype && proto !== null) return params;
  return Object.fromEntries(
    Object.keys(params).map((key) => [key, copyParams((params as Record<string, unknown>)[key])]),
  ) as P;
}

/**
 * @internal The error of `best` when no trial has completed: the counts and, when a trial
 * failed, the first failure's reason (its first line, at most 200 characters).
 */
export function noCompleteTrialMessage(
  trials: readonly { status: string; error?: string }[],
): string {
  const failed = trials.filter((t) => t.status === "failed");
  let text = `no complete trial yet (${trials.length} trials, ${failed.length} failed)`;
  const reason = failed.find((t) => t.error !== undefined && t.error !== "")?.error;
  if (reason !== undefined) {
    const line = reason.split("\n")[0];
    text += `; the first failed with ${line.length > 200 ? `${line.slice(0, 199)}…` : line}`;
  }
  return text;
}
