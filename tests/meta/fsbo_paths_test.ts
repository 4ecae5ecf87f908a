/**
 * `FsboSurrogate.samplePaths`: the feature GP's posterior paths composed with the feature map have
 * the surrogate's mean and variance, and gradients that agree with their values.
 */
import assert from "node:assert/strict";
import { FsboSurrogate } from "../../lib/meta/fsbo.ts";
import { Rng } from "../../lib/random/rng.ts";
import { smallFsbo } from "./_fixtures.ts";
import { assertPathGradients, assertPathMoments } from "./_paths.ts";

const surrogate = new FsboSurrogate(
  smallFsbo(),
  [Float64Array.of(0.2, 0.8), Float64Array.of(0.6, 0.4), Float64Array.of(0.9, 0.1)],
  Float64Array.of(0.1, 0.05, 0.3),
);
const points = [Float64Array.of(0.1, 0.3), Float64Array.of(0.45, 0.55), Float64Array.of(0.8, 0.9)];

Deno.test("FsboSurrogate.samplePaths: the paths have the surrogate's mean and variance", () => {
  const paths = surrogate.samplePaths!(2000, new Rng(0), { features: 256 });
  // The variance within 12 % (a standard error of 3.2 %).
  assertPathMoments(paths, points, surrogate.predict(points), 0.12);
});

Deno.test("FsboSurrogate.samplePaths: gradients by the chain rule agree with finite differences", () => {
  const [path] = surrogate.samplePaths!(1, new Rng(4));
  assertPathGradients(path, points);
  assert.throws(() => path.evaluate([Float64Array.of(0.5)]), /points\[0\]: expected 2/);
});
