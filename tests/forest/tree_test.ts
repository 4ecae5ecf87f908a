import assert from "node:assert/strict";
import { assertNear } from "../_assert.ts";
import { Rng } from "../../lib/random/rng.ts";
import {
  type DecisionTree,
  growTree,
  prepareTreeData,
  targetScale,
  type TreeParams,
  withTargets,
} from "../../lib/forest/tree.ts";
import { weightedImpurity } from "../../lib/forest/criterion.ts";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";

const CART: TreeParams = {
  maxFeatures: 1,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxDepth: Infinity,
  criterion: "squared_error",
};

/** Grows one tree on all rows (no bootstrap), every feature searched. */
function tree(
  rows: number[][],
  y: number[],
  options: Partial<TreeParams> & { levels?: number[]; classes?: number; counts?: number[] } = {},
): DecisionTree {
  const cols = rows[0].length;
  const data = prepareTreeData(
    Float64Array.from(rows.flat()),
    rows.length,
    cols,
    Float64Array.from(y),
    {
      levels: options.levels,
      classes: options.classes,
    },
  );
  const counts = options.counts
    ? Int32Array.from(options.counts)
    : new Int32Array(rows.length).fill(1);
  return growTree(data, counts, undefined, { ...CART, maxFeatures: cols, ...options }, new Rng(0));
}

const at = (t: DecisionTree, row: number[]) => t.value[t.leaf(Float64Array.from(row))];

Deno.test("growTree: a step function gives one split halfway between the steps", () => {
  const t = tree([[0], [1], [2], [3]], [0, 0, 5, 5]);
  assert.equal(t.nodeCount, 3);
  assert.equal(t.feature[0], 0);
  assert.equal(t.threshold[0], 1.5);
  assert.equal(t.value[t.left[0]], 0);
  assert.equal(t.value[t.right[0]], 5);
  assert.equal(t.depth(), 1);
  assert.equal(at(t, [1.49]), 0);
  assert.equal(at(t, [1.5]), 0); // x ≤ threshold goes left
  assert.equal(at(t, [1.51]), 5);
});

Deno.test("growTree: uniform split values fall in the gap, vary with the rng, and are seeded", () => {
  const rows = [[0], [1], [2], [3]];
  const y = [0, 0, 5, 5];
  const thresholds = Array.from({ length: 20 }, (_, seed) => {
    const data = prepareTreeData(Float64Array.of(0, 1, 2, 3), 4, 1, Float64Array.from(y), {});
    const t = growTree(
      data,
      new Int32Array(4).fill(1),
      undefined,
      { ...CART, splitValue: "uniform" },
      new Rng(seed),
    );
    assert.equal(t.nodeCount, 3);
    // The observations are routed as with the midpoint: 0 and 1 left, 2 and 3 right.
    for (const [i, row] of rows.entries()) assert.equal(at(t, row), y[i]);
    return t.threshold[0];
  });
  for (const thr of thresholds) assert.ok(thr >= 1 && thr < 2, `threshold ${thr} not in [1, 2)`);
  assert.ok(new Set(thresholds).size > 10, "the thresholds should differ between seeds");
  const again = tree(rows, y, { splitValue: "uniform" });
  assert.deepEqual(again, tree(rows, y, { splitValue: "uniform" }));
  assert.equal(tree(rows, y, { splitValue: "midpoint" }).threshold[0], 1.5);
});

Deno.test("growTree (property): uniform split values route every training row as the midpoint does", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 5, max: 60 }), (seed, n) => {
      const rng = new Rng(seed);
      // Values on a coarse grid: ties and wide gaps both occur. One feature, so that the rng
      // draws of the thresholds cannot change which of two equally good features is split.
      const rows = Array.from({ length: n }, () => [rng.integer(12) / 11]);
      const y = rows.map((r) => Math.sin(5 * r[0]) + 0.3 * rng.normal());
      const mid = tree(rows, y);
      const uni = tree(rows, y, { splitValue: "uniform" });
      assert.deepEqual(uni.feature, mid.feature);
      assert.deepEqual(uni.value, mid.value);
      for (const row of rows) {
        assert.equal(uni.leaf(Float64Array.from(row)), mid.leaf(Float64Array.from(row)));
      }
    }),
    propertyParams(100),
  );
});

