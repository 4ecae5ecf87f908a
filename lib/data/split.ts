/**
 * Seeded train / validation / test splits: stratified by class for classification, a plain
 * shuffle for regression. Split sizes are fixed by the fractions, not by chance.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { parseOrThrow } from "../validate.ts";

/** Fractions of rows that go to each part; they sum to 1. */
export interface SplitFractions {
  /** Fraction of rows for training (> 0). */
  train: number;
  /** Fraction of rows for validation (may be 0). */
  validation: number;
  /** Fraction of rows for the final test (may be 0). */
  test: number;
}

/** Row positions of each part, each sorted ascending; together they cover every row once. */
export interface SplitIndices {
  /** Training positions. */
  train: Int32Array;
  /** Validation positions. */
  validation: Int32Array;
  /** Test positions. */
  test: Int32Array;
}

/**
 * Default fractions: 60 % train, 20 % validation, 20 % test.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { shuffledSplit, DATA_SPLIT_DEFAULTS } from "./split.ts";
 * shuffledSplit(50, DATA_SPLIT_DEFAULTS.fractions, new Rng(0));
 * ```
 */
export const DATA_SPLIT_DEFAULTS: { readonly fractions: Readonly<SplitFractions> } = Object.freeze({
  fractions: Object.freeze({ train: 0.6, validation: 0.2, test: 0.2 }),
});

/** Zod schema of {@linkcode SplitFractions} (shared with the preparation options). */
export const splitFractionsSchema: z.ZodType<SplitFractions> = z.object({
  train: z.number().gt(0).max(1),
  validation: z.number().min(0).max(1),
  test: z.number().min(0).max(1),
}).strict().refine(
  (f) => Math.abs(f.train + f.validation + f.test - 1) < 1e-9,
  { message: "train + validation + test must equal 1" },
);

/**
 * Shuffles positions `0..n-1` with a seeded generator and cuts them into parts of sizes
 * `round(n·test)`, `round(n·validation)` and the rest for training.
 *
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { shuffledSplit } from "./split.ts";
 * const parts = shuffledSplit(10, { train: 0.6, validation: 0.2, test: 0.2 }, new Rng(1));
 * // parts.train.length === 6, parts.validation.length === 2, parts.test.length === 2
 * ```
 */
export function shuffledSplit(n: number, fractions: SplitFractions, rng: Rng): SplitIndices {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`n: must be a positive integer, got ${n}`);
  }
  const f = parseOrThrow(splitFractionsSchema, fractions, "fractions");
  assertRng(rng);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const nTest = Math.min(Math.round(n * f.test), n - 1);
  const nValidation = Math.min(Math.round(n * f.validation), n - nTest - 1);
  return {
    test: sorted(order.slice(0, nTest)),
    validation: sorted(order.slice(nTest, nTest + Math.max(0, nValidation))),
    train: sorted(order.slice(nTest + Math.max(0, nValidation))),
  };
}

