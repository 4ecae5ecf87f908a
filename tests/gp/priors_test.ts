import assert from "node:assert/strict";
import {
  GAMMA_PRIORS,
  logNormalPriors,
  type Prior,
  priorLogDensity,
  priorLogMode,
  samplePriorLog,
} from "../../lib/gp/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

Deno.test("log densities equal the closed-form pdfs evaluated at v = exp(θ)", () => {
  const v = 0.7, theta = Math.log(v);
  // LogNormal(μ, σ): pdf = exp(−(ln v − μ)²/(2σ²)) / (v σ √(2π)).
  const mu = 0.3, sigma = 1.2;
  const lognormalPdf = Math.exp(-((Math.log(v) - mu) ** 2) / (2 * sigma ** 2)) /
    (v * sigma * Math.sqrt(2 * Math.PI));
  const ln = priorLogDensity({ type: "lognormal", loc: mu, scale: sigma }, theta);
  assert.ok(Math.abs(ln.value - Math.log(lognormalPdf)) < 1e-13);
  // Gamma(3, 6): pdf = 6³ v² e^{−6v} / Γ(3), Γ(3) = 2.
  const gammaPdf = (216 * v * v * Math.exp(-6 * v)) / 2;
  const g = priorLogDensity({ type: "gamma", concentration: 3, rate: 6 }, theta);
  assert.ok(Math.abs(g.value - Math.log(gammaPdf)) < 1e-13);
  // Gamma(1.1, 0.05): Γ(1.1) = 0.9513507698668732 (tabulated).
  const g2 = priorLogDensity({ type: "gamma", concentration: 1.1, rate: 0.05 }, theta);
  const pdf2 = 0.05 ** 1.1 * v ** 0.1 * Math.exp(-0.05 * v) / 0.9513507698668732;
  assert.ok(Math.abs(g2.value - Math.log(pdf2)) < 1e-12);
  assert.deepEqual(priorLogDensity({ type: "flat" }, theta), { value: 0, derivative: 0 });
});

Deno.test("prior derivatives with respect to log v match finite differences", () => {
  const priors: Prior[] = [
    { type: "lognormal", loc: -4, scale: 1 },
    { type: "gamma", concentration: 2, rate: 0.15 },
    { type: "gamma", concentration: 0.5, rate: 2 },
  ];
  for (const prior of priors) {
    for (const theta of [-3, -0.2, 1.5]) {
      const h = 1e-6;
      const fd =
        (priorLogDensity(prior, theta + h).value - priorLogDensity(prior, theta - h).value) /
        (2 * h);
      assert.ok(Math.abs(priorLogDensity(prior, theta).derivative - fd) < 1e-6);
    }
  }
});

Deno.test("modes, clamping and sampling", () => {
  assert.ok(Math.abs(priorLogMode({ type: "lognormal", loc: -4, scale: 1 }, -20, 5) + 5) < 1e-15);
  assert.ok(
    Math.abs(priorLogMode({ type: "gamma", concentration: 3, rate: 6 }, -20, 5) - Math.log(1 / 3)) <
      1e-15,
  );
  assert.equal(priorLogMode({ type: "lognormal", loc: -4, scale: 1 }, -2, 5), -2);
  assert.equal(priorLogMode({ type: "flat" }, -2, 4), 1);
  assert.equal(priorLogMode({ type: "gamma", concentration: 0.5, rate: 1 }, -2, 4), 1);
  const rng = new Rng(21);
  const count = 40000;
  // Gamma(3, 6) has mean 0.5 and variance 3/36.
  let sum = 0, sumSq = 0;
  for (let i = 0; i < count; i++) {
    const v = Math.exp(samplePriorLog({ type: "gamma", concentration: 3, rate: 6 }, -50, 50, rng));
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / count, variance = sumSq / count - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(3 / 36 / count), `gamma mean ${mean}`);
  assert.ok(Math.abs(variance - 3 / 36) < 0.05 * (3 / 36), `gamma variance ${variance}`);
  // Gamma with concentration < 1: mean k/rate.
  let small = 0;
  for (let i = 0; i < count; i++) {
    small += Math.exp(
      samplePriorLog({ type: "gamma", concentration: 0.5, rate: 2 }, -700, 50, rng),
    );
  }
  assert.ok(Math.abs(small / count - 0.25) < 0.01, `gamma(0.5) mean ${small / count}`);
  // LogNormal: log v is N(μ, σ²).
  let logSum = 0;
  for (let i = 0; i < count; i++) {
    logSum += samplePriorLog({ type: "lognormal", loc: 1, scale: 2 }, -50, 50, rng);
  }
  assert.ok(Math.abs(logSum / count - 1) < 5 * 2 / Math.sqrt(count));
  // Clamped to the bounds; flat draws are log-uniform in them.
  for (let i = 0; i < 100; i++) {
    const t = samplePriorLog({ type: "lognormal", loc: 0, scale: 10 }, -1, 1, rng);
    assert.ok(t >= -1 && t <= 1);
    const f = samplePriorLog({ type: "flat" }, 2, 3, rng);
    assert.ok(f >= 2 && f <= 3);
  }
});

Deno.test("default prior sets are those of BoTorch", () => {
  const p = logNormalPriors(6);
  assert.deepEqual(p.lengthscale, {
    type: "lognormal",
    loc: Math.SQRT2 + 0.5 * Math.log(6),
    scale: Math.sqrt(3),
  });
  assert.deepEqual(p.noise, { type: "lognormal", loc: -4, scale: 1 });
  assert.deepEqual(p.outputscale, { type: "gamma", concentration: 2, rate: 0.15 });
  assert.deepEqual(GAMMA_PRIORS.noise, { type: "gamma", concentration: 1.1, rate: 0.05 });
  assert.throws(() => logNormalPriors(0), /logNormalPriors: dim: must be a positive integer/);
});

Deno.test("prior functions reject bad priors and bounds", () => {
  const bad = { type: "cauchy" } as unknown as Prior;
  assert.throws(() => priorLogDensity(bad, 0), /priorLogDensity: unknown prior type/);
  assert.throws(() => samplePriorLog(bad, 0, 1, new Rng(0)), /samplePriorLog: unknown prior type/);
  assert.throws(() => priorLogMode({ type: "flat" }, 1, 0), /priorLogMode: bounds must be finite/);
  assert.throws(
    () => samplePriorLog({ type: "flat" }, -Infinity, 0, new Rng(0)),
    /samplePriorLog: bounds must be finite/,
  );
});
