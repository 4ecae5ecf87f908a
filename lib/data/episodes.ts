/**
 * Few-shot episodes drawn from the built-in tabular datasets, so that MAML-style learners and SMBO
 * can be compared on real data (a {@linkcode TabularEpisode} has the `support` / `query` sets of
 * `x` and row-major `y` that `lib/maml` episodes have): N-way K-shot classification and K-shot regression, with a seeded
 * meta-train / meta-test split of classes (new classes at meta-test time) or of rows (new
 * examples of the same classes).
 *
 * Preprocessing is fitted on meta-train rows only: standardisation and one-hot categories of
 * {@linkcode prepareDataset}, and for regression the target's mean and standard deviation
 * (targets are standardised by default; `targetMean` and `targetStd` undo it).
 *
 * @module
 */
import { aq } from "../deps/arquero.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import { loadBuiltinDataset } from "./builtin.ts";
import { DataError } from "./errors.ts";
import { parseOrThrow } from "../validate.ts";
import { encodeFeatures, prepareDataset, type TaskType } from "./prepare.ts";
import { importMnistDigits } from "../deps/mnist.ts";
import { poolDigits } from "./mnist.ts";
import { shuffledSplit, stratifiedSplit } from "./split.ts";
import type { Table } from "./table.ts";

/** A support or query set: row-major features and targets. */
export interface TabularEpisodeSet {
  /** Features, `size × numFeatures`, row-major. */
  x: Float64Array;
  /**
   * Episode-local class index (0 … ways−1), or one-hot rows (`size × ways`) with `oneHot`, or the
   * (standardised) regression target.
   */
  y: Float64Array;
  /** Number of rows. */
  size: number;
  /** Row number of each row in the loaded built-in table (for provenance). */
  rows: Int32Array;
}

/** One few-shot task. */
export interface TabularEpisode {
  /** Support (adaptation) set: `ways × shots` rows for classification, `shots` for regression. */
  support: TabularEpisodeSet;
  /** Query (evaluation) set: `ways × queries` or `queries` rows. */
  query: TabularEpisodeSet;
  /** Original class label of each episode-local index (empty for regression). */
  classes: string[];
}

/** A pool of rows that episodes are drawn from (the meta-train or the meta-test part). */
export interface TabularEpisodePool {
  /** Row numbers of the pool in the loaded built-in table, ascending. */
  readonly rows: Int32Array;
  /** Class labels present in the pool (empty for regression). */
  readonly classes: readonly string[];
  /** Draws one episode; all randomness comes from `rng`. */
  sample(rng: Rng): TabularEpisode;
}

/** Meta-train and meta-test pools of one dataset, with what is shared by their episodes. */
export interface TabularEpisodes {
  /** Built-in dataset name. */
  dataset: string;
  /** Classification or regression. */
  task: TaskType;
  /** Encoded features per row. */
  numFeatures: number;
  /** Encoded feature names. */
  featureNames: string[];
  /** How the meta split was made. */
  split: "classes" | "rows";
  /** Pool for meta-training. */
  metaTrain: TabularEpisodePool;
  /** Pool for meta-testing (disjoint rows; disjoint classes for a class split). */
  metaTest: TabularEpisodePool;
  /** Meta-train target mean used to standardise regression targets (0 otherwise). */
  targetMean: number;
  /** Meta-train target standard deviation used to standardise regression targets (1 otherwise). */
  targetStd: number;
}

/** Options of {@linkcode tabularEpisodes} (defaults in {@linkcode TABULAR_EPISODE_DEFAULTS}). */
export interface TabularEpisodeOptions {
  /** Built-in dataset name. */
  dataset: string;
  /** Classes per episode (classification only). */
  ways?: number;
  /** Support rows per class (classification) or per episode (regression). */
  shots: number;
  /** Query rows per class (classification) or per episode (regression). */
  queries?: number;
  /** Meta split: `"classes"` (classification only) or `"rows"`. */
  split?: "classes" | "rows";
  /** Fraction of classes or rows set aside for meta-testing. */
  metaTestFraction?: number;
  /**
   * The meta-test classes of a class split, named as the target's labels (e.g. `["5", …, "9"]`
   * for MNIST digits); the other classes are meta-train. Overrides `metaTestFraction`.
   */
  metaTestClasses?: readonly string[];
  /** Seed of the dataset subsample and of the meta split. */
  seed?: number;
  /** Largest number of dataset rows (as in `loadBuiltinDataset`). */
  maxRows?: number;
  /** Standardise regression targets with meta-train statistics. */
  standardizeTarget?: boolean;
  /**
   * Classification targets as one-hot rows (`y` is `size × ways`, row-major) instead of class
   * indices (`y` is `size`). One-hot suits a softmax output trained by `lib/maml`.
   */
  oneHot?: boolean;
}

