import assert from "node:assert/strict";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  baseLayout,
  type Figure,
  fitTitle,
  integerAxisTicks,
  type Layout,
  logAxisTicks,
  plotHeight,
  VIZ_DEFAULTS,
  wrapTitle,
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

/** The lines of a layout's title, its top margin and the pad above the title. */
function titleOf(layout: Layout): { lines: string[]; top: number; pad: number } {
  const title = layout.title as { text: string; pad: { t: number } };
  return {
    lines: title.text.split("<br>"),
    top: (layout.margin as { t: number }).t,
    pad: title.pad.t,
  };
}

// An ~80-character contour title, as contourFigure writes it.
const CONTOUR_TITLE =
  "Contour of learning rate × hidden units: GP mean, others at the best trial (30 trials)";

/**
 * The tick labels plotly draws on a log axis from 10^lo to 10^hi (log10 of each), picking them
 * from `nticks` as its axes.js does (autoTicks, log branch): decades every ceil(step); within a
 * decade linear steps of 2, 5 or 10 × 10ⁿ; else 1-2-5 steps ("D2") or every digit ("D1").
 */
function plotlyLogLabels(lo: number, hi: number, nticks: number): number[] {
  const step = (hi - lo) / nticks;
  const labels: number[] = [];
  if (step > 0.7) {
    const dtick = Math.ceil(step);
    for (let e = Math.ceil(lo / dtick) * dtick; e <= hi; e += dtick) labels.push(e);
  } else if (hi - lo < 1) {
    const rough = (10 ** hi - 10 ** lo) / (1.5 * nticks);
    const base = 10 ** Math.floor(Math.log10(rough));
    const dtick = base * (rough / base < 2 ? 2 : rough / base < 5 ? 5 : 10);
    for (let v = Math.ceil(10 ** lo / dtick) * dtick; v <= 10 ** hi; v += dtick) {
      labels.push(Math.log10(v));
    }
  } else {
    const digits = step > 0.3 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (let e = Math.floor(lo); e <= hi; e++) {
      for (const d of digits) {
        const v = e + Math.log10(d);
        if (v >= lo && v <= hi) labels.push(v);
      }
    }
  }
  return labels;
}

/** The least distance in pixels between two labels of a log axis `pixels` tall, as plotly draws. */
function closestLabels(low: number, high: number, pixels: number, settings: Layout): number {
  const pad = 0.05 * (Math.log10(high) - Math.log10(low));
  const lo = Math.log10(low) - pad, hi = Math.log10(high) + pad;
  // Plotly's own count on a y axis: one per 40 px, clamped to 4–9, plus one.
  const nticks = (settings.nticks as number | undefined) ??
    Math.min(Math.max(pixels / 40, 4), 9) + 1;
  const labels = plotlyLogLabels(lo, hi, nticks);
  let closest = Infinity;
  for (let i = 1; i < labels.length; i++) {
    closest = Math.min(closest, (labels[i] - labels[i - 1]) * pixels / (hi - lo));
  }
  return closest;
}

