/**
 * Cholesky factorisation of symmetric positive-definite matrices in `Float64Array`, with escalating
 * diagonal jitter when the matrix is numerically singular, and everything derived from the factor:
 * triangular solves, log-determinant and inverse.
 *
 * Matrices are dense, square and row-major: entry (i, j) of an n×n matrix `a` is `a[i * n + j]`.
 * A factor is the lower-triangular L with A = L·Lᵀ; its strict upper triangle is zero. Every loop
 * walks rows contiguously (dot products of two rows, or row axpys), which is what keeps these
 * routines fast in V8. Arrays from {@linkcode simdArrays} additionally run the factorisation and
 * the inverse as WebAssembly f64x2 SIMD code (same algorithm, several times faster).
 *
 * @module
 */
import { simdKernelsFor } from "./_simd.ts";
import { checkFloat64Array } from "../validate.ts";

/**
 * Defaults of {@linkcode cholesky}.
 *
 * @example
 * ```ts
 * import { CHOLESKY_DEFAULTS } from "./cholesky.ts";
 * CHOLESKY_DEFAULTS.initialRelativeJitter; // 1e-10
 * ```
 */
export const CHOLESKY_DEFAULTS: {
  /** First jitter tried after a failed factorisation, relative to the mean of the diagonal. */
  readonly initialRelativeJitter: number;
  /** Factor by which the jitter grows after each further failure. */
  readonly growth: number;
  /** Largest jitter tried, relative to the mean of the diagonal, before giving up. */
  readonly maxRelativeJitter: number;
} = {
  initialRelativeJitter: 1e-10,
  growth: 10,
  maxRelativeJitter: 1e-2,
};

/**
 * Options of {@linkcode cholesky}; unset fields take {@linkcode CHOLESKY_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { cholesky, type CholeskyOptions } from "./cholesky.ts";
 * const options: CholeskyOptions = { maxRelativeJitter: 1e-6 };
 * cholesky(new Float64Array([2, 1, 1, 2]), 2, options);
 * ```
 */
export interface CholeskyOptions {
  /** First jitter tried after a failed factorisation, relative to the mean of the diagonal. */
  initialRelativeJitter?: number;
  /** Factor by which the jitter grows after each further failure (> 1). */
  growth?: number;
  /** Largest jitter tried, relative to the mean of the diagonal. */
  maxRelativeJitter?: number;
  /**
   * Where to write the factor (length n²); a new array when unset. May be the input itself, which
   * is then overwritten even when the factorisation fails.
   */
  out?: Float64Array;
}

/**
 * A Cholesky factor together with the diagonal jitter that was needed to obtain it.
 *
 * @example
 * ```ts
 * import { cholesky, type CholeskyFactor } from "./cholesky.ts";
 * const factor: CholeskyFactor = cholesky(new Float64Array([1, 1, 1, 1]), 2);
 * factor.jitter; // > 0: the matrix is singular
 * ```
 */
export interface CholeskyFactor {
  /** Order of the matrix. */
  readonly n: number;
  /** Lower-triangular factor L, row-major n×n, zero above the diagonal. */
  readonly lower: Float64Array;
  /** Absolute jitter added to the diagonal before factorising (0 when none was needed). */
  readonly jitter: number;
}

/**
 * Thrown by {@linkcode cholesky} when even the largest jitter leaves the matrix indefinite.
 *
 * @example
 * ```ts
 * import { cholesky, CholeskyError } from "./cholesky.ts";
 * try {
 *   cholesky(new Float64Array([1, 0, 0, -1]), 2);
 * } catch (error) {
 *   if (error instanceof CholeskyError) console.log(error.jitter);
 * }
 * ```
 */
export class CholeskyError extends Error {
  /** Largest absolute jitter that was tried. */
  readonly jitter: number;
  /** Creates the error. */
  constructor(message: string, jitter: number) {
    super(message);
    this.name = "CholeskyError";
    this.jitter = jitter;
  }
}

