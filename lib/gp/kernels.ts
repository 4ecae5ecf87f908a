/**
 * Covariance kernels for Gaussian processes: RBF and Matérn 1/2, 3/2, 5/2 with ARD lengthscales and
 * an outputscale, plus sums and products of kernels.
 *
 * A kernel is an immutable description; its hyperparameters travel separately as a vector `theta`
 * of LOG-hyperparameters (what MAP fitting optimises). A stationary kernel's `theta` is
 * `[log ℓ₁, …, log ℓ_p, log s²]`: one lengthscale per active input dimension, then the log of the
 * outputscale s² (a variance), and
 *
 *   k(x, x') = s² · φ(q),   q = Σᵢ (xᵢ − x'ᵢ)² / ℓᵢ²   (r = √q),
 *
 * with φ(q) = exp(−q/2) (RBF), exp(−r) (Matérn 1/2), (1 + √3 r)·exp(−√3 r) (Matérn 3/2) and
 * (1 + √5 r + 5q/3)·exp(−√5 r) (Matérn 5/2). Point sets are row-major `Float64Array`s (m×dim).
 * All derivatives are taken with respect to q, where every profile but Matérn 1/2 is smooth at
 * r = 0; Matérn 1/2 is not differentiable at coincident points and returns the zero subgradient.
 *
 * Stationary kernels, their sums and their products also draw frequencies from their spectral
 * measure (`spectralSample`, Bochner's theorem), from which random Fourier features (Rahimi &
 * Recht 2007) and pathwise posterior samples (`samplePaths` of a fitted GP) are built.
 *
 * For categorical parameters encoded as one-hot blocks, {@linkcode categoricalKernel} (Hamming
 * distance of the levels, one lengthscale per parameter) and {@linkcode mixedCategoricalKernel}
 * (BoTorch's `MixedSingleTaskGP` kernel: the continuous and categorical kernels as a sum plus a
 * product).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { oneHotArgmax } from "../space/codec.ts";
import type { Rng } from "../random/rng.ts";
import { checkFloat64Array, parseOrThrow, positiveIntSchema } from "../validate.ts";

/**
 * What a kernel hyperparameter is, so that the GP can give it the matching prior and bounds:
 * `"lengthscale"` of a numeric input, `"outputscale"`, or `"categoricalLengthscale"` of a
 * categorical parameter ({@linkcode categoricalKernel}).
 *
 * @example
 * ```ts
 * import { matern52Kernel } from "./kernels.ts";
 * matern52Kernel(2).kinds; // ["lengthscale", "lengthscale", "outputscale"]
 * ```
 */
export type HyperparameterKind = "lengthscale" | "outputscale" | "categoricalLengthscale";

/**
 * A covariance function on `dim`-dimensional inputs with `size` log-hyperparameters.
 *
 * Every method takes the log-hyperparameters `theta` (length `size`) first. `weights` in
 * {@linkcode Kernel.accumulateGradient} is a symmetric n×n matrix W; the method adds
 * Σₐᵦ Wₐᵦ·∂Kₐᵦ/∂θⱼ to `out[j]`, which is all a marginal-likelihood gradient needs
 * (½·tr((ααᵀ − K⁻¹)·∂K/∂θⱼ)) without ever forming the n×n derivative matrices.
 *
 * @example
 * ```ts
 * import { type Kernel, rbfKernel } from "./kernels.ts";
 * const k: Kernel = rbfKernel(2);
 * const theta = new Float64Array(k.size); // all log-hyperparameters 0: ℓ = 1, s² = 1
 * const x = new Float64Array([0, 0, 1, 1]); // two points
 * const gram = k.gram(theta, x, 2); // 2×2
 * ```
 */
export interface Kernel {
  /** Input dimension. */
  readonly dim: number;
  /** Short name for reports, e.g. `matern52` or `sum(rbf,matern12)`. */
  readonly name: string;
  /** Number of log-hyperparameters. */
  readonly size: number;
  /** Name of each hyperparameter, e.g. `lengthscale[0]`, `outputscale`, `k1.outputscale`. */
  readonly names: readonly string[];
  /**
   * Kind of each hyperparameter, one of the three of {@linkcode HyperparameterKind}: it sets the
   * hyperparameter's prior and its bounds in `fitGP`, which refuses any other kind (another
   * hyperparameter, e.g. a period, takes the kind whose prior and bounds suit it).
   */
  readonly kinds: readonly HyperparameterKind[];
  /** K(A, B): the na×nb cross-covariance of the rows of `a` (na×dim) and `b` (nb×dim). */
  cross(
    theta: Float64Array,
    a: Float64Array,
    na: number,
    b: Float64Array,
    nb: number,
    out?: Float64Array,
  ): Float64Array;
  /** K(X, X): the symmetric n×n covariance of the rows of `x` (n×dim). */
  gram(theta: Float64Array, x: Float64Array, n: number, out?: Float64Array): Float64Array;
  /** k(xᵢ, xᵢ) for each row of `x`. */
  diagonal(theta: Float64Array, x: Float64Array, n: number, out?: Float64Array): Float64Array;
  /** Adds Σₐᵦ Wₐᵦ·∂K(X, X)ₐᵦ/∂θⱼ to `out[j]` for every log-hyperparameter j. */
  accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void;
  /** ∂k(point, bᵣ)/∂point for each row bᵣ of `b`: an nb×dim matrix (row r = gradient). */
  inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out?: Float64Array,
  ): Float64Array;
  /**
   * Optional: ∂k(x, x)/∂x at x = `point`, the gradient of the prior variance (dim values). A GP's
   * posterior variance σ²(x) = k(x, x) − k(x, X)·K_y⁻¹·k(X, x) has the input gradient
   *
   *   ∂σ²/∂x = ∂k(x, x)/∂x − 2·(∂k(x, X)/∂x)ᵀ·K_y⁻¹·k(X, x),
   *
   * whose first term is zero for a stationary kernel (k(x, x) = s² everywhere: every built-in
   * kernel, whose method returns zeros; sums and products combine their parts' exactly). A kernel
   * without this method gets central finite differences of its `diagonal` instead (see
   * {@linkcode kernelDiagonalGradient}), so that a non-stationary kernel (e.g. a linear one,
   * k(x, x) = s²·x·x) has correct variance gradients either way.
   */
  diagonalGradient?(theta: Float64Array, point: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Optional fast path for hyperparameter fitting: binds the kernel to fixed inputs and
   * precomputes what does not depend on theta. {@linkcode prepareKernel} falls back to the plain
   * methods for kernels without it.
   */
  prepare?(x: Float64Array, n: number): PreparedKernel;
  /**
   * Optional, for a stationary kernel k(x, x') = κ(x − x'): `count` frequencies drawn
   * independently from its spectral measure normalised to a probability, and its variance κ(0).
   * By Bochner's theorem κ(τ) = κ(0)·E_ω[cos(ωᵀτ)], so that with phases b ~ U[0, 2π) the random
   * Fourier features φⱼ(x) = √(2κ(0)/F)·cos(ωⱼᵀx + bⱼ) give E[φ(x)ᵀφ(x')] = k(x, x') (Rahimi &
   * Recht 2007, "Random features for large-scale kernel machines"). Pathwise posterior samples of
   * a GP (`GaussianProcess.samplePaths`) need it; kernels without it (categorical or
   * non-stationary ones) have none. The built-in kernels have it: RBF (Gaussian frequencies),
   * Matérn-ν (multivariate Student-t with 2ν degrees of freedom), each scaled by the inverse
   * lengthscales, and sums and products of kernels that have it.
   */
  spectralSample?(theta: Float64Array, count: number, rng: Rng): SpectralSample;
}

/**
 * Frequencies drawn from a stationary kernel's normalised spectral measure (see
 * {@linkcode Kernel.spectralSample}).
 *
 * @example
 * ```ts
 * import { rbfKernel, type SpectralSample } from "./kernels.ts";
 * import { Rng } from "../random/rng.ts";
 * const sample: SpectralSample = rbfKernel(2).spectralSample!(new Float64Array(3), 4, new Rng(0));
 * sample.frequencies.length; // 8: four frequencies of 2 coordinates, row-major
 * sample.variance; // 1: the outputscale exp(0)
 * ```
 */
export interface SpectralSample {
  /** `count` frequencies ω (count×dim, row-major), independent draws. */
  readonly frequencies: Float64Array;
  /** κ(0) = k(x, x), the variance of the kernel (its outputscale for the built-in kernels). */
  readonly variance: number;
}

/**
 * A kernel bound to fixed inputs X (n rows) for many evaluations under changing
 * log-hyperparameters, as in marginal-likelihood optimisation. Methods mean the same as the
 * {@linkcode Kernel} methods of the same name with `x` and `n` fixed.
 *
 * @example
 * ```ts
 * import { matern32Kernel, type PreparedKernel, prepareKernel } from "./kernels.ts";
 * const prepared: PreparedKernel = prepareKernel(matern32Kernel(1), new Float64Array([0, 0.5]), 2);
 * const gradient = new Float64Array(2);
 * prepared.accumulateGradient(new Float64Array(2), new Float64Array([0, 1, 1, 0]), gradient);
 * ```
 */
export interface PreparedKernel {
  /** K(X, X) into `out` (n×n). */
  gram(theta: Float64Array, out: Float64Array): Float64Array;
  /** Adds Σₐᵦ Wₐᵦ·∂K(X, X)ₐᵦ/∂θⱼ to `out[j]`. */
  accumulateGradient(theta: Float64Array, weights: Float64Array, out: Float64Array): void;
}

