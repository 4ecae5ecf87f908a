import assert from "node:assert/strict";
import {
  ablr,
  ablrObjective,
  AblrSurrogate,
  fitAblr,
  networkSize,
  refitAblr,
} from "../../lib/meta/ablr.ts";
import { standardizeTargets } from "../../lib/gp/standardize.ts";
import type { EncodedTask } from "../../lib/meta/base_models.ts";
import { Rng } from "../../lib/random/rng.ts";
import type { Surrogate } from "../../lib/models/surrogate.ts";

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
  assert.throws(
    () => ablr({ ...fitAblr([task("a", 0.2, 10)], { iterations: 1 }), data: undefined }),
    /ablr.model: joint refits need the prior tasks' data/,
  );
  assert.throws(
    () => ablr(fitAblr([task("a", 0.2, 10)], { iterations: 1 }), { refitEvery: -1 }),
    /ablr options.*refitEvery/s,
  );
  const model = fitAblr([task("a", 0.2, 10)], { hidden: 3, features: 3, iterations: 2 });
  assert.throws(
    () => ablr(model).fit([Float64Array.of(0.1)], Float64Array.of(1), new Rng(0)),
    /ablr\.fit: points\[0\]: expected 2 coordinates, got 1/,
  );
});

/** A target unlike the prior tasks: a ridge along the second coordinate. */
const ridge = (u: Float64Array) => Math.sin(6 * u[1]) + 0.2 * u[0];

Deno.test("refitAblr lowers the joint objective of the prior tasks and the target, from a warm start", () => {
  const prior = [0.2, 0.5, 0.8].map((c, i) => task(`t${i}`, c, 20, i + 1));
  const model = fitAblr(prior, { hidden: 8, features: 6, iterations: 40 });
  assert.equal(model.data?.length, 3);
  const p = points(10, 2, 42);
  const y = Float64Array.from(p, ridge);
  const joint = refitAblr(model, p, y, { iterations: 30 });
  assert.deepEqual(joint.heads.map((h) => h.id), ["t0", "t1", "t2", "target"]);
  assert.strictEqual(joint.data, model.data);
  // The objective at the warm start: the learned map and heads, the target's head at the prior
  // heads' mean.
  const size = networkSize(model.shape);
  const mean = (k: "logAlpha" | "logBeta") =>
    model.heads.reduce((s, h) => s + h[k], 0) / model.heads.length;
  const start = new Float64Array(size + 8);
  start.set(model.net);
  [...model.heads, { logAlpha: mean("logAlpha"), logBeta: mean("logBeta") }].forEach((h, t) => {
    start[size + 2 * t] = h.logAlpha;
    start[size + 2 * t + 1] = h.logBeta;
  });
  const data = [...model.data!, { points: p, values: standardizeTargets(y).scaled }];
  const before = ablrObjective(start, model.shape, data).value;
  assert.ok(joint.objective < before - 1e-6, `${joint.objective} ≥ ${before}`);
  const after = Float64Array.from([
    ...joint.net,
    ...joint.heads.flatMap((h) => [h.logAlpha, h.logBeta]),
  ]);
  assert.ok(Math.abs(ablrObjective(after, model.shape, data).value - joint.objective) < 1e-8);
  // A second refit starts from the target's own head.
  const again = refitAblr(joint, p, y, { iterations: 5 });
  assert.equal(again.heads.length, 4);
  assert.ok(again.objective <= joint.objective + 1e-9);
  // The target's data is fitted better by the jointly learned map than by the prior tasks' map.
  const residual = (m: typeof model) => {
    const s = new AblrSurrogate(m, p, y);
    const mu = s.predictMean(p);
    return y.reduce((a, v, i) => a + (v - mu[i]) ** 2, 0);
  };
  assert.ok(residual(joint) < residual(model), `${residual(joint)} ≥ ${residual(model)}`);
  assert.throws(
    () => refitAblr({ ...model, data: undefined }, p, y),
    /refitAblr.model: needs the prior tasks' data/,
  );
  assert.throws(() => refitAblr(model, [], new Float64Array(0)), /refitAblr: needs ≥ 1 point/);
  assert.throws(
    () => refitAblr(model, [Float64Array.of(0.5)], Float64Array.of(1)),
    /refitAblr\.points\[0\]: expected 2 coordinates, got 1/,
  );
});

