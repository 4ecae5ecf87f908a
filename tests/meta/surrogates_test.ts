import assert from "node:assert/strict";
import {
  bootstrapRankingLosses,
  type EncodedTask,
  epanechnikovWeight,
  fitBaseModels,
  leaveOneOutMeans,
  misrankedPairs,
  rankingWeights,
  relevantModels,
  rgpe,
  taf,
  tafParts,
  tstr,
  type WeightedEnsemble,
} from "../../lib/meta/mod.ts";
import { expectedImprovement } from "../../lib/acquisition/mod.ts";
import { fitGP } from "../../lib/gp/gp.ts";
import { kernelWeights } from "../../lib/meta/tstr.ts";
import { cholesky, choleskySolve, packRows } from "../../lib/linalg/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { predictMean, type Surrogate } from "../../lib/models/surrogate.ts";
import { standardizedMean, standardizedPredict } from "../../lib/meta/base_models.ts";

const grid = (n: number, dim = 1, seed = 0) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.uniforms(dim));
};
const task = (id: string, f: (u: Float64Array) => number, n = 20, seed = 1): EncodedTask => {
  const points = grid(n, 2, seed);
  return { id, points, values: Float64Array.from(points, f) };
};
const target = (u: Float64Array) => (u[0] - 0.3) ** 2 + 0.5 * (u[1] - 0.6) ** 2;
const similar = (u: Float64Array) => 3 * ((u[0] - 0.32) ** 2 + 0.5 * (u[1] - 0.58) ** 2) + 7;
const reversed = (u: Float64Array) => -target(u);
const unrelated = (u: Float64Array) => Math.sin(20 * u[0]) * Math.cos(17 * u[1]);

Deno.test("misrankedPairs counts ordered discordant pairs", () => {
  assert.equal(misrankedPairs(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3)), 0);
  assert.equal(misrankedPairs(Float64Array.of(1, 2, 3), Float64Array.of(3, 2, 1)), 6);
  // One swapped pair (2, 3): counted once each way.
  assert.equal(misrankedPairs(Float64Array.of(1, 3, 2), Float64Array.of(1, 2, 3)), 2);
  assert.throws(
    () => misrankedPairs(Float64Array.of(1), Float64Array.of(1, 2)),
    /1 predictions for 2/,
  );
});

Deno.test("bootstrap losses of a perfect model are 0 and of a reversed one positive", () => {
  const y = Float64Array.of(1, 2, 3, 4, 5, 6);
  const [perfect, backwards] = bootstrapRankingLosses([y, y.map((v) => -v)], y, 50, new Rng(0));
  assert.ok(perfect.every((l) => l === 0));
  assert.ok(backwards.every((l) => l > 0) || backwards.some((l) => l > 0));
  assert.ok(backwards.reduce((a, b) => a + b, 0) > 50 * 10);
});

Deno.test("leave-one-out means equal the posterior mean of the GP refitted without each point", () => {
  const x = grid(12, 2, 4);
  const y = Float64Array.from(x, target);
  const gp = fitGP(x, y);
  const loo = leaveOneOutMeans(gp, x, y);
  const theta = gp.logHyperparameters.subarray(0, gp.kernel.size);
  const { mean, std } = gp.standardization;
  for (let i = 0; i < x.length; i++) {
    const rest = x.filter((_, j) => j !== i);
    const yRest = Float64Array.from(y.filter((_, j) => j !== i), (v) => (v - mean) / std);
    const k = gp.kernel.gram(theta, packRows(rest, 2), rest.length);
    for (let j = 0; j < rest.length; j++) k[j * rest.length + j] += gp.hyperparameters.noise;
    const alpha = choleskySolve(cholesky(k, rest.length).lower, rest.length, yRest);
    const cross = gp.kernel.cross(theta, x[i], 1, packRows(rest, 2), rest.length);
    const expected = cross.reduce((s, c, j) => s + c * alpha[j], 0);
    assert.ok(Math.abs(loo[i] - expected) < 1e-6, `point ${i}: ${loo[i]} vs ${expected}`);
  }
  assert.throws(() => leaveOneOutMeans(gp, x.slice(1), y.slice(1)), /GP of 12/);
});

