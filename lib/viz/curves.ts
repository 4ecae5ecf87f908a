/**
 * Curves of a metric against a step — regret against evaluations, query loss against adaptation
 * steps — one line per method with its 95% confidence band, from long-format result rows.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { ResultRow } from "../results/mod.ts";
import { axis, bandTrace, baseLayout, type Figure, methodColors, type Trace } from "./figure.ts";
import { type Center, type Interval, summarise } from "../stats/mod.ts";
import { assertRows, nameSchema } from "./_validate.ts";
import { parseOrThrow } from "../validate.ts";

/** One method's summarised curve. */
export interface CurveSummary {
  /** The method. */
  method: string;
  /** Steps, ascending. */
  steps: number[];
  /** Summary at each step (over seeds, and tasks when several match). */
  intervals: Interval[];
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

/** Options of {@linkcode curveFigure}. */
export interface CurveFigureOptions extends CurveSelection {
  /** How values over seeds are summarised (default `median`). */
  center?: Center;
  /** Logarithmic y axis (default false). */
  logY?: boolean;
  /** Figure title (default: metric and task). */
  title?: string;
  /** x-axis title (default `step`). */
  xTitle?: string;
  /** y-axis title (default: the metric). */
  yTitle?: string;
  /**
   * Metrics of aggregated reference figures (e.g. a peer's `median_regret`), drawn as markers at
   * their step in the colour of their method.
   */
  references?: readonly string[];
}

const selectionSchema = z.object({
  metric: nameSchema,
  suite: nameSchema.optional(),
  task: nameSchema.optional(),
  methods: z.array(nameSchema).optional(),
});

const figureSchema = selectionSchema.extend({
  center: z.enum(["mean", "geomean", "median"]).optional(),
  logY: z.boolean().optional(),
  title: z.string().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
  references: z.array(nameSchema).optional(),
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
 * 95% interval of the values over seeds (and over tasks when no task is selected).
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
): CurveSummary[] {
  assertRows(rows, "summariseCurves: rows");
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
    return [{ method, steps, intervals: steps.map((s) => summarise(byStep.get(s)!, center)) }];
  });
}

/**
 * A figure of a metric against the step, one line per method with its 95% confidence band.
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
  parseOrThrow(figureSchema, options, "curveFigure: options");
  const center = options.center ?? "median";
  const curves = summariseCurves(rows, options, center);
  const colors = methodColors(rows);
  const data: Trace[] = [];
  for (const curve of curves) {
    const color = colors.get(curve.method)!;
    data.push(bandTrace(
      curve.steps,
      curve.intervals.map((i) => i.lower),
      curve.intervals.map((i) => i.upper),
      color,
      curve.method,
    ));
    data.push({
      type: "scatter",
      mode: curve.steps.length > 1 ? "lines" : "markers",
      name: curve.method,
      legendgroup: curve.method,
      x: curve.steps,
      y: curve.intervals.map((i) => i.center),
      line: { color, width: 2 },
      marker: { color },
      hovertemplate: `${curve.method}<br>step %{x}<br>${center} %{y:.4g}<extra></extra>`,
    });
  }
  for (const metric of options.references ?? []) {
    for (const method of methodOrder(rows, options.methods)) {
      const refs = rows.filter((r) => r.method === method && matches(r, options, metric));
      if (refs.length === 0) continue;
      const steps = [...new Set(refs.map((r) => r.step))].sort((a, b) => a - b);
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${method} (${metric})`,
        x: steps,
        y: steps.map((s) =>
          summarise(refs.filter((r) => r.step === s).map((r) => r.value), "median").center
        ),
        marker: { color: colors.get(method), size: 11, symbol: "diamond" },
        hovertemplate: `${method} ${metric}<br>step %{x}<br>%{y:.4g}<extra></extra>`,
      });
    }
  }
  const where = options.task ?? options.suite ?? "all tasks";
  return {
    data,
    layout: baseLayout(options.title ?? `${where}: ${options.metric} (${center}, 95% CI)`, {
      xaxis: axis(options.xTitle ?? "step"),
      yaxis: axis(
        options.yTitle ?? options.metric,
        options.logY ? { type: "log", exponentformat: "power" } : {},
      ),
    }),
  };
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
  return curveFigure(rows, {
    metric: "regret",
    center: "median",
    logY: true,
    xTitle: "evaluations",
    yTitle: "simple regret",
    references: ["median_regret"],
    title: `${options.task ?? "all tasks"}: simple regret (median over seeds, 95% CI)`,
    ...options,
  });
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
  const metric = options.metric ?? "mse";
  return curveFigure(rows, {
    metric,
    center: "mean",
    xTitle: "adaptation steps",
    yTitle: `query ${metric}`,
    title: `${options.task ?? "all tasks"}: query ${metric} after adaptation (mean, 95% CI)`,
    ...options,
  });
}
