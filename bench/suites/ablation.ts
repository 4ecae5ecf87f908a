/**
 * Suite `ablation`: which design choice of the GP-BO default matters, measured one at a time.
 * Every variant changes exactly one setting of the default `bayesOpt` (or of the study's initial
 * design) and runs on the eight registered synthetic functions; the seeds run outermost, so a run
 * cut short still holds every variant on every function for the seeds it finished. Rows are
 * appended to `ablation.csv` in the output folder as they are measured; the summary goes to
 * `ablation.md` and the suite's tables.
 *
 * @module
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bayesOpt, type BayesOptOptions } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import type { ProposalContext, Proposer } from "../../lib/smbo/proposer.ts";
import type { SMBOOptions } from "../../lib/smbo/study.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import type { SurrogateFactory } from "../../lib/models/surrogate.ts";
import {
  logExpectedImprovement,
  lowerConfidenceBound,
  thompsonSampling,
} from "../../lib/acquisition/mod.ts";
import type { AcquisitionBuilder } from "../../lib/smbo/bayes_opt.ts";
import { syntheticFunctions } from "../../lib/tasks/synthetic/mod.ts";
import { bestSoFar, median } from "../../lib/bench/stats.ts";
import { type ResultRow, toCsv } from "../../lib/bench/results.ts";
import { formatNumber } from "../../lib/viz/table.ts";
import type { Suite, SummaryTable } from "./types.ts";

/** The eight registered synthetic functions. */
export const ABLATION_FUNCTIONS: readonly string[] = Object.keys(syntheticFunctions);

/** Functions with many local minima, where exploration matters most. */
const MULTIMODAL = ["hartmann6", "levy4", "ackley5"];

/** Hartmann-6 is bimodal: a run "succeeds" when its regret reaches this. */
export const HARTMANN6_SUCCESS = 5e-3;

/** One ablation arm: the proposer and the study's initial-design settings. */
export interface AblationVariant {
  /** Short name used in the tables. */
  name: string;
  /** What the arm changes relative to the default. */
  change: string;
  /** A fresh proposer for one run. */
  proposer: () => Proposer;
  /** Initial-design settings of the study for a dimension, when not the default. */
  study?: (dim: number) => Pick<SMBOOptions<unknown>, "initialDesign" | "initialDesignSize">;
}

/**
 * Wraps a proposer so that it sees transformed targets (a monotone map keeps the incumbent):
 * `log` is log(y − min + δ) with δ = 10⁻³·range (the range-scaled shift of SMAC's log transform),
 * `copula` maps ranks to standard normal quantiles (Salinas et al. 2020).
 */
function withOutcomeTransform(inner: Proposer, kind: "log" | "copula"): Proposer {
  return {
    name: `${inner.name}-${kind}`,
    propose(context: ProposalContext, q: number) {
      const y = context.values;
      let values: Float64Array;
      if (kind === "log") {
        let lo = Infinity, hi = -Infinity;
        for (const v of y) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
        const delta = Math.max(1e-3 * (hi - lo), 1e-12 * Math.max(1, Math.abs(lo)));
        values = y.map((v) => Math.log(v - lo + delta));
      } else {
        const order = Array.from(y.keys()).sort((a, b) => y[a] - y[b]);
        values = new Float64Array(y.length);
        order.forEach((index, rank) => {
          values[index] = normalQuantile((rank + 0.5) / y.length);
        });
      }
      return inner.propose({ ...context, values }, q);
    },
  };
}

/** Acklam's rational approximation of the standard normal quantile (|error| < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269];
  const a4 = -30.66479806614716, a5 = 2.506628277459239;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972];
  const b4 = -13.28068155288572;
  const c = [-7.784894002430293e-3, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
  const c4 = 4.374664141464968, c5 = 2.938163982698783;
  const d = [7.784695709041462e-3, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (t: number) =>
    (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c4) * t + c5) /
    ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const r = (p - 0.5) ** 2;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a4) * r + a5) * (p - 0.5) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b4) * r + 1);
}

/**
 * LogEI on most steps and another acquisition on every `every`-th model-based step (a closure
 * counter: one builder per run).
 */
