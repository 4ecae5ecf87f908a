/**
 * GP-based Bayesian optimisation as a {@linkcode Proposer}: fit a surrogate to the history, build
 * an acquisition function on it, maximise it. Batches and pending trials use the kriging believer:
 * each chosen point joins the data with the surrogate's mean as its value before the next is chosen.
 * A GP of `fitGP` or `gpFactory` is conditioned on it at its hyperparameters, target
 * standardisation and constant mean (`conditionOnObservations`: the same model given one more
 * observation, as BoTorch's `fantasize`); any other surrogate is fitted again with
 * `mode: "keep"`, which the transfer surrogates (RGPE, TST-R, ABLR, FSBO) answer alike: their
 * ensemble weights, feature map and hyperparameters kept, their model of the target task
 * conditioned on the believed points (RGPE's and TST-R's target GP at its own mean, so that the
 * ensemble's mean stays). These hold the believed mean and never raise the variance. A surrogate
 * refitted from scratch does neither: `smac()`'s random forest grows new trees on fresh bootstrap
 * samples for each believed point, which moves its mean there and can raise its variance.
 *
 * The surrogate and the acquisition see the objective values standardised once, here, by the
 * overflow-free {@linkcode standardizeTargets} (mean 0, variance 1): an affine map, under which
 * the maximiser of every built-in acquisition is unchanged, and which keeps the models finite for
 * any finite values (1e-300 … 1e300, huge outliers), where the variance of a model in original
 * units would overflow. Precisely, a `surrogate` factory's `fit` receives the context's values
 * (lower is better: negated when the study maximises; failed trials at the worst value unless
 * `failedTrials: "ignore"`), standardised, then transformed by `outcomeTransform` (Yeo–Johnson
 * for the default GP, none for a factory of your own unless asked), plus, for a surrogate that
 * is not such a GP, the kriging believer's fantasies (in the same units: the transform fitted to
 * the observations is not refitted); its predictions, the acquisition context's `best` and
 * `values` are in those units, not the objective's.
 *
 * What a custom surrogate or acquisition returns is checked where it is used, and an error names
 * the component and the field: a `fit` that throws (rethrown as `bayesOpt: surrogate "name" fit:
 * …`, the original as `cause`), returns a promise, no surrogate, or one of another `dim`; a
 * prediction with a non-finite mean, a NaN or negative variance, or the wrong number of entries;
 * an acquisition builder returning no acquisition, an `evaluate` not returning a `Float64Array`
 * of one value per point, or NaN at every candidate. In `minimize`, such an error stops the run
 * with a `MinimizeStopped` that keeps the trials evaluated so far.
 *
 * Conditional spaces (parameters defined with `when`): the surrogate sees canonical encoded
 * points, in which every column of an inactive parameter holds `INACTIVE_VALUE` (0.5). Studies
 * record `space.encode(params)` of each trial, and every proposal is projected by the
 * acquisition optimiser (`project` = the space's encode∘decode, which resets inactive columns;
 * its polishing step holds those columns fixed, since the projection does not follow a move of
 * them), so the GP never sees a non-canonical inactive value and a proposal never differs from
 * an evaluated configuration in inactive columns only. This is the constant imputation of
 * inactive dimensions (Lévesque et al. 2017, "Bayesian optimization for conditional
 * hyperparameter spaces"): the default Matérn ARD kernel is used unchanged, configurations of
 * different branches differ through the parent's columns, and the imputed constant sits at most
 * 0.5 from any active value. Kernels that model inactivity explicitly (the arc kernel of Swersky
 * et al. 2014, "Raiders of the lost architecture") can be plugged in through `surrogate`, whose
 * factory receives the space (`FitHints.space`, with `space.activeColumns(u)`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import {
  expectedImprovement,
  logExpectedImprovement,
  logNoisyExpectedImprovement,
  logProbabilityOfImprovement,
  lowerConfidenceBound,
  probabilityOfImprovement,
  thompsonSampling,
} from "../acquisition/mod.ts";
import { hasSamplePaths } from "../acquisition/thompson.ts";
import {
  type AcquisitionFunction,
  checkedMeans,
  checkPrediction,
} from "../acquisition/acquisition.ts";
import {
  AllCandidatesExcludedError,
  isNear,
  optimizeAcquisition,
} from "../acquisition/optimize.ts";
import {
  LOCAL_SEARCH_DEFAULTS,
  localSearch,
  type LocalSearchOptions,
} from "../acquisition/local_search.ts";
import { lognormalExpectedImprovement } from "../acquisition/expected_improvement.ts";
import { conditionOnObservations, gpFactory } from "../gp/gp.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import { logScaled, yeoJohnson } from "../models/outcome_transform.ts";
import type { FitHints, Surrogate, SurrogateFactory } from "../models/surrogate.ts";
import type { Space } from "../space/space.ts";
import type { Rng } from "../random/rng.ts";
import {
  isPromiseLike,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";
import type { ProposalContext, Proposer } from "./proposer.ts";

/** Built-in acquisitions by name. */
export type AcquisitionName =
  | "logei"
  | "ei"
  | "pi"
  | "logpi"
  | "lcb"
  | "ts"
  | "lognormal-ei"
  | "lognei";

/**
 * How the acquisition is maximised: `"lbfgsb"` (multi-start L-BFGS-B from Sobol raw samples,
 * {@linkcode optimizeAcquisition}), `"local-search"` (SMAC's local and sorted random search over
 * the one-exchange neighbourhood, {@linkcode localSearch}) or `"auto"` (see
 * {@linkcode chooseAcquisitionOptimizer}).
 */
export type AcquisitionOptimizerName = "lbfgsb" | "local-search" | "auto";

/** Settings of the local search (see {@linkcode LOCAL_SEARCH_DEFAULTS}). */
export type LocalSearchSettings = Pick<
  LocalSearchOptions,
  | "randomSamples"
  | "localStarts"
  | "randomStarts"
  | "maxSteps"
  | "plateauSteps"
  | "improvement"
  | "continuousNeighbours"
  | "stepScale"
  | "maxCandidates"
>;

/**
 * What an acquisition builder is given besides the surrogate: the data the surrogate was fitted
 * to, in the same (standardised) units, so that data-dependent acquisitions such as TAF need
 * nothing else.
 */
