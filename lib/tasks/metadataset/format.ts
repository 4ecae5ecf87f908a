/**
 * The file format of the generated meta-dataset, as zod schemas (the loader validates with them).
 *
 * Two files, so that the data part is byte-identical on regeneration:
 * - `metadataset.json` (deterministic): generator settings, one shared design of configurations
 *   per model (one or more of the `hpoTask` models), one record per dataset variant (its
 *   meta-features) and one record per task (a dataset variant × a model) with columns aligned
 *   with the model's design: validation and test error and loss, training steps, and the failure
 *   reason (`null` when the run completed);
 * - `provenance.json` (varies between runs): date, runtime versions, total duration and the
 *   measured wall-clock seconds of every evaluation (the cost).
 *
 * Numbers are rounded to {@linkcode SIGNIFICANT_DIGITS} significant digits; a NaN (failed run, or
 * an unavailable meta-feature) is written as `null`.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { ownRecordSchema } from "../../validate.ts";
import { HPO_MODELS, type HpoModel } from "../hpo/spaces.ts";

/**
 * Version of the generator and of the file format; bump it when results would change.
 *
 * @example
 * ```ts
 * import { GENERATOR_VERSION } from "./format.ts";
 * console.log(GENERATOR_VERSION);
 * ```
 */
export const GENERATOR_VERSION = "1.0.0";

/**
 * Significant digits kept for scores and meta-features in the file.
 *
 * @example
 * ```ts
 * import { SIGNIFICANT_DIGITS } from "./format.ts";
 * console.log(SIGNIFICANT_DIGITS); // 6
 * ```
 */
export const SIGNIFICANT_DIGITS = 6;

/** Generator settings recorded in the data file. */
export interface GeneratorSettings {
  /** {@linkcode GENERATOR_VERSION} of the generator that wrote the file. */
  version: string;
  /**
   * Where the datasets come from: the built-in datasets (`lib/data/builtin.ts`; the field is
   * absent in files of that source) or the committed PMLB datasets (`lib/data/pmlb.ts`).
   */
  source?: "builtin" | "pmlb";
  /** Seed of the designs, the variants and every training run. */
  seed: number;
  /** Configurations per model. */
  designSize: number;
  /** Row cap of every dataset. */
  maxRows: number;
  /** Number of subsampled variants (0 for PMLB). */
  variants: number;
  /** Fraction of rows a variant keeps. */
  variantRowFraction: number;
  /** Fraction of feature columns a variant keeps. */
  variantFeatureFraction: number;
  /** tfjs backend used. */
  backend: "cpu" | "wasm";
  /** Folds of the landmarking meta-features. */
  metaFeatureFolds: number;
}

/** A dataset variant: a dataset, possibly with a seeded subset of rows and features. */
export interface DatasetRecord {
  /** Variant id: the dataset name, or `<name>~<k>` for a subsampled variant. */
  id: string;
  /** The built-in or PMLB dataset. */
  dataset: string;
  /** Learning task. */
  taskType: "classification" | "regression";
  /** Rows of the variant. */
  rows: number;
  /** Feature columns kept (before encoding). */
  features: string[];
  /** Features after one-hot encoding and missing indicators. */
  encodedFeatures: number;
  /** Number of classes (0 for regression). */
  classes: number;
  /** Seed of the row subsample, of the feature subset and of the split. */
  subsampleSeed: number;
  /** Meta-features of the variant table (`null` when unavailable). */
  metaFeatures: Record<string, number | null>;
}

/** One task: a model on a dataset variant, with one entry per configuration of the design. */
export interface TaskRecord {
  /** `<dataset variant>/<model>`. */
  id: string;
  /** Dataset variant id. */
  dataset: string;
  /** The model. */
  model: HpoModel;
  /** Validation error (`null` when the run failed). */
  validationError: (number | null)[];
  /** Test error. */
  testError: (number | null)[];
  /** Validation loss. */
  validationLoss: (number | null)[];
  /** Test loss. */
  testLoss: (number | null)[];
  /** Training steps taken (gradient steps; trees for a forest): a deterministic cost. */
  steps: number[];
  /** Why the run failed; `null` when it completed. */
  failure: (string | null)[];
}

/** A value of a configuration: a number, or a categorical level (a string or a boolean). */
export type ConfigValue = number | string | boolean;

/** A configuration of a model's design, by parameter name. */
export type Configuration = Record<string, ConfigValue>;

/** A model's search space (the JSON form of `Space.toJSON`) and its design of configurations. */
export interface ModelDesign {
  /** The search space. */
  space: unknown;
  /** The configurations every task of the model evaluates, in order. */
  configurations: Configuration[];
}

