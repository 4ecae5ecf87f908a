/**
 * Loss against compute: one point per method with 95% confidence intervals on both axes — the
 * final loss each method reaches against what it spent (seconds, gradient steps).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { ResultRow } from "../results/mod.ts";
import {
  axis,
  baseLayout,
  type Figure,
  type Layout,
  logAxisTicks,
  methodColors,
  plotHeight,
} from "./figure.ts";
import { type Center, type DivergenceInterval, extent, summariseFinite } from "../stats/mod.ts";
import { assertRows, checkLogAxisValue, nameSchema } from "./_validate.ts";
import { parseOrThrow } from "../validate.ts";

/** Options of {@linkcode lossComputePoints} and {@linkcode lossVsComputeFigure}. */
export interface LossComputeOptions {
  /**
   * Loss metrics, in order of preference: a method's loss is the first of these it has rows for
   * (so that our per-seed `regret` and a peer's aggregated `median_regret` share one plot).
   */
  loss: string | readonly string[];
  /** Compute metrics, in order of preference, e.g. `seconds_per_trial`, `gradient_steps`. */
  compute: string | readonly string[];
  /** Only rows of this suite. */
  suite?: string;
  /** Only rows of this task (all tasks pooled when absent). */
  task?: string;
  /** The step whose loss is plotted (default: each method's last step). */
  step?: number;
  /** How values over seeds are summarised (default `median`). */
  center?: Center;
  /**
   * Logarithmic x axis (default true). A log axis needs values > 0: a method whose compute
   * center is 0 or negative is a RangeError naming it (pass false for a linear axis).
   */
  logX?: boolean;
  /** Logarithmic y axis (default true); its loss centers must be > 0 likewise. */
  logY?: boolean;
  /** Figure title. */
  title?: string;
}

/** One method's summarised loss and compute. */
export interface LossComputePoint {
  /** The method. */
  method: string;
  /** The loss metric used for it. */
  lossMetric: string;
  /** The compute metric used for it. */
  computeMetric: string;
  /**
   * Summary of the loss values over the finite ones, diverged (non-finite) values counted
   * ({@linkcode summariseFinite}: the rule tables and curves use too); clipped at 0 when every
   * finite loss is ≥ 0.
   */
  loss: DivergenceInterval;
  /** Summary of the compute values (same rule). */
  compute: DivergenceInterval;
}

const names = z.union([nameSchema, z.array(nameSchema).min(1, "must name a metric")]);
const optionsSchema = z.object({
  loss: names,
  compute: names,
  suite: nameSchema.optional(),
  task: nameSchema.optional(),
  step: z.number().refine(Number.isFinite, "must be finite").optional(),
  center: z.enum(["mean", "geomean", "median"]).optional(),
  logX: z.boolean().optional(),
  logY: z.boolean().optional(),
  title: z.string().optional(),
});

const list = (value: string | readonly string[]): readonly string[] =>
  typeof value === "string" ? [value] : value;

/**
 * Per method, the summarised loss (at `step`, or at the method's last step) and compute.
 * Methods with no row of any loss or compute metric are left out. Non-finite values (NaN or
 * ±Infinity: a run that diverged) are left out of the summaries and counted.
 *
 * @example
 * ```ts
 * import { lossComputePoints } from "./compute.ts";
 * const rows = [
 *   { suite: "s", task: "t", method: "m", seed: 0, step: 10, metric: "regret", value: 0.1 },
 *   { suite: "s", task: "t", method: "m", seed: 0, step: 10, metric: "seconds", value: 2 },
 * ];
 * lossComputePoints(rows, { loss: "regret", compute: "seconds" })[0].loss.center; // 0.1
 * ```
 */
export function lossComputePoints(
  rows: readonly ResultRow[],
  options: LossComputeOptions,
): LossComputePoint[] {
  assertRows(rows, "lossComputePoints: rows", "diverged");
  parseOrThrow(optionsSchema, options, "lossComputePoints: options");
  const center = options.center ?? "median";
  const selected = rows.filter((r) =>
    (options.suite === undefined || r.suite === options.suite) &&
    (options.task === undefined || r.task === options.task)
  );
  const methods = [...new Set(selected.map((r) => r.method))];
  return methods.flatMap((method) => {
    const own = selected.filter((r) => r.method === method);
    const lossMetric = list(options.loss).find((m) => own.some((r) => r.metric === m));
    const computeMetric = list(options.compute).find((m) => own.some((r) => r.metric === m));
    if (lossMetric === undefined || computeMetric === undefined) return [];
    const lossRows = own.filter((r) => r.metric === lossMetric);
    const step = options.step ?? extent(lossRows.map((r) => r.step))[1];
    const losses = lossRows.filter((r) => r.step === step).map((r) => r.value);
    if (losses.length === 0) return [];
    const computeRows = own.filter((r) => r.metric === computeMetric);
    const lastCompute = extent(computeRows.map((r) => r.step))[1];
    const computes = computeRows.filter((r) => r.step === lastCompute).map((r) => r.value);
    return [{
      method,
      lossMetric,
      computeMetric,
      loss: summariseFinite(losses, center, {
        nonNegative: losses.filter(Number.isFinite).every((v) => v >= 0),
      }),
      compute: summariseFinite(computes, center, {
        nonNegative: computes.filter(Number.isFinite).every((v) => v >= 0),
      }),
    }];
  });
}

