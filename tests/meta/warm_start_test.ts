import assert from "node:assert/strict";
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
