/**
 * Figures and tables for Jupyter (the Deno kernel) and for static HTML.
 *
 * A displayed figure carries `application/vnd.plotly.v1+json` (rendered natively by JupyterLab
 * and VS Code) and a `text/html` fallback for the classic Notebook, JupyterLab without the plotly
 * renderer and nbconvert's HTML: a `<div>` and a script calling `Plotly.newPlot`. That fallback
 * needs plotly.js in the page, and no single figure output may be the only one holding it (a
 * re-run cell replaces its output; a client may drop an output), so:
 *
 * - {@linkcode plotlySetup} displays an idempotent setup output inlining plotly.js (4.85 MB, no
 *   network), as plotly's `init_notebook_mode` does; put `await plotlySetup()` in a notebook's
 *   first cell. Until a setup output was displayed, the first figure of a kernel session inlines
 *   the bundle instead.
 * - Every figure's script draws at once when `window.Plotly` exists; otherwise it queues itself
 *   (a setup output anywhere in the page drains the queue), waits briefly for one, then loads the
 *   pinned plotly.js from its CDN once per page, and if that fails too writes a visible
 *   explanation into the figure's place instead of leaving it blank.
 * - Where scripts do not run at all (GitHub's notebook view, sanitised HTML exports), the
 *   figure's element keeps its static content: the figure's title and where to see it drawn. The
 *   script replaces that content when it runs.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { loadPlotlyBundle, PLOTLY_VERSION } from "../deps/plotly.ts";
import type { Figure } from "./figure.ts";
import {
  compactJson,
  escapeHtml,
  isPlainObject,
  moreRowsText,
  pathKey,
  TABLE_CSS,
  tableHtml,
  type TableLike,
  tableLimitSchema,
  tableRecords,
} from "./table.ts";
import { parseOrThrow } from "../validate.ts";

/** A MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, unknown>;

/**
 * The symbol through which the Deno Jupyter kernel asks an object for its MIME bundle.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY } from "./display.ts";
 * const hello = { [JUPYTER_DISPLAY]: () => ({ "text/html": "<b>hello</b>" }) };
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** An object the Deno Jupyter kernel displays through {@linkcode JUPYTER_DISPLAY}. */
export interface Displayable {
  /** Returns the MIME bundle to display. */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/**
 * How figures find plotly.js when the page has none: `cdn` is the pinned bundle's address on
 * plotly's CDN (used only when no setup output provided plotly.js); `waitMs` is how long a figure
 * waits for a setup output before loading from the CDN; `timeoutMs` is how long it gives the CDN
 * before explaining in place why it cannot draw.
 *
 * @example
 * ```ts
 * import { PLOTLY_LOADER_DEFAULTS } from "./display.ts";
 * PLOTLY_LOADER_DEFAULTS.cdn; // "https://cdn.plot.ly/plotly-3.7.0.min.js"
 * ```
 */
export const PLOTLY_LOADER_DEFAULTS: {
  readonly cdn: string;
  readonly waitMs: number;
  readonly timeoutMs: number;
} = {
  cdn: `https://cdn.plot.ly/plotly-${PLOTLY_VERSION}.min.js`,
  waitMs: 400,
  timeoutMs: 10_000,
};

const QUEUE = "__metahpoPlotlyQueue";
const LOAD = "__metahpoLoadPlotly";
const PLOTLY_CONFIG = { responsive: true, displaylogo: false };
const MISSING_MESSAGE =
  "This figure needs plotly.js, which is not loaded in this page and could not be fetched " +
  `from ${PLOTLY_LOADER_DEFAULTS.cdn}. Run a cell with <code>await plotlySetup()</code> ` +
  "(metahpo) to load it offline, then re-run this cell; or open the page online.";

const figureSchema = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  layout: z.record(z.string(), z.unknown()),
});

// Ids of figures shown one by one (notebook outputs share one page): unique by this count.
let figureCount = 0;
let bundleShown = false;

