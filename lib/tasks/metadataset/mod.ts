/**
 * The generated tabular HPO meta-datasets (HPO-B style): a fixed, seeded design of configurations
 * per model, evaluated on many datasets. Two are committed, so transfer benchmarks run in seconds
 * in pool mode: `datasets/metadataset/` (softmax / linear regression and an MLP on every built-in
 * dataset and on seeded subsampled variants; `deno task datasets`) and `datasets/pmlb-metadataset/`
 * (the `hpoTask` models on 53 real PMLB datasets; `deno task datasets:pmlb`).
 *
 * @example
 * ```ts
 * import { loadMetaDataset, normalizedRegret, poolTasks } from "./mod.ts";
 * const md = await loadMetaDataset();
 * const pools = poolTasks(md, { model: "linear" }); // for tabularProblems(md.spaces.linear, pools)
 * const task = md.tasks[0];
 * const regret = normalizedRegret(task, Math.min(...task.validationError.slice(0, 5)));
 * const pmlb = await loadMetaDataset({ name: "pmlb" });
 * poolTasks(pmlb, { model: "mlp" }).length; // 53
 * ```
 *
 * @module
 */
export {
  type Configuration,
  type ConfigValue,
  type DatasetRecord,
  GENERATOR_VERSION,
  type GeneratorSettings,
  type MetaDatasetFile,
  type ModelDesign,
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
  buildMetaDataset,
  type DatasetDescription,
  type DatasetPlan,
  datasetRecord,
  type MetaDatasetBuild,
  metaDesign,
} from "./build.ts";
export {
  generatePmlbMetaDataset,
  type GeneratePmlbOptions,
  PMLB_GENERATOR_DEFAULTS,
  pmlbDesigns,
} from "./pmlb.ts";
export {
  type CommittedMetaDataset,
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
