/**
 * Few-shot classification protocol (Finn et al. 2017, section 5.2, on MNIST digits and a real
 * tabular dataset): N-way K-shot episodes with a class split, the MAML family trained with the
 * softmax cross-entropy, and training from scratch on the support set as the baseline, with and
 * without SMBO tuning of its hyperparameters.
 *
 * Task families (`families`):
 * - `mnist`: {@linkcode mnistEpisodes}, 14×14 pooled digits. Meta-train classes: digits 0–4 and
 *   their rotations by 90°, 180° and 270° (20 classes; the augmentation of Santoro et al. 2016
 *   and Finn et al. 2017); meta-test classes: digits 5–9, unrotated, so that meta-test episodes
 *   are 5-way over classes never seen in meta-training. Tasks `mnist-5w1s`, `mnist-5w5s`.
 * - `segmentation`: the PMLB `segmentation` dataset (UCI image segmentation: 2,310 rows,
 *   19 features, 7 classes of 330 rows), read from `datasets/pmlb/segmentation.tsv.gz` with
 *   {@linkcode tableEpisodes}: classes 0–3 meta-train, 4–6 meta-test, 3-way episodes,
 *   standardisation fitted on meta-train rows. Tasks `segmentation-3w1s`, `segmentation-3w5s`.
 *
 * Every episode has `queries` query points per class; labels are permuted per episode. Every arm
 * uses the same ReLU MLP (`in-h-h-ways`, logits) and the softmax cross-entropy. Arms:
 * - `maml`, `fomaml`, `metasgd`, `anil`, `learned-hp`: meta-trained with Adam on meta-train
 *   episodes (one inner SGD step at `innerLr` in training, Finn et al.'s 5-way setting), then
 *   adapted to each meta-test episode with their own inner rule; accuracy after each of
 *   `testSteps` steps;
 * - `scratch`: the same network from its seeded initialisation, trained on the support set only
 *   with SGD at `scratch.lr` for `scratch.steps` steps (no meta-training);
 * - `smbo-scratch`: {@linkcode minimize} (GP-LogEI) tunes the learning rate, steps, weight decay
 *   and initialisation scale of training from scratch ({@linkcode scratchSpace}, the space of the
 *   SMBO-vs-MAML comparison), minimising the log mean query cross-entropy over `smboTasks`
 *   meta-train episodes; the best configuration is then scored on the meta-test episodes.
 *
 * Scores: mean query accuracy over `testTasks` meta-test episodes with its 95% CI (Student t,
 * `testTasks` − 1 degrees of freedom), for one seed; rows also carry the query cross-entropy, the
 * meta-training (or tuning) seconds and milliseconds per meta-iteration. Divergence is recorded,
 * not hidden: an episode whose query loss is NaN or infinite has no accuracy, so the arm's
 * `accuracy`, `accuracy_ci95` and `loss` are NaN and `diverged_tasks` counts those episodes; a
 * meta-training that stopped early on a non-finite meta-loss has `diverged` 1 and
 * `meta_iterations` below `metaIterations`.
 *
 * @example
 * ```ts ignore
 * import { FEWSHOT_SIZES, fewShotTables, runFewShot } from "./fewshot.ts";
 * const result = await runFewShot(FEWSHOT_SIZES.quick);
 * for (const table of fewShotTables(result)) console.table(table.records);
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { cpuUsage } from "node:process";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import {
  createLearner,
  disposeBatch,
  type Episode,
  episodeBatch,
  type FunctionalModel,
  type LearnerKind,
  type MetaLearner,
  metaTest,
  type MetaTrainResult,
  mlp,
  mse,
  softmaxCrossEntropy,
  type TaskBatch,
  type TaskLoss,
  useBackend,
} from "../maml/mod.ts";
import { finiteInFloat32, stackedBatch } from "../maml/data.ts";
import { type BatchSource, metaTrainBatches } from "../maml/train.ts";
import { tf } from "../deps/tf.ts";
import { type EpisodeStacker, episodeStacker } from "../data/episodes.ts";
import {
  loadTable,
  mnistEpisodes,
  tableEpisodes,
  type TabularEpisode,
  type TabularEpisodePool,
  type TabularEpisodes,
} from "../data/mod.ts";
import { minimize } from "../smbo/mod.ts";
import { type ScratchConfig, scratchLearner, scratchSpace } from "./comparison.ts";
import type { ResultRow } from "../results/mod.ts";
import { parseOrThrow } from "../validate.ts";
import { meanInterval } from "../stats/mod.ts";

/** The task families of {@linkcode runFewShot}. */
export const FEWSHOT_FAMILIES = ["mnist", "segmentation"] as const;

/** A task family of {@linkcode runFewShot}. */
export type FewShotFamily = typeof FEWSHOT_FAMILIES[number];

/** The meta-learners of {@linkcode runFewShot} by default. */
export const FEWSHOT_LEARNERS: readonly LearnerKind[] = Object.freeze([
  "maml",
  "fomaml",
  "metasgd",
  "anil",
  "learned-hp",
]);

