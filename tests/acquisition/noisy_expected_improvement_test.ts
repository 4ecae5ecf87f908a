import assert from "node:assert/strict";
import {
  logNoisyExpectedImprovement,
  NOISY_EXPECTED_IMPROVEMENT_DEFAULTS,
  type NoisyExpectedImprovementOptions,
} from "../../lib/acquisition/noisy_expected_improvement.ts";
import { logExpectedImprovement } from "../../lib/acquisition/expected_improvement.ts";
import { fitGP, type GaussianProcess, gpFactory } from "../../lib/gp/gp.ts";
import { randomForest } from "../../lib/models/random_forest.ts";
import { ablr, fitAblr } from "../../lib/meta/ablr.ts";
import { fitBaseModels } from "../../lib/meta/base_models.ts";
import { fitFsbo, fsbo } from "../../lib/meta/fsbo.ts";
import { rgpe } from "../../lib/meta/rgpe.ts";
import { tstr } from "../../lib/meta/tstr.ts";
import { cholesky } from "../../lib/linalg/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { type AcquisitionContext, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { centralDifference } from "../_assert.ts";
import { rbfKernel, sumKernel } from "../../lib/gp/kernels.ts";
import { linearKernel } from "../gp/_linear_kernel.ts";
import { constantSurrogate, wavySurrogate } from "./_fake_surrogate.ts";

/** A 1-D GP with fixed hyperparameters fitted to noisy values of sin(6x). */
function noisy1d(): { gp: GaussianProcess; points: Float64Array[] } {
  const rng = new Rng(4);
  const points = [0.05, 0.2, 0.3, 0.42, 0.55, 0.7, 0.85, 0.95].map((v) => Float64Array.of(v));
  const y = points.map((p) => Math.sin(6 * p[0]) + 0.3 * rng.normal());
  const gp = fitGP(points, y, { hyperparameters: { kernel: [0.2, 1], noise: 0.15 } });
  return { gp, points };
}

/** A 2-D GP fitted (MAP) to noisy values of a bowl with a ripple. */
function noisy2d(noise?: number): { gp: GaussianProcess; points: Float64Array[] } {
  const rng = new Rng(9);
  const points = Array.from({ length: 14 }, () => rng.uniforms(2));
  const y = points.map((p) =>
    (p[0] - 0.4) ** 2 + (p[1] - 0.6) ** 2 + 0.1 * Math.sin(8 * p[0]) +
    (noise === undefined ? 0.05 * rng.normal() : 0)
  );
  const gp = noise === undefined
    ? fitGP(points, y, { restarts: 1, rng: new Rng(1) })
    : fitGP(points, y, { hyperparameters: { kernel: [0.3, 0.4, 1.5], noise } });
  return { gp, points };
}

Deno.test("logNoisyExpectedImprovement: matches a brute-force Monte-Carlo estimate of NEI", () => {
  const { gp, points } = noisy1d();
  const n = points.length;
  const nei = logNoisyExpectedImprovement(gp, { points, rng: new Rng(1), samples: 16384 });
  const rng = new Rng(2);
  const draws = 200_000;
  for (const at of [0.62, 0.77, 0.9, 1]) {
    // Joint posterior of the latent f at [X, x], original units.
    const all = [...points, Float64Array.of(at)];
    const m = n + 1;
    const { mean } = gp.predict(all);
    const { lower } = cholesky(gp.covariance(all), m);
    let sum = 0, sumSquares = 0;
    for (let d = 0; d < draws; d++) {
      const z = rng.normals(m);
      let best = Infinity, fx = 0;
      for (let p = 0; p < m; p++) {
        let f = mean[p];
        for (let q = 0; q <= p; q++) f += lower[p * m + q] * z[q];
        if (p < n) best = Math.min(best, f);
        else fx = f;
      }
      const improvement = Math.max(best - fx, 0);
      sum += improvement;
      sumSquares += improvement * improvement;
    }
    const estimate = sum / draws;
    const sd = Math.sqrt(Math.max(sumSquares / draws - estimate * estimate, 0));
    // NEI's own error is below sd/√N (each of its terms is a conditional expectation of the
    // improvement, of smaller variance).
    const tolerance = 4 * sd * Math.sqrt(1 / draws + 1 / 16384);
    const [logValue] = nei.evaluate([Float64Array.of(at)]);
    const value = Math.exp(logValue) * gp.standardization.std; // standardised → original units
    assert.ok(
      Math.abs(value - estimate) <= tolerance,
      `x = ${at}: NEI ${value} vs Monte Carlo ${estimate} ± ${tolerance}`,
    );
    assert.ok(estimate > 1e-3, `x = ${at}: an informative point (${estimate})`);
  }
});

