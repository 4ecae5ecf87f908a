// Query accuracy in metaTest, and few-shot classification with the softmax cross-entropy:
// a short seeded meta-training of each learner raises its accuracy after adaptation on an easy
// synthetic family (classes at fixed places on a circle, labels permuted per task).
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  classificationAccuracy,
  createLearner,
  type Episode,
  type LearnerKind,
  metaTest,
  metaTrain,
  mlp,
  Rng,
  softmaxCrossEntropy,
  useBackend,
} from "../../lib/maml/mod.ts";

await useBackend("cpu");

const WAYS = 3;

/**
 * One 3-way K-shot task: class j's points lie around angle 2πj/3 (radius 2, noise 0.5) rotated by
 * a task-specific angle of up to ±0.3 rad, all coordinates times `scale`; class j gets the
 * episode label perm[j].
 */
function episode(rng: Rng, shots: number, queries: number, scale = 1): Episode {
  const perm = rng.shuffle([0, 1, 2]);
  const turn = rng.uniformIn(-0.3, 0.3);
  const set = (perClass: number) => {
    const x = new Float64Array(WAYS * perClass * 2);
    const y = new Float64Array(WAYS * perClass * WAYS);
    for (let r = 0; r < WAYS * perClass; r++) {
      const c = r % WAYS;
      const angle = (2 * Math.PI * c) / WAYS + turn;
      x[2 * r] = scale * (2 * Math.cos(angle) + 0.5 * rng.normal());
      x[2 * r + 1] = scale * (2 * Math.sin(angle) + 0.5 * rng.normal());
      y[r * WAYS + perm[c]] = 1;
    }
    return { x, y };
  };
  return { support: set(shots), query: set(queries) };
}

Deno.test("classificationAccuracy: fraction of points whose arg max matches the target's", () => {
  const logits = tf.tensor3d([[[2, 0, 1], [0, 1, 3]], [[0, 0, 5], [1, 0, 0]]]);
  const target = tf.tensor3d([[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]]);
  assert.deepEqual(Array.from(classificationAccuracy(logits, target).dataSync()), [0.5, 1]);
  assert.throws(
    () => classificationAccuracy(logits, tf.zeros([2, 2, 2]) as tf.Tensor3D),
    /\[tasks, points, classes\]/,
  );
  tf.dispose([logits, target]);
});

Deno.test("metaTest with accuracy: per-task accuracies, their mean and CI; none without it", () => {
  const learner = createLearner("maml", mlp({ sizes: [2, 8, WAYS] }), {
    innerLr: 0.5,
    seed: 1,
    loss: softmaxCrossEntropy,
  });
  const rng = new Rng(2);
  const episodes = Array.from({ length: 12 }, () => episode(rng, 1, 5));
  const [zero, five] = metaTest(learner, episodes, { steps: [0, 5], accuracy: true, chunk: 5 });
  for (const r of [zero, five]) {
    const acc = r.accuracy!;
    assert.equal(acc.perTask.length, 12);
    // Each task has 15 query points: accuracies are multiples of 1/15 in [0, 1].
    for (const a of acc.perTask) {
      assert.ok(a >= 0 && a <= 1 && Math.abs(a * 15 - Math.round(a * 15)) < 1e-6, `${a}`);
    }
    const mean = acc.perTask.reduce((s, a) => s + a, 0) / 12;
    assert.ok(Math.abs(acc.mean - mean) < 1e-12);
    assert.ok(acc.ci95 > 0);
  }
  assert.equal(metaTest(learner, episodes, { steps: [1] })[0].accuracy, undefined);
  learner.dispose();
});

Deno.test("metaTest: a task whose loss is not finite has NaN accuracy, so the mean is NaN", () => {
  const learner = createLearner("maml", mlp({ sizes: [2, 8, WAYS] }), {
    innerLr: 0.5,
    seed: 1,
    loss: softmaxCrossEntropy,
  });
  const rng = new Rng(2);
  // Inputs of the order of 1e15 are finite (also in float32) but one SGD step on them overflows.
  const episodes = [episode(rng, 1, 5), episode(rng, 1, 5, 1e15), episode(rng, 1, 5)];
  const [zero, one] = metaTest(learner, episodes, { steps: [0, 1], accuracy: true });
  assert.equal(zero.nonFinite, 0);
  assert.ok(Number.isFinite(zero.accuracy!.mean));
  assert.equal(one.nonFinite, 1);
  assert.ok(Number.isNaN(one.perTask[1]));
  const acc = one.accuracy!;
  // Without the rule, task 1's NaN logits would score argMax 0, a believable 1/3.
  assert.ok(Number.isNaN(acc.perTask[1]), `task 1 accuracy ${acc.perTask[1]}`);
  assert.ok(Number.isFinite(acc.perTask[0]) && Number.isFinite(acc.perTask[2]));
  assert.ok(Number.isNaN(acc.mean));
  assert.ok(Number.isNaN(acc.ci95));
  learner.dispose();
});

