/**
 * Ranking losses: how well a model orders the target task's observations. They weight the base
 * models of the transfer surrogates (RGPE: Feurer, Letham & Bakshy 2018; TST-R and TAF: Wistuba,
 * Schilling & Schmidt-Thieme 2016, 2018).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { GaussianProcess } from "../gp/gp.ts";
import { cholesky, inverseFromCholesky, packRows } from "../linalg/mod.ts";
import { quantile, rankAgreementPValue } from "../stats/mod.ts";
import type { Rng } from "../random/rng.ts";
import { checkPoint, parseOrThrow, positiveIntSchema, rngSchema } from "../validate.ts";

/**
 * Number of misranked ordered pairs: Σ_j Σ_k [(p_j < p_k) xor (y_j < y_k)].
 *
 * @example
 * ```ts
 * import { misrankedPairs } from "./ranking.ts";
 * misrankedPairs(Float64Array.of(1, 2, 3), Float64Array.of(3, 2, 1)); // 6
 * ```
 */
export function misrankedPairs(predictions: RankingPredictions, values: Float64Array): number {
  return sampleLoss(misrankMatrix(predictions, values), values.length, undefined);
}

/** The misranked pairs as lists: for each j, the k with m[j·n + k] = 1 (CSR layout). */
interface MisrankLists {
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
}

function misrankLists(m: Uint8Array, n: number): MisrankLists {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n * n; i++) total += m[i];
  const columns = new Int32Array(total);
  let at = 0;
  for (let j = 0; j < n; j++) {
    offsets[j] = at;
    for (let k = 0; k < n; k++) if (m[j * n + k]) columns[at++] = k;
  }
  offsets[n] = at;
  return { offsets, columns };
}

/**
 * {@linkcode sampleLoss} with multiplicities, from the lists: the same sums of the same (integer)
 * terms in the same order, so the same value, without scanning the zeros of the matrix.
 */
function listLoss(lists: MisrankLists, n: number, counts: Float64Array): number {
  const { offsets, columns } = lists;
  let loss = 0;
  for (let j = 0; j < n; j++) {
    const cj = counts[j];
    if (cj === 0) continue;
    let row = 0;
    for (let t = offsets[j]; t < offsets[j + 1]; t++) row += counts[columns[t]];
    loss += cj * row;
  }
  return loss;
}

/**
 * A model's predictions at the target's n observations for a ranking loss: one value per
 * observation (a `Float64Array` of n), or, for a model that depends on the pair, an n×n matrix
 * `pairwise` (row-major) whose row j holds the predictions at every observation of the model used
 * for the pairs (j, k): the pair counts as misranked when
 * (P[j][j] < P[j][k]) ⊕ (y_j < y_k). The target model's leave-one-out predictions take this form
 * in Feurer et al. 2018, eq. 3 ({@linkcode leaveOneOutPredictions}).
 */
export type RankingPredictions = Float64Array | { readonly pairwise: Float64Array };

/** n×n indicator of misranked ordered pairs. */
function misrankMatrix(predictions: RankingPredictions, values: Float64Array): Uint8Array {
  const n = values.length;
  const m = new Uint8Array(n * n);
  if (!(predictions instanceof Float64Array)) {
    const p = predictions.pairwise;
    if (p.length !== n * n) {
      throw new RangeError(`ranking: ${p.length} pairwise predictions for ${n} values (n² needed)`);
    }
    for (let j = 0; j < n; j++) {
      const own = p[j * n + j];
      for (let k = 0; k < n; k++) {
        m[j * n + k] = (own < p[j * n + k]) !== (values[j] < values[k]) ? 1 : 0;
      }
    }
    return m;
  }
  if (predictions.length !== n) {
    throw new RangeError(`ranking: ${predictions.length} predictions for ${n} values`);
  }
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      m[j * n + k] = (predictions[j] < predictions[k]) !== (values[j] < values[k]) ? 1 : 0;
    }
  }
  return m;
}

/** Loss of one bootstrap sample given the multiplicity of each index (all ones when absent). */
function sampleLoss(m: Uint8Array, n: number, counts: Float64Array | undefined): number {
  let loss = 0;
  for (let j = 0; j < n; j++) {
    const cj = counts ? counts[j] : 1;
    if (cj === 0) continue;
    let row = 0;
    for (let k = 0; k < n; k++) if (m[j * n + k]) row += counts ? counts[k] : 1;
    loss += cj * row;
  }
  return loss;
}

