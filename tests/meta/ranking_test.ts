/**
 * The rules of the RGPE weights (Feurer, Letham & Bakshy 2018, Algorithm 1; lib/meta/ranking.ts)
 * on cases small enough to work out by hand: a bootstrap pair counts with the product of its
 * indices' multiplicities, a resample's win is shared among the tied models, weight dilution
 * compares the median loss of a base model with a quantile of the target's, and the relevance
 * test is Holm's step-down (or Benjamini–Hochberg's step-up) correction of exact Kendall tests.
 */
import assert from "node:assert/strict";
import {
  bootstrapRankingLosses,
  epanechnikovWeight,
  fitBaseModels,
  leaveOneOutMeans,
  leaveOneOutPredictions,
  misrankedPairs,
  rankingWeights,
  relevantModels,
  rgpe,
  type WeightedEnsemble,
} from "../../lib/meta/mod.ts";
import { fitGP } from "../../lib/gp/gp.ts";
import { cholesky, choleskySolve, packRows } from "../../lib/linalg/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { quantile } from "../../lib/stats/mod.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);

Deno.test("bootstrap ranking losses count a pair with the product of its multiplicities", () => {
  // Three distinct values, predictions in reverse: every pair of distinct indices is misranked,
  // both ways. A resample with multiplicities c (Σc = 3) then loses Σ_{j≠k} c_j·c_k = 9 − Σc²:
  // 0 for (3, 0, 0), 4 for (2, 1, 0), 6 for (1, 1, 1). Counting a drawn index once would give 3
  // for (2, 1, 0).
  const y = Float64Array.of(1, 2, 3);
  const [reversed] = bootstrapRankingLosses([y.map((v) => -v)], y, 300, new Rng(5));
  const seen = new Set(reversed);
  for (const loss of seen) assert.ok([0, 4, 6].includes(loss), `loss ${loss} of ${[...seen]}`);
  // (2, 1, 0)-type resamples are 18 of the 27 equally likely draws; (1, 1, 1) 6 of them.
  assert.ok(seen.has(4) && seen.has(6), `losses ${[...seen]}`);
  // One swapped pair (indices 0 and 1): the loss is 2·c₀·c₁ ∈ {0, 2, 4}.
  const [swapped] = bootstrapRankingLosses([Float64Array.of(2, 1, 3)], y, 300, new Rng(6));
  const swaps = new Set(swapped);
  for (const loss of swaps) assert.ok([0, 2, 4].includes(loss), `loss ${loss} of ${[...swaps]}`);
  assert.ok(swaps.has(2) && swaps.has(4), `losses ${[...swaps]}`);
});

Deno.test("RGPE weights: models tied for the lowest loss share the resample equally", () => {
  // Two base models and the target all rank perfectly: every resample is a three-way tie.
  const y = Float64Array.of(0.3, 0.1, 0.9, 0.4, 0.7);
  for (const dilutionQuantile of [0.95, false] as const) {
    const w = rankingWeights([y, y.map((v) => 2 * v + 1), y], y, {
      samples: 50,
      dilutionQuantile,
      rng: new Rng(3),
    });
    for (let i = 0; i < 3; i++) close(w[i], 1 / 3, 1e-12, `weight ${i} (${dilutionQuantile})`);
  }
});

