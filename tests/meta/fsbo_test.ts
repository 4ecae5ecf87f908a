import assert from "node:assert/strict";
import { fineTuneFsbo, fitFsbo, fsbo, fsboObjective, FsboSurrogate } from "../../lib/meta/fsbo.ts";
import { featureForward, initialNetwork, networkSize } from "../../lib/meta/feature_map.ts";
import { matern52Kernel } from "../../lib/gp/kernels.ts";
import type { EncodedTask } from "../../lib/meta/base_models.ts";
import { Rng } from "../../lib/random/rng.ts";

const points = (n: number, dim: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.uniforms(dim));
};
const quadratic = (c: number) => (u: Float64Array) => (u[0] - c) ** 2 + 0.5 * (u[1] - 0.5) ** 2;
const task = (id: string, c: number, n = 40, seed = 1): EncodedTask => {
  const p = points(n, 2, seed);
  return { id, points: p, values: Float64Array.from(p, quadratic(c)) };
};

function randomParams(shape: { dim: number; hidden: number; features: number }, seed: number) {
  const size = networkSize(shape);
  const rng = new Rng(seed);
  const params = new Float64Array(size + shape.features + 2);
  initialNetwork(shape, rng, params.subarray(0, size));
  for (let f = 0; f < shape.features; f++) params[size + f] = rng.normal() * 0.3;
  params[size + shape.features] = 0.2;
  params[size + shape.features + 1] = Math.log(0.05);
  return params;
}

Deno.test("fsboObjective: analytic gradient matches central finite differences", () => {
  const shape = { dim: 2, hidden: 4, features: 3 };
  const params = randomParams(shape, 4);
  const p = points(7, 2, 11);
  const y = Float64Array.from(p, quadratic(0.3));
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const values = y.map((v) => (v - mean) * 4);
  const gradient = new Float64Array(params.length);
  const value = fsboObjective(params, shape, p, values, gradient);
  assert.ok(Number.isFinite(value));
  const scratch = new Float64Array(params.length);
  const h = 1e-6;
  for (let i = 0; i < params.length; i++) {
    const plus = params.slice(), minus = params.slice();
    plus[i] += h;
    minus[i] -= h;
    const numeric = (fsboObjective(plus, shape, p, values, scratch) -
      fsboObjective(minus, shape, p, values, scratch)) / (2 * h);
    assert.ok(
      Math.abs(numeric - gradient[i]) <= 1e-5 * Math.max(1, Math.abs(numeric)),
      `∂/∂params[${i}]: analytic ${gradient[i]}, numeric ${numeric}`,
    );
  }
});

Deno.test("fsboObjective is the per-point negative log marginal likelihood of the GP on the features", () => {
  const shape = { dim: 2, hidden: 3, features: 2 };
  const params = randomParams(shape, 9);
  const size = networkSize(shape);
  const p = points(5, 2, 3);
  const values = Float64Array.of(0.5, -1.2, 0.3, 1.1, -0.7);
  const loss = fsboObjective(params, shape, p, values, new Float64Array(params.length));
  // The same GP built directly on the features by hand (tanh layers), with the profiled constant.
  const W1 = params.subarray(0, 6), b1 = params.subarray(6, 9);
  const W2 = params.subarray(9, 15), b2 = params.subarray(15, 17);
  const phi = p.map((x) => {
    const h = [0, 1, 2].map((u) => Math.tanh(b1[u] + W1[2 * u] * x[0] + W1[2 * u + 1] * x[1]));
    return Float64Array.from(
      [0, 1],
      (f) => Math.tanh(b2[f] + W2[3 * f] * h[0] + W2[3 * f + 1] * h[1] + W2[3 * f + 2] * h[2]),
    );
  });
  const kernel = matern52Kernel(2);
  const hyper = params.subarray(size);
  const k = kernel.gram(hyper.subarray(0, 3), Float64Array.from(phi.flatMap((r) => [...r])), 5);
  const noise = Math.exp(hyper[3]);
  // Dense Gaussian log density with the GLS constant, by Gaussian elimination.
  const n = 5;
  const a = Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => k[i * n + j] + (i === j ? noise : 0)),
  );
  const solve = (b: number[]) => {
    const m = a.map((row, i) => [...row, b[i]]);
    for (let c = 0; c < n; c++) {
      for (let r = c + 1; r < n; r++) {
        const f = m[r][c] / m[c][c];
        for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
      }
    }
    const x = new Array(n).fill(0);
    for (let r = n - 1; r >= 0; r--) {
      let s = m[r][n];
      for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
      x[r] = s / m[r][r];
    }
    return { x, det: m.reduce((d, row, i) => d * row[i], 1) };
  };
  const ones = new Array(n).fill(1);
  const k1 = solve(ones).x, ky = solve([...values]).x;
  const c = ky.reduce((s, v) => s + v, 0) / k1.reduce((s, v) => s + v, 0);
  const r = [...values].map((v) => v - c);
  const { x: kr, det } = solve(r);
  const nll = 0.5 * r.reduce((s, v, i) => s + v * kr[i], 0) + 0.5 * Math.log(det) +
    0.5 * n * Math.log(2 * Math.PI);
  assert.ok(Math.abs(loss - nll / n) < 1e-10, `${loss} vs ${nll / n}`);
});

