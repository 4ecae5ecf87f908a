import assert from "node:assert/strict";
import { countingGp } from "./_counting_gp.ts";
import { categorical, defineSpace, float, int, when } from "../../lib/space/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import {
  bestValueSoFar,
  contourFigure,
  edfFigure,
  empiricalDistribution,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  sliceFigure,
} from "../../lib/viz/study_plots.ts";
import { figureHtml } from "../../lib/viz/display.ts";
import { type Layout, legendHeight, VIZ_DEFAULTS } from "../../lib/viz/figure.ts";
import { paramImportanceFigure, paramImportances } from "../../lib/viz/importance.ts";
import { loadStudy } from "../../lib/storage/mod.ts";

const space = defineSpace({
  lr: float(1e-4, 1, { log: true }),
  units: int(8, 64),
  act: categorical(["relu", "tanh", "gelu"]),
});
type P = { lr: number; units: number; act: "relu" | "tanh" | "gelu" };

function objective(p: P): number {
  return (Math.log10(p.lr) + 2) ** 2 + ((p.units - 32) / 32) ** 2 + (p.act === "tanh" ? 0.5 : 0);
}

/** A random-search study of 16 trials where trials 3 and 7 fail and trial 15 is still running. */
function study(seed = 0): SMBO<P> {
  const s = new SMBO(space, { seed, proposer: randomSearch() });
  for (let i = 0; i < 16; i++) {
    const trial = s.ask();
    if (i === 15) break;
    s.tell(trial, i === 3 ? new Error("diverged") : i === 7 ? NaN : objective(trial.params));
  }
  return s;
}

function jsonSafe(figure: unknown): void {
  // Every figure serialises and renders to HTML without throwing.
  JSON.parse(JSON.stringify(figure));
  figureHtml(figure as never);
}

Deno.test("optimizationHistoryFigure: values, monotone best-so-far, failed trials counted", () => {
  const s = study();
  const figure = optimizationHistoryFigure(s);
  jsonSafe(figure);
  const [points, best, failed] = figure.data;
  assert.equal(points.type, "scatter");
  const complete = s.trials.filter((t) => t.status === "complete");
  assert.deepEqual(points.x, complete.map((t) => t.id));
  assert.deepEqual(points.y, complete.map((t) => t.value));
  const bestY = best.y as number[];
  for (let i = 1; i < bestY.length; i++) assert.ok(bestY[i] <= bestY[i - 1]);
  assert.equal(bestY.at(-1), Math.min(...complete.map((t) => t.value!)));
  assert.equal(best.line && (best.line as { shape: string }).shape, "hv");
  assert.deepEqual(failed.x, [3, 7]);
  assert.equal(failed.yaxis, "y2");
  assert.match(String((failed.text as string[])[0]), /diverged/);
  assert.match(
    (figure.layout.title as { text: string }).text,
    /16 trials: 13 complete, 2 failed, 1 running/,
  );
  // Maximisation: best-so-far is non-decreasing.
  const up = optimizationHistoryFigure(s, { direction: "maximize" }).data[1].y as number[];
  for (let i = 1; i < up.length; i++) assert.ok(up[i] >= up[i - 1]);
});

Deno.test("bestValueSoFar and empiricalDistribution", () => {
  assert.deepEqual(bestValueSoFar([3, 5, 1, NaN, 2]), [3, 3, 1, 1, 1]);
  assert.deepEqual(bestValueSoFar([3, 5, 1], "maximize"), [3, 5, 5]);
  assert.deepEqual(empiricalDistribution([3, 1, 2, 2, NaN, Infinity]), {
    x: [1, 2, 3],
    y: [0.25, 0.75, 1],
  });
  assert.deepEqual(empiricalDistribution([]), { x: [], y: [] });
});

Deno.test("edfFigure: one step line per study with Optuna's EDF of complete values", () => {
  const a = { name: "gp", trials: study(1).trials };
  const b = { name: "random", trials: study(2).trials };
  const figure = edfFigure([a, b]);
  jsonSafe(figure);
  assert.equal(figure.data.length, 2);
  for (const [k, s] of [a, b].entries()) {
    const values = s.trials.filter((t) => t.status === "complete").map((t) => t.value!);
    const trace = figure.data[k];
    const x = trace.x as number[], y = trace.y as number[];
    assert.deepEqual(x, values.toSorted((p, q) => p - q));
    x.forEach((v, i) => assert.equal(y[i], values.filter((w) => w <= v).length / values.length));
    assert.equal(y.at(-1), 1);
    assert.equal(trace.name, `${s.name} (13)`);
  }
});

Deno.test("parallelCoordinateFigure: objective first, log axis as log10, categorical labelled", () => {
  const s = study();
  const figure = parallelCoordinateFigure(s);
  jsonSafe(figure);
  const trace = figure.data[0];
  assert.equal(trace.type, "parcoords");
  const dims = trace.dimensions as Record<string, unknown>[];
  assert.deepEqual(dims.map((d) => d.label), ["objective value", "lr (log)", "units", "act"]);
  const complete = s.trials.filter((t) => t.status === "complete");
  assert.deepEqual(dims[0].values, complete.map((t) => t.value));
  assert.deepEqual(dims[1].values, complete.map((t) => Math.log10(t.params.lr)));
  assert.deepEqual(dims[1].range, [-4, 0]);
  assert.deepEqual(dims[1].tickvals, [-4, -3, -2, -1, 0]);
  assert.deepEqual(dims[1].ticktext, ["0.0001", "0.001", "0.01", "0.1", "1"]);
  assert.deepEqual(dims[3].ticktext, ["relu", "tanh", "gelu"]);
  assert.deepEqual(
    dims[3].values,
    complete.map((t) => ["relu", "tanh", "gelu"].indexOf(t.params.act)),
  );
  assert.throws(
    () => parallelCoordinateFigure(s, { params: ["lr", "nope"] }),
    /parallelCoordinateFigure: options.params\[1\]: unknown parameter "nope" \(parameters: lr, units, act\)/,
  );
});