/**
 * Factorises `a` (row-major n×n, symmetric; only its lower triangle is read) in place of `out`
 * with `jitter` added to its diagonal (none by default). Returns false, leaving `out` partly
 * overwritten, when a pivot is not positive; throws a `RangeError` when `a` or `out` has fewer
 * than n·n entries.
 *
 * @example
 * ```ts
 * import { choleskyInPlace } from "./cholesky.ts";
 * const l = new Float64Array([4, 2, 2, 3]);
 * choleskyInPlace(l, 2, l); // true; l is now [2, 0, 1, √2]
 * ```
 */
export function choleskyInPlace(
  a: Float64Array,
  n: number,
  out: Float64Array,
  jitter = 0,
): boolean {
  if (a.length < n * n || out.length < n * n) {
    throw new RangeError(`choleskyInPlace: a and out need n·n = ${n * n} entries`);
  }
  const simd = simdKernelsFor(a, out);
  if (simd) return simd.chol(a.byteOffset, out.byteOffset, n, jitter) === 1;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      out[ri + j] = (a[ri + j] - dotRange(out, ri, out, rj, j)) / out[rj + j];
    }
    const pivot = a[ri + i] + jitter - dotRange(out, ri, out, ri, i);
    if (!(pivot > 0)) return false;
    out[ri + i] = Math.sqrt(pivot);
    for (let j = i + 1; j < n; j++) out[ri + j] = 0;
  }
  return true;
}

/**
 * Cholesky factor of a symmetric positive-(semi)definite matrix. When the plain factorisation
 * fails, a diagonal jitter of `initialRelativeJitter`·mean(|diag|) is added and multiplied by
 * `growth` after each failure, up to `maxRelativeJitter`·mean(|diag|); the jitter used is
 * reported. A matrix whose diagonal is all zero takes 1 in place of the mean (absolute jitter).
 *
 * @throws {CholeskyError} when the matrix is still not positive definite at the largest jitter,
 * or contains non-finite values.
 *
 * @example
 * ```ts
 * import { cholesky } from "./cholesky.ts";
 * const singular = new Float64Array([1, 1, 1, 1]);
 * const { lower, jitter } = cholesky(singular, 2); // jitter ≈ 1e-10
 * ```
 */
export function cholesky(
  a: Float64Array,
  n: number,
  options: CholeskyOptions = {},
): CholeskyFactor {
  checkSquare(a, n, "cholesky: matrix");
  const initial = options.initialRelativeJitter ?? CHOLESKY_DEFAULTS.initialRelativeJitter;
  const growth = options.growth ?? CHOLESKY_DEFAULTS.growth;
  const maxRelative = options.maxRelativeJitter ?? CHOLESKY_DEFAULTS.maxRelativeJitter;
  if (!(initial > 0) || !(growth > 1) || !(maxRelative >= initial)) {
    throw new RangeError(
      "cholesky: options need initialRelativeJitter > 0, growth > 1 and " +
        "maxRelativeJitter ≥ initialRelativeJitter",
    );
  }
  const out = options.out ?? new Float64Array(n * n);
  if (out.length !== n * n) throw new RangeError(`cholesky: out must have length ${n * n}`);
  // Factorising in place would destroy the input needed for a retry with jitter.
  const source = out === a ? a.slice() : a;
  let diagSum = 0;
  for (let i = 0; i < n; i++) diagSum += Math.abs(source[i * n + i]);
  // Non-finite entries of the lower triangle: no jitter can help, so none is tried.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      if (!Number.isFinite(source[i * n + j])) {
        throw new CholeskyError(
          `cholesky: matrix has a non-finite entry (${source[i * n + j]} at row ${i}, column ${j})`,
          0,
        );
      }
    }
  }
  if (choleskyInPlace(source, n, out, 0)) return { n, lower: out, jitter: 0 };
  // The mean |diagonal entry| (summed over n first when the sum overflows).
  let mean = diagSum / n;
  if (!Number.isFinite(diagSum)) {
    mean = 0;
    for (let i = 0; i < n; i++) mean += Math.abs(source[i * n + i]) / n;
  }
  const scale = n > 0 && diagSum > 0 ? mean : 1;
  let jitter = initial * scale;
  const maxJitter = maxRelative * scale * (1 + 1e-12);
  while (jitter <= maxJitter) {
    if (choleskyInPlace(source, n, out, jitter)) return { n, lower: out, jitter };
    jitter *= growth;
  }
  throw new CholeskyError(
    `cholesky: matrix is not positive definite even with diagonal jitter ` +
      `${(jitter / growth).toExponential(2)} (${maxRelative} × mean diagonal)`,
    jitter / growth,
  );
}

