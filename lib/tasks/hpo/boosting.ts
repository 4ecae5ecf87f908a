/**
 * Gradient tree boosting, the `gbt` model of the HPO tasks: Friedman's TreeBoost (Friedman 2001,
 * "Greedy function approximation: a gradient boosting machine", Annals of Statistics 29(5); the
 * algorithm of scikit-learn's `GradientBoostingRegressor` / `GradientBoostingClassifier`) with
 * stochastic row subsampling (Friedman 2002, "Stochastic gradient boosting", Computational
 * Statistics & Data Analysis 38(4)) and XGBoost's L2 penalty on the leaf values (Chen & Guestrin
 * 2016, "XGBoost: a scalable tree boosting system", KDD). Plain TypeScript on typed arrays, no
 * TensorFlow.js; the trees are the CART trees of `lib/forest` ({@linkcode growTree}).
 *
 * The model is an additive score F(x) = F₀ + ν·Σₘ fₘ(x) (ν the learning rate), one score per
 * row for regression and binary classification (the log-odds of class 1), one per class for
 * K ≥ 3 classes (the softmax logits). Round m:
 * 1. draws `max(2, round(subsample · n))` training rows without replacement (every row when
 *    `subsample` is 1, without drawing);
 * 2. computes on every row the negative gradient r and the Hessian h of the loss at F:
 *    squared error ½(y − F)²: r = y − F, h = 1; binary log-loss: r = y − p, h = p(1 − p) with
 *    p = σ(F); multinomial log-loss, per class k: r = yₖ − pₖ, h = |r|(1 − |r|) = pₖ(1 − pₖ)
 *    with p = softmax(F);
 * 3. grows one regression tree per score (K for K ≥ 3 classes, each on its class's r) by least
 *    squares on the drawn rows (squared-error criterion, midpoint thresholds, best splits, every
 *    feature searched; `maxDepth`, `minSamplesLeaf` and `minSamplesSplit = 2·minSamplesLeaf`
 *    counting drawn rows);
 * 4. replaces each leaf's value by one Newton step computed on the drawn rows in it,
 *    γ = Σr / (Σh + λ) (λ = `l2`; Friedman's multinomial step `(K − 1)/K · Σr / (Σh + λ)` for
 *    K ≥ 3 classes; 0 when the denominator is below 1e-150, as scikit-learn guards it). With
 *    λ = 0 these are Friedman's TreeBoost steps (for squared error the leaf mean of r, i.e. the
 *    least-squares tree itself), which scikit-learn takes; λ > 0 shrinks them towards 0 as
 *    XGBoost's leaf weights −G/(H + λ);
 * 5. adds ν·γ(leaf of x) to F on every training row (drawn or not).
 *
 * F₀ is the training mean (regression), the log-odds log(p₁/(1 − p₁)) of the class shares
 * (binary) or the log of each class's share (K ≥ 3), shares clipped to [1e-15, 1 − 1e-15].
 * Unlike XGBoost the splits are chosen by least squares on r (scikit-learn's trees with
 * `criterion="squared_error"`), not by the second-order gain, and there is no `gamma` penalty.
 *
 * In the HPO tasks regression is fit on the standardised target and scored by its RMSE;
 * classification is scored on the class probabilities (σ or softmax of F, computed stably).
 *
 * @module
 */
import type { PreparedDataset } from "../../data/mod.ts";
import {
  type DecisionTree,
  growTree,
  prepareTreeData,
  targetScale as treeTargetScale,
  type TreeParams,
  withTargets,
} from "../../forest/tree.ts";
import { Rng } from "../../random/rng.ts";
import {
  PROBABILITY_FLOOR,
  probabilityScores,
  regressionScores,
  type RowMajorMatrix,
  splitMatrix,
  type SplitScores,
  targetStandardiser,
} from "./scores.ts";
import type { GbtConfig } from "./spaces.ts";

/** A Newton step whose denominator is below this is 0 (scikit-learn's guard). */
const TINY_DENOMINATOR = 1e-150;

