/**
 * Design study of the initial design in pool mode, on the 20 pool problems of the `rf` suite (the
 * built-in meta-dataset's first 10 MLP tasks and the PMLB meta-dataset's first 10 random-forest
 * tasks, 64 candidates each): the best regret among the first k configurations of a study's
 * initial design (`SMBO` with `initialDesignSize` 12, SMAC's for these spaces and a budget of 50;
 * no model is involved), for
 * - `random`: `poolDesign: "random"`, the study's default (a uniformly random subset of the
 *   candidates);
 * - `nearest`: `poolDesign: "nearest"` with the scrambled Sobol design (each point replaced by the
 *   unused candidate nearest to it);
 * - `uniform-nearest`: `poolDesign: "nearest"` with uniform points, as the `rf` suite maps the
 *   random start of Optuna's TPE to the pool.
 *
 * Prints, per task, the mean and the median over seeds of the best regret among the first k, for
 * each k of `--k`, and how many tasks each design is lower on than `random`. With `--out DIR` it
 * writes `regrets.csv` (problem, design, seed, k, regret), the printed tables (`summary.md`) and the
 * run's provenance (`provenance.json`).
 *
 * usage: deno run -A bench/pool_design.ts [--first-seed 0] [--seeds 400] [--k 5,10] [--out DIR]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { SMBO } from "../lib/smbo/study.ts";
import { randomSearch } from "../lib/smbo/proposer.ts";
import { mean, median } from "../lib/stats/mod.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { poolProblems } from "./suites/rf.ts";
import { runProvenance } from "./provenance.ts";
import type { SampleMethod } from "../lib/space/mod.ts";
import type { PoolDesign } from "../lib/smbo/study.ts";

/** The designs compared: the study's pool design and its point method. */
export const POOL_DESIGNS: Readonly<
  Record<string, { poolDesign: PoolDesign; initialDesign: SampleMethod }>
> = {
  random: { poolDesign: "random", initialDesign: "sobol" },
  nearest: { poolDesign: "nearest", initialDesign: "sobol" },
  "uniform-nearest": { poolDesign: "nearest", initialDesign: "uniform" },
};

/** The size of the initial design (SMAC's for the suite's pool spaces and a budget of 50). */
const DESIGN_SIZE = 12;

if (import.meta.main) {
  const started = performance.now();
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "first-seed": { type: "string", default: "0" },
      seeds: { type: "string", default: "400" },
      k: { type: "string", default: "5,10" },
      out: { type: "string" },
    },
    strict: true,
  });
  const firstSeed = Number(values["first-seed"]);
  const seedCount = Number(values.seeds);
  const ks = values.k.split(",").map(Number);
  if (!Number.isSafeInteger(firstSeed) || !Number.isInteger(seedCount) || seedCount < 1) {
    console.error("--first-seed: an integer; --seeds: a positive integer");
    Deno.exit(2);
  }
  if (ks.some((k) => !Number.isInteger(k) || k < 1 || k > DESIGN_SIZE)) {
    console.error(`--k: integers from 1 to ${DESIGN_SIZE}`);
    Deno.exit(2);
  }
  const problems = [
    ...await poolProblems("builtin", "mlp", (ids) => ids.slice(0, 10), 50, 1),
    ...await poolProblems("pmlb", "rf", (ids) => ids.slice(0, 10), 50, 1),
  ];
  const csv = ["problem,design,seed,k,regret"];
  // best[k][design][problem] → regrets over seeds
  const best = new Map<number, Map<string, Map<string, number[]>>>();
  for (const problem of problems) {
    for (const [design, settings] of Object.entries(POOL_DESIGNS)) {
      for (let seed = firstSeed; seed < firstSeed + seedCount; seed++) {
        const study = new SMBO(problem.space, {
          seed,
          initialDesignSize: DESIGN_SIZE,
          candidates: problem.candidates,
          ...settings,
          proposer: randomSearch(),
        });
        const values = study.ask(Math.max(...ks)).map((t) =>
          problem.objective(t.params as Record<string, unknown>) as number
        );
        for (const k of ks) {
          const regret = Math.min(...values.slice(0, k)) - problem.minimum;
          csv.push(`${problem.name},${design},${seed},${k},${regret}`);
          const byDesign = best.get(k) ?? new Map();
          best.set(k, byDesign);
          const byProblem = byDesign.get(design) ?? new Map();
          byDesign.set(design, byProblem);
          const list = byProblem.get(problem.name) ?? [];
          byProblem.set(problem.name, list);
          list.push(regret);
        }
      }
    }
  }
  const designs = Object.keys(POOL_DESIGNS);
  const lines: string[] = [];
  for (const k of ks) {
    const byDesign = best.get(k)!;
    lines.push(
      `### Best regret among the first ${k}: mean [median] over seeds ${firstSeed}–${
        firstSeed + seedCount - 1
      }`,
      "",
      `| problem | ${designs.join(" | ")} |`,
      `| :-- | ${designs.map(() => ":--").join(" | ")} |`,
    );
    const lowerMean = new Map(designs.map((d) => [d, 0]));
    const higherMedian = new Map(designs.map((d) => [d, 0]));
    for (const problem of problems) {
      const cells = designs.map((d) => {
        const regrets = byDesign.get(d)!.get(problem.name)!;
        return { mean: mean(regrets), median: median(regrets) };
      });
      const base = cells[designs.indexOf("random")];
      designs.forEach((d, i) => {
        if (cells[i].mean < base.mean) lowerMean.set(d, lowerMean.get(d)! + 1);
        if (cells[i].median > base.median) higherMedian.set(d, higherMedian.get(d)! + 1);
      });
      lines.push(
        `| ${problem.name} | ${
          cells.map((c) => `${formatNumber(c.mean)} [${formatNumber(c.median)}]`).join(" | ")
        } |`,
      );
    }
    lines.push(
      "",
      `Against \`random\` after ${k}, of ${problems.length} tasks: ${
        designs.filter((d) => d !== "random").map((d) =>
          `\`${d}\` lower by the mean on ${lowerMean.get(d)}, higher by the median on ${
            higherMedian.get(d)
          }`
        ).join("; ")
      }.`,
      "",
    );
  }
  const summary = lines.join("\n");
  console.log(summary);
  if (values.out) {
    await Deno.mkdir(values.out, { recursive: true });
    await Deno.writeTextFile(`${values.out}/regrets.csv`, csv.join("\n") + "\n");
    await Deno.writeTextFile(`${values.out}/summary.md`, summary + "\n");
    const command = `deno run -A bench/pool_design.ts ${Deno.args.join(" ")}`.trim();
    const provenance = await runProvenance(command, (performance.now() - started) / 1000);
    await Deno.writeTextFile(
      `${values.out}/provenance.json`,
      JSON.stringify(provenance, null, 2) + "\n",
    );
  }
}
