import assert from "node:assert/strict";
import { centralDifference } from "../_assert.ts";
import { readFileSync } from "node:fs";
import {
  fitGP,
  type GaussianProcess,
  GP_DEFAULTS,
  gpFactory,
  type Kernel,
  kernelFromName,
  MarginalLikelihood,
  matern12Kernel,
  matern32Kernel,
  matern52Kernel,
  productKernel,
  rbfKernel,
  standardizeTargets,
  sumKernel,
} from "../../lib/gp/mod.ts";
import { checkFinitePredictions, hardData } from "./_numerics.ts";
import { linearKernel } from "./_linear_kernel.ts";
import { logExpectedImprovement } from "../../lib/acquisition/expected_improvement.ts";
import { thompsonSampling } from "../../lib/acquisition/thompson.ts";
import { categorical, defineSpace, float, type Space } from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

const close = (actual: number, expected: number, tol: number, what = "") =>
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

/** Inverse of a 3×3 matrix by the adjugate: independent of the library's Cholesky. */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

Deno.test("posterior of a hand-computed 3-point example (RBF, fixed hyperparameters)", () => {
  const xs = [0, 0.5, 1], ys = [1, 0, 2];
  const ell = 0.5, s2 = 1.3, noise = 0.1;
  const gp = fitGP(xs.map((v) => Float64Array.of(v)), ys, {
    kernel: "rbf",
    hyperparameters: { kernel: [ell, s2], noise },
  });
  // Standardisation with the population standard deviation.
  const mean = 1, std = Math.sqrt(((1 - 1) ** 2 + (0 - 1) ** 2 + (2 - 1) ** 2) / 3);
  const yt = ys.map((v) => (v - mean) / std);
  const k = (a: number, b: number) => s2 * Math.exp(-0.5 * ((a - b) / ell) ** 2);
  const ky = xs.map((a, i) => xs.map((b, j) => k(a, b) + (i === j ? noise : 0)));
  const inv = inverse3(ky);
  const alpha = inv.map((row) => row.reduce((s, v, j) => s + v * yt[j], 0));
  for (const x of [0.25, 0.5, 1.7]) {
    const ks = xs.map((b) => k(x, b));
    const mu = ks.reduce((s, v, i) => s + v * alpha[i], 0) * std + mean;
    const quad = ks.reduce((s, v, i) => s + v * inv[i].reduce((t, w, j) => t + w * ks[j], 0), 0);
    const variance = (s2 - quad) * std * std;
    const p = gp.predict([Float64Array.of(x)]);
    close(p.mean[0], mu, 1e-12, `mean at ${x}`);
    close(p.variance[0], variance, 1e-12, `variance at ${x}`);
  }
  // log p(ỹ) = −½ ỹᵀK⁻¹ỹ − ½ log det K − (3/2) log 2π, det by the first-row cofactor expansion.
  const [[a, b, c], [d, e, f], [g, h, i]] = ky;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const mll = -0.5 * yt.reduce((s, v, j) => s + v * alpha[j], 0) - 0.5 * Math.log(det) -
    1.5 * Math.log(2 * Math.PI);
  close(gp.logMarginalLikelihood, mll, 1e-12, "log marginal likelihood");
  assert.equal(gp.jitter, 0);
  assert.equal(gp.fit.starts, 0);
  assert.deepEqual(gp.standardization, { mean, std });
  assert.deepEqual(gp.hyperparameters.names, ["lengthscale[0]", "outputscale", "noise"]);
  close(gp.hyperparameters.lengthscales[0], ell, 1e-15);
  close(gp.hyperparameters.outputscales[0], s2, 1e-15);
  close(gp.hyperparameters.noise, noise, 1e-15);
});

Deno.test("log marginal likelihood, gradient and predictions equal scikit-learn's", () => {
  const fixture = JSON.parse(
    readFileSync(new URL("../fixtures/gp_sklearn.json", import.meta.url), "utf8"),
  );
  const x = fixture.X.map((p: number[]) => Float64Array.from(p));
  const xs = fixture.Xs.map((p: number[]) => Float64Array.from(p));
  const d = fixture.lengthscales.length;
  for (const c of fixture.cases) {
    const gp = fitGP(x, fixture.y, {
      kernel: c.kernel,
      hyperparameters: {
        kernel: [...fixture.lengthscales, fixture.outputscale],
        noise: fixture.noise,
      },
    });
    close(gp.logMarginalLikelihood, c.logMarginalLikelihood, 1e-10, `${c.kernel} mll`);
    // sklearn's θ = [log c, log ℓ…, log noise]; ours = [log ℓ…, log s², log σ²].
    const ours = new MarginalLikelihood(
      kernelFromName(c.kernel, d),
      Float64Array.from(fixture.X.flat()),
      Float64Array.from(
        fixture.y,
        (v: number) => (v - gp.standardization.mean) / gp.standardization.std,
      ),
    ).evaluate(gp.logHyperparameters, new Float64Array(d + 2)).gradient;
    close(ours[d], c.gradient[0], 1e-8, `${c.kernel} d/d log c`);
    for (let t = 0; t < d; t++) {
      close(ours[t], c.gradient[1 + t], 1e-8, `${c.kernel} d/d log ℓ${t}`);
    }
    close(ours[d + 1], c.gradient[d + 1], 1e-8, `${c.kernel} d/d log noise`);
    // sklearn's predictive std includes the white noise (in original units).
    const p = gp.predict(xs);
    const noiseVariance = fixture.noise * gp.standardization.std ** 2;
    for (let i = 0; i < xs.length; i++) {
      close(p.mean[i], c.mean[i], 1e-9, `${c.kernel} mean ${i}`);
      close(p.variance[i] + noiseVariance, c.std[i] ** 2, 1e-9, `${c.kernel} variance ${i}`);
    }
  }
});

function allKernels(d: number): Kernel[] {
  return [
    rbfKernel(d),
    matern12Kernel(d),
    matern32Kernel(d),
    matern52Kernel(d),
    sumKernel(matern52Kernel(d), rbfKernel(d, { dims: [0] })),
    productKernel(matern32Kernel(d, { dims: [0] }), matern52Kernel(d, { dims: [1] })),
  ];
}

