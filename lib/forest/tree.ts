/**
 * CART decision trees (Breiman, Friedman, Olshen and Stone 1984) on typed arrays: the tree grower
 * shared by the random-forest learners and the SMAC-style surrogate, and the fitted
 * {@linkcode DecisionTree}.
 *
 * Growing: the data are prepared once per forest ({@linkcode prepareTreeData}: column arrays and,
 * per numeric feature, the row order sorted by value). Each tree receives a multiplicity per row
 * (its bootstrap counts) and keeps, per numeric feature, the in-bag rows in sorted order; a split
 * partitions every list stably, so the rows of a node stay sorted and the best threshold of a
 * feature is one linear scan (no sorting below the root). At each node a random subset of
 * `maxFeatures` features is searched (more when none of them splits the node), as in Breiman's
 * (2001) random forests.
 *
 * Splits:
 * - numeric feature: `x ≤ threshold` goes left, the threshold halfway between the two
 *   consecutive distinct values it separates (CART), or drawn uniformly between them
 *   (`splitValue: "uniform"`, as pyrfr, the forest of SMAC, draws it: the trees of a forest then
 *   disagree about where the boundary lies, and the forest's mean changes gradually between two
 *   observations);
 * - categorical feature with `m` levels (values 0 … m−1): a subset of levels goes left. For
 *   regression and binary classification the levels are sorted by mean response (by the share of
 *   class 1) and only the `L − 1` prefixes are scanned: Breiman et al. (1984, Thm. 4.5; Fisher
 *   1958) show the best partition is one of them. That holds without a leaf-size limit: where
 *   `minSamplesLeaf` rules out a prefix, all `2^(L−1) − 1` partitions are tried when `L ≤ 10`, so
 *   the split is the best one the limit allows (beyond 10 levels the allowed prefixes only, a
 *   heuristic). For multiclass, all partitions of the `L` levels present are tried when
 *   `L ≤ 10`, otherwise the levels are sorted by the share of the node's majority class (a
 *   heuristic). With `categoricalSplit: "random"` one random
 *   partition of the levels present is drawn instead (extremely randomised trees, Geurts, Ernst
 *   and Wehenkel 2006).
 * - missing / inactive values (NaN): rows whose value is NaN go together to the side that reduces
 *   the impurity most; a numeric feature may also split "present vs missing" (all present values
 *   left). A categorical feature treats NaN as one more level, so its partition is chosen as
 *   above including that level. This plays the role of SMAC's imputation of inactive values outside
 *   the range (which sends them together to one side) without fixing that side in advance.
 *   At prediction, a NaN (or a level never seen at the node) follows the side chosen at fit
 *   time; at a node that saw none, a categorical split sends it (and unseen levels) to the
 *   heavier child, a numeric split to the right child (`x > threshold`). The heavier child for
 *   numeric splits too (scikit-learn's rule) was measured in the SMBO surrogate and was worse on a
 *   conditional problem (`results/rf/nan_routing/`).
 *
 * Sizes: `minSamplesLeaf` and `minSamplesSplit` count drawn rows (a row drawn twice by the
 * bootstrap counts twice), as in SMAC's forest; sample weights scale the statistics only.
 *
 * Stopping: a node is a leaf when it is pure, at `maxDepth`, below `minSamplesSplit` drawn rows,
 * or when no split leaves `minSamplesLeaf` rows on each side. By default it is also a leaf when
 * its best split (among the features searched) does not lower the impurity beyond round-off: a
 * split of zero gain is never made. scikit-learn grows such trees with a small positive
 * `min_impurity_decrease`, but not with its default 0, under which (as in CART grown to purity and
 * in pyrfr) an impure node takes its best split even at zero gain. The difference shows on targets
 * defined by an interaction alone: on XOR of two binary features (y = x₀ ≠ x₁, each pattern
 * equally often) every split of the root has zero gain, so a tree grown on all rows and features
 * stays one leaf, while scikit-learn's `DecisionTreeClassifier()` fits it exactly with four leaves
 * (`tests/forest/tree_zero_gain_test.ts`). Feature subsets do not change that (every feature gains
 * nothing); bootstrap samples usually do, as their class shares differ between the halves, so
 * bootstrapped forests mostly fit such targets, while forests without bootstrap
 * stay at chance. `splitZeroGain: true` gives the rule of scikit-learn's default (split every
 * impure node that has a legal split). The default is the rule the committed meta-dataset's `rf`
 * and `tree` models and the `rf` benchmark results were produced with.
 *
 * The model-based and landmarking meta-features keep their own deterministic CART
 * (`lib/metafeatures/tree.ts`: scikit-learn's tie conventions and impurity importances, no
 * randomisation), so that their values stay those of the reference implementation.
 *
 * @module
 */
import type { Rng } from "../random/rng.ts";
import { median } from "../stats/descriptive.ts";
import { extremeMagnitudeExponent } from "../stats/scale.ts";
import { type Criterion, criterionScore, weightedImpurity } from "./criterion.ts";

/**
 * The training data of a forest in the layout the grower scans: one `Float64Array` per column,
 * the number of levels per column (0 for numeric), the row order by value of each numeric column
 * (NaN last), the targets and the number of classes (0 for regression).
 */
export interface TreeData {
  /** Number of rows. */
  readonly rows: number;
  /** Number of features. */
  readonly cols: number;
  /** Column `j` at `columns[j]`, one value per row. */
  readonly columns: readonly Float64Array[];
  /** Levels of each feature: 0 for numeric, `m ≥ 1` for categorical (values 0 … m−1 or NaN). */
  readonly levels: Int32Array;
  /** Per numeric feature, the rows sorted by value with NaN last (`undefined` for categorical). */
  readonly sorted: readonly (Int32Array | undefined)[];
  /** Regression targets (divided by `scale`, then centred by `offset`), or class indices. */
  readonly y: Float64Array;
  /** What was subtracted from the scaled regression targets (added back to leaf means). */
  readonly offset: number;
  /**
   * The power of two the regression targets were divided by before centring (see
   * {@linkcode targetScale}): 1 unless their largest magnitude is beyond 1e±100, where squared
   * sums would overflow (or underflow). The grown trees map leaf means and variances back.
   */
  readonly scale: number;
  /** Number of classes (0: regression). */
  readonly classes: number;
}

/**
 * Prepares row-major features `x` (`rows × cols`) and targets for growing trees.
 *
 * @example
 * ```ts
 * import { prepareTreeData } from "./tree.ts";
 * const data = prepareTreeData(Float64Array.of(3, 1, 2), 3, 1, Float64Array.of(30, 10, 20), {});
 * data.sorted[0]; // Int32Array [1, 2, 0]
 * ```
 */
