/**
 * Noisy expected improvement (NEI) in log form, for MINIMISATION, on a Gaussian process (Letham,
 * Karrer, Ottoni & Bakshy, "Constrained Bayesian Optimization with Noisy Experiments", Bayesian
 * Analysis 14(2), 2019; BoTorch's `qLogNoisyExpectedImprovement` for q = 1).
 *
 * With noisy observations the incumbent `f_min` of EI is unknown: the best observed value is
 * itself noisy. NEI takes the expectation of EI over the posterior of the latent function at the
 * observed inputs X (n points): `NEI(x) = E_{f_X | y}[ EI(x | f_X) ]`, where the threshold of EI
 * is the best latent value `min_i f_X[i]` of each draw. Given f_X, f(x) does not depend on y, so
 * `f(x) | f_X` is the PRIOR GP conditioned without noise on f_X:
 *
 * - mean `μ_s(x) = c + k(x, X)·K⁻¹(f_s − c)`, with c the GP's constant prior mean
 *   (`hyperparameters.meanConstant`, 0 for a zero-mean GP) and K the noise-free kernel Gram
 *   matrix at X (plus a small jitter);
 * - variance `σ²(x) = k(x, x) − k(x, X)·K⁻¹·k(X, x)`, the same for every draw.
 *
 * The expectation is approximated by N joint posterior samples f_1 … f_N of the latent function
 * at X, drawn ONCE when the acquisition is built (`gp.sampleJoint`, seeded normals from the given
 * `rng`; Letham et al. use quasi-Monte Carlo instead), so that the acquisition is a deterministic,
 * smooth function of x during one optimisation:
 *
 * `log NEI(x) ≈ logsumexp_s( log EI(μ_s(x), σ(x); min_i f_s[i]) ) − log N`,
 *
 * each term the numerically stable log-EI of {@linkcode logExpectedImprovementOf} (Ament et al.
 * 2023), so the value stays finite where every EI underflows. Everything is computed in the GP's
 * standardised units (`(f − standardization.mean)/standardization.std`): the value is the log of
 * NEI measured in standard deviations of the targets, i.e. `log NEI_original − log std`, which
 * differs from the original-units value by a constant that does not move the maximiser.
 *
 * The gradient with respect to x follows by the chain rule: `∂μ_s/∂x = (∂k(x, X)/∂x)·K⁻¹(f_s − c)`
 * and `∂σ²/∂x = ∂k(x, x)/∂x − 2 (∂k(x, X)/∂x)ᵀ K⁻¹ k(X, x)`, combined through the log-EI's ∂/∂μ
 * and ∂/∂σ and the softmax weights of the log-sum-exp. The first term of `∂σ²/∂x` is zero for a
 * stationary kernel (every built-in one); for any other it is the kernel's `diagonalGradient`, or
 * central finite differences of its `diagonal` (see `Kernel.diagonalGradient`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { GaussianProcess } from "../gp/gp.ts";
import { type Kernel, kernelDiagonalGradient } from "../gp/kernels.ts";
import {
  cholesky,
  packRows,
  solveLower,
  solveLowerRows,
  solveLowerTranspose,
  solveLowerTransposeRows,
} from "../linalg/mod.ts";
import type { Surrogate } from "../models/surrogate.ts";
import type { Rng } from "../random/rng.ts";
import {
  checkPoint,
  checkPoints,
  float64ArraySchema,
  formatIssues,
  parseOrThrow,
  positiveIntSchema,
  rngSchema,
} from "../validate.ts";
import type { AcquisitionFunction } from "./acquisition.ts";
import { logExpectedImprovementOf } from "./expected_improvement.ts";

/**
 * Options of {@linkcode logNoisyExpectedImprovement}; defaults in
 * {@linkcode NOISY_EXPECTED_IMPROVEMENT_DEFAULTS}.
 */
export interface NoisyExpectedImprovementOptions {
  /**
   * The inputs X the GP was fitted to, in the GP's order (`gp.size` points): the observed points,
   * then any pending points a kriging believer added (see `bayesOpt`).
   */
  points: readonly Float64Array[];
  /** The source of the posterior samples at X, consumed once, when the acquisition is built. */
  rng: Rng;
  /** Number N of joint posterior samples at X (default 32). */
  samples?: number;
  /**
   * Diagonal jitter added to the noise-free kernel matrix K at X before it is factorised, relative
   * to its mean diagonal (the prior variance); default 1e-6. Where (near-)duplicate inputs leave
   * K singular even so, the Cholesky factorisation escalates it by itself.
   */
  jitter?: number;
}