export interface AcquisitionContext {
  /**
   * The best (lowest) value observed so far, in the units the surrogate was fitted in (after
   * `outcomeTransform`).
   */
  best: number;
  /** Randomness for stochastic acquisitions (Thompson sampling). */
  rng: Rng;
  /** Encoded points with an observed value (complete trials, and failed ones when imputed). */
  points: readonly Float64Array[];
  /** Their values, standardised (mean 0, variance 1) as the surrogate saw them. */
  values: Float64Array;
  /**
   * Points being evaluated or already chosen for this batch; the surrogate holds them at its own
   * posterior mean (kriging believer), so they are not observations.
   */
  pending: readonly Float64Array[];
}

/**
 * Builds an acquisition function on a fitted surrogate: `bayesOpt`'s `acquisition` option. The
 * acquisition is maximised; it must return one value per point from `evaluate` (a
 * `Float64Array`), and may give `valueAndGradient` for gradient-based optimisation (L-BFGS-B).
 * The surrogate predicts in the units of `context.values` (standardised: see
 * {@linkcode AcquisitionContext}); read its means with `predictMean`. An error thrown by the
 * builder or by `evaluate` is rethrown naming it (`bayesOpt: acquisition "custom" builder: …`,
 * `bayesOpt: acquisition "gap" evaluate: …`, the original as `cause`).
 *
 * @example Two builders: a lower confidence bound with gradients (`marginalAcquisition` of μ
 * and σ), and a gradient-free one from the means alone
 * ```ts
 * import { type AcquisitionBuilder, bayesOpt } from "./bayes_opt.ts";
 * import { minimize } from "./minimize.ts";
 * import { marginalAcquisition } from "../acquisition/acquisition.ts";
 * import { predictMean } from "../models/surrogate.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * // μ − 2σ, negated to be maximised: ∂/∂μ = −1, ∂/∂σ = 2
 * const lcb2: AcquisitionBuilder = (surrogate) =>
 *   marginalAcquisition("LCB2", surrogate, (mean, sd) => ({
 *     value: 2 * sd - mean,
 *     dMean: -1,
 *     dSd: 2,
 *   }));
 * // the predicted gain over the best observed value (pure exploitation)
 * const gap: AcquisitionBuilder = (surrogate, context) => ({
 *   name: "gap",
 *   dim: surrogate.dim,
 *   evaluate: (points) => predictMean(surrogate, points).map((m) => context.best - m),
 * });
 * const space = defineSpace({ x: float(0, 1) });
 * for (const acquisition of [lcb2, gap]) {
 *   const result = await minimize((p) => (p.x - 0.3) ** 2, space, {
 *     budget: 7,
 *     seed: 0,
 *     proposer: bayesOpt({ acquisition }),
 *   });
 *   result.trials.length; // 7
 * }
 * ```
 */
export type AcquisitionBuilder = (
  surrogate: Surrogate,
  context: AcquisitionContext,
) => AcquisitionFunction;

