/**
 * {@linkcode randomForest}: the random-forest surrogate of SMAC (Hutter, Hoos and Leyton-Brown
 * 2011), the second model class of sequential model-based optimisation next to the Gaussian
 * process. Regression trees ({@linkcode growTree} from `lib/forest`) are grown on bootstrap samples
 * of the observations with a random subset of the inputs searched at each split; the forest's
 * prediction at a point is a Gaussian whose mean and variance combine the trees' leaves.
 *
 * Mean and variance (tree b's leaf at x holds drawn values with mean μ_b and variance σ_b²):
 * - `variance: "total"` (default), the law of total variance of the equally weighted mixture of
 *   the leaves (Hutter, Xu, Hoos and Leyton-Brown 2014, *Algorithm runtime prediction: methods and
 *   evaluation*, Sec. 4.3.2):
 *   μ = (1/B) Σ_b μ_b,  σ² = (1/B) Σ_b (σ_b² + μ_b²) − μ²  (= Var_b μ_b + mean_b σ_b²);
 * - `variance: "trees"`, the spread of the tree means alone, the unbiased sample variance
 *   σ² = Σ_b (μ_b − μ)² / (B − 1) (0 for one tree). SMAC3's hyperparameter-optimisation facade
 *   also takes the spread across its trees (no within-leaf term), but not this one: its forest
 *   runs with `log_y=True`, where a tree's value at x is log(mean(exp(y))) over its leaf's
 *   (log-scaled) costs instead of their mean μ_b, and the variance across trees is `np.var`, the
 *   divisor B (ddof 0) instead of B − 1 (ours is 10/9 of it for 10 trees).
 * Both sum the spread Σ_b (μ_b − μ)² about μ (two passes), so that a common offset of the targets
 * (costs near 1e8, say) leaves the variance as it is.
 *
 * Defaults follow SMAC3's `RandomForest`: 10 trees, a ratio of 5/6 of the inputs per split,
 * at least 3 drawn observations to split a node and 3 per leaf, depth up to 2^20, bootstrapping.
 * A numeric split's threshold is drawn uniformly between the two neighbouring observed values it
 * separates, as pyrfr (SMAC's forest) draws it, rather than put halfway (CART): the trees put
 * their boundaries at different places, so the forest's mean moves in many small steps between
 * two observations instead of one step in the middle (`splitValue: "midpoint"` for CART's).
 *
 * Inputs: with `FitHints.space`, the one-hot block of a categorical parameter is one categorical
 * input split natively (a subset of its choices against the rest: the best one, or a random one
 * with `categoricalSplit: "random"`), integer parameters are ordinal inputs, and the columns of
 * inactive parameters (`space.activeColumns(u)`, on conditional spaces) are missing values, which
 * the trees send together to the side that fits best (see `lib/forest/tree.ts`). `inactive:
 * "impute"` does what SMAC3 does instead (`AbstractRandomForest._impute_inactive`): an inactive
 * numeric input is −1, below the unit interval of the active values, so that every split sends it
 * left, and a conditional categorical gets one more level for "inactive". On the conditional switch
 * problem of the `rf` suite the missing values did clearly better, on its tfjs task the imputation
 * slightly (results/rf/README.md), hence the default. Without a space every column is a numeric
 * input.
 *
 * Targets of any finite magnitude: beyond 1e±100 the trees are grown on the targets divided by a
 * power of two (`targetScale` in `lib/forest/tree.ts`; exact, so the mean at `y · 2^k` is exactly
 * `2^k` times the mean at `y`) and the moments are summed in those units. A variance beyond the
 * float64 range (targets spread over more than about 1e154) is `Infinity`, never NaN.
 *
 * The model is piecewise constant: {@linkcode Surrogate.predictWithGradient} returns zero
 * gradients (gradient-based acquisition optimisers then stop at their starting points; a
 * sampling or local-search optimiser suits the forest better). `sampleJoint` draws independent
 * normals from the marginals: a forest has no posterior covariance between points.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { FeatureSpec } from "../forest/features.ts";
import { growForest, resolveMaxFeatures } from "../forest/forest.ts";
import { type DecisionTree, prepareTreeData } from "../forest/tree.ts";
import type { Rng } from "../random/rng.ts";
import { oneHotArgmax } from "../space/codec.ts";
import type { Space } from "../space/space.ts";
import {
  checkPoint,
  checkPoints,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
} from "../validate.ts";
import type {
  FitHints,
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "./surrogate.ts";

/** Options of {@linkcode randomForest} (defaults in {@linkcode RANDOM_FOREST_SURROGATE_DEFAULTS}). */
export interface RandomForestSurrogateOptions {
  /** Number of trees. */
  nTrees?: number;
  /** Ratio of the inputs searched per split, in (0, 1] (at least one input). */
  ratioFeatures?: number;
  /** A node with fewer drawn observations is a leaf (≥ 2). */
  minSamplesSplit?: number;
  /** Each leaf keeps at least this many drawn observations. */
  minSamplesLeaf?: number;
  /** Depth limit of each tree. */
  maxDepth?: number;
  /** Grow each tree on a bootstrap sample (false: on all observations). */
  bootstrap?: boolean;
  /**
   * Fit the trees to `log((y − min y)/range + 1e-3)` (heavy-tailed objectives such as runtimes,
   * as SMAC's log-scaled run history) and map each prediction back to the original units with
   * the log-normal moments: with the forest's mean m and variance v in log units, the mean is
   * `min y + range·(e^{m+v/2} − 1e-3)`. The variance counts the spread of the log values within
   * the leaves (`variance: "total"`), which is large where a leaf mixes values near the minimum
   * (their logarithms reach log 1e-3 ≈ −6.9) with larger ones, so such a leaf's mean lies above
   * its values and can lie above every observation: of the values 1, 2, …, 6, a leaf holding 1,
   * 2 and 3 predicts 8.8 (with `variance: "trees"` only the spread of the trees' means enters).
   * SMAC3's `RandomForest(log_y=True)` is another model: a leaf's value is the log of the mean of
   * the exponentials of its log-scaled costs (`EPMRandomForest.fit`,
   * `smac/model/random_forest/random_forest.py`) and the predictions stay in log units for
   * `EI(log=True)`. The `smac()` preset also models log-scaled costs in log units
   * (`outcomeTransform: "log-scaled"` with `"lognormal-ei"`; its leaf value is their mean), not
   * through this option.
   */
  logY?: boolean;
  /**
   * `"total"`: law of total variance over the leaves; `"trees"`: spread of the tree means (sample
   * variance, divisor B − 1; SMAC3's differs, see the module documentation).
   */
  variance?: "total" | "trees";
  /**
   * Where a numeric split's threshold sits between the two neighbouring observed values:
   * `"uniform"` drawn uniformly in the gap (pyrfr, SMAC's forest), `"midpoint"` halfway (CART).
   */
  splitValue?: "midpoint" | "uniform";
  /**
   * How a numeric split is chosen: `"best"` the threshold that fits best (CART, pyrfr; pyrfr also
   * splits where no split gains, see `splitZeroGain`);
   * `"random"` one threshold per searched input drawn uniformly between the node's smallest and
   * largest value (extremely randomised trees, Geurts et al. 2006; scikit-learn's
   * `splitter="random"`, which SMAC3 ≥ 2.4's forest uses), the best input then chosen among them.
   */
  splitter?: "best" | "random";
  /**
   * How a categorical input's split is chosen: `"best"` (default) the partition of its levels
   * that fits best; `"random"` one random partition of the levels present at the node (a
   * non-empty proper subset goes left; extremely randomised trees, Geurts et al. 2006, treat
   * categorical attributes so). With `splitter: "random"` and `"best"` here, a categorical input
   * competes with its best partition against one random threshold per numeric input, so that
   * categoricals, irrelevant ones too, win splits more often than they should.
   */
  categoricalSplit?: "best" | "random";
  /**
   * How the trees see an inactive parameter (conditional spaces): `"missing"` a missing value
   * that each split sends to the side that fits best; `"impute"` a value outside the range, as
   * SMAC3 (`AbstractRandomForest._impute_inactive`): −1 for a numeric column (active values lie
   * in [0, 1]) and one more level for a categorical.
   */
  inactive?: "missing" | "impute";
  /**
   * Split a node even where its best split does not lower the impurity (pyrfr, SMAC's forest, and
   * scikit-learn's trees do; see the forest learners' `splitZeroGain`). Off by default, so that a
   * node is split only where a split lowers the impurity: the `smac()` preset and the committed
   * `rf` results use this rule.
   */
  splitZeroGain?: boolean;
}

