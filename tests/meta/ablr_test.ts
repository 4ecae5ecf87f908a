import assert from "node:assert/strict";
import { ablr, ablrObjective, AblrSurrogate, fitAblr, networkSize } from "../../lib/meta/ablr.ts";
import type { EncodedTask } from "../../lib/meta/base_models.ts";
import { Rng } from "../../lib/random/rng.ts";

const points = (n: number, dim: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.uniforms(dim));
};
const quadratic = (c: number) => (u: Float64Array) => (u[0] - c) ** 2 + 0.5 * (u[1] - 0.5) ** 2;
const task = (id: string, c: number, n = 30, seed = 1): EncodedTask => {
  const p = points(n, 2, seed);
  return { id, points: p, values: Float64Array.from(p, quadratic(c)) };
};

Deno.test("ablrObjective: analytic gradient matches central finite differences", () => {
  const shape = { dim: 2, hidden: 4, features: 3 };
  const rng = new Rng(3);
  const tasks = [0.2, 0.7].map((c, t) => {
    const p = points(6, 2, 10 + t);
    const y = Float64Array.from(p, quadratic(c));
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    return { points: p, values: y.map((v) => (v - mean) * 3) };
  });
  const theta = Float64Array.from(
    { length: networkSize(shape) + 4 },
    () => rng.normal() * 0.7,
  );
  const { value, gradient } = ablrObjective(theta, shape, tasks);
  assert.ok(Number.isFinite(value));
  const h = 1e-6;
  for (let i = 0; i < theta.length; i++) {
    const plus = theta.slice(), minus = theta.slice();
    plus[i] += h;
    minus[i] -= h;
    const numeric = (ablrObjective(plus, shape, tasks).value -
      ablrObjective(minus, shape, tasks).value) / (2 * h);
    assert.ok(
      Math.abs(numeric - gradient[i]) <= 1e-5 * Math.max(1, Math.abs(numeric)),
      `∂/∂θ[${i}]: analytic ${gradient[i]}, numeric ${numeric}`,
    );
  }
});

Deno.test("ablrObjective is the negative log marginal likelihood of a Gaussian y ~ N(0, ΦΦᵀ/α + I/β)", () => {
  const shape = { dim: 1, hidden: 2, features: 2 };
  const theta = Float64Array.of(
    0.5,
    -1,
    0.2,
    0.3,
    1.1,
    -0.4,
    0.7,
    0.9,
    0.1,
    -0.2,
    Math.log(2),
    Math.log(5),
  );
  const p = [0.1, 0.4, 0.9].map((x) => Float64Array.of(x));
  const y = Float64Array.of(0.3, -1, 0.7);
  const { value } = ablrObjective(theta, shape, [{ points: p, values: y }]);
  // Features by hand, then the 3×3 covariance and its Gaussian log density.
  const phi = p.map(([x]) => {
    const h = [Math.tanh(0.5 * x + 0.2), Math.tanh(-1 * x + 0.3)];
    return [Math.tanh(1.1 * h[0] - 0.4 * h[1] + 0.1), Math.tanh(0.7 * h[0] + 0.9 * h[1] - 0.2)];
  });
  const alpha = 2, beta = 5;
  const k = phi.map((a, i) =>
    phi.map((b, j) => (a[0] * b[0] + a[1] * b[1]) / alpha + (i === j ? 1 / beta : 0))
  );
  const det = k[0][0] * (k[1][1] * k[2][2] - k[1][2] * k[2][1]) -
    k[0][1] * (k[1][0] * k[2][2] - k[1][2] * k[2][0]) +
    k[0][2] * (k[1][0] * k[2][1] - k[1][1] * k[2][0]);
  // Solve k z = y by Cramer's rule.
  const replace = (col: number) => k.map((row, i) => row.map((v, j) => (j === col ? y[i] : v)));
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const z = [0, 1, 2].map((c) => det3(replace(c)) / det);
  const quad = z.reduce((s, v, i) => s + v * y[i], 0);
  const expected = 1.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(det) + 0.5 * quad;
  assert.ok(Math.abs(value - expected) < 1e-10, `${value} vs ${expected}`);
});