Deno.test("marginal-likelihood gradients match central finite differences for every kernel", () => {
  const rng = new Rng(11);
  const n = 15, d = 2;
  const x = rng.uniforms(n * d);
  x.set(x.subarray(0, d), d); // a duplicated input
  const y = rng.normals(n);
  for (const kernel of allKernels(d)) {
    const ml = new MarginalLikelihood(kernel, x, y);
    const theta = Float64Array.from({ length: ml.size }, () => rng.uniformIn(-1.5, 0.5));
    theta[ml.size - 1] = Math.log(0.05);
    const { gradient, jitter } = ml.evaluate(theta, new Float64Array(ml.size));
    assert.equal(jitter, 0);
    for (let j = 0; j < ml.size; j++) {
      const fd = centralDifference((t) => ml.evaluate(t).value, theta, j);
      close(gradient[j], fd, 1e-6, `${kernel.name} θ${j}`);
    }
  }
});

Deno.test("MarginalLikelihood rejects bad data and hyperparameter vectors", () => {
  const k = matern52Kernel(2);
  assert.throws(
    () => new MarginalLikelihood(k, new Float64Array(3), new Float64Array(2)),
    /2×2 values/,
  );
  assert.throws(
    () => new MarginalLikelihood(k, new Float64Array(0), new Float64Array(0)),
    /not be empty/,
  );
  assert.throws(
    () => new MarginalLikelihood(k, new Float64Array(2), Float64Array.of(NaN)),
    /y\[0\]: must be finite/,
  );
  assert.throws(
    () => new MarginalLikelihood({} as never, new Float64Array(2), Float64Array.of(1)),
    /not a Kernel/,
  );
  const ml = new MarginalLikelihood(k, new Float64Array(2), Float64Array.of(1));
  assert.equal(ml.size, 4);
  assert.throws(() => ml.evaluate(new Float64Array(3)), /expected 4 log-hyperparameters/);
});

Deno.test("posterior mean and variance input gradients match finite differences", () => {
  const rng = new Rng(12);
  const d = 3;
  const x = Array.from({ length: 20 }, () => rng.uniforms(d));
  const y = Float64Array.from(x, (p) => Math.sin(5 * p[0]) + p[1] * p[2] + 3);
  for (const kernel of allKernels(d)) {
    const gp = fitGP(x, y, { kernel, restarts: 0, maxIterations: 30 });
    for (let trial = 0; trial < 3; trial++) {
      const point = rng.uniforms(d);
      const at = gp.predictWithGradient(point);
      const p = gp.predict([point]);
      close(at.mean, p.mean[0], 1e-12, `${kernel.name} mean consistency`);
      close(at.variance, p.variance[0], 1e-10, `${kernel.name} variance consistency`);
      for (let t = 0; t < d; t++) {
        const h = 1e-6;
        const plus = point.slice(), minus = point.slice();
        plus[t] += h;
        minus[t] -= h;
        const [pp, pm] = [gp.predict([plus]), gp.predict([minus])];
        close(at.meanGradient[t], (pp.mean[0] - pm.mean[0]) / (2 * h), 1e-5, `${kernel.name} dμ`);
        close(
          at.varianceGradient[t],
          (pp.variance[0] - pm.variance[0]) / (2 * h),
          1e-5,
          `${kernel.name} dσ²`,
        );
      }
    }
  }
});

Deno.test("a non-stationary kernel: variance and LogEI input gradients match finite differences", () => {
  // The audit's case: a user kernel with a prior variance k(x, x) that depends on x. Before, the
  // variance gradient dropped ∂k(x, x)/∂x (−1.03 instead of 0.0177 for the linear kernel).
  const x = [[0.1, 0.2], [0.5, 0.9], [0.8, 0.4], [0.3, 0.6]].map((p) => Float64Array.from(p));
  const y = [0.5, 0.2, 0.9, 0.1];
  const cases: [string, Kernel][] = [
    ["linear, finite differences", linearKernel(2, false)],
    ["linear, diagonalGradient", linearKernel(2, true)],
    ["sum(rbf, linear)", sumKernel(rbfKernel(2), linearKernel(2, false))],
    ["product(matern52, linear)", productKernel(matern52Kernel(2), linearKernel(2, true))],
    ["product(linear, linear)", productKernel(linearKernel(2, false), linearKernel(2, true))],
  ];
  for (const [label, kernel] of cases) {
    const gp = fitGP(x, y, { kernel, restarts: 0, maxIterations: 30 });
    const acquisition = logExpectedImprovement(gp, { best: 0.1 });
    const variance = (p: Float64Array) => gp.predict([p]).variance[0];
    const logEi = (p: Float64Array) => acquisition.evaluate([p])[0];
    for (const point of [Float64Array.of(0.7, 0.3), Float64Array.of(0.2, 0.8)]) {
      const at = gp.predictWithGradient(point);
      const { gradient } = acquisition.valueAndGradient!(point);
      for (let t = 0; t < 2; t++) {
        const dVariance = centralDifference(variance, point, t, 1e-6);
        close(at.varianceGradient[t], dVariance, 1e-6, `${label}: dσ²/dx${t}`);
        close(gradient[t], centralDifference(logEi, point, t, 1e-6), 1e-5, `${label}: dLogEI`);
      }
    }
  }
});

