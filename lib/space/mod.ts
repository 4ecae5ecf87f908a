/**
 * Search spaces: float and int parameters (linear or log, optionally on a step grid),
 * categoricals and fixed values; their encoding in the unit cube, validation with errors that
 * name the field, seeded sampling (uniform, scrambled Sobol, Latin hypercube) and JSON.
 *
 * Conditional spaces: a parameter defined with {@linkcode when} (a `when` field on its plain
 * definition) exists only when its parents (categorical, int or fixed parameters) take the listed
 * values: several parents must all hold, a list of values is an OR, chains work. Inactive
 * parameters are absent from configurations; in encoded points their columns hold
 * {@linkcode INACTIVE_VALUE} (0.5), which `project` restores, and `space.activeColumns(u)` gives
 * the mask of columns in use.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, int, type ParamsOf, Rng } from "./mod.ts";
 * const space = defineSpace({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   units: int(8, 256),
 *   act: categorical(["relu", "tanh"]),
 * });
 * const configs: ParamsOf<typeof space>[] = space.sample(4, new Rng(0), "sobol");
 * const u = space.encode(configs[0]); // Float64Array in [0, 1]^4
 * ```
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, type ParamsOf, when } from "./mod.ts";
 * const space = defineSpace({
 *   optimizer: categorical(["sgd", "adam"]),
 *   momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
 *   beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
 * });
 * const p: ParamsOf<typeof space> = { optimizer: "sgd", momentum: 0.9 }; // beta1 absent
 * const u = space.encode(p); // [1, 0, 0.909..., 0.5]: beta1's column at INACTIVE_VALUE (0.5)
 * ```
 *
 * @module
 */
export { Rng } from "../random/rng.ts";
export {
  categorical,
  type CategoricalParam,
  type Choice,
  fixed,
  type FixedParam,
  float,
  type FloatParam,
  int,
  type IntParam,
  type NumericOptions,
  type ParamDefinition,
  STORED_GRID_TOLERANCE,
} from "./params.ts";
export type { ColumnType } from "./codec.ts";
export { type Condition, INACTIVE_VALUE, when } from "./conditions.ts";
export {
  budgetedDesignSize,
  DESIGN_DEFAULTS,
  type DesignSizeInput,
  type DesignSpace,
  initialDesign,
  SAMPLE_METHODS,
  searchedParameters,
  unitCubeDesign,
} from "./design.ts";
export {
  boxSpace,
  canonicalSpaceJSON,
  type ConditionalKeys,
  defineSpace,
  type EncodedParam,
  type ParamsOf,
  type ParamsOfDefinition,
  sameSpace,
  type SampleMethod,
  Space,
  SPACE_DEFAULTS,
  type SpaceDefinition,
  spaceFromJSON,
  type SpaceJSON,
  type SpaceReadOptions,
  unitCube,
  type ValueOf,
} from "./space.ts";
