import assert from "node:assert/strict";
import { averageRanks, bestSoFar } from "../../lib/stats/mod.ts";

Deno.test("averageRanks: ties share the mean rank; ragged input is named", () => {
  assert.deepEqual(averageRanks([[0.1, 0.2, 0.3], [0.3, 0.3, 0.1]]), [1.75, 2.25, 2]);
  assert.deepEqual(averageRanks([]), []);
  assert.throws(() => averageRanks([[1, 2], [1]]), /averageRanks: problem 1 has 1 scores/);
});

Deno.test("bestSoFar: running minimum that skips NaN", () => {
  assert.deepEqual(bestSoFar([3, 5, 1, NaN, 2]), [3, 3, 1, 1, 1]);
  assert.deepEqual(bestSoFar([NaN, 2]), [Infinity, 2]);
});
