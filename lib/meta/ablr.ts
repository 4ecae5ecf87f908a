/**
 * ABLR, adaptive Bayesian linear regression (Perrone, Jenatton, Seeger & Archambeau 2018,
 * "Scalable hyperparameter transfer learning", NeurIPS): one neural feature map φ(x) ∈ ℝᴰ shared
 * by all tasks and one Bayesian linear regression head per task,
 *
 *     y_t = Φ_t w_t + ε,   w_t ~ N(0, α_t⁻¹ I_D),   ε ~ N(0, β_t⁻¹ I),
 *
 * learned jointly by minimising the sum over the prior tasks of the negative log marginal
 * likelihoods (each task's values standardised to mean 0, variance 1):
 *
 *     −log p(y | Φ, α, β) = n/2 log 2π − n/2 log β − D/2 log α + β/2 ‖y − Φm‖² + α/2 ‖m‖² + ½ log|A|,
 *     A = α I + β ΦᵀΦ,   m = β A⁻¹ Φᵀy,
 *
 * whose gradients are ∂/∂Φ = β (Φ A⁻¹ − r mᵀ) with r = y − Φm,
 * ∂/∂log α = ½ (α‖m‖² + α tr A⁻¹ − D) and ∂/∂log β = ½ (β‖r‖² + D − α tr A⁻¹ − n), back-propagated
 * through φ analytically. Everything is Float64 plain TypeScript (one D×D Cholesky per task per
 * evaluation); the optimiser is the project's L-BFGS-B.
 *
 * φ is a fully connected tanh network with two layers of `hidden` = 50 and `features` = 50 units
 * (the paper: three layers of 50 tanh units, D = 50). {@linkcode fitAblr} learns φ and the heads
 * from the prior tasks. On the target task, as in the paper, φ is then learned jointly with the
 * target's own head: the objective is the same sum of negative log marginal likelihoods with the
 * target task's observations as one more task ({@linkcode refitAblr}). The paper refits from
 * scratch at every BO step; here the refit is warm-started from the previous network and heads
 * and runs a few L-BFGS-B iterations every `refitEvery` target observations (default 5, 20
 * iterations), which keeps a 50-evaluation run to seconds. The refitted map is the factory's
 * `warmStartState`, which a stored study keeps with each proposal, so that a resumed study
 * continues from it (see {@linkcode ablr}). Between refits, and with
 * `refitEvery: 0` (the feature map learned once from the prior tasks and kept fixed), only the
 * target task's head (α, β, and its posterior over w) is fitted at each step, by maximising its
 * marginal likelihood plus a log-normal prior centred on the prior tasks' heads (so that a head
 * fitted to one or two observations stays sensible), at a cost of O(n·D² + D³).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { cholesky, equalVectors, inverseFromCholesky, solveLowerTranspose } from "../linalg/mod.ts";
import { lbfgsb } from "../optim/lbfgsb.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import { standardScore } from "../stats/descriptive.ts";
import type {
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "../models/surrogate.ts";
import { Rng } from "../random/rng.ts";
import {
  checkPoint,
  checkPoints,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";
import type { EncodedTask } from "./base_models.ts";
import { checkEncodedTasks } from "./portfolio.ts";
import {
  featureBackward as backward,
  featureForward as forward,
  featureJacobian,
  type FeatureMapShape,
  initialNetwork,
  networkSize,
} from "./feature_map.ts";

/** Options of {@linkcode fitAblr}; defaults in {@linkcode ABLR_DEFAULTS}. */
export interface AblrOptions {
  /** Units of the hidden tanh layer. */
  hidden?: number;
  /** Number D of features (units of the output tanh layer). */
  features?: number;
  /** L-BFGS-B iterations of the joint fit. */
  iterations?: number;
  /** Seed of the network's initial weights. */
  seed?: number;
  /**
   * {@linkcode ablr}: refit the feature map jointly with the target task every this many new
   * target observations ({@linkcode refitAblr}); 0 keeps the map learned from the prior tasks.
   */
  refitEvery?: number;
  /** {@linkcode ablr}: L-BFGS-B iterations of each warm-started joint refit. */
  refitIterations?: number;
}

/**
 * Defaults of {@linkcode fitAblr} and {@linkcode ablr}: 50 hidden units, D = 50 features (Perrone
 * et al. 2018), 100 L-BFGS-B iterations, seed 0; joint refits with the target task every 5 target
 * observations, 20 warm-started iterations each.
 *
 * @example
 * ```ts
 * import { ABLR_DEFAULTS } from "./ablr.ts";
 * console.log(ABLR_DEFAULTS.features); // 50
 * ```
 */