Deno.test("RGPE weights: a base model tied with the target in a resample gets half of it", () => {
  // y = (1, 2, 3); the base model swaps indices 0 and 1, the target model ranks perfectly (loss
  // 0 always). The base model's loss 2·c₀·c₁ is 0 exactly when index 0 or 1 is not drawn, with
  // probability 1 − 2·(2/3)³ + (1/3)³ = 15/27: those resamples are ties, split ½–½, the others go
  // to the target. Expected weights 15/54 and 39/54.
  const y = Float64Array.of(1, 2, 3);
  const base = Float64Array.of(2, 1, 3);
  const samples = 2000;
  const [losses, target] = bootstrapRankingLosses([base, y], y, samples, new Rng(8));
  assert.ok(target.every((l) => l === 0));
  const ties = losses.filter((l) => l === 0).length;
  close(ties / samples, 15 / 27, 0.05, "share of resamples the base model ranks perfectly");
  // Dilution prevention drops a base model whose MEDIAN loss exceeds the 95 % quantile of the
  // target's (0 here). Its median is 0, so it stays, although its 75th percentile is not 0.
  assert.equal(quantile(losses, 0.5), 0);
  assert.ok(quantile(losses, 0.75) > 0);
  // rankingWeights draws the same resamples from the same seed (its first use of the rng).
  const w = rankingWeights([base, y], y, { samples, dilutionQuantile: 0.95, rng: new Rng(8) });
  close(w[0], ties / (2 * samples), 1e-12, "base weight: half of each tie");
  close(w[1], 1 - ties / (2 * samples), 1e-12, "target weight");
  close(w[0], 15 / 54, 0.03, "base weight vs its expectation");
  // With a dilution quantile the target's losses cannot reach (all 0), the rule still compares
  // the median: 0 > 0 is false.
  const strict = rankingWeights([base, y], y, {
    samples,
    dilutionQuantile: 0.5,
    rng: new Rng(8),
  });
  assert.deepEqual(strict, w);
});

Deno.test("relevantModels: Holm's step-down thresholds α/m, α/(m − 1), …, not α/m for all", () => {
  // Five distinct values: of the 5! arrangements one has 0 inversions and four have exactly 1
  // (adjacent swaps), so the exact one-sided Kendall p-values are 1/120 for a perfect ranker and
  // 5/120 = 1/24 ≈ 0.0417 for a ranker with one swapped neighbouring pair.
  const y = Float64Array.of(1, 2, 3, 4, 5);
  const perfect = y.map((v) => 10 * v);
  const oneSwap = Float64Array.of(2, 1, 3, 4, 5);
  // m = 2, α = 0.05: 1/120 ≤ 0.05/2, then 1/24 ≤ 0.05/1; Bonferroni (α/m = 0.025 for both) would
  // reject the second.
  assert.deepEqual(relevantModels([perfect, oneSwap], y, 0.05), [true, true]);
  assert.deepEqual(relevantModels([oneSwap, perfect], y, 0.05), [true, true]);
  // m = 3: 1/120 ≤ 0.05/3, 1/120 ≤ 0.05/2, 1/24 ≤ 0.05/1.
  assert.deepEqual(relevantModels([perfect, oneSwap, perfect], y, 0.05), [true, true, true]);
  // The last threshold is α itself: at α = 0.04 < 1/24 the swapped ranker fails.
  assert.deepEqual(relevantModels([perfect, oneSwap], y, 0.04), [true, false]);
  // Step-down stops at the first failure: the smallest p-value, 1/24 > 0.05/2, fails, so both do;
  // Benjamini–Hochberg's step-up passes both (the largest k with p₍ₖ₎ ≤ k·α/m is k = 2).
  assert.deepEqual(relevantModels([oneSwap, oneSwap], y, 0.05), [false, false]);
  assert.deepEqual(relevantModels([oneSwap, oneSwap], y, 0.05, "bh"), [true, true]);
  // In the weights: with relevance 0.05 both base models stay eligible.
  const options = { samples: 20, dilutionQuantile: false as const, relevance: 0.05 };
  const w = rankingWeights([perfect, oneSwap, oneSwap], y, { ...options, rng: new Rng(1) });
  assert.ok(w[0] > 0 && w[1] > 0, `weights ${w}`);
});

