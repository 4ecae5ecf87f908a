// The few-shot protocol's meta-batches (`poolBatches`): a pool of lib/data writes its episodes
// straight into the batch's float32 arrays, bit for bit the batch `episodeBatch` stacks from
// `pool.sample`, with the same draws; anything else (other pools, other model sizes, non-finite
// values) takes `episodeBatch`'s path, with its errors.
import assert from "node:assert/strict";
import { aq } from "../../lib/deps/arquero.ts";
import { DataError, mnistEpisodes, tableEpisodes, tabularEpisodes } from "../../lib/data/mod.ts";
import type { TabularEpisodePool } from "../../lib/data/mod.ts";
import { episodeStacker } from "../../lib/data/episodes.ts";
import {
  createLearner,
  disposeBatch,
  episodeBatch,
  type FunctionalModel,
  mlp,
  mse,
  type TaskBatch,
  useBackend,
} from "../../lib/maml/mod.ts";
import type { tf } from "../../lib/deps/tf.ts";
import { Rng } from "../../lib/random/rng.ts";
import { poolBatches } from "../../lib/protocols/fewshot.ts";
import { toyEpisodes } from "../data/_toy_episodes.ts";
import { metaTrain, metaTrainBatches } from "../../lib/maml/train.ts";

await useBackend("cpu");

const LABEL = "metaTrain: iteration 1: source()";

/** Asserts that two batches have the same shapes and the same float32 bits. */
function assertSameBatch(got: TaskBatch, expected: TaskBatch, what: string) {
  for (const key of ["supportX", "supportY", "queryX", "queryY"] as const) {
    assert.deepEqual(got[key].shape, expected[key].shape, `${what}: ${key} shape`);
    assert.equal(got[key].dtype, "float32");
    const bits = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);
    assert.deepEqual(bits(got[key]), bits(expected[key]), `${what}: ${key}`);
  }
}

/** The batch of `poolBatches` and of `episodeBatch(sample…)` from generators of one seed. */
function compare(pool: TabularEpisodePool, model: FunctionalModel, seed: number, n: number) {
  const a = new Rng(seed);
  const b = new Rng(seed);
  const fast = poolBatches(pool, model)(a, n, LABEL);
  const slow = episodeBatch(Array.from({ length: n }, () => pool.sample(b)), model, LABEL);
  try {
    assertSameBatch(fast, slow, `seed ${seed}, ${n} tasks`);
    assert.equal(a.uniform(), b.uniform(), "the same draws from the generator");
  } finally {
    disposeBatch(fast);
    disposeBatch(slow);
  }
}

/** Regression pools (40 rows, 1 feature) whose meta-train row `bad` has the target `value`. */
function regression(value: number, bad = 3) {
  const make = (row: number) =>
    tableEpisodes(
      aq.table({
        f: Array.from({ length: 40 }, (_, i) => i % 9),
        y: Array.from({ length: 40 }, (_, i) => (i === row ? value : (i * 3) % 5 - 2)),
      }),
      {
        name: "toy",
        target: "y",
        task: "regression",
        shots: 4,
        queries: 5,
        standardizeTarget: false,
        metaTestFraction: 0.25,
      },
    );
  // The row split does not depend on the values.
  return make(make(-1).metaTrain.rows[bad]);
}

/** Asserts `f` and `g` throw errors of the same class with the same message. */
function sameError(f: () => unknown, g: () => unknown): Error {
  let expected: unknown;
  try {
    g();
  } catch (error) {
    expected = error;
  }
  assert.ok(expected instanceof Error, "the reference throws");
  assert.throws(f, (e: unknown) => {
    assert.equal((e as Error).constructor, expected.constructor);
    assert.equal((e as Error).message, expected.message);
    return true;
  });
  return expected;
}

Deno.test("poolBatches: MNIST meta-batches equal episodeBatch of sample, bit for bit", async () => {
  for (const shots of [1, 5]) {
    const pool = (await mnistEpisodes({ ways: 5, shots, queries: 15 })).metaTrain;
    const model = mlp({ sizes: [196, 16, 5] });
    assert.ok(episodeStacker(pool), "the fast path is taken");
    for (const [seed, n] of [[0, 8], [1, 8], [42, 3], [7, 1]]) compare(pool, model, seed, n);
  }
  const three = (await mnistEpisodes({ ways: 3, shots: 2, queries: 4, rotations: false }))
    .metaTest;
  for (const seed of [2, 5]) compare(three, mlp({ sizes: [196, 8, 3] }), seed, 4);
});

Deno.test("poolBatches: one-hot, class-index and regression targets, bit for bit", async () => {
  const cars = await tabularEpisodes({ dataset: "cars-mpg", shots: 5, queries: 7 });
  const cases: [TabularEpisodePool, FunctionalModel][] = [
    [toyEpisodes(true).metaTrain, mlp({ sizes: [2, 8, 3] })],
    [toyEpisodes(true).metaTest, mlp({ sizes: [2, 8, 3] })],
    [toyEpisodes(false).metaTrain, mlp({ sizes: [2, 8, 1] })],
    [cars.metaTrain, mlp({ sizes: [cars.numFeatures, 8, 1] })],
    [cars.metaTest, mlp({ sizes: [cars.numFeatures, 8, 1] })],
    [regression(1e30).metaTrain, mlp({ sizes: [1, 4, 1] })],
  ];
  for (const [pool, model] of cases) {
    for (const [seed, n] of [[0, 8], [9, 2], [123, 5]]) compare(pool, model, seed, n);
  }
});