export function prepareTreeData(
  x: Float64Array,
  rows: number,
  cols: number,
  y: Float64Array,
  options: { levels?: ArrayLike<number>; classes?: number },
): TreeData {
  const levels = new Int32Array(cols);
  if (options.levels) { for (let j = 0; j < cols; j++) levels[j] = options.levels[j]; }
  const columns: Float64Array[] = [];
  const sorted: (Int32Array | undefined)[] = [];
  for (let j = 0; j < cols; j++) {
    const column = new Float64Array(rows);
    for (let i = 0; i < rows; i++) column[i] = x[i * cols + j];
    columns.push(column);
    if (levels[j] > 0) {
      sorted.push(undefined);
      continue;
    }
    sorted.push(argsort(column));
  }
  const classes = options.classes ?? 0;
  return withTargets(
    { rows, cols, columns, levels, sorted, y, offset: 0, scale: 1, classes },
    y,
  );
}

/**
 * `data` (its columns and sort orders, prepared once) with the targets `y` in their place: class
 * indices copied, regression targets divided by {@linkcode targetScale} and centred on their mean
 * over the rows whose `counts` are positive (every row without `counts`; on their median when
 * a few extreme targets drag the mean far from the others), as
 * {@linkcode prepareTreeData} does. Centring leaves the least-squares splits unchanged and keeps
 * the split search's sums of squares accurate; gradient boosting grows a tree on new targets
 * each round this way.
 *
 * @example
 * ```ts
 * import { prepareTreeData, withTargets } from "./tree.ts";
 * const data = prepareTreeData(Float64Array.of(3, 1, 2), 3, 1, Float64Array.of(30, 10, 20), {});
 * const next = withTargets(data, Float64Array.of(1, 2, 6), Int32Array.of(1, 1, 0));
 * next.offset; // 1.5: the mean of the two drawn rows
 * next.y; // Float64Array [-0.5, 0.5, 4.5]
 * ```
 */
export function withTargets(
  data: TreeData,
  y: ArrayLike<number>,
  counts?: ArrayLike<number>,
): TreeData {
  const rows = data.rows;
  let offset = 0;
  let scale = 1;
  const targets = Float64Array.from(y);
  if (data.classes === 0 && rows > 0) {
    scale = targetScale(y);
    // Dividing by a power of two is exact: the grown trees are those of the unscaled targets.
    if (scale !== 1) { for (let i = 0; i < rows; i++) targets[i] = y[i] / scale; }
    let drawn = 0;
    for (let i = 0; i < rows; i++) {
      if (counts === undefined || counts[i] > 0) {
        offset += targets[i];
        drawn++;
      }
    }
    offset = drawn > 0 ? offset / drawn : 0;
    if (drawn > 0) offset = robustOffset(targets, counts, drawn, offset);
    for (let i = 0; i < rows; i++) targets[i] -= offset;
  }
  return { ...data, y: targets, offset, scale };
}

/**
 * A mean of the drawn targets more than this many typical deviations from their median has been
 * dragged off by a few extreme targets: centring on it would round away the differences between
 * the others (see {@linkcode robustOffset}).
 */
const OUTLIER_SHIFT = 2 ** 20;

/**
 * The offset {@linkcode withTargets} centres the (scaled) targets on: their `mean` over the
 * drawn rows, unless a few extreme targets pull it more than {@linkcode OUTLIER_SHIFT} typical
 * deviations (the median of the nonzero distances to the median) away from the median. Centred on
 * such a mean (targets in [0, 1] next to one at 1e16: a mean near 5e13), the other targets would
 * keep only the few digits below its magnitude, and the tree could no longer tell them apart:
 * they are then centred on their median, which keeps them as accurate as given. Ordinary
 * targets (their mean within a few typical deviations of the median) keep their mean, so that
 * their trees are unchanged.
 */
function robustOffset(
  targets: Float64Array,
  counts: ArrayLike<number> | undefined,
  drawn: number,
  mean: number,
): number {
  const values = new Float64Array(drawn);
  let k = 0;
  for (let i = 0; i < targets.length; i++) {
    if (counts === undefined || counts[i] > 0) values[k++] = targets[i];
  }
  const centre = median(values);
  let nonzero = 0;
  for (let i = 0; i < drawn; i++) {
    const d = Math.abs(values[i] - centre);
    if (d > 0) values[nonzero++] = d;
  }
  if (nonzero === 0) return mean;
  const spread = median(values.subarray(0, nonzero));
  return Math.abs(mean - centre) > OUTLIER_SHIFT * spread ? centre : mean;
}

/**
 * The power of two regression targets `y` are divided by while growing trees: 1 when their
 * largest magnitude lies in [1e-100, 1e100] (or all are 0), so ordinary targets are grown exactly
 * as given; otherwise `2^⌊log₂ max|y|⌋` (`extremeMagnitudeExponent` of `lib/stats`, clamped to
 * [2^-1022, 2^1023] so that its inverse is representable; 2^1023 when a target is infinite),
 * which brings the largest magnitude into [1, 2) and keeps the sums of squares of the split
 * search finite (they overflow from about 1e154). Being a power of two, the scaling is exact: the
 * trees of `y · 2^k` are those of `y`, with means `2^k` and variances `4^k` times theirs.
 *
 * @example
 * ```ts
 * import { targetScale } from "./tree.ts";
 * targetScale(Float64Array.of(1, -3, 5)); // 1
 * targetScale(Float64Array.of(1e200, -3e200)); // 2 ** 665
 * ```
 */
export function targetScale(y: ArrayLike<number>): number {
  for (let i = 0; i < y.length; i++) if (Math.abs(y[i]) === Infinity) return 2 ** 1023;
  return 2 ** Math.min(1023, Math.max(-1022, extremeMagnitudeExponent(y)));
}

/**
 * The rows of `values` in increasing order of value, NaN last (ties in an unspecified but
 * deterministic order): an in-place quicksort on the indices (median of three, insertion sort
 * below 16 rows), several times faster than `Int32Array.prototype.sort` with a comparator.
 */
