/**
 * The surrogate-model contract shared by Gaussian processes, transfer surrogates (RGPE, TST-R) and
 * anything a user plugs into the optimiser. Inputs are points of the unit cube, one `Float64Array`
 * per point; predictions are of the latent objective in the units of the values the surrogate was
 * fitted to, whatever they are: a surrogate does not standardise them back. Inside `bayesOpt`
 * those are standardised values (see {@linkcode SurrogateFactory.fit}), so its surrogate
 * predicts standardised values; a GP fitted directly by `fitGP` to raw values predicts in their
 * units (it standardises internally and maps back).
 *
 * Every prediction has one entry per point, finite means and variances ≥ 0 (a GP's may be
 * +Infinity beyond float64); methods are synchronous. The acquisitions check this as they use
 * it: a NaN or infinite mean, a NaN or negative variance (below zero by more than round-off,
 * 1e-12·max(1, μ²)), a short array or a promise is an error naming the acquisition and the field.
 *
 * @module
 */
import type { Rng } from "../random/rng.ts";
import type { Space } from "../space/space.ts";

/** Posterior marginals at a set of points. */
export interface Prediction {
  /** Posterior mean of the latent function at each point. */
  mean: Float64Array;
  /** Posterior variance of the latent function (no observation noise) at each point, ≥ 0. */
  variance: Float64Array;
}

/** Posterior marginals at one point together with their gradients with respect to the point. */
export interface PointPrediction {
  /** Posterior mean at the point. */
  mean: number;
  /** Posterior variance at the point (latent, ≥ 0). */
  variance: number;
  /** ∂mean/∂x, one entry per input dimension. */
  meanGradient: Float64Array;
  /** ∂variance/∂x, one entry per input dimension. */
  varianceGradient: Float64Array;
}

/** A fitted probabilistic model of the objective. */
export interface Surrogate {
  /** Number of input dimensions. */
  readonly dim: number;
  /** Posterior mean and variance at many points. */
  predict(points: readonly Float64Array[]): Prediction;
  /**
   * Optional: the posterior mean alone at many points, equal to `predict(points).mean` but
   * cheaper (a GP skips its O(m·n²) variance solve). Callers use {@linkcode predictMean}, which
   * falls back to `predict` for surrogates without it.
   */
  predictMean?(points: readonly Float64Array[]): Float64Array;
  /** Posterior mean and variance at one point, with gradients. */
  predictWithGradient(point: Float64Array): PointPrediction;
  /**
   * Optional: `false` when `predictWithGradient` gives no useful gradient (a piecewise-constant
   * model such as a random forest, whose gradients are zero almost everywhere). Acquisition
   * optimisers then search without gradients (`bayesOpt`'s `acquisitionOptimizer: "auto"` picks
   * local search). Absent or `true`: the gradients are exact.
   */
  readonly gradients?: boolean;
  /**
   * Draws `count` joint posterior samples of the latent function on `points`; each returned array
   * has one value per point.
   */
  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[];
}

/**
 * The posterior mean of `surrogate` at `points`: its `predictMean` when it has one, else
 * `predict(points).mean`.
 *
 * @example
 * ```ts
 * import { predictMean } from "./surrogate.ts";
 * import { fitGP } from "../gp/gp.ts";
 * const gp = fitGP([Float64Array.of(0.2), Float64Array.of(0.8)], [1, 3]);
 * predictMean(gp, [Float64Array.of(0.5)]); // same values as gp.predict(...).mean
 * ```
 */
export function predictMean(surrogate: Surrogate, points: readonly Float64Array[]): Float64Array {
  return typeof surrogate.predictMean === "function"
    ? surrogate.predictMean(points)
    : surrogate.predict(points).mean;
}

/**
 * Optional hints for {@linkcode SurrogateFactory.fit}; a factory may ignore them. They let an
 * optimiser reuse the previous model's hyperparameters instead of fitting from scratch.
 */
export interface FitHints {
  /** The surrogate fitted at the previous step by the same factory. */
  previous?: Surrogate;
  /**
   * `"warm-start"` (default): fit hyperparameters, starting from `previous`'s;
   * `"keep"`: condition on the data with `previous`'s hyperparameters, no fitting (fantasies);
   * `"full"`: fit from scratch with all restarts.
   */
  mode?: "warm-start" | "keep" | "full";
  /**
   * The previous fit as plain JSON, as {@linkcode SurrogateFactory.warmStartState} gave it (e.g.
   * read back from a stored study): used as `previous` would be, with the same numerics, when
   * `previous` is absent. A factory ignores a state it cannot start from (another factory's, or
   * one of another size): the fit is then made from scratch.
   */
  previousState?: unknown;
  /**
   * The search space the points encode, when known: which columns belong to which parameter and
   * their types (a model may split a categorical's one-hot block as one variable).
   */
  space?: Space;
}

