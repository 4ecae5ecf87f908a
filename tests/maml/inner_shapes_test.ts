// The parameter shapes adaptParams takes (lib/maml/inner.ts): task-batched `[T, ...shape]` like
// the support inputs `[T, K, in]`; unbatched parameters, another task count or an `x` of another
// rank are a RangeError naming the argument and the expected shape, before anything is computed.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { adaptParams, mlp, tileTasks, useBackend } from "../../lib/maml/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

await useBackend("cpu");

Deno.test("adaptParams: params that are not [T, ...shape] are a RangeError naming them", () => {
  const model = mlp({ sizes: [1, 8, 1] });
  const theta = model.init(new Rng(0)).map((v, i) => tf.tensor(v, [...model.paramShapes[i]]));
  const x = tf.tensor3d([[[1], [2], [-1]], [[0], [1], [2]], [[3], [2], [1]]]);
  const y = tf.sin(x) as tf.Tensor3D;
  const rule = { lrs: theta.map(() => 0.1), adapts: theta.map(() => true) };
  const { two, mixed, batched } = tf.tidy(() => ({
    two: tileTasks(theta, 2).map((t) => tf.keep(t)),
    mixed: [...tileTasks(theta.slice(0, 3), 3).map((t) => tf.keep(t)), theta[3]],
    batched: tileTasks(theta, 3).map((t) => tf.keep(t)),
  }));
  const flat = tf.tensor2d([[1], [2], [3]]) as unknown as tf.Tensor3D;
  const before = tf.memory().numTensors;
  for (const steps of [0, 1]) {
    assert.throws(
      () => adaptParams(model, theta, x, y, rule, { steps }),
      (e: unknown) => {
        assert.ok(e instanceof RangeError, `${e}`);
        assert.equal(
          (e as Error).message,
          "adaptParams: params[0]: shape [1,8], expected [T, ...shape] = [3,1,8] (T = 3, the " +
            "tasks of x; unbatched parameters are repeated per task by tileTasks(params, T))",
        );
        return true;
      },
    );
  }
  assert.throws(
    () => adaptParams(model, two, x, y, rule, { steps: 1 }),
    /^RangeError: adaptParams: params\[0\]: shape \[2,1,8\], expected \[T, \.\.\.shape\] = \[3,1,8\] /,
  );
  assert.throws(
    () => adaptParams(model, mixed, x, y, rule, { steps: 1 }),
    /^RangeError: adaptParams: params\[3\]: shape \[1\], expected \[T, \.\.\.shape\] = \[3,1\] /,
  );
  assert.throws(
    () => adaptParams(model, batched, flat, y, rule, { steps: 1 }),
    /^RangeError: adaptParams: x: must be \[tasks, points, inputDim\], got \[3,1\]$/,
  );
  assert.equal(tf.memory().numTensors, before, "nothing computed");
  // Task-batched parameters adapt, one task per slice.
  const adapted = adaptParams(model, batched, x, y, rule, { steps: 1 });
  adapted.forEach((t, i) => assert.deepEqual(t.shape, [3, ...model.paramShapes[i]]));
  tf.dispose([...theta, x, y, ...two, ...mixed.slice(0, 3), flat, ...batched, ...adapted]);
});