Deno.test("sliceFigure: one subplot per parameter with log and category axes", () => {
  const figure = sliceFigure(study());
  jsonSafe(figure);
  assert.equal(figure.data.length, 3);
  assert.deepEqual(figure.data.map((t) => t.xaxis), ["x", "x2", "x3"]);
  const layout = figure.layout as Record<string, Record<string, unknown>>;
  assert.equal(layout.xaxis.type, "log");
  assert.equal(layout.xaxis2.type, undefined);
  assert.equal(layout.xaxis3.type, "category");
  assert.deepEqual(layout.xaxis3.categoryarray, ["relu", "tanh", "gelu"]);
  assert.ok((figure.data[2].x as string[]).every((v) => ["relu", "tanh", "gelu"].includes(v)));
  // Two rows with columns: 2.
  const grid = sliceFigure(study(), { columns: 2 }).layout as Record<string, { domain: number[] }>;
  assert.ok(grid.yaxis3.domain[1] < grid.yaxis.domain[0]);
});

Deno.test("sliceFigure: narrow log axes label few ticks, wide ones keep plotly's", () => {
  // The four log parameters of notebook 08's slice plot, side by side: plotly's own ticks would
  // label every 1-2-5 step (or every digit) under each quarter-wide subplot.
  const mlp = defineSpace({
    lr: float(1e-4, 1e-1, { log: true }),
    hiddenUnits: int(8, 128, { log: true }),
    epochs: int(2, 32, { log: true }),
    l2: float(1e-7, 1e-1, { log: true }),
  });
  const trials = Array.from({ length: 9 }, (_, id) => {
    const u = id / 8;
    return {
      id,
      params: {
        lr: 10 ** (-4 + 3 * u),
        hiddenUnits: Math.round(8 * 16 ** u),
        epochs: Math.round(2 * 16 ** u),
        l2: 10 ** (-7 + 6 * u),
      },
      status: "complete" as const,
      value: 1 + u,
      source: "initial" as const,
    };
  });
  const layout = sliceFigure({ trials, space: mlp }).layout as Record<string, Layout>;
  for (const key of ["xaxis", "xaxis2", "xaxis3", "xaxis4"]) {
    assert.equal(layout[key].type, "log");
    assert.equal(layout[key].exponentformat, "power");
  }
  // 3 decades: the decades only; a decade or so: 1-2-5 steps; 6 decades: plotly's every second.
  assert.deepEqual([1, 2, 3, 4].map((k) => layout[`xaxis${k === 1 ? "" : k}`].nticks), [
    4,
    4,
    4,
    undefined,
  ]);
  // One parameter per row spans the whole width: plotly's ticks.
  const wide = sliceFigure({ trials, space: mlp }, { params: ["lr"] }).layout as Record<
    string,
    Layout
  >;
  assert.equal(wide.xaxis.nticks, undefined);
});

Deno.test("integer parameters get integer ticks in slice, contour and parallel coordinates", () => {
  // Plotly's own ticks for layers 1 to 3 would be 1, 1.5, 2, 2.5, 3.
  const mlp = defineSpace({
    layers: int(1, 3),
    units: int(8, 64),
    batch: int(16, 256, { step: 16 }),
    epochs: int(2, 8, { log: true }),
    dropout: float(0, 0.5),
  });
  const trials = Array.from({ length: 12 }, (_, id) => {
    const params = {
      layers: 1 + (id % 3),
      units: 8 + ((id * 5) % 12) * 5,
      batch: 16 * (1 + ((id * 7) % 16)),
      epochs: 2 + ((id * 5) % 7),
      dropout: ((id * 7) % 12) / 24,
    };
    return {
      id,
      params,
      status: "complete" as const,
      value: (params.layers - 2) ** 2 + params.dropout,
      source: "initial" as const,
    };
  });
  const study = { trials, space: mlp };
  // An integer axis: linear steps of a whole number of the parameter's steps from a value of it,
  // labelled as integers ("d"); a log one within a decade: linear integer steps ("L1").
  const assertIntegerAxis = (axis: Layout, step = 1) => {
    assert.equal(axis.tickformat, "d");
    assert.equal(axis.tickmode, "linear");
    const dtick = axis.type === "log" ? Number(String(axis.dtick).slice(1)) : axis.dtick as number;
    assert.ok(Number.isInteger(dtick) && dtick >= step && dtick % step === 0, `dtick ${dtick}`);
    assert.ok(Number.isInteger(axis.tick0), `tick0 ${axis.tick0}`);
  };
  const slice = sliceFigure(study, { columns: 5 }).layout as Record<string, Layout>;
  assert.deepEqual([slice.xaxis.tick0, slice.xaxis.dtick], [0, 1]);
  assertIntegerAxis(slice.xaxis);
  assertIntegerAxis(slice.xaxis2);
  assertIntegerAxis(slice.xaxis3, 16);
  assert.equal(slice.xaxis4.type, "log");
  assertIntegerAxis(slice.xaxis4);
  // A float parameter keeps plotly's ticks.
  assert.equal(slice.xaxis5.tickformat, undefined);
  assert.equal(slice.xaxis5.dtick, undefined);
  const contour = contourFigure(study, { params: ["layers", "batch"], gridSize: 10 });
  assertIntegerAxis(contour.layout.xaxis as Layout);
  assertIntegerAxis(contour.layout.yaxis as Layout, 16);
  assert.deepEqual((contour.layout.xaxis as Layout).dtick, 1);
  const dims = parallelCoordinateFigure(study).data[0].dimensions as Record<string, unknown>[];
  const tickvals = (label: string) => dims.find((d) => d.label === label)!.tickvals as number[];
  assert.deepEqual(tickvals("layers"), [1, 2, 3]);
  assert.ok(tickvals("units").every(Number.isInteger) && tickvals("units").length >= 3);
  assert.ok(tickvals("batch").every((v) => v % 16 === 0 && v >= 16 && v <= 256));
  assert.equal(dims.find((d) => d.label === "dropout")!.tickvals, undefined);
});