/**
 * Defaults of {@linkcode tryCholesky}.
 *
 * @example
 * ```ts
 * import { TRY_CHOLESKY_DEFAULTS } from "./cholesky.ts";
 * TRY_CHOLESKY_DEFAULTS.relativePivotTolerance; // 1e-13
 * ```
 */
export const TRY_CHOLESKY_DEFAULTS: {
  /** A pivot counts as zero at or below this times n times the largest |diagonal entry|. */
  readonly relativePivotTolerance: number;
} = { relativePivotTolerance: 1e-13 };

/**
 * Cholesky factor L (A = L·Lᵀ) without jitter, or `undefined` when A is not numerically positive
 * definite: a squared pivot Lⱼⱼ² at or below `relativePivotTolerance`·n·maxᵢ|Aᵢᵢ| (collinear or
 * constant columns of a covariance matrix). For statistics that must not be computed from a
 * regularised matrix; Gaussian processes use {@linkcode cholesky}, which adds jitter instead.
 *
 * @example
 * ```ts
 * import { tryCholesky } from "./cholesky.ts";
 * tryCholesky(new Float64Array([4, 2, 2, 3]), 2); // [2, 0, 1, √2]
 * tryCholesky(new Float64Array([1, 1, 1, 1]), 2); // undefined: singular
 * ```
 */
export function tryCholesky(
  a: Float64Array,
  n: number,
  relativePivotTolerance: number = TRY_CHOLESKY_DEFAULTS.relativePivotTolerance,
): Float64Array | undefined {
  checkSquare(a, n, "tryCholesky: matrix");
  if (!(relativePivotTolerance >= 0)) {
    throw new RangeError("tryCholesky: relativePivotTolerance must be ≥ 0");
  }
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  // maxDiag · n · tolerance, without overflow for entries near the largest doubles.
  let tiny = maxDiag * n * relativePivotTolerance;
  if (tiny === Infinity) tiny = maxDiag * (n * relativePivotTolerance);
  const out = new Float64Array(n * n);
  if (!choleskyInPlace(a, n, out)) return undefined;
  for (let i = 0; i < n; i++) {
    const pivot = out[i * n + i];
    if (!(pivot * pivot > tiny)) return undefined;
  }
  return out;
}

/**
 * Solves L·x = b for lower-triangular L (forward substitution). `out` may alias `b`.
 *
 * @example
 * ```ts
 * import { solveLower } from "./cholesky.ts";
 * const x = solveLower(new Float64Array([2, 0, 1, 1]), 2, new Float64Array([2, 3])); // [1, 2]
 * ```
 */
export function solveLower(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  checkSolve(lower, n, b, undefined, out, "solveLower");
  return forwardRows(lower, n, b, 1, out);
}

/**
 * Solves Lᵀ·x = b for lower-triangular L (back substitution with the transpose). `out` may
 * alias `b`.
 *
 * @example
 * ```ts
 * import { solveLowerTranspose } from "./cholesky.ts";
 * const x = solveLowerTranspose(new Float64Array([2, 0, 1, 1]), 2, new Float64Array([4, 2]));
 * // Lᵀ = [[2, 1], [0, 1]] so x = [1, 2]
 * ```
 */
export function solveLowerTranspose(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  checkSolve(lower, n, b, undefined, out, "solveLowerTranspose");
  if (out !== b) out.set(b);
  return backwardRows(lower, n, 1, out);
}

/**
 * Solves A·x = b given the Cholesky factor L of A (A = L·Lᵀ).
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve } from "./cholesky.ts";
 * const { lower } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
 * const x = choleskySolve(lower, 2, new Float64Array([6, 5])); // [1, 1]
 * ```
 */
