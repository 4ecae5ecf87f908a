/**
 * RGPE, the ranking-weighted Gaussian-process ensemble (Feurer, Letham & Bakshy 2018, "Scalable
 * meta-learning for Bayesian optimization using ranking-weighted Gaussian process ensembles"), as a
 * {@linkcode SurrogateFactory}: one GP per prior task (fitted once, see `fitBaseModels`) plus a GP
 * on the target's observations, combined as μ = Σ w_i μ_i and σ² = Σ w_i² σ_i² (standardised
 * units, see `WeightedEnsemble`). The weight of a model is the share of bootstrap resamples of the
 * target data in which it misranks the fewest pairs of observations; the target model is ranked by
 * its leave-one-out predictions, so that it cannot win by interpolating its own data. Weight
 * dilution prevention drops base models whose median loss exceeds the 95th percentile of the
 * target's. Below `minPoints` target observations every model gets the same weight.
 *
 * Checked against the paper's Algorithm 1 and its text: the ranking loss counts the misranked
 * ordered pairs of the target observations, L = Σ_j Σ_k 1[(μ(x_j) < μ(x_k)) ⊕ (y_j < y_k)], on
 * S bootstrap resamples of them (a pair counted with the product of its indices' multiplicities);
 * for the target model the paper (eq. 3) uses, for the pairs (j, k), the GP refitted without
 * x_j at both points, μ₋ⱼ(x_j) against μ₋ⱼ(x_k) (`targetLoss: "pairwise"`); the default,
 * `targetLoss: "means"`, which the committed results were measured with, differs: it compares
 * each point's own leave-one-out mean, μ₋ⱼ(x_j) against μ₋ₖ(x_k) (hyperparameters fixed in
 * both), which counts more misranked pairs for the target and so gives the past tasks more
 * weight (the two measured side by side in `results/transfer/pairwise/` of the repository); w_i is
 * the share of resamples in which model i has the lowest loss (ties share it: the expectation of
 * breaking them at random); dilution prevention discards base model i when the median of its losses
 * exceeds the 95th percentile of the target's. The ensemble variance Σ w_i² σ_i² is the paper's.
 *
 * RGPE's known weakness is late convergence: base models keep weight as long as they order the
 * target's observations about as well as the target's own leave-one-out predictions do, and near
 * the optimum the mixture's mean stays pulled towards the past tasks' optima, while the variance
 * (shrunk by w²) leaves little exploration. `transferOptions`' `rgpe-gp` strategy hands over to
 * plain GP-BO after twice the initial design's number of evaluations for this reason.
 *
 * With `relevance` set (a level α; `transferOptions`' default strategy sets 0.05), a base model
 * keeps a weight only while it orders the target's observations better than chance: one-sided
 * Kendall tests, corrected for the number of base models (Holm, or Benjamini–Hochberg; see
 * `relevantModels`), so that when no past task is related to the target every base model is
 * dropped together with probability at least 1 − α and the ensemble is the target GP alone.
 * This is not in the paper: its weights, a share of bootstrap wins, go to some base model even
 * when all of them rank the target's few observations by luck. The guarantee assumes that, for an
 * unrelated task, every order of the observations is equally likely; the points of a run cluster
 * and nearby values of smooth functions move together, so in practice an unrelated task passes
 * more often than α (measured on the GP-prior family in `results/transfer/relevance/`).
 *
 * With `budget` set (a number, or `"study"` for the run's budget through `transferOptions`), the
 * probabilistic pruning of the authors' later implementation is added,
 * which hands the weight to the target model as the budget runs out. On the MetaBO families it
 * removes RGPE's late stagnation (log Goldstein-Price, 4 held-out tasks × 5 seeds: mean normalised
 * regret after 50 evaluations 0.035 → 0.005; plain GP-BO 0.003) at a small cost after 10
 * (0.096 → 0.117; GP-BO 0.239).
 *
 * Fantasies (a fit with `mode: "keep"`: `bayesOpt`'s kriging believer for batches and pending
 * trials, Ginsbourger, Le Riche & Carraro 2010) keep the model and add the believed points as
 * data: the weights are those of the previous fit (when it is this factory's), not recomputed,
 * and the target GP is that fit's conditioned on the believed points at its own posterior mean
 * there, at its hyperparameters, standardisation and constant mean (`targetFitter`). The weights
 * are estimated from the data as the hyperparameters are; recomputed on the believed values,
 * which are the ensemble's own mean, they would move the ensemble's mean far from those points
 * and could raise its variance (w_target² grows). Kept, only the target member changes, by
 * Gaussian conditioning on its own mean: the ensemble's mean is unchanged everywhere (at the
 * believed points it is the believed value, as for a GP), and Σ w_i² σ̃_i² nowhere rises: as
 * BoTorch's `fantasize`, which conditions a model on the fantasies without refitting it.
 * (Conditioning the target on the believed values themselves would pull it, and the ensemble's
 * mean, towards the past tasks' prediction at those points.)
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { gpFactory, type GpFactoryOptions } from "../gp/gp.ts";
import type { Surrogate, SurrogateFactory } from "../models/surrogate.ts";
import {
  type BaseModel,
  standardizedMean,
  targetFitter,
  targetWarmStartState,
} from "./base_models.ts";
import { type EnsembleMember, WeightedEnsemble } from "./ensemble.ts";
import {
  dilutionQuantileSchema,
  leaveOneOutMeans,
  leaveOneOutPredictions,
  type RankingPredictions,
  rankingWeights,
  relevanceLevelSchema,
  type RelevanceMethod,
  relevanceMethodSchema,
} from "./ranking.ts";
import { nonNegativeIntSchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

/** Options of {@linkcode rgpe}; defaults in {@linkcode RGPE_DEFAULTS}. */
export interface RgpeOptions {
  /** Bootstrap resamples S of the ranking losses. */
  samples?: number;
  /** Quantile of the target's losses above which a base model's median loss drops it, or false. */
  dilutionQuantile?: number | false;
  /** Below this many target observations the weights are uniform. */
  minPoints?: number;
  /**
   * Level of the relevance test, or false (the paper's RGPE, the default of `rgpe`): a base model
   * keeps a weight only while it orders the target's observations better than chance (one-sided
   * Kendall tests corrected over the base models, see `relevantModels`). `transferOptions`'
   * default strategy sets 0.05.
   */
  relevance?: number | false;
  /** The relevance test's correction for many base models: `"holm"` (default) or `"bh"`. */
  relevanceMethod?: RelevanceMethod;
  /**
   * The optimisation budget, when known: adds the authors' probabilistic pruning, which hands
   * the weight over to the target model as the budget runs out (see `rankingWeights`).
   * `"study"`: the budget of the run, read at each fit from the proposal context
   * (`ProposalContext.budget`, set by `minimize`); this needs the context to reach the surrogate,
   * which `transferOptions` arranges (with `rgpe(…)` alone, or for plain ask/tell, there is no
   * budget and no pruning).
   */
  budget?: number | "study";
  /**
   * How the target model's ranking loss is counted (default `"means"`):
   * - `"pairwise"`: the paper's (Feurer et al. 2018, eq. 3, and the authors' implementation):
   *   for each pair (j, k), the GP refitted without observation j predicts at both x_j and x_k,
   *   Σ_j Σ_k [(μ₋ⱼ(x_j) < μ₋ⱼ(x_k)) ⊕ (y_j < y_k)] (`leaveOneOutPredictions`);
   * - `"means"`: each point's own leave-one-out mean on both sides of the pair,
   *   Σ_j Σ_k [(μ₋ⱼ(x_j) < μ₋ₖ(x_k)) ⊕ (y_j < y_k)] (`leaveOneOutMeans`). Both sides then carry
   *   a leave-one-out error, so the target misranks more pairs than with `"pairwise"` and the
   *   past tasks get more of the weight.
   */
  targetLoss?: "means" | "pairwise";
  /** Settings of the target GP (fitted at every step). */
  gp?: GpFactoryOptions;
}

