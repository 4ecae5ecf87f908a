import assert from "node:assert/strict";
import { AdamState } from "../../lib/optim/adam.ts";

Deno.test("AdamState: the first steps match the update rule by hand", () => {
  const x = Float64Array.of(1, -2);
  const adam = new AdamState(2);
  const g1 = Float64Array.of(0.5, -4);
  adam.step(x, g1, 0.1);
  // Step 1: m̂ = g, v̂ = g², so each coordinate moves by 0.1·g/(|g| + 1e-8) ≈ 0.1·sign(g).
  assert.ok(Math.abs(x[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(x[1] - (-2 + 0.1 * 4 / (4 + 1e-8))) < 1e-15);
  const g2 = Float64Array.of(1, 2);
  const before = x.slice();
  adam.step(x, g2, 0.1);
  for (let i = 0; i < 2; i++) {
    const m = (0.9 * 0.1 * g1[i] + 0.1 * g2[i]) / (1 - 0.81);
    const v = (0.999 * 0.001 * g1[i] ** 2 + 0.001 * g2[i] ** 2) / (1 - 0.999 ** 2);
    assert.ok(Math.abs(x[i] - (before[i] - 0.1 * m / (Math.sqrt(v) + 1e-8))) < 1e-14);
  }
  assert.equal(adam.t, 2);
});

Deno.test("AdamState: minimises a quadratic; wrong lengths are refused", () => {
  const x = Float64Array.of(3, -1);
  const adam = new AdamState(2);
  for (let t = 0; t < 2000; t++) {
    adam.step(x, Float64Array.of(2 * (x[0] - 1), 20 * (x[1] + 0.5)), 0.01);
  }
  assert.ok(Math.abs(x[0] - 1) < 1e-3 && Math.abs(x[1] + 0.5) < 1e-3, `${x}`);
  assert.throws(() => adam.step(Float64Array.of(1), Float64Array.of(1), 0.1), /2 entries/);
  assert.throws(() => new AdamState(-1), /AdamState\.size/);
});
