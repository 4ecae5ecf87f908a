import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { metaOptimizer, useBackend } from "../../lib/maml/mod.ts";

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
