import assert from "node:assert/strict";
import { extremeMagnitudeExponent, magnitudeExponent, rangeFraction } from "../../lib/stats/mod.ts";

Deno.test("magnitudeExponent: ⌊log₂⌋ of the largest finite |value|, whatever it is", () => {
  assert.equal(magnitudeExponent([1, -3, 5]), 2);
  assert.equal(magnitudeExponent([-1.5e308, 2]), 1023);
  assert.equal(magnitudeExponent([0.75, NaN, Infinity]), -1);
  assert.equal(magnitudeExponent([5e-324]), -1074);
  assert.equal(magnitudeExponent([0, -0]), 0);
  assert.equal(magnitudeExponent([]), 0);
});

Deno.test("extremeMagnitudeExponent: the bound depends on the order of the statistic", () => {
  const cases: [number[], number, number, number][] = [
    // values, order 2 (1e±100), order 3 (1e±66), order 4 (1e±50)
    [[1, -3, 5], 0, 0, 0],
    [[1e40, 3e40], 0, 0, 0],
    [[1e60, 3e60], 0, 0, magnitudeExponent([3e60])],
    [[1e80, 3e80], 0, magnitudeExponent([3e80]), magnitudeExponent([3e80])],
    [[1e-80, 0], 0, magnitudeExponent([1e-80]), magnitudeExponent([1e-80])],
    [[1e200, -3e200, Infinity], 665, 665, 665],
    [[3e-200, 0], -663, -663, -663],
    [[0, NaN], 0, 0, 0],
  ];
  for (const [values, k2, k3, k4] of cases) {
    assert.equal(extremeMagnitudeExponent(values), k2, `${values}`);
    assert.equal(extremeMagnitudeExponent(values, 2), k2, `${values}`);
    assert.equal(extremeMagnitudeExponent(values, 3), k3, `${values}`);
    assert.equal(extremeMagnitudeExponent(values, 4), k4, `${values}`);
  }
  assert.throws(
    () => extremeMagnitudeExponent([1], 5),
    /extremeMagnitudeExponent: order must be 2, 3 or 4, got 5/,
  );
});

Deno.test("rangeFraction: the fraction of the range, finite when the differences overflow", () => {
  assert.equal(rangeFraction(1, 0, 4), 0.25);
  assert.equal(rangeFraction(-2, 0, 4), -0.5);
  assert.equal(rangeFraction(6, 0, 4), 1.5);
  // max − min overflows: halved first.
  assert.equal(rangeFraction(0, -1.5e308, 1.5e308), 0.5);
  assert.equal(rangeFraction(1.5e308, -1.5e308, 1.5e308), 1);
  assert.equal(rangeFraction(-1.5e308, -1.5e308, 1.5e308), 0);
  // value − min overflows, max − min does not.
  assert.equal(rangeFraction(1.5e308, -1e308, 0), 2.5);
  // An infinite value stays infinite.
  assert.equal(rangeFraction(Infinity, -1.5e308, 1.5e308), Infinity);
  assert.equal(rangeFraction(-Infinity, 0, 1), -Infinity);
});