/**
 * Leave-one-out posterior means of a fitted GP at its own training points, in standardised
 * units, with its hyperparameters held fixed (closed form, Rasmussen & Williams 2006 eq. 5.12,
 * with the GP's prior mean c, `hyperparameters.meanConstant`, held fixed too):
 * μ₋ᵢ = ỹᵢ − [K⁻¹(ỹ − c)]ᵢ / [K⁻¹]ᵢᵢ, where K includes the noise. With the default zero mean
 * (c = 0) this is the textbook μ₋ᵢ = ỹᵢ − [K⁻¹ỹ]ᵢ / [K⁻¹]ᵢᵢ; with `mean: "constant"` it is the
 * mean of the GP refitted without point i at the same hyperparameters and the same c.
 *
 * @example
 * ```ts
 * import { fitGP } from "../gp/gp.ts";
 * import { leaveOneOutMeans } from "./ranking.ts";
 * const x = [0.1, 0.3, 0.5, 0.7].map((v) => Float64Array.of(v));
 * const y = Float64Array.of(1, 2, 3, 4);
 * leaveOneOutMeans(fitGP(x, y), x, y);
 * ```
 */
export function leaveOneOutMeans(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  values: Float64Array,
): Float64Array {
  const { n, inverse, scaled, alpha } = leaveOneOutParts(gp, points, values, "leaveOneOutMeans");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scaled[i] - alpha[i] / inverse[i * n + i];
  return out;
}

/**
 * What the leave-one-out formulas need from a GP fitted to `values` at `points`: A = K⁻¹ (K with
 * the noise and jitter on its diagonal), the standardised values ỹ and α = A(ỹ − c), with the
 * GP's hyperparameters, standardisation and prior mean c held fixed.
 */
function leaveOneOutParts(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  values: Float64Array,
  label: string,
): { n: number; inverse: Float64Array; scaled: Float64Array; alpha: Float64Array; noise: number } {
  const n = points.length;
  if (values.length !== n || gp.size !== n) {
    throw new RangeError(`${label}: ${n} points, ${values.length} values, GP of ${gp.size}`);
  }
  const theta = gp.logHyperparameters.subarray(0, gp.kernel.size);
  const k = gp.kernel.gram(theta, packRows(points, gp.dim), n);
  const noise = gp.hyperparameters.noise + gp.jitter;
  for (let i = 0; i < n; i++) k[i * n + i] += noise;
  const inverse = inverseFromCholesky(cholesky(k, n).lower, n);
  const { mean, std } = gp.standardization;
  const scaled = values.map((v) => (v - mean) / std);
  // The residuals from the prior mean (ỹ itself for the zero mean: v − 0 is v exactly).
  const c = gp.hyperparameters.meanConstant;
  const residual = scaled.map((v) => v - c);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += inverse[i * n + j] * residual[j];
    alpha[i] = sum;
  }
  return { n, inverse, scaled, alpha, noise };
}

/**
 * The target GP's leave-one-out predictions in the pairwise form of Feurer et al. 2018 (eq. 3):
 * the n×n matrix P with P[j][k] = μ₋ⱼ(x_k), the posterior mean at x_k of the GP refitted without
 * observation j at the same hyperparameters (and prior mean c), in standardised units. The paper's
 * ranking loss of the target model, Σ_j Σ_k [(μ₋ⱼ(x_j) < μ₋ⱼ(x_k)) ⊕ (y_j < y_k)], compares one
 * model at both points of a pair: the one that has not seen x_j. Closed form from A = K⁻¹ (K with
 * the noise σ² on its diagonal) and α = A(ỹ − c): the diagonal is {@linkcode leaveOneOutMeans}'s
 * ỹ_j − α_j / A_jj, and off it μ₋ⱼ(x_k) = ỹ_k − σ²(α_k − A_kj α_j / A_jj) (the inverse of K without
 * row and column j is A's block less A_{·j}A_{j·}/A_jj; at a training point x_k the noiseless
 * covariance is K's row less σ² at k).
 *
 * @example
 * ```ts
 * import { leaveOneOutPredictions } from "./ranking.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const x = [0.1, 0.3, 0.5, 0.7].map((v) => Float64Array.of(v));
 * const y = Float64Array.of(1, 2, 3, 4);
 * leaveOneOutPredictions(fitGP(x, y), x, y).pairwise.length; // 16
 * ```
 */
