import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  ANIL,
  createLearner,
  disposeBatch,
  episodeBatch,
  LearnedHyperparameters,
  LEARNER_KINDS,
  MAML,
  type MetaLearner,
  metaOptimizer,
  MetaSGD,
  metaStep,
  metaTest,
  metaTrain,
  mlp,
  mse,
  NonFiniteLossError,
  Pretrained,
  Reptile,
  softmaxCrossEntropy,
  tileTasks,
  useBackend,
} from "../../lib/maml/mod.ts";
import type { LearnerKind } from "../../lib/maml/kinds.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

const small = () => mlp({ sizes: [1, 8, 8, 1] });
const snapshot = (learner: MetaLearner) => learner.variables.map((v) => Array.from(v.dataSync()));
const batchOf = (learner: MetaLearner, seed: number, n = 4) =>
  episodeBatch(
    episodeSampler(sinusoid, { shots: 5, queryShots: 5 })(new Rng(seed), n),
    learner.model,
  );

Deno.test("ANIL adapts only the head in the inner loop", () => {
  const anil = new ANIL(small(), { innerLr: 0.05, seed: 1 });
  const batch = batchOf(anil, 2);
  const start = tileTasks(anil.theta, 4);
  const adapted = anil.adaptFrom(start, batch.supportX, batch.supportY, 3);
  const changed = adapted.map((p, i) => tf.max(tf.abs(tf.sub(p, start[i]))).dataSync()[0] > 0);
  assert.deepEqual(changed, [false, false, false, false, true, true]);
  // The body still learns in the outer loop: its meta-gradient is not zero.
  const { loss, grads } = anil.metaGradients(batch);
  assert.ok(tf.max(tf.abs(grads[0])).dataSync()[0] > 0);
  tf.dispose([loss, ...grads, ...start, ...adapted, ...Object.values(batch)]);
  anil.dispose();
});

Deno.test("Reptile moves θ by ε·(mean adapted − θ) under SGD", () => {
  const reptile = new Reptile(small(), { innerLr: 0.02, innerSteps: 3, seed: 4 });
  const batch = batchOf(reptile, 5);
  const before = reptile.theta.map((v) => v.clone());
  const adapted = reptile.adaptFrom(tileTasks(reptile.theta, 4), batch.supportX, batch.supportY, 3);
  const target = adapted.map((a) => tf.mean(a, 0));
  const sgd = metaOptimizer({ kind: "sgd", lr: 0.5 });
  metaStep(reptile, batch, sgd);
  reptile.theta.forEach((theta, i) => {
    const expected = tf.add(before[i], tf.mul(0.5, tf.sub(target[i], before[i])));
    const err = tf.max(tf.abs(tf.sub(theta, expected))).dataSync()[0];
    assert.ok(err < 1e-6, `param ${i}: error ${err}`);
    const moved = tf.max(tf.abs(tf.sub(theta, before[i]))).dataSync()[0];
    assert.ok(moved > 0, `param ${i} moved`);
  });
  sgd.dispose();
  reptile.dispose();
});

for (const kind of LEARNER_KINDS) {
  Deno.test(`${kind}: no tensor leak across meta-iterations, evaluation and clones`, async () => {
    const learner = createLearner(kind, small(), { seed: 0, innerSteps: 2 });
    const source = episodeSampler(sinusoid, { shots: 5, queryShots: 5 });
    const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 7 });
    await metaTrain(learner, { source, iterations: 2, metaBatchSize: 3 });
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      await metaTrain(learner, { source, iterations: 3, metaBatchSize: 3, seed: round });
      metaTest(learner, episodes, { steps: [0, 1, 3], chunk: 4 });
      const fast = learner.clone();
      const x = tf.ones([2, 4, 1]) as tf.Tensor3D;
      fast.adapt(x, x, 2);
      tf.dispose([fast.predict(x), x]);
      fast.dispose();
      counts.push(tf.memory().numTensors);
    }
    assert.equal(counts[1], counts[0], `tensor counts ${counts}`);
    assert.equal(counts[2], counts[0], `tensor counts ${counts}`);
    learner.dispose();
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`${backend}: the same seed gives the same meta-trained parameters`, async () => {
    await useBackend(backend);
    const run = async (seed: number) => {
      const learner = new MetaSGD(small(), { seed });
      await metaTrain(learner, {
        source: episodeSampler(sinusoid),
        iterations: 4,
        metaBatchSize: 5,
        seed,
      });
      const values = snapshot(learner);
      learner.dispose();
      return values;
    };
    assert.deepEqual(await run(11), await run(11));
    assert.notDeepEqual(await run(11), await run(12));
    await useBackend("cpu");
  });
}