/** Options of {@linkcode bayesOpt}; defaults in {@linkcode BAYES_OPT_DEFAULTS}. */
export interface BayesOptOptions {
  /**
   * Fits the model; default a Matérn-5/2 ARD GP with Gamma priors and a fitted constant mean (see
   * {@linkcode BAYES_OPT_DEFAULTS}). A factory given here replaces the default GP's outcome
   * transform too: without `outcomeTransform` its `fit` gets the values standardised only, even
   * when it is `gpFactory(BAYES_OPT_DEFAULTS.surrogate)`. `gpFactory`'s own defaults differ from
   * the optimiser's (log-normal priors, zero mean), so the optimiser with only the log-normal
   * priors is `bayesOpt({ surrogate: gpFactory({ priors: "lognormal", mean: "constant" }),
   * outcomeTransform: "yeo-johnson" })`.
   */
  surrogate?: SurrogateFactory;
  /**
   * An acquisition name or builder; default `"logei"`. Names: `"logei"` (LogEI), `"ei"`, `"pi"`,
   * `"logpi"`, `"lcb"`, `"ts"` (Thompson sampling: one pathwise posterior sample per proposal
   * where the surrogate draws them, else one exact joint draw; see `acquisitionOptimizer`),
   * `"lognormal-ei"` (EI of log-scaled costs) and
   * `"lognei"`: the log of noisy expected improvement ({@linkcode logNoisyExpectedImprovement},
   * Letham et al. 2019), for noisy objectives. It needs the GP surrogate (the default, or
   * `gpFactory`), averages LogEI over 32 joint posterior samples at the GP's inputs (the observed
   * points, then the pending ones the kriging believer added), each with its own incumbent, and
   * ignores `incumbentValue`; the samples are drawn from the study's rng once per acquisition.
   * With a `surrogate` whose factory is marked `gaussianProcess: false` (`randomForest`, and the
   * transfer surrogates `rgpe`, `tstr`, `ablr`, `fsbo`) `bayesOpt` throws a `TypeError` when it
   * is called; with a factory that does not say (`gaussianProcess` absent), the first
   * model-based proposal throws one if the fitted surrogate is not a GP.
   */
  acquisition?: AcquisitionName | AcquisitionBuilder;
  /** Scrambled Sobol raw samples of the acquisition optimiser. */
  rawSamples?: number;
  /** L-BFGS-B restarts of the acquisition optimiser. */
  restarts?: number;
  /**
   * Every how many fits the surrogate is fitted from scratch (with all its restarts; the first
   * fit is one); in between, its hyperparameters are warm-started from the previous fit. The fit
   * count and the previous fit's hyperparameters are the proposer's saved state (see
   * {@linkcode bayesOpt}), which a stored study keeps.
   */
  fullRefitEvery?: number;
  /** How the acquisition optimiser picks its L-BFGS-B starts among the raw samples. */
  startSelection?: "best" | "boltzmann";
  /**
   * Extra raw samples of the acquisition optimiser drawn around the incumbents (the best 5% of
   * the observed points by posterior mean, at least one), as BoTorch's `sample_around_best`.
   * Ignored with `acquisition: "ts"`: Thompson sampling proposes the maximiser of one posterior
   * sample, and raw samples crowded around the incumbents would favour the incumbents' basins
   * wherever the optimiser does not refine every basin (a rough path); BoTorch's
   * `gen_batch_initial_conditions` likewise leaves `sample_around_best` off unless asked.
   */
  incumbentSamples?: number;
  /**
   * Standard deviation of those perturbations in unit-cube coordinates; a list splits the samples
   * evenly over its scales.
   */
  incumbentScale?: number | readonly number[];
  /**
   * Transform of the objective values before the surrogate is fitted: `"yeo-johnson"`
   * ({@linkcode yeoJohnson}, λ by maximum likelihood) or `"none"`. Default: `"yeo-johnson"` when
   * `surrogate` is absent, `"none"` whenever a `surrogate` is given, whatever the factory (transfer
   * surrogates compare the target's values with other tasks' and get them untransformed). A value
   * given here is used with any surrogate: `surrogate: gpFactory(BAYES_OPT_DEFAULTS.surrogate)`
   * with `outcomeTransform: "yeo-johnson"` proposes exactly as the default. `"log-scaled"`: SMAC's
   * log-scaled costs (`RunHistoryLogScaledEncoder`: `log((y − lo)/(max − lo))`, `lo` below the
   * minimum by its distance to the 5th percentile), for use with `acquisition: "lognormal-ei"`.
   */
  outcomeTransform?: "yeo-johnson" | "log-scaled" | "none";
  /**
   * How the acquisition is maximised (default `"auto"`: L-BFGS-B for the default GP on a
   * continuous space, local search otherwise; see {@linkcode chooseAcquisitionOptimizer}). With
   * `"ts"`, L-BFGS-B and pool mode draw one pathwise posterior sample per proposal when the
   * fitted surrogate has `samplePaths` (the GP with an RBF or Matérn kernel, the default one
   * included: `thompsonSampling(…, { sampler: "pathwise" })`, Wilson et al. 2020) and maximise
   * it as any differentiable acquisition (raw samples, then L-BFGS-B from the best; every pool
   * member in pool mode), at O(F + n) per point instead of a joint draw's O(m³) on m candidates.
   * Otherwise — local search (conditional or mostly categorical spaces), the `categorical:
   * "hamming"` GP, a surrogate without `samplePaths` — and with any acquisition marked `sampled`,
   * both optimisers take the best of ONE exact joint posterior draw over one candidate set, as
   * BoTorch's `MaxPosteriorSampling`: L-BFGS-B's projected raw samples (or the pool), or the local
   * search's starts, their one-exchange neighbourhoods and random samples (at most
   * `localSearch.maxCandidates`, 1024). A batch takes each point from a fresh path or draw, after
   * the kriging believer has added the points before it, and `retrainAfter` k the k best of one.
   */
  acquisitionOptimizer?: AcquisitionOptimizerName;
  /** Settings of the local search, when it is used. */
  localSearch?: LocalSearchSettings;
  /**
   * The incumbent value that improvement-based acquisitions compare against (`best`):
   * `"observed"` (default) the lowest observed value, `"predicted"` the lowest posterior mean
   * over the observed points (SMAC3's `ConfigSelector` with `predict_x_best=True`), which does
   * not chase a lucky observation that the model itself does not believe.
   */
  incumbentValue?: "observed" | "predicted";
  /**
   * How many configurations one fit of the surrogate proposes (SMAC3's `ConfigSelector`
   * `retrain_after`; default 1: a fit per proposal). With k > 1 a fit yields the acquisition
   * optimiser's k best distinct candidates (with local search, those of `localSearch.candidates`:
   * `"ends"` gives SMAC3 2.0's list, the sorted random samples and the end point of each local
   * search), proposed one after the other while fewer
   * than k observations have joined the history since the fit (every trial counts, random ones
   * included, as in SMAC3); a candidate evaluated, failed or pending meanwhile is skipped. Sequential
   * proposals only: a batch (`q > 1`) fits afresh.
   */
  retrainAfter?: number;
}

/**
 * Defaults of {@linkcode bayesOpt}: LogEI (Ament et al. 2023) on a Matérn-5/2 ARD GP with a fitted
 * constant prior mean (BoTorch's SingleTaskGP `ConstantMean`) fitted to
 * Yeo–Johnson-transformed values (Yeo & Johnson 2000; λ by maximum likelihood, as HEBO,
 * Cowen-Rivers et al. 2022), maximised by L-BFGS-B from the best 5 of 1024 scrambled Sobol raw
 * samples plus 1024 raw samples around the incumbents (the best 5% of the observed points by
 * posterior mean, BoTorch's `sample_around_best`), half with σ = 10⁻³ (polishing the incumbent)
 * and half with σ = 0.1 (the neighbouring basins); the GP is fitted from scratch every 5th
 * proposal and warm-started from the previous hyperparameters in between. A proposal is never
 * within 10⁻⁴ (max-norm, unit cube) of an evaluated (failed included) or pending point while the
 * acquisition optimiser has a candidate farther away; when every candidate it considers is that
 * close to one (a small discrete space evaluated everywhere), it proposes the acquisition's best
 * candidate, an evaluated configuration again. In pool mode the candidates are the unused pool
 * entries, with no distance rule (an entry listed twice can be proposed twice). The acquisition
 * optimiser is chosen by `acquisitionOptimizer: "auto"` ({@linkcode chooseAcquisitionOptimizer}):
 * this L-BFGS-B search for the GP on a space of numeric parameters, SMAC's local search
 * ({@linkcode localSearch}, settings {@linkcode LOCAL_SEARCH_DEFAULTS}) for a surrogate without
 * gradients, a conditional space, or a mostly categorical one.
 *
 * The transform and the incumbent samples were chosen by the ablation of
 * `deno task bench --suite ablation` (README, "Benchmarks"): each design choice toggled alone on
 * eight test functions. The Yeo–Johnson transform compresses the heavy upper tails of functions
 * such as Goldstein–Price and Rosenbrock, the fine incumbent samples find the narrow LogEI peak
 * next to the incumbent that Sobol points miss in 6 dimensions (Hartmann-6), the coarse ones the
 * next basin on multimodal functions (Levy). Pass `outcomeTransform: "none"` and
 * `incumbentSamples: 0` for plain BoTorch-style GP-LogEI.
 *
 * The constant prior mean (`gpFactory({ mean: "constant" })`, fitted with the hyperparameters)
 * lets the GP revert, away from the data, to the level the objective mostly takes rather than to
 * the average of the observations: on a funnel such as Ackley or a function with a few deep basins
 * such as Styblinski–Tang that level lies well above the minima found, so unexplored regions stop
 * looking promising and the search refines the basins it has; the ablation arm `constant-mean`
 * measured it
 * (with BoTorch's own settings it brings Ackley-5 from 5.4 to 3.0, BoTorch's 3.2).
 *
 * The optimiser's GP uses the Gamma priors of BoTorch < 0.12 (lengthscale Gamma(3, 6), noise
 * Gamma(1.1, 0.05), outputscale Gamma(2, 0.15)), not `fitGP`'s default log-normal set of BoTorch
 * ≥ 0.12, which blurs a deterministic objective (the log-normal lengthscale prior has median ≈ 10
 * for d = 6, the noise prior sits around 0.02); the ablation's `priors-lognormal` arm measured
 * it (against the optimiser's GP of then, which had a zero mean; `results/ablation/`). For the
 * other set and nothing else changed, pass `surrogate: gpFactory({ priors: "lognormal", mean:
 * "constant" })` with `outcomeTransform: "yeo-johnson"`: a `surrogate` alone also drops the
 * outcome transform, and `gpFactory`'s own mean is zero.
 *
 * @example
 * ```ts
 * import { BAYES_OPT_DEFAULTS } from "./bayes_opt.ts";
 * console.log(BAYES_OPT_DEFAULTS.outcomeTransform); // "yeo-johnson"
 * ```
 */
