/**
 * Internal: parse a value with a zod schema and turn failures into one readable error whose
 * message names the path of every bad field (`sobol: options.skip: expected an integer`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "./rng.ts";

/** Formats a zod error as `label.path: message` lines, one per issue. */
export function formatIssues(label: string, error: z.ZodError): string {
  return error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]) => {
      const joined = path.map(String).join(".");
      return joined === "" ? label : label === "" ? joined : `${label}.${joined}`;
    };
    // zod reports unknown keys on the parent object; name each key instead.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${at([...issue.path, key])}: unknown key`);
    }
    return [`${at(issue.path)}: ${issue.message}`];
  }).join("; ");
}

/** Parses `value` with `schema`, throwing a `TypeError` that names the bad field on failure. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  label: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new TypeError(formatIssues(label, result.error));
  return result.data;
}

/** A non-negative integer count (number of points, points to skip). */
export const countSchema: z.ZodNumber = z.number().int("must be a non-negative integer")
  .nonnegative("must be a non-negative integer");

/** A positive integer dimension. */
export const dimSchema: z.ZodNumber = z.number().int("must be a positive integer")
  .positive("must be a positive integer");

/** A seeded generator argument. */
export const rngSchema: z.ZodType<Rng> = z.instanceof(Rng, { message: "must be an Rng" });