/** Largest number of stored squared differences (pairs × lengthscales) of a prepared kernel. */
const MAX_PREPARED_ENTRIES = 1e7;

/**
 * `kernel.prepare(x, n)` when the kernel has it, otherwise a thin wrapper around the kernel's
 * plain `gram` and `accumulateGradient`.
 *
 * @example
 * ```ts
 * import { matern52Kernel, prepareKernel } from "./kernels.ts";
 * const x = new Float64Array([0, 0, 1, 0, 0, 1]); // three points in 2-d
 * const prepared = prepareKernel(matern52Kernel(2), x, 3);
 * const k = prepared.gram(new Float64Array(3), new Float64Array(9));
 * ```
 */
export function prepareKernel(kernel: Kernel, x: Float64Array, n: number): PreparedKernel {
  checkRows(x, n, kernel.dim, "prepareKernel: x");
  if (kernel.prepare) return kernel.prepare(x, n);
  return unprepared(kernel, x, n);
}

/** The wrapper of a kernel's plain `gram` and `accumulateGradient` for fixed inputs. */
function unprepared(kernel: Kernel, x: Float64Array, n: number): PreparedKernel {
  return {
    gram: (theta, out) => kernel.gram(theta, x, n, out),
    accumulateGradient: (theta, weights, out) =>
      kernel.accumulateGradient(theta, x, n, weights, out),
  };
}

/**
 * ∂k(x, x)/∂x at x = `point` (dim values): `kernel.diagonalGradient` when the kernel has it,
 * otherwise central finite differences of `kernel.diagonal`, (k(x + hₜeₜ) − k(x − hₜeₜ))/2hₜ
 * with hₜ = ε^⅓·max(1, |xₜ|) (ε the float64 epsilon; 2·dim evaluations of the diagonal, error
 * O(hₜ²)).
 *
 * @example
 * ```ts
 * import { kernelDiagonalGradient, rbfKernel } from "./kernels.ts";
 * kernelDiagonalGradient(rbfKernel(2), new Float64Array(3), Float64Array.of(0.2, 0.7)); // [0, 0]
 * ```
 */
export function kernelDiagonalGradient(
  kernel: Kernel,
  theta: Float64Array,
  point: Float64Array,
): Float64Array {
  const dim = kernel.dim;
  checkRows(point, 1, dim, `${kernel.name}.diagonalGradient: point`);
  if (typeof kernel.diagonalGradient === "function") {
    const gradient = kernel.diagonalGradient(theta, point);
    checkFloat64Array(gradient, dim, `${kernel.name}.diagonalGradient: result`);
    return gradient;
  }
  // Rows 2t and 2t + 1: the point moved up and down along coordinate t.
  const shifted = new Float64Array(2 * dim * dim), steps = new Float64Array(dim);
  for (let t = 0; t < dim; t++) {
    const h = FINITE_DIFFERENCE_STEP * Math.max(1, Math.abs(point[t]));
    const up = 2 * t * dim, down = up + dim;
    shifted.set(point, up);
    shifted.set(point, down);
    shifted[up + t] += h;
    shifted[down + t] -= h;
    steps[t] = shifted[up + t] - shifted[down + t];
  }
  const values = kernel.diagonal(theta, shifted, 2 * dim);
  return steps.map((step, t) => (values[2 * t] - values[2 * t + 1]) / step);
}

/** ε^⅓, the relative step of central finite differences (error O(h²) against rounding ε/h). */
const FINITE_DIFFERENCE_STEP = Math.cbrt(Number.EPSILON);

/**
 * What kernels of the form k(x, x') = s²·κ(x, x') with κ(x, x) = 1 share: the checks of every
 * method, the cross and Gram matrices (lower triangle mirrored, diagonal s²), the diagonal, the
 * pair loop of the hyperparameter gradient and the zeroed input gradient. A subclass supplies κ
 * of one pair on its representation of the rows (`rows`: the inputs themselves, or the levels of
 * their categorical blocks) and the gradient contributions of a pair and of a point. Its last
 * hyperparameter is log s² when `scaled`; otherwise s² = 1.
 */
abstract class PairwiseKernel<Rows> implements Kernel {
  readonly dim: number;
  readonly name: string;
  readonly size: number;
  readonly names: readonly string[];
  readonly kinds: readonly HyperparameterKind[];
  readonly #scaled: boolean;

  constructor(
    dim: number,
    name: string,
    names: readonly string[],
    kinds: readonly HyperparameterKind[],
    scaled: boolean,
  ) {
    this.dim = dim;
    this.name = name;
    this.size = names.length;
    this.names = names;
    this.kinds = kinds;
    this.#scaled = scaled;
  }

  /** Loads the per-call scratch of `theta` (already checked); returns s² (1 when unscaled). */
  protected abstract load(theta: Float64Array): number;

  /** The representation of the n rows of `x` that {@linkcode value} reads. */
  protected abstract rows(x: Float64Array, n: number): Rows;

  /** κ(row i of `a`, row j of `b`) at the loaded theta. */
  protected abstract value(a: Rows, i: number, b: Rows, j: number): number;

  /**
   * Adds w·∂k(xᵢ, xⱼ)/∂θₜ to `out[t]` for the lengthscales t of the pair i > j (w ≠ 0, the summed
   * weight of both entries) and returns w·k(xᵢ, xⱼ), its part of the outputscale's derivative.
   */
  protected abstract pairGradient(
    rows: Rows,
    i: number,
    j: number,
    w: number,
    s2: number,
    out: Float64Array,
  ): number;

  /** Writes ∂k(point, bᵣ)/∂point into row r of `out` (zeroed) where it is not zero. */
  protected abstract pointGradient(
    s2: number,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out: Float64Array,
  ): void;

  /** Checks and loads `theta` for `method`; returns s². */
  #load(theta: Float64Array, method: string): number {
    if (!(theta instanceof Float64Array) || theta.length !== this.size) {
      throw new RangeError(
        `${this.name}.${method}: theta must be a Float64Array of length ${this.size}`,
      );
    }
    return this.load(theta);
  }

  cross(
    theta: Float64Array,
    a: Float64Array,
    na: number,
    b: Float64Array,
    nb: number,
    out: Float64Array = new Float64Array(na * nb),
  ): Float64Array {
    const s2 = this.#load(theta, "cross");
    checkRows(a, na, this.dim, `${this.name}.cross: a`);
    checkRows(b, nb, this.dim, `${this.name}.cross: b`);
    checkFloat64Array(out, na * nb, `${this.name}.cross: out`);
    const ra = this.rows(a, na), rb = this.rows(b, nb);
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) out[i * nb + j] = s2 * this.value(ra, i, rb, j);
    }
    return out;
  }

  gram(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    out: Float64Array = new Float64Array(n * n),
  ): Float64Array {
    const s2 = this.#load(theta, "gram");
    checkRows(x, n, this.dim, `${this.name}.gram: x`);
    checkFloat64Array(out, n * n, `${this.name}.gram: out`);
    const rows = this.rows(x, n);
    for (let i = 0; i < n; i++) {
      out[i * n + i] = s2;
      for (let j = 0; j < i; j++) {
        const v = s2 * this.value(rows, i, rows, j);
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
    return out;
  }

  diagonal(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    out: Float64Array = new Float64Array(n),
  ): Float64Array {
    const s2 = this.#load(theta, "diagonal");
    checkRows(x, n, this.dim, `${this.name}.diagonal: x`);
    checkFloat64Array(out, n, `${this.name}.diagonal: out`);
    return out.fill(s2);
  }

  diagonalGradient(
    theta: Float64Array,
    point: Float64Array,
    out: Float64Array = new Float64Array(this.dim),
  ): Float64Array {
    this.#load(theta, "diagonalGradient");
    checkRows(point, 1, this.dim, `${this.name}.diagonalGradient: point`);
    checkFloat64Array(out, this.dim, `${this.name}.diagonalGradient: out`);
    return out.fill(0); // k(x, x) = s²: constant
  }

  accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void {
    const s2 = this.#load(theta, "accumulateGradient");
    checkRows(x, n, this.dim, `${this.name}.accumulateGradient: x`);
    checkFloat64Array(weights, n * n, `${this.name}.accumulateGradient: weights`);
    checkFloat64Array(out, this.size, `${this.name}.accumulateGradient: out`);
    const rows = this.rows(x, n);
    // ∂K/∂log s² = K; the lengthscales' parts come from `pairGradient`.
    let outputscale = 0;
    for (let i = 0; i < n; i++) {
      outputscale += weights[i * n + i] * s2;
      for (let j = 0; j < i; j++) {
        const w = weights[i * n + j] + weights[j * n + i];
        if (w === 0) continue;
        outputscale += this.pairGradient(rows, i, j, w, s2, out);
      }
    }
    if (this.#scaled) out[this.size - 1] += outputscale;
  }

  inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out: Float64Array = new Float64Array(nb * this.dim),
  ): Float64Array {
    const s2 = this.#load(theta, "inputGradient");
    checkRows(point, 1, this.dim, `${this.name}.inputGradient: point`);
    checkRows(b, nb, this.dim, `${this.name}.inputGradient: b`);
    checkFloat64Array(out, nb * this.dim, `${this.name}.inputGradient: out`);
    out.fill(0);
    this.pointGradient(s2, point, b, nb, out);
    return out;
  }
}

/**
 * What kernels bound to fixed inputs X (n rows) share: the check of theta and of the arrays given
 * (messages `<label>.prepared.<method>: …`), and the cache of per-pair values (pairs (i, j < i)
 * in row order) that `fill` computes for a theta, kept until another theta comes, so that
 * `accumulateGradient` at the theta of the last `gram` (the marginal-likelihood gradient right
 * after its value) needs no exponentials.
 */
abstract class PreparedPairs {
  protected readonly n: number;
  readonly #label: string;
  readonly #theta: Float64Array; // theta of the cached pair values
  #cached = false;

  constructor(label: string, n: number, size: number) {
    this.#label = label;
    this.n = n;
    this.#theta = new Float64Array(size);
  }

  /** Fills the per-pair caches for `theta`. */
  protected abstract fill(theta: Float64Array): void;

  /** Throws unless `theta` is a Float64Array of the kernel's size. */
  protected checkTheta(theta: Float64Array, method: string): void {
    const size = this.#theta.length;
    if (!(theta instanceof Float64Array) || theta.length !== size) {
      throw new RangeError(
        `${this.#label}.prepared.${method}: theta must be a Float64Array of length ${size}`,
      );
    }
  }

  /** Checks that `array` is a Float64Array of `length` values; `what` is `method: argument`. */
  protected checkArray(array: Float64Array, length: number, what: string): void {
    checkFloat64Array(array, length, `${this.#label}.prepared.${what}`);
  }

  /** Fills the per-pair caches for `theta` (already checked) unless they hold it already. */
  protected refresh(theta: Float64Array): void {
    if (this.#cached && sameValues(this.#theta, theta)) return;
    this.fill(theta);
    this.#theta.set(theta);
    this.#cached = true;
  }
}

/** e^{−2θₜ} = 1/ℓₜ² of the first `into.length` log-lengthscales of `theta`, into `into`. */
function inverseSquares(theta: Float64Array, into: Float64Array): Float64Array {
  for (let t = 0; t < into.length; t++) into[t] = Math.exp(-2 * theta[t]);
  return into;
}

/**
 * The squared differences Δₜ² of the `active` coordinates of every pair (i, j < i) of the n rows
 * of `x` (n×dim), pair-major in row order: p = active.length entries a pair.
 */
function pairSquaredDifferences(
  x: Float64Array,
  n: number,
  dim: number,
  active: Int32Array,
): Float64Array {
  const p = active.length, diff2 = new Float64Array((n * (n - 1)) / 2 * p);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      for (let t = 0; t < p; t++) {
        const d = x[i * dim + active[t]] - x[j * dim + active[t]];
        diff2[at++] = d * d;
      }
    }
  }
  return diff2;
}

