// The maml suite's rows: the shared finite rule per evaluation, and a non-finite plain mean (one
// task blew up) recorded as NaN so that every row stays a valid result row.
import assert from "node:assert/strict";
import { mseRows } from "../../bench/suites/maml.ts";
import { finiteTaskSummary } from "../../bench/maml.ts";

Deno.test("maml suite rows: finite statistics kept, a blown-up plain mean becomes NaN", () => {
  const perTask = [0.5, 1.5, Infinity, 1];
  const rows = mseRows("maml", {
    k5_steps10: { mean: Infinity, ci95: Infinity, diverged: true, ...finiteTaskSummary(perTask) },
  });
  const value = (metric: string) => rows.find((r) => r.metric === metric)?.value;
  assert.equal(value("mse"), 1);
  assert.equal(value("mse_median"), 1);
  assert.equal(value("diverged_tasks"), 1);
  assert.equal(value("tasks"), 4);
  assert.ok(Number.isNaN(value("mse_all_tasks")));
  for (const row of rows) {
    assert.equal(row.task, "sinusoid-k5");
    assert.equal(row.step, 10);
    assert.ok(typeof row.value === "number");
    assert.ok(Number.isFinite(row.value) || Number.isNaN(row.value), `${row.metric}: ${row.value}`);
  }
});