export function leaveOneOutPredictions(
  gp: GaussianProcess,
  points: readonly Float64Array[],
  values: Float64Array,
): { pairwise: Float64Array } {
  const { n, inverse, scaled, alpha, noise } = leaveOneOutParts(
    gp,
    points,
    values,
    "leaveOneOutPredictions",
  );
  const pairwise = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const ratio = alpha[j] / inverse[j * n + j];
    for (let kk = 0; kk < n; kk++) {
      pairwise[j * n + kk] = kk === j
        ? scaled[j] - ratio
        : scaled[kk] - noise * (alpha[kk] - inverse[kk * n + j] * ratio);
    }
  }
  return { pairwise };
}

/**
 * Ranking losses of several models on bootstrap samples of the target data: `losses[model][s]`
 * is the number of misranked pairs of model `model` on the s-th resample (n indices drawn with
 * replacement; a pair is counted with the product of its indices' multiplicities).
 *
 * @example
 * ```ts
 * import { bootstrapRankingLosses } from "./ranking.ts";
 * import { Rng } from "../random/rng.ts";
 * const y = Float64Array.of(1, 2, 3);
 * const losses = bootstrapRankingLosses([y, y.map((v) => -v)], y, 10, new Rng(0));
 * ```
 */
export function bootstrapRankingLosses(
  predictions: readonly RankingPredictions[],
  values: Float64Array,
  samples: number,
  rng: Rng,
): Float64Array[] {
  parseOrThrow(positiveIntSchema, samples, "bootstrapRankingLosses samples");
  const n = values.length;
  const lists = predictions.map((p) => misrankLists(misrankMatrix(p, values), n));
  const losses = predictions.map(() => new Float64Array(samples));
  const counts = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.integer(n)]++;
    lists.forEach((l, model) => (losses[model][s] = listLoss(l, n, counts)));
  }
  return losses;
}

/** Options of {@linkcode rankingWeights}. */
export interface RankingWeightOptions {
  /** Number of bootstrap resamples S. */
  samples: number;
  /** Drop base models whose median loss exceeds this quantile of the target's (or `false`). */
  dilutionQuantile: number | false;
  /**
   * The optimisation budget, when known: enables the authors' later, probabilistic pruning too
   * (a base model is kept with probability share(loss_i < loss_target)·(1 − n/budget)).
   */
  budget?: number;
  /**
   * Level α of the relevance test (or absent: no test): a base model keeps a weight only when it
   * orders the target's observations better than chance, by one-sided Kendall tests corrected
   * over the base models ({@linkcode relevantModels}).
   */
  relevance?: number;
  /** The relevance test's correction for many base models (default `"holm"`). */
  relevanceMethod?: RelevanceMethod;
  /** Resampling and pruning randomness. */
  rng: Rng;
}

/**
 * A level of the relevance test ({@linkcode relevantModels}, `RankingWeightOptions.relevance`): a
 * number in (0, 1).
 *
 * @example
 * ```ts
 * import { relevanceLevelSchema } from "./ranking.ts";
 * relevanceLevelSchema.safeParse(0.05).success; // true; 0, 1 and NaN are refused
 * ```
 */
export const relevanceLevelSchema: z.ZodNumber = z.number().gt(0, "must be in (0, 1)")
  .lt(1, "must be in (0, 1)");

/**
 * The dilution quantile of {@linkcode rankingWeights}: a number in [0, 1], or `false` (no
 * dilution prevention).
 *
 * @example
 * ```ts
 * import { dilutionQuantileSchema } from "./ranking.ts";
 * dilutionQuantileSchema.safeParse(0.95).success; // true; 1.5 is refused
 * ```
 */
export const dilutionQuantileSchema: z.ZodType<number | false> = z.union([
  z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]"),
  z.literal(false),
]);

/**
 * The bandwidth ρ of {@linkcode epanechnikovWeight}: a number in (0, 1] (the fraction of
 * discordant pairs lies in [0, 1], so ρ = 1 already keeps every base model).
 *
 * @example
 * ```ts
 * import { bandwidthSchema } from "./ranking.ts";
 * bandwidthSchema.safeParse(0.1).success; // true; 0 is refused
 * ```
 */
export const bandwidthSchema: z.ZodNumber = z.number().positive("must be > 0")
  .max(1, "must be ≤ 1");