export const ABLR_DEFAULTS: Readonly<Required<AblrOptions>> = Object.freeze({
  hidden: 50,
  features: 50,
  iterations: 100,
  seed: 0,
  refitEvery: 5,
  refitIterations: 20,
});

/** The schema of `AblrOptions` (also checks `transferOptions`' `ablr`). */
export const ablrOptionsSchema = z.strictObject({
  hidden: positiveIntSchema.optional(),
  features: positiveIntSchema.optional(),
  iterations: positiveIntSchema.optional(),
  seed: z.number().int("must be an integer").optional(),
  refitEvery: nonNegativeIntSchema.optional(),
  refitIterations: positiveIntSchema.optional(),
});

/** Shape of ABLR's feature network (see `feature_map.ts`): input dimension, hidden units, features. */
export type AblrShape = FeatureMapShape;

export { networkSize };

/** A Bayesian linear regression head fitted to features Φ (n×D) and values y. */
interface Head {
  /** Negative log marginal likelihood. */
  nll: number;
  /** ∂nll/∂Φ (n×D), when asked. */
  gPhi?: Float64Array;
  /** ∂nll/∂log α. */
  gLogAlpha: number;
  /** ∂nll/∂log β. */
  gLogBeta: number;
  /** Posterior mean of the weights. */
  m: Float64Array;
  /** Cholesky factor of A = αI + βΦᵀΦ. */
  lower: Float64Array;
  /** A⁻¹. */
  inverse: Float64Array;
}

function head(
  phi: Float64Array,
  n: number,
  D: number,
  y: Float64Array,
  alpha: number,
  beta: number,
  withPhiGradient: boolean,
): Head {
  const a = new Float64Array(D * D);
  const c = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    const row = i * D;
    const yi = y[i];
    for (let f = 0; f < D; f++) {
      const pf = phi[row + f];
      c[f] += pf * yi;
      const af = f * D;
      for (let g = 0; g <= f; g++) a[af + g] += pf * phi[row + g];
    }
  }
  for (let f = 0; f < D; f++) {
    for (let g = 0; g < f; g++) {
      a[f * D + g] *= beta;
      a[g * D + f] = a[f * D + g];
    }
    a[f * D + f] = alpha + beta * a[f * D + f];
  }
  const { lower } = cholesky(a, D);
  const inverse = inverseFromCholesky(lower, D);
  const m = new Float64Array(D);
  for (let f = 0; f < D; f++) {
    let s = 0;
    for (let g = 0; g < D; g++) s += inverse[f * D + g] * c[g];
    m[f] = beta * s;
  }
  const r = new Float64Array(n);
  let rr = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < D; f++) s += phi[i * D + f] * m[f];
    r[i] = y[i] - s;
    rr += r[i] * r[i];
  }
  let mm = 0, trace = 0, logDet = 0;
  for (let f = 0; f < D; f++) {
    mm += m[f] * m[f];
    trace += inverse[f * D + f];
    logDet += Math.log(lower[f * D + f]);
  }
  const nll = 0.5 * n * Math.log(2 * Math.PI) - 0.5 * n * Math.log(beta) -
    0.5 * D * Math.log(alpha) + 0.5 * beta * rr + 0.5 * alpha * mm + logDet;
  let gPhi: Float64Array | undefined;
  if (withPhiGradient) {
    // A⁻¹ is symmetric: row f of A⁻¹ is its column f (contiguous reads).
    gPhi = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      const row = i * D;
      for (let f = 0; f < D; f++) {
        let s = 0;
        const col = f * D;
        for (let g = 0; g < D; g++) s += phi[row + g] * inverse[col + g];
        gPhi[row + f] = beta * (s - r[i] * m[f]);
      }
    }
  }
  return {
    nll,
    gPhi,
    gLogAlpha: 0.5 * (alpha * mm + alpha * trace - D),
    gLogBeta: 0.5 * (beta * rr + D - alpha * trace - n),
    m,
    lower,
    inverse,
  };
}

/** Bounds of log α and log β. */
const LOG_BOUND = 12;

/**
 * The joint objective of ABLR: Σ_t −log p(y_t | φ, α_t, β_t) and its gradient, at parameters
 * `theta` = [network ({@linkcode networkSize} entries), then log α_t, log β_t per task]; `tasks`
 * hold points and standardised values. Exposed for the gradient test.
 *
 * @example
 * ```ts
 * import { ablrObjective, networkSize } from "./ablr.ts";
 * const shape = { dim: 1, hidden: 3, features: 2 };
 * const tasks = [{ points: [Float64Array.of(0.1), Float64Array.of(0.7)], values: Float64Array.of(-1, 1) }];
 * const theta = new Float64Array(networkSize(shape) + 2).fill(0.1);
 * const { value, gradient } = ablrObjective(theta, shape, tasks);
 * ```
 */
