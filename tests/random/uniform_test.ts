import assert from "node:assert/strict";
import { Rng, uniformPoints } from "../../lib/random/mod.ts";

Deno.test("uniformPoints: shape, range, seeding and the rng's own stream", () => {
  const points = uniformPoints(100, 3, new Rng(2));
  assert.equal(points.length, 100);
  const again = new Rng(2);
  for (const p of points) {
    assert.equal(p.length, 3);
    // The points are the generator's uniforms in order, row by row.
    for (const x of p) assert.equal(x, again.uniform());
  }
  assert.notDeepEqual(
    Array.from(uniformPoints(1, 3, new Rng(3))[0]),
    Array.from(points[0]),
  );
});

Deno.test("uniformPoints: bad inputs throw errors naming the field", () => {
  const rng = new Rng(0);
  assert.throws(() => uniformPoints(-1, 2, rng), /uniformPoints\.n: /);
  assert.throws(() => uniformPoints(3, 1.5, rng), /uniformPoints\.dim: /);
  assert.throws(() => uniformPoints(3, 2, Math as never), /uniformPoints\.rng: must be an Rng/);
});
