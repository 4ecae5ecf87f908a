/**
 * Exact Gaussian-process regression with homoscedastic Gaussian noise and standardised targets,
 * hyperparameters fitted by MAP (log marginal likelihood + log priors, analytic gradients, L-BFGS-B
 * in log space with restarts drawn from the priors).
 *
 * Model: targets are standardised, ỹ = (y − ȳ)/s_y (population standard deviation, as
 * scikit-learn's `normalize_y`; s_y = 1 when the targets are constant), and ỹ ~ GP(m, k) + N(0, σ²)
 * with prior mean m = 0 (`mean: "zero"`, the default) or a constant m = c fitted with the
 * hyperparameters (`mean: "constant"`, the `ConstantMean` of BoTorch's SingleTaskGP; c is
 * profiled out in closed form, see `likelihood.ts`).
 * The standardisation (`standardizeTargets`) is overflow-free: any finite targets, 1e-300 to
 * 1e300 and mixtures of both, fit. Predictions are of the latent f in ORIGINAL units: mean·s_y + ȳ
 * and variance·s_y²; the variance is only representable while s_y < ~1e154 (beyond, it is
 * Infinity, never NaN, and so is a variance gradient beyond float64: the optimiser therefore
 * hands its surrogates standardised values, see `bayesOpt`). `predictStandardized` and
 * `predictStandardizedWithGradient` give the same posterior in standardised units, finite for any
 * targets; the acquisitions use them when s_y is extreme (see `marginalAcquisition`), and
 * `sampleJoint` (Thompson sampling) samples in standardised units and rescales, mean + s_y·f̃, when
 * the covariance in original units would leave float64 (s_y beyond ~1e±154). `samplePaths` draws
 * whole posterior functions instead (pathwise sampling, Wilson et al. 2020; see `pathwise.ts`),
 * for kernels with a spectral density.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import {
  cholesky,
  CholeskyError,
  type CholeskyFactor,
  solveLower,
  solveLowerRows,
  solveLowerTranspose,
} from "../linalg/mod.ts";
import { packRows } from "../linalg/mod.ts";
import type {
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "../models/surrogate.ts";
import type { Space } from "../space/space.ts";
import { lbfgsb } from "../optim/lbfgsb.ts";
import { Rng } from "../random/rng.ts";
import {
  checkPoint,
  checkPoints,
  describeValue,
  nonNegativeIntSchema,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
} from "../validate.ts";
import { standardizeTargets } from "./standardize.ts";
import { standardScore } from "../stats/descriptive.ts";
import { profileConstant } from "./likelihood.ts";
import {
  type HyperparameterKind,
  type Kernel,
  KERNEL_NAMES,
  kernelDiagonalGradient,
  kernelFromName,
  type KernelName,
  mixedCategoricalKernel,
} from "./kernels.ts";
import { MarginalLikelihood } from "./likelihood.ts";
import {
  matheronPath,
  type PathPosterior,
  SAMPLE_PATH_DEFAULTS,
  type SamplePath,
  type SamplePathOptions,
} from "./pathwise.ts";
import {
  type Prior,
  priorLogDensity,
  priorLogMode,
  priorSchema,
  samplePriorLog,
} from "./priors.ts";

/**
 * Priors of the three kinds of GP hyperparameters.
 *
 * @example
 * ```ts
 * import type { GpPriors } from "./gp.ts";
 * const priors: Partial<GpPriors> = { noise: { type: "lognormal", loc: -6, scale: 1 } };
 * ```
 */
export interface GpPriors {
  /** Prior of every ARD lengthscale. */
  readonly lengthscale: Prior;
  /** Prior of every kernel outputscale (a variance, in standardised units). */
  readonly outputscale: Prior;
  /** Prior of the noise variance σ² (in standardised units). */
  readonly noise: Prior;
  /**
   * Prior of every categorical lengthscale (`gpFactory({ categorical: "hamming" })`); unset:
   * `GP_DEFAULTS.categoricalLengthscalePrior`, flat as in BoTorch's `MixedSingleTaskGP`.
   */
  readonly categoricalLengthscale?: Prior;
}

/**
 * Closed intervals [low, high] of the natural (not log) hyperparameter values.
 *
 * @example
 * ```ts
 * import type { GpBounds } from "./gp.ts";
 * const bounds: Partial<GpBounds> = { lengthscale: [0.01, 10] };
 * ```
 */
export interface GpBounds {
  /** Range of each lengthscale (inputs live in the unit cube). */
  readonly lengthscale: readonly [number, number];
  /** Range of each outputscale. */
  readonly outputscale: readonly [number, number];
  /** Range of the noise variance of the standardised targets. */
  readonly noise: readonly [number, number];
  /** Range of each categorical lengthscale; unset: `GP_DEFAULTS.bounds.categoricalLengthscale`. */
  readonly categoricalLengthscale?: readonly [number, number];
}

/**
 * BoTorch ≥ 0.12 default priors for inputs of dimension `dim` (Hvarfner et al. 2024, "Vanilla
 * Bayesian optimization performs great in high dimensions"): lengthscale
 * LogNormal(√2 + ½ ln dim, √3), noise LogNormal(−4, 1). BoTorch 0.12 has no outputscale; our
 * kernels keep one, with the older BoTorch prior Gamma(2, 0.15) (mode 6.7, mean 13.3 in
 * standardised units: a mild pull towards functions that use the whole target range).
 *
 * @example
 * ```ts
 * import { logNormalPriors } from "./gp.ts";
 * logNormalPriors(6).lengthscale; // { type: "lognormal", loc: √2 + ½ ln 6 ≈ 2.31, scale: √3 }
 * ```
 */
export function logNormalPriors(dim: number): GpPriors {
  parseOrThrow(positiveIntSchema, dim, "logNormalPriors: dim");
  return {
    lengthscale: { type: "lognormal", loc: Math.SQRT2 + 0.5 * Math.log(dim), scale: Math.sqrt(3) },
    outputscale: { type: "gamma", concentration: 2, rate: 0.15 },
    noise: { type: "lognormal", loc: -4, scale: 1 },
  };
}

/**
 * The older BoTorch (< 0.12) Gamma priors: lengthscale Gamma(3, 6), outputscale Gamma(2, 0.15),
 * noise Gamma(1.1, 0.05) (shape, rate).
 *
 * @example
 * ```ts
 * import { GAMMA_PRIORS } from "./gp.ts";
 * GAMMA_PRIORS.lengthscale; // { type: "gamma", concentration: 3, rate: 6 }
 * ```
 */
export const GAMMA_PRIORS: GpPriors = {
  lengthscale: { type: "gamma", concentration: 3, rate: 6 },
  outputscale: { type: "gamma", concentration: 2, rate: 0.15 },
  noise: { type: "gamma", concentration: 1.1, rate: 0.05 },
};

