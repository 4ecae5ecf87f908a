/**
 * Random forests (Breiman 2001): {@linkcode RandomForestRegressor} and
 * {@linkcode RandomForestClassifier}, bagged CART trees ({@linkcode growTree}) with a random
 * subset of features searched at each split. Plain TypeScript on typed arrays; seeded: the same
 * `seed` gives the same forest.
 *
 * Breiman, L. (2001). Random forests. *Machine Learning* 45(1), 5–32.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { parseOrThrow } from "../validate.ts";
import type { Criterion } from "./criterion.ts";
import { featureLevels, type FeatureMatrix, type FeatureSpec, toRowMajor } from "./features.ts";
import { type DecisionTree, growTree, prepareTreeData, type TreeData } from "./tree.ts";

/** How many features a split searches: `"sqrt"`, `"log2"`, or a ratio in (0, 1] of all features. */
export type MaxFeatures = "sqrt" | "log2" | number;

/** Options shared by both learners. */
export interface RandomForestOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /**
   * Features searched per split: `"sqrt"` (⌊√d⌋), `"log2"` (⌊log₂ d⌋) or a ratio r in (0, 1]
   * (⌊r·d⌋), at least 1 (default 1 for regression, `"sqrt"` for classification, as scikit-learn).
   */
  maxFeatures?: MaxFeatures;
  /** A node with fewer drawn rows is not split (default 2). */
  minSamplesSplit?: number;
  /** Each leaf keeps at least this many drawn rows (default 1). */
  minSamplesLeaf?: number;
  /** Depth limit (the root has depth 0); `null` for none (default). */
  maxDepth?: number | null;
  /** Fit each tree on a bootstrap sample of the rows (default true); false: all rows. */
  bootstrap?: boolean;
  /**
   * Split an impure node on its best split even when that split does not lower the impurity
   * (default false). By default a node is split only where its best split (among the features
   * searched) lowers the impurity, so a target defined by an interaction alone (XOR, parity),
   * where every single split gains nothing, is found only when the rows drawn for a tree (its
   * bootstrap sample) happen to make some split gain (feature subsets alone cannot: where every
   * split gains nothing, so does every subset's best), and one tree on all rows and features
   * (`nEstimators: 1, bootstrap: false, maxFeatures: 1`) stays a single leaf on XOR. The
   * committed meta-dataset's `rf` and `tree` models were grown this way (see
   * `lib/forest/tree.ts`). True is scikit-learn's default (`min_impurity_decrease=0`), CART's and
   * pyrfr's rule: nodes then stop splitting only when pure, at `maxDepth`, or below
   * `minSamplesSplit` / `minSamplesLeaf` rows, and that tree fits XOR exactly, as
   * scikit-learn's `DecisionTreeClassifier()` does.
   */
  splitZeroGain?: boolean;
  /** Seed of the bootstraps and the feature subsets (default 0). */
  seed?: number;
  /** Type of each feature (default all numeric); categorical features are split natively. */
  features?: readonly FeatureSpec[];
}

/** Options of {@linkcode RandomForestClassifier}. */
export interface RandomForestClassifierOptions extends RandomForestOptions {
  /** Split criterion (default `"gini"`). */
  criterion?: "gini" | "entropy";
  /**
   * Number of classes (default: the largest label + 1, which may be at most the number of rows,
   * or 2 when there are fewer: labels are class indices 0 … classes−1, so labels such as years
   * or codes must first be mapped to indices, or `classes` given).
   */
  classes?: number;
}

