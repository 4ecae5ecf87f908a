import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  createLearner,
  metaOptimizer,
  metaTrain,
  mlp,
  NonFiniteLossError,
  useBackend,
} from "../../lib/maml/mod.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

for (const kind of ["adam", "sgd"] as const) {
  Deno.test(`metaOptimizer ${kind}: the same updates as tfjs's own optimiser`, () => {
    const ours = tf.variable(tf.tensor([0.5, -1, 2, 0]));
    const theirs = tf.variable(tf.tensor([0.5, -1, 2, 0]));
    const a = metaOptimizer({ kind, lr: 0.05 });
    const b = kind === "adam" ? tf.train.adam(0.05, 0.9, 0.999, 1e-8) : tf.train.sgd(0.05);
    const gradient = (step: number) => tf.tensor([Math.sin(step), 1e-3 * step, -2, step % 3]);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 20; step++) {
      const g = gradient(step);
      a.applyGradients([{ name: ours.name, tensor: g }]);
      g.dispose();
    }
    assert.equal(tf.memory().numTensors, before, "no tensor leak");
    for (let step = 0; step < 20; step++) {
      const g = gradient(step);
      b.applyGradients([{ name: theirs.name, tensor: g }]);
      g.dispose();
    }
    const x = ours.dataSync();
    const y = theirs.dataSync();
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-5, `${i}: ${v} vs ${y[i]}`));
    assert.notDeepEqual(Array.from(x), [0.5, -1, 2, 0]);
    a.dispose();
    b.dispose();
    tf.dispose([ours, theirs]);
  });
}

const small = () => mlp({ sizes: [1, 8, 1] });
const snapshot = (learner: { variables: readonly tf.Variable[] }) =>
  learner.variables.map((v) => Array.from(v.dataSync()));

/** Rejects with an error of class `type` and exactly `message`. */
async function rejectsExactly(
  f: () => Promise<unknown>,
  type: new (...args: never[]) => Error,
  message: string,
) {
  await assert.rejects(f, (e: unknown) => {
    assert.ok(e instanceof type, `${e} is not a ${type.name}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

Deno.test("metaTrain: a non-finite validation loss is a divergence and stops training", async () => {
  const maml = createLearner("maml", small(), { seed: 1 });
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 2 });
  // Finite targets (also in float32) whose squared error overflows float32: loss Infinity.
  const huge = {
    ...episodes[1],
    query: { ...episodes[1].query, y: episodes[1].query.y.map(() => 1e30) },
  };
  const seen: number[] = [];
  const result = await metaTrain(maml, {
    source: episodeSampler(sinusoid, { shots: 5 }),
    iterations: 6,
    metaBatchSize: 2,
    validation: [episodes[0], huge],
    validateEvery: 2,
    progressEvery: 1,
    onProgress: (p) => void seen.push(p.iteration),
  });
  assert.equal(result.diverged, true);
  assert.equal(result.divergence, "iteration 2: meta-validation loss is Infinity");
  assert.equal(result.iterations, 2);
  assert.equal(result.losses.length, 2);
  assert.deepEqual(result.validation, [{ iteration: 2, loss: Infinity }]);
  assert.deepEqual(seen, [1]);
  maml.dispose();
});

Deno.test("metaOptimizer: an update beyond float32 changes nothing (variables, moments, step) and throws", () => {
  for (const kind of ["adam", "sgd"] as const) {
    const a = tf.variable(tf.tensor([0]));
    const b = tf.variable(tf.tensor([-3e38]));
    const optimizer = metaOptimizer({ kind, lr: 1e38 });
    const g = tf.tensor([1]);
    // a's update is finite in float32 (−1e38), b's is not (−4e38): neither is applied
    assert.throws(
      () => optimizer.applyGradients([{ name: a.name, tensor: g }, { name: b.name, tensor: g }]),
      (e: unknown) => e instanceof NonFiniteLossError && /meta-update is not finite/.test(`${e}`),
    );
    assert.deepEqual([a.dataSync()[0], b.dataSync()[0]], [0, Math.fround(-3e38)], kind);
    // the next update is the first one's of a fresh optimiser (Adam's moments and step untouched)
    optimizer.applyGradients([{ name: a.name, tensor: g }]);
    const fresh = metaOptimizer({ kind, lr: 1e38 });
    const c = tf.variable(tf.tensor([0]));
    fresh.applyGradients([{ name: c.name, tensor: g }]);
    assert.equal(a.dataSync()[0], c.dataSync()[0], kind);
    assert.ok(Number.isFinite(a.dataSync()[0]) && a.dataSync()[0] !== 0, kind);
    optimizer.dispose();
    fresh.dispose();
    tf.dispose([a, b, c, g]);
  }
});

Deno.test("metaTrain: a meta-update beyond float32 is a divergence; the learner keeps its finite parameters", async () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 20, 1], activation: "relu" }), {
    innerLr: 0.01,
    innerSteps: 1,
  });
  const before = snapshot(learner);
  const result = await metaTrain(learner, {
    source: episodeSampler(sinusoid),
    iterations: 5,
    metaBatchSize: 4,
    optimizer: { kind: "sgd", lr: 3e38 },
  });
  assert.equal(result.diverged, true);
  assert.equal(
    result.divergence,
    "iteration 1: meta-update is not finite (a parameter beyond float32)",
  );
  assert.equal(result.iterations, 0);
  assert.deepEqual(snapshot(learner), before);
  learner.dispose();
});

Deno.test("metaTrain: malformed or non-finite episodes are named errors, not divergence", async () => {
  const maml = createLearner("maml", small(), { seed: 1 });
  const before = snapshot(maml);
  const tensors = tf.memory().numTensors;
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 3 });
  const nan = {
    ...episodes[2],
    support: { ...episodes[2].support, x: episodes[2].support.x.map((v, i) => i === 1 ? NaN : v) },
  };
  await rejectsExactly(
    () => metaTrain(maml, { source: () => [episodes[0], nan], iterations: 3, metaBatchSize: 2 }),
    DataError,
    "metaTrain: iteration 1: source()[1].support.x[1] (point 1): must be finite, got NaN",
  );
  await rejectsExactly(
    () =>
      metaTrain(maml, {
        source: ((_rng: unknown, n: number) =>
          Array.from({ length: n }, () => ({ support: episodes[0].query }))) as never,
        iterations: 1,
      }),
    TypeError,
    "metaTrain: iteration 1: source()[0].query: must be a labelled set { x, y }, got undefined",
  );
  await rejectsExactly(
    () => metaTrain(maml, { source: (() => undefined) as never, iterations: 1 }),
    TypeError,
    "metaTrain: iteration 1: source(): must be an array of episodes, got undefined",
  );
  // Validation episodes are checked before the first meta-step.
  let drawn = 0;
  await rejectsExactly(
    () =>
      metaTrain(maml, {
        source: (rng, n) => (drawn++, episodeSampler(sinusoid)(rng, n)),
        iterations: 2,
        validation: [episodes[0], nan],
      }),
    DataError,
    "metaTrain: validation[1].support.x[1] (point 1): must be finite, got NaN",
  );
  assert.equal(drawn, 0);
  assert.deepEqual(snapshot(maml), before);
  assert.equal(tf.memory().numTensors, tensors);
  maml.dispose();
});
