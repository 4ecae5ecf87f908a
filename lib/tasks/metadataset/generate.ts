/**
 * The generator of the tabular meta-dataset (`deno task datasets`): a fixed, seeded design of
 * configurations per model (scrambled Sobol, the same design for every task of a model, floats
 * rounded to 4 significant digits) evaluated with {@linkcode hpoTask} on every built-in dataset and
 * on seeded subsampled variants of some of them.
 *
 * Dataset variants (see {@linkcode GENERATOR_DEFAULTS} for the sizes):
 * - one per built-in dataset: at most `maxRows` rows (the stratified / uniform subsample of
 *   `loadBuiltinDataset` with seed `seed`), every documented feature column;
 * - `variants` more, on datasets taken in a seeded shuffled order (cycling if needed): at most
 *   `round(variantRowFraction · min(rows, maxRows))` rows (at least 40) drawn with the variant's
 *   own seed, and a seeded subset of `round(variantFeatureFraction · features)` feature columns
 *   (at least 1), kept in their original order. Ids are `<dataset>~<k>`.
 *
 * Each variant is split 60/20/20 with its subsample seed (`prepareDataset`), its meta-features are
 * computed on the whole variant table (`extractMetaFeatures`, `metaFeatureFolds` folds), and every
 * design configuration of both models is trained once with training seed `seed`.
 *
 * Resumable: every finished dataset and task is appended to `<out>/.partial.jsonl`; a new run with
 * the same settings skips them; the file is removed once the data file is written.
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
import { parseArgs } from "node:util";
import { z } from "../../deps/zod.ts";
import { tf } from "../../deps/tf.ts";
import { builtinDatasets, loadBuiltinDataset, prepareDataset } from "../../data/mod.ts";
import { extractMetaFeatures } from "../../metafeatures/mod.ts";
import { useBackend } from "../../tfjs/mod.ts";
import { Rng } from "../../random/rng.ts";
import type { Space } from "../../space/mod.ts";
import { parseOrThrow } from "../../validate.ts";
import { hpoSpace } from "../hpo/spaces.ts";
import { hpoTask } from "../hpo/task.ts";
import {
  type DatasetRecord,
  GENERATOR_VERSION,
  type GeneratorSettings,
  type MetaDatasetFile,
  type ProvenanceFile,
  roundForFile,
  type TaskRecord,
} from "./format.ts";

/** The models of the meta-dataset (its file format stores these two). */
const META_MODELS: readonly ("linear" | "mlp")[] = Object.freeze(["linear", "mlp"]);

/**
 * Defaults of {@linkcode generateMetaDataset} (the committed build): seed 0, 64 configurations
 * per model, at most 400 rows per dataset (240 train / 80 validation / 80 test), 5 subsampled
 * variants keeping half the rows and half the feature columns, the wasm backend, 5-fold
 * landmarking meta-features, every built-in dataset. That is 20 dataset variants × 2 models = 40
 * tasks, 2,560 training runs.
 *
 * @example
 * ```ts
 * import { GENERATOR_DEFAULTS } from "./generate.ts";
 * GENERATOR_DEFAULTS.designSize; // 64
 * ```
 */
export const GENERATOR_DEFAULTS: Readonly<Omit<GeneratorSettings, "version">> = Object.freeze({
  seed: 0,
  designSize: 64,
  maxRows: 400,
  variants: 5,
  variantRowFraction: 0.5,
  variantFeatureFraction: 0.5,
  backend: "wasm",
  metaFeatureFolds: 5,
});

