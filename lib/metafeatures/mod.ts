/**
 * Meta-features of tabular datasets (pymfe's groups general, statistical, info-theory,
 * landmarking and model-based) and dataset similarity for warm starts (min–max scaled L1
 * distance, Feurer et al. 2015).
 *
 * @example
 * ```ts
 * import { extractMetaFeatures, kNearestTasks } from "./mod.ts";
 * // A table is named columns (or an arquero table, e.g. from `tableFromCsv` of `./data`).
 * const make = (shift: number) => ({
 *   x: Array.from({ length: 40 }, (_, i) => i + shift),
 *   y: Array.from({ length: 40 }, (_, i) => (i < 20 ? "a" : "b")),
 * });
 * const tasks = [0, 5, 50].map((s) => extractMetaFeatures(make(s), { target: "y", seed: 1 }));
 * console.log(kNearestTasks(tasks[0], tasks.slice(1), 1));
 * ```
 *
 * @module
 */

export {
  CONTEXT_DEFAULTS,
  type ContextSettings,
  type DesignMatrix,
  type DiscreteColumn,
  type FeatureColumn,
  type FeatureKind,
  MetaFeatureContext,
  type Task,
} from "./context.ts";
export { type MetaFeatureExtractor, MetaFeatureUnavailable } from "./extractor.ts";
export {
  DEFAULT_EXTRACTORS,
  extractMetaFeatures,
  METAFEATURE_DEFAULTS,
  type MetaFeatureOptions,
  MetaFeatures,
  type MetaFeatureTable,
  type MetaFeatureVector,
  type TableInput,
} from "./extract.ts";
export { metaFeatureOrder } from "./order.ts";
export type { Rng } from "../random/rng.ts";
export { SUMMARY_FUNCTIONS, type SummaryFunction } from "./summary.ts";
export {
  fitMetaFeatureScaler,
  kNearestTasks,
  metaFeatureDistance,
  type MetaFeatureScaler,
  scaleMetaFeatures,
  type TaskNeighbour,
} from "./similarity.ts";
