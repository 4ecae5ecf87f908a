/**
 * The shape of a task of a function family (a black-box objective on the unit cube with a known
 * minimum) and of a family that draws such tasks, with a seeded meta-train / meta-test split.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { Rng } from "../../random/rng.ts";
import { type FloatParam, type Space, unitCube } from "../../space/mod.ts";
import { nonNegativeIntSchema, parseOrThrow } from "../../validate.ts";

/**
 * One optimisation task: an objective on the unit cube [0, 1]^dim with a known minimum.
 *
 * @example
 * ```ts
 * import { braninFamily } from "./mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * const [task] = braninFamily().sample(1, new Rng(0));
 * const regret = task.evaluate(Float64Array.of(0.5, 0.5)) - task.minimum;
 * ```
 */
export interface FunctionTask {
  /**
   * `<family>/<seed>/<index>` from {@linkcode TaskFamily.split} (e.g. `branin/7/3`: unique per
   * family name and seed), `<family>/<index>` from {@linkcode TaskFamily.sample} (unique within one
   * call only: two calls both number their tasks from 0, so use `split` when ids must be unique).
   * The family name does not record every option ({@linkcode TaskFamily.name}): families of one
   * kind built with different options give their tasks the same ids, so prefix the ids yourself
   * when tasks of several such families go into one store (`TaskStore.from` refuses a repeated id).
   */
  readonly id: string;
  /** Name of the family that drew it. */
  readonly family: string;
  /** Input dimension. */
  readonly dim: number;
  /**
   * The unit cube as a space of real parameters x0, x1, … (numbers); `space.encode(params)` is
   * the point.
   */
  readonly space: Space<Record<string, FloatParam>>;
  /** The value at a point of [0, 1]^dim. */
  evaluate(u: ArrayLike<number>): number;
  /**
   * The value at a configuration of {@linkcode FunctionTask.space} (for `minimize`); throws an
   * error naming the field when it is not one.
   */
  objective(params: Readonly<Record<string, unknown>>): number;
  /** The global minimum over [0, 1]^dim (exact, or as documented by the family). */
  readonly minimum: number;
  /** A point of [0, 1]^dim where the minimum is attained. */
  readonly minimizer: Float64Array;
  /**
   * The task's parameters as named numbers (e.g. `translation0`, `scale`): they describe the
   * task the way meta-features describe a dataset, and serve as such in benchmarks.
   */
  readonly metadata: Readonly<Record<string, number>>;
}

/** A meta-train / meta-test split of a family's tasks. */
export interface TaskSplit {
  /** Tasks to learn from. */
  readonly train: FunctionTask[];
  /** Held-out tasks to evaluate on. */
  readonly test: FunctionTask[];
}

/** Sizes of {@linkcode TaskFamily.split}; defaults in {@linkcode FAMILY_SPLIT_DEFAULTS}. */
export interface FamilySplitOptions {
  /** Number of meta-train tasks. */
  train?: number;
  /** Number of meta-test tasks. */
  test?: number;
}

/**
 * Defaults of {@linkcode TaskFamily.split}: 16 meta-train and 8 meta-test tasks.
 *
 * @example
 * ```ts
 * import { FAMILY_SPLIT_DEFAULTS } from "./task.ts";
 * console.log(FAMILY_SPLIT_DEFAULTS.train); // 16
 * ```
 */
export const FAMILY_SPLIT_DEFAULTS: Readonly<{ train: number; test: number }> = Object.freeze({
  train: 16,
  test: 8,
});

