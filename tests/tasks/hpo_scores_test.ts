/**
 * `targetScale` of the HPO tasks: a regression target constant up to round-off (all training
 * values equal, their mean rounding off them, or spread over a unit in the last place) is divided
 * by 1, so that a validation value that differs from the constant keeps a finite, ordinary score.
 */
import assert from "node:assert/strict";
import { prepareDataset, type PreparedDataset, tableFromCsv } from "../../lib/data/mod.ts";
import { targetScale, targetStandardiser } from "../../lib/tasks/hpo/scores.ts";
import { standardDeviation } from "../../lib/stats/mod.ts";

/** A regression dataset whose training targets are `target(i)`, every row a training row. */
function regression(n: number, target: (i: number) => number): PreparedDataset {
  const rows = Array.from({ length: n }, (_, i) => `${i},${target(i)}`);
  return prepareDataset(tableFromCsv("x,y\n" + rows.join("\n")).table, {
    target: "y",
    task: "regression",
    split: { train: 1, validation: 0, test: 0 },
    seed: 0,
  });
}

Deno.test("targetScale: a target constant at 0.1 has standard deviation 1", () => {
  const data = regression(40, () => 0.1);
  const { mean, std } = targetScale(data);
  assert.notEqual(mean, 0.1); // the mean rounds off the constant
  assert.equal(std, 1);
  const [z] = targetStandardiser(data)(Float64Array.of(0.2));
  assert.ok(Math.abs(z - 0.1) < 1e-15, `0.2 standardises to ${z}`);
});

Deno.test("targetScale: constant targets of any value and count, and a one-ulp spread, have std 1", () => {
  for (const c of [0.1, 0.3, 0.7, 1 / 3, 0.01, 123.456]) {
    for (const n of [2, 3, 7, 40]) assert.equal(targetScale(regression(n, () => c)).std, 1);
  }
  assert.equal(targetScale(regression(10_000, () => 0.1)).std, 1);
  const next = 0.1 + 2 ** -56;
  assert.equal(targetScale(regression(40, (i) => (i % 3 ? 0.1 : next))).std, 1);
});

Deno.test("targetScale: ordinary targets keep their population standard deviation bit for bit", () => {
  for (const target of [(i: number) => i * 0.37 - 2, (i: number) => 1e-3 * (i % 5) + 0.1]) {
    const data = regression(40, target);
    assert.equal(targetScale(data).std, standardDeviation(data.train.y, 0));
  }
  const data = regression(10, (i) => i);
  assert.deepEqual(targetScale({ ...data, task: "classification" }), { mean: 0, std: 1 });
});
