import assert from "node:assert/strict";
import { centralDifference } from "../_assert.ts";
import {
  fitGP,
  type GaussianProcess,
  gpFactory,
  type Kernel,
  matern12Kernel,
  matern32Kernel,
  matern52Kernel,
  productKernel,
  rbfKernel,
  sumKernel,
} from "../../lib/gp/mod.ts";
import { randomFourierFeatures, SAMPLE_PATH_DEFAULTS } from "../../lib/gp/pathwise.ts";
import { categorical, defineSpace, float } from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { linearKernel } from "./_linear_kernel.ts";

/** Eight noisy observations of a smooth function on [0, 1]², targets far from mean 0, sd 1. */
function data(): { x: Float64Array[]; y: number[] } {
  const rng = new Rng(4);
  const x = Array.from({ length: 8 }, () => rng.uniforms(2));
  const y = x.map((p) => 40 + 7 * Math.sin(5 * p[0]) * Math.cos(3 * p[1]) + 0.5 * rng.normal());
  return { x, y };
}

/** A GP with fixed hyperparameters, a fitted constant mean and a clearly positive noise. */
function noisyGP(kernel: Kernel, values: number[]): GaussianProcess {
  const { x, y } = data();
  return fitGP(x, y, {
    kernel,
    hyperparameters: { kernel: values, noise: 0.08 },
    mean: "constant",
  });
}

/** Two test points next to the data, two away from it. */
const TEST_POINTS = [
  Float64Array.of(0.3, 0.6),
  Float64Array.of(0.75, 0.2),
  Float64Array.of(1.4, -0.3),
  Float64Array.of(-0.5, 1.2),
];

// Monte-Carlo tolerance of the tests below: 5 standard errors of the estimate, for the Gaussian
// case (the sample mean of P values with variance v has error sd √(v/P), a sample covariance
// √((vᵢvⱼ + cᵢⱼ²)/P)). With a fixed seed every test is deterministic; 5 standard errors leave the
// true values a wide margin and still catch a missing noise term (a mean-square error of
// σ²·kᵀK⁻²k, several standard errors here) or a path without its own features.
const STANDARD_ERRORS = 5;

Deno.test("samplePaths: mean and covariance over paths match the exact posterior", () => {
  const cases: [string, Kernel, number[]][] = [
    ["matern52", matern52Kernel(2), [0.3, 0.5, 1.5]],
    ["rbf", rbfKernel(2), [0.25, 0.4, 2]],
  ];
  for (const [name, kernel, values] of cases) {
    const gp = noisyGP(kernel, values);
    const paths = 4000;
    const samples = gp.samplePaths!(paths, new Rng(11), { features: 256 }).map((path) =>
      path.evaluate(TEST_POINTS)
    );
    const m = TEST_POINTS.length;
    const { mean } = gp.predict(TEST_POINTS);
    const covariance = gp.covariance(TEST_POINTS);
    const average = new Float64Array(m);
    for (const s of samples) for (let p = 0; p < m; p++) average[p] += s[p] / paths;
    for (let p = 0; p < m; p++) {
      const se = Math.sqrt(covariance[p * m + p] / paths);
      assert.ok(
        Math.abs(average[p] - mean[p]) <= STANDARD_ERRORS * se,
        `${name}: mean at point ${p}: ${average[p]} vs exact ${mean[p]} (se ${se})`,
      );
    }
    for (let p = 0; p < m; p++) {
      for (let q = 0; q <= p; q++) {
        let c = 0;
        for (const s of samples) c += (s[p] - average[p]) * (s[q] - average[q]);
        c /= paths - 1;
        const exact = covariance[p * m + q];
        const se = Math.sqrt(
          (covariance[p * m + p] * covariance[q * m + q] + exact * exact) / paths,
        );
        assert.ok(
          Math.abs(c - exact) <= STANDARD_ERRORS * se,
          `${name}: covariance (${p}, ${q}): ${c} vs exact ${exact} (se ${se})`,
        );
      }
    }
  }
});