function interleaved(kind: "ts" | "lcb", every: number): AcquisitionBuilder {
  let step = 0;
  return (surrogate, { best, rng }) => {
    step++;
    if (step % every !== 0) return logExpectedImprovement(surrogate, { best });
    return kind === "ts" ? thompsonSampling(surrogate, { rng }) : lowerConfidenceBound(surrogate);
  };
}

/**
 * BoTorch 0.11's fit: one L-BFGS-B run per step, from GPyTorch's initial values (lengthscales and
 * outputscale softplus(0) = ln 2, noise at its prior mode 2), no restarts, every step from scratch
 * (kriging-believer fantasies keep the hyperparameters).
 */
function botorchFit(noiseFloor: number): SurrogateFactory {
  const factories = new Map<number, SurrogateFactory>();
  const forDim = (dim: number) => {
    let factory = factories.get(dim);
    if (factory === undefined) {
      factory = gpFactory({
        kernel: "matern52",
        priors: "gamma",
        bounds: { noise: [noiseFloor, 10] },
        restarts: 0,
        initial: { kernel: new Array(dim + 1).fill(Math.LN2), noise: 2 },
      });
      factories.set(dim, factory);
    }
    return factory;
  };
  return {
    name: "gp-matern52",
    fit: (points, values, rng, hints) =>
      forDim(points[0].length).fit(points, values, rng, {
        ...hints,
        mode: hints?.mode === "keep" ? "keep" : "full",
      }),
  };
}

const gp = (options: Parameters<typeof gpFactory>[0]) =>
  gpFactory({ kernel: "matern52", ...options });
const arm = (
  name: string,
  change: string,
  options: () => BayesOptOptions,
  study?: AblationVariant["study"],
): AblationVariant => ({ name, change, proposer: () => bayesOpt(options()), study });

/**
 * The arms: the default, then one change each (initial design, acquisition optimiser, priors,
 * noise floor, outcome transform, refit schedule, acquisition, exploration), then BoTorch's
 * settings together.
 */
export const ABLATION_VARIANTS: readonly AblationVariant[] = [
  arm("default", "BAYES_OPT_DEFAULTS", () => ({})),
  arm("init-lhs", "initial design: Latin hypercube instead of Sobol", () => ({}), () => ({
    initialDesign: "lhs",
  })),
  arm("init-d+1", "initial design: d + 1 points instead of 2d + 1", () => ({}), (dim) => ({
    initialDesignSize: dim + 1,
  })),
  arm("raw-512", "acquisition optimiser: 512 raw samples (BoTorch peer) instead of 1024", () => ({
    rawSamples: 512,
  })),
  arm(
    "restarts-10",
    "acquisition optimiser: 10 L-BFGS-B restarts (BoTorch peer) instead of 5",
    () => ({
      restarts: 10,
    }),
  ),
  arm("priors-lognormal", "GP priors: LogNormal (BoTorch >= 0.12) instead of Gamma", () => ({
    surrogate: gp({ priors: "lognormal" }),
  })),
  arm("noise-floor-1e-4", "GP noise floor 1e-4 (BoTorch) instead of 1e-6", () => ({
    surrogate: gp({ priors: "gamma", bounds: { noise: [1e-4, 10] } }),
  })),
  {
    name: "outcome-log",
    change: "outcome transform: log(y - min + 1e-3 range) before standardising",
    proposer: () => withOutcomeTransform(bayesOpt(), "log"),
  },
  {
    name: "outcome-copula",
    change: "outcome transform: ranks to normal quantiles before standardising",
    proposer: () => withOutcomeTransform(bayesOpt(), "copula"),
  },
  arm("refit-every-step", "GP refitted from scratch every step instead of every 5th", () => ({
    fullRefitEvery: 1,
  })),
  arm("ei", "acquisition: EI instead of LogEI", () => ({ acquisition: "ei" })),
  arm("boltzmann-starts", "acquisition optimiser: Boltzmann-drawn starts (BoTorch)", () => ({
    startSelection: "boltzmann",
  })),
  arm(
    "around-best",
    "acquisition optimiser: +1024 raw samples around the best 5% (sigma 1e-3, BoTorch)",
    () => ({ incumbentSamples: 1024, incumbentScale: 1e-3 }),
  ),
  arm(
    "around-best-wide",
    "acquisition optimiser: +1024 raw samples around the best 5% (sigma 0.1)",
    () => ({ incumbentSamples: 1024, incumbentScale: 0.1 }),
  ),
  arm("ts-every-5th", "every 5th step Thompson sampling instead of LogEI", () => ({
    acquisition: interleaved("ts", 5),
  })),
  arm("lcb-every-5th", "every 5th step LCB (beta 4) instead of LogEI", () => ({
    acquisition: interleaved("lcb", 5),
  })),
  arm(
    "botorch-fit",
    "GP fit as BoTorch 0.11: one run from GPyTorch's initial values every step, no restarts",
    () => ({ surrogate: botorchFit(1e-6) }),
  ),
  arm(
    "botorch-settings",
    "all of BoTorch's: 512 raw, 10 restarts, Boltzmann starts, BoTorch fit, noise floor 1e-4",
    () => ({
      surrogate: botorchFit(1e-4),
      rawSamples: 512,
      restarts: 10,
      startSelection: "boltzmann",
    }),
  ),
  // Candidate defaults: combinations of the single changes.
  arm(
    "around-best-0.01",
    "acquisition optimiser: +1024 raw samples around the best 5% (sigma 0.01)",
    () => ({
      incumbentSamples: 1024,
      incumbentScale: 0.01,
    }),
  ),
  arm("around-best+restarts-10", "around-best and restarts-10", () => ({
    incumbentSamples: 1024,
    incumbentScale: 1e-3,
    restarts: 10,
  })),
  arm("around-best+boltzmann", "around-best and boltzmann-starts", () => ({
    incumbentSamples: 1024,
    incumbentScale: 1e-3,
    startSelection: "boltzmann",
  })),
];