/**
 * The relevance test's correction for many base models: `"holm"` or `"bh"`
 * ({@linkcode RelevanceMethod}).
 *
 * @example
 * ```ts
 * import { relevanceMethodSchema } from "./ranking.ts";
 * relevanceMethodSchema.safeParse("bh").success; // true; "bonferroni" is refused
 * ```
 */
export const relevanceMethodSchema: z.ZodType<RelevanceMethod> = z.enum(["holm", "bh"]);

const rankingWeightOptionsSchema = z.strictObject({
  samples: positiveIntSchema,
  dilutionQuantile: dilutionQuantileSchema,
  budget: positiveIntSchema.optional(),
  relevance: relevanceLevelSchema.optional(),
  relevanceMethod: relevanceMethodSchema.optional(),
  rng: rngSchema,
});

/**
 * How {@linkcode relevantModels} corrects for testing many base models: `"holm"` (Holm 1979,
 * step-down: controls the family-wise error, the chance that any unrelated model passes) or
 * `"bh"` (Benjamini & Hochberg 1995, step-up: controls the expected share of unrelated models
 * among those that pass; when no base model is related the two guarantee the same, and with many
 * related ones BH lets more through).
 */
export type RelevanceMethod = "holm" | "bh";

/**
 * Which base models order the target's observations better than chance: the one-sided Kendall
 * test of each model's predictions against the observed values (`rankAgreementPValue`), corrected
 * for the number m of base models so that, when none of them is related to the target, all are
 * rejected together with probability at least 1 − `level`. With the m p-values sorted,
 * p₍₁₎ ≤ … ≤ p₍ₘ₎, Holm passes p₍₁₎…p₍ₖ₎ while each p₍ᵢ₎ ≤ level/(m − i + 1); Benjamini–Hochberg
 * passes p₍₁₎…p₍ₖ₎ for the largest k with p₍ₖ₎ ≤ k·level/m. Ties among the values carry no
 * evidence, so targets whose observations are mostly tied (a discrete metric) need more of them.
 *
 * @throws {TypeError} naming the argument for a `level` outside (0, 1) (`relevantModels level:
 * must be in (0, 1)`) or another `method`.
 * @throws {RangeError} naming the entry when a prediction or a value is NaN, which has no order
 * (`relevantModels predictions[0][3]: must not be NaN`).
 *
 * @example
 * ```ts
 * import { relevantModels } from "./ranking.ts";
 * const y = Float64Array.of(1, 2, 3, 4, 5, 6, 7);
 * relevantModels([y, y.map((v) => -v)], y, 0.05); // [true, false]
 * ```
 */
export function relevantModels(
  predictions: readonly Float64Array[],
  values: Float64Array,
  level: number,
  method: RelevanceMethod = "holm",
): boolean[] {
  parseOrThrow(relevanceLevelSchema, level, "relevantModels level");
  parseOrThrow(relevanceMethodSchema, method, "relevantModels method");
  values.forEach((v, j) => {
    if (Number.isNaN(v)) throw new RangeError(`relevantModels values[${j}]: must not be NaN`);
  });
  predictions.forEach((prediction, i) =>
    prediction.forEach((v, j) => {
      if (Number.isNaN(v)) {
        throw new RangeError(`relevantModels predictions[${i}][${j}]: must not be NaN`);
      }
    })
  );
  const p = predictions.map((prediction) => rankAgreementPValue(prediction, values));
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const m = order.length;
  let passing = 0;
  if (method === "bh") {
    for (let k = 0; k < m; k++) if (p[order[k]] <= ((k + 1) * level) / m) passing = k + 1;
  } else {
    while (passing < m && p[order[passing]] <= level / (m - passing)) passing++;
  }
  const pass = p.map(() => false);
  for (let k = 0; k < passing; k++) pass[order[k]] = true;
  return pass;
}

