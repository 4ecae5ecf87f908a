/**
 * FSBO, few-shot Bayesian optimisation with a deep kernel surrogate (Wistuba & Grabocka 2021,
 * "Few-shot Bayesian optimization with deep kernel surrogates", ICLR): one GP whose kernel acts
 * on learned features,
 *
 *     k(x, x′) = s² · Matérn-5/2(‖(φ(x) − φ(x′)) / ℓ‖),   y = f(x) + ε,   ε ~ N(0, σ²),
 *
 * with a constant prior mean, φ the tanh network of `feature_map.ts` and one set of network and
 * kernel parameters shared by every past task. **Meta-training** ({@linkcode fitFsbo}) minimises
 * the GP's negative log marginal likelihood per point on mini-batches: at each Adam step one past
 * task (tasks in a fresh random order each epoch) and `batchSize` of its points drawn at random,
 * its values standardised over the whole task, with a cosine-annealed learning rate. **On the new
 * task** ({@linkcode fineTuneFsbo}) the meta-learned parameters are fine-tuned at every step, from
 * the meta-learned values, on the task's own observations (full batch, Adam, stopped after
 * `patience` steps without a change of the loss above `tolerance`, the best parameters kept), as
 * the authors' code does at each BO iteration; the surrogate is then the exact GP on the features
 * (`fitGP` with the fine-tuned hyperparameters, its mean profiled as a generalised-least-squares
 * constant), and acquisition gradients flow through the network's Jacobian.
 *
 * The gradient of the log marginal likelihood with respect to the features is
 * ∂ log p/∂φᵢ = Σⱼ Wᵢⱼ ∂k(φᵢ, φⱼ)/∂φᵢ with W = ααᵀ − K_y⁻¹ (`MarginalLikelihood`'s weights),
 * back-propagated through the network analytically; everything is Float64 plain TypeScript.
 *
 * What differs from the paper and its code (HPO-B's FSBO): the network is the one hidden layer of
 * `hidden` tanh units and `features` tanh outputs shared with ABLR (the code: four layers of 32
 * units, ReLU between them, a linear output); the kernel has one lengthscale per feature (the
 * code: one lengthscale); values are standardised per task (the code: min–max scaled);
 * meta-training runs `metaIterations` Adam steps at a higher learning rate (the code: 50,000 to
 * 100,000 epochs over every task at 1e-4, keeping the checkpoint of best validation loss; no
 * validation split here) and the fine-tuning at most `fineTuneSteps` (its test script: 100); the
 * task-augmentation of the paper (random rescaling of the values) is not used. A PyTorch/GPyTorch
 * FSBO written after the authors' code (`bench/peers/fsbo_torch.py`) runs beside this one on the
 * MLP meta-dataset in `bench/fsbo_peer.ts` (results and the settings it follows in
 * `results/transfer/fsbo_peer/`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { conditionOnObservations, fitGP, type GaussianProcess, GP_DEFAULTS } from "../gp/gp.ts";
import { type Kernel, matern52Kernel } from "../gp/kernels.ts";
import type { SamplePath, SamplePathOptions } from "../gp/pathwise.ts";
import { MarginalLikelihood } from "../gp/likelihood.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import type {
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "../models/surrogate.ts";
import { AdamState } from "../optim/adam.ts";
import { Rng } from "../random/rng.ts";
import {
  checkPoint,
  checkPoints,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
  withoutUndefined,
} from "../validate.ts";
import { type EncodedTask, extendsObservations } from "./base_models.ts";
import { checkEncodedTasks } from "./portfolio.ts";
import {
  featureBackward,
  featureForward,
  featureJacobian,
  type FeatureMapShape,
  initialNetwork,
  networkSize,
} from "./feature_map.ts";

/** Options of {@linkcode fitFsbo} and {@linkcode fsbo}; defaults in {@linkcode FSBO_DEFAULTS}. */
export interface FsboOptions {
  /** Units of the hidden tanh layer. */
  hidden?: number;
  /** Number of features (units of the output tanh layer). */
  features?: number;
  /** Adam steps of the meta-training (one mini-batch of one past task each). */
  metaIterations?: number;
  /** Points per meta-training mini-batch (all of a task's points when it has fewer). */
  batchSize?: number;
  /** Initial learning rate of the meta-training (cosine-annealed to 1% of it). */
  learningRate?: number;
  /** Largest number of fine-tuning steps on the new task (0: no fine-tuning). */
  fineTuneSteps?: number;
  /** Learning rate of the fine-tuning. */
  fineTuneLearningRate?: number;
  /** Fine-tuning stops after this many steps in a row whose loss changed by ≤ `tolerance`. */
  patience?: number;
  /** Change of the per-point loss that counts as progress in the fine-tuning. */
  tolerance?: number;
  /** Lower bound of the noise variance (standardised values). */
  noiseFloor?: number;
  /** Seed of the initial weights and of the meta-training's task order and batches. */
  seed?: number;
}

