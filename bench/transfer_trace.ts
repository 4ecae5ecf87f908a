/**
 * One run of the `transfer` suite traced evaluation by evaluation: a function-family task held out
 * (the suite's `familyProblems`, the others its past tasks), plain GP-BO and the default strategy
 * of `transferOptions` through `minimize` with the seed and meta-features of `leaveOneTaskOut`, so
 * that its figures are those of the suite's `results.csv` for that task and seed. For each
 * evaluation it prints the configuration, its value, the normalised regret of the best so far and
 * the Euclidean distance in the unit square to the nearest earlier evaluation; for the default
 * strategy also the phase (RGPE before the handover, GP-BO from it on) and, in the RGPE phase, the
 * ensemble's weights refitted on the evaluations before the proposal (RGPE's weights are those of
 * the run's surrogate up to its bootstrap resampling, which takes its own seed here): the target's
 * weight and the past tasks that kept one.
 *
 * ```sh
 * deno run -A bench/transfer_trace.ts --family branin --tasks 8 --task branin/0/0 --seed 3
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  bayesOpt,
  defaultHandover,
  minimize,
  PreparedPrior,
  TaskStore,
  TRANSFER_DEFAULTS,
  transferOptions,
} from "../mod.ts";
import { rgpe } from "../lib/meta/rgpe.ts";
import { normalizedRegretCurve } from "../lib/protocols/leave_one_task_out.ts";
import type { WeightedEnsemble } from "../lib/meta/ensemble.ts";
import { Rng } from "../lib/random/rng.ts";
import { provenanceLine } from "../lib/results/committed.ts";
import { familyProblems, TRANSFER_FAMILIES } from "./suites/transfer.ts";
import { runProvenance } from "./provenance.ts";

const started = performance.now();
const { values } = parseArgs({
  args: Deno.args,
  options: {
    family: { type: "string", default: "branin" },
    tasks: { type: "string", default: "8" },
    task: { type: "string" },
    seed: { type: "string", default: "0" },
    budget: { type: "string", default: "50" },
  },
});
const makeFamily = TRANSFER_FAMILIES[values.family!];
if (!makeFamily) {
  throw new RangeError(
    `--family: unknown family "${values.family}" (${Object.keys(TRANSFER_FAMILIES).join(", ")})`,
  );
}
const count = Number(values.tasks);
const seed = Number(values.seed);
const budget = Number(values.budget);
for (const [name, v] of [["tasks", count], ["seed", seed], ["budget", budget]] as const) {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`--${name}: must be an integer ≥ 0`);
}
const problems = familyProblems(makeFamily(), { tasks: count });
const problem = problems.find((p) => p.id === (values.task ?? problems[0].id));
if (!problem) {
  throw new RangeError(
    `--task: no task "${values.task}" (${problems.map((p) => p.id).join(", ")})`,
  );
}
const past = problems.filter((p) => p !== problem);
const prior = PreparedPrior.from(
  TaskStore.from(past.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures }))),
  problem.space,
);
const handover = defaultHandover(problem.space);
const fmt = (v: number) => Number(v.toPrecision(4)).toString();

const lines: string[] = [];
for (const arm of ["gp", TRANSFER_DEFAULTS.strategy]) {
  const setup = arm === "gp" ? { proposer: bayesOpt() } : transferOptions(prior, problem.space, {
    metaFeatures: problem.metaFeatures,
    seed,
  });
  const result = await minimize((p) => problem.objective(p), problem.space, {
    budget,
    seed,
    ...setup,
  });
  const points = result.trials.map((t) => problem.space.encode(t.params));
  const observed = result.trials.map((t) => t.value ?? NaN);
  lines.push(
    "",
    `## ${arm === "gp" ? "plain GP-BO" : `default strategy (${arm})`}`,
    "",
    arm === "gp"
      ? "| # | configuration | value | regret of the best so far | distance to the nearest earlier |"
      : "| # | configuration | value | regret of the best so far | distance to the nearest earlier | phase | target weight | past tasks with a weight |",
    arm === "gp" ? "|--:|:--|--:|--:|--:|" : "|--:|:--|--:|--:|--:|:--|--:|:--|",
  );
  // The protocol's regret of the best so far (leaveOneTaskOut's).
  const regret = normalizedRegretCurve(problem, observed);
  for (let i = 0; i < result.trials.length; i++) {
    const nearest = i === 0 ? NaN : Math.min(
      ...points.slice(0, i).map((q) => Math.hypot(...q.map((x, j) => x - points[i][j]))),
    );
    const cells = [
      String(i + 1),
      Array.from(points[i], fmt).join(", "),
      fmt(observed[i]),
      fmt(regret[i]),
      Number.isFinite(nearest) ? fmt(nearest) : "–",
    ];
    if (arm !== "gp") {
      if (i === 0) cells.push("warm start", "–", "–");
      else if (i >= handover) cells.push("GP-BO", "–", "–");
      else {
        const ensemble = rgpe(prior.baseModels, { relevance: TRANSFER_DEFAULTS.relevance }).fit(
          points.slice(0, i),
          Float64Array.from(observed.slice(0, i)),
          new Rng(seed),
        ) as WeightedEnsemble;
        const weights = ensemble.weights;
        const kept = Object.entries(weights).filter(([id, w]) => id !== "target" && w > 0);
        cells.push(
          "RGPE",
          fmt(weights.target ?? 0),
          kept.length === 0 ? "none" : kept.map(([id, w]) => `${id} ${fmt(w)}`).join("; "),
        );
      }
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
}
const provenance = await runProvenance(
  ["deno run -A bench/transfer_trace.ts", ...Deno.args].join(" "),
  (performance.now() - started) / 1000,
);
console.log(`# ${problem.id} held out, seed ${seed}, ${budget} evaluations`);
console.log("");
console.log(provenanceLine(provenance));
console.log("");
console.log(
  `Past tasks: the other ${past.length} tasks of the ${values.family} family's first ${count} ` +
    `(50-point Sobol histories); the default hands over to plain GP-BO after ${handover} ` +
    `evaluations. Regret is normalised by the task's range; configurations are in the unit square.`,
);
console.log(lines.join("\n"));
