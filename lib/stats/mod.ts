/**
 * Statistics, in one place for the whole library: descriptive statistics with numpy/scipy
 * conventions (meta-features are checked against them), confidence intervals of a mean or a
 * median and the Student-t quantile, the mean/geometric-mean/median summaries of benchmark curves,
 * average ranks, best-so-far curves, a one-sided Kendall test of rank agreement and the exact
 * power-of-two rescaling of values of extreme magnitude. Plain numbers
 * in, plain numbers out; of the rest of the library it imports only the normal distribution
 * function.
 *
 * @example
 * ```ts
 * import { averageRanks, meanInterval, median, summarise } from "./mod.ts";
 * median([3, 1, 2]); // 2
 * meanInterval([1, 2, 3, 4]).halfWidth; // Student-t 95% half-width
 * summarise([1, 10, 100], "geomean").center; // ≈ 10
 * averageRanks([[0.1, 0.2], [0.3, 0.3]]); // [1.25, 1.75]
 * ```
 *
 * @module
 */
export {
  correlation,
  covarianceMatrix,
  entropyOfCounts,
  extent,
  iqr,
  kurtosis,
  mad,
  mean,
  median,
  normalityPValue,
  quantile,
  quantileSorted,
  skewness,
  sorted,
  standardDeviation,
  standardScore,
  variance,
} from "./descriptive.ts";
export {
  meanCi95,
  type MeanInterval,
  meanInterval,
  normalQuantile,
  studentTQuantile,
} from "./intervals.ts";
export { averageRanks, bestSoFar, rankAgreementPValue } from "./ranks.ts";
export {
  extremeMagnitudeExponent,
  magnitudeExponent,
  rangeFraction,
  timesPowerOfTwo,
} from "./scale.ts";
export {
  type Center,
  type DivergenceInterval,
  type Interval,
  medianInterval,
  signCounts,
  summarise,
  summariseFinite,
  SUMMARY_DEFAULTS,
} from "./summary.ts";