/**
 * Defaults of {@linkcode rgpe}: S = 256 bootstrap resamples (the cost is S·models·n² comparisons
 * per fit), dilution quantile 0.95 (the paper's), uniform weights below 3 target observations (as
 * the authors' implementation), target GP with `fitGP`'s defaults.
 *
 * @example
 * ```ts
 * import { RGPE_DEFAULTS } from "./rgpe.ts";
 * console.log(RGPE_DEFAULTS.dilutionQuantile); // 0.95
 * ```
 */
export const RGPE_DEFAULTS: Readonly<
  { samples: number; dilutionQuantile: number; minPoints: number }
> = Object.freeze({ samples: 256, dilutionQuantile: 0.95, minPoints: 3 });

/**
 * The schema of a transfer surrogate's target-GP settings (`RgpeOptions.gp`,
 * `KernelWeightOptions.gp`): what `gpFactory` accepts, checked by `gpFactory` itself when the
 * options are read (its rules apply unchanged, so a bad setting is refused before any run rather
 * than at the first fit), each problem reported at its own path under the option's name, e.g.
 * `transfer options.rgpe.gp.kernel: must be one of "rbf", "matern12", "matern32", "matern52"`.
 *
 * @example
 * ```ts
 * import { gpOptionsSchema } from "./rgpe.ts";
 * gpOptionsSchema.safeParse({ kernel: "matern32", restarts: 2 }).success; // true
 * gpOptionsSchema.safeParse({ kernel: "matern-52" }).success; // false, at path ["kernel"]
 * ```
 */
