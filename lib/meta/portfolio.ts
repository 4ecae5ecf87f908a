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
 * loss of the paper. A configuration that task j evaluated more than once counts with its best
 * trial, `ℓ_j(x) = min_i ℓ_j(x_i)` over the trials `x_i = x`, as a task's best configuration is
 * its best trial (`warmStartPoints`), so that the portfolio does not depend on the order of the
 * trials.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import type { EncodedTask } from "./base_models.ts";
import { checkPoints, float64ArraySchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

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

const keyOf = (p: Float64Array): string => Array.prototype.join.call(p, ",");

/**
 * A k-d tree over `n` points of dimension `dim` with finite coordinates (point i's at `i · dim` in
 * `coords`): median splits on the widest coordinate, down to leaves of at most `leafSize` points.
 * `order` lists the points' indices so that each node's points are `order[lo[node]]` to
 * `order[hi[node] − 1]`; the root is node 0, a leaf has `axis` −1, and an inner node's points in
 * `left` lie on or below `split` on `axis`, those in `right` on or above it.
 */
function kdTree(coords: Float64Array, n: number, dim: number, leafSize: number) {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const value = (r: number, axis: number) => coords[order[r] * dim + axis];
  const swap = (r: number, s: number) => ([order[r], order[s]] = [order[s], order[r]]);
  // Reorders order[lo..hi) so that position m holds the median on `axis`, with no greater value
  // before it and no smaller one after it (quickselect, three-way partitions for ties).
  const select = (lo: number, hi: number, m: number, axis: number) => {
    while (hi - lo > 1) {
      const [x, y, z] = [value(lo, axis), value((lo + hi) >> 1, axis), value(hi - 1, axis)];
      const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
      let [lt, i, gt] = [lo, lo, hi];
      while (i < gt) {
        const v = value(i, axis);
        if (v < pivot) swap(lt++, i++);
        else if (v > pivot) swap(i, --gt);
        else i++;
      }
      if (m < lt) hi = lt;
      else if (m >= gt) lo = gt;
      else return;
    }
  };
  const nodes: number[][] = []; // [axis, split, lo, hi, left, right]
  const build = (lo: number, hi: number): number => {
    const node = nodes.length;
    let axis = -1, spread = 0;
    for (let a = 0; hi - lo > leafSize && a < dim; a++) {
      let low = Infinity, high = -Infinity;
      for (let r = lo; r < hi; r++) {
        const v = value(r, a);
        if (v < low) low = v;
        if (v > high) high = v;
      }
      if (high - low > spread) [axis, spread] = [a, high - low];
    }
    nodes.push([axis, 0, lo, hi, -1, -1]);
    if (axis < 0) return node;
    const mid = (lo + hi) >> 1;
    select(lo, hi, mid, axis);
    nodes[node][1] = value(mid, axis);
    nodes[node][4] = build(lo, mid);
    nodes[node][5] = build(mid, hi);
    return node;
  };
  build(0, n);
  const field = (f: number) => Int32Array.from(nodes, (node) => node[f]);
  return {
    order,
    axis: field(0),
    split: Float64Array.from(nodes, (node) => node[1]),
    lo: field(2),
    hi: field(3),
    left: field(4),
    right: field(5),
  };
}

/**
 * A nearest-trial finder over one task's trials, all of dimension `dim` with finite coordinates:
 * for a finite point `c` of that dimension at `offset` in `coords`, `find(coords, offset)` is the
 * index of the trial at the smallest squared Euclidean distance Σ_a (c[a] − p[a])², summed over
 * the coordinates in order (the lowest index among equally near trials; −1 when no distance is
 * finite), as a scan of the trials in order finds it. With enough trials for the dimension (at
 * least 2^(dim + 1)) a k-d tree skips a cell only when its distance bound exceeds the best
 * distance by more than the rounding of either, so that a trial at an equal distance is never
 * skipped.
 */
function nearestTrialFinder(
  points: readonly Float64Array[],
  dim: number,
): (coords: Float64Array, offset: number) => number {
  const n = points.length, trials = new Float64Array(n * dim);
  points.forEach((p, i) => trials.set(p, i * dim));
  const tree = kdTree(trials, n, dim, n < 2 ** (dim + 1) ? n : 8);
  const { order, axis: axes, split: splits, lo: los, hi: his, left: lefts, right: rights } = tree;
  order.forEach((i, r) => trials.set(points[i], r * dim)); // now in tree order
  // offsets[a]: a lower bound on |c[a] − p[a]| for every trial p of the cell being searched.
  const offsets = new Float64Array(dim);
  const found = Float64Array.of(Infinity, -1); // best distance, its trial
  const slack = 1 + 1e-12 * (dim + 1);
  const search = (node: number, c: Float64Array, at: number): void => {
    const axis = axes[node];
    if (axis < 0) {
      let best = found[0], nearest = found[1];
      for (let r = los[node]; r < his[node]; r++) {
        let d = 0;
        for (let a = 0, o = r * dim; a < dim; a++) d += (c[at + a] - trials[o + a]) ** 2;
        if (d < best || (d === best && order[r] < nearest)) {
          best = d;
          nearest = order[r];
        }
      }
      found[0] = best;
      found[1] = nearest;
      return;
    }
    const diff = c[at + axis] - splits[node];
    const below = diff <= 0;
    search(below ? lefts[node] : rights[node], c, at);
    // Across the split, every trial is at least |diff| away on this coordinate; the far cell is
    // searched unless its bound exceeds the best distance by more than rounding could account for.
    const previous = offsets[axis];
    offsets[axis] = diff;
    let bound = 0;
    for (let a = 0; a < dim; a++) bound += offsets[a] * offsets[a];
    if (!(bound > found[0] * slack + 1e-300)) search(below ? rights[node] : lefts[node], c, at);
    offsets[axis] = previous;
  };
  return (coords, offset) => {
    found[0] = Infinity;
    found[1] = -1;
    search(0, coords, offset);
    return found[1];
  };
}

/**
 * Each trial's normalised value replaced by the best (lowest) one among the task's trials of the
 * same configuration (the same key), so that a configuration evaluated more than once counts with
 * its best trial whichever of its trials is looked up; the values themselves when no
 * configuration is repeated.
 */
function bestOfRepeats(keys: readonly string[], normalised: Float64Array): Float64Array {
  const best = new Map<string, number>();
  keys.forEach((key, i) => {
    const seen = best.get(key);
    if (seen === undefined || normalised[i] < seen) best.set(key, normalised[i]);
  });
  return best.size === keys.length ? normalised : Float64Array.from(keys, (key) => best.get(key)!);
}

/**
 * `losses[j · C + k]`: task j's normalised value at candidate k (of C): at the candidate when the
 * task evaluated it, else at its nearest trial (the first of equally near ones; trial 0 when no
 * distance is finite), the best of the task's trials of that configuration either way. One pass
 * per task: exact matches through the candidates' keys, nearest trials through a k-d tree of the
 * task's trials, asked in the candidates' own k-d tree order (nearby candidates one after the
 * other). Every point (trial or candidate) has `dim` finite coordinates (checked by the caller).
 */
function lossMatrix(
  tasks: readonly EncodedTask[],
  candidates: readonly Float64Array[],
  dim: number,
  trialKeys: readonly string[][],
  normalised: readonly Float64Array[],
): Float64Array {
  const T = tasks.length, C = candidates.length;
  const keyIds = new Map<string, number>();
  const candidateKey = Int32Array.from(candidates, (c) => {
    const key = keyOf(c);
    let id = keyIds.get(key);
    if (id === undefined) keyIds.set(key, id = keyIds.size);
    return id;
  });
  const coords = new Float64Array(C * dim);
  candidates.forEach((c, k) => coords.set(c, k * dim));
  const sorted = kdTree(coords, C, dim, 8).order;
  sorted.forEach((k, r) => coords.set(candidates[k], r * dim)); // now in tree order
  const firstTrial = new Int32Array(keyIds.size).fill(-1);
  const losses = new Float64Array(C * T);
  tasks.forEach((t, j) => {
    const touched: number[] = [];
    trialKeys[j].forEach((key, i) => {
      const id = keyIds.get(key);
      if (id !== undefined && firstTrial[id] < 0) touched.push(id), firstTrial[id] = i;
    });
    const find = nearestTrialFinder(t.points, dim);
    const best = bestOfRepeats(trialKeys[j], normalised[j]);
    sorted.forEach((k, r) => {
      let nearest = firstTrial[candidateKey[k]];
      if (nearest < 0) nearest = find(coords, r * dim);
      losses[j * C + k] = best[nearest < 0 ? 0 : nearest];
    });
    for (const id of touched) firstTrial[id] = -1;
  });
  return losses;
}

/** How past tasks become what {@linkcode greedyPortfolio} takes, for its error messages. */
const ENCODE_HINT = "encode past tasks first: encodePriorTasks(store, space), for a TaskStore " +
  "or a list of { id, trials }";

/**
 * @internal Refuses anything but a non-empty list of encoded tasks (`{ id, points, values }`),
 * saying how to encode a `TaskStore` or its tasks; each task needs at least one point, every
 * point the first one's number of finite coordinates, and one finite value per point. Returns
 * that dimension. Errors start with `label` (`greedyPortfolio tasks`) and name the field:
 * `greedyPortfolio tasks[1].points[0]: expected 2 coordinates, got 1`,
 * `greedyPortfolio tasks[0].values[1]: must be finite, got NaN`.
 *
 * @example
 * ```ts
 * import { checkEncodedTasks } from "./portfolio.ts";
 * const task = { id: "a", points: [Float64Array.of(0.2, 0.4)], values: Float64Array.of(1) };
 * checkEncodedTasks([task], "tasks"); // 2
 * ```
 */
export function checkEncodedTasks(tasks: unknown, label: string): number {
  if (!Array.isArray(tasks)) {
    const what = tasks === null
      ? "null"
      : typeof tasks !== "object"
      ? typeof tasks
      : tasks.constructor?.name === "TaskStore"
      ? "a TaskStore"
      : "an object";
    throw new TypeError(
      `${label}: must be an array of encoded tasks { id, points, values }, got ${what}; ${ENCODE_HINT}`,
    );
  }
  if (tasks.length === 0) {
    throw new RangeError(`${label}: needs at least one prior task`);
  }
  let dim = -1;
  tasks.forEach((task: unknown, j) => {
    const where = `${label}[${j}]`;
    if (task === null || typeof task !== "object") {
      throw new TypeError(
        `${where}: must be an encoded task { id, points, values }, got ${
          task === null ? "null" : typeof task
        }; ${ENCODE_HINT}`,
      );
    }
    const { points, values, trials } = task as Record<string, unknown>;
    if (!Array.isArray(points)) {
      throw new TypeError(
        Array.isArray(trials)
          ? `${where}: must be an encoded task { id, points, values }, got a task with trials; ${ENCODE_HINT}`
          : `${where}.points: must be an array of encoded configurations (Float64Array)`,
      );
    }
    if (!(values instanceof Float64Array) && !Array.isArray(values)) {
      throw new TypeError(`${where}.values: must be a Float64Array of the trials' values`);
    }
    if (dim < 0 && points[0] instanceof Float64Array) dim = points[0].length;
    checkPoints(points, dim, `${where}.points`, { finite: true, nonEmpty: true });
    if (values.length !== points.length) {
      throw new RangeError(
        `${where}.values: expected ${points.length} (one per point), got ${values.length}`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new RangeError(`${where}.values[${i}]: must be finite, got ${values[i]}`);
      }
    }
  });
  return dim;
}

/**
 * The greedy portfolio of Wistuba et al. (2015) over past tasks (see the module docs).
 *
 * The losses of every candidate on every task are computed once (a candidates × tasks matrix);
 * each choice then scans that matrix.
 *
 * @param tasks The past tasks, encoded: `encodePriorTasks(store, space)` for a `TaskStore` (or a
 * list of `{ id, trials }`). `PreparedPrior.from(store, space).portfolio(size)` gives the
 * portfolio of a prior prepared for `transferOptions`, cached.
 * @param options The size, and optionally the candidates.
 * @throws {TypeError} naming the argument when `tasks` is not a list of encoded tasks (e.g. a
 * `TaskStore` or its `tasks`: `greedyPortfolio tasks[0]: must be an encoded task { id, points,
 * values }, got a task with trials; encode past tasks first: encodePriorTasks(store, space), …`),
 * or naming a bad option.
 * @throws {RangeError} without prior tasks, or naming the field of a task without points, of a
 * point or candidate whose dimension differs from the first point's or with a non-finite
 * coordinate (`greedyPortfolio options.candidates[0]: expected 1 coordinate, got 2`), or of a
 * task whose values are not one finite number per point (`greedyPortfolio tasks[0].values[1]:
 * must be finite, got NaN`).
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
  const dim = checkEncodedTasks(tasks, "greedyPortfolio tasks");
  if (parsed.candidates) {
    checkPoints(parsed.candidates, dim, "greedyPortfolio options.candidates", { finite: true });
  }
  const trialKeys = tasks.map((t) => t.points.map(keyOf));
  let candidates = options.candidates ? [...options.candidates] : undefined;
  if (!candidates) {
    const seen = new Set<string>();
    candidates = tasks.flatMap((t, j) =>
      t.points.filter((_: Float64Array, i: number) => {
        const key = trialKeys[j][i];
        return seen.has(key) ? false : (seen.add(key), true);
      })
    );
  }
  const T = tasks.length, C = candidates.length;
  const normalised = tasks.map((t) => minMaxNormalise(t.values));
  const losses = lossMatrix(tasks, candidates, dim, trialKeys, normalised);
  const reached = new Float64Array(T).fill(1);
  const used = new Uint8Array(C);
  const scores = new Float64Array(C);
  const points: Float64Array[] = [], meanLoss: number[] = [];
  while (points.length < Math.min(parsed.size, C)) {
    // Each score is summed over the tasks in order, one task (a column of the matrix) at a time.
    scores.fill(0);
    for (let j = 0; j < T; j++) {
      const r = reached[j];
      for (let k = 0, o = j * C; k < C; k++) scores[k] += Math.min(r, losses[o + k]);
    }
    let pick = -1, pickScore = Infinity;
    for (let k = 0; k < C; k++) {
      if (!used[k] && (pick < 0 || scores[k] < pickScore)) [pick, pickScore] = [k, scores[k]];
    }
    used[pick] = 1;
    for (let j = 0; j < T; j++) reached[j] = Math.min(reached[j], losses[j * C + pick]);
    points.push(candidates[pick]);
    meanLoss.push(pickScore / T);
  }
  return { points, meanLoss };
}
