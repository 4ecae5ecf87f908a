import assert from "node:assert/strict";
import { configurationModelPoints } from "../../lib/meta/config_model.ts";
import { alignMetaFeatures, warmStartPoints } from "../../lib/meta/warm_start.ts";

Deno.test("warmStartPoints: a portfolio of tasks whose values span ±1e308 (the range overflows)", () => {
  const task = (id: string, values: number[]) => ({
    id,
    points: values.map((_, i) => Float64Array.of(i / (values.length - 1))),
    values: Float64Array.from(values),
  });
  const points = warmStartPoints([
    task("a", [1.5e308, -1.5e308, 0]),
    task("b", [1, 2, 3]),
  ], { count: 2 });
  assert.equal(points.length, 2);
  // each task's best point: a's at 0.5 (value −1.5e308), b's at 0 (value 1)
  assert.deepEqual(points.map((p) => p[0]).sort(), [0, 0.5]);
});

Deno.test("alignMetaFeatures: the names in canonical order, whatever the record's key order", () => {
  const task = { id: "a", points: [Float64Array.of(0)], values: Float64Array.of(0) };
  const tasks = [{ ...task, metaFeatures: { zeta: 1, nr_attr: 2, alpha: 3, nr_inst: 4 } }];
  for (
    const target of [{ zeta: 5, alpha: 6, nr_inst: 7, nr_attr: 8 }, {
      nr_attr: 8,
      zeta: 5,
      nr_inst: 7,
      alpha: 6,
    }]
  ) {
    const aligned = alignMetaFeatures(target, tasks);
    // extractMetaFeatures' names in its order, then the others sorted
    assert.deepEqual(aligned.target.names, ["nr_inst", "nr_attr", "alpha", "zeta"]);
    assert.deepEqual([...aligned.target.values], [7, 8, 6, 5]);
    assert.deepEqual([...aligned.tasks[0].values], [4, 2, 3, 1]);
  }
});

Deno.test("warmStartPoints in pool mode: tasks that share a best give it once, then the next tasks' bests", () => {
  // Four past tasks ordered by meta-feature distance: a and b share the best 0.5, c's is 0.1, d's 0.9.
  const task = (id: string, best: number, m: number) => ({
    id,
    points: [Float64Array.of(best), Float64Array.of(0.3)],
    values: Float64Array.of(0, 1),
    metaFeatures: { m },
  });
  const tasks = [task("a", 0.5, 1), task("b", 0.5, 2), task("c", 0.1, 3), task("d", 0.9, 4)];
  const pool = [0, 0.1, 0.48, 0.5, 0.52, 0.9, 0.91].map((x) => Float64Array.of(x));
  const withPool = warmStartPoints(tasks, { count: 3, metaFeatures: { m: 0 }, pool });
  // Not 0.48 or 0.52 (a neighbour of the shared best that no task chose).
  assert.deepEqual(withPool.map((p) => p[0]), [0.5, 0.1, 0.9]);
  assert.ok(withPool.every((p) => (pool as Float64Array[]).includes(p)));
  // The same list as without a pool, where the bests lie in the pool.
  const without = warmStartPoints(tasks, { count: 3, metaFeatures: { m: 0 } });
  assert.deepEqual(without.map((p) => p[0]), [0.5, 0.1, 0.9]);
  // Bests outside the pool: each goes to its nearest member, a member reached twice once.
  const coarse = [0, 0.45, 1].map((x) => Float64Array.of(x));
  const mapped = warmStartPoints(tasks, { count: 5, metaFeatures: { m: 0 }, pool: coarse });
  assert.deepEqual(mapped.map((p) => p[0]), [0.45, 0, 1]);
});

