/**
 * Thompson sampling two ways, side by side in the same run: `gp-ts`, `bayesOpt`'s `"ts"`, which
 * maximises one pathwise posterior sample per proposal (random Fourier features and Matheron's
 * update, Wilson et al. 2020) by raw samples and L-BFGS-B, and `gp-ts-exact`, one exact joint
 * posterior draw over the raw samples (BoTorch's `MaxPosteriorSampling`), with the default LogEI
 * (`gp-logei`) as the reference, on test functions of `lib/tasks/synthetic`
 * (`runSyntheticBenchmark`: the same designs and seeds for every method).
 *
 * Per function and method over seeds: the median simple regret (distribution-free 95% interval,
 * `summarise`; 6 seeds are the fewest that give one) after 10 and `--budget` evaluations, and the median seconds per trial (optimiser
 * plus objective); then the cost of the exact draw against the pathwise sample, the ratio of their
 * seconds per trial, seed by seed, in the same run. Writes `results.csv`, `summary.csv`,
 * `summary.md` and `provenance.json` into `--out` (default `out/thompson`).
 *
 * ```sh
 * deno run -A --lock=deno.lock bench/thompson.ts [--seeds 6] [--budget 30]
 *   [--functions branin,hartmann3,hartmann6] [--out DIR]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runSyntheticBenchmark } from "../lib/protocols/synthetic.ts";
import { summarise } from "../lib/stats/mod.ts";
import { markdownTable, provenanceLine, type ResultRow } from "../lib/results/mod.ts";
import { formatInterval } from "../lib/viz/table.ts";
import { integerArg } from "./args.ts";
import { runProvenance, writeBenchOutput } from "./provenance.ts";

/** Defaults of the command line. */
export const THOMPSON_BENCH_DEFAULTS = {
  seeds: 6,
  budget: 30,
  functions: ["branin", "hartmann3", "hartmann6"],
  out: "out/thompson",
} as const;

/** The methods, in table order: the two samplers, then the reference. */
export const THOMPSON_METHODS = ["gp-ts", "gp-ts-exact", "gp-logei"] as const;

/** One summary row per function and method, and one ratio row per function. */
export function thompsonTables(
  rows: readonly ResultRow[],
  budget: number,
): {
  regret: Record<string, string | number>[];
  cost: Record<string, string | number>[];
} {
  const functions = [...new Set(rows.map((r) => r.task))];
  const regret: Record<string, string | number>[] = [];
  const cost: Record<string, string | number>[] = [];
  const perSeed = (task: string, method: string, metric: string, step: number) =>
    rows.filter((r) =>
      r.task === task && r.method === method && r.metric === metric && r.step === step
    ).sort((a, b) => a.seed - b.seed);
  for (const task of functions) {
    for (const method of THOMPSON_METHODS) {
      const at = (step: number) =>
        summarise(perSeed(task, method, "regret", step).map((r) => r.value), "median");
      const early = at(Math.min(10, budget));
      const late = at(budget);
      const seconds = summarise(
        perSeed(task, method, "seconds_per_trial", budget).map((r) => r.value),
        "median",
      );
      regret.push({
        function: task,
        method,
        seeds: late.n,
        [`regret@${Math.min(10, budget)}_median`]: early.center,
        [`regret@${Math.min(10, budget)}_lower`]: early.lower,
        [`regret@${Math.min(10, budget)}_upper`]: early.upper,
        [`regret@${budget}_median`]: late.center,
        [`regret@${budget}_lower`]: late.lower,
        [`regret@${budget}_upper`]: late.upper,
        seconds_per_trial_median: seconds.center,
      });
    }
    const exact = perSeed(task, "gp-ts-exact", "seconds_per_trial", budget);
    const path = perSeed(task, "gp-ts", "seconds_per_trial", budget);
    const ratios = exact.map((e, i) => e.value / path[i].value);
    const ratio = summarise(ratios, "median");
    cost.push({
      function: task,
      seeds: ratios.length,
      exact_over_pathwise_median: ratio.center,
      exact_over_pathwise_lower: ratio.lower,
      exact_over_pathwise_upper: ratio.upper,
    });
  }
  return { regret, cost };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string" },
      budget: { type: "string" },
      functions: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  const seeds = integerArg(values.seeds ?? String(THOMPSON_BENCH_DEFAULTS.seeds), "seeds", 1);
  const budget = integerArg(values.budget ?? String(THOMPSON_BENCH_DEFAULTS.budget), "budget", 10);
  const functions = values.functions?.split(",").filter(Boolean) ??
    [...THOMPSON_BENCH_DEFAULTS.functions];
  const out = values.out ?? THOMPSON_BENCH_DEFAULTS.out;
  const started = performance.now();
  const rows = (await runSyntheticBenchmark({
    functions,
    methods: [...THOMPSON_METHODS],
    seeds,
    budget,
    onProgress: (done, total, label) => console.error(`thompson ${done}/${total} ${label}`),
  })).map((r) => ({ ...r, suite: "thompson" }));
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/thompson.ts", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  const { regret, cost } = thompsonTables(rows, budget);
  const early = Math.min(10, budget);
  const regretTitle =
    `thompson: median simple regret after ${early} and ${budget} evaluations and seconds per trial, seeds 0 … ${
      seeds - 1
    }`;
  const costTitle =
    `thompson: seconds per trial of the exact joint draw over the pathwise sample, seed by seed, seeds 0 … ${
      seeds - 1
    }`;
  const interval = (r: Record<string, string | number>, key: string) =>
    formatInterval({
      center: r[`${key}_median`] as number,
      lower: r[`${key}_lower`] as number,
      upper: r[`${key}_upper`] as number,
    });
  const markdown = [
    "# Thompson sampling: pathwise samples against exact joint draws",
    "",
    provenanceLine(provenance),
    "",
    '`gp-ts`: `bayesOpt({ acquisition: "ts" })`, one pathwise posterior sample per proposal ' +
    "maximised by raw samples and L-BFGS-B; `gp-ts-exact`: one exact joint draw over the raw " +
    "samples; `gp-logei`: the default. Medians with their distribution-free 95% intervals over " +
    "seeds.",
    "",
    `## ${regretTitle}`,
    "",
    markdownTable(
      [
        "function",
        "method",
        "seeds",
        `regret @${early}: median [95% CI]`,
        `regret @${budget}: median [95% CI]`,
        "s/trial (median)",
      ],
      regret.map((r) => [
        String(r.function),
        String(r.method),
        String(r.seeds),
        interval(r, `regret@${early}`),
        interval(r, `regret@${budget}`),
        (r.seconds_per_trial_median as number).toPrecision(3),
      ]),
    ),
    "",
    `## ${costTitle}`,
    "",
    markdownTable(
      ["function", "seeds", "exact / pathwise: median [95% CI]"],
      cost.map((r) => [String(r.function), String(r.seeds), interval(r, "exact_over_pathwise")]),
    ),
    "",
  ].join("\n");
  await writeBenchOutput(out, {
    rows,
    sections: [
      { title: regretTitle, records: regret },
      { title: costTitle, records: cost },
    ],
    markdown,
    provenance,
  });
  console.log(markdown);
  console.log(`wall time ${seconds.toFixed(1)} s; written to ${out}/`);
}
