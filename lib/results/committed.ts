/**
 * Readers of committed benchmark outputs: the `summary.csv` that `deno task bench` writes (one
 * `# title` line per table, then that table as CSV; {@linkcode summaryCsv} writes it), its
 * long-format `results.csv`, and the `provenance.json` next to them. README tables and notebooks
 * read the figures of a committed run with these instead of typing them.
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
import { recordsToCsv, type ResultRow } from "./results.ts";
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
  /**
   * Whether tracked files had uncommitted changes when the run started; `null` when that could not
   * be known (the code was not in a git checkout, or `git status` failed).
   */
  readonly dirty: boolean | null;
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

/**
 * Number text as the CSV writers emit it (`String(number)`, or a fixed number of decimals): an
 * optional minus, an integer part without leading zeros, optional decimals, and an exponent only
 * with its sign (`1e-7`, `1e+21`); `Infinity` and `-Infinity`. Other text that `Number` would
 * accept, such as `007`, `0x1F`, `1_000` or `0e12345` (a commit hash), is not a number here.
 */
const NUMBER_TEXT = /^-?(?:(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]\d+)?|Infinity)$/;

function cell(text: string): string | number {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  if (trimmed === "NaN") return NaN;
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : text;
}

/** The index just past the line break at `i` (`\n`, `\r\n` or a lone `\r`), or `i` if none. */
function pastBreak(text: string, i: number): number {
  if (text[i] === "\n") return i + 1;
  if (text[i] === "\r") return text[i + 1] === "\n" ? i + 2 : i + 1;
  return i;
}

/** The index of the first line break at or after `i`, or the text's length. */
function lineEnd(text: string, i: number): number {
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

/**
 * The index just past the CSV record that starts at `i` (after its line break): line breaks
 * inside a quoted field belong to the record. A quote opens a field only at the field's start,
 * as `parseDelimited` reads it; an unterminated quote runs to the end of the text.
 */
function recordEnd(text: string, i: number): number {
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (fieldStart && c === '"') {
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return text.length;
        i = close + 1;
        if (text[i] !== '"') break;
        i++;
      }
      fieldStart = false;
      continue;
    }
    if (c === "\n" || c === "\r") return pastBreak(text, i);
    fieldStart = c === ",";
    i++;
  }
  return i;
}

/**
 * Writes tables as a `summary.csv`: for each table its `# title` line, then the table as
 * `recordsToCsv` writes it (nothing for a table without records; a cell that starts with `#` is
 * quoted, so that {@linkcode parseSummaryCsv} reads it as a record, not as a title): what it
 * writes reads back as the same tables (numbers as numbers, text as text, except text that reads
 * as a number, such as `"1.5"`).
 *
 * @throws {RangeError} when a title is empty or holds a line break.
 * @example
 * ```ts
 * import { parseSummaryCsv, summaryCsv } from "./committed.ts";
 * const text = summaryCsv([{ title: "t", records: [{ method: "# baseline", mse: 0.5 }] }]);
 * text; // '# t\nmethod,mse\n"# baseline",0.5\n'
 * parseSummaryCsv(text)[0].records[0].method; // "# baseline"
 * ```
 */
export function summaryCsv(
  tables: readonly { title: string; records: readonly Record<string, unknown>[] }[],
): string {
  return tables.map(({ title, records }, t) => {
    if (typeof title !== "string" || title.trim() === "" || /[\r\n]/.test(title)) {
      throw new RangeError(
        `summaryCsv.tables[${t}].title: must be one line of text, got ${JSON.stringify(title)}`,
      );
    }
    return `# ${title.trim()}\n${recordsToCsv(records)}`;
  }).join("");
}

/**
 * Parses a `summary.csv` (sections of `# title` followed by a CSV table with a header line). A
 * title is a line that starts with `# ` at the start of a record: a line inside a quoted field
 * that spans lines is part of that field, and a record whose first cell starts with `# ` must have
 * that cell quoted (as {@linkcode summaryCsv} writes it). A cell is a number when it is number
 * text as the writers emit it (`0.25`, `0.580`, `-3`, `1e-7`, `Infinity`; `NaN` is NaN); other
 * text stays text (`007`, `0x1F`, `0e12345`); an empty cell is `""`.
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
  let bodyStart = 0;
  const flush = (end: number) => {
    if (title === undefined) return;
    const csv = text.slice(bodyStart, end).trim();
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
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    // At the start of a record: a title line, or a record of the current table.
    const end = lineEnd(text, i);
    if (text.startsWith("# ", i)) {
      flush(i);
      title = text.slice(i + 2, end).trim();
      i = pastBreak(text, end);
      bodyStart = i;
    } else if (title === undefined) {
      if (text.slice(i, end).trim() !== "") {
        throw new Error(`${source}: line ${line}: text before the first "# title" line`);
      }
      i = pastBreak(text, end);
    } else {
      i = recordEnd(text, i);
      continue;
    }
    line++;
  }
  flush(text.length);
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
 * @throws {Error} when a column is missing, seed, step or value is not a number as the writers
 * emit numbers, or seed is neither an integer ≥ 0 nor -1.
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
    // Numbers as the writers emit them (NUMBER_TEXT, or NaN): `0x10` or `1_000` are not.
    const number = (k: number) => {
      const text = row[index[k]].trim();
      if (text !== "NaN" && !NUMBER_TEXT.test(text)) {
        throw new Error(`${source}: line ${lines[r]}: ${columns[k]} "${text}" is not a number`);
      }
      return Number(text);
    };
    const seed = number(3);
    if (!(Number.isInteger(seed) && seed >= -1)) {
      throw new Error(
        `${source}: line ${lines[r]}: seed ${seed} is not a run seed (an integer ≥ 0) or -1`,
      );
    }
    return {
      suite: row[index[0]],
      task: row[index[1]],
      method: row[index[2]],
      seed,
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
 * Reads the `provenance.json` of a committed run folder, checking the fields that
 * {@linkcode provenanceLine} reads.
 *
 * @throws {Error} naming the file and the field when the command, commit or date is missing or
 * not a string, the wall seconds are not a number, or `versions.deno`, `machine.os`,
 * `machine.arch` or `machine.cpus` is missing (`…/provenance.json: "versions.deno" missing or not
 * a string`), `dirty` is neither a boolean nor null, the commit is empty, the wall seconds are not
 * finite and ≥ 0, or `loadAverage` (when present) is not an array of finite numbers or `tfjs` not
 * a string.
 * @example
 * ```ts ignore
 * import { readProvenance } from "./committed.ts";
 * const { command, commit } = readProvenance("results/maml_full");
 * ```
 */
