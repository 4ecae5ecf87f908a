/**
 * A strict parser for delimiter-separated text (CSV per RFC 4180, TSV): quoted fields may hold
 * delimiters, doubled quotes and line breaks; ragged rows and unterminated quotes are errors that
 * name the line, never silently repaired.
 *
 * Line breaks: LF (Unix), CRLF (Windows) and a lone CR (classic Mac OS) each end a record and
 * each count as one line in error messages, also inside quoted fields, whose text keeps the line
 * breaks as written. Quoted fields are read in time linear in their length (a chunk between two
 * quotes is copied at once).
 *
 * @module
 */
import { DataError } from "./errors.ts";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;

/** Line breaks (LF, CRLF or a lone CR, each counted once) in `text[from, to)`. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}

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
 * file a blank line would be a missing value: the count says how many were skipped); when the
 * header has more than one column, a line holding only spaces and tabs (other than the delimiter)
 * is blank too, since it cannot be a record (in a one-column file it is a record whose one field
 * holds that white space); a byte order mark is ignored; `\n`, `\r\n` and a lone `\r` each end a
 * record.
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
  if (typeof text !== "string") throw new TypeError("text: must be a string");
  if (
    typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' ||
    delimiter === "\n" || delimiter === "\r"
  ) {
    throw new TypeError(`delimiter: must be one character other than a quote or line break`);
  }
  const records: string[][] = [];
  const lines: number[] = [];
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let blankLines = 0;
  /** Length of the line break at `k` (2 for CRLF, 1 for LF or a lone CR), 0 if none. */
  const breakAt = (k: number): number => {
    const c = text.charCodeAt(k);
    if (c === LF) return 1;
    if (c === CR) return text.charCodeAt(k + 1) === LF ? 2 : 1;
    return 0;
  };
  /** End of the white space (spaces, tabs other than the delimiter) starting at `k`. */
  const spaceEnd = (k: number): number => {
    for (;; k++) {
      const c = text.charCodeAt(k);
      if (c !== delim && (c === SPACE || c === TAB)) continue;
      return k;
    }
  };
  while (i < n) {
    let blank = breakAt(i);
    if (blank === 0 && records.length > 0 && records[0].length > 1) {
      const end = spaceEnd(i);
      if (end > i && (end >= n || breakAt(end) > 0)) blank = end - i + breakAt(end);
    }
    if (blank > 0) {
      i += blank;
      line++;
      blankLines++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const quoteLine = line;
        const parts: string[] = [];
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) {
            throw new DataError(`unterminated quoted field (opened on line ${quoteLine})`, {
              source,
              line: quoteLine,
              column: fields.length + 1,
            });
          }
          line += countLineBreaks(text, from, close);
          parts.push(text.slice(from, close));
          if (text.charCodeAt(close + 1) === QUOTE) {
            parts.push('"');
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        fields.push(parts.length === 1 ? parts[0] : parts.join(""));
        if (i < n && text.charCodeAt(i) !== delim && breakAt(i) === 0) {
          throw new DataError(
            `unexpected character ${JSON.stringify(text[i])} after closing quote`,
            {
              source,
              line,
              column: fields.length,
            },
          );
        }
      } else {
        const start = i;
        for (; i < n; i++) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
        }
        fields.push(text.slice(start, i));
      }
      if (i >= n) break;
      if (text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      i += breakAt(i);
      line++;
      break;
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
