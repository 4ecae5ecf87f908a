/**
 * Landmarking meta-features: the per-fold score of cheap learners under k-fold cross-validation
 * (the context's folds: stratified for classes, seeded), reduced by summary functions. The score
 * is accuracy for classification and R² (1 − SSres / SStot on the test fold; NaN when the fold's
 * target is constant) for regression. Learners read the z-scored design matrix. A learner that
 * cannot be fitted on one of the training sets (a singular system, e.g. columns that are collinear
 * or constant within it) makes the whole measure NaN; the reason does not name the fold, so that
 * the same cause reads the same on every table (`MetaFeatureContext.foldAssignment` gives the
 * folds, to find which one).
 *
 * - `one_nn`: 1-nearest neighbour (Euclidean; ties go to the lowest row index);
 * - `naive_bayes`: Gaussian naive Bayes (classification only);
 * - `linear_discr`: linear discriminant analysis; for regression, ordinary least squares;
 * - `best_node`: a decision stump over all columns;
 * - `random_node`: a decision stump on one design column drawn per fold from the
 *   `"random_node"` stream;
 * - `shallow_tree`: a decision tree of depth {@linkcode LANDMARKING_DEFAULTS}.shallowTreeDepth.
 *
 * @module
 */

import type { MetaFeatureContext } from "../context.ts";
import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "../extractor.ts";
import {
  crossValidatedNearestNeighbour,
  fitGaussianNaiveBayes,
  fitLeastSquares,
  fitLinearDiscriminant,
  type Predictor,
} from "../learners.ts";
import { fitTree, predictTree, presort, type TreeTarget } from "../tree.ts";

/** Defaults of the landmarking group: `shallowTreeDepth` (3). */
export const LANDMARKING_DEFAULTS = { shallowTreeDepth: 3 } as const;

type Fit = (train: Int32Array, fold: number) => Predictor | undefined;

function scoreFolds(ctx: MetaFeatureContext, fit: Fit): Float64Array {
  const design = ctx.design();
  if (design.columns === 0) throw new MetaFeatureUnavailable("no non-constant features");
  if (ctx.rows < 2) throw new MetaFeatureUnavailable("cross-validation needs at least 2 rows");
  const fold = ctx.foldAssignment();
  const k = Math.min(ctx.folds, ctx.rows);
  const scores = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < ctx.rows; i++) (fold[i] === f ? test : train).push(i);
    const predict = fit(Int32Array.from(train), f);
    if (!predict) {
      // No fold number in the reason (see the module docs): the same cause reads the same.
      throw new MetaFeatureUnavailable("cannot be fitted on a training fold (singular system)");
    }
    const rows = Int32Array.from(test);
    const predicted = predict(rows);
    scores[f] = ctx.task === "classification"
      ? predicted.filter((c, t) => c === ctx.y[rows[t]]).length / rows.length
      : rSquared(rows, predicted, ctx.yValues);
  }
  return scores;
}

function rSquared(test: Int32Array, predicted: Float64Array, y: Float64Array): number {
  let m = 0;
  for (const i of test) m += y[i] / test.length;
  let res = 0, tot = 0;
  test.forEach((i, t) => {
    res += (y[i] - predicted[t]) ** 2;
    tot += (y[i] - m) ** 2;
  });
  return tot > 0 ? 1 - res / tot : NaN;
}

function treeTarget(ctx: MetaFeatureContext): TreeTarget {
  return ctx.task === "classification"
    ? { kind: "classification", y: ctx.y, classes: ctx.classes.length }
    : { kind: "regression", y: ctx.yValues };
}

function treeLandmarker(
  name: string,
  maxDepth: number,
  features?: (ctx: MetaFeatureContext) => (fold: number) => number[],
): MetaFeatureExtractor {
  return {
    group: "landmarking",
    name,
    kind: "vector",
    compute: (ctx) => {
      const design = ctx.design();
      const sortedColumns = ctx.memo("design.presorted", () => presort(design));
      const allowed = features?.(ctx);
      return scoreFolds(ctx, (train, fold) => {
        const tree = fitTree(design, sortedColumns, train, treeTarget(ctx), {
          maxDepth,
          features: allowed?.(fold),
        });
        return (rows) =>
          Float64Array.from(rows, (row) => predictTree(tree, design.x, row * design.columns));
      });
    },
  };
}

/**
 * The landmarking group: one_nn, naive_bayes, linear_discr, best_node, random_node,
 * shallow_tree (each a vector of per-fold scores).
 *
 * @example
 * ```ts
 * import { LANDMARKING_EXTRACTORS } from "./landmarking.ts";
 * console.log(LANDMARKING_EXTRACTORS.length); // 6
 * ```
 */
export const LANDMARKING_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  {
    group: "landmarking",
    name: "one_nn",
    kind: "vector",
    compute: (ctx) => {
      const nearest = ctx.design().columns > 0
        ? crossValidatedNearestNeighbour(ctx.design(), ctx.foldAssignment())
        : new Int32Array(0);
      return scoreFolds(
        ctx,
        () => (rows) => Float64Array.from(rows, (r) => ctx.yValues[nearest[r]]),
      );
    },
  },
  {
    group: "landmarking",
    name: "naive_bayes",
    kind: "vector",
    tasks: ["classification"],
    compute: (ctx) =>
      scoreFolds(
        ctx,
        (train) => fitGaussianNaiveBayes(ctx.design(), train, ctx.y, ctx.classes.length),
      ),
  },
  {
    group: "landmarking",
    name: "linear_discr",
    kind: "vector",
    compute: (ctx) =>
      scoreFolds(
        ctx,
        (train) =>
          ctx.task === "classification"
            ? fitLinearDiscriminant(ctx.design(), train, ctx.y, ctx.classes.length)
            : fitLeastSquares(ctx.design(), train, ctx.yValues),
      ),
  },
  treeLandmarker("best_node", 1),
  treeLandmarker("random_node", 1, (ctx) => {
    if (ctx.design().columns === 0) throw new MetaFeatureUnavailable("no non-constant features");
    const rng = ctx.rng("random_node");
    const picks = Array.from(
      { length: Math.min(ctx.folds, ctx.rows) },
      () => rng.integer(ctx.design().columns),
    );
    return (fold) => [picks[fold]];
  }),
  treeLandmarker("shallow_tree", LANDMARKING_DEFAULTS.shallowTreeDepth),
];
