import assert from "node:assert/strict";
import { multiStart } from "../../lib/optim/multi_start.ts";

const doubleWell = (p: Float64Array) => ({
  value: (p[0] ** 2 - 1) ** 2 + 0.1 * p[0],
  gradient: Float64Array.of(4 * p[0] * (p[0] ** 2 - 1) + 0.1),
});

Deno.test("multiStart: keeps the lowest of the local minima and every result", () => {
  const starts = [Float64Array.of(2), Float64Array.of(-2), Float64Array.of(0.5)];
  const { best, bestIndex, results } = multiStart(doubleWell, starts);
  assert.equal(results.length, 3);
  assert.equal(bestIndex, 1);
  assert.equal(best, results[1]);
  assert.ok(results[0].x[0] > 0.9 && results[2].x[0] > 0.9, "starts on the right stay right");
  // the left well: 4x(x² − 1) + 0.1 = 0 near x = −1
  assert.ok(Math.abs(4 * best.x[0] * (best.x[0] ** 2 - 1) + 0.1) < 1e-5);
  assert.ok(best.x[0] < -1);
});

Deno.test("multiStart: passes bounds to every run and ignores non-finite runs", () => {
  const f = (p: Float64Array) =>
    p[0] < -0.5
      ? { value: NaN, gradient: Float64Array.of(NaN) }
      : { value: (p[0] - 3) ** 2, gradient: Float64Array.of(2 * (p[0] - 3)) };
  const { best, bestIndex, results } = multiStart(
    f,
    [Float64Array.of(-1), Float64Array.of(0)],
    { lower: Float64Array.of(-2), upper: Float64Array.of(2) },
  );
  assert.equal(results[0].converged, false);
  assert.equal(bestIndex, 1);
  assert.equal(best.x[0], 2);
  // A first run ending at −Infinity is not finite either: the finite one wins, in either order.
  const g = (p: Float64Array) =>
    p[0] < -5
      ? { value: -Infinity, gradient: Float64Array.of(0) }
      : { value: (p[0] - 1) ** 2, gradient: Float64Array.of(2 * (p[0] - 1)) };
  for (const starts of [[-10, 3], [3, -10]]) {
    const out = multiStart(g, starts.map((x) => Float64Array.of(x)));
    assert.equal(out.bestIndex, starts.indexOf(3), `starts ${starts}`);
    assert.ok(Math.abs(out.best.x[0] - 1) < 1e-6);
  }
});

Deno.test("multiStart: bad inputs throw errors that name the field", () => {
  assert.throws(() => multiStart(doubleWell, []), /starts: must contain at least one start/);
  assert.throws(
    () => multiStart(doubleWell, [Float64Array.of(0), Float64Array.of(0, 1)]),
    /starts\[1\]: length 2 differs from starts\[0\] length 1/,
  );
  assert.throws(
    () => multiStart(doubleWell, [Float64Array.of(0), Float64Array.of(NaN)]),
    /multiStart: starts\[1\]\[0\]: must not be NaN/,
  );
  assert.throws(
    () => multiStart(doubleWell, [[0] as unknown as Float64Array]),
    /starts\[0\]: must be a Float64Array/,
  );
  assert.throws(() => multiStart(doubleWell, [Float64Array.of(0)], { memory: -1 }), /memory/);
});
