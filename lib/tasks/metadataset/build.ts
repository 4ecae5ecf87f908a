/**
 * The shared machinery of the meta-dataset generators (built-in datasets in `generate.ts`, PMLB
 * datasets in `pmlb.ts`): the seeded design of a model's space, a dataset's record with its
 * meta-features, and {@linkcode buildMetaDataset}, which evaluates every design configuration of
 * every model on every dataset, resumably, and writes the data and provenance files.
 *
 * @module
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { tf } from "../../deps/tf.ts";
import type { PreparedDataset, Table } from "../../data/mod.ts";
import { extractMetaFeatures } from "../../metafeatures/mod.ts";
import type { Rng } from "../../random/rng.ts";
import type { Space } from "../../space/mod.ts";
import { type HpoModel, hpoSpace } from "../hpo/spaces.ts";
import { hpoTask } from "../hpo/task.ts";
import {
  type Configuration,
  type DatasetRecord,
  GENERATOR_VERSION,
  type GeneratorSettings,
  type MetaDatasetFile,
  type ModelDesign,
  type ProvenanceFile,
  roundForFile,
  type TaskRecord,
} from "./format.ts";

/** What a generator returns: the two files' contents. */
export interface GeneratedMetaDataset {
  /** The deterministic data. */
  data: MetaDatasetFile;
  /** Date, runtime, durations. */
  provenance: ProvenanceFile;
}

/**
 * A model's design: `size` scrambled Sobol points of `space` drawn with `rng`
 * (`space.sample(size, rng, "sobol")`), floats rounded to 4 significant digits so that the file
 * stays short (integers and categorical levels are kept as drawn), each checked by
 * `space.validate`.
 *
 * @example
 * ```ts
 * import { Rng } from "../../random/rng.ts";
 * import { hpoSpace } from "../hpo/spaces.ts";
 * import { metaDesign } from "./build.ts";
 * const design = metaDesign(hpoSpace("linear"), 8, new Rng(0));
 * design[0].lr; // 4 significant digits, in [1e-4, 1]
 * ```
 */
export function metaDesign(space: Space, size: number, rng: Rng): Configuration[] {
  return space.sample(size, rng, "sobol").map((config) => {
    const rounded = Object.fromEntries(
      Object.entries(config as Configuration).map(([name, value]) => [
        name,
        typeof value !== "number" || Number.isInteger(value) ? value : Number(value.toPrecision(4)),
      ]),
    );
    return space.validate(rounded) as Configuration;
  });
}

/** What {@linkcode datasetRecord} needs to describe a dataset. */
export interface DatasetDescription {
  /** Variant id. */
  id: string;
  /** The source dataset's name. */
  dataset: string;
  /** The table the models see (features and target), for the meta-features. */
  table: Table;
  /** Target column of `table`. */
  target: string;
  /** Feature columns kept (before encoding). */
  features: string[];
  /** The prepared dataset (for the encoded width and the classes). */
  data: PreparedDataset;
  /** Seed of the subsample, the split and the landmarking folds. */
  seed: number;
  /** Folds of the landmarking meta-features. */
  metaFeatureFolds: number;
}

/**
 * The file record of a dataset: its size, its classes and every meta-feature of
 * `extractMetaFeatures` on the whole table (rounded for the file; `null` where unavailable).
 *
 * @example
 * ```ts
 * import { loadBuiltinDataset, prepareDataset } from "../../data/mod.ts";
 * import { datasetRecord } from "./build.ts";
 * const { table, info } = await loadBuiltinDataset("iris");
 * const data = prepareDataset(table, { target: info.target, task: info.task, seed: 0 });
 * const record = datasetRecord({
 *   id: "iris", dataset: "iris", table, target: info.target, features: [...info.features],
 *   data, seed: 0, metaFeatureFolds: 5,
 * });
 * record.metaFeatures.nr_inst; // 150
 * ```
 */
export function datasetRecord(description: DatasetDescription): DatasetRecord {
  const { id, dataset, table, target, features, data, seed, metaFeatureFolds } = description;
  const metaFeatures = extractMetaFeatures(table, {
    target,
    task: data.task,
    seed,
    folds: metaFeatureFolds,
  });
  return {
    id,
    dataset,
    taskType: data.task,
    rows: table.numRows(),
    features,
    encodedFeatures: data.numFeatures,
    classes: data.classLabels.length,
    subsampleSeed: seed,
    metaFeatures: Object.fromEntries(
      metaFeatures.names.map((name, i) => [name, roundForFile(metaFeatures.values[i])]),
    ),
  };
}

