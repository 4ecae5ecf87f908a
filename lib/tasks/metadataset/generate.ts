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
import { parseArgs } from "node:util";
import { z } from "../../deps/zod.ts";
import { builtinDatasets, loadBuiltinDataset, prepareDataset } from "../../data/mod.ts";
import { useBackend } from "../../tfjs/mod.ts";
import { Rng } from "../../random/rng.ts";
import { parseOrThrow } from "../../validate.ts";
import { integerOption, listOption } from "../../cli_paths.ts";
import { commonGeneratorOptions, runGeneratorCommand } from "./cli.ts";
import { type HpoModel, hpoSpace } from "../hpo/spaces.ts";
import { GENERATOR_VERSION, type GeneratorSettings } from "./format.ts";
import { buildMetaDataset, datasetRecord, type GeneratedMetaDataset, metaDesign } from "./build.ts";

export { formatMetaDataset, type GeneratedMetaDataset } from "./build.ts";

/** The models of the built-in meta-dataset, in file order. */
const BUILTIN_MODELS: readonly HpoModel[] = ["linear", "mlp"];

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

/** The least value of each integer option (of {@linkcode generateMetaDataset} and the command). */
const LEAST = Object.freeze({ designSize: 1, maxRows: 20, variants: 0, metaFeatureFolds: 2 });

const optionsSchema = z.strictObject({
  seed: z.number().int("must be an integer").optional(),
  designSize: z.number().int("must be an integer")
    .min(LEAST.designSize, `must be ≥ ${LEAST.designSize}`).optional(),
  maxRows: z.number().int("must be an integer").min(LEAST.maxRows, `must be ≥ ${LEAST.maxRows}`)
    .optional(),
  variants: z.number().int("must be an integer")
    .min(LEAST.variants, `must be ≥ ${LEAST.variants}`).optional(),
  variantRowFraction: z.number().gt(0, "must be in (0, 1]").lte(1, "must be in (0, 1]").optional(),
  variantFeatureFraction: z.number().gt(0, "must be in (0, 1]").lte(1, "must be in (0, 1]")
    .optional(),
  backend: z.enum(["cpu", "wasm"]).optional(),
  metaFeatureFolds: z.number().int("must be an integer")
    .min(LEAST.metaFeatureFolds, `must be ≥ ${LEAST.metaFeatureFolds}`).optional(),
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
  const designs = BUILTIN_MODELS.map((model) => ({
    model,
    configurations: metaDesign(hpoSpace(model), settings.designSize, root.spawn()),
  }));
  const plans = planVariants(names, settings, root.spawn());
  return await buildMetaDataset({
    settings,
    resumeKey: JSON.stringify({ settings, names }),
    designs,
    plans,
    prepare: (plan) => buildVariant(plan, settings),
    out: opts.out,
    log,
    started,
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
  const record = datasetRecord({
    id: plan.id,
    dataset: plan.dataset,
    table,
    target: info.target,
    features,
    data,
    seed: plan.seed,
    metaFeatureFolds: settings.metaFeatureFolds,
  });
  return { record, data };
}

const USAGE = [
  "usage: deno task datasets [options]",
  "  --out DIR        folder of metadataset.json and provenance.json " +
  "(default datasets/metadataset)",
  `  --seed N         an integer, the seed of everything (default ${GENERATOR_DEFAULTS.seed}; ` +
  "a negative one: --seed=-1)",
  `  --design N       configurations per model, an integer ≥ ${LEAST.designSize} ` +
  `(default ${GENERATOR_DEFAULTS.designSize})`,
  `  --max-rows N     row cap of every dataset, an integer ≥ ${LEAST.maxRows} ` +
  `(default ${GENERATOR_DEFAULTS.maxRows})`,
  `  --variants N     subsampled variants, an integer ≥ ${LEAST.variants} ` +
  `(default ${GENERATOR_DEFAULTS.variants})`,
  `  --backend NAME   cpu or wasm (default ${GENERATOR_DEFAULTS.backend})`,
  "  --datasets A,B   built-in datasets, comma-separated (default all: " +
  `${builtinDatasets.map((d) => d.name).join(", ")})`,
  "  --help           this text",
].join("\n");

/** The command line of `deno task datasets`, checked (see {@linkcode parseDatasetsArgs}). */
export interface DatasetsArgs {
  /** `--help`: print the usage and generate nothing. */
  help: boolean;
  /** The options of {@linkcode generateMetaDataset}, `out` always set. */
  options: GenerateOptions & { out: string };
}

/**
 * Parses and checks the command line of `deno task datasets` before anything is generated: an
 * unknown option, an integer option that is not a decimal integer in its range (`--seed ""`,
 * `--design abc`, `--design 1.5`, `--variants 1e3`), a backend other than `cpu` or `wasm`, an
 * unknown or repeated dataset and an empty `--out` throw an error naming the option and what it
 * takes (the command prints it after `datasets: ` and exits with status 2).
 *
 * @example
 * ```ts
 * import { parseDatasetsArgs } from "./generate.ts";
 * parseDatasetsArgs(["--design", "8", "--datasets", "iris"]).options.designSize; // 8
 * try {
 *   parseDatasetsArgs(["--design", "abc"]);
 * } catch (error) {
 *   console.log((error as Error).message); // --design: expected an integer ≥ 1, got "abc"
 * }
 * ```
 */
export function parseDatasetsArgs(args: readonly string[]): DatasetsArgs {
  const { values } = parseArgs({
    args: [...args],
    options: {
      out: { type: "string", default: "datasets/metadataset" },
      seed: { type: "string" },
      design: { type: "string" },
      "max-rows": { type: "string" },
      variants: { type: "string" },
      backend: { type: "string" },
      datasets: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const options: GenerateOptions & { out: string } = commonGeneratorOptions(values, LEAST);
  if (values.variants !== undefined) {
    options.variants = integerOption("variants", values.variants, LEAST.variants);
  }
  if (values.datasets !== undefined) {
    options.datasets = listOption(
      "datasets",
      values.datasets,
      builtinDatasets.map((d) => d.name),
    );
  }
  return { help: values.help === true, options };
}

/**
 * Command line: `deno task datasets [--out dir] [--seed n] [--design n] [--max-rows n]
 * [--variants n] [--backend wasm|cpu] [--datasets a,b]` (`--help` lists them). A bad argument is
 * a one-line error (exit status 2), as is a failure of the generation (exit status 1).
 */
function main(args: readonly string[]): Promise<number> {
  return runGeneratorCommand("datasets", USAGE, args, parseDatasetsArgs, generateMetaDataset);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