export function ablrObjective(
  theta: Float64Array,
  shape: AblrShape,
  tasks: readonly { points: readonly Float64Array[]; values: Float64Array }[],
): { value: number; gradient: Float64Array } {
  const size = networkSize(shape);
  const net = theta.subarray(0, size);
  const gradient = new Float64Array(theta.length);
  let value = 0;
  tasks.forEach((task, t) => {
    const alpha = Math.exp(theta[size + 2 * t]);
    const beta = Math.exp(theta[size + 2 * t + 1]);
    const { h, phi } = forward(net, shape, task.points);
    const fit = head(phi, task.points.length, shape.features, task.values, alpha, beta, true);
    value += fit.nll;
    gradient[size + 2 * t] = fit.gLogAlpha;
    gradient[size + 2 * t + 1] = fit.gLogBeta;
    backward(net, shape, task.points, h, phi, fit.gPhi!, gradient);
  });
  return { value, gradient };
}

/** A feature map learned by {@linkcode fitAblr}, with the prior tasks' heads. */
export interface AblrModel {
  /** Network shape. */
  readonly shape: AblrShape;
  /** Network parameters (W1, b1, W2, b2). */
  readonly net: Float64Array;
  /** log α and log β of each prior task's head, in task order. */
  readonly heads: readonly {
    readonly id: string;
    readonly logAlpha: number;
    readonly logBeta: number;
  }[];
  /** Final value of the joint objective (summed negative log marginal likelihood). */
  readonly objective: number;
  /**
   * The prior tasks' points and standardised values the map was learned from, in task order
   * (what {@linkcode refitAblr} learns from again, with the target task).
   */
  readonly data?: readonly {
    readonly points: readonly Float64Array[];
    readonly values: Float64Array;
  }[];
}

/**
 * Minimises the joint objective (per observation, so that the L-BFGS-B tolerances do not depend
 * on the data size) from `theta`, with log α and log β bounded.
 */
function optimiseJoint(
  theta: Float64Array,
  shape: AblrShape,
  data: readonly { points: readonly Float64Array[]; values: Float64Array }[],
  iterations: number,
): { x: Float64Array; objective: number } {
  const size = networkSize(shape);
  const lower = new Float64Array(theta.length).fill(-Infinity);
  const upper = new Float64Array(theta.length).fill(Infinity);
  for (let i = size; i < theta.length; i++) {
    lower[i] = -LOG_BOUND;
    upper[i] = LOG_BOUND;
  }
  const total = data.reduce((s, t) => s + t.points.length, 0);
  const result = lbfgsb(
    (x) => {
      const { value, gradient } = ablrObjective(x, shape, data);
      for (let i = 0; i < gradient.length; i++) gradient[i] /= total;
      return { value: value / total, gradient };
    },
    theta,
    { lower, upper, maxIterations: iterations, maxEvaluations: 2 * iterations },
  );
  return { x: result.x, objective: result.value * total };
}

/**
 * Learns ABLR's shared feature map from prior tasks (see the module docs): the network and every
 * task's (α, β) jointly, by L-BFGS-B on the summed negative log marginal likelihood. The tasks are
 * checked first (`checkEncodedTasks`): at least one, each with at least one point, every point the
 * same number of finite coordinates, and one finite value per point; errors name the field, e.g.
 * `fitAblr.tasks[0].values: expected 3 (one per point), got 2`.
 *
 * @example
 * ```ts
 * import { fitAblr } from "./ablr.ts";
 * const task = (c: number) => ({
 *   id: `c${c}`,
 *   points: [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x)),
 *   values: Float64Array.from([0, 0.25, 0.5, 0.75, 1], (x) => (x - c) ** 2),
 * });
 * const model = fitAblr([task(0.3), task(0.5)], { hidden: 8, features: 8, iterations: 20 });
 * ```
 */
export function fitAblr(tasks: readonly EncodedTask[], options: AblrOptions = {}): AblrModel {
  const parsed = parseOrThrow(ablrOptionsSchema, options, "ablr options");
  const settings = { ...ABLR_DEFAULTS, ...parsed };
  const dim = checkEncodedTasks(tasks, "fitAblr.tasks");
  const data = tasks.map((task) => ({
    points: task.points,
    values: standardizeTargets(task.values).scaled,
  }));
  const shape: AblrShape = { dim, hidden: settings.hidden, features: settings.features };
  const size = networkSize(shape);
  const rng = new Rng(settings.seed);
  const theta = new Float64Array(size + 2 * tasks.length);
  initialNetwork(shape, rng, theta.subarray(0, size));
  for (let t = 0; t < tasks.length; t++) {
    theta[size + 2 * t] = 0;
    theta[size + 2 * t + 1] = Math.log(10);
  }
  const { x, objective } = optimiseJoint(theta, shape, data, settings.iterations);
  return unpackModel(x, shape, tasks.map((t) => t.id), objective, data);
}

