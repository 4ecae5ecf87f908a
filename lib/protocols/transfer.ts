/**
 * Leave-one-task-out transfer benchmarks on one's own meta-data, without TensorFlow.js: the
 * transfer part of `./protocols` (`lib/protocols/mod.ts`, whose SMBO-vs-MAML protocols load
 * TensorFlow.js). `tabularProblems` turns tables of evaluated configurations into pool-mode
 * problems, `leaveOneTaskOut` holds each task out in turn, and `summariseTransferRuns` gives mean
 * normalised regret with 95% intervals over tasks and average ranks; `transferCurveFigure` draws
 * that mean regret against the evaluations with the same intervals (`transferCurves` gives its
 * numbers).
 *
 * @example
 * ```ts
 * import {
 *   leaveOneTaskOut,
 *   summariseTransferRuns,
 *   tabularProblems,
 *   transferCurveFigure,
 * } from "./transfer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ c: float(1e-3, 1e3, { log: true }) });
 * const tasks = [0.1, 0.4, 0.7].map((shift, i) => ({
 *   id: `dataset${i}`,
 *   rows: Array.from({ length: 20 }, (_, k) => {
 *     const c = 10 ** (-3 + (6 * k) / 19);
 *     return { params: { c }, value: 0.9 - 0.05 * (Math.log10(c) - shift) ** 2 };
 *   }),
 * }));
 * const problems = tabularProblems(space, tasks, { direction: "maximize" }); // accuracies
 * const runs = await leaveOneTaskOut(problems, { methods: ["random", "portfolio"], seeds: 1, budget: 5 });
 * summariseTransferRuns(runs, [1, 5]); // mean regret, 95% half-width over tasks, average rank
 * transferCurveFigure(runs); // the mean regret at every step, its band that 95% interval
 * ```
 *
 * @module
 */
export {
  isCompleteRun,
  leaveOneTaskOut,
  type LeaveOneTaskOutOptions,
  normalizedRegretCurve,
  summariseTransferRuns,
  tabularProblems,
  TransferBenchmarkStopped,
  transferCurveFigure,
  type TransferCurveFigureOptions,
  type TransferCurveOptions,
  transferCurves,
  type TransferMethod,
  type TransferProblem,
  type TransferRun,
  type TransferSummary,
} from "./leave_one_task_out.ts";
export { PreparedPrior } from "../meta/transfer.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type {
  AblrModel,
  AblrOptions,
  AblrShape,
  FeatureMapShape,
  FsboModel,
  FsboOptions,
  GreedyPortfolio,
  KernelWeightOptions,
  PriorTrial,
  RelevanceMethod,
  RgpeOptions,
  TransferAcquisition,
  TransferOptions,
  TransferSpace,
  TransferStrategy,
} from "../meta/mod.ts";
export type { BaseModel, EncodedTask } from "../meta/base_models.ts";
export type { AcquisitionName } from "../smbo/bayes_opt.ts";
export type { EncodableSpace } from "../smbo/study.ts";
export type { ProposalContext, Proposer } from "../smbo/proposer.ts";
export type { AcquisitionFunction, ValueAndGradient } from "../acquisition/acquisition.ts";
export type { FitHints, PointPrediction, Prediction, Surrogate } from "../models/surrogate.ts";
export type * from "../gp/mod.ts";
export type * from "../space/mod.ts";
export type { CurveSummary } from "../viz/curves.ts";
export type { DivergenceInterval, Interval } from "../stats/mod.ts";
export type { Figure, Layout, Trace } from "../viz/figure.ts";
