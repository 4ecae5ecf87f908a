// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned `@observablehq/sample-datasets` CSV files (ISC), imported lazily as text.
 *
 * @module
 */

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
  switch (file) {
    case "diamonds.csv":
      return (await import("npm:@observablehq/sample-datasets@1.0.1/diamonds.csv", {
        with: { type: "text" },
      })).default;
    case "olympians.csv":
      return (await import("npm:@observablehq/sample-datasets@1.0.1/olympians.csv", {
        with: { type: "text" },
      })).default;
    default:
      throw new RangeError(`file: not an Observable sample file metahpo uses: ${file}`);
  }
}
