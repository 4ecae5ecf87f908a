/**
 * The MetaBO families (Volpp et al. 2020, "Meta-learning acquisition functions for transfer
 * learning in Bayesian optimization"): a test function moved by a random translation of its input
 * and multiplied by a random positive scale,
 *
 *     f_task(u) = s · g(clamp(u − t)),   t ~ U[−τ, τ]^D,  s ~ U[s_low, s_high],
 *
 * with u in the unit cube, τ = 0.1 and s ∈ [0.9, 1.1] by default, and g the base function on its
 * unit-cube coordinates (for Goldstein-Price its logarithm, as in MetaBO, whose range otherwise
 * spans six decades).
 *
 * Points leaving the domain: u − t may fall outside [0, 1]^D; it is clamped to the cube (the
 * function is continued by its boundary values) instead of evaluating the formula outside its
 * usual domain as MetaBO does, so that every task uses the base function where it is stated.
 * Every draw keeps at least one global minimiser u* of g inside the domain (u* + t ∈ [0, 1]^D,
 * which holds for all three built-in families at τ = 0.1); the task's minimum is then exactly
 * s · g(u*) and its minimiser u* + t, because clamped points are points of the cube where g ≥ g(u*).
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { branin, goldsteinPrice, hartmann3, type SyntheticFunction } from "../synthetic/mod.ts";
import { defineFamily, type TaskFamily } from "./task.ts";
import { parseOrThrow } from "../../validate.ts";

/** Options of {@linkcode shiftedFamily}; defaults in {@linkcode SHIFTED_FAMILY_DEFAULTS}. */
export interface ShiftedFamilyOptions {
  /** Half-width τ of the uniform translation of each unit-cube coordinate. */
  translation?: number;
  /** Range of the output scale s (both > 0). */
  scale?: readonly [number, number];
  /** `"log"` applies g = log f (f must be positive on the domain); `"none"` keeps f. */
  transform?: "none" | "log";
}

/**
 * Defaults of {@linkcode shiftedFamily}: translation half-width 0.1, scale U[0.9, 1.1] (MetaBO's
 * ranges), no transform.
 *
 * @example
 * ```ts
 * import { SHIFTED_FAMILY_DEFAULTS } from "./shifted.ts";
 * console.log(SHIFTED_FAMILY_DEFAULTS.scale); // [0.9, 1.1]
 * ```
 */
export const SHIFTED_FAMILY_DEFAULTS: Readonly<{
  translation: number;
  scale: readonly [number, number];
  transform: "none" | "log";
}> = Object.freeze({
  translation: 0.1,
  scale: Object.freeze([0.9, 1.1] as const),
  transform: "none",
});

const positive = z.number().positive("must be > 0").refine(Number.isFinite, "must be finite");
const optionsSchema = z.strictObject({
  translation: z.number().nonnegative("must be ≥ 0").max(0.5, "must be ≤ 0.5").optional(),
  scale: z.tuple([positive, positive]).refine(([a, b]) => a <= b, "low must be ≤ high").optional(),
  transform: z.enum(["none", "log"]).optional(),
});

/**
 * A family of translated and scaled copies of a synthetic function (see the module docs).
 * Metadata of each task: `translation0 … translation{D−1}` and `scale`.
 *
 * @example
 * ```ts
 * import { shiftedFamily } from "./shifted.ts";
 * import { hartmann3 } from "../synthetic/mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * const family = shiftedFamily(hartmann3, { translation: 0.05 });
 * const [task] = family.sample(1, new Rng(0));
 * console.log(task.evaluate(task.minimizer) - task.minimum); // ≈ 0
 * ```
 */
export function shiftedFamily(
  base: SyntheticFunction,
  options: ShiftedFamilyOptions = {},
): TaskFamily {
  const label = `shiftedFamily(${base?.name})`;
  if (typeof base?.evaluate !== "function" || !Array.isArray(base.minimizers)) {
    throw new TypeError("shiftedFamily.base: must be a SyntheticFunction");
  }
  const settings = { ...SHIFTED_FAMILY_DEFAULTS, ...parseOrThrow(optionsSchema, options, label) };
  const { dim } = base;
  const [low, high] = settings.scale;
  const g = settings.transform === "log"
    ? (u: ArrayLike<number>) => {
      const value = base.evaluate(u);
      if (!(value > 0)) throw new RangeError(`${base.name}: log transform of ${value} ≤ 0`);
      return Math.log(value);
    }
    : (u: ArrayLike<number>) => base.evaluate(u);
  const baseMinimum = settings.transform === "log" ? Math.log(base.minimum) : base.minimum;
  return defineFamily({
    name: settings.transform === "log" ? `log-${base.name}` : base.name,
    dim,
    draw(rng, id) {
      const t = Float64Array.from(
        { length: dim },
        () => rng.uniformIn(-1, 1) * settings.translation,
      );
      const s = rng.uniformIn(low, high);
      const inside = base.minimizers
        .map((m) => m.map((v, i) => v + t[i]))
        .find((m) => m.every((v) => v >= 0 && v <= 1));
      if (!inside) {
        throw new RangeError(
          `${id}: the translation moves every minimiser of ${base.name} out of the domain; ` +
            `use a smaller translation`,
        );
      }
      const moved = new Float64Array(dim);
      const metadata: Record<string, number> = { scale: s };
      t.forEach((ti, i) => (metadata[`translation${i}`] = ti));
      const evaluate = (u: ArrayLike<number>) => {
        for (let i = 0; i < dim; i++) moved[i] = Math.min(1, Math.max(0, u[i] - t[i]));
        return s * g(moved);
      };
      return {
        evaluate,
        // Round-off in u* + t − t may land a hair below the stated minimum: keep the lower one.
        minimum: Math.min(s * baseMinimum, evaluate(inside)),
        minimizer: inside,
        metadata: Object.freeze(metadata),
      };
    },
  });
}

/**
 * Branin (2-d) with MetaBO's translations and scalings; minimum 0.397887·s.
 *
 * @example
 * ```ts
 * import { braninFamily } from "./shifted.ts";
 * const { train, test } = braninFamily().split(0);
 * ```
 */
export function braninFamily(options: ShiftedFamilyOptions = {}): TaskFamily {
  return shiftedFamily(branin, options);
}

/**
 * log Goldstein-Price (2-d) with MetaBO's translations and scalings; minimum log(3)·s.
 *
 * @example
 * ```ts
 * import { goldsteinPriceFamily } from "./shifted.ts";
 * const { train, test } = goldsteinPriceFamily().split(0, { train: 8, test: 4 });
 * ```
 */
export function goldsteinPriceFamily(options: ShiftedFamilyOptions = {}): TaskFamily {
  return shiftedFamily(goldsteinPrice, { transform: "log", ...options });
}

/**
 * Hartmann-3 with MetaBO's translations and scalings; minimum −3.86278·s.
 *
 * @example
 * ```ts
 * import { hartmann3Family } from "./shifted.ts";
 * import { Rng } from "../../random/rng.ts";
 * const tasks = hartmann3Family().sample(5, new Rng(1));
 * ```
 */
export function hartmann3Family(options: ShiftedFamilyOptions = {}): TaskFamily {
  return shiftedFamily(hartmann3, options);
}