/**
 * Defaults of {@linkcode tabularEpisodes}: `ways` 2, `queries` 15, `split` `"rows"`,
 * `metaTestFraction` 0.3, `seed` 0, `standardizeTarget` true, `oneHot` false.
 *
 * @example
 * ```ts
 * import { TABULAR_EPISODE_DEFAULTS, tabularEpisodes } from "./episodes.ts";
 * await tabularEpisodes({ dataset: "cars-mpg", shots: 5, queries: TABULAR_EPISODE_DEFAULTS.queries });
 * ```
 */
export const TABULAR_EPISODE_DEFAULTS: {
  readonly ways: number;
  readonly queries: number;
  readonly split: "classes" | "rows";
  readonly metaTestFraction: number;
  readonly seed: number;
  readonly standardizeTarget: boolean;
  readonly oneHot: boolean;
} = Object.freeze({
  ways: 2,
  queries: 15,
  split: "rows",
  metaTestFraction: 0.3,
  seed: 0,
  standardizeTarget: true,
  oneHot: false,
});

const episodeOptionsSchema = z.object({
  dataset: z.string().min(1),
  ways: z.number().int().min(2).optional(),
  shots: z.number().int().min(1),
  queries: z.number().int().min(1).optional(),
  split: z.enum(["classes", "rows"]).optional(),
  metaTestFraction: z.number().gt(0).lt(1).optional(),
  metaTestClasses: z.array(z.string()).min(1).optional(),
  seed: z.number().int().optional(),
  maxRows: z.number().int().min(2).or(z.literal(Infinity)).optional(),
  standardizeTarget: z.boolean().optional(),
  oneHot: z.boolean().optional(),
}).strict();

/**
 * Builds meta-train and meta-test episode pools from a built-in dataset.
 *
 * @throws {DataError} when the dataset cannot supply the episodes asked for (too few classes for a
 * class split, or too few rows per class); `TypeError` naming the field for bad options.
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { tabularEpisodes } from "./episodes.ts";
 * const mnist = await tabularEpisodes({
 *   dataset: "mnist", ways: 5, shots: 1, queries: 5, split: "classes", metaTestFraction: 0.5,
 * });
 * const episode = mnist.metaTrain.sample(new Rng(0));
 * // episode.support.size === 5, episode.query.size === 25, mnist.numFeatures === 196
 * ```
 */
export async function tabularEpisodes(options: TabularEpisodeOptions): Promise<TabularEpisodes> {
  const opts = parseOrThrow(episodeOptionsSchema, options, "options");
  const seed = opts.seed ?? TABULAR_EPISODE_DEFAULTS.seed;
  const { table, info } = await loadBuiltinDataset(opts.dataset, { seed, maxRows: opts.maxRows });
  return episodesOf(table, info, opts, opts.dataset);
}

/** Options of {@linkcode tableEpisodes}: the target column and the episode shape. */
export interface TableEpisodeOptions extends Omit<TabularEpisodeOptions, "dataset" | "maxRows"> {
  /** Name of the dataset (for messages and `TabularEpisodes.dataset`). */
  name: string;
  /** Target column; every other column is a feature. */
  target: string;
  /** Classification (default) or regression. */
  task?: TaskType;
  /** Feature columns to one-hot encode (others must be numeric). */
  categorical?: readonly string[];
}

const tableEpisodeOptionsSchema = episodeOptionsSchema.omit({ dataset: true, maxRows: true })
  .extend({
    name: z.string().min(1),
    target: z.string().min(1),
    task: z.enum(["classification", "regression"]).optional(),
    categorical: z.array(z.string()).optional(),
  }).strict();

