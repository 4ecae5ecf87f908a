import assert from "node:assert/strict";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  baseLayout,
  type Figure,
  type Layout,
  logAxisTicks,
  VIZ_DEFAULTS,
} from "../../lib/viz/figure.ts";
import { adaptationCurveFigure, regretCurveFigure } from "../../lib/viz/curves.ts";
import { rankFigure } from "../../lib/viz/ranks.ts";
import { lossVsComputeFigure } from "../../lib/viz/compute.ts";
import {
  acquisition1dFigure,
  acquisition2dFigure,
  posterior1dFigure,
  posterior2dFigure,
} from "../../lib/viz/surfaces.ts";
import { metaFeatureHeatmap } from "../../lib/viz/heatmap.ts";
import {
  contourFigure,
  edfFigure,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  sliceFigure,
} from "../../lib/viz/study_plots.ts";
import { paramImportanceFigure, paramImportances } from "../../lib/viz/importance.ts";
import { ratioFigure } from "../../lib/viz/report.ts";

/** Asserts that plotly's mode bar (top right, on hover) cannot cover the figure's title. */
function assertTitleClearOfModeBar(layout: Layout, name: string): void {
  const title = layout.title as Record<string, unknown>;
  assert.equal(title.yref, "container", `${name}: title.yref`);
  assert.equal(title.y, 1, `${name}: title.y`);
  assert.equal(title.yanchor, "top", `${name}: title.yanchor`);
  assert.equal(title.xanchor, "left", `${name}: title.xanchor`);
  assert.ok(
    (title.pad as { t: number }).t >= VIZ_DEFAULTS.modeBarStrip,
    `${name}: the title starts below the mode bar`,
  );
  assert.ok(
    (layout.margin as { t: number }).t >= VIZ_DEFAULTS.marginTop,
    `${name}: the top margin holds the mode bar strip and the title`,
  );
}

Deno.test("baseLayout: the title sits below the mode bar strip; margins merge by side", () => {
  const layout = baseLayout("a title long enough to reach the right end of a narrow figure");
  assertTitleClearOfModeBar(layout, "baseLayout");
  assert.deepEqual(layout.margin, { l: 70, r: 30, t: VIZ_DEFAULTS.marginTop, b: 100 });
  // Sides given override the defaults; a smaller top margin cannot squeeze the title.
  assert.deepEqual(baseLayout("t", { margin: { l: 10, t: 20 } }).margin, {
    l: 10,
    r: 30,
    t: VIZ_DEFAULTS.marginTop,
    b: 100,
  });
  assert.equal(
    (baseLayout("t", { margin: { t: 120 } }).margin as { t: number }).t,
    120,
    "a larger top margin is kept",
  );
  assert.equal((baseLayout("t", { height: 300 })).height, 300);
  assert.ok(VIZ_DEFAULTS.marginTop > VIZ_DEFAULTS.modeBarStrip + 20, "room for one title line");
});

const rows: ResultRow[] = [0, 1, 2].flatMap((seed) =>
  [5, 10].flatMap((step) =>
    ["gp", "random"].flatMap((method, m): ResultRow[] => [
      { suite: "s", task: "t", method, seed, step, metric: "regret", value: (m + 1) / step },
      { suite: "s", task: "t", method, seed, step, metric: "mse", value: (m + 1) / step },
      { suite: "s", task: "t", method, seed, step, metric: "seconds_per_trial", value: 0.1 + m },
    ])
  )
);

const space = defineSpace({
  lr: float(1e-4, 1e-1, { log: true }),
  units: int(8, 128, { log: true }),
});
const trials = Array.from({ length: 12 }, (_, id) => {
  const lr = 10 ** (-4 + (3 * id) / 11), units = Math.round(8 * 16 ** (((id * 5) % 12) / 11));
  return {
    id,
    params: { lr, units },
    status: "complete" as const,
    value: (Math.log10(lr) + 2) ** 2 + Math.log2(units / 32) ** 2,
    source: "initial" as const,
  };
});
const model = {
  dim: 2,
  predict: (xs: readonly Float64Array[]) => ({
    mean: Float64Array.from(xs, (p) => p[0] + p[1]),
    variance: Float64Array.from(xs, () => 1),
  }),
};
const line = {
  dim: 1,
  predict: (xs: readonly Float64Array[]) => ({
    mean: Float64Array.from(xs, (p) => p[0]),
    variance: Float64Array.from(xs, () => 1),
  }),
};
const score = (dim: number) => ({
  name: "score",
  dim,
  evaluate: (xs: readonly Float64Array[]) => Float64Array.from(xs, (p) => -((p[0] - 0.5) ** 2)),
});

