/**
 * FSBO side by side with a reference implementation: our `fsbo` transfer strategy
 * (`lib/meta/fsbo.ts`) and a PyTorch/GPyTorch FSBO written after the authors' code
 * (`bench/peers/fsbo_torch.py`, its module docs cite the files and settings followed) on the same
 * leave-one-task-out problems: the generated meta-dataset (`datasets/metadataset`) in pool mode,
 * 64 configurations per task, as `runTabularTransferBenchmark` builds them
 * (`metaDatasetProblems`), with min–max normalised regret.
 *
 * For each model, held-out task and seed: (a) `leaveOneTaskOut` runs `gp`, `rgpe-gp` and `fsbo`
 * (ours); (b) the same fold's prior (the other tasks' histories encoded in the shared unit cube,
 * `PreparedPrior.without`) and the held-out pool are exported as one JSON job with the first
 * configuration our `fsbo` asks (`transferOptions(…).initialConfigurations` of that fold), the peer
 * meta-trains on the past tasks and runs BO over the pool, and its evaluated pool indices are
 * turned into a regret curve with the problem's `minimum` and `maximum`, as ours. Both sides'
 * curves go through `summariseTransferRuns` (mean over tasks of the seed-averaged regret, 95%
 * Student-t interval over tasks). The peer's methods are `fsbo-torch` (fine-tuning on the marginal
 * likelihood at every step) and `fsbo-torch-released` (the released code's fine-tuning in eval
 * mode, see the peer's docs), when asked for with `--modes`.
 *
 * usage: deno run -A --lock=deno.lock bench/fsbo_peer.ts [--out DIR] [--models mlp,linear]
 *        [--held-out 6] [--seeds 1] [--budget 50] [--epochs 1000] [--modes mll,as-released]
 *        [--python /usr/bin/python3] [--help]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import {
  isCompleteRun,
  leaveOneTaskOut,
  normalizedRegretCurve,
  summariseTransferRuns,
  type TransferMethod,
  type TransferProblem,
  type TransferRun,
} from "../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior, transferOptions } from "../lib/meta/transfer.ts";
import { loadMetaDataset } from "../lib/tasks/metadataset/mod.ts";
import { recordsMarkdown, recordsToCsv, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { runPeer } from "../lib/bench/peers.ts";
import { meanInterval } from "../lib/stats/intervals.ts";
import { metaDatasetProblems, TRANSFER_STEPS } from "./suites/transfer.ts";
import { budgetSteps } from "../lib/bench/steps.ts";
import type { EncodableSpace } from "../lib/smbo/study.ts";
import { runProvenance } from "./provenance.ts";
import { integerArg } from "./args.ts";

/** The folder of the peer script. */
export const PEER_DIR: string = fileURLToPath(new URL("./peers/", import.meta.url));

/** Format tag of a job file. */
export const JOB_FORMAT = "fsbo-peer-job/1";

/** Fine-tuning modes of the peer (see `bench/peers/fsbo_torch.py`). */
export type PeerMode = "mll" | "as-released";

/** The method name of the peer's runs per mode. */
export const PEER_METHODS: Readonly<Record<PeerMode, string>> = Object.freeze({
  mll: "fsbo-torch",
  "as-released": "fsbo-torch-released",
});

/** Our methods run beside the peer. */
export const OUR_METHODS: readonly TransferMethod[] = ["gp", "rgpe-gp", "fsbo"];

/** Settings of the peer (the job's `settings`; omitted ones take the peer's defaults). */
export interface PeerSettings {
  /** Meta-training epochs (one Adam step per training task each). */
  epochs?: number;
  /** Meta-training learning rate (the authors': 1e-4). */
  lr?: number;
  /** Points per meta-training batch (the authors': 64). */
  batch_size?: number;
  /** Largest number of fine-tuning epochs per BO step (the authors' `fsbo_test.py`: 100). */
  finetune_epochs?: number;
  /** Fine-tuning learning rate (the authors': 1e-3). */
  finetune_lr?: number;
  /** Patience of the fine-tuning's stopping rule (the authors': 16). */
  patience?: number;
  /** Absolute tolerance of the stopping rule (the authors': 1e-4). */
  loss_tol?: number;
  /** Fraction of the past tasks used for validation (at least one). */
  valid_fraction?: number;
  /** Fine-tuning modes to run (each a BO run on the same meta-training). */
  modes?: PeerMode[];
}

