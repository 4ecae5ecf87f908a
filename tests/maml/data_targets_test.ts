// Targets of the softmax cross-entropy (lib/maml/data.ts and its callers): the inner gradient
// (softmax − y)/N is the gradient of −Σ y log softmax only for target rows that sum to 1, so every
// data entry point refuses a row that is not a probability vector (multi-hot, all zero, a class
// index, a negative value) with a DataError naming the field and the point, while one-hot and
// soft targets pass and the mean squared error takes any finite targets.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  checkEpisodes,
  createLearner,
  disposeBatch,
  type Episode,
  episodeBatch,
  LEARNER_KINDS,
  metaOptimizer,
  metaStep,
  metaTest,
  metaTrain,
  mlp,
  softmaxCrossEntropy,
  type TaskBatch,
  useBackend,
} from "../../lib/maml/mod.ts";
import { stackedBatch } from "../../lib/maml/data.ts";
import { metaTrainBatches } from "../../lib/maml/train.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

const model = mlp({ sizes: [2, 6, 3], activation: "tanh" });
const oneHot = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const x3 = [0.1, 0.2, -0.3, 0.5, 0.4, -0.1];
const episode = (supportY: number[], queryY = oneHot): Episode => ({
  support: { x: new Float64Array(x3), y: new Float64Array(supportY) },
  query: { x: new Float32Array(x3), y: new Float32Array(queryY) },
});
const MESSAGE = "softmaxCrossEntropy targets must be probability vectors (non-negative, " +
  "summing to 1; one-hot rows for class labels), got ";

/** Asserts `f` throws a DataError with exactly `message`. */
function dataError(f: () => unknown, message: string) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof DataError, `${e} is not a DataError`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

// Rows that are not probability vectors, with the row of point 1 as the message shows it.
const BAD: [string, number[], string][] = [
  ["multi-hot", [1, 0, 0, 1, 1, 0, 0, 0, 1], "[1, 1, 0] (sum 2)"],
  ["all zero", [1, 0, 0, 0, 0, 0, 0, 0, 1], "[0, 0, 0] (sum 0)"],
  ["class index in column 0", [1, 0, 0, 2, 0, 0, 0, 1, 0], "[2, 0, 0] (sum 2)"],
  ["negative", [1, 0, 0, 1.5, -0.5, 0, 0, 0, 1], "[1.5, -0.5, 0] (sum 1)"],
  [
    "sum 1 + 2⁻¹⁶",
    [1, 0, 0, 0.5, 0.5 + 2 ** -16, 0, 0, 0, 1],
    "[0.5, 0.5000152587890625, 0] (sum 1.0000152587890625)",
  ],
];

Deno.test("checkEpisodes, episodeBatch: cross-entropy targets must be probability vectors", () => {
  for (const [, y, row] of BAD) {
    const bad = episode(y);
    dataError(
      () => checkEpisodes([episode(oneHot), bad], model, "episodes", softmaxCrossEntropy),
      `episodes[1].support.y (point 1): ${MESSAGE}${row}`,
    );
    dataError(
      () => episodeBatch([episode(oneHot, y)], model, "source()", softmaxCrossEntropy),
      `source()[0].query.y (point 1): ${MESSAGE}${row}`,
    );
    // Without a loss, or with the mean squared error, any finite targets are data.
    checkEpisodes([bad], model, "episodes");
    disposeBatch(episodeBatch([bad], model));
  }
  // One-hot, soft targets (also rounded to float32), and 20 classes of 0.05 in float32 pass.
  const soft = [0.7, 0.2, 0.1, 0.05, 0.9, 0.05, 1 / 3, 1 / 3, 1 / 3];
  checkEpisodes([episode(oneHot), episode(soft)], model, "episodes", softmaxCrossEntropy);
  checkEpisodes(
    [{
      support: { x: new Float64Array(x3), y: new Float64Array(soft) },
      query: { x: new Float64Array(x3), y: Float32Array.from(soft) },
    }],
    model,
    "episodes",
    softmaxCrossEntropy,
  );
  const wide = mlp({ sizes: [2, 4, 20] });
  const uniform = new Float32Array(60).fill(0.05);
  checkEpisodes(
    [{
      support: { x: new Float64Array(x3), y: uniform },
      query: { x: new Float64Array(x3), y: uniform },
    }],
    wide,
    "episodes",
    softmaxCrossEntropy,
  );
});

/** A hand-built batch of 2 tasks with the given support targets (task 1) and one-hot elsewhere. */
function batchWith(supportY: number[], queryY = oneHot): TaskBatch {
  return {
    supportX: tf.tensor3d([...x3, ...x3], [2, 3, 2]),
    supportY: tf.tensor3d([...oneHot, ...supportY], [2, 3, 3]),
    queryX: tf.tensor3d([...x3, ...x3], [2, 3, 2]),
    queryY: tf.tensor3d([...oneHot, ...queryY], [2, 3, 3]),
  };
}

