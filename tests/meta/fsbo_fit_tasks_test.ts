import assert from "node:assert/strict";
import { fitFsbo } from "../../lib/meta/fsbo.ts";

const P = (...v: number[]) => v.map((x) => Float64Array.of(x));
const small = { hidden: 4, features: 4, metaIterations: 3 };

Deno.test("fitFsbo refuses bad tasks up front, naming the field, instead of meta-training on NaN", () => {
  const ok = { id: "a", points: P(0.1, 0.5, 0.9), values: Float64Array.of(1, 2, 0) };
  // A NaN coordinate: before, loss NaN and a network of NaN.
  assert.throws(
    () =>
      fitFsbo([ok, { id: "b", points: P(0.1, 0.2, 0.3, 0.4, NaN), values: new Float64Array(5) }]),
    { name: "RangeError", message: "fitFsbo.tasks[1].points[4][0]: must be finite, got NaN" },
  );
  // Fewer values than points: before, MarginalLikelihood's error on y[2].
  assert.throws(
    () => fitFsbo([{ id: "a", points: P(0.1, 0.5, 0.9), values: Float64Array.of(1, 2) }], small),
    { message: "fitFsbo.tasks[0].values: expected 3 (one per point), got 2" },
  );
  // A NaN value: named as the task's field, not by standardizeTargets.
  assert.throws(
    () => fitFsbo([ok, { id: "b", points: P(0.1, 0.5), values: Float64Array.of(1, NaN) }], small),
    { message: "fitFsbo.tasks[1].values[1]: must be finite, got NaN" },
  );
  // Valid tasks still meta-train; a task of one point is still left out.
  const single = { id: "s", points: P(0.4), values: Float64Array.of(3) };
  assert.ok(Number.isFinite(fitFsbo([ok, single], small).loss));
});
