/**
 * The SMBO-vs-MAML comparison protocol. Both families answer one question: **given past tasks,
 * how fast do we get a good model on a new task?**
 *
 * Task families, each with a seeded meta-train / meta-test split:
 * - `sinusoid` (Finn et al. 2017): meta-training streams fresh sinusoids (K = 10 support and 10
 *   query points, as in the paper); meta-test tasks are a fixed evaluation set (its own seed,
 *   disjoint from training) scored on 100 evenly spaced points, with K = 5 and K = 10 support
 *   points (tasks `sinusoid-k5`, `sinusoid-k10`). Meta-learners are trained once per seed and
 *   tested at both K, so their meta-training compute is shared by the two tasks.
 * - `tabular`: K-shot regression episodes drawn from a built-in dataset by `tabularEpisodes`
 *   (rows split 70/30 into meta-train and meta-test pools, preprocessing fitted on meta-train
 *   rows, standardised target); task `<dataset>-k<K>`.
 *
 * Every arm trains the same ReLU MLP (`in-40-40-1`) and adapts it to a meta-test task with plain
 * SGD on the support set; the query MSE is measured after 1 and 10 steps (and, for the arms that
 * train from scratch, after their own number of steps). Arms:
 * - `scratch`: default hyperparameters ({@linkcode SCRATCH_DEFAULTS}: SGD, learning rate 0.01 —
 *   MAML's inner rate —, 100 steps, no weight decay, init scale 1) from a seeded initialisation;
 * - `smbo-scratch`: {@linkcode minimize} (GP-LogEI) tunes learning rate (log), steps (log), weight
 *   decay (log) and init scale (log) ({@linkcode scratchSpace}); the objective is the log of the
 *   mean query MSE over a group of meta-train tasks after training each from scratch with the
 *   configuration; the best configuration is then used on the meta-test tasks;
 * - `meta-smbo-scratch`: the same tuning, transferring from other meta-train task groups: each
 *   prior group is evaluated on a scrambled Sobol design, and `transferOptions` of `lib/meta`
 *   (RGPE by default, or a warm start) turns them into the study's surrogate and first points;
 * - `maml`, `fomaml`, `reptile`, `anil`, `metasgd`, `learned-hp`: meta-trained with Adam on the
 *   meta-train stream, then adapted with their own inner rule (learned rates included);
 * - `smbo-<learner>` (default `smbo-fomaml`): SMBO tunes the learner's inner and meta learning
 *   rates (objective: log mean query MSE on meta-validation tasks after a short meta-training);
 *   the learner is then meta-trained with the best configuration like the others.
 *
 * Rows (suite `comparison`): `mse` at step = adaptation steps (mean over meta-test tasks, one row
 * per seed; NaN when training diverged on some task, counted by `diverged_tasks`);
 * `adapt_seconds` (wall time per task) at the same steps; `meta_gradient_steps` and `meta_seconds`
 * (step 0) for what a method spent before it sees a test task (meta-training, or all tuning
 * trials, priors included); `gradient_steps` and `seconds` at each step = meta-training plus
 * adapting one new task; `mse_own_steps` and `own_gradient_steps` at step = the arm's own number
 * of steps (the configured or tuned steps of the arms that train from scratch, the largest
 * reported step of the meta-learners). A gradient step is one task's forward and backward pass: a
 * MAML-family meta-iteration costs meta-batch × (inner steps + 1), Reptile's meta-batch × inner
 * steps, a scratch trial tasks × steps. Learners are adapted in batches of tasks, so
 * `adapt_seconds` is the batch's wall time divided by its tasks.
 *
 * Every seed is scored on the same meta-test tasks (drawn once, from `testSeed`), so seeds are
 * repeated measurements of a task, not more tasks: the summaries ({@linkcode comparisonTables},
 * {@linkcode comparisonCurves}, {@linkcode comparisonConclusion}) average each meta-test task's
 * query MSE over the seeds, then take 95% Student-t intervals over the distinct tasks.
 *
 * @example
 * ```ts ignore
 * import { comparisonConclusion, comparisonTables, runComparison, COMPARISON_SIZES } from "./comparison.ts";
 * const result = await runComparison({ ...COMPARISON_SIZES.quick, seeds: 1 });
 * for (const table of comparisonTables(result)) console.table(table.records);
 * console.log(comparisonConclusion(result).join("\n"));
 * ```
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import {
  type Backend,
  createLearner,
  type Episode,
  type EpisodeSource,
  type FunctionalModel,
  LearnedHyperparameters,
  LEARNER_KINDS,
  type LearnerKind,
  type MetaLearner,
  metaTest,
  metaTrain,
  mlp,
  type TaskLoss,
  useBackend,
} from "../maml/mod.ts";
import {
  EPISODE_DEFAULTS,
  episodeSampler,
  evaluationSet,
  sinusoid,
} from "../tasks/sinusoid/mod.ts";
import { tabularEpisodes } from "../data/mod.ts";
import { minimize } from "../smbo/mod.ts";
import {
  defineSpace,
  float,
  type FloatParam,
  int,
  type IntParam,
  type Space,
} from "../space/mod.ts";
import { type PriorTask, transferOptions, type TransferStrategy } from "../meta/mod.ts";
import { meanInterval, summariseFinite } from "../stats/mod.ts";
import type { CurveSummary } from "../viz/mod.ts";
import type { ResultRow } from "../results/mod.ts";

/** Hyperparameters of training from scratch with SGD. */
export interface ScratchConfig {
  /** SGD learning rate. */
  lr: number;
  /** Number of SGD steps on the support set. */
  steps: number;
  /** Weight decay λ (the step is lr · (∇L + λθ)). */
  weightDecay: number;
  /** Factor applied to the seeded initialisation. */
  initScale: number;
}

/**
 * Default hyperparameters of the `scratch` arm: SGD with MAML's inner rate 0.01 (so that at 1 and
 * 10 steps it differs from MAML only by its initialisation), 100 steps, no weight decay, the
 * model's own initialisation scale.
 *
 * @example
 * ```ts
 * import { SCRATCH_DEFAULTS } from "./comparison.ts";
 * SCRATCH_DEFAULTS.lr; // 0.01
 * ```
 */
export const SCRATCH_DEFAULTS: Readonly<ScratchConfig> = Object.freeze({
  lr: 0.01,
  steps: 100,
  weightDecay: 0,
  initScale: 1,
});

