/**
 * First-order MAML over meta-training seeds, ours against the PyTorch peer. A 95% interval over
 * the 600 evaluation tasks of ONE meta-trained network (the full table of `results/maml_full`)
 * leaves out how much the result moves with the meta-training seed (the network's
 * initialisation and the stream of training tasks). This module reads the runs of
 * `results/maml_full/fomaml_seeds/run.sh` (`ours_seed<S>.json` from `bench/maml.ts --out`,
 * `peer_seed<S>.json` from the shared peer through `bench/peers/maml_per_task.py`, and
 * `peer64_seed<S>.json` from the same peer run in float64 by `maml_per_task.py --float64`), takes
 * seed 0 of ours and of the peer from the full run's `results.csv` when it was not re-run, and
 * summarises each
 * evaluation cell over seeds: the seeds' means, their mean ± 95% t-interval over seeds, their
 * standard deviation and range, next to the single-run interval over tasks; then ours against
 * the peer with both sources of variation counted ({@linkcode compareAcrossSeeds}), and, when
 * float64 runs of the peer are present, ours and the float32 peer against the float64 peer.
 *
 * ```sh
 * deno run --allow-read --allow-write bench/maml_seeds.ts          # print the tables
 * deno run --allow-read --allow-write bench/maml_seeds.ts --write  # also write results.csv,
 *   # summary.csv in the folder and the block in results/maml_full/README.md
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mean, studentTQuantile, variance } from "../lib/stats/mod.ts";
import {
  markdownTable,
  readProvenance,
  readResultsCsv,
  readSummaryCsv,
  recordsToCsv,
  type ResultRow,
  summaryTable,
  toCsv,
} from "../lib/results/mod.ts";
import { parsePythonJson } from "../lib/bench/peers.ts";
import { finiteTaskSummary } from "./maml.ts";
import { lossFigure } from "./suites/maml_cells.ts";

/** The evaluation cells of the protocol: K support points, inner steps. */
export const SEED_CELLS = [
  { key: "k5_steps1", label: "K=5, 1 step", shots: 5, steps: 1 },
  { key: "k5_steps10", label: "K=5, 10 steps", shots: 5, steps: 10 },
  { key: "k10_steps1", label: "K=10, 1 step", shots: 10, steps: 1 },
  { key: "k10_steps10", label: "K=10, 10 steps", shots: 10, steps: 10 },
] as const;

/** A cell's key, e.g. `"k10_steps1"`. */
export type SeedCellKey = (typeof SEED_CELLS)[number]["key"];

/** One evaluation cell of one run: statistics over the 600 tasks of one meta-trained network. */
export interface RunCell {
  /** Mean query MSE over the tasks whose loss stayed finite. */
  mean: number;
  /** 95% CI half-width of that mean over tasks. */
  ci95: number;
  /** Median over tasks. */
  median: number;
  /** Tasks whose loss was not finite. */
  divergedTasks: number;
}

/**
 * Who trained and evaluated a network: `"ours"`; `"ours-peer-eval"`, a network of ours evaluated
 * by the peer's own evaluation code on the peer's tasks (`bench/peers/maml_peer_eval.py`);
 * `"peer"`, the PyTorch peer; or `"peer64"`, the same peer run in float64
 * (`maml_per_task.py --float64`: PyTorch's default dtype float64, so its parameters, tasks,
 * meta-gradient and Adam state are float64; its float64 random draws make seed S another
 * initialisation, training stream and evaluation set than the float32 peer's seed S).
 */
export type Implementation = "ours" | "ours-peer-eval" | "peer" | "peer64";

const IMPLEMENTATIONS: readonly Implementation[] = ["ours", "ours-peer-eval", "peer", "peer64"];

/** One meta-trained network: its implementation, seed, cells and where it came from. */
export interface SeedRun {
  /** Who trained and evaluated it. */
  implementation: Implementation;
  /** Meta-training seed. */
  seed: number;
  /** Meta-iterations. */
  iterations: number;
  /** The four evaluation cells. */
  cells: Record<SeedCellKey, RunCell>;
  /** The file it was read from (relative to the repository root). */
  source: string;
  /** Wall seconds of the run (NaN when not recorded per run). */
  wallSeconds: number;
  /** 1-minute load average when the run ended (NaN when not recorded). */
  load: number;
  /** Commit the run started from. */
  commit: string;
  /** ISO date of the run. */
  date: string;
  /**
   * For a re-run of seed 0: the cells where it differs from the full run of `results/maml_full`
   * at the tables' three decimals (empty when it reproduces it).
   */
  differsFromFullRun?: string[];
}

