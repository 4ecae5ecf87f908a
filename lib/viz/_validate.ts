/**
 * Internal: schemas and checks of the figure inputs whose errors name the path of every bad
 * field (`regretCurveFigure: options.task: must be a non-empty string`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { parseOrThrow } from "../validate.ts";
import type { ResultRow } from "../results/mod.ts";
import { type Center, type Interval, summarise } from "../stats/mod.ts";

/** A non-empty string. */
export const nameSchema: z.ZodString = z.string().min(1, "must be a non-empty string");

/** A value for messages: numbers as JavaScript writes them, anything else as JSON or its type. */
export function shown(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value) ?? typeof value;
}

/** How {@linkcode assertRows} takes a value of ±Infinity. */
export type InfiniteValues = "diverged" | "reject";

function valueSchema(infinite: InfiniteValues) {
  const allowed = infinite === "diverged"
    ? "must be a number (NaN or ±Infinity for a run that diverged)"
    : "must be a finite number, or NaN for a run that diverged";
  return z.unknown().superRefine((value, ctx) => {
    const ok = typeof value === "number" &&
      (infinite === "diverged" || Number.isFinite(value) || Number.isNaN(value));
    if (!ok) ctx.addIssue({ code: "custom", message: `${allowed}, got ${shown(value)}` });
  });
}

function rowSchema(infinite: InfiniteValues) {
  return z.object({
    suite: z.string(),
    task: z.string(),
    method: z.string(),
    seed: z.number().int("must be an integer"),
    step: z.number().refine((v) => Number.isFinite(v), "must be finite"),
    metric: z.string(),
    value: valueSchema(infinite),
  });
}

const rowSchemas = { diverged: rowSchema("diverged"), reject: rowSchema("reject") };

/**
 * Throws a `TypeError` naming the first bad row and field unless `rows` are result rows. A value
 * is a number, NaN marking a run that diverged; with `infinite: "diverged"` (functions that count
 * every non-finite value as diverged, by the rule of `summariseFinite`) so does ±Infinity, and
 * otherwise ±Infinity is an error saying what is allowed.
 */
export function assertRows(
  rows: unknown,
  label: string,
  infinite: InfiniteValues = "reject",
): asserts rows is readonly ResultRow[] {
  if (!Array.isArray(rows)) throw new TypeError(`${label}: must be an array of result rows`);
  const schema = rowSchemas[infinite];
  // Row by row, so that a large valid input costs no intermediate copies.
  rows.forEach((row, i) => parseOrThrow(schema, row, `${label}[${i}]`));
}

/**
 * Whether every value drawn can go on a log axis: all > 0, NaN (a value that is not drawn)
 * aside. The rule of {@linkcode checkLogAxisValue}, as a test.
 */
export function logAxisFits(values: readonly number[]): boolean {
  return values.every((v) => Number.isNaN(v) || v > 0);
}

/**
 * Throws unless `value` can be drawn on a log axis (> 0; 0, negatives and NaN cannot), with the
 * one message every figure with a log axis gives:
 * `<label>: <subject> has the value <value><detail>; a log axis needs values > 0`.
 */
export function checkLogAxisValue(
  value: number,
  label: string,
  subject: string,
  detail = "",
): void {
  if (!(value > 0)) {
    throw new RangeError(
      `${label}: ${subject} has the value ${value}${detail}; a log axis needs values > 0`,
    );
  }
}

/**
 * What a title says of the 95% CIs of its series (`name`, the intervals drawn): `95% CI` when
 * each has one; otherwise how few values (`unit`s, e.g. seeds) the ones without had, and how many
 * the `center`'s interval needs (the median's distribution-free one 6, the mean's 2):
 * `no 95% CI: 3 seeds, 6 needed`, or `95% CI, none for botorch-logei: 2 seeds`; a series whose
 * interval is missing at some of its steps (too few finite values there) is named too,
 * `95% CI (not at every step for gp: 5 seeds at some steps)`; `nothing drawn` without a series.
 */