/**
 * The search space SMBO tunes for training from scratch: learning rate in [1e-4, 1], steps in
 * [1, `maxSteps`], weight decay in [1e-6, 0.1] and init scale in [0.1, 3], all on a log scale.
 *
 * @example
 * ```ts
 * import { scratchSpace } from "./comparison.ts";
 * const space = scratchSpace(100);
 * space.dim; // 4
 * ```
 */
export function scratchSpace(maxSteps: number): Space<ScratchSpaceDefinition> {
  if (!Number.isInteger(maxSteps) || maxSteps < 2) {
    throw new RangeError(`scratchSpace: maxSteps must be an integer ≥ 2, got ${maxSteps}`);
  }
  return defineSpace({
    lr: float(1e-4, 1, { log: true }),
    steps: int(1, maxSteps, { log: true }),
    weightDecay: float(1e-6, 0.1, { log: true }),
    initScale: float(0.1, 3, { log: true }),
  });
}

/** The parameters of {@linkcode scratchSpace}. */
export type ScratchSpaceDefinition = {
  lr: FloatParam;
  steps: IntParam;
  weightDecay: FloatParam;
  initScale: FloatParam;
};

/** The space SMBO tunes for a meta-learner: inner and meta learning rates (log scale). */
function learnerSpace() {
  return defineSpace({
    innerLr: float(1e-3, 0.3, { log: true }),
    metaLr: float(1e-4, 1e-2, { log: true }),
  });
}

/** A task family of the comparison. */
export type FamilySpec =
  | {
    /** The sinusoid family of Finn et al. (2017). */
    kind: "sinusoid";
    /** Support sizes K of the meta-test tasks (one task per K). */
    shots: readonly number[];
    /** Support size of the meta-training episodes (default 10). */
    trainShots?: number;
  }
  | {
    /** Few-shot regression on a built-in dataset. */
    kind: "tabular";
    /** Built-in regression dataset, e.g. `cars-mpg`. */
    dataset: string;
    /** Support rows per episode (K). */
    shots: number;
    /** Query rows per episode (default 15). */
    queries?: number;
  };

/** Options of {@linkcode runComparison}; the presets are {@linkcode COMPARISON_SIZES}. */
export interface ComparisonOptions {
  /** Task families (default: sinusoid K = 5, 10 and `cars-mpg` K = 10). */
  families?: readonly FamilySpec[];
  /** Number of seeds, run as `firstSeed`, `firstSeed + 1`, … */
  seeds?: number;
  /** First seed. */
  firstSeed?: number;
  /** Meta-test tasks per task. */
  testTasks?: number;
  /**
   * Seed of the meta-test episodes, kept apart from the method seeds (default: the sinusoid
   * evaluation seed of `lib/tasks/sinusoid`, 20170301).
   */
  testSeed?: number;
  /** Adaptation steps reported for every arm. */
  steps?: readonly number[];
  /** Meta-learners (each an arm). */
  learners?: readonly LearnerKind[];
  /** Meta-iterations of each meta-learner. */
  metaIterations?: number;
  /** Tasks per meta-batch. */
  metaBatchSize?: number;
  /** Adam learning rate of meta-training. */
  metaLr?: number;
  /** Inner SGD learning rate of the meta-learners (initial value when learned). */
  innerLr?: number;
  /** Hyperparameters of the `scratch` arm. */
  scratch?: ScratchConfig;
  /** Largest number of steps SMBO may choose for training from scratch. */
  maxScratchSteps?: number;
  /** Evaluations of the SMBO arms on the target objective. */
  smboBudget?: number;
  /** Space-filling points before the GP takes over (plain SMBO arms). */
  smboInitialDesign?: number;
  /** Meta-train tasks in each objective's task group. */
  smboTasks?: number;
  /** Prior task groups of the meta-learned SMBO arm. */
  priorGroups?: number;
  /** Sobol configurations evaluated on each prior group. */
  priorTrials?: number;
  /** Transfer strategy of the meta-learned SMBO arm (`lib/meta`). */
  transfer?: TransferStrategy;
  /** Meta-learner whose learning rates SMBO tunes (`null`: no such arm). */
  tunedLearner?: LearnerKind | null;
  /** Evaluations of the learner-tuning SMBO arm. */
  tuneBudget?: number;
  /** Meta-iterations of each learner-tuning trial. */
  tuneIterations?: number;
  /**
   * tfjs backend (default `wasm`): {@linkcode runComparison} switches tfjs's process-wide backend
   * to it and leaves it so (tfjs code that runs afterwards in the process runs on it).
   */
  backend?: Backend;
  /** Progress callback: `done` of `total` units, with a label. */
  onProgress?: (done: number, total: number, label: string) => void;
}

const QUICK = {
  families: [
    { kind: "sinusoid", shots: [5, 10] },
    { kind: "tabular", dataset: "cars-mpg", shots: 10 },
  ],
  seeds: 3,
  testTasks: 100,
  metaIterations: 3000,
  metaBatchSize: 6,
  smboBudget: 15,
  smboTasks: 8,
  priorGroups: 3,
  priorTrials: 8,
  tunedLearner: "fomaml",
  tuneBudget: 5,
  tuneIterations: 300,
} satisfies ComparisonOptions;

const FULL = {
  families: [
    { kind: "sinusoid", shots: [5, 10] },
    { kind: "tabular", dataset: "cars-mpg", shots: 10 },
    { kind: "tabular", dataset: "boston-housing", shots: 10 },
  ],
  seeds: 5,
  testTasks: 600,
  metaIterations: 3000,
  metaBatchSize: 10,
  smboBudget: 40,
  smboTasks: 16,
  priorGroups: 5,
  priorTrials: 12,
  tunedLearner: "maml",
  tuneBudget: 10,
  tuneIterations: 300,
} satisfies ComparisonOptions;

