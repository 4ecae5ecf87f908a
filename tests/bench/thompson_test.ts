import assert from "node:assert/strict";
import { THOMPSON_METHODS, thompsonTables } from "../../bench/thompson.ts";
import type { ResultRow } from "../../lib/results/mod.ts";

Deno.test("thompsonTables: medians per method and the exact / pathwise cost ratio seed by seed", () => {
  const rows: ResultRow[] = [];
  const seconds: Record<string, number[]> = {
    "gp-ts": [0.1, 0.2, 0.4, 0.1, 0.1, 0.1],
    "gp-ts-exact": [1, 1, 1, 3, 2, 0.5],
    "gp-logei": [0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
  };
  for (const method of THOMPSON_METHODS) {
    for (let seed = 0; seed < 6; seed++) {
      for (const step of [10, 20]) {
        rows.push({
          suite: "thompson",
          task: "branin",
          method,
          seed,
          step,
          metric: "regret",
          value: (seed + 1) / step,
        });
      }
      rows.push({
        suite: "thompson",
        task: "branin",
        method,
        seed,
        step: 20,
        metric: "seconds_per_trial",
        value: seconds[method][seed],
      });
    }
  }
  const { regret, cost } = thompsonTables(rows, 20);
  assert.equal(regret.length, 3);
  const ts = regret.find((r) => r.method === "gp-ts")!;
  assert.equal(ts.seeds, 6);
  assert.equal(ts["regret@10_median"], 0.35); // median of 0.1 … 0.6
  assert.equal(ts["regret@20_median"], 0.175);
  assert.equal(ts["regret@20_lower"], 0.05); // 6 values: the interval is [min, max]
  assert.equal(ts["regret@20_upper"], 0.3);
  assert.equal(ts.seconds_per_trial_median, 0.1);
  // Ratios 10, 5, 2.5, 30, 20, 5: the median pairs each seed's own runs.
  assert.equal(cost.length, 1);
  assert.equal(cost[0].exact_over_pathwise_median, 7.5);
  assert.equal(cost[0].exact_over_pathwise_lower, 2.5);
  assert.equal(cost[0].exact_over_pathwise_upper, 30);
});
