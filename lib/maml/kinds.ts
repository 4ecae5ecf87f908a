/**
 * The names of the meta-learners, in one list: {@linkcode createLearner}'s `kind`, the `kind`
 * stored in checkpoints, the learners a benchmark or comparison runs. This module does not load
 * TensorFlow.js, so code that only names learners (option schemas, CLIs, the `mod.ts` entry) can
 * use it.
 *
 * @module
 */

/**
 * Every learner kind: MAML (second order), first-order MAML, Reptile, ANIL, Meta-SGD, learned
 * inner hyperparameters, and the pretrained-on-all-tasks baseline.
 *
 * @example
 * ```ts
 * import { LEARNER_KINDS } from "./kinds.ts";
 * LEARNER_KINDS.includes("metasgd"); // true
 * ```
 */
export const LEARNER_KINDS = [
  "maml",
  "fomaml",
  "reptile",
  "anil",
  "metasgd",
  "learned-hp",
  "pretrained",
] as const;

/**
 * Names of the learners (also the `kind` stored in checkpoints).
 *
 * @example
 * ```ts
 * import type { LearnerKind } from "./kinds.ts";
 * const kind: LearnerKind = "fomaml";
 * ```
 */
export type LearnerKind = typeof LEARNER_KINDS[number];
