import assert from "node:assert/strict";
import { join } from "node:path";
import {
  fillSummaryBlocks,
  summaryBlock,
  summaryBlocksCurrent,
  summaryCellText,
} from "../../tools/summary_blocks.ts";
import { provenanceRecord } from "../_provenance.ts";

function runFolder(): string {
  const dir = Deno.makeTempDirSync();
  Deno.mkdirSync(join(dir, "run"));
  Deno.writeTextFileSync(
    join(dir, "run", "summary.csv"),
    "# s: mean regret, a\nmethod,@10\ngp,0.0123456\nrgpe,0.00001234\n\n# s: seconds, a\nmethod,s\ngp,2\n",
  );
  Deno.writeTextFileSync(
    join(dir, "run", "provenance.json"),
    JSON.stringify(provenanceRecord({
      command: "deno task bench --suite s",
      date: "2026-11-29T10:00:00.000Z",
      wallSeconds: 60,
      versions: { deno: "2.0.0", v8: "", typescript: "" },
    })),
  );
  return dir;
}

Deno.test("summaryCellText: integers whole, 3 significant digits, exponent below 1e-3", () => {
  assert.equal(summaryCellText(2), "2");
  assert.equal(summaryCellText(0.0123456), "0.0123");
  assert.equal(summaryCellText(0.00001234), "1.23e-5");
  assert.equal(summaryCellText(NaN), "NaN");
  assert.equal(summaryCellText("a|b"), "a\\|b");
  assert.equal(summaryCellText(undefined), "–");
});

Deno.test("summaryBlock: the provenance line, then only the tables whose title matches", () => {
  const dir = runFolder();
  const block = summaryBlock(join(dir, "run"), "mean regret");
  assert.match(block, /^`deno task bench --suite s`, commit 0123456, 2026-11-29/);
  assert.match(block, /\*\*s: mean regret, a\*\*/);
  assert.match(block, /\| gp \| 0\.0123 \|/);
  assert.match(block, /\| rgpe \| 1\.23e-5 \|/);
  assert.doesNotMatch(block, /seconds/);
  assert.throws(() => summaryBlock(join(dir, "run"), "no such table"), /no table .* matches/);
});

Deno.test("fillSummaryBlocks: fills blocks relative to the file, and --check sees stale ones", () => {
  const dir = runFolder();
  const path = join(dir, "README.md");
  const empty = "# Run\n\n<!-- summary: run/ seconds -->\n<!-- /summary -->\n\nprose\n";
  assert.equal(summaryBlocksCurrent(empty, path), false);
  const filled = fillSummaryBlocks(empty, path);
  assert.match(filled, /<!-- summary: run\/ seconds -->\n\n`deno task bench/);
  assert.match(filled, /\| gp \| 2 \|\n\n<!-- \/summary -->\n\nprose\n$/);
  assert.equal(summaryBlocksCurrent(filled, path), true);
  // Filling is idempotent.
  assert.equal(fillSummaryBlocks(filled, path), filled);
  assert.equal(summaryBlocksCurrent(filled.replace("| gp | 2 |", "| gp | 3 |"), path), false);
});

Deno.test("every committed results README holds the current summary blocks of its runs", () => {
  const results = new URL("../../results/", import.meta.url);
  const walk = (url: URL): string[] =>
    [...Deno.readDirSync(url)].flatMap((entry) =>
      entry.isDirectory
        ? walk(new URL(`${entry.name}/`, url))
        : entry.name === "README.md"
        ? [new URL(entry.name, url).pathname]
        : []
    );
  for (const path of walk(results)) {
    const text = Deno.readTextFileSync(path);
    if (!text.includes("<!-- summary: ")) continue;
    assert.ok(
      summaryBlocksCurrent(text, path),
      `${path}: stale (deno run --allow-read --allow-write tools/summary_blocks.ts ${path})`,
    );
  }
});
