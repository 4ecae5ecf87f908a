import assert from "node:assert/strict";
import {
  cholesky,
  CholeskyError,
  choleskyInPlace,
  choleskySolve,
  dot,
  inverseFromCholesky,
  invertLower,
  logDeterminant,
  matVec,
  packRows,
  simdArrays,
  solveLower,
  solveLowerRows,
  solveLowerTranspose,
  solveLowerTransposeRows,
  tryCholesky,
} from "../../lib/linalg/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

/** A random SPD matrix B·Bᵀ + n·I (row-major n×n). */
function randomSpd(n: number, rng: Rng): Float64Array {
  const b = rng.normals(n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function multiplyLowerByTranspose(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
      out[i * n + j] = s;
    }
  }
  return out;
}

Deno.test("cholesky of a hand-computed 2×2 and 3×3 matrix", () => {
  const { lower, jitter } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
  assert.equal(jitter, 0);
  assert.ok(maxAbsDiff(lower, [2, 0, 1, Math.SQRT2]) < 1e-15);
  // A = [[25, 15, -5], [15, 18, 0], [-5, 0, 11]] has L = [[5,0,0],[3,3,0],[-1,1,3]].
  const l3 = cholesky(new Float64Array([25, 15, -5, 15, 18, 0, -5, 0, 11]), 3).lower;
  assert.ok(maxAbsDiff(l3, [5, 0, 0, 3, 3, 0, -1, 1, 3]) < 1e-14);
});

Deno.test("cholesky reconstructs random SPD matrices and works in place", () => {
  const rng = new Rng(1);
  for (const n of [1, 5, 37]) {
    const a = randomSpd(n, rng);
    const { lower } = cholesky(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) assert.equal(lower[i * n + j], 0);
    }
    assert.ok(maxAbsDiff(multiplyLowerByTranspose(lower, n), a) < 1e-9 * n);
    const copy = a.slice();
    const inPlace = cholesky(copy, n, { out: copy });
    assert.equal(inPlace.lower, copy);
    assert.ok(maxAbsDiff(inPlace.lower, lower) < 1e-12);
  }
});

Deno.test("cholesky escalates jitter on a singular matrix and reports it", () => {
  // Rank one: [[1,1],[1,1]]; plain factorisation fails at the second pivot (exactly 0).
  const singular = new Float64Array([1, 1, 1, 1]);
  assert.equal(choleskyInPlace(singular, 2, new Float64Array(4)), false);
  const { lower, jitter } = cholesky(singular, 2);
  assert.ok(jitter > 0 && jitter <= 1e-2, `jitter ${jitter}`);
  // The factor is that of A + jitter·I.
  const reconstructed = multiplyLowerByTranspose(lower, 2);
  assert.ok(maxAbsDiff(reconstructed, [1 + jitter, 1, 1, 1 + jitter]) < 1e-12);
  // Its first tried value is 1e-10 × mean diagonal, growing ×10: the reported jitter is on that grid.
  const exponent = Math.log10(jitter / 1e-10);
  assert.ok(Math.abs(exponent - Math.round(exponent)) < 1e-9);
  // A duplicated point in a kernel matrix: same behaviour at a larger size.
  const dup = new Float64Array([1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1]);
  const result = cholesky(dup, 3);
  assert.ok(result.jitter > 0);
  assert.ok(maxAbsDiff(multiplyLowerByTranspose(result.lower, 3), dup) <= result.jitter + 1e-12);
  // The input is left untouched.
  assert.deepEqual(Array.from(dup), [1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1]);
});

Deno.test("cholesky throws CholeskyError on an indefinite matrix, naming the jitter", () => {
  const indefinite = new Float64Array([1, 0, 0, -1]);
  assert.throws(() => cholesky(indefinite, 2), (error: unknown) => {
    assert.ok(error instanceof CholeskyError);
    assert.match(error.message, /not positive definite/);
    assert.ok(error.jitter > 0 && error.jitter <= 1e-2 * (1 + 1e-9));
    return true;
  });
  assert.throws(() => cholesky(new Float64Array([NaN, 0, 0, 1]), 2), CholeskyError);
});

Deno.test("cholesky rejects bad shapes and options", () => {
  assert.throws(() => cholesky(new Float64Array(3), 2), /expected length 2×2 = 4, got 3/);
  assert.throws(() => cholesky(new Float64Array(4), -1), /order must be an integer/);
  assert.throws(() => cholesky([1, 0, 0, 1] as unknown as Float64Array, 2), /Float64Array/);
  assert.throws(() => cholesky(new Float64Array([1]), 1, { growth: 1 }), /growth > 1/);
  assert.throws(() => cholesky(new Float64Array([1]), 1, { out: new Float64Array(2) }), /out/);
});

