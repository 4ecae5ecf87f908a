/**
 * Standardisation by `prepareDataset` and `encodeFeatures` on columns of large magnitude: the
 * training mean and population standard deviation are the true ones (the plain sums where they are
 * finite, bit for bit; values times a power of two where they overflow), and a score beyond the
 * float64 range is a `DataError` naming the column.
 */
import assert from "node:assert/strict";
import {
  DataError,
  encodeFeatures,
  prepareDataset,
  type PreparedDataset,
  tableFromCsv,
} from "../../lib/data/mod.ts";

const N = 20;
const label = (i: number) => (i < N / 2 ? "a" : "b");

/** A table with feature `h` (cell text per row) and a two-class target `y`. */
function prepared(cell: (i: number) => string, seed = 0): PreparedDataset {
  const csv = "h,y\n" + Array.from({ length: N }, (_, i) => `${cell(i)},${label(i)}`).join("\n");
  return prepareDataset(tableFromCsv(csv).table, { target: "y", seed });
}

function numericSpec(d: PreparedDataset) {
  const spec = d.transform.columns[0];
  assert.equal(spec.kind, "numeric");
  return spec as { mean: number; std: number };
}

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: ${actual}, expected ${expected}`,
  );
}

Deno.test("prepareDataset standardises a column of values 1e160…2e160 like the same column / 1e160", () => {
  // Squares of the deviations (~1e320) overflow; the scores are scale-free.
  for (const seed of [0, 1, 2]) {
    const big = prepared((i) => `${i + 1}e160`, seed);
    const small = prepared((i) => `${i + 1}`, seed);
    const b = numericSpec(big), s = numericSpec(small);
    close(b.mean, s.mean * 1e160, 1e-14, "mean");
    close(b.std, s.std * 1e160, 1e-14, "std");
    assert.ok(b.std < Infinity);
    for (const part of ["train", "validation", "test"] as const) {
      assert.equal(big[part].x.length, small[part].x.length);
      big[part].x.forEach((z, i) => close(z, small[part].x[i], 1e-12, `${part}.x[${i}]`));
    }
    assert.ok(new Set(big.train.x).size > 2, "the scores are not all zero");
  }
});

Deno.test("prepareDataset: values ±1.5e308 (their sum overflows) get mean 0, std 1.5e308, scores ±1", () => {
  const d = prepared((i) => (i < N / 2 ? "-1.5e308" : "1.5e308"));
  const { mean, std } = numericSpec(d);
  assert.equal(mean, 0);
  close(std, 1.5e308, 1e-15, "std");
  for (const part of [d.train, d.validation, d.test]) {
    part.x.forEach((z, i) => close(z, part.y[i] === 0 ? -1 : 1, 1e-15, `x[${i}]`));
  }
  // New rows are encoded with the same transform.
  const x = encodeFeatures(d.transform, tableFromCsv("h,y\n1.5e308,a\n-1.5e308,b\n0,a").table);
  close(x[0], 1, 1e-15, "new row 0");
  close(x[1], -1, 1e-15, "new row 1");
  assert.equal(x[2], 0);
});

Deno.test("prepareDataset: a score whose value − mean overflows is that of the halved values", () => {
  // Training values -1.7e308 and 1.7e308 (three times as many): mean ≈ 0.85e308, and
  // -1.7e308 − mean overflows although the score does not.
  const cells = ["-1.7e308", "1.7e308", "1.7e308", "1.7e308"];
  const d = prepared((i) => cells[i % 4]);
  const { mean, std } = numericSpec(d);
  assert.ok(Number.isFinite(mean) && Number.isFinite(std));
  const all = [...d.train.x, ...d.validation.x, ...d.test.x];
  assert.ok(all.every(Number.isFinite), "every score is finite");
  // Reference: the same column divided by 2^1000 (exact), a scale-free computation.
  const scaled = prepared((i) => String(Number(cells[i % 4]) / 2 ** 1000));
  const ref = [...scaled.train.x, ...scaled.validation.x, ...scaled.test.x];
  all.forEach((z, i) => close(z, ref[i], 1e-12, `x[${i}]`));
});

Deno.test("prepareDataset keeps the plain formula for ordinary columns, bit for bit", () => {
  const values = Array.from({ length: N }, (_, i) => ((i * 7919) % 23) / 3 + 0.1 * i);
  const d = prepared((i) => String(values[i]));
  const train = Array.from(d.train.rows, (r) => values[r]);
  let sum = 0;
  for (const v of train) sum += v;
  const mean = sum / train.length;
  let squares = 0;
  for (const v of train) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / train.length);
  assert.equal(numericSpec(d).mean, mean);
  assert.equal(numericSpec(d).std, std);
  Array.from(d.test.rows).forEach((r, i) => assert.equal(d.test.x[i], (values[r] - mean) / std));
});

Deno.test("encodeFeatures: a score beyond the float64 range is a DataError naming the column", () => {
  // Training values 1e-150 apart: a new value of 1e200 is about 1e349 standard deviations away.
  const d = prepared((i) => `${i + 1}e-150`);
  assert.ok(numericSpec(d).std < 1e-149);
  assert.throws(
    () => encodeFeatures(d.transform, tableFromCsv("h,y\n1e200,a").table),
    (e: unknown) =>
      e instanceof DataError && e.column === "h" && /beyond the float64 range/.test(e.message),
  );
});