/**
 * Defaults of {@linkcode NoisyExpectedImprovementOptions}: 32 posterior samples (an evaluation
 * then costs 32 log-EIs; more samples give a less noisy estimate of NEI) and a relative jitter of
 * 1e-6.
 *
 * @example
 * ```ts
 * import { NOISY_EXPECTED_IMPROVEMENT_DEFAULTS } from "./noisy_expected_improvement.ts";
 * console.log(NOISY_EXPECTED_IMPROVEMENT_DEFAULTS.samples); // 32
 * ```
 */
export const NOISY_EXPECTED_IMPROVEMENT_DEFAULTS: Readonly<{ samples: number; jitter: number }> =
  Object.freeze({
    samples: 32,
    jitter: 1e-6,
  });

const finite = z.number().refine(Number.isFinite, "must be a finite number");

const optionsSchema = z.strictObject({
  points: z.array(float64ArraySchema, { error: "must be an array of Float64Array" }),
  rng: rngSchema,
  samples: positiveIntSchema.optional(),
  jitter: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite").optional(),
});

/** What NEI reads of a {@linkcode GaussianProcess}. */
type GpView = Pick<
  GaussianProcess,
  | "dim"
  | "size"
  | "kernel"
  | "logHyperparameters"
  | "hyperparameters"
  | "standardization"
  | "sampleJoint"
>;

const isFunction = (v: unknown) => typeof v === "function";

const gpSchema = z.object({
  dim: positiveIntSchema,
  size: positiveIntSchema,
  kernel: z.custom<Kernel>(
    (k) =>
      typeof k === "object" && k !== null && Number.isInteger((k as Kernel).size) &&
      ["gram", "cross", "diagonal", "inputGradient"].every((m) =>
        isFunction((k as unknown as Record<string, unknown>)[m])
      ),
    "must be a Kernel (gram, cross, diagonal, inputGradient)",
  ),
  logHyperparameters: float64ArraySchema,
  hyperparameters: z.object({ meanConstant: finite }),
  standardization: z.object({
    mean: finite,
    std: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite"),
  }),
  sampleJoint: z.custom<GaussianProcess["sampleJoint"]>(isFunction, "must be a function"),
});

/** `surrogate` as a GP, or a `TypeError` that names what it lacks. */
function asGaussianProcess(surrogate: unknown, label: string): GpView {
  const result = gpSchema.safeParse(surrogate, { reportInput: true });
  if (!result.success) {
    throw new TypeError(
      `${label}: noisy EI needs the GP surrogate (gpFactory or fitGP, a GaussianProcess): ` +
        formatIssues("surrogate", result.error.issues),
    );
  }
  const gp = surrogate as GpView;
  if (gp.kernel.dim !== gp.dim || gp.logHyperparameters.length < gp.kernel.size) {
    throw new TypeError(
      `${label}: noisy EI needs the GP surrogate (gpFactory or fitGP, a GaussianProcess): ` +
        "surrogate.kernel does not match its dim or logHyperparameters",
    );
  }
  return gp;
}

/**
 * `log((1/N) Σ exp(values[s]))` and the softmax weights `exp(values[s])/Σ exp` (written into
 * `weights`): −Infinity and zero weights when every value is −Infinity.
 */
function logMeanExp(values: Float64Array, weights?: Float64Array): number {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  if (max === -Infinity) {
    weights?.fill(0);
    return -Infinity;
  }
  let sum = 0;
  for (let s = 0; s < values.length; s++) {
    const e = Math.exp(values[s] - max);
    if (weights) weights[s] = e;
    sum += e;
  }
  if (weights) { for (let s = 0; s < values.length; s++) weights[s] /= sum; }
  return max + Math.log(sum) - Math.log(values.length);
}

/** Rows of points processed at once by `evaluate` (bounds the m×n cross-covariance). */
const EVALUATE_CHUNK = 256;

