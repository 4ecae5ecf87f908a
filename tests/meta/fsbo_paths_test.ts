/**
 * `FsboSurrogate.samplePaths`: the feature GP's posterior paths composed with the feature map have
 * the surrogate's mean and variance, and gradients that agree with their values.
 */
import assert from "node:assert/strict";
import { fitFsbo, FsboSurrogate } from "../../lib/meta/fsbo.ts";
import { Rng } from "../../lib/random/rng.ts";

const xs = [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1];
const task = (c: number) => ({
  id: `c${c}`,
  points: xs.map((x) => Float64Array.of(x, 1 - x)),
  values: Float64Array.from(xs, (x) => (x - c) ** 2),
});
const model = fitFsbo([task(0.3), task(0.5), task(0.7)], {
  hidden: 4,
  features: 3,
  metaIterations: 30,
  seed: 1,
});
const surrogate = new FsboSurrogate(
  model,
  [Float64Array.of(0.2, 0.8), Float64Array.of(0.6, 0.4), Float64Array.of(0.9, 0.1)],
  Float64Array.of(0.1, 0.05, 0.3),
);
const points = [Float64Array.of(0.1, 0.3), Float64Array.of(0.45, 0.55), Float64Array.of(0.8, 0.9)];

Deno.test("FsboSurrogate.samplePaths: the paths have the surrogate's mean and variance", () => {
  const paths = surrogate.samplePaths!(2000, new Rng(0), { features: 256 });
  const { mean, variance } = surrogate.predict(points);
  points.forEach((_, i) => {
    const values = paths.map((path) => path.evaluate([points[i]])[0]);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
    // Four standard errors of the mean; the variance within 12 % (a standard error of 3.2 %).
    assert.ok(Math.abs(m - mean[i]) < 4 * Math.sqrt(variance[i] / values.length), `mean ${i}`);
    assert.ok(Math.abs(v / variance[i] - 1) < 0.12, `variance ${i}: ${v} vs ${variance[i]}`);
  });
});

Deno.test("FsboSurrogate.samplePaths: gradients by the chain rule agree with finite differences", () => {
  const [path] = surrogate.samplePaths!(1, new Rng(4));
  for (const point of points) {
    const { value, gradient } = path.valueAndGradient(point);
    assert.ok(Math.abs(value - path.evaluate([point])[0]) < 1e-10);
    for (let j = 0; j < 2; j++) {
      const h = 1e-6;
      const up = Float64Array.from(point), down = Float64Array.from(point);
      up[j] += h;
      down[j] -= h;
      const fd = (path.evaluate([up])[0] - path.evaluate([down])[0]) / (2 * h);
      assert.ok(Math.abs(fd - gradient[j]) < 1e-4 * Math.max(1, Math.abs(fd)), `∂${j}`);
    }
  }
  assert.throws(() => path.evaluate([Float64Array.of(0.5)]), /points\[0\]: expected 2/);
});
