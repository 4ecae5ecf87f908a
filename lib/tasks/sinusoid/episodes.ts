/**
 * Episodes (support + query sets) drawn from a few-shot regression family: a seeded training
 * stream and a fixed, seeded evaluation set (600 tasks by default, Finn et al.'s protocol).
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { Rng } from "../../random/rng.ts";
import { parseOrThrow } from "../../validate.ts";
import type { Episode } from "../../maml/data.ts";
import type { RegressionFamily } from "./families.ts";

/**
 * Defaults: K = 10 shots and 10 query points in training (Finn et al.); 600 evaluation tasks
 * with 100 evenly spaced query points; evaluation seed 20170301 (kept apart from training seeds).
 */
export const EPISODE_DEFAULTS = {
  shots: 10,
  queryShots: 10,
  evaluationTasks: 600,
  evaluationQueryPoints: 100,
  evaluationSeed: 20170301,
} as const;

const count = (min: number) => z.number().int().min(min);

const EpisodeSizes = z.object({ shots: count(1), queryShots: count(1) });

function labelled<P>(family: RegressionFamily<P>, task: P, x: Float64Array) {
  return { x, y: x.map((v) => family.value(task, v)) };
}

/**
 * One episode of `task`: `shots` support and `queryShots` query inputs drawn from the task's
 * input distribution.
 *
 * @example
 * ```ts
 * import { sampleEpisode, sinusoid } from "./mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * const rng = new Rng(0);
 * const episode = sampleEpisode(sinusoid, sinusoid.sampleTask(rng), rng, 5, 10);
 * ```
 */
export function sampleEpisode<P>(
  family: RegressionFamily<P>,
  task: P,
  rng: Rng,
  shots: number,
  queryShots: number,
): Episode {
  parseOrThrow(EpisodeSizes, { shots, queryShots }, "sampleEpisode");
  return {
    support: labelled(family, task, family.sampleInputs(task, rng, shots)),
    query: labelled(family, task, family.sampleInputs(task, rng, queryShots)),
  };
}

/** Options of {@linkcode episodeSampler}. */
export interface SamplerOptions {
  /** Support points per task (default 10). */
  shots?: number;
  /** Query points per task (default 10). */
  queryShots?: number;
}

/**
 * A training stream: each call draws `n` fresh tasks and one episode of each from `rng`.
 *
 * @example
 * ```ts
 * import { episodeSampler, sinusoid } from "./mod.ts";
 * import { Rng } from "../../random/rng.ts";
 * const next = episodeSampler(sinusoid, { shots: 10 });
 * const metaBatch = next(new Rng(1), 25); // 25 episodes
 * ```
 */
export function episodeSampler<P>(
  family: RegressionFamily<P>,
  options: SamplerOptions = {},
): (rng: Rng, n: number) => Episode[] {
  const { shots, queryShots } = parseOrThrow(
    z.object({
      shots: count(1).default(EPISODE_DEFAULTS.shots),
      queryShots: count(1).default(EPISODE_DEFAULTS.queryShots),
    }).strict(),
    options,
    "episodeSampler",
  );
  return (rng, n) =>
    Array.from({ length: n }, () => {
      const task = family.sampleTask(rng);
      return {
        support: labelled(family, task, family.sampleInputs(task, rng, shots)),
        query: labelled(family, task, family.sampleInputs(task, rng, queryShots)),
      };
    });
}

/** Options of {@linkcode evaluationSet}. */
export interface EvaluationSetOptions {
  /** Support points per task (K). */
  shots: number;
  /** Number of tasks (default 600). */
  tasks?: number;
  /** Evenly spaced query points over the task's domain (default 100). */
  queryPoints?: number;
  /** Seed of the set (default {@linkcode EPISODE_DEFAULTS}.evaluationSeed). */
  seed?: number;
}

/** A fixed evaluation set: the tasks' parameters and one episode per task. */
export interface EvaluationSet<P> {
  /** Task parameters, in order. */
  readonly tasks: readonly P[];
  /** Episodes: K random support points, query on the evenly spaced grid. */
  readonly episodes: readonly Episode[];
}

/**
 * A fixed, seeded evaluation set. The tasks depend only on `seed` and `tasks`, not on `shots`;
 * each task's support inputs come from its own seeded stream, so the K = 5 support set is the
 * first five points of the K = 10 one. Query points are `queryPoints` evenly spaced inputs.
 *
 * @example
 * ```ts
 * import { evaluationSet, sinusoid } from "./mod.ts";
 * const fiveShot = evaluationSet(sinusoid, { shots: 5 }); // 600 tasks, 100 query points each
 * ```
 */
export function evaluationSet<P>(
  family: RegressionFamily<P>,
  options: EvaluationSetOptions,
): EvaluationSet<P> {
  const o = parseOrThrow(
    z.object({
      shots: count(1),
      tasks: count(1).default(EPISODE_DEFAULTS.evaluationTasks),
      queryPoints: count(1).default(EPISODE_DEFAULTS.evaluationQueryPoints),
      seed: z.number().int().default(EPISODE_DEFAULTS.evaluationSeed),
    }).strict(),
    options,
    "evaluationSet",
  );
  const root = new Rng(o.seed);
  const taskRng = root.spawn();
  const supportRng = root.spawn();
  const tasks = Array.from({ length: o.tasks }, () => family.sampleTask(taskRng));
  const episodes = tasks.map((task) => ({
    support: labelled(family, task, family.sampleInputs(task, supportRng.spawn(), o.shots)),
    query: labelled(family, task, family.grid(task, o.queryPoints)),
  }));
  return { tasks, episodes };
}
