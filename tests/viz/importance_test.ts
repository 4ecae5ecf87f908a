import assert from "node:assert/strict";
import { countingGp } from "./_counting_gp.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import type { SurrogateFactory } from "../../lib/models/surrogate.ts";
import { paramImportanceFigure, paramImportances } from "../../lib/viz/importance.ts";

const space = defineSpace({
  lr: float(1e-4, 1, { log: true }),
  units: int(8, 64),
  act: categorical(["relu", "tanh"]),
  noise: float(0, 1),
});
type P = { lr: number; units: number; act: "relu" | "tanh"; noise: number };

/** lr dominates; units and act matter a little; `noise` not at all. */
function objective(p: P): number {
  return 4 * (Math.log10(p.lr) + 2) ** 2 + 0.3 * ((p.units - 32) / 32) ** 2 +
    (p.act === "tanh" ? 0.6 : 0);
}

function study(n = 40): SMBO<P> {
  const s = new SMBO(space, { seed: 3, proposer: randomSearch() });
  for (let i = 0; i < n; i++) {
    const trial = s.ask();
    s.tell(trial, i === 5 ? new Error("crash") : objective(trial.params));
  }
  return s;
}

Deno.test("paramImportances: the dominating parameter first, normalised, seeded", () => {
  const s = study();
  const result = paramImportances(s, { repeats: 6 });
  assert.equal(result.trials, 39);
  assert.equal(result.surrogate, "gp-matern52");
  const names = result.params.map((p) => p.name);
  assert.deepEqual(names.toSorted(), ["act", "lr", "noise", "units"]);
  assert.equal(names[0], "lr");
  assert.equal(names.at(-1), "noise");
  const total = result.params.reduce((a, p) => a + p.importance, 0);
  assert.ok(Math.abs(total - 1) < 1e-12, `sum ${total}`);
  assert.ok(result.params[0].importance > 0.7, `lr ${result.params[0].importance}`);
  for (const p of result.params) assert.ok(p.importance >= 0 && p.importance <= 1);
  for (let i = 1; i < result.params.length; i++) {
    assert.ok(result.params[i].importance <= result.params[i - 1].importance);
  }
  // Permuting the dominating parameter costs about the objective's whole variance.
  assert.ok(result.params[0].increase > 0.5, `increase ${result.params[0].increase}`);
  assert.ok(Math.abs(result.params.at(-1)!.importance) < 0.05);
  assert.deepEqual(paramImportances(s, { repeats: 6 }), result, "same seed, same numbers");
  const only = paramImportances(s, { repeats: 2, params: ["units", "lr"] });
  assert.deepEqual(only.params.map((p) => p.name), ["lr", "units"]);
});

Deno.test("paramImportances: a plugged-in surrogate factory, and bad input", () => {
  const s = study(12);
  // A "surrogate" that only looks at the lr column: all importance goes to lr.
  let fits = 0;
  const lrOnly: SurrogateFactory = {
    name: "lr-only",
    fit: (_points, _values, _rng) => {
      fits++;
      return {
        dim: space.dim,
        predict: (xs) => ({
          mean: Float64Array.from(xs, (x) => 4 * (4 * x[0] - 2) ** 2),
          variance: new Float64Array(xs.length),
        }),
        predictWithGradient: () => {
          throw new Error("unused");
        },
        sampleJoint: () => [],
      };
    },
  };
  const result = paramImportances(s, { surrogate: lrOnly, repeats: 3 });
  assert.equal(fits, 1);
  assert.equal(result.surrogate, "lr-only");
  assert.equal(result.params[0].name, "lr");
  assert.equal(result.params[0].importance, 1);
  assert.ok(result.params.slice(1).every((p) => p.importance === 0 && p.increase === 0));

  const one = new SMBO(space, { seed: 0, proposer: randomSearch() });
  one.tell(one.ask(), 1);
  one.tell(one.ask(), new Error("x"));
  assert.throws(
    () => paramImportances(one),
    /paramImportances: study has 1 complete trials with a finite value, at least 2 needed \(2 trials: 1 complete, 1 failed\)/,
  );
  assert.throws(() => paramImportances(s, { repeats: 0 }), /paramImportances: options.repeats/);
  assert.throws(
    () => paramImportances(s, { surrogate: {} as never }),
    /paramImportances: options.surrogate: must be a SurrogateFactory/,
  );
  assert.throws(
    () => paramImportances(s, { params: ["depth"] }),
    /paramImportances: options.params\[0\]: unknown parameter "depth"/,
  );
});