/** q = Σₜ Δₜ²·inv2ₜ of every pair of {@linkcode pairSquaredDifferences}, into `q`. */
function pairDistances(diff2: Float64Array, inv2: Float64Array, q: Float64Array): void {
  const p = inv2.length;
  for (let k = 0, at = 0; k < q.length; k++, at += p) {
    let s = 0;
    for (let t = 0; t < p; t++) s += diff2[at + t] * inv2[t];
    q[k] = s;
  }
}

/** A radial profile φ(q) of a stationary kernel and its derivative φ'(q) with respect to q = r². */
interface Profile {
  readonly name: string;
  value(q: number): number;
  slope(q: number): number;
  /** Writes φ(q) to out[0] and φ'(q) to out[1] with one exponential. */
  both(q: number, out: Float64Array): void;
  /** Replaces each q[k] by φ(q[k]) and writes φ'(q[k]) to slope[k] (a tight loop, no calls). */
  fill(q: Float64Array, slope: Float64Array): void;
  /**
   * 2ν, the degrees of freedom of the Student-t spectral density of Matérn-ν (1, 3, 5); Infinity
   * for the RBF kernel, whose spectral density is the Gaussian limit.
   */
  readonly spectralDegrees: number;
}

const SQRT3 = Math.sqrt(3);
const SQRT5 = Math.sqrt(5);

const RBF: Profile = {
  name: "rbf",
  spectralDegrees: Infinity,
  value: (q) => Math.exp(-0.5 * q),
  slope: (q) => -0.5 * Math.exp(-0.5 * q),
  both: (q, out) => {
    const e = Math.exp(-0.5 * q);
    out[0] = e;
    out[1] = -0.5 * e;
  },
  fill: (q, slope) => {
    for (let k = 0; k < q.length; k++) {
      const e = Math.exp(-0.5 * q[k]);
      q[k] = e;
      slope[k] = -0.5 * e;
    }
  },
};

const MATERN12: Profile = {
  name: "matern12",
  spectralDegrees: 1,
  value: (q) => Math.exp(-Math.sqrt(q)),
  // φ'(q) = −e^{−r}/(2r) diverges at r = 0, but every use multiplies it by a squared or plain
  // coordinate difference that is zero there: the zero subgradient is the finite answer.
  slope: (q) => {
    if (q === 0) return 0;
    const r = Math.sqrt(q);
    return -0.5 * Math.exp(-r) / r;
  },
  both: (q, out) => {
    const r = Math.sqrt(q), e = Math.exp(-r);
    out[0] = e;
    out[1] = q === 0 ? 0 : -0.5 * e / r;
  },
  fill: (q, slope) => {
    for (let k = 0; k < q.length; k++) {
      const r = Math.sqrt(q[k]), e = Math.exp(-r);
      slope[k] = r === 0 ? 0 : -0.5 * e / r;
      q[k] = e;
    }
  },
};

const MATERN32: Profile = {
  name: "matern32",
  spectralDegrees: 3,
  value: (q) => {
    const sr = SQRT3 * Math.sqrt(q);
    return (1 + sr) * Math.exp(-sr);
  },
  slope: (q) => -1.5 * Math.exp(-SQRT3 * Math.sqrt(q)),
  both: (q, out) => {
    const sr = SQRT3 * Math.sqrt(q), e = Math.exp(-sr);
    out[0] = (1 + sr) * e;
    out[1] = -1.5 * e;
  },
  fill: (q, slope) => {
    for (let k = 0; k < q.length; k++) {
      const sr = SQRT3 * Math.sqrt(q[k]), e = Math.exp(-sr);
      q[k] = (1 + sr) * e;
      slope[k] = -1.5 * e;
    }
  },
};

const MATERN52: Profile = {
  name: "matern52",
  spectralDegrees: 5,
  value: (q) => {
    const sr = SQRT5 * Math.sqrt(q);
    return (1 + sr + (5 / 3) * q) * Math.exp(-sr);
  },
  slope: (q) => {
    const sr = SQRT5 * Math.sqrt(q);
    return (-5 / 6) * (1 + sr) * Math.exp(-sr);
  },
  both: (q, out) => {
    const sr = SQRT5 * Math.sqrt(q), e = Math.exp(-sr);
    out[0] = (1 + sr + (5 / 3) * q) * e;
    out[1] = (-5 / 6) * (1 + sr) * e;
  },
  fill: (q, slope) => {
    for (let k = 0; k < q.length; k++) {
      const qk = q[k], sr = SQRT5 * Math.sqrt(qk), e = Math.exp(-sr);
      q[k] = (1 + sr + (5 / 3) * qk) * e;
      slope[k] = (-5 / 6) * (1 + sr) * e;
    }
  },
};

/**
 * Options of the stationary kernel constructors.
 *
 * @example
 * ```ts
 * import { rbfKernel, type StationaryKernelOptions } from "./kernels.ts";
 * const options: StationaryKernelOptions = { dims: [0, 2] };
 * rbfKernel(3, options).size; // 3: two lengthscales and the outputscale
 * ```
 */
export interface StationaryKernelOptions {
  /**
   * Input coordinates the kernel looks at (sorted or not, no repeats); all `dim` coordinates when
   * unset. One lengthscale per active coordinate. Useful for additive kernels.
   */
  dims?: readonly number[];
}

const stationaryOptionsSchema = z.strictObject({
  dims: z.array(z.number().int("must be an integer").nonnegative("must be ≥ 0")).min(
    1,
    "must name at least one dimension",
  ).optional(),
});

class StationaryKernel extends PairwiseKernel<Float64Array> {
  readonly #profile: Profile;
  readonly #active: Int32Array;
  // Scratch for the inverse squared lengthscales and squared differences of one pair.
  readonly #inv2: Float64Array;
  readonly #diff2: Float64Array;
  readonly #pair = new Float64Array(2);

  constructor(profile: Profile, dim: number, options: StationaryKernelOptions | undefined) {
    const label = `${profile.name}Kernel`;
    parseOrThrow(positiveIntSchema, dim, `${label}: dim`);
    const parsed = parseOrThrow(stationaryOptionsSchema, options ?? {}, `${label}: options`);
    const dims = parsed.dims ?? Array.from({ length: dim }, (_, i) => i);
    dims.forEach((d, i) => {
      if (d >= dim) throw new RangeError(`${label}: options.dims[${i}]: must be < dim = ${dim}`);
      if (dims.indexOf(d) !== i) throw new RangeError(`${label}: options.dims[${i}]: repeated`);
    });
    super(
      dim,
      parsed.dims ? `${profile.name}[${dims.join(",")}]` : profile.name,
      [...dims.map((d) => `lengthscale[${d}]`), "outputscale"],
      [...dims.map(() => "lengthscale" as const), "outputscale"],
      true,
    );
    this.#profile = profile;
    this.#active = Int32Array.from(dims);
    const p = dims.length;
    this.#inv2 = new Float64Array(p);
    this.#diff2 = new Float64Array(p);
  }

  protected load(theta: Float64Array): number {
    inverseSquares(theta, this.#inv2);
    return Math.exp(theta[this.size - 1]);
  }

  protected rows(x: Float64Array): Float64Array {
    return x;
  }

  /** q of rows i of `a` and j of `b`, leaving each Δₜ²/ℓₜ² in the pair scratch. */
  #q(a: Float64Array, ia: number, b: Float64Array, ib: number): number {
    const active = this.#active, inv2 = this.#inv2, diff2 = this.#diff2;
    let q = 0;
    for (let t = 0; t < active.length; t++) {
      const d = a[ia + active[t]] - b[ib + active[t]];
      const v = d * d * inv2[t];
      diff2[t] = v;
      q += v;
    }
    return q;
  }

