import assert from "node:assert/strict";
import { regressionData } from "./_regression_data.ts";
import { prepareBuiltinDataset, type PreparedDataset } from "../../lib/data/mod.ts";
import { minimize, randomSearch } from "../../lib/smbo/mod.ts";
import {
  fitAndScoreForest,
  fitAndScoreTree,
  hpoSpace,
  hpoTask,
  rfSpace,
  treeSpace,
} from "../../lib/tasks/hpo/mod.ts";
import { RandomForestClassifier } from "../../lib/forest/mod.ts";

const CONFIG = {
  nEstimators: 16,
  maxFeatures: 0.5,
  minSamplesLeaf: 1,
  maxDepth: 32,
  bootstrap: true,
};

Deno.test("rf hpo task: the space has the documented parameters", () => {
  assert.equal(hpoSpace("rf"), rfSpace);
  assert.deepEqual([...rfSpace.names], [
    "nEstimators",
    "maxFeatures",
    "minSamplesLeaf",
    "maxDepth",
    "bootstrap",
  ]);
  assert.throws(() => rfSpace.validate({ ...CONFIG, nEstimators: 1000 }), /nEstimators/);
});

Deno.test("rf hpo task: iris classification error is low, deep beats a stump, same seed same result", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const task = hpoTask(iris, { model: "rf", seed: 1 });
  assert.equal(task.model, "rf");
  const run = await task.evaluate(CONFIG);
  assert.equal(run.status, "complete");
  assert.equal(run.steps, 16);
  assert.ok(run.validation.error <= 0.1, `validation error ${run.validation.error}`);
  assert.ok(run.test.error <= 0.15, `test error ${run.test.error}`);
  assert.ok(Number.isFinite(run.validation.loss) && run.validation.loss > 0);
  const again = await hpoTask(iris, { model: "rf", seed: 1 }).evaluate(CONFIG);
  assert.deepEqual(again.validation, run.validation);
  assert.deepEqual(again.test, run.test);
  const stump = await task.evaluate({ ...CONFIG, maxDepth: 1, nEstimators: 8 });
  assert.ok(stump.validation.error > run.validation.error, "a depth-1 forest is worse");
  const loss = await hpoTask(iris, { model: "rf", seed: 1, metric: "loss" }).objective(CONFIG);
  assert.equal(loss, run.validation.loss);
});

Deno.test("rf hpo task: regression scores are the RMSE and MSE of the standardised target", async () => {
  const data = regressionData();
  const outcome = fitAndScoreForest(data, { ...CONFIG, nEstimators: 32 }, 0);
  assert.ok(outcome.validation.error < 0.5, `standardised RMSE ${outcome.validation.error}`);
  assert.ok(Math.abs(outcome.validation.loss - outcome.validation.error ** 2) < 1e-12);
  const task = hpoTask(data, { model: "rf", seed: 0 });
  const value = await task.objective({ ...CONFIG, nEstimators: 32 });
  assert.equal(value, outcome.validation.error);
});

Deno.test("rf hpo task: a study minimises it, bad configurations name the field", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const task = hpoTask(iris, { model: "rf", seed: 0 });
  const result = await minimize(task.objective, task.space, {
    budget: 4,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.equal(result.trials.length, 4);
  assert.ok(result.best.value < 0.5);
  await assert.rejects(() => task.evaluate({ ...CONFIG, maxFeatures: 2 }), /params\.maxFeatures/);
});

Deno.test("rf hpo task: evaluating the random forest does not load TensorFlow.js", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  await hpoTask(iris, { model: "rf", seed: 0, backend: "wasm" }).evaluate(CONFIG);
  // tfjs-core creates its engine on the global object when it is first imported.
  assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined);
});