/** Options of {@linkcode runFewShot} (defaults: {@linkcode FEWSHOT_SIZES}`.quick`). */
export interface FewShotOptions {
  /** Task families (default both). */
  families?: readonly FewShotFamily[];
  /** Support points per class of the meta-test episodes (default `[1, 5]`). */
  shots?: readonly number[];
  /**
   * Support points per class in meta-training: a number (one meta-training per learner, tested at
   * every K) or `"same"` (one meta-training per K, as in Finn et al.).
   */
  trainShots?: number | "same";
  /** Query points per class (default 15). */
  queries?: number;
  /** Meta-learners (default {@linkcode FEWSHOT_LEARNERS}). */
  learners?: readonly LearnerKind[];
  /** Hidden widths of the MLP (default `[64, 64]`). */
  hidden?: readonly number[];
  /** Inner learning rate of the meta-learners (initial value when learned; default 0.4). */
  innerLr?: number;
  /** Meta-iterations per learner. */
  metaIterations?: number;
  /** Tasks per meta-batch. */
  metaBatchSize?: number;
  /** Adam's meta learning rate (default 1e-3). */
  metaLr?: number;
  /** Adaptation steps at which meta-learners are scored (default `[1, 10]`). */
  testSteps?: readonly number[];
  /** Meta-test episodes per task. */
  testTasks?: number;
  /** Hyperparameters of the `scratch` arm (default: `innerLr`, 10 steps, no decay, scale 1). */
  scratch?: ScratchConfig;
  /** SMBO budget of `smbo-scratch` (0: no SMBO arm). */
  smboBudget?: number;
  /** Meta-train episodes in the SMBO objective. */
  smboTasks?: number;
  /** Largest number of steps SMBO may choose. */
  maxScratchSteps?: number;
  /** Seed of initialisations, episode draws and SMBO. */
  seed?: number;
  /** Progress callback. */
  onProgress?: (done: number, total: number, label: string) => void;
}

const QUICK: FewShotOptions = {
  families: ["mnist"],
  trainShots: 1,
  metaIterations: 300,
  metaBatchSize: 8,
  testTasks: 100,
  smboBudget: 8,
  smboTasks: 8,
  maxScratchSteps: 50,
};

const FULL: FewShotOptions = {
  families: ["mnist", "segmentation"],
  trainShots: "same",
  metaIterations: 10_000,
  metaBatchSize: 8,
  testTasks: 400,
  smboBudget: 20,
  smboTasks: 16,
  maxScratchSteps: 100,
};

/**
 * Sizes of the protocol: `quick` (the bench's default, about two minutes on two cores: one
 * meta-training per learner on 1-shot episodes, tested at K = 1 and 5, MNIST only) and `full`
 * (one meta-training per K and family, more meta-iterations, both families, more test episodes
 * and a larger SMBO budget).
 *
 * @example
 * ```ts
 * import { FEWSHOT_SIZES } from "./fewshot.ts";
 * FEWSHOT_SIZES.full.metaIterations; // 10000
 * ```
 */
export const FEWSHOT_SIZES: Readonly<Record<"quick" | "full", Readonly<FewShotOptions>>> = Object
  .freeze({ quick: Object.freeze(QUICK), full: Object.freeze(FULL) });

const OptionsSchema = z.object({
  families: z.array(z.enum(FEWSHOT_FAMILIES)).min(1).default(["mnist"]),
  shots: z.array(z.number().int().min(1)).min(1).default([1, 5]),
  trainShots: z.union([z.number().int().min(1), z.literal("same")]).default(1),
  queries: z.number().int().min(1).default(15),
  learners: z.array(z.enum(["maml", "fomaml", "reptile", "anil", "metasgd", "learned-hp"]))
    .default([...FEWSHOT_LEARNERS] as ("maml" | "fomaml" | "anil" | "metasgd" | "learned-hp")[]),
  hidden: z.array(z.number().int().min(1)).min(1).default([64, 64]),
  innerLr: z.number().positive().finite().default(0.4),
  metaIterations: z.number().int().min(1).default(500),
  metaBatchSize: z.number().int().min(1).default(8),
  metaLr: z.number().positive().finite().default(1e-3),
  testSteps: z.array(z.number().int().min(0)).min(1).default([1, 10]),
  testTasks: z.number().int().min(2).default(200),
  scratch: z.strictObject({
    lr: z.number().positive().finite(),
    steps: z.number().int().min(1),
    weightDecay: z.number().min(0).finite(),
    initScale: z.number().positive().finite(),
  }).optional(),
  smboBudget: z.number().int().min(0).default(10),
  smboTasks: z.number().int().min(1).default(16),
  maxScratchSteps: z.number().int().min(2).default(100),
  seed: z.number().int().default(0),
  onProgress: z.custom<FewShotOptions["onProgress"]>((f) => typeof f === "function").optional(),
}).strict();

type Resolved = z.infer<typeof OptionsSchema>;

/** What {@linkcode runFewShot} returns. */
export interface FewShotResult {
  /**
   * Long-format rows (suite `fewshot`) per task, arm and step: `accuracy`, `accuracy_ci95`, `loss`
   * and `diverged_tasks`; per meta-learner (step 0) also `meta_seconds`, `ms_per_meta_iteration`,
   * `train_shots`, `meta_iterations` (completed) and `diverged` (1 when meta-training stopped on a
   * non-finite meta-loss, else 0).
   */
  rows: ResultRow[];
  /** The resolved options (defaults filled in, without the callback). */
  options: Omit<FewShotOptions, "onProgress">;
  /** Wall seconds of the whole run. */
  seconds: number;
}

