/**
 * `deno task studies <storage url>`: lists the studies of a storage (trials by status, direction,
 * best value in that direction, created and updated times; a text table, or CSV or JSON with
 * `--format`, written to `--out` when given), exports one study's trials as CSV
 * (see `trialsToCSV`: with the study's name and direction on each row) or JSON (lossless), and
 * fails a running (or waiting) trial of any worker by its number, e.g. one whose objective hangs
 * in a worker that is still alive (see `Storage.failTrial`: an ordinary failed trial, not a lost
 * one; the worker's later tell is refused). It opens an existing storage only: a mistyped path is
 * an error, and no database is created. Listing and exporting open the storage read-only
 * (`readOnly`), so they work on a file that cannot be written, or in a read-only directory, and
 * change nothing; `fail` on such a file is an error that names the read-only file or directory.
 * A relative SQLite path and `--out` are taken from the folder the command was started in (as
 * `deno task bench` takes its folders: `INIT_CWD`, which `deno task` sets, else the working
 * directory), and errors name the file by its absolute path. `--out` never names the storage's
 * own SQLite file or its `-wal`, `-shm` or `-journal` file (symbolic links resolved): that is an
 * error, and nothing is written.
 *
 * ```sh
 * deno task studies sqlite:tune.db
 * deno task studies sqlite:tune.db --format json --out studies.json
 * deno task studies sqlite:tune.db export "my study" --format csv --out trials.csv
 * deno task studies sqlite:tune.db fail "my study" 17 --reason "hung for 2 hours"
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { pathOption, startDir } from "../cli_paths.ts";
import { recordsToCsv } from "../results/results.ts";
import { cell } from "./csv.ts";
import { openStorage, sqlitePath, type StudySummary } from "./storage.ts";
import { trialsToCSV } from "./csv.ts";

export { trialsToCSV };

const USAGE = `usage:
  deno task studies <storage url> [--format csv|json] [--out FILE]        list the studies
  deno task studies <storage url> export <study> [--format csv|json] [--out FILE]
  deno task studies <storage url> fail <study> <trial number> [--reason TEXT]
storage urls: memory:, sqlite:<path> (or sqlite:///<relative path>, sqlite:////<absolute path>),
  postgres://user@host:port/db[?schema=name]
relative paths (of a sqlite: file, of --out) are taken from the folder the command was started in
list and export open the storage read-only (--out must not be its file); the list is a text
table unless --format is given (export's default is csv); --format json is lossless`;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

/**
 * A study name as the list shows it: as it is, or JSON-quoted when it holds a control character
 * (a line break would break the row), starts or ends with a space or starts with `"` (so a
 * quoted name is never taken for another).
 */