/**
 * The log-noisy-expected-improvement acquisition (to maximise) of a GP fitted to noisy
 * observations of a minimised objective (see the module documentation for the formula): the
 * logarithm of EI averaged over N joint posterior samples of the latent function at the GP's
 * inputs X, each sample with its own incumbent `min_i f_s[i]`, in the GP's standardised units.
 * The samples are drawn once, here, from `options.rng`, so the same seed gives the same
 * acquisition, and it is differentiable (`valueAndGradient`).
 *
 * `options.points` must be exactly the inputs the GP was conditioned on, in its order (`gp.size`
 * points): in `bayesOpt` the observed points followed by the pending ones, which the kriging
 * believer added at the posterior mean. The pending points then count towards each sample's
 * incumbent; since `max(b − min(f(x), f_p), 0) = max(min(b, f_p) − f(x), 0) + max(b − f_p, 0)`,
 * that is BoTorch's treatment of `X_pending` (scored jointly with the candidate) up to a term
 * that does not depend on x, here under the believer's posterior.
 *
 * Cost: O(n³ + N·n²) once, then O(n² + N·n) per point (O(n·dim) more for the gradient).
 *
 * @param surrogate A {@linkcode GaussianProcess} (`fitGP`, `gpFactory`).
 * @param options The GP's inputs `points`, the `rng` of the samples, and optionally `samples`
 *   (N, default 32) and `jitter` (default 1e-6), see
 *   {@linkcode NOISY_EXPECTED_IMPROVEMENT_DEFAULTS}.
 * @throws {TypeError} When the surrogate is not such a GP ("noisy EI needs the GP surrogate …";
 *   in `bayesOpt({ acquisition: "lognei" })` at the first model-based proposal, after the initial
 *   design, unless the surrogate factory says `gaussianProcess: false`, which `bayesOpt` refuses
 *   when it is called), or an option is malformed (the message names it).
 * @throws {RangeError} When `points` are not `gp.size` finite points of `gp.dim` coordinates, or
 *   when the GP's targets have a standard deviation beyond about 1e154 (its posterior samples are
 *   drawn in the targets' units; `bayesOpt` fits standardised values).
 *
 * @example
 * ```ts
 * import { logNoisyExpectedImprovement } from "./noisy_expected_improvement.ts";
 * import { fitGP } from "../gp/gp.ts";
 * import { Rng } from "../random/rng.ts";
 * const points = [Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.9), Float64Array.of(0.8, 0.4)];
 * const gp = fitGP(points, [0.5, 0.2, 0.9]);
 * const nei = logNoisyExpectedImprovement(gp, { points, rng: new Rng(0), samples: 64 });
 * const [value] = nei.evaluate([Float64Array.of(0.5, 0.5)]);
 * const { gradient } = nei.valueAndGradient!(Float64Array.of(0.5, 0.5));
 * console.log(Number.isFinite(value), gradient.length); // true 2
 * ```
 */
