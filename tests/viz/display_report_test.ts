import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  figureHtml,
  JUPYTER_DISPLAY,
  PLOTLY_LOADER_DEFAULTS,
  plotlyLoaderHtml,
  plotlySetup,
  plotlySetupBundle,
  showFigure,
  showTable,
} from "../../lib/viz/display.ts";
import { ratioFigure, renderReport, writeReport } from "../../lib/viz/report.ts";
import { PLOTLY_VERSION } from "../../lib/deps/plotly.ts";
import { baseLayout, VIZ_DEFAULTS } from "../../lib/viz/figure.ts";
import { sliceFigure } from "../../lib/viz/study_plots.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";

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

/** A minimal page: one element per figure, appended scripts recorded, timers run by hand. */
function fakePage() {
  const elements = new Map<string, { id: string; innerHTML: string }>();
  const appended: { src?: string; onload?: () => void; onerror?: () => void }[] = [];
  const timers: (() => void)[] = [];
  const window: Record<string, unknown> = {};
  const document = {
    readyState: "complete",
    currentScript: null,
    head: { appendChild: (s: (typeof appended)[number]) => appended.push(s) },
    getElementById: (id: string) => {
      if (!elements.has(id)) elements.set(id, { id, innerHTML: "" });
      return elements.get(id);
    },
    createElement: () => ({}),
  };
  const run = (html: string) => {
    for (const body of scriptBodies(html)) {
      new Function("window", "document", "setTimeout", body)(
        window,
        document,
        (f: () => void) => timers.push(f),
      );
    }
  };
  const newPlot: unknown[][] = [];
  const plotly = { newPlot: (...args: unknown[]) => newPlot.push(args) };
  return { window, elements, appended, timers, run, newPlot, plotly };
}

Deno.test("figureHtml without a setup output: waits, loads plotly from the CDN, draws", () => {
  const page = fakePage();
  page.run(figureHtml(figure));
  page.run(figureHtml(figure));
  assert.equal(page.newPlot.length, 0);
  assert.equal(page.timers.length, 1, "one page-wide loader, however many figures");
  page.timers.shift()!();
  assert.equal(page.appended.length, 1);
  assert.equal(page.appended[0].src, PLOTLY_LOADER_DEFAULTS.cdn);
  page.window.Plotly = page.plotly;
  page.appended[0].onload!();
  assert.equal(page.newPlot.length, 2);
  assert.deepEqual(page.newPlot[0][1], figure.data);
  assert.deepEqual(page.newPlot[0][2], figure.layout);
});

Deno.test("figureHtml offline without a setup output: a visible explanation, never blank", () => {
  const page = fakePage();
  page.run(figureHtml(figure));
  page.timers.shift()!();
  page.appended[0].onerror!();
  const [el] = [...page.elements.values()];
  assert.match(el.innerHTML, /needs plotly\.js.*await plotlySetup\(\)/);
  // A setup output displayed later still draws the figure.
  page.window.Plotly = page.plotly;
  page.run(`<script>${scriptBodies(figureHtml(figure))[0]}</script>`);
  assert.equal(page.newPlot.length, 1, "a new figure draws at once");
  page.run(
    "<script>(window.__metahpoPlotlyQueue||[]).splice(0).forEach(function(d){d();});</script>",
  );
  assert.equal(page.newPlot.length, 2);
  assert.equal(el.innerHTML, "");
});

/** What a page that runs no scripts shows of some HTML: its text, scripts and tags left out. */
function textWithoutScripts(html: string): string {
  const text = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "").replace(/<br>/g, "\n")
    .replace(/<[^>]*>/g, "");
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&").trim();
}

