/**
 * Fills the tables of a committed run's README from the run's own `summary.csv`, so that no figure
 * in them is typed by hand. A block names a run folder (relative to the markdown file) and a
 * regular expression over the titles of the folder's `summary.csv` tables; the tool writes every
 * matching table, with the run's provenance line first:
 *
 * ```md
 * <!-- summary: pmlb/ default strategy .* vs plain GP-BO -->
 * <!-- /summary -->
 * ```
 *
 * ```sh
 * deno run --allow-read --allow-write tools/summary_blocks.ts results/transfer_full/README.md
 * deno run --allow-read tools/summary_blocks.ts --check results/transfer_full/README.md
 * ```
 *
 * Run `deno fmt` on the file afterwards; `--check` compares modulo what `deno fmt` changes.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, resolve } from "node:path";
import { provenanceLine, readProvenance, readSummaryCsv } from "../lib/results/mod.ts";
import { normaliseMarkdown, significantText } from "../bench/readme_tables.ts";

const BLOCK = /<!-- summary: (\S+) (.+?) -->\n([\s\S]*?)\n?<!-- \/summary -->/g;

/** A table cell: integers as they are, other numbers to 3 significant digits (exponent below 1e-3). */
export function summaryCellText(value: string | number | undefined): string {
  if (value === undefined || value === "") return "–";
  return typeof value === "number" ? significantText(value) : value.replaceAll("|", "\\|");
}

/**
 * The content of one block: the provenance line of the run in `dir`, then each table of its
 * `summary.csv` whose title matches `pattern`, as a bold title and a markdown table.
 *
 * @throws {Error} naming the folder and the pattern when no table matches.
 */
export function summaryBlock(dir: string, pattern: string): string {
  const regex = new RegExp(pattern);
  const tables = readSummaryCsv(dir).filter((t) => regex.test(t.title));
  if (tables.length === 0) {
    throw new Error(`summary block "${dir} ${pattern}": no table of ${dir}/summary.csv matches`);
  }
  const parts = [provenanceLine(readProvenance(dir)) + "."];
  for (const table of tables) {
    const columns = Object.keys(table.records[0] ?? {});
    const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    parts.push(
      "",
      `**${table.title}**`,
      "",
      line(columns),
      line(columns.map(() => "---")),
      ...table.records.map((r) => line(columns.map((c) => summaryCellText(r[c])))),
    );
  }
  return parts.join("\n");
}

/** `markdown` (the text of the file at `path`) with every summary block regenerated. */
export function fillSummaryBlocks(markdown: string, path: string): string {
  const base = dirname(resolve(path));
  return markdown.replaceAll(
    BLOCK,
    (_whole, dir: string, pattern: string) =>
      // Blank lines around the content, as \`deno fmt\` writes them.
      `<!-- summary: ${dir} ${pattern} -->\n\n${
        summaryBlock(resolve(base, dir), pattern)
      }\n\n<!-- /summary -->`,
  );
}

/** Whether the summary blocks of `markdown` hold what {@linkcode fillSummaryBlocks} builds. */
export function summaryBlocksCurrent(markdown: string, path: string): boolean {
  return normaliseMarkdown(fillSummaryBlocks(markdown, path)) === normaliseMarkdown(markdown);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { check: { type: "boolean" } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    console.error("usage: tools/summary_blocks.ts [--check] FILE.md...");
    Deno.exit(2);
  }
  let stale = 0;
  for (const path of positionals) {
    const text = Deno.readTextFileSync(path);
    if (values.check) {
      if (!summaryBlocksCurrent(text, path)) {
        console.error(`${path}: summary blocks are stale (rerun without --check, then deno fmt)`);
        stale++;
      }
    } else {
      Deno.writeTextFileSync(path, fillSummaryBlocks(text, path));
      console.log(`rewrote the summary blocks of ${path} (run deno fmt ${path})`);
    }
  }
  Deno.exit(stale === 0 ? 0 : 1);
}