/**
 * Defaults of {@linkcode fitGP} and {@linkcode gpFactory}.
 *
 * - `kernel` `"matern52"`: Matérn-5/2 with one lengthscale per input dimension and an outputscale.
 * - `priors` `"lognormal"`: {@linkcode logNormalPriors} (BoTorch ≥ 0.12); `"gamma"` selects
 *   {@linkcode GAMMA_PRIORS}; an object overrides single entries of the log-normal set.
 * - `bounds`: lengthscale [1e-3, 1e3], outputscale [1e-3, 1e3], noise [1e-6, 10]. The noise floor
 *   1e-6 (standardised units) is below BoTorch's 1e-4 so that deterministic objectives can be
 *   interpolated closely; duplicates and near-singular K stay factorisable through the Cholesky
 *   jitter escalation.
 * - `restarts` 2: L-BFGS-B runs from the prior modes, then from 2 draws from the priors (the best
 *   MAP value is kept). scikit-learn's `n_restarts_optimizer` has the same meaning.
 * - `explorationIterations` 8: with restarts, every start first runs at most 8 L-BFGS-B
 *   iterations; only the best of these runs continues (from its end point) up to
 *   `maxIterations`. Set it to `maxIterations` for scikit-learn's full run per start.
 * - `maxIterations` 200 L-BFGS-B iterations in all; `gradientTolerance` 1e-5 on the projected
 *   gradient of the per-point objective −(log p(y|θ) + log p(θ))/n.
 * - `rng`: a fresh `new Rng(0)` per call when unset (restarts are then reproducible).
 * - `mean` `"zero"`: the prior mean of the standardised targets; `"constant"` fits a constant.
 * - `categorical` `"one-hot"` ({@linkcode gpFactory}): a categorical parameter's one-hot columns
 *   are numeric inputs of the ARD kernel; `"hamming"` uses BoTorch's mixed kernel instead.
 * - `categoricalLengthscalePrior` flat and `bounds.categoricalLengthscale` [1e-3, 1e3]: the
 *   lengthscales of `categorical: "hamming"` (BoTorch's `CategoricalKernel` has no prior either).
 *
 * @example
 * ```ts
 * import { GP_DEFAULTS } from "./gp.ts";
 * GP_DEFAULTS.bounds.noise; // [1e-6, 10]
 * ```
 */
export const GP_DEFAULTS: {
  readonly kernel: KernelName;
  readonly priors: "lognormal";
  readonly bounds: GpBounds;
  readonly restarts: number;
  readonly maxIterations: number;
  readonly explorationIterations: number;
  readonly gradientTolerance: number;
  readonly mean: "zero" | "constant";
  readonly categorical: "one-hot" | "hamming";
  readonly categoricalLengthscalePrior: Prior;
} = {
  kernel: "matern52",
  priors: "lognormal",
  bounds: {
    lengthscale: [1e-3, 1e3],
    outputscale: [1e-3, 1e3],
    noise: [1e-6, 10],
    categoricalLengthscale: [1e-3, 1e3],
  },
  restarts: 2,
  maxIterations: 200,
  explorationIterations: 8,
  gradientTolerance: 1e-5,
  mean: "zero",
  categorical: "one-hot",
  categoricalLengthscalePrior: { type: "flat" },
};

/**
 * Hyperparameters in natural units: the kernel's (in `kernel.names` order) and the noise.
 *
 * @example
 * ```ts
 * import type { GpHyperparameterValues } from "./gp.ts";
 * // Matérn-5/2 on 2 inputs: two lengthscales then the outputscale.
 * const values: GpHyperparameterValues = { kernel: [0.3, 0.5, 1.2], noise: 1e-4 };
 * ```
 */
export interface GpHyperparameterValues {
  /** Kernel hyperparameters (lengthscales, outputscales) in the kernel's order, all > 0. */
  kernel: Float64Array | readonly number[];
  /** Noise variance of the standardised targets, > 0. */
  noise: number;
}

/**
 * Options of {@linkcode gpFactory} (those of {@linkcode fitGP} but the generator, which each
 * `fit` call receives); every field is optional, defaults in {@linkcode GP_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { gpFactory, type GpFactoryOptions } from "./gp.ts";
 * const options: GpFactoryOptions = { kernel: "matern32", priors: "gamma", restarts: 3 };
 * const hamming: GpFactoryOptions = { categorical: "hamming" }; // one lengthscale per categorical
 * const factory = gpFactory(options);
 * ```
 */
export interface GpFactoryOptions {
  /**
   * A built-in kernel name (ARD over all inputs) or any {@linkcode Kernel} of the right `dim`. A
   * kernel of your own is checked when `gpFactory` (or `fitGP`) is called: it must have `dim`,
   * `size`, `names` and `kinds` (one per hyperparameter) and the methods `cross`, `gram`,
   * `diagonal`, `accumulateGradient` and `inputGradient` (`diagonalGradient`, `prepare` and
   * `spectralSample`, which sample paths need, are optional); anything missing is a `TypeError`
   * naming it. Each hyperparameter's kind (`"lengthscale"`, `"outputscale"` or
   * `"categoricalLengthscale"`) chooses its prior and bounds (`priors`, `bounds`); another kind
   * is refused: give a hyperparameter of another sort the kind whose prior and bounds suit it (a
   * period or a length of any kind: `"lengthscale"`; a variance or amplitude: `"outputscale"`),
   * with `priors` and `bounds` set to fit it.
   */
  kernel?: KernelName | Kernel;
  /** `"lognormal"` (BoTorch ≥ 0.12), `"gamma"` (older BoTorch) or per-kind overrides. */
  priors?: "lognormal" | "gamma" | Partial<GpPriors>;
  /** Per-kind overrides of the hyperparameter bounds (natural units). */
  bounds?: Partial<GpBounds>;
  /** Number of extra L-BFGS-B runs started from prior draws (≥ 0). */
  restarts?: number;
  /** L-BFGS-B iterations of the run that is carried to convergence. */
  maxIterations?: number;
  /** Iterations of each start's exploratory run when there are restarts (≤ maxIterations). */
  explorationIterations?: number;
  /** L-BFGS-B projected-gradient tolerance on the per-point negative log posterior. */
  gradientTolerance?: number;
  /** Fixed hyperparameters: no fitting at all. */
  hyperparameters?: GpHyperparameterValues;
  /** First start of the MAP search instead of the prior modes (e.g. the previous fit's values). */
  initial?: GpHyperparameterValues;
  /**
   * Prior mean of the standardised targets: `"zero"` (default) or `"constant"`, a constant
   * fitted by maximum likelihood with the hyperparameters (BoTorch's `ConstantMean`); unexplored
   * regions then revert to that constant instead of the data's average.
   */
  mean?: "zero" | "constant";
  /**
   * How a categorical parameter enters the kernel when `fit` receives the space
   * (`FitHints.space`): `"one-hot"` (default) its one-hot columns are numeric inputs of the ARD
   * kernel, one lengthscale per column; `"hamming"` BoTorch's `MixedSingleTaskGP` kernel
   * ({@linkcode mixedCategoricalKernel}): one lengthscale per categorical parameter on the
   * Hamming distance of the levels, combined with the ARD kernel of the other columns as a sum
   * plus a product. Without a space, or a space without categorical parameters, both are the
   * same model. Needs a kernel name (not a {@linkcode Kernel}).
   */
  categorical?: "one-hot" | "hamming";
}

/**
 * Options of {@linkcode fitGP}; every field is optional, defaults in {@linkcode GP_DEFAULTS}.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import type { GpOptions } from "./gp.ts";
 * const options: GpOptions = { kernel: "rbf", restarts: 4, rng: new Rng(7) };
 * ```
 */
export interface GpOptions extends Omit<GpFactoryOptions, "categorical"> {
  /** Generator for the restarts' prior draws. */
  rng?: Rng;
}

/**
 * Fitted hyperparameters, natural units (noise and outputscales in standardised target units).
 *
 * @example
 * ```ts
 * import { fitGP } from "./gp.ts";
 * const gp = fitGP([Float64Array.of(0), Float64Array.of(1)], [0, 1]);
 * const { lengthscales, outputscales, noise } = gp.hyperparameters;
 * ```
 */
export interface GpHyperparameters {
  /** Names of the kernel hyperparameters, then `"noise"`. */
  readonly names: readonly string[];
  /** Kernel hyperparameters in `names` order. */
  readonly kernel: Float64Array;
  /** Noise variance σ² of the standardised targets. */
  readonly noise: number;
  /** The lengthscale-kind entries of `kernel`, in order. */
  readonly lengthscales: Float64Array;
  /** The outputscale-kind entries of `kernel`, in order. */
  readonly outputscales: Float64Array;
  /** The constant prior mean of the standardised targets (0 with `mean: "zero"`). */
  readonly meanConstant: number;
}

/**
 * How the MAP search went.
 *
 * @example
 * ```ts
 * import { fitGP } from "./gp.ts";
 * const gp = fitGP([Float64Array.of(0), Float64Array.of(1)], [0, 1], { restarts: 1 });
 * gp.fit.starts; // 2
 * gp.fit.evaluations; // objective evaluations over all L-BFGS-B runs
 * ```
 */