export const BAYES_OPT_DEFAULTS = {
  surrogate: { kernel: "matern52", priors: "gamma", mean: "constant" },
  acquisition: "logei",
  rawSamples: 1024,
  restarts: 5,
  fullRefitEvery: 5,
  startSelection: "best",
  incumbentSamples: 1024,
  incumbentScale: [1e-3, 0.1],
  outcomeTransform: "yeo-johnson",
  acquisitionOptimizer: "auto",
  incumbentValue: "observed",
  retrainAfter: 1,
} as const;

/** Share of categorical parameters above which `"auto"` picks local search. */
const CATEGORICAL_SHARE = 0.5;

/**
 * The rule of `acquisitionOptimizer: "auto"`: local search when the surrogate has no useful
 * gradients (`gradients: false` on the factory or the fitted surrogate, e.g. a random forest),
 * when the space is conditional (`space.conditional`), or when more than half of its searched
 * parameters are categorical (one-hot blocks, where L-BFGS-B moves through points that are no
 * configuration and projection decides the rest); L-BFGS-B otherwise, where the acquisition is
 * smooth in continuous and integer columns.
 *
 * @param surrogate The factory and the fitted surrogate (either may declare `gradients: false`).
 * @param space The study's space, when known.
 * @returns `"local-search"` or `"lbfgsb"`.
 *
 * @example
 * ```ts
 * import { chooseAcquisitionOptimizer } from "./bayes_opt.ts";
 * import { categorical, defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ a: categorical([1, 2]), b: categorical(["x", "y"]), c: float(0, 1) });
 * console.log(chooseAcquisitionOptimizer({}, space)); // "local-search"
 * console.log(chooseAcquisitionOptimizer({ gradients: false })); // "local-search"
 * ```
 */
export function chooseAcquisitionOptimizer(
  surrogate: { gradients?: boolean; fitted?: { gradients?: boolean } },
  space?: Pick<Space, "params">,
): "lbfgsb" | "local-search" {
  if (surrogate.gradients === false || surrogate.fitted?.gradients === false) {
    return "local-search";
  }
  if (space === undefined) return "lbfgsb";
  if ((space as { conditional?: boolean }).conditional === true) return "local-search";
  const searched = space.params.filter((p) => p.type !== "fixed" && p.columns.length > 0);
  const categorical = searched.filter((p) => p.type === "categorical").length;
  return searched.length > 0 && categorical > CATEGORICAL_SHARE * searched.length
    ? "local-search"
    : "lbfgsb";
}

/**
 * Proposals closer than this (max-norm, unit cube) to an evaluated, failed or pending point are not made:
 * they add next to no information, and a model that extrapolates towards a corner would otherwise
 * be polished there for ever by the incumbent samples.
 */
const MIN_SEPARATION = 1e-4;

/** Share of the observed points that count as incumbents for `incumbentSamples` (BoTorch's 5%). */
const INCUMBENT_SHARE = 0.05;

const MEMORY_KEY = "bayesOpt";

interface BayesOptMemory {
  /** The last fit (in this process). */
  surrogate?: Surrogate;
  /** Restored from a saved state: the last fit's `warmStartState` (when `surrogate` is absent). */
  surrogateState?: unknown;
  /** Fits so far; every `fullRefitEvery`-th (from the first) is a full refit. */
  fits: number;
  /** `retrainAfter > 1`: the fit's further candidates, best first, not yet proposed. */
  queue?: Float64Array[];
  /** Observations and pending points when the queue was made. */
  queuedAt?: number;
}

/** A non-negative integer, as the state's counters are. */
const countSchema = z.number().int("must be a non-negative integer").nonnegative(
  "must be a non-negative integer",
);

/** The saved form of {@linkcode BayesOptMemory} (JSON: points as arrays of numbers). */
const stateSchema = z.strictObject({
  fits: countSchema,
  surrogate: z.unknown().optional(),
  queue: z.array(
    z.array(
      z.number({ error: "must be a finite number" }).refine(
        Number.isFinite,
        "must be a finite number",
      ),
    ),
  ).optional(),
  queuedAt: countSchema.optional(),
}, { error: (issue) => issue.code === "invalid_type" ? "must be an object" : undefined });

