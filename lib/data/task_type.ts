/**
 * The rules of a target column, used by {@linkcode prepareDataset} and by the meta-feature context
 * alike, so that a table gets the same task, and is accepted or refused, wherever it goes:
 * {@linkcode inferTaskType} decides whether it is a classification or a regression target (pass
 * `task` explicitly to either to override it), and {@linkcode classCountIssue} requires at least
 * 2 classes of a classification target.
 *
 * @module
 */

/** Learning task of a target column. */
export type TaskType = "classification" | "regression";

/**
 * Defaults of {@linkcode inferTaskType}: `maxClasses` (20) bounds the distinct integer values a
 * numeric target may have and still be read as class labels.
 *
 * @example
 * ```ts
 * import { TASK_TYPE_DEFAULTS } from "./task_type.ts";
 * console.log(TASK_TYPE_DEFAULTS.maxClasses); // 20
 * ```
 */
export const TASK_TYPE_DEFAULTS: { readonly maxClasses: number } = Object.freeze({
  maxClasses: 20,
});

/**
 * The task a target column implies. Missing values (`null`, `undefined`, `""`, NaN, ±Infinity)
 * are ignored; of the rest:
 *
 * - **classification** when any value is not a number (text, a boolean, a Date), or when every
 *   value is an integer and there are at most `maxClasses` distinct values (0/1 labels or class
 *   codes read from a CSV file are numbers);
 * - **regression** otherwise (a non-integer value, or more than `maxClasses` distinct integers).
 *
 * This is scikit-learn's `type_of_target` distinction (integral values are labels, non-integral
 * values are continuous) with a cap on the number of classes, as counts and ages are integral too.
 * A column without any present value is classification (there is nothing numeric to regress on;
 * the callers then report the empty target).
 *
 * @param values The target column's cells (an arquero column, an array, a typed array).
 * @param options `maxClasses`, default {@linkcode TASK_TYPE_DEFAULTS}`.maxClasses`.
 * @example
 * ```ts
 * import { inferTaskType } from "./task_type.ts";
 * inferTaskType(["a", "b", "a"]); // "classification"
 * inferTaskType([0, 1, 1, 0]); // "classification"
 * inferTaskType([1.5, 2.25, 3]); // "regression"
 * inferTaskType(Array.from({ length: 30 }, (_, i) => i)); // "regression" (30 distinct integers)
 * ```
 */
export function inferTaskType(
  values: ArrayLike<unknown>,
  options: { maxClasses?: number } = {},
): TaskType {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError("inferTaskType.values: must be an array of cells");
  }
  const maxClasses = options?.maxClasses ?? TASK_TYPE_DEFAULTS.maxClasses;
  if (!Number.isInteger(maxClasses) || maxClasses < 2) {
    throw new TypeError(`inferTaskType.options.maxClasses: must be an integer ≥ 2`);
  }
  const distinct = new Set<number>();
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === "") continue;
    if (typeof v !== "number") return "classification";
    if (!Number.isFinite(v)) continue;
    present++;
    if (!Number.isInteger(v)) return "regression";
    distinct.add(v);
  }
  if (present === 0) return "classification";
  return distinct.size <= maxClasses ? "classification" : "regression";
}

/**
 * The class rule of a classification target: its present values must hold at least 2 distinct
 * classes (a single class leaves nothing to discriminate: no stratified split, no class entropy,
 * no classifier to fit). Returns what is wrong, to be prefixed with the column's name, or
 * `undefined` when the distinct labels `classes` can be the classes of a classification target.
 * `prepareDataset` and `extractMetaFeatures` both refuse a target this rule refuses.
 *
 * @param classes The distinct class labels of the target's present values.
 * @example
 * ```ts
 * import { classCountIssue } from "./task_type.ts";
 * classCountIssue(["a", "b"]); // undefined
 * classCountIssue(["a"]); // "has a single class 'a'; a classification target needs at least 2"
 * ```
 */
export function classCountIssue(classes: readonly string[]): string | undefined {
  if (classes.length >= 2) return undefined;
  return classes.length === 0
    ? "has no class (no present value); a classification target needs at least 2"
    : `has a single class '${classes[0]}'; a classification target needs at least 2`;
}