/**
 * The two sizes of the protocol. `quick`: 3 seeds, 100 meta-test tasks, 3,000 meta-iterations
 * with meta-batch 6, SMBO budgets of 15 (scratch) and 5 (FOMAML's rates, 300 meta-iterations per
 * trial), 3 prior groups × 8 Sobol trials, sinusoid K = 5, 10 and `cars-mpg` K = 10. At 3,000
 * meta-iterations of meta-batch 6 the sinusoid meta-learners have learned the family (MAML's
 * K = 5 query MSE after 10 steps is about 0.6, against 4.2 for predicting zero; it is still
 * above 1 at 2,000). `full` (the wall time of its committed run is in
 * `results/comparison_full/provenance.json`): 5 seeds, 600 meta-test tasks,
 * 3,000 meta-iterations with meta-batch 10, budgets 40 and 10 (second-order MAML's rates, 300
 * meta-iterations per trial), 5 prior groups × 12 trials, and `boston-housing` K = 10 as well.
 *
 * @example
 * ```ts
 * import { COMPARISON_SIZES } from "./comparison.ts";
 * COMPARISON_SIZES.quick.seeds; // 3
 * ```
 */
export const COMPARISON_SIZES: Readonly<Record<"quick" | "full", Readonly<ComparisonOptions>>> =
  Object.freeze({ quick: Object.freeze(QUICK), full: Object.freeze(FULL) });

/** Defaults of {@linkcode runComparison} (the quick size, wasm backend, RGPE transfer). */
export const COMPARISON_DEFAULTS: Readonly<
  Required<Omit<ComparisonOptions, "onProgress" | "tunedLearner">> & {
    tunedLearner: LearnerKind | null;
  }
> = Object.freeze({
  ...QUICK,
  firstSeed: 0,
  testSeed: EPISODE_DEFAULTS.evaluationSeed as number,
  steps: [1, 10],
  learners: LEARNER_KINDS.filter((kind) => kind !== "pretrained"),
  metaLr: 1e-3,
  innerLr: 0.01,
  scratch: SCRATCH_DEFAULTS,
  maxScratchSteps: 100,
  smboInitialDesign: 5,
  transfer: "rgpe" as TransferStrategy,
  backend: "wasm" as Backend,
});

const count = (min: number) => z.number().int().min(min);
const positive = z.number().finite().positive();
const familySchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("sinusoid"),
    shots: z.array(count(1)).min(1),
    trainShots: count(1).optional(),
  }),
  z.strictObject({
    kind: z.literal("tabular"),
    dataset: z.string().min(1),
    shots: count(1),
    queries: count(1).optional(),
  }),
]);
const optionsSchema = z.strictObject({
  families: z.array(familySchema).min(1).optional(),
  seeds: count(1).optional(),
  firstSeed: z.number().int().min(0).optional(),
  testTasks: count(2).optional(),
  testSeed: z.number().int().optional(),
  steps: z.array(count(1)).min(1).optional(),
  learners: z.array(z.enum(LEARNER_KINDS)).optional(),
  metaIterations: count(1).optional(),
  metaBatchSize: count(1).optional(),
  metaLr: positive.optional(),
  innerLr: positive.optional(),
  scratch: z.strictObject({
    lr: positive,
    steps: count(1),
    weightDecay: z.number().finite().min(0),
    initScale: positive,
  }).optional(),
  maxScratchSteps: count(2).optional(),
  smboBudget: count(2).optional(),
  smboInitialDesign: count(1).optional(),
  smboTasks: count(1).optional(),
  priorGroups: count(1).optional(),
  priorTrials: count(2).optional(),
  transfer: z.enum(["warm-start", "config-model", "rgpe", "tst-r", "taf"]).optional(),
  tunedLearner: z.enum(LEARNER_KINDS).nullable().optional(),
  tuneBudget: count(2).optional(),
  tuneIterations: count(1).optional(),
  backend: z.enum(["cpu", "wasm"]).optional(),
  onProgress: z.custom<ComparisonOptions["onProgress"]>((v) => typeof v === "function")
    .optional(),
});

type Resolved = Required<Omit<ComparisonOptions, "onProgress">> & {
  onProgress?: ComparisonOptions["onProgress"];
};

function resolve(options: ComparisonOptions): Resolved {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new TypeError(
      parsed.error.issues.map((i) =>
        `${["comparison", ...i.path.map(String)].join(".")}: ${i.message}`
      ).join("; "),
    );
  }
  const o = { ...COMPARISON_DEFAULTS, ...parsed.data } as Resolved;
  if (o.smboInitialDesign >= o.smboBudget) {
    throw new RangeError(
      `comparison.smboInitialDesign: must be < smboBudget (${o.smboBudget}), got ${o.smboInitialDesign}`,
    );
  }
  return o;
}

/** Losses of one arm on one task and seed after one number of adaptation steps. */
export interface ArmLosses {
  /** Task, e.g. `sinusoid-k5`. */
  task: string;
  /** Arm, e.g. `maml`, `smbo-scratch`. */
  method: string;
  /** Seed. */
  seed: number;
  /** Adaptation steps. */
  step: number;
  /**
   * Query MSE of each meta-test task (NaN where training diverged), in the same order for every
   * seed: every seed is scored on the same meta-test tasks.
   */
  perTask: Float64Array;
  /**
   * True for the arm's own number of steps: the configured or tuned steps of the arms that train
   * from scratch, the largest reported step of the meta-learners.
   */
  own: boolean;
}

/** A configuration chosen by a tuning arm. */
export interface TunedConfiguration {
  /** Task the configuration is used on. */
  task: string;
  /** Arm. */
  method: string;
  /** Seed. */
  seed: number;
  /** The configuration. */
  params: Record<string, number>;
  /** Its objective value (log mean query MSE on the tuning tasks). */
  value: number;
}

/** What {@linkcode runComparison} returns. */
export interface ComparisonResult {
  /** All rows in the long format (suite `comparison`). */
  rows: ResultRow[];
  /**
   * Per-task query losses of every arm, task, seed and step (for the confidence intervals over
   * meta-test tasks, each task averaged over the seeds).
   */
  losses: ArmLosses[];
  /** Configurations found by the tuning arms. */
  configurations: TunedConfiguration[];
  /** The adaptation steps reported for every arm. */
  steps: number[];
  /** Seeds run. */
  seeds: number[];
}

/** One meta-test task of a family: its name, support size, meta-train stream and test episodes. */
interface Evaluation {
  task: string;
  source: EpisodeSource;
  test: readonly Episode[];
}

interface Family {
  inputDim: number;
  train: EpisodeSource;
  evaluations: Evaluation[];
}

