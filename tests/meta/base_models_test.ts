import assert from "node:assert/strict";
import {
  basePointSubset,
  encodePriorTasks,
  fitBaseModel,
  fitBaseModels,
  standardizedPredict,
  targetFitter,
} from "../../lib/meta/base_models.ts";
import { WeightedEnsemble } from "../../lib/meta/ensemble.ts";
import {
  conditionOnObservations,
  fitGP,
  type GaussianProcess,
  gpFactory,
} from "../../lib/gp/gp.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
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

Deno.test("base models of tasks with tiny values (down to subnormal) predict finite standardised variances", () => {
  const points = [0, 0.25, 0.5, 0.75, 1].map((x) => Float64Array.of(x));
  const values = Float64Array.from(points, ([x]) => (x - 0.3) ** 2 + 0.1 * Math.sin(9 * x));
  const grid = Array.from({ length: 21 }, (_, i) => Float64Array.of(i / 20));
  const [reference] = fitBaseModels([{ id: "t", points, values }]);
  const expected = standardizedPredict(reference.gp, grid);
  for (const scale of [1e-300, 2 ** -1000, 1e-320]) {
    const [model] = fitBaseModels([{ id: "t", points, values: values.map((v) => v * scale) }]);
    const { mean, variance } = standardizedPredict(model.gp, grid);
    assert.ok(variance.every((v) => Number.isFinite(v) && v > 0), `scale ${scale}`);
    if (scale === 1e-320) continue; // subnormal values: a few significant bits left
    // the same model in standardised units: bit for bit when the scale is a power of two (an
    // exact map of values that stay normal numbers), up to round-off otherwise
    const tolerance = scale === 2 ** -1000 ? 0 : 1e-6;
    for (let i = 0; i < grid.length; i++) {
      assert.ok(Math.abs(mean[i] - expected.mean[i]) <= tolerance, `scale ${scale}, point ${i}`);
      assert.ok(Math.abs(variance[i] - expected.variance[i]) <= tolerance, `${scale}, ${i}`);
    }
  }
  // a task of zeros only is constant, as at any scale
  const [zeros] = fitBaseModels([{ id: "z", points, values: new Float64Array(5) }]);
  assert.ok(standardizedPredict(zeros.gp, grid).variance.every(Number.isFinite));
});

