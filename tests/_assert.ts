/**
 * Assertions shared by the test suites.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * Asserts |actual − expected| ≤ tol·max(1, |expected|): relative for large values, absolute near 0.
 *
 * @example
 * ```ts
 * import { assertNear } from "./_assert.ts";
 * assertNear(0.1 + 0.2, 0.3);
 * ```
 */
export function assertNear(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${actual} vs ${expected}`,
  );
}