async function prepareFamily(
  spec: FamilySpec,
  testTasks: number,
  testSeed: number,
): Promise<Family> {
  if (spec.kind === "sinusoid") {
    return {
      inputDim: 1,
      train: episodeSampler(sinusoid, { shots: spec.trainShots ?? 10, queryShots: 10 }),
      evaluations: spec.shots.map((shots) => ({
        task: `sinusoid-k${shots}`,
        source: episodeSampler(sinusoid, { shots, queryShots: 10 }),
        test: evaluationSet(sinusoid, { shots, tasks: testTasks, seed: testSeed }).episodes,
      })),
    };
  }
  const data = await tabularEpisodes({
    dataset: spec.dataset,
    shots: spec.shots,
    queries: spec.queries ?? 15,
    seed: 0,
  });
  if (data.task !== "regression") {
    throw new RangeError(
      `comparison.families: ${spec.dataset} is a ${data.task} dataset; the protocol scores MSE, ` +
        "use a regression dataset",
    );
  }
  const source: EpisodeSource = (rng, n) =>
    Array.from({ length: n }, () => data.metaTrain.sample(rng));
  const testRng = new Rng(testSeed);
  return {
    inputDim: data.numFeatures,
    train: source,
    evaluations: [{
      task: `${spec.dataset}-k${spec.shots}`,
      source,
      test: Array.from({ length: testTasks }, () => data.metaTest.sample(testRng)),
    }],
  };
}

const modelFor = (inputDim: number): FunctionalModel =>
  mlp({ sizes: [inputDim, 40, 40, 1], activation: "relu" });

/**
 * Builds a learner inside `tf.tidy`: the learners' constructors leave the tensors their variables
 * were made from registered (lib/maml), and tidy frees them while variables survive.
 */
function built(make: () => MetaLearner): MetaLearner {
  let learner!: MetaLearner;
  tf.tidy(() => {
    learner = make();
  });
  return learner;
}

/**
 * A learner that trains from scratch: the model's seeded initialisation scaled by `initScale`
 * (not meta-trained), adapted by plain SGD with the configuration's rate and weight decay; its
 * `loss` is the task loss (default mean squared error). Adapt it with `metaTest` at
 * `config.steps` steps.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/mod.ts";
 * await useBackend("cpu");
 * import { mlp } from "../maml/mod.ts";
 * import { SCRATCH_DEFAULTS, scratchLearner } from "./comparison.ts";
 * const learner = scratchLearner(mlp({ sizes: [1, 8, 1] }), SCRATCH_DEFAULTS, 0);
 * learner.dispose();
 * ```
 */
export function scratchLearner(
  model: FunctionalModel,
  config: ScratchConfig,
  seed: number,
  loss?: TaskLoss,
): MetaLearner {
  let learner!: LearnedHyperparameters;
  tf.tidy(() => {
    learner = new LearnedHyperparameters(model, {
      loss,
      innerLr: config.lr,
      weightDecay: config.weightDecay,
      learnWeightDecay: false,
      learnStepScales: false,
      // Only adapted, never meta-trained: first order, so that any model (with or without
      // analytic parameter gradients) can be trained from scratch; the adapted values are the same.
      firstOrder: true,
      seed,
    });
    learner.theta.forEach((v) => v.assign(tf.mul(v, config.initScale)));
  });
  return learner;
}

/** Query losses after each step count, and the wall time per task of that adaptation. */
function evaluate(
  learner: MetaLearner,
  episodes: readonly Episode[],
  steps: readonly number[],
): { step: number; perTask: Float64Array; secondsPerTask: number }[] {
  return steps.map((step) => {
    const start = performance.now();
    const [result] = metaTest(learner, episodes, { steps: [step] });
    const seconds = (performance.now() - start) / 1000;
    return { step, perTask: result.perTask, secondsPerTask: seconds / episodes.length };
  });
}

/** Mean query loss (NaN when any task diverged) of training each episode from scratch. */
function scratchLoss(
  model: FunctionalModel,
  episodes: readonly Episode[],
  config: ScratchConfig,
  seed: number,
): number {
  const learner = scratchLearner(model, config, seed);
  try {
    return metaTest(learner, episodes, { steps: [config.steps] })[0].mean;
  } finally {
    learner.dispose();
  }
}

function learnerOptions(kind: LearnerKind, innerLr: number, seed: number) {
  const common = { innerLr, seed };
  if (kind === "reptile") return { ...common, innerSteps: 5 };
  if (kind === "learned-hp") {
    return { ...common, innerSteps: 1, lrGranularity: "per-tensor", learnStepScales: true };
  }
  return { ...common, innerSteps: 1 };
}

/** Task-level gradient steps of one meta-iteration. */
function metaIterationCost(kind: LearnerKind, batch: number, innerSteps: number): number {
  if (kind === "reptile") return batch * innerSteps;
  if (kind === "pretrained") return batch;
  return batch * (innerSteps + 1);
}

interface MetaTrained {
  learner: MetaLearner;
  gradientSteps: number;
  seconds: number;
}

async function trainLearner(
  kind: LearnerKind,
  family: Family,
  o: Resolved,
  seed: number,
  hyper: { innerLr: number; metaLr: number; iterations: number },
): Promise<MetaTrained> {
  const options = learnerOptions(kind, hyper.innerLr, seed);
  const learner = built(() => createLearner(kind, modelFor(family.inputDim), options));
  const start = performance.now();
  try {
    const result = await metaTrain(learner, {
      source: family.train,
      iterations: hyper.iterations,
      metaBatchSize: o.metaBatchSize,
      optimizer: { kind: "adam", lr: hyper.metaLr },
      seed,
      progressEvery: hyper.iterations + 1,
    });
    return {
      learner,
      gradientSteps: result.iterations *
        metaIterationCost(kind, o.metaBatchSize, options.innerSteps),
      seconds: (performance.now() - start) / 1000,
    };
  } catch (error) {
    learner.dispose();
    throw error;
  }
}

/** A seeded group of meta-train episodes. */
const group = (source: EpisodeSource, rng: Rng, n: number) => source(rng, n);

interface Tuned {
  config: ScratchConfig;
  value: number;
  gradientSteps: number;
  seconds: number;
}