Deno.test("paramImportances reads the surrogate's means alone (predictMean), as the GP's", () => {
  const s = study(30);
  // The default GP, wrapped to count which prediction each call asks for.
  const calls = { predict: 0, predictMean: 0 };
  const counting = countingGp(calls);
  const counted = paramImportances(s, { surrogate: counting, seed: 4, repeats: 3 });
  // One baseline and one call per parameter and repeat; no variance is computed.
  assert.deepEqual(calls, { predict: 0, predictMean: 1 + 3 * 4 });
  const plain = paramImportances(s, { seed: 4, repeats: 3 });
  assert.deepEqual(counted.params, plain.params);
  assert.equal(counted.baselineError, plain.baselineError);
});

Deno.test("paramImportances: huge and constant objectives stay finite", () => {
  const trials = Array.from({ length: 10 }, (_, id) => ({
    id,
    params: { x: id / 9, y: ((id * 7) % 10) / 9 },
    status: "complete" as const,
    value: 1e300 * (id / 9),
    source: "initial" as const,
  }));
  const huge = paramImportances({ trials }, { repeats: 3 });
  assert.equal(huge.params[0].name, "x");
  assert.ok(huge.params.every((p) => Number.isFinite(p.importance) && Number.isFinite(p.increase)));
  const flat = paramImportances({ trials: trials.map((t) => ({ ...t, value: 2 })) });
  assert.ok(flat.params.every((p) => p.importance === 0));
});

Deno.test("paramImportances: tiny objectives rank the parameters as the same objective unscaled", () => {
  const trials = (scale: number) =>
    Array.from({ length: 10 }, (_, id) => {
      const params = { x: id / 9, y: ((id * 7) % 10) / 9 };
      return {
        id,
        params,
        status: "complete" as const,
        value: scale * (0.1 * params.x + params.y),
        source: "initial" as const,
      };
    });
  const reference = paramImportances({ trials: trials(1) }, { repeats: 3 });
  assert.equal(reference.params[0].name, "y");
  for (const scale of [1e-200, 1e-300]) {
    const tiny = paramImportances({ trials: trials(scale) }, { repeats: 3 });
    assert.deepEqual(tiny.params.map((p) => p.name), ["y", "x"], `scale ${scale}`);
    tiny.params.forEach((p, i) => {
      assert.ok(Math.abs(p.importance - reference.params[i].importance) < 1e-6, `scale ${scale}`);
      assert.ok(Math.abs(p.increase - reference.params[i].increase) < 1e-6, `scale ${scale}`);
    });
  }
});

Deno.test("paramImportanceFigure: bars with the most important on top", () => {
  const result = paramImportances(study(20), { repeats: 3 });
  const figure = paramImportanceFigure(result);
  const bars = figure.data[0];
  assert.equal(bars.type, "bar");
  assert.equal(bars.orientation, "h");
  assert.deepEqual(bars.y, result.params.map((p) => p.name).toReversed());
  assert.deepEqual(bars.x, result.params.map((p) => p.importance).toReversed());
  assert.match(String((figure.layout.title as { text: string }).text), /gp-matern52, 19 trials/);
  assert.throws(
    () => paramImportanceFigure({ params: [] } as never),
    /paramImportanceFigure: importances.params: must hold at least one parameter/,
  );
});

Deno.test("paramImportanceFigure: importances all 0 (a constant objective) say why on the chart", () => {
  const trials = Array.from({ length: 6 }, (_, id) => ({
    id,
    params: { x: id / 5, y: ((id * 3) % 6) / 5 },
    status: "complete" as const,
    value: 1,
    source: "initial" as const,
  }));
  const flat = paramImportances({ trials, space: defineSpace({ x: float(0, 1), y: float(0, 1) }) });
  assert.deepEqual(flat.params.map((p) => p.importance), [0, 0]);
  const figure = paramImportanceFigure(flat);
  assert.deepEqual((figure.layout.xaxis as { range: number[] }).range, [0, 1]);
  const notes = figure.layout.annotations as { text: string }[];
  assert.match(notes[0].text, /All importances are 0.*constant objective/s);
  assert.equal(flat.constant, true);
  // Importances that sum to 1 get no note.
  assert.equal(
    paramImportanceFigure(paramImportances(study(20), { repeats: 3 })).layout.annotations,
    undefined,
  );
});

