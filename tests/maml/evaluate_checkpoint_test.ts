import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  checkpoint,
  episodeBatch,
  fromCheckpoint,
  LearnedHyperparameters,
  loadCheckpoint,
  MAML,
  meanCi95,
  MetaSGD,
  metaTest,
  metaTrain,
  mlp,
  restore,
  saveCheckpoint,
  tileTasks,
  useBackend,
} from "../../lib/maml/mod.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";

await useBackend("cpu");
const small = () => mlp({ sizes: [1, 8, 1] });

Deno.test("meanCi95: hand-computed values and bad input", () => {
  const { mean, halfWidth } = meanCi95([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  // s = √(5/3); 1.96·s/√4
  assert.ok(Math.abs(halfWidth - 1.96 * Math.sqrt(5 / 3) / 2) < 1e-12);
  assert.ok(Number.isNaN(meanCi95([1, NaN]).mean));
  assert.throws(() => meanCi95([]), /no values/);
});

Deno.test("metaTest: 0 steps is the unadapted loss, later steps equal manual adaptation", () => {
  const maml = new MAML(small(), { innerLr: 0.05, seed: 1 });
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 9, queryPoints: 20 });
  const [s0, s1, s3] = metaTest(maml, episodes, { steps: [0, 1, 3], chunk: 4 });
  const batch = episodeBatch(episodes, maml.model);
  const start = tileTasks(maml.theta, 9);
  const lossAfter = (steps: number) => {
    const p = maml.adaptFrom(start, batch.supportX, batch.supportY, steps);
    return maml.loss.value(maml.model.forward(p, batch.queryX), batch.queryY).dataSync();
  };
  [s0, s1, s3].forEach((r, i) => {
    const expected = lossAfter([0, 1, 3][i]);
    r.perTask.forEach((v, t) => assert.ok(Math.abs(v - expected[t]) < 1e-5));
    assert.equal(r.mean, meanCi95(r.perTask).mean);
    assert.equal(r.tasks, 9);
  });
  assert.throws(() => metaTest(maml, episodes, { steps: [] }), /metaTest\.steps/);
  assert.throws(() => metaTest(maml, [], { steps: [1] }), /no episodes/);
  maml.dispose();
});

Deno.test("metaTest uses learned step scales beyond training steps and stays finite", async () => {
  const lhp = new LearnedHyperparameters(small(), { innerSteps: 2, seed: 2 });
  await metaTrain(lhp, { source: episodeSampler(sinusoid), iterations: 3, metaBatchSize: 4 });
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 6 });
  const [r] = metaTest(lhp, episodes, { steps: [5] });
  assert.equal(r.diverged, false);
  lhp.dispose();
});

Deno.test("checkpoints round-trip through JSON files and restore exactly", async () => {
  const metaSgd = new MetaSGD(small(), { seed: 3, innerLr: 0.02 });
  await metaTrain(metaSgd, { source: episodeSampler(sinusoid), iterations: 3, metaBatchSize: 4 });
  const path = await Deno.makeTempFile({ suffix: ".json" });
  saveCheckpoint(path, metaSgd, 3);
  const loaded = loadCheckpoint(path, small());
  assert.equal(loaded.kind, "metasgd");
  assert.deepEqual(loaded.options, metaSgd.options);
  loaded.variables.forEach((v, i) =>
    assert.deepEqual(v.dataSync(), metaSgd.variables[i].dataSync())
  );
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 5 });
  assert.deepEqual(
    metaTest(loaded, episodes, { steps: [1] })[0].perTask,
    metaTest(metaSgd, episodes, { steps: [1] })[0].perTask,
  );
  await Deno.remove(path);
  loaded.dispose();
  metaSgd.dispose();
});

Deno.test("a mismatching checkpoint throws and changes nothing", () => {
  const a = new MAML(small(), { seed: 1 });
  const b = new MAML(small(), { seed: 2 });
  const before = b.variables.map((v) => Array.from(v.dataSync()));
  const good = checkpoint(a, 0);
  const wrongShape = structuredClone(good);
  wrongShape.variables["theta.3"] = { shape: [2], values: [0, 0] };
  assert.throws(() => restore(b, wrongShape), /checkpoint\.variables\.theta\.3/);
  const missing = structuredClone(good);
  delete missing.variables["theta.0"];
  assert.throws(() => restore(b, missing), /missing \[theta\.0\]/);
  assert.throws(() => restore(b, { ...good, format: "other" }), /checkpoint\.format/);
  assert.throws(() => restore(b, { ...good, kind: "reptile" }), /checkpoint\.kind/);
  assert.deepEqual(b.variables.map((v) => Array.from(v.dataSync())), before);
  restore(b, good);
  assert.deepEqual(
    b.variables.map((v) => Array.from(v.dataSync())),
    a.variables.map((v) => Array.from(v.dataSync())),
  );
  assert.throws(() => loadCheckpoint("/nonexistent/x.json", small()), /cannot read \/nonexistent/);
  const copy = fromCheckpoint(good, small());
  assert.equal(copy.kind, "maml");
  tf.dispose([...copy.variables]);
  a.dispose();
  b.dispose();
});