/** Settings of {@linkcode fitBoosting}. */
export interface GradientBoostingSettings {
  /** Shrinkage ν of every tree's contribution (> 0). */
  readonly learningRate: number;
  /** Boosting rounds (integer ≥ 1); each grows one tree per score. */
  readonly nRounds: number;
  /** Depth limit of each tree (integer ≥ 1; the root has depth 0). */
  readonly maxDepth: number;
  /** Drawn rows per leaf (integer ≥ 1); a node needs twice as many to be split. */
  readonly minSamplesLeaf: number;
  /** Share of the training rows drawn (without replacement) per round, in (0, 1]. */
  readonly subsample: number;
  /** L2 penalty λ ≥ 0 on the leaf values (the denominator of the Newton step). */
  readonly l2: number;
  /** 0 for regression (squared error), otherwise the number of classes (≥ 2; log-loss). */
  readonly classes: number;
  /** Seed of the row draws and of the trees' feature order (default 0). */
  readonly seed?: number;
}

/** A fitted gradient-boosting model (see the module documentation). */
export interface GradientBoostingModel {
  /** The settings it was fitted with. */
  readonly settings: Readonly<GradientBoostingSettings>;
  /** Scores per row: 1 for regression and binary classification, K for K ≥ 3 classes. */
  readonly outputs: number;
  /**
   * The power of two the regression targets were divided by while fitting
   * (`targetScale` of `lib/forest/tree.ts`: 1 for ordinary targets and for
   * classification), so that targets up to the float64 range give finite scores;
   * {@linkcode GradientBoostingModel.init} and {@linkcode GradientBoostingModel.leafValues} are
   * in the units of the targets divided by it, and `decisionFunction` multiplies back.
   */
  readonly scale: number;
  /** The initial scores F₀, one per output (in units of the targets / `scale`). */
  readonly init: Float64Array;
  /**
   * The trees, round after round, `outputs` per round (for K ≥ 3 classes, tree `m·K + k` is
   * class k's of round m). Their own `value`s are the leaf means of the residuals they were
   * grown on; the model uses {@linkcode GradientBoostingModel.leafValues} instead.
   */
  readonly trees: readonly DecisionTree[];
  /**
   * Per tree, the Newton step γ of each node, indexed by node (0 at internal nodes); the model
   * adds `learningRate · γ` of the leaf a row reaches.
   */
  readonly leafValues: readonly Float64Array[];
  /**
   * The raw scores F of every row of `query` after the first `rounds` rounds (default all; 0
   * gives F₀), row-major, `outputs` per row: the prediction (regression), the log-odds of class
   * 1 (binary) or the class logits (K ≥ 3).
   *
   * @throws {RangeError} naming the argument for a bad shape or number of rounds.
   */
  decisionFunction(query: RowMajorMatrix, rounds?: number): Float64Array;
  /**
   * Predictions for every row of `query`: the regression values, or the most probable class
   * (ties to the lower index) as a number.
   *
   * @throws {RangeError} naming the argument for a bad shape or number of rounds.
   */
  predict(query: RowMajorMatrix, rounds?: number): Float64Array;
  /**
   * Class probabilities of every row of `query` (row-major, `classes` per row): σ of the
   * log-odds for two classes, the softmax of the logits for more (computed stably).
   *
   * @throws {RangeError} for a regression model, or naming the argument for a bad shape.
   */
  predictProba(query: RowMajorMatrix, rounds?: number): Float64Array;
}