interface OursFile {
  provenance: { wallSeconds: number; loadAverage?: number[]; commit: string; date: string };
  seed: number;
  results: {
    learner: string;
    iterations: number;
    trainingDiverged: boolean;
    mse: Record<
      string,
      { finiteMean: number; finiteCi95: number; median: number; divergedTasks: number }
    >;
  }[];
}

interface PeerFile {
  provenance: {
    command?: string;
    wallSeconds: number;
    exitCode: number;
    loadAverageAfter?: number[];
    commit: string;
    date: string;
  };
  peer?: string;
  iters?: number;
  per_task?: Record<string, number[]>;
  error?: string;
}

const relative = (url: URL) => url.pathname.replace(new URL("../", import.meta.url).pathname, "");

/** The cells of a run from each cell's finite-task summary (`label` names the file in errors). */
function cellsOf(
  label: string,
  missing: (key: SeedCellKey) => string,
  summaryOf: (
    key: SeedCellKey,
  ) =>
    | { finiteMean: number; finiteCi95: number; median: number; divergedTasks: number }
    | undefined,
): Record<SeedCellKey, RunCell> {
  return Object.fromEntries(SEED_CELLS.map(({ key }) => {
    const s = summaryOf(key);
    if (!s) throw new Error(`${label}: ${missing(key)}`);
    return [key, {
      mean: s.finiteMean,
      ci95: s.finiteCi95,
      median: s.median,
      divergedTasks: s.divergedTasks,
    }];
  })) as Record<SeedCellKey, RunCell>;
}

/** A cell's finite-task summary from its per-task losses, if present. */
const summariseTasks = (perTask: number[] | undefined) =>
  perTask ? finiteTaskSummary(perTask) : undefined;

/** Our run of `bench/maml.ts --learners fomaml --out`. */
function readOurs(url: URL): SeedRun {
  const file = JSON.parse(Deno.readTextFileSync(url)) as OursFile;
  const record = file.results.find((r) => r.learner === "fomaml");
  if (!record) throw new Error(`${relative(url)}: no fomaml result`);
  if (record.trainingDiverged) throw new Error(`${relative(url)}: meta-training diverged`);
  const cells = cellsOf(
    relative(url),
    (key) => `no ${key} evaluation`,
    (key) => record.mse[key],
  );
  return {
    implementation: "ours",
    seed: file.seed,
    iterations: record.iterations,
    cells,
    source: relative(url),
    wallSeconds: file.provenance.wallSeconds,
    load: file.provenance.loadAverage?.[0] ?? NaN,
    commit: file.provenance.commit,
    date: file.provenance.date,
  };
}

/**
 * A peer run of `run.sh` (the peer's record with each task's loss, and its provenance):
 * `"peer64"` when its command ran the peer in float64 (`--float64`), which the file's name must
 * match.
 */
function readPeer(url: URL, seed: number, implementation: "peer" | "peer64"): SeedRun {
  // Python's json writes a task that diverged as a bare NaN.
  const file = parsePythonJson(Deno.readTextFileSync(url)) as unknown as PeerFile;
  if (file.provenance.exitCode !== 0 || !file.per_task || file.peer !== "torch-maml-fo") {
    throw new Error(
      `${relative(url)}: not a finished first-order peer run (exit ${file.provenance.exitCode}` +
        `${file.error ? `, ${file.error}` : ""})`,
    );
  }
  const float64 = /(^|\s)--float64(\s|$)/.test(file.provenance.command ?? "");
  if (float64 !== (implementation === "peer64")) {
    throw new Error(
      `${relative(url)}: its command ${float64 ? "ran" : "did not run"} the peer in float64 ` +
        `(--float64), its name says ${implementation === "peer64" ? "float64" : "float32"}`,
    );
  }
  const cells = cellsOf(
    relative(url),
    (key) => `no per-task losses for ${key}`,
    (key) => summariseTasks(file.per_task?.[key]),
  );
  return {
    implementation,
    seed,
    iterations: file.iters ?? NaN,
    cells,
    source: relative(url),
    wallSeconds: file.provenance.wallSeconds,
    load: file.provenance.loadAverageAfter?.[0] ?? NaN,
    commit: file.provenance.commit,
    date: file.provenance.date,
  };
}

