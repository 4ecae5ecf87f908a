/**
 * Function families for transfer optimisation (the MetaBO protocol, Volpp et al. 2020): Branin,
 * Goldstein-Price (log) and Hartmann-3 with random input translations U[−0.1, 0.1]^D and output
 * scales U[0.9, 1.1], and functions drawn from a GP prior. Every task knows its minimum; every
 * family draws seeded meta-train / meta-test splits.
 *
 * @example
 * ```ts
 * import { braninFamily, gpPriorFamily } from "./mod.ts";
 * const { train, test } = braninFamily().split(0, { train: 16, test: 8 });
 * const regret = test[0].evaluate(Float64Array.of(0.5, 0.5)) - test[0].minimum;
 * const gp = gpPriorFamily({ dim: 2, kernel: "matern52", lengthscale: 0.2 }).split(1);
 * ```
 *
 * @module
 */
export {
  defineFamily,
  FAMILY_SPLIT_DEFAULTS,
  type FamilyDefinition,
  type FamilySplitOptions,
  type FunctionTask,
  type TaskFamily,
  type TaskSplit,
} from "./task.ts";
export {
  braninFamily,
  goldsteinPriceFamily,
  hartmann3Family,
  SHIFTED_FAMILY_DEFAULTS,
  shiftedFamily,
  type ShiftedFamilyOptions,
} from "./shifted.ts";
export {
  GP_PRIOR_FAMILY_DEFAULTS,
  gpPriorFamily,
  type GpPriorFamilyOptions,
  ROUGH_SEARCH_SCALE,
} from "./gp_prior.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type * from "../../space/mod.ts";
export type { SyntheticFunction } from "../synthetic/mod.ts";
