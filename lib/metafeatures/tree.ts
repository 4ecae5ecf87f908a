/**
 * A CART decision tree (scikit-learn's conventions: Gini impurity for classes, squared error for
 * regression, thresholds halfway between consecutive distinct values that differ by more than
 * 1e-7, zero-gain splits allowed, nodes split until pure or at the maximum depth, leaves predict
 * the majority class (ties: lowest class index) or the mean). Grown level by level: each level
 * sweeps every feature's presorted row order once, so fitting costs O(depth · rows · features)
 * and cross-validation folds reuse one presort. Ties between equally good splits go to the lowest
 * feature index and the lowest threshold (scikit-learn breaks them at random).
 *
 * @module
 */

import type { DesignMatrix } from "./context.ts";

/** A node of a fitted tree; a leaf has `feature === -1`. */
export interface TreeNode {
  /** The design column split on, or -1 for a leaf. */
  readonly feature: number;
  /** Rows with value ≤ threshold go left. */
  readonly threshold: number;
  /** Child indices into `Tree.nodes` (-1 for leaves). */
  readonly left: number;
  readonly right: number;
  /** Root depth is 0. */
  readonly depth: number;
  /** Training rows reaching the node. */
  readonly samples: number;
  /** Gini impurity or mean squared error of the node. */
  readonly impurity: number;
  /** Predicted class index (classification) or mean (regression). */
  readonly value: number;
}

/** A fitted tree and its impurity-based feature importances (normalised to sum 1, or all 0). */
export interface Tree {
  readonly nodes: readonly TreeNode[];
  readonly importances: Float64Array;
}

/** The target a tree is fitted to: class indices with a class count, or numeric values. */
export type TreeTarget =
  | { readonly kind: "classification"; readonly y: Int32Array; readonly classes: number }
  | { readonly kind: "regression"; readonly y: Float64Array };

/** Options of {@linkcode fitTree}. */
export interface TreeOptions {
  /** Maximum depth (a stump has depth 1). */
  readonly maxDepth: number;
  /** Design columns the tree may split on (default: all). */
  readonly features?: readonly number[];
}

/** One design column in ascending order: row indices (ties by index) and their values. */
export interface PresortedColumn {
  readonly order: Int32Array;
  readonly values: Float64Array;
}

/** Every design column presorted (shared by all trees fitted on the same design). */
export function presort(design: DesignMatrix): PresortedColumn[] {
  const { x, rows, columns: d } = design;
  const out: PresortedColumn[] = [];
  for (let j = 0; j < d; j++) {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) col[i] = x[i * d + j];
    const indices = Array.from({ length: rows }, (_, i) => i);
    indices.sort((a, b) => col[a] - col[b] || a - b);
    const order = Int32Array.from(indices);
    const values = new Float64Array(rows);
    for (let o = 0; o < rows; o++) values[o] = col[order[o]];
    out.push({ order, values });
  }
  return out;
}

interface MutableNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  depth: number;
  samples: number;
  impurity: number;
  value: number;
  counts: Float64Array; // classification: per class; regression: [sum, sum of squares]
}

/**
 * Fits a tree on the rows listed in `train`.
 *
 * @example
 * ```ts
 * import { fitTree, predictTree, presort } from "./tree.ts";
 * const design = { x: Float64Array.of(0, 1, 2, 3), rows: 4, columns: 1, source: Int32Array.of(0) };
 * const tree = fitTree(design, presort(design), Int32Array.of(0, 1, 2, 3), {
 *   kind: "classification", y: Int32Array.of(0, 0, 1, 1), classes: 2,
 * }, { maxDepth: 1 });
 * console.log(tree.nodes[0].threshold, predictTree(tree, Float64Array.of(2.5))); // 1.5 1
 * ```
 */
