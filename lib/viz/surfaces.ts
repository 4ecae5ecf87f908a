/**
 * Model and acquisition surfaces on the unit interval and the unit square: a GP posterior
 * (mean ± 2σ in 1-D; contours of mean and standard deviation in 2-D) and acquisition functions,
 * with the observations on top.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { Prediction } from "../models/surrogate.ts";
import { axis, bandTrace, baseLayout, type Figure, seriesColor, type Trace } from "./figure.ts";
import { checkPoints } from "../validate.ts";
import { float64ArraySchema, parseOrThrow } from "../validate.ts";

/** Anything with posterior marginals at points of the unit cube (every `Surrogate` is one). */
export interface Predictor {
  /** Number of input dimensions. */
  readonly dim: number;
  /** Posterior mean and variance at many points. */
  predict(points: readonly Float64Array[]): Prediction;
}

/** Anything that scores points of the unit cube (every `AcquisitionFunction` is one). */
export interface Scorer {
  /** A short name for legends. */
  readonly name?: string;
  /** One value per point. */
  evaluate(points: readonly Float64Array[]): Float64Array;
}

/** Observed points and values to draw on top of a surface. */
export interface Observations {
  /** Points of the unit cube. */
  points: readonly Float64Array[];
  /** Observed values, one per point. */
  values: ArrayLike<number>;
}

/** Options of the surface figures; strict: an unknown key (`gridsize`) is an error naming it. */
export interface SurfaceOptions {
  /** Observations drawn as markers. */
  observations?: Observations;
  /** Grid points per axis (default 200 in 1-D, 60 in 2-D). */
  gridSize?: number;
  /** Figure title. */
  title?: string;
  /** In 1-D: the true function, drawn dashed for comparison. */
  truth?: (x: number) => number;
}

// Strict: a misspelt key (`gridsize`) is an error naming it.
const optionsSchema = z.strictObject({
  observations: z.strictObject({
    points: z.array(float64ArraySchema),
    values: z.custom<ArrayLike<number>>(
      (v) => v instanceof Float64Array || Array.isArray(v),
      "must be an array of numbers",
    ),
  }).optional(),
  gridSize: z.number().int("must be an integer ≥ 2").min(2, "must be an integer ≥ 2")
    .max(2000, "must be ≤ 2000").optional(),
  title: z.string().optional(),
  truth: z.custom<(x: number) => number>((v) => typeof v === "function", "must be a function")
    .optional(),
});

function parseOptions(options: SurfaceOptions, dim: number, label: string): SurfaceOptions {
  parseOrThrow(optionsSchema, options, `${label}: options`);
  const observations = options.observations;
  if (observations) {
    checkPoints(observations.points, dim, `${label}: options.observations.points`);
    if (observations.values.length !== observations.points.length) {
      throw new RangeError(
        `${label}: options.observations.values: ${observations.values.length} values for ` +
          `${observations.points.length} points`,
      );
    }
  }
  return options;
}

