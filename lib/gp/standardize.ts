/**
 * Overflow-free standardisation of regression targets, the one place where the surrogates and the
 * optimiser turn objective values into well-scaled numbers.
 *
 * The textbook form Σ(y − ȳ)² overflows once the values span more than ~1e154 (the squares pass
 * 1.8e308) and underflows to 0 for values below ~1e-154; the standard deviation is then Infinity
 * or 0 and every prediction NaN. Here the values are first divided by a power of two close to
 * their largest magnitude M (an exact operation), so that they lie in (−2, 2); the mean and the
 * standard deviation are computed there and scaled back:
 *
 *     s = 2^⌊log₂ M⌋,  z_i = y_i / s,  ȳ = s · mean(z),  s_y = s · std(z),
 *     ỹ_i = (z_i − mean(z)) / std(z).
 *
 * Every finite input, from 1e-300 to 1e300 and mixtures of both, gives a finite mean, a finite
 * positive standard deviation and standardised targets with mean 0 and variance 1. Targets are
 * "constant" when they are all equal, when std(z) ≤ 64·ε·max|z| (ε = 2⁻⁵², a spread of a few dozen units in the last place:
 * the round-off of one value computed in different ways), or when their spread is below the
 * smallest subnormal number; then s_y = 1 and ỹ = 0, as scikit-learn's `normalize_y`. Values that
 * share a large offset keep their differences: 10¹² + (x − 0.3)² over x ∈ [0, 1] spreads over
 * about 4,000 units in the last place of 10¹², and is not constant.
 *
 * @module
 */

/** Relative spread below which targets count as constant (round-off of a constant vector). */
const CONSTANT_TOLERANCE = 64 * Number.EPSILON;

/**
 * Targets standardised by {@linkcode standardizeTargets}.
 *
 * @example
 * ```ts
 * import type { TargetStandardization } from "./standardize.ts";
 * const s: TargetStandardization = { mean: 2, std: 1, scaled: Float64Array.of(-1, 1) };
 * ```
 */
export interface TargetStandardization {
  /** The mean ȳ (finite). */
  readonly mean: number;
  /** The population standard deviation s_y (finite, > 0; 1 for constant targets). */
  readonly std: number;
  /** (y − ȳ) / s_y for each target, computed without overflow. */
  readonly scaled: Float64Array;
}

/**
 * Standardises finite targets to mean 0 and variance 1 without overflow or underflow, whatever
 * their magnitude (see the module documentation for the formula).
 *
 * @throws {RangeError} on an empty array or a non-finite value (the message names its index).
 *
 * @example
 * ```ts
 * import { standardizeTargets } from "./standardize.ts";
 * const { mean, std, scaled } = standardizeTargets([0.5, 1e200, 0.7]);
 * // mean ≈ 3.3e199, std ≈ 4.7e199 (finite), scaled ≈ [-0.71, 1.41, -0.71]
 * ```
 */
export function standardizeTargets(
  values: Float64Array | readonly number[],
): TargetStandardization {
  const n = values.length;
  if (n === 0) throw new RangeError("standardizeTargets: values must not be empty");
  let magnitude = 0;
  let equal = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`standardizeTargets: values[${i}]: must be finite, got ${v}`);
    }
    magnitude = Math.max(magnitude, Math.abs(v));
    equal &&= v === values[0];
  }
  if (magnitude === 0) return { mean: 0, std: 1, scaled: new Float64Array(n) };
  const scale = powerOfTwoBelow(magnitude);
  const z = Float64Array.from(values, (v) => v / scale);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += z[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (z[i] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  // Constant up to round-off, or a spread below the smallest subnormal (5e-324): constant. Equal
  // values are tested directly: the round-off of their mean grows with their count (0.1 ten
  // thousand times has a mean about 1,100 units in the last place off 0.1).
  if (equal || !(std > CONSTANT_TOLERANCE * (magnitude / scale)) || std * scale === 0) {
    return { mean: mean * scale, std: 1, scaled: new Float64Array(n) };
  }
  for (let i = 0; i < n; i++) z[i] = (z[i] - mean) / std;
  return { mean: mean * scale, std: std * scale, scaled: z };
}

/** 2^⌊log₂ m⌋ for m > 0, clamped to the normal range so that the division is exact. */
function powerOfTwoBelow(m: number): number {
  const exponent = Math.max(-1022, Math.min(1023, Math.floor(Math.log2(m))));
  return 2 ** exponent;
}
