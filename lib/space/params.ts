/**
 * Parameter definitions of a search space: {@linkcode float}, {@linkcode int},
 * {@linkcode categorical} and {@linkcode fixed}. A definition is plain JSON-ready data; it is
 * checked when a space is built (`defineSpace`), so that the error can name the parameter
 * (`space.lr.low: must be < high`). Any definition may carry a `when` field (a
 * {@linkcode Condition}, see `conditions.ts`): the parameter then exists only when its parents
 * take the listed values.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { safeIntSchema } from "../validate.ts";

/** A value a categorical or fixed parameter can take. */
export type Choice = string | number | boolean;

/**
 * When a parameter is active: parent name → the value (or list of values) the parent must take.
 * Several parents must all hold (AND); a list of values is an OR. Parents are categorical, int
 * or fixed parameters, themselves possibly conditional (a parameter is active only when its
 * parents are). Example: `{ optimizer: ["sgd", "nesterov"] }`.
 */
export type Condition = { readonly [parent: string]: Choice | readonly Choice[] };

/** A real parameter in [low, high], on a linear or log scale, optionally on a grid of `step`. */
export interface FloatParam {
  /** Discriminator. */
  readonly kind: "float";
  /** Smallest value (inclusive; > 0 on a log scale). */
  readonly low: number;
  /** Largest value (inclusive; > low). */
  readonly high: number;
  /** Search on a log scale (default false). */
  readonly log?: boolean;
  /** Only values low + k·step (must divide high − low; not with log). */
  readonly step?: number;
  /** Active only when the parents take these values (see {@linkcode Condition}). */
  readonly when?: Condition;
}

/** An integer parameter in [low, high], on a linear or log scale, optionally on a grid of `step`. */
export interface IntParam {
  /** Discriminator. */
  readonly kind: "int";
  /** Smallest value (inclusive; ≥ 1 on a log scale). */
  readonly low: number;
  /** Largest value (inclusive; > low). */
  readonly high: number;
  /** Search on a log scale (default false). */
  readonly log?: boolean;
  /** Only values low + k·step (default 1; must divide high − low; only 1 with log). */
  readonly step?: number;
  /** Active only when the parents take these values (see {@linkcode Condition}). */
  readonly when?: Condition;
}

/** A parameter taking one of a finite list of unordered values. */
export interface CategoricalParam<C extends Choice = Choice> {
  /** Discriminator. */
  readonly kind: "categorical";
  /** The distinct values (at least one). */
  readonly choices: readonly C[];
  /** Active only when the parents take these values (see {@linkcode Condition}). */
  readonly when?: Condition;
}

/** A parameter held at one value: part of every configuration but never searched. */
export interface FixedParam<V extends Choice = Choice> {
  /** Discriminator. */
  readonly kind: "fixed";
  /** The value. */
  readonly value: V;
  /** Active only when the parents take these values (see {@linkcode Condition}). */
  readonly when?: Condition;
}

/** Any parameter definition. */
export type ParamDefinition = FloatParam | IntParam | CategoricalParam | FixedParam;

/** Options of {@linkcode float} and {@linkcode int}. */
export interface NumericOptions {
  /** Search on a log scale (default false). */
  log?: boolean;
  /** Grid spacing (floats: none by default, not with log; ints: 1, the only step with log). */
  step?: number;
}

/**
 * A real parameter in [low, high]. Checked by `defineSpace`: low < high, low > 0 when `log`,
 * `step` > 0 dividing high − low and not combined with `log`.
 *
 * With `step`, the values a study draws (initial design, model) are `low + k * step` computed in
 * float64 (the last one `high`), not rounded to decimals: on `float(0, 1, { step: 0.1 })` the
 * fourth value is `0 + 3 * 0.1`, 0.30000000000000004. A configuration given as written (`enqueue`,
 * initial configurations, pool candidates) passes validation as 0.3 and keeps that value, and both
 * encode to the same point. Round in the objective when exact decimals matter.
 *
 * @example
 * ```ts
 * import { defineSpace, float } from "./mod.ts";
 * const space = defineSpace({ lr: float(1e-5, 1e-1, { log: true }), dropout: float(0, 0.5) });
 * ```
 */
export function float(low: number, high: number, options: NumericOptions = {}): FloatParam {
  return { kind: "float", low, high, ...options };
}

