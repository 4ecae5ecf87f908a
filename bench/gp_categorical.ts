/**
 * One-hot against Hamming categoricals in the GP optimiser, side by side in the same run: the
 * default `bayesOpt` GP (`gpFactory({ kernel: "matern52", priors: "gamma", mean: "constant" })`,
 * Yeo–Johnson outcome transform) with `categorical: "one-hot"` (the default: one ARD lengthscale
 * per one-hot column) and with `categorical: "hamming"` (BoTorch's `MixedSingleTaskGP` kernel,
 * one lengthscale per categorical parameter and term), on
 *
 * - `wide-categorical`: 4 categoricals of 10, 12, 15 and 20 levels and 2 floats in [0, 1]:
 *   f = Σⱼ aⱼ[cⱼ] + 4·(x₁ − m[c₁])² + (x₂ − 0.3)²·(1 + 3·b[c₂]), with level effects aⱼ,
 *   optimum m and curvature b drawn once from `Rng(20260)` (aⱼ ~ U(0, 1), m ~ U(0.1, 0.9),
 *   b ~ U(0, 1)); the minimum Σⱼ min aⱼ is known;
 * - `switch-bh3h6`: the conditional switch between Branin, Hartmann-3 and Hartmann-6
 *   (`switchBH3H6`, lib/tasks/synthetic), known minimum.
 *
 * Both spaces are mostly categorical or conditional, so `acquisitionOptimizer: "auto"` runs
 * SMAC's local search for both arms. Per problem and arm over seeds: the median (distribution-free
 * 95% interval, `summarise`) of the regret (best value − minimum) after `--budget` evaluations,
 * the median GP fit time per ask (the surrogate factory's `fit`, timed around it; one fit per ask
 * here), and the paired difference one-hot − hamming of the regret (> 0: hamming better). Writes
 * `results.csv`, `summary.csv`, `summary.md` and `provenance.json` into `--out` (default
 * `out/gp_categorical`).
 *
 * ```sh
 * deno run -A --lock=deno.lock bench/gp_categorical.ts [--seeds 10] [--first-seed 0]
 *   [--budget 40] [--problems wide-categorical,switch-bh3h6] [--out DIR]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { gpFactory } from "../lib/gp/mod.ts";
import type { SurrogateFactory } from "../lib/models/surrogate.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import { minimize } from "../lib/smbo/minimize.ts";
import { categorical, defineSpace, float, type Space } from "../lib/space/mod.ts";
import { switchBH3H6 } from "../lib/tasks/synthetic/mod.ts";
import { Rng } from "../lib/random/rng.ts";
import { bestSoFar, signCounts, summarise } from "../lib/stats/mod.ts";
import { markdownTable, provenanceLine, type ResultRow } from "../lib/results/mod.ts";
import { formatInterval } from "../lib/viz/table.ts";
import { integerArg } from "./args.ts";
import { runProvenance, writeBenchOutput } from "./provenance.ts";

/** Defaults of the command line. */
export const GP_CATEGORICAL_DEFAULTS = {
  seeds: 10,
  firstSeed: 0,
  budget: 40,
  problems: ["wide-categorical", "switch-bh3h6"],
  out: "out/gp_categorical",
} as const;

/** The arms, in table order. */
export const ARMS = ["one-hot", "hamming"] as const;

/** A benchmark problem: a space, an objective on configurations and its known minimum. */
export interface CategoricalProblem {
  /** Problem name. */
  name: string;
  /** The search space. */
  space: Space;
  /** The objective. */
  objective: (params: Record<string, unknown>) => number;
  /** The known minimum. */
  minimum: number;
}

/** Levels of the wide problem's categoricals. */
const WIDE_LEVELS = [10, 12, 15, 20];

