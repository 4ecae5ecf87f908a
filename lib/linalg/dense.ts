/**
 * Small dense helpers around row-major `Float64Array` matrices: packing point sets into rows,
 * dot products and matrix–vector products.
 *
 * @module
 */

/**
 * Packs points (one `Float64Array` each, all of length `dim`) into one row-major m×dim matrix.
 *
 * @throws {RangeError} when a point has the wrong length.
 *
 * @example
 * ```ts
 * import { packRows } from "./dense.ts";
 * packRows([new Float64Array([1, 2]), new Float64Array([3, 4])], 2); // [1, 2, 3, 4]
 * ```
 */
export function packRows(points: readonly Float64Array[], dim: number): Float64Array {
  const out = new Float64Array(points.length * dim);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.length !== dim) {
      throw new RangeError(`points[${i}]: expected ${dim} coordinates, got ${p.length}`);
    }
    out.set(p, i * dim);
  }
  return out;
}

/**
 * Dot product of two equally long vectors.
 *
 * @example
 * ```ts
 * import { dot } from "./dense.ts";
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // 11
 * ```
 */
export function dot(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`dot: lengths differ (${a.length}, ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * y = A·x for a row-major rows×cols matrix A.
 *
 * @example
 * ```ts
 * import { matVec } from "./dense.ts";
 * matVec(new Float64Array([1, 2, 3, 4]), 2, 2, new Float64Array([1, 1])); // [3, 7]
 * ```
 */
export function matVec(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  out: Float64Array = new Float64Array(rows),
): Float64Array {
  if (a.length !== rows * cols) {
    throw new RangeError(`matVec: matrix length ${a.length} is not ${rows}×${cols}`);
  }
  if (x.length !== cols) throw new RangeError(`matVec: vector length ${x.length} is not ${cols}`);
  if (out.length !== rows) throw new RangeError(`matVec: out length ${out.length} is not ${rows}`);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[base + j] * x[j];
    out[i] = s;
  }
  return out;
}
