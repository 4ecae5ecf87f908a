/**
 * Experiment protocols: the comparisons behind `deno task bench` and notebooks 03, 06 and 07,
 * kept apart from the library's core surface. They may load TensorFlow.js (the SMBO-vs-MAML
 * comparison does); the core entry points (`mod.ts`, `./gp`, `./smbo`, …) never import them.
 *
 * - {@linkcode runSyntheticBenchmark}: simple regret of optimisers on the test functions.
 * - {@linkcode leaveOneTaskOut}: transfer strategies evaluated leave-one-task-out with min–max
 *   normalised regret and average ranks (HPO-B protocol, Pineda Arango et al. 2021), on continuous
 *   task families or pool-mode tabular problems ({@linkcode tabularProblems}); summarised by
 *   {@linkcode summariseTransferRuns} and drawn by {@linkcode transferCurveFigure} with 95%
 *   intervals over tasks.
 * - {@linkcode runComparison}: SMBO vs the MAML family on few-shot tasks (sinusoids of Finn et al.
 *   2017 and tabular regression): query MSE after 1 and 10 adaptation steps against compute.
 * - {@linkcode runFewShot}: few-shot classification (MNIST digits with a class split, PMLB
 *   `segmentation`): the MAML family with the softmax cross-entropy against (SMBO-tuned) training
 *   from scratch, query accuracy with 95% CIs.
 *
 * @example
 * ```ts
 * import { leaveOneTaskOut, summariseTransferRuns } from "./mod.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 *
 * const space = defineSpace({ x: float(0, 1) });
 * const problems = [0.2, 0.3, 0.4].map((c, i) => ({
 *   id: `task${i}`,
 *   space,
 *   objective: (p: { x: number }) => (p.x - c) ** 2,
 *   history: [0.1, 0.5, 0.9].map((x) => ({ params: { x }, value: (x - c) ** 2 })),
 *   minimum: 0,
 *   maximum: Math.max(c, 1 - c) ** 2,
 * }));
 * const runs = await leaveOneTaskOut(problems, {
 *   methods: ["random", "warm-start"],
 *   seeds: 1,
 *   budget: 3,
 * });
 * const summary = summariseTransferRuns(runs, [1, 3]);
 * console.log(summary.length > 0);
 * ```
 *
 * @module
 */
export {
  runSyntheticBenchmark,
  SYNTHETIC_METHODS,
  type SyntheticBenchmarkOptions,
} from "./synthetic.ts";
// Leave-one-task-out transfer, with the types its signatures use (also `./protocols/transfer`).
export * from "./transfer.ts";
export {
  type ArmLosses,
  COMPARISON_DEFAULTS,
  COMPARISON_SIZES,
  comparisonConclusion,
  comparisonCurves,
  type ComparisonOptions,
  type ComparisonResult,
  comparisonTables,
  type FamilySpec,
  runComparison,
  SCRATCH_DEFAULTS,
  type ScratchConfig,
  scratchSpace,
  type ScratchSpaceDefinition,
  type TunedConfiguration,
} from "./comparison.ts";
export {
  crossEntropyCost,
  FEWSHOT_FAMILIES,
  FEWSHOT_LEARNERS,
  FEWSHOT_SIZES,
  type FewShotAccuracy,
  fewShotAccuracy,
  type FewShotEpisodes,
  fewShotEpisodes,
  type FewShotFamily,
  type FewShotOptions,
  fewShotOwnStepsAccuracy,
  fewShotPairedDifference,
  type FewShotResult,
  fewShotSeedAccuracies,
  type FewShotTable,
  fewShotTables,
  runFewShot,
} from "./fewshot.ts";
// Shared types that appear in this module's signatures (their home modules own them).
export type { Backend, LearnerKind } from "../maml/mod.ts";
export { LEARNER_KINDS } from "../maml/kinds.ts";
export type { ResultRow } from "../results/mod.ts";
export type { ProgressCallback } from "../bench/progress.ts";
export type { CurveSummary } from "../viz/curves.ts";
export type { TabularEpisode, TabularEpisodePool, TabularEpisodeSet } from "../data/mod.ts";
export type { DivergenceInterval, Interval } from "../stats/mod.ts";