  protected value(a: Float64Array, i: number, b: Float64Array, j: number): number {
    return this.#profile.value(this.#q(a, i * this.dim, b, j * this.dim));
  }

  protected pairGradient(
    x: Float64Array,
    i: number,
    j: number,
    w: number,
    s2: number,
    out: Float64Array,
  ): number {
    // ∂K/∂log ℓₜ = s²·φ'(q)·(−2·Δₜ²/ℓₜ²).
    const dim = this.dim, pair = this.#pair, diff2 = this.#diff2;
    this.#profile.both(this.#q(x, i * dim, x, j * dim), pair);
    const term = w * s2 * pair[0];
    const c = -2 * w * s2 * pair[1];
    if (c !== 0) { for (let t = 0; t < diff2.length; t++) out[t] += c * diff2[t]; }
    return term;
  }

  protected pointGradient(
    s2: number,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out: Float64Array,
  ): void {
    const dim = this.dim, profile = this.#profile, active = this.#active, inv2 = this.#inv2;
    // ∂k/∂xₜ = s²·φ'(q)·2·(xₜ − bₜ)/ℓₜ².
    for (let r = 0; r < nb; r++) {
      const c = 2 * s2 * profile.slope(this.#q(point, 0, b, r * dim));
      if (c === 0) continue;
      for (let t = 0; t < active.length; t++) {
        const d = active[t];
        out[r * dim + d] = c * (point[d] - b[r * dim + d]) * inv2[t];
      }
    }
  }

  /**
   * Frequencies ωₜ = zₜ/ℓₜ on the active coordinates (0 elsewhere), z ~ N(0, I): the Gaussian
   * spectral density of the RBF kernel; for Matérn-ν each frequency is further scaled by
   * √(2ν/g), g ~ χ²(2ν) (a sum of 2ν squared normals), which makes it multivariate Student-t with
   * 2ν degrees of freedom, the Matérn spectral density ∝ (2ν + Σₜ ℓₜ²ωₜ²)^−(ν + p/2) (Rasmussen &
   * Williams 2006, eq. 4.15). Variance: the outputscale s².
   */
  spectralSample(theta: Float64Array, count: number, rng: Rng): SpectralSample {
    checkSpectralArguments(this, theta, count, rng);
    const dim = this.dim, active = this.#active, degrees = this.#profile.spectralDegrees;
    const inverse = Float64Array.from(active, (_, t) => Math.exp(-theta[t]));
    const frequencies = new Float64Array(count * dim);
    for (let j = 0; j < count; j++) {
      for (let t = 0; t < active.length; t++) {
        frequencies[j * dim + active[t]] = rng.normal() * inverse[t];
      }
      if (degrees === Infinity) continue;
      let g = 0;
      for (let k = 0; k < degrees; k++) g += rng.normal() ** 2;
      const scale = Math.sqrt(degrees / g);
      for (let t = 0; t < active.length; t++) frequencies[j * dim + active[t]] *= scale;
    }
    return { frequencies, variance: Math.exp(theta[this.size - 1]) };
  }

  prepare(x: Float64Array, n: number): PreparedKernel {
    checkRows(x, n, this.dim, `${this.name}.prepare: x`);
    const p = this.size - 1;
    if ((n * (n - 1) / 2) * p > MAX_PREPARED_ENTRIES) return unprepared(this, x, n);
    return new PreparedStationary(this.#profile, this.#active, this.dim, this.name, x, n);
  }
}

/**
 * A stationary kernel bound to fixed inputs: squared coordinate differences of every pair are
 * stored once, and `gram` caches φ(q) and φ'(q) per pair so that `accumulateGradient` at the same
 * theta (the marginal-likelihood gradient right after its value) needs no exponentials.
 */
class PreparedStationary extends PreparedPairs implements PreparedKernel {
  readonly #profile: Profile;
  readonly #p: number;
  readonly #diff2: Float64Array; // pair-major: pair (i, j < i) in row order, p entries each
  readonly #phi: Float64Array;
  readonly #slope: Float64Array;
  readonly #inv2: Float64Array;
  readonly #acc: Float64Array;

  constructor(
    profile: Profile,
    active: Int32Array,
    dim: number,
    name: string,
    x: Float64Array,
    n: number,
  ) {
    const p = active.length, pairs = (n * (n - 1)) / 2;
    super(name, n, p + 1);
    this.#profile = profile;
    this.#p = p;
    this.#diff2 = pairSquaredDifferences(x, n, dim, active);
    this.#phi = new Float64Array(pairs);
    this.#slope = new Float64Array(pairs);
    this.#inv2 = new Float64Array(p);
    this.#acc = new Float64Array(p);
  }

  #load(theta: Float64Array, method: string): number {
    this.checkTheta(theta, method);
    inverseSquares(theta, this.#inv2);
    return Math.exp(theta[this.#p]);
  }

  /** Fills φ and φ' of every pair for `theta` (inverse squared lengthscales already loaded). */
  protected fill(): void {
    pairDistances(this.#diff2, this.#inv2, this.#phi);
    this.#profile.fill(this.#phi, this.#slope);
  }

  gram(theta: Float64Array, out: Float64Array): Float64Array {
    const s2 = this.#load(theta, "gram");
    const n = this.n;
    this.checkArray(out, n * n, "gram: out");
    this.refresh(theta);
    const phi = this.#phi;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j < i; j++) {
        const v = s2 * phi[k++];
        out[ri + j] = v;
        out[j * n + i] = v;
      }
      out[ri + i] = s2;
    }
    return out;
  }

  accumulateGradient(theta: Float64Array, weights: Float64Array, out: Float64Array): void {
    const s2 = this.#load(theta, "accumulateGradient");
    const n = this.n, p = this.#p;
    this.checkArray(weights, n * n, "accumulateGradient: weights");
    this.checkArray(out, p + 1, "accumulateGradient: out");
    this.refresh(theta);
    const phi = this.#phi, slope = this.#slope, diff2 = this.#diff2, acc = this.#acc.fill(0);
    let outputscale = 0, k = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      outputscale += weights[ri + i];
      for (let j = 0; j < i; j++, k++) {
        const w = weights[ri + j] + weights[j * n + i];
        outputscale += w * phi[k];
        const c = w * slope[k];
        const at = k * p;
        for (let t = 0; t < p; t++) acc[t] += c * diff2[at + t];
      }
    }
    // ∂K/∂log ℓₜ = s²·φ'(q)·(−2·Δₜ²/ℓₜ²) and ∂K/∂log s² = K.
    for (let t = 0; t < p; t++) out[t] += -2 * s2 * acc[t] * this.#inv2[t];
    out[p] += s2 * outputscale;
  }
}

/**
 * Squared-exponential (RBF) kernel s²·exp(−q/2) with ARD lengthscales.
 *
 * @example
 * ```ts
 * import { rbfKernel } from "./kernels.ts";
 * const k = rbfKernel(2);
 * const theta = new Float64Array([0, 0, 0]); // ℓ = (1, 1), s² = 1
 * k.cross(theta, new Float64Array([0, 0]), 1, new Float64Array([1, 0]), 1); // [exp(−0.5)]
 * ```
 */
export function rbfKernel(dim: number, options?: StationaryKernelOptions): Kernel {
  return new StationaryKernel(RBF, dim, options);
}

/**
 * Matérn-1/2 (exponential) kernel s²·exp(−r) with ARD lengthscales.
 *
 * @example
 * ```ts
 * import { matern12Kernel } from "./kernels.ts";
 * const k = matern12Kernel(1);
 * k.gram(new Float64Array([0, 0]), new Float64Array([0, 1]), 2); // [1, e⁻¹, e⁻¹, 1]
 * ```
 */
export function matern12Kernel(dim: number, options?: StationaryKernelOptions): Kernel {
  return new StationaryKernel(MATERN12, dim, options);
}

/**
 * Matérn-3/2 kernel s²·(1 + √3 r)·exp(−√3 r) with ARD lengthscales.
 *
 * @example
 * ```ts
 * import { matern32Kernel } from "./kernels.ts";
 * const k = matern32Kernel(3, { dims: [0, 2] }); // ignores coordinate 1
 * k.names; // ["lengthscale[0]", "lengthscale[2]", "outputscale"]
 * ```
 */
export function matern32Kernel(dim: number, options?: StationaryKernelOptions): Kernel {
  return new StationaryKernel(MATERN32, dim, options);
}

/**
 * Matérn-5/2 kernel s²·(1 + √5 r + 5r²/3)·exp(−√5 r) with ARD lengthscales: the default of
 * Bayesian optimisation (Snoek et al. 2012).
 *
 * @example
 * ```ts
 * import { matern52Kernel } from "./kernels.ts";
 * const k = matern52Kernel(6);
 * k.size; // 7: six lengthscales and the outputscale
 * ```
 */
export function matern52Kernel(dim: number, options?: StationaryKernelOptions): Kernel {
  return new StationaryKernel(MATERN52, dim, options);
}

/**
 * Names of the built-in stationary kernels accepted by {@linkcode kernelFromName}.
 *
 * @example
 * ```ts
 * import { kernelFromName, type KernelName } from "./kernels.ts";
 * const name: KernelName = "matern12";
 * kernelFromName(name, 2);
 * ```
 */
export type KernelName = "rbf" | "matern12" | "matern32" | "matern52";

/**
 * The built-in kernel names.
 *
 * @example
 * ```ts
 * import { KERNEL_NAMES } from "./kernels.ts";
 * KERNEL_NAMES.includes("rbf"); // true
 * ```
 */
export const KERNEL_NAMES: readonly KernelName[] = ["rbf", "matern12", "matern32", "matern52"];

/**
 * A built-in stationary kernel by name.
 *
 * @example
 * ```ts
 * import { kernelFromName } from "./kernels.ts";
 * kernelFromName("matern32", 4).name; // "matern32"
 * ```
 */
export function kernelFromName(name: KernelName, dim: number): Kernel {
  const profiles = { rbf: RBF, matern12: MATERN12, matern32: MATERN32, matern52: MATERN52 };
  // An own property only: "toString" or "constructor" are names of Object.prototype's members.
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (profile === undefined) {
    throw new RangeError(`kernelFromName: name must be one of ${KERNEL_NAMES.join(", ")}`);
  }
  return new StationaryKernel(profile, dim, undefined);
}

/** Shared bookkeeping of sums and products: parts, their slices of theta, prefixed names. */
abstract class CompositeKernel implements Kernel {
  readonly dim: number;
  readonly name: string;
  readonly size: number;
  readonly names: readonly string[];
  readonly kinds: readonly HyperparameterKind[];
  protected readonly parts: readonly Kernel[];
  readonly #offsets: readonly number[];

  constructor(kind: "sum" | "product", parts: readonly Kernel[]) {
    const label = `${kind}Kernel`;
    if (parts.length < 2) throw new RangeError(`${label}: needs at least two kernels`);
    parts.forEach((part, i) => {
      if (typeof part?.gram !== "function") {
        throw new TypeError(`${label}: kernels[${i}]: not a Kernel`);
      }
      if (part.dim !== parts[0].dim) {
        throw new RangeError(
          `${label}: kernels[${i}].dim = ${part.dim} differs from kernels[0].dim = ${parts[0].dim}`,
        );
      }
    });
    this.parts = [...parts];
    this.dim = parts[0].dim;
    this.name = `${kind}(${parts.map((p) => p.name).join(",")})`;
    const offsets: number[] = [];
    let size = 0;
    for (const part of parts) {
      offsets.push(size);
      size += part.size;
    }
    this.#offsets = offsets;
    this.size = size;
    this.names = parts.flatMap((p, i) => p.names.map((name) => `k${i}.${name}`));
    this.kinds = parts.flatMap((p) => [...p.kinds]);
  }

  protected slice(theta: Float64Array, i: number): Float64Array {
    if (!(theta instanceof Float64Array) || theta.length !== this.size) {
      throw new RangeError(`${this.name}: theta must be a Float64Array of length ${this.size}`);
    }
    return theta.subarray(this.#offsets[i], this.#offsets[i] + this.parts[i].size);
  }

  protected sliceOut(out: Float64Array, i: number): Float64Array {
    checkFloat64Array(out, this.size, `${this.name}.accumulateGradient: out`);
    return out.subarray(this.#offsets[i], this.#offsets[i] + this.parts[i].size);
  }

  protected combine(
    theta: Float64Array,
    length: number,
    out: Float64Array,
    evaluate: (part: Kernel, theta: Float64Array) => Float64Array,
  ): Float64Array {
    checkFloat64Array(out, length, `${this.name}: out`);
    out.set(evaluate(this.parts[0], this.slice(theta, 0)));
    for (let i = 1; i < this.parts.length; i++) {
      const values = evaluate(this.parts[i], this.slice(theta, i));
      this.merge(out, values);
    }
    return out;
  }

  /** Folds one part's values into the running result (addition or multiplication). */
  protected abstract merge(into: Float64Array, values: Float64Array): void;

  cross(
    theta: Float64Array,
    a: Float64Array,
    na: number,
    b: Float64Array,
    nb: number,
    out: Float64Array = new Float64Array(na * nb),
  ): Float64Array {
    return this.combine(theta, na * nb, out, (k, t) => k.cross(t, a, na, b, nb));
  }

  gram(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    out: Float64Array = new Float64Array(n * n),
  ): Float64Array {
    return this.combine(theta, n * n, out, (k, t) => k.gram(t, x, n));
  }

  diagonal(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    out: Float64Array = new Float64Array(n),
  ): Float64Array {
    return this.combine(theta, n, out, (k, t) => k.diagonal(t, x, n));
  }

  abstract accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void;

  abstract inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out?: Float64Array,
  ): Float64Array;

  abstract diagonalGradient(
    theta: Float64Array,
    point: Float64Array,
    out?: Float64Array,
  ): Float64Array;
}

class SumKernel extends CompositeKernel {
  /**
   * Present when every part has it: the spectral measure of a sum is the mixture of the parts'
   * measures, weighted by their variances; each frequency comes from part i with probability
   * vᵢ/Σⱼvⱼ. Variance: Σᵢ vᵢ.
   */
  readonly spectralSample?: (theta: Float64Array, count: number, rng: Rng) => SpectralSample;

  constructor(parts: readonly Kernel[]) {
    super("sum", parts);
    if (!parts.every((part) => typeof part.spectralSample === "function")) return;
    this.spectralSample = (theta, count, rng) => {
      checkSpectralArguments(this, theta, count, rng);
      const samples = this.parts.map((part, i) =>
        checkedSpectralSample(part, this.slice(theta, i), count, rng)
      );
      const variance = samples.reduce((sum, sample) => sum + sample.variance, 0);
      const dim = this.dim, frequencies = new Float64Array(count * dim);
      for (let j = 0; j < count; j++) {
        let u = rng.uniform() * variance, i = 0;
        while (i < samples.length - 1 && (u -= samples[i].variance) >= 0) i++;
        frequencies.set(samples[i].frequencies.subarray(j * dim, (j + 1) * dim), j * dim);
      }
      return { frequencies, variance };
    };
  }

  protected merge(into: Float64Array, values: Float64Array): void {
    for (let i = 0; i < into.length; i++) into[i] += values[i];
  }

  accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void {
    this.parts.forEach((part, i) => {
      part.accumulateGradient(this.slice(theta, i), x, n, weights, this.sliceOut(out, i));
    });
  }

  inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out: Float64Array = new Float64Array(nb * this.dim),
  ): Float64Array {
    return this.combine(theta, nb * this.dim, out, (k, t) => k.inputGradient(t, point, b, nb));
  }

  diagonalGradient(
    theta: Float64Array,
    point: Float64Array,
    out: Float64Array = new Float64Array(this.dim),
  ): Float64Array {
    // ∂(Σᵢ kᵢ(x, x))/∂x = Σᵢ ∂kᵢ(x, x)/∂x.
    return this.combine(theta, this.dim, out, (k, t) => kernelDiagonalGradient(k, t, point));
  }
}

class ProductKernel extends CompositeKernel {
  /**
   * Present when every part has it: the spectral measure of a product is the convolution of the
   * parts' measures, so a frequency is the sum of one independent draw from each part. Variance:
   * Πᵢ vᵢ.
   */
  readonly spectralSample?: (theta: Float64Array, count: number, rng: Rng) => SpectralSample;

  constructor(parts: readonly Kernel[]) {
    super("product", parts);
    if (!parts.every((part) => typeof part.spectralSample === "function")) return;
    this.spectralSample = (theta, count, rng) => {
      checkSpectralArguments(this, theta, count, rng);
      const frequencies = new Float64Array(count * this.dim);
      let variance = 1;
      this.parts.forEach((part, i) => {
        const sample = checkedSpectralSample(part, this.slice(theta, i), count, rng);
        for (let k = 0; k < frequencies.length; k++) frequencies[k] += sample.frequencies[k];
        variance *= sample.variance;
      });
      return { frequencies, variance };
    };
  }

  protected merge(into: Float64Array, values: Float64Array): void {
    for (let i = 0; i < into.length; i++) into[i] *= values[i];
  }

  /** Product of all parts' matrices except part `skip`, from `evaluate` of each part. */
  #others(values: readonly Float64Array[], skip: number, length: number): Float64Array {
    const out = new Float64Array(length).fill(1);
    values.forEach((v, i) => {
      if (i !== skip) this.merge(out, v);
    });
    return out;
  }

  accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void {
    checkFloat64Array(weights, n * n, `${this.name}.accumulateGradient: weights`);
    // ∂(A∘B)/∂θ_A = ∂A/∂θ_A ∘ B, so part i sees the weights W ∘ (product of the other parts).
    const grams = this.parts.map((part, i) => part.gram(this.slice(theta, i), x, n));
    this.parts.forEach((part, i) => {
      const w = this.#others(grams, i, n * n);
      this.merge(w, weights);
      part.accumulateGradient(this.slice(theta, i), x, n, w, this.sliceOut(out, i));
    });
  }

  inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out: Float64Array = new Float64Array(nb * this.dim),
  ): Float64Array {
    checkFloat64Array(out, nb * this.dim, `${this.name}.inputGradient: out`);
    const dim = this.dim;
    const values = this.parts.map((part, i) => part.cross(this.slice(theta, i), point, 1, b, nb));
    out.fill(0);
    this.parts.forEach((part, i) => {
      const grad = part.inputGradient(this.slice(theta, i), point, b, nb);
      const others = this.#others(values, i, nb);
      for (let r = 0; r < nb; r++) {
        for (let t = 0; t < dim; t++) out[r * dim + t] += grad[r * dim + t] * others[r];
      }
    });
    return out;
  }

