import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { createLearner, metaOptimizer, metaTrain, mlp, useBackend } from "../../lib/maml/mod.ts";
import { episodeSampler, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";

await useBackend("cpu");

/** How far each of `steps` updates moves two variables, optionally resuming before `resumeAt`. */
async function stepSizes(
  make: () => tf.Optimizer,
  steps: number,
  resumeAt?: number,
): Promise<number[][]> {
  const fresh = () => [tf.variable(tf.tensor([0.5, -1, 2])), tf.variable(tf.tensor([[1, 2]]))];
  let vars = fresh();
  let optimizer = make();
  const moves: number[][] = [];
  for (let k = 1; k <= steps; k++) {
    if (k === resumeAt) {
      // A new process: new variables (new names) holding the values, a new optimiser.
      const weights = await optimizer.getWeights();
      const next = fresh();
      next.forEach((v, i) => v.assign(vars[i]));
      tf.dispose(vars);
      vars = next;
      // (The old optimiser is not disposed: tf.train.adam's weights share its moments' memory.)
      optimizer = make();
      await optimizer.setWeights(weights);
    }
    const before = vars.map((v) => Array.from(v.dataSync()));
    const grads = [tf.tensor([Math.sin(k), 0.5, -2]), tf.tensor([[k % 3, 1e-3]])];
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    tf.dispose(grads);
    moves.push(vars.flatMap((v, i) => Array.from(v.dataSync(), (x, e) => before[i][e] - x)));
  }
  tf.dispose(vars);
  optimizer.dispose();
  return moves;
}

function assertClose(a: number[][], b: number[][], tolerance: number, what: string): void {
  a.forEach((row, k) =>
    row.forEach((x, e) =>
      assert.ok(
        Math.abs(x - b[k][e]) <= tolerance * Math.abs(b[k][e]) + 1e-9,
        `${what}: step ${k}, element ${e}: ${x} vs ${b[k][e]}`,
      )
    )
  );
}

Deno.test("metaOptimizer: Adam resumed through getWeights/setWeights continues as uninterrupted", async () => {
  const lr = 1e-3;
  const uninterrupted = await stepSizes(() => metaOptimizer({ lr }), 30);
  const resumed = await stepSizes(() => metaOptimizer({ lr }), 30, 21);
  // The moments travel as float32 (as tf.train.adam's): equal up to that rounding.
  assertClose(resumed.slice(20), uninterrupted.slice(20), 1e-4, "resumed");
  // tf.train.adam resumed the same way agrees too.
  const tfjs = await stepSizes(() => tf.train.adam(lr, 0.9, 0.999, 1e-8), 30, 21);
  assertClose(tfjs.slice(20), uninterrupted.slice(20), 1e-3, "tf.train.adam");
  // Weights of tf.train.adam restore into metaOptimizer: the same layout.
  const a = tf.variable(tf.tensor([1, 2]));
  const theirs = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  for (let k = 1; k <= 5; k++) {
    theirs.applyGradients([{ name: a.name, tensor: tf.tensor([k, -k]) }]);
  }
  const ours = metaOptimizer({ lr });
  await ours.setWeights(await theirs.getWeights());
  const b = tf.variable(a.clone());
  ours.applyGradients([{ name: b.name, tensor: tf.tensor([6, -6]) }]);
  theirs.applyGradients([{ name: a.name, tensor: tf.tensor([6, -6]) }]);
  Array.from(a.dataSync()).forEach((x, e) => assert.ok(Math.abs(x - b.dataSync()[e]) < 1e-6));
  tf.dispose([a, b]);
  ours.dispose();
  theirs.dispose();
});

Deno.test("metaOptimizer: a step count without moments restarts Adam (no inflated first steps)", async () => {
  const lr = 1e-3;
  const v = tf.variable(tf.tensor([0]));
  const adam = metaOptimizer({ lr });
  await adam.setWeights([{ name: "iter", tensor: tf.scalar(200, "int32") }]);
  adam.applyGradients([{ name: v.name, tensor: tf.tensor([0.5]) }]);
  // Adam's first step is lr·g/(|g| + ε/…): lr, not the 1.35·lr of step 201 with zero moments.
  assert.ok(Math.abs(-v.dataSync()[0] / lr - 1) < 1e-5, `${-v.dataSync()[0] / lr}`);
  const [iter] = await adam.getWeights();
  assert.equal(iter.tensor.dataSync()[0], 1);
  // Moments for another number of variables than the update has: a named error.
  await adam.setWeights(await adam.getWeights());
  const w = tf.variable(tf.tensor([0]));
  assert.throws(
    () =>
      adam.applyGradients([
        { name: v.name, tensor: tf.tensor([1]) },
        { name: w.name, tensor: tf.tensor([1]) },
      ]),
    /metaOptimizer: setWeights gave moments of 1 variables, applyGradients updates 2/,
  );
  tf.dispose([v, w]);
  adam.dispose();
});

Deno.test("metaTrain: a source returning another number of episodes than metaBatchSize", async () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 8, 1] }));
  const inner = episodeSampler(sinusoid);
  for (const returned of [1, 26]) {
    await assert.rejects(
      metaTrain(learner, { source: (rng) => inner(rng, returned), iterations: 2 }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message.startsWith(
          `metaTrain: iteration 1: source() returned ${returned} episodes, ` +
            "options.metaBatchSize is 25",
        ),
    );
  }
  learner.dispose();
});

Deno.test("metaTrain: onCheckpoint gets the iteration number, as its documentation says", async () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 8, 1] }));
  const seen: unknown[] = [];
  await metaTrain(learner, {
    source: episodeSampler(sinusoid),
    iterations: 4,
    metaBatchSize: 2,
    checkpointEvery: 2,
    onCheckpoint: (iteration) => void seen.push(iteration),
  });
  assert.deepEqual(seen, [2, 4]);
  learner.dispose();
  const source = Deno.readTextFileSync(new URL("../../lib/maml/train.ts", import.meta.url));
  const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*onCheckpoint\?:/.exec(source)?.[1] ?? "";
  assert.match(doc, /number of meta-iterations/);
  assert.doesNotMatch(doc, /Called with a checkpoint/);
});
