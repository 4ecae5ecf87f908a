/**
 * {@linkcode extractMetaFeatures}: runs the requested groups of meta-feature extractors on a
 * table and returns a named, ordered vector ({@linkcode MetaFeatures}).
 *
 * @module
 */

import { aq } from "../deps/arquero.ts";
import { z } from "../deps/zod.ts";
import { CONTEXT_DEFAULTS, MetaFeatureContext, type Task } from "./context.ts";
import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "./extractor.ts";
import { GENERAL_EXTRACTORS } from "./groups/general.ts";
import { INFO_THEORY_EXTRACTORS } from "./groups/info_theory.ts";
import { LANDMARKING_EXTRACTORS } from "./groups/landmarking.ts";
import { MODEL_BASED_EXTRACTORS } from "./groups/model_based.ts";
import { STATISTICAL_EXTRACTORS } from "./groups/statistical.ts";
import { SUMMARY_FUNCTIONS, type SummaryFunction, summaryNames } from "./summary.ts";
import { parseOrThrow } from "../validate.ts";

/**
 * The built-in extractors in output order: general, statistical, info-theory, landmarking,
 * model-based (pymfe's group names).
 *
 * @example
 * ```ts
 * import { DEFAULT_EXTRACTORS } from "./extract.ts";
 * console.log(new Set(DEFAULT_EXTRACTORS.map((e) => e.group)).size); // 5
 * ```
 */
export const DEFAULT_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  ...GENERAL_EXTRACTORS,
  ...STATISTICAL_EXTRACTORS,
  ...INFO_THEORY_EXTRACTORS,
  ...LANDMARKING_EXTRACTORS,
  ...MODEL_BASED_EXTRACTORS,
];

/**
 * Defaults of {@linkcode extractMetaFeatures}: every group of the extractors in use, summaries
 * `["mean", "sd"]` (pymfe's default), seed 0, 10 equal-width bins, 10 folds, tree depth 5.
 */
export const METAFEATURE_DEFAULTS = {
  summary: ["mean", "sd"] as readonly string[],
  seed: 0,
  bins: CONTEXT_DEFAULTS.bins,
  folds: CONTEXT_DEFAULTS.folds,
  maxDepth: CONTEXT_DEFAULTS.maxDepth,
} as const;

const extractorSchema = z.custom<MetaFeatureExtractor>(
  (e) =>
    typeof e === "object" && e !== null && typeof (e as MetaFeatureExtractor).name === "string" &&
    typeof (e as MetaFeatureExtractor).group === "string" &&
    ((e as MetaFeatureExtractor).kind === "scalar" ||
      (e as MetaFeatureExtractor).kind === "vector") &&
    typeof (e as MetaFeatureExtractor).compute === "function",
  { message: "must be an object with group, name, kind ('scalar' | 'vector') and compute" },
);

const optionsSchema = z.object({
  target: z.string().min(1),
  task: z.enum(["classification", "regression"]).optional(),
  groups: z.array(z.string().min(1)).min(1).optional(),
  summary: z.array(z.string().min(1)).min(1).optional(),
  seed: z.number().int().optional(),
  bins: z.number().int().min(2).optional(),
  folds: z.number().int().min(2).optional(),
  maxDepth: z.number().int().min(1).optional(),
  extractors: z.array(extractorSchema).optional(),
  replaceDefaults: z.boolean().optional(),
}).strict();

const isArrayLike = (v: unknown) =>
  Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** An arquero table, or an object whose every own value is an array (or typed array) of cells. */
const tableInputSchema = z.custom<TableInput>(
  (t) =>
    t !== null && typeof t === "object" && !Array.isArray(t) &&
    (typeof (t as { columnNames?: unknown }).columnNames === "function"
      ? typeof (t as { array?: unknown }).array === "function"
      : Object.values(t).every(isArrayLike)),
  {
    error: (issue) =>
      `must be an arquero table or an object of column arrays, got ${
        issue.input === null
          ? "null"
          : Array.isArray(issue.input)
          ? "an array"
          : typeof issue.input === "object"
          ? "an object with a non-array column"
          : typeof issue.input
      }`,
  },
);

