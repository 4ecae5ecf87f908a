/**
 * Internal: a strong-Wolfe line search (Nocedal and Wright, "Numerical Optimization", 2nd ed.,
 * Algorithms 3.5 and 3.6: bracketing, then zoom with safeguarded cubic interpolation) along a
 * feasible direction `d`, with steps limited to `[0, maxStep]` so every trial stays in the box.
 *
 * A trial whose value or gradient is not finite is treated as "too far": the bracket's far end
 * moves to it and the next trial is a quarter of the way from the best point towards it, so the
 * search backtracks out of regions where the objective overflows or is undefined.
 *
 * @module
 */
import { dot } from "../linalg/mod.ts";

/** An evaluated point; `value` and `gradient` are finite when `finite` is true. */
export interface Evaluation {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  finite: boolean;
}

/** Constants of the line search (those of scipy's L-BFGS-B for the Wolfe conditions). */
export const LINE_SEARCH = {
  /** Sufficient-decrease (Armijo) constant c₁. */
  armijo: 1e-3,
  /** Curvature constant c₂ of the strong Wolfe condition. */
  curvature: 0.9,
  /** Evaluations per line search before it settles for the best sufficient-decrease point. */
  maxEvaluations: 20,
  /** Expansion factor of the step while no bracket is known. */
  expansion: 4,
  /** Fraction of the bracket kept away from its ends by the interpolation safeguard. */
  safeguard: 0.1,
  /** Fraction of the way towards a non-finite trial at which the next trial is placed. */
  backtrack: 0.25,
} as const;

interface Trial {
  step: number;
  value: number;
  slope: number;
  evaluation?: Evaluation;
}

/**
 * The outcome: the accepted point (if any decrease was found), the evaluations spent, and whether
 * the search stopped because its evaluations ran out (its own limit or the caller's budget) rather
 * than at a Wolfe step, the largest step or a collapsed bracket.
 */
export interface LineSearchResult {
  accepted?: Evaluation;
  evaluations: number;
  exhausted: boolean;
}

/**
 * Searches along `direction` from `start` (whose directional derivative must be negative) for a
 * step satisfying the strong Wolfe conditions; falls back to the best sufficient-decrease point
 * when the evaluation budget runs out or the bracket collapses.
 */
export function wolfeLineSearch(
  evaluate: (x: Float64Array) => Evaluation,
  start: Evaluation,
  direction: Float64Array,
  initialStep: number,
  maxStep: number,
  budget: number,
  lower: Float64Array,
  upper: Float64Array,
): LineSearchResult {
  const slope0 = dot(start.gradient, direction);
  const f0 = start.value;
  const pointAt = (step: number): Float64Array => {
    const x = new Float64Array(start.x.length);
    for (let i = 0; i < x.length; i++) {
      x[i] = Math.min(upper[i], Math.max(lower[i], start.x[i] + step * direction[i]));
    }
    return x;
  };
  let lo: Trial = { step: 0, value: f0, slope: slope0 };
  let hi: Trial | undefined;
  let step = Math.min(initialStep, maxStep);
  const limit = Math.min(budget, LINE_SEARCH.maxEvaluations);
  let evaluations = 0;
  const settle = (exhausted = false): LineSearchResult => ({
    accepted: lo.evaluation,
    evaluations,
    exhausted,
  });

  while (evaluations < limit) {
    const evaluation = evaluate(pointAt(step));
    evaluations++;
    if (!evaluation.finite) {
      hi = { step, value: NaN, slope: NaN };
    } else {
      const trial: Trial = {
        step,
        value: evaluation.value,
        slope: dot(evaluation.gradient, direction),
        evaluation,
      };
      if (trial.value > f0 + LINE_SEARCH.armijo * step * slope0 || trial.value >= lo.value) {
        hi = trial;
      } else {
        if (Math.abs(trial.slope) <= -LINE_SEARCH.curvature * slope0) {
          return { accepted: evaluation, evaluations, exhausted: false };
        }
        const towardsHi = hi === undefined ? 1 : Math.sign(hi.step - lo.step);
        if (trial.slope * towardsHi >= 0) hi = lo;
        lo = trial;
      }
    }
    if (hi === undefined) {
      if (lo.step >= maxStep) return settle();
      step = Math.min(maxStep, LINE_SEARCH.expansion * lo.step);
      continue;
    }
    const width = Math.abs(hi.step - lo.step);
    if (width <= 1e-14 * Math.max(1, Math.abs(lo.step))) return settle();
    step = Number.isFinite(hi.value)
      ? interpolate(lo, hi)
      : lo.step + LINE_SEARCH.backtrack * (hi.step - lo.step);
  }
  return settle(true);
}

/**
 * The minimiser of the cubic matching value and slope at both ends of the bracket, kept at least
 * `safeguard · width` away from either end; bisection when the cubic has no minimiser.
 */
function interpolate(a: Trial, b: Trial): number {
  const d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step);
  const radicand = d1 * d1 - a.slope * b.slope;
  const left = Math.min(a.step, b.step);
  const right = Math.max(a.step, b.step);
  const margin = LINE_SEARCH.safeguard * (right - left);
  let step = 0.5 * (left + right);
  if (radicand >= 0) {
    const d2 = Math.sign(b.step - a.step) * Math.sqrt(radicand);
    const candidate = b.step -
      (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2);
    if (Number.isFinite(candidate)) step = candidate;
  }
  return Math.min(right - margin, Math.max(left + margin, step));
}
