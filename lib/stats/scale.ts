/**
 * Exact power-of-two rescaling of values of extreme magnitude. A statistic that raises deviations
 * to the power p (2 for variances, 3 for skewness, 4 for kurtosis) overflows or underflows when the
 * largest |value| m is far enough from 1: squares from about 1e±154, fourth powers from about
 * 1e±77. So values whose m lies beyond 10^(±200/p) (1e±100, 1e±66, 1e±50) are multiplied by a power
 * of two that brings m to [1, 2) (exact unless a value under- or overflows) before the powers are
 * taken, and scale-dependent results are mapped back by the inverse power. Other values are left
 * alone, so their results stay bit-identical.
 *
 * @module
 */

/** The bound 10^(200/p) beyond which (or non-zero below whose inverse) values are rescaled. */
const EXTREME_MAGNITUDE: Readonly<Record<number, number>> = { 2: 1e100, 3: 1e66, 4: 1e50 };

/** The largest finite |value| (0 when no value is finite and non-zero). */
function largestFiniteMagnitude(values: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > big && a !== Infinity) big = a;
  }
  return big;
}

/**
 * The exponent k of the power of two that brings the largest finite |value| m to [1, 2):
 * `⌊log₂ m⌋`, whatever m (0 when m is 0 or no value is finite). NaN and ±Infinity are skipped.
 * `⌊log₂ m⌋` is `Math.floor(Math.log2(m))`, which rounds: m just below a power of two `2^j` may
 * give j (1024 for the largest double, whose rescaled value is then just below 1). k ranges over
 * [-1074, 1024], so `2^k` and `2^-k` may not be representable (scale with
 * {@linkcode timesPowerOfTwo}).
 *
 * @example
 * ```ts
 * import { magnitudeExponent } from "./scale.ts";
 * magnitudeExponent([1, -3, 5]); // 2
 * magnitudeExponent([1.5e308, NaN]); // 1023
 * magnitudeExponent([0, Infinity]); // 0
 * ```
 */
export function magnitudeExponent(values: ArrayLike<number>): number {
  const big = largestFiniteMagnitude(values);
  return big === 0 ? 0 : Math.floor(Math.log2(big));
}

/**
 * {@linkcode magnitudeExponent} when the values are of extreme magnitude for a statistic of
 * order `order` (the power deviations are raised to: 2, the default, for variances and
 * covariances, 3 for skewness, 4 for kurtosis), that is when the largest finite |value| m exceeds
 * 10^(200/order) (1e100, 1e66, 1e50) or is non-zero and below its inverse; 0 otherwise (m within
 * those bounds, all values zero, or none finite). Within the bounds the order-th powers of the
 * deviations stay within about 1e±200, even for deviations 1e-16 times m.
 *
 * @throws {RangeError} when `order` is not 2, 3 or 4.
 *
 * @example
 * ```ts
 * import { extremeMagnitudeExponent } from "./scale.ts";
 * extremeMagnitudeExponent([1, -3, 5]); // 0
 * extremeMagnitudeExponent([1e200, -3e200, Infinity]); // 665
 * extremeMagnitudeExponent([3e-200, 0]); // -663
 * extremeMagnitudeExponent([1e80, 3e80]); // 0: squares of 1e80 are representable
 * extremeMagnitudeExponent([1e80, 3e80], 4); // 267: fourth powers of 1e80 are not
 * ```
 */
export function extremeMagnitudeExponent(values: ArrayLike<number>, order = 2): number {
  const bound = EXTREME_MAGNITUDE[order];
  if (bound === undefined) {
    throw new RangeError(`extremeMagnitudeExponent: order must be 2, 3 or 4, got ${order}`);
  }
  const big = largestFiniteMagnitude(values);
  if (!(big > bound || (big > 0 && big < 1 / bound))) return 0;
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

/**
 * Where `value` lies in the range from `min` to `max`, as a fraction: `(value − min) / (max −
 * min)`, not clipped. Finite for finite arguments with `max > min` even when a difference
 * overflows (values spanning ±1e308): the three are then halved first, which gives the same
 * fraction up to rounding.
 *
 * @example
 * ```ts
 * import { rangeFraction } from "./scale.ts";
 * rangeFraction(1, 0, 4); // 0.25
 * rangeFraction(0, -1.5e308, 1.5e308); // 0.5 (max − min overflows)
 * ```
 */
export function rangeFraction(value: number, min: number, max: number): number {
  const span = max - min, offset = value - min;
  if (Number.isFinite(span) && (Number.isFinite(offset) || !Number.isFinite(value))) {
    return offset / span;
  }
  return (value / 2 - min / 2) / (max / 2 - min / 2);
}