/** The model of a joint optimum `x`: network parameters, then (log α, log β) per task id. */
function unpackModel(
  x: Float64Array,
  shape: AblrShape,
  ids: readonly string[],
  objective: number,
  data: AblrModel["data"],
): AblrModel {
  const size = networkSize(shape);
  return {
    shape,
    net: x.slice(0, size),
    heads: ids.map((id, i) => ({ id, logAlpha: x[size + 2 * i], logBeta: x[size + 2 * i + 1] })),
    objective,
    data,
  };
}

/** Options of {@linkcode refitAblr}. */
export interface AblrRefitOptions {
  /** L-BFGS-B iterations (default `ABLR_DEFAULTS.refitIterations`). */
  iterations?: number;
  /** Id of the target task's head in the returned model (default `"target"`). */
  id?: string;
}

/**
 * ABLR's joint learning with the target task (Perrone et al. 2018): the shared network and every
 * head, the target's included, refitted on the summed negative log marginal likelihood of the prior
 * tasks (`model.data`) and the target's observations (standardised like the prior tasks'),
 * warm-started from `model`'s network and heads (the target's head from a previous refit when
 * `model` has one with the same id, else from the mean of the prior heads). Returns the refitted
 * model; its `heads` end with the target's, its `data` stays the prior tasks'. Every point must
 * have the model's input dimension and finite coordinates (else a `RangeError` naming
 * `points[i]` or `points[i][j]`).
 *
 * @example
 * ```ts
 * import { fitAblr, refitAblr } from "./ablr.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1];
 * const task = (c: number) => ({
 *   id: `c${c}`,
 *   points: xs.map((x) => Float64Array.of(x)),
 *   values: Float64Array.from(xs, (x) => (x - c) ** 2),
 * });
 * const model = fitAblr([task(0.3), task(0.5)], { hidden: 8, features: 8, iterations: 20 });
 * const joint = refitAblr(model, [Float64Array.of(0.2), Float64Array.of(0.6)], Float64Array.of(0.04, 0));
 * joint.heads.at(-1)?.id; // "target"
 * ```
 */
export function refitAblr(
  model: AblrModel,
  points: readonly Float64Array[],
  values: Float64Array,
  options: AblrRefitOptions = {},
): AblrModel {
  if (!model.data || model.data.length === 0) {
    throw new TypeError("refitAblr.model: needs the prior tasks' data (a model of fitAblr)");
  }
  if (points.length === 0 || points.length !== values.length) {
    throw new RangeError(
      `refitAblr: needs ≥ 1 point and one value per point (${points.length} points, ${values.length} values)`,
    );
  }
  checkPoints(points, model.shape.dim, "refitAblr.points", { finite: true });
  const id = options.id ?? "target";
  const iterations = options.iterations ?? ABLR_DEFAULTS.refitIterations;
  const priorCount = model.data.length;
  const prior = model.heads.slice(0, priorCount);
  const previous = model.heads.length > priorCount && model.heads[priorCount].id === id
    ? model.heads[priorCount]
    : {
      id,
      logAlpha: prior.reduce((s, h) => s + h.logAlpha, 0) / prior.length,
      logBeta: prior.reduce((s, h) => s + h.logBeta, 0) / prior.length,
    };
  const heads = [...prior, previous];
  const size = networkSize(model.shape);
  const theta = new Float64Array(size + 2 * heads.length);
  theta.set(model.net);
  heads.forEach((h, t) => {
    theta[size + 2 * t] = h.logAlpha;
    theta[size + 2 * t + 1] = h.logBeta;
  });
  const data = [...model.data, { points, values: standardizeTargets(values).scaled }];
  const { x, objective } = optimiseJoint(theta, model.shape, data, iterations);
  return unpackModel(x, model.shape, heads.map((h) => h.id), objective, model.data);
}

/** Width of the log-normal prior on the target head's α and β (natural-log units). */
const HEAD_PRIOR_WIDTH = 1;

