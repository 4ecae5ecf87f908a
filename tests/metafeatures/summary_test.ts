import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import { SUMMARY_FUNCTIONS } from "../../lib/metafeatures/summary.ts";

Deno.test("summary functions by hand", () => {
  const v = Float64Array.of(1, 2, 3, 4);
  const s = (name: string) => SUMMARY_FUNCTIONS.get(name)!.compute(v);
  near(s("mean") as number, 2.5);
  near(s("sd") as number, Math.sqrt(5 / 3));
  near(s("range") as number, 3);
  assert.deepEqual([...(s("quantiles") as Float64Array)], [1, 1.75, 2.5, 3.25, 4]);
  // numpy.histogram(v, 10): edges 1, 1.3, …, 4; 2 falls in bin 3 (edge 1.9 ≤ 2 < 2.2), 3 in 6.
  assert.deepEqual([...(s("histogram") as Float64Array)], [
    0.25,
    0,
    0,
    0.25,
    0,
    0,
    0.25,
    0,
    0,
    0.25,
  ]);
  assert.equal(s("count"), 4);
});

Deno.test("histogram of values whose span overflows: the shares of the same values scaled down", () => {
  const histogram = SUMMARY_FUNCTIONS.get("histogram")!.compute;
  const small = Float64Array.of(-1.5, -0.2, 0, 0.4, 1, 1.25, 1.5);
  const huge = small.map((v) => v * 2 ** 1023); // 3 · 2^1023 overflows as a span
  assert.ok(!Number.isFinite(huge[huge.length - 1] - huge[0]));
  assert.deepEqual([...(histogram(huge) as Float64Array)], [...(histogram(small) as Float64Array)]);
});
