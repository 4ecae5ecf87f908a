/**
 * The acquisition-function contract and its most common shape: a function of the posterior mean
 * and standard deviation at a point ("marginal" acquisitions: EI, LogEI, PI, LogPI, LCB), whose
 * gradient with respect to the point follows by the chain rule through the surrogate's
 * `predictWithGradient`.
 *
 * Acquisitions are MAXIMISED; the objective they serve is MINIMISED.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { GaussianProcess } from "../gp/gp.ts";
import type { PointPrediction, Prediction, Surrogate } from "../models/surrogate.ts";
import {
  checkPoint,
  checkPoints,
  describeValue,
  isPromiseLike,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";

/** A value and its gradient with respect to the point. */
export interface ValueAndGradient {
  /** The acquisition value. */
  value: number;
  /** Its gradient with respect to the point. */
  gradient: Float64Array;
}

/**
 * A function of points of the unit cube to be maximised. Differentiable acquisitions provide
 * `valueAndGradient`; the others (e.g. Thompson sampling) only `evaluate`.
 */
export interface AcquisitionFunction {
  /** A short name for reports ("EI", "LogEI", …). */
  readonly name: string;
  /** Number of input dimensions (the surrogate's). */
  readonly dim: number;
  /** The acquisition value at each point (higher is better). */
  evaluate(points: readonly Float64Array[]): Float64Array;
  /**
   * The value and its gradient at one point; absent for non-differentiable acquisitions. Where the
   * value is finite, every entry of the gradient must be finite too (`optimizeAcquisition`
   * refuses a NaN or ±Infinity there, naming the acquisition).
   */
  valueAndGradient?(point: Float64Array): ValueAndGradient;
  /**
   * `true` when every `evaluate` call draws a fresh random function (Thompson sampling: one joint
   * posterior sample per call), so that values are comparable within one call only. The
   * acquisition optimisers then score ONE candidate set in ONE call and take its best (BoTorch's
   * `MaxPosteriorSampling`), instead of comparing values of different calls.
   */
  readonly sampled?: boolean;
}

/** A utility's value and its partial derivatives with respect to the mean and the std. dev. */
export interface UtilityValue {
  /** The utility u(μ, σ). */
  value: number;
  /** ∂value/∂μ. */
  dMean: number;
  /** ∂value/∂σ. */
  dSd: number;
}

/**
 * A function of the posterior mean μ and standard deviation σ ≥ 0 at a point, with its partial
 * derivatives. Must return finite derivatives (and no NaN) at σ = 0.
 */
export type MarginalUtility = (mean: number, sd: number) => UtilityValue;

/**
 * Standard deviation of the targets (a GP's `standardization.std`) outside [1e-100, 1e100] beyond
 * which a marginal acquisition evaluates in standardised units: there std² (and the variance in
 * original units) leaves the range of float64, or comes close, while the standardised posterior
 * stays finite. Ordinary scales are evaluated in the original units, as always.
 */
const EXTREME_SCALE = 1e100;

/** The standardised predictions of a surrogate that has them (a GaussianProcess). */
type StandardizedView = Pick<
  GaussianProcess,
  "standardization" | "predictStandardized" | "predictStandardizedWithGradient"
>;

/** `surrogate`'s standardised view when it has one and its scale is extreme, else undefined. */
function extremeScaleView(surrogate: Surrogate): StandardizedView | undefined {
  const view = surrogate as Surrogate & Partial<StandardizedView>;
  const { mean, std } = view.standardization ?? {};
  if (
    typeof view.predictStandardized !== "function" ||
    typeof view.predictStandardizedWithGradient !== "function" ||
    typeof mean !== "number" || !Number.isFinite(mean) ||
    typeof std !== "number" || !(std > 0) || !Number.isFinite(std)
  ) {
    return undefined;
  }
  return std > EXTREME_SCALE || std < 1 / EXTREME_SCALE ? view as StandardizedView : undefined;
}

const surrogateSchema = z.object({
  dim: positiveIntSchema,
  predict: z.custom<Surrogate["predict"]>((v) => typeof v === "function", "must be a function"),
  predictWithGradient: z.custom<Surrogate["predictWithGradient"]>(
    (v) => typeof v === "function",
    "must be a function",
  ),
});

/** Throws a `TypeError` naming the field unless `value` looks like a {@linkcode Surrogate}. */
export function assertSurrogate(value: unknown, label: string): asserts value is Surrogate {
  parseOrThrow(surrogateSchema, value, label);
}

/**
 * Round-off below zero that a posterior variance may show: a variance `v` with
 * `−VARIANCE_ROUNDOFF·max(1, μ²) ≤ v < 0` counts as 0; a lower one is refused.
 */
const VARIANCE_ROUNDOFF = 1e-12;

