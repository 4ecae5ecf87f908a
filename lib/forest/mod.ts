/**
 * Random forests in plain TypeScript on typed arrays: CART trees with native categorical splits
 * and missing-value routing ({@linkcode growTree}), the {@linkcode RandomForestRegressor} and
 * {@linkcode RandomForestClassifier} learners, and the split criteria. The SMAC-style surrogate
 * built on these trees is `randomForest` in `lib/models/random_forest.ts`.
 *
 * @example
 * ```ts
 * import { RandomForestClassifier } from "./mod.ts";
 * const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const forest = new RandomForestClassifier({ nEstimators: 10, bootstrap: false }).fit(x, [0, 0, 1, 1]);
 * forest.predict([[1, 0.5]]); // Int32Array [1]
 * ```
 *
 * @module
 */
export {
  CLASSIFICATION_CRITERIA,
  type Criterion,
  type CriterionScore,
  criterionScore,
  REGRESSION_CRITERIA,
  weightedImpurity,
} from "./criterion.ts";
export { featureLevels, type FeatureMatrix, type FeatureSpec, toRowMajor } from "./features.ts";
export {
  type FitOptions,
  type ForestSettings,
  growForest,
  type MaxFeatures,
  RANDOM_FOREST_DEFAULTS,
  RandomForestClassifier,
  type RandomForestClassifierOptions,
  type RandomForestOptions,
  RandomForestRegressor,
  resolveMaxFeatures,
} from "./forest.ts";
export {
  DecisionTree,
  growTree,
  prepareTreeData,
  targetScale,
  type TreeData,
  type TreeParams,
  withTargets,
} from "./tree.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type { Rng } from "../random/rng.ts";