const ACQUISITIONS: Record<AcquisitionName, AcquisitionBuilder> = {
  logei: (surrogate, { best }) => logExpectedImprovement(surrogate, { best }),
  ei: (surrogate, { best }) => expectedImprovement(surrogate, { best }),
  pi: (surrogate, { best }) => probabilityOfImprovement(surrogate, { best }),
  logpi: (surrogate, { best }) => logProbabilityOfImprovement(surrogate, { best }),
  lcb: (surrogate) => lowerConfidenceBound(surrogate),
  // The exact joint draw; `propose` takes a pathwise sample instead where it can (see
  // `acquisitionOptimizer`).
  ts: (surrogate, { rng }) => thompsonSampling(surrogate, { rng }),
  "lognormal-ei": (surrogate, { best }) => lognormalExpectedImprovement(surrogate, { best }),
  // The believer GP was fitted to the observed points, then the pending ones, in this order.
  lognei: (surrogate, { rng, points, pending }) =>
    logNoisyExpectedImprovement(surrogate, { points: [...points, ...pending], rng }),
};

/** A scale (a standard deviation in unit-cube coordinates): a finite number > 0. */
const positiveScaleSchema = z.number().positive("must be > 0");

/** @internal The `localSearch` option (of `bayesOpt`, and of `smac`, which checks it itself). */
export const localSearchSettingsSchema = z.strictObject({
  randomSamples: nonNegativeIntSchema.optional(),
  localStarts: nonNegativeIntSchema.optional(),
  randomStarts: nonNegativeIntSchema.optional(),
  maxSteps: positiveIntSchema.optional(),
  plateauSteps: nonNegativeIntSchema.optional(),
  improvement: z.enum(["first", "best"]).optional(),
  continuousNeighbours: positiveIntSchema.optional(),
  stepScale: positiveScaleSchema.optional(),
  maxCandidates: positiveIntSchema.optional(),
}).refine(
  // The searches start from the first `localStarts` observed points and from the best
  // `randomStarts` of the `randomSamples` random configurations: with neither a start nor a
  // sample nothing is evaluated (the defaults of both are positive, so only two explicit zeros
  // leave the search empty).
  (s) => !(s.localStarts === 0 && s.randomSamples === 0),
  "localStarts and randomSamples must not both be 0: a local search needs at least one start " +
    "from the observed points (localStarts ≥ 1) or one random sample (randomSamples ≥ 1)",
);

const optionsSchema = z.strictObject({
  surrogate: z.custom<SurrogateFactory>(
    (f) => typeof (f as SurrogateFactory)?.fit === "function",
    { message: "must be a SurrogateFactory (an object with fit(points, values, rng))" },
  ).optional(),
  acquisition: z.union([
    z.enum(Object.keys(ACQUISITIONS) as [AcquisitionName, ...AcquisitionName[]]),
    z.function(),
  ]).optional(),
  rawSamples: positiveIntSchema.optional(),
  restarts: positiveIntSchema.optional(),
  fullRefitEvery: positiveIntSchema.optional(),
  startSelection: z.enum(["best", "boltzmann"]).optional(),
  incumbentSamples: nonNegativeIntSchema.optional(),
  outcomeTransform: z.enum(["yeo-johnson", "log-scaled", "none"]).optional(),
  acquisitionOptimizer: z.enum(["lbfgsb", "local-search", "auto"]).optional(),
  incumbentValue: z.enum(["observed", "predicted"]).optional(),
  retrainAfter: positiveIntSchema.optional(),
  localSearch: localSearchSettingsSchema.optional(),
  incumbentScale: z.union([
    positiveScaleSchema,
    z.array(positiveScaleSchema).min(1, "must not be empty"),
  ]).optional(),
});

/**
 * The model-based proposer of the default optimiser.
 *
 * Its state between proposals (in `context.memory`) is the fit count, which sets the
 * `fullRefitEvery` schedule, the last fit (warm starts start from it) and, with
 * `retrainAfter` > 1, the fit's remaining candidates. `saveState` gives it as JSON
 * (`{ bayesOpt: { fits, surrogate?, queue?, queuedAt? } }`, `surrogate` the factory's
 * `warmStartState`: the GP's hyperparameters) and `restoreState` puts it back; a fit that starts
 * from restored hyperparameters is the one that would have started from the fit itself, so a
 * stored study, which keeps this state with each proposal, resumes exactly. `restoreState`
 * throws a `TypeError` naming the field (`bayesOpt.fits`) for a state it did not write;
 * hyperparameters the surrogate cannot start from (another surrogate's) mean a fit from scratch.
 *
 * @throws {TypeError} Naming the option, for a malformed one (`bayesOpt options.rawSamples: …`)
 * or for `acquisition: "lognei"` with a `surrogate` factory marked `gaussianProcess: false`
 * (`bayesOpt options.acquisition: "lognei" needs the GP surrogate …`).
 *
 * @example
 * ```ts
 * import { bayesOpt } from "./bayes_opt.ts";
 * import { SMBO } from "./study.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
 * const study = new SMBO(space, { seed: 1, proposer: bayesOpt({ acquisition: "ei" }) });
 * const trial = study.ask();
 * study.tell(trial, trial.params.x ** 2 + trial.params.y);
 * ```
 */
