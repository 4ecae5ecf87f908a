/**
 * Reading the generated meta-dataset back as tabular (pool-mode) HPO problems, HPO-B style: each
 * task has a fixed pool of configurations (its model's design) with their recorded scores, so a
 * benchmark evaluates an optimiser in seconds by lookup. Also per-task min–max normalised regret;
 * average ranks are `averageRanks` of `lib/stats/mod.ts`.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { type Space, spaceFromJSON } from "../../space/mod.ts";
import { parseOrThrow } from "../../validate.ts";
import { parseJson } from "../../data/json.ts";
import { rangeFraction } from "../../stats/scale.ts";
import { locationUrl } from "../../data/location.ts";
import { HPO_MODELS, type HpoModel, hpoSpace } from "../hpo/spaces.ts";
import {
  type Configuration,
  type GeneratorSettings,
  metaDatasetFileSchema,
  type ProvenanceFile,
  provenanceFileSchema,
} from "./format.ts";

/** The scores recorded per configuration. */
export type MetaMetric = "validationError" | "testError" | "validationLoss" | "testLoss";

/** One tabular task: a model on a dataset variant, with its pool of evaluated configurations. */
export interface MetaTask {
  /** `<dataset variant>/<model>`. */
  readonly id: string;
  /** Dataset variant id (`iris`, `iris~1`, …). */
  readonly dataset: string;
  /** The dataset the variant comes from (a built-in or a PMLB dataset, see `generator.source`). */
  readonly source: string;
  /** The model. */
  readonly model: HpoModel;
  /** Classification or regression. */
  readonly taskType: "classification" | "regression";
  /** The pool: the model's design, the same for every task of the model. */
  readonly configurations: readonly Readonly<Configuration>[];
  /** Scores aligned with `configurations`; NaN where the run failed. */
  readonly validationError: Float64Array;
  /** Test error (NaN where failed). */
  readonly testError: Float64Array;
  /** Validation loss (NaN where failed). */
  readonly validationLoss: Float64Array;
  /** Test loss (NaN where failed). */
  readonly testLoss: Float64Array;
  /** Wall-clock seconds of each run (NaN when the provenance file is absent). */
  readonly cost: Float64Array;
  /** Training steps of each run (a deterministic cost). */
  readonly steps: Int32Array;
  /** Why a run failed, `null` where it completed. */
  readonly failure: readonly (string | null)[];
  /** Meta-features of the dataset variant (NaN when unavailable). */
  readonly metaFeatures: Readonly<Record<string, number>>;
}

/** The loaded meta-dataset. */
export interface MetaDataset {
  /** Settings the file was generated with. */
  readonly generator: GeneratorSettings;
  /** The models the file has designs of, in file order. */
  readonly models: readonly HpoModel[];
  /**
   * Search space of each model: the file's for the models in `models`, the library's
   * (`hpoSpace`) for a model the file has no design of.
   */
  readonly spaces: Readonly<Record<HpoModel, Space>>;
  /** Every task, in file order. */
  readonly tasks: readonly MetaTask[];
  /** Date, runtime and duration of the build, when the provenance file was read. */
  readonly provenance?: Omit<ProvenanceFile, "seconds">;
}

/** The committed meta-datasets {@linkcode loadMetaDataset} can load by name. */
export type CommittedMetaDataset = "builtin" | "pmlb";

/** Options of {@linkcode loadMetaDataset}. */
export interface LoadMetaDatasetOptions {
  /**
   * A committed meta-dataset: `"builtin"` (default; `datasets/metadataset/`, the built-in
   * datasets and their variants) or `"pmlb"` (`datasets/pmlb-metadataset/`, 53 real PMLB
   * datasets). Ignored when `path` is given.
   */
  name?: CommittedMetaDataset;
  /**
   * The data file (path or URL); default: the `metadataset.json` of `name`. A directory (or a URL
   * ending in `/`) stands for the `metadataset.json` inside it.
   */
  path?: string | URL;
  /** The provenance file; default: `provenance.json` next to the data file (skipped if absent). */
  provenance?: string | URL | false;
}