function argsort(values: Float64Array): Int32Array {
  const n = values.length;
  const order = new Int32Array(n);
  let present = 0;
  let last = n;
  for (let i = 0; i < n; i++) {
    if (values[i] === values[i]) order[present++] = i;
    else order[--last] = i;
  }
  // NaN rows were written from the end backwards: restore their row order.
  order.subarray(present).reverse();
  const stack: number[] = [0, present - 1];
  while (stack.length > 0) {
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    while (hi - lo >= 16) {
      const mid = (lo + hi) >>> 1;
      // Median of three to order[hi].
      if (values[order[mid]] < values[order[lo]]) swap(order, mid, lo);
      if (values[order[hi]] < values[order[lo]]) swap(order, hi, lo);
      if (values[order[mid]] < values[order[hi]]) swap(order, mid, hi);
      const pivot = values[order[hi]];
      let i = lo - 1;
      let j = hi;
      for (;;) {
        do i++; while (values[order[i]] < pivot);
        do j--; while (j > lo && values[order[j]] > pivot);
        if (i >= j) break;
        swap(order, i, j);
      }
      swap(order, i, hi);
      // Recurse into the smaller side first (bounded stack), loop on the larger.
      if (i - lo < hi - i) {
        stack.push(i + 1, hi);
        hi = i - 1;
      } else {
        stack.push(lo, i - 1);
        lo = i + 1;
      }
    }
    for (let k = lo + 1; k <= hi; k++) {
      const row = order[k];
      const v = values[row];
      let p = k - 1;
      while (p >= lo && values[order[p]] > v) {
        order[p + 1] = order[p];
        p--;
      }
      order[p + 1] = row;
    }
  }
  return order;
}

function swap(order: Int32Array, a: number, b: number): void {
  const t = order[a];
  order[a] = order[b];
  order[b] = t;
}

/** Growth limits and the split criterion of one tree. */
export interface TreeParams {
  /** Features searched per node (1 … cols; more are searched when none of them splits). */
  maxFeatures: number;
  /** A node with fewer drawn rows is a leaf (≥ 2). */
  minSamplesSplit: number;
  /** Each child keeps at least this many drawn rows (≥ 1). */
  minSamplesLeaf: number;
  /** Depth limit (the root has depth 0); `Infinity` for none. */
  maxDepth: number;
  /** Split criterion. */
  criterion: Criterion;
  /**
   * Where a numeric threshold sits between the two neighbouring values `a < b` it separates:
   * `"midpoint"` (default; CART, scikit-learn) `(a + b)/2`, or `"uniform"` a value drawn
   * uniformly in `[a, b)` (pyrfr, SMAC's forest), so that the trees of a forest put their
   * boundaries at different places and the forest's mean varies smoothly between observations.
   */
  splitValue?: "midpoint" | "uniform";
  /**
   * How a numeric feature's split is chosen: `"best"` (default) the threshold that reduces the
   * impurity most; `"random"` one threshold drawn uniformly between the node's smallest and
   * largest value of the feature (extremely randomised trees, Geurts, Ernst and Wehenkel 2006;
   * scikit-learn's `splitter="random"`, the forest of SMAC3 ≥ 2.4), the best feature then chosen
   * among those searched. Categorical features keep their best partition either way (see
   * `categoricalSplit`).
   */
  splitter?: "best" | "random";
  /**
   * How a categorical feature's partition is chosen: `"best"` (default) the partition of its
   * levels that reduces the impurity most (see the module documentation); `"random"` one random
   * partition of the levels present at the node — a non-empty proper subset of them, each subset
   * equally likely, goes left, NaN counting as one more level and levels absent from the node
   * following the heavier side as with `"best"` — drawn from the tree's random stream: the
   * treatment of categorical attributes in extremely randomised trees (Geurts, Ernst and
   * Wehenkel 2006). With `splitter: "random"`, `"best"` lets a categorical feature compete with
   * its best partition against one random threshold per numeric feature, so that categoricals,
   * irrelevant ones included, win splits more often than numeric features (a selection bias
   * that grows with the number of levels); `"random"` makes both kinds draw one candidate.
   */
  categoricalSplit?: "best" | "random";
  /**
   * Split an impure node on its best split even when that split does not lower the impurity
   * (default false: a node whose best split gains nothing beyond round-off is a leaf). True is
   * the rule of CART grown to purity, of pyrfr and of scikit-learn's default
   * `min_impurity_decrease=0`: the tree then stops only on purity, `maxDepth`, `minSamplesSplit`
   * and `minSamplesLeaf`, and fits targets defined by interactions alone (XOR, parity) that the
   * default leaves unsplit (see the module documentation).
   */
  splitZeroGain?: boolean;
}

/**
 * A fitted CART tree, stored as flat typed arrays indexed by node (node 0 is the root). Internal
 * nodes have `feature ≥ 0`; leaves have `feature = −1`.
 */
export class DecisionTree {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Split feature of each node (−1 at a leaf). */
  readonly feature: Int32Array;
  /** Threshold of a numeric split (`x ≤ threshold` goes left). */
  readonly threshold: Float64Array;
  /** Left child of each internal node. */
  readonly left: Int32Array;
  /** Right child of each internal node. */
  readonly right: Int32Array;
  /** 1 where a missing (NaN) value goes left. */
  readonly missingLeft: Uint8Array;
  /** Per categorical split, 1 for each level that goes left (`undefined` elsewhere). */
  readonly levelsLeft: readonly (Uint8Array | undefined)[];
  /**
   * Value of each node: the weighted mean target (regression, one per node) or the class
   * probabilities (classification, `classes` per node, row-major).
   */
  readonly value: Float64Array;
  /**
   * Weighted variance of the targets in each node (regression; 0 for classification). For
   * targets beyond about 1e154 it may exceed the float64 range: it is then `Infinity` (divided
   * by `scale²` it is finite; see {@linkcode DecisionTree.scale}).
   */
  readonly variance: Float64Array;
  /** Total sample weight of each node. */
  readonly weight: Float64Array;
  /** Drawn rows in each node (bootstrap multiplicities included). */
  readonly samples: Int32Array;
  /**
   * Weighted impurity `W · impurity` of each node: the sum of squared errors (regression, of the
   * targets divided by `scale`, so that it stays finite), or `W · Gini` / `W · entropy`
   * (classification).
   */
  readonly impurity: Float64Array;
  /** Number of classes (0 for regression). */
  readonly classes: number;
  /** Number of features. */
  readonly cols: number;
  /**
   * The power of two the regression targets were divided by while growing
   * ({@linkcode targetScale}; 1 for ordinary targets and for classification). `value` and
   * `variance` are in the units of the targets; combine many of them as `value / scale` (exact)
   * and scale the result back, so that sums of huge values cannot overflow.
   */
  readonly scale: number;

  /** Whether every split is a threshold split (no categorical level sets): `leaf`'s fast path. */
  readonly #numericSplits: boolean;