/** The `wide-categorical` problem (see the module documentation). */
export function wideCategorical(): CategoricalProblem {
  const rng = new Rng(20260);
  const effects = WIDE_LEVELS.map((l) => Array.from({ length: l }, () => rng.uniform()));
  const optimum = Array.from({ length: WIDE_LEVELS[0] }, () => rng.uniformIn(0.1, 0.9));
  const curvature = Array.from({ length: WIDE_LEVELS[1] }, () => rng.uniform());
  const definition: Record<string, ReturnType<typeof float> | ReturnType<typeof categorical>> = {};
  WIDE_LEVELS.forEach((l, j) => {
    definition[`c${j}`] = categorical(Array.from({ length: l }, (_, k) => k));
  });
  definition.x1 = float(0, 1);
  definition.x2 = float(0, 1);
  const space = defineSpace(definition);
  return {
    name: "wide-categorical",
    space,
    objective: (p) => {
      const c = WIDE_LEVELS.map((_, j) => p[`c${j}`] as number);
      const x1 = p.x1 as number, x2 = p.x2 as number;
      let f = 0;
      c.forEach((level, j) => f += effects[j][level]);
      return f + 4 * (x1 - optimum[c[0]]) ** 2 + (x2 - 0.3) ** 2 * (1 + 3 * curvature[c[1]]);
    },
    minimum: effects.reduce((s, e) => s + Math.min(...e), 0),
  };
}

/** The problems by name. */
export const PROBLEMS: Record<string, () => CategoricalProblem> = {
  "wide-categorical": wideCategorical,
  "switch-bh3h6": () => ({
    name: "switch-bh3h6",
    space: switchBH3H6.space,
    objective: (p) => switchBH3H6.objective(p as never),
    minimum: switchBH3H6.minimum,
  }),
};

/** A factory that adds the time of every `fit` to `timer`. */
function timed(factory: SurrogateFactory, timer: { seconds: number; fits: number }) {
  return {
    ...factory,
    fit: (...args: Parameters<SurrogateFactory["fit"]>) => {
      const started = performance.now();
      try {
        return factory.fit(...args);
      } finally {
        timer.seconds += (performance.now() - started) / 1000;
        timer.fits++;
      }
    },
  } as SurrogateFactory;
}

