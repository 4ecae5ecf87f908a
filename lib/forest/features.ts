/**
 * Feature matrices of the forest learners: the accepted input shapes, the declared type of each
 * feature (numeric, or categorical with `levels` values coded 0 … levels−1), and their checks.
 * NaN marks a missing or inactive value in either type.
 *
 * @module
 */

/**
 * The type of one feature: numeric (ordered; any finite value), or categorical with `levels`
 * values coded 0 … levels−1 (unordered; split as a subset of levels). NaN is a missing value.
 */
export type FeatureSpec =
  | { readonly type: "numeric" }
  | { readonly type: "categorical"; readonly levels: number };

/**
 * A feature matrix: one array per row, or a row-major `Float64Array` with its shape.
 */
export type FeatureMatrix =
  | readonly ArrayLike<number>[]
  | { readonly data: Float64Array; readonly rows: number; readonly cols: number };

/**
 * The row-major data and shape of a feature matrix, checked: every row has `cols` values (the
 * first row's length when `cols` is undefined), numeric values are finite or NaN, categorical
 * values are integers in [0, levels) or NaN. Errors start with `label` and name the cell.
 *
 * @example
 * ```ts
 * import { toRowMajor } from "./features.ts";
 * const m = toRowMajor([[1, 0], [2, 1]], undefined, [{ type: "numeric" }, {
 *   type: "categorical",
 *   levels: 2,
 * }], "fit: x");
 * m.data; // Float64Array [1, 0, 2, 1]
 * ```
 */
export function toRowMajor(
  x: FeatureMatrix,
  cols: number | undefined,
  features: readonly FeatureSpec[] | undefined,
  label: string,
): { data: Float64Array; rows: number; cols: number } {
  let data: Float64Array;
  let rows: number;
  let width: number;
  if (Array.isArray(x)) {
    rows = x.length;
    if (rows === 0) throw new RangeError(`${label}: must have at least one row`);
    width = cols ?? (x[0] as ArrayLike<number>)?.length;
    if (!Number.isInteger(width) || width < 1) {
      throw new TypeError(`${label}[0]: must be an array of at least one number`);
    }
    data = new Float64Array(rows * width);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as ArrayLike<number> | undefined;
      if (row === null || typeof row !== "object" || typeof row.length !== "number") {
        throw new TypeError(`${label}[${i}]: must be an array of numbers`);
      }
      if (row.length !== width) {
        throw new RangeError(`${label}[${i}]: expected ${width} values, got ${row.length}`);
      }
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== "number") {
          throw new TypeError(`${label}[${i}][${j}]: must be a number, got ${typeof v}`);
        }
        data[i * width + j] = v;
      }
    }
  } else if (x !== null && typeof x === "object" && "data" in x) {
    const matrix = x as { data: unknown; rows: unknown; cols: unknown };
    if (!(matrix.data instanceof Float64Array)) {
      throw new TypeError(`${label}.data: must be a Float64Array`);
    }
    if (!Number.isInteger(matrix.rows) || (matrix.rows as number) < 1) {
      throw new RangeError(`${label}.rows: must be a positive integer`);
    }
    if (!Number.isInteger(matrix.cols) || (matrix.cols as number) < 1) {
      throw new RangeError(`${label}.cols: must be a positive integer`);
    }
    rows = matrix.rows as number;
    width = matrix.cols as number;
    if (cols !== undefined && width !== cols) {
      throw new RangeError(`${label}.cols: expected ${cols}, got ${width}`);
    }
    if (matrix.data.length !== rows * width) {
      throw new RangeError(`${label}.data: expected rows × cols = ${rows * width} values`);
    }
    data = matrix.data;
  } else {
    throw new TypeError(`${label}: must be an array of rows or { data, rows, cols }`);
  }
  if (features !== undefined && features.length !== width) {
    throw new RangeError(`${label}: has ${width} columns but ${features.length} feature types`);
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) {
      const v = data[i * width + j];
      if (v !== v) continue;
      const spec = features?.[j];
      if (spec?.type === "categorical") {
        if (!Number.isInteger(v) || v < 0 || v >= spec.levels) {
          throw new RangeError(
            `${label}[${i}][${j}]: categorical feature with ${spec.levels} levels needs an ` +
              `integer in [0, ${spec.levels}) or NaN, got ${v}`,
          );
        }
      } else if (!Number.isFinite(v)) {
        throw new RangeError(`${label}[${i}][${j}]: must be finite or NaN (missing), got ${v}`);
      }
    }
  }
  return { data, rows, cols: width };
}

/** The number of levels of each feature (0 for numeric), for the tree grower. */
export function featureLevels(
  features: readonly FeatureSpec[] | undefined,
  cols: number,
): Int32Array {
  const levels = new Int32Array(cols);
  if (features) {
    for (let j = 0; j < cols; j++) {
      const spec = features[j];
      if (spec.type === "categorical") levels[j] = spec.levels;
    }
  }
  return levels;
}
