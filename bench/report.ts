/**
 * Writes `report.html` for a benchmark run: the offline report of {@linkcode renderReport} with
 * the run's tables and rows. Run directly, it re-renders the report of an earlier run from its
 * `results.json` (date, machine, notes), `results.csv` (the rows) and `summary.csv` (the summary
 * tables), as {@linkcode rewriteBenchReport} does, after checking that the folder holds one
 * finished run (`checkFinishedRun`: a folder that a run did not finish, or whose files are not all
 * those its `provenance.json` lists, is refused with status 1; a folder written before
 * `provenance.json` listed the files is read when its files agree with each other, with a warning
 * that they cannot be checked against the run):
 *
 * ```sh
 * deno run --allow-read --allow-write bench/report.ts out/bench
 * ```
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ReportInput, writeReport } from "../lib/viz/report.ts";
import { readResultsCsv, readSummaryCsv, type ResultRow } from "../lib/results/mod.ts";
import {
  transferCurveFigure,
  transferCurves,
  type TransferMethod,
  type TransferRun,
} from "../lib/protocols/leave_one_task_out.ts";
import { logAxisFits } from "../lib/viz/_validate.ts";
import type { SummaryTable } from "./suites/types.ts";
import { transferProblemSet } from "./suites/transfer.ts";
import { checkFinishedRun } from "./provenance.ts";

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

/** A summary table as the report takes it: a cell `null` is a combination that was not run. */
export interface ReportTable {
  /** Heading of the table. */
  title: string;
  /** Rows. */
  records: Record<string, string | number | null>[];
}

/**
 * The summary tables with every NaN cell of a combination that was not run set to `null`, which
 * the report shows as "not run". A suite's table holds NaN both where a method did not run on a
 * task (e.g. a peer run on fewer functions at quick size) and where a run diverged; the rows tell
 * them apart: a run that happened left rows (a diverged one with the value NaN), one that did not
 * left none.
 *
 * A cell names its combination through the tasks and methods of the rows that are string values
 * of its record or whole words of its column's name (`botorch-logei`, `gp-logei / botorch-logei`,
 * `botorch-logei s/trial`). A NaN cell naming a method without a row of the table's suite (the
 * title's prefix `suite: `; any suite without one) for the task it names, or for any task when it
 * names none, was not run. A NaN cell naming no method of the rows keeps its NaN: nothing tells
 * what it is.
 *
 * @example
 * ```ts
 * import { markNotRun } from "./report.ts";
 * const rows = [
 *   { suite: "smbo", task: "branin", method: "tpe", seed: 0, step: 50, metric: "regret", value: NaN },
 * ];
 * const [table] = markNotRun([{
 *   title: "smbo: median regret",
 *   records: [{ function: "branin", tpe: NaN }, { function: "levy4", tpe: NaN }],
 * }], rows);
 * table.records; // [{ function: "branin", tpe: NaN }, { function: "levy4", tpe: null }]
 * ```
 */
export function markNotRun(
  tables: readonly SummaryTable[],
  rows: readonly ResultRow[],
): ReportTable[] {
  const suites = [...new Set(rows.map((r) => r.suite))].sort((a, b) => b.length - a.length);
  const tasks = new Set(rows.map((r) => r.task));
  const methods = new Set(rows.map((r) => r.method));
  const named = (text: string, names: Set<string>) =>
    [...names].filter((name) => wordIn(name, text));
  return tables.map((table) => {
    const suite = suites.find((s) => table.title.startsWith(`${s}: `));
    const scoped = suite === undefined ? rows : rows.filter((r) => r.suite === suite);
    const ran = new Set(scoped.map((r) => JSON.stringify([r.task, r.method])));
    const notRun = (record: SummaryTable["records"][number], column: string): boolean => {
      const values = Object.values(record).filter((v): v is string => typeof v === "string");
      const cellTasks = new Set([...values.filter((v) => tasks.has(v)), ...named(column, tasks)]);
      const cellMethods = new Set([
        ...values.filter((v) => methods.has(v)),
        ...named(column, methods),
      ]);
      return [...cellMethods].some((method) =>
        cellTasks.size === 0
          ? !scoped.some((r) => r.method === method)
          : [...cellTasks].every((task) => !ran.has(JSON.stringify([task, method])))
      );
    };
    return {
      title: table.title,
      records: table.records.map((record) =>
        Object.fromEntries(
          Object.entries(record).map(([column, value]) => [
            column,
            typeof value === "number" && Number.isNaN(value) && notRun(record, column)
              ? null
              : value,
          ]),
        )
      ),
    };
  });
}