Deno.test('growTree: splitter "random" draws the threshold between the node\'s extremes, fits the rows, and is seeded', () => {
  // One feature 0 … 9 with a step at 4.5: the best split would sit in [4, 5); random thresholds
  // are drawn anywhere in [0, 9).
  const x = Array.from({ length: 10 }, (_, i) => i);
  const y = x.map((v) => (v < 4.5 ? 0 : 5));
  const roots = Array.from({ length: 40 }, (_, seed) => {
    const data = prepareTreeData(Float64Array.from(x), 10, 1, Float64Array.from(y), {});
    const t = growTree(
      data,
      new Int32Array(10).fill(1),
      undefined,
      { ...CART, splitter: "random" },
      new Rng(seed),
    );
    // Grown to pure leaves: every training row is predicted exactly.
    for (const [i, v] of x.entries()) assert.equal(at(t, [v]), y[i]);
    return t.threshold[0];
  });
  for (const thr of roots) assert.ok(thr >= 0 && thr < 9, `threshold ${thr} not in [0, 9)`);
  assert.ok(roots.some((thr) => thr < 4 || thr >= 5), "some root threshold away from the step");
  assert.ok(new Set(roots).size > 30, "the thresholds should differ between seeds");
  const rows = x.map((v) => [v]);
  assert.deepEqual(tree(rows, y, { splitter: "random" }), tree(rows, y, { splitter: "random" }));
  // Missing values still join the side they resemble; the rows stay fitted.
  const m = tree([[0], [1], [2], [3], [NaN]], [0, 0, 10, 10, 10], { splitter: "random" });
  assert.equal(at(m, [NaN]), 10);
  for (const [v, target] of [[0, 0], [1, 0], [2, 10], [3, 10]]) assert.equal(at(m, [v]), target);
  // With an informative and a noise feature, one random threshold each, the root splits the
  // informative one in most trees.
  const noisy = x.map((v, i) => [(i * 7) % 10, v]);
  const data = prepareTreeData(Float64Array.from(noisy.flat()), 10, 2, Float64Array.from(y), {});
  const informative = Array.from({ length: 40 }, (_, seed) =>
    growTree(
      data,
      new Int32Array(10).fill(1),
      undefined,
      { ...CART, maxFeatures: 2, splitter: "random" },
      new Rng(seed),
    ).feature[0]).filter((f) => f === 1).length;
  assert.ok(informative >= 28, `informative feature at the root in ${informative} of 40 trees`);
});

Deno.test("growTree: picks the informative feature and stops at pure leaves", () => {
  // Feature 0 is noise, feature 1 separates the targets.
  const t = tree([[3, 0], [1, 0], [2, 1], [0, 1]], [1, 1, 4, 4]);
  assert.equal(t.feature[0], 1);
  assert.equal(t.threshold[0], 0.5);
  assert.equal(t.leafCount(), 2);
});

Deno.test("growTree: leaf means and variances are the (bootstrap-weighted) moments", () => {
  const t = tree([[0], [0], [1], [1]], [1, 3, 10, 10], { counts: [3, 1, 1, 1] });
  const leftLeaf = t.left[0];
  // Rows drawn 3 and 1 times: mean (3·1 + 3)/4 = 1.5, variance (3·0.25 + 2.25)/4 = 0.75.
  assertNear(t.value[leftLeaf], 1.5);
  assertNear(t.variance[leftLeaf], 0.75);
  assert.equal(t.samples[leftLeaf], 4);
  assert.equal(t.samples[0], 6);
  assertNear(t.value[t.right[0]], 10);
  // A single leaf whose one-pass sums keep their spread (no re-centring): rows 1 (drawn 3 times)
  // and −3 (once) have mean (3 − 3)/4 = 0 and variance (3·1 + 9)/4 − 0² = 3; weighting only the
  // mean would give (1 + 9)/4 − … instead.
  const leaf = tree([[0], [1]], [1, -3], { counts: [3, 1], maxDepth: 0 });
  assert.equal(leaf.nodeCount, 1);
  assertNear(leaf.value[0], 0);
  assertNear(leaf.variance[0], 3);
  assert.equal(leaf.weight[0], 4);
});

