/**
 * Benchmark results in one long format — one row per (suite, task, method, seed, step, metric) —
 * written as CSV and JSON so that tables, plots and the HTML report all read the same records.
 *
 * @module
 */

/**
 * One measured number.
 *
 * @example
 * ```ts
 * import type { ResultRow } from "./results.ts";
 * const row: ResultRow = {
 *   suite: "smbo", task: "branin", method: "gp-logei", seed: 0, step: 50,
 *   metric: "regret", value: 1e-4,
 * };
 * ```
 */
export interface ResultRow {
  /** Benchmark suite, e.g. `smbo`, `perf`, `maml`. */
  suite: string;
  /** Task within the suite, e.g. a function or dataset name. */
  task: string;
  /** Method measured, e.g. `gp-logei`, `random`, `optuna-tpe`. */
  method: string;
  /** Seed of the run, or -1 for a figure aggregated over seeds (e.g. a peer's median). */
  seed: number;
  /** Budget or step at which the value was taken (evaluations, adaptation steps), or 0. */
  step: number;
  /** What was measured, e.g. `regret`, `seconds`, `mse`. */
  metric: string;
  /**
   * The value: NaN when a run diverged (±Infinity too, where summaries and curves count every
   * non-finite value as diverged, by the rule of `summariseFinite`).
   */
  value: number;
}

const COLUMNS = ["suite", "task", "method", "seed", "step", "metric", "value"] as const;

/**
 * Results as CSV with a header line; text fields quoted when needed.
 *
 * @example
 * ```ts
 * import { toCsv } from "./results.ts";
 * toCsv([{ suite: "s", task: "t", method: "m", seed: 0, step: 1, metric: "x", value: 2 }]);
 * ```
 */
export function toCsv(rows: readonly ResultRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const row of rows) lines.push(COLUMNS.map((c) => csvField(row[c])).join(","));
  return lines.join("\n") + "\n";
}

/**
 * The columns of a list of flat records: every key of any record, in the order keys first appear
 * (the first record's, then each later record's new ones), so that no value is left out.
 *
 * @example
 * ```ts
 * import { recordColumns } from "./results.ts";
 * recordColumns([{ method: "gp" }, { method: "rf", extra: 1 }]); // ["method", "extra"]
 * ```
 */
export function recordColumns(records: readonly Record<string, unknown>[]): string[] {
  const columns = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) columns.add(key);
  return [...columns];
}

/**
 * Any list of flat records as CSV, with {@linkcode recordColumns}' columns (a key a record lacks
 * is an empty field).
 *
 * @example
 * ```ts
 * import { recordsToCsv } from "./results.ts";
 * recordsToCsv([{ method: "gp", median: 0.1 }]); // "method,median\ngp,0.1\n"
 * ```
 */
export function recordsToCsv(records: readonly Record<string, unknown>[]): string {
  if (records.length === 0) return "";
  const columns = recordColumns(records);
  const lines = [columns.map(csvField).join(",")];
  for (const record of records) lines.push(columns.map((c) => csvField(record[c])).join(","));
  return lines.join("\n") + "\n";
}

function csvField(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  const text = String(value ?? "");
  // Quoted also when it starts with "#": a summary's "# title" lines are told apart by that.
  return /^#|[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