Deno.test("fitFsbo: meta-training lowers the loss on related tasks and is seeded", () => {
  const tasks = [0.2, 0.35, 0.5, 0.65, 0.8].map((c, i) => task(`t${i}`, c, 40, i + 1));
  const options = { hidden: 8, features: 4, metaIterations: 300, batchSize: 16, seed: 2 };
  const untrained = fitFsbo(tasks, { ...options, metaIterations: 0 });
  const model = fitFsbo(tasks, options);
  const again = fitFsbo(tasks, options);
  assert.deepEqual(again.net, model.net);
  assert.deepEqual(again.logHyperparameters, model.logHyperparameters);
  // Full-batch loss on every task before and after.
  const lossOf = (m: typeof model) =>
    tasks.reduce((s, t) => {
      const params = new Float64Array([...m.net, ...m.logHyperparameters]);
      const mean = t.values.reduce((a, b) => a + b, 0) / t.values.length;
      const sd = Math.sqrt(
        t.values.reduce((a, b) => a + (b - mean) ** 2, 0) / (t.values.length - 1),
      );
      const y = t.values.map((v) => (v - mean) / sd);
      return s + fsboObjective(params, m.shape, t.points, y, new Float64Array(params.length));
    }, 0) / tasks.length;
  assert.ok(lossOf(model) < lossOf(untrained) - 0.2, `${lossOf(model)} vs ${lossOf(untrained)}`);
  assert.notDeepEqual(fitFsbo(tasks, { ...options, seed: 3 }).net, model.net);
});

Deno.test("fineTuneFsbo: lowers the loss on the new task's observations, keeps the model with < 2", () => {
  const tasks = [0.2, 0.5, 0.8].map((c, i) => task(`t${i}`, c, 30, i + 1));
  const model = fitFsbo(tasks, { hidden: 8, features: 4, metaIterations: 100, batchSize: 16 });
  const target = task("new", 0.35, 12, 40);
  const tuned = fineTuneFsbo(model, target.points, target.values, { fineTuneSteps: 50 });
  const lossOn = (m: typeof model) => {
    const params = new Float64Array([...m.net, ...m.logHyperparameters]);
    const mean = target.values.reduce((a, b) => a + b, 0) / target.values.length;
    const sd = Math.sqrt(
      target.values.reduce((a, b) => a + (b - mean) ** 2, 0) / (target.values.length - 1),
    );
    const y = target.values.map((v) => (v - mean) / sd);
    return fsboObjective(params, m.shape, target.points, y, new Float64Array(params.length));
  };
  assert.ok(lossOn(tuned) < lossOn(model), `${lossOn(tuned)} vs ${lossOn(model)}`);
  assert.equal(fineTuneFsbo(model, [target.points[0]], target.values.subarray(0, 1)), model);
  assert.equal(fineTuneFsbo(model, target.points, target.values, { fineTuneSteps: 0 }), model);
  assert.throws(
    () => fineTuneFsbo(model, target.points, target.values.subarray(0, 3)),
    /one value per point/,
  );
});

