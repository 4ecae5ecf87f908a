/**
 * Markdown tables for committed outputs and README blocks.
 *
 * @module
 */

/**
 * A markdown table: the header, a `---` rule per column, then one line per row; cells as given,
 * except that a `|` in a cell is escaped as `\|` so that it does not end the cell.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./markdown.ts";
 * markdownTable(["a", "b"], [["1", "2"]]); // "| a | b |\n| --- | --- |\n| 1 | 2 |"
 * markdownTable(["x"], [["a|b"]]); // "| x |\n| --- |\n| a\\|b |"
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * A titled markdown table of flat records (`### title`, a blank line, the table with the first
 * record's keys as columns, a final newline); `(no rows)` when there are none. A key missing from
 * a later record is an empty cell, as in `recordsToCsv`.
 *
 * @example
 * ```ts
 * import { recordsMarkdown } from "./markdown.ts";
 * recordsMarkdown("T", [{ x: 1 }]); // "### T\n\n| x |\n| --- |\n| 1 |\n"
 * ```
 */
export function recordsMarkdown(
  title: string,
  records: readonly Record<string, string | number>[],
): string {
  if (records.length === 0) return `### ${title}\n\n(no rows)\n`;
  const keys = Object.keys(records[0]);
  const body = records.map((r) => keys.map((k) => String(r[k] ?? "")));
  return `### ${title}\n\n${markdownTable(keys, body)}\n`;
}
