import assert from "node:assert/strict";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

Deno.test("tree_depth and nodes_per_level of a tree with 150,000 internal nodes", () => {
  // Distinct regression targets and a depth cap of 64: the tree splits down to single rows.
  const n = 150_000;
  let s = 9;
  const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const a = Array.from({ length: n }, u), b = Array.from({ length: n }, u);
  const target = a.map((x, i) => Math.sin(10 * x) + b[i] + 0.1 * u());
  const mf = extractMetaFeatures({ a, b, target }, {
    target: "target",
    groups: ["model-based"],
    maxDepth: 64,
    summary: ["max", "count", "sum"],
  });
  const nodes = mf.get("nodes");
  assert.ok(nodes > 140_000, `${nodes} internal nodes`);
  assert.deepEqual(mf.reasons["tree_depth"], undefined);
  // The deepest leaf, and one level of internal nodes per depth above it.
  assert.equal(mf.get("tree_depth"), mf.get("leaves_branch.max"));
  assert.ok(mf.get("tree_depth") > 20 && mf.get("tree_depth") <= 64);
  assert.equal(mf.get("nodes_per_level.count"), mf.get("tree_depth"));
  assert.equal(mf.get("nodes_per_level.sum"), nodes);
});

Deno.test("tree_depth and nodes_per_level of a stump and of a single leaf", () => {
  const stump = extractMetaFeatures({ x: [1, 2, 3, 4], y: ["a", "a", "b", "b"] }, {
    target: "y",
    groups: ["model-based"],
    summary: ["count", "sum"],
  });
  assert.equal(stump.get("tree_depth"), 1);
  assert.equal(stump.get("nodes_per_level.count"), 1);
  assert.equal(stump.get("nodes_per_level.sum"), 1);
  // A constant feature: no split, the root is the only leaf.
  const leaf = extractMetaFeatures({ x: [1, 1, 1, 1], y: ["a", "b", "a", "b"] }, {
    target: "y",
    groups: ["model-based"],
    summary: ["count"],
  });
  assert.equal(leaf.get("tree_depth"), 0);
  assert.equal(leaf.get("nodes_per_level.count"), 0);
});
