/**
 * Reading out the inner-loop hyperparameters a meta-learner arrived at: the per-tensor (or
 * per-element) inner learning rates of Meta-SGD (Li et al. 2017) and of the learned-hyperparameter
 * learner (Antoniou et al. 2019), its per-step scales and its inner weight decay, as plain numbers.
 * Learners without learned rules (MAML, FOMAML, ANIL) report their fixed rate α.
 *
 * @module
 */
import type { MetaLearner } from "./learners.ts";

/** One parameter tensor's inner learning rate (a summary when learned per element). */
export interface LearnedRate {
  /** Index of the parameter tensor in the model's order. */
  readonly index: number;
  /**
   * A name from the tensor's position in an MLP's `[W₀, b₀, W₁, b₁, …]` order: `"layer 1
   * weights"`, `"layer 1 bias"`, …; `"parameter i"` when the model does not alternate so.
   */
  readonly parameter: string;
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Whether the inner loop adapts this tensor (ANIL adapts the head only). */
  readonly adapted: boolean;
  /** Whether the rate is a meta-parameter (false: the fixed α of the learner's options). */
  readonly learned: boolean;
  /** Mean rate over the tensor's elements (the rate itself when per tensor). */
  readonly mean: number;
  /** Smallest element rate. */
  readonly min: number;
  /** Largest element rate. */
  readonly max: number;
  /**
   * Share of element rates below zero (the learned rates of Meta-SGD and learned-hp are not
   * constrained to be positive).
   */
  readonly negativeShare: number;
}

/** The inner rule of a meta-learner in plain numbers. */
export interface LearnedInnerRule {
  /** The learner's kind. */
  readonly kind: string;
  /** One entry per parameter tensor. */
  readonly rates: readonly LearnedRate[];
  /** Learned scale of each inner step (empty when not learned; not constrained, may be < 0). */
  readonly stepScales: readonly number[];
  /** Inner weight decay λ (learned, fixed, or 0). */
  readonly weightDecay: number;
  /** Whether λ is a meta-parameter. */
  readonly weightDecayLearned: boolean;
}

function parameterNames(shapes: readonly (readonly number[])[]): string[] {
  const alternating = shapes.length % 2 === 0 &&
    shapes.every((s, i) => (i % 2 === 0 ? s.length === 2 : s.length === 1));
  return shapes.map((_, i) =>
    alternating
      ? `layer ${Math.floor(i / 2) + 1} ${i % 2 === 0 ? "weights" : "bias"}`
      : `parameter ${i}`
  );
}

/**
 * The inner learning rates, step scales and weight decay of `learner` as they are now (read from
 * its variables `lr.i`, `stepScale.k`, `weightDecay`; fixed values from its options).
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { createLearner, mlp } from "./mod.ts";
 * import { learnedInnerRule } from "./rule.ts";
 * const learner = createLearner("learned-hp", mlp({ sizes: [1, 8, 1] }), { innerLr: 0.01 });
 * const rule = learnedInnerRule(learner);
 * rule.rates[0].mean; // 0.01 (not trained yet)
 * learner.dispose();
 * ```
 */
export function learnedInnerRule(learner: MetaLearner): LearnedInnerRule {
  const shapes = learner.model.paramShapes;
  const names = parameterNames(shapes);
  const byKey = new Map(learner.variableKeys.map((key, i) => [key, learner.variables[i]]));
  const options = learner.options as { innerLr?: number; weightDecay?: number };
  const adaptsAll = learner.kind !== "anil";
  const head = new Set(learner.model.headIndices);
  const rates = shapes.map((shape, index): LearnedRate => {
    const variable = byKey.get(`lr.${index}`);
    const adapted = adaptsAll || head.has(index);
    if (!variable) {
      const alpha = options.innerLr ?? NaN;
      return {
        index,
        parameter: names[index],
        shape,
        adapted,
        learned: false,
        mean: alpha,
        min: alpha,
        max: alpha,
        negativeShare: alpha < 0 ? 1 : 0,
      };
    }
    const values = variable.dataSync();
    let sum = 0, min = Infinity, max = -Infinity, negative = 0;
    for (const v of values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v < 0) negative++;
    }
    return {
      index,
      parameter: names[index],
      shape,
      adapted,
      learned: true,
      mean: sum / values.length,
      min,
      max,
      negativeShare: negative / values.length,
    };
  });
  const stepScales: number[] = [];
  for (let k = 0; byKey.has(`stepScale.${k}`); k++) {
    stepScales.push(byKey.get(`stepScale.${k}`)!.dataSync()[0]);
  }
  const decay = byKey.get("weightDecay");
  return {
    kind: learner.kind,
    rates,
    stepScales,
    weightDecay: decay ? decay.dataSync()[0] : options.weightDecay ?? 0,
    weightDecayLearned: decay !== undefined,
  };
}
