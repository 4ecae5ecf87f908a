/**
 * The offline HTML report of a benchmark run: one self-contained file (plotly.js inlined, no
 * network) with the run's date, machine and notes, the summary tables, figures of individual
 * studies (history, importances, ...) when given, regret curves with 95%
 * confidence bands and average ranks per suite, adaptation curves, loss-vs-compute plots when such
 * rows exist, the performance ratios, and figures a caller draws for a suite (e.g. the
 * leave-one-task-out curves of transfer strategies).
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { z } from "../deps/zod.ts";
import type { ResultRow } from "../results/mod.ts";
import { adaptationCurveFigure, regretCurveFigure } from "./curves.ts";
import { averageRankCurves, rankFigure } from "./ranks.ts";
import { lossComputePoints, lossVsComputeFigure } from "./compute.ts";
import {
  axis,
  baseLayout,
  type Figure,
  fitTitle,
  type Layout,
  logAxisTicks,
  plotlyText,
  seriesColor,
} from "./figure.ts";
import { pageFigureHtml, plotlyLoaderHtml } from "./display.ts";
import { escapeHtml, TABLE_CSS, tableHtml } from "./table.ts";
import {
  assertRows,
  checkDistinctLabels,
  checkLogAxisValue,
  logAxisFits,
  nameSchema,
} from "./_validate.ts";
import { parseOrThrow } from "../validate.ts";
import { extent } from "../stats/mod.ts";

/** A pair of metrics plotted against each other. */
export interface LossComputePair {
  /** Loss metrics in order of preference. */
  loss: readonly string[];
  /** Compute metrics in order of preference. */
  compute: readonly string[];
}

/**
 * What the report shows. A report of study figures alone needs only `studies`: the title, date,
 * machine and rows have defaults (see each field).
 */
export interface ReportInput {
  /** Page title (default `"metahpo report"`). */
  title?: string;
  /** When the run happened (ISO 8601; default: now, as `new Date().toISOString()`). */
  date?: string;
  /**
   * The machine it ran on (default: the one rendering the report, as
   * `"linux x86_64, 2 cores, deno 2.1.4"`).
   */
  machine?: string;
  /** Free-text remarks (e.g. a peer that did not run). */
  notes?: readonly string[];
  /**
   * Summary tables, shown first. A cell `null` is a combination that was not run, shown as
   * "not run"; NaN is a value of a run that happened (e.g. one that diverged), shown as NaN;
   * ±Infinity (e.g. a ratio to a zero) is shown as such.
   */
  tables?: readonly {
    title: string;
    records: readonly Record<string, string | number | null>[];
  }[];
  /**
   * All result rows (a value NaN or ±Infinity: a run that diverged). Default: none (the page then
   * leaves out the count of result rows).
   */
  rows?: readonly ResultRow[];
  /**
   * Figures of individual studies (e.g. `optimizationHistoryFigure`, `paramImportanceFigure`),
   * shown after the summary tables, one titled group each.
   */
  studies?: readonly { title: string; figures: readonly Figure[] }[];
  /**
   * Figures of a suite drawn from what its rows alone do not tell (e.g. `transferCurveFigure`'s
   * leave-one-task-out curves, one per problem set), shown in the suite's section after the
   * figures drawn from its rows, one titled group each, in this order. A group of a suite without
   * rows opens that suite's section after those of the rows' suites.
   */
  suiteFigures?: readonly { suite: string; title: string; figures: readonly Figure[] }[];
}

/** Which metrics the report plots, and how. */
export interface ReportOptions {
  /** Metrics drawn as regret curves (log scale, median over seeds) with rank plots. */
  regretMetrics?: readonly string[];
  /** Metrics drawn as adaptation curves (mean over tasks and seeds). */
  adaptationMetrics?: readonly string[];
  /**
   * Loss-vs-compute pairs, drawn per task when some method has rows of both (each axis
   * logarithmic unless a center on it is ≤ 0).
   */
  lossCompute?: readonly LossComputePair[];
  /**
   * Metrics of performance ratios where above 1 is metahpo ahead (a speed-up, a reference's time
   * over ours, a target over the time taken), drawn as bars on a log axis around 1, green above
   * it (ratios that are not finite and > 0 are listed below it instead). A quotient where above 1
   * is worse (a slow-down) takes another metric, which the figure does not draw.
   */
  ratioMetrics?: readonly string[];
}

