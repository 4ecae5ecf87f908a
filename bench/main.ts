/**
 * `deno task bench`: runs the benchmark suites headless and writes `results.csv`,
 * `results.json` (one long format: suite, task, method, seed, step, metric, value), `summary.csv`,
 * the offline `report.html`, and prints the summary tables.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuUsage } from "node:process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { aq } from "../lib/deps/arquero.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { recordsToCsv, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { formatSeconds, stderrProgress } from "../lib/bench/progress.ts";
import { DEFAULT_PEERS_DIR } from "../lib/bench/peers.ts";
import type { Suite, SummaryTable } from "./suites/types.ts";
import { smboSuite } from "./suites/smbo.ts";
import { writeBenchReport } from "./report.ts";
import { perfSuite } from "./suites/perf.ts";
import { mamlSuite } from "./suites/maml.ts";
import {
  transferAblrPmlbSuite,
  transferAblrSuite,
  transferFsboPmlbSuite,
  transferFsboSuite,
  transferGbtSuite,
  transferKnnSuite,
  transferKrrSuite,
  transferPmlbSuite,
  transferSuite,
  transferTreeSuite,
} from "./suites/transfer.ts";
import { comparisonSuite } from "./suites/comparison.ts";
import { storageSuite } from "./suites/storage.ts";
import { ablationSuite } from "./suites/ablation.ts";
import { fewshotSuite } from "./suites/fewshot.ts";
import { rfSuite } from "./suites/rf.ts";
import { runProvenance } from "./provenance.ts";
import { tf } from "../lib/deps/tf.ts";

const SUITES: Suite[] = [
  smboSuite,
  transferSuite,
  transferPmlbSuite,
  transferKnnSuite,
  transferKrrSuite,
  transferTreeSuite,
  transferGbtSuite,
  transferAblrSuite,
  transferAblrPmlbSuite,
  transferFsboSuite,
  transferFsboPmlbSuite,
  mamlSuite,
  comparisonSuite,
  fewshotSuite,
  perfSuite,
  storageSuite,
  rfSuite,
  ablationSuite,
];

/**
 * The suites a run without `--suite` runs: all but the ablation (long; it answers a design
 * question) and the ABLR and FSBO transfer suites (their methods retrain networks at every step or
 * per prior: minutes per problem set), with the PMLB transfer protocol at full size only.
 */
export function defaultSuiteNames(full: boolean): string[] {
  const onlyWhenNamed = new Set<Suite>([
    ablationSuite,
    transferAblrSuite,
    transferAblrPmlbSuite,
    transferKnnSuite,
    transferKrrSuite,
    transferTreeSuite,
    transferGbtSuite,
    transferFsboSuite,
    transferFsboPmlbSuite,
  ]);
  return SUITES.filter((s) => !onlyWhenNamed.has(s) && (full || s !== transferPmlbSuite))
    .map((s) => s.name);
}

const HELP = `deno task bench [options]

Runs metahpo's benchmark suites and writes results.csv, results.json, summary.csv and
report.html (offline, plotly inlined) into --out.

Options:
  --suite NAME    a suite to run (repeatable; default: all but ablation, transfer-ablr(-pmlb), transfer-fsbo(-pmlb), transfer-knn, transfer-krr, transfer-tree, transfer-gbt and, at quick size,
                  transfer-pmlb). Suites:
${SUITES.map((s) => `                    ${s.name.padEnd(8)} ${s.description}`).join("\n")}
  --seeds N       number of seeds (default: per suite and size)
  --budget N      evaluation budget of SMBO suites (default 50)
  --quick         quick size (default): minutes on 2 cores
  --full          the full protocols (more seeds, tasks and iterations; hours)
  --no-peers      do not run the Python peers side by side
  --peers-dir D   folder of the peer runners (default ${DEFAULT_PEERS_DIR})
  --out DIR       output folder (default out/bench)
  --help          this text
`;

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new RangeError(`--${name}: expected a positive integer, got "${text}"`);
  }
  return value;
}

