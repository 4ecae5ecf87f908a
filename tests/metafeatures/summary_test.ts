import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import { SUMMARY_FUNCTIONS } from "../../lib/metafeatures/summary.ts";

Deno.test("summary functions by hand", () => {
  const v = Float64Array.of(1, 2, 3, 4);
  const s = (name: string) => SUMMARY_FUNCTIONS.get(name)!.compute(v);
  near(s("mean") as number, 2.5);
  near(s("sd") as number, Math.sqrt(5 / 3));
  near(s("range") as number, 3);
  assert.deepEqual([...(s("quantiles") as Float64Array)], [1, 1.75, 2.5, 3.25, 4]);
  // numpy.histogram(v, 10): edges 1, 1.3, …, 4; 2 falls in bin 3 (edge 1.9 ≤ 2 < 2.2), 3 in 6.
  assert.deepEqual([...(s("histogram") as Float64Array)], [
    0.25,
    0,
    0,
    0.25,
    0,
    0,
    0.25,
    0,
    0,
    0.25,
  ]);
  assert.equal(s("count"), 4);
});

Deno.test("histogram of values whose span overflows: the shares of the same values scaled down", () => {
  const histogram = SUMMARY_FUNCTIONS.get("histogram")!.compute;
  const small = Float64Array.of(-1.5, -0.2, 0, 0.4, 1, 1.25, 1.5);
  const huge = small.map((v) => v * 2 ** 1023); // 3 · 2^1023 overflows as a span
  assert.ok(!Number.isFinite(huge[huge.length - 1] - huge[0]));
  assert.deepEqual([...(histogram(huge) as Float64Array)], [...(histogram(small) as Float64Array)]);
});

Deno.test("summaries of values beyond 1e±100 are those of the values scaled by a power of two", () => {
  const f = (name: string, v: Float64Array) => SUMMARY_FUNCTIONS.get(name)!.compute(v) as number;
  const v = Float64Array.of(1, 2, 3, 10, -4, 0.5, 7.25);
  for (const k of [900, 1000, -900, -1000]) {
    const scaled = v.map((x) => x * 2 ** k); // exact
    const degree = { mean: 1, sum: 1, sd: 1, var: 2, skewness: 0, kurtosis: 0 };
    for (const [name, d] of Object.entries(degree)) {
      const expected = f(name, v) * 2 ** (d * k);
      if (!Number.isFinite(expected) || expected === 0) continue; // not representable
      if (d === 0) near(f(name, scaled), expected, 1e-14);
      else assert.equal(f(name, scaled), expected, `${name} at 2^${k}`);
    }
  }
  // sd of values near 1e200 and 1e-200: no overflow or underflow of the squares.
  near(f("sd", Float64Array.of(1e200, 3e200)), Math.SQRT2 * 1e200);
  near(f("sd", Float64Array.of(1e-200, 3e-200)) / 1e-200, Math.SQRT2);
  // Sums that overflow on the way but not in the end; a true sum beyond the range overflows.
  assert.equal(f("mean", Float64Array.of(1.5e308, 1.6e308)), 1.55e308);
  assert.equal(f("sum", Float64Array.of(1e308, 1e308, -1e308)), 1e308);
  assert.equal(f("sum", Float64Array.of(1.5e308, 1.6e308)), Infinity);
  near(f("kurtosis", Float64Array.of(1e200, 3e200)), -2);
});

Deno.test("skewness and kurtosis summaries of values from 1e77 to 1e100 (fourth powers overflow)", () => {
  const f = (name: string, v: Float64Array) => SUMMARY_FUNCTIONS.get(name)!.compute(v) as number;
  const v = Float64Array.of(1, 2, 3, 10, -4, 0.5, 7.25);
  for (const name of ["skewness", "kurtosis"]) {
    for (const e of [256, 280, 300, 330, -256, -280, -300, -330]) {
      assert.equal(f(name, v.map((x) => x * 2 ** e)), f(name, v), `${name} at 2^${e}`);
    }
    for (const s of [1e78, 1e90, 1e99, 1e-80, 1e-99]) {
      near(f(name, v.map((x) => x * s)), f(name, v), 1e-13);
    }
  }
});