export function choleskySolve(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  solveLower(lower, n, b, out);
  return solveLowerTranspose(lower, n, out, out);
}

/**
 * Solves L·X = B for many right-hand sides given as the ROWS of `b` (m×n row-major, one
 * right-hand side per row, the layout of cross-covariance matrices k(Z, X)). Returns the m
 * solutions as rows of an m×n matrix; `out` may alias `b`.
 *
 * @example
 * ```ts
 * import { solveLowerRows } from "./cholesky.ts";
 * const l = new Float64Array([2, 0, 1, 1]);
 * const v = solveLowerRows(l, 2, new Float64Array([2, 3, 4, 2]), 2); // rows [1, 2] and [2, 0]
 * ```
 */
export function solveLowerRows(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  out: Float64Array = new Float64Array(m * n),
): Float64Array {
  checkSolve(lower, n, b, m, out, "solveLowerRows");
  return forwardRows(lower, n, b, m, out);
}

/**
 * Solves Lᵀ·X = B for many right-hand sides given as the rows of `b` (m×n row-major).
 *
 * @example
 * ```ts
 * import { solveLowerTransposeRows } from "./cholesky.ts";
 * const l = new Float64Array([2, 0, 1, 1]);
 * const x = solveLowerTransposeRows(l, 2, new Float64Array([4, 2, 2, 0]), 2); // [1, 2], [1, 0]
 * ```
 */
export function solveLowerTransposeRows(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  out: Float64Array = new Float64Array(m * n),
): Float64Array {
  checkSolve(lower, n, b, m, out, "solveLowerTransposeRows");
  if (out !== b) out.set(b);
  return backwardRows(lower, n, m, out);
}

/** Forward substitution L·x = b for each of the m rows of `b` (row-major m×n) into `out`. */
function forwardRows(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  m: number,
  out: Float64Array,
): Float64Array {
  for (let r = 0; r < m; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      let s = b[base + i];
      for (let k = 0; k < i; k++) s -= lower[ri + k] * out[base + k];
      out[base + i] = s / lower[ri + i];
    }
  }
  return out;
}

/**
 * Back substitution Lᵀ·x = b in place on each of the m rows of `x` (which holds b). Column-oriented
 * so that L is read by rows: after xᵢ is known, it is removed from every xₖ, k < i.
 */
function backwardRows(lower: Float64Array, n: number, m: number, x: Float64Array): Float64Array {
  for (let r = 0; r < m; r++) {
    const base = r * n;
    for (let i = n - 1; i >= 0; i--) {
      const ri = i * n;
      const xi = x[base + i] / lower[ri + i];
      x[base + i] = xi;
      for (let k = 0; k < i; k++) x[base + k] -= lower[ri + k] * xi;
    }
  }
  return x;
}

/**
 * log det(A) = 2·Σ log Lᵢᵢ from the Cholesky factor of A.
 *
 * @example
 * ```ts
 * import { cholesky, logDeterminant } from "./cholesky.ts";
 * const { lower } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
 * logDeterminant(lower, 2); // ln 8
 * ```
 */
export function logDeterminant(lower: Float64Array, n: number): number {
  checkSquare(lower, n, "logDeterminant: factor");
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(lower[i * n + i]);
  return 2 * s;
}

/**
 * Inverse of the lower-triangular factor, M = L⁻¹ (lower-triangular, row-major). Each row of M is
 * built from the rows above it with contiguous axpys.
 *
 * @example
 * ```ts
 * import { invertLower } from "./cholesky.ts";
 * invertLower(new Float64Array([2, 0, 1, 1]), 2); // [0.5, 0, -0.5, 1]
 * ```
 */
