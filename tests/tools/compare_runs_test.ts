import assert from "node:assert/strict";
import { compareMetaDatasets, compareResults } from "../../tools/compare_runs.ts";
import { denoRun } from "../_deno_run.ts";

const HEADER = "suite,task,method,seed,step,metric,value\n";

Deno.test("compareResults: the metric's values that differ, keyed by task, method, seed and step", () => {
  const before = HEADER +
    "s,t,m,0,1,regret,2\ns,t,m,0,2,regret,NaN\ns,t,m,1,1,regret,1\ns,t,m,0,1,seconds,9\ns,u,m,0,1,regret,3\n";
  const after = HEADER +
    "s,t,m,0,1,regret,1.5\ns,t,m,0,2,regret,NaN\ns,t,m,1,1,regret,1\ns,t,m,0,1,seconds,7\ns,v,m,0,1,regret,3\n";
  const c = compareResults(before, after);
  assert.equal(c.compared, 3); // NaN equals NaN; seconds are another metric
  assert.deepEqual(c.changed, [{ key: "t m seed 0 step 1", before: 2, after: 1.5 }]);
  assert.equal(c.onlyBefore, 1);
  assert.equal(c.onlyAfter, 1);
  assert.equal(compareResults(before, after, "seconds").changed.length, 1);
});

Deno.test("compareMetaDatasets: per model, the runs whose errors or losses differ", () => {
  const task = (id: string, model: string, e: number[]) => ({
    id,
    model,
    validationError: e,
    testError: e.map(() => 0),
    validationLoss: e.map(() => 1),
    testLoss: e.map(() => 1),
  });
  const before = JSON.stringify({
    tasks: [
      task("a/rf", "rf", [0.1, 0.2]),
      task("a/gbt", "gbt", [0.3, 0.4]),
      task("b/gbt", "gbt", [0.5, 0.6]),
    ],
  });
  const after = JSON.stringify({
    tasks: [
      task("a/rf", "rf", [0.1, 0.2]),
      task("a/gbt", "gbt", [0.3, 0.45]),
      task("b/gbt", "gbt", [0.5, 0.6]),
    ],
  });
  assert.deepEqual(compareMetaDatasets(before, after), [
    { model: "rf", tasks: 1, runs: 2, changedTasks: 0, changedRuns: 0 },
    { model: "gbt", tasks: 2, runs: 4, changedTasks: 1, changedRuns: 1 },
  ]);
});

Deno.test("compare_runs.ts: --help prints the usage; a bad option is one line naming it and the usage, exit 2", async () => {
  const script = new URL("../../tools/compare_runs.ts", import.meta.url).pathname;
  const help = await denoRun(["run", "--allow-read", "--allow-run", script, "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: compare_runs\.ts/);
  for (
    const [args, message] of [
      [["--bogus", "a", "b"], /^compare_runs: Unknown option '--bogus'/],
      [["--list", "1e3", "a", "b"], /^compare_runs: --list: expected an integer ≥ 0, got "1e3"\n/],
    ] as const
  ) {
    const run = await denoRun(["run", "--allow-read", "--allow-run", script, ...args]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /\nusage: compare_runs\.ts/);
    assert.doesNotMatch(run.stderr, /^ +at /m); // no stack trace
  }
});
