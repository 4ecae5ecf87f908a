/**
 * Recommending a configuration after a study under a noisy objective. The lowest observed value
 * is biased downwards: among many noisy evaluations the minimum is mostly a lucky draw (the
 * winner's curse), and the trial that produced it is often not the best configuration evaluated.
 * {@linkcode recommendBest} fits a surrogate to the completed trials and recommends the
 * evaluated configuration with the lowest posterior mean, the "best in-sample point by the
 * model" that BoTorch and Ax report (Letham et al. 2019, "Constrained Bayesian optimization with
 * noisy experiments", Bayesian Analysis 14(2); Picheny et al. 2013, "A benchmark of kriging-based
 * infill criteria for noisy optimization", Structural and Multidisciplinary Optimization 48).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { gpFactory } from "../gp/gp.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import { yeoJohnson } from "../models/outcome_transform.ts";
import type { Surrogate, SurrogateFactory } from "../models/surrogate.ts";
import { checkedMeans, checkPrediction } from "../acquisition/acquisition.ts";
import { Rng } from "../random/rng.ts";
import { Space } from "../space/space.ts";
import { parseOrThrow, safeIntSchema } from "../validate.ts";
import { BAYES_OPT_DEFAULTS } from "./bayes_opt.ts";
import { samePoint } from "./_proposal.ts";
import type { BestTrial, EncodableSpace } from "./study.ts";
import {
  DEFAULT_DIRECTION,
  directionOf,
  directionSign,
  isBetter,
  minimised,
  type StudyDirection,
} from "./_direction.ts";
import type { Trial } from "./trial.ts";

/**
 * What {@linkcode recommendBest} reads of a study: its trials and its search space. An `SMBO`
 * study, the result of `minimize` (in memory or on a storage: the space is its `study`'s), and
 * a stored study as `createStudy` or `loadStudy` return it (its trials as of its last `ask`,
 * `tell` or `refresh`: call `await study.refresh()` first to include other workers' trials) are
 * all study sources, and so is `{ trials, space }` built from anything else (with `direction:
 * "maximize"` when higher values are better).
 */
export interface RecommendSource<P> {
  /** Every trial of the study; failed and running ones are left out. */
  readonly trials: readonly Trial<P>[];
  /** The search space the configurations belong to. */
  readonly space?: EncodableSpace<P>;
  /**
   * Which way the objective improves (`SMBO` and stored studies have it); absent means
   * `"minimize"`.
   */
  readonly direction?: StudyDirection;
  /**
   * The study of a `minimize` result, whose space (and direction) is used when `space` (or
   * `direction`) is absent.
   */
  readonly study?: { readonly space: EncodableSpace<P>; readonly direction?: StudyDirection };
}

/** Options of {@linkcode recommendBest}; defaults in {@linkcode RECOMMEND_DEFAULTS}. */
export interface RecommendOptions {
  /**
   * The model (any {@linkcode SurrogateFactory}, e.g. `randomForest()`); default the GP of the
   * default `bayesOpt` (Matérn-5/2 ARD, Gamma priors, constant mean, fitted noise).
   */
  surrogate?: SurrogateFactory;
  /**
   * Transform of the standardised values before the model that ranks the trials is fitted:
   * `"yeo-johnson"` (as `bayesOpt`) or `"none"`. Default: `"yeo-johnson"` when `surrogate` is
   * absent, `"none"` whenever a `surrogate` is given, whatever the factory (as `bayesOpt`); a value
   * given here is used with any surrogate.
   */
  outcomeTransform?: "yeo-johnson" | "none";
  /** Seed of the model fits (each fit draws from a fresh `Rng(seed)`); default 0. */
  seed?: number;
}

