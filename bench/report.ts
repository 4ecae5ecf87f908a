/**
 * Writes `report.html` for a benchmark run: the offline report of {@linkcode renderReport} with
 * the run's tables and rows. Run directly, it re-renders the report of an earlier run from its
 * `results.json` (without summary tables, which live in `summary.csv`):
 *
 * ```sh
 * deno run --allow-read --allow-write bench/report.ts out/bench
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeReport } from "../lib/viz/report.ts";
import type { ResultRow } from "../lib/results/mod.ts";
import type { SummaryTable } from "./suites/types.ts";

/** What a benchmark run hands to the report. */
export interface BenchRun {
  /** When the run started or ended (ISO 8601). */
  date: string;
  /** The machine it ran on. */
  machine: string;
  /** Remarks collected by the suites. */
  notes: readonly string[];
  /** All result rows. */
  rows: readonly ResultRow[];
  /** Summary tables (titles prefixed with the suite). */
  tables: readonly SummaryTable[];
}

/**
 * Writes `DIR/report.html` and returns its path.
 *
 * @example
 * ```ts ignore
 * import { writeBenchReport } from "./report.ts";
 * await writeBenchReport("out/bench", {
 *   date: new Date().toISOString(), machine: "linux", notes: [], rows: [], tables: [],
 * });
 * ```
 */
export async function writeBenchReport(outDir: string, run: BenchRun): Promise<string> {
  const path = join(outDir, "report.html");
  await writeReport(path, { title: "metahpo benchmark report", ...run });
  return path;
}

/**
 * The rows of a run's `results.json` as the report takes them. JSON has no NaN or ±Infinity:
 * `JSON.stringify` wrote them as `null`, which is read back as NaN (a diverged value either way).
 *
 * @example
 * ```ts
 * import { rowsFromResultsJson } from "./report.ts";
 * rowsFromResultsJson([{ suite: "s", task: "t", method: "m", seed: 0, step: 1, metric: "mse", value: null }])[0].value; // NaN
 * ```
 */
export function rowsFromResultsJson(
  rows: readonly (Omit<ResultRow, "value"> & { value: number | null })[],
): ResultRow[] {
  return rows.map((r) => ({ ...r, value: r.value === null ? NaN : r.value }));
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "out/bench";
  const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
  const path = await writeBenchReport(dir, {
    ...results,
    rows: rowsFromResultsJson(results.rows ?? []),
    tables: results.tables ?? [],
  });
  console.log(`wrote ${path}`);
}
