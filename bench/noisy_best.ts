/**
 * The winner's curse under a noisy objective, measured: on noisy versions of synthetic test
 * functions, the default GP optimiser (`minimize` with its defaults) runs for `--budget`
 * evaluations, and the TRUE (noise-free) regret f(x) − f* of four in-sample choices is compared:
 *
 * - `observed-best`: the trial with the lowest noisy observation (`result.best`);
 * - `recommended`: {@linkcode recommendBest} with its defaults (the default `bayesOpt` GP on
 *   Yeo–Johnson-transformed standardised values; lowest posterior mean);
 * - `recommended-untransformed`: `recommendBest` with `outcomeTransform: "none"`;
 * - `oracle`: the evaluated configuration with the lowest true value (what no method can beat
 *   when it recommends an evaluated configuration).
 *
 * Noise: y = f(x) + ε, ε ~ N(0, (noise · R)²) with R the function's range, max f − f* over 4096
 * uniform points of its domain (`Rng(0)`), drawn from `Rng(1000 · seed + 17 + k)` for the k-th
 * function (independent of the optimiser's seed, the same draws at every noise level). `--noise`
 * takes a comma-separated list; the default includes 0, where the noise-free runs check that the
 * recommendation does no harm. Per function and noise level: the median (distribution-free 95%
 * interval) and the mean (Student-t 95% interval) of the regret over seeds, and the paired
 * difference observed − recommended (> 0: the recommendation is better). Writes `results.csv`,
 * `summary.csv`, `summary.md` and `provenance.json` into `--out` (default `out/noisy_best`).
 *
 * `--acquisitions` runs the GP optimiser with each of the named acquisitions of `bayesOpt`
 * (default `logei`, the default optimiser; `lognei` is noisy expected improvement), on the same
 * noise draws, and adds the paired difference of each choice's true regret between the first
 * acquisition and each other one (> 0: the other is better).
 *
 * ```sh
 * deno run -A --lock=deno.lock bench/noisy_best.ts [--seeds 20] [--first-seed 0] [--budget 40]
 *   [--noise 0,0.01,0.05] [--functions branin,hartmann3,hartmann6] [--acquisitions logei,lognei]
 *   [--out DIR]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { minimize } from "../lib/smbo/minimize.ts";
import { type AcquisitionName, bayesOpt } from "../lib/smbo/bayes_opt.ts";
import { recommendBest } from "../lib/smbo/recommend.ts";
import { getSyntheticFunction, type SyntheticFunction } from "../lib/tasks/synthetic/mod.ts";
import { Rng } from "../lib/random/rng.ts";
import { signCounts, summarise } from "../lib/stats/mod.ts";
import { markdownTable, provenanceLine, type ResultRow } from "../lib/results/mod.ts";
import { formatInterval, formatNumber } from "../lib/viz/table.ts";
import { integerArg } from "./args.ts";
import { runProvenance, writeBenchOutput } from "./provenance.ts";

/** Defaults of the command line. */
export const NOISY_BEST_DEFAULTS = {
  seeds: 20,
  firstSeed: 0,
  budget: 40,
  noise: [0, 0.01, 0.05],
  functions: ["branin", "hartmann3", "hartmann6"],
  acquisitions: ["logei"],
  out: "out/noisy_best",
} as const;

/** The in-sample choices compared, in table order. */
export const SELECTIONS = [
  "observed-best",
  "recommended",
  "recommended-untransformed",
  "oracle",
] as const;

/** One of {@linkcode SELECTIONS}. */
export type Selection = typeof SELECTIONS[number];

/** Points used to estimate a function's range. */
const RANGE_POINTS = 4096;

/** max f − f* over {@linkcode RANGE_POINTS} uniform points of the domain (`Rng(0)`). */
export function functionRange(f: SyntheticFunction): number {
  const rng = new Rng(0);
  let max = -Infinity;
  const u = new Float64Array(f.dim);
  for (let i = 0; i < RANGE_POINTS; i++) {
    for (let d = 0; d < f.dim; d++) u[d] = rng.uniform();
    max = Math.max(max, f.evaluate(u));
  }
  return max - f.minimum;
}

