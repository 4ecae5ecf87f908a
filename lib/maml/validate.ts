/**
 * Option validation shared by the MAML modules: zod parsing with errors that name the field.
 *
 * @module
 */
import type { z } from "../deps/zod.ts";

/**
 * Parses `value` with `schema`, throwing a `TypeError` whose message names each bad field as
 * `where.path: problem`.
 *
 * @example
 * ```ts
 * import { z } from "../deps/zod.ts";
 * import { parseOptions } from "./validate.ts";
 * const opts = parseOptions(z.object({ lr: z.number().positive() }), { lr: 0.1 }, "sgd");
 * ```
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) =>
    `${[where, ...issue.path.map(String)].join(".")}: ${issue.message}`
  );
  throw new TypeError(lines.join("; "));
}
