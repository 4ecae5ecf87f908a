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
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BAYES_OPT_DEFAULTS, bayesOpt, type BayesOptOptions } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import type { ProposalContext, Proposer } from "../../lib/smbo/proposer.ts";
import type { SMBOOptions } from "../../lib/smbo/study.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import type { SurrogateFactory } from "../../lib/models/surrogate.ts";
import { yeoJohnson } from "../../lib/models/outcome_transform.ts";
import {
  logExpectedImprovement,
  lowerConfidenceBound,
  thompsonSampling,
} from "../../lib/acquisition/mod.ts";
import type { AcquisitionBuilder } from "../../lib/smbo/bayes_opt.ts";
import { syntheticFunctions } from "../../lib/tasks/synthetic/mod.ts";
import { bestSoFar, median } from "../../lib/stats/mod.ts";
import { type ResultRow, toCsv } from "../../lib/results/mod.ts";
import { formatNumber } from "../../lib/viz/table.ts";
import type { Suite, SummaryTable } from "./types.ts";

/** The eight registered synthetic functions. */
export const ABLATION_FUNCTIONS: readonly string[] = Object.keys(syntheticFunctions);

/** Functions with many local minima, where exploration matters most. */
const MULTIMODAL = ["hartmann6", "levy4", "ackley5"];

/** Hartmann-6 is bimodal: a run reaches the global basin when its regret is at most this. */
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
 * Wraps a proposer so that it sees log-transformed targets, log(y − min + δ) with
 * δ = 10⁻³·range (a monotone map: the incumbent stays the incumbent).
 */
function withLogOutcome(inner: Proposer): Proposer {
  return {
    name: `${inner.name}-log`,
    propose(context: ProposalContext, q: number) {
      const y = context.values;
      let lo = Infinity, hi = -Infinity;
      for (const v of y) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      const delta = Math.max(1e-3 * (hi - lo), 1e-12 * Math.max(1, Math.abs(lo)));
      return inner.propose({ ...context, values: y.map((v) => Math.log(v - lo + delta)) }, q);
    },
  };
}

/** Wraps a proposer so that it sees Yeo–Johnson-transformed targets ({@linkcode yeoJohnson}). */
function withPowerOutcome(inner: Proposer): Proposer {
  return {
    name: `${inner.name}-power`,
    propose: (context: ProposalContext, q: number) =>
      inner.propose({ ...context, values: yeoJohnson(context.values).values }, q),
  };
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
    return kind === "ts" ? thompsonOnPrefix(surrogate, rng) : lowerConfidenceBound(surrogate);
  };
}

/** Raw samples a Thompson step draws its joint posterior sample on (a balanced Sobol prefix). */
const THOMPSON_POINTS = 256;

/**
 * Thompson sampling on the first {@linkcode THOMPSON_POINTS} candidates it is given (the
 * optimiser's Sobol raw samples come first), −∞ elsewhere: the joint draw on all 1024 raw samples
 * costs a 1024 × 1024 Cholesky factorisation per step.
 */
function thompsonOnPrefix(
  surrogate: Parameters<AcquisitionBuilder>[0],
  rng: Parameters<AcquisitionBuilder>[1]["rng"],
) {
  const ts = thompsonSampling(surrogate, { rng });
  return {
    ...ts,
    evaluate(points: readonly Float64Array[]) {
      const head = ts.evaluate(points.slice(0, THOMPSON_POINTS));
      const out = new Float64Array(points.length).fill(-Infinity);
      out.set(head);
      return out;
    },
  };
}

/**
 * BoTorch 0.11's fit: one L-BFGS-B run per step, from GPyTorch's initial values (lengthscales and
 * outputscale softplus(0) = ln 2, noise at its prior mode 2), no restarts, every step from scratch
 * (kriging-believer fantasies keep the hyperparameters).
 */