/**
 * An integer parameter in [low, high]. Checked by `defineSpace`: integer bounds, low < high,
 * low ≥ 1 when `log`, integer `step` dividing high − low and, with `log`, only the default 1 (as
 * Optuna writes a log `IntDistribution`); on a log scale, a `high` whose neighbouring integers
 * float64 cannot tell apart is refused (see {@linkcode LOG_INT_MIN_CELL}).
 *
 * @example
 * ```ts
 * import { defineSpace, int } from "./mod.ts";
 * const space = defineSpace({ units: int(8, 256, { log: true }), layers: int(1, 4) });
 * ```
 */
export function int(low: number, high: number, options: NumericOptions = {}): IntParam {
  return { kind: "int", low, high, ...options };
}

/**
 * A categorical parameter; the choice type is inferred (`categorical(["relu", "tanh"])` gives
 * `"relu" | "tanh"`). Checked by `defineSpace`: at least one choice, no duplicates.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace } from "./mod.ts";
 * const space = defineSpace({ act: categorical(["relu", "tanh"]), bias: categorical([true, false]) });
 * ```
 */
export function categorical<const C extends Choice>(choices: readonly C[]): CategoricalParam<C> {
  return { kind: "categorical", choices: Array.isArray(choices) ? [...choices] : choices };
}

/**
 * A parameter fixed at `value`: it appears in every configuration and takes no encoded column.
 *
 * @example
 * ```ts
 * import { defineSpace, fixed, float } from "./mod.ts";
 * const space = defineSpace({ lr: float(0.001, 0.1), epochs: fixed(20) });
 * ```
 */
export function fixed<const V extends Choice>(value: V): FixedParam<V> {
  return { kind: "fixed", value };
}

/**
 * Tolerance of a float grid, relative to the value checked, in steps: a value x is on the grid of
 * `step` when its index (x − low)/step is within `GRID_TOLERANCE · (max(|low|, |x|)/step + 1)` of
 * an integer ({@linkcode gridSlack}), and a step divides high − low when high is on the grid so
 * measured. Computing low + k·step and then (x − low)/step in floating point is off by a few units
 * in the last place of x and low, in steps (`0.30000000000000004` is 3 · 0.1 as computed; a
 * decimal literal such as 0.3 is as far from it), and this bound covers that with a wide margin
 * (64 units of 2⁻⁵³) and nothing more. It grows with the value checked, not with the range, so a
 * value farther from every grid point than the rounding of its own size is refused wherever it
 * is: 0.5 and 10.25 on `float(0, 4e15, { step: 1 })`, 0.00000101 on
 * `float(0, 1e6, { step: 1e-6 })`. Only where the step is below about 2⁻⁴⁵ of max(|low|, |x|) (a
 * grid as fine as the rounding of its values, a few floats per step) does the bound reach half a
 * step, so that every value there counts as on the grid.
 */
export const GRID_TOLERANCE = 64 * Number.EPSILON;

/**
 * Tolerance of the on-grid check of metahpo versions that studies may have been stored with: a
 * value x was on the grid of `step` when its index (x − low)/step was within
 * `STORED_GRID_TOLERANCE · max(1, levels)` of an integer (`levels` the grid's number of values),
 * so that `0.3333333333` was on `float(0, 1, { step: 1 / 3 })`. New configurations are checked with
 * {@linkcode GRID_TOLERANCE}; a storage reads the values it holds with this one (see
 * `SpaceReadOptions.storedGrid`), so that a study stored then opens again.
 */
export const STORED_GRID_TOLERANCE = 1e-9;

/** Most values a grid (an int, or a float with a step) may have: 2^52, so that k + ½ is exact. */
export const MAX_GRID_LEVELS = 2 ** 52;

/**
 * (high − low)/step, also when high − low overflows (a range wider than `Number.MAX_VALUE`, e.g.
 * ±1e308): then from the halves of the bounds.
 */
export function gridSteps(low: number, high: number, step: number): number {
  const width = high - low;
  return Number.isFinite(width) ? width / step : (high / 2 - low / 2) / step * 2;
}

/**
 * The bound on |k − round(k)| of the index k of a value x on a float grid from `low` (see
 * {@linkcode GRID_TOLERANCE}): `GRID_TOLERANCE · (max(|low|, |x|)/step + 1)`, the rounding of x,
 * low and k·step in steps. With x = high, the bound of the check that `step` divides high − low.
 */
export function gridSlack(low: number, x: number, step: number): number {
  return GRID_TOLERANCE * (Math.max(Math.abs(low), Math.abs(x)) / step + 1);
}