/**
 * Defaults of FSBO: 32 hidden units and 32 features, 10,000 meta-training steps on batches of 64
 * points at a learning rate of 1e-2; up to 100 fine-tuning steps at 1e-3 with the authors'
 * stopping rule (patience 16, tolerance 1e-4); a noise floor of 1e-4 (GPyTorch's default, which
 * the authors' code keeps). The authors' code meta-trains at 1e-4 over some hundred times more
 * steps; the step count and rate here were chosen on a development family that no benchmark uses
 * (`bench/fsbo_settings.ts`, results in `results/transfer/fsbo_settings/`).
 *
 * @example
 * ```ts
 * import { FSBO_DEFAULTS } from "./fsbo.ts";
 * console.log(FSBO_DEFAULTS.batchSize); // 64
 * ```
 */
export const FSBO_DEFAULTS: Readonly<Required<FsboOptions>> = Object.freeze({
  hidden: 32,
  features: 32,
  metaIterations: 10000,
  batchSize: 64,
  learningRate: 1e-2,
  fineTuneSteps: 100,
  fineTuneLearningRate: 1e-3,
  patience: 16,
  tolerance: 1e-4,
  noiseFloor: 1e-4,
  seed: 0,
});

const rateSchema = z.number().positive("must be > 0").refine(Number.isFinite, "must be finite");

/** The schema of `FsboOptions` (also checks `transferOptions`' `fsbo`). */
export const fsboOptionsSchema = z.strictObject({
  hidden: positiveIntSchema.optional(),
  features: positiveIntSchema.optional(),
  metaIterations: nonNegativeIntSchema.optional(),
  batchSize: z.number().int("must be an integer").min(2, "must be ≥ 2").optional(),
  learningRate: rateSchema.optional(),
  fineTuneSteps: nonNegativeIntSchema.optional(),
  fineTuneLearningRate: rateSchema.optional(),
  patience: positiveIntSchema.optional(),
  tolerance: z.number().nonnegative("must be ≥ 0").optional(),
  noiseFloor: z.number().positive("must be > 0").max(1, "must be ≤ 1").optional(),
  seed: z.number().int("must be an integer").optional(),
});

/** A deep kernel learned by {@linkcode fitFsbo} (or fine-tuned by {@linkcode fineTuneFsbo}). */
export interface FsboModel {
  /** Network shape. */
  readonly shape: FeatureMapShape;
  /** Network parameters (W1, b1, W2, b2). */
  readonly net: Float64Array;
  /**
   * The kernel's log-hyperparameters (a Matérn-5/2 over the features: one log lengthscale per
   * feature, then the log outputscale), then the log noise variance.
   */
  readonly logHyperparameters: Float64Array;
  /** Mean per-point negative log marginal likelihood of the last epoch's batches (of the fit). */
  readonly loss: number;
}