export interface GpFitReport {
  /** Starting points of the MAP search: 1 + restarts (0 with fixed hyperparameters). */
  readonly starts: number;
  /** Objective evaluations over all runs. */
  readonly evaluations: number;
  /** Whether the run that gave the kept hyperparameters met its convergence test. */
  readonly converged: boolean;
  /** log p(ỹ | θ) + log p(θ) at the kept hyperparameters. */
  readonly logPosterior: number;
}

/**
 * An exact GP fitted to data: a {@linkcode Surrogate} with its hyperparameters and diagnostics.
 *
 * @example
 * ```ts
 * import { fitGP, type GaussianProcess } from "./gp.ts";
 * const gp: GaussianProcess = fitGP([Float64Array.of(0.2), Float64Array.of(0.8)], [1, 3]);
 * const at = gp.predictWithGradient(Float64Array.of(0.5));
 * const cov = gp.covariance([Float64Array.of(0.4), Float64Array.of(0.6)]); // 2×2
 * // the same posterior in standardised units: at.mean = mean + std · scaled.mean
 * const scaled = gp.predictStandardizedWithGradient(Float64Array.of(0.5));
 * const { mean, std } = gp.standardization;
 * ```
 */
export interface GaussianProcess extends Surrogate {
  /** The covariance function. */
  readonly kernel: Kernel;
  /** Number of training points. */
  readonly size: number;
  /** Fitted (or fixed) hyperparameters. */
  readonly hyperparameters: GpHyperparameters;
  /** `[kernel log-hyperparameters…, log σ²]`, the optimiser's coordinates. */
  readonly logHyperparameters: Float64Array;
  /** log p(ỹ | X, θ) of the standardised targets at the hyperparameters (no prior). */
  readonly logMarginalLikelihood: number;
  /** Diagonal jitter added on top of σ² to factorise the training covariance (0 normally). */
  readonly jitter: number;
  /** The target standardisation: ỹ = (y − mean)/std. */
  readonly standardization: { readonly mean: number; readonly std: number };
  /** The MAP search summary. */
  readonly fit: GpFitReport;
  /** Joint posterior covariance of the latent f at `points` (m×m row-major, original units). */
  covariance(points: readonly Float64Array[]): Float64Array;
  /** Posterior mean only (identical to `predict(points).mean`, without the variance solve). */
  predictMean(points: readonly Float64Array[]): Float64Array;
  /**
   * `predict` in standardised units, the posterior of (f − mean)/std for `standardization`:
   * `predict` gives `mean + std·μ̃` and `std²·σ̃²`, which overflow to ±Infinity once std passes
   * ~1e154 where these stay finite.
   */
  predictStandardized(points: readonly Float64Array[]): Prediction;
  /** `predictWithGradient` in standardised units (see {@linkcode predictStandardized}). */
  predictStandardizedWithGradient(point: Float64Array): PointPrediction;
  /**
   * `count` independent pathwise posterior samples of the latent f (Wilson et al. 2020,
   * "Efficiently sampling functions from Gaussian process posteriors"; see `pathwise.ts`): each a
   * random-Fourier-feature prior sample (`options.features`, default 1024, features of its own)
   * plus Matheron's update with the training data and noise,
   * f_post(x) = c + f_prior(x) + k(x, X)(K + σ²I)⁻¹(ỹ − c − f_prior(X) − ε), ε ~ N(0, σ²I), in
   * standardised units, returned as mean + std·f_post(x) like {@linkcode sampleJoint}. A path is
   * a deterministic function with an analytic gradient, O((F + n)·dim) per point. Present only
   * when the kernel has a spectral density (`Kernel.spectralSample`: RBF, Matérn, their sums and
   * products), absent for categorical kernels and kernels of your own without it.
   */
  readonly samplePaths?: (count: number, rng: Rng, options?: SamplePathOptions) => SamplePath[];
}

const positiveFinite = z.number().positive("must be > 0").refine(Number.isFinite, "must be finite");
const boundSchema = z.tuple([positiveFinite, positiveFinite]).refine(
  ([low, high]) => low <= high,
  "low must be ≤ high",
);
const valuesSchema = z.strictObject({
  kernel: z.union([
    z.instanceof(Float64Array, { message: "must be a Float64Array or number[]" }),
    z.array(z.number()),
  ]),
  noise: positiveFinite,
});
const optionsSchema = z.strictObject({
  kernel: z.union([
    z.enum(KERNEL_NAMES as [KernelName, ...KernelName[]]),
    z.custom<Kernel>(
      (k) => typeof (k as Kernel)?.gram === "function" && Number.isInteger((k as Kernel).size),
      "must be a kernel name or a Kernel",
    ),
  ]).optional(),
  priors: z.union([
    z.enum(["lognormal", "gamma"]),
    z.strictObject({
      lengthscale: priorSchema.optional(),
      outputscale: priorSchema.optional(),
      noise: priorSchema.optional(),
      categoricalLengthscale: priorSchema.optional(),
    }),
  ]).optional(),
  bounds: z.strictObject({
    lengthscale: boundSchema.optional(),
    outputscale: boundSchema.optional(),
    noise: boundSchema.optional(),
    categoricalLengthscale: boundSchema.optional(),
  }).optional(),
  restarts: nonNegativeIntSchema.optional(),
  maxIterations: positiveIntSchema.optional(),
  explorationIterations: positiveIntSchema.optional(),
  gradientTolerance: positiveFinite.optional(),
  hyperparameters: valuesSchema.optional(),
  initial: valuesSchema.optional(),
  mean: z.enum(["zero", "constant"]).optional(),
  rng: rngSchema.optional(),
});

const pathOptionsSchema = z.strictObject({ features: positiveIntSchema.optional() });

const factorySchema = optionsSchema.omit({ rng: true }).extend({
  categorical: z.enum(["one-hot", "hamming"]).optional(),
});

/** The hyperparameter kinds a GP has priors and bounds for (`GpPriors`, `GpBounds`). */
const KNOWN_KINDS: readonly HyperparameterKind[] = [
  "lengthscale",
  "outputscale",
  "categoricalLengthscale",
];

/**
 * The methods every {@linkcode Kernel} has (`diagonalGradient`, `prepare` and `spectralSample`
 * are optional).
 */
const KERNEL_METHODS = [
  "cross",
  "gram",
  "diagonal",
  "accumulateGradient",
  "inputGradient",
] as const;

/**
 * Throws an error naming `label` (e.g. `gpFactory: options.kernel`) and the member unless
 * `kernel` meets the {@linkcode Kernel} contract: a positive integer `dim`, an integer `size`
 * ≥ 0, `names` and `kinds` of `size` entries each, every kind one the GP has priors and bounds
 * for, the methods `cross`, `gram`, `diagonal`, `accumulateGradient` and `inputGradient`, and the
 * optional `diagonalGradient` (finite differences of `diagonal` without it), `prepare` (the
 * plain methods without it) and `spectralSample` (no sample paths without it) functions when
 * present.
 */
