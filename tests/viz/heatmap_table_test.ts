import assert from "node:assert/strict";
import { aq } from "../../lib/deps/arquero.ts";
import { metaFeatureHeatmap, standardizeColumns } from "../../lib/viz/heatmap.ts";
import { VIZ_DEFAULTS } from "../../lib/viz/figure.ts";
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

Deno.test("metaFeatureHeatmap: NaN is a missing value in plain and typed rows alike; ±Infinity is named", () => {
  for (
    const values of [[[NaN, 1], [2, 3], [4, 5]], [
      Float64Array.of(NaN, 1),
      Float64Array.of(2, 3),
      Float64Array.of(4, 5),
    ]]
  ) {
    const figure = metaFeatureHeatmap({
      rows: ["iris", "wine", "yeast"],
      columns: ["f1", "f2"],
      values,
    });
    const z = figure.data[0].z as number[][];
    assert.ok(Number.isNaN(z[0][0]));
    assert.deepEqual(z.slice(1).map((r) => r[0]), [-1, 1]);
    assert.deepEqual((figure.data[0].customdata as number[][])[1], [2, 3]);
  }
  const matrix = { rows: ["a", "b"], columns: ["n", "d"] };
  for (
    const [values, message] of [
      [
        [[1, Infinity], [2, 3]],
        "matrix.values[0][1]: must be a finite number, or NaN for a missing value, got Infinity",
      ],
      [
        [Float64Array.of(1, 2), Float64Array.of(-Infinity, 3)],
        "matrix.values[1][0]: must be a finite number, or NaN for a missing value, got -Infinity",
      ],
      [
        [[1, "2"], [2, 3]],
        'matrix.values[0][1]: must be a finite number, or NaN for a missing value, got "2"',
      ],
      [[[1, 2], "ab"], "matrix.values[1]: must be an array of numbers or a Float64Array"],
    ] as const
  ) {
    assert.throws(() => metaFeatureHeatmap({ ...matrix, values } as never), {
      name: "TypeError",
      message: `metaFeatureHeatmap: ${message}`,
    });
  }
});

Deno.test("metaFeatureHeatmap: every column is labelled, vertical labels that fit side by side", () => {
  for (const count of [2, 40, 84, 200]) {
    const columns = Array.from({ length: count }, (_, i) => `feature_${i}.mean`);
    const figure = metaFeatureHeatmap({
      rows: ["a", "b"],
      columns,
      values: [columns.map((_, i) => i), columns.map((_, i) => 2 * i + 1)],
    });
    const xaxis = figure.layout.xaxis as Record<string, unknown>;
    // a category axis labelled at every category (plotly's default skips labels of long lists)
    assert.equal(xaxis.type, "category");
    assert.equal(xaxis.tickmode, "linear");
    assert.equal(xaxis.tick0, 0);
    assert.equal(xaxis.dtick, 1);
    assert.equal(xaxis.tickangle, -90);
    const size = (xaxis.tickfont as { size: number }).size;
    assert.ok(size >= 8 && size <= 12, `${count} columns: font size ${size}`);
    if (count <= 200 && count >= 40) {
      // one label per column of the ~700 px of cells of a default-width figure
      assert.ok(size < (VIZ_DEFAULTS.width - 300) / count || size === 8, `${count}: ${size}`);
    }
  }
});

