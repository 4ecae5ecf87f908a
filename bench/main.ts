/**
 * `deno task bench`: runs the benchmark suites headless and writes `results.csv`,
 * `results.json` (one long format: suite, task, method, seed, step, metric, value), `summary.csv`,
 * the offline `report.html`, and prints the summary tables.
 *
 * The output folder holds one run: a folder holding a previous run (its `provenance.json` or
 * `INCOMPLETE`) is replaced only with `--force` (its files are removed before the new run
 * starts), never while the run writing it is still going on (`INCOMPLETE` names its process and
 * host), and a folder holding anything else is refused. While the run goes on the folder holds a file `INCOMPLETE`; `provenance.json` is
 * written last, with the SHA-256 of every other output file but `report.html`, and then
 * `INCOMPLETE` is removed. A folder with `INCOMPLETE` or without `provenance.json` is the trace
 * of a run that did not finish.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import process, { cpuUsage } from "node:process";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { aq } from "../lib/deps/arquero.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { recordsToCsv, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { formatSeconds, stderrProgress } from "../lib/bench/progress.ts";
import { DEFAULT_PEERS_DIR } from "../lib/bench/peers.ts";
import { resolveGivenPath } from "../lib/cli_paths.ts";
import type { Suite, SummaryTable } from "./suites/types.ts";
import { smboSuite } from "./suites/smbo.ts";
import { writeBenchReport } from "./report.ts";
import { runtimeMachine } from "../lib/viz/report.ts";
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
import {
  BENCH_CODE_DIR,
  INCOMPLETE_MARKER,
  recordedSeconds,
  runProvenance,
  writeFinishedProvenance,
} from "./provenance.ts";
import { shellQuote } from "./args.ts";
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

/**
 * The peer runners each suite looks for in `--peers-dir`, at the sizes where it does (the other
 * suites' peers live in `bench/peers`; the quick `maml` suite times the PyTorch loop from there).
 */
const PEER_RUNNERS: Record<string, { files: string[]; fullOnly?: boolean }> = {
  smbo: { files: ["optuna_peer.py", "botorch_peer.py", "sklearn_gp_peer.py", "synthetic.py"] },
  maml: { files: ["maml_torch_peer.py"], fullOnly: true },
  perf: { files: ["sklearn_gp_peer.py"] },
};

/** The runners `suite` looks for in `--peers-dir` at the size of `args`. */
function peerRunners(suite: string, args: BenchArgs): string[] {
  const runners = PEER_RUNNERS[suite];
  return runners === undefined || (runners.fullOnly && !args.full) ? [] : runners.files;
}

/** What `suite` reads `--budget` as, for the help. */
function budgetUse(suite: Suite): string {
  if (suite.ignores?.includes("budget")) return "not used";
  if (suite.budgetUse === undefined) throw new Error(`suite ${suite.name}: no budgetUse`);
  return suite.budgetUse;
}

/** The suites grouped by what they read `--budget` as, one line per group, for the help. */
function budgetHelp(): string {
  const groups = new Map<string, string[]>();
  for (const suite of SUITES) {
    groups.set(budgetUse(suite), [...groups.get(budgetUse(suite)) ?? [], suite.name]);
  }
  return [...groups].map(([use, names]) => `                    ${names.join(", ")}: ${use}`)
    .join("\n");
}

