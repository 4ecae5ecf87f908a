import assert from "node:assert/strict";
import { paramImportances } from "../../lib/viz/importance.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { editedGp } from "../models/_edited_gp.ts";

const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
const trials = Array.from({ length: 10 }, (_, id) => {
  const params = { x: ((id * 7) % 10) / 9, y: ((id * 3) % 10) / 9 };
  return {
    id,
    params,
    status: "complete" as const,
    value: 5 * params.x + params.y,
    source: "initial" as const,
  };
});

const edited = editedGp;

Deno.test("paramImportances refuses a surrogate that predicts one value fewer than points, naming it", () => {
  const short = edited("short", (s) => ({ predict: (x) => s.predict(x.slice(0, -1)) }));
  assert.throws(
    () => paramImportances({ trials, space }, { surrogate: short }),
    {
      name: "RangeError",
      message:
        'paramImportances: surrogate "short" predict: mean: must return 10 values (one per point), got 9 values',
    },
  );
});

Deno.test("paramImportances refuses predictions for one point too many (misaligned with the trials)", () => {
  const shifted = edited("shifted", (s) => ({
    predict: (x) => s.predict([Float64Array.of(0.99, 0.99), ...x]),
  }));
  assert.throws(
    () => paramImportances({ trials, space }, { surrogate: shifted }),
    /paramImportances: surrogate "shifted" predict: mean: must return 10 values \(one per point\), got 11 values/,
  );
});
