import assert from "node:assert/strict";
import { fineTuneFsbo, fsbo, FsboSurrogate } from "../../lib/meta/fsbo.ts";
import { Rng } from "../../lib/random/rng.ts";
import { smallFsbo } from "./_fixtures.ts";

const model = smallFsbo();
const tp = [Float64Array.of(0.2, 0.8), Float64Array.of(0.6, 0.4), Float64Array.of(0.9, 0.1)];
const tv = Float64Array.of(0.1, 0.05, 0.3);

Deno.test("FsboSurrogate refuses points of another dimension or with NaN, naming the point", () => {
  const s = new FsboSurrogate(model, tp, tv);
  // Before: the third coordinate was silently ignored, the prediction that of [0.5, 0.5].
  assert.throws(() => s.predict([Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.5, 99)]), {
    name: "RangeError",
    message: "FsboSurrogate.predict: points[1]: expected 2 coordinates, got 3",
  });
  // Before: the GP's "points[0][0]: must be finite, got NaN" on the features.
  assert.throws(() => s.predict([Float64Array.of(0.5)]), {
    name: "RangeError",
    message: "FsboSurrogate.predict: points[0]: expected 2 coordinates, got 1",
  });
  assert.throws(() => s.predictMean([Float64Array.of(0.5, NaN)]), {
    name: "RangeError",
    message: "FsboSurrogate.predictMean: points[0][1]: must be finite, got NaN",
  });
  assert.throws(() => s.predictWithGradient(Float64Array.of(0.5, 0.5, 0)), {
    name: "RangeError",
    message: "FsboSurrogate.predictWithGradient: point: expected 2 coordinates, got 3",
  });
  assert.throws(() => s.sampleJoint([Float64Array.of(0.5)], 2, new Rng(0)), {
    name: "RangeError",
    message: "FsboSurrogate.sampleJoint: points[0]: expected 2 coordinates, got 1",
  });
  // Before: fitGP's "points[0][0]: must be finite, got NaN" at construction.
  assert.throws(() => new FsboSurrogate(model, [Float64Array.of(0.2), ...tp.slice(1)], tv), {
    name: "RangeError",
    message: "FsboSurrogate: points[0]: expected 2 coordinates, got 1",
  });
  assert.throws(() => new FsboSurrogate(model, [...tp.slice(0, 2), Float64Array.of(1, 2, 3)], tv), {
    name: "RangeError",
    message: "FsboSurrogate: points[2]: expected 2 coordinates, got 3",
  });
  // Valid points: the same predictions as before.
  const p = s.predict([Float64Array.of(0.5, 0.5)]);
  assert.ok(Number.isFinite(p.mean[0]) && p.variance[0] >= 0);
});

Deno.test("fineTuneFsbo refuses a NaN coordinate, naming it, instead of returning the untuned model", () => {
  const pts = [Float64Array.of(NaN, 0.2), Float64Array.of(0.5, 0.5), Float64Array.of(0.9, 0.1)];
  // Before: the first loss was NaN, the loop stopped and `model` came back unchanged.
  assert.throws(() => fineTuneFsbo(model, pts, Float64Array.of(1, 0, 0.5)), {
    name: "RangeError",
    message: "fineTuneFsbo.points[0][0]: must be finite, got NaN",
  });
  assert.throws(
    () => fineTuneFsbo(model, [tp[0], Float64Array.of(0.5, Infinity)], Float64Array.of(1, 0)),
    { name: "RangeError", message: "fineTuneFsbo.points[1][1]: must be finite, got Infinity" },
  );
  assert.throws(() => fineTuneFsbo(model, [tp[0], Float64Array.of(0.5)], Float64Array.of(1, 0)), {
    name: "RangeError",
    message: "fineTuneFsbo.points[1]: expected 2 coordinates, got 1",
  });
  assert.throws(
    () =>
      fsbo(model).fit([tp[0], Float64Array.of(0.5, 0.5, 0.5)], Float64Array.of(1, 0), new Rng(0)),
    { name: "RangeError", message: "fsbo.fit: points[1]: expected 2 coordinates, got 3" },
  );
  // Valid points are still fine-tuned.
  assert.notStrictEqual(fineTuneFsbo(model, tp, tv), model);
});
