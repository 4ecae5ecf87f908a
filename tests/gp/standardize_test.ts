import assert from "node:assert/strict";
import { standardizeTargets } from "../../lib/gp/standardize.ts";

Deno.test("standardizeTargets: equal values are constant whatever their count (the mean's round-off grows with it)", () => {
  for (const n of [3, 1_000, 10_000, 100_000]) {
    for (const c of [0.1, 0.7, 123.456, 1 / 3, -2.5e-300, 7e300]) {
      const { std, scaled, mean } = standardizeTargets(new Array(n).fill(c));
      assert.equal(std, 1, `n = ${n}, value ${c}`);
      assert.ok(scaled.every((v) => v === 0), `n = ${n}, value ${c}`);
      assert.ok(Math.abs(mean - c) <= 1e-10 * Math.abs(c), `n = ${n}, value ${c}: mean ${mean}`);
    }
  }
});

Deno.test("standardizeTargets: one value apart from equal ones is not constant", () => {
  const values = new Array(10_000).fill(0.1);
  values[17] = 0.2;
  const { std, scaled } = standardizeTargets(values);
  assert.ok(Math.abs(std - Math.sqrt(9_999) * 0.1 / 10_000) < 1e-15, String(std));
  assert.ok(scaled[17] > 99 && scaled[17] < 100, String(scaled[17]));
});