Deno.test("the initialisation is the same on cpu and wasm for a seed", async () => {
  await useBackend("wasm");
  const a = new MAML(small(), { seed: 9 });
  const onWasm = snapshot(a);
  a.dispose();
  await useBackend("cpu");
  const b = new MAML(small(), { seed: 9 });
  assert.deepEqual(snapshot(b), onWasm);
  b.dispose();
});

Deno.test("clone/adapt: bad inputs throw clear errors and keep the parameters", () => {
  const maml = new MAML(small(), { seed: 2 });
  const learner = maml.clone();
  const x = tf.ones([2, 5, 1]) as tf.Tensor3D;
  learner.adapt(x, tf.zeros([2, 5, 1]) as tf.Tensor3D, 1);
  const before = learner.params.map((p) => Array.from(p.dataSync()));
  const unchanged = () =>
    assert.deepEqual(learner.params.map((p) => Array.from(p.dataSync())), before);
  assert.throws(() => learner.adapt(x, tf.zeros([2, 4, 1]) as tf.Tensor3D), /shape mismatch/);
  unchanged();
  assert.throws(
    () => learner.adapt(tf.zeros([2, 0, 1]) as tf.Tensor3D, tf.zeros([2, 0, 1]) as tf.Tensor3D),
    /empty set/,
  );
  unchanged();
  assert.throws(() => learner.adapt(tf.ones([2, 5, 3]) as tf.Tensor3D, x), /expects 1/);
  unchanged();
  assert.throws(
    () => learner.adapt(tf.ones([3, 5, 1]) as tf.Tensor3D, tf.ones([3, 5, 1]) as tf.Tensor3D),
    /adapted to 2/,
  );
  unchanged();
  // A NaN or infinite input is named before anything is computed.
  assert.throws(
    () => learner.adapt(x, tf.fill([2, 5, 1], NaN) as tf.Tensor3D),
    (e: unknown) =>
      e instanceof DataError &&
      e.message === "adapt: y[0] (task 0, point 0): must be finite, got NaN",
  );
  unchanged();
  const infinite = tf.ones([2, 5, 1]).bufferSync();
  infinite.set(-Infinity, 1, 3, 0);
  assert.throws(
    () => learner.adapt(infinite.toTensor() as tf.Tensor3D, x),
    (e: unknown) =>
      e instanceof DataError &&
      e.message === "adapt: x[8] (task 1, point 3): must be finite, got -Infinity",
  );
  unchanged();
  // Finite targets whose squared error overflows float32: a non-finite loss.
  assert.throws(
    () => learner.adapt(x, tf.fill([2, 5, 1], 1e30) as tf.Tensor3D),
    NonFiniteLossError,
  );
  unchanged();
  assert.throws(() => learner.adapt(x, x, -1), /non-negative integer/);
  unchanged();
  assert.equal(learner.steps, 1);
  learner.dispose();
  maml.dispose();
});

Deno.test("an outer loop over clone/adapt/evaluate reproduces metaGradients, of its order", () => {
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 6 });
  const loop = (kind: "maml" | "fomaml") => {
    const learner = createLearner(kind, small(), { innerLr: 0.02, innerSteps: 2, seed: 4 });
    const batch = episodeBatch(episodes, learner.model);
    const theta = learner.variables.slice(0, learner.model.paramShapes.length) as tf.Variable[];
    const fast: { dispose(): void }[] = [];
    // learn2learn's outer loop: clone, adapt on the support set, the query loss, its gradient.
    const { value, grads } = tf.variableGrads(() => {
      const h = learner.clone();
      fast.push(h);
      h.adapt(batch.supportX, batch.supportY, 2);
      return tf.mean(h.evaluate(batch.queryX, batch.queryY)) as tf.Scalar;
    }, theta);
    const ours = learner.metaGradients(batch);
    const result = {
      loop: theta.flatMap((t) => Array.from(grads[t.name].dataSync())),
      own: ours.grads.flatMap((g) => Array.from(g.dataSync())),
      loss: [value.dataSync()[0], ours.loss.dataSync()[0]],
    };
    fast.forEach((h) => h.dispose());
    tf.dispose([value, ...Object.values(grads), ours.loss, ...ours.grads]);
    disposeBatch(batch);
    learner.dispose();
    return result;
  };
  const gap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const maml = loop("maml");
  const fomaml = loop("fomaml");
  for (const [name, r] of [["maml", maml], ["fomaml", fomaml]] as const) {
    assert.ok(Math.abs(r.loss[0] - r.loss[1]) < 1e-6, `${name} loss ${r.loss}`);
    assert.ok(gap(r.loop, r.own) < 1e-5, `${name}: loop vs metaGradients ${gap(r.loop, r.own)}`);
  }
  // The two orders differ: fomaml's loop is not the second-order gradient.
  assert.ok(gap(fomaml.loop, maml.own) > 1e-3, `fomaml vs maml ${gap(fomaml.loop, maml.own)}`);
});

