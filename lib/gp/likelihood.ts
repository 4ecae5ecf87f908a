/**
 * The exact-GP log marginal likelihood and its analytic gradient with respect to the
 * log-hyperparameters, evaluated on preallocated n×n buffers (WebAssembly SIMD memory when
 * available, see `simdArrays`) and a prepared kernel, so the fitting loop allocates no matrices.
 *
 * With K_y = K + σ²I (plus any Cholesky jitter), α = K_y⁻¹y and W = ααᵀ − K_y⁻¹:
 *
 *   log p(y) = −½ yᵀα − ½ log det K_y − (n/2) log 2π,
 *   ∂ log p / ∂θⱼ = ½ tr(W ∂K/∂θⱼ),   ∂ log p / ∂ log σ² = ½ σ² tr(W).
 *
 * With a constant mean (`constantMean`, the `ConstantMean` of GPyTorch/BoTorch's SingleTaskGP), y
 * is replaced by its residual y − c·1 at the generalised-least-squares constant
 * c = (1ᵀK_y⁻¹y)/(1ᵀK_y⁻¹1), the maximiser of log p for the current θ: the value is the profile
 * likelihood max_c log p(y | θ, c), and by the envelope theorem its gradient is the formula above
 * with α = K_y⁻¹(y − c·1) (Rasmussen & Williams 2006, §2.7).
 *
 * One evaluation costs a Cholesky (n³/6 multiply-adds), the inverse from the factor (n³/3) and the
 * kernel contraction (O(n²·p)).
 *
 * @module
 */
import {
  cholesky,
  CholeskyError,
  inverseFromCholesky,
  simdArrays,
  solveLower,
  solveLowerTranspose,
} from "../linalg/mod.ts";
import { type Kernel, type PreparedKernel, prepareKernel } from "./kernels.ts";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The value of the log marginal likelihood, its gradient and the Cholesky jitter that was used.
 *
 * @example
 * ```ts
 * import { matern52Kernel } from "./kernels.ts";
 * import { MarginalLikelihood, type MarginalLikelihoodValue } from "./likelihood.ts";
 * const ml = new MarginalLikelihood(matern52Kernel(1), new Float64Array([0, 1]), new Float64Array([-1, 1]));
 * const result: MarginalLikelihoodValue = ml.evaluate(new Float64Array(3), new Float64Array(3));
 * ```
 */
export interface MarginalLikelihoodValue {
  /** log p(y | X, θ). */
  value: number;
  /** ∂ log p / ∂(kernel log-hyperparameters…, log noise variance). */
  gradient: Float64Array;
  /** Diagonal jitter added on top of the noise to factorise K_y. */
  jitter: number;
}

/**
 * Evaluates the log marginal likelihood of fixed data for many hyperparameter vectors, reusing
 * its n×n buffers. Hyperparameters are `[kernel log-hyperparameters…, log σ²]`.
 *
 * @example
 * ```ts
 * import { matern52Kernel } from "./kernels.ts";
 * import { MarginalLikelihood } from "./likelihood.ts";
 * const x = new Float64Array([0, 0.3, 0.9]); // three 1-d points
 * const ml = new MarginalLikelihood(matern52Kernel(1), x, new Float64Array([-1, 0.2, 0.8]));
 * // [log ℓ, log s², log σ²]
 * const { value, gradient } = ml.evaluate(new Float64Array([-1, 0, -4]), new Float64Array(3));
 * ```
 */
export class MarginalLikelihood {
  readonly #kernel: Kernel;
  readonly #prepared: PreparedKernel;
  readonly #y: Float64Array;
  readonly #n: number;
  readonly #k: Float64Array;
  readonly #l: Float64Array;
  readonly #inverse: Float64Array;
  readonly #work: Float64Array;
  readonly #alpha: Float64Array;
  readonly #ones?: Float64Array;
  readonly #onesSolved?: Float64Array;

