/**
 * `categoricalSplit: "random"`: one random partition of the levels present at a node (extremely
 * randomised trees, Geurts, Ernst & Wehenkel 2006) instead of the best one.
 */
import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import {
  type DecisionTree,
  growTree,
  prepareTreeData,
  type TreeParams,
} from "../../lib/forest/tree.ts";
import { growForest } from "../../lib/forest/forest.ts";

/** One categorical feature of 6 levels, levels 0 … 4 and NaN present (level 5 never is). */
const LEVELS = 6;
const X = [0, 1, 2, 3, 4, NaN, 0, 1, 2, 3, 4, NaN, 0, 0, 0];
const Y = [0, 1, 2, 3, 4, 5, 0.1, 1.1, 2.1, 3.1, 4.1, 5.1, 0.2, 0.3, 0.4];

function stump(seed: number, categoricalSplit?: "best" | "random"): DecisionTree {
  const data = prepareTreeData(Float64Array.from(X), X.length, 1, Float64Array.from(Y), {
    levels: [LEVELS],
  });
  const params: TreeParams = {
    maxFeatures: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxDepth: 1,
    criterion: "squared_error",
    ...(categoricalSplit ? { categoricalSplit } : {}),
  };
  return growTree(data, new Int32Array(X.length).fill(1), undefined, params, new Rng(seed));
}

/** The root's partition of the present slots 0 … 4 and NaN (slot `LEVELS`), as a bit string. */
function rootPartition(t: DecisionTree): string {
  const mask = t.levelsLeft[0]!;
  return [0, 1, 2, 3, 4, LEVELS].map((l) => mask[l]).join("");
}

Deno.test('growTree, categoricalSplit "random": each root partition is a non-empty proper subset of the levels present, all of them drawn', () => {
  const seen = new Set<string>();
  for (let seed = 0; seed < 300; seed++) {
    const t = stump(seed, "random");
    assert.equal(t.feature[0], 0);
    const mask = t.levelsLeft[0]!;
    const partition = rootPartition(t);
    const left = [...partition].filter((b) => b === "1").length;
    assert.ok(left >= 1 && left <= 5, `seed ${seed}: ${partition}`);
    seen.add(partition);
    // NaN is one more level, and the tree routes it as the mask says.
    assert.equal(t.missingLeft[0], mask[LEVELS]);
    // The absent level 5 follows the heavier side (by weight of the rows).
    const leftWeight = t.weight[t.left[0]];
    const rightWeight = t.weight[t.right[0]];
    assert.equal(mask[5], leftWeight >= rightWeight ? 1 : 0, `seed ${seed}`);
  }
  // Every one of the 2^6 − 2 = 62 non-empty proper subsets of the 6 present slots.
  assert.equal(seen.size, 62);
});

Deno.test('growTree, categoricalSplit "random": the same seed gives the same tree', () => {
  for (const seed of [0, 1, 7]) assert.deepEqual(stump(seed, "random"), stump(seed, "random"));
  const partitions = new Set([0, 1, 2, 3, 4, 5].map((s) => rootPartition(stump(s, "random"))));
  assert.ok(partitions.size > 1);
});

Deno.test('growTree, categoricalSplit "best" (the default): the best partition, whatever the seed', () => {
  // Sorted by mean the levels are 0 < 1 < 2 < 3 < 4 < NaN: the best cut is a prefix of them.
  const best = rootPartition(stump(0));
  for (let seed = 0; seed < 20; seed++) {
    assert.equal(rootPartition(stump(seed)), best);
    assert.deepEqual(stump(seed, "best"), stump(seed));
  }
  assert.match(best, /^1*0*$/);
});

Deno.test('growForest, categoricalSplit "random": trees are grown to purity and predict the training means', () => {
  const rng = new Rng(3);
  const rows = 60;
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[2 * i] = rng.integer(4);
    x[2 * i + 1] = rng.uniform();
    y[i] = x[2 * i] + (x[2 * i + 1] > 0.5 ? 10 : 0);
  }
  const data = prepareTreeData(x, rows, 2, y, { levels: [4, 0] });
  const trees = growForest(
    data,
    {
      nEstimators: 5,
      maxFeatures: 2,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxDepth: Infinity,
      bootstrap: false,
      criterion: "squared_error",
      splitter: "random",
      categoricalSplit: "random",
    },
    undefined,
    new Rng(0),
  );
  for (const t of trees) {
    for (let i = 0; i < rows; i++) {
      // Leaf means are computed about the targets' centre: exact up to its rounding.
      assert.ok(Math.abs(t.value[t.leaf(x, 2 * i)] - y[i]) < 1e-12, `row ${i}`);
    }
  }
});

