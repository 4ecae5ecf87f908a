/**
 * The error type of the data layer: it names where the problem is (file, line, column) so that a
 * user can open the file and fix it.
 *
 * @module
 */

/** Where in an input a {@linkcode DataError} was found; every part is optional. */
export interface DataErrorLocation {
  /** The file name, or a label such as `"<string>"` for in-memory input. */
  source?: string;
  /** 1-based line number in the source text. */
  line?: number;
  /** The column (field) name or 1-based field number. */
  column?: string | number;
}

/**
 * A malformed input, a missing column or a bad option value. The message starts with the location
 * (`file.csv:12: ...`, `column "age": ...`), and the location is kept in fields for programs.
 *
 * @example
 * ```ts
 * import { DataError } from "./errors.ts";
 * const error = new DataError("row has 3 fields, header has 4", { source: "a.csv", line: 7 });
 * console.log(error.message); // "a.csv:7: row has 3 fields, header has 4"
 * ```
 */
export class DataError extends Error {
  /** The file name or label of the input. */
  readonly source?: string;
  /** 1-based line number, when the problem is on one line. */
  readonly line?: number;
  /** The column name or number, when the problem is in one column. */
  readonly column?: string | number;

  /** Builds the message from the location and the description. */
  constructor(description: string, location: DataErrorLocation = {}) {
    super(`${formatLocation(location)}${description}`);
    this.name = "DataError";
    this.source = location.source;
    this.line = location.line;
    this.column = location.column;
  }
}

function formatLocation({ source, line, column }: DataErrorLocation): string {
  let where = source ?? "";
  if (line !== undefined) where += `${where ? ":" : "line "}${line}`;
  if (column !== undefined) {
    const name = typeof column === "number" ? `${column}` : `"${column}"`;
    where += `${where ? ", " : ""}column ${name}`;
  }
  return where ? `${where}: ` : "";
}
