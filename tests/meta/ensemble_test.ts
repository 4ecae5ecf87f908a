/**
 * `WeightedEnsemble.samplePaths`: posterior paths of RGPE's and TST-R's ensemble with the
 * ensemble's mean and variance, values and gradients that agree, and present only when every
 * member with a variance weight draws paths; the weights and the rng checked with errors naming
 * the field.
 */
import assert from "node:assert/strict";
import { fitGP } from "../../lib/gp/gp.ts";
import { WeightedEnsemble } from "../../lib/meta/ensemble.ts";
import { Rng } from "../../lib/random/rng.ts";
import { assertPathGradients, assertPathMoments } from "./_paths.ts";

const rng = new Rng(3);
const x = Array.from({ length: 12 }, () => rng.uniforms(2));
const target = fitGP(x.slice(0, 6), x.slice(0, 6).map((p) => Math.sin(4 * p[0]) + p[1]));
const prior = fitGP(x, x.map((p) => Math.sin(4 * p[0]) + 0.5 * p[1] + 3));
const other = fitGP(x, x.map((p) => (p[0] - 0.5) ** 2 * 10));
const ensemble = new WeightedEnsemble(target, [
  { id: "prior", gp: prior, meanWeight: 0.5, varianceWeight: 0.25 },
  { id: "other", gp: other, meanWeight: 0.2, varianceWeight: 0.04 },
  { id: "target", gp: target, meanWeight: 0.3, varianceWeight: 0.09 },
]);
const points = [Float64Array.of(0.2, 0.7), Float64Array.of(0.8, 0.1), Float64Array.of(0.5, 0.5)];

Deno.test("WeightedEnsemble.samplePaths: the paths have the ensemble's mean and variance", () => {
  const paths = ensemble.samplePaths!(2000, new Rng(0), { features: 256 });
  // The variance within 12 % (2,000 draws: a standard error of about 3.2 %).
  assertPathMoments(paths, points, ensemble.predict(points), 0.12);
});

Deno.test("WeightedEnsemble.samplePaths: values and gradients of a path agree; same seed, same path", () => {
  const [path] = ensemble.samplePaths!(1, new Rng(5));
  const [again] = ensemble.samplePaths!(1, new Rng(5));
  assert.deepEqual(path.evaluate(points), again.evaluate(points));
  assertPathGradients(path, points);
});

Deno.test("WeightedEnsemble.samplePaths: absent when a member with a variance weight draws no paths", () => {
  // The prior GP without `samplePaths` (its methods bound to it: they read private fields).
  const noPaths = {
    dim: prior.dim,
    standardization: prior.standardization,
    predict: prior.predict.bind(prior),
    predictMean: prior.predictMean.bind(prior),
    predictStandardized: prior.predictStandardized.bind(prior),
    predictWithGradient: prior.predictWithGradient.bind(prior),
    sampleJoint: prior.sampleJoint.bind(prior),
  } as unknown as typeof prior;
  const without = new WeightedEnsemble(target, [
    { id: "prior", gp: noPaths, meanWeight: 0.5, varianceWeight: 0.25 },
    { id: "target", gp: target, meanWeight: 0.5, varianceWeight: 0.25 },
  ]);
  assert.equal(without.samplePaths, undefined);
  // A member whose variance does not count need not draw paths; with only such members the
  // paths are the ensemble's mean.
  const meanOnly = new WeightedEnsemble(target, [
    { id: "prior", gp: noPaths, meanWeight: 1, varianceWeight: 0 },
  ]);
  const [path] = meanOnly.samplePaths!(1, new Rng(0));
  assert.deepEqual(path.evaluate(points), meanOnly.predictMean(points));
  assert.throws(() => ensemble.samplePaths!(-1, new Rng(0)), /count/);
});

Deno.test("WeightedEnsemble: weights that are not finite, or a negative variance weight, are refused", () => {
  const cases: [number, number, RegExp][] = [
    [0.5, -1, /^WeightedEnsemble\.members\[1\]\.varianceWeight: must be a finite number ≥ 0$/],
    [
      0.5,
      Infinity,
      /^WeightedEnsemble\.members\[1\]\.varianceWeight: must be a finite number ≥ 0$/,
    ],
    [0.5, NaN, /^WeightedEnsemble\.members\[1\]\.varianceWeight: must be a finite number ≥ 0$/],
    [NaN, 0.25, /^WeightedEnsemble\.members\[1\]\.meanWeight: must be a finite number$/],
    [-Infinity, 0.25, /^WeightedEnsemble\.members\[1\]\.meanWeight: must be a finite number$/],
  ];
  for (const [meanWeight, varianceWeight, message] of cases) {
    assert.throws(
      () =>
        new WeightedEnsemble(target, [
          { id: "target", gp: target, meanWeight: 0.5, varianceWeight: 0.25 },
          { id: "prior", gp: prior, meanWeight, varianceWeight },
        ]),
      (error: unknown) => error instanceof TypeError && message.test(error.message),
      `${meanWeight}, ${varianceWeight}`,
    );
  }
  // A negative mean weight is a weight like any other.
  new WeightedEnsemble(target, [{ id: "prior", gp: prior, meanWeight: -0.5, varianceWeight: 0 }]);
});

Deno.test("WeightedEnsemble.samplePaths: without an rng, an error naming it", () => {
  assert.throws(
    () => ensemble.samplePaths!(1, undefined as unknown as Rng),
    (error: unknown) =>
      error instanceof TypeError &&
      error.message === "WeightedEnsemble.samplePaths: rng: must be an Rng",
  );
});