/**
 * {@linkcode tabularEpisodes} for a table the caller loaded (e.g. a PMLB file read with
 * `loadTable`): the same class or row split, preprocessing fitted on meta-train rows, one-hot
 * targets on request. Class labels are compared as text (numeric codes become `"0"`, `"1"`, …).
 *
 * @throws {DataError} when the table cannot supply the episodes asked for; `TypeError` naming
 * the field for bad options.
 * @example
 * ```ts
 * import { aq } from "../deps/arquero.ts";
 * import { Rng } from "../random/rng.ts";
 * import { tableEpisodes } from "./episodes.ts";
 * const table = aq.table({
 *   f: Array.from({ length: 60 }, (_, i) => i % 7),
 *   label: Array.from({ length: 60 }, (_, i) => i % 6),
 * });
 * const episodes = tableEpisodes(table, {
 *   name: "toy", target: "label", ways: 3, shots: 2, queries: 3, split: "classes",
 *   metaTestClasses: ["3", "4", "5"],
 * });
 * episodes.metaTest.sample(new Rng(0)).classes; // three of "3", "4", "5"
 * ```
 */
export function tableEpisodes(table: Table, options: TableEpisodeOptions): TabularEpisodes {
  const opts = parseOrThrow(tableEpisodeOptionsSchema, options, "options");
  const names = table.columnNames();
  if (!names.includes(opts.target)) {
    throw new DataError(`target: no column ${JSON.stringify(opts.target)}`, { source: opts.name });
  }
  const task = opts.task ?? "classification";
  let data = table;
  if (task === "classification") {
    const labels = Array.from(table.array(opts.target) as ArrayLike<unknown>, (v) => String(v));
    const columns: Record<string, unknown[]> = {};
    for (const column of names) {
      columns[column] = column === opts.target
        ? labels
        : Array.from(table.array(column) as ArrayLike<unknown>);
    }
    data = aq.table(columns, names);
  }
  const info = { task, target: opts.target, categorical: opts.categorical ?? [] };
  return episodesOf(data, info, { ...opts, dataset: opts.name }, opts.name);
}

