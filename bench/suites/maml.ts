/**
 * Suite `maml`: the sinusoid protocol of Finn et al. 2017 for every learner of `maml.ts`, and
 * milliseconds per meta-iteration on both tfjs backends against the PyTorch reference measured in
 * the same run. With `--full` the PyTorch MAML peer (second-order MAML, first-order MAML,
 * Meta-SGD: three processes of one thread) is also trained at the same number of meta-iterations
 * (20,000, or `--budget`), side by side with ours; the quick size times the PyTorch loop only
 * (`bench/peers/maml_speed_torch.py`), since training it as long would take most of the quick
 * budget.
 *
 * Quick size: 5,000 meta-iterations per learner. Measured with
 * `deno run -A bench/maml.ts --iters 5000 --learners maml,metasgd --eval-tasks 200
 * --eval-at 500,1000,1500,2000,3000,4000`: second-order MAML's K = 5 MSE after 10 steps is about
 * 0.8 at 2,000 iterations, 0.6 at 3,000 and 0.43 at 5,000, where it is also below its 1-step MSE;
 * fewer iterations leave the learners short of what the protocol is about.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { finiteTaskSummary, MAML_PEER_VARIANTS, runMamlBenchmark, runMamlSpeed } from "../maml.ts";
import { LEARNER_KINDS } from "../../lib/maml/mod.ts";
import { runPeer } from "../../lib/bench/peers.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import type { Suite, SuiteConfig, SuiteOutput } from "./types.ts";
import { formatMseCell, lossFigure } from "./maml_cells.ts";

/** One evaluation of ours (`bench/maml.ts`): the plain mean, and the shared finite rule. */
export type MseEntry = {
  mean: number | null;
  ci95: number | null;
  diverged?: boolean;
  finiteMean?: number | null;
  finiteCi95?: number | null;
  median?: number | null;
  divergedTasks?: number;
  tasks?: number;
};

/** Folder of `maml_per_task.py`, the wrapper that runs the shared MAML peer. */
const WRAPPER_DIR = fileURLToPath(new URL("../peers/", import.meta.url));

function row(task: string, method: string, step: number, metric: string, value: number): ResultRow {
  return { suite: "maml", task, method, seed: 0, step, metric, value };
}

/**
 * Rows of one learner's evaluations. `mse`, `mse_ci95` and `mse_median` follow the shared rule of
 * the project's tables (statistics over the tasks whose query loss stayed finite) and
 * `diverged_tasks` / `tasks` count the others; `mse_all_tasks` is the plain mean over every task
 * (NaN or huge when one task blew up).
 */
export function mseRows(method: string, mse: Record<string, MseEntry>): ResultRow[] {
  const rows: ResultRow[] = [];
  // A non-finite statistic (a plain mean over tasks one of which blew up) is recorded as NaN.
  const value = (x: number | null | undefined) =>
    typeof x === "number" && Number.isFinite(x) ? x : NaN;
  for (const [key, entry] of Object.entries(mse)) {
    const [, shots, steps] = key.match(/^k(\d+)_steps(\d+)$/) ?? [];
    if (!shots) continue;
    const add = (metric: string, x: number | null | undefined) =>
      rows.push(row(`sinusoid-k${shots}`, method, Number(steps), metric, value(x)));
    add("mse", entry.finiteMean ?? entry.mean);
    add("mse_ci95", entry.finiteCi95 ?? entry.ci95);
    add("mse_median", entry.median);
    add("diverged_tasks", entry.divergedTasks);
    add("tasks", entry.tasks);
    add("mse_all_tasks", entry.mean);
  }
  return rows;
}

/** The peer's record: its own mean ± CI per evaluation and each task's loss (the wrapper's). */
function peerMse(record: {
  mse: Record<string, [number, number]>;
  per_task?: Record<string, number[]>;
}): Record<string, MseEntry> {
  return Object.fromEntries(
    Object.entries(record.mse).map(([key, [mean, ci95]]) => {
      const perTask = record.per_task?.[key];
      return [key, { mean, ci95, ...(perTask ? finiteTaskSummary(perTask) : {}) }];
    }),
  );
}