/**
 * A network of ours evaluated by the peer's code (`ours_seed<S>.peer_tasks.jsonl` of
 * `maml_peer_eval.py`), with the provenance of the run that trained it.
 */
function readOursPeerEval(url: URL, trained: SeedRun | undefined): SeedRun {
  const line = Deno.readTextFileSync(url).split("\n").find((l) => l.trim().startsWith("{"));
  if (!line) throw new Error(`${relative(url)}: no record`);
  const record = parsePythonJson(line) as unknown as {
    kind: string;
    seed: number;
    iteration: number;
    per_task: Record<string, number[]>;
  };
  if (record.kind !== "fomaml") throw new Error(`${relative(url)}: a ${record.kind} network`);
  if (!trained || trained.seed !== record.seed || trained.iterations !== record.iteration) {
    throw new Error(
      `${relative(url)}: no run of ours with seed ${record.seed} and ` +
        `${record.iteration} meta-iterations next to it`,
    );
  }
  const cells = cellsOf(
    relative(url),
    (key) => `no per-task losses for ${key}`,
    (key) => summariseTasks(record.per_task[key]),
  );
  return {
    ...trained,
    implementation: "ours-peer-eval",
    cells,
    source: relative(url),
    wallSeconds: NaN,
    load: NaN,
  };
}

/** Seed 0 of `method` from the full run's `results.csv` (the suite's finite rule). */
function readFullRun(fullDir: URL, method: string, implementation: "ours" | "peer"): SeedRun {
  const rows = readResultsCsv(fullDir);
  const full = readProvenance(fullDir);
  const title = summaryTable(readSummaryCsv(fullDir), "maml: Sinusoid MSE after ").title;
  const iterations = Number(title.match(/after (\d+) meta-iterations/)?.[1]);
  const value = (task: string, step: number, metric: string) => {
    const row = rows.find((r: ResultRow) =>
      r.method === method && r.task === task && r.step === step && r.metric === metric
    );
    if (!row) throw new Error(`${relative(fullDir)}results.csv: no ${method} ${task} ${metric}`);
    return row.value;
  };
  const cells = Object.fromEntries(SEED_CELLS.map(({ key, shots, steps }) => {
    const task = `sinusoid-k${shots}`;
    return [key, {
      mean: value(task, steps, "mse"),
      ci95: value(task, steps, "mse_ci95"),
      median: value(task, steps, "mse_median"),
      divergedTasks: value(task, steps, "diverged_tasks"),
    }];
  })) as Record<SeedCellKey, RunCell>;
  return {
    implementation,
    seed: 0,
    iterations,
    cells,
    source: `${relative(fullDir)}results.csv`,
    wallSeconds: NaN,
    load: NaN,
    commit: full.commit,
    date: full.date,
  };
}

/**
 * Every run in `dir` (`ours_seed<S>.json`, `peer_seed<S>.json`, `peer64_seed<S>.json`), plus
 * seed 0 of ours and of the peer from the full run in `fullDir` when `dir` has no run of that
 * seed (the full run has no float64 peer); sorted by
 * implementation and seed. Throws when the runs do not all have the same number of
 * meta-iterations, or a file is not a finished run.
 *
 * @example
 * ```ts ignore
 * import { readSeedRuns } from "./maml_seeds.ts";
 * const results = new URL("../results/maml_full/", import.meta.url);
 * const runs = readSeedRuns(new URL("fomaml_seeds/", results), results);
 * ```
 */