Deno.test("growTree: minSamplesLeaf, minSamplesSplit and maxDepth bound the tree", () => {
  const rng = new Rng(3);
  const rows = Array.from({ length: 60 }, () => [rng.uniform(), rng.uniform()]);
  const y = rows.map(([a, b]) => Math.sin(6 * a) + b);
  const leafy = tree(rows, y, { minSamplesLeaf: 7 });
  for (let node = 0; node < leafy.nodeCount; node++) {
    if (leafy.feature[node] < 0) assert.ok(leafy.samples[node] >= 7);
  }
  const shallow = tree(rows, y, { maxDepth: 2 });
  assert.equal(shallow.depth(), 2);
  const splitLimited = tree(rows, y, { minSamplesSplit: 30 });
  for (let node = 0; node < splitLimited.nodeCount; node++) {
    if (splitLimited.feature[node] >= 0) assert.ok(splitLimited.samples[node] >= 30);
  }
  const full = tree(rows, y);
  for (let i = 0; i < rows.length; i++) assertNear(at(full, rows[i]), y[i]); // interpolates
});

Deno.test("growTree: Gini classification splits between the classes", () => {
  const t = tree([[0], [1], [2], [3], [4]], [0, 0, 1, 1, 1], { classes: 2, criterion: "gini" });
  assert.equal(t.threshold[0], 1.5);
  const leaf = t.leaf(Float64Array.of(4));
  assert.deepEqual([...t.value.subarray(leaf * 2, leaf * 2 + 2)], [0, 1]);
  const e = tree([[0], [1], [2], [3], [4]], [0, 0, 1, 1, 1], { classes: 2, criterion: "entropy" });
  assert.equal(e.threshold[0], 1.5);
});

/** Best subset split of the levels of a single categorical feature, by enumeration. */
function bruteForce(
  levels: number[],
  y: number[],
  impurity: (ys: number[]) => number,
): number {
  const present = [...new Set(levels)].sort((a, b) => a - b);
  let best = Infinity;
  for (let mask = 1; mask < (1 << present.length) - 1; mask++) {
    const goesLeft = new Set(present.filter((_, p) => mask & (1 << p)));
    const l = y.filter((_, i) => goesLeft.has(levels[i]));
    const r = y.filter((_, i) => !goesLeft.has(levels[i]));
    best = Math.min(best, impurity(l) + impurity(r));
  }
  return best;
}

/** Impurity of the root's children in a tree grown to depth 1. */
function childImpurity(
  t: DecisionTree,
  y: number[],
  levels: number[],
  f: (ys: number[]) => number,
) {
  const l = y.filter((_, i) => t.leaf(Float64Array.of(levels[i])) === t.left[0]);
  const r = y.filter((_, i) => t.leaf(Float64Array.of(levels[i])) === t.right[0]);
  return f(l) + f(r);
}

const sse = (ys: number[]) => {
  const m = ys.reduce((a, b) => a + b, 0) / ys.length;
  return ys.reduce((a, b) => a + (b - m) ** 2, 0);
};
const gini = (classes: number) => (ys: number[]) => {
  const counts = new Float64Array(classes);
  for (const v of ys) counts[v]++;
  return weightedImpurity("gini", classes, counts, ys.length);
};