Deno.test("contourFigure reads the surrogate's means alone (predictMean), as the GP's", () => {
  const s = study();
  // The default GP, wrapped to count which prediction each call asks for.
  const calls = { predict: 0, predictMean: 0 };
  const counting = countingGp(calls);
  const options = { params: ["lr", "units"] as const, gridSize: 9, seed: 2 };
  const counted = contourFigure(s, { ...options, surrogate: counting });
  assert.deepEqual(calls, { predict: 0, predictMean: 1 });
  const plain = contourFigure(s, options);
  for (const key of ["x", "y", "z"] as const) {
    assert.deepEqual(counted.data[0][key], plain.data[0][key]);
  }
});

Deno.test("contourFigure: surrogate mean on a log × linear grid, heatmap with a categorical", () => {
  const s = study();
  const figure = contourFigure(s, { params: ["lr", "units"], gridSize: 12 });
  jsonSafe(figure);
  const [surface, markers, best] = figure.data;
  assert.equal(surface.type, "contour");
  const x = surface.x as number[], z = surface.z as number[][];
  assert.equal(x.length, 12);
  assert.ok(Math.abs(x[0] - 1e-4) < 1e-12 && Math.abs(x[11] - 1) < 1e-12);
  assert.ok(Math.abs(x[1] / x[0] - x[2] / x[1]) < 1e-9, "log-spaced grid");
  assert.equal(z.length, (surface.y as number[]).length);
  assert.ok(z.flat().every((v) => v !== null && Number.isFinite(v)));
  assert.equal((figure.layout.xaxis as { type: string }).type, "log");
  // The mean is lowest near lr = 1e-2 (the objective's minimum in lr).
  const row = z[Math.floor(z.length / 2)];
  const argmin = row.indexOf(Math.min(...row));
  assert.ok(Math.abs(Math.log10(x[argmin]) + 2) < 1.1, `argmin at lr=${x[argmin]}`);
  assert.equal((markers.x as number[]).length, 13);
  assert.equal((best.x as number[]).length, 1);
  const heat = contourFigure(s, { params: ["act", "units"], gridSize: 10 });
  assert.equal(heat.data[0].type, "heatmap");
  assert.deepEqual(heat.data[0].x, ["relu", "tanh", "gelu"]);
  assert.throws(
    () => contourFigure(s, { params: ["lr", "lr"] }),
    /contourFigure: options\.params\[1\]: "lr" is named twice \(also options\.params\[0\]\)/,
  );
});

Deno.test("study plots: a study without complete trials gets an error naming the argument", () => {
  const failedOnly = new SMBO(space, { seed: 0, proposer: randomSearch() });
  failedOnly.tell(failedOnly.ask(), new Error("boom"));
  for (
    const [name, draw] of [
      ["optimizationHistoryFigure", () => optimizationHistoryFigure(failedOnly)],
      ["parallelCoordinateFigure", () => parallelCoordinateFigure(failedOnly)],
      ["sliceFigure", () => sliceFigure(failedOnly)],
      ["contourFigure", () => contourFigure(failedOnly)],
    ] as const
  ) {
    assert.throws(
      draw,
      new RegExp(
        `${name}: study has no complete trial with a finite value \\(1 trials: 0 complete, 1 failed\\)`,
      ),
    );
  }
  assert.throws(
    () =>
      edfFigure([{ name: "ok", trials: study().trials }, {
        name: "bad",
        trials: failedOnly.trials,
      }]),
    /edfFigure: studies\[1\] has no complete trial/,
  );
  assert.throws(() => edfFigure([]), /edfFigure: studies: must not be empty/);
  assert.throws(
    () => optimizationHistoryFigure({ trials: [{ id: 0, params: {}, status: "done" }] } as never),
    /optimizationHistoryFigure: study.trials\[0\].status: must be "running", "complete" or "failed", got "done"/,
  );
  assert.throws(() => sliceFigure(null as never), /sliceFigure: study: must be a study/);
  assert.throws(
    () => optimizationHistoryFigure(study(), { logY: true, extra: 1 } as never),
    /optimizationHistoryFigure: options.extra: unknown key/,
  );
});

Deno.test("optimizationHistoryFigure and edfFigure: a log axis with a value ≤ 0 is an error naming it", () => {
  const trials = [2, 0.5, 0, -1].map((value, id) => ({
    id,
    params: { x: id },
    status: "complete" as const,
    value,
    source: "initial" as const,
  }));
  assert.throws(() => optimizationHistoryFigure({ trials }, { logY: true }), {
    name: "RangeError",
    message: "optimizationHistoryFigure: options.logY: study has the value 0 (trial 2); a log " +
      "axis needs values > 0",
  });
  assert.throws(() => edfFigure([{ name: "gp", trials }], { logX: true }), {
    name: "RangeError",
    message: "edfFigure: options.logX: studies[0] has the value 0; a log axis needs values > 0",
  });
});