Deno.test("joint posterior samples have the posterior mean and covariance", () => {
  const rng = new Rng(13);
  const x = Array.from({ length: 8 }, () => rng.uniforms(2));
  const y = Float64Array.from(x, (p) => 10 * p[0] - 4 * p[1]);
  const gp = fitGP(x, y, {
    kernel: "matern52",
    hyperparameters: { kernel: [0.4, 0.6, 1], noise: 0.01 },
  });
  const candidates = [
    Float64Array.of(0.2, 0.2),
    Float64Array.of(0.25, 0.2),
    Float64Array.of(0.9, 0.1),
    x[0],
  ];
  const { mean, variance } = gp.predict(candidates);
  const cov = gp.covariance(candidates);
  const m = candidates.length;
  for (let p = 0; p < m; p++) close(cov[p * m + p], variance[p], 1e-10, "diag(cov) = variance");
  const count = 20000;
  const samples = gp.sampleJoint(candidates, count, new Rng(14));
  assert.equal(samples.length, count);
  const empiricalMean = new Float64Array(m), empiricalCov = new Float64Array(m * m);
  for (const s of samples) for (let p = 0; p < m; p++) empiricalMean[p] += s[p] / count;
  for (const s of samples) {
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        empiricalCov[p * m + q] += (s[p] - empiricalMean[p]) * (s[q] - empiricalMean[q]) / count;
      }
    }
  }
  for (let p = 0; p < m; p++) {
    const sd = Math.sqrt(variance[p]);
    assert.ok(Math.abs(empiricalMean[p] - mean[p]) < 5 * sd / Math.sqrt(count) + 1e-9, `mean ${p}`);
    for (let q = 0; q < m; q++) {
      const scale = Math.sqrt(cov[p * m + p] * cov[q * m + q]);
      assert.ok(
        Math.abs(empiricalCov[p * m + q] - cov[p * m + q]) < 0.05 * scale + 1e-9,
        `cov ${p},${q}: ${empiricalCov[p * m + q]} vs ${cov[p * m + q]}`,
      );
    }
  }
  // Strongly correlated neighbours stay correlated in the samples.
  const corr = empiricalCov[1] / Math.sqrt(empiricalCov[0] * empiricalCov[m + 1]);
  const exact = cov[1] / Math.sqrt(cov[0] * cov[m + 1]);
  assert.ok(exact > 0.5 && Math.abs(corr - exact) < 0.02, `correlation ${corr} vs ${exact}`);
  assert.deepEqual(gp.sampleJoint(candidates, 0, new Rng(1)), []);
});

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan elimination (float64). */
function inverseSpd(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    const pivot = a[col][col];
    for (let j = 0; j < 2 * n; j++) a[col][j] /= pivot;
    for (let i = 0; i < n; i++) {
      if (i === col) continue;
      const f = a[i][col];
      for (let j = 0; j < 2 * n; j++) a[i][j] -= f * a[col][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/**
 * A constant-mean GP with fixed RBF hyperparameters, and its posterior computed directly: the
 * population standardisation ỹ = (y − ȳ)/s, c = 1ᵀK_y⁻¹ỹ / 1ᵀK_y⁻¹1 (the profile maximiser, see
 * lib/gp/likelihood.ts), mean ȳ + s·(c + k*ᵀK_y⁻¹(ỹ − c)) and covariance s²·(k** − k*ᵀK_y⁻¹k*),
 * K_y = K + σ²I inverted by Gauss–Jordan (not the library's Cholesky).
 */
function constantMeanPosterior() {
  const xs = [0.1, 0.11, 0.12, 0.13, 0.5, 0.9];
  const ys = [6, 6.1, 5.9, 6.05, 2, 2.2];
  const ell = 0.15, s2 = 1.2, noise = 0.05;
  const gp = fitGP(xs.map((v) => Float64Array.of(v)), ys, {
    kernel: "rbf",
    hyperparameters: { kernel: [ell, s2], noise },
    mean: "constant",
  });
  const n = xs.length;
  const shift = ys.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(ys.reduce((a, v) => a + (v - shift) ** 2, 0) / n);
  const yt = ys.map((v) => (v - shift) / std);
  const k = (a: number, b: number) => s2 * Math.exp(-0.5 * ((a - b) / ell) ** 2);
  const inv = inverseSpd(xs.map((a, i) => xs.map((b, j) => k(a, b) + (i === j ? noise : 0))));
  const times = (v: number[]) => inv.map((row) => row.reduce((t, w, j) => t + w * v[j], 0));
  const ones = times(xs.map(() => 1));
  const c = yt.reduce((t, v, i) => t + ones[i] * v, 0) / ones.reduce((a, b) => a + b, 0);
  const alpha = times(yt.map((v) => v - c));
  const mean = (x: number) => shift + std * (c + xs.reduce((t, b, i) => t + k(x, b) * alpha[i], 0));
  const covariance = (x: number, z: number) => {
    const kz = times(xs.map((b) => k(z, b)));
    return std * std * (k(x, z) - xs.reduce((t, b, i) => t + k(x, b) * kz[i], 0));
  };
  return { gp, c, shift, std, mean, covariance };
}

Deno.test("constant mean: predict, predictMean and predictWithGradient equal the direct posterior", () => {
  const { gp, c, shift, std, mean, covariance } = constantMeanPosterior();
  close(gp.hyperparameters.meanConstant, c, 1e-12, "c = 1ᵀK⁻¹ỹ / 1ᵀK⁻¹1");
  assert.ok(Math.abs(c * std) > 0.5, `a prior mean clearly off the average (c·s = ${c * std})`);
  assert.deepEqual(gp.standardization, { mean: shift, std });
  // More points than one prediction chunk (256), inside and far outside the data.
  const xs = Array.from({ length: 300 }, (_, i) => -1 + (3 * i) / 299);
  const points = xs.map((v) => Float64Array.of(v));
  const predicted = gp.predict(points);
  const meanOnly = gp.predictMean(points);
  xs.forEach((x, i) => {
    close(predicted.mean[i], mean(x), 1e-10, `predict mean at ${x}`);
    close(meanOnly[i], mean(x), 1e-10, `predictMean at ${x}`);
    close(predicted.variance[i], covariance(x, x), 1e-10, `variance at ${x}`);
  });
  // Far from the data the mean is the constant m = ȳ + s·c.
  close(predicted.mean[0], shift + std * c, 1e-9, "reverts to m");
  for (const x of [0.25, 0.6, 1.4]) {
    close(gp.predictWithGradient(Float64Array.of(x)).mean, mean(x), 1e-10, `mean at ${x}`);
  }
});

Deno.test("joint posterior samples of a constant-mean GP: the directly computed mean and covariance", () => {
  const { gp, mean, covariance } = constantMeanPosterior();
  const xs = [0.3, 0.33, 0.7, 0.72, 1.3];
  const m = xs.length;
  const points = xs.map((v) => Float64Array.of(v));
  const direct = xs.flatMap((a) => xs.map((b) => covariance(a, b)));
  const cov = gp.covariance(points);
  for (let p = 0; p < m * m; p++) close(cov[p], direct[p], 1e-10, `covariance[${p}]`);
  const count = 20000;
  const samples = gp.sampleJoint(points, count, new Rng(31));
  const sampleMean = xs.map((_, p) => samples.reduce((t, s) => t + s[p], 0) / count);
  for (let p = 0; p < m; p++) {
    const sd = Math.sqrt(direct[p * m + p]);
    assert.ok(
      Math.abs(sampleMean[p] - mean(xs[p])) < 5 * sd / Math.sqrt(count),
      `mean at ${xs[p]}: ${sampleMean[p]} vs ${mean(xs[p])}`,
    );
    for (let q = 0; q < m; q++) {
      const empirical = samples.reduce(
        (t, s) => t + (s[p] - sampleMean[p]) * (s[q] - sampleMean[q]),
        0,
      ) / count;
      const scale = Math.sqrt(direct[p * m + p] * direct[q * m + q]);
      assert.ok(
        Math.abs(empirical - direct[p * m + q]) < 0.05 * scale,
        `covariance ${xs[p]}, ${xs[q]}: ${empirical} vs ${direct[p * m + q]}`,
      );
    }
  }
  // Neighbours 0.03 and 0.02 apart are strongly correlated.
  assert.ok(direct[1] / Math.sqrt(direct[0] * direct[m + 1]) > 0.9);
});

Deno.test("MAP fitting reaches a stationary point at least as good as every start", () => {
  const rng = new Rng(15);
  const d = 2;
  const x = Array.from({ length: 25 }, () => rng.uniforms(d));
  const y = Float64Array.from(x, (p) => Math.sin(6 * p[0]) + 0.2 * p[1]);
  const gp = fitGP(x, y, { restarts: 3, rng: new Rng(1) });
  assert.equal(gp.fit.starts, 4);
  assert.ok(gp.fit.evaluations > 4);
  // The log posterior at the fit is at least the value at the prior-mode start...
  const fromMode = fitGP(x, y, { restarts: 0, maxIterations: 1 });
  assert.ok(gp.fit.logPosterior >= fromMode.fit.logPosterior - 1e-9);
  // ...and the first coordinate's lengthscale is shorter than the nearly linear second one's.
  const [l0, l1] = gp.hyperparameters.lengthscales;
  assert.ok(l0 < l1, `lengthscales ${l0}, ${l1}`);
  // Within the default bounds.
  const { lengthscale, noise } = GP_DEFAULTS.bounds;
  for (const l of [l0, l1]) assert.ok(l >= lengthscale[0] && l <= lengthscale[1]);
  assert.ok(gp.hyperparameters.noise >= noise[0] && gp.hyperparameters.noise <= noise[1]);
  // It interpolates the smooth data well.
  const p = gp.predict(x);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(p.mean[i] - y[i]) < 0.05);
  // Same generator seed ⇒ same fit.
  const again = fitGP(x, y, { restarts: 3, rng: new Rng(1) });
  assert.deepEqual(Array.from(again.logHyperparameters), Array.from(gp.logHyperparameters));
  // Gamma priors and flat priors fit too; a fixed start from previous values is accepted.
  const gamma = fitGP(x, y, { priors: "gamma", restarts: 1 });
  assert.ok(Number.isFinite(gamma.logMarginalLikelihood));
  const flat = fitGP(x, y, {
    priors: {
      lengthscale: { type: "flat" },
      outputscale: { type: "flat" },
      noise: { type: "flat" },
    },
    restarts: 1,
    initial: { kernel: gp.hyperparameters.kernel, noise: gp.hyperparameters.noise },
  });
  // Without priors the MAP objective is the likelihood itself: never below the MAP fit's.
  assert.ok(flat.logMarginalLikelihood >= gp.logMarginalLikelihood - 1e-6);
});

Deno.test("constant targets and duplicated inputs do not break the GP", () => {
  const rng = new Rng(16);
  const x = Array.from({ length: 10 }, () => rng.uniforms(3));
  const constant = fitGP(x, new Float64Array(10).fill(4.2));
  assert.equal(constant.standardization.std, 1);
  const p = constant.predict([rng.uniforms(3), x[0]]);
  for (const m of p.mean) close(m, 4.2, 1e-9, "constant mean");
  for (const v of p.variance) assert.ok(Number.isFinite(v) && v >= 0);
  const one = fitGP([x[0]], [3]);
  close(one.predict([x[1]]).mean[0], 3, 1e-9, "single point");
  // The same point five times with different values, noise at its floor: needs jitter or noise.
  const dup = [...Array(5).fill(x[0]), x[1], x[2]];
  const values = Float64Array.of(1, 1.1, 0.9, 1.05, 0.95, 3, -2);
  const gp = fitGP(dup, values, { restarts: 1 });
  const at = gp.predictWithGradient(x[0]);
  assert.ok(Number.isFinite(at.mean) && Math.abs(at.mean - 1) < 0.3);
  assert.ok(at.meanGradient.every(Number.isFinite) && at.varianceGradient.every(Number.isFinite));
  // Exact duplicates with a noise below round-off need Cholesky jitter.
  const fixed = fitGP(dup, values, {
    kernel: "matern52",
    hyperparameters: { kernel: [0.5, 0.5, 0.5, 1], noise: 1e-300 },
  });
  assert.ok(fixed.jitter > 0, `jitter ${fixed.jitter}`);
  assert.ok(fixed.predict([x[3]]).mean.every(Number.isFinite));
  assert.ok(
    fixed.sampleJoint([x[0], x[0], x[3]], 3, new Rng(0)).every((s) => s.every(Number.isFinite)),
  );
});

Deno.test("fitGP rejects bad data and bad options with the field's name", () => {
  const x = [Float64Array.of(0.1, 0.2), Float64Array.of(0.3, 0.4)];
  assert.throws(() => fitGP([], []), /fitGP: points must not be empty/);
  assert.throws(() => fitGP(x, [1]), /targets has 1 values but there are 2 points/);
  assert.throws(() => fitGP(x, [1, NaN]), /fitGP: targets\[1\]: must be finite, got NaN/);
  assert.throws(
    () => fitGP([x[0], Float64Array.of(1)], [1, 2]),
    /points\[1\]: expected 2 coordinates/,
  );
  assert.throws(
    () => fitGP([x[0], Float64Array.of(1, Infinity)], [1, 2]),
    /points\[1\]\[1\]: must be finite/,
  );
  assert.throws(
    () => fitGP([[0.1, 0.2]] as never, [1]),
    /points\[0\] must be a non-empty Float64Array/,
  );
  assert.throws(
    () => fitGP(x, [1, 2], { restarts: -1 }),
    /fitGP: options.restarts: must be an integer ≥ 0/,
  );
  assert.throws(() => fitGP(x, [1, 2], { kernel: "cosine" as never }), /fitGP: options.kernel/);
  assert.throws(() => fitGP(x, [1, 2], { kernel: rbfKernel(3) }), /options.kernel.dim = 3/);
  assert.throws(
    () => fitGP(x, [1, 2], { bounds: { noise: [1, 0.1] } }),
    /fitGP: options.bounds.noise: low must be ≤ high/,
  );
  assert.throws(
    () => fitGP(x, [1, 2], { priors: { noise: { type: "gamma", concentration: -1, rate: 1 } } }),
    /options.priors.noise.concentration: must be > 0/,
  );
  assert.throws(
    () => fitGP(x, [1, 2], { hyperparameters: { kernel: [1, 1], noise: 0.1 } }),
    /options.hyperparameters.kernel: expected 3 values \(lengthscale\[0\], lengthscale\[1\], outputscale\)/,
  );
  assert.throws(
    () => fitGP(x, [1, 2], { hyperparameters: { kernel: [1, -1, 1], noise: 0.1 } }),
    /options.hyperparameters.kernel\[1\]: must be finite and > 0/,
  );
  assert.throws(() => fitGP(x, [1, 2], { seed: 3 } as never), /options.seed: unknown key/);
  assert.throws(
    () => fitGP(x, [1, 2], { explorationIterations: 0 }),
    /options.explorationIterations: must be a positive integer/,
  );
  assert.throws(() => fitGP(x, [1, 2], { rng: 3 } as never), /options.rng: must be an Rng/);
});

Deno.test("fitGP and gpFactory name the misspelt key or list the names inside union options", () => {
  const x = [Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)];
  const typo = { priors: { noise: { type: "gamma", concentraton: 1.1, rate: 0.05 } } } as never;
  // Before: "options.priors: Invalid input" in all four.
  assert.throws(
    () => fitGP(x, [1, 2, 0], typo),
    /fitGP: options\.priors\.noise\.concentraton: unknown key/,
  );
  assert.throws(
    () => gpFactory(typo),
    /gpFactory: options\.priors\.noise\.concentraton: unknown key/,
  );
  assert.throws(
    () => fitGP(x, [1, 2, 0], { priors: "gammma" as never }),
    /^TypeError: fitGP: options\.priors: must be one of "lognormal", "gamma"$/,
  );
  assert.throws(
    () => fitGP(x, [1, 2, 0], { kernel: "matern25" as never }),
    /fitGP: options\.kernel: must be one of "rbf", "matern12", "matern32", "matern52"$/,
  );
  assert.throws(
    () => fitGP(x, [1, 2, 0], { priors: { lengthscale: { type: "lognormal", loc: 0 } } } as never),
    /options\.priors\.lengthscale\.scale: Invalid input: expected number, received undefined$/,
  );
});

/** The same data at targets scaled by a power of two: identical standardised targets. */
function scaledGPs(scale: number) {
  const x = [[0.1, 0.2], [0.5, 0.7], [0.9, 0.4], [0.3, 0.95], [0.7, 0.1]].map((p) =>
    Float64Array.from(p)
  );
  const y = [1, 2, 0, -0.5, 1.5];
  return { unit: fitGP(x, y), scaled: fitGP(x, y.map((v) => v * scale)) };
}

Deno.test("huge and tiny targets: predictions are never NaN and the standardised view is exact", () => {
  const at = [Float64Array.of(0.3, 0.3), Float64Array.of(0.5, 0.7), Float64Array.of(1, 0)];
  for (const scale of [2 ** 600, 2 ** -600, 2 ** 1000]) {
    const { unit, scaled } = scaledGPs(scale);
    assert.equal(scaled.standardization.std, unit.standardization.std * scale);
    // In standardised units the two GPs are the same, bit for bit.
    assert.deepEqual(scaled.predictStandardized(at), unit.predictStandardized(at));
    for (const p of at) {
      assert.deepEqual(
        scaled.predictStandardizedWithGradient(p),
        unit.predictStandardizedWithGradient(p),
      );
      // In original units: ±Infinity past float64 (σ² ≈ 1e361 at 2^600), never NaN.
      const g = scaled.predictWithGradient(p);
      for (const v of [g.mean, g.variance, ...g.meanGradient, ...g.varianceGradient]) {
        assert.ok(!Number.isNaN(v), `scale ${scale}: NaN in ${JSON.stringify(g)}`);
      }
      if (scale === 2 ** 600) {
        assert.equal(g.variance, Infinity);
        close(g.meanGradient[0] / scale, unit.predictWithGradient(p).meanGradient[0], 1e-12);
      }
    }
  }
  // Targets near the float64 limit (the audit's case): the mean gradient is finite.
  const gp = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)], [
    1e300,
    -1e300,
    1.7e308,
  ]);
  const g = gp.predictWithGradient(Float64Array.of(0.3));
  assert.ok(Number.isFinite(g.meanGradient[0]), `${g.meanGradient[0]}`);
  assert.ok(!Number.isNaN(g.varianceGradient[0]));
});

