/**
 * L-BFGS-B: limited-memory quasi-Newton minimisation under box constraints `lower ≤ x ≤ upper`
 * (Byrd, Lu, Nocedal and Zhu, "A limited memory algorithm for bound constrained optimization",
 * SIAM J. Sci. Comput. 16(5), 1995; with the subspace-step projection of Morales and Nocedal,
 * "Remark on Algorithm 778", ACM TOMS 38(1), 2011, as in L-BFGS-B 3.0 used by scipy).
 *
 * Each iteration
 * 1. finds the generalized Cauchy point: the first local minimiser of the quadratic model along the
 *    projected steepest-descent path, scanning the breakpoints where variables hit their bounds;
 * 2. minimises the model over the variables still free there (direct primal method with the
 *    compact representation `B = θI − W M Wᵀ`), projects that step onto the box and keeps it if it
 *    is a descent direction, otherwise backtracks it into the box;
 * 3. runs a strong-Wolfe line search (bracketing + cubic zoom) towards that point, never leaving
 *    the box, and backtracking out of non-finite objective values.
 * A failed line search or a non-descent direction discards the memory and retries once with the
 * projected steepest-descent path before giving up.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { dot, solveDense } from "../linalg/mod.ts";
import { LimitedMemory } from "./_limited_memory.ts";
import { type Evaluation, wolfeLineSearch } from "./_line_search.ts";
import { float64ArraySchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

/** A differentiable objective: its value and gradient at a point (the point must not be kept). */
export type DifferentiableObjective = (x: Float64Array) => {
  value: number;
  gradient: Float64Array;
};

/** Options of {@linkcode lbfgsb}; every field is optional, see {@linkcode LBFGSB_DEFAULTS}. */
export interface LbfgsbOptions {
  /** Lower bounds, one per variable; `-Infinity` for none (default: no lower bounds). */
  lower?: Float64Array;
  /** Upper bounds, one per variable; `Infinity` for none (default: no upper bounds). */
  upper?: Float64Array;
  /** Maximum number of iterations. */
  maxIterations?: number;
  /** Number of correction pairs kept (the `m` of L-BFGS). */
  memory?: number;
  /** Stop when the infinity norm of the projected gradient is at most this. */
  gradientTolerance?: number;
  /** Stop when `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` is at most this. */
  relativeTolerance?: number;
  /** Maximum number of objective evaluations. */
  maxEvaluations?: number;
}

/** The outcome of {@linkcode lbfgsb}. */
export interface LbfgsbResult {
  /** The best point found (always inside the box). */
  x: Float64Array;
  /** The objective value at `x`. */
  value: number;
  /** The gradient at `x`. */
  gradient: Float64Array;
  /** Number of completed iterations (accepted steps). */
  iterations: number;
  /** Number of objective evaluations. */
  evaluations: number;
  /**
   * True when a tolerance test stopped the run: not a budget, a failure, a non-finite start, or a
   * small reduction after a line search that ran out of evaluations.
   */
  converged: boolean;
  /** Why the run stopped. */
  message: string;
}

/**
 * Defaults of {@linkcode lbfgsb}, equal to scipy's `minimize(method="L-BFGS-B")` defaults:
 * `maxIterations` 15000, `memory` 10, `gradientTolerance` 1e-5 (scipy's `gtol`),
 * `relativeTolerance` 2.220446049250313e-9 (scipy's `ftol`, i.e. `factr = 1e7` times machine
 * epsilon), `maxEvaluations` 15000.
 *
 * @example
 * ```ts
 * import { LBFGSB_DEFAULTS } from "./lbfgsb.ts";
 * console.log(LBFGSB_DEFAULTS.memory); // 10
 * ```
 */
export const LBFGSB_DEFAULTS: Readonly<Required<Omit<LbfgsbOptions, "lower" | "upper">>> = Object
  .freeze({
    maxIterations: 15000,
    memory: 10,
    gradientTolerance: 1e-5,
    relativeTolerance: 2.220446049250313e-9,
    maxEvaluations: 15000,
  });

