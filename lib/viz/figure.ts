/**
 * Plotly figures as plain data: `{ data, layout }` objects that serialise to the
 * `application/vnd.plotly.v1+json` MIME type, plus the shared look (palette, layout defaults).
 * Builders never call plotly: it only runs in the page.
 *
 * @module
 */

/** One plotly trace (`{ type: "scatter", x, y, … }`); arrays must be plain arrays, not typed. */
export type Trace = Record<string, unknown>;

/** A plotly layout object. */
export type Layout = Record<string, unknown>;

/**
 * A plotly figure as plain, JSON-serialisable data.
 *
 * @example
 * ```ts
 * import type { Figure } from "./figure.ts";
 * const figure: Figure = { data: [{ type: "scatter", x: [0, 1], y: [1, 0] }], layout: {} };
 * ```
 */
export interface Figure {
  /** The traces. */
  data: Trace[];
  /** The layout. */
  layout: Layout;
}

/**
 * The shared look of every figure: the colour cycle (Tableau 10, distinguishable in print and
 * for the common colour-vision deficiencies), the opacity of confidence bands and the default
 * height in pixels.
 *
 * @example
 * ```ts
 * import { VIZ_DEFAULTS } from "./figure.ts";
 * VIZ_DEFAULTS.palette[0]; // "#4e79a7"
 * ```
 */
export const VIZ_DEFAULTS: {
  readonly palette: readonly string[];
  readonly bandOpacity: number;
  readonly height: number;
} = {
  palette: [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
  ],
  bandOpacity: 0.18,
  height: 420,
};

/**
 * The colour of the i-th series (cycling through {@linkcode VIZ_DEFAULTS}.palette).
 *
 * @example
 * ```ts
 * import { seriesColor } from "./figure.ts";
 * seriesColor(1); // "#f28e2b"
 * ```
 */
export function seriesColor(index: number): string {
  const palette = VIZ_DEFAULTS.palette;
  return palette[((index % palette.length) + palette.length) % palette.length];
}

/**
 * One colour per method, by order of first appearance in `rows`: figures built from the same rows
 * (e.g. all figures of one report suite) colour each method alike.
 *
 * @example
 * ```ts
 * import { methodColors } from "./figure.ts";
 * methodColors([{ method: "gp" }, { method: "random" }, { method: "gp" }]).get("random"); // "#f28e2b"
 * ```
 */
export function methodColors(rows: readonly { method: string }[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const { method } of rows) {
    if (!colors.has(method)) colors.set(method, seriesColor(colors.size));
  }
  return colors;
}

/**
 * A `#rrggbb` colour as `rgba(r,g,b,alpha)`.
 *
 * @example
 * ```ts
 * import { withAlpha } from "./figure.ts";
 * withAlpha("#4e79a7", 0.5); // "rgba(78,121,167,0.5)"
 * ```
 */
export function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new TypeError(`withAlpha: expected a #rrggbb colour, got "${hex}"`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`withAlpha: alpha must be in [0, 1]`);
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

/**
 * A layout with the shared defaults: title, white background, legend, margins, height.
 * `extra` entries override the defaults.
 *
 * @example
 * ```ts
 * import { baseLayout } from "./figure.ts";
 * const layout = baseLayout("Regret on branin", { yaxis: { type: "log" } });
 * ```
 */
export function baseLayout(title: string, extra: Layout = {}): Layout {
  return {
    title: { text: title, x: 0.02, xanchor: "left", font: { size: 15 } },
    template: "none",
    height: VIZ_DEFAULTS.height,
    margin: { l: 70, r: 30, t: 50, b: 100 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 13 },
    legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top" },
    hovermode: "closest",
    ...extra,
  };
}

/**
 * The height of a figure whose legend, below the plot, lists `entries` series: the default height
 * plus 22 px for each entry beyond 3. The legend sits at a fixed fraction of the plot area below
 * it, and plotly takes the legend's rows from the plot area; without the extra height a legend of
 * many entries shrinks the plot until its first row lands on the x-axis title.
 *
 * @param entries Series listed in the legend.
 * @returns Height in pixels.
 *
 * @example
 * ```ts
 * import { legendHeight } from "./figure.ts";
 * legendHeight(3); // 420, the default
 * legendHeight(10); // 574
 * ```
 */
export function legendHeight(entries: number): number {
  return VIZ_DEFAULTS.height + LEGEND_ENTRY_HEIGHT * Math.max(0, entries - LEGEND_FREE_ENTRIES);
}

/** Pixels added per legend entry beyond the first few ({@linkcode legendHeight}). */
const LEGEND_ENTRY_HEIGHT = 22;
/** Legend entries that fit under the default height without squeezing the plot. */
const LEGEND_FREE_ENTRIES = 3;

/**
 * An axis with a title and light grid lines.
 *
 * @example
 * ```ts
 * import { axis } from "./figure.ts";
 * axis("evaluations"); // { title: { text: "evaluations" }, … }
 * ```
 */
export function axis(title: string, extra: Layout = {}): Layout {
  return {
    title: { text: title },
    gridcolor: "#e5e5e5",
    zeroline: false,
    linecolor: "#888888",
    ticks: "outside",
    ...extra,
  };
}

/**
 * A filled band between `lower` and `upper` over `x` as one closed polygon trace, without a
 * legend entry (non-finite bounds are skipped).
 *
 * @example
 * ```ts
 * import { bandTrace } from "./figure.ts";
 * bandTrace([0, 1], [0, 0.5], [1, 1.5], "#4e79a7", "gp");
 * ```
 */
export function bandTrace(
  x: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  color: string,
  group: string,
): Trace {
  const keep = x.map((_, i) => i).filter((i) =>
    Number.isFinite(lower[i]) && Number.isFinite(upper[i])
  );
  const forward = keep.map((i) => x[i]);
  return {
    type: "scatter",
    mode: "lines",
    x: [...forward, ...forward.toReversed()],
    y: [...keep.map((i) => upper[i]), ...keep.toReversed().map((i) => lower[i])],
    fill: "toself",
    fillcolor: withAlpha(color, VIZ_DEFAULTS.bandOpacity),
    line: { width: 0, color },
    hoverinfo: "skip",
    showlegend: false,
    legendgroup: group,
    name: `${group} band`,
  };
}
