import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { prepareBuiltinDataset, type PreparedDataset } from "../../lib/data/mod.ts";
import { useBackend } from "../../lib/tfjs/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { minimize, randomSearch } from "../../lib/smbo/mod.ts";
import { HPO_MODELS, hpoSpace, hpoTask, linearSpace, mlpSpace } from "../../lib/tasks/hpo/mod.ts";
import { classificationScores, regressionScores } from "../../lib/tasks/hpo/train.ts";

await useBackend("wasm");

const MLP = {
  lr: 0.01,
  l2: 1e-4,
  hiddenUnits: 16,
  layers: 2,
  dropout: 0.2,
  batchSize: 16,
  epochs: 5,
};
const LINEAR = { lr: 0.05, l2: 1e-5, batchSize: 16, epochs: 10 };

/** A prepared regression dataset y = x·w + 0.5 (exactly linear), split 60/20/20 by hand. */
function linearData(n: number, d: number, scale = 1): PreparedDataset {
  const rng = new Rng(9);
  const w = Array.from({ length: d }, () => rng.normal());
  const split = (size: number) => {
    const x = Float64Array.from({ length: size * d }, () => rng.normal() * scale);
    const y = Float64Array.from(
      { length: size },
      (_, i) => w.reduce((s, wj, j) => s + wj * x[i * d + j], 0.5),
    );
    return { x, y, rows: Int32Array.from({ length: size }, (_, i) => i), size };
  };
  const names = Array.from({ length: d }, (_, j) => `x${j}`);
  return {
    task: "regression",
    target: "y",
    featureNames: names,
    numFeatures: d,
    classLabels: [],
    train: split(Math.round(n * 0.6)),
    validation: split(Math.round(n * 0.2)),
    test: split(Math.round(n * 0.2)),
    transform: { columns: [], standardize: false, featureNames: names },
    report: {
      source: "synthetic",
      rows: n,
      used: n,
      columns: [],
      dropped: [],
      missingPolicy: "impute",
      imputed: {},
    },
  };
}

const iris = await prepareBuiltinDataset("iris", { seed: 0 });

Deno.test("hpo spaces: every model has lr and l2 on log scales and the documented parameters", () => {
  assert.deepEqual([...HPO_MODELS], ["linear", "mlp", "rf", "knn", "krr", "tree", "gbt"]);
  assert.deepEqual([...linearSpace.names], ["lr", "l2", "batchSize", "epochs"]);
  assert.deepEqual(
    [...mlpSpace.names],
    ["lr", "l2", "hiddenUnits", "layers", "dropout", "batchSize", "epochs"],
  );
  for (const model of ["linear", "mlp"] as const) {
    const json = hpoSpace(model).toJSON();
    for (const name of ["lr", "l2"]) {
      const param = json.params.find((p) => p.name === name) as { log?: boolean };
      assert.equal(param.log, true, `${model}.${name}`);
    }
  }
  assert.throws(() => hpoSpace("svm" as "mlp"), /model: must be one of "linear", "mlp", "rf"/);
});

Deno.test("hpoTask: same seed, same configuration, identical results; another seed differs", async () => {
  for (const [model, config] of [["linear", LINEAR], ["mlp", MLP]] as const) {
    const a = await hpoTask(iris, { model, seed: 3 }).evaluate(config);
    const b = await hpoTask(iris, { model, seed: 3 }).evaluate(config);
    const c = await hpoTask(iris, { model, seed: 4 }).evaluate(config);
    assert.equal(a.status, "complete");
    assert.deepEqual(
      { v: a.validation, t: a.test, s: a.steps },
      { v: b.validation, t: b.test, s: b.steps },
    );
    assert.notEqual(a.validation.loss, c.validation.loss, `${model}: seed must matter`);
    // 90 training rows, batches of 16: 6 steps per epoch.
    assert.equal(a.steps, 6 * config.epochs);
    // An error rate of 30 validation rows is a multiple of 1/30.
    assert.ok(Math.abs(a.validation.error * 30 - Math.round(a.validation.error * 30)) < 1e-9);
  }
});

