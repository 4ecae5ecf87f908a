/**
 * Small dense helpers around row-major `Float64Array` matrices: packing point sets into rows,
 * dot products, matrix–vector products, and general (non-symmetric) solves and inverses by
 * Gauss–Jordan elimination with partial pivoting.
 *
 * @module
 */
import { checkPoints } from "../validate.ts";

/**
 * Packs points (one `Float64Array` each, all of length `dim`) into one row-major m×dim matrix.
 *
 * @throws {RangeError} when a point has the wrong length.
 *
 * @example
 * ```ts
 * import { packRows } from "./dense.ts";
 * packRows([new Float64Array([1, 2]), new Float64Array([3, 4])], 2); // [1, 2, 3, 4]
 * ```
 */
export function packRows(points: readonly Float64Array[], dim: number): Float64Array {
  checkPoints(points, dim, "packRows: points");
  const out = new Float64Array(points.length * dim);
  for (let i = 0; i < points.length; i++) out.set(points[i], i * dim);
  return out;
}

/**
 * Dot product of two equally long vectors.
 *
 * @example
 * ```ts
 * import { dot } from "./dense.ts";
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 * ```
 */
export function dot(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`dot: lengths differ (${a.length}, ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Whether two vectors have the same length and equal coordinates (`===`: −0 equals 0, NaN equals
 * nothing).
 *
 * @example
 * ```ts
 * import { equalVectors } from "./dense.ts";
 * equalVectors(Float64Array.of(0, 1), Float64Array.of(-0, 1)); // true
 * equalVectors(Float64Array.of(NaN), Float64Array.of(NaN)); // false
 * ```
 */
export function equalVectors(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * y = A·x for a row-major rows×cols matrix A.
 *
 * @example
 * ```ts
 * import { matVec } from "./dense.ts";
 * matVec(new Float64Array([1, 2, 3, 4]), 2, 2, new Float64Array([1, 1])); // [3, 7]
 * ```
 */
export function matVec(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  out: Float64Array = new Float64Array(rows),
): Float64Array {
  if (a.length !== rows * cols) {
    throw new RangeError(`matVec: matrix length ${a.length} is not ${rows}×${cols}`);
  }
  if (x.length !== cols) throw new RangeError(`matVec: vector length ${x.length} is not ${cols}`);
  if (out.length !== rows) throw new RangeError(`matVec: out length ${out.length} is not ${rows}`);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[base + j] * x[j];
    out[i] = s;
  }
  return out;
}

/**
 * Solves A·x = b for a small dense row-major n×n matrix A by Gauss–Jordan elimination with partial
 * pivoting (Golub and Van Loan, Matrix Computations, §3.4). Returns `undefined` when A is
 * numerically singular: a pivot at most 1e-14 times the largest |entry| of A, or non-finite
 * entries. Neither argument is modified.
 *
 * @example
 * ```ts
 * import { solveDense } from "./dense.ts";
 * solveDense(new Float64Array([0, 1, 2, 0]), new Float64Array([3, 4]), 2); // [2, 3]
 * solveDense(new Float64Array([1, 1, 1, 1]), new Float64Array([1, 2]), 2); // undefined
 * ```
 */
export function solveDense(
  matrix: Float64Array,
  rhs: Float64Array,
  n: number,
): Float64Array | undefined {
  checkSystem(matrix, rhs, n, 1, "solveDense");
  return gaussJordan(matrix, rhs, n, 1);
}

/**
 * The inverse of a small dense row-major n×n matrix by Gauss–Jordan elimination with partial
 * pivoting, or `undefined` when it is numerically singular (see {@linkcode solveDense}). For
 * symmetric positive-definite matrices prefer `inverseFromCholesky`.
 *
 * @example
 * ```ts
 * import { invertDense } from "./dense.ts";
 * invertDense(new Float64Array([2, 0, 0, 4]), 2); // [0.5, 0, 0, 0.25]
 * ```
 */
export function invertDense(matrix: Float64Array, n: number): Float64Array | undefined {
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  checkSystem(matrix, identity, n, n, "invertDense");
  return gaussJordan(matrix, identity, n, n);
}

function checkSystem(
  matrix: Float64Array,
  rhs: Float64Array,
  n: number,
  cols: number,
  label: string,
): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${label}: order must be an integer ≥ 0`);
  if (matrix.length !== n * n) {
    throw new RangeError(`${label}: matrix length ${matrix.length} is not ${n}×${n}`);
  }
  if (rhs.length !== n * cols) {
    throw new RangeError(`${label}: right-hand side length ${rhs.length} is not ${n}×${cols}`);
  }
}

/** Gauss–Jordan elimination on `[A | B]` with `B` n × cols; returns `A⁻¹B` (row-major). */
function gaussJordan(
  matrix: Float64Array,
  rhs: Float64Array,
  n: number,
  cols: number,
): Float64Array | undefined {
  const a = matrix.slice();
  const b = rhs.slice();
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return n === 0 ? b : undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    }
    const p = a[pivot * n + col];
    if (Math.abs(p) <= 1e-14 * scale) return undefined;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) swap(a, pivot * n + j, col * n + j);
      for (let j = 0; j < cols; j++) swap(b, pivot * cols + j, col * cols + j);
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r * n + col] / p;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) a[r * n + j] -= factor * a[col * n + j];
      for (let j = 0; j < cols; j++) b[r * cols + j] -= factor * b[col * cols + j];
    }
  }
  for (let r = 0; r < n; r++) {
    const p = a[r * n + r];
    for (let j = 0; j < cols; j++) b[r * cols + j] /= p;
  }
  return b;
}

function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i];
  values[i] = values[j];
  values[j] = t;
}
