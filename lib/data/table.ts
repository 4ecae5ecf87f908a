/**
 * Typed arquero tables from raw columns: each column is inferred numeric or categorical, missing
 * markers become `null`, and a {@linkcode LoadReport} says what was found. Every loader (CSV, TSV,
 * JSON, plain columns) goes through {@linkcode tableFromColumns}, so the rules below hold for all.
 *
 * Cell rules, in order (a text cell is compared with the tokens and number forms after trimming
 * surrounding white space, but a label keeps it):
 * 1. `null`, `undefined` and text equal (after trimming) to a missing token
 *    ({@linkcode LOAD_DEFAULTS}`.missingTokens`) are missing.
 * 2. Non-finite cells are missing and counted in the column's `nonFinite` (and `missing`): a
 *    number that is NaN or ±Infinity (JSON's `1e999` parses to Infinity), and text that reads as
 *    one — a number literal beyond the float64 range (`1e999`, `-2e308`) or `Infinity` / `inf`
 *    with an optional sign, in any letter case. Text spelling NaN (`nan` with an optional sign, in
 *    any letter case: `-nan`, `NAN`, `+NaN`) is missing like the default tokens `NaN` and `nan`,
 *    whatever the missing tokens, and not counted in `nonFinite`. A table cell is a finite number,
 *    a label or missing, whatever the file format.
 * 3. Other text that is a decimal number literal (`1`, `-2.5`, `.5e3`, also with surrounding
 *    spaces) is numeric; a boolean or any other text is a label.
 * 4. A column is numeric when every non-missing cell is numeric, so also when every cell is
 *    missing (as pandas reads an empty column as float); otherwise categorical, with labels kept
 *    exactly as written: `"007"` stays `"007"`, and `" yes"` and `"yes"` are two labels.
 *
 * Column names are arbitrary strings (`constructor` and `__proto__` included), and columns keep
 * their order: the file's for every loader, a `Map`'s insertion order for
 * {@linkcode tableFromColumns}. (A plain object given as columns or records enumerates keys that
 * look like array indices, such as `"3"`, first, in numeric order; JSON text keeps the file's.)
 *
 * @module
 */
import { aq } from "../deps/arquero.ts";
import { z } from "../deps/zod.ts";
import { DataError } from "./errors.ts";
import { ownRecordSchema, parseOrThrow } from "../validate.ts";

/** An arquero column table, as returned by every loader. */
export type Table = aq.ColumnTable;

/** How a column's values are treated: numbers, or labels from a finite set. */
export type TableColumnType = "numeric" | "categorical";

/** What a loader found in one column. */
export interface ColumnSummary {
  /** Column name. */
  name: string;
  /** Inferred (or forced) type. */
  type: TableColumnType;
  /** Number of missing cells (empty, a missing token, JSON null or an absent key). */
  missing: number;
  /** Number of distinct non-missing values. */
  distinct: number;
  /** Cells read as missing because they are non-finite numbers (included in `missing`). */
  nonFinite: number;
}

/** What a loader read: the source, the row count and a summary of every column. */
export interface LoadReport {
  /** File name or label of the input. */
  source: string;
  /** Input format. */
  format: "csv" | "tsv" | "json";
  /** Rows read (every record becomes a row; none is dropped at load time). */
  rows: number;
  /** One summary per column, in table order. */
  columns: ColumnSummary[];
  /** Blank lines skipped in delimited text (0 for JSON). */
  blankLines: number;
}

/** A loaded table with its report. */
export interface LoadedTable {
  /** The typed table: numeric columns hold numbers or null, categorical columns strings or null. */
  table: Table;
  /** What was found while loading. */
  report: LoadReport;
}

