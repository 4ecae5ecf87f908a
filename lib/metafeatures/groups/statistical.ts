/**
 * Statistical meta-features over the numeric feature columns (missing values replaced by the
 * column mean; categorical columns are not read). Vector measures have one value per feature
 * (or per pair of features) and are reduced by summary functions; constant features give NaN
 * entries that summaries skip.
 *
 * Conventions: `sd`/`var`/`cov` use ddof = 1; `skewness`/`kurtosis` are scipy's biased
 * estimators; `mad` is the median absolute deviation × 1.4826; `cor`/`cov` are absolute
 * values of the pairs above the diagonal; `eigenvalues` are those of the covariance matrix;
 * `nr_cor_attr` is the share of pairs with |cor| ≥ 0.5; `nr_outliers` counts features with a
 * value beyond 1.5 IQR of the quartiles; `sparsity` is `(n / distinct − 1) / (n − 1)` per
 * feature; `nr_norm` counts features whose D'Agostino–Pearson test (scipy's normaltest) does
 * not reject normality at level 0.05; `can_cor` are the canonical correlations between the
 * numeric features and the target (dummy-coded classes without the last class, or the numeric
 * target); `w_lambda` is Wilks' lambda ∏(1 − ρ²). Columns of extreme magnitude are rescaled by a
 * power of two before squares are taken (see the context module docs): scale-free measures
 * (skewness, kurtosis, cor, nr_norm, can_cor, w_lambda) read the rescaled columns, and sd, var,
 * cov and eigenvalues are mapped back to the original scale.
 *
 * `can_cor` and `w_lambda` need the covariance matrix of the numeric features to be positive
 * definite (it is factored by Cholesky), so both are NaN, with the reason "numeric features are
 * collinear or constant", when a feature is constant or is a linear combination of others (e.g.
 * integer-coded one-hot columns of one category that sum to 1, or more features than rows). In
 * the committed PMLB meta-dataset that is 7 of the 53 datasets: `allrep`, `collins`, `dis`,
 * `flags`, `ionosphere`, `segmentation` and `solar_flare_2`; all but `flags` have a constant
 * feature, while the 43 features of `flags` are collinear (rank 39: its one-hot colour columns).
 * They are listed by
 * `jq -r '.datasets[] | select(.metaFeatures["can_cor.mean"] == null) | .id'
 * datasets/pmlb-metadataset/metadataset.json`.
 *
 * @module
 */

import { type MetaFeatureContext, rescaleColumn, type RescaledColumn } from "../context.ts";
import { type MetaFeatureExtractor, MetaFeatureUnavailable } from "../extractor.ts";
import { solveLower, symmetricEigenvalues, tryCholesky } from "../../linalg/mod.ts";
import {
  correlation,
  covarianceMatrix,
  kurtosis,
  mad,
  mean,
  normalityPValue,
  quantileSorted,
  skewness,
  sorted,
  timesPowerOfTwo,
  variance,
} from "../../stats/mod.ts";

/**
 * Defaults of the statistical group: `correlationThreshold` (0.5) for nr_cor_attr,
 * `outlierWhisker` (1.5 IQR) for nr_outliers, `normalityLevel` (0.05) for nr_norm.
 */
export const STATISTICAL_DEFAULTS = {
  correlationThreshold: 0.5,
  outlierWhisker: 1.5,
  normalityLevel: 0.05,
} as const;

function numeric(ctx: MetaFeatureContext, atLeast = 1): readonly Float64Array[] {
  const cols = ctx.numericColumns();
  if (cols.length < atLeast) {
    throw new MetaFeatureUnavailable(
      atLeast === 1 ? "no numeric features" : `needs at least ${atLeast} numeric features`,
    );
  }
  return cols;
}

const sortedColumns = (ctx: MetaFeatureContext) =>
  ctx.memo("statistical.sorted", () => numeric(ctx).map(sorted));

/** The numeric columns rescaled by powers of two when extreme (see the module docs). */
const rescaledColumns = (ctx: MetaFeatureContext) =>
  ctx.memo("statistical.rescaled", () => numeric(ctx).map(rescaleColumn));

const rescaledValues = (ctx: MetaFeatureContext, atLeast = 1) => {
  numeric(ctx, atLeast);
  return rescaledColumns(ctx).map((c) => c.values);
};

