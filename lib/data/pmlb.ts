/**
 * Real datasets from the Penn Machine Learning Benchmarks (PMLB; Olson et al. 2017, "PMLB: a large
 * benchmark suite for machine learning evaluation and comparison", BioData Mining 10:36;
 * https://github.com/EpistasisLab/pmlb, MIT licence), committed under `datasets/pmlb/` as PMLB
 * distributes them: one gzip-compressed TSV per dataset (header row, every cell numeric,
 * categorical features already integer-coded by PMLB, the target in the column named `target`)
 * and an `index.tsv` with one line per dataset (`name`, `task`, `rows`, `features`, `n_classes`,
 * `gz_bytes`, `head_name`). See `datasets/pmlb/README.md` for the list.
 *
 * Rules applied by {@linkcode loadPmlbDataset}, in order:
 * 1. the file must have the index's number of rows and features, a `target` column, and only
 *    numeric columns (otherwise a {@linkcode DataError} names the file and the column);
 * 2. the task is the index's, except that a target with two distinct values is a classification
 *    target (PMLB's index lists `titanic`, whose target is survival coded −1 / 1, as regression);
 * 3. rows whose target is missing are dropped (counted in the report);
 * 4. a classification target is stored as text labels (`"0"`, `"1"`, …);
 * 5. when more than `maxRows` rows remain (default: all rows are kept), a seeded subsample of
 *    exactly `maxRows` rows is kept with {@linkcode subsampleRows}: stratified by class for
 *    classification (every class keeps a row, so a `maxRows` below the number of classes is a
 *    `RangeError`), uniform for regression; rows keep their file order.
 *
 * Every feature column is numeric: PMLB does not say which integer-coded columns are categorical,
 * so `prepareDataset` standardises them like any number.
 *
 * The task is the index's (rule 2), not what `inferTaskType` reads from the target, and the two
 * differ for three regression datasets committed in `datasets/pmlb/`: `1027_ESL`, `1028_SWD` and
 * `519_vinnie` have integer targets with at most 20 distinct values, which `prepareDataset` and
 * `extractMetaFeatures` infer as classes. So pass `task: info.task` to both, as the PMLB
 * meta-dataset's generator does: `prepareDataset(table, { target: "target", task: info.task })`.
 *
 * Reading needs file access to the directory (`--allow-read`).
 *
 * @module
 */
import { aq } from "../deps/arquero.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { parseOrThrow } from "../validate.ts";
import { DataError } from "./errors.ts";
import { loadTable } from "./read.ts";
import { maxRowsSchema, subsampleRows } from "./split.ts";
import { locationUrl } from "./location.ts";
import type { DatasetLoadReport } from "./builtin.ts";
import type { Table } from "./table.ts";
import type { TaskType } from "./task_type.ts";

/** One PMLB dataset as listed in the index. */
export interface PmlbDatasetInfo {
  /** PMLB name (also the file name without `.tsv.gz`). */
  readonly name: string;
  /** Learning task (see the module's rule 2). */
  readonly task: TaskType;
  /** The task PMLB's index gives. */
  readonly indexTask: TaskType;
  /** Rows in the file. */
  readonly rows: number;
  /** Feature columns (every column but `target`). */
  readonly features: number;
  /** Number of classes (0 for regression). */
  readonly classes: number;
  /** Distinct target values in the file (the index's `n_classes`). */
  readonly distinctTargets: number;
  /** Size of the compressed file in bytes. */
  readonly gzBytes: number;
  /** Location of the data file. */
  readonly file: URL;
}

/**
 * Defaults of the PMLB loaders: the committed directory `datasets/pmlb/`, subsample seed 0, every
 * row kept (`maxRows: Infinity`).
 *
 * @example
 * ```ts
 * import { PMLB_DEFAULTS } from "./pmlb.ts";
 * PMLB_DEFAULTS.directory.pathname.endsWith("/datasets/pmlb/"); // true
 * ```
 */
export const PMLB_DEFAULTS: {
  readonly directory: URL;
  readonly seed: number;
  readonly maxRows: number;
} = Object.freeze({
  directory: new URL("../../datasets/pmlb/", import.meta.url),
  seed: 0,
  maxRows: Infinity,
});

/** Options of {@linkcode pmlbIndex}. */
export interface PmlbIndexOptions {
  /** Directory holding `index.tsv` and the data files (default {@linkcode PMLB_DEFAULTS}). */
  directory?: string | URL;
}

