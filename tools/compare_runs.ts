/**
 * What changed between two versions of a committed output: the values of a run's `results.csv`
 * (one metric, `regret` by default), or the evaluations of a meta-dataset's `metadataset.json`
 * (per model, the runs whose validation or test error or loss differ). Each side is a file path
 * or `REV:path` (read with `git show`), so a change can be measured from the history:
 *
 * ```sh
 * deno run --allow-read --allow-run tools/compare_runs.ts \
 *   6070cc4~1:results/rf/full/results.csv 6070cc4:results/rf/full/results.csv
 * deno run --allow-read --allow-run tools/compare_runs.ts \
 *   1c951e8~1:datasets/pmlb-metadataset/metadataset.json datasets/pmlb-metadataset/metadataset.json
 * ```
 *
 * Options: `--metric NAME` (results files; default `regret`), `--list N` (differences listed, default
 * 10).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseResultsCsv } from "../lib/results/mod.ts";
import { integerArg } from "../bench/args.ts";

/** One value that differs between the two sides. */
export interface ChangedValue {
  key: string;
  before: number;
  after: number;
}

/** The comparison of two `results.csv` texts on one metric. */
export interface ResultsComparison {
  metric: string;
  /** Rows of the metric on both sides. */
  compared: number;
  /** Rows on one side only. */
  onlyBefore: number;
  onlyAfter: number;
  changed: ChangedValue[];
}

const same = (a: number, b: number) => Object.is(a, b) || a === b;

/**
 * Compares the `metric` rows of two `results.csv` texts, keyed by task, method, seed and step.
 * A metric that neither text has (a misspelt name) is a RangeError naming it and the metrics they
 * have, rather than a comparison of nothing.
 *
 * @example
 * ```ts
 * import { compareResults } from "./compare_runs.ts";
 * const header = "suite,task,method,seed,step,metric,value\n";
 * compareResults(header + "s,t,m,0,1,regret,2\n", header + "s,t,m,0,1,regret,1.5\n").changed;
 * // [{ key: "t m seed 0 step 1", before: 2, after: 1.5 }]
 * ```
 */
export function compareResults(
  before: string,
  after: string,
  metric = "regret",
): ResultsComparison {
  const rowsBefore = parseResultsCsv(before, "before");
  const rowsAfter = parseResultsCsv(after, "after");
  if (![...rowsBefore, ...rowsAfter].some((r) => r.metric === metric)) {
    const metrics = [...new Set([...rowsBefore, ...rowsAfter].map((r) => r.metric))].sort();
    throw new RangeError(
      `metric ${JSON.stringify(metric)}: in neither file (their metrics: ${
        metrics.length > 0 ? metrics.join(", ") : "none"
      })`,
    );
  }
  const index = (rows: typeof rowsBefore) =>
    new Map(
      rows.filter((r) => r.metric === metric).map((r) => [
        `${r.task} ${r.method} seed ${r.seed} step ${r.step}`,
        r.value,
      ]),
    );
  const a = index(rowsBefore);
  const b = index(rowsAfter);
  const changed: ChangedValue[] = [];
  let compared = 0;
  for (const [key, value] of a) {
    if (!b.has(key)) continue;
    compared++;
    if (!same(value, b.get(key)!)) changed.push({ key, before: value, after: b.get(key)! });
  }
  return {
    metric,
    compared,
    onlyBefore: [...a.keys()].filter((k) => !b.has(k)).length,
    onlyAfter: [...b.keys()].filter((k) => !a.has(k)).length,
    changed,
  };
}

/** Per model, how many evaluations of a meta-dataset differ between two versions. */
export interface MetaDatasetComparison {
  model: string;
  tasks: number;
  runs: number;
  changedTasks: number;
  changedRuns: number;
}

const FIELDS = ["validationError", "testError", "validationLoss", "testLoss"] as const;

interface TaskJson {
  id: string;
  model: string;
  [field: string]: unknown;
}