Deno.test("study plots: hostile values (NaN, ±Infinity, 1e300) never break a figure", () => {
  const values = [1, NaN, Infinity, -Infinity, 1e300, -1e300, 2, 0.5];
  const trials: Trial<Record<string, unknown>>[] = values.map((value, id) => ({
    id,
    params: { x: id / 7, c: id % 2 === 0 ? "a" : "b", k: id === 3 ? NaN : id },
    status: "complete",
    value,
    source: "initial",
  }));
  const plain = { trials }; // no space: inferred from the trials
  const history = optimizationHistoryFigure(plain);
  jsonSafe(history);
  assert.deepEqual(history.data[0].y, [1, 1e300, -1e300, 2, 0.5]);
  assert.deepEqual(history.data[2].x, [1, 2, 3]); // non-finite values: counted and marked
  assert.match((history.layout.title as { text: string }).text, /8 trials: 5 complete, 3 excluded/);
  for (
    const figure of [
      parallelCoordinateFigure(plain),
      sliceFigure(plain),
      contourFigure(plain, { gridSize: 8 }),
      edfFigure(plain),
      edfFigure(trials),
    ]
  ) {
    jsonSafe(figure);
    for (const trace of figure.data) {
      for (const key of ["x", "y"]) {
        const arr = trace[key] as unknown[] | undefined;
        assert.ok(!arr || arr.every((v) => typeof v !== "number" || !Number.isNaN(v)), key);
      }
    }
  }
  const contour = contourFigure(plain, { gridSize: 8 });
  assert.ok(
    (contour.data[0].z as (number | null)[][]).flat().every((v) =>
      v === null || Number.isFinite(v)
    ),
  );
});

Deno.test("study plots: a MinimizeResult and a plain trial list are study inputs too", async () => {
  const result = await minimize(objective, space, { budget: 8, seed: 1, proposer: randomSearch() });
  const fromResult = sliceFigure(result);
  // The result's study gives the space: log and category axes, as from the study itself.
  assert.deepEqual(fromResult.layout, sliceFigure(result.study).layout);
  assert.equal((fromResult.layout.xaxis as { type: string }).type, "log");
  // A bare trial list: the space is inferred (linear axes), the values are the same.
  const bare = sliceFigure(result.trials);
  assert.equal((bare.layout.xaxis as { type?: string }).type, undefined);
  assert.deepEqual(bare.data[0].y, fromResult.data[0].y);
});

// A stored study: run into SQLite, loaded back with `loadStudy` (its space rebuilt from the stored
// definition), given directly to the plots.
const storedSpace = defineSpace({
  lr: float(1e-4, 1, { log: true }),
  units: int(8, 64),
  act: categorical(["relu", "tanh"]),
});

Deno.test("study plots and importances draw a stored study loaded from SQLite", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  try {
    const run = await minimize(
      (p, trial) => {
        if (trial.id === 4) throw new Error("diverged");
        return 10 * (Math.log10(p.lr) + 2) ** 2 + ((p.units - 32) / 32) ** 2 +
          (p.act === "tanh" ? 0.01 : 0);
      },
      storedSpace,
      { storage: `sqlite:${path}`, study: "mlp", budget: 14, seed: 3, proposer: randomSearch() },
    );
    await run.study.close();
    const study = await loadStudy({ storage: `sqlite:${path}`, name: "mlp" });
    try {
      assert.equal(study.trials.length, 14);
      const history = optimizationHistoryFigure(study);
      const values = history.data.find((t) => t.name === "objective value")?.y as number[];
      const complete = study.trials.filter((t) => t.status === "complete");
      assert.deepEqual(values, complete.map((t) => t.value));
      // the failed trial is marked with its error, and counted in the title
      const failed = history.data.find((t) => (t.name as string).startsWith("failed"));
      assert.ok(failed, "failed trials are drawn");
      assert.match(JSON.stringify(history.layout.title), /1 failed/);
      // the stored space is used: a log axis for lr
      const slice = sliceFigure(study);
      assert.equal(JSON.stringify(slice.layout).includes('"type":"log"'), true);
      // importances: lr matters most, on the surrogate fitted to the stored trials
      const importances = paramImportances(study, { seed: 0 });
      assert.equal(importances.params[0].name, "lr");
      paramImportanceFigure(importances);
      // the other plots take it too, and so does the result of a stored minimize
      parallelCoordinateFigure(study);
      contourFigure(study, { params: ["lr", "units"] });
      edfFigure([study, { trials: run.trials, space: storedSpace, name: "run" }]);
      optimizationHistoryFigure(run);
    } finally {
      await study.close();
    }
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
  }
});

Deno.test("contourFigure on a conditional space: parameters inactive at the best trial", async () => {
  const space = defineSpace({
    opt: categorical(["sgd", "adam"]),
    momentum: when({ opt: "sgd" }, float(0, 1)),
    x: float(0, 1),
  });
  const result = await minimize(
    (p) => (p.opt === "adam" ? 0 : 0.5) + (p.x - 0.3) ** 2 + (p.momentum ?? 0) * 0.1,
    space,
    { budget: 12, seed: 3, proposer: randomSearch() },
  );
  assert.equal(result.best.params.opt, "adam");
  // momentum is inactive at the best trial; the best of the trials with momentum is held instead.
  for (const params of [["momentum", "x"], ["opt", "x"]] as const) {
    const figure = contourFigure(result, { params: [...params], gridSize: 5 });
    const z = figure.data[0].z as (number | null)[][];
    assert.ok(z.flat().every((v) => v !== null && Number.isFinite(v)), params.join(","));
  }
  // opt toggles momentum on and off across the grid: blank where it is off.
  const toggled = contourFigure(result, { params: ["opt", "momentum"], gridSize: 5 });
  const z = toggled.data[0].z as (number | null)[][];
  assert.deepEqual(toggled.data[0].x, ["sgd", "adam"]);
  assert.ok(z.every((row) => Number.isFinite(row[0]) && row[1] === null));
});

