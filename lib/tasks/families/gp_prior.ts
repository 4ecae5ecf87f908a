/**
 * Functions drawn from a Gaussian-process prior, through random Fourier features (Rahimi & Recht
 * 2007), as MetaBO's "GP samples" (a sparse-spectrum approximation of the GP):
 *
 *     f(u) = √(2σ²/M) Σ_m w_m cos(ω_m · u + b_m),   w_m ~ N(0, 1), b_m ~ U[0, 2π),
 *
 * with frequencies ω_m drawn from the kernel's spectral density: N(0, I/ℓ²) for the RBF kernel and
 * a multivariate Student-t with 2ν degrees of freedom scaled by 1/ℓ for Matérn-ν (ω = z·√(2ν/χ²_2ν)/ℓ).
 * As M grows the draws converge in distribution to GP(0, k) samples; each task is one smooth,
 * exactly reproducible function.
 *
 * Minimum: a dense search followed by local refinement: the function (which has an analytic
 * gradient) is evaluated on `searchPoints` scrambled Sobol points, and L-BFGS-B runs from the
 * best `refineStarts` of them inside the cube; the lowest value found is the task's minimum. It is
 * the global minimum whenever the search lands in its basin, which the density makes very likely
 * at these lengthscales; in any case no point evaluated by the search is lower. The Matérn-1/2
 * kernel's heavy-tailed spectrum adds high-frequency ripples with many shallow local minima, so
 * for it the search uses {@linkcode ROUGH_SEARCH_SCALE} times more Sobol points and L-BFGS-B
 * starts (the other kernels' search, and so their tasks' minima, are unchanged).
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { lbfgsb } from "../../optim/lbfgsb.ts";
import { sobol } from "../../random/sobol.ts";
import type { Rng } from "../../random/rng.ts";
import { defineFamily, type TaskFamily } from "./task.ts";
import { parseOrThrow, positiveIntSchema } from "../../validate.ts";

/** Options of {@linkcode gpPriorFamily}; defaults in {@linkcode GP_PRIOR_FAMILY_DEFAULTS}. */
export interface GpPriorFamilyOptions {
  /** Input dimension. */
  dim?: number;
  /** Stationary kernel of the prior. */
  kernel?: "rbf" | "matern12" | "matern32" | "matern52";
  /** Lengthscale ℓ (unit-cube units, shared by all dimensions). */
  lengthscale?: number;
  /** Prior variance σ². */
  variance?: number;
  /** Number M of random features. */
  features?: number;
  /**
   * Sobol points of the dense minimum search (rounded up to a power of two; times
   * {@linkcode ROUGH_SEARCH_SCALE} for Matérn-1/2).
   */
  searchPoints?: number;
  /** L-BFGS-B starts of the refinement (times {@linkcode ROUGH_SEARCH_SCALE} for Matérn-1/2). */
  refineStarts?: number;
}

/**
 * Defaults of {@linkcode gpPriorFamily}: 2-d, RBF kernel with lengthscale 0.2 and variance 1,
 * 512 random features, minimum from 4096 Sobol points refined by 8 L-BFGS-B runs.
 *
 * @example
 * ```ts
 * import { GP_PRIOR_FAMILY_DEFAULTS } from "./gp_prior.ts";
 * console.log(GP_PRIOR_FAMILY_DEFAULTS.lengthscale); // 0.2
 * ```
 */
export const GP_PRIOR_FAMILY_DEFAULTS: Readonly<Required<GpPriorFamilyOptions>> = Object.freeze({
  dim: 2,
  kernel: "rbf",
  lengthscale: 0.2,
  variance: 1,
  features: 512,
  searchPoints: 4096,
  refineStarts: 8,
});

const optionsSchema = z.strictObject({
  dim: positiveIntSchema.max(16, "must be ≤ 16").optional(),
  kernel: z.enum(["rbf", "matern12", "matern32", "matern52"]).optional(),
  lengthscale: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite")
    .optional(),
  variance: z.number().positive("must be > 0").refine(Number.isFinite, "must be finite").optional(),
  features: positiveIntSchema.optional(),
  searchPoints: positiveIntSchema.optional(),
  refineStarts: positiveIntSchema.optional(),
});

/**
 * Multipliers of `searchPoints` and `refineStarts` for the Matérn-1/2 kernel (see the module
 * docs): with the defaults, 65,536 Sobol points and 256 starts.
 *
 * @example
 * ```ts
 * import { ROUGH_SEARCH_SCALE } from "./gp_prior.ts";
 * console.log(ROUGH_SEARCH_SCALE.searchPoints); // 16
 * ```
 */