/** The message part of a value that a prediction check refuses. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : describeValue(value);
}

/**
 * @internal Throws an error starting with `label` unless `values` has `length` entries (an array
 * or a typed array); a promise is named as such.
 */
export function checkLength(values: unknown, length: number, label: string, what: string): void {
  if (isPromiseLike(values)) {
    throw new TypeError(`${label}: returned a Promise; it must return ${what} synchronously`);
  }
  if (
    values === null || typeof values !== "object" ||
    typeof (values as { length?: unknown }).length !== "number"
  ) {
    throw new TypeError(`${label}: must return ${what}, got ${shown(values)}`);
  }
  const got = (values as ArrayLike<unknown>).length;
  if (got !== length) {
    throw new RangeError(`${label}: must return ${what}, got ${got} values`);
  }
}

/** The index of the first entry of `values` that is not a finite number, or −1. */
function firstNonFinite(values: ArrayLike<unknown>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) return i;
  }
  return -1;
}

/** The variance check of a surrogate's prediction: NaN, −∞ and clearly negative values fail. */
function badVariance(variance: unknown, mean: number): boolean {
  if (typeof variance !== "number" || Number.isNaN(variance)) return true;
  return variance < -VARIANCE_ROUNDOFF * Math.max(1, mean * mean);
}

/**
 * @internal Checks what a surrogate's `predict` returned for `count` points (errors start with
 * `label`, e.g. `LogEI: surrogate.predict`): `{ mean, variance }`, each with `count` entries, every
 * mean finite, every variance ≥ 0 or +Infinity (a GP's beyond float64). A variance below zero by
 * round-off (within 1e-12·max(1, μ²)) passes: callers clamp it to 0. `mean` alone is checked
 * with `withVariance: false` (`predictMean`).
 */
export function checkPrediction(
  prediction: unknown,
  count: number,
  label: string,
  withVariance = true,
): asserts prediction is Prediction {
  if (isPromiseLike(prediction)) {
    throw new TypeError(`${label}: returned a Promise; a surrogate must predict synchronously`);
  }
  if (prediction === null || typeof prediction !== "object") {
    throw new TypeError(
      `${label}: must return { mean, variance } (Float64Arrays), got ${shown(prediction)}`,
    );
  }
  const { mean, variance } = prediction as Partial<Prediction>;
  checkMeans(mean, count, label);
  if (!withVariance) return;
  checkLength(variance, count, `${label}: variance`, `${count} values (one per point)`);
  for (let i = 0; i < count; i++) {
    if (badVariance(variance![i], mean![i])) {
      throw new RangeError(
        `${label}: variance[${i}] must be a number ≥ 0, got ${shown(variance![i])}`,
      );
    }
  }
}

/**
 * @internal Checks the posterior means of `count` points (a `predictMean` result, or `mean` of a
 * prediction): `count` finite numbers; errors start with `label`.
 */
export function checkMeans(mean: unknown, count: number, label: string): void {
  checkLength(mean, count, `${label}: mean`, `${count} values (one per point)`);
  const bad = firstNonFinite(mean as ArrayLike<unknown>);
  if (bad >= 0) {
    throw new RangeError(
      `${label}: mean[${bad}] must be finite, got ${shown((mean as ArrayLike<unknown>)[bad])}`,
    );
  }
}

/**
 * @internal The posterior means of `surrogate` at `points` (its `predictMean`, else
 * `predict(points).mean`, as `predictMean` of `lib/models/surrogate.ts`), checked: one finite mean
 * per point, else an error starting with `label` and the method (`recommendBest: surrogate "mine"
 * predict: mean[0] must be finite, got NaN`).
 */
export function checkedMeans(
  surrogate: Surrogate,
  points: readonly Float64Array[],
  label: string,
): Float64Array {
  if (typeof surrogate.predictMean === "function") {
    const mean = surrogate.predictMean(points);
    checkMeans(mean, points.length, `${label} predictMean`);
    return mean;
  }
  const prediction = surrogate.predict(points);
  checkPrediction(prediction, points.length, `${label} predict`, false);
  return prediction.mean;
}

/**
 * @internal Checks what a surrogate's `predictWithGradient` returned at a point of `dim`
 * coordinates (errors start with `label`): a finite `mean`, a `variance` as
 * {@linkcode checkPrediction} takes it, and gradients of `dim` entries.
 */