Deno.test("hpoTask: labels are checked when the task is built, for every model and split", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const withLabel = (part: "train" | "validation" | "test", data: PreparedDataset, v: number) => {
    const y = data[part].y.slice();
    y[2] = v;
    return { ...data, [part]: { ...data[part], y } } as PreparedDataset;
  };
  for (const model of ["rf", "linear", "mlp"] as const) {
    for (const [v, got] of [[3, "3"], [NaN, "NaN"], [0.5, "0.5"], [-1, "-1"]] as const) {
      assert.throws(
        () => hpoTask(withLabel("validation", iris, v), { model }),
        (e: Error) =>
          e instanceof TypeError &&
          e.message ===
            `hpoTask.data.validation.y[2]: must be a class index in [0, 3), got ${got}`,
      );
    }
    assert.throws(
      () => hpoTask(withLabel("train", iris, 7), { model }),
      /hpoTask\.data\.train\.y\[2\]: must be a class index in \[0, 3\), got 7/,
    );
    assert.throws(
      () => hpoTask(withLabel("test", iris, 1.5), { model }),
      /hpoTask\.data\.test\.y\[2\]: must be a class index/,
    );
    const regression = regressionData();
    assert.throws(
      () => hpoTask(withLabel("validation", regression, Infinity), { model }),
      /hpoTask\.data\.validation\.y\[2\]: must be finite, got Infinity/,
    );
    assert.throws(
      () => hpoTask(withLabel("train", regression, NaN), { model }),
      /hpoTask\.data\.train\.y\[2\]: must be finite, got NaN/,
    );
  }
  // Valid labels still build (regression targets may be fractional or negative).
  assert.equal(
    hpoTask(withLabel("validation", regressionData(), -2.5), { model: "rf" }).model,
    "rf",
  );
  assert.equal(hpoTask(iris, { model: "rf" }).model, "rf");
});

Deno.test("tree hpo task: the space, one tree without bootstrap, stumps and depth, no TensorFlow.js", async () => {
  assert.deepEqual([...treeSpace.names], [
    "maxDepth",
    "minSamplesSplit",
    "minSamplesLeaf",
    "maxFeatures",
  ]);
  assert.equal(hpoSpace("tree"), treeSpace);
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const config = { maxDepth: 6, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 };
  const tree = fitAndScoreTree(iris, config, 3);
  // The same as a forest of one tree grown on every training row with every feature.
  const forest = new RandomForestClassifier({
    nEstimators: 1,
    bootstrap: false,
    maxFeatures: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxDepth: 6,
    seed: 3,
    classes: 3,
  }).fit({ data: iris.train.x, rows: iris.train.size, cols: iris.numFeatures }, iris.train.y);
  const proba = forest.predictProba({
    data: iris.validation.x,
    rows: iris.validation.size,
    cols: iris.numFeatures,
  });
  let wrong = 0;
  for (let i = 0; i < iris.validation.size; i++) {
    const row = proba.slice(3 * i, 3 * i + 3);
    if (row.indexOf(Math.max(...row)) !== iris.validation.y[i]) wrong++;
  }
  assert.equal(tree.validation.error, wrong / iris.validation.size);
  assert.equal(tree.steps, 1);
  assert.ok(tree.validation.error < 0.15, `iris tree error ${tree.validation.error}`);
  assert.deepEqual(fitAndScoreTree(iris, config, 3), tree);
  // A node needs more rows than the training set has to split: one leaf, the majority class.
  const stump = fitAndScoreTree(iris, { ...config, minSamplesSplit: iris.train.size + 1 }, 0);
  assert.ok(stump.validation.error > 0.5, `stump error ${stump.validation.error}`);
  const depthOne = fitAndScoreTree(iris, { ...config, maxDepth: 1 }, 0);
  assert.ok(iris.train.size < 64 ? stump.validation.error > 0.5 : true);
  assert.ok(depthOne.validation.error > tree.validation.error);
  const run = await hpoTask(iris, { model: "tree", seed: 3 }).evaluate(config);
  assert.deepEqual(run.validation, tree.validation);
  await assert.rejects(
    () => hpoTask(iris, { model: "tree" }).evaluate({ ...config, minSamplesSplit: 1 }),
    /params\.minSamplesSplit/,
  );
  // Regression: the RMSE of the standardised target, as for the forest.
  const reg = fitAndScoreTree(regressionData(), config, 0);
  assert.ok(reg.validation.error < 0.5, `standardised RMSE ${reg.validation.error}`);
  assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined);
});