/** What {@linkcode recommendBest} returns. */
export interface Recommendation<P> {
  /**
   * The recommended trial: the completed trial whose configuration has the lowest posterior
   * mean (the highest when maximising; the first such trial when the configuration was evaluated
   * several times).
   */
  trial: Trial<P>;
  /** Its configuration. */
  params: P;
  /** Its observed (noisy) objective value. */
  value: number;
  /**
   * The posterior mean of the objective at its configuration, in the objective's own units: a
   * better estimate of what the configuration gives than its observed value (see
   * {@linkcode recommendBest} for the model it comes from).
   */
  mean: number;
  /**
   * The posterior standard deviation of the (noise-free) objective there, in its own units; NaN
   * when the trials say nothing of the objective's scale (one completed trial, or all values
   * equal up to round-off).
   */
  sd: number;
  /** How many completed trials evaluated this same configuration (at least 1). */
  replicates: number;
  /**
   * The trial with the best observed value (the lowest, or the highest when maximising), for
   * comparison (`study.best`).
   */
  observedBest: BestTrial<P>;
  /** The name of the surrogate factory (`"replicate mean"` for a space without searched parameters). */
  surrogate: string;
  /** How many completed trials the model was fitted to. */
  completed: number;
}

/**
 * Defaults of {@linkcode recommendBest}: the GP of `bayesOpt`'s defaults (its options
 * `BAYES_OPT_DEFAULTS.surrogate`), the Yeo–Johnson transform with it, seed 0.
 *
 * @example
 * ```ts
 * import { RECOMMEND_DEFAULTS } from "./recommend.ts";
 * console.log(RECOMMEND_DEFAULTS.outcomeTransform); // "yeo-johnson"
 * ```
 */
export const RECOMMEND_DEFAULTS = {
  surrogate: BAYES_OPT_DEFAULTS.surrogate,
  outcomeTransform: "yeo-johnson",
  seed: 0,
} as const;

const optionsSchema = z.strictObject({
  surrogate: z.custom<SurrogateFactory>(
    (f) => typeof (f as SurrogateFactory)?.fit === "function",
    { message: "must be a SurrogateFactory (an object with fit(points, values, rng))" },
  ).optional(),
  outcomeTransform: z.enum(["yeo-johnson", "none"]).optional(),
  seed: safeIntSchema.optional(),
});

const FN = "recommendBest";

/** The study's space, checked; a TypeError names the missing or bad field. */
function sourceSpace<P>(study: RecommendSource<P>): EncodableSpace<P> {
  const space = study.space ?? study.study?.space;
  const s = space as Partial<EncodableSpace<P>> | undefined;
  if (
    s === null || typeof s !== "object" || typeof s.encode !== "function" ||
    typeof s.validate !== "function"
  ) {
    throw new TypeError(
      `${FN}: study.space: must be a search space (defineSpace(...)); pass an SMBO study, a ` +
        "minimize result, a stored study or { trials, space }",
    );
  }
  return space as EncodableSpace<P>;
}