export function ciNote(
  series: readonly { name: string; intervals: readonly Interval[] }[],
  center: Center,
  unit: string,
): string {
  const drawn = (i: Interval) => Number.isFinite(i.lower) && Number.isFinite(i.upper);
  const without = series.filter((s) => !s.intervals.some(drawn));
  if (series.length === 0) return "nothing drawn";
  const count = (n: number) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const most = (s: { intervals: readonly Interval[] }) =>
    Math.max(0, ...s.intervals.map((i) => i.n));
  // Series with an interval at some steps and, at others with values, too few of them for one.
  const gaps = series.filter((s) => !without.includes(s)).flatMap((s) => {
    const short = s.intervals.filter((i) => i.n > 0 && !drawn(i));
    return short.length === 0
      ? []
      : [`${s.name}: ${count(Math.min(...short.map((i) => i.n)))} at some steps`];
  });
  const partly = gaps.length === 0 ? "" : ` (not at every step for ${gaps.join(", ")})`;
  if (without.length === 0) return `95% CI${partly}`;
  if (without.length < series.length) {
    return `95% CI${partly}, none for ${
      without.map((s) => `${s.name}: ${count(most(s))}`).join(", ")
    }`;
  }
  let needed = 2;
  while (needed < 100 && !Number.isFinite(summarise(range(needed), center).lower)) needed++;
  return `no 95% CI: ${count(Math.max(...without.map(most)))}, ${needed} needed`;
}

/**
 * Throws a RangeError naming the first of `labels` that repeats an earlier one, where each label is
 * a row, column or bar of a figure that plotly would merge with another of the same label:
 * `<fn>: <path>[2]: "iris" repeats <path>[0]: <why>`.
 */
export function checkDistinctLabels(
  labels: readonly string[],
  fn: string,
  path: string,
  why: string,
): void {
  const first = new Map<string, number>();
  labels.forEach((label, i) => {
    const earlier = first.get(label);
    if (earlier !== undefined) {
      throw new RangeError(
        `${fn}: ${path}[${i}]: ${JSON.stringify(label)} repeats ${path}[${earlier}]: ${why}`,
      );
    }
    first.set(label, i);
  });
}

/** How many distinct values {@linkcode availableText} lists before it counts the rest. */
const AVAILABLE_LISTED = 20;

/**
 * The distinct values an option could have matched, for an error: `(tasks: branin, hartmann3)`, at
 * most 20 of them in order of appearance and then how many in all; `(no tasks)` when there is none.
 */
export function availableText(noun: string, values: Iterable<string>): string {
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return `(no ${noun})`;
  const listed = distinct.slice(0, AVAILABLE_LISTED).map((v) => JSON.stringify(v)).join(", ");
  const more = distinct.length > AVAILABLE_LISTED ? `, … (${distinct.length} in all)` : "";
  return `(${noun}: ${listed}${more})`;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Throws a RangeError naming the first option of `selection` that no per-seed row matches (with
 * the values it could have matched), or a method of `options.methods` without such rows: a figure
 * of them would be empty, or silently lack the method. Shared by the curve and rank figures.
 */
export function checkRowSelection(
  rows: readonly ResultRow[],
  selection: {
    metric: string;
    suite?: string;
    task?: string;
    methods?: readonly string[];
  },
  fn: string,
): void {
  let left = rows.filter((r) => r.seed >= 0);
  const what = [`per-seed rows of the metric ${JSON.stringify(selection.metric)}`];
  const narrow = (
    key: "metric" | "suite" | "task",
    field: (r: ResultRow) => string,
    noun: string,
    phrase: string,
  ) => {
    const wanted = selection[key];
    if (wanted === undefined) return;
    const kept = left.filter((r) => field(r) === wanted);
    if (kept.length === 0) {
      throw new RangeError(
        `${fn}: options.${key}: no ${
          key === "metric" ? "per-seed rows" : what.join(" ")
        } ${phrase} ${JSON.stringify(wanted)} ${availableText(noun, left.map(field))}`,
      );
    }
    if (key !== "metric") what.push(`${phrase} ${JSON.stringify(wanted)}`);
    left = kept;
  };
  narrow("metric", (r) => r.metric, "metrics", "of the metric");
  narrow("suite", (r) => r.suite, "suites", "in the suite");
  narrow("task", (r) => r.task, "tasks", "for the task");
  selection.methods?.forEach((method, i) => {
    if (left.some((r) => r.method === method)) return;
    throw new RangeError(
      `${fn}: options.methods[${i}]: no ${what.join(" ")} for the method ${
        JSON.stringify(method)
      } ${availableText("methods", left.map((r) => r.method))}`,
    );
  });
}
