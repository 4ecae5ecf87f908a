/**
 * One pool-mode task of a committed meta-dataset looked at closely: how its configurations'
 * normalised regrets are distributed (how many share each level; validation errors on small data
 * come in steps), the chance that uniform random search over the pool meets one of the best
 * configurations within a budget (hypergeometric: 1 − C(N − k, B) / C(N, B) for k best of N), and
 * the `transfer` suite's plain GP-BO and default strategy on it (`leaveOneTaskOut`, the other tasks
 * of the same model as past tasks, seeds 0 … seeds − 1): normalised regret after 1, 5, 10, 25 and
 * 50 evaluations and the evaluation that first reached regret 0. Prints markdown with provenance.
 *
 * ```sh
 * deno run -A bench/pool_levels.ts --meta-dataset pmlb --model rf --task haberman
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadMetaDataset, poolTasks } from "../lib/tasks/metadataset/load.ts";
import { HPO_MODELS, type HpoModel } from "../lib/tasks/hpo/spaces.ts";
import { leaveOneTaskOut } from "../lib/protocols/mod.ts";
import { markdownTable, provenanceLine } from "../lib/results/mod.ts";
import { metaDatasetProblems } from "./suites/transfer.ts";
import { runProvenance } from "./provenance.ts";

/** log C(n, k). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log(n - i) - Math.log(i + 1);
  return s;
}

/** The chance that B draws without replacement from N items, k of them good, include a good one. */
export function hitProbability(n: number, good: number, budget: number): number {
  if (budget > n - good) return 1;
  return 1 - Math.exp(logChoose(n - good, budget) - logChoose(n, budget));
}

if (import.meta.main) {
  const started = performance.now();
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "meta-dataset": { type: "string", default: "pmlb" },
      model: { type: "string", default: "rf" },
      task: { type: "string" },
      seeds: { type: "string", default: "3" },
      budget: { type: "string", default: "50" },
    },
  });
  const name = values["meta-dataset"]!;
  if (name !== "pmlb" && name !== "builtin") {
    throw new RangeError(`--meta-dataset: "pmlb" or "builtin", got "${name}"`);
  }
  const model = values.model as HpoModel;
  if (!HPO_MODELS.includes(model)) {
    throw new RangeError(`--model: one of ${HPO_MODELS.join(", ")}, got "${values.model}"`);
  }
  if (!values.task) throw new RangeError("--task: name the task (part of its id)");
  const seeds = Number(values.seeds), budget = Number(values.budget);
  for (const [key, v] of [["seeds", seeds], ["budget", budget]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${key}: a positive integer`);
  }
  const metaDataset = await loadMetaDataset({ name });
  const matches = poolTasks(metaDataset, { model, metric: "validationError" })
    .filter((t) => t.id.includes(values.task!));
  if (matches.length !== 1) {
    throw new RangeError(
      `--task: "${values.task}" matches ${matches.length} ${model} tasks (${
        matches.map((t) => t.id).join(", ") || "none"
      })`,
    );
  }
  const task = matches[0];
  const errors = task.rows.map((r) => r.value);
  const lo = Math.min(...errors), hi = Math.max(...errors);
  const levels = new Map<string, number>();
  for (const e of errors) {
    const key = ((e - lo) / (hi - lo)).toFixed(3);
    levels.set(key, (levels.get(key) ?? 0) + 1);
  }
  const distinct = [...new Set(errors)].sort((a, b) => a - b);
  const step = Math.min(...distinct.slice(1).map((e, i) => e - distinct[i]));
  const sorted = [...levels.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const best = levels.get((0).toFixed(3))!;
  const problems = metaDatasetProblems(metaDataset, name, model);
  const target = problems.find((p) => p.id.endsWith(`:${task.id}`))!;
  const runs = await leaveOneTaskOut(problems, {
    methods: ["gp", "rgpe-gp"],
    seeds,
    budget,
    heldOut: [target.id],
  });
  const steps = [1, 5, 10, 25, 50].filter((s) => s <= budget);
  const provenance = await runProvenance(
    ["deno run -A bench/pool_levels.ts", ...Deno.args].join(" "),
    (performance.now() - started) / 1000,
  );
  const out = [
    `# ${target.id}: the pool's regret levels`,
    "",
    provenanceLine(provenance),
    "",
    `${task.rows.length} configurations; validation error from ${lo} to ${hi}, in steps of ` +
    `${step.toPrecision(4)} (1/${
      Math.round(1 / step)
    }: one validation example when the error is a ` +
    `share of misclassified examples). Configurations per level of normalised regret:`,
    "",
    markdownTable(["normalised regret", "configurations"], sorted.map(([k, n]) => [k, String(n)])),
    "",
    `Uniform random search over the pool meets one of the ${best} best configuration(s) within ` +
    steps.map((s) =>
      `${s} evaluation${s > 1 ? "s" : ""} with probability ${
        hitProbability(task.rows.length, best, s).toFixed(3)
      }`
    ).join(", ") + ".",
    "",
    `Plain GP-BO (\`gp\`) and the default strategy (\`rgpe-gp\`), the other ${
      problems.length - 1
    } tasks as past tasks:`,
    "",
    markdownTable(
      ["method", "seed", ...steps.map((s) => `@${s}`), "first regret 0 at"],
      runs.map((r) => {
        const first = r.regret.findIndex((x) => x === 0);
        return [
          r.method,
          String(r.seed),
          ...steps.map((s) => r.regret[s - 1].toPrecision(3)),
          first < 0 ? "never" : String(first + 1),
        ];
      }),
    ),
  ];
  console.log(out.join("\n"));
}
