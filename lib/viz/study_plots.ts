/**
 * Plots of an optimisation study, as Optuna's `optuna.visualization` draws them: the optimisation
 * history with the best value so far, parallel coordinates, a contour of a surrogate's mean over
 * two parameters, slice plots and the empirical distribution function (EDF) of objective values
 * across studies. Parameter importances live in `importance.ts`.
 *
 * The input is a small structural type, {@linkcode StudyInput} (`{ trials, space?, name? }`): an
 * `SMBO` study, a `MinimizeResult`, a stored study as `loadStudy` gives it (read from `memory:`,
 * SQLite or PostgreSQL, with its stored space and name), a plain trial list, or trials from
 * anywhere else. Log-scaled parameters get log axes, categorical parameters labelled category axes,
 * integer parameters ticks on integers only.
 * Failed, running and non-finite trials are left out of the values and counted in the titles;
 * the history marks failed and excluded trials along its bottom edge, apart. In a conditional
 * space a trial lacks its inactive parameters: as Optuna does, parallel coordinates draw the
 * trials that have every plotted parameter, a slice plot each parameter's trials that have it, a
 * contour the trials that have both of its parameters, and the titles count the trials left out.
 * A contour leaves blank (no colour, no hover value) the cells where a plotted parameter is
 * inactive and those of a categorical choice none of its trials has, where Optuna's contour has no
 * value either, and its title says so. A study without a complete trial gives an error naming the
 * study argument.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import type { SurrogateFactory } from "../models/surrogate.ts";
import { checkedMeans } from "../acquisition/acquisition.ts";
import { type EncodedParam, Space, type SpaceReadOptions } from "../space/space.ts";
import { parseOrThrow } from "../validate.ts";
import { bestSoFar, extent } from "../stats/mod.ts";
import {
  axis,
  baseLayout,
  centredNote,
  type Figure,
  integerAxisTicks,
  type Layout,
  legendHeight,
  logAxisTicks,
  plotHeight,
  plotlyText,
  seriesColor,
  type Trace,
  VIZ_DEFAULTS,
} from "./figure.ts";
import { checkLogAxisValue } from "./_validate.ts";
import {
  checkDirection,
  directionSchema,
  directionSign,
  isBetter,
  type StudyDirection,
} from "../smbo/_direction.ts";
import {
  countsText,
  fitStudySurrogate,
  isLog,
  isSurrogateFactory,
  resolveStudies,
  resolveStudy,
  selectParams,
  type StudyInput,
  type StudySource,
  type StudyTrials,
  type UsableTrial,
} from "./_study.ts";

export type { StudyInput, StudySource };
export type { StudyDirection };

const FAILED_COLOR = "#d62728";
const EXCLUDED_COLOR = "#7f7f7f";

/** A sequential light-to-dark blue scale (ColorBrewer "Blues"), as Optuna's plots use. */
const BLUES: [number, string][] = [
  [0, "#f7fbff"],
  [0.125, "#deebf7"],
  [0.25, "#c6dbef"],
  [0.375, "#9ecae1"],
  [0.5, "#6baed6"],
  [0.625, "#4292c6"],
  [0.75, "#2171b5"],
  [0.875, "#08519c"],
  [1, "#08306b"],
];
const paramsSchema = z.array(z.string()).min(1, "must name at least one parameter").optional();

function paramValue(trial: UsableTrial, param: EncodedParam): unknown {
  return trial.params[param.name];
}

/** Whether the trial has the parameter (an inactive one of a conditional space is absent). */
function hasParam(trial: UsableTrial, param: EncodedParam): boolean {
  return Object.hasOwn(trial.params, param.name) && trial.params[param.name] !== undefined;
}

// A log axis labels fewer ticks when short, an integer parameter's axis integers only: `fit`
// gives the values drawn on it (default: the parameter's bounds) and its length, as the share of
// the figure's width it spans or, for a vertical axis, its height in pixels.
function paramAxis(
  param: EncodedParam,
  extra: Layout = {},
  fit: { values?: readonly unknown[]; fraction?: number; height?: number } = {},
): Layout {
  const d = param.definition;
  if (d.kind === "categorical") {
    return axis(plotlyText(param.name), {
      type: "category",
      categoryorder: "array",
      categoryarray: d.choices.map(String),
      ...extra,
    });
  }
  if (d.kind !== "float" && d.kind !== "int") return axis(plotlyText(param.name), extra);
  if (d.kind === "float" && !isLog(param)) return axis(plotlyText(param.name), extra);
  const drawn = (fit.values ?? []).filter((v): v is number =>
    typeof v === "number" && Number.isFinite(v) && (!isLog(param) || v > 0)
  );
  const [low, high] = drawn.length > 0 ? extent(drawn) : [d.low, d.high];
  const fraction = fit.fraction ?? 1;
  const ticks = d.kind === "int"
    ? integerAxisTicks(low, high, {
      step: d.step ?? 1,
      log: isLog(param),
      pixels: fit.height ?? fraction * VIZ_DEFAULTS.width,
      vertical: fit.height !== undefined,
    })
    : logAxisTicks(
      low,
      high,
      fit.height === undefined ? fraction : { pixels: fit.height, vertical: true },
    );
  return axis(plotlyText(param.name), { ...ticks, ...extra });
}

