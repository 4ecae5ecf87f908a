/**
 * Figures and tables for Jupyter (the Deno kernel) and for static HTML.
 *
 * A displayed figure carries `application/vnd.plotly.v1+json` (rendered natively by JupyterLab
 * and VS Code) and a `text/html` fallback for the classic Notebook and nbconvert's HTML: a `<div>`
 * and a script calling `Plotly.newPlot`. The fallback needs plotly.js in the page, so the first
 * figure displayed in a kernel session also carries the inlined bundle (4.85 MB, no network);
 * figure scripts that run before the bundle queue themselves and are drawn once it has loaded.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { loadPlotlyBundle, PLOTLY_VERSION } from "../deps/plotly.ts";
import type { Figure } from "./figure.ts";
import { TABLE_CSS, tableHtml, type TableLike, tableRecords } from "./table.ts";
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

const QUEUE = "__metahpoPlotlyQueue";
const PLOTLY_CONFIG = { responsive: true, displaylogo: false };

const figureSchema = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  layout: z.record(z.string(), z.unknown()),
});

let figureCount = 0;
let loaderSent = false;

// FNV-1a: a short, deterministic id (the same report renders to the same HTML).
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

/**
 * The `<div>` and script that draw a figure with `Plotly.newPlot`, in a page where plotly.js is
 * (or will be) loaded by {@linkcode plotlyLoaderHtml}.
 *
 * @example
 * ```ts
 * import { figureHtml } from "./display.ts";
 * const html = figureHtml({ data: [{ type: "scatter", x: [0, 1], y: [1, 0] }], layout: {} });
 * ```
 */
export function figureHtml(figure: Figure): string {
  parseOrThrow(figureSchema, figure, "figureHtml: figure");
  const json = scriptJson({ data: figure.data, layout: figure.layout });
  const id = `metahpo-plot-${hash(json)}-${++figureCount}`;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 420;
  // The element is found through document.currentScript when the page runs the script inline
  // (nbconvert, the report) and by id when a notebook front end inserts it dynamically. Drawing
  // waits for the page to be parsed, so that a figure in a grid gets its final width.
  return `<div id="${id}" class="metahpo-plot" style="width:100%;min-height:${height}px"></div>
<script type="text/javascript">(function(){
var el=(document.currentScript&&document.currentScript.previousElementSibling)||document.getElementById("${id}");
var fig=${json};
function draw(){window.Plotly.newPlot(el,fig.data,fig.layout,${JSON.stringify(PLOTLY_CONFIG)});}
function ready(){if(window.Plotly){draw();}else{(window.${QUEUE}=window.${QUEUE}||[]).push(draw);}}
if(document.readyState==="loading"){document.addEventListener("DOMContentLoaded",ready);}else{ready();}
})();</script>`;
}

/**
 * A script element inlining the plotly.js bundle (no network), which then draws the figures
 * queued by {@linkcode figureHtml}. Put it once per page, anywhere.
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
 * A figure for the Deno Jupyter kernel: make it a cell's last expression, or pass it to
 * `Deno.jupyter.display`. The first figure of a kernel session inlines plotly.js in its HTML
 * fallback.
 *
 * @example
 * ```ts
 * import { showFigure } from "./display.ts";
 * const shown = showFigure({ data: [{ type: "bar", x: ["a", "b"], y: [2, 3] }], layout: {} });
 * ```
 */
export function showFigure(figure: Figure): Displayable {
  parseOrThrow(figureSchema, figure, "showFigure: figure");
  const title = (figure.layout.title as { text?: string } | undefined)?.text ?? "untitled";
  return {
    async [JUPYTER_DISPLAY]() {
      const loader = loaderSent ? "" : await plotlyLoaderHtml();
      loaderSent = true;
      return {
        "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout },
        "text/html": loader + figureHtml(figure),
        "text/plain": `plotly figure: ${title} (${figure.data.length} traces)`,
      };
    },
  };
}

/**
 * A table for the Deno Jupyter kernel: escaped HTML with formatted numbers, and plain text.
 *
 * @example
 * ```ts
 * import { showTable } from "./display.ts";
 * const shown = showTable([{ method: "random", regret: 0.75 }], { caption: "branin" });
 * ```
 */
export function showTable(table: TableLike, options: { caption?: string } = {}): Displayable {
  const html = tableHtml(table, options);
  const records = tableRecords(table);
  const text = records.map((r) => JSON.stringify(r)).join("\n");
  return {
    [JUPYTER_DISPLAY]() {
      return { "text/html": `<style>${TABLE_CSS}</style>${html}`, "text/plain": text };
    },
  };
}