Deno.test("huge and tiny targets: joint samples (and Thompson sampling) are the standardised ones rescaled", () => {
  // Before: a CholeskyError past std ≈ 1e154 (the covariance overflows), and samples of the
  // jitter's size (≈ 1e-6, not 1e-200) once std² underflows.
  const at = [Float64Array.of(0.3, 0.3), Float64Array.of(0.5, 0.7), Float64Array.of(1, 0)];
  const { unit } = scaledGPs(1);
  const reference = unit.sampleJoint(at, 2, new Rng(5));
  const { mean: shift, std } = unit.standardization;
  for (const scale of [1e200, 1e-200, 2 ** 1000, 2 ** -1000]) {
    const { scaled } = scaledGPs(scale);
    const samples = scaled.sampleJoint(at, 2, new Rng(5));
    samples.forEach((sample, s) =>
      sample.forEach((v, p) => {
        // Both are mean + std·f̃ of the same standardised draw f̃.
        const expected = (reference[s][p] - shift) / std;
        close((v - scaled.standardization.mean) / scaled.standardization.std, expected, 1e-9);
      })
    );
    const values = thompsonSampling(scaled, { rng: new Rng(5) }).evaluate(at);
    assert.deepEqual(Array.from(values), Array.from(samples[0], (v) => -v));
  }
});

