/**
 * Internal: what `minimize` in memory and `minimize` on a stored study (`lib/storage/run.ts`)
 * share: the option fields and their checks, and how one evaluation of the objective becomes an
 * outcome (a value or an error) with its wall time, the objective working on its own copy of the
 * configuration.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";
import { checkEncodableSpace, studyOptionFields } from "./study.ts";
import { copyParams, type Trial } from "./trial.ts";

/** @internal The option fields of `minimize`, in memory and on a stored study alike. */
export const minimizeOptionFields = {
  ...studyOptionFields,
  budget: positiveIntSchema,
  batchSize: positiveIntSchema.optional(),
  onTrial: z.custom<(...args: unknown[]) => unknown>((f) => typeof f === "function", {
    message: "must be a function",
  }).optional(),
  bayesOpt: z.record(z.string(), z.unknown()).optional(),
};

/**
 * @internal Checks `proposer` and `bayesOpt` together: the latter configures the default
 * proposer, so giving both is an error naming the option.
 */
export function checkProposerOptions(
  options: { proposer?: unknown; bayesOpt?: unknown },
  label: string,
): void {
  if (options.proposer !== undefined && options.bayesOpt !== undefined) {
    throw new TypeError(
      `${label}.bayesOpt: configures the default proposer, so it cannot be combined with options.proposer`,
    );
  }
}

/**
 * @internal Checks the arguments of a `minimize` call (objective, space, options against
 * `schema`), throwing an error that names the bad one.
 */
export function checkMinimizeCall(
  objective: unknown,
  space: unknown,
  options: unknown,
  schema: z.ZodType,
): void {
  if (typeof objective !== "function") {
    throw new TypeError("minimize: objective must be a function");
  }
  checkEncodableSpace(space, "minimize: space");
  parseOrThrow(schema, options, "minimize options");
  checkProposerOptions(options as { proposer?: unknown }, "minimize options");
}

/**
 * @internal Evaluates the objective on its own copy of the trial's configuration (editing it
 * cannot change the study's record): its value, or the error it threw or rejected with (a thrown
 * non-error becomes an `Error`), and the seconds it took.
 */
export async function evaluateObjective<P>(
  objective: (params: P, trial: Trial<P>) => unknown,
  trial: Trial<P>,
): Promise<{ outcome: unknown; seconds: number }> {
  const start = performance.now();
  let outcome: unknown;
  try {
    outcome = await objective(copyParams(trial.params), trial);
  } catch (error) {
    outcome = error instanceof Error ? error : new Error(String(error));
  }
  return { outcome, seconds: (performance.now() - start) / 1000 };
}