/** Options of {@linkcode loadPmlbDataset} (defaults in {@linkcode PMLB_DEFAULTS}). */
export interface PmlbLoadOptions extends PmlbIndexOptions {
  /** Seed of the subsample (only used when rows exceed `maxRows`). */
  seed?: number;
  /**
   * Largest number of rows kept: an integer ≥ 2 (and, for classification, ≥ the number of
   * classes) or `Infinity` to keep all.
   */
  maxRows?: number;
}

/** A loaded PMLB dataset. */
export interface PmlbDataset {
  /** Feature columns (numeric) and `target` (text labels for classification). */
  table: Table;
  /** The index entry. */
  info: PmlbDatasetInfo;
  /** Feature column names, in file order. */
  features: string[];
  /** What loading did. */
  report: DatasetLoadReport;
}

const directorySchema = z.union([z.string().min(1), z.instanceof(URL)], {
  error: "must be a directory path or a file: URL",
});
const indexOptionsSchema = z.strictObject({ directory: directorySchema.optional() });
const loadOptionsSchema = z.strictObject({
  directory: directorySchema.optional(),
  seed: z.number().int("must be an integer").optional(),
  maxRows: maxRowsSchema.optional(),
});

const INDEX_COLUMNS = ["name", "task", "rows", "features", "n_classes", "gz_bytes"] as const;
const count = (min: number) =>
  z.number({ error: "must be a number" }).int("must be an integer").min(min, `must be ≥ ${min}`);
const indexRowSchema = z.object({
  name: z.string({ error: "must be a dataset name" })
    .regex(/^[A-Za-z0-9_.-]+$/, "must be a file-name-safe dataset name"),
  task: z.enum(["classification", "regression"], {
    error: "must be classification or regression",
  }),
  rows: count(2),
  features: count(1),
  n_classes: count(1),
  gz_bytes: count(0),
});
const NUMERIC_INDEX_COLUMNS = new Set(["rows", "features", "n_classes", "gz_bytes"]);

function directoryUrl(directory: string | URL | undefined): URL {
  if (directory === undefined) return PMLB_DEFAULTS.directory;
  const url = locationUrl(directory);
  return url.href.endsWith("/") ? url : new URL(`${url.href}/`);
}

/**
 * Reads and checks `index.tsv`: every line must have a file-name-safe `name`, a `task` of
 * `classification` or `regression`, integer `rows` (≥ 2), `features` (≥ 1), `n_classes` (≥ 1,
 * ≥ 2 for classification) and `gz_bytes`; names must be distinct. Datasets come in index order.
 *
 * @throws {DataError} naming the index file, the line and the field of a malformed entry.
 * @example
 * ```ts
 * import { pmlbIndex } from "./pmlb.ts";
 * const index = await pmlbIndex();
 * index.find((d) => d.name === "glass")?.classes; // 5
 * ```
 */
export async function pmlbIndex(options: PmlbIndexOptions = {}): Promise<PmlbDatasetInfo[]> {
  const opts = parseOrThrow(indexOptionsSchema, options, "pmlbIndex.options");
  const directory = directoryUrl(opts.directory);
  const file = new URL("index.tsv", directory);
  const source = decodeURIComponent(file.pathname);
  // Every cell is read as text and numbers are parsed here, so that an error names its line.
  const { table } = await loadTable(file, { format: "tsv", source, missingTokens: [] });
  const names = table.columnNames();
  for (const column of INDEX_COLUMNS) {
    if (!names.includes(column)) throw new DataError("index column is missing", { source, column });
  }
  const columns = Object.fromEntries(
    INDEX_COLUMNS.map((c) => [c, table.array(c) as ArrayLike<unknown>]),
  );
  const seen = new Set<string>();
  const entries: PmlbDatasetInfo[] = [];
  for (let r = 0; r < table.numRows(); r++) {
    const line = r + 2;
    const raw = Object.fromEntries(INDEX_COLUMNS.map((c) => {
      const text = String(columns[c][r]).trim();
      const number = text === "" ? NaN : Number(text);
      return [c, NUMERIC_INDEX_COLUMNS.has(c) && Number.isFinite(number) ? number : text];
    }));
    const parsed = indexRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DataError(issue.message, {
        source,
        line,
        column: String(issue.path[0]),
      });
    }
    const row = parsed.data;
    if (seen.has(row.name)) {
      throw new DataError(`duplicate dataset name ${JSON.stringify(row.name)}`, {
        source,
        line,
        column: "name",
      });
    }
    seen.add(row.name);
    if (row.task === "classification" && row.n_classes < 2) {
      throw new DataError("a classification dataset needs n_classes ≥ 2", {
        source,
        line,
        column: "n_classes",
      });
    }
    const task: TaskType = row.task === "classification" || row.n_classes === 2
      ? "classification"
      : "regression";
    entries.push(Object.freeze({
      name: row.name,
      task,
      indexTask: row.task,
      rows: row.rows,
      features: row.features,
      classes: task === "classification" ? row.n_classes : 0,
      distinctTargets: row.n_classes,
      gzBytes: row.gz_bytes,
      file: new URL(`${row.name}.tsv.gz`, directory),
    }));
  }
  if (entries.length === 0) throw new DataError("the index lists no dataset", { source });
  return entries;
}