/** Options of {@linkcode extractMetaFeatures} (validated; errors name the option's path). */
export interface MetaFeatureOptions {
  /** The target column. */
  readonly target: string;
  /** The task; inferred from the target when absent (see {@linkcode MetaFeatureContext}). */
  readonly task?: Task;
  /** Groups to compute (default: every group of the extractors in use). */
  readonly groups?: readonly string[];
  /**
   * Summary functions for vector measures, each at most once (see {@linkcode SUMMARY_FUNCTIONS});
   * default mean, sd.
   */
  readonly summary?: readonly string[];
  /** Integer seed of folds and random choices (default 0). */
  readonly seed?: number;
  /** Equal-width bins for information-theoretic measures (integer ≥ 2, default 10). */
  readonly bins?: number;
  /** Cross-validation folds of landmarkers (integer ≥ 2, default 10). */
  readonly folds?: number;
  /** Maximum depth of the model-based tree (integer ≥ 1, default 5). */
  readonly maxDepth?: number;
  /**
   * Extra extractors, appended to the built-ins. Every meta-feature name must come from one
   * extractor only: a scalar's name, or a vector's name with a summary suffix (`attr_ent.mean`).
   */
  readonly extractors?: readonly MetaFeatureExtractor[];
  /** Use only `extractors`, without the built-ins (default false). */
  readonly replaceDefaults?: boolean;
}

/** A table: an arquero table, or plain named columns. */
export type TableInput =
  | { columnNames(): string[]; array(name: string): ArrayLike<unknown> }
  | Readonly<Record<string, ArrayLike<unknown>>>;

/** A named vector of meta-feature values: what similarity functions read. */
export interface MetaFeatureVector {
  /** The meta-feature names, in order. */
  readonly names: readonly string[];
  /** The values, aligned with `names`. */
  readonly values: Float64Array;
}

/** The one-row arquero table {@linkcode MetaFeatures.toTable} returns. */
export type MetaFeatureTable = aq.ColumnTable;

/**
 * The result of {@linkcode extractMetaFeatures}: names and values in a fixed order (the order of
 * the extractors, then of the summaries), and for every NaN value the reason.
 *
 * @example
 * ```ts
 * import { MetaFeatures } from "./extract.ts";
 * const mf = new MetaFeatures(["a", "b"], Float64Array.of(1, NaN), { b: "no numeric features" });
 * console.log(mf.get("a"), mf.toObject(), mf.reasons.b);
 * ```
 */
export class MetaFeatures implements MetaFeatureVector {
  /** The names, in order. */
  readonly names: readonly string[];
  /** The values, aligned with `names`. */
  readonly values: Float64Array;
  /** Why a value is NaN, keyed by name. */
  readonly reasons: Readonly<Record<string, string>>;

  /** Wraps aligned names and values. */
  constructor(
    names: readonly string[],
    values: Float64Array,
    reasons: Record<string, string> = {},
  ) {
    if (names.length !== values.length) {
      throw new Error(`MetaFeatures: ${names.length} names but ${values.length} values`);
    }
    this.names = Object.freeze([...names]);
    this.values = values;
    this.reasons = Object.freeze({ ...reasons });
  }

  /** The value of one meta-feature; throws for an unknown name. */
  get(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`MetaFeatures.get: no meta-feature named '${name}'`);
    return this.values[i];
  }

  /** The values as a plain object, in order. */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.names.map((n, i) => [n, this.values[i]]));
  }

  /** A one-row arquero table with one column per meta-feature. */
  toTable(): MetaFeatureTable {
    return aq.table(Object.fromEntries(this.names.map((n, i) => [n, [this.values[i]]])));
  }
}

