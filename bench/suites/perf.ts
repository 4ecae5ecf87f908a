/**
 * Suite `perf`: speed, reported as ratios against references measured in the same run — GP fit
 * against scikit-learn's GaussianProcessRegressor, the latency of one `ask`, the random-forest
 * surrogate's fit and prediction (against the GP's fit at the same n), meta-feature extraction
 * and one HPO evaluation per dataset and model.
 *
 * @module
 */
import { measureGpFit } from "../gp_fit.ts";
import { runPeer } from "../../lib/bench/peers.ts";
import { median } from "../../lib/stats/mod.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { getSyntheticFunction } from "../../lib/tasks/synthetic/mod.ts";
import { type MetaFeatureBenchResult, runMetaFeatureBenchmark } from "../metafeatures.ts";
import { runHpoBenchmark } from "../hpo.ts";
import { measureForestFit } from "../forest_fit.ts";
import type { Suite, SuiteConfig } from "./types.ts";

function row(task: string, method: string, metric: string, value: number, step = 0): ResultRow {
  return { suite: "perf", task, method, seed: -1, step, metric, value };
}

/** Median milliseconds of `ask()` with `n` told points on hartmann6 (d = 6). */
export function measureAskLatency(n: number, asks: number): number {
  const fn = getSyntheticFunction("hartmann6");
  const study = new SMBO(fn.space, { seed: 0, proposer: bayesOpt(), initialDesignSize: n });
  for (let i = 0; i < n; i++) {
    const trial = study.ask();
    study.tell(trial, fn.evaluate(fn.space.encode(trial.params)));
  }
  const times: number[] = [];
  for (let i = 0; i < asks; i++) {
    const start = performance.now();
    const trial = study.ask();
    times.push(performance.now() - start);
    study.tell(trial, fn.evaluate(fn.space.encode(trial.params)));
  }
  return median(times);
}

async function gpFitRows(config: SuiteConfig): Promise<ResultRow[]> {
  const reps = config.size === "full" ? 5 : 3;
  config.progress(0, 5, "GP fit n=200 d=6");
  const ours = await measureGpFit({ n: 200, d: 6, restarts: 5, reps });
  const rows = [
    row("gp-fit n=200 d=6", "metahpo", "seconds", ours.medianSeconds),
    row("gp-predict 1000 points n=200", "metahpo", "milliseconds", ours.predict1000Milliseconds),
  ];
  if (config.peers) {
    config.progress(1, 5, "GP fit, scikit-learn peer");
    const peer = await runPeer(
      "sklearn_gp_peer.py",
      ["fit", "--n", "200", "--d", "6", "--reps", String(reps)],
      { dir: config.peersDir },
    );
    if (peer.ok) {
      const seconds = Number(peer.records[0]?.median_seconds);
      rows.push(row("gp-fit n=200 d=6", "sklearn", "seconds", seconds));
      rows.push(
        row("gp-fit n=200 d=6", "sklearn / metahpo", "speedup", seconds / ours.medianSeconds),
      );
    } else {
      config.notes.push(`scikit-learn GP fit peer did not run: ${peer.reason}`);
    }
  }
  return rows;
}

/**
 * The random-forest surrogate (SMAC3 defaults) at n = 500 and n = 10,000, d = 10: fit and
 * prediction at 10,000 points, with the GP's fit at n = 500 as the reference of the same run.
 */
function forestRows(reps: number): ResultRow[] {
  const small = measureForestFit({ n: 500, d: 10, reps, gp: true });
  const large = measureForestFit({ n: 10_000, d: 10, reps, gp: false });
  const rows = [
    row("rf-fit n=500 d=10", "metahpo", "milliseconds", small.fitMs),
    row("rf-fit n=500 d=10", "metahpo (cpu)", "milliseconds", small.fitCpuMs),
    row("rf-predict 10000 points n=500", "metahpo", "milliseconds", small.predict10kMs),
    row("rf-predict 10000 points n=500", "metahpo (cpu)", "milliseconds", small.predict10kCpuMs),
    row("rf-fit n=10000 d=10", "metahpo", "milliseconds", large.fitMs),
    row("rf-fit n=10000 d=10", "metahpo (cpu)", "milliseconds", large.fitCpuMs),
    row("rf-fit n=10000 d=10", "target 1000 ms / metahpo", "ratio", 1000 / large.fitMs),
    row("rf-predict 10000 points n=10000", "metahpo", "milliseconds", large.predict10kMs),
  ];
  if (small.gpFitMs !== null) {
    rows.push(row("gp-fit n=500 d=10", "metahpo", "milliseconds", small.gpFitMs));
    rows.push(row("rf-fit n=500 d=10", "gp-fit / rf-fit", "ratio", small.gpFitMs / small.fitMs));
  }
  return rows;
}