export function checkPointPrediction(
  prediction: unknown,
  dim: number,
  label: string,
): asserts prediction is PointPrediction {
  if (isPromiseLike(prediction)) {
    throw new TypeError(`${label}: returned a Promise; a surrogate must predict synchronously`);
  }
  if (prediction === null || typeof prediction !== "object") {
    throw new TypeError(
      `${label}: must return { mean, variance, meanGradient, varianceGradient }, got ${
        shown(prediction)
      }`,
    );
  }
  const p = prediction as Partial<PointPrediction>;
  if (typeof p.mean !== "number" || !Number.isFinite(p.mean)) {
    throw new RangeError(`${label}: mean must be finite, got ${shown(p.mean)}`);
  }
  if (badVariance(p.variance, p.mean)) {
    throw new RangeError(`${label}: variance must be a number ≥ 0, got ${shown(p.variance)}`);
  }
  const gradient = `${dim} values (one per input dimension)`;
  checkLength(p.meanGradient, dim, `${label}: meanGradient`, gradient);
  checkLength(p.varianceGradient, dim, `${label}: varianceGradient`, gradient);
}

/**
 * Builds a differentiable acquisition from a {@linkcode MarginalUtility} of (μ, σ) and a surrogate:
 * `a(x) = u(μ(x), σ(x))` with `σ = √max(σ², 0)` and
 * `∇a = ∂u/∂μ · ∇μ + ∂u/∂σ · ∇σ²/(2σ)`. Where σ = 0 the σ-term is dropped: the variance is at a
 * minimum there, so its gradient vanishes and `∇σ` is not defined.
 *
 * With `standardized`, on a surrogate that predicts in standardised units too (a GP, whose
 * predictions are `μ = shift + scale·μ̃` and `σ = scale·σ̃`) and whose target standard deviation
 * `scale` is extreme (above 1e100 or below 1e-100, where σ² in original units overflows or
 * underflows), the acquisition is `offset + factor·ũ(μ̃, σ̃)` with `{ utility: ũ, offset, factor }
 * = standardized(shift, scale)`, from the standardised posterior, and its gradient `factor·∇ũ`:
 * e.g. LogEI (`offset = log scale`, `factor = 1`, the threshold in standardised units) stays
 * finite with finite gradients on targets of 1e200. Ordinary scales use `utility`, as always.
 *
 * The surrogate's predictions are checked as they are used: `predict` must return `{ mean,
 * variance }` with one entry per point, `predictWithGradient` gradients of `dim` entries, every
 * mean finite and every variance ≥ 0 (or +Infinity); a variance below zero by round-off (at most
 * 1e-12·max(1, μ²)) counts as 0. Anything else, or a promise, is an error naming the acquisition
 * and the field (`LogEI: surrogate.predict: mean[3] must be finite, got NaN`).
 *
 * @param name A short name for reports.
 * @param surrogate A fitted surrogate.
 * @param utility The function of (μ, σ) to maximise.
 * @param standardized The same utility in standardised units (`offset` finite, `factor` > 0),
 *   given the surrogate's `shift` (mean) and `scale` (standard deviation) of the targets;
 *   optional.
 *
 * @example
 * ```ts
 * import { marginalAcquisition } from "./acquisition.ts";
 * import type { Surrogate } from "../models/surrogate.ts";
 * // a 1-d surrogate with μ(x) = x, σ²(x) = 1
 * const surrogate: Surrogate = {
 *   dim: 1,
 *   predict: (points) => ({
 *     mean: Float64Array.from(points, (p) => p[0]),
 *     variance: new Float64Array(points.length).fill(1),
 *   }),
 *   predictWithGradient: (p) => ({
 *     mean: p[0],
 *     variance: 1,
 *     meanGradient: Float64Array.of(1),
 *     varianceGradient: Float64Array.of(0),
 *   }),
 *   // independent draws N(x, 1) at each point (a marginal acquisition does not use them)
 *   sampleJoint: (points, count, rng) =>
 *     Array.from({ length: count }, () => Float64Array.from(points, (p) => p[0] + rng.normal())),
 * };
 * // "mean minus one standard deviation", negated to be maximised
 * const acq = marginalAcquisition("custom", surrogate, (mean, sd) => ({
 *   value: sd - mean,
 *   dMean: -1,
 *   dSd: 1,
 * }));
 * console.log(acq.valueAndGradient!(Float64Array.of(0.25))); // { value: 0.75, gradient: [-1] }
 * ```
 */