/**
 * Whether a log scale of [ln a, ln b] is too narrow for `ln b − ln a`: the logarithms' rounding
 * (a unit in the last place of the larger one) would then be more than 2⁻²⁰ of the width, or the
 * width 0 (`float(1e15, 1e15 + 1, { log: true })`). Such a scale is measured from a:
 * ln(x/a) = log1p((x − a)/a), exact to rounding whatever the width.
 */
export function narrowLog(lo: number, hi: number): boolean {
  return !(hi - lo > 2 ** -20 * Math.max(Math.abs(lo), Math.abs(hi)));
}

/**
 * The narrowest cell an int on a log scale may give its largest value, in units of rounding of
 * the log bounds (2⁻⁵² · max(|ln(low − ½)|, |ln(high + ½)|)): integer k owns
 * [ln(k − ½), ln(k + ½)], about 1/k wide, which shrinks below that rounding as k grows, and then
 * neighbouring integers encode alike and decode to one another: the first integers that do not
 * round-trip appear from about 2^46.2 (where the rounding of ln k doubles), and 4 units keep a
 * margin of about 2 below them. The limit is high ≤ 36,067,559,602,827 (about 3.6·10¹³, 2^45.04) whatever
 * low; a range narrow enough to be measured from low (its logarithms within 2⁻²⁰ of each other,
 * relatively, see {@linkcode narrowLog}) takes any integers.
 *
 * @example
 * ```ts
 * import { defineSpace, int } from "./mod.ts";
 * defineSpace({ k: int(1, 36_067_559_602_827, { log: true }) }); // the largest high
 * defineSpace({ k: int(2 ** 53 - 1000, 2 ** 53 - 1, { log: true }) }); // narrow: measured from low
 * // defineSpace({ k: int(1, 2 ** 53 - 1, { log: true }) }) throws: space.k.high: ...
 * ```
 */
export const LOG_INT_MIN_CELL = 4;

/**
 * Whether an int's log scale on [low, high] (low ≥ 1) tells every integer apart: it is narrow
 * ({@linkcode narrowLog}), or the cell of high spans {@linkcode LOG_INT_MIN_CELL} units of the
 * rounding of the log bounds.
 */
function logIntResolved(low: number, high: number): boolean {
  const lo = Math.log(low - 0.5);
  const hi = Math.log(high + 0.5);
  return narrowLog(lo, hi) ||
    Math.log1p(1 / (high - 0.5)) >=
      LOG_INT_MIN_CELL * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi));
}

const choiceSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: "must be a string, a finite number or a boolean",
});

function checkRange(
  p: { low: number; high: number; log?: boolean; step?: number },
  ctx: z.RefinementCtx,
  logLow: number,
  logLowText: string,
  isInt: boolean,
): void {
  if (!(p.low < p.high)) ctx.addIssue({ code: "custom", path: ["low"], message: "must be < high" });
  if (p.log && p.low < logLow) {
    ctx.addIssue({
      code: "custom",
      path: ["low"],
      message: `must be ${logLowText} on a log scale`,
    });
  }
  if (p.log) {
    if (p.step !== undefined && !(isInt && p.step === 1)) {
      ctx.addIssue({
        code: "custom",
        path: ["step"],
        message: isInt
          ? "cannot be combined with log (an int on a log scale takes every integer: step 1)"
          : "cannot be combined with log",
      });
    }
    if (isInt && p.low >= logLow && p.low < p.high && !logIntResolved(p.low, p.high)) {
      ctx.addIssue({
        code: "custom",
        path: ["high"],
        message: "too large for a log scale: the integers near high are closer together on it " +
          `than ${LOG_INT_MIN_CELL} units of rounding of ln(high), so some would not round-trip; ` +
          "use high <= 3.6e13 or a float",
      });
    }
    return;
  }
  if (p.step === undefined && !isInt) return;
  // A step or bounds refused by their own checks (step ≤ 0, not an integer or not finite; bounds
  // that are no safe integers) say nothing about the grid: no further message.
  if (p.step !== undefined && !(p.step > 0 && Number.isFinite(p.step))) return;
  if (
    isInt && !(Number.isSafeInteger(p.low) && Number.isSafeInteger(p.high) &&
      (p.step === undefined || Number.isSafeInteger(p.step)))
  ) return;
  if (p.low < p.high) {
    const step = p.step ?? 1;
    if (isInt && !Number.isSafeInteger(p.high - p.low)) {
      // Integer arithmetic on the grid (x − low, its remainder by step) must stay exact.
      ctx.addIssue({
        code: "custom",
        path: ["high"],
        message: `high - low must be at most 2^53 - 1 (${p.high - p.low}); use a float`,
      });
      return;
    }
    const steps = gridSteps(p.low, p.high, step);
    // The codec's number of values is round(steps) + 1.
    if (!(Math.round(steps) < MAX_GRID_LEVELS)) {
      ctx.addIssue({
        code: "custom",
        path: [p.step === undefined ? "high" : "step"],
        message:
          `the grid from low to high has more than 2^52 values (${Math.round(steps) + 1}); ` +
          (isInt ? "use a larger step or a float" : "use a larger step or no step"),
      });
    } else if (
      isInt
        ? (p.high - p.low) % step !== 0
        : Math.abs(steps - Math.round(steps)) > gridSlack(p.low, p.high, step)
    ) {
      ctx.addIssue({ code: "custom", path: ["step"], message: "must divide high - low" });
    }
  }
}