Deno.test("ordinary targets: predict is the standardised prediction scaled back, bit for bit", () => {
  const { unit } = scaledGPs(1);
  const { mean: shift, std } = unit.standardization;
  const at = [Float64Array.of(0.3, 0.3), Float64Array.of(0.05, 0.9)];
  const direct = unit.predict(at), standardized = unit.predictStandardized(at);
  for (let i = 0; i < at.length; i++) {
    assert.equal(direct.mean[i], standardized.mean[i] * std + shift);
    assert.equal(direct.variance[i], standardized.variance[i] * std * std);
  }
  assert.throws(
    () => unit.predictStandardized([Float64Array.of(0.1, NaN)]),
    /GaussianProcess\.predictStandardized: points\[0\]\[1\]: must be finite/,
  );
});

Deno.test("a fitted GP rejects bad prediction inputs", () => {
  const x = [Float64Array.of(0.1, 0.2), Float64Array.of(0.3, 0.4), Float64Array.of(0.9, 0.1)];
  const gp = fitGP(x, [1, 2, 0], { restarts: 0 });
  assert.deepEqual(gp.predict([]), { mean: new Float64Array(0), variance: new Float64Array(0) });
  assert.throws(
    () => gp.predict([Float64Array.of(1)]),
    /predict: points\[0\]: expected 2 coordinates/,
  );
  assert.throws(
    () => gp.predictWithGradient(Float64Array.of(NaN, 0)),
    /point\[0\]: must be finite/,
  );
  assert.throws(() => gp.sampleJoint(x, 1.5, new Rng(0)), /count must be an integer/);
  assert.throws(() => gp.sampleJoint([], 1, new Rng(0)), /points: must not be empty/);
  assert.throws(() => gp.sampleJoint(x, 1, {} as never), /rng must be an Rng/);
  assert.throws(() => gp.covariance([Float64Array.of(0)]), /covariance: points\[0\]/);
});

