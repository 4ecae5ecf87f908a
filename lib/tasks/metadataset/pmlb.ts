/**
 * The generator of the PMLB meta-dataset (`deno task datasets:pmlb`): a fixed, seeded design of
 * configurations per model evaluated with `hpoTask` on every committed PMLB dataset
 * (`datasets/pmlb/`, read by `loadPmlbDataset`; Olson et al. 2017), written in the format of
 * `format.ts`, so that `loadMetaDataset({ name: "pmlb" })`, `poolTasks` and the
 * leave-one-task-out protocol use it as they use the built-in meta-dataset.
 *
 * Protocol (defaults in {@linkcode PMLB_GENERATOR_DEFAULTS}):
 * - datasets: every dataset of the index, in index order; at most `maxRows` rows each (a seeded
 *   subsample, stratified by class for classification, uniform for regression, seed `seed`);
 *   every feature column, all numeric (PMLB integer-codes categorical features);
 * - validation: one seeded holdout split per dataset, 60 % train / 20 % validation / 20 % test,
 *   stratified by class for classification (`prepareDataset` with seed `seed`; numeric features
 *   standardised with the training mean and standard deviation);
 * - metrics (those of `hpoTask`): classification error = misclassification rate, loss =
 *   cross-entropy; regression error = RMSE of the target standardised with the training mean and
 *   standard deviation (a normalised RMSE: 1 ≈ predicting the training mean), loss = its square;
 *   the validation scores are the HPO objective, the test scores an unbiased estimate;
 * - design: per model, `designSize` scrambled Sobol points of the model's space (`metaDesign`),
 *   the same for every dataset; the random streams are spawned from `Rng(seed)` once per model of
 *   `HPO_MODELS`, in that order, whichever models are evaluated, so that with the same seed a
 *   model's design is the same as in the built-in meta-dataset;
 * - every configuration is trained once with training seed `seed`;
 * - meta-features: `extractMetaFeatures` of the (subsampled) table, `metaFeatureFolds` folds.
 *
 * Resumable like the built-in generator (`<out>/.partial.jsonl`); `reuse` keeps the records of a
 * finished build in `out` and computes only what is missing (a new model, new datasets).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "../../deps/zod.ts";
import { loadPmlbDataset, parseJson, pmlbIndex, prepareDataset } from "../../data/mod.ts";
import { useBackend } from "../../tfjs/mod.ts";
import { Rng } from "../../random/rng.ts";
import { parseOrThrow } from "../../validate.ts";
import { listOption } from "../../cli_paths.ts";
import { commonGeneratorOptions, runGeneratorCommand } from "./cli.ts";
import { HPO_MODELS, type HpoModel, hpoSpace } from "../hpo/spaces.ts";
import {
  type Configuration,
  GENERATOR_VERSION,
  type GeneratorSettings,
  metaDatasetFileSchema,
  provenanceFileSchema,
} from "./format.ts";
import { buildMetaDataset, datasetRecord, type GeneratedMetaDataset, metaDesign } from "./build.ts";

/**
 * Defaults of {@linkcode generatePmlbMetaDataset} (the committed build): seed 0, 64
 * configurations per model, at most 1,000 rows per dataset (600 train / 200 validation / 200
 * test), the wasm backend, 5-fold landmarking meta-features, every model of `HPO_MODELS` on
 * every dataset of the index.
 *
 * @example
 * ```ts
 * import { PMLB_GENERATOR_DEFAULTS } from "./pmlb.ts";
 * PMLB_GENERATOR_DEFAULTS.maxRows; // 1000
 * ```
 */
export const PMLB_GENERATOR_DEFAULTS: {
  readonly seed: number;
  readonly designSize: number;
  readonly maxRows: number;
  readonly backend: "cpu" | "wasm";
  readonly metaFeatureFolds: number;
} = Object.freeze({
  seed: 0,
  designSize: 64,
  maxRows: 1000,
  backend: "wasm",
  metaFeatureFolds: 5,
});

