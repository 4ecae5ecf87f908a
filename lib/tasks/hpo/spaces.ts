/**
 * The search spaces of the real HPO tasks: one per model, shared by every dataset so that tasks of
 * one model can transfer to each other (HPO-B's "search space" in the sense of Pineda Arango et
 * al. 2021).
 *
 * @module
 */
import {
  categorical,
  type CategoricalParam,
  defineSpace,
  float,
  type FloatParam,
  int,
  type IntParam,
  type ParamsOf,
  type Space,
  when,
} from "../../space/mod.ts";
import { KNN_KERNELS, type KnnKernel } from "./knn.ts";
import { KERNEL_RIDGE_KERNELS, type KernelRidgeKernel } from "./kernel_ridge.ts";

/** The parameters of {@linkcode linearSpace}. */
export type LinearSpaceDefinition = {
  readonly lr: FloatParam;
  readonly l2: FloatParam;
  readonly batchSize: IntParam;
  readonly epochs: IntParam;
};

/** The parameters of {@linkcode mlpSpace}. */
export type MlpSpaceDefinition = LinearSpaceDefinition & {
  readonly hiddenUnits: IntParam;
  readonly layers: IntParam;
  readonly dropout: FloatParam;
};

/** The parameters of {@linkcode rfSpace}. */
export type RfSpaceDefinition = {
  readonly nEstimators: IntParam;
  readonly maxFeatures: FloatParam;
  readonly minSamplesLeaf: IntParam;
  readonly maxDepth: IntParam;
  readonly bootstrap: CategoricalParam<boolean>;
};

/** The parameters of {@linkcode knnSpace}. */
export type KnnSpaceDefinition = {
  readonly k: IntParam;
  readonly p: FloatParam;
  readonly kernel: CategoricalParam<KnnKernel>;
};

/** The parameters of {@linkcode krrSpace}. */
export type KrrSpaceDefinition = {
  readonly alpha: FloatParam;
  readonly gamma: FloatParam;
  readonly kernel: CategoricalParam<KernelRidgeKernel>;
};

/** The parameters of {@linkcode treeSpace}. */
export type TreeSpaceDefinition = {
  readonly maxDepth: IntParam;
  readonly minSamplesSplit: IntParam;
  readonly minSamplesLeaf: IntParam;
  readonly maxFeatures: FloatParam;
};

/** The parameters of {@linkcode gbtSpace}. */
export type GbtSpaceDefinition = {
  readonly learningRate: FloatParam;
  readonly nRounds: IntParam;
  readonly maxDepth: IntParam;
  readonly minSamplesLeaf: IntParam;
  readonly subsample: FloatParam;
  readonly l2: FloatParam;
};

/**
 * The models of the HPO tasks: softmax / linear regression, a ReLU multilayer perceptron, a
 * random forest, weighted k-nearest neighbours, kernel ridge regression, a decision tree and
 * gradient-boosted trees.
 */
export type HpoModel = "linear" | "mlp" | "rf" | "knn" | "krr" | "tree" | "gbt";

/** The model names, in a fixed order (a model added later goes last). */
export const HPO_MODELS: readonly HpoModel[] = Object.freeze([
  "linear",
  "mlp",
  "rf",
  "knn",
  "krr",
  "tree",
  "gbt",
]);

/**
 * Every model an HPO task can train: the {@linkcode HpoModel}s (those of the meta-dataset) and
 * `"mlp-opt"`, the MLP whose optimiser is searched too ({@linkcode mlpOptSpace}, a conditional
 * space).
 */
export type HpoTaskModel = HpoModel | "mlp-opt";

/**
 * The names of every {@linkcode HpoTaskModel}, in a fixed order.
 *
 * @example
 * ```ts
 * import { HPO_TASK_MODELS } from "./spaces.ts";
 * console.log(HPO_TASK_MODELS); // ["linear", "mlp", "rf", "knn", "krr", "tree", "gbt", "mlp-opt"]
 * ```
 */
export const HPO_TASK_MODELS: readonly HpoTaskModel[] = Object.freeze([...HPO_MODELS, "mlp-opt"]);