function checkKernel(kernel: Kernel, label: string): void {
  const k = kernel as Partial<Record<keyof Kernel, unknown>>;
  if (!Number.isInteger(k.dim) || (k.dim as number) < 1) {
    throw new TypeError(`${label}.dim: must be a positive integer, got ${describeValue(k.dim)}`);
  }
  if (!Number.isInteger(k.size) || (k.size as number) < 0) {
    throw new TypeError(`${label}.size: must be an integer ≥ 0, got ${describeValue(k.size)}`);
  }
  const size = k.size as number;
  for (const method of KERNEL_METHODS) {
    if (typeof k[method] !== "function") {
      throw new TypeError(
        `${label}.${method}: must be a function (every kernel has cross, gram, diagonal, ` +
          "accumulateGradient and inputGradient; only diagonalGradient and prepare are optional)",
      );
    }
  }
  for (const method of ["diagonalGradient", "prepare", "spectralSample"] as const) {
    if (k[method] !== undefined && typeof k[method] !== "function") {
      throw new TypeError(`${label}.${method}: must be a function when given`);
    }
  }
  for (const field of ["names", "kinds"] as const) {
    const list = k[field];
    if (!Array.isArray(list) || list.length !== size) {
      throw new TypeError(
        `${label}.${field}: must be an array of ${size} entries (one per hyperparameter, size = ${size}), got ${
          Array.isArray(list) ? `${list.length}` : describeValue(list)
        }`,
      );
    }
  }
  (k.kinds as unknown[]).forEach((kind, i) => {
    if (!KNOWN_KINDS.includes(kind as HyperparameterKind)) {
      throw new TypeError(
        `${label}.kinds[${i}]: unknown hyperparameter kind ${
          typeof kind === "string" ? JSON.stringify(kind) : describeValue(kind)
        } (known: ${KNOWN_KINDS.map((name) => `"${name}"`).join(", ")}); give each ` +
          "hyperparameter the kind whose prior and bounds suit it",
      );
    }
  });
}

/** Options after validation and defaulting, with the kernel resolved for a dimension. */
interface ResolvedOptions {
  kernel: Kernel;
  priors: readonly Prior[]; // one per log-hyperparameter, noise last
  lower: Float64Array; // log bounds, noise last
  upper: Float64Array;
  restarts: number;
  maxIterations: number;
  explorationIterations: number;
  gradientTolerance: number;
  fixed?: Float64Array; // log-hyperparameters
  initial?: Float64Array;
  constantMean: boolean;
  rng: Rng;
}

/**
 * The priors that option `priors` selects for `dim` numeric inputs: {@linkcode GAMMA_PRIORS}
 * for `"gamma"`, else {@linkcode logNormalPriors}`(dim)`, with the entries of an object over them.
 */
function selectPriors(priors: GpOptions["priors"], dim: number): GpPriors {
  const base = priors === "gamma" ? GAMMA_PRIORS : logNormalPriors(dim);
  return typeof priors === "object" ? { ...base, ...priors } : base;
}

function resolveOptions(
  parsed: z.output<typeof optionsSchema>,
  dim: number,
  label: string,
): ResolvedOptions {
  const kernel = typeof parsed.kernel === "string" || parsed.kernel === undefined
    ? kernelFromName(parsed.kernel ?? GP_DEFAULTS.kernel, dim)
    : parsed.kernel;
  if (typeof parsed.kernel === "object") checkKernel(kernel, `${label}: options.kernel`);
  if (kernel.dim !== dim) {
    throw new RangeError(`${label}: options.kernel.dim = ${kernel.dim} but the points have ${dim}`);
  }
  const priors = selectPriors(parsed.priors, dim);
  const bounds: GpBounds = { ...GP_DEFAULTS.bounds, ...parsed.bounds };
  const kinds = [...kernel.kinds, "noise" as const];
  const toLog = (values: z.output<typeof valuesSchema>, field: string) => {
    if (values.kernel.length !== kernel.size) {
      throw new RangeError(
        `${label}: options.${field}.kernel: expected ${kernel.size} values ` +
          `(${kernel.names.join(", ")}), got ${values.kernel.length}`,
      );
    }
    const out = new Float64Array(kernel.size + 1);
    for (let j = 0; j < kernel.size; j++) {
      const v = values.kernel[j];
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new RangeError(`${label}: options.${field}.kernel[${j}]: must be finite and > 0`);
      }
      out[j] = Math.log(v);
    }
    out[kernel.size] = Math.log(values.noise);
    return out;
  };
  // Only "categoricalLengthscale" can be unset (optional in GpPriors and GpBounds).
  const priorOf = (kind: (typeof kinds)[number]) =>
    priors[kind] ?? GP_DEFAULTS.categoricalLengthscalePrior;
  const boundsOf = (kind: (typeof kinds)[number]) =>
    bounds[kind] ?? GP_DEFAULTS.bounds.categoricalLengthscale!;
  return {
    kernel,
    priors: kinds.map(priorOf),
    lower: Float64Array.from(kinds, (kind) => Math.log(boundsOf(kind)[0])),
    upper: Float64Array.from(kinds, (kind) => Math.log(boundsOf(kind)[1])),
    restarts: parsed.restarts ?? GP_DEFAULTS.restarts,
    maxIterations: parsed.maxIterations ?? GP_DEFAULTS.maxIterations,
    explorationIterations: parsed.explorationIterations ?? GP_DEFAULTS.explorationIterations,
    gradientTolerance: parsed.gradientTolerance ?? GP_DEFAULTS.gradientTolerance,
    fixed: parsed.hyperparameters && toLog(parsed.hyperparameters, "hyperparameters"),
    initial: parsed.initial && toLog(parsed.initial, "initial"),
    constantMean: (parsed.mean ?? GP_DEFAULTS.mean) === "constant",
    rng: parsed.rng ?? new Rng(0),
  };
}

/** Sum of the log prior densities and their gradient (added into `gradient`). */
function logPrior(priors: readonly Prior[], theta: Float64Array, gradient?: Float64Array): number {
  let total = 0;
  for (let j = 0; j < priors.length; j++) {
    const { value, derivative } = priorLogDensity(priors[j], theta[j]);
    total += value;
    if (gradient) gradient[j] += derivative;
  }
  return total;
}

/** Runs the MAP search; returns the best log-hyperparameters and a report. */
function fitHyperparameters(
  likelihood: MarginalLikelihood,
  n: number,
  options: ResolvedOptions,
): { theta: Float64Array; report: GpFitReport } {
  const { priors, lower, upper, rng } = options;
  const gradient = new Float64Array(likelihood.size);
  const objective = (theta: Float64Array) => {
    const mll = likelihood.evaluate(theta, gradient).value;
    const value = -(mll + logPrior(priors, theta, gradient)) / n;
    const out = new Float64Array(gradient.length);
    for (let j = 0; j < out.length; j++) out[j] = -gradient[j] / n;
    return { value: Number.isFinite(value) ? value : Infinity, gradient: out };
  };
  const starts: Float64Array[] = [
    options.initial
      ? options.initial.map((v, j) => Math.min(upper[j], Math.max(lower[j], v)))
      : Float64Array.from(priors, (p, j) => priorLogMode(p, lower[j], upper[j])),
  ];
  for (let r = 0; r < options.restarts; r++) {
    starts.push(Float64Array.from(priors, (p, j) => samplePriorLog(p, lower[j], upper[j], rng)));
  }
  // Every start gets a short exploratory run; only the best of them continues to convergence,
  // which spends the budget where it matters (all starts often reach the same basin).
  const exploration = starts.length > 1
    ? Math.min(options.explorationIterations, options.maxIterations)
    : options.maxIterations;
  let evaluations = 0;
  const run = (start: Float64Array, maxIterations: number) => {
    const result = lbfgsb(objective, start, {
      lower,
      upper,
      maxIterations,
      gradientTolerance: options.gradientTolerance,
    });
    evaluations += result.evaluations;
    return result;
  };
  let best: { x: Float64Array; value: number; converged: boolean } | undefined;
  for (const start of starts) {
    const result = run(start, exploration);
    if (Number.isFinite(result.value) && (best === undefined || result.value < best.value)) {
      best = { x: result.x, value: result.value, converged: result.converged };
    }
  }
  if (best !== undefined && !best.converged && exploration < options.maxIterations) {
    const polished = run(best.x, options.maxIterations - exploration);
    if (polished.value <= best.value) {
      best = { x: polished.x, value: polished.value, converged: polished.converged };
    }
  }
  if (best === undefined) {
    throw new Error(
      "fitGP: the marginal likelihood was not finite at any start; check the data for extreme values",
    );
  }
  return {
    theta: best.x,
    report: {
      starts: starts.length,
      evaluations,
      converged: best.converged,
      logPosterior: -best.value * n,
    },
  };
}