Deno.test("poolBatches: non-finite data and mismatched models give episodeBatch's errors", () => {
  for (const [value, message] of [[1e39, "must be finite in float32"], [NaN, "must be finite"]]) {
    const pool = regression(value as number).metaTrain;
    const model = mlp({ sizes: [1, 4, 1] });
    // A meta-batch that draws the bad row fails as episodeBatch does; the others are the same.
    let failed = 0;
    for (let seed = 0; seed < 30; seed++) {
      const rng = new Rng(seed);
      const copy = new Rng(seed);
      try {
        compare(pool, model, seed, 4);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        failed++;
        const expected = sameError(
          () => poolBatches(pool, model)(rng, 4, LABEL),
          () => episodeBatch(Array.from({ length: 4 }, () => pool.sample(copy)), model, LABEL),
        );
        assert.ok(expected instanceof DataError);
        assert.match(expected.message, new RegExp(`^${LABEL.replace(/[()]/g, "\\$&")}\\[\\d\\]`));
        assert.ok(expected.message.includes(`: ${message}, got ${value}`), expected.message);
      }
    }
    assert.ok(failed > 0 && failed < 30, `${failed} of 30 meta-batches draw the bad row`);
  }
  // A model of other sizes gets episodeBatch's RangeError.
  const toyPool = toyEpisodes(true).metaTrain;
  for (const sizes of [[2, 4, 1], [3, 4, 3], [1, 4, 3]]) {
    const model = mlp({ sizes });
    sameError(
      () => poolBatches(toyPool, model)(new Rng(0), 2, LABEL),
      () => episodeBatch([toyPool.sample(new Rng(0)), toyPool.sample(new Rng(0))], model, LABEL),
    );
  }
});

Deno.test("poolBatches: a pool whose sample was replaced is drawn with its sample", () => {
  const pool = regression(0.5).metaTrain;
  const model = mlp({ sizes: [1, 4, 1] });
  const own = pool.sample;
  let calls = 0;
  const wrapped = { ...pool, sample: (rng: Rng) => (calls++, own(rng)) };
  compare(wrapped, model, 3, 5);
  assert.equal(calls, 10, "both batches drew with the replaced sample");
});

Deno.test("poolBatches: a sample replaced between calls is drawn with from the next call on", () => {
  const pool = regression(0.5).metaTrain;
  const model = mlp({ sizes: [1, 4, 1] });
  assert.ok(episodeStacker(pool), "the fast path is taken at first");
  const source = poolBatches(pool, model);
  disposeBatch(source(new Rng(1), 2, LABEL));
  const own = pool.sample;
  let calls = 0;
  pool.sample = (rng: Rng) => {
    calls++;
    const episode = own(rng);
    episode.query.x.fill(0);
    return episode;
  };
  try {
    const [a, b] = [new Rng(2), new Rng(2)];
    const got = source(a, 3, LABEL);
    const expected = episodeBatch(Array.from({ length: 3 }, () => pool.sample(b)), model, LABEL);
    try {
      assert.equal(calls, 6, "the replaced sample drew both batches");
      assertSameBatch(got, expected, "replaced sample");
      assert.ok((got.queryX.dataSync() as Float32Array).every((v) => v === 0));
    } finally {
      disposeBatch(got);
      disposeBatch(expected);
    }
  } finally {
    pool.sample = own;
  }
  // Restored: the fast path again.
  assert.ok(episodeStacker(pool));
  compare(pool, model, 3, 2);
  assert.equal(calls, 6);
});

Deno.test("metaTrainBatches of poolBatches: metaTrain's losses, and its error for non-finite data", async () => {
  const model = mlp({ sizes: [1, 6, 1] });
  const learner = () => createLearner("fomaml", model, { innerLr: 0.1, seed: 0, loss: mse });
  const options = { iterations: 40, metaBatchSize: 3, seed: 5, progressEvery: 100 };
  const train = async (pool: TabularEpisodePool, fast: boolean) => {
    const l = learner();
    try {
      return fast
        ? await metaTrainBatches(l, options, poolBatches(pool, model))
        : await metaTrain(l, {
          ...options,
          source: (rng, n) => Array.from({ length: n }, () => pool.sample(rng)),
        });
    } finally {
      l.dispose();
    }
  };
  const finite = regression(0.5).metaTrain;
  const [a, b] = [await train(finite, true), await train(finite, false)];
  assert.equal(a.iterations, 40);
  assert.deepEqual(a.losses, b.losses);
  // A meta-batch that draws the non-finite target fails with metaTrain's message.
  for (const value of [Infinity, 1e39]) {
    const pool = regression(value).metaTrain;
    const expected = await train(pool, false).catch((error) => error);
    assert.ok(expected instanceof DataError, "some meta-batch draws the bad row");
    const message = expected.message;
    assert.match(message, /^metaTrain: iteration \d+: source\(\)\[\d\]\.\w+\.y\[/);
    await assert.rejects(() => train(pool, true), (error: unknown) => {
      assert.ok(error instanceof DataError, String(error));
      assert.equal(error.message, message);
      return true;
    });
  }
});
