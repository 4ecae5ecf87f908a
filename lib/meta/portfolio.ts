/**
 * Greedy portfolios of configurations (Wistuba, Schilling & Schmidt-Thieme 2015, "Sequential
 * model-free hyperparameter tuning", ICDM): the configurations to evaluate first on a new task,
 * chosen from the past tasks' evaluated configurations without any model.
 *
 * Each past task's values are min–max normalised, `ℓ_j(x) = (f_j(x) − min f_j) / (max f_j − min f_j)`
 * (0 for every trial of a task with `max = min`). Configurations are picked one at a time so that
 * the portfolio `S` minimises the mean over tasks of the best-so-far normalised loss
 *
 *     L(S) = (1/T) Σ_j min_{x ∈ S} ℓ_j(x)
 *
 * (ties go to the first candidate, in task then trial order, so the result is deterministic).
 * A candidate that task j did not evaluate (continuous spaces, where tasks have their own
 * designs) takes the loss of task j's nearest evaluated configuration in the unit cube; in
 * tabular meta-datasets, where every task evaluated the same configurations, this is the exact
 * loss of the paper.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import type { EncodedTask } from "./base_models.ts";
import { float64ArraySchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

/** Options of {@linkcode greedyPortfolio}. */
export interface GreedyPortfolioOptions {
  /** Portfolio size (at most the number of distinct candidates). */
  size: number;
  /**
   * Encoded candidates to choose from (default: every distinct configuration evaluated by a past
   * task, in task then trial order).
   */
  candidates?: readonly Float64Array[];
}

/** A greedy portfolio. */
export interface GreedyPortfolio {
  /** The chosen encoded configurations, in the order of choice. */
  points: Float64Array[];
  /** Mean over tasks of the best-so-far normalised loss after each choice (non-increasing). */
  meanLoss: number[];
}

const optionsSchema = z.strictObject({
  size: positiveIntSchema,
  candidates: z.array(float64ArraySchema).min(1, "must not be empty").optional(),
});

/**
 * Min–max normalised values of a task (0 best, 1 worst; all 0 when max = min). Values whose range
 * overflows (±1e308) are standardised first, an affine map that gives the same scaled values.
 */
export function minMaxNormalise(values: Float64Array): Float64Array {
  let low = Infinity, high = -Infinity;
  for (const v of values) [low, high] = [Math.min(low, v), Math.max(high, v)];
  const scaled = Number.isFinite(high - low) ? values : standardizeTargets(values).scaled;
  low = Infinity, high = -Infinity;
  for (const v of scaled) [low, high] = [Math.min(low, v), Math.max(high, v)];
  return scaled.map((v) => (high > low ? (v - low) / (high - low) : 0));
}

function distance2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

const keyOf = (p: Float64Array): string => Array.prototype.join.call(p, ",");

/**
 * The greedy portfolio of Wistuba et al. (2015) over past tasks (see the module docs).
 *
 * @throws {RangeError} without prior tasks; {@link TypeError} naming a bad option.
 *
 * @example
 * ```ts
 * import { greedyPortfolio } from "./portfolio.ts";
 * const x = [0, 0.5, 1].map((v) => Float64Array.of(v));
 * const tasks = [
 *   { id: "a", points: x, values: Float64Array.of(0, 1, 1) }, // x = 0 is best on a
 *   { id: "b", points: x, values: Float64Array.of(1, 0, 0.5) }, // x = 0.5 is best on b
 *   { id: "c", points: x, values: Float64Array.of(1, 0.2, 0) }, // x = 1 is best on c
 * ];
 * const { points, meanLoss } = greedyPortfolio(tasks, { size: 2 });
 * console.log(points, meanLoss); // [[0.5], [0]], [0.4, 0.0667]
 * ```
 */
export function greedyPortfolio(
  tasks: readonly EncodedTask[],
  options: GreedyPortfolioOptions,
): GreedyPortfolio {
  const parsed = parseOrThrow(optionsSchema, options, "greedyPortfolio options");
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new RangeError("greedyPortfolio: needs at least one prior task");
  }
  let candidates = options.candidates ? [...options.candidates] : undefined;
  if (!candidates) {
    const seen = new Set<string>();
    candidates = tasks.flatMap((t) =>
      t.points.filter((p: Float64Array) => {
        const key = keyOf(p);
        return seen.has(key) ? false : (seen.add(key), true);
      })
    );
  }
  const normalised = tasks.map((t) => minMaxNormalise(t.values));
  // losses[c][j]: task j's normalised value at candidate c (exact match, else nearest trial).
  const losses = candidates.map(() => new Float64Array(tasks.length));
  tasks.forEach((t, j) => {
    const index = new Map<string, number>();
    t.points.forEach((p: Float64Array, i: number) => {
      const key = keyOf(p);
      if (!index.has(key)) index.set(key, i);
    });
    candidates.forEach((c, k) => {
      let nearest = index.get(keyOf(c));
      if (nearest === undefined) {
        let bestD = Infinity;
        t.points.forEach((p: Float64Array, i: number) => {
          const d = distance2(c, p);
          if (d < bestD) [nearest, bestD] = [i, d];
        });
      }
      losses[k][j] = normalised[j][nearest ?? 0];
    });
  });
  const reached = new Float64Array(tasks.length).fill(1);
  const used = new Uint8Array(candidates.length);
  const points: Float64Array[] = [], meanLoss: number[] = [];
  while (points.length < Math.min(parsed.size, candidates.length)) {
    let pick = -1, pickScore = Infinity;
    losses.forEach((row, k) => {
      if (used[k]) return;
      let score = 0;
      for (let j = 0; j < row.length; j++) score += Math.min(reached[j], row[j]);
      if (pick < 0 || score < pickScore) [pick, pickScore] = [k, score];
    });
    used[pick] = 1;
    losses[pick].forEach((s, j) => (reached[j] = Math.min(reached[j], s)));
    points.push(candidates[pick]);
    meanLoss.push(pickScore / tasks.length);
  }
  return { points, meanLoss };
}
