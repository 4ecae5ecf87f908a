/**
 * The pinned `@observablehq/sample-datasets` CSV files (ISC), read as text, loaded at run time,
 * outside the static module graph (see `_npm_files.ts`).
 *
 * @module
 */
import { importNpmText } from "./_npm_files.ts";

/** Folder of the data files, for provenance. */
export const OBSERVABLE_SOURCE = "npm:@observablehq/sample-datasets@1.0.1/";

/**
 * Imports one CSV file as text.
 *
 * @example
 * ```ts
 * import { importObservableCsv } from "./observable_sample_datasets.ts";
 * const text = await importObservableCsv("diamonds.csv"); // 53,940 rows and a header
 * ```
 */
export async function importObservableCsv(file: "diamonds.csv" | "olympians.csv"): Promise<string> {
  if (file !== "diamonds.csv" && file !== "olympians.csv") {
    throw new RangeError(`file: not an Observable sample file metahpo uses: ${file}`);
  }
  // The package exports its data files only (no package.json): a small JSON file installs it.
  return await importNpmText("npm:@observablehq/sample-datasets@1.0.1", file, "miserables.json");
}
