/**
 * Design study of the `smac()` preset: variants of SMAC3's choices run on the synthetic
 * functions of the `rf` suite, the conditional `switchBH3H6` (`switch`) and pool problems of the
 * meta-datasets (`pool:<source>:<task id>`, e.g. `pool:builtin:penguins/mlp`,
 * `pool:pmlb:210_cloud/rf`) and the suite's tfjs task (`mlp-opt`: the MLP with its optimiser
 * searched, on iris; regret against the best value any method of the invocation reached), on seeds disjoint from the suite's own (default 100–119), with
 * Optuna's TPE beside them when `--peers` is given (pool members matched as in the suite) and
 * the default GP optimiser (`bayesOpt()`, the study's default initial design) with `--gp`. Prints
 * one Markdown table per budget read: the median regret over seeds and, in brackets, the
 * geometric mean (less sensitive to which seed sits in the middle) or, with `--stat mean`, the
 * mean (for pools, where many regrets are exactly 0) or, with `--stat interval`, the median's
 * distribution-free 95% interval over seeds (`medianInterval`). With `--out DIR` the per-seed
 * regrets (`regrets.csv`: problem, method, seed, step, regret), the printed tables (`summary.md`)
 * and the run's provenance (`provenance.json`) are also written to DIR. The results behind the
 * defaults of `SMAC_DEFAULTS` are in `results/rf/README.md`.
 *
 * usage: deno run -A bench/rf_variants.ts [--variants base,uniform,...] [--first-seed 100]
 *   [--seeds 20] [--budget 50] [--problems branin,...,switch,pool:builtin:penguins/mlp] [--peers]
 *   [--gp] [--steps 10,25,50] [--stat geomean|mean|interval] [--pool-design random|sobol]
 *   [--design smac|study|ax] [--gp-design study,smac,ax] [--out DIR]
 *
 * Initial designs: the variants start from SMAC's (`smacInitialDesignSize`: at most 25% of the
 * budget, SMAC3 2.x's; the runs in `results/rf/README.md` had 10%, the ratio of SMAC3's 2.0.0
 * pre-releases, `{ maxRatio: 0.1 }`)
 * and the GP from the study's (`budgetedDesignSize`: `max(5, 2p + 1)` points, at most
 * `max(5, ⌊budget / 2⌋)`); `--design study` and `--gp-design smac` swap them, so that the
 * model and the design can be told apart. `--gp-design` takes a list (one GP arm per design). `ax` is Ax's rule (`calculate_num_initialization_trials`:
 * `2p` design points, at most a fifth of the budget, at least 5; here `2p + 1` as the study's).
 *
 * On pools the variants' initial design is `--pool-design`: `random` (default) the study's
 * (uniformly drawn candidates), `sobol` SMAC's Sobol design mapped to the nearest candidates
 * (`sobolPoolDesign`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { minimize } from "../lib/smbo/minimize.ts";
import {
  interleaveRandom,
  smac,
  SMAC_DEFAULTS,
  smacInitialDesignSize,
  type SmacOptions,
} from "../lib/smbo/presets.ts";
import { randomForest } from "../lib/models/random_forest.ts";
import { Rng } from "../lib/random/rng.ts";
import { budgetedDesignSize, DESIGN_DEFAULTS, initialDesign } from "../lib/space/design.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import type { Proposer } from "../lib/smbo/proposer.ts";
import { nearestCandidates } from "../lib/smbo/_proposal.ts";
import { getSyntheticFunction, switchBH3H6 } from "../lib/tasks/synthetic/mod.ts";
import { bestSoFar, median, medianInterval } from "../lib/stats/mod.ts";
import type { Space } from "../lib/space/mod.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { poolProblems, runTpe } from "./suites/rf.ts";
import { prepareBuiltinDataset } from "../lib/data/mod.ts";
import { hpoTask } from "../lib/tasks/hpo/mod.ts";
import { runProvenance } from "./provenance.ts";

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
  /** Inactive inputs imputed outside the range (SMAC3's `_impute_inactive`), not missing. */
  impute: { forest: { inactive: "impute" } },
  /**
   * SMAC3's neighbourhood (`smac.utils.configspace.get_one_exchange_neighbourhood`: 8
   * neighbours per continuous parameter, standard deviation 0.05) instead of ConfigSpace's
   * own defaults (4, 0.2).
   */
  "smac3-neighbours": { localSearch: { continuousNeighbours: 8, stepScale: 0.05 } },
  /** Both of the above. */
  "impute+smac3-neighbours": {
    forest: { inactive: "impute" },
    localSearch: { continuousNeighbours: 8, stepScale: 0.05 },
  },
  /**
   * SMAC3's `ConfigSelector(retrain_after=8)`: one fit of the forest proposes the 8 best of
   * a challenger list (sorted random samples and local-search end points, SMAC3 2.0's list;
   * from SMAC3 2.1 on the end points only).
   */
  "retrain-8": { retrainAfter: 8 },
  /** Steepest ascent in the local search (the best neighbour) instead of SMAC's first improvement. */
  "best-improvement": { localSearch: { improvement: "best" } },
  /**
   * Extremely randomised splits (one uniform threshold per input between the node's extremes),
   * scikit-learn's `splitter="random"`, the forest of SMAC3 ≥ 2.4: the preset's default since
   * the commit after 1c361b8, so this arm equals `default` from then on.
   */
  "random-splits": { forest: { splitter: "random" } },
  /**
   * pyrfr's best split (SMAC3 up to 2.3), its threshold drawn uniformly in the gap: the preset's
   * default up to commit 1c361b8's design study.
   */
  "best-splits": { forest: { splitter: "best" } },
  /**
   * One random partition of a categorical input's levels per node (extremely randomised trees'
   * treatment of categoricals, Geurts, Ernst & Wehenkel 2006) instead of its best partition,
   * which competes against the numeric inputs' single random thresholds.
   */
  "random-categorical": { forest: { categoricalSplit: "random" } },
};

