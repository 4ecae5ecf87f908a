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
 * for the common colour-vision deficiencies), the opacity of confidence bands, the default
 * height in pixels, the strip at the top kept free for plotly's mode bar (`modeBarStrip` pixels:
 * the title starts below it, so that the mode bar never covers a long title), the least top
 * margin (`marginTop` pixels: the strip, one title line and a gap before the plot) and the width
 * a layout assumes where it must (`width` pixels: figures fill their container, e.g. a notebook's
 * output area, and only ticks of narrow log axes depend on it).
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
  readonly modeBarStrip: number;
  readonly marginTop: number;
  readonly width: number;
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
  modeBarStrip: 28,
  marginTop: 64,
  width: 1000,
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
 * A layout with the shared defaults: title, white background, legend, margins, height. The title
 * sits at the top left below the strip of plotly's mode bar ({@linkcode VIZ_DEFAULTS}), which
 * appears at the top right on hover: however long the title, the mode bar does not cover it.
 * `extra` entries override the defaults; `extra.margin` overrides single sides, and its top
 * margin counts only when it exceeds `VIZ_DEFAULTS.marginTop` (the title needs that much).
 *
 * @example
 * ```ts
 * import { baseLayout } from "./figure.ts";
 * const layout = baseLayout("Regret on branin", { yaxis: { type: "log" } });
 * ```
 */
export function baseLayout(title: string, extra: Layout = {}): Layout {
  const margin = { l: 70, r: 30, t: VIZ_DEFAULTS.marginTop, b: 100, ...(extra.margin as Layout) };
  const top = typeof margin.t === "number" ? margin.t : 0;
  return {
    title: {
      text: title,
      x: 0.02,
      xanchor: "left",
      yref: "container",
      y: 1,
      yanchor: "top",
      pad: { t: VIZ_DEFAULTS.modeBarStrip },
      font: { size: 15 },
    },
    template: "none",
    height: VIZ_DEFAULTS.height,
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 13 },
    legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top" },
    hovermode: "closest",
    ...extra,
    margin: { ...margin, t: Math.max(top, VIZ_DEFAULTS.marginTop) },
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
 * The settings of a log axis (powers of ten as 10ⁿ) over values from `low` to `high` that spans
 * `fraction` of the figure's width. Plotly aims at five or more ticks on any axis, however short:
 * over a few decades it then labels every 1-2-5 step, or every digit, and a subplot a quarter of
 * the figure wide shows a row of overlapping labels. A narrow axis gets the largest `nticks`
 * whose labels fit its share of `VIZ_DEFAULTS.width`, at 50 pixels per decade label (10ⁿ) and
 * half that per digit label (2, 5): the decades only, every second decade or fewer over many,
 * 1-2-5 steps over a decade or two. Plotly still picks the ticks from `nticks`, so zooming in
 * refines them. An axis wide enough for plotly's own choice keeps it.
 *
 * @param low Smallest value on the axis (> 0).
 * @param high Largest value on the axis (≥ low).
 * @param fraction Share of the figure's width the axis spans, in (0, 1] (default 1).
 * @returns Axis settings to spread into {@linkcode axis}'s `extra`.
 *
 * @example
 * ```ts
 * import { axis, logAxisTicks } from "./figure.ts";
 * logAxisTicks(1e-4, 1e-1, 0.2); // { type: "log", exponentformat: "power", nticks: 4 }
 * const xaxis = axis("learning rate", { ...logAxisTicks(1e-4, 1e-1, 0.2), domain: [0, 0.2] });
 * ```
 */
export function logAxisTicks(low: number, high: number, fraction = 1): Layout {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low > 0 && high >= low)) {
    throw new RangeError(
      `logAxisTicks: low and high must be finite with 0 < low ≤ high, got ${low} and ${high}`,
    );
  }
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RangeError(`logAxisTicks: fraction must be in (0, 1], got ${fraction}`);
  }
  const settings: Layout = { type: "log", exponentformat: "power" };
  // Decades on the axis, with the few per cent plotly's autorange pads on either side.
  const span = (Math.log10(high) - Math.log10(low)) * (1 + 2 * LOG_AXIS_PAD);
  const pixels = fraction * VIZ_DEFAULTS.width;
  const room = pixels / LOG_LABEL_PIXELS;
  // Plotly's own tick count (axes.js autoTicks: one per 80 px, clamped to 4–9, plus one).
  const auto = Math.min(Math.max(pixels / 80, 4), 9) + 1;
  if (span === 0 || logLabelLoad(span, auto) <= room) return settings;
  for (let nticks = Math.floor(auto); nticks > 2; nticks--) {
    if (logLabelLoad(span, nticks) <= room) return { ...settings, nticks };
  }
  return { ...settings, nticks: 2 };
}

/** Padding of plotly's autorange on either side, as a share of the data's span (markers). */
const LOG_AXIS_PAD = 0.05;
/** Pixels a decade label (10ⁿ) needs, with the gap to the next one. */
const LOG_LABEL_PIXELS = 50;

/**
 * The room the labels of a log axis spanning `span` decades take (in decade labels; a digit label
 * is half of one) when plotly picks its ticks from `nticks`, as its autoTicks does: decades every
 * ceil(span / nticks) when that step exceeds 0.7 decades; within one decade, about 1.5 × nticks
 * linear ticks labelled in full; else 1-2-5 steps (step above 0.3) or every digit.
 */
function logLabelLoad(span: number, nticks: number): number {
  const step = span / nticks;
  if (step > 0.7) return Math.floor(span / Math.ceil(step)) + 1;
  if (span < 1) return 1.5 * nticks;
  const digitsPerDecade = step > 0.3 ? 2 : 8;
  return Math.floor(span) + 1 + 0.5 * digitsPerDecade * span;
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