/**
 * The report's defaults: regret curves for `regret`; adaptation curves for `mse` and `accuracy`;
 * loss against compute for regret (our per-seed `regret` or a peer's `median_regret`) against
 * `seconds_per_trial`, and for query `mse` against `gradient_steps` or `seconds`; ratio bars for
 * `speedup` and `ratio` rows.
 *
 * @example
 * ```ts
 * import { REPORT_DEFAULTS } from "./report.ts";
 * REPORT_DEFAULTS.regretMetrics; // ["regret"]
 * ```
 */
export const REPORT_DEFAULTS: Required<ReportOptions> = {
  regretMetrics: ["regret"],
  adaptationMetrics: ["mse", "accuracy"],
  lossCompute: [
    { loss: ["regret", "median_regret"], compute: ["seconds_per_trial"] },
    { loss: ["mse"], compute: ["gradient_steps", "seconds"] },
  ],
  ratioMetrics: ["speedup", "ratio"],
};

const figuresSchema = z.array(z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  layout: z.record(z.string(), z.unknown()),
})).min(1, "must hold at least one figure");

// Strict, as every option schema of the figures: a misspelt key (`note`, `ratioMetric`) is an
// error naming it. A figure is what a builder returned (or any plotly figure): not checked here.
const inputSchema = z.strictObject({
  title: nameSchema.optional(),
  date: z.string().optional(),
  machine: z.string().optional(),
  notes: z.array(z.string()).optional(),
  tables: z.array(z.strictObject({
    title: z.string(),
    records: z.array(
      z.record(
        z.string(),
        z.union([
          z.string(),
          z.number(),
          z.nan(),
          z.null(),
          z.custom<number>((v) => v === Infinity || v === -Infinity, "must be a number"),
        ]),
      ),
    ),
  })).optional(),
  rows: z.array(z.unknown()).optional(),
  studies: z.array(z.strictObject({ title: nameSchema, figures: figuresSchema })).optional(),
  suiteFigures: z.array(
    z.strictObject({ suite: nameSchema, title: nameSchema, figures: figuresSchema }),
  ).optional(),
});

const optionsSchema = z.strictObject({
  regretMetrics: z.array(nameSchema).optional(),
  adaptationMetrics: z.array(nameSchema).optional(),
  lossCompute: z.array(z.strictObject({
    loss: z.array(nameSchema).min(1, "must name a metric"),
    compute: z.array(nameSchema).min(1, "must name a metric"),
  })).optional(),
  ratioMetrics: z.array(nameSchema).optional(),
});

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/**
 * Horizontal bars of performance ratios (one per task and method) on a log axis with a line at 1.
 * A log axis needs values > 0: a ratio of 0, a negative one or NaN is a RangeError naming its row
 * (and ±Infinity a TypeError); so is a second row of the same task and method.
 *
 * @example
 * ```ts
 * import { ratioFigure } from "./report.ts";
 * const figure = ratioFigure([
 *   { suite: "perf", task: "gp-fit", method: "sklearn / metahpo", seed: -1, step: 0, metric: "speedup", value: 3.2 },
 * ]);
 * ```
 */
export function ratioFigure(rows: readonly ResultRow[], title = "Performance ratios"): Figure {
  assertRows(rows, "ratioFigure: rows");
  rows.forEach((r, i) =>
    checkLogAxisValue(
      r.value,
      "ratioFigure",
      `rows[${i}] (${JSON.stringify(`${r.task}: ${r.method}`)})`,
    )
  );
  checkDistinctLabels(
    rows.map((r) => `${r.task}: ${r.method}`),
    "ratioFigure",
    "rows",
    "one bar per task and method (plotly draws bars of one label as one)",
  );
  // Shown only (plotly text): the names escaped.
  const labels = rows.map((r) =>
    `${plotlyText(r.task)}: ${plotlyText(r.method)} = ${r.value.toPrecision(3)}×`
  );
  return {
    data: [{
      type: "bar",
      orientation: "h",
      // Bars grow from 1 (parity) to the ratio, leftwards when metahpo is behind.
      base: rows.map(() => 1),
      x: rows.map((r) => r.value - 1),
      customdata: rows.map((r) => r.value),
      y: labels,
      marker: { color: rows.map((r) => seriesColor(r.value >= 1 ? 4 : 2)) },
      hovertemplate: "%{y}<br>%{customdata:.3g}<extra></extra>",
    }],
    layout: baseLayout(`${title} (> 1: metahpo ahead)`, {
      height: Math.max(220, 40 * rows.length + 120),
      xaxis: axis("ratio", { type: "log" }),
      yaxis: axis("", { automargin: true }),
      shapes: [{
        type: "line",
        x0: 1,
        x1: 1,
        yref: "paper",
        y0: 0,
        y1: 1,
        line: { color: "#333333", dash: "dot" },
      }],
      showlegend: false,
    }),
  };
}

