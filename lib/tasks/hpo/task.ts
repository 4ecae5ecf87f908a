/**
 * {@linkcode hpoTask}: a real hyperparameter-optimisation task, training a tfjs model (or a
 * random forest, a decision tree, weighted k-NN, kernel ridge regression or gradient-boosted trees, in plain TypeScript) on a prepared dataset. TensorFlow.js is loaded on the first
 * evaluation of a tfjs model, so random-forest, tree, k-NN, kernel-ridge and boosting tasks never load it. Its `objective` plugs into `minimize(task.objective, task.space, …)`; its
 * `evaluate` returns everything one run measures (validation and test scores, wall time, steps).
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import type { PreparedDataset } from "../../data/mod.ts";
import type { Backend } from "../../tfjs/mod.ts";
import { Rng } from "../../random/rng.ts";
import type { Space } from "../../space/mod.ts";
import { parseOrThrow } from "../../validate.ts";
import { fitAndScoreBoosting } from "./boosting.ts";
import { fitAndScoreForest, fitAndScoreTree } from "./forest.ts";
import { fitAndScoreKnn } from "./knn.ts";
import { fitAndScoreKernelRidge } from "./kernel_ridge.ts";
import type { SplitScores } from "./scores.ts";
import {
  type GbtConfig,
  HPO_TASK_MODELS,
  hpoSpace,
  type HpoTaskModel,
  type KnnConfig,
  type KrrConfig,
  type RfConfig,
  type TreeConfig,
} from "./spaces.ts";
import type { OptimizerSettings, TrainingOutcome } from "./train.ts";

/**
 * Defaults of {@linkcode hpoTask}: `seed` 0, `metric` `"error"` (misclassification rate, or RMSE
 * of the standardised target; `"loss"` is cross-entropy or MSE), `backend` `undefined` (use the
 * backend tfjs already runs).
 *
 * @example
 * ```ts
 * import { HPO_TASK_DEFAULTS } from "./task.ts";
 * HPO_TASK_DEFAULTS.metric; // "error"
 * ```
 */
export const HPO_TASK_DEFAULTS: {
  readonly seed: number;
  readonly metric: "error" | "loss";
  readonly backend: Backend | undefined;
} = Object.freeze({ seed: 0, metric: "error", backend: undefined });

/** Options of {@linkcode hpoTask} (defaults in {@linkcode HPO_TASK_DEFAULTS}). */
export interface HpoTaskOptions {
  /**
   * The model whose hyperparameters are searched (`"mlp-opt"`: the MLP with its optimiser
   * searched too, a conditional space).
   */
  model: HpoTaskModel;
  /** Seed of every training run (weights, minibatch order, dropout): same seed, same result. */
  seed?: number;
  /** What `objective` returns: the validation `error` or the validation `loss`. */
  metric?: "error" | "loss";
  /**
   * tfjs backend of each evaluation (tfjs models only): tfjs is switched to it for the evaluation
   * and back to the backend it ran before once the evaluation ends (a switch costs well under a
   * millisecond), so that a task without `backend` still runs on the process's own backend.
   */
  backend?: Backend;
  /** Task id (default `"<model>"`). */
  id?: string;
}

/** Everything one evaluation measured. */
export interface HpoEvaluation {
  /**
   * `complete`, or `failed` when the run threw, training diverged (non-finite loss or
   * predictions), or a validation or test score (error or loss) is not finite, for every model.
   */
  status: "complete" | "failed";
  /** Validation scores (NaN when failed). */
  validation: SplitScores;
  /** Test scores (NaN when failed). */
  test: SplitScores;
  /** Why the run failed. */
  reason?: string;
  /** Wall-clock seconds of the run (training and scoring). */
  seconds: number;
  /**
   * A deterministic cost of the run: gradient steps taken (the tfjs models), trees grown (the
   * random forest; 1 for the tree; rounds × trees per round for gradient boosting), distances
   * computed (k-NN) or kernel evaluations (kernel ridge).
   */
  steps: number;
}

/** A real HPO task: a model on a dataset, with its search space. */
export interface HpoTask {
  /** Task id. */
  readonly id: string;
  /** The model. */
  readonly model: HpoTaskModel;
  /** Its search space (the model's, shared by every dataset). */
  readonly space: Space;
  /** The metric `objective` returns. */
  readonly metric: "error" | "loss";
  /** Trains with `params` and returns the validation metric; throws when training fails. */
  objective(params: Readonly<Record<string, unknown>>): Promise<number>;
  /** Trains with `params` and reports the scores, the wall time and any failure. */
  evaluate(params: Readonly<Record<string, unknown>>): Promise<HpoEvaluation>;
}

