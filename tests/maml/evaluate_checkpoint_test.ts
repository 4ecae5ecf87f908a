import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  type Checkpoint,
  checkpoint,
  createLearner,
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
  mse,
  restore,
  saveCheckpoint,
  softmaxCrossEntropy,
  type TaskLoss,
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

Deno.test("checkpoints keep a built-in loss, need a custom one passed back, read old ones", async () => {
  const classifier = mlp({ sizes: [2, 8, 3] });
  const ce = createLearner("maml", classifier, { loss: softmaxCrossEntropy, seed: 1 });
  const saved = checkpoint(ce, 4);
  assert.equal(saved.loss, "softmaxCrossEntropy");
  const json = JSON.parse(JSON.stringify(saved)) as Checkpoint;
  const back = fromCheckpoint(json, classifier);
  assert.equal(back.loss, softmaxCrossEntropy);
  const path = await Deno.makeTempFile({ suffix: ".json" });
  saveCheckpoint(path, ce, 4);
  const loaded = loadCheckpoint(path, classifier, { loss: softmaxCrossEntropy });
  assert.equal(loaded.loss, softmaxCrossEntropy);
  await Deno.remove(path);
  const plain = new MAML(small());
  assert.equal(checkpoint(plain, 0).loss, "mse");
  const halfMse: TaskLoss = {
    value: (p, t) => tf.mul(mse.value(p, t), 0.5),
    outputGradient: (p, t) => tf.mul(mse.outputGradient!(p, t), 0.5),
  };
  const withCustom = new MAML(small(), { loss: halfMse, seed: 2 });
  const before = tf.memory().numTensors;
  assert.throws(
    () => fromCheckpoint(json, classifier, { loss: mse }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "fromCheckpoint: options.loss: contradicts checkpoint.loss " +
          '"softmaxCrossEntropy" (pass softmaxCrossEntropy or no loss)',
  );
  // A custom loss is stored as "custom" and must be passed again.
  const custom = checkpoint(withCustom, 0);
  assert.equal(custom.loss, "custom");
  assert.throws(
    () => fromCheckpoint(custom, small()),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === 'fromCheckpoint: options.loss: required, checkpoint.loss is "custom" (the ' +
          "learner was saved with a loss other than mse and softmaxCrossEntropy): pass that loss " +
          "as { loss }",
  );
  assert.throws(() => fromCheckpoint(json, classifier, { lost: mse } as never), /options\.lost/);
  assert.equal(tf.memory().numTensors, before, "nothing allocated by the refusals");
  const customBack = fromCheckpoint(custom, small(), { loss: halfMse });
  assert.equal(customBack.loss, halfMse);
  // A checkpoint written before the field: mse unless a loss is given.
  const { loss: _, ...old } = json;
  const oldWithLoss = fromCheckpoint(old, classifier, { loss: softmaxCrossEntropy });
  assert.equal(oldWithLoss.loss, softmaxCrossEntropy);
  oldWithLoss.variables.forEach((v, i) =>
    assert.deepEqual(v.dataSync(), ce.variables[i].dataSync())
  );
  const oldMse = fromCheckpoint(old, classifier);
  assert.equal(oldMse.loss, mse);
  for (const l of [ce, back, loaded, plain, withCustom, customBack, oldWithLoss, oldMse]) {
    l.dispose();
  }
});

Deno.test("restore refuses values beyond float32; checkpoint() validates the iteration", () => {
  const a = new MAML(small(), { seed: 1 });
  const b = new MAML(small(), { seed: 2 });
  const before = b.variables.map((v) => Array.from(v.dataSync()));
  const overflow = structuredClone(checkpoint(a, 0));
  overflow.variables["theta.2"].values[5] = -1e39; // a finite float64, infinite in float32
  assert.throws(
    () => restore(b, overflow),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === "checkpoint.variables.theta.2.values[5]: must be finite in float32, got -1e+39",
  );
  assert.deepEqual(b.variables.map((v) => Array.from(v.dataSync())), before, "nothing written");
  assert.throws(() => fromCheckpoint(overflow, small()), /theta\.2\.values\[5\]/);
  for (const iteration of [-1, 1.5, NaN]) {
    assert.throws(() => checkpoint(a, iteration), /^TypeError: checkpoint: iteration: /);
  }
  const path = `${Deno.makeTempDirSync()}/never.json`;
  assert.throws(() => saveCheckpoint(path, a, -1), /checkpoint: iteration/);
  assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
  a.dispose();
  b.dispose();
});