/**
 * Defaults of {@linkcode randomForest}, those of SMAC3's `RandomForest` class as pyrfr grew it
 * (SMAC3 up to 2.3: the best split of each input, `splitter: "best"`; `variance` aside: SMAC3
 * uses a spread across the trees, close to `"trees"`, see the module documentation). SMAC3 ≥ 2.4
 * grows extremely randomised trees (`splitter: "random"`), as the `smac()` preset does.
 *
 * @example
 * ```ts
 * import { RANDOM_FOREST_SURROGATE_DEFAULTS } from "./random_forest.ts";
 * RANDOM_FOREST_SURROGATE_DEFAULTS.nTrees; // 10
 * ```
 */
export const RANDOM_FOREST_SURROGATE_DEFAULTS: Readonly<Required<RandomForestSurrogateOptions>> =
  Object.freeze({
    nTrees: 10,
    ratioFeatures: 5 / 6,
    minSamplesSplit: 3,
    minSamplesLeaf: 3,
    maxDepth: 2 ** 20,
    bootstrap: true,
    logY: false,
    variance: "total",
    splitValue: "uniform",
    splitter: "best",
    categoricalSplit: "best",
    inactive: "missing",
    splitZeroGain: false,
  });

/** @internal The options of {@linkcode randomForest} (also checked by `smac`); not re-exported. */
export const randomForestOptionsSchema = z.strictObject({
  nTrees: positiveIntSchema.optional(),
  ratioFeatures: z.number().gt(0, "must be a ratio in (0, 1]").max(1, "must be a ratio in (0, 1]")
    .optional(),
  minSamplesSplit: z.number().int("must be an integer ≥ 2").min(2, "must be an integer ≥ 2")
    .optional(),
  minSamplesLeaf: positiveIntSchema.optional(),
  maxDepth: positiveIntSchema.optional(),
  bootstrap: z.boolean().optional(),
  logY: z.boolean().optional(),
  variance: z.enum(["total", "trees"]).optional(),
  splitValue: z.enum(["midpoint", "uniform"]).optional(),
  splitter: z.enum(["best", "random"]).optional(),
  categoricalSplit: z.enum(["best", "random"]).optional(),
  inactive: z.enum(["missing", "impute"]).optional(),
  splitZeroGain: z.boolean().optional(),
});

