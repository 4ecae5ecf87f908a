/**
 * Suite `storage`: the study storage's costs, as ratios against references measured in the same
 * run — overhead per trial on SQLite next to Optuna's RDB storage on SQLite, throughput of 1, 2,
 * 4 and 8 worker processes on one study (objective: a 200 ms sleep, random search; target ≥ 6×
 * one worker's at 8), and a 10,000-trial study (load ≤ 1 s; ask cost not growing with the
 * stored trials). PostgreSQL throughput too when `METAHPO_TEST_POSTGRES` names a server.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { runPeer } from "../../lib/bench/peers.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import { largeStudy, sqliteOverhead, workerThroughput } from "../storage.ts";
import type { Suite } from "./types.ts";

function row(task: string, method: string, metric: string, value: number, step = 0): ResultRow {
  return { suite: "storage", task, method, seed: -1, step, metric, value };
}

/**
 * The rows of the 10,000-trial study: `loadStudy`'s seconds and their ratio to the 1 s target
 * (a `ratio`: above 1 is under the target), and the milliseconds of an ask+tell at 100 and at
 * 10,000 stored trials with their quotient, a `slowdown` (above 1 is slower with more trials: not
 * one of the report's ratios, where above 1 is metahpo ahead).
 *
 * @example
 * ```ts
 * import { largeStudyRows } from "./storage.ts";
 * largeStudyRows({ loadSeconds: 0.5, askMsSmall: 2, askMsLarge: 3 }).at(-1)?.metric; // "slowdown"
 * ```
 */
export function largeStudyRows(
  large: { loadSeconds: number; askMsSmall: number; askMsLarge: number },
): ResultRow[] {
  const askTell = "ask+tell, random search, SQLite";
  return [
    row("10,000-trial study SQLite", "metahpo loadStudy", "seconds", large.loadSeconds),
    row("10,000-trial study SQLite", "target 1 s / loadStudy", "ratio", 1 / large.loadSeconds),
    row(askTell, "metahpo at 100 trials", "milliseconds", large.askMsSmall),
    row(askTell, "metahpo at 10,000 trials", "milliseconds", large.askMsLarge),
    row(askTell, "10,000 / 100 trials", "slowdown", large.askMsLarge / large.askMsSmall),
  ];
}

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

async function throughputRows(
  label: string,
  url: (study: string) => Promise<{ url: string; cleanup: () => Promise<void> }>,
  budget: (workers: number) => number,
  progress: (label: string) => void,
  proposer: "random" | "gp" = "random",
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let single = NaN;
  const suffix = proposer === "gp" ? ", GP proposer" : "";
  for (const workers of [1, 2, 4, 8]) {
    progress(`${label} throughput${suffix}, ${workers} workers`);
    const study = `${proposer}_w${workers}`;
    const target = await url(study);
    try {
      const { trialsPerSecond } = await workerThroughput(
        target.url,
        study,
        workers,
        budget(workers),
        proposer,
      );
      if (workers === 1) single = trialsPerSecond;
      const task = `throughput ${label} 200 ms objective${suffix}`;
      rows.push(row(task, `metahpo ${workers} workers`, "trials per second", trialsPerSecond));
      rows.push(
        row(task, `metahpo ${workers} workers / 1 worker`, "speedup", trialsPerSecond / single),
      );
    } finally {
      await target.cleanup();
    }
  }
  rows.push(
    row(
      `throughput ${label} 200 ms objective${suffix}`,
      "speedup at 8 workers / target 6",
      "ratio",
      rows.at(-1)!.value / 6,
    ),
  );
  return rows;
}

/** The `storage` suite. */
export const storageSuite: Suite = {
  name: "storage",
  description: "stored studies: SQLite overhead vs Optuna RDB, worker throughput, 10k-trial study",
  ignores: ["seeds", "budget"],
  async run(config) {
    const quick = config.size === "quick";
    const steps = 4;
    let step = 0;
    const progress = (label: string) => config.progress(step++, steps + 8, label);
    const rows: ResultRow[] = [];

    progress("overhead per trial, SQLite");
    const trials = quick ? 200 : 1000;
    const ours = await sqliteOverhead(trials);
    const overheadTask = `overhead per trial SQLite (${trials} trials, random search)`;
    rows.push(row(overheadTask, "metahpo", "milliseconds", 1000 * ours.overhead));
    rows.push(row(overheadTask, "metahpo stored", "milliseconds per trial", 1000 * ours.stored));
    rows.push(row(overheadTask, "metahpo in memory", "milliseconds per trial", 1000 * ours.memory));
    if (config.peers) {
      progress("overhead per trial, Optuna RDB on SQLite");
      const peerTrials = quick ? 50 : 200;
      const peer = await runPeer(
        "optuna_storage_peer.py",
        ["--trials", String(peerTrials), "--reps", quick ? "1" : "3"],
        { dir: BENCH_DIR },
      );
      if (peer.ok) {
        const optuna = 1000 * Number(peer.records[0].overhead_seconds_per_trial);
        rows.push(row(overheadTask, `Optuna ${peer.records[0].optuna}`, "milliseconds", optuna));
        rows.push(row(overheadTask, "Optuna / metahpo", "ratio", optuna / (1000 * ours.overhead)));
      } else {
        config.notes.push(`Optuna storage peer did not run: ${peer.reason}`);
      }
    }

    // Trials per setting: at quick size 8 per worker (1.6 s of objective per setting; the rate
    // is measured from the first trial's start to the last one's end, so every setting counts
    // its workers' ramp-up and tail alike), at full size 240 whatever the number of workers.
    const budget = (workers: number) => quick ? 8 * workers : 240;
    const sqliteTarget = async () => {
      const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-workers-" });
      return {
        url: `sqlite:${dir}/study.db`,
        cleanup: () => Deno.remove(dir, { recursive: true }),
      };
    };
    rows.push(...await throughputRows("SQLite", sqliteTarget, budget, progress));
    // The GP proposer on the same study shape: its per-ask fit and acquisition search compete
    // with the other workers for the machine's cores. With --full only (half the suite's time).
    if (quick) {
      config.notes.push("storage: the GP-proposer worker throughput runs with --full only");
    } else {
      rows.push(...await throughputRows("SQLite", sqliteTarget, budget, progress, "gp"));
    }
    const postgres = Deno.env.get("METAHPO_TEST_POSTGRES");
    if (postgres) {
      const schema = `mhpo_bench_${Date.now().toString(36)}`;
      const pgTarget = (study: string) =>
        Promise.resolve({
          url: `${postgres}${postgres.includes("?") ? "&" : "?"}schema=${schema}_${study}`,
          cleanup: () => Promise.resolve(),
        });
      try {
        rows.push(...await throughputRows("PostgreSQL", pgTarget, budget, progress));
        config.notes.push(
          `storage bench: PostgreSQL throughput used schemas ${schema}_random_w1 … _random_w8 (left in place)`,
        );
      } catch (error) {
        config.notes.push(
          `storage bench: PostgreSQL throughput failed: ${(error as Error).message}`,
        );
      }
    }

    progress("a 10,000-trial study on SQLite");
    const large = await largeStudy(10_000);
    rows.push(...largeStudyRows(large));
    config.progress(steps + 8, steps + 8, "done");
    const table = rows.map((r) => ({
      task: r.task,
      method: r.method,
      metric: r.metric,
      value: r.value,
    }));
    return { rows, tables: [{ title: "Study storage", records: table }] };
  },
};
