/**
 * Meta-learning for SMBO: a store of past tasks, warm starts (Feurer et al. 2015), the RGPE
 * (Feurer et al. 2018) and TST-R (Wistuba et al. 2016) transfer surrogates, the TAF transfer
 * acquisition (Wistuba et al. 2018), the greedy portfolio (Wistuba et al. 2015), ABLR (Perrone et
 * al. 2018), FSBO's deep-kernel GP (Wistuba & Grabocka 2021) and a meta-feature → configuration
 * model; each a composable
 * piece (surrogate factory, acquisition builder or initial configurations), wired into
 * `minimize` / `SMBO` options by {@linkcode transferOptions}.
 *
 * @example
 * ```ts
 * import { TaskStore, transferOptions } from "./mod.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const f = (c: number) => (p: { x: number }) => (p.x - c) ** 2;
 * const store = TaskStore.from([0.3, 0.35].map((c, i) => ({
 *   id: `task${i}`,
 *   metaFeatures: { centre: c },
 *   trials: [0.1, 0.3, 0.5, 0.7, 0.9].map((x) => ({ params: { x }, value: f(c)({ x }) })),
 * })));
 * const result = await minimize(f(0.33), space, {
 *   budget: 5,
 *   seed: 0,
 *   ...transferOptions(store, space, { strategy: "warm-start", metaFeatures: { centre: 0.33 } }),
 * });
 * ```
 *
 * @module
 */
export {
  loadTaskStore,
  type MetaDatasetJSON,
  type PriorTask,
  priorTaskFromStudy,
  priorTasksFromMetaDataset,
  type PriorTrial,
  saveTaskStore,
  type StudyLike,
  TaskStore,
  type TaskStoreJSON,
} from "./store.ts";
export {
  BASE_MODEL_DEFAULTS,
  type BaseModel,
  type BaseModelOptions,
  basePointSubset,
  checkBaseModelOptions,
  type EncodedTask,
  encodePriorTasks,
  fitBaseModels,
  type PriorTasksInput,
  type SpaceLike,
} from "./base_models.ts";
export {
  bootstrapRankingLosses,
  epanechnikovWeight,
  leaveOneOutMeans,
  leaveOneOutPredictions,
  misrankedPairs,
  type RankingPredictions,
  type RankingWeightOptions,
  rankingWeights,
  type RelevanceMethod,
  relevantModels,
} from "./ranking.ts";
export { type EnsembleMember, WeightedEnsemble } from "./ensemble.ts";
export { rgpe, RGPE_DEFAULTS, type RgpeOptions } from "./rgpe.ts";
export {
  ablr,
  ABLR_DEFAULTS,
  type AblrModel,
  ablrObjective,
  type AblrOptions,
  type AblrRefitOptions,
  type AblrShape,
  AblrSurrogate,
  fitAblr,
  networkSize,
  refitAblr,
} from "./ablr.ts";
export {
  fineTuneFsbo,
  fitFsbo,
  fsbo,
  FSBO_DEFAULTS,
  type FsboModel,
  fsboObjective,
  type FsboOptions,
  FsboSurrogate,
} from "./fsbo.ts";
export {
  featureBackward,
  featureForward,
  featureJacobian,
  type FeatureMapShape,
  initialNetwork,
} from "./feature_map.ts";
export { type KernelWeightOptions, TARGET_KERNEL_WEIGHT, tstr, TSTR_DEFAULTS } from "./tstr.ts";
export { taf, type TafParts, tafParts, transferAcquisition } from "./taf.ts";
export {
  type GreedyPortfolio,
  greedyPortfolio,
  type GreedyPortfolioOptions,
  minMaxNormalise,
} from "./portfolio.ts";
export { WARM_START_DEFAULTS, type WarmStartOptions, warmStartPoints } from "./warm_start.ts";
export {
  type ConfigurationModelOptions,
  configurationModelPoints,
  type ConfigurationPrediction,
  predictConfiguration,
} from "./config_model.ts";
export {
  checkSameSpace,
  checkTransferOptions,
  defaultHandover,
  PreparedPrior,
  TRANSFER_ACQUISITIONS,
  TRANSFER_DEFAULTS,
  TRANSFER_STRATEGIES,
  type TransferAcquisition,
  type TransferOptions,
  transferOptions,
  transferOptionsFromStorage,
  type TransferSetup,
  type TransferSpace,
  type TransferStrategy,
} from "./transfer.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type * from "../gp/mod.ts";
export type { AcquisitionFunction, ValueAndGradient } from "../acquisition/acquisition.ts";
export type { AcquisitionBuilder, AcquisitionContext, AcquisitionName } from "../smbo/bayes_opt.ts";
export type { ProposalContext, Proposer } from "../smbo/proposer.ts";
export type { EncodableSpace, StudyDirection } from "../smbo/study.ts";
export type { FitHints } from "../models/surrogate.ts";

// Types that appear in this module's signatures (their home modules own them).
export type * from "../storage/storage.ts";
export type { TrialSource } from "../smbo/trial.ts";
/** The search-space types that surrogate fit hints and proposal contexts refer to. */
export type * from "../space/mod.ts";