Deno.test('study plots follow the direction of a study run with direction "maximize", unless the options say otherwise', async () => {
  const score = (p: P) => 1 - objective(p);
  const max = await minimize(score, space, {
    budget: 10,
    seed: 1,
    proposer: randomSearch(),
    direction: "maximize",
  });
  const values = max.trials.filter((t) => t.status === "complete").map((t) => t.value!);
  const runningMax = values.map((_, i) => Math.max(...values.slice(0, i + 1)));
  const runningMin = values.map((_, i) => Math.min(...values.slice(0, i + 1)));
  // The SMBO study, its minimize result, and several studies each in its own direction.
  assert.deepEqual(optimizationHistoryFigure(max.study).data[1].y, runningMax);
  assert.deepEqual(optimizationHistoryFigure(max).data[1].y, runningMax);
  const plain = await minimize(objective, space, { budget: 10, seed: 1, proposer: randomSearch() });
  const both = optimizationHistoryFigure([max, plain]).data.filter((d) =>
    String(d.name).endsWith("best value")
  );
  const plainValues = plain.trials.filter((t) => t.status === "complete").map((t) => t.value!);
  assert.deepEqual(both[0].y, runningMax);
  assert.deepEqual(both[1].y, bestValueSoFar(plainValues));
  // An explicit option overrides the study's direction; a plain trial list minimises.
  assert.deepEqual(
    optimizationHistoryFigure(max, { direction: "minimize" }).data[1].y,
    runningMin,
  );
  assert.deepEqual(optimizationHistoryFigure(max.trials).data[1].y, runningMin);
  // Parallel coordinates: the better (higher) trials darker; the contour's best is the highest.
  const line = parallelCoordinateFigure(max).data[0].line as { reversescale: boolean };
  assert.equal(line.reversescale, false);
  const contour = contourFigure(max, { params: ["lr", "units"], gridSize: 6 });
  const best = contour.data[2] as { name: string };
  const highest = max.trials.find((t) => t.value === Math.max(...values))!;
  assert.equal(best.name, `best (trial ${highest.id})`);
  assert.equal((contour.data[0] as { reversescale: boolean }).reversescale, false);
  assert.throws(
    () => optimizationHistoryFigure({ trials: max.trials, direction: "up" as never }),
    /optimizationHistoryFigure: study\.direction: must be one of "minimize", "maximize"/,
  );
});

// A conditional study: l2 only for the linear model, act and layers only for the mlp.
const branchy = defineSpace({
  model: categorical(["linear", "mlp"]),
  l2: when({ model: "linear" }, float(1e-6, 1e-1, { log: true })),
  act: when({ model: "mlp" }, categorical(["relu", "tanh"])),
  layers: when({ model: "mlp" }, int(1, 4)),
});
type Branchy = { model: string; l2?: number; act?: string; layers?: number };

function branchyTrials(): Trial<Branchy>[] {
  // Trials 0-3 linear, 4-9 mlp; the best overall (trial 2) is linear, the best mlp trial 4.
  const params: Branchy[] = [
    { model: "linear", l2: 1e-5 },
    { model: "linear", l2: 1e-2 },
    { model: "linear", l2: 1e-3 },
    { model: "linear", l2: 1e-1 },
    ...[2, 1, 3, 4, 1, 2].map((layers, i) => ({
      model: "mlp",
      act: i % 2 === 0 ? "relu" : "tanh",
      layers,
    })),
  ];
  return params.map((p, id) => ({
    id,
    params: p,
    status: "complete",
    value: p.model === "linear"
      ? 0.1 + (Math.log10(p.l2!) + 3) ** 2
      : 0.5 + (p.act === "relu" ? 0 : 0.3) + (p.layers! - 2) ** 2 / 4,
    source: "initial",
  }));
}