/**
 * Compares two `metadataset.json` texts task by task: a run (a configuration of a task) changed
 * when its validation or test error or loss differs; tasks on one side only are not counted.
 *
 * @example
 * ```ts
 * import { compareMetaDatasets } from "./compare_runs.ts";
 * const md = (e: number) =>
 *   JSON.stringify({ tasks: [{ id: "d/rf", model: "rf", validationError: [0.1, e], testError: [0, 0], validationLoss: [1, 1], testLoss: [1, 1] }] });
 * compareMetaDatasets(md(0.2), md(0.3)); // [{ model: "rf", tasks: 1, runs: 2, changedTasks: 1, changedRuns: 1 }]
 * ```
 */
export function compareMetaDatasets(before: string, after: string): MetaDatasetComparison[] {
  const tasks = (text: string) =>
    new Map((JSON.parse(text).tasks as TaskJson[]).map((t) => [t.id, t]));
  const a = tasks(before);
  const b = tasks(after);
  const byModel = new Map<string, MetaDatasetComparison>();
  for (const [id, task] of a) {
    const other = b.get(id);
    if (!other) continue;
    const entry = byModel.get(task.model) ??
      { model: task.model, tasks: 0, runs: 0, changedTasks: 0, changedRuns: 0 };
    byModel.set(task.model, entry);
    const runs = (task.validationError as number[]).length;
    let changed = 0;
    for (let i = 0; i < runs; i++) {
      const differs = FIELDS.some((f) =>
        !same((task[f] as number[])[i], (other[f] as number[] | undefined)?.[i] ?? NaN)
      );
      if (differs) changed++;
    }
    entry.tasks++;
    entry.runs += runs;
    entry.changedRuns += changed;
    if (changed > 0) entry.changedTasks++;
  }
  return [...byModel.values()];
}

/** The text of `REV:path` (via `git show`) or of a file. */
async function read(spec: string): Promise<string> {
  const match = /^((?:[0-9a-fA-F]{4,40}|HEAD)[~^0-9]*):(.+)$/.exec(spec);
  if (!match) return Deno.readTextFileSync(spec);
  const out = await new Deno.Command("git", { args: ["show", `${match[1]}:${match[2]}`] })
    .output();
  if (!out.success) {
    throw new Error(`git show ${spec}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return new TextDecoder().decode(out.stdout);
}

const USAGE = "usage: compare_runs.ts [--metric NAME] [--list N] BEFORE AFTER (files or REV:path)";

async function main(): Promise<void> {
  let parsed;
  let list = 10;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        metric: { type: "string" },
        list: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (parsed.values.list !== undefined) list = integerArg(parsed.values.list, "list", 0);
  } catch (error) {
    console.error(`compare_runs: ${(error as Error).message.split("\n")[0]}\n${USAGE}`);
    Deno.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 2) {
    console.error(USAGE);
    Deno.exit(2);
  }
  let before: string, after: string;
  try {
    [before, after] = await Promise.all(positionals.map(read));
  } catch (error) {
    console.error(`compare_runs: ${(error as Error).message.split("\n")[0]}`);
    Deno.exit(1);
  }
  let c: ResultsComparison | undefined;
  if (!positionals[1].endsWith(".json")) {
    try {
      c = compareResults(before, after, values.metric);
    } catch (error) {
      const message = (error as Error).message.split("\n")[0];
      console.error(`compare_runs: ${error instanceof RangeError ? "--metric: " : ""}${message}`);
      Deno.exit(error instanceof RangeError ? 2 : 1);
    }
  }
  console.log(`Before: \`${positionals[0]}\`; after: \`${positionals[1]}\`.`);
  if (positionals[1].endsWith(".json")) {
    console.log(
      "\n| model | tasks | runs | tasks changed | runs changed |\n| --- | ---: | ---: | ---: | ---: |",
    );
    for (const m of compareMetaDatasets(before, after)) {
      console.log(`| ${m.model} | ${m.tasks} | ${m.runs} | ${m.changedTasks} | ${m.changedRuns} |`);
    }
    return;
  }
  if (c === undefined) return;
  console.log(
    `\n${c.changed.length} of ${c.compared} ${c.metric} values changed` +
      ` (${c.onlyBefore} rows only before, ${c.onlyAfter} only after).`,
  );
  for (const d of c.changed.slice(0, list)) {
    console.log(`- ${d.key}: ${d.before.toPrecision(3)} → ${d.after.toPrecision(3)}`);
  }
  if (c.changed.length > list) console.log(`- (+${c.changed.length - list} more)`);
}

if (import.meta.main) await main();
