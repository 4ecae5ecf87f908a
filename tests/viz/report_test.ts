import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import { ratioFigure, renderReport } from "../../lib/viz/report.ts";
import { baseLayout } from "../../lib/viz/figure.ts";

const figure = (title: string) => ({
  data: [{ type: "scatter", x: [1, 2], y: [0.5, 0.25] }],
  layout: baseLayout(title),
});

const regretRows: ResultRow[] = [0, 1, 2].map((seed) => ({
  suite: "smbo",
  task: "branin",
  method: "random",
  seed,
  step: 1,
  metric: "regret",
  value: 1 + seed,
}));

/** The page's h2 and h3 headings and figure titles, in order. */
function outline(html: string): string[] {
  return [...html.matchAll(/<h([23])>([^<]*)<\/h\1>|^var fig=(.*);$/gm)].map((m) =>
    m[3] === undefined
      ? `h${m[1]} ${m[2]}`
      : `fig ${JSON.parse(m[3]).layout.title.text.replaceAll("<br>", " ")}`
  );
}

Deno.test("renderReport: suiteFigures in their suite's section after its own figures, in order", async () => {
  const html = await renderReport({
    date: "d",
    machine: "m",
    rows: regretRows,
    suiteFigures: [
      { suite: "transfer", title: "transfer: a", figures: [figure("fa")] },
      { suite: "smbo", title: "smbo: extra", figures: [figure("fe1"), figure("fe2")] },
      { suite: "transfer", title: "transfer: b", figures: [figure("fb")] },
    ],
  });
  assert.deepEqual(outline(html), [
    "h2 Suite smbo",
    "h3 smbo: regret curves",
    "fig branin: simple regret (median over seeds, no 95% CI: 3 seeds, 6 needed)",
    "h3 smbo: extra",
    "fig fe1",
    "fig fe2",
    // A suite without rows: its section after those of the rows' suites.
    "h2 Suite transfer",
    "h3 transfer: a",
    "fig fa",
    "h3 transfer: b",
    "fig fb",
  ]);
  // Without suiteFigures, the same page but for them.
  const plain = await renderReport({ date: "d", machine: "m", rows: regretRows });
  assert.deepEqual(outline(plain), outline(html).slice(0, 3));
});

Deno.test("renderReport: a group of suiteFigures without a suite or figures is refused, named", async () => {
  await assert.rejects(
    renderReport({ suiteFigures: [{ suite: "", title: "t", figures: [figure("f")] }] }),
    /renderReport: input\.suiteFigures\[0\]\.suite: must be a non-empty string/,
  );
  await assert.rejects(
    renderReport({ suiteFigures: [{ suite: "s", title: "t", figures: [] }] }),
    /renderReport: input\.suiteFigures\[0\]\.figures: must hold at least one figure/,
  );
});

Deno.test("renderReport: the same input renders to the same HTML, its figure ids unique in the page", async () => {
  const input = {
    title: "r",
    date: "2025-01-01T00:00:00Z",
    machine: "m",
    rows: regretRows,
    // The same figure twice: two elements, two ids.
    studies: [{ title: "s", figures: [figure("f"), figure("f")] }],
  };
  const first = await renderReport(input);
  const second = await renderReport(input);
  assert.equal(first, second);
  const ids = [...first.matchAll(/<div id="([^"]+)" class="metahpo-plot"/g)].map((m) => m[1]);
  assert.equal(ids.length, 3);
  assert.equal(new Set(ids).size, 3);
});

Deno.test("renderReport: input and options are strict, a misspelt key is an error naming it", async () => {
  await assert.rejects(
    renderReport({ date: "d", machine: "m", note: ["x"] } as never),
    { name: "TypeError", message: "renderReport: input.note: unknown key" },
  );
  await assert.rejects(
    renderReport({ date: "d", machine: "m" }, { ratioMetric: ["x"] } as never),
    { name: "TypeError", message: "renderReport: options.ratioMetric: unknown key" },
  );
  await assert.rejects(
    renderReport({ studies: [{ title: "s", figures: [figure("f")], note: "x" }] } as never),
    /renderReport: input\.studies\[0\]\.note: unknown key/,
  );
});

Deno.test("ratioFigure: a second row of the same task and method is an error naming it (plotly would merge the bars)", () => {
  const ratio = (task: string, value: number): ResultRow => ({
    suite: "perf",
    task,
    method: "sklearn / metahpo",
    seed: -1,
    step: 0,
    metric: "speedup",
    value,
  });
  assert.throws(
    () => ratioFigure([ratio("gp-fit", 3.2), ratio("gp-predict", 0.4), ratio("gp-fit", 3.2)]),
    {
      name: "RangeError",
      message: 'ratioFigure: rows[2]: "gp-fit: sklearn / metahpo" repeats rows[0]: one bar per ' +
        "task and method (plotly draws bars of one label as one)",
    },
  );
  assert.equal(
    (ratioFigure([ratio("gp-fit", 3.2), ratio("gp-predict", 0.4)]).data[0].x as number[]).length,
    2,
  );
});