/** The deep kernel's kernel over `features` features. */
function featureKernel(features: number): Kernel {
  return matern52Kernel(features);
}

/**
 * Log bounds of the hyperparameter vector `[kernel…, noise]` of a kernel over `features`:
 * lengthscales, outputscale and the noise's upper bound as the GP's defaults
 * (`GP_DEFAULTS.bounds`), the noise from `noiseFloor`.
 */
function logBounds(
  features: number,
  noiseFloor: number,
): { lower: Float64Array; upper: Float64Array } {
  const size = features + 2;
  const lower = new Float64Array(size), upper = new Float64Array(size);
  const { lengthscale, outputscale, noise } = GP_DEFAULTS.bounds;
  for (let f = 0; f < features; f++) {
    lower[f] = Math.log(lengthscale[0]);
    upper[f] = Math.log(lengthscale[1]);
  }
  lower[features] = Math.log(outputscale[0]);
  upper[features] = Math.log(outputscale[1]);
  lower[features + 1] = Math.log(noiseFloor);
  upper[features + 1] = Math.log(noise[1]);
  return { lower, upper };
}

/**
 * The per-point negative log marginal likelihood of a deep-kernel GP on one batch and its
 * gradient, at parameters `params` = [network ({@linkcode networkSize} entries), kernel
 * log-hyperparameters, log noise]; `values` are standardised by the caller. The gradient is
 * written to `gradient` (zeroed first). Returns `Infinity` (gradient zero) when the covariance
 * cannot be factorised. Exposed for the gradient test.
 *
 * @example
 * ```ts
 * import { fsboObjective } from "./fsbo.ts";
 * import { initialNetwork, networkSize } from "./feature_map.ts";
 * import { Rng } from "../random/rng.ts";
 * const shape = { dim: 1, hidden: 4, features: 2 };
 * const size = networkSize(shape);
 * const params = new Float64Array(size + shape.features + 2);
 * initialNetwork(shape, new Rng(0), params.subarray(0, size));
 * params[size + shape.features + 1] = Math.log(0.1); // noise
 * const gradient = new Float64Array(params.length);
 * const points = [0, 0.5, 1].map((x) => Float64Array.of(x));
 * const loss = fsboObjective(params, shape, points, Float64Array.of(-1, 0, 1), gradient);
 * ```
 */
export function fsboObjective(
  params: Float64Array,
  shape: FeatureMapShape,
  points: readonly Float64Array[],
  values: Float64Array,
  gradient: Float64Array,
): number {
  const size = networkSize(shape);
  const D = shape.features;
  const n = points.length;
  if (params.length !== size + D + 2 || gradient.length !== params.length) {
    throw new RangeError(
      `fsboObjective: params and gradient must have ${
        size + D + 2
      } entries (network, ${D} lengthscales, outputscale, noise)`,
    );
  }
  gradient.fill(0);
  const net = params.subarray(0, size);
  const hyper = params.subarray(size);
  const kernel = featureKernel(D);
  const { h, phi } = featureForward(net, shape, points);
  const likelihood = new MarginalLikelihood(kernel, phi, values, { constantMean: true });
  const hyperGradient = new Float64Array(D + 2);
  const weights = new Float64Array(n * n);
  const { value } = likelihood.evaluate(hyper, hyperGradient, weights);
  if (!Number.isFinite(value)) return Infinity;
  for (let j = 0; j < D + 2; j++) gradient[size + j] = -hyperGradient[j] / n;
  // ∂(−log p / n)/∂φᵢ = −(1/n) Σⱼ Wᵢⱼ ∂k(φᵢ, φⱼ)/∂φᵢ.
  const theta = hyper.subarray(0, D + 1);
  const gPhi = new Float64Array(n * D);
  const rows = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    kernel.inputGradient(theta, phi.subarray(i * D, (i + 1) * D), phi, n, rows);
    for (let j = 0; j < n; j++) {
      const w = weights[i * n + j];
      if (w === 0) continue;
      for (let f = 0; f < D; f++) gPhi[i * D + f] -= w * rows[j * D + f] / n;
    }
  }
  featureBackward(net, shape, points, h, phi, gPhi, gradient);
  return -value / n;
}

