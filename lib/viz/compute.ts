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
  plotlyText,
  textWidth,
  VIZ_DEFAULTS,
} from "./figure.ts";
import { type Center, type DivergenceInterval, extent, summariseFinite } from "../stats/mod.ts";
import { assertRows, availableText, checkLogAxisValue, ciNote, nameSchema } from "./_validate.ts";
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
// Strict: a misspelt key (`logx`) is an error naming it.
const optionsSchema = z.strictObject({
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
 * Throws a RangeError naming the first option that leaves no point to draw, with the values it
 * could have matched: the suite, the task, the loss or compute metrics (or no method with rows of
 * both), or the step of the loss.
 */
function checkSelection(rows: readonly ResultRow[], options: LossComputeOptions, fn: string): void {
  let left: readonly ResultRow[] = rows;
  for (const key of ["suite", "task"] as const) {
    const wanted = options[key];
    if (wanted === undefined) continue;
    const kept = left.filter((r) => r[key] === wanted);
    if (kept.length === 0) {
      const where = key === "task" && options.suite !== undefined
        ? ` in the suite ${JSON.stringify(options.suite)}`
        : "";
      throw new RangeError(
        `${fn}: options.${key}: no rows of the ${key} ${JSON.stringify(wanted)}${where} ${
          availableText(`${key}s`, left.map((r) => r[key]))
        }`,
      );
    }
    left = kept;
  }
  const metrics = (key: "loss" | "compute") => {
    const wanted = list(options[key]);
    const methods = new Set(left.filter((r) => wanted.includes(r.metric)).map((r) => r.method));
    if (methods.size === 0) {
      throw new RangeError(
        `${fn}: options.${key}: no rows of ${wanted.map((m) => JSON.stringify(m)).join(" or ")} ${
          availableText("metrics", left.map((r) => r.metric))
        }`,
      );
    }
    return methods;
  };
  const lossMethods = metrics("loss");
  const computeMethods = metrics("compute");
  if (![...lossMethods].some((m) => computeMethods.has(m))) {
    throw new RangeError(
      `${fn}: no method has rows of both options.loss and options.compute (loss: ${
        [...lossMethods].join(", ")
      }; compute: ${[...computeMethods].join(", ")})`,
    );
  }
  if (options.step !== undefined) {
    const losses = left.filter((r) => list(options.loss).includes(r.metric));
    throw new RangeError(
      `${fn}: options.step: no loss rows at the step ${options.step} ${
        availableText("steps", losses.map((r) => String(r.step)))
      }`,
    );
  }
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
 * Widths in pixels the labels are laid out for: from a report's grid cell, the narrowest place a
 * figure is shown, to the default width ({@linkcode VIZ_DEFAULTS}).
 */
const LABEL_FIGURE_WIDTHS: readonly [number, number] = [548, VIZ_DEFAULTS.width];
/** Font size of the method labels, pixels. */
const LABEL_FONT_SIZE = 12;
/** Height of a label's box: a line of text (plotly spaces lines 1.3 em apart). */
const LABEL_HEIGHT = Math.ceil(LABEL_FONT_SIZE * 1.3);
/** Diameter of a method's marker, pixels. */
const MARKER_SIZE = 11;
/** Least gap between a label and another label or a marker, pixels. */
const LABEL_GAP = 3;
/** Share of the drawn values' span added on either side of an axis (plotly pads about 5%). */
const RANGE_PAD = 0.08;
/** Farthest step (in label heights beyond the marker) at which a label is placed with a line. */
const LABEL_STEPS = 8;

/**
 * A box in the plot area, by its center: `u` the share of the plot's width (a marker's place),
 * `dx` pixels right of it (a label's offset), `y` pixels up from the plot's bottom.
 */
interface PlotBox {
  u: number;
  dx: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The range of an axis over the finite values drawn on it (log10 units on a log axis, as plotly
 * takes it), padded by {@linkcode RANGE_PAD} of their span (half a decade, or half the value, when
 * they are all equal); undefined when nothing is drawn.
 */
function axisRange(values: readonly number[], log: boolean): [number, number] | undefined {
  const drawn = values.filter((v) => Number.isFinite(v) && (!log || v > 0))
    .map((v) => (log ? Math.log10(v) : v));
  if (drawn.length === 0) return undefined;
  const [low, high] = extent(drawn);
  const pad = high > low ? (high - low) * RANGE_PAD : log ? 0.5 : Math.max(Math.abs(low) / 2, 0.5);
  return [low - pad, high + pad];
}

/** The values an error bar draws: its center and the ends it shows ({@linkcode errorBar}). */
function barValues(interval: DivergenceInterval, log: boolean): number[] {
  const ok = Number.isFinite(interval.lower) && Number.isFinite(interval.upper);
  if (!ok) return [interval.center];
  return [interval.center, interval.upper, ...(log && interval.lower <= 0 ? [] : [interval.lower])];
}

/**
 * The most area two boxes share, each grown by half of `gap` on every side, at any plot width
 * from `plot[0]` to `plot[1]` pixels: their horizontal distance changes linearly with the width,
 * so it is least at one end, or 0 where it changes sign in between.
 */
function overlap(a: PlotBox, b: PlotBox, gap: number, plot: readonly [number, number]): number {
  const dy = (a.height + b.height) / 2 + gap - Math.abs(a.y - b.y);
  if (dy <= 0) return 0;
  const [d0, d1] = plot.map((width) => (a.u - b.u) * width + a.dx - b.dx);
  const closest = d0 * d1 <= 0 ? 0 : Math.min(Math.abs(d0), Math.abs(d1));
  const dx = (a.width + b.width) / 2 + gap - closest;
  return dx > 0 ? dx * dy : 0;
}

/**
 * Where each label goes, as an offset in pixels from its marker (y up), found greedily: labels of
 * the most crowded markers first, each at the first free place of a list that starts next to the
 * marker (above, below, right, left, the diagonals) and moves away in the same directions, one
 * label height per step (drawn with a line to the marker beyond the first place). Free: clear of
 * every marker and every label placed, by {@linkcode LABEL_GAP}, and inside the plot area (and
 * `extra` pixels beyond its right and top edges) at every plot width from `plot[0]` to `plot[1]`
 * pixels. A label with no free place takes the place of least overlap.
 */
function placeLabels(
  markers: readonly { u: number; y: number }[],
  widths: readonly number[],
  plot: readonly [number, number],
  height: number,
  extra: { right: number; top: number },
): { dx: number; dy: number; step: number }[] {
  const radius = MARKER_SIZE / 2;
  const markerBoxes: PlotBox[] = markers.map((m) => ({
    u: m.u,
    dx: 0,
    y: m.y,
    width: MARKER_SIZE,
    height: MARKER_SIZE,
  }));
  const near = (i: number) =>
    markers.filter((m, j) =>
      j !== i && Math.abs(m.u - markers[i].u) * plot[0] < 80 && Math.abs(m.y - markers[i].y) < 40
    ).length;
  const order = markers.map((_, i) => i).sort((a, b) => near(b) - near(a) || a - b);
  const placed: PlotBox[] = [];
  const result = markers.map(() => ({ dx: 0, dy: 0, step: 0 }));
  const h = LABEL_HEIGHT;
  for (const i of order) {
    const w = widths[i];
    const diagonal = radius / Math.SQRT2;
    // Unit directions and the offset of the label's center next to the marker in each.
    const directions: [number, number, number, number][] = [
      [0, 1, 0, radius + LABEL_GAP + h / 2],
      [0, -1, 0, -(radius + LABEL_GAP + h / 2)],
      [1, 0, radius + LABEL_GAP + w / 2, 0],
      [-1, 0, -(radius + LABEL_GAP + w / 2), 0],
      [1, 1, diagonal + LABEL_GAP + w / 2, diagonal + LABEL_GAP + h / 2],
      [-1, 1, -(diagonal + LABEL_GAP + w / 2), diagonal + LABEL_GAP + h / 2],
      [1, -1, diagonal + LABEL_GAP + w / 2, -(diagonal + LABEL_GAP + h / 2)],
      [-1, -1, -(diagonal + LABEL_GAP + w / 2), -(diagonal + LABEL_GAP + h / 2)],
    ];
    let best: { dx: number; dy: number; step: number; cost: number } | undefined;
    search: for (let step = 0; step <= LABEL_STEPS; step++) {
      for (const [ux, uy, x0, y0] of directions) {
        const dx = x0 + ux * step * h * 1.5, dy = y0 + uy * step * h;
        const box = { u: markers[i].u, dx, y: markers[i].y + dy, width: w, height: h };
        const outside = plot.some((width) => {
          const x = box.u * width + box.dx;
          return x - w / 2 < 0 || x + w / 2 > width + extra.right;
        }) || box.y - h / 2 < 0 || box.y + h / 2 > height + extra.top;
        let cost = outside ? 1e6 : 0;
        for (const other of [...markerBoxes, ...placed]) {
          cost += overlap(box, other, LABEL_GAP, plot);
        }
        if (best === undefined || cost < best.cost) best = { dx, dy, step, cost };
        if (cost === 0) break search;
      }
    }
    result[i] = { dx: best!.dx, dy: best!.dy, step: best!.step };
    placed.push({ u: markers[i].u, dx: best!.dx, y: markers[i].y + best!.dy, width: w, height: h });
  }
  return result;
}

/**
 * A scatter of loss against compute, one marker per method with 95% CI error bars (the default
 * title says where a method has too few values for one, e.g. `no 95% CI: 1 seed, 6 needed`, as the
 * curve figures do). On a log axis
 * (the default for both) every center drawn must be > 0: a RangeError names the method otherwise
 * (centers of methods whose values all diverged are not drawn). A linear axis whose values are
 * all 0 spans 0 to 1. A log y axis labels as many ticks
 * as fit the plot's height ({@linkcode logAxisTicks}). Options are strict: an unknown key (`logx`)
 * is a TypeError naming it. Where no method has a point, the option that matched nothing (the
 * suite, the task, the loss or compute metrics, the step) is a RangeError naming it and the values
 * it could match, rather than an empty figure.
 *
 * Each marker is labelled with its method by an annotation placed clear of the other labels and
 * markers (next to the marker where there is room, else farther away with a line to it) at any
 * figure width from a report's grid cell (548 pixels) to the default (`VIZ_DEFAULTS.width`): the
 * axes' ranges are set, over the centers and error bars drawn, so that the places are known.
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
  const fn = "lossVsComputeFigure";
  parseOrThrow(optionsSchema, options, `${fn}: options`);
  assertRows(rows, `${fn}: rows`, "diverged");
  const points = lossComputePoints(rows, options);
  // A figure without a point would be empty: the option that matched nothing is named instead.
  if (points.length === 0) checkSelection(rows, options, fn);
  const center = options.center ?? "median";
  const computeName = list(options.compute).join(" / ");
  const lossName = list(options.loss)[0];
  const colors = methodColors(rows);
  const logX = options.logX ?? true;
  const logY = options.logY ?? true;
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
    p.loss.diverged > 0
      ? `${plotlyText(p.method)} (diverged ${p.loss.diverged}/${p.loss.total})`
      : plotlyText(p.method);
  const reachesZero = (i: DivergenceInterval, log: boolean) =>
    log && Number.isFinite(i.lower) && i.lower <= 0 ? " (CI reaches 0)" : "";
  const layout = baseLayout(
    options.title ??
      `${
          plotlyText(options.task ?? options.suite ?? "all tasks")
        }: ${lossName} vs ${computeName} ` +
        `(${center}, ${
          ciNote(
            points.map((p) => ({ name: plotlyText(p.method), intervals: [p.loss] })),
            center,
            options.task === undefined ? "run" : "seed",
          )
        })`,
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
  // Labels: the axes' ranges set (a linear all-zero axis keeps 0 to 1), so that a label's place
  // in pixels is known.
  const xRange = ((layout.xaxis as Layout).range as [number, number] | undefined) ??
    axisRange(points.flatMap((p) => barValues(p.compute, logX)), logX);
  const yRange = ((layout.yaxis as Layout).range as [number, number] | undefined) ??
    axisRange(points.flatMap((p) => barValues(p.loss, logY)), logY);
  const labelled = points.filter((p) =>
    [p.compute.center, p.loss.center].every((v) => Number.isFinite(v)) &&
    (!logX || p.compute.center > 0) && (!logY || p.loss.center > 0)
  );
  const annotations: Layout[] = [];
  if (xRange !== undefined && yRange !== undefined && labelled.length > 0) {
    (layout.xaxis as Layout).range = xRange;
    (layout.yaxis as Layout).range = yRange;
    const margin = layout.margin as { l: number; r: number };
    const plot = LABEL_FIGURE_WIDTHS.map((w) => w - margin.l - margin.r) as [number, number];
    const height = plotHeight(layout);
    const share = (value: number, log: boolean, [low, high]: [number, number]) =>
      ((log ? Math.log10(value) : value) - low) / (high - low);
    const markers = labelled.map((p) => ({
      u: share(p.compute.center, logX, xRange),
      y: share(p.loss.center, logY, yRange) * height,
    }));
    const widths = labelled.map((p) => textWidth(label(p), LABEL_FONT_SIZE));
    // The plot area, the empty right margin, and a little of the gap below the title.
    const places = placeLabels(markers, widths, plot, height, {
      right: margin.r - LABEL_GAP,
      top: LABEL_HEIGHT / 2,
    });
    labelled.forEach((p, i) => {
      const { dx, dy, step } = places[i];
      const at = {
        x: logX ? Math.log10(p.compute.center) : p.compute.center,
        y: logY ? Math.log10(p.loss.center) : p.loss.center,
        xref: "x",
        yref: "y",
        text: label(p),
        xanchor: "center",
        yanchor: "middle",
        font: { size: LABEL_FONT_SIZE, color: "#333333" },
      };
      annotations.push(
        step === 0 ? { ...at, showarrow: false, xshift: dx, yshift: dy } : {
          ...at,
          showarrow: true,
          ax: dx,
          ay: -dy,
          arrowhead: 0,
          arrowwidth: 1,
          arrowcolor: "#999999",
          standoff: MARKER_SIZE / 2 + 1,
        },
      );
    });
    layout.annotations = annotations;
  }
  return {
    data: points.map((p) => ({
      type: "scatter",
      mode: "markers",
      name: label(p),
      x: [p.compute.center],
      y: [p.loss.center],
      error_x: errorBar(p.compute, logX),
      error_y: errorBar(p.loss, logY),
      marker: { color: colors.get(p.method), size: 11 },
      cliponaxis: false,
      hovertemplate:
        `${plotlyText(p.method)}<br>${p.computeMetric} %{x:.4g}${reachesZero(p.compute, logX)}` +
        `<br>${p.lossMetric} %{y:.4g}${reachesZero(p.loss, logY)}` +
        `<extra>n = ${p.loss.n}, diverged ${p.loss.diverged}/${p.loss.total}</extra>`,
    })),
    layout,
  };
}
