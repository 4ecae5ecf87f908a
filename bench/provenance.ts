/**
 * Provenance of a committed result: the command that produced it, the commit, the date, the
 * machine and the versions, so that every published figure can be traced to a rerunnable command.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CommittedProvenance,
  parseResultsCsv,
  parseSummaryCsv,
} from "../lib/results/committed.ts";
import { recordsToCsv, type ResultRow, toCsv } from "../lib/results/results.ts";

/**
 * Where a result came from: the record that `lib/results` reads back
 * ({@linkcode CommittedProvenance}), written here without the optional fields.
 */
export type Provenance = Omit<CommittedProvenance, "tfjs" | "suites">;

function loadAverage(): number[] | undefined {
  try {
    return Deno.loadavg().map((l) => Number(l.toFixed(2)));
  } catch {
    return undefined;
  }
}

/** The machine's 1-minute load average now (NaN where it cannot be read). */
export function loadNow(): number {
  try {
    return Deno.loadavg()[0];
  } catch {
    return NaN;
  }
}

/**
 * The folder of the bench code that is running (this module's), where `git` is asked for the
 * commit: the code that ran, not whatever repository the working directory is in. Undefined when
 * the code was not loaded from a file.
 */
export const BENCH_CODE_DIR: string | undefined = new URL(".", import.meta.url).protocol === "file:"
  ? fileURLToPath(new URL(".", import.meta.url))
  : undefined;

async function git(args: string[], cwd: string | undefined): Promise<string | undefined> {
  if (cwd === undefined) return undefined;
  try {
    const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Wall seconds as recorded: to 0.01 s (a run of a few seconds does not read 0). */
export function recordedSeconds(seconds: number): number {
  return Number(seconds.toFixed(2));
}

/**
 * The commit of the git repository holding `codeDir` ("unknown" outside one) and whether its
 * tracked files have local changes: `null` when `git status` cannot tell (no git, or a folder that
 * is no git checkout, such as an unpacked archive), never a "no changes" that nobody checked.
 */
async function codeState(
  codeDir: string | undefined,
): Promise<{ commit: string; dirty: boolean | null }> {
  const commit = await git(["rev-parse", "HEAD"], codeDir) ?? "unknown";
  const status = await git(["status", "--porcelain", "--untracked-files=no"], codeDir);
  return { commit, dirty: status === undefined ? null : status.length > 0 };
}

/**
 * The state of the bench code when this module was loaded, at the start of the script that
 * imports it: the code that runs. A commit made, or a file changed, while a run goes on does not
 * change what its provenance names.
 */
const CODE_AT_LOAD = await codeState(BENCH_CODE_DIR);

/**
 * The provenance of a run that took `wallSeconds` and was started by `command`. The commit and
 * whether the working tree has local changes are those of the git repository holding `codeDir`
 * (default: the folder of this bench code, {@linkcode BENCH_CODE_DIR}, read when the script
 * started, so that a commit made during the run is not named as the code that ran): outside a git
 * checkout the commit is "unknown" and `dirty` is `null` (not known), not `false`.
 *
 * @example
 * ```ts
 * import { runProvenance } from "./provenance.ts";
 * const p = await runProvenance("deno task fuzz", 1.5);
 * console.log(p.commit, p.versions.deno);
 * ```
 */
export async function runProvenance(
  command: string,
  wallSeconds: number,
  codeDir: string | undefined = BENCH_CODE_DIR,
): Promise<Provenance> {
  const { commit, dirty } = codeDir === BENCH_CODE_DIR ? CODE_AT_LOAD : await codeState(codeDir);
  const cpuList = cpus();
  const load = loadAverage();
  return {
    command,
    commit,
    dirty,
    date: new Date().toISOString(),
    wallSeconds: recordedSeconds(wallSeconds),
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
    },
    machine: {
      os: Deno.build.os,
      arch: Deno.build.arch,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? "unknown",
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    },
    ...(load ? { loadAverage: load } : {}),
  };
}

/** What {@linkcode writeBenchOutput} writes. */
export interface BenchOutput {
  /** Every measurement in the long format (`results.csv`). */
  rows: readonly ResultRow[];
  /** The summary tables (`summary.csv`: each as `# title`, then its CSV). */
  sections: readonly { title: string; records: readonly Record<string, unknown>[] }[];
  /** The printed tables (`summary.md`). */
  markdown: string;
  /** The run's provenance (`provenance.json`). */
  provenance: Provenance;
}

/**
 * Writes a bench script's output folder `out` (created if needed): `results.csv`, `summary.csv`,
 * `summary.md` and `provenance.json`.
 *
 * @example
 * ```ts
 * import { runProvenance, writeBenchOutput } from "./provenance.ts";
 * const out = await Deno.makeTempDir();
 * await writeBenchOutput(out, {
 *   rows: [],
 *   sections: [{ title: "demo", records: [{ problem: "branin", median: 0.1 }] }],
 *   markdown: "# demo\n",
 *   provenance: await runProvenance("deno run -A bench/demo.ts", 0.1),
 * });
 * console.log(await Deno.readTextFile(`${out}/summary.csv`)); // "# demo\nproblem,median\nbranin,0.1\n"
 * ```
 */
export async function writeBenchOutput(out: string, output: BenchOutput): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}/results.csv`, toCsv(output.rows));
  await Deno.writeTextFile(
    `${out}/summary.csv`,
    output.sections.map(({ title, records }) => `# ${title}\n${recordsToCsv(records)}`).join(""),
  );
  await Deno.writeTextFile(`${out}/summary.md`, output.markdown);
  await Deno.writeTextFile(
    `${out}/provenance.json`,
    JSON.stringify(output.provenance, null, 2) + "\n",
  );
}