/**
 * The ABLR surrogate on a target task: the fixed feature map of `model` and a Bayesian linear
 * regression head fitted at each step (see the module docs). Predictions are in the target's
 * units; the variance is the latent one, φ(x)ᵀA⁻¹φ(x) (no noise); joint samples draw w from its
 * posterior N(m, A⁻¹).
 *
 * Given `kept`, a surrogate of the same model, its head's α, β and target standardisation are
 * kept instead of fitted: the posterior of that model given `points` and `values`, which, when
 * they extend `kept`'s data, is `kept` conditioned on the new observations (the variance nowhere
 * rises). This is how fantasies, the kriging believer of `bayesOpt`, are fitted
 * (`FitHints.mode: "keep"`). Points, here and in every prediction, must have the model's input
 * dimension and finite coordinates (else a `RangeError` naming the point, e.g.
 * `AblrSurrogate.predict: points[0]: expected 2 coordinates, got 1`).
 *
 * @example
 * ```ts
 * import { AblrSurrogate, fitAblr } from "./ablr.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x));
 * const model = fitAblr([{ id: "a", points: xs, values: Float64Array.of(4, 1, 0, 1, 4) }], {
 *   hidden: 4, features: 4, iterations: 10,
 * });
 * const fitted = new AblrSurrogate(model, xs.slice(0, 3), Float64Array.of(3, 1, 0.5));
 * const at = [Float64Array.of(0.9)];
 * const believed = fitted.predict(at).mean;
 * const fantasy = new AblrSurrogate(model, [...xs.slice(0, 3), ...at], Float64Array.of(3, 1, 0.5, believed[0]), fitted);
 * fantasy.alpha === fitted.alpha; // true
 * fantasy.predict(at).variance[0] <= fitted.predict(at).variance[0]; // true
 * ```
 */
export class AblrSurrogate implements Surrogate {
  /** Input dimension. */
  readonly dim: number;
  /** The head's α and β (weight precision and noise precision, standardised units). */
  readonly alpha: number;
  /** Noise precision β. */
  readonly beta: number;
  readonly #model: AblrModel;
  readonly #m: Float64Array;
  readonly #lower: Float64Array;
  readonly #inverse: Float64Array;
  readonly #shift: number;
  readonly #scale: number;

