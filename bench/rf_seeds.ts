/**
 * How many seeds the `rf` suite needs to decide its "≤" cells: from a run's `results.csv` (default
 * `results/rf/full`), each verdict "median regret of RF-SMBO ≤ the peer's" at 10, 25 and 50
 * evaluations is taken on the run's n seeds and on random subsets of k of them (the same seeds for
 * both methods, as the suite runs every method on seeds 0 … n − 1), and the share of subsets that
 * reach the n-seed verdict is printed: near 1 a k-seed run would have decided the cell the same
 * way, near 0.5 its verdict is a coin toss. Cells where both medians are 0 at n seeds are left out
 * (every subset agrees). Prints one Markdown table.
 *
 * usage: deno run -A bench/rf_seeds.ts [--dir results/rf/full] [--k 8,12] [--draws 2000]
 *   [--seed 0]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readResultsCsv } from "../lib/results/mod.ts";
import { median } from "../lib/stats/mod.ts";
import { Rng } from "../lib/random/rng.ts";
import { formatNumber } from "../lib/viz/table.ts";

const STEPS = [10, 25, 50];
/** The peers each group's target compares against (the rf suite's tables). */
const PEERS: Record<string, readonly string[]> = {
  synthetic: ["optuna-tpe"],
  pool: ["optuna-tpe"],
  conditional: ["optuna-tpe", "gp"],
  tfjs: ["optuna-tpe", "gp"],
};

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dir: { type: "string", default: "results/rf/full" },
      k: { type: "string", default: "8" },
      draws: { type: "string", default: "2000" },
      seed: { type: "string", default: "0" },
    },
    strict: true,
  });
  const ks = values.k.split(",").map(Number);
  const draws = Number(values.draws);
  if (ks.some((k) => !Number.isInteger(k) || k < 1) || !Number.isInteger(draws) || draws < 1) {
    console.error("--k: positive integers; --draws: a positive integer");
    Deno.exit(2);
  }
  const rows = readResultsCsv(values.dir).filter((r) => r.metric === "regret");
  // regret[task][method][step] → value per seed
  const table = new Map<string, Map<string, Map<number, Map<number, number>>>>();
  for (const r of rows) {
    if (!STEPS.includes(r.step)) continue;
    const byMethod = table.get(r.task) ?? new Map();
    table.set(r.task, byMethod);
    const byStep = byMethod.get(r.method) ?? new Map();
    byMethod.set(r.method, byStep);
    const bySeed = byStep.get(r.step) ?? new Map();
    byStep.set(r.step, bySeed);
    bySeed.set(r.seed, r.value);
  }
  const rng = new Rng(Number(values.seed));
  console.log(
    `|problem|peer|step|n|rf median|peer median|rf ≤ peer|${
      ks.map((k) => `agree, ${k} seeds`).join("|")
    }|`,
  );
  console.log(`|:-|:-|-:|-:|-:|-:|:-|${ks.map(() => "-:").join("|")}|`);
  for (const [task, byMethod] of table) {
    const group = task.split("/")[0];
    for (const peer of PEERS[group] ?? []) {
      for (const step of STEPS) {
        const rf = byMethod.get("rf-smbo")?.get(step);
        const other = byMethod.get(peer)?.get(step);
        if (rf === undefined || other === undefined) continue;
        const seeds = [...rf.keys()].filter((s) => other.has(s)).sort((a, b) => a - b);
        const at = (m: Map<number, number>, subset: readonly number[]) =>
          median(subset.map((s) => m.get(s)!));
        const rfMedian = at(rf, seeds);
        const peerMedian = at(other, seeds);
        if (rfMedian === 0 && peerMedian === 0) continue;
        const verdict = rfMedian <= peerMedian;
        const shares = ks.map((k) => {
          if (k >= seeds.length) return "—";
          let agree = 0;
          for (let d = 0; d < draws; d++) {
            const subset = rng.shuffle([...seeds]).slice(0, k);
            if ((at(rf, subset) <= at(other, subset)) === verdict) agree++;
          }
          return formatNumber(agree / draws);
        });
        console.log(
          `|${task}|${peer}|${step}|${seeds.length}|${formatNumber(rfMedian)}|${
            formatNumber(peerMedian)
          }|${verdict ? "yes" : "no"}|${shares.join("|")}|`,
        );
      }
    }
  }
}