Deno.test("logAxisTicks: a vertical axis labels ticks a line of text apart, by its height", () => {
  const base = { type: "log", exponentformat: "power" };
  const up = (pixels: number) => ({ pixels, vertical: true });
  // A contour's y axis, 7 to 128 on 316 px: plotly's 9 ticks label every digit (8, 9 and 10 a
  // few pixels apart); 4 give 10, 20, 50, 100.
  assert.deepEqual(logAxisTicks(7, 128, up(316)), { ...base, nticks: 4 });
  assert.ok(closestLabels(7, 128, 316, base) < 12);
  assert.ok(closestLabels(7, 128, 316, logAxisTicks(7, 128, up(316))) >= 25);
  // The same span across a full width keeps plotly's choice: the rule depends on direction.
  assert.deepEqual(logAxisTicks(7, 128), base);
  // Regret curves over 3 decades on 256 px: the decades only; tall enough, the 1-2-5 steps.
  assert.deepEqual(logAxisTicks(1e-4, 1e-1, up(256)), { ...base, nticks: 4 });
  assert.deepEqual(logAxisTicks(1e-4, 1e-1, up(316)), base);
  // Within a decade: linear steps far enough apart at the top of the axis.
  assert.deepEqual(logAxisTicks(0.2, 0.6, up(256)), { ...base, nticks: 5 });
  // Many decades: plotly's decade steps already fit.
  assert.deepEqual(logAxisTicks(1e-12, 1, up(256)), base);
  assert.deepEqual(logAxisTicks(3, 3, up(256)), base);
  // Whatever the span and height, no two labels closer than a line (25 px) where 2 ticks can
  // be; plotly's own choice on short axes often is.
  let crowded = 0;
  for (const [low, high] of [[7, 128], [1e-4, 1e-1], [0.2, 0.6], [1, 10], [0.01, 3], [2, 9e3]]) {
    for (const pixels of [150, 200, 256, 316, 400, 600, 900]) {
      const settings = logAxisTicks(low, high, up(pixels));
      if (settings.nticks !== 2) {
        const gap = closestLabels(low, high, pixels, settings);
        assert.ok(gap >= 25, `${low}…${high} on ${pixels} px: ${gap} px`);
      }
      if (closestLabels(low, high, pixels, base) < 25) crowded++;
    }
  }
  assert.ok(crowded >= 20, `plotly's own ticks crowded on ${crowded} axes`);
  assert.throws(() => logAxisTicks(1, 10, up(0)), /logAxisTicks: pixels must be a finite number/);
  assert.throws(() => logAxisTicks(1, 10, up(NaN)), /pixels must be a finite number > 0/);
});

Deno.test("integerAxisTicks: a vertical log axis labels integers a line of text apart", () => {
  // Over a decade or more: logAxisTicks' for the height (10, 20, 50, 100 on a contour's y axis).
  assert.deepEqual(integerAxisTicks(7, 128, { log: true, vertical: true, pixels: 316 }), {
    type: "log",
    exponentformat: "power",
    nticks: 4,
  });
  // Within a decade the two top ticks lie closest: 7 and 8 are 0.058 decades apart, 22 px on
  // 256 px over 2 to 8; steps of 2 instead. Across, 1 stays.
  const linear = (dtick: number) => ({
    type: "log",
    tickmode: "linear",
    tickformat: "d",
    tick0: 0,
    dtick: `L${dtick}`,
  });
  assert.deepEqual(integerAxisTicks(2, 8, { log: true, vertical: true, pixels: 256 }), linear(2));
  assert.deepEqual(integerAxisTicks(2, 8, { log: true, vertical: true, pixels: 316 }), linear(1));
  assert.deepEqual(integerAxisTicks(2, 8, { log: true, pixels: 256 }), linear(1));
  assert.deepEqual(
    integerAxisTicks(20, 90, { log: true, vertical: true, pixels: 256 }),
    linear(20),
  );
  // One value drawn (a study of one trial, or every trial at 16): plotly spans about a decade
  // each side of it, so logAxisTicks' decades, not a label at every integer.
  for (const vertical of [false, true]) {
    const ticks = integerAxisTicks(16, 16, { log: true, vertical, pixels: 300 });
    assert.equal(ticks.type, "log");
    assert.notEqual(ticks.tickmode, "linear");
    assert.deepEqual(ticks, logAxisTicks(16, 16, { pixels: 300, vertical }));
  }
});