/**
 * Computes meta-features of a table for predicting `target`.
 *
 * Extractors run in order; a measure that cannot be computed (wrong task, no numeric features,
 * a singular system, as `can_cor` and `w_lambda` when the numeric features are collinear or
 * constant and `linear_discr` when the features are collinear or constant within a training fold,
 * too few values for a summary, a value that overflows to ±Infinity, or an error thrown by a
 * custom extractor or summary) is NaN and its reason is recorded in `reasons`: every value is
 * finite or NaN with a reason. A vector measure with an entry that overflowed to ±Infinity
 * (e.g. the variance of a column near the float64 limit) has every summary NaN with an overflow
 * reason; its NaN entries (e.g. of constant features) are skipped by the summaries. Names depend
 * only on the options (extractors, groups, summaries), never on the data, so results of different
 * tables line up. Same seed ⇒ same values.
 *
 * Throws an Error naming the field or column for bad options (among them a summary given twice,
 * and two selected extractors that would give a meta-feature of the same name: both are named),
 * a missing target column, an empty table, a target with a single class or a feature without any
 * value; option errors are raised before anything is computed.
 *
 * @example
 * ```ts
 * import { extractMetaFeatures } from "./extract.ts";
 * const table = {
 *   x1: [1, 2, 3, 4, 5, 6, 7, 8], x2: [2, 1, 4, 3, 6, 5, 8, 7],
 *   y: ["a", "a", "a", "a", "b", "b", "b", "b"],
 * };
 * const mf = extractMetaFeatures(table, { target: "y", groups: ["general", "info-theory"], folds: 2 });
 * console.log(mf.get("nr_inst"), mf.get("class_ent")); // 8 1
 * ```
 */
export function extractMetaFeatures(table: TableInput, options: MetaFeatureOptions): MetaFeatures {
  parseOrThrow(tableInputSchema, table, "table");
  const o = parseOrThrow(optionsSchema, options, "options");
  const extractors = [...(o.replaceDefaults ? [] : DEFAULT_EXTRACTORS), ...(o.extractors ?? [])];
  const known = [...new Set(extractors.map((e) => e.group))];
  const groups = o.groups ?? known;
  groups.forEach((g, i) => {
    if (!known.includes(g)) {
      throw new Error(`options.groups[${i}]: unknown group '${g}' (known: ${known.join(", ")})`);
    }
  });
  const summaryList = o.summary ?? METAFEATURE_DEFAULTS.summary;
  const summaries: SummaryFunction[] = summaryList.map((s, i) => {
    const f = SUMMARY_FUNCTIONS.get(s);
    if (!f) {
      throw new Error(
        `options.summary[${i}]: unknown summary '${s}' (known: ${
          [...SUMMARY_FUNCTIONS.keys()].join(", ")
        })`,
      );
    }
    const first = summaryList.indexOf(s);
    if (first < i) {
      throw new Error(
        `options.summary[${i}]: duplicate summary '${s}' (options.summary[${first}])`,
      );
    }
    return f;
  });
  const selected = extractors.filter((e) => groups.includes(e.group));
  const seen = new Set<string>();
  for (const e of selected) {
    if (seen.has(e.name)) throw new Error(`options.extractors: duplicate meta-feature '${e.name}'`);
    seen.add(e.name);
  }
  checkOutputNames(selected, summaries, o.extractors ?? []);
  const ctx = "columnNames" in table && typeof table.columnNames === "function"
    ? MetaFeatureContext.fromTable(
      table as Parameters<typeof MetaFeatureContext.fromTable>[0],
      settings(o),
    )
    : MetaFeatureContext.fromColumns(
      new Map(Object.entries(table as Record<string, ArrayLike<unknown>>)),
      settings(o),
    );

  const outputs = selected.flatMap((e) => evaluate(e, ctx, summaries));
  return new MetaFeatures(
    outputs.map((o) => o.name),
    Float64Array.from(outputs, (o) => o.value),
    Object.fromEntries(
      outputs.filter((o) => Number.isNaN(o.value)).map((o) => [o.name, o.reason]),
    ),
  );
}

/**
 * Throws when two extractors would give a meta-feature of the same name (e.g. a custom scalar
 * extractor named `attr_ent.mean` beside the `mean` summary of `attr_ent`), naming both sources.
 */
function checkOutputNames(
  selected: readonly MetaFeatureExtractor[],
  summaries: readonly SummaryFunction[],
  custom: readonly MetaFeatureExtractor[],
): void {
  const describe = (e: MetaFeatureExtractor) => {
    const i = custom.indexOf(e);
    return i >= 0
      ? `the ${e.kind} extractor options.extractors[${i}] '${e.name}'`
      : `the built-in ${e.kind} extractor '${e.name}'`;
  };
  const sources = new Map<string, string>();
  for (const e of selected) {
    const outputs: [string, string][] = e.kind === "scalar"
      ? [[e.name, describe(e)]]
      : summaries.flatMap((s) =>
        summaryNames(e.name, s).map((n): [string, string] => [
          n,
          `the '${s.name}' summary of ${describe(e)}`,
        ])
      );
    for (const [name, source] of outputs) {
      const other = sources.get(name);
      if (other !== undefined) {
        throw new Error(
          `options.extractors: meta-feature '${name}' would come both from ${other} and from ${source}`,
        );
      }
      sources.set(name, source);
    }
  }
}

