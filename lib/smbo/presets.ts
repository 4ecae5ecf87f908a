/**
 * Named optimiser presets, and the random interleaving they use: {@linkcode smac} is SMAC3's
 * hyperparameter-optimisation facade (a random forest on log-scaled costs, log-normal EI
 * maximised by local and sorted random search, a share of random configurations) as a
 * {@linkcode Proposer}; {@linkcode interleaveRandom} makes any proposer spend a share of its
 * proposals on uniform random configurations (SMAC's `ProbabilityRandomDesign`);
 * {@linkcode smacInitialDesignSize} is the size of SMAC's initial design (at most a quarter of the
 * budget, as SMAC3 2.x's releases).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import {
  randomForest,
  randomForestOptionsSchema,
  type RandomForestSurrogateOptions,
} from "../models/random_forest.ts";
import { isPromiseLike, parseOrThrow, positiveIntSchema } from "../validate.ts";
import { bayesOpt, type LocalSearchSettings, localSearchSettingsSchema } from "./bayes_opt.ts";
import { pickFromPool, type ProposalContext, type Proposer, savedState } from "./proposer.ts";
import { randomlyChosen } from "./proposer.ts";
import { matchPool, randomPointsAvoiding } from "./_proposal.ts";

const probabilitySchema = z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]");

/**
 * Wraps a proposer so that each proposed point is, with probability `probability`, a uniform
 * random configuration instead (projected onto the space; in pool mode a random unused member):
 * SMAC's random design (`ProbabilityRandomDesign`; Hutter, Hoos & Leyton-Brown 2011 interleave
 * every second configuration at random), which keeps a model that is confidently wrong from
 * never looking elsewhere. The draws come from the proposal's seeded `rng`, so the same seed
 * gives the same proposals. The model is asked only for the points it must choose, and a random
 * point avoids evaluated, failed and pending points (up to 100 draws, for small discrete spaces); in pool
 * mode it is never one of the candidates the model chose, whether the model returned them by
 * reference or by value (matched as the study matches proposals to candidates). In a
 * study, the trials of random points have source `"random"`, those of the model's `"model"`. The
 * wrapped proposer's `saveState`/`restoreState`, when it has them, are the wrapper's.
 *
 * @param proposer The model-based proposer.
 * @param probability Share of random configurations, in [0, 1].
 * @returns A proposer named `<proposer>+random<probability>`.
 * @throws {TypeError} When `proposer` is not a proposer or `probability` is not in [0, 1].
 *
 * @example
 * ```ts
 * import { interleaveRandom } from "./presets.ts";
 * import { bayesOpt } from "./bayes_opt.ts";
 * import { minimize } from "./minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(-2, 2) });
 * const result = await minimize((p) => p.x ** 2, space, {
 *   budget: 12,
 *   seed: 0,
 *   proposer: interleaveRandom(bayesOpt(), 0.2),
 * });
 * ```
 */
export function interleaveRandom(proposer: Proposer, probability: number): Proposer {
  if (proposer === null || typeof proposer !== "object" || typeof proposer.propose !== "function") {
    throw new TypeError("interleaveRandom: proposer: must be a Proposer (with propose)");
  }
  parseOrThrow(probabilitySchema, probability, "interleaveRandom: probability");
  return {
    name: `${proposer.name}+random${probability}`,
    propose(context: ProposalContext, q: number): Float64Array[] {
      const random = Array.from({ length: q }, () => context.rng.uniform() < probability);
      const modelCount = random.filter((r) => !r).length;
      const modelPoints = modelCount > 0 ? proposer.propose(context, modelCount) : [];
      if (!Array.isArray(modelPoints) || modelPoints.length !== modelCount) {
        throw new Error(
          `proposer ${proposer.name} returned ${
            isPromiseLike(modelPoints)
              ? "a Promise (propose must return the points synchronously), not"
              : Array.isArray(modelPoints)
              ? modelPoints.length
              : typeof modelPoints
          } points, expected ${modelCount}`,
        );
      }
      const randomPoints = context.pool
        ? pickFromPool(
          withoutProposed(context.pool, modelPoints, proposer.name),
          q - modelCount,
          context.rng,
        )
        : randomPointsAvoiding(context, q - modelCount, [
          ...context.points,
          ...(context.failed ?? []),
          ...context.pending,
          ...modelPoints,
        ]);
      // Keep the order of the draws: model and random points interleaved as decided, the random
      // ones marked so that their trials' source is "random".
      let m = 0;
      let r = 0;
      const points = random.map((isRandom) => isRandom ? randomPoints[r++] : modelPoints[m++]);
      randomlyChosen.set(points, random);
      return points;
    },
    ...savedState(proposer),
  };
}