/** One job of the peer: a fold's prior, the held-out pool, the budget, the seed, the warm start. */
export interface PeerJob {
  /** {@linkcode JOB_FORMAT}. */
  format: string;
  /** Held-out task id. */
  task: string;
  /** Seed of the peer's meta-training. */
  seed: number;
  /** Evaluations, the initial ones included. */
  budget: number;
  /** Pool indices evaluated first (our `fsbo` strategy's warm start). */
  initial: number[];
  /** The other tasks: encoded points (unit cube) and their values (minimised). */
  past: { id: string; points: number[][]; values: number[] }[];
  /** The held-out task's pool, its values and their minimum and maximum (the normalisation). */
  pool: { points: number[][]; values: number[]; minimum: number; maximum: number };
  /** The peer's settings. */
  settings: PeerSettings;
}

/** The peer's answer for one job. */
export interface PeerResult {
  /** Held-out task. */
  task: string;
  /** Seed. */
  seed: number;
  /** Per mode: the pool indices in evaluation order, BO seconds, fine-tuning epochs per step. */
  runs: Partial<
    Record<PeerMode, { indices: number[]; bo_seconds: number; finetune_epochs: number[] }>
  >;
  /** Meta-training: seconds, epochs, best epoch, best validation loss, task counts. */
  meta: {
    seconds: number;
    epochs: number;
    best_epoch: number;
    best_valid_loss: number;
    train_tasks: number;
    valid_tasks: number;
  };
  /** torch's version. */
  torch: string;
  /** GPyTorch's version. */
  gpytorch: string;
}

/**
 * The pool indices of the configurations our `fsbo` strategy asks first on `problem` given the
 * fold's `prior` (`transferOptions(…).initialConfigurations` with the protocol's meta-features,
 * candidates and seed; the warm start does not depend on FSBO's network, so it is built with no
 * meta-training steps).
 *
 * @example
 * ```ts
 * import { firstConfigurations } from "./fsbo_peer.ts";
 * import { tabularProblems } from "../lib/protocols/leave_one_task_out.ts";
 * import { PreparedPrior } from "../lib/meta/transfer.ts";
 * import { defineSpace, float } from "../lib/space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const rows = (c: number) => [0, 0.25, 0.5, 0.75, 1].map((x) => ({ params: { x }, value: (x - c) ** 2 }));
 * const problems = tabularProblems(space, [{ id: "a", rows: rows(0.2) }, { id: "b", rows: rows(0.3) }]);
 * const prior = PreparedPrior.from([{ id: "a", trials: problems[0].history }], space);
 * firstConfigurations(problems[1], prior, 0); // [1]: task a's best, x = 0.25
 * ```
 */
export function firstConfigurations<P extends Record<string, unknown>>(
  problem: TransferProblem<P>,
  prior: PreparedPrior,
  seed: number,
): number[] {
  const candidates = problem.candidates;
  if (!candidates) throw new RangeError(`${problem.id}: not a pool-mode problem`);
  const setup = transferOptions(prior, problem.space, {
    strategy: "fsbo",
    metaFeatures: problem.metaFeatures,
    candidates,
    seed,
    fsbo: { metaIterations: 0 },
  });
  const keys = candidates.map((c) => problem.space.encode(c).join(","));
  return setup.initialConfigurations.map((c) => {
    const index = keys.indexOf(problem.space.encode(c).join(","));
    if (index < 0) {
      throw new RangeError(`${problem.id}: a warm-start configuration not in the pool`);
    }
    return index;
  });
}