Deno.test("leave-one-out means of a constant-mean GP refit around its prior mean c", () => {
  // μ₋ᵢ = c + k₋ᵢᵀ(K₋ᵢ + σ²I)⁻¹(ỹ₋ᵢ − c), with c = hyperparameters.meanConstant held fixed.
  const x = [0.02, 0.1, 0.15, 0.3, 0.45, 0.5, 0.62, 0.8, 0.9, 0.97].map((v) => Float64Array.of(v));
  const y = Float64Array.from(x, (u) => Math.sin(6 * u[0]) + 3 * u[0] * u[0]);
  const gp = fitGP(x, y, { mean: "constant" });
  const c = gp.hyperparameters.meanConstant;
  assert.ok(Math.abs(c) > 0.1, `a clearly non-zero prior mean (c = ${c})`);
  const loo = leaveOneOutMeans(gp, x, y);
  const theta = gp.logHyperparameters.subarray(0, gp.kernel.size);
  const { mean, std } = gp.standardization;
  const noise = gp.hyperparameters.noise + gp.jitter;
  for (let i = 0; i < x.length; i++) {
    const rest = x.filter((_, j) => j !== i);
    const residual = Float64Array.from(y.filter((_, j) => j !== i), (v) => (v - mean) / std - c);
    const k = gp.kernel.gram(theta, packRows(rest, 1), rest.length);
    for (let j = 0; j < rest.length; j++) k[j * rest.length + j] += noise;
    const alpha = choleskySolve(cholesky(k, rest.length).lower, rest.length, residual);
    const cross = gp.kernel.cross(theta, x[i], 1, packRows(rest, 1), rest.length);
    const expected = c + cross.reduce((s, v, j) => s + v * alpha[j], 0);
    assert.ok(Math.abs(loo[i] - expected) < 1e-8, `point ${i}: ${loo[i]} vs ${expected}`);
  }
});

Deno.test("ranking weights favour the correct ranker and drop the backwards one", () => {
  const y = Float64Array.of(0.1, 0.5, 0.2, 0.9, 0.4, 0.7, 0.3, 0.8);
  const good = y.map((v) => 10 * v + 3); // same order
  const bad = y.map((v) => -v); // reversed
  const noisyTarget = Float64Array.of(0.2, 0.4, 0.1, 0.9, 0.5, 0.6, 0.3, 0.8);
  const w = rankingWeights([good, bad, noisyTarget], y, {
    samples: 200,
    dilutionQuantile: 0.95,
    rng: new Rng(1),
  });
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // Resamples that miss the target's two swapped pairs are ties, which the two models share.
  assert.ok(w[0] > 0.6 && w[0] > w[2], `weights ${w}`);
  assert.equal(w[1], 0);
  // Without dilution prevention the reversed model still never wins a resample here.
  const plain = rankingWeights([good, bad, noisyTarget], y, {
    samples: 200,
    dilutionQuantile: false,
    rng: new Rng(1),
  });
  assert.equal(plain[1], 0);
});

