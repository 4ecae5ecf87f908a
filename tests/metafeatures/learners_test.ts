import assert from "node:assert/strict";
import { MetaFeatureContext } from "../../lib/metafeatures/context.ts";
import { crossValidatedNearestNeighbour } from "../../lib/metafeatures/learners.ts";
import { fitTree, predictTree, presort } from "../../lib/metafeatures/tree.ts";
import { Rng } from "../../lib/random/rng.ts";

const design = (x: number[], d: number) => ({
  x: Float64Array.from(x),
  rows: x.length / d,
  columns: d,
  source: new Int32Array(d),
});

Deno.test("leave-fold-out 1-NN equals a brute-force search, ties to the lowest row", () => {
  const rng = new Rng(7);
  const n = 37, d = 3; // odd n exercises the unblocked tail; small integers make ties common
  const x = Array.from({ length: n * d }, () => rng.integer(3));
  const fold = Int32Array.from({ length: n }, () => rng.integer(4));
  const got = crossValidatedNearestNeighbour(design(x, d), fold);
  for (let i = 0; i < n; i++) {
    let best = Infinity, arg = -1;
    for (let j = 0; j < n; j++) {
      if (fold[j] === fold[i]) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
      if (s < best) (best = s), (arg = j);
    }
    assert.equal(got[i], arg, `row ${i}`);
  }
});

Deno.test("a stump splits halfway between values; a regression stump predicts means", () => {
  const ds = design([0, 1, 2, 3], 1);
  const all = Int32Array.of(0, 1, 2, 3);
  const cls = fitTree(ds, presort(ds), all, {
    kind: "classification",
    y: Int32Array.of(0, 0, 1, 1),
    classes: 2,
  }, { maxDepth: 1 });
  assert.equal(cls.nodes[0].threshold, 1.5);
  assert.equal(cls.nodes[0].impurity, 0.5);
  assert.deepEqual(cls.nodes.map((n) => n.samples), [4, 2, 2]);
  assert.equal(predictTree(cls, [1.4]), 0);
  assert.equal(predictTree(cls, [1.6]), 1);
  const reg = fitTree(ds, presort(ds), all, {
    kind: "regression",
    y: Float64Array.of(1, 1, 5, 6),
  }, { maxDepth: 1 });
  assert.equal(reg.nodes[0].threshold, 1.5);
  assert.equal(predictTree(reg, [0]), 1);
  assert.equal(predictTree(reg, [3]), 5.5);
  // impurity of the root: var(1, 1, 5, 6) = 53/4 − (13/4)²
  assert.ok(Math.abs(reg.nodes[0].impurity - (63 / 4 - (13 / 4) ** 2)) < 1e-12);
});

Deno.test("trees fit only the training rows and respect the allowed columns", () => {
  // Column 0 separates the classes on rows 0–3; row 4 (not trained on) would contradict it.
  const ds = design([0, 9, 1, 8, 2, 7, 3, 6, 0.5, 0], 2);
  const y = Int32Array.of(0, 0, 1, 1, 1);
  const tree = fitTree(ds, presort(ds), Int32Array.of(0, 1, 2, 3), {
    kind: "classification",
    y,
    classes: 2,
  }, { maxDepth: 3 });
  assert.equal(tree.nodes[0].feature, 0);
  assert.equal(tree.nodes[0].threshold, 1.5);
  assert.equal(tree.nodes.length, 3, "pure children stop growing");
  const only1 = fitTree(ds, presort(ds), Int32Array.of(0, 1, 2, 3), {
    kind: "classification",
    y,
    classes: 2,
  }, { maxDepth: 1, features: [1] });
  assert.equal(only1.nodes[0].feature, 1);
  assert.equal(only1.nodes[0].threshold, 7.5);
  assert.deepEqual([...only1.importances], [0, 1]);
});

Deno.test("folds are stratified, balanced and seeded", () => {
  const make = (seed: number) =>
    MetaFeatureContext.fromColumns(
      new Map<string, unknown[]>([
        ["x", Array.from({ length: 23 }, (_, i) => i)],
        ["y", Array.from({ length: 23 }, (_, i) => (i < 15 ? "a" : "b"))],
      ]),
      { target: "y", seed, bins: 10, folds: 5, maxDepth: 5 },
    );
  const ctx = make(1);
  const fold = ctx.foldAssignment();
  const sizes = [0, 1, 2, 3, 4].map((f) => fold.filter((v) => v === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced: ${sizes}`);
  for (const c of [0, 1]) {
    const perFold = [0, 1, 2, 3, 4].map((f) =>
      fold.filter((v, i) => v === f && ctx.y[i] === c).length
    );
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${c}: ${perFold}`);
  }
  assert.deepEqual([...make(1).foldAssignment()], [...fold]);
  assert.notDeepEqual([...make(2).foldAssignment()], [...fold]);
});
