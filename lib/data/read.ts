/**
 * Loaders for the user's own data: CSV, TSV (plain or gzip) and JSON, from strings or files, into
 * typed arquero tables with a {@linkcode LoadReport}.
 *
 * @module
 */
import { gunzipSync } from "node:zlib";
import { z } from "../deps/zod.ts";
import { parseOrThrow } from "../validate.ts";
import { DataError } from "./errors.ts";
import { parseDelimited } from "./delimited.ts";
import { jsonErrorOffset } from "./json_position.ts";
import { parseJson, writtenKeys } from "./json.ts";
import { type LoadedTable, type LoadOptions, type RawCell, tableFromColumns } from "./table.ts";

function fromDelimited(
  text: string,
  delimiter: string,
  format: "csv" | "tsv",
  options: LoadOptions,
): LoadedTable {
  const source = options.source ?? "<string>";
  const { header, rows, lines, blankLines } = parseDelimited(text, delimiter, source);
  // A Map keeps the header's order (an object would put "3" before "label").
  const columns = new Map(header.map((name, j) => [name, rows.map((row) => row[j])]));
  return tableFromColumns(
    columns,
    { source, format, blankLines, locate: (r) => ({ line: lines[r] }) },
    options,
  );
}

/**
 * Reads CSV text (RFC 4180; first line is the header) into a typed table.
 *
 * @throws {DataError} naming the source and line of a ragged row or an unterminated quote.
 * @example
 * ```ts
 * import { tableFromCsv } from "./read.ts";
 * const { table, report } = tableFromCsv("x,label\n1.5,a\nNA,b\n", { source: "mine.csv" });
 * // table.numRows() === 2; report.columns[0].missing === 1
 * ```
 */
export function tableFromCsv(text: string, options: LoadOptions = {}): LoadedTable {
  if (typeof text !== "string") throw new TypeError("text: must be a string");
  return fromDelimited(text, ",", "csv", options);
}

/**
 * Reads TSV text (tab-separated; first line is the header) into a typed table.
 *
 * @throws {DataError} naming the source and line of a ragged row or an unterminated quote.
 * @example
 * ```ts
 * import { tableFromTsv } from "./read.ts";
 * const { table } = tableFromTsv("x\tlabel\n1\ta\n2\tb\n");
 * // table.columnNames() = ["x", "label"]
 * ```
 */
export function tableFromTsv(text: string, options: LoadOptions = {}): LoadedTable {
  if (typeof text !== "string") throw new TypeError("text: must be a string");
  return fromDelimited(text, "\t", "tsv", options);
}

/**
 * Reads JSON into a typed table: either an array of records (`[{"x": 1, "y": "a"}, ...]`; columns
 * are the union of keys in order of first appearance, an absent key is missing) or an object of
 * equal-length column arrays (`{"x": [1, 2], "y": ["a", "b"]}`). Accepts JSON text or an already
 * parsed value. Keys come in the order written in JSON text; an already parsed object enumerates
 * keys that look like array indices (`"3"`) first, as JavaScript does.
 *
 * @throws {DataError} on invalid JSON (naming line and column), another top-level shape, a record
 * that is not an object, columns of unequal length, or nested values.
 * @example
 * ```ts
 * import { tableFromJson } from "./read.ts";
 * const { table } = tableFromJson('[{"x": 1, "y": "a"}, {"x": null, "y": "b"}]');
 * const { table: same } = tableFromJson({ x: [1, null], y: ["a", "b"] });
 * ```
 */
