/**
 * Rankings of methods across problems (HPO-B style average ranks), best-so-far curves, and the
 * one-sided Kendall test of whether one ordering agrees with another better than chance.
 *
 * @module
 */
import { normalCdf } from "../acquisition/normal.ts";

/**
 * Running minimum of a sequence (best value so far), NaN entries skipped (Infinity until the
 * first value that is not NaN).
 *
 * @example
 * ```ts
 * import { bestSoFar } from "./ranks.ts";
 * bestSoFar([3, 5, 1, NaN, 2]); // [3, 3, 1, 1, 1]
 * ```
 */
export function bestSoFar(values: readonly number[]): number[] {
  let best = Infinity;
  return values.map((v) => (best = Number.isNaN(v) ? best : Math.min(best, v)));
}

/**
 * Average ranks of methods across problems (rank 1 is the lowest score; ties share the mean
 * rank; a NaN score ranks last, tied with any other NaN). `scores[p][m]` is method m's score on
 * problem p.
 *
 * @throws {RangeError} when problems have different numbers of scores.
 *
 * @example
 * ```ts
 * import { averageRanks } from "./ranks.ts";
 * averageRanks([[0.1, 0.2], [0.3, 0.3]]); // [1.25, 1.75]
 * ```
 */
export function averageRanks(scores: readonly (readonly number[])[]): number[] {
  if (scores.length === 0) return [];
  const methods = scores[0].length;
  const totals = new Array<number>(methods).fill(0);
  for (const [p, row] of scores.entries()) {
    if (row.length !== methods) {
      throw new RangeError(
        `averageRanks: problem ${p} has ${row.length} scores, expected ${methods}`,
      );
    }
    const ranks = rankWithTies(row);
    for (let m = 0; m < methods; m++) totals[m] += ranks[m];
  }
  return totals.map((t) => t / scores.length);
}

function rankWithTies(row: readonly number[]): number[] {
  // NaN ranks last (tied with any other NaN), after +Infinity.
  const order = Array.from(row.keys()).sort((a, b) => {
    const x = row[a], y = row[b];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    }
    return x - y;
  });
  const same = (x: number, y: number) => x === y || (Number.isNaN(x) && Number.isNaN(y));
  const ranks = new Array<number>(row.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && same(row[order[j + 1]], row[order[i]])) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Up to this many values the null distribution of the test is computed exactly. */
const EXACT_RANK_AGREEMENT = 50;

/**
 * One-sided p-value of Kendall's test that `predictions` order `values` better than chance: the
 * probability, were the values assigned to the predictions' order at random, of at most as many
 * inversions I (pairs ordered by prediction whose values are strictly in the opposite order) as
 * observed. Tied values follow the exact null distribution of inversions of a random arrangement
 * of a multiset, the q-multinomial coefficient [n; t₁, …, t_k]_q / (n; t₁, …, t_k) (MacMahon
 * 1916), computed exactly for n ≤ 50 and otherwise from the normal approximation of Kendall's
 * S = N − 2I with the tie-corrected variance Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 and a
 * continuity correction (Kendall 1948, "Rank correlation methods", ch. 4). Tied predictions are
 * ordered by decreasing value, which counts their pairs as inversions and errs on the side of
 * larger p-values. Fewer than two values, or all of them equal, give 1. ±Infinity is ordered as
 * any other value; NaN, which has no order, is refused.
 *
 * @throws {RangeError} when the two arrays differ in length, or naming the entry when one is NaN
 * (`rankAgreementPValue values[1]: must not be NaN`).
 *
 * @example
 * ```ts
 * import { rankAgreementPValue } from "./ranks.ts";
 * rankAgreementPValue([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]); // 1/120: the only arrangement with 0 inversions
 * rankAgreementPValue([1, 2, 3, 4, 5], [50, 40, 30, 20, 10]); // 1
 * ```
 */
export function rankAgreementPValue(
  predictions: ArrayLike<number>,
  values: ArrayLike<number>,
): number {
  const n = values.length;
  if (predictions.length !== n) {
    throw new RangeError(
      `rankAgreementPValue: ${predictions.length} predictions for ${n} values`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(predictions[i])) {
      throw new RangeError(`rankAgreementPValue predictions[${i}]: must not be NaN`);
    }
    if (Number.isNaN(values[i])) {
      throw new RangeError(`rankAgreementPValue values[${i}]: must not be NaN`);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    predictions[a] - predictions[b] || values[b] - values[a]
  );
  let inversions = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) if (values[order[a]] > values[order[b]]) inversions++;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  const ties = [...counts.values()];
  if (n < 2 || ties.length < 2) return 1;
  if (n > EXACT_RANK_AGREEMENT) {
    let tiedPairs = 0;
    let tieVariance = 0;
    for (const t of ties) {
      tiedPairs += (t * (t - 1)) / 2;
      tieVariance += t * (t - 1) * (2 * t + 5);
    }
    const s = n * (n - 1) / 2 - tiedPairs - 2 * inversions;
    const sd = Math.sqrt((n * (n - 1) * (2 * n + 5) - tieVariance) / 18);
    return Math.min(1, normalCdf((1 - s) / sd));
  }
  // Probability of each inversion count: the product of the normalised q-binomials
  // [M_i choose t_i]_q / C(M_i, t_i), M_i = t_1 + … + t_i.
  let distribution: Float64Array = Float64Array.of(1);
  let size = 0;
  for (const t of ties) {
    const binomial = qBinomialDistribution(t, size);
    size += t;
    const next = new Float64Array(distribution.length + binomial.length - 1);
    for (let i = 0; i < distribution.length; i++) {
      if (distribution[i] === 0) continue;
      for (let j = 0; j < binomial.length; j++) next[i + j] += distribution[i] * binomial[j];
    }
    distribution = next;
  }
  let p = 0;
  for (let j = 0; j <= inversions; j++) p += distribution[j];
  return Math.min(1, p);
}

/**
 * Distribution of the inversions between a run of `a` equal new values and `b` others arranged at
 * random: the q-binomial [a+b choose a]_q normalised by C(a+b, a), by the q-Pascal rule
 * P_{a,b}(j) = a/(a+b)·P_{a−1,b}(j) + b/(a+b)·P_{a,b−1}(j−a), all terms non-negative.
 */
function qBinomialDistribution(a: number, b: number): Float64Array {
  // row[y] holds P_{x,y} for the current x, from x = 0 (a point mass at 0) upwards.
  let row: Float64Array[] = Array.from({ length: b + 1 }, () => Float64Array.of(1));
  for (let x = 1; x <= a; x++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let y = 1; y <= b; y++) {
      const out = new Float64Array(x * y + 1);
      const left = row[y];
      const down = next[y - 1];
      for (let j = 0; j < left.length; j++) out[j] += (x / (x + y)) * left[j];
      for (let j = 0; j < down.length; j++) out[j + x] += (y / (x + y)) * down[j];
      next.push(out);
    }
    row = next;
  }
  return row[b];
}
