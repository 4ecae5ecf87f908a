import assert from "node:assert/strict";
import {
  conditionOnObservations,
  fitGP,
  type GaussianProcess,
  gpFactory,
} from "../../lib/gp/gp.ts";
import { randomForest } from "../../lib/models/random_forest.ts";
import { Rng } from "../../lib/random/rng.ts";
import { conditioned, within } from "./_conditioned.ts";

/** Data in units far from standardised ones (mean ≈ 40, sd ≈ 15), 3 inputs. */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const points = Array.from({ length: n }, () => rng.uniforms(3));
  const f = (p: Float64Array) => 40 + 15 * (Math.sin(6 * p[0]) + 4 * (p[1] - 0.3) ** 2 + p[2]);
  return { points, values: Float64Array.from(points, f), rng };
}

Deno.test("conditionOnObservations: the GP's own posterior conditioned on more observations, in its units", () => {
  const { points, values, rng } = data(10, 4);
  const at = [
    Float64Array.of(0.95, 0.95, 0.05),
    Float64Array.of(0.05, 0.9, 0.9),
    ...Array.from({ length: 6 }, () => rng.uniforms(3)),
  ];
  for (const mean of ["constant", "zero"] as const) {
    const gp = gpFactory({ kernel: "matern52", priors: "gamma", mean }).fit(
      points,
      values,
      new Rng(0),
    ) as GaussianProcess;
    // A batch of 7 believed points near the incumbent (the kriging believer), and arbitrary values.
    const best = values.indexOf(Math.min(...values));
    const extra = Array.from(
      { length: 7 },
      (_, k) => points[best].map((v) => Math.min(1, Math.max(0, v + 0.03 * (k + 1)))),
    );
    const believed = gp.predict(extra).mean;
    const arbitrary = Float64Array.from(extra, (_, k) => 30 + 5 * k);
    for (const [label, y] of [["believed", believed], ["arbitrary", arbitrary]] as const) {
      const fantasy = conditionOnObservations(gp, extra, y)!;
      const expected = conditioned(gp, at, extra, y);
      const got = fantasy.predict(at);
      within(got.mean, expected.mean, 1e-10, `${mean} ${label} mean`);
      within(got.variance, expected.variance, 1e-10, `${mean} ${label} variance`);
      // The same model: hyperparameters, standardisation and constant kept.
      assert.deepEqual(fantasy.logHyperparameters, gp.logHyperparameters);
      assert.deepEqual(fantasy.standardization, gp.standardization);
      assert.equal(fantasy.hyperparameters.meanConstant, gp.hyperparameters.meanConstant);
      assert.equal(fantasy.size, gp.size + extra.length);
      assert.equal(fantasy.fit.starts, 0);
    }
    // Believed values: the mean stays, the variance nowhere rises.
    const before = gp.predict(at),
      after = conditionOnObservations(gp, extra, believed)!.predict(at);
    within(after.mean, before.mean, 1e-10, `${mean} believed mean unchanged`);
    for (let i = 0; i < at.length; i++) {
      assert.ok(after.variance[i] <= before.variance[i] * (1 + 1e-12), `${mean} variance at ${i}`);
    }
  }
});

Deno.test("conditionOnObservations: one point at a time is all at once; the prior in objective units stays", () => {
  const { points, values, rng } = data(9, 7);
  const gp = fitGP(points, values, { kernel: "matern52", priors: "gamma", mean: "constant" });
  const extra = Array.from({ length: 3 }, () => rng.uniforms(3));
  const y = Float64Array.of(35, 60, 47);
  let stepwise: GaussianProcess = gp;
  for (let k = 0; k < extra.length; k++) {
    stepwise = conditionOnObservations(stepwise, [extra[k]], [y[k]])!;
  }
  const joint = conditionOnObservations(gp, extra, y)!;
  const at = Array.from({ length: 5 }, () => rng.uniforms(3));
  const a = stepwise.predict(at), b = joint.predict(at);
  within(a.mean, b.mean, 1e-10, "mean");
  within(a.variance, b.variance, 1e-10, "variance");
  // The prior variance in objective units, outputscale · std², is the fitted GP's.
  const prior = (g: GaussianProcess) =>
    g.hyperparameters.outputscales[0] * g.standardization.std ** 2;
  assert.equal(prior(joint), prior(gp));
  // Nothing to condition: no new point is the same GP.
  const same = conditionOnObservations(gp, [], [])!;
  assert.deepEqual(same.predict(at), gp.predict(at));
});

Deno.test("conditionOnObservations: undefined for another surrogate; bad input names the field", () => {
  const { points, values } = data(8, 1);
  const forest = randomForest().fit(points, values, new Rng(0));
  assert.equal(conditionOnObservations(forest, [points[0]], [1]), undefined);
  const gp = fitGP(points, values);
  assert.throws(
    () => conditionOnObservations(gp, [Float64Array.of(0.5, 0.5)], [1]),
    /conditionOnObservations: points\[0\]: expected 3 coordinates, got 2/,
  );
  assert.throws(
    () => conditionOnObservations(gp, [Float64Array.of(0.5, NaN, 0.5)], [1]),
    /conditionOnObservations: points\[0\]/,
  );
  assert.throws(
    () => conditionOnObservations(gp, [points[0]], [1, 2]),
    /conditionOnObservations: values has 2 entries but there are 1 points/,
  );
  assert.throws(
    () => conditionOnObservations(gp, [points[0]], [Infinity]),
    /conditionOnObservations: values\[0\]: must be finite, got Infinity/,
  );
  assert.throws(
    () => conditionOnObservations(gp, [points[0]], "1" as never),
    /conditionOnObservations: values must be a Float64Array or number\[\]/,
  );
  // A value beyond float64 once standardised (a GP of tiny values): a RangeError naming it.
  const tiny = fitGP(points, Float64Array.from(values, (v) => v * 1e-300));
  assert.throws(
    () => conditionOnObservations(tiny, [points[0]], [1.7e308]),
    /conditionOnObservations: values\[0\] = 1\.7e\+308 is beyond float64/,
  );
});