/**
 * The members of `pool` that are not among the proposed `points`: each point is matched to a
 * candidate as a study matches it (by reference, else by its exact coordinates, else within the
 * rounding tolerance), so that a proposer returning pool members by value excludes them too.
 */
function withoutProposed(
  pool: readonly Float64Array[],
  points: readonly Float64Array[],
  proposerName: string,
): Float64Array[] {
  if (points.length === 0) return pool.slice();
  const taken = new Set(matchPool(pool, points, proposerName));
  return pool.filter((_, i) => !taken.has(i));
}

/** Options of {@linkcode smac}; defaults in {@linkcode SMAC_DEFAULTS}. */
export interface SmacOptions {
  /** Options of the random forest (SMAC's `get_model` defaults unless given). */
  forest?: RandomForestSurrogateOptions;
  /** Share of random configurations (SMAC's random design probability). */
  randomProbability?: number;
  /** Settings of the local search (SMAC's `get_acquisition_maximizer` defaults unless given). */
  localSearch?: LocalSearchSettings;
  /** The incumbent value of EI (`bayesOpt`'s `incumbentValue`). */
  incumbentValue?: "observed" | "predicted";
  /** Configurations proposed per fit of the forest (`bayesOpt`'s `retrainAfter`). */
  retrainAfter?: number;
}

/**
 * Defaults of {@linkcode smac}, those of SMAC3's `HyperparameterOptimizationFacade` (SMAC 2.x):
 * - surrogate: a random forest of 10 trees, all inputs searched per split (`ratio_features`
 *   1.0), at least 2 drawn points to split and 1 per leaf, depth ≤ 2^20, bootstrapped
 *   (`get_model`'s arguments), fitted to log-scaled costs (`RunHistoryLogScaledEncoder`:
 *   `outcomeTransform: "log-scaled"`), its variance the spread of the tree means
 *   (`variance: "trees"`: each tree's leaf mean of the log-scaled costs, their sample variance
 *   with divisor B − 1). SMAC3's forest differs there: with `log_y=True` a tree's value is
 *   log(mean(exp(·))) of its leaf's log-scaled costs, and the variance across trees is `np.var`
 *   (divisor B), 9/10 of ours for the same tree values; with one distinct cost per leaf the tree
 *   values coincide. Its trees are extremely randomised: at each node one threshold per input drawn
 *   uniformly between the node's smallest and largest value of it, the input whose split fits
 *   best then taken (`splitter: "random"`; SMAC3 ≥ 2.4's scikit-learn forest,
 *   `RandomForest(splitter="random")`). SMAC3 up to 2.3 grew pyrfr's trees, the best threshold
 *   of each input drawn uniformly between the two neighbouring values it separates: pass
 *   `forest: { splitter: "best" }` for those (worse on most problems of the `rf` suite's design
 *   study, better on Levy-4 after 50 evaluations: results/rf/README.md). A categorical input
 *   keeps its best partition of levels at each node (`categoricalSplit: "best"`), which favours
 *   categoricals over the numeric inputs' single random thresholds; `forest: { categoricalSplit:
 *   "random" }` draws one random partition instead (Geurts, Ernst & Wehenkel 2006);
 * - acquisition: EI for log-transformed costs (`EI(log=True)`: `"lognormal-ei"`, ξ = 0), its
 *   incumbent value the lowest predicted mean over the evaluated configurations (SMAC3's
 *   `ConfigSelector` with `predict_x_best=True`: `incumbentValue: "predicted"`);
 * - acquisition maximiser: local and sorted random search, 10 local searches from the best
 *   observed points (`local_search_iterations`) and 10 from the best random samples, plateau
 *   walks of 10 — with 1,000 random samples where SMAC draws 10,000 (`challengers`): here each
 *   sample costs a draw and a forest prediction in TypeScript (a few µs), and the climbing is
 *   the local search's; pass `localSearch: { randomSamples: 10_000 }` for SMAC's count; the
 *   one-exchange neighbourhood with ConfigSpace's defaults (4 normal steps of σ = 0.2 per
 *   continuous parameter), where SMAC3 2.x asks it for 8 steps of σ = 0.05
 *   (`smac.utils.configspace`), which was no better on the `rf` suite's problems
 *   (results/rf/README.md): pass `localSearch: { continuousNeighbours: 8, stepScale: 0.05 }` for
 *   SMAC3's;
 * - random design: each proposal is a random configuration with probability 0.2
 *   (`ProbabilityRandomDesign(probability=0.2)`);
 * - the forest is fitted afresh for every proposal (`retrainAfter: 1`), where SMAC3's
 *   `ConfigSelector` fits it once per 8 configurations and proposes the 8 best of its challenger
 *   list in turn (`retrain_after=8`), which was worse on every problem of the `rf` suite's design
 *   study (results/rf/README.md): pass `retrainAfter: 8` for SMAC3's.
 * SMAC's initial design (Sobol, 10 configurations per hyperparameter, at most 25% of the budget:
 * {@linkcode smacInitialDesignSize}) is the study's business: pass it as `initialDesignSize` to
 * `minimize` or `SMBO` (their default, `max(5, 2p + 1)`, is used otherwise). SMAC's intensifier
 * (repeated runs of noisy targets) has no counterpart: each configuration is run once.
 *
 * @example
 * ```ts
 * import { SMAC_DEFAULTS } from "./presets.ts";
 * console.log(SMAC_DEFAULTS.randomProbability); // 0.2
 * ```
 */