const optionsSchema = z.strictObject({
  lower: float64ArraySchema.optional(),
  upper: float64ArraySchema.optional(),
  maxIterations: positiveIntSchema.optional(),
  memory: positiveIntSchema.optional(),
  gradientTolerance: z.number().nonnegative("must be >= 0").optional(),
  relativeTolerance: z.number().nonnegative("must be >= 0").optional(),
  maxEvaluations: positiveIntSchema.optional(),
});

/** A validated problem: the box and the settings. */
interface Problem {
  lower: Float64Array;
  upper: Float64Array;
  settings: Required<Omit<LbfgsbOptions, "lower" | "upper">>;
}

function validate(x0: unknown, options: unknown, label: string): Problem {
  const point = parseOrThrow(float64ArraySchema, x0, `${label}: x0`);
  if (point.length === 0) throw new RangeError(`${label}: x0: must have at least one entry`);
  for (let i = 0; i < point.length; i++) {
    if (Number.isNaN(point[i])) throw new RangeError(`${label}: x0[${i}]: must not be NaN`);
  }
  const parsed = parseOrThrow(optionsSchema, options ?? {}, `${label}: options`);
  const n = point.length;
  const bound = (value: Float64Array | undefined, name: string, fill: number): Float64Array => {
    if (value === undefined) return new Float64Array(n).fill(fill);
    if (value.length !== n) {
      throw new RangeError(
        `${label}: options.${name}: length ${value.length} does not match x0 length ${n}`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(value[i])) {
        throw new RangeError(`${label}: options.${name}[${i}]: must not be NaN`);
      }
    }
    return value.slice();
  };
  const lower = bound(parsed.lower, "lower", -Infinity);
  const upper = bound(parsed.upper, "upper", Infinity);
  for (let i = 0; i < n; i++) {
    if (lower[i] > upper[i]) {
      throw new RangeError(
        `${label}: options.lower[${i}]: must be <= options.upper[${i}] (${lower[i]} > ${upper[i]})`,
      );
    }
    if (lower[i] === Infinity || upper[i] === -Infinity) {
      throw new RangeError(`${label}: options bounds [${i}]: the box is empty`);
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(Math.min(upper[i], Math.max(lower[i], point[i])))) {
      throw new RangeError(`${label}: x0[${i}]: must be finite (or clipped by a finite bound)`);
    }
  }
  const { lower: _l, upper: _u, ...rest } = parsed;
  return { lower, upper, settings: { ...LBFGSB_DEFAULTS, ...rest } };
}

/**
 * Minimises a smooth function subject to `lower ≤ x ≤ upper` with L-BFGS-B (generalized Cauchy
 * point + subspace minimisation + strong-Wolfe line search, see the module documentation).
 *
 * The start is projected into the box. Bounds may be infinite (unbounded variables) or equal
 * (fixed variables). Non-finite objective values met during a line search make it backtrack; a
 * non-finite value at the (projected) start ends the run with `converged: false`.
 *
 * @param objective Returns the value and gradient at a point (the point is a fresh copy).
 * @param x0 The starting point; its length fixes the dimension.
 * @param options Bounds and stopping rules; defaults in {@linkcode LBFGSB_DEFAULTS}.
 * @returns The best point found, its value and gradient, counts and the reason for stopping.
 * @throws {TypeError | RangeError} On a bad `x0` (empty, NaN) or bad options (bad bound lengths,
 *   `lower > upper`, non-integer budgets); the message names the field.
 *
 * @example
 * ```ts
 * import { lbfgsb } from "./lbfgsb.ts";
 * // minimise (x − 3)² + (y + 1)² with x ≤ 2: the solution is (2, −1)
 * const result = lbfgsb(
 *   (p) => ({
 *     value: (p[0] - 3) ** 2 + (p[1] + 1) ** 2,
 *     gradient: Float64Array.of(2 * (p[0] - 3), 2 * (p[1] + 1)),
 *   }),
 *   Float64Array.of(0, 0),
 *   { upper: Float64Array.of(2, Infinity) },
 * );
 * console.log(result.x, result.converged); // ≈ [2, -1], true
 * ```
 */
