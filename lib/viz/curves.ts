/**
 * Curves of a metric against a step — regret against evaluations, query loss against adaptation
 * steps — one line per method with its 95% confidence band, from long-format result rows.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { ResultRow } from "../results/mod.ts";
import {
  axis,
  bandTrace,
  baseLayout,
  type Figure,
  legendHeight,
  logAxisTicks,
  methodColors,
  plotHeight,
  plotlyText,
  seriesColor,
  type Trace,
} from "./figure.ts";
import { type Center, type DivergenceInterval, extent, summariseFinite } from "../stats/mod.ts";
import {
  assertRows,
  checkLogAxisValue,
  checkRowSelection,
  ciNote,
  nameSchema,
} from "./_validate.ts";
import { parseOrThrow } from "../validate.ts";

/** One method's summarised curve. */
export interface CurveSummary {
  /** The method. */
  method: string;
  /** Steps, ascending. */
  steps: number[];
  /**
   * Summary at each step (over seeds, and tasks when several match), over the finite values, with
   * the count of diverged (non-finite) values left out ({@linkcode summariseFinite}).
   */
  intervals: DivergenceInterval[];
}

/** Which rows make a curve: a metric, optionally restricted to a suite, a task and methods. */
export interface CurveSelection {
  /** The metric on the y axis, e.g. `regret`, `mse`. */
  metric: string;
  /** Only rows of this suite. */
  suite?: string;
  /** Only rows of this task (all tasks pooled when absent). */
  task?: string;
  /** Only these methods, in this order (default: every method, in order of appearance). */
  methods?: readonly string[];
}

/** Options of {@linkcode curveSummaryFigure}: how summarised curves are drawn. */
export interface CurveSummaryFigureOptions {
  /** Name of the center, for titles and hover text (default `median`). */
  center?: Center;
  /**
   * Logarithmic y axis (default false). Its range is always positive; without a positive value to
   * draw (every center 0), the axis is linear.
   */
  logY?: boolean;
  /**
   * The metric cannot be negative (MSE, regret): bands are clipped at 0 (default: true when every
   * finite center is ≥ 0).
   */
  nonNegative?: boolean;
  /** Figure title (default: `curves`). */
  title?: string;
  /** x-axis title (default `step`). */
  xTitle?: string;
  /** y-axis title (default `value`). */
  yTitle?: string;
  /** Colour of each method (default: palette in order of the curves). */
  colors?: ReadonlyMap<string, string>;
}

/** Options of {@linkcode curveFigure}. */
export interface CurveFigureOptions extends CurveSelection {
  /** How values over seeds are summarised (default `median`). */
  center?: Center;
  /** Logarithmic y axis (default false). Its range is always positive. */
  logY?: boolean;
  /**
   * The metric cannot be negative (MSE, regret): bands are clipped at 0 (default: true when every
   * finite selected value is ≥ 0).
   */
  nonNegative?: boolean;
  /**
   * Figure title (default: metric, task and center, and `95% CI`, or, where a series has too few
   * seeds for one, e.g. `no 95% CI: 3 seeds, 6 needed`).
   */
  title?: string;
  /** x-axis title (default `step`). */
  xTitle?: string;
  /** y-axis title (default: the metric). */
  yTitle?: string;
  /**
   * Metrics of aggregated reference figures (e.g. a peer's `median_regret`), drawn as markers at
   * their step in the colour of their method (the median of their finite values), except at the
   * steps where the method has per-seed rows of the metric: its own curve draws those.
   */
  references?: readonly string[];
}

// Strict, as every option schema of the figures: a misspelt key (`logy`) is an error naming it.
const selectionShape = {
  metric: nameSchema,
  suite: nameSchema.optional(),
  task: nameSchema.optional(),
  methods: z.array(nameSchema).optional(),
};
const selectionSchema = z.strictObject(selectionShape);

const centerSchema = z.enum(["mean", "geomean", "median"]);

