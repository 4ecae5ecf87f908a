/**
 * Optimisation-based meta-learning on TensorFlow.js: a functional model core, MAML (exact
 * second order and first order), ANIL, Meta-SGD, learned inner hyperparameters, Reptile and the
 * pretrained baseline; regression (mean squared error) and classification (softmax
 * cross-entropy, exact second order too); meta-training with Adam, meta-validation and JSON
 * checkpoints; meta-test evaluation (query loss, and accuracy for classification) with 95%
 * confidence intervals.
 *
 * @example
 * ```ts
 * import { MAML, metaTest, metaTrain, mlp, useBackend } from "./mod.ts";
 * import { episodeSampler, evaluationSet, sinusoid } from "../tasks/sinusoid/mod.ts";
 * await useBackend("wasm");
 * const maml = new MAML(mlp({ sizes: [1, 40, 40, 1] }), { innerLr: 0.01, seed: 0 });
 * await metaTrain(maml, { source: episodeSampler(sinusoid, { shots: 10 }), iterations: 20 });
 * const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 50 });
 * const [oneStep, tenSteps] = metaTest(maml, episodes, { steps: [1, 10] });
 * ```
 *
 * @module
 */
export { type Backend, useBackend } from "../tfjs/mod.ts";
export {
  checkBatch,
  checkEpisodes,
  checkSet,
  disposeBatch,
  type Episode,
  episodeBatch,
  type LabelledSet,
  type TaskBatch,
} from "./data.ts";
export {
  type AdaptOptions,
  adaptParams,
  type InnerRule,
  mse,
  softmaxCrossEntropy,
  type TaskLoss,
  tileTasks,
} from "./inner.ts";
export { batchMatMul } from "./matmul.ts";
export {
  type DenseArchitecture,
  DenseEngine,
  denseEngineFor,
  type DenseLoss,
  type DenseMetaGradient,
  type DenseRule,
  type DenseSet,
} from "./fused.ts";
export { type Activation, type FunctionalModel, type Init, mlp, type MlpOptions } from "./model.ts";
export {
  ANIL,
  createLearner,
  FastLearner,
  GradientLearner,
  type GradientLearnerOptions,
  LearnedHyperparameters,
  type LearnedHyperparametersOptions,
  LEARNER_DEFAULTS,
  LearnerBase,
  type LearnerOptions,
  type LearnerOptionsByKind,
  MAML,
  type MetaGradientEngine,
  type MetaGradientOptions,
  type MetaGradients,
  type MetaLearner,
  MetaSGD,
  NonFiniteLossError,
  Pretrained,
  Reptile,
  type RuleSpec,
} from "./learners.ts";
export {
  type EpisodeSource,
  metaOptimizer,
  type MetaOptimizerOptions,
  metaStep,
  metaTrain,
  type MetaTrainOptions,
  type MetaTrainResult,
  type Progress,
} from "./train.ts";
export {
  type AccuracyResult,
  classificationAccuracy,
  metaTest,
  type MetaTestOptions,
  type StepResult,
} from "./evaluate.ts";
export { meanCi95 } from "../stats/mod.ts";
export {
  type Checkpoint,
  checkpoint,
  CHECKPOINT_FORMAT,
  type CheckpointLoadOptions,
  type CheckpointLoss,
  fromCheckpoint,
  loadCheckpoint,
  restore,
  saveCheckpoint,
} from "./checkpoint.ts";
export { LEARNER_KINDS, type LearnerKind } from "./kinds.ts";
export { Rng } from "../random/rng.ts";
export { type LearnedInnerRule, learnedInnerRule, type LearnedRate } from "./rule.ts";