Deno.test("ablr refits the map every refitEvery target observations and restarts on a new run", () => {
  const prior = [0.3, 0.7].map((c, i) => task(`t${i}`, c, 15, i + 1));
  const model = fitAblr(prior, { hidden: 6, features: 5, iterations: 20 });
  const p = points(12, 2, 5);
  const y = Float64Array.from(p, ridge);
  const test = points(20, 2, 77);
  const first = (n: number) => [p.slice(0, n), y.slice(0, n)] as const;
  const same = (a: AblrSurrogate, b: AblrSurrogate) =>
    assert.deepEqual(a.predict(test), b.predict(test));
  const factory = ablr(model, { refitEvery: 5, refitIterations: 4 });
  const fit = (n: number) => factory.fit(...first(n), new Rng(0)) as AblrSurrogate;
  // Below 5 observations: the prior tasks' map, as with refitEvery 0.
  same(fit(4), ablr(model, { refitEvery: 0 }).fit(...first(4), new Rng(0)) as AblrSurrogate);
  const at5 = refitAblr(model, ...first(5), { iterations: 4 });
  same(fit(5), new AblrSurrogate(at5, ...first(5)));
  same(fit(7), new AblrSurrogate(at5, ...first(7)));
  const at10 = refitAblr(at5, ...first(10), { iterations: 4 });
  same(fit(10), new AblrSurrogate(at10, ...first(10)));
  // Points that do not extend the last refit's: a new run, from the prior tasks' map again.
  const q = points(5, 2, 6), v = Float64Array.from(q, ridge);
  same(
    factory.fit(q, v, new Rng(0)) as AblrSurrogate,
    new AblrSurrogate(refitAblr(model, q, v, { iterations: 4 }), q, v),
  );
});

Deno.test("ablr's warmStartState: a fresh factory given it continues exactly as from the surrogate itself", () => {
  const prior = [0.3, 0.7].map((c, i) => task(`t${i}`, c, 15, i + 1));
  const model = fitAblr(prior, { hidden: 5, features: 4, iterations: 20 });
  const p = points(10, 2, 5);
  const y = Float64Array.from(p, ridge);
  const test = points(20, 2, 77);
  const first = (n: number) => [p.slice(0, n), y.slice(0, n)] as const;
  const same = (a: Surrogate, b: Surrogate, message?: string) =>
    assert.deepEqual(a.predict(test), b.predict(test), message);
  const options = { refitEvery: 3, refitIterations: 4 };
  const factory = ablr(model, options);
  /** A state as a stored study reads it back. */
  const stored = (s: Surrogate) => JSON.parse(JSON.stringify(factory.warmStartState!(s)));
  // Before the first refit: the prior tasks' map.
  const at2 = factory.fit(...first(2), new Rng(0));
  assert.deepEqual(factory.warmStartState!(at2), { refitted: 0 });
  // Refitted at 5 observations: the refitted network and heads (2 prior tasks and the target).
  const at5 = factory.fit(...first(5), new Rng(0), { previous: at2 });
  const state5 = factory.warmStartState!(at5) as { refitted: number; theta: number[] };
  assert.equal(state5.refitted, 5);
  assert.equal(state5.theta.length, networkSize(model.shape) + 2 * 3);
  assert.ok(state5.theta.every(Number.isFinite));
  assert.deepEqual(stored(at5), state5, "reads back exactly");
  same(at5, new AblrSurrogate(refitAblr(model, ...first(5), { iterations: 4 }), ...first(5)));
  // From the state, a fresh factory (another process) fits what this one does: between refits
  // (6 observations) and at the next refit (8), given the previous surrogate or its state.
  let previous = at5;
  for (const n of [6, 8, 9]) {
    const live = factory.fit(...first(n), new Rng(0), { previous });
    const fresh = ablr(model, options);
    const resumed = fresh.fit(...first(n), new Rng(0), { previousState: stored(previous) });
    same(resumed, live, `${n} observations`);
    assert.deepEqual(fresh.warmStartState!(resumed), factory.warmStartState!(live));
    previous = live;
  }
  assert.equal(stored(previous).refitted, 8);
  // The previous surrogate comes before the factory's last fit (here another run's).
  const q = points(4, 2, 6);
  factory.fit(q, Float64Array.from(q, ridge), new Rng(0));
  same(
    factory.fit(...first(7), new Rng(0), { previous: at5 }),
    ablr(model, options).fit(...first(7), new Rng(0), { previousState: state5 }),
  );
  // A state this factory cannot start from is ignored: the prior tasks' map (refitted at 7).
  const scratch = ablr(model, options).fit(...first(7), new Rng(0));
  same(scratch, new AblrSurrogate(refitAblr(model, ...first(7), { iterations: 4 }), ...first(7)));
  const theta = state5.theta;
  const fromState = ablr(model, options).fit(...first(7), new Rng(0), { previousState: state5 });
  assert.notDeepEqual(fromState.predict(test), scratch.predict(test));
  for (
    const bad of [
      { kernel: [0.5, 0.5, 1], noise: 0.01 }, // a GP's
      "state",
      [5],
      null,
      { refitted: 5 },
      { refitted: 8, theta }, // more observations than points
      { refitted: 1.5, theta },
      { refitted: -1 },
      { refitted: 0, theta },
      { refitted: 5, theta: theta.slice(1) }, // another network
      { refitted: 5, theta: [...theta, 0, 0] }, // another number of tasks
      { refitted: 5, theta: theta.map((v, i) => i === 3 ? NaN : v) },
      { refitted: 5, theta: theta.map((v, i) => i === 3 ? String(v) : v) },
      { refitted: 5, theta, other: 1 },
      { refitted: 5, theta, negativeZeros: [0] }, // not a zero
      { refitted: 5, theta, negativeZeros: "0" },
    ]
  ) {
    same(
      ablr(model, options).fit(...first(7), new Rng(0), { previousState: bad }),
      scratch,
      JSON.stringify(bad),
    );
  }
  // −0 does not survive JSON: written as 0 and listed, read back as −0.
  const zeroed = { ...state5, theta: theta.map((v, i) => i === 2 ? 0 : v), negativeZeros: [2] };
  const again = ablr(model, options);
  const kept = again.warmStartState!(
    again.fit(...first(6), new Rng(0), { previousState: zeroed }),
  ) as typeof zeroed;
  assert.deepEqual(kept, zeroed);
  assert.ok(Object.is(kept.theta[2], 0));
  for (const negativeZeros of [[2, 2], [theta.length], [-1], [2.5]]) {
    const bad = { ...zeroed, negativeZeros };
    same(
      ablr(model, options).fit(...first(7), new Rng(0), { previousState: bad }),
      scratch,
      JSON.stringify(negativeZeros),
    );
  }
  // Without joint refits nothing is kept, and a state is ignored.
  const fixed = ablr(model, { refitEvery: 0 });
  assert.equal(fixed.warmStartState, undefined);
  same(
    fixed.fit(...first(7), new Rng(0), { previousState: state5, previous: at5 }),
    new AblrSurrogate(model, ...first(7)),
  );
});