/** Options of a call to `fit`. */
export interface FitOptions {
  /** A non-negative weight per row (default all 1), scaling the split statistics and leaf values. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Defaults of the forest learners.
 *
 * @example
 * ```ts
 * import { RANDOM_FOREST_DEFAULTS } from "./forest.ts";
 * RANDOM_FOREST_DEFAULTS.nEstimators; // 100
 * ```
 */
export const RANDOM_FOREST_DEFAULTS: {
  readonly nEstimators: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly maxDepth: number | null;
  readonly bootstrap: boolean;
  readonly splitZeroGain: boolean;
  readonly seed: number;
} = Object.freeze({
  nEstimators: 100,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxDepth: null,
  bootstrap: true,
  splitZeroGain: false,
  seed: 0,
});

const positiveInt = z.number().int("must be a positive integer").positive(
  "must be a positive integer",
);
const featureSchema = z.union([
  z.strictObject({ type: z.literal("numeric") }),
  z.strictObject({ type: z.literal("categorical"), levels: positiveInt }),
], { error: 'must be { type: "numeric" } or { type: "categorical", levels }' });
const maxFeaturesSchema = z.union([
  z.enum(["sqrt", "log2"]),
  z.number().gt(0, "must be a ratio in (0, 1]").max(1, "must be a ratio in (0, 1]"),
], { error: 'must be "sqrt", "log2" or a ratio in (0, 1]' });
const commonShape = {
  nEstimators: positiveInt.optional(),
  maxFeatures: maxFeaturesSchema.optional(),
  minSamplesSplit: z.number().int("must be an integer ≥ 2").min(2, "must be an integer ≥ 2")
    .optional(),
  minSamplesLeaf: positiveInt.optional(),
  maxDepth: positiveInt.nullable().optional(),
  bootstrap: z.boolean().optional(),
  splitZeroGain: z.boolean().optional(),
  seed: z.number().int("must be an integer").optional(),
  features: z.array(featureSchema).optional(),
};
const regressorSchema = z.strictObject(commonShape);
const classifierSchema = z.strictObject({
  ...commonShape,
  criterion: z.enum(["gini", "entropy"]).optional(),
  classes: z.number().int("must be an integer ≥ 2").min(2, "must be an integer ≥ 2").optional(),
});

/**
 * The number of features a split searches, at least 1.
 *
 * @example
 * ```ts
 * import { resolveMaxFeatures } from "./forest.ts";
 * resolveMaxFeatures("sqrt", 10); // 3
 * resolveMaxFeatures(5 / 6, 10); // 8
 * ```
 */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, cols: number): number {
  const k = maxFeatures === "sqrt"
    ? Math.sqrt(cols)
    : maxFeatures === "log2"
    ? Math.log2(cols)
    : maxFeatures * cols;
  return Math.min(cols, Math.max(1, Math.floor(k + 1e-9)));
}

/** Everything a forest needs to grow its trees. */
export interface ForestSettings {
  /** Number of trees. */
  nEstimators: number;
  /** Features per split (a count, 1 … cols). */
  maxFeatures: number;
  /** Minimum drawn rows to split a node. */
  minSamplesSplit: number;
  /** Minimum drawn rows per leaf. */
  minSamplesLeaf: number;
  /** Depth limit (`Infinity`: none). */
  maxDepth: number;
  /** Bootstrap each tree's rows. */
  bootstrap: boolean;
  /** Split criterion. */
  criterion: Criterion;
  /** Where a numeric threshold sits between its two neighbouring values (default midpoint). */
  splitValue?: "midpoint" | "uniform";
  /** How a numeric split is chosen: the best threshold (default) or a random one (extra trees). */
  splitter?: "best" | "random";
  /**
   * How a categorical split is chosen: its best partition (default) or one random partition of
   * the levels present (extra trees; see `TreeParams.categoricalSplit`).
   */
  categoricalSplit?: "best" | "random";
  /**
   * Split impure nodes even at zero impurity decrease (default false: a split must lower the
   * impurity; see {@linkcode RandomForestOptions.splitZeroGain}).
   */
  splitZeroGain?: boolean;
}

/**
 * Grows `settings.nEstimators` trees on prepared data: tree t draws its bootstrap sample (when
 * `bootstrap`) and its feature subsets from its own stream `rng.spawn()`. With `sampleWeight`, a
 * bootstrap sample whose rows all have weight 0 is drawn again.
 *
 * @throws {RangeError} when `sampleWeight` has not one weight per row, or no positive weight.
 * @example
 * ```ts
 * import { growForest } from "./forest.ts";
 * import { prepareTreeData } from "./tree.ts";
 * import { Rng } from "../random/rng.ts";
 * const data = prepareTreeData(Float64Array.of(0, 1, 2, 3), 4, 1, Float64Array.of(0, 0, 1, 1), {});
 * const trees = growForest(data, {
 *   nEstimators: 3, maxFeatures: 1, minSamplesSplit: 2, minSamplesLeaf: 1, maxDepth: Infinity,
 *   bootstrap: true, criterion: "squared_error",
 * }, undefined, new Rng(0));
 * trees.length; // 3
 * ```
 */
