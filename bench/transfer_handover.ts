/**
 * Design study of the default transfer strategy's handover (`transferOptions({ handover })`,
 * strategy `rgpe-gp`): RGPE for the first `handover` evaluations, plain GP-BO from then on. Runs
 * plain GP-BO and `rgpe-gp` at each handover on the `transfer` suite's function-family problems
 * (`familyProblems`: 16 tasks, 50-point Sobol histories; the first tasks held out in turn, each
 * seeing the others, with the meta-features and seeds of `leaveOneTaskOut`), through `minimize`,
 * and writes the mean normalised regret and its 95%
 * half-width over held-out tasks (each task's seeds averaged) at 10, 25 and 50 evaluations.
 *
 * ```sh
 * deno run -A bench/transfer_handover.ts --handovers 3,5,10 --out results/transfer/handover
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  bayesOpt,
  bestSoFar,
  minimize,
  PreparedPrior,
  TaskStore,
  transferOptions,
} from "../mod.ts";
import { recordsToCsv } from "../lib/results/mod.ts";
import { meanInterval } from "../lib/stats/mod.ts";
import { familyProblems, TRANSFER_FAMILIES } from "./suites/transfer.ts";
import { runProvenance } from "./provenance.ts";

const STEPS = [10, 25, 50];

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      families: { type: "string", default: "gp-prior,branin,hartmann3" },
      handovers: { type: "string", default: "3,5,10" },
      "held-out": { type: "string", default: "8" },
      seeds: { type: "string", default: "3" },
      out: { type: "string" },
    },
  });
  const families = values.families.split(",");
  for (const f of families) {
    if (!(f in TRANSFER_FAMILIES)) throw new RangeError(`--families: unknown "${f}"`);
  }
  const handovers = values.handovers.split(",").map(Number);
  if (handovers.some((h) => !Number.isInteger(h) || h < 0)) {
    throw new RangeError(`--handovers: expected non-negative integers, got "${values.handovers}"`);
  }
  const heldOut = Number(values["held-out"]);
  const seeds = Number(values.seeds);
  const start = performance.now();
  const records: Record<string, string | number>[] = [];
  for (const name of families) {
    const problems = familyProblems(TRANSFER_FAMILIES[name](), { tasks: 16 });
    const arms = ["gp", ...handovers.map((h) => `rgpe-gp, handover ${h}`)];
    // arm → step → per-task mean over seeds
    const perTask = new Map(arms.map((a) => [a, STEPS.map(() => [] as number[])]));
    for (let h = 0; h < heldOut; h++) {
      const target = problems[h];
      const past = problems.filter((_, i) => i !== h);
      const prior = PreparedPrior.from(
        TaskStore.from(
          past.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
        ),
        target.space,
      );
      const range = target.maximum - target.minimum;
      const sums = new Map(arms.map((a) => [a, STEPS.map(() => 0)]));
      for (let seed = 0; seed < seeds; seed++) {
        for (const arm of arms) {
          const setup = arm === "gp"
            ? { proposer: bayesOpt() }
            : transferOptions(prior, target.space, {
              handover: Number(arm.split(" ").at(-1)),
              metaFeatures: target.metaFeatures,
              seed,
            });
          const result = await minimize(target.objective, target.space, {
            budget: Math.max(...STEPS),
            seed,
            ...setup,
          });
          const best = bestSoFar(result.trials.map((t) => t.value ?? NaN));
          STEPS.forEach((s, k) => sums.get(arm)![k] += (best[s - 1] - target.minimum) / range);
        }
      }
      for (const arm of arms) {
        STEPS.forEach((_, k) => perTask.get(arm)![k].push(sums.get(arm)![k] / seeds));
      }
      console.error(`${name}: held-out task ${h + 1}/${heldOut} done`);
    }
    for (const arm of arms) {
      const record: Record<string, string | number> = { family: name, arm };
      STEPS.forEach((s, k) => {
        const { mean, halfWidth } = meanInterval(perTask.get(arm)![k]);
        record[`@${s}`] = mean;
        record[`@${s} ±95%`] = halfWidth;
      });
      records.push(record);
    }
  }
  const title =
    `transfer-handover: mean normalised regret of plain GP-BO and rgpe-gp by handover (${heldOut} held-out of 16 tasks, ${seeds} seeds; ±95% over held-out tasks)`;
  console.log(`# ${title}\n${recordsToCsv(records)}`);
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, "summary.csv"), `# ${title}\n${recordsToCsv(records)}`);
    const provenance = await runProvenance(
      `deno run -A bench/transfer_handover.ts ${Deno.args.join(" ")}`,
      (performance.now() - start) / 1000,
    );
    writeFileSync(join(values.out, "provenance.json"), JSON.stringify(provenance, null, 2) + "\n");
  }
}