Deno.test("growTree: a categorical regression split is the best partition of the levels", () => {
  // Level means 5, 1, 7, 2, 4.5: sorted order 1, 3, 4, 0, 2 — not contiguous in level codes.
  const levels = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
  const y = [5, 5, 1, 1, 7, 7, 2, 2, 4, 5];
  const t = tree(levels.map((l) => [l]), y, { levels: [5], maxDepth: 1 });
  assert.ok(t.levelsLeft[0] !== undefined);
  assertNear(childImpurity(t, y, levels, sse), bruteForce(levels, y, sse), 1e-9);
  // Levels 1 and 3 (means 1 and 2) go together, away from 0 and 2.
  assert.equal(t.leaf(Float64Array.of(1)), t.leaf(Float64Array.of(3)));
  assert.notEqual(t.leaf(Float64Array.of(1)), t.leaf(Float64Array.of(2)));
});

Deno.test("growTree: multiclass categorical splits match the brute-force best partition", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    const levels = Array.from({ length: 40 }, () => rng.integer(6));
    const y = levels.map((l) => (rng.uniform() < 0.6 ? l % 3 : rng.integer(3)));
    const t = tree(levels.map((l) => [l]), y, {
      levels: [6],
      classes: 3,
      criterion: "gini",
      maxDepth: 1,
    });
    if (t.nodeCount === 1) continue;
    assertNear(childImpurity(t, y, levels, gini(3)), bruteForce(levels, y, gini(3)), 1e-9);
  }
  // Binary classification uses the sorted-levels scan, also optimal.
  for (let trial = 0; trial < 20; trial++) {
    const levels = Array.from({ length: 30 }, () => rng.integer(7));
    const y = levels.map((l) => (rng.uniform() < l / 7 ? 1 : 0));
    const t = tree(levels.map((l) => [l]), y, {
      levels: [7],
      classes: 2,
      criterion: "gini",
      maxDepth: 1,
    });
    if (t.nodeCount === 1) continue;
    assertNear(childImpurity(t, y, levels, gini(2)), bruteForce(levels, y, gini(2)), 1e-9);
  }
});

Deno.test("growTree: a categorical level unseen in training follows the heavier child", () => {
  const levels = [0, 0, 0, 0, 1, 1];
  const y = [0, 0, 0, 0, 9, 9];
  const t = tree(levels.map((l) => [l]), y, { levels: [3] });
  assert.equal(at(t, [2]), 0); // level 2 never seen: with the four rows of level 0
  assert.equal(at(t, [NaN]), 0); // missing, never seen: likewise
});

Deno.test("growTree: missing values go to the side that reduces the impurity most", () => {
  // The missing rows look like the large values: they join the right child.
  const t = tree([[0], [1], [2], [3], [NaN]], [0, 0, 10, 10, 10]);
  assert.equal(t.threshold[0], 1.5);
  assert.equal(t.missingLeft[0], 0);
  assert.equal(at(t, [NaN]), 10);
  // They look like the small values: they join the left child.
  const u = tree([[0], [1], [2], [3], [NaN]], [0, 0, 10, 10, 0]);
  assert.equal(u.missingLeft[0], 1);
  assert.equal(at(u, [NaN]), 0);
  // Only missingness is informative: the split is present vs missing.
  const v = tree([[0], [1], [2], [NaN], [NaN]], [1, 1, 1, 7, 7]);
  assert.equal(v.threshold[0], Infinity);
  assert.equal(at(v, [NaN]), 7);
  assert.equal(at(v, [1e9]), 1);
});