export function bayesOpt(options: BayesOptOptions = {}): Proposer {
  parseOrThrow(optionsSchema, options, "bayesOpt options");
  const factory = options.surrogate ?? gpFactory(BAYES_OPT_DEFAULTS.surrogate);
  // Noisy EI samples a GP's joint posterior: refuse now a factory known to fit something else
  // (one that does not say is checked at its first fit, by the acquisition itself).
  if (options.acquisition === "lognei" && factory.gaussianProcess === false) {
    throw new TypeError(
      'bayesOpt options.acquisition: "lognei" needs the GP surrogate (the default, or gpFactory: ' +
        `a GaussianProcess); options.surrogate is "${factory.name}" (gaussianProcess: false)`,
    );
  }
  const acquisitionName = typeof options.acquisition === "string"
    ? options.acquisition
    : options.acquisition
    ? "custom"
    : BAYES_OPT_DEFAULTS.acquisition;
  const custom = typeof options.acquisition === "function";
  const build = typeof options.acquisition === "function"
    ? options.acquisition
    : ACQUISITIONS[options.acquisition ?? BAYES_OPT_DEFAULTS.acquisition];
  const rawSamples = options.rawSamples ?? BAYES_OPT_DEFAULTS.rawSamples;
  const restarts = options.restarts ?? BAYES_OPT_DEFAULTS.restarts;
  const fullRefitEvery = options.fullRefitEvery ?? BAYES_OPT_DEFAULTS.fullRefitEvery;
  const transform = options.outcomeTransform ??
    (options.surrogate === undefined ? BAYES_OPT_DEFAULTS.outcomeTransform : "none");
  const optimizerChoice = options.acquisitionOptimizer ?? BAYES_OPT_DEFAULTS.acquisitionOptimizer;
  const localSettings = { ...options.localSearch };
  const incumbentValue = options.incumbentValue ?? BAYES_OPT_DEFAULTS.incumbentValue;
  const retrainAfter = options.retrainAfter ?? BAYES_OPT_DEFAULTS.retrainAfter;
  const explore = {
    startSelection: options.startSelection ?? BAYES_OPT_DEFAULTS.startSelection,
    incumbentSamples: options.incumbentSamples ?? BAYES_OPT_DEFAULTS.incumbentSamples,
    incumbentScale: options.incumbentScale ?? BAYES_OPT_DEFAULTS.incumbentScale,
  };

  return {
    name: `${factory.name}-${acquisitionName}`,
    propose(context: ProposalContext, q: number): Float64Array[] {
      if (context.points.length === 0) {
        throw new Error(`bayesOpt: no observed value to fit ${factory.name} to`);
      }
      const queued = q === 1 ? nextQueued(context, retrainAfter) : undefined;
      if (queued !== undefined) return [queued];
      // Standardised once without overflow, then (default GP) Yeo–Johnson-transformed.
      const standardized = standardizeTargets(context.values).scaled;
      const observed = transform === "yeo-johnson"
        ? yeoJohnson(standardized).values
        : transform === "log-scaled"
        ? logScaled(standardized)
        : standardized;
      const points = [...context.points];
      const values = Array.from(observed);
      let best = Infinity;
      for (const v of observed) best = Math.min(best, v);
      const pending = [...context.pending];
      // Failed configurations the model does not hold (`failedTrials: "ignore"`) are excluded too.
      // Copied before any surrogate sees the points: one that edits its inputs moves no exclusion.
      const exclude = [...context.points, ...(context.failed ?? []), ...context.pending]
        .map((point): Float64Array => Float64Array.from(point));
      const memory = context.memory.get(MEMORY_KEY) as BayesOptMemory | undefined;
      const fits = memory?.fits ?? 0;
      // One fit proposes `retrainAfter` candidates (sequential proposals only).
      const listed = q === 1 && retrainAfter > 1 ? retrainAfter : 1;
      const fit = (at: readonly Float64Array[], y: Float64Array, hints: FitHints) =>
        fitChecked(factory, at, y, context.rng, hints, context.dim);
      // The surrogate as its users call it: errors thrown in its methods name it.
      const model = () => labelledSurrogate(surrogate, factory);
      const means = (at: readonly Float64Array[]) => meansOf(model(), at, factory.name);
      let surrogate = fit(points, Float64Array.from(values), {
        previous: memory?.surrogate,
        mode: fits % fullRefitEvery === 0 ? "full" : "warm-start",
        // Restored from a saved state: the previous fit's hyperparameters, as plain numbers.
        ...(memory?.surrogate === undefined && memory?.surrogateState !== undefined
          ? { previousState: memory.surrogateState }
          : {}),
        ...(context.space === undefined ? {} : { space: context.space }),
      });
      const record: BayesOptMemory = { surrogate, fits: fits + 1 };
      context.memory.set(MEMORY_KEY, record);
      if (incumbentValue === "predicted") {
        best = Infinity;
        for (const m of means(context.points)) best = Math.min(best, m);
      }
      // Kriging believer: pending points join the data at the current posterior mean, with the
      // hyperparameters kept (a fantasy must not move the model's idea of the function). The
      // values are in the model's units (after the outcome transform fitted to the observations,
      // which they do not refit); a GP is conditioned on them with its standardisation and
      // constant mean kept too, any other surrogate fitted again with `mode: "keep"` (the transfer
      // surrogates then condition their target model likewise, their weights kept).
      const believe = (newPoints: readonly Float64Array[]) => {
        const prediction = model().predict(newPoints);
        checkPrediction(prediction, newPoints.length, surrogateLabel(factory, "predict"), false);
        const believed = prediction.mean;
        points.push(...newPoints);
        values.push(...believed);
        surrogate = conditionOnObservations(surrogate, newPoints, believed) ??
          fit(points, Float64Array.from(values), {
            previous: surrogate,
            mode: "keep",
            ...(context.space === undefined ? {} : { space: context.space }),
          });
      };
      if (context.pending.length > 0) believe(context.pending);
      const optimizer = optimizerChoice === "auto"
        ? chooseAcquisitionOptimizer(
          { gradients: factory.gradients, fitted: surrogate },
          context.space,
        )
        : optimizerChoice;
      const gradientFree = factory.gradients === false || surrogate.gradients === false;
      // Thompson sampling draws its raw samples from the Sobol design alone: its proposal is the
      // maximiser of one posterior sample (Thompson 1933), which raw samples crowded
      // around the incumbents would bias towards them (see `incumbentSamples`).
      const incumbents = optimizer === "lbfgsb" && explore.incumbentSamples > 0 &&
          !context.pool && acquisitionName !== "ts"
        ? bestByMean(means(context.points), context.points)
        : undefined;
      // Local search starts from the observed points with the lowest posterior mean (SMAC 2).
      const starts = optimizer === "local-search" && !context.pool
        ? byMean(means(context.points), context.points).slice(
          0,
          localSettings.localStarts ?? LOCAL_SEARCH_DEFAULTS.localStarts,
        )
        : undefined;
      let pool = context.pool;
      const chosen: Float64Array[] = [];
      for (let i = 0; i < q; i++) {
        // Thompson sampling maximises one posterior function where the optimiser can use one
        // (L-BFGS-B, pools) and the surrogate draws them; an exact joint draw otherwise.
        const used = model();
        const pathwise = acquisitionName === "ts" &&
          (pool !== undefined || optimizer === "lbfgsb") &&
          hasSamplePaths(used);
        const acquisitionContext = {
          best,
          rng: context.rng,
          points: context.points,
          values: observed,
          pending: [...pending],
        };
        const built = pathwise
          ? thompsonSampling(used, { rng: context.rng, sampler: "pathwise" })
          : custom
          ? labelErrors(
            `bayesOpt: acquisition ${JSON.stringify(acquisitionName)} builder`,
            () => build(used, acquisitionContext),
          )
          : build(used, acquisitionContext);
        checkBuilt(built, acquisitionName);
        const own = custom ? labelledAcquisition(built) : built;
        // Without useful gradients L-BFGS-B would stall: the optimiser sees no gradient at all.
        const acquisition: AcquisitionFunction = gradientFree && own.valueAndGradient
          ? {
            name: own.name,
            dim: own.dim,
            evaluate: (p) => own.evaluate(p),
            ...(own.sampled === undefined ? {} : { sampled: own.sampled }),
          }
          : own;
        const settings = {
          dim: context.dim,
          rng: context.rng,
          rawSamples,
          restarts,
          project: context.project,
          pool,
          ...explore,
          incumbents,
          duplicateTolerance: MIN_SEPARATION,
          q: listed,
        };
        // In a small discrete space every point may have been evaluated already: then the best
        // one is evaluated again rather than the study failing.
        const found = pool
          ? optimizeAcquisition(acquisition, settings)
          : optimizer === "local-search"
          ? avoiding(exclude, (ex) =>
            localSearch(acquisition, {
              ...localSettings,
              dim: context.dim,
              rng: context.rng,
              // With the space, its own projection (the study's); without, the context's.
              ...(context.space === undefined
                ? { project: context.project }
                : { space: context.space }),
              starts,
              duplicateTolerance: MIN_SEPARATION,
              q: listed,
              // A list of several: SMAC3's, one end point per local search.
              ...(listed > 1 ? { candidates: "ends" as const } : {}),
              ...(ex ? { exclude: ex } : {}),
            }))
          : avoiding(exclude, (ex) =>
            optimizeAcquisition(acquisition, ex ? { ...settings, exclude: ex } : settings));
        const point = found.point;
        if (listed > 1) {
          record.queue = found.points.slice(1);
          record.queuedAt = context.points.length + context.pending.length;
        }
        chosen.push(point);
        if (i === q - 1) break;
        if (pool) pool = pool.filter((candidate) => candidate !== point);
        exclude.push(point);
        pending.push(point);
        believe([point]);
      }
      return chosen;
    },
    saveState(memory: Map<string, unknown>): Record<string, unknown> {
      const record = memory.get(MEMORY_KEY) as BayesOptMemory | undefined;
      if (record === undefined) return {};
      const surrogate = record.surrogate === undefined ? record.surrogateState : labelErrors(
        surrogateLabel(factory, "warmStartState"),
        () => factory.warmStartState?.(record.surrogate!),
      );
      return {
        [MEMORY_KEY]: {
          fits: record.fits,
          ...(surrogate === undefined ? {} : { surrogate }),
          ...(record.queue === undefined ? {} : { queue: record.queue.map((p) => Array.from(p)) }),
          ...(record.queuedAt === undefined ? {} : { queuedAt: record.queuedAt }),
        },
      };
    },
    restoreState(memory: Map<string, unknown>, state: Record<string, unknown>): void {
      memory.delete(MEMORY_KEY);
      if (!Object.hasOwn(state, MEMORY_KEY)) return;
      const saved = parseOrThrow(stateSchema, state[MEMORY_KEY], MEMORY_KEY);
      const record: BayesOptMemory = { fits: saved.fits };
      if (saved.surrogate !== undefined) record.surrogateState = saved.surrogate;
      if (saved.queue !== undefined) record.queue = saved.queue.map((p) => Float64Array.from(p));
      if (saved.queuedAt !== undefined) record.queuedAt = saved.queuedAt;
      memory.set(MEMORY_KEY, record);
    },
  };
}