/** Options of {@linkcode generatePmlbMetaDataset} (defaults in {@linkcode PMLB_GENERATOR_DEFAULTS}). */
export interface GeneratePmlbOptions {
  /** Seed of the designs, the subsamples, the splits, the folds and every training run. */
  seed?: number;
  /** Configurations per model. */
  designSize?: number;
  /** Row cap of every dataset. */
  maxRows?: number;
  /** tfjs backend. */
  backend?: "cpu" | "wasm";
  /** Folds of the landmarking meta-features. */
  metaFeatureFolds?: number;
  /** PMLB datasets to use, in this order (default: every dataset of the index, in its order). */
  datasets?: readonly string[];
  /** Models to evaluate, in this order (default: `HPO_MODELS`). */
  models?: readonly HpoModel[];
  /**
   * Evaluate only these positions of each model's design (default: all), in ascending order: a
   * spot check of a committed build, whose rows at these positions it reproduces. The file then
   * holds only these configurations.
   */
  designIndices?: readonly number[];
  /** Directory of the PMLB files (default: the committed `datasets/pmlb/`). */
  directory?: string | URL;
  /** Directory to write `metadataset.json` and `provenance.json` to (and the resume file). */
  out?: string;
  /**
   * Reuse the finished build in `out` (its `metadataset.json` and `provenance.json`, made with
   * the same settings): its datasets and the tasks of models whose design is unchanged are kept,
   * the others computed, e.g. to add a model to a committed build.
   */
  reuse?: boolean;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** The least value of each integer option, of the generator and of the command. */
const LEAST = Object.freeze({ designSize: 1, maxRows: 20, metaFeatureFolds: 2 });

const optionsSchema = z.strictObject({
  seed: z.number().int("must be an integer").optional(),
  designSize: z.number().int("must be an integer")
    .min(LEAST.designSize, `must be ≥ ${LEAST.designSize}`).optional(),
  maxRows: z.number().int("must be an integer").min(LEAST.maxRows, `must be ≥ ${LEAST.maxRows}`)
    .optional(),
  backend: z.enum(["cpu", "wasm"]).optional(),
  metaFeatureFolds: z.number().int("must be an integer")
    .min(LEAST.metaFeatureFolds, `must be ≥ ${LEAST.metaFeatureFolds}`).optional(),
  datasets: z.array(z.string().min(1, "must not be empty")).min(1, "must name a dataset")
    .optional(),
  models: z.array(z.enum(HPO_MODELS as [HpoModel, ...HpoModel[]]))
    .min(1, "must name a model").optional(),
  designIndices: z.array(z.number().int("must be an integer").nonnegative("must be ≥ 0"))
    .min(1, "must name a position").optional(),
  directory: z.union([z.string().min(1), z.instanceof(URL)], {
    error: "must be a directory path or a file: URL",
  }).optional(),
  out: z.string().min(1).optional(),
  reuse: z.boolean().optional(),
  log: z.function().optional(),
});

/**
 * Generates the PMLB meta-dataset (see the module documentation); writes it when `out` is given.
 *
 * @throws {TypeError} naming the field for bad options (an unknown dataset, a duplicate, a design
 * position beyond `designSize`); `DataError` naming the file for a malformed PMLB file.
 * @example
 * ```ts ignore
 * import { generatePmlbMetaDataset } from "./pmlb.ts";
 * const { data } = await generatePmlbMetaDataset({
 *   datasets: ["hayes_roth", "210_cloud"], designIndices: [0, 1, 2, 3],
 * });
 * data.tasks.length; // 2 datasets × the models
 * ```
 */
export async function generatePmlbMetaDataset(
  options: GeneratePmlbOptions = {},
): Promise<GeneratedMetaDataset> {
  const opts = parseOrThrow(optionsSchema, options ?? {}, "generatePmlbMetaDataset.options");
  const settings: GeneratorSettings = {
    version: GENERATOR_VERSION,
    source: "pmlb",
    seed: opts.seed ?? PMLB_GENERATOR_DEFAULTS.seed,
    designSize: opts.designSize ?? PMLB_GENERATOR_DEFAULTS.designSize,
    maxRows: opts.maxRows ?? PMLB_GENERATOR_DEFAULTS.maxRows,
    variants: 0,
    variantRowFraction: 1,
    variantFeatureFraction: 1,
    backend: opts.backend ?? PMLB_GENERATOR_DEFAULTS.backend,
    metaFeatureFolds: opts.metaFeatureFolds ?? PMLB_GENERATOR_DEFAULTS.metaFeatureFolds,
  };
  const index = await pmlbIndex({ directory: opts.directory });
  const names = opts.datasets ?? index.map((d) => d.name);
  names.forEach((name, i) => {
    if (!index.some((d) => d.name === name)) {
      throw new TypeError(
        `generatePmlbMetaDataset.options.datasets[${i}]: unknown PMLB dataset ${
          JSON.stringify(name)
        }; known: ${index.map((d) => d.name).join(", ")}`,
      );
    }
    if (names.indexOf(name) !== i) {
      throw new TypeError(`generatePmlbMetaDataset.options.datasets[${i}]: duplicate "${name}"`);
    }
  });
  const models = opts.models ?? HPO_MODELS;
  models.forEach((model, i) => {
    if (models.indexOf(model) !== i) {
      throw new TypeError(`generatePmlbMetaDataset.options.models[${i}]: duplicate "${model}"`);
    }
  });
  const positions = opts.designIndices;
  positions?.forEach((position, i) => {
    if (position >= settings.designSize) {
      throw new TypeError(
        `generatePmlbMetaDataset.options.designIndices[${i}]: must be < designSize ` +
          `(${settings.designSize}), got ${position}`,
      );
    }
    if (i > 0 && position <= positions[i - 1]) {
      throw new TypeError(
        `generatePmlbMetaDataset.options.designIndices[${i}]: must be ascending and distinct`,
      );
    }
  });

  if (opts.reuse && !opts.out) {
    throw new TypeError(
      "generatePmlbMetaDataset.options.reuse: needs options.out (the build to reuse)",
    );
  }
  const reuse = opts.reuse ? readBuild(opts.out!) : undefined;
  const started = performance.now();
  await useBackend(settings.backend);
  const designs = pmlbDesigns(settings.seed, settings.designSize)
    .filter(({ model }) => models.includes(model))
    .sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model))
    .map(({ model, configurations }) => ({
      model,
      configurations: positions ? positions.map((p) => configurations[p]) : configurations,
    }));
  return await buildMetaDataset({
    settings,
    // Not the models: a model's design does not depend on the others, so a build can be extended
    // with another model, reusing the finished tasks.
    resumeKey: JSON.stringify({ settings, names, positions }),
    designs,
    plans: names.map((name) => ({ id: name })),
    prepare: async ({ id }) => {
      const { table, info, features } = await loadPmlbDataset(id, {
        directory: opts.directory,
        seed: settings.seed,
        maxRows: settings.maxRows,
      });
      const data = prepareDataset(table, {
        target: "target",
        task: info.task,
        seed: settings.seed,
        source: id,
      });
      const record = datasetRecord({
        id,
        dataset: id,
        table,
        target: "target",
        features,
        data,
        seed: settings.seed,
        metaFeatureFolds: settings.metaFeatureFolds,
      });
      return { record, data };
    },
    out: opts.out,
    log: opts.log as ((message: string) => void) | undefined,
    started,
    reuse,
  });
}