const HELP = `deno task bench [options]

Runs metahpo's benchmark suites and writes results.csv, results.json, summary.csv and
report.html (offline, plotly inlined) into --out.

Options:
  --suite NAME    a suite to run (repeatable; default: all but ablation, transfer-ablr(-pmlb), transfer-fsbo(-pmlb), transfer-knn, transfer-krr, transfer-tree, transfer-gbt and, at quick size,
                  transfer-pmlb). Suites:
${SUITES.map((s) => `                    ${s.name.padEnd(8)} ${s.description}`).join("\n")}
  --seeds N       number of seeds (default: per suite and size)
  --budget N      what each suite reads it as (one that does not use it says so in a note):
${budgetHelp()}
  --quick         quick size (default): minutes on 2 cores
  --full          the full protocols (more seeds, tasks and iterations; hours)
  --no-peers      do not run the Python peers side by side
  --peers-dir D   folder of the peer runners (default ${DEFAULT_PEERS_DIR}); when given and a
                  chosen suite uses it (${
  Object.entries(PEER_RUNNERS).map(([name, r]) => `${name}${r.fullOnly ? " with --full" : ""}`)
    .join(", ")
}), it must hold their runners
  --out DIR       output folder (default out/bench); a new or empty folder, or one holding a
                  previous run with --force
  --force         replace the previous run in --out (its files are removed first; never a run
                  still going on)
  --help          this text

The defaults of --out and --peers-dir are relative to the project root (where deno task runs);
a relative folder given on the command line is taken from the folder the command was started in
(INIT_CWD, which deno task sets), else from the working directory. Until the run has finished,
--out holds a file ${INCOMPLETE_MARKER}; provenance.json is written last.
Flags other than --suite may be given once. A suite that has no use for a given --seeds or
--budget, or does not use it for all of its problems, says so in a note.
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
  /** `--force`: replace a previous run in `--out`. */
  force: boolean;
  /** Whether `--peers-dir` was given (otherwise {@linkcode DEFAULT_PEERS_DIR}). */
  peersDirGiven: boolean;
  /** Whether `--out` was given (otherwise `out/bench`). */
  outDirGiven: boolean;
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
  const { values, tokens } = parseArgs({
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
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    tokens: true,
  });
  // parseArgs keeps the last of a repeated flag: a repeated single-valued flag is refused.
  const given = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === "suite") continue;
    given.set(token.name, [...given.get(token.name) ?? [], token.value ?? ""]);
  }
  for (const [name, texts] of given) {
    if (texts.length > 1) {
      const what = texts.every((t) => t === "")
        ? ""
        : ` (${texts.map((t) => `"${t}"`).join(", ")})`;
      throw new RangeError(`--${name}: given ${texts.length} times${what}; give it once`);
    }
  }
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
    force: values.force === true,
    peersDirGiven: values["peers-dir"] !== undefined,
    outDirGiven: values.out !== undefined,
  };
}

/**
 * `args` with `--out` and `--peers-dir` made absolute: the defaults against `cwd` (the project
 * root under `deno task`), folders given on the command line against `initCwd` (the folder the
 * command was started in, which `deno task` passes as `INIT_CWD`) when set, else against `cwd`.
 *
 * @example
 * ```ts
 * import { parseBenchArgs, resolveBenchPaths } from "./main.ts";
 * const args = parseBenchArgs(["--out", "runs/a"]);
 * resolveBenchPaths(args, "/repo", "/repo/lib").outDir; // "/repo/lib/runs/a"
 * ```
 */
export function resolveBenchPaths(args: BenchArgs, cwd: string, initCwd?: string): BenchArgs {
  return {
    ...args,
    outDir: args.outDirGiven
      ? resolveGivenPath(args.outDir, cwd, initCwd)
      : resolve(cwd, args.outDir),
    peersDir: args.peersDirGiven
      ? resolveGivenPath(args.peersDir, cwd, initCwd)
      : resolve(cwd, args.peersDir),
  };
}

/**
 * The command line that started this run, shell-quoted: \`deno task bench ARGS\` when `main` is
 * this repository's \`bench/main.ts\` and the working directory is its root (what \`deno task
 * bench\` runs), else \`deno run -A MAIN ARGS\` with the path of the script that ran (relative to
 * the working directory when inside it).
 *
 * @example
 * ```ts
 * import { benchCommand } from "./main.ts";
 * benchCommand(["--out", "my run"], "file:///repo/bench/main.ts", "/repo", "/repo");
 * // "deno task bench --out 'my run'"
 * ```
 */
export function benchCommand(
  argv: readonly string[],
  main: string,
  cwd: string,
  repoRoot: string | undefined,
): string {
  const args = argv.map(shellQuote);
  const script = main.startsWith("file:") ? fileURLToPath(main) : main;
  if (
    repoRoot !== undefined && resolve(cwd) === resolve(repoRoot) &&
    script === join(repoRoot, "bench", "main.ts")
  ) {
    return ["deno task bench", ...args].join(" ");
  }
  const inside = main.startsWith("file:") ? relative(cwd, script) : script;
  const path = main.startsWith("file:") && !inside.startsWith("..") && !isAbsolute(inside)
    ? inside
    : script;
  return ["deno run -A", shellQuote(path), ...args].join(" ");
}

/** The files a run may leave in its output folder: the main files and those the suites declare. */
export function runFiles(): Set<string> {
  return new Set([
    "results.csv",
    "results.json",
    "summary.csv",
    "report.html",
    "provenance.json",
    ".provenance.json.tmp",
    INCOMPLETE_MARKER,
    ...SUITES.flatMap((s) => s.outputFiles ?? []),
  ]);
}

/** The first words of the {@linkcode INCOMPLETE_MARKER} a bench run writes. */
const MARKER_START = "A deno task bench run (process ";

/** This host's name, or `undefined` without `--allow-sys` (never prompts). */
function hostName(): string | undefined {
  const permission = Deno.permissions.querySync({ name: "sys", kind: "hostname" });
  return permission.state === "granted" ? Deno.hostname() : undefined;
}

/**
 * Whether process `pid` of this host is alive: `true`, `false`, or `undefined` when that cannot
 * be told (without `--allow-run`).
 */
function processAlive(pid: number): boolean | undefined {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true;
    return undefined;
  }
}

/**
 * What `outDir`'s {@linkcode INCOMPLETE_MARKER} says of the run writing there: whether a bench run
 * wrote it, and the process and host it names (older markers name no host).
 */
function readMarker(outDir: string): { bench: boolean; pid?: number; host?: string } {
  let text: string;
  try {
    text = readFileSync(join(outDir, INCOMPLETE_MARKER), "utf8");
  } catch {
    return { bench: false };
  }
  if (!text.startsWith(MARKER_START)) return { bench: false };
  const named = /^A deno task bench run \(process (\d+)(?: on host (.*?))?\) started/.exec(text);
  return { bench: true, pid: named ? Number(named[1]) : undefined, host: named?.[2] };
}

/** Whether `outDir/provenance.json` is the record a bench run writes: JSON with its `command`. */
function benchProvenance(outDir: string): boolean {
  try {
    const record = JSON.parse(readFileSync(join(outDir, "provenance.json"), "utf8"));
    return typeof record?.command === "string";
  } catch {
    return false;
  }
}

/**
 * Makes `outDir` ready for a run and marks it {@linkcode INCOMPLETE_MARKER} (naming this process
 * and host): creates it, or takes it empty, or, with `force`, removes the files of a previous run
 * from it. A previous run is a folder of run files holding the `provenance.json` or the
 * `INCOMPLETE` a bench run writes. Refuses (an error naming `--out`) a path that is not a folder,
 * a folder holding anything a run does not write, run files without a bench run's
 * `provenance.json` or `INCOMPLETE` (they may be the user's own), a previous run without `force`,
 * and, even with `force`, a run still going on: one whose `INCOMPLETE` names a live process of
 * this host (other than this one).
 */
export function prepareOutDir(outDir: string, force: boolean): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) {
      throw new RangeError(`--out: ${outDir} exists and is not a folder`);
    }
    const entries = readdirSync(outDir, { withFileTypes: true });
    const known = runFiles();
    const foreign = entries.filter((e) => !e.isFile() || !known.has(e.name)).map((e) => e.name);
    if (foreign.length > 0) {
      throw new RangeError(
        `--out: ${outDir} holds ${foreign.slice(0, 5).join(", ")}${
          foreign.length > 5 ? ", …" : ""
        }, which no bench run writes; give a new or empty folder`,
      );
    }
    const names = entries.map((e) => e.name).sort().join(", ");
    const marker = readMarker(outDir);
    if (entries.length > 0 && !marker.bench && !benchProvenance(outDir)) {
      throw new RangeError(
        `--out: ${outDir} holds ${names} but no provenance.json or ${INCOMPLETE_MARKER} of a ` +
          "bench run: not a previous run, left as it is; give a new or empty folder",
      );
    }
    if (
      marker.pid !== undefined && marker.pid !== Deno.pid && marker.host !== undefined &&
      marker.host === hostName() && processAlive(marker.pid) !== false
    ) {
      throw new RangeError(
        `--out: ${outDir} is being written by a bench run still going on (process ` +
          `${marker.pid} on this host, named in its ${INCOMPLETE_MARKER}); wait for it or stop ` +
          "it, or give another folder",
      );
    }
    if (entries.length > 0 && !force) {
      throw new RangeError(
        `--out: ${outDir} holds a previous run (${names}); give --force to replace it, or ` +
          "another folder",
      );
    }
    for (const entry of entries) rmSync(join(outDir, entry.name));
  } else {
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (error) {
      throw new RangeError(`--out: cannot create ${outDir}: ${(error as Error).message}`);
    }
  }
  const host = hostName();
  writeFileSync(
    join(outDir, INCOMPLETE_MARKER),
    `${MARKER_START}${Deno.pid}${host === undefined ? "" : ` on host ${host}`}) started ` +
      `writing here at ${new Date().toISOString()}; it removes this file after writing ` +
      "provenance.json, its last file. While this file is here the folder does not hold a " +
      "finished run.\n",
  );
}

/**
 * Checks a `--peers-dir` given on the command line when a chosen suite uses it: it must be a
 * folder holding the peer runners of those suites (without `--peers-dir` a missing peer is a note,
 * as documented; with no chosen suite using it, it is not read and not checked).
 */
export function checkPeersDir(args: BenchArgs): void {
  if (!args.peers || !args.peersDirGiven) return;
  const wanted = [...new Set(args.suites.flatMap((s) => peerRunners(s, args)))];
  if (wanted.length === 0) return;
  const dir = args.peersDir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RangeError(`--peers-dir: ${dir} is not a folder (or give --no-peers)`);
  }
  const missing = wanted.filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw new RangeError(
      `--peers-dir: ${dir} has no ${missing.join(", ")} (peer runners of ${
        args.suites.filter((s) => peerRunners(s, args).some((f) => missing.includes(f)))
          .join(", ")
      }); give the folder of the peer runners, or --no-peers`,
    );
  }
}

/**
 * The notes for flags that `suite` has no use for ({@linkcode Suite.ignores}) or uses for some of
 * its problems only ({@linkcode Suite.partlyUsed}).
 */
export function ignoredFlagNotes(suite: Suite, args: BenchArgs): string[] {
  const unused = (suite.ignores ?? []).filter((flag) => args[flag] !== undefined).map((flag) =>
    `${suite.name}: --${flag} ${args[flag]} not used: the suite has no ${flag} setting`
  );
  const partly = suite.partlyUsed?.({
    size: args.full ? "full" : "quick",
    seeds: args.seeds,
    budget: args.budget,
  }) ?? [];
  return [...unused, ...partly];
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
  const args = resolveBenchPaths(parseBenchArgs(argv), Deno.cwd(), Deno.env.get("INIT_CWD"));
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  checkPeersDir(args);
  const names = args.suites;
  const outDir = args.outDir;
  prepareOutDir(outDir, args.force);
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const tables: SummaryTable[] = [];
  const failedSuites: string[] = [];
  const suiteTimes: { suite: string; seconds: number; cpuSeconds: number; status: string }[] = [];
  // The commit and working-tree state are taken when the run starts.
  const repoRoot = BENCH_CODE_DIR === undefined ? undefined : dirname(resolve(BENCH_CODE_DIR));
  const startProvenance = await runProvenance(
    benchCommand(argv, Deno.mainModule, Deno.cwd(), repoRoot),
    0,
  );
  const start = performance.now();
  for (const suite of SUITES.filter((s) => names.includes(s.name))) {
    let output: Awaited<ReturnType<Suite["run"]>>;
    const suiteStart = performance.now();
    const suiteSeconds = () => (performance.now() - suiteStart) / 1000;
    const cpuStart = cpuSeconds();
    for (const note of ignoredFlagNotes(suite, args)) {
      notes.push(note);
      console.error(`bench: note: ${note}`);
    }
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
    wallSeconds: recordedSeconds(totalSeconds),
  };
  const date = new Date().toISOString();
  writeFileSync(
    join(outDir, "results.json"),
    JSON.stringify({
      date,
      machine: runtimeMachine(),
      notes,
      rows,
    }),
  );
  writeFileSync(
    join(outDir, "summary.csv"),
    tables.map((t) => `# ${t.title}\n${recordsToCsv(t.records)}`).join("\n"),
  );
  await writeBenchReport(outDir, { date, machine: runtimeMachine(), notes, rows, tables });
  // Last: provenance.json, with the SHA-256 of the files above; then the folder is finished.
  writeFinishedProvenance(outDir, { ...provenance, tfjs: tf.version_core, suites: suiteTimes });
  for (const table of tables) printTable(table);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(
    `\n${rows.length} result rows in ${formatSeconds(totalSeconds)}; ` +
      `written to ${join(outDir, "/")}`,
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

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
