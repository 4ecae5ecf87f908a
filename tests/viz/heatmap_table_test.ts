import assert from "node:assert/strict";
import { aq } from "../../lib/deps/arquero.ts";
import { metaFeatureHeatmap, standardizeColumns } from "../../lib/viz/heatmap.ts";
import { escapeHtml, formatNumber, tableHtml } from "../../lib/viz/table.ts";

Deno.test("standardizeColumns: z-scores per column (population sd), constant column to 0", () => {
  const z = standardizeColumns([[1, 5, NaN], [3, 5, 2], [5, 5, 4]]);
  const s = Math.sqrt(8 / 3);
  assert.deepEqual(z.map((r) => r[0]), [-2 / s, 0, 2 / s]);
  assert.deepEqual(z.map((r) => r[1]), [0, 0, 0]);
  assert.ok(Number.isNaN(z[0][2]));
  assert.deepEqual([z[1][2], z[2][2]], [-1, 1]);
});

Deno.test("metaFeatureHeatmap: raw values in hover data, z-scores in colour; bad shapes named", () => {
  const matrix = { rows: ["a", "b"], columns: ["n", "d"], values: [[100, 4], [300, 4]] };
  const figure = metaFeatureHeatmap(matrix);
  assert.deepEqual(figure.data[0].z, [[-1, 0], [1, 0]]);
  assert.deepEqual(figure.data[0].customdata, [[100, 4], [300, 4]]);
  assert.deepEqual(metaFeatureHeatmap(matrix, { standardize: false }).data[0].z, [[100, 4], [
    300,
    4,
  ]]);
  assert.throws(
    () => metaFeatureHeatmap({ ...matrix, values: [[1, 2], [3]] }),
    /matrix.values\[1\]: 1 values for 2 columns/,
  );
  assert.throws(
    () => metaFeatureHeatmap({ ...matrix, rows: [] }),
    /matrix.rows: must have at least one label/,
  );
});

Deno.test("formatNumber and escapeHtml", () => {
  assert.equal(formatNumber(0.123456), "0.123");
  assert.equal(formatNumber(6.3e-5), "6.30e-5");
  assert.equal(formatNumber(123456.7), "1.23e+5");
  assert.equal(formatNumber(42), "42");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(-Infinity), "−∞");
  assert.equal(
    escapeHtml(`<b a="1">'&'</b>`),
    "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;",
  );
});

Deno.test("tableHtml: escaped cells, formatted numbers, arquero tables; bad input rejected", () => {
  const html = tableHtml([{ method: "<gp>", regret: 6.3e-5 }, { method: "rs", extra: 1 }], {
    caption: "a & b",
  });
  assert.ok(html.includes("<caption>a &amp; b</caption>"));
  const plain = html.replaceAll(/ style="[^"]*"/g, "");
  assert.ok(plain.includes("<th>method</th><th>regret</th><th>extra</th>"));
  assert.ok(plain.includes('<td>&lt;gp&gt;</td><td class="num">6.30e-5</td><td></td>'));
  const fromArquero = tableHtml(aq.table({ x: [1.5, 2] }));
  assert.ok(fromArquero.includes('<td class="num" style="text-align:right">1.50</td>'));
  assert.throws(() => tableHtml(42 as never), /array of records or an arquero table/);
  assert.throws(() => tableHtml([null] as never), /tableHtml: table\[0\]: must be a record/);
});