async function tuneScratch(
  evaluation: Evaluation,
  model: FunctionalModel,
  o: Resolved,
  seed: number,
  transfer: boolean,
): Promise<Tuned> {
  const space = scratchSpace(o.maxScratchSteps);
  const rng = new Rng(seed).spawn();
  const target = group(evaluation.source, rng.spawn(), o.smboTasks);
  const start = performance.now();
  let gradientSteps = 0;
  const objective = (episodes: readonly Episode[]) => (config: ScratchConfig) => {
    gradientSteps += episodes.length * config.steps;
    return Math.log(scratchLoss(model, episodes, config, seed));
  };
  let setup: Partial<ReturnType<typeof transferOptions<ScratchConfig>>> = {
    initialDesignSize: o.smboInitialDesign,
  };
  if (transfer) {
    const tasks: PriorTask[] = [];
    for (let g = 0; g < o.priorGroups; g++) {
      const f = objective(group(evaluation.source, rng.spawn(), o.smboTasks));
      const trials = space.sample(o.priorTrials, rng.spawn(), "sobol")
        .map((params) => ({ params: { ...params }, value: f(params) }))
        .filter((t) => Number.isFinite(t.value));
      if (trials.length > 0) tasks.push({ id: `group-${g}`, trials });
    }
    if (tasks.length > 0) setup = transferOptions(tasks, space, { strategy: o.transfer });
  }
  const result = await minimize(objective(target), space, {
    budget: o.smboBudget,
    seed,
    ...setup,
  });
  const best = result.best;
  return {
    config: { ...best.params },
    value: best.value,
    gradientSteps,
    seconds: (performance.now() - start) / 1000,
  };
}

async function tuneLearner(
  kind: LearnerKind,
  family: Family,
  o: Resolved,
  seed: number,
): Promise<
  { params: Record<string, number>; value: number; gradientSteps: number; seconds: number }
