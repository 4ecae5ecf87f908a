import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import {
  correlation,
  covarianceMatrix,
  entropyOfCounts,
  extent,
  iqr,
  kurtosis,
  mad,
  median,
  normalityPValue,
  quantile,
  skewness,
  variance,
} from "../../lib/stats/mod.ts";

Deno.test("moments match hand-computed values (biased skewness / excess kurtosis)", () => {
  // x = 1, 2, 3, 10: mean 4, deviations −3, −2, −1, 6; m2 = 12.5, m3 = 45, m4 = 348.5.
  const x = Float64Array.of(1, 2, 3, 10);
  near(variance(x), 50 / 3);
  near(skewness(x), 45 / 12.5 ** 1.5);
  near(kurtosis(x), 348.5 / 12.5 ** 2 - 3);
  assert.ok(Number.isNaN(skewness(Float64Array.of(2, 2, 2))), "constant sample has no skewness");
  assert.ok(Number.isNaN(variance(Float64Array.of(1))), "ddof = 1 needs two values");
});

Deno.test("quantiles interpolate linearly; IQR and MAD by hand", () => {
  const x = Float64Array.of(7, 1, 3, 5); // sorted 1 3 5 7
  near(quantile(x, 0.25), 2.5); // h = 0.75 → 1 + 0.75·2
  near(quantile(x, 0.5), 4);
  near(iqr(x), 3);
  // median 4, |deviations| 3 1 1 3 → median 2, × 1.4826
  near(mad(x), 2 * 1.4826);
  near(quantile([7, 1, 3, 5], 0.25), 2.5); // plain number arrays too
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.throws(() => quantile(x, 1.5), /quantile: q must be in \[0, 1\], got 1.5/);
});

Deno.test("correlation, covariance and entropy by hand", () => {
  near(correlation(Float64Array.of(1, 2, 3), Float64Array.of(3, 2, 1)), -1);
  assert.ok(Number.isNaN(correlation(Float64Array.of(1, 1, 1), Float64Array.of(1, 2, 3))));
  const c = covarianceMatrix([Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 6)]);
  assert.deepEqual([...c], [1, 2, 2, 4]);
  near(entropyOfCounts([1, 1, 1, 1]), 2);
  near(entropyOfCounts([3, 0, 1]), -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25)));
});

Deno.test("normality p-value: scipy.stats.normaltest reference values", () => {
  // scipy 1.10.1 (Debian): normaltest([0..19]) and normaltest([1, 2, 3, 4, 5, 6, 7, 100]).
  const uniform = Float64Array.from({ length: 20 }, (_, i) => i);
  near(normalityPValue(uniform), 0.13586981489872588, 1e-10);
  near(normalityPValue(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 100)), 1.183586878751347e-05, 1e-9);
  assert.ok(Number.isNaN(normalityPValue(Float64Array.of(1, 2, 3))), "needs 8 values");
});

Deno.test("quantile and median: infinite neighbours, overflowing spans and NaN as numpy gives them", () => {
  assert.equal(median([1, 2, Infinity]), 2);
  assert.equal(median([1, Infinity, Infinity]), Infinity);
  assert.equal(median([-1e308, 1.5e308]), 2.5e307);
  assert.ok(Number.isNaN(quantile([1, 2, NaN], 0)));
  assert.ok(Number.isNaN(median([1, NaN, 3])));
  // ordinary samples keep the interpolation (and its sign of zero)
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
  assert.ok(Object.is(median([-0, -0, 1]), 0));
});

Deno.test("extent: Math.min and Math.max of any number of values", () => {
  for (const x of [[3, -1, 2], [5], [-0, 0], [Infinity, -Infinity, 1]]) {
    assert.deepEqual(extent(x), [Math.min(...x), Math.max(...x)]);
  }
  assert.deepEqual(extent([]), [Infinity, -Infinity]);
  assert.deepEqual(extent([1, NaN, 2]), [NaN, NaN]);
  const many = Float64Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 100_003);
  assert.deepEqual(extent(many), [0, 100_002]);
});