Deno.test("hpoTask: tensor count is stable across evaluations, failed ones included", async () => {
  const mlp = hpoTask(iris, { model: "mlp", seed: 0 });
  const linear = hpoTask(linearData(50, 3), { model: "linear", seed: 0 });
  const failing = hpoTask(linearData(50, 3, 1e25), { model: "linear", seed: 0 });
  await mlp.evaluate(MLP); // lets the backend allocate whatever it keeps
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    await mlp.evaluate({ ...MLP, layers: 1 + i, dropout: 0.1 * i });
    await linear.evaluate(LINEAR);
    assert.equal((await failing.evaluate(LINEAR)).status, "failed");
    await assert.rejects(() => mlp.objective({ ...MLP, lr: -1 }));
    assert.equal(tf.memory().numTensors, before, `after round ${i}`);
  }
});

Deno.test("hpoTask: a tfjs run that throws is a failed evaluation with the reason, as for the other models", async () => {
  const base = linearData(50, 3);
  let broken = false;
  // Rows that become unreadable after the task checked them: the run itself throws.
  const data: PreparedDataset = {
    ...base,
    get train() {
      if (broken) throw new Error("rows unreadable");
      return base.train;
    },
  };
  for (
    const [model, params, label] of [
      ["linear", LINEAR, "linear model"],
      ["mlp", MLP, "MLP"],
    ] as const
  ) {
    broken = false;
    const task = hpoTask(data, { model, seed: 0 });
    broken = true;
    const before = tf.memory().numTensors;
    const failed = await task.evaluate(params);
    assert.equal(failed.status, "failed");
    assert.equal(failed.reason, `${label} training failed: rows unreadable`);
    assert.ok(Number.isNaN(failed.validation.error) && Number.isNaN(failed.test.loss));
    assert.equal(tf.memory().numTensors, before);
    // Through minimize it is a failed trial; the study goes on.
    const result = await minimize(task.objective, task.space, {
      budget: 2,
      seed: 0,
      proposer: randomSearch(),
    });
    assert.deepEqual(result.trials.map((t) => t.status), ["failed", "failed"]);
  }
});

Deno.test("hpoTask mlp-opt: tensor count is stable across evaluations with every optimiser", async () => {
  const task = hpoTask(iris, { model: "mlp-opt", seed: 0 });
  const base = { ...MLP, layers: 1, dropout: 0, epochs: 2 };
  const optimizers = [
    { optimizer: "sgd", momentum: 0, nesterov: false },
    { optimizer: "sgd", momentum: 0.9, nesterov: false },
    { optimizer: "sgd", momentum: 0.9, nesterov: true },
    { optimizer: "adam", beta1: 0.9, beta2: 0.999 },
    { optimizer: "rmsprop", rho: 0.9 },
  ];
  await task.evaluate({ ...base, ...optimizers[0] }); // lets the backend allocate what it keeps
  for (const optimizer of optimizers) {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      assert.equal((await task.evaluate({ ...base, ...optimizer })).status, "complete");
      await task.objective({ ...base, ...optimizer, lr: 0.02 });
    }
    assert.equal(tf.memory().numTensors, before, JSON.stringify(optimizer));
  }
});

Deno.test("hpoTask: linear regression fits an exactly linear target; objective is the validation error", async () => {
  const data = linearData(400, 4);
  const task = hpoTask(data, { model: "linear", seed: 1 });
  const run = await task.evaluate({ lr: 0.05, l2: 1e-7, batchSize: 16, epochs: 32 });
  assert.equal(run.status, "complete");
  assert.ok(run.validation.error < 0.02, `RMSE on the standardised target ${run.validation.error}`);
  assert.ok(Math.abs(run.validation.loss - run.validation.error ** 2) < 1e-12);
  assert.ok(run.seconds > 0);
  const underfit = await task.evaluate({ lr: 1e-4, l2: 1e-7, batchSize: 256, epochs: 2 });
  assert.ok(underfit.validation.error > 0.5, "two tiny steps cannot fit");
  assert.equal(
    await task.objective({ lr: 0.05, l2: 1e-7, batchSize: 16, epochs: 32 }),
    run.validation.error,
  );
  const byLoss = hpoTask(data, { model: "linear", seed: 1, metric: "loss" });
  assert.equal(
    await byLoss.objective({ lr: 0.05, l2: 1e-7, batchSize: 16, epochs: 32 }),
    run.validation.loss,
  );
});