async function peerRows(config: SuiteConfig, iterations: number): Promise<ResultRow[]> {
  const script = resolve(config.peersDir, "maml_torch_peer.py");
  if (!existsSync(script)) {
    config.notes.push(`the PyTorch MAML peer did not run: ${script} not found`);
    return [];
  }
  // The variants are independent processes: they run side by side (one thread each).
  const runs = await Promise.all(MAML_PEER_VARIANTS.map(async ({ method, flags }) => {
    config.progress(0, 1, `peer ${method}`);
    // The shared peer, unmodified, through a wrapper that adds its per-task losses.
    const run = await runPeer(
      "maml_per_task.py",
      ["--peers-dir", resolve(config.peersDir), "maml_torch_peer.py", "--iters", String(iterations)]
        .concat(flags),
      { dir: WRAPPER_DIR },
    );
    return { method, run };
  }));
  const rows: ResultRow[] = [];
  for (const { method, run } of runs) {
    if (!run.ok) {
      config.notes.push(`peer ${method} did not run: ${run.reason}`);
      continue;
    }
    const record = run.records[0] as {
      ms_per_meta_iter: number;
      mse: Record<string, [number, number]>;
      per_task?: Record<string, number[]>;
    };
    rows.push(...mseRows(method, peerMse(record)));
    rows.push(row("sinusoid", method, 0, "ms_per_meta_iteration", record.ms_per_meta_iter));
  }
  return rows;
}

/**
 * The suite's tables from its rows: MSE mean ± 95% CI and median over tasks per learner, then
 * milliseconds per meta-iteration with the CPU time against the PyTorch MAML reference timed in
 * the same run. A figure the run did not measure reads "–", never NaN, and `notes` receives why:
 * the trained PyTorch peers report wall time only, and without the timed reference (`--no-peers`,
 * or it did not run) there is no CPU ratio.
 *
 * @example
 * ```ts
 * import { mamlTables } from "./maml.ts";
 * const row = (method: string, metric: string, value: number) =>
 *   ({ suite: "maml", task: "sinusoid", method, seed: 0, step: 0, metric, value });
 * const notes: string[] = [];
 * const [, , speed] = mamlTables([
 *   row("maml (wasm)", "ms_per_meta_iteration", 1.2),
 *   row("maml (wasm)", "cpu_ms_per_meta_iteration", 1.3),
 * ], 5000, notes);
 * speed.records[0]["CPU vs PyTorch MAML"]; // "–"
 * ```
 */
export function mamlTables(
  rows: readonly ResultRow[],
  iterations: number,
  notes: string[],
): SuiteOutput["tables"] {
  const methods = [...new Set(rows.filter((r) => r.metric === "mse").map((r) => r.method))];
  const value = (method: string, task: string, step: number, metric: string) =>
    rows.find((r) =>
      r.method === method && r.task === task && r.step === step && r.metric === metric
    )?.value ?? NaN;
  const quality = methods.map((method) => {
    const record: Record<string, string | number> = { method };
    for (const task of ["sinusoid-k5", "sinusoid-k10"]) {
      for (const step of [1, 10]) {
        const mean = value(method, task, step, "mse");
        const ci = value(method, task, step, "mse_ci95");
        const diverged = value(method, task, step, "diverged_tasks");
        const tasks = value(method, task, step, "tasks");
        record[`${task.replace("sinusoid-", "")} ${step} step${step > 1 ? "s" : ""}`] =
          formatMseCell(mean, ci, diverged, tasks);
      }
    }
    return record;
  });
  const medians = methods.map((method) => {
    const record: Record<string, string | number> = { method };
    for (const task of ["sinusoid-k5", "sinusoid-k10"]) {
      for (const step of [1, 10]) {
        const median = value(method, task, step, "mse_median");
        record[`${task.replace("sinusoid-", "")} ${step} step${step > 1 ? "s" : ""}`] =
          Number.isFinite(median) ? lossFigure(median) : "–";
      }
    }
    return record;
  });
  const reference = ["torch-maml (timed)", "torch-maml"].find((m) =>
    Number.isFinite(value(m, "sinusoid", 0, "cpu_ms_per_meta_iteration"))
  );
  const referenceCpu = reference
    ? value(reference, "sinusoid", 0, "cpu_ms_per_meta_iteration")
    : NaN;
  const measured = (method: string, metric: string) =>
    rows.some((r) => r.method === method && r.task === "sinusoid" && r.metric === metric);
  const wallOnly: string[] = [];
  const speed = rows.filter((r) => r.metric === "ms_per_meta_iteration").map((r) => {
    const hasCpu = measured(r.method, "cpu_ms_per_meta_iteration");
    if (!hasCpu) wallOnly.push(r.method);
    const cpu = value(r.method, "sinusoid", 0, "cpu_ms_per_meta_iteration");
    return {
      method: r.method,
      "wall ms / meta-iteration": r.value,
      "CPU ms / meta-iteration": hasCpu ? cpu : "–",
      "CPU vs PyTorch MAML": hasCpu && reference !== undefined ? cpu / referenceCpu : "–",
    };
  });
  if (wallOnly.length > 0) {
    notes.push(
      `maml: ${wallOnly.join(", ")} report wall time only (the PyTorch peer measures no CPU ` +
        "time): their CPU cells read –",
    );
  }
  if (speed.length > 0 && reference === undefined) {
    notes.push(
      "maml: no PyTorch MAML timing reference in this run (--no-peers, or it did not run): " +
        '"CPU vs PyTorch MAML" reads –',
    );
  }
  return [
    {
      title: `Sinusoid MSE after ${iterations} meta-iterations (mean ± 95% CI over tasks)`,
      records: quality,
    },
    {
      title: `Median query MSE over tasks after ${iterations} meta-iterations (robust to a ` +
        "task that blows up)",
      records: medians.filter((r) => Object.values(r).some((v) => v !== "–" && v !== r.method)),
    },
    {
      title: "Milliseconds per meta-iteration, meta-batch 25 (process CPU time is the fair " +
        "figure on a shared machine)",
      records: speed,
    },
  ];
}