/**
 * `value` as plain JSON data, as the Deno kernel and `JSON.stringify` carry it: typed arrays (any
 * `ArrayBuffer` view but a `DataView`) become plain arrays at any depth and a valid `Date` its ISO
 * text; numbers (NaN and ±Infinity included), strings, booleans, null and undefined stay as they
 * are. Anything JSON cannot carry faithfully (a function, bigint, symbol, `Map`, `Set`, an invalid
 * `Date`, an instance of another class, a cycle) is a `TypeError` naming its path.
 */
function plainJson(value: unknown, path: string, ancestors: Set<object> = new Set()): unknown {
  const refuse = (what: string): never => {
    throw new TypeError(`${path}: ${what} cannot be shown`);
  };
  switch (typeof value) {
    case "function":
      return refuse("a function");
    case "bigint":
      return refuse(`a bigint (${value}n)`);
    case "symbol":
      return refuse("a symbol");
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? refuse("an invalid Date") : value.toISOString();
  }
  if (ancestors.has(value)) refuse("a circular reference");
  const isView = ArrayBuffer.isView(value) && !(value instanceof DataView);
  const isArray = Array.isArray(value);
  if (!isView && !isArray && !isPlainObject(value)) {
    refuse(`a ${Object.getPrototypeOf(value)?.constructor?.name || "object of a class"}`);
  }
  ancestors.add(value);
  let plain: unknown;
  if (isView || isArray) {
    plain = Array.from(
      value as ArrayLike<unknown>,
      (item, i) => plainJson(item, `${path}[${i}]`, ancestors),
    );
  } else {
    const object = value as Record<string, unknown>;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      copy[key] = plainJson(object[key], path + pathKey(key), ancestors);
    }
    plain = copy;
  }
  ancestors.delete(value);
  return plain;
}

/**
 * A checked figure as plain JSON data (see {@linkcode plainJson}): what both the plotly JSON part
 * and the HTML script carry, so that they show the same figure.
 */
function plainFigure(figure: Figure, label: string): Figure {
  parseOrThrow(figureSchema, figure, label);
  return {
    data: plainJson(figure.data, `${label}.data`) as Figure["data"],
    layout: plainJson(figure.layout, `${label}.layout`) as Figure["layout"],
  };
}

// FNV-1a of a figure's JSON: the deterministic part of its element id. It is unique within a page
// only together with a suffix: the count of figures shown (figureHtml, showFigure), or the figure's
// position in the page (pageFigureHtml: the same report renders to the same HTML).
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

// JSON safe inside <script>: "<" only occurs inside JSON strings, where \u003c means the same.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

// The page-wide loader, defined by the first figure that finds no plotly.js: after a short wait
// for a setup output, one <script src> from the CDN; on failure every waiting figure says why.
const LOADER_JS = `window.${LOAD}=window.${LOAD}||function(){
if(window.${LOAD}.started){return;}window.${LOAD}.started=true;
function drain(){if(window.Plotly){(window.${QUEUE}||[]).splice(0).forEach(function(d){d();});}}
function fail(){if(!window.Plotly){(window.${QUEUE}||[]).forEach(function(d){d(true);});}}
setTimeout(function(){
if(window.Plotly){drain();return;}
var s=document.createElement("script");s.src=${JSON.stringify(PLOTLY_LOADER_DEFAULTS.cdn)};
s.onload=function(){if(window.Plotly){drain();}else{fail();}};s.onerror=fail;
(document.head||document.documentElement).appendChild(s);
setTimeout(fail,${PLOTLY_LOADER_DEFAULTS.timeoutMs});
},${PLOTLY_LOADER_DEFAULTS.waitMs});
};`;

/** Plotly's text (tags such as `<br>`, `<b>`, `<sup>`, and a few entities) as plain text. */
function plotlyPlainText(text: string): string {
  return text.replace(/<br\s*\/?>/gi, " ").replace(/<\/?[A-Za-z][^<>]*>/g, "")
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ENTITIES[name])
    .replace(/\s+/g, " ").trim();
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" };

/**
 * The static content of a figure's element, shown where scripts do not run (GitHub's notebook
 * view, sanitised HTML exports): the figure's title and where to see the figure drawn.
 */
