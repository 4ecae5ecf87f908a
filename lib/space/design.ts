/**
 * Space-filling designs on a search space: the one function that draws the initial points of a
 * study ({@linkcode initialDesign}), also behind `Space.sample`. Points are drawn in the unit cube
 * by scrambled Sobol (default), Latin hypercube or uniform sampling, then projected onto the
 * space (integers and grids snapped, one-hot blocks made valid). Where the space has few
 * configurations (a small discrete space, or a branch of a conditional space whose active
 * parameters are all discrete) two points can project to the same configuration: the later one is
 * then replaced by the next point of the sequence that gives a new configuration (see
 * {@linkcode initialDesign}).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { latinHypercube } from "../random/lhs.ts";
import type { Rng } from "../random/rng.ts";
import { SOBOL_MAX_DIM, SobolEngine } from "../random/sobol.ts";
import { uniformPoints } from "../random/uniform.ts";
import {
  checkPoints,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
} from "../validate.ts";

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
 * What the default design size counts: a number of parameters, or a space whose `params` list
 * which parameters own encoded columns (the spaces of `defineSpace`); a space without `params`
 * counts its encoded dimension.
 */
export type DesignSizeInput = number | {
  readonly dim: number;
  readonly params?: readonly { readonly columns: readonly number[] }[];
};

/**
 * The number of searched parameters of a space: parameters with at least one encoded column
 * (fixed parameters have none; a categorical counts once, whatever its number of one-hot
 * columns). A number is returned as is.
 *
 * @example
 * ```ts
 * import { searchedParameters } from "./design.ts";
 * import { categorical, defineSpace, fixed, float } from "./mod.ts";
 * const space = defineSpace({ x: float(0, 1), act: categorical(["relu", "tanh", "gelu"]), k: fixed(3) });
 * console.log(space.dim, searchedParameters(space)); // 4 2
 * ```
 */
export function searchedParameters(space: DesignSizeInput): number {
  if (typeof space === "number") return space;
  return Array.isArray(space.params)
    ? space.params.filter((p) => p.columns.length > 0).length
    : space.dim;
}

/**
 * Defaults of {@linkcode initialDesign}: scrambled Sobol points, `max(5, 2·p + 1)` of them for a
 * study, where p is the number of searched parameters ({@linkcode searchedParameters}: fixed
 * parameters do not count, a categorical counts once however many one-hot columns it has). For
 * numeric spaces p is the encoded dimension, the `max(5, 2·dim + 1)` of the GP-EI peer; counting
 * one-hot columns instead would spend most of a small budget on random points as soon as a
 * categorical has many levels (a 3-level categorical and 3 numbers: 9 points rather than 13).
 *
 * @example
 * ```ts
 * import { DESIGN_DEFAULTS } from "./design.ts";
 * import { categorical, defineSpace, float } from "./mod.ts";
 * DESIGN_DEFAULTS.method; // "sobol"
 * DESIGN_DEFAULTS.size(4); // 9
 * const space = defineSpace({
 *   a: float(0, 1), b: float(0, 1), c: float(0, 1), act: categorical(["relu", "tanh", "gelu"]),
 * });
 * DESIGN_DEFAULTS.size(space); // 9 (dim 6, 4 parameters)
 * ```
 */
export const DESIGN_DEFAULTS: Readonly<
  { method: SampleMethod; size: (space: DesignSizeInput) => number }
> = Object.freeze({
  method: "sobol",
  size: (space: DesignSizeInput): number => Math.max(5, 2 * searchedParameters(space) + 1),
});

/**
 * The default initial design of a run with a known budget (what `minimize` uses when no
 * `initialDesignSize` is given): {@linkcode DESIGN_DEFAULTS}' `max(5, 2·p + 1)`, but at most
 * `max(5, ⌊budget / 2⌋)`, so that with many parameters and a small budget at least half of the
 * budget beyond 10 evaluations goes to the model rather than to space filling (a 13-parameter space
 * with a budget of 30: 15 design points instead of 27). Ax caps its Sobol trials likewise, at a
 * fifth of the budget and never fewer than 5 (`calculate_num_initialization_trials`); the cap here
 * is laxer, so that budgets of 4·p + 2 or more keep the uncapped design. Never more than the
 * budget. Measured against Ax's cap on six test problems (README, random-forest benchmarks): the
 * fifth is ahead halfway through the budget and behind at its end on Hartmann-6 and Ackley-5 with
 * a budget of 50; pass a smaller `initialDesignSize` when the first evaluations are what counts.
 *
 * @throws {TypeError} when `budget` is not a positive integer, as `minimize`'s budget must be
 * (`budgetedDesignSize: budget: must be a positive integer`).
 *
 * @example
 * ```ts
 * import { budgetedDesignSize } from "./design.ts";
 * budgetedDesignSize(4, 50); // 9: max(5, 2·4 + 1), below the cap of 25
 * budgetedDesignSize(13, 30); // 15: ⌊30 / 2⌋ instead of 27
 * budgetedDesignSize(4, 8); // 5: the cap never goes below 5
 * budgetedDesignSize(4, 3); // 3: never more than the budget
 * ```
 */
export function budgetedDesignSize(space: DesignSizeInput, budget: number): number {
  parseOrThrow(positiveIntSchema, budget, "budgetedDesignSize: budget");
  const cap = Math.max(5, Math.floor(budget / 2));
  return Math.min(DESIGN_DEFAULTS.size(space), cap, budget);
}

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
  /** The encoding of the configuration a point decodes to (`Space.project`). */
  project(point: Float64Array): Float64Array;
}

