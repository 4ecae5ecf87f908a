/**
 * Pathwise posterior samples of a Gaussian process (Wilson, Borovitskiy, Terenin, Mostowsky &
 * Deisenroth 2020, "Efficiently sampling functions from Gaussian process posteriors", ICML; BoTorch's
 * `draw_matheron_paths`): a function drawn from the prior by random Fourier features (Rahimi &
 * Recht 2007), corrected by Matheron's update with the training data,
 *
 *   f_post(x) = c + f_prior(x) + k(x, X)·(K + σ²I)⁻¹·(ỹ − c − f_prior(X) − ε),   ε ~ N(0, σ²I),
 *
 * in the GP's standardised units (ỹ the standardised targets, c the constant prior mean, σ² the
 * noise variance plus any Cholesky jitter), then mapped to the original units as the GP's
 * predictions are: mean + std·f_post(x). The prior sample is
 * f_prior(x) = Σⱼ wⱼ·√(2s²/F)·cos(ωⱼᵀx + bⱼ) with F frequencies ωⱼ from the kernel's spectral
 * measure (`Kernel.spectralSample`), phases bⱼ ~ U[0, 2π) and weights wⱼ ~ N(0, 1). Matheron's
 * rule makes f_post a draw from the posterior whenever f_prior is one from the prior; with random
 * features the prior, and so the posterior, is approximate, and it is exact on average over the
 * features: each path has its own features, so the mean and covariance of f_post over paths are
 * the exact posterior mean and covariance (both are linear in the feature kernel, whose
 * expectation is k).
 *
 * A path is a deterministic function with an analytic gradient: evaluating it at m points costs
 * O(m·(F + n)·dim) (n training points), against O(m³) for a joint draw on m points, and it can
 * be maximised by gradient methods (Thompson sampling in continuous spaces).
 *
 * @module
 */
import type { Kernel } from "./kernels.ts";
import { checkedSpectralSample } from "./kernels.ts";
import { packRows, solveLower, solveLowerTranspose } from "../linalg/mod.ts";
import type { Rng } from "../random/rng.ts";
import { checkPoint, checkPoints } from "../validate.ts";

/**
 * Options of `GaussianProcess.samplePaths`; defaults in {@linkcode SAMPLE_PATH_DEFAULTS}.
 *
 * @example
 * ```ts
 * import type { SamplePathOptions } from "./pathwise.ts";
 * const options: SamplePathOptions = { features: 2048 };
 * ```
 */
export interface SamplePathOptions {
  /** Random Fourier features F of each path's prior sample (a positive integer). */
  features?: number;
}

/**
 * Defaults of {@linkcode SamplePathOptions}: 1024 random Fourier features per path (BoTorch's
 * `draw_matheron_paths` uses 1024 too).
 *
 * @example
 * ```ts
 * import { SAMPLE_PATH_DEFAULTS } from "./pathwise.ts";
 * console.log(SAMPLE_PATH_DEFAULTS.features); // 1024
 * ```
 */
export const SAMPLE_PATH_DEFAULTS: Readonly<{ features: number }> = Object.freeze({
  features: 1024,
});

/**
 * One posterior function sample of a GP (see the module documentation), in the GP's original
 * target units.
 *
 * @example
 * ```ts
 * import { fitGP } from "./gp.ts";
 * import { Rng } from "../random/rng.ts";
 * import type { SamplePath } from "./pathwise.ts";
 * const gp = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)], [1, 0, 2]);
 * const [path]: SamplePath[] = gp.samplePaths!(1, new Rng(0));
 * const values = path.evaluate([Float64Array.of(0.3), Float64Array.of(0.7)]);
 * const { value, gradient } = path.valueAndGradient(Float64Array.of(0.3)); // value = values[0]
 * ```
 */
export interface SamplePath {
  /** Number of input dimensions. */
  readonly dim: number;
  /** Number of random Fourier features of its prior sample. */
  readonly features: number;
  /** The path's values at `points` (finite coordinates, `dim` each). */
  evaluate(points: readonly Float64Array[]): Float64Array;
  /** The path's value at `point` and its gradient with respect to the point. */
  valueAndGradient(point: Float64Array): { value: number; gradient: Float64Array };
}

