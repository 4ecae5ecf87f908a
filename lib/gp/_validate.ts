/**
 * Internal: checks of point sets whose errors name the bad point (`fitGP: x[3][1]: must be
 * finite, got NaN`).
 *
 * @module
 */
/**
 * Checks a set of points: non-empty when `allowEmpty` is false, every point a `Float64Array` of
 * length `dim` with finite coordinates. Throws a `RangeError`/`TypeError` naming the bad point.
 */
export function checkPoints(
  points: readonly Float64Array[],
  dim: number,
  label: string,
  allowEmpty = false,
): void {
  if (!Array.isArray(points)) throw new TypeError(`${label}: must be an array of Float64Array`);
  if (!allowEmpty && points.length === 0) throw new RangeError(`${label}: must not be empty`);
  for (let i = 0; i < points.length; i++) checkPoint(points[i], dim, `${label}[${i}]`);
}

/** Checks one point: a `Float64Array` of length `dim` with finite coordinates. */
export function checkPoint(point: Float64Array, dim: number, label: string): void {
  if (!(point instanceof Float64Array)) throw new TypeError(`${label}: must be a Float64Array`);
  if (point.length !== dim) {
    throw new RangeError(`${label}: expected ${dim} coordinates, got ${point.length}`);
  }
  for (let j = 0; j < dim; j++) {
    if (!Number.isFinite(point[j])) {
      throw new RangeError(`${label}[${j}]: must be finite, got ${point[j]}`);
    }
  }
}