/** The true regret of each selection after one noisy run. */
export async function noisyRun(
  f: SyntheticFunction,
  functionIndex: number,
  sd: number,
  seed: number,
  budget: number,
  acquisition: AcquisitionName = "logei",
): Promise<Record<Selection, number>> {
  const noise = new Rng(1000 * seed + 17 + functionIndex);
  const truth = (params: unknown) => f.evaluate(f.space.encode(params as never)) - f.minimum;
  const result = await minimize(
    (params: Record<string, number>) =>
      f.evaluate(f.space.encode(params as never)) + (sd > 0 ? sd * noise.normal() : 0),
    f.space as never,
    // The default optimiser is bayesOpt() (LogEI); another acquisition changes only that.
    { budget, seed, ...(acquisition === "logei" ? {} : { proposer: bayesOpt({ acquisition }) }) },
  );
  const recommended = recommendBest(result, { seed });
  const untransformed = recommendBest(result, { seed, outcomeTransform: "none" });
  let oracle = Infinity;
  for (const t of result.trials) {
    if (t.status === "complete") oracle = Math.min(oracle, truth(t.params));
  }
  return {
    "observed-best": truth(result.best.params),
    recommended: truth(recommended.params),
    "recommended-untransformed": truth(untransformed.params),
    oracle,
  };
}

function parseList(text: string, flag: string): number[] {
  const values = text.split(",").map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !(Number.isFinite(v) && v >= 0))) {
    throw new RangeError(`--${flag}: comma-separated finite numbers ≥ 0, got "${text}"`);
  }
  return values;
}

/** The median and the mean of `values` with their 95% intervals, and as summary.csv fields. */
function medianAndMean(values: readonly number[]) {
  const med = summarise(values, "median");
  const avg = summarise(values, "mean");
  const fields = {
    n: med.n,
    median: med.center,
    median_lower: med.lower,
    median_upper: med.upper,
    mean: avg.center,
    mean_lower: avg.lower,
    mean_upper: avg.upper,
  };
  return { med, avg, fields };
}

/** {@linkcode medianAndMean} of paired differences, and how many are > 0, 0 and < 0. */
function pairedDifference(diff: readonly number[]) {
  const { above: better, zero: same, below: worse } = signCounts(diff);
  return { ...medianAndMean(diff), better, same, worse };
}