function staticFigureHtml(layout: Figure["layout"]): string {
  const title = layout.title;
  const text = typeof title === "string"
    ? title
    : typeof (title as { text?: unknown } | undefined)?.text === "string"
    ? (title as { text: string }).text
    : "";
  const plain = plotlyPlainText(text);
  return `<p class="metahpo-plot-static" style="padding:1em;border:1px dashed #999;color:#555;font:14px sans-serif">${
    plain === "" ? "" : `<b>${escapeHtml(plain)}</b><br>`
  }${STATIC_MESSAGE}</p>`;
}

const STATIC_MESSAGE =
  "An interactive plotly figure, drawn by JavaScript: where it does not appear, this view runs " +
  "no scripts. To see it, run the notebook in Jupyter, or open the HTML page (a notebook's " +
  "export or the bench report) in a browser with JavaScript.";

/**
 * The `<div>` and script that draw a figure with `Plotly.newPlot`. Until the script runs, and
 * where scripts do not run at all, the `<div>` shows the figure's title and where to see it drawn
 * (an interactive plotly figure needs JavaScript: run the notebook, or open the page in a
 * browser). Without plotly.js in the page, the script waits for a setup output
 * ({@linkcode plotlyLoaderHtml}), then loads plotly.js from its CDN, and failing that explains in
 * the figure's place why it cannot draw. The figure's data is taken as {@linkcode showFigure}
 * takes it (typed arrays as plain arrays; a value JSON cannot carry is a `TypeError` naming its
 * path).
 *
 * @example
 * ```ts
 * import { figureHtml } from "./display.ts";
 * const html = figureHtml({ data: [{ type: "scatter", x: [0, 1], y: [1, 0] }], layout: {} });
 * ```
 */
export function figureHtml(figure: Figure): string {
  return plainFigureHtml(plainFigure(figure, "figureHtml: figure"));
}

/**
 * @internal {@linkcode figureHtml} for a page that numbers its figures (the report): the element
 * id comes from the figure's JSON and its `position` in the page (an integer ≥ 1, distinct per
 * figure), so that the same page renders to the same HTML.
 */
export function pageFigureHtml(figure: Figure, position: number): string {
  if (!Number.isInteger(position) || position < 1) {
    throw new RangeError(`pageFigureHtml: position: must be an integer ≥ 1, got ${position}`);
  }
  return plainFigureHtml(plainFigure(figure, "figureHtml: figure"), `p${position}`);
}

// The figure's element and script; `suffix` makes its id unique in the page (default: the count
// of figures shown).
function plainFigureHtml(figure: Figure, suffix?: string): string {
  const json = scriptJson({ data: figure.data, layout: figure.layout });
  const id = `metahpo-plot-${hash(json)}-${suffix ?? ++figureCount}`;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 420;
  // The element is found through document.currentScript when the page runs the script inline
  // (nbconvert, the report) and by id when a notebook front end inserts it dynamically. Drawing
  // waits for the page to be parsed, so that a figure in a grid gets its final width.
  return `<div id="${id}" class="metahpo-plot" style="width:100%;min-height:${height}px">${
    staticFigureHtml(figure.layout)
  }</div>
<script type="text/javascript">(function(){
var el=(document.currentScript&&document.currentScript.previousElementSibling)||document.getElementById("${id}");
var fig=${json};
var message=${JSON.stringify(MISSING_MESSAGE)};
function draw(missing){if(missing){el.innerHTML='<p class="metahpo-plot-missing" style="padding:1em;border:1px dashed #d62728;color:#8a1c1c;font:14px sans-serif">'+message+"</p>";return;}
el.innerHTML="";window.Plotly.newPlot(el,fig.data,fig.layout,${JSON.stringify(PLOTLY_CONFIG)});}
function ready(){if(window.Plotly){draw();return;}
(window.${QUEUE}=window.${QUEUE}||[]).push(draw);
${LOADER_JS}
window.${LOAD}();}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",ready);}else{ready();}
})();</script>`;
}

