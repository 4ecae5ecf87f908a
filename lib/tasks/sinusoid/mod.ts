/**
 * Few-shot regression task families for MAML-style meta-learning: sinusoid (Finn et al. 2017),
 * harmonic and sinusoid-or-line (torchmeta conventions), seeded training streams and a fixed
 * 600-task evaluation set.
 *
 * @example
 * ```ts
 * import { episodeSampler, evaluationSet, sinusoid } from "./mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * const train = episodeSampler(sinusoid, { shots: 10, queryShots: 10 });
 * const batch = train(new Rng(0), 25);
 * const test = evaluationSet(sinusoid, { shots: 5 });
 * ```
 *
 * @module
 */
export {
  harmonic,
  HARMONIC_RANGES,
  type HarmonicTask,
  LINE_RANGES,
  type RegressionFamily,
  sinusoid,
  SINUSOID_RANGES,
  sinusoidOrLine,
  type SinusoidOrLineTask,
  type SinusoidTask,
} from "./families.ts";
export {
  EPISODE_DEFAULTS,
  episodeSampler,
  type EvaluationSet,
  evaluationSet,
  type EvaluationSetOptions,
  sampleEpisode,
  type SamplerOptions,
} from "./episodes.ts";
export { Rng } from "../../random/rng.ts";
export { FINN_2017_SINUSOID_5SHOT, type PublishedSinusoidFigures } from "./published.ts";
