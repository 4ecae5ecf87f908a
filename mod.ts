/**
 * metahpo: meta-learning-based hyperparameter optimisation for Deno and Jupyter.
 *
 * - Search spaces ({@linkcode defineSpace}, {@linkcode float}, {@linkcode int},
 *   {@linkcode categorical}), seeded randomness, scrambled Sobol and Latin hypercube designs.
 * - Float64 Gaussian processes (RBF and Matérn ARD kernels, MAP hyperparameters), acquisition
 *   functions (EI, LogEI, PI, LogPI, LCB, Thompson sampling) and their optimiser.
 * - Sequential model-based optimisation: the ask/tell {@linkcode SMBO} study and the one-call
 *   {@linkcode minimize}.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, int, minimize } from "./mod.ts";
 *
 * const space = defineSpace({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   units: int(8, 256),
 *   act: categorical(["relu", "tanh"]),
 * });
 * const result = await minimize(
 *   (p) => (Math.log10(p.lr) + 3) ** 2 + ((p.units - 64) / 64) ** 2 + (p.act === "tanh" ? 1 : 0),
 *   space,
 *   { budget: 20, seed: 0 },
 * );
 * console.log(result.best.params, result.best.value, result.trials.length);
 * ```
 *
 * @module
 */

// Randomness and designs
export {
  LATIN_HYPERCUBE_DEFAULTS,
  latinHypercube,
  type LatinHypercubeOptions,
  Rng,
  sobol,
  SOBOL_DEFAULTS,
  SOBOL_MAX_DIM,
  SobolEngine,
  type SobolOptions,
  uniformPoints,
} from "./lib/random/mod.ts";

// Search spaces
export {
  boxSpace,
  categorical,
  type CategoricalParam,
  type Choice,
  type ColumnType,
  defineSpace,
  type EncodedParam,
  fixed,
  type FixedParam,
  float,
  type FloatParam,
  int,
  type IntParam,
  type NumericOptions,
  type ParamDefinition,
  type ParamsOf,
  type ParamsOfDefinition,
  type SampleMethod,
  Space,
  SPACE_DEFAULTS,
  type SpaceDefinition,
  spaceFromJSON,
  type SpaceJSON,
  unitCube,
  type ValueOf,
} from "./lib/space/mod.ts";

// Linear algebra and optimisation
export {
  cholesky,
  CHOLESKY_DEFAULTS,
  CholeskyError,
  type CholeskyFactor,
  choleskyInPlace,
  type CholeskyOptions,
  choleskySolve,
  dot,
  inverseFromCholesky,
  invertLower,
  logDeterminant,
  matVec,
  packRows,
  simdArrays,
  solveLower,
  solveLowerRows,
  solveLowerTranspose,
  solveLowerTransposeRows,
} from "./lib/linalg/mod.ts";
export {
  type DifferentiableObjective,
  lbfgsb,
  LBFGSB_DEFAULTS,
  type LbfgsbOptions,
  type LbfgsbResult,
  multiStart,
  type MultiStartResult,
} from "./lib/optim/mod.ts";