Deno.test("parallelCoordinateFigure: as Optuna, only trials with every plotted parameter, counted", () => {
  const study = { trials: branchyTrials(), space: branchy };
  const figure = parallelCoordinateFigure(study, { params: ["model", "act", "layers"] });
  const dims = figure.data[0].dimensions as { label: string; values: number[] }[];
  // The six mlp trials; no inactive value drawn as 0, −1 or NaN.
  for (const d of dims) assert.equal(d.values.length, 6, d.label);
  assert.deepEqual(dims.find((d) => d.label === "model")!.values, [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(dims.find((d) => d.label === "act")!.values, [0, 1, 0, 1, 0, 1]);
  assert.deepEqual(dims.find((d) => d.label === "layers")!.values, [2, 1, 3, 4, 1, 2]);
  assert.match(
    (figure.layout.title as { text: string }).text,
    /10 trials: 10 complete; 6 of 10 drawn, the others lack a plotted parameter/,
  );
  // Every parameter: no trial has them all, and the figure says so.
  const none = parallelCoordinateFigure(study);
  for (const d of none.data[0].dimensions as { values: number[] }[]) {
    assert.deepEqual(d.values, []);
  }
  assert.match(JSON.stringify(none.layout.annotations), /No trial has every plotted parameter/);
  jsonSafe(none);
});

Deno.test("sliceFigure: an inactive parameter is no category and no point; the title counts", () => {
  const figure = sliceFigure({ trials: branchyTrials(), space: branchy });
  const byName = Object.fromEntries(figure.data.map((t) => [t.name, t]));
  assert.deepEqual(byName.act.x, ["relu", "tanh", "relu", "tanh", "relu", "tanh"]);
  assert.deepEqual(byName.act.customdata, [4, 5, 6, 7, 8, 9]);
  assert.deepEqual(byName.l2.x, [1e-5, 1e-2, 1e-3, 1e-1]);
  assert.equal((byName.model.x as unknown[]).length, 10);
  for (const trace of figure.data) {
    assert.ok((trace.x as unknown[]).every((v) => v !== undefined && v !== "undefined"));
    // One colour scale for every subplot.
    const marker = trace.marker as { cmin: number; cmax: number };
    assert.deepEqual([marker.cmin, marker.cmax], [0, 9]);
  }
  assert.match(
    (figure.layout.title as { text: string }).text,
    /left out where inactive: l2 6, act 4, layers 4/,
  );
});

Deno.test("contourFigure: only trials with both parameters; the others at the best of them", () => {
  const study = { trials: branchyTrials(), space: branchy };
  const figure = contourFigure(study, { params: ["act", "layers"], gridSize: 6 });
  const [surface, markers, best] = figure.data;
  assert.deepEqual((markers.customdata as number[][]).map((c) => c[0]), [4, 5, 6, 7, 8, 9]);
  // The best mlp trial (relu, 2 layers: trial 4), not the best overall (trial 2, linear).
  assert.equal(best.name, "best (trial 4)");
  assert.deepEqual([best.x, best.y], [["relu"], [2]]);
  assert.ok(!(surface.x as unknown[]).includes("undefined"));
  // The surface varies: model is held at "mlp", where act and layers are active.
  const z = (surface.z as number[][]).flat();
  assert.ok(Math.max(...z) - Math.min(...z) > 0.05, `flat surface ${z}`);
  assert.match(
    (figure.layout.title as { text: string }).text,
    /\(6 of 10 trials; the others lack act or layers\)/,
  );
  assert.throws(
    () => contourFigure(study, { params: ["l2", "act"] }),
    /contourFigure: no complete trial of study has both l2 and act \(they are never active together\)/,
  );
});

const titleText = (figure: { layout: Layout }) =>
  (figure.layout.title as { text: string }).text.replaceAll("<br>", " ");

Deno.test("contourFigure: blank where a plotted parameter is inactive (null, no hover value)", () => {
  // pa only for model a: every model b trial lacks it, and has the value 5.
  const space = defineSpace({
    model: categorical(["a", "b"]),
    pa: when({ model: "a" }, float(0, 1)),
    pb: when({ model: "b" }, float(0, 1)),
  });
  const trials: Trial<Record<string, unknown>>[] = Array.from({ length: 12 }, (_, id) => {
    const params = id % 2 === 0 ? { model: "a", pa: id / 11 } : { model: "b", pb: id / 11 };
    return {
      id,
      params,
      status: "complete",
      value: params.model === "a" ? 10 * (params.pa as number) : 5,
      source: "initial",
    };
  });
  const figure = contourFigure({ trials, space }, { params: ["model", "pa"], gridSize: 5 });
  const surface = figure.data[0];
  assert.equal(surface.type, "heatmap");
  // Every choice stays on the axis, as in the other plots; the b column has no mean.
  assert.deepEqual(surface.x, ["a", "b"]);
  const z = surface.z as (number | null)[][];
  assert.deepEqual(z.map((row) => row[1]), [null, null, null, null, null]);
  assert.ok(z.every((row) => Number.isFinite(row[0])));
  assert.equal(surface.hoverongaps, false);
  assert.match(
    titleText(figure),
    /\(6 of 12 trials; the others lack pa; blank where pa is inactive\)$/,
  );
  jsonSafe(figure);

  // An integer parent: u2 only with 2 or more layers; the 1-layer row of a contour is blank.
  const layered = defineSpace({
    layers: int(1, 3),
    u1: float(0, 1),
    u2: when({ layers: [2, 3] }, float(0, 1)),
  });
  const deep: Trial<Record<string, unknown>>[] = Array.from({ length: 12 }, (_, id) => {
    const layers = 1 + (id % 3);
    const params: Record<string, unknown> = { layers, u1: ((id * 5) % 12) / 11 };
    if (layers > 1) params.u2 = ((id * 7) % 12) / 11;
    return {
      id,
      params,
      status: "complete",
      value: layers + (params.u1 as number) + ((params.u2 as number | undefined) ?? 0),
      source: "initial",
    };
  });
  const contour = contourFigure({ trials: deep, space: layered }, {
    params: ["u2", "layers"],
    gridSize: 4,
  });
  assert.equal(contour.data[0].type, "contour");
  assert.deepEqual(contour.data[0].y, [1, 2, 3]);
  const rows = contour.data[0].z as (number | null)[][];
  assert.deepEqual(rows[0], [null, null, null, null]);
  assert.ok(rows.slice(1).flat().every((v) => Number.isFinite(v)));
  assert.match(titleText(contour), /blank where u2 is inactive\)$/);
  // A pair active everywhere at the best trial has no blank cell and no note.
  const plain = contourFigure({ trials: deep, space: layered }, { params: ["u1", "u2"] });
  assert.ok((plain.data[0].z as (number | null)[][]).flat().every((v) => Number.isFinite(v)));
  assert.equal(plain.data[0].hoverongaps, undefined);
  assert.doesNotMatch(titleText(plain), /blank/);
});

Deno.test("contourFigure: blank at a categorical choice none of the plotted trials has", () => {
  const space = defineSpace({
    act: categorical(["relu", "tanh", "sigmoid"]),
    lr: float(0, 1),
  });
  const trials: Trial<Record<string, unknown>>[] = Array.from({ length: 10 }, (_, id) => {
    const params = { act: id % 2 ? "relu" : "tanh", lr: ((id * 3) % 10) / 9 };
    return {
      id,
      params,
      status: "complete",
      value: (params.act === "relu" ? 1 : 3) + params.lr,
      source: "initial",
    };
  });
  for (const params of [["act", "lr"], ["lr", "act"]] as const) {
    const figure = contourFigure({ trials, space }, { params: [...params], gridSize: 3 });
    const surface = figure.data[0];
    const z = surface.z as (number | null)[][];
    // sigmoid stays on its axis (the space's choices), with no mean: the GP's prior there.
    const cells = params[0] === "act" ? z.map((row) => row[2]) : z[2];
    assert.deepEqual(cells, [null, null, null], params.join(","));
    const others = params[0] === "act" ? z.flatMap((row) => row.slice(0, 2)) : z.slice(0, 2).flat();
    assert.ok(others.every((v) => Number.isFinite(v)), params.join(","));
    assert.equal(surface.hoverongaps, false);
    assert.match(
      titleText(figure),
      /\(10 trials; blank at act = sigmoid, which none of them has\)$/,
    );
  }
});

Deno.test("study plots: a parameter named twice in options.params is an error naming it", () => {
  const s = study();
  assert.throws(
    () => parallelCoordinateFigure(s, { params: ["lr", "units", "lr"] }),
    /parallelCoordinateFigure: options\.params\[2\]: "lr" is named twice \(also options\.params\[0\]\)/,
  );
  assert.throws(
    () => sliceFigure(s, { params: ["act", "act"] }),
    /sliceFigure: options\.params\[1\]: "act" is named twice \(also options\.params\[0\]\)/,
  );
  assert.throws(
    () => paramImportances(s, { params: ["lr", "lr", "units"] }),
    /paramImportances: options\.params\[1\]: "lr" is named twice \(also options\.params\[0\]\)/,
  );
});

Deno.test("optimizationHistoryFigure: a trial list not in id order draws the best so far by id", () => {
  const values = [5, 1, 4, 3, 2, 6, 7, 8, 9, 0.5];
  const trials: Trial<{ x: number }>[] = values.map((value, id) => ({
    id,
    params: { x: id / 10 },
    status: "complete",
    value,
    source: "initial",
  }));
  const space = defineSpace({ x: float(0, 1) });
  const ordered = optimizationHistoryFigure({ trials, space });
  // Sorted by value, as a table of trials might be: the same figure, as in Optuna.
  const byValue = trials.toSorted((a, b) => a.value! - b.value!);
  const shuffled = optimizationHistoryFigure({ trials: byValue, space });
  assert.deepEqual(shuffled.data[1].x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(shuffled.data[1].y, [5, 1, 1, 1, 1, 1, 1, 1, 1, 0.5]);
  assert.deepEqual(shuffled, ordered);
});

Deno.test("a plain trial list of a conditional study: trials kept, excluded ones not called failed", () => {
  const trials = branchyTrials();
  // Without a space: keys some trials lack are inferred as conditional, every trial is kept.
  const history = optimizationHistoryFigure(trials);
  assert.deepEqual(history.data[0].x, trials.map((t) => t.id));
  assert.equal(
    (history.layout.title as { text: string }).text,
    "Optimization history (10 trials: 10 complete)",
  );
  assert.equal(history.data.length, 2);
  const slice = sliceFigure(trials);
  assert.deepEqual(slice.data.find((t) => t.name === "act")!.customdata, [4, 5, 6, 7, 8, 9]);
  const importances = paramImportances(trials, { repeats: 2 });
  assert.equal(importances.trials, 10);
  contourFigure(trials, { params: ["act", "layers"], gridSize: 4 });
  // Trials left out for another reason (a non-finite value, a value outside a given space) are
  // "excluded", apart from the failed ones.
  const mixed: Trial<Branchy>[] = [
    ...trials,
    {
      id: 10,
      params: { model: "linear", l2: 1e-3 },
      status: "complete",
      value: NaN,
      source: "initial",
    },
    { id: 11, params: { model: "linear", l2: 5 }, status: "complete", value: 1, source: "initial" },
    { id: 12, params: { model: "mlp" }, status: "failed", error: "boom", source: "initial" },
  ];
  // The history draws no parameter: trial 11, outside the given space, keeps its value there.
  const marked = optimizationHistoryFigure({ trials: mixed, space: branchy });
  const byName = Object.fromEntries(marked.data.map((t) => [t.name, t]));
  assert.deepEqual(byName["failed (1)"].x, [12]);
  assert.deepEqual(byName["excluded (1)"].x, [10]);
  assert.deepEqual(byName["objective value"].x, [...trials.map((t) => t.id), 11]);
  assert.match(
    (marked.layout.title as { text: string }).text,
    /13 trials: 11 complete, 1 failed, 1 excluded/,
  );
  // The plots of parameters leave it out, and count it.
  assert.match(
    (parallelCoordinateFigure({ trials: mixed, space: branchy }).layout.title as { text: string })
      .text,
    /13 trials: 10 complete, 1 failed, 2 excluded/,
  );
});

Deno.test("study plots: a study of 200,000 trials draws (no argument spread of every trial)", () => {
  const space = defineSpace({ x: float(1e-3, 1, { log: true }), k: int(1, 64, { log: true }) });
  const trials: Trial<Record<string, unknown>>[] = Array.from({ length: 200_000 }, (_, id) => ({
    id,
    params: { x: 1e-3 + (id % 997) / 1000, k: 1 + (id % 64) },
    status: "complete",
    value: ((id * 7919) % 1000) / 1000,
    source: "initial",
  }));
  const study = { trials, space };
  const parallel = parallelCoordinateFigure(study);
  assert.deepEqual(
    (parallel.data[0] as { dimensions: { range?: number[] }[] }).dimensions[0].range,
    [
      0,
      0.999,
    ],
  );
  const slice = sliceFigure(study);
  assert.equal((slice.data[0].x as number[]).length, 200_000);
});

Deno.test("bestValueSoFar: a direction other than minimize or maximize is an error; NaN until the first value", () => {
  for (const direction of ["minimise", "min", "maximise"]) {
    assert.throws(() => bestValueSoFar([3, 1, 2], direction as never), {
      name: "TypeError",
      message: `bestValueSoFar: direction: must be one of "minimize", "maximize", got the string ` +
        `"${direction}"`,
    });
  }
  assert.deepEqual(bestValueSoFar([NaN, 2, 1]), [NaN, 2, 1]);
  assert.deepEqual(bestValueSoFar([NaN, NaN, 1, 3], "maximize"), [NaN, NaN, 1, 3]);
  assert.deepEqual(bestValueSoFar([NaN]), [NaN]);
  // A value of ±Infinity is a value: the best so far where it is best.
  assert.deepEqual(bestValueSoFar([Infinity, 2], "minimize"), [Infinity, 2]);
  assert.deepEqual(bestValueSoFar([-Infinity, 2], "maximize"), [-Infinity, 2]);
});

Deno.test("study plots: the history and the EDF draw trials whatever their params; plots of params name an unusable one", () => {
  const trials: Trial<Record<string, unknown>>[] = [[64, 32], [16], [8, 8]].map((layers, id) => ({
    id,
    params: { lr: 0.01 * (id + 1), mom: id / 3, layers },
    status: "complete",
    value: 1 / (id + 1),
    source: "initial",
  }));
  const title = (f: { layout: Layout }) => (f.layout.title as { text: string }).text;
  const history = optimizationHistoryFigure(trials);
  assert.deepEqual(history.data[0].y, [1, 0.5, 1 / 3]);
  assert.equal(title(history), "Optimization history (3 trials: 3 complete)");
  assert.deepEqual(edfFigure(trials).data[0].x, [1 / 3, 0.5, 1]);
  const bare = trials.map((t) => ({ ...t, params: {} }));
  assert.deepEqual(optimizationHistoryFigure(bare).data[0].y, [1, 0.5, 1 / 3]);
  assert.equal(edfFigure(bare).data[0].name, "study (3)");
  // Plots of parameters: the parameter named, and the others still drawn when named.
  const unusable = 'parameter "layers" cannot be plotted: it has no number, string or boolean ' +
    "value (trial 0: [64,32])";
  assert.throws(() => parallelCoordinateFigure(trials), {
    name: "RangeError",
    message: `parallelCoordinateFigure: study: ${unusable}; name the parameters to plot in ` +
      "options.params (lr, mom)",
  });
  assert.throws(() => sliceFigure(trials, { params: ["lr", "layers"] }), {
    name: "RangeError",
    message: `sliceFigure: options.params[1]: ${unusable}`,
  });
  assert.throws(
    () => contourFigure(trials, { gridSize: 4 }),
    /contourFigure: study: parameter "layers"/,
  );
  assert.throws(
    () => paramImportances(trials, { repeats: 2 }),
    /paramImportances: study: parameter "layers"/,
  );
  const drawn = parallelCoordinateFigure(trials, { params: ["lr", "mom"] });
  assert.match(title(drawn), /3 trials: 3 complete/);
  assert.equal(
    contourFigure(trials, { params: ["lr", "mom"], gridSize: 4 }).data.length,
    3,
  );
  assert.equal(paramImportances(trials, { params: ["lr", "mom"], repeats: 2 }).trials, 3);
});

Deno.test("optimizationHistoryFigure and edfFigure: a long legend gets its own height; wide tick labels push the margin, not the axis title", () => {
  const studies = ["gp", "random", "tpe", "a method with a long name"].map((name, k) => ({
    name,
    trials: study(k).trials,
    space,
  }));
  const history = optimizationHistoryFigure(studies);
  // Three entries per study (values, best so far, failed): 12 entries, 9 beyond the default's 3.
  const entries = history.data.filter((t) => t.showlegend !== false).length;
  assert.equal(entries, 12);
  assert.equal(history.layout.height, legendHeight(entries));
  assert.equal(legendHeight(entries), VIZ_DEFAULTS.height + 9 * 22);
  const edf = edfFigure(studies);
  assert.equal(edf.layout.height, legendHeight(4));
  // One study: two entries, the default height.
  assert.equal(optimizationHistoryFigure(study(0)).layout.height, VIZ_DEFAULTS.height);
  // Values near 1e300 label their ticks `2×10³⁰⁰`: plotly widens the margin for them.
  for (const figure of [history, edf, optimizationHistoryFigure(study(0), { logY: true })]) {
    for (const key of ["xaxis", "yaxis"]) {
      assert.equal((figure.layout[key] as Layout).automargin, true, key);
    }
  }
});

Deno.test("study plots: parameter and study names show as given (escaped for plotly's markup); one drawn log-int value gets decade ticks", () => {
  const odd = defineSpace({
    "<b>lr": float(1e-3, 1, { log: true }),
    units: int(8, 512, { log: true }),
  });
  const s = new SMBO(odd, { seed: 0, proposer: randomSearch() });
  for (let i = 0; i < 4; i++) {
    const trial = s.ask();
    s.tell(trial, (trial.params as Record<string, number>)["<b>lr"]);
  }
  const slice = sliceFigure(s);
  const titles = Object.values(slice.layout)
    .map((v) => (v as { title?: { text?: string } })?.title?.text)
    .filter((t): t is string => typeof t === "string");
  assert.ok(titles.includes("&lt;b&gt;lr"), titles.join(" | "));
  assert.ok(!titles.some((t) => t.includes("<b>")));
  assert.equal(slice.data[0].name, "&lt;b&gt;lr");
  const history = optimizationHistoryFigure([
    { name: "<s>gp</s> & a<b", trials: s.trials },
    { name: "plain", trials: s.trials },
  ]);
  assert.ok(
    history.data.some((t) => t.name === "&lt;s&gt;gp&lt;/s&gt; &amp; a&lt;b: objective value"),
  );
  // Every trial at units = 16: the log int axis labels decades, not every integer.
  const same = new SMBO(odd, { seed: 0, proposer: randomSearch() });
  for (const lr of [0.01, 0.1, 0.5]) same.enqueue({ "<b>lr": lr, units: 16 });
  for (let i = 0; i < 3; i++) same.tell(same.ask(), i);
  const single = sliceFigure(same);
  const unitsAxis = Object.values(single.layout).find((v) =>
    (v as { title?: { text?: string } })?.title?.text === "units"
  ) as Record<string, unknown>;
  assert.equal(unitsAxis.type, "log");
  assert.notEqual(unitsAxis.tickmode, "linear");
});