/**
 * Search space of softmax regression (classification) and linear regression (regression), trained
 * with Adam on minibatches:
 * - `lr`: Adam learning rate, log-uniform in [1e-4, 1];
 * - `l2`: weight of the L2 penalty `l2 · Σ w²` on the weights (not the biases), log in [1e-7, 1e-1];
 * - `batchSize`: minibatch size, integer, log in [16, 256];
 * - `epochs`: passes over the training rows, integer, log in [2, 32].
 *
 * @example
 * ```ts
 * import { linearSpace } from "./spaces.ts";
 * import { Rng } from "../../random/rng.ts";
 * const [config] = linearSpace.sample(1, new Rng(0), "sobol");
 * config.lr; // in [1e-4, 1]
 * ```
 */
export const linearSpace: Space<LinearSpaceDefinition> = defineSpace({
  lr: float(1e-4, 1, { log: true }),
  l2: float(1e-7, 1e-1, { log: true }),
  batchSize: int(16, 256, { log: true }),
  epochs: int(2, 32, { log: true }),
});

/**
 * Search space of the MLP (ReLU hidden layers of equal width, inverted dropout after each hidden
 * layer, Adam):
 * - `lr`: log in [1e-4, 1e-1]; `l2`: log in [1e-7, 1e-1] (weights only);
 * - `hiddenUnits`: units per hidden layer, integer, log in [8, 128];
 * - `layers`: hidden layers, integer in [1, 3];
 * - `dropout`: drop probability in [0, 0.5];
 * - `batchSize`: integer, log in [16, 256]; `epochs`: integer, log in [2, 32].
 *
 * @example
 * ```ts
 * import { mlpSpace } from "./spaces.ts";
 * mlpSpace.validate({
 *   lr: 1e-3, l2: 1e-5, hiddenUnits: 32, layers: 2, dropout: 0.1, batchSize: 32, epochs: 10,
 * });
 * ```
 */
export const mlpSpace: Space<MlpSpaceDefinition> = defineSpace({
  lr: float(1e-4, 1e-1, { log: true }),
  l2: float(1e-7, 1e-1, { log: true }),
  hiddenUnits: int(8, 128, { log: true }),
  layers: int(1, 3),
  dropout: float(0, 0.5),
  batchSize: int(16, 256, { log: true }),
  epochs: int(2, 32, { log: true }),
});

/** The parameters of {@linkcode mlpOptSpace}. */
export type MlpOptSpaceDefinition = Omit<MlpSpaceDefinition, "lr"> & {
  readonly optimizer: CategoricalParam<"sgd" | "adam" | "rmsprop">;
  readonly lr: FloatParam;
  readonly momentum: FloatParam & { readonly when: { readonly optimizer: "sgd" } };
  readonly nesterov: CategoricalParam<false | true> & {
    readonly when: { readonly optimizer: "sgd" };
  };
  readonly beta1: FloatParam & { readonly when: { readonly optimizer: "adam" } };
  readonly beta2: FloatParam & { readonly when: { readonly optimizer: "adam" } };
  readonly rho: FloatParam & { readonly when: { readonly optimizer: "rmsprop" } };
};

/**
 * Conditional search space of the MLP with the optimiser as a hyperparameter (a conditional
 * space: each optimiser has its own parameters, absent from the configurations of the others):
 * - `optimizer`: `"sgd"`, `"adam"` or `"rmsprop"`; `lr`: log in [1e-4, 1] (SGD wants larger
 *   rates than Adam);
 * - `momentum` (sgd only): heavy-ball momentum in [0, 0.99]; `nesterov` (sgd only): Nesterov's
 *   momentum or not;
 * - `beta1` in [0.5, 0.99] and `beta2` in [0.9, 0.9999] (adam only);
 * - `rho` (rmsprop only): decay of the squared-gradient average in [0.8, 0.999];
 * - `l2`, `hiddenUnits`, `layers`, `dropout`, `batchSize`, `epochs`: as in {@linkcode mlpSpace}.
 *
 * @example
 * ```ts
 * import { mlpOptSpace } from "./spaces.ts";
 * mlpOptSpace.validate({
 *   optimizer: "sgd", lr: 0.05, momentum: 0.9, nesterov: true,
 *   l2: 1e-5, hiddenUnits: 32, layers: 2, dropout: 0.1, batchSize: 32, epochs: 10,
 * }); // no beta1, beta2 or rho: they are inactive for SGD
 * ```
 */