/** One family at one K: meta-train source, meta-test episodes, and the model's widths. */
interface FamilyAt {
  family: FewShotFamily;
  task: string;
  ways: number;
  inputDim: number;
  train: TabularEpisodes["metaTrain"];
  test: TabularEpisode[];
}

const SEGMENTATION = new URL("../../datasets/pmlb/segmentation.tsv.gz", import.meta.url);

async function episodesOf(family: FewShotFamily, shots: number, queries: number, seed: number) {
  if (family === "mnist") return await mnistEpisodes({ ways: 5, shots, queries });
  const { table } = await loadTable(fileURLToPath(SEGMENTATION));
  return tableEpisodes(table, {
    name: "segmentation",
    target: "target",
    ways: 3,
    shots,
    queries,
    split: "classes",
    metaTestClasses: ["4", "5", "6"],
    oneHot: true,
    seed,
  });
}

async function familyAt(
  family: FewShotFamily,
  shots: number,
  o: Resolved,
): Promise<FamilyAt> {
  const episodes = await episodesOf(family, shots, o.queries, o.seed);
  const ways = family === "mnist" ? 5 : 3;
  // Meta-test episodes come from their own seeded stream, the same for every arm.
  const rng = new Rng(o.seed + 1_000_003);
  return {
    family,
    task: `${family}-${ways}w${shots}s`,
    ways,
    inputDim: episodes.numFeatures,
    train: episodes.metaTrain,
    test: Array.from({ length: o.testTasks }, () => episodes.metaTest.sample(rng)),
  };
}

/** What {@linkcode fewShotEpisodes} returns. */
export interface FewShotEpisodes {
  /** Task name, e.g. `mnist-5w1s`. */
  task: string;
  /** Classes per episode. */
  ways: number;
  /** Features per example. */
  inputDim: number;
  /** The pool meta-training episodes are drawn from. */
  metaTrain: TabularEpisodePool;
  /** The run's meta-test episodes, in order. */
  metaTest: TabularEpisode[];
}

/**
 * The episodes {@linkcode runFewShot} uses for `family` at `shots` support points per class: the
 * meta-train pool and the meta-test episodes (the same for every arm of a run with these
 * `seed`, `testTasks` and `queries`). For scoring another implementation on exactly the run's
 * meta-test episodes.
 *
 * @throws {TypeError} naming the field for bad options.
 * @example
 * ```ts
 * import { fewShotEpisodes } from "./fewshot.ts";
 * const { task, metaTest } = await fewShotEpisodes("mnist", 1, { testTasks: 4, seed: 0 });
 * // task === "mnist-5w1s"; metaTest.length === 4; metaTest[0].support.size === 5
 * ```
 */
export async function fewShotEpisodes(
  family: FewShotFamily,
  shots: number,
  options: Pick<FewShotOptions, "queries" | "testTasks" | "seed"> = {},
): Promise<FewShotEpisodes> {
  parseOrThrow(z.number().int().min(1), shots, "fewShotEpisodes: shots");
  const o = parseOrThrow(
    OptionsSchema,
    { ...options, families: [family], shots: [shots] },
    "options",
  );
  const at = await familyAt(family, shots, o);
  return {
    task: at.task,
    ways: at.ways,
    inputDim: at.inputDim,
    metaTrain: at.train,
    metaTest: at.test,
  };
}

/** A meta-learner of the protocol before meta-training (inner rule, seeded initialisation). */
function fewShotLearner(
  kind: LearnerKind,
  model: FunctionalModel,
  innerLr: number,
  seed: number,
): MetaLearner {
  return createLearner(kind, model, {
    innerLr,
    innerSteps: kind === "reptile" ? 5 : 1,
    seed,
    loss: softmaxCrossEntropy,
  });
}

/** Whether each stacker's pool values are finite in float32 (checked once per pool). */
const finitePools = new WeakMap<EpisodeStacker, boolean>();

/**
 * @internal The meta-batches of `n` episodes of `pool` for `model`: `episodeBatch` of `n` calls
 * of `pool.sample(rng)`, with its errors. When `pool` is one of `lib/data`'s pools with `model`'s
 * sizes and finite values, the same batches are written straight into their float32 arrays
 * (no checks needed: the pool's values were checked once). Not re-exported.
 */
export function poolBatches(pool: TabularEpisodePool, model: FunctionalModel): BatchSource {
  const stacker = episodeStacker(pool);
  if (
    stacker !== undefined && stacker.width === model.inputDim &&
    stacker.targetWidth === model.outputDim
  ) {
    let finite = finitePools.get(stacker);
    if (finite === undefined) {
      finite = stacker.values.every(finiteInFloat32);
      finitePools.set(stacker, finite);
    }
    if (finite) {
      // Checked on every call: a `sample` replaced after this point is drawn with, as below.
      return (rng, n, label) =>
        episodeStacker(pool) === stacker
          ? stackedBatch(stacker.stack(rng, n), model)
          : sampledBatch(pool, model, rng, n, label);
    }
  }
  return (rng, n, label) => sampledBatch(pool, model, rng, n, label);
}

/** `episodeBatch` of `n` calls of `pool.sample(rng)`. */
function sampledBatch(
  pool: TabularEpisodePool,
  model: FunctionalModel,
  rng: Rng,
  n: number,
  label: string,
): TaskBatch {
  return episodeBatch(Array.from({ length: n }, () => pool.sample(rng)), model, label);
}

