/**
 * The check of a sample handed to the interval and summary functions of `lib/stats`.
 *
 * @module
 */
import { describeValue } from "../validate.ts";

/**
 * Throws a `TypeError` naming the function and the field unless `values` is an array or typed
 * array of numbers (`meanInterval values: must be an array of numbers, got undefined`,
 * `summarise values[2]: must be a number, got string`). An empty sample passes.
 *
 * @example
 * ```ts
 * import { checkSample } from "./_sample.ts";
 * checkSample([1, NaN, 3], "meanInterval values"); // passes: NaN is a number
 * ```
 */
export function checkSample(values: unknown, label: string): asserts values is ArrayLike<number> {
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    throw new TypeError(`${label}: must be an array of numbers, got ${describeValue(values)}`);
  }
  const sample = values as ArrayLike<unknown>;
  for (let i = 0; i < sample.length; i++) {
    if (typeof sample[i] !== "number") {
      throw new TypeError(`${label}[${i}]: must be a number, got ${typeof sample[i]}`);
    }
  }
}
