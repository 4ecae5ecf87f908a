/**
 * Meta-test evaluation: adapt on each task's support set, score the query set after given step
 * counts, and summarise with a mean and a 95% confidence interval.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { checkEpisodes, disposeBatch, type Episode, stackEpisodes } from "./data.ts";
import { tileTasks } from "./inner.ts";
import type { MetaLearner } from "./learners.ts";
import { parseOrThrow } from "../validate.ts";
import { meanCi95 } from "../stats/mod.ts";

/** Options of {@linkcode metaTest}. */
export interface MetaTestOptions {
  /** Inner step counts to report, e.g. `[1, 10]` (0 = no adaptation). */
  steps: readonly number[];
  /** Tasks adapted together (memory vs speed; default 100). */
  chunk?: number;
  /**
   * Also report each task's classification accuracy on its query set (targets one-hot or class
   * probabilities, predictions logits; see {@linkcode classificationAccuracy}); needs a model with
   * at least 2 outputs (one logit per class). Default false.
   */
  accuracy?: boolean;
}

/** Query accuracy after one step count (classification). */
export interface AccuracyResult {
  /** Mean accuracy over tasks (a fraction in [0, 1]; NaN when some task diverged). */
  readonly mean: number;
  /**
   * 95% CI half-width over tasks: the normal approximation 1.96·s/√n (see
   * {@linkcode meanCi95}), accurate for the hundreds of tasks of an evaluation set, too narrow for
   * a handful.
   */
  readonly ci95: number;
  /** Each task's query accuracy (NaN for a task whose query loss is NaN or infinite). */
  readonly perTask: Float64Array;
}

/** Query losses after one step count. */
export interface StepResult {
  /** Inner steps taken on the support set. */
  readonly steps: number;
  /**
   * Mean query loss over tasks; not finite when some task diverged: NaN when some task's loss is
   * NaN, else `Infinity` when some task's loss overflowed (see `nonFinite` and `diverged`).
   */
  readonly mean: number;
  /**
   * 95% CI half-width over tasks: the normal approximation 1.96·s/√n (see
   * {@linkcode meanCi95}), accurate for the hundreds of tasks of an evaluation set, too narrow for
   * a handful; NaN when `mean` is not finite.
   */
  readonly ci95: number;
  /** Number of tasks. */
  readonly tasks: number;
  /** Tasks whose loss is NaN or infinite. */
  readonly nonFinite: number;
  /** True when any task's loss is non-finite (a result, not an error). */
  readonly diverged: boolean;
  /** Each task's query loss. */
  readonly perTask: Float64Array;
  /** Query accuracy, with `accuracy: true`. */
  readonly accuracy?: AccuracyResult;
}

const MetaTestSchema = z.object({
  steps: z.array(z.number().int().min(0)).min(1),
  chunk: z.number().int().min(1).default(100),
  accuracy: z.boolean().default(false),
}).strict();

/**
 * Each task's classification accuracy: the fraction of points whose largest prediction (logit)
 * is at the target's largest entry (the class of a one-hot row), for predictions and targets
 * `[T, N, classes]`; returns `[T]`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { tf } from "../deps/tf.ts";
 * import { classificationAccuracy } from "./evaluate.ts";
 * const logits = tf.tensor3d([[[2, 0], [0, 1]]]);
 * const target = tf.tensor3d([[[1, 0], [1, 0]]]);
 * classificationAccuracy(logits, target).print(); // [0.5]
 * ```
 */
export function classificationAccuracy(prediction: tf.Tensor3D, target: tf.Tensor3D): tf.Tensor1D {
  if (prediction.rank !== 3 || !prediction.shape.every((d, i) => d === target.shape[i])) {
    throw new RangeError(
      `classificationAccuracy: prediction [${prediction.shape}] and target [${target.shape}] ` +
        "must both be [tasks, points, classes]",
    );
  }
  if (prediction.shape[2] < 2) {
    throw new RangeError(
      `classificationAccuracy: prediction [${prediction.shape}] has ${prediction.shape[2]} ` +
        "class, needs at least 2 (one logit per class)",
    );
  }
  return tf.tidy(() =>
    tf.mean(tf.cast(tf.equal(tf.argMax(prediction, 2), tf.argMax(target, 2)), "float32"), 1)
  );
}

