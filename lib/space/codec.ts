/**
 * How each parameter kind maps to columns of the unit cube, and back.
 *
 * - float, linear: one column, u = (x − low) / (high − low).
 * - float, log: one column, u = (ln x − ln low) / (ln high − ln low).
 * - int, and float with `step` (a grid of K = (high − low)/step + 1 values low + k·step): one
 *   column in which every grid value owns an equal-width interval, u = (k + ½) / K; decoding takes
 *   k = ⌊u·K⌋ (clamped to 0..K−1) and returns low + k·step as float64 computes it (`high` for
 *   k = K−1), not a decimal rounding: on a 0.1 grid from 0, 0.3 encodes to k = 3 and decodes to
 *   0.30000000000000004. The grid index round-trips; a value off float64's low + k·step does not.
 * - int, log: one column on the log scale of [low − ½, high + ½], so that integer k owns
 *   [ln(k − ½), ln(k + ½)]: u = (ln k − ln(low − ½)) / (ln(high + ½) − ln(low − ½)); decoding
 *   rounds exp(·) to the nearest integer. Small integers own wider intervals, as on any log scale;
 *   the interval of k is about 1/k wide, so `defineSpace` refuses a `high` whose interval would be
 *   narrower than the rounding of the logarithms (`LOG_INT_MIN_CELL`, high up to about 3.6·10¹³),
 *   and every value of an accepted range round-trips.
 * - categorical with m choices: m one-hot columns; decoding takes the argmax (the first on ties).
 * - fixed: no column.
 *
 * Decoding clamps every numeric coordinate to [0, 1] first and takes a categorical's argmax of its
 * columns as they are, so any finite vector decodes to a valid value.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { describeValue } from "../validate.ts";
import { type Choice, gridSlack, gridSteps, narrowLog, type ParamDefinition } from "./params.ts";

/** What an encoded column holds: a real number, a grid index, or one category's indicator. */
export type ColumnType = "continuous" | "integer" | "categorical";

/** The encoding of one parameter (internal to the space module). */
export interface ParamCodec {
  /** Number of encoded columns. */
  readonly size: number;
  /** Column type, or "fixed" for a parameter with no column. */
  readonly type: ColumnType | "fixed";
  /** Number of values of a discrete parameter (grid points or choices). */
  readonly levels?: number;
  /** Checks one value; its messages are relative to the parameter. */
  readonly schema: z.ZodType;
  /** Writes the encoding of a valid value at `out[offset..offset+size)`. */
  encode(value: unknown, out: Float64Array, offset: number): void;
  /** Reads the value encoded at `u[offset..offset+size)`. */
  decode(u: ArrayLike<number>, offset: number): Choice;
}

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);
const clamp = (x: number, low: number, high: number): number => x < low ? low : x > high ? high : x;

/** Maps u through `scale`, returning the bounds exactly at (and beyond) u = 0 and u = 1. */
function onScale(u: number, low: number, high: number, scale: (t: number) => number): number {
  return u <= 0 ? low : u >= 1 ? high : clamp(scale(u), low, high);
}

function rangeSchema(base: z.ZodNumber, low: number, high: number): z.ZodType {
  return base.refine((x) => x >= low && x <= high, `must be in [${low}, ${high}]`);
}

function linearCodec(low: number, high: number): ParamCodec {
  // A range wider than Number.MAX_VALUE (e.g. ±1e308) overflows high − low: then the halves are
  // used, u = (x/2 − low/2) / (high/2 − low/2) and x = (1 − t)·low + t·high, which stay finite.
  const wide = !Number.isFinite(high - low);
  return {
    size: 1,
    type: "continuous",
    schema: rangeSchema(z.number(), low, high),
    encode: (x, out, offset) => {
      out[offset] = wide
        ? ((x as number) / 2 - low / 2) / (high / 2 - low / 2)
        : ((x as number) - low) / (high - low);
    },
    decode: (u, offset) =>
      onScale(
        u[offset],
        low,
        high,
        (t) => wide ? (1 - t) * low + t * high : low + t * (high - low),
      ),
  };
}

function logCodec(low: number, high: number): ParamCodec {
  const lo = Math.log(low);
  const hi = Math.log(high);
  const schema = rangeSchema(z.number(), low, high);
  if (narrowLog(lo, hi)) {
    const width = Math.log1p((high - low) / low);
    return {
      size: 1,
      type: "continuous",
      schema,
      encode: (x, out, offset) => {
        out[offset] = Math.log1p(((x as number) - low) / low) / width;
      },
      decode: (u, offset) =>
        onScale(u[offset], low, high, (t) => low + low * Math.expm1(t * width)),
    };
  }
  const width = hi - lo;
  return {
    size: 1,
    type: "continuous",
    schema,
    encode: (x, out, offset) => {
      out[offset] = (Math.log(x as number) - lo) / width;
    },
    decode: (u, offset) => onScale(u[offset], low, high, (t) => Math.exp(lo + t * width)),
  };
}

