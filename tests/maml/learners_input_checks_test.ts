import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { createLearner, mlp, softmaxCrossEntropy, useBackend } from "../../lib/maml/mod.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

Deno.test("FastLearner.evaluate checks values as adapt does: NaN and non-probability targets", () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 8, 1] }));
  const x = tf.tensor3d([[[0.1], [0.2], [0.3]], [[0.4], [0.5], [0.6]]]);
  const nanY = tf.tensor3d([[[NaN], [0], [0]], [[0], [0], [0]]]);
  const nanX = tf.tensor3d([[[0.1], [0.2], [0.3]], [[0.4], [Infinity], [0.6]]]);
  // Before: losses [NaN, 0.001…], no error.
  assert.throws(() => learner.clone().evaluate(x, nanY), {
    name: DataError.name,
    message: "evaluate: y[0] (task 0, point 0): must be finite, got NaN",
  });
  assert.throws(() => learner.clone().evaluate(nanX, x), {
    name: DataError.name,
    message: "evaluate: x[4] (task 1, point 1): must be finite, got Infinity",
  });
  const classifier = createLearner("maml", mlp({ sizes: [1, 4, 3] }), {
    loss: softmaxCrossEntropy,
  });
  const bad = tf.fill([2, 3, 3], 5) as tf.Tensor3D;
  // Before: losses of about 16.5, no error (the README promises a DataError naming the point).
  assert.throws(() => classifier.clone().evaluate(x, bad), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.match(
      e.message,
      /^evaluate: y \(task 0, point 0\): softmaxCrossEntropy targets must be probability vectors/,
    );
    return true;
  });
  // Valid data: the loss of the predictions, as before.
  const y = tf.tensor3d([[[0.2], [0.1], [0]], [[1], [0.5], [0.25]]]);
  const fast = learner.clone();
  const losses = fast.evaluate(x, y);
  const direct = learner.loss.value(fast.predict(x), y);
  assert.deepEqual(Array.from(losses.dataSync()), Array.from(direct.dataSync()));
  const oneHot = tf.oneHot(tf.tensor2d([[0, 1, 2], [2, 1, 0]], undefined, "int32"), 3)
    .toFloat() as tf.Tensor3D;
  assert.equal(classifier.clone().evaluate(x, oneHot).shape[0], 2);
  tf.dispose([x, nanY, nanX, bad, y, losses, direct, oneHot]);
  learner.dispose();
  classifier.dispose();
});

Deno.test("adapt with steps of another type shows the type in the error", () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 4, 1] }));
  const x = tf.ones([1, 3, 1]) as tf.Tensor3D;
  const fast = learner.clone();
  // Before: "got 2", hiding that it was the string "2".
  assert.throws(() => fast.adapt(x, x, "2" as never), {
    name: "RangeError",
    message: 'adapt: steps must be a non-negative integer, got the string "2"',
  });
  assert.throws(() => fast.adapt(x, x, 1.5), {
    name: "RangeError",
    message: "adapt: steps must be a non-negative integer, got 1.5",
  });
  fast.dispose();
  learner.dispose();
  x.dispose();
});
