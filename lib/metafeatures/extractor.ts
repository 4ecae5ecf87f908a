/**
 * The contract of one meta-feature: a small object that reads the prepared
 * {@linkcode MetaFeatureContext} and returns either one number or one number per feature (or per
 * fold, pair, …) that summary functions then reduce.
 *
 * @module
 */

import type { MetaFeatureContext, Task } from "./context.ts";

/**
 * One meta-feature measure. A `"scalar"` extractor yields the value named `name`; a `"vector"`
 * extractor yields values that every requested summary function reduces into `name.summary`
 * (or `name.summary.i` for summaries with several outputs). Throw
 * {@linkcode MetaFeatureUnavailable} to report why a value cannot be computed: it becomes NaN
 * with that reason.
 *
 * @example
 * ```ts
 * import type { MetaFeatureExtractor } from "./extractor.ts";
 * const rowsPerClass: MetaFeatureExtractor = {
 *   group: "custom",
 *   name: "rows_per_class",
 *   kind: "scalar",
 *   tasks: ["classification"],
 *   compute: (ctx) => ctx.rows / ctx.classes.length,
 * };
 * ```
 */
export interface MetaFeatureExtractor {
  /** The group the measure belongs to (selected with the `groups` option). */
  readonly group: string;
  /** The measure's name; output names derive from it. */
  readonly name: string;
  /** One value, or a vector reduced by summary functions. */
  readonly kind: "scalar" | "vector";
  /** The tasks the measure is defined for (default: both); others give NaN with a reason. */
  readonly tasks?: readonly Task[];
  /** Computes the value(s); may throw {@linkcode MetaFeatureUnavailable}. */
  compute(ctx: MetaFeatureContext): number | Float64Array;
}

/**
 * Thrown by an extractor when its measure is undefined for the data; the message becomes the
 * recorded reason for the NaN.
 *
 * @example
 * ```ts
 * import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "./extractor.ts";
 * const firstMean: MetaFeatureExtractor = {
 *   group: "custom",
 *   name: "first_mean",
 *   kind: "scalar",
 *   compute: (ctx) => {
 *     const [first] = ctx.numericColumns();
 *     if (!first) throw new MetaFeatureUnavailable("no numeric features"); // → NaN + reason
 *     return first.reduce((a, b) => a + b, 0) / first.length;
 *   },
 * };
 * ```
 */
export class MetaFeatureUnavailable extends Error {
  /** Creates the error with the reason shown next to the NaN value. */
  constructor(reason: string) {
    super(reason);
    this.name = "MetaFeatureUnavailable";
  }
}
