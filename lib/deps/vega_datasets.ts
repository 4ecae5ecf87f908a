// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned `vega-datasets` data files (BSD-3-Clause), imported lazily, one file per call.
 * Version 2.11.0 is used because 3.x restricts its `exports` to the JavaScript entry point, so
 * its data files cannot be imported.
 *
 * @module
 */

/** Folder of the data files, for provenance. */
export const VEGA_DATASETS_SOURCE = "npm:vega-datasets@2.11.0/data/";

/** A data file of vega-datasets that metahpo uses. */
export type VegaFile =
  | "cars.json"
  | "gapminder.json"
  | "movies.json"
  | "penguins.json"
  | "seattle-weather.csv";

/**
 * Imports one data file: parsed JSON for `.json`, text for `.csv`.
 *
 * @example
 * ```ts
 * import { importVegaFile } from "./vega_datasets.ts";
 * const cars = await importVegaFile("cars.json"); // 406 records
 * ```
 */
export async function importVegaFile(file: VegaFile): Promise<unknown> {
  // Each import names its file literally so that Deno can resolve and cache it ahead of time.
  switch (file) {
    case "cars.json":
      return (await import("npm:vega-datasets@2.11.0/data/cars.json", { with: { type: "json" } }))
        .default;
    case "gapminder.json":
      return (await import("npm:vega-datasets@2.11.0/data/gapminder.json", {
        with: { type: "json" },
      })).default;
    case "movies.json":
      return (await import("npm:vega-datasets@2.11.0/data/movies.json", {
        with: { type: "json" },
      })).default;
    case "penguins.json":
      return (await import("npm:vega-datasets@2.11.0/data/penguins.json", {
        with: { type: "json" },
      })).default;
    case "seattle-weather.csv":
      return (await import("npm:vega-datasets@2.11.0/data/seattle-weather.csv", {
        with: { type: "text" },
      })).default;
    default:
      throw new RangeError(`file: not a vega-datasets file metahpo uses: ${file}`);
  }
}