/**
 * The file of a run folder that says the run has not finished: written when `deno task bench`
 * starts and removed after `provenance.json`, the last file, is written.
 */
export const INCOMPLETE_MARKER = "INCOMPLETE";

/** Files of a run folder that its `provenance.json` does not list: itself, and the re-renderable report. */
const UNLISTED = new Set(["provenance.json", "report.html", INCOMPLETE_MARKER]);

/** The SHA-256 (hex) of every file of `dir` that `provenance.json` lists, by name. */
export function outputManifest(dir: string): Record<string, string> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !UNLISTED.has(e.name) && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  return Object.fromEntries(
    names.map((
      name,
    ) => [name, createHash("sha256").update(readFileSync(join(dir, name))).digest("hex")]),
  );
}

/**
 * Finishes a run folder: writes `provenance.json` (`provenance` plus `files`, the SHA-256 of every
 * other output file but `report.html`, {@linkcode outputManifest}) through a temporary file renamed
 * into place, then removes {@linkcode INCOMPLETE_MARKER}.
 */
export function writeFinishedProvenance(dir: string, provenance: Record<string, unknown>): void {
  const record = { ...provenance, files: outputManifest(dir) };
  const temporary = join(dir, ".provenance.json.tmp");
  writeFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  renameSync(temporary, join(dir, "provenance.json"));
  rmSync(join(dir, INCOMPLETE_MARKER), { force: true });
}

/**
 * Checks that the files of run folder `dir` are those of one finished `deno task bench` run: no
 * {@linkcode INCOMPLETE_MARKER}, a `provenance.json` whose `files` lists `results.csv` and
 * `results.json`, every listed file present with the recorded SHA-256, and no other output file.
 *
 * A folder written before `provenance.json` listed its files (no `files`) is checked as far as
 * its files allow ({@linkcode checkUnlistedRun}): it passes with a warning, returned, that the
 * files cannot be checked against the run that wrote them.
 *
 * @returns Warnings: none for a folder whose `provenance.json` lists its files.
 * @throws {Error} saying what is wrong.
 * @example
 * ```ts ignore
 * import { checkFinishedRun } from "./provenance.ts";
 * for (const warning of checkFinishedRun("out/bench")) console.error(warning);
 * ```
 */
export function checkFinishedRun(dir: string): string[] {
  if (existsSync(join(dir, INCOMPLETE_MARKER))) {
    throw new Error(
      `${dir} holds ${INCOMPLETE_MARKER}: the run writing it did not finish (interrupted, failed, or still running)`,
    );
  }
  if (!existsSync(join(dir, "provenance.json"))) {
    throw new Error(`${dir} has no provenance.json: not the folder of a finished run`);
  }
  const provenance = JSON.parse(readFileSync(join(dir, "provenance.json"), "utf8")) as {
    files?: Record<string, string>;
  };
  const { files } = provenance;
  if (files === undefined) return checkUnlistedRun(dir, provenance);
  if (typeof files !== "object" || files === null) {
    throw new Error(
      `${dir}/provenance.json lists no output files: cannot tell whether the files belong to one run`,
    );
  }
  for (const name of ["results.csv", "results.json"]) {
    if (!(name in files)) throw new Error(`${dir}/provenance.json does not list ${name}`);
  }
  const found = existsSync(dir) ? outputManifest(dir) : {};
  const missing = Object.keys(files).filter((name) => !(name in found));
  if (missing.length > 0) throw new Error(`${dir}: ${missing.join(", ")} missing`);
  const changed = Object.keys(files).filter((name) => found[name] !== files[name]);
  if (changed.length > 0) {
    throw new Error(`${dir}: ${changed.join(", ")} not the file(s) the run wrote (changed since)`);
  }
  const extra = Object.keys(found).filter((name) => !(name in files));
  if (extra.length > 0) {
    throw new Error(`${dir}: ${extra.join(", ")} not written by the run of provenance.json`);
  }
  return [];
}

