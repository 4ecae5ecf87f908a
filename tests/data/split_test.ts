import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import { shuffledSplit, stratifiedSplit, subsampleRows } from "../../lib/data/mod.ts";

const F = { train: 0.6, validation: 0.2, test: 0.2 };

function assertPartition(
  parts: { train: Int32Array; validation: Int32Array; test: Int32Array },
  n: number,
) {
  const all = [...parts.train, ...parts.validation, ...parts.test].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i));
  for (const part of [parts.train, parts.validation, parts.test]) {
    for (let i = 1; i < part.length; i++) assert.ok(part[i - 1] < part[i], "sorted ascending");
  }
}

Deno.test("shuffledSplit: exact sizes, a partition, deterministic per seed", () => {
  const a = shuffledSplit(103, F, new Rng(5));
  assertPartition(a, 103);
  assert.deepEqual([a.train.length, a.validation.length, a.test.length], [61, 21, 21]);
  assert.deepEqual(shuffledSplit(103, F, new Rng(5)), a);
  assert.notDeepEqual(shuffledSplit(103, F, new Rng(6)).test, a.test);
  const tiny = shuffledSplit(2, { train: 0.5, validation: 0, test: 0.5 }, new Rng(1));
  assert.deepEqual([tiny.train.length, tiny.test.length], [1, 1]);
  const one = shuffledSplit(1, F, new Rng(1));
  assert.deepEqual([one.train.length, one.validation.length, one.test.length], [1, 0, 0]);
});

Deno.test("stratifiedSplit keeps class proportions in every part", () => {
  // 30 / 20 / 10 rows: quotas are whole numbers, so every part is exactly proportional.
  const labels = Array.from({ length: 60 }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
  const parts = stratifiedSplit(labels, F, new Rng(3));
  assertPartition(parts, 60);
  const count = (rows: Int32Array, c: number) => rows.filter((r) => labels[r] === c).length;
  assert.deepEqual([0, 1, 2].map((c) => count(parts.train, c)), [18, 12, 6]);
  assert.deepEqual([0, 1, 2].map((c) => count(parts.validation, c)), [6, 4, 2]);
  assert.deepEqual([0, 1, 2].map((c) => count(parts.test, c)), [6, 4, 2]);
  assert.deepEqual(stratifiedSplit(labels, F, new Rng(3)), parts);
  assert.notDeepEqual(stratifiedSplit(labels, F, new Rng(4)).train, parts.train);
});

Deno.test("stratifiedSplit: per-class counts within one of the quota on random label sets", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 30; trial++) {
    const n = 20 + rng.integer(200);
    const k = 2 + rng.integer(6);
    const labels = Array.from({ length: n }, () => rng.integer(k));
    const fractions = { train: 0.5, validation: 0.3, test: 0.2 };
    const parts = stratifiedSplit(labels, fractions, rng.spawn());
    assertPartition(parts, n);
    assert.equal(parts.test.length, Math.round(n * 0.2));
    assert.equal(parts.validation.length, Math.round(n * 0.3));
    for (let c = 0; c < k; c++) {
      const size = labels.filter((l) => l === c).length;
      if (size === 0) continue;
      for (const name of ["validation", "test"] as const) {
        const got = parts[name].filter((r) => labels[r] === c).length;
        assert.ok(Math.abs(got - size * fractions[name]) <= 1 + 1e-9, `${name} class ${c}`);
      }
      assert.ok(parts.train.some((r) => labels[r] === c), "every class keeps a training row");
    }
  }
});

Deno.test("stratifiedSplit never leaves a rare class without training rows", () => {
  const labels = [...new Array(10).fill(0), 1];
  for (let seed = 0; seed < 20; seed++) {
    const parts = stratifiedSplit(
      labels,
      { train: 0.2, validation: 0.4, test: 0.4 },
      new Rng(seed),
    );
    assert.deepEqual([...parts.train].filter((r) => labels[r] === 1), [10]);
  }
});

