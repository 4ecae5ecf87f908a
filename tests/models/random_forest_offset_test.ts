/**
 * The forest's predictive variance does not depend on a common offset of the targets: the spread
 * of the tree means is summed about their mean, so targets near 1e8 or 1e10 give the variance of
 * the same targets near 0 (up to the rounding of the tree means themselves at that magnitude).
 */
import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import { randomForest } from "../../lib/models/random_forest.ts";

Deno.test("randomForest: the variance is invariant to an offset of 1e8 and 1e10 in the targets", () => {
  const rng = new Rng(0);
  const points = Array.from({ length: 40 }, () => rng.uniforms(2));
  const test = Array.from({ length: 20 }, () => rng.uniforms(2));
  const f = (p: Float64Array) => Math.sin(6 * p[0]) + p[1];
  for (const variance of ["trees", "total"] as const) {
    for (const splitter of ["best", "random"] as const) {
      const fit = (offset: number) =>
        randomForest({ variance, splitter }).fit(
          points,
          Float64Array.from(points, (p) => offset + f(p)),
          new Rng(1),
        ).predict(test).variance;
      const reference = fit(0);
      // Tolerances: the tree means themselves are rounded to the offset's precision (a unit in
      // the last place of 1e8 is 1.5e-8, of 1e10 1.9e-6, next to a spread of about 0.1).
      for (const [offset, tolerance] of [[1e8, 1e-6], [1e10, 1e-4]]) {
        const shifted = fit(offset);
        for (let i = 0; i < test.length; i++) {
          assert.ok(reference[i] > 0, `${variance}/${splitter}: variance ${reference[i]} at ${i}`);
          const relative = Math.abs(shifted[i] - reference[i]) / reference[i];
          assert.ok(
            relative < tolerance,
            `${variance}/${splitter}, offset ${offset}: variance ${shifted[i]} vs ${
              reference[i]
            } at point ${i}`,
          );
        }
      }
    }
  }
});
