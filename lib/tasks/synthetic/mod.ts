/**
 * Synthetic test functions for minimisation on the unit cube, with known minima and minimisers:
 * branin, hartmann3, hartmann6, ackley5 and levy4 (exactly as the Python peers define them),
 * rosenbrock, styblinski-tang and goldstein-price, and the families ackley(d), levy(d),
 * rosenbrock(d), styblinskiTang(d). Conditional problems (a categorical switch between functions,
 * each with its own parameters): {@linkcode conditionalSwitch} and the registered
 * {@linkcode switchBH3H6}.
 *
 * @example
 * ```ts
 * import { getSyntheticFunction, syntheticFunctions } from "./mod.ts";
 * const f = syntheticFunctions.hartmann6;
 * const value = f.evaluate(new Float64Array(6).fill(0.5));
 * const regret = value - f.minimum;
 * const g = getSyntheticFunction("levy4");
 * ```
 *
 * @module
 */
export { defineSynthetic, type SyntheticDefinition, type SyntheticFunction } from "./synthetic.ts";
export {
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
export { getSyntheticFunction, SYNTHETIC_DEFAULTS, syntheticFunctions } from "./registry.ts";
export {
  conditionalSwitch,
  type ConditionalSynthetic,
  conditionalSyntheticProblems,
  switchBH3H6,
  type SwitchConfig,
} from "./conditional.ts";
// The space types, so that `SyntheticFunction.space` is documented from this entry point too.
export type * from "../../space/mod.ts";
