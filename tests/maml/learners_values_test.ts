// The values of a hand-built batch handed to a learner's public metaGradients
// (lib/maml/learners.ts): a NaN or infinite value is a DataError naming the field, the task and
// the point, for every learner kind and both engines, as metaStep and clone().adapt give, before
// anything is computed; metaTrain, whose batches were checked when drawn, still trains.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  createLearner,
  episodeSampler,
  LEARNER_KINDS,
  metaOptimizer,
  metaStep,
  metaTrain,
  mlp,
  sinusoid,
  type TaskBatch,
  useBackend,
} from "../../maml.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

const model = mlp({ sizes: [1, 4, 1] });
const FIELDS = ["supportX", "supportY", "queryX", "queryY"] as const;

/** A batch of 2 tasks (3 support, 2 query points) with `value` at index 3 of `field`. */
function batchWith(field: typeof FIELDS[number] | undefined, value: number): TaskBatch {
  const values = (n: number, key: string) =>
    Array.from({ length: 2 * n }, (_, i) => (key === field && i === 3 ? value : i / 4));
  return {
    supportX: tf.tensor3d(values(3, "supportX"), [2, 3, 1]),
    supportY: tf.tensor3d(values(3, "supportY"), [2, 3, 1]),
    queryX: tf.tensor3d(values(2, "queryX"), [2, 2, 1]),
    queryY: tf.tensor3d(values(2, "queryY"), [2, 2, 1]),
  };
}

Deno.test("metaGradients: a NaN or infinite batch value is a DataError naming the field", () => {
  for (const kind of LEARNER_KINDS) {
    const learner = createLearner(kind, model, { innerSteps: 1 });
    for (const field of FIELDS) {
      for (const value of [NaN, Infinity, -Infinity]) {
        const batch = batchWith(field, value);
        // Index 3: task 1, point 0 of a support field (3 points), point 1 of a query field.
        const where = `(task 1, point ${field.startsWith("support") ? 0 : 1})`;
        const before = tf.memory().numTensors;
        for (const engine of ["fused", "tape"] as const) {
          assert.throws(
            () => learner.metaGradients(batch, { engine }),
            (e: unknown) => {
              assert.ok(e instanceof DataError, `${kind} ${engine} ${field}: ${e}`);
              assert.equal(
                (e as Error).message,
                `${kind}.metaGradients: batch.${field}[3] ${where}: must be finite, got ${value}`,
              );
              return true;
            },
          );
        }
        assert.equal(tf.memory().numTensors, before, "nothing computed");
        tf.dispose(Object.values(batch));
      }
    }
    // A finite batch gives finite meta-gradients, with either engine.
    const batch = batchWith(undefined, 0);
    for (const engine of ["fused", "tape"] as const) {
      const { loss, grads } = learner.metaGradients(batch, { engine });
      assert.ok([loss, ...grads].every((t) => t.dataSync().every(Number.isFinite)));
      tf.dispose([loss, ...grads]);
    }
    tf.dispose(Object.values(batch));
    learner.dispose();
  }
});

Deno.test("metaGradients: the same value error as metaStep and adapt, named for each", () => {
  const learner = createLearner("maml", model);
  const batch = batchWith("supportY", NaN);
  const optimizer = metaOptimizer();
  const fast = learner.clone();
  assert.throws(
    () => metaStep(learner, batch, optimizer),
    /^DataError: metaStep: batch\.supportY\[3\] \(task 1, point 0\): must be finite, got NaN$/,
  );
  assert.throws(
    () => fast.adapt(batch.supportX, batch.supportY, 1),
    /^DataError: adapt: y\[3\] \(task 1, point 0\): must be finite, got NaN$/,
  );
  assert.throws(
    () => learner.metaGradients(batch),
    /^DataError: maml\.metaGradients: batch\.supportY\[3\] \(task 1, point 0\): must be finite, got NaN$/,
  );
  [learner, fast, optimizer].forEach((o) => o.dispose());
  tf.dispose(Object.values(batch));
});

Deno.test("metaTrain: meta-gradients of checked batches train every kind", async () => {
  for (const kind of LEARNER_KINDS) {
    const learner = createLearner(kind, model, { seed: 1 });
    const result = await metaTrain(learner, {
      source: episodeSampler(sinusoid, { shots: 5 }),
      iterations: 2,
      metaBatchSize: 3,
    });
    assert.equal(result.iterations, 2, kind);
    assert.ok(result.losses.every(Number.isFinite), kind);
    learner.dispose();
  }
});