/** The smallest normal float64, 2⁻¹⁰²²: below it a product has lost precision. */
const MIN_NORMAL = 2 ** -1022;

/** Rows of prediction points processed at once in `predict` (bounds the m×n cross-covariance). */
const PREDICT_CHUNK = 256;

class ExactGP implements GaussianProcess {
  readonly dim: number;
  readonly kernel: Kernel;
  readonly size: number;
  readonly hyperparameters: GpHyperparameters;
  readonly logHyperparameters: Float64Array;
  readonly logMarginalLikelihood: number;
  readonly jitter: number;
  readonly standardization: { readonly mean: number; readonly std: number };
  readonly fit: GpFitReport;
  readonly #x: Float64Array;
  readonly #theta: Float64Array;
  readonly #factor: CholeskyFactor;
  readonly #alpha: Float64Array;
  /** The standardised training targets ỹ. */
  readonly #scaled: Float64Array;
  /** The priors of the hyperparameters (one per log-hyperparameter, noise last; [] unknown). */
  readonly #priors: readonly Prior[];
  /** The constant prior mean of the standardised targets. */
  readonly #c: number;
  readonly samplePaths?: (count: number, rng: Rng, options?: SamplePathOptions) => SamplePath[];

  constructor(
    kernel: Kernel,
    x: Float64Array,
    scaled: Float64Array,
    standardization: { mean: number; std: number },
    logHyperparameters: Float64Array,
    fit: (logMarginalLikelihood: number) => GpFitReport,
    constantMean: boolean | number = false,
    priors: readonly Prior[] = [],
  ) {
    const n = scaled.length, size = kernel.size;
    this.dim = kernel.dim;
    this.kernel = kernel;
    this.size = n;
    this.#x = x;
    this.#scaled = scaled;
    this.#priors = priors;
    this.logHyperparameters = logHyperparameters;
    this.#theta = logHyperparameters.slice(0, size);
    const noise = Math.exp(logHyperparameters[size]);
    const k = kernel.gram(this.#theta, x, n);
    for (let i = 0; i < n; i++) k[i * n + i] += noise;
    this.#factor = cholesky(k, n, { out: k });
    this.jitter = this.#factor.jitter;
    const alpha = solveLower(this.#factor.lower, n, scaled);
    if (typeof constantMean === "number") {
      // A constant kept from an earlier fit (`conditionOnObservations`): L⁻¹(ỹ − c·1), the same
      // arithmetic as the profiled constant's.
      const z1 = solveLower(this.#factor.lower, n, new Float64Array(n).fill(1));
      for (let i = 0; i < n; i++) alpha[i] -= constantMean * z1[i];
      this.#c = constantMean;
    } else {
      this.#c = constantMean
        ? profileConstant(
          this.#factor.lower,
          n,
          alpha,
          new Float64Array(n).fill(1),
          new Float64Array(n),
        )
        : 0;
    }
    // log p(ỹ | θ) = −½ ỹᵀK⁻¹ỹ − Σ log L_ii − (n/2) log 2π, from this factorisation.
    let quad = 0, logDet = 0;
    for (let i = 0; i < n; i++) {
      quad += alpha[i] * alpha[i];
      logDet += Math.log(this.#factor.lower[i * n + i]);
    }
    const logMarginalLikelihood = -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);
    this.#alpha = solveLowerTranspose(this.#factor.lower, n, alpha, alpha);
    this.standardization = standardization;
    this.logMarginalLikelihood = logMarginalLikelihood;
    this.fit = fit(logMarginalLikelihood);
    const natural = this.#theta.map(Math.exp);
    this.hyperparameters = {
      names: [...kernel.names, "noise"],
      kernel: natural,
      noise,
      lengthscales: natural.filter((_, j) => kernel.kinds[j] === "lengthscale"),
      outputscales: natural.filter((_, j) => kernel.kinds[j] === "outputscale"),
      meanConstant: this.#c,
    };
    if (typeof kernel.spectralSample === "function") {
      this.samplePaths = (count, rng, options) => this.#samplePaths(count, rng, options);
    }
  }

  /**
   * This GP conditioned on `values` at `points` (already checked), in the units of `predict`: the
   * training data extended, the hyperparameters, the standardisation and the constant prior mean
   * kept (see {@linkcode conditionOnObservations}).
   */
  condition(points: readonly Float64Array[], values: Float64Array): ExactGP {
    const n = this.size, m = points.length, dim = this.dim;
    const { mean, std } = this.standardization;
    const x = new Float64Array((n + m) * dim);
    x.set(this.#x);
    x.set(packRows(points, dim), n * dim);
    const scaled = new Float64Array(n + m);
    scaled.set(this.#scaled);
    for (let j = 0; j < m; j++) {
      const z = standardScore(values[j], mean, std);
      if (!Number.isFinite(z)) {
        throw new RangeError(
          `conditionOnObservations: values[${j}] = ${values[j]} is beyond float64 in the GP's ` +
            `standardised units ((y − ${mean}) / ${std})`,
        );
      }
      scaled[n + j] = z;
    }
    return fixedGP(
      this.kernel,
      x,
      scaled,
      { mean, std },
      this.logHyperparameters.slice(),
      this.#c,
      this.#priors,
    );
  }

  #samplePaths(count: number, rng: Rng, options: SamplePathOptions = {}): SamplePath[] {
    const label = "GaussianProcess.samplePaths";
    parseOrThrow(nonNegativeIntSchema, count, `${label}: count`);
    parseOrThrow(rngSchema, rng, `${label}: rng`);
    const { features = SAMPLE_PATH_DEFAULTS.features } = parseOrThrow(
      pathOptionsSchema,
      options,
      `${label}: options`,
    );
    const { mean, std } = this.standardization;
    const posterior: PathPosterior = {
      kernel: this.kernel,
      theta: this.#theta,
      x: this.#x,
      n: this.size,
      lower: this.#factor.lower,
      alpha: this.#alpha,
      noise: this.hyperparameters.noise + this.jitter,
      constant: this.#c,
      shift: mean,
      scale: std,
    };
    return Array.from({ length: count }, () => matheronPath(posterior, rng, features));
  }

  predict(points: readonly Float64Array[]): Prediction {
    checkPoints(points, this.dim, "GaussianProcess.predict: points", { finite: true });
    const { mean: shift, std } = this.standardization;
    return this.#predict(points, shift, std);
  }

  predictStandardized(points: readonly Float64Array[]): Prediction {
    checkPoints(points, this.dim, "GaussianProcess.predictStandardized: points", { finite: true });
    return this.#predict(points, 0, 1);
  }

  /** Mean `shift + std·μ̃` and variance `std²·σ̃²` (+Infinity beyond float64, never NaN). */
  #predict(points: readonly Float64Array[], shift: number, std: number): Prediction {
    const m = points.length, n = this.size, dim = this.dim;
    const mean = new Float64Array(m), variance = new Float64Array(m);
    for (let start = 0; start < m; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, m - start);
      const z = packRows(points.slice(start, start + rows), dim);
      const cross = this.kernel.cross(this.#theta, z, rows, this.#x, n);
      const prior = this.kernel.diagonal(this.#theta, z, rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += cross[r * n + i] * this.#alpha[i];
        mean[start + r] = (s + this.#c) * std + shift;
      }
      const v = solveLowerRows(this.#factor.lower, n, cross, rows, cross);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += v[r * n + i] * v[r * n + i];
        variance[start + r] = Math.max(0, prior[r] - s) * std * std;
      }
    }
    return { mean, variance };
  }

  predictMean(points: readonly Float64Array[]): Float64Array {
    checkPoints(points, this.dim, "GaussianProcess.predictMean: points", { finite: true });
    const m = points.length, n = this.size, dim = this.dim;
    const { mean: shift, std } = this.standardization;
    const mean = new Float64Array(m);
    // The same arithmetic as `predict`'s mean, without the O(m·n²) variance solve.
    for (let start = 0; start < m; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, m - start);
      const z = packRows(points.slice(start, start + rows), dim);
      const cross = this.kernel.cross(this.#theta, z, rows, this.#x, n);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += cross[r * n + i] * this.#alpha[i];
        mean[start + r] = (s + this.#c) * std + shift;
      }
    }
    return mean;
  }

  predictWithGradient(point: Float64Array): PointPrediction {
    checkPoint(point, this.dim, "GaussianProcess.predictWithGradient: point", { finite: true });
    const { mean: shift, std } = this.standardization;
    const direct = this.#predictWithGradient(point, shift, std);
    if (
      direct.meanGradient.every(Number.isFinite) && direct.varianceGradient.every(Number.isFinite)
    ) {
      return direct;
    }
    // A gradient beyond float64 (std past ~1e154): its terms overflow to ±Infinity and their sum
    // can be NaN. Sum in standardised units, then scale: ±Infinity at worst, never NaN.
    const scaled = this.#predictWithGradient(point, 0, 1);
    return {
      mean: direct.mean,
      variance: direct.variance,
      meanGradient: scaled.meanGradient.map((g) => g * std),
      varianceGradient: scaled.varianceGradient.map((g) => g * std * std),
    };
  }

  predictStandardizedWithGradient(point: Float64Array): PointPrediction {
    checkPoint(point, this.dim, "GaussianProcess.predictStandardizedWithGradient: point", {
      finite: true,
    });
    return this.#predictWithGradient(point, 0, 1);
  }

  /** The prediction at one point and its gradients, for `shift + std·μ̃` and `std²·σ̃²`. */
  #predictWithGradient(point: Float64Array, shift: number, std: number): PointPrediction {
    const n = this.size, dim = this.dim, l = this.#factor.lower, alpha = this.#alpha;
    const k = this.kernel.cross(this.#theta, point, 1, this.#x, n);
    const dk = this.kernel.inputGradient(this.#theta, point, this.#x, n);
    const prior = this.kernel.diagonal(this.#theta, point, 1)[0];
    let mean = this.#c;
    for (let i = 0; i < n; i++) mean += k[i] * alpha[i];
    const v = solveLower(l, n, k);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += v[i] * v[i];
    const latent = prior - explained;
    const w = solveLowerTranspose(l, n, v, v); // K_y⁻¹ k
    // ∂var/∂x = ∂k(x, x)/∂x − 2 (∂k/∂x)ᵀ K_y⁻¹ k (see `Kernel.diagonalGradient`); the first term
    // is zero for stationary kernels (every built-in one) and then not added at all.
    const dPrior = kernelDiagonalGradient(this.kernel, this.#theta, point);
    const meanGradient = new Float64Array(dim), varianceGradient = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const ai = alpha[i] * std, wi = -2 * w[i] * std * std, row = i * dim;
      for (let t = 0; t < dim; t++) {
        meanGradient[t] += dk[row + t] * ai;
        varianceGradient[t] += dk[row + t] * wi;
      }
    }
    if (dPrior.some((g) => g !== 0)) {
      for (let t = 0; t < dim; t++) varianceGradient[t] += dPrior[t] * std * std;
    }
    if (!(latent > 0)) varianceGradient.fill(0);
    return {
      mean: mean * std + shift,
      variance: Math.max(0, latent) * std * std,
      meanGradient,
      varianceGradient,
    };
  }

  covariance(points: readonly Float64Array[]): Float64Array {
    checkPoints(points, this.dim, "GaussianProcess.covariance: points", {
      finite: true,
      nonEmpty: true,
    });
    return this.#covariance(points);
  }

  /** The joint posterior covariance, times `std2` (std² for original units, 1 standardised). */
  #covariance(
    points: readonly Float64Array[],
    std2: number = this.standardization.std ** 2,
  ): Float64Array {
    const m = points.length, n = this.size;
    const z = packRows(points, this.dim);
    const cov = this.kernel.gram(this.#theta, z, m);
    const v = solveLowerRows(
      this.#factor.lower,
      n,
      this.kernel.cross(this.#theta, z, m, this.#x, n),
      m,
    );
    for (let p = 0; p < m; p++) {
      for (let q = 0; q <= p; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += v[p * n + i] * v[q * n + i];
        const c = (cov[p * m + q] - s) * std2;
        cov[p * m + q] = c;
        cov[q * m + p] = c;
      }
    }
    return cov;
  }

  /**
   * The Cholesky factor of the joint posterior covariance `cov` at `points`, jittered: first
   * relative to its own mean diagonal (up to 0.1×); where that fails, relative to the prior
   * variance. The round-off in K** − VᵀV scales with the prior variance, so where the posterior
   * variance is tiny next to it (evaluated points under a small noise floor) a jitter relative to
   * the posterior's diagonal can be far too small to reach a positive definite matrix.
   */
  #jointFactor(points: readonly Float64Array[], cov: Float64Array, standardized: boolean) {
    const m = points.length;
    try {
      return cholesky(cov, m, { maxRelativeJitter: 1e-1 }).lower;
    } catch (error) {
      if (!(error instanceof CholeskyError)) throw error;
      const prior = this.kernel.gram(this.#theta, packRows(points, this.dim), m);
      let scale = 0;
      for (let p = 0; p < m; p++) scale += prior[p * m + p] / m;
      if (!standardized) scale *= this.standardization.std ** 2;
      for (const relative of [1e-12, 1e-10, 1e-8, 1e-6]) {
        const jittered = cov.slice();
        for (let p = 0; p < m; p++) jittered[p * m + p] += relative * scale;
        try {
          return cholesky(jittered, m, { initialRelativeJitter: 1e-10, maxRelativeJitter: 1e-10 })
            .lower;
        } catch (retry) {
          if (!(retry instanceof CholeskyError)) throw retry;
        }
      }
      throw new CholeskyError(
        `GaussianProcess.sampleJoint: the joint posterior covariance of ${m} points is not ` +
          `positive definite even with a jitter of 1e-6 × the prior variance (${
            (1e-6 * scale).toExponential(2)
          })`,
        1e-6 * scale,
      );
    }
  }

  sampleJoint(points: readonly Float64Array[], count: number, rng: Rng): Float64Array[] {
    checkPoints(points, this.dim, "GaussianProcess.sampleJoint: points", {
      finite: true,
      nonEmpty: true,
    });
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(
        `GaussianProcess.sampleJoint: count must be an integer ≥ 0, got ${count}`,
      );
    }
    if (!(rng instanceof Rng)) {
      throw new TypeError("GaussianProcess.sampleJoint: rng must be an Rng");
    }
    const m = points.length, std = this.standardization.std;
    const { mean } = this.predict(points);
    // In original units unless they leave float64 (std² overflows or is subnormal, std beyond
    // ~1e±154): then the standardised posterior f̃ is sampled and rescaled, mean + std·f̃.
    let cov = this.#covariance(points);
    const standardized = !(std * std >= MIN_NORMAL) || !cov.every(Number.isFinite);
    if (standardized) cov = this.#covariance(points, 1);
    // Posterior covariances are often numerically rank-deficient (close candidates): jitter it.
    const lower = this.#jointFactor(points, cov, standardized);
    const samples: Float64Array[] = [];
    for (let s = 0; s < count; s++) {
      const z = rng.normals(m);
      const f = new Float64Array(m);
      for (let p = 0; p < m; p++) {
        let acc = standardized ? 0 : mean[p];
        for (let q = 0; q <= p; q++) acc += lower[p * m + q] * z[q];
        f[p] = standardized ? mean[p] + std * acc : acc;
      }
      samples.push(f);
    }
    return samples;
  }
}

/**
 * A GP at fixed hyperparameters `theta` on standardised targets: nothing is fitted, and its report
 * gives the log posterior of `theta` (fixed hyperparameters in `fitGP`, and conditioning).
 */
function fixedGP(
  kernel: Kernel,
  x: Float64Array,
  scaled: Float64Array,
  standardization: { mean: number; std: number },
  theta: Float64Array,
  constantMean: boolean | number,
  priors: readonly Prior[],
): ExactGP {
  return new ExactGP(
    kernel,
    x,
    scaled,
    standardization,
    theta,
    (mll) => ({
      starts: 0,
      evaluations: 0,
      converged: true,
      logPosterior: mll + logPrior(priors, theta),
    }),
    constantMean,
    priors,
  );
}

/**
 * Fits an exact GP to points of the input space and their targets. Hyperparameters are the MAP
 * estimate (log marginal likelihood of the standardised targets + log priors) found by L-BFGS-B
 * in log space from the prior modes and `restarts` prior draws, unless `options.hyperparameters`
 * fixes them.
 *
 * Cost: one Cholesky factorisation, O(n³), with fixed hyperparameters; each MAP step adds one
 * factorisation and one inverse. Measured by `deno task fuzz:gp` (4 inputs, 10 % exact and 10 %
 * near duplicates, 1e12 outliers or constant targets; 2026-11-29 on the project's shared 2-core
 * machine, load average ≈ 15): fixed hyperparameters n = 1,000 0.6–0.7 s, n = 2,000 3.8–4.7 s,
 * n = 5,000 61–67 s; `predict` at 1,000 points 1.7–8.4 s, 5.9–7.7 s and 34–56 s; a default MAP
 * fit at n = 1,000 18.1 s (62 likelihood evaluations). Every prediction was finite, with no
 * jitter needed at the noise floor 1e-6.
 *
 * @throws {TypeError | RangeError} on empty data, points of different lengths, non-finite
 * coordinates or targets, mismatched counts, or bad options (the message names the field).
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { fitGP } from "./gp.ts";
 * const rng = new Rng(1);
 * const x = Array.from({ length: 20 }, () => rng.uniforms(2));
 * const y = Float64Array.from(x, (p) => Math.sin(6 * p[0]) + p[1]);
 * const gp = fitGP(x, y, { kernel: "matern52", restarts: 2, rng });
 * const { mean, variance } = gp.predict([new Float64Array([0.5, 0.5])]);
 * gp.hyperparameters.lengthscales; // two ARD lengthscales
 * ```
 */
export function fitGP(
  points: readonly Float64Array[],
  targets: Float64Array | readonly number[],
  options: GpOptions = {},
): GaussianProcess {
  const parsed = parseOrThrow(optionsSchema, options, "fitGP: options");
  if (!Array.isArray(points)) throw new TypeError("fitGP: points must be an array of Float64Array");
  if (points.length === 0) throw new RangeError("fitGP: points must not be empty");
  if (!(points[0] instanceof Float64Array) || points[0].length === 0) {
    throw new TypeError("fitGP: points[0] must be a non-empty Float64Array");
  }
  const dim = points[0].length;
  checkPoints(points, dim, "fitGP: points", { finite: true, nonEmpty: true });
  if (!(targets instanceof Float64Array) && !Array.isArray(targets)) {
    throw new TypeError("fitGP: targets must be a Float64Array or number[]");
  }
  if (targets.length !== points.length) {
    throw new RangeError(
      `fitGP: targets has ${targets.length} values but there are ${points.length} points`,
    );
  }
  const y = Float64Array.from(targets);
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`fitGP: targets[${i}]: must be finite, got ${v}`);
  });
  const resolved = resolveOptions(parsed, dim, "fitGP");
  const { mean, std, scaled } = standardizeTargets(y);
  const x = packRows(points, dim);
  const n = y.length;
  // With fixed hyperparameters nothing is fitted: the GP's own factorisation is the only one.
  if (resolved.fixed) {
    return fixedGP(
      resolved.kernel,
      x,
      scaled,
      { mean, std },
      resolved.fixed,
      resolved.constantMean,
      resolved.priors,
    );
  }
  const likelihood = new MarginalLikelihood(resolved.kernel, x, scaled, {
    constantMean: resolved.constantMean,
  });
  const { theta, report } = fitHyperparameters(likelihood, n, resolved);
  return new ExactGP(
    resolved.kernel,
    x,
    scaled,
    { mean, std },
    theta,
    () => report,
    resolved.constantMean,
    resolved.priors,
  );
}

/**
 * The GP `surrogate` conditioned on `values` observed at `points`, at its own hyperparameters,
 * target standardisation and constant prior mean: the posterior of the same model given its
 * training data and the new observations (each with the model's noise), as BoTorch's
 * `condition_on_observations` (and `fantasize`, which keeps the fitted `Standardize` transform).
 * Nothing is fitted or re-standardised: `values` are in the units of `surrogate.predict` and are
 * standardised with `surrogate.standardization`, so the prior variance, the noise and the prior
 * mean stay what they are in those units, and the posterior variance nowhere rises. A refit with
 * the hyperparameters kept (`gpFactory`'s `mode: "keep"`) would standardise the extended targets
 * afresh, which rescales the outputscale and the noise by (s_old/s_new)² and refits the constant.
 *
 * This is the kriging believer of `bayesOpt` (Ginsbourger, Le Riche & Carraro 2010): values at
 * the posterior mean leave the posterior mean unchanged and lower the variance around `points`.
 * The new points follow the training points, in order; the fit report is that of fixed
 * hyperparameters (no starts), its log posterior on the extended data.
 *
 * @returns The conditioned GP, or undefined when `surrogate` is not a GP fitted by
 * {@linkcode fitGP} or {@linkcode gpFactory} (nothing to condition).
 * @throws {TypeError | RangeError} on points of another dimension or non-finite coordinates,
 * non-finite values, mismatched counts, or a value beyond float64 in standardised units (the
 * message names the field).
 *
 * @example
 * ```ts
 * import { conditionOnObservations, fitGP } from "./gp.ts";
 * const gp = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)], [1, 3, 2]);
 * const at = [Float64Array.of(0.3)];
 * const believed = gp.predict(at).mean; // the kriging believer's value
 * const fantasy = conditionOnObservations(gp, at, believed)!;
 * fantasy.predict(at).mean[0] - believed[0]; // ≈ 0: the mean is unchanged
 * fantasy.predict(at).variance[0] <= gp.predict(at).variance[0]; // true
 * ```
 */
export function conditionOnObservations(
  surrogate: Surrogate,
  points: readonly Float64Array[],
  values: Float64Array | readonly number[],
): GaussianProcess | undefined {
  if (!(surrogate instanceof ExactGP)) return undefined;
  const label = "conditionOnObservations";
  checkPoints(points, surrogate.dim, `${label}: points`, { finite: true });
  if (!(values instanceof Float64Array) && !Array.isArray(values)) {
    throw new TypeError(`${label}: values must be a Float64Array or number[]`);
  }
  if (values.length !== points.length) {
    throw new RangeError(
      `${label}: values has ${values.length} entries but there are ${points.length} points`,
    );
  }
  const y = Float64Array.from(values);
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      throw new RangeError(`${label}: values[${i}]: must be finite, got ${v}`);
    }
  });
  return surrogate.condition(points, y);
}