/**
 * A 95% CI error bar; on a log axis a lower bound ≤ 0 cannot be drawn, so the bar stops at the
 * center below (the hover text says the interval reaches 0).
 */
function errorBar(interval: DivergenceInterval, log: boolean): Record<string, unknown> {
  const ok = Number.isFinite(interval.lower) && Number.isFinite(interval.upper);
  const lowerOk = ok && !(log && interval.lower <= 0);
  return {
    type: "data",
    symmetric: false,
    array: [ok ? interval.upper - interval.center : 0],
    arrayminus: [lowerOk ? interval.center - interval.lower : 0],
    visible: ok,
    thickness: 1.2,
  };
}

/**
 * A scatter of loss against compute, one marker per method with 95% CI error bars. On a log axis
 * (the default for both) every center drawn must be > 0: a RangeError names the method otherwise
 * (centers of methods whose values all diverged are not drawn). A linear axis whose values are
 * all 0 spans 0 to 1. A log y axis labels as many ticks
 * as fit the plot's height ({@linkcode logAxisTicks}).
 *
 * @example
 * ```ts
 * import { lossVsComputeFigure } from "./compute.ts";
 * const rows = [0, 1, 2].flatMap((seed) => [
 *   { suite: "s", task: "t", method: "m", seed, step: 10, metric: "regret", value: 0.1 * (seed + 1) },
 *   { suite: "s", task: "t", method: "m", seed, step: 10, metric: "seconds", value: 2 + seed },
 * ]);
 * const figure = lossVsComputeFigure(rows, { loss: "regret", compute: "seconds" });
 * ```
 */
export function lossVsComputeFigure(
  rows: readonly ResultRow[],
  options: LossComputeOptions,
): Figure {
  const points = lossComputePoints(rows, options);
  const center = options.center ?? "median";
  const computeName = list(options.compute).join(" / ");
  const lossName = list(options.loss)[0];
  const colors = methodColors(rows);
  const logX = options.logX ?? true;
  const logY = options.logY ?? true;
  const fn = "lossVsComputeFigure";
  for (const p of points) {
    const method = `method ${JSON.stringify(p.method)}`;
    const where = (metric: string) => ` (${metric}, ${center} over seeds)`;
    if (logX && !Number.isNaN(p.compute.center)) {
      checkLogAxisValue(p.compute.center, `${fn}: options.logX`, method, where(p.computeMetric));
    }
    if (logY && !Number.isNaN(p.loss.center)) {
      checkLogAxisValue(p.loss.center, `${fn}: options.logY`, method, where(p.lossMetric));
    }
  }
  const label = (p: LossComputePoint) =>
    p.loss.diverged > 0 ? `${p.method} (diverged ${p.loss.diverged}/${p.loss.total})` : p.method;
  const reachesZero = (i: DivergenceInterval, log: boolean) =>
    log && Number.isFinite(i.lower) && i.lower <= 0 ? " (CI reaches 0)" : "";
  const layout = baseLayout(
    options.title ??
      `${options.task ?? options.suite ?? "all tasks"}: ${lossName} vs ${computeName} ` +
        `(${center}, 95% CI)`,
    {
      xaxis: axis(computeName, logX ? { type: "log", exponentformat: "power" } : {}),
      yaxis: axis(lossName, logY ? { type: "log", exponentformat: "power" } : {}),
      showlegend: false,
      margin: { l: 70, r: 70, b: 60 },
    },
  );
  // A log y axis: ticks whose labels fit the plot's height, over the centers and error bars drawn.
  const drawn = logY
    ? points.flatMap(({ loss }) => [loss.center, loss.lower, loss.upper])
      .filter((v) => Number.isFinite(v) && v > 0)
    : [];
  // A linear axis whose values are all 0 (every regret at the optimum): 0 to 1, not plotly's −1
  // to 1.
  const zero = (values: number[]) =>
    values.some(Number.isFinite) && values.every((v) => !Number.isFinite(v) || v === 0);
  const spread = (i: DivergenceInterval) => [i.center, i.lower, i.upper];
  if (!logX && zero(points.flatMap((p) => spread(p.compute)))) {
    (layout.xaxis as Layout).range = [0, 1];
  }
  if (!logY && zero(points.flatMap((p) => spread(p.loss)))) {
    (layout.yaxis as Layout).range = [0, 1];
  }
  if (drawn.length > 0) {
    layout.yaxis = axis(
      lossName,
      logAxisTicks(Math.min(...drawn), Math.max(...drawn), {
        pixels: plotHeight(layout),
        vertical: true,
      }),
    );
  }
  return {
    data: points.map((p) => ({
      type: "scatter",
      mode: "markers+text",
      name: label(p),
      x: [p.compute.center],
      y: [p.loss.center],
      text: [label(p)],
      textposition: "top center",
      error_x: errorBar(p.compute, logX),
      error_y: errorBar(p.loss, logY),
      marker: { color: colors.get(p.method), size: 11 },
      cliponaxis: false,
      hovertemplate: `${p.method}<br>${p.computeMetric} %{x:.4g}${reachesZero(p.compute, logX)}` +
        `<br>${p.lossMetric} %{y:.4g}${reachesZero(p.loss, logY)}` +
        `<extra>n = ${p.loss.n}, diverged ${p.loss.diverged}/${p.loss.total}</extra>`,
    })),
    layout,
  };
}
