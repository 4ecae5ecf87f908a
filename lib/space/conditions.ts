/**
 * Conditional parameters: a parameter with a `when` field ({@linkcode Condition}) exists only
 * when its parents take the listed values, e.g. `momentum` only for `optimizer: "sgd"`, or the
 * parameters of each branch of a model choice. Definitions stay plain JSON-ready data; the
 * {@linkcode when} helper only adds the field.
 *
 * Rules, checked by `defineSpace` (errors name the field, `space.momentum.when.optimiser: ...`):
 * - parents are parameters of the same space, of kind categorical, int or fixed (a float has no
 *   finite set of values to test);
 * - every listed value is one the parent can take (`"adamw"` is not a choice of `optimizer`);
 * - several parents must all hold (AND), a list of values is an OR; a parameter is active only
 *   when each of its parents is active too, so chains (a child of a child) work;
 * - no cycles, and no condition that can never hold once the conditions of the parents are
 *   taken into account (two conditions asking one ancestor for disjoint values).
 *
 * Inactive parameters are absent from configurations (`decode`, trials, `best`); `validate`
 * rejects an inactive key that is present, naming it. In the unit cube every column of an
 * inactive parameter holds {@linkcode INACTIVE_VALUE} (0.5), see its documentation.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, type ParamsOf, when } from "./mod.ts";
 * const space = defineSpace({
 *   optimizer: categorical(["sgd", "adam"]),
 *   lr: float(1e-4, 1e-1, { log: true }),
 *   momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
 *   beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
 * });
 * const p: ParamsOf<typeof space> = { optimizer: "adam", lr: 0.01, beta1: 0.9 }; // no momentum
 * space.decode(space.encode(p)); // { optimizer: "adam", lr: 0.01 (to rounding), beta1: 0.9 }
 * ```
 *
 * @module
 */
import type { z } from "../deps/zod.ts";
import { codecOf } from "./codec.ts";
import type { Choice, Condition, ParamDefinition } from "./params.ts";

export type { Condition } from "./params.ts";

/**
 * The value every encoded column of an inactive parameter holds (numeric column or each column
 * of a one-hot block): the centre of the unit interval. It is the constant imputation of
 * inactive dimensions (Lévesque et al. 2017, "Bayesian optimization for conditional
 * hyperparameter spaces"): a GP on the encoded points sees all inactive points of a parameter at
 * one place, at distance at most 0.5 from every active value (no active value looks like an
 * extreme), and a one-hot block at 0.5 is equally far from every choice. Swersky et al. 2014
 * ("Raiders of the lost architecture") discuss kernels that model inactivity explicitly.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, INACTIVE_VALUE, when } from "./mod.ts";
 * const space = defineSpace({
 *   opt: categorical(["sgd", "adam"]),
 *   momentum: when({ opt: "sgd" }, float(0, 0.99)),
 * });
 * space.encode({ opt: "adam" })[2] === INACTIVE_VALUE; // true
 * ```
 */
export const INACTIVE_VALUE = 0.5;

/**
 * Makes a parameter conditional: `when({ optimizer: "sgd" }, float(0, 0.99))` is
 * `{ ...float(0, 0.99), when: { optimizer: "sgd" } }`, typed so that `ParamsOf` makes the
 * parameter optional. Conditions already on `param` are kept (AND); naming a parent twice
 * throws a `TypeError`. The condition itself is checked by `defineSpace`.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, int, when } from "./mod.ts";
 * const space = defineSpace({
 *   model: categorical(["linear", "mlp"]),
 *   layers: when({ model: "mlp" }, int(1, 3)),
 *   wide: when({ model: "mlp", layers: [2, 3] }, categorical([true, false])),
 *   l2: when({ model: ["linear", "mlp"] }, float(1e-6, 1e-2, { log: true })),
 * });
 * // model's one-hot block, layers, wide's block, l2
 * space.decode(Float64Array.of(0, 1, 0.5, 1, 0, 0.5)); // { model: "mlp", layers: 2, wide: true, l2: 1e-4 }
 * space.decode(Float64Array.of(1, 0, 0.5, 1, 0, 0.5)); // { model: "linear", l2: 1e-4 }
 * ```
 */
