import assert from "node:assert/strict";
import {
  JACOBI_MAX_ORDER,
  symmetricEigenvalues,
  tridiagonalQlEigenvalues,
} from "../../lib/linalg/eigen.ts";
import { Rng } from "../../lib/random/rng.ts";

/** A symmetric matrix with eigenvalues `lambda`: Q diag(λ) Qᵀ, Q a product of two reflectors. */
function withSpectrum(lambda: readonly number[], rng: Rng): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  lambda.forEach((l, i) => (a[i * n + i] = l));
  for (let r = 0; r < 2; r++) {
    const v = rng.normals(n);
    let norm = 0;
    for (const vi of v) norm += vi * vi;
    for (let i = 0; i < n; i++) v[i] /= Math.sqrt(norm);
    // H A H with H = I − 2vvᵀ: A ← A − 2v(vᵀA), then A ← A − 2(Av)vᵀ.
    const vA = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vA[j] += v[i] * a[i * n + j];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] -= 2 * v[i] * vA[j];
    const Av = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Av[i] += a[i * n + j] * v[j];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] -= 2 * Av[i] * v[j];
  }
  // Exactly symmetric, as a covariance matrix is.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / 2;
  }
  return a;
}

function assertSpectrum(
  actual: Float64Array,
  expected: readonly number[],
  tol: number,
  label = "",
) {
  const want = [...expected].sort((x, y) => y - x);
  const scale = Math.max(...want.map(Math.abs));
  assert.equal(actual.length, want.length);
  want.forEach((w, i) =>
    assert.ok(Math.abs(actual[i] - w) <= tol * scale, `${label} λ${i}: ${actual[i]} vs ${w}`)
  );
}

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.uniform() * 2 - 1;
  }
  return a;
}

Deno.test("tridiagonalQlEigenvalues: known spectra (diagonal, rank-deficient, repeated, negative)", () => {
  const rng = new Rng(1);
  assert.deepEqual([...tridiagonalQlEigenvalues(new Float64Array(0), 0)], []);
  assert.deepEqual([...tridiagonalQlEigenvalues(Float64Array.of(-7), 1)], [-7]);
  // Diagonal: already tridiagonal with zero coupling, so exact.
  const diag = [3, -1, 0, 2.5, 1e-3, -40];
  const d = new Float64Array(36);
  diag.forEach((v, i) => (d[i * 6 + i] = v));
  assert.deepEqual([...tridiagonalQlEigenvalues(d, 6)], [...diag].sort((x, y) => y - x));
  const spectra: Record<string, number[]> = {
    "rank-deficient": [5, 3, 1, 0, 0, 0, 0, 0],
    repeated: [2, 2, 2, 2, 7, 7, 1, 1, 1],
    negative: [-3, -1, 4, -0.5, 10, -10, 0.25],
    "rank one": [0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0],
    "widely spread": [1e6, 1, 1e-3, -2e3, 5e2, 7],
  };
  for (const [name, lambda] of Object.entries(spectra)) {
    const a = withSpectrum(lambda, rng);
    const n = lambda.length;
    assertSpectrum(tridiagonalQlEigenvalues(a, n), lambda, 1e-13, name);
    // The same values as Jacobi (the route of small orders) to a tight tolerance.
    assertSpectrum(tridiagonalQlEigenvalues(a, n), [...symmetricEigenvalues(a, n)], 1e-13, name);
  }
});

Deno.test("tridiagonalQlEigenvalues agrees with Jacobi on random symmetric matrices", () => {
  const rng = new Rng(2);
  for (const n of [2, 3, 4, 5, 8, 13, 32, 64]) {
    const a = randomSymmetric(n, rng);
    assertSpectrum(tridiagonalQlEigenvalues(a, n), [...symmetricEigenvalues(a, n)], 1e-13);
  }
});