/** The finished build in `dir`, checked by the file schemas. */
function readBuild(dir: string): GeneratedMetaDataset {
  const read = (name: string) => {
    const path = join(dir, name);
    try {
      return parseJson(readFileSync(path, "utf8"));
    } catch (error) {
      throw new TypeError(
        `generatePmlbMetaDataset.options.reuse: cannot read ${path}: ${(error as Error).message}`,
      );
    }
  };
  return {
    data: parseOrThrow(metaDatasetFileSchema, read("metadataset.json"), "metadataset.json"),
    provenance: parseOrThrow(provenanceFileSchema, read("provenance.json"), "provenance.json"),
  };
}

/**
 * Every model's design of the PMLB meta-dataset: `designSize` points per model of `HPO_MODELS`,
 * from random streams spawned off `Rng(seed)` in that order (see the module documentation).
 *
 * @example
 * ```ts
 * import { pmlbDesigns } from "./pmlb.ts";
 * const [linear] = pmlbDesigns(0, 4);
 * linear.model; // "linear"
 * linear.configurations.length; // 4
 * ```
 */
export function pmlbDesigns(
  seed: number,
  designSize: number,
): { model: HpoModel; configurations: Configuration[] }[] {
  const root = new Rng(seed);
  return HPO_MODELS.map((model) => ({
    model,
    configurations: metaDesign(hpoSpace(model), designSize, root.spawn()),
  }));
}