Deno.test("plotHeight: a layout's height less its margins and the legend's extra height", () => {
  assert.equal(plotHeight({}), VIZ_DEFAULTS.height - VIZ_DEFAULTS.marginTop - 100);
  assert.equal(plotHeight(baseLayout("t", { height: 480 })), 480 - 64 - 100);
  assert.equal(plotHeight(baseLayout("t", { margin: { b: 60 } })), 420 - 64 - 60);
  // A title of two lines: a line (20 px) less.
  const long = "word ".repeat(30);
  assert.equal(wrapTitle(long, VIZ_DEFAULTS.width).lines, 2);
  assert.equal(plotHeight(baseLayout(long)), 420 - 64 - 20 - 100);
  assert.equal(plotHeight(baseLayout("t", { height: 574 }), 10), 256);
  assert.equal(plotHeight({ height: 10 }), 1);
});

Deno.test("every vertical log axis of the figures gets ticks whose labels fit its height", () => {
  const closest = (layout: Layout, low: number, high: number) =>
    closestLabels(low, high, plotHeight(layout), layout.yaxis as Layout);
  // Regret curves: medians from 0.5 down to 5e-4 over 3 seeds.
  const regret: ResultRow[] = [0, 1, 2].flatMap((seed) =>
    [1, 2, 5, 10, 20, 50].map((step) => ({
      suite: "smbo",
      task: "branin",
      method: "gp",
      seed,
      step,
      metric: "regret",
      value: (0.5 + 0.1 * seed) / step ** 1.5 * (step === 50 ? 0.3 : 1),
    }))
  );
  const curves = regretCurveFigure(regret, { task: "branin" });
  const yaxis = curves.layout.yaxis as Layout;
  assert.equal(yaxis.type, "log");
  assert.equal(typeof yaxis.nticks, "number");
  const [lo, hi] = yaxis.range as number[];
  // The range set pads by 5% as logAxisTicks assumes: undo it to get the values' bounds.
  const pad = (hi - lo) / 1.1 * 0.05;
  assert.ok(closest(curves.layout, 10 ** (lo + pad), 10 ** (hi - pad)) >= 25);
  // Optimisation history on a log axis: values from 7e-4 to 0.9.
  const space = defineSpace({ x: float(0, 1) });
  const trials = Array.from({ length: 20 }, (_, id) => ({
    id,
    params: { x: id / 19 },
    status: "complete" as const,
    value: 0.9 * 0.7 ** id,
    source: "initial" as const,
  }));
  const history = optimizationHistoryFigure({ trials, space }, { logY: true });
  assert.equal((history.layout.yaxis as Layout).nticks, 4);
  assert.ok(closest(history.layout, 0.9 * 0.7 ** 19, 0.9) >= 25);
  // Loss against compute: two methods 2 decades apart.
  const compute: ResultRow[] = [0, 1, 2].flatMap((seed) =>
    ["gp", "random"].flatMap((method, m) => [
      { suite: "s", task: "t", method, seed, step: 10, metric: "regret", value: 10 ** (-2 * m) },
      { suite: "s", task: "t", method, seed, step: 10, metric: "seconds", value: 1 + m + seed },
    ])
  );
  const loss = lossVsComputeFigure(compute, { loss: "regret", compute: "seconds" });
  assert.equal((loss.layout.yaxis as Layout).type, "log");
  assert.ok(closest(loss.layout, 0.01, 1) >= 25);
  // A contour's log integer y axis (hidden units 7 to 128).
  const mlp = defineSpace({
    lr: float(1e-4, 1e-1, { log: true }),
    units: int(7, 128, { log: true }),
  });
  const grid = Array.from({ length: 12 }, (_, id) => ({
    id,
    params: { lr: 10 ** (-4 + 3 * ((id * 5) % 12) / 11), units: Math.round(7 * 18 ** (id / 11)) },
    status: "complete" as const,
    value: id % 4,
    source: "initial" as const,
  }));
  const contour = contourFigure({ trials: grid, space: mlp }, { gridSize: 12 });
  assert.equal((contour.layout.yaxis as Layout).nticks, 4);
  assert.ok(closest(contour.layout, 7, 128) >= 25);
});