export const gpOptionsSchema: z.ZodType<Record<string, unknown>> = z.record(
  z.string(),
  z.unknown(),
).superRefine((options, ctx) => {
  let message: string;
  try {
    gpFactory(options as GpFactoryOptions);
    return;
  } catch (error) {
    message = String((error as Error)?.message ?? error);
  }
  // gpFactory's message lists its problems as `gpFactory: options.path: problem`, joined by "; "
  // (`formatIssues`): each becomes an issue at its own path; anything else is kept whole.
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const piece of message.split("; ")) {
    const match = /^gpFactory: options((?:\.[A-Za-z_$][\w$]*|\[\d+\])*): ([^]*)$/.exec(piece);
    if (match) {
      const path = [...match[1].matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) =>
        m[1] ?? Number(m[2])
      );
      issues.push({ path, message: match[2] });
    } else if (issues.length > 0) {
      issues[issues.length - 1].message += `; ${piece}`;
    } else {
      issues.push({ path: [], message: piece });
    }
  }
  for (const issue of issues) ctx.addIssue({ code: "custom", ...issue });
});

/** The schema of {@linkcode RgpeOptions} (also checks `transferOptions`' `rgpe`). */
export const rgpeOptionsSchema = z.strictObject({
  samples: positiveIntSchema.optional(),
  dilutionQuantile: dilutionQuantileSchema.optional(),
  minPoints: nonNegativeIntSchema.optional(),
  relevance: z.union([relevanceLevelSchema, z.literal(false)]).optional(),
  relevanceMethod: relevanceMethodSchema.optional(),
  budget: z.union([positiveIntSchema, z.literal("study")]).optional(),
  targetLoss: z.enum(["means", "pairwise"]).optional(),
  gp: gpOptionsSchema.optional(),
});

/** Throws unless `models` is a non-empty list of base models of one dimension. */
export function checkBaseModels(models: readonly BaseModel[], label: string): number {
  if (!Array.isArray(models) || models.length === 0) {
    throw new TypeError(`${label}: needs at least one base model (see fitBaseModels)`);
  }
  models.forEach((m, i) => {
    if (typeof m?.gp?.predict !== "function") {
      throw new TypeError(`${label}[${i}].gp: must be a fitted GaussianProcess`);
    }
    if (m.gp.dim !== models[0].gp.dim) {
      throw new RangeError(`${label}[${i}]: dim ${m.gp.dim} ≠ ${models[0].gp.dim}`);
    }
  });
  return models[0].gp.dim;
}

