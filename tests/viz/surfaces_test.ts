import assert from "node:assert/strict";
import {
  acquisition1dFigure,
  acquisition2dFigure,
  grid1d,
  grid2d,
  posterior1dFigure,
  posterior2dFigure,
} from "../../lib/viz/surfaces.ts";
import { metaFeatureHeatmap } from "../../lib/viz/heatmap.ts";
import { loadPlotlyBundle } from "../../lib/deps/plotly.ts";

// A known posterior: mean x², variance (x/2)², so mean ± 2σ = x² ± x.
const quadratic = {
  dim: 1,
  predict: (xs: readonly Float64Array[]) => ({
    mean: Float64Array.from(xs, (p) => p[0] ** 2),
    variance: Float64Array.from(xs, (p) => (p[0] / 2) ** 2),
  }),
};

Deno.test("grid1d and grid2d: evenly spaced, plotly's row-major z layout", () => {
  assert.deepEqual(grid1d(5).map((p) => p[0]), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(grid2d(3).slice(0, 4).map((p) => [...p]), [[0, 0], [0.5, 0], [1, 0], [0, 0.5]]);
  assert.throws(() => grid1d(1), /n must be an integer ≥ 2/);
  assert.throws(() => grid2d(2.5), /n must be an integer ≥ 2/);
});

Deno.test("posterior1dFigure: mean line and a band of exactly mean ± 2σ", () => {
  const observations = { points: [Float64Array.of(0.5)], values: [0.3] };
  const figure = posterior1dFigure(quadratic, { gridSize: 5, observations, truth: (x) => -x });
  const [band, mean, truth, observed] = figure.data;
  assert.deepEqual(mean.y, [0, 0.0625, 0.25, 0.5625, 1]);
  // Band polygon: upper bounds forward, then lower bounds backward.
  const y = band.y as number[];
  assert.deepEqual(y.slice(0, 5), [0, 0.3125, 0.75, 1.3125, 2]);
  assert.deepEqual(y.slice(5), [0, -0.1875, -0.25, -0.1875, 0]);
  assert.deepEqual(truth.y, [-0, -0.25, -0.5, -0.75, -1]);
  assert.deepEqual([observed.x, observed.y], [[0.5], [0.3]]);
});

Deno.test("posterior2dFigure: mean and standard deviation panels on the grid", () => {
  const model = {
    dim: 2,
    predict: (xs: readonly Float64Array[]) => ({
      mean: Float64Array.from(xs, (p) => p[0] + 10 * p[1]),
      variance: Float64Array.from(xs, (p) => 4 * p[0] ** 2),
    }),
  };
  const figure = posterior2dFigure(model, { gridSize: 3 });
  assert.deepEqual(figure.data[0].z, [[0, 0.5, 1], [5, 5.5, 6], [10, 10.5, 11]]);
  assert.deepEqual(figure.data[1].z, [[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
});

Deno.test("acquisition figures: maximiser marked at the grid's argmax", () => {
  const peak = {
    name: "peak",
    evaluate: (xs: readonly Float64Array[]) => Float64Array.from(xs, (p) => -((p[0] - 0.75) ** 2)),
  };
  const one = acquisition1dFigure([peak, { ...peak, name: "copy" }], { gridSize: 5 });
  assert.deepEqual(one.data[1].x, [0.75]);
  assert.equal(one.data[3].yaxis, "y2");
  const bowl = {
    evaluate: (xs: readonly Float64Array[]) =>
      Float64Array.from(xs, (p) => -((p[0] - 1) ** 2) - (p[1] - 0.5) ** 2),
  };
  const two = acquisition2dFigure(bowl, { gridSize: 3 });
  assert.deepEqual([two.data[1].x, two.data[1].y], [[1], [0.5]]);
});

Deno.test("surface figures reject bad inputs, naming the field", () => {
  assert.throws(
    () => posterior1dFigure({ ...quadratic, dim: 2 }),
    /posterior1dFigure: model.dim: must be 1/,
  );
  assert.throws(
    () => posterior1dFigure(quadratic, { gridSize: 1 }),
    /posterior1dFigure: options.gridSize: must be an integer ≥ 2/,
  );
  assert.throws(
    () =>
      posterior1dFigure(quadratic, {
        observations: { points: [Float64Array.of(0, 1)], values: [1] },
      }),
    /options.observations.points\[0\]: expected 1 coordinate, got 2/,
  );
  assert.throws(
    () =>
      posterior2dFigure({ ...quadratic, dim: 2 }, {
        observations: { points: [Float64Array.of(0, 1)], values: [] },
      }),
    /options.observations.values: 0 values for 1 points/,
  );
  assert.throws(() => acquisition1dFigure([]), /non-empty array/);
  assert.throws(() => acquisition2dFigure({} as never), /acquisition.evaluate: must be a function/);
});

Deno.test("acquisition figures: the maximiser skips NaN values and takes a +Infinity one", () => {
  const nanCorner = {
    name: "nan-corner",
    evaluate: (ps: readonly Float64Array[]) =>
      Float64Array.from(ps, (p, i) => (i === 0 ? NaN : -((p[0] - 0.7) ** 2 + (p[1] - 0.2) ** 2))),
  };
  const star2 = acquisition2dFigure(nanCorner, { gridSize: 11 }).data[1];
  assert.equal(star2.name, "maximiser");
  assert.deepEqual([star2.x, star2.y], [[0.7], [0.2]]);
  const infinite = {
    name: "inf",
    evaluate: (ps: readonly Float64Array[]) =>
      Float64Array.from(ps, (p) => (p[0] === 0.5 ? Infinity : -p[0])),
  };
  const star1 = acquisition1dFigure([infinite], { gridSize: 11 }).data[1];
  assert.deepEqual(star1.x, [0.5]);
  // Drawn at the top of the finite values, its hover saying Infinity.
  assert.deepEqual(star1.y, [-0]);
  assert.match(String(star1.hovertemplate), /value Infinity/);
  const leadingNaN = {
    evaluate: (ps: readonly Float64Array[]) =>
      Float64Array.from(ps, (p) => (p[0] === 0 ? NaN : -((p[0] - 0.3) ** 2))),
  };
  assert.deepEqual(acquisition1dFigure([leadingNaN], { gridSize: 11 }).data[1].x, [0.3]);
  // Nothing to mark where every value is NaN.
  const none = { evaluate: (ps: readonly Float64Array[]) => new Float64Array(ps.length).fill(NaN) };
  assert.equal(acquisition2dFigure(none, { gridSize: 3 }).data.length, 1);
});

Deno.test("surface figures: every named colour scale is one of plotly.js's; options strict", async () => {
  const bundle = await loadPlotlyBundle();
  const bowl = {
    dim: 2,
    predict: (xs: readonly Float64Array[]) => ({
      mean: Float64Array.from(xs, (p) => p[0]),
      variance: Float64Array.from(xs, (p) => p[1]),
    }),
  };
  const scales = [
    ...posterior2dFigure(bowl, { gridSize: 3 }).data,
    ...acquisition2dFigure({ evaluate: (ps) => Float64Array.from(ps, (p) => p[0]) }, {
      gridSize: 3,
    }).data,
    ...metaFeatureHeatmap({ rows: ["a", "b"], columns: ["n"], values: [[1], [2]] }).data,
  ].map((t) => t.colorscale).filter((c): c is string => typeof c === "string");
  assert.deepEqual(scales, ["Viridis", "Cividis", "Viridis", "RdBu"]);
  for (const scale of scales) assert.ok(bundle.includes(`${scale}:[[0,`), `${scale} in plotly.js`);
  assert.throws(
    () => posterior2dFigure(bowl, { gridsize: 3 } as never),
    { name: "TypeError", message: "posterior2dFigure: options.gridsize: unknown key" },
  );
});