/**
 * The rows of the meta-feature timings: the 5,000 × 20 headline (task `metafeatures 5000x20`)
 * with its ratio to the 2 s target, then each point of the row and feature series (task
 * `metafeatures RxF`). A series point on the headline's table (5,000 × 20 is on both series) is a
 * separate timing of the same table: its task names its series (`metafeatures 5000x20 (rows
 * series)`), so that every row has its own task, method, seed and step.
 *
 * @example
 * ```ts
 * import { metaFeatureRows } from "./perf.ts";
 * const point = (rows: number, features: number, medianMs: number) =>
 *   ({ rows, features, groups: "all", medianMs, minMs: medianMs, metaFeatures: 100 });
 * const rows = metaFeatureRows({
 *   headline: point(5000, 20, 400), targetMs: 2000, withinTarget: true, perGroup: [],
 *   byRows: [point(1000, 20, 50), point(5000, 20, 380)], byFeatures: [point(5000, 20, 410)],
 * });
 * rows.map((r) => r.task);
 * // ["metafeatures 5000x20", "metafeatures 5000x20", "metafeatures 1000x20",
 * //  "metafeatures 5000x20 (rows series)", "metafeatures 5000x20 (features series)"]
 * ```
 */
export function metaFeatureRows(meta: MetaFeatureBenchResult): ResultRow[] {
  const headline = "metafeatures 5000x20";
  const rows = [
    row(headline, "metahpo", "milliseconds", meta.headline.medianMs),
    row(headline, "target 2000 ms / metahpo", "ratio", 2000 / meta.headline.medianMs),
  ];
  const taken = new Set([headline]);
  const series = [["rows", meta.byRows], ["features", meta.byFeatures]] as const;
  for (const [name, points] of series) {
    for (const point of points) {
      const task = `metafeatures ${point.rows}x${point.features}`;
      const unique = taken.has(task) ? `${task} (${name} series)` : task;
      taken.add(unique);
      rows.push(row(unique, "metahpo", "milliseconds", point.medianMs));
    }
  }
  return rows;
}

/** The `perf` suite. */
export const perfSuite: Suite = {
  name: "perf",
  description:
    "GP fit vs scikit-learn, ask latency, random-forest fit vs GP fit (ratios against references in the same run)",
  ignores: ["seeds", "budget"],
  async run(config) {
    const rows = await gpFitRows(config);
    config.progress(2, 5, "ask latency n=100 d=6");
    const askMs = measureAskLatency(100, config.size === "full" ? 20 : 10);
    rows.push(row("ask n=100 d=6", "metahpo", "milliseconds", askMs));
    rows.push(row("ask n=100 d=6", "target 150 ms / metahpo", "ratio", 150 / askMs));
    config.progress(2, 5, "random-forest surrogate fit n=500 and n=10000, d=10");
    rows.push(...forestRows(config.size === "full" ? 5 : 3));
    config.progress(3, 5, "meta-features 5,000 × 20");
    const quick = config.size === "quick";
    const meta = runMetaFeatureBenchmark({
      repeats: quick ? 3 : 5,
      rows: quick ? [1000, 5000] : undefined,
      features: quick ? [10, 20] : undefined,
    });
    rows.push(...metaFeatureRows(meta));
    config.progress(4, 5, "HPO objective: one configuration per dataset");
    const hpo = await runHpoBenchmark({
      datasets: quick ? ["iris", "mnist", "diamonds-price"] : undefined,
      repeats: quick ? 1 : 3,
    });
    for (const t of hpo.timings) {
      rows.push(
        row(`hpo ${t.model} ${t.dataset}`, `metahpo (${t.backend})`, "seconds", t.medianSeconds),
      );
    }
    if (hpo.datasetsBuild) {
      rows.push(
        row("deno task datasets", "metahpo", "seconds", hpo.datasetsBuild.durationSeconds),
      );
    }
    config.progress(5, 5, "done");
    const table = rows.map((r) => ({
      task: r.task,
      method: r.method,
      metric: r.metric,
      value: r.value,
    }));
    return { rows, tables: [{ title: "Performance", records: table }] };
  },
};