/**
 * Script elements inlining the plotly.js bundle (no network) unless the page already has
 * plotly.js, then drawing the figures queued by {@linkcode figureHtml}. Put it once per page,
 * anywhere; repeating it is harmless.
 *
 * @example
 * ```ts
 * import { plotlyLoaderHtml } from "./display.ts";
 * const head = await plotlyLoaderHtml(); // "<script …>/* plotly.js v3.7.0 …"
 * ```
 */
export async function plotlyLoaderHtml(): Promise<string> {
  const bundle = (await loadPlotlyBundle()).replace(/<\/script/gi, "<\\/script");
  return `<script type="text/javascript">/* metahpo: plotly.js ${PLOTLY_VERSION}, inlined */
if(!window.Plotly){
${bundle}
}
</script>
<script type="text/javascript">(window.${QUEUE}||[]).splice(0).forEach(function(draw){draw();});</script>`;
}

/**
 * The setup output as a display bundle: plotly.js inlined in `text/html` (idempotent in the
 * page), and a line of plain text. {@linkcode plotlySetup} displays it from a notebook.
 *
 * @example
 * ```ts
 * import { plotlySetupBundle } from "./display.ts";
 * const bundle = await plotlySetupBundle(); // { "text/html": "<script …", "text/plain": "…" }
 * ```
 */
export async function plotlySetupBundle(): Promise<MimeBundle> {
  return {
    "text/html": `${await plotlyLoaderHtml()}
<div class="metahpo-plotly-setup" style="color:#666;font:12px sans-serif">plotly.js ${PLOTLY_VERSION} loaded for this notebook's figures (offline).</div>`,
    "text/plain": `plotly.js ${PLOTLY_VERSION} loaded for this notebook's figures (offline)`,
  };
}

/**
 * Loads plotly.js into the notebook page once, offline, like plotly's `init_notebook_mode`:
 * displays {@linkcode plotlySetupBundle} through the Deno kernel and waits until the kernel has
 * published it (so that clients which stop reading at the cell's end keep it). Figures shown
 * afterwards do not inline the bundle; re-running any figure cell keeps them drawable, and
 * re-running this cell is harmless. Put `await plotlySetup()` in a notebook's first cell.
 * Throws outside a Jupyter kernel.
 *
 * @example
 * ```ts ignore
 * import { plotlySetup } from "./display.ts";
 * await plotlySetup(); // first cell of a notebook
 * ```
 */
export async function plotlySetup(options: PlotlySetupOptions = {}): Promise<void> {
  const display = options.display ?? kernelDisplay();
  if (typeof display !== "function") {
    throw new TypeError("plotlySetup: options.display: must be a function");
  }
  const flushMs = options.flushMs ?? 250;
  if (!(Number.isFinite(flushMs) && flushMs >= 0)) {
    throw new RangeError(`plotlySetup: options.flushMs: must be a number ≥ 0, got ${flushMs}`);
  }
  await display(await plotlySetupBundle(), { raw: true });
  bundleShown = true;
  // The kernel publishes displays asynchronously; give it time to do so before the cell ends.
  await new Promise((resolve) => setTimeout(resolve, flushMs));
}

/** Options of {@linkcode plotlySetup}. */
export interface PlotlySetupOptions {
  /** Milliseconds to wait after displaying, so that the kernel publishes it (default 250). */
  flushMs?: number;
  /** The display function (default: the Deno kernel's `Deno.jupyter.display`). */
  display?: (bundle: MimeBundle, options: { raw: true }) => unknown;
}

function kernelDisplay(): (bundle: MimeBundle, options: { raw: true }) => unknown {
  let jupyter: JupyterApi | undefined;
  try {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    jupyter = (globalThis as { Deno?: { jupyter?: JupyterApi } }).Deno?.jupyter;
  } catch {
    jupyter = undefined;
  }
  if (!jupyter || typeof jupyter.display !== "function") {
    throw new Error(
      "plotlySetup: not running in a Jupyter kernel (Deno.jupyter is unavailable); in HTML " +
        "pages use plotlyLoaderHtml()",
    );
  }
  return (bundle, options) => jupyter.display(bundle, options);
}

interface JupyterApi {
  display(bundle: MimeBundle, options: { raw: boolean }): unknown;
}

