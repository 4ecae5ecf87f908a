import assert from "node:assert/strict";
import { featureLevels, type FeatureSpec, toRowMajor } from "../../lib/forest/features.ts";

const types: FeatureSpec[] = [{ type: "numeric" }, { type: "categorical", levels: 3 }];

Deno.test("toRowMajor: rows and { data, rows, cols } give the same matrix; NaN is missing", () => {
  const a = toRowMajor([[0.5, 2], [NaN, NaN]], undefined, types, "x");
  const b = toRowMajor(
    { data: Float64Array.of(0.5, 2, NaN, NaN), rows: 2, cols: 2 },
    2,
    types,
    "x",
  );
  assert.deepEqual(a, b);
  assert.equal(a.rows, 2);
  assert.equal(a.cols, 2);
  assert.deepEqual([...featureLevels(types, 2)], [0, 3]);
  assert.deepEqual([...featureLevels(undefined, 2)], [0, 0]);
});

Deno.test("toRowMajor: errors name the cell", () => {
  assert.throws(
    () => toRowMajor([], undefined, undefined, "fit: x"),
    /fit: x: must have at least one row/,
  );
  assert.throws(
    () => toRowMajor([[1, 2], [3]], undefined, undefined, "x"),
    /x\[1\]: expected 2 values, got 1/,
  );
  assert.throws(
    () => toRowMajor([[1, Infinity]], undefined, undefined, "x"),
    /x\[0\]\[1\]: must be finite or NaN/,
  );
  assert.throws(
    () => toRowMajor([[1, 1.5]], undefined, types, "x"),
    /x\[0\]\[1\]: categorical feature with 3 levels/,
  );
  assert.throws(() => toRowMajor([[1, 3]], undefined, types, "x"), /x\[0\]\[1\]: categorical/);
  assert.throws(
    () => toRowMajor([[1]], undefined, types, "x"),
    /x: has 1 columns but 2 feature types/,
  );
  assert.throws(
    () => toRowMajor({ data: new Float64Array(3), rows: 2, cols: 2 }, undefined, undefined, "x"),
    /x\.data: expected rows × cols = 4 values/,
  );
  assert.throws(
    () => toRowMajor([["a"] as never], undefined, undefined, "x"),
    /x\[0\]\[0\]: must be a number/,
  );
});