/** Clamps the hyperparameter part of `params` into the log bounds. */
function clampHyperparameters(
  params: Float64Array,
  size: number,
  bounds: { lower: Float64Array; upper: Float64Array },
): void {
  for (let j = 0; j < bounds.lower.length; j++) {
    const v = params[size + j];
    params[size + j] = Math.min(bounds.upper[j], Math.max(bounds.lower[j], v));
  }
}

/** Validated options with the defaults filled in. */
function settingsOf(options: FsboOptions, where: string): Required<FsboOptions> {
  // Keys given as `undefined` keep their defaults.
  return { ...FSBO_DEFAULTS, ...withoutUndefined(parseOrThrow(fsboOptionsSchema, options, where)) };
}

/**
 * FSBO's meta-training (see the module docs): the network and the kernel's hyperparameters
 * learned from past tasks by Adam on the per-point negative log marginal likelihood of random
 * mini-batches, one task per step. Tasks with fewer than 2 points are left out; a `RangeError` when
 * no task is left. The tasks are checked first (`checkEncodedTasks`): each needs at least one point,
 * every point the same number of finite coordinates, and one finite value per point; errors name
 * the field, e.g. `fitFsbo.tasks[1].points[4][0]: must be finite, got NaN`.
 *
 * @example
 * ```ts
 * import { fitFsbo } from "./fsbo.ts";
 * const xs = [0, 0.2, 0.4, 0.6, 0.8, 1];
 * const task = (c: number) => ({
 *   id: `c${c}`,
 *   points: xs.map((x) => Float64Array.of(x)),
 *   values: Float64Array.from(xs, (x) => (x - c) ** 2),
 * });
 * const model = fitFsbo([task(0.3), task(0.5)], { hidden: 8, features: 4, metaIterations: 50 });
 * model.logHyperparameters.length; // 4 lengthscales, outputscale, noise: 6
 * ```
 */
export function fitFsbo(tasks: readonly EncodedTask[], options: FsboOptions = {}): FsboModel {
  const settings = settingsOf(options, "fsbo options");
  const dim = checkEncodedTasks(tasks, "fitFsbo.tasks");
  // A task of one point has no marginal likelihood to learn from (its standardised value is 0).
  const data = tasks.flatMap((task) =>
    task.points.length < 2
      ? []
      : [{ points: task.points, values: standardizeTargets(task.values).scaled }]
  );
  if (data.length === 0) {
    throw new RangeError("fitFsbo.tasks: needs a prior task with at least 2 points");
  }
  const shape: FeatureMapShape = { dim, hidden: settings.hidden, features: settings.features };
  const size = networkSize(shape);
  const D = shape.features;
  const rng = new Rng(settings.seed);
  const params = new Float64Array(size + D + 2);
  initialNetwork(shape, rng, params.subarray(0, size));
  // Lengthscales of √D: distances between tanh features are of that order.
  for (let f = 0; f < D; f++) params[size + f] = 0.5 * Math.log(D);
  params[size + D] = 0;
  params[size + D + 1] = Math.log(Math.max(0.1, settings.noiseFloor));
  const bounds = logBounds(D, settings.noiseFloor);
  const adam = new AdamState(params.length);
  const gradient = new Float64Array(params.length);
  const total = settings.metaIterations;
  const floor = settings.learningRate / 100;
  let order: number[] = [];
  let epochLoss = 0, epochCount = 0, loss = NaN;
  for (let step = 0; step < total; step++) {
    if (order.length === 0) {
      if (epochCount > 0) loss = epochLoss / epochCount;
      epochLoss = 0;
      epochCount = 0;
      order = rng.shuffle(data.map((_, i) => i));
    }
    const task = data[order.pop()!];
    const m = task.points.length;
    const picks = m <= settings.batchSize
      ? Array.from({ length: m }, (_, i) => i)
      : rng.choose(m, settings.batchSize);
    const batchPoints = picks.map((i) => task.points[i]);
    const batchValues = Float64Array.from(picks, (i) => task.values[i]);
    const value = fsboObjective(params, shape, batchPoints, batchValues, gradient);
    if (!Number.isFinite(value)) continue;
    epochLoss += value;
    epochCount++;
    const rate = floor +
      0.5 * (settings.learningRate - floor) * (1 + Math.cos(Math.PI * step / total));
    adam.step(params, gradient, rate);
    clampHyperparameters(params, size, bounds);
  }
  if (epochCount > 0) loss = epochLoss / epochCount;
  return {
    shape,
    net: params.slice(0, size),
    logHyperparameters: params.slice(size),
    loss,
  };
}

