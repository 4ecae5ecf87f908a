/**
 * Sequential model-based optimisation: the ask/tell {@linkcode SMBO} study, the one-call
 * {@linkcode minimize}, and the proposers that choose new points (GP Bayesian optimisation,
 * SMAC's random-forest optimiser {@linkcode smac}, random search, or your own), and
 * {@linkcode recommendBest}, which recommends the evaluated configuration with the lowest
 * posterior mean (rather than the lowest, possibly lucky, noisy observation). Studies minimise by
 * default; with `direction: "maximize"` they maximise (the best is the highest value, and the
 * proposer models the values negated).
 *
 * @example
 * ```ts
 * import { bayesOpt, minimize } from "./mod.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(-5, 5) });
 * const result = await minimize((p) => (p.x - 1) ** 2, space, {
 *   budget: 15,
 *   seed: 0,
 *   proposer: bayesOpt({ acquisition: "ei" }),
 * });
 * result.best.params.x; // ≈ 1
 * ```
 *
 * @module
 */
export {
  type AcquisitionBuilder,
  type AcquisitionContext,
  type AcquisitionName,
  type AcquisitionOptimizerName,
  BAYES_OPT_DEFAULTS,
  bayesOpt,
  type BayesOptOptions,
  chooseAcquisitionOptimizer,
  type LocalSearchSettings,
} from "./bayes_opt.ts";
export {
  interleaveRandom,
  smac,
  SMAC_DEFAULTS,
  type SmacInitialDesignOptions,
  smacInitialDesignSize,
  type SmacOptions,
} from "./presets.ts";
export {
  minimize,
  type MinimizeOptions,
  type MinimizeResult,
  MinimizeStopped,
  type Objective,
  type ObjectiveContext,
} from "./minimize.ts";
export {
  type ProposalContext,
  type Proposer,
  randomlyChosen,
  randomSearch,
  savedState,
} from "./proposer.ts";
export {
  RECOMMEND_DEFAULTS,
  type Recommendation,
  recommendBest,
  type RecommendOptions,
  type RecommendSource,
} from "./recommend.ts";
export {
  type BestTrial,
  type EncodableSpace,
  type PoolDesign,
  SMBO,
  SMBO_DEFAULTS,
  type SMBOOptions,
  type StudyDirection,
} from "./study.ts";
export {
  resolveOutcome,
  type Trial,
  type TrialOutcome,
  type TrialSource,
  type TrialStatus,
} from "./trial.ts";

// Types that appear in this module's signatures (their home modules own them).
export type { Rng } from "../random/rng.ts";
export type * from "../models/surrogate.ts";
export {
  RANDOM_FOREST_SURROGATE_DEFAULTS,
  randomForest,
  type RandomForestFactory,
  type RandomForestSurrogate,
  type RandomForestSurrogateOptions,
} from "../models/random_forest.ts";
export type { DecisionTree } from "../forest/tree.ts";
export type { FeatureSpec } from "../forest/features.ts";
export type { AcquisitionFunction, ValueAndGradient } from "../acquisition/acquisition.ts";
export type { DesignSizeInput, SampleMethod } from "../space/design.ts";
// The space types, so that the search spaces in these signatures are documented here too.
export type * from "../space/mod.ts";
export type {
  LocalSearchOptions,
  NeighbourhoodOptions,
  SearchSpace,
} from "../acquisition/local_search.ts";
export type * from "../storage/storage.ts";
export type {
  StoredMinimizeOptions,
  StoredMinimizeResult,
  StoredRunOptions,
  StoredStudy,
} from "../storage/mod.ts";
