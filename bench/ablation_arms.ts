/**
 * Runs chosen arms of the ablation suite for a range of seeds and appends their rows to a CSV
 * (the format of `ablation.csv`), e.g. to add an arm to a finished run or to split the seeds over
 * several processes; `bench/ablation_summary.ts` merges the files.
 *
 * usage: deno run --allow-read --allow-write bench/ablation_arms.ts --arms default,around-best \
 *   --seeds 20 [--first-seed 0] [--budget 50] --csv out/ablation/extra.csv
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ABLATION_VARIANTS, runAblation } from "./suites/ablation.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      arms: { type: "string" },
      seeds: { type: "string", default: "20" },
      "first-seed": { type: "string", default: "0" },
      budget: { type: "string", default: "50" },
      csv: { type: "string" },
    },
    strict: true,
  });
  const names = (values.arms ?? "").split(",").filter(Boolean);
  const variants = ABLATION_VARIANTS.filter((v) => names.includes(v.name));
  const unknown = names.filter((n) => !variants.some((v) => v.name === n));
  if (!values.csv || names.length === 0 || unknown.length > 0) {
    console.error(
      `usage: ablation_arms.ts --arms A,B --csv FILE [--seeds N] [--first-seed S] [--budget B]` +
        (unknown.length ? `\nunknown arms: ${unknown.join(", ")}` : "") +
        `\narms: ${ABLATION_VARIANTS.map((v) => v.name).join(", ")}`,
    );
    Deno.exit(2);
  }
  await runAblation({
    seeds: Number(values.seeds),
    firstSeed: Number(values["first-seed"]),
    budget: Number(values.budget),
    variants,
    csv: values.csv,
    onRun: (done, total, label) => console.error(`${done}/${total} ${label}`),
  });
}
