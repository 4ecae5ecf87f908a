/**
 * Seeded pseudo-random numbers: every random choice in metahpo takes an {@linkcode Rng}.
 *
 * The generator is xoshiro128** (Blackman and Vigna) seeded through splitmix32, so a seed gives
 * the same stream on every platform; doubles carry 53 random bits.
 *
 * @module
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded generator of uniform and normal variates.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const rng = new Rng(42);
 * const u = rng.uniform(); // in [0, 1)
 * const z = rng.normal(); // standard normal
 * const child = rng.spawn(); // an independent stream, itself deterministic
 * ```
 */
export class Rng {
  /**
   * The four 32-bit state words, in an Int32Array so that they stay unboxed (a word of 2³¹ or
   * more held as a number would be a heap double on every draw); the bits are those of the
   * unsigned words.
   */
  #s = new Int32Array(4);
  #spareNormal: number | undefined;

  /**
   * Creates a generator from an integer seed (any finite number; its integer part is used).
   * Distinct integers of the safe range (|seed| ≤ 2⁵³ − 1, what the optimisers' `seed` options
   * accept), negative ones included, give distinct streams; beyond it, seeds that agree modulo
   * 2⁶⁴ share one.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    }
    // The integer part as two 32-bit words (two's complement for negative seeds, so that −1 and
    // 2³² − 1 are different seeds). The low word seeds the four state words through splitmix32;
    // a non-zero high word (a negative seed, or one of 2³² or more) is mixed into the last three
    // through a second splitmix32 sequence. The first state word is a bijection of the low word,
    // and the high word's first mix a bijection of the high word, so distinct pairs of words give
    // distinct states; seeds in [0, 2³²) keep the stream of the low word alone.
    const whole = Math.trunc(seed);
    const low = whole >>> 0;
    const high = Math.floor(whole / 4294967296) >>> 0;
    const next = splitmix32(low);
    const s = this.#s;
    s[0] = next();
    s[1] = next();
    s[2] = next();
    s[3] = next();
    if (high !== 0) {
      const mix = splitmix32(high);
      s[1] ^= mix();
      s[2] ^= mix();
      s[3] ^= mix();
    }
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** The next 32 uniformly random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /**
   * A uniform double in [low, high) for finite `low` ≤ `high` (`low` itself when they are equal):
   * `low + (high − low)·u`, or, when `high − low` leaves the float64 range, the same on halved
   * bounds, doubled. As numpy's `Generator.uniform`, the sum may round up to `high` (rarely: when
   * `high − low` is small next to |low|, or for u just below 1).
   *
   * @throws {RangeError} naming the bounds when one is not finite or `low` > `high`
   * (`Rng.uniformIn: need finite low ≤ high, got low = 5, high = 1`).
   *
   * @example
   * ```ts
   * import { Rng } from "./rng.ts";
   * const x = new Rng(0).uniformIn(-1, 1); // in [−1, 1)
   * ```
   */
  uniformIn(low: number, high: number): number {
    if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
      throw new RangeError(
        `Rng.uniformIn: need finite low ≤ high, got low = ${low}, high = ${high}`,
      );
    }
    const width = high - low;
    const u = this.uniform();
    return Number.isFinite(width) ? low + width * u : 2 * (low / 2 + (high / 2 - low / 2) * u);
  }

  /**
   * A uniform integer in [0, n) for a positive integer n ≤ 2⁵³. Up to n = 2³² (every bound the
   * library draws with: array lengths and 31-bit seeds) it is ⌊u·n⌋ of one {@linkcode uniform}
   * u, the draw of earlier versions that the committed results used: u takes 2⁵³ equally likely
   * values, so each integer has probability within a relative n/2⁵³ ≤ 2⁻²¹ of 1/n. Beyond 2³²
   * that bias would grow (at n = 3·2⁵¹ the residues mod 3 come out over 10% away from equal
   * shares; at 2⁶⁰ all draws are even), so there the draw is exact: 53 random bits k are drawn
   * until k < n·⌊2⁵³/n⌋, and k mod n is returned.
   *
   * @throws {RangeError} naming `n` when it is not a positive integer, or is beyond 2⁵³, where
   * not every integer below it is a double (`Rng.integer: n must be at most 2^53, got 2^60`).
   *
   * @example
   * ```ts
   * import { Rng } from "./rng.ts";
   * const rng = new Rng(0);
   * const die = 1 + rng.integer(6); // 1 … 6
   * const big = rng.integer(3 * 2 ** 51); // exactly uniform over [0, 3·2⁵¹)
   * ```
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Rng.integer needs a positive integer bound, got ${n}`);
    }
    if (n <= FLOOR_DRAW_LIMIT) return Math.floor(this.uniform() * n);
    if (n > TWO_53) {
      throw new RangeError(`Rng.integer: n must be at most 2^53, got ${describeBound(n)}`);
    }
    // Rejection sampling on the 53-bit integers k = u·2⁵³ (exact), all of whose residues mod n
    // below the largest multiple of n are equally likely.
    const accept = TWO_53 - (TWO_53 % n);
    let k: number;
    do k = this.uniform() * TWO_53; while (k >= accept);
    return k % n;
  }

  /** A standard normal variate (Marsaglia's polar method). */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * factor;
    return u * factor;
  }

  /**
   * An array of n uniform doubles in [0, 1).
   *
   * @throws {RangeError} naming `n` when it is not a non-negative integer.
   */
  uniforms(n: number): Float64Array {
    checkCount(n, "Rng.uniforms");
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform();
    return out;
  }

  /**
   * An array of n standard normal variates.
   *
   * @throws {RangeError} naming `n` when it is not a non-negative integer.
   */
  normals(n: number): Float64Array {
    checkCount(n, "Rng.normals");
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /**
   * `k` distinct integers from [0, n) in random order: the first `k` entries of a partial
   * Fisher–Yates shuffle of 0 … n − 1 (entry i swapped with a uniform j ≥ i, for i < k), the
   * swapped entries kept in a map rather than an array of n, so a draw costs O(k) whatever n
   * (up to 2⁵³, see {@linkcode Rng.integer}).
   *
   * @throws {RangeError} naming `n` and `k` unless they are integers with 0 ≤ k ≤ n, and naming
   * `n` beyond 2⁵³.
   *
   * @example
   * ```ts
   * import { Rng } from "./rng.ts";
   * const picked = new Rng(1).choose(60_000, 5); // 5 distinct row indices
   * console.log(new Set(picked).size); // 5
   * ```
   */
  choose(n: number, k: number): number[] {
    if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`choose(n, k): need integers 0 ≤ k ≤ n, got n = ${n}, k = ${k}`);
    }
    if (n > TWO_53) {
      throw new RangeError(`choose(n, k): n must be at most 2^53, got ${describeBound(n)}`);
    }
    const moved = new Map<number, number>();
    const out = new Array<number>(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.integer(n - i);
      out[i] = moved.get(j) ?? j;
      // Entry i is never read again (later draws take j ≥ i + 1); entry j takes entry i's value.
      moved.set(j, moved.get(i) ?? i);
    }
    return out;
  }

  /**
   * A generator in this one's present state: it draws the numbers this one would draw next, and
   * the two then advance independently (e.g. to undo draws by keeping a copy from before them).
   *
   * @example
   * ```ts
   * import { Rng } from "./rng.ts";
   * const rng = new Rng(3);
   * const copy = rng.clone();
   * console.log(rng.uniform() === copy.uniform()); // true
   * ```
   */
  clone(): Rng {
    const copy = new Rng(0);
    copy.#s.set(this.#s);
    copy.#spareNormal = this.#spareNormal;
    return copy;
  }

  /**
   * A new generator whose stream is independent of this one's; advances this generator. The
   * child's seed is 32 bits folded from the next 64 of this stream (the streams of earlier
   * versions, which the committed results used, are kept).
   */
  spawn(): Rng {
    const whole = this.nextUint32() * 4294967296 + this.nextUint32();
    const high = Math.floor(whole / 4294967296) >>> 0;
    return new Rng(((whole >>> 0) ^ Math.imul(high, 0x27d4eb2f)) >>> 0);
  }

  /**
   * The generator of one named stream of a seed, `new Rng(fnv1a32(`${seed}:${name}`))`: its
   * numbers depend on the seed and the name only, not on which other streams are drawn or in
   * which order (a past task's model fitted with the stream of its id is the same wherever the
   * task sits in a list).
   *
   * @example
   * ```ts
   * import { Rng } from "./rng.ts";
   * const a = Rng.stream(0, "task-a").uniform();
   * console.log(a === Rng.stream(0, "task-a").uniform()); // true
   * ```
   */
  static stream(seed: number, name: string): Rng {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Rng.stream seed must be a finite number, got ${seed}`);
    }
    return new Rng(fnv1a32(`${seed}:${name}`));
  }
}

/**
 * 32-bit FNV-1a hash of a string's UTF-8 bytes (Fowler, Noll and Vo): a stable integer seed from a
 * name.
 *
 * @example
 * ```ts
 * import { fnv1a32 } from "./rng.ts";
 * console.log(fnv1a32("")); // 2166136261
 * ```
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** 2⁵³: beyond it not every integer is a double. */
const TWO_53 = 9007199254740992;
/** Up to this bound {@linkcode Rng.integer} keeps the ⌊u·n⌋ draw of earlier versions. */
const FLOOR_DRAW_LIMIT = 4294967296;

/** A bound for an error message: `2^60` for a power of two beyond 2⁵³, the number otherwise. */
function describeBound(n: number): string {
  const e = Math.round(Math.log2(n));
  return n > TWO_53 && 2 ** e === n ? `2^${e}` : String(n);
}

/** Throws a `RangeError` naming `n` unless it is a non-negative integer (an array length). */
function checkCount(n: number, label: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${label}: n must be a non-negative integer, got ${n}`);
  }
}