/** A dataset to evaluate: its id and whatever the generator needs to prepare it. */
export interface DatasetPlan {
  /** Dataset variant id (unique in the file). */
  id: string;
}

/** Inputs of {@linkcode buildMetaDataset}. */
export interface MetaDatasetBuild<Plan extends DatasetPlan> {
  /** Settings written to the file; `settings.seed` is also every run's training seed. */
  settings: GeneratorSettings;
  /** Identifies the settings in the resume file: records of another key are ignored. */
  resumeKey: string;
  /** The models, in file order, with their designs. */
  designs: readonly { model: HpoModel; configurations: Configuration[] }[];
  /** The datasets, in file order. */
  plans: readonly Plan[];
  /** Loads and prepares a dataset, and describes it. */
  prepare(plan: Plan): Promise<{ record: DatasetRecord; data: PreparedDataset }>;
  /** Directory of the output files and of the resume file; nothing is written without it. */
  out?: string;
  /** Progress messages. */
  log?: (message: string) => void;
  /** `performance.now()` when the build started (default: when this function is called). */
  started?: number;
  /**
   * A finished build made with the same settings to take records from: its datasets and the
   * tasks of models whose design is unchanged are kept, not recomputed, and its duration counts
   * as an earlier session (to extend a build with another model, or with more datasets).
   */
  reuse?: GeneratedMetaDataset;
}

/**
 * Evaluates every configuration of every model's design on every dataset with `hpoTask`
 * (training seed `settings.seed`), and assembles the data file (scores rounded by
 * `roundForFile`, `null` with the recorded reason for a failed run) and the provenance file
 * (date, runtime versions, total duration, wall-clock seconds of every run). With `out`, writes
 * `metadataset.json` and `provenance.json` there.
 *
 * Resumable: every finished dataset and task is appended to `<out>/.partial.jsonl` with
 * `resumeKey`, the session's start date and the seconds elapsed since; a later call with the same
 * key skips them (a line cut short by an interrupted run is ignored) and its `durationSeconds`
 * adds the earlier sessions' wall time (each up to its last record); the file is removed once the
 * data file is written.
 *
 * @example
 * ```ts ignore
 * import { buildMetaDataset } from "./build.ts";
 * // See generateMetaDataset (generate.ts) and generatePmlbMetaDataset (pmlb.ts).
 * ```
 */