Deno.test("split functions reject bad inputs, naming the field", () => {
  const rng = new Rng(1);
  assert.throws(() => shuffledSplit(0, F, rng), /n: must be a positive integer/);
  assert.throws(() => shuffledSplit(2.5, F, rng), /n: must be a positive integer/);
  assert.throws(
    () => shuffledSplit(10, { train: 0.5, validation: 0.2, test: 0.2 }, rng),
    /fractions: train \+ validation \+ test must equal 1/,
  );
  assert.throws(
    () => shuffledSplit(10, { train: 0, validation: 0.5, test: 0.5 }, rng),
    /fractions\.train/,
  );
  assert.throws(() => shuffledSplit(10, { ...F, test: -0.1 } as typeof F, rng), /fractions\.test/);
  assert.throws(() => shuffledSplit(10, F, {} as Rng), /rng: must be an Rng/);
  assert.throws(() => stratifiedSplit([], F, rng), /labels: must be a non-empty array/);
  assert.throws(() => stratifiedSplit([0, -1], F, rng), /labels\[1\]/);
  assert.throws(() => stratifiedSplit([0, 0.5], F, rng), /labels\[1\]/);
  assert.throws(
    () => stratifiedSplit([0, 1], { train: 1 } as typeof F, rng),
    /fractions\.validation/,
  );
  assert.throws(() => stratifiedSplit([0, 1], F, null as unknown as Rng), /rng/);
});

Deno.test("subsampleRows: stratified by label or uniform, sorted, seeded, all rows when few", () => {
  const labels = [...Array(60).fill("a"), ...Array(30).fill("b"), ...Array(10).fill("c")];
  const kept = subsampleRows(labels, 20, new Rng(1));
  assert.equal(kept.length, 20);
  const count = (l: string) => Array.from(kept).filter((i) => labels[i] === l).length;
  assert.deepEqual([count("a"), count("b"), count("c")], [12, 6, 2]);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i - 1] < kept[i], "sorted");
  assert.deepEqual(subsampleRows(labels, 20, new Rng(1)), kept);
  assert.notDeepEqual(subsampleRows(labels, 20, new Rng(2)), kept);
  // A rare class keeps one row.
  const rare = subsampleRows([...Array(999).fill("x"), "y"], 10, new Rng(0));
  assert.ok(Array.from(rare).includes(999));
  // The same positions as the training part of the split it is defined by.
  const index = labels.map((l) => "abc".indexOf(l));
  assert.deepEqual(
    kept,
    stratifiedSplit(index, { train: 0.2, validation: 0, test: 0.8 }, new Rng(1)).train,
  );
  const uniform = subsampleRows(1000, 100, new Rng(0));
  assert.equal(uniform.length, 100);
  assert.equal(new Set(uniform).size, 100);
  assert.ok(uniform.every((i) => i >= 0 && i < 1000));
  assert.deepEqual(subsampleRows(5, 10, new Rng(0)), Int32Array.of(0, 1, 2, 3, 4));
  assert.deepEqual(subsampleRows(5, Infinity, undefined as never), Int32Array.of(0, 1, 2, 3, 4));
  assert.throws(() => subsampleRows(0, 10, new Rng(0)), /rows: must be a positive row count/);
  assert.throws(() => subsampleRows(10, 0, new Rng(0)), /maxRows: must be a positive integer/);
  assert.throws(() => subsampleRows(10, 2.5, new Rng(0)), /maxRows/);
  assert.throws(() => subsampleRows(10, 5, {} as Rng), /rng: must be an Rng/);
});

Deno.test("subsampleRows: fewer rows than classes is a RangeError, never more than maxRows", () => {
  const labels = ["a", "a", "b", "b", "c", "c", "c"];
  assert.throws(
    () => subsampleRows(labels, 2, new Rng(0)),
    (e: Error) => e instanceof RangeError && /^maxRows: 2 is below the 3 classes/.test(e.message),
  );
  for (let maxRows = 3; maxRows < labels.length; maxRows++) {
    assert.equal(subsampleRows(labels, maxRows, new Rng(1)).length, maxRows);
  }
});

Deno.test("stratifiedSplit and subsampleRows on a class of 270,000 rows: no call-stack overflow", () => {
  const n = 300_000;
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const parts = stratifiedSplit(labels, { train: 0.7, validation: 0.15, test: 0.15 }, new Rng(0));
  // A partition, each part sorted, each class in its proportion: 70/15/15 of 270,000 and 30,000.
  const seen = new Uint8Array(n);
  const counts: number[][] = [];
  for (const part of [parts.train, parts.validation, parts.test]) {
    const perClass = [0, 0];
    for (let i = 0; i < part.length; i++) {
      if (i > 0) assert.ok(part[i - 1] < part[i], "sorted ascending");
      seen[part[i]]++;
      perClass[labels[part[i]]]++;
    }
    counts.push(perClass);
  }
  assert.ok(seen.every((s) => s === 1), "every row in exactly one part");
  assert.deepEqual(counts, [[189_000, 21_000], [40_500, 4_500], [40_500, 4_500]]);
  const text = Array.from(labels, (l) => (l ? "pos" : "neg"));
  const kept = subsampleRows(text, 1000, new Rng(0));
  assert.equal(kept.length, 1000);
  assert.equal(kept.filter((i) => labels[i] === 1).length, 100);
});