/** How a curve figure is drawn: the options of both figure schemas below. */
const drawingShape = {
  center: centerSchema.optional(),
  logY: z.boolean().optional(),
  nonNegative: z.boolean().optional(),
  title: z.string().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
};

const figureSchema = z.strictObject({
  ...selectionShape,
  ...drawingShape,
  references: z.array(nameSchema).optional(),
});

const summaryFigureSchema = z.strictObject({
  ...drawingShape,
  colors: z.custom<ReadonlyMap<string, string>>(
    (v) => v instanceof Map,
    "must be a Map from method to colour",
  ).optional(),
});

function matches(row: ResultRow, selection: CurveSelection, metric: string): boolean {
  return row.metric === metric &&
    (selection.suite === undefined || row.suite === selection.suite) &&
    (selection.task === undefined || row.task === selection.task);
}

function methodOrder(rows: readonly ResultRow[], methods?: readonly string[]): string[] {
  return methods ? [...methods] : [...new Set(rows.map((r) => r.method))];
}

/**
 * Summarises per-seed rows (seed ≥ 0) into one curve per method: at every step, the center and
 * 95% interval of the finite values over seeds (and over tasks when no task is selected), with the
 * non-finite (diverged: NaN or ±Infinity) ones counted, by the rule of {@linkcode summariseFinite}
 * that the tables use too. With `nonNegative`, lower bounds are clipped at 0.
 *
 * @example
 * ```ts
 * import { summariseCurves } from "./curves.ts";
 * const rows = [0, 1, 2].map((seed) => ({
 *   suite: "smbo", task: "branin", method: "random", seed, step: 1, metric: "regret", value: seed,
 * }));
 * summariseCurves(rows, { metric: "regret" }, "mean")[0].intervals[0].center; // 1
 * ```
 */
export function summariseCurves(
  rows: readonly ResultRow[],
  selection: CurveSelection,
  center: Center = "median",
  nonNegative = false,
): CurveSummary[] {
  assertRows(rows, "summariseCurves: rows", "diverged");
  parseOrThrow(selectionSchema, selection, "summariseCurves: selection");
  const selected = rows.filter((r) => r.seed >= 0 && matches(r, selection, selection.metric));
  return methodOrder(selected, selection.methods).flatMap((method) => {
    const byStep = new Map<number, number[]>();
    for (const row of selected) {
      if (row.method !== method) continue;
      const values = byStep.get(row.step) ?? [];
      values.push(row.value);
      byStep.set(row.step, values);
    }
    if (byStep.size === 0) return [];
    const steps = [...byStep.keys()].sort((a, b) => a - b);
    return [{
      method,
      steps,
      intervals: steps.map((s) => summariseFinite(byStep.get(s)!, center, { nonNegative })),
    }];
  });
}

/**
 * How far a linear-axis series may reach above the others before it is drawn off scale: a series
 * whose largest center exceeds this factor times the median of the other series' largest centers
 * no longer sets the y range; it is marked "off scale" in the legend and in an annotation.
 *
 * @example
 * ```ts
 * import { CURVE_DEFAULTS } from "./curves.ts";
 * CURVE_DEFAULTS.offScaleFactor; // 20
 * ```
 */
export const CURVE_DEFAULTS: { readonly offScaleFactor: number } = { offScaleFactor: 20 };

const finite = (values: readonly number[]) => values.filter(Number.isFinite);

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Indices of the series whose largest center is off scale (linear axes; see CURVE_DEFAULTS). */
function offScaleSeries(curves: readonly CurveSummary[]): Set<number> {
  const maxima = curves.map((c) => Math.max(...finite(c.intervals.map((i) => i.center))));
  const off = new Set<number>();
  if (curves.length < 2) return off;
  maxima.forEach((m, k) => {
    const others = maxima.filter((o, j) => j !== k && Number.isFinite(o));
    if (!Number.isFinite(m) || others.length === 0) return;
    const reference = Math.abs(medianOf(others));
    if (reference > 0 && m > CURVE_DEFAULTS.offScaleFactor * reference) off.add(k);
  });
  return off;
}