function perSeedMetricPresent(rows: readonly ResultRow[], metric: string): boolean {
  return rows.some((r) => r.metric === metric && r.seed >= 0);
}

/** The next figure's position in the page (1, 2, …): its element id's suffix. */
type NextPosition = () => number;

// A titled group of figures: its heading, then the figures in a grid (a wide cell spans it).
function figureGroupHtml(
  heading: string,
  list: readonly Figure[],
  next: NextPosition,
  wide = false,
): string {
  return `<h3>${escapeHtml(heading)}</h3><div class="grid">${
    list.map((f) => `<div class="cell${wide ? " wide" : ""}">${cellFigureHtml(f, next())}</div>`)
      .join("")
  }</div>`;
}

function suiteSections(
  suite: string,
  rows: readonly ResultRow[],
  options: Required<ReportOptions>,
  next: NextPosition,
): string[] {
  const sections: string[] = [];
  const figures = (heading: string, list: Figure[], wide = false) => {
    if (list.length > 0) sections.push(figureGroupHtml(heading, list, next, wide));
  };
  for (const metric of options.regretMetrics.filter((m) => perSeedMetricPresent(rows, m))) {
    const tasks = unique(rows.filter((r) => r.metric === metric && r.seed >= 0).map((r) => r.task));
    figures(
      `${suite}: ${metric} curves`,
      tasks.map((task) => regretCurveFigure(rows, { suite, task, metric })),
    );
    const methods = unique(
      rows.filter((r) => r.metric === metric && r.seed >= 0).map((r) => r.method),
    );
    // Ranks need a step at which some (task, seed) problem has a value of every method.
    if (methods.length >= 2 && averageRankCurves(rows, { suite, metric }).steps.length > 0) {
      figures(`${suite}: average rank`, [rankFigure(rows, { suite, metric })]);
    }
  }
  for (const metric of options.adaptationMetrics.filter((m) => perSeedMetricPresent(rows, m))) {
    const tasks = unique(rows.filter((r) => r.metric === metric && r.seed >= 0).map((r) => r.task));
    figures(
      `${suite}: ${metric} after adaptation`,
      tasks.map((task) => adaptationCurveFigure(rows, { suite, task, metric })),
    );
  }
  // Log axes where every center drawn is > 0; linear ones otherwise (e.g. 0 gradient steps).
  for (const pair of options.lossCompute) {
    const perTask = unique(rows.map((r) => r.task)).map((task) => ({
      task,
      points: lossComputePoints(rows, { suite, task, loss: pair.loss, compute: pair.compute }),
    })).filter(({ points }) => points.length > 0);
    figures(
      `${suite}: ${pair.loss[0]} against ${pair.compute.join(" / ")}`,
      perTask.map(({ task, points }) =>
        lossVsComputeFigure(rows, {
          suite,
          task,
          loss: pair.loss,
          compute: pair.compute,
          logX: logAxisFits(points.map((p) => p.compute.center)),
          logY: logAxisFits(points.map((p) => p.loss.center)),
        })
      ),
    );
  }
  // A log axis draws finite ratios > 0 only: the others are listed, never dropped silently.
  const ratios = rows.filter((r) => options.ratioMetrics.includes(r.metric));
  const drawn = ratios.filter((r) => Number.isFinite(r.value) && r.value > 0);
  if (drawn.length > 0) {
    figures(`${suite}: ratios`, [ratioFigure(drawn, `${plotlyText(suite)}: ratios`)], true);
  }
  if (drawn.length < ratios.length) {
    const left = ratios.filter((r) => !drawn.includes(r));
    sections.push(
      `<p class="meta">${
        escapeHtml(
          `${suite}: ratios not drawn (a log axis needs finite values > 0): ${
            left.map((r) => `${r.task}: ${r.method} = ${r.value}`).join("; ")
          }`,
        )
      }</p>`,
    );
  }
  return sections;
}