/** The protocol's meta-training: Adam on episodes of `pool`, the episode stream seeded by `seed`. */
function trainFewShot(
  learner: MetaLearner,
  pool: TabularEpisodePool,
  o: Pick<Resolved, "metaIterations" | "metaBatchSize" | "metaLr" | "seed">,
  checkpoints?: { every: number; onCheckpoint: (iteration: number) => void | Promise<void> },
): Promise<MetaTrainResult> {
  return metaTrainBatches(learner, {
    iterations: o.metaIterations,
    metaBatchSize: o.metaBatchSize,
    optimizer: { kind: "adam", lr: o.metaLr },
    seed: o.seed,
    progressEvery: o.metaIterations + 1,
    ...(checkpoints
      ? { checkpointEvery: checkpoints.every, onCheckpoint: checkpoints.onCheckpoint }
      : {}),
  }, poolBatches(pool, learner.model));
}

/** Options of {@linkcode fewShotMetaTrain}. */
export interface FewShotMetaTrainOptions extends
  Pick<
    FewShotOptions,
    "seed" | "metaIterations" | "metaBatchSize" | "metaLr" | "innerLr" | "hidden"
  > {
  /** Calls `onCheckpoint` before meta-training and every this many meta-iterations (default never). */
  checkpointEvery?: number;
  /** Called with the meta-iterations done so far and the learner (e.g. to score it then). */
  onCheckpoint?: (iteration: number, learner: MetaLearner) => void | Promise<void>;
}

/**
 * Creates `kind` and meta-trains it on `episodes.metaTrain` exactly as {@linkcode runFewShot}
 * does for a seed (same initialisation, episode stream, inner rule and Adam), with optional
 * checkpoints along the way; the caller disposes the learner. For following a run's meta-training.
 * Like {@linkcode runFewShot}, it switches tfjs's process-wide backend to `cpu` and leaves it so
 * (the learner's tensors live there).
 *
 * @example
 * ```ts ignore
 * import { fewShotEpisodes, fewShotMetaTrain } from "./fewshot.ts";
 * const episodes = await fewShotEpisodes("mnist", 1, { seed: 0, testTasks: 50 });
 * const { learner } = await fewShotMetaTrain("maml", episodes, { seed: 0, metaIterations: 100 });
 * learner.dispose();
 * ```
 */
export async function fewShotMetaTrain(
  kind: LearnerKind,
  episodes: FewShotEpisodes,
  options: FewShotMetaTrainOptions = {},
): Promise<{ learner: MetaLearner; result: MetaTrainResult }> {
  const { checkpointEvery, onCheckpoint, ...rest } = options;
  const o = parseOrThrow(OptionsSchema, rest, "options");
  await useBackend(BACKEND);
  const learner = fewShotLearner(
    kind,
    modelOf(episodes.inputDim, episodes.ways, o.hidden),
    o.innerLr,
    o.seed,
  );
  try {
    const checkpoints = checkpointEvery && onCheckpoint
      ? { every: checkpointEvery, onCheckpoint: (it: number) => onCheckpoint(it, learner) }
      : undefined;
    await checkpoints?.onCheckpoint(0);
    const result = await trainFewShot(learner, episodes.metaTrain, o, checkpoints);
    return { learner, result };
  } catch (error) {
    learner.dispose();
    throw error;
  }
}

/** The tfjs backend of the protocol's meta-learners and of its cost measurement. */
const BACKEND = "cpu";

function modelOf(inputDim: number, ways: number, hidden: readonly number[]): FunctionalModel {
  return mlp({ sizes: [inputDim, ...hidden, ways] });
}

function row(
  task: string,
  method: string,
  seed: number,
  step: number,
  metric: string,
  value: number,
): ResultRow {
  return { suite: "fewshot", task, method, seed, step, metric, value };
}

/**
 * Mean and 95% Student-t half-width of `values`; both NaN when any value is NaN (a diverged
 * episode or seed makes the whole figure NaN instead of being left out).
 */
function intervalOrNaN(values: readonly number[]): { mean: number; halfWidth: number } {
  if (values.some(Number.isNaN)) return { mean: NaN, halfWidth: NaN };
  const { mean, halfWidth } = meanInterval(values);
  return { mean, halfWidth };
}

/**
 * The value of each seed among `rows` (rows of one metric of one arm, task and step), seed →
 * value in the rows' order. A seed's row given twice with the same value (e.g. a run folder merged
 * twice) counts once; two different values for one seed throw a RangeError naming the seed.
 */
function valuePerSeed(
  rows: readonly ResultRow[],
  caller: string,
  what: () => string,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) {
    const seed = Number(r.seed);
    const known = out.get(seed);
    if (
      known !== undefined && known !== r.value && !(Number.isNaN(known) && Number.isNaN(r.value))
    ) {
      throw new RangeError(
        `${caller} rows: seed ${seed} has two ${what()}: ${known} and ${r.value} (one run per seed)`,
      );
    }
    out.set(seed, r.value);
  }
  return out;
}

/**
 * Accuracy with its Student-t CI over the episodes, the query loss and the number of diverged
 * episodes of `learner` at `steps` on the family's test episodes.
 */
