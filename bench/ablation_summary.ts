/**
 * Summarises ablation rows (the `ablation.csv` that `deno task bench --suite ablation` appends to
 * while it runs) into `ablation.md` and `ablation_summary.json`, keeping only the seeds that every
 * arm finished on every function — so that a run cut short still gives a paired comparison.
 *
 * usage: deno run --allow-read --allow-write --allow-run bench/ablation_summary.ts \
 *   --csv out/ablation/ablation.csv [--csv more.csv] --out results/ablation [--command "..."]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitText, type ResultRow } from "../lib/results/mod.ts";
import { summariseAblation, writeAblationMarkdown } from "./suites/ablation.ts";
import { shellQuote } from "./args.ts";
import { runProvenance } from "./provenance.ts";

/** Parses the long-format CSV written by `toCsv` (no quoted fields in ablation rows). */
export function parseResultCsv(text: string): ResultRow[] {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header.split(",");
  return lines.filter((l) => l.length > 0).map((line) => {
    const cells = line.split(",");
    const record = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    return {
      suite: record.suite,
      task: record.task,
      method: record.method,
      seed: Number(record.seed),
      step: Number(record.step),
      metric: record.metric,
      value: Number(record.value),
    };
  });
}

/**
 * Keeps the rows of the seeds for which every (function, arm) pair has a regret; a run present in
 * several files (the same seed run twice: results are deterministic) counts once.
 */
export function completeSeeds(input: readonly ResultRow[]): ResultRow[] {
  const seen = new Set<string>();
  const rows = input.filter((r) => {
    const key = [r.task, r.method, r.seed, r.step, r.metric].join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const regrets = rows.filter((r) => r.metric === "regret");
  const pairs = new Set(regrets.map((r) => `${r.task}\u0000${r.method}`));
  const seeds = [...new Set(regrets.map((r) => r.seed))].filter((seed) =>
    regrets.filter((r) => r.seed === seed).length === pairs.size
  );
  return rows.filter((r) => seeds.includes(r.seed));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      csv: { type: "string", multiple: true },
      out: { type: "string" },
      command: { type: "string" },
    },
    strict: true,
  });
  if (!values.csv?.length || !values.out) {
    console.error("usage: ablation_summary.ts --csv FILE [--csv FILE] --out DIR [--command TEXT]");
    Deno.exit(2);
  }
  const all = values.csv.flatMap((file) => parseResultCsv(readFileSync(file, "utf8")));
  const rows = completeSeeds(all);
  const seeds = [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b);
  const tables = summariseAblation(rows);
  mkdirSync(values.out, { recursive: true });
  const command = values.command ??
    ["deno run -A bench/ablation_summary.ts", ...Deno.args.map(shellQuote)].join(" ");
  const run = await runProvenance(command, 0);
  const provenance = [
    `Command: \`${command}\`; summarised by ` +
    `\`bench/ablation_summary.ts\` over the seeds every arm finished on every function: ` +
    `${seeds.length} seeds (${seeds.join(", ")}), budget 50.`,
    `Commit ${commitText(run)}, ${run.date}, ` +
    `deno ${Deno.version.deno}, ` +
    `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores (shared).`,
  ].join("\n");
  writeAblationMarkdown(join(values.out, "ablation.md"), tables, provenance);
  writeFileSync(
    join(values.out, "ablation_summary.json"),
    JSON.stringify({ provenance, seeds, tables }, null, 1),
  );
  console.log(readFileSync(join(values.out, "ablation.md"), "utf8"));
}