> {
  const space = learnerSpace();
  const validation = group(family.train, new Rng(seed).spawn().spawn(), o.smboTasks);
  const evalStep = Math.max(...o.steps);
  const start = performance.now();
  let gradientSteps = 0;
  const result = await minimize(
    async (params) => {
      const trained = await trainLearner(kind, family, o, seed, {
        innerLr: params.innerLr,
        metaLr: params.metaLr,
        iterations: o.tuneIterations,
      });
      try {
        gradientSteps += trained.gradientSteps + validation.length * evalStep;
        return Math.log(metaTest(trained.learner, validation, { steps: [evalStep] })[0].mean);
      } finally {
        trained.learner.dispose();
      }
    },
    space,
    {
      budget: o.tuneBudget,
      seed,
      initialDesignSize: Math.min(3, o.tuneBudget - 1),
    },
  );
  return {
    params: { ...result.best.params },
    value: result.best.value,
    gradientSteps,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Runs the comparison protocol (see the module documentation) and returns its rows, per-task
 * losses and tuned configurations. Same options and seeds ⇒ same losses (wall times aside).
 * Bad options throw a `TypeError` naming the field. It switches tfjs's process-wide backend to
 * `backend` (default `wasm`) and leaves it so.
 *
 * @example
 * ```ts ignore
 * import { runComparison } from "./comparison.ts";
 * const result = await runComparison({
 *   families: [{ kind: "sinusoid", shots: [5] }],
 *   seeds: 1,
 *   metaIterations: 20,
 *   learners: ["maml"],
 * });
 * result.rows.filter((r) => r.metric === "mse");
 * ```
 */
export async function runComparison(options: ComparisonOptions = {}): Promise<ComparisonResult> {
  const o = resolve(options);
  await useBackend(o.backend);
  const families: Family[] = [];
  for (const spec of o.families) families.push(await prepareFamily(spec, o.testTasks, o.testSeed));
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.firstSeed + i);
  const steps = [...new Set(o.steps)].sort((a, b) => a - b);
  const rows: ResultRow[] = [];
  const losses: ArmLosses[] = [];
  const configurations: TunedConfiguration[] = [];
  const evaluations = families.reduce((n, f) => n + f.evaluations.length, 0);
  const total = seeds.length *
    (families.length * (o.learners.length + (o.tunedLearner ? 1 : 0)) + evaluations * 3);
  let done = 0;
  const progress = (label: string) => o.onProgress?.(++done, total, label);

  const record = (
    task: string,
    method: string,
    seed: number,
    meta: { gradientSteps: number; seconds: number },
    results: ReturnType<typeof evaluate>,
    ownStep: number,
  ) => {
    const row = (step: number, metric: string, value: number) =>
      rows.push({ suite: "comparison", task, method, seed, step, metric, value });
    row(0, "meta_gradient_steps", meta.gradientSteps);
    row(0, "meta_seconds", meta.seconds);
    for (const r of results) {
      const { mean } = meanInterval([...r.perTask]);
      const diverged = r.perTask.filter((v) => !Number.isFinite(v)).length;
      const value = diverged > 0 ? NaN : mean;
      if (r.step === ownStep) {
        row(r.step, "mse_own_steps", value);
        row(r.step, "own_gradient_steps", meta.gradientSteps + r.step);
      }
      if (steps.includes(r.step)) {
        row(r.step, "mse", value);
        row(r.step, "diverged_tasks", diverged);
        row(r.step, "adapt_seconds", r.secondsPerTask);
        row(r.step, "gradient_steps", meta.gradientSteps + r.step);
        row(r.step, "seconds", meta.seconds + r.secondsPerTask);
      }
      losses.push({
        task,
        method,
        seed,
        step: r.step,
        perTask: r.perTask,
        own: r.step === ownStep,
      });
    }
  };

  for (const seed of seeds) {
    for (const family of families) {
      const arms: { method: string; train: () => Promise<MetaTrained> }[] = o.learners.map((
        kind,
      ) => ({
        method: kind,
        train: () =>
          trainLearner(kind, family, o, seed, {
            innerLr: o.innerLr,
            metaLr: o.metaLr,
            iterations: o.metaIterations,
          }),
      }));
      if (o.tunedLearner) {
        const kind = o.tunedLearner;
        arms.push({
          method: `smbo-${kind}`,
          train: async () => {
            const tuned = await tuneLearner(kind, family, o, seed);
            for (const evaluation of family.evaluations) {
              configurations.push({
                task: evaluation.task,
                method: `smbo-${kind}`,
                seed,
                params: tuned.params,
                value: tuned.value,
              });
            }
            const trained = await trainLearner(kind, family, o, seed, {
              innerLr: tuned.params.innerLr,
              metaLr: tuned.params.metaLr,
              iterations: o.metaIterations,
            });
            return {
              learner: trained.learner,
              gradientSteps: tuned.gradientSteps + trained.gradientSteps,
              seconds: tuned.seconds + trained.seconds,
            };
          },
        });
      }
      for (const arm of arms) {
        const trained = await arm.train();
        try {
          for (const evaluation of family.evaluations) {
            record(
              evaluation.task,
              arm.method,
              seed,
              trained,
              evaluate(trained.learner, evaluation.test, steps),
              steps[steps.length - 1],
            );
          }
        } finally {
          trained.learner.dispose();
        }
        progress(`${arm.method} seed ${seed}`);
      }
      const model = modelFor(family.inputDim);
      for (const evaluation of family.evaluations) {
        const scratchArms: { method: string; tune: () => Promise<Tuned> }[] = [
          {
            method: "scratch",
            tune: () =>
              Promise.resolve({ config: o.scratch, value: NaN, gradientSteps: 0, seconds: 0 }),
          },
          { method: "smbo-scratch", tune: () => tuneScratch(evaluation, model, o, seed, false) },
          {
            method: "meta-smbo-scratch",
            tune: () => tuneScratch(evaluation, model, o, seed, true),
          },
        ];
        for (const arm of scratchArms) {
          const tuned = await arm.tune();
          if (arm.method !== "scratch") {
            configurations.push({
              task: evaluation.task,
              method: arm.method,
              seed,
              params: { ...tuned.config },
              value: tuned.value,
            });
          }
          const learner = scratchLearner(model, tuned.config, seed);
          try {
            const own = [...new Set([...steps, tuned.config.steps])].sort((a, b) => a - b);
            record(
              evaluation.task,
              arm.method,
              seed,
              tuned,
              evaluate(learner, evaluation.test, own),
              tuned.config.steps,
            );
          } finally {
            learner.dispose();
          }
          progress(`${evaluation.task} ${arm.method} seed ${seed}`);
        }
      }
    }
  }
  return { rows, losses, configurations, steps, seeds };
}

const selected = (
  result: ComparisonResult,
  task: string,
  method: string,
  step: number | "own",
) =>
  result.losses.filter((l) =>
    l.task === task && l.method === method && (step === "own" ? l.own : l.step === step)
  );

/**
 * Each meta-test task's loss of an arm averaged over the seeds, after `step` steps or (`"own"`)
 * after each seed's own number of steps, in the tasks' order, and the seeds averaged. Every seed
 * is scored on the same meta-test tasks (one evaluation set per task, drawn from `testSeed`), so
 * the seeds are repeated measurements of each task, not more tasks. A task that diverged in any
 * seed has a non-finite mean. `caller` names the public function in errors.
 */
function taskMeans(
  result: ComparisonResult,
  task: string,
  method: string,
  step: number | "own",
  caller: string,
): { values: number[]; seeds: number[] } {
  const entries = selected(result, task, method, step);
  if (entries.length === 0) return { values: [], seeds: [] };
  const where = `${caller}: result.losses (${task}, ${method}, ${
    step === "own" ? "own steps" : `step ${step}`
  })`;
  const tasks = entries[0].perTask.length;
  const seeds = new Set<number>();
  for (const entry of entries) {
    if (seeds.has(entry.seed)) {
      throw new RangeError(`${where}: seed ${entry.seed} is scored twice`);
    }
    if (entry.perTask.length !== tasks) {
      throw new RangeError(
        `${where}: seed ${entry.seed} has ${entry.perTask.length} meta-test tasks, seed ${
          entries[0].seed
        } has ${tasks} (every seed is scored on the same meta-test tasks)`,
      );
    }
    seeds.add(entry.seed);
  }
  // Divided before summing, so that huge finite losses do not overflow to Infinity.
  const values = Array.from(
    { length: tasks },
    (_, i) => entries.reduce((sum, entry) => sum + entry.perTask[i] / entries.length, 0),
  );
  return { values, seeds: [...seeds].sort((a, b) => a - b) };
}

/**
 * Mean and 95% Student-t CI half-width over the meta-test tasks of an arm's losses, each task's
 * loss first averaged over the seeds, after `step` steps or (`"own"`) after each seed's own number
 * of steps, over the tasks where training stayed finite in every seed; `diverged` counts the
 * other tasks out of `total` (distinct meta-test tasks), `seeds` the seeds averaged.
 */
function overTasks(
  result: ComparisonResult,
  task: string,
  method: string,
  step: number | "own",
  caller: string,
) {
  const { values, seeds } = taskMeans(result, task, method, step, caller);
  // The shared rule of tables and figures: statistic over the finite values, diverged counted.
  const interval = summariseFinite(values, "mean", { nonNegative: true });
  const mean = interval.center;
  const halfWidth = interval.upper - mean;
  return {
    mean,
    halfWidth,
    total: interval.total,
    diverged: interval.diverged,
    seeds: seeds.length,
    interval,
  };
}

/**
 * The adaptation curves of a comparison, one per arm of `task`: query MSE after each reported
 * step, summarised exactly as the MSE table does (each meta-test task's MSE averaged over the
 * seeds, then mean and 95% Student-t CI over the meta-test tasks where training stayed finite in
 * every seed, the other tasks counted as diverged; lower bounds clipped at 0), so that a figure
 * drawn from them with `curveSummaryFigure` shows the numbers of the table.
 *
 * @throws {RangeError} when the seeds of an arm do not score the same number of meta-test tasks,
 * or a seed is scored twice.
 * @example
 * ```ts ignore
 * import { comparisonCurves, runComparison } from "./comparison.ts";
 * import { curveSummaryFigure } from "../viz/mod.ts";
 * const result = await runComparison({ seeds: 1 });
 * const figure = curveSummaryFigure(comparisonCurves(result, "sinusoid-k5"), { center: "mean" });
 * ```
 */
export function comparisonCurves(result: ComparisonResult, task: string): CurveSummary[] {
  const methods = unique(result.losses.filter((l) => l.task === task).map((l) => l.method));
  return methods.map((method) => ({
    method,
    steps: [...result.steps],
    intervals: result.steps.map((step) =>
      overTasks(result, task, method, step, "comparisonCurves").interval
    ),
  }));
}

/**
 * Mean and 95% Student-t CI of the paired difference a − b over the meta-test tasks, each task's
 * difference taken between the two arms' losses averaged over the same seeds (every arm is scored
 * on the same tasks), over the tasks where both stayed finite; undefined when the two do not pair
 * up (other seeds or another number of tasks) or fewer than two tasks remain.
 */
function pairedDifference(
  result: ComparisonResult,
  task: string,
  a: string,
  b: string,
  step: number | "own",
  caller: string,
) {
  const ours = taskMeans(result, task, a, step, caller);
  const theirs = taskMeans(result, task, b, step, caller);
  if (
    ours.values.length !== theirs.values.length ||
    ours.seeds.join() !== theirs.seeds.join()
  ) {
    return undefined;
  }
  const diffs = ours.values.map((v, i) => v - theirs.values[i]).filter(Number.isFinite);
  return diffs.length >= 2 ? meanInterval(diffs) : undefined;
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

function meanOver(rows: readonly ResultRow[], filter: (r: ResultRow) => boolean): number {
  const values = rows.filter(filter).map((r) => r.value);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/**
 * Summary tables of a comparison: query MSE at each reported step and at the arm's own number of
 * steps, the compute each arm spent (mean over seeds), and the tuned configurations. Every seed is
 * scored on the same meta-test tasks, so the seeds are not more tasks: each meta-test task's MSE
 * is first averaged over the seeds, then the table gives the mean ± 95% Student-t CI over the
 * distinct meta-test tasks (`tasks` of them, each averaged over `seeds` seeds), as
 * `summariseTransferRuns` does for transfer runs. The interval covers the variation between
 * meta-test tasks; the variation between seeds (meta-trainings, tunings) is averaged within each
 * task. A task on which the arm diverged in any seed has no finite mean: it is left out and counted
 * in `diverged` as `step: d/n` (d of the n distinct tasks).
 *
 * @throws {RangeError} when the seeds of an arm do not score the same number of meta-test tasks,
 * or a seed is scored twice.
 * @example
 * ```ts ignore
 * import { comparisonTables, runComparison } from "./comparison.ts";
 * const tables = comparisonTables(await runComparison({ seeds: 1 }));
 * ```
 */
export function comparisonTables(
  result: ComparisonResult,
): { title: string; records: Record<string, string | number>[] }[] {
  const tasks = unique(result.losses.map((l) => l.task));
  const mse = tasks.flatMap((task) =>
    unique(result.losses.filter((l) => l.task === task).map((l) => l.method)).map((method) => {
      const record: Record<string, string | number> = { task, method };
      const diverged: string[] = [];
      for (const step of result.steps) {
        const p = overTasks(result, task, method, step, "comparisonTables");
        record[`mse@${step}`] = p.mean;
        record[`±@${step}`] = p.halfWidth;
        if (p.diverged > 0) diverged.push(`${step}: ${p.diverged}/${p.total}`);
      }
      const ownSteps = unique(
        result.losses.filter((l) => l.task === task && l.method === method && l.own)
          .map((l) => l.step),
      );
      const own = overTasks(result, task, method, "own", "comparisonTables");
      record["own steps"] = ownSteps.join("/");
      record["mse@own"] = own.mean;
      record["±@own"] = own.halfWidth;
      if (own.diverged > 0) diverged.push(`own: ${own.diverged}/${own.total}`);
      record["tasks"] = own.total;
      record["seeds"] = own.seeds;
      record["diverged"] = diverged.join(", ");
      return record;
    })
  );
  const rows = result.rows;
  const maxStep = Math.max(...result.steps);
  const compute = tasks.flatMap((task) =>
    unique(rows.filter((r) => r.task === task).map((r) => r.method)).map((method) => {
      const of = (metric: string, step: number) =>
        meanOver(
          rows,
          (r) => r.task === task && r.method === method && r.metric === metric && r.step === step,
        );
      return {
        task,
        method,
        "meta gradient steps": of("meta_gradient_steps", 0),
        "meta seconds": of("meta_seconds", 0),
        [`adapt s/task @${maxStep}`]: of("adapt_seconds", maxStep),
      };
    })
  );
  const configs = result.configurations.map((c) => ({
    task: c.task,
    method: c.method,
    seed: c.seed,
    ...Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, v])),
    "log mse (tuning)": c.value,
  }));
  const byMethod = unique(configs.map((c) => c.method));
  return [
    {
      title:
        "Query MSE on meta-test tasks (mean ± 95% CI over meta-test tasks, each averaged over the seeds; tasks diverged in any seed left out and counted)",
      records: mse,
    },
    { title: "Compute spent (mean over seeds)", records: compute },
    ...byMethod.map((method) => ({
      title: `Configurations found by ${method}`,
      records: configs.filter((c) => c.method === method),
    })),
  ];
}