/**
 * The peer's job for `problem` held out: the fold's prior tasks as encoded points and values, the
 * pool encoded in the same space with its values (the objective's), minimum and maximum.
 *
 * @example
 * ```ts
 * import { peerJob } from "./fsbo_peer.ts";
 * import { tabularProblems } from "../lib/protocols/leave_one_task_out.ts";
 * import { PreparedPrior } from "../lib/meta/transfer.ts";
 * import { defineSpace, float } from "../lib/space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const rows = (c: number) => [0, 0.5, 1].map((x) => ({ params: { x }, value: (x - c) ** 2 }));
 * const problems = tabularProblems(space, [{ id: "a", rows: rows(0.2) }, { id: "b", rows: rows(0.3) }]);
 * const prior = PreparedPrior.from([{ id: "a", trials: problems[0].history }], space);
 * const job = peerJob(problems[1], prior, { seed: 0, budget: 3, initial: [0] });
 * job.pool.points; // [[0], [0.5], [1]]
 * ```
 */
export function peerJob<P extends Record<string, unknown>>(
  problem: TransferProblem<P>,
  prior: PreparedPrior,
  options: { seed: number; budget: number; initial: number[]; settings?: PeerSettings },
): PeerJob {
  const candidates = problem.candidates;
  if (!candidates) throw new RangeError(`${problem.id}: not a pool-mode problem`);
  prior.checkSpace(problem.space as EncodableSpace<unknown>, "peerJob");
  if (prior.tasks.some((t) => t.id === problem.id)) {
    throw new RangeError(`peerJob: the prior holds the held-out task ${problem.id}`);
  }
  return {
    format: JOB_FORMAT,
    task: problem.id,
    seed: options.seed,
    budget: options.budget,
    initial: [...options.initial],
    past: prior.tasks.map((t) => ({
      id: t.id,
      points: t.points.map((p) => Array.from(p)),
      values: Array.from(t.values),
    })),
    pool: {
      points: candidates.map((c) => Array.from(problem.space.encode(c))),
      values: candidates.map((c) => problem.objective(c)),
      minimum: problem.minimum,
      maximum: problem.maximum,
    },
    settings: { ...options.settings },
  };
}

/**
 * Reads a job back from its JSON text, checking its shape: format, one value per point, points of
 * one dimension inside the unit cube, distinct initial indices inside the pool, budget ≤ pool.
 *
 * @example
 * ```ts
 * import { readPeerJob } from "./fsbo_peer.ts";
 * const job = readPeerJob(JSON.stringify({
 *   format: "fsbo-peer-job/1", task: "t", seed: 0, budget: 2, initial: [0], settings: {},
 *   past: [{ id: "a", points: [[0], [1]], values: [1, 0] }],
 *   pool: { points: [[0], [1]], values: [2, 1], minimum: 1, maximum: 2 },
 * }));
 * ```
 */
export function readPeerJob(text: string): PeerJob {
  const job = JSON.parse(text) as PeerJob;
  const fail = (what: string): never => {
    throw new TypeError(`fsbo peer job: ${what}`);
  };
  if (job?.format !== JOB_FORMAT) fail(`format must be "${JOB_FORMAT}"`);
  const n = job.pool?.points?.length ?? 0;
  if (n === 0 || job.pool.values?.length !== n) fail("pool: needs points and one value each");
  const dim = job.pool.points[0].length;
  const checkPoints = (points: number[][], where: string) =>
    points.forEach((p, i) => {
      if (p.length !== dim || p.some((x) => !(x >= 0 && x <= 1))) {
        fail(`${where}.points[${i}]: must have ${dim} coordinates in [0, 1]`);
      }
    });
  checkPoints(job.pool.points, "pool");
  job.past.forEach((t, i) => {
    if (t.values.length !== t.points.length) fail(`past[${i}]: one value per point`);
    checkPoints(t.points, `past[${i}]`);
  });
  if (!(job.pool.maximum > job.pool.minimum)) fail("pool: maximum must be > minimum");
  if (!Number.isInteger(job.budget) || job.budget < 1 || job.budget > n) {
    fail(`budget must be in 1…${n}`);
  }
  if (
    job.initial.length === 0 || new Set(job.initial).size !== job.initial.length ||
    job.initial.some((i) => !Number.isInteger(i) || i < 0 || i >= n)
  ) fail("initial: needs distinct pool indices");
  return job;
}

