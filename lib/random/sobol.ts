/**
 * Sobol low-discrepancy sequences with Joe–Kuo direction numbers, optionally scrambled the way
 * `scipy.stats.qmc.Sobol` does it (Matoušek's linear matrix scrambling followed by a random digital
 * shift, Owen 1998 / Matoušek 1998).
 *
 * Points are 32-bit binary fractions, generated in Gray-code order (Antonov–Saleev), so the
 * unscrambled sequence starts 0, 1/2, 3/4, 1/4, … in every dimension's first coordinate and matches
 * scipy's `Sobol(d, scramble=False)` point for point. The balance properties of a Sobol net hold
 * for blocks of 2^k consecutive points starting at a multiple of 2^k: draw powers of two.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Rng } from "./rng.ts";
import { nonNegativeIntSchema, parseOrThrow, positiveIntSchema, rngSchema } from "../validate.ts";
import { JOE_KUO_LINES, SOBOL_MAX_DIM } from "./sobol_direction_numbers.ts";

export { SOBOL_MAX_DIM };

/** Bits per coordinate; also bounds the sequence length to 2^BITS points. */
const BITS = 32;
const TWO_POW_BITS = 2 ** BITS;

/**
 * Options of {@linkcode sobol} and {@linkcode SobolEngine}.
 *
 * Defaults ({@linkcode SOBOL_DEFAULTS}): `scramble: true`, `skip: 0`. Scrambling needs `rng`.
 */
export interface SobolOptions {
  /** Apply linear matrix scrambling and a digital shift (default true; needs `rng`). */
  scramble?: boolean;
  /** Source of the scrambling matrices and shift; required when `scramble` is true. */
  rng?: Rng;
  /** Number of leading points to skip (default 0); only {@linkcode sobol} accepts it. */
  skip?: number;
}

/**
 * Defaults of the Sobol options.
 *
 * @example
 * ```ts
 * import { SOBOL_DEFAULTS } from "./sobol.ts";
 * console.log(SOBOL_DEFAULTS.scramble); // true
 * ```
 */
export const SOBOL_DEFAULTS: { readonly scramble: boolean; readonly skip: number } = Object.freeze({
  scramble: true,
  skip: 0,
});

const engineOptionsShape = {
  scramble: z.boolean().optional(),
  rng: rngSchema.optional(),
};

function requireRngWhenScrambling(
  options: { scramble?: boolean; rng?: Rng },
  ctx: z.RefinementCtx,
): void {
  if ((options.scramble ?? SOBOL_DEFAULTS.scramble) && options.rng === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["rng"],
      message: "required when scramble is true (pass an Rng, or scramble: false)",
    });
  }
}

const engineOptionsSchema = z.object(engineOptionsShape).strict().superRefine(
  requireRngWhenScrambling,
);
const sobolOptionsSchema = z.object({
  ...engineOptionsShape,
  skip: nonNegativeIntSchema.optional(),
})
  .strict().superRefine(requireRngWhenScrambling);

const sobolDimSchema = positiveIntSchema.max(SOBOL_MAX_DIM, `must be at most ${SOBOL_MAX_DIM}`);

let joeKuoRows: string[] | undefined;

/** The BITS direction numbers V_1..V_BITS of one dimension (0-based), each as m_k·2^(BITS−k). */
function directionNumbers(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dimension === 0) {
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  joeKuoRows ??= JOE_KUO_LINES.split("\n");
  const fields = joeKuoRows[dimension - 1].split(" ").map(Number);
  const s = fields[1];
  const a = fields[2];
  for (let k = 0; k < s; k++) v[k] = fields[3 + k] * 2 ** (BITS - 1 - k);
  // Bratley–Fox recurrence on shifted direction numbers (Joe & Kuo's reference code).
  for (let k = s; k < BITS; k++) {
    let next = v[k - s] ^ (v[k - s] >>> s);
    for (let j = 1; j < s; j++) {
      if ((a >>> (s - 1 - j)) & 1) next ^= v[k - j];
    }
    v[k] = next >>> 0;
  }
  return v;
}

function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Left-multiplies each direction number (a column of the generator matrix, most significant digit
 * first) by a random lower-triangular binary matrix with unit diagonal.
 */
function scrambleDirections(v: Uint32Array, rng: Rng): void {
  const rows = new Uint32Array(BITS);
  for (let i = 0; i < BITS; i++) {
    // Row i may mix digits 0..i-1 (the i highest bits) into digit i; its diagonal is 1.
    const lowerMask = i === 0 ? 0 : (0xffffffff << (BITS - i)) >>> 0;
    rows[i] = ((rng.nextUint32() & lowerMask) | (1 << (BITS - 1 - i))) >>> 0;
  }
  for (let k = 0; k < BITS; k++) {
    let scrambled = 0;
    for (let i = 0; i < BITS; i++) {
      if (parity32(rows[i] & v[k])) scrambled |= 1 << (BITS - 1 - i);
    }
    v[k] = scrambled >>> 0;
  }
}

/** Index (0-based) of the lowest set bit of a positive integer below 2^32. */
function lowestSetBit(x: number): number {
  const low = x >>> 0;
  return 31 - Math.clz32(low & -low);
}

