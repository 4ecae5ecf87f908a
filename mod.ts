/**
 * metahpo: meta-learning-based hyperparameter optimisation for Deno and Jupyter.
 *
 * - Search spaces ({@linkcode defineSpace}, {@linkcode float}, {@linkcode int},
 *   {@linkcode categorical}), seeded randomness, scrambled Sobol and Latin hypercube designs.
 * - Float64 Gaussian processes (RBF and Matérn ARD kernels, MAP hyperparameters), acquisition
 *   functions (EI, LogEI, PI, LogPI, LCB, Thompson sampling) and their optimiser.
 * - Sequential model-based optimisation: the ask/tell {@linkcode SMBO} study and the one-call
 *   {@linkcode minimize}.
 * - Meta-learning for SMBO: a {@linkcode TaskStore} of past tasks, warm starts, RGPE, TST-R, TAF
 *   and a meta-feature → configuration model, wired in by {@linkcode transferOptions}.
 * - Test functions, MetaBO task families, the generated tabular meta-dataset as pool problems,
 *   benchmark statistics and plotly figures for Jupyter and offline HTML.
 *
 * Importing this module loads no TensorFlow.js, no table library and no dataset: the other parts
 * have their own entry points (`deno.json` exports) — tabular data and built-in datasets in
 * `lib/data/mod.ts` (`./data`), meta-feature extraction in `lib/metafeatures/mod.ts`
 * (`./metafeatures`), the TensorFlow.js learners and HPO tasks in `maml.ts` (`./maml`), the
 * experiment protocols in `lib/protocols/mod.ts` (`./protocols`).
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
  type Center,
  type Interval,
  type MeanInterval,
  meanInterval,
  median,
  medianInterval,
  quantile,
  studentTQuantile,
  summarise,
  SUMMARY_DEFAULTS,
} from "./lib/stats/mod.ts";
export { recordsToCsv, type ResultRow, toCsv } from "./lib/results/mod.ts";

// Visualisation: plotly figures, Jupyter display, HTML report
export {
  acquisition1dFigure,
  acquisition2dFigure,
  adaptationCurveFigure,
  averageRankCurves,
  curveFigure,
  type CurveFigureOptions,
  type CurveSelection,
  type CurveSummary,
  type Displayable,
  escapeHtml,
  type Figure,
  figureHtml,
  formatNumber,
  grid1d,
  grid2d,
  type HeatmapOptions,
  JUPYTER_DISPLAY,
  type LabelledMatrix,
  type Layout,
  loadPlotlyBundle,
  type LossComputeOptions,
  type LossComputePair,
  type LossComputePoint,
  lossComputePoints,
  lossVsComputeFigure,
  metaFeatureHeatmap,
  type MimeBundle,
  type Observations,
  PLOTLY_VERSION,
  plotlyLoaderHtml,
  posterior1dFigure,
  posterior2dFigure,
  type Predictor,
  type RankCurves,
  rankFigure,
  type RankOptions,
  ratioFigure,
  regretCurveFigure,
  renderReport,
  REPORT_DEFAULTS,
  type ReportInput,
  type ReportOptions,
  type Scorer,
  showFigure,
  showTable,
  standardizeColumns,
  summariseCurves,
  type SurfaceOptions,
  tableHtml,
  type TableLike,
  tableRecords,
  type Trace,
  VIZ_DEFAULTS,
  writeReport,
} from "./lib/viz/mod.ts";

// Study plots (Optuna-style), parameter importances, plotly setup for notebooks
export {
  bestValueSoFar,
  contourFigure,
  type ContourOptions,
  edfFigure,
  type EdfOptions,
  empiricalDistribution,
  type HistoryOptions,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  type ParallelCoordinateOptions,
  PARAM_IMPORTANCE_DEFAULTS,
  type ParamImportance,
  paramImportanceFigure,
  type ParamImportanceOptions,
  type ParamImportances,
  paramImportances,
  PLOTLY_LOADER_DEFAULTS,
  plotlySetup,
  plotlySetupBundle,
  type PlotlySetupOptions,
  sliceFigure,
  type SliceOptions,
  type StudyDirection,
  type StudyInput,
  type StudySource,
} from "./lib/viz/mod.ts";

// Meta-learning for SMBO: task store, warm starts, transfer surrogates and acquisitions
export {
  type BaseModel,
  type BaseModelOptions,
  bootstrapRankingLosses,
  type ConfigurationModelOptions,
  configurationModelPoints,
  type ConfigurationPrediction,
  type EncodedTask,
  encodePriorTasks,
  type EnsembleMember,
  epanechnikovWeight,
  fitBaseModels,
  type KernelWeightOptions,
  leaveOneOutMeans,
  loadTaskStore,
  type MetaDatasetJSON,
  misrankedPairs,
  predictConfiguration,
  PreparedPrior,
  type PriorTask,
  priorTaskFromStudy,
  priorTasksFromMetaDataset,
  type PriorTasksInput,
  type PriorTrial,
  type RankingWeightOptions,
  rankingWeights,
  rgpe,
  RGPE_DEFAULTS,
  type RgpeOptions,
  saveTaskStore,
  type SpaceLike,
  type StudyLike,
  taf,
  type TafPair,
  TafSurrogate,
  TARGET_KERNEL_WEIGHT,
  TaskStore,
  type TaskStoreJSON,
  TRANSFER_DEFAULTS,
  TRANSFER_STRATEGIES,
  transferAcquisition,
  type TransferOptions,
  transferOptions,
  type TransferSetup,
  type TransferSpace,
  type TransferStrategy,
  tstr,
  TSTR_DEFAULTS,
  WARM_START_DEFAULTS,
  type WarmStartOptions,
  warmStartPoints,
  WeightedEnsemble,
} from "./lib/meta/mod.ts";

// Task families for transfer optimisation (MetaBO protocol)
export {
  braninFamily,
  defineFamily,
  FAMILY_SPLIT_DEFAULTS,
  type FamilyDefinition,
  type FamilySplitOptions,
  type FunctionTask,
  goldsteinPriceFamily,
  GP_PRIOR_FAMILY_DEFAULTS,
  gpPriorFamily,
  type GpPriorFamilyOptions,
  hartmann3Family,
  SHIFTED_FAMILY_DEFAULTS,
  shiftedFamily,
  type ShiftedFamilyOptions,
  type TaskFamily,
  type TaskSplit,
} from "./lib/tasks/families/mod.ts";

// Search spaces of the tfjs HPO tasks (the tasks themselves: `maml.ts`) and the generated tabular
// meta-dataset, as pool problems
export {
  HPO_MODELS,
  type HpoConfig,
  type HpoModel,
  hpoSpace,
  type LinearConfig,
  linearSpace,
  type LinearSpaceDefinition,
  type MlpConfig,
  mlpSpace,
  type MlpSpaceDefinition,
} from "./lib/tasks/hpo/spaces.ts";
export {
  type DatasetRecord,
  GENERATOR_VERSION as METADATASET_GENERATOR_VERSION,
  type GeneratorSettings,
  type MetaDatasetFile,
  type ProvenanceFile,
  SIGNIFICANT_DIGITS,
  type TaskRecord,
} from "./lib/tasks/metadataset/format.ts";
export {
  loadMetaDataset,
  type LoadMetaDatasetOptions,
  type MetaDataset,
  type MetaMetric,
  type MetaTask,
  normalizedRegret,
  type PoolTask,
  type PoolTaskOptions,
  poolTasks,
} from "./lib/tasks/metadataset/load.ts";
