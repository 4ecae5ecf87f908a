/**
 * The README's MAML and SMBO-vs-MAML tables are the committed outputs: each block between
 * `<!-- results: NAME -->` markers must equal what `bench/readme_tables.ts` builds from
 * `results/` (table padding and line wrapping aside).
 */
import assert from "node:assert/strict";
import {
  normaliseMarkdown,
  readmeBlocks,
  readmeBlocksIn,
  replaceReadmeBlocks,
} from "../../bench/readme_tables.ts";

const README = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));

Deno.test("README result blocks are built from the committed outputs", () => {
  const built = readmeBlocks();
  const written = readmeBlocksIn(README);
  assert.deepEqual(Object.keys(written).sort(), Object.keys(built).sort());
  for (const [name, block] of Object.entries(built)) {
    assert.equal(
      normaliseMarkdown(written[name]),
      normaliseMarkdown(block),
      `README block "${name}" differs from the committed results: run ` +
        "`deno run --allow-read --allow-write bench/readme_tables.ts --write` and `deno fmt README.md`",
    );
  }
});

Deno.test("readme_tables: blocks are replaced in place and compared without padding", () => {
  const text =
    "a\n<!-- results: x -->\nold\n<!-- /results -->\nb\n<!-- results: y -->\nkeep\n<!-- /results -->\n";
  const replaced = replaceReadmeBlocks(text, { x: "| a | b |\n| --- | --- |\n| 1 | 2 |" });
  assert.deepEqual(readmeBlocksIn(replaced), {
    x: "| a | b |\n| --- | --- |\n| 1 | 2 |",
    y: "keep",
  });
  // An empty block does not swallow the text and blocks after it.
  const empty =
    "<!-- results: a -->\n<!-- /results -->\nkept\n<!-- results: b -->\nB\n<!-- /results -->";
  assert.deepEqual(readmeBlocksIn(empty), { a: "", b: "B" });
  assert.equal(
    replaceReadmeBlocks(empty, { a: "A" }),
    "<!-- results: a -->\nA\n<!-- /results -->\nkept\n<!-- results: b -->\nB\n<!-- /results -->",
  );
  assert.equal(
    normaliseMarkdown("some text\nwrapped\n\n| a   | b |\n| :-- | - |\n| 1   | 2 |"),
    normaliseMarkdown("some text wrapped\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"),
  );
  assert.notEqual(normaliseMarkdown("| 1 | 2 |"), normaliseMarkdown("| 1 | 3 |"));
});
