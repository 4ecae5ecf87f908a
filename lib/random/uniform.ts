/**
 * Independent uniform points of the unit cube: the plain Monte Carlo design.
 *
 * @module
 */
import type { Rng } from "./rng.ts";
import { nonNegativeIntSchema, parseOrThrow, positiveIntSchema, rngSchema } from "../validate.ts";

/**
 * `n` independent uniform points of [0, 1)^dim, each a `Float64Array`, drawn from `rng`.
 *
 * @throws {TypeError} on a bad `n`, `dim` or `rng` (the message names the argument).
 *
 * @example
 * ```ts
 * import { Rng, uniformPoints } from "./mod.ts";
 * const points = uniformPoints(5, 3, new Rng(1));
 * console.log(points.length, points[0].length); // 5 3
 * ```
 */
export function uniformPoints(n: number, dim: number, rng: Rng): Float64Array[] {
  parseOrThrow(nonNegativeIntSchema, n, "uniformPoints.n");
  parseOrThrow(positiveIntSchema, dim, "uniformPoints.dim");
  parseOrThrow(rngSchema, rng, "uniformPoints.rng");
  const points: Float64Array[] = new Array(n);
  for (let i = 0; i < n; i++) points[i] = rng.uniforms(dim);
  return points;
}