/** A fitted random-forest surrogate. */
export interface RandomForestSurrogate extends Surrogate {
  /** The regression trees. */
  readonly trees: readonly DecisionTree[];
  /** The type of each tree input (one per numeric column or categorical block). */
  readonly features: readonly FeatureSpec[];
  /** Each tree's prediction (its leaf mean, in the fitted units) at each point: `[tree][point]`. */
  treePredictions(points: readonly Float64Array[]): Float64Array[];
}

/** The factory {@linkcode randomForest} returns: its `fit` gives a {@linkcode RandomForestSurrogate}. */
export interface RandomForestFactory extends SurrogateFactory {
  /** Fits the forest to points of the unit cube and their finite objective values. */
  fit(
    points: readonly Float64Array[],
    values: Float64Array,
    rng: Rng,
    hints?: FitHints,
  ): RandomForestSurrogate;
}

/** How encoded points map to tree inputs. */
interface Layout {
  features: FeatureSpec[];
  /** Encoded columns of each input (one column, or a categorical's one-hot block). */
  columns: number[][];
  /** The space, when its columns may be inactive. */
  conditional: { activeColumns(u: ArrayLike<number>): Uint8Array } | undefined;
  /** The tree input of each feature where its parameter is inactive (NaN: missing). */
  inactiveValue: number[];
}

/** SMAC3's imputed value of an inactive numeric input (`_impute_inactive`), below [0, 1]. */
const IMPUTED_NUMERIC = -1;