function episodesOf(
  table: Table,
  info: { task: TaskType; target: string; categorical: readonly string[] },
  opts: z.infer<typeof episodeOptionsSchema>,
  source: string,
): TabularEpisodes {
  const ways = opts.ways ?? TABULAR_EPISODE_DEFAULTS.ways;
  const shots = opts.shots;
  const queries = opts.queries ?? TABULAR_EPISODE_DEFAULTS.queries;
  const split = opts.split ?? TABULAR_EPISODE_DEFAULTS.split;
  const fraction = opts.metaTestFraction ?? TABULAR_EPISODE_DEFAULTS.metaTestFraction;
  const seed = opts.seed ?? TABULAR_EPISODE_DEFAULTS.seed;
  if (opts.metaTestClasses && (info.task !== "classification" || split !== "classes")) {
    throw new DataError('metaTestClasses needs a classification dataset and split "classes"', {
      source,
    });
  }
  if (info.task === "regression" && split === "classes") {
    throw new DataError('a class split needs a classification dataset; use split "rows"', {
      source,
    });
  }
  const rng = new Rng(seed);
  const n = table.numRows();
  const target = table.array(info.target) as ArrayLike<string | number>;
  let trainRows: number[];
  let testRows: number[];
  if (info.task === "classification") {
    const labels = [...new Set(Array.from(target) as string[])].sort();
    if (split === "classes") {
      if (labels.length < 2 * ways) {
        throw new DataError(
          `has ${labels.length} classes; a class split with ${ways}-way episodes needs ${2 * ways}`,
          { source, column: info.target },
        );
      }
      let testClasses: Set<string>;
      if (opts.metaTestClasses) {
        const unknown = opts.metaTestClasses.filter((c) => !labels.includes(c));
        if (unknown.length > 0) {
          throw new DataError(
            `metaTestClasses: ${JSON.stringify(unknown)} not among the classes ${
              JSON.stringify(labels)
            }`,
            { source, column: info.target },
          );
        }
        testClasses = new Set(opts.metaTestClasses);
        if (testClasses.size < ways || labels.length - testClasses.size < ways) {
          throw new DataError(
            `metaTestClasses: ${testClasses.size} meta-test and ${
              labels.length - testClasses.size
            } meta-train classes; ${ways}-way episodes need ${ways} of each`,
            { source, column: info.target },
          );
        }
      } else {
        const nTest = Math.min(
          Math.max(Math.round(labels.length * fraction), ways),
          labels.length - ways,
        );
        testClasses = new Set(rng.shuffle([...labels]).slice(0, nTest));
      }
      trainRows = [];
      testRows = [];
      for (let r = 0; r < n; r++) {
        (testClasses.has(target[r] as string) ? testRows : trainRows).push(r);
      }
    } else {
      const index = new Map(labels.map((l, k) => [l, k]));
      const parts = stratifiedSplit(
        Array.from(target, (l) => index.get(l as string)!),
        { train: 1 - fraction, validation: 0, test: fraction },
        rng,
      );
      trainRows = Array.from(parts.train);
      testRows = Array.from(parts.test);
    }
  } else {
    const parts = shuffledSplit(n, { train: 1 - fraction, validation: 0, test: fraction }, rng);
    trainRows = Array.from(parts.train);
    testRows = Array.from(parts.test);
  }

  // Fit preprocessing on meta-train rows only, then encode both parts with it.
  const trainTable = selectRows(table, trainRows);
  const testTable = selectRows(table, testRows);
  const prepared = prepareDataset(trainTable, {
    target: info.target,
    task: info.task,
    categorical: [...info.categorical],
    split: { train: 1, validation: 0, test: 0 },
    source,
  });
  const width = prepared.numFeatures;
  const trainX = encodeFeatures(prepared.transform, trainTable);
  const testX = encodeFeatures(prepared.transform, testTable);
  let targetMean = 0;
  let targetStd = 1;
  const trainY = Array.from(trainRows, (r) => target[r]);
  const testY = Array.from(testRows, (r) => target[r]);
  if (
    info.task === "regression" &&
    (opts.standardizeTarget ?? TABULAR_EPISODE_DEFAULTS.standardizeTarget)
  ) {
    const values = trainY as number[];
    targetMean = values.reduce((a, b) => a + b, 0) / values.length;
    // 1 for a target constant up to round-off (its mean may round off equal values).
    targetStd = values.length === 0 ? 1 : standardizeTargets(values).std;
  }
  const makePool = (
    x: Float64Array,
    ids: Int32Array,
    y: (string | number)[],
    name: string,
  ): TabularEpisodePool =>
    info.task === "classification"
      ? classificationPool(
        x,
        ids,
        y as string[],
        width,
        { ways, shots, queries, oneHot: opts.oneHot ?? TABULAR_EPISODE_DEFAULTS.oneHot },
        `${source} ${name}`,
      )
      : regressionPool(
        x,
        ids,
        Float64Array.from(y as number[], (v) => (v - targetMean) / targetStd),
        width,
        shots,
        queries,
        `${source} ${name}`,
      );
  return {
    dataset: opts.dataset,
    task: info.task,
    numFeatures: width,
    featureNames: prepared.featureNames,
    split,
    metaTrain: makePool(trainX, Int32Array.from(trainRows), trainY, "meta-train"),
    metaTest: makePool(testX, Int32Array.from(testRows), testY, "meta-test"),
    targetMean,
    targetStd,
  };
}

/** Options of {@linkcode mnistEpisodes} (defaults in {@linkcode MNIST_EPISODE_DEFAULTS}). */
export interface MnistEpisodeOptions {
  /** Classes per episode. */
  ways?: number;
  /** Support images per class. */
  shots: number;
  /** Query images per class. */
  queries?: number;
  /** Digits held out for meta-testing (the others are meta-train classes). */
  metaTestDigits?: readonly number[];
  /**
   * Add the meta-train digits rotated by 90°, 180° and 270° as new meta-train classes (4× the
   * classes; the augmentation of Santoro et al. 2016 and Finn et al. 2017 for Omniglot).
   * Meta-test classes are never rotated.
   */
  rotations?: boolean;
}

/**
 * Defaults of {@linkcode mnistEpisodes}: 5-way, 15 queries per class, digits 5–9 held out for
 * meta-testing (so that meta-test episodes can be 5-way), meta-train classes augmented by
 * rotations.
 *
 * @example
 * ```ts
 * import { MNIST_EPISODE_DEFAULTS } from "./episodes.ts";
 * MNIST_EPISODE_DEFAULTS.metaTestDigits; // [5, 6, 7, 8, 9]
 * ```
 */
