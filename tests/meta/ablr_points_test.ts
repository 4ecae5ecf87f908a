import assert from "node:assert/strict";
import { ablr, AblrSurrogate, fitAblr, refitAblr } from "../../lib/meta/ablr.ts";
import { Rng } from "../../lib/random/rng.ts";
import { quadraticTask as task } from "./_fixtures.ts";

const model = fitAblr([task(0.3), task(0.5), task(0.7)], {
  hidden: 4,
  features: 3,
  iterations: 20,
  seed: 1,
});
const tp = [Float64Array.of(0.2, 0.8), Float64Array.of(0.6, 0.4), Float64Array.of(0.9, 0.1)];
const tv = Float64Array.of(0.1, 0.05, 0.3);

Deno.test("AblrSurrogate refuses points of another dimension or with NaN, naming the point", () => {
  const s = new AblrSurrogate(model, tp, tv);
  // Before: the third coordinate was silently ignored.
  assert.throws(() => s.predict([Float64Array.of(0.5, 0.5, 99)]), {
    name: "RangeError",
    message: "AblrSurrogate.predict: points[0]: expected 2 coordinates, got 3",
  });
  // Before: no error, mean and variance NaN.
  assert.throws(() => s.predict([Float64Array.of(0.5, 0.5), Float64Array.of(0.5)]), {
    name: "RangeError",
    message: "AblrSurrogate.predict: points[1]: expected 2 coordinates, got 1",
  });
  assert.throws(() => s.predictMean([Float64Array.of(NaN, 0.5)]), {
    name: "RangeError",
    message: "AblrSurrogate.predictMean: points[0][0]: must be finite, got NaN",
  });
  assert.throws(() => s.predictWithGradient(Float64Array.of(0.5)), {
    name: "RangeError",
    message: "AblrSurrogate.predictWithGradient: point: expected 2 coordinates, got 1",
  });
  assert.throws(() => s.sampleJoint([Float64Array.of(0.5, 0.5, 0)], 2, new Rng(0)), {
    name: "RangeError",
    message: "AblrSurrogate.sampleJoint: points[0]: expected 2 coordinates, got 3",
  });
  // Before: "cholesky: matrix has non-finite diagonal entries".
  assert.throws(() => new AblrSurrogate(model, [Float64Array.of(0.2), ...tp.slice(1)], tv), {
    name: "RangeError",
    message: "AblrSurrogate: points[0]: expected 2 coordinates, got 1",
  });
  assert.throws(
    () => new AblrSurrogate(model, [...tp.slice(0, 2), Float64Array.of(0.9, 0.1, 5)], tv),
    { name: "RangeError", message: "AblrSurrogate: points[2]: expected 2 coordinates, got 3" },
  );
  assert.throws(
    () =>
      ablr(model, { refitEvery: 0 }).fit(
        [tp[0], Float64Array.of(0.5)],
        tv.subarray(0, 2),
        new Rng(0),
      ),
    { name: "RangeError", message: "ablr.fit: points[1]: expected 2 coordinates, got 1" },
  );
  const p = s.predict([Float64Array.of(0.5, 0.5)]);
  assert.ok(Number.isFinite(p.mean[0]) && p.variance[0] >= 0);
});

Deno.test("refitAblr refuses a NaN coordinate, naming it, instead of a Cholesky error", () => {
  assert.throws(
    () => refitAblr(model, [Float64Array.of(0.2, NaN), ...tp.slice(1)], tv, { iterations: 2 }),
    { name: "RangeError", message: "refitAblr.points[0][1]: must be finite, got NaN" },
  );
});