/**
 * A stateful Sobol generator for sequential use: successive {@linkcode SobolEngine.draw} calls
 * continue the same sequence, so `draw(4)` then `draw(4)` equals one `draw(8)`.
 *
 * @example
 * ```ts
 * import { Rng, SobolEngine } from "./mod.ts";
 * const engine = new SobolEngine(3, { rng: new Rng(0) });
 * const first = engine.draw(8); // 8 scrambled points of [0, 1)^3
 * const next = engine.draw(8); // the following 8 points of the same sequence
 * console.log(first.length + next.length, engine.index); // 16 16
 * ```
 */
export class SobolEngine {
  /** Dimension of the points. */
  readonly dim: number;
  /** Whether the sequence is scrambled. */
  readonly scrambled: boolean;
  /** Direction numbers, BITS per dimension. */
  #directions: Uint32Array;
  /** Digital shift per dimension (zero when unscrambled). */
  #shift: Uint32Array;
  /** The point at #index, as BITS-bit integers. */
  #state: Uint32Array;
  #index = 0;

  /**
   * Creates a generator of `dim`-dimensional points (1 ≤ dim ≤ {@linkcode SOBOL_MAX_DIM}).
   * Scrambling (the default) draws its matrices and shift from `options.rng` now.
   */
  constructor(dim: number, options: Omit<SobolOptions, "skip"> = {}) {
    this.dim = parseOrThrow(sobolDimSchema, dim, "SobolEngine.dim");
    const parsed = parseOrThrow(engineOptionsSchema, options, "SobolEngine.options");
    this.scrambled = parsed.scramble ?? SOBOL_DEFAULTS.scramble;
    this.#directions = new Uint32Array(this.dim * BITS);
    this.#shift = new Uint32Array(this.dim);
    for (let d = 0; d < this.dim; d++) {
      const v = directionNumbers(d);
      if (this.scrambled) {
        const rng = parsed.rng as Rng;
        scrambleDirections(v, rng);
        this.#shift[d] = rng.nextUint32();
      }
      this.#directions.set(v, d * BITS);
    }
    this.#state = this.#shift.slice();
  }

  /** Number of points drawn or skipped so far (the index of the next point). */
  get index(): number {
    return this.#index;
  }

  /** Draws the next `n` points, each a `Float64Array` in [0, 1)^dim. */
  draw(n: number): Float64Array[] {
    parseOrThrow(nonNegativeIntSchema, n, "SobolEngine.draw.n");
    this.#checkCapacity(n, "SobolEngine.draw.n");
    const points: Float64Array[] = new Array(n);
    const { dim } = this;
    for (let i = 0; i < n; i++) {
      const point = new Float64Array(dim);
      for (let d = 0; d < dim; d++) point[d] = this.#state[d] / TWO_POW_BITS;
      points[i] = point;
      this.#index++;
      if (this.#index < TWO_POW_BITS) {
        const offset = lowestSetBit(this.#index);
        for (let d = 0; d < dim; d++) this.#state[d] ^= this.#directions[d * BITS + offset];
      }
    }
    return points;
  }

  /** Skips the next `n` points without generating them; returns this engine. */
  fastForward(n: number): this {
    parseOrThrow(nonNegativeIntSchema, n, "SobolEngine.fastForward.n");
    this.#checkCapacity(n, "SobolEngine.fastForward.n");
    this.#seek(this.#index + n);
    return this;
  }

  /** Returns to the first point of the same (same scrambling) sequence; returns this engine. */
  reset(): this {
    this.#seek(0);
    return this;
  }

  #seek(index: number): void {
    const gray = index < TWO_POW_BITS ? (index ^ Math.floor(index / 2)) >>> 0 : 0;
    this.#state.set(this.#shift);
    for (let k = 0; k < BITS; k++) {
      if ((gray >>> k) & 1) {
        for (let d = 0; d < this.dim; d++) this.#state[d] ^= this.#directions[d * BITS + k];
      }
    }
    this.#index = index;
  }

  #checkCapacity(n: number, label: string): void {
    if (this.#index + n > TWO_POW_BITS) {
      throw new RangeError(
        `${label}: the sequence has 2^${BITS} points; ${this.#index} used, ${n} more requested`,
      );
    }
  }
}

/**
 * The first `n` points (after `options.skip`) of a `dim`-dimensional Sobol sequence, scrambled by
 * default, each a `Float64Array` in [0, 1)^dim.
 *
 * @throws {TypeError} on a bad `n`, `dim` or option (the message names the field), including a
 * missing `rng` while `scramble` is true.
 *
 * @example
 * ```ts
 * import { Rng, sobol } from "./mod.ts";
 * const points = sobol(16, 2, { rng: new Rng(7) }); // scrambled, seeded
 * const plain = sobol(4, 2, { scramble: false }); // [0,0], [0.5,0.5], [0.75,0.25], [0.25,0.75]
 * console.log(points.length, plain[1]); // 16 Float64Array(2) [0.5, 0.5]
 * ```
 */
export function sobol(n: number, dim: number, options: SobolOptions = {}): Float64Array[] {
  parseOrThrow(nonNegativeIntSchema, n, "sobol.n");
  parseOrThrow(sobolDimSchema, dim, "sobol.dim");
  const { skip, ...engineOptions } = parseOrThrow(sobolOptionsSchema, options, "sobol.options");
  const engine = new SobolEngine(dim, engineOptions);
  return engine.fastForward(skip ?? SOBOL_DEFAULTS.skip).draw(n);
}