/** A per-feature measure reading each column and its sorted copy. */
function perFeature(
  name: string,
  f: (x: Float64Array, s: Float64Array) => number,
): MetaFeatureExtractor {
  return {
    group: "statistical",
    name,
    kind: "vector",
    compute: (ctx) => {
      const cols = numeric(ctx), s = sortedColumns(ctx);
      return Float64Array.from(cols, (x, j) => f(x, s[j]));
    },
  };
}

/** A per-feature measure reading each column as rescaled by {@linkcode rescaledColumns}. */
function perRescaledFeature(
  name: string,
  f: (column: RescaledColumn) => number,
): MetaFeatureExtractor {
  return {
    group: "statistical",
    name,
    kind: "vector",
    compute: (ctx) => {
      numeric(ctx);
      return Float64Array.from(rescaledColumns(ctx), (c) => f(c));
    },
  };
}

function pairs(ctx: MetaFeatureContext, f: (a: number, b: number) => number): Float64Array {
  const p = numeric(ctx, 2).length;
  const out: number[] = [];
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) out.push(f(a, b));
  return Float64Array.from(out);
}

const absCorrelations = (ctx: MetaFeatureContext) =>
  ctx.memo("statistical.cor", () => {
    const cols = rescaledValues(ctx, 2);
    return pairs(ctx, (a, b) => Math.abs(correlation(cols[a], cols[b])));
  });

const covariance = (ctx: MetaFeatureContext) =>
  ctx.memo("statistical.cov", () => {
    const cols = rescaledColumns(ctx);
    const c = covarianceMatrix(rescaledValues(ctx));
    if (cols.every((col) => col.exponent === 0)) return c;
    const p = cols.length;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        // Two steps, not one by the sum: the results differ when the intermediate under- or
        // overflows (a tiny column paired with a huge one).
        c[a * p + b] = timesPowerOfTwo(
          timesPowerOfTwo(c[a * p + b], -cols[a].exponent),
          -cols[b].exponent,
        );
      }
    }
    return c;
  });

/** Canonical correlations between numeric features and the target, descending. */
function canonicalCorrelations(ctx: MetaFeatureContext): Float64Array {
  return ctx.memo("statistical.can_cor", () => {
    const xs = rescaledValues(ctx);
    const ys: Float64Array[] = ctx.task === "classification"
      ? ctx.classes.slice(0, -1).map((_, c) => Float64Array.from(ctx.y, (v) => (v === c ? 1 : 0)))
      : [ctx.yValues];
    const p = xs.length, q = ys.length;
    const s = covarianceMatrix([...xs, ...ys]);
    const block = (r0: number, c0: number, r: number, c: number) => {
      const out = new Float64Array(r * c);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < c; j++) out[i * c + j] = s[(r0 + i) * (p + q) + c0 + j];
      }
      return out;
    };
    const lx = tryCholesky(block(0, 0, p, p), p);
    if (!lx) throw new MetaFeatureUnavailable("numeric features are collinear or constant");
    const ly = tryCholesky(block(p, p, q, q), q);
    if (!ly) throw new MetaFeatureUnavailable("target has zero variance");
    const sxy = block(0, p, p, q);
    // M = Lx⁻¹ Sxy Ly⁻ᵀ; its singular values are the canonical correlations.
    const a = new Float64Array(p * q); // Lx⁻¹ Sxy, column by column
    for (let j = 0; j < q; j++) {
      const col = solveLower(lx, p, Float64Array.from({ length: p }, (_, i) => sxy[i * q + j]));
      for (let i = 0; i < p; i++) a[i * q + j] = col[i];
    }
    const m = new Float64Array(p * q); // rows of A times Ly⁻ᵀ = (Ly⁻¹ rowᵀ)ᵀ
    for (let i = 0; i < p; i++) m.set(solveLower(ly, q, a.subarray(i * q, (i + 1) * q)), i * q);
    const mtm = new Float64Array(q * q);
    for (let u = 0; u < q; u++) {
      for (let v = 0; v < q; v++) {
        let t = 0;
        for (let i = 0; i < p; i++) t += m[i * q + u] * m[i * q + v];
        mtm[u * q + v] = t;
      }
    }
    const eig = symmetricEigenvalues(mtm, q).subarray(0, Math.min(p, q));
    return Float64Array.from(eig, (e) => Math.sqrt(Math.min(1, Math.max(0, e))));
  });
}

