/**
 * The pinned plotly.js browser bundle, read as text so that it can be inlined into offline HTML
 * (reports, notebook renderings). plotly itself never runs in Deno: it needs a `window`.
 *
 * The bundle (4.85 MB) is loaded at run time, outside the static module graph (see
 * `_npm_files.ts`), so importing the library neither loads nor downloads it. 3.x is pinned on
 * purpose: 4.x dropped MathJax 2, which the classic Notebook and nbconvert's HTML templates load.
 *
 * @module
 */
import { importNpmText } from "./_npm_files.ts";

/** The pinned plotly.js version. */
export const PLOTLY_VERSION = "3.7.0";

/**
 * The minified plotly.js bundle as text.
 *
 * @example
 * ```ts
 * import { loadPlotlyBundle } from "./plotly.ts";
 * const source = await loadPlotlyBundle(); // "/**\n* plotly.js v3.7.0 …"
 * ```
 */
export async function loadPlotlyBundle(): Promise<string> {
  return await importNpmText(`npm:plotly.js-dist-min@${PLOTLY_VERSION}`, "plotly.min.js");
}