export async function buildMetaDataset<Plan extends DatasetPlan>(
  build: MetaDatasetBuild<Plan>,
): Promise<GeneratedMetaDataset> {
  const { settings, resumeKey: key, designs, plans, out } = build;
  const started = build.started ?? performance.now();
  const log = build.log ?? (() => {});
  const partialPath = out ? join(out, ".partial.jsonl") : undefined;
  const done = new Map<string, { record: DatasetRecord | TaskRecord; seconds?: number[] }>();
  // Wall time of earlier sessions of a resumed build: per session, until its last record.
  const earlier = new Map<string, number>();
  if (partialPath && existsSync(partialPath)) {
    for (const line of readFileSync(partialPath, "utf8").split("\n")) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line);
        if (entry.key !== key) continue;
        done.set(entry.record.id, entry);
        if (typeof entry.session === "string" && Number.isFinite(entry.elapsed)) {
          earlier.set(entry.session, Math.max(earlier.get(entry.session) ?? 0, entry.elapsed));
        }
      } catch {
        // A line cut short by an interrupted run: that task is simply redone.
      }
    }
    log(`resuming: ${done.size} dataset and task records already done`);
  }
  if (build.reuse) {
    const { data: old, provenance: oldProvenance } = build.reuse;
    if (JSON.stringify(old.generator) !== JSON.stringify(settings)) {
      throw new TypeError(
        `reuse: the build to reuse has other settings (${JSON.stringify(old.generator)})`,
      );
    }
    const kept = new Set<string>();
    for (const { model, configurations } of designs) {
      const design = old.models[model]?.configurations;
      if (design && JSON.stringify(design) === JSON.stringify(configurations)) kept.add(model);
    }
    const planned = new Set(plans.map((p) => p.id));
    let reused = 0;
    for (const record of old.datasets) {
      if (planned.has(record.id) && !done.has(record.id)) done.set(record.id, { record });
    }
    for (const record of old.tasks) {
      if (!planned.has(record.dataset) || !kept.has(record.model) || done.has(record.id)) continue;
      done.set(record.id, { record, seconds: oldProvenance.seconds[record.id] });
      reused++;
    }
    earlier.set(oldProvenance.date, oldProvenance.durationSeconds);
    log(`reusing ${reused} tasks of the build of ${oldProvenance.date}`);
  }
  if (out) mkdirSync(out, { recursive: true });
  const session = new Date().toISOString();
  const elapsed = () => Number(((performance.now() - started) / 1000).toFixed(1));
  const remember = (record: DatasetRecord | TaskRecord, seconds?: number[]) => {
    done.set(record.id, { record, seconds });
    if (partialPath) {
      const entry = { key, record, seconds, session, elapsed: elapsed() };
      appendFileSync(partialPath, JSON.stringify(entry) + "\n");
    }
  };

  const datasets: DatasetRecord[] = [];
  const tasks: TaskRecord[] = [];
  const seconds: Record<string, number[]> = {};
  const totalTasks = plans.length * designs.length;
  for (const plan of plans) {
    const taskIds = designs.map(({ model }) => `${plan.id}/${model}`);
    if (done.has(plan.id) && taskIds.every((id) => done.has(id))) {
      datasets.push(done.get(plan.id)!.record as DatasetRecord);
      for (const id of taskIds) {
        tasks.push(done.get(id)!.record as TaskRecord);
        seconds[id] = done.get(id)!.seconds ?? [];
      }
      continue;
    }
    const { record, data } = await build.prepare(plan);
    if (!done.has(plan.id)) remember(record);
    datasets.push(record);
    for (const { model, configurations } of designs) {
      const id = `${plan.id}/${model}`;
      if (done.has(id)) {
        tasks.push(done.get(id)!.record as TaskRecord);
        seconds[id] = done.get(id)!.seconds ?? [];
        continue;
      }
      const t0 = performance.now();
      const task = hpoTask(data, { model, seed: settings.seed, id });
      const row: TaskRecord = {
        id,
        dataset: plan.id,
        model,
        validationError: [],
        testError: [],
        validationLoss: [],
        testLoss: [],
        steps: [],
        failure: [],
      };
      const taskSeconds: number[] = [];
      for (const config of configurations) {
        const run = await task.evaluate(config);
        row.validationError.push(roundForFile(run.validation.error));
        row.testError.push(roundForFile(run.test.error));
        row.validationLoss.push(roundForFile(run.validation.loss));
        row.testLoss.push(roundForFile(run.test.loss));
        row.steps.push(run.steps);
        row.failure.push(run.status === "failed" ? run.reason ?? "failed" : null);
        taskSeconds.push(Number(run.seconds.toFixed(4)));
      }
      remember(row, taskSeconds);
      tasks.push(row);
      seconds[id] = taskSeconds;
      const failed = row.failure.filter((f) => f !== null).length;
      log(
        `${tasks.length}/${totalTasks} ${id}: ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
          `${failed} failed, ${tf.memory().numTensors} tensors live`,
      );
    }
  }

  const models: Partial<Record<HpoModel, ModelDesign>> = {};
  for (const { model, configurations } of designs) {
    models[model] = { space: hpoSpace(model).toJSON(), configurations };
  }
  const data: MetaDatasetFile = {
    format: "metahpo-metadataset",
    generator: settings,
    models,
    datasets,
    tasks,
  };
  const provenance: ProvenanceFile = {
    generatorVersion: GENERATOR_VERSION,
    seed: settings.seed,
    date: new Date().toISOString(),
    runtime: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      tfjs: tf.version.tfjs,
      cpus: String(navigator.hardwareConcurrency),
      // The machine's load at the end of the build (other processes slow the measured costs).
      loadAverage: Deno.loadavg().map((v) => v.toFixed(2)).join(" "),
    },
    durationSeconds: Number(
      ([...earlier.values()].reduce((a, b) => a + b, 0) + elapsed()).toFixed(1),
    ),
    seconds,
  };
  if (out) {
    writeFileSync(join(out, "metadataset.json"), formatMetaDataset(data));
    writeFileSync(join(out, "provenance.json"), JSON.stringify(provenance, null, 2) + "\n");
    if (partialPath) rmSync(partialPath, { force: true });
  }
  return { data, provenance };
}

/**
 * The data file's text: `JSON.stringify` with two-space indentation and a final newline, which is
 * also what `deno fmt` writes, so formatting the repository leaves the file unchanged.
 * Deterministic: same data, same bytes.
 *
 * @example
 * ```ts ignore
 * import { formatMetaDataset, generateMetaDataset } from "./generate.ts";
 * const { data } = await generateMetaDataset({ datasets: ["iris"], designSize: 2, variants: 0 });
 * Deno.writeTextFileSync("/tmp/md.json", formatMetaDataset(data));
 * ```
 */
export function formatMetaDataset(data: MetaDatasetFile): string {
  return JSON.stringify(data, null, 2) + "\n";
}