Deno.test("budget-aware pruning hands the weight to the target as the budget runs out", () => {
  const y = Float64Array.of(0.1, 0.5, 0.2, 0.9, 0.4, 0.7, 0.3, 0.8);
  const good = y.map((v) => 2 * v);
  const target = Float64Array.of(0.2, 0.4, 0.1, 0.9, 0.5, 0.6, 0.3, 0.8);
  const at = (budget: number, seed: number) =>
    rankingWeights([good, target], y, {
      samples: 100,
      dilutionQuantile: 0.95,
      budget,
      rng: new Rng(seed),
    });
  // n = budget: the keep probability is 0, every base model is pruned.
  const pruned = at(8, 0);
  assert.equal(pruned[0], 0);
  assert.ok(Math.abs(pruned[1] - 1) < 1e-12);
  // Otherwise a base model is kept with probability share(loss < target's loss)·(1 − n/budget).
  const [g, t] = bootstrapRankingLosses([good, target], y, 4000, new Rng(99));
  const share = g.filter((loss, k) => loss < t[k]).length / g.length;
  const seeds = Array.from({ length: 300 }, (_, seed) => seed);
  const kept = seeds.filter((seed) => at(16, seed)[0] > 0).length / seeds.length;
  assert.ok(Math.abs(kept - share * 0.5) < 0.08, `kept ${kept}, expected ${share * 0.5}`);
  assert.throws(() => rgpe(base, { budget: 0 }), /rgpe options.budget: must be a positive integer/);
});

Deno.test("relevance test: Holm-corrected Kendall tests drop models no better than chance", () => {
  const y = Float64Array.of(0.1, 0.5, 0.2, 0.9, 0.4, 0.7, 0.3, 0.8);
  const good = y.map((v) => 10 * v + 3);
  const shuffled = Float64Array.of(0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.5, 0.4);
  // p(good) = 1/8! ≤ 0.05/2; p(shuffled) is large.
  assert.deepEqual(relevantModels([good, shuffled], y, 0.05), [true, false]);
  // Holm: with m models the smallest p-value must be ≤ α/m; 1/8! passes any m ≤ 2,000.
  assert.deepEqual(relevantModels(Array(2000).fill(good), y, 0.05).every((p) => p), true);
  assert.deepEqual(relevantModels(Array(2100).fill(good), y, 0.05).some((p) => p), false);
  // Three points cannot show anything at 5%: the best p-value is 1/3! ≈ 0.17.
  const three = Float64Array.of(1, 2, 3);
  assert.deepEqual(relevantModels([three], three, 0.05), [false]);
  // In the weights: the irrelevant model gets nothing, without relevance it may win resamples.
  const noisyTarget = Float64Array.of(0.9, 0.4, 0.1, 0.2, 0.5, 0.6, 0.3, 0.8);
  const options = { samples: 200, dilutionQuantile: false as const, rng: new Rng(2) };
  const plain = rankingWeights([shuffled, noisyTarget], y, options);
  assert.ok(plain[0] > 0, `weights ${plain}`);
  const gated = rankingWeights([shuffled, noisyTarget], y, { ...options, relevance: 0.05 });
  assert.equal(gated[0], 0);
  assert.ok(Math.abs(gated[1] - 1) < 1e-12, `weights ${gated}`);
});

Deno.test("RGPE with a relevance level: an unrelated base model gets no weight", () => {
  const w = (rgpe(base, { relevance: 0.05 }).fit(targetX, targetY, new Rng(0)) as WeightedEnsemble)
    .weights;
  assert.ok((w.similar ?? 0) > 0.5, `weights ${JSON.stringify(w)}`);
  assert.equal(w.unrelated ?? 0, 0, `weights ${JSON.stringify(w)}`);
  assert.equal(w.reversed ?? 0, 0);
  // Below minPoints the weights stay uniform; with minPoints 0 and no evidence yet, the target
  // model has all of it.
  const fewX = targetX.slice(0, 2);
  const fewY = targetY.slice(0, 2);
  const early = rgpe(base, { relevance: 0.05, minPoints: 0 }).fit(fewX, fewY, new Rng(0));
  const weights = (early as WeightedEnsemble).weights;
  assert.deepEqual(Object.keys(weights), ["target"], `weights ${JSON.stringify(weights)}`);
  assert.ok(Math.abs(weights.target - 1) < 1e-12);
  assert.throws(() => rgpe(base, { relevance: 1 }), /rgpe options.relevance: must be in \(0, 1\)/);
});

