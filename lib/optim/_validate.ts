/**
 * Internal: parse a value with a zod schema and turn failures into one readable error whose
 * message names the path of every bad field (`lbfgsb: options.memory: must be >= 1`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";

/** Parses `value` with `schema`, throwing a `TypeError` whose message names each bad field. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  label: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`)
      .join("");
    return `${label}${path}: ${issue.message}`;
  });
  throw new TypeError(lines.join("; "));
}

/** A `Float64Array` (a point or a vector of bounds). */
export const float64ArraySchema: z.ZodCustom<Float64Array> = z.instanceof(Float64Array, {
  message: "must be a Float64Array",
});

/** A positive integer (iteration and evaluation budgets, sample counts). */
export const positiveIntSchema: z.ZodNumber = z.number().int("must be a positive integer")
  .positive("must be a positive integer");

/** Throws a `RangeError` naming `label` unless every entry of `values` is finite. */
export function assertFinite(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${label}[${i}]: must be finite, got ${values[i]}`);
    }
  }
}