export function lbfgsb(
  objective: DifferentiableObjective,
  x0: Float64Array,
  options?: LbfgsbOptions,
): LbfgsbResult {
  if (typeof objective !== "function") throw new TypeError("lbfgsb: objective: must be a function");
  const { lower, upper, settings } = validate(x0, options, "lbfgsb");
  return run(objective, x0, lower, upper, settings);
}

function run(
  objective: DifferentiableObjective,
  x0: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  settings: Problem["settings"],
): LbfgsbResult {
  const n = x0.length;
  let evaluations = 0;
  const evaluate = (x: Float64Array): Evaluation => {
    evaluations++;
    const out = objective(x.slice());
    const gradient = out.gradient;
    if (!(gradient instanceof Float64Array) || gradient.length !== n) {
      throw new TypeError(
        `lbfgsb: objective: must return a Float64Array gradient of length ${n}`,
      );
    }
    const finite = Number.isFinite(out.value) && gradient.every(Number.isFinite);
    return { x, value: out.value, gradient: gradient.slice(), finite };
  };

  let current = evaluate(project(x0, lower, upper));
  let iterations = 0;
  const finish = (converged: boolean, message: string): LbfgsbResult => ({
    x: current.x,
    value: current.value,
    gradient: current.gradient,
    iterations,
    evaluations,
    converged,
    message,
  });
  if (!current.finite) return finish(false, "objective or gradient not finite at the start point");
  if (projectedGradientNorm(current, lower, upper) <= settings.gradientTolerance) {
    return finish(true, "projected gradient norm <= gradientTolerance");
  }

  const constrained = lower.some(Number.isFinite) || upper.some(Number.isFinite);
  const boxed = lower.every(Number.isFinite) && upper.every(Number.isFinite);
  const memory = new LimitedMemory(n, settings.memory);
  while (true) {
    if (iterations >= settings.maxIterations) return finish(false, "maxIterations reached");
    if (evaluations >= settings.maxEvaluations) return finish(false, "maxEvaluations reached");

    const cauchy = cauchyPoint(current, lower, upper, memory);
    const target = memory.size > 0
      ? subspaceMinimum(current, cauchy, lower, upper, memory)
      : cauchy.point;
    const direction = new Float64Array(n);
    let directionNorm = 0;
    for (let i = 0; i < n; i++) {
      direction[i] = target[i] - current.x[i];
      directionNorm += direction[i] * direction[i];
    }
    directionNorm = Math.sqrt(directionNorm);
    if (!(dot(current.gradient, direction) < 0)) {
      if (memory.size > 0) {
        memory.reset();
        continue;
      }
      return finish(false, "no descent direction (the projected gradient is numerically zero)");
    }

    // The first iteration's step rule, as scipy's L-BFGS-B (`lnsrlb`): at most 1 in a box, and
    // 1/‖d‖ first without one. Later iterations, with the memory emptied or not, start at 1 and
    // may extrapolate up to the box's edge.
    const first = iterations === 0;
    const maxStep = first && constrained ? 1 : feasibleStep(current.x, direction, lower, upper);
    const initialStep = first && !boxed ? Math.min(1 / directionNorm, maxStep) : 1;
    const search = wolfeLineSearch(
      evaluate,
      current,
      direction,
      initialStep,
      maxStep,
      settings.maxEvaluations - evaluations,
      lower,
      upper,
    );
    const accepted = search.accepted;
    if (accepted === undefined) {
      if (evaluations >= settings.maxEvaluations) return finish(false, "maxEvaluations reached");
      if (memory.size > 0) {
        memory.reset();
        continue;
      }
      return finish(false, "line search failed to find a decrease");
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = accepted.x[i] - current.x[i];
      y[i] = accepted.gradient[i] - current.gradient[i];
    }
    const previousValue = current.value;
    current = accepted;
    iterations++;
    if (projectedGradientNorm(current, lower, upper) <= settings.gradientTolerance) {
      return finish(true, "projected gradient norm <= gradientTolerance");
    }
    const scale = Math.max(Math.abs(previousValue), Math.abs(current.value), 1);
    if ((previousValue - current.value) / scale <= settings.relativeTolerance) {
      // A small reduction is convergence only after a completed line search: one cut short by
      // its evaluations (next to a non-finite region, or at the end of the budget) may have
      // taken a tiny step far from a stationary point.
      if (!search.exhausted) {
        return finish(true, "relative reduction of the objective <= relativeTolerance");
      }
      return finish(
        false,
        evaluations >= settings.maxEvaluations
          ? "maxEvaluations reached"
          : "line search ran out of evaluations (relative reduction <= relativeTolerance)",
      );
    }
    memory.update(s, y);
  }
}

