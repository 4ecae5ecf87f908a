import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import { renderReport } from "../../lib/viz/report.ts";
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