/**
 * Arms of `methods` that add tuning or transfer to a base arm, as [tuned, base]: `smbo-<arm>` and
 * `<arm>` for every such pair (the tuned learner, whichever it is, and `smbo-scratch` vs
 * `scratch`), then `meta-smbo-scratch` vs `smbo-scratch`.
 */
function tunedPairs(methods: readonly string[]): [string, string][] {
  const pairs = methods.filter((m) => m.startsWith("smbo-") && methods.includes(m.slice(5)))
    .map((m): [string, string] => [m, m.slice(5)]);
  if (methods.includes("meta-smbo-scratch") && methods.includes("smbo-scratch")) {
    pairs.push(["meta-smbo-scratch", "smbo-scratch"]);
  }
  return pairs;
}

/**
 * The conclusion drawn from a comparison's numbers, one sentence per line, from the intervals of
 * {@linkcode comparisonTables} (each meta-test task averaged over the seeds, then 95% Student-t
 * intervals over the distinct tasks). For each task and reported step: the best arm among those
 * that never diverged, and whether the paired 95% CI of its difference to the runner-up (per
 * meta-test task, over the same tasks and seeds) excludes zero; the arms that diverged on some
 * tasks (counted in distinct tasks). Then the best meta-learner against the best training from
 * scratch after the largest step with the compute each spent, the results against the protocol's
 * premise (an arm with SMBO tuning or transfer behind its base arm: `smbo-<learner>` vs
 * `<learner>` for the tuned learner, e.g. `smbo-fomaml` vs `fomaml`, `smbo-scratch` vs `scratch`,
 * `meta-smbo-scratch` vs `smbo-scratch`) with their paired CI, and the scratch arms at their own
 * number of steps.
 *
 * @throws {RangeError} when the seeds of an arm do not score the same number of meta-test tasks,
 * or a seed is scored twice.
 * @example
 * ```ts ignore
 * import { comparisonConclusion, runComparison } from "./comparison.ts";
 * console.log(comparisonConclusion(await runComparison({ seeds: 1 })).join("\n"));
 * ```
 */