/**
 * RGPE weights (Feurer et al. 2018, Algorithm 1): the share of bootstrap resamples in which each
 * model has the lowest ranking loss (ties share the sample equally). The target model, last in
 * `predictions`, is ranked by its leave-one-out predictions: the paper's pairwise form
 * ({@linkcode leaveOneOutPredictions}) or the leave-one-out means ({@linkcode leaveOneOutMeans});
 * the base models' predictions are one per value. Weight dilution prevention: a base
 * model whose median loss exceeds the `dilutionQuantile` (0.95) quantile of the target model's
 * losses gets weight 0 (its resamples go to the remaining models). With a `budget`, the pruning
 * of the authors' implementation (transfer-hpo-framework) is applied as well: base model i is
 * kept with probability p_i·(1 − n/budget), p_i being the share of resamples in which it ranks
 * better than the target model, so that the target takes over as the budget runs out. With a
 * `relevance` level, base models that do not order the observations better than chance
 * ({@linkcode relevantModels}) get weight 0 too.
 *
 * @throws {TypeError} naming the option for bad options (`rankingWeights options.samples: must be
 * a positive integer`, `options.budget` likewise, `options.relevance: must be in (0, 1)`).
 * @throws {RangeError} naming the value that is not finite (`rankingWeights values[1]: must be
 * finite, got NaN`).
 *
 * @example
 * ```ts
 * import { rankingWeights } from "./ranking.ts";
 * import { Rng } from "../random/rng.ts";
 * const y = Float64Array.of(1, 2, 3, 4, 5);
 * const w = rankingWeights([y, y.map((v) => -v), y.map((v) => v * v)], y, {
 *   samples: 100, dilutionQuantile: 0.95, rng: new Rng(0),
 * });
 * ```
 */
export function rankingWeights(
  predictions: readonly RankingPredictions[],
  values: Float64Array,
  options: RankingWeightOptions,
): Float64Array {
  parseOrThrow(rankingWeightOptionsSchema, options, "rankingWeights options");
  checkPoint(values, values?.length, "rankingWeights values", { finite: true });
  const losses = bootstrapRankingLosses(predictions, values, options.samples, options.rng);
  const target = losses.length - 1;
  const n = values.length;
  const base = predictions.slice(0, target).map((p, i) => {
    if (p instanceof Float64Array) return p;
    throw new TypeError(`rankingWeights: predictions[${i}] of a base model must be one per value`);
  });
  const relevant = options.relevance === undefined ? undefined : relevantModels(
    base,
    values,
    options.relevance,
    options.relevanceMethod,
  );
  const active = losses.map((l, i) => {
    if (i === target) return true;
    if (relevant && !relevant[i]) return false;
    if (
      options.dilutionQuantile !== false &&
      quantile(l, 0.5) > quantile(losses[target], options.dilutionQuantile)
    ) return false;
    if (options.budget === undefined) return true;
    const better = l.reduce((count, loss, s) => count + (loss < losses[target][s] ? 1 : 0), 0);
    const keep = (better / l.length) * Math.max(0, 1 - n / options.budget);
    return options.rng.uniform() < keep;
  });
  const weights = new Float64Array(losses.length);
  for (let s = 0; s < options.samples; s++) {
    let best = Infinity;
    for (let i = 0; i < losses.length; i++) if (active[i]) best = Math.min(best, losses[i][s]);
    let ties = 0;
    for (let i = 0; i < losses.length; i++) if (active[i] && losses[i][s] === best) ties++;
    for (let i = 0; i < losses.length; i++) {
      if (active[i] && losses[i][s] === best) weights[i] += 1 / (ties * options.samples);
    }
  }
  return weights;
}

/**
 * Kernel weights of TST-R and TAF (Wistuba et al. 2016, 2018): the fraction ξ of discordant pairs
 * (misranked unordered pairs over n(n−1)/2) through the Epanechnikov kernel,
 * w = ¾·(1 − (ξ/ρ)²) for ξ ≤ ρ, else 0. With fewer than two points every ξ is 0. The weight is
 * deterministic: no resampling (unlike {@linkcode rankingWeights}' bootstrap).
 *
 * @throws {TypeError} naming the argument for a bandwidth outside (0, 1] (`epanechnikovWeight
 * bandwidth: must be > 0`).
 *
 * @example
 * ```ts
 * import { epanechnikovWeight } from "./ranking.ts";
 * epanechnikovWeight(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3), 0.1); // 0.75
 * ```
 */
export function epanechnikovWeight(
  predictions: Float64Array,
  values: Float64Array,
  bandwidth: number,
): number {
  parseOrThrow(bandwidthSchema, bandwidth, "epanechnikovWeight bandwidth");
  const n = values.length;
  const pairs = (n * (n - 1)) / 2;
  const xi = pairs > 0 ? misrankedPairs(predictions, values) / 2 / pairs : 0;
  return xi <= bandwidth ? 0.75 * (1 - (xi / bandwidth) ** 2) : 0;
}