export function readSeedRuns(dir: URL, fullDir: URL): SeedRun[] {
  const runs: SeedRun[] = [];
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  for (const name of names) {
    const match = name.match(/^(ours|peer|peer64)_seed(\d+)\.json$/);
    if (!match) continue;
    const url = new URL(name, dir);
    runs.push(
      match[1] === "ours"
        ? readOurs(url)
        : readPeer(url, Number(match[2]), match[1] as "peer" | "peer64"),
    );
  }
  for (const name of names) {
    const match = name.match(/^ours_seed(\d+)\.peer_tasks\.jsonl$/);
    if (!match) continue;
    const trained = runs.find((r) => r.implementation === "ours" && r.seed === Number(match[1]));
    runs.push(readOursPeerEval(new URL(name, dir), trained));
  }
  for (const [implementation, method] of [["ours", "fomaml"], ["peer", "torch-fomaml"]] as const) {
    const full = readFullRun(fullDir, method, implementation);
    const rerun = runs.find((r) => r.implementation === implementation && r.seed === 0);
    if (rerun) {
      rerun.differsFromFullRun = SEED_CELLS.filter(({ key }) =>
        lossFigure(rerun.cells[key].mean) !== lossFigure(full.cells[key].mean)
      ).map((c) => c.label);
    } else runs.push(full);
  }
  const counts = [...new Set(runs.map((r) => r.iterations))];
  if (counts.length !== 1) {
    throw new Error(`runs with different meta-iteration counts: ${counts.join(", ")}`);
  }
  const order = { ours: 0, "ours-peer-eval": 1, peer: 2, peer64: 3 };
  return runs.sort((a, b) => order[a.implementation] - order[b.implementation] || a.seed - b.seed);
}

/** One cell of one implementation summarised over training seeds. */
export interface SeedSpread {
  /** Seeds whose mean is settled ({@linkcode SETTLED_LIMIT}), in order. */
  seeds: number[];
  /** Seeds left out: mean over tasks not finite or above {@linkcode SETTLED_LIMIT}. */
  leftOut: number[];
  /** Each seed's mean over tasks. */
  means: number[];
  /** Mean over seeds. */
  mean: number;
  /** Standard deviation over seeds (n − 1). */
  sd: number;
  /** 95% t-interval half-width of the mean over seeds (NaN with one seed). */
  halfWidth: number;
  /** Smallest and largest seed mean. */
  min: number;
  /** Largest seed mean. */
  max: number;
  /** Median over seeds of the single-run 95% half-width over tasks. */
  taskHalfWidth: number;
}

/**
 * A seed's mean over tasks above this (a task blown up by ten plain SGD steps, its loss still
 * finite) is not a settled figure: {@linkcode seedSpread} leaves it out and names the seed, the
 * rule of the full table's sentence comparing ours with the peer (means below 10³).
 */
export const SETTLED_LIMIT = 1e3;

/**
 * A cell of one implementation over its seeds: mean, standard deviation, range and 95%
 * t-interval of the seeds' means (the evaluation tasks are the same for every seed, so this is
 * the variation due to meta-training alone), and the typical single-run interval over tasks.
 *
 * @example
 * ```ts
 * import { seedSpread } from "./maml_seeds.ts";
 * const cell = (mean: number) => ({ mean, ci95: 0.05, median: mean, divergedTasks: 0 });
 * const run = (seed: number, m: number) => ({
 *   implementation: "ours" as const, seed, iterations: 10, source: "", wallSeconds: 1, load: 0,
 *   commit: "0123456", date: "2026-11-29",
 *   cells: { k5_steps1: cell(m), k5_steps10: cell(m), k10_steps1: cell(m), k10_steps10: cell(m) },
 * });
 * seedSpread([run(0, 0.5), run(1, 0.7)], "ours", "k10_steps1").sd; // ≈ 0.141
 * ```
 */
export function seedSpread(
  runs: readonly SeedRun[],
  implementation: Implementation,
  cell: SeedCellKey,
): SeedSpread {
  const all = runs.filter((r) => r.implementation === implementation);
  if (all.length === 0) throw new RangeError(`seedSpread: no ${implementation} run`);
  const settled = (r: SeedRun) => Math.abs(r.cells[cell].mean) <= SETTLED_LIMIT;
  const own = all.filter(settled);
  const means = own.map((r) => r.cells[cell].mean);
  const n = means.length;
  const sd = n > 1 ? Math.sqrt(variance(means)) : NaN;
  const halves = own.map((r) => r.cells[cell].ci95).sort((a, b) => a - b);
  const mid = halves.length >> 1;
  return {
    seeds: own.map((r) => r.seed),
    leftOut: all.filter((r) => !settled(r)).map((r) => r.seed),
    means,
    mean: n > 0 ? mean(means) : NaN,
    sd,
    halfWidth: n > 1 ? studentTQuantile(0.975, n - 1) * sd / Math.sqrt(n) : NaN,
    min: n > 0 ? Math.min(...means) : NaN,
    max: n > 0 ? Math.max(...means) : NaN,
    taskHalfWidth: n === 0
      ? NaN
      : halves.length % 2
      ? halves[mid]
      : (halves[mid - 1] + halves[mid]) / 2,
  };
}

