/**
 * Standardisation by `prepareDataset` of training columns that are constant up to round-off: all
 * values equal (their mean may round off them, leaving a deviation of about 1e-17) or spread over
 * a unit in the last place. Their divisor is 1, as for a column whose deviation is exactly 0, so a
 * held-out value that differs from the constant keeps its difference instead of becoming ~1e15.
 */
import assert from "node:assert/strict";
import {
  encodeFeatures,
  type NumericEncoding,
  prepareDataset,
  type PreparedDataset,
  tableFromCsv,
} from "../../lib/data/mod.ts";
import { standardDeviation } from "../../lib/stats/mod.ts";

/** All rows as training rows; feature `x` has cell `cell(i)`, target `label` two classes. */
function fitted(n: number, cell: (i: number) => number): PreparedDataset {
  const rows = Array.from({ length: n }, (_, i) => `${cell(i)},${i % 2 ? "a" : "b"}`);
  const { table } = tableFromCsv("x,label\n" + rows.join("\n"));
  return prepareDataset(table, {
    target: "label",
    split: { train: 1, validation: 0, test: 0 },
    seed: 0,
  });
}

const spec = (data: PreparedDataset) => data.transform.columns[0] as NumericEncoding;

/** The encoded feature `x` of held-out cells. */
function encoded(data: PreparedDataset, cells: number[]): number[] {
  const csv = "x,label\n" + cells.map((c) => `${c},a`).join("\n");
  return Array.from(encodeFeatures(data.transform, tableFromCsv(csv).table));
}

Deno.test("prepareDataset: a column constant at 0.1 gets divisor 1; held-out 0.2 encodes near 0.1", () => {
  const data = fitted(40, () => 0.1);
  assert.notEqual(spec(data).mean, 0.1); // the mean rounds off the constant
  assert.equal(spec(data).std, 1);
  for (let i = 0; i < data.train.size; i++) assert.ok(Math.abs(data.train.x[i]) < 1e-15);
  const [z] = encoded(data, [0.2]);
  assert.ok(Math.abs(z - 0.1) < 1e-15, `0.2 encodes as ${z}`);
});

Deno.test("prepareDataset: every constant column has divisor 1, whatever its value and count", () => {
  const constants = [0.1, 0.2, 0.3, 0.7, 1 / 3, 2 / 3, 0.01, 1e-5, 123.456, -7.77];
  for (let n = 2; n <= 30; n++) {
    for (const c of constants) assert.equal(spec(fitted(n, () => c)).std, 1, `${n} × ${c}`);
  }
  // The round-off of the mean grows with the count: 0.1 ten thousand times is 1.6e-14 off.
  assert.equal(spec(fitted(10_000, () => 0.1)).std, 1);
  assert.equal(spec(fitted(2_000, () => 123.456)).std, 1);
});

Deno.test("prepareDataset: a spread of one unit in the last place is constant; a real spread is kept", () => {
  const next = 0.1 + 2 ** -56; // the float after 0.1
  assert.ok(next > 0.1);
  assert.equal(spec(fitted(40, (i) => (i % 3 ? 0.1 : next))).std, 1);
  // Ordinary columns keep the population standard deviation, bit for bit.
  for (const cell of [(i: number) => i, (i: number) => 0.1 + i * 1e-6, (i: number) => 1e200 * i]) {
    const values = Array.from({ length: 40 }, (_, i) => Number(String(cell(i))));
    assert.equal(spec(fitted(40, cell)).std, standardDeviation(values, 0));
  }
});
