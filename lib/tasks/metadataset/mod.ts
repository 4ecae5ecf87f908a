/**
 * The generated tabular HPO meta-dataset (HPO-B style): a fixed, seeded design of configurations
 * of softmax / linear regression and an MLP, evaluated on every built-in dataset and on seeded
 * subsampled variants. Committed under `datasets/metadataset/`, so transfer benchmarks run in
 * seconds in pool mode. Regenerate with `deno task datasets`.
 *
 * @example
 * ```ts
 * import { loadMetaDataset, normalizedRegret, poolTasks } from "./mod.ts";
 * const md = await loadMetaDataset();
 * const pools = poolTasks(md, { model: "linear" }); // for tabularProblems(md.spaces.linear, pools)
 * const task = md.tasks[0];
 * const regret = normalizedRegret(task, Math.min(...task.validationError.slice(0, 5)));
 * ```
 *
 * @module
 */
export {
  type DatasetRecord,
  GENERATOR_VERSION,
  type GeneratorSettings,
  type MetaDatasetFile,
  type ProvenanceFile,
  SIGNIFICANT_DIGITS,
  type TaskRecord,
} from "./format.ts";
export {
  formatMetaDataset,
  type GeneratedMetaDataset,
  generateMetaDataset,
  type GenerateOptions,
  GENERATOR_DEFAULTS,
} from "./generate.ts";
export {
  loadMetaDataset,
  type LoadMetaDatasetOptions,
  type MetaDataset,
  type MetaMetric,
  type MetaTask,
  normalizedRegret,
  type PoolTask,
  type PoolTaskOptions,
  poolTasks,
} from "./load.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type * from "../hpo/mod.ts";
