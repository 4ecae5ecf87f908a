/**
 * Design study of the default transfer strategy (`transferOptions`, strategy `rgpe-gp`): RGPE for
 * the first `handover` evaluations, plain GP-BO from then on, and RGPE's relevance test. Runs
 * plain GP-BO and variants of `rgpe-gp` through `minimize` on the `transfer` suite's problems,
 * with the meta-features and seeds of `leaveOneTaskOut`: function families (`familyProblems`: 16
 * tasks, 50-point Sobol histories; the first `--held-out` tasks held out in turn, each seeing the
 * others) and meta-datasets in pool mode (`builtin:mlp`, `pmlb:rf`, …: every task held out), and
 * writes the mean normalised regret and its 95% half-width over held-out tasks (each task's
 * seeds averaged) at 10, 25 and 50 evaluations, and each task's means.
 *
 * An arm is `gp`, `rgpe-gp, handover H`, or a strategy of `transferOptions` (`rgpe-gp`,
 * `warm-start`, `rgpe`, …) followed by `key=value` settings (`handover`, `warmStart`,
 * `warmStartFrom`, and RGPE's `relevance`, `relevanceMethod`, `minPoints`, `dilutionQuantile`,
 * `targetLoss`).
 *
 * ```sh
 * deno run -A bench/transfer_handover.ts --handovers 3,5,10 --out results/transfer/handover
 * deno run -A bench/transfer_handover.ts --families gp-prior,branin,pmlb:rf \
 *   --arms "gp,rgpe-gp relevance=false,rgpe-gp" --out /tmp/relevance
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  bayesOpt,
  minimize,
  PreparedPrior,
  TaskStore,
  type TransferOptions,
  transferOptions,
} from "../mod.ts";
import { recordsToCsv } from "../lib/results/mod.ts";
import {
  normalizedRegretCurve,
  type TransferProblem,
} from "../lib/protocols/leave_one_task_out.ts";
import { type CommittedMetaDataset, loadMetaDataset } from "../lib/tasks/metadataset/mod.ts";
import type { HpoModel } from "../lib/tasks/hpo/spaces.ts";
import { meanInterval } from "../lib/stats/mod.ts";
import { familyProblems, metaDatasetProblems, TRANSFER_FAMILIES } from "./suites/transfer.ts";
import { runProvenance } from "./provenance.ts";

const STEPS = [10, 25, 50];

/**
 * The problems of a family (16 tasks, as the `transfer` suite) or of a meta-dataset's model
 * (`builtin:mlp`, `pmlb:rf`: pool mode, every task, as `runTabularTransferBenchmark`).
 */
async function studyProblems(name: string): Promise<TransferProblem<Record<string, unknown>>[]> {
  if (name in TRANSFER_FAMILIES) return familyProblems(TRANSFER_FAMILIES[name](), { tasks: 16 });
  const [dataset, model] = name.split(":") as [CommittedMetaDataset, HpoModel];
  return metaDatasetProblems(await loadMetaDataset({ name: dataset }), dataset, model);
}

/**
 * The `transferOptions` of an arm named `rgpe-gp, handover 5`, or `rgpe-gp relevance=0.05
 * minPoints=0` (a strategy, then `key=value` settings: `handover`, `warmStart`, and RGPE's
 * `relevance`, `minPoints`, `dilutionQuantile`, `targetLoss`).
 */
