import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  checkBatch,
  checkSet,
  createLearner,
  metaOptimizer,
  metaStep,
  mlp,
  type TaskBatch,
  useBackend,
} from "../../lib/maml/mod.ts";

await useBackend("cpu");

const z = (n: number) => tf.zeros([2, n, 1]) as tf.Tensor3D;

Deno.test("a batch with a missing field or one that is not a tensor is a TypeError naming the field", () => {
  const model = mlp({ sizes: [1, 4, 1] });
  const batch: TaskBatch = { supportX: z(3), supportY: z(3), queryX: z(5), queryY: z(5) };
  checkBatch(batch, model); // a whole batch passes
  // Before: "Cannot read properties of undefined (reading 'rank')".
  for (const key of ["supportX", "supportY", "queryX", "queryY"] as const) {
    assert.throws(() => checkBatch({ ...batch, [key]: undefined } as never, model), {
      name: "TypeError",
      message: `batch.${key}: must be a tensor, got undefined`,
    });
  }
  assert.throws(() => checkBatch({ ...batch, queryY: [[[0]]] } as never, model), {
    name: "TypeError",
    message: "batch.queryY: must be a tensor, got an Array",
  });
  assert.throws(() => checkBatch(undefined as never, model), {
    name: "TypeError",
    message: "batch: must be { supportX, supportY, queryX, queryY } of tensors, got undefined",
  });
  assert.throws(() => checkSet(z(3), null as never, model, "support"), {
    name: "TypeError",
    message: "support.y: must be a tensor, got null",
  });
  // Through the entry points of the repro: metaStep and metaGradients.
  const learner = createLearner("maml", model);
  assert.throws(
    () => metaStep(learner, { ...batch, supportY: undefined } as never, metaOptimizer()),
    { name: "TypeError", message: "batch.supportY: must be a tensor, got undefined" },
  );
  assert.throws(() => learner.metaGradients({ ...batch, queryX: undefined } as never), {
    name: "TypeError",
    message: "batch.queryX: must be a tensor, got undefined",
  });
  // Nothing changes for a valid batch.
  assert.ok(Number.isFinite(metaStep(learner, batch, metaOptimizer())));
  learner.dispose();
  tf.dispose([batch.supportX, batch.supportY, batch.queryX, batch.queryY]);
});