/**
 * Loads a PMLB dataset by name (see the module documentation for the rules applied).
 *
 * @throws {RangeError} for a name not in the index (the message lists the known ones);
 * `TypeError` naming the field for bad options; {@linkcode DataError} naming the file and the
 * column when the file disagrees with the index or holds a non-numeric column.
 * @example
 * ```ts
 * import { loadPmlbDataset } from "./pmlb.ts";
 * const { table, info } = await loadPmlbDataset("wine_quality_white", { maxRows: 1000 });
 * // table.numRows() === 1000 (stratified by quality), info.rows === 4898
 * ```
 * @example Pass the index's task on (1028_SWD's integer target would be read as classes)
 * ```ts
 * import { loadPmlbDataset } from "./pmlb.ts";
 * import { prepareDataset } from "./prepare.ts";
 * const { table, info } = await loadPmlbDataset("1028_SWD");
 * const data = prepareDataset(table, { target: "target", task: info.task });
 * if (data.task !== "regression") throw new Error(data.task);
 * ```
 */
export async function loadPmlbDataset(
  name: string,
  options: PmlbLoadOptions = {},
): Promise<PmlbDataset> {
  const opts = parseOrThrow(loadOptionsSchema, options, "loadPmlbDataset.options");
  const index = await pmlbIndex({ directory: opts.directory });
  const info = index.find((d) => d.name === name);
  if (!info) {
    throw new RangeError(
      `name: unknown PMLB dataset ${JSON.stringify(name)}; known: ${
        index.map((d) => d.name).join(", ")
      }`,
    );
  }
  const source = decodeURIComponent(info.file.pathname);
  const loaded = await loadTable(info.file, { format: "tsv", source });
  const { table, report } = loaded;
  const columns = table.columnNames();
  if (!columns.includes("target")) {
    throw new DataError("the target column is missing", { source, column: "target" });
  }
  for (const column of report.columns) {
    if (column.type !== "numeric") {
      throw new DataError("PMLB columns must be numeric; this one holds text", {
        source,
        column: column.name,
      });
    }
  }
  const features = columns.filter((c) => c !== "target");
  if (report.rows !== info.rows || features.length !== info.features) {
    throw new DataError(
      `has ${report.rows} rows and ${features.length} features; the index says ${info.rows} ` +
        `and ${info.features}`,
      { source },
    );
  }
  const rawTarget = table.array("target") as ArrayLike<number | null>;
  const withTarget: number[] = [];
  for (let r = 0; r < rawTarget.length; r++) if (rawTarget[r] !== null) withTarget.push(r);
  if (withTarget.length < 2) {
    throw new DataError(`only ${withTarget.length} row(s) have a target`, {
      source,
      column: "target",
    });
  }
  const classification = info.task === "classification";
  const labels = withTarget.map((r) => String(rawTarget[r]));
  const distinct = new Set(labels).size;
  if (classification && distinct < 2) {
    throw new DataError("a classification target needs two classes", {
      source,
      column: "target",
    });
  }
  const seed = opts.seed ?? PMLB_DEFAULTS.seed;
  const maxRows = opts.maxRows ?? PMLB_DEFAULTS.maxRows;
  const chosen = subsampleRows(
    classification ? labels : withTarget.length,
    maxRows,
    new Rng(seed),
  );
  const rows = Array.from(chosen, (i) => withTarget[i]);
  const out: Record<string, unknown[] | Float64Array> = {};
  for (const column of features) {
    const values = table.array(column) as ArrayLike<number | null>;
    out[column] = rows.map((r) => values[r]);
  }
  out.target = classification
    ? Array.from(chosen, (i) => labels[i])
    : Float64Array.from(rows, (r) => rawTarget[r] as number);
  return {
    // The names fix the column order (an object's own order would put "3" before "target").
    table: aq.table(out, [...features, "target"]),
    info,
    features,
    report: {
      load: report,
      droppedMissingTarget: rawTarget.length - withTarget.length,
      availableRows: withTarget.length,
      rows: rows.length,
      subsampled: rows.length < withTarget.length,
    },
  };
}