Deno.test("triangular solves, one and many right-hand sides", () => {
  const rng = new Rng(2);
  const n = 9;
  const { lower } = cholesky(randomSpd(n, rng), n);
  const b = rng.normals(n);
  const x = solveLower(lower, n, b);
  assert.ok(maxAbsDiff(matVec(lower, n, n, x), b) < 1e-12);
  const lt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lt[i * n + j] = lower[j * n + i];
  const z = solveLowerTranspose(lower, n, b);
  assert.ok(maxAbsDiff(matVec(lt, n, n, z), b) < 1e-12);
  const a = multiplyLowerByTranspose(lower, n);
  assert.ok(maxAbsDiff(matVec(a, n, n, choleskySolve(lower, n, b)), b) < 1e-10);
  // Aliasing out with b.
  const alias = b.slice();
  solveLower(lower, n, alias, alias);
  assert.ok(maxAbsDiff(alias, x) < 1e-15);
  // Rows variants equal the vector solves row by row.
  const m = 4;
  const rows = rng.normals(m * n);
  const forward = solveLowerRows(lower, n, rows, m);
  const backward = solveLowerTransposeRows(lower, n, rows, m);
  for (let r = 0; r < m; r++) {
    const row = rows.subarray(r * n, (r + 1) * n);
    assert.ok(maxAbsDiff(forward.subarray(r * n, (r + 1) * n), solveLower(lower, n, row)) < 1e-14);
    assert.ok(
      maxAbsDiff(backward.subarray(r * n, (r + 1) * n), solveLowerTranspose(lower, n, row)) < 1e-14,
    );
  }
  assert.throws(() => solveLower(lower, n, new Float64Array(n - 1)), /right-hand side/);
  assert.throws(() => solveLowerTranspose(lower, n + 1, b), /factor/);
  assert.throws(() => solveLowerRows(lower, n, rows, m + 1), /right-hand sides/);
  assert.throws(() => solveLowerTransposeRows(lower, n, rows, m, new Float64Array(1)), /out/);
  assert.throws(() => choleskySolve(lower, n, new Float64Array(2)), /right-hand side/);
});

Deno.test("log-determinant and inverse from the factor", () => {
  const { lower } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
  assert.ok(Math.abs(logDeterminant(lower, 2) - Math.log(8)) < 1e-14);
  assert.ok(maxAbsDiff(inverseFromCholesky(lower, 2), [0.375, -0.25, -0.25, 0.5]) < 1e-15);
  assert.ok(maxAbsDiff(invertLower(lower, 2), [0.5, 0, -0.5 / Math.SQRT2, 1 / Math.SQRT2]) < 1e-15);
  const rng = new Rng(3);
  const n = 23;
  const a = randomSpd(n, rng);
  const l = cholesky(a, n).lower;
  const inv = inverseFromCholesky(l, n);
  // A·A⁻¹ = I
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10);
    }
  }
  // log det via the product of LU pivots of a copy (independent Gaussian elimination).
  const g = a.slice();
  let logDet = 0;
  for (let k = 0; k < n; k++) {
    logDet += Math.log(Math.abs(g[k * n + k]));
    for (let i = k + 1; i < n; i++) {
      const f = g[i * n + k] / g[k * n + k];
      for (let j = k; j < n; j++) g[i * n + j] -= f * g[k * n + j];
    }
  }
  assert.ok(Math.abs(logDeterminant(l, n) - logDet) < 1e-9);
  assert.throws(() => logDeterminant(l, n + 1), /factor/);
  assert.throws(() => inverseFromCholesky(l, n, new Float64Array(3)), /out/);
  assert.throws(() => invertLower(l, n, l), /alias/);
  assert.throws(() => inverseFromCholesky(l, n, l), /must be distinct/);
});

Deno.test("dense helpers", () => {
  assert.deepEqual(
    Array.from(packRows([new Float64Array([1, 2]), new Float64Array([3, 4])], 2)),
    [1, 2, 3, 4],
  );
  assert.throws(
    () => packRows([new Float64Array([1, 2]), new Float64Array([3])], 2),
    /points\[1\]/,
  );
  assert.equal(dot(new Float64Array([1, 2]), new Float64Array([3, 4])), 11);
  assert.throws(() => dot(new Float64Array(1), new Float64Array(2)), /lengths differ/);
  assert.deepEqual(
    Array.from(matVec(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3, new Float64Array([1, 0, -1]))),
    [-2, -2],
  );
  assert.throws(() => matVec(new Float64Array(6), 2, 3, new Float64Array(2)), /vector length/);
});

