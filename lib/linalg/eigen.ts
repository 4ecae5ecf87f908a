/**
 * The symmetric eigenvalue problem for small dense row-major `Float64Array` matrices.
 *
 * @module
 */

/**
 * The eigenvalues of a symmetric n × n matrix (row-major) in descending order, by cyclic Jacobi
 * rotations (Golub and Van Loan, Matrix Computations, §8.5): accurate to machine precision for
 * the small matrices of meta-features and covariance summaries, O(n³) per sweep, at most 100
 * sweeps. The input is not modified.
 *
 * @throws {RangeError} when `a` does not have n² entries.
 *
 * @example
 * ```ts
 * import { symmetricEigenvalues } from "./eigen.ts";
 * symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2); // [3, 1]
 * ```
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new RangeError(
      `symmetricEigenvalues: expected an ${n}×${n} matrix, got ${a.length} entries`,
    );
  }
  const m = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = m[i * n + j] ** 2;
        total += v;
        if (i !== j) off += v;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p], mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k], mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m[i * n + i];
  return out.sort().reverse();
}
