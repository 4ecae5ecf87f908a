/**
 * The symmetric eigenvalue problem for dense row-major `Float64Array` matrices: cyclic Jacobi
 * rotations for small orders, Householder tridiagonalisation followed by the implicit QL
 * algorithm with Wilkinson shifts above {@linkcode JACOBI_MAX_ORDER}.
 *
 * @module
 */

import { extremeMagnitudeExponent, timesPowerOfTwo } from "../stats/scale.ts";

/**
 * The largest order that {@linkcode symmetricEigenvalues} solves by cyclic Jacobi rotations
 * (256); larger matrices go through {@linkcode tridiagonalQlEigenvalues}. Jacobi needs several
 * O(n³) sweeps with strided memory access: well under a second up to this order (the covariance
 * matrices of the committed meta-datasets are at most 196 × 196, so their values are those of
 * Jacobi), but about 12 s at order 1,000 and 24 min at 2,000, where the tridiagonal route takes
 * about 0.3 s and 3 s (one O(n³) reduction on contiguous rows, then O(n²) QL work).
 *
 * @example
 * ```ts
 * import { JACOBI_MAX_ORDER } from "./eigen.ts";
 * JACOBI_MAX_ORDER; // 256
 * ```
 */
export const JACOBI_MAX_ORDER = 256;

/**
 * The eigenvalues of a symmetric n × n matrix (row-major) in descending order. Orders up to
 * {@linkcode JACOBI_MAX_ORDER} use cyclic Jacobi rotations (Golub and Van Loan, Matrix
 * Computations, §8.5; O(n³) per sweep, at most 100 sweeps), for the small matrices of
 * meta-features and covariance summaries; larger orders use
 * {@linkcode tridiagonalQlEigenvalues}. The absolute error is a multiple of ε‖A‖ that grows with
 * the order, faster on the Jacobi route (the rounding of every rotation of every sweep adds up)
 * than on the tridiagonal one. Only the
 * lower triangle matters to the second route, the whole matrix to the first: pass a symmetric
 * matrix. The input is not modified. A matrix of finite entries whose largest magnitude is beyond
 * 1e±100 is solved scaled by a power of two (`extremeMagnitudeExponent`), exactly, so that its
 * sums of squares neither overflow nor underflow: `[[1e200, 1e200], [1e200, 1e200]]` gives
 * `[2e200, 0]`.
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
  checkSquare(a, n, "symmetricEigenvalues");
  // Entries beyond 1e±100 (finite ones): squares and sums of squares would over- or underflow, so
  // the matrix is scaled by a power of two (exact) and the eigenvalues scaled back. Ordinary
  // matrices take the unscaled path, bit for bit.
  const k = a.every(Number.isFinite) ? extremeMagnitudeExponent(a) : 0;
  if (k === 0) return unscaledEigenvalues(a, n);
  const values = unscaledEigenvalues(a.map((v) => timesPowerOfTwo(v, -k)), n);
  return values.map((v) => timesPowerOfTwo(v, k));
}

function unscaledEigenvalues(a: Float64Array, n: number): Float64Array {
  if (n > JACOBI_MAX_ORDER) return tridiagonalQlEigenvalues(a, n);
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

/**
 * The eigenvalues of a symmetric n × n matrix (row-major, lower triangle read) in descending
 * order, by Householder tridiagonalisation and the implicit QL algorithm with Wilkinson shifts
 * (Golub and Van Loan, Matrix Computations, §8.3; Press et al., Numerical Recipes, 3rd ed., §11.3–
 * 11.4, `tred2` without eigenvectors and `tqli`).
 *
 * Reduction: for i = n−1 … 2, the Householder reflector P = I − u uᵀ/H with H = ½‖u‖² that
 * zeroes row i left of its subdiagonal (u = row i's first i entries minus σ e_{i−1}, σ = ∓‖row‖,
 * the row scaled by its largest entry first against over- and underflow) updates the leading
 * i × i block as A ← A − q uᵀ − u qᵀ, with p = A u / H and q = p − (uᵀp / 2H) u; the
 * matrix–vector product and the rank-2 update both walk rows of the lower triangle (contiguous in
 * row-major order), 4n³/3 flops in all. QL: the tridiagonal matrix is deflated from the top, each
 * step a chase of Givens rotations with Wilkinson's shift (the eigenvalue of the top 2 × 2 block
 * of the unreduced part nearer its first diagonal entry), until the off-diagonal entry e_m is
 * below ε (|d_m| + |d_{m+1}|); O(n²) for the eigenvalues alone.
 *
 * Backward stable: the results are exact eigenvalues of A + E with ‖E‖ of order ε‖A‖. At most 60
 * QL steps per eigenvalue (two or three in practice). Entries that are not finite (lower
 * triangle): a NaN gives NaN for every eigenvalue; ±Infinity without NaN (an overflowed
 * covariance) gives the diagonal in descending order, as the Jacobi route does, so that the
 * overflow shows in the result.
 *
 * @throws {RangeError} when `a` does not have n² entries.
 *
 * @example
 * ```ts
 * import { tridiagonalQlEigenvalues } from "./eigen.ts";
 * tridiagonalQlEigenvalues(new Float64Array([2, 0, 0, 0, 3, 1, 0, 1, 3]), 3); // [4, 2, 2]
 * ```
 */
