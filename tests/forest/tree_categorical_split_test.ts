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
