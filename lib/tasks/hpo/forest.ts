/**
 * Training and scoring of the random-forest and decision-tree HPO models
 * ({@linkcode RandomForestClassifier} or {@linkcode RandomForestRegressor} from `lib/forest`; the
 * tree is a forest of one tree without bootstrap) on a prepared dataset, with the scores of
 * the neural models (`scores.ts`): plain TypeScript, no TensorFlow.js. Regression forests are fit
 * on the standardised target, so `error` is the RMSE on that scale as for the other models;
 * classification cross-entropy uses the forest's class probabilities clipped at 1e-15 (a leaf
 * share of 0 would give an infinite loss).
 *
 * @module
 */
import type { PreparedDataset } from "../../data/mod.ts";
import { RandomForestClassifier, RandomForestRegressor } from "../../forest/mod.ts";
import {
  probabilityScores,
  regressionScores,
  splitMatrix,
  type SplitScores,
  targetStandardiser,
} from "./scores.ts";
import type { RfConfig, TreeConfig } from "./spaces.ts";

/**
 * Fits a random forest with `config` on `data.train` (seeded by `seed`) and scores it on
 * `data.validation` and `data.test`. `steps` is the number of trees grown.
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { fitAndScoreForest } from "./forest.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = fitAndScoreForest(data, {
 *   nEstimators: 32, maxFeatures: 0.5, minSamplesLeaf: 1, maxDepth: 8, bootstrap: true,
 * }, 0);
 * outcome.validation.error; // misclassification rate of the validation rows
 * ```
 */
export function fitAndScoreForest(
  data: PreparedDataset,
  config: RfConfig,
  seed: number,
): { validation: SplitScores; test: SplitScores; steps: number } {
  return scoreForest(data, {
    nEstimators: config.nEstimators,
    maxFeatures: config.maxFeatures,
    minSamplesLeaf: config.minSamplesLeaf,
    maxDepth: config.maxDepth,
    bootstrap: config.bootstrap,
    seed,
  });
}

/**
 * Fits a single CART decision tree with `config` on `data.train` (the forest's tree code with
 * one tree and no bootstrap; with `maxFeatures` below 1 the features searched per split are drawn
 * from a stream seeded by `seed`) and scores it on `data.validation` and `data.test`. `steps` is
 * 1, the tree grown.
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { fitAndScoreTree } from "./forest.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = fitAndScoreTree(data, {
 *   maxDepth: 4, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1,
 * }, 0);
 * outcome.validation.error; // misclassification rate of the validation rows
 * ```
 */
export function fitAndScoreTree(
  data: PreparedDataset,
  config: TreeConfig,
  seed: number,
): { validation: SplitScores; test: SplitScores; steps: number } {
  return scoreForest(data, {
    nEstimators: 1,
    maxFeatures: config.maxFeatures,
    minSamplesSplit: config.minSamplesSplit,
    minSamplesLeaf: config.minSamplesLeaf,
    maxDepth: config.maxDepth,
    bootstrap: false,
    seed,
  });
}

/** Fits a forest with `options` and scores it (both models above). */
function scoreForest(
  data: PreparedDataset,
  options: {
    nEstimators: number;
    maxFeatures: number;
    minSamplesSplit?: number;
    minSamplesLeaf: number;
    maxDepth: number;
    bootstrap: boolean;
    seed: number;
  },
): { validation: SplitScores; test: SplitScores; steps: number } {
  const matrix = (split: PreparedDataset["train"]) => splitMatrix(data, split);
  if (data.task === "classification") {
    const classes = data.classLabels.length;
    const forest = new RandomForestClassifier({ ...options, classes }).fit(
      matrix(data.train),
      data.train.y,
    );
    const score = (split: PreparedDataset["train"]) => {
      const proba = forest.predictProba(matrix(split));
      return probabilityScores(proba, split.y, classes);
    };
    return {
      validation: score(data.validation),
      test: score(data.test),
      steps: forest.trees.length,
    };
  }
  const standardise = targetStandardiser(data);
  const forest = new RandomForestRegressor(options).fit(
    matrix(data.train),
    standardise(data.train.y),
  );
  const score = (split: PreparedDataset["train"]) =>
    regressionScores(forest.predict(matrix(split)), standardise(split.y));
  return { validation: score(data.validation), test: score(data.test), steps: forest.trees.length };
}