export function fitTree(
  design: DesignMatrix,
  sortedColumns: readonly PresortedColumn[],
  train: Int32Array,
  target: TreeTarget,
  options: TreeOptions,
): Tree {
  const { x, rows, columns: d } = design;
  const cls = target.kind === "classification";
  const k = cls ? target.classes : 2;
  // Monomorphic views of the target keep the sweep's hot loop fast.
  const yClass = cls ? target.y : new Int32Array(0);
  const yValue = cls ? new Float64Array(0) : target.y;
  const features = options.features ?? Array.from({ length: d }, (_, j) => j);
  const nodeOf = new Int32Array(rows).fill(-1);
  const root = emptyNode(0, k);
  for (const r of train) {
    nodeOf[r] = 0;
    addRow(root, target, r);
  }
  finishNode(root, cls);
  const nodes: MutableNode[] = [root];
  const importances = new Float64Array(d);
  let frontier = [0];
  for (let depth = 0; depth < options.maxDepth && frontier.length > 0; depth++) {
    const active = frontier.filter((id) => nodes[id].samples >= 2 && !isPure(nodes[id], cls));
    if (active.length === 0) break;
    const slot = new Int32Array(nodes.length).fill(-1);
    active.forEach((id, s) => (slot[id] = s));
    const a = active.length;
    const best = new Float64Array(a).fill(-Infinity);
    const bestFeature = new Int32Array(a).fill(-1);
    const bestThreshold = new Float64Array(a);
    const total = new Float64Array(a * k);
    active.forEach((id, s) => total.set(nodes[id].counts, s * k));
    const n = Float64Array.from(active, (id) => nodes[id].samples);
    const totalSq = Float64Array.from(
      active,
      (id) => nodes[id].counts.reduce((s, v) => s + v * v, 0),
    );
    const sweep: SweepState = {
      slot,
      nodeOf,
      n,
      total,
      totalSq,
      k,
      best,
      bestFeature,
      bestThreshold,
      leftN: new Float64Array(a),
      last: new Float64Array(a),
      leftStats: new Float64Array(a * k),
      leftSq: new Float64Array(a),
      rightSq: new Float64Array(a),
    };
    for (const j of features) {
      if (cls) sweepClassification(sweep, j, sortedColumns[j], yClass);
      else sweepRegression(sweep, j, sortedColumns[j], yValue);
    }
    const next: number[] = [];
    active.forEach((id, s) => {
      if (bestFeature[s] < 0) return;
      const node = nodes[id];
      node.feature = bestFeature[s];
      node.threshold = bestThreshold[s];
      node.left = nodes.length;
      nodes.push(emptyNode(depth + 1, k));
      node.right = nodes.length;
      nodes.push(emptyNode(depth + 1, k));
      next.push(node.left, node.right);
    });
    for (const r of train) {
      const node = nodes[nodeOf[r]];
      if (node.feature < 0) continue;
      const child = x[r * d + node.feature] <= node.threshold ? node.left : node.right;
      nodeOf[r] = child;
      addRow(nodes[child], target, r);
    }
    for (const id of next) finishNode(nodes[id], cls);
    for (const id of active) {
      const node = nodes[id];
      if (node.feature < 0) continue;
      const l = nodes[node.left], r = nodes[node.right];
      importances[node.feature] += node.samples * node.impurity - l.samples * l.impurity -
        r.samples * r.impurity;
    }
    frontier = next;
  }
  const sum = importances.reduce((s, v) => s + v, 0);
  if (sum > 0) { for (let j = 0; j < d; j++) importances[j] /= sum; }
  return {
    nodes: nodes.map(({ counts: _counts, ...node }) => node),
    importances,
  };
}

/** The prediction of a fitted tree for one design row. */
export function predictTree(tree: Tree, row: ArrayLike<number>, offset = 0): number {
  let node = tree.nodes[0];
  while (node.feature >= 0) {
    node = tree.nodes[row[offset + node.feature] <= node.threshold ? node.left : node.right];
  }
  return node.value;
}

/** Buffers of one level's split search (one slot per node being split). */
interface SweepState {
  readonly slot: Int32Array;
  readonly nodeOf: Int32Array;
  readonly n: Float64Array;
  readonly total: Float64Array;
  readonly totalSq: Float64Array;
  readonly k: number;
  readonly best: Float64Array;
  readonly bestFeature: Int32Array;
  readonly bestThreshold: Float64Array;
  readonly leftN: Float64Array;
  readonly last: Float64Array;
  readonly leftStats: Float64Array;
  readonly leftSq: Float64Array;
  readonly rightSq: Float64Array;
}

