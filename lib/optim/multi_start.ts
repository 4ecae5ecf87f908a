/**
 * Multi-start local optimisation: {@linkcode lbfgsb} from each of several starting points, keeping
 * the best result. Global optimisers of non-convex but smooth functions (marginal likelihoods,
 * acquisition functions) are built from this and a good choice of starts.
 *
 * @module
 */
import {
  type DifferentiableObjective,
  lbfgsb,
  type LbfgsbOptions,
  type LbfgsbResult,
} from "./lbfgsb.ts";
import { float64ArraySchema, parseOrThrow } from "../validate.ts";
import { z } from "../deps/zod.ts";

/** The outcome of {@linkcode multiStart}. */
export interface MultiStartResult {
  /** The result with the lowest finite value (the first start's result if none is finite). */
  best: LbfgsbResult;
  /** Index of `best` in `results` (and of its start in `starts`). */
  bestIndex: number;
  /** One result per start, in the order of the starts. */
  results: LbfgsbResult[];
}

const startsSchema = z.array(float64ArraySchema).min(1, "must contain at least one start");

/**
 * Runs {@linkcode lbfgsb} from every start with the same options and returns the best result
 * (lowest finite value; ties keep the earlier start) together with all results.
 *
 * @param objective Returns the value and gradient at a point.
 * @param starts Starting points, all of the same length (projected into the box by lbfgsb).
 * @param options Options passed to every {@linkcode lbfgsb} run.
 * @throws {TypeError | RangeError} When `starts` is empty, lengths differ, or a start or the
 *   options are invalid (as in {@linkcode lbfgsb}).
 *
 * @example
 * ```ts
 * import { multiStart } from "./multi_start.ts";
 * // a double well: minima at x = ±1 with the lower one at x = −1
 * const f = (p: Float64Array) => ({
 *   value: (p[0] ** 2 - 1) ** 2 + 0.1 * p[0],
 *   gradient: Float64Array.of(4 * p[0] * (p[0] ** 2 - 1) + 0.1),
 * });
 * const { best } = multiStart(f, [Float64Array.of(2), Float64Array.of(-2)]);
 * console.log(best.x[0]); // ≈ −1.01
 * ```
 */
export function multiStart(
  objective: DifferentiableObjective,
  starts: readonly Float64Array[],
  options?: LbfgsbOptions,
): MultiStartResult {
  parseOrThrow(startsSchema, starts, "multiStart: starts");
  const dim = starts[0].length;
  starts.forEach((start, i) => {
    if (start.length !== dim) {
      throw new RangeError(
        `multiStart: starts[${i}]: length ${start.length} differs from starts[0] length ${dim}`,
      );
    }
  });
  const results = starts.map((start, i) => {
    try {
      return lbfgsb(objective, start, options);
    } catch (error) {
      if (error instanceof RangeError && error.message.startsWith("lbfgsb: x0")) {
        throw new RangeError(error.message.replace("lbfgsb: x0", `multiStart: starts[${i}]`));
      }
      throw error;
    }
  });
  let bestIndex = -1;
  results.forEach((result, i) => {
    if (
      Number.isFinite(result.value) && (bestIndex < 0 || result.value < results[bestIndex].value)
    ) bestIndex = i;
  });
  if (bestIndex < 0) bestIndex = 0;
  return { best: results[bestIndex], bestIndex, results };
}