export function readProvenance(dir: string | URL): CommittedProvenance {
  const url = new URL("provenance.json", folderUrl(dir));
  const value = JSON.parse(Deno.readTextFileSync(url));
  const fields: [string, "string" | "number"][] = [
    ["command", "string"],
    ["commit", "string"],
    ["date", "string"],
    ["wallSeconds", "number"],
    ["versions.deno", "string"],
    ["machine.os", "string"],
    ["machine.arch", "string"],
    ["machine.cpus", "number"],
  ];
  for (const [field, type] of fields) {
    const found = field.split(".").reduce((v, key) => v?.[key], value);
    if (type === "string" ? typeof found !== "string" : typeof found !== "number") {
      throw new Error(`${url.pathname}: "${field}" missing or not a ${type}`);
    }
  }
  // Quoted as "(+ local changes)" or not by `commitText`: a string such as "false" would read as
  // true there.
  if (typeof value.dirty !== "boolean" && value.dirty !== null) {
    throw new Error(`${url.pathname}: "dirty" missing or not a boolean or null`);
  }
  // The rest of what `provenanceLine` reads: a commit and a wall time that can be quoted, and
  // the optional load averages and tfjs version.
  if (value.commit === "") throw new Error(`${url.pathname}: "commit" is empty`);
  if (!(Number.isFinite(value.wallSeconds) && value.wallSeconds >= 0)) {
    throw new Error(`${url.pathname}: "wallSeconds" must be a finite number >= 0`);
  }
  if (
    value.loadAverage !== undefined &&
    !(Array.isArray(value.loadAverage) &&
      value.loadAverage.every((l: unknown) => typeof l === "number" && Number.isFinite(l)))
  ) {
    throw new Error(`${url.pathname}: "loadAverage" must be an array of finite numbers`);
  }
  if (value.tfjs !== undefined && typeof value.tfjs !== "string") {
    throw new Error(`${url.pathname}: "tfjs" must be a string`);
  }
  return value as CommittedProvenance;
}

/**
 * One line naming a committed run: command, commit, date and wall time (in seconds below a
 * minute, `45.5 s wall`, else in minutes, `30.0 min wall`).
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
  return `\`${p.command}\`, commit ${commitText(p)}, ${p.date.slice(0, 10)}, ${
    wallTimeText(p.wallSeconds)
  } wall, deno ${p.versions.deno}${
    p.tfjs ? `, tfjs ${p.tfjs}` : ""
  }, ${p.machine.os} ${p.machine.arch} ${p.machine.cpus} cores${
    p.loadAverage ? `, load ${p.loadAverage.map((l) => l.toFixed(1)).join(" / ")}` : ""
  }`;
}

/**
 * The commit of a provenance as results quote it: its first 7 characters, and "(+ local changes)"
 * when the working tree had them. When whether it had them is not known (`dirty` null), it says
 * so: "unknown (not a git checkout)" for a run outside a git checkout (commit "unknown"), else
 * "(local changes not known)" after the commit.
 *
 * @example
 * ```ts
 * import { commitText } from "./committed.ts";
 * commitText({ commit: "0123456789abcdef", dirty: true }); // "0123456 (+ local changes)"
 * commitText({ commit: "unknown", dirty: null }); // "unknown (not a git checkout)"
 * ```
 */
export function commitText(p: Pick<CommittedProvenance, "commit" | "dirty">): string {
  if (p.dirty === null) {
    return p.commit === "unknown"
      ? "unknown (not a git checkout)"
      : `${p.commit.slice(0, 7)} (local changes not known)`;
  }
  return `${p.commit.slice(0, 7)}${p.dirty ? " (+ local changes)" : ""}`;
}

// Seconds below a minute (a run of a few seconds would read "0.0 min"), to one decimal (two
// below one second, as recorded), else minutes to one decimal; from 59.95 s the seconds would
// round to 60.0, and the minutes read "1.0 min".
function wallTimeText(seconds: number): string {
  if (seconds >= 59.95) return `${(seconds / 60).toFixed(1)} min`;
  return `${seconds.toFixed(seconds < 1 ? 2 : 1)} s`;
}

function folderUrl(dir: string | URL): URL {
  const url = locationUrl(dir);
  return url.href.endsWith("/") ? url : new URL(url.href + "/");
}
