/**
 * Named optimiser presets, and the random interleaving they use: {@linkcode smac} is SMAC3's
 * hyperparameter-optimisation facade (a random forest on log-scaled costs, log-normal EI
 * maximised by local and sorted random search, a share of random configurations) as a
 * {@linkcode Proposer}; {@linkcode interleaveRandom} makes any proposer spend a share of its
 * proposals on uniform random configurations (SMAC's `ProbabilityRandomDesign`).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { randomForest, type RandomForestSurrogateOptions } from "../models/random_forest.ts";
import { parseOrThrow } from "../validate.ts";
import { bayesOpt, type LocalSearchSettings } from "./bayes_opt.ts";
import { pickFromPool, type ProposalContext, type Proposer } from "./proposer.ts";

/** Attempts at drawing a random point that is not evaluated or pending already. */
const RANDOM_ATTEMPTS = 100;

const probabilitySchema = z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]");

/**
 * Wraps a proposer so that each proposed point is, with probability `probability`, a uniform
 * random configuration instead (projected onto the space; in pool mode a random unused member):
 * SMAC's random design (`ProbabilityRandomDesign`; Hutter, Hoos & Leyton-Brown 2011 interleave
 * every second configuration at random), which keeps a model that is confidently wrong from
 * never looking elsewhere. The draws come from the proposal's seeded `rng`, so the same seed
 * gives the same proposals. The model is asked only for the points it must choose, and a random
 * point avoids evaluated and pending points (up to 100 draws, for small discrete spaces).
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
      const taken = [...context.points, ...context.pending, ...modelPoints];
      const randomPoints = context.pool
        ? pickFromPool(
          context.pool.filter((c) => !modelPoints.includes(c)),
          q - modelCount,
          context.rng,
        )
        : Array.from({ length: q - modelCount }, () => {
          let point = context.project(context.rng.uniforms(context.dim));
          for (let k = 1; k < RANDOM_ATTEMPTS && taken.some((t) => same(t, point)); k++) {
            point = context.project(context.rng.uniforms(context.dim));
          }
          taken.push(point);
          return point;
        });
      // Keep the order of the draws: model and random points interleaved as decided.
      let m = 0;
      let r = 0;
      return random.map((isRandom) => isRandom ? randomPoints[r++] : modelPoints[m++]);
    },
  };
}

function same(a: Float64Array, b: Float64Array): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** Options of {@linkcode smac}; defaults in {@linkcode SMAC_DEFAULTS}. */
export interface SmacOptions {
  /** Options of the random forest (SMAC's `get_model` defaults unless given). */
  forest?: RandomForestSurrogateOptions;
  /** Share of random configurations (SMAC's random design probability). */
  randomProbability?: number;
  /** Settings of the local search (SMAC's `get_acquisition_maximizer` defaults unless given). */
  localSearch?: LocalSearchSettings;
}

/**
 * Defaults of {@linkcode smac}, those of SMAC3's `HyperparameterOptimizationFacade` (SMAC 2.x):
 * - surrogate: a random forest of 10 trees, all features considered per split (ratio 1.0), at
 *   least 2 points to split and 1 per leaf, depth ≤ 2^20, bootstrapped (`get_model`), fitted to
 *   log-scaled costs (`RunHistoryLogScaledEncoder`: `outcomeTransform: "log-scaled"`);
 * - acquisition: EI for log-transformed costs (`EI(log=True)`: `"lognormal-ei"`, ξ = 0);
 * - acquisition maximiser: local and sorted random search with 10,000 random samples
 *   (`challengers`) and 10 local searches (`local_search_iterations`), plateau walks of 10;
 * - random design: each proposal is a random configuration with probability 0.2
 *   (`ProbabilityRandomDesign(probability=0.2)`).
 * SMAC's initial design (Sobol, 10 configurations per hyperparameter, at most 10% of the budget)
 * and its intensifier (repeated runs of noisy targets) are the study's business: the study's
 * default initial design is used, and each configuration is run once.
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
}> = Object.freeze({
  forest: Object.freeze({
    trees: 10,
    maxFeatures: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxDepth: 2 ** 20,
    bootstrap: true,
  }),
  randomProbability: 0.2,
  localSearch: Object.freeze({ randomSamples: 10_000, localStarts: 10, randomStarts: 10 }),
});

const smacOptionsSchema = z.strictObject({
  forest: z.record(z.string(), z.unknown()).optional(),
  randomProbability: probabilitySchema.optional(),
  localSearch: z.record(z.string(), z.unknown()).optional(),
});

/**
 * SMAC3's hyperparameter-optimisation facade as a proposer (Hutter, Hoos & Leyton-Brown 2011;
 * Lindauer et al. 2022, "SMAC3: A Versatile Bayesian Optimization Package for Hyperparameter
 * Optimization", JMLR 23): {@linkcode bayesOpt} with a random forest on log-scaled costs, EI for
 * log-transformed costs, SMAC's local and sorted random search over the one-exchange
 * neighbourhood, and a share of random configurations ({@linkcode interleaveRandom}); defaults
 * in {@linkcode SMAC_DEFAULTS}. Works on continuous, mixed, categorical and conditional spaces
 * (inactive parameters are never proposed) and in pool mode (the forest scores the pool).
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
  });
  const probability = options.randomProbability ?? SMAC_DEFAULTS.randomProbability;
  const proposer = probability > 0 ? interleaveRandom(model, probability) : model;
  return { name: "smac", propose: (context, q) => proposer.propose(context, q) };
}
