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
 * Every draw keeps at least one global minimiser u* of g inside the domain (u* + t ∈ [0, 1]^D);
 * the task's minimum is then exactly s · g(u*) and its minimiser u* + t, because clamped points are
 * points of the cube where g ≥ g(u*). {@linkcode shiftedFamily} refuses a τ above the largest
 * half-width for which this holds for every t ∈ [−τ, τ]^D, computed from the base function's known
 * minimisers (Branin 0.165, Goldstein-Price 0.25, Hartmann-3 0.1146, Hartmann-6 0.1500).
 *
 * Task ids are `<family>/<seed>/<index>` with the family's name (the base function's, `log-` in
 * front under the log transform), which does not depend on τ or the scale range: two families of
 * one base function with different options draw tasks with the same ids (`branin/0/0` from both
 * `braninFamily()` and `braninFamily({ translation: 0.05 })`), so prefix the ids when tasks of both
 * go into one store (`TaskStore.from` refuses a repeated id).
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { branin, goldsteinPrice, hartmann3, type SyntheticFunction } from "../synthetic/mod.ts";
import { defineFamily, type TaskFamily } from "./task.ts";
import { parseOrThrow } from "../../validate.ts";

/** Options of {@linkcode shiftedFamily}; defaults in {@linkcode SHIFTED_FAMILY_DEFAULTS}. */
export interface ShiftedFamilyOptions {
  /**
   * Half-width τ of the uniform translation of each unit-cube coordinate: at most the largest one
   * for which every translation keeps a minimiser of the base function inside the domain (see the
   * module docs; 0.165 for Branin, 0.25 for Goldstein-Price, 0.1146 for Hartmann-3).
   */
  translation?: number;
  /** Range of the output scale s (both > 0). */
  scale?: readonly [number, number];
  /**
   * `"log"` applies g = log f (f must be positive on the domain: the base function's minimum must
   * be > 0); `"none"` keeps f.
   */
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
 * The largest τ ≤ 0.5 such that every translation t ∈ [−τ, τ]^D keeps at least one of the unit-cube
 * points `minimizers` inside [0, 1]^D (m + t ∈ [0, 1]^D).
 *
 * The translations that keep m inside form the box B_m = Π_i [−m_i, 1 − m_i], which contains 0.
 * The cube [−τ, τ]^D lies in the union of the boxes exactly when each of its 2^D corners does: a
 * box holding 0 and a corner c holds all of Π_i [0, c_i] (between 0 and c), and these pieces make
 * up the cube. A corner with signs σ escapes B_m when some coordinate has r_i(σ_i) < τ, with
 * r_i(+) = 1 − m_i and r_i(−) = m_i. The answer is one of the r values (or 0.5): the largest one at
 * which no sign pattern escapes every box, found by bisection over the sorted values with a
 * backtracking search for an escaping pattern (one minimiser per level).
 */
function maxTranslation(minimizers: readonly ArrayLike<number>[]): number {
  const dim = minimizers[0].length;
  const reach = (m: ArrayLike<number>, i: number, sign: number) => sign > 0 ? 1 - m[i] : m[i];
  const signs = new Int8Array(dim);
  // Is there a corner of [−τ, τ]^D that escapes the boxes of minimizers[k …], given signs so far?
  const escapes = (tau: number, k: number): boolean => {
    if (k === minimizers.length) return true;
    const m = minimizers[k];
    for (let i = 0; i < dim; i++) {
      if (signs[i] !== 0 && reach(m, i, signs[i]) < tau) return escapes(tau, k + 1);
    }
    for (let i = 0; i < dim; i++) {
      if (signs[i] !== 0) continue;
      for (const sign of [1, -1]) {
        if (!(reach(m, i, sign) < tau)) continue;
        signs[i] = sign;
        const found = escapes(tau, k + 1);
        signs[i] = 0;
        if (found) return true;
      }
    }
    return false;
  };
  const candidates = [
    ...new Set(minimizers.flatMap((m) => Array.from(m, (v) => [v, 1 - v]).flat())),
  ].filter((v) => v < 0.5).sort((a, b) => a - b);
  if (!escapes(0.5, 0)) return 0.5;
  // The first candidate at which a corner escapes (escaping grows with τ); none does at
  // candidates[0], the smallest r value, so the answer is the candidate just below it.
  let lo = 1;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (escapes(candidates[mid], 0)) hi = mid;
    else lo = mid + 1;
  }
  return candidates[lo - 1];
}

/**
 * A family of translated and scaled copies of a synthetic function (see the module docs).
 * Metadata of each task: `translation0 … translation{D−1}` and `scale`. The family's name, and so
 * its task ids, is the base function's name whatever the options (see the module docs).
 *
 * @throws {TypeError} naming the field for a malformed option or base function.
 * @throws {RangeError} naming `translation` when it exceeds the base function's largest safe
 * half-width (the message gives it), and `transform` for `"log"` of a function whose minimum is
 * ≤ 0.
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
  if (base.minimizers.length === 0) {
    throw new TypeError(`${label}.base.minimizers: must list at least one minimiser`);
  }
  if (settings.transform === "log" && !(base.minimum > 0)) {
    throw new RangeError(
      `${label}.transform: "log" needs a function that is positive on the domain, but the ` +
        `minimum of ${base.name} is ${base.minimum}; use transform "none"`,
    );
  }
  const limit = maxTranslation(base.minimizers);
  if (settings.translation > limit) {
    throw new RangeError(
      `${label}.translation: must be ≤ ${limit} (the largest half-width for which every ` +
        `translation keeps a minimiser of ${base.name} inside the domain), ` +
        `got ${settings.translation}`,
    );
  }
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
        // Unreachable with a translation within maxTranslation (checked above); a guard.
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
