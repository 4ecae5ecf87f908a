import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { batchMatMul, mlp, mse, tileTasks, useBackend } from "../../lib/maml/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

await useBackend("cpu");

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

Deno.test("mlp: shapes, head, seeded initialisation within the documented bounds", () => {
  const model = mlp({ sizes: [1, 40, 40, 1] });
  assert.deepEqual(model.paramShapes, [[1, 40], [40], [40, 40], [40], [40, 1], [1]]);
  assert.deepEqual(model.headIndices, [4, 5]);
  const a = model.init(new Rng(3));
  assert.deepEqual(a, model.init(new Rng(3)));
  assert.notDeepEqual(a, model.init(new Rng(4)));
  // uniform-fan-in: |w| ≤ 1/√fan_in, biases zero.
  assert.ok(a[2].every((v) => Math.abs(v) <= 1 / Math.sqrt(40)));
  assert.ok(a[0].every((v) => Math.abs(v) <= 1));
  assert.ok(a[1].every((v) => v === 0));
  const glorot = mlp({ sizes: [1, 40, 40, 1], init: "glorot-uniform" }).init(new Rng(3));
  assert.ok(glorot[2].every((v) => Math.abs(v) <= Math.sqrt(6 / 80)));
  assert.ok(glorot[2].some((v) => Math.abs(v) > 1 / Math.sqrt(40)));
});

Deno.test("mlp: forward matches a per-task loop of plain matMuls", () => {
  const model = mlp({ sizes: [2, 5, 3], activation: "tanh" });
  const rng = new Rng(1);
  const params = model.paramShapes.map((s) =>
    tf.tensor(Float32Array.from(rng.normals(3 * s.reduce((a, b) => a * b, 1))), [3, ...s])
  );
  const x = tf.tensor3d(Float32Array.from(rng.normals(3 * 4 * 2)), [3, 4, 2]);
  const out = model.forward(params, x);
  for (let t = 0; t < 3; t++) {
    const p = params.map((q) => tf.squeeze(tf.slice(q, t, 1), [0]));
    const h = tf.tanh(tf.add(tf.matMul(tf.squeeze(tf.slice(x, t, 1), [0]), p[0]), p[1]));
    const y = tf.add(tf.matMul(h, p[2]), p[3]);
    assert.ok(maxDiff(tf.squeeze(tf.slice(out, t, 1), [0]), y) < 1e-5);
  }
});

for (const activation of ["relu", "tanh", "sigmoid", "elu"] as const) {
  Deno.test(`mlp(${activation}): hand-written parameter gradients equal tf.grads`, () => {
    const model = mlp({ sizes: [1, 6, 6, 2], activation, init: "he-normal" });
    const theta = model.init(new Rng(2)).map((v, i) => tf.tensor(v, [...model.paramShapes[i]]));
    const params = tileTasks(theta, 3);
    const rng = new Rng(5);
    const x = tf.tensor3d(Float32Array.from(rng.normals(15)), [3, 5, 1]);
    const y = tf.tensor3d(Float32Array.from(rng.normals(30)), [3, 5, 2]);
    const manual = model.parameterGradients!(params, x, (p) => mse.outputGradient!(p, y));
    const auto = tf.grads((...ps: tf.Tensor[]) => tf.sum(mse.value(model.forward(ps, x), y)))(
      params,
    );
    manual.forEach((g, i) => {
      assert.deepEqual(g.shape, auto[i].shape);
      assert.ok(maxDiff(g, auto[i]) < 1e-5, `param ${i}: ${maxDiff(g, auto[i])}`);
    });
  });
}

Deno.test("batchMatMul equals tf.matMul, with and without transposes, values and gradients", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const rng = new Rng(8);
    const t = (shape: number[]) =>
      tf.tensor3d(
        Float32Array.from(rng.normals(shape.reduce((a, b) => a * b, 1))),
        shape as [number, number, number],
      );
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = ta ? t([3, 4, 2]) : t([3, 2, 4]);
      const b = tb ? t([3, 5, 4]) : t([3, 4, 5]);
      assert.ok(maxDiff(batchMatMul(a, b, ta, tb), tf.matMul(a, b, ta, tb)) < 1e-5);
      const ours = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
        tf.sum(tf.sin(batchMatMul(p as tf.Tensor3D, q as tf.Tensor3D, ta, tb)))
      )([a, b]);
      const theirs = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
        tf.sum(tf.sin(tf.matMul(p, q, ta, tb)))
      )([a, b]);
      assert.ok(maxDiff(ours[0], theirs[0]) < 1e-5);
      assert.ok(maxDiff(ours[1], theirs[1]) < 1e-5);
    }
    assert.throws(() => batchMatMul(t([2, 3, 4]), t([2, 3, 4])), /incompatible shapes/);
    assert.throws(() => batchMatMul(t([2, 3, 4]), t([3, 4, 4])), /incompatible shapes/);
  }
  await useBackend("cpu");
});
