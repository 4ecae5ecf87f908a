/**
 * Outcome transforms applied to objective values before a surrogate is fitted. All are monotone
 * increasing, so the best observed point stays the best and improvement-based acquisitions keep
 * their meaning in the transformed units.
 *
 * @module
 */
import { standardizeTargets } from "../gp/standardize.ts";
import { quantileSorted } from "../stats/descriptive.ts";

/** The outcome of {@linkcode yeoJohnson}. */
export interface YeoJohnsonResult {
  /** The transformed, standardised values (same order as the input). */
  values: Float64Array;
  /** The power λ chosen by maximum likelihood. */
  lambda: number;
}

/** Grid of λ values searched by {@linkcode yeoJohnson}: −2 to 2 in steps of 0.1. */
const LAMBDA_GRID = Array.from({ length: 41 }, (_, k) => (k - 20) / 10);

function psi(lambda: number, v: number): number {
  if (v >= 0) return Math.abs(lambda) < 1e-12 ? Math.log1p(v) : ((v + 1) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-12
    ? -Math.log1p(-v)
    : -(((1 - v) ** (2 - lambda) - 1) / (2 - lambda));
}

/**
 * The Yeo–Johnson power transform (Yeo & Johnson 2000) of standardised values, z = (y − ȳ)/s:
 *
 * ψ(λ, z) = ((z + 1)^λ − 1)/λ for z ≥ 0 (log(z + 1) at λ = 0), and
 * −((1 − z)^(2−λ) − 1)/(2 − λ) for z < 0 (−log(1 − z) at λ = 2),
 *
 * with λ ∈ [−2, 2] (grid step 0.1) maximising the Gaussian profile log-likelihood
 * −n/2·log σ̂²(ψ) + (λ − 1)·Σ sign(z)·log(|z| + 1); the result is standardised again. As in HEBO
 * (Cowen-Rivers et al. 2022), it compresses the heavy upper tail of objectives such as
 * Goldstein–Price or Rosenbrock (λ < 1) so that a stationary GP can model the low region, and it
 * leaves nearly Gaussian values nearly as they are (λ ≈ 1). Monotone increasing; constant values
 * give zeros.
 *
 * @param values Finite objective values (at least one).
 * @returns The transformed values and λ.
 * @throws {TypeError | RangeError} On an input that is not an array, an empty one or a
 *   non-finite value (the message names the field).
 *
 * @example
 * ```ts
 * import { yeoJohnson } from "./outcome_transform.ts";
 * const { values, lambda } = yeoJohnson([1, 2, 3, 5, 10, 1000]);
 * console.log(lambda < 1); // true: the outlier is pulled in
 * console.log(values[0] < values[1]); // true: the order is kept
 * ```
 */
export function yeoJohnson(values: Float64Array | readonly number[]): YeoJohnsonResult {
  if (!(values instanceof Float64Array) && !Array.isArray(values)) {
    throw new TypeError("yeoJohnson: values: must be a Float64Array or number[]");
  }
  if (values.length === 0) throw new RangeError("yeoJohnson: values: must not be empty");
  values.forEach((v: unknown, i: number) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`yeoJohnson: values[${i}]: must be a finite number, got ${v}`);
    }
  });
  const z = standardizeTargets(values).scaled;
  const n = z.length;
  let logJacobian = 0;
  for (const v of z) logJacobian += Math.sign(v) * Math.log1p(Math.abs(v));
  let best = { lambda: 1, ll: -Infinity };
  for (const lambda of LAMBDA_GRID) {
    const t = z.map((v) => psi(lambda, v));
    let mean = 0;
    for (const v of t) mean += v;
    mean /= n;
    let variance = 0;
    for (const v of t) variance += (v - mean) ** 2;
    variance /= n;
    const ll = -0.5 * n * Math.log(variance) + (lambda - 1) * logJacobian;
    if (variance > 0 && Number.isFinite(ll) && ll > best.ll) best = { lambda, ll };
  }
  if (!Number.isFinite(best.ll)) return { values: new Float64Array(n), lambda: 1 };
  return {
    values: standardizeTargets(z.map((v) => psi(best.lambda, v))).scaled,
    lambda: best.lambda,
  };
}

/** Percentile of the values that sets the offset of {@linkcode logScaled} (SMAC's 5). */
const LOG_SCALE_PERCENTILE = 0.05;
/** Smallest offset below the minimum of {@linkcode logScaled}, relative to the range (SMAC's 1e-10). */
const LOG_SCALE_EPSILON = 1e-10;

/**
 * SMAC's log-scaled costs (`RunHistoryLogScaledEncoder`, the encoder of its hyperparameter
 * optimisation facade): the values are scaled linearly to (0, 1] with a lower bound below the
 * minimum by the distance from the minimum to the 5th percentile (at least 10⁻¹⁰ of the range),
 * then log-transformed: `log((y − lo)/(max − lo))`, `lo = min − (p₅ − min) − ε`. Monotone
 * increasing; the best value maps to the lowest, spread out from the rest, as a log scale of
 * costs near their minimum does. Constant values give zeros. Where `lo` rounds back to `min` (a
 * tied minimum with |min| ≳ 10⁶ times the range), ε is 10⁻¹⁰·max(|min|, range) instead, so that
 * every value stays finite.
 *
 * @param values Finite objective values (at least one).
 * @returns The transformed values (≤ 0, the largest at 0).
 * @throws {TypeError | RangeError} On an input that is not an array, an empty one or a
 *   non-finite value (the message names the field).
 *
 * @example
 * ```ts
 * import { logScaled } from "./outcome_transform.ts";
 * const t = logScaled([1, 2, 3, 100]);
 * console.log(t[3]); // 0 (the largest value)
 * console.log(t[0] < t[1]); // true
 * ```
 */
export function logScaled(values: Float64Array | readonly number[]): Float64Array {
  if (!(values instanceof Float64Array) && !Array.isArray(values)) {
    throw new TypeError("logScaled: values: must be a Float64Array or number[]");
  }
  if (values.length === 0) throw new RangeError("logScaled: values: must not be empty");
  values.forEach((v: unknown, i: number) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`logScaled: values[${i}]: must be a finite number, got ${v}`);
    }
  });
  const sorted = Float64Array.from(values).sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (!(max > min)) return new Float64Array(values.length);
  const percentile = quantileSorted(sorted, LOG_SCALE_PERCENTILE);
  const range = max - min;
  let lower = min - Math.max(percentile - min, 0) - LOG_SCALE_EPSILON * range;
  // A tied minimum far from zero (|min| ≳ 1e6·range): min − ε·range rounds back to min, which
  // would map to log 0 = −Infinity. The gap is then relative to |min| instead.
  if (!(lower < min)) lower = min - LOG_SCALE_EPSILON * Math.max(Math.abs(min), range);
  return Float64Array.from(values, (v) => Math.log((v - lower) / (max - lower)));
}