/**
 * FSBO on the new task: the network and kernel of `model` fine-tuned on the task's observations
 * (values standardised), full batch, by Adam from `model`'s parameters, for at most
 * `fineTuneSteps` steps, stopped once the loss has changed by at most `tolerance` in `patience`
 * steps in a row; returns the parameters of the lowest loss seen (`model` itself when no step
 * lowered it, or with fewer than 2 observations). Deterministic. Every point must have the
 * model's input dimension and finite coordinates (else a `RangeError` naming `points[i]` or
 * `points[i][j]`).
 *
 * @example
 * ```ts
 * import { fineTuneFsbo, fitFsbo } from "./fsbo.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1];
 * const task = { id: "a", points: xs.map((x) => Float64Array.of(x)), values: Float64Array.from(xs, (x) => x * x) };
 * const model = fitFsbo([task], { hidden: 8, features: 4, metaIterations: 20 });
 * const tuned = fineTuneFsbo(model, [Float64Array.of(0.1), Float64Array.of(0.9)], Float64Array.of(1, 0));
 * ```
 */
export function fineTuneFsbo(
  model: FsboModel,
  points: readonly Float64Array[],
  values: Float64Array,
  options: Pick<
    FsboOptions,
    "fineTuneSteps" | "fineTuneLearningRate" | "patience" | "tolerance" | "noiseFloor"
  > = {},
): FsboModel {
  checkModel(model, "fineTuneFsbo.model");
  const settings = settingsOf(options, "fineTuneFsbo options");
  checkPoints(points, model.shape.dim, "fineTuneFsbo.points", { finite: true });
  if (points.length !== values.length) {
    throw new RangeError(
      `fineTuneFsbo: one value per point (${points.length} points, ${values.length} values)`,
    );
  }
  if (points.length < 2 || settings.fineTuneSteps === 0) return model;
  const scaled = standardizeTargets(values).scaled;
  const size = networkSize(model.shape);
  const params = new Float64Array(size + model.logHyperparameters.length);
  params.set(model.net);
  params.set(model.logHyperparameters, size);
  const bounds = logBounds(model.shape.features, settings.noiseFloor);
  const adam = new AdamState(params.length);
  const gradient = new Float64Array(params.length);
  let best = model, bestLoss = Infinity, previous = Infinity, calm = 0;
  for (let step = 0; step <= settings.fineTuneSteps; step++) {
    const loss = fsboObjective(params, model.shape, points, scaled, gradient);
    if (!Number.isFinite(loss)) break;
    if (loss < bestLoss) {
      bestLoss = loss;
      best = {
        shape: model.shape,
        net: params.slice(0, size),
        logHyperparameters: params.slice(size),
        loss,
      };
    }
    calm = Math.abs(loss - previous) <= settings.tolerance ? calm + 1 : 0;
    if (calm > settings.patience || step === settings.fineTuneSteps) break;
    previous = loss;
    adam.step(params, gradient, settings.fineTuneLearningRate);
    clampHyperparameters(params, size, bounds);
  }
  return best;
}

