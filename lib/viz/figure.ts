/**
 * Plotly figures as plain data: `{ data, layout }` objects that serialise to the
 * `application/vnd.plotly.v1+json` MIME type, plus the shared look (palette, layout defaults).
 * Builders never call plotly: it only runs in the page.
 *
 * @module
 */

/**
 * One plotly trace (`{ type: "scatter", x, y, … }`): plain JSON data; `showFigure` and
 * `figureHtml` turn typed arrays into plain arrays and refuse what JSON cannot carry.
 */
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
 * output area; where titles wrap and how many ticks an axis labels depend on it).
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
 * Plotly draws a title on one line however long: a title wider than the figure is wrapped at
 * spaces into lines that fit `options.width` pixels (default: `extra.width` when a number, else
 * `VIZ_DEFAULTS.width`) at the title's font size ({@linkcode wrapTitle}), and the top margin grows
 * by a line per line added, so that the title never reaches into the plot. Line breaks of the
 * title itself (`<br>`) stay.
 *
 * @example
 * ```ts
 * import { baseLayout } from "./figure.ts";
 * const layout = baseLayout("Regret on branin", { yaxis: { type: "log" } });
 * const narrow = baseLayout(
 *   "Contour of learning rate × hidden units: GP mean, others at the best trial (30 trials)",
 *   {},
 *   { width: 560 },
 * );
 * (narrow.title as { text: string }).text; // "Contour of learning rate × hidden units: GP mean, others at the<br>best trial (30 trials)"
 * ```
 */
export function baseLayout(
  title: string,
  extra: Layout = {},
  options: { width?: number } = {},
): Layout {
  const width = options.width ?? (typeof extra.width === "number" ? extra.width : undefined) ??
    VIZ_DEFAULTS.width;
  if (!(Number.isFinite(width) && width > 0)) {
    throw new RangeError(`baseLayout: width must be a finite number > 0, got ${width}`);
  }
  const margin = {
    l: 70,
    r: 30,
    t: VIZ_DEFAULTS.marginTop,
    b: DEFAULT_MARGIN_BOTTOM,
    ...(extra.margin as Layout),
  };
  const top = typeof margin.t === "number" ? margin.t : 0;
  const wrapped = wrapTitle(title, width, TITLE_SIZE);
  return {
    title: {
      text: wrapped.text,
      x: TITLE_X,
      xanchor: "left",
      yref: "container",
      y: 1,
      yanchor: "top",
      pad: { t: VIZ_DEFAULTS.modeBarStrip + multiLineShift(wrapped.lines, TITLE_SIZE) },
      font: { size: TITLE_SIZE },
    },
    template: "none",
    height: VIZ_DEFAULTS.height,
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 13 },
    legend: { orientation: "h", x: 0, y: -0.22, yanchor: "top" },
    hovermode: "closest",
    ...extra,
    margin: {
      ...margin,
      t: Math.max(top, VIZ_DEFAULTS.marginTop) + (wrapped.lines - 1) * titleLineHeight(TITLE_SIZE),
    },
  };
}

/** Font size of titles, pixels. */
const TITLE_SIZE = 15;
/** Left end of the title, as a share of the figure's width. */
const TITLE_X = 0.02;
/** Pixels kept free right of the title's longest line. */
const TITLE_RIGHT_GAP = 12;

/** Height of one title line: plotly spaces lines of text 1.3 em apart. */
function titleLineHeight(size: number): number {
  return Math.ceil(1.3 * size);
}

/**
 * Pixels a title of `lines` lines needs on top of its pad to start where a title of one line
 * does: plotly moves a title anchored at its top down by 0.7 em, except one of several lines.
 */
function multiLineShift(lines: number, size: number): number {
  return lines > 1 ? Math.ceil(0.7 * size) : 0;
}

