/**
 * Puts one ablation arm (our optimiser) beside peer runs: median simple regret at the budget per
 * function, the ratios to each peer, Hartmann-6 successes and the time per trial. Inputs are the
 * `ablation.csv` of `deno task bench --suite ablation` and the JSON lines the peer runners print
 * (`bench/peers/more_functions.py --peers-dir ../shared/peers botorch_peer.py … > botorch.jsonl`).
 *
 * usage: deno run --allow-read --allow-write --allow-run bench/side_by_side.ts \
 *   --ours out/ablation/ablation.csv --arm default --peer botorch-logei.jsonl [--peer …] \
 *   --out results/ablation [--command "…"]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { median } from "../lib/stats/mod.ts";
import { parsePythonJson } from "../lib/bench/peers.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { completeSeeds, parseResultCsv } from "./ablation_summary.ts";
import { HARTMANN6_SUCCESS } from "./suites/ablation.ts";
import { shellQuote } from "./args.ts";
import { runProvenance } from "./provenance.ts";
import { commitText } from "../lib/results/mod.ts";

interface Column {
  name: string;
  regret: Map<string, { median: number; seeds: number; successes?: number }>;
  secondsPerTrial: Map<string, number>;
}

/**
 * The peers' columns from their JSON lines. Records of the same peer and function from several
 * files (runs over different seeds) are pooled: the median is taken over all their regrets and the
 * time per trial is the seed-weighted mean.
 */
function peerColumns(files: readonly string[]): Column[] {
  const pooled = new Map<
    string,
    Map<string, { regrets: number[]; seconds: number[]; seeds: number[] }>
  >();
  const fallback = new Map<
    string,
    Map<string, { median: number; seeds: number; seconds: number }>
  >();
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim().startsWith("{")) continue;
      const record = parsePythonJson(line);
      const name = String(record.peer), func = String(record.func);
      if (!Array.isArray(record.regrets)) {
        // Without per-seed regrets a record cannot be pooled: its own median is used.
        const byFunc = fallback.get(name) ?? new Map();
        fallback.set(name, byFunc);
        byFunc.set(func, {
          median: Number(record.median_regret),
          seeds: Number(record.seeds),
          seconds: Number(record.seconds_per_trial),
        });
        continue;
      }
      const byFunc = pooled.get(name) ?? new Map();
      pooled.set(name, byFunc);
      const entry = byFunc.get(func) ?? { regrets: [], seconds: [], seeds: [] };
      byFunc.set(func, entry);
      entry.regrets.push(...record.regrets.map(Number));
      entry.seconds.push(Number(record.seconds_per_trial));
      entry.seeds.push(Number(record.seeds));
    }
  }
  const names = new Set([...pooled.keys(), ...fallback.keys()]);
  return [...names].map((name) => {
    const column: Column = { name, regret: new Map(), secondsPerTrial: new Map() };
    for (const [func, r] of fallback.get(name) ?? []) {
      column.regret.set(func, { median: r.median, seeds: r.seeds });
      column.secondsPerTrial.set(func, r.seconds);
    }
    for (const [func, e] of pooled.get(name) ?? []) {
      column.regret.set(func, {
        median: median(e.regrets),
        seeds: e.regrets.length,
        successes: e.regrets.filter((v) => v <= HARTMANN6_SUCCESS).length,
      });
      const total = e.seeds.reduce((a, b) => a + b, 0);
      column.secondsPerTrial.set(
        func,
        e.seconds.reduce((acc, sec, i) => acc + sec * e.seeds[i], 0) / total,
      );
    }
    return column;
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      ours: { type: "string" },
      arm: { type: "string" },
      peer: { type: "string", multiple: true },
      out: { type: "string" },
      command: { type: "string" },
    },
    strict: true,
  });
  if (!values.ours || !values.arm || !values.out) {
    console.error("usage: side_by_side.ts --ours CSV --arm NAME --peer JSONL… --out DIR");
    Deno.exit(2);
  }
  const rows = completeSeeds(parseResultCsv(readFileSync(values.ours, "utf8")))
    .filter((r) => r.method === values.arm);
  const functions = [...new Set(rows.map((r) => r.task))];
  const ours: Column = {
    name: `metahpo ${values.arm}`,
    regret: new Map(),
    secondsPerTrial: new Map(),
  };
  for (const f of functions) {
    const regrets = rows.filter((r) => r.task === f && r.metric === "regret").map((r) => r.value);
    ours.regret.set(f, {
      median: median(regrets),
      seeds: regrets.length,
      successes: regrets.filter((v) => v <= HARTMANN6_SUCCESS).length,
    });
    ours.secondsPerTrial.set(
      f,
      median(
        rows.filter((r) => r.task === f && r.metric === "seconds_per_trial").map((r) => r.value),
      ),
    );
  }
  const peers = peerColumns(values.peer ?? []);
  const cell = (c: Column, f: string) => {
    const r = c.regret.get(f);
    if (!r) return "–";
    const h6 = f === "hartmann6" && r.successes !== undefined
      ? `, ${r.successes}/${r.seeds} ≤ 5e-3`
      : "";
    return `${formatNumber(r.median)} (${r.seeds}${h6})`;
  };
  const ratio = (f: string, peer: Column) => {
    const a = ours.regret.get(f)?.median, b = peer.regret.get(f)?.median;
    return a === undefined || b === undefined ? "–" : formatNumber(a / b);
  };
  const header = [
    "function",
    ...[ours, ...peers].map((c) => `${c.name} median (seeds)`),
    ...peers.map((p) => `ours / ${p.name}`),
  ];
  const table = functions.map((f) => [
    f,
    ...[ours, ...peers].map((c) => cell(c, f)),
    ...peers.map((p) => ratio(f, p)),
  ]);
  const timeHeader = ["function", ...[ours, ...peers].map((c) => `${c.name} s/trial`)];
  const timeTable = functions.map((f) => [
    f,
    ...[ours, ...peers].map((c) => {
      const s = c.secondsPerTrial.get(f);
      return s === undefined ? "–" : formatNumber(s);
    }),
  ]);
  const md = (head: string[], body: string[][]) =>
    [
      `| ${head.join(" | ")} |`,
      `|${head.map(() => "---").join("|")}|`,
      ...body.map((r) => `| ${r.join(" | ")} |`),
    ]
      .join("\n");
  const command = values.command ??
    ["deno run -A bench/side_by_side.ts", ...Deno.args.map(shellQuote)].join(" ");
  const run = await runProvenance(command, 0);
  const text = [
    `## ${ours.name} beside the peers (median simple regret after 50 evaluations)`,
    "",
    `Command: \`${command}\`; ours from ${values.ours} ` +
    `(seeds every ablation arm finished), peers from ${(values.peer ?? []).join(", ")}. ` +
    `Commit ${commitText(run)}, ${run.date}, ` +
    `deno ${Deno.version.deno}.`,
    "",
    md(header, table),
    "",
    md(timeHeader, timeTable),
    "",
  ].join("\n");
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, `side_by_side_${values.arm}.md`), text);
  console.log(text);
}
