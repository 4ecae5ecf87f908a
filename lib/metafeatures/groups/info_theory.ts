/**
 * Information-theoretic meta-features in bits, on the discretised columns described in
 * {@linkcode MetaFeatureContext} (categorical codes as they are; numeric columns and a regression
 * target in equal-width bins). Vector measures have one value per feature.
 *
 * - `class_ent` H(Y); `attr_ent` H(Xⱼ); `joint_ent` H(Xⱼ, Y); `mut_inf` I(Xⱼ; Y) =
 *   H(Xⱼ) + H(Y) − H(Xⱼ, Y);
 * - `eq_num_attr` H(Y) / mean I(Xⱼ; Y) (how many attributes would carry the class information);
 * - `ns_ratio` (mean H(Xⱼ) − mean I(Xⱼ; Y)) / mean I(Xⱼ; Y) (noise-to-signal ratio).
 *
 * @module
 */

import type { MetaFeatureContext } from "../context.ts";
import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "../extractor.ts";
import { entropyOfCounts, mean } from "../../stats/mod.ts";

interface Entropies {
  readonly classEntropy: number;
  readonly attributeEntropy: Float64Array;
  readonly jointEntropy: Float64Array;
  readonly mutualInformation: Float64Array;
}

function entropies(ctx: MetaFeatureContext): Entropies {
  return ctx.memo("info-theory", () => {
    const target = ctx.discreteTarget();
    const classCounts = new Float64Array(target.levels);
    for (const c of target.codes) classCounts[c]++;
    const classEntropy = entropyOfCounts(classCounts);
    const columns = ctx.discreteFeatures();
    const attributeEntropy = new Float64Array(columns.length);
    const jointEntropy = new Float64Array(columns.length);
    const mutualInformation = new Float64Array(columns.length);
    columns.forEach((col, j) => {
      const counts = new Float64Array(col.levels);
      const joint = new Float64Array(col.levels * target.levels);
      for (let i = 0; i < ctx.rows; i++) {
        counts[col.codes[i]]++;
        joint[col.codes[i] * target.levels + target.codes[i]]++;
      }
      attributeEntropy[j] = entropyOfCounts(counts);
      jointEntropy[j] = entropyOfCounts(joint);
      mutualInformation[j] = Math.max(0, attributeEntropy[j] + classEntropy - jointEntropy[j]);
    });
    return { classEntropy, attributeEntropy, jointEntropy, mutualInformation };
  });
}

function meanMutualInformation(ctx: MetaFeatureContext): number {
  const mi = mean(entropies(ctx).mutualInformation);
  if (!(mi > 0)) throw new MetaFeatureUnavailable("mutual information of every attribute is 0");
  return mi;
}

/**
 * The info-theory group: class_ent, eq_num_attr, ns_ratio (scalars); attr_ent, joint_ent,
 * mut_inf (vectors).
 *
 * @example
 * ```ts
 * import { INFO_THEORY_EXTRACTORS } from "./info_theory.ts";
 * console.log(INFO_THEORY_EXTRACTORS.map((e) => e.name)); // ["class_ent", "attr_ent", ...]
 * ```
 */
export const INFO_THEORY_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  {
    group: "info-theory",
    name: "class_ent",
    kind: "scalar",
    compute: (ctx) => entropies(ctx).classEntropy,
  },
  {
    group: "info-theory",
    name: "attr_ent",
    kind: "vector",
    compute: (ctx) => entropies(ctx).attributeEntropy,
  },
  {
    group: "info-theory",
    name: "joint_ent",
    kind: "vector",
    compute: (ctx) => entropies(ctx).jointEntropy,
  },
  {
    group: "info-theory",
    name: "mut_inf",
    kind: "vector",
    compute: (ctx) => entropies(ctx).mutualInformation,
  },
  {
    group: "info-theory",
    name: "eq_num_attr",
    kind: "scalar",
    compute: (ctx) => entropies(ctx).classEntropy / meanMutualInformation(ctx),
  },
  {
    group: "info-theory",
    name: "ns_ratio",
    kind: "scalar",
    compute: (ctx) => {
      const mi = meanMutualInformation(ctx);
      return (mean(entropies(ctx).attributeEntropy) - mi) / mi;
    },
  },
];