  /** Built by {@linkcode growTree}. */
  constructor(fields: {
    feature: Int32Array;
    threshold: Float64Array;
    left: Int32Array;
    right: Int32Array;
    missingLeft: Uint8Array;
    levelsLeft: (Uint8Array | undefined)[];
    value: Float64Array;
    variance: Float64Array;
    weight: Float64Array;
    samples: Int32Array;
    impurity: Float64Array;
    classes: number;
    cols: number;
    /** Default 1. */
    scale?: number;
  }) {
    this.nodeCount = fields.feature.length;
    this.feature = fields.feature;
    this.threshold = fields.threshold;
    this.left = fields.left;
    this.right = fields.right;
    this.missingLeft = fields.missingLeft;
    this.levelsLeft = fields.levelsLeft;
    this.#numericSplits = fields.levelsLeft.every((mask) => mask === undefined);
    this.value = fields.value;
    this.variance = fields.variance;
    this.weight = fields.weight;
    this.samples = fields.samples;
    this.impurity = fields.impurity;
    this.classes = fields.classes;
    this.cols = fields.cols;
    this.scale = fields.scale ?? 1;
  }

  /**
   * The leaf reached by the row stored at `x[offset .. offset + cols)` (row-major features).
   *
   * @example
   * ```ts
   * import { growTree, prepareTreeData } from "./tree.ts";
   * import { Rng } from "../random/rng.ts";
   * const data = prepareTreeData(Float64Array.of(0, 1, 2, 3), 4, 1, Float64Array.of(0, 0, 5, 5), {});
   * const tree = growTree(data, new Int32Array(4).fill(1), undefined, {
   *   maxFeatures: 1, minSamplesSplit: 2, minSamplesLeaf: 1, maxDepth: Infinity,
   *   criterion: "squared_error",
   * }, new Rng(0));
   * tree.value[tree.leaf(Float64Array.of(2.5))]; // 5
   * ```
   */
  leaf(x: ArrayLike<number>, offset = 0): number {
    const feature = this.feature;
    let node = 0;
    if (this.#numericSplits) {
      // The same walk without the level sets (the hot loop of the forest surrogate).
      const { threshold, missingLeft, left, right } = this;
      let f = feature[0];
      while (f >= 0) {
        const v = x[offset + f];
        const goLeft = v !== v ? missingLeft[node] === 1 : v <= threshold[node];
        node = goLeft ? left[node] : right[node];
        f = feature[node];
      }
      return node;
    }
    while (feature[node] >= 0) {
      const f = feature[node];
      const v = x[offset + f];
      let goLeft: boolean;
      if (v !== v) goLeft = this.missingLeft[node] === 1;
      else {
        const mask = this.levelsLeft[node];
        if (mask === undefined) goLeft = v <= this.threshold[node];
        else {
          const level = v | 0;
          goLeft = level === v && level >= 0 && level < mask.length - 1
            ? mask[level] === 1
            : this.missingLeft[node] === 1;
        }
      }
      node = goLeft ? this.left[node] : this.right[node];
    }
    return node;
  }

  /** Depth of the tree (a single leaf has depth 0). */
  depth(): number {
    const depth = new Int32Array(this.nodeCount);
    let max = 0;
    for (let node = 0; node < this.nodeCount; node++) {
      if (this.feature[node] < 0) continue;
      const d = depth[node] + 1;
      depth[this.left[node]] = d;
      depth[this.right[node]] = d;
      if (d > max) max = d;
    }
    return max;
  }

  /**
   * Mean decrease in impurity per feature (Breiman et al. 1984): the sum over the splits on each
   * feature of `impurity(node) − impurity(left) − impurity(right)` (weighted impurities), not
   * normalised.
   *
   * @example
   * ```ts
   * import { growTree, prepareTreeData } from "./tree.ts";
   * import { Rng } from "../random/rng.ts";
   * const data = prepareTreeData(Float64Array.of(0, 5, 1, 5, 2, 5, 3, 5), 4, 2, Float64Array.of(0, 0, 4, 4), {});
   * const tree = growTree(data, new Int32Array(4).fill(1), undefined, {
   *   maxFeatures: 2, minSamplesSplit: 2, minSamplesLeaf: 1, maxDepth: Infinity,
   *   criterion: "squared_error",
   * }, new Rng(0));
   * tree.impurityDecrease(); // Float64Array [16, 0]: the sum of squared errors 16 → 0
   * ```
   */
  impurityDecrease(): Float64Array {
    const out = new Float64Array(this.cols);
    for (let node = 0; node < this.nodeCount; node++) {
      const f = this.feature[node];
      if (f < 0) continue;
      out[f] += this.impurity[node] - this.impurity[this.left[node]] -
        this.impurity[this.right[node]];
    }
    return out;
  }

  /** Number of leaves. */
  leafCount(): number {
    let count = 0;
    for (let node = 0; node < this.nodeCount; node++) if (this.feature[node] < 0) count++;
    return count;
  }
}

/**
 * Categorical splits try every partition up to this many levels present: multiclass ones always,
 * regression and binary ones where the leaf-size limit rules out a partition of the sorted levels.
 */
const MAX_BRUTE_FORCE_LEVELS = 10;
/** Relative size under which an impurity or a gain counts as zero (rounding). */
const EPSILON = 1e-12;
/**
 * A regression node whose impurity is at most this share of its sum of squares about 0 has its
 * sums taken about its own mean (see `growTree`): 100 · EPSILON, so that elsewhere the round-off
 * tests (EPSILON · that sum) stay below a hundredth of the node's impurity.
 */
const RECENTRE = 1e-10;

/** The best split found so far at a node. */
interface Best {
  score: number;
  feature: number;
  threshold: number;
  /** The numeric values the threshold separates (`below ≤ threshold < above`). */
  below: number;
  above: number;
  missingLeft: boolean;
  mask: Uint8Array | undefined;
}

/**
 * Grows one CART tree on `data`: `counts[i]` is how many times row `i` was drawn (0: out of bag),
 * `weights[i]` its sample weight (all 1 when `undefined`).
 *
 * @example
 * ```ts
 * import { growTree, prepareTreeData } from "./tree.ts";
 * import { Rng } from "../random/rng.ts";
 * // Two classes separated at x = 1.5.
 * const x = Float64Array.of(0, 1, 2, 3);
 * const data = prepareTreeData(x, 4, 1, Float64Array.of(0, 0, 1, 1), { classes: 2 });
 * const tree = growTree(data, new Int32Array(4).fill(1), undefined, {
 *   maxFeatures: 1, minSamplesSplit: 2, minSamplesLeaf: 1, maxDepth: Infinity, criterion: "gini",
 * }, new Rng(0));
 * tree.threshold[0]; // 1.5
 * ```
 */