Deno.test("fitAblr lowers the joint objective and the surrogate interpolates a related target", () => {
  const prior = [0.2, 0.35, 0.5, 0.65, 0.8].map((c, i) => task(`t${i}`, c, 30, i + 1));
  const model = fitAblr(prior, { hidden: 16, features: 16, iterations: 100 });
  const shape = model.shape;
  const start = fitAblr(prior, { hidden: 16, features: 16, iterations: 1 });
  assert.ok(model.objective < start.objective, `${model.objective} ≥ ${start.objective}`);
  assert.equal(model.heads.length, 5);
  assert.equal(shape.features, 16);
  const target = task("target", 0.42, 8, 99);
  const surrogate = ablr(model).fit(target.points, target.values, new Rng(0)) as AblrSurrogate;
  const test = points(50, 2, 123);
  const truth = test.map(quadratic(0.42));
  const predicted = surrogate.predict(test);
  const meanTruth = truth.reduce((a, b) => a + b, 0) / truth.length;
  const sse = truth.reduce((s, t, i) => s + (t - predicted.mean[i]) ** 2, 0);
  const sst = truth.reduce((s, t) => s + (t - meanTruth) ** 2, 0);
  assert.ok(sse / sst < 0.2, `R² = ${1 - sse / sst}`);
  assert.ok(predicted.variance.every((v) => v >= 0));
  assert.deepEqual(surrogate.predictMean(test), predicted.mean);
});

Deno.test("AblrSurrogate gradients match finite differences; samples have the posterior's marginals", () => {
  const prior = [0.3, 0.6].map((c, i) => task(`t${i}`, c, 20, i + 1));
  const model = fitAblr(prior, { hidden: 6, features: 5, iterations: 30 });
  const target = task("target", 0.4, 5, 7);
  const s = new AblrSurrogate(model, target.points, target.values);
  const x = Float64Array.of(0.37, 0.61);
  const p = s.predictWithGradient(x);
  const at = s.predict([x]);
  assert.ok(Math.abs(p.mean - at.mean[0]) < 1e-12);
  assert.ok(Math.abs(p.variance - at.variance[0]) < 1e-12);
  const h = 1e-6;
  for (let j = 0; j < 2; j++) {
    const plus = x.slice(), minus = x.slice();
    plus[j] += h;
    minus[j] -= h;
    const a = s.predict([plus]), b = s.predict([minus]);
    const dm = (a.mean[0] - b.mean[0]) / (2 * h);
    const dv = (a.variance[0] - b.variance[0]) / (2 * h);
    assert.ok(Math.abs(dm - p.meanGradient[j]) < 1e-5 * Math.max(1, Math.abs(dm)));
    assert.ok(Math.abs(dv - p.varianceGradient[j]) < 1e-5 * Math.max(1, Math.abs(dv)));
  }
  const draws = s.sampleJoint([x], 4000, new Rng(1)).map((d) => d[0]);
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
  const sd = Math.sqrt(at.variance[0]);
  assert.ok(Math.abs(mean - at.mean[0]) < 5 * sd / Math.sqrt(4000) + 1e-12);
  assert.ok(Math.abs(variance / at.variance[0] - 1) < 0.1);
});

Deno.test("ABLR: bad inputs name the field", () => {
  assert.throws(() => fitAblr([]), /fitAblr.tasks: needs at least one prior task/);
  assert.throws(
    () => fitAblr([task("a", 0.2)], { hidden: 0 }),
    /ablr options.*hidden/s,
  );
  assert.throws(() => ablr({} as never), /ablr.model/);
  const model = fitAblr([task("a", 0.2, 10)], { hidden: 3, features: 3, iterations: 2 });
  assert.throws(
    () => ablr(model).fit([Float64Array.of(0.1)], Float64Array.of(1), new Rng(0)),
    /ablr.fit: points have 1 dimensions/,
  );
});