export const MNIST_EPISODE_DEFAULTS: {
  readonly ways: number;
  readonly queries: number;
  readonly metaTestDigits: readonly number[];
  readonly rotations: boolean;
} = Object.freeze({
  ways: 5,
  queries: 15,
  metaTestDigits: Object.freeze([5, 6, 7, 8, 9]),
  rotations: true,
});

const mnistOptionsSchema = z.object({
  ways: z.number().int().min(2).optional(),
  shots: z.number().int().min(1),
  queries: z.number().int().min(1).optional(),
  metaTestDigits: z.array(z.number().int().min(0).max(9)).min(1).optional(),
  rotations: z.boolean().optional(),
}).strict();

/** A square image (row-major, `side × side`) rotated by 90° counter-clockwise. */
function rotate90(image: Float64Array, side: number): Float64Array {
  const out = new Float64Array(image.length);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) out[(side - 1 - j) * side + i] = image[i * side + j];
  }
  return out;
}

/** The images of one side of MNIST's class split (see {@linkcode mnistClasses}). */
export interface MnistClassImages {
  /** Pooled images, row-major (`labels.length × 196`), grey levels in [0, 1]. */
  x: Float64Array;
  /** Class label of each image: the digit, with `@90`, `@180` or `@270` for rotated copies. */
  labels: string[];
  /** Index of each image's source digit image in the pooled MNIST set (shared by rotations). */
  ids: Int32Array;
}

/**
 * The class split of {@linkcode mnistEpisodes} as plain images: the meta-train classes (the digits
 * not in `metaTestDigits`, with their rotations by 90°, 180° and 270° as extra classes unless
 * `rotations` is false) and the meta-test classes (`metaTestDigits`, unrotated), each in ascending
 * digit order. For running other implementations on exactly the episodes' data.
 *
 * @throws {TypeError} naming the field for bad options.
 * @example
 * ```ts
 * import { mnistClasses } from "./episodes.ts";
 * const { width, metaTrain, metaTest } = await mnistClasses();
 * // width === 196; new Set(metaTrain.labels).size === 20; new Set(metaTest.labels).size === 5
 * ```
 */
export async function mnistClasses(
  options: Pick<MnistEpisodeOptions, "metaTestDigits" | "rotations"> = {},
): Promise<{ width: number; metaTrain: MnistClassImages; metaTest: MnistClassImages }> {
  const opts = parseOrThrow(
    mnistOptionsSchema.pick({ metaTestDigits: true, rotations: true }),
    options,
    "options",
  );
  const testDigits = new Set(opts.metaTestDigits ?? MNIST_EPISODE_DEFAULTS.metaTestDigits);
  const rotations = opts.rotations ?? MNIST_EPISODE_DEFAULTS.rotations;
  const trainDigits = Array.from({ length: 10 }, (_, d) => d).filter((d) => !testDigits.has(d));
  const side = 14;
  const width = side * side;
  const digits = (await importMnistDigits()).map((flat) => poolDigits(flat));
  const part = (wanted: number[], rotate: boolean): MnistClassImages => {
    const images: Float64Array[] = [];
    const labels: string[] = [];
    const ids: number[] = [];
    let offset = 0;
    digits.forEach((pooled, digit) => {
      if (wanted.includes(digit)) {
        pooled.forEach((image, k) => {
          let current = image;
          for (let turn = 0; turn < (rotate ? 4 : 1); turn++) {
            images.push(current);
            labels.push(turn === 0 ? String(digit) : `${digit}@${90 * turn}`);
            ids.push(offset + k);
            current = rotate90(current, side);
          }
        });
      }
      offset += pooled.length;
    });
    const x = new Float64Array(images.length * width);
    images.forEach((image, i) => x.set(image, i * width));
    return { x, labels, ids: Int32Array.from(ids) };
  };
  return {
    width,
    metaTrain: part(trainDigits, rotations),
    metaTest: part([...testDigits].sort((a, b) => a - b), false),
  };
}

