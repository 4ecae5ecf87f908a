import assert from "node:assert/strict";
import { recommendBest } from "../../lib/smbo/recommend.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { editedGp } from "../models/_edited_gp.ts";

const line = defineSpace({ x: float(0, 1) });
const trials = [0.1, 0.25, 0.3, 0.5, 0.7, 0.9].map((x, id) => ({
  id,
  params: { x },
  status: "complete" as const,
  value: (x - 0.3) ** 2,
  source: "initial" as const,
}));
const study = { trials, space: line };

/** The default GP with one method replaced. */
const broken = editedGp;

Deno.test("recommendBest refuses a surrogate's NaN means, naming it, instead of recommending the first trial", () => {
  const nan = broken("nan-mean", (s) => ({
    predict: (x) => ({
      mean: new Float64Array(x.length).fill(NaN),
      variance: s.predict(x).variance,
    }),
  }));
  assert.throws(
    () => recommendBest(study, { surrogate: nan }),
    {
      name: "RangeError",
      message: 'recommendBest: surrogate "nan-mean" predict: mean[0] must be finite, got NaN',
    },
  );
});

Deno.test("recommendBest refuses a surrogate that predicts fewer values than points", () => {
  const short = broken("short", (s) => ({ predict: (x) => s.predict(x.slice(0, -1)) }));
  assert.throws(
    () => recommendBest(study, { surrogate: short }),
    /recommendBest: surrogate "short" predict: mean: must return 6 values \(one per point\), got 5 values/,
  );
});

Deno.test("recommendBest refuses a negative variance at the recommended trial", () => {
  const negative = broken("neg-var", (s) => ({
    predict: (x) => ({ mean: s.predict(x).mean, variance: new Float64Array(x.length).fill(-4) }),
  }));
  assert.throws(
    () => recommendBest(study, { surrogate: negative }),
    /recommendBest: surrogate "neg-var" predict: variance\[0\] must be a number ≥ 0, got -4/,
  );
});

Deno.test("recommendBest with a surrogate that predicts correctly recommends as before", () => {
  const fine = broken("fine", () => ({}));
  const rec = recommendBest(study, { surrogate: fine });
  assert.equal(rec.trial.id, 2);
  assert.ok(Number.isFinite(rec.mean) && rec.sd >= 0);
});

Deno.test("recommendBest: a seed beyond the safe integers is refused as such", () => {
  const line = defineSpace({ x: float(0, 1) });
  const trials = [0.1, 0.5, 0.9].map((x, id) => ({
    id,
    params: { x },
    status: "complete" as const,
    value: x,
  }));
  assert.throws(() => recommendBest({ trials, space: line } as never, { seed: 2 ** 60 }), {
    name: "TypeError",
    message:
      "recommendBest: options.seed: must be a safe integer (at most 2^53 − 1 in absolute value)",
  });
});

Deno.test("recommendBest follows its GP: a large penalty value misleads it, a thrown failure does not", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const run = (fail: (x: number) => number) =>
    minimize((p) => (p.x > 0.9 ? fail(p.x) : (p.x - 0.3) ** 2), space, { budget: 10, seed: 0 });
  // A penalty of 1000 next to values below 1: the GP's mean swings below the data near it, and
  // the lowest mean falls on a poor trial (its observed value far above the best's).
  const penalised = await run(() => 1000);
  const misled = recommendBest(penalised, { seed: 0 });
  assert.ok(misled.value > 10 * penalised.best.value, `${misled.value} ${penalised.best.value}`);
  assert.ok(misled.mean < 0, "a mean below every value the objective can take");
  // Thrown, the failure is left out of the fit: the recommendation is the observed best's.
  const thrown = await run(() => {
    throw new Error("diverged");
  });
  const fine = recommendBest(thrown, { seed: 0 });
  assert.ok(fine.value <= 2 * thrown.best.value, `${fine.value} ${thrown.best.value}`);
});