Deno.test("growTree: minSamplesLeaf counts the missing rows on the side they join", () => {
  // x = 0 (2 rows) and the 3 missing rows have y = 10, x = 1 … 4 (8 rows) y = 0. With
  // minSamplesLeaf 3 the perfect split is {x ≤ 0.5 or missing} (5 rows) against the rest; its
  // left side has only 2 present rows.
  const x = [[0], [0], [NaN], [NaN], [NaN], [1], [1], [2], [2], [3], [3], [4], [4]];
  const y = [10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const criterion of ["squared_error", "gini"] as const) {
    const classes = criterion === "gini" ? 2 : undefined;
    const labels = criterion === "gini" ? y.map((v) => (v > 0 ? 1 : 0)) : y;
    const t = tree(x, labels, { minSamplesLeaf: 3, maxDepth: 1, criterion, classes });
    assert.equal(t.threshold[0], 0.5, criterion);
    assert.equal(t.missingLeft[0], 1, criterion);
    assert.deepEqual([t.samples[1], t.samples[2]], [5, 8], criterion);
    assert.equal(t.impurity[1] + t.impurity[2], 0, criterion);
  }
  // The random splitter checks both sides the same way (a single threshold between 0 and 4).
  const r = tree(x, y, { minSamplesLeaf: 3, maxDepth: 1, splitter: "random" });
  assert.ok(Math.min(r.samples[1], r.samples[2]) >= 3);
});

Deno.test("growTree: a missing value at a numeric node that saw none goes right", () => {
  const x = [[0], [1], [2], [3], [4], [5], [6], [7], [8]];
  // Seven rows left of the split, two right: a NaN still goes right.
  const t = tree(x, [0, 0, 0, 0, 0, 0, 0, 10, 10]);
  assert.equal(t.threshold[0], 6.5);
  assert.equal(t.missingLeft[0], 0);
  assert.equal(t.leaf([NaN]), t.right[0]);
  // Mirrored: two rows left, seven right.
  const u = tree(x, [10, 10, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(u.missingLeft[0], 0);
  assert.equal(u.leaf([NaN]), u.right[0]);
  // Classification and the random splitter alike.
  const c = tree(x, [0, 0, 0, 0, 0, 0, 0, 1, 1], { criterion: "gini", classes: 2 });
  assert.equal(c.leaf([NaN]), c.right[0]);
  const r = tree(x, [0, 0, 0, 0, 0, 0, 0, 10, 10], { splitter: "random", maxDepth: 1 });
  assert.equal(r.leaf([NaN]), r.right[0]);
});

Deno.test("growTree: an inactive categorical value is one more level of the partition", () => {
  const levels = [0, 0, 1, 1, 2, 2, NaN, NaN];
  const y = [1, 1, 8, 8, 1, 1, 8, 8];
  const t = tree(levels.map((l) => [l]), y, { levels: [3] });
  assert.equal(at(t, [NaN]), 8);
  assert.equal(at(t, [1]), 8);
  assert.equal(at(t, [0]), 1);
  assert.equal(t.nodeCount, 3);
});

Deno.test("growTree: the same rng gives the same tree; feature subsets are drawn per node", () => {
  const rng = new Rng(5);
  const rows = Array.from({ length: 80 }, () => Array.from({ length: 6 }, () => rng.uniform()));
  const y = rows.map((r) => r[0] + 2 * r[3] - r[5]);
  const data = prepareTreeData(Float64Array.from(rows.flat()), 80, 6, Float64Array.from(y), {});
  const counts = new Int32Array(80).fill(1);
  const params = { ...CART, maxFeatures: 2 };
  const a = growTree(data, counts, undefined, params, new Rng(1));
  const b = growTree(data, counts, undefined, params, new Rng(1));
  assert.deepEqual(a, b);
  const c = growTree(data, counts, undefined, params, new Rng(2));
  assert.notDeepEqual(a.feature, c.feature);
});

Deno.test("growTree (property): node counts add up, leaves respect minSamplesLeaf, predictions stay in range", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.boolean(),
      (rows, minLeaf, levels, seed, classify) => {
        const rng = new Rng(seed);
        // Column 0 numeric with ties and NaN, column 1 categorical with NaN.
        const x = Array.from({ length: rows }, () => [
          rng.uniform() < 0.15 ? NaN : rng.integer(6) / 5,
          rng.uniform() < 0.15 ? NaN : rng.integer(levels),
        ]);
        const y = x.map(() => (classify ? rng.integer(3) : rng.normal()));
        const counts = Array.from({ length: rows }, () => rng.integer(3));
        if (!counts.some((c) => c > 0)) counts[0] = 1;
        const t = tree(x, y, {
          levels: [0, levels],
          classes: classify ? 3 : undefined,
          criterion: classify ? "entropy" : "squared_error",
          minSamplesLeaf: minLeaf,
          maxFeatures: 1,
          counts,
        });
        const drawn = counts.reduce((a, b) => a + b, 0);
        assert.equal(t.samples[0], drawn);
        for (let node = 0; node < t.nodeCount; node++) {
          if (t.feature[node] < 0) {
            assert.ok(node === 0 || t.samples[node] >= minLeaf);
          } else {
            assert.equal(t.samples[t.left[node]] + t.samples[t.right[node]], t.samples[node]);
          }
        }
        // Every in-bag row reaches a leaf whose value is a mean (or shares) of in-bag targets.
        const inBag = y.filter((_, i) => counts[i] > 0);
        const lo = Math.min(...inBag);
        const hi = Math.max(...inBag);
        for (const row of x) {
          const leaf = t.leaf(Float64Array.from(row));
          assert.equal(t.feature[leaf], -1);
          if (classify) {
            const shares = t.value.subarray(3 * leaf, 3 * leaf + 3);
            assert.ok(Math.abs(shares[0] + shares[1] + shares[2] - 1) < 1e-12);
          } else {
            assert.ok(t.value[leaf] >= lo - 1e-9 && t.value[leaf] <= hi + 1e-9);
            assert.ok(t.variance[leaf] >= 0);
          }
        }
      },
    ),
    propertyParams(100),
  );
});

