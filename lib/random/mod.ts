/**
 * Seeded randomness and space-filling designs of the unit cube: the {@linkcode Rng} generator,
 * scrambled Sobol sequences ({@linkcode sobol}, {@linkcode SobolEngine}), Latin hypercubes
 * ({@linkcode latinHypercube}) and plain uniform points ({@linkcode uniformPoints}).
 *
 * @example
 * ```ts
 * import { latinHypercube, Rng, sobol, uniformPoints } from "./mod.ts";
 * const rng = new Rng(0);
 * const design = sobol(8, 3, { rng }); // scrambled Sobol points of [0, 1)^3
 * const lhs = latinHypercube(8, 3, rng);
 * const mc = uniformPoints(8, 3, rng);
 * ```
 *
 * @module
 */
export { Rng } from "./rng.ts";
export { sobol, SOBOL_DEFAULTS, SOBOL_MAX_DIM, SobolEngine, type SobolOptions } from "./sobol.ts";
export { LATIN_HYPERCUBE_DEFAULTS, latinHypercube, type LatinHypercubeOptions } from "./lhs.ts";
export { uniformPoints } from "./uniform.ts";
