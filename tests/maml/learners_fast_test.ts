import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { createLearner, LEARNER_KINDS, mlp, useBackend } from "../../lib/maml/mod.ts";

await useBackend("cpu");

Deno.test("a fast learner whose learner was disposed throws the learner's disposed error", () => {
  for (const kind of LEARNER_KINDS) {
    const learner = createLearner(kind, mlp({ sizes: [1, 8, 1] }));
    const fast = learner.clone();
    const x = tf.ones([2, 3, 1]) as tf.Tensor3D;
    fast.adapt(x, x, 1); // alive: fine
    learner.dispose();
    const message = `${kind}: this learner was disposed (its variables are freed); create a new ` +
      "one or load a checkpoint";
    for (
      const use of [
        () => fast.adapt(x, x, 1),
        () => fast.predict(x),
        () => fast.evaluate(x, x),
      ]
    ) {
      assert.throws(use, (e: unknown) => e instanceof Error && e.message === message, kind);
    }
    fast.dispose();
    x.dispose();
  }
});
