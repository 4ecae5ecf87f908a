/**
 * Diagnosis of random-forest SMBO (`smac()`) next to the GP default (`bayesOpt()`) on the
 * conditional switch problem `switchBH3H6` (`fn` ∈ {branin, hartmann3, hartmann6} with offsets
 * 0.5, 0.25 and 0: the global minimum lies in the 6-dimensional branch, the 3-dimensional one
 * holds a decoy at 0.25), on seeds disjoint from the `rf` suite's (default 100–119), each method
 * with the initial design it has in the suite (SMAC's for `smac()`, the study's default for the
 * GP). Prints three Markdown tables:
 *
 * 1. where each run's best configuration lies after the budget: per branch, how many runs end
 *    there and the median regret inside the branch (value − the branch's offset);
 * 2. the model's late proposals (evaluations after `--late`): how many improved the incumbent,
 *    their distance to the incumbent (max-norm in the encoded unit cube), how the late
 *    evaluations split over the branches, and how many were random configurations (SMAC's
 *    random design);
 * 3. the forest's predictive standard deviation (the spread of the tree means, on log-scaled
 *    costs, as `smac()` fits it) after `--steps` evaluations: near the incumbent (500 normal
 *    perturbations of σ = 0.05 of its active continuous columns), at 3,000 uniform random
 *    configurations of its branch and of the other branches, and the share of the 100 points
 *    of highest log-normal EI among all of these that lie in the incumbent's branch.
 *
 * usage: deno run -A bench/rf_switch.ts [--first-seed 100] [--seeds 20] [--budget 50]
 *   [--late 25] [--steps 25,50] [--splitter random|best] [--designs own|swapped]
 *
 * `--designs swapped` gives each method the other's initial design (the study's default,
 * `budgetedDesignSize`, to `smac()`; SMAC's, `smacInitialDesignSize`, to the GP), to tell the
 * model from the design.
 *
 * `--splitter best` runs `smac({ forest: { splitter: "best" } })` (pyrfr's trees, SMAC3 up to
 * 2.3, the preset's default before SMAC3 2.4's extremely randomised trees) in place of `smac()`,
 * and fits the spread of table 3 with it.
 *
 * The readings are in `results/rf/README.md`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { minimize } from "../lib/smbo/minimize.ts";
import { budgetedDesignSize } from "../lib/space/design.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import {
  interleaveRandom,
  smac,
  SMAC_DEFAULTS,
  smacInitialDesignSize,
} from "../lib/smbo/presets.ts";
import type { Proposer } from "../lib/smbo/proposer.ts";
import { randomForest } from "../lib/models/random_forest.ts";
import { standardizeTargets } from "../lib/gp/standardize.ts";
import { logScaled } from "../lib/models/outcome_transform.ts";
import { lognormalExpectedImprovementOf } from "../lib/acquisition/expected_improvement.ts";
import { type ConditionalSynthetic, switchBH3H6 } from "../lib/tasks/synthetic/mod.ts";
import { Rng } from "../lib/random/rng.ts";
import { median } from "../lib/stats/mod.ts";
import { formatNumber } from "../lib/viz/table.ts";

/** One evaluation of a run: its encoded point, value, branch and whether the model chose it. */
export interface TracedTrial {
  /** The encoded configuration. */
  u: Float64Array;
  /** The objective value. */
  value: number;
  /** The branch (`fn`) of the configuration. */
  branch: string;
  /** Whether the surrogate proposed it (not the initial design, not a random configuration). */
  model: boolean;
}

/** What the model's proposals after `late` evaluations did, from a run's trace. */
export interface LateProposals {
  /** Model proposals after the first `late` evaluations. */
  count: number;
  /** How many of them were lower than every earlier value. */
  improved: number;
  /** Their max-norm distances to the incumbent (the best earlier point). */
  distances: number[];
  /** Evaluations after `late` per branch (all sources). */
  perBranch: Record<string, number>;
  /** Random configurations after `late`. */
  random: number;
}

/**
 * The late proposals of one run: for each evaluation after the first `late`, its branch and
 * source, and for the model's proposals whether they improved the incumbent and how far they lie
 * from it.
 *
 * @example
 * ```ts
 * import { lateProposals } from "./rf_switch.ts";
 * const t = (x: number, value: number, model: boolean) => ({
 *   u: Float64Array.of(x), value, branch: "a", model,
 * });
 * lateProposals([t(0, 3, false), t(0.5, 2, true), t(0.6, 1, true)], 1).improved; // 2
 * ```
 */
export function lateProposals(trace: readonly TracedTrial[], late: number): LateProposals {
  const out: LateProposals = { count: 0, improved: 0, distances: [], perBranch: {}, random: 0 };
  let best = Infinity;
  let incumbent: Float64Array | undefined;
  trace.forEach((trial, i) => {
    if (i >= late) {
      out.perBranch[trial.branch] = (out.perBranch[trial.branch] ?? 0) + 1;
      if (!trial.model) out.random++;
      else if (incumbent !== undefined) {
        out.count++;
        if (trial.value < best) out.improved++;
        let d = 0;
        for (let j = 0; j < trial.u.length; j++) {
          d = Math.max(d, Math.abs(trial.u[j] - incumbent[j]));
        }
        out.distances.push(d);
      }
    }
    if (trial.value < best) [best, incumbent] = [trial.value, trial.u];
  });
  return out;
}