Deno.test("hpoTask: MLP learns iris; the cpu backend agrees on the validation loss", async () => {
  const config = { ...MLP, epochs: 30, dropout: 0 };
  const wasm = await hpoTask(iris, { model: "mlp", seed: 2 }).evaluate(config);
  const cpu = await hpoTask(iris, { model: "mlp", seed: 2, backend: "cpu" }).evaluate(config);
  await useBackend("wasm");
  assert.ok(wasm.validation.error <= 0.1, `iris validation error ${wasm.validation.error}`);
  assert.ok(Math.abs(cpu.validation.loss - wasm.validation.loss) < 1e-3);
});

Deno.test("hpoTask({ backend }): each evaluation runs on it, and the process's backend is restored", async () => {
  const config = { ...MLP, epochs: 3 };
  const plain = hpoTask(iris, { model: "mlp", seed: 4, metric: "loss" });
  assert.equal(tf.getBackend(), "wasm");
  const before = await plain.objective(config);
  const onCpu = await hpoTask(iris, { model: "mlp", seed: 4, backend: "cpu" }).evaluate(config);
  assert.equal(tf.getBackend(), "wasm", "restored after an evaluation");
  // A failed evaluation restores it too.
  const diverging = hpoTask(linearData(50, 3, 1e25), { model: "linear", seed: 0, backend: "cpu" });
  assert.equal((await diverging.evaluate(LINEAR)).status, "failed");
  assert.equal(tf.getBackend(), "wasm");
  // A task without `backend` runs where it ran before: the same value.
  assert.equal(await plain.objective(config), before);
  // The evaluation ran on cpu: what the task gives with cpu as the process's backend.
  await useBackend("cpu");
  try {
    const cpu = await hpoTask(iris, { model: "mlp", seed: 4 }).evaluate(config);
    assert.deepEqual(cpu.validation, onCpu.validation);
  } finally {
    await useBackend("wasm");
  }
});