/**
 * Normalised regret after each evaluation of the pool indices `indices` on `problem`:
 * (best so far − minimum)/(maximum − minimum), as `leaveOneTaskOut` computes it.
 *
 * @example
 * ```ts
 * import { peerRegret } from "./fsbo_peer.ts";
 * import { tabularProblems } from "../lib/protocols/leave_one_task_out.ts";
 * import { defineSpace, float } from "../lib/space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const [p] = tabularProblems(space, [{ id: "a", rows: [0, 0.5, 1].map((x) => ({ params: { x }, value: x })) }]);
 * peerRegret(p, [2, 1, 0]); // [1, 0.5, 0]
 * ```
 */
export function peerRegret<P>(problem: TransferProblem<P>, indices: readonly number[]): number[] {
  const candidates = problem.candidates;
  if (!candidates) throw new RangeError(`${problem.id}: not a pool-mode problem`);
  const values = indices.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= candidates.length) {
      throw new RangeError(`${problem.id}: pool index ${i} out of range`);
    }
    return problem.objective(candidates[i]);
  });
  return normalizedRegretCurve(problem, values);
}

/**
 * Runs the peer on one job file; throws with the peer's reason when it fails (Python, torch or
 * GPyTorch missing, or the script's error).
 *
 * @example
 * ```ts ignore
 * const result = await runFsboPeer("/tmp/job.json");
 * ```
 */
export async function runFsboPeer(
  jobPath: string,
  options: { python?: string } = {},
): Promise<PeerResult & { wallSeconds: number }> {
  const run = await runPeer("fsbo_torch.py", ["--job", jobPath], {
    dir: PEER_DIR,
    python: options.python,
  });
  if (!run.ok) throw new Error(`fsbo_torch.py: ${run.reason}`);
  const answer = run.records.at(-1) as unknown as PeerResult;
  return { ...answer, wallSeconds: run.seconds };
}

/** Options of {@linkcode runFsboPeerBenchmark}. */
export interface FsboPeerOptions {
  /** Models of the meta-dataset (each its own problem set). */
  models: readonly ("linear" | "mlp")[];
  /** The first `heldOut` tasks of each model are held out in turn. */
  heldOut: number;
  /** Seeds 0 … seeds−1. */
  seeds: number;
  /** Evaluations per run. */
  budget: number;
  /** The peer's settings (epochs, modes, …). */
  settings: PeerSettings;
  /** Python interpreter (default `/usr/bin/python3`). */
  python?: string;
  /** Progress messages. */
  progress?: (message: string) => void;
}

/** What {@linkcode runFsboPeerBenchmark} returns. */
export interface FsboPeerBenchmark {
  /** Problem sets: label and every run (ours and the peer's). */
  sets: { label: string; model: string; runs: TransferRun[] }[];
  /** Long-format rows. */
  rows: ResultRow[];
  /** Per run of the peer: task, seed, mode, indices, the warm start and the meta-training. */
  peerRuns: Record<string, unknown>[];
  /** torch and GPyTorch versions reported by the peer. */
  versions: { torch: string; gpytorch: string };
}

/**
 * Runs ours and the peer on every held-out task and seed (see the module docs). The peer's jobs
 * run one at a time in a child process while our runs go on in this one.
 */