if (import.meta.main) {
  const started = performance.now();
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string", default: String(NOISY_BEST_DEFAULTS.seeds) },
      "first-seed": { type: "string", default: String(NOISY_BEST_DEFAULTS.firstSeed) },
      budget: { type: "string", default: String(NOISY_BEST_DEFAULTS.budget) },
      noise: { type: "string", default: NOISY_BEST_DEFAULTS.noise.join(",") },
      functions: { type: "string", default: NOISY_BEST_DEFAULTS.functions.join(",") },
      acquisitions: { type: "string", default: NOISY_BEST_DEFAULTS.acquisitions.join(",") },
      out: { type: "string", default: NOISY_BEST_DEFAULTS.out },
    },
    strict: true,
  });
  const seeds = integerArg(values.seeds, "seeds", 1);
  const firstSeed = integerArg(values["first-seed"], "first-seed", 0);
  const budget = integerArg(values.budget, "budget", 2);
  const noiseLevels = parseList(values.noise, "noise");
  const functions = values.functions.split(",").map((name) => getSyntheticFunction(name.trim()));
  const out = values.out;
  const acquisitions = values.acquisitions.split(",").map((a) => a.trim()) as AcquisitionName[];
  // bayesOpt checks the names (its error names the option) before any run.
  for (const acquisition of acquisitions) bayesOpt({ acquisition });

  const rows: ResultRow[] = [];
  const summaryRecords: Record<string, string | number>[] = [];
  const pairedRecords: Record<string, string | number>[] = [];
  const regretRows: string[][] = [];
  const pairedRows: string[][] = [];
  const acquisitionRecords: Record<string, string | number>[] = [];
  const acquisitionRows: string[][] = [];
  for (const [k, f] of functions.entries()) {
    const range = functionRange(f);
    for (const noise of noiseLevels) {
      const sd = noise * range;
      const byAcquisition = new Map<AcquisitionName, Record<Selection, number[]>>();
      for (const acquisition of acquisitions) {
        const task = `${f.name}/noise=${noise}`;
        const regrets: Record<Selection, number[]> = {
          "observed-best": [],
          recommended: [],
          "recommended-untransformed": [],
          oracle: [],
        };
        byAcquisition.set(acquisition, regrets);
        for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
          const run = await noisyRun(f, k, sd, seed, budget, acquisition);
          for (const selection of SELECTIONS) {
            regrets[selection].push(run[selection]);
            rows.push({
              suite: "noisy_best",
              task,
              method: acquisition === "logei" ? selection : `${acquisition}:${selection}`,
              seed,
              step: budget,
              metric: "true_regret",
              value: run[selection],
            });
          }
          console.error(
            `${task} ${acquisition} seed ${seed}: ${
              SELECTIONS.map((s) => run[s].toPrecision(3)).join(" ")
            }`,
          );
        }
        for (const selection of SELECTIONS) {
          const { med, avg, fields } = medianAndMean(regrets[selection]);
          summaryRecords.push({
            function: f.name,
            noise,
            noise_sd: sd,
            acquisition,
            selection,
            ...fields,
          });
          regretRows.push([
            f.name,
            String(noise),
            formatNumber(sd),
            acquisition,
            selection,
            formatInterval(med),
            formatInterval(avg),
          ]);
        }
        const diff = regrets["observed-best"].map((v, i) => v - regrets.recommended[i]);
        const { med, avg, fields, better, same, worse } = pairedDifference(diff);
        pairedRecords.push({
          function: f.name,
          noise,
          acquisition,
          ...fields,
          recommended_better: better,
          same,
          recommended_worse: worse,
        });
        pairedRows.push([
          f.name,
          String(noise),
          acquisition,
          formatInterval(med),
          formatInterval(avg),
          `${better} / ${same} / ${worse}`,
        ]);
      }
      // Each further acquisition against the first, paired by seed (same noise draws).
      const first = byAcquisition.get(acquisitions[0])!;
      for (const acquisition of acquisitions.slice(1)) {
        const other = byAcquisition.get(acquisition)!;
        for (const selection of ["observed-best", "recommended"] as const) {
          const diff = first[selection].map((v, i) => v - other[selection][i]);
          const { med, avg, fields, better, same, worse } = pairedDifference(diff);
          acquisitionRecords.push({
            function: f.name,
            noise,
            acquisition,
            versus: acquisitions[0],
            selection,
            ...fields,
            better,
            same,
            worse,
          });
          acquisitionRows.push([
            f.name,
            String(noise),
            `${acquisition} vs ${acquisitions[0]}`,
            selection,
            formatInterval(med),
            formatInterval(avg),
            `${better} / ${same} / ${worse}`,
          ]);
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/noisy_best.ts", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  const seedText = `seeds ${firstSeed} … ${firstSeed + seeds - 1}`;
  const regretTitle =
    `noisy_best: true regret f(x) − f* of the chosen trial after ${budget} evaluations of the ` +
    `GP optimiser (bayesOpt with the acquisition named; logei is the default), ${seedText}`;
  const pairedTitle =
    `noisy_best: paired difference of true regret, observed-best − recommended (> 0: the ` +
    `recommendation is better), ${seedText}`;
  const acquisitionTitle =
    `noisy_best: paired difference of true regret between acquisitions, ${acquisitions[0]} − ` +
    `the other (> 0: the other acquisition is better), ${seedText}`;
  const markdown = [
    "# Recommending under noise: observed best vs lowest posterior mean",
    "",
    provenanceLine(provenance),
    "",
    "Noise sd = noise × R, R = max f − f* over 4096 uniform points. Median with its " +
    "distribution-free 95% interval, mean with its Student-t 95% interval, over seeds. " +
    "`recommended`: `recommendBest` defaults (GP of `bayesOpt`, Yeo–Johnson); " +
    '`recommended-untransformed`: `outcomeTransform: "none"`; `oracle`: the evaluated ' +
    "configuration with the lowest true value.",
    "",
    `## ${regretTitle}`,
    "",
    markdownTable(
      [
        "function",
        "noise",
        "noise sd",
        "acquisition",
        "selection",
        "median [95% CI]",
        "mean [95% CI]",
      ],
      regretRows,
    ),
    "",
    `## ${pairedTitle}`,
    "",
    markdownTable(
      [
        "function",
        "noise",
        "acquisition",
        "median [95% CI]",
        "mean [95% CI]",
        "better / same / worse",
      ],
      pairedRows,
    ),
    "",
    ...(acquisitionRows.length === 0 ? [] : [
      `## ${acquisitionTitle}`,
      "",
      markdownTable(
        [
          "function",
          "noise",
          "acquisitions",
          "selection",
          "median [95% CI]",
          "mean [95% CI]",
          "better / same / worse",
        ],
        acquisitionRows,
      ),
      "",
    ]),
  ].join("\n");
  await writeBenchOutput(out, {
    rows,
    sections: [
      { title: regretTitle, records: summaryRecords },
      { title: pairedTitle, records: pairedRecords },
      ...(acquisitionRecords.length === 0
        ? []
        : [{ title: acquisitionTitle, records: acquisitionRecords }]),
    ],
    markdown,
    provenance,
  });
  console.log(markdown);
  console.log(`wall time ${seconds.toFixed(1)} s; written to ${out}/`);
}
