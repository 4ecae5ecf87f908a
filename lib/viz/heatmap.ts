/**
 * The meta-feature heatmap: datasets × meta-features, each column standardised so that features
 * of different scales share one colour scale.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { axis, baseLayout, type Figure, VIZ_DEFAULTS } from "./figure.ts";
import { parseOrThrow } from "../validate.ts";
import { checkDistinctLabels, shown } from "./_validate.ts";
import { standardizeTargets } from "../gp/standardize.ts";

/** A labelled matrix: `values[r][c]` belongs to row label r and column label c. */
export interface LabelledMatrix {
  /** Row labels (datasets or tasks). */
  rows: readonly string[];
  /** Column labels (meta-features). */
  columns: readonly string[];
  /**
   * One array (or `Float64Array`) per row, one number per column: a finite number, or NaN for a
   * missing value (±Infinity is neither: an error).
   */
  values: readonly (readonly number[] | Float64Array)[];
}

/** Options of {@linkcode metaFeatureHeatmap}. */
export interface HeatmapOptions {
  /** Standardise every column to mean 0 and standard deviation 1 (default true). */
  standardize?: boolean;
  /** Figure title. */
  title?: string;
}

/** A row of values, plain or typed alike: finite numbers, or NaN for a missing value. */
const rowSchema = z.custom<readonly number[] | Float64Array>(
  (row) => Array.isArray(row) || row instanceof Float64Array,
  "must be an array of numbers or a Float64Array",
).superRefine((row, ctx) => {
  for (let c = 0; c < row.length; c++) {
    const value: unknown = row[c];
    if (typeof value === "number" && (Number.isFinite(value) || Number.isNaN(value))) continue;
    ctx.addIssue({
      code: "custom",
      path: [c],
      message: `must be a finite number, or NaN for a missing value, got ${shown(value)}`,
    });
  }
});

const matrixSchema = z.object({
  rows: z.array(z.string()).min(1, "must have at least one label"),
  columns: z.array(z.string()).min(1, "must have at least one label"),
  values: z.array(rowSchema),
});

/**
 * Each column to mean 0 and standard deviation 1 (the population one) over its finite entries
 * (the others become NaN); columns constant up to round-off to 0: all finite entries equal (their
 * mean may round off them: three times 0.1 has a mean of 0.10000000000000002), or spread over a
 * few dozen units in the last place. The scores are those of the surrogates' `standardizeTargets`
 * (`lib/gp/standardize.ts`), which divides a column by a power of two near its largest magnitude
 * first, so that a column of values near 1e160 is standardised as the same column near 1 is.
 *
 * @example
 * ```ts
 * import { standardizeColumns } from "./heatmap.ts";
 * standardizeColumns([[1, 5], [3, 5]]); // [[-0.707…, 0], [0.707…, 0]]
 * standardizeColumns([[1e160], [2e160], [3e160]]); // [[-1.22…], [0], [1.22…]]
 * standardizeColumns([[0.1], [0.1], [0.1]]); // [[0], [0], [0]]
 * ```
 */
export function standardizeColumns(
  values: readonly (readonly number[] | Float64Array)[],
): number[][] {
  const columns = values[0]?.length ?? 0;
  const result = values.map((row) => Array.from(row));
  for (let c = 0; c < columns; c++) {
    const column = values.map((row) => row[c]).filter((v) => Number.isFinite(v));
    const scores = column.length === 0 ? new Float64Array(0) : standardizeTargets(column).scaled;
    let k = 0;
    for (const row of result) row[c] = Number.isFinite(row[c]) ? scores[k++] : NaN;
  }
  return result;
}

/**
 * A heatmap of meta-features (columns) over datasets (rows); hovering shows the raw value. Every
 * column is labelled (vertical labels, smaller when there are many columns). Row labels, and column
 * labels, must be distinct: plotly draws repeated labels as one row (or column), so a repeat is a
 * RangeError naming it. Options are strict: an unknown key (`standardise`) is an error naming it.
 *
 * @example
 * ```ts
 * import { metaFeatureHeatmap } from "./heatmap.ts";
 * const figure = metaFeatureHeatmap({
 *   rows: ["iris", "wine"], columns: ["n", "d"], values: [[150, 4], [178, 13]],
 * });
 * ```
 */
export function metaFeatureHeatmap(matrix: LabelledMatrix, options: HeatmapOptions = {}): Figure {
  parseOrThrow(matrixSchema, matrix, "metaFeatureHeatmap: matrix");
  parseOrThrow(
    z.strictObject({ standardize: z.boolean().optional(), title: z.string().optional() }),
    options,
    "metaFeatureHeatmap: options",
  );
  const merged = (what: string) =>
    `each label is one ${what} of the heatmap (plotly draws ${what}s of one label as one)`;
  checkDistinctLabels(matrix.rows, "metaFeatureHeatmap", "matrix.rows", merged("row"));
  checkDistinctLabels(matrix.columns, "metaFeatureHeatmap", "matrix.columns", merged("column"));
  if (matrix.values.length !== matrix.rows.length) {
    throw new RangeError(
      `metaFeatureHeatmap: matrix.values: ${matrix.values.length} rows for ${matrix.rows.length} labels`,
    );
  }
  matrix.values.forEach((row, r) => {
    if (row.length !== matrix.columns.length) {
      throw new RangeError(
        `metaFeatureHeatmap: matrix.values[${r}]: ${row.length} values for ${matrix.columns.length} columns`,
      );
    }
  });
  const standardize = options.standardize ?? true;
  // Column labels: one per column, vertical, sized so that neighbours do not overlap in the
  // cells' width of a default-width figure (about VIZ_DEFAULTS.width − 300 px once the row
  // labels, the colour bar and the margins are out), between 8 and 12 px.
  const columnsRoom = VIZ_DEFAULTS.width - 300;
  const tickSize = Math.max(8, Math.min(12, Math.floor(columnsRoom / matrix.columns.length) - 1));
  const cells = standardize
    ? standardizeColumns(matrix.values)
    : matrix.values.map((r) => Array.from(r));
  return {
    data: [{
      type: "heatmap",
      x: [...matrix.columns],
      y: [...matrix.rows],
      z: cells,
      customdata: matrix.values.map((r) => Array.from(r)),
      colorscale: "RdBu",
      zmid: standardize ? 0 : undefined,
      colorbar: { title: { text: standardize ? "z-score" : "value" }, thickness: 12 },
      hovertemplate: "%{y}<br>%{x}: %{customdata:.4g}<extra></extra>",
    }],
    layout: baseLayout(
      options.title ?? "Meta-features" + (standardize ? " (standardised per feature)" : ""),
      {
        height: Math.max(300, 28 * matrix.rows.length + 160),
        // Every meta-feature labelled: left to itself, plotly labels every other one of a long
        // list (a category axis counts columns from 0, so dtick 1 is every column).
        xaxis: axis("", {
          type: "category",
          tickmode: "linear",
          tick0: 0,
          dtick: 1,
          tickangle: -90,
          tickfont: { size: tickSize },
          automargin: true,
        }),
        yaxis: axis("", { automargin: true, autorange: "reversed" }),
        margin: { l: 120, r: 20, b: 120 },
      },
    ),
  };
}
