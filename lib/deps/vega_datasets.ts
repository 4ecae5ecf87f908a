/**
 * The pinned `vega-datasets` data files (BSD-3-Clause), one file per call, loaded at run time,
 * outside the static module graph (see `_npm_files.ts`). Version 2.11.0 is used because 3.x
 * restricts its `exports` to the JavaScript entry point, so its data files cannot be imported.
 *
 * @module
 */
import { importNpmJson, importNpmText } from "./_npm_files.ts";

/** Folder of the data files, for provenance. */
export const VEGA_DATASETS_SOURCE = "npm:vega-datasets@2.11.0/data/";

/** A data file of vega-datasets that metahpo uses. */
export type VegaFile =
  | "cars.json"
  | "gapminder.json"
  | "movies.json"
  | "penguins.json"
  | "seattle-weather.csv";

const VEGA_FILES: readonly string[] = [
  "cars.json",
  "gapminder.json",
  "movies.json",
  "penguins.json",
  "seattle-weather.csv",
] satisfies VegaFile[];

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
  if (!VEGA_FILES.includes(file)) {
    throw new RangeError(`file: not a vega-datasets file metahpo uses: ${file}`);
  }
  const pkg = "npm:vega-datasets@2.11.0";
  return file.endsWith(".json")
    ? await importNpmJson(pkg, `data/${file}`)
    : await importNpmText(pkg, `data/${file}`);
}