Deno.test("baseLayout: a title wider than the figure wraps at spaces; the top margin grows", () => {
  // A short title is left as it was, at any width.
  for (const width of [undefined, 560, 300]) {
    const short = titleOf(baseLayout("Regret on branin", {}, { width }));
    assert.deepEqual(short, {
      lines: ["Regret on branin"],
      top: VIZ_DEFAULTS.marginTop,
      pad: VIZ_DEFAULTS.modeBarStrip,
    });
  }
  // The contour title fits the default width on one line, not 560 px: two lines there, the
  // words in order, the top margin a line (1.3 em of 15 px) taller.
  assert.equal(titleOf(baseLayout(CONTOUR_TITLE)).lines.length, 1);
  const narrow = titleOf(baseLayout(CONTOUR_TITLE, {}, { width: 560 }));
  assert.equal(narrow.lines.length, 2);
  assert.equal(narrow.lines.join(" "), CONTOUR_TITLE);
  assert.equal(narrow.top, VIZ_DEFAULTS.marginTop + 20);
  // Plotly draws a title of several lines 0.7 em higher: the pad makes up for it, so that the
  // first line starts below the mode bar's strip as a single line does.
  assert.equal(narrow.pad, VIZ_DEFAULTS.modeBarStrip + 11);
  // Narrower still: more lines, each line adding to the margin; a larger top margin asked for
  // grows too, and the layout's own width is the default.
  const three = titleOf(baseLayout(CONTOUR_TITLE, { margin: { t: 90 } }, { width: 300 }));
  assert.equal(three.lines.length, 3);
  assert.equal(three.top, 90 + 2 * 20);
  assert.deepEqual(titleOf(baseLayout(CONTOUR_TITLE, { width: 560 })).lines, narrow.lines);
  // A title longer than the default width wraps without a width given.
  const long = `${CONTOUR_TITLE}, with the trials of every seed and the median of each method`;
  assert.equal(titleOf(baseLayout(long)).lines.length, 2);
  // Line breaks of the title stay; a line that fits is not touched.
  const broken = titleOf(baseLayout(`Regret<br>${CONTOUR_TITLE}`, {}, { width: 560 }));
  assert.deepEqual(broken.lines, ["Regret", ...narrow.lines]);
  assert.equal(broken.top, VIZ_DEFAULTS.marginTop + 2 * 20);
  assert.throws(() => baseLayout("t", {}, { width: 0 }), /baseLayout: width must be a finite/);
});

Deno.test("wrapTitle: lines that fit the width by a wide font's measure; markup takes none", () => {
  const width = 560;
  // Room right of the title's start (2% in), less a gap: at 15 px about 0.6 em per character.
  const room = width * 0.98 - 12;
  const { text, lines } = wrapTitle(CONTOUR_TITLE, width);
  assert.equal(lines, 2);
  for (const line of text.split("<br>")) {
    // DejaVu Sans, the widest common sans-serif font, averages ≥ 0.55 em per character here.
    assert.ok(line.length * 0.55 * 15 <= room, `"${line}" fits`);
  }
  assert.deepEqual(wrapTitle("a b", 560), { text: "a b", lines: 1 });
  // A word wider than a line gets its own line; markup is not counted.
  const word = "x".repeat(80);
  assert.deepEqual(wrapTitle(`a ${word} b`, 300), { text: `a<br>${word}<br>b`, lines: 3 });
  assert.equal(wrapTitle(`<b>${"word ".repeat(5).trim()}</b>`, 300).lines, 1);
  assert.throws(() => wrapTitle("t", NaN), /wrapTitle: width must be a finite number > 0/);
  assert.throws(() => wrapTitle("t", 100, 0), /wrapTitle: size must be a finite number > 0/);
});