  diagonalGradient(
    theta: Float64Array,
    point: Float64Array,
    out: Float64Array = new Float64Array(this.dim),
  ): Float64Array {
    // ∂(Πᵢ kᵢ(x, x))/∂x = Σᵢ ∂kᵢ(x, x)/∂x · Πⱼ≠ᵢ kⱼ(x, x).
    checkFloat64Array(out, this.dim, `${this.name}.diagonalGradient: out`);
    const values = this.parts.map((part, i) => part.diagonal(this.slice(theta, i), point, 1));
    out.fill(0);
    this.parts.forEach((part, i) => {
      const grad = kernelDiagonalGradient(part, this.slice(theta, i), point);
      const others = this.#others(values, i, 1)[0];
      for (let t = 0; t < this.dim; t++) out[t] += grad[t] * others;
    });
    return out;
  }
}

/**
 * The sum k₁ + k₂ + … of kernels on the same inputs; hyperparameters are concatenated and named
 * `k0.…`, `k1.…`.
 *
 * @example
 * ```ts
 * import { matern52Kernel, rbfKernel, sumKernel } from "./kernels.ts";
 * const additive = sumKernel(rbfKernel(2, { dims: [0] }), rbfKernel(2, { dims: [1] }));
 * additive.names; // ["k0.lengthscale[0]", "k0.outputscale", "k1.lengthscale[1]", "k1.outputscale"]
 * ```
 */