Deno.test("figureHtml without scripts: the title and where to see the figure, never a blank box", async () => {
  const titled = {
    data: figure.data,
    layout: { title: { text: "Regret of <b>GP</b> &amp; random<br>search" } },
  };
  const html = figureHtml(titled);
  assert.equal(
    textWithoutScripts(html),
    "Regret of GP & random search\nAn interactive plotly figure, drawn by JavaScript: where it " +
      "does not appear, this view runs no scripts. To see it, run the notebook in Jupyter, or " +
      "open the HTML page (a notebook's export or the bench report) in a browser with JavaScript.",
  );
  // The static content sits inside the figure's element; a title given as a string, or none.
  assert.match(html, /^<div id="[^"]+" class="metahpo-plot"[^>]*><p class="metahpo-plot-static"/);
  assert.match(
    textWithoutScripts(figureHtml({ data: [], layout: { title: "a <1>" } })),
    /^a <1>\n/,
  );
  assert.match(textWithoutScripts(figureHtml({ data: [], layout: {} })), /^An interactive plotly/);
  // The notebook's bundle: the same static text in its HTML, the plotly JSON as it was.
  const bundle = await showFigure(titled)[JUPYTER_DISPLAY]();
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], titled);
  assert.match(textWithoutScripts(bundle["text/html"] as string), /Regret of GP & random search\n/);
  // The script replaces the static content when it draws.
  const page = fakePage();
  const id = /id="([^"]+)"/.exec(html)![1];
  page.elements.set(id, { id, innerHTML: /<div[^>]*>(.*)<\/div>/.exec(html)![1] });
  page.window.Plotly = page.plotly;
  page.run(html);
  assert.equal(page.newPlot.length, 1);
  assert.equal(page.elements.get(id)!.innerHTML, "");
});

Deno.test("figureHtml with a setup output later in the page: drawn by it, no network", async () => {
  const page = fakePage();
  page.run(figureHtml(figure));
  // The setup output's scripts: the bundle (here replaced by a stub) and the queue drain.
  const [, drain] = scriptBodies(await plotlyLoaderHtml());
  page.window.Plotly = page.plotly;
  page.run(`<script>${drain}</script>`);
  assert.equal(page.newPlot.length, 1);
  page.timers.shift()!();
  assert.equal(page.appended.length, 0, "no CDN request once plotly.js is there");
});

Deno.test("plotlySetup: one awaited display of the bundle; figures then stay small", async () => {
  const shown: unknown[] = [];
  await plotlySetup({ flushMs: 0, display: (bundle) => Promise.resolve(shown.push(bundle)) });
  assert.equal(shown.length, 1);
  assert.deepEqual(shown[0], await plotlySetupBundle());
  assert.ok((shown[0] as Record<string, string>)["text/html"].length > 4_000_000);
  const after = await showFigure(figure)[JUPYTER_DISPLAY]();
  assert.ok((after["text/html"] as string).length < 10_000);
  await assert.rejects(
    () => plotlySetup({ flushMs: -1, display: () => {} }),
    /plotlySetup: options.flushMs: must be a number ≥ 0/,
  );
  // Not in a kernel: a clear error, not a silent no-op.
  await assert.rejects(() => plotlySetup(), /plotlySetup: not running in a Jupyter kernel/);
});

Deno.test("showTable: escaped HTML and plain text", () => {
  const bundle = showTable([{ a: "<x>", b: 1.5 }])[JUPYTER_DISPLAY]() as Record<string, string>;
  assert.ok(bundle["text/html"].includes("&lt;x&gt;"));
  assert.equal(bundle["text/plain"], '{"a":"<x>","b":1.5}');
});

