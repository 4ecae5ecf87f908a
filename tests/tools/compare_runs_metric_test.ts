/** compare_runs.ts --metric: a metric neither file has is an error naming it, not "0 of 0". */
import assert from "node:assert/strict";
import { compareResults } from "../../tools/compare_runs.ts";
import { denoRun } from "../_deno_run.ts";

const HEADER = "suite,task,method,seed,step,metric,value\n";

Deno.test("compareResults: a metric in neither file is a RangeError naming it and the metrics there", () => {
  const text = HEADER + "s,t,m,0,1,regret,2\ns,t,m,0,1,seconds,9\n";
  assert.throws(() => compareResults(text, text, "typo"), {
    name: "RangeError",
    message: 'metric "typo": in neither file (their metrics: regret, seconds)',
  });
  // On one side only: compared as before (rows only on one side are counted).
  const other = HEADER + "s,t,m,0,1,mse,1\n";
  assert.deepEqual(compareResults(text, other, "mse"), {
    metric: "mse",
    compared: 0,
    onlyBefore: 0,
    onlyAfter: 1,
    changed: [],
  });
});

Deno.test("compare_runs.ts --metric typo: one line naming the flag, exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/results.csv`;
    await Deno.writeTextFile(file, HEADER + "s,t,m,0,1,regret,2\n");
    const script = new URL("../../tools/compare_runs.ts", import.meta.url).pathname;
    const run = await denoRun([
      "run",
      "--allow-read",
      "--allow-run",
      script,
      "--metric",
      "typo",
      file,
      file,
    ]);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr },
      {
        code: 2,
        stdout: "",
        stderr: 'compare_runs: --metric: metric "typo": in neither file (their metrics: regret)\n',
      },
    );
    const missing = await denoRun([
      "run",
      "--allow-read",
      "--allow-run",
      script,
      file,
      `${dir}/nope.csv`,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^compare_runs: .*nope\.csv/);
    assert.doesNotMatch(missing.stderr, /^\s+at /m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
