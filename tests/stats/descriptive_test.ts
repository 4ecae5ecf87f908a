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
  mean,
  median,
  normalityPValue,
  quantile,
  skewness,
  standardDeviation,
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

Deno.test("correlation: samples of any finite magnitude; unequal lengths named", () => {
  const x = [1, 2, 3, 4, 5];
  const y = [1.1, 1.9, 3.2, 3.9, 5.1];
  // numpy.corrcoef(x, y)[0, 1] (numpy 1.24)
  const r = 0.9964193240901014;
  near(correlation(x, y), r, 1e-15);
  for (const [sx, sy] of [[1e160, 1], [1e-170, 1], [1e200, 1e200], [1e-200, 1e300], [1e90, 1e90]]) {
    const got = correlation(x.map((v) => v * sx), y.map((v) => v * sy));
    assert.ok(Math.abs(got - r) < 1e-15, `scales ${sx}, ${sy}: ${got}`);
  }
  // only a constant sample gives NaN, at any scale
  assert.ok(Number.isNaN(correlation([1e200, 1e200, 1e200], [1, 2, 3])));
  assert.throws(
    () => correlation(x, [...y, 1000]),
    /correlation: samples of different lengths, x has 5 and y 6/,
  );
});

Deno.test("covarianceMatrix: extreme magnitudes mapped back; Infinity only for an overflowing entry", () => {
  const relative = (got: number, expected: number, tolerance: number) =>
    assert.ok(Math.abs(got - expected) <= tolerance * Math.abs(expected), `${got} vs ${expected}`);
  const x = [1, 2, 3, 4, 5];
  const y = [1.1, 1.9, 3.2, 3.9, 5.1];
  // numpy.cov([x, y]): [[2.5, 2.5], [2.5, 2.518]]
  const big = covarianceMatrix([x.map((v) => v * 1e160), y]);
  assert.equal(big[0], Infinity); // 2.5e320 leaves the float64 range
  relative(big[1], 2.5e160, 1e-14);
  relative(big[3], 2.518, 1e-14);
  const tiny = covarianceMatrix([x.map((v) => v * 1e-170), y.map((v) => v * 1e-140)]);
  assert.equal(tiny[0], 0); // 2.5e-340 underflows
  relative(tiny[1], 2.5e-310, 1e-8); // subnormal
  relative(tiny[3], 2.518e-280, 1e-14);
  const mixed = covarianceMatrix([x.map((v) => v * 1e-200), y.map((v) => v * 1e200)]);
  relative(mixed[1], 2.5, 1e-14);
  // ten values ±6e153: the sum of squares (3.6e308) overflows, the variance (4e307) does not
  const alternating = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 6e153 : -6e153));
  relative(covarianceMatrix([alternating])[0], 4e307, 1e-14);
  assert.throws(
    () => covarianceMatrix([x, [...y, 1]]),
    /covarianceMatrix: columns of different lengths, columns\[0\] has 5 values and columns\[1\] 6/,
  );
});

Deno.test("iqr: NaN for a sample holding a NaN, as quantile and scipy.stats.iqr", () => {
  // scipy.stats.iqr([1, 2, nan, 4, 5, 6, 7, 8, 9]) is nan
  assert.ok(Number.isNaN(iqr([1, 2, NaN, 4, 5, 6, 7, 8, 9])));
  assert.ok(Number.isNaN(iqr([NaN])));
  assert.ok(Number.isNaN(iqr([])));
  assert.equal(iqr([1, 2, 4, 5, 6, 7, 8, 9]), 3.75);
});

Deno.test("skewness and kurtosis do not depend on scale, also where fourth powers overflow", () => {
  const v = [1, 2, 3, 10, -4, 0.5, 7.25];
  const [g, k] = [skewness(v), kurtosis(v)];
  // Exact scalings by 2^e: from 2^256 (≈ 1e77) the fourth powers of the deviations overflow, below
  // 2^-256 they underflow; beyond 2^±330 (≈ 1e±100) the cubes too.
  for (
    const e of [170, 200, 256, 280, 300, 330, 600, 1000, -170, -200, -256, -280, -300, -330, -1000]
  ) {
    const scaled = v.map((x) => x * 2 ** e);
    assert.equal(kurtosis(scaled), k, `kurtosis at 2^${e}`);
    assert.equal(skewness(scaled), g, `skewness at 2^${e}`);
  }
  for (const s of [1e80, 1e90, 1e99, 1e-85, 1e-99]) {
    near(kurtosis(v.map((x) => x * s)), k, 1e-13);
    near(skewness(v.map((x) => x * s)), g, 1e-13);
  }
  // The normality test reads both.
  const eight = [...v, 6];
  const p = normalityPValue(eight);
  assert.ok(p > 0 && p < 1);
  for (const e of [280, -280, 1000]) assert.equal(normalityPValue(eight.map((x) => x * 2 ** e)), p);
  for (const s of [1e80, 1e-90, 1e200]) near(normalityPValue(eight.map((x) => x * s)), p, 1e-12);
  assert.ok(Number.isNaN(kurtosis([3e90, 3e90, 3e90])), "a constant sample stays NaN");
});

