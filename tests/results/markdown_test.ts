import assert from "node:assert/strict";
import { markdownTable, recordsMarkdown } from "../../lib/results/mod.ts";

Deno.test("markdownTable: header, one rule per column, rows as given", () => {
  assert.equal(
    markdownTable(["a", "b"], [["1", "2"], ["x", ""]]),
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n| x |  |",
  );
  assert.equal(markdownTable(["only"], []), "| only |\n| --- |");
});

Deno.test("recordsMarkdown: titled table of the records' keys, (no rows) when empty", () => {
  assert.equal(
    recordsMarkdown("T", [{ x: 1, y: "a" }, { x: 2.5, y: "b" }]),
    "### T\n\n| x | y |\n| --- | --- |\n| 1 | a |\n| 2.5 | b |\n",
  );
  assert.equal(recordsMarkdown("Empty", []), "### Empty\n\n(no rows)\n");
});

Deno.test("markdownTable escapes |, line breaks and tags in cells; recordsMarkdown leaves a missing key's cell empty", () => {
  assert.equal(
    markdownTable(["method", "a|b"], [["x | y", "1"]]),
    "| method | a\\|b |\n| --- | --- |\n| x \\| y | 1 |",
  );
  assert.equal(
    recordsMarkdown("T", [{ a: 1, b: 2 }, { a: 3, c: 4 } as Record<string, number>]),
    "### T\n\n| a | b | c |\n| --- | --- | --- |\n| 1 | 2 |  |\n| 3 |  | 4 |\n",
  );
  // A line break would end the table, a tag would be read as HTML: both shown as given.
  assert.equal(
    markdownTable(["x"], [["<mlp>\nb"], ["a < b, c<=d"], ["</b>"], ["`Array<T>` <i>"]]),
    "| x |\n| --- |\n| &lt;mlp><br>b |\n| a < b, c<=d |\n| &lt;/b> |\n| `Array<T>` &lt;i> |",
  );
});