  /**
   * Fits the target head to `points` and `values` (at least one), or, given `kept` (a surrogate
   * of the same `model`), keeps its α, β and standardisation (see the class docs).
   */
  constructor(
    model: AblrModel,
    points: readonly Float64Array[],
    values: Float64Array,
    kept?: AblrSurrogate,
  ) {
    checkPoints(points, model.shape.dim, "AblrSurrogate: points", { finite: true });
    if (points.length === 0 || points.length !== values.length) {
      throw new RangeError(
        `AblrSurrogate: needs ≥ 1 point and one value per point (${points.length} points, ${values.length} values)`,
      );
    }
    if (kept !== undefined && (!(kept instanceof AblrSurrogate) || kept.#model !== model)) {
      throw new TypeError("AblrSurrogate.kept: must be an AblrSurrogate of the same model");
    }
    this.dim = model.shape.dim;
    this.#model = model;
    const { phi } = forward(model.net, model.shape, points);
    const n = points.length;
    const D = model.shape.features;
    if (kept !== undefined) {
      this.#shift = kept.#shift;
      this.#scale = kept.#scale;
      this.alpha = kept.alpha;
      this.beta = kept.beta;
      const scaled = values.map((v, j) => {
        const z = standardScore(v, this.#shift, this.#scale);
        if (!Number.isFinite(z)) {
          throw new RangeError(
            `AblrSurrogate: values[${j}] = ${v} is beyond float64 in kept's standardised units`,
          );
        }
        return z;
      });
      const h = head(phi, n, D, scaled, this.alpha, this.beta, false);
      this.#m = h.m;
      this.#lower = h.lower;
      this.#inverse = h.inverse;
      return;
    }
    const { mean, std, scaled } = standardizeTargets(values);
    this.#shift = mean;
    this.#scale = std;
    // The prior tasks' heads (a refitted model's last head is the target's own).
    const heads = model.data && model.heads.length > model.data.length
      ? model.heads.slice(0, model.data.length)
      : model.heads;
    const centre = (k: "logAlpha" | "logBeta") =>
      heads.reduce((s, h) => s + h[k], 0) / heads.length;
    const mu = Float64Array.of(centre("logAlpha"), centre("logBeta"));
    const s2 = HEAD_PRIOR_WIDTH * HEAD_PRIOR_WIDTH;
    const fit = lbfgsb(
      (x) => {
        const h = head(phi, n, D, scaled, Math.exp(x[0]), Math.exp(x[1]), false);
        return {
          value: h.nll + 0.5 * ((x[0] - mu[0]) ** 2 + (x[1] - mu[1]) ** 2) / s2,
          gradient: Float64Array.of(
            h.gLogAlpha + (x[0] - mu[0]) / s2,
            h.gLogBeta + (x[1] - mu[1]) / s2,
          ),
        };
      },
      mu.slice(),
      {
        lower: Float64Array.of(-LOG_BOUND, -LOG_BOUND),
        upper: Float64Array.of(LOG_BOUND, LOG_BOUND),
        maxIterations: 50,
      },
    );
    this.alpha = Math.exp(fit.x[0]);
    this.beta = Math.exp(fit.x[1]);
    const h = head(phi, n, D, scaled, this.alpha, this.beta, false);
    this.#m = h.m;
    this.#lower = h.lower;
    this.#inverse = h.inverse;
  }

  /**
   * Standardised posterior moments of the head at a feature row φ: μ = φᵀm and q = φᵀA⁻¹φ; `v`
   * (length D) receives A⁻¹φ, which the variance gradient needs.
   */
  #moments(row: Float64Array, v: Float64Array): { mu: number; q: number } {
    const D = v.length;
    let mu = 0, q = 0;
    for (let f = 0; f < D; f++) {
      mu += row[f] * this.#m[f];
      let s = 0;
      for (let g = 0; g < D; g++) s += this.#inverse[f * D + g] * row[g];
      v[f] = s;
      q += row[f] * s;
    }
    return { mu, q };
  }

  predict(points: readonly Float64Array[]): Prediction {
    checkPoints(points, this.dim, "AblrSurrogate.predict: points", { finite: true });
    const D = this.#model.shape.features;
    const { phi } = forward(this.#model.net, this.#model.shape, points);
    const mean = new Float64Array(points.length);
    const variance = new Float64Array(points.length);
    const v = new Float64Array(D);
    for (let i = 0; i < points.length; i++) {
      const { mu, q } = this.#moments(phi.subarray(i * D, (i + 1) * D), v);
      mean[i] = this.#shift + this.#scale * mu;
      variance[i] = this.#scale * this.#scale * Math.max(0, q);
    }
    return { mean, variance };
  }

  /** The posterior mean alone. */
  predictMean(points: readonly Float64Array[]): Float64Array {
    checkPoints(points, this.dim, "AblrSurrogate.predictMean: points", { finite: true });
    const D = this.#model.shape.features;
    const { phi } = forward(this.#model.net, this.#model.shape, points);
    return Float64Array.from(points, (_, i) => {
      let mu = 0;
      for (let f = 0; f < D; f++) mu += phi[i * D + f] * this.#m[f];
      return this.#shift + this.#scale * mu;
    });
  }

  predictWithGradient(point: Float64Array): PointPrediction {
    checkPoint(point, this.dim, "AblrSurrogate.predictWithGradient: point", { finite: true });
    const { dim: d, features: D } = this.#model.shape;
    const net = this.#model.net;
    const { h, phi } = forward(net, this.#model.shape, [point]);
    const jac = featureJacobian(net, this.#model.shape, h, phi);
    const v = new Float64Array(D);
    const { mu, q } = this.#moments(phi, v);
    const meanGradient = new Float64Array(d);
    const varianceGradient = new Float64Array(d);
    for (let f = 0; f < D; f++) {
      for (let j = 0; j < d; j++) {
        meanGradient[j] += jac[f * d + j] * this.#m[f];
        varianceGradient[j] += 2 * jac[f * d + j] * v[f];
      }
    }
    const s2 = this.#scale * this.#scale;
    return {
      mean: this.#shift + this.#scale * mu,
      variance: s2 * Math.max(0, q),
      meanGradient: meanGradient.map((g) => this.#scale * g),
      varianceGradient: varianceGradient.map((g) => s2 * g),
    };
  }

  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
    checkPoints(points, this.dim, "AblrSurrogate.sampleJoint: points", { finite: true });
    const D = this.#model.shape.features;
    const { phi } = forward(this.#model.net, this.#model.shape, points);
    return Array.from({ length: count }, () => {
      // w = m + L⁻ᵀz has covariance (LLᵀ)⁻¹ = A⁻¹.
      const w = solveLowerTranspose(this.#lower, D, rng.normals(D));
      for (let f = 0; f < D; f++) w[f] += this.#m[f];
      return Float64Array.from(points, (_, i) => {
        let s = 0;
        for (let f = 0; f < D; f++) s += phi[i * D + f] * w[f];
        return this.#shift + this.#scale * s;
      });
    });
  }
}

/**
 * ABLR as a {@linkcode SurrogateFactory} over a learned feature map (see {@linkcode fitAblr}). With
 * `refitEvery` k > 0 (default 5) the map is learned jointly with the target task: at the fit with
 * at least k target observations, and then every k more, {@linkcode refitAblr} refits it
 * (`refitIterations` warm-started L-BFGS-B iterations) on the prior tasks and every target
 * observation so far; in between, and with k = 0, only the target's head is fitted.
 *
 * Each refit starts from the map of the previous fit: that of `FitHints.previous` when it is a
 * surrogate of this factory; else, when no `previous` is given, of `FitHints.previousState`;
 * else the factory's last fit. A fit with `mode: "keep"` (the fantasies of a batch: `bayesOpt`'s
 * kriging believer) never refits: it keeps the previous map and, when `previous` is a surrogate
 * of this factory on that map (with any k), its head's α, β and target standardisation too, so
 * that the fantasy is the previous model conditioned on the believed points (`AblrSurrogate`'s
 * `kept`; the variance nowhere rises), as the hint asks. The factory's
 * `warmStartState` (k > 0 only: with k = 0 nothing is reused between fits) is that
 * map as JSON, `{ refitted, theta?, negativeZeros? }`: `refitted` the number of target
 * observations of the last joint refit (0: the prior tasks' map, no refit yet; the next refit
 * comes at `refitted` + k observations) and, after a refit, `theta` the refitted network
 * parameters followed by log α and log β of every head (the prior tasks', then the target's), the
 * layout of {@linkcode ablrObjective}, with `negativeZeros` the indices of its entries that are −0
 * (JSON writes −0 as 0), when there are any. Given back as `previousState`, the fit continues
 * exactly as from the surrogate itself, so a stored study resumes as the uninterrupted run. A state
 * that does not fit this factory (another factory's, another network or number of prior tasks,
 * more refitted observations than points) is ignored: the fit then starts from the prior tasks'
 * map, as does a fit whose points do not extend those of the last refit (a new run).
 *
 * @example
 * ```ts
 * import { ablr, fitAblr } from "./ablr.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * const task = {
 *   id: "a",
 *   points: [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x)),
 *   values: Float64Array.of(4, 1, 0, 1, 4),
 * };
 * const proposer = bayesOpt({ surrogate: ablr(fitAblr([task], { hidden: 8, features: 8, iterations: 20 })) });
 * ```
 *
 * @example
 * ```ts
 * import { ablr, fitAblr } from "./ablr.ts";
 * import { Rng } from "../random/rng.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1];
 * const task = { id: "a", points: xs.map((x) => Float64Array.of(x)), values: Float64Array.from(xs, (x) => (x - 0.4) ** 2) };
 * const model = fitAblr([task], { hidden: 4, features: 4, iterations: 10 });
 * const options = { refitEvery: 2, refitIterations: 3 };
 * const factory = ablr(model, options);
 * const points = [0.1, 0.6, 0.9].map((x) => Float64Array.of(x));
 * const values = Float64Array.from(points, (p) => (p[0] - 0.5) ** 2);
 * const fitted = factory.fit(points, values, new Rng(0)); // refitted with the 3 observations
 * const state = JSON.parse(JSON.stringify(factory.warmStartState!(fitted)));
 * console.log(state.refitted); // 3
 * // In another process, a new factory continues from the state as this one would from `fitted`.
 * const more = [...points, Float64Array.of(0.4)];
 * ablr(model, options).fit(more, Float64Array.of(...values, 0.01), new Rng(0), {
 *   previousState: state,
 * });
 * ```
 */
export function ablr(
  model: AblrModel,
  options: Pick<AblrOptions, "refitEvery" | "refitIterations"> = {},
): SurrogateFactory {
  if (!(model?.net instanceof Float64Array) || !Array.isArray(model.heads)) {
    throw new TypeError("ablr.model: must be a model of fitAblr");
  }
  const parsed = parseOrThrow(ablrOptionsSchema, options, "ablr options");
  const refitEvery = parsed.refitEvery ?? ABLR_DEFAULTS.refitEvery;
  const iterations = parsed.refitIterations ?? ABLR_DEFAULTS.refitIterations;
  if (refitEvery > 0 && !model.data) {
    throw new TypeError("ablr.model: joint refits need the prior tasks' data (a model of fitAblr)");
  }
  const initial: RefitState = { model, points: [] };
  // The map each surrogate of this factory was fitted with, and the factory's last fit's.
  const fitted = new WeakMap<Surrogate, RefitState>();
  let last = initial;
  return {
    name: "ablr",
    // An AblrSurrogate (Bayesian linear regression on learned features): no "lognei".
    gaussianProcess: false,
    ...(refitEvery > 0
      ? {
        warmStartState(surrogate: Surrogate) {
          const state = fitted.get(surrogate);
          return state === undefined ? undefined : encodeRefitState(state);
        },
      }
      : {}),
    fit(points, values, _rng, hints) {
      checkPoints(points, model.shape.dim, "ablr.fit: points", { finite: true });
      const previous = hints?.previous === undefined ? undefined : fitted.get(hints.previous);
      // A fantasy on the previous fit's map keeps its head (α, β, standardisation): no fitting.
      const keptHead = (state: RefitState) =>
        hints?.mode === "keep" && previous === state ? hints.previous as AblrSurrogate : undefined;
      // Without joint refits, always the prior tasks' map: nothing to continue from.
      if (refitEvery === 0) {
        const surrogate = new AblrSurrogate(model, points, values, keptHead(initial));
        fitted.set(surrogate, initial);
        return surrogate;
      }
      let state = previous ??
        (hints?.previous === undefined && hints?.previousState !== undefined
          ? decodeRefitState(hints.previousState, model, points) ?? initial
          : last);
      const extends_ = state.points.length <= points.length &&
        state.points.every((p, i) => equalVectors(p, points[i]));
      if (!extends_) state = initial;
      if (
        hints?.mode !== "keep" && points.length >= Math.max(1, state.points.length + refitEvery)
      ) {
        state = {
          model: refitAblr(state.model, points, values, { iterations }),
          points: points.slice(),
        };
      }
      last = state;
      const surrogate = new AblrSurrogate(state.model, points, values, keptHead(state));
      fitted.set(surrogate, state);
      return surrogate;
    },
  };
}

/**
 * The map a fit of {@linkcode ablr} used: the factory's model, or that of the last joint refit
 * with the target observations it was made with.
 */
interface RefitState {
  readonly model: AblrModel;
  readonly points: readonly Float64Array[];
}

/** The JSON form of a {@linkcode RefitState} (see {@linkcode ablr}). */
interface RefitStateJSON {
  refitted: number;
  theta?: number[];
  negativeZeros?: number[];
}

/**
 * `state` as plain finite JSON numbers: the refit count and, after a refit, the network and heads
 * (−0 written as 0 and listed in `negativeZeros`). Undefined when a value is not finite, which a
 * refit never gives (L-BFGS-B accepts only points of finite objective, from a finite start).
 */
function encodeRefitState(state: RefitState): RefitStateJSON | undefined {
  if (state.points.length === 0) return { refitted: 0 };
  const theta = [
    ...state.model.net,
    ...state.model.heads.flatMap((h) => [h.logAlpha, h.logBeta]),
  ];
  if (!theta.every(Number.isFinite)) return undefined;
  const negativeZeros: number[] = [];
  theta.forEach((v, i) => {
    if (Object.is(v, -0)) {
      negativeZeros.push(i);
      theta[i] = 0;
    }
  });
  return {
    refitted: state.points.length,
    theta,
    ...(negativeZeros.length > 0 ? { negativeZeros } : {}),
  };
}

/**
 * The {@linkcode RefitState} that `state` ({@linkcode encodeRefitState}'s JSON) describes for a
 * factory of `model` fitting `points`, or undefined when it is not one: other keys, a refit count
 * that is not an integer in [0, points], a `theta` that is not `model`'s network and heads (the
 * prior tasks' and the target's) in finite numbers, `negativeZeros` that are not increasing
 * indices of zeros of `theta`.
 */
function decodeRefitState(
  state: unknown,
  model: AblrModel,
  points: readonly Float64Array[],
): RefitState | undefined {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return undefined;
  const { refitted, theta, negativeZeros, ...rest } = state as Record<string, unknown>;
  if (
    Object.keys(rest).length > 0 || !Number.isInteger(refitted) || (refitted as number) < 0 ||
    (refitted as number) > points.length
  ) {
    return undefined;
  }
  if (refitted === 0) {
    return theta === undefined && negativeZeros === undefined ? { model, points: [] } : undefined;
  }
  const priorCount = model.data?.length ?? 0;
  const size = networkSize(model.shape);
  if (
    priorCount === 0 || !Array.isArray(theta) || theta.length !== size + 2 * (priorCount + 1) ||
    !theta.every((v) => typeof v === "number" && Number.isFinite(v))
  ) {
    return undefined;
  }
  const values = Float64Array.from(theta as number[]);
  if (negativeZeros !== undefined) {
    if (!Array.isArray(negativeZeros)) return undefined;
    let previous = -1;
    for (const i of negativeZeros) {
      if (!Number.isInteger(i) || i <= previous || i >= values.length || values[i] !== 0) {
        return undefined;
      }
      values[i] = -0;
      previous = i;
    }
  }
  const ids = [...model.heads.slice(0, priorCount).map((h) => h.id), "target"];
  return {
    // The objective is not kept: no later fit reads it.
    model: unpackModel(values, model.shape, ids, NaN, model.data),
    points: points.slice(0, refitted as number),
  };
}
