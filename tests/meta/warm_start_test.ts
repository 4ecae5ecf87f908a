import assert from "node:assert/strict";
import { warmStartPoints } from "../../lib/meta/warm_start.ts";

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