Deno.test("metaStep: a non-finite meta-loss throws and leaves the learner unchanged", () => {
  const metaSgd = new MetaSGD(small(), { seed: 3 });
  const good = batchOf(metaSgd, 1);
  // Finite targets whose squared error overflows float32.
  const bad = {
    ...good,
    queryY: tf.fill(good.queryY.shape, 1e30) as tf.Tensor3D,
  };
  const before = snapshot(metaSgd);
  const adam = metaOptimizer();
  assert.throws(() => metaStep(metaSgd, bad, adam), NonFiniteLossError);
  assert.deepEqual(snapshot(metaSgd), before);
  const mismatched = {
    ...good,
    queryX: tf.ones([3, 5, 1]) as tf.Tensor3D,
    queryY: tf.ones([3, 5, 1]) as tf.Tensor3D,
  };
  assert.throws(() => metaStep(metaSgd, mismatched, adam), /3 query tasks/);
  assert.deepEqual(snapshot(metaSgd), before);
  assert.ok(Number.isFinite(metaStep(metaSgd, good, adam)));
  assert.notDeepEqual(snapshot(metaSgd), before);
  adam.dispose();
  metaSgd.dispose();
});

Deno.test("a divergent run is a result: metaTrain reports it, metaTest reports NaN", async () => {
  const maml = new MAML(small(), { innerLr: 100, innerSteps: 10, seed: 1 });
  const result = await metaTrain(maml, { source: episodeSampler(sinusoid), iterations: 5 });
  assert.equal(result.diverged, true);
  assert.match(result.divergence!, /iteration 1: meta-(loss|gradient)/);
  assert.equal(result.iterations, 0);
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 10 });
  const [zero, ten] = metaTest(maml, episodes, { steps: [0, 10] });
  assert.equal(zero.diverged, false);
  assert.ok(Number.isFinite(zero.mean));
  assert.equal(ten.diverged, true);
  assert.equal(ten.nonFinite, 10);
  assert.ok(Number.isNaN(ten.mean));
  maml.dispose();
});

Deno.test("learned weight decay is kept non-negative after each meta-step", () => {
  const lhp = new LearnedHyperparameters(small(), { weightDecay: 0, seed: 1 });
  const adam = metaOptimizer({ lr: 0.1 });
  for (let i = 0; i < 5; i++) metaStep(lhp, batchOf(lhp, i), adam);
  const decay = lhp.variables[lhp.variableKeys.indexOf("weightDecay")].dataSync()[0];
  assert.ok(decay >= 0, `λ = ${decay}`);
  adam.dispose();
  lhp.dispose();
});

Deno.test("pretrained baseline minimises the loss over all points without adaptation", () => {
  const baseline = new Pretrained(small(), { seed: 1 });
  const batch = batchOf(baseline, 3);
  const { loss } = baseline.metaGradients(batch);
  const x = tf.concat([batch.supportX, batch.queryX], 1) as tf.Tensor3D;
  const y = tf.concat([batch.supportY, batch.queryY], 1) as tf.Tensor3D;
  const direct = tf.mean(
    baseline.loss.value(baseline.model.forward(tileTasks(baseline.theta, 4), x), y),
  );
  assert.ok(Math.abs(loss.dataSync()[0] - direct.dataSync()[0]) < 1e-6);
  baseline.dispose();
});