function checkSettings(settings: GradientBoostingSettings): void {
  const where = "fitBoosting.settings";
  const { learningRate, nRounds, maxDepth, minSamplesLeaf, subsample, l2, classes } = settings;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new RangeError(`${where}.learningRate: must be a finite number > 0, got ${learningRate}`);
  }
  for (
    const [key, v] of [["nRounds", nRounds], ["maxDepth", maxDepth], [
      "minSamplesLeaf",
      minSamplesLeaf,
    ]] as const
  ) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${where}.${key}: must be an integer ≥ 1, got ${v}`);
    }
  }
  if (!(subsample > 0 && subsample <= 1)) {
    throw new RangeError(`${where}.subsample: must be in (0, 1], got ${subsample}`);
  }
  if (!(l2 >= 0) || !Number.isFinite(l2)) {
    throw new RangeError(`${where}.l2: must be a finite number ≥ 0, got ${l2}`);
  }
  if (!Number.isInteger(classes) || classes < 0 || classes === 1) {
    throw new RangeError(
      `${where}.classes: must be 0 (regression) or an integer ≥ 2, got ${classes}`,
    );
  }
  const seed = settings.seed ?? 0;
  if (!Number.isFinite(seed)) {
    throw new RangeError(`${where}.seed: must be a finite number, got ${seed}`);
  }
}

/** σ(v) = 1 / (1 + e^−v), without overflow. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Softmax of `scores[offset .. offset + k)` into `out[offset ..]` (max subtracted first). */
function softmaxInto(scores: Float64Array, offset: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (scores[offset + c] > max) max = scores[offset + c];
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(scores[offset + c] - max);
    out[offset + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[offset + c] /= sum;
}

/**
 * Fits gradient-boosted trees to the rows of `train` and `targets` (regression values, or class
 * indices 0 … classes − 1); see the module documentation for the algorithm.
 *
 * @throws {RangeError} naming the argument for bad settings, shapes or targets.
 * @example
 * ```ts
 * import { fitBoosting } from "./boosting.ts";
 * const train = { data: [0, 1, 2, 3, 4, 5], rows: 6, cols: 1 };
 * const model = fitBoosting(train, [0, 0, 0, 1, 1, 1], {
 *   learningRate: 0.5, nRounds: 20, maxDepth: 1, minSamplesLeaf: 1, subsample: 1, l2: 0,
 *   classes: 2,
 * });
 * model.predict({ data: [0.5, 4.5], rows: 2, cols: 1 }); // Float64Array [0, 1]
 * model.trees.length; // 20: one tree per round for two classes
 * ```
 */
export function fitBoosting(
  train: RowMajorMatrix,
  targets: ArrayLike<number>,
  settings: GradientBoostingSettings,
): GradientBoostingModel {
  checkSettings(settings);
  const { rows: n, cols } = train;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`fitBoosting.train.rows: must be a positive integer, got ${n}`);
  }
  if (!Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`fitBoosting.train.cols: must be a positive integer, got ${cols}`);
  }
  if (train.data.length !== n * cols) {
    throw new RangeError(`fitBoosting.train.data: must hold rows × cols = ${n * cols} values`);
  }
  if (targets.length !== n) {
    throw new RangeError(`fitBoosting.targets: must hold ${n} values, got ${targets.length}`);
  }
  const { classes, learningRate, l2 } = settings;
  for (let i = 0; i < n; i++) {
    const v = targets[i];
    if (classes === 0 ? !Number.isFinite(v) : !(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new RangeError(
        `fitBoosting.targets[${i}]: must be ${
          classes === 0 ? "finite" : `a class index in 0 … ${classes - 1}`
        }, got ${v}`,
      );
    }
  }
  const x = Float64Array.from(train.data);
  const outputs = classes > 2 ? classes : 1;
  // Regression targets near the float64 range are divided by a power of two (exact), so that
  // their mean and the residuals stay finite; ordinary targets have scale 1.
  const scale = classes === 0 ? treeTargetScale(targets) : 1;
  const y = scale === 1 ? targets : Float64Array.from(targets, (v) => v / scale);

  // F₀.
  const init = new Float64Array(outputs);
  if (classes === 0) {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i];
    init[0] = s / n;
  } else {
    const shares = new Float64Array(classes);
    for (let i = 0; i < n; i++) shares[targets[i]] += 1 / n;
    // Shares clipped as the scored probabilities are (a class absent from the training rows).
    const clip = (p: number) => Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
    if (classes === 2) {
      const p1 = clip(shares[1]);
      init[0] = Math.log(p1 / (1 - p1));
    } else for (let k = 0; k < classes; k++) init[k] = Math.log(clip(shares[k]));
  }

  // The columns and per-feature sort orders are computed once; each tree gets its own targets.
  const base = prepareTreeData(x, n, cols, new Float64Array(n), {});
  const params: TreeParams = {
    maxFeatures: cols,
    minSamplesSplit: 2 * settings.minSamplesLeaf,
    minSamplesLeaf: settings.minSamplesLeaf,
    maxDepth: settings.maxDepth,
    criterion: "squared_error",
    splitValue: "midpoint",
    splitter: "best",
  };
  const drawnCount = Math.min(n, Math.max(2, Math.round(settings.subsample * n)));
  const rng = new Rng(settings.seed ?? 0);

  const scores = new Float64Array(n * outputs);
  for (let i = 0; i < n; i++) scores.set(init, i * outputs);
  const probabilities = new Float64Array(n * outputs);
  const residual = new Float64Array(n);
  const hessian = new Float64Array(n);
  const counts = new Int32Array(n);
  const leafOf = new Int32Array(n);
  const factor = outputs > 1 ? (classes - 1) / classes : 1;
  const trees: DecisionTree[] = [];
  const leafValues: Float64Array[] = [];

  for (let round = 0; round < settings.nRounds; round++) {
    const roundRng = rng.spawn();
    if (drawnCount === n) counts.fill(1);
    else {
      counts.fill(0);
      for (const i of roundRng.choose(n, drawnCount)) counts[i] = 1;
    }
    // Every tree of a round sees the scores at the start of the round (scikit-learn's order).
    if (outputs > 1) {
      for (let i = 0; i < n; i++) softmaxInto(scores, i * outputs, outputs, probabilities);
    }
    for (let k = 0; k < outputs; k++) {
      for (let i = 0; i < n; i++) {
        if (classes === 0) {
          residual[i] = y[i] - scores[i];
          hessian[i] = 1;
        } else if (classes === 2) {
          const p = sigmoid(scores[i]);
          residual[i] = targets[i] - p;
          hessian[i] = p * (1 - p);
        } else {
          const p = probabilities[i * outputs + k];
          residual[i] = (targets[i] === k ? 1 : 0) - p;
          hessian[i] = p * (1 - p);
        }
      }
      const tree = growTree(
        withTargets(base, residual, counts),
        counts,
        undefined,
        params,
        roundRng,
      );
      // Newton steps from the drawn rows of each leaf.
      const sumR = new Float64Array(tree.nodeCount);
      const sumH = new Float64Array(tree.nodeCount);
      for (let i = 0; i < n; i++) {
        const leaf = tree.leaf(x, i * cols);
        leafOf[i] = leaf;
        if (counts[i] > 0) {
          sumR[leaf] += residual[i];
          sumH[leaf] += hessian[i];
        }
      }
      const gamma = new Float64Array(tree.nodeCount);
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.feature[node] >= 0) continue;
        const denominator = sumH[node] + l2;
        gamma[node] = denominator > TINY_DENOMINATOR ? factor * sumR[node] / denominator : 0;
      }
      for (let i = 0; i < n; i++) scores[i * outputs + k] += learningRate * gamma[leafOf[i]];
      trees.push(tree);
      leafValues.push(gamma);
    }
  }

  const rounds = settings.nRounds;
  const decisionFunction = (query: RowMajorMatrix, upTo = rounds): Float64Array => {
    if (query.cols !== cols) {
      throw new RangeError(
        `gradientBoosting.query.cols: must equal the training rows' (${cols}), got ${query.cols}`,
      );
    }
    if (query.data.length !== query.rows * cols) {
      throw new RangeError(
        `gradientBoosting.query.data: must hold rows × cols = ${query.rows * cols} values`,
      );
    }
    if (!Number.isInteger(upTo) || upTo < 0 || upTo > rounds) {
      throw new RangeError(
        `gradientBoosting.rounds: must be an integer in [0, ${rounds}], got ${upTo}`,
      );
    }
    const out = new Float64Array(query.rows * outputs);
    for (let q = 0; q < query.rows; q++) out.set(init, q * outputs);
    for (let t = 0; t < upTo * outputs; t++) {
      const tree = trees[t];
      const gamma = leafValues[t];
      const k = t % outputs;
      for (let q = 0; q < query.rows; q++) {
        out[q * outputs + k] += learningRate * gamma[tree.leaf(query.data, q * cols)];
      }
    }
    if (scale !== 1) { for (let q = 0; q < out.length; q++) out[q] *= scale; }
    return out;
  };
  const predictProba = (query: RowMajorMatrix, upTo = rounds): Float64Array => {
    if (classes === 0) {
      throw new RangeError("gradientBoosting.predictProba: a regression model has no classes");
    }
    const f = decisionFunction(query, upTo);
    const out = new Float64Array(query.rows * classes);
    for (let q = 0; q < query.rows; q++) {
      if (classes === 2) {
        out[2 * q] = sigmoid(-f[q]);
        out[2 * q + 1] = sigmoid(f[q]);
      } else softmaxInto(f, q * classes, classes, out);
    }
    return out;
  };
  return Object.freeze({
    settings: Object.freeze({ ...settings }),
    outputs,
    scale,
    init,
    trees: Object.freeze(trees),
    leafValues: Object.freeze(leafValues),
    decisionFunction,
    predict(query: RowMajorMatrix, upTo = rounds): Float64Array {
      if (classes === 0) return decisionFunction(query, upTo);
      const proba = predictProba(query, upTo);
      const out = new Float64Array(query.rows);
      for (let q = 0; q < query.rows; q++) {
        let best = 0;
        for (let c = 1; c < classes; c++) {
          if (proba[q * classes + c] > proba[q * classes + best]) best = c;
        }
        out[q] = best;
      }
      return out;
    },
    predictProba,
  });
}