Deno.test("fitTitle: a built figure's title wraps for a narrower place; the figure is kept", () => {
  const built = contourFigure({ trials, space }, { gridSize: 4, title: CONTOUR_TITLE });
  const text = (built.layout.title as { text: string }).text;
  assert.equal(text, CONTOUR_TITLE, "one line at the default width");
  const fitted = fitTitle(built, 548);
  const title = titleOf(fitted.layout);
  assert.equal(title.lines.length, 2);
  assert.equal(title.lines.join(" "), text);
  assert.equal(title.top, titleOf(built.layout).top + 20);
  assert.equal(title.pad, VIZ_DEFAULTS.modeBarStrip + 11);
  // The same as a layout built for that width; the input is left as it was.
  assert.deepEqual(
    titleOf(fitted.layout),
    titleOf(baseLayout(text, { height: 480 }, { width: 548 })),
  );
  assert.equal((built.layout.title as { text: string }).text, text);
  assert.equal(fitted.data, built.data);
  // A title that fits, or none: the figure itself.
  assert.equal(fitTitle(built, 1000), built);
  const bare = { data: [], layout: {} };
  assert.equal(fitTitle(bare, 300), bare);
  assert.throws(() => fitTitle(built, -1), /fitTitle: width must be a finite number > 0/);
});

Deno.test("integerAxisTicks: integer steps on linear axes, integer labels, fitting the length", () => {
  const linear = (tick0: number, dtick: number) => ({
    tickmode: "linear",
    tickformat: "d",
    tick0,
    dtick,
  });
  // Plotly would tick 1, 1.5, 2, 2.5, 3.
  assert.deepEqual(integerAxisTicks(1, 3), linear(0, 1));
  assert.deepEqual(integerAxisTicks(1, 3, { pixels: 120 }), linear(0, 1));
  // Plotly's 1-2-5 steps where they are integers: 8 to 64 over a full width, then a quarter.
  assert.deepEqual(integerAxisTicks(8, 64), linear(0, 10));
  assert.deepEqual(integerAxisTicks(8, 64, { pixels: 250 }), linear(0, 20));
  // Six-digit labels on a narrow axis: fewer ticks than plotly's five, so that they fit.
  assert.deepEqual(integerAxisTicks(1000, 100000, { pixels: 250 }), linear(0, 50000));
  // A vertical axis ticks every 40 px, as plotly's y axes.
  assert.deepEqual(integerAxisTicks(8, 64, { pixels: 300, vertical: true }), linear(0, 10));
  // A step: ticks on multiples of it, on the parameter's values.
  assert.deepEqual(integerAxisTicks(16, 256, { step: 16, pixels: 250 }), linear(0, 80));
  assert.deepEqual(integerAxisTicks(2, 20, { step: 3 }), linear(2, 3));
  assert.deepEqual(integerAxisTicks(5, 5), linear(0, 1));
  // Log: over a decade or more the powers of ten and digits (integers above 1) of logAxisTicks;
  // within a decade, linear integer steps instead of plotly's fractional ones.
  assert.deepEqual(
    integerAxisTicks(8, 128, { log: true, pixels: 200 }),
    logAxisTicks(8, 128, 0.2),
  );
  // A vertical one: logAxisTicks' for its height (by default the plot height of a default layout).
  assert.deepEqual(
    integerAxisTicks(8, 128, { log: true, vertical: true }),
    logAxisTicks(8, 128, { pixels: plotHeight({}), vertical: true }),
  );
  assert.deepEqual(integerAxisTicks(2, 8, { log: true }), {
    type: "log",
    ...linear(0, 1),
    dtick: "L1",
  });
  assert.deepEqual(integerAxisTicks(20, 90, { log: true, pixels: 200 }).dtick, "L10");
  assert.throws(() => integerAxisTicks(3, 1), /integerAxisTicks: low and high must be finite/);
  assert.throws(() => integerAxisTicks(0, 8, { log: true }), /0 < low ≤ high, got 0 and 8/);
  assert.throws(() => integerAxisTicks(1, 3, { step: 0.5 }), /step must be an integer ≥ 1/);
  assert.throws(() => integerAxisTicks(1, 3, { pixels: 0 }), /pixels must be a finite number/);
});