Deno.test("gpFactory fits Surrogates with the rng it is given", () => {
  const factory = gpFactory({ kernel: "matern32", restarts: 1 });
  assert.equal(factory.name, "gp-matern32");
  assert.equal(gpFactory().name, "gp-matern52");
  assert.equal(
    gpFactory({ kernel: sumKernel(rbfKernel(1), matern12Kernel(1)) }).name,
    "gp-sum(rbf,matern12)",
  );
  const points = [0.1, 0.4, 0.5, 0.9].map((v) => Float64Array.of(v));
  const values = Float64Array.of(1, 0, 0.2, 2);
  const a = factory.fit(points, values, new Rng(3));
  const b = factory.fit(points, values, new Rng(3));
  assert.equal(a.dim, 1);
  assert.deepEqual(a.predict([Float64Array.of(0.3)]), b.predict([Float64Array.of(0.3)]));
  assert.throws(() => gpFactory({ restarts: 1.5 }), /gpFactory: options.restarts/);
  assert.throws(
    () => gpFactory({ rng: new Rng(0) } as never),
    /gpFactory: options.rng: unknown key/,
  );
});

Deno.test("gpFactory: warm starts from the JSON warmStartState are those from the GP itself, bit for bit", () => {
  const factory = gpFactory({ kernel: "matern52", priors: "gamma", mean: "constant" });
  const rng = new Rng(11);
  const points = Array.from({ length: 9 }, () => rng.uniforms(3));
  const f = (p: Float64Array) => Math.sin(4 * p[0]) + (p[1] - 0.3) ** 2 + 0.5 * p[2];
  const values = Float64Array.from(points, f);
  const first = factory.fit(points.slice(0, 7), values.subarray(0, 7), new Rng(1));
  const state = JSON.parse(JSON.stringify(factory.warmStartState!(first)));
  assert.deepEqual(Object.keys(state), ["kernel", "noise"]);
  assert.equal(state.kernel.length, 4); // 3 lengthscales, 1 outputscale
  const at = [Float64Array.of(0.2, 0.5, 0.7), Float64Array.of(0.9, 0.1, 0.3)];
  for (const mode of ["warm-start", "keep"] as const) {
    const fromGP = factory.fit(points, values, new Rng(2), { previous: first, mode });
    const fromState = factory.fit(points, values, new Rng(2), { previousState: state, mode });
    const a = fromGP as GaussianProcess;
    const b = fromState as GaussianProcess;
    assert.deepEqual(b.logHyperparameters, a.logHyperparameters, mode);
    assert.equal(b.hyperparameters.meanConstant, a.hyperparameters.meanConstant, mode);
    assert.deepEqual(b.predict(at), a.predict(at), mode);
  }
  // A state it cannot start from (another kernel size, bad values, not its form): from scratch.
  const scratch = factory.fit(points, values, new Rng(2)) as GaussianProcess;
  for (
    const previousState of [
      { kernel: [0.5, 0.5], noise: 0.01 },
      { kernel: [0.5, 0.5, 0, 1], noise: 0.01 },
      { kernel: [0.5, 0.5, 0.5, 1], noise: Infinity },
      { kernel: [0.5, 0.5, 0.5, 1], noise: 0.01, mean: 0 },
      "hyperparameters",
      null,
    ]
  ) {
    const fitted = factory.fit(points, values, new Rng(2), {
      previousState,
      mode: "warm-start",
    }) as GaussianProcess;
    assert.deepEqual(fitted.logHyperparameters, scratch.logHyperparameters);
  }
  // `previous` wins over a state; a surrogate that is no GP has no state.
  const both = factory.fit(points, values, new Rng(2), {
    previous: first,
    previousState: { kernel: [1, 1, 1, 1], noise: 0.5 },
  }) as GaussianProcess;
  const warm = factory.fit(points, values, new Rng(2), { previous: first }) as GaussianProcess;
  assert.deepEqual(both.logHyperparameters, warm.logHyperparameters);
  assert.equal(factory.warmStartState!({ dim: 1 } as never), undefined);
});