/** Ours against the peer in one cell, over seeds. */
export interface SeedComparison {
  /** Mean over our seeds minus mean over the peer's seeds. */
  difference: number;
  /** 95% half-width of the difference (see {@linkcode compareAcrossSeeds}). */
  halfWidth: number;
  /** Welch–Satterthwaite degrees of freedom. */
  dof: number;
  /** Whether the interval of the difference holds 0, or which side ours is on. */
  verdict: "consistent" | "ours lower" | "ours higher";
  /** Whether the ranges of the two implementations' seed means overlap. */
  rangesOverlap: boolean;
}

/**
 * Ours against the peer with both sources of variation counted: the difference d of the means
 * over seeds has variance s_o²/n_o + s_p²/n_p (the seeds, each implementation's standard
 * deviation s over its n seeds) + (h_o/1.96)² + (h_p/1.96)² (each implementation's evaluation
 * set, 600 tasks fixed across its seeds but different from the other's, with h the single-run
 * 95% half-width over tasks); its 95% half-width is t(0.975, ν)·√V with the Welch–Satterthwaite
 * ν = V² / (a_o²/(n_o − 1) + a_p²/(n_p − 1)), a = s²/n (the task terms taken as known).
 * With `sameTasks` (both evaluated on the same tasks, e.g. ours by the peer's evaluation code)
 * the task terms are left out: under the hypothesis that both run the same algorithm a common
 * evaluation set shifts both means alike. Needs at least two seeds
 * of each.
 *
 * @example
 * ```ts
 * import { compareAcrossSeeds } from "./maml_seeds.ts";
 * const spread = (mean: number, sd: number, n: number) => ({
 *   seeds: Array.from({ length: n }, (_, i) => i),
 *   leftOut: [],
 *   means: [],
 *   mean,
 *   sd,
 *   halfWidth: NaN,
 *   min: mean - sd,
 *   max: mean + sd,
 *   taskHalfWidth: 0.05,
 * });
 * compareAcrossSeeds(spread(0.6, 0.04, 10), spread(0.57, 0.03, 3)).verdict; // "consistent"
 * ```
 */
export function compareAcrossSeeds(
  ours: SeedSpread,
  peer: SeedSpread,
  options: { sameTasks?: boolean } = {},
): SeedComparison {
  const no = ours.seeds.length, np = peer.seeds.length;
  if (no < 2 || np < 2) {
    throw new RangeError(`compareAcrossSeeds: needs two seeds of each, got ${no} and ${np}`);
  }
  const a = ours.sd ** 2 / no, b = peer.sd ** 2 / np;
  const c = options.sameTasks
    ? 0
    : (ours.taskHalfWidth / 1.96) ** 2 + (peer.taskHalfWidth / 1.96) ** 2;
  const v = a + b + c;
  const dof = v ** 2 / (a ** 2 / (no - 1) + b ** 2 / (np - 1));
  const halfWidth = studentTQuantile(0.975, Math.max(1, dof)) * Math.sqrt(v);
  const difference = ours.mean - peer.mean;
  return {
    difference,
    halfWidth,
    dof,
    verdict: difference - halfWidth > 0
      ? "ours higher"
      : difference + halfWidth < 0
      ? "ours lower"
      : "consistent",
    rangesOverlap: ours.min <= peer.max && peer.min <= ours.max,
  };
}

const NAME: Record<Implementation, string> = {
  ours: "metahpo",
  "ours-peer-eval": "metahpo, the peer's evaluation",
  peer: "PyTorch peer",
  peer64: "PyTorch peer, float64",
};
const f3 = (x: number) => Number.isFinite(x) ? lossFigure(x) : "–";

/** One row per run: mean ± 95% CI over tasks in each cell, wall time and load. *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedRunsTable } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * console.log(seedRunsTable(readSeedRuns(dir, fullDir)));
 * ```
 */
export function seedRunsTable(runs: readonly SeedRun[]): string {
  const rows = runs.map((r) => [
    NAME[r.implementation],
    String(r.seed),
    ...SEED_CELLS.map(({ key }) => {
      const c = r.cells[key];
      return `${f3(c.mean)} ± ${f3(c.ci95)}${
        c.divergedTasks ? ` (${c.divergedTasks} diverged)` : ""
      }`;
    }),
    r.implementation === "ours-peer-eval"
      ? "same network"
      : Number.isFinite(r.wallSeconds)
      ? `${(r.wallSeconds / 60).toFixed(1)} min`
      : "full run",
    Number.isFinite(r.load) ? r.load.toFixed(1) : "–",
  ]);
  return markdownTable(
    ["implementation", "seed", ...SEED_CELLS.map((c) => c.label), "wall", "load"],
    rows,
  );
}