/**
 * A figure for the Deno Jupyter kernel: make it a cell's last expression, or pass it to
 * `Deno.jupyter.display`. Until {@linkcode plotlySetup} has run in the kernel session, the first
 * figure displayed inlines plotly.js in its HTML fallback; every figure can load it when the page
 * lacks it.
 *
 * The figure is copied as plain JSON data when `showFigure` is called: typed arrays (such as
 * `metaTrain(…).losses`, a `Float64Array`) become plain arrays at any depth and a `Date` its ISO
 * text, as `JSON.stringify` writes it; NaN and ±Infinity are left as they are (the notebook, as
 * JSON, holds them as null: a gap in the trace). A value JSON cannot carry faithfully (a
 * function, bigint, symbol, `Map`, `Set`, an invalid `Date`, an instance of another class, a
 * cycle) is a `TypeError` naming its path
 * (`showFigure: figure.data[0].marker.color: a function cannot be shown`).
 *
 * @example
 * ```ts
 * import { showFigure } from "./display.ts";
 * const shown = showFigure({ data: [{ type: "bar", x: ["a", "b"], y: [2, 3] }], layout: {} });
 * showFigure({ data: [{ type: "scatter", y: new Float64Array([5, 3, 2.5]) }], layout: {} });
 * ```
 */
export function showFigure(figure: Figure): Displayable {
  const plain = plainFigure(figure, "showFigure: figure");
  const title = (plain.layout.title as { text?: string } | undefined)?.text ?? "untitled";
  return {
    async [JUPYTER_DISPLAY]() {
      const inline = !bundleShown;
      const bundle = {
        "application/vnd.plotly.v1+json": { data: plain.data, layout: plain.layout },
        "text/html": (inline ? await plotlyLoaderHtml() : "") + plainFigureHtml(plain),
        "text/plain": `plotly figure: ${title} (${plain.data.length} traces)`,
      };
      bundleShown = true; // only now: a figure that could not be built leaves the bundle unshown
      return bundle;
    },
  };
}

/** How many rows {@linkcode showTable} shows unless told, as arquero's `toHTML`. */
const SHOW_TABLE_LIMIT = 100;

/** The options of {@linkcode showTable}; strict, so a misspelt key is an error naming it. */
const showTableOptionsSchema = z.strictObject({
  caption: z.string().optional(),
  limit: tableLimitSchema.optional(),
});

/**
 * A table for the Deno Jupyter kernel: escaped HTML with formatted numbers
 * ({@linkcode tableHtml}), and plain text with one JSON line per record. A nested plain object
 * becomes dotted columns in the HTML (`showTable(result.trials)` has `params.lr`, `params.units`,
 * as Optuna's `trials_dataframe`), arrays and other objects compact JSON; the plain text keeps
 * each record whole as JSON. Both show the first `options.limit` rows (default 100;
 * `limit: Infinity` for all) and count the rest in a last line (`… 1,900 more rows (2,000 in
 * all)`). Options are strict: an unknown key (`{ captoin }`) is a `TypeError` naming it.
 *
 * @example
 * ```ts
 * import { showTable } from "./display.ts";
 * const shown = showTable([{ method: "random", regret: 0.75 }], { caption: "branin" });
 * showTable([{ id: 0, params: { lr: 0.01, units: 32 } }]); // columns id, params.lr, params.units
 * ```
 */
export function showTable(
  table: TableLike,
  options: { caption?: string; limit?: number } = {},
): Displayable {
  parseOrThrow(showTableOptionsSchema, options, "showTable: options");
  const limit = options.limit ?? SHOW_TABLE_LIMIT;
  const html = tableHtml(table, { caption: options.caption, limit });
  const records = tableRecords(table);
  const more = moreRowsText(records.length, limit);
  const text = [...records.slice(0, limit).map((r) => compactJson(r)), ...(more ? [more] : [])]
    .join("\n");
  return {
    [JUPYTER_DISPLAY]() {
      return { "text/html": `<style>${TABLE_CSS}</style>${html}`, "text/plain": text };
    },
  };
}
