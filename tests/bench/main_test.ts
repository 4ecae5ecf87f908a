import assert from "node:assert/strict";
import { defaultSuiteNames } from "../../bench/main.ts";

Deno.test("defaultSuiteNames: the network-retraining transfer suites and the ablation run only when named", () => {
  const quick = defaultSuiteNames(false);
  assert.deepEqual(quick, [
    "smbo",
    "transfer",
    "maml",
    "comparison",
    "fewshot",
    "perf",
    "storage",
    "rf",
  ]);
  // At full size the PMLB transfer protocol joins; FSBO and ABLR still only when named.
  const full = defaultSuiteNames(true);
  assert.deepEqual(full, ["smbo", "transfer", "transfer-pmlb", ...quick.slice(2)]);
  for (const name of ["transfer-fsbo", "transfer-fsbo-pmlb", "transfer-ablr", "ablation"]) {
    assert.ok(!full.includes(name), name);
  }
});