/**
 * Recommends the configuration to deploy after a study, by the model rather than by the lowest
 * observation: fits a surrogate to the completed trials (failed and running ones are left out)
 * and returns the completed trial whose configuration has the lowest posterior mean,
 *
 *     x̂ = argmin_{x ∈ X_obs} μ(x),
 *
 * the in-sample best by posterior mean of BoTorch/Ax (Letham et al. 2019, "Constrained Bayesian
 * optimization with noisy experiments"; the "best observed mean" plug-in of Picheny et al. 2013,
 * "A benchmark of kriging-based infill criteria for noisy optimization"). Under noise the
 * lowest observation favours lucky draws; the posterior mean pools each configuration's value
 * with its replicates and neighbours, so a configuration the model believes good is preferred to
 * an outlier. Without noise it usually gives the observed best or a close neighbour of it (the
 * GP's fitted noise, however small, smooths the data a little). The model must be able to follow
 * the values: an objective that returns a huge penalty for a failure (an Optuna habit) makes the
 * GP's mean ring around the penalised point, and the lowest mean may then fall on a poor trial.
 * Throw (or return NaN) for a failure instead: failed trials are left out of the fit.
 *
 * The model is fitted as `bayesOpt` fits it, with its own helpers: configurations encoded by the
 * space (`space.encode`, so pool, conditional and categorical spaces are handled as everywhere in
 * the library), values standardised by `standardizeTargets` (ỹ = (y − ȳ)/s) and, by default,
 * Yeo–Johnson-transformed (`yeoJohnson`), then the default GP of `bayesOpt` (or `surrogate`).
 *
 * The scale of the reported numbers: the Yeo–Johnson transform T is monotone increasing but
 * not affine, so the back-transform of the posterior mean is not the posterior mean on the
 * objective's scale (E[T⁻¹(f)] ≠ T⁻¹(E[f])); it is the posterior median (a Gaussian's median maps
 * through a monotone map). The ranking therefore uses the transformed model (its lowest mean is
 * the lowest posterior median of the objective), and `mean` and `sd` come from a second fit of
 * the same surrogate to the standardised values without the transform, whose affine scale maps
 * back exactly: `mean = ȳ + s·μ̃(x̂)`, `sd = s·σ̃(x̂)` (that fit may rank the trials differently,
 * so x̂ need not minimise its mean). With `outcomeTransform: "none"` one fit gives both the
 * ranking and the numbers. Each fit draws from its own `new Rng(seed)`, so the result is
 * deterministic. When the values carry no scale (one completed trial, or all equal up to round-off) `sd` is NaN:
 * a posterior spread in the objective's units cannot be told from them.
 *
 * A space without searched parameters (only `fixed` ones) has one configuration: its trials are
 * replicates, and the recommendation is that configuration with `mean` the mean of their values
 * and `sd` its standard error s/√n (NaN with one trial); no model is fitted.
 *
 * Cost: two fits of the surrogate on every completed trial (one with `outcomeTransform: "none"`),
 * each O(n³) for the GP, as one `bayesOpt` step at the same n: well under a second at a few
 * hundred trials, seconds at a thousand. For much larger studies pass a cheaper surrogate, e.g.
 * `surrogate: randomForest()`.
 *
 * In a study whose `direction` is `"maximize"` (or `{ trials, space, direction: "maximize" }`),
 * the model is fitted to the values negated, so that the recommendation is the highest posterior
 * mean; `value`, `mean` and `observedBest` are in the objective's own units (not negated).
 *
 * @param study The study (see {@linkcode RecommendSource}).
 * @param options See {@linkcode RecommendOptions}.
 * @returns The recommended trial with its posterior mean and sd, and the observed best.
 * @throws {TypeError} On a bad study or option (the message names the field; unknown options are
 *   rejected).
 * @throws {RangeError} When the study has no completed trial, or when the surrogate's
 *   predictions are not one finite mean (and a variance ≥ 0) per trial, as `bayesOpt` checks them
 *   (`recommendBest: surrogate "mine" predict: mean[0] must be finite, got NaN`).
 *
 * @example
 * ```ts
 * import { minimize, recommendBest } from "./mod.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * import { Rng } from "../random/rng.ts";
 *
 * const rng = new Rng(0);
 * const space = defineSpace({ x: float(0, 1) });
 * const noisy = (p: { x: number }) => (p.x - 0.3) ** 2 + 0.05 * rng.normal();
 * const result = await minimize(noisy, space, { budget: 12, seed: 0 });
 * const rec = recommendBest(result, { seed: 0 });
 * console.log(rec.params.x, rec.mean, rec.sd); // its posterior mean is a fairer estimate
 * console.log(rec.observedBest.value <= rec.value); // true: the observed best is the lowest draw
 * ```
 *
 * @example A maximised score
 * ```ts
 * import { minimize, recommendBest } from "./mod.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * import { Rng } from "../random/rng.ts";
 *
 * const rng = new Rng(0);
 * const space = defineSpace({ x: float(0, 1) });
 * const accuracy = (p: { x: number }) => 0.9 - (p.x - 0.3) ** 2 + 0.02 * rng.normal();
 * const result = await minimize(accuracy, space, { budget: 12, seed: 0, direction: "maximize" });
 * const rec = recommendBest(result, { seed: 0 }); // the highest posterior mean
 * console.log(rec.observedBest.value >= rec.value); // true: the observed best is the highest draw
 * ```
 */
