import assert from "node:assert/strict";
import { meanCi95, meanInterval, studentTQuantile } from "../../lib/stats/mod.ts";

// scipy.stats.t.ppf(p, dof)
const T_REFERENCE: [number, number, number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 3, 3.1824463052837078],
  [0.975, 5, 2.5705818356363146],
  [0.975, 10, 2.228138851986274],
  [0.975, 30, 2.0422724563012378],
  [0.975, 1000, 1.9623390808264083],
  [0.995, 3, 5.840909309733355],
  [0.995, 10, 3.16927267261695],
  [0.995, 1000, 2.580754698065951],
];

Deno.test("studentTQuantile: scipy.stats.t.ppf to 1e-5, symmetric, bad input named", () => {
  for (const [p, dof, expected] of T_REFERENCE) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 1e-5 * expected, `t(${p}, ${dof}) = ${got}`);
    assert.equal(studentTQuantile(1 - p, dof), -got);
  }
  assert.throws(() => studentTQuantile(1, 3), /studentTQuantile: p must be in \(0, 1\)/);
  assert.throws(() => studentTQuantile(0.9, 0.5), /studentTQuantile: dof must be ≥ 1/);
});

Deno.test("meanInterval: Student-t half-width by hand; NaN values dropped and not counted", () => {
  const { mean, halfWidth, n } = meanInterval([1, 2, NaN, 3, 4]);
  assert.equal(mean, 2.5);
  assert.equal(n, 4);
  // s = √(5/3), t(0.975, 3) = 3.182446
  assert.ok(Math.abs(halfWidth - 3.1824463052837078 * Math.sqrt(5 / 3) / 2) < 1e-5);
  assert.throws(() => meanInterval([1, 2], 95), /meanInterval: level must be in \(0, 1\), got 95/);
  const one = meanInterval([7]);
  assert.equal(one.mean, 7);
  assert.ok(Number.isNaN(one.halfWidth));
});

Deno.test("meanCi95: the normal approximation 1.96·s/√n; non-finite values give NaN", () => {
  const { mean, halfWidth } = meanCi95(Float64Array.of(1, 2, 3, 4));
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(halfWidth - 1.96 * Math.sqrt(5 / 3) / 2) < 1e-12);
  assert.ok(Number.isNaN(meanCi95([1, Infinity]).halfWidth));
  assert.ok(Number.isNaN(meanCi95([3]).halfWidth));
  assert.throws(() => meanCi95([]), /meanCi95: no values/);
});
