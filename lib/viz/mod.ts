/**
 * Visualisation: plotly figures as plain `{ data, layout }` data (regret and adaptation curves
 * with 95% confidence bands, average ranks, loss against compute, GP posteriors, acquisition
 * surfaces, meta-feature heatmaps, Optuna-style study plots and parameter importances), display bundles for the Deno Jupyter kernel, tables as HTML,
 * and the offline HTML report of `deno task bench`.
 *
 * @example
 * ```ts
 * import { regretCurveFigure, showFigure } from "./mod.ts";
 * const rows = [0, 1, 2, 3, 4, 5].map((seed) => ({
 *   suite: "smbo", task: "branin", method: "random", seed, step: 10, metric: "regret", value: 0.1 * seed,
 * }));
 * showFigure(regretCurveFigure(rows, { task: "branin" })); // last expression of a notebook cell
 * ```
 *
 * @module
 */
export {
  axis,
  bandTrace,
  baseLayout,
  type Figure,
  fitTitle,
  type Layout,
  legendHeight,
  plotlyText,
  seriesColor,
  type Trace,
  VIZ_DEFAULTS,
  withAlpha,
} from "./figure.ts";
// The summaries the curves use, so that their types are documented from this entry point too.
export type { Center, DivergenceInterval, Interval } from "../stats/mod.ts";
export {
  adaptationCurveFigure,
  CURVE_DEFAULTS,
  curveFigure,
  type CurveFigureOptions,
  type CurveSelection,
  type CurveSummary,
  curveSummaryFigure,
  type CurveSummaryFigureOptions,
  regretCurveFigure,
  summariseCurves,
} from "./curves.ts";
export { averageRankCurves, type RankCurves, rankFigure, type RankOptions } from "./ranks.ts";
export {
  type LossComputeOptions,
  type LossComputePoint,
  lossComputePoints,
  lossVsComputeFigure,
} from "./compute.ts";
export {
  acquisition1dFigure,
  acquisition2dFigure,
  grid1d,
  grid2d,
  type Observations,
  posterior1dFigure,
  posterior2dFigure,
  type Predictor,
  type Scorer,
  type SurfaceOptions,
} from "./surfaces.ts";
export {
  type HeatmapOptions,
  type LabelledMatrix,
  metaFeatureHeatmap,
  standardizeColumns,
} from "./heatmap.ts";
export {
  escapeHtml,
  formatNumber,
  TABLE_CSS,
  tableHtml,
  type TableLike,
  tableRecords,
} from "./table.ts";
export {
  type Displayable,
  figureHtml,
  JUPYTER_DISPLAY,
  type MimeBundle,
  PLOTLY_LOADER_DEFAULTS,
  plotlyLoaderHtml,
  plotlySetup,
  plotlySetupBundle,
  type PlotlySetupOptions,
  showFigure,
  showTable,
} from "./display.ts";
export {
  bestValueSoFar,
  contourFigure,
  type ContourOptions,
  edfFigure,
  type EdfOptions,
  empiricalDistribution,
  type HistoryOptions,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  type ParallelCoordinateOptions,
  sliceFigure,
  type SliceOptions,
  type StudyDirection,
  type StudyInput,
  type StudySource,
} from "./study_plots.ts";
export {
  PARAM_IMPORTANCE_DEFAULTS,
  type ParamImportance,
  paramImportanceFigure,
  type ParamImportanceOptions,
  type ParamImportances,
  paramImportances,
} from "./importance.ts";
export {
  type LossComputePair,
  ratioFigure,
  renderReport,
  REPORT_DEFAULTS,
  type ReportInput,
  type ReportOptions,
  writeReport,
} from "./report.ts";
export { loadPlotlyBundle, PLOTLY_VERSION } from "../deps/plotly.ts";
export type { ResultRow } from "../results/mod.ts";
export type { Prediction } from "../models/surrogate.ts";

// Types that appear in this module's signatures (their home modules own them).
export type * from "../smbo/mod.ts";