/**
 * Splits positions so that each class keeps its proportion in every part. Per class, rows are
 * shuffled with the generator (classes in ascending label order) and the class's test and
 * validation counts come from a largest-remainder allocation of `round(n·test)` and
 * `round(n·validation)` over classes; a class never gives away its last training row.
 *
 * @param labels Class index of each row (non-negative integers).
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { stratifiedSplit } from "./split.ts";
 * const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
 * const parts = stratifiedSplit(labels, { train: 0.6, validation: 0.2, test: 0.2 }, new Rng(1));
 * // each part holds as many 0s as 1s
 * ```
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fractions: SplitFractions,
  rng: Rng,
): SplitIndices {
  const n = labels?.length;
  if (!Number.isInteger(n) || n < 1) throw new RangeError("labels: must be a non-empty array");
  const f = parseOrThrow(splitFractionsSchema, fractions, "fractions");
  assertRng(rng);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new RangeError(
        `labels[${i}]: must be a non-negative integer class index, got ${label}`,
      );
    }
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const groups = classes.map((c) => rng.shuffle(byClass.get(c)!));
  const sizes = groups.map((g) => g.length);
  const spare = sizes.map((s) => s - 1); // rows each class can give away (keeps one for training)
  const testCounts = allocate(Math.round(n * f.test), sizes.map((s) => s * f.test), spare);
  const left = spare.map((s, c) => s - testCounts[c]);
  const validationCounts = allocate(
    Math.round(n * f.validation),
    sizes.map((s) => s * f.validation),
    left,
  );
  const nTest = testCounts.reduce((a, b) => a + b, 0);
  const nValidation = validationCounts.reduce((a, b) => a + b, 0);
  const test = new Int32Array(nTest);
  const validation = new Int32Array(nValidation);
  const train = new Int32Array(n - nTest - nValidation);
  // Copied position by position: spreading a class into push() overflows the call stack once it
  // passes ~10⁵ rows.
  let t = 0, v = 0, r = 0;
  groups.forEach((group, c) => {
    const toValidation = testCounts[c] + validationCounts[c];
    for (let k = 0; k < group.length; k++) {
      if (k < testCounts[c]) test[t++] = group[k];
      else if (k < toValidation) validation[v++] = group[k];
      else train[r++] = group[k];
    }
  });
  return { train: train.sort(), validation: validation.sort(), test: test.sort() };
}

/**
 * A seeded subsample of at most `maxRows` row positions, sorted ascending (rows keep their source
 * order). With class labels it is stratified: the positions are the training part of
 * {@linkcode stratifiedSplit} with fractions `maxRows / n` and `1 − maxRows / n` (largest-remainder
 * allocation over classes in ascending label order; every class keeps at least one row); with a
 * row count it is uniform without replacement ({@linkcode shuffledSplit}). When there are at most
 * `maxRows` rows every position is returned and `rng` is not used.
 *
 * @param rows Class label of each row (classification: stratified) or the number of rows (uniform).
 * @param maxRows Largest number of positions kept (at least 1; `Infinity` keeps all; with labels
 * and more than `maxRows` rows, at least the number of classes).
 * @throws {RangeError} for a bad row count or `maxRows`, or naming `maxRows` and the class count
 * when a stratified subsample is asked for fewer rows than there are classes; `TypeError` when
 * `rng` is not an `Rng`.
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { subsampleRows } from "./split.ts";
 * const labels = ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b"];
 * const kept = subsampleRows(labels, 5, new Rng(0)); // 3 rows of "a" and 2 of "b"
 * const uniform = subsampleRows(1000, 100, new Rng(0)); // 100 sorted positions in [0, 1000)
 * ```
 */
export function subsampleRows(
  rows: number | ArrayLike<string>,
  maxRows: number,
  rng: Rng,
): Int32Array {
  const n = typeof rows === "number" ? rows : rows?.length;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError("rows: must be a positive row count or a non-empty array of labels");
  }
  if (!(maxRows === Infinity || (Number.isInteger(maxRows) && maxRows >= 1))) {
    throw new RangeError(`maxRows: must be a positive integer or Infinity, got ${maxRows}`);
  }
  if (n <= maxRows) return Int32Array.from({ length: n }, (_, i) => i);
  assertRng(rng);
  const fractions = { train: maxRows / n, validation: 0, test: 1 - maxRows / n };
  if (typeof rows === "number") return shuffledSplit(n, fractions, rng).train;
  const labels = Array.from(rows, String);
  const classes = [...new Set(labels)].sort();
  if (classes.length > maxRows) {
    throw new RangeError(
      `maxRows: ${maxRows} is below the ${classes.length} classes; a stratified subsample keeps ` +
        `every class, so it needs maxRows ≥ ${classes.length}`,
    );
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  return stratifiedSplit(labels.map((l) => index.get(l)!), fractions, rng).train;
}

/**
 * The `maxRows` option of the dataset loaders: an integer ≥ 2 or `Infinity` (one schema, so the
 * message says both; a union would report only its last branch).
 */
export const maxRowsSchema = z.union([z.number(), z.literal(Infinity)], {
  error: "must be an integer ≥ 2 or Infinity",
}).refine(
  (v) => v === Infinity || (Number.isInteger(v) && v >= 2),
  "must be an integer ≥ 2 or Infinity",
);

/** Hamilton (largest remainder) allocation of `total` units by `quotas`, capped by `caps`. */
function allocate(total: number, quotas: number[], caps: number[]): number[] {
  const counts = quotas.map((q, c) => Math.min(Math.floor(q), caps[c]));
  let remaining = total - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((_, c) => c).sort((a, b) =>
    (quotas[b] - Math.floor(quotas[b])) - (quotas[a] - Math.floor(quotas[a])) || a - b
  );
  // Several passes: a class at its cap is skipped and the unit goes to the next one.
  while (remaining > 0) {
    let given = false;
    for (const c of order) {
      if (remaining === 0) break;
      if (counts[c] < caps[c]) {
        counts[c]++;
        remaining--;
        given = true;
      }
    }
    if (!given) break;
  }
  return counts;
}

function sorted(values: number[]): Int32Array {
  return Int32Array.from(values).sort();
}

function assertRng(rng: Rng): void {
  if (!(rng instanceof Rng)) throw new TypeError("rng: must be an Rng");
}