function checkModel(model: FsboModel, where: string): void {
  if (
    !(model?.net instanceof Float64Array) || !(model.logHyperparameters instanceof Float64Array) ||
    model.net.length !== networkSize(model.shape) ||
    model.logHyperparameters.length !== model.shape.features + 2
  ) {
    throw new TypeError(`${where}: must be a model of fitFsbo`);
  }
}

/**
 * The FSBO surrogate on a new task: the exact GP on the features φ(x) of `model`, with `model`'s
 * kernel hyperparameters and noise (the constant mean profiled), conditioned on `points` and
 * `values`. Predictions and samples are the GP's at the features; gradients with respect to x go
 * through the network's Jacobian. No fitting happens here (see {@linkcode fineTuneFsbo}). Points,
 * here and in every prediction, must have the model's input dimension and finite coordinates
 * (else a `RangeError` naming the point, e.g. `FsboSurrogate.predict: points[0]: expected 2
 * coordinates, got 3`).
 *
 * Given `kept`, a surrogate of the same model whose points and values `points` and `values`
 * extend ({@linkcode FsboSurrogate.extendedBy}), the GP is `kept`'s conditioned on the rest
 * (`conditionOnObservations`: its hyperparameters, target standardisation and constant mean
 * kept, so that the variance nowhere rises) instead of fitted to all of them with a fresh
 * standardisation and constant. This is how fantasies, the kriging believer of `bayesOpt`, are
 * fitted (`FitHints.mode: "keep"`).
 *
 * @example
 * ```ts
 * import { fitFsbo, FsboSurrogate } from "./fsbo.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x));
 * const model = fitFsbo([{ id: "a", points: xs, values: Float64Array.of(4, 1, 0, 1, 4) }], {
 *   hidden: 4, features: 2, metaIterations: 10,
 * });
 * const fitted = new FsboSurrogate(model, xs.slice(0, 3), Float64Array.of(3, 1, 0.5));
 * const at = [Float64Array.of(0.9)];
 * const believed = fitted.predict(at).mean;
 * const fantasy = new FsboSurrogate(model, [...xs.slice(0, 3), ...at], Float64Array.of(3, 1, 0.5, believed[0]), fitted);
 * fantasy.predict(at).variance[0] <= fitted.predict(at).variance[0]; // true
 * ```
 */
export class FsboSurrogate implements Surrogate {
  /** Input dimension. */
  readonly dim: number;
  /** The GP on the features. */
  readonly gp: GaussianProcess;
  /**
   * Posterior paths (for Thompson sampling): the feature GP's paths (random Fourier features plus
   * Matheron's update, Wilson et al. 2020) composed with the feature map, gradients by the chain
   * rule; present when the feature GP draws paths.
   */
  readonly samplePaths?: (count: number, rng: Rng, options?: SamplePathOptions) => SamplePath[];
  readonly #model: FsboModel;
  /** The observations (copies), for {@linkcode FsboSurrogate.extendedBy}. */
  readonly #data: { readonly points: readonly Float64Array[]; readonly values: Float64Array };