/**
 * Something that fits a {@linkcode Surrogate} to observations: the surrogate contract of
 * `bayesOpt`'s `surrogate` option (hence `minimize`, `SMBO`), `recommendBest` and the study plots.
 * `fit` must not edit `points` or `values` (a surrogate that rescales its inputs works on copies)
 * and returns a surrogate synchronously; its predictions are checked where they are used (one
 * finite mean and a variance ≥ 0 per point), and an error thrown by one of its methods is
 * rethrown naming the factory and the method (`bayesOpt: surrogate "nw" predict: …`, the
 * original as `cause`).
 *
 * @example A kernel-weighted average of the observed values (Nadaraya–Watson), with the squared
 * distance to the nearest observation as its variance, in Bayesian optimisation
 * ```ts
 * import type { Surrogate, SurrogateFactory } from "./surrogate.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const nadarayaWatson: SurrogateFactory = {
 *   name: "nw",
 *   gradients: false, // piecewise-smooth, no gradient given: the optimiser searches without one
 *   fit(points, values): Surrogate {
 *     const dim = points[0].length;
 *     const at = (u: Float64Array) => {
 *       const d2 = points.map((p) => p.reduce((s, x, j) => s + (x - u[j]) ** 2, 0));
 *       const nearest = Math.min(...d2);
 *       // weights relative to the nearest point's, so that they never all underflow
 *       const w = d2.map((d) => Math.exp(-(d - nearest) / 0.05));
 *       const total = w.reduce((a, b) => a + b, 0);
 *       const mean = w.reduce((s, wi, i) => s + wi * values[i], 0) / total;
 *       return { mean, variance: nearest + 1e-6 };
 *     };
 *     return {
 *       dim,
 *       gradients: false,
 *       predict: (us) => {
 *         const at_ = us.map(at);
 *         return {
 *           mean: Float64Array.from(at_, (p) => p.mean),
 *           variance: Float64Array.from(at_, (p) => p.variance),
 *         };
 *       },
 *       predictWithGradient: (u) => ({
 *         ...at(u),
 *         meanGradient: new Float64Array(dim),
 *         varianceGradient: new Float64Array(dim),
 *       }),
 *       sampleJoint: (us, count, rng) =>
 *         Array.from({ length: count }, () =>
 *           Float64Array.from(us, (u) => {
 *             const p = at(u);
 *             return p.mean + Math.sqrt(p.variance) * rng.normal();
 *           })),
 *     };
 *   },
 * };
 * const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
 * const result = await minimize((p) => (p.x - 0.3) ** 2 + p.y, space, {
 *   budget: 8,
 *   seed: 0,
 *   bayesOpt: { surrogate: nadarayaWatson, acquisition: "ei" },
 * });
 * result.trials.at(-1)!.source; // "model"
 * ```
 */
export interface SurrogateFactory {
  /** A short name for reports. */
  readonly name: string;
  /**
   * Optional: `false` when the surrogates it fits have no useful gradients (see
   * {@linkcode Surrogate.gradients}), so that an optimiser can choose its acquisition optimiser
   * before fitting.
   */
  readonly gradients?: boolean;
  /**
   * Optional: `true` when every surrogate it fits is a `GaussianProcess` (`gpFactory`, `fitGP`:
   * a joint Gaussian posterior given by its kernel, hyperparameters and training inputs, which
   * noisy expected improvement needs), `false` when none is (a random forest, the transfer
   * surrogates), absent when unknown. `bayesOpt({ acquisition: "lognei" })` refuses a factory
   * marked `false` when it is called; without the mark, the fitted surrogate is checked at the
   * first model-based proposal.
   */
  readonly gaussianProcess?: boolean;
  /**
   * Optional: what a later `fit` reuses of a surrogate this factory fitted (e.g. a GP's
   * hyperparameters), as a JSON value of plain finite numbers that reads back exactly, or
   * undefined when nothing. Given back as {@linkcode FitHints.previousState}, it warm-starts a fit
   * exactly as the surrogate itself would as {@linkcode FitHints.previous}; stored studies keep
   * it so that a resumed or another worker's proposal fits as an uninterrupted run would.
   */
  warmStartState?(surrogate: Surrogate): unknown;
  /**
   * Fits a surrogate to points of the unit cube and their values (finite numbers, lower is
   * better, one per point), and returns it synchronously; its predictions are in the units of
   * `values`. What callers pass:
   * - `bayesOpt` (hence `minimize`, `SMBO`, `smac` and the transfer strategies' proposers): the
   *   values of the study's complete trials (failed ones at the worst value with
   *   `failedTrials: "worst"`) on the lower-is-better scale (negated when the study maximises),
   *   standardised to mean 0 and variance 1 (`standardizeTargets`), then transformed by its
   *   `outcomeTransform` (`"yeo-johnson"` for the default GP; `"none"`, i.e. just standardised,
   *   for a factory of your own unless another is asked for; `"log-scaled"` for `smac`'s forest);
   *   for batches and pending trials, points are added at the surrogate's own posterior mean
   *   (the kriging believer): a GP of `fitGP` or `gpFactory` is conditioned on them with its
   *   hyperparameters, standardisation and constant mean kept (`conditionOnObservations`, as
   *   BoTorch's `fantasize`); another surrogate is fitted again (`hints.mode: "keep"`), which
   *   the transfer surrogates answer by conditioning their model of the target task on the
   *   believed points, weights and hyperparameters kept (RGPE's and TST-R's target GP at its own
   *   mean, so that the ensemble's mean stays), and a random forest by growing new trees (its
   *   mean and variance then move). A transfer surrogate used as
   *   `bayesOpt`'s factory (RGPE, TST-R, ABLR, FSBO) receives the target task's values so; it
   *   fits its models of the past tasks to their own values itself.
   * - `recommendBest`: the values on the lower-is-better scale, standardised (and Yeo–Johnson
   *   transformed for ranking with the default transform).
   * - Study plots (`lib/viz`): the raw values, divided by their largest magnitude when it is
   *   beyond 1e100.
   */
  fit(
    points: readonly Float64Array[],
    values: Float64Array,
    rng: Rng,
    hints?: FitHints,
  ): Surrogate;
}