Deno.test("SIMD arrays give the same factor, jitter, failures and inverse as plain arrays", () => {
  const rng = new Rng(9);
  for (const n of [1, 2, 7, 8, 9, 33]) {
    const plain = randomSpd(n, rng);
    const [a, l, inv, work] = simdArrays([n * n, n * n, n * n, n * n]);
    a.set(plain);
    const expected = cholesky(plain, n);
    const actual = cholesky(a, n, { out: l });
    assert.equal(actual.lower, l);
    assert.ok(maxAbsDiff(l, expected.lower) < 1e-12 * n, `factor n=${n}`);
    const expectedInverse = inverseFromCholesky(expected.lower, n);
    inverseFromCholesky(l, n, inv, work);
    assert.ok(maxAbsDiff(inv, expectedInverse) < 1e-10, `inverse n=${n}`);
    // In place on a SIMD array.
    const inPlace = cholesky(a, n, { out: a });
    assert.ok(maxAbsDiff(inPlace.lower, expected.lower) < 1e-12 * n);
  }
  const [s, sl] = simdArrays([4, 4]);
  s.set([1, 1, 1, 1]);
  assert.equal(choleskyInPlace(s, 2, sl), false);
  const withJitter = cholesky(s, 2, { out: sl });
  assert.equal(withJitter.jitter, cholesky(new Float64Array([1, 1, 1, 1]), 2).jitter);
  s.set([1, 0, 0, -1]);
  assert.throws(() => cholesky(s, 2, { out: sl }), CholeskyError);
  s.set([NaN, 0, 0, 1]);
  assert.equal(choleskyInPlace(s, 2, sl, 1), false);
  // Zero-filled on allocation.
  assert.ok(simdArrays([5])[0].every((v) => v === 0));
});

Deno.test("cholesky: diagonals near the largest doubles factorise; short arrays are refused", () => {
  // The sum of the diagonal overflows; the matrix is positive definite.
  const big = cholesky(Float64Array.of(1e308, 0, 0, 1e308), 2);
  assert.deepEqual(Array.from(big.lower), [1e154, 0, 0, 1e154]);
  assert.equal(big.jitter, 0);
  // Singular with a huge diagonal: jitter relative to the mean diagonal, still finite.
  const singular = cholesky(Float64Array.of(1e308, 1e308, 1e308, 1e308), 2);
  assert.ok(singular.jitter > 0 && Number.isFinite(singular.jitter));
  assert.ok(singular.lower.every(Number.isFinite));
  assert.deepEqual(Array.from(tryCholesky(Float64Array.of(1e308, 0, 0, 1e308), 2)!), [
    1e154,
    0,
    0,
    1e154,
  ]);
  // choleskyInPlace never reads or writes past its arrays, on either path.
  const [a, out, neighbour] = simdArrays([4, 4, 4]);
  a.set([4, 2, 2, 3]);
  neighbour.fill(7);
  assert.throws(() => choleskyInPlace(a, 3, out), {
    name: "RangeError",
    message: "choleskyInPlace: a and out need n·n = 9 entries",
  });
  assert.deepEqual(Array.from(neighbour), [7, 7, 7, 7]);
  assert.throws(() => choleskyInPlace(Float64Array.of(4, 2, 2, 3), 3, new Float64Array(9)), {
    name: "RangeError",
  });
});

Deno.test("cholesky: a non-finite entry of the lower triangle is refused at once, naming it", () => {
  for (
    const [a, where] of [
      [[NaN, 0, 0, 1], "NaN at row 0, column 0"],
      [[2, 0, NaN, 2], "NaN at row 1, column 0"],
      [[2, 0, Infinity, 2], "Infinity at row 1, column 0"],
    ] as const
  ) {
    assert.throws(() => cholesky(Float64Array.from(a), 2), (e: unknown) => {
      assert.ok(e instanceof CholeskyError);
      assert.equal(e.message, `cholesky: matrix has a non-finite entry (${where})`);
      assert.equal(e.jitter, 0);
      return true;
    });
  }
  // The upper triangle is not read.
  assert.deepEqual(Array.from(cholesky(Float64Array.of(4, NaN, 2, 3), 2).lower), [
    2,
    0,
    1,
    Math.SQRT2,
  ]);
});
