import assert from "node:assert/strict";
import { assertNear } from "../_assert.ts";
import { criterionScore, weightedImpurity } from "../../lib/forest/criterion.ts";

Deno.test("weightedImpurity: Gini, entropy and squared error by hand", () => {
  // Class weights 3 and 1: Gini 1 − (3/4)² − (1/4)² = 0.375, times W = 4.
  assertNear(weightedImpurity("gini", 2, Float64Array.of(3, 1), 4), 1.5);
  // Entropy −(3/4) ln(3/4) − (1/4) ln(1/4), times W = 4.
  const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
  assertNear(weightedImpurity("entropy", 2, Float64Array.of(3, 1), 4), 4 * h);
  // y = 1, 2, 6: W = 3, S = 9, Σy² = 41; SSE = 41 − 81/3 = 14.
  assertNear(weightedImpurity("squared_error", 0, Float64Array.of(3, 9), 3, 41), 14);
  assert.equal(weightedImpurity("gini", 2, Float64Array.of(0, 0), 0), 0);
});

Deno.test("criterionScore: a split's impurity decrease is the gain in score", () => {
  // Parent (2, 2) split into (2, 0) and (0, 2): Gini impurity 2 → 0, scores 2 → 2 + 2.
  for (const criterion of ["gini", "entropy"] as const) {
    const score = criterionScore(criterion, 2);
    const stats = Float64Array.of(2, 2, 2, 0, 0, 2);
    const decrease = weightedImpurity(criterion, 2, stats.subarray(0, 2), 4);
    const gain = score(stats, 2, 2) + score(stats, 4, 2) - score(stats, 0, 4);
    assertNear(gain, decrease);
  }
  const sse = criterionScore("squared_error", 0);
  // y = 0, 0 | 4, 4: parent SSE 16, children 0; score gain 0 + 32 − 16 = 16.
  const stats = Float64Array.of(4, 8, 2, 0, 2, 8);
  assertNear(sse(stats, 2, 2) + sse(stats, 4, 2) - sse(stats, 0, 4), 16);
});
