import assert from "node:assert/strict";
import { fitBaseModels, standardizedPredict } from "../../lib/meta/base_models.ts";
import { rgpe } from "../../lib/meta/rgpe.ts";
import { Rng } from "../../lib/random/rng.ts";

Deno.test("base models of tasks with values near ±1e308 predict finite standardised means", () => {
  const points = [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x));
  const [model] = fitBaseModels([{
    id: "extreme",
    points,
    values: Float64Array.of(1.7e308, -1.7e308, 1e300, -1e-300, 0),
  }]);
  const grid = Array.from({ length: 21 }, (_, i) => Float64Array.of(i / 20));
  const { mean, variance } = standardizedPredict(model.gp, grid);
  assert.ok(mean.every(Number.isFinite) && variance.every(Number.isFinite));
  // the worst point stays the worst in standardised units
  const atData = standardizedPredict(model.gp, points).mean;
  assert.ok(atData[0] > atData[1]);
  // and an RGPE surrogate on it gives finite means, fantasies included
  const surrogate = rgpe([model]).fit(points, Float64Array.of(1, 2, 0, 3, 1), new Rng(0));
  assert.ok(surrogate.predict(grid).mean.every(Number.isFinite));
});