function scoreRows(
  learner: MetaLearner,
  at: FamilyAt,
  method: string,
  steps: readonly number[],
  seed: number,
): ResultRow[] {
  const results = metaTest(learner, at.test, { steps, accuracy: true });
  return results.flatMap((r) => {
    // metaTest makes a diverged episode's accuracy NaN, so a divergence makes both NaN here.
    const accuracy = intervalOrNaN([...r.accuracy!.perTask]);
    return [
      row(at.task, method, seed, r.steps, "accuracy", accuracy.mean),
      row(at.task, method, seed, r.steps, "accuracy_ci95", accuracy.halfWidth),
      row(at.task, method, seed, r.steps, "loss", r.mean),
      row(at.task, method, seed, r.steps, "diverged_tasks", r.nonFinite),
    ];
  });
}

/** Mean query cross-entropy of training each episode from scratch (NaN when some diverged). */
function scratchLoss(
  model: FunctionalModel,
  episodes: readonly Episode[],
  config: ScratchConfig,
  seed: number,
): number {
  const learner = scratchLearner(model, config, seed, softmaxCrossEntropy);
  try {
    return metaTest(learner, episodes, { steps: [config.steps] })[0].mean;
  } finally {
    learner.dispose();
  }
}

/**
 * Runs the few-shot classification protocol (see the module documentation) and returns its rows.
 * It switches tfjs's process-wide backend to `cpu` (the protocol's) and leaves it so: tfjs code
 * that runs afterwards in the process, an `hpoTask` without `backend` included, runs on `cpu`.
 *
 * @example
 * ```ts ignore
 * import { runFewShot } from "./fewshot.ts";
 * const { rows } = await runFewShot({ shots: [1], metaIterations: 100, testTasks: 50 });
 * ```
 */
export async function runFewShot(options: FewShotOptions = {}): Promise<FewShotResult> {
  const { onProgress, ...o } = parseOrThrow(OptionsSchema, options, "runFewShot");
  await useBackend(BACKEND);
  const start = performance.now();
  const rows: ResultRow[] = [];
  const seed = o.seed;
  const scratch: ScratchConfig = o.scratch ??
    { lr: o.innerLr, steps: 10, weightDecay: 0, initScale: 1 };
  // Training from scratch is scored at the meta-learners' steps and at its own.
  const stepsWith = (own: number) => [...new Set([...o.testSteps, own])].sort((a, b) => a - b);
  const trainings = o.trainShots === "same" ? o.shots.length : 1;
  const total = o.families.length *
    (trainings * o.learners.length + o.shots.length * (o.smboBudget > 0 ? 2 : 1));
  let done = 0;
  const progress = (label: string) => onProgress?.(++done, total, label);
  for (const family of o.families) {
    const at = new Map<number, FamilyAt>();
    for (const k of o.shots) at.set(k, await familyAt(family, k, o));
    const ways = at.get(o.shots[0])!.ways;
    const inputDim = at.get(o.shots[0])!.inputDim;
    const model = modelOf(inputDim, ways, o.hidden);
    // Meta-learners: one meta-training per learner (per K with trainShots "same").
    const groups: { trainShots: number; tested: number[] }[] = o.trainShots === "same"
      ? o.shots.map((k) => ({ trainShots: k, tested: [k] }))
      : [{ trainShots: o.trainShots, tested: o.shots }];
    for (const group of groups) {
      const train = at.get(group.trainShots)?.train ??
        (await episodesOf(family, group.trainShots, o.queries, seed)).metaTrain;
      for (const kind of o.learners) {
        const learner = fewShotLearner(kind, model, o.innerLr, seed);
        try {
          const began = performance.now();
          const result = await trainFewShot(learner, train, o);
          const seconds = (performance.now() - began) / 1000;
          for (const k of group.tested) {
            const family = at.get(k)!;
            rows.push(...scoreRows(learner, family, kind, o.testSteps, seed));
            rows.push(row(family.task, kind, seed, 0, "meta_seconds", seconds));
            rows.push(
              row(
                family.task,
                kind,
                seed,
                0,
                "ms_per_meta_iteration",
                result.iterations > 0 ? 1000 * seconds / result.iterations : NaN,
              ),
            );
            rows.push(row(family.task, kind, seed, 0, "train_shots", group.trainShots));
            rows.push(row(family.task, kind, seed, 0, "meta_iterations", result.iterations));
            rows.push(row(family.task, kind, seed, 0, "diverged", result.diverged ? 1 : 0));
          }
        } finally {
          learner.dispose();
        }
        progress(`${family} ${kind} (trained on ${group.trainShots}-shot)`);
      }
    }
    // Training from scratch, with default and SMBO-tuned hyperparameters.
    for (const k of o.shots) {
      const family = at.get(k)!;
      const learner = scratchLearner(model, scratch, seed, softmaxCrossEntropy);
      try {
        rows.push(...scoreRows(learner, family, "scratch", stepsWith(scratch.steps), seed));
      } finally {
        learner.dispose();
      }
      progress(`${family.task} scratch`);
      if (o.smboBudget === 0) continue;
      const began = performance.now();
      // SMBO sees meta-train episodes only: the meta-test classes stay unseen until scoring.
      const tuningRng = new Rng(seed + 17);
      const tuning = Array.from({ length: o.smboTasks }, () => family.train.sample(tuningRng));
      const found = await minimize(
        (config: ScratchConfig) => Math.log(scratchLoss(model, tuning, config, seed)),
        scratchSpace(o.maxScratchSteps),
        { budget: o.smboBudget, seed },
      );
      const tuned = { ...found.best.params };
      const seconds = (performance.now() - began) / 1000;
      const best = scratchLearner(model, tuned, seed, softmaxCrossEntropy);
      try {
        rows.push(...scoreRows(best, family, "smbo-scratch", stepsWith(tuned.steps), seed));
      } finally {
        best.dispose();
      }
      rows.push(row(family.task, "smbo-scratch", seed, 0, "meta_seconds", seconds));
      rows.push(row(family.task, "smbo-scratch", seed, 0, "tuned_lr", tuned.lr));
      rows.push(row(family.task, "smbo-scratch", seed, 0, "tuned_steps", tuned.steps));
      progress(`${family.task} smbo-scratch`);
    }
  }
  return { rows, options: o, seconds: (performance.now() - start) / 1000 };
}