export function logNoisyExpectedImprovement(
  surrogate: Surrogate,
  options: NoisyExpectedImprovementOptions,
): AcquisitionFunction {
  const label = "logNoisyExpectedImprovement";
  const gp = asGaussianProcess(surrogate, `${label}: surrogate`);
  const parsed = parseOrThrow(optionsSchema, options, `${label}: options`);
  const { dim, size: n, kernel } = gp;
  const X = parsed.points;
  checkPoints(X, dim, `${label}: options.points`, { finite: true, nonEmpty: true });
  if (X.length !== n) {
    throw new RangeError(
      `${label}: options.points has ${X.length} points but the GP was fitted to ${n}: pass ` +
        "exactly its training inputs, in its order (observed points, then pending ones)",
    );
  }
  const count = parsed.samples ?? NOISY_EXPECTED_IMPROVEMENT_DEFAULTS.samples;
  const relativeJitter = parsed.jitter ?? NOISY_EXPECTED_IMPROVEMENT_DEFAULTS.jitter;
  const theta = gp.logHyperparameters.slice(0, kernel.size);
  const c = gp.hyperparameters.meanConstant;
  const { mean: shift, std } = gp.standardization;

  // The noise-free prior covariance at X, jittered, and its factor.
  const x = packRows(X, dim);
  const gram = kernel.gram(theta, x, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += gram[i * n + i];
  const jitter = relativeJitter * (trace > 0 ? trace / n : 1);
  for (let i = 0; i < n; i++) gram[i * n + i] += jitter;
  const lower = cholesky(gram, n, { out: gram }).lower;

  // Joint posterior samples at X, standardised: each one's incumbent, and a_s = K⁻¹(f̃_s − c)
  // as the rows of an N×n matrix.
  // sampleJoint draws in the objective's units, whose variance std² leaves float64 past
  // std ≈ 1e154 (bayesOpt always fits standardised values, far from that).
  if (!Number.isFinite(std * std)) {
    throw new RangeError(
      `${label}: the GP's targets have standard deviation ${std}, beyond what its posterior ` +
        "samples can be drawn at (about 1e154); fit the GP to standardised values, as bayesOpt does",
    );
  }
  const draws = gp.sampleJoint(X, count, parsed.rng);
  const thresholds = new Float64Array(count);
  const weights = new Float64Array(count * n);
  for (let s = 0; s < count; s++) {
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      const standardized = (draws[s][i] - shift) / std;
      if (!Number.isFinite(standardized)) {
        throw new RangeError(
          `${label}: the GP's posterior sample at points[${i}] is not finite; fit the GP to ` +
            "values of an ordinary scale (bayesOpt standardises them)",
        );
      }
      best = Math.min(best, standardized);
      weights[s * n + i] = standardized - c;
    }
    thresholds[s] = best;
  }
  solveLowerRows(lower, n, weights, count, weights);
  solveLowerTransposeRows(lower, n, weights, count, weights);

  /** μ_s = c + k·a_s for every sample, from the cross-covariances `k` at offset `base`. */
  const sampleMeans = (k: Float64Array, base: number, out: Float64Array) => {
    for (let s = 0; s < count; s++) {
      let m = c;
      for (let i = 0; i < n; i++) m += k[base + i] * weights[s * n + i];
      out[s] = m;
    }
  };
  const means = new Float64Array(count);
  const logEi = new Float64Array(count);

  return {
    name: "LogNEI",
    dim,
    evaluate(points) {
      checkPoints(points, dim, "LogNEI.evaluate: points", { finite: true });
      const m = points.length;
      const out = new Float64Array(m);
      for (let start = 0; start < m; start += EVALUATE_CHUNK) {
        const rows = Math.min(EVALUATE_CHUNK, m - start);
        const z = packRows(points.slice(start, start + rows), dim);
        const cross = kernel.cross(theta, z, rows, x, n);
        const prior = kernel.diagonal(theta, z, rows);
        const v = solveLowerRows(lower, n, cross, rows);
        for (let r = 0; r < rows; r++) {
          let explained = 0;
          for (let i = 0; i < n; i++) explained += v[r * n + i] * v[r * n + i];
          const sd = Math.sqrt(Math.max(prior[r] - explained, 0));
          sampleMeans(cross, r * n, means);
          for (let s = 0; s < count; s++) {
            logEi[s] = logExpectedImprovementOf(means[s], sd, thresholds[s]).value;
          }
          out[start + r] = logMeanExp(logEi);
        }
      }
      return out;
    },
    valueAndGradient(point) {
      checkPoint(point, dim, "LogNEI.valueAndGradient: point", { finite: true });
      const k = kernel.cross(theta, point, 1, x, n);
      const dk = kernel.inputGradient(theta, point, x, n);
      const prior = kernel.diagonal(theta, point, 1)[0];
      const v = solveLower(lower, n, k);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += v[i] * v[i];
      const latent = prior - explained;
      const sd = Math.sqrt(Math.max(latent, 0));
      sampleMeans(k, 0, means);
      const dMean = new Float64Array(count);
      let dSd = 0;
      const softmax = new Float64Array(count);
      const utilities = Array.from(
        means,
        (mean, s) => logExpectedImprovementOf(mean, sd, thresholds[s]),
      );
      utilities.forEach((u, s) => logEi[s] = u.value);
      const value = logMeanExp(logEi, softmax);
      const gradient = new Float64Array(dim);
      if (value === -Infinity) return { value, gradient };
      for (let s = 0; s < count; s++) {
        dMean[s] = softmax[s] * utilities[s].dMean;
        dSd += softmax[s] * utilities[s].dSd;
      }
      // Σ_s w_s·∂u_s/∂μ·a_s: the mean's share of the gradient is dkᵀ times this n-vector.
      const meanWeights = new Float64Array(n);
      for (let s = 0; s < count; s++) {
        if (dMean[s] === 0) continue;
        for (let i = 0; i < n; i++) meanWeights[i] += dMean[s] * weights[s * n + i];
      }
      // ∂σ/∂x = ∂σ²/∂x / 2σ with ∂σ²/∂x = ∂k(x, x)/∂x − 2 dkᵀ K⁻¹k (dropped where σ = 0, a
      // minimum of σ²); the first term is zero for stationary kernels and then not added at all.
      const sdFactor = latent > 0 && dSd !== 0 ? -dSd / sd : 0;
      const w = sdFactor === 0 ? undefined : solveLowerTranspose(lower, n, v, v);
      for (let i = 0; i < n; i++) {
        const coefficient = meanWeights[i] + (w === undefined ? 0 : sdFactor * w[i]);
        if (coefficient === 0) continue;
        for (let t = 0; t < dim; t++) gradient[t] += dk[i * dim + t] * coefficient;
      }
      if (sdFactor !== 0) {
        const dPrior = kernelDiagonalGradient(kernel, theta, point);
        if (dPrior.some((g) => g !== 0)) {
          for (let t = 0; t < dim; t++) gradient[t] -= 0.5 * sdFactor * dPrior[t];
        }
      }
      return { value, gradient };
    },
  };
}
