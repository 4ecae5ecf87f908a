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

Deno.test("mnistEpisodes: digit split respected, N-way one-hot labels, K-shot counts, labels permuted", async () => {
  const { mnistEpisodes } = await import("../../lib/data/mod.ts");
  const episodes = await mnistEpisodes({ ways: 5, shots: 2, queries: 3 });
  assert.equal(episodes.numFeatures, 196);
  assert.deepEqual(episodes.metaTest.classes, ["5", "6", "7", "8", "9"]);
  assert.equal(episodes.metaTrain.classes.length, 20, "digits 0–4 and their three rotations");
  for (const c of episodes.metaTrain.classes) assert.match(c, /^[0-4](@(90|180|270))?$/);
  const rng = new Rng(3);
  const firstLabelOfDigit = new Set<number>();
  for (
    const [pool, digits] of [[episodes.metaTrain, "01234"], [episodes.metaTest, "56789"]] as const
  ) {
    for (let e = 0; e < 20; e++) {
      const episode = pool.sample(rng);
      assert.equal(episode.classes.length, 5);
      assert.equal(new Set(episode.classes).size, 5);
      for (const c of episode.classes) assert.ok(digits.includes(c[0]), `${c} in ${digits}`);
      for (const [set, perClass] of [[episode.support, 2], [episode.query, 3]] as const) {
        assert.equal(set.size, 5 * perClass);
        assert.equal(set.x.length, 5 * perClass * 196);
        assert.equal(set.y.length, 5 * perClass * 5);
        const counts = new Array(5).fill(0);
        for (let r = 0; r < set.size; r++) {
          const row = Array.from(set.y.subarray(r * 5, r * 5 + 5));
          assert.equal(row.reduce((a, b) => a + b, 0), 1, "one-hot");
          counts[row.indexOf(1)]++;
        }
        assert.deepEqual(counts, new Array(5).fill(perClass), "K per class");
      }
      if (pool === episodes.metaTest) firstLabelOfDigit.add(episode.classes.indexOf("5"));
      const x = episode.support.x;
      assert.ok(x.every((v) => v >= 0 && v <= 1), "grey levels in [0, 1]");
    }
  }
  assert.ok(firstLabelOfDigit.size >= 3, "digit 5 gets different labels across episodes");
});

Deno.test("mnistEpisodes: rotated classes are rotations, unrotated option, bad splits named", async () => {
  const { mnistEpisodes } = await import("../../lib/data/mod.ts");
  const plain = await mnistEpisodes({
    ways: 2,
    shots: 1,
    queries: 1,
    rotations: false,
    metaTestDigits: [0, 1],
  });
  assert.deepEqual(plain.metaTest.classes, ["0", "1"]);
  assert.deepEqual(plain.metaTrain.classes, ["2", "3", "4", "5", "6", "7", "8", "9"]);
  await assert.rejects(
    () => mnistEpisodes({ ways: 5, shots: 1, metaTestDigits: [0, 1, 2, 3] }),
    /metaTestDigits: 4 meta-test/,
  );
  await assert.rejects(() => mnistEpisodes({ ways: 5, shots: 0 }), /shots/);
  // A rotated class holds the same images turned by 90°: the pixel (i, j) moves to (13 − j, i).
  const rotated = await mnistEpisodes({
    ways: 2,
    shots: 1,
    queries: 1,
    metaTestDigits: [5, 6, 7, 8, 9],
  });
  const rng = new Rng(0);
  for (let e = 0; e < 30; e++) {
    const episode = rotated.metaTrain.sample(rng);
    const k = episode.classes.findIndex((c) => c.endsWith("@90"));
    if (k < 0) continue;
    const r = Array.from({ length: episode.support.size }, (_, i) => i)
      .find((i) => episode.support.y[i * 2 + k] === 1)!;
    const image = episode.support.x.subarray(r * 196, r * 196 + 196);
    const id = episode.support.rows[r];
    const { loadMnist } = await import("../../lib/data/mod.ts");
    const { table } = await loadMnist();
    const original = Array.from(
      { length: 196 },
      (_, p) => (table.array(`p${p}`) as Float64Array)[id],
    );
    for (let i = 0; i < 14; i++) {
      for (let j = 0; j < 14; j++) assert.equal(image[(13 - j) * 14 + i], original[i * 14 + j]);
    }
    return;
  }
  assert.fail("no rotated class drawn in 30 episodes");
});