export const SMAC_DEFAULTS: Readonly<{
  forest: Readonly<RandomForestSurrogateOptions>;
  randomProbability: number;
  localSearch: Readonly<LocalSearchSettings>;
  incumbentValue: "observed" | "predicted";
  retrainAfter: number;
}> = Object.freeze({
  forest: Object.freeze({
    nTrees: 10,
    ratioFeatures: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxDepth: 2 ** 20,
    bootstrap: true,
    variance: "trees",
    splitValue: "uniform",
    splitter: "random",
  }),
  randomProbability: 0.2,
  localSearch: Object.freeze({ randomSamples: 1000, localStarts: 10, randomStarts: 10 }),
  incumbentValue: "predicted",
  retrainAfter: 1,
});

const smacOptionsSchema = z.strictObject({
  forest: randomForestOptionsSchema.optional(),
  randomProbability: probabilitySchema.optional(),
  localSearch: localSearchSettingsSchema.optional(),
  incumbentValue: z.enum(["observed", "predicted"]).optional(),
  retrainAfter: positiveIntSchema.optional(),
});

/**
 * SMAC3's hyperparameter-optimisation facade as a proposer (Hutter, Hoos & Leyton-Brown 2011;
 * Lindauer et al. 2022, "SMAC3: A Versatile Bayesian Optimization Package for Hyperparameter
 * Optimization", JMLR 23): {@linkcode bayesOpt} with a random forest on log-scaled costs, EI for
 * log-transformed costs, SMAC's local and sorted random search over the one-exchange
 * neighbourhood, and a share of random configurations ({@linkcode interleaveRandom}); defaults
 * in {@linkcode SMAC_DEFAULTS}. Works on continuous, mixed, categorical and conditional spaces
 * (inactive parameters are never proposed) and in pool mode (the forest scores the pool). It
 * saves its state as `bayesOpt` does (`Proposer.saveState`: with `retrainAfter` > 1, the fit's
 * remaining candidates), so a stored study keeps it.
 *
 * @param options Forest, random share and local-search settings.
 * @returns The proposer, named `smac`.
 * @throws {TypeError} On bad options, naming the field.
 *
 * @example
 * ```ts
 * import { smac } from "./presets.ts";
 * import { minimize } from "./minimize.ts";
 * import { categorical, defineSpace, float, when } from "../space/mod.ts";
 * const space = defineSpace({
 *   optimizer: categorical(["sgd", "adam"]),
 *   lr: float(1e-4, 1e-1, { log: true }),
 *   momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
 * });
 * const result = await minimize(
 *   (p) => (Math.log10(p.lr) + 2) ** 2 + (p.optimizer === "sgd" ? (p.momentum! - 0.9) ** 2 : 0.5),
 *   space,
 *   { budget: 20, seed: 0, proposer: smac() },
 * );
 * ```
 */
