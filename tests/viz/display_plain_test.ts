/**
 * Figures as plain JSON: typed arrays are shown as plain arrays, values JSON cannot carry are a
 * `TypeError` naming their path, and a figure that could not be shown does not count as the one
 * that inlined plotly.js. In a file of its own: it needs a kernel session (module state) in which
 * no figure was displayed yet.
 */
import assert from "node:assert/strict";
import {
  figureHtml,
  JUPYTER_DISPLAY,
  type MimeBundle,
  plotlyLoaderHtml,
  showFigure,
} from "../../lib/viz/display.ts";
import type { Figure } from "../../lib/viz/figure.ts";

const INLINED = "plotly.js v";

/** The figure's HTML without its per-session counter (the `-<n>` ending its element id). */
function withoutCounter(html: string): string {
  return html.replace(/(metahpo-plot-[0-9a-z]+)-\d+/g, "$1-N");
}

function typedFigure(): Figure {
  return {
    data: [
      {
        type: "scatter",
        y: new Float64Array([5, 3, NaN, 2.5]),
        x: new Int32Array([1, 2, 3, 4]),
        marker: { color: new Uint8Array([1, 2, 3, 4]) },
        customdata: [new Float32Array([0.5, 1.5])],
      },
    ],
    layout: { title: { text: "losses" }, xaxis: { range: new Float64Array([0, 5]) } },
  };
}

const plainFigure: Figure = {
  data: [
    {
      type: "scatter",
      y: [5, 3, NaN, 2.5],
      x: [1, 2, 3, 4],
      marker: { color: [1, 2, 3, 4] },
      customdata: [[0.5, 1.5]],
    },
  ],
  layout: { title: { text: "losses" }, xaxis: { range: [0, 5] } },
};

Deno.test("showFigure: a value JSON cannot carry is refused by path; the next figure still inlines plotly.js", async () => {
  assert.throws(
    () =>
      showFigure({
        data: [{ type: "scatter", y: [1, 2], marker: { color: () => "red" } }],
        layout: {},
      }),
    {
      name: "TypeError",
      message: "showFigure: figure.data[0].marker.color: a function cannot be shown",
    },
  );
  // The first figure displayed after the refusal is the one that inlines plotly.js.
  const typed = await showFigure(typedFigure())[JUPYTER_DISPLAY]();
  assert.ok((typed["text/html"] as string).includes(INLINED));
  const plain = await showFigure(plainFigure)[JUPYTER_DISPLAY]();
  const again = await showFigure(typedFigure())[JUPYTER_DISPLAY]();
  assert.ok(!(plain["text/html"] as string).includes(INLINED));
  // A typed-array figure's bundle is the plain-array figure's bundle.
  const same = (a: MimeBundle, b: MimeBundle) => {
    assert.deepEqual(a["application/vnd.plotly.v1+json"], b["application/vnd.plotly.v1+json"]);
    assert.equal(
      withoutCounter(a["text/html"] as string),
      withoutCounter(b["text/html"] as string),
    );
    assert.equal(a["text/plain"], b["text/plain"]);
  };
  same(again, plain);
  const loader = await plotlyLoaderHtml();
  same(typed, { ...plain, "text/html": loader + (plain["text/html"] as string) });
  const json = typed["application/vnd.plotly.v1+json"] as Figure;
  assert.ok(
    Array.isArray(json.data[0].y) && Array.isArray((json.layout.xaxis as { range: unknown }).range),
  );
  assert.ok(Number.isNaN((json.data[0].y as number[])[2]), "NaN is kept, as in a plain array");
  assert.match(typed["text/html"] as string, /"y":\[5,3,null,2\.5\]/);
});

Deno.test("figureHtml: typed arrays as arrays; functions, bigints, maps, class instances and cycles named", () => {
  assert.equal(
    withoutCounter(figureHtml(typedFigure())),
    withoutCounter(figureHtml(plainFigure)),
  );
  const trace = (extra: Record<string, unknown>) => ({
    data: [{ type: "bar", ...extra }],
    layout: {},
  });
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  class Point {
    x = 1;
  }
  const cases: [Figure, string][] = [
    [trace({ y: [1, 2n] }), "figureHtml: figure.data[0].y[1]: a bigint (2n) cannot be shown"],
    [
      trace({ y: new BigInt64Array([1n]) }),
      "figureHtml: figure.data[0].y[0]: a bigint (1n) cannot be shown",
    ],
    [trace({ meta: new Map() }), "figureHtml: figure.data[0].meta: a Map cannot be shown"],
    [trace({ meta: new Set([1]) }), "figureHtml: figure.data[0].meta: a Set cannot be shown"],
    [trace({ meta: new Point() }), "figureHtml: figure.data[0].meta: a Point cannot be shown"],
    [trace({ meta: Symbol("s") }), "figureHtml: figure.data[0].meta: a symbol cannot be shown"],
    [
      trace({ meta: cyclic }),
      "figureHtml: figure.data[0].meta.self: a circular reference cannot be shown",
    ],
    [
      { data: [], layout: { "font-x": { f: () => 1 } } },
      'figureHtml: figure.layout["font-x"].f: a function cannot be shown',
    ],
    [
      trace({ x: [new Date(NaN)] }),
      "figureHtml: figure.data[0].x[0]: an invalid Date cannot be shown",
    ],
  ];
  for (const [figure, message] of cases) {
    assert.throws(() => figureHtml(figure), { name: "TypeError", message });
  }
  // Shared (not circular) parts, dates and null-prototype objects are plain data.
  const shared = [1, 2];
  const html = figureHtml({
    data: [{ type: "scatter", x: [new Date(0)], y: shared, customdata: shared }],
    layout: Object.assign(Object.create(null), { height: 300 }),
  });
  assert.match(html, /"x":\["1970-01-01T00:00:00\.000Z"\],"y":\[1,2\],"customdata":\[1,2\]/);
});