function assertDim(model: unknown, dim: number, label: string): void {
  const value = model as { dim?: unknown } | null;
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${label}: must be an object`);
  }
  if (value.dim !== undefined && value.dim !== dim) {
    throw new RangeError(`${label}.dim: must be ${dim}, got ${String(value.dim)}`);
  }
}

/**
 * `n` evenly spaced points of [0, 1], ends included, as 1-D points.
 *
 * @example
 * ```ts
 * import { grid1d } from "./surfaces.ts";
 * grid1d(3).map((p) => p[0]); // [0, 0.5, 1]
 * ```
 */
export function grid1d(n: number): Float64Array[] {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`grid1d: n must be an integer ≥ 2`);
  return Array.from({ length: n }, (_, i) => Float64Array.of(i / (n - 1)));
}

/**
 * The `n × n` grid of [0, 1]², row-major in the second coordinate (the layout of plotly's `z`:
 * `z[j][i]` belongs to x = i/(n−1), y = j/(n−1)).
 *
 * @example
 * ```ts
 * import { grid2d } from "./surfaces.ts";
 * grid2d(2).map((p) => [...p]); // [[0, 0], [1, 0], [0, 1], [1, 1]]
 * ```
 */
export function grid2d(n: number): Float64Array[] {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`grid2d: n must be an integer ≥ 2`);
  const points: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) points.push(Float64Array.of(i / (n - 1), j / (n - 1)));
  }
  return points;
}

/**
 * The index of the largest value, +Infinity included (its first occurrence), NaN skipped; -1 when
 * every value is NaN. Where the maximiser of a surface is marked.
 */
function argmax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    if (best < 0 || values[i] > values[best]) best = i;
  }
  return best;
}

function toMatrix(values: ArrayLike<number>, n: number): number[][] {
  return Array.from(
    { length: n },
    (_, j) => Array.from({ length: n }, (_, i) => values[j * n + i]),
  );
}

function observationTrace(observations: Observations, dim: 1 | 2, extra: Trace = {}): Trace {
  const { points, values } = observations;
  return {
    type: "scatter",
    mode: "markers",
    name: "observations",
    x: points.map((p) => p[0]),
    y: dim === 1 ? Array.from(values) : points.map((p) => p[1]),
    marker: { color: "#111111", size: 8, symbol: "x" },
    ...extra,
  };
}

/**
 * A 1-D posterior: the mean, the band mean ± 2σ (≈ 95% of the latent function's posterior
 * mass), the observations and optionally the true function.
 *
 * @example
 * ```ts
 * import { posterior1dFigure } from "./surfaces.ts";
 * const flat = {
 *   dim: 1,
 *   predict: (xs: readonly Float64Array[]) => ({
 *     mean: new Float64Array(xs.length), variance: new Float64Array(xs.length).fill(1),
 *   }),
 * };
 * const figure = posterior1dFigure(flat, { truth: Math.sin });
 * ```
 */
export function posterior1dFigure(model: Predictor, options: SurfaceOptions = {}): Figure {
  assertDim(model, 1, "posterior1dFigure: model");
  parseOptions(options, 1, "posterior1dFigure");
  const grid = grid1d(options.gridSize ?? 200);
  const x = grid.map((p) => p[0]);
  const { mean, variance } = model.predict(grid);
  const sd = Array.from(variance, (v) => Math.sqrt(Math.max(v, 0)));
  const color = seriesColor(0);
  const data: Trace[] = [
    bandTrace(
      x,
      x.map((_, i) => mean[i] - 2 * sd[i]),
      x.map((_, i) => mean[i] + 2 * sd[i]),
      color,
      "posterior",
    ),
    {
      type: "scatter",
      mode: "lines",
      name: "posterior mean ± 2σ",
      legendgroup: "posterior",
      x,
      y: Array.from(mean),
      line: { color, width: 2 },
    },
  ];
  if (options.truth) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: "true function",
      x,
      y: x.map((v) => options.truth!(v)),
      line: { color: "#555555", width: 1.5, dash: "dash" },
    });
  }
  if (options.observations) data.push(observationTrace(options.observations, 1));
  return {
    data,
    layout: baseLayout(options.title ?? "GP posterior", { xaxis: axis("x"), yaxis: axis("f(x)") }),
  };
}

/**
 * A 2-D posterior: contours of the mean (left) and of the standard deviation (right), with the
 * observations on both.
 *
 * @example
 * ```ts
 * import { posterior2dFigure } from "./surfaces.ts";
 * const bowl = {
 *   dim: 2,
 *   predict: (xs: readonly Float64Array[]) => ({
 *     mean: Float64Array.from(xs, (p) => (p[0] - 0.5) ** 2 + (p[1] - 0.5) ** 2),
 *     variance: Float64Array.from(xs, (p) => p[0] * p[1]),
 *   }),
 * };
 * const figure = posterior2dFigure(bowl, { gridSize: 20 });
 * ```
 */
export function posterior2dFigure(model: Predictor, options: SurfaceOptions = {}): Figure {
  assertDim(model, 2, "posterior2dFigure: model");
  parseOptions(options, 2, "posterior2dFigure");
  const n = options.gridSize ?? 60;
  const ticks = Array.from({ length: n }, (_, i) => i / (n - 1));
  const { mean, variance } = model.predict(grid2d(n));
  const sd = variance.map((v) => Math.sqrt(Math.max(v, 0)));
  const panel = (z: ArrayLike<number>, name: string, colorscale: string, side: 1 | 2): Trace => ({
    type: "contour",
    name,
    x: ticks,
    y: ticks,
    z: toMatrix(z, n),
    colorscale,
    contours: { coloring: "heatmap" },
    colorbar: { x: side === 1 ? 0.45 : 1.0, len: 0.9, thickness: 12 },
    xaxis: side === 1 ? "x" : "x2",
    yaxis: side === 1 ? "y" : "y2",
    hovertemplate: `x₁ %{x:.3f}<br>x₂ %{y:.3f}<br>${name} %{z:.4g}<extra></extra>`,
  });
  // Named scales of plotly.js (which has no "Magma"): a distinct one for each panel.
  const data: Trace[] = [panel(mean, "mean", "Viridis", 1), panel(sd, "std. dev.", "Cividis", 2)];
  if (options.observations) {
    data.push(
      observationTrace(options.observations, 2, {
        marker: { color: "#ffffff", size: 8, symbol: "x", line: { color: "#000000", width: 1 } },
      }),
    );
    data.push(
      observationTrace(options.observations, 2, {
        xaxis: "x2",
        yaxis: "y2",
        showlegend: false,
        marker: { color: "#ffffff", size: 8, symbol: "x", line: { color: "#000000", width: 1 } },
      }),
    );
  }
  return {
    data,
    layout: baseLayout(
      options.title ?? "GP posterior: mean (left) and standard deviation (right)",
      {
        height: 460,
        xaxis: axis("x₁", { domain: [0, 0.4] }),
        yaxis: axis("x₂", { scaleanchor: "x" }),
        xaxis2: axis("x₁", { domain: [0.55, 0.95] }),
        yaxis2: axis("", { anchor: "x2", scaleanchor: "x2" }),
        showlegend: false,
      },
    ),
  };
}

/**
 * 1-D acquisition functions stacked one per row (their scales differ by orders of magnitude),
 * each with its maximiser marked (NaN values skipped; a maximum of +Infinity marked at the top of
 * the finite values drawn); observations as ticks along the bottom row.
 *
 * @example
 * ```ts
 * import { acquisition1dFigure } from "./surfaces.ts";
 * const bump = { name: "bump", evaluate: (xs: readonly Float64Array[]) => Float64Array.from(xs, (p) => -((p[0] - 0.3) ** 2)) };
 * const figure = acquisition1dFigure([bump]);
 * ```
 */
export function acquisition1dFigure(
  acquisitions: readonly Scorer[],
  options: SurfaceOptions = {},
): Figure {
  if (!Array.isArray(acquisitions) || acquisitions.length === 0) {
    throw new TypeError("acquisition1dFigure: acquisitions must be a non-empty array");
  }
  acquisitions.forEach((a, i) => {
    assertDim(a, 1, `acquisition1dFigure: acquisitions[${i}]`);
    if (typeof a.evaluate !== "function") {
      throw new TypeError(`acquisition1dFigure: acquisitions[${i}].evaluate: must be a function`);
    }
  });
  parseOptions(options, 1, "acquisition1dFigure");
  const grid = grid1d(options.gridSize ?? 200);
  const x = grid.map((p) => p[0]);
  const rows = acquisitions.length;
  const gap = 0.04;
  const height = (1 - gap * (rows - 1)) / rows;
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {};
  acquisitions.forEach((acquisition, r) => {
    const values: number[] = Array.from(acquisition.evaluate(grid));
    const best = argmax(values);
    // A maximum of +Infinity cannot be drawn at its height: its star sits at the top of the finite
    // values drawn, and its hover says Infinity (no star where no value can be drawn).
    const finiteValues = values.filter(Number.isFinite);
    const starY = best < 0
      ? NaN
      : Number.isFinite(values[best])
      ? values[best]
      : values[best] === Infinity && finiteValues.length > 0
      ? finiteValues.reduce((a, b) => Math.max(a, b))
      : NaN;
    const name = acquisition.name ?? `acquisition ${r + 1}`;
    const suffix = r === 0 ? "" : String(r + 1);
    const color = seriesColor(r);
    data.push({
      type: "scatter",
      mode: "lines",
      name,
      x,
      y: values,
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      line: { color, width: 2 },
    });
    if (!Number.isNaN(starY)) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: `argmax ${name}`,
        x: [x[best]],
        y: [starY],
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        marker: { color, size: 11, symbol: "star" },
        ...(starY === values[best]
          ? {}
          : { hovertemplate: `argmax ${name}<br>x %{x:.4g}<br>value Infinity<extra></extra>` }),
        showlegend: false,
      });
    }
    const top = 1 - r * (height + gap);
    layout[`yaxis${suffix}`] = axis(name, { domain: [top - height, top] });
    layout[`xaxis${suffix}`] = axis(r === rows - 1 ? "x" : "", {
      anchor: `y${suffix}`,
      matches: r === 0 ? undefined : "x",
      showticklabels: r === rows - 1,
    });
  });
  if (options.observations) {
    const last = rows === 1 ? "" : String(rows);
    data.push({
      type: "scatter",
      mode: "markers",
      name: "observed x",
      x: options.observations.points.map((p) => p[0]),
      y: options.observations.points.map(() => 0),
      xaxis: `x${last}`,
      yaxis: `y${last}`,
      marker: { color: "#111111", size: 9, symbol: "line-ns-open" },
      showlegend: false,
    });
  }
  return {
    data,
    layout: baseLayout(options.title ?? "Acquisition functions (maximised)", {
      ...layout,
      height: Math.max(VIZ_HEIGHT_PER_ROW * rows + 90, 300),
      showlegend: false,
    }),
  };
}

const VIZ_HEIGHT_PER_ROW = 150;

/**
 * A 2-D acquisition surface as a contour plot with its maximiser (NaN values skipped) and the
 * observations.
 *
 * @example
 * ```ts
 * import { acquisition2dFigure } from "./surfaces.ts";
 * const bowl = { name: "bowl", evaluate: (xs: readonly Float64Array[]) => Float64Array.from(xs, (p) => -(p[0] ** 2) - p[1] ** 2) };
 * const figure = acquisition2dFigure(bowl, { gridSize: 20 });
 * ```
 */
export function acquisition2dFigure(acquisition: Scorer, options: SurfaceOptions = {}): Figure {
  assertDim(acquisition, 2, "acquisition2dFigure: acquisition");
  if (typeof acquisition?.evaluate !== "function") {
    throw new TypeError("acquisition2dFigure: acquisition.evaluate: must be a function");
  }
  parseOptions(options, 2, "acquisition2dFigure");
  const n = options.gridSize ?? 60;
  const grid = grid2d(n);
  const ticks = Array.from({ length: n }, (_, i) => i / (n - 1));
  const values = acquisition.evaluate(grid);
  const best = argmax(values);
  const name = acquisition.name ?? "acquisition";
  const data: Trace[] = [{
    type: "contour",
    name,
    x: ticks,
    y: ticks,
    z: toMatrix(values, n),
    colorscale: "Viridis",
    contours: { coloring: "heatmap" },
    colorbar: { thickness: 12 },
  }];
  // The maximiser (NaN values skipped; none where every value is NaN).
  if (best >= 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "maximiser",
      x: [grid[best][0]],
      y: [grid[best][1]],
      marker: { color: "#e15759", size: 14, symbol: "star", line: { color: "#ffffff", width: 1 } },
    });
  }
  if (options.observations) {
    data.push(
      observationTrace(options.observations, 2, {
        marker: { color: "#ffffff", size: 8, symbol: "x", line: { color: "#000000", width: 1 } },
      }),
    );
  }
  return {
    data,
    layout: baseLayout(options.title ?? `${name} over the unit square`, {
      height: 480,
      width: 560,
      xaxis: axis("x₁", { range: [0, 1] }),
      yaxis: axis("x₂", { range: [0, 1], scaleanchor: "x" }),
      showlegend: false,
    }),
  };
}
