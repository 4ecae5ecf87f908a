/**
 * Published figures of the sinusoid protocol, to put next to a reproduction.
 *
 * @module
 */

/** Published query MSEs of one sinusoid setting, by number of gradient steps. */
export interface PublishedSinusoidFigures {
  /** Support points per task (K). */
  readonly shots: number;
  /** Meta-iterations of the published MAML run. */
  readonly iterations: number;
  /** MAML's query MSE after the given number of steps. */
  readonly maml: Readonly<Record<number, number>>;
  /** The pretrained baseline's query MSE after the given number of steps. */
  readonly pretrained: Readonly<Record<number, number>>;
}

/**
 * Finn, Abbeel and Levine (2017), "Model-Agnostic Meta-Learning for Fast Adaptation of Deep
 * Networks", ICML, appendix table of the multi-task baselines: 5-shot sinusoid regression, query
 * MSE of MAML and of the network pretrained on all tasks, after 1, 5 and 10 gradient steps
 * (α = 0.01), MAML meta-trained for 70,000 iterations. The table gives means only.
 *
 * @example
 * ```ts
 * import { FINN_2017_SINUSOID_5SHOT } from "./published.ts";
 * FINN_2017_SINUSOID_5SHOT.maml[10]; // 0.35
 * ```
 */
export const FINN_2017_SINUSOID_5SHOT: PublishedSinusoidFigures = Object.freeze({
  shots: 5,
  iterations: 70_000,
  maml: Object.freeze({ 1: 0.67, 5: 0.38, 10: 0.35 }),
  pretrained: Object.freeze({ 1: 2.41, 10: 2.19 }),
});
