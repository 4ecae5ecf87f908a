/**
 * Rankings of methods across problems (HPO-B style average ranks) and best-so-far curves.
 *
 * @module
 */

/**
 * Running minimum of a sequence (best value so far), NaN entries skipped.
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
 * rank). `scores[p][m]` is method m's score on problem p.
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
  const order = Array.from(row.keys()).sort((a, b) => row[a] - row[b]);
  const ranks = new Array<number>(row.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && row[order[j + 1]] === row[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}
