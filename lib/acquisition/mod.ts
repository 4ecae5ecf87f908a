/**
 * Acquisition functions for minimisation (all MAXIMISED): expected improvement and its stable
 * logarithm, the log of noisy expected improvement (on a GP), probability of improvement and its
 * logarithm, the lower confidence bound, Thompson sampling; their building blocks (marginal
 * utilities of the posterior mean and standard deviation, tail-accurate normal special functions);
 * and the acquisition optimiser (Sobol raw samples + multi-start L-BFGS-B, projection onto the
 * search space, pool mode; SMAC's local and sorted random search for mixed and conditional
 * spaces).
 *
 * @example
 * ```ts
 * import { logExpectedImprovement, optimizeAcquisition } from "./mod.ts";
 * import { Rng } from "../random/rng.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const surrogate = fitGP([Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)], [0.5, 0.2, 0.9]);
 * const acquisition = logExpectedImprovement(surrogate, { best: 0.12 });
 * const { point, value } = optimizeAcquisition(acquisition, { dim: surrogate.dim, rng: new Rng(1) });
 * ```
 *
 * @module
 */
export {
  type AcquisitionFunction,
  IMPROVEMENT_DEFAULTS,
  type ImprovementOptions,
  marginalAcquisition,
  type MarginalUtility,
  type UtilityValue,
  type ValueAndGradient,
} from "./acquisition.ts";
export {
  expectedImprovement,
  expectedImprovementOf,
  logExpectedImprovement,
  logExpectedImprovementOf,
  lognormalExpectedImprovement,
  lognormalExpectedImprovementOf,
} from "./expected_improvement.ts";
export {
  logNoisyExpectedImprovement,
  NOISY_EXPECTED_IMPROVEMENT_DEFAULTS,
  type NoisyExpectedImprovementOptions,
} from "./noisy_expected_improvement.ts";
export {
  LOCAL_SEARCH_DEFAULTS,
  localSearch,
  type LocalSearchOptions,
  type NeighbourhoodOptions,
  oneExchangeNeighbourhood,
  type SearchSpace,
} from "./local_search.ts";
export {
  logProbabilityOfImprovement,
  logProbabilityOfImprovementOf,
  probabilityOfImprovement,
  probabilityOfImprovementOf,
} from "./probability_of_improvement.ts";
export {
  CONFIDENCE_BOUND_DEFAULTS,
  type ConfidenceBoundOptions,
  lowerConfidenceBound,
  lowerConfidenceBoundOf,
} from "./confidence_bound.ts";
export { thompsonSampling, type ThompsonSamplingOptions } from "./thompson.ts";
export {
  ACQUISITION_OPTIMIZER_DEFAULTS,
  type AcquisitionOptimum,
  AllCandidatesExcludedError,
  optimizeAcquisition,
  type OptimizeAcquisitionOptions,
} from "./optimize.ts";
export {
  erf,
  erfc,
  erfcx,
  expectedImprovementFactor,
  type ExpectedImprovementTerms,
  expectedImprovementTerms,
  inverseMillsRatio,
  log1mexp,
  logExpectedImprovementFactor,
  logNormalCdf,
  logNormalPdf,
  normalCdf,
  normalPdf,
} from "./normal.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export { Rng } from "../random/rng.ts";
export type { PointPrediction, Prediction, Surrogate } from "../models/surrogate.ts";
// The space types, so that the search spaces in these signatures are documented here too.
export type * from "../space/mod.ts";