const optionsSchema = z.strictObject({
  model: z.enum(HPO_TASK_MODELS as [HpoTaskModel, ...HpoTaskModel[]]),
  seed: z.number().int("must be an integer").optional(),
  metric: z.enum(["error", "loss"]).optional(),
  backend: z.enum(["cpu", "wasm"]).optional(),
  id: z.string().min(1, "must not be empty").optional(),
});

const splitSchema = (rows: number) =>
  z.object({
    x: z.instanceof(Float64Array, { error: "must be a Float64Array" }),
    y: z.instanceof(Float64Array, { error: "must be a Float64Array" }),
    size: z.number().int().min(rows, `must be at least ${rows}`),
  });
const dataSchema = z.object({
  task: z.enum(["classification", "regression"]),
  numFeatures: z.number().int().positive("must be at least 1"),
  classLabels: z.array(z.string()),
  train: splitSchema(1),
  validation: splitSchema(1),
  test: splitSchema(1),
}).superRefine((data, ctx) => {
  for (const part of ["train", "validation", "test"] as const) {
    const split = data[part];
    if (split.x.length !== split.size * data.numFeatures) {
      ctx.addIssue({
        code: "custom",
        path: [part, "x"],
        message: `must hold size × numFeatures = ${split.size * data.numFeatures} values`,
      });
    }
    if (split.y.length !== split.size) {
      ctx.addIssue({
        code: "custom",
        path: [part, "y"],
        message: `must hold ${split.size} values`,
      });
    }
    // Features: finite; the first bad one per split, with its row and column.
    for (let i = 0; i < split.x.length; i++) {
      if (Number.isFinite(split.x[i])) continue;
      ctx.addIssue({
        code: "custom",
        path: [part, "x", i],
        message: `must be finite, got ${split.x[i]} (row ${Math.floor(i / data.numFeatures)}, ` +
          `column ${i % data.numFeatures})`,
      });
      break;
    }
    // Labels: a class index in [0, classes) or a finite target; the first bad one per split.
    const classes = data.classLabels.length;
    for (let i = 0; i < split.y.length; i++) {
      const v = split.y[i];
      const bad = data.task === "classification"
        ? !(Number.isInteger(v) && v >= 0 && v < classes)
        : !Number.isFinite(v);
      if (!bad) continue;
      ctx.addIssue({
        code: "custom",
        path: [part, "y", i],
        message: data.task === "classification"
          ? `must be a class index in [0, ${classes}), got ${v}`
          : `must be finite, got ${v}`,
      });
      break;
    }
  }
  if (data.task === "classification" && data.classLabels.length < 2) {
    ctx.addIssue({ code: "custom", path: ["classLabels"], message: "needs at least 2 classes" });
  }
});

/**
 * Why a run's scores cannot be reported (a non-finite error or loss on the validation or test
 * rows), or `undefined` when they are all finite: the one check every model's outcome passes.
 */
function nonFiniteScores(outcome: { validation: SplitScores; test: SplitScores }) {
  for (const split of ["validation", "test"] as const) {
    for (const metric of ["error", "loss"] as const) {
      const value = outcome[split][metric];
      if (!Number.isFinite(value)) return `non-finite ${metric} (${value}) on the ${split} rows`;
    }
  }
  return undefined;
}

/** The optimiser settings of an `"mlp-opt"` configuration (its inactive parameters absent). */
function optimizerOf(config: Record<string, unknown>): OptimizerSettings {
  switch (config.optimizer) {
    case "sgd":
      return {
        name: "sgd",
        momentum: config.momentum as number,
        nesterov: config.nesterov as boolean,
      };
    case "adam":
      return { name: "adam", beta1: config.beta1 as number, beta2: config.beta2 as number };
    default:
      return { name: "rmsprop", rho: config.rho as number };
  }
}

/**
 * Builds the HPO task of `options.model` on a prepared dataset.
 *
 * @throws {TypeError} naming the field for bad options or a malformed dataset (split sizes;
 * finite features: `hpoTask.data.train.x[5]: must be finite, got NaN (row 1, column 2)`; and
 * labels: `hpoTask.data.validation.y[2]: must be a class index in [0, 2), got 7` for
 * classification, finite targets for regression, in every split and for every model); `objective` and
 * `evaluate` throw a `TypeError` naming the field of a bad configuration (`params.lr: …`).
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "../../data/mod.ts";
 * import { minimize, randomSearch } from "../../smbo/mod.ts";
 * import { hpoTask } from "./task.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 0 });
 * const task = hpoTask(data, { model: "linear", seed: 1, backend: "cpu" });
 * const result = await minimize(task.objective, task.space, {
 *   budget: 4, seed: 0, proposer: randomSearch(),
 * });
 * result.best.value; // validation error rate of the best configuration
 * ```
 */