/** The projection of `x` onto the box. */
function project(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  return x.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
}

/** ‖P(x − g) − x‖∞: zero exactly at a first-order (KKT) point of the box-constrained problem. */
function projectedGradientNorm(
  point: Evaluation,
  lower: Float64Array,
  upper: Float64Array,
): number {
  let norm = 0;
  for (let i = 0; i < point.x.length; i++) {
    const g = point.gradient[i];
    const component = g < 0
      ? Math.max(point.x[i] - upper[i], g)
      : Math.min(point.x[i] - lower[i], g);
    norm = Math.max(norm, Math.abs(component));
  }
  return norm;
}

/** The largest step `t` with `x + t·d` inside the box (`Infinity` if unbounded along `d`). */
function feasibleStep(
  x: Float64Array,
  direction: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): number {
  let step = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (direction[i] > 0) step = Math.min(step, (upper[i] - x[i]) / direction[i]);
    else if (direction[i] < 0) step = Math.min(step, (lower[i] - x[i]) / direction[i]);
  }
  return Math.max(step, 0) === Infinity ? 1e10 : Math.max(step, 0);
}

interface CauchyPoint {
  point: Float64Array;
  /** `c = Wᵀ(x_cp − x)`, needed by the subspace minimisation. */
  c: Float64Array;
}

/**
 * The generalized Cauchy point (Algorithm CP of Byrd et al. 1995): the first local minimiser of
 * the quadratic model `gᵀ(z − x) + ½(z − x)ᵀB(z − x)` along the projected path `P(x − t g)`.
 */
function cauchyPoint(
  current: Evaluation,
  lower: Float64Array,
  upper: Float64Array,
  memory: LimitedMemory,
): CauchyPoint {
  const { x, gradient: g } = current;
  const n = x.length;
  const k2 = 2 * memory.size;
  const theta = memory.theta;
  const breakpoints = new Float64Array(n);
  const d = new Float64Array(n);
  const point = x.slice();
  let squaredNorm = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    let t = Infinity;
    if (gi < 0 && upper[i] < Infinity) t = (x[i] - upper[i]) / gi;
    else if (gi > 0 && lower[i] > -Infinity) t = (x[i] - lower[i]) / gi;
    breakpoints[i] = t;
    d[i] = t === 0 ? 0 : -gi;
    squaredNorm += d[i] * d[i];
  }
  const row = new Float64Array(k2);
  const p = new Float64Array(k2);
  for (let i = 0; i < n; i++) {
    if (d[i] === 0) continue;
    memory.row(i, row);
    for (let j = 0; j < k2; j++) p[j] += row[j] * d[i];
  }
  const c = new Float64Array(k2);
  const mp = memory.multiplyMiddle(p, new Float64Array(k2));
  let slope = -squaredNorm;
  let curvature = theta * squaredNorm - dot(p, mp);
  const curvatureFloor = Number.EPSILON * curvature;
  curvature = Math.max(curvature, curvatureFloor, Number.MIN_VALUE);
  let stepToMinimum = -slope / curvature;
  let travelled = 0;

  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    if (d[i] !== 0 && breakpoints[i] < Infinity) order.push(i);
  }
  order.sort((a, b) => breakpoints[a] - breakpoints[b]);
  const mc = new Float64Array(k2);
  const mw = new Float64Array(k2);
  for (const b of order) {
    const segment = breakpoints[b] - travelled;
    if (stepToMinimum < segment) break;
    point[b] = d[b] > 0 ? upper[b] : lower[b];
    const z = point[b] - x[b];
    for (let j = 0; j < k2; j++) c[j] += segment * p[j];
    const gb = g[b];
    memory.row(b, row);
    memory.multiplyMiddle(c, mc);
    memory.multiplyMiddle(p, mp);
    memory.multiplyMiddle(row, mw);
    slope += segment * curvature + gb * gb + theta * gb * z - gb * dot(row, mc);
    curvature -= theta * gb * gb + 2 * gb * dot(row, mp) + gb * gb * dot(row, mw);
    curvature = Math.max(curvature, curvatureFloor, Number.MIN_VALUE);
    for (let j = 0; j < k2; j++) p[j] += gb * row[j];
    d[b] = 0;
    stepToMinimum = -slope / curvature;
    travelled = breakpoints[b];
  }
  stepToMinimum = Math.max(stepToMinimum, 0);
  const total = travelled + stepToMinimum;
  for (let i = 0; i < n; i++) {
    if (d[i] !== 0) point[i] = Math.min(upper[i], Math.max(lower[i], x[i] + total * d[i]));
  }
  for (let j = 0; j < k2; j++) c[j] += stepToMinimum * p[j];
  return { point, c };
}

