import assert from "node:assert/strict";
import { regretTables } from "../../bench/suites/rf.ts";
import type { ResultRow } from "../../lib/results/mod.ts";

/** Regret rows of one method on `task`, every step 1 … `budget`, seeds 0 and 1. */
const curve = (task: string, budget: number): ResultRow[] =>
  [0, 1].flatMap((seed) =>
    Array.from({ length: budget }, (_, i) => ({
      suite: "rf",
      task,
      method: "random",
      seed,
      step: i + 1,
      metric: "regret",
      value: 1 / (i + 1 + seed),
    }))
  );

const regretTitles = (rows: ResultRow[], budget: number) =>
  regretTables(rows, budget).map((t) => t.title).filter((t) => t.startsWith("Median regret"));

Deno.test("rf regretTables: the budget is always a table, no step past it", () => {
  const title = (step: number) => `Median regret @${step} [95% interval over seeds]`;
  // The default budget: the steps as before.
  assert.deepEqual(regretTitles(curve("synthetic/branin", 50), 50), [10, 25, 50].map(title));
  // A budget off the fixed steps keeps its last evaluation; steps past it are not reported.
  const rows30 = [...curve("synthetic/branin", 30), ...curve("tfjs/mlp-opt/iris", 12)];
  assert.deepEqual(regretTitles(rows30, 30), [10, 25, 30].map(title));
  const at30 = regretTables(rows30, 30).find((t) => t.title === title(30))!;
  assert.deepEqual(at30.records.map((r) => r.problem), ["synthetic/branin"]);
  assert.equal(at30.records[0].random, "0.0328 (n=2)");
  assert.deepEqual(regretTitles(curve("synthetic/branin", 60), 60), [10, 25, 50, 60].map(title));
});