/** Options of {@linkcode generateMetaDataset} (defaults in {@linkcode GENERATOR_DEFAULTS}). */
export interface GenerateOptions {
  /** Seed of the designs, the variants and every training run. */
  seed?: number;
  /** Configurations per model. */
  designSize?: number;
  /** Row cap of every dataset. */
  maxRows?: number;
  /** Number of subsampled variants. */
  variants?: number;
  /** Fraction of rows a variant keeps. */
  variantRowFraction?: number;
  /** Fraction of feature columns a variant keeps. */
  variantFeatureFraction?: number;
  /** tfjs backend. */
  backend?: "cpu" | "wasm";
  /** Folds of the landmarking meta-features. */
  metaFeatureFolds?: number;
  /** Built-in datasets to use (default: all, in registry order). */
  datasets?: readonly string[];
  /** Directory to write `metadataset.json` and `provenance.json` to (and the resume file). */
  out?: string;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** What {@linkcode generateMetaDataset} returns: the two files' contents. */
export interface GeneratedMetaDataset {
  /** The deterministic data. */
  data: MetaDatasetFile;
  /** Date, runtime, durations. */
  provenance: ProvenanceFile;
}

const optionsSchema = z.strictObject({
  seed: z.number().int("must be an integer").optional(),
  designSize: z.number().int("must be an integer").positive("must be ≥ 1").optional(),
  maxRows: z.number().int("must be an integer").min(20, "must be ≥ 20").optional(),
  variants: z.number().int("must be an integer").nonnegative("must be ≥ 0").optional(),
  variantRowFraction: z.number().gt(0, "must be in (0, 1]").lte(1, "must be in (0, 1]").optional(),
  variantFeatureFraction: z.number().gt(0, "must be in (0, 1]").lte(1, "must be in (0, 1]")
    .optional(),
  backend: z.enum(["cpu", "wasm"]).optional(),
  metaFeatureFolds: z.number().int("must be an integer").min(2, "must be ≥ 2").optional(),
  datasets: z.array(
    z.string().refine((name) => builtinDatasets.some((d) => d.name === name), {
      message: `must be a built-in dataset (${builtinDatasets.map((d) => d.name).join(", ")})`,
    }),
  ).min(1, "must name at least one dataset").optional(),
  out: z.string().min(1).optional(),
  log: z.function().optional(),
});

/** A dataset variant to build. */
interface VariantPlan {
  id: string;
  dataset: string;
  maxRows: number;
  featureFraction: number;
  seed: number;
}

/**
 * Generates the meta-dataset (see the module documentation); writes it when `out` is given.
 *
 * @throws {TypeError} naming the field for bad options.
 * @example
 * ```ts ignore
 * import { generateMetaDataset } from "./generate.ts";
 * const { data } = await generateMetaDataset({ datasets: ["iris"], designSize: 4, variants: 1 });
 * data.tasks.length; // 4: (iris, iris~1) × (linear, mlp)
 * ```
 */
export async function generateMetaDataset(
  options: GenerateOptions = {},
): Promise<GeneratedMetaDataset> {
  const opts = parseOrThrow(optionsSchema, options, "generateMetaDataset.options");
  const log = options.log ?? (() => {});
  const settings: GeneratorSettings = {
    version: GENERATOR_VERSION,
    seed: opts.seed ?? GENERATOR_DEFAULTS.seed,
    designSize: opts.designSize ?? GENERATOR_DEFAULTS.designSize,
    maxRows: opts.maxRows ?? GENERATOR_DEFAULTS.maxRows,
    variants: opts.variants ?? GENERATOR_DEFAULTS.variants,
    variantRowFraction: opts.variantRowFraction ?? GENERATOR_DEFAULTS.variantRowFraction,
    variantFeatureFraction: opts.variantFeatureFraction ??
      GENERATOR_DEFAULTS.variantFeatureFraction,
    backend: opts.backend ?? GENERATOR_DEFAULTS.backend,
    metaFeatureFolds: opts.metaFeatureFolds ?? GENERATOR_DEFAULTS.metaFeatureFolds,
  };
  const names = opts.datasets ?? builtinDatasets.map((d) => d.name);
  const started = performance.now();
  await useBackend(settings.backend);

  const root = new Rng(settings.seed);
  const designs = Object.fromEntries(
    META_MODELS.map((
      model,
    ) => [model, designFor(hpoSpace(model), settings.designSize, root.spawn())]),
  ) as Record<"linear" | "mlp", Record<string, number>[]>;
  const plans = planVariants(names, settings, root.spawn());

  const partialPath = opts.out ? join(opts.out, ".partial.jsonl") : undefined;
  const key = JSON.stringify({ settings, names });
  const done = new Map<string, { record: DatasetRecord | TaskRecord; seconds?: number[] }>();
  if (partialPath && existsSync(partialPath)) {
    for (const line of readFileSync(partialPath, "utf8").split("\n")) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line);
        if (entry.key === key) done.set(entry.record.id, entry);
      } catch {
        // A line cut short by an interrupted run: that task is simply redone.
      }
    }
    log(`resuming: ${done.size} dataset and task records already done`);
  }
  if (opts.out) mkdirSync(opts.out, { recursive: true });
  const remember = (record: DatasetRecord | TaskRecord, seconds?: number[]) => {
    done.set(record.id, { record, seconds });
    if (partialPath) appendFileSync(partialPath, JSON.stringify({ key, record, seconds }) + "\n");
  };

  const datasets: DatasetRecord[] = [];
  const tasks: TaskRecord[] = [];
  const seconds: Record<string, number[]> = {};
  const totalTasks = plans.length * META_MODELS.length;
  for (const plan of plans) {
    const taskIds = META_MODELS.map((model) => `${plan.id}/${model}`);
    if (done.has(plan.id) && taskIds.every((id) => done.has(id))) {
      datasets.push(done.get(plan.id)!.record as DatasetRecord);
      for (const id of taskIds) {
        tasks.push(done.get(id)!.record as TaskRecord);
        seconds[id] = done.get(id)!.seconds ?? [];
      }
      continue;
    }
    const { record, data } = await buildVariant(plan, settings);
    if (!done.has(plan.id)) remember(record);
    datasets.push(record);
    for (const model of META_MODELS) {
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
      for (const config of designs[model]) {
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

  const data: MetaDatasetFile = {
    format: "metahpo-metadataset",
    generator: settings,
    models: {
      linear: { space: hpoSpace("linear").toJSON(), configurations: designs.linear },
      mlp: { space: hpoSpace("mlp").toJSON(), configurations: designs.mlp },
    },
    datasets,
    tasks,
  };
  const provenance: ProvenanceFile = {
    generatorVersion: GENERATOR_VERSION,
    seed: settings.seed,
    date: new Date().toISOString(),
    runtime: { deno: Deno.version.deno, v8: Deno.version.v8, tfjs: tf.version.tfjs },
    durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    seconds,
  };
  if (opts.out) {
    writeFileSync(join(opts.out, "metadataset.json"), formatMetaDataset(data));
    writeFileSync(join(opts.out, "provenance.json"), JSON.stringify(provenance, null, 2) + "\n");
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

/** The model's design: scrambled Sobol points, floats rounded to 4 significant digits. */
function designFor(space: Space, size: number, rng: Rng): Record<string, number>[] {
  return space.sample(size, rng, "sobol").map((config) => {
    const rounded = Object.fromEntries(
      Object.entries(config as Record<string, number>).map(([name, value]) => [
        name,
        Number.isInteger(value) ? value : Number(value.toPrecision(4)),
      ]),
    );
    return space.validate(rounded) as Record<string, number>;
  });
}

function planVariants(
  names: readonly string[],
  settings: GeneratorSettings,
  rng: Rng,
): VariantPlan[] {
  const plans: VariantPlan[] = names.map((dataset) => ({
    id: dataset,
    dataset,
    maxRows: settings.maxRows,
    featureFraction: 1,
    seed: settings.seed,
  }));
  const order = rng.shuffle([...names]);
  for (let k = 0; k < settings.variants; k++) {
    const dataset = order[k % order.length];
    const info = builtinDatasets.find((d) => d.name === dataset)!;
    plans.push({
      id: `${dataset}~${1 + Math.floor(k / order.length)}`,
      dataset,
      maxRows: Math.max(
        40,
        Math.round(settings.variantRowFraction * Math.min(info.rows, settings.maxRows)),
      ),
      featureFraction: settings.variantFeatureFraction,
      seed: rng.integer(2 ** 31),
    });
  }
  return plans;
}

async function buildVariant(plan: VariantPlan, settings: GeneratorSettings) {
  const { table: full, info } = await loadBuiltinDataset(plan.dataset, {
    seed: plan.seed,
    maxRows: plan.maxRows,
  });
  let features = [...info.features];
  if (plan.featureFraction < 1) {
    const count = Math.max(1, Math.round(plan.featureFraction * features.length));
    const kept = new Set(new Rng(plan.seed).shuffle([...features]).slice(0, count));
    features = features.filter((f) => kept.has(f));
  }
  const table = full.select([...features, info.target]);
  const data = prepareDataset(table, {
    target: info.target,
    task: info.task,
    categorical: info.categorical.filter((c) => features.includes(c)),
    seed: plan.seed,
    source: plan.id,
  });
  const metaFeatures = extractMetaFeatures(table, {
    target: info.target,
    task: info.task,
    seed: plan.seed,
    folds: settings.metaFeatureFolds,
  });
  const record: DatasetRecord = {
    id: plan.id,
    dataset: plan.dataset,
    taskType: info.task,
    rows: table.numRows(),
    features,
    encodedFeatures: data.numFeatures,
    classes: data.classLabels.length,
    subsampleSeed: plan.seed,
    metaFeatures: Object.fromEntries(
      metaFeatures.names.map((name, i) => [name, roundForFile(metaFeatures.values[i])]),
    ),
  };
  return { record, data };
}

/** Command line: `deno task datasets [--out dir] [--seed n] [--design n] [--variants n] …`. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string", default: "datasets/metadataset" },
      seed: { type: "string" },
      design: { type: "string" },
      "max-rows": { type: "string" },
      variants: { type: "string" },
      backend: { type: "string" },
      datasets: { type: "string" },
    },
  });
  const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const { provenance, data } = await generateMetaDataset({
    out: values.out,
    seed: int(values.seed),
    designSize: int(values.design),
    maxRows: int(values["max-rows"]),
    variants: int(values.variants),
    backend: values.backend as "cpu" | "wasm" | undefined,
    datasets: values.datasets?.split(","),
    log: (message) =>
      console.error(`[datasets ${new Date().toISOString().slice(11, 19)}] ${message}`),
  });
  console.log(JSON.stringify({
    out: values.out,
    tasks: data.tasks.length,
    datasets: data.datasets.length,
    durationSeconds: provenance.durationSeconds,
  }));
}

if (import.meta.main) await main();
