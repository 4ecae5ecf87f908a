/**
 * Internal: parse a value with a zod schema and turn failures into one readable error whose
 * message names the path of every bad field (`fitGP: options.restarts: must be ≥ 0`).
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
  const lines = result.error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]) =>
      label + path.map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`).join("");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${at([...issue.path, key])}: unknown key`);
    }
    return [`${at(issue.path)}: ${issue.message}`];
  });
  throw new TypeError(lines.join("; "));
}

/** A positive integer (dimensions, counts). */
export const positiveIntSchema: z.ZodNumber = z.number().int("must be a positive integer")
  .positive("must be a positive integer");

/**
 * Checks a set of points: non-empty when `allowEmpty` is false, every point a `Float64Array` of
 * length `dim` with finite coordinates. Throws a `RangeError`/`TypeError` naming the bad point.
 */
export function checkPoints(
  points: readonly Float64Array[],
  dim: number,
  label: string,
  allowEmpty = false,
): void {
  if (!Array.isArray(points)) throw new TypeError(`${label}: must be an array of Float64Array`);
  if (!allowEmpty && points.length === 0) throw new RangeError(`${label}: must not be empty`);
  for (let i = 0; i < points.length; i++) checkPoint(points[i], dim, `${label}[${i}]`);
}

/** Checks one point: a `Float64Array` of length `dim` with finite coordinates. */
export function checkPoint(point: Float64Array, dim: number, label: string): void {
  if (!(point instanceof Float64Array)) throw new TypeError(`${label}: must be a Float64Array`);
  if (point.length !== dim) {
    throw new RangeError(`${label}: expected ${dim} coordinates, got ${point.length}`);
  }
  for (let j = 0; j < dim; j++) {
    if (!Number.isFinite(point[j])) {
      throw new RangeError(`${label}[${j}]: must be finite, got ${point[j]}`);
    }
  }
}
