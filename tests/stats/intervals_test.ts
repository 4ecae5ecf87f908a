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

/** scipy.stats.t.ppf(p, dof) as in T_REFERENCE (scipy 1.17), dof 3–30 over the body and the upper tail. */
const T_GRID: readonly (readonly [number, number, number])[] = [
  [0.6, 3, 0.2766706623326898],
  [0.75, 3, 0.7648923284043444],
  [0.9, 3, 1.637744353696209],
  [0.936, 3, 2.088171787956071],
  [0.975, 3, 3.1824463052837078],
  [0.99, 3, 4.540702858568132],
  [0.999, 3, 10.214531852407383],
  [0.6, 4, 0.2707222947075976],
  [0.75, 4, 0.7406970841126829],
  [0.9, 4, 1.533206274058944],
  [0.936, 4, 1.9150434712661248],
  [0.975, 4, 2.7764451051977934],
  [0.99, 4, 3.746947387979196],
  [0.999, 4, 7.173182219782307],
  [0.6, 5, 0.2671808657041451],
  [0.75, 5, 0.7266868438004226],
  [0.9, 5, 1.4758840488244815],
  [0.936, 5, 1.8224804184189425],
  [0.975, 5, 2.5705818356363146],
  [0.99, 5, 3.3649299989072174],
  [0.999, 5, 5.893429531356009],
  [0.6, 6, 0.2648345329335734],
  [0.75, 6, 0.7175581964914126],
  [0.9, 6, 1.4397557472651483],
  [0.936, 6, 1.7650372893251964],
  [0.975, 6, 2.4469118511449786],
  [0.99, 6, 3.1426684032910064],
  [0.999, 6, 5.207626238725373],
  [0.6, 10, 0.2601848294920803],
  [0.75, 10, 0.6998120613124317],
  [0.9, 10, 1.372183641110336],
  [0.936, 10, 1.6595160566418938],
  [0.975, 10, 2.228138851986274],
  [0.99, 10, 2.7637694581126957],
  [0.999, 10, 4.143700494046589],
  [0.6, 30, 0.2556053649519128],
  [0.75, 30, 0.6827556933212927],
  [0.9, 30, 1.3104150253913955],
  [0.936, 30, 1.565305534191882],
  [0.975, 30, 2.0422724563012378],
  [0.99, 30, 2.457261542400591],
  [0.999, 30, 3.3851848668293045],
];

Deno.test("studentTQuantile: within a relative 2e-5 of scipy for dof ≥ 3, 3e-6 at p = 0.975", () => {
  for (const [p, dof, expected] of T_GRID) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 2e-5 * Math.abs(expected), `t(${p}, ${dof}) = ${got}`);
    if (p === 0.975) assert.ok(Math.abs(got - expected) <= 3e-6, `t(0.975, ${dof}) = ${got}`);
  }
});

Deno.test("meanCi95: an infinite value makes the mean infinite and the half-width NaN", () => {
  const { mean, halfWidth } = meanCi95([1, 2, Infinity]);
  assert.equal(mean, Infinity);
  assert.ok(Number.isNaN(halfWidth));
});
