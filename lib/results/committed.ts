/**
 * Readers of committed benchmark outputs: the `summary.csv` that `deno task bench` writes (one
 * `# title` line per table, then that table as CSV), its long-format `results.csv`, and the
 * `provenance.json` next to them. README tables and notebooks read the figures of a committed run
 * with these instead of typing them.
 *
 * @example
 * ```ts
 * import { parseSummaryCsv, summaryTable } from "./committed.ts";
 * const tables = parseSummaryCsv("# maml: MSE\nmethod,mse\nmaml,0.3\n");
 * summaryTable(tables, "maml: MSE").records[0].mse; // 0.3
 * ```
 *
 * @module
 */
import { parseDelimited } from "../data/delimited.ts";
import type { ResultRow } from "./results.ts";
import { locationUrl } from "../data/location.ts";

/** One table of a `summary.csv`: its title and its rows (numbers parsed, other cells as text). */
export interface SummaryCsvTable {
  /** The title, as on its `# ` line (e.g. `"maml: Sinusoid MSE after 70000 meta-iterations"`). */
  readonly title: string;
  /** The rows, one record per CSV line; numeric cells are numbers, empty cells `""`. */
  readonly records: Record<string, string | number>[];
}

/** Where a committed run came from (the `provenance.json` that `deno task bench` writes). */
export interface CommittedProvenance {
  /** The command, as typed. */
  readonly command: string;
  /** The commit the run started from. */
  readonly commit: string;
  /** Whether tracked files had uncommitted changes when the run started. */
  readonly dirty: boolean;
  /** ISO 8601 time at which the run finished. */
  readonly date: string;
  /** Wall time of the whole run, seconds. */
  readonly wallSeconds: number;
  /** Runtime versions. */
  readonly versions: { readonly deno: string; readonly v8: string; readonly typescript: string };
  /** TensorFlow.js version, when recorded. */
  readonly tfjs?: string;
  /** The machine. */
  readonly machine: {
    readonly os: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
  };
  /**
   * The machine's 1-, 5- and 15-minute load averages when the run finished, when recorded (on a
   * shared machine, what the wall times were measured under).
   */
  readonly loadAverage?: readonly number[];
  /** Wall seconds per suite, when recorded. */
  readonly suites?: readonly { suite: string; seconds: number; status: string }[];
}

function cell(text: string): string | number {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  if (trimmed === "NaN") return NaN;
  const value = Number(trimmed);
  return Number.isNaN(value) ? text : value;
}

/**
 * Parses a `summary.csv` (sections of `# title` followed by a CSV table with a header line).
 *
 * @param text The file's content.
 * @param source A file name for error messages.
 * @throws {Error} when text precedes the first `# ` title, or a section's CSV is malformed (the
 * message names the source and the title).
 * @example
 * ```ts
 * import { parseSummaryCsv } from "./committed.ts";
 * const [table] = parseSummaryCsv("# t\na,b\nx,1.5\n");
 * table.records; // [{ a: "x", b: 1.5 }]
 * ```
 */
export function parseSummaryCsv(text: string, source = "summary.csv"): SummaryCsvTable[] {
  const tables: SummaryCsvTable[] = [];
  let title: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (title === undefined) return;
    const csv = body.join("\n").trim();
    if (csv === "") {
      tables.push({ title, records: [] });
    } else {
      let parsed;
      try {
        parsed = parseDelimited(csv + "\n", ",", `${source} (${title})`);
      } catch (error) {
        throw new Error(`${source}: table "${title}": ${(error as Error).message}`);
      }
      tables.push({
        title,
        records: parsed.rows.map((row) =>
          Object.fromEntries(parsed.header.map((name, i) => [name, cell(row[i])]))
        ),
      });
    }
    body = [];
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A title line; a quoted field spanning lines never starts with "# ".
    if (line.startsWith("# ")) {
      flush();
      title = line.slice(2).trim();
    } else if (title === undefined) {
      if (line.trim() !== "") {
        throw new Error(`${source}: line ${i + 1}: text before the first "# title" line`);
      }
    } else body.push(line);
  }
  flush();
  return tables;
}

/**
 * The table whose title starts with `titleStart`.
 *
 * @throws {Error} naming the titles present when none matches.
 * @example
 * ```ts
 * import { parseSummaryCsv, summaryTable } from "./committed.ts";
 * const tables = parseSummaryCsv("# maml: Sinusoid MSE after 100 it.\nmethod\nmaml\n");
 * summaryTable(tables, "maml: Sinusoid MSE").records.length; // 1
 * ```
 */
export function summaryTable(
  tables: readonly SummaryCsvTable[],
  titleStart: string,
): SummaryCsvTable {
  const found = tables.find((t) => t.title.startsWith(titleStart));
  if (!found) {
    throw new Error(
      `no table titled "${titleStart}…" (tables: ${tables.map((t) => `"${t.title}"`).join(", ")})`,
    );
  }
  return found;
}