/** The deterministic data file. */
export interface MetaDatasetFile {
  /** Always `"metahpo-metadataset"`. */
  format: "metahpo-metadataset";
  /** How it was generated. */
  generator: GeneratorSettings;
  /** Per model of the file (at least one): its space (JSON form) and its design. */
  models: Partial<Record<HpoModel, ModelDesign>>;
  /** Dataset variants. */
  datasets: DatasetRecord[];
  /** Tasks. */
  tasks: TaskRecord[];
}

/** The provenance file (varies between runs). */
export interface ProvenanceFile {
  /** Generator version. */
  generatorVersion: string;
  /** Seed. */
  seed: number;
  /** ISO date of the build. */
  date: string;
  /** Runtime versions (deno, v8, tfjs) and the machine (cpus, load average at the end). */
  runtime: Record<string, string>;
  /** Wall-clock duration of the build (summed over the sessions of a resumed build). */
  durationSeconds: number;
  /** Per task id: wall-clock seconds of every run, aligned with the design. */
  seconds: Record<string, number[]>;
}

const nullableNumber = z.number().nullable();

/** Schema of {@linkcode GeneratorSettings}. */
export const generatorSettingsSchema: z.ZodType<GeneratorSettings> = z.strictObject({
  version: z.string(),
  source: z.enum(["builtin", "pmlb"]).optional(),
  seed: z.number().int(),
  designSize: z.number().int().positive(),
  maxRows: z.number().int().min(20),
  variants: z.number().int().nonnegative(),
  variantRowFraction: z.number().gt(0).lte(1),
  variantFeatureFraction: z.number().gt(0).lte(1),
  backend: z.enum(["cpu", "wasm"]),
  metaFeatureFolds: z.number().int().min(2),
});

const datasetRecordSchema = z.strictObject({
  id: z.string().min(1),
  dataset: z.string().min(1),
  taskType: z.enum(["classification", "regression"]),
  rows: z.number().int().positive(),
  features: z.array(z.string()).min(1),
  encodedFeatures: z.number().int().positive(),
  classes: z.number().int().nonnegative(),
  subsampleSeed: z.number().int(),
  metaFeatures: ownRecordSchema(nullableNumber),
});

const taskRecordSchema = z.strictObject({
  id: z.string().min(1),
  dataset: z.string().min(1),
  model: z.enum(HPO_MODELS as [HpoModel, ...HpoModel[]]),
  validationError: z.array(nullableNumber),
  testError: z.array(nullableNumber),
  validationLoss: z.array(nullableNumber),
  testLoss: z.array(nullableNumber),
  steps: z.array(z.number().int().nonnegative()),
  failure: z.array(z.string().nullable()),
});

const modelSchema = z.strictObject({
  space: z.unknown(),
  configurations: z.array(z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])))
    .min(1),
});

/** Schema of {@linkcode MetaDatasetFile} (the loader's first check). */
export const metaDatasetFileSchema: z.ZodType<MetaDatasetFile> = z.strictObject({
  format: z.literal("metahpo-metadataset"),
  generator: generatorSettingsSchema,
  models: z.strictObject(
    Object.fromEntries(HPO_MODELS.map((model) => [model, modelSchema.optional()])),
  ).refine((models) => Object.keys(models).length > 0, "must hold at least one model"),
  datasets: z.array(datasetRecordSchema).min(1),
  tasks: z.array(taskRecordSchema).min(1),
}).superRefine((file, ctx) => {
  if (!Array.isArray(file?.tasks) || typeof file.models !== "object" || !file.models) return;
  file.tasks.forEach((task, t) => {
    if (typeof task?.model === "string" && !Object.hasOwn(file.models, task.model)) {
      ctx.addIssue({
        code: "custom",
        path: ["tasks", t, "model"],
        message: `model "${task.model}" has no design in models`,
      });
    }
  });
}) as z.ZodType<MetaDatasetFile>;

/** Schema of {@linkcode ProvenanceFile}. */
export const provenanceFileSchema: z.ZodType<ProvenanceFile> = z.strictObject({
  generatorVersion: z.string(),
  seed: z.number().int(),
  date: z.string(),
  runtime: z.record(z.string(), z.string()),
  durationSeconds: z.number().nonnegative(),
  seconds: ownRecordSchema(z.array(z.number().nonnegative())),
});

/**
 * Rounds to {@linkcode SIGNIFICANT_DIGITS}; NaN and ±Infinity become `null`.
 *
 * @example
 * ```ts
 * import { roundForFile } from "./format.ts";
 * roundForFile(1 / 3); // 0.333333
 * roundForFile(NaN); // null
 * ```
 */
export function roundForFile(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(SIGNIFICANT_DIGITS)) : null;
}
