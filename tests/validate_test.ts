import assert from "node:assert/strict";
import { checkFloat64Array, checkPoint, checkPoints } from "../lib/validate.ts";

Deno.test("checkPoint: type, length and (optionally) finite coordinates, naming the point", () => {
  checkPoint(Float64Array.of(1, NaN), 2, "x"); // finiteness is opt-in
  assert.throws(() => checkPoint([1, 2], 2, "x"), /^TypeError: x: must be a Float64Array$/);
  assert.throws(() => checkPoint(Float64Array.of(1), 2, "x"), /x: expected 2 coordinates, got 1/);
  assert.throws(() => checkPoint(Float64Array.of(1, 2), 1, "x"), /x: expected 1 coordinate, got 2/);
  assert.throws(
    () => checkPoint(Float64Array.of(1, NaN), 2, "x", { finite: true }),
    /x\[1\]: must be finite, got NaN/,
  );
});

Deno.test("checkPoints: arrays only, empty lists on request, the bad point's index named", () => {
  checkPoints([], 3, "points");
  assert.throws(
    () => checkPoints([], 3, "points", { nonEmpty: true }),
    /points: must not be empty/,
  );
  assert.throws(
    () => checkPoints(Float64Array.of(1, 2), 2, "points"),
    /points: must be an array of Float64Array/,
  );
  assert.throws(
    () =>
      checkPoints([Float64Array.of(0, 0), Float64Array.of(0, Infinity)], 2, "p", { finite: true }),
    /p\[1\]\[1\]: must be finite, got Infinity/,
  );
  assert.throws(
    () => checkPoints([Float64Array.of(0, 0), [0, 0]], 2, "p"),
    /p\[1\]: must be a Float64Array/,
  );
});

Deno.test("checkFloat64Array: type and exact length, named by the label", () => {
  checkFloat64Array(new Float64Array(3), 3, "out");
  assert.throws(
    () => checkFloat64Array([0, 0, 0], 3, "out"),
    /^TypeError: out: must be a Float64Array$/,
  );
  assert.throws(
    () => checkFloat64Array(new Float64Array(2), 3, "gram: out"),
    /gram: out: expected length 3, got 2/,
  );
});