Deno.test("gpFactory: a previous GP of another kernel size is ignored, as a state would be", () => {
  // Before: a RangeError about options.initial.kernel / options.hyperparameters.kernel, options
  // the caller never passed.
  const rng = new Rng(4);
  const points2 = Array.from({ length: 8 }, () => rng.uniforms(2));
  const points3 = points2.map((p) => Float64Array.of(p[0], p[1], 0.5 * p[0]));
  const values = Float64Array.from(points2, (p) => Math.sin(5 * p[0]) + p[1]);
  const factory = gpFactory();
  const previous = factory.fit(points2, values, new Rng(0)) as GaussianProcess;
  const scratch = factory.fit(points3, values, new Rng(1)) as GaussianProcess;
  for (const mode of ["warm-start", "keep"] as const) {
    const fitted = factory.fit(points3, values, new Rng(1), { previous, mode }) as GaussianProcess;
    assert.deepEqual(fitted.logHyperparameters, scratch.logHyperparameters, mode);
  }
  // With categorical: "hamming" too, whether the space has categorical parameters or not.
  const space = defineSpace({ c: categorical(["a", "b"]), x: float(0, 1) }) as unknown as Space;
  const encoded = space.sampleEncoded(8, new Rng(2));
  const hamming = gpFactory({ categorical: "hamming" });
  const mixed = hamming.fit(encoded, values, new Rng(1), { space }) as GaussianProcess;
  const plain = hamming.fit(encoded, values, new Rng(1)) as GaussianProcess;
  assert.notEqual(mixed.kernel.size, previous.kernel.size);
  for (const [hints, expected] of [[{ space }, mixed], [{}, plain]] as const) {
    const fitted = hamming.fit(encoded, values, new Rng(1), {
      ...hints,
      previous,
      mode: "keep",
    }) as GaussianProcess;
    assert.deepEqual(fitted.logHyperparameters, expected.logHyperparameters);
  }
});

Deno.test("standardizeTargets: finite mean and std for any finite values, without overflow", () => {
  const cases: number[][] = [
    [0.5, 1e200, 0.7],
    [1e-300, 2e-300, 4e-300],
    [-1e300, 1e300, 0],
    [-Number.MAX_VALUE, Number.MAX_VALUE],
    [1e-300, 1e300],
    [5e-324, 1e-323],
    [3, 3, 3],
    [0, 0],
    [1e300, 1e300],
  ];
  for (const values of cases) {
    const { mean, std, scaled } = standardizeTargets(values);
    assert.ok(
      Number.isFinite(mean) && Number.isFinite(std) && std > 0,
      `${values}: ${mean}, ${std}`,
    );
    assert.ok(scaled.every(Number.isFinite));
    const m = scaled.reduce((a, b) => a + b, 0) / scaled.length;
    const v = scaled.reduce((a, b) => a + (b - m) ** 2, 0) / scaled.length;
    close(m, 0, 1e-12, `mean of ${values}`);
    // Unit variance, or all zeros for constant targets.
    assert.ok(Math.abs(v - 1) < 1e-9 || v === 0, `variance of ${values}: ${v}`);
  }
  const tiny = standardizeTargets([1e-300, 2e-300, 4e-300]);
  close(tiny.mean, 7e-300 / 3, 1e-12);
  assert.ok(tiny.std > 1e-300 && tiny.std < 2e-300, "tiny values are not taken for constants");
  assert.deepEqual(standardizeTargets([3, 3]), { mean: 3, std: 1, scaled: new Float64Array(2) });
  // A large shared offset keeps the differences (thousands of units in the last place of 1e12).
  const offset = standardizeTargets([1e12, 1e12 + 0.09, 1e12 + 0.49]);
  assert.ok(offset.std > 0.1 && offset.std < 0.3, `offset std ${offset.std}`);
  assert.ok(offset.scaled[0] < offset.scaled[1] && offset.scaled[1] < offset.scaled[2]);
  // A few units in the last place apart: round-off of a constant.
  const ulps = standardizeTargets([1e12, 1e12 + 2 ** -13, 1e12 - 2 ** -13]);
  assert.deepEqual(ulps.scaled, new Float64Array(3));
  const plain = standardizeTargets([1, 2, 3, 4]);
  close(plain.mean, 2.5, 1e-15);
  close(plain.std, Math.sqrt(1.25), 1e-15);
  assert.throws(() => standardizeTargets([]), /must not be empty/);
  assert.throws(() => standardizeTargets([1, NaN]), /values\[1\]: must be finite, got NaN/);
});

Deno.test("fitGP fits targets from 1e-300 to 1e300 with finite means", () => {
  const x = [0.1, 0.3, 0.5, 0.7, 0.9].map((v) => Float64Array.of(v));
  for (const y of [[1e-300, 3e-300, 2e-300, 5e-300, 4e-300], [0.5, 1e200, 0.7, 0.2, 1e200]]) {
    const gp = fitGP(x, y, { restarts: 0 });
    assert.ok(Number.isFinite(gp.standardization.std) && gp.standardization.std > 0);
    const { mean } = gp.predict([Float64Array.of(0.4), x[1]]);
    assert.ok(mean.every(Number.isFinite), `${mean}`);
    close(mean[1], y[1], 1e-2 * Math.abs(gp.standardization.std), "interpolates");
  }
});

Deno.test("GP at n = 1,000 with duplicates, near-duplicates, constant targets and 1e12 outliers", () => {
  for (const kind of ["outliers", "constant"] as const) {
    const { points, values } = hardData(1000, 4, kind);
    // Short lengthscales and noise at its floor: the hardest conditioning for duplicates. (The
    // MAP fit and n up to 5,000 run in `deno task fuzz:gp`, which times them.)
    const gp = fitGP(points, values, {
      hyperparameters: { kernel: [0.2, 0.2, 0.2, 0.2, 1], noise: GP_DEFAULTS.bounds.noise[0] },
    });
    assert.ok(Number.isFinite(gp.logMarginalLikelihood));
    // The first 200 training points hold exact and near duplicates of one another.
    checkFinitePredictions(gp, points.slice(0, 200));
    if (kind === "constant") close(gp.predict([points[0]]).mean[0], 3.25, 1e-9);
  }
});