function displayName(name: string): string {
  // deno-lint-ignore no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  if (!control.test(name) && !/^\s|\s$|^"/.test(name)) return name;
  return JSON.stringify(name).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The study list as an aligned text table: per study its trials by status, its direction
 * (`minimize` or `maximize`) and its best value in that direction (`-` before any complete
 * trial), and when it was created and last updated. Names are shown whole (two long names that
 * share a prefix stay distinct), one row each: a name with a control character (a line break),
 * a leading or trailing space or a leading `"` is shown JSON-quoted (`"two\nlines"`).
 *
 * @example
 * ```ts
 * import { formatStudyList } from "./cli.ts";
 * formatStudyList([]); // "no studies"
 * ```
 */
export function formatStudyList(studies: readonly StudySummary[]): string {
  if (studies.length === 0) return "no studies";
  const header = [
    "name",
    "complete",
    "failed",
    "lost",
    "running",
    "waiting",
    "direction",
    "best",
    "created",
    "updated",
  ];
  const rows = studies.map((s) => [
    displayName(s.name),
    String(s.counts.complete),
    String(s.counts.failed - s.counts.lost),
    String(s.counts.lost),
    String(s.counts.running),
    String(s.counts.waiting),
    s.direction,
    s.best === undefined ? "-" : String(Number(s.best.toPrecision(6))),
    iso(s.createdAt),
    iso(s.updatedAt),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j])).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The columns of the study list as CSV, in order. */
const LIST_COLUMNS = [
  "name",
  "direction",
  "complete",
  "failed",
  "lost",
  "running",
  "waiting",
  "best",
  "created",
  "updated",
] as const;

/**
 * The study list as CSV (`--format csv`): one row per study with the columns of the table, as
 * data: the name as the trials' export writes it (JSON-quoted when a CSV reader would take it for
 * another value, such as `007` or `NaN`; then quoted by the CSV rules when needed), `failed` without the `lost`
 * trials (as in the table), `best` in full (an empty cell before any complete trial), the times
 * as ISO 8601 with milliseconds. A storage without studies gives the header alone.
 */
function studyListToCSV(studies: readonly StudySummary[]): string {
  if (studies.length === 0) return LIST_COLUMNS.join(",") + "\n";
  return recordsToCsv(studies.map((s) => ({
    name: cell(s.name),
    direction: s.direction,
    complete: s.counts.complete,
    failed: s.counts.failed - s.counts.lost,
    lost: s.counts.lost,
    running: s.counts.running,
    waiting: s.counts.waiting,
    best: s.best,
    created: new Date(s.createdAt).toISOString(),
    updated: new Date(s.updatedAt).toISOString(),
  } satisfies Record<(typeof LIST_COLUMNS)[number], unknown>)));
}

/**
 * `url` with a relative SQLite file path made absolute against `dir`, in the form it was written:
 * `sqlite:<path>` becomes `sqlite:<dir>/<path>`, SQLAlchemy's `sqlite:///<path>` becomes
 * `sqlite:////<dir>/<path>`. Any other URL (`memory:`, `postgres://…`, an absolute path, a
 * malformed `sqlite:` URL, which `openStorage` reports) is returned as it is.
 */
function resolveStorageUrl(url: string, dir: string): string {
  if (!url.startsWith("sqlite:")) return url;
  let path: string;
  try {
    path = sqlitePath(url, url);
  } catch {
    return url; // malformed: openStorage reports it
  }
  if (path === "" || path === ":memory:" || isAbsolute(path)) return url;
  const absolute = resolve(dir, path);
  return url.startsWith("sqlite://") ? `sqlite:///${absolute}` : `sqlite:${absolute}`;
}

/**
 * The path `path` names once every symbolic link on it is followed, for a file that may not exist
 * yet (its folder, or a dangling link's target, is resolved instead).
 */
async function realTarget(path: string): Promise<string> {
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await Deno.realPath(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    let link: string | undefined;
    try {
      link = (await Deno.lstat(path)).isSymlink ? await Deno.readLink(path) : undefined;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (link === undefined) {
      const parent = dirname(path);
      if (parent === path) return path;
      return resolve(await realTarget(parent), basename(path));
    }
    path = resolve(dirname(path), link); // a dangling link: where it points
  }
  return path;
}

/** The files of the SQLite database at `db`: the database and its journals. */
const SQLITE_FILES = ["", "-wal", "-shm", "-journal"];

/**
 * Refuses `--out` `out` when it is (after symbolic links) the SQLite file of storage `url` or one
 * of its journals: writing the list or the export there would destroy the storage that
 * listing and exporting leave unchanged.
 */
async function refuseStorageOut(out: string, url: string): Promise<void> {
  if (!url.startsWith("sqlite:")) return;
  const path = sqlitePath(url, url);
  if (path === "" || path === ":memory:") return;
  const db = await realTarget(path);
  const target = await realTarget(out);
  let sameFile = false;
  try {
    const [a, b] = await Promise.all([Deno.stat(out), Deno.stat(db)]);
    sameFile = a.dev === b.dev && a.ino !== null && a.ino === b.ino; // a hard link
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const suffix = SQLITE_FILES.find((s) => target === db + s);
  if (suffix !== undefined || sameFile) {
    throw new RangeError(
      `studies --out: ${out} is the storage's own file ${db}${suffix ?? ""}; ` +
        "write the list or the export to another file",
    );
  }
}

/** The default `--reason` of `fail`. */
const FAIL_REASON = "failed with deno task studies fail";

/**
 * Runs the command with `args`; returns the text to print, without its last line end (the list
 * or the export is written to `--out` when given, with it; `--out` must not be the storage's own
 * SQLite file or one of its journals; `fail` names the trial it failed, what it was and the
 * reason). The list is the text table of {@linkcode formatStudyList}, or with `--format` CSV
 * (the same columns, as data) or JSON (each study's record with its counts and best value, as `listStudies` gives
 * them); the export is CSV (`trialsToCSV`, the default) or JSON. The storage must
 * exist (`openStorage` with `create: false`): a missing SQLite file or PostgreSQL schema is a
 * `StorageError`, and nothing is created. Listing and exporting open it `readOnly`. A relative
 * SQLite path (`sqlite:tune.db`, `sqlite:///tune.db`) and `--out` are taken from `dir` (default
 * the working directory; the command passes the folder it was started in), so that errors and
 * messages name files by their absolute paths.
 *
 * @example
 * ```ts
 * import { studiesCommand } from "./cli.ts";
 * await studiesCommand(["memory:"]); // "no studies"
 * ```
 */
export async function studiesCommand(
  args: readonly string[],
  dir: string = Deno.cwd(),
): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: "string" },
      out: { type: "string" },
      reason: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return USAGE;
  const [given, command, name, ...extra] = positionals;
  if (
    !given || extra.length > (command === "fail" ? 1 : 0) ||
    (command !== undefined && command !== "export" && command !== "fail")
  ) {
    throw new TypeError(`studies: bad arguments\n${USAGE}`);
  }
  if (command === "fail") {
    for (const option of ["format", "out"] as const) {
      if (values[option] !== undefined) {
        throw new TypeError(`studies fail: --${option} applies to the list and export only`);
      }
    }
  } else if (values.reason !== undefined) {
    throw new TypeError("studies --reason: applies to fail only");
  }
  const format = values.format;
  if (format !== undefined && format !== "csv" && format !== "json") {
    throw new TypeError(`studies --format: must be csv or json, got ${format}`);
  }
  const out = values.out === undefined ? undefined : resolve(dir, pathOption("out", values.out));
  let number: number | undefined;
  if (command === "fail") {
    if (name === undefined) throw new TypeError(`studies fail: name a study\n${USAGE}`);
    const text = extra[0];
    if (text === undefined) throw new TypeError(`studies fail: give a trial number\n${USAGE}`);
    number = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(number)) {
      throw new TypeError(
        `studies fail <trial number>: must be an integer >= 0, got ${JSON.stringify(text)}`,
      );
    }
    if (values.reason === "") throw new TypeError("studies fail --reason: must not be empty");
  }
  // Listing and exporting only read: read-only, so that they work on a read-only file or
  // directory and change nothing.
  const url = resolveStorageUrl(given, dir);
  const storage = await openStorage(url, { create: false, readOnly: command !== "fail" });
  try {
    if (out !== undefined) await refuseStorageOut(out, url);
    if (command === undefined) {
      const studies = await storage.listStudies();
      const text = format === undefined
        ? formatStudyList(studies) + "\n"
        : format === "csv"
        ? studyListToCSV(studies)
        : JSON.stringify(studies, null, 2) + "\n";
      if (out === undefined) return text.slice(0, -1);
      await Deno.writeTextFile(out, text);
      return `wrote ${studies.length} ${studies.length === 1 ? "study" : "studies"} to ${out}`;
    }
    if (name === undefined) throw new TypeError(`studies export: name a study\n${USAGE}`);
    const missing = () =>
      new RangeError(`studies ${command}: no study named ${JSON.stringify(name)}`);
    if (number !== undefined) {
      const study = await storage.getStudy(name);
      if (!study) throw missing();
      const trial = await storage.failTrial(study.id, number, values.reason ?? FAIL_REASON);
      const was = trial.worker === undefined ? "waiting" : `running on worker ${trial.worker}`;
      return `failed trial ${number} of ${JSON.stringify(name)} (it was ${was}): ${trial.error}`;
    }
    // One snapshot: the record (its seq, its finished count) agrees with the trials exported.
    const snapshot = await storage.studySnapshot(name);
    if (!snapshot) throw missing();
    const { study, trials } = snapshot;
    const text = format === "json"
      ? JSON.stringify({ study, trials }, null, 2) + "\n"
      : trialsToCSV(trials, study);
    if (out !== undefined) {
      await Deno.writeTextFile(out, text);
      return `wrote ${trials.length} trials of ${JSON.stringify(name)} to ${out}`;
    }
    return text.slice(0, -1); // printed with its line end: stdout equals the --out file
  } finally {
    await storage.close();
  }
}

if (import.meta.main) {
  try {
    // Without --allow-env, the working directory (never a prompt).
    const env = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    const initCwd = env.state === "granted" ? Deno.env.get("INIT_CWD") : undefined;
    console.log(await studiesCommand(Deno.args, startDir(Deno.cwd(), initCwd)));
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
