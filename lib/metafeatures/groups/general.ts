/**
 * General meta-features: sizes, column kinds, class frequencies and missing values (pymfe's
 * "general" group, plus auto-sklearn's missing-value ratios). Counts refer to the input columns
 * (a categorical column counts once, before dummy coding).
 *
 * @module
 */

import type { MetaFeatureContext } from "../context.ts";
import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "../extractor.ts";

const count = (ctx: MetaFeatureContext, kind: "numeric" | "categorical") =>
  ctx.features.filter((f) => f.kind === kind).length;

function ratio(numerator: number, denominator: number, what: string): number {
  if (denominator === 0) throw new MetaFeatureUnavailable(`no ${what}`);
  return numerator / denominator;
}

function scalar(name: string, compute: (ctx: MetaFeatureContext) => number): MetaFeatureExtractor {
  return { group: "general", name, kind: "scalar", compute };
}

/**
 * The general group: nr_inst, nr_attr, nr_num, nr_cat, nr_bin, nr_class, attr_to_inst,
 * inst_to_attr, num_to_cat, cat_to_num, freq_class (vector of class proportions),
 * missing_ratio (missing feature cells / all feature cells) and inst_missing_ratio (rows with a
 * missing feature value / rows).
 *
 * @example
 * ```ts
 * import { GENERAL_EXTRACTORS } from "./general.ts";
 * console.log(GENERAL_EXTRACTORS.map((e) => e.name).includes("nr_inst")); // true
 * ```
 */
export const GENERAL_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  scalar("nr_inst", (ctx) => ctx.rows),
  scalar("nr_attr", (ctx) => ctx.features.length),
  scalar("nr_num", (ctx) => count(ctx, "numeric")),
  scalar("nr_cat", (ctx) => count(ctx, "categorical")),
  scalar("nr_bin", (ctx) => ctx.features.filter((f) => f.distinct === 2).length),
  {
    group: "general",
    name: "nr_class",
    kind: "scalar",
    tasks: ["classification"],
    compute: (ctx) => ctx.classes.length,
  },
  scalar("attr_to_inst", (ctx) => ctx.features.length / ctx.rows),
  scalar("inst_to_attr", (ctx) => ctx.rows / ctx.features.length),
  scalar(
    "num_to_cat",
    (ctx) => ratio(count(ctx, "numeric"), count(ctx, "categorical"), "categorical features"),
  ),
  scalar(
    "cat_to_num",
    (ctx) => ratio(count(ctx, "categorical"), count(ctx, "numeric"), "numeric features"),
  ),
  {
    group: "general",
    name: "freq_class",
    kind: "vector",
    tasks: ["classification"],
    compute: (ctx) => {
      const count = new Float64Array(ctx.classes.length);
      for (const c of ctx.y) count[c]++;
      return count.map((c) => c / ctx.rows);
    },
  },
  scalar("missing_ratio", (ctx) => ctx.missingCells / (ctx.rows * ctx.features.length)),
  scalar("inst_missing_ratio", (ctx) => ctx.rowsWithMissing / ctx.rows),
];