function layoutOf(
  dim: number,
  space: Space | undefined,
  label: string,
  inactive: "missing" | "impute",
): Layout {
  if (space === undefined) {
    return {
      features: Array.from({ length: dim }, () => ({ type: "numeric" as const })),
      columns: Array.from({ length: dim }, (_, j) => [j]),
      conditional: undefined,
      inactiveValue: Array.from({ length: dim }, () => NaN),
    };
  }
  if (space.dim !== dim) {
    throw new RangeError(`${label}: hints.space has ${space.dim} columns, the points ${dim}`);
  }
  const features: FeatureSpec[] = [];
  const columns: number[][] = [];
  const inactiveValue: number[] = [];
  for (const param of space.params) {
    if (param.columns.length === 0) continue;
    // SMAC3 imputes only parameters that can be inactive (those with a parent).
    const impute = inactive === "impute" && param.conditional === true;
    if (param.type === "categorical") {
      const levels = param.columns.length;
      features.push({ type: "categorical", levels: impute ? levels + 1 : levels });
      columns.push([...param.columns]);
      inactiveValue.push(impute ? levels : NaN);
    } else {
      for (const column of param.columns) {
        features.push({ type: "numeric" });
        columns.push([column]);
        inactiveValue.push(impute ? IMPUTED_NUMERIC : NaN);
      }
    }
  }
  const duck = space as unknown as {
    conditional?: boolean;
    activeColumns?: (u: ArrayLike<number>, out?: Uint8Array) => Uint8Array;
  };
  // One mask for every row: `encodeRow` reads it before the next row is encoded.
  const mask = new Uint8Array(dim);
  const conditional = duck.conditional === true && typeof duck.activeColumns === "function"
    ? { activeColumns: (u: ArrayLike<number>) => duck.activeColumns!.call(space, u, mask) }
    : undefined;
  return { features, columns, conditional, inactiveValue };
}

/** Writes the tree inputs of encoded point `u` at `out[offset ..]`. */
function encodeRow(layout: Layout, u: Float64Array, out: Float64Array, offset: number): void {
  const active = layout.conditional?.activeColumns(u);
  const { features, columns } = layout;
  for (let f = 0; f < features.length; f++) {
    const cols = columns[f];
    if (active !== undefined && active[cols[0]] === 0) {
      out[offset + f] = layout.inactiveValue[f];
      continue;
    }
    if (features[f].type === "numeric") {
      out[offset + f] = u[cols[0]];
      continue;
    }
    // The chosen level of a one-hot block: its argmax, the first on ties (as the space decodes).
    out[offset + f] = oneHotArgmax(u, cols);
  }
}

/** The log transform of `logY` and its inverse on Gaussian moments. */
interface LogScale {
  min: number;
  scale: number;
}
const LOG_OFFSET = 1e-3;

/**
 * A random-forest {@linkcode SurrogateFactory} in the manner of SMAC (see the module
 * documentation for the mean and variance formulas and the defaults).
 *
 * @throws {TypeError} naming the field of a bad option (`randomForest: options.nTrees: …`);
 * `fit` throws naming bad points or values, or an `rng` that is not an `Rng`; the fitted
 * surrogate's `predict`, `predictMean`, `predictWithGradient` and `treePredictions` reject
 * points of the wrong length or with a non-finite coordinate, as `fit` does.
 * @example
 * ```ts
 * import { randomForest } from "./random_forest.ts";
 * import { Rng } from "../random/rng.ts";
 * const rng = new Rng(0);
 * const points = Array.from({ length: 30 }, () => rng.uniforms(2));
 * const values = Float64Array.from(points, (p) => (p[0] - 0.3) ** 2 + p[1]);
 * const surrogate = randomForest().fit(points, values, new Rng(1));
 * const { mean, variance } = surrogate.predict([Float64Array.of(0.3, 0.1)]);
 * ```
 */