Deno.test("logNoisyExpectedImprovement: the gradient matches central differences", () => {
  const { gp, points } = noisy2d();
  assert.ok(gp.hyperparameters.noise > 1e-4, `a noisy fit (${gp.hyperparameters.noise})`);
  const nei = logNoisyExpectedImprovement(gp, { points, rng: new Rng(3) });
  const value = (x: Float64Array) => nei.evaluate([x])[0];
  const at = [
    Float64Array.of(0.5, 0.5),
    Float64Array.of(0.1, 0.9),
    Float64Array.of(0.33, 0.61),
    Float64Array.of(0.95, 0.05),
    points[3].map((v) => v + 1e-3),
  ];
  for (const x of at) {
    const { value: v, gradient } = nei.valueAndGradient!(x);
    assert.equal(v, value(x), "valueAndGradient and evaluate agree");
    for (let j = 0; j < 2; j++) {
      const numeric = centralDifference(value, x, j, 1e-6);
      assert.ok(
        Math.abs(gradient[j] - numeric) <= 1e-5 * Math.max(1, Math.abs(numeric)),
        `x = ${x}, j = ${j}: ${gradient[j]} vs ${numeric}`,
      );
    }
  }
});

Deno.test("logNoisyExpectedImprovement: the gradient is exact for a non-stationary kernel too", () => {
  // Before: ∂k(x, x)/∂x was dropped from ∂σ²/∂x, right only for stationary kernels.
  const rng = new Rng(6);
  const points = Array.from({ length: 10 }, () => rng.uniforms(2));
  const y = points.map((p) => p[0] - 2 * p[1] + 0.1 * rng.normal());
  for (const diagonalGradient of [false, true]) {
    const kernel = sumKernel(rbfKernel(2), linearKernel(2, diagonalGradient));
    const gp = fitGP(points, y, {
      kernel,
      hyperparameters: { kernel: [0.3, 0.4, 0.5, 2], noise: 0.05 },
    });
    const nei = logNoisyExpectedImprovement(gp, { points, rng: new Rng(3) });
    const value = (x: Float64Array) => nei.evaluate([x])[0];
    for (const x of [Float64Array.of(0.8, 0.9), Float64Array.of(0.6, 0.2)]) {
      const { gradient } = nei.valueAndGradient!(x);
      for (let j = 0; j < 2; j++) {
        const numeric = centralDifference(value, x, j, 1e-6);
        assert.ok(
          Math.abs(gradient[j] - numeric) <= 1e-5 * Math.max(1, Math.abs(numeric)),
          `x = ${x}, j = ${j}: ${gradient[j]} vs ${numeric}`,
        );
      }
    }
  }
});

Deno.test("logNoisyExpectedImprovement: on noise-free data it is LogEI over the best observation", () => {
  const { gp, points } = noisy2d(1e-6);
  const y = gp.predict(points).mean;
  const best = Math.min(...y);
  const nei = logNoisyExpectedImprovement(gp, { points, rng: new Rng(5) });
  const logEi = logExpectedImprovement(gp, { best });
  const at = [
    Float64Array.of(0.5, 0.5),
    Float64Array.of(0.35, 0.65),
    Float64Array.of(0.1, 0.9),
    Float64Array.of(0.9, 0.2),
  ];
  const shift = Math.log(gp.standardization.std); // standardised → original units
  const expected = logEi.evaluate(at);
  const actual = nei.evaluate(at);
  at.forEach((x, i) => {
    assert.ok(
      Math.abs(actual[i] + shift - expected[i]) < 2e-2,
      `x = ${x}: log NEI ${actual[i] + shift} vs log EI ${expected[i]}`,
    );
    const g = nei.valueAndGradient!(x).gradient;
    const h = logEi.valueAndGradient!(x).gradient;
    for (let j = 0; j < 2; j++) {
      assert.ok(Math.abs(g[j] - h[j]) <= 5e-2 * Math.max(1, Math.abs(h[j])), `${g} vs ${h}`);
    }
  });
});