export function sumKernel(...kernels: Kernel[]): Kernel {
  return new SumKernel(kernels);
}

/**
 * The elementwise product k₁·k₂·… of kernels on the same inputs; hyperparameters are concatenated
 * and named `k0.…`, `k1.…`. (The outputscales of the factors multiply: only their product is
 * identified by data, the priors pin down the split.)
 *
 * @example
 * ```ts
 * import { matern12Kernel, productKernel, rbfKernel } from "./kernels.ts";
 * const k = productKernel(rbfKernel(2, { dims: [0] }), matern12Kernel(2, { dims: [1] }));
 * k.size; // 4
 * ```
 */
export function productKernel(...kernels: Kernel[]): Kernel {
  return new ProductKernel(kernels);
}

/** Throws an error naming the kernel's `spectralSample` unless its arguments are usable. */
function checkSpectralArguments(kernel: Kernel, theta: Float64Array, count: number, rng: Rng) {
  const label = `${kernel.name}.spectralSample`;
  if (!(theta instanceof Float64Array) || theta.length !== kernel.size) {
    throw new RangeError(`${label}: theta must be a Float64Array of length ${kernel.size}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${label}: count must be a positive integer, got ${count}`);
  }
  if (typeof rng?.normal !== "function" || typeof rng.uniform !== "function") {
    throw new TypeError(`${label}: rng must be an Rng`);
  }
}

/**
 * `kernel.spectralSample(theta, count, rng)`, checked: `count`×dim finite frequencies and a
 * finite variance ≥ 0, else an error naming the kernel (a kernel of your own may return anything).
 *
 * @example
 * ```ts
 * import { checkedSpectralSample, matern52Kernel } from "./kernels.ts";
 * import { Rng } from "../random/rng.ts";
 * const { frequencies, variance } = checkedSpectralSample(
 *   matern52Kernel(3),
 *   new Float64Array(4),
 *   16,
 *   new Rng(0),
 * );
 * ```
 */
export function checkedSpectralSample(
  kernel: Kernel,
  theta: Float64Array,
  count: number,
  rng: Rng,
): SpectralSample {
  const label = `${kernel.name}.spectralSample`;
  if (typeof kernel.spectralSample !== "function") {
    throw new TypeError(
      `${label}: the kernel has no spectral density (only stationary kernels do: RBF, Matérn, ` +
        "their sums and products)",
    );
  }
  const sample = kernel.spectralSample(theta, count, rng) as Partial<SpectralSample> | undefined;
  const { frequencies, variance } = sample ?? {};
  checkFloat64Array(frequencies, count * kernel.dim, `${label}: frequencies`);
  const bad = (frequencies as Float64Array).findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(`${label}: frequencies[${bad}]: must be finite, got ${frequencies![bad]}`);
  }
  if (typeof variance !== "number" || !(variance >= 0) || !Number.isFinite(variance)) {
    throw new RangeError(`${label}: variance must be a finite number ≥ 0, got ${variance}`);
  }
  return { frequencies: frequencies as Float64Array, variance };
}

function checkRows(x: Float64Array, rows: number, dim: number, what: string): void {
  if (!(x instanceof Float64Array)) throw new TypeError(`${what}: must be a Float64Array`);
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`${what}: row count must be ≥ 0`);
  if (x.length !== rows * dim) {
    throw new RangeError(
      `${what}: expected ${rows}×${dim} = ${rows * dim} values, got ${x.length}`,
    );
  }
}

/**
 * Options of {@linkcode categoricalKernel}: where the categorical parameters sit in the encoded
 * inputs.
 *
 * @example
 * ```ts
 * import type { CategoricalKernelOptions } from "./kernels.ts";
 * // Columns 0–2: a 3-level one-hot block; columns 4–5: a 2-level block (column 3 is numeric).
 * const options: CategoricalKernelOptions = { blocks: [[0, 1, 2], [4, 5]] };
 * ```
 */
export interface CategoricalKernelOptions {
  /**
   * The encoded columns of each categorical parameter (its one-hot block), one block per
   * parameter: non-empty, disjoint, every column < dim. A point's level of a block is the argmax
   * of its columns, the first on ties (how a space decodes a one-hot block).
   */
  readonly blocks: readonly (readonly number[])[];
  /**
   * The mask of the encoded columns in use at a point (`space.activeColumns` of a conditional
   * space): a block whose first column is not in use takes one more level, "inactive", equal to
   * itself and different from every level. Unset: every block is always active.
   */
  readonly activeColumns?: (u: Float64Array) => ArrayLike<number>;
  /** Whether the kernel carries its own outputscale s² (default true; false for a factor). */
  readonly outputscale?: boolean;
}

const blocksSchema = z.array(
  z.array(z.number().int("must be an integer").nonnegative("must be ≥ 0")).min(
    1,
    "must hold at least one column",
  ),
).min(1, "must name at least one categorical parameter");

const categoricalOptionsSchema = z.strictObject({
  blocks: blocksSchema,
  activeColumns: z.custom<(u: Float64Array) => ArrayLike<number>>(
    (f) => typeof f === "function",
    "must be a function",
  ).optional(),
  outputscale: z.boolean().optional(),
});

/** Checks that `blocks` are disjoint columns of `dim` inputs (messages name the entry). */
function checkBlocks(blocks: readonly (readonly number[])[], dim: number, label: string): void {
  const seen = new Set<number>();
  blocks.forEach((block, b) =>
    block.forEach((column, i) => {
      if (column >= dim) {
        throw new RangeError(`${label}: options.blocks[${b}][${i}]: must be < dim = ${dim}`);
      }
      if (seen.has(column)) {
        throw new RangeError(`${label}: options.blocks[${b}][${i}]: column ${column} repeated`);
      }
      seen.add(column);
    })
  );
}

/** The level of each categorical block at each row (−1: inactive), with a small content cache. */
class CategoricalLevels {
  readonly #dim: number;
  readonly #blocks: readonly Int32Array[];
  readonly #activeColumns?: (u: Float64Array) => ArrayLike<number>;
  // The last two inputs (a copy of their values) and their levels: the training inputs come back
  // at every prediction, and `activeColumns` decodes a point, so they are not recomputed.
  readonly #cache: { source: Float64Array; copy: Float64Array; levels: Int32Array }[] = [];

  constructor(
    dim: number,
    blocks: readonly (readonly number[])[],
    activeColumns?: (u: Float64Array) => ArrayLike<number>,
  ) {
    this.#dim = dim;
    this.#blocks = blocks.map((b) => Int32Array.from(b));
    this.#activeColumns = activeColumns;
  }

  get count(): number {
    return this.#blocks.length;
  }