// Whether `name` occurs in `text` as a whole word: not inside a longer name such as
// "optuna-random" for "random" (names hold letters, digits, "-", "_" and ".").
function wordIn(name: string, text: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w.-])`).test(text);
}

/** The metric of the per-step rows of the transfer suites (`bench/suites/transfer.ts`). */
export const TRANSFER_METRIC = "normalized_regret";

/**
 * The leave-one-task-out runs that a problem set's {@linkcode TRANSFER_METRIC} rows record (one
 * per task, method and seed, in the rows' order), with the steps they were recorded at, ascending.
 * A run's `regret` holds its recorded value at each of those steps; the entries between them
 * repeat the next recorded value and are never read: drawn at `steps`, the curves of
 * `transferCurves` are those of the original runs there.
 *
 * @throws {TypeError} for a row of another metric, or a value that is not a finite number (a
 * normalised regret always is), naming the row.
 * @throws {RangeError} when two rows record the same run and step, or a run lacks a step that
 * another one has.
 * @example
 * ```ts
 * import { transferRunsFromRows } from "./report.ts";
 * const row = (seed: number, step: number, value: number) => ({
 *   suite: "transfer", task: "branin/0/0", method: "gp", seed, step, metric: "normalized_regret", value,
 * });
 * const { runs, steps } = transferRunsFromRows([row(0, 1, 0.5), row(0, 5, 0.1)]);
 * steps; // [1, 5]
 * runs[0].regret; // [0.5, 0.1, 0.1, 0.1, 0.1]
 * ```
 */
export function transferRunsFromRows(
  rows: readonly ResultRow[],
): { runs: TransferRun[]; steps: number[] } {
  const recorded = new Map<string, { run: TransferRun; values: Map<number, number> }>();
  rows.forEach((row, i) => {
    const where = `transferRunsFromRows rows[${i}] (${
      JSON.stringify(`${row.task} ${row.method} seed ${row.seed} step ${row.step}`)
    })`;
    if (row.metric !== TRANSFER_METRIC) {
      throw new TypeError(`${where}.metric: must be "${TRANSFER_METRIC}", got "${row.metric}"`);
    }
    if (!Number.isFinite(row.value)) {
      throw new TypeError(`${where}.value: must be a finite number, got ${row.value}`);
    }
    const key = JSON.stringify([row.task, row.method, row.seed]);
    if (!recorded.has(key)) {
      recorded.set(key, {
        run: {
          problem: row.task,
          method: row.method as TransferMethod,
          seed: row.seed,
          regret: [],
          // Not drawn: the rows' own `seconds` metric keeps it.
          seconds: NaN,
        },
        values: new Map(),
      });
    }
    const { values } = recorded.get(key)!;
    if (values.has(row.step)) throw new RangeError(`${where}: repeats a recorded step of its run`);
    values.set(row.step, row.value);
  });
  const steps = [...new Set(rows.map((r) => r.step))].sort((a, b) => a - b);
  const runs = [...recorded.values()].map(({ run, values }) => {
    const missing = steps.find((step) => !values.has(step));
    if (missing !== undefined) {
      throw new RangeError(
        `transferRunsFromRows rows: the run of ${
          JSON.stringify(run.problem)
        }, method "${run.method}", seed ${run.seed} has no row at step ${missing}, which others have`,
      );
    }
    const regret: number[] = [];
    for (const step of steps) while (regret.length < step) regret.push(values.get(step)!);
    return { ...run, regret };
  });
  return { runs, steps };
}

/**
 * The report's figures of the transfer suites' runs: for each suite with
 * {@linkcode TRANSFER_METRIC} rows and each of its problem sets (`transferProblemSet`, in the
 * order of the rows), `transferCurveFigure` of the set's runs ({@linkcode transferRunsFromRows}):
 * per method, the mean normalised regret over the held-out tasks, each task's seeds averaged
 * first, with its 95% interval over tasks, at the recorded steps (HPO-B's protocol, Pineda Arango
 * et al. 2021). The y axis is logarithmic where every mean drawn is > 0 and linear where a method
 * reached the optimum on every held-out task and seed (a mean of 0).
 *
 * @example
 * ```ts
 * import { transferFigureGroups } from "./report.ts";
 * const rows = ["branin/0/0", "branin/0/1"].flatMap((task, t) =>
 *   [1, 5].map((step) => ({
 *     suite: "transfer", task, method: "gp", seed: 0, step, metric: "normalized_regret",
 *     value: (t + 1) / (step + 1),
 *   }))
 * );
 * const [branin] = transferFigureGroups(rows);
 * branin.title; // "transfer: mean normalised regret, branin"
 * ```
 */
export function transferFigureGroups(
  rows: readonly ResultRow[],
): NonNullable<ReportInput["suiteFigures"]>[number][] {
  const own = rows.filter((r) => r.metric === TRANSFER_METRIC);
  return [...new Set(own.map((r) => r.suite))].flatMap((suite) => {
    const suiteRows = own.filter((r) => r.suite === suite);
    const sets = [...new Set(suiteRows.map((r) => transferProblemSet(r.task)))];
    return sets.map((set) => {
      const { runs, steps } = transferRunsFromRows(
        suiteRows.filter((r) => transferProblemSet(r.task) === set),
      );
      const centers = transferCurves(runs, { steps }).flatMap((c) =>
        c.intervals.map((i) => i.center)
      );
      return {
        suite,
        title: `${suite}: mean normalised regret, ${set}`,
        figures: [transferCurveFigure(runs, { steps, logY: logAxisFits(centers) })],
      };
    });
  });
}

/**
 * Writes `DIR/report.html` and returns its path. NaN cells of the summary tables whose
 * combination was not run read "not run" ({@linkcode markNotRun}); the transfer suites' curves
 * are drawn per problem set ({@linkcode transferFigureGroups}).
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
  await writeReport(path, {
    title: "metahpo benchmark report",
    ...run,
    tables: markNotRun(run.tables, run.rows),
    suiteFigures: transferFigureGroups(run.rows),
  });
  return path;
}

/**
 * Re-renders `DIR/report.html` of an earlier run from the files the run wrote: date, machine and
 * notes from `results.json`, the rows from `results.csv` (JSON has no NaN or ±Infinity:
 * `results.json` holds them as null) and the summary tables from `summary.csv`, which the report
 * shows as the run's own did ({@linkcode writeBenchReport}: "not run" where nothing ran). A run
 * without a `summary.csv` gets a report without summary tables. Returns the report's path.
 *
 * A folder whose `provenance.json` does not list the files (written before it did) is read when
 * its files agree with each other and with it (`checkFinishedRun`); `warn` receives the warning
 * that the files cannot be checked against the run (default: printed to stderr).
 *
 * @throws {Error} when `dir` does not hold the files of one finished run, as its `provenance.json`
 * lists them (`checkFinishedRun`): an interrupted run, or files of different runs.
 *
 * @example
 * ```ts ignore
 * import { rewriteBenchReport } from "./report.ts";
 * await rewriteBenchReport("out/bench"); // "out/bench/report.html"
 * ```
 */
export async function rewriteBenchReport(
  dir: string,
  warn: (message: string) => void = (message) =>
    console.error(`bench/report.ts: warning: ${message}`),
): Promise<string> {
  for (const warning of checkFinishedRun(dir)) warn(warning);
  const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
  return await writeBenchReport(dir, {
    date: results.date,
    machine: results.machine,
    notes: results.notes ?? [],
    rows: readResultsCsv(dir),
    tables: existsSync(join(dir, "summary.csv")) ? readSummaryCsv(dir) : [],
  });
}

if (import.meta.main) {
  if (Deno.args.length > 1 || Deno.args.some((a) => a.startsWith("-"))) {
    console.error("bench/report.ts: usage: bench/report.ts [RUN_FOLDER] (default out/bench)");
    Deno.exit(2);
  }
  try {
    console.log(`wrote ${await rewriteBenchReport(Deno.args[0] ?? "out/bench")}`);
  } catch (error) {
    console.error(`bench/report.ts: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