export function recommendBest<P>(
  study: RecommendSource<P>,
  options: RecommendOptions = {},
): Recommendation<P> {
  parseOrThrow(optionsSchema, options, `${FN}: options`);
  if (study === null || typeof study !== "object") {
    throw new TypeError(`${FN}: study: must be a study (an object with trials and a space)`);
  }
  if (Array.isArray(study)) {
    throw new TypeError(
      `${FN}: study: an array of trials is not accepted; pass the minimize result, the study ` +
        "(SMBO or stored), or { trials, space }",
    );
  }
  const trials = study.trials;
  if (!Array.isArray(trials)) throw new TypeError(`${FN}: study.trials: must be an array`);
  const space = sourceSpace(study);
  const direction = directionOf(study, `${FN}: study`) ?? DEFAULT_DIRECTION;
  const factory = options.surrogate ?? gpFactory(RECOMMEND_DEFAULTS.surrogate);
  const transform = options.outcomeTransform ??
    (options.surrogate === undefined ? RECOMMEND_DEFAULTS.outcomeTransform : "none");
  const seed = options.seed ?? RECOMMEND_DEFAULTS.seed;

  const complete: Trial<P>[] = [];
  const points: Float64Array[] = [];
  trials.forEach((trial, i) => {
    if (trial === null || typeof trial !== "object") {
      throw new TypeError(`${FN}: study.trials[${i}]: must be a trial`);
    }
    if (trial.status !== "complete") return;
    if (typeof trial.value !== "number" || !Number.isFinite(trial.value)) {
      throw new TypeError(
        `${FN}: study.trials[${i}].value: a complete trial needs a finite value, got ${trial.value}`,
      );
    }
    let point: Float64Array;
    try {
      point = space.encode(space.validate(trial.params));
    } catch (error) {
      throw new TypeError(`${FN}: study.trials[${i}].${(error as Error).message}`);
    }
    complete.push(trial);
    points.push(point);
  });
  if (complete.length === 0) {
    const failed = trials.filter((t) => t.status === "failed").length;
    throw new RangeError(
      `${FN}: study has no completed trial to recommend from (${trials.length} trials, ${failed} failed)`,
    );
  }

  const values = Float64Array.from(complete, (t) => t.value!);
  let observed = 0;
  for (let i = 1; i < values.length; i++) {
    if (isBetter(values[i], values[observed], direction)) observed = i;
  }
  const best = complete[observed];
  const observedBest = { params: best.params, value: best.value!, trial: best };
  if (space.dim === 0) {
    // One configuration (fixed parameters only): its trials are replicates.
    const n = values.length;
    let mean = 0;
    for (const v of values) mean += v / n;
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    return {
      trial: complete[0],
      params: complete[0].params,
      value: complete[0].value!,
      mean,
      sd: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN,
      replicates: n,
      observedBest,
      surrogate: "replicate mean",
      completed: n,
    };
  }
  // The model ranks on the lower-is-better scale (the values negated when maximising); `mean`
  // goes back to the objective's own units below.
  const standardization = standardizeTargets(values.map((v) => minimised(v, direction)));
  const hints = space instanceof Space ? { space } : {};
  const fit = (targets: Float64Array): Surrogate => {
    try {
      return factory.fit(points, targets, new Rng(seed), hints);
    } catch (error) {
      throw new Error(
        `${FN}: fitting ${factory.name} to ${complete.length} trials failed: ${
          (error as Error).message
        }`,
      );
    }
  };
  const untransformed = fit(standardization.scaled);
  const ranking = transform === "yeo-johnson"
    ? fit(yeoJohnson(standardization.scaled).values)
    : untransformed;

  // A surrogate's predictions are checked as bayesOpt checks them: one finite mean per point
  // (and a variance ≥ 0 where it is reported), else an error naming it.
  const label = `${FN}: surrogate ${JSON.stringify(factory.name)}`;
  const means = checkedMeans(ranking, points, label);
  let chosen = 0;
  for (let i = 1; i < means.length; i++) if (means[i] < means[chosen]) chosen = i;
  const at = untransformed.predict([points[chosen]]);
  checkPrediction(at, 1, `${label} predict`);
  const { mean: center, std: scale } = standardization;

  let replicates = 0;
  for (const p of points) if (samePoint(p, points[chosen])) replicates++;

  const trial = complete[chosen];
  // Values `standardizeTargets` takes for constant (one value, or equal within round-off): it
  // keeps s_y = 1 and zero targets, and s_y = 1 is no scale of the objective.
  const constant = standardization.scaled.every((v) => v === 0);
  return {
    trial,
    params: trial.params,
    value: trial.value!,
    // Back to the objective's own units (the sign is its own inverse).
    mean: directionSign(direction) * (center + scale * at.mean[0]),
    sd: constant ? NaN : scale * Math.sqrt(Math.max(at.variance[0], 0)),
    replicates,
    observedBest,
    surrogate: factory.name,
    completed: complete.length,
  };
}