/** Options of {@linkcode runAblation}. */
export interface AblationOptions {
  /** Seeds 0 … seeds − 1. */
  seeds: number;
  /** Evaluations per run. */
  budget: number;
  /** Function names (default {@linkcode ABLATION_FUNCTIONS}). */
  functions?: readonly string[];
  /** Arms (default {@linkcode ABLATION_VARIANTS}). */
  variants?: readonly AblationVariant[];
  /** CSV file the rows are appended to as they are measured. */
  csv?: string;
  /** Called after each run. */
  onRun?: (done: number, total: number, label: string) => void;
}

/**
 * Runs every arm on every function for every seed (seeds outermost). Rows: `regret` at the
 * budget (best so far minus the minimum) and `seconds_per_trial`.
 */
export async function runAblation(options: AblationOptions): Promise<ResultRow[]> {
  const functions = (options.functions ?? ABLATION_FUNCTIONS).map((n) => syntheticFunctions[n]);
  const variants = options.variants ?? ABLATION_VARIANTS;
  const rows: ResultRow[] = [];
  const total = options.seeds * functions.length * variants.length;
  let done = 0;
  if (options.csv) writeFileSync(options.csv, toCsv([]));
  for (let seed = 0; seed < options.seeds; seed++) {
    for (const fn of functions) {
      for (const variant of variants) {
        const start = performance.now();
        const result = await minimize((p) => fn.evaluate(fn.space.encode(p)), fn.space, {
          budget: options.budget,
          seed,
          proposer: variant.proposer(),
          ...variant.study?.(fn.space.dim),
        });
        const seconds = (performance.now() - start) / 1000;
        const values = result.trials.map((t) => t.status === "complete" ? t.value! : NaN);
        const regret = bestSoFar(values)[values.length - 1] - fn.minimum;
        const base = { suite: "ablation", task: fn.name, method: variant.name, seed };
        const measured: ResultRow[] = [
          { ...base, step: options.budget, metric: "regret", value: regret },
          {
            ...base,
            step: options.budget,
            metric: "seconds_per_trial",
            value: seconds / options.budget,
          },
        ];
        rows.push(...measured);
        if (options.csv) {
          appendFileSync(options.csv, toCsv(measured).split("\n").slice(1).join("\n"));
        }
        options.onRun?.(++done, total, `seed ${seed} ${fn.name} ${variant.name}`);
      }
    }
  }
  return rows;
}

