import assert from "node:assert/strict";
import { latinHypercube, Rng } from "../../lib/random/mod.ts";

const rows = (points: readonly Float64Array[]) => points.map((p) => Array.from(p));

Deno.test("latinHypercube: every 1-D projection has one point per 1/n interval", () => {
  for (const n of [1, 2, 7, 50]) {
    const points = latinHypercube(n, 6, new Rng(n));
    assert.equal(points.length, n);
    for (let d = 0; d < 6; d++) {
      const cells = points.map((p) => Math.floor(p[d] * n)).sort((a, b) => a - b);
      assert.deepEqual(cells, Array.from({ length: n }, (_, i) => i), `n ${n} d ${d}`);
      for (const p of points) assert.ok(p[d] >= 0 && p[d] < 1);
    }
  }
});

Deno.test("latinHypercube: centered points sit at stratum centres", () => {
  const points = latinHypercube(4, 3, new Rng(0), { centered: true });
  for (let d = 0; d < 3; d++) {
    assert.deepEqual(points.map((p) => p[d]).sort(), [0.125, 0.375, 0.625, 0.875]);
  }
});

Deno.test("latinHypercube: seeded, and dimensions are permuted independently", () => {
  const a = latinHypercube(64, 4, new Rng(3));
  assert.deepEqual(rows(a), rows(latinHypercube(64, 4, new Rng(3))));
  assert.notDeepEqual(rows(a), rows(latinHypercube(64, 4, new Rng(4))));
  const column = (d: number) => a.map((p) => Math.floor(p[d] * 64));
  assert.notDeepEqual(column(0), column(1));
  assert.deepEqual(latinHypercube(0, 3, new Rng(0)), []);
});

Deno.test("latinHypercube: bad inputs throw errors naming the field", () => {
  const rng = new Rng(0);
  assert.throws(() => latinHypercube(-1, 2, rng), /latinHypercube\.n: /);
  assert.throws(() => latinHypercube(2.5, 2, rng), /latinHypercube\.n: /);
  assert.throws(() => latinHypercube(4, 0, rng), /latinHypercube\.dim: /);
  assert.throws(() => latinHypercube(4, 2, undefined as never), /latinHypercube\.rng: /);
  assert.throws(
    () => latinHypercube(4, 2, rng, { centred: true } as never),
    /latinHypercube\.options\.centred: unknown key/,
  );
  assert.throws(
    () => latinHypercube(4, 2, rng, { centered: 1 } as never),
    /latinHypercube\.options\.centered: /,
  );
});

Deno.test("latinHypercube: a uniform draw just below 1 stays inside its stratum", () => {
  // The largest value uniform() can return, 1 − 2⁻⁵³: (k + u) / n rounds up to (k + 1) / n.
  class Top extends Rng {
    override uniform(): number {
      return 1 - 2 ** -53;
    }
  }
  for (const n of [3, 7, 10, 1000]) {
    const xs = latinHypercube(n, 1, new Top(0)).map((p) => p[0]).sort((a, b) => a - b);
    // The k-th smallest lies in [k / n, (k + 1) / n), the bounds as the doubles k / n.
    xs.forEach((x, k) => assert.ok(k / n <= x && x < (k + 1) / n, `n = ${n}, k = ${k}: ${x}`));
  }
});