/**
 * Defaults of the loaders.
 *
 * - `missingTokens`: cell texts read as missing (after trimming): `""`, `"NA"`, `"N/A"`, `"?"`,
 *   `"NaN"`, `"nan"`, `"null"`, `"NULL"`. JSON `null` and absent keys are always missing, and so
 *   is text spelling NaN or Infinity in any letter case (module rule 2).
 *
 * @example
 * ```ts
 * import { LOAD_DEFAULTS } from "./table.ts";
 * import { tableFromCsv } from "./read.ts";
 * // Also read "-" as missing:
 * tableFromCsv("a\n-\n1\n", { missingTokens: [...LOAD_DEFAULTS.missingTokens, "-"] });
 * ```
 */
export const LOAD_DEFAULTS: { readonly missingTokens: readonly string[] } = Object.freeze({
  missingTokens: Object.freeze(["", "NA", "N/A", "?", "NaN", "nan", "null", "NULL"]),
});

/** Options of the loaders (see {@linkcode LOAD_DEFAULTS}). */
export interface LoadOptions {
  /** A file name or label used in reports and error messages. */
  source?: string;
  /** Cell texts read as missing; replaces `LOAD_DEFAULTS.missingTokens`. */
  missingTokens?: readonly string[];
  /** Forced column types, by column name; other columns are inferred. */
  types?: Record<string, TableColumnType>;
}

const loadOptionsSchema = z.object({
  source: z.string().min(1).optional(),
  missingTokens: z.array(z.string()).optional(),
  types: ownRecordSchema(z.enum(["numeric", "categorical"])).optional(),
}).strict();

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(inf|infinity)$/i;
const NAN = /^[+-]?nan$/i;
const NO_TOKENS: ReadonlySet<string> = new Set();

/** What a raw cell is under the module's cell rules (the one place they are applied). */
type CellReading =
  | { kind: "missing"; nonFinite: boolean }
  | { kind: "number"; value: number }
  | { kind: "label"; text: string };

function readCell(cell: string | number | boolean, missing: ReadonlySet<string>): CellReading {
  if (typeof cell === "number") {
    return Number.isFinite(cell)
      ? { kind: "number", value: cell }
      : { kind: "missing", nonFinite: true };
  }
  if (typeof cell === "boolean") return { kind: "label", text: String(cell) };
  const text = cell.trim();
  if (missing.has(text)) return { kind: "missing", nonFinite: false };
  if (NUMBER.test(text)) {
    const value = Number(text);
    return Number.isFinite(value)
      ? { kind: "number", value }
      : { kind: "missing", nonFinite: true };
  }
  if (INFINITY.test(text)) return { kind: "missing", nonFinite: true };
  if (NAN.test(text)) return { kind: "missing", nonFinite: false };
  return { kind: "label", text: cell };
}

/**
 * The number a label's text reads as under the cell rules (`" 007"` → 7), or `undefined` when the
 * text is not a finite decimal number literal.
 *
 * @example
 * ```ts
 * import { labelNumber } from "./table.ts";
 * labelNumber("007"); // 7
 * labelNumber("A12"); // undefined
 * ```
 */
export function labelNumber(text: string): number | undefined {
  const reading = readCell(text, NO_TOKENS);
  return reading.kind === "number" ? reading.value : undefined;
}

/** A raw cell as a parser or JSON gives it. */
export type RawCell = string | number | boolean | null | undefined;

/** Where a raw cell came from, for error messages: the record's line (text) or index (JSON). */
export type CellLocator = (row: number) => { line?: number; record?: number };

/**
 * Builds a typed table from raw columns (used by the CSV, TSV and JSON loaders). Columns come in
 * the order of the `Map` or of the object's keys (see the module documentation).
 *
 * @example
 * ```ts
 * import { tableFromColumns } from "./table.ts";
 * const { table, report } = tableFromColumns(
 *   { x: ["1", "2", "NA"], y: ["a", "b", "a"] },
 *   { source: "inline", format: "csv" },
 * );
 * // report.columns = [{ name: "x", type: "numeric", missing: 1, distinct: 2, nonFinite: 0 }, ...]
 * ```
 */
