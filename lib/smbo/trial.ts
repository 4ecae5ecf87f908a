/**
 * Trials: one evaluation of the objective at one configuration, and how a reported outcome
 * (a value, a non-finite number or an error) becomes a trial's final state.
 *
 * @module
 */
import { describeValue } from "../validate.ts";

/** Where a suggested configuration came from. */
export type TrialSource = "enqueued" | "initial" | "model" | "random";

/** A trial's state: asked and not yet told (`running`), told a finite value, or failed. */
export type TrialStatus = "running" | "complete" | "failed";

/**
 * One evaluation of the objective.
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
 * ```
 */
export interface Trial<P = Record<string, unknown>> {
  /** Position of the trial in its study, from 0. */
  id: number;
  /** The configuration, in the space's own units. */
  params: P;
  /** `running` until told, then `complete` or `failed`. */
  status: TrialStatus;
  /** The objective value of a complete trial. */
  value?: number;
  /** Why a failed trial failed. */
  error?: string;
  /** How the configuration was chosen. */
  source: TrialSource;
  /** Seconds the objective took, when the study measured it (`minimize` does). */
  seconds?: number;
}

/** The outcome of evaluating a trial: a value, or what went wrong. */
export type TrialOutcome = number | Error | { error: string };

/**
 * Turns a reported outcome into a status: finite numbers complete the trial; NaN, ±Infinity,
 * non-numbers and errors fail it with a reason.
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
  if (outcome instanceof Error) {
    return { status: "failed", error: `${outcome.name}: ${outcome.message}` };
  }
  if (
    outcome !== null && typeof outcome === "object" && "error" in outcome &&
    typeof outcome.error === "string"
  ) {
    return { status: "failed", error: outcome.error };
  }
  return {
    status: "failed",
    error: `objective returned ${describeValue(outcome)}, expected a finite number`,
  };
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