/**
 * With `retrainAfter > 1`: the next candidate of the last fit's list, while fewer than
 * `retrainAfter` observations (and pending points) have joined the history since that fit;
 * candidates evaluated, failed or pending meanwhile (or, in pool mode, no longer in the pool) are skipped.
 * Undefined: fit afresh.
 */
function nextQueued(context: ProposalContext, retrainAfter: number): Float64Array | undefined {
  if (retrainAfter <= 1) return undefined;
  const memory = context.memory.get(MEMORY_KEY) as BayesOptMemory | undefined;
  if (memory?.queue === undefined || memory.queuedAt === undefined) return undefined;
  const since = context.points.length + context.pending.length - memory.queuedAt;
  if (since < 0 || since >= retrainAfter) return undefined;
  const taken = [...context.points, ...(context.failed ?? []), ...context.pending];
  // The record is replaced, not edited: the study restores its memory when an ask fails, and an
  // edited record would stay edited.
  for (let k = 0; k < memory.queue.length; k++) {
    const next = memory.queue[k];
    const free = context.pool
      ? isNear(next, context.pool, 0)
      : !isNear(next, taken, MIN_SEPARATION);
    if (free) {
      context.memory.set(MEMORY_KEY, { ...memory, queue: memory.queue.slice(k + 1) });
      return next;
    }
  }
  context.memory.set(MEMORY_KEY, { ...memory, queue: [] });
  return undefined;
}

/** How a factory's surrogate is named in messages: `bayesOpt: surrogate "gp" predict`. */
function surrogateLabel(factory: SurrogateFactory, method: string): string {
  return `bayesOpt: surrogate ${JSON.stringify(factory.name)} ${method}`;
}

/** Errors already named after the plug-in that threw them, which outer calls pass on as they are. */
const labelled = new WeakSet<object>();

/**
 * `call()`, with what it throws rethrown as an error of the same kind (`TypeError`, `RangeError`,
 * else `Error`) whose message starts with `label` (`bayesOpt: surrogate "mine" predict: …`), the
 * original as `cause`; an error named so already passes as it is.
 */
