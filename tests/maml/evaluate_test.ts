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
 * a task-specific angle of up to ±0.3 rad; class j gets the episode label perm[j].
 */
function episode(rng: Rng, shots: number, queries: number): Episode {
  const perm = rng.shuffle([0, 1, 2]);
  const turn = rng.uniformIn(-0.3, 0.3);
  const set = (perClass: number) => {
    const x = new Float64Array(WAYS * perClass * 2);
    const y = new Float64Array(WAYS * perClass * WAYS);
    for (let r = 0; r < WAYS * perClass; r++) {
      const c = r % WAYS;
      const angle = (2 * Math.PI * c) / WAYS + turn;
      x[2 * r] = 2 * Math.cos(angle) + 0.5 * rng.normal();
      x[2 * r + 1] = 2 * Math.sin(angle) + 0.5 * rng.normal();
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