Deno.test("pairwise ranking predictions: row j's own point against the others, as Feurer et al. 2018, eq. 3", () => {
  const y = Float64Array.of(1, 2, 3);
  // Row 0 orders x₀ below both others (right: 0 misranked); row 1 puts x₁ above x₀ and below x₂
  // the wrong way round (2 misranked); row 2 ties x₂ with everything (0 misranked: a tie is
  // "not below", as y₂ is not below y₀ or y₁).
  const pairwise = Float64Array.of(0, 1, 2, 5, 1, 0, 0, 0, 0);
  assert.equal(misrankedPairs({ pairwise }, y), 2);
  // Bootstrap multiplicities weight pair (j, k) by c_j·c_k, as for one prediction per value.
  const [losses] = bootstrapRankingLosses([{ pairwise }], y, 200, new Rng(3));
  const seen = new Set(losses);
  for (const loss of seen) assert.ok([0, 1, 2, 4].includes(loss), `loss ${loss}`);
  assert.throws(() => misrankedPairs({ pairwise: new Float64Array(4) }, y), /n² needed/);
  // Base models give one prediction per value: a pairwise base model is refused with a name.
  assert.throws(
    () =>
      rankingWeights([{ pairwise }, y], y, {
        samples: 10,
        dilutionQuantile: 0.95,
        relevance: 0.05,
        rng: new Rng(0),
      }),
    /predictions\[0\] of a base model must be one per value/,
  );
});

Deno.test("leaveOneOutPredictions: entry (j, k) is the mean at x_k of the GP refitted without x_j", () => {
  // Noisy values, so that the noise term of the off-diagonal closed form matters.
  const x = Array.from({ length: 11 }, (_, i) => Float64Array.of(i / 10, ((i * 7) % 11) / 10));
  const y = Float64Array.from(
    x,
    (u, i) => Math.sin(5 * u[0]) + (u[1] - 0.4) ** 2 + 0.3 * Math.cos(17 * i),
  );
  for (const mean of ["zero", "constant"] as const) {
    const gp = fitGP(x, y, { mean });
    assert.ok(gp.hyperparameters.noise > 1e-3, `${mean}: noise ${gp.hyperparameters.noise}`);
    const { pairwise } = leaveOneOutPredictions(gp, x, y);
    const loo = leaveOneOutMeans(gp, x, y);
    const n = x.length;
    const theta = gp.logHyperparameters.subarray(0, gp.kernel.size);
    const { mean: shift, std } = gp.standardization;
    const c = gp.hyperparameters.meanConstant;
    const noise = gp.hyperparameters.noise + gp.jitter;
    for (let j = 0; j < n; j++) {
      assert.equal(pairwise[j * n + j], loo[j], `${mean}: diagonal ${j} is the leave-one-out mean`);
      const rest = x.filter((_, i) => i !== j);
      const residual = Float64Array.from(
        y.filter((_, i) => i !== j),
        (v) => (v - shift) / std - c,
      );
      const k = gp.kernel.gram(theta, packRows(rest, 2), rest.length);
      for (let i = 0; i < rest.length; i++) k[i * rest.length + i] += noise;
      const alpha = choleskySolve(cholesky(k, rest.length).lower, rest.length, residual);
      for (let kk = 0; kk < n; kk++) {
        const cross = gp.kernel.cross(theta, x[kk], 1, packRows(rest, 2), rest.length);
        const expected = c + cross.reduce((s, v, i) => s + v * alpha[i], 0);
        close(pairwise[j * n + kk], expected, 1e-9, `${mean}: entry (${j}, ${kk})`);
      }
    }
    assert.throws(() => leaveOneOutPredictions(gp, x.slice(1), y.slice(1)), /GP of 11/);
  }
});

Deno.test('rgpe targetLoss "pairwise" (the paper\'s) gives the target model more weight than "means"', () => {
  const f = (u: Float64Array) => Math.sin(6 * u[0]) + 3 * (u[1] - 0.4) ** 2;
  const past = (u: Float64Array) => f(u) + 0.6 * Math.cos(5 * u[1]);
  const grid = Array.from(
    { length: 30 },
    (_, i) => Float64Array.of((i % 6) / 5, Math.floor(i / 6) / 4),
  );
  const base = fitBaseModels([{ id: "past", points: grid, values: Float64Array.from(grid, past) }]);
  for (const seed of [0, 2, 4]) {
    const rng = new Rng(seed);
    const xs = Array.from({ length: 8 }, () => Float64Array.of(rng.uniform(), rng.uniform()));
    const y = Float64Array.from(xs, f);
    const weight = (targetLoss: "means" | "pairwise") =>
      (rgpe(base, { samples: 4000, targetLoss }).fit(xs, y, new Rng(1)) as WeightedEnsemble)
        .weights.target;
    const [means, pairwise] = [weight("means"), weight("pairwise")];
    assert.ok(pairwise > means + 0.05, `seed ${seed}: pairwise ${pairwise}, means ${means}`);
  }
  assert.throws(
    () => rgpe(base, { targetLoss: "paper" as "pairwise" }),
    /targetLoss/,
  );
});

