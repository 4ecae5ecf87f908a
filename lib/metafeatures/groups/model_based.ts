/**
 * Model-based meta-features: the structure of one decision tree fitted on all rows of the design
 * matrix (CART, depth at most the context's `maxDepth`, 5 by default; see {@linkcode fitTree}).
 *
 * - `nodes` internal nodes, `leaves`, `tree_depth` (depth of the deepest leaf);
 * - `nodes_per_attr` nodes / input features, `nodes_per_inst` nodes / rows;
 * - `leaves_branch` the depth of every leaf; `nodes_per_level` internal nodes at each depth;
 * - `leaves_per_class` the share of leaves predicting each class (classification);
 * - `var_importance` the impurity-based importance of every design column (sums to 1).
 *
 * @module
 */

import type { MetaFeatureContext } from "../context.ts";
import type { MetaFeatureExtractor } from "../extractor.ts";
import { fitTree, presort, type Tree } from "../tree.ts";
import { extent } from "../../stats/mod.ts";

function tree(ctx: MetaFeatureContext): Tree {
  return ctx.memo("model-based.tree", () => {
    const design = ctx.design();
    const sortedColumns = ctx.memo("design.presorted", () => presort(design));
    const all = Int32Array.from({ length: ctx.rows }, (_, i) => i);
    return fitTree(
      design,
      sortedColumns,
      all,
      ctx.task === "classification"
        ? { kind: "classification", y: ctx.y, classes: ctx.classes.length }
        : { kind: "regression", y: ctx.yValues },
      { maxDepth: ctx.maxDepth },
    );
  });
}

const internal = (t: Tree) => t.nodes.filter((n) => n.feature >= 0);
const leaves = (t: Tree) => t.nodes.filter((n) => n.feature < 0);

function scalar(name: string, compute: (ctx: MetaFeatureContext) => number): MetaFeatureExtractor {
  return { group: "model-based", name, kind: "scalar", compute };
}

function vector(
  name: string,
  compute: (ctx: MetaFeatureContext) => Float64Array,
  tasks?: MetaFeatureExtractor["tasks"],
): MetaFeatureExtractor {
  return { group: "model-based", name, kind: "vector", compute, tasks };
}

/**
 * The model-based group: nodes, leaves, tree_depth, nodes_per_attr, nodes_per_inst (scalars);
 * leaves_branch, nodes_per_level, leaves_per_class, var_importance (vectors).
 *
 * @example
 * ```ts
 * import { MODEL_BASED_EXTRACTORS } from "./model_based.ts";
 * console.log(MODEL_BASED_EXTRACTORS[0].name); // "nodes"
 * ```
 */
export const MODEL_BASED_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  scalar("nodes", (ctx) => internal(tree(ctx)).length),
  scalar("leaves", (ctx) => leaves(tree(ctx)).length),
  scalar("tree_depth", (ctx) => extent(tree(ctx).nodes.map((n) => n.depth))[1]),
  scalar("nodes_per_attr", (ctx) => internal(tree(ctx)).length / ctx.features.length),
  scalar("nodes_per_inst", (ctx) => internal(tree(ctx)).length / ctx.rows),
  vector("leaves_branch", (ctx) => Float64Array.from(leaves(tree(ctx)), (n) => n.depth)),
  vector("nodes_per_level", (ctx) => {
    const nodes = internal(tree(ctx));
    // extent, not Math.max(...): a deep tree has more nodes than a call takes arguments.
    const levels = new Float64Array(Math.max(0, extent(nodes.map((n) => n.depth + 1))[1]));
    for (const n of nodes) levels[n.depth]++;
    return levels;
  }),
  vector("leaves_per_class", (ctx) => {
    const ls = leaves(tree(ctx));
    const count = new Float64Array(ctx.classes.length);
    for (const l of ls) count[l.value]++;
    return count.map((c) => c / ls.length);
  }, ["classification"]),
  vector("var_importance", (ctx) => tree(ctx).importances),
];
