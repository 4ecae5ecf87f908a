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