export const ROUGH_SEARCH_SCALE: Readonly<{ searchPoints: number; refineStarts: number }> = Object
  .freeze({ searchPoints: 16, refineStarts: 32 });

const DEGREES_OF_FREEDOM = { rbf: Infinity, matern12: 1, matern32: 3, matern52: 5 } as const;

/** One frequency vector of the kernel's spectral density. */
function drawFrequency(rng: Rng, dim: number, dof: number, lengthscale: number): Float64Array {
  const z = rng.normals(dim);
  let factor = 1 / lengthscale;
  if (Number.isFinite(dof)) {
    let chi2 = 0;
    for (let k = 0; k < dof; k++) chi2 += rng.normal() ** 2;
    factor *= Math.sqrt(dof / chi2);
  }
  return z.map((v) => v * factor);
}

/**
 * A family of functions drawn from a GP prior (see the module docs). Metadata of each task: the
 * kernel settings (`lengthscale`, `variance`), which all tasks share. The family's name is
 * `gp-<kernel>-<dim>d` whatever the other options, so families that differ only in lengthscale,
 * variance or search settings give their tasks the same ids (see `FunctionTask.id`).
 *
 * @example
 * ```ts
 * import { gpPriorFamily } from "./gp_prior.ts";
 * import { Rng } from "../../random/rng.ts";
 * const family = gpPriorFamily({ dim: 1, lengthscale: 0.1 });
 * const [task] = family.sample(1, new Rng(0));
 * task.evaluate(Float64Array.of(0.3)) >= task.minimum; // true
 * ```
 */
export function gpPriorFamily(options: GpPriorFamilyOptions = {}): TaskFamily {
  const settings = {
    ...GP_PRIOR_FAMILY_DEFAULTS,
    ...parseOrThrow(optionsSchema, options, "gpPriorFamily"),
  };
  const { dim, features: m, lengthscale, variance } = settings;
  const dof = DEGREES_OF_FREEDOM[settings.kernel];
  return defineFamily({
    name: `gp-${settings.kernel}-${dim}d`,
    dim,
    draw(rng) {
      const omega = Array.from({ length: m }, () => drawFrequency(rng, dim, dof, lengthscale));
      const phase = Float64Array.from({ length: m }, () => rng.uniformIn(0, 2 * Math.PI));
      const amplitude = Math.sqrt((2 * variance) / m);
      const weight = rng.normals(m).map((w) => w * amplitude);
      const valueAndGradient = (u: ArrayLike<number>, gradient?: Float64Array): number => {
        let value = 0;
        gradient?.fill(0);
        for (let k = 0; k < m; k++) {
          const w = omega[k];
          let arg = phase[k];
          for (let i = 0; i < dim; i++) arg += w[i] * u[i];
          value += weight[k] * Math.cos(arg);
          if (gradient) {
            const d = -weight[k] * Math.sin(arg);
            for (let i = 0; i < dim; i++) gradient[i] += d * w[i];
          }
        }
        return value;
      };
      const { minimum, minimizer } = searchMinimum(valueAndGradient, dim, settings, rng);
      return {
        evaluate: (u) => valueAndGradient(u),
        minimum,
        minimizer,
        metadata: Object.freeze({ lengthscale, variance }),
      };
    },
  });
}

function searchMinimum(
  f: (u: ArrayLike<number>, gradient?: Float64Array) => number,
  dim: number,
  settings: Required<GpPriorFamilyOptions>,
  rng: Rng,
): { minimum: number; minimizer: Float64Array } {
  const rough = settings.kernel === "matern12";
  const searchPoints = settings.searchPoints * (rough ? ROUGH_SEARCH_SCALE.searchPoints : 1);
  const refineStarts = settings.refineStarts * (rough ? ROUGH_SEARCH_SCALE.refineStarts : 1);
  const n = 2 ** Math.ceil(Math.log2(searchPoints));
  const points = sobol(n, dim, { rng });
  const values = points.map((u) => f(u));
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  let minimum = values[order[0]], minimizer = points[order[0]];
  const lower = new Float64Array(dim), upper = new Float64Array(dim).fill(1);
  for (const start of order.slice(0, refineStarts)) {
    const result = lbfgsb(
      (u) => {
        const gradient = new Float64Array(dim);
        return { value: f(u, gradient), gradient };
      },
      points[start],
      { lower, upper },
    );
    if (result.value < minimum) {
      minimum = result.value;
      minimizer = result.x;
    }
  }
  return { minimum, minimizer: Float64Array.from(minimizer) };
}