/**
 * Minimises the quadratic model over the variables that are free at the Cauchy point (direct
 * primal method of Byrd et al. 1995, section 5.1), then projects the result onto the box and
 * keeps it if it is a descent direction from `x` (Morales and Nocedal 2011); otherwise truncates
 * the subspace step so it stays inside the box.
 */
function subspaceMinimum(
  current: Evaluation,
  cauchy: CauchyPoint,
  lower: Float64Array,
  upper: Float64Array,
  memory: LimitedMemory,
): Float64Array {
  const { x, gradient: g } = current;
  const xcp = cauchy.point;
  const n = x.length;
  const k2 = 2 * memory.size;
  const theta = memory.theta;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (lower[i] < xcp[i] && xcp[i] < upper[i]) free.push(i);
  if (free.length === 0) return xcp;

  const mc = memory.multiplyMiddle(cauchy.c, new Float64Array(k2));
  const rows = free.map((i) => memory.row(i, new Float64Array(k2)));
  const reduced = new Float64Array(free.length);
  const v = new Float64Array(k2);
  const gram = new Float64Array(k2 * k2);
  free.forEach((i, f) => {
    const w = rows[f];
    reduced[f] = g[i] + theta * (xcp[i] - x[i]) - dot(w, mc);
    for (let a = 0; a < k2; a++) {
      v[a] += w[a] * reduced[f];
      for (let b = 0; b < k2; b++) gram[a * k2 + b] += w[a] * w[b];
    }
  });
  const mv = memory.multiplyMiddle(v, new Float64Array(k2));
  // N = I − (1/θ) M (WᵀZZᵀW); the subspace Newton step is −r/θ − Zᵀ W N⁻¹ M Wᵀ Z r / θ².
  const m = memory.middle;
  const system = new Float64Array(k2 * k2);
  for (let a = 0; a < k2; a++) {
    for (let b = 0; b < k2; b++) {
      let sum = 0;
      for (let l = 0; l < k2; l++) sum += m[a * k2 + l] * gram[l * k2 + b];
      system[a * k2 + b] = (a === b ? 1 : 0) - sum / theta;
    }
  }
  const solved = solveDense(system, mv, k2);
  if (solved === undefined) return xcp;
  const step = new Float64Array(free.length);
  free.forEach((_, f) => {
    step[f] = -reduced[f] / theta - dot(rows[f], solved) / (theta * theta);
  });

  const projected = xcp.slice();
  let descent = 0;
  free.forEach((i, f) => {
    projected[i] = Math.min(upper[i], Math.max(lower[i], xcp[i] + step[f]));
  });
  for (let i = 0; i < n; i++) descent += (projected[i] - x[i]) * g[i];
  if (descent <= 0) return projected;

  let fraction = 1;
  free.forEach((i, f) => {
    if (step[f] < 0) fraction = Math.min(fraction, (lower[i] - xcp[i]) / step[f]);
    else if (step[f] > 0) fraction = Math.min(fraction, (upper[i] - xcp[i]) / step[f]);
  });
  const truncated = xcp.slice();
  free.forEach((i, f) => {
    truncated[i] = Math.min(upper[i], Math.max(lower[i], xcp[i] + fraction * step[f]));
  });
  return truncated;
}