/**
 * N-way K-shot classification episodes from MNIST digits (the pooled 14×14 images of
 * {@linkcode poolDigits}, grey levels in [0, 1], 196 features), with a class split: meta-test
 * episodes use only `metaTestDigits` (default 5–9), meta-train episodes only the other digits,
 * optionally with their rotations as extra classes (class labels `"3"`, `"3@90"`, `"3@180"`,
 * `"3@270"`). Every episode draws `ways` classes and assigns them the episode-local labels
 * 0 … ways−1 in a random order (labels are permuted per episode); targets are one-hot rows, for
 * a softmax output trained with `softmaxCrossEntropy` of `lib/maml`.
 *
 * @throws {TypeError} naming the field for bad options; {@linkcode DataError} when a side of the
 * split has fewer than `ways` classes.
 * @example
 * ```ts
 * import { Rng } from "../random/rng.ts";
 * import { mnistEpisodes } from "./episodes.ts";
 * const mnist = await mnistEpisodes({ ways: 5, shots: 1, queries: 5 });
 * const episode = mnist.metaTest.sample(new Rng(0));
 * // episode.support.size === 5, episode.query.size === 25, episode.support.x.length === 5 * 196
 * ```
 */
export async function mnistEpisodes(options: MnistEpisodeOptions): Promise<TabularEpisodes> {
  const opts = parseOrThrow(mnistOptionsSchema, options, "options");
  const ways = opts.ways ?? MNIST_EPISODE_DEFAULTS.ways;
  const queries = opts.queries ?? MNIST_EPISODE_DEFAULTS.queries;
  const testDigits = new Set(opts.metaTestDigits ?? MNIST_EPISODE_DEFAULTS.metaTestDigits);
  const rotations = opts.rotations ?? MNIST_EPISODE_DEFAULTS.rotations;
  const source = "mnist";
  const trainClasses = (10 - testDigits.size) * (rotations ? 4 : 1);
  if (testDigits.size < ways || trainClasses < ways) {
    throw new DataError(
      `metaTestDigits: ${testDigits.size} meta-test and ${trainClasses} meta-train classes; ` +
        `${ways}-way episodes need ${ways} of each`,
      { source },
    );
  }
  const { width, metaTrain: train, metaTest: test } = await mnistClasses({
    metaTestDigits: [...testDigits],
    rotations,
  });
  const shape = { ways, shots: opts.shots, queries, oneHot: true };
  return {
    dataset: source,
    task: "classification",
    numFeatures: width,
    featureNames: Array.from({ length: width }, (_, k) => `p${k}`),
    split: "classes",
    metaTrain: classificationPool(
      train.x,
      train.ids,
      train.labels,
      width,
      shape,
      `${source} meta-train`,
    ),
    metaTest: classificationPool(
      test.x,
      test.ids,
      test.labels,
      width,
      shape,
      `${source} meta-test`,
    ),
    targetMean: 0,
    targetStd: 1,
  };
}

function classificationPool(
  x: Float64Array,
  ids: Int32Array,
  labels: string[],
  width: number,
  shape: { ways: number; shots: number; queries: number; oneHot: boolean },
  source: string,
): TabularEpisodePool {
  const { ways, shots, queries, oneHot } = shape;
  const byClass = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  });
  const classes = [...byClass.keys()].sort();
  const eligible = classes.filter((c) => byClass.get(c)!.length >= shots + queries);
  if (eligible.length < ways) {
    throw new DataError(
      `only ${eligible.length} class(es) have ${shots + queries} rows (shots + queries); ` +
        `${ways}-way episodes need ${ways}`,
      { source },
    );
  }
  const eligibleMembers = eligible.map((c) => byClass.get(c)!);
  return episodePool({
    x,
    ids,
    width,
    oneHot,
    targetWidth: oneHot ? ways : 1,
    supportSize: ways * shots,
    querySize: ways * queries,
    targetValues: undefined,
    // `ways` classes, then for each in turn its shots and queries: the rows of a set are grouped
    // by class, and a row's target is the episode-local index of its class.
    draw(rng: Rng): DrawnEpisode {
      const chosen = rng.choose(eligible.length, ways);
      const support = drawnSet(ways * shots);
      const query = drawnSet(ways * queries);
      for (let local = 0; local < ways; local++) {
        const members = eligibleMembers[chosen[local]];
        const picked = rng.choose(members.length, shots + queries);
        for (let s = 0; s < shots; s++) {
          support.rows[local * shots + s] = members[picked[s]];
          support.targets[local * shots + s] = local;
        }
        for (let q = 0; q < queries; q++) {
          query.rows[local * queries + q] = members[picked[shots + q]];
          query.targets[local * queries + q] = local;
        }
      }
      return { support, query, classes: chosen.map((k) => eligible[k]) };
    },
  }, classes);
}