/** Throws a `RangeError` unless the points passed to `fit` have the base models' dimension. */
export function checkFitDimension(
  points: readonly Float64Array[],
  dim: number,
  label: string,
): void {
  if (points.length > 0 && points[0].length !== dim) {
    throw new RangeError(
      `${label}: points have ${points[0].length} dimensions, base models ${dim}`,
    );
  }
}

/**
 * The RGPE surrogate factory (see the module docs); each `fit` returns a
 * {@linkcode WeightedEnsemble} whose `weights` report the ranking weights.
 *
 * @example
 * ```ts
 * import { encodePriorTasks, fitBaseModels } from "./base_models.ts";
 * import { rgpe } from "./rgpe.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const prior = [{ id: "a", trials: [0.1, 0.4, 0.8].map((x) => ({ params: { x }, value: (x - 0.4) ** 2 })) }];
 * const proposer = bayesOpt({ surrogate: rgpe(fitBaseModels(encodePriorTasks(prior, space))) });
 * ```
 */
export function rgpe(
  baseModels: readonly BaseModel[],
  options: RgpeOptions = {},
  studyBudget?: () => number | undefined,
): SurrogateFactory {
  const parsed = parseOrThrow(rgpeOptionsSchema, options, "rgpe options");
  const dim = checkBaseModels(baseModels, "rgpe.baseModels");
  const fitTarget = targetFitter(options.gp);
  const settings = { ...RGPE_DEFAULTS, ...parsed };
  // The weights of each ensemble this factory fitted: a fantasy keeps them (see the module docs).
  const fitted = new WeakMap<Surrogate, Float64Array>();
  return {
    name: "rgpe",
    // A WeightedEnsemble of GPs, not a GP: no "lognei" (bayesOpt refuses it at construction).
    gaussianProcess: false,
    // The target GP's hyperparameters: a stored study resumes its warm starts exactly.
    warmStartState: targetWarmStartState,
    fit(points, values, rng, hints) {
      checkFitDimension(points, dim, "rgpe.fit");
      const target = fitTarget(points, values, rng, hints);
      const count = baseModels.length + 1;
      const kept = hints?.mode === "keep" && hints.previous !== undefined
        ? fitted.get(hints.previous)
        : undefined;
      let weights: Float64Array;
      if (kept !== undefined) {
        weights = kept;
      } else if (points.length < settings.minPoints) {
        weights = new Float64Array(count).fill(1 / count);
      } else {
        const predictions: RankingPredictions[] = baseModels.map((m) =>
          standardizedMean(m.gp, points, { cache: true })
        );
        predictions.push(
          settings.targetLoss === "pairwise"
            ? leaveOneOutPredictions(target, points, values)
            : leaveOneOutMeans(target, points, values),
        );
        weights = rankingWeights(predictions, values, {
          samples: settings.samples,
          dilutionQuantile: settings.dilutionQuantile,
          budget: settings.budget === "study" ? studyBudget?.() : settings.budget,
          relevance: settings.relevance === false ? undefined : settings.relevance,
          relevanceMethod: settings.relevanceMethod,
          rng,
        });
      }
      const members: EnsembleMember[] = baseModels.map((m, i) => ({
        id: m.id,
        gp: m.gp,
        meanWeight: weights[i],
        varianceWeight: weights[i] ** 2,
        fixed: true,
      }));
      members.push({
        id: "target",
        gp: target,
        meanWeight: weights[count - 1],
        varianceWeight: weights[count - 1] ** 2,
      });
      const ensemble = new WeightedEnsemble(target, members);
      fitted.set(ensemble, weights);
      return ensemble;
    },
  };
}