/** Least width of a cell of the report's grids, pixels. */
const CELL_MIN_WIDTH = 560;
/** Pixels of a cell's width outside its figure: padding (0.3 em of 14 px) and border, both sides. */
const CELL_FRAME = 12;

// A figure in a grid cell, its title wrapped for the narrowest cell: figures are built for the
// default width, and plotly would cut a title wider than the cell off at its right edge. Its
// element id comes from the figure and its position in the page, so that the same report renders
// to the same HTML.
function cellFigureHtml(figure: Figure, position: number): string {
  const width = CELL_MIN_WIDTH - CELL_FRAME;
  return pageFigureHtml(fitTitle(fitLogTicks(figure, width), width), position);
}

// Log x axes of subplots labelled for a figure `width` pixels wide. Builders fit ticks to the
// default width: in a narrower cell the labels of a subplot's axis (a slice plot's) would crowd.
// Each gets logAxisTicks' count for its share of the cell's plot width over the values its traces
// draw, and where no more than two labels fit, the lowest and highest power of ten among them.
// Integer axes within a decade (linear ticks) keep theirs.
function fitLogTicks(figure: Figure, width: number): Figure {
  const layout: Layout = { ...figure.layout };
  const margin = (layout.margin ?? {}) as Layout;
  const plot = width - (typeof margin.l === "number" ? margin.l : 70) -
    (typeof margin.r === "number" ? margin.r : 30);
  for (const [key, value] of Object.entries(figure.layout)) {
    const match = /^xaxis(\d*)$/.exec(key);
    const ax = value as Layout | null;
    // Subplots' axes (with a domain); an axis across the plot keeps plotly's own ticks, which
    // follow its length.
    if (!match || ax === null || typeof ax !== "object" || ax.type !== "log") continue;
    if (!Array.isArray(ax.domain) || ax.tickmode === "linear") continue;
    const xs = figure.data.filter((t) => (t.xaxis ?? "x") === `x${match[1]}`)
      .flatMap((t) => Array.isArray(t.x) ? t.x : [])
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v) && v > 0);
    if (xs.length === 0) continue;
    const [low, high] = extent(xs);
    const [d0, d1] = ax.domain as number[];
    let ticks = logAxisTicks(low, high, { pixels: Math.max(1, (d1 - d0) * plot) });
    const first = Math.ceil(Math.log10(low) - 1e-9), last = Math.floor(Math.log10(high) + 1e-9);
    if (ticks.nticks === 2 && last > first) {
      // As plotly's "power" format: 1, 10, 10², 10⁻³.
      const text = (e: number) =>
        e === 0 || e === 1 ? String(10 ** e) : `10<sup>${String(e).replace("-", "−")}</sup>`;
      ticks = {
        ...ticks,
        tickmode: "array",
        tickvals: [10 ** first, 10 ** last],
        ticktext: [text(first), text(last)],
      };
    }
    const { nticks: _, ...rest } = ax;
    layout[key] = { ...rest, ...ticks };
  }
  return { data: figure.data, layout };
}

const PAGE_CSS =
  `body{font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1400px;padding:0 1.5em;color:#222}
h1{margin-bottom:0.2em}h2{border-bottom:2px solid #4e79a7;padding-bottom:0.2em;margin-top:2em}
.meta{color:#555}.notes li{color:#8a4b00}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(${CELL_MIN_WIDTH}px,1fr));gap:1em}
.cell{border:1px solid #eee;border-radius:4px;padding:0.3em}.cell.wide{grid-column:1/-1}
${TABLE_CSS}`;

/**
 * @internal The machine running this code, as a report names it (`linux x86_64, 2 cores, deno
 * 2.1.4`): the report's default `machine`, and the bench's.
 */