export function when<const W extends Condition, const P extends ParamDefinition>(
  condition: W,
  param: P,
): P & { readonly when: W } {
  if (condition === null || typeof condition !== "object" || Array.isArray(condition)) {
    throw new TypeError("when.condition: must be an object of parent name → value(s)");
  }
  if (param === null || typeof param !== "object") {
    throw new TypeError("when.param: must be a parameter definition (float, int, ...)");
  }
  const previous = (param as ParamDefinition).when ?? {};
  for (const parent of Object.keys(condition)) {
    if (Object.hasOwn(previous, parent)) {
      throw new TypeError(`when.condition.${parent}: the parameter already has a condition on it`);
    }
  }
  return { ...param, when: { ...previous, ...condition } as W };
}

/**
 * @internal The values a condition lists for one parent, as a list.
 */
export function conditionValues(value: Choice | readonly Choice[]): readonly Choice[] {
  return Array.isArray(value) ? value : [value as Choice];
}

/**
 * @internal One compiled condition: the parent's position in the space and the values it must
 * take.
 */
export interface CompiledCondition {
  /** Index of the parent in the space's parameter order. */
  readonly parent: number;
  /** Values under which the condition holds. */
  readonly values: readonly Choice[];
}

/**
 * @internal The conditions of a space, compiled against its parameter order.
 */
export interface ConditionGraph {
  /** Per parameter: its conditions (empty when unconditional). */
  readonly conditions: readonly (readonly CompiledCondition[])[];
  /** Parameter indices with every parent before its children. */
  readonly order: readonly number[];
}

function issue(path: PropertyKey[], message: string): z.core.$ZodIssue {
  return { code: "custom", path, message, input: undefined } as z.core.$ZodIssue;
}

const listed = (values: readonly Choice[]) => values.map((v) => JSON.stringify(v)).join(", ");

/**
 * @internal Checks the conditions of checked parameter definitions against each other (unknown
 * parents, parents of the wrong kind, values a parent cannot take, cycles, conditions that never
 * hold) and compiles them. Returns the issues (paths `[name, "when", parent, ...]`) when any.
 */
