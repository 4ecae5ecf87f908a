import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import {
  type DecisionTree,
  growTree,
  prepareTreeData,
  type TreeParams,
} from "../../lib/forest/tree.ts";

/**
 * XOR of two binary features, each of the four patterns 5 times, and 3-bit parity, each of the
 * eight patterns 10 times: every single split of the root has zero gain.
 *
 * Reference (scikit-learn 1.2.1, `X` and `y` as below):
 *   DecisionTreeClassifier(random_state=0).fit(X, y): get_n_leaves() 4, get_depth() 2,
 *     score(X, y) 1.0 (root split `feature_1 <= 0.5`, made at zero gain);
 *   DecisionTreeRegressor(random_state=0).fit(X, y).predict(X[:4]): [0, 1, 1, 0];
 *   DecisionTreeClassifier(random_state=0, min_impurity_decrease=1e-9): 1 leaf, score 0.5;
 *   on 3-bit parity DecisionTreeClassifier(random_state=0): 8 leaves, depth 3, score 1.0.
 */
function xor(): { rows: number[][]; y: number[] } {
  const rows: number[][] = [];
  for (let r = 0; r < 5; r++) for (const p of [[0, 0], [0, 1], [1, 0], [1, 1]]) rows.push(p);
  return { rows, y: rows.map(([a, b]) => (a !== b ? 1 : 0)) };
}

function parity3(): { rows: number[][]; y: number[] } {
  const rows: number[][] = [];
  for (let r = 0; r < 10; r++) {
    for (let k = 0; k < 8; k++) rows.push([k & 1, (k >> 1) & 1, (k >> 2) & 1]);
  }
  return { rows, y: rows.map((p) => (p[0] + p[1] + p[2]) % 2) };
}

/** One tree on all rows, every feature searched. */
function grow(
  rows: number[][],
  y: number[],
  params: Partial<TreeParams> & { classes?: number } = {},
  seed = 0,
): DecisionTree {
  const cols = rows[0].length;
  const data = prepareTreeData(
    Float64Array.from(rows.flat()),
    rows.length,
    cols,
    Float64Array.from(y),
    { classes: params.classes },
  );
  const full: TreeParams = {
    maxFeatures: cols,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxDepth: Infinity,
    criterion: params.classes ? "gini" : "squared_error",
    ...params,
  };
  return growTree(data, new Int32Array(rows.length).fill(1), undefined, full, new Rng(seed));
}

/** The tree's prediction at each row: the leaf mean, or the more probable of two classes. */
function predictions(t: DecisionTree, rows: number[][]): number[] {
  return rows.map((row) => {
    const node = t.leaf(Float64Array.from(row));
    return t.classes === 0 ? t.value[node] : (t.value[2 * node + 1] > 0.5 ? 1 : 0);
  });
}

Deno.test("growTree: by default a split must lower the impurity, so XOR and parity stay one leaf", () => {
  // The documented default, with which the committed meta-dataset's trees were grown.
  for (const { rows, y } of [xor(), parity3()]) {
    for (const classes of [2, undefined]) {
      const t = grow(rows, y, { classes });
      assert.equal(t.leafCount(), 1);
      assert.equal(t.depth(), 0);
      assert.equal(grow(rows, y, { classes, splitZeroGain: false }).leafCount(), 1);
    }
  }
});

Deno.test("growTree: splitZeroGain splits XOR and 3-bit parity to pure leaves, as scikit-learn", () => {
  for (const [{ rows, y }, leaves, depth] of [[xor(), 4, 2], [parity3(), 8, 3]] as const) {
    for (const classes of [2, undefined]) {
      for (const seed of [0, 1, 2]) {
        const t = grow(rows, y, { classes, splitZeroGain: true }, seed);
        assert.equal(t.leafCount(), leaves);
        assert.equal(t.depth(), depth);
        assert.deepEqual(predictions(t, rows), y); // training accuracy 1.0
      }
    }
  }
});

Deno.test("growTree: with splitZeroGain a node still stops on purity, depth and sizes", () => {
  const { rows, y } = xor();
  const on = { classes: 2, splitZeroGain: true };
  const shallow = grow(rows, y, { ...on, maxDepth: 1 });
  assert.equal(shallow.depth(), 1);
  assert.equal(shallow.leafCount(), 2);
  assert.equal(grow(rows, y, { ...on, minSamplesSplit: 21 }).leafCount(), 1); // 20 rows
  assert.equal(grow(rows, y, { ...on, minSamplesLeaf: 11 }).leafCount(), 1); // halves of 10
  assert.equal(grow(rows, y.map(() => 1), on).leafCount(), 1); // pure
  // Impure, but every row has the same features: no legal split, one leaf.
  const same = grow([[0, 1], [0, 1], [0, 1]], [0, 1, 0], on);
  assert.equal(same.leafCount(), 1);
  // Leaves keep at least minSamplesLeaf rows.
  const leafy = grow(rows, y, { ...on, minSamplesLeaf: 5 });
  for (let node = 0; node < leafy.nodeCount; node++) {
    if (leafy.feature[node] < 0) assert.ok(leafy.samples[node] >= 5);
  }
  assert.equal(leafy.leafCount(), 4);
});

Deno.test("growTree: where every split gains, splitZeroGain changes nothing", () => {
  for (let seed = 0; seed < 5; seed++) {
    const rng = new Rng(seed);
    const rows = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const y = rows.map(([a, b, c]) => Math.sin(5 * a) + b * c + 0.1 * rng.normal());
    for (const params of [{}, { maxFeatures: 1 }, { minSamplesLeaf: 3 }]) {
      assert.deepEqual(
        grow(rows, y, { ...params, splitZeroGain: true }, seed),
        grow(rows, y, params, seed),
      );
    }
  }
});
