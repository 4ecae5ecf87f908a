/**
 * Dense float64 linear algebra, the one home for the whole library: Cholesky with escalating
 * jitter (Gaussian processes) or without it (statistics), triangular solves (one or many
 * right-hand sides), log-determinant and inverse from the factor; dot and matrix–vector products;
 * Gauss–Jordan solves and inverses of general matrices (L-BFGS-B); symmetric eigenvalues (Jacobi
 * rotations for small orders, Householder tridiagonalisation and implicit QL above).
 *
 * Matrices are plain row-major `Float64Array`s with their order `n` passed alongside: entry (i, j)
 * of an n×n matrix `a` is `a[i * n + j]`. No float32 anywhere. Buffers allocated with `simdArrays`
 * make `cholesky` and `inverseFromCholesky` run as WebAssembly f64x2 SIMD code (the O(n³) hot path
 * of marginal-likelihood fitting); any other `Float64Array` takes the JavaScript loops.
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve, logDeterminant } from "./mod.ts";
 * const a = new Float64Array([4, 2, 2, 3]);
 * const { lower, jitter } = cholesky(a, 2); // jitter 0: a is positive definite
 * const x = choleskySolve(lower, 2, new Float64Array([6, 5])); // [1, 1]
 * const logDet = logDeterminant(lower, 2); // ln 8
 * ```
 *
 * @module
 */
export {
  cholesky,
  CHOLESKY_DEFAULTS,
  CholeskyError,
  type CholeskyFactor,
  choleskyInPlace,
  type CholeskyOptions,
  choleskySolve,
  inverseFromCholesky,
  invertLower,
  logDeterminant,
  solveLower,
  solveLowerRows,
  solveLowerTranspose,
  solveLowerTransposeRows,
  TRY_CHOLESKY_DEFAULTS,
  tryCholesky,
} from "./cholesky.ts";
export { dot, equalVectors, invertDense, matVec, packRows, solveDense } from "./dense.ts";
export { JACOBI_MAX_ORDER, symmetricEigenvalues, tridiagonalQlEigenvalues } from "./eigen.ts";
export { simdArrays } from "./_simd.ts";