function implementationsOf(runs: readonly SeedRun[]): Implementation[] {
  return IMPLEMENTATIONS.filter((i) => runs.some((r) => r.implementation === i));
}

/**
 * One row per implementation: in each cell the mean over seeds ± 95% t-interval, the standard
 * deviation and range over seeds, and the median single-run half-width over tasks.
 *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedSpreadTable } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * console.log(seedSpreadTable(readSeedRuns(dir, fullDir)));
 * ```
 */
export function seedSpreadTable(runs: readonly SeedRun[]): string {
  const rows = SEED_CELLS.flatMap(({ key, label }) =>
    implementationsOf(runs).map((i) => {
      const s = seedSpread(runs, i, key);
      const left = s.leftOut.length
        ? ` (seed${s.leftOut.length > 1 ? "s" : ""} ${s.leftOut.join(", ")} above 10³ left out)`
        : "";
      return [
        label,
        NAME[i],
        `${s.seeds.length}${left}`,
        s.seeds.length > 1 ? `${f3(s.mean)} ± ${f3(s.halfWidth)}` : f3(s.mean),
        f3(s.sd),
        `${f3(s.min)}–${f3(s.max)}`,
        `± ${f3(s.taskHalfWidth)}`,
      ];
    })
  );
  return markdownTable([
    "cell",
    "implementation",
    "seeds",
    "mean over seeds ± 95%",
    "SD over seeds",
    "range over seeds",
    "one run's 95% CI over tasks (median)",
  ], rows);
}

/**
 * The sentences comparing ours with the peer in every cell ({@linkcode compareAcrossSeeds}): our
 * runs as evaluated by ours (both seed spreads and both evaluation sets counted), and, when
 * present, the same networks through the peer's evaluation on the peer's tasks (the seed spreads
 * only). With at least two float64 runs of the peer, also ours, our networks through the peer's
 * evaluation and the float32 peer, each minus the float64 peer, with both evaluation sets counted
 * (the float64 peer draws its evaluation tasks in float64: other tasks than the float32 peer's).
 * "" with fewer than two seeds of either peer.
 *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedComparison } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * console.log(seedComparison(readSeedRuns(dir, fullDir)));
 * ```
 */
export function seedComparison(runs: readonly SeedRun[]): string {
  const count = (i: Implementation) => runs.filter((r) => r.implementation === i).length;
  /** `a` minus `b` in every cell; `first` names `a` in the verdict ("ours lower"). */
  const sentence = (a: Implementation, b: Implementation, sameTasks: boolean, first = "ours") =>
    SEED_CELLS.map(({ key, label }) => {
      const o = seedSpread(runs, a, key), peer = seedSpread(runs, b, key);
      if (o.seeds.length < 2 || peer.seeds.length < 2) {
        return `${label}: fewer than two settled seeds of one of them`;
      }
      const c = compareAcrossSeeds(o, peer, { sameTasks });
      const sign = c.difference >= 0 ? "+" : "−";
      const verdict = c.verdict === "consistent"
        ? "0 inside"
        : `${first} ${c.verdict === "ours lower" ? "lower" : "higher"}`;
      return `${label}: ${sign}${f3(Math.abs(c.difference))} ± ${f3(c.halfWidth)}, ${verdict}; ` +
        `seed ranges ${c.rangesOverlap ? "overlap" : "do not overlap"}`;
    }).join("; ");
  const peer = count("peer") >= 2, peer64 = count("peer64") >= 2;
  const evaluated = count("ours-peer-eval");
  const parts: string[] = [];
  if (peer && count("ours") >= 2) {
    parts.push(
      "Ours minus the peer, means over seeds, with a 95% interval counting both " +
        "implementations' seed spreads and evaluation sets (Welch–Satterthwaite; " +
        `\`bench/maml_seeds.ts\`): ${sentence("ours", "peer", false)}.`,
    );
  }
  if (peer64 && count("ours") >= 2) {
    parts.push(
      `Ours minus the peer in float64 (${count("peer64")} seeds), the same interval: ` +
        `${sentence("ours", "peer64", false)}.`,
    );
  }
  if (peer && evaluated >= 2) {
    parts.push(
      `The ${evaluated} networks of ours evaluated by the peer's own code on its ` +
        "tasks, minus the peer (the same 600 tasks, which cancel when both run the same " +
        "algorithm: seed spreads only): " +
        `${sentence("ours-peer-eval", "peer", true)}.`,
    );
  }
  if (peer64 && evaluated >= 2) {
    parts.push(
      `The same ${evaluated} networks of ours through the peer's code, minus the peer in ` +
        "float64 (whose evaluation tasks, drawn in float64, are other tasks than the float32 " +
        "peer's: both evaluation sets counted): " +
        `${sentence("ours-peer-eval", "peer64", false)}.`,
    );
  }
  if (peer && peer64) {
    parts.push(
      "The peer in float32 minus the peer in float64 (other initialisations, training " +
        "streams and evaluation tasks at the same seed: both evaluation sets counted): " +
        `${sentence("peer", "peer64", false, "float32")}.`,
    );
  }
  return parts.join("\n\n");
}

