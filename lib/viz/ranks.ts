/**
 * Average-rank curves (HPO-B style): at every step, methods are ranked on each (task, seed)
 * problem — rank 1 is the lowest value, ties share the mean rank — and ranks are averaged over
 * problems.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { ResultRow } from "../results/mod.ts";
import { averageRanks } from "../stats/mod.ts";
import {
  axis,
  baseLayout,
  type Figure,
  legendHeight,
  methodColors,
  plotlyText,
  seriesColor,
} from "./figure.ts";
import { assertRows, checkRowSelection, nameSchema } from "./_validate.ts";
import { parseOrThrow } from "../validate.ts";

/** Options of {@linkcode averageRankCurves} and {@linkcode rankFigure}. */
export interface RankOptions {
  /** The metric ranked (lower is better), e.g. `regret`. */
  metric: string;
  /** Only rows of this suite. */
  suite?: string;
  /** Only these methods, in this order (default: every method with per-seed rows). */
  methods?: readonly string[];
  /** Figure title. */
  title?: string;
  /**
   * What the steps count: the x-axis title (default `evaluations`), and with a single step the
   * noun of "after 50 evaluations".
   */
  xTitle?: string;
}

/** Average ranks per method and step. */
export interface RankCurves {
  /** Methods, in the order of `ranks`. */
  methods: string[];
  /** Steps at which at least one problem has a value for every method. */
  steps: number[];
  /** `ranks[m][s]`: method m's average rank at `steps[s]`. */
  ranks: number[][];
  /** `problems[s]`: number of (task, seed) problems ranked at `steps[s]`. */
  problems: number[];
}

// Strict: a misspelt key (`xtitle`) is an error naming it.
const optionsSchema = z.strictObject({
  metric: nameSchema,
  suite: nameSchema.optional(),
  methods: z.array(nameSchema).min(2, "must name at least 2 methods").optional(),
  title: z.string().optional(),
  xTitle: z.string().optional(),
});

/**
 * Average ranks of methods at every step over the (task, seed) problems on which every method
 * has a value. Aggregated rows (seed < 0) are ignored; a non-finite value (NaN or ±Infinity: a
 * run that diverged) ranks last.
 *
 * @example
 * ```ts
 * import { averageRankCurves } from "./ranks.ts";
 * const rows = ["a", "b"].map((method, m) => ({
 *   suite: "smbo", task: "branin", method, seed: 0, step: 1, metric: "regret", value: m,
 * }));
 * averageRankCurves(rows, { metric: "regret" }).ranks; // [[1], [2]]
 * ```
 */
export function averageRankCurves(rows: readonly ResultRow[], options: RankOptions): RankCurves {
  assertRows(rows, "averageRankCurves: rows", "diverged");
  parseOrThrow(optionsSchema, options, "averageRankCurves: options");
  const selected = rows.filter((r) =>
    r.seed >= 0 && r.metric === options.metric &&
    (options.suite === undefined || r.suite === options.suite)
  );
  const methods = options.methods
    ? [...options.methods]
    : [...new Set(selected.map((r) => r.method))];
  // step → "task\u0000seed" → values per method
  const table = new Map<number, Map<string, number[]>>();
  for (const row of selected) {
    const m = methods.indexOf(row.method);
    if (m < 0) continue;
    const byProblem = table.get(row.step) ?? new Map<string, number[]>();
    table.set(row.step, byProblem);
    const key = `${row.task}\u0000${row.seed}`;
    const values = byProblem.get(key) ?? new Array<number>(methods.length).fill(undefined as never);
    values[m] = Number.isFinite(row.value) ? row.value : Infinity;
    byProblem.set(key, values);
  }
  const steps: number[] = [];
  const problems: number[] = [];
  const ranks: number[][] = methods.map(() => []);
  for (const step of [...table.keys()].sort((a, b) => a - b)) {
    const complete = [...table.get(step)!.values()].filter((v) => v.every((x) => x !== undefined));
    if (complete.length === 0) continue;
    steps.push(step);
    problems.push(complete.length);
    averageRanks(complete).forEach((rank, m) => ranks[m].push(rank));
  }
  return { methods, steps, ranks, problems };
}

/**
 * A figure of average ranks against the step (lower is better): one line per method. Where the
 * methods share a single step (e.g. every run stopped at the same budget), a line would be one
 * dot per method above a lone x value: the figure is then horizontal bars instead, one per method
 * with its average rank, the best on top, and the step named in the title and the axis ("after
 * 50 evaluations"). Options are strict: an unknown key (`xtitle`) is a TypeError naming it. A
 * figure with nothing ranked is a RangeError instead: naming the option that matches no per-seed
 * row (the metric, the suite, a method of `methods`) and the values it could match, or saying that
 * no (task, seed) problem has a value of every method at one step.
 *
 * @example
 * ```ts
 * import { rankFigure } from "./ranks.ts";
 * const rows = ["a", "b"].flatMap((method, m) =>
 *   [1, 2].map((step) => ({
 *     suite: "smbo", task: "branin", method, seed: 0, step, metric: "regret", value: m + step,
 *   }))
 * );
 * const figure = rankFigure(rows, { metric: "regret" }); // lines
 * const last = rankFigure(rows.filter((r) => r.step === 2), { metric: "regret" });
 * last.data[0].type; // "bar"
 * ```
 */
