import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  adaptationCurveFigure,
  curveFigure,
  regretCurveFigure,
  summariseCurves,
} from "../../lib/viz/curves.ts";

function rows(): ResultRow[] {
  const out: ResultRow[] = [];
  for (const method of ["gp", "random"]) {
    for (let seed = 0; seed < 6; seed++) {
      for (let step = 1; step <= 3; step++) {
        out.push({
          suite: "smbo",
          task: "branin",
          method,
          seed,
          step,
          metric: "regret",
          value: (method === "gp" ? 1 : 10) * (seed + 1) / step,
        });
      }
    }
  }
  out.push({
    suite: "smbo",
    task: "branin",
    method: "optuna",
    seed: -1,
    step: 3,
    metric: "median_regret",
    value: 2,
  });
  out.push({
    suite: "smbo",
    task: "other",
    method: "gp",
    seed: 0,
    step: 1,
    metric: "regret",
    value: 99,
  });
  return out;
}

Deno.test("summariseCurves: per-step center over seeds, aggregated rows ignored", () => {
  const curves = summariseCurves(rows(), { metric: "regret", task: "branin" }, "mean");
  assert.deepEqual(curves.map((c) => c.method), ["gp", "random"]);
  assert.deepEqual(curves[0].steps, [1, 2, 3]);
  // gp at step 2: values (1…6)/2, mean 1.75.
  assert.ok(Math.abs(curves[0].intervals[1].center - 1.75) < 1e-12);
  assert.equal(curves[1].intervals[0].n, 6);
  // Without a task, the other task's seed-0 row joins step 1 of gp.
  assert.equal(summariseCurves(rows(), { metric: "regret" })[0].intervals[0].n, 7);
  assert.deepEqual(
    summariseCurves(rows(), { metric: "regret", methods: ["random"] }).map((c) => c.method),
    ["random"],
  );
});

Deno.test("regretCurveFigure: median lines, bands, peer markers, log axis, plain arrays", () => {
  const figure = regretCurveFigure(rows(), { task: "branin" });
  const names = figure.data.map((t) => t.name);
  assert.deepEqual(names, ["gp band", "gp", "random band", "random", "optuna (median_regret)"]);
  const gp = figure.data[1];
  // Median of (1…6)/1 = 3.5 at step 1.
  (gp.y as number[]).forEach((y, i) => assert.ok(Math.abs(y - 3.5 / (i + 1)) < 1e-12));
  const band = figure.data[0];
  // 6 seeds: 95% median interval is [x(1), x(6)] (P(B<1) = 1/64 ≤ 0.025).
  assert.deepEqual((band.y as number[]).slice(0, 3), [6, 3, 2]);
  assert.deepEqual(figure.data[4].y, [2]);
  assert.equal((figure.layout.yaxis as Record<string, unknown>).type, "log");
  const json = JSON.parse(JSON.stringify(figure));
  assert.deepEqual(json.data[1].x, [1, 2, 3]);
});

Deno.test("adaptationCurveFigure: mean with linear axis; curveFigure rejects bad options", () => {
  const data = rows().map((r) => ({ ...r, metric: "mse" }));
  const figure = adaptationCurveFigure(data, { task: "branin" });
  assert.equal((figure.layout.yaxis as Record<string, unknown>).type, undefined);
  assert.ok(Math.abs((figure.data[1].y as number[])[0] - 3.5) < 1e-12);
  assert.throws(
    () => curveFigure(rows(), { metric: "" }),
    /curveFigure: options.metric: must be a non-empty string/,
  );
  assert.throws(
    () => curveFigure(rows(), { metric: "regret", center: "mode" as never }),
    /options.center/,
  );
  assert.throws(
    () => summariseCurves([{ ...rows()[0], seed: 0.5 }], { metric: "regret" }),
    /rows\[0\]\.seed: must be an integer/,
  );
  assert.throws(
    () => summariseCurves("x" as never, { metric: "regret" }),
    /must be an array of result rows/,
  );
});