/**
 * A figure title wrapped at spaces into lines (joined by `<br>`, which plotly draws as a line
 * break) that fit a figure `width` pixels wide at font size `size`, and its number of lines. A
 * line holds as many words as fit the figure's width right of the title's start (2% of the
 * width), by an estimate of each character's width in a sans-serif font that errs on the wide
 * side; a word wider than a line gets a line of its own. Line breaks of the title (`<br>`) stay,
 * markup such as `<b>` takes no width, and a title that fits is returned unchanged.
 *
 * @param title The title (plotly's text: `<br>`, `<b>`, `<sup>` … allowed).
 * @param width Width of the figure, pixels (> 0).
 * @param size Font size of the title, pixels (default 15, the size {@linkcode baseLayout} uses).
 * @returns The wrapped title and its number of lines.
 *
 * @example
 * ```ts
 * import { wrapTitle } from "./figure.ts";
 * wrapTitle("Regret on branin", 560); // { text: "Regret on branin", lines: 1 }
 * wrapTitle("Median simple regret after 50 evaluations of every method on every function", 400);
 * // { text: "Median simple regret after 50 evaluations of<br>every method on every function", lines: 2 }
 * ```
 */
export function wrapTitle(
  title: string,
  width: number,
  size: number = TITLE_SIZE,
): { text: string; lines: number } {
  if (!(Number.isFinite(width) && width > 0)) {
    throw new RangeError(`wrapTitle: width must be a finite number > 0, got ${width}`);
  }
  if (!(Number.isFinite(size) && size > 0)) {
    throw new RangeError(`wrapTitle: size must be a finite number > 0, got ${size}`);
  }
  const room = width * (1 - TITLE_X) - TITLE_RIGHT_GAP;
  const parts = title.split(BREAK);
  const lines = parts.flatMap((part) => {
    const words = part.split(" ").filter((w) => w !== "");
    if (words.length === 0) return [part];
    const out: string[] = [];
    let line = "";
    for (const word of words) {
      const longer = line === "" ? word : `${line} ${word}`;
      if (line !== "" && textWidth(longer, size) > room) {
        out.push(line);
        line = word;
      } else line = longer;
    }
    out.push(line);
    // A part that fits keeps its own spacing.
    return out.length === 1 ? [part] : out;
  });
  return {
    text: lines.length === parts.length ? title : lines.join("<br>"),
    lines: lines.length,
  };
}

/**
 * The figure with its title wrapped for a figure `width` pixels wide ({@linkcode wrapTitle}) and
 * its top margin grown by a line per line added: for a figure built for a wider place that is
 * shown in a narrower one (e.g. a cell of a report's grid). Lines the title already has stay; a
 * figure whose title fits, or that has no title text, is returned as it is.
 *
 * @param figure A figure, e.g. from a builder of this module (a layout of {@linkcode baseLayout}).
 * @param width Width of the place it is shown in, pixels (> 0).
 * @returns A new figure; `figure` is left as it was.
 *
 * @example
 * ```ts
 * import { baseLayout, fitTitle } from "./figure.ts";
 * const figure = {
 *   data: [],
 *   layout: baseLayout("Contour of lr × units: GP (float64) mean, others at the best trial (30 trials)"),
 * };
 * const cell = fitTitle(figure, 400); // two title lines, the top margin a line taller
 * ```
 */
export function fitTitle(figure: Figure, width: number): Figure {
  if (!(Number.isFinite(width) && width > 0)) {
    throw new RangeError(`fitTitle: width must be a finite number > 0, got ${width}`);
  }
  const title = figure.layout.title;
  if (title === null || typeof title !== "object" || typeof (title as Layout).text !== "string") {
    return figure;
  }
  const { text, font } = title as { text: string; font?: { size?: unknown } };
  const size = typeof font?.size === "number" && font.size > 0 ? font.size : TITLE_SIZE;
  const before = text.split(BREAK).length;
  const wrapped = wrapTitle(text, width, size);
  if (wrapped.lines === before) return figure;
  const margin = (figure.layout.margin ?? {}) as Layout;
  const top = typeof margin.t === "number" ? margin.t : VIZ_DEFAULTS.marginTop;
  const pad = ((title as Layout).pad ?? {}) as Layout;
  const padTop = typeof pad.t === "number" ? pad.t : 0;
  return {
    data: figure.data,
    layout: {
      ...figure.layout,
      title: {
        ...title,
        text: wrapped.text,
        pad: {
          ...pad,
          t: padTop + multiLineShift(wrapped.lines, size) - multiLineShift(before, size),
        },
      },
      margin: { ...margin, t: top + (wrapped.lines - before) * titleLineHeight(size) },
    },
  };
}