// Surrogates
export type {
  FitHints,
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "./lib/models/surrogate.ts";
export {
  fitGP,
  GAMMA_PRIORS,
  type GaussianProcess,
  GP_DEFAULTS,
  type GpBounds,
  gpFactory,
  type GpFactoryOptions,
  type GpFitReport,
  type GpHyperparameters,
  type GpHyperparameterValues,
  type GpOptions,
  type GpPriors,
  type HyperparameterKind,
  type Kernel,
  KERNEL_NAMES,
  kernelFromName,
  type KernelName,
  logNormalPriors,
  MarginalLikelihood,
  type MarginalLikelihoodValue,
  matern12Kernel,
  matern32Kernel,
  matern52Kernel,
  type PreparedKernel,
  prepareKernel,
  type Prior,
  priorLogDensity,
  priorLogMode,
  priorSchema,
  productKernel,
  rbfKernel,
  samplePriorLog,
  type StationaryKernelOptions,
  sumKernel,
} from "./lib/gp/mod.ts";

// Acquisition functions
export {
  ACQUISITION_OPTIMIZER_DEFAULTS,
  type AcquisitionFunction,
  type AcquisitionOptimum,
  AllCandidatesExcludedError,
  CONFIDENCE_BOUND_DEFAULTS,
  type ConfidenceBoundOptions,
  erf,
  erfc,
  erfcx,
  expectedImprovement,
  expectedImprovementFactor,
  expectedImprovementOf,
  type ExpectedImprovementTerms,
  expectedImprovementTerms,
  IMPROVEMENT_DEFAULTS,
  type ImprovementOptions,
  inverseMillsRatio,
  log1mexp,
  logExpectedImprovement,
  logExpectedImprovementFactor,
  logExpectedImprovementOf,
  logNormalCdf,
  logNormalPdf,
  logProbabilityOfImprovement,
  logProbabilityOfImprovementOf,
  lowerConfidenceBound,
  lowerConfidenceBoundOf,
  marginalAcquisition,
  type MarginalUtility,
  normalCdf,
  normalPdf,
  optimizeAcquisition,
  type OptimizeAcquisitionOptions,
  probabilityOfImprovement,
  probabilityOfImprovementOf,
  thompsonSampling,
  type ThompsonSamplingOptions,
  type UtilityValue,
  type ValueAndGradient,
} from "./lib/acquisition/mod.ts";

// SMBO
export {
  type AcquisitionBuilder,
  type AcquisitionContext,
  type AcquisitionName,
  BAYES_OPT_DEFAULTS,
  bayesOpt,
  type BayesOptOptions,
  type BestTrial,
  type EncodableSpace,
  minimize,
  type MinimizeOptions,
  type MinimizeResult,
  type Objective,
  type ProposalContext,
  type Proposer,
  randomSearch,
  resolveOutcome,
  SMBO,
  SMBO_DEFAULTS,
  type SMBOOptions,
  type Trial,
  type TrialOutcome,
  type TrialSource,
  type TrialStatus,
} from "./lib/smbo/mod.ts";

// Test functions
export {
  ackley,
  ackley5,
  branin,
  defineSynthetic,
  getSyntheticFunction,
  goldsteinPrice,
  hartmann3,
  hartmann6,
  levy,
  levy4,
  rosenbrock,
  styblinskiTang,
  SYNTHETIC_DEFAULTS,
  type SyntheticDefinition,
  type SyntheticFunction,
  syntheticFunctions,
} from "./lib/tasks/synthetic/mod.ts";

// Benchmark statistics and results
export {
  averageRanks,
  bestSoFar,
  type MeanInterval,
  meanInterval,
  median,
  quantile,
  studentTQuantile,
} from "./lib/bench/stats.ts";
export { recordsToCsv, type ResultRow, toCsv } from "./lib/bench/results.ts";

// Meta-features of tabular datasets
export {
  CONTEXT_DEFAULTS,
  type ContextSettings,
  DEFAULT_EXTRACTORS,
  type DesignMatrix,
  type DiscreteColumn,
  extractMetaFeatures,
  type FeatureColumn,
  type FeatureKind,
  fitMetaFeatureScaler,
  kNearestTasks,
  METAFEATURE_DEFAULTS,
  MetaFeatureContext,
  metaFeatureDistance,
  type MetaFeatureExtractor,
  type MetaFeatureOptions,
  MetaFeatures,
  type MetaFeatureScaler,
  type MetaFeatureTable,
  MetaFeatureUnavailable,
  type MetaFeatureVector,
  scaleMetaFeatures,
  SUMMARY_FUNCTIONS,
  type SummaryFunction,
  type TableInput,
  type Task as MetaFeatureTask,
  type TaskNeighbour,
} from "./lib/metafeatures/mod.ts";

// Tabular data: loaders, preparation, built-in datasets, few-shot episodes
export {
  BUILTIN_DEFAULTS,
  type BuiltinDataset,
  type BuiltinDatasetInfo,
  builtinDatasets,
  type BuiltinLoadOptions,
  type CategoricalEncoding,
  type CellLocator,
  type ColumnSummary,
  DATA_SPLIT_DEFAULTS,
  DataError,
  type DataErrorLocation,
  type DatasetSplit,
  type DelimitedText,
  encodeFeatures,
  type FeatureTransform,
  type FileFormat,
  LOAD_DEFAULTS,
  loadBuiltinDataset,
  type LoadedTable,
  loadMnist,
  type LoadOptions,
  type LoadReport,
  loadTable,
  type NumericEncoding,
  parseDelimited,
  poolDigits,
  type PreparationReport,
  PREPARE_DEFAULTS,
  prepareBuiltinDataset,
  prepareDataset,
  type PreparedColumn,
  type PreparedDataset,
  type PrepareOptions,
  type RawCell,
  shuffledSplit,
  type SplitFractions,
  type SplitIndices,
  stratifiedSplit,
  type Table,
  type TableColumnType,
  tableFromColumns,
  tableFromCsv,
  tableFromJson,
  tableFromTsv,
  TABULAR_EPISODE_DEFAULTS,
  type TabularEpisode,
  type TabularEpisodeOptions,
  type TabularEpisodePool,
  type TabularEpisodes,
  tabularEpisodes,
  type TabularEpisodeSet,
  type TaskType,
} from "./lib/data/mod.ts";