export function growForest(
  data: TreeData,
  settings: ForestSettings,
  sampleWeight: Float64Array | undefined,
  rng: Rng,
): DecisionTree[] {
  if (sampleWeight !== undefined) {
    if (sampleWeight.length !== data.rows) {
      throw new RangeError(
        `growForest: sampleWeight: expected ${data.rows} weights, got ${sampleWeight.length}`,
      );
    }
    if (!sampleWeight.some((w) => w > 0)) {
      throw new RangeError("growForest: sampleWeight: must have a positive weight");
    }
  }
  const trees: DecisionTree[] = [];
  const counts = new Int32Array(data.rows);
  for (let t = 0; t < settings.nEstimators; t++) {
    const treeRng = rng.spawn();
    if (settings.bootstrap) {
      // A bag whose rows all have weight 0 would fit the targets of weightless rows: drawn again
      // (some weight is positive, so a bag holds one of them soon enough).
      do {
        counts.fill(0);
        for (let i = 0; i < data.rows; i++) counts[treeRng.integer(data.rows)]++;
      } while (sampleWeight !== undefined && !bagWeighs(counts, sampleWeight));
    } else counts.fill(1);
    trees.push(growTree(data, counts, sampleWeight, settings, treeRng));
  }
  return trees;
}

/** Whether some row drawn into a bag has a positive weight. */
function bagWeighs(counts: Int32Array, weights: Float64Array): boolean {
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0 && weights[i] > 0) return true;
  return false;
}

function checkWeights(weights: ArrayLike<number> | undefined, rows: number, label: string) {
  if (weights === undefined) return undefined;
  if (weights.length !== rows) {
    throw new RangeError(`${label}: expected ${rows} weights, got ${weights.length}`);
  }
  const out = new Float64Array(rows);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = weights[i];
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`${label}[${i}]: must be a finite number ≥ 0, got ${v}`);
    }
    out[i] = v;
    sum += v;
  }
  if (!(sum > 0)) throw new RangeError(`${label}: must not all be 0`);
  return out;
}

function meanImportances(trees: readonly DecisionTree[], cols: number, label: string) {
  if (trees.length === 0) throw new Error(`${label}: call fit first`);
  const out = new Float64Array(cols);
  let splitting = 0;
  for (const tree of trees) {
    const decrease = tree.impurityDecrease();
    let sum = 0;
    for (const v of decrease) sum += v;
    if (!(sum > 0)) continue;
    splitting++;
    for (let j = 0; j < cols; j++) out[j] += decrease[j] / sum;
  }
  // The mean over the trees that split (scikit-learn leaves single-leaf trees out).
  if (splitting > 0) { for (let j = 0; j < cols; j++) out[j] /= splitting; }
  return out;
}

function forestSettings(
  o: RandomForestOptions,
  cols: number,
  defaultMaxFeatures: MaxFeatures,
  criterion: Criterion,
): ForestSettings {
  return {
    nEstimators: o.nEstimators ?? RANDOM_FOREST_DEFAULTS.nEstimators,
    maxFeatures: resolveMaxFeatures(o.maxFeatures ?? defaultMaxFeatures, cols),
    minSamplesSplit: o.minSamplesSplit ?? RANDOM_FOREST_DEFAULTS.minSamplesSplit,
    minSamplesLeaf: o.minSamplesLeaf ?? RANDOM_FOREST_DEFAULTS.minSamplesLeaf,
    maxDepth: o.maxDepth ?? Infinity,
    bootstrap: o.bootstrap ?? RANDOM_FOREST_DEFAULTS.bootstrap,
    criterion,
    splitZeroGain: o.splitZeroGain ?? RANDOM_FOREST_DEFAULTS.splitZeroGain,
  };
}

function predictionInput(
  x: FeatureMatrix,
  trees: readonly DecisionTree[],
  cols: number,
  features: readonly FeatureSpec[] | undefined,
  label: string,
) {
  if (trees.length === 0) throw new Error(`${label}: call fit first`);
  return toRowMajor(x, cols, features, `${label}: x`);
}

/**
 * A random-forest regressor: the mean of bagged regression trees grown by variance reduction.
 *
 * @example
 * ```ts
 * import { RandomForestRegressor } from "./forest.ts";
 * const x = Array.from({ length: 40 }, (_, i) => [i / 40]);
 * const y = x.map(([v]) => (v < 0.5 ? 0 : 1));
 * const forest = new RandomForestRegressor({ nEstimators: 20, seed: 1 }).fit(x, y);
 * forest.predict([[0.1], [0.9]]); // ≈ [0, 1]
 * ```
 */
