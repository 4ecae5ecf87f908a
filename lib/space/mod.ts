/**
 * Search spaces: float and int parameters (linear or log, optionally on a step grid),
 * categoricals and fixed values; their encoding in the unit cube, validation with errors that
 * name the field, seeded sampling (uniform, scrambled Sobol, Latin hypercube) and JSON.
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
} from "./params.ts";
export type { ColumnType } from "./codec.ts";
export {
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
  defineSpace,
  type EncodedParam,
  type ParamsOf,
  type ParamsOfDefinition,
  type SampleMethod,
  Space,
  SPACE_DEFAULTS,
  type SpaceDefinition,
  spaceFromJSON,
  type SpaceJSON,
  unitCube,
  type ValueOf,
} from "./space.ts";