Deno.test("mean, variance and standard deviation of finite values whose sums overflow", () => {
  assert.equal(mean([1.5e308, 1.5e308]), 1.5e308);
  assert.equal(mean([1.5e308, 1.6e308]), 1.55e308);
  assert.equal(mean([-1.5e308, -1.6e308, 1]), -1.0333333333333333e308);
  near(mean([Number.MAX_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE]), Number.MAX_VALUE / 3);
  // Non-finite values are read as they are.
  assert.equal(mean([1.5e308, Infinity]), Infinity);
  assert.ok(Number.isNaN(mean([Infinity, -Infinity, 1])));
  assert.ok(Number.isNaN(mean([1.5e308, 1.5e308, NaN])));
  // ten values ±6e153: the sum of squares (3.6e308) overflows, the variance (4e307) does not
  const alternating = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 6e153 : -6e153));
  near(variance(alternating), 4e307, 1e-14);
  near(variance(alternating, 0), 3.6e307, 1e-14);
  near(standardDeviation([1.5e308, 1.5e308, 1.4e308]), 1e307 / Math.sqrt(3), 1e-14);
  assert.equal(variance([1e300, 3e300]), Infinity, "2e600 is beyond the float64 range");
  assert.ok(Number.isNaN(variance([1e300, Infinity])), "as numpy.var");
  near(standardDeviation([1e300, 3e300]), Math.SQRT2 * 1e300, 1e-15);
  near(standardDeviation([1e308, -1e308]), Math.SQRT2 * 1e308, 1e-15);
  assert.equal(standardDeviation([1, 2, 3, 4]), Math.sqrt(variance([1, 2, 3, 4])));
  assert.equal(standardDeviation([1, 2, 3, 4], 0), Math.sqrt(1.25));
  assert.ok(Number.isNaN(standardDeviation([7])));
});

Deno.test("a sample of equal values has no correlation, whatever its mean rounds to", () => {
  // mean([0.1, 0.1, 0.1]) is 0.10000000000000002: deviations from it are not 0.
  assert.notEqual(mean([0.1, 0.1, 0.1]), 0.1);
  assert.ok(Number.isNaN(correlation([0.1, 0.1, 0.1], [1, 2, 3])));
  assert.ok(Number.isNaN(correlation([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])), "was 1");
  let inexact = 0;
  for (const value of [0.1, 1 / 3, 0.7, 1.1, 2 / 3, 1e-5, 123.456]) {
    for (let n = 2; n <= 40; n++) {
      const c = new Array(n).fill(value);
      if (mean(c) !== value) inexact++;
      const other = Array.from({ length: n }, (_, i) => Math.sin(i));
      assert.ok(Number.isNaN(correlation(c, other)), `${n} × ${value}`);
      assert.ok(Number.isNaN(correlation(other, c)), `${n} × ${value}`);
      const cov = covarianceMatrix([c, other]);
      assert.deepEqual([cov[0], cov[1], cov[2]], [0, 0, 0], `${n} × ${value}`);
      assert.equal(cov[3], variance(other));
    }
  }
  assert.ok(inexact > 50, `${inexact} samples whose mean is off by rounding`);
  // As for an exact constant, or one of extreme magnitude.
  assert.ok(Number.isNaN(correlation([0.5, 0.5, 0.5], [1, 2, 3])));
  assert.ok(Number.isNaN(correlation([0.1e200, 0.1e200, 0.1e200], [1, 2, 3])));
});

Deno.test("quantile, median, iqr: next to an infinite order statistic, its limit (NaN only for −∞ to +∞)", () => {
  assert.equal(median([-Infinity, 0]), -Infinity);
  assert.equal(median([0, Infinity]), Infinity);
  assert.equal(quantile([-Infinity, 1, 2, 3], 0.25), -Infinity); // t = 0.75 (numpy: −inf)
  assert.equal(quantile([-Infinity, 1, 2, 3], 0.1), -Infinity); // t = 0.3
  assert.equal(quantile([-Infinity, -Infinity, 1], 0.25), -Infinity); // between −∞ and −∞
  assert.equal(quantile([1, 2, 3, Infinity, Infinity], 0.9), Infinity); // between +∞ and +∞
  assert.equal(quantile([1, 2, 3, Infinity], 0.75), 3 + 0.25 * Infinity);
  assert.ok(Number.isNaN(median([-Infinity, Infinity])));
  assert.equal(iqr([-Infinity, 0, 1, 2]), Infinity);
  assert.ok(Number.isNaN(median([-Infinity, NaN])));
  assert.equal(quantile([-Infinity, 0], 0), -Infinity);
  assert.equal(quantile([-Infinity, 0], 1), 0);
});