  /**
   * Conditions the deep-kernel GP of `model` on `points` and `values` (at least one); given
   * `kept`, conditions `kept`'s GP on the points beyond its own (see the class docs).
   */
  constructor(
    model: FsboModel,
    points: readonly Float64Array[],
    values: Float64Array,
    kept?: FsboSurrogate,
  ) {
    checkModel(model, "FsboSurrogate.model");
    checkPoints(points, model.shape.dim, "FsboSurrogate: points", { finite: true });
    if (points.length === 0 || points.length !== values.length) {
      throw new RangeError(
        `FsboSurrogate: needs ≥ 1 point and one value per point (${points.length} points, ${values.length} values)`,
      );
    }
    if (kept !== undefined && (!(kept instanceof FsboSurrogate) || kept.#model !== model)) {
      throw new TypeError("FsboSurrogate.kept: must be an FsboSurrogate of the same model");
    }
    if (kept !== undefined && !kept.extendedBy(points, values)) {
      throw new RangeError(
        `FsboSurrogate.kept: points and values must start with kept's ${kept.#data.points.length}`,
      );
    }
    this.dim = model.shape.dim;
    this.#model = model;
    this.#data = { points: points.map((p) => p.slice()), values: values.slice() };
    if (kept !== undefined) {
      const n = kept.#data.points.length;
      this.gp = conditionOnObservations(
        kept.gp,
        this.#features(points.slice(n)),
        values.subarray(n),
      )!;
    } else {
      const D = model.shape.features;
      const hyper = Array.from(model.logHyperparameters, Math.exp);
      this.gp = fitGP(this.#features(points), values, {
        kernel: featureKernel(D),
        hyperparameters: { kernel: hyper.slice(0, D + 1), noise: hyper[D + 1] },
        mean: "constant",
      });
    }
    if (typeof this.gp.samplePaths === "function") {
      this.samplePaths = (count, rng, options) => this.#samplePaths(count, rng, options);
    }
  }

  /** The feature GP's paths, each composed with the feature map (see `samplePaths`). */
  #samplePaths(count: number, rng: Rng, options?: SamplePathOptions): SamplePath[] {
    const { net, shape } = this.#model;
    const { dim: d, features: D } = shape;
    return this.gp.samplePaths!(count, rng, options).map((path) => ({
      dim: d,
      features: path.features,
      evaluate: (points: readonly Float64Array[]): Float64Array => {
        checkPoints(points, d, "FsboSurrogate path.evaluate: points", { finite: true });
        return path.evaluate(this.#features(points));
      },
      valueAndGradient: (point: Float64Array) => {
        checkPoint(point, d, "FsboSurrogate path.valueAndGradient: point", { finite: true });
        const { h, phi } = featureForward(net, shape, [point]);
        const at = path.valueAndGradient(phi);
        const jac = featureJacobian(net, shape, h, phi);
        const gradient = new Float64Array(d);
        for (let f = 0; f < D; f++) {
          for (let j = 0; j < d; j++) gradient[j] += jac[f * d + j] * at.gradient[f];
        }
        return { value: at.value, gradient };
      },
    }));
  }