function botorchFit(noiseFloor: number, mean: "zero" | "constant" = "zero"): SurrogateFactory {
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
        mean,
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
/** The default GP of `bayesOpt` with a zero prior mean instead of the fitted constant. */
const zeroMean = () => gpFactory({ ...BAYES_OPT_DEFAULTS.surrogate, mean: "zero" });
/**
 * The reference every arm changes one thing of: `bayesOpt` as it was before the ablation chose
 * the current defaults (no outcome transform, no incumbent-biased raw samples); the arm that
 * reproduces the current {@linkcode BAYES_OPT_DEFAULTS} is `around-best-mixed+power`.
 */
export const ABLATION_REFERENCE: Readonly<BayesOptOptions> = Object.freeze({
  outcomeTransform: "none",
  incumbentSamples: 0,
  incumbentScale: 1e-3,
});

const reference = (options: BayesOptOptions = {}) =>
  bayesOpt({ ...ABLATION_REFERENCE, ...options });

const arm = (
  name: string,
  change: string,
  options: () => BayesOptOptions,
  study?: AblationVariant["study"],
): AblationVariant => ({ name, change, proposer: () => reference(options()), study });

/**
 * The arms: the default, then one change each (initial design, acquisition optimiser, priors,
 * noise floor, outcome transform, refit schedule, acquisition, exploration), then BoTorch's
 * settings together.
 */
export const ABLATION_VARIANTS: readonly AblationVariant[] = [
  arm(
    "default",
    "the reference: BAYES_OPT_DEFAULTS with outcomeTransform none and incumbentSamples 0",
    () => ({}),
  ),
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
    proposer: () => withLogOutcome(reference()),
  },
  {
    name: "outcome-power",
    change: "outcome transform: Yeo-Johnson with maximum-likelihood lambda (HEBO)",
    proposer: () => withPowerOutcome(reference()),
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
  arm(
    "around-best-mixed",
    "acquisition optimiser: +1024 raw samples around the best 5%, half sigma 1e-3, half 0.1",
    () => ({ incumbentSamples: 1024, incumbentScale: [1e-3, 0.1] }),
  ),
  {
    name: "around-best-mixed+power",
    change: "around-best-mixed and outcome-power together (the current BAYES_OPT_DEFAULTS)",
    proposer: () =>
      withPowerOutcome(reference({ incumbentSamples: 1024, incumbentScale: [1e-3, 0.1] })),
  },
  {
    name: "around-best-mixed+power+boltzmann",
    change: "around-best-mixed, outcome-power and boltzmann-starts together",
    proposer: () =>
      withPowerOutcome(
        reference({
          incumbentSamples: 1024,
          incumbentScale: [1e-3, 0.1],
          startSelection: "boltzmann",
        }),
      ),
  },
  {
    name: "current-default",
    change:
      "bayesOpt() as shipped: around-best-mixed+power with a fitted constant GP prior mean, " +
      "proposals kept 1e-4 from evaluated points",
    proposer: () => bayesOpt(),
  },
  {
    name: "zero-mean-default",
    change: "bayesOpt() as shipped before the constant mean: the same with a zero GP prior mean",
    proposer: () => bayesOpt({ surrogate: zeroMean(), outcomeTransform: "yeo-johnson" }),
  },
  {
    name: "zero-mean-default+refit-every-step",
    change: "zero-mean-default, GP refitted from scratch every step",
    proposer: () =>
      bayesOpt({ surrogate: zeroMean(), outcomeTransform: "yeo-johnson", fullRefitEvery: 1 }),
  },
  arm(
    "ts-every-5th",
    "every 5th step Thompson sampling (on 256 raw samples) instead of LogEI",
    () => ({
      acquisition: interleaved("ts", 5),
    }),
  ),
  arm("lcb-every-5th", "every 5th step LCB (beta 4) instead of LogEI", () => ({
    acquisition: interleaved("lcb", 5),
  })),
  arm(
    "botorch-fit",
    "GP fit as BoTorch 0.11: one run from GPyTorch's initial values every step, no restarts",
    () => ({ surrogate: botorchFit(1e-6) }),
  ),
  arm(
    "constant-mean",
    "GP prior mean: a constant fitted with the hyperparameters (BoTorch's ConstantMean) instead of 0",
    () => ({ surrogate: gp({ priors: "gamma", mean: "constant" }) }),
  ),
  arm(
    "botorch-settings+constant-mean",
    "botorch-settings with BoTorch's fitted constant prior mean",
    () => ({
      surrogate: botorchFit(1e-4, "constant"),
      rawSamples: 512,
      restarts: 10,
      startSelection: "boltzmann",
    }),
  ),
  {
    name: "constant-mean+power",
    change: "constant-mean and outcome-power together (no incumbent samples)",
    proposer: () =>
      withPowerOutcome(reference({ surrogate: gp({ priors: "gamma", mean: "constant" }) })),
  },
  arm(
    "constant-mean+around-best-mixed",
    "constant-mean and around-best-mixed together (no outcome transform)",
    () => ({
      surrogate: gp({ priors: "gamma", mean: "constant" }),
      incumbentSamples: 1024,
      incumbentScale: [1e-3, 0.1],
    }),
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
];

/** Options of {@linkcode runAblation}. */
export interface AblationOptions {
  /** Number of seeds: firstSeed … firstSeed + seeds − 1. */
  seeds: number;
  /** The first seed (default 0). */
  firstSeed?: number;
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
  if (options.csv && !existsSync(options.csv)) writeFileSync(options.csv, toCsv([]));
  const first = options.firstSeed ?? 0;
  for (let seed = first; seed < first + options.seeds; seed++) {
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
          // Deno's own append: node:fs appendFileSync sets the file's mode to 0666.
          Deno.writeTextFileSync(options.csv, toCsv(measured).split("\n").slice(1).join("\n"), {
            append: true,
          });
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
      "Input transform: both metahpo and the BoTorch peer optimise every function in its unit-cube " +
      "encoding (BoTorch's `Normalize` would be the identity), so no arm changes it; both " +
      "standardise the outcome (metahpo with the population, BoTorch's `Standardize` with the " +
      "unbiased standard deviation), and `outcome-log` adds a log transform before that.",
      "",
      ...tables.map(markdownTable),
    ].join("\n"),
  );
}

/** The `ablation` suite. */
export const ablationSuite: Suite = {
  name: "ablation",
  description: "GP-BO design choices toggled one at a time on 8 functions",
  budgetUse: "evaluations per run (default 50)",
  outputFiles: ["ablation.csv", "ablation.md"],
  async run(config) {
    const budget = config.budget ?? 50;
    const seeds = config.seeds ?? (config.size === "full" ? 20 : 5);
    const csv = join(config.outDir, "ablation.csv");
    writeFileSync(csv, toCsv([]));
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
