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
