/**
 * Real-HPO benchmark: seconds to evaluate one configuration of each model on each built-in
 * dataset (median of `repeats` runs, same seed, on the cpu and wasm backends), with the row cap of
 * the meta-dataset build; and how long `deno task datasets` took, read from the committed
 * provenance file (total and median seconds per run).
 *
 * `deno run -A bench/hpo.ts [--repeats 3] [--datasets iris,mnist] [--backends cpu,wasm]` prints JSON.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { builtinDatasets, prepareBuiltinDataset } from "../lib/data/mod.ts";
import { type Backend, useBackend } from "../lib/tfjs/mod.ts";
import { mean, median } from "../lib/stats/mod.ts";
import { HPO_MODELS, type HpoModel, hpoTask } from "../lib/tasks/hpo/mod.ts";
import { GENERATOR_DEFAULTS, loadMetaDataset } from "../lib/tasks/metadataset/mod.ts";

/** The configuration timed per model: mid-range values of each space. */
export const HPO_BENCH_CONFIGS: Readonly<
  Record<HpoModel, Record<string, number | boolean | string>>
> = {
  linear: { lr: 0.01, l2: 1e-4, batchSize: 32, epochs: 8 },
  mlp: { lr: 0.003, l2: 1e-4, hiddenUnits: 32, layers: 2, dropout: 0.1, batchSize: 32, epochs: 8 },
  rf: { nEstimators: 32, maxFeatures: 0.5, minSamplesLeaf: 1, maxDepth: 32, bootstrap: true },
  knn: { k: 7, p: 2, kernel: "triangular" },
  krr: { alpha: 0.1, gamma: 0.05, kernel: "rbf" },
  tree: { maxDepth: 8, minSamplesSplit: 4, minSamplesLeaf: 2, maxFeatures: 1 },
  gbt: { learningRate: 0.1, nRounds: 64, maxDepth: 3, minSamplesLeaf: 1, subsample: 1, l2: 1 },
};

/** Options of {@linkcode runHpoBenchmark}. */
export interface HpoBenchOptions {
  /** Datasets (default: every built-in one). */
  datasets?: readonly string[];
  /** Backends (default cpu and wasm). */
  backends?: readonly Backend[];
  /** Timed runs per dataset, model and backend, after one warm-up (default 3). */
  repeats?: number;
  /** Row cap (default: the meta-dataset's, 400). */
  maxRows?: number;
}

/** One timing row. */
export interface HpoTiming {
  dataset: string;
  model: HpoModel;
  backend: Backend;
  trainRows: number;
  features: number;
  steps: number;
  medianSeconds: number;
  validationError: number;
}

/** What {@linkcode runHpoBenchmark} returns. */
export interface HpoBenchResult {
  timings: HpoTiming[];
  /** From the committed provenance file; `null` when it is absent. */
  datasetsBuild: {
    date: string;
    durationSeconds: number;
    tasks: number;
    runs: number;
    medianRunSeconds: number;
    meanRunSeconds: number;
    backend: string;
  } | null;
}

/**
 * Times one evaluation per dataset, model and backend, and summarises the meta-dataset build.
 *
 * @example
 * ```ts ignore
 * import { runHpoBenchmark } from "./hpo.ts";
 * const result = await runHpoBenchmark({ datasets: ["iris"], repeats: 1 });
 * ```
 */
export async function runHpoBenchmark(options: HpoBenchOptions = {}): Promise<HpoBenchResult> {
  const names = options.datasets ?? builtinDatasets.map((d) => d.name);
  const backends = options.backends ?? ["cpu", "wasm"];
  const repeats = options.repeats ?? 3;
  const maxRows = options.maxRows ?? GENERATOR_DEFAULTS.maxRows;
  const timings: HpoTiming[] = [];
  for (const dataset of names) {
    const data = await prepareBuiltinDataset(dataset, { seed: 0, maxRows });
    for (const backend of backends) {
      await useBackend(backend);
      for (const model of HPO_MODELS) {
        // The forest, the tree, k-NN, kernel ridge and boosting run in plain TypeScript: one
        // backend suffices.
        if (model !== "linear" && model !== "mlp" && backend !== backends[0]) {
          continue;
        }
        const task = hpoTask(data, { model, seed: 0 });
        const config = HPO_BENCH_CONFIGS[model];
        const warm = await task.evaluate(config);
        const seconds: number[] = [];
        for (let r = 0; r < repeats; r++) seconds.push((await task.evaluate(config)).seconds);
        timings.push({
          dataset,
          model,
          backend,
          trainRows: data.train.size,
          features: data.numFeatures,
          steps: warm.steps,
          medianSeconds: Number(median(seconds).toFixed(4)),
          validationError: warm.validation.error,
        });
      }
    }
  }
  let datasetsBuild: HpoBenchResult["datasetsBuild"] = null;
  try {
    const md = await loadMetaDataset();
    if (md.provenance) {
      const all = md.tasks.flatMap((t) => [...t.cost]);
      datasetsBuild = {
        date: md.provenance.date,
        durationSeconds: md.provenance.durationSeconds,
        tasks: md.tasks.length,
        runs: all.length,
        medianRunSeconds: Number(median(all).toFixed(4)),
        meanRunSeconds: Number(mean(all).toFixed(4)),
        backend: md.generator.backend,
      };
    }
  } catch (error) {
    if (!(error instanceof Error && /not found/.test(error.message))) throw error;
  }
  return { timings, datasetsBuild };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      repeats: { type: "string" },
      datasets: { type: "string" },
      backends: { type: "string" },
      "max-rows": { type: "string" },
    },
  });
  const result = await runHpoBenchmark({
    repeats: values.repeats ? Number(values.repeats) : undefined,
    datasets: values.datasets?.split(","),
    backends: values.backends?.split(",") as Backend[] | undefined,
    maxRows: values["max-rows"] ? Number(values["max-rows"]) : undefined,
  });
  console.log(JSON.stringify(result, null, 2));
}
