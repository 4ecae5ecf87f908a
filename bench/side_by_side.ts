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

interface Column {
  name: string;
  regret: Map<string, { median: number; seeds: number; successes?: number }>;
  secondsPerTrial: Map<string, number>;
}

function peerColumns(file: string): Column[] {
  const columns = new Map<string, Column>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    const record = parsePythonJson(line);
    const name = String(record.peer);
    const column = columns.get(name) ??
      { name, regret: new Map(), secondsPerTrial: new Map() };
    columns.set(name, column);
    const func = String(record.func);
    const regrets = Array.isArray(record.regrets) ? record.regrets.map(Number) : undefined;
    column.regret.set(func, {
      median: Number(record.median_regret),
      seeds: Number(record.seeds),
      successes: regrets?.filter((v) => v <= HARTMANN6_SUCCESS).length,
    });
    column.secondsPerTrial.set(func, Number(record.seconds_per_trial));
  }
  return [...columns.values()];
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
  const peers = (values.peer ?? []).flatMap(peerColumns);
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
  const text = [
    `## ${ours.name} beside the peers (median simple regret after 50 evaluations)`,
    "",
    `Command: \`${values.command ?? "bench/side_by_side.ts"}\`; ours from ${values.ours} ` +
    `(seeds every ablation arm finished), peers from ${(values.peer ?? []).join(", ")}. ` +
    `${new Date().toISOString()}, deno ${Deno.version.deno}.`,
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