function regressionPool(
  x: Float64Array,
  ids: Int32Array,
  y: Float64Array,
  width: number,
  shots: number,
  queries: number,
  source: string,
): TabularEpisodePool {
  const n = y.length;
  if (n < shots + queries) {
    throw new DataError(`has ${n} rows; an episode needs ${shots + queries} (shots + queries)`, {
      source,
    });
  }
  return episodePool({
    x,
    ids,
    width,
    oneHot: false,
    targetWidth: 1,
    supportSize: shots,
    querySize: queries,
    targetValues: y,
    draw(rng: Rng): DrawnEpisode {
      const picked = rng.choose(n, shots + queries);
      const support = picked.slice(0, shots);
      const query = picked.slice(shots);
      return {
        support: { rows: support, targets: support.map((r) => y[r]) },
        query: { rows: query, targets: query.map((r) => y[r]) },
        classes: [],
      };
    },
  }, []);
}

/** The rows of one set of a drawn episode, before they are copied. */
interface DrawnSet {
  /** Row numbers in the pool's matrix, in the set's order. */
  readonly rows: number[];
  /** Each row's target: its episode-local class index, or its regression target. */
  readonly targets: number[];
}

/** What one episode of a pool is made of: the draw of {@linkcode EpisodeDrawer.draw}. */
interface DrawnEpisode {
  readonly support: DrawnSet;
  readonly query: DrawnSet;
  /** Original class label of each episode-local index (empty for regression). */
  readonly classes: string[];
}

/** How a pool of this module draws its episodes and turns them into arrays. */
interface EpisodeDrawer {
  /** The pool's features, row-major (`width` per row). */
  readonly x: Float64Array;
  /** Row number of each pool row in the loaded table. */
  readonly ids: Int32Array;
  /** Features per row. */
  readonly width: number;
  /** Whether targets are one-hot rows (the 1 in the column of the row's target). */
  readonly oneHot: boolean;
  /** Target values per row: `ways` when one-hot, else 1. */
  readonly targetWidth: number;
  /** Rows per support set. */
  readonly supportSize: number;
  /** Rows per query set. */
  readonly querySize: number;
  /** The regression targets that episodes' targets are taken from (undefined for classes). */
  readonly targetValues: Float64Array | undefined;
  /** Draws one episode's rows and targets: all the `rng` calls of the pool's `sample`. */
  draw(rng: Rng): DrawnEpisode;
}

function drawnSet(size: number): DrawnSet {
  return { rows: new Array<number>(size), targets: new Array<number>(size) };
}

/**
 * Copies the rows of `set` into `x` and its targets into `y` (zero-filled; one-hot targets only
 * set their 1s) from row `first` on: the rows of `source` (the pool's features or their float32
 * copy), `width` per row.
 */
function writeSet(
  drawer: EpisodeDrawer,
  source: Float64Array | Float32Array,
  set: DrawnSet,
  x: Float64Array | Float32Array,
  y: Float64Array | Float32Array,
  first: number,
): void {
  const { width, oneHot, targetWidth } = drawer;
  const { rows, targets } = set;
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i] * width;
    x.set(source.subarray(from, from + width), (first + i) * width);
    if (oneHot) y[(first + i) * targetWidth + targets[i]] = 1;
    else y[first + i] = targets[i];
  }
}

/** A drawn set as a {@linkcode TabularEpisodeSet} of new arrays. */
function materialise(drawer: EpisodeDrawer, set: DrawnSet): TabularEpisodeSet {
  const size = set.rows.length;
  const x = new Float64Array(size * drawer.width);
  const y = new Float64Array(size * drawer.targetWidth);
  writeSet(drawer, drawer.x, set, x, y, 0);
  const rows = new Int32Array(size);
  for (let i = 0; i < size; i++) rows[i] = drawer.ids[set.rows[i]];
  return { x, y, size, rows };
}

/** The pools made by this module, with their `sample` as made and their stackers. */
const stackers = new WeakMap<
  TabularEpisodePool,
  { sample: TabularEpisodePool["sample"]; stacker: EpisodeStacker }
