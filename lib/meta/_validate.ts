/**
 * Zod parsing that throws errors naming the path of the bad field.
 *
 * @module
 */
import type { z } from "../deps/zod.ts";

/** `label.path.to.field: message` for the first issues of a failed parse. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map((k) => typeof k === "number" ? `[${k}]` : `.${String(k)}`)
      .join("");
    return `${label}${path}: ${issue.message}`;
  });
  throw new TypeError(lines.join("\n"));
}
