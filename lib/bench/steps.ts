/**
 * The steps (evaluations spent) at which a benchmark suite reports its curves.
 *
 * @module
 */

/**
 * The steps a run of `budget` evaluations reports: the `fixed` steps it reaches (those ≤
 * `budget`, ascending), then `budget` itself when it is not one of them, so that the last
 * evaluation is always reported and no step past the budget is. With `fixed` 1, 5, 10, 25, 50 a
 * budget of 50 reports exactly those steps.
 *
 * @throws {RangeError} naming `budget` when it is not a positive integer, or `fixed` when a step
 * is not a positive integer.
 *
 * @example
 * ```ts
 * import { budgetSteps } from "./steps.ts";
 * budgetSteps([1, 5, 10, 25, 50], 50); // [1, 5, 10, 25, 50]
 * budgetSteps([1, 5, 10, 25, 50], 30); // [1, 5, 10, 25, 30]
 * budgetSteps([10, 25, 50], 60); // [10, 25, 50, 60]
 * ```
 */
export function budgetSteps(fixed: readonly number[], budget: number): number[] {
  if (!Number.isSafeInteger(budget) || budget < 1) {
    throw new RangeError(`budgetSteps budget: must be a positive integer, got ${budget}`);
  }
  const bad = fixed.find((s) => !Number.isSafeInteger(s) || s < 1);
  if (bad !== undefined) {
    throw new RangeError(`budgetSteps fixed: steps must be positive integers, got ${bad}`);
  }
  const steps = [...new Set(fixed)].filter((s) => s <= budget).sort((a, b) => a - b);
  return steps.at(-1) === budget ? steps : [...steps, budget];
}