const COMMITTED_PATHS: Readonly<Record<CommittedMetaDataset, URL>> = Object.freeze({
  builtin: new URL("../../../datasets/metadataset/metadataset.json", import.meta.url),
  pmlb: new URL("../../../datasets/pmlb-metadataset/metadataset.json", import.meta.url),
});

const loadOptionsSchema = z.strictObject({
  name: z.enum(["builtin", "pmlb"]).optional(),
  path: z.union([z.string().min(1), z.instanceof(URL)], {
    error: "must be a non-empty path or a URL",
  }).optional(),
  provenance: z.union([z.string().min(1), z.instanceof(URL), z.literal(false)], {
    error: "must be a non-empty path, a URL or false",
  }).optional(),
});

/** The data file a directory (or a URL ending in `/`) resolves to. */
const DATA_FILE = "metadataset.json";

/**
 * The text at `location`, `undefined` when there is no such file (or the server answers with an
 * error status); any other failure (an unreachable URL, a directory, no permission) throws an
 * `Error` naming `location`, with the original error as its `cause`.
 */
async function readText(location: string | URL): Promise<string | undefined> {
  const url = locationUrl(location);
  try {
    if (url.protocol === "file:") return await Deno.readTextFile(url);
    const response = await fetch(url);
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return await response.text();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    const how = url.protocol === "file:" ? "reading" : "fetching";
    throw new Error(
      `loadMetaDataset: ${how} ${String(location)} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * The data file of `path`: a local directory (or a URL ending in `/`) stands for the
 * `metadataset.json` inside it; anything else is the file itself.
 *
 * @throws {Error} naming `path` when it is a directory without a `metadataset.json`.
 */
async function resolveDataFile(path: string | URL): Promise<string | URL> {
  const url = locationUrl(path);
  if (url.protocol !== "file:") return url.pathname.endsWith("/") ? new URL(DATA_FILE, url) : path;
  let isDirectory: boolean;
  try {
    isDirectory = (await Deno.stat(url)).isDirectory;
  } catch {
    return path; // absent or unreadable: reading it reports why
  }
  if (!isDirectory) return path;
  const file = new URL(DATA_FILE, url.href.endsWith("/") ? url : new URL(`${url.href}/`));
  try {
    if ((await Deno.stat(file)).isFile) return file;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new Error(`loadMetaDataset: reading ${file.href} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  throw new Error(`loadMetaDataset: ${String(path)} is a directory without a ${DATA_FILE}`);
}

/**
 * Loads and checks a meta-dataset: every task has one score of each kind per configuration of
 * its model, every NaN score has a recorded failure, every task names a known dataset variant and
 * a model with a design in the file.
 *
 * @throws {Error} naming the file when it is absent, unreadable (the original error, such as
 * fetch's, as `cause`) or not JSON, or a directory without a `metadataset.json`; `TypeError` naming the field
 * (e.g. `metadataset.json.tasks[3].testError: …`, `loadMetaDataset.options.name: …`) when it or
 * an option is malformed, including a repeated dataset variant id, and a task id that is not its
 * `<dataset>/<model>` or repeats an earlier task's (the same dataset and model twice).
 * @example
 * ```ts
 * import { loadMetaDataset } from "./load.ts";
 * const md = await loadMetaDataset(); // the built-in datasets' meta-dataset
 * const task = md.tasks[0];
 * task.configurations.length === task.validationError.length; // true
 * const pmlb = await loadMetaDataset({ name: "pmlb" }); // 53 real PMLB datasets
 * pmlb.models; // the models evaluated on every dataset
 * ```
 */
export async function loadMetaDataset(options: LoadMetaDatasetOptions = {}): Promise<MetaDataset> {
  const opts = parseOrThrow(loadOptionsSchema, options ?? {}, "loadMetaDataset.options");
  const path = await resolveDataFile(opts.path ?? COMMITTED_PATHS[opts.name ?? "builtin"]);
  const text = await readText(path);
  if (text === undefined) throw new Error(`loadMetaDataset: ${String(path)} not found`);
  let json: unknown;
  try {
    json = parseJson(text);
  } catch (error) {
    throw new Error(`loadMetaDataset: ${String(path)} is not JSON: ${(error as Error).message}`);
  }
  const name = String(path).split("/").pop()!;
  const file = parseOrThrow(metaDatasetFileSchema, json, name);
  const models = HPO_MODELS.filter((model) => file.models[model] !== undefined);
  const spaces = Object.fromEntries(HPO_MODELS.map((model) => [model, hpoSpace(model)])) as Record<
    HpoModel,
    Space
  >;
  for (const model of models) {
    try {
      spaces[model] = spaceFromJSON(file.models[model]!.space);
    } catch (error) {
      throw new TypeError(`${name}.models.${model}.space: ${(error as Error).message}`);
    }
    file.models[model]!.configurations.forEach((config, i) => {
      try {
        spaces[model].validate(config);
      } catch (error) {
        throw new TypeError(
          `${name}.models.${model}.configurations[${i}]: ${(error as Error).message}`,
        );
      }
    });
  }

  let provenance: ProvenanceFile | undefined;
  if (opts.provenance !== false) {
    const location = opts.provenance ?? new URL("provenance.json", locationUrl(path));
    const provenanceText = await readText(location);
    if (provenanceText !== undefined) {
      provenance = parseOrThrow(
        provenanceFileSchema,
        parseJson(provenanceText),
        "provenance.json",
      );
    }
  }

  const datasets = new Map<string, (typeof file.datasets)[number]>();
  file.datasets.forEach((d, i) => {
    if (datasets.has(d.id)) {
      throw new TypeError(`${name}.datasets[${i}].id: duplicate dataset variant "${d.id}"`);
    }
    datasets.set(d.id, d);
  });
  const taskIds = new Map<string, number>();
  const tasks = file.tasks.map((task, t): MetaTask => {
    const where = `${name}.tasks[${t}]`;
    const dataset = datasets.get(task.dataset);
    if (!dataset) {
      throw new TypeError(`${where}.dataset: unknown dataset variant "${task.dataset}"`);
    }
    // The id is the (dataset, model) pair, so a duplicated id and a duplicated pair are one check.
    const expectedId = `${task.dataset}/${task.model}`;
    if (task.id !== expectedId) {
      throw new TypeError(`${where}.id: "${task.id}" must be "${expectedId}" (<dataset>/<model>)`);
    }
    const earlier = taskIds.get(task.id);
    if (earlier !== undefined) {
      throw new TypeError(
        `${where}.id: duplicate task "${task.id}" (dataset and model as tasks[${earlier}])`,
      );
    }
    taskIds.set(task.id, t);
    const configurations = file.models[task.model]!.configurations;
    const size = configurations.length;
    for (
      const field of [
        "validationError",
        "testError",
        "validationLoss",
        "testLoss",
        "steps",
        "failure",
      ] as const
    ) {
      if (task[field].length !== size) {
        throw new TypeError(
          `${where}.${field}: has ${
            task[field].length
          } entries, the ${task.model} design has ${size}`,
        );
      }
    }
    for (let i = 0; i < size; i++) {
      const failed = task.failure[i] !== null;
      for (const field of ["validationError", "testError", "validationLoss", "testLoss"] as const) {
        if ((task[field][i] === null) !== failed) {
          throw new TypeError(
            `${where}.${field}[${i}]: ${
              failed ? "must be null for a failed run" : "is null but no failure is recorded"
            }`,
          );
        }
      }
    }
    const seconds = provenance && Object.hasOwn(provenance.seconds, task.id)
      ? provenance.seconds[task.id]
      : undefined;
    const toArray = (values: readonly (number | null)[]) =>
      Float64Array.from(values, (v) => v ?? NaN);
    return Object.freeze({
      id: task.id,
      dataset: task.dataset,
      source: dataset.dataset,
      model: task.model,
      taskType: dataset.taskType,
      configurations,
      validationError: toArray(task.validationError),
      testError: toArray(task.testError),
      validationLoss: toArray(task.validationLoss),
      testLoss: toArray(task.testLoss),
      cost: seconds && seconds.length === size
        ? Float64Array.from(seconds)
        : new Float64Array(size).fill(NaN),
      steps: Int32Array.from(task.steps),
      failure: task.failure,
      metaFeatures: Object.fromEntries(
        Object.entries(dataset.metaFeatures).map(([k, v]) => [k, v ?? NaN]),
      ),
    });
  });
  const { seconds: _seconds, ...rest } = provenance ?? { seconds: undefined };
  return Object.freeze({
    generator: file.generator,
    models: Object.freeze(models),
    spaces: Object.freeze(spaces),
    tasks,
    provenance: provenance ? rest as Omit<ProvenanceFile, "seconds"> : undefined,
  });
}

/** Options of {@linkcode poolTasks}. */
export interface PoolTaskOptions {
  /** Which model's tasks (they share one space). */
  model: HpoModel;
  /** The value to minimise (default `"validationError"`). */
  metric?: MetaMetric;
  /**
   * Failed runs: `"worst"` (default) gives them the task's worst finite value (SMAC's crash cost),
   * so the pool stays the same for every task; `"drop"` leaves them out of the pool. A task whose
   * runs all failed has no finite value to give, so it has no rows under either option (see
   * {@linkcode poolValues}); `tabularProblems` makes it a problem without candidates that
   * `leaveOneTaskOut` skips with a reason.
   */
  failed?: "worst" | "drop";
}

/** A pool-mode task in the shape `tabularProblems` of `lib/protocols/leave_one_task_out.ts` takes. */
export interface PoolTask {
  /** Task id. */
  id: string;
  /** The pool with its values, all finite; empty when every run of the task failed. */
  rows: { params: Configuration; value: number }[];
  /** Meta-features finite on every task of the model (the same names for every task). */
  metaFeatures: Record<string, number>;
}

const poolOptionsSchema = z.strictObject({
  model: z.enum(HPO_MODELS as [HpoModel, ...HpoModel[]]),
  metric: z.enum(["validationError", "testError", "validationLoss", "testLoss"]).optional(),
  failed: z.enum(["worst", "drop"]).optional(),
});

/**
 * The tasks of one model as pools of (configuration, value) rows, for leave-one-task-out
 * benchmarks in pool mode (`tabularProblems(md.spaces[model], poolTasks(md, { model }))`).
 * Meta-features that are unavailable (NaN) on any task of the model are left out, so that every
 * task has the same finite meta-feature vector. Failed runs are handled as `options.failed` says;
 * a task whose runs all failed has no rows (it stays in the list, and `leaveOneTaskOut` skips it
 * with a reason and leaves it out of the other tasks' past tasks).
 *
 * @throws {TypeError} naming `metaDataset` when it is not a meta-dataset, and the field for bad
 * options, also for a model the meta-dataset has no tasks of.
 * @example
 * ```ts
 * import { loadMetaDataset, poolTasks } from "./load.ts";
 * const md = await loadMetaDataset();
 * const tasks = poolTasks(md, { model: "mlp", metric: "validationError" });
 * tasks[0].rows.length; // the design size (64 in the committed file)
 * ```
 */
export function poolTasks(metaDataset: MetaDataset, options: PoolTaskOptions): PoolTask[] {
  if (!Array.isArray(metaDataset?.tasks)) {
    throw new TypeError(
      "poolTasks.metaDataset: must be a loaded meta-dataset (from loadMetaDataset), got " +
        (metaDataset === null ? "null" : typeof metaDataset),
    );
  }
  const opts = parseOrThrow(poolOptionsSchema, options, "poolTasks.options");
  const metric = opts.metric ?? "validationError";
  const tasks = metaDataset.tasks.filter((task) => task.model === opts.model);
  if (tasks.length === 0) {
    const present = [...new Set(metaDataset.tasks.map((task) => task.model))];
    throw new TypeError(
      `poolTasks.options.model: the meta-dataset has no "${opts.model}" tasks (it has ${
        present.join(", ")
      })`,
    );
  }
  const shared = Object.keys(tasks[0]?.metaFeatures ?? {}).filter((name) =>
    tasks.every((task) =>
      Object.hasOwn(task.metaFeatures, name) && Number.isFinite(task.metaFeatures[name])
    )
  );
  return tasks.map((task) => {
    const rows = poolValues(task[metric], opts.failed).map(({ index, value }) => ({
      params: { ...task.configurations[index] },
      value,
    }));
    const metaFeatures = Object.fromEntries(shared.map((name) => [name, task.metaFeatures[name]]));
    return { id: task.id, rows, metaFeatures };
  });
}

/**
 * Min–max normalised regret of `value` on a task: `(value − min) / (max − min)` over the task's
 * finite values of `metric` (0 when they are all equal), clamped to [0, 1] — HPO-B's per-task
 * normalisation, so that regrets of different tasks can be averaged. Average ranks of methods
 * over tasks: `averageRanks` in `lib/stats/mod.ts`.
 *
 * @throws {TypeError} naming the argument for a `task` that is not a {@linkcode MetaTask} (such
 * as a pool task), a value that is not a number or an unknown metric; `RangeError` when the task
 * has no finite value of `metric`.
 * @example
 * ```ts
 * import { loadMetaDataset, normalizedRegret } from "./load.ts";
 * const md = await loadMetaDataset();
 * const task = md.tasks[0];
 * normalizedRegret(task, task.validationError[0]); // in [0, 1]
 * ```
 */
export function normalizedRegret(
  task: MetaTask,
  value: number,
  metric: MetaMetric = "validationError",
): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`normalizedRegret.value: must be a number, got ${String(value)}`);
  }
  const metrics = ["validationError", "testError", "validationLoss", "testLoss"] as const;
  if (
    typeof task !== "object" || task === null ||
    !metrics.some((m) => task[m] instanceof Float64Array)
  ) {
    throw new TypeError(
      `normalizedRegret.task: must be a task of a loaded meta-dataset (a MetaTask), got ${
        task === null ? "null" : typeof task
      }`,
    );
  }
  const values = task[metric];
  if (!(values instanceof Float64Array)) {
    throw new TypeError(
      `normalizedRegret.metric: must be one of validationError, testError, validationLoss, testLoss`,
    );
  }
  const { min, max } = finiteRange(values);
  if (!Number.isFinite(min)) {
    throw new RangeError(`normalizedRegret: task ${task.id} has no finite ${metric}`);
  }
  if (max === min) return 0;
  return Math.min(1, Math.max(0, rangeFraction(value, min, max)));
}