function armOptions(arm: string): TransferOptions<Record<string, unknown>> {
  const handover = /^rgpe-gp, handover (\d+)$/.exec(arm);
  if (handover) return { handover: Number(handover[1]) };
  const [strategy, ...settings] = arm.split(/\s+/);
  const options: TransferOptions<Record<string, unknown>> = {
    strategy: strategy as TransferOptions<Record<string, unknown>>["strategy"],
  };
  const rgpe: Record<string, number | string | false> = {};
  for (const setting of settings) {
    const [key, raw] = setting.split("=");
    const value = raw === "false" ? false : /^[a-z-]+$/.test(raw) ? raw : Number(raw);
    if (key === "handover" || key === "warmStart") options[key] = value as number;
    else if (key === "warmStartFrom") options.warmStartFrom = value as "nearest" | "portfolio";
    else if (
      ["relevance", "relevanceMethod", "minPoints", "dilutionQuantile", "targetLoss"].includes(key)
    ) {
      rgpe[key] = value;
    } else throw new RangeError(`--arms: unknown setting "${setting}" in "${arm}"`);
  }
  if (Object.keys(rgpe).length > 0) options.rgpe = rgpe;
  return options;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      families: { type: "string", default: "gp-prior,branin,hartmann3" },
      handovers: { type: "string", default: "3,5,10" },
      arms: { type: "string" },
      "held-out": { type: "string", default: "8" },
      seeds: { type: "string", default: "3" },
      out: { type: "string" },
    },
  });
  const families = values.families.split(",");
  for (const f of families) {
    const [dataset, model] = f.split(":");
    if (!(f in TRANSFER_FAMILIES) && !(model && ["builtin", "pmlb"].includes(dataset))) {
      throw new RangeError(
        `--families: unknown "${f}" (a family, or builtin:MODEL / pmlb:MODEL for a meta-dataset)`,
      );
    }
  }
  const handovers = values.handovers.split(",").map(Number);
  if (handovers.some((h) => !Number.isInteger(h) || h < 0)) {
    throw new RangeError(`--handovers: expected non-negative integers, got "${values.handovers}"`);
  }
  const heldOut = Number(values["held-out"]);
  const seeds = Number(values.seeds);
  const start = performance.now();
  const records: Record<string, string | number>[] = [];
  const perTaskRecords: Record<string, string | number>[] = [];
  for (const name of families) {
    const problems = await studyProblems(name);
    const count = name in TRANSFER_FAMILIES ? Math.min(heldOut, problems.length) : problems.length;
    const arms = values.arms
      ? values.arms.split(",").map((a) => a.trim())
      : ["gp", ...handovers.map((h) => `rgpe-gp, handover ${h}`)];
    // arm → step → per-task mean over seeds
    const perTask = new Map(arms.map((a) => [a, STEPS.map(() => [] as number[])]));
    for (let h = 0; h < count; h++) {
      const target = problems[h];
      const past = problems.filter((_, i) => i !== h);
      const prior = PreparedPrior.from(
        TaskStore.from(
          past.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
        ),
        target.space,
      );
      const sums = new Map(arms.map((a) => [a, STEPS.map(() => 0)]));
      for (let seed = 0; seed < seeds; seed++) {
        for (const arm of arms) {
          const setup = arm === "gp"
            ? { proposer: bayesOpt(), candidates: target.candidates }
            : transferOptions(prior, target.space, {
              ...armOptions(arm),
              metaFeatures: target.metaFeatures,
              candidates: target.candidates,
              seed,
            });
          const result = await minimize(target.objective, target.space, {
            budget: Math.max(...STEPS),
            seed,
            ...setup,
          });
          // The protocol's regret (leaveOneTaskOut's), its last value where the pool is shorter.
          const regret = normalizedRegretCurve(
            target,
            result.trials.map((t) => t.status === "complete" ? t.value! : NaN),
          );
          STEPS.forEach((s, k) => sums.get(arm)![k] += regret[Math.min(s, regret.length) - 1]);
        }
      }
      for (const arm of arms) {
        STEPS.forEach((_, k) => perTask.get(arm)![k].push(sums.get(arm)![k] / seeds));
      }
      console.error(`${name}: held-out task ${h + 1}/${count} done`);
    }
    for (const arm of arms) {
      for (let h = 0; h < count; h++) {
        const record: Record<string, string | number> = { family: name, arm, task: problems[h].id };
        STEPS.forEach((s, k) => record[`@${s}`] = perTask.get(arm)![k][h]);
        perTaskRecords.push(record);
      }
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
    `transfer-handover: mean normalised regret of the arms (families: ${heldOut} held-out of 16 tasks; meta-datasets: every task held out; ${seeds} seeds; ±95% over held-out tasks)`;
  console.log(`# ${title}\n${recordsToCsv(records)}`);
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, "summary.csv"), `# ${title}\n${recordsToCsv(records)}`);
    writeFileSync(
      join(values.out, "per_task.csv"),
      `# mean normalised regret of each held-out task over its ${seeds} seeds\n${
        recordsToCsv(perTaskRecords)
      }`,
    );
    const provenance = await runProvenance(
      `deno run -A bench/transfer_handover.ts ${Deno.args.join(" ")}`,
      (performance.now() - start) / 1000,
    );
    writeFileSync(join(values.out, "provenance.json"), JSON.stringify(provenance, null, 2) + "\n");
  }
}