function plotValue(param: EncodedParam, value: unknown): unknown {
  return param.definition.kind === "categorical" ? String(value) : value;
}

// ---------------------------------------------------------------------------------------------
// Optimisation history

/** Options of {@linkcode optimizationHistoryFigure}. */
export interface HistoryOptions {
  /**
   * Which way the objective improves, for every study plotted; default: each study's own
   * `direction` (an `SMBO` or stored study, a `minimize` result), else `minimize`.
   */
  direction?: StudyDirection;
  /**
   * Logarithmic y axis (every complete value must then be > 0), with as many ticks labelled as
   * fit the plot's height.
   */
  logY?: boolean;
  /** Figure title. */
  title?: string;
}

const historySchema = z.object({
  direction: directionSchema.optional(),
  logY: z.boolean().optional(),
  title: z.string().optional(),
}).strict();

/**
 * The best value so far after each complete trial: the running minimum, or with `direction`
 * `"maximize"` the running maximum (`bestSoFar` of `lib/stats` on the values as minimised). NaN
 * entries are skipped; before the first value that is not NaN there is no best yet: NaN. A
 * direction other than `"minimize"` or `"maximize"` is a TypeError naming it.
 *
 * @example
 * ```ts
 * import { bestValueSoFar } from "./study_plots.ts";
 * bestValueSoFar([3, 5, 1, 2]); // [3, 3, 1, 1]
 * bestValueSoFar([NaN, 2, 3], "maximize"); // [NaN, 2, 3]
 * ```
 */
export function bestValueSoFar(
  values: readonly number[],
  direction: StudyDirection = "minimize",
): number[] {
  const checked = checkDirection(direction, "bestValueSoFar: direction");
  const sign = directionSign(checked);
  const first = values.findIndex((v) => !Number.isNaN(v));
  return bestSoFar(values.map((v) => sign * v)).map((best, i) =>
    first < 0 || i < first ? NaN : sign * best
  );
}

/**
 * Optuna's `plot_optimization_history`: each complete trial's objective value against its number,
 * the best value so far as a step line (trials taken in number order, as Optuna does, whatever the
 * order of the list: a list sorted by value draws the same figure), failed trials as red × along
 * the bottom edge (their error on hover) and complete trials left out (a non-finite value) as
 * grey ○ above them (the reason on hover), each counted in the legend. It draws no parameter: a
 * complete trial counts whatever its parameters (a list value, none at all, a configuration
 * outside the space). One or several studies (one colour each). The best so far follows each
 * study's direction: the running maximum for a study run with `direction: "maximize"`.
 *
 * @example
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { optimizationHistoryFigure } from "./study_plots.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const trials = [0.9, 0.2, 0.5].map((x, id) => ({
 *   id, params: { x }, status: "complete" as const, value: (x - 0.3) ** 2, source: "initial" as const,
 * }));
 * const figure = optimizationHistoryFigure({ trials, space });
 * ```
 */