/**
 * The entries of `values` (one per configuration) that a pool keeps, in order, as
 * `{ index, value }`: a finite value as it is; a failed run's value (non-finite: NaN, ±Infinity)
 * as `failed` says, the meaning of {@linkcode PoolTaskOptions}`.failed`: `"worst"` (default) gives
 * it the largest finite value of `values` (SMAC's crash cost), `"drop"` leaves it out. With no
 * finite value at all there is nothing to give, and nothing is kept under either option. The one
 * home of this rule: `poolTasks` and `tabularProblems` of `lib/protocols/leave_one_task_out.ts`
 * both use it.
 *
 * @example
 * ```ts
 * import { poolValues } from "./load.ts";
 * poolValues([0.2, NaN, 0.5]); // [{ index: 0, value: 0.2 }, { index: 1, value: 0.5 }, { index: 2, value: 0.5 }]
 * poolValues([0.2, Infinity, 0.5], "drop"); // [{ index: 0, value: 0.2 }, { index: 2, value: 0.5 }]
 * poolValues([NaN, -Infinity]); // []
 * ```
 */
export function poolValues(
  values: ArrayLike<number>,
  failed: "worst" | "drop" = "worst",
): { index: number; value: number }[] {
  const worst = finiteRange(values).max;
  const kept: { index: number; value: number }[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (Number.isFinite(value)) kept.push({ index, value });
    else if (failed === "worst" && Number.isFinite(worst)) kept.push({ index, value: worst });
  }
  return kept;
}

function finiteRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}