/**
 * The hyperparameters a GP factory warm-starts from: `state` when it is what
 * `warmStartState` writes (`{ kernel: number[], noise: number }`, every value finite and > 0,
 * `size` kernel values), undefined otherwise.
 */
function warmStartValues(state: unknown, size: number): GpHyperparameterValues | undefined {
  if (state === null || typeof state !== "object" || Array.isArray(state)) return undefined;
  const { kernel, noise, ...rest } = state as Record<string, unknown>;
  const positive = (v: unknown) => typeof v === "number" && v > 0 && Number.isFinite(v);
  if (
    Object.keys(rest).length > 0 || !Array.isArray(kernel) || kernel.length !== size ||
    !kernel.every(positive) || !positive(noise)
  ) {
    return undefined;
  }
  return { kernel: Float64Array.from(kernel as number[]), noise: noise as number };
}

/**
 * The kernel and priors of `categorical: "hamming"` on `space`: {@linkcode mixedCategoricalKernel}
 * with the space's categorical blocks (and its `activeColumns` when conditional), or undefined
 * when the space has no categorical parameter (the plain kernel then). The log-normal lengthscale
 * prior is scaled by the number of continuous columns, as BoTorch's `MixedSingleTaskGP` scales it
 * by its ordinal dimensions.
 */
