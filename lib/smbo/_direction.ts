/**
 * Internal: the optimisation direction of a study, and the one place where it turns into a sign.
 * Trials keep the objective's own values; everything that models or compares them (the proposal
 * context, failed-trial imputation, the best trial, past tasks for transfer, recommendations) works
 * on `sign · value`, which is lower-is-better whatever the direction: sign = 1 when minimising,
 * −1 when maximising.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { describeValue } from "../validate.ts";

/**
 * Which way a study's objective improves: `"minimize"` (lower values are better, the default) or
 * `"maximize"` (higher values are better, e.g. an accuracy).
 */
export type StudyDirection = "minimize" | "maximize";

/** @internal The default direction of every study. */
export const DEFAULT_DIRECTION: StudyDirection = "minimize";

/** @internal The option field `direction` (shared by the study and `minimize` schemas). */
export const directionSchema = z.enum(["minimize", "maximize"]);

/** @internal 1 when minimising, −1 when maximising. */
export function directionSign(direction: StudyDirection): 1 | -1 {
  return direction === "maximize" ? -1 : 1;
}

/**
 * @internal A value on the lower-is-better scale the models work on: `value` itself when
 * minimising (bit for bit), `−value` when maximising.
 */
export function minimised(value: number, direction: StudyDirection): number {
  return directionSign(direction) * value;
}

/** @internal Whether `a` is strictly better than `b` in `direction`. */
export function isBetter(a: number, b: number, direction: StudyDirection): boolean {
  return minimised(a, direction) < minimised(b, direction);
}

/**
 * @internal Checks a direction given to a function outside the option schemas (a study-like
 * object's `direction`), throwing a `TypeError` naming it (`label`) otherwise.
 */
export function checkDirection(direction: unknown, label: string): StudyDirection {
  if (direction === undefined) return DEFAULT_DIRECTION;
  if (direction !== "minimize" && direction !== "maximize") {
    throw new TypeError(
      `${label}: must be one of "minimize", "maximize", got ${describeValue(direction)}`,
    );
  }
  return direction;
}

/**
 * @internal The direction a study-like object records, checked: its own `direction`, else that of
 * its `study` (a `minimize` result's), else undefined. Errors name `label.direction` or
 * `label.study.direction`.
 */
export function directionOf(
  like: { readonly direction?: unknown; readonly study?: { readonly direction?: unknown } },
  label: string,
): StudyDirection | undefined {
  if (like.direction !== undefined) return checkDirection(like.direction, `${label}.direction`);
  const inner = like.study?.direction;
  return inner === undefined ? undefined : checkDirection(inner, `${label}.study.direction`);
}