Deno.test("metaGradients, metaStep, clone().adapt: bad cross-entropy targets are DataErrors", () => {
  const [, y, row] = BAD[0];
  for (const kind of LEARNER_KINDS) {
    const learner = createLearner(kind, model, { loss: softmaxCrossEntropy, innerSteps: 1 });
    const support = batchWith(y);
    const query = batchWith(oneHot, y);
    const optimizer = metaOptimizer();
    const fast = learner.clone();
    const before = tf.memory().numTensors;
    for (const engine of ["fused", "tape"] as const) {
      dataError(
        () => learner.metaGradients(support, { engine }),
        `${kind}.metaGradients: batch.supportY (task 1, point 1): ${MESSAGE}${row}`,
      );
      dataError(
        () => learner.metaGradients(query, { engine }),
        `${kind}.metaGradients: batch.queryY (task 1, point 1): ${MESSAGE}${row}`,
      );
    }
    dataError(
      () => metaStep(learner, support, optimizer),
      `metaStep: batch.supportY (task 1, point 1): ${MESSAGE}${row}`,
    );
    dataError(
      () => fast.adapt(support.supportX, support.supportY, 1),
      `adapt: y (task 1, point 1): ${MESSAGE}${row}`,
    );
    assert.equal(tf.memory().numTensors, before, `${kind}: nothing computed`);
    // The mean squared error takes the same targets.
    const mseLearner = createLearner(kind, model, { innerSteps: 1 });
    const g = mseLearner.metaGradients(support);
    assert.ok(Number.isFinite(g.loss.dataSync()[0]));
    tf.dispose([g.loss, ...g.grads]);
    [learner, mseLearner, fast, optimizer].forEach((o) => o.dispose());
    [support, query].forEach(disposeBatch);
  }
});

Deno.test("metaTrain, metaTest: bad cross-entropy targets are DataErrors naming the episode", async () => {
  const [, y, row] = BAD[1];
  const learner = createLearner("maml", model, { loss: softmaxCrossEntropy });
  await assert.rejects(
    () =>
      metaTrain(learner, {
        source: (_, n) => [episode(oneHot), episode(y)].slice(0, n),
        iterations: 1,
        metaBatchSize: 2,
      }),
    (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(
        (e as Error).message,
        `metaTrain: iteration 1: source()[1].support.y (point 1): ${MESSAGE}${row}`,
      );
      return true;
    },
  );
  await assert.rejects(
    () =>
      metaTrain(learner, {
        source: (_, n) => Array.from({ length: n }, () => episode(oneHot)),
        iterations: 1,
        validation: [episode(oneHot, y)],
      }),
    (e: unknown) => {
      assert.equal(
        (e as Error).message,
        `metaTrain: validation[0].query.y (point 1): ${MESSAGE}${row}`,
      );
      return true;
    },
  );
  dataError(
    () => metaTest(learner, [episode(oneHot), episode(y)], { steps: [1] }),
    `metaTest: episodes[1].support.y (point 1): ${MESSAGE}${row}`,
  );
  // Batches written straight into arrays (a pool's stacker) are checked by metaGradients.
  await assert.rejects(
    () =>
      metaTrainBatches(learner, { iterations: 1 }, (_, n) =>
        stackedBatch({
          tasks: n,
          supportX: new Float32Array(6 * n).fill(0.5),
          supportY: Float32Array.from({ length: 9 * n }, (_, i) => y[i % 9]),
          queryX: new Float32Array(6 * n).fill(0.5),
          queryY: Float32Array.from({ length: 9 * n }, (_, i) => oneHot[i % 9]),
        }, model)),
    (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(
        (e as Error).message,
        `maml.metaGradients: batch.supportY (task 0, point 1): ${MESSAGE}${row}`,
      );
      return true;
    },
  );
  learner.dispose();
});

Deno.test("cross-entropy: with accepted targets the inner step is a gradient step on the loss", () => {
  const soft = [0.7, 0.2, 0.1, 0.05, 0.9, 0.05, 0.2, 0.3, 0.5];
  for (const y of [oneHot, soft]) {
    const learner = createLearner("maml", model, {
      innerLr: 0.5,
      loss: softmaxCrossEntropy,
      seed: 2,
    });
    const batch = episodeBatch([episode(y)], model, "episodes", softmaxCrossEntropy);
    const fast = learner.clone();
    fast.adapt(batch.supportX, batch.supportY, 1);
    const theta = learner.variables.slice(0, 4);
    const g = tf.grads((...p: tf.Tensor[]) =>
      tf.sum(
        softmaxCrossEntropy.value(
          model.forward(p.map((t) => t.expandDims(0)), batch.supportX),
          batch.supportY,
        ),
      ) as tf.Scalar
    )(theta);
    theta.forEach((t, i) => {
      const expected = t.sub(g[i].mul(0.5)).dataSync();
      const got = fast.params[i].dataSync();
      expected.forEach((v, e) => assert.ok(Math.abs(v - got[e]) < 1e-6, `param ${i}[${e}]`));
    });
    tf.dispose(g);
    fast.dispose();
    learner.dispose();
    disposeBatch(batch);
  }
});