function hammingSetup(
  space: Space,
  dim: number,
  kernelName: KernelName,
  priors: GpFactoryOptions["priors"],
): { kernel: Kernel; priors: Partial<GpPriors> } | undefined {
  if (space.dim !== dim) {
    throw new RangeError(`gpFactory: hints.space has ${space.dim} columns, the points ${dim}`);
  }
  const blocks = space.params
    .filter((p) => p.type === "categorical" && p.columns.length > 0)
    .map((p) => p.columns);
  if (blocks.length === 0) return undefined;
  const activeColumns = space.conditional ? (u: Float64Array) => space.activeColumns(u) : undefined;
  const kernel = mixedCategoricalKernel(dim, { blocks, activeColumns, continuous: kernelName });
  const continuous = Math.max(1, dim - blocks.reduce((sum, b) => sum + b.length, 0));
  return { kernel, priors: selectPriors(priors, continuous) };
}

/**
 * What a later fit of {@linkcode gpFactory} reuses of a GP it fitted, as plain JSON numbers
 * (`SurrogateFactory.warmStartState`): its kernel hyperparameters and noise variance,
 * `{ kernel, noise }`, or undefined for a surrogate that is not such a GP. Given back as
 * `FitHints.previousState`, it warm-starts a fit exactly as the GP itself would.
 *
 * @example
 * ```ts
 * import { fitGP, gpWarmStartState } from "./gp.ts";
 * const gp = fitGP([Float64Array.of(0.2), Float64Array.of(0.5), Float64Array.of(0.8)], [1, 3, 2]);
 * const state = gpWarmStartState(gp); // { kernel: [lengthscale, outputscale], noise }
 * console.log(state?.kernel.length); // 2
 * ```
 */