/**
 * @internal What a fitted exact GP hands to {@linkcode matheronPath}: its kernel and
 * log-hyperparameters, its n training inputs, the Cholesky factor L of K + (σ² + jitter)·I, the
 * weights α = (K + (σ² + jitter)·I)⁻¹(ỹ − c) of its posterior mean, and the affine map to the
 * original units.
 */
export interface PathPosterior {
  readonly kernel: Kernel;
  readonly theta: Float64Array;
  /** Training inputs, n×dim row-major. */
  readonly x: Float64Array;
  readonly n: number;
  readonly lower: Float64Array;
  readonly alpha: Float64Array;
  /** σ² + jitter: the variance of the noise ε of Matheron's update. */
  readonly noise: number;
  /** The constant prior mean c of the standardised targets. */
  readonly constant: number;
  /** Original units: shift + scale·f. */
  readonly shift: number;
  readonly scale: number;
}

/**
 * F random Fourier features of a stationary kernel (Rahimi & Recht 2007, "Random features for
 * large-scale kernel machines"): φⱼ(x) = `amplitude`·cos(ωⱼᵀx + bⱼ) with ωⱼ from the kernel's
 * spectral measure, bⱼ ~ U[0, 2π) and `amplitude` = √(2s²/F), s² = k(x, x), so that
 * E[φ(x)ᵀφ(x')] = k(x, x') and Σⱼ wⱼφⱼ(x), w ~ N(0, I), is an approximate prior sample.
 *
 * @example
 * ```ts
 * import { randomFourierFeatures } from "./pathwise.ts";
 * import { matern52Kernel } from "./kernels.ts";
 * import { Rng } from "../random/rng.ts";
 * const rff = randomFourierFeatures(matern52Kernel(2), new Float64Array(3), 4096, new Rng(0));
 * const phi = rff.map([Float64Array.of(0.1, 0.2), Float64Array.of(0.3, 0.1)]); // 2×4096
 * let k01 = 0;
 * for (let j = 0; j < rff.count; j++) k01 += phi[j] * phi[rff.count + j]; // ≈ k(x₀, x₁)
 * ```
 */
export interface RandomFourierFeatures {
  /** Number of input dimensions. */
  readonly dim: number;
  /** Number of features F. */
  readonly count: number;
  /** The frequencies ωⱼ, F×dim row-major. */
  readonly frequencies: Float64Array;
  /** The phases bⱼ in [0, 2π). */
  readonly phases: Float64Array;
  /** √(2s²/F). */
  readonly amplitude: number;
  /** φ(x) of each point: an m×F matrix, row-major. */
  map(points: readonly Float64Array[]): Float64Array;
}

/**
 * Draws {@linkcode RandomFourierFeatures} of `kernel` at log-hyperparameters `theta`: `count`
 * frequencies (`Kernel.spectralSample`), then `count` phases from `rng`.
 *
 * @throws {TypeError} When the kernel has no `spectralSample` (no spectral density), or it
 *   returns something else than `count` finite frequencies and a finite variance ≥ 0.
 *
 * @example
 * ```ts
 * import { randomFourierFeatures } from "./pathwise.ts";
 * import { rbfKernel } from "./kernels.ts";
 * import { Rng } from "../random/rng.ts";
 * const rff = randomFourierFeatures(rbfKernel(1), new Float64Array(2), 1024, new Rng(3));
 * rff.amplitude; // √(2/1024)
 * ```
 */