Deno.test("constant mean: the profile likelihood is the maximum over c, with exact gradients", () => {
  const rng = new Rng(21);
  const n = 12, d = 2;
  const x = rng.uniforms(n * d);
  const y = Float64Array.from(rng.normals(n), (v) => v + 1.7);
  const kernel = matern52Kernel(d);
  const profiled = new MarginalLikelihood(kernel, x, y, { constantMean: true });
  const theta = Float64Array.from({ length: profiled.size }, () => rng.uniformIn(-1.5, 0.5));
  theta[profiled.size - 1] = Math.log(0.05);
  const value = profiled.evaluate(theta).value;
  // A zero-mean likelihood of y − c, maximised over c on a fine grid, never exceeds the profile
  // and comes within the grid's resolution of it.
  let bestGrid = -Infinity;
  for (let c = -1; c <= 4; c += 0.001) {
    const shifted = new MarginalLikelihood(kernel, x, y.map((v) => v - c));
    bestGrid = Math.max(bestGrid, shifted.evaluate(theta).value);
  }
  assert.ok(bestGrid <= value + 1e-9, `${bestGrid} > ${value}`);
  close(bestGrid, value, 1e-5, "profile vs grid maximum");
  // Envelope theorem: the gradient at fixed c* is the profile's gradient.
  const { gradient } = profiled.evaluate(theta, new Float64Array(profiled.size));
  for (let j = 0; j < profiled.size; j++) {
    const fd = centralDifference((t) => profiled.evaluate(t).value, theta, j);
    close(gradient[j], fd, 1e-6, `θ${j}`);
  }
});

Deno.test("constant mean: predictions far from the data revert to the fitted constant", () => {
  const x = [0.1, 0.15, 0.2, 0.8].map((v) => Float64Array.of(v));
  const y = [0, 0.1, 0.05, 3];
  const zero = fitGP(x, y, { hyperparameters: { kernel: [0.05, 1], noise: 1e-6 } });
  const constant = fitGP(x, y, {
    hyperparameters: { kernel: [0.05, 1], noise: 1e-6 },
    mean: "constant",
  });
  assert.equal(zero.hyperparameters.meanConstant, 0);
  const c = constant.hyperparameters.meanConstant;
  const { mean: shift, std } = constant.standardization;
  const far = constant.predict([Float64Array.of(0.5)]).mean[0];
  close(far, c * std + shift, 1e-3, "reverts to the constant");
  assert.ok(
    Math.abs(zero.predict([Float64Array.of(0.5)]).mean[0] - shift) < 1e-3,
    "zero mean reverts to the average",
  );
  assert.ok(c !== 0);
  // Near the data both interpolate.
  close(constant.predict([Float64Array.of(0.8)]).mean[0], 3, 1e-3, "interpolates");
  // The gradient of the mean is unchanged in form: finite differences agree.
  const at = constant.predictWithGradient(Float64Array.of(0.3));
  const h = 1e-6;
  const fd = (constant.predict([Float64Array.of(0.3 + h)]).mean[0] -
    constant.predict([Float64Array.of(0.3 - h)]).mean[0]) / (2 * h);
  close(at.meanGradient[0], fd, 1e-5, "dμ");
  close(at.mean, constant.predict([Float64Array.of(0.3)]).mean[0], 1e-12, "consistent");
  assert.throws(() => fitGP(x, y, { mean: "linear" as never }), /options\.mean/);
});

Deno.test("fitGP and gpFactory refuse a kernel with an unknown kind or a missing member, naming it", () => {
  const base = matern52Kernel(2); // size 3: two lengthscales and an outputscale
  const xs = Array.from({ length: 8 }, (_, i) => Float64Array.of((i * 0.37) % 1, (i * 0.61) % 1));
  const ys = xs.map((p) => Math.sin(5 * p[0]) + p[1]);
  // The kernel with some members replaced (methods bound to the original).
  const wrap = (over: Record<string, unknown>): Kernel =>
    new Proxy(base, {
      get: (target, key) => {
        if (key in over) return over[key as string];
        const value = (target as unknown as Record<PropertyKey, unknown>)[key];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const cases: [string, Kernel, RegExp][] = [
    [
      "unknown kind",
      wrap({ kinds: ["period", "lengthscale", "outputscale"] }),
      /options\.kernel\.kinds\[0\]: unknown hyperparameter kind "period" \(known: "lengthscale", "outputscale", "categoricalLengthscale"\)/,
    ],
    [
      "kinds too short",
      wrap({ kinds: ["lengthscale", "outputscale"] }),
      /options\.kernel\.kinds: must be an array of 3 entries .*got 2/,
    ],
    [
      "no names",
      wrap({ names: undefined }),
      /options\.kernel\.names: must be an array of 3 entries/,
    ],
    [
      "no inputGradient",
      wrap({ inputGradient: undefined }),
      /options\.kernel\.inputGradient: must be a function .*only diagonalGradient and prepare are optional/,
    ],
    [
      "no accumulateGradient",
      wrap({ accumulateGradient: undefined }),
      /options\.kernel\.accumulateGradient: must be a function/,
    ],
    ["no cross", wrap({ cross: undefined }), /options\.kernel\.cross: must be a function/],
    ["no diagonal", wrap({ diagonal: undefined }), /options\.kernel\.diagonal: must be a function/],
    [
      "bad diagonalGradient",
      wrap({ diagonalGradient: 1 }),
      /options\.kernel\.diagonalGradient: must be a function when given/,
    ],
    ["bad dim", wrap({ dim: 0 }), /options\.kernel\.dim: must be a positive integer, got 0/],
    ["bad size", wrap({ size: -1 }), /options\.kernel\.size: must be an integer ≥ 0, got -1/],
  ];
  for (const [label, kernel, message] of cases) {
    assert.throws(() => fitGP(xs, ys, { kernel }), new RegExp(`fitGP: ${message.source}`), label);
    // gpFactory refuses it when built, not at its first fit in the middle of a study.
    assert.throws(() => gpFactory({ kernel }), new RegExp(`gpFactory: ${message.source}`), label);
  }
  // Optional members may be missing: diagonalGradient (finite differences) and prepare.
  const plain = wrap({ diagonalGradient: undefined, prepare: undefined });
  assert.ok(Number.isFinite(fitGP(xs, ys, { kernel: plain }).logMarginalLikelihood));
  assert.ok(gpFactory({ kernel: linearKernel(2, false) }).name.includes("linear"));
});