export function randomForest(options: RandomForestSurrogateOptions = {}): RandomForestFactory {
  const parsed = parseOrThrow(randomForestOptionsSchema, options, "randomForest: options");
  const d = RANDOM_FOREST_SURROGATE_DEFAULTS;
  const opts = {
    nTrees: parsed.nTrees ?? d.nTrees,
    ratioFeatures: parsed.ratioFeatures ?? d.ratioFeatures,
    minSamplesSplit: parsed.minSamplesSplit ?? d.minSamplesSplit,
    minSamplesLeaf: parsed.minSamplesLeaf ?? d.minSamplesLeaf,
    maxDepth: parsed.maxDepth ?? d.maxDepth,
    bootstrap: parsed.bootstrap ?? d.bootstrap,
    logY: parsed.logY ?? d.logY,
    variance: parsed.variance ?? d.variance,
    splitValue: parsed.splitValue ?? d.splitValue,
    splitter: parsed.splitter ?? d.splitter,
    categoricalSplit: parsed.categoricalSplit ?? d.categoricalSplit,
    inactive: parsed.inactive ?? d.inactive,
    splitZeroGain: parsed.splitZeroGain ?? d.splitZeroGain,
  };
  return Object.freeze({
    name: "random-forest",
    // Piecewise constant: no useful gradients (bayesOpt's "auto" then uses local search).
    gradients: false,
    // A forest, no joint Gaussian posterior: bayesOpt refuses "lognei" with it at construction.
    gaussianProcess: false,
    fit(
      points: readonly Float64Array[],
      values: Float64Array,
      rng: Rng,
      hints?: FitHints,
    ): RandomForestSurrogate {
      const label = "randomForest.fit";
      parseOrThrow(rngSchema, rng, `${label}: rng`);
      if (!Array.isArray(points) || points.length === 0) {
        throw new RangeError(`${label}: points: must be a non-empty array of Float64Array`);
      }
      const dim = (points[0] as Float64Array)?.length;
      checkPoints(points, dim, `${label}: points`, { finite: true, nonEmpty: true });
      if (!(values instanceof Float64Array) || values.length !== points.length) {
        throw new RangeError(`${label}: values: must be a Float64Array of ${points.length} values`);
      }
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) {
          throw new RangeError(`${label}: values[${i}]: must be finite, got ${values[i]}`);
        }
      }
      const layout = layoutOf(dim, hints?.space, label, opts.inactive);
      const cols = layout.features.length;
      const n = points.length;
      const x = new Float64Array(n * cols);
      for (let i = 0; i < n; i++) encodeRow(layout, points[i], x, i * cols);

      let logScale: LogScale | undefined;
      let y = values;
      if (opts.logY) {
        let min = Infinity;
        let max = -Infinity;
        for (const v of values) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        const scale = max > min ? max - min : 1;
        logScale = { min, scale };
        y = values.map((v) => Math.log((v - min) / scale + LOG_OFFSET));
      }
      const levels = layout.features.map((f) => (f.type === "categorical" ? f.levels : 0));
      const data = prepareTreeData(x, n, cols, y, { levels });
      const trees = growForest(
        data,
        {
          nEstimators: opts.nTrees,
          maxFeatures: resolveMaxFeatures(opts.ratioFeatures, cols),
          minSamplesSplit: opts.minSamplesSplit,
          minSamplesLeaf: opts.minSamplesLeaf,
          maxDepth: opts.maxDepth,
          bootstrap: opts.bootstrap,
          criterion: "squared_error",
          splitValue: opts.splitValue,
          splitter: opts.splitter,
          categoricalSplit: opts.categoricalSplit,
          splitZeroGain: opts.splitZeroGain,
        },
        undefined,
        rng.spawn(),
      );
      return forestSurrogate(trees, layout, dim, opts.variance, logScale);
    },
  });
}