>();

/** A pool whose `sample` draws with `drawer` and copies the rows into new arrays. */
function episodePool(drawer: EpisodeDrawer, classes: string[]): TabularEpisodePool {
  const pool: TabularEpisodePool = {
    rows: drawer.ids,
    classes,
    sample(rng: Rng): TabularEpisode {
      assertRng(rng);
      const episode = drawer.draw(rng);
      return {
        support: materialise(drawer, episode.support),
        query: materialise(drawer, episode.query),
        classes: episode.classes,
      };
    },
  };
  stackers.set(pool, { sample: pool.sample, stacker: stackerOf(drawer) });
  return pool;
}

/**
 * @internal A meta-batch of episodes as the float32 arrays that `episodeBatch` of `lib/maml`
 * stacks them into: `[tasks, size, width]` row-major.
 */
export interface StackedEpisodes {
  /** Episodes. */
  readonly tasks: number;
  /** Support features `[tasks, supportSize, width]`. */
  readonly supportX: Float32Array;
  /** Support targets `[tasks, supportSize, targetWidth]`. */
  readonly supportY: Float32Array;
  /** Query features `[tasks, querySize, width]`. */
  readonly queryX: Float32Array;
  /** Query targets `[tasks, querySize, targetWidth]`. */
  readonly queryY: Float32Array;
}

/**
 * @internal Meta-batches of a pool of this module written straight into float32 arrays (see
 * {@linkcode episodeStacker}).
 */
export interface EpisodeStacker {
  /** Features per row. */
  readonly width: number;
  /** Target values per row (`ways` for one-hot targets, else 1). */
  readonly targetWidth: number;
  /**
   * Every value other than 0, 1 and class indices that an episode's `x` or `y` can hold (the
   * pool's features, and its regression targets), to check once instead of per episode.
   */
  readonly values: readonly Float64Array[];
  /**
   * Draws `n` episodes, the same as `n` calls of the pool's `sample(rng)`, and stacks them as
   * `episodeBatch` would: the same float32 values in the same layout, without the episodes'
   * float64 arrays.
   */
  stack(rng: Rng, n: number): StackedEpisodes;
}

/**
 * @internal The stacker of `pool` when it is a pool of this module whose `sample` is still its
 * own (else `undefined`: draw episodes with `pool.sample`), the same object on every call. For
 * meta-training without materialising episodes; not re-exported.
 */
export function episodeStacker(pool: TabularEpisodePool): EpisodeStacker | undefined {
  const entry = stackers.get(pool);
  return entry !== undefined && pool.sample === entry.sample ? entry.stacker : undefined;
}

function stackerOf(drawer: EpisodeDrawer): EpisodeStacker {
  const { width, targetWidth, supportSize, querySize } = drawer;
  let x32: Float32Array | undefined;
  return {
    width,
    targetWidth,
    values: drawer.targetValues ? [drawer.x, drawer.targetValues] : [drawer.x],
    stack(rng: Rng, n: number): StackedEpisodes {
      assertRng(rng);
      // The pool rounded to float32 once: copying its rows rounds them as copying float64 rows
      // into a float32 array does.
      x32 ??= new Float32Array(drawer.x);
      const supportX = new Float32Array(n * supportSize * width);
      const supportY = new Float32Array(n * supportSize * targetWidth);
      const queryX = new Float32Array(n * querySize * width);
      const queryY = new Float32Array(n * querySize * targetWidth);
      for (let t = 0; t < n; t++) {
        const episode = drawer.draw(rng);
        writeSet(drawer, x32, episode.support, supportX, supportY, t * supportSize);
        writeSet(drawer, x32, episode.query, queryX, queryY, t * querySize);
      }
      return { tasks: n, supportX, supportY, queryX, queryY };
    },
  };
}

function selectRows(table: Table, rows: number[]): Table {
  const names = table.columnNames();
  const columns: Record<string, unknown[]> = {};
  for (const name of names) {
    const values = table.array(name) as ArrayLike<unknown>;
    columns[name] = rows.map((r) => values[r]);
  }
  return aq.table(columns, names);
}

function assertRng(rng: Rng): void {
  if (!(rng instanceof Rng)) throw new TypeError("rng: must be an Rng");
}