Deno.test("randomFourierFeatures: φ(x)ᵀφ(x') approximates the kernel of every kernel with a spectral density", () => {
  const ard = [0.3, 0.7, 0.5];
  const kernels: [string, Kernel, number[]][] = [
    ["rbf", rbfKernel(3), [...ard, 1.7]],
    ["matern12", matern12Kernel(3), [...ard, 1.7]],
    ["matern32", matern32Kernel(3), [...ard, 1.7]],
    ["matern52", matern52Kernel(3), [...ard, 1.7]],
    ["dims", matern52Kernel(3, { dims: [0, 2] }), [0.4, 0.6, 0.8]],
    [
      "sum",
      sumKernel(rbfKernel(3, { dims: [0, 1] }), matern12Kernel(3, { dims: [2] })),
      [0.4, 0.6, 0.5, 0.3, 1.2],
    ],
    [
      "product",
      productKernel(matern32Kernel(3, { dims: [0] }), rbfKernel(3, { dims: [1, 2] })),
      [0.5, 1.3, 0.4, 0.6, 0.9],
    ],
  ];
  const points = [
    Float64Array.of(0.1, 0.2, 0.3),
    Float64Array.of(0.35, 0.1, 0.5),
    Float64Array.of(0.6, 0.7, 0.2),
    Float64Array.of(0.2, 0.5, 0.9),
  ];
  const m = points.length, count = 100_000;
  for (const [name, kernel, values] of kernels) {
    const theta = Float64Array.from(values, Math.log);
    const rff = randomFourierFeatures(kernel, theta, count, new Rng(2));
    const phi = rff.map(points);
    const exact = kernel.gram(theta, new Float64Array(points.flatMap((p) => [...p])), m);
    const variance = kernel.diagonal(theta, points[0], 1)[0];
    for (let p = 0; p < m; p++) {
      for (let q = 0; q <= p; q++) {
        let approx = 0;
        for (let j = 0; j < count; j++) approx += phi[p * count + j] * phi[q * count + j];
        // Each feature's term 2s²·cos(a)·cos(b) has variance ≤ s⁴ (s² = k(x, x)), so the sum has
        // a standard error ≤ s²/√F.
        const se = variance / Math.sqrt(count);
        assert.ok(
          Math.abs(approx - exact[p * m + q]) <= STANDARD_ERRORS * se,
          `${name} (${p}, ${q}): ${approx} vs k = ${exact[p * m + q]} (se ${se})`,
        );
      }
    }
  }
});

Deno.test("samplePaths: the path's gradient matches central finite differences", () => {
  const cases: [string, Kernel, number[]][] = [
    ["matern52", matern52Kernel(2), [0.3, 0.5, 1.5]],
    ["matern32", matern32Kernel(2), [0.3, 0.5, 1.5]],
    ["rbf", rbfKernel(2), [0.25, 0.4, 2]],
    ["sum", sumKernel(rbfKernel(2), matern52Kernel(2)), [0.3, 0.4, 1, 0.6, 0.2, 0.5]],
  ];
  for (const [name, kernel, values] of cases) {
    const gp = noisyGP(kernel, values);
    const paths = gp.samplePaths!(3, new Rng(8));
    for (const path of paths) {
      for (const point of TEST_POINTS) {
        const { value, gradient } = path.valueAndGradient(point);
        const evaluated = path.evaluate([point])[0];
        assert.ok(
          Math.abs(value - evaluated) <= 1e-10 * Math.max(1, Math.abs(value)),
          `${name}: value ${value} vs evaluate ${evaluated}`,
        );
        const f = (x: Float64Array) => path.evaluate([x])[0];
        gradient.forEach((g, t) => {
          const fd = centralDifference(f, point, t, 1e-5);
          assert.ok(
            Math.abs(g - fd) <= 1e-5 * Math.max(1, Math.abs(fd)),
            `${name}: ∂/∂x${t} at [${point}]: ${g} vs finite difference ${fd}`,
          );
        });
      }
    }
  }
});

