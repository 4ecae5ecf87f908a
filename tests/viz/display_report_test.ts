import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  figureHtml,
  JUPYTER_DISPLAY,
  plotlyLoaderHtml,
  showFigure,
  showTable,
} from "../../lib/viz/display.ts";
import { ratioFigure, renderReport, writeReport } from "../../lib/viz/report.ts";
import { PLOTLY_VERSION } from "../../lib/deps/plotly.ts";

const figure = {
  data: [{ type: "scatter", x: [0, 1], y: [1, 0], name: "</script><b>" }],
  layout: { title: { text: "t" } },
};

function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

Deno.test("figureHtml: the figure's JSON cannot close the script; ids are unique", () => {
  const html = figureHtml(figure);
  const bodies = scriptBodies(html);
  assert.equal(bodies.length, 1);
  assert.ok(bodies[0].includes("\\u003c/script>\\u003cb>"));
  // The embedded JSON parses back to the figure.
  const json = /var fig=(.*);\n/.exec(bodies[0])![1];
  assert.deepEqual(JSON.parse(json), figure);
  assert.notEqual(/id="([^"]+)"/.exec(html)![1], /id="([^"]+)"/.exec(figureHtml(figure))![1]);
  assert.throws(() => figureHtml({ data: {} } as never), /figureHtml: figure.data/);
});

Deno.test("showFigure: plotly JSON and HTML; only the first display inlines plotly.js", async () => {
  const first = await showFigure(figure)[JUPYTER_DISPLAY]();
  const second = await showFigure(figure)[JUPYTER_DISPLAY]();
  assert.deepEqual(first["application/vnd.plotly.v1+json"], figure);
  const html1 = first["text/html"] as string;
  const html2 = second["text/html"] as string;
  assert.ok(html1.includes(`plotly.js v${PLOTLY_VERSION}`));
  assert.ok(html1.length > 4_000_000);
  assert.ok(!html2.includes("plotly.js v") && html2.length < 10_000);
  assert.throws(() => showFigure({ layout: {} } as never), /showFigure: figure.data/);
});

Deno.test("plotlyLoaderHtml: one script holding the bundle, then the queue drain", async () => {
  const html = await plotlyLoaderHtml();
  const bodies = scriptBodies(html);
  assert.equal(bodies.length, 2);
  assert.ok(bodies[0].length > 4_000_000);
  assert.ok(bodies[1].includes("__metahpoPlotlyQueue"));
});

Deno.test("showTable: escaped HTML and plain text", () => {
  const bundle = showTable([{ a: "<x>", b: 1.5 }])[JUPYTER_DISPLAY]() as Record<string, string>;
  assert.ok(bundle["text/html"].includes("&lt;x&gt;"));
  assert.equal(bundle["text/plain"], '{"a":"<x>","b":1.5}');
});

const benchRows: ResultRow[] = [
  ...["gp-logei", "random"].flatMap((method) =>
    [0, 1, 2, 3, 4, 5].flatMap((seed) =>
      [1, 2, 3].map((step): ResultRow => ({
        suite: "smbo",
        task: "branin",
        method,
        seed,
        step,
        metric: "regret",
        value: (seed + 1) / step,
      })).concat([{
        suite: "smbo",
        task: "branin",
        method,
        seed,
        step: 3,
        metric: "seconds_per_trial",
        value: 0.1,
      }])
    )
  ),
  {
    suite: "perf",
    task: "gp-fit",
    method: "sklearn / metahpo",
    seed: -1,
    step: 0,
    metric: "speedup",
    value: 2,
  },
];

Deno.test("renderReport: self-contained page with tables, curves, ranks, compute and ratios", async () => {
  const html = await renderReport({
    title: "bench <1>",
    date: "2026-11-28T00:00:00Z",
    machine: "linux",
    notes: ["peer <x> did not run"],
    tables: [{ title: "Median regret", records: [{ function: "branin", "gp-logei": 1e-4 }] }],
    rows: benchRows,
  });
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  assert.ok(html.includes("<title>bench &lt;1&gt;</title>"));
  assert.ok(html.includes("<li>peer &lt;x&gt; did not run</li>"));
  assert.ok(html.includes('<td class="num" style="text-align:right">1.00e-4</td>'));
  for (
    const heading of [
      "smbo: regret curves",
      "smbo: average rank",
      "smbo: regret against seconds_per_trial",
      "perf: ratios",
    ]
  ) {
    assert.ok(html.includes(`<h3>${heading}</h3>`), heading);
  }
  assert.equal((html.match(/class="metahpo-plot"/g) ?? []).length, 4);
  // No network: no external script or stylesheet.
  assert.ok(!/<script[^>]+src=/.test(html) && !/<link[^>]+href=/.test(html));
  await assert.rejects(
    () => renderReport({ title: "", date: "", machine: "", rows: [] }),
    /renderReport: input.title: must be a non-empty string/,
  );
  await assert.rejects(
    () =>
      renderReport({ title: "t", date: "", machine: "", rows: [] }, {
        lossCompute: [{ loss: [], compute: ["s"] }],
      }),
    /options.lossCompute\[0\].loss: must name a metric/,
  );
});

Deno.test("writeReport writes the page; ratioFigure draws one bar per row", async () => {
  const dir = mkdtempSync(join(tmpdir(), "viz-report-"));
  await writeReport(join(dir, "r.html"), { title: "t", date: "d", machine: "m", rows: benchRows });
  assert.ok(readFileSync(join(dir, "r.html"), "utf8").includes("Suite smbo"));
  const bars = ratioFigure(benchRows.filter((r) => r.metric === "speedup"));
  // A bar from parity (base 1) to the ratio 2.
  assert.deepEqual([bars.data[0].base, bars.data[0].x, bars.data[0].customdata], [[1], [1], [2]]);
  assert.deepEqual(bars.data[0].y, ["gp-fit: sklearn / metahpo = 2.00×"]);
});