export const mlpOptSpace: Space<MlpOptSpaceDefinition> = defineSpace({
  optimizer: categorical(["sgd", "adam", "rmsprop"]),
  lr: float(1e-4, 1, { log: true }),
  momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
  nesterov: when({ optimizer: "sgd" }, categorical([false, true])),
  beta1: when({ optimizer: "adam" }, float(0.5, 0.99)),
  beta2: when({ optimizer: "adam" }, float(0.9, 0.9999)),
  rho: when({ optimizer: "rmsprop" }, float(0.8, 0.999)),
  l2: float(1e-7, 1e-1, { log: true }),
  hiddenUnits: int(8, 128, { log: true }),
  layers: int(1, 3),
  dropout: float(0, 0.5),
  batchSize: int(16, 256, { log: true }),
  epochs: int(2, 32, { log: true }),
});

/** A configuration of {@linkcode mlpOptSpace} (the optimiser's parameters optional). */
export type MlpOptConfig = ParamsOf<typeof mlpOptSpace>;

/**
 * Search space of the random forest (classifier or regressor, `lib/forest`; trained in plain
 * TypeScript, no TensorFlow.js):
 * - `nEstimators`: trees, integer, log in [8, 128];
 * - `maxFeatures`: ratio of the features searched per split, in [0.1, 1];
 * - `minSamplesLeaf`: rows per leaf, integer, log in [1, 32];
 * - `maxDepth`: depth limit, integer, log in [1, 32]; 32 is not quite unlimited: on the larger
 *   PMLB datasets (thousands of training rows) an unrestricted tree with few features per split
 *   and one row per leaf can grow deeper, so there it still cuts the deepest branches;
 * - `bootstrap`: bagging on or off.
 *
 * The split criterion stays at its default (Gini for classification) so that the space is the
 * same for classification and regression datasets.
 *
 * @example
 * ```ts
 * import { rfSpace } from "./spaces.ts";
 * rfSpace.validate({
 *   nEstimators: 32, maxFeatures: 0.5, minSamplesLeaf: 2, maxDepth: 10, bootstrap: true,
 * });
 * ```
 */
export const rfSpace: Space<RfSpaceDefinition> = defineSpace({
  nEstimators: int(8, 128, { log: true }),
  maxFeatures: float(0.1, 1),
  minSamplesLeaf: int(1, 32, { log: true }),
  maxDepth: int(1, 32, { log: true }),
  bootstrap: categorical([true, false]),
});

/**
 * Search space of weighted k-nearest neighbours (`kknn`, Hechenbichler & Schliep 2004; plain
 * TypeScript, no TensorFlow.js):
 * - `k`: neighbours, integer, log in [1, 50];
 * - `p`: exponent of the Minkowski distance in [1, 5];
 * - `kernel`: the weight of a neighbour as a function of its standardised distance, one of
 *   `rectangular`, `triangular`, `epanechnikov`, `biweight`, `gaussian`, `inv`.
 *
 * @example
 * ```ts
 * import { knnSpace } from "./spaces.ts";
 * knnSpace.validate({ k: 7, p: 2, kernel: "triangular" });
 * ```
 */
export const knnSpace: Space<KnnSpaceDefinition> = defineSpace({
  k: int(1, 50, { log: true }),
  p: float(1, 5),
  kernel: categorical([...KNN_KERNELS]),
});

/**
 * Search space of kernel ridge regression (on centred targets; plain TypeScript, no
 * TensorFlow.js; classification by regression on the class indicators):
 * - `alpha`: the ridge penalty, log in [1e-4, 10];
 * - `gamma`: the kernel's inverse length scale, log in [1e-4, 10];
 * - `kernel`: `rbf` (exp(−γ‖x − z‖²)) or `laplacian` (exp(−γ‖x − z‖₁)).
 *
 * @example
 * ```ts
 * import { krrSpace } from "./spaces.ts";
 * krrSpace.validate({ alpha: 0.1, gamma: 0.05, kernel: "rbf" });
 * ```
 */
export const krrSpace: Space<KrrSpaceDefinition> = defineSpace({
  alpha: float(1e-4, 10, { log: true }),
  gamma: float(1e-4, 10, { log: true }),
  kernel: categorical([...KERNEL_RIDGE_KERNELS]),
});