Deno.test("symmetricEigenvalues above JACOBI_MAX_ORDER: a 300 × 300 SPD matrix", () => {
  assert.equal(JACOBI_MAX_ORDER, 256);
  const rng = new Rng(3);
  const n = 300;
  // Known spectrum: positive, with a repeated top value and a spread of 1e4.
  const lambda = Array.from({ length: n }, (_, i) => (i < 3 ? 1e4 : 1 + (i * 37) % 101));
  const a = withSpectrum(lambda, rng);
  const eig = symmetricEigenvalues(a, n);
  assertSpectrum(eig, lambda, 1e-12);
  // Above the threshold symmetricEigenvalues is the tridiagonal route, bit for bit.
  assert.deepEqual(eig, tridiagonalQlEigenvalues(a, n));
  // Trace and Frobenius identities on a covariance-like XᵀX/(m − 1): Σλ = tr A, Σλ² = ‖A‖²_F.
  const m = 400, x = rng.normals(m * n);
  const c = new Float64Array(n * n);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < n; i++) {
      const xi = x[r * n + i];
      for (let j = 0; j <= i; j++) c[i * n + j] += xi * x[r * n + j] / (m - 1);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) c[j * n + i] = c[i * n + j];
  const values = symmetricEigenvalues(c, n);
  let trace = 0, frobenius = 0, sum = 0, squares = 0;
  for (let i = 0; i < n; i++) trace += c[i * n + i];
  for (const v of c) frobenius += v * v;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  assert.ok(Math.abs(sum - trace) <= 1e-12 * trace, `${sum} vs ${trace}`);
  assert.ok(Math.abs(squares - frobenius) <= 1e-12 * frobenius, `${squares} vs ${frobenius}`);
  assert.ok(values[n - 1] > 0, "positive definite");
  for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1], "descending");
});

Deno.test("tridiagonalQlEigenvalues: non-finite entries as the Jacobi route; bad shapes throw", () => {
  const a = Float64Array.of(1, 0, 0, 0, 2, 0, 0, NaN, 3);
  assert.ok(tridiagonalQlEigenvalues(a, 3).every(Number.isNaN));
  // An overflowed entry: the diagonal, descending, whichever the route.
  const inf = Float64Array.of(2, 1, 5, 1, Infinity, 1e300, 5, 1e300, -1);
  assert.deepEqual([...tridiagonalQlEigenvalues(inf, 3)], [Infinity, 2, -1]);
  assert.deepEqual(tridiagonalQlEigenvalues(inf, 3), symmetricEigenvalues(inf, 3));
  assert.throws(() => tridiagonalQlEigenvalues(Float64Array.of(1, 2, 3), 2), /tridiagonalQl/);
});

Deno.test("symmetricEigenvalues: matrices of extreme magnitude are solved scaled, on both routes", () => {
  // Sums of squares of entries near 1e200 overflow (and near 1e-200 underflow): unscaled, Jacobi
  // stopped at once and returned the diagonal, [1e200, 1e200] here.
  for (const scale of [1e200, 1e-200, 2 ** 1000, 2 ** -1000]) {
    const got = symmetricEigenvalues(new Float64Array([1, 1, 1, 1]).map((v) => v * scale), 2);
    assert.ok(Math.abs(got[0] - 2 * scale) <= 1e-15 * 2 * scale, `${scale}: ${got}`);
    assert.ok(Math.abs(got[1]) <= 1e-15 * 2 * scale, `${scale}: ${got}`);
  }
  // Powers of two scale exactly: the eigenvalues are those of the unscaled matrix times the power.
  const n = JACOBI_MAX_ORDER + 3;
  for (const order of [4, n]) {
    const a = new Float64Array(order * order);
    for (let i = 0; i < order; i++) {
      for (let j = 0; j <= i; j++) {
        a[i * order + j] = a[j * order + i] = Math.cos(i * 7 + j * 3) + (i === j ? order : 0);
      }
    }
    const plain = symmetricEigenvalues(a, order);
    const big = symmetricEigenvalues(a.map((v) => v * 2 ** 600), order);
    assert.deepEqual(Array.from(big), Array.from(plain, (v) => v * 2 ** 600));
  }
});