const geometricMean = (values: readonly number[]) =>
  Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);

/**
 * The summary tables of ablation rows: median regret per arm and function, each arm's ratio to
 * the default's median, the geometric means of the ratios over the multimodal and the other
 * functions, Hartmann-6 successes and the time per trial.
 */
export function summariseAblation(rows: readonly ResultRow[]): SummaryTable[] {
  const regrets = rows.filter((r) => r.metric === "regret");
  const functions = [...new Set(regrets.map((r) => r.task))];
  const variants = [...new Set(regrets.map((r) => r.method))];
  const of = (task: string, method: string) =>
    regrets.filter((r) => r.task === task && r.method === method).map((r) => r.value);
  const seeds = Math.min(...functions.flatMap((f) => variants.map((v) => of(f, v).length)));
  const medians = variants.map((variant) => {
    const record: Record<string, string | number> = { variant };
    for (const f of functions) record[f] = median(of(f, variant));
    const h6 = of("hartmann6", variant);
    if (h6.length > 0) {
      record["hartmann6 ≤ 5e-3"] = `${
        h6.filter((v) => v <= HARTMANN6_SUCCESS).length
      }/${h6.length}`;
    }
    record["s/trial"] = median(
      rows.filter((r) => r.method === variant && r.metric === "seconds_per_trial").map((r) =>
        r.value
      ),
    );
    return record;
  });
  // A zero median (the minimum found exactly) would make ratios meaningless: floor at 1e-12.
  const ratio = (f: string, v: string) =>
    Math.max(median(of(f, v)), 1e-12) / Math.max(median(of(f, "default")), 1e-12);
  const ratios = variants.map((variant) => {
    const record: Record<string, string | number> = { variant };
    for (const f of functions) record[f] = ratio(f, variant);
    const multi = functions.filter((f) => MULTIMODAL.includes(f));
    const smooth = functions.filter((f) => !MULTIMODAL.includes(f));
    record["geo-mean multimodal"] = geometricMean(multi.map((f) => ratio(f, variant)));
    record["geo-mean others"] = geometricMean(smooth.map((f) => ratio(f, variant)));
    record["geo-mean all"] = geometricMean(functions.map((f) => ratio(f, variant)));
    return record;
  });
  return [
    { title: `Median simple regret after the budget (${seeds} seeds)`, records: medians },
    {
      title: "Median regret relative to the default (< 1: the change helps)",
      records: ratios,
    },
  ];
}

function markdownTable(table: SummaryTable): string {
  const keys = Object.keys(table.records[0] ?? {});
  const cell = (v: string | number) => typeof v === "number" ? formatNumber(v) : v;
  return [
    `### ${table.title}`,
    "",
    `| ${keys.join(" | ")} |`,
    `|${keys.map(() => "---").join("|")}|`,
    ...table.records.map((r) => `| ${keys.map((k) => cell(r[k])).join(" | ")} |`),
    "",
  ].join("\n");
}

/** Writes the ablation summary as markdown with its provenance. */
export function writeAblationMarkdown(
  path: string,
  tables: readonly SummaryTable[],
  provenance: string,
): void {
  const changes = ABLATION_VARIANTS.map((v) => `| ${v.name} | ${v.change} |`);
  writeFileSync(
    path,
    [
      "## GP-BO ablation",
      "",
      provenance,
      "",
      "| arm | change against the default |",
      "|---|---|",
      ...changes,
      "",
      ...tables.map(markdownTable),
    ].join("\n"),
  );
}

/** The `ablation` suite. */
export const ablationSuite: Suite = {
  name: "ablation",
  description: "GP-BO design choices toggled one at a time on 8 functions",
  async run(config) {
    const budget = config.budget ?? 50;
    const seeds = config.seeds ?? (config.size === "full" ? 20 : 5);
    const csv = join(config.outDir, "ablation.csv");
    const rows = await runAblation({ seeds, budget, csv, onRun: config.progress });
    const tables = summariseAblation(rows);
    writeAblationMarkdown(
      join(config.outDir, "ablation.md"),
      tables,
      `${seeds} seeds, budget ${budget}, ${new Date().toISOString()}`,
    );
    return { rows, tables };
  },
};