  /**
   * Whether `points` and `values` extend this surrogate's observations (its points and values
   * first, unchanged: `extendsObservations`), so that `kept` can be this surrogate.
   */
  extendedBy(points: readonly Float64Array[], values: Float64Array): boolean {
    return extendsObservations(this.#data, points, values);
  }

  #features(points: readonly Float64Array[]): Float64Array[] {
    const D = this.#model.shape.features;
    const { phi } = featureForward(this.#model.net, this.#model.shape, points);
    return Array.from(points, (_, i) => phi.slice(i * D, (i + 1) * D));
  }

  predict(points: readonly Float64Array[]): Prediction {
    checkPoints(points, this.dim, "FsboSurrogate.predict: points", { finite: true });
    return this.gp.predict(this.#features(points));
  }

  /** The posterior mean alone. */
  predictMean(points: readonly Float64Array[]): Float64Array {
    checkPoints(points, this.dim, "FsboSurrogate.predictMean: points", { finite: true });
    return this.gp.predictMean(this.#features(points));
  }

  predictWithGradient(point: Float64Array): PointPrediction {
    checkPoint(point, this.dim, "FsboSurrogate.predictWithGradient: point", { finite: true });
    const { net, shape } = this.#model;
    const { dim: d, features: D } = shape;
    const { h, phi } = featureForward(net, shape, [point]);
    const at = this.gp.predictWithGradient(phi);
    const jac = featureJacobian(net, shape, h, phi);
    const meanGradient = new Float64Array(d);
    const varianceGradient = new Float64Array(d);
    for (let f = 0; f < D; f++) {
      const gm = at.meanGradient[f], gv = at.varianceGradient[f];
      for (let j = 0; j < d; j++) {
        meanGradient[j] += jac[f * d + j] * gm;
        varianceGradient[j] += jac[f * d + j] * gv;
      }
    }
    return { mean: at.mean, variance: at.variance, meanGradient, varianceGradient };
  }

  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
    checkPoints(points, this.dim, "FsboSurrogate.sampleJoint: points", { finite: true });
    return this.gp.sampleJoint(this.#features(points), count, rng);
  }
}

/**
 * FSBO as a {@linkcode SurrogateFactory} over a meta-trained deep kernel (see {@linkcode fitFsbo}):
 * each fit fine-tunes `model` on the observations ({@linkcode fineTuneFsbo}, from `model`'s
 * parameters every time, as the authors' code does at each BO step; `fineTuneSteps: 0` keeps the
 * meta-learned parameters) and conditions the GP on them. A fit with `mode: "keep"` (the
 * fantasies of a batch: `bayesOpt`'s kriging believer, Ginsbourger, Le Riche & Carraro 2010) with
 * `FitHints.previous` a surrogate of this factory tunes nothing: on points and values that extend
 * `previous`'s it is `previous` conditioned on the believed points ({@linkcode FsboSurrogate}'s
 * `kept`: hyperparameters, standardisation and constant mean kept, so that a fantasy does not
 * move the model), on other data the GP of `previous`'s fine-tuned model fitted to them (as
 * `gpFactory`'s `mode: "keep"`).
 *
 * @example
 * ```ts
 * import { fitFsbo, fsbo } from "./fsbo.ts";
 * import { bayesOpt } from "../smbo/bayes_opt.ts";
 * const xs = [0, 0.25, 0.5, 0.75, 1];
 * const task = { id: "a", points: xs.map((x) => Float64Array.of(x)), values: Float64Array.of(4, 1, 0, 1, 4) };
 * const proposer = bayesOpt({ surrogate: fsbo(fitFsbo([task], { hidden: 8, features: 4, metaIterations: 20 })) });
 * ```
 */
export function fsbo(
  model: FsboModel,
  options: Pick<
    FsboOptions,
    "fineTuneSteps" | "fineTuneLearningRate" | "patience" | "tolerance" | "noiseFloor"
  > = {},
): SurrogateFactory {
  checkModel(model, "fsbo.model");
  const settings = settingsOf(options, "fsbo options");
  // The fine-tuned model of each surrogate this factory fitted: a fantasy conditions it.
  const tunedOf = new WeakMap<Surrogate, FsboModel>();
  return {
    name: "fsbo",
    // An FsboSurrogate (a GP on learned features, not on the points): no "lognei".
    gaussianProcess: false,
    fit(points, values, _rng, hints) {
      checkPoints(points, model.shape.dim, "fsbo.fit: points", { finite: true });
      const previous = hints?.mode === "keep" && hints.previous instanceof FsboSurrogate
        ? hints.previous
        : undefined;
      const kept = previous === undefined ? undefined : tunedOf.get(previous);
      if (previous !== undefined && kept !== undefined) {
        // A fantasy: nothing tuned; the previous fit's GP conditioned on the believed points.
        const surrogate = new FsboSurrogate(
          kept,
          points,
          values,
          previous.extendedBy(points, values) ? previous : undefined,
        );
        tunedOf.set(surrogate, kept);
        return surrogate;
      }
      const tuned = fineTuneFsbo(model, points, values, settings);
      const surrogate = new FsboSurrogate(tuned, points, values);
      tunedOf.set(surrogate, tuned);
      return surrogate;
    },
  };
}