const short = (
  x: number,
) => (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3));

/**
 * Draws summarised curves (from {@linkcode summariseCurves}, or any other summary over the same
 * rule) as one line per method with its 95% band, and chooses an honest y range:
 *
 * - bands of non-negative metrics are clipped at 0, and on a log axis non-positive bounds are
 *   raised to the smallest positive value drawn, so that a log axis never gets a non-positive range;
 * - on a log axis a center of 0 (the optimum reached), which plotly would leave out, is marked at
 *   that same floor by an open triangle of its own legend entry, `0 (optimum reached)`; a negative
 *   center cannot be drawn there: `logY` with one is a RangeError naming its method and step;
 * - a log axis labels as many ticks as fit the plot's height a line of text apart
 *   ({@linkcode logAxisTicks}): the decades only where 1-2-5 steps would crowd;
 * - on a linear axis, a series far above the others ({@linkcode CURVE_DEFAULTS}) does not set the
 *   range: it is drawn, named "off scale" with its maximum, and annotated;
 * - a point that left out diverged values shows their count on hover, and its method's legend
 *   entry says how many diverged at most.
 *
 * @example
 * ```ts
 * import { curveSummaryFigure } from "./curves.ts";
 * const figure = curveSummaryFigure([{
 *   method: "maml",
 *   steps: [1, 2],
 *   intervals: [
 *     { center: 1, lower: -0.5, upper: 2.5, n: 3, diverged: 0, total: 3 },
 *     { center: 0.5, lower: 0.2, upper: 0.8, n: 2, diverged: 1, total: 3 },
 *   ],
 * }], { center: "mean" });
 * Math.min(...(figure.data[0].y as number[])); // 0
 * ```
 */
export function curveSummaryFigure(
  curves: readonly CurveSummary[],
  options: CurveSummaryFigureOptions = {},
  extra: readonly Trace[] = [],
): Figure {
  parseOrThrow(summaryFigureSchema, options, "curveSummaryFigure: options");
  return drawSummaries(curves, options, extra, "curveSummaryFigure");
}

/**
 * Throws unless every center of `curves` can go on a log axis: a negative one is a RangeError
 * naming its method and step (`<fn>: options.logY: method "a" has the value -7.5 (median at step
 * 1); a log axis needs values > 0`). A center of 0 is drawn at the axis floor instead, and NaN (every
 * value diverged) is not drawn.
 */
function checkLogCenters(curves: readonly CurveSummary[], center: Center, fn: string): void {
  for (const curve of curves) {
    curve.intervals.forEach((interval, i) => {
      if (!(interval.center < 0)) return;
      checkLogAxisValue(
        interval.center,
        `${fn}: options.logY`,
        `method ${JSON.stringify(curve.method)}`,
        ` (${center} at step ${curve.steps[i]})`,
      );
    });
  }
}