/**
 * The statistical group: mean, sd, var, min, max, median, range, iq_range, mad, skewness,
 * kurtosis, sparsity, cor, cov, eigenvalues, can_cor (vectors); nr_cor_attr, nr_outliers,
 * nr_norm, w_lambda (scalars). can_cor and w_lambda are NaN when the numeric features are
 * collinear or constant (see the module documentation).
 *
 * @example
 * ```ts
 * import { STATISTICAL_EXTRACTORS } from "./statistical.ts";
 * console.log(STATISTICAL_EXTRACTORS.find((e) => e.name === "skewness")!.kind); // "vector"
 * ```
 */
export const STATISTICAL_EXTRACTORS: readonly MetaFeatureExtractor[] = [
  perFeature("mean", mean),
  // Mapped back by the inverse power (× 1 when the column was not rescaled).
  perRescaledFeature("sd", (c) => timesPowerOfTwo(Math.sqrt(variance(c.values)), -c.exponent)),
  perRescaledFeature("var", (c) => timesPowerOfTwo(variance(c.values), -2 * c.exponent)),
  perFeature("min", (_, s) => s[0]),
  perFeature("max", (_, s) => s[s.length - 1]),
  perFeature("median", (_, s) => quantileSorted(s, 0.5)),
  perFeature("range", (_, s) => s[s.length - 1] - s[0]),
  perFeature("iq_range", (_, s) => quantileSorted(s, 0.75) - quantileSorted(s, 0.25)),
  perFeature("mad", (x) => mad(x)),
  perRescaledFeature("skewness", (c) => skewness(c.values)),
  perRescaledFeature("kurtosis", (c) => kurtosis(c.values)),
  perFeature("sparsity", (x, s) => {
    if (x.length < 2) return NaN;
    let distinct = 1;
    for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1]) distinct++;
    return (x.length / distinct - 1) / (x.length - 1);
  }),
  { group: "statistical", name: "cor", kind: "vector", compute: absCorrelations },
  {
    group: "statistical",
    name: "cov",
    kind: "vector",
    compute: (ctx) => {
      const p = numeric(ctx, 2).length;
      const c = covariance(ctx);
      return pairs(ctx, (a, b) => Math.abs(c[a * p + b]));
    },
  },
  {
    group: "statistical",
    name: "nr_cor_attr",
    kind: "scalar",
    compute: (ctx) => {
      const cor = absCorrelations(ctx);
      return cor.filter((r) => r >= STATISTICAL_DEFAULTS.correlationThreshold).length / cor.length;
    },
  },
  {
    group: "statistical",
    name: "eigenvalues",
    kind: "vector",
    compute: (ctx) => symmetricEigenvalues(covariance(ctx), numeric(ctx).length),
  },
  {
    group: "statistical",
    name: "nr_outliers",
    kind: "scalar",
    compute: (ctx) =>
      sortedColumns(ctx).filter((s) => {
        const q1 = quantileSorted(s, 0.25), q3 = quantileSorted(s, 0.75);
        const w = STATISTICAL_DEFAULTS.outlierWhisker * (q3 - q1);
        return s[0] < q1 - w || s[s.length - 1] > q3 + w;
      }).length,
  },
  {
    group: "statistical",
    name: "nr_norm",
    kind: "scalar",
    compute: (ctx) => {
      if (ctx.rows < 8) throw new MetaFeatureUnavailable("normality test needs at least 8 rows");
      return rescaledValues(ctx).filter((x) =>
        normalityPValue(x) > STATISTICAL_DEFAULTS.normalityLevel
      )
        .length;
    },
  },
  { group: "statistical", name: "can_cor", kind: "vector", compute: canonicalCorrelations },
  {
    group: "statistical",
    name: "w_lambda",
    kind: "scalar",
    tasks: ["classification"],
    compute: (ctx) => canonicalCorrelations(ctx).reduce((w, r) => w * (1 - r * r), 1),
  },
];
