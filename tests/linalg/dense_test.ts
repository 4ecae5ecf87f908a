import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import {
  choleskySolve,
  invertDense,
  solveDense,
  symmetricEigenvalues,
  tryCholesky,
} from "../../lib/linalg/mod.ts";

Deno.test("tryCholesky, choleskySolve and Jacobi eigenvalues by hand", () => {
  const a = Float64Array.of(4, 2, 2, 3);
  const l = tryCholesky(a, 2)!;
  assert.deepEqual([...l], [2, 0, 1, Math.SQRT2]);
  const x = choleskySolve(l, 2, Float64Array.of(6, 5)); // 4x+2y=6, 2x+3y=5 → x=1, y=1
  near(x[0], 1);
  near(x[1], 1);
  assert.equal(tryCholesky(Float64Array.of(1, 1, 1, 1), 2), undefined, "singular");
  const eig = symmetricEigenvalues(Float64Array.of(2, 1, 0, 1, 2, 0, 0, 0, 5), 3);
  [5, 3, 1].forEach((e, i) => near(eig[i], e));
  assert.throws(() => symmetricEigenvalues(Float64Array.of(1, 2, 3), 2), /symmetricEigenvalues/);
  assert.throws(() => tryCholesky(Float64Array.of(1, 2, 3), 2), /tryCholesky: matrix/);
});

Deno.test("solveDense and invertDense: pivoting, singular matrices, bad shapes", () => {
  // a zero leading entry needs a row swap
  assert.deepEqual([...solveDense(Float64Array.of(0, 1, 2, 0), Float64Array.of(3, 4), 2)!], [2, 3]);
  assert.equal(solveDense(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 2), 2), undefined);
  const a = Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2);
  const inv = invertDense(a, 3)!;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k] * inv[k * 3 + j];
      near(s, i === j ? 1 : 0);
    }
  }
  assert.throws(() => solveDense(a, Float64Array.of(1, 2), 3), /solveDense: right-hand side/);
  assert.throws(() => invertDense(a, 2), /invertDense: matrix length 9/);
});