function consider(st: SweepState, s: number, score: number, j: number, v: number): void {
  if (score > st.best[s]) {
    st.best[s] = score;
    st.bestFeature[s] = j;
    let threshold = st.last[s] / 2 + v / 2;
    if (threshold === v || !Number.isFinite(threshold)) threshold = st.last[s];
    st.bestThreshold[s] = threshold;
  }
}

/** Scans feature j in sorted order; Gini proxy ΣcL²/nL + ΣcR²/nR for every valid split. */
function sweepClassification(
  st: SweepState,
  j: number,
  column: PresortedColumn,
  y: Int32Array,
): void {
  const { slot, nodeOf, n, total, k, leftN, last, leftStats, leftSq, rightSq } = st;
  leftN.fill(0);
  leftStats.fill(0);
  leftSq.fill(0);
  rightSq.set(st.totalSq);
  const { order, values } = column;
  for (let o = 0; o < order.length; o++) {
    const r = order[o];
    const id = nodeOf[r];
    if (id < 0) continue;
    const s = slot[id];
    if (s < 0) continue;
    const v = values[o];
    const nl = leftN[s];
    if (nl > 0 && v > last[s] + 1e-7) {
      consider(st, s, leftSq[s] / nl + rightSq[s] / (n[s] - nl), j, v);
    }
    const c = y[r];
    const cl = leftStats[s * k + c];
    leftSq[s] += 2 * cl + 1;
    rightSq[s] -= 2 * (total[s * k + c] - cl) - 1;
    leftStats[s * k + c] = cl + 1;
    leftN[s] = nl + 1;
    last[s] = v;
  }
}

/** Scans feature j in sorted order; squared-error proxy SL²/nL + SR²/nR for every valid split. */
function sweepRegression(
  st: SweepState,
  j: number,
  column: PresortedColumn,
  y: Float64Array,
): void {
  const { slot, nodeOf, n, total, k, leftN, last, leftStats } = st;
  leftN.fill(0);
  leftStats.fill(0);
  const { order, values } = column;
  for (let o = 0; o < order.length; o++) {
    const r = order[o];
    const id = nodeOf[r];
    if (id < 0) continue;
    const s = slot[id];
    if (s < 0) continue;
    const v = values[o];
    const nl = leftN[s];
    if (nl > 0 && v > last[s] + 1e-7) {
      const sl = leftStats[s * k];
      const sr = total[s * k] - sl;
      consider(st, s, (sl * sl) / nl + (sr * sr) / (n[s] - nl), j, v);
    }
    leftStats[s * k] += y[r];
    leftN[s] = nl + 1;
    last[s] = v;
  }
}

function emptyNode(depth: number, k: number): MutableNode {
  return {
    feature: -1,
    threshold: NaN,
    left: -1,
    right: -1,
    depth,
    samples: 0,
    impurity: 0,
    value: NaN,
    counts: new Float64Array(k),
  };
}

function addRow(node: MutableNode, target: TreeTarget, r: number): void {
  node.samples++;
  if (target.kind === "classification") node.counts[target.y[r]]++;
  else {
    node.counts[0] += target.y[r];
    node.counts[1] += target.y[r] * target.y[r];
  }
}

function finishNode(node: MutableNode, cls: boolean): void {
  const n = node.samples;
  if (cls) {
    let best = 0, sq = 0;
    node.counts.forEach((c, i) => {
      sq += c * c;
      if (c > node.counts[best]) best = i;
    });
    node.value = best;
    node.impurity = 1 - sq / (n * n);
  } else {
    const m = node.counts[0] / n;
    node.value = m;
    node.impurity = Math.max(0, node.counts[1] / n - m * m);
  }
}

function isPure(node: MutableNode, cls: boolean): boolean {
  if (cls) return node.impurity <= 0;
  const m = node.counts[0] / node.samples;
  return node.impurity <= 1e-14 * Math.max(1, m * m);
}
