// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned plotly.js browser bundle, read as text so that it can be inlined into offline HTML
 * (reports, notebook renderings). plotly itself never runs in Deno: it needs a `window`.
 *
 * The bundle (4.85 MB) is loaded lazily through a dynamic text import, so importing the library
 * does not load it. 3.x is pinned on purpose: 4.x dropped MathJax 2, which the classic Notebook
 * and nbconvert's HTML templates load.
 *
 * @module
 */

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
  // A full npm: specifier, as everywhere in lib/deps: URL importers do not get our import map.
  const bundle = await import("npm:plotly.js-dist-min@3.7.0/plotly.min.js", {
    with: { type: "text" },
  });
  return bundle.default;
}
