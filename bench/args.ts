/**
 * Command-line values of the benchmark scripts, checked: an error names the flag and what it got.
 *
 * @module
 */

/**
 * The integer `text` of flag `--flag`, at least `min`.
 *
 * @throws {RangeError} naming the flag when `text` is not an integer ≥ `min`.
 *
 * @example
 * ```ts
 * import { integerArg } from "./args.ts";
 * integerArg("20", "seeds", 1); // 20
 * ```
 */
export function integerArg(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`--${flag}: an integer ≥ ${min}, got "${text}"`);
  }
  return value;
}
