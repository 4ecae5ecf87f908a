/**
 * metahpo's TensorFlow.js entry point: MAML-family meta-learners (MAML with exact second-order
 * meta-gradients, first-order MAML, Reptile, ANIL, Meta-SGD, learned hyperparameters, a
 * pretrained baseline), meta-training and meta-testing, checkpoints, the few-shot regression
 * families (sinusoid, harmonic, sinusoid-or-line) of Finn et al. 2017, the tfjs HPO objectives
 * ({@linkcode hpoTask}: softmax/linear and MLP models trained on a prepared tabular dataset; a
 * random forest, a decision tree, weighted k-NN, kernel ridge regression and gradient-boosted trees in plain TypeScript) and
 * the generator of the tabular meta-dataset.
 *
 * It is a separate entry from `mod.ts` so that the optimisation toolkit does not load
 * TensorFlow.js; its signatures use tfjs tensor types (`tf` is re-exported here), whose own
 * declarations are tfjs's. The search spaces of the HPO tasks (`hpoSpace`) and the meta-dataset
 * loader (`loadMetaDataset`, `poolTasks`) need no tfjs and are in `mod.ts`.
 *
 * @example
 * ```ts
 * import { createLearner, evaluationSet, metaTest, metaTrain, mlp, sinusoid, useBackend } from "./maml.ts";
 * await useBackend("wasm");
 * ```
 *
 * @module
 */
export { tf } from "./lib/deps/tf.ts";
export type { Optimizer, Scalar, Tensor, Tensor1D, Tensor3D, Variable } from "./lib/deps/tf.ts";
// MAML-family learners on TensorFlow.js
export {
  type AccuracyResult,
  type Activation,
  type AdaptOptions,
  adaptParams,
  ANIL,
  type Backend as TfBackend,
  batchMatMul,
  checkBatch,
  checkEpisodes,
  type Checkpoint,
  checkpoint as checkpointLearner,
  CHECKPOINT_FORMAT,
  type CheckpointLoadOptions,
  type CheckpointLoss,
  checkSet,
  classificationAccuracy,
  createLearner,
  type DenseArchitecture,
  DenseEngine,
  denseEngineFor,
  type DenseLoss,
  type DenseMetaGradient,
  type DenseRule,
  type DenseSet,
  disposeBatch,
  type Episode,
  episodeBatch,
  type EpisodeSource,
  FastLearner,
  fromCheckpoint,
  type FunctionalModel,
  GradientLearner,
  type GradientLearnerOptions,
  type Init,
  type InnerRule,
  type LabelledSet,
  LearnedHyperparameters,
  type LearnedHyperparametersOptions,
  type LearnedInnerRule,
  learnedInnerRule,
  type LearnedRate,
  LEARNER_DEFAULTS,
  LEARNER_KINDS,
  LearnerBase,
  type LearnerKind,
  type LearnerOptions,
  type LearnerOptionsByKind,
  loadCheckpoint,
  MAML,
  meanCi95,
  type MetaGradientEngine,
  type MetaGradientOptions,
  type MetaGradients,
  type MetaLearner,
  metaOptimizer,
  type MetaOptimizerOptions,
  MetaSGD,
  metaStep,
  metaTest,
  type MetaTestOptions,
  metaTrain,
  type MetaTrainOptions,
  type MetaTrainResult,
  mlp,
  type MlpOptions,
  mse,
  NonFiniteLossError,
  Pretrained,
  type Progress as MetaTrainProgress,
  Reptile,
  restore as restoreLearner,
  type RuleSpec,
  saveCheckpoint,
  softmaxCrossEntropy,
  type StepResult,
  type TaskBatch,
  type TaskLoss,
  tileTasks,
  useBackend,
} from "./lib/maml/mod.ts";

// Few-shot regression task families
export {
  EPISODE_DEFAULTS,
  episodeSampler,
  type EvaluationSet,
  evaluationSet,
  type EvaluationSetOptions,
  FINN_2017_SINUSOID_5SHOT,
  harmonic,
  HARMONIC_RANGES,
  type HarmonicTask,
  LINE_RANGES,
  type PublishedSinusoidFigures,
  type RegressionFamily,
  sampleEpisode,
  type SamplerOptions,
  sinusoid,
  SINUSOID_RANGES,
  sinusoidOrLine,
  type SinusoidOrLineTask,
  type SinusoidTask,
} from "./lib/tasks/sinusoid/mod.ts";

// Real HPO tasks: tfjs models (softmax/linear regression, MLP) trained on tabular data
export {
  HPO_TASK_DEFAULTS,
  type HpoEvaluation,
  type HpoTask,
  hpoTask,
  type HpoTaskOptions,
} from "./lib/tasks/hpo/task.ts";
export type { SplitScores } from "./lib/tasks/hpo/train.ts";
// The generator of the tabular meta-dataset (`deno task datasets`)
export {
  formatMetaDataset,
  type GeneratedMetaDataset,
  generateMetaDataset,
  type GenerateOptions,
  GENERATOR_DEFAULTS as METADATASET_GENERATOR_DEFAULTS,
} from "./lib/tasks/metadataset/generate.ts";
// The generator of the PMLB meta-dataset (`deno task datasets:pmlb`)
export {
  generatePmlbMetaDataset,
  type GeneratePmlbOptions,
  PMLB_GENERATOR_DEFAULTS,
  pmlbDesigns,
} from "./lib/tasks/metadataset/pmlb.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type * from "./lib/data/mod.ts";
export type { Rng } from "./lib/random/rng.ts";
export type { HpoModel, HpoTaskModel } from "./lib/tasks/hpo/spaces.ts";
export type {
  Configuration,
  ConfigValue,
  DatasetRecord,
  GeneratorSettings,
  MetaDatasetFile,
  ModelDesign,
  ProvenanceFile,
  TaskRecord,
} from "./lib/tasks/metadataset/format.ts";
export type * from "./lib/space/mod.ts";