/**
 * Where a run's best configuration lies: its branch and its regret inside the branch (its value
 * minus the branch's offset).
 *
 * @example
 * ```ts
 * import { bestBranch } from "./rf_switch.ts";
 * import { switchBH3H6 } from "../lib/tasks/synthetic/mod.ts";
 * const u = Float64Array.of(0);
 * bestBranch([{ u, value: 0.26, branch: "hartmann3", model: true }], switchBH3H6);
 * // { branch: "hartmann3", within: 0.01 } (up to rounding)
 * ```
 */
export function bestBranch(
  trace: readonly TracedTrial[],
  problem: Pick<ConditionalSynthetic, "branches">,
): { branch: string; within: number } {
  const best = trace.reduce((a, t) => (t.value < a.value ? t : a));
  const offset = problem.branches.find((b) => b.fn.name === best.branch)?.offset;
  if (offset === undefined) throw new RangeError(`no branch named ${best.branch}`);
  return { branch: best.branch, within: best.value - offset };
}

const problem = switchBH3H6;
const space = problem.space;
const branchNames = problem.branches.map((b) => b.fn.name);
const branchOf = (u: Float64Array) => (space.decode(u) as Record<string, string>).fn;

/** One run of `method` on the switch problem, traced. */
async function run(
  method: "smac" | "gp",
  seed: number,
  budget: number,
  splitter: "best" | "random",
  swapDesigns = false,
): Promise<TracedTrial[]> {
  const chosen = new Set<string>();
  let proposer: Proposer;
  if (method === "gp") proposer = bayesOpt();
  else {
    // smac() is interleaveRandom(model, p) around its model proposer: the same proposer with
    // the model's proposals recorded.
    const model = smac({ randomProbability: 0, forest: { splitter } });
    proposer = interleaveRandom({
      name: "smac",
      propose(context, q) {
        const points = model.propose(context, q);
        for (const p of points) chosen.add(p.join(","));
        return points;
      },
    }, SMAC_DEFAULTS.randomProbability);
  }
  const result = await minimize((p) => problem.objective(p as never), space, {
    budget,
    seed,
    proposer,
    // SMAC's design for smac() and the study's default (minimize's own) for the GP, or each
    // the other's with `--designs swapped`.
    ...((method === "smac") !== swapDesigns
      ? { initialDesignSize: smacInitialDesignSize(space, budget) }
      : { initialDesignSize: budgetedDesignSize(space, budget) }),
  });
  return result.trials.map((t) => {
    const u = space.encode(t.params as never);
    return {
      u,
      value: t.value!,
      branch: branchOf(u),
      model: t.source === "model" && (method === "gp" || chosen.has(u.join(","))),
    };
  });
}

