import assert from "node:assert/strict";
import { averageRanks, bestSoFar, rankAgreementPValue } from "../../lib/stats/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

Deno.test("averageRanks: ties share the mean rank; ragged input is named", () => {
  assert.deepEqual(averageRanks([[0.1, 0.2, 0.3], [0.3, 0.3, 0.1]]), [1.75, 2.25, 2]);
  assert.deepEqual(averageRanks([]), []);
  assert.throws(() => averageRanks([[1, 2], [1]]), /averageRanks: problem 1 has 1 scores/);
});

Deno.test("bestSoFar: running minimum that skips NaN", () => {
  assert.deepEqual(bestSoFar([3, 5, 1, NaN, 2]), [3, 3, 1, 1, 1]);
  assert.deepEqual(bestSoFar([NaN, 2]), [Infinity, 2]);
});

/** Pairs of `ys` in decreasing order (the test statistic, computed directly). */
function inversions(ys: number[]): number {
  let count = 0;
  for (let a = 0; a < ys.length; a++) {
    for (let b = a + 1; b < ys.length; b++) if (ys[a] > ys[b]) count++;
  }
  return count;
}

/** Every arrangement of `values` (as a multiset of positions) by brute force. */
function bruteForcePValue(predictions: number[], values: number[]): number {
  const n = values.length;
  const order = [...predictions.keys()].sort((a, b) =>
    predictions[a] - predictions[b] || values[b] - values[a]
  );
  const observed = inversions(order.map((i) => values[i]));
  let total = 0;
  let atMost = 0;
  const permute = (rest: number[], prefix: number[]) => {
    if (rest.length === 0) {
      total++;
      if (inversions(prefix) <= observed) atMost++;
      return;
    }
    rest.forEach((_, i) =>
      permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...prefix, rest[i]])
    );
  };
  permute(values.slice(0, n), []);
  return atMost / total;
}

Deno.test("rankAgreementPValue: equals brute-force enumeration, with and without ties", () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 40; trial++) {
    const n = 2 + rng.integer(6);
    const levels = 1 + rng.integer(n);
    const values = Array.from({ length: n }, () => rng.integer(levels));
    const predictions = Array.from({ length: n }, () => rng.integer(trial % 2 ? n : 3 * n));
    const expected = values.every((v) => v === values[0])
      ? 1
      : bruteForcePValue(predictions, values);
    const got = rankAgreementPValue(predictions, values);
    assert.ok(
      Math.abs(got - expected) < 1e-12,
      `${predictions} / ${values}: ${got} vs ${expected}`,
    );
  }
});

Deno.test("rankAgreementPValue: perfect, reversed and degenerate orderings", () => {
  const x = [1, 2, 3, 4, 5, 6];
  assert.ok(Math.abs(rankAgreementPValue(x, x) - 1 / 720) < 1e-15);
  assert.equal(rankAgreementPValue(x, [...x].reverse()), 1);
  assert.equal(rankAgreementPValue([1], [2]), 1);
  assert.equal(rankAgreementPValue(x, x.map(() => 7)), 1);
  // Tied predictions are ordered against the values: no evidence of agreement.
  assert.equal(rankAgreementPValue(x.map(() => 0), x), 1);
  assert.throws(() => rankAgreementPValue([1, 2], [1]), /2 predictions for 1 values/);
});

Deno.test("rankAgreementPValue: beyond 50 values the normal approximation matches permutations", () => {
  const rng = new Rng(11);
  for (const levels of [1000, 4]) {
    const n = 60;
    const values = Array.from({ length: n }, () => rng.integer(levels));
    // Weakly informative predictions: a p-value in the body of the distribution.
    const predictions = values.map((v) => v + 6 * levels * rng.uniform());
    const p = rankAgreementPValue(predictions, values);
    assert.ok(p > 1e-3 && p < 0.99, `p ${p}`);
    // Monte Carlo p-value of the same statistic: the values shuffled over the same predictions.
    const order = [...predictions.keys()].sort((a, b) => predictions[a] - predictions[b]);
    const observed = inversions(order.map((i) => values[i]));
    const draws = 4000;
    let atMost = 0;
    const ys = [...values];
    for (let d = 0; d < draws; d++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.integer(i + 1);
        [ys[i], ys[j]] = [ys[j], ys[i]];
      }
      if (inversions(ys) <= observed) atMost++;
    }
    const mc = atMost / draws;
    const se = Math.sqrt((mc * (1 - mc)) / draws);
    assert.ok(Math.abs(p - mc) < 4 * se + 0.01, `levels ${levels}: ${p} vs permutations ${mc}`);
  }
});

Deno.test("averageRanks: a NaN score ranks last, tied with other NaNs; the finite ranks are kept", () => {
  assert.deepEqual(averageRanks([[2, NaN, 1, 0]]), [3, 4, 2, 1]);
  assert.deepEqual(averageRanks([[NaN, 1, NaN, Infinity]]), [3.5, 1, 3.5, 2]);
});

Deno.test("rankAgreementPValue: a NaN, which has no order, is refused, naming it", () => {
  assert.throws(() => rankAgreementPValue([1, 2, 3, 4, 5, 6], [NaN, NaN, NaN, NaN, 1, 2]), {
    name: "RangeError",
    message: "rankAgreementPValue values[0]: must not be NaN",
  });
  assert.throws(() => rankAgreementPValue([1, NaN, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]), {
    name: "RangeError",
    message: "rankAgreementPValue predictions[1]: must not be NaN",
  });
  // ±Infinity is ordered.
  assert.equal(rankAgreementPValue([-Infinity, 2, 3, Infinity], [1, 2, 3, 4]), 1 / 24);
});
