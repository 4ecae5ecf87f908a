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

/**
 * The central finite difference (f(θ + h·eⱼ) − f(θ − h·eⱼ)) / 2h of `f` at `theta` along
 * coordinate `j`, for checking analytic gradients.
 *
 * @example
 * ```ts
 * import { centralDifference } from "./_assert.ts";
 * centralDifference((t) => t[0] ** 2, Float64Array.of(3), 0); // ≈ 6
 * ```
 */
export function centralDifference(
  f: (theta: Float64Array) => number,
  theta: Float64Array,
  j: number,
  h = 1e-5,
): number {
  const plus = theta.slice(), minus = theta.slice();
  plus[j] += h;
  minus[j] -= h;
  return (f(plus) - f(minus)) / (2 * h);
}