/**
 * Adapts `learner` on every episode's support set (its own inner rule, learned rates included)
 * and reports the query loss after each requested number of steps. Divergence is reported
 * (`diverged`, `nonFinite`, and a NaN accuracy for each task whose loss is not finite), never
 * thrown. Every episode is checked first ({@linkcode checkEpisodes}: the same sizes as episode 0,
 * finite values, for the learner's loss `softmaxCrossEntropy` target rows that are probability
 * vectors); errors name the episode, e.g.
 * `metaTest: episodes[120].support.x: length 3, expected 5 like episode 0`.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { MAML, metaTest, mlp } from "./mod.ts";
 * import { evaluationSet, sinusoid } from "../tasks/sinusoid/mod.ts";
 * const maml = new MAML(mlp({ sizes: [1, 40, 40, 1] }));
 * const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 20 });
 * const [oneStep, tenSteps] = metaTest(maml, episodes, { steps: [1, 10] });
 * ```
 */
export function metaTest(
  learner: MetaLearner,
  episodes: readonly Episode[],
  options: MetaTestOptions,
): StepResult[] {
  const o = parseOrThrow(MetaTestSchema, options, "metaTest");
  if (o.accuracy && learner.model.outputDim < 2) {
    throw new RangeError(
      "metaTest: accuracy needs a classifier with at least 2 outputs (one logit per class), " +
        `learner.model.outputDim is ${learner.model.outputDim}`,
    );
  }
  if (Array.isArray(episodes) && episodes.length === 0) {
    throw new RangeError("metaTest: no episodes");
  }
  checkEpisodes(episodes, learner.model, "metaTest: episodes", learner.loss);
  const wanted = [...new Set(o.steps)].sort((a, b) => a - b);
  const perTask = new Map(wanted.map((s) => [s, new Float64Array(episodes.length)]));
  const accuracy = new Map(wanted.map((s) => [s, new Float64Array(episodes.length)]));
  const thetaCount = learner.model.paramShapes.length;
  for (let from = 0; from < episodes.length; from += o.chunk) {
    const batch = stackEpisodes(episodes.slice(from, from + o.chunk), learner.model); // checked above
    try {
      const tasks = batch.supportX.shape[0];
      let params = tf.tidy(() => tileTasks(learner.variables.slice(0, thetaCount), tasks));
      let done = 0;
      for (const target of wanted) {
        if (target > done) {
          const next = tf.tidy(() =>
            learner.adaptFrom(params, batch.supportX, batch.supportY, target - done, done)
          );
          tf.dispose(params.filter((t) => !next.includes(t))); // ANIL keeps its body tensors
          params = next;
          done = target;
        }
        const [losses, hits] = tf.tidy(() => {
          const prediction = learner.model.forward(params, batch.queryX);
          return [
            learner.loss.value(prediction, batch.queryY).dataSync(),
            o.accuracy ? classificationAccuracy(prediction, batch.queryY).dataSync() : undefined,
          ];
        });
        perTask.get(target)!.set(losses, from);
        if (hits) {
          // argMax of NaN logits is index 0: a diverged task has no accuracy, not a chance one.
          losses.forEach((loss, t) => {
            if (!Number.isFinite(loss)) hits[t] = NaN;
          });
          accuracy.get(target)!.set(hits, from);
        }
      }
      tf.dispose(params);
    } finally {
      disposeBatch(batch);
    }
  }
  return o.steps.map((steps) => {
    const values = perTask.get(steps)!;
    const nonFinite = values.filter((v) => !Number.isFinite(v)).length;
    const { mean, halfWidth } = meanCi95(values);
    const hits = accuracy.get(steps)!;
    const acc = meanCi95(hits);
    return {
      ...(o.accuracy ? { accuracy: { mean: acc.mean, ci95: acc.halfWidth, perTask: hits } } : {}),
      steps,
      mean,
      ci95: halfWidth,
      tasks: values.length,
      nonFinite,
      diverged: nonFinite > 0,
      perTask: values,
    };
  });
}