/** A line break in plotly's text. */
const BREAK = /<br\s*\/?>/i;

/**
 * @internal Estimated width in pixels of `text` (plotly's markup such as `<b>` left out, an entity
 * such as `&amp;` one character) at font size `size`, by the width of each character in em in
 * DejaVu Sans, the widest of the common sans-serif fonts (Segoe UI, Roboto, Helvetica and Arial
 * are narrower): a title this wide fits in any of them.
 *
 * @example
 * ```ts
 * import { textWidth } from "./figure.ts";
 * textWidth("gp", 10); // 12.8
 * ```
 */
export function textWidth(text: string, size: number): number {
  const plain = text.replace(/<[^>]*>/g, "").replace(/&#?\w+;/g, "&");
  let em = 0;
  for (const char of plain) em += charWidth(char);
  return em * size;
}

/** Widths in em of characters narrower or wider than the rest of their class. */
const CHAR_EM: Record<string, number> = {
  ...Object.fromEntries([..." ijlI.,:;'|!`"].map((c) => [c, 0.32])),
  ...Object.fromEntries([..."frt()[]/-"].map((c) => [c, 0.41])),
  ...Object.fromEntries([..."scvxyzk"].map((c) => [c, 0.6])),
  m: 0.98,
  w: 0.82,
  M: 0.87,
  W: 0.99,
  "%": 0.95,
};

function charWidth(char: string): number {
  const em = CHAR_EM[char];
  if (em !== undefined) return em;
  if (/[A-Z]/.test(char)) return 0.78;
  if (/[a-z0-9]/.test(char)) return 0.64;
  return 0.84;
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
 * The height in pixels of the plot area of a layout (e.g. from {@linkcode baseLayout}): its height
 * less its top and bottom margins (defaults: `VIZ_DEFAULTS.height` and the margins of
 * {@linkcode baseLayout}), less the height {@linkcode legendHeight} adds for a legend of
 * `legendEntries` entries, which the legend's rows take. The length of a vertical axis spanning
 * the plot, e.g. for {@linkcode logAxisTicks}.
 *
 * @param layout A layout; `height` and `margin.t` / `margin.b` are read where numbers.
 * @param legendEntries Entries of the legend below the plot (default 0).
 * @returns Pixels, at least 1.
 *
 * @example
 * ```ts
 * import { baseLayout, plotHeight } from "./figure.ts";
 * plotHeight(baseLayout("Regret on branin")); // 256: 420 less the margins 64 and 100
 * plotHeight(baseLayout("Regret on branin", { height: 574 }), 10); // 256
 * ```
 */
export function plotHeight(layout: Layout, legendEntries = 0): number {
  const height = typeof layout.height === "number" ? layout.height : VIZ_DEFAULTS.height;
  const margin = (layout.margin ?? {}) as Layout;
  const top = typeof margin.t === "number" ? margin.t : VIZ_DEFAULTS.marginTop;
  const bottom = typeof margin.b === "number" ? margin.b : DEFAULT_MARGIN_BOTTOM;
  const legend = legendHeight(legendEntries) - VIZ_DEFAULTS.height;
  return Math.max(1, height - top - bottom - legend);
}

/** Bottom margin of {@linkcode baseLayout}, pixels: the x-axis title and the legend. */
const DEFAULT_MARGIN_BOTTOM = 100;

/**
 * A note centred on the plot area (a plotly annotation, red on a translucent white box), for a
 * figure that has nothing to draw and says why; `<br>` breaks lines.
 *
 * @example
 * ```ts
 * import { centredNote } from "./figure.ts";
 * const layout = { annotations: [centredNote("No trial has both parameters")] };
 * ```
 */
export function centredNote(text: string): Layout {
  return {
    text,
    xref: "paper",
    yref: "paper",
    x: 0.5,
    y: 0.5,
    showarrow: false,
    font: { size: 12, color: "#b00020" },
    bgcolor: "rgba(255,255,255,0.85)",
  };
}

/**
 * A name given by the user (a study, parameter, method or task) as plotly text: plotly reads
 * `<b>`, `<br>`, `<s>`, `<a>` … in titles, legends, labels and hover text as markup and `&lt;` as
 * `<`, so `&`, `<` and `>` are written as entities and the name shows as given.
 *
 * @example
 * ```ts
 * import { plotlyText } from "./figure.ts";
 * plotlyText("<s>gp</s> & a<b"); // "&lt;s&gt;gp&lt;/s&gt; &amp; a&lt;b"
 * ```
 */
export function plotlyText(name: string): string {
  return name.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * An axis with a title and light grid lines. `automargin` is on: plotly then widens the margin to
 * fit the tick labels and keeps the axis title clear of them, where wide labels (`2×10³⁰⁰`, long
 * category names) would otherwise run over the title or off the figure.
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
    automargin: true,
    gridcolor: "#e5e5e5",
    zeroline: false,
    linecolor: "#888888",
    ticks: "outside",
    ...extra,
  };
}

/**
 * The length of an axis for {@linkcode logAxisTicks}: `pixels` long, and `vertical` for a y axis
 * (default false). A vertical axis's length is the height of its plot area
 * ({@linkcode plotHeight}).
 */
export interface AxisLength {
  /** Length of the axis, pixels (> 0). */
  pixels: number;
  /** A vertical axis (default false). */
  vertical?: boolean;
}

/**
 * The settings of a log axis (powers of ten as 10ⁿ) over values from `low` to `high`. Plotly aims
 * at five or more ticks on any axis, however short (one per 80 px across, one per 40 px up): over
 * a few decades it then labels every 1-2-5 step, or every digit, and a short axis shows labels
 * that overlap. A short axis gets the largest `nticks` whose labels fit: the decades only, every
 * second decade or fewer over many, 1-2-5 steps over a decade or two.
 *
 * - Across (an x axis): the labels must fit the axis's length side by side, at 50 pixels per
 *   decade label (10ⁿ) and half that per digit label (2, 5).
 * - Up (a y axis, `vertical`): each label takes a line of text (about the font's size) and a
 *   gap, 25 pixels, and the two closest labels must be that far apart. Digits crowd below each
 *   power of ten (8, 9, 10 lie 0.05 decades apart), so every digit is labelled only where a
 *   decade is over 550 pixels tall, 1-2-5 steps where it is over 83.
 *
 * Plotly still picks the ticks from `nticks`, so zooming in refines them. An axis long enough for
 * plotly's own choice keeps it.
 *
 * @param low Smallest value on the axis (> 0).
 * @param high Largest value on the axis (≥ low).
 * @param length Share of `VIZ_DEFAULTS.width` a horizontal axis spans, in (0, 1] (default 1), or
 * the axis's length in pixels and whether it is vertical ({@linkcode AxisLength}).
 * @returns Axis settings to spread into {@linkcode axis}'s `extra`.
 *
 * @example
 * ```ts
 * import { axis, logAxisTicks } from "./figure.ts";
 * logAxisTicks(1e-4, 1e-1, 0.2); // { type: "log", exponentformat: "power", nticks: 4 }
 * const xaxis = axis("learning rate", { ...logAxisTicks(1e-4, 1e-1, 0.2), domain: [0, 0.2] });
 * // A y axis 256 px tall over 7 to 128: 10, 20, 50, 100 instead of every digit.
 * logAxisTicks(7, 128, { pixels: 256, vertical: true }); // { type: "log", exponentformat: "power", nticks: 4 }
 * ```
 */
export function logAxisTicks(low: number, high: number, length: number | AxisLength = 1): Layout {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low > 0 && high >= low)) {
    throw new RangeError(
      `logAxisTicks: low and high must be finite with 0 < low ≤ high, got ${low} and ${high}`,
    );
  }
  let pixels: number, vertical: boolean;
  if (typeof length === "number") {
    if (!(length > 0 && length <= 1)) {
      throw new RangeError(`logAxisTicks: fraction must be in (0, 1], got ${length}`);
    }
    pixels = length * VIZ_DEFAULTS.width;
    vertical = false;
  } else {
    pixels = length.pixels;
    vertical = length.vertical ?? false;
    if (!(Number.isFinite(pixels) && pixels > 0)) {
      throw new RangeError(`logAxisTicks: pixels must be a finite number > 0, got ${pixels}`);
    }
  }
  const settings: Layout = { type: "log", exponentformat: "power" };
  // Decades on the axis, with the few per cent plotly's autorange pads on either side.
  const pad = (Math.log10(high) - Math.log10(low)) * LOG_AXIS_PAD;
  const lo = Math.log10(low) - pad, hi = Math.log10(high) + pad;
  const span = hi - lo;
  // Plotly's own tick count (axes.js autoTicks: one per 80 px, 40 px on a y axis, clamped to
  // 4–9, plus one).
  const auto = Math.min(Math.max(pixels / (vertical ? 40 : 80), 4), 9) + 1;
  const fits = vertical
    ? (nticks: number) => logLabelGap(lo, hi, nticks) * pixels / span >= LOG_LABEL_HEIGHT
    : (nticks: number) => logLabelLoad(span, nticks) <= pixels / LOG_LABEL_PIXELS;
  if (span === 0 || fits(auto)) return settings;
  for (let nticks = Math.floor(auto); nticks > 2; nticks--) {
    if (fits(nticks)) return { ...settings, nticks };
  }
  return { ...settings, nticks: 2 };
}