Deno.test("tableEpisodes: named meta-test classes, numeric labels as text, errors name the field", async () => {
  const { aq } = await import("../../lib/deps/arquero.ts");
  const { tableEpisodes } = await import("../../lib/data/mod.ts");
  const rows = 120;
  const table = aq.table({
    a: Array.from({ length: rows }, (_, i) => (i * 7) % 11),
    b: Array.from({ length: rows }, (_, i) => (i % 6) + 0.1 * (i % 5)),
    target: Array.from({ length: rows }, (_, i) => i % 6),
  });
  const episodes = tableEpisodes(table, {
    name: "toy",
    target: "target",
    ways: 3,
    shots: 2,
    queries: 4,
    split: "classes",
    metaTestClasses: ["3", "4", "5"],
    oneHot: true,
  });
  assert.deepEqual(episodes.metaTrain.classes, ["0", "1", "2"]);
  assert.deepEqual(episodes.metaTest.classes, ["3", "4", "5"]);
  const target = table.array("target") as number[];
  const episode = episodes.metaTest.sample(new Rng(1));
  assert.equal(episode.support.size, 6);
  assert.equal(episode.support.y.length, 18);
  episode.query.rows.forEach((row, i) => {
    const local = Array.from(episode.query.y.subarray(i * 3, i * 3 + 3)).indexOf(1);
    assert.equal(String(target[row]), episode.classes[local]);
  });
  assert.throws(
    () => tableEpisodes(table, { name: "toy", target: "nope", shots: 1 }),
    /target: no column "nope"/,
  );
  assert.throws(
    () =>
      tableEpisodes(table, {
        name: "toy",
        target: "target",
        ways: 3,
        shots: 1,
        split: "classes",
        metaTestClasses: ["3", "9"],
      }),
    /metaTestClasses: \["9"\] not among/,
  );
  assert.throws(
    () =>
      tableEpisodes(table, {
        name: "toy",
        target: "target",
        ways: 3,
        shots: 1,
        split: "classes",
        metaTestClasses: ["4", "5"],
      }),
    /2 meta-test and 4 meta-train classes; 3-way/,
  );
});

Deno.test("mnistClasses: the episodes' class split as plain images, the same rows as the pools", async () => {
  const { mnistClasses, mnistEpisodes } = await import("../../lib/data/mod.ts");
  const classes = await mnistClasses();
  assert.equal(classes.width, 196);
  assert.equal(new Set(classes.metaTrain.labels).size, 20);
  assert.deepEqual([...new Set(classes.metaTest.labels)].sort(), ["5", "6", "7", "8", "9"]);
  assert.equal(classes.metaTrain.x.length, classes.metaTrain.labels.length * 196);
  // Every meta-test episode row is the image of its id and class in mnistClasses.
  const episodes = await mnistEpisodes({ ways: 5, shots: 2, queries: 3 });
  assert.equal(episodes.metaTrain.rows.length, classes.metaTrain.labels.length);
  const where = new Map(classes.metaTest.labels.map((label, i) => [
    `${label}/${classes.metaTest.ids[i]}`,
    i,
  ]));
  const rng = new Rng(4);
  for (let e = 0; e < 5; e++) {
    const episode = episodes.metaTest.sample(rng);
    for (let r = 0; r < episode.query.size; r++) {
      const local = Array.from({ length: 5 }, (_, c) => c)
        .find((c) => episode.query.y[r * 5 + c] === 1)!;
      const i = where.get(`${episode.classes[local]}/${episode.query.rows[r]}`);
      assert.ok(i !== undefined, "query row found in mnistClasses");
      assert.deepEqual(
        episode.query.x.subarray(r * 196, r * 196 + 196),
        classes.metaTest.x.subarray(i * 196, i * 196 + 196),
      );
    }
  }
  await assert.rejects(() => mnistClasses({ metaTestDigits: [10] }), /metaTestDigits/);
});

