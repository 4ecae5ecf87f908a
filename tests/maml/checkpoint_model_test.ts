import assert from "node:assert/strict";
import type { tf } from "../../lib/deps/tf.ts";
import { checkpoint, createLearner, fromCheckpoint, mlp, useBackend } from "../../lib/maml/mod.ts";

await useBackend("cpu");

Deno.test("fromCheckpoint without a model names the argument", () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 4, 1] }));
  const saved = checkpoint(learner, 0);
  // Before: "Cannot read properties of undefined (reading 'architecture')".
  for (const model of [undefined, null, 3]) {
    assert.throws(() => fromCheckpoint(saved, model as never), {
      name: "TypeError",
      message:
        "fromCheckpoint: model: must be a FunctionalModel (e.g. mlp({ sizes: [1, 40, 40, 1] }))",
    });
  }
  assert.throws(() => fromCheckpoint(saved, {} as never), /^TypeError: fromCheckpoint: model\./);
  // A model still loads, with the saved values.
  const copy = fromCheckpoint(saved, mlp({ sizes: [1, 4, 1] }));
  const values = (vs: readonly tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));
  assert.deepEqual(values(copy.variables), values(learner.variables));
  copy.dispose();
  learner.dispose();
});
