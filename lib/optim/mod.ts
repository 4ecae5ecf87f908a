/**
 * Box-constrained numerical optimisation: L-BFGS-B ({@linkcode lbfgsb}) and multi-start
 * ({@linkcode multiStart}); Adam ({@linkcode AdamState}) for stochastic objectives. Used to fit GP hyperparameters and to maximise acquisition functions.
 *
 * @example
 * ```ts
 * import { lbfgsb } from "./mod.ts";
 * const result = lbfgsb(
 *   (x) => ({ value: (x[0] - 2) ** 2, gradient: Float64Array.of(2 * (x[0] - 2)) }),
 *   Float64Array.of(0),
 *   { lower: Float64Array.of(-1), upper: Float64Array.of(1) },
 * );
 * console.log(result.x[0]); // 1 (the upper bound)
 * ```
 *
 * @module
 */
export {
  type DifferentiableObjective,
  lbfgsb,
  LBFGSB_DEFAULTS,
  type LbfgsbOptions,
  type LbfgsbResult,
} from "./lbfgsb.ts";
export { multiStart, type MultiStartResult } from "./multi_start.ts";
export { AdamState } from "./adam.ts";