Deno.test("DecisionTree.impurityDecrease: the sum of squared errors removed by each feature's splits", () => {
  // y = 0, 0, 4, 4 on feature 0; feature 1 constant: SSE 16 → 0 on feature 0.
  const t = tree([[0, 5], [1, 5], [2, 5], [3, 5]], [0, 0, 4, 4]);
  assert.deepEqual([...t.impurityDecrease()], [16, 0]);
  assert.deepEqual([...t.impurity], [16, 0, 0]);
  // Gini: 4 rows, 2 per class: W · Gini = 4 · 0.5 = 2 → 0.
  const g = tree([[0], [1], [2], [3]], [0, 0, 1, 1], { classes: 2, criterion: "gini" });
  assertNear(g.impurityDecrease()[0], 2);
});

Deno.test("targetScale: 1 for ordinary targets, a power of two bringing huge or tiny ones to [1, 2)", () => {
  assert.equal(targetScale(Float64Array.of(1, -3, 5)), 1);
  assert.equal(targetScale(Float64Array.of(0, 0)), 1);
  assert.equal(targetScale(Float64Array.of(1e100, -1e-100)), 1);
  assert.equal(targetScale(Float64Array.of(1e200, -3e200)), 2 ** 665);
  assert.equal(targetScale(Float64Array.of(-1.7e308)), 2 ** 1023);
  assert.equal(targetScale(Float64Array.of(3e-200)), 2 ** -663);
  for (const y of [3e200, 1.7e308, 3e-200, 5e-324]) {
    const ratio = y / targetScale(Float64Array.of(y));
    assert.ok(ratio >= 1 && ratio < 2 || y === 5e-324, `${y}: ${ratio}`);
  }
  assert.equal(prepareTreeData(Float64Array.of(0, 1), 2, 1, Float64Array.of(1, 2), {}).scale, 1);
});

