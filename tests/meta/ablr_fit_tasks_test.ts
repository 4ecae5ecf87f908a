import assert from "node:assert/strict";
import { fitAblr } from "../../lib/meta/ablr.ts";

const P = (...v: number[]) => v.map((x) => Float64Array.of(x));
const small = { hidden: 4, features: 4, iterations: 3 };

Deno.test("fitAblr refuses bad tasks up front, naming the field, instead of returning an untrained map", () => {
  // Fewer values than points: before, objective NaN and the initial network.
  assert.throws(
    () => fitAblr([{ id: "a", points: P(0.1, 0.5, 0.9), values: Float64Array.of(1, 2) }], small),
    { name: "RangeError", message: "fitAblr.tasks[0].values: expected 3 (one per point), got 2" },
  );
  // A NaN value of the second task: named as the task's field, not by standardizeTargets.
  const ok = { id: "a", points: P(0.1, 0.5), values: Float64Array.of(1, 2) };
  assert.throws(
    () => fitAblr([ok, { id: "b", points: P(0.1, 0.5), values: Float64Array.of(1, NaN) }], small),
    { message: "fitAblr.tasks[1].values[1]: must be finite, got NaN" },
  );
  assert.throws(
    () => fitAblr([{ id: "a", points: P(0.1, NaN, 0.3), values: Float64Array.of(1, 2, 3) }], small),
    { message: "fitAblr.tasks[0].points[1][0]: must be finite, got NaN" },
  );
  assert.throws(
    () =>
      fitAblr([ok, { id: "b", points: [Float64Array.of(0.1, 0.2)], values: Float64Array.of(1) }]),
    { message: "fitAblr.tasks[1].points[0]: expected 1 coordinate, got 2" },
  );
  assert.throws(() => fitAblr([]), { message: "fitAblr.tasks: needs at least one prior task" });
  // Valid tasks still fit.
  assert.ok(Number.isFinite(fitAblr([ok], small).objective));
});