Deno.test("ablr: a fantasy (mode keep) keeps the head (α, β, standardisation) and conditions it", () => {
  const model = fitAblr([task("a", 0.2), task("b", 0.7)], { hidden: 6, features: 5 });
  const x = points(6, 2, 9);
  const y = Float64Array.from(x, quadratic(0.4));
  const far = [Float64Array.of(0, 0), Float64Array.of(1, 1), Float64Array.of(0, 1)];
  for (const refitEvery of [0, 3]) {
    const factory = ablr(model, { refitEvery, refitIterations: 3 });
    const first = factory.fit(x, y, new Rng(0)) as AblrSurrogate;
    // Two believed points, one at a time, as a batch of three is proposed.
    let previous = first, seenX = x, seenY = y;
    for (const at of [[Float64Array.of(0.9, 0.1)], [Float64Array.of(0.1, 0.8)]]) {
      const what = `refitEvery ${refitEvery}, ${at[0]}`;
      const before = previous.predict(at);
      seenX = [...seenX, ...at];
      seenY = Float64Array.of(...seenY, before.mean[0]);
      const believer = factory.fit(seenX, seenY, new Rng(1), {
        previous,
        mode: "keep",
      }) as AblrSurrogate;
      assert.equal(believer.alpha, first.alpha, what);
      assert.equal(believer.beta, first.beta, what);
      // Conditioned at its own mean μ: the mean there stays μ and the latent variance v becomes
      // v·σ²/(σ² + v), σ² = s²/β the noise in the target's units (s the first fit's scale).
      const s = standardizeTargets(y).std;
      const noise = (s * s) / first.beta;
      const v = before.variance[0];
      const after = believer.predict(at);
      const near = (a: number, b: number) => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
      assert.ok(near(after.mean[0], before.mean[0]), `${what}: mean ${after.mean[0]}`);
      assert.ok(near(after.variance[0], (v * noise) / (noise + v)), `${what}: variance`);
      const was = previous.predict(far).variance, now = believer.predict(far).variance;
      now.forEach((u, i) => assert.ok(u <= was[i] * (1 + 1e-12), `${what}: variance rose at ${i}`));
      previous = believer;
    }
  }
  // A head of another model is refused, naming the argument.
  const other = fitAblr([task("a", 0.2)], { hidden: 6, features: 5 });
  assert.throws(
    () => new AblrSurrogate(other, x, y, new AblrSurrogate(model, x, y)),
    /AblrSurrogate\.kept: must be an AblrSurrogate of the same model/,
  );
});