/**
 * Fits gradient-boosted trees with `config` on `data.train` (row draws and the trees' feature
 * order seeded by `seed`) and scores them on `data.validation` and `data.test`, with the scores
 * of the other HPO models: regression on the standardised target (`error` its RMSE),
 * classification on the class probabilities. `steps` is the number of trees grown (rounds ×
 * trees per round: 1, or the number of classes when there are three or more).
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { fitAndScoreBoosting } from "./boosting.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const outcome = fitAndScoreBoosting(data, {
 *   learningRate: 0.1, nRounds: 32, maxDepth: 3, minSamplesLeaf: 1, subsample: 1, l2: 1,
 * }, 0);
 * outcome.validation.error; // misclassification rate of the validation rows
 * outcome.steps; // 96: 32 rounds × 3 classes
 * ```
 */
export function fitAndScoreBoosting(
  data: PreparedDataset,
  config: GbtConfig,
  seed: number,
): { validation: SplitScores; test: SplitScores; steps: number } {
  const matrix = (split: PreparedDataset["train"]) => splitMatrix(data, split);
  const settings = {
    learningRate: config.learningRate,
    nRounds: config.nRounds,
    maxDepth: config.maxDepth,
    minSamplesLeaf: config.minSamplesLeaf,
    subsample: config.subsample,
    l2: config.l2,
    seed,
  };
  if (data.task === "classification") {
    const classes = data.classLabels.length;
    const model = fitBoosting(matrix(data.train), data.train.y, { ...settings, classes });
    const score = (split: PreparedDataset["train"]) =>
      probabilityScores(model.predictProba(matrix(split)), split.y, classes);
    return {
      validation: score(data.validation),
      test: score(data.test),
      steps: model.trees.length,
    };
  }
  const standardise = targetStandardiser(data);
  const model = fitBoosting(matrix(data.train), standardise(data.train.y), {
    ...settings,
    classes: 0,
  });
  const score = (split: PreparedDataset["train"]) =>
    regressionScores(model.predict(matrix(split)), standardise(split.y));
  return { validation: score(data.validation), test: score(data.test), steps: model.trees.length };
}
