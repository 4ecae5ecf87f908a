import assert from "node:assert/strict";
import { contourFigure } from "../../lib/viz/study_plots.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { editedGp } from "../models/_edited_gp.ts";

const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
const trials = Array.from({ length: 8 }, (_, id) => {
  const params = { x: ((id * 3) % 8) / 7, y: ((id * 5) % 8) / 7 };
  return {
    id,
    params,
    status: "complete" as const,
    value: (params.x - 0.3) ** 2 + params.y,
    source: "initial" as const,
  };
});

Deno.test("contourFigure refuses a surrogate that predicts NaN, naming its predict, instead of drawing a blank surface", () => {
  const nan = editedGp("nan-mean", (s) => ({
    predict: (x) => ({
      mean: new Float64Array(x.length).fill(NaN),
      variance: s.predict(x).variance,
    }),
  }));
  assert.throws(
    () => contourFigure({ trials, space }, { surrogate: nan, gridSize: 10 }),
    {
      name: "RangeError",
      message: 'contourFigure: surrogate "nan-mean" predict: mean[0] must be finite, got NaN',
    },
  );
  // The default GP still draws every cell.
  const figure = contourFigure({ trials, space }, { gridSize: 10 });
  const z = (figure.data[0] as { z: (number | null)[][] }).z;
  assert.ok(z.flat().every((v) => typeof v === "number" && Number.isFinite(v)));
});