export function hpoTask(data: PreparedDataset, options: HpoTaskOptions): HpoTask {
  const opts = parseOrThrow(optionsSchema, options, "hpoTask.options");
  parseOrThrow(dataSchema, data, "hpoTask.data");
  const space = hpoSpace(opts.model);
  const seed = opts.seed ?? HPO_TASK_DEFAULTS.seed;
  const metric = opts.metric ?? HPO_TASK_DEFAULTS.metric;
  const backend = opts.backend ?? HPO_TASK_DEFAULTS.backend;

  // Every model's outcome ends here: scores that are not all finite make a failed run.
  const report = (outcome: TrainingOutcome, seconds: number, prefix: string): HpoEvaluation => {
    const reason = outcome.status === "failed" ? outcome.reason : nonFiniteScores(outcome);
    if (outcome.status === "complete" && reason === undefined) {
      return {
        status: "complete",
        validation: outcome.validation,
        test: outcome.test,
        seconds,
        steps: outcome.steps,
      };
    }
    return {
      status: "failed",
      validation: { error: NaN, loss: NaN },
      test: { error: NaN, loss: NaN },
      reason: `${prefix}${reason}`,
      seconds,
      steps: outcome.steps,
    };
  };

  const evaluate = async (params: Readonly<Record<string, unknown>>): Promise<HpoEvaluation> => {
    const config = space.validate(params) as Record<string, number>;
    if (
      opts.model === "rf" || opts.model === "knn" || opts.model === "krr" ||
      opts.model === "tree" || opts.model === "gbt"
    ) {
      const prefix = `${
        ({
          rf: "random forest",
          tree: "decision tree",
          knn: "k-NN",
          krr: "kernel ridge",
          gbt: "gradient boosting",
        })[opts.model]
      } failed: `;
      const start = performance.now();
      let outcome: TrainingOutcome;
      try {
        outcome = {
          status: "complete",
          ...(opts.model === "rf"
            ? fitAndScoreForest(data, config as unknown as RfConfig, seed)
            : opts.model === "tree"
            ? fitAndScoreTree(data, config as unknown as TreeConfig, seed)
            : opts.model === "gbt"
            ? fitAndScoreBoosting(data, config as unknown as GbtConfig, seed)
            : opts.model === "knn"
            ? fitAndScoreKnn(data, config as unknown as KnnConfig)
            : fitAndScoreKernelRidge(data, config as unknown as KrrConfig)),
        };
      } catch (error) {
        outcome = { status: "failed", reason: (error as Error).message, steps: 0 };
      }
      return report(outcome, (performance.now() - start) / 1000, prefix);
    }
    const [{ tf }, { useBackend }, { trainAndScore }] = await Promise.all([
      import("../../deps/tf.ts"),
      import("../../tfjs/mod.ts"),
      import("./train.ts"),
    ]);
    const mlp = opts.model === "mlp" || opts.model === "mlp-opt";
    const previous = tf.getBackend();
    const switched = backend !== undefined && previous !== backend;
    if (switched) await useBackend(backend);
    let outcome: TrainingOutcome;
    let seconds: number;
    try {
      await tf.ready();
      const start = performance.now();
      try {
        outcome = trainAndScore(data, {
          lr: config.lr,
          l2: config.l2,
          hidden: mlp ? new Array<number>(config.layers).fill(config.hiddenUnits) : [],
          dropout: mlp ? config.dropout : 0,
          ...(opts.model === "mlp-opt" ? { optimizer: optimizerOf(config) } : {}),
          batchSize: config.batchSize,
          epochs: config.epochs,
        }, new Rng(seed));
      } catch (error) {
        // A run that throws (e.g. a backend or memory error) is a failed run, as for the other
        // models; its tensors are disposed by trainAndScore.
        outcome = {
          status: "failed",
          reason: `${mlp ? "MLP" : "linear model"} training failed: ${(error as Error).message}`,
          steps: 0,
        };
      }
      seconds = (performance.now() - start) / 1000;
    } finally {
      // The process-wide backend as it was before this evaluation.
      if (switched && previous && tf.getBackend() !== previous) {
        await tf.setBackend(previous);
        await tf.ready();
      }
    }
    return report(outcome, seconds, "");
  };

  const id = opts.id ?? opts.model;
  return Object.freeze({
    id,
    model: opts.model,
    space,
    metric,
    evaluate,
    async objective(params: Readonly<Record<string, unknown>>): Promise<number> {
      const result = await evaluate(params);
      if (result.status === "failed") throw new Error(`${id}: ${result.reason}`);
      return result.validation[metric];
    },
  });
}