Deno.test("epanechnikov weights follow ¾(1 − (ξ/ρ)²)", () => {
  const y = Float64Array.of(1, 2, 3, 4, 5);
  assert.equal(epanechnikovWeight(y, y, 0.1), 0.75);
  const swapped = Float64Array.of(2, 1, 3, 4, 5); // 1 discordant pair of 10
  assert.ok(Math.abs(epanechnikovWeight(swapped, y, 0.2) - 0.75 * (1 - 0.25)) < 1e-12);
  assert.equal(epanechnikovWeight(swapped, y, 0.05), 0);
  assert.equal(epanechnikovWeight(Float64Array.of(1), Float64Array.of(1), 0.1), 0.75);
});

const base = fitBaseModels([
  task("similar", similar, 30, 2),
  task("reversed", reversed, 30, 3),
  task("unrelated", unrelated, 30, 5),
]);
const targetX = grid(10, 2, 7);
const targetY = Float64Array.from(targetX, target);

Deno.test("RGPE weights favour the task that ranks the target's observations correctly", () => {
  const ensemble = rgpe(base).fit(targetX, targetY, new Rng(0)) as WeightedEnsemble;
  const w = ensemble.weights;
  assert.ok((w.similar ?? 0) > 0.5, `weights ${JSON.stringify(w)}`);
  assert.equal(w.reversed ?? 0, 0, `weights ${JSON.stringify(w)}`);
  assert.ok((w.similar ?? 0) > (w.unrelated ?? 0));
  // Fewer than minPoints observations: uniform weights over the 3 base models and the target.
  const early = rgpe(base).fit(
    targetX.slice(0, 2),
    targetY.slice(0, 2),
    new Rng(0),
  ) as WeightedEnsemble;
  assert.deepEqual(Object.values(early.weights), [0.25, 0.25, 0.25, 0.25]);
});

Deno.test("RGPE predictions are Σ w μ and Σ w² σ² in the target's units", () => {
  const ensemble = rgpe(base, { dilutionQuantile: false, minPoints: 100 })
    .fit(targetX, targetY, new Rng(0)) as WeightedEnsemble;
  const at = grid(5, 2, 9);
  const { mean, variance } = ensemble.predict(at);
  const { mean: ty, std: ts } = ensemble.target.standardization;
  const gps = [...base.map((b) => b.gp), ensemble.target];
  for (let i = 0; i < at.length; i++) {
    let m = 0, v = 0;
    for (const gp of gps) {
      const p = gp.predict([at[i]]);
      const { mean: shift, std } = gp.standardization;
      m += 0.25 * (p.mean[0] - shift) / std;
      v += 0.0625 * p.variance[0] / std ** 2;
    }
    assert.ok(Math.abs(mean[i] - (ty + ts * m)) < 1e-9);
    assert.ok(Math.abs(variance[i] - ts * ts * v) < 1e-9);
  }
});

function checkGradient(surrogate: Surrogate, label: string) {
  const rng = new Rng(3);
  for (let k = 0; k < 5; k++) {
    const x = rng.uniforms(2).map((v) => 0.1 + 0.8 * v);
    const p = surrogate.predictWithGradient(x);
    const q = surrogate.predict([x]);
    assert.ok(Math.abs(p.mean - q.mean[0]) < 1e-9 && Math.abs(p.variance - q.variance[0]) < 1e-9);
    for (let j = 0; j < 2; j++) {
      const h = 1e-6;
      const up = x.slice(), down = x.slice();
      up[j] += h;
      down[j] -= h;
      const [a, b] = [surrogate.predict([up]), surrogate.predict([down])];
      const dm = (a.mean[0] - b.mean[0]) / (2 * h);
      const dv = (a.variance[0] - b.variance[0]) / (2 * h);
      assert.ok(
        Math.abs(dm - p.meanGradient[j]) < 1e-5 * Math.max(1, Math.abs(dm)),
        `${label} dmean`,
      );
      assert.ok(
        Math.abs(dv - p.varianceGradient[j]) < 1e-5 * Math.max(1, Math.abs(dv)),
        `${label} dvar`,
      );
    }
  }
}

