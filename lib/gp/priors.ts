/**
 * Priors on positive GP hyperparameters (lengthscales, outputscales, noise variance) for MAP
 * fitting in log space.
 *
 * As in GPyTorch/BoTorch, a prior is a density on the hyperparameter v itself, evaluated at
 * v = exp(θ) while the optimiser moves θ = log v; no change-of-variables Jacobian is added, so the
 * MAP estimate does not depend on the parametrisation used by the optimiser. `flat` is the improper
 * uniform prior (plain maximum likelihood); restarts then start log-uniformly inside the bounds.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Rng } from "../random/rng.ts";

/**
 * A prior on a positive hyperparameter.
 *
 * @example
 * ```ts
 * import type { Prior } from "./priors.ts";
 * const lengthscale: Prior = { type: "gamma", concentration: 3, rate: 6 };
 * ```
 */
export type Prior =
  | { readonly type: "lognormal"; readonly loc: number; readonly scale: number }
  | { readonly type: "gamma"; readonly concentration: number; readonly rate: number }
  | { readonly type: "flat" };

/** Zod schema of a {@linkcode Prior}. */
export const priorSchema: z.ZodType<Prior> = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("lognormal"),
    loc: z.number().refine(Number.isFinite, "must be finite"),
    scale: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite"),
  }),
  z.strictObject({
    type: z.literal("gamma"),
    concentration: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite"),
    rate: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite"),
  }),
  z.strictObject({ type: z.literal("flat") }),
]);

/**
 * log p(v) at v = exp(θ) and its derivative with respect to θ.
 *
 * @example
 * ```ts
 * import { priorLogDensity } from "./priors.ts";
 * const { value, derivative } = priorLogDensity({ type: "gamma", concentration: 2, rate: 1 }, 0);
 * // Gamma(2, 1) at v = 1: log(1·e⁻¹) = −1, d/dθ = (k − 1) − rate·v = 0
 * ```
 */
export function priorLogDensity(
  prior: Prior,
  theta: number,
): { value: number; derivative: number } {
  switch (prior.type) {
    case "lognormal": {
      const z = (theta - prior.loc) / prior.scale;
      return {
        value: -theta - Math.log(prior.scale) - 0.5 * Math.log(2 * Math.PI) - 0.5 * z * z,
        derivative: -1 - z / prior.scale,
      };
    }
    case "gamma": {
      const k = prior.concentration, rate = prior.rate, v = Math.exp(theta);
      return {
        value: k * Math.log(rate) - logGamma(k) + (k - 1) * theta - rate * v,
        derivative: (k - 1) - rate * v,
      };
    }
    case "flat":
      return { value: 0, derivative: 0 };
    default:
      throw new TypeError(`priorLogDensity: unknown prior type ${JSON.stringify(prior)}`);
  }
}

/**
 * log of the prior's mode (the density's maximiser in v), clamped to [lower, upper] (log space);
 * the deterministic first start of MAP fitting. Gamma priors with concentration ≤ 1 and flat priors
 * have no interior mode: the geometric middle of the bounds is used instead.
 *
 * @example
 * ```ts
 * import { priorLogMode } from "./priors.ts";
 * priorLogMode({ type: "lognormal", loc: -4, scale: 1 }, -20, 5); // −5 (mode e^{μ−σ²})
 * ```
 */
export function priorLogMode(prior: Prior, lower: number, upper: number): number {
  checkBounds(lower, upper, "priorLogMode");
  let mode: number;
  if (prior.type === "lognormal") mode = prior.loc - prior.scale * prior.scale;
  else if (prior.type === "gamma" && prior.concentration > 1) {
    mode = Math.log((prior.concentration - 1) / prior.rate);
  } else mode = 0.5 * (lower + upper);
  return Math.min(upper, Math.max(lower, mode));
}

/**
 * A draw of log v with v from the prior, clamped to [lower, upper] (log space); flat priors draw
 * log-uniformly between the bounds.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { samplePriorLog } from "./priors.ts";
 * const theta = samplePriorLog({ type: "gamma", concentration: 3, rate: 6 }, -7, 7, new Rng(0));
 * ```
 */
export function samplePriorLog(prior: Prior, lower: number, upper: number, rng: Rng): number {
  checkBounds(lower, upper, "samplePriorLog");
  let theta: number;
  switch (prior.type) {
    case "lognormal":
      theta = prior.loc + prior.scale * rng.normal();
      break;
    case "gamma":
      theta = Math.log(sampleGamma(prior.concentration, rng) / prior.rate);
      break;
    case "flat":
      theta = rng.uniformIn(lower, upper);
      break;
    default:
      throw new TypeError(`samplePriorLog: unknown prior type ${JSON.stringify(prior)}`);
  }
  return Math.min(upper, Math.max(lower, theta));
}

function checkBounds(lower: number, upper: number, label: string): void {
  if (!(lower <= upper) || !Number.isFinite(lower) || !Number.isFinite(upper)) {
    throw new RangeError(
      `${label}: bounds must be finite with lower ≤ upper, got [${lower}, ${upper}]`,
    );
  }
}

/** A Gamma(k, 1) variate (Marsaglia and Tsang 2000; boosted with U^{1/k} for k < 1). */
function sampleGamma(k: number, rng: Rng): number {
  if (k < 1) return sampleGamma(k + 1, rng) * Math.pow(1 - rng.uniform(), 1 / k);
  const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** log Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~1e-15 relative). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}
