/**
 * Internal: the schemas the storage and its stored studies share.
 *
 * @module
 */
import { z } from "../deps/zod.ts";

/**
 * Text the storage keeps in a column and looks up by (study names, user attribute keys, worker
 * ids): non-empty and without NUL (U+0000), which PostgreSQL cannot store.
 */
export const storedNameSchema: z.ZodType<string> = z.string({
  error: "must be a non-empty string",
}).min(1, "must be a non-empty string").refine(
  (text) => !text.includes("\0"),
  "must not contain a NUL character (U+0000)",
);

/** A positive, finite number of seconds (leases, heart-beats, timeouts). */
export const positiveSecondsSchema: z.ZodType<number> = z.number().positive(
  "must be a finite number > 0",
).refine(Number.isFinite, "must be a finite number > 0");