Deno.test("ranking weights: bad arguments are refused, naming them", () => {
  const y = Float64Array.of(1, 2, 3, 4, 5);
  const p = [y, y.map((v) => -v), y.map((v) => v * v)];
  const options = { samples: 10, dilutionQuantile: 0.95 as const, rng: new Rng(0) };
  const refused = (f: () => unknown, name: string, message: string | RegExp) =>
    assert.throws(f, { name, message });
  for (const samples of [0, 2.5, -3]) {
    refused(
      () => rankingWeights(p, y, { ...options, samples }),
      "TypeError",
      "rankingWeights options.samples: must be a positive integer",
    );
    refused(
      () => bootstrapRankingLosses(p, y, samples, new Rng(0)),
      "TypeError",
      "bootstrapRankingLosses samples: must be a positive integer",
    );
  }
  refused(
    () => rankingWeights(p, y, { ...options, budget: 0 }),
    "TypeError",
    "rankingWeights options.budget: must be a positive integer",
  );
  refused(
    () => rankingWeights(p, y, { ...options, relevance: 5 }),
    "TypeError",
    "rankingWeights options.relevance: must be in (0, 1)",
  );
  refused(
    () => rankingWeights(p, y, { ...options, dilutionQuantile: 1.5 }),
    "TypeError",
    /^rankingWeights options\.dilutionQuantile: must be in \[0, 1\]/,
  );
  refused(
    () => rankingWeights(p, Float64Array.of(1, NaN, 3, 4, 5), options),
    "RangeError",
    "rankingWeights values[1]: must be finite, got NaN",
  );
  for (const bandwidth of [0, -1, NaN]) {
    refused(
      () => epanechnikovWeight(y, y, bandwidth),
      "TypeError",
      /^epanechnikovWeight bandwidth: /,
    );
  }
  refused(
    () => epanechnikovWeight(y, y, 0),
    "TypeError",
    "epanechnikovWeight bandwidth: must be > 0",
  );
  refused(
    () => epanechnikovWeight(y, y, 1.5),
    "TypeError",
    "epanechnikovWeight bandwidth: must be ≤ 1",
  );
  for (const level of [5, 0, 1, -0.1, NaN]) {
    refused(() => relevantModels(p, y, level), "TypeError", /^relevantModels level: /);
  }
  refused(() => relevantModels(p, y, 5), "TypeError", "relevantModels level: must be in (0, 1)");
  refused(
    () => relevantModels(p, y, 0.05, "bonferroni" as never),
    "TypeError",
    /^relevantModels method: must be one of "holm", "bh"/,
  );
  // The limits themselves are accepted.
  assert.equal(epanechnikovWeight(y, y, 1), 0.75);
  assert.equal(rankingWeights(p, y, { ...options, samples: 1, budget: 1 }).length, 3);
});

Deno.test("relevantModels: a NaN prediction or value is refused, naming it", () => {
  const target = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const bad = Float64Array.of(NaN, NaN, NaN, NaN, 5, 6, 7, 8);
  assert.throws(() => relevantModels([target, bad], target, 0.05), {
    name: "RangeError",
    message: "relevantModels predictions[1][0]: must not be NaN",
  });
  assert.throws(() => relevantModels([target], bad, 0.05), {
    name: "RangeError",
    message: "relevantModels values[0]: must not be NaN",
  });
});
