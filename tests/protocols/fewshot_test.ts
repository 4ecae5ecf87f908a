import assert from "node:assert/strict";
import { fewShotTables, runFewShot } from "../../lib/protocols/mod.ts";

Deno.test("runFewShot: every arm scored with accuracy, CI and loss on both families", async () => {
  const result = await runFewShot({
    families: ["mnist", "segmentation"],
    shots: [1, 2],
    learners: ["fomaml", "anil"],
    metaIterations: 3,
    metaBatchSize: 2,
    testTasks: 8,
    testSteps: [1, 3],
    smboBudget: 2,
    smboTasks: 2,
    maxScratchSteps: 4,
  });
  const tasks = [...new Set(result.rows.map((r) => r.task))].sort();
  assert.deepEqual(tasks, ["mnist-5w1s", "mnist-5w2s", "segmentation-3w1s", "segmentation-3w2s"]);
  for (const task of tasks) {
    const accuracy = result.rows.filter((r) => r.task === task && r.metric === "accuracy");
    const methods = [...new Set(accuracy.map((r) => r.method))].sort();
    assert.deepEqual(methods, ["anil", "fomaml", "scratch", "smbo-scratch"]);
    for (const r of accuracy) {
      assert.ok(r.value >= 0 && r.value <= 1, `${task} ${r.method}: ${r.value}`);
      const ci = result.rows.find((c) =>
        c.task === task && c.method === r.method && c.step === r.step &&
        c.metric === "accuracy_ci95"
      );
      assert.ok(ci && ci.value >= 0, `${task} ${r.method} step ${r.step}: CI`);
    }
    for (const method of ["anil", "fomaml"]) {
      assert.deepEqual(
        accuracy.filter((r) => r.method === method).map((r) => r.step),
        [1, 3],
      );
    }
    // Training from scratch is scored at the meta-learners' steps and at its own (10 by default).
    assert.deepEqual(accuracy.filter((r) => r.method === "scratch").map((r) => r.step), [1, 3, 10]);
    const tunedSteps = result.rows.find((r) =>
      r.task === task && r.method === "smbo-scratch" && r.metric === "tuned_steps"
    )!.value;
    assert.ok(tunedSteps >= 1 && tunedSteps <= 4);
  }
  const tables = fewShotTables(result);
  assert.equal(tables.length, 4);
  assert.match(String(tables[0].records[0]["accuracy %"]), /^\d+\.\d ± \d+\.\d$/);
});

Deno.test("runFewShot: options are validated, naming the field", async () => {
  await assert.rejects(() => runFewShot({ shots: [0] }), /shots/);
  await assert.rejects(
    () => runFewShot({ families: ["omniglot" as "mnist"] }),
    /families/,
  );
  await assert.rejects(() => runFewShot({ learners: ["pretrained"] }), /learners/);
});
