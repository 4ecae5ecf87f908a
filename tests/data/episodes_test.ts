import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import { loadBuiltinDataset, tabularEpisodes } from "../../lib/data/mod.ts";

/** Population mean and standard deviation, computed directly. */
function stats(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}

Deno.test("class split: N-way K-shot shapes, disjoint classes, labels match the source rows", async () => {
  const episodes = await tabularEpisodes({
    dataset: "seattle-weather",
    ways: 2,
    shots: 3,
    queries: 4,
    split: "classes",
    metaTestFraction: 0.4,
    seed: 5,
  });
  const { table } = await loadBuiltinDataset("seattle-weather", { seed: 5 });
  const labels = table.array("weather") as string[];
  assert.equal(episodes.numFeatures, 4);
  assert.equal(episodes.metaTrain.classes.length + episodes.metaTest.classes.length, 5);
  assert.equal(episodes.metaTest.classes.length, 2);
  for (const c of episodes.metaTest.classes) assert.ok(!episodes.metaTrain.classes.includes(c));
  assert.equal(episodes.metaTrain.rows.length + episodes.metaTest.rows.length, table.numRows());
  const rng = new Rng(1);
  for (const pool of [episodes.metaTrain, episodes.metaTest]) {
    for (let e = 0; e < 20; e++) {
      const episode = pool.sample(rng);
      assert.equal(episode.support.size, 6);
      assert.equal(episode.query.size, 8);
      assert.equal(episode.support.x.length, 6 * 4);
      assert.equal(new Set(episode.classes).size, 2);
      for (const set of [episode.support, episode.query]) {
        set.rows.forEach((r, i) => {
          assert.equal(labels[r], episode.classes[set.y[i]]);
          assert.ok(pool.classes.includes(labels[r]));
        });
      }
      const used = [...episode.support.rows, ...episode.query.rows];
      assert.equal(new Set(used).size, used.length, "support and query rows are distinct");
    }
  }
});

Deno.test("row split: disjoint pools, features standardised with meta-train statistics", async () => {
  const episodes = await tabularEpisodes({
    dataset: "iris",
    ways: 3,
    shots: 5,
    queries: 5,
    seed: 2,
  });
  const { table } = await loadBuiltinDataset("iris", { seed: 2 });
  const train = new Set(episodes.metaTrain.rows);
  assert.ok([...episodes.metaTest.rows].every((r) => !train.has(r)));
  assert.equal(episodes.metaTest.rows.length, 45); // 30 % of 150, stratified
  assert.deepEqual(episodes.metaTrain.classes, ["setosa", "versicolor", "virginica"]);
  const names = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
  const episode = episodes.metaTest.sample(new Rng(3));
  names.forEach((name, j) => {
    const raw = table.array(name) as number[];
    const { mean, std } = stats(Array.from(episodes.metaTrain.rows, (r) => raw[r]));
    episode.query.rows.forEach((r, i) => {
      assert.ok(Math.abs(episode.query.x[i * 4 + j] - (raw[r] - mean) / std) < 1e-12);
    });
  });
});

Deno.test("regression episodes: K-shot sets with targets standardised by meta-train statistics", async () => {
  const episodes = await tabularEpisodes({
    dataset: "boston-housing",
    shots: 10,
    queries: 20,
    seed: 1,
  });
  const { table } = await loadBuiltinDataset("boston-housing");
  const medv = table.array("medv") as number[];
  const { mean, std } = stats(Array.from(episodes.metaTrain.rows, (r) => medv[r]));
  assert.ok(Math.abs(episodes.targetMean - mean) < 1e-12);
  assert.ok(Math.abs(episodes.targetStd - std) < 1e-12);
  const episode = episodes.metaTrain.sample(new Rng(9));
  assert.equal(episode.support.size, 10);
  assert.equal(episode.query.size, 20);
  assert.deepEqual(episode.classes, []);
  episode.support.rows.forEach((r, i) => {
    assert.ok(Math.abs(episode.support.y[i] * std + mean - medv[r]) < 1e-9);
  });
  const raw = await tabularEpisodes({
    dataset: "boston-housing",
    shots: 2,
    queries: 2,
    standardizeTarget: false,
  });
  const e = raw.metaTest.sample(new Rng(1));
  e.query.rows.forEach((r, i) => assert.equal(e.query.y[i], medv[r]));
});

Deno.test("one-hot targets put a single 1 in the column of the class index", async () => {
  const options = { dataset: "penguins", ways: 3, shots: 2, queries: 3, seed: 4 };
  const plain = await tabularEpisodes(options);
  const hot = await tabularEpisodes({ ...options, oneHot: true });
  const a = plain.metaTrain.sample(new Rng(8));
  const b = hot.metaTrain.sample(new Rng(8));
  assert.deepEqual(b.support.x, a.support.x);
  assert.equal(b.query.y.length, a.query.size * 3);
  a.query.y.forEach((k, i) => {
    assert.deepEqual(
      Array.from(b.query.y.subarray(i * 3, i * 3 + 3)),
      [0, 1, 2].map((c) => c === k ? 1 : 0),
    );
  });
});

Deno.test("episodes are deterministic for a generator seed", async () => {
  const a = await tabularEpisodes({
    dataset: "mnist",
    ways: 5,
    shots: 1,
    queries: 2,
    split: "classes",
    metaTestFraction: 0.5,
  });
  const b = await tabularEpisodes({
    dataset: "mnist",
    ways: 5,
    shots: 1,
    queries: 2,
    split: "classes",
    metaTestFraction: 0.5,
  });
  assert.deepEqual(a.metaTest.classes, b.metaTest.classes);
  assert.equal(a.numFeatures, 196);
  const e1 = a.metaTrain.sample(new Rng(4));
  const e2 = b.metaTrain.sample(new Rng(4));
  assert.deepEqual(e1, e2);
  assert.notDeepEqual(a.metaTrain.sample(new Rng(5)).support.rows, e1.support.rows);
});

Deno.test("tabularEpisodes and sample reject bad inputs, naming the field", async () => {
  await assert.rejects(() => tabularEpisodes({} as never), /options\.dataset/);
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 1, oneHot: 1 as unknown as boolean }),
    /options\.oneHot/,
  );
  await assert.rejects(() => tabularEpisodes({ dataset: "iris", shots: 0 }), /options\.shots/);
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 1, ways: 1 }),
    /options\.ways/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 1, metaTestFraction: 1 }),
    /options\.metaTestFraction/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 1, split: "x" as "rows" }),
    /options\.split/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "nope", shots: 1 }),
    /unknown built-in dataset/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "boston-housing", shots: 1, split: "classes" }),
    /boston-housing: a class split needs a classification dataset/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 1, ways: 2, split: "classes" }),
    /iris, column "species": has 3 classes; a class split with 2-way episodes needs 4/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "iris", shots: 10, queries: 10, ways: 3 }),
    /iris meta-test: only 0 class\(es\) have 20 rows/,
  );
  await assert.rejects(
    () => tabularEpisodes({ dataset: "cps-wages", shots: 100, queries: 100 }),
    /cps-wages meta-test: has 160 rows; an episode needs 200/,
  );
  const episodes = await tabularEpisodes({ dataset: "iris", shots: 1, queries: 2 });
  assert.throws(() => episodes.metaTrain.sample({} as Rng), /rng: must be an Rng/);
});
