/**
 * Benchmark results in one long format (one {@linkcode ResultRow} per suite, task, method, seed,
 * step and metric) and their CSV form: the plain data that the benchmark writes and the figures
 * and reports read.
 *
 * @example
 * ```ts
 * import { type ResultRow, toCsv } from "./mod.ts";
 * const rows: ResultRow[] = [
 *   { suite: "smbo", task: "branin", method: "gp-logei", seed: 0, step: 50, metric: "regret", value: 1e-4 },
 * ];
 * toCsv(rows);
 * ```
 *
 * @module
 */
export { recordsToCsv, type ResultRow, toCsv } from "./results.ts";
export { markdownTable, recordsMarkdown } from "./markdown.ts";
export {
  type CommittedProvenance,
  commitText,
  parseResultsCsv,
  parseSummaryCsv,
  provenanceLine,
  readProvenance,
  readResultsCsv,
  readSummaryCsv,
  type SummaryCsvTable,
  summaryTable,
} from "./committed.ts";