/** The command line of `deno task bench`, checked (see {@linkcode parseBenchArgs}). */
export interface BenchArgs {
  /** `--help`: print the help and run nothing. */
  help: boolean;
  /** The suites to run, known ones only (`--suite`, or {@linkcode defaultSuiteNames}). */
  suites: string[];
  /** `--seeds`, a positive integer. */
  seeds?: number;
  /** `--budget`, a positive integer. */
  budget?: number;
  /** `--full` (otherwise the quick size). */
  full: boolean;
  /** Run the Python peers side by side (not `--no-peers`). */
  peers: boolean;
  /** `--peers-dir`. */
  peersDir: string;
  /** `--out` (default `out/bench`). */
  outDir: string;
}

/**
 * Parses and checks every argument of `deno task bench` before anything runs or is written:
 * unknown options and suites, `--quick` with `--full`, and `--seeds` or `--budget` that are not
 * positive integers throw an error naming the option (the command prints it after `bench: ` and
 * exits with status 2, leaving `--out` untouched).
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./main.ts";
 * parseBenchArgs(["--suite", "smbo", "--seeds", "3"]).seeds; // 3
 * try {
 *   parseBenchArgs(["--seeds", "0"]);
 * } catch (error) {
 *   console.log((error as Error).message); // --seeds: expected a positive integer, got "0"
 * }
 * ```
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      suite: { type: "string", multiple: true },
      seeds: { type: "string" },
      budget: { type: "string" },
      quick: { type: "boolean" },
      full: { type: "boolean" },
      "no-peers": { type: "boolean" },
      "peers-dir": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const seeds = positiveInt("seeds", values.seeds);
  const budget = positiveInt("budget", values.budget);
  if (values.quick && values.full) throw new RangeError("--quick and --full exclude each other");
  const suites = values.suite ?? defaultSuiteNames(values.full === true);
  const unknown = suites.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new RangeError(
      `--suite: unknown ${unknown.join(", ")} (known: ${SUITES.map((s) => s.name).join(", ")})`,
    );
  }
  if (values.out === "") throw new RangeError("--out: expected a folder, got an empty text");
  return {
    help: values.help === true,
    suites,
    ...(seeds === undefined ? {} : { seeds }),
    ...(budget === undefined ? {} : { budget }),
    full: values.full === true,
    peers: !values["no-peers"],
    peersDir: values["peers-dir"] ?? DEFAULT_PEERS_DIR,
    outDir: values.out ?? "out/bench",
  };
}

function printTable(table: SummaryTable): void {
  console.log(`\n## ${table.title}\n`);
  if (table.records.length === 0) return console.log("(no rows)");
  const formatted = table.records.map((record) =>
    Object.fromEntries(
      Object.entries(record).map(([k, v]) => [k, typeof v === "number" ? formatNumber(v) : v]),
    )
  );
  console.log(aq.from(formatted).toMarkdown());
}

async function main(argv: string[]): Promise<number> {
  // Every argument is checked before a suite runs or a file is written.
  const args = parseBenchArgs(argv);
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const names = args.suites;
  const outDir = args.outDir;
  mkdirSync(outDir, { recursive: true });
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const tables: SummaryTable[] = [];
  const failedSuites: string[] = [];
  const suiteTimes: { suite: string; seconds: number; cpuSeconds: number; status: string }[] = [];
  // The commit and working-tree state are taken when the run starts.
  const startProvenance = await runProvenance(`deno task bench ${argv.join(" ")}`.trim(), 0);
  const start = performance.now();
  for (const suite of SUITES.filter((s) => names.includes(s.name))) {
    let output: Awaited<ReturnType<Suite["run"]>>;
    const suiteStart = performance.now();
    const suiteSeconds = () => (performance.now() - suiteStart) / 1000;
    const cpuStart = cpuSeconds();
    try {
      output = await suite.run({
        size: args.full ? "full" : "quick",
        seeds: args.seeds,
        budget: args.budget,
        peers: args.peers,
        peersDir: args.peersDir,
        outDir,
        progress: stderrProgress(suite.name),
        notes,
      });
    } catch (error) {
      // One failing suite must not lose the others' results.
      notes.push(`suite ${suite.name} failed: ${(error as Error).stack ?? error}`);
      failedSuites.push(suite.name);
      suiteTimes.push({
        suite: suite.name,
        seconds: suiteSeconds(),
        cpuSeconds: cpuSeconds() - cpuStart,
        status: "failed",
      });
      continue;
    }
    suiteTimes.push({
      suite: suite.name,
      seconds: suiteSeconds(),
      cpuSeconds: cpuSeconds() - cpuStart,
      status: "ok",
    });
    console.error(
      `bench: suite ${suite.name} took ${formatSeconds(suiteSeconds())} wall, ${
        formatSeconds(cpuSeconds() - cpuStart)
      } CPU`,
    );
    rows.push(...output.rows);
    tables.push(...output.tables.map((t) => ({ ...t, title: `${suite.name}: ${t.title}` })));
    writeFileSync(join(outDir, "results.csv"), toCsv(rows));
  }
  writeFileSync(join(outDir, "results.csv"), toCsv(rows));
  const totalSeconds = (performance.now() - start) / 1000;
  tables.push({
    title: `Time per suite (wall seconds; CPU seconds of the bench process${
      countsChildren() ? " and the peers it ran" : ", the peers' processes not counted"
    })`,
    records: [
      ...suiteTimes.map((t) => ({
        suite: t.suite,
        status: t.status,
        "wall s": t.seconds,
        "CPU s": t.cpuSeconds,
      })),
      {
        suite: "total",
        status: failedSuites.length > 0 ? "failed" : "ok",
        "wall s": totalSeconds,
        "CPU s": suiteTimes.reduce((sum, t) => sum + t.cpuSeconds, 0),
      },
    ],
  });
  const provenance = {
    ...startProvenance,
    date: new Date().toISOString(),
    wallSeconds: Number(totalSeconds.toFixed(1)),
  };
  writeFileSync(
    join(outDir, "provenance.json"),
    JSON.stringify({ ...provenance, tfjs: tf.version_core, suites: suiteTimes }, null, 2) + "\n",
  );
  const date = new Date().toISOString();
  writeFileSync(
    join(outDir, "results.json"),
    JSON.stringify({
      date,
      machine: machineDescription(),
      notes,
      rows,
    }),
  );
  writeFileSync(
    join(outDir, "summary.csv"),
    tables.map((t) => `# ${t.title}\n${recordsToCsv(t.records)}`).join("\n"),
  );
  await writeBenchReport(outDir, { date, machine: machineDescription(), notes, rows, tables });
  for (const table of tables) printTable(table);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(
    `\n${rows.length} result rows in ${formatSeconds(totalSeconds)}; ` +
      `written to ${outDir}/`,
  );
  if (failedSuites.length > 0) console.error(`bench: failed suites: ${failedSuites.join(", ")}`);
  return failedSuites.length > 0 ? 1 : 0;
}

/**
 * CPU seconds used so far by this process, plus, when `/proc/self/stat` is readable (Deno asks
 * for `--allow-all` to read it), those of its children that have exited (the Python peers):
 * cutime + cstime.
 */
function cpuSeconds(): number {
  const own = cpuUsage();
  let children = 0;
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // Not Linux, or not permitted: this process only.
  }
  return (own.user + own.system) / 1e6 + (Number.isFinite(children) ? children : 0);
}

/** Whether {@linkcode cpuSeconds} counts the peers' CPU time too. */
function countsChildren(): boolean {
  try {
    Deno.readTextFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

function machineDescription(): string {
  return `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, deno ${Deno.version.deno}`;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
