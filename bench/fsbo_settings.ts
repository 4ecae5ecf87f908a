/**
 * The development study behind FSBO's defaults (`FSBO_DEFAULTS` in `lib/meta/fsbo.ts`): FSBO with
 * each variant of its settings, next to plain GP-BO and the default transfer strategy, leave-one-
 * task-out on a family that no benchmark suite uses, so that the settings are not chosen on the
 * problems they are then measured on: the shifted Hartmann-6 family (`shiftedFamily(hartmann6,
 * { translation: 0.1 })`), 12 tasks with 50-point Sobol histories (as the transfer suite builds
 * them), the first 4 held out in turn, each seeing the other 11; 2 seeds, 30 evaluations. Prints
 * the mean normalised regret after 5, 10, 20 and 30 evaluations per arm.
 *
 * usage: deno run -A bench/fsbo_settings.ts [--variants NAME,…] [--out DIR]
 *
 * Variants (the options each passes to FSBO, the rest at their defaults): `default`;
 * `meta-2000` (2,000 meta-training steps); `meta-2000-lr1e-3` (and a learning rate of 1e-3);
 * `meta-6000`; `meta-6000-no-finetune` (and no fine-tuning); `meta-15000`; `noise-1e-6` (a noise
 * floor of 1e-6); `no-finetune`. With `--out`: `summary.md` and `provenance.json`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { familyProblems } from "./suites/transfer.ts";
import { shiftedFamily } from "../lib/tasks/families/shifted.ts";
import { hartmann6 } from "../lib/tasks/synthetic/functions.ts";
import {
  isCompleteRun,
  leaveOneTaskOut,
  summariseTransferRuns,
  type TransferMethod,
  type TransferRun,
} from "../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior } from "../lib/meta/transfer.ts";
import type { FsboOptions } from "../lib/meta/fsbo.ts";
import { recordsMarkdown } from "../lib/results/markdown.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { runProvenance } from "./provenance.ts";

/** The variants of the study: FSBO options per name. */
export const FSBO_VARIANTS: Readonly<Record<string, FsboOptions>> = {
  default: {},
  "meta-2000": { metaIterations: 2000 },
  "meta-2000-lr1e-3": { metaIterations: 2000, learningRate: 1e-3 },
  "meta-6000": { metaIterations: 6000 },
  "meta-6000-no-finetune": { metaIterations: 6000, fineTuneSteps: 0 },
  "meta-15000": { metaIterations: 15000 },
  "noise-1e-6": { noiseFloor: 1e-6 },
  "no-finetune": { fineTuneSteps: 0 },
};

const STEPS = [5, 10, 20, 30];

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      variants: { type: "string", default: Object.keys(FSBO_VARIANTS).join(",") },
      out: { type: "string" },
    },
  });
  const names = values.variants.split(",").filter(Boolean);
  for (const n of names) {
    if (!(n in FSBO_VARIANTS)) {
      throw new Error(
        `--variants: unknown "${n}" (known: ${Object.keys(FSBO_VARIANTS).join(", ")})`,
      );
    }
  }
  const started = performance.now();
  const problems = familyProblems(shiftedFamily(hartmann6, { translation: 0.1 }), { tasks: 12 });
  const prior = PreparedPrior.from(
    problems.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
    problems[0].space,
  );
  const common = {
    seeds: 2,
    budget: 30,
    heldOut: problems.slice(0, 4).map((p) => p.id),
    prior,
  };
  const records: Record<string, string | number>[] = [];
  const summarise = (arm: string, runs: TransferRun[]) => {
    // One method per call: the mean regret over tasks (each task's seeds averaged first).
    const summary = summariseTransferRuns(runs, STEPS);
    const record: Record<string, string | number> = {
      arm,
      runs: runs.filter(isCompleteRun).length,
    };
    for (const s of summary) record[`@${s.step}`] = formatNumber(s.meanRegret);
    records.push(record);
    console.error(JSON.stringify(record));
  };
  const baselines = await leaveOneTaskOut(problems, {
    ...common,
    methods: ["gp", "rgpe-gp"] as TransferMethod[],
  });
  for (const m of ["gp", "rgpe-gp"]) summarise(m, baselines.filter((r) => r.method === m));
  for (const name of names) {
    const runs = await leaveOneTaskOut(problems, {
      ...common,
      methods: ["fsbo"],
      strategyOptions: { fsbo: FSBO_VARIANTS[name] },
    });
    summarise(`fsbo ${name}`, runs);
  }
  const title =
    "FSBO settings on the shifted Hartmann-6 family (4 held-out of 12 tasks, 2 seeds): mean normalised regret";
  const table = recordsMarkdown(title, records);
  console.log(table);
  if (values.out) {
    const command = ["deno run -A --lock=deno.lock bench/fsbo_settings.ts", ...Deno.args].join(" ");
    const provenance = await runProvenance(command, (performance.now() - started) / 1000);
    await Deno.mkdir(values.out, { recursive: true });
    await Deno.writeTextFile(`${values.out}/summary.md`, table);
    await Deno.writeTextFile(
      `${values.out}/provenance.json`,
      JSON.stringify({ ...provenance, variants: FSBO_VARIANTS }, null, 2) + "\n",
    );
  }
}

if (import.meta.main) await main();