Deno.test("formatNumber and escapeHtml", () => {
  assert.equal(formatNumber(0.123456), "0.123");
  assert.equal(formatNumber(6.3e-5), "6.30e-5");
  assert.equal(formatNumber(123456.7), "1.23e+5");
  assert.equal(formatNumber(42), "42");
  // From 999.5 up to 1e4, three digits without an exponent (toPrecision would write 1.23e+3).
  assert.equal(formatNumber(1234.5), "1230");
  assert.equal(formatNumber(-999.6), "-1000");
  assert.equal(formatNumber(9876.5), "9880");
  assert.equal(formatNumber(999.4), "999");
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
  // null: a value that does not exist, shown as options.missing (aligned as its column).
  const missing = tableHtml([{ method: "tpe", regret: null, note: null }, {
    method: "gp",
    regret: NaN,
    note: "x",
  }], { missing: "not run" }).replaceAll(/ style="[^"]*"/g, "");
  assert.ok(
    missing.includes(
      '<td>tpe</td><td class="missing">not run</td><td class="missing">not run</td>',
    ),
  );
  assert.ok(missing.includes('<td>gp</td><td class="num">NaN</td><td>x</td>'));
  assert.ok(
    tableHtml([{ a: 1 }, { a: null }], { missing: "not run" }).includes(
      '<td class="missing" style="text-align:right;color:#767676">not run</td>',
    ),
  );
  assert.ok(tableHtml([{ a: null }]).includes('<td style="text-align:left"></td>'));
  assert.throws(() => tableHtml(42 as never), /array of records or an arquero table/);
  assert.throws(() => tableHtml([null] as never), /tableHtml: table\[0\]: must be a record/);
});

Deno.test("metaFeatureHeatmap: a repeated row or column label is an error naming it (plotly would merge them)", () => {
  const values = [[150, 4], [10, 40], [178, 13]];
  assert.throws(
    () => metaFeatureHeatmap({ rows: ["iris", "iris", "wine"], columns: ["n", "d"], values }),
    {
      name: "RangeError",
      message: 'metaFeatureHeatmap: matrix.rows[1]: "iris" repeats matrix.rows[0]: each label is ' +
        "one row of the heatmap (plotly draws rows of one label as one)",
    },
  );
  assert.throws(
    () => metaFeatureHeatmap({ rows: ["a", "b", "c"], columns: ["n", "n"], values }),
    /matrix\.columns\[1\]: "n" repeats matrix\.columns\[0\]/,
  );
  assert.throws(
    () =>
      metaFeatureHeatmap({ rows: ["a", "b"], columns: ["n"], values: [[1], [3]] }, {
        standardise: false,
      } as never),
    { name: "TypeError", message: "metaFeatureHeatmap: options.standardise: unknown key" },
  );
});

Deno.test("standardizeColumns: columns whose squares overflow are standardised as at ordinary scale", () => {
  const ordinary = standardizeColumns([[1], [2], [3]]).map((r) => r[0]);
  const huge = standardizeColumns([[1e160], [2e160], [3e160]]).map((r) => r[0]);
  assert.ok(Math.abs(ordinary[0] + Math.sqrt(1.5)) < 1e-15);
  huge.forEach((z, i) => assert.ok(Math.abs(z - ordinary[i]) < 1e-12, `${z} vs ${ordinary[i]}`));
  // A difference from the mean beyond the float64 range: both divided by the sd first.
  const wide = standardizeColumns([[-1.5e308], [1.5e308], [1.5e308]]).map((r) => r[0]);
  const small = standardizeColumns([[-1.5], [1.5], [1.5]]).map((r) => r[0]);
  wide.forEach((z, i) => assert.ok(Math.abs(z - small[i]) < 1e-12, `${z} vs ${small[i]}`));
  // Ordinary columns: the plain formula, bit for bit.
  const column = [0.1, 0.7, 2.9, -3.3];
  const m = column.reduce((a, b) => a + b, 0) / column.length;
  const sd = Math.sqrt(column.reduce((a, b) => a + (b - m) ** 2, 0) / column.length);
  assert.deepEqual(
    standardizeColumns(column.map((v) => [v])).map((r) => r[0]),
    column.map((v) => (v - m) / sd),
  );
});

Deno.test("tableHtml: two values that would share a dotted column are an error naming both; options strict", () => {
  assert.throws(() => tableHtml([{ id: 0 }, { "params.lr": 1, params: { lr: 2 } }]), {
    name: "TypeError",
    message: 'tableHtml: table[1]: ["params.lr"] and .params.lr would both be the column ' +
      '"params.lr": rename one of them',
  });
  assert.throws(() => tableHtml([{ a: 1 }], { captoin: "x" } as never), {
    name: "TypeError",
    message: "tableHtml: options.captoin: unknown key",
  });
  assert.match(tableHtml([{ params: { lr: 2 } }]), /<th[^>]*>params\.lr<\/th>/);
});
