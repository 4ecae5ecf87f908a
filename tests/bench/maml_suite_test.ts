// The maml suite's rows: the shared finite rule per evaluation, and a non-finite plain mean (one
// task blew up) recorded as NaN so that every row stays a valid result row.
import assert from "node:assert/strict";
import { mamlTables, mseRows } from "../../bench/suites/maml.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
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

Deno.test("maml suite tables: a timing the run did not measure reads '–' with a note, never NaN", () => {
  const row = (method: string, metric: string, value: number): ResultRow => ({
    suite: "maml",
    task: "sinusoid",
    method,
    seed: 0,
    step: 0,
    metric,
    value,
  });
  const ours = [
    row("maml (wasm)", "ms_per_meta_iteration", 1.2),
    row("maml (wasm)", "cpu_ms_per_meta_iteration", 1.4),
  ];
  // --full with the peers: the trained PyTorch peers record wall time only.
  const notes: string[] = [];
  const [, , speed] = mamlTables(
    [
      ...ours,
      row("torch-maml", "ms_per_meta_iteration", 17.6),
      row("torch-maml (timed)", "ms_per_meta_iteration", 9.8),
      row("torch-maml (timed)", "cpu_ms_per_meta_iteration", 9.8),
    ],
    5000,
    notes,
  );
  const cells = (method: string) => speed.records.find((r) => r.method === method)!;
  assert.equal(cells("maml (wasm)")["CPU vs PyTorch MAML"], 1.4 / 9.8);
  assert.equal(cells("torch-maml")["CPU ms / meta-iteration"], "–");
  assert.equal(cells("torch-maml")["CPU vs PyTorch MAML"], "–");
  assert.deepEqual(notes, [
    "maml: torch-maml report wall time only (the PyTorch peer measures no CPU time): their CPU " +
    "cells read –",
  ]);
  // --no-peers: no reference to divide by.
  const alone: string[] = [];
  const [, , own] = mamlTables(ours, 5000, alone);
  assert.equal(own.records[0]["CPU vs PyTorch MAML"], "–");
  assert.equal(own.records[0]["CPU ms / meta-iteration"], 1.4);
  assert.match(alone.join("\n"), /no PyTorch MAML timing reference in this run \(--no-peers/);
  for (const record of [...speed.records, ...own.records]) {
    for (const value of Object.values(record)) {
      assert.ok(!(typeof value === "number" && Number.isNaN(value)), JSON.stringify(record));
    }
  }
});
