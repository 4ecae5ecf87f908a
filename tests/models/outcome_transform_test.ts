import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { logScaled, yeoJohnson } from "../../lib/models/outcome_transform.ts";
import { Rng } from "../../lib/random/rng.ts";

Deno.test("yeoJohnson: keeps the order of the values (monotone increasing)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 40 }),
      (values) => {
        const { values: t } = yeoJohnson(values);
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            if (values[i] < values[j]) assert.ok(t[i] <= t[j], `${values[i]} < ${values[j]}`);
          }
        }
      },
    ),
  );
});

Deno.test("yeoJohnson: compresses a heavy upper tail and leaves Gaussian values nearly alone", () => {
  const rng = new Rng(3);
  const gaussian = rng.normals(200);
  assert.ok(Math.abs(yeoJohnson(gaussian).lambda - 1) <= 0.3);
  // Goldstein–Price-like: most values small, a few huge.
  const skewed = Float64Array.from(rng.uniforms(200), (u) => Math.exp(12 * u ** 3));
  const { values, lambda } = yeoJohnson(skewed);
  assert.ok(lambda < 0.5, `lambda ${lambda}`);
  // The transformed values are standardised, and the lower half of the values gets a larger
  // share of the scale than before (the low region is where a minimiser looks).
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  assert.ok(Math.abs(mean) < 1e-9 && Math.abs(sd - 1) < 1e-9);
  const lowerShare = (x: Float64Array) => {
    const sorted = Float64Array.from(x).sort();
    return (sorted[x.length >> 1] - sorted[0]) / (sorted[x.length - 1] - sorted[0]);
  };
  assert.ok(lowerShare(values) > 10 * lowerShare(skewed));
});

Deno.test("yeoJohnson: constant or single values give zeros", () => {
  assert.deepEqual(Array.from(yeoJohnson([4, 4, 4]).values), [0, 0, 0]);
  assert.deepEqual(Array.from(yeoJohnson([7]).values), [0]);
});

Deno.test("yeoJohnson: bad input names the field", () => {
  assert.throws(() => yeoJohnson([]), /yeoJohnson: values/);
  assert.throws(() => yeoJohnson([1, NaN]), /yeoJohnson: values\[1\]: must be a finite number/);
  assert.throws(() => yeoJohnson("1,2" as unknown as number[]), /yeoJohnson: values: must be/);
});

Deno.test("logScaled: SMAC's log-scaled costs (monotone, the largest at 0, the offset below the minimum)", () => {
  const values = [3, 1, 2, 10, 1.5];
  const t = logScaled(values);
  // p5 of [1, 1.5, 2, 3, 10] = 1 + 0.2·0.5 = 1.1; lower = 1 − 0.1 − 1e-10·9
  const lower = 1 - 0.1 - 1e-10 * 9;
  values.forEach((v, i) =>
    assert.ok(Math.abs(t[i] - Math.log((v - lower) / (10 - lower))) < 1e-12)
  );
  assert.equal(t[3], 0);
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 40 }),
      (xs) => {
        const y = logScaled(xs);
        for (let i = 0; i < xs.length; i++) {
          assert.ok(Number.isFinite(y[i]));
          for (let j = 0; j < xs.length; j++) if (xs[i] < xs[j]) assert.ok(y[i] <= y[j]);
        }
      },
    ),
    { seed: 7, numRuns: 100 },
  );
  assert.deepEqual(Array.from(logScaled([4, 4, 4])), [0, 0, 0]);
  assert.throws(() => logScaled([]), /logScaled: values: must not be empty/);
  assert.throws(() => logScaled([1, NaN]), /logScaled: values\[1\]/);
});

Deno.test("logScaled: a tied minimum far from zero stays finite (the gap is relative to |min|)", () => {
  // Before: −Infinity, since min − 1e-10·range rounds back to min when |min| ≳ 1e6·range.
  for (const values of [[1e7, 1e7, 1e7 + 0.5, 1e7 + 1, 1e7 + 2], [-1e9, -1e9, -1e9 + 1]]) {
    const t = logScaled(values);
    const min = Math.min(...values), max = Math.max(...values);
    const lower = min - 1e-10 * Math.max(Math.abs(min), max - min);
    values.forEach((v, i) => {
      assert.ok(Number.isFinite(t[i]), `${v}: ${t[i]}`);
      assert.ok(Math.abs(t[i] - Math.log((v - lower) / (max - lower))) < 1e-6, `${v}`);
    });
    assert.equal(t[0], t[1]);
    assert.ok(t[1] < t[2]);
  }
  // Where min − 1e-10·range is below min, the usual gap, as before.
  const lower = 0.5 - 0 - 1e-10 * (0.7 - 0.5);
  assert.equal(logScaled([0.5, 0.5, 0.6, 0.7])[0], Math.log((0.5 - lower) / (0.7 - lower)));
});