Deno.test("warmStartPoints: a pool of another dimension than the tasks' points is refused, naming it", () => {
  const x = [0, 0.5, 1].map((v) => Float64Array.of(v));
  const tasks = [
    { id: "a", points: x, values: Float64Array.of(0, 1, 1) },
    { id: "b", points: x, values: Float64Array.of(1, 0, 0.5) },
  ];
  const pool = [Float64Array.of(0.2, 5, 5), Float64Array.of(0.9, 0, 0)];
  assert.throws(() => warmStartPoints(tasks, { count: 2, pool }), {
    name: "RangeError",
    message: "warmStart options.pool[0]: expected 1 coordinate, got 3",
  });
  assert.throws(() => warmStartPoints(tasks, { count: 2, pool: [x[0], Float64Array.of(NaN)] }), {
    name: "RangeError",
    message: "warmStart options.pool[1][0]: must be finite, got NaN",
  });
  // The tasks are checked as greedyPortfolio checks them, on the meta-feature path too.
  const nan = [{ ...tasks[0], values: Float64Array.of(0, NaN, 1), metaFeatures: { m: 1 } }];
  assert.throws(() => warmStartPoints(nan, { metaFeatures: { m: 1 } }), {
    name: "RangeError",
    message: "warmStart tasks[0].values[1]: must be finite, got NaN",
  });
  // A pool of the tasks' dimension is used.
  const fine = warmStartPoints(tasks, {
    count: 2,
    pool: [Float64Array.of(0.1), Float64Array.of(0.6)],
  });
  assert.deepEqual(fine.map((p) => p[0]).sort(), [0.1, 0.6]);
});

Deno.test("warmStartPoints: meta-features that no past task shares fall back to the portfolio, in any task order", () => {
  const task = (id: string, c: number) => ({
    id,
    points: [0.1, 0.3, 0.5, 0.7, 0.9].map((x) => Float64Array.of(x)),
    values: Float64Array.from([0.1, 0.3, 0.5, 0.7, 0.9], (x) => (x - c) ** 2),
    metaFeatures: { n: 100 * c },
  });
  const tasks = [task("a", 0.1), task("b", 0.5), task("c", 0.55), task("d", 0.45)];
  const portfolio = warmStartPoints(tasks, { count: 4 }).map((p) => p[0]);
  assert.equal(portfolio[0], 0.5);
  for (const list of [tasks, [...tasks].reverse()]) {
    // Every meta-feature of the new task unavailable: no distance to any past task.
    const start = warmStartPoints(list, { count: 4, metaFeatures: { n: NaN } }).map((p) => p[0]);
    assert.deepEqual(start, portfolio, list.map((t) => t.id).join(""));
    // Nor for past tasks without the new task's available meta-feature.
    const other = list.map((t) => ({ ...t, metaFeatures: { n: NaN, m: 1 } }));
    assert.deepEqual(
      warmStartPoints(other, { count: 4, metaFeatures: { n: 3, m: NaN } }).map((p) => p[0]),
      portfolio,
    );
  }
  // One past task with a distance is enough for the meta-feature order: it comes first, the
  // others after it in their order.
  const partial = tasks.map((t, i) => (i === 2 ? t : { ...t, metaFeatures: { n: NaN } }));
  assert.deepEqual(
    warmStartPoints(partial, { count: 2, metaFeatures: { n: 1 } }).map((p) => p[0]),
    [0.5, 0.1],
  );
});

Deno.test("alignMetaFeatures: meta-features no past task has are refused under the caller's option name", () => {
  const task = (id: string, c: number) => ({
    id,
    points: [0.1, 0.5, 0.9].map((x) => Float64Array.of(x)),
    values: Float64Array.from([0.1, 0.5, 0.9], (x) => (x - c) ** 2),
    metaFeatures: { n: c },
  });
  const tasks = [task("a", 0.1), task("b", 0.5)];
  assert.throws(() => alignMetaFeatures({ m: 1 }, tasks), {
    name: "RangeError",
    message: "metaFeatures: no prior task has any of these meta-features ('m'); " +
      "give the past tasks' meta-features under the same names, or none",
  });
  assert.throws(() => alignMetaFeatures({}, tasks, "x.metaFeatures"), {
    name: "RangeError",
    message: "x.metaFeatures: must name at least one meta-feature",
  });
  assert.throws(
    () => warmStartPoints(tasks, { metaFeatures: { m: 1 } }),
    /^RangeError: warmStart options\.metaFeatures: no prior task has any/,
  );
  assert.throws(
    () => configurationModelPoints(tasks, { metaFeatures: { m: 1 } }),
    /^RangeError: configurationModel\.metaFeatures: no prior task has any/,
  );
});