export function tridiagonalQlEigenvalues(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, "tridiagonalQlEigenvalues");
  const d = new Float64Array(n), e = new Float64Array(n);
  let infinite = false;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      const v = a[i * n + k];
      if (Number.isNaN(v)) return d.fill(NaN);
      if (!Number.isFinite(v)) infinite = true;
    }
  }
  if (infinite) {
    for (let i = 0; i < n; i++) d[i] = a[i * n + i];
    return d.sort().reverse();
  }
  householderTridiagonal(Float64Array.from(a), n, d, e);
  implicitQl(d, e, n);
  return d.sort().reverse();
}

function checkSquare(a: Float64Array, n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new RangeError(`${fn}: expected an ${n}×${n} matrix, got ${a.length} entries`);
  }
}

/**
 * Reduces the symmetric matrix `m` (lower triangle read, overwritten) to tridiagonal form:
 * diagonal `d`, subdiagonal `e` with `e[i]` coupling rows i − 1 and i (`e[0]` = 0).
 */
function householderTridiagonal(m: Float64Array, n: number, d: Float64Array, e: Float64Array) {
  const p = new Float64Array(n);
  for (let i = n - 1; i > 0; i--) {
    const row = i * n;
    if (i === 1) {
      e[1] = m[row];
      continue;
    }
    let scale = 0;
    for (let k = 0; k < i; k++) scale = Math.max(scale, Math.abs(m[row + k]));
    if (scale === 0) {
      e[i] = m[row + i - 1];
      continue;
    }
    let h = 0;
    for (let k = 0; k < i; k++) {
      const v = m[row + k] / scale;
      m[row + k] = v;
      h += v * v;
    }
    const f = m[row + i - 1];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    h -= f * g;
    m[row + i - 1] = f - g; // row i now holds u (scaled)
    // p = A u / H over the leading i × i block, from its lower triangle row by row.
    p.fill(0, 0, i);
    for (let j = 0; j < i; j++) {
      const rj = j * n, uj = m[row + j];
      let s = m[rj + j] * uj;
      for (let k = 0; k < j; k++) {
        const ajk = m[rj + k];
        s += ajk * m[row + k];
        p[k] += ajk * uj;
      }
      p[j] += s;
    }
    let up = 0;
    for (let j = 0; j < i; j++) {
      p[j] /= h;
      up += p[j] * m[row + j];
    }
    const half = up / (h + h);
    for (let j = 0; j < i; j++) p[j] -= half * m[row + j]; // q
    for (let j = 0; j < i; j++) {
      const rj = j * n, uj = m[row + j], qj = p[j];
      for (let k = 0; k <= j; k++) m[rj + k] -= uj * p[k] + qj * m[row + k];
    }
  }
  e[0] = 0;
  for (let i = 0; i < n; i++) d[i] = m[i * n + i];
}

/** √(a² + b²) without overflow or destructive underflow. */
function pythag(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) return x * Math.sqrt(1 + (y / x) ** 2);
  return y === 0 ? 0 : y * Math.sqrt(1 + (x / y) ** 2);
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix (diagonal `d`, subdiagonal `e` as left by
 * {@linkcode householderTridiagonal}) into `d`, unordered; `e` is destroyed.
 */
function implicitQl(d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; iteration < 60; iteration++) {
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(e[m]) <= Number.EPSILON * (Math.abs(d[m]) + Math.abs(d[m + 1]))) break;
      }
      if (m === l) break;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = pythag(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i], b = c * e[i];
        r = pythag(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix splits here; deflate and start over.
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