/** Most seconds between the dates of `provenance.json` and `results.json` of one run. */
const RUN_END_SECONDS = 60;

/**
 * Checks a finished run folder whose `provenance.json` has no `files` (written by the bench
 * before it recorded the SHA-256 of its outputs; such a run wrote `provenance.json`,
 * `results.json` and `summary.csv` in that order at its end, `results.csv` after each suite):
 * `results.csv`, `results.json` and `summary.csv` present, the rows of `results.csv` those of
 * `results.json` (NaN and ±Infinity there as null), `results.json` dated within a minute of
 * `provenance.json`, and the wall seconds per suite of `summary.csv` those of
 * `provenance.json`'s `suites`. What that cannot show (a file edited since, or a suite's own
 * file) is said in the warning returned.
 *
 * @returns One warning naming the folder and the files that were not checked.
 * @throws {Error} saying which files are missing or disagree.
 * @example
 * ```ts ignore
 * import { checkUnlistedRun } from "./provenance.ts";
 * const provenance = JSON.parse(Deno.readTextFileSync("out/old_bench/provenance.json"));
 * const [warning] = checkUnlistedRun("out/old_bench", provenance);
 * ```
 */
export function checkUnlistedRun(dir: string, provenance: Record<string, unknown>): string[] {
  const checked = ["results.csv", "results.json", "summary.csv"];
  const missing = checked.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) {
    throw new Error(
      `${dir}: ${
        missing.join(", ")
      } missing (provenance.json lists no files: a run writes them all)`,
    );
  }
  const notOneRun = (what: string) =>
    new Error(`${dir}: ${what}: the files are not those of one run`);
  let results: { date?: unknown; rows?: unknown };
  try {
    results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
  } catch (error) {
    throw new Error(`${dir}/results.json: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(results?.rows)) throw new Error(`${dir}/results.json holds no rows`);
  const json = results.rows as Record<string, unknown>[];
  const csv = parseResultsCsv(
    readFileSync(join(dir, "results.csv"), "utf8"),
    join(dir, "results.csv"),
  );
  if (json.length !== csv.length) {
    throw notOneRun(`results.csv has ${csv.length} rows, results.json ${json.length}`);
  }
  const keys = ["suite", "task", "method", "seed", "step", "metric"] as const;
  const at = csv.findIndex((row, i) => {
    const other = json[i];
    if (keys.some((key) => other?.[key] !== row[key])) return true;
    return Number.isFinite(row.value) ? other.value !== row.value : other.value !== null;
  });
  if (at >= 0) throw notOneRun(`row ${at + 1} of results.csv differs from results.json's`);
  const started = Date.parse(String(provenance.date));
  const ended = Date.parse(String(results.date));
  if (!(Math.abs(ended - started) <= RUN_END_SECONDS * 1000)) {
    throw notOneRun(
      `results.json is dated ${results.date}, provenance.json ${provenance.date}`,
    );
  }
  const suites = Array.isArray(provenance.suites)
    ? provenance.suites as { suite?: unknown; seconds?: unknown }[]
    : [];
  const times = parseSummaryCsv(
    readFileSync(join(dir, "summary.csv"), "utf8"),
    join(dir, "summary.csv"),
  ).find((t) => /time per suite/i.test(t.title));
  if (suites.length === 0 || times === undefined) {
    throw notOneRun(
      "summary.csv has no time per suite or provenance.json no suites to match it against",
    );
  }
  for (const { suite, seconds } of suites) {
    const record = times.records.find((r) => r.suite === suite);
    const wall = record?.["wall s"] ?? record?.seconds;
    if (wall !== seconds) {
      throw notOneRun(
        `summary.csv gives suite ${suite} ${wall ?? "no"} wall seconds, provenance.json ${seconds}`,
      );
    }
  }
  const unchecked = Object.keys(outputManifest(dir)).filter((name) => !checked.includes(name));
  return [
    `${dir}/provenance.json lists no files with their SHA-256 (a run written before runs ` +
    `recorded them): results.csv, results.json and summary.csv agree with each other and with ` +
    `provenance.json, but whether a file changed since the run cannot be checked${
      unchecked.length > 0 ? `; not checked at all: ${unchecked.join(", ")}` : ""
    }`,
  ];
}