  /**
   * `x` is row-major n×kernel.dim, `y` has n targets (already standardised by the caller); with
   * `constantMean`, the likelihood is profiled over a constant prior mean (see the module docs).
   */
  constructor(
    kernel: Kernel,
    x: Float64Array,
    y: Float64Array,
    options: { constantMean?: boolean } = {},
  ) {
    if (typeof kernel?.gram !== "function") throw new TypeError("MarginalLikelihood: not a Kernel");
    if (!(x instanceof Float64Array) || !(y instanceof Float64Array)) {
      throw new TypeError("MarginalLikelihood: x and y must be Float64Arrays");
    }
    const n = y.length;
    if (n === 0) throw new RangeError("MarginalLikelihood: y must not be empty");
    if (x.length !== n * kernel.dim) {
      throw new RangeError(`MarginalLikelihood: x must hold ${n}×${kernel.dim} values`);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) {
        throw new RangeError(`MarginalLikelihood: y[${i}]: must be finite`);
      }
    }
    this.#kernel = kernel;
    this.#prepared = prepareKernel(kernel, x, n);
    this.#y = y;
    this.#n = n;
    [this.#k, this.#l, this.#inverse, this.#work] = simdArrays([n * n, n * n, n * n, n * n]);
    this.#alpha = new Float64Array(n);
    if (options.constantMean) {
      this.#ones = new Float64Array(n).fill(1);
      this.#onesSolved = new Float64Array(n);
    }
  }

  /** Number of hyperparameters: the kernel's plus the noise. */
  get size(): number {
    return this.#kernel.size + 1;
  }

  /**
   * log p(y | θ) and, when `gradient` is given, its gradient written there. A covariance that
   * stays indefinite at the largest jitter gives −Infinity (the optimiser backs off). With
   * `weights` (n×n, with `gradient`), W = ααᵀ − K_y⁻¹ is copied there: ∂ log p/∂K_y = ½W, which
   * carries the gradient on to the inputs (a deep kernel's features).
   */
  evaluate(
    logHyperparameters: Float64Array,
    gradient?: Float64Array,
    weights?: Float64Array,
  ): MarginalLikelihoodValue {
    const kernel = this.#kernel, n = this.#n, size = kernel.size;
    if (logHyperparameters.length !== size + 1) {
      throw new RangeError(`MarginalLikelihood: expected ${size + 1} log-hyperparameters`);
    }
    const theta = logHyperparameters.subarray(0, size);
    const noise = Math.exp(logHyperparameters[size]);
    const k = this.#prepared.gram(theta, this.#k);
    for (let i = 0; i < n; i++) k[i * n + i] += noise;
    const grad = gradient ?? new Float64Array(size + 1);
    grad.fill(0);
    let jitter: number;
    try {
      jitter = cholesky(k, n, { out: this.#l }).jitter;
    } catch (error) {
      if (error instanceof CholeskyError) {
        return { value: -Infinity, gradient: grad, jitter: error.jitter };
      }
      throw error;
    }
    const l = this.#l, alpha = this.#alpha;
    solveLower(l, n, this.#y, alpha);
    if (this.#ones !== undefined) profileConstant(l, n, alpha, this.#ones, this.#onesSolved!);
    let quad = 0, logDet = 0;
    for (let i = 0; i < n; i++) {
      quad += alpha[i] * alpha[i];
      logDet += Math.log(l[i * n + i]);
    }
    solveLowerTranspose(l, n, alpha, alpha);
    const value = -0.5 * quad - logDet - n * HALF_LOG_2PI;
    if (gradient === undefined) return { value, gradient: grad, jitter };
    // W = ααᵀ − K_y⁻¹, formed in place of the inverse.
    const w = inverseFromCholesky(l, n, this.#inverse, this.#work);
    let trace = 0;
    for (let i = 0; i < n; i++) {
      const ai = alpha[i], ri = i * n;
      for (let j = 0; j < n; j++) w[ri + j] = ai * alpha[j] - w[ri + j];
      trace += w[ri + i];
    }
    if (weights !== undefined) {
      if (weights.length !== n * n) {
        throw new RangeError(`MarginalLikelihood: weights must hold ${n}×${n} values`);
      }
      weights.set(w.subarray(0, n * n));
    }
    this.#prepared.accumulateGradient(theta, w, grad.subarray(0, size));
    for (let j = 0; j < size; j++) grad[j] *= 0.5;
    grad[size] = 0.5 * noise * trace;
    return { value, gradient: grad, jitter };
  }
}

/**
 * @internal With `z = L⁻¹y` in `zy`, subtracts the generalised-least-squares constant:
 * zy ← L⁻¹(y − c·1) with c = (1ᵀK⁻¹y)/(1ᵀK⁻¹1) = (z₁·z_y)/(z₁·z₁), z₁ = L⁻¹1 (written to `z1`).
 * Returns c.
 */
export function profileConstant(
  l: Float64Array,
  n: number,
  zy: Float64Array,
  ones: Float64Array,
  z1: Float64Array,
): number {
  solveLower(l, n, ones, z1);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    num += z1[i] * zy[i];
    den += z1[i] * z1[i];
  }
  const c = den > 0 ? num / den : 0;
  for (let i = 0; i < n; i++) zy[i] -= c * z1[i];
  return c;
}