export function smac(options: SmacOptions = {}): Proposer {
  parseOrThrow(smacOptionsSchema, options, "smac: options");
  const model = bayesOpt({
    surrogate: randomForest({ ...SMAC_DEFAULTS.forest, ...options.forest }),
    acquisition: "lognormal-ei",
    outcomeTransform: "log-scaled",
    acquisitionOptimizer: "local-search",
    localSearch: { ...SMAC_DEFAULTS.localSearch, ...options.localSearch },
    incumbentValue: options.incumbentValue ?? SMAC_DEFAULTS.incumbentValue,
    retrainAfter: options.retrainAfter ?? SMAC_DEFAULTS.retrainAfter,
  });
  const probability = options.randomProbability ?? SMAC_DEFAULTS.randomProbability;
  const proposer = probability > 0 ? interleaveRandom(model, probability) : model;
  return {
    name: "smac",
    propose: (context, q) => proposer.propose(context, q),
    ...savedState(proposer),
  };
}

/** Options of {@linkcode smacInitialDesignSize}; defaults those of SMAC3 2.x's releases. */
export interface SmacInitialDesignOptions {
  /** Configurations per searched parameter (SMAC's `n_configs_per_hyperparameter`, default 10). */
  perParameter?: number;
  /**
   * Largest share of the budget the design may take, in (0, 1] (SMAC's `max_ratio`, default
   * 0.25, that of the hyperparameter-optimisation facade from SMAC3 2.0.2 on; 0.1 reproduces
   * the 2.0.0 pre-releases).
   */
  maxRatio?: number;
}

/**
 * The size of SMAC's initial design (`SobolInitialDesign` of the hyperparameter-optimisation
 * facade, `HyperparameterOptimizationFacade.get_initial_design` in SMAC3 2.x): 10
 * configurations per searched parameter, at most a quarter of the budget, at least one —
 * `max(1, min(perParameter·p, ⌊maxRatio·budget⌋))`, p the number of parameters that are not
 * fixed (`perParameter` 10 and `maxRatio` 0.25 by default, SMAC3's
 * `n_configs_per_hyperparameter` and `max_ratio`).
 *
 * @param space The search space (its parameters), as `defineSpace` returns it.
 * @param budget The number of evaluations of the run.
 * @param options `perParameter` and `maxRatio`, e.g. `{ maxRatio: 0.1 }` for the design of
 *   SMAC3's 2.0.0 pre-releases.
 * @returns The number of initial configurations.
 * @throws {TypeError} When `space` has no parameter list, `budget` is not a positive integer, or
 *   an option is out of range (naming it).
 *
 * @example
 * ```ts
 * import { smac, smacInitialDesignSize } from "./presets.ts";
 * import { minimize } from "./minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
 * console.log(smacInitialDesignSize(space, 50)); // 12
 * console.log(smacInitialDesignSize(space, 50, { maxRatio: 0.1 })); // 5
 * await minimize((p) => (p.x - 0.2) ** 2 + p.y, space, {
 *   budget: 12,
 *   seed: 0,
 *   proposer: smac(),
 *   initialDesignSize: smacInitialDesignSize(space, 12),
 * });
 * ```
 */
export function smacInitialDesignSize(
  space: { readonly params: readonly { readonly type: string }[] },
  budget: number,
  options: SmacInitialDesignOptions = {},
): number {
  parseOrThrow(designSpaceSchema, space, "smacInitialDesignSize: space");
  parseOrThrow(positiveIntSchema, budget, "smacInitialDesignSize: budget");
  const o = parseOrThrow(designOptionsSchema, options, "smacInitialDesignSize: options");
  const perParameter = o.perParameter ?? SMAC_DESIGN_DEFAULTS.perParameter;
  const maxRatio = o.maxRatio ?? SMAC_DESIGN_DEFAULTS.maxRatio;
  const searched = space.params.filter((p) => p.type !== "fixed").length;
  return Math.max(1, Math.min(perParameter * searched, Math.floor(maxRatio * budget)));
}

/** SMAC3 2.x's initial design: configurations per searched parameter and the budget share. */
const SMAC_DESIGN_DEFAULTS = Object.freeze({ perParameter: 10, maxRatio: 0.25 });

const designSpaceSchema = z.object({
  params: z.array(
    z.object({ type: z.string("must be a string") }, "must be a parameter of a space"),
    "must be an array of parameters",
  ),
}, "must be a search space (defineSpace(...))");

const designOptionsSchema = z.strictObject({
  perParameter: positiveIntSchema.optional(),
  maxRatio: z.number().gt(0, "must be in (0, 1]").max(1, "must be in (0, 1]").optional(),
}, "must be an object");