export function marginalAcquisition(
  name: string,
  surrogate: Surrogate,
  utility: MarginalUtility,
  standardized?: (
    shift: number,
    scale: number,
  ) => { utility: MarginalUtility; offset: number; factor: number },
): AcquisitionFunction {
  assertSurrogate(surrogate, `${name}: surrogate`);
  const dim = surrogate.dim;
  const view = standardized === undefined ? undefined : extremeScaleView(surrogate);
  const rescaled = view && standardized!(view.standardization.mean, view.standardization.std);
  const { utility: u, offset, factor } = rescaled ?? { utility, offset: 0, factor: 1 };
  const predict = view ? (p: readonly Float64Array[]) => view.predictStandardized(p) : undefined;
  const predictWithGradient = view
    ? (p: Float64Array) => view.predictStandardizedWithGradient(p)
    : undefined;
  const predictLabel = `${name}: surrogate.${view ? "predictStandardized" : "predict"}`;
  const gradientLabel = `${name}: surrogate.${
    view ? "predictStandardizedWithGradient" : "predictWithGradient"
  }`;
  return {
    name,
    dim,
    evaluate(points) {
      checkPoints(points, dim, `${name}.evaluate: points`);
      const prediction = predict ? predict(points) : surrogate.predict(points);
      checkPrediction(prediction, points.length, predictLabel);
      const { mean, variance } = prediction;
      return Float64Array.from(mean, (m, i) => {
        const value = u(m, Math.sqrt(Math.max(variance[i], 0))).value;
        return rescaled ? offset + factor * value : value;
      });
    },
    valueAndGradient(point) {
      checkPoint(point, dim, `${name}.valueAndGradient: point`);
      const prediction = predictWithGradient
        ? predictWithGradient(point)
        : surrogate.predictWithGradient(point);
      checkPointPrediction(prediction, dim, gradientLabel);
      const sd = Math.sqrt(Math.max(prediction.variance, 0));
      const { value, dMean, dSd } = u(prediction.mean, sd);
      const sdFactor = sd > 0 ? dSd / (2 * sd) : 0;
      const gradient = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        gradient[j] = dMean * prediction.meanGradient[j] +
          (sdFactor === 0 ? 0 : sdFactor * prediction.varianceGradient[j]);
      }
      if (!rescaled) return { value, gradient };
      for (let j = 0; j < dim; j++) gradient[j] *= factor;
      return { value: offset + factor * value, gradient };
    },
  };
}

/** Options shared by the improvement-based acquisitions (EI, LogEI, PI, LogPI). */
export interface ImprovementOptions {
  /** The incumbent `f_min`: usually the best observed value (or the best posterior mean). */
  best: number;
  /**
   * Improvement required beyond the incumbent, in objective units: improvement is measured over
   * `best − xi` (default 0, see {@linkcode IMPROVEMENT_DEFAULTS}).
   */
  xi?: number;
}

/**
 * Defaults of {@linkcode ImprovementOptions}: `xi = 0` (BoTorch's choice; scikit-optimize uses
 * 0.01, which depends on the objective's units).
 *
 * @example
 * ```ts
 * import { IMPROVEMENT_DEFAULTS } from "./acquisition.ts";
 * console.log(IMPROVEMENT_DEFAULTS.xi); // 0
 * ```
 */
export const IMPROVEMENT_DEFAULTS: Readonly<{ xi: number }> = Object.freeze({ xi: 0 });

const improvementSchema = z.strictObject({
  best: z.number().refine(Number.isFinite, "must be a finite number"),
  xi: z.number().refine(Number.isFinite, "must be a finite number").optional(),
});

/**
 * How an improvement utility changes when the objective's units change, `y = shift + scale·ỹ`
 * (the threshold moving with them): `"linear"` scales with them (EI: `scale·ũ`), `"log"` shifts
 * by `log scale` (LogEI), `"invariant"` stays (PI, LogPI: functions of the z-score).
 *
 * @example
 * ```ts
 * import type { UnitLaw } from "./acquisition.ts";
 * const logEi: UnitLaw = "log"; // log EI(μ, σ) = log scale + log EI(μ̃, σ̃)
 * ```
 */
export type UnitLaw = "linear" | "log" | "invariant";

/**
 * An improvement-based acquisition (EI, LogEI, PI, LogPI): validates `options` (errors start with
 * `label`), takes the threshold `best − xi` that improvement is over, and builds the
 * {@linkcode marginalAcquisition} of `utilityOf(μ, σ, threshold)`. With `law`, a surrogate of
 * extreme scale is evaluated in its standardised units (threshold included), see
 * {@linkcode marginalAcquisition}.
 */
export function improvementAcquisition(
  name: string,
  label: string,
  surrogate: Surrogate,
  options: unknown,
  utilityOf: (mean: number, sd: number, threshold: number) => UtilityValue,
  law?: UnitLaw,
): AcquisitionFunction {
  const parsed = parseOrThrow(improvementSchema, options, `${label}: options`);
  const threshold = parsed.best - (parsed.xi ?? IMPROVEMENT_DEFAULTS.xi);
  return marginalAcquisition(
    name,
    surrogate,
    (mean, sd) => utilityOf(mean, sd, threshold),
    law === undefined ? undefined : (shift, scale) => {
      // (threshold − shift)/scale, dividing first when the difference overflows.
      const difference = threshold - shift;
      const scaled = Number.isFinite(difference)
        ? difference / scale
        : threshold / scale - shift / scale;
      return {
        utility: (mean, sd) => utilityOf(mean, sd, scaled),
        offset: law === "log" ? Math.log(scale) : 0,
        factor: law === "linear" ? scale : 1,
      };
    },
  );
}