// curveSummaryFigure with its options checked; errors name `fn`.
function drawSummaries(
  curves: readonly CurveSummary[],
  options: CurveSummaryFigureOptions,
  extra: readonly Trace[],
  fn: string,
): Figure {
  const center = options.center ?? "median";
  if (options.logY) checkLogCenters(curves, center, fn);
  const centers = curves.flatMap((c) => finite(c.intervals.map((i) => i.center)));
  const nonNegative = options.nonNegative ?? centers.every((v) => v >= 0);
  const extraY = extra.flatMap((t) => finite((t.y as number[] | undefined) ?? []));
  // The smallest positive value drawn: the floor of log-axis bands and ranges.
  const positive = [
    ...centers,
    ...curves.flatMap((c) => finite(c.intervals.map((i) => i.lower))),
    ...extraY,
  ].filter((v) => v > 0);
  const floor = positive.length ? Math.min(...positive) : NaN;
  // A log axis with no positive value to draw (every center 0) would show nothing: linear then.
  const logY = (options.logY ?? false) && positive.length > 0;
  const off = logY ? new Set<number>() : offScaleSeries(curves);
  const data: Trace[] = [];
  const annotations: string[] = [];
  const inRange: number[] = [...extraY];
  const zeroFloors: Trace[] = [];
  curves.forEach((curve, k) => {
    const color = options.colors?.get(curve.method) ?? seriesColor(k);
    const lower = curve.intervals.map((i) => {
      let v = i.lower;
      if (nonNegative && Number.isFinite(v)) v = Math.max(0, v);
      if (logY && Number.isFinite(v) && v <= 0) v = floor;
      return v;
    });
    const upper = curve.intervals.map((i) => i.upper);
    const ys = curve.intervals.map((i) => i.center);
    const worst = curve.intervals.reduce(
      (w, i) => (i.diverged > w.diverged ? i : w),
      { diverged: 0, total: 0 } as { diverged: number; total: number },
    );
    const label = plotlyText(curve.method);
    let name = label;
    const notes: string[] = [];
    if (worst.diverged > 0) notes.push(`diverged ${worst.diverged}/${worst.total}`);
    if (off.has(k)) {
      const max = Math.max(...finite(ys));
      notes.push(`off scale, max ${short(max)}`);
      annotations.push(`${label}: off scale (max ${short(max)})`);
    } else {
      inRange.push(...finite(ys));
      // Bands count towards the range up to 3× the highest center: one wide CI does not flatten
      // the figure either.
      const top = Math.max(...finite(ys));
      inRange.push(...finite(lower), ...finite(upper).map((u) => Math.min(u, 3 * Math.abs(top))));
    }
    if (worst.diverged > 0) {
      annotations.push(
        `${label}: diverged values left out (up to ${worst.diverged}/${worst.total} per step)`,
      );
    }
    if (notes.length) name += ` (${notes.join("; ")})`;
    data.push(bandTrace(curve.steps, lower, upper, color, curve.method));
    // A log axis cannot draw a center of 0 (the optimum reached): marked at the floor instead
    // (negative centers were refused above).
    const zeros = logY ? curve.steps.filter((_, i) => ys[i] === 0) : [];
    if (zeros.length > 0) {
      inRange.push(floor);
      zeroFloors.push({
        type: "scatter",
        mode: "markers",
        name: `${label}: 0 (optimum reached), drawn at the axis floor`,
        legendgroup: curve.method,
        x: zeros,
        y: zeros.map(() => floor),
        marker: { color, size: 9, symbol: "triangle-down-open", line: { width: 2 } },
        hovertemplate:
          `${label}<br>step %{x}<br>${center} 0 (optimum reached)<br>drawn at the axis floor<extra></extra>`,
      });
    }
    data.push({
      type: "scatter",
      mode: curve.steps.length > 1 ? "lines" : "markers",
      name,
      legendgroup: curve.method,
      x: curve.steps,
      y: ys,
      customdata: curve.intervals.map((i) => `${i.diverged}/${i.total}`),
      line: { color, width: 2 },
      marker: { color },
      hovertemplate:
        `${label}<br>step %{x}<br>${center} %{y:.4g}<br>diverged %{customdata}<extra></extra>`,
    });
  });
  data.push(...zeroFloors, ...extra);
  const yaxis: Record<string, unknown> = logY ? { type: "log", exponentformat: "power" } : {};
  const legendEntries = data.filter((t) => t.showlegend !== false).length;
  let logRange: [number, number] | undefined;
  if (logY) {
    const values = inRange.filter((v) => v > 0);
    if (values.length) {
      const [min, max] = extent(values);
      let lo = Math.log10(min);
      let hi = Math.log10(max);
      // logAxisTicks pads the values' span by 5% on either side, as this range does.
      logRange = hi > lo ? [10 ** lo, 10 ** hi] : [10 ** (lo - 0.5), 10 ** (hi + 0.5)];
      const pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
      lo -= pad;
      hi += pad;
      yaxis.range = [lo, hi]; // plotly log axes take log10 bounds
    }
  } else if (inRange.length) {
    let [lo, hi] = extent(inRange);
    if (nonNegative) lo = Math.max(0, lo);
    const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(Math.abs(hi), 1) * 0.1;
    hi += pad;
    lo = nonNegative && lo - pad < 0 ? 0 : lo - pad;
    yaxis.range = [lo, hi];
  }
  const layout = baseLayout(options.title ?? "curves", {
    height: legendHeight(legendEntries),
    xaxis: axis(options.xTitle ?? "step"),
    yaxis: axis(options.yTitle ?? "value", yaxis),
    ...(annotations.length
      ? {
        annotations: annotations.map((text, i) => ({
          text,
          xref: "paper",
          yref: "paper",
          x: 1,
          y: 1 - 0.07 * i,
          xanchor: "right",
          yanchor: "top",
          showarrow: false,
          font: { size: 11, color: "#b00020" },
          bgcolor: "rgba(255,255,255,0.8)",
        })),
      }
      : {}),
  });
  if (logRange) {
    // Ticks whose labels fit the plot's height (a log axis over a few decades would label every
    // digit).
    const ticks = logAxisTicks(logRange[0], logRange[1], {
      pixels: plotHeight(layout, legendEntries),
      vertical: true,
    });
    layout.yaxis = axis(options.yTitle ?? "value", { ...yaxis, ...ticks });
  }
  return { data, layout };
}