export function comparisonConclusion(result: ComparisonResult): string[] {
  const caller = "comparisonConclusion";
  const lines: string[] = [];
  const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));
  const scratchFamily = (m: string) => m.endsWith("scratch");
  const metaSteps = (task: string, method: string) =>
    meanOver(
      result.rows,
      (r) => r.task === task && r.method === method && r.metric === "meta_gradient_steps",
    );
  for (const task of unique(result.losses.map((l) => l.task))) {
    const methods = unique(result.losses.filter((l) => l.task === task).map((l) => l.method));
    const ranking = (step: number | "own", pick: (m: string) => boolean = () => true) =>
      methods.filter(pick).map((m) => ({ m, ...overTasks(result, task, m, step, caller) }))
        .filter((p) => p.diverged === 0 && Number.isFinite(p.mean))
        .sort((a, b) => a.mean - b.mean);
    for (const step of result.steps) {
      const [best, second] = ranking(step);
      const unstable = methods.map((m) => ({ m, ...overTasks(result, task, m, step, caller) }))
        .filter((p) => p.diverged > 0).map((p) => `${p.m} (${p.diverged}/${p.total} tasks)`);
      const plural = step > 1 ? "s" : "";
      if (!best) {
        lines.push(`${task}, ${step} step${plural}: every arm diverged on some task.`);
        continue;
      }
      let sentence = `${task}, ${step} step${plural}: lowest query MSE ${best.m} (${
        fmt(best.mean)
      } ± ${fmt(best.halfWidth)})`;
      if (second) {
        const diff = pairedDifference(result, task, best.m, second.m, step, caller);
        const separated = diff !== undefined && diff.mean + diff.halfWidth < 0;
        sentence += `, ${
          separated ? "ahead of" : "not separable (paired 95% CI) from"
        } ${second.m} (${fmt(second.mean)} ± ${fmt(second.halfWidth)})`;
      }
      lines.push(
        sentence + (unstable.length ? `; diverged on some tasks: ${unstable.join(", ")}` : "") +
          ".",
      );
    }
    const last = Math.max(...result.steps);
    const [scratch] = ranking(last, scratchFamily);
    const [meta] = ranking(last, (m) => !scratchFamily(m));
    if (scratch && meta) {
      const ratio = scratch.mean / meta.mean;
      lines.push(
        `${task}: after ${last} steps the best meta-learner (${meta.m}, ${fmt(meta.mean)}) is ${
          ratio >= 1 ? `${fmt(ratio)}× lower` : `${fmt(1 / ratio)}× higher`
        } than the best training from scratch (${scratch.m}, ${fmt(scratch.mean)}), for ${
          fmt(metaSteps(task, meta.m))
        } meta-training gradient steps against ${fmt(metaSteps(task, scratch.m))} spent tuning.`,
      );
    }
    // Results against the protocol's premise (tuning or transfer should not hurt its base arm),
    // said where they happen, with the paired CI that tells noise from a real gap.
    for (const [tuned, base] of tunedPairs(methods)) {
      // Scratch arms are also compared at their own number of steps.
      const at: (number | "own")[] = scratchFamily(tuned) && scratchFamily(base)
        ? [last, "own"]
        : [last];
      for (const step of at) {
        const a = overTasks(result, task, tuned, step, caller);
        const b = overTasks(result, task, base, step, caller);
        if (!(a.mean > b.mean) && a.diverged <= b.diverged) continue;
        const diff = pairedDifference(result, task, tuned, base, step, caller);
        // With diverged tasks the pairs are the tasks where both arms stayed finite.
        const over = a.diverged || b.diverged
          ? ` over the ${diff?.n} tasks where both stayed finite`
          : "";
        const ci = diff && Number.isFinite(diff.mean) && Number.isFinite(diff.halfWidth)
          ? `paired 95% CI of the difference${over} ${fmt(diff.mean - diff.halfWidth)} to ${
            fmt(diff.mean + diff.halfWidth)
          }`
          : undefined;
        const gap = ci === undefined
          ? "no paired CI (diverged tasks)"
          : diff!.mean - diff!.halfWidth > 0
          ? `a real gap (${ci})`
          : diff!.mean + diff!.halfWidth < 0
          // Behind overall, yet lower wherever both stayed finite: the tasks left out decide.
          ? `ahead on the tasks where both stayed finite, behind through the others (${ci})`
          : `within noise (${ci})`;
        const div = (
          p: typeof a,
        ) => (p.diverged ? `, ${p.diverged}/${p.total} tasks diverged` : "");
        const when = step === "own" ? "at their own number of steps" : `after ${step} steps`;
        lines.push(
          `${task}: against expectation, ${tuned} (${fmt(a.mean)}${
            div(a)
          }) comes out behind ${base} (${fmt(b.mean)}${div(b)}) ${when}: ${gap}.`,
        );
      }
    }
    const own = (m: string) => {
      if (!methods.includes(m)) return "not run";
      const p = overTasks(result, task, m, "own", caller);
      return `${fmt(p.mean)}${p.diverged ? ` (${p.diverged}/${p.total} tasks diverged)` : ""}`;
    };
    if (methods.some(scratchFamily)) {
      lines.push(
        `${task}: at their own number of steps, training from scratch reaches ${
          own("scratch")
        } with default hyperparameters, ${own("smbo-scratch")} tuned by SMBO, ${
          own("meta-smbo-scratch")
        } tuned by SMBO with transfer.`,
      );
    }
  }
  return lines;
}

// Types that appear in this module's signatures (their home modules own them).
export type { ResultRow } from "../results/mod.ts";
export type { Backend, LearnerKind } from "../maml/mod.ts";
export type { TransferStrategy } from "../meta/mod.ts";
export type * from "../space/mod.ts";