Deno.test("growTree: targets times a huge or tiny power of two give the same tree, scaled", () => {
  // The targets of 2^600 · y overflow their sums of squares (from about 1e154) unless scaled.
  const rows = [[0], [1], [2], [3], [4], [5], [6], [7]];
  const y = [1, 1.5, 1.2, 4, 4.5, 4.1, 9, 9.5];
  const plain = tree(rows, y, { minSamplesLeaf: 2 });
  assert.ok(plain.nodeCount > 1);
  for (const k of [600, 1000, -600]) {
    const factor = 2 ** k;
    const scaled = tree(rows, y.map((v) => v * factor), { minSamplesLeaf: 2 });
    assert.equal(scaled.nodeCount, plain.nodeCount, `2^${k}`);
    assert.deepEqual(scaled.feature, plain.feature);
    assert.deepEqual(scaled.threshold, plain.threshold);
    assert.deepEqual(scaled.value, plain.value.map((v) => v * factor));
    // Impurities are kept in the scaled units (finite), so importances are unchanged.
    assert.ok(scaled.impurity.every(Number.isFinite));
    const share = (t: DecisionTree) => {
      const d = t.impurityDecrease();
      return d[0] / d.reduce((a, b) => a + b, 0);
    };
    assert.equal(share(scaled), share(plain));
    for (let node = 0; node < plain.nodeCount; node++) {
      const expected = plain.variance[node] * factor * factor;
      // 4^600 · σ² exceeds the float64 range: Infinity, never NaN.
      if (k > 0) assert.equal(scaled.variance[node], expected, `node ${node}`);
      else assertNear(scaled.variance[node], expected, 1e-300);
    }
  }
  // ±1.7e308: the mean and the spread overflow unless scaled; the tree still separates them.
  const extreme = tree(rows, y.map((v) => (v > 3 ? 1.7e308 : -1.7e308)));
  assert.equal(at(extreme, [0]), -1.7e308);
  assert.equal(at(extreme, [7]), 1.7e308);
  assert.ok(extreme.value.every(Number.isFinite));
});

Deno.test("growTree: a far-off cluster of targets leaves the structure among the others", () => {
  // 36 costs x in [0, 0.9) and 4 crashed runs at 1e6: the costs' spread is about 1e-14 of the
  // targets' sum of squares about their mean, below the old purity and minimum-gain tests.
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 36; i++) {
    rows.push([i / 40]);
    y.push(i / 40);
  }
  for (let i = 0; i < 4; i++) {
    rows.push([0.95 + i / 100]);
    y.push(1e6);
  }
  const t = tree(rows, y);
  assert.equal(t.leafCount(), 37); // every cost its own leaf, the crashes one leaf
  // The targets are stored about their mean (2.5e5): leaf values carry its round-off.
  for (let i = 0; i < 36; i++) assertNear(at(t, [i / 40]), i / 40, 1e-9);
  assert.equal(at(t, [0.97]), 1e6);
  // The same costs shifted far from 0 (1e9 + x): the tree still separates them.
  const shifted = tree(rows, y.map((v) => v + 1e9));
  assert.equal(shifted.leafCount(), 37);
  assertNear(at(shifted, [0.5]), 1e9 + 0.5, 1e-5);
});

Deno.test("withTargets: centred on the mean, or on the median when one target drags the mean off", () => {
  const data = prepareTreeData(Float64Array.of(0, 1, 2, 3), 4, 1, Float64Array.of(1, 2, 4, 9), {});
  assert.equal(data.offset, 4); // the mean: 2/3 of a typical deviation (1.5) from the median 3
  const y = Array.from({ length: 200 }, (_, i) => i / 200);
  y[199] = 1e16;
  const x = Float64Array.from(y, (_, i) => i);
  const far = prepareTreeData(x, 200, 1, Float64Array.from(y), {});
  assert.equal(far.offset, 0.4975); // the median: the mean 5e13 would round i/200 to 1/128
  for (let i = 0; i < 199; i++) assertNear(far.y[i] + far.offset, y[i], 1e-15);
  // The drawn rows decide: without the outlier the mean is back.
  const counts = new Int32Array(200).fill(1);
  counts[199] = 0;
  assert.equal(withTargets(far, y, counts).offset, y.slice(0, 199).reduce((a, b) => a + b) / 199);
});