/** A distribution over tasks. */
export interface TaskFamily {
  /**
   * Family name, e.g. `branin`: the base function for the shifted families (`log-` in front under
   * the log transform), kernel and dimension for the GP prior (`gp-rbf-2d`). Translation, scale,
   * lengthscale and the other options are not part of it.
   */
  readonly name: string;
  /** Input dimension of every task. */
  readonly dim: number;
  /**
   * Draws `n` independent tasks, with ids `<family>/0` to `<family>/<n − 1>` (another call repeats
   * them; {@linkcode TaskFamily.split} ids also carry the seed).
   */
  sample(n: number, rng: Rng): FunctionTask[];
  /**
   * Draws `train + test` tasks from `new Rng(seed)`; the first `train` are meta-train, the rest
   * meta-test. The same seed gives the same tasks.
   */
  split(seed: number, options?: FamilySplitOptions): TaskSplit;
}

const splitSchema = z.strictObject({
  train: nonNegativeIntSchema.optional(),
  test: nonNegativeIntSchema.optional(),
});

/** What a family definition supplies: how to draw the `index`-th task. */
export interface FamilyDefinition {
  /** Family name. */
  name: string;
  /** Input dimension. */
  dim: number;
  /** Draws one task's parameters from `rng` and builds it. */
  draw(rng: Rng, id: string): Omit<FunctionTask, "space" | "objective" | "id" | "family" | "dim">;
}

/**
 * Builds a {@linkcode TaskFamily} from a definition: adds ids (`name/seed/index` in `split`,
 * `name/index` in `sample`), the unit-cube space, the params-based objective and argument checks.
 *
 * @example
 * ```ts
 * import { defineFamily } from "./task.ts";
 * import { Rng } from "../../random/rng.ts";
 * const shifted = defineFamily({
 *   name: "parabola",
 *   dim: 1,
 *   draw: (rng) => {
 *     const c = rng.uniform();
 *     return {
 *       evaluate: (u) => (u[0] - c) ** 2,
 *       minimum: 0,
 *       minimizer: Float64Array.of(c),
 *       metadata: { centre: c },
 *     };
 *   },
 * });
 * const { train, test } = shifted.split(3, { train: 4, test: 2 });
 * ```
 */
export function defineFamily(definition: FamilyDefinition): TaskFamily {
  const { name, dim } = definition;
  const space = unitCube(dim);
  const build = (rng: Rng, id: string): FunctionTask => {
    const drawn = definition.draw(rng, id);
    const evaluate = (u: ArrayLike<number>): number => {
      if (u === null || typeof u !== "object" || u.length !== dim) {
        throw new TypeError(`${id}.evaluate.u: must be an array of ${dim} numbers`);
      }
      for (let i = 0; i < dim; i++) {
        if (typeof u[i] !== "number" || !(u[i] >= 0 && u[i] <= 1)) {
          throw new RangeError(`${id}.evaluate.u[${i}]: must be a number in [0, 1], got ${u[i]}`);
        }
      }
      return drawn.evaluate(u);
    };
    return Object.freeze({
      ...drawn,
      id,
      family: name,
      dim,
      space,
      evaluate,
      objective: (params: Readonly<Record<string, unknown>>) =>
        evaluate(space.encode(space.validate(params))),
    });
  };
  const sampleWith = (n: number, rng: Rng, prefix: string): FunctionTask[] => {
    parseOrThrow(nonNegativeIntSchema, n, `${name}.sample.n`);
    if (!(rng instanceof Rng)) throw new TypeError(`${name}.sample.rng: must be an Rng`);
    return Array.from({ length: n }, (_, i) => build(rng.spawn(), `${prefix}/${i}`));
  };
  return Object.freeze({
    name,
    dim,
    sample: (n: number, rng: Rng) => sampleWith(n, rng, name),
    split(seed: number, options: FamilySplitOptions = {}): TaskSplit {
      parseOrThrow(z.number().int("must be an integer"), seed, `${name}.split.seed`);
      const sizes = {
        ...FAMILY_SPLIT_DEFAULTS,
        ...parseOrThrow(splitSchema, options, `${name}.split`),
      };
      const tasks = sampleWith(sizes.train + sizes.test, new Rng(seed), `${name}/${seed}`);
      return { train: tasks.slice(0, sizes.train), test: tasks.slice(sizes.train) };
    },
  });
}
