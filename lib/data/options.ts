/**
 * Option validation shared by the data modules: zod parsing whose errors name the bad field.
 *
 * @module
 */
import type { z } from "../deps/zod.ts";

/**
 * Parses `value` with `schema`, or throws a `TypeError` listing each bad field as
 * `label.path.to.field: message`.
 *
 * @example
 * ```ts
 * import { z } from "../deps/zod.ts";
 * import { parseOptions } from "./options.ts";
 * const schema = z.object({ seed: z.number().int() });
 * parseOptions(schema, { seed: 3 }, "options"); // { seed: 3 }
 * ```
 */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  label: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [label, ...issue.path.map(String)].join(".");
    return `${path}: ${issue.message}`;
  });
  throw new TypeError(lines.join("; "));
}