Deno.test("every figure builder keeps its title clear of plotly's mode bar", () => {
  const study = { trials, space, name: "study" };
  const figures: Record<string, Figure> = {
    regretCurveFigure: regretCurveFigure(rows, { task: "t" }),
    adaptationCurveFigure: adaptationCurveFigure(rows, { task: "t", metric: "mse" }),
    rankFigure: rankFigure(rows, { suite: "s", metric: "regret" }),
    lossVsComputeFigure: lossVsComputeFigure(rows, {
      task: "t",
      loss: ["regret"],
      compute: ["seconds_per_trial"],
    }),
    posterior1dFigure: posterior1dFigure(line, { gridSize: 5 }),
    posterior2dFigure: posterior2dFigure(model, { gridSize: 3 }),
    acquisition1dFigure: acquisition1dFigure([score(1)], { gridSize: 5 }),
    acquisition2dFigure: acquisition2dFigure(score(2), { gridSize: 3 }),
    metaFeatureHeatmap: metaFeatureHeatmap({
      rows: ["a", "b"],
      columns: ["n", "d"],
      values: [[1, 2], [3, 5]],
    }),
    optimizationHistoryFigure: optimizationHistoryFigure(study),
    parallelCoordinateFigure: parallelCoordinateFigure(study),
    sliceFigure: sliceFigure(study),
    contourFigure: contourFigure(study, { gridSize: 4 }),
    edfFigure: edfFigure([study]),
    paramImportanceFigure: paramImportanceFigure(paramImportances(study, { seed: 0 })),
    ratioFigure: ratioFigure([{ ...rows[0], metric: "speedup", value: 2 }]),
  };
  for (const [name, figure] of Object.entries(figures)) {
    assertTitleClearOfModeBar(figure.layout, name);
  }
});

Deno.test("logAxisTicks: narrow log axes label few ticks; wide ones keep plotly's choice", () => {
  const base = { type: "log", exponentformat: "power" };
  // A fifth of the figure over 3 decades: plotly's five ticks would label every 1-2-5 step
  // (10 labels); 4 ticks give the decades 10⁻⁴ … 10⁻¹.
  assert.deepEqual(logAxisTicks(1e-4, 1e-1, 0.2), { ...base, nticks: 4 });
  // Over a decade or so: 1-2-5 steps (4 ticks) instead of every digit.
  assert.deepEqual(logAxisTicks(8, 128, 0.2), { ...base, nticks: 4 });
  assert.deepEqual(logAxisTicks(10, 100, 0.2), { ...base, nticks: 3 });
  // Within a decade: few linear ticks.
  assert.deepEqual(logAxisTicks(0.2, 0.6, 0.2), { ...base, nticks: 2 });
  // Over 12 decades: every fourth decade, as few labels as over 3.
  assert.deepEqual(logAxisTicks(1, 1e12, 0.2), { ...base, nticks: 4 });
  // Plotly's own ticks already fit: every second decade over 6, anything on a wide axis.
  assert.deepEqual(logAxisTicks(1e-7, 1e-1, 0.2), base);
  assert.deepEqual(logAxisTicks(1e-4, 1e-1, 1), base);
  assert.deepEqual(logAxisTicks(1e-4, 1e-1), base);
  assert.deepEqual(logAxisTicks(3, 3, 0.2), base);
  assert.throws(() => logAxisTicks(0, 1), /logAxisTicks: low and high must be finite/);
  assert.throws(() => logAxisTicks(2, 1), /0 < low ≤ high, got 2 and 1/);
  assert.throws(() => logAxisTicks(1, Infinity), /must be finite/);
  assert.throws(() => logAxisTicks(1, 10, 0), /fraction must be in \(0, 1\], got 0/);
  assert.throws(() => logAxisTicks(1, 10, 1.5), /fraction must be in \(0, 1\]/);
});