/** One run: the regret after `budget` evaluations and the mean fit time per fit. */
export async function categoricalRun(
  problem: CategoricalProblem,
  arm: typeof ARMS[number],
  seed: number,
  budget: number,
): Promise<{ regret: number; fitSeconds: number; fits: number; wallSeconds: number }> {
  const timer = { seconds: 0, fits: 0 };
  const surrogate = timed(
    gpFactory({ kernel: "matern52", priors: "gamma", mean: "constant", categorical: arm }),
    timer,
  );
  const started = performance.now();
  const result = await minimize(problem.objective, problem.space, {
    budget,
    seed,
    // bayesOpt's defaults; a given surrogate would otherwise switch the transform off.
    proposer: bayesOpt({ surrogate, outcomeTransform: "yeo-johnson" }),
  });
  const best = bestSoFar(result.trials.map((t) => t.value ?? NaN));
  return {
    regret: best[best.length - 1] - problem.minimum,
    fitSeconds: timer.fits > 0 ? timer.seconds / timer.fits : NaN,
    fits: timer.fits,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

if (import.meta.main) {
  const started = performance.now();
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string", default: String(GP_CATEGORICAL_DEFAULTS.seeds) },
      "first-seed": { type: "string", default: String(GP_CATEGORICAL_DEFAULTS.firstSeed) },
      budget: { type: "string", default: String(GP_CATEGORICAL_DEFAULTS.budget) },
      problems: { type: "string", default: GP_CATEGORICAL_DEFAULTS.problems.join(",") },
      out: { type: "string", default: GP_CATEGORICAL_DEFAULTS.out },
    },
    strict: true,
  });
  const seeds = integerArg(values.seeds, "seeds", 1);
  const firstSeed = integerArg(values["first-seed"], "first-seed", 0);
  const budget = integerArg(values.budget, "budget", 2);
  const problems = values.problems.split(",").map((name) => {
    const make = PROBLEMS[name.trim()];
    if (make === undefined) {
      throw new RangeError(
        `--problems: unknown problem "${name}" (${Object.keys(PROBLEMS).join(", ")})`,
      );
    }
    return make();
  });
  const out = values.out;

  const rows: ResultRow[] = [];
  const summaryRecords: Record<string, string | number>[] = [];
  const pairedRecords: Record<string, string | number>[] = [];
  const armRows: string[][] = [];
  const pairedRows: string[][] = [];
  for (const problem of problems) {
    const regrets: Record<string, number[]> = { "one-hot": [], hamming: [] };
    const fitTimes: Record<string, number[]> = { "one-hot": [], hamming: [] };
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      // Both arms on the same seed back to back, so load drifts hit them alike.
      for (const arm of ARMS) {
        const run = await categoricalRun(problem, arm, seed, budget);
        regrets[arm].push(run.regret);
        fitTimes[arm].push(run.fitSeconds);
        const base = { suite: "gp_categorical", task: problem.name, method: arm, seed };
        rows.push({ ...base, step: budget, metric: "regret", value: run.regret });
        rows.push({ ...base, step: budget, metric: "fit_seconds_per_ask", value: run.fitSeconds });
        rows.push({ ...base, step: budget, metric: "wall_seconds", value: run.wallSeconds });
        console.error(
          `${problem.name} ${arm} seed ${seed}: regret ${run.regret.toPrecision(3)}, ` +
            `fit ${(1000 * run.fitSeconds).toFixed(1)} ms/ask over ${run.fits} fits, ` +
            `run ${run.wallSeconds.toFixed(1)} s`,
        );
      }
    }
    for (const arm of ARMS) {
      const regret = summarise(regrets[arm], "median");
      const fit = summarise(fitTimes[arm], "median");
      summaryRecords.push({
        problem: problem.name,
        arm,
        n: regret.n,
        regret_median: regret.center,
        regret_lower: regret.lower,
        regret_upper: regret.upper,
        fit_ms_median: 1000 * fit.center,
        fit_ms_lower: 1000 * fit.lower,
        fit_ms_upper: 1000 * fit.upper,
      });
      armRows.push([
        problem.name,
        arm,
        String(regret.n),
        formatInterval(regret),
        formatInterval(fit, 1000),
      ]);
    }
    const diff = regrets["one-hot"].map((v, i) => v - regrets.hamming[i]);
    const med = summarise(diff, "median");
    const { above: better, zero: same, below: worse } = signCounts(diff);
    const ratio = summarise(fitTimes.hamming.map((h, i) => h / fitTimes["one-hot"][i]), "median");
    pairedRecords.push({
      problem: problem.name,
      n: diff.length,
      regret_difference_median: med.center,
      regret_difference_lower: med.lower,
      regret_difference_upper: med.upper,
      hamming_better: better,
      same,
      hamming_worse: worse,
      fit_time_ratio_median: ratio.center,
      fit_time_ratio_lower: ratio.lower,
      fit_time_ratio_upper: ratio.upper,
    });
    pairedRows.push([
      problem.name,
      formatInterval(med),
      `${better} / ${same} / ${worse}`,
      formatInterval(ratio),
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/gp_categorical.ts", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  const seedText = `seeds ${firstSeed} … ${firstSeed + seeds - 1}`;
  const armTitle =
    `gp_categorical: regret after ${budget} evaluations and GP fit time per ask, ${seedText}`;
  const pairedTitle =
    `gp_categorical: paired one-hot − hamming (regret difference > 0: hamming better; fit time ` +
    `ratio hamming / one-hot), ${seedText}`;
  const markdown = [
    "# GP categoricals: one-hot ARD columns vs the Hamming (MixedSingleTaskGP) kernel",
    "",
    provenanceLine(provenance),
    "",
    "Both arms: `bayesOpt` with the default GP options (Matérn-5/2, Gamma priors, constant " +
    "mean, Yeo–Johnson), `gpFactory({ categorical })`; SMAC's local search maximises LogEI on " +
    "both spaces. Medians with their distribution-free 95% intervals over seeds.",
    "",
    `## ${armTitle}`,
    "",
    markdownTable(
      ["problem", "arm", "seeds", "regret: median [95% CI]", "fit ms/ask: median [95% CI]"],
      armRows,
    ),
    "",
    `## ${pairedTitle}`,
    "",
    markdownTable(
      [
        "problem",
        "regret difference: median [95% CI]",
        "hamming better / same / worse",
        "fit time ratio: median [95% CI]",
      ],
      pairedRows,
    ),
    "",
  ].join("\n");
  await writeBenchOutput(out, {
    rows,
    sections: [
      { title: armTitle, records: summaryRecords },
      { title: pairedTitle, records: pairedRecords },
    ],
    markdown,
    provenance,
  });
  console.log(markdown);
  console.log(`wall time ${seconds.toFixed(1)} s; written to ${out}/`);
}