Deno.test("samplePaths: same seed, same paths; paths of one call and of other seeds differ", () => {
  const gp = noisyGP(matern52Kernel(2), [0.3, 0.5, 1.5]);
  const a = gp.samplePaths!(2, new Rng(21));
  const b = gp.samplePaths!(2, new Rng(21));
  const c = gp.samplePaths!(1, new Rng(22));
  const at = (path: (typeof a)[number]) => Array.from(path.evaluate(TEST_POINTS));
  assert.deepEqual(at(a[0]), at(b[0]));
  assert.deepEqual(at(a[1]), at(b[1]));
  assert.deepEqual(a[0].valueAndGradient(TEST_POINTS[1]), b[0].valueAndGradient(TEST_POINTS[1]));
  // A path is a fixed function: evaluating again (in any order, one point or many) repeats it.
  assert.deepEqual(at(a[0]), [...TEST_POINTS].map((p) => a[0].evaluate([p])[0]));
  assert.notDeepEqual(at(a[0]), at(a[1]));
  assert.notDeepEqual(at(a[0]), at(c[0]));
  assert.equal(a[0].features, SAMPLE_PATH_DEFAULTS.features);
  assert.equal(gp.samplePaths!(1, new Rng(0), { features: 64 })[0].features, 64);
  assert.deepEqual(gp.samplePaths!(0, new Rng(0)), []);
});

Deno.test("samplePaths: only for kernels with a spectral density; bad arguments name the field", () => {
  const { x, y } = data();
  assert.equal(typeof fitGP(x, y).samplePaths, "function");
  // A kernel of your own without spectralSample (here a linear one): no paths.
  const linear = fitGP(x, y, {
    kernel: linearKernel(2, true),
    hyperparameters: { kernel: [1], noise: 0.1 },
  });
  assert.equal(linear.samplePaths, undefined);
  // BoTorch's mixed kernel over categorical inputs: no paths either; one-hot columns keep them.
  const space = defineSpace({ c: categorical(["a", "b", "c"]), u: float(0, 1) });
  const encoded = space.sampleEncoded(8, new Rng(1));
  const values = Float64Array.from(encoded, (u) => u[0] + (u[3] - 0.3) ** 2);
  const hamming = gpFactory({ categorical: "hamming" }).fit(encoded, values, new Rng(0), { space });
  assert.equal((hamming as GaussianProcess).samplePaths, undefined);
  const oneHot = gpFactory().fit(encoded, values, new Rng(0), { space });
  assert.equal(typeof (oneHot as GaussianProcess).samplePaths, "function");

  const gp = fitGP(x, y);
  assert.throws(() => gp.samplePaths!(-1, new Rng(0)), /GaussianProcess\.samplePaths: count/);
  assert.throws(() => gp.samplePaths!(1.5, new Rng(0)), /GaussianProcess\.samplePaths: count/);
  assert.throws(
    () => gp.samplePaths!(1, Math.random as never),
    /GaussianProcess\.samplePaths: rng: must be an Rng/,
  );
  assert.throws(
    () => gp.samplePaths!(1, new Rng(0), { features: 0 }),
    /GaussianProcess\.samplePaths: options\.features: must be a positive integer/,
  );
  assert.throws(
    () => gp.samplePaths!(1, new Rng(0), { feature: 8 } as never),
    /GaussianProcess\.samplePaths: options.*feature/,
  );
  const [path] = gp.samplePaths!(1, new Rng(0));
  assert.throws(() => path.evaluate([Float64Array.of(0.5)]), /SamplePath\.evaluate: points\[0\]/);
  assert.throws(
    () => path.valueAndGradient(Float64Array.of(NaN, 0)),
    /SamplePath\.valueAndGradient: point/,
  );
  // A kernel of your own whose spectralSample returns nonsense is named.
  const broken: Kernel = {
    ...linearKernel(2, true),
    name: "broken",
    spectralSample: () => ({ frequencies: new Float64Array(3), variance: 1 }),
  };
  const withBroken = fitGP(x, y, { kernel: broken, hyperparameters: { kernel: [1], noise: 0.1 } });
  assert.throws(
    () => withBroken.samplePaths!(1, new Rng(0), { features: 4 }),
    /broken\.spectralSample: frequencies: expected length 8, got 3/,
  );
});
