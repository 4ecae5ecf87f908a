/**
 * Gaussian-process surrogates in float64: RBF and Matérn kernels with ARD lengthscales (sums and
 * products too), exact GP regression with standardised targets, posterior marginals with input
 * gradients, joint posterior samples, pathwise posterior function samples (random Fourier features
 * and Matheron's update), and MAP hyperparameter fitting with BoTorch-style priors.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { fitGP, gpFactory } from "./mod.ts";
 * const rng = new Rng(0);
 * const x = Array.from({ length: 30 }, () => rng.uniforms(3));
 * const y = Float64Array.from(x, (p) => Math.sin(3 * p[0]) + p[1] * p[2]);
 * const gp = fitGP(x, y, { restarts: 2, rng });
 * const at = gp.predictWithGradient(new Float64Array([0.2, 0.4, 0.6]));
 * const factory = gpFactory(); // default Matérn-5/2 ARD, log-normal priors
 * ```
 *
 * @module
 */
export {
  fitGP,
  GAMMA_PRIORS,
  type GaussianProcess,
  GP_DEFAULTS,
  type GpBounds,
  gpFactory,
  type GpFactoryOptions,
  type GpFitReport,
  type GpHyperparameters,
  type GpHyperparameterValues,
  type GpOptions,
  type GpPriors,
  logNormalPriors,
} from "./gp.ts";
export {
  categoricalKernel,
  type CategoricalKernelOptions,
  type HyperparameterKind,
  type Kernel,
  KERNEL_NAMES,
  kernelDiagonalGradient,
  kernelFromName,
  type KernelName,
  matern12Kernel,
  matern32Kernel,
  matern52Kernel,
  mixedCategoricalKernel,
  type MixedCategoricalKernelOptions,
  type PreparedKernel,
  prepareKernel,
  productKernel,
  rbfKernel,
  type SpectralSample,
  type StationaryKernelOptions,
  sumKernel,
} from "./kernels.ts";
export { MarginalLikelihood, type MarginalLikelihoodValue } from "./likelihood.ts";
export type { SamplePath, SamplePathOptions } from "./pathwise.ts";
export { type Prior, priorLogDensity, priorLogMode, samplePriorLog } from "./priors.ts";
export { standardizeTargets, type TargetStandardization } from "./standardize.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export { Rng } from "../random/rng.ts";
export type {
  PointPrediction,
  Prediction,
  Surrogate,
  SurrogateFactory,
} from "../models/surrogate.ts";

// Types that appear in this module's signatures (their home modules own them).
export type * from "../models/surrogate.ts";
/** The search-space types that surrogate fit hints and proposal contexts refer to. */
export type * from "../space/mod.ts";
