/**
 * Per-seed modes of the SMBO comparison on its two multimodal functions, read from the committed
 * ablation outputs (no run): final regrets (50 evaluations, 20 seeds) of metahpo's default (arm
 * `current-default` of `results/ablation/constant_mean.csv`) and of BoTorch LogEI (the
 * `regrets` of `results/ablation/botorch-logei_extra*.jsonl`). On styblinski-tang4 a run ends in
 * one of the basins whose floors lie 14.137 apart (a coordinate in the wrong basin): the global
 * basin is a regret below half of that. On levy4 the split is at 0.01.
 *
 *     deno run -A bench/ablation_seeds.ts [--dir results/ablation]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { parseDelimited } from "../lib/data/delimited.ts";
import { provenanceLine } from "../lib/results/committed.ts";
import { runProvenance } from "./provenance.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: { dir: { type: "string", default: "results/ablation" } },
});
const dir = args.dir!;

/** Final regrets by seed of `arm` on `task` in a suite CSV. */
function csvRegrets(file: string, arm: string, task: string): number[] {
  const { header, rows } = parseDelimited(Deno.readTextFileSync(join(dir, file)), ",", file);
  const col = (name: string) => header.indexOf(name);
  return rows
    .filter((r) =>
      r[col("method")] === arm && r[col("task")] === task && r[col("metric")] === "regret" &&
      r[col("step")] === "50"
    )
    .sort((a, b) => Number(a[col("seed")]) - Number(b[col("seed")]))
    .map((r) => Number(r[col("value")]));
}

/** Final regrets of the BoTorch LogEI runs of `func`, over the files of its 20 seeds. */
function botorchRegrets(func: string): number[] {
  const files = [...Deno.readDirSync(dir)]
    .map((e) => e.name)
    .filter((n) => /^botorch-logei_extra.*\.jsonl$/.test(n))
    .sort();
  return files.flatMap((file) =>
    Deno.readTextFileSync(join(dir, file)).split("\n").filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { func: string; regrets: number[] })
      .filter((r) => r.func === func)
      .flatMap((r) => r.regrets)
  );
}

const fmt = (v: number) => Number(v.toPrecision(3));
const range = (vs: number[]) =>
  vs.length === 0 ? "–" : `${fmt(Math.min(...vs))}–${fmt(Math.max(...vs))}`;

/** How many runs lie below `split`, of how many, and the range of the others. */
function modes(label: string, regrets: number[], split: number): string {
  const low = regrets.filter((v) => v < split);
  const rest = regrets.filter((v) => v >= split);
  return `| ${label} | ${low.length} of ${regrets.length} | ${range(rest)} |`;
}

const ST_GAP = 14.137;
const provenance = await runProvenance(
  ["deno run -A bench/ablation_seeds.ts", ...Deno.args].join(" "),
  0,
);
console.log(`# ${provenanceLine(provenance)}; read from the committed outputs in ${dir}`);
console.log("");
console.log("| runs | in the low mode | the others' final regret |");
console.log("| --- | --- | --- |");
console.log(
  modes(
    "styblinski-tang4, metahpo default (global basin)",
    csvRegrets("constant_mean.csv", "current-default", "styblinski-tang4"),
    ST_GAP / 2,
  ),
);
console.log(
  modes(
    "styblinski-tang4, BoTorch LogEI (global basin)",
    botorchRegrets("styblinski-tang4"),
    ST_GAP / 2,
  ),
);
console.log(
  modes(
    "levy4, metahpo default (below 0.01)",
    csvRegrets("constant_mean.csv", "current-default", "levy4"),
    0.01,
  ),
);