Deno.test("basePointSubset keeps the best quarter and spreads the rest; fitBaseModels uses at most maxPoints", () => {
  const rng = new Rng(5);
  const points = Array.from({ length: 200 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => (p[0] - 0.3) ** 2 + (p[1] - 0.7) ** 2);
  const keep = basePointSubset(points, values, 40);
  assert.equal(keep.length, 40);
  assert.equal(new Set(keep).size, 40);
  const best = [...values.keys()].sort((a, b) => values[a] - values[b]).slice(0, 10);
  assert.deepEqual(keep.slice(0, 10), best);
  // The rest covers the cube: every corner quadrant holds some kept point.
  for (const [x, y] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    assert.ok(
      keep.some((k) => (points[k][0] < 0.5) === (x === 0) && (points[k][1] < 0.5) === (y === 0)),
    );
  }
  assert.deepEqual(basePointSubset(points.slice(0, 5), values.subarray(0, 5), 10), [0, 1, 2, 3, 4]);
  const [model] = fitBaseModels([{ id: "a", points, values }], { maxPoints: 40 });
  assert.equal(model.gp.size, 40);
  assert.equal(model.task.points.length, 200);
  assert.throws(() => fitBaseModels([{ id: "a", points, values }], { maxPoints: 0 }), /maxPoints/);
});

Deno.test("fitBaseModels: a task's GP is the same wherever the task sits in the list", () => {
  const rng = new Rng(11);
  const task = (id: string, shift: number) => {
    const points = Array.from({ length: 12 }, () => Float64Array.of(rng.uniform(), rng.uniform()));
    const values = Float64Array.from(
      points,
      (p) => Math.sin(6 * p[0] + shift) + (p[1] - 0.3) ** 2 + 0.1 * rng.normal(),
    );
    return { id, points, values };
  };
  const tasks = [task("a", 0), task("b", 1), task("c", 2)];
  const forward = fitBaseModels(tasks);
  const backward = fitBaseModels([...tasks].reverse()).reverse();
  const grid = Array.from({ length: 9 }, (_, i) => Float64Array.of(i / 8, 1 - i / 8));
  for (let t = 0; t < tasks.length; t++) {
    assert.equal(forward[t].id, backward[t].id);
    assert.deepEqual(
      [...forward[t].gp.hyperparameters.kernel, forward[t].gp.hyperparameters.noise],
      [...backward[t].gp.hyperparameters.kernel, backward[t].gp.hyperparameters.noise],
    );
    assert.deepEqual(forward[t].gp.predict(grid).mean, backward[t].gp.predict(grid).mean);
  }
  // another seed gives other restarts (the seed still reaches the fit)
  const reseeded = fitBaseModels(tasks, { seed: 1 });
  assert.ok(reseeded.some((m, t) => m.gp.fit.evaluations !== forward[t].gp.fit.evaluations));
});

Deno.test("encodePriorTasks names every issue under the caller's label and trials field", () => {
  const space = defineSpace({ x: float(0, 1) });
  const trials = (values: number[]) => values.map((value, i) => ({ params: { x: i / 10 }, value }));
  const tasks = [
    { id: "a", trials: trials([1, 2, 3]) },
    { id: "b", trials: trials([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) },
    { id: "c", trials: trials([1, 2]) },
  ];
  tasks[0].trials[1].value = NaN;
  tasks[0].trials[2].value = NaN;
  tasks[2].trials[0].value = Infinity;
  // leaveOneTaskOut's problems keep their trials as `history`.
  assert.throws(() => encodePriorTasks(tasks, space, "problems", "history"), {
    name: "TypeError",
    message: "problems[0].history[1].value: must be a finite number; " +
      "problems[0].history[2].value: must be a finite number; " +
      "problems[2].history[0].value: must be a finite number",
  });
  assert.throws(() => encodePriorTasks(tasks, space), {
    name: "TypeError",
    message: "priorTasks[0].trials[1].value: must be a finite number; " +
      "priorTasks[0].trials[2].value: must be a finite number; " +
      "priorTasks[2].trials[0].value: must be a finite number",
  });
  // A configuration outside the space is named the same way.
  const outside = [{
    id: "a",
    trials: [{ params: { x: 0.5 }, value: 1 }, { params: { x: 2 }, value: 1 }],
  }];
  assert.throws(
    () => encodePriorTasks(outside, space, "problems", "history"),
    /^TypeError: problems\[0\]\.history\[1\]\.params: .* \(task "a"\)$/,
  );
});

Deno.test("fitBaseModel fits a task as fitBaseModels does at any position, errors naming that position", () => {
  const rng = new Rng(3);
  const task = (id: string) => {
    const points = Array.from({ length: 12 }, () => rng.uniforms(2));
    return { id, points, values: Float64Array.from(points, (p) => Math.sin(5 * p[0]) + p[1] ** 2) };
  };
  const tasks = [task("a"), task("b"), task("c")];
  const all = fitBaseModels(tasks, { seed: 2 });
  const grid = Array.from({ length: 9 }, (_, i) => Float64Array.of(i / 8, 1 - i / 8));
  tasks.forEach((t, i) => {
    const one = fitBaseModel(t, { seed: 2 }, i);
    assert.equal(one.id, t.id);
    assert.strictEqual(one.task, t);
    assert.deepEqual(one.gp.predict(grid), all[i].gp.predict(grid));
  });
  assert.throws(() => fitBaseModel({ id: "e", points: [], values: new Float64Array() }, {}, 4), {
    name: "TypeError",
    message: "fitBaseModels.tasks[4].points: must be a non-empty array",
  });
  assert.throws(() => fitBaseModel(tasks[0], { seeed: 1 } as never), {
    message: "fitBaseModels options.seeed: unknown key",
  });
});

Deno.test("targetFitter: a fantasy believes the target GP at its own mean, not at the values given; the chain follows the values given", () => {
  const rng = new Rng(5);
  const points = Array.from({ length: 8 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => (p[0] - 0.4) ** 2 + Math.sin(5 * p[1]));
  const fit = targetFitter();
  const ensemble = (target: GaussianProcess) =>
    new WeightedEnsemble(target, [{ id: "target", gp: target, meanWeight: 1, varianceWeight: 1 }]);
  const first = fit(points, values, new Rng(0));
  const grid = Array.from(
    { length: 49 },
    (_, i) => Float64Array.of((i % 7) / 6, Math.floor(i / 7) / 6),
  );
  const before = first.predict(grid);
  // Values far from the target's mean (as an ensemble's mean can be, pulled by past tasks).
  const extra = [Float64Array.of(0.2, 0.9), Float64Array.of(0.7, 0.1)];
  const given = Float64Array.from(first.predict(extra).mean, (m) => m + 3);
  const kept = fit([...points, ...extra], Float64Array.of(...values, ...given), new Rng(1), {
    previous: ensemble(first),
    mode: "keep",
  });
  const after = kept.predict(grid);
  const own = conditionOnObservations(first, extra, first.predict(extra).mean)!.predict(grid);
  for (let i = 0; i < grid.length; i++) {
    assert.ok(Math.abs(after.mean[i] - before.mean[i]) <= 1e-10, `mean moved at ${i}`);
    assert.ok(after.variance[i] <= before.variance[i] * (1 + 1e-12), `variance rose at ${i}`);
    assert.equal(after.variance[i], own.variance[i]);
    assert.equal(after.mean[i], own.mean[i]);
  }
  // The next fantasy extends the values given before (not the means): it conditions again.
  const third = [Float64Array.of(0.5, 0.5)];
  const again = fit(
    [...points, ...extra, ...third],
    Float64Array.of(...values, ...given, -2),
    new Rng(1),
    { previous: ensemble(kept), mode: "keep" },
  );
  assert.deepEqual(again.standardization, first.standardization);
  assert.deepEqual(
    again.predict(grid),
    conditionOnObservations(kept, third, kept.predict(third).mean)!.predict(grid),
  );
});

Deno.test("targetFitter: a fantasy extending the previous target's data conditions it (bit for bit), other data refit", () => {
  const rng = new Rng(3);
  const points = Array.from({ length: 8 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => (p[0] - 0.4) ** 2 + Math.sin(5 * p[1]));
  const fit = targetFitter();
  const ensemble = (target: GaussianProcess) =>
    new WeightedEnsemble(target, [{ id: "target", gp: target, meanWeight: 1, varianceWeight: 1 }]);
  const first = fit(points, values, new Rng(0));
  const extra = [Float64Array.of(0.2, 0.9), Float64Array.of(0.7, 0.1)];
  const believed = first.predict(extra).mean;
  const keep = (at: Float64Array[], y: Float64Array, previous: GaussianProcess) =>
    fit(at, y, new Rng(1), { previous: ensemble(previous), mode: "keep" });
  // Copies of the same data: equal coordinates suffice.
  const extended = [...points.map((p) => p.slice()), ...extra];
  const kept = keep(extended, Float64Array.of(...values, ...believed), first);
  const direct = conditionOnObservations(first, extra, believed)!;
  const probes = [Float64Array.of(0, 0), Float64Array.of(1, 1), ...extra];
  assert.deepEqual(kept.predict(probes), direct.predict(probes));
  assert.deepEqual(kept.standardization, first.standardization);
  // Its data extended again: the conditioning chains, at the target's own mean (not 0.3).
  const third = [Float64Array.of(0.5, 0.5)];
  const again = keep(
    [...extended, ...third],
    Float64Array.of(...values, ...believed, 0.3),
    kept,
  );
  assert.deepEqual(
    again.predict(probes),
    conditionOnObservations(kept, third, kept.predict(third).mean)!.predict(probes),
  );
  // Data that do not extend it (a value changed), or a GP of another fitter: gpFactory's keep.
  const changed = Float64Array.of(...values, ...believed);
  changed[2] += 1;
  const refit = (previous: GaussianProcess, y: Float64Array) =>
    gpFactory().fit(extended, y, new Rng(1), { previous, mode: "keep" }) as GaussianProcess;
  assert.deepEqual(
    keep(extended, changed, first).predict(probes),
    refit(first, changed).predict(probes),
  );
  const elsewhere = fitGP(points, values);
  const same = Float64Array.of(...values, ...believed);
  assert.deepEqual(
    keep(extended, same, elsewhere).predict(probes),
    refit(elsewhere, same).predict(probes),
  );
  // Another space than the previous fit's (none): gpFactory's keep too.
  const space = defineSpace({ a: float(0, 1), b: float(0, 1) });
  const inSpace = fit(extended, same, new Rng(1), {
    previous: ensemble(first),
    mode: "keep",
    space,
  });
  assert.deepEqual(inSpace.standardization, refit(first, same).standardization);
  assert.notDeepEqual(inSpace.standardization, first.standardization);
});
