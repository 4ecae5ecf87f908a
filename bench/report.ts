/**
 * Writes `report.html` for a benchmark run: the offline report of {@linkcode renderReport} with
 * the run's tables and rows. Run directly, it re-renders the report of an earlier run from its
 * `results.json` (date, machine, notes) and `results.csv` (the rows; without summary tables, which
 * live in `summary.csv`):
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
import { readResultsCsv, type ResultRow } from "../lib/results/mod.ts";
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

if (import.meta.main) {
  const dir = Deno.args[0] ?? "out/bench";
  const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
  // The rows from results.csv: JSON has no NaN or ±Infinity (results.json holds them as null).
  const path = await writeBenchReport(dir, {
    ...results,
    rows: readResultsCsv(dir),
    tables: results.tables ?? [],
  });
  console.log(`wrote ${path}`);
}
