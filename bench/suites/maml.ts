/**
 * Suite `maml`: the sinusoid protocol of Finn et al. 2017 for every learner of `maml.ts`, with the
 * PyTorch MAML peer run side by side at the same number of meta-iterations, and milliseconds per
 * meta-iteration on both tfjs backends against the peer's.
 *
 * @module
 */
import { MAML_PEER_VARIANTS, runMamlBenchmark } from "../maml.ts";
import { LEARNER_KINDS } from "../../lib/maml/mod.ts";
import { runPeer } from "../../lib/bench/peers.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import type { Suite, SuiteConfig, SuiteOutput } from "./types.ts";

type MseEntry = { mean: number | null; ci95: number | null; diverged?: boolean };

function row(task: string, method: string, step: number, metric: string, value: number): ResultRow {
  return { suite: "maml", task, method, seed: 0, step, metric, value };
}

function mseRows(method: string, mse: Record<string, MseEntry | [number, number]>): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const [key, entry] of Object.entries(mse)) {
    const [, shots, steps] = key.match(/^k(\d+)_steps(\d+)$/) ?? [];
    if (!shots) continue;
    const [mean, ci95] = Array.isArray(entry) ? entry : [entry.mean, entry.ci95];
    rows.push(row(`sinusoid-k${shots}`, method, Number(steps), "mse", mean ?? NaN));
    rows.push(row(`sinusoid-k${shots}`, method, Number(steps), "mse_ci95", ci95 ?? NaN));
  }
  return rows;
}

async function peerRows(config: SuiteConfig, iterations: number): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const { method, flags } of MAML_PEER_VARIANTS) {
    config.progress(0, 1, `peer ${method}`);
    const run = await runPeer("maml_torch_peer.py", ["--iters", String(iterations), ...flags], {
      dir: config.peersDir,
    });
    if (!run.ok) {
      config.notes.push(`peer ${method} did not run: ${run.reason}`);
      continue;
    }
    const record = run.records[0] as {
      ms_per_meta_iter: number;
      mse: Record<string, [number, number]>;
    };
    rows.push(...mseRows(method, record.mse));
    rows.push(row("sinusoid", method, 0, "ms_per_meta_iteration", record.ms_per_meta_iter));
  }
  return rows;
}

function summarise(rows: ResultRow[], iterations: number): SuiteOutput["tables"] {
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
        record[`${task.replace("sinusoid-", "")} ${step} step${step > 1 ? "s" : ""}`] =
          Number.isFinite(mean) ? `${mean.toFixed(3)} ± ${ci.toFixed(3)}` : "diverged";
      }
    }
    return record;
  });
  const speed = rows.filter((r) => r.metric === "ms_per_meta_iteration").map((r) => ({
    method: r.method,
    "ms / meta-iteration": r.value,
    "vs torch-maml": r.value / value("torch-maml", "sinusoid", 0, "ms_per_meta_iteration"),
  }));
  return [
    {
      title: `Sinusoid MSE after ${iterations} meta-iterations (mean ± 95% CI over tasks)`,
      records: quality,
    },
    { title: "Milliseconds per meta-iteration", records: speed },
  ];
}

/** The `maml` suite. */
export const mamlSuite: Suite = {
  name: "maml",
  description: "Finn et al. sinusoid protocol for all MAML-family learners vs the PyTorch peer",
  async run(config) {
    const full = config.size === "full";
    const iterations = config.budget ?? (full ? 20000 : 300);
    const rows: ResultRow[] = [];
    let done = 0;
    const learners = LEARNER_KINDS;
    const result = await runMamlBenchmark({
      iterations,
      learners,
      evalTasks: full ? 600 : 200,
      timingIterations: full ? 100 : 15,
      logEvery: 0,
      onResult: (record) => config.progress(++done, learners.length, String(record.learner)),
    });
    for (const record of result.results as { learner: string; mse: Record<string, MseEntry> }[]) {
      rows.push(...mseRows(record.learner, record.mse));
    }
    for (const [learner, timing] of Object.entries(result.msPerMetaIterationByBackend)) {
      rows.push(row("sinusoid", `${learner} (wasm)`, 0, "ms_per_meta_iteration", timing.wasmWall));
      rows.push(row("sinusoid", `${learner} (cpu)`, 0, "ms_per_meta_iteration", timing.cpuWall));
    }
    if (config.peers) rows.push(...await peerRows(config, iterations));
    return { rows, tables: summarise(rows, iterations) };
  },
};
