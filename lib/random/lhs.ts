/**
 * Latin hypercube designs (McKay, Beckman and Conover 1979): every one-dimensional projection of
 * `n` points puts exactly one point in each of the `n` intervals [k/n, (k+1)/n).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Rng } from "./rng.ts";
import { nonNegativeIntSchema, parseOrThrow, positiveIntSchema, rngSchema } from "../validate.ts";

/** Options of {@linkcode latinHypercube}. */
export interface LatinHypercubeOptions {
  /**
   * Put each point at the centre of its interval instead of uniformly inside it (default false,
   * like `scipy.stats.qmc.LatinHypercube(scramble=True)`).
   */
  centered?: boolean;
}

/**
 * Defaults of {@linkcode latinHypercube}.
 *
 * @example
 * ```ts
 * import { LATIN_HYPERCUBE_DEFAULTS } from "./lhs.ts";
 * console.log(LATIN_HYPERCUBE_DEFAULTS.centered); // false
 * ```
 */
export const LATIN_HYPERCUBE_DEFAULTS: { readonly centered: boolean } = Object.freeze({
  centered: false,
});

const optionsSchema = z.object({ centered: z.boolean().optional() }).strict();

/**
 * A random Latin hypercube of `n` points in [0, 1)^dim: independent random permutations of the
 * `n` strata per dimension, with a uniform position inside each stratum (or its centre).
 *
 * @throws {TypeError} on a bad `n`, `dim`, `rng` or option (the message names the field).
 *
 * @example
 * ```ts
 * import { latinHypercube, Rng } from "./mod.ts";
 * const points = latinHypercube(10, 2, new Rng(3));
 * // each column has one value in [0, 0.1), one in [0.1, 0.2), ..., one in [0.9, 1)
 * console.log(points.map((p) => Math.floor(p[0] * 10)).sort((a, b) => a - b));
 * ```
 */
export function latinHypercube(
  n: number,
  dim: number,
  rng: Rng,
  options: LatinHypercubeOptions = {},
): Float64Array[] {
  parseOrThrow(nonNegativeIntSchema, n, "latinHypercube.n");
  parseOrThrow(positiveIntSchema, dim, "latinHypercube.dim");
  parseOrThrow(rngSchema, rng, "latinHypercube.rng");
  const { centered = LATIN_HYPERCUBE_DEFAULTS.centered } = parseOrThrow(
    optionsSchema,
    options,
    "latinHypercube.options",
  );
  const points: Float64Array[] = Array.from({ length: n }, () => new Float64Array(dim));
  const strata = Array.from({ length: n }, (_, i) => i);
  for (let d = 0; d < dim; d++) {
    rng.shuffle(strata);
    for (let i = 0; i < n; i++) {
      const offset = centered ? 0.5 : rng.uniform();
      const x = (strata[i] + offset) / n;
      // (k + u) / n may round up to (k + 1) / n for u just below 1: kept inside stratum k.
      const top = (strata[i] + 1) / n;
      points[i][d] = x < top ? x : top * (1 - 2 ** -52);
    }
  }
  return points;
}