  /** Row-major rows × count levels of the rows of `x`. */
  of(x: Float64Array, rows: number): Int32Array {
    const cache = this.#cache;
    for (let e = 0; e < cache.length; e++) {
      const entry = cache[e];
      if (entry.source === x && entry.copy.length === x.length && sameValues(entry.copy, x)) {
        if (e !== cache.length - 1) cache.push(...cache.splice(e, 1)); // most recent last
        return entry.levels;
      }
    }
    const dim = this.#dim, blocks = this.#blocks, c = blocks.length;
    const levels = new Int32Array(rows * c);
    for (let r = 0; r < rows; r++) {
      const at = r * dim;
      const active = this.#activeColumns?.(x.subarray(at, at + dim));
      for (let b = 0; b < c; b++) {
        const block = blocks[b];
        if (active !== undefined && !active[block[0]]) {
          levels[r * c + b] = -1;
          continue;
        }
        levels[r * c + b] = oneHotArgmax(x, block, at);
      }
    }
    if (this.#activeColumns !== undefined) {
      if (this.#cache.length === 2) this.#cache.shift();
      this.#cache.push({ source: x, copy: x.slice(), levels });
    }
    return levels;
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class CategoricalKernel extends PairwiseKernel<Int32Array> {
  readonly #levels: CategoricalLevels;
  readonly #c: number;
  // exp(−θⱼ)/c: the weight of a mismatch in parameter j.
  readonly #weights: Float64Array;

  constructor(dim: number, levels: CategoricalLevels, scaled: boolean) {
    const c = levels.count;
    const lengthscales = Array.from({ length: c }, (_, j) => `categorical[${j}]`);
    super(
      dim,
      "hamming",
      scaled ? [...lengthscales, "outputscale"] : lengthscales,
      [
        ...lengthscales.map(() => "categoricalLengthscale" as const),
        ...(scaled ? ["outputscale" as const] : []),
      ],
      scaled,
    );
    this.#levels = levels;
    this.#c = c;
    this.#weights = new Float64Array(c);
  }

  /** Loads the mismatch weights of `theta`; returns s² (1 without an outputscale). */
  protected load(theta: Float64Array): number {
    const c = this.#c;
    for (let j = 0; j < c; j++) this.#weights[j] = Math.exp(-theta[j]) / c;
    return this.size > c ? Math.exp(theta[c]) : 1;
  }

  protected rows(x: Float64Array, n: number): Int32Array {
    return this.#levels.of(x, n);
  }

  /** Σⱼ wⱼ·[levels differ] of row i of `la` and row r of `lb`. */
  #distance(la: Int32Array, i: number, lb: Int32Array, r: number): number {
    const c = this.#c, w = this.#weights;
    let s = 0;
    for (let j = 0; j < c; j++) if (la[i * c + j] !== lb[r * c + j]) s += w[j];
    return s;
  }

  protected value(la: Int32Array, i: number, lb: Int32Array, r: number): number {
    return Math.exp(-this.#distance(la, i, lb, r));
  }

  protected pairGradient(
    levels: Int32Array,
    i: number,
    j: number,
    wij: number,
    s2: number,
    out: Float64Array,
  ): number {
    // ∂k/∂log ℓⱼ = k·[levels differ in j]/(c·ℓⱼ).
    const c = this.#c, w = this.#weights;
    const k = s2 * Math.exp(-this.#distance(levels, i, levels, j));
    for (let t = 0; t < c; t++) {
      if (levels[i * c + t] !== levels[j * c + t]) out[t] += wij * k * w[t];
    }
    return wij * k;
  }

  protected pointGradient(): void {
    // The kernel depends on the inputs through the levels only (argmax of each block): piecewise
    // constant, so its gradient is zero wherever it exists (everywhere but at ties).
  }
}

/**
 * The categorical (Hamming) kernel of BoTorch's `CategoricalKernel`: for c categorical
 * parameters with levels xⱼ, x'ⱼ (the argmax of their one-hot blocks),
 *
 *   k(x, x') = s²·exp(−(1/c)·Σⱼ δ(xⱼ ≠ x'ⱼ)/ℓⱼ),
 *
 * one lengthscale ℓⱼ per parameter (kind `"categoricalLengthscale"`) and the outputscale s² (kind
 * `"outputscale"`, absent with `outputscale: false`). On exact one-hot blocks
 * δ = ½·Σ over the block of |uᵢ − u'ᵢ|, the Hamming distance; a fractional block counts as its
 * argmax level, so the kernel is piecewise constant in the block's columns and its input
 * gradient there is zero. Positive semi-definite: a product over parameters of
 * e^{−wⱼ} + (1 − e^{−wⱼ})·δ(xⱼ = x'ⱼ). The overlap kernel of SMAC (Hutter et al. 2011) and the
 * categorical kernel of CoCaBO (Ru et al. 2020, "Bayesian optimisation over multiple continuous
 * and categorical inputs").
 *
 * @throws {TypeError | RangeError} naming the field of bad options (blocks out of range or
 * overlapping).
 *
 * @example
 * ```ts
 * import { categoricalKernel } from "./kernels.ts";
 * const k = categoricalKernel(5, { blocks: [[0, 1, 2], [3, 4]] });
 * const theta = new Float64Array([0, 0, 0]); // ℓ = (1, 1), s² = 1
 * const a = new Float64Array([1, 0, 0, 0, 1]), b = new Float64Array([0, 1, 0, 0, 1]);
 * k.cross(theta, a, 1, b, 1); // [exp(−½)]: the first parameter differs
 * ```
 */
export function categoricalKernel(dim: number, options: CategoricalKernelOptions): Kernel {
  parseOrThrow(positiveIntSchema, dim, "categoricalKernel: dim");
  const parsed = parseOrThrow(categoricalOptionsSchema, options, "categoricalKernel: options");
  checkBlocks(parsed.blocks, dim, "categoricalKernel");
  return new CategoricalKernel(
    dim,
    new CategoricalLevels(dim, parsed.blocks, parsed.activeColumns),
    parsed.outputscale ?? true,
  );
}

/**
 * Options of {@linkcode mixedCategoricalKernel}: the categorical blocks (as for
 * {@linkcode categoricalKernel}) and the kernel of the other columns.
 *
 * @example
 * ```ts
 * import type { MixedCategoricalKernelOptions } from "./kernels.ts";
 * const options: MixedCategoricalKernelOptions = { blocks: [[1, 2, 3]], continuous: "rbf" };
 * ```
 */
export interface MixedCategoricalKernelOptions {
  /** The encoded columns of each categorical parameter (see {@linkcode categoricalKernel}). */
  readonly blocks: readonly (readonly number[])[];
  /** The mask of columns in use at a point (conditional spaces; see {@linkcode categoricalKernel}). */
  readonly activeColumns?: (u: Float64Array) => ArrayLike<number>;
  /** The ARD kernel of the columns outside the blocks (default `"matern52"`). */
  readonly continuous?: KernelName;
}

/** A kernel under another name, with renamed hyperparameters. */
class RenamedKernel implements Kernel {
  readonly dim: number;
  readonly size: number;
  readonly kinds: readonly HyperparameterKind[];
  readonly #inner: Kernel;

  readonly #prepare?: (x: Float64Array, n: number) => PreparedKernel;

  constructor(
    readonly name: string,
    inner: Kernel,
    readonly names: readonly string[],
    prepare?: (x: Float64Array, n: number) => PreparedKernel,
  ) {
    this.#inner = inner;
    this.dim = inner.dim;
    this.size = inner.size;
    this.kinds = inner.kinds;
    this.#prepare = prepare;
  }

  prepare(x: Float64Array, n: number): PreparedKernel {
    checkRows(x, n, this.dim, `${this.name}.prepare: x`);
    if (this.#prepare !== undefined) return this.#prepare(x, n);
    return unprepared(this, x, n);
  }

  cross(
    theta: Float64Array,
    a: Float64Array,
    na: number,
    b: Float64Array,
    nb: number,
    out?: Float64Array,
  ): Float64Array {
    return this.#inner.cross(theta, a, na, b, nb, out);
  }

  gram(theta: Float64Array, x: Float64Array, n: number, out?: Float64Array): Float64Array {
    return this.#inner.gram(theta, x, n, out);
  }

  diagonal(theta: Float64Array, x: Float64Array, n: number, out?: Float64Array): Float64Array {
    return this.#inner.diagonal(theta, x, n, out);
  }

  accumulateGradient(
    theta: Float64Array,
    x: Float64Array,
    n: number,
    weights: Float64Array,
    out: Float64Array,
  ): void {
    this.#inner.accumulateGradient(theta, x, n, weights, out);
  }

  inputGradient(
    theta: Float64Array,
    point: Float64Array,
    b: Float64Array,
    nb: number,
    out?: Float64Array,
  ): Float64Array {
    return this.#inner.inputGradient(theta, point, b, nb, out);
  }

  diagonalGradient(theta: Float64Array, point: Float64Array, out?: Float64Array): Float64Array {
    const gradient = kernelDiagonalGradient(this.#inner, theta, point);
    if (out === undefined) return gradient;
    checkFloat64Array(out, this.dim, `${this.name}.diagonalGradient: out`);
    out.set(gradient);
    return out;
  }
}

/**
 * The mixed continuous–categorical kernel of BoTorch's `MixedSingleTaskGP` (the sum-and-product
 * kernel of CoCaBO, Ru et al. 2020): with k_cont an ARD kernel (`continuous`) on the columns
 * outside the categorical blocks and k_cat the {@linkcode categoricalKernel} without outputscale,
 *
 *   k(x, x') = s₁·k_cont(x, x'; ℓ⁽¹⁾) + s₂·k_cat(x, x'; λ⁽¹⁾)
 *            + s₃·k_cont(x, x'; ℓ⁽²⁾)·k_cat(x, x'; λ⁽²⁾),
 *
 * separate lengthscales in the sum and the product terms, as BoTorch fits them. BoTorch writes
 * the same family as ScaleKernel(K_cont₁ + ScaleKernel(K_cat₁)) + ScaleKernel(K_cont₂·K_cat₂);
 * here the three outputscales are independent (s₂ = BoTorch's product of the two sum scales).
 * Hyperparameters: `sum.lengthscale[i]` (one per continuous column i), `sum.outputscale`,
 * `sum.categorical[j]`, `sum.categorical.outputscale`, `product.lengthscale[i]`,
 * `product.outputscale`, `product.categorical[j]`. Without any column outside the blocks it is
 * s·k_cat alone (`categorical[j]`, `outputscale`), as in BoTorch. Input gradients are exact:
 * those of k_cont in the continuous columns, zero in the block columns (see
 * {@linkcode categoricalKernel}).
 *
 * @throws {TypeError | RangeError} naming the field of bad options.
 *
 * @example
 * ```ts
 * import { mixedCategoricalKernel } from "./kernels.ts";
 * // Columns 0–2: a 3-level categorical; columns 3 and 4: floats.
 * const k = mixedCategoricalKernel(5, { blocks: [[0, 1, 2]] });
 * k.size; // 9: 2 + 1 + 1 + 1 (sum term) + 2 + 1 + 1 (product term)
 * const gram = k.gram(new Float64Array(k.size), new Float64Array([1, 0, 0, 0.2, 0.4]), 1);
 * ```
 */
export function mixedCategoricalKernel(
  dim: number,
  options: MixedCategoricalKernelOptions,
): Kernel {
  parseOrThrow(positiveIntSchema, dim, "mixedCategoricalKernel: dim");
  const parsed = parseOrThrow(
    z.strictObject({
      blocks: blocksSchema,
      activeColumns: categoricalOptionsSchema.shape.activeColumns,
      continuous: z.enum(KERNEL_NAMES as [KernelName, ...KernelName[]]).optional(),
    }),
    options,
    "mixedCategoricalKernel: options",
  );
  checkBlocks(parsed.blocks, dim, "mixedCategoricalKernel");
  const levels = new CategoricalLevels(dim, parsed.blocks, parsed.activeColumns);
  const inBlock = new Set(parsed.blocks.flat());
  const dims = Array.from({ length: dim }, (_, i) => i).filter((i) => !inBlock.has(i));
  const profile = parsed.continuous ?? "matern52";
  if (dims.length === 0) {
    const k = new CategoricalKernel(dim, levels, true);
    return new RenamedKernel("hamming", k, k.names);
  }
  const profiles = { rbf: RBF, matern12: MATERN12, matern32: MATERN32, matern52: MATERN52 };
  const continuous = () => new StationaryKernel(profiles[profile], dim, { dims });
  const inner = new SumKernel([
    continuous(),
    new CategoricalKernel(dim, levels, true),
    new ProductKernel([continuous(), new CategoricalKernel(dim, levels, false)]),
  ]);
  const lengthscales = dims.map((d) => `lengthscale[${d}]`);
  const categorical = parsed.blocks.map((_, j) => `categorical[${j}]`);
  const names = [
    ...lengthscales.map((n) => `sum.${n}`),
    "sum.outputscale",
    ...categorical.map((n) => `sum.${n}`),
    "sum.categorical.outputscale",
    ...lengthscales.map((n) => `product.${n}`),
    "product.outputscale",
    ...categorical.map((n) => `product.${n}`),
  ];
  const p = dims.length, c = parsed.blocks.length;
  return new RenamedKernel(
    `mixed(${profile},hamming)`,
    inner,
    names,
    (x, n) =>
      (n * (n - 1) / 2) * (p + c) > MAX_PREPARED_ENTRIES
        ? unprepared(inner, x, n)
        : new PreparedMixed(
          profiles[profile],
          Int32Array.from(dims),
          levels.of(x, n),
          c,
          x,
          n,
          dim,
        ),
  );
}

/**
 * {@linkcode mixedCategoricalKernel} bound to fixed inputs: the squared differences of the
 * continuous columns and the mismatches of the levels of every pair are stored once. Theta is
 * `[ℓ⁽¹⁾…, s₁, λ⁽¹⁾…, s₂, ℓ⁽²⁾…, s₃, λ⁽²⁾…]` (logs), as the kernel's names.
 */
class PreparedMixed extends PreparedPairs implements PreparedKernel {
  readonly #profile: Profile;
  readonly #p: number;
  readonly #c: number;
  readonly #diff2: Float64Array; // pair-major, p per pair
  readonly #mismatch: Uint8Array; // pair-major, c per pair
  // Per pair at the cached theta: φ(q₁), φ'(q₁), φ(q₂), φ'(q₂), e^{−d₁}, e^{−d₂}.
  readonly #phi1: Float64Array;
  readonly #slope1: Float64Array;
  readonly #phi2: Float64Array;
  readonly #slope2: Float64Array;
  readonly #cat1: Float64Array;
  readonly #cat2: Float64Array;

  constructor(
    profile: Profile,
    active: Int32Array,
    levels: Int32Array,
    c: number,
    x: Float64Array,
    n: number,
    dim: number,
  ) {
    const p = active.length, pairs = (n * (n - 1)) / 2;
    super("mixed", n, 2 * p + 2 * c + 3);
    this.#profile = profile;
    this.#p = p;
    this.#c = c;
    this.#diff2 = pairSquaredDifferences(x, n, dim, active);
    this.#mismatch = new Uint8Array(pairs * c);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++, k++) {
        for (let t = 0; t < c; t++) {
          this.#mismatch[k * c + t] = levels[i * c + t] !== levels[j * c + t] ? 1 : 0;
        }
      }
    }
    [this.#phi1, this.#slope1, this.#phi2, this.#slope2, this.#cat1, this.#cat2] = Array.from(
      { length: 6 },
      () => new Float64Array(pairs),
    );
  }

  /** Offsets of the parts of theta. */
  #layout() {
    const p = this.#p, c = this.#c;
    return {
      l1: 0,
      s1: p,
      c1: p + 1,
      s2: p + 1 + c,
      l2: p + 2 + c,
      s3: 2 * p + 2 + c,
      c2: 2 * p + 3 + c,
    };
  }

  protected fill(theta: Float64Array): void {
    const p = this.#p, c = this.#c, at = this.#layout();
    const inv1 = inverseSquares(theta.subarray(at.l1), new Float64Array(p));
    const inv2 = inverseSquares(theta.subarray(at.l2), new Float64Array(p));
    const w1 = new Float64Array(c), w2 = new Float64Array(c);
    for (let t = 0; t < c; t++) {
      w1[t] = Math.exp(-theta[at.c1 + t]) / c;
      w2[t] = Math.exp(-theta[at.c2 + t]) / c;
    }
    pairDistances(this.#diff2, inv1, this.#phi1);
    pairDistances(this.#diff2, inv2, this.#phi2);
    const mismatch = this.#mismatch, cat1 = this.#cat1, cat2 = this.#cat2;
    for (let k = 0; k < cat1.length; k++) {
      let d1 = 0, d2 = 0;
      for (let t = 0; t < c; t++) {
        if (mismatch[k * c + t]) {
          d1 += w1[t];
          d2 += w2[t];
        }
      }
      cat1[k] = Math.exp(-d1);
      cat2[k] = Math.exp(-d2);
    }
    this.#profile.fill(this.#phi1, this.#slope1);
    this.#profile.fill(this.#phi2, this.#slope2);
  }

  gram(theta: Float64Array, out: Float64Array): Float64Array {
    this.checkTheta(theta, "gram");
    const n = this.n, at = this.#layout();
    this.checkArray(out, n * n, "gram: out");
    this.refresh(theta);
    const s1 = Math.exp(theta[at.s1]), s2 = Math.exp(theta[at.s2]), s3 = Math.exp(theta[at.s3]);
    const phi1 = this.#phi1, phi2 = this.#phi2, cat1 = this.#cat1, cat2 = this.#cat2;
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++, k++) {
        const v = s1 * phi1[k] + s2 * cat1[k] + s3 * phi2[k] * cat2[k];
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
      out[i * n + i] = s1 + s2 + s3;
    }
    return out;
  }

  accumulateGradient(theta: Float64Array, weights: Float64Array, out: Float64Array): void {
    this.checkTheta(theta, "accumulateGradient");
    const n = this.n, p = this.#p, c = this.#c, at = this.#layout();
    this.checkArray(weights, n * n, "accumulateGradient: weights");
    this.checkArray(out, 2 * p + 2 * c + 3, "accumulateGradient: out");
    this.refresh(theta);
    const s1 = Math.exp(theta[at.s1]), s2 = Math.exp(theta[at.s2]), s3 = Math.exp(theta[at.s3]);
    const phi1 = this.#phi1, phi2 = this.#phi2, slope1 = this.#slope1, slope2 = this.#slope2;
    const cat1 = this.#cat1, cat2 = this.#cat2, diff2 = this.#diff2, mismatch = this.#mismatch;
    const g1 = new Float64Array(p), g2 = new Float64Array(p);
    const h1 = new Float64Array(c), h2 = new Float64Array(c);
    let diagonal = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
    for (let i = 0; i < n; i++) {
      diagonal += weights[i * n + i];
      for (let j = 0; j < i; j++, k++) {
        const w = weights[i * n + j] + weights[j * n + i];
        if (w === 0) continue;
        const product = phi2[k] * cat2[k];
        a1 += w * phi1[k];
        a2 += w * cat1[k];
        a3 += w * product;
        const u1 = w * slope1[k], u2 = w * slope2[k] * cat2[k];
        for (let t = 0; t < p; t++) {
          const v = diff2[k * p + t];
          g1[t] += u1 * v;
          g2[t] += u2 * v;
        }
        const v1 = w * cat1[k], v2 = w * product;
        for (let t = 0; t < c; t++) {
          if (mismatch[k * c + t]) {
            h1[t] += v1;
            h2[t] += v2;
          }
        }
      }
    }
    // ∂/∂log ℓₜ = s·φ'(q)·(−2Δₜ²/ℓₜ²)·(e^{−d₂} in the product); ∂/∂log λₜ = k_term·δₜ/(c·λₜ);
    // ∂/∂log s = the term itself (its diagonal is s).
    for (let t = 0; t < p; t++) {
      out[at.l1 + t] += -2 * s1 * g1[t] * Math.exp(-2 * theta[at.l1 + t]);
      out[at.l2 + t] += -2 * s3 * g2[t] * Math.exp(-2 * theta[at.l2 + t]);
    }
    for (let t = 0; t < c; t++) {
      out[at.c1 + t] += s2 * h1[t] * Math.exp(-theta[at.c1 + t]) / c;
      out[at.c2 + t] += s3 * h2[t] * Math.exp(-theta[at.c2 + t]) / c;
    }
    out[at.s1] += s1 * (diagonal + a1);
    out[at.s2] += s2 * (diagonal + a2);
    out[at.s3] += s3 * (diagonal + a3);
  }
}