Deno.test("accuracy needs at least 2 outputs: metaTest and classificationAccuracy throw", () => {
  const regression = createLearner("maml", mlp({ sizes: [2, 8, 1] }), { seed: 1 });
  const one: Episode = {
    support: { x: new Float64Array([0, 1]), y: new Float64Array([1]) },
    query: { x: new Float64Array([1, 0]), y: new Float64Array([0]) },
  };
  assert.throws(
    () => metaTest(regression, [one], { steps: [1], accuracy: true }),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === "metaTest: accuracy needs a classifier with at least 2 outputs " +
          "(one logit per class), learner.model.outputDim is 1",
  );
  assert.equal(metaTest(regression, [one], { steps: [1] }).length, 1); // loss only: fine
  const p = tf.zeros([1, 2, 1]) as tf.Tensor3D;
  assert.throws(
    () => classificationAccuracy(p, p),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message === "classificationAccuracy: prediction [1,2,1] has 1 class, " +
          "needs at least 2 (one logit per class)",
  );
  p.dispose();
  regression.dispose();
});

Deno.test("metaTest: a bad episode is named by its index in the whole list, not its chunk", () => {
  const learner = createLearner("maml", mlp({ sizes: [2, 8, WAYS] }), {
    seed: 1,
    loss: softmaxCrossEntropy,
  });
  const rng = new Rng(5);
  const episodes = Array.from({ length: 12 }, () => episode(rng, 2, 3));
  episodes[9] = episode(rng, 1, 3);
  const before = tf.memory().numTensors;
  for (const chunk of [4, 100]) {
    assert.throws(
      () => metaTest(learner, episodes, { steps: [1], chunk }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message === "metaTest: episodes[9].support.x: length 6, expected 12 like episode 0",
    );
  }
  episodes[9] = { support: episodes[0].support } as Episode;
  assert.throws(
    () => metaTest(learner, episodes, { steps: [1], chunk: 4 }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "metaTest: episodes[9].query: must be a labelled set { x, y }, got undefined",
  );
  assert.equal(tf.memory().numTensors, before);
  learner.dispose();
});

for (const kind of ["maml", "fomaml", "anil", "metasgd", "learned-hp"] as LearnerKind[]) {
  Deno.test(`${kind}: a short meta-training with cross-entropy raises 1-shot accuracy`, async () => {
    const model = mlp({ sizes: [2, 16, 16, WAYS] });
    const learner = createLearner(kind, model, {
      innerLr: 0.5,
      seed: 3,
      loss: softmaxCrossEntropy,
    });
    const testRng = new Rng(11);
    const test = Array.from({ length: 60 }, () => episode(testRng, 1, 10));
    const accuracy = () => metaTest(learner, test, { steps: [1], accuracy: true })[0].accuracy!;
    const before = accuracy();
    await metaTrain(learner, {
      source: (rng, n) => Array.from({ length: n }, () => episode(rng, 1, 5)),
      iterations: 150,
      metaBatchSize: 8,
      optimizer: { lr: 0.01 },
      seed: 4,
    });
    const after = accuracy();
    assert.ok(after.mean > 0.8, `${kind}: accuracy after meta-training ${after.mean}`);
    assert.ok(
      after.mean - after.ci95 > before.mean + before.ci95,
      `${kind}: ${before.mean} ± ${before.ci95} → ${after.mean} ± ${after.ci95}`,
    );
    learner.dispose();
  });
}

Deno.test("metaTest: a query loss that overflows makes the mean Infinity (NaN only from a NaN)", () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 8, 1] }), { seed: 0 });
  const ok = {
    support: { x: new Float64Array([0, 1]), y: new Float64Array([0, 1]) },
    query: { x: new Float64Array([2]), y: new Float64Array([1]) },
  };
  // 1e20 is finite in float32, its squared error is not.
  const big = {
    support: ok.support,
    query: { x: new Float64Array([2]), y: new Float64Array([1e20]) },
  };
  const [r] = metaTest(learner, [ok, big], { steps: [0] });
  assert.equal(r.mean, Infinity);
  assert.ok(Number.isNaN(r.ci95));
  assert.equal(r.nonFinite, 1);
  assert.equal(r.diverged, true);
  learner.dispose();
});