/**
 * Where the runs came from: how many of each implementation, their commits, dates, total wall
 * time and the range of the load average at their ends (the full run's seed 0 counted apart).
 *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedProvenance } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * console.log(seedProvenance(readSeedRuns(dir, fullDir)));
 * ```
 */
export function seedProvenance(runs: readonly SeedRun[]): string {
  const own = runs.filter((r) =>
    r.implementation !== "ours-peer-eval" && Number.isFinite(r.wallSeconds)
  );
  const commits = [...new Set(own.map((r) => r.commit.slice(0, 7)))].join(", ");
  const dates = [...new Set(own.map((r) => r.date.slice(0, 10)))].join(", ");
  const minutes = (i: Implementation) =>
    own.filter((r) => r.implementation === i).reduce((t, r) => t + r.wallSeconds, 0) / 60;
  const loads = own.map((r) => r.load).filter(Number.isFinite);
  const count = (i: Implementation) => own.filter((r) => r.implementation === i).length;
  const evaluated = runs.filter((r) => r.implementation === "ours-peer-eval").length;
  const reruns = own.filter((r) => r.differsFromFullRun !== undefined).map((r) =>
    `${r.implementation === "ours" ? "our" : "the peer's"} seed 0 re-run ${
      r.differsFromFullRun!.length === 0
        ? `gives the full run's ${SEED_CELLS.length} means`
        : `differs from the full run at ${r.differsFromFullRun!.join(", ")}`
    }`
  );
  const runsOf = (n: number) => `${n} run${n === 1 ? "" : "s"}`;
  const peer = `${count("peer")} of the peer (${minutes("peer").toFixed(1)} min)`;
  const peer64 = count("peer64")
    ? `${count("peer64")} of the peer in float64 (\`maml_per_task.py --float64\`, ` +
      `${minutes("peer64").toFixed(1)} min)`
    : "";
  return `${runsOf(count("ours"))} of ours (${minutes("ours").toFixed(1)} min wall in all)` +
    (peer64 ? `, ${peer} and ${peer64}` : ` and ${peer}`) + " by " +
    `\`results/maml_full/fomaml_seeds/run.sh\`, commit ${commits}, ${dates}` +
    (loads.length
      ? `, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} at their ends`
      : "") +
    `; seed 0 of ${count("peer64") ? "ours and the float32 peer" : "each"} not re-run is the ` +
    "full run's" +
    (reruns.length ? `; ${reruns.join("; ")}` : "") +
    (evaluated
      ? `; ${evaluated} of our networks (saved by \`--save-checkpoints\`) also evaluated by the ` +
        "peer's own code on its tasks (`bench/peers/maml_peer_eval.py`)"
      : "");
}

/**
 * The Markdown of the seed study (`results/maml_full/README.md`): where the runs came from, one
 * row per run, one row per implementation over seeds, and ours against the peer.
 *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedBlock } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * console.log(seedBlock(readSeedRuns(dir, fullDir)));
 * ```
 */
export function seedBlock(runs: readonly SeedRun[]): string {
  const iterations = runs[0]?.iterations.toLocaleString("en-US") ?? "?";
  const comparison = seedComparison(runs);
  return [
    `First-order MAML, K = 10 in training, ${iterations} meta-iterations, by meta-training seed ` +
    `(initialisation and training task stream; each implementation's 600 evaluation tasks fixed ` +
    `across its seeds); ${seedProvenance(runs)}. Query MSE mean ± 95% CI over tasks of each run:`,
    "",
    seedRunsTable(runs),
    "",
    "Over seeds (a seed whose mean is above 10³, one task blown up by ten steps, left out and " +
    "named), next to the interval over tasks that one run reports:",
    "",
    seedSpreadTable(runs),
    ...(comparison ? ["", comparison] : []),
  ].join("\n");
}

const METHOD: Record<Implementation, string> = {
  ours: "fomaml",
  "ours-peer-eval": "fomaml, peer evaluation",
  peer: "torch-fomaml",
  peer64: "torch-fomaml-float64",
};

/** The runs as long-format rows (`results.csv`): mse, mse_ci95, mse_median per seed and cell. *
 * @example
 * ```ts ignore
 * import { readSeedRuns, seedRows } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * const rows = seedRows(readSeedRuns(dir, fullDir)); // results.csv rows
 * ```
 */
export function seedRows(runs: readonly SeedRun[]): ResultRow[] {
  return runs.flatMap((r) =>
    SEED_CELLS.flatMap(({ key, shots, steps }) =>
      (["mean", "ci95", "median", "divergedTasks"] as const).map((field) => ({
        suite: "maml-fomaml-seeds",
        task: `sinusoid-k${shots}`,
        method: METHOD[r.implementation],
        seed: r.seed,
        step: steps,
        metric:
          { mean: "mse", ci95: "mse_ci95", median: "mse_median", divergedTasks: "diverged_tasks" }[
            field
          ],
        value: r.cells[key][field],
      }))
    )
  );
}

/** The over-seeds table as records (`summary.csv`). *
 * @example
 * ```ts ignore
 * import { readSeedRuns, spreadRecords } from "./maml_seeds.ts";
 * const dir = new URL("../results/maml_full/fomaml_seeds/", import.meta.url);
 * const fullDir = new URL("../results/maml_full/", import.meta.url);
 * const records = spreadRecords(readSeedRuns(dir, fullDir)); // summary.csv
 * ```
 */
export function spreadRecords(runs: readonly SeedRun[]): Record<string, string | number>[] {
  return implementationsOf(runs).flatMap((i) =>
    SEED_CELLS.map(({ key, label }) => {
      const s = seedSpread(runs, i, key);
      return {
        method: METHOD[i],
        cell: label,
        seeds: s.seeds.join(" "),
        "mean over seeds": Number(s.mean.toFixed(4)),
        "95% t half-width": Number(s.halfWidth.toFixed(4)),
        "SD over seeds": Number(s.sd.toFixed(4)),
        min: s.min,
        max: s.max,
        "median task half-width": s.taskHalfWidth,
      };
    })
  );
}

const BLOCK = /<!-- results: fomaml-seeds -->\n[\s\S]*?\n?<!-- \/results -->/;

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      dir: { type: "string", default: "results/maml_full/fomaml_seeds" },
      full: { type: "string", default: "results/maml_full" },
      write: { type: "boolean", default: false },
    },
  });
  const folder = (p: string) => new URL(p.endsWith("/") ? p : `${p}/`, `file://${Deno.cwd()}/`);
  const dir = folder(values.dir), fullDir = folder(values.full);
  const runs = readSeedRuns(dir, fullDir);
  const block = seedBlock(runs);
  console.log(block);
  if (values.write) {
    Deno.writeTextFileSync(new URL("results.csv", dir), toCsv(seedRows(runs)));
    Deno.writeTextFileSync(
      new URL("summary.csv", dir),
      `# maml-fomaml-seeds: First-order MAML query MSE over meta-training seeds\n` +
        recordsToCsv(spreadRecords(runs)),
    );
    const readme = new URL("README.md", fullDir);
    const text = Deno.readTextFileSync(readme);
    if (!BLOCK.test(text)) throw new Error(`${readme.pathname}: no fomaml-seeds block`);
    Deno.writeTextFileSync(
      readme,
      text.replace(BLOCK, () => `<!-- results: fomaml-seeds -->\n${block}\n<!-- /results -->`),
    );
    console.error(`wrote results.csv, summary.csv in ${dir.pathname} and the block in README.md`);
  }
}