export function compileConditions(
  entries: readonly (readonly [string, ParamDefinition])[],
): { graph?: ConditionGraph; issues: z.core.$ZodIssue[] } {
  const index = new Map(entries.map(([name], i) => [name, i]));
  const issues: z.core.$ZodIssue[] = [];
  const conditions: CompiledCondition[][] = entries.map(() => []);
  entries.forEach(([name, definition], i) => {
    if (definition.when === undefined) return;
    for (const [parentName, raw] of Object.entries(definition.when)) {
      const path = [name, "when", parentName];
      const parent = index.get(parentName);
      if (parent === undefined) {
        issues.push(issue(path, `unknown parameter "${parentName}"`));
        continue;
      }
      const parentDef = entries[parent][1];
      if (parentDef.kind === "float") {
        issues.push(
          issue(
            path,
            `"${parentName}" is a float; a parent must be a categorical, int or fixed parameter`,
          ),
        );
        continue;
      }
      const values = conditionValues(raw);
      const schema = codecOf(parentDef).schema;
      let ok = true;
      values.forEach((value, k) => {
        const where = Array.isArray(raw) ? [...path, k] : path;
        if (values.indexOf(value) !== k) {
          issues.push(issue(where, `duplicate value ${JSON.stringify(value)}`));
          ok = false;
        } else if (!schema.safeParse(value).success) {
          const can = parentDef.kind === "categorical"
            ? `one of ${listed(parentDef.choices)}`
            : parentDef.kind === "fixed"
            ? `it is fixed at ${JSON.stringify(parentDef.value)}`
            : `an integer in [${parentDef.low}, ${parentDef.high}]` +
              (parentDef.step === undefined || parentDef.step === 1
                ? ""
                : ` on the grid of step ${parentDef.step}`);
          issues.push(
            issue(
              where,
              `${JSON.stringify(value)} is not a value "${parentName}" can take (${can})`,
            ),
          );
          ok = false;
        }
      });
      if (ok) conditions[i].push({ parent, values });
    }
  });
  if (issues.length > 0) return { issues };

  // Cycles, by depth-first search from each parameter along child → parent edges.
  const state = new Uint8Array(entries.length); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  const visit = (i: number): boolean => {
    if (state[i] === 2) return true;
    if (state[i] === 1) {
      const cycle = [...stack.slice(stack.indexOf(i)), i].map((j) => entries[j][0]);
      const [from, to] = [cycle[0], cycle[1]];
      issues.push(issue([from, "when", to], `cycle of conditions: ${cycle.join(" → ")}`));
      return false;
    }
    state[i] = 1;
    stack.push(i);
    for (const c of conditions[i]) if (!visit(c.parent)) return false;
    stack.pop();
    state[i] = 2;
    order.push(i);
    return true;
  };
  for (let i = 0; i < entries.length; i++) if (!visit(i)) return { issues };

  // A parameter is active iff every (ancestor ∈ values) condition of its closure holds: a
  // conjunction of one-variable constraints, satisfiable iff each ancestor's allowed values
  // intersect. Report the first ancestor whose sets are disjoint.
  entries.forEach(([name], i) => {
    const allowed = new Map<number, readonly Choice[]>();
    const pending = [...conditions[i]];
    const seen = new Set<CompiledCondition>();
    while (pending.length > 0) {
      const c = pending.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      const before = allowed.get(c.parent);
      const now = before === undefined ? c.values : before.filter((v) => c.values.includes(v));
      if (now.length === 0) {
        issues.push(
          issue(
            [name, "when"],
            `never active: the conditions of "${name}" and of its parents require "${
              entries[c.parent][0]
            }" to be one of ${listed(before!)} and one of ${listed(c.values)}`,
          ),
        );
        return;
      }
      allowed.set(c.parent, now);
      pending.push(...conditions[c.parent]);
    }
  });
  if (issues.length > 0) return { issues };
  return { graph: { conditions, order }, issues };
}

/**
 * @internal Which parameters are active, given a way to read each parameter's value (called for
 * active parameters only, parents first). `undefined` from `valueOf` marks a value that could not be read
 * (a missing or invalid parent): its children are then `undefined` (unknown) too.
 */
export function activity(
  graph: ConditionGraph,
  valueOf: (i: number) => Choice | undefined,
): (boolean | undefined)[] {
  const active: (boolean | undefined)[] = new Array(graph.conditions.length);
  const values: (Choice | undefined)[] = new Array(graph.conditions.length);
  for (const i of graph.order) {
    let state: boolean | undefined = true;
    for (const c of graph.conditions[i]) {
      const parent = active[c.parent];
      if (parent === false) {
        state = false;
        break;
      }
      if (parent === undefined || values[c.parent] === undefined) {
        state = undefined;
        continue;
      }
      if (!c.values.includes(values[c.parent]!)) {
        state = false;
        break;
      }
    }
    active[i] = state;
    if (state === true) values[i] = valueOf(i);
  }
  return active;
}

/**
 * @internal A readable form of a parameter's conditions, for error messages: `optimizer = "sgd"`.
 */
export function describeConditions(
  graph: ConditionGraph,
  names: readonly string[],
  i: number,
): string {
  return graph.conditions[i].map((c) =>
    c.values.length === 1
      ? `${names[c.parent]} = ${JSON.stringify(c.values[0])}`
      : `${names[c.parent]} in [${listed(c.values)}]`
  ).join(" and ");
}