export function invertLower(
  lower: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * n),
): Float64Array {
  checkSquare(lower, n, "invertLower: factor");
  checkFloat64Array(out, n * n, "invertLower: out");
  if (out === lower) throw new RangeError("invertLower: out must not alias the factor");
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // Row i of L·M = I: M[i,:] = (e_i − Σ_{k<i} L[i,k]·M[k,:]) / L[i,i]; M[k,:] ends at column k.
    for (let k = 0; k < i; k++) {
      const lik = lower[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) out[ri + c] -= lik * out[rk + c];
    }
    const inv = 1 / lower[ri + i];
    for (let c = 0; c < i; c++) out[ri + c] *= inv;
    out[ri + i] = inv;
  }
  return out;
}

/**
 * Inverse of A = L·Lᵀ from its Cholesky factor: A⁻¹ = L⁻ᵀ·L⁻¹, symmetric, both triangles filled.
 * Costs n³/3 multiply-adds (triangular inverse, then a symmetric product), all of them in
 * contiguous dot products. `workspace` (n², overwritten) holds L⁻ᵀ.
 *
 * @example
 * ```ts
 * import { cholesky, inverseFromCholesky } from "./cholesky.ts";
 * const { lower } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
 * inverseFromCholesky(lower, 2); // [0.375, -0.25, -0.25, 0.5]
 * ```
 */
export function inverseFromCholesky(
  lower: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * n),
  workspace: Float64Array = new Float64Array(n * n),
): Float64Array {
  checkSquare(lower, n, "inverseFromCholesky: factor");
  checkFloat64Array(out, n * n, "inverseFromCholesky: out");
  checkFloat64Array(workspace, n * n, "inverseFromCholesky: workspace");
  if (out === lower || workspace === lower || out === workspace) {
    throw new RangeError("inverseFromCholesky: factor, out and workspace must be distinct arrays");
  }
  const simd = simdKernelsFor(lower, out, workspace);
  if (simd) {
    simd.invlt(lower.byteOffset, workspace.byteOffset, n);
    simd.syinv(workspace.byteOffset, out.byteOffset, n);
    return out;
  }
  // Row j of mt is column j of M = L⁻¹ (mt = Mᵀ is upper triangular): forward substitution
  // L·m = e_j, each entry a dot product of a row of L with the part of m already known.
  const mt = workspace;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let c = 0; c < j; c++) mt[rj + c] = 0;
    mt[rj + j] = 1 / lower[rj + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      mt[rj + i] = -dotRange(lower, ri + j, mt, rj + j, i - j) / lower[ri + i];
    }
  }
  // (A⁻¹)[a, b] = Σ_{k ≥ max(a, b)} M[k, a]·M[k, b]: a dot product of rows a and b of mt.
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const v = dotRange(mt, ra + a, mt, b * n + a, n - a);
      out[ra + b] = v;
      out[b * n + a] = v;
    }
  }
  return out;
}

/** Σ_{k<len} a[ia + k]·b[ib + k] with four accumulators (breaks the add-latency chain). */
function dotRange(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ia + k] * b[ib + k];
    s1 += a[ia + k + 1] * b[ib + k + 1];
    s2 += a[ia + k + 2] * b[ib + k + 2];
    s3 += a[ia + k + 3] * b[ib + k + 3];
  }
  for (; k < len; k++) s0 += a[ia + k] * b[ib + k];
  return (s0 + s1) + (s2 + s3);
}

function checkSquare(a: Float64Array, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: order must be an integer ≥ 0`);
  if (!(a instanceof Float64Array)) throw new TypeError(`${what}: must be a Float64Array`);
  if (a.length !== n * n) {
    throw new RangeError(`${what}: expected length ${n}×${n} = ${n * n}, got ${a.length}`);
  }
}

/** Checks a triangular solve's factor, right-hand side(s) (`rows` of them, or one) and output. */
function checkSolve(
  lower: Float64Array,
  n: number,
  b: Float64Array,
  rows: number | undefined,
  out: Float64Array,
  label: string,
): void {
  checkSquare(lower, n, `${label}: factor`);
  const what = rows === undefined ? "right-hand side" : "right-hand sides";
  checkFloat64Array(b, (rows ?? 1) * n, `${label}: ${what}`);
  checkFloat64Array(out, (rows ?? 1) * n, `${label}: out`);
}