function gridCodec(low: number, high: number, step: number, isInt: boolean): ParamCodec {
  // A float range wider than Number.MAX_VALUE (e.g. ±1e308) overflows high − low and k·step:
  // then from the halves, low + k·step = 2·(low/2 + k·step/2).
  const wide = !Number.isFinite(high - low);
  const levels = Math.round(gridSteps(low, high, step)) + 1;
  const valueAt = (k: number) =>
    k === levels - 1 ? high : wide ? 2 * (low / 2 + k * (step / 2)) : low + k * step;
  const indexOf = (x: number) => wide ? (x / 2 - low / 2) / step * 2 : (x - low) / step;
  const base = isInt ? z.number().int("must be an integer") : z.number();
  // Integers: x − low is exact (high − low is a safe integer), so is its remainder by step.
  // Floats: within the rounding of low + k·step, relative to x and low (see GRID_TOLERANCE).
  const onGrid = isInt ? (x: number) => (x - low) % step === 0 : (x: number) => {
    const k = indexOf(x);
    return Math.abs(k - Math.round(k)) <= gridSlack(low, x, step);
  };
  return {
    size: 1,
    type: "integer",
    levels,
    schema: rangeSchema(base, low, high).refine(
      (x) => onGrid(x as number),
      `must be ${low} + k * ${step} for an integer k`,
    ),
    encode: (x, out, offset) => {
      const k = clamp(Math.round(indexOf(x as number)), 0, levels - 1);
      out[offset] = (k + 0.5) / levels;
    },
    decode: (u, offset) => valueAt(Math.min(levels - 1, Math.floor(clamp01(u[offset]) * levels))),
  };
}

function logIntCodec(low: number, high: number): ParamCodec {
  const lo = Math.log(low - 0.5);
  const hi = Math.log(high + 0.5);
  const levels = high - low + 1;
  const schema = rangeSchema(z.number().int("must be an integer"), low, high);
  if (narrowLog(lo, hi)) {
    // Measured from a = low − ½: ln(k/a) = log1p((k − low + ½)/a), and back
    // k = low + round(a·expm1(·) − ½), in offsets from low, exact for large integers.
    const a = low - 0.5;
    const width = Math.log1p(levels / a);
    return {
      size: 1,
      type: "integer",
      levels,
      schema,
      encode: (k, out, offset) => {
        out[offset] = Math.log1p(((k as number) - low + 0.5) / a) / width;
      },
      decode: (u, offset) =>
        clamp(
          low + Math.round(a * Math.expm1(clamp01(u[offset]) * width) - 0.5),
          low,
          high,
        ),
    };
  }
  const width = hi - lo;
  return {
    size: 1,
    type: "integer",
    levels,
    schema,
    encode: (k, out, offset) => {
      out[offset] = (Math.log(k as number) - lo) / width;
    },
    decode: (u, offset) => clamp(Math.round(Math.exp(lo + clamp01(u[offset]) * width)), low, high),
  };
}

/**
 * The level of a categorical's one-hot block in encoded point `u`: the index k of the largest
 * `u[offset + columns[k]]`, the first on ties (so 0 for a block of equal values). A comparison
 * with NaN is false: a NaN never replaces the level so far, and a NaN first entry stays level 0.
 * What the space decodes, and what the random forest and the categorical kernel take as the
 * level of a fractional block.
 *
 * @example
 * ```ts
 * import { oneHotArgmax } from "./codec.ts";
 * const u = Float64Array.of(0.2, 0.1, 0.7, 0.7, 0.5);
 * oneHotArgmax(u, [1, 2, 3]); // 1: columns 2 and 3 tie, the first wins
 * oneHotArgmax(u, [0, 1, 2], 2); // 0: columns 2, 3, 4, the first of the tie
 * ```
 */
export function oneHotArgmax(
  u: ArrayLike<number>,
  columns: ArrayLike<number>,
  offset = 0,
): number {
  let best = 0;
  for (let k = 1; k < columns.length; k++) {
    if (u[offset + columns[k]] > u[offset + columns[best]]) best = k;
  }
  return best;
}

/** How many choices an error message about a categorical value lists. */
const LISTED_CHOICES = 20;

function categoricalCodec(choices: readonly Choice[]): ParamCodec {
  const m = choices.length;
  const block = Array.from({ length: m }, (_, i) => i);
  // At most LISTED_CHOICES of them in a message.
  const listed = choices.slice(0, LISTED_CHOICES).map((c) => JSON.stringify(c)).join(", ") +
    (m > LISTED_CHOICES ? `, ... (${m} choices)` : "");
  return {
    size: m,
    type: "categorical",
    levels: m,
    schema: z.unknown().refine((v) => choices.includes(v as Choice), {
      error: (issue) => `must be one of ${listed}, got ${describeValue(issue.input)}`,
    }),
    encode: (v, out, offset) => {
      out.fill(0, offset, offset + m);
      out[offset + choices.indexOf(v as Choice)] = 1;
    },
    decode: (u, offset) => choices[oneHotArgmax(u, block, offset)],
  };
}

function fixedCodec(value: Choice): ParamCodec {
  return {
    size: 0,
    type: "fixed",
    schema: z.unknown().refine((v) => v === value, {
      error: (issue) => `must be ${JSON.stringify(value)}, got ${describeValue(issue.input)}`,
    }),
    encode: () => {},
    decode: () => value,
  };
}

/** Builds the codec of a checked parameter definition. */
export function codecOf(definition: ParamDefinition): ParamCodec {
  switch (definition.kind) {
    case "float":
      if (definition.step !== undefined) {
        return gridCodec(definition.low, definition.high, definition.step, false);
      }
      return definition.log
        ? logCodec(definition.low, definition.high)
        : linearCodec(definition.low, definition.high);
    case "int":
      return definition.log
        ? logIntCodec(definition.low, definition.high)
        : gridCodec(definition.low, definition.high, definition.step ?? 1, true);
    case "categorical":
      return categoricalCodec(definition.choices);
    case "fixed":
      return fixedCodec(definition.value);
  }
}
