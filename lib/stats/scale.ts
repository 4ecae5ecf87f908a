/**
 * Exact power-of-two rescaling of values of extreme magnitude: sums of squares overflow from
 * about 1e154 and underflow below about 1e-154, so values whose largest magnitude lies beyond
 * 1e±100 are multiplied by a power of two (exact unless it under- or overflows) before squares are
 * taken, and the results are mapped back by the inverse power. Ordinary values are left alone, so
 * their results stay bit-identical.
 *
 * @module
 */

/** Largest |value| above which (or non-zero below whose inverse) values are rescaled. */
const EXTREME_MAGNITUDE = 1e100;

/**
 * The exponent k of the power of two that brings values of extreme magnitude to [1, 2):
 * `⌊log₂ m⌋`, where m is the largest finite |value|, when m > 1e100 or 0 < m < 1e-100; 0
 * otherwise (m in [1e-100, 1e100], all values zero, or none finite). NaN and ±Infinity are
 * skipped. `⌊log₂ m⌋` is `Math.floor(Math.log2(m))`, which rounds: m just below a power of two
 * `2^j` may give j (1024 for the largest double, whose rescaled value is then just below 1). k
 * is not clamped: it ranges over [-1074, 1024], so `2^k` and `2^-k` may not be representable
 * (scale with {@linkcode timesPowerOfTwo}).
 *
 * @example
 * ```ts
 * import { extremeMagnitudeExponent } from "./scale.ts";
 * extremeMagnitudeExponent([1, -3, 5]); // 0
 * extremeMagnitudeExponent([1e200, -3e200, Infinity]); // 665
 * extremeMagnitudeExponent([3e-200, 0]); // -663
 * ```
 */
export function extremeMagnitudeExponent(values: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > big && a !== Infinity) big = a;
  }
  if (!(big > EXTREME_MAGNITUDE || (big > 0 && big < 1 / EXTREME_MAGNITUDE))) return 0;
  return Math.floor(Math.log2(big));
}

/**
 * `x · 2^k`, exact unless the result over- or underflows; k may exceed the float64 exponents
 * (the power is applied in steps of at most 2^±1000).
 *
 * @example
 * ```ts
 * import { timesPowerOfTwo } from "./scale.ts";
 * timesPowerOfTwo(3, 4); // 48
 * timesPowerOfTwo(2 ** -1074, 1074 + 1023); // 2 ** 1023
 * ```
 */
export function timesPowerOfTwo(x: number, k: number): number {
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}
