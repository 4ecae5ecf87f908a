/**
 * Markdown tables for committed outputs and README blocks.
 *
 * @module
 */
import { recordColumns } from "./results.ts";

/**
 * A markdown table: the header, a `---` rule per column, then one line per row; cells as given,
 * except that a `|` in a cell is escaped as `\|` so that it does not end the cell, a line break
 * is written `<br>` (a raw one would end the table), and outside code spans a `<` that would open
 * an HTML tag (`<mlp>`, `</b>`) is written `&lt;`, so that the name shows (`a < b` and
 * `` `Array<T>` `` stay as they are; other markdown and entities in a cell keep their meaning).
 *
 * @example
 * ```ts
 * import { markdownTable } from "./markdown.ts";
 * markdownTable(["a", "b"], [["1", "2"]]); // "| a | b |\n| --- | --- |\n| 1 | 2 |"
 * markdownTable(["x"], [["a|b"]]); // "| x |\n| --- |\n| a\\|b |"
 * markdownTable(["x"], [["<mlp>\nb"]]); // "| x |\n| --- |\n| &lt;mlp><br>b |"
 * ```
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  // Tags escaped outside code spans only (inside backticks GitHub shows `&lt;` as it is): a code
  // span is matched whole and kept.
  const cellText = (cell: string) =>
    cell.replaceAll("|", "\\|")
      .replace(/(`[^`]*`)|<(?=[A-Za-z\/!?])/g, (_, code?: string) => code ?? "&lt;")
      .replace(/\r\n?|\n/g, "<br>");
  const line = (cells: readonly string[]) => `| ${cells.map(cellText).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * A titled markdown table of flat records (`### title`, a blank line, the table with every key of
 * the records as columns, in the order they first appear, a final newline); `(no rows)` when there
 * are none. A key a record lacks is an empty cell, as in `recordsToCsv`.
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
  const keys = recordColumns(records);
  const body = records.map((r) => keys.map((k) => String(r[k] ?? "")));
  return `### ${title}\n\n${markdownTable(keys, body)}\n`;
}