Deno.test("FsboSurrogate: the GP on the features, with gradients through the network", () => {
  const tasks = [0.2, 0.5, 0.8].map((c, i) => task(`t${i}`, c, 30, i + 1));
  const model = fitFsbo(tasks, { hidden: 6, features: 3, metaIterations: 50, batchSize: 16 });
  const target = task("new", 0.4, 8, 50);
  const surrogate = new FsboSurrogate(model, target.points, target.values);
  const query = points(4, 2, 60);
  const prediction = surrogate.predict(query);
  // The GP at the network's features, by hand.
  const { phi } = featureForward(model.net, model.shape, query);
  const direct = surrogate.gp.predict(query.map((_, i) => phi.slice(3 * i, 3 * i + 3)));
  assert.deepEqual(prediction.mean, direct.mean);
  assert.deepEqual(prediction.variance, direct.variance);
  const mean = surrogate.predictMean(query);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(mean[i] - prediction.mean[i]) < 1e-12);
  surrogate.gp.logHyperparameters.forEach((v, i) =>
    assert.ok(Math.abs(v - model.logHyperparameters[i]) < 1e-12)
  );
  // Gradients against finite differences.
  const x = Float64Array.of(0.3, 0.6);
  const at = surrogate.predictWithGradient(x);
  const h = 1e-6;
  for (let j = 0; j < 2; j++) {
    const plus = x.slice(), minus = x.slice();
    plus[j] += h;
    minus[j] -= h;
    const p = surrogate.predict([plus]), m = surrogate.predict([minus]);
    const dm = (p.mean[0] - m.mean[0]) / (2 * h), dv = (p.variance[0] - m.variance[0]) / (2 * h);
    assert.ok(Math.abs(dm - at.meanGradient[j]) < 1e-5 * Math.max(1, Math.abs(dm)), `mean ${j}`);
    assert.ok(Math.abs(dv - at.varianceGradient[j]) < 1e-5 * Math.max(1, Math.abs(dv)), `var ${j}`);
  }
  assert.ok(Math.abs(at.mean - surrogate.predict([x]).mean[0]) < 1e-12);
  const samples = surrogate.sampleJoint(query, 3, new Rng(1));
  assert.equal(samples.length, 3);
  assert.equal(samples[0].length, 4);
});

Deno.test("fsbo: a SurrogateFactory that fine-tunes at each fit; bad models and options are named", () => {
  const tasks = [0.2, 0.5, 0.8].map((c, i) => task(`t${i}`, c, 30, i + 1));
  const model = fitFsbo(tasks, { hidden: 6, features: 3, metaIterations: 50, batchSize: 16 });
  const target = task("new", 0.4, 6, 70);
  const factory = fsbo(model, { fineTuneSteps: 20 });
  const a = factory.fit(target.points, target.values, new Rng(0));
  const b = factory.fit(target.points, target.values, new Rng(1));
  assert.deepEqual(a.predict(target.points).mean, b.predict(target.points).mean);
  assert.throws(() => fsbo({ ...model, net: new Float64Array(3) }), /fsbo\.model/);
  assert.throws(() => fsbo(model, { fineTuneSteps: -1 }), /fineTuneSteps/);
  assert.throws(() => fitFsbo(tasks, { learningRate: 0 }), /learningRate/);
  assert.throws(() => fitFsbo([]), /at least one prior task/);
  const single = { id: "one", points: [Float64Array.of(0.5, 0.5)], values: Float64Array.of(1) };
  assert.throws(() => fitFsbo([single]), /at least 2 points/);
  // A one-point task among others is left out: the same model as without it.
  const small = { hidden: 4, features: 2, metaIterations: 20, batchSize: 8 };
  assert.deepEqual(fitFsbo([...tasks, single], small).net, fitFsbo(tasks, small).net);
  assert.throws(
    () => factory.fit([Float64Array.of(0.1)], Float64Array.of(1), new Rng(0)),
    /fsbo\.fit: points\[0\]: expected 2 coordinates, got 1/,
  );
});