/** An arm's query accuracy at a number of steps, over the seeds of a run. */
export interface FewShotAccuracy {
  /** Mean query accuracy (over meta-test episodes; then over seeds); NaN when a seed diverged. */
  mean: number;
  /**
   * Half-width of the 95% CI: over meta-test episodes (Student t) with one seed; over the seeds'
   * mean accuracies (Student t, seeds − 1 degrees of freedom) with several.
   */
  ci95: number;
  /** Seeds that scored the arm at this step. */
  seeds: number;
}

/**
 * The query accuracy of `method` after `step` adaptation steps on `task`, aggregated over the
 * seeds in `rows` (rows of {@linkcode runFewShot}, one run per seed): with one seed its mean and
 * the 95% CI over meta-test episodes; with several, the mean of the seeds' accuracies and the 95%
 * Student-t CI over seeds, which also covers the variation between meta-trainings; both NaN when
 * some seed's accuracy is NaN (diverged). `undefined` when no seed scored it. Seeds are counted
 * as {@linkcode fewShotSeedAccuracies} counts them, one value per distinct seed: a seed's rows
 * present twice with the same values (e.g. a run folder merged twice) count once.
 *
 * @throws {RangeError} when the rows hold two different accuracies (or accuracy CIs) for one seed.
 * @example
 * ```ts
 * import { fewShotAccuracy } from "./fewshot.ts";
 * const row = (seed: number, metric: string, value: number) =>
 *   ({ suite: "fewshot", task: "t", method: "maml", seed, step: 1, metric, value });
 * const rows = [row(0, "accuracy", 0.5), row(0, "accuracy_ci95", 0.01), row(1, "accuracy", 0.6)];
 * fewShotAccuracy(rows, "t", "maml", 1); // { mean: 0.55, ci95: 12.706 · 0.05 ≈ 0.635, seeds: 2 }
 * ```
 */
export function fewShotAccuracy(
  rows: readonly ResultRow[],
  task: string,
  method: string,
  step: number,
): FewShotAccuracy | undefined {
  const at = (metric: string) =>
    rows.filter((r) =>
      r.task === task && r.method === method && Number(r.step) === step && r.metric === metric
    );
  const of = (metric: string) =>
    valuePerSeed(
      at(metric),
      "fewShotAccuracy",
      () => `${metric} values for ${method} on ${task} after ${step} steps`,
    );
  const accuracy = of("accuracy");
  if (accuracy.size === 0) return undefined;
  if (accuracy.size === 1) {
    const [[seed, mean]] = accuracy;
    return { mean, ci95: of("accuracy_ci95").get(seed) ?? NaN, seeds: 1 };
  }
  const { mean, halfWidth } = intervalOrNaN([...accuracy.values()]);
  return { mean, ci95: halfWidth, seeds: accuracy.size };
}

/**
 * Each seed's query accuracy of `method` on `task` after `step` steps (seed → accuracy), in the
 * rows' order; a seed's row present twice with the same value counts once.
 *
 * @throws {RangeError} when the rows hold two different accuracies for one seed.
 * @example
 * ```ts
 * import { fewShotSeedAccuracies } from "./fewshot.ts";
 * const row = (seed: number, value: number) =>
 *   ({ suite: "fewshot", task: "t", method: "maml", seed, step: 10, metric: "accuracy", value });
 * fewShotSeedAccuracies([row(0, 0.5), row(1, 0.6)], "t", "maml", 10).get(1); // 0.6
 * ```
 */
export function fewShotSeedAccuracies(
  rows: readonly ResultRow[],
  task: string,
  method: string,
  step: number,
): Map<number, number> {
  return seedAccuracies(rows, task, method, step, "fewShotSeedAccuracies");
}

/** {@linkcode fewShotSeedAccuracies}, its errors naming `caller`. */
function seedAccuracies(
  rows: readonly ResultRow[],
  task: string,
  method: string,
  step: number,
  caller: string,
): Map<number, number> {
  return valuePerSeed(
    rows.filter((r) =>
      r.task === task && r.method === method && Number(r.step) === step && r.metric === "accuracy"
    ),
    caller,
    () => `accuracy values for ${method} on ${task} after ${step} steps`,
  );
}

/**
 * `method` minus `reference` on `task` after `step` steps, seed by seed (runs that score both on
 * each seed's own meta-test episodes, e.g. ours and the PyTorch reference): mean and 95% Student-t
 * half-width of the differences over the seeds both have (NaN when one is NaN); `undefined` with
 * fewer than two.
 *
 * @throws {RangeError} when the rows hold two different accuracies for one seed of either arm.
 * @example
 * ```ts
 * import { fewShotPairedDifference } from "./fewshot.ts";
 * const row = (method: string, seed: number, value: number) =>
 *   ({ suite: "fewshot", task: "t", method, seed, step: 10, metric: "accuracy", value });
 * const rows = [row("a", 0, 0.52), row("a", 1, 0.62), row("b", 0, 0.5), row("b", 1, 0.6)];
 * fewShotPairedDifference(rows, "t", "a", "b", 10)?.seeds; // 2 (mean 0.02, half-width ≈ 0)
 * ```
 */