Deno.test("logNoisyExpectedImprovement: deterministic per seed, different across seeds", () => {
  const { gp, points } = noisy2d();
  const at = [Float64Array.of(0.2, 0.3), Float64Array.of(0.7, 0.6)];
  const build = (seed: number) => logNoisyExpectedImprovement(gp, { points, rng: new Rng(seed) });
  const a = build(7);
  const first = a.evaluate(at);
  assert.deepEqual(a.evaluate(at), first, "the samples are drawn once");
  assert.deepEqual(build(7).evaluate(at), first);
  assert.notDeepEqual(build(8).evaluate(at), first);
  assert.equal(a.name, "LogNEI");
  assert.equal(a.sampled, undefined);
  assert.equal(NOISY_EXPECTED_IMPROVEMENT_DEFAULTS.samples, 32);
  // Far below every sample's incumbent the value stays finite (LogEI does not underflow).
  const far = logNoisyExpectedImprovement(gp, { points, rng: new Rng(7), samples: 4 });
  assert.ok(far.evaluate(at).every(Number.isFinite));
});

Deno.test("logNoisyExpectedImprovement: bad surrogates and options throw errors that name them", () => {
  const { gp, points } = noisy2d();
  const options = { points, rng: new Rng(0) };
  assert.throws(
    () => logNoisyExpectedImprovement(wavySurrogate(2), options),
    (error: Error) =>
      error instanceof TypeError &&
      /^logNoisyExpectedImprovement: surrogate: noisy EI needs the GP surrogate \(gpFactory/.test(
        error.message,
      ) && /surrogate\.kernel/.test(error.message),
  );
  for (const samples of [0, -1, 1.5]) {
    assert.throws(
      () => logNoisyExpectedImprovement(gp, { ...options, samples }),
      /logNoisyExpectedImprovement: options\.samples: must be a positive integer/,
    );
  }
  assert.throws(
    () => logNoisyExpectedImprovement(gp, { ...options, jitter: 0 }),
    /options\.jitter: must be > 0/,
  );
  assert.throws(
    () => logNoisyExpectedImprovement(gp, { points } as unknown as NoisyExpectedImprovementOptions),
    /options\.rng: must be an Rng/,
  );
  assert.throws(
    () => logNoisyExpectedImprovement(gp, { ...options, points: points.slice(1) }),
    (error: Error) =>
      error instanceof RangeError &&
      /options\.points has 13 points but the GP was fitted to 14/.test(error.message),
  );
  assert.throws(
    () =>
      logNoisyExpectedImprovement(gp, {
        ...options,
        points: [...points.slice(1), Float64Array.of(0.5)],
      }),
    /options\.points\[13\]: expected 2 coordinates, got 1/,
  );
  const nei = logNoisyExpectedImprovement(gp, options);
  assert.throws(() => nei.evaluate([Float64Array.of(0.5)]), /LogNEI\.evaluate: points\[0\]/);
});

Deno.test('bayesOpt: acquisition "lognei" minimises a noisy function reproducibly, and in batches', async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const run = async (seed: number) => {
    const noise = new Rng(100 + seed);
    return await minimize(
      (p) => (p.x - 0.3) ** 2 + (p.y - 0.7) ** 2 + 0.02 * noise.normal(),
      space,
      { budget: 12, seed, proposer: bayesOpt({ acquisition: "lognei", rawSamples: 256 }) },
    );
  };
  const first = await run(1);
  const again = await run(1);
  assert.equal(first.trials.length, 12);
  assert.ok(first.trials.some((t) => t.source === "model"));
  assert.deepEqual(again.trials.map((t) => t.params), first.trials.map((t) => t.params));
  assert.ok(first.best.value < 0.05, `best ${first.best.value}`);

  // A batch with a running trial: the believer GP was fitted to the observed points, then the
  // pending ones, which is what the builder passes on.
  const sizes: { gp: number; points: number; pending: number }[] = [];
  const study = new SMBO(space, {
    seed: 3,
    initialDesignSize: 5,
    proposer: bayesOpt({
      rawSamples: 128,
      acquisition: (surrogate, context: AcquisitionContext) => {
        sizes.push({
          gp: (surrogate as GaussianProcess).size,
          points: context.points.length,
          pending: context.pending.length,
        });
        return logNoisyExpectedImprovement(surrogate, {
          points: [...context.points, ...context.pending],
          rng: context.rng,
        });
      },
    }),
  });
  for (const t of study.ask(5)) study.tell(t, (t.params.x - 0.3) ** 2 + t.params.y);
  const running = study.ask();
  const batch = study.ask(2);
  assert.equal(batch.length, 2);
  assert.ok(batch.every((t) => t.source === "model" && space.contains(t.params)));
  assert.notDeepEqual(batch[0].params, batch[1].params);
  assert.notDeepEqual(batch[0].params, running.params);
  assert.deepEqual(sizes, [
    { gp: 5, points: 5, pending: 0 },
    { gp: 6, points: 5, pending: 1 },
    { gp: 7, points: 5, pending: 2 },
  ]);
  // The named acquisition does the same.
  const named = new SMBO(space, {
    seed: 3,
    initialDesignSize: 5,
    proposer: bayesOpt({ rawSamples: 128, acquisition: "lognei" }),
  });
  for (const t of named.ask(5)) named.tell(t, (t.params.x - 0.3) ** 2 + t.params.y);
  named.ask();
  assert.equal(named.ask(2).length, 2);
});

