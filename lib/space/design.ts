/**
 * Space-filling designs on a search space: the one function that draws the initial points of a
 * study ({@linkcode initialDesign}), also behind `Space.sample`. Points are drawn in the unit cube
 * by scrambled Sobol (default), Latin hypercube or uniform sampling, then projected onto the
 * space (integers and grids snapped, one-hot blocks made valid).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { latinHypercube } from "../random/lhs.ts";
import type { Rng } from "../random/rng.ts";
import { sobol, SOBOL_MAX_DIM } from "../random/sobol.ts";
import { uniformPoints } from "../random/uniform.ts";
import { nonNegativeIntSchema, parseOrThrow, rngSchema } from "../validate.ts";

/** How design points are spread: scrambled Sobol, Latin hypercube, or independent uniforms. */
export type SampleMethod = "sobol" | "lhs" | "uniform";

/**
 * Names of the design methods.
 *
 * @example
 * ```ts
 * import { SAMPLE_METHODS } from "./design.ts";
 * console.log(SAMPLE_METHODS); // ["sobol", "lhs", "uniform"]
 * ```
 */
export const SAMPLE_METHODS: readonly SampleMethod[] = Object.freeze(["sobol", "lhs", "uniform"]);

/**
 * Defaults of {@linkcode initialDesign}: scrambled Sobol points, `max(5, 2·dim + 1)` of them for a
 * study (dim = encoded dimension, as the GP-EI peer of the benchmarks).
 *
 * @example
 * ```ts
 * import { DESIGN_DEFAULTS } from "./design.ts";
 * DESIGN_DEFAULTS.method; // "sobol"
 * DESIGN_DEFAULTS.size(4); // 9
 * ```
 */
export const DESIGN_DEFAULTS: Readonly<{ method: SampleMethod; size: (dim: number) => number }> =
  Object.freeze({
    method: "sobol",
    size: (dim: number): number => Math.max(5, 2 * dim + 1),
  });

/**
 * Schema of a {@linkcode SampleMethod}, for options that take one.
 *
 * @example
 * ```ts
 * import { sampleMethodSchema } from "./design.ts";
 * sampleMethodSchema.safeParse("lhs").success; // true
 * ```
 */
export const sampleMethodSchema: z.ZodType<SampleMethod> = z.enum(
  SAMPLE_METHODS as [SampleMethod, ...SampleMethod[]],
);

/** What {@linkcode initialDesign} needs of a space (the spaces of `defineSpace` provide it). */
export interface DesignSpace {
  /** Encoded dimension (0 for a space of fixed parameters only). */
  readonly dim: number;
  /** The nearest point of the unit cube that the space can represent. */
  project(point: Float64Array): Float64Array;
}

/**
 * `n` encoded points of a space drawn by `method` in the unit cube and projected onto the space.
 * A space with no encoded column (only fixed parameters) gives `n` empty points.
 *
 * @throws {TypeError} naming the bad argument (`initialDesign.n: must be an integer ≥ 0`).
 *
 * @example
 * ```ts
 * import { initialDesign } from "./design.ts";
 * import { defineSpace, float, int } from "./mod.ts";
 * import { Rng } from "../random/rng.ts";
 * const space = defineSpace({ x: float(0, 1), k: int(1, 4) });
 * const points = initialDesign(space, 8, new Rng(0)); // 8 scrambled Sobol points, projected
 * const configs = points.map((u) => space.decode(u));
 * ```
 */
export function initialDesign(
  space: DesignSpace,
  n: number,
  rng: Rng,
  method: SampleMethod = DESIGN_DEFAULTS.method,
  label = "initialDesign",
): Float64Array[] {
  if (
    space === null || typeof space !== "object" || !Number.isInteger(space.dim) ||
    space.dim < 0 || typeof space.project !== "function"
  ) {
    throw new TypeError(`${label}.space: must be a search space (dim, project)`);
  }
  parseOrThrow(nonNegativeIntSchema, n, `${label}.n`);
  parseOrThrow(rngSchema, rng, `${label}.rng`);
  parseOrThrow(sampleMethodSchema, method, `${label}.method`);
  return unitCubeDesign(n, space.dim, rng, method).map((u) => space.project(u));
}

/**
 * `n` raw points of [0, 1]^dim drawn by `method` (no projection), for designs and for the raw
 * samples of the acquisition optimiser. Sobol sequences exist up to dimension `SOBOL_MAX_DIM`
 * (1111); above it (e.g. a categorical with thousands of choices) a Latin hypercube, which keeps
 * the one-dimensional stratification, is drawn instead. Dimension 0 gives empty points.
 *
 * @example
 * ```ts
 * import { unitCubeDesign } from "./design.ts";
 * import { Rng } from "../random/rng.ts";
 * const raw = unitCubeDesign(16, 3, new Rng(0)); // 16 scrambled Sobol points of [0, 1]^3
 * const wide = unitCubeDesign(4, 2000, new Rng(0)); // a Latin hypercube above dimension 1111
 * ```
 */
export function unitCubeDesign(
  n: number,
  dim: number,
  rng: Rng,
  method: SampleMethod = DESIGN_DEFAULTS.method,
): Float64Array[] {
  parseOrThrow(nonNegativeIntSchema, n, "unitCubeDesign.n");
  parseOrThrow(nonNegativeIntSchema, dim, "unitCubeDesign.dim");
  parseOrThrow(rngSchema, rng, "unitCubeDesign.rng");
  parseOrThrow(sampleMethodSchema, method, "unitCubeDesign.method");
  if (dim === 0 || n === 0) return Array.from({ length: n }, () => new Float64Array(dim));
  if (method === "sobol" && dim <= SOBOL_MAX_DIM) return sobol(n, dim, { rng });
  if (method === "uniform") return uniformPoints(n, dim, rng);
  return latinHypercube(n, dim, rng);
}