function forestSurrogate(
  trees: readonly DecisionTree[],
  layout: Layout,
  dim: number,
  varianceKind: "total" | "trees",
  logScale: LogScale | undefined,
): RandomForestSurrogate {
  const cols = layout.features.length;
  const B = trees.length;

  const rowsOf = (points: readonly Float64Array[], label: string): Float64Array => {
    // Finite coordinates, as `fit` requires (inactive columns are encoded as 0.5, not NaN).
    checkPoints(points, dim, label, { finite: true });
    const x = new Float64Array(points.length * cols);
    for (let i = 0; i < points.length; i++) encodeRow(layout, points[i], x, i * cols);
    return x;
  };

  // The trees' target scale (a power of two, 1 for ordinary targets): the moments are summed in
  // scaled units (exact) and mapped back, so huge targets cannot overflow the sums of squares.
  const scale = trees[0].scale;
  const inverse = 1 / scale;

  /** Mean and variance in the fitted units (log units with `logY`). */
  const moments = (x: Float64Array, m: number, withVariance: boolean): Prediction => {
    const sum = new Float64Array(m);
    // Each tree's mean at each point (`[tree · m + point]`), for the centred spread below.
    const means = withVariance ? new Float64Array(B * m) : undefined;
    const within = new Float64Array(m);
    for (let b = 0; b < B; b++) {
      const tree = trees[b];
      const value = tree.value;
      for (let i = 0; i < m; i++) {
        const leaf = tree.leaf(x, i * cols);
        const mu = value[leaf] * inverse;
        sum[i] += mu;
        if (means !== undefined) {
          means[b * m + i] = mu;
          within[i] += tree.variance[leaf] * inverse * inverse;
        }
      }
    }
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const mu = sum[i] / B;
      mean[i] = mu * scale;
      if (means === undefined) continue;
      // Σ(μ_b − μ)², summed about the mean (two passes): the one-pass Σμ_b² − B·μ² cancels
      // catastrophically when the tree means share a large offset (targets near 1e8 lose the
      // spread entirely).
      let spread = 0;
      for (let b = 0; b < B; b++) {
        const d = means[b * m + i] - mu;
        spread += d * d;
      }
      const v = varianceKind === "total"
        ? spread / B + within[i] / B
        : B > 1
        ? spread / (B - 1)
        : 0;
      variance[i] = v * scale * scale;
    }
    return { mean, variance };
  };

  /** Maps log-unit Gaussian moments back to the original units (log-normal moments). */
  const toOriginal = (p: Prediction): Prediction => {
    if (logScale === undefined) return p;
    const { min, scale } = logScale;
    const mean = new Float64Array(p.mean.length);
    const variance = new Float64Array(p.mean.length);
    for (let i = 0; i < mean.length; i++) {
      const m = p.mean[i];
      const v = p.variance[i];
      mean[i] = min + scale * (Math.exp(m + v / 2) - LOG_OFFSET);
      variance[i] = scale * scale * Math.expm1(v) * Math.exp(2 * m + v);
    }
    return { mean, variance };
  };

  const predict = (points: readonly Float64Array[]): Prediction =>
    toOriginal(
      moments(rowsOf(points, "RandomForestSurrogate.predict: points"), points.length, true),
    );

  return Object.freeze({
    gradients: false,
    dim,
    trees,
    features: layout.features,
    predict,
    predictMean(points: readonly Float64Array[]): Float64Array {
      if (logScale !== undefined) return predict(points).mean;
      const x = rowsOf(points, "RandomForestSurrogate.predictMean: points");
      return moments(x, points.length, false).mean;
    },
    predictWithGradient(point: Float64Array): PointPrediction {
      checkPoint(point, dim, "RandomForestSurrogate.predictWithGradient: point", { finite: true });
      const p = predict([point]);
      return {
        mean: p.mean[0],
        variance: p.variance[0],
        meanGradient: new Float64Array(dim),
        varianceGradient: new Float64Array(dim),
      };
    },
    sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(
          `RandomForestSurrogate.sampleJoint: count: must be an integer ≥ 0, got ${count}`,
        );
      }
      parseOrThrow(rngSchema, rng, "RandomForestSurrogate.sampleJoint: rng");
      const p = predict(points);
      const sd = p.variance.map((v) => Math.sqrt(Math.max(v, 0)));
      const samples: Float64Array[] = [];
      for (let s = 0; s < count; s++) {
        const draw = new Float64Array(points.length);
        for (let i = 0; i < points.length; i++) draw[i] = p.mean[i] + sd[i] * rng.normal();
        samples.push(draw);
      }
      return samples;
    },
    treePredictions(points: readonly Float64Array[]): Float64Array[] {
      const x = rowsOf(points, "RandomForestSurrogate.treePredictions: points");
      return trees.map((tree) =>
        Float64Array.from({ length: points.length }, (_, i) => tree.value[tree.leaf(x, i * cols)])
      );
    },
  });
}