Deno.test('bayesOpt: acquisition "lognei" on a surrogate that is not a GP says it needs the GP', () => {
  // A factory that does not say (gaussianProcess absent) is constructed, and refused at its
  // first model-based proposal.
  const proposer = bayesOpt({
    acquisition: "lognei",
    surrogate: {
      name: "fake",
      // A valid 1-d surrogate (wavySurrogate needs 2 inputs: in 1-d its mean is NaN, refused).
      fit: () => constantSurrogate(1, 0.5, 1),
    },
  });
  assert.throws(
    () =>
      proposer.propose({
        dim: 1,
        points: [Float64Array.of(0.2), Float64Array.of(0.7)],
        values: Float64Array.of(1, 2),
        pending: [],
        project: (p) => p,
        rng: new Rng(0),
        memory: new Map(),
      }, 1),
    /noisy EI needs the GP surrogate \(gpFactory/,
  );
});

/** The message of `bayesOpt`'s refusal of "lognei" with the factory named `name`. */
const refusal = (name: string) =>
  new RegExp(
    '^bayesOpt options\\.acquisition: "lognei" needs the GP surrogate \\(the default, or ' +
      `gpFactory: a GaussianProcess\\); options\\.surrogate is "${name}" \\(gaussianProcess: false\\)$`,
  );

Deno.test('bayesOpt: acquisition "lognei" with a factory marked gaussianProcess: false throws when bayesOpt is called', () => {
  const forest = randomForest();
  assert.equal(forest.gaussianProcess, false);
  assert.throws(
    () => bayesOpt({ acquisition: "lognei", surrogate: forest }),
    (error: Error) => error instanceof TypeError && refusal("random-forest").test(error.message),
  );
  // The transfer surrogates: ensembles of GPs (RGPE, TST-R) or models on learned features
  // (ABLR, FSBO), none of them a GaussianProcess.
  const task = {
    id: "a",
    points: [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x)),
    values: Float64Array.of(4, 1, 0, 1, 4),
  };
  const base = fitBaseModels([task]);
  const transfer = [
    rgpe(base),
    tstr(base),
    ablr(fitAblr([task], { hidden: 4, features: 3, iterations: 2 }), { refitEvery: 0 }),
    fsbo(fitFsbo([task], { hidden: 4, features: 3, metaIterations: 2 })),
  ];
  assert.deepEqual(transfer.map((f) => f.name), ["rgpe", "tst-r", "ablr", "fsbo"]);
  for (const surrogate of transfer) {
    assert.equal(surrogate.gaussianProcess, false, surrogate.name);
    assert.throws(
      () => bayesOpt({ acquisition: "lognei", surrogate }),
      (error: Error) => error instanceof TypeError && refusal(surrogate.name).test(error.message),
    );
    // Other acquisitions are still accepted with these factories.
    bayesOpt({ acquisition: "logei", surrogate });
  }
  bayesOpt({ acquisition: "ei", surrogate: forest });
});

Deno.test('bayesOpt: acquisition "lognei" with gpFactory (gaussianProcess: true) constructs and proposes', () => {
  const surrogate = gpFactory({ restarts: 1 });
  assert.equal(surrogate.gaussianProcess, true);
  const space = defineSpace({ x: float(0, 1) });
  const study = new SMBO(space, {
    seed: 2,
    initialDesignSize: 3,
    proposer: bayesOpt({ acquisition: "lognei", surrogate, rawSamples: 64, restarts: 2 }),
  });
  for (let i = 0; i < 6; i++) {
    const trial = study.ask();
    study.tell(trial, (trial.params.x - 0.4) ** 2);
  }
  assert.equal(study.trials.filter((t) => t.source === "model").length, 3);
});

Deno.test("logNoisyExpectedImprovement: targets beyond float64's variance range are a RangeError naming the scale", () => {
  const points = [Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)];
  const gp = fitGP(points, [1e160, 3e160, 2e160], { restarts: 0 });
  assert.throws(
    () => logNoisyExpectedImprovement(gp, { points, rng: new Rng(0) }),
    (error: unknown) =>
      error instanceof RangeError && /standard deviation .*1e154/.test(error.message),
  );
});