Deno.test("hpoTask: a diverging run is a failed trial in minimize", async () => {
  const task = hpoTask(linearData(50, 3, 1e25), { model: "linear", seed: 0, id: "huge" });
  const run = await task.evaluate(LINEAR);
  assert.equal(run.status, "failed");
  assert.match(run.reason!, /diverged|non-finite/);
  assert.ok(Number.isNaN(run.validation.error) && Number.isNaN(run.test.error));
  await assert.rejects(() => task.objective(LINEAR), /huge: /);
  const result = await minimize(task.objective, task.space, {
    budget: 3,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.equal(result.trials.length, 3);
  for (const trial of result.trials) {
    assert.equal(trial.status, "failed");
    assert.match(trial.error!, /huge: /);
  }
});

Deno.test("hpoTask: runs inside minimize and finds a configuration better than the worst", async () => {
  const task = hpoTask(iris, { model: "linear", seed: 0 });
  const result = await minimize(task.objective, task.space, {
    budget: 4,
    seed: 1,
    proposer: randomSearch(),
  });
  assert.ok(result.trials.every((t) => t.status === "complete"));
  assert.ok(result.best.value <= Math.max(...result.trials.map((t) => t.value!)));
});

Deno.test("hpoTask: bad configurations and options throw errors naming the field", async () => {
  const task = hpoTask(iris, { model: "mlp" });
  await assert.rejects(() => task.evaluate({ ...MLP, lr: 5 }), /params\.lr/);
  await assert.rejects(() => task.evaluate({ ...MLP, layers: 2.5 }), /params\.layers/);
  const { hiddenUnits: _, ...missing } = MLP;
  await assert.rejects(() => task.evaluate(missing), /params\.hiddenUnits/);
  await assert.rejects(() => task.evaluate({ ...MLP, momentum: 0.9 }), /params.*momentum/);
  await assert.rejects(() => hpoTask(iris, { model: "linear" }).evaluate(MLP), /params/);
  assert.throws(() => hpoTask(iris, { model: "svm" as "mlp" }), /hpoTask\.options\.model/);
  assert.throws(() => hpoTask(iris, { model: "mlp", seed: 0.5 }), /hpoTask\.options\.seed/);
  assert.throws(
    () => hpoTask(iris, { model: "mlp", metric: "auc" as "loss" }),
    /hpoTask\.options\.metric/,
  );
  assert.throws(
    () => hpoTask(iris, { model: "mlp", backend: "webgl" as "cpu" }),
    /hpoTask\.options\.backend/,
  );
  const broken = { ...iris, train: { ...iris.train, x: iris.train.x.subarray(1) } };
  assert.throws(() => hpoTask(broken, { model: "mlp" }), /hpoTask\.data\.train\.x/);
  const oneClass = { ...iris, classLabels: ["a"] };
  assert.throws(() => hpoTask(oneClass, { model: "mlp" }), /hpoTask\.data\.classLabels/);
});

Deno.test("scores: misclassification rate, cross-entropy and RMSE by hand", () => {
  // Row 0 logits (2, 0): class 0, loss log(1 + e^-2); row 1 logits (0, 0), label 1: a tie goes
  // to class 0 (wrong), loss log 2.
  const s = classificationScores([2, 0, 0, 0], [0, 1], 2);
  assert.equal(s.error, 0.5);
  assert.ok(Math.abs(s.loss - (Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2) < 1e-12);
  const r = regressionScores([1, 2, 3], [1, 1, 1]);
  assert.ok(Math.abs(r.loss - 5 / 3) < 1e-12);
  assert.ok(Math.abs(r.error - Math.sqrt(5 / 3)) < 1e-12);
});

Deno.test("hpoTask mlp-opt: a conditional space whose optimiser parameters reach training", async () => {
  const space = hpoSpace("mlp-opt");
  assert.equal(space.conditional, true);
  const base = {
    lr: 0.05,
    l2: 1e-5,
    hiddenUnits: 16,
    layers: 1,
    dropout: 0,
    batchSize: 16,
    epochs: 8,
  };
  const task = hpoTask(iris, { model: "mlp-opt", seed: 3 });
  const loss = async (config: Record<string, unknown>) => {
    const run = await task.evaluate({ ...base, ...config });
    assert.equal(run.status, "complete", run.reason);
    return run.validation.loss;
  };
  const sgd0 = await loss({ optimizer: "sgd", momentum: 0, nesterov: false });
  const sgd9 = await loss({ optimizer: "sgd", momentum: 0.9, nesterov: false });
  const nesterov = await loss({ optimizer: "sgd", momentum: 0.9, nesterov: true });
  assert.notEqual(sgd0, sgd9);
  assert.notEqual(sgd9, nesterov);
  const adamA = await loss({ optimizer: "adam", beta1: 0.9, beta2: 0.999 });
  const adamB = await loss({ optimizer: "adam", beta1: 0.5, beta2: 0.9 });
  assert.notEqual(adamA, adamB);
  // Adam with tfjs's default β's is the plain "mlp" model's training.
  const mlp = await hpoTask(iris, { model: "mlp", seed: 3 }).evaluate({ ...base, lr: 0.05 });
  assert.equal(adamA, mlp.validation.loss);
  const rmsA = await loss({ optimizer: "rmsprop", rho: 0.9 });
  const rmsB = await loss({ optimizer: "rmsprop", rho: 0.8 });
  assert.notEqual(rmsA, rmsB);
  await assert.rejects(
    () => task.evaluate({ ...base, optimizer: "adam", beta1: 0.9, beta2: 0.999, momentum: 0.9 }),
    /params\.momentum: inactive \(requires optimizer = "sgd"\)/,
  );
  await assert.rejects(
    () => task.evaluate({ ...base, optimizer: "adam", beta1: 0.9 }),
    /params\.beta2: missing/,
  );
  // minimize turns a throw of the objective into a failed trial: what the objective saw is
  // recorded and checked here, after the run, and every trial must have completed.
  const seen: Record<string, unknown>[] = [];
  const result = await minimize(
    async (p) => {
      seen.push({ ...p });
      return await task.objective({ ...p, epochs: 2 });
    },
    task.space,
    { budget: 4, seed: 0, proposer: randomSearch() },
  );
  assert.equal(result.trials.length, 4);
  for (const t of result.trials) assert.equal(t.status, "complete", t.error);
  assert.equal(seen.length, 4);
  for (const p of seen) {
    const keys = Object.keys(p);
    if (p.optimizer !== "sgd") {
      assert.ok(!keys.includes("momentum") && !keys.includes("nesterov"), JSON.stringify(p));
    }
    if (p.optimizer !== "adam") {
      assert.ok(!keys.includes("beta1") && !keys.includes("beta2"), JSON.stringify(p));
    }
    if (p.optimizer !== "rmsprop") assert.ok(!keys.includes("rho"), JSON.stringify(p));
  }
});

Deno.test("hpoTask: a non-finite feature is refused naming the split, the row and the column", () => {
  const data = linearData(50, 3);
  for (const part of ["train", "validation", "test"] as const) {
    for (const bad of [NaN, Infinity]) {
      const x = Float64Array.from(data[part].x);
      x[1 * 3 + 2] = bad;
      assert.throws(
        () => hpoTask({ ...data, [part]: { ...data[part], x } }, { model: "knn" }),
        (error: Error) =>
          error instanceof TypeError &&
          error.message.includes(
            `hpoTask.data.${part}.x[5]: must be finite, got ${bad} (row 1, column 2)`,
          ),
      );
    }
  }
});

Deno.test("hpoTask: every model reports a run whose scores are not finite as failed", async () => {
  // A feature of 1e300 is finite, but its distances overflow: k-NN's neighbour weights are NaN.
  const data = linearData(50, 3);
  const x = Float64Array.from(data.validation.x);
  x[0] = 1e300;
  const huge = { ...data, validation: { ...data.validation, x } };
  const configs: Record<string, Record<string, unknown>> = {
    linear: LINEAR,
    rf: { nEstimators: 8, maxFeatures: 0.5, minSamplesLeaf: 1, maxDepth: 8, bootstrap: true },
    knn: { k: 5, p: 2, kernel: "inv" },
    krr: { alpha: 0.1, gamma: 0.1, kernel: "rbf" },
    tree: { maxDepth: 4, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
    gbt: { learningRate: 0.1, nRounds: 8, maxDepth: 2, minSamplesLeaf: 1, subsample: 1, l2: 1 },
  };
  for (const [model, config] of Object.entries(configs)) {
    const run = await hpoTask(huge, { model: model as "knn", seed: 0 }).evaluate(config);
    const scores = [run.validation.error, run.validation.loss, run.test.error, run.test.loss];
    if (run.status === "failed") {
      assert.match(run.reason!, /non-finite/, model);
      assert.ok(scores.every(Number.isNaN), model);
    } else {
      assert.ok(scores.every(Number.isFinite), `${model}: complete with scores ${scores}`);
    }
  }
  const knn = await hpoTask(huge, { model: "knn" }).evaluate(configs.knn);
  assert.equal(knn.status, "failed");
  assert.equal(knn.reason, "k-NN failed: non-finite error (NaN) on the validation rows");
  assert.equal(knn.steps, 30 * (10 + 10));
  await assert.rejects(() => hpoTask(huge, { model: "knn" }).objective(configs.knn), /k-NN failed/);
});