export function fewShotPairedDifference(
  rows: readonly ResultRow[],
  task: string,
  method: string,
  reference: string,
  step: number,
): { mean: number; halfWidth: number; seeds: number } | undefined {
  const ours = seedAccuracies(rows, task, method, step, "fewShotPairedDifference");
  const theirs = seedAccuracies(rows, task, reference, step, "fewShotPairedDifference");
  const differences = [...ours].filter(([seed]) => theirs.has(seed))
    .map(([seed, value]) => value - theirs.get(seed)!);
  if (differences.length < 2) return undefined;
  const { mean, halfWidth } = intervalOrNaN(differences);
  return { mean, halfWidth, seeds: differences.length };
}

/**
 * The accuracy of an arm that chose its own number of steps per seed (`smbo-scratch`: the
 * `tuned_steps` row of each seed), each seed scored at its own steps and aggregated as in
 * {@linkcode fewShotAccuracy}; with the steps, in seed order. `undefined` when no seed has them.
 *
 * @throws {RangeError} when the rows hold two different values of `tuned_steps` or of the accuracy
 * for one seed.
 * @example
 * ```ts
 * import { fewShotOwnStepsAccuracy } from "./fewshot.ts";
 * const row = (seed: number, step: number, metric: string, value: number) =>
 *   ({ suite: "fewshot", task: "t", method: "smbo-scratch", seed, step, metric, value });
 * const rows = [
 *   row(0, 0, "tuned_steps", 40), row(0, 40, "accuracy", 0.5),
 *   row(1, 0, "tuned_steps", 60), row(1, 60, "accuracy", 0.6),
 * ];
 * fewShotOwnStepsAccuracy(rows, "t")?.steps; // [40, 60]
 * ```
 */
export function fewShotOwnStepsAccuracy(
  rows: readonly ResultRow[],
  task: string,
  method = "smbo-scratch",
): (FewShotAccuracy & { steps: number[] }) | undefined {
  const seeds = [...new Set(rows.map((r) => Number(r.seed)))].sort((a, b) => a - b);
  const perSeed = seeds.flatMap((seed) => {
    const mine = rows.filter((r) =>
      r.task === task && r.method === method && Number(r.seed) === seed
    );
    const one = (metric: string, step?: number) =>
      valuePerSeed(
        mine.filter((r) => r.metric === metric && (step === undefined || Number(r.step) === step)),
        "fewShotOwnStepsAccuracy",
        () => `${metric} values for ${method} on ${task}`,
      ).get(seed);
    const steps = one("tuned_steps");
    const at = (metric: string) => steps === undefined ? undefined : one(metric, steps);
    const accuracy = at("accuracy");
    return steps === undefined || accuracy === undefined
      ? []
      : [{ steps, accuracy, ci95: at("accuracy_ci95") ?? NaN }];
  });
  if (perSeed.length === 0) return undefined;
  const steps = perSeed.map((s) => s.steps);
  if (perSeed.length === 1) {
    return { mean: perSeed[0].accuracy, ci95: perSeed[0].ci95, seeds: 1, steps };
  }
  const { mean, halfWidth } = intervalOrNaN(perSeed.map((s) => s.accuracy));
  return { mean, ci95: halfWidth, seeds: perSeed.length, steps };
}

/** A table of {@linkcode fewShotTables}: a title and flat records. */
export interface FewShotTable {
  /** Heading. */
  title: string;
  /** Rows with the same keys. */
  records: Record<string, string | number>[];
}

const pct = (x: number) => (100 * x).toFixed(1);

/**
 * One table per task: each arm's query accuracy (mean ± 95% CI, percent; see
 * {@linkcode fewShotAccuracy} for one seed and several) at each scored number of adaptation
 * steps, with the meta-training or tuning seconds (mean over seeds).
 *
 * @example
 * ```ts
 * import { fewShotTables } from "./fewshot.ts";
 * const tables = fewShotTables({
 *   rows: [
 *     { suite: "fewshot", task: "mnist-5w1s", method: "maml", seed: 0, step: 1, metric: "accuracy", value: 0.5 },
 *     { suite: "fewshot", task: "mnist-5w1s", method: "maml", seed: 0, step: 1, metric: "accuracy_ci95", value: 0.01 },
 *   ],
 * });
 * tables[0].records[0]; // { method: "maml", steps: 1, "accuracy %": "50.0 ± 1.0", seconds: "" }
 * ```
 */