export class RandomForestRegressor {
  /** The fitted trees (empty before `fit`). */
  trees: readonly DecisionTree[] = [];
  /** Number of features seen by `fit` (0 before). */
  cols = 0;
  /** The checked options. */
  readonly options: RandomForestOptions;
  /**
   * Checks the options.
   *
   * @throws {TypeError} naming the field of a bad option (`RandomForestRegressor: options.nEstimators: …`).
   */
  constructor(options: RandomForestOptions = {}) {
    this.options = parseOrThrow(regressorSchema, options, "RandomForestRegressor: options");
  }

  /** Fits the forest to rows `x` and targets `y`; returns `this`. */
  fit(x: FeatureMatrix, y: ArrayLike<number>, fitOptions: FitOptions = {}): this {
    const label = "RandomForestRegressor.fit";
    const m = toRowMajor(x, undefined, this.options.features, `${label}: x`);
    const target = new Float64Array(m.rows);
    if (y?.length !== m.rows) {
      throw new RangeError(`${label}: y: expected ${m.rows} values, got ${y?.length}`);
    }
    for (let i = 0; i < m.rows; i++) {
      if (!Number.isFinite(y[i])) {
        throw new RangeError(`${label}: y[${i}]: must be finite, got ${y[i]}`);
      }
      target[i] = y[i];
    }
    const weights = checkWeights(fitOptions.sampleWeight, m.rows, `${label}: sampleWeight`);
    const data = prepareTreeData(m.data, m.rows, m.cols, target, {
      levels: featureLevels(this.options.features, m.cols),
    });
    const rng = new Rng(this.options.seed ?? RANDOM_FOREST_DEFAULTS.seed);
    this.trees = growForest(
      data,
      forestSettings(this.options, m.cols, 1, "squared_error"),
      weights,
      rng,
    );
    this.cols = m.cols;
    return this;
  }

  /**
   * Impurity-based feature importances (mean decrease in impurity, Breiman 2001): each tree's
   * impurity decreases per feature, normalised to sum 1 per tree, averaged over the trees that
   * split, as scikit-learn's `feature_importances_`; all 0 when no tree splits.
   */
  featureImportances(): Float64Array {
    return meanImportances(this.trees, this.cols, "RandomForestRegressor.featureImportances");
  }

  /** The mean prediction of the trees at each row. */
  predict(x: FeatureMatrix): Float64Array {
    const m = predictionInput(
      x,
      this.trees,
      this.cols,
      this.options.features,
      "RandomForestRegressor.predict",
    );
    const out = new Float64Array(m.rows);
    // Sum in the trees' scaled units (exact; × 1 for ordinary targets) so huge ones cannot overflow.
    const scale = this.trees[0].scale;
    const inverse = 1 / scale;
    for (const tree of this.trees) {
      for (let i = 0; i < m.rows; i++) {
        out[i] += tree.value[tree.leaf(m.data, i * m.cols)] * inverse;
      }
    }
    for (let i = 0; i < m.rows; i++) out[i] = (out[i] / this.trees.length) * scale;
    return out;
  }
}

/**
 * A random-forest classifier: the mean of the class probabilities of bagged classification trees
 * (Gini or entropy splits); labels are class indices 0 … classes−1.
 *
 * @example
 * ```ts
 * import { RandomForestClassifier } from "./forest.ts";
 * const x = Array.from({ length: 40 }, (_, i) => [i / 40, (i * 7) % 5]);
 * const y = x.map(([v]) => (v < 0.5 ? 0 : 1));
 * const forest = new RandomForestClassifier({ nEstimators: 20, seed: 1 }).fit(x, y);
 * forest.predict([[0.1, 0], [0.9, 3]]); // Int32Array [0, 1]
 * forest.predictProba([[0.1, 0]]); // Float64Array [p(0), p(1)], p(0) ≈ 1
 * ```
 */
export class RandomForestClassifier {
  /** The fitted trees (empty before `fit`). */
  trees: readonly DecisionTree[] = [];
  /** Number of features seen by `fit` (0 before). */
  cols = 0;
  /** The checked options. */
  readonly options: RandomForestClassifierOptions;
  /** Number of classes (0 before `fit`). */
  classes = 0;

