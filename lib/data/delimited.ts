/**
 * A strict parser for delimiter-separated text (CSV per RFC 4180, TSV): quoted fields may hold
 * delimiters, doubled quotes and line breaks; ragged rows and unterminated quotes are errors that
 * name the line, never silently repaired.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/** The header and records of a delimited text, with the line on which each record starts. */
export interface DelimitedText {
  /** The field names from the first line. */
  header: string[];
  /** One array of raw field strings per record, each as long as the header. */
  rows: string[][];
  /** 1-based line number where each record starts (for error messages downstream). */
  lines: number[];
  /** Blank lines skipped (a final line break does not count). */
  blankLines: number;
}

/**
 * Splits `text` into a header and records. Blank lines are skipped and counted (in a one-column
 * file a blank line would be a missing value: the count says how many were skipped); a byte
 * order mark is ignored; `\r\n` and `\n` both end a record.
 *
 * @param text The whole file content.
 * @param delimiter One character: `","` for CSV, `"\t"` for TSV.
 * @param source A file name or label used in error messages.
 * @throws {DataError} on an unterminated quote, text after a closing quote, a record whose field
 * count differs from the header's, an empty input, or empty or duplicate header names.
 *
 * @example
 * ```ts
 * import { parseDelimited } from "./delimited.ts";
 * const { header, rows } = parseDelimited('a,b\n1,"x, y"\n', ",", "inline.csv");
 * // header = ["a", "b"], rows = [["1", "x, y"]]
 * ```
 */
export function parseDelimited(text: string, delimiter: string, source: string): DelimitedText {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TypeError(`delimiter: must be one character other than a quote or line break`);
  }
  const records: string[][] = [];
  const lines: number[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let blankLines = 0;
  const n = text.length;
  while (i < n) {
    // Skip a blank line.
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n")) {
      i += text[i] === "\r" ? 2 : 1;
      line++;
      blankLines++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = "";
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) {
            throw new DataError(`unterminated quoted field (opened on line ${quoteLine})`, {
              source,
              line: quoteLine,
              column: fields.length + 1,
            });
          }
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (
          i < n && next !== delimiter && next !== "\n" && !(next === "\r" && text[i + 1] === "\n")
        ) {
          throw new DataError(`unexpected character ${JSON.stringify(next)} after closing quote`, {
            source,
            line,
            column: fields.length + 1,
          });
        }
      } else {
        const start = i;
        while (
          i < n && text[i] !== delimiter && text[i] !== "\n" &&
          !(text[i] === "\r" && text[i + 1] === "\n")
        ) i++;
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === delimiter) {
        i++;
      } else {
        i += text[i] === "\r" ? 2 : 1;
        line++;
        endOfRecord = true;
      }
    }
    records.push(fields);
    lines.push(startLine);
  }
  if (records.length === 0) throw new DataError("empty input: no header line", { source });
  const header = records[0];
  header.forEach((name, index) => {
    if (name.trim() === "") {
      throw new DataError("empty column name in header", {
        source,
        line: lines[0],
        column: index + 1,
      });
    }
    if (header.indexOf(name) !== index) {
      throw new DataError("duplicate column name in header", {
        source,
        line: lines[0],
        column: name,
      });
    }
  });
  for (let r = 1; r < records.length; r++) {
    if (records[r].length !== header.length) {
      throw new DataError(
        `row has ${records[r].length} fields, header has ${header.length}`,
        { source, line: lines[r] },
      );
    }
  }
  return { header, rows: records.slice(1), lines: lines.slice(1), blankLines };
}
