/**
 * The scores of the HPO tasks, shared by every model (no TensorFlow.js here). Lower is better:
 * - classification: `error` is the misclassification rate (argmax; ties go to the lower class
 *   index), `loss` the mean cross-entropy in nats;
 * - regression: the target is standardised with the training mean and standard deviation (ddof 0);
 *   `error` is the RMSE on that scale (1 ≈ predicting the training mean), `loss` the MSE.
 *
 * @module
 */
import type { PreparedDataset } from "../../data/mod.ts";
import { mean } from "../../stats/mod.ts";
import { standardizeTargets } from "../../gp/standardize.ts";

/** Scores of one split. */
export interface SplitScores {
  /** Misclassification rate, or RMSE on the standardised target. */
  error: number;
  /** Mean cross-entropy (nats), or MSE on the standardised target. */
  loss: number;
}

/**
 * The standardisation of a regression target: training mean and standard deviation (ddof 0; 1
 * when the target is constant up to round-off: all training values equal, or spread over a few
 * dozen units in the last place as `standardizeTargets` of `lib/gp` decides); `{ mean: 0, std: 1 }`
 * for classification.
 *
 * @example
 * ```ts
 * import { targetScale } from "./scores.ts";
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * targetScale(data); // { mean: 0, std: 1 } (classification)
 * ```
 */
export function targetScale(data: PreparedDataset): { mean: number; std: number } {
  if (data.task === "classification") return { mean: 0, std: 1 };
  const y = data.train.y;
  return { mean: mean(y), std: y.length === 0 ? 1 : standardizeTargets(y).std };
}

/**
 * Misclassification rate and mean cross-entropy of logits (row-major, `classes` per row).
 *
 * @example
 * ```ts
 * import { classificationScores } from "./scores.ts";
 * classificationScores([2, 0, 0, 1], [0, 0], 2); // error 0.5 (second row predicts class 1)
 * ```
 */
export function classificationScores(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  classes: number,
): SplitScores {
  let wrong = 0;
  let loss = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = logits[i * classes + c];
      if (v > max) {
        max = v;
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c] - max);
    loss += Math.log(sum) + max - logits[i * classes + labels[i]];
    if (best !== labels[i]) wrong++;
  }
  return { error: wrong / labels.length, loss: loss / labels.length };
}

/** A row-major matrix of `rows` × `cols` values (the input of the plain-TypeScript models). */
export interface RowMajorMatrix {
  /** The values, row after row. */
  readonly data: ArrayLike<number>;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
}

/**
 * One split of a prepared dataset (its encoded features) as a {@linkcode RowMajorMatrix}.
 *
 * @example
 * ```ts
 * import { splitMatrix } from "./scores.ts";
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * splitMatrix(data, data.train).cols; // data.numFeatures
 * ```
 */
export function splitMatrix(
  data: PreparedDataset,
  split: PreparedDataset["train"],
): { data: Float64Array; rows: number; cols: number } {
  return { data: split.x, rows: split.size, cols: data.numFeatures };
}

/**
 * Probabilities below this are clipped before the cross-entropy, as scikit-learn's `log_loss` did
 * before 1.2 (`eps=1e-15`; since then it clips at the float64 machine epsilon, 2.2e-16, which gives
 * a loss about 1.56 higher per row whose true class has probability 0).
 */
export const PROBABILITY_FLOOR = 1e-15;

/**
 * Misclassification rate and mean cross-entropy of class probabilities (row-major, `classes` per
 * row), each clipped below at {@linkcode PROBABILITY_FLOOR} (a probability of 0 would give an
 * infinite loss).
 *
 * @example
 * ```ts
 * import { probabilityScores } from "./scores.ts";
 * probabilityScores(new Float64Array([0.9, 0.1, 0, 1]), [0, 0], 2); // error 0.5
 * ```
 */
export function probabilityScores(
  probabilities: Float64Array,
  labels: ArrayLike<number>,
  classes: number,
): SplitScores {
  const logits = probabilities.map((p) => Math.log(Math.max(p, PROBABILITY_FLOOR)));
  return classificationScores(logits, labels, classes);
}

/**
 * The regression target's standardisation as a function (with {@linkcode targetScale}'s mean and
 * standard deviation): y ↦ (y − mean) / std, elementwise.
 *
 * @example
 * ```ts
 * import { targetStandardiser } from "./scores.ts";
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * targetStandardiser(data)(new Float64Array([2])); // [2] (classification: the identity)
 * ```
 */
export function targetStandardiser(data: PreparedDataset): (y: Float64Array) => Float64Array {
  const { mean, std } = targetScale(data);
  return (y) => y.map((v) => (v - mean) / std);
}

/**
 * RMSE and MSE of predictions against (standardised) targets.
 *
 * @example
 * ```ts
 * import { regressionScores } from "./scores.ts";
 * regressionScores([1, 2], [1, 4]); // { error: √2, loss: 2 }
 * ```
 */
export function regressionScores(
  predictions: ArrayLike<number>,
  targets: ArrayLike<number>,
): SplitScores {
  let squares = 0;
  for (let i = 0; i < targets.length; i++) squares += (predictions[i] - targets[i]) ** 2;
  const mse = squares / targets.length;
  return { error: Math.sqrt(mse), loss: mse };
}