export function tableFromJson(input: unknown, options: LoadOptions = {}): LoadedTable {
  const source = options.source ?? "<string>";
  let value = input;
  /** The JSON text, whose key order is the table's column order. */
  let written: string | undefined;
  if (typeof input === "string") {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    try {
      value = parseJson(text);
    } catch (error) {
      throw jsonSyntaxError(text, error as SyntaxError, source);
    }
    written = text;
  }
  if (Array.isArray(value)) {
    let names: string[] = [];
    const seen = new Set<string>();
    value.forEach((record, r) => {
      if (record === null || typeof record !== "object" || Array.isArray(record)) {
        throw new DataError(`record ${r} is not an object`, { source });
      }
      for (const key of Object.keys(record)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    });
    if (written !== undefined && names.some((name) => INDEX_KEY.test(name))) {
      names = [...new Set(writtenKeys(written, "records").flat())];
    }
    const columns = new Map(
      names.map((name) => [
        name,
        value.map((record) =>
          Object.hasOwn(record, name) ? (record as Record<string, RawCell>)[name] : undefined
        ),
      ]),
    );
    return tableFromColumns(
      columns,
      { source, format: "json", locate: (r) => ({ record: r }) },
      options,
    );
  }
  if (value !== null && typeof value === "object") {
    const columns = value as Record<string, unknown>;
    let names = Object.keys(columns);
    if (written !== undefined && names.some((name) => INDEX_KEY.test(name))) {
      names = [...new Set(writtenKeys(written, "columns").flat())];
    }
    if (names.length === 0) throw new DataError("JSON object has no columns", { source });
    for (const name of names) {
      if (!Array.isArray(columns[name])) {
        throw new DataError("is not an array (expected an object of column arrays)", {
          source,
          column: name,
        });
      }
    }
    return tableFromColumns(
      new Map(names.map((name) => [name, columns[name] as RawCell[]])),
      { source, format: "json", locate: (r) => ({ record: r }) },
      options,
    );
  }
  throw new DataError(
    "JSON must be an array of records or an object of column arrays",
    { source },
  );
}

/** A key JavaScript may enumerate before the others, whatever its place (an array index). */
const INDEX_KEY = /^(0|[1-9]\d*)$/;

function jsonSyntaxError(text: string, error: SyntaxError, source: string): DataError {
  const found = jsonErrorOffset(text);
  const offset = found < 0 ? text.length : found;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const near = offset < text.length
    ? `near ${JSON.stringify(text.slice(offset, offset + 12))}`
    : "at end of input";
  return new DataError(`invalid JSON ${near} (${error.message.split("\n")[0]})`, {
    source,
    line,
    column,
  });
}

const pathSchema = z.union(
  [z.string().min(1, "must be a non-empty file path"), z.instanceof(URL)],
  {
    error: (issue) =>
      `must be a non-empty file path or a file: URL, got ${
        issue.input === null ? "null" : JSON.stringify(issue.input) ?? typeof issue.input
      }`,
  },
);

/** A file format the loaders understand. */
export type FileFormat = "csv" | "tsv" | "json";

/**
 * Loads a CSV, TSV or JSON file, gzip-compressed or not, into a typed table. The format comes from
 * the extension (`.csv`, `.tsv`, `.tab`, `.json`, each optionally followed by `.gz`) unless given;
 * gzip is recognised by its magic bytes. Needs read permission for the path.
 *
 * @throws {DataError} naming the file when it cannot be read, decompressed or parsed; for a file
 * that is not UTF-8 text, the line and byte offset of the first invalid byte.
 * @example
 * ```ts ignore
 * import { loadTable } from "./read.ts";
 * const { table, report } = await loadTable("data/wine.tsv.gz");
 * console.log(report.rows, report.columns.map((c) => `${c.name}: ${c.type}`));
 * ```
 */
export async function loadTable(
  path: string | URL,
  options: LoadOptions & { format?: FileFormat } = {},
): Promise<LoadedTable> {
  parseOrThrow(pathSchema, path, "loadTable: path");
  const name = typeof path === "string" ? path : path.pathname;
  const { format: given, ...loadOptions } = parseOrThrow(
    z.object({ format: z.enum(["csv", "tsv", "json"]).optional() }).loose(),
    options ?? {},
    "loadTable: options",
  ) as LoadOptions & { format?: FileFormat };
  const format = given ?? formatFromName(name);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new DataError(`cannot read file: ${(error as Error).message}`, { source: name });
  }
  const original = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DataError(`cannot decompress gzip: ${(error as Error).message}`, { source: name });
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw utf8Error(bytes, name, bytes !== original);
  }
  const withSource = { ...loadOptions, source: loadOptions.source ?? name };
  if (format === "csv") return tableFromCsv(text, withSource);
  if (format === "tsv") return tableFromTsv(text, withSource);
  return tableFromJson(text, withSource);
}

/**
 * The error of a file that is not UTF-8 text, computed only once decoding has failed: the line
 * (`\n`, `\r\n` and a lone `\r` each end one, as in the delimited parser) and byte offset of the
 * first ill-formed sequence, and a hint.
 */
function utf8Error(bytes: Uint8Array, source: string, decompressed: boolean): DataError {
  const offset = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  const where = `byte offset ${offset}${decompressed ? " of the decompressed data" : ""}`;
  return new DataError(
    `not valid UTF-8 text: byte 0x${bytes[offset].toString(16).padStart(2, "0")} at ${where} ` +
      "does not start a valid UTF-8 sequence; the file may be in another encoding (Latin-1, " +
      "Windows-1252): re-encode it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)",
    { source, line },
  );
}

/**
 * The offset of the first byte of the first ill-formed UTF-8 sequence (by the well-formed byte
 * sequences of the Unicode Standard, table 3-7, which a fatal `TextDecoder` applies; a sequence
 * cut off by the end of the bytes is ill-formed too), or -1 when all bytes are well-formed.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Trailing bytes needed, and the range of the first one (the others are 0x80–0xbf).
    let need: number, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // no overlong forms
      if (b === 0xf4) hi = 0x8f; // nothing beyond U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return i;
      const c = bytes[i + k];
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function formatFromName(name: string): FileFormat {
  const base = name.toLowerCase().replace(/\.gz$/, "");
  if (base.endsWith(".csv")) return "csv";
  if (base.endsWith(".tsv") || base.endsWith(".tab")) return "tsv";
  if (base.endsWith(".json")) return "json";
  throw new DataError(
    "cannot tell the format from the file name; pass options.format (csv, tsv or json)",
    { source: name },
  );
}