export function optimizationHistoryFigure<P>(
  studies: StudySource<P> | readonly StudyInput<P>[],
  options: HistoryOptions = {},
): Figure {
  const fn = "optimizationHistoryFigure";
  parseOrThrow(historySchema, options, `${fn}: options`);
  const resolved = resolveStudies(studies, fn);
  const several = resolved.length > 1;
  const data: Trace[] = [];
  resolved.forEach((study, s) => {
    if (options.logY) {
      for (const t of study.complete) {
        checkLogAxisValue(t.value, `${fn}: options.logY`, study.label, ` (trial ${t.number})`);
      }
    }
    const color = seriesColor(s);
    const prefix = several ? `${plotlyText(study.name)}: ` : "";
    // The best so far after trial k is the best of the trials numbered up to k (stable: a list
    // in number order is drawn as given).
    const ordered = study.complete.toSorted((a, b) => a.number - b.number);
    const x = ordered.map((t) => t.number);
    const y = ordered.map((t) => t.value);
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${prefix}objective value`,
      legendgroup: study.name,
      x,
      y,
      marker: { color, size: 7, opacity: 0.65 },
      hovertemplate: `${prefix}trial %{x}<br>value %{y:.6g}<extra></extra>`,
    });
    data.push({
      type: "scatter",
      mode: "lines",
      name: `${prefix}best value`,
      legendgroup: study.name,
      x,
      y: bestValueSoFar(y, options.direction ?? study.direction ?? "minimize"),
      line: { color, width: 2, shape: "hv" },
      hovertemplate: `${prefix}after trial %{x}<br>best %{y:.6g}<extra></extra>`,
    });
    // Failed and excluded trials have no value drawn: marked along the bottom edge, apart.
    const marks = [
      { name: "failed", trials: study.failed.map((f) => ({ number: f.number, why: f.error })) },
      {
        name: "excluded",
        trials: study.excluded.map((e) => ({ number: e.number, why: e.reason })),
      },
    ];
    for (const { name, trials } of marks) {
      if (trials.length === 0) continue;
      const failed = name === "failed";
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${prefix}${name} (${trials.length})`,
        legendgroup: study.name,
        x: trials.map((t) => t.number),
        y: trials.map(() => (failed ? 0.03 : 0.08)),
        yaxis: "y2",
        text: trials.map((t) => t.why.slice(0, 200)),
        marker: failed
          ? { color: FAILED_COLOR, symbol: "x", size: 9 }
          : { color: EXCLUDED_COLOR, symbol: "circle-open", size: 9, line: { width: 2 } },
        hovertemplate: `${prefix}trial %{x} ${name}<br>%{text}<extra></extra>`,
      });
    }
  });
  const counts = several ? "" : ` (${countsText(resolved[0])})`;
  const layout = baseLayout(options.title ?? `Optimization history${counts}`, {
    // Every trace has a legend entry: a long legend gets its own rows, the plot keeps its height.
    height: legendHeight(data.length),
    xaxis: axis("trial"),
    yaxis: axis("objective value"),
    // Failed trials have no value: they sit on a hidden axis along the bottom edge.
    yaxis2: { overlaying: "y", range: [0, 1], visible: false, fixedrange: true },
  });
  if (options.logY) {
    let low = Infinity, high = -Infinity;
    for (const study of resolved) {
      for (const { value } of study.complete) {
        [low, high] = [Math.min(low, value), Math.max(high, value)];
      }
    }
    layout.yaxis = axis(
      "objective value",
      logAxisTicks(low, high, { pixels: plotHeight(layout, data.length), vertical: true }),
    );
  }
  return { data, layout };
}

// ---------------------------------------------------------------------------------------------
// Parallel coordinates

/** Options of {@linkcode parallelCoordinateFigure}. */
export interface ParallelCoordinateOptions {
  /** Only these parameters, in this order (default: every searchable parameter). */
  params?: readonly string[];
  /**
   * Which way the objective improves: the better trials get the darker lines (default: the
   * study's own `direction`, else `minimize`).
   */
  direction?: StudyDirection;
  /** Figure title. */
  title?: string;
}

const parallelSchema = z.object({
  params: paramsSchema,
  direction: directionSchema.optional(),
  title: z.string().optional(),
}).strict();

/** Margins of the parallel-coordinates figure: room for the axis labels above the axes. */
const PARALLEL_MARGIN = { l: 80, r: 80, t: 90, b: 40 };

function powerTicks(low: number, high: number): { tickvals: number[]; ticktext: string[] } {
  const tickvals: number[] = [];
  for (let e = Math.ceil(low - 1e-9); e <= Math.floor(high + 1e-9); e++) tickvals.push(e);
  if (tickvals.length < 2) tickvals.splice(0, tickvals.length, low, high);
  return { tickvals, ticktext: tickvals.map((v) => Number((10 ** v).toPrecision(3)).toString()) };
}

/** Height of a parallel-coordinates axis at the default height and the figure's margins. */
const PARALLEL_AXIS_PIXELS = VIZ_DEFAULTS.height - PARALLEL_MARGIN.t - PARALLEL_MARGIN.b;

// A parcoords axis takes tick values, not a tick step: those of integerAxisTicks' steps.
function integerTickValues(
  low: number,
  high: number,
  step: number,
): { tickvals: number[]; tickformat: string } {
  const { tick0, dtick } = integerAxisTicks(low, high, {
    step,
    pixels: PARALLEL_AXIS_PIXELS,
    vertical: true,
  }) as { tick0: number; dtick: number };
  const tickvals: number[] = [];
  for (let k = Math.ceil((low - tick0) / dtick); tick0 + k * dtick <= high; k++) {
    tickvals.push(tick0 + k * dtick);
  }
  return { tickvals, tickformat: "d" };
}

/**
 * Optuna's `plot_parallel_coordinate`: one line per complete trial through the objective and each
 * parameter's axis, coloured by the objective. As in Optuna, a trial that lacks a plotted
 * parameter (inactive in a conditional space) is not drawn; the title says how many are drawn of
 * how many (`options.params` picks parameters active together). Log parameters are drawn on a
 * log10 axis with their values as tick labels, categorical parameters on an axis labelled with
 * their choices.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float } from "../space/mod.ts";
 * import { parallelCoordinateFigure } from "./study_plots.ts";
 * const space = defineSpace({ lr: float(1e-4, 1, { log: true }), act: categorical(["relu", "tanh"]) });
 * const trials = [[1e-3, "relu", 0.4], [0.1, "tanh", 0.2]].map(([lr, act, value], id) => ({
 *   id, params: { lr, act }, status: "complete" as const, value: value as number, source: "initial" as const,
 * }));
 * const figure = parallelCoordinateFigure({ trials, space });
 * ```
 */