Deno.test("options are validated with the field named", () => {
  assert.throws(() => new MAML(small(), { innerLr: -1 }), /MAML\.innerLr/);
  assert.throws(() => new MetaSGD(small(), { innerSteps: 0 }), /MetaSGD\.innerSteps/);
  assert.throws(
    // @ts-expect-error: wrong enum on purpose
    () => new LearnedHyperparameters(small(), { lrGranularity: "per-layer" }),
    /LearnedHyperparameters\.lrGranularity/,
  );
  // @ts-expect-error: unknown key on purpose
  assert.throws(() => new Reptile(small(), { innerLR: 0.1 }), /Reptile/);
  assert.throws(() => mlp({ sizes: [1] }), /mlp\.sizes/);
  assert.throws(() => metaOptimizer({ lr: 0 }), /metaOptimizer\.lr/);
  assert.throws(() => createLearner("nope" as never, small()), /unknown kind/);
  const maml = new MAML(small());
  return metaTrain(maml, { source: episodeSampler(sinusoid), iterations: 0 }).then(
    () => assert.fail("should reject"),
    (e) => {
      assert.match(String(e), /metaTrain\.iterations/);
      maml.dispose();
    },
  );
});

Deno.test("metaTrain calls progress, validation and checkpoint hooks", async () => {
  const maml = new MAML(small(), { seed: 0 });
  const seen: string[] = [];
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 6 });
  const result = await metaTrain(maml, {
    source: episodeSampler(sinusoid),
    iterations: 6,
    metaBatchSize: 2,
    validation: episodes,
    validateEvery: 3,
    progressEvery: 2,
    checkpointEvery: 3,
    onProgress: (p) =>
      void seen.push(`p${p.iteration}${p.validationLoss === undefined ? "" : "v"}`),
    onCheckpoint: (it) => void seen.push(`c${it}`),
  });
  assert.deepEqual(seen, ["p2", "p3v", "c3", "p4", "p6v", "c6"]);
  assert.equal(result.validation.length, 2);
  assert.equal(result.losses.length, 6);
  maml.dispose();
});

Deno.test("creating and disposing any learner leaves no tensor behind", async () => {
  await useBackend("cpu");
  for (const kind of LEARNER_KINDS) {
    const before = tf.memory().numTensors;
    const learner = createLearner(
      kind,
      mlp({ sizes: [1, 8, 1], activation: "relu" }),
      { innerLr: 0.01, innerSteps: 2, seed: 0 },
    );
    learner.dispose();
    assert.equal(tf.memory().numTensors, before, kind);
  }
});