Deno.test("RGPE and TST-R gradients match finite differences", () => {
  checkGradient(rgpe(base, { minPoints: 100 }).fit(targetX, targetY, new Rng(0)), "rgpe");
  checkGradient(rgpe(base).fit(targetX, targetY, new Rng(0)), "rgpe weighted");
  checkGradient(tstr(base, { bandwidth: 0.5 }).fit(targetX, targetY, new Rng(0)), "tst-r");
});

Deno.test("RGPE joint samples have the ensemble's mean and variance", () => {
  const ensemble = rgpe(base, { minPoints: 100 }).fit(targetX, targetY, new Rng(0));
  const at = [Float64Array.of(0.9, 0.1), Float64Array.of(0.5, 0.5)];
  const { mean, variance } = ensemble.predict(at);
  const draws = ensemble.sampleJoint(at, 4000, new Rng(2));
  for (let i = 0; i < 2; i++) {
    const xs = draws.map((d) => d[i]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    const sd = Math.sqrt(variance[i]);
    assert.ok(Math.abs(m - mean[i]) < 0.1 * sd + 1e-9, `mean ${m} vs ${mean[i]}`);
    assert.ok(Math.abs(v / variance[i] - 1) < 0.1, `variance ${v} vs ${variance[i]}`);
  }
});

Deno.test("TST-R: kernel-weighted mean, the target's variance", () => {
  const model = tstr(base, { bandwidth: 0.3 }).fit(
    targetX,
    targetY,
    new Rng(0),
  ) as WeightedEnsemble;
  const w = model.weights;
  assert.ok(w.similar > 0 && !("reversed" in w), JSON.stringify(w));
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-12);
  const at = [Float64Array.of(0.4, 0.4)];
  const t = model.target.predict(at);
  assert.ok(Math.abs(model.predict(at).variance[0] - t.variance[0]) < 1e-12);
});

Deno.test("TAF = [¾·EI_t + Σ w·max(0, y* − μ̃)]/Σw, with matching gradients", () => {
  const target = fitGP(targetX, targetY);
  const best = Math.min(...targetY);
  const context = {
    best,
    rng: new Rng(0),
    points: targetX,
    values: Float64Array.from(targetY),
    pending: [],
  };
  const acquisition = taf(base, { bandwidth: 0.3 })(target, context);
  const parts = tafParts(base, context, { bandwidth: 0.3 });
  assert.deepEqual(parts.weights, kernelWeights(base, targetX, Float64Array.from(targetY), 0.3));
  const ei = expectedImprovement(target, { best });
  const std = target.standardization.std;
  const total = parts.weights.reduce((a, b) => a + b, 0) + 0.75;
  const rng = new Rng(8);
  for (let k = 0; k < 6; k++) {
    const x = rng.uniforms(2).map((v) => 0.05 + 0.9 * v);
    let expected = 0.75 * ei.evaluate([x])[0] / std;
    base.forEach((b, i) => {
      const { mean: shift, std: s } = b.gp.standardization;
      const mu = (b.gp.predict([x]).mean[0] - shift) / s;
      const incumbent = Math.min(...targetX.map((p) => (b.gp.predict([p]).mean[0] - shift) / s));
      expected += parts.weights[i] * Math.max(0, incumbent - mu);
    });
    expected /= total;
    const value = acquisition.evaluate([x])[0];
    assert.ok(Math.abs(value - expected) < 1e-9 * Math.max(1, expected), `${value} vs ${expected}`);
    const { value: v2, gradient } = acquisition.valueAndGradient!(x);
    assert.ok(Math.abs(v2 - value) < 1e-12);
    for (let j = 0; j < 2; j++) {
      const h = 1e-6;
      const up = x.slice(), down = x.slice();
      up[j] += h;
      down[j] -= h;
      const fd = (acquisition.evaluate([up])[0] - acquisition.evaluate([down])[0]) / (2 * h);
      assert.ok(
        Math.abs(fd - gradient[j]) < 1e-5 * Math.max(1, Math.abs(fd)),
        `d${j}: ${fd} vs ${gradient[j]}`,
      );
    }
  }
  assert.throws(
    () => taf(base)(target, { ...context, points: [], values: new Float64Array() }),
    /taf: the acquisition context needs observed points/,
  );
});

