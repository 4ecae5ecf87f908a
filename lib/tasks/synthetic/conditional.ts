/**
 * Conditional synthetic test problems: a categorical switch `fn` between test functions, each
 * branch with its own parameters, active only when `fn` selects it (a conditional space). Branch
 * `i` is the function shifted to have its minimum at `offsets[i]`, so branches have different
 * optima, and the global minimum (the smallest offset) is known, so regret is computable.
 *
 * This is the shape of the conditional benchmarks of Lévesque et al. 2017 ("Bayesian
 * optimization for conditional hyperparameter spaces") and of a model choice with per-model
 * hyperparameters: the optimiser must find the right branch and optimise inside it.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { parseOrThrow } from "../../validate.ts";
import {
  categorical,
  type Choice,
  defineSpace,
  float,
  type ParamDefinition,
  type Space,
  when,
} from "../../space/mod.ts";
import { branin, hartmann3, hartmann6 } from "./functions.ts";
import type { SyntheticFunction } from "./synthetic.ts";

/** A configuration of a {@linkcode ConditionalSynthetic} problem: `fn` and its branch's x's. */
export type SwitchConfig = Record<string, Choice>;

/**
 * A conditional synthetic problem: a space with a categorical switch `fn` and per-branch
 * parameters `<branch>_x<j>` (on the branch function's usual domain), the objective, and its
 * known global minimum.
 */
export interface ConditionalSynthetic {
  /** Registry name, e.g. `"switch-bh3h6"`. */
  readonly name: string;
  /** The conditional space: `fn`, then each branch's parameters (active only for it). */
  readonly space: Space;
  /** The branches: the function and the offset (its minimum value on this problem). */
  readonly branches: readonly { readonly fn: SyntheticFunction; readonly offset: number }[];
  /** The global minimum value: the smallest offset. */
  readonly minimum: number;
  /** The global minimisers (configurations of the branch(es) with the smallest offset). */
  readonly minimizers: readonly SwitchConfig[];
  /**
   * The value of a configuration: `f(x) − f* + offset` of the selected branch. The configuration
   * is validated first (an inactive branch's parameter is an error naming it).
   */
  objective(params: Readonly<SwitchConfig>): number;
  /** The value at an encoded point of `space` (`objective(space.decode(u))`). */
  evaluate(u: ArrayLike<number>): number;
}

const branchesSchema = z.array(
  z.object({
    fn: z.custom<SyntheticFunction>(
      (f) =>
        typeof f === "object" && f !== null && typeof (f as SyntheticFunction).evaluate ===
          "function" &&
        Array.isArray((f as SyntheticFunction).bounds),
      "must be a SyntheticFunction (branin, hartmann3, ...)",
    ),
    offset: z.number().refine(Number.isFinite, "must be a finite number"),
  }).strict(),
).min(2, "must list at least two branches").superRefine((branches, ctx) => {
  const names = branches.map((b) => b.fn.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      ctx.addIssue({ code: "custom", path: [i, "fn"], message: `duplicate function "${name}"` });
    }
  });
});

/**
 * Builds a conditional switch problem: `fn ∈ {branch names}`; branch `b` owns the parameters
 * `b_x0`, `b_x1`, ... (floats on the function's usual bounds, active only when `fn = b`); its
 * value is `f(x) − f* + offset`. Bad input throws a `TypeError` naming the field.
 *
 * @example
 * ```ts
 * import { branin, conditionalSwitch, hartmann3 } from "./mod.ts";
 * const problem = conditionalSwitch("switch-bh3", [
 *   { fn: branin, offset: 0.5 },
 *   { fn: hartmann3, offset: 0 },
 * ]);
 * problem.space.names; // ["fn", "branin_x0", "branin_x1", "hartmann3_x0", ...]
 * problem.objective({ fn: "branin", branin_x0: Math.PI, branin_x1: 2.275 }); // ≈ 0.5
 * problem.minimum; // 0
 * ```
 */
export function conditionalSwitch(
  name: string,
  branches: readonly { fn: SyntheticFunction; offset: number }[],
): ConditionalSynthetic {
  parseOrThrow(z.string().min(1, "must not be empty"), name, "conditionalSwitch.name");
  const checked = parseOrThrow(branchesSchema, branches, "conditionalSwitch.branches");
  const names = checked.map((b) => b.fn.name);
  const definition: Record<string, ParamDefinition> = { fn: categorical(names) };
  const columns = checked.map(({ fn }) =>
    fn.bounds.map(([low, high], j) => {
      const key = `${fn.name}_x${j}`;
      definition[key] = when({ fn: fn.name }, float(low, high));
      return key;
    })
  );
  const space = defineSpace(definition);
  const objective = (params: Readonly<SwitchConfig>): number => {
    const config = space.validate(params) as Record<string, Choice>;
    const b = names.indexOf(config.fn as string);
    const { fn, offset } = checked[b];
    const u = columns[b].map((key, j) => {
      const [low, high] = fn.bounds[j];
      const t = ((config[key] as number) - low) / (high - low);
      return t < 0 ? 0 : t > 1 ? 1 : t;
    });
    return fn.evaluate(u) - fn.minimum + offset;
  };
  const minimum = Math.min(...checked.map((b) => b.offset));
  const minimizers = checked.flatMap(({ fn, offset }, b) =>
    offset !== minimum ? [] : fn.minimizers.map((u) =>
      Object.freeze(Object.fromEntries([
        ["fn", fn.name],
        ...columns[b].map((key, j) => {
          const [low, high] = fn.bounds[j];
          return [key, low + u[j] * (high - low)];
        }),
      ]))
    )
  );
  return Object.freeze({
    name,
    space,
    branches: Object.freeze(checked.map((b) => Object.freeze({ ...b }))),
    minimum,
    minimizers: Object.freeze(minimizers),
    objective,
    evaluate: (u: ArrayLike<number>) => objective(space.decode(u)),
  });
}

/**
 * The registered conditional problem `"switch-bh3h6"`: `fn ∈ {branin, hartmann3, hartmann6}`
 * (2 + 3 + 6 conditional parameters, 14 encoded columns) with offsets 0.5, 0.25 and 0: the
 * global minimum 0 lies in the hardest branch (Hartmann-6), while the easy Branin branch has a
 * decoy optimum at 0.5 and Hartmann-3 one at 0.25.
 *
 * @example
 * ```ts
 * import { switchBH3H6 } from "./mod.ts";
 * const [best] = switchBH3H6.minimizers; // { fn: "hartmann6", hartmann6_x0: 0.2017, ... }
 * console.log(switchBH3H6.objective(best) - switchBH3H6.minimum < 1e-6); // true
 * ```
 */
export const switchBH3H6: ConditionalSynthetic = conditionalSwitch("switch-bh3h6", [
  { fn: branin, offset: 0.5 },
  { fn: hartmann3, offset: 0.25 },
  { fn: hartmann6, offset: 0 },
]);

/**
 * The registered conditional synthetic problems by name.
 *
 * @example
 * ```ts
 * import { conditionalSyntheticProblems } from "./mod.ts";
 * for (const p of Object.values(conditionalSyntheticProblems)) console.log(p.name, p.minimum);
 * ```
 */
export const conditionalSyntheticProblems: Readonly<Record<string, ConditionalSynthetic>> = Object
  .freeze({ [switchBH3H6.name]: switchBH3H6 });
