/**
 * The registry of synthetic test functions by name.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { parseOrThrow } from "../../validate.ts";
import {
  ackley,
  ackley5,
  branin,
  goldsteinPrice,
  hartmann3,
  hartmann6,
  levy,
  levy4,
  rosenbrock,
  styblinskiTang,
  SYNTHETIC_MAX_DIM,
} from "./functions.ts";
import type { SyntheticFunction } from "./synthetic.ts";

/**
 * Dimensions of the registry's instances of the families with a free dimension
 * (rosenbrock, styblinski-tang).
 *
 * @example
 * ```ts
 * import { SYNTHETIC_DEFAULTS } from "./mod.ts";
 * console.log(SYNTHETIC_DEFAULTS.rosenbrockDim); // 4
 * ```
 */
export const SYNTHETIC_DEFAULTS: {
  readonly rosenbrockDim: number;
  readonly styblinskiTangDim: number;
} = Object.freeze({ rosenbrockDim: 4, styblinskiTangDim: 4 });

/**
 * The registered functions by name: branin, hartmann3, hartmann6, ackley5, levy4 (the peers'
 * five), rosenbrock4, styblinski-tang4 and goldstein-price.
 *
 * @example
 * ```ts
 * import { syntheticFunctions } from "./mod.ts";
 * for (const f of Object.values(syntheticFunctions)) console.log(f.name, f.dim, f.minimum);
 * ```
 */
export const syntheticFunctions: Readonly<Record<string, SyntheticFunction>> = Object.freeze(
  Object.fromEntries(
    [
      branin,
      hartmann3,
      hartmann6,
      ackley5,
      levy4,
      rosenbrock(SYNTHETIC_DEFAULTS.rosenbrockDim),
      styblinskiTang(SYNTHETIC_DEFAULTS.styblinskiTangDim),
      goldsteinPrice,
    ].map((f) => [f.name, f]),
  ),
);

const FAMILIES: Record<string, (dim: number) => SyntheticFunction> = {
  ackley,
  levy,
  rosenbrock,
  "styblinski-tang": styblinskiTang,
};

const nameSchema = z.string().min(1, "must not be empty");

/**
 * A synthetic function by name: a registered one (see {@linkcode syntheticFunctions}), or a
 * family with its dimension appended (`ackley10`, `levy6`, `rosenbrock8`, `styblinski-tang3`).
 * Throws a `RangeError` listing the known names for an unknown one.
 *
 * @example
 * ```ts
 * import { getSyntheticFunction } from "./mod.ts";
 * const f = getSyntheticFunction("rosenbrock8");
 * console.log(f.dim); // 8
 * ```
 */
export function getSyntheticFunction(name: string): SyntheticFunction {
  parseOrThrow(nameSchema, name, "getSyntheticFunction.name");
  const registered = syntheticFunctions[name];
  if (registered !== undefined && Object.hasOwn(syntheticFunctions, name)) return registered;
  const match = /^([a-z-]+?)(\d+)$/.exec(name);
  if (match !== null && Object.hasOwn(FAMILIES, match[1])) {
    const dim = Number(match[2]);
    if (!(dim <= SYNTHETIC_MAX_DIM)) {
      throw new RangeError(
        `getSyntheticFunction.name: "${name}" asks for dimension ${match[2]}; ${
          match[1]
        } is defined for dimensions up to ${SYNTHETIC_MAX_DIM}`,
      );
    }
    try {
      return FAMILIES[match[1]](dim);
    } catch (error) {
      throw new RangeError(`getSyntheticFunction.name: "${name}": ${(error as Error).message}`);
    }
  }
  throw new RangeError(
    `getSyntheticFunction.name: unknown function "${name}"; known: ${
      Object.keys(syntheticFunctions).join(", ")
    }, or ${Object.keys(FAMILIES).map((f) => `${f}<dim>`).join(", ")}`,
  );
}