/**
 * Reads the `summary.csv` of a committed run folder (e.g. `results/maml_full`).
 *
 * @example
 * ```ts ignore
 * import { readSummaryCsv } from "./committed.ts";
 * const tables = readSummaryCsv(new URL("../../results/maml_full/", import.meta.url));
 * ```
 */
export function readSummaryCsv(dir: string | URL): SummaryCsvTable[] {
  const url = new URL("summary.csv", folderUrl(dir));
  return parseSummaryCsv(Deno.readTextFileSync(url), url.pathname);
}

/**
 * Parses a long-format `results.csv` (columns suite, task, method, seed, step, metric, value) back
 * into {@linkcode ResultRow}s; `NaN` (a diverged evaluation) stays NaN.
 *
 * @throws {Error} when a column is missing or seed, step or value is not a number.
 * @example
 * ```ts
 * import { parseResultsCsv } from "./committed.ts";
 * parseResultsCsv("suite,task,method,seed,step,metric,value\ns,t,m,0,1,mse,NaN\n")[0].value; // NaN
 * ```
 */
export function parseResultsCsv(text: string, source = "results.csv"): ResultRow[] {
  const { header, rows, lines } = parseDelimited(text, ",", source);
  const columns = ["suite", "task", "method", "seed", "step", "metric", "value"] as const;
  const index = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${source}: no "${c}" column (columns: ${header.join(", ")})`);
    return i;
  });
  return rows.map((row, r) => {
    const number = (k: number) => {
      const text = row[index[k]].trim();
      const value = text === "NaN" ? NaN : Number(text);
      if (text === "" || (Number.isNaN(value) && text !== "NaN")) {
        throw new Error(`${source}: line ${lines[r]}: ${columns[k]} "${text}" is not a number`);
      }
      return value;
    };
    return {
      suite: row[index[0]],
      task: row[index[1]],
      method: row[index[2]],
      seed: number(3),
      step: number(4),
      metric: row[index[5]],
      value: number(6),
    };
  });
}

/**
 * Reads the `results.csv` of a committed run folder.
 *
 * @example
 * ```ts ignore
 * import { readResultsCsv } from "./committed.ts";
 * const rows = readResultsCsv("results/comparison_full");
 * ```
 */
export function readResultsCsv(dir: string | URL): ResultRow[] {
  const url = new URL("results.csv", folderUrl(dir));
  return parseResultsCsv(Deno.readTextFileSync(url), url.pathname);
}

/**
 * Reads the `provenance.json` of a committed run folder.
 *
 * @throws {Error} when the file lacks the command, commit or date.
 * @example
 * ```ts ignore
 * import { readProvenance } from "./committed.ts";
 * const { command, commit } = readProvenance("results/maml_full");
 * ```
 */
export function readProvenance(dir: string | URL): CommittedProvenance {
  const url = new URL("provenance.json", folderUrl(dir));
  const value = JSON.parse(Deno.readTextFileSync(url));
  for (const field of ["command", "commit", "date"]) {
    if (typeof value?.[field] !== "string") {
      throw new Error(`${url.pathname}: "${field}" missing or not a string`);
    }
  }
  return value as CommittedProvenance;
}

/**
 * One line naming a committed run: command, commit, date and wall time.
 *
 * @example
 * ```ts
 * import { provenanceLine } from "./committed.ts";
 * provenanceLine({
 *   command: "deno task bench --full --suite maml",
 *   commit: "0123456789abcdef",
 *   dirty: false,
 *   date: "2026-11-29T10:00:00.000Z",
 *   wallSeconds: 1800,
 *   versions: { deno: "2.0.0", v8: "", typescript: "" },
 *   machine: { os: "linux", arch: "x86_64", cpus: 2, cpuModel: "cpu", memoryGiB: 24 },
 * }); // "`deno task bench --full --suite maml`, commit 0123456, 2026-11-29, 30.0 min wall, deno 2.0.0, linux x86_64 2 cores"
 * ```
 */
export function provenanceLine(p: CommittedProvenance): string {
  return `\`${p.command}\`, commit ${p.commit.slice(0, 7)}${p.dirty ? " (+ local changes)" : ""}, ${
    p.date.slice(0, 10)
  }, ${(p.wallSeconds / 60).toFixed(1)} min wall, deno ${p.versions.deno}${
    p.tfjs ? `, tfjs ${p.tfjs}` : ""
  }, ${p.machine.os} ${p.machine.arch} ${p.machine.cpus} cores${
    p.loadAverage ? `, load ${p.loadAverage.map((l) => l.toFixed(1)).join(" / ")}` : ""
  }`;
}

function folderUrl(dir: string | URL): URL {
  const url = locationUrl(dir);
  return url.href.endsWith("/") ? url : new URL(url.href + "/");
}