export function growTree(
  data: TreeData,
  counts: Int32Array,
  weights: Float64Array | undefined,
  params: TreeParams,
  rng: Rng,
): DecisionTree {
  const { rows, cols, columns, levels, sorted, y, classes } = data;
  const regression = classes === 0;
  const K = regression ? 2 : classes;
  const score = criterionScore(params.criterion, classes);
  const minLeaf = Math.max(1, params.minSamplesLeaf);
  const minSplit = Math.max(2, params.minSamplesSplit, 2 * minLeaf);
  const maxFeatures = Math.max(1, Math.min(cols, params.maxFeatures));

  // Row weights (count × sample weight) and the in-bag rows.
  const w = new Float64Array(rows);
  let m = 0;
  for (let i = 0; i < rows; i++) {
    if (counts[i] > 0) {
      m++;
      w[i] = counts[i] * (weights === undefined ? 1 : weights[i]);
    }
  }
  // One list of the in-bag rows per numeric feature (sorted by value) plus the base list (last).
  const listOf = new Int32Array(cols);
  let numericCount = 0;
  for (let j = 0; j < cols; j++) listOf[j] = levels[j] === 0 ? numericCount++ : -1;
  const base = numericCount;
  for (let j = 0; j < cols; j++) if (listOf[j] < 0) listOf[j] = base;
  const lists = new Int32Array((numericCount + 1) * m);
  for (let j = 0; j < cols; j++) {
    const order = sorted[j];
    if (order === undefined) continue;
    let p = listOf[j] * m;
    for (let t = 0; t < rows; t++) if (counts[order[t]] > 0) lists[p++] = order[t];
  }
  {
    let p = base * m;
    for (let i = 0; i < rows; i++) if (counts[i] > 0) lists[p++] = i;
  }
  const goLeft = new Uint8Array(rows);
  const scratch = new Int32Array(m);

  // Node storage, sized for the largest possible tree (each leaf holds ≥ minLeaf drawn rows).
  let drawn = 0;
  for (let i = 0; i < rows; i++) drawn += counts[i];
  const capacity = Math.max(1, 2 * Math.floor(Math.max(drawn, 1) / minLeaf) - 1);
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity);
  const right = new Int32Array(capacity);
  const missingLeft = new Uint8Array(capacity);
  const levelsLeft: (Uint8Array | undefined)[] = [];
  const value = new Float64Array(capacity * (regression ? 1 : classes));
  const variance = new Float64Array(capacity);
  const nodeWeight = new Float64Array(capacity);
  const samples = new Int32Array(capacity);
  const nodeImpurity = new Float64Array(capacity);
  let nodeCount = 1;

  // Scratch statistics.
  const total = new Float64Array(K);
  const acc = new Float64Array(K);
  const miss = new Float64Array(K);
  const side = new Float64Array(2 * K); // [left | right] candidate statistics
  let maxLevels = 0;
  for (let j = 0; j < cols; j++) maxLevels = Math.max(maxLevels, levels[j]);
  const levelStats = new Float64Array((maxLevels + 1) * K);
  const levelWeight = new Float64Array(maxLevels + 1);
  const levelCount = new Float64Array(maxLevels + 1);
  const present = new Int32Array(maxLevels + 1);
  const levelKey = new Float64Array(maxLevels + 1);
  const featureOrder = new Int32Array(cols);
  for (let j = 0; j < cols; j++) featureOrder[j] = j;
  const best: Best = {
    score: -Infinity,
    feature: -1,
    threshold: 0,
    below: NaN,
    above: NaN,
    missingLeft: false,
    mask: undefined,
  };
  /**
   * Regression: what the current node's sums subtract from the targets (0, or the node's mean
   * when the sums about 0 would lose its structure to rounding; see the node statistics below).
   */
  let shift = 0;
  const uniformSplits = params.splitValue === "uniform";
  const randomSplits = params.splitter === "random";
  const randomPartitions = params.categoricalSplit === "random";
  const zeroGainSplits = params.splitZeroGain === true;

  const addRow = (stats: Float64Array, r: number): void => {
    const wr = w[r];
    if (regression) {
      stats[0] += wr;
      stats[1] += wr * (y[r] - shift);
    } else stats[y[r]] += wr;
  };

  /**
   * Keeps a numeric split in `best`: threshold `thr` between the values `below` and `above` (NaN
   * when the threshold was drawn at random; `thr` Infinity: present values left, missing right).
   */
  const keepNumericSplit = (
    s: number,
    f: number,
    thr: number,
    below: number,
    above: number,
    missingGoesLeft: boolean,
  ): void => {
    best.score = s;
    best.feature = f;
    best.threshold = thr;
    best.below = below;
    best.above = above;
    best.missingLeft = missingGoesLeft;
    best.mask = undefined;
  };

  /** Scores the split whose left statistics are `side[0..K)` and right `side[K..2K)`. */
  const consider = (
    lw: number,
    ln: number,
    rw: number,
    rn: number,
  ): number => {
    if (ln < minLeaf || rn < minLeaf || lw <= 0 || rw <= 0) return -Infinity;
    return score(side, 0, lw) + score(side, K, rw);
  };

  /** {@link scanNumeric} for regression, with scalar statistics (the hot loop of the surrogate). */
  const scanNumericRegression = (
    f: number,
    start: number,
    end: number,
    nodeW: number,
    nodeN: number,
  ) => {
    const x = columns[f];
    const off = listOf[f] * m;
    let stop = end;
    while (stop > start && x[lists[off + stop - 1]] !== x[lists[off + stop - 1]]) stop--;
    let missW = 0;
    let missS = 0;
    let missN = 0;
    for (let t = stop; t < end; t++) {
      const r = lists[off + t];
      missW += w[r];
      missS += w[r] * (y[r] - shift);
      missN += counts[r];
    }
    if (stop === start) return;
    const totalS = total[1];
    const presentW = nodeW - missW;
    const presentS = totalS - missS;
    const presentN = nodeN - missN;
    let bestScore = best.score;
    let bestT = -1;
    let bestMissingLeft = false;
    let lw = 0;
    let ls = 0;
    let ln = 0;
    let r = lists[off + start];
    let v = x[r];
    for (let t = start; t < stop - 1; t++) {
      const wr = w[r];
      lw += wr;
      ls += wr * (y[r] - shift);
      ln += counts[r];
      const nextRow = lists[off + t + 1];
      const next = x[nextRow];
      const here = t;
      r = nextRow;
      // Each side of a candidate counts the missing rows it would get: with them on the left,
      // a left side of fewer than minLeaf present rows can still be big enough.
      if (next <= v || ln + missN < minLeaf) {
        v = next;
        continue;
      }
      v = next;
      const rn = presentN - ln;
      if (rn + missN < minLeaf) break;
      const rw = presentW - lw;
      const rs = presentS - ls;
      // Missing values to the right, then to the left.
      const rwAll = rw + missW;
      if (ln >= minLeaf && lw > 0 && rwAll > 0) {
        const rsAll = rs + missS;
        const s = (ls * ls) / lw + (rsAll * rsAll) / rwAll;
        if (s > bestScore) {
          bestScore = s;
          bestT = here;
          bestMissingLeft = false;
        }
      }
      if (missN > 0 && rn >= minLeaf && rw > 0) {
        const lwAll = lw + missW;
        const lsAll = ls + missS;
        const s = (lsAll * lsAll) / lwAll + (rs * rs) / rw;
        if (s > bestScore) {
          bestScore = s;
          bestT = here;
          bestMissingLeft = true;
        }
      }
    }
    if (bestT >= 0) {
      const below = x[lists[off + bestT]];
      const above = x[lists[off + bestT + 1]];
      let thr = 0.5 * (below + above);
      if (!(thr < above)) thr = below; // rounding: keep `below` on the left
      keepNumericSplit(bestScore, f, thr, below, above, bestMissingLeft);
    }
    if (missN > 0 && presentN >= minLeaf && missN >= minLeaf && presentW > 0 && missW > 0) {
      const s = (presentS * presentS) / presentW + (missS * missS) / missW;
      if (s > best.score) keepNumericSplit(s, f, Infinity, NaN, NaN, false);
    }
  };

  /** Where the present rows of the node stop in a feature's list, and the missing rows' totals. */
  const missing = { stop: 0, w: 0, n: 0 };

  /** Sums the node's missing rows of numeric feature `f` into `miss` and `missing`. */
  const collectMissing = (f: number, start: number, end: number): void => {
    const x = columns[f];
    const off = listOf[f] * m;
    // Missing values sit at the end of the node's range (the lists keep NaN last).
    let stop = end;
    while (stop > start && x[lists[off + stop - 1]] !== x[lists[off + stop - 1]]) stop--;
    miss.fill(0);
    let missW = 0;
    let missN = 0;
    for (let t = stop; t < end; t++) {
      const r = lists[off + t];
      addRow(miss, r);
      missW += w[r];
      missN += counts[r];
    }
    missing.stop = stop;
    missing.w = missW;
    missing.n = missN;
  };

  /**
   * Scores the threshold split of numeric feature `f` whose left present rows have the
   * statistics `acc` (weight `lw`, count `ln`), the missing rows on the better side, and keeps it
   * in `best` when it beats it. `below`/`above`: the values the threshold separates (NaN when it
   * was drawn at random).
   */
  const considerThreshold = (
    f: number,
    lw: number,
    ln: number,
    presentW: number,
    presentN: number,
    thr: number,
    below: number,
    above: number,
  ): void => {
    const { w: missW, n: missN } = missing;
    const rw = presentW - lw;
    const rn = presentN - ln;
    // Missing values to the right.
    for (let k = 0; k < K; k++) {
      side[k] = acc[k];
      side[K + k] = total[k] - acc[k];
    }
    let s = consider(lw, ln, rw + missW, rn + missN);
    let missingGoesLeft = false;
    if (missN > 0) {
      for (let k = 0; k < K; k++) {
        side[k] = acc[k] + miss[k];
        side[K + k] = total[k] - acc[k] - miss[k];
      }
      const s2 = consider(lw + missW, ln + missN, rw, rn);
      if (s2 > s) {
        s = s2;
        missingGoesLeft = true;
      }
    }
    if (s > best.score) keepNumericSplit(s, f, thr, below, above, missingGoesLeft);
  };

  /** The "present values left, missing values right" split of feature `f`, kept when best. */
  const considerPresentVsMissing = (f: number, presentW: number, presentN: number): void => {
    const { w: missW, n: missN } = missing;
    if (missN === 0) return;
    for (let k = 0; k < K; k++) {
      side[k] = total[k] - miss[k];
      side[K + k] = miss[k];
    }
    const s = consider(presentW, presentN, missW, missN);
    if (s > best.score) keepNumericSplit(s, f, Infinity, NaN, NaN, false);
  };

  const scanNumeric = (f: number, start: number, end: number, nodeW: number, nodeN: number) => {
    const x = columns[f];
    const off = listOf[f] * m;
    collectMissing(f, start, end);
    const { stop, w: missW, n: missN } = missing;
    if (stop === start) return; // only missing values: nothing to split on
    const presentW = nodeW - missW;
    const presentN = nodeN - missN;
    acc.fill(0);
    let lw = 0;
    let ln = 0;
    for (let t = start; t < stop - 1; t++) {
      const r = lists[off + t];
      addRow(acc, r);
      lw += w[r];
      ln += counts[r];
      const v = x[r];
      const next = x[lists[off + t + 1]];
      if (next <= v) continue; // same value: no threshold between them
      // Too few rows on the left even with the missing ones (each side's size is checked by
      // `consider` with the rows it gets, missing ones included).
      if (ln + missN < minLeaf) continue;
      if (presentN - ln + missN < minLeaf) break; // the right side only shrinks from here
      let thr = 0.5 * (v + next);
      if (!(thr < next)) thr = v; // rounding: keep v on the left, next on the right
      considerThreshold(f, lw, ln, presentW, presentN, thr, v, next);
    }
    considerPresentVsMissing(f, presentW, presentN);
  };

  /**
   * The `"random"` splitter on a numeric feature: one threshold drawn uniformly between the
   * node's smallest and largest present value, missing values to the better side, and the
   * "present vs missing" split as in {@link scanNumeric}.
   */
  const scanNumericRandom = (
    f: number,
    start: number,
    end: number,
    nodeW: number,
    nodeN: number,
  ) => {
    const x = columns[f];
    const off = listOf[f] * m;
    collectMissing(f, start, end);
    const { stop, w: missW, n: missN } = missing;
    if (stop === start) return;
    const presentW = nodeW - missW;
    const presentN = nodeN - missN;
    const lo = x[lists[off + start]];
    const hi = x[lists[off + stop - 1]];
    if (hi > lo) {
      let thr = lo + rng.uniform() * (hi - lo);
      if (!(thr < hi)) thr = lo; // rounding: keep the largest value on the right
      acc.fill(0);
      let lw = 0;
      let ln = 0;
      for (let t = start; t < stop; t++) {
        const r = lists[off + t];
        if (x[r] > thr) break;
        addRow(acc, r);
        lw += w[r];
        ln += counts[r];
      }
      considerThreshold(f, lw, ln, presentW, presentN, thr, NaN, NaN);
    }
    considerPresentVsMissing(f, presentW, presentN);
  };

  const scanCategorical = (f: number, start: number, end: number, majority: number) => {
    const x = columns[f];
    const nLevels = levels[f];
    const off = base * m;
    const slots = nLevels + 1; // level nLevels holds the missing values
    levelStats.fill(0, 0, slots * K);
    levelWeight.fill(0, 0, slots);
    levelCount.fill(0, 0, slots);
    for (let t = start; t < end; t++) {
      const r = lists[off + t];
      const v = x[r];
      const level = v !== v ? nLevels : v;
      const wr = w[r];
      if (regression) {
        levelStats[level * K] += wr;
        levelStats[level * K + 1] += wr * (y[r] - shift);
      } else levelStats[level * K + y[r]] += wr;
      levelWeight[level] += wr;
      levelCount[level] += counts[r];
    }
    let L = 0;
    for (let l = 0; l < slots; l++) if (levelCount[l] > 0) present[L++] = l;
    if (L < 2) return;
    if (randomPartitions) {
      scanCategoricalRandom(f, L, slots);
      return;
    }
    let bestMask = -1; // bit set over positions in `present` (or prefix length when sorted)
    let bestScore = best.score;
    let sortedSearch = true;
    if (regression || classes === 2 || L > MAX_BRUTE_FORCE_LEVELS) {
      // Sort the present levels by mean response / share of class 1 / share of the majority.
      const keyIndex = regression || classes === 2 ? 1 : majority;
      for (let p = 0; p < L; p++) {
        const l = present[p];
        levelKey[l] = levelWeight[l] > 0 ? levelStats[l * K + keyIndex] / levelWeight[l] : 0;
      }
      const ordered = Array.from(present.subarray(0, L)).sort((a, b) =>
        levelKey[a] - levelKey[b] || a - b
      );
      for (let p = 0; p < L; p++) present[p] = ordered[p];
      side.fill(0);
      let lw = 0;
      let ln = 0;
      let nodeW = 0;
      let nodeN = 0;
      for (let p = 0; p < L; p++) {
        nodeW += levelWeight[present[p]];
        nodeN += levelCount[present[p]];
      }
      // Whether a prefix broke the leaf-size limit: the best partition is a prefix (Breiman et
      // al. 1984, Theorem 4.5), so it is the best allowed one unless the limit ruled it out.
      let limited = false;
      for (let p = 0; p < L - 1; p++) {
        const l = present[p];
        for (let k = 0; k < K; k++) side[k] += levelStats[l * K + k];
        lw += levelWeight[l];
        ln += levelCount[l];
        for (let k = 0; k < K; k++) side[K + k] = total[k] - side[k];
        if (ln < minLeaf || nodeN - ln < minLeaf) limited = true;
        const s = consider(lw, ln, nodeW - lw, nodeN - ln);
        if (s > bestScore) {
          bestScore = s;
          bestMask = p + 1;
        }
      }
      // Where the limit ruled a prefix out, the best allowed partition may be no prefix (or exist
      // where no prefix is allowed): every partition is tried below.
      sortedSearch = !(limited && L <= MAX_BRUTE_FORCE_LEVELS);
    } else sortedSearch = false; // multiclass with few levels: every partition
    if (!sortedSearch) {
      // Every partition of the present levels, the last one always right.
      bestMask = -1;
      bestScore = best.score;
      const subsets = 1 << (L - 1);
      for (let mask = 1; mask < subsets; mask++) {
        const s = scorePartition(L, (p) => (mask & (1 << p)) !== 0);
        if (s > bestScore) {
          bestScore = s;
          bestMask = mask;
        }
      }
    }
    if (bestMask < 0) return;
    const mask = new Uint8Array(slots);
    let lw = 0;
    let rw = 0;
    for (let p = 0; p < L; p++) {
      const l = present[p];
      const isLeft = sortedSearch ? p < bestMask : (bestMask & (1 << p)) !== 0;
      if (isLeft) {
        mask[l] = 1;
        lw += levelWeight[l];
      } else rw += levelWeight[l];
    }
    keepCategoricalSplit(bestScore, f, mask, lw, rw);
  };

  /**
   * Keeps the categorical split of feature `f` whose present levels left are those set in `mask`
   * (left weight `lw`, right `rw`) in `best`; levels absent from the node (and the missing slot
   * when no row misses) follow the heavier side.
   */
  const keepCategoricalSplit = (
    s: number,
    f: number,
    mask: Uint8Array,
    lw: number,
    rw: number,
  ): void => {
    const nLevels = levels[f];
    const heavierLeft = lw >= rw ? 1 : 0;
    for (let l = 0; l <= nLevels; l++) if (levelCount[l] === 0) mask[l] = heavierLeft;
    best.score = s;
    best.feature = f;
    best.threshold = NaN;
    best.missingLeft = mask[nLevels] === 1;
    best.mask = mask;
  };

  /** The left and right weights of the partition {@linkcode scorePartition} scored last. */
  const partitionWeight = new Float64Array(2);
  /**
   * The score (`consider`) of sending left the levels `present[p]`, p < `L`, for which `left(p)`
   * holds and the other present levels right; their statistics are summed into `side`, and the
   * two sides' weights left in `partitionWeight`.
   */
  const scorePartition = (L: number, left: (p: number) => boolean): number => {
    side.fill(0, 0, K);
    let lw = 0;
    let ln = 0;
    let rw = 0;
    let rn = 0;
    for (let p = 0; p < L; p++) {
      const l = present[p];
      if (left(p)) {
        for (let k = 0; k < K; k++) side[k] += levelStats[l * K + k];
        lw += levelWeight[l];
        ln += levelCount[l];
      } else {
        rw += levelWeight[l];
        rn += levelCount[l];
      }
    }
    for (let k = 0; k < K; k++) side[K + k] = total[k] - side[k];
    partitionWeight[0] = lw;
    partitionWeight[1] = rw;
    return consider(lw, ln, rw, rn);
  };

  /**
   * `categoricalSplit: "random"`: one partition of the `L` levels present at the node (their
   * statistics in `levelStats`, `levelWeight`, `levelCount`; the levels in `present[0..L)`), a
   * uniformly drawn non-empty proper subset of them going left (each level left with
   * probability ½, drawn again while one side is empty), kept in `best` when it beats it.
   */
  const scanCategoricalRandom = (f: number, L: number, slots: number): void => {
    const mask = new Uint8Array(slots);
    let nLeft = 0;
    while (nLeft === 0 || nLeft === L) {
      nLeft = 0;
      for (let p = 0; p < L; p++) {
        const isLeft = rng.uniform() < 0.5 ? 1 : 0;
        mask[present[p]] = isLeft;
        nLeft += isLeft;
      }
    }
    const s = scorePartition(L, (p) => mask[present[p]] === 1);
    if (s > best.score) keepCategoricalSplit(s, f, mask, partitionWeight[0], partitionWeight[1]);
  };

  const partition = (start: number, end: number): number => {
    const f = best.feature;
    const x = columns[f];
    const mask = best.mask;
    const thr = best.threshold;
    const missLeft = best.missingLeft ? 1 : 0;
    const nLevels = levels[f];
    const baseOff = base * m;
    let nLeft = 0;
    for (let t = start; t < end; t++) {
      const r = lists[baseOff + t];
      const v = x[r];
      let g: number;
      if (v !== v) g = missLeft;
      else if (mask === undefined) g = v <= thr ? 1 : 0;
      else g = mask[v < nLevels ? v : nLevels];
      goLeft[r] = g;
      nLeft += g;
    }
    for (let list = 0; list <= numericCount; list++) {
      const off = list * m;
      let p = off + start;
      let q = 0;
      for (let t = start; t < end; t++) {
        const r = lists[off + t];
        if (goLeft[r] === 1) lists[p++] = r;
        else scratch[q++] = r;
      }
      // A plain loop: a `subarray` view per list and node costs more than the copy itself.
      for (let k = 0; k < q; k++) lists[p + k] = scratch[k];
    }
    return start + nLeft;
  };

  // Depth-first growth with an explicit stack of (node, start, end, depth).
  const stack: number[] = [0, 0, m, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    // Node statistics from the base list.
    total.fill(0);
    let W = 0;
    let N = 0;
    let S = 0;
    let Q = 0;
    const baseOff = base * m;
    for (let t = start; t < end; t++) {
      const r = lists[baseOff + t];
      W += w[r];
      N += counts[r];
      if (regression) {
        S += w[r] * y[r];
        Q += w[r] * y[r] * y[r];
      } else total[y[r]] += w[r];
    }
    nodeWeight[node] = W;
    samples[node] = N;
    let majority = 0;
    let impurity: number;
    /** Gains (and a regression node's impurity) at most this are round-off. */
    let tolerance = EPSILON * W;
    if (regression) {
      const mean = W > 0 ? S / W : 0;
      // Back to the units of the targets (× 1 for ordinary targets: bit-identical).
      value[node] = (mean + data.offset) * data.scale;
      impurity = W > 0 ? Q - (S * S) / W : 0;
      // Round-off. The sums are about 0, the centre of the drawn targets (`withTargets`): the one-pass impurity
      // Q − S²/W and the split scores lose about machine precision relative to Q, and the purity
      // and minimum-gain tests (EPSILON · Q) guard against that. When the node's spread is tiny
      // next to Q (its targets lie far from that mean, e.g. beside a cluster of crashed runs at
      // 1e6), those tests would take genuine structure for round-off: the node's sums are then
      // taken about its own mean instead, which makes Q its own sum of squared errors and the
      // tests relative to it, with a floor at the rounding of the targets themselves (EPSILON² ·
      // their sum of squares about 0: targets whose distances from the centre of the drawn targets
      // agree to about 12 digits are equal). Elsewhere the
      // sums stay about 0, where EPSILON · Q is below a hundredth of the node's impurity (only a
      // split gaining less can be taken for round-off): re-centring every node would only move
      // the rounding, and with it which of two equally good splits wins (the same partition
      // through another feature), changing fitted trees for nothing.
      shift = 0;
      tolerance = EPSILON * Q;
      if (W > 0 && impurity <= RECENTRE * Q) {
        const floor = EPSILON * EPSILON * Q;
        shift = mean;
        S = 0;
        Q = 0;
        for (let t = start; t < end; t++) {
          const r = lists[baseOff + t];
          const d = y[r] - shift;
          S += w[r] * d;
          Q += w[r] * d * d;
        }
        impurity = Q - (S * S) / W;
        tolerance = Math.max(EPSILON * Q, floor);
      }
      total[0] = W;
      total[1] = S;
      const centre = W > 0 ? S / W : 0;
      variance[node] = W > 0 ? Math.max(0, Q / W - centre * centre) * data.scale * data.scale : 0;
      if (impurity <= tolerance) impurity = 0;
    } else {
      let maxWeight = -1;
      for (let k = 0; k < K; k++) {
        value[node * K + k] = W > 0 ? total[k] / W : 1 / K;
        if (total[k] > maxWeight) {
          maxWeight = total[k];
          majority = k;
        }
      }
      impurity = maxWeight >= W * (1 - EPSILON) ? 0 : 1;
    }
    nodeImpurity[node] = impurity === 0
      ? 0
      : weightedImpurity(params.criterion, classes, total, W, Q);
    if (depth >= params.maxDepth || N < minSplit || impurity === 0 || W <= 0) continue;

    best.score = -Infinity;
    best.feature = -1;
    best.mask = undefined;
    const parentScore = score(total, 0, W);
    let visited = 0;
    for (let t = 0; t < cols; t++) {
      if (visited >= maxFeatures && best.feature >= 0) break;
      const pick = t + rng.integer(cols - t);
      const f = featureOrder[pick];
      featureOrder[pick] = featureOrder[t];
      featureOrder[t] = f;
      visited++;
      if (levels[f] > 0) scanCategorical(f, start, end, majority);
      else if (randomSplits) scanNumericRandom(f, start, end, W, N);
      else if (regression && params.criterion === "squared_error") {
        scanNumericRegression(f, start, end, W, N);
      } else scanNumeric(f, start, end, W, N);
    }
    if (best.feature < 0) continue;
    // By default a split must lower the impurity (beyond round-off); with `splitZeroGain` any
    // legal split of an impure node is made (scikit-learn's `min_impurity_decrease=0`, pyrfr).
    if (!zeroGainSplits && !(best.score - parentScore > tolerance)) continue;
    if (
      uniformSplits && best.mask === undefined && best.threshold !== Infinity &&
      !Number.isNaN(best.below)
    ) {
      // pyrfr: a threshold drawn uniformly in [below, above), one draw per split made.
      const thr = best.below + rng.uniform() * (best.above - best.below);
      best.threshold = thr < best.above ? thr : best.below;
    }

    const mid = partition(start, end);
    const l = nodeCount++;
    const r = nodeCount++;
    feature[node] = best.feature;
    threshold[node] = best.threshold;
    missingLeft[node] = best.missingLeft ? 1 : 0;
    levelsLeft[node] = best.mask;
    left[node] = l;
    right[node] = r;
    stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
  }

  const masks: (Uint8Array | undefined)[] = new Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) masks[node] = levelsLeft[node];
  return new DecisionTree({
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    missingLeft: missingLeft.slice(0, nodeCount),
    levelsLeft: masks,
    value: value.slice(0, nodeCount * (regression ? 1 : classes)),
    variance: variance.slice(0, nodeCount),
    weight: nodeWeight.slice(0, nodeCount),
    samples: samples.slice(0, nodeCount),
    impurity: nodeImpurity.slice(0, nodeCount),
    classes,
    cols,
    scale: data.scale,
  });
}
