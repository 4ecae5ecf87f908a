/**
 * Leave-one-task-out transfer on tabular meta-data brought from outside the project, through the
 * public protocol (`tabularProblems`, `leaveOneTaskOut`): each file is one problem set, every task
 * held out in turn and seeing the others, with the tables of the `transfer` suites (mean
 * normalised regret with 95% intervals over tasks, average ranks, seconds per run) and the
 * default strategy's checks against plain GP-BO (`defaultStrategyTables`).
 *
 * A file is JSON (gzipped when its name ends in `.gz`):
 * `{ learner, space, direction?, tasks: [{ id, rows: [{ params, value }] }] }`,
 * with `space` in the form of `Space.toJSON` (`bench/sklearn_metadata.py` writes such files from
 * scikit-learn learners on the committed PMLB datasets). With `--meta-features pmlb` (the
 * default), a task whose id names a dataset of the committed PMLB meta-dataset gets that dataset's
 * meta-features (those finite on every task of the set), as a user would compute them with
 * `extractMetaFeatures`; `--meta-features none` gives none.
 *
 * ```sh
 * deno run -A --lock=deno.lock bench/transfer_tabular.ts --tasks out/sklearn/svm.json \
 *   [--tasks out/sklearn/glmnet.json] [--seeds 3] [--budget 50] [--methods gp,rgpe-gp,…] \
 *   [--meta-features pmlb|none] [--out DIR]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { spaceFromJSON } from "../lib/space/space.ts";
import {
  tabularProblems,
  type TransferMethod,
  type TransferProblem,
} from "../lib/protocols/transfer.ts";
import { loadMetaDataset } from "../lib/tasks/metadataset/mod.ts";
import { provenanceLine, recordsMarkdown } from "../lib/results/mod.ts";
import { integerArg } from "./args.ts";
import { runProvenance, writeBenchOutput } from "./provenance.ts";
import {
  defaultStrategyTables,
  runTransferProblemSets,
  TRANSFER_METHODS,
} from "./suites/transfer.ts";

/** Methods run by default: every strategy of the `transfer` suites but joint ABLR and FSBO. */
export const TABULAR_BENCH_METHODS: readonly TransferMethod[] = TRANSFER_METHODS.filter((m) =>
  m !== "ablr" && m !== "fsbo"
);

/** One file of tabular meta-data, as read. */
export interface TabularFile {
  /** The learner's name (the problem set's label and the prefix of its task ids). */
  learner: string;
  /** The search space (`Space.toJSON` form). */
  space: unknown;
  /** Whether lower or higher values are better (default `"minimize"`). */
  direction?: "minimize" | "maximize";
  /** One table per task. */
  tasks: { id: string; rows: { params: Record<string, unknown>; value: number | null }[] }[];
}

/**
 * The committed PMLB meta-dataset's meta-features by dataset name, restricted to those finite on
 * every dataset named in `ids`; datasets it does not hold get none.
 */
export async function pmlbMetaFeatures(
  ids: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const metaDataset = await loadMetaDataset({ name: "pmlb" });
  const byDataset = new Map<string, Record<string, number>>();
  for (const task of metaDataset.tasks) {
    if (!byDataset.has(task.dataset)) byDataset.set(task.dataset, task.metaFeatures);
  }
  const known = ids.filter((id) => byDataset.has(id));
  if (known.length === 0) return new Map();
  const names = Object.keys(byDataset.get(known[0])!).filter((name) =>
    known.every((id) => Number.isFinite(byDataset.get(id)![name]))
  );
  return new Map(
    known.map((id) => [id, Object.fromEntries(names.map((n) => [n, byDataset.get(id)![n]]))]),
  );
}

/** Reads a file of tabular meta-data: JSON, or gzipped JSON when the name ends in `.gz`. */
export function readTabularFile(path: string): TabularFile {
  const bytes = readFileSync(path);
  const text = new TextDecoder().decode(path.endsWith(".gz") ? gunzipSync(bytes) : bytes);
  return JSON.parse(text) as TabularFile;
}

/** The pool-mode problems of one file, ids `LEARNER:TASK`. */
export function fileProblems(
  file: TabularFile,
  metaFeatures: Map<string, Record<string, number>>,
): TransferProblem<Record<string, unknown>>[] {
  const tasks = file.tasks.map((task) => ({
    id: `${file.learner}:${task.id}`,
    rows: task.rows,
    ...(metaFeatures.has(task.id) ? { metaFeatures: metaFeatures.get(task.id) } : {}),
  }));
  return tabularProblems(spaceFromJSON(file.space), tasks, {
    direction: file.direction ?? "minimize",
  }) as TransferProblem<Record<string, unknown>>[];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      tasks: { type: "string", multiple: true },
      seeds: { type: "string", default: "3" },
      budget: { type: "string", default: "50" },
      methods: { type: "string" },
      "meta-features": { type: "string", default: "pmlb" },
      out: { type: "string", default: "out/transfer_tabular" },
    },
    strict: true,
  });
  if (!values.tasks?.length) throw new RangeError("--tasks: at least one file is required");
  if (!["pmlb", "none"].includes(values["meta-features"])) {
    throw new RangeError(`--meta-features: "pmlb" or "none", got "${values["meta-features"]}"`);
  }
  const seeds = integerArg(values.seeds, "seeds", 1);
  const budget = integerArg(values.budget, "budget", 1);
  const methods = values.methods
    ? values.methods.split(",").map((m) => {
      if (!TRANSFER_METHODS.includes(m as TransferMethod)) {
        throw new RangeError(`--methods: unknown "${m}" (${TRANSFER_METHODS.join(", ")})`);
      }
      return m as TransferMethod;
    })
    : TABULAR_BENCH_METHODS;
  const started = performance.now();
  const sets = [];
  for (const path of values.tasks) {
    const file = readTabularFile(path);
    const metaFeatures = values["meta-features"] === "pmlb"
      ? await pmlbMetaFeatures(file.tasks.map((t) => t.id))
      : new Map();
    const problems = fileProblems(file, metaFeatures);
    sets.push({
      label:
        `${file.learner} (${problems.length} held-out of ${problems.length} tasks, ${seeds} seeds)`,
      problems,
    });
  }
  const result = await runTransferProblemSets(
    sets,
    {
      heldOut: Math.max(...sets.map((s) => s.problems.length)),
      seeds,
      budget,
      methods,
      onProgress: (done, total, label) => {
        if (done % 50 === 0 || done === total) console.error(`${done}/${total} ${label}`);
      },
    },
    "",
  );
  const tables = [...result.tables, ...defaultStrategyTables(result.sets)];
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/transfer_tabular.ts", ...Deno.args].join(
    " ",
  );
  const provenance = await runProvenance(command, seconds);
  const markdown = [
    "# Leave-one-task-out transfer on tabular meta-data",
    "",
    provenanceLine(provenance),
    "",
    ...tables.map((t) => recordsMarkdown(t.title, t.records)),
  ].join("\n");
  await writeBenchOutput(values.out, {
    rows: result.rows.map((r) => ({ ...r, suite: "transfer-tabular" })),
    sections: tables,
    markdown,
    provenance,
  });
  console.log(markdown);
  console.log(`wall time ${seconds.toFixed(1)} s; written to ${values.out}/`);
}