/**
 * A figure of a metric against the step, one line per method with its 95% confidence band
 * (drawn by {@linkcode curveSummaryFigure}: bands of non-negative metrics clipped at 0, positive
 * log ranges, off-scale series marked, diverged values counted). Options are strict: an unknown
 * key (`logy`) is a TypeError naming it. An option that matches no per-seed row (the metric, suite
 * or task, or a method of `methods`) is a RangeError naming it and the values it could match,
 * rather than an empty figure; so is, with `logY`, a negative center (a center of 0 is marked at
 * the axis floor). {@linkcode regretCurveFigure} and {@linkcode adaptationCurveFigure} likewise.
 *
 * @example
 * ```ts
 * import { curveFigure } from "./curves.ts";
 * const rows = [0, 1, 2].flatMap((seed) =>
 *   [1, 2, 3].map((step) => ({
 *     suite: "maml", task: "sinusoid", method: "maml", seed, step, metric: "mse", value: 1 / step,
 *   }))
 * );
 * const figure = curveFigure(rows, { metric: "mse", center: "mean" });
 * ```
 */
export function curveFigure(rows: readonly ResultRow[], options: CurveFigureOptions): Figure {
  const where = options?.task ?? options?.suite ?? "all tasks";
  return drawCurves(
    rows,
    options,
    (ci) => `${where}: ${options.metric} (${options.center ?? "median"}, ${ci})`,
    "curveFigure",
  );
}