interface Output {
  readonly name: string;
  readonly value: number;
  readonly reason: string;
}

/** Runs one extractor and summarises a vector result; failures become NaN with a reason. */
function evaluate(
  e: MetaFeatureExtractor,
  ctx: MetaFeatureContext,
  summaries: readonly SummaryFunction[],
): Output[] {
  const nan = (names: string[], reason: string) =>
    names.map((name) => ({ name, value: NaN, reason: `${e.name}: ${reason}` }));
  let result: number | Float64Array;
  try {
    if (e.tasks && !e.tasks.includes(ctx.task)) {
      throw new MetaFeatureUnavailable(`defined for ${e.tasks.join(" or ")} only`);
    }
    result = e.compute(ctx);
    if (e.kind === "scalar" && typeof result !== "number") {
      throw new Error(`scalar extractor returned ${typeof result}`);
    }
    if (e.kind === "vector" && !(result instanceof Float64Array)) {
      throw new Error("vector extractor must return a Float64Array");
    }
  } catch (error) {
    const reason = error instanceof MetaFeatureUnavailable
      ? error.message
      : `failed: ${error instanceof Error ? error.message : String(error)}`;
    return nan(
      e.kind === "scalar" ? [e.name] : summaries.flatMap((s) => summaryNames(e.name, s)),
      reason,
    );
  }
  // Every value leaves as a finite number or NaN with a reason: ±Infinity (an overflow, e.g.
  // the spread of values near the float64 limit) is not a meta-feature a distance can use.
  const output = (name: string, value: number, undefinedReason: string): Output =>
    value === Infinity || value === -Infinity
      ? { name, value: NaN, reason: `${e.name}: not finite (${value}; overflow)` }
      : { name, value, reason: `${e.name}: ${undefinedReason}` };
  if (typeof result === "number") {
    return [output(e.name, result, "undefined for this data (NaN)")];
  }
  const vector = result;
  // An overflowing entry is a value too large to represent, not a missing one: summaries over it
  // are unknown, so every summary of the vector (count too, for one simple rule) is NaN with the
  // overflow reason. NaN entries are missing values and are skipped (see summary.ts).
  const overflows = vector.filter((v) => v === Infinity || v === -Infinity);
  if (overflows.length > 0) {
    return nan(
      summaries.flatMap((s) => summaryNames(e.name, s)),
      `not finite (${overflows[0]} in ${overflows.length} of ${vector.length} values; overflow)`,
    );
  }
  const finite = vector.filter(Number.isFinite);
  return summaries.flatMap((s) => {
    const names = summaryNames(e.name, s);
    if (finite.length < s.minValues) {
      return nan(
        names,
        finite.length === 0 && vector.length > 0
          ? "every value is NaN (e.g. constant features)"
          : `${s.name} needs at least ${s.minValues} finite value(s), got ${finite.length}`,
      );
    }
    let values: number[];
    try {
      const out = s.compute(finite);
      values = typeof out === "number" ? [out] : [...out];
    } catch (error) {
      return nan(names, `${s.name} failed: ${error instanceof Error ? error.message : error}`);
    }
    return names.map((name, i) =>
      output(
        name,
        typeof values[i] === "number" ? values[i] : NaN,
        `${s.name} is undefined (e.g. constant values)`,
      )
    );
  });
}

function settings(o: z.output<typeof optionsSchema>) {
  return {
    target: o.target,
    task: o.task,
    seed: o.seed ?? METAFEATURE_DEFAULTS.seed,
    bins: o.bins ?? METAFEATURE_DEFAULTS.bins,
    folds: o.folds ?? METAFEATURE_DEFAULTS.folds,
    maxDepth: o.maxDepth ?? METAFEATURE_DEFAULTS.maxDepth,
  };
}