const positiveStep = z.number().positive("must be > 0");

const conditionValueSchema = z.union(
  [choiceSchema, z.array(choiceSchema).min(1, "must list at least one value")],
  { error: "must be a value (string, finite number, boolean) or a non-empty list of values" },
);

/**
 * Schema of a {@linkcode Condition} on its own (parent names and values are checked against the
 * other parameters by `defineSpace`). Parent names are read as own keys and kept as such, so
 * that any string (`__proto__` included) names a parent, as it names a parameter.
 */
export const conditionSchema: z.ZodType<Condition> = z.unknown().transform((input, ctx) => {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    ctx.addIssue({
      code: "custom",
      message: `must be an object of parent name → value(s), got ${
        input === null ? "null" : Array.isArray(input) ? "an array" : typeof input
      }`,
      input,
    });
    return z.NEVER;
  }
  const entries: [string, Choice | Choice[]][] = [];
  let ok = true;
  for (const parent of Object.keys(input)) {
    if (parent === "") {
      ctx.addIssue({ code: "custom", message: "parent names must not be empty", input });
      ok = false;
      continue;
    }
    const result = conditionValueSchema.safeParse((input as Record<string, unknown>)[parent]);
    if (result.success) entries.push([parent, result.data]);
    else {
      for (const issue of result.error.issues) {
        ctx.addIssue({ ...issue, path: [parent, ...issue.path] } as z.core.$ZodRawIssue);
      }
      ok = false;
    }
  }
  if (!ok) return z.NEVER;
  if (entries.length === 0) {
    ctx.addIssue({
      code: "custom",
      message: "must name at least one parent parameter",
      input,
    });
    return z.NEVER;
  }
  // Object.fromEntries defines each key as an own property, `__proto__` included.
  return Object.fromEntries(entries) as Condition;
});

/** Schema of a {@linkcode FloatParam}. */
export const floatParamSchema = z.object({
  kind: z.literal("float"),
  low: z.number(),
  high: z.number(),
  log: z.boolean().optional(),
  step: positiveStep.optional(),
  when: conditionSchema.optional(),
}).strict().superRefine((p, ctx) => checkRange(p, ctx, Number.MIN_VALUE, "> 0", false));

const integer = safeIntSchema;

/** Schema of an {@linkcode IntParam}. */
export const intParamSchema = z.object({
  kind: z.literal("int"),
  low: integer,
  high: integer,
  log: z.boolean().optional(),
  step: integer.positive("must be > 0").optional(),
  when: conditionSchema.optional(),
}).strict().superRefine((p, ctx) => checkRange(p, ctx, 1, ">= 1", true));

/** Schema of a {@linkcode CategoricalParam}. */
export const categoricalParamSchema = z.object({
  kind: z.literal("categorical"),
  choices: z.array(choiceSchema).min(1, "must not be empty"),
  when: conditionSchema.optional(),
}).strict().superRefine((p, ctx) => {
  // A Set compares as indexOf does here (0 and -0 are one choice; NaN is refused above).
  const seen = new Set<unknown>();
  p.choices.forEach((choice, i) => {
    if (seen.size === seen.add(choice).size) {
      ctx.addIssue({
        code: "custom",
        path: ["choices", i],
        message: `duplicate choice ${JSON.stringify(choice)}`,
      });
    }
  });
});

/** Schema of a {@linkcode FixedParam}. */
export const fixedParamSchema = z.object({
  kind: z.literal("fixed"),
  value: choiceSchema,
  when: conditionSchema.optional(),
}).strict();

/** Schema of any parameter definition, discriminated by `kind`. */
export const paramDefinitionSchema = z.discriminatedUnion("kind", [
  floatParamSchema,
  intParamSchema,
  categoricalParamSchema,
  fixedParamSchema,
]);