/**
 * How many further points of the sequence are tried to replace a repeated configuration before
 * the design keeps it (and stops replacing: the space then has about as many configurations as
 * the design has points).
 */
const REPLACEMENT_ATTEMPTS = 64;

/**
 * `n` encoded points of a space drawn by `method` in the unit cube and projected onto the space.
 * A space with no encoded column (only fixed parameters) gives `n` empty points.
 *
 * Distinct configurations (`options.distinct`, default true): two points can project to the same
 * configuration wherever the space has few configurations: in a small discrete space (e.g. 7
 * Sobol points in 3 × 4 × 2 categories), and in a branch of a conditional space whose active
 * parameters are all discrete (`reg: "none"` without children, a `model: "knn"` branch with only
 * `k: int(1, 30)`), even when other branches have continuous parameters. A point whose projection
 * repeats an earlier one (or one of `options.exclude`: the encoded points, as `space.encode` gives
 * them, of configurations already evaluated or pending) is replaced by the next point of the same
 * sequence (Sobol: the following points of the scrambled sequence; LHS and uniform: further
 * uniform points of `rng`) that projects to a new configuration, trying at most 64; when none
 * does, the repeat is kept and so are later ones (the space has fewer distinct configurations
 * than asked for). So a region of m configurations receives at most m points (while replacements
 * last), whatever its share of the sequence, and the replacements fall elsewhere: the knn branch
 * above, half of the unit cube, gets 30 of 1000 points (see `Space.sampleEncoded`), and a log
 * int's small values, in a discrete space, come no more often than the configurations holding
 * them. A design without repeats (as in a space whose every configuration has a continuous
 * parameter active) is exactly the points of the sequence, projected, and so is any design with
 * `distinct: false`.
 *
 * @throws {TypeError} naming the bad argument (`initialDesign.n: must be an integer ≥ 0`).
 *
 * @example
 * ```ts
 * import { initialDesign } from "./design.ts";
 * import { categorical, defineSpace, float, int } from "./mod.ts";
 * import { Rng } from "../random/rng.ts";
 * const space = defineSpace({ x: float(0, 1), k: int(1, 4) });
 * const points = initialDesign(space, 8, new Rng(0)); // 8 scrambled Sobol points, projected
 * const configs = points.map((u) => space.decode(u));
 * const small = defineSpace({ a: categorical(["x", "y", "z"]), b: categorical([1, 2, 3, 4]) });
 * const seven = initialDesign(small, 7, new Rng(3)); // 7 distinct configurations of the 12
 * ```
 */
export function initialDesign(
  space: DesignSpace,
  n: number,
  rng: Rng,
  method: SampleMethod = DESIGN_DEFAULTS.method,
  label = "initialDesign",
  options: {
    /** Replace points that repeat a configuration (default true). */
    distinct?: boolean;
    /** Encoded points of configurations already evaluated or pending, not to be repeated. */
    exclude?: readonly Float64Array[];
  } = {},
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
  parseOrThrow(initialDesignOptionsSchema, options ?? {}, `${label}.options`);
  const exclude = options?.exclude ?? [];
  checkPoints(exclude, space.dim, `${label}.options.exclude`, { finite: true });
  if (n === 0) return [];
  const stream = designStream(n, space.dim, rng, method);
  const design = stream.points.map((u) => space.project(u));
  if (options?.distinct === false || space.dim === 0) return design;
  // Exact coordinates as the key: projections of one configuration are identical points.
  const key = (u: Float64Array) => u.join(",");
  const seen = new Set(exclude.map(key));
  let exhausted = false;
  for (let i = 0; i < n; i++) {
    const k = key(design[i]);
    if (!seen.has(k)) {
      seen.add(k);
      continue;
    }
    if (exhausted) continue;
    exhausted = true;
    for (let attempt = 0; attempt < REPLACEMENT_ATTEMPTS; attempt++) {
      const candidate = space.project(stream.next());
      const candidateKey = key(candidate);
      if (seen.has(candidateKey)) continue;
      seen.add(candidateKey);
      design[i] = candidate;
      exhausted = false;
      break;
    }
  }
  return design;
}

const initialDesignOptionsSchema = z.strictObject({
  distinct: z.boolean().optional(),
  exclude: z.unknown().optional(), // checked by checkPoints, which names the bad point
});

/**
 * The first `n` points of the design sequence of `method` and a generator of the points after
 * them: the Sobol sequence continued (its prefixes do not depend on `n`), or uniform points of
 * `rng` after a Latin hypercube or uniform design (and in dimension > `SOBOL_MAX_DIM`).
 */
function designStream(
  n: number,
  dim: number,
  rng: Rng,
  method: SampleMethod,
): { points: Float64Array[]; next: () => Float64Array } {
  if (dim === 0) {
    return {
      points: Array.from({ length: n }, () => new Float64Array(0)),
      next: () => new Float64Array(0),
    };
  }
  if (method === "sobol" && dim <= SOBOL_MAX_DIM) {
    // `sobol(n, dim, { rng })` is this engine's first `n` points.
    const engine = new SobolEngine(dim, { rng });
    return { points: engine.draw(n), next: () => engine.draw(1)[0] };
  }
  const points = method === "uniform" ? uniformPoints(n, dim, rng) : latinHypercube(n, dim, rng);
  return { points, next: () => rng.uniforms(dim) };
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
  return designStream(n, dim, rng, method).points;
}
