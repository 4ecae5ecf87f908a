/**
 * Real hyperparameter-optimisation tasks: softmax / linear regression and a ReLU MLP trained with
 * tfjs, and a random forest, a decision tree, weighted k-nearest neighbours, kernel ridge regression and gradient-boosted trees (plain TypeScript, no tfjs), on a prepared dataset, one search space per model (learning rate and L2 on log scales,
 * hidden units, layers, dropout, batch size, epochs). Seeded: initial weights, minibatch order and
 * dropout masks come from one `Rng`. Returns the validation error, the test error and the wall time.
 *
 * @example
 * ```ts
 * import { hpoTask } from "./mod.ts";
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * const data = await prepareBuiltinDataset("penguins", { seed: 0 });
 * const task = hpoTask(data, { model: "mlp", seed: 0, backend: "wasm" });
 * const run = await task.evaluate({
 *   lr: 0.01, l2: 1e-5, hiddenUnits: 32, layers: 1, dropout: 0.1, batchSize: 32, epochs: 10,
 * });
 * console.log(run.validation.error, run.test.error, run.seconds);
 * ```
 *
 * @module
 */
export {
  type GbtConfig,
  gbtSpace,
  type GbtSpaceDefinition,
  HPO_MODELS,
  HPO_TASK_MODELS,
  type HpoConfig,
  type HpoModel,
  hpoSpace,
  type HpoTaskModel,
  type KnnConfig,
  knnSpace,
  type KnnSpaceDefinition,
  type KrrConfig,
  krrSpace,
  type KrrSpaceDefinition,
  type LinearConfig,
  linearSpace,
  type LinearSpaceDefinition,
  type MlpConfig,
  type MlpOptConfig,
  mlpOptSpace,
  type MlpOptSpaceDefinition,
  mlpSpace,
  type MlpSpaceDefinition,
  type RfConfig,
  rfSpace,
  type RfSpaceDefinition,
  type TreeConfig,
  treeSpace,
  type TreeSpaceDefinition,
} from "./spaces.ts";
export { fitAndScoreForest, fitAndScoreTree } from "./forest.ts";
export {
  fitAndScoreBoosting,
  fitBoosting,
  type GradientBoostingModel,
  type GradientBoostingSettings,
} from "./boosting.ts";
export {
  fitAndScoreKnn,
  kknnClassify,
  kknnRegress,
  kknnWeights,
  KNN_KERNELS,
  type KnnKernel,
  type KnnSettings,
} from "./knn.ts";
export {
  fitAndScoreKernelRidge,
  KERNEL_RIDGE_KERNELS,
  kernelRidgeFit,
  type KernelRidgeKernel,
  type KernelRidgeModel,
  type KernelRidgeSettings,
} from "./kernel_ridge.ts";
export type { RowMajorMatrix, SplitScores } from "./scores.ts";
export type { OptimizerSettings } from "./train.ts";
export {
  HPO_TASK_DEFAULTS,
  type HpoEvaluation,
  type HpoTask,
  hpoTask,
  type HpoTaskOptions,
} from "./task.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type * from "../../space/mod.ts";
export type * from "../../data/mod.ts";
export type { Backend } from "../../tfjs/mod.ts";
export type { DecisionTree } from "../../forest/mod.ts";