Deno.test("the transfer surrogates are deterministic for a seed", () => {
  const a = rgpe(base).fit(targetX, targetY, new Rng(5)).predict(targetX);
  const b = rgpe(base).fit(targetX, targetY, new Rng(5)).predict(targetX);
  assert.deepEqual(a, b);
});

Deno.test("bad inputs to the transfer surrogates give clear errors", () => {
  assert.throws(() => rgpe([]), /rgpe.baseModels: needs at least one base model/);
  assert.throws(
    () => rgpe(base, { samples: 0 }),
    /rgpe options.samples: must be a positive integer/,
  );
  assert.throws(() => rgpe(base, { dilutionQuantile: 2 }), /rgpe options.dilutionQuantile/);
  assert.throws(() => tstr(base, { bandwidth: -1 }), /tstr options.bandwidth: must be > 0/);
  assert.throws(() => taf([{ id: "x", gp: {} } as never]), /taf.baseModels\[0\].gp/);
  assert.throws(
    () => rgpe(base).fit([Float64Array.of(0.5)], Float64Array.of(1), new Rng(0)),
    /1 dimensions, base models 2/,
  );
  assert.throws(
    () => fitBaseModels([{ id: "e", points: [], values: new Float64Array() }]),
    /tasks\[0\].points/,
  );
});

Deno.test("predictMean equals predict(...).mean bit for bit, for a GP and the ensembles", () => {
  const f = (u: Float64Array) => (u[0] - 0.3) ** 2 + u[1];
  const base = fitBaseModels([task("a", f), task("b", (u) => -f(u), 20, 2)]);
  const x = grid(8, 2, 5);
  const y = Float64Array.from(x, f);
  const at = grid(300, 2, 9); // more than one prediction chunk
  const gp = fitGP(x, y);
  assert.deepEqual(gp.predictMean(at), gp.predict(at).mean);
  for (const factory of [rgpe(base), tstr(base)]) {
    const s = factory.fit(x, y, new Rng(0)) as WeightedEnsemble;
    assert.deepEqual(s.predictMean(at), s.predict(at).mean);
  }
  // The fallback for surrogates without predictMean.
  const plain: Surrogate = {
    dim: 2,
    predict: (p) => gp.predict(p),
    predictWithGradient: (p) => gp.predictWithGradient(p),
    sampleJoint: (p, c, r) => gp.sampleJoint(p, c, r),
  };
  assert.deepEqual(predictMean(plain, at), gp.predict(at).mean);
});

Deno.test("base-model predictions are cached per point and identical to fresh ones", () => {
  const f = (u: Float64Array) => (u[0] - 0.3) ** 2 + u[1];
  const [model] = fitBaseModels([task("a", f)]);
  const pool = grid(40, 2, 3);
  const fresh = standardizedPredict(model.gp, pool);
  let calls = 0;
  const counting = new Proxy(model.gp, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (key === "predict" || key === "predictMean") {
        return (p: Float64Array[]) => (calls += p.length, value.call(target, p));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const first = standardizedPredict(counting, pool, { cache: true });
  const again = standardizedPredict(counting, pool.slice(5), { cache: true });
  const means = standardizedMean(counting, pool, { cache: true });
  assert.deepEqual(first, fresh);
  assert.deepEqual(again.mean, fresh.mean.slice(5));
  assert.deepEqual(means, fresh.mean);
  assert.equal(calls, 40); // every point predicted once
  // A point mutated in place is recomputed, not served stale.
  pool[0][0] = 0.99;
  const moved = standardizedMean(counting, [pool[0]], { cache: true });
  assert.deepEqual(moved, standardizedMean(model.gp, [pool[0]]));
  assert.equal(calls, 41);
});
