/**
 * Split criteria of the CART trees: the impurity a split reduces, written as a *score* of a node's
 * sufficient statistics that a split maximises (the impurity of a child, weighted by its weight,
 * is `constant − score`, so the best split maximises `score(left) + score(right)`).
 *
 * Statistics of a node (weights `w_i`, targets `y_i`, total weight `W`):
 * - `"squared_error"` (regression, variance reduction): `K = 2` statistics `(W, S = Σ w y)`; the
 *   weighted sum of squared errors is `Σ w y² − S²/W`, so the score is `S²/W`.
 * - `"gini"` (classification): `K = C` class weights `c_k`; `W · Gini = W − Σ c_k²/W`, so the
 *   score is `Σ c_k² / W`.
 * - `"entropy"` (classification): `W · H = W log W − Σ c_k log c_k`, so the score is
 *   `Σ c_k log c_k − W log W` (with `0 log 0 = 0`).
 *
 * Breiman, Friedman, Olshen and Stone (1984), *Classification and Regression Trees*, ch. 4 and 8.
 *
 * @module
 */

/** The split criteria: variance reduction for regression, Gini or entropy for classification. */
export type Criterion = "squared_error" | "gini" | "entropy";

/** The criteria of regression trees. */
export const REGRESSION_CRITERIA: readonly Criterion[] = Object.freeze(["squared_error"]);
/** The criteria of classification trees. */
export const CLASSIFICATION_CRITERIA: readonly Criterion[] = Object.freeze(["gini", "entropy"]);

/**
 * The score of a node with statistics `stats[offset .. offset + K)` and total weight `weight`
 * (see the module documentation); larger is purer.
 */
export type CriterionScore = (stats: Float64Array, offset: number, weight: number) => number;

function squaredErrorScore(stats: Float64Array, offset: number, weight: number): number {
  const s = stats[offset + 1];
  return (s * s) / weight;
}

function giniScore(classes: number): CriterionScore {
  return (stats, offset, weight) => {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const c = stats[offset + k];
      sum += c * c;
    }
    return sum / weight;
  };
}

function entropyScore(classes: number): CriterionScore {
  return (stats, offset, weight) => {
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const c = stats[offset + k];
      if (c > 0) sum += c * Math.log(c);
    }
    return sum - weight * Math.log(weight);
  };
}

/**
 * The score function of `criterion` for `classes` classes (0 for regression).
 *
 * @example
 * ```ts
 * import { criterionScore } from "./criterion.ts";
 * const gini = criterionScore("gini", 2);
 * gini(Float64Array.of(2, 2), 0, 4); // (4 + 4) / 4 = 2: W·Gini = 4 − 2 = 2
 * ```
 */
export function criterionScore(criterion: Criterion, classes: number): CriterionScore {
  if (criterion === "squared_error") return squaredErrorScore;
  if (criterion === "gini") return giniScore(classes);
  return entropyScore(classes);
}

/**
 * The weighted impurity `W · impurity` of a node from its statistics: the sum of squared errors
 * (`sumSquares` is `Σ w y²`) for `"squared_error"`, `W · Gini` or `W · H` (nats) otherwise.
 *
 * @example
 * ```ts
 * import { weightedImpurity } from "./criterion.ts";
 * weightedImpurity("gini", 2, Float64Array.of(2, 2), 4); // 2 = 4 · (1 − 0.5² − 0.5²)
 * weightedImpurity("squared_error", 0, Float64Array.of(2, 2), 2, 4); // Σy² − S²/W = 4 − 2 = 2
 * ```
 */
export function weightedImpurity(
  criterion: Criterion,
  classes: number,
  stats: Float64Array,
  weight: number,
  sumSquares = 0,
): number {
  if (weight <= 0) return 0;
  if (criterion === "squared_error") {
    return Math.max(0, sumSquares - (stats[1] * stats[1]) / weight);
  }
  if (criterion === "gini") return weight - giniScore(classes)(stats, 0, weight);
  return -entropyScore(classes)(stats, 0, weight);
}