/** Padding of plotly's autorange on either side, as a share of the data's span (markers). */
const LOG_AXIS_PAD = 0.05;
/** Pixels a decade label (10ⁿ) needs across, with the gap to the next one. */
const LOG_LABEL_PIXELS = 50;
/**
 * Pixels a tick label needs up, with the gap to the next one: a line of text at the default font
 * size (13 px, 1.3 em with the exponent of 10ⁿ) and 8 px.
 */
const LOG_LABEL_HEIGHT = 25;

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
 * The distance in decades between the two closest labels of a log axis from 10^`lo` to 10^`hi`
 * when plotly picks its ticks from `nticks` (as {@linkcode logLabelLoad} describes): the decade
 * step; within one decade, the linear step (2, 5 or 10 × 10ⁿ, plotly's roundDTick) at the top
 * of the axis, where its ticks lie closest; log10(2) between 1-2-5 steps; log10(10 / 9) between
 * 9 and 10 when every digit is labelled.
 */
function logLabelGap(lo: number, hi: number, nticks: number): number {
  const span = hi - lo;
  const step = span / nticks;
  if (step > 0.7) return Math.ceil(step);
  if (span < 1) {
    const top = 10 ** hi;
    const rough = (top - 10 ** lo) / (1.5 * nticks);
    const base = 10 ** Math.floor(Math.log10(rough));
    const ratio = rough / base;
    const dtick = base * (ratio < 2 ? 2 : ratio < 5 ? 5 : 10);
    return top > dtick ? Math.log10(top / (top - dtick)) : span;
  }
  return step > 0.3 ? Math.log10(2) : Math.log10(10 / 9);
}

/**
 * The settings of an axis of an integer parameter over values from `low` to `high`: ticks on
 * integers only, labelled as integers. Plotly picks ticks at 1-2-5 steps of any size, so a
 * parameter from 1 to 3 gets ticks at 1, 1.5, 2, 2.5 and 3. A linear axis gets ticks every
 * `dtick`, a whole multiple of the parameter's `step`, from `tick0` (the least number ≥ 0 of
 * the form `low` + k × `step`, so that every tick within the parameter's range is a value it
 * takes): the 1-2-5 step plotly would pick for the axis's length (`pixels`, 80 per tick, 40 on a
 * vertical axis, as plotly aims), or a larger one where the labels would not fit side by side,
 * never less than `step`. A log axis over a decade or more keeps {@linkcode logAxisTicks}' for
 * its length and direction (powers of ten and the digits 2 to 9 are integers on an axis ≥ 1);
 * within a decade plotly would label linear fractional steps, and gets linear integer steps
 * instead, on a vertical axis a step large enough for its two top labels (the closest) to be a
 * line of text apart. Zooming keeps the steps.
 *
 * @param low Smallest value on the axis (> 0 for a log axis).
 * @param high Largest value on the axis (≥ low).
 * @param options `step` of the parameter (default 1), `log` axis (default false), the axis's
 * length in `pixels` (default `VIZ_DEFAULTS.width`, or the plot height of a default layout,
 * {@linkcode plotHeight}, when `vertical`) and whether it is `vertical` (default false).
 * @returns Axis settings to spread into {@linkcode axis}'s `extra`.
 *
 * @example
 * ```ts
 * import { axis, integerAxisTicks } from "./figure.ts";
 * integerAxisTicks(1, 3); // { tickmode: "linear", tickformat: "d", tick0: 0, dtick: 1 }
 * integerAxisTicks(8, 64, { pixels: 250 }); // { tickmode: "linear", tickformat: "d", tick0: 0, dtick: 20 }
 * const xaxis = axis("layers", integerAxisTicks(1, 3));
 * ```
 */
export function integerAxisTicks(
  low: number,
  high: number,
  options: { step?: number; log?: boolean; pixels?: number; vertical?: boolean } = {},
): Layout {
  const { step = 1, log = false, vertical = false } = options;
  const pixels = options.pixels ?? (vertical ? plotHeight({}) : VIZ_DEFAULTS.width);
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high && (!log || low > 0))) {
    throw new RangeError(
      `integerAxisTicks: low and high must be finite with ${
        log ? "0 < low" : "low"
      } ≤ high, got ${low} and ${high}`,
    );
  }
  if (!(Number.isInteger(step) && step >= 1)) {
    throw new RangeError(`integerAxisTicks: step must be an integer ≥ 1, got ${step}`);
  }
  if (!(Number.isFinite(pixels) && pixels > 0)) {
    throw new RangeError(`integerAxisTicks: pixels must be a finite number > 0, got ${pixels}`);
  }
  const settings = { tickmode: "linear", tickformat: "d" };
  // Plotly's own tick count (axes.js autoTicks: one per 80 px, 40 px on a y axis, clamped to
  // 4–9, plus one), fewer where the integer labels would not fit side by side.
  const auto = Math.min(Math.max(pixels / (vertical ? 40 : 80), 4), 9) + 1;
  const digits = Math.max(String(Math.round(low)).length, String(Math.round(high)).length);
  const fit = vertical ? Infinity : pixels / (INT_LABEL_GAP + INT_DIGIT_PIXELS * digits);
  const ticks = Math.max(1, Math.min(auto, fit));
  if (log) {
    // Decades on the axis, with the few per cent plotly's autorange pads on either side.
    const pad = (Math.log10(high) - Math.log10(low)) * LOG_AXIS_PAD;
    const span = (Math.log10(high) - Math.log10(low)) + 2 * pad;
    // One value drawn (low = high): plotly's autorange spans about a decade each side of it.
    if (span >= 1 || !(high > low)) return logAxisTicks(low, high, { pixels, vertical });
    // Plotly labels about 1.5 × nticks linear steps within a decade.
    let dtick = niceMultiple((high - low) / (1.5 * ticks), 1);
    if (vertical) {
      // Up, the two top ticks lie closest: a larger step until they are a label's height apart.
      const top = high * 10 ** pad;
      const gap = (d: number) => {
        const highest = Math.floor(top / d) * d;
        return highest > d ? Math.log10(highest / (highest - d)) * pixels / span : Infinity;
      };
      while (gap(dtick) < LOG_LABEL_HEIGHT) dtick = niceMultiple(dtick * 1.5, 1);
    }
    return { type: "log", ...settings, tick0: 0, dtick: `L${dtick}` };
  }
  const dtick = niceMultiple((high - low) / ticks, step);
  // Ticks on multiples of dtick shifted onto the parameter's values (low + k × step).
  return { ...settings, tick0: ((low % step) + step) % step, dtick };
}

/** Pixels an integer tick label needs per digit at the default font size (13 px). */
const INT_DIGIT_PIXELS = 8;
/** Pixels between two integer tick labels. */
const INT_LABEL_GAP = 16;

/** The least `step` × (1, 2 or 5 × 10ⁿ) that is ≥ `rough` (`step` itself at the least). */
function niceMultiple(rough: number, step: number): number {
  const ratio = rough / step;
  if (!(ratio > 1)) return step;
  const base = 10 ** Math.floor(Math.log10(ratio));
  const nice = [1, 2, 5, 10].map((m) => m * base).find((m) => m >= ratio * (1 - 1e-12))!;
  return step * Math.round(nice);
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