export function gpWarmStartState(
  surrogate: Surrogate,
): { kernel: number[]; noise: number } | undefined {
  if (!(surrogate instanceof ExactGP)) return undefined;
  const { kernel, noise } = surrogate.hyperparameters;
  return { kernel: Array.from(kernel), noise };
}

/**
 * A {@linkcode SurrogateFactory} fitting exact GPs with fixed options (validated once, here);
 * each `fit` uses the rng it is given for the restarts. With a previous GP of this factory in the
 * fit hints, `"warm-start"` runs one L-BFGS-B search from its hyperparameters (no restarts) and
 * `"keep"` reuses them without fitting (the cheap update that fantasies need). Its
 * `warmStartState` is those hyperparameters as JSON (`{ kernel: number[], noise: number }`, the
 * natural-unit values of {@linkcode GpHyperparameters}); given back as `previousState`, they
 * warm-start (or are kept) exactly as the GP itself would, and a state that is not such values
 * for this kernel (another factory's, another kernel size) is ignored: a fit from scratch. So is
 * a previous GP whose kernel has another number of hyperparameters than this fit's (e.g. one
 * fitted to points of another dimension).
 *
 * With `categorical: "hamming"` and a space with categorical parameters in the fit hints
 * (`FitHints.space`), the kernel is {@linkcode mixedCategoricalKernel} on the space's one-hot
 * blocks (BoTorch's `MixedSingleTaskGP`): one lengthscale per categorical parameter and term on
 * the Hamming distance of the levels, prior `GP_DEFAULTS.categoricalLengthscalePrior` (flat, as
 * BoTorch) unless `priors.categoricalLengthscale` says otherwise, the continuous lengthscales'
 * log-normal prior scaled by the number of continuous columns. A fractional block counts as its
 * argmax level (zero input gradient there); an inactive categorical of a conditional space
 * (`space.activeColumns`) is one more level, and inactive numeric columns keep their constant
 * imputation, as with one-hot columns. The factory is then named `gp-<kernel>-hamming`.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { categorical, defineSpace, float } from "../space/mod.ts";
 * import { gpFactory } from "./gp.ts";
 * const space = defineSpace({ c: categorical(["a", "b", "c"]), x: float(0, 1) });
 * const encoded = space.sampleEncoded(8, new Rng(1));
 * const values = Float64Array.from(encoded, (u) => u[0] + (u[3] - 0.3) ** 2);
 * const hamming = gpFactory({ categorical: "hamming" });
 * hamming.fit(encoded, values, new Rng(0), { space });
 * ```
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { gpFactory } from "./gp.ts";
 * const factory = gpFactory({ kernel: "matern52", restarts: 1 });
 * const points = [new Float64Array([0.1]), new Float64Array([0.5]), new Float64Array([0.9])];
 * const surrogate = factory.fit(points, new Float64Array([1, 0, 1]), new Rng(0));
 * surrogate.predict([new Float64Array([0.3])]);
 * ```
 */
export function gpFactory(options: GpFactoryOptions = {}): SurrogateFactory {
  const parsed = parseOrThrow(factorySchema, options, "gpFactory: options");
  // A kernel of your own is checked now, not at the first fit in the middle of a study.
  if (typeof parsed.kernel === "object") checkKernel(parsed.kernel, "gpFactory: options.kernel");
  if (parsed.categorical === "hamming" && typeof parsed.kernel === "object") {
    throw new TypeError(
      'gpFactory: options.kernel: categorical: "hamming" needs a kernel name, not a Kernel',
    );
  }
  const { categorical = GP_DEFAULTS.categorical, ...gpOptions } = options;
  const kernelName = typeof parsed.kernel === "object"
    ? parsed.kernel.name
    : parsed.kernel ?? GP_DEFAULTS.kernel;
  // The number of kernel hyperparameters for points of `dim` coordinates.
  const kernelSize = (dim: number) =>
    typeof parsed.kernel === "object"
      ? parsed.kernel.size
      : kernelFromName(parsed.kernel ?? GP_DEFAULTS.kernel, dim).size;
  return {
    name: categorical === "hamming" ? `gp-${kernelName}-hamming` : `gp-${kernelName}`,
    // Every fit is an exact GP (`fitGP`): noisy expected improvement accepts it.
    gaussianProcess: true,
    warmStartState: gpWarmStartState,
    fit: (points, values, rng, hints) => {
      const dim = points[0]?.length ?? 0;
      // `categorical: "hamming"` with a space of categorical parameters: the mixed kernel.
      const mixed = categorical === "hamming" && hints?.space !== undefined && dim > 0
        ? hammingSetup(hints.space, dim, kernelName as KernelName, gpOptions.priors)
        : undefined;
      const fitOptions: GpOptions = mixed === undefined
        ? gpOptions
        : { ...gpOptions, kernel: mixed.kernel, priors: mixed.priors };
      // A previous GP (or state) of another kernel size (another kernel or dimension) is ignored.
      const previous = hints?.previous;
      const size = () => mixed?.kernel.size ?? kernelSize(dim);
      const warm = dim === 0
        ? undefined
        : previous instanceof ExactGP
        ? previous.kernel.size === size() ? previous.hyperparameters : undefined
        : previous === undefined && hints?.previousState !== undefined
        ? warmStartValues(hints.previousState, size())
        : undefined;
      if (warm === undefined || hints?.mode === "full") {
        return fitGP(points, values, { ...fitOptions, rng });
      }
      const { kernel, noise } = warm;
      if (hints?.mode === "keep") {
        return fitGP(points, values, { ...fitOptions, hyperparameters: { kernel, noise }, rng });
      }
      return fitGP(points, values, { ...fitOptions, initial: { kernel, noise }, restarts: 0, rng });
    },
  };
}
