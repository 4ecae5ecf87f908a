/**
 * Design study of the `smac()` preset: variants of SMAC3's choices run on the synthetic
 * functions of the `rf` suite (and the conditional `switchBH3H6`), on seeds disjoint from the
 * suite's own (default 100–119), with Optuna's TPE beside them when `--peers` is given. Prints
 * one Markdown table per budget read: the median regret over seeds and, in brackets, the
 * geometric mean (less sensitive to which seed sits in the middle). The results behind the
 * defaults of `SMAC_DEFAULTS` are in `results/rf/README.md`.
 *
 * usage: deno run -A bench/rf_variants.ts [--variants base,uniform,...] [--first-seed 100]
 *   [--seeds 20] [--budget 50] [--problems branin,hartmann3,...,switch] [--peers]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { minimize } from "../lib/smbo/minimize.ts";
import { smac, smacInitialDesignSize, type SmacOptions } from "../lib/smbo/presets.ts";
import { getSyntheticFunction, switchBH3H6 } from "../lib/tasks/synthetic/mod.ts";
import { bestSoFar, median } from "../lib/stats/mod.ts";
import type { Space } from "../lib/space/mod.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { runOptunaAskTell } from "./asktell_peer.ts";

/** The variants: each changes the current defaults of `smac()` in one or two places. */
export const RF_VARIANTS: Readonly<Record<string, SmacOptions>> = {
  /** The defaults of `smac()`. */
  default: {},
  /** Thresholds halfway between neighbouring values (CART) instead of pyrfr's uniform draw. */
  midpoint: { forest: { splitValue: "midpoint" } },
  /** EI against the lowest observed value instead of the lowest predicted mean. */
  observed: { incumbentValue: "observed" },
  /** Both: the preset before the split value and the incumbent followed SMAC3. */
  "midpoint+observed": { forest: { splitValue: "midpoint" }, incumbentValue: "observed" },
  /** Law of total variance over the leaves instead of the spread of the tree means. */
  "total-variance": { forest: { variance: "total" } },
  /** 30 trees instead of 10. */
  "trees-30": { forest: { nTrees: 30 } },
  /** SMAC's 10,000 random challengers instead of 1,000. */
  "challengers-10k": { localSearch: { randomSamples: 10_000 } },
  /** The RandomForest class's own defaults (5/6 of the inputs, 3 per split and leaf). */
  "rf-class-defaults": {
    forest: { ratioFeatures: 5 / 6, minSamplesSplit: 3, minSamplesLeaf: 3 },
  },
  /** No random configurations interleaved. */
  "no-random": { randomProbability: 0 },
};

interface Problem {
  name: string;
  space: Space;
  objective: (params: Record<string, unknown>) => number;
  minimum: number;
}

function problemOf(name: string): Problem {
  if (name === "switch") {
    return {
      name,
      space: switchBH3H6.space,
      objective: (p) => switchBH3H6.objective(p as never),
      minimum: switchBH3H6.minimum,
    };
  }
  const fn = getSyntheticFunction(name);
  return {
    name,
    space: fn.space,
    objective: (p) => fn.evaluate(fn.space.encode(p as never)),
    minimum: fn.minimum,
  };
}

/** Regret of the best value after `step` trials, per seed. */
type Regrets = Map<number, number[]>;

function regretsOf(curves: number[][], minimum: number, steps: readonly number[]): Regrets {
  return new Map(
    steps.map((step) => [step, curves.map((c) => Math.max(0, c[step - 1] - minimum))]),
  );
}

async function runVariant(
  options: SmacOptions,
  problem: Problem,
  seeds: readonly number[],
  budget: number,
): Promise<number[][]> {
  const curves: number[][] = [];
  for (const seed of seeds) {
    const result = await minimize(problem.objective, problem.space, {
      budget,
      seed,
      proposer: smac(options),
      initialDesignSize: smacInitialDesignSize(problem.space, budget),
    });
    curves.push(
      bestSoFar(result.trials.map((t) => (t.status === "complete" ? t.value! : Infinity))),
    );
  }
  return curves;
}

function geometricMean(values: readonly number[]): number {
  // Regrets of exactly 0 would send the mean to 0: they count as 1e-12.
  const logs = values.map((v) => Math.log(Math.max(v, 1e-12)));
  return Math.exp(logs.reduce((s, v) => s + v, 0) / logs.length);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      variants: { type: "string", default: Object.keys(RF_VARIANTS).join(",") },
      "first-seed": { type: "string", default: "100" },
      seeds: { type: "string", default: "20" },
      budget: { type: "string", default: "50" },
      problems: { type: "string", default: "branin,hartmann3,hartmann6,levy4,ackley5,switch" },
      peers: { type: "boolean", default: false },
    },
    strict: true,
  });
  const names = values.variants.split(",").filter(Boolean);
  const unknown = names.filter((n) => !(n in RF_VARIANTS));
  if (unknown.length > 0) {
    console.error(
      `unknown variants: ${unknown.join(", ")}; known: ${Object.keys(RF_VARIANTS).join(", ")}`,
    );
    Deno.exit(2);
  }
  const first = Number(values["first-seed"]);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => first + i);
  const budget = Number(values.budget);
  const steps = [25, budget].filter((s, i, a) => s <= budget && a.indexOf(s) === i);
  const problems = values.problems.split(",").filter(Boolean).map(problemOf);
  const methods = [...names, ...(values.peers ? ["optuna-tpe"] : [])];
  const results = new Map<string, Map<string, Regrets>>();
  for (const problem of problems) {
    const row = new Map<string, Regrets>();
    for (const name of names) {
      const start = performance.now();
      const curves = await runVariant(RF_VARIANTS[name], problem, seeds, budget);
      row.set(name, regretsOf(curves, problem.minimum, steps));
      console.error(
        `${problem.name} ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
    }
    if (values.peers) {
      const run = await runOptunaAskTell({
        space: problem.space.toJSON(),
        seeds,
        budget,
        objective: (params) => problem.objective(params),
      });
      if (!run.ok) throw new Error(`Optuna TPE did not run: ${run.reason}`);
      row.set(
        "optuna-tpe",
        regretsOf(run.runs.map((r) => bestSoFar(r.values)), problem.minimum, steps),
      );
    }
    results.set(problem.name, row);
  }
  for (const step of steps) {
    console.log(
      `\n### Regret @${step}: median [geometric mean] over seeds ${seeds[0]}–${seeds.at(-1)}\n`,
    );
    console.log(`|problem|${methods.join("|")}|`);
    console.log(`|:-|${methods.map(() => ":-").join("|")}|`);
    for (const problem of problems) {
      const row = results.get(problem.name)!;
      const cells = methods.map((m) => {
        const r = row.get(m)!.get(step)!;
        return `${formatNumber(median(r))} [${formatNumber(geometricMean(r))}]`;
      });
      console.log(`|${problem.name}|${cells.join("|")}|`);
    }
  }
}
