/**
 * Internal: schemas and checks of the figure inputs whose errors name the path of every bad
 * field (`regretCurveFigure: options.task: must be a non-empty string`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { parseOrThrow } from "../validate.ts";
import type { ResultRow } from "../results/mod.ts";

/** A non-empty string. */
export const nameSchema: z.ZodString = z.string().min(1, "must be a non-empty string");

const resultRowSchema = z.object({
  suite: z.string(),
  task: z.string(),
  method: z.string(),
  seed: z.number().int("must be an integer"),
  step: z.number().refine((v) => Number.isFinite(v), "must be finite"),
  metric: z.string(),
  value: z.union([z.number(), z.nan()]),
});

/** Throws a `TypeError` naming the first bad row and field unless `rows` are result rows. */
export function assertRows(rows: unknown, label: string): asserts rows is readonly ResultRow[] {
  if (!Array.isArray(rows)) throw new TypeError(`${label}: must be an array of result rows`);
  // Row by row, so that a large valid input costs no intermediate copies.
  rows.forEach((row, i) => parseOrThrow(resultRowSchema, row, `${label}[${i}]`));
}