/** The `maml` suite. */
export const mamlSuite: Suite = {
  name: "maml",
  description: "Finn et al. sinusoid protocol for all MAML-family learners vs the PyTorch peer",
  // One training run per learner; --budget sets its meta-iterations.
  ignores: ["seeds"],
  budgetUse:
    "meta-iterations per learner (default 5000, 20000 with --full, where the PyTorch peer trains as many)",
  async run(config) {
    const full = config.size === "full";
    const iterations = config.budget ?? (full ? 20000 : 5000);
    const rows: ResultRow[] = [];
    let done = 0;
    const learners = LEARNER_KINDS;
    // The PyTorch peer trains in its own process, side by side with ours (one core each).
    const peers = full && config.peers ? peerRows(config, iterations) : Promise.resolve([]);
    const result = await runMamlBenchmark({
      iterations,
      learners,
      evalTasks: full ? 600 : 200,
      timingIterations: full ? 100 : 30,
      logEvery: 0,
      onResult: (record) => config.progress(++done, learners.length, String(record.learner)),
    });
    for (const record of result.results as { learner: string; mse: Record<string, MseEntry> }[]) {
      rows.push(...mseRows(record.learner, record.mse));
    }
    for (const [learner, timing] of Object.entries(result.msPerMetaIterationByBackend)) {
      for (const backend of ["wasm", "cpu"] as const) {
        const method = `${learner} (${backend})`;
        rows.push(row("sinusoid", method, 0, "ms_per_meta_iteration", timing[`${backend}Wall`]));
        rows.push(row("sinusoid", method, 0, "cpu_ms_per_meta_iteration", timing[`${backend}Cpu`]));
      }
    }
    if (config.peers) {
      rows.push(...await peers);
      config.progress(0, 1, "PyTorch MAML timing");
      const [speed] = await runMamlSpeed({
        iterations: full ? 300 : 100,
        metaBatchSizes: [25],
        widths: [40],
        tape: false,
      });
      if (Number.isFinite(speed.torchCpu)) {
        const method = "torch-maml (timed)";
        rows.push(row("sinusoid", method, 0, "ms_per_meta_iteration", speed.torchWall));
        rows.push(row("sinusoid", method, 0, "cpu_ms_per_meta_iteration", speed.torchCpu));
        const ours = "maml (wasm, timed with it)";
        rows.push(row("sinusoid", ours, 0, "ms_per_meta_iteration", speed.fusedWall));
        rows.push(row("sinusoid", ours, 0, "cpu_ms_per_meta_iteration", speed.fusedCpu));
      } else config.notes.push("maml: the PyTorch timing reference did not run");
    }
    return { rows, tables: mamlTables(rows, iterations, config.notes) };
  },
};