/** The forest's spread near the incumbent, in its branch and elsewhere, after `step` trials. */
function spreadOf(
  trace: readonly TracedTrial[],
  step: number,
  seed: number,
  splitter: "best" | "random",
) {
  const trials = trace.slice(0, step);
  const points = trials.map((t) => t.u);
  const values = Float64Array.from(trials, (t) => t.value);
  // As smac() fits it: standardised, log-scaled costs, SMAC's forest settings.
  const y = logScaled(standardizeTargets(values).scaled);
  const forest = randomForest({ ...SMAC_DEFAULTS.forest, splitter }).fit(points, y, new Rng(seed), {
    space,
  });
  let bestIndex = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[bestIndex]) bestIndex = i;
  const incumbent = points[bestIndex];
  const branch = trials[bestIndex].branch;
  const eta = Math.min(...forest.predict(points).mean);
  const rng = new Rng(seed + 1_000_003);
  const fnColumns = new Set(space.params.find((p) => p.name === "fn")!.columns);
  const near = Array.from({ length: 500 }, () => {
    const u = incumbent.slice();
    const active = space.activeColumns(u);
    for (let j = 0; j < u.length; j++) {
      if (active[j] && !fnColumns.has(j)) {
        u[j] = Math.min(1, Math.max(0, u[j] + 0.05 * rng.normal()));
      }
    }
    return space.project(u);
  });
  const random = Array.from({ length: 3000 }, () => space.project(rng.uniforms(space.dim)));
  const sd = { near: [] as number[], branch: [] as number[], other: [] as number[] };
  const scored: [number, boolean][] = [];
  const score = (pts: Float64Array[], kind: "near" | "random") => {
    const prediction = forest.predict(pts);
    pts.forEach((u, i) => {
      const s = Math.sqrt(prediction.variance[i]);
      const inBranch = kind === "near" || branchOf(u) === branch;
      (kind === "near" ? sd.near : inBranch ? sd.branch : sd.other).push(s);
      scored.push([lognormalExpectedImprovementOf(prediction.mean[i], s, eta).value, inBranch]);
    });
  };
  score(near, "near");
  score(random, "random");
  scored.sort((a, b) => b[0] - a[0]);
  const share = scored.slice(0, 100).filter(([, inBranch]) => inBranch).length / 100;
  return { near: median(sd.near), branch: median(sd.branch), other: median(sd.other), share };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "first-seed": { type: "string", default: "100" },
      seeds: { type: "string", default: "20" },
      budget: { type: "string", default: "50" },
      late: { type: "string", default: "25" },
      steps: { type: "string", default: "25,50" },
      splitter: { type: "string", default: "random" },
      designs: { type: "string", default: "own" },
    },
    strict: true,
  });
  const first = Number(values["first-seed"]);
  const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => first + i);
  const budget = Number(values.budget);
  const late = Number(values.late);
  const steps = values.steps.split(",").map(Number).filter((s) => s >= 1 && s <= budget);
  const range = `seeds ${seeds[0]}–${seeds.at(-1)}`;
  const splitter = values.splitter;
  if (splitter !== "best" && splitter !== "random") {
    console.error(`--splitter: best or random, got ${splitter}`);
    Deno.exit(2);
  }
  if (values.designs !== "own" && values.designs !== "swapped") {
    console.error(`--designs: own or swapped, got ${values.designs}`);
    Deno.exit(2);
  }
  const swapped = values.designs === "swapped";
  const traces = new Map<string, TracedTrial[][]>();
  for (const method of ["smac", "gp"] as const) {
    const runs: TracedTrial[][] = [];
    for (const seed of seeds) runs.push(await run(method, seed, budget, splitter, swapped));
    traces.set(method, runs);
  }
  const designLabel = (m: string) =>
    swapped ? (m === "gp" ? ", SMAC's design" : ", the study's design") : "";
  const label = (m: string) =>
    (m === "gp" ? "gp (bayesOpt())" : splitter === "best" ? 'smac(splitter "best")' : "smac()") +
    designLabel(m);

  console.log(`\n### Where the best configuration lies after ${budget} evaluations (${range})\n`);
  console.log(
    `|method|median regret|${
      branchNames.map((b) => `${b}: runs [median regret inside]`).join("|")
    }|`,
  );
  console.log(`|:-|-:|${branchNames.map(() => "-:").join("|")}|`);
  for (const [method, runs] of traces) {
    const ends = runs.map((r) => bestBranch(r, problem));
    const regret = median(runs.map((r) => Math.min(...r.map((t) => t.value)) - problem.minimum));
    const cells = branchNames.map((b) => {
      const inside = ends.filter((e) => e.branch === b).map((e) => e.within);
      return inside.length === 0 ? "0" : `${inside.length} [${formatNumber(median(inside))}]`;
    });
    console.log(`|${label(method)}|${formatNumber(regret)}|${cells.join("|")}|`);
  }

  console.log(`\n### The model's proposals after ${late} evaluations (${range}, all runs)\n`);
  console.log(
    `|method|model proposals|improved the incumbent|distance to the incumbent: quartiles|within 0.05|${
      branchNames.map((b) => `${b} evaluations`).join("|")
    }|random configurations|`,
  );
  console.log(`|:-|-:|-:|-:|-:|${branchNames.map(() => "-:").join("|")}|-:|`);
  for (const [method, runs] of traces) {
    const all = runs.map((r) => lateProposals(r, late));
    const distances = all.flatMap((a) => a.distances).sort((a, b) => a - b);
    const quartile = (q: number) => formatNumber(distances[Math.floor(q * (distances.length - 1))]);
    const sum = (f: (a: LateProposals) => number) => all.reduce((s, a) => s + f(a), 0);
    const count = sum((a) => a.count);
    const within = distances.filter((d) => d < 0.05).length / Math.max(1, distances.length);
    console.log(
      `|${label(method)}|${count}|${sum((a) => a.improved)}|${quartile(0.25)}, ${quartile(0.5)}, ${
        quartile(0.75)
      }|${formatNumber(within)}|${
        branchNames.map((b) => sum((a) => a.perBranch[b] ?? 0)).join("|")
      }|${sum((a) => a.random)}|`,
    );
  }

  console.log(
    `\n### The forest's standard deviation, log-scaled costs (${label("smac")} runs, ${range})\n`,
  );
  console.log(
    "|after|near the incumbent|rest of its branch|other branches|100 best EI points in its branch|",
  );
  console.log("|-:|-:|-:|-:|-:|");
  for (const step of steps) {
    const spreads = traces.get("smac")!.map((r, i) => spreadOf(r, step, seeds[i], splitter));
    const m = (f: (s: (typeof spreads)[number]) => number) => formatNumber(median(spreads.map(f)));
    console.log(
      `|${step}|${m((s) => s.near)}|${m((s) => s.branch)}|${m((s) => s.other)}|${
        m((s) => s.share)
      }|`,
    );
  }
}