Deno.test("paramImportanceFigure: importances all 0 of a varying objective blame the surrogate, not the objective", () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const trials = Array.from({ length: 6 }, (_, id) => {
    const params = { x: id / 5, y: ((id * 3) % 6) / 5 };
    return {
      id,
      params,
      status: "complete" as const,
      value: 10 * params.x + params.y,
      source: "initial" as const,
    };
  });
  // A surrogate that predicts the values' mean everywhere: it explains none of their variance.
  const meanOnly: SurrogateFactory = {
    name: "mean-only",
    fit: (_points, values) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return {
        dim: space.dim,
        predict: (xs) => ({
          mean: new Float64Array(xs.length).fill(mean),
          variance: new Float64Array(xs.length),
        }),
        predictWithGradient: () => {
          throw new Error("unused");
        },
        sampleJoint: () => [],
      };
    },
  };
  const result = paramImportances({ trials, space }, { surrogate: meanOnly, repeats: 3 });
  assert.deepEqual(result.params.map((p) => p.importance), [0, 0]);
  const notes = paramImportanceFigure(result).layout.annotations as { text: string }[];
  assert.match(
    notes[0].text,
    /All importances are 0.*\(not a constant objective: the surrogate mean-only explains 0% of the values' variance\)/s,
  );
  assert.doesNotMatch(notes[0].text, /same value|leaves nothing to explain/);
  assert.equal(result.constant, false);
  assert.ok(Math.abs(result.baselineError - 1) < 1e-12, `${result.baselineError}`);
  // Importances built by hand without `constant`: a baseline error of 0 means constant values.
  const byHand = { ...result, constant: undefined };
  assert.match(
    (paramImportanceFigure(byHand).layout.annotations as { text: string }[])[0].text,
    /explains 0% of the values' variance/,
  );
  assert.match(
    (paramImportanceFigure({ ...byHand, baselineError: 0 }).layout.annotations as {
      text: string;
    }[])[0].text,
    /every trial has the same value/,
  );
});

Deno.test("paramImportances: a surrogate predicting NaN or ±Infinity, or errors that overflow, is an error naming it, not a perfect fit", () => {
  const s = study(12);
  const predicting = (name: string, value: (x: Float64Array, i: number) => number) =>
    ({
      name,
      fit: () => ({
        dim: space.dim,
        predict: (xs: readonly Float64Array[]) => ({
          mean: Float64Array.from(xs, value),
          variance: new Float64Array(xs.length),
        }),
        predictWithGradient: () => {
          throw new Error("unused");
        },
        sampleJoint: () => [],
      }),
    }) as SurrogateFactory;
  const first = s.trials.find((t) => t.status === "complete")!.id;
  assert.throws(() => paramImportances(s, { surrogate: predicting("nan", () => NaN) }), {
    name: "RangeError",
    message:
      `paramImportances: the surrogate nan predicts NaN at trial ${first}'s configuration; ` +
      "permutation importances need finite predictions",
  });
  // Finite at the trials, infinite at a permuted configuration.
  const seen = new Set(s.trials.map((t) => space.encode(t.params).join()));
  assert.throws(
    () =>
      paramImportances(s, {
        surrogate: predicting("edge", (x) => (seen.has(x.join()) ? 0 : Infinity)),
        repeats: 2,
      }),
    /^RangeError: paramImportances: the surrogate edge predicts Infinity at trial \d+'s configuration with \w+ permuted/,
  );
  // Finite everywhere, but squared errors that overflow: an error too, not importances of 0.
  for (
    const [name, value] of [["huge", () => 1e200], [
      "far",
      (x: Float64Array) => seen.has(x.join()) ? 0 : 1e200,
    ]] as const
  ) {
    assert.throws(() => paramImportances(s, { surrogate: predicting(name, value), repeats: 2 }), {
      name: "RangeError",
      message:
        `paramImportances: the squared errors of the surrogate ${name}'s predictions overflow ` +
        "(predictions beyond about 1e154 from the values); permutation importances need finite errors",
    });
  }
});

Deno.test("paramImportanceFigure: options are strict", () => {
  const importances = paramImportances(study(12), { repeats: 2 });
  assert.throws(() => paramImportanceFigure(importances, { titel: "x" } as never), {
    name: "TypeError",
    message: "paramImportanceFigure: options.titel: unknown key",
  });
});