export async function runFsboPeerBenchmark(options: FsboPeerOptions): Promise<FsboPeerBenchmark> {
  const metaDataset = await loadMetaDataset({ name: "builtin" });
  const modes = options.settings.modes ?? ["mll"];
  const scratch = await Deno.makeTempDir({ prefix: "fsbo_peer_" });
  const sets: FsboPeerBenchmark["sets"] = [];
  const peerRuns: Record<string, unknown>[] = [];
  const versions = { torch: "", gpytorch: "" };
  try {
    for (const model of options.models) {
      const problems = metaDatasetProblems(metaDataset, "builtin", model);
      const heldOut = problems.slice(0, Math.min(options.heldOut, problems.length));
      const prior = PreparedPrior.from(
        problems.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
        problems[0].space,
      );
      // Export every job first, then let the peer work through them while ours run.
      const jobs: { problem: TransferProblem; seed: number; path: string; initial: number[] }[] =
        [];
      for (const problem of heldOut) {
        const fold = prior.without([problem.id]);
        for (let seed = 0; seed < options.seeds; seed++) {
          const initial = firstConfigurations(problem, fold, seed);
          const job = peerJob(problem, fold, {
            seed,
            budget: options.budget,
            initial,
            settings: options.settings,
          });
          const path = join(scratch, `${model}_${jobs.length}.json`);
          await Deno.writeTextFile(path, JSON.stringify(job));
          jobs.push({ problem, seed, path, initial });
        }
      }
      const peerDone = (async () => {
        const runs: TransferRun[] = [];
        for (const [k, job] of jobs.entries()) {
          const result = await runFsboPeer(job.path, { python: options.python });
          versions.torch = result.torch;
          versions.gpytorch = result.gpytorch;
          options.progress?.(
            `peer ${k + 1}/${jobs.length} ${job.problem.id} seed ${job.seed}: meta ${
              result.meta.seconds.toFixed(0)
            } s, wall ${result.wallSeconds.toFixed(0)} s`,
          );
          for (const mode of modes) {
            const run = result.runs[mode];
            if (!run) throw new Error(`fsbo_torch.py: no run for mode ${mode}`);
            if (run.indices.length !== options.budget || run.indices[0] !== job.initial[0]) {
              throw new Error(`fsbo_torch.py: ${job.problem.id}: bad index sequence`);
            }
            runs.push({
              problem: job.problem.id,
              // Not a TransferMethod: the summaries only group by the name.
              method: PEER_METHODS[mode] as TransferMethod,
              seed: job.seed,
              regret: peerRegret(job.problem, run.indices),
              seconds: result.meta.seconds + run.bo_seconds,
              status: "ok",
            });
            peerRuns.push({
              task: job.problem.id,
              seed: job.seed,
              method: PEER_METHODS[mode],
              initial: job.initial,
              indices: run.indices,
              boSeconds: run.bo_seconds,
              finetuneEpochs: run.finetune_epochs,
              meta: result.meta,
            });
          }
        }
        return runs;
      })();
      // Ours meanwhile; a failing peer must not leave its promise unobserved.
      peerDone.catch(() => {});
      const ours = await leaveOneTaskOut(problems, {
        methods: OUR_METHODS,
        seeds: options.seeds,
        budget: options.budget,
        heldOut: heldOut.map((p) => p.id),
        prior,
        onProgress: (done, total, label) => options.progress?.(`ours ${done}/${total} ${label}`),
      });
      const theirs = await peerDone;
      // Same first configuration: our fsbo's first regret equals the peer's.
      for (const run of theirs) {
        const own = ours.find((r) =>
          r.method === "fsbo" && r.problem === run.problem && r.seed === run.seed
        );
        if (own && isCompleteRun(own) && own.regret[0] !== run.regret[0]) {
          throw new Error(`${run.problem} seed ${run.seed}: the first evaluations differ`);
        }
      }
      sets.push({
        label:
          `meta-dataset ${model} (${heldOut.length} held-out of ${problems.length} tasks, ${options.seeds} seeds)`,
        model,
        runs: [...ours, ...theirs],
      });
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  const rows = sets.flatMap(({ runs }) =>
    runs.filter(isCompleteRun).flatMap((run): ResultRow[] => {
      const common = { suite: "fsbo-peer", task: run.problem, method: run.method, seed: run.seed };
      return [
        ...run.regret.map((value, i) => ({
          ...common,
          step: i + 1,
          metric: "normalized_regret",
          value,
        })),
        { ...common, step: options.budget, metric: "seconds", value: run.seconds },
      ];
    })
  );
  return { sets, rows, peerRuns, versions };
}

/** Formats a regret for the tables (3 significant digits). */
function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : String(x);
}

/**
 * The tables of a run: per problem set (and pooled over the sets, when there are several) the
 * mean normalised regret ± the 95% half-width over held-out tasks at each step (from
 * `summariseTransferRuns`), seconds per run, and ours against the peer per step: whether our mean
 * lies inside the peer's interval, and the paired difference (ours − peer, per task) with its 95%
 * interval.
 *
 * @example
 * ```ts
 * import { peerTables } from "./fsbo_peer.ts";
 * const run = (method: "fsbo", problem: string, r: number) =>
 *   ({ problem, method, seed: 0, regret: [r], seconds: 1 });
 * const tables = peerTables([{ label: "x", runs: [run("fsbo", "a", 0.1), run("fsbo", "b", 0.2)] }], [1]);
 * ```
 */
export function peerTables(
  sets: readonly { label: string; runs: readonly TransferRun[] }[],
  steps: readonly number[],
): { title: string; records: Record<string, string | number>[]; csv: Record<string, unknown>[] }[] {
  const groups = sets.length > 1
    ? [...sets, { label: "both models pooled", runs: sets.flatMap((s) => s.runs) }]
    : sets;
  return groups.flatMap(({ label, runs }) => {
    const summary = summariseTransferRuns(runs, steps);
    const methods = [...new Set(summary.map((s) => s.method as string))];
    const regret = methods.map((method) => {
      const record: Record<string, string | number> = { method };
      for (const step of steps) {
        const s = summary.find((x) => x.method === method && x.step === step)!;
        record[`@${step}`] = `${fmt(s.meanRegret)} ± ${fmt(s.halfWidth95)}`;
      }
      const own = runs.filter((r) => r.method === method && isCompleteRun(r));
      record.tasks = new Set(own.map((r) => r.problem)).size;
      record["seconds/run"] = (own.reduce((a, r) => a + r.seconds, 0) / own.length).toFixed(1);
      return record;
    });
    const peers = methods.filter((m) => m.startsWith("fsbo-torch"));
    const versus = peers.flatMap((peer) =>
      steps.map((step) => {
        const at = (m: string) => summary.find((x) => x.method === m && x.step === step)!;
        const ours = at("fsbo"), theirs = at(peer);
        const taskMean = (m: string, problem: string) => {
          const own = runs.filter((r) =>
            r.method === m && r.problem === problem && isCompleteRun(r)
          );
          return own.reduce((a, r) => a + r.regret[Math.min(step, r.regret.length) - 1], 0) /
            own.length;
        };
        const tasks = [...new Set(runs.filter((r) => r.method === peer).map((r) => r.problem))];
        const diff = meanInterval(tasks.map((t) => taskMean("fsbo", t) - taskMean(peer, t)));
        const inside = Math.abs(ours.meanRegret - theirs.meanRegret) <= theirs.halfWidth95;
        return {
          peer,
          step,
          "fsbo (ours)": fmt(ours.meanRegret),
          "peer ± 95%": `${fmt(theirs.meanRegret)} ± ${fmt(theirs.halfWidth95)}`,
          "ours inside peer's interval": Number.isNaN(theirs.halfWidth95)
            ? "n/a (one task)"
            : inside
            ? "yes"
            : "no",
          "ours − peer (paired) ± 95%": `${fmt(diff.mean)} ± ${fmt(diff.halfWidth)}`,
        };
      })
    );
    const csv = summary.map((s) => ({ set: label, ...s }));
    return [
      {
        title: `mean normalised regret ± 95% half-width over tasks, ${label}`,
        records: regret,
        csv,
      },
      ...(versus.length > 0
        ? [{ title: `ours (fsbo) against the peer, ${label}`, records: versus, csv: [] }]
        : []),
    ];
  });
}

const HELP = `usage: deno run -A --lock=deno.lock bench/fsbo_peer.ts [options]

Our FSBO (and gp, rgpe-gp) beside a PyTorch/GPyTorch FSBO after the authors' code
(bench/peers/fsbo_torch.py) on the generated meta-dataset, leave-one-task-out, pool mode.

  --out DIR        output folder (default out/fsbo_peer): results.csv, summary.csv,
                   summary.md, peer_runs.json, provenance.json
  --models LIST    meta-dataset models, comma-separated (default mlp,linear)
  --held-out N     the first N tasks of each model held out in turn (default 6)
  --seeds N        seeds 0..N-1 (default 1)
  --budget N       evaluations per run (default 50)
  --epochs N       the peer's meta-training epochs (default 1000; the authors' 50,000-100,000)
  --modes LIST     the peer's fine-tuning modes: mll, as-released (default mll,as-released)
  --python PATH    Python with torch (default /usr/bin/python3)
  --help           this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string", default: "out/fsbo_peer" },
      models: { type: "string", default: "mlp,linear" },
      "held-out": { type: "string", default: "6" },
      seeds: { type: "string", default: "1" },
      budget: { type: "string", default: "50" },
      epochs: { type: "string", default: "1000" },
      modes: { type: "string", default: "mll,as-released" },
      python: { type: "string", default: "/usr/bin/python3" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const integer = (name: string, text: string, min: number) => integerArg(text, name, min);
  const models = values.models.split(",").filter(Boolean);
  for (const m of models) {
    if (m !== "mlp" && m !== "linear") throw new Error(`--models: unknown model "${m}"`);
  }
  const modes = values.modes.split(",").filter(Boolean);
  for (const m of modes) {
    if (!(m in PEER_METHODS)) throw new Error(`--modes: unknown mode "${m}"`);
  }
  const budget = integer("budget", values.budget, 1);
  const command = ["deno run -A --lock=deno.lock bench/fsbo_peer.ts", ...Deno.args].join(" ");
  const started = performance.now();
  const result = await runFsboPeerBenchmark({
    models: models as ("mlp" | "linear")[],
    heldOut: integer("held-out", values["held-out"], 1),
    seeds: integer("seeds", values.seeds, 1),
    budget,
    settings: { epochs: integer("epochs", values.epochs, 1), modes: modes as PeerMode[] },
    python: values.python,
    progress: (message) => console.error(`fsbo peer: ${message}`),
  });
  const seconds = (performance.now() - started) / 1000;
  const steps = budgetSteps(TRANSFER_STEPS, budget);
  const tables = peerTables(result.sets, steps);
  // The commit and working-tree state are those of the script's start (runProvenance).
  const provenance = await runProvenance(command, seconds);
  const out = values.out;
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(join(out, "results.csv"), toCsv(result.rows));
  await Deno.writeTextFile(join(out, "summary.csv"), recordsToCsv(tables.flatMap((t) => t.csv)));
  await Deno.writeTextFile(
    join(out, "summary.md"),
    tables.map((t) => recordsMarkdown(t.title, t.records)).join("\n"),
  );
  await Deno.writeTextFile(
    join(out, "peer_runs.json"),
    JSON.stringify(result.peerRuns, null, 1) + "\n",
  );
  const failures = result.sets.flatMap((s) => s.runs.filter((r) => !isCompleteRun(r)));
  await Deno.writeTextFile(
    join(out, "provenance.json"),
    JSON.stringify(
      {
        ...provenance,
        versions: { ...provenance.versions, ...result.versions },
        peerSettings: { epochs: Number(values.epochs), modes },
        failedRuns: failures.map((r) => ({ ...r, regret: undefined })),
      },
      null,
      2,
    ) + "\n",
  );
  for (const t of tables) {
    console.log(recordsMarkdown(t.title, t.records));
  }
  console.log(`wall time ${seconds.toFixed(1)} s`);
}

if (import.meta.main) await main();