export function tableFromColumns(
  columns: Record<string, readonly RawCell[]> | ReadonlyMap<string, readonly RawCell[]>,
  context: {
    source: string;
    format: LoadReport["format"];
    locate?: CellLocator;
    blankLines?: number;
  },
  options: LoadOptions = {},
): LoadedTable {
  const opts = parseOrThrow(loadOptionsSchema, options, "options");
  if (columns === null || typeof columns !== "object" || Array.isArray(columns)) {
    throw new TypeError("columns: must be an object of column arrays");
  }
  const source = context.source;
  const missing = new Set((opts.missingTokens ?? LOAD_DEFAULTS.missingTokens).map((t) => t.trim()));
  const given: ReadonlyMap<string, unknown> = columns instanceof Map ? columns : new Map(
    Object.keys(columns).map((name) => [name, (columns as Record<string, unknown>)[name]]),
  );
  const names = [...given.keys()];
  const forcedTypes = new Map(Object.entries(opts.types ?? {}));
  for (const name of forcedTypes.keys()) {
    if (!given.has(name)) {
      throw new DataError(`options.types names a column that does not exist`, {
        source,
        column: name,
      });
    }
  }
  const rows = names.length === 0 ? 0 : (given.get(names[0]) as { length: number }).length;
  const typed: [string, (number | string | null)[]][] = [];
  const summaries: ColumnSummary[] = [];
  for (const name of names) {
    const raw = given.get(name) as readonly RawCell[];
    if (!Array.isArray(raw) && !ArrayBuffer.isView(raw)) {
      throw new DataError("is not an array of cells", { source, column: name });
    }
    if (raw.length !== rows) {
      throw new DataError(`has ${raw.length} values, expected ${rows}`, { source, column: name });
    }
    const cells: (number | string | null)[] = new Array(rows);
    let allNumeric = true;
    let missingCount = 0;
    let nonFinite = 0;
    for (let r = 0; r < rows; r++) {
      const cell = raw[r];
      if (cell === null || cell === undefined) {
        cells[r] = null;
      } else if (
        typeof cell === "number" || typeof cell === "boolean" || typeof cell === "string"
      ) {
        const reading = readCell(cell, missing);
        if (reading.kind === "missing") {
          cells[r] = null;
          if (reading.nonFinite) nonFinite++;
        } else if (reading.kind === "number") cells[r] = reading.value;
        else {
          cells[r] = reading.text;
          allNumeric = false;
        }
      } else {
        const where = context.locate?.(r) ?? {};
        throw new DataError(
          `${where.record !== undefined ? `record ${where.record}: ` : ""}` +
            `value of type ${Array.isArray(cell) ? "array" : typeof cell} is not a table cell`,
          { source, line: where.line, column: name },
        );
      }
      if (cells[r] === null) missingCount++;
    }
    const forced = forcedTypes.get(name);
    const type: TableColumnType = forced ?? (allNumeric ? "numeric" : "categorical");
    if (type === "numeric" && !allNumeric) {
      const r = cells.findIndex((c) => typeof c === "string");
      const where = context.locate?.(r) ?? {};
      throw new DataError(
        `${where.record !== undefined ? `record ${where.record}: ` : ""}` +
          `value ${JSON.stringify(cells[r])} is not a number (column forced numeric)`,
        { source, line: where.line, column: name },
      );
    }
    if (type === "categorical") {
      // Keep the text exactly as written ("007" stays "007"), not the number it may parse to.
      for (let r = 0; r < rows; r++) {
        const cell = raw[r];
        if (cells[r] !== null) cells[r] = String(cell);
      }
    }
    typed.push([name, cells]);
    summaries.push({
      name,
      type,
      missing: missingCount,
      distinct: new Set(cells.filter((c) => c !== null)).size,
      nonFinite,
    });
  }
  return {
    // The names fix the column order: an object's own order would put "3" before "label".
    table: aq.table(Object.fromEntries(typed), names),
    report: {
      source,
      format: context.format,
      rows,
      columns: summaries,
      blankLines: context.blankLines ?? 0,
    },
  };
}