  /**
   * Checks the options.
   *
   * @throws {TypeError} naming the field of a bad option (`RandomForestClassifier: options.maxFeatures: …`).
   */
  constructor(options: RandomForestClassifierOptions = {}) {
    this.options = parseOrThrow(classifierSchema, options, "RandomForestClassifier: options");
  }

  /**
   * Fits the forest to rows `x` and integer labels `y` in [0, classes); returns `this`.
   *
   * @throws {RangeError} naming `y` for a label that is not a class index, and, without
   * `options.classes`, when the largest label + 1 exceeds both the number of rows and 2: it would
   * make more classes than rows, most of them empty (raw labels such as years or codes must be
   * mapped to indices 0 … k−1 first, or `classes` passed).
   */
  fit(x: FeatureMatrix, y: ArrayLike<number>, fitOptions: FitOptions = {}): this {
    const label = "RandomForestClassifier.fit";
    const options = this.options;
    const m = toRowMajor(x, undefined, options.features, `${label}: x`);
    if (y?.length !== m.rows) {
      throw new RangeError(`${label}: y: expected ${m.rows} labels, got ${y?.length}`);
    }
    let maxLabel = 0;
    const target = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      const v = y[i];
      if (
        !Number.isInteger(v) || v < 0 || (options.classes !== undefined && v >= options.classes)
      ) {
        throw new RangeError(
          `${label}: y[${i}]: must be a class index in [0, ${
            options.classes ?? "classes"
          }), got ${v}`,
        );
      }
      target[i] = v;
      if (v > maxLabel) maxLabel = v;
    }
    // Labels are indices: without `classes`, a largest label beyond the rows (years, codes) would
    // make that many mostly empty classes (and arrays of that width in every node).
    if (options.classes === undefined && maxLabel + 1 > Math.max(2, m.rows)) {
      const inferred = maxLabel + 1;
      throw new RangeError(
        `${label}: y: the largest label ${maxLabel} would make ${inferred} classes for ` +
          `${m.rows} rows; labels are class indices 0 … classes−1: map the labels to indices ` +
          `(e.g. their rank among the distinct labels) or pass options.classes`,
      );
    }
    const classes = options.classes ?? Math.max(2, maxLabel + 1);
    const weights = checkWeights(fitOptions.sampleWeight, m.rows, `${label}: sampleWeight`);
    const data = prepareTreeData(m.data, m.rows, m.cols, target, {
      levels: featureLevels(options.features, m.cols),
      classes,
    });
    const rng = new Rng(options.seed ?? RANDOM_FOREST_DEFAULTS.seed);
    this.trees = growForest(
      data,
      forestSettings(options, m.cols, "sqrt", options.criterion ?? "gini"),
      weights,
      rng,
    );
    this.cols = m.cols;
    this.classes = classes;
    return this;
  }

  /** Class probabilities, row-major: `classes` values per row (the mean over trees of leaf shares). */
  predictProba(x: FeatureMatrix): Float64Array {
    const m = predictionInput(
      x,
      this.trees,
      this.cols,
      this.options.features,
      "RandomForestClassifier.predictProba",
    );
    const C = this.classes;
    const out = new Float64Array(m.rows * C);
    for (const tree of this.trees) {
      for (let i = 0; i < m.rows; i++) {
        const node = tree.leaf(m.data, i * m.cols);
        for (let k = 0; k < C; k++) out[i * C + k] += tree.value[node * C + k];
      }
    }
    for (let i = 0; i < out.length; i++) out[i] /= this.trees.length;
    return out;
  }

  /**
   * Impurity-based feature importances (mean decrease in impurity, Breiman 2001): each tree's
   * impurity decreases per feature, normalised to sum 1 per tree, averaged over the trees that
   * split, as scikit-learn's `feature_importances_`; all 0 when no tree splits.
   */
  featureImportances(): Float64Array {
    return meanImportances(this.trees, this.cols, "RandomForestClassifier.featureImportances");
  }

  /** The most probable class of each row (the lower index on ties). */
  predict(x: FeatureMatrix): Int32Array {
    const proba = this.predictProba(x);
    const C = this.classes;
    const rows = proba.length / C;
    const out = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let k = 1; k < C; k++) if (proba[i * C + k] > proba[i * C + best]) best = k;
      out[i] = best;
    }
    return out;
  }
}
