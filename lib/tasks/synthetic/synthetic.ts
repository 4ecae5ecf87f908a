/**
 * The shape of a synthetic test function: a function on the unit cube with a known global
 * minimum, plus the box it is usually stated on.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { parseOrThrow } from "../../validate.ts";
import { type FloatParam, type Space, unitCube } from "../../space/mod.ts";

/**
 * A test function for minimisation, evaluated on the unit cube [0, 1]^dim (each coordinate is
 * mapped affinely onto the function's usual domain {@linkcode SyntheticFunction.bounds}).
 *
 * @example
 * ```ts
 * import { branin } from "./mod.ts";
 * const value = branin.evaluate(branin.minimizers[0]);
 * console.log(Math.abs(value - branin.minimum) < 1e-9); // true
 * ```
 */
export interface SyntheticFunction {
  /** Registry name, e.g. "branin" or "rosenbrock4". */
  readonly name: string;
  /** Input dimension. */
  readonly dim: number;
  /** The usual domain, one [low, high] per coordinate; u = 0 maps to low and u = 1 to high. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The global minimum value (exact, or the best known value to the digits given). */
  readonly minimum: number;
  /** Global minimisers in unit-cube coordinates (as precise as known; see each function). */
  readonly minimizers: readonly Float64Array[];
  /**
   * The unit cube as a space of real parameters x0, x1, ... (numbers): `space.encode(params)`
   * gives u.
   */
  readonly space: Space<Record<string, FloatParam>>;
  /** The value at a point u of [0, 1]^dim; throws on a wrong length or a coordinate outside. */
  evaluate(u: ArrayLike<number>): number;
}

/** The parts a function definition supplies; `defineSynthetic` adds checks and the space. */
export interface SyntheticDefinition {
  /** Registry name. */
  name: string;
  /** The usual domain (its length is the dimension). */
  bounds: readonly (readonly [number, number])[];
  /** The global minimum value. */
  minimum: number;
  /** Global minimisers in the usual domain's coordinates. */
  minimizersInDomain: readonly (readonly number[])[];
  /** The function on its usual domain. */
  f(x: Float64Array): number;
}

/**
 * How far, relative to max(1, |minimum|), a stated minimum may be from f at a stated minimiser:
 * a minimum known to the digits given (the Hartmann functions' to about 16) passes.
 */
const MINIMUM_TOLERANCE = 1e-6;

const definitionSchema = z.object({
  name: z.string().min(1, "must not be empty"),
  bounds: z.array(
    z.tuple([z.number(), z.number()]).refine(([low, high]) => low < high, "low must be < high"),
  ).min(1, "must not be empty"),
  minimum: z.number(),
  minimizersInDomain: z.array(z.array(z.number())).min(1, "must not be empty"),
  f: z.custom<(x: Float64Array) => number>((f) => typeof f === "function", "must be a function"),
}).strict().superRefine((d, ctx) => {
  d.minimizersInDomain.forEach((x, i) => {
    const inside = x.length === d.bounds.length &&
      x.every((xj, j) => xj >= d.bounds[j][0] && xj <= d.bounds[j][1]);
    if (!inside) {
      ctx.addIssue({
        code: "custom",
        path: ["minimizersInDomain", i],
        message: `must be a point of the ${d.bounds.length}-dimensional box`,
      });
      return;
    }
    // The stated minimum is f's value at each stated minimiser (to the digits given): otherwise
    // a regret (best − minimum) could be negative, or never reach 0.
    const value = d.f(Float64Array.from(x));
    const tolerance = MINIMUM_TOLERANCE * Math.max(1, Math.abs(d.minimum));
    if (!(Math.abs(value - d.minimum) <= tolerance)) {
      ctx.addIssue({
        code: "custom",
        path: ["minimum"],
        message: `must be f at minimizersInDomain[${i}], which is ${value} (to a relative 1e-6), ` +
          `got ${d.minimum}`,
      });
    }
  });
});

/**
 * Wraps a function stated on a box as a {@linkcode SyntheticFunction} on the unit cube. A bad
 * definition throws a `TypeError` naming the field (`defineSynthetic.bounds.1: low must be < high`),
 * among them a `minimum` that is not `f` at every minimiser to a relative 1e-6
 * (`defineSynthetic.minimum: must be f at minimizersInDomain[0], which is 0 …, got 1`).
 *
 * @example
 * ```ts
 * import { defineSynthetic } from "./mod.ts";
 * const sphere = defineSynthetic({
 *   name: "sphere2",
 *   bounds: [[-1, 1], [-1, 1]],
 *   minimum: 0,
 *   minimizersInDomain: [[0, 0]],
 *   f: (x) => x[0] ** 2 + x[1] ** 2,
 * });
 * console.log(sphere.evaluate(Float64Array.of(0.5, 0.5))); // 0
 * ```
 */
export function defineSynthetic(definition: SyntheticDefinition): SyntheticFunction {
  const checked = parseOrThrow(definitionSchema, definition, "defineSynthetic");
  const { name, bounds, minimum, f } = checked;
  const dim = bounds.length;
  const toDomain = (u: ArrayLike<number>): Float64Array => {
    if (u === null || typeof u !== "object" || u.length !== dim) {
      throw new TypeError(`${name}.evaluate.u: must be an array of ${dim} numbers`);
    }
    const x = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      const ui = u[i];
      if (typeof ui !== "number" || !(ui >= 0 && ui <= 1)) {
        throw new RangeError(`${name}.evaluate.u.${i}: must be a number in [0, 1], got ${ui}`);
      }
      x[i] = bounds[i][0] + ui * (bounds[i][1] - bounds[i][0]);
    }
    return x;
  };
  const minimizers = checked.minimizersInDomain.map((x) =>
    Float64Array.from(x, (xi, i) => (xi - bounds[i][0]) / (bounds[i][1] - bounds[i][0]))
  );
  return Object.freeze({
    name,
    dim,
    bounds: Object.freeze(bounds.map((b) => Object.freeze([b[0], b[1]] as const))),
    minimum,
    minimizers: Object.freeze(minimizers),
    space: unitCube(dim),
    evaluate: (u: ArrayLike<number>) => f(toDomain(u)),
  });
}