Deno.test("episodeStacker: a meta-batch of the pool's own episodes, stacked as float32, same draws", async () => {
  const { episodeStacker, mnistEpisodes } = await import("../../lib/data/episodes.ts");
  const { toyEpisodes: toy } = await import("./_toy_episodes.ts");
  const pools = [
    ...[1, 5].map(async (shots) => (await mnistEpisodes({ ways: 5, shots, queries: 4 })).metaTrain),
    toy(true).metaTrain,
    toy(false).metaTest,
    (await tabularEpisodes({ dataset: "cars-mpg", shots: 5, queries: 7 })).metaTrain,
  ];
  const concat = (arrays: Float64Array[]) => {
    const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) (out.set(a, at), at += a.length);
    return out;
  };
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (const pending of pools) {
    const pool = await pending;
    const stacker = episodeStacker(pool)!;
    assert.ok(stacker, "a pool of lib/data has a stacker");
    assert.equal(episodeStacker(pool), stacker, "the same stacker on every call");
    for (const [seed, n] of [[0, 8], [3, 1], [11, 5]]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      const episodes = Array.from({ length: n }, () => pool.sample(a));
      const stacked = stacker.stack(b, n);
      assert.equal(stacked.tasks, n);
      for (const part of ["support", "query"] as const) {
        for (const key of ["x", "y"] as const) {
          const expected = concat(episodes.map((e) => e[part][key]));
          const got = stacked[`${part}${key.toUpperCase() as "X" | "Y"}`];
          assert.deepEqual(bits(got), bits(expected), `${part}.${key}, seed ${seed}`);
        }
      }
      assert.equal(stacker.width, episodes[0].support.x.length / episodes[0].support.size);
      assert.equal(stacker.targetWidth, episodes[0].support.y.length / episodes[0].support.size);
      assert.equal(b.uniform(), a.uniform(), "the same draws from the generator");
    }
  }
  // Pools made elsewhere, copied, or whose sample was replaced have none (they draw with sample).
  const pool = toy(true).metaTrain;
  assert.equal(episodeStacker({ ...pool }), undefined);
  assert.equal(episodeStacker({ ...pool, sample: () => pool.sample(new Rng(0)) }), undefined);
  pool.sample = (rng) => toy(false).metaTrain.sample(rng);
  assert.equal(episodeStacker(pool), undefined);
  assert.throws(() => episodeStacker(toy(true).metaTrain)!.stack({} as Rng, 1), /rng/);
});

Deno.test("tableEpisodes: a regression target constant up to round-off is scaled by 1, not by its round-off", async () => {
  const { aq } = await import("../../lib/deps/arquero.ts");
  const { tableEpisodes } = await import("../../lib/data/mod.ts");
  const rows = 60;
  const table = aq.table({
    a: Array.from({ length: rows }, (_, i) => (i * 7) % 11),
    y: Array.from({ length: rows }, () => 0.1), // mean of many 0.1 is not exactly 0.1
  });
  const episodes = tableEpisodes(table, {
    name: "flat",
    target: "y",
    task: "regression",
    shots: 5,
    queries: 5,
  });
  assert.equal(episodes.targetStd, 1);
  const episode = episodes.metaTrain.sample(new Rng(0));
  for (const v of episode.support.y) assert.ok(Math.abs(v) < 1e-15, String(v));
});