export function fewShotTables(result: Pick<FewShotResult, "rows">): FewShotTable[] {
  const tasks = [...new Set(result.rows.map((r) => r.task))];
  const seeds = new Set(result.rows.map((r) => Number(r.seed))).size;
  return tasks.map((task) => {
    const rows = result.rows.filter((r) => r.task === task);
    const cells = [
      ...new Map(
        rows.filter((r) => r.metric === "accuracy").map((r) => [`${r.method}@${r.step}`, r]),
      ).values(),
    ];
    const seconds = (method: string) => {
      const values = rows.filter((s) => s.method === method && s.metric === "meta_seconds")
        .map((s) => s.value);
      return values.length === 0
        ? ""
        : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1);
    };
    const text = (a: FewShotAccuracy) =>
      Number.isFinite(a.mean) ? `${pct(a.mean)} ± ${pct(a.ci95)}` : "diverged";
    const records: Record<string, string | number>[] = [];
    for (const r of cells) {
      const accuracy = fewShotAccuracy(rows, task, r.method, Number(r.step))!;
      // With several seeds, an arm's own number of steps differs between seeds: it gets one
      // record over the seeds at their own steps instead of one per step.
      const own = rows.some((t) => t.method === r.method && t.metric === "tuned_steps");
      if (seeds > 1 && accuracy.seeds < seeds && own) continue;
      records.push({
        method: r.method,
        steps: Number(r.step),
        "accuracy %": text(accuracy),
        seeds: accuracy.seeds,
        seconds: seconds(r.method),
      });
    }
    if (seeds > 1) {
      const ownMethods = [
        ...new Set(rows.filter((t) => t.metric === "tuned_steps").map((t) => t.method)),
      ];
      for (const method of ownMethods) {
        const mine = fewShotOwnStepsAccuracy(rows, task, method);
        if (!mine) continue;
        const last = records.findLastIndex((x) => x.method === method);
        records.splice(last + 1, 0, {
          method,
          steps: `own (${mine.steps.join(", ")})`,
          "accuracy %": text(mine),
          seeds: mine.seeds,
          seconds: seconds(method),
        });
      }
    }
    // Runs merged from separate processes may hold more seeds of some arms than of others: the
    // count then goes in a column of its own instead of the title.
    const counts = new Set(records.map((x) => x.seeds));
    const over = seeds <= 1
      ? "mean ± 95% CI over meta-test episodes"
      : counts.size === 1
      ? `mean over ${[...counts][0]} seeds ± 95% CI over seeds`
      : "mean over each arm's seeds ± 95% CI over seeds";
    if (counts.size <= 1) records.forEach((x) => delete x.seeds);
    return { title: `${task}: query accuracy (${over})`, records };
  });
}

/**
 * Milliseconds per meta-gradient (wall and process CPU time, the fair figure on a shared machine)
 * of a learner at its initial parameters on 5-way 1-shot MNIST meta-train episodes with the softmax cross-entropy and with
 * the mean squared error (on the same one-hot targets), on the fused engine and on tfjs's tape:
 * what the classification loss costs. Switches tfjs's process-wide backend to `cpu` and leaves it
 * so.
 *
 * @example
 * ```ts ignore
 * import { crossEntropyCost } from "./fewshot.ts";
 * const records = await crossEntropyCost({ iterations: 20 });
 * ```
 */
export async function crossEntropyCost(
  options: { kind?: LearnerKind; iterations?: number; metaBatchSize?: number; seed?: number } = {},
): Promise<Record<string, string | number>[]> {
  const kind = options.kind ?? "maml";
  const iterations = options.iterations ?? 30;
  const batchSize = options.metaBatchSize ?? 8;
  await useBackend(BACKEND);
  const episodes = await mnistEpisodes({ ways: 5, shots: 1, queries: 15 });
  const model = modelOf(episodes.numFeatures, 5, [64, 64]);
  const losses: [string, TaskLoss][] = [["softmax-ce", softmaxCrossEntropy], ["mse", mse]];
  // Paired timing: both losses at the same parameters (the seeded initialisation, not updated)
  // on the same meta-batch, in alternating order, so that garbage collection and the machine's
  // load fall on both alike. (The kernels skip exactly-zero ReLU activations, so a meta-gradient's
  // cost also depends on the parameters, which training with either loss would change.)
  const time = (engine: "fused" | "tape", n: number) => {
    const learners = losses.map(([, loss]) =>
      createLearner(kind, model, { innerLr: 0.4, seed: 0, loss })
    );
    const rng = new Rng(options.seed ?? 0);
    const wall = [0, 0];
    const cpu = [0, 0];
    for (let i = 0; i < n; i++) {
      const batch = episodeBatch(
        Array.from({ length: batchSize }, () => episodes.metaTrain.sample(rng)),
        model,
      );
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const began = performance.now();
        const cpuBefore = cpuUsage();
        const { loss: value, grads } = learners[k].metaGradients(batch, { engine });
        const used = cpuUsage(cpuBefore);
        cpu[k] += (used.user + used.system) / 1000;
        wall[k] += performance.now() - began;
        tf.dispose([value, ...grads]);
      }
      disposeBatch(batch);
    }
    learners.forEach((l) => l.dispose());
    return losses.map((_, k) => ({ wall: wall[k] / n, cpu: cpu[k] / n }));
  };
  // An untimed pass first: the first configuration timed would otherwise pay V8's optimisation
  // of the engine's loops and the WebAssembly compilation.
  for (const engine of ["fused", "tape"] as const) time(engine, 4);
  const records: Record<string, string | number>[] = [];
  for (const engine of ["fused", "tape"] as const) {
    time(engine, iterations).forEach(({ wall, cpu }, k) =>
      records.push({
        learner: kind,
        loss: losses[k][0],
        engine,
        "ms / meta-gradient": Number(wall.toFixed(2)),
        "CPU ms / meta-gradient": Number(cpu.toFixed(2)),
      })
    );
  }
  return records;
}
