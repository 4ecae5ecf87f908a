/**
 * `standardizeColumns` (the z-scores of `metaFeatureHeatmap`): a column constant up to round-off
 * maps to 0 as its documentation says, also when the mean of its equal values rounds off them.
 */
import assert from "node:assert/strict";
import { metaFeatureHeatmap, standardizeColumns } from "../../lib/viz/heatmap.ts";
import { standardScore } from "../../lib/stats/mod.ts";

Deno.test("standardizeColumns: three times 0.1 (mean 0.10000000000000002) maps to 0", () => {
  assert.deepEqual(standardizeColumns([[0.1, 5], [0.1, 5], [0.1, 5]]), [[0, 0], [0, 0], [0, 0]]);
});

Deno.test("standardizeColumns: every constant column maps to 0, whatever its value and count", () => {
  const constants = [0.1, 0.2, 0.3, 0.7, 1 / 3, 2 / 3, 0.01, 1e-5, 123.456];
  for (let n = 2; n <= 30; n++) {
    for (const c of constants) {
      const z = standardizeColumns(Array.from({ length: n }, () => [c]));
      assert.ok(z.every((r) => r[0] === 0), `${n} × ${c}: ${z.map((r) => r[0])}`);
    }
  }
  const many = standardizeColumns(Array.from({ length: 10_000 }, () => [0.1]));
  assert.ok(many.every((r) => r[0] === 0));
  // Non-finite entries stay NaN; the finite ones, equal, map to 0.
  const z = standardizeColumns([[0.1], [NaN], [0.1], [Infinity], [0.1]]);
  assert.deepEqual(z.map((r) => Number.isNaN(r[0]) ? "NaN" : r[0]), [0, "NaN", 0, "NaN", 0]);
  // A spread of one unit in the last place is round-off: 0.
  const next = 0.1 + 2 ** -56;
  assert.ok(standardizeColumns([[0.1], [next], [0.1]]).every((r) => r[0] === 0));
});

Deno.test("standardizeColumns: ordinary columns keep their z-scores; the heatmap draws 0 for constants", () => {
  const values = [[0.5, 0.1], [2, 0.1], [7.25, 0.1]];
  const mean = (0.5 + 2 + 7.25) / 3;
  const sd = Math.sqrt(values.reduce((s, r) => s + (r[0] - mean) ** 2, 0) / 3);
  assert.deepEqual(
    standardizeColumns(values).map((r) => r[0]),
    values.map((r) => standardScore(r[0], mean, sd)),
  );
  const figure = metaFeatureHeatmap({
    rows: ["a", "b", "c"],
    columns: ["spread", "constant"],
    values,
  });
  const cells = (figure.data[0] as { z: number[][] }).z;
  assert.deepEqual(cells.map((r) => r[1]), [0, 0, 0]);
});
