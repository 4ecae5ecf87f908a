/**
 * {@linkcode metaFeatureOrder}: meta-feature names in a canonical order, so that transfer does not
 * depend on the key order of a meta-features record. A module of names only: the optimiser's
 * entry point uses it without loading the extractors (nor the table library they read).
 *
 * @module
 */
import { SUMMARY_FUNCTIONS, summaryNames } from "./summary.ts";

/**
 * @internal The measures of `DEFAULT_EXTRACTORS` (lib/metafeatures/extract.ts), in its order, with
 * their kind: a scalar gives its name, a vector one name per summary (`name.summary`). The tests
 * check that it is the extractors' list.
 */
export const BUILTIN_MEASURES: readonly (readonly [string, "scalar" | "vector"])[] = Object.freeze(
  ([
    ["nr_inst", "scalar"],
    ["nr_attr", "scalar"],
    ["nr_num", "scalar"],
    ["nr_cat", "scalar"],
    ["nr_bin", "scalar"],
    ["nr_class", "scalar"],
    ["attr_to_inst", "scalar"],
    ["inst_to_attr", "scalar"],
    ["num_to_cat", "scalar"],
    ["cat_to_num", "scalar"],
    ["freq_class", "vector"],
    ["missing_ratio", "scalar"],
    ["inst_missing_ratio", "scalar"],
    ["mean", "vector"],
    ["sd", "vector"],
    ["var", "vector"],
    ["min", "vector"],
    ["max", "vector"],
    ["median", "vector"],
    ["range", "vector"],
    ["iq_range", "vector"],
    ["mad", "vector"],
    ["skewness", "vector"],
    ["kurtosis", "vector"],
    ["sparsity", "vector"],
    ["cor", "vector"],
    ["cov", "vector"],
    ["nr_cor_attr", "scalar"],
    ["eigenvalues", "vector"],
    ["nr_outliers", "scalar"],
    ["nr_norm", "scalar"],
    ["can_cor", "vector"],
    ["w_lambda", "scalar"],
    ["class_ent", "scalar"],
    ["attr_ent", "vector"],
    ["joint_ent", "vector"],
    ["mut_inf", "vector"],
    ["eq_num_attr", "scalar"],
    ["ns_ratio", "scalar"],
    ["one_nn", "vector"],
    ["naive_bayes", "vector"],
    ["linear_discr", "vector"],
    ["best_node", "vector"],
    ["random_node", "vector"],
    ["shallow_tree", "vector"],
    ["nodes", "scalar"],
    ["leaves", "scalar"],
    ["tree_depth", "scalar"],
    ["nodes_per_attr", "scalar"],
    ["nodes_per_inst", "scalar"],
    ["leaves_branch", "vector"],
    ["nodes_per_level", "vector"],
    ["leaves_per_class", "vector"],
    ["var_importance", "vector"],
  ] as const).map((measure) => Object.freeze(measure)),
);

/** The rank of each name the built-in extractors can give, built on first use. */
let builtinRanks: Map<string, number> | undefined;

function ranks(): Map<string, number> {
  if (builtinRanks === undefined) {
    builtinRanks = new Map();
    for (const [name, kind] of BUILTIN_MEASURES) {
      const outputs = kind === "scalar"
        ? [name]
        : [...SUMMARY_FUNCTIONS.values()].flatMap((s) => summaryNames(name, s));
      for (const output of outputs) {
        if (!builtinRanks.has(output)) builtinRanks.set(output, builtinRanks.size);
      }
    }
  }
  return builtinRanks;
}

/**
 * Meta-feature names in a canonical order, whatever order a record lists them in: first the names
 * the built-in extractors give, in the order `extractMetaFeatures` writes them (by extractor, as
 * in `DEFAULT_EXTRACTORS`, then by summary, as in `SUMMARY_FUNCTIONS`), then any other names in
 * code-unit order. The names of an extraction with the built-in extractors, and summaries given in
 * `SUMMARY_FUNCTIONS` order (the default, `["mean", "sd"]`, is), keep their order. Transfer uses
 * it, so that the same meta-features given in another key order give the same result.
 *
 * @example
 * ```ts
 * import { metaFeatureOrder } from "./order.ts";
 * metaFeatureOrder(["zeta", "nr_attr", "alpha", "nr_inst"]); // ["nr_inst", "nr_attr", "alpha", "zeta"]
 * ```
 */
export function metaFeatureOrder(names: Iterable<string>): string[] {
  const rank = ranks();
  return [...names].sort((a, b) => {
    const ra = rank.get(a), rb = rank.get(b);
    if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