export function runtimeMachine(): string {
  return `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, deno ${Deno.version.deno}`;
}

/**
 * The report as one self-contained HTML page. Figures sit in a grid of cells at least 560 px
 * wide; a title wider than that is wrapped to fit ({@linkcode fitTitle}), and log x axes label as
 * many ticks as fit there ({@linkcode logAxisTicks}; two powers of ten at the least). Without a
 * title, date, machine or rows, the page is titled "metahpo report", dated now and names the
 * machine rendering it: `{ studies }` alone is a report of study figures. Input and options are
 * strict: an unknown key (`note`, `ratioMetric`) is a TypeError naming it. Figure element ids come
 * from each figure and its position in the page: the same input (with its `date` and `machine`)
 * renders to the same HTML.
 *
 * @example
 * ```ts
 * import { renderReport } from "./report.ts";
 * const html = await renderReport({
 *   title: "metahpo benchmark", date: new Date().toISOString(), machine: "linux x86_64", rows: [],
 * });
 * ```
 *
 * @example Study figures alone
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { optimizationHistoryFigure } from "./study_plots.ts";
 * import { renderReport } from "./report.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const trials = [0.9, 0.2, 0.5].map((x, id) => ({
 *   id, params: { x }, status: "complete" as const, value: (x - 0.3) ** 2, source: "initial" as const,
 * }));
 * const html = await renderReport({
 *   studies: [{ title: "x", figures: [optimizationHistoryFigure({ trials, space })] }],
 * });
 * ```
 */
export async function renderReport(
  input: ReportInput,
  options: ReportOptions = {},
): Promise<string> {
  parseOrThrow(inputSchema, input, "renderReport: input");
  const rows = input.rows ?? [];
  assertRows(rows, "renderReport: input.rows", "diverged");
  parseOrThrow(optionsSchema, options, "renderReport: options");
  const resolved = { ...REPORT_DEFAULTS, ...options };
  const title = input.title ?? "metahpo report";
  let position = 0;
  const next: NextPosition = () => ++position;
  const meta = [
    input.date ?? new Date().toISOString(),
    input.machine ?? runtimeMachine(),
    ...(input.rows === undefined ? [] : [`${rows.length} result rows`]),
  ];
  const parts: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${meta.map(escapeHtml).join(" · ")}</p>`,
  ];
  if (input.notes && input.notes.length > 0) {
    parts.push(
      `<h2>Notes</h2><ul class="notes">${
        input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")
      }</ul>`,
    );
  }
  if (input.tables && input.tables.length > 0) {
    parts.push(`<h2>Summary</h2>`);
    for (const table of input.tables) {
      parts.push(tableHtml(table.records, { caption: table.title, missing: "not run" }));
    }
  }
  if (input.studies && input.studies.length > 0) {
    parts.push(`<h2>Studies</h2>`);
    for (const study of input.studies) {
      parts.push(figureGroupHtml(study.title, study.figures, next));
    }
  }
  const given = input.suiteFigures ?? [];
  for (const suite of unique([...rows.map((r) => r.suite), ...given.map((g) => g.suite)])) {
    const sections = [
      ...suiteSections(suite, rows.filter((r) => r.suite === suite), resolved, next),
      ...given.filter((g) => g.suite === suite).map((g) =>
        figureGroupHtml(g.title, g.figures, next)
      ),
    ];
    if (sections.length > 0) parts.push(`<h2>Suite ${escapeHtml(suite)}</h2>`, ...sections);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style>
${await plotlyLoaderHtml()}
</head><body>
${parts.join("\n")}
<p class="meta">Generated by metahpo. Bands and error bars: 95% confidence intervals (median: distribution-free order-statistic interval; mean: Student-t).</p>
</body></html>
`;
}

/**
 * Renders the report and writes it to `path`.
 *
 * @example
 * ```ts ignore
 * import { writeReport } from "./report.ts";
 * await writeReport("out/bench/report.html", {
 *   title: "metahpo benchmark", date: new Date().toISOString(), machine: "linux", rows: [],
 * });
 * ```
 */
export async function writeReport(
  path: string,
  input: ReportInput,
  options: ReportOptions = {},
): Promise<void> {
  await writeFile(path, await renderReport(input, options), "utf8");
}
