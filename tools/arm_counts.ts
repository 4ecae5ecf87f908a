/**
 * Counts, over the (set, step) pairs of `bench/transfer_handover.ts` runs, how often each arm's
 * mean normalised regret is no worse than a reference arm's (plain GP-BO by default), and how two
 * arms compare head to head, reading the runs' `summary.csv` files (rows: family, arm, `@10`,
 * `@25`, `@50`, …). Arms may come from different runs of the same protocol: a family and arm seen
 * twice must carry the same figures, or the tool stops. Prints the pairs one per line, then the
 * counts.
 *
 * ```sh
 * deno run --allow-read tools/arm_counts.ts --arms "rgpe-gp,rgpe-gp targetLoss=pairwise" \
 *   results/transfer/nohandover results/transfer/nohandover/gbt results/transfer/pairwise
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { readSummaryCsv } from "../lib/results/mod.ts";

/** The counts of {@linkcode armCounts}. */
export interface ArmCounts {
  /** Every (family, step) pair in which the reference and both arms have a figure. */
  pairs: { family: string; step: string; reference: number; a: number; b: number }[];
  /** Pairs where arm a's mean is ≤ the reference's, and arm b's. */
  noWorse: [number, number];
  /** Pairs where a < b, a > b and a = b. */
  headToHead: { lower: number; higher: number; equal: number };
}

/**
 * The counts over the figures `values` (`family → arm → step → mean`) for arms `a` and `b`
 * against `reference`, at `steps`, over the families where all three have figures.
 *
 * @example
 * ```ts
 * import { armCounts } from "./arm_counts.ts";
 * const values = new Map([["f", new Map([
 *   ["gp", new Map([["@10", 0.2]])],
 *   ["x", new Map([["@10", 0.1]])],
 *   ["y", new Map([["@10", 0.3]])],
 * ])]]);
 * armCounts(values, "x", "y", "gp", ["@10"]).noWorse; // [1, 0]
 * ```
 */
export function armCounts(
  values: Map<string, Map<string, Map<string, number>>>,
  a: string,
  b: string,
  reference: string,
  steps: readonly string[],
): ArmCounts {
  const out: ArmCounts = {
    pairs: [],
    noWorse: [0, 0],
    headToHead: { lower: 0, higher: 0, equal: 0 },
  };
  for (const [family, arms] of values) {
    for (const step of steps) {
      const [r, x, y] = [reference, a, b].map((arm) => arms.get(arm)?.get(step));
      if (r === undefined || x === undefined || y === undefined) continue;
      out.pairs.push({ family, step, reference: r, a: x, b: y });
      if (x <= r) out.noWorse[0]++;
      if (y <= r) out.noWorse[1]++;
      if (x < y) out.headToHead.lower++;
      else if (x > y) out.headToHead.higher++;
      else out.headToHead.equal++;
    }
  }
  return out;
}

if (import.meta.main) {
  const { values: options, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      arms: { type: "string" },
      reference: { type: "string", default: "gp" },
      steps: { type: "string", default: "@10,@25,@50" },
      help: { type: "boolean", default: false },
    },
  });
  const arms = options.arms?.split(",") ?? [];
  if (options.help || arms.length !== 2 || positionals.length === 0) {
    console.log(
      "usage: deno run --allow-read tools/arm_counts.ts --arms A,B [--reference gp] " +
        "[--steps @10,@25,@50] RUN_DIR...",
    );
    Deno.exit(options.help ? 0 : 2);
  }
  const values = new Map<string, Map<string, Map<string, number>>>();
  for (const dir of positionals) {
    for (const table of readSummaryCsv(resolve(dir) + "/")) {
      for (const record of table.records) {
        const family = String(record.family), arm = String(record.arm);
        if (!values.has(family)) values.set(family, new Map());
        const byArm = values.get(family)!;
        if (!byArm.has(arm)) byArm.set(arm, new Map());
        for (const [key, value] of Object.entries(record)) {
          if (!/^@\d+$/.test(key) || typeof value !== "number") continue;
          const seen = byArm.get(arm)!.get(key);
          if (seen !== undefined && seen !== value) {
            throw new Error(`${dir}: ${family} ${arm} ${key} is ${value}, elsewhere ${seen}`);
          }
          byArm.get(arm)!.set(key, value);
        }
      }
    }
  }
  const [a, b] = arms;
  const counts = armCounts(values, a, b, options.reference, options.steps.split(","));
  for (const p of counts.pairs) {
    console.log(
      `${p.family} ${p.step}: ${options.reference} ${p.reference}, ${a} ${p.a}, ${b} ${p.b}`,
    );
  }
  const n = counts.pairs.length;
  console.log(
    `no worse than ${options.reference}, of ${n} pairs: ${a} ${counts.noWorse[0]}, ` +
      `${b} ${counts.noWorse[1]}`,
  );
  const h = counts.headToHead;
  console.log(`${a} against ${b}: lower in ${h.lower}, higher in ${h.higher}, equal in ${h.equal}`);
}