export function parallelCoordinateFigure<P>(
  study: StudySource<P>,
  options: ParallelCoordinateOptions = {},
): Figure {
  const fn = "parallelCoordinateFigure";
  parseOrThrow(parallelSchema, options, `${fn}: options`);
  const resolved = resolveStudy(study, "study", fn);
  const params = selectParams(resolved, options.params, fn);
  // As Optuna: a trial is drawn when it has every plotted parameter.
  const trials = resolved.complete.filter((t) => params.every((p) => hasParam(t, p)));
  const values = trials.map((t) => t.value);
  const dimensions: Record<string, unknown>[] = [{
    label: "objective value",
    values,
    ...(values.length > 0 ? { range: extent(values) } : {}),
  }];
  for (const param of params) {
    const d = param.definition;
    if (d.kind === "categorical") {
      dimensions.push({
        label: plotlyText(param.name),
        values: trials.map((t) => d.choices.indexOf(paramValue(t, param) as never)),
        tickvals: d.choices.map((_, i) => i),
        ticktext: d.choices.map((c) => plotlyText(String(c))),
        range: [0, Math.max(1, d.choices.length - 1)],
      });
    } else if (d.kind === "float" || d.kind === "int") {
      if (isLog(param)) {
        const low = Math.log10(d.low), high = Math.log10(d.high);
        dimensions.push({
          label: `${plotlyText(param.name)} (log)`,
          values: trials.map((t) => Math.log10(paramValue(t, param) as number)),
          range: [low, high],
          ...powerTicks(low, high),
        });
      } else {
        dimensions.push({
          label: plotlyText(param.name),
          values: trials.map((t) => paramValue(t, param)),
          range: [d.low, d.high],
          // An integer parameter: ticks on integers only.
          ...(d.kind === "int" ? integerTickValues(d.low, d.high, d.step ?? 1) : {}),
        });
      }
    }
  }
  const left = resolved.complete.length - trials.length;
  const drawn = left === 0
    ? ""
    : `; ${trials.length} of ${resolved.complete.length} drawn, the others lack a plotted parameter`;
  const names = params.map((p) => plotlyText(p.name)).join(", ");
  const none = trials.length === 0
    ? {
      annotations: [
        centredNote(
          `No trial has every plotted parameter (${names}):<br>` +
            "pick parameters active together with options.params",
        ),
      ],
    }
    : {};
  return {
    data: [{
      type: "parcoords",
      dimensions,
      line: {
        color: values,
        colorscale: BLUES,
        // Darker is better: reversed when smaller values are better.
        reversescale: (options.direction ?? resolved.direction ?? "minimize") === "minimize",
        showscale: true,
        colorbar: { title: { text: "objective" } },
      },
      labelangle: -20,
    }],
    layout: baseLayout(
      options.title ?? `Parallel coordinates (${countsText(resolved)}${drawn})`,
      { margin: PARALLEL_MARGIN, ...none },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Slice plots

/** Options of {@linkcode sliceFigure}. */
export interface SliceOptions {
  /** Only these parameters, in this order (default: every searchable parameter). */
  params?: readonly string[];
  /** Subplots per row (default: up to 4). */
  columns?: number;
  /** Figure title. */
  title?: string;
}

const sliceSchema = z.object({
  params: paramsSchema,
  columns: z.number().int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1").optional(),
  title: z.string().optional(),
}).strict();

/**
 * Optuna's `plot_slice`: for each parameter, the objective value of every complete trial against
 * the parameter's value, coloured by trial number (log axes for log parameters, category axes for
 * categorical ones); one shared objective axis per row. A parameter's subplot leaves out the
 * trials that lack it (inactive in a conditional space), and the title counts them.
 *
 * @example
 * ```ts
 * import { defineSpace, float, int } from "../space/mod.ts";
 * import { sliceFigure } from "./study_plots.ts";
 * const space = defineSpace({ lr: float(1e-4, 1, { log: true }), units: int(8, 64) });
 * const trials = [[1e-3, 16, 0.4], [0.1, 32, 0.2]].map(([lr, units, value], id) => ({
 *   id, params: { lr, units }, status: "complete" as const, value, source: "initial" as const,
 * }));
 * const figure = sliceFigure({ trials, space });
 * ```
 */
export function sliceFigure<P>(study: StudySource<P>, options: SliceOptions = {}): Figure {
  const fn = "sliceFigure";
  parseOrThrow(sliceSchema, options, `${fn}: options`);
  const resolved = resolveStudy(study, "study", fn);
  const params = selectParams(resolved, options.params, fn);
  if (params.length === 0) throw new RangeError(`${fn}: study has no searchable parameter`);
  const columns = Math.min(params.length, options.columns ?? 4);
  const rows = Math.ceil(params.length / columns);
  const gap = 0.06, vgap = 0.14;
  const width = (1 - gap * (columns - 1)) / columns;
  const height = (1 - vgap * (rows - 1)) / rows;
  const all = resolved.complete;
  // One colour scale over every subplot, though each draws only the trials with its parameter.
  const [cmin, cmax] = extent(all.map((t) => t.number));
  const layout: Layout = {};
  const lacking: string[] = [];
  const data: Trace[] = params.map((param, k) => {
    const row = Math.floor(k / columns), col = k % columns;
    const suffix = k === 0 ? "" : String(k + 1);
    const x0 = col * (width + gap);
    const y1 = 1 - row * (height + vgap);
    const trials = all.filter((t) => hasParam(t, param));
    if (trials.length < all.length) {
      lacking.push(`${plotlyText(param.name)} ${all.length - trials.length}`);
    }
    const numbers = trials.map((t) => t.number);
    const x = trials.map((t) => plotValue(param, paramValue(t, param)));
    // automargin: tick labels that tilt in a narrow place (a report's cell) push the axis title
    // down instead of covering it.
    layout[`xaxis${suffix}`] = paramAxis(param, {
      domain: [x0, x0 + width],
      anchor: `y${suffix}`,
      automargin: true,
    }, { fraction: width, values: x });
    layout[`yaxis${suffix}`] = axis(col === 0 ? "objective value" : "", {
      domain: [Math.max(0, y1 - height), y1],
      anchor: `x${suffix}`,
      ...(k === 0 ? {} : { matches: "y" }),
    });
    return {
      type: "scatter",
      mode: "markers",
      name: plotlyText(param.name),
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      x,
      y: trials.map((t) => t.value),
      customdata: numbers,
      marker: {
        color: numbers,
        cmin,
        cmax,
        colorscale: BLUES,
        showscale: k === params.length - 1,
        colorbar: { title: { text: "trial" } },
        line: { color: "#555555", width: 0.5 },
        size: 7,
      },
      hovertemplate: `trial %{customdata}<br>${
        plotlyText(param.name)
      } %{x}<br>value %{y:.6g}<extra></extra>`,
      showlegend: false,
    };
  });
  const left = lacking.length > 0 ? `; left out where inactive: ${lacking.join(", ")}` : "";
  return {
    data,
    layout: baseLayout(options.title ?? `Slice plot (${countsText(resolved)}${left})`, {
      ...layout,
      height: Math.max(360, 320 * rows + 80),
      margin: { l: 70, r: 30, b: 60 },
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Contour

/** Options of {@linkcode contourFigure}. */
export interface ContourOptions {
  /** The two parameters (default: the first two searchable parameters). */
  params?: readonly [string, string];
  /**
   * The surrogate whose mean is drawn (default: `gpFactory()`, the float64 GP, whose fit grows
   * with the cube of the number of trials: `randomForest()` for large studies).
   */
  surrogate?: SurrogateFactory;
  /** Seed of the surrogate fit (default 0). */
  seed?: number;
  /** Grid points per continuous axis (default 40). */
  gridSize?: number;
  /**
   * Which way the objective improves: the better region is darker, and the best trial is the
   * highest one when maximising (default: the study's own `direction`, else `minimize`).
   */
  direction?: StudyDirection;
  /** Figure title. */
  title?: string;
}

const contourSchema = z.object({
  params: z.tuple([z.string(), z.string()]).optional(),
  surrogate: z.custom<SurrogateFactory>(
    isSurrogateFactory,
    "must be a SurrogateFactory (an object with a name and a fit method)",
  ).optional(),
  seed: z.number().int("must be an integer").optional(),
  gridSize: z.number().int("must be an integer in [2, 200]").min(
    2,
    "must be an integer in [2, 200]",
  )
    .max(200, "must be an integer in [2, 200]").optional(),
  direction: directionSchema.optional(),
  title: z.string().optional(),
}).strict();

/** Height of a contour figure, pixels. */
const CONTOUR_HEIGHT = 480;

/** Values of a parameter along a contour axis, in its own units. */
function axisGrid(param: EncodedParam, size: number): unknown[] {
  const d = param.definition;
  if (d.kind === "categorical") return [...d.choices];
  if (d.kind === "fixed") return [d.value];
  const discrete = d.kind === "int" || d.step !== undefined;
  const step = d.step ?? 1;
  if (discrete && (d.high - d.low) / step + 1 <= size) {
    const levels = Math.round((d.high - d.low) / step) + 1;
    return Array.from({ length: levels }, (_, k) => (k === levels - 1 ? d.high : d.low + k * step));
  }
  const raw = Array.from({ length: size }, (_, i) => {
    const t = i / (size - 1);
    const v = d.log
      ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)))
      : d.low + t * (d.high - d.low);
    // exp(log(·)) may round past a bound: the ends are the bounds themselves.
    return i === 0 ? d.low : i === size - 1 ? d.high : Math.min(d.high, Math.max(d.low, v));
  });
  if (!discrete) return raw;
  const snapped = raw.map((v) =>
    Math.min(d.high, Math.max(d.low, d.low + Math.round((v - d.low) / step) * step))
  );
  return [...new Set(snapped)];
}

/**
 * Encodes the best configuration with some parameters overridden. In a conditional space an
 * override may deactivate a parameter or activate one the best configuration lacks: the point is
 * then encoded in the same space without conditions (same columns), the missing parameters at the
 * middle of their range, and projected, which puts every inactive column at its canonical value.
 * `read` is the study's (an earlier version's grid values, which the best trial may hold, at
 * their grid points).
 */
function gridEncoder(
  space: { encode(params: never): Float64Array },
  best: Record<string, unknown>,
  read?: SpaceReadOptions,
): (overrides: Record<string, unknown>) => Float64Array {
  if (!(space instanceof Space)) {
    return (overrides) => space.encode({ ...best, ...overrides } as never);
  }
  if (!space.conditional) {
    return (overrides) => space.encode({ ...best, ...overrides } as never, read);
  }
  const plain = Space.fromEntries(
    space.params.map((p) => {
      const { when: _when, ...definition } = p.definition as typeof p.definition & {
        when?: unknown;
      };
      return [p.name, definition] as const;
    }),
    "space",
  );
  const middle = plain.decode(new Float64Array(plain.dim).fill(0.5)) as Record<string, unknown>;
  return (overrides) =>
    space.project(plain.encode({ ...middle, ...best, ...overrides } as never, read));
}

/**
 * The contour's cells with no mean to show: where a plotted parameter is inactive (in a
 * conditional space, at the grid point as encoded: the best trial with the two overridden), and
 * where a categorical parameter takes a choice none of the plotted trials has (the surrogate's
 * prior there, not the study's). `note` tells which, for the title (empty when none is blank).
 */
function blankCells(
  space: Space,
  pair: readonly EncodedParam[],
  trials: readonly UsableTrial[],
  gx: readonly unknown[],
  gy: readonly unknown[],
  points: readonly Float64Array[],
): { at(i: number, j: number): boolean; note: string } {
  const blank = new Uint8Array(points.length);
  const inactive = new Set<string>();
  if (space instanceof Space && space.conditional) {
    points.forEach((point, k) => {
      const active = space.activeColumns(point);
      for (const p of pair) {
        if (active[p.columns[0]] === 0) {
          blank[k] = 1;
          inactive.add(plotlyText(p.name));
        }
      }
    });
  }
  // Choices no plotted trial has, by axis; named in the note where a cell is blank for that alone.
  const untried = pair.map((p, a) => {
    if (p.definition.kind !== "categorical") return [];
    const seen = new Set(trials.map((t) => paramValue(t, p)));
    return (a === 0 ? gx : gy).flatMap((v, index) => seen.has(v) ? [] : [index]);
  });
  const named = pair.map(() => new Set<number>());
  gy.forEach((_, j) =>
    gx.forEach((_, i) => {
      const k = j * gx.length + i;
      [i, j].forEach((index, a) => {
        if (!untried[a].includes(index)) return;
        if (blank[k] === 0) named[a].add(index);
        blank[k] = 1;
      });
    })
  );
  const parts: string[] = [];
  if (inactive.size > 0) parts.push(`where ${[...inactive].join(" or ")} is inactive`);
  const choices = pair.flatMap((p, a) => {
    const values = [...named[a]].sort((u, v) => u - v).map((index) =>
      String((a === 0 ? gx : gy)[index])
    );
    return values.length === 0
      ? []
      : [`${plotlyText(p.name)} = ${values.map(plotlyText).join(" or ")}`];
  });
  if (choices.length > 0) parts.push(`at ${choices.join(" and ")}, which none of them has`);
  return {
    at: (i, j) => blank[j * gx.length + i] === 1,
    note: parts.length === 0 ? "" : `; blank ${parts.join(", and ")}`,
  };
}

/**
 * Optuna's `plot_contour`, with the surface from a surrogate model: the mean of a surrogate
 * fitted to the complete trials (by default the float64 GP) over a grid of two parameters, the
 * other parameters held at the best trial's values, with the trials on top. As in Optuna, only
 * the trials that have both parameters count (in a conditional space, those where both are
 * active): the surrogate is fitted to them, the best is the best of them, and the title counts
 * the others; two parameters never active together are a RangeError. Log parameters get
 * log axes; a categorical parameter turns the contour into a heatmap over its choices (every
 * choice of the space, as the other plots' axes show them). The surface is blank (`null`, no
 * hover value) where the surrogate's mean says nothing about the study: in the cells where a
 * plotted parameter is inactive (a child parameter beside a value of its parent that switches it
 * off) and in those of a categorical choice that none of the plotted trials has; the title says
 * which. A surrogate whose `predict` (or `predictMean`) does not give one finite mean per grid
 * point is a RangeError naming it (`contourFigure: surrogate "mine" predict: mean[0] must be
 * finite, got NaN`), as `bayesOpt` checks predictions.
 *
 * @example
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { contourFigure } from "./study_plots.ts";
 * const space = defineSpace({ x: float(0, 1), y: float(1e-3, 1, { log: true }) });
 * const trials = Array.from({ length: 8 }, (_, id) => {
 *   const params = { x: (id * 3 % 8) / 7, y: 10 ** (-3 * (id * 5 % 8) / 7) };
 *   return { id, params, status: "complete" as const, value: params.x + Math.log10(params.y) ** 2, source: "initial" as const };
 * });
 * const figure = contourFigure({ trials, space }, { params: ["x", "y"], gridSize: 20 });
 * ```
 */
export function contourFigure<P>(study: StudySource<P>, options: ContourOptions = {}): Figure {
  const fn = "contourFigure";
  parseOrThrow(contourSchema, options, `${fn}: options`);
  const resolved = resolveStudy(study, "study", fn);
  let pair: EncodedParam[];
  if (options.params) {
    pair = selectParams(resolved, options.params, fn);
  } else {
    const searchable = selectParams(resolved, undefined, fn);
    if (searchable.length < 2) {
      throw new RangeError(
        `${fn}: study has ${searchable.length} searchable parameter(s); a contour needs two`,
      );
    }
    pair = searchable.slice(0, 2);
  }
  const [px, py] = pair;
  const direction = options.direction ?? resolved.direction ?? "minimize";
  // As Optuna: the trials that have both parameters (in a conditional space, both active).
  const trials = resolved.complete.filter((t) => hasParam(t, px) && hasParam(t, py));
  if (trials.length === 0) {
    throw new RangeError(
      `${fn}: no complete trial of study has both ${px.name} and ${py.name} (they are never ` +
        `active together)`,
    );
  }
  const fitted = fitStudySurrogate(
    { ...resolved, complete: trials },
    options.surrogate,
    new Rng(options.seed ?? 0).spawn(),
    fn,
  );
  const best = trials.reduce((a, b) => isBetter(b.value, a.value, direction) ? b : a);
  const size = options.gridSize ?? 40;
  const gx = axisGrid(px, size), gy = axisGrid(py, size);
  const points: Float64Array[] = [];
  const at = gridEncoder(resolved.space, best.params as Record<string, unknown>, resolved.read);
  for (const vy of gy) {
    for (const vx of gx) points.push(at({ [px.name]: vx, [py.name]: vy }));
  }
  // Checked as bayesOpt checks predictions: a NaN surface would be drawn blank without a word.
  const mean = checkedMeans(
    fitted.model,
    points,
    `${fn}: surrogate ${JSON.stringify(fitted.name)}`,
  );
  const blank = blankCells(resolved.space, pair, trials, gx, gy, points);
  const z = gy.map((_, j) =>
    gx.map((_, i) => {
      if (blank.at(i, j)) return null;
      const v = mean[j * gx.length + i] * fitted.scale;
      return Number.isFinite(v) ? v : null;
    })
  );
  const categorical = px.definition.kind === "categorical" || py.definition.kind === "categorical";
  const surface: Trace = {
    type: categorical ? "heatmap" : "contour",
    name: `${fitted.name} mean`,
    x: gx.map((v) => plotValue(px, v)),
    y: gy.map((v) => plotValue(py, v)),
    z,
    colorscale: BLUES,
    reversescale: direction === "minimize",
    colorbar: { title: { text: "objective (mean)" } },
    hovertemplate: `${plotlyText(px.name)} %{x}<br>${
      plotlyText(py.name)
    } %{y}<br>mean %{z:.4g}<extra></extra>`,
    ...(categorical ? {} : { contours: { coloring: "heatmap" }, line: { width: 0.5 } }),
    // Blank cells have no value to show on hover.
    ...(blank.note === "" ? {} : { hoverongaps: false }),
  };
  const markers: Trace = {
    type: "scatter",
    mode: "markers",
    name: "trials",
    x: trials.map((t) => plotValue(px, paramValue(t, px))),
    y: trials.map((t) => plotValue(py, paramValue(t, py))),
    customdata: trials.map((t) => [t.number, t.value]),
    marker: { color: "#111111", size: 7, line: { color: "#ffffff", width: 1 } },
    hovertemplate: `trial %{customdata[0]}<br>${plotlyText(px.name)} %{x}<br>${
      plotlyText(py.name)
    } %{y}<br>value %{customdata[1]:.6g}<extra></extra>`,
  };
  const bestMarker: Trace = {
    type: "scatter",
    mode: "markers",
    name: `best (trial ${best.number})`,
    x: [plotValue(px, paramValue(best, px))],
    y: [plotValue(py, paramValue(best, py))],
    marker: { color: "#f28e2b", size: 13, symbol: "star", line: { color: "#111111", width: 1 } },
    hovertemplate: `best: trial ${best.number}<br>value ${
      best.value.toPrecision(6)
    }<extra></extra>`,
  };
  const searchable = resolved.space.params.filter((p) => p.definition.kind !== "fixed");
  const others = searchable.length > 2 ? ", others at the best trial" : "";
  const all = resolved.complete;
  const lacking = [px, py].filter((p) => all.some((t) => !hasParam(t, p))).map((p) =>
    plotlyText(p.name)
  );
  const counted =
    (trials.length === all.length
      ? `${all.length} trials`
      : `${trials.length} of ${all.length} trials; the others lack ${lacking.join(" or ")}`) +
    blank.note;
  const layout = baseLayout(
    options.title ??
      `Contour of ${plotlyText(px.name)} × ${
        plotlyText(py.name)
      }: ${fitted.name} mean${others} (${counted})`,
    { xaxis: paramAxis(px, {}, { values: gx }), height: CONTOUR_HEIGHT },
  );
  // The y axis spans the plot's height, less the title's lines.
  layout.yaxis = paramAxis(py, {}, { values: gy, height: plotHeight(layout) });
  return { data: [surface, markers, bestMarker], layout };
}

// ---------------------------------------------------------------------------------------------
// Empirical distribution function

/**
 * The empirical distribution function of values: the distinct finite values, ascending, and the
 * fraction of all finite values ≤ each (Optuna's `plot_edf` over complete trials).
 *
 * @example
 * ```ts
 * import { empiricalDistribution } from "./study_plots.ts";
 * empiricalDistribution([3, 1, 2, 2]); // { x: [1, 2, 3], y: [0.25, 0.75, 1] }
 * ```
 */
export function empiricalDistribution(values: readonly number[]): { x: number[]; y: number[] } {
  const finite = values.filter(Number.isFinite).toSorted((a, b) => a - b);
  const x: number[] = [], y: number[] = [];
  finite.forEach((v, i) => {
    if (i + 1 < finite.length && finite[i + 1] === v) return;
    x.push(v);
    y.push((i + 1) / finite.length);
  });
  return { x, y };
}

/** Options of {@linkcode edfFigure}. */
export interface EdfOptions {
  /** Logarithmic x axis (every complete value must then be > 0). */
  logX?: boolean;
  /** Figure title. */
  title?: string;
}

const edfSchema = z.object({ logX: z.boolean().optional(), title: z.string().optional() }).strict();

/**
 * Optuna's `plot_edf`: for each study, the empirical cumulative distribution of the objective
 * values of its complete trials (whatever their parameters, which it does not draw), as a step
 * line (a curve further up and left found good values more often).
 *
 * @example
 * ```ts
 * import { edfFigure } from "./study_plots.ts";
 * const study = (name: string, values: number[]) => ({
 *   name,
 *   trials: values.map((value, id) => ({
 *     id, params: { x: id }, status: "complete" as const, value, source: "initial" as const,
 *   })),
 * });
 * const figure = edfFigure([study("gp", [0.1, 0.2, 0.4]), study("random", [0.3, 0.5, 0.9])]);
 * ```
 */
export function edfFigure<P>(
  studies: StudySource<P> | readonly StudyInput<P>[],
  options: EdfOptions = {},
): Figure {
  const fn = "edfFigure";
  parseOrThrow(edfSchema, options, `${fn}: options`);
  const resolved: StudyTrials[] = resolveStudies(studies, fn);
  const data: Trace[] = resolved.map((study, s) => {
    const values = study.complete.map((t) => t.value);
    if (options.logX) {
      for (const v of values) checkLogAxisValue(v, `${fn}: options.logX`, study.label);
    }
    const { x, y } = empiricalDistribution(values);
    return {
      type: "scatter",
      mode: x.length > 1 ? "lines" : "markers",
      name: `${plotlyText(study.name)} (${values.length})`,
      x,
      y,
      line: { color: seriesColor(s), width: 2, shape: "hv" },
      marker: { color: seriesColor(s) },
      hovertemplate: `${plotlyText(study.name)}<br>value ≤ %{x:.6g}: %{y:.1%}<extra></extra>`,
    };
  });
  return {
    data,
    layout: baseLayout(options.title ?? "Empirical distribution function", {
      height: legendHeight(data.length),
      xaxis: axis(
        "objective value",
        options.logX ? { type: "log", exponentformat: "power" } : {},
      ),
      yaxis: axis("cumulative probability", { range: [0, 1.02] }),
    }),
  };
}