const USAGE = [
  "usage: deno task datasets:pmlb [options]",
  "  --out DIR        folder of metadataset.json and provenance.json " +
  "(default datasets/pmlb-metadataset)",
  "  --seed N         an integer, the seed of everything " +
  `(default ${PMLB_GENERATOR_DEFAULTS.seed}; a negative one: --seed=-1)`,
  `  --design N       configurations per model, an integer ≥ ${LEAST.designSize} ` +
  `(default ${PMLB_GENERATOR_DEFAULTS.designSize})`,
  `  --max-rows N     row cap of every dataset, an integer ≥ ${LEAST.maxRows} ` +
  `(default ${PMLB_GENERATOR_DEFAULTS.maxRows})`,
  "  --datasets A,B   PMLB datasets of datasets/pmlb/, comma-separated (default all)",
  `  --models A,B     models, comma-separated: ${HPO_MODELS.join(", ")} (default all)`,
  `  --backend NAME   cpu or wasm (default ${PMLB_GENERATOR_DEFAULTS.backend})`,
  "  --reuse          keep the records of the finished build in --out, compute what is missing",
  "  --help           this text",
].join("\n");

/** The command line of `deno task datasets:pmlb`, checked (see {@linkcode parsePmlbArgs}). */
export interface PmlbArgs {
  /** `--help`: print the usage and generate nothing. */
  help: boolean;
  /** The options of {@linkcode generatePmlbMetaDataset}, `out` always set. */
  options: GeneratePmlbOptions & { out: string };
}

/**
 * Parses and checks the command line of `deno task datasets:pmlb` before anything is generated:
 * an unknown option, an integer option that is not a decimal integer in its range (`--seed ""`,
 * `--design abc`, `--max-rows 1e3`), a backend other than `cpu` or `wasm`, a dataset that is not
 * in the index of the committed PMLB files, a model outside `HPO_MODELS`, a repeated name and an
 * empty `--out` throw an error naming the option and what it takes (the command prints it after
 * `datasets:pmlb: ` and exits with status 2).
 *
 * @example
 * ```ts
 * import { parsePmlbArgs } from "./pmlb.ts";
 * (await parsePmlbArgs(["--models", "knn,linear"])).options.models; // ["knn", "linear"]
 * try {
 *   await parsePmlbArgs(["--seed", ""]);
 * } catch (error) {
 *   console.log((error as Error).message); // --seed: expected an integer, got ""
 * }
 * ```
 */
export async function parsePmlbArgs(args: readonly string[]): Promise<PmlbArgs> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      out: { type: "string", default: "datasets/pmlb-metadataset" },
      seed: { type: "string" },
      design: { type: "string" },
      "max-rows": { type: "string" },
      datasets: { type: "string" },
      models: { type: "string" },
      backend: { type: "string" },
      reuse: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const options: GeneratePmlbOptions & { out: string } = commonGeneratorOptions(values, LEAST);
  if (values.datasets !== undefined) {
    const known = (await pmlbIndex()).map((d) => d.name);
    options.datasets = listOption("datasets", values.datasets, known);
  }
  if (values.models !== undefined) {
    options.models = listOption("models", values.models, HPO_MODELS) as HpoModel[];
  }
  if (values.reuse) options.reuse = true;
  return { help: values.help === true, options };
}

/**
 * Command line: `deno task datasets:pmlb [--out dir] [--seed n] [--design n] [--max-rows n]
 * [--datasets a,b] [--models linear,mlp] [--backend wasm|cpu] [--reuse]` (`--help` lists them).
 * A bad argument is a one-line error (exit status 2), as is a failure of the generation (exit
 * status 1), e.g. `--reuse` without a finished build in `--out`.
 */
function main(args: readonly string[]): Promise<number> {
  return runGeneratorCommand("datasets:pmlb", USAGE, args, parsePmlbArgs, generatePmlbMetaDataset);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