export function rankFigure(rows: readonly ResultRow[], options: RankOptions): Figure {
  parseOrThrow(optionsSchema, options, "rankFigure: options");
  assertRows(rows, "rankFigure: rows", "diverged");
  const curves = averageRankCurves(rows, options);
  // A figure without a ranked step would be empty: what matched nothing is named instead.
  if (curves.steps.length === 0) checkSelection(rows, options, "rankFigure");
  const problems = Math.max(0, ...curves.problems);
  const colors = methodColors(rows);
  const xTitle = options.xTitle ?? "evaluations";
  if (curves.steps.length === 1) return rankBars(curves, options, colors, xTitle);
  return {
    data: curves.methods.map((method, m) => ({
      type: "scatter",
      mode: curves.steps.length > 1 ? "lines" : "markers",
      name: plotlyText(method),
      x: curves.steps,
      y: curves.ranks[m],
      line: { color: colors.get(method), width: 2 },
      marker: { color: colors.get(method) },
      hovertemplate: `${plotlyText(method)}<br>step %{x}<br>average rank %{y:.3f}<extra></extra>`,
    })),
    layout: baseLayout(
      options.title ??
        `Average rank by ${options.metric} over ${problems} task × seed problems (lower is better)`,
      {
        height: legendHeight(curves.methods.length),
        xaxis: axis(xTitle),
        yaxis: axis("average rank", { range: [0.9, curves.methods.length + 0.1] }),
      },
    ),
  };
}

/**
 * Throws a RangeError naming the first option that no per-seed row matches (with the values it
 * could have matched), a method of `options.methods` without such rows, or, when every one
 * matches, that no (task, seed) problem has a value of every method at one step.
 */
function checkSelection(rows: readonly ResultRow[], options: RankOptions, fn: string): void {
  checkRowSelection(rows, {
    metric: options.metric,
    suite: options.suite,
    methods: options.methods,
  }, fn);
  const where = options.suite === undefined ? "" : ` in the suite ${JSON.stringify(options.suite)}`;
  throw new RangeError(
    `${fn}: no (task, seed) problem has a value of every method at the same step (per-seed rows of the metric ${
      JSON.stringify(options.metric)
    }${where})`,
  );
}

/** The ranks at a single step as horizontal bars, the best method on top. */
function rankBars(
  curves: RankCurves,
  options: RankOptions,
  colors: Map<string, string>,
  xTitle: string,
): Figure {
  const [step] = curves.steps;
  const [problems] = curves.problems;
  const n = curves.methods.length;
  // Best first; ties keep the methods' order.
  const order = curves.methods.map((_, m) => m).sort((a, b) =>
    curves.ranks[a][0] - curves.ranks[b][0] || a - b
  );
  const names = order.map((m) => curves.methods[m]);
  const ranks = order.map((m) => curves.ranks[m][0]);
  const after = `after ${step} ${step === 1 ? singular(xTitle) : xTitle}`;
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: ranks,
      y: names,
      text: ranks.map((r) => r.toFixed(2)),
      textposition: "outside",
      cliponaxis: false,
      marker: { color: names.map((name) => colors.get(name) ?? seriesColor(0)) },
      hovertemplate: `%{y}<br>average rank %{x:.3f} ${after}<br>over ${problems} task × seed ` +
        `problems<extra></extra>`,
    }],
    layout: baseLayout(
      options.title ??
        `Average rank by ${options.metric} ${after} over ${problems} task × seed problems ` +
          `(lower is better)`,
      {
        height: Math.max(RANK_BARS_MIN_HEIGHT, RANK_BAR_HEIGHT * n + 160),
        xaxis: axis(`average rank ${after} (lower is better)`, {
          range: [0, n + 0.5],
          ...(n <= 12 ? { tick0: 0, dtick: 1 } : {}),
        }),
        yaxis: axis("", {
          type: "category",
          categoryorder: "array",
          categoryarray: names,
          autorange: "reversed",
          automargin: true,
        }),
        margin: { l: 100, r: 40, b: 70 },
        showlegend: false,
      },
    ),
  };
}

/** Height of the bar figure per method, pixels. */
const RANK_BAR_HEIGHT = 40;
/** Least height of the bar figure, pixels. */
const RANK_BARS_MIN_HEIGHT = 300;

/** "evaluations" → "evaluation", "adaptation steps" → "adaptation step": after 1 of them. */
function singular(noun: string): string {
  return noun.endsWith("s") && !noun.endsWith("ss") ? noun.slice(0, -1) : noun;
}
