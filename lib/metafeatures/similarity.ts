/**
 * Dataset similarity from meta-features, as in Feurer et al. (2015, "Initializing Bayesian
 * hyperparameter optimization via meta-learning"): meta-features are min–max scaled with bounds
 * fitted on a set of tasks, and tasks are compared by the L1 distance of their scaled vectors.
 *
 * NaN policy: a NaN is ignored when fitting bounds; a coordinate that is NaN in either vector is
 * left out of a distance, and the sum over the remaining coordinates is scaled by
 * (all / used coordinates) so that distances with and without gaps stay comparable. Two vectors
 * without a single shared finite coordinate are at distance Infinity. A meta-feature that is
 * constant (or entirely NaN) over the fitted tasks scales to 0. ±Infinity is treated like NaN:
 * bounds are fitted on finite values only, and a coordinate that scales to a non-finite value
 * (an infinite meta-feature, or an overflowing span) is NaN in the scaled vector, so it is left
 * out of distances as above.
 *
 * @module
 */

import type { MetaFeatureVector } from "./extract.ts";

/** Per-meta-feature bounds for min–max scaling. */
export interface MetaFeatureScaler {
  /** The meta-feature names the bounds belong to, in order. */
  readonly names: readonly string[];
  /** Smallest finite value seen per meta-feature (NaN when none). */
  readonly min: Float64Array;
  /** Largest finite value seen per meta-feature (NaN when none). */
  readonly max: Float64Array;
}

/** A candidate's rank in {@linkcode kNearestTasks}: its index in the input and its distance. */
export interface TaskNeighbour {
  /** Position of the candidate in the input list. */
  readonly index: number;
  /** Its scaled L1 distance to the query. */
  readonly distance: number;
}

function checkNames(names: readonly string[], v: MetaFeatureVector, what: string): void {
  if (v.names.length !== v.values.length) {
    throw new Error(`${what}: ${v.names.length} names but ${v.values.length} values`);
  }
  if (v.names.length === names.length && v.names.every((n, i) => n === names[i])) return;
  const missing = names.filter((n) => !v.names.includes(n));
  const extra = v.names.filter((n) => !names.includes(n));
  const detail = missing.length || extra.length
    ? [
      missing.length ? `lacks ${missing.slice(0, 5).map((n) => `'${n}'`).join(", ")}` : "",
      extra.length ? `has extra ${extra.slice(0, 5).map((n) => `'${n}'`).join(", ")}` : "",
    ].filter(Boolean).join(" and ")
    : "has the same names in a different order";
  throw new Error(
    `${what}: meta-feature names do not match (${detail}); extract every task's meta-features ` +
      `with the same groups, summaries and extractors`,
  );
}

/**
 * Fits min–max bounds on a set of meta-feature vectors (which must share names and order).
 *
 * @example
 * ```ts
 * import { fitMetaFeatureScaler } from "./similarity.ts";
 * const scaler = fitMetaFeatureScaler([
 *   { names: ["a"], values: Float64Array.of(0) },
 *   { names: ["a"], values: Float64Array.of(10) },
 * ]);
 * console.log(scaler.min, scaler.max); // [0] [10]
 * ```
 */
export function fitMetaFeatureScaler(tasks: readonly MetaFeatureVector[]): MetaFeatureScaler {
  if (tasks.length === 0) throw new Error("tasks: needs at least one meta-feature vector");
  const names = tasks[0].names;
  tasks.forEach((t, i) => checkNames(names, t, `tasks.${i}`));
  const min = new Float64Array(names.length).fill(Infinity);
  const max = new Float64Array(names.length).fill(-Infinity);
  for (const t of tasks) {
    t.values.forEach((v, j) => {
      if (!Number.isFinite(v)) return;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    });
  }
  for (let j = 0; j < names.length; j++) {
    if (min[j] === Infinity) min[j] = max[j] = NaN;
  }
  return { names: [...names], min, max };
}

/**
 * Scales a meta-feature vector with fitted bounds ((v − min) / (max − min); 0 for a constant
 * meta-feature; values outside the fitted range fall outside [0, 1]; NaN for a NaN or ±Infinity
 * value, or whenever the scaled value is not finite, which distances treat as missing).
 *
 * @example
 * ```ts
 * import { fitMetaFeatureScaler, scaleMetaFeatures } from "./similarity.ts";
 * const a = { names: ["x"], values: Float64Array.of(2) };
 * const b = { names: ["x"], values: Float64Array.of(4) };
 * console.log(scaleMetaFeatures(b, fitMetaFeatureScaler([a, b]))); // Float64Array [1]
 * ```
 */
export function scaleMetaFeatures(v: MetaFeatureVector, scaler: MetaFeatureScaler): Float64Array {
  checkNames(scaler.names, v, "metaFeatures");
  return v.values.map((x, j) => {
    if (!Number.isFinite(x)) return NaN;
    const span = scaler.max[j] - scaler.min[j];
    const scaled = span > 0 ? (x - scaler.min[j]) / span : 0;
    return Number.isFinite(scaled) ? scaled : NaN;
  });
}

function scaledDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0, used = 0;
  for (let j = 0; j < a.length; j++) {
    const d = Math.abs(a[j] - b[j]);
    if (Number.isNaN(d)) continue;
    sum += d;
    used++;
  }
  return used === 0 ? Infinity : (sum * a.length) / used;
}

/**
 * The L1 distance between two meta-feature vectors after min–max scaling (see the module docs
 * for NaN handling).
 *
 * @example
 * ```ts
 * import { fitMetaFeatureScaler, metaFeatureDistance } from "./similarity.ts";
 * const a = { names: ["x", "y"], values: Float64Array.of(0, 0) };
 * const b = { names: ["x", "y"], values: Float64Array.of(1, 10) };
 * console.log(metaFeatureDistance(a, b, fitMetaFeatureScaler([a, b]))); // 2
 * ```
 */
export function metaFeatureDistance(
  a: MetaFeatureVector,
  b: MetaFeatureVector,
  scaler: MetaFeatureScaler,
): number {
  return scaledDistance(scaleMetaFeatures(a, scaler), scaleMetaFeatures(b, scaler));
}

/**
 * The k candidates nearest to `query` by {@linkcode metaFeatureDistance}, nearest first (ties:
 * lower index first). Without a scaler, bounds are fitted on the candidates and the query.
 *
 * @example
 * ```ts
 * import { kNearestTasks } from "./similarity.ts";
 * const v = (x: number) => ({ names: ["x"], values: Float64Array.of(x) });
 * console.log(kNearestTasks(v(0.9), [v(0), v(1), v(0.5)], 2)); // indices 1, 2
 * ```
 */
export function kNearestTasks(
  query: MetaFeatureVector,
  candidates: readonly MetaFeatureVector[],
  k: number,
  scaler: MetaFeatureScaler = fitMetaFeatureScaler([...candidates, query]),
): TaskNeighbour[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k: must be a positive integer, got ${k}`);
  candidates.forEach((c, i) => checkNames(scaler.names, c, `candidates.${i}`));
  const q = scaleMetaFeatures(query, scaler);
  return candidates
    .map((c, index) => ({ index, distance: scaledDistance(q, scaleMetaFeatures(c, scaler)) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, k);
}