Deno.test("a model whose init gives wrong sizes: a named error, no tensor allocated", () => {
  const base = small();
  const wrongSize = {
    ...base,
    init: (rng: Rng) => base.init(rng).map((v, i) => (i === 2 ? v.slice(1) : v)),
  };
  const wrongCount = { ...base, init: (rng: Rng) => base.init(rng).slice(1) };
  const nonFinite = {
    ...base,
    init: (rng: Rng) => base.init(rng).map((v, i) => (i === 1 ? v.map(() => NaN) : v)),
  };
  const kinds = LEARNER_KINDS;
  const before = tf.memory().numTensors;
  for (const kind of kinds) {
    assert.throws(
      () => createLearner(kind, wrongSize),
      /model\.init: parameter 2 \(theta\.2\) has 63 value\(s\), expected 64 for shape \[8, 8\]/,
      kind,
    );
    assert.throws(
      () => createLearner(kind, wrongCount),
      /model\.init: returned 5 parameter\(s\), paramShapes has 6/,
    );
    assert.throws(
      () => createLearner(kind, nonFinite),
      /parameter 1 \(theta\.1\) has the non-finite value NaN/,
    );
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("createLearner: options are typed by kind, as the classes' constructors take them", () => {
  const before = tf.memory().numTensors;
  assert.throws(
    // @ts-expect-error a misspelt key, as for new MAML(model, { innerLR })
    () => createLearner("maml", small(), { innerLR: 0.5 }),
    /MAML\.innerLR: unknown key/,
  );
  assert.throws(
    // @ts-expect-error lrGranularity is LearnedHyperparameters' own option
    () => createLearner("reptile", small(), { lrGranularity: "per-element" }),
    /Reptile\.lrGranularity: unknown key/,
  );
  assert.throws(
    // @ts-expect-error not one of its values
    () => createLearner("learned-hp", small(), { lrGranularity: "per-layer" }),
    /LearnedHyperparameters\.lrGranularity/,
  );
  assert.equal(tf.memory().numTensors, before);
  const built = [
    createLearner("learned-hp", small(), { lrGranularity: "per-element", weightDecay: 0.01 }),
    createLearner("reptile", small(), { innerSteps: 3, loss: mse }),
  ];
  // A kind known only at run time takes the options of any kind.
  const kind = "anil" as LearnerKind;
  built.push(createLearner(kind, small(), { innerLr: 0.02, seed: 1 }));
  assert.deepEqual(built.map((l) => l.kind), ["learned-hp", "reptile", "anil"]);
  for (const learner of built) learner.dispose();
});

Deno.test("createLearner: firstOrder must agree with maml / fomaml", () => {
  const message = (value: unknown, kind: string) =>
    `createLearner: options.firstOrder: ${JSON.stringify(value)} contradicts kind "${kind}" ` +
    '(kind "maml" is second order, "fomaml" first order)';
  const before = tf.memory().numTensors;
  assert.throws(
    () => createLearner("maml", small(), { firstOrder: true }),
    (e: unknown) => e instanceof TypeError && e.message === message(true, "maml"),
  );
  assert.throws(
    () => createLearner("fomaml", small(), { firstOrder: false }),
    (e: unknown) => e instanceof TypeError && e.message === message(false, "fomaml"),
  );
  assert.throws(
    // @ts-expect-error firstOrder is a boolean
    () => createLearner("fomaml", small(), { firstOrder: "yes" }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === 'createLearner: options.firstOrder: must be a boolean, got "yes"',
  );
  assert.equal(tf.memory().numTensors, before);
  const consistent = [
    createLearner("maml", small(), { firstOrder: false }),
    createLearner("fomaml", small(), { firstOrder: true }),
    createLearner("anil", small(), { firstOrder: true }),
  ];
  assert.deepEqual(consistent.map((l) => l.kind), ["maml", "fomaml", "anil"]);
  consistent.forEach((l) => l.dispose());
});

Deno.test("softmaxCrossEntropy with a 1-output model is refused when the learner is created", () => {
  const one = mlp({ sizes: [1, 8, 1] });
  const before = tf.memory().numTensors;
  for (const [kind, name] of [["maml", "MAML"], ["reptile", "Reptile"], ["metasgd", "MetaSGD"]]) {
    assert.throws(
      () => createLearner(kind as LearnerKind, one, { loss: softmaxCrossEntropy }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message === `${name}: options.loss: softmaxCrossEntropy needs a model with at least 2 ` +
            "outputs (one logit per class), model.outputDim is 1",
    );
  }
  assert.equal(tf.memory().numTensors, before);
  createLearner("maml", mlp({ sizes: [1, 8, 2] }), { loss: softmaxCrossEntropy }).dispose();
});

Deno.test("createLearner names a kind, model or options argument of the wrong type", () => {
  assert.throws(
    () => createLearner("maml", undefined as never),
    /createLearner: model: must be a FunctionalModel/,
  );
  assert.throws(() => createLearner("maml", null as never), /createLearner: model: .*got null/);
  assert.throws(
    () => createLearner(undefined as never, small()),
    /createLearner: kind: unknown kind undefined/,
  );
  assert.throws(
    () => createLearner("maml", small(), 5 as never),
    /createLearner: options: must be an options object/,
  );
  assert.throws(
    () => createLearner("maml", { ...small(), forward: 3 } as never),
    /MAML: model\.forward: must be a function/,
  );
  assert.throws(
    () => createLearner("anil", { ...small(), headIndices: [9] }),
    /ANIL: model\.headIndices\[0\]: 9 is not a parameter index/,
  );
  assert.throws(
    () => new MAML(small(), { loss: {} as never }),
    /MAML: options\.loss must be a TaskLoss/,
  );
});

Deno.test("ANIL on a model without head parameters is an error naming model.headIndices", () => {
  // ANIL's inner loop adapts only model.headIndices: with none it would adapt nothing, and
  // metaTest would report the same loss at every step count.
  const headless = { ...small(), headIndices: [] };
  const message = /ANIL: model\.headIndices is empty: ANIL adapts only the head/;
  const before = tf.memory().numTensors;
  assert.throws(() => new ANIL(headless, { innerLr: 0.01 }), message);
  assert.throws(() => new ANIL(headless, { firstOrder: true }), message);
  assert.throws(() => createLearner("anil", headless), message);
  assert.equal(tf.memory().numTensors, before, "nothing allocated");
  // The learners that adapt every parameter do not read headIndices.
  for (const kind of LEARNER_KINDS.filter((k) => k !== "anil")) {
    createLearner(kind, headless).dispose();
  }
  new ANIL(small()).dispose();
});

Deno.test("second order needs model.parameterGradients and loss.outputGradient: named error", () => {
  // The model without its hand-written backward pass (nor the fused engine's description), and a
  // loss without its output gradient: tfjs's nested tf.grads would drop second-order terms.
  const { parameterGradients: _, architecture: __, ...noBackward } = small();
  const valueOnly = { value: mse.value };
  const message = (name: string, missing: string) =>
    `${name}: ${missing} is missing: a second-order meta-gradient (firstOrder false) ` +
    "differentiates through the inner loop's support gradients, which tfjs computes exactly " +
    "only from them (its fallback, tf.grads inside tf.grads, drops terms); provide " +
    `${missing}, or use first order (firstOrder: true; for MAML the "fomaml" kind)`;
  const before = tf.memory().numTensors;
  const secondOrder = [
    ["maml", "MAML"],
    ["anil", "ANIL"],
    ["metasgd", "MetaSGD"],
    ["learned-hp", "LearnedHyperparameters"],
  ] as const;
  for (const [kind, name] of secondOrder) {
    assert.throws(
      () => createLearner(kind, noBackward),
      (e: unknown) =>
        e instanceof TypeError && e.message === message(name, "model.parameterGradients"),
      kind,
    );
    assert.throws(
      () => createLearner(kind, small(), { loss: valueOnly }),
      (e: unknown) =>
        e instanceof TypeError && e.message === message(name, "options.loss.outputGradient"),
      kind,
    );
  }
  assert.throws(
    () => new MAML(noBackward, { loss: valueOnly }),
    /MAML: model\.parameterGradients and options\.loss\.outputGradient are missing/,
  );
  assert.equal(tf.memory().numTensors, before, "nothing allocated");
  // First order, Reptile and the baseline keep the tf.grads fallback.
  const firstOrder = [
    createLearner("fomaml", noBackward, { seed: 3, innerSteps: 2 }),
    createLearner("anil", noBackward, { seed: 3, firstOrder: true }),
    createLearner("metasgd", small(), { seed: 3, firstOrder: true, loss: valueOnly }),
    createLearner("learned-hp", noBackward, { seed: 3, firstOrder: true }),
    createLearner("reptile", noBackward, { seed: 3 }),
    createLearner("pretrained", small(), { seed: 3, loss: valueOnly }),
  ];
  // The fallback's first-order meta-gradient equals the one from the hand-written backward pass.
  const withBackward = createLearner("fomaml", small(), { seed: 3, innerSteps: 2 });
  const batch = batchOf(withBackward, 6);
  const a = firstOrder[0].metaGradients(batch);
  const b = withBackward.metaGradients(batch, { engine: "tape" });
  a.grads.forEach((g, i) => {
    const gap = tf.max(tf.abs(tf.sub(g, b.grads[i]))).dataSync()[0];
    assert.ok(gap < 1e-5, `theta.${i}: ${gap}`);
  });
  tf.dispose([a.loss, ...a.grads, b.loss, ...b.grads]);
  for (const learner of firstOrder) {
    const { loss, grads } = learner.metaGradients(batch);
    assert.ok(Number.isFinite(loss.dataSync()[0]), learner.kind);
    tf.dispose([loss, ...grads]);
    learner.dispose();
  }
  disposeBatch(batch);
  withBackward.dispose();
});

Deno.test("FastLearner.adapt inside tf.tidy keeps the new parameters, frees the old ones", () => {
  const maml = new MAML(small(), { innerLr: 0.1, seed: 1 });
  const x = tf.randomUniform([2, 5, 1], -3, 3, "float32", 1) as tf.Tensor3D;
  const y = tf.sin(x) as tf.Tensor3D;
  const reference = maml.clone();
  reference.adapt(x, y, 1);
  reference.adapt(x, y, 2);
  const expected = reference.predict(x);
  const before = tf.memory().numTensors;
  let fast!: ReturnType<typeof maml.clone>;
  tf.tidy(() => {
    fast = maml.clone();
  });
  tf.tidy(() => fast.adapt(x, y, 1));
  tf.tidy(() => fast.adapt(x, y, 2));
  const fastParams = fast.params.length;
  // The fast learner holds its parameters only: the replaced ones are freed.
  assert.equal(tf.memory().numTensors, before + fastParams);
  const prediction = fast.predict(x);
  assert.deepEqual(prediction.dataSync(), expected.dataSync());
  assert.equal(fast.steps, 3);
  fast.dispose();
  tf.dispose([prediction, expected, x, y]);
  reference.dispose();
  maml.dispose();
  // ANIL's body tensors carry over unchanged through adapt inside tidy.
  const anil = new ANIL(small(), { innerLr: 0.1, seed: 1 });
  const batch = batchOf(anil, 2);
  const start = tf.memory().numTensors;
  const head = anil.clone();
  tf.tidy(() => head.adapt(batch.supportX, batch.supportY, 1));
  tf.tidy(() => head.adapt(batch.supportX, batch.supportY, 1));
  head.evaluate(batch.queryX, batch.queryY).dispose();
  head.dispose();
  assert.equal(tf.memory().numTensors, start);
  disposeBatch(batch);
  anil.dispose();
});

Deno.test("a disposed learner or fast learner: an error saying so", () => {
  const disposed = /this learner was disposed/;
  for (const kind of LEARNER_KINDS) {
    const learner = createLearner(kind, small(), { seed: 0 });
    const batch = batchOf(learner, 1);
    const fast = learner.clone();
    fast.adapt(batch.supportX, batch.supportY, 1);
    fast.dispose();
    for (
      const [name, use] of [
        ["adapt", () => fast.adapt(batch.supportX, batch.supportY, 1)],
        ["predict", () => fast.predict(batch.queryX)],
        ["evaluate", () => fast.evaluate(batch.queryX, batch.queryY)],
      ] as const
    ) {
      assert.throws(use, (e: unknown) =>
        e instanceof Error &&
        e.message === `${name}: this fast learner was disposed (its parameters are freed)`);
    }
    learner.dispose();
    learner.dispose(); // twice is fine
    const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 2 });
    const adam = metaOptimizer();
    assert.throws(() => learner.metaGradients(batch), disposed, kind);
    assert.throws(() => learner.metaGradients(batch, { engine: "tape" }), disposed, kind);
    assert.throws(() => metaStep(learner, batch, adam), disposed, kind);
    assert.throws(() => learner.clone(), disposed, kind);
    assert.throws(() => metaTest(learner, episodes, { steps: [1] }), disposed, kind);
    assert.throws(
      () => learner.clone(),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          `${kind}: this learner was disposed (its variables are freed); create a new one or ` +
            "load a checkpoint",
    );
    adam.dispose();
    disposeBatch(batch);
  }
});

Deno.test("metaStep: NaN or infinite values of a hand-built batch are named, nothing computed", () => {
  const maml = new MAML(small(), { seed: 3 });
  const good = batchOf(maml, 1);
  const before = snapshot(maml);
  const adam = metaOptimizer();
  const nan = tf.buffer(
    good.supportY.shape,
    "float32",
    Float32Array.from(good.supportY.dataSync()),
  );
  nan.set(NaN, 2, 4, 0);
  const cases = [
    [{ ...good, supportY: nan.toTensor() as tf.Tensor3D }, "supportY[14] (task 2, point 4)", NaN],
    [
      { ...good, queryX: tf.fill(good.queryX.shape, Infinity) as tf.Tensor3D },
      "queryX[0] (task 0, point 0)",
      Infinity,
    ],
  ] as const;
  for (const [batch, where, value] of cases) {
    assert.throws(
      () => metaStep(maml, batch, adam),
      (e: unknown) =>
        e instanceof DataError &&
        e.message === `metaStep: batch.${where}: must be finite, got ${value}`,
    );
    assert.deepEqual(snapshot(maml), before);
  }
  adam.dispose();
  disposeBatch(good);
  maml.dispose();
});