export function randomFourierFeatures(
  kernel: Kernel,
  theta: Float64Array,
  count: number,
  rng: Rng,
): RandomFourierFeatures {
  const { frequencies, variance } = checkedSpectralSample(kernel, theta, count, rng);
  const phases = rng.uniforms(count).map((u) => 2 * Math.PI * u);
  const amplitude = Math.sqrt((2 * variance) / count);
  const dim = kernel.dim;
  return {
    dim,
    count,
    frequencies,
    phases,
    amplitude,
    map(points) {
      checkPoints(points, dim, "RandomFourierFeatures.map: points", { finite: true });
      const out = new Float64Array(points.length * count);
      points.forEach((point, r) => {
        for (let j = 0; j < count; j++) {
          let arg = phases[j];
          for (let t = 0; t < dim; t++) arg += frequencies[j * dim + t] * point[t];
          out[r * count + j] = amplitude * Math.cos(arg);
        }
      });
      return out;
    },
  };
}

/** Rows of points evaluated at once (bounds the m×n cross-covariance). */
const PATH_CHUNK = 256;

/**
 * @internal One pathwise posterior sample (module documentation) with its own `features` random
 * Fourier features. Draws, in this order: the features (frequencies, then F phases), F weights,
 * n noises.
 */
export function matheronPath(posterior: PathPosterior, rng: Rng, features: number): SamplePath {
  const { kernel, theta, x, n, lower, alpha, constant, shift, scale } = posterior;
  const dim = kernel.dim;
  const { frequencies, phases, amplitude } = randomFourierFeatures(kernel, theta, features, rng);
  const weights = rng.normals(features).map((w) => w * amplitude);
  // The prior sample at x: Σⱼ weightsⱼ·cos(ωⱼᵀx + bⱼ), the amplitude folded into the weights.
  const prior = (points: Float64Array, row: number) => {
    let value = 0;
    for (let j = 0, at = 0; j < features; j++, at += dim) {
      let arg = phases[j];
      for (let t = 0; t < dim; t++) arg += frequencies[at + t] * points[row + t];
      value += weights[j] * Math.cos(arg);
    }
    return value;
  };
  // v = (K + σ²I)⁻¹(ỹ − c − f_prior(X) − ε) = α − (K + σ²I)⁻¹(f_prior(X) + ε).
  const noiseSd = Math.sqrt(posterior.noise);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = prior(x, i * dim) + noiseSd * rng.normal();
  const solved = solveLowerTranspose(lower, n, solveLower(lower, n, residual), residual);
  const v = Float64Array.from(alpha, (a, i) => a - solved[i]);
  return {
    dim,
    features,
    evaluate(points) {
      checkPoints(points, dim, "SamplePath.evaluate: points", { finite: true });
      const m = points.length, out = new Float64Array(m);
      for (let start = 0; start < m; start += PATH_CHUNK) {
        const rows = Math.min(PATH_CHUNK, m - start);
        const z = packRows(points.slice(start, start + rows), dim);
        const cross = kernel.cross(theta, z, rows, x, n);
        for (let r = 0; r < rows; r++) {
          let update = 0;
          for (let i = 0; i < n; i++) update += cross[r * n + i] * v[i];
          out[start + r] = shift + scale * (constant + prior(z, r * dim) + update);
        }
      }
      return out;
    },
    valueAndGradient(point) {
      checkPoint(point, dim, "SamplePath.valueAndGradient: point", { finite: true });
      const gradient = new Float64Array(dim);
      let value = constant;
      for (let j = 0, at = 0; j < features; j++, at += dim) {
        let arg = phases[j];
        for (let t = 0; t < dim; t++) arg += frequencies[at + t] * point[t];
        value += weights[j] * Math.cos(arg);
        const slope = -weights[j] * Math.sin(arg);
        for (let t = 0; t < dim; t++) gradient[t] += slope * frequencies[at + t];
      }
      const k = kernel.cross(theta, point, 1, x, n);
      const dk = kernel.inputGradient(theta, point, x, n);
      for (let i = 0; i < n; i++) {
        value += k[i] * v[i];
        for (let t = 0; t < dim; t++) gradient[t] += dk[i * dim + t] * v[i];
      }
      for (let t = 0; t < dim; t++) gradient[t] *= scale;
      return { value: shift + scale * value, gradient };
    },
  };
}