/**
 * Variants that are not options of `smac()`: the proposer itself. `plain-costs` fits the same
 * forest to the standardised costs and maximises plain EI, as SMAC3 does with its plain
 * `RunHistoryEncoder` and `EI(log=False)`, instead of log-scaled costs and EI for log-transformed
 * costs (the hyperparameter-optimisation facade's `RunHistoryLogScaledEncoder`, `EI(log=True)`).
 */
export const RF_PROPOSER_VARIANTS: Readonly<Record<string, () => Proposer>> = {
  "plain-costs": () =>
    interleaveRandom(
      bayesOpt({
        surrogate: randomForest({ ...SMAC_DEFAULTS.forest }),
        acquisition: "ei",
        outcomeTransform: "none",
        acquisitionOptimizer: "local-search",
        localSearch: { ...SMAC_DEFAULTS.localSearch },
        incumbentValue: SMAC_DEFAULTS.incumbentValue,
      }),
      SMAC_DEFAULTS.randomProbability,
    ),
};

interface Problem {
  name: string;
  space: Space;
  objective: (params: Record<string, unknown>) => number | Promise<number>;
  minimum: number;
  /** Pool mode: the candidates. */
  candidates?: Record<string, unknown>[];
}

async function problemOf(name: string, budget: number): Promise<Problem> {
  if (name === "mlp-opt") {
    // The rf suite's tfjs task: the MLP with its optimiser searched (conditional), iris.
    const data = await prepareBuiltinDataset("iris", { seed: 0, maxRows: 400 });
    const task = hpoTask(data, { model: "mlp-opt", metric: "loss" });
    return { name, space: task.space, objective: (p) => task.objective(p), minimum: NaN };
  }
  if (name.startsWith("pool:")) {
    const [, source, id] = name.split(":");
    if (source !== "builtin" && source !== "pmlb") {
      throw new RangeError(`${name}: the source must be builtin or pmlb`);
    }
    const model = id?.split("/")[1];
    const [problem] = await poolProblems(
      source,
      model as never,
      (ids) => ids.filter((i) => i === id),
      budget,
      1,
    );
    if (problem === undefined) throw new RangeError(`${name}: no such pool task`);
    return { ...problem, name };
  }
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

/**
 * SMAC's initial design transferred to a pool: SMAC3's `SobolInitialDesign` draws scrambled Sobol
 * points on the configuration space; each is replaced by the unused candidate nearest to it
 * (Euclidean distance between encoded points), in design order, so that the design spreads over
 * the space rather than over the candidates.
 */
function sobolPoolDesign(
  space: Space,
  candidates: readonly Record<string, unknown>[],
  size: number,
  seed: number,
): Record<string, unknown>[] {
  const encoded = candidates.map((c) => space.encode(c as never));
  const design = initialDesign(space, Math.min(size, candidates.length), new Rng(seed), "sobol");
  return nearestCandidates(encoded, design).map((i) => candidates[i]);
}

async function runVariant(
  proposer: () => Proposer,
  problem: Problem,
  seeds: readonly number[],
  budget: number,
  initialDesignSize: number | undefined,
  poolDesign: "random" | "sobol",
): Promise<number[][]> {
  const curves: number[][] = [];
  for (const seed of seeds) {
    const sobolPool = problem.candidates !== undefined && poolDesign === "sobol" &&
      initialDesignSize !== undefined;
    const result = await minimize(problem.objective, problem.space, {
      budget,
      seed,
      proposer: proposer(),
      ...(initialDesignSize === undefined ? {} : { initialDesignSize }),
      ...(problem.candidates ? { candidates: problem.candidates } : {}),
      ...(sobolPool
        ? {
          initialDesignSize: 0,
          initialConfigurations: sobolPoolDesign(
            problem.space,
            problem.candidates!,
            initialDesignSize!,
            seed,
          ),
        }
        : {}),
    });
    curves.push(
      bestSoFar(result.trials.map((t) => (t.status === "complete" ? t.value! : Infinity))),
    );
  }
  return curves;
}

/** Ax's design size: `max(5, min(2p + 1, ⌊budget / 5⌋))`, never more than the budget. */
function axDesignSize(space: Space, budget: number): number {
  return Math.min(
    budget,
    Math.max(5, Math.min(DESIGN_DEFAULTS.size(space), Math.floor(budget / 5))),
  );
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
      gp: { type: "boolean", default: false },
      steps: { type: "string", default: "" },
      stat: { type: "string", default: "geomean" },
      "pool-design": { type: "string", default: "random" },
      design: { type: "string", default: "smac" },
      "gp-design": { type: "string", default: "study" },
      out: { type: "string" },
    },
    strict: true,
  });
  const names = values.variants.split(",").filter(Boolean);
  const unknown = names.filter((n) => !(n in RF_VARIANTS) && !(n in RF_PROPOSER_VARIANTS));
  if (unknown.length > 0) {
    console.error(
      `unknown variants: ${unknown.join(", ")}; known: ${
        [...Object.keys(RF_VARIANTS), ...Object.keys(RF_PROPOSER_VARIANTS)].join(", ")
      }`,
    );
    Deno.exit(2);
  }
  if (values.stat !== "geomean" && values.stat !== "mean" && values.stat !== "interval") {
    console.error(`--stat: geomean, mean or interval, got ${values.stat}`);
    Deno.exit(2);
  }
  const poolDesign = values["pool-design"];
  if (poolDesign !== "random" && poolDesign !== "sobol") {
    console.error(`--pool-design: random or sobol, got ${poolDesign}`);
    Deno.exit(2);
  }
  const designOf = (flag: string, value: string) => {
    if (value !== "smac" && value !== "study" && value !== "ax") {
      console.error(`--${flag}: smac, study or ax, got ${value}`);
      Deno.exit(2);
    }
    return (space: Space, budget: number) =>
      value === "smac"
        ? smacInitialDesignSize(space, budget)
        : value === "ax"
        ? axDesignSize(space, budget)
        : budgetedDesignSize(space, budget);
  };
  const variantDesign = designOf("design", values.design);
  // One GP arm per design named in --gp-design: "gp" for the study's, "gp (<design> design)" else.
  const gpDesigns = values["gp-design"].split(",").filter(Boolean).map((name) => ({
    name,
    arm: name === "study" ? "gp" : `gp (${name} design)`,
    size: designOf("gp-design", name),
  }));
  const started = performance.now();
  const statName = values.stat === "mean"
    ? "mean"
    : values.stat === "interval"
    ? "95% interval of the median"
    : "geometric mean";
  const stat = values.stat === "mean"
    ? (r: readonly number[]) => formatNumber(r.reduce((s, v) => s + v, 0) / r.length)
    : values.stat === "interval"
    ? (r: readonly number[]) => {
      const { lower, upper } = medianInterval(r);
      return `${formatNumber(lower)}, ${formatNumber(upper)}`;
    }
    : (r: readonly number[]) => formatNumber(geometricMean(r));
  const first = Number(values["first-seed"]);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => first + i);
  const budget = Number(values.budget);
  const steps = (values.steps ? values.steps.split(",").map(Number) : [25, budget])
    .filter((s, i, a) => s >= 1 && s <= budget && a.indexOf(s) === i);
  const problems: Problem[] = [];
  for (const name of values.problems.split(",").filter(Boolean)) {
    problems.push(await problemOf(name, budget));
  }
  // A variant's arm: its name, and the design when it is not SMAC's.
  const armOf = (name: string) =>
    values.design === "smac" ? name : `${name} (${values.design} design)`;
  const methods = [
    ...names.map(armOf),
    ...(values.gp ? gpDesigns.map((d) => d.arm) : []),
    ...(values.peers ? ["optuna-tpe"] : []),
  ];
  const results = new Map<string, Map<string, Regrets>>();
  for (const problem of problems) {
    const curvesOf = new Map<string, number[][]>();
    const runs: [string, () => Proposer, number | undefined][] = names.map((name) => [
      armOf(name),
      name in RF_VARIANTS ? () => smac(RF_VARIANTS[name]) : RF_PROPOSER_VARIANTS[name],
      variantDesign(problem.space, budget),
    ]);
    // The GP's default (study) design is minimize's own: undefined, as before the flag, so that a
    // Sobol pool design (`--pool-design sobol`) stays the variants' only.
    if (values.gp) {
      for (const design of gpDesigns) {
        runs.push([
          design.arm,
          () => bayesOpt(),
          design.name === "study" ? undefined : design.size(problem.space, budget),
        ]);
      }
    }
    for (const [name, proposer, design] of runs) {
      const start = performance.now();
      curvesOf.set(name, await runVariant(proposer, problem, seeds, budget, design, poolDesign));
      console.error(
        `${problem.name} ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
    }
    if (values.peers) {
      const notes: string[] = [];
      const runs = await runTpe(
        { ...problem, group: "synthetic", budget, seeds: seeds.length },
        { notes },
        seeds[0],
      );
      if (runs === undefined) throw new Error(`Optuna TPE did not run: ${notes.join("; ")}`);
      curvesOf.set("optuna-tpe", runs.map((r) => bestSoFar(r.values)));
    }
    // Unknown minimum (the tfjs task): the best value any method reached in this invocation.
    const minimum = Number.isNaN(problem.minimum)
      ? Math.min(...[...curvesOf.values()].flat().map((c) => c[c.length - 1]))
      : problem.minimum;
    results.set(
      problem.name,
      new Map([...curvesOf].map(([name, curves]) => [name, regretsOf(curves, minimum, steps)])),
    );
  }
  const lines: string[] = [];
  for (const step of steps) {
    lines.push(
      `\n### Regret @${step}: median [${statName}] over seeds ${seeds[0]}–${seeds.at(-1)}\n`,
    );
    lines.push(`|problem|${methods.join("|")}|`);
    lines.push(`|:-|${methods.map(() => ":-").join("|")}|`);
    for (const problem of problems) {
      const row = results.get(problem.name)!;
      const cells = methods.map((m) => {
        const r = row.get(m)!.get(step)!;
        return `${formatNumber(median(r))} [${stat(r)}]`;
      });
      lines.push(`|${problem.name}|${cells.join("|")}|`);
    }
  }
  console.log(lines.join("\n"));
  if (values.out !== undefined) {
    await Deno.mkdir(values.out, { recursive: true });
    const csv = ["problem,method,seed,step,regret"];
    for (const [problem, row] of results) {
      for (const [method, regrets] of row) {
        for (const [step, r] of regrets) {
          r.forEach((v, i) => csv.push(`${problem},${method},${seeds[i]},${step},${v}`));
        }
      }
    }
    await Deno.writeTextFile(`${values.out}/regrets.csv`, csv.join("\n") + "\n");
    await Deno.writeTextFile(`${values.out}/summary.md`, lines.join("\n").trimStart() + "\n");
    const command = `deno run -A bench/rf_variants.ts ${Deno.args.join(" ")}`;
    const provenance = await runProvenance(command, (performance.now() - started) / 1000);
    await Deno.writeTextFile(
      `${values.out}/provenance.json`,
      JSON.stringify(provenance, null, 2) + "\n",
    );
  }
}
