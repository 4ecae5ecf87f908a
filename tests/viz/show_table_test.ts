/**
 * showTable and tableHtml on nested records (a minimize result's trials: dotted `params.*`
 * columns) and long tables (a row limit, the rest counted in a last line).
 */
import assert from "node:assert/strict";
import { JUPYTER_DISPLAY, showTable } from "../../lib/viz/display.ts";
import { tableHtml } from "../../lib/viz/table.ts";
import { minimize } from "../../lib/smbo/mod.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";

/** The header and the body's cells of a `metahpo-table`, as text. */
function parse(html: string) {
  const cells = (part: string, tag: string) =>
    [...part.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, "g"))].map((m) => m[1]);
  const head = /<thead>(.*)<\/thead>/.exec(html)![1];
  const body = /<tbody>(.*)<\/tbody>/.exec(html)![1];
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cells(m[1], "td"));
  const foot = /<tfoot>(.*)<\/tfoot>/.exec(html)?.[1];
  return { columns: cells(head, "th"), rows, foot: foot && cells(foot, "td")[0] };
}

function bundle(...args: Parameters<typeof showTable>): Record<string, string> {
  return showTable(...args)[JUPYTER_DISPLAY]() as Record<string, string>;
}

Deno.test("showTable(result.trials): params as dotted columns, as Optuna's trials_dataframe", async () => {
  const space = defineSpace({ lr: float(1e-4, 1e-1, { log: true }), units: int(8, 64) });
  const result = await minimize((p) => Math.log10(p.lr) ** 2 + p.units / 100, space, {
    budget: 3,
    seed: 0,
  });
  const shown = bundle(result.trials);
  const { columns, rows } = parse(shown["text/html"]);
  assert.deepEqual(columns.slice(0, 3), ["id", "params.lr", "params.units"]);
  assert.ok(!shown["text/html"].includes("[object Object]"));
  assert.equal(rows.length, 3);
  result.trials.forEach((t, i) => {
    assert.equal(rows[i][columns.indexOf("params.units")], String(t.params.units));
    assert.equal(rows[i][columns.indexOf("status")], t.status);
  });
  // The plain text keeps each record whole, one JSON line per trial.
  assert.deepEqual(shown["text/plain"].split("\n").map((l) => JSON.parse(l)), result.trials);
});

Deno.test("tableHtml: nested objects flattened at any depth; arrays and other objects as JSON", () => {
  const { columns, rows } = parse(tableHtml([
    {
      id: 0,
      params: { opt: { name: "adam", lr: 0.5 }, layers: [64, 32] },
      attrs: {},
      w: new Float64Array([1, 2]),
      tags: new Set(["a"]),
      big: 12345678901234567890n,
      at: new Date(0),
    },
    { id: 1, params: { opt: { name: "sgd" } } },
  ]));
  assert.deepEqual(columns, [
    "id",
    "params.opt.name",
    "params.opt.lr",
    "params.layers",
    "attrs",
    "w",
    "tags",
    "big",
    "at",
  ]);
  assert.deepEqual(rows[0], [
    "0",
    "adam",
    "0.500",
    "[64,32]",
    "{}",
    "[1,2]",
    "[&quot;a&quot;]",
    "12345678901234567890",
    "1970-01-01T00:00:00.000Z",
  ]);
  assert.deepEqual(rows[1], ["1", "sgd", "", "", "", "", "", "", ""]);
  // A cycle is not followed.
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.deepEqual(parse(tableHtml([{ c: cyclic }])).columns, ["c.a", "c.self"]);
});

Deno.test("showTable: the first 100 rows unless limit says otherwise; the rest counted", () => {
  const records = Array.from({ length: 2000 }, (_, i) => ({ i, half: i / 2 }));
  const shown = bundle(records);
  const { rows, foot } = parse(shown["text/html"]);
  assert.equal(rows.length, 100);
  assert.deepEqual(rows[99], ["99", "49.5"]);
  assert.equal(foot, "… 1,900 more rows (2,000 in all)");
  const lines = shown["text/plain"].split("\n");
  assert.equal(lines.length, 101);
  assert.equal(lines[99], '{"i":99,"half":49.5}');
  assert.equal(lines[100], "… 1,900 more rows (2,000 in all)");
  assert.ok(shown["text/html"].length < 20_000, `${shown["text/html"].length} chars`);

  const all = bundle(records, { limit: Infinity });
  assert.equal(parse(all["text/html"]).rows.length, 2000);
  assert.equal(parse(all["text/html"]).foot, undefined);
  assert.equal(all["text/plain"].split("\n").length, 2000);
  const few = bundle(records.slice(0, 3), { limit: 2, caption: "c" });
  assert.equal(parse(few["text/html"]).foot, "… 1 more row (3 in all)");
  assert.deepEqual(few["text/plain"].split("\n"), [
    '{"i":0,"half":0}',
    '{"i":1,"half":0.5}',
    "… 1 more row (3 in all)",
  ]);
  // Exactly `limit` rows: no summary line.
  assert.equal(parse(bundle(records.slice(0, 100))["text/html"]).foot, undefined);
  assert.equal(bundle(records.slice(0, 100))["text/plain"].split("\n").length, 100);

  for (const limit of [-1, 2.5, NaN, "10"]) {
    assert.throws(() => showTable(records, { limit } as never), {
      name: "TypeError",
      message: "showTable: options.limit: must be an integer ≥ 0, or Infinity for every row",
    });
  }
  assert.throws(() => tableHtml(records, { limit: -1 }), /tableHtml: options\.limit: must be/);
  // tableHtml (the report's tables) shows every row unless told.
  assert.equal(parse(tableHtml(records)).rows.length, 2000);
});