// curveFigure with its default title from a note on the CIs drawn (`95% CI`, `no 95% CI: …`);
// errors name `fn`.
function drawCurves(
  rows: readonly ResultRow[],
  options: CurveFigureOptions,
  title: (ci: string) => string,
  fn: string,
): Figure {
  parseOrThrow(figureSchema, options, `${fn}: options`);
  assertRows(rows, `${fn}: rows`, "diverged");
  const selection: CurveSelection = {
    metric: options.metric,
    ...(options.suite === undefined ? {} : { suite: options.suite }),
    ...(options.task === undefined ? {} : { task: options.task }),
    ...(options.methods === undefined ? {} : { methods: options.methods }),
  };
  checkRowSelection(rows, selection, fn);
  const center = options.center ?? "median";
  const selected = rows.filter((r) =>
    r.seed >= 0 && matches(r, options, options.metric) && Number.isFinite(r.value)
  );
  const nonNegative = options.nonNegative ?? selected.every((r) => r.value >= 0);
  const curves = summariseCurves(rows, selection, center, nonNegative);
  const colors = methodColors(rows);
  const extra: Trace[] = [];
  for (const metric of options.references ?? []) {
    for (const method of methodOrder(rows, options.methods)) {
      // A method's own curve already draws the steps it has per-seed rows of.
      const own = curves.find((c) => c.method === method)?.steps ?? [];
      const refs = rows.filter((r) =>
        r.method === method && matches(r, options, metric) && !own.includes(r.step)
      );
      if (refs.length === 0) continue;
      const steps = [...new Set(refs.map((r) => r.step))].sort((a, b) => a - b);
      extra.push({
        type: "scatter",
        mode: "markers",
        name: `${plotlyText(method)} (${metric})`,
        x: steps,
        y: steps.map((s) =>
          summariseFinite(refs.filter((r) => r.step === s).map((r) => r.value), "median").center
        ),
        marker: { color: colors.get(method), size: 11, symbol: "diamond" },
        hovertemplate: `${plotlyText(method)} ${metric}<br>step %{x}<br>%{y:.4g}<extra></extra>`,
      });
    }
  }
  const ci = ciNote(
    curves.map((c) => ({ name: plotlyText(c.method), intervals: c.intervals })),
    center,
    options.task === undefined ? "run" : "seed",
  );
  return drawSummaries(
    curves,
    {
      center,
      logY: options.logY,
      nonNegative,
      colors,
      title: options.title ?? title(ci),
      xTitle: options.xTitle ?? "step",
      yTitle: options.yTitle ?? options.metric,
    },
    extra,
    fn,
  );
}

/**
 * Simple-regret curves against the number of evaluations (median over seeds with its
 * distribution-free 95% CI, log y axis), with peers' aggregated `median_regret` as markers.
 *
 * @example
 * ```ts
 * import { regretCurveFigure } from "./curves.ts";
 * const rows = [0, 1, 2, 3, 4, 5].map((seed) => ({
 *   suite: "smbo", task: "branin", method: "random", seed, step: 1, metric: "regret", value: seed + 1,
 * }));
 * const figure = regretCurveFigure(rows, { task: "branin" });
 * ```
 */
export function regretCurveFigure(
  rows: readonly ResultRow[],
  options: Omit<CurveFigureOptions, "metric"> & { metric?: string },
): Figure {
  const fn = "regretCurveFigure";
  return drawCurves(
    rows,
    {
      metric: "regret",
      center: "median",
      logY: true,
      xTitle: "evaluations",
      yTitle: "simple regret",
      references: ["median_regret"],
      ...options,
    },
    (ci) => `${plotlyText(options.task ?? "all tasks")}: simple regret (median over seeds, ${ci})`,
    fn,
  );
}

/**
 * Query loss against adaptation steps (mean over tasks and seeds with its Student-t 95% CI).
 *
 * @example
 * ```ts
 * import { adaptationCurveFigure } from "./curves.ts";
 * const rows = [0, 1, 2].flatMap((seed) =>
 *   [0, 1, 10].map((step) => ({
 *     suite: "maml", task: "sinusoid-k5", method: "maml", seed, step, metric: "mse",
 *     value: 1 / (1 + step + seed),
 *   }))
 * );
 * const figure = adaptationCurveFigure(rows, { task: "sinusoid-k5" });
 * ```
 */
export function adaptationCurveFigure(
  rows: readonly ResultRow[],
  options: Omit<CurveFigureOptions, "metric"> & { metric?: string },
): Figure {
  const fn = "adaptationCurveFigure";
  const metric = options?.metric ?? "mse";
  return drawCurves(
    rows,
    {
      metric,
      center: "mean",
      xTitle: "adaptation steps",
      yTitle: `query ${metric}`,
      ...options,
    },
    (ci) =>
      `${plotlyText(options.task ?? "all tasks")}: query ${metric} after adaptation (mean, ${ci})`,
    fn,
  );
}