Deno.test("showTable: options are strict, a misspelt key is an error naming it", () => {
  assert.throws(() => showTable([{ a: 1 }], { captoin: "x" } as never), {
    name: "TypeError",
    message: "showTable: options.captoin: unknown key",
  });
  assert.throws(
    () => showTable([{ a: 1 }], { caption: 3 } as never),
    /showTable: options\.caption: /,
  );
  const bundle = showTable([{ a: 1 }], { caption: "c" })[JUPYTER_DISPLAY]() as Record<
    string,
    string
  >;
  assert.ok(bundle["text/html"].includes("<caption>c</caption>"));
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

Deno.test("renderReport: study figures in their own section", async () => {
  const studyFigure = {
    data: [{ type: "scatter", x: [0, 1], y: [2, 1] }],
    layout: { title: { text: "history" } },
  };
  const html = await renderReport({
    title: "t",
    date: "d",
    machine: "m",
    rows: [],
    studies: [{ title: "branin <gp>", figures: [studyFigure, studyFigure] }],
  });
  assert.ok(html.includes("<h2>Studies</h2>\n<h3>branin &lt;gp&gt;</h3>"));
  assert.equal((html.match(/class="metahpo-plot"/g) ?? []).length, 2);
  await assert.rejects(
    () =>
      renderReport({
        title: "t",
        date: "d",
        machine: "m",
        rows: [],
        studies: [{ title: "s", figures: [{ data: {} }] }],
      } as never),
    /renderReport: input.studies\[0\].figures\[0\].data/,
  );
});

Deno.test("renderReport: study figures alone, with a default title, date and machine", async () => {
  const studyFigure = {
    data: [{ type: "scatter", x: [0, 1], y: [2, 1] }],
    layout: { title: { text: "history" } },
  };
  const before = Date.now();
  const html = await renderReport({ studies: [{ title: "s", figures: [studyFigure] }] });
  assert.ok(html.includes("<title>metahpo report</title>"));
  assert.ok(html.includes("<h1>metahpo report</h1>"));
  const meta = /<p class="meta">([^<]*)<\/p>/.exec(html)![1];
  const [date, machine, ...rest] = meta.split(" · ");
  assert.ok(Date.parse(date) >= before - 1000 && Date.parse(date) <= Date.now(), date);
  assert.equal(
    machine,
    `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, deno ${Deno.version.deno}`,
  );
  // No rows given: no count of result rows, and no suite section.
  assert.deepEqual(rest, []);
  assert.ok(!html.includes("<h2>Suite"));
  assert.equal((html.match(/class="metahpo-plot"/g) ?? []).length, 1);
  // Given fields are shown as before.
  const given = await renderReport({ title: "t", date: "d", machine: "m", rows: [] });
  assert.ok(given.includes('<p class="meta">d · m · 0 result rows</p>'));
});

Deno.test("renderReport: titles wider than a grid cell wrap, the top margin a line taller", async () => {
  // An ~80-character contour title fits a figure of the default width on one line, not the
  // report's narrowest cell (560 px).
  const title =
    "Contour of learning rate × hidden units: GP mean, others at the best trial (30 trials)";
  const html = await renderReport({
    title: "t",
    date: "d",
    machine: "m",
    rows: [],
    studies: [{
      title: "s",
      figures: [
        { data: [], layout: baseLayout(title) },
        { data: [], layout: baseLayout("history") },
      ],
    }],
  });
  const layouts = [...html.matchAll(/^var fig=(.*);$/gm)].map((m) =>
    JSON.parse(m[1]).layout as { title: { text: string }; margin: { t: number } }
  );
  assert.equal(layouts.length, 2);
  const [wrapped, short] = layouts;
  assert.equal(wrapped.title.text.split("<br>").length, 2);
  assert.equal(wrapped.title.text.replace("<br>", " "), title);
  assert.equal(wrapped.margin.t, VIZ_DEFAULTS.marginTop + 20);
  assert.deepEqual(short.title.text, "history");
  assert.equal(short.margin.t, VIZ_DEFAULTS.marginTop);
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

Deno.test("ratioFigure: a ratio a log axis cannot draw is an error; the report lists it instead", async () => {
  const R = (method: string, metric: string, value: number, seed = -1): ResultRow => ({
    suite: "perf",
    task: "t",
    method,
    seed,
    step: 1,
    metric,
    value,
  });
  for (const [value, index] of [[0, 0], [-2, 1], [NaN, 1]]) {
    const rows = [R("a", "speedup", index === 0 ? value : 2), R("b", "speedup", value)];
    assert.throws(() => ratioFigure(rows), {
      name: "RangeError",
      message:
        `ratioFigure: rows[${index}] ("t: ${index === 0 ? "a" : "b"}") has the value ${value}; ` +
        "a log axis needs values > 0",
    });
  }
  assert.throws(() => ratioFigure([R("a", "speedup", Infinity)]), {
    name: "TypeError",
    message:
      "ratioFigure: rows[0].value: must be a finite number, or NaN for a run that diverged, " +
      "got Infinity",
  });
  const html = await renderReport({
    title: "t",
    date: "d",
    machine: "m",
    rows: [
      R("a", "speedup", 2),
      R("b", "speedup", 0),
      R("c", "ratio", -Infinity),
      ...[0, 1, 2].flatMap((seed) => [
        R("m", "mse", 0.1 * (seed + 1), seed),
        R("m", "gradient_steps", 0, seed),
      ]),
    ],
  });
  assert.ok(html.includes("<h3>perf: ratios</h3>"));
  assert.ok(html.includes(
    '<p class="meta">perf: ratios not drawn (a log axis needs finite values &gt; 0): t: b = 0; ' +
      "t: c = -Infinity</p>",
  ));
  assert.ok(html.includes("<h3>perf: mse against gradient_steps / seconds</h3>"));
  assert.equal((html.match(/class="metahpo-plot"/g) ?? []).length, 3);
  // The loss-vs-compute figure: a linear x axis (0 gradient steps), a log y axis.
  const figures = [...html.matchAll(/var fig=(.*);\n/g)].map((m) => JSON.parse(m[1]));
  const compute = figures.find((f) => f.layout.xaxis.title.text === "gradient_steps / seconds");
  assert.deepEqual([compute.layout.xaxis.type, compute.layout.yaxis.type], [undefined, "log"]);
});

Deno.test("renderReport: a table cell ±Infinity (a ratio to zero) is shown, not refused", async () => {
  const html = await renderReport({
    title: "t",
    date: "d",
    machine: "m",
    tables: [{ title: "ratios", records: [{ a: Infinity, b: 1 }, { a: 2, b: -Infinity }] }],
    rows: [],
  });
  assert.ok(html.includes('<td class="num" style="text-align:right">∞</td>'));
  assert.ok(html.includes('<td class="num" style="text-align:right">−∞</td>'));
  await assert.rejects(
    () =>
      renderReport({
        title: "t",
        date: "d",
        machine: "m",
        tables: [{ title: "x", records: [{ a: {} as unknown as number }] }],
        rows: [],
      }),
    /renderReport: input\.tables\[0\]\.records\[0\]\.a/,
  );
});

Deno.test("renderReport: a slice plot's log axes label ticks that fit a grid cell", async () => {
  const space = defineSpace({
    lr: float(1e-4, 1, { log: true }),
    l2: float(1e-7, 1e-1, { log: true }),
    units: int(8, 256, { log: true }),
    dropout: float(0, 0.5),
  });
  const trials = Array.from({ length: 9 }, (_, id) => {
    const u = id / 8;
    const params = {
      lr: 10 ** (-4 + 4 * u),
      l2: 10 ** (-7 + 6 * u),
      units: Math.round(8 * 32 ** u),
      dropout: u / 2,
    };
    return { id, params, status: "complete" as const, value: u, source: "initial" as const };
  });
  const slice = sliceFigure({ trials, space });
  const html = await renderReport({
    title: "t",
    date: "d",
    machine: "m",
    rows: [],
    studies: [{ title: "s", figures: [slice] }],
  });
  const [layout] = [...html.matchAll(/^var fig=(.*);$/gm)].map((m) =>
    JSON.parse(m[1]).layout as Record<string, Record<string, unknown>>
  );
  // A quarter of a 560 px cell: two powers of ten, labelled as plotly's power format.
  assert.deepEqual(layout.xaxis.tickvals, [1e-4, 1]);
  assert.deepEqual(layout.xaxis.ticktext, ["10<sup>−4</sup>", "1"]);
  assert.deepEqual(layout.xaxis2.tickvals, [1e-7, 0.1]);
  assert.deepEqual(layout.xaxis3.tickvals, [10, 100]);
  assert.equal(layout.xaxis4.tickvals, undefined);
  // The figure itself keeps the ticks it was built with; axis titles clear of tilted labels.
  const own = slice.layout as Record<string, Record<string, unknown>>;
  assert.equal(own.xaxis.tickvals, undefined);
  assert.ok(["xaxis", "xaxis2", "xaxis3", "xaxis4"].every((k) => own[k].automargin === true));
});