function labelErrors<T>(label: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (typeof error === "object" && error !== null && labelled.has(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const Kind = error instanceof TypeError
      ? TypeError
      : error instanceof RangeError
      ? RangeError
      : Error;
    const named = new Kind(`${label}: ${message}`, { cause: error });
    labelled.add(named);
    throw named;
  }
}

/** The surrogate methods whose errors {@linkcode labelledSurrogate} names. */
const SURROGATE_METHODS: ReadonlySet<string | symbol> = new Set([
  "predict",
  "predictMean",
  "predictWithGradient",
  "sampleJoint",
]);

/**
 * `surrogate` as the acquisitions and the kriging believer use it: the same object and methods
 * (a view, so that `instanceof`, getters and optional methods stay the surrogate's own), whose
 * `predict`, `predictMean`, `predictWithGradient` and `sampleJoint` name the surrogate and the
 * method in what they throw (`labelErrors`). The study keeps the surrogate itself (`previous` of
 * the next fit, `warmStartState`).
 */
function labelledSurrogate(surrogate: Surrogate, factory: SurrogateFactory): Surrogate {
  // The proxy's own target is an empty object of the surrogate's prototype (a frozen surrogate's
  // methods could not be replaced through a proxy of it).
  return new Proxy(Object.create(Object.getPrototypeOf(surrogate)) as Surrogate, {
    get(_, key) {
      const value = Reflect.get(surrogate, key, surrogate);
      if (typeof value !== "function") return value;
      if (!SURROGATE_METHODS.has(key)) return value.bind(surrogate);
      const label = surrogateLabel(factory, String(key));
      return (...args: unknown[]) => labelErrors(label, () => value.apply(surrogate, args));
    },
    has: (_, key) => Reflect.has(surrogate, key),
  });
}

/**
 * A custom acquisition's fields, with `evaluate` and `valueAndGradient` naming it in what they
 * throw (`bayesOpt: acquisition "mine" evaluate: …`).
 */
function labelledAcquisition(built: AcquisitionFunction): AcquisitionFunction {
  const label = `bayesOpt: acquisition ${JSON.stringify(built.name)}`;
  const valueAndGradient = built.valueAndGradient;
  return {
    name: built.name,
    dim: built.dim,
    ...(built.sampled === undefined ? {} : { sampled: built.sampled }),
    evaluate: (points) => labelErrors(`${label} evaluate`, () => built.evaluate(points)),
    ...(typeof valueAndGradient === "function"
      ? {
        valueAndGradient: (point: Float64Array) =>
          labelErrors(`${label} valueAndGradient`, () => valueAndGradient.call(built, point)),
      }
      : {}),
  };
}

/**
 * `factory.fit(...)`, checked: an error it throws is rethrown naming the surrogate (the original
 * as `cause`), and what it returns must be a surrogate of `dim` inputs (an object with `predict`
 * and `predictWithGradient`, not a promise).
 */
function fitChecked(
  factory: SurrogateFactory,
  points: readonly Float64Array[],
  values: Float64Array,
  rng: Rng,
  hints: FitHints,
  dim: number,
): Surrogate {
  const label = surrogateLabel(factory, "fit");
  const fitted: unknown = labelErrors(label, () => factory.fit(points, values, rng, hints));
  if (isPromiseLike(fitted)) {
    throw new TypeError(
      `${label}: returned a Promise; fit must return the fitted surrogate synchronously`,
    );
  }
  const surrogate = fitted as Partial<Surrogate> | null;
  if (
    surrogate === null || typeof surrogate !== "object" ||
    typeof surrogate.predict !== "function" || typeof surrogate.predictWithGradient !== "function"
  ) {
    throw new TypeError(
      `${label}: must return a Surrogate (an object with dim, predict and predictWithGradient), got ${
        surrogate === null ? "null" : typeof surrogate
      }`,
    );
  }
  if (surrogate.dim !== dim) {
    throw new RangeError(
      `${label}: returned a surrogate of dim ${surrogate.dim} for points of ${dim} coordinates`,
    );
  }
  return surrogate as Surrogate;
}

/**
 * The posterior means of `surrogate` at `points` (its `predictMean`, else `predict(...).mean`),
 * checked: one finite mean per point; errors name the surrogate.
 */
function meansOf(
  surrogate: Surrogate,
  points: readonly Float64Array[],
  name: string,
): Float64Array {
  return checkedMeans(surrogate, points, `bayesOpt: surrogate ${JSON.stringify(name)}`);
}

/** Throws a `TypeError` naming the acquisition unless its builder returned an acquisition. */
function checkBuilt(built: unknown, name: string): asserts built is AcquisitionFunction {
  const label = `bayesOpt: acquisition ${JSON.stringify(name)}`;
  if (isPromiseLike(built)) {
    throw new TypeError(
      `${label}: the builder returned a Promise; it must return the acquisition synchronously`,
    );
  }
  if (
    built === null || typeof built !== "object" ||
    typeof (built as AcquisitionFunction).evaluate !== "function"
  ) {
    throw new TypeError(
      `${label}: the builder must return an AcquisitionFunction (with evaluate), got ${
        built === null ? "null" : typeof built
      }`,
    );
  }
}

/** `points` sorted by increasing posterior mean `mean`. */
function byMean(mean: Float64Array, points: readonly Float64Array[]): Float64Array[] {
  return Array.from(mean.keys()).sort((a, b) => mean[a] - mean[b]).map((i) => points[i]);
}

/** The best {@linkcode INCUMBENT_SHARE} of `points` by posterior mean `mean` (at least one). */
function bestByMean(mean: Float64Array, points: readonly Float64Array[]): Float64Array[] {
  const count = Math.max(1, Math.round(points.length * INCUMBENT_SHARE));
  return Array.from(mean.keys()).sort((a, b) => mean[a] - mean[b]).slice(0, count).map((i) =>
    points[i]
  );
}

/**
 * `search(exclude)`, or `search(undefined)` when every candidate is excluded: in a small discrete
 * space every point may have been chosen already, and the best one is then evaluated again.
 */
function avoiding<T>(
  exclude: readonly Float64Array[],
  search: (exclude: readonly Float64Array[] | undefined) => T,
): T {
  try {
    return search(exclude);
  } catch (error) {
    if (!(error instanceof AllCandidatesExcludedError)) throw error;
    return search(undefined);
  }
}