/**
 * Search space of a single CART decision tree (`lib/forest` with one tree and no bootstrap; plain
 * TypeScript, no TensorFlow.js; Gini impurity for classification, squared error for regression):
 * - `maxDepth`: depth limit, integer, log in [1, 30];
 * - `minSamplesSplit`: rows a node needs to be split, integer, log in [2, 64];
 * - `minSamplesLeaf`: rows per leaf, integer, log in [1, 32];
 * - `maxFeatures`: ratio of the features searched per split, in [0.2, 1].
 *
 * @example
 * ```ts
 * import { treeSpace } from "./spaces.ts";
 * treeSpace.validate({ maxDepth: 6, minSamplesSplit: 4, minSamplesLeaf: 2, maxFeatures: 1 });
 * ```
 */
export const treeSpace: Space<TreeSpaceDefinition> = defineSpace({
  maxDepth: int(1, 30, { log: true }),
  minSamplesSplit: int(2, 64, { log: true }),
  minSamplesLeaf: int(1, 32, { log: true }),
  maxFeatures: float(0.2, 1),
});

/**
 * Search space of gradient-boosted trees (Friedman's TreeBoost with row subsampling and an L2
 * penalty on the leaf values, `boosting.ts`; plain TypeScript, no TensorFlow.js; squared error
 * for regression, log-loss for classification):
 * - `learningRate`: shrinkage of each tree, log in [0.01, 1];
 * - `nRounds`: boosting rounds, integer, log in [8, 256] (one tree per round, one per class per
 *   round for three classes or more);
 * - `maxDepth`: depth limit of each tree, integer in [1, 10];
 * - `minSamplesLeaf`: rows per leaf, integer, log in [1, 32];
 * - `subsample`: share of the training rows drawn per round (without replacement), in [0.5, 1];
 * - `l2`: L2 penalty on the leaf values, log in [0.001, 10].
 *
 * @example
 * ```ts
 * import { gbtSpace } from "./spaces.ts";
 * gbtSpace.validate({
 *   learningRate: 0.1, nRounds: 64, maxDepth: 3, minSamplesLeaf: 1, subsample: 1, l2: 1,
 * });
 * ```
 */
export const gbtSpace: Space<GbtSpaceDefinition> = defineSpace({
  learningRate: float(0.01, 1, { log: true }),
  nRounds: int(8, 256, { log: true }),
  maxDepth: int(1, 10),
  minSamplesLeaf: int(1, 32, { log: true }),
  subsample: float(0.5, 1),
  l2: float(0.001, 10, { log: true }),
});

/** A configuration of {@linkcode linearSpace}. */
export type LinearConfig = ParamsOf<typeof linearSpace>;
/** A configuration of {@linkcode mlpSpace}. */
export type MlpConfig = ParamsOf<typeof mlpSpace>;
/** A configuration of {@linkcode rfSpace}. */
export type RfConfig = ParamsOf<typeof rfSpace>;
/** A configuration of {@linkcode knnSpace}. */
export type KnnConfig = ParamsOf<typeof knnSpace>;
/** A configuration of {@linkcode krrSpace}. */
export type KrrConfig = ParamsOf<typeof krrSpace>;
/** A configuration of {@linkcode treeSpace}. */
export type TreeConfig = ParamsOf<typeof treeSpace>;
/** A configuration of {@linkcode gbtSpace}. */
export type GbtConfig = ParamsOf<typeof gbtSpace>;
/** A configuration of any model. */
export type HpoConfig =
  | LinearConfig
  | MlpConfig
  | RfConfig
  | KnnConfig
  | KrrConfig
  | TreeConfig
  | GbtConfig;

/**
 * The search space of a model.
 *
 * @throws {TypeError} naming the argument for an unknown model.
 * @example
 * ```ts
 * import { hpoSpace } from "./spaces.ts";
 * hpoSpace("mlp").names; // ["lr", "l2", "hiddenUnits", "layers", "dropout", "batchSize", "epochs"]
 * ```
 */
export function hpoSpace(model: HpoTaskModel): Space {
  if (model === "linear") return linearSpace;
  if (model === "mlp") return mlpSpace;
  if (model === "mlp-opt") return mlpOptSpace;
  if (model === "rf") return rfSpace;
  if (model === "knn") return knnSpace;
  if (model === "krr") return krrSpace;
  if (model === "tree") return treeSpace;
  if (model === "gbt") return gbtSpace;
  throw new TypeError(
    `model: must be one of ${HPO_TASK_MODELS.map((m) => JSON.stringify(m)).join(", ")}, got ${
      JSON.stringify(model)
    }`,
  );
}