Deno.test("fsbo: options given as undefined keep their defaults (fine-tuning still runs)", () => {
  const tasks = [0.2, 0.5, 0.8].map((c, i) => task(`t${i}`, c, 30, i + 1));
  const model = fitFsbo(tasks, { hidden: 6, features: 3, metaIterations: 50, batchSize: 16 });
  const target = task("new", 0.4, 8, 80);
  const tuned = fineTuneFsbo(model, target.points, target.values, { fineTuneSteps: undefined });
  assert.notEqual(tuned, model);
  const a = fsbo(model, { fineTuneSteps: undefined }).fit(target.points, target.values, new Rng(0));
  const b = fsbo(model, { fineTuneSteps: 0 }).fit(target.points, target.values, new Rng(0));
  assert.notDeepEqual(a.predict(target.points).mean, b.predict(target.points).mean);
});

Deno.test("fsbo: a fantasy (mode keep) tunes nothing and conditions the previous GP", () => {
  const model = fitFsbo([task("a", 0.2), task("b", 0.7)], {
    hidden: 6,
    features: 3,
    metaIterations: 50,
    batchSize: 16,
  });
  const factory = fsbo(model, { fineTuneSteps: 20 });
  const x = points(8, 2, 9);
  const y = Float64Array.from(x, quadratic(0.4));
  const first = factory.fit(x, y, new Rng(0)) as FsboSurrogate;
  const far = [Float64Array.of(0, 0), Float64Array.of(1, 1), Float64Array.of(0, 1)];
  const { std } = first.gp.standardization;
  const noise = first.gp.hyperparameters.noise * std * std;
  // Two believed points, one at a time, as a batch of three is proposed.
  let previous = first, seenX = x, seenY = y;
  for (const at of [[Float64Array.of(0.9, 0.1)], [Float64Array.of(0.1, 0.8)]]) {
    const what = String(at[0]);
    const before = previous.predict(at);
    seenX = [...seenX, ...at];
    seenY = Float64Array.of(...seenY, before.mean[0]);
    const believer = factory.fit(seenX, seenY, new Rng(1), {
      previous,
      mode: "keep",
    }) as FsboSurrogate;
    assert.deepEqual(believer.gp.hyperparameters, first.gp.hyperparameters, what);
    assert.deepEqual(believer.gp.standardization, first.gp.standardization, what);
    // Conditioned at its own mean μ: the mean there stays μ and the latent variance v becomes
    // v·σ²/(σ² + v), σ² the GP's noise in the target's units.
    const v = before.variance[0];
    const after = believer.predict(at);
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
    assert.ok(near(after.mean[0], before.mean[0]), `${what}: mean ${after.mean[0]}`);
    assert.ok(near(after.variance[0], (v * noise) / (noise + v)), `${what}: variance`);
    const was = previous.predict(far).variance, now = believer.predict(far).variance;
    now.forEach((u, i) => assert.ok(u <= was[i] * (1 + 1e-12), `${what}: variance rose at ${i}`));
    previous = believer;
  }
  // Data that do not extend the previous fit's: its model's GP fitted to them, nothing tuned.
  const changed = seenY.slice();
  changed[0] += 1;
  const other = factory.fit(seenX, changed, new Rng(1), { previous: first, mode: "keep" });
  assert.deepEqual(
    (other as FsboSurrogate).gp.hyperparameters.kernel,
    first.gp.hyperparameters.kernel,
  );
  assert.notDeepEqual((other as FsboSurrogate).gp.standardization, first.gp.standardization);
  // A surrogate of another model, or data that do not extend kept's, are refused by name.
  assert.throws(
    () => new FsboSurrogate(model, x, y, first),
    /FsboSurrogate\.kept: must be an FsboSurrogate of the same model/,
  );
  const own = new FsboSurrogate(model, x, y);
  assert.throws(
    () => new FsboSurrogate(model, seenX, changed, own),
    /FsboSurrogate\.kept: points and values must start with kept's 8/,
  );
});