/** Weighted impurity `W · impurity` of rows (targets `y`, weights `w`): SSE or Gini. */
function weightedImpurity(y: number[], w: number[], classes: number): number {
  const W = w.reduce((a, b) => a + b, 0);
  if (classes === 0) {
    const mean = y.reduce((a, v, i) => a + v * w[i], 0) / W;
    return y.reduce((a, v, i) => a + w[i] * (v - mean) ** 2, 0);
  }
  const counts = new Array(classes).fill(0);
  y.forEach((v, i) => counts[v] += w[i]);
  return W - counts.reduce((a, c) => a + c * c, 0) / W;
}

Deno.test('growTree, categoricalSplit "best" with a leaf-size limit: the best partition the limit allows, by brute force', () => {
  // The best partition of the sorted levels is a prefix only without the limit: with
  // minSamplesLeaf 2 or 3 the best allowed one may be no prefix, or exist where no prefix is
  // allowed (levels 0: 1 row, 1: 4 rows, 2: 1 row: only {0, 2} | {1} keeps 2 rows a side).
  const rng = new Rng(42);
  let compared = 0;
  for (let trial = 0; trial < 400; trial++) {
    const classes = trial % 2 === 0 ? 0 : 2;
    const levels = 2 + rng.integer(6);
    const n = 4 + rng.integer(14);
    const minSamplesLeaf = 1 + rng.integer(3);
    const x = Array.from({ length: n }, () => rng.uniform() < 0.15 ? NaN : rng.integer(levels));
    const y = Array.from(
      { length: n },
      () => classes === 0 ? Math.round(rng.normal() * 4) : rng.integer(2),
    );
    const w = Array.from({ length: n }, () => rng.uniform() < 0.5 ? 1 : 0.5 + rng.integer(4));
    if (weightedImpurity(y, w, classes) <= 1e-12) continue; // pure: no split to look for
    // Brute force over the partitions of the levels present (NaN one more level).
    const key = (v: number) => v !== v ? levels : v;
    const present = [...new Set(x.map(key))];
    let best = -Infinity;
    for (let mask = 1; mask < 1 << (present.length - 1); mask++) {
      const left = new Set(present.filter((_, p) => (mask & (1 << p)) !== 0));
      const l = [...x.keys()].filter((i) => left.has(key(x[i])));
      const r = [...x.keys()].filter((i) => !left.has(key(x[i])));
      if (l.length < minSamplesLeaf || r.length < minSamplesLeaf) continue;
      const pick = (rows: number[], values: number[]) => rows.map((i) => values[i]);
      best = Math.max(
        best,
        weightedImpurity(y, w, classes) - weightedImpurity(pick(l, y), pick(l, w), classes) -
          weightedImpurity(pick(r, y), pick(r, w), classes),
      );
    }
    const data = prepareTreeData(Float64Array.from(x), n, 1, Float64Array.from(y), {
      levels: [levels],
      ...(classes === 0 ? {} : { classes }),
    });
    const tree = growTree(data, new Int32Array(n).fill(1), Float64Array.from(w), {
      maxFeatures: 1,
      minSamplesSplit: 2,
      minSamplesLeaf,
      maxDepth: 1,
      criterion: classes === 0 ? "squared_error" : "gini",
      splitZeroGain: true,
    }, new Rng(trial));
    const scale = classes === 0 ? tree.scale : 1;
    const got = tree.feature[0] < 0
      ? -Infinity
      : (tree.impurity[0] - tree.impurity[tree.left[0]] - tree.impurity[tree.right[0]]) * scale *
        scale;
    assert.ok(
      got >= best - 1e-9 * (1 + Math.abs(best)),
      `trial ${trial}: x ${x} y ${y} w ${w} minSamplesLeaf ${minSamplesLeaf}: ${got} < ${best}`,
    );
    compared++;
  }
  assert.ok(compared > 300, `${compared} nodes compared`);
});
