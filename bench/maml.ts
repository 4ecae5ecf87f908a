/**
 * MAML-family benchmark on sinusoids, the protocol of Finn et al. 2017: 1-40-40-1 ReLU MLP,
 * inner SGD α = 0.01, one inner step in training, meta-batch 25, Adam 1e-3, K = 10 training
 * shots; evaluation on 600 fixed tasks with K = 5 and 10, MSE on 100 evenly spaced query points
 * after 1 and 10 steps, mean ± 95% CI half-width. Also milliseconds per meta-iteration on the
 * cpu and wasm backends, and optionally the PyTorch peer run in the same session.
 *
 * `deno run -A bench/maml.ts --iters 5000 --learners maml,metasgd --backend wasm`
 *
 * (`--out FILE` also writes the printed record with its provenance: command, commit, date,
 * machine, versions, wall time; `--save-checkpoints DIR` saves each trained learner as
 * `DIR/<kind>_seed<S>.json`);
 * `deno run -A bench/maml.ts --speed [--speed-iters 100] [--speed-rounds 3] [--no-tape] [--out DIR]`:
 * the speed table of {@linkcode runMamlSpeed} (ours against the PyTorch reference, by meta-batch
 * size and width); with `--out`, `results.csv`, `summary.csv` and `provenance.json` in `DIR`
 * (the committed run: `results/maml_speed/`).
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { tf } from "../lib/deps/tf.ts";
import { runPeer as runPeerScript } from "../lib/bench/peers.ts";
import {
  type Backend,
  createLearner,
  LEARNER_KINDS,
  type LearnerKind,
  type MetaGradientEngine,
  type MetaLearner,
  metaTest,
  metaTrain,
  mlp,
  saveCheckpoint,
  type TaskBatch,
  useBackend,
} from "../lib/maml/mod.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../lib/tasks/sinusoid/mod.ts";
import { mean, summariseFinite } from "../lib/stats/mod.ts";
import { type PeerRecord, runPeer } from "../lib/bench/peers.ts";
import { recordsToCsv, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { loadNow, runProvenance } from "./provenance.ts";

/** Options of {@linkcode runMamlBenchmark}. */
export interface MamlBenchOptions {
  /** Meta-iterations per learner. */
  iterations: number;
  /** Learners to train and evaluate (default all of `LEARNER_KINDS`). */
  learners?: readonly LearnerKind[];
  /** Backend for training and evaluation (default wasm). */
  backend?: Backend;
  /** Seed of the initialisation and the training task stream (default 0). */
  seed?: number;
  /** Evaluation tasks (default 600). */
  evalTasks?: number;
  /** Meta-iterations timed per learner and backend (default 0 = skip the timing section). */
  timingIterations?: number;
  /** Progress lines to stderr every this many iterations (default 1000; 0 = silent). */
  logEvery?: number;
  /** Per-learner meta-iterations overriding `iterations`, e.g. `{ metasgd: 5000 }`. */
  iterationsFor?: Partial<Record<LearnerKind, number>>;
  /** Also evaluate at these earlier meta-iteration counts (same run, no restart). */
  evalAt?: readonly number[];
  /** Called with each learner's record as soon as it is done (e.g. to stream it). */
  onResult?: (record: Record<string, unknown>) => void;
  /**
   * Folder for each trained learner's checkpoint, `<kind>_seed<S>.json` (`saveCheckpoint`), to
   * evaluate it elsewhere (e.g. on the PyTorch peer's evaluation tasks); default none.
   */
  checkpointDir?: string;
}

/** The options each learner gets in the benchmark (Finn et al.'s protocol). */
export function benchLearnerOptions(kind: LearnerKind, seed: number): Record<string, unknown> {
  const common = { innerLr: 0.01, seed };
  if (kind === "reptile") return { ...common, innerSteps: 5 };
  if (kind === "learned-hp") {
    return { ...common, innerSteps: 1, lrGranularity: "per-tensor", learnStepScales: true };
  }
  return { ...common, innerSteps: 1 };
}

/**
 * The shared rule of the project's tables and figures applied to per-task query losses: mean,
 * 95% CI half-width and median over the tasks whose loss stayed finite, with the others counted
 * (`summariseFinite`). A single task that blows up after ten steps then shows as one diverged
 * task out of 600 instead of turning the whole mean into NaN.
 *
 * @example
 * ```ts
 * import { finiteTaskSummary } from "./maml.ts";
 * finiteTaskSummary([0.5, 1.5, Infinity]).divergedTasks; // 1
 * ```
 */
export function finiteTaskSummary(perTask: ArrayLike<number>): {
  finiteMean: number;
  finiteCi95: number;
  median: number;
  divergedTasks: number;
  tasks: number;
} {
  const values = Array.from(perTask);
  const mean = summariseFinite(values, "mean", { nonNegative: true });
  const median = summariseFinite(values, "median", { nonNegative: true });
  return {
    finiteMean: round(mean.center),
    finiteCi95: round(mean.upper - mean.center),
    median: round(median.center),
    divergedTasks: mean.diverged,
    tasks: mean.total,
  };
}

const model = (width = 40) => mlp({ sizes: [1, width, width, 1], activation: "relu" });

/** Times `iterations` meta-iterations (after a warm-up); wall and process CPU ms per iteration. */
async function timeLearner(
  kind: LearnerKind,
  backend: Backend,
  iterations: number,
  seed: number,
  setting: { metaBatchSize?: number; width?: number; engine?: MetaGradientEngine } = {},
) {
  await useBackend(backend);
  const learner = createLearner(kind, model(setting.width), benchLearnerOptions(kind, seed));
  const engine = setting.engine ?? "auto";
  try {
    const common = {
      source: episodeSampler(sinusoid),
      metaBatchSize: setting.metaBatchSize ?? 25,
    };
    const run = (n: number, s: number) =>
      metaTrain(engine === "auto" ? learner : withEngine(learner, engine), {
        ...common,
        iterations: n,
        seed: s,
      });
    // Warm-up outside the timed run (kernel set-up, JIT).
    await run(20, seed);
    const cpuBefore = cpuUsage();
    const result = await run(iterations, seed + 1);
    const cpu = cpuUsage(cpuBefore);
    // Process CPU time is the fairer figure on a shared machine (wall time includes waiting).
    return { wall: result.msPerIteration, cpu: (cpu.user + cpu.system) / 1000 / iterations };
  } finally {
    learner.dispose();
  }
}

/** `learner` with its meta-gradients computed by `engine` (same variables). */
function withEngine(learner: MetaLearner, engine: MetaGradientEngine): MetaLearner {
  return new Proxy(learner, {
    get(target, key) {
      if (key === "metaGradients") {
        return (batch: TaskBatch) => target.metaGradients(batch, { engine });
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Options of {@linkcode runMamlSpeed}. */
export interface MamlSpeedOptions {
  /** Timed meta-iterations per setting and round (default 100; 20 more warm up each time). */
  iterations?: number;
  /**
   * Rounds per setting (default 3): each round times ours and the PyTorch reference back to back,
   * in alternating order, and a setting reports the median over its rounds.
   */
  rounds?: number;
  /** Meta-batch sizes at width 40 (default 5, 10, 25, 50). */
  metaBatchSizes?: readonly number[];
  /** Hidden widths at meta-batch 25 (default 40, 80, 160). */
  widths?: readonly number[];
  /** Learner (default second-order MAML; the PyTorch reference runs MAML or FOMAML). */
  learner?: "maml" | "fomaml";
  /** Also time tfjs's tape engine (default true). */
  tape?: boolean;
  /** Python for the PyTorch reference (default /usr/bin/python3; null: skip it). */
  python?: string | null;
  /** Called after each setting. */
  onRow?: (row: MamlSpeedRow) => void;
}

/**
 * One row of the speed table: milliseconds per meta-iteration (wall and process CPU), medians over
 * the setting's rounds.
 */
export interface MamlSpeedRow {
  /** Tasks per meta-batch. */
  metaBatchSize: number;
  /** Hidden width (1-W-W-1 ReLU MLP). */
  width: number;
  /** Ours, fused engine, wasm backend. */
  fusedWall: number;
  /** CPU ms of the fused engine. */
  fusedCpu: number;
  /** Ours, tfjs tape on the task-batched inner loop, wasm backend (NaN when skipped). */
  tapeWall: number;
  /** CPU ms of the tape engine. */
  tapeCpu: number;
  /** PyTorch reference (NaN when it could not run). */
  torchWall: number;
  /** CPU ms of the PyTorch reference. */
  torchCpu: number;
  /** The machine's 1-minute load average, mean over the setting's rounds (NaN if unreadable). */
  load: number;
  /** Every round's measurements: engine, wall ms, CPU ms, in the order they were timed. */
  rounds: { engine: "fused" | "tape" | "torch"; wall: number; cpu: number }[];
}

/**
 * Milliseconds per meta-iteration of second-order MAML (Finn et al.'s sinusoid protocol, inner
 * steps 1) on the wasm backend, fused engine and tfjs tape, against the PyTorch reference
 * `bench/peers/maml_speed_torch.py` (the shared peer's training loop, one thread), over meta-batch
 * sizes and widths. Each setting is timed in `rounds` rounds, ours and PyTorch back to back in
 * alternating order (so that a change in the machine's load falls on both), and reports the
 * median of each over the rounds.
 *
 * @example
 * ```ts ignore
 * import { runMamlSpeed } from "./maml.ts";
 * const rows = await runMamlSpeed({ iterations: 50, metaBatchSizes: [25], widths: [40] });
 * ```
 */
export async function runMamlSpeed(options: MamlSpeedOptions = {}): Promise<MamlSpeedRow[]> {
  const iterations = options.iterations ?? 100;
  const rounds = options.rounds ?? 3;
  const learner = options.learner ?? "maml";
  const settings = [
    ...(options.metaBatchSizes ?? [5, 10, 25, 50]).map((metaBatchSize) => ({
      metaBatchSize,
      width: 40,
    })),
    ...(options.widths ?? [40, 80, 160]).filter((w) => w !== 40).map((width) => ({
      metaBatchSize: 25,
      width,
    })),
  ];
  const python = options.python === undefined ? "/usr/bin/python3" : options.python;
  const peersDir = new URL("./peers/", import.meta.url).pathname;
  const rows: MamlSpeedRow[] = [];
  // Untimed warm-up of both engines (JIT, kernel set-up) before the first timed setting.
  await timeLearner(learner, "wasm", Math.max(300, iterations), 0, {
    ...settings[0],
    engine: "fused",
  });
  if (options.tape !== false) {
    await timeLearner(learner, "wasm", 10, 0, { ...settings[0], engine: "tape" });
  }
  let peerFailure: string | undefined;
  const torchTime = async (setting: { metaBatchSize: number; width: number }) => {
    if (python === null || peerFailure !== undefined) return { wall: NaN, cpu: NaN };
    const run = await runPeerScript("maml_speed_torch.py", [
      "--iters",
      String(iterations),
      "--width",
      String(setting.width),
      "--meta-batch",
      String(setting.metaBatchSize),
      ...(learner === "fomaml" ? ["--first-order"] : []),
    ], { dir: peersDir, python });
    if (run.ok) {
      const r = run.records[0] as { ms_wall: number; ms_cpu: number };
      return { wall: r.ms_wall, cpu: r.ms_cpu };
    }
    peerFailure = run.reason;
    console.error(`maml speed: PyTorch reference did not run: ${run.reason}`);
    return { wall: NaN, cpu: NaN };
  };
  const median = (values: number[]) => {
    const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    if (s.length === 0) return NaN;
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  for (const setting of settings) {
    const measured: MamlSpeedRow["rounds"] = [];
    const loads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const engines: ("fused" | "tape" | "torch")[] = options.tape === false
        ? ["fused", "torch"]
        : ["fused", "tape", "torch"];
      if (round % 2 === 1) engines.reverse();
      loads.push(loadNow());
      for (const engine of engines) {
        const t = engine === "torch"
          ? await torchTime(setting)
          : await timeLearner(learner, "wasm", iterations, 0, { ...setting, engine });
        measured.push({ engine, wall: round3(t.wall), cpu: round3(t.cpu) });
      }
    }
    const of = (engine: string, key: "wall" | "cpu") =>
      round(median(measured.filter((m) => m.engine === engine).map((m) => m[key])));
    const row: MamlSpeedRow = {
      ...setting,
      fusedWall: of("fused", "wall"),
      fusedCpu: of("fused", "cpu"),
      tapeWall: of("tape", "wall"),
      tapeCpu: of("tape", "cpu"),
      torchWall: of("torch", "wall"),
      torchCpu: of("torch", "cpu"),
      load: round(loads.reduce((a, b) => a + b, 0) / loads.length),
      rounds: measured,
    };
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}

const round3 = (x: number) => Number.isFinite(x) ? Number(x.toFixed(3)) : x;

/**
 * The speed rows as records (one per setting): CPU and wall milliseconds per meta-iteration of
 * each engine, the ratios of ours to PyTorch's CPU time, and the load average: the `summary.csv`
 * table of `--speed --out`.
 */
export function speedRecords(rows: readonly MamlSpeedRow[]): Record<string, number>[] {
  const ratio = (a: number, b: number) => Number.isFinite(a / b) ? Number((a / b).toFixed(3)) : NaN;
  return rows.map((r) => ({
    "meta-batch": r.metaBatchSize,
    width: r.width,
    "fused CPU ms": r.fusedCpu,
    "fused wall ms": r.fusedWall,
    "tape CPU ms": r.tapeCpu,
    "tape wall ms": r.tapeWall,
    "torch CPU ms": r.torchCpu,
    "torch wall ms": r.torchWall,
    "fused / torch CPU": ratio(r.fusedCpu, r.torchCpu),
    "tape / torch CPU": ratio(r.tapeCpu, r.torchCpu),
    "fused / torch wall": ratio(r.fusedWall, r.torchWall),
    load: r.load,
  }));
}

/**
 * The speed rows as a Markdown table (CPU milliseconds, the fair figure on a shared machine,
 * with wall milliseconds in parentheses).
 */
export function speedTable(rows: readonly MamlSpeedRow[]): string {
  const ms = (cpu: number, wall: number) =>
    Number.isFinite(cpu) ? `${cpu.toFixed(2)} (${wall.toFixed(1)})` : "—";
  const ratio = (a: number, b: number) => Number.isFinite(a / b) ? (a / b).toFixed(2) : "—";
  const lines = [
    "| meta-batch | width | fused, wasm | tfjs tape, wasm | PyTorch | fused / PyTorch | tape / PyTorch | load |",
    "| ---------- | ----- | ----------- | --------------- | ------- | --------------- | -------------- | ---- |",
    ...rows.map((r) =>
      `| ${r.metaBatchSize} | ${r.width} | ${ms(r.fusedCpu, r.fusedWall)} | ` +
      `${ms(r.tapeCpu, r.tapeWall)} | ${ms(r.torchCpu, r.torchWall)} | ` +
      `${ratio(r.fusedCpu, r.torchCpu)} | ${ratio(r.tapeCpu, r.torchCpu)} | ${r.load.toFixed(1)} |`
    ),
  ];
  return lines.join("\n");
}

/**
 * Writes a speed run into `dir`: `results.csv` (every round's wall and CPU ms per engine and
 * setting, suite `maml-speed`, the round in `step`), `summary.csv` (the medians of
 * {@linkcode speedRecords} under `title`) and `provenance.json` (with the tfjs and PyTorch
 * versions).
 */
async function writeSpeedOutput(
  dir: string,
  title: string,
  rows: readonly MamlSpeedRow[],
  seconds: number,
): Promise<void> {
  const long: ResultRow[] = rows.flatMap((r) => {
    const task = `meta-batch ${r.metaBatchSize}, width ${r.width}`;
    const perEngine = new Map<string, number>();
    return [
      ...r.rounds.flatMap((m) => {
        const step = perEngine.get(m.engine) ?? 0;
        perEngine.set(m.engine, step + 1);
        return (["wall", "cpu"] as const).map((key) => ({
          suite: "maml-speed",
          task,
          method: m.engine,
          seed: 0,
          step,
          metric: `ms_${key}_per_meta_iteration`,
          value: m[key],
        }));
      }),
      {
        suite: "maml-speed",
        task,
        method: "machine",
        seed: 0,
        step: 0,
        metric: "load",
        value: r.load,
      },
    ];
  });
  let torch = "unavailable";
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import torch; print(torch.__version__)"],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (out.success) torch = new TextDecoder().decode(out.stdout).trim();
  } catch { /* recorded as unavailable */ }
  const command = ["deno run -A --lock=deno.lock bench/maml.ts", ...Deno.args].join(" ");
  const provenance = { ...(await runProvenance(command, seconds)), tfjs: tf.version.tfjs, torch };
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/results.csv`, toCsv(long));
  await Deno.writeTextFile(
    `${dir}/summary.csv`,
    `# ${title}\n${recordsToCsv(speedRecords(rows))}`,
  );
  await Deno.writeTextFile(`${dir}/provenance.json`, JSON.stringify(provenance, null, 2) + "\n");
  console.log(`written to ${dir}/`);
}

/**
 * Runs the benchmark and returns a JSON-ready record.
 *
 * @example
 * ```ts ignore
 * import { runMamlBenchmark } from "./maml.ts";
 * const record = await runMamlBenchmark({ iterations: 100, learners: ["maml"], evalTasks: 50 });
 * ```
 */
export async function runMamlBenchmark(options: MamlBenchOptions) {
  const learners = options.learners ?? LEARNER_KINDS;
  const backend = options.backend ?? "wasm";
  const seed = options.seed ?? 0;
  const logEvery = options.logEvery ?? 1000;
  const evalSets = [5, 10].map((shots) => ({
    shots,
    episodes: evaluationSet(sinusoid, { shots, tasks: options.evalTasks ?? 600 }).episodes,
  }));
  const results: Record<string, unknown>[] = [];
  const evaluate = (learner: MetaLearner) => {
    const mse: Record<string, unknown> = {};
    for (const { shots, episodes } of evalSets) {
      for (const r of metaTest(learner, episodes, { steps: [1, 10] })) {
        mse[`k${shots}_steps${r.steps}`] = {
          mean: round(r.mean),
          ci95: round(r.ci95),
          diverged: r.diverged,
          nonFinite: r.nonFinite,
          ...finiteTaskSummary(r.perTask),
        };
      }
    }
    return mse;
  };
  for (const kind of learners) {
    await useBackend(backend);
    const iterations = options.iterationsFor?.[kind] ?? options.iterations;
    const learner = createLearner(kind, model(), benchLearnerOptions(kind, seed));
    const started = performance.now();
    const intermediate: Record<string, unknown>[] = [];
    const evalAt = new Set((options.evalAt ?? []).filter((n) => n < iterations));
    const training = await metaTrain(learner, {
      source: episodeSampler(sinusoid, { shots: 10, queryShots: 10 }),
      iterations,
      metaBatchSize: 25,
      optimizer: { kind: "adam", lr: 1e-3 },
      seed,
      progressEvery: logEvery > 0 ? logEvery : iterations + 1,
      onProgress: (p) =>
        console.error(
          `${kind} ${backend} it ${p.iteration} loss ${p.loss.toFixed(4)} ` +
            `${((performance.now() - started) / 1000).toFixed(0)} s`,
        ),
      checkpointEvery: evalAt.size ? 1 : 0,
      onCheckpoint: (it) => {
        if (evalAt.has(it)) intermediate.push({ iterations: it, mse: evaluate(learner) });
      },
    });
    const mse = evaluate(learner);
    let checkpointFile: string | undefined;
    if (options.checkpointDir !== undefined) {
      Deno.mkdirSync(options.checkpointDir, { recursive: true });
      checkpointFile = `${options.checkpointDir}/${kind}_seed${seed}.json`;
      saveCheckpoint(checkpointFile, learner, training.iterations);
    }
    const learned = kind === "learned-hp" || kind === "metasgd"
      ? summariseRule(learner.variableKeys, learner.variables)
      : undefined;
    const record = {
      learner: kind,
      options: benchLearnerOptions(kind, seed),
      iterations: training.iterations,
      trainingDiverged: training.diverged,
      divergence: training.divergence,
      finalMetaLoss: round(mean(training.losses.slice(-100))),
      msPerMetaIteration: round(training.msPerIteration),
      mse,
      atEarlierIterations: intermediate,
      learnedRule: learned,
      ...(checkpointFile ? { checkpoint: checkpointFile } : {}),
    };
    results.push(record);
    options.onResult?.(record);
    learner.dispose();
  }
  const timing: Record<string, Record<string, number>> = {};
  if ((options.timingIterations ?? 0) > 0) {
    for (const kind of learners) {
      timing[kind] = {};
      for (const b of ["cpu", "wasm"] as const) {
        const { wall, cpu } = await timeLearner(kind, b, options.timingIterations!, seed);
        timing[kind][`${b}Wall`] = round(wall);
        timing[kind][`${b}Cpu`] = round(cpu);
      }
    }
  }
  return {
    benchmark: "maml-sinusoid",
    protocol: "Finn et al. 2017: 1-40-40-1 ReLU, alpha 0.01, 1 inner step, meta-batch 25, " +
      "Adam 1e-3, K=10 train; eval 600 tasks, K=5/10, 100 grid points, 1 and 10 steps",
    backend,
    seed,
    iterations: options.iterations,
    tfjs: tf.version.tfjs,
    results,
    msPerMetaIterationByBackend: timing,
  };
}

function summariseRule(keys: readonly string[], variables: readonly tf.Variable[]) {
  const out: Record<string, { mean: number; min: number; max: number }> = {};
  keys.forEach((key, i) => {
    if (key.startsWith("theta.")) return;
    const values = variables[i].dataSync();
    out[key] = {
      mean: round(mean(values)),
      min: round(Math.min(...values)),
      max: round(Math.max(...values)),
    };
  });
  return out;
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x;
}

/**
 * The PyTorch peer's variants (`maml_torch_peer.py`): our learner kind, the peer's method name in
 * results, and its flags.
 */
export const MAML_PEER_VARIANTS: readonly {
  readonly learner: LearnerKind;
  readonly method: string;
  readonly flags: readonly string[];
}[] = [
  { learner: "maml", method: "torch-maml", flags: [] },
  { learner: "fomaml", method: "torch-fomaml", flags: ["--first-order"] },
  { learner: "metasgd", method: "torch-metasgd", flags: ["--meta-sgd"] },
];

/**
 * Runs every variant of the PyTorch MAML peer for `iterations` meta-iterations through
 * {@linkcode runPeer} (a diverged run prints bare NaN, which is a result). Returns each
 * variant's record by learner kind, or `{ error }` when the peer could not run.
 *
 * @example
 * ```ts ignore
 * import { runMamlPeers } from "./maml.ts";
 * const peers = await runMamlPeers("../shared/peers/maml_torch_peer.py", 500);
 * ```
 */
export async function runMamlPeers(
  script: string,
  iterations: number,
  options: { dir?: string; python?: string } = {},
): Promise<Record<string, PeerRecord | { error: string }>> {
  const out: Record<string, PeerRecord | { error: string }> = {};
  for (const { learner, flags } of MAML_PEER_VARIANTS) {
    const run = await runPeer(script, ["--iters", String(iterations), ...flags], {
      dir: options.dir ?? ".",
      python: options.python,
    });
    out[learner] = run.ok
      ? run.records[0] ?? { error: `${script} printed no JSON record` }
      : { error: run.reason };
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      iters: { type: "string", default: "1000" },
      learners: { type: "string", default: LEARNER_KINDS.join(",") },
      backend: { type: "string", default: "wasm" },
      seed: { type: "string", default: "0" },
      "eval-tasks": { type: "string", default: "600" },
      "timing-iters": { type: "string", default: "0" },
      "log-every": { type: "string", default: "1000" },
      "iters-for": { type: "string", default: "" },
      "eval-at": { type: "string", default: "" },
      peer: { type: "string" },
      "peer-iters": { type: "string", default: "500" },
      speed: { type: "boolean", default: false },
      "speed-iters": { type: "string", default: "100" },
      "speed-rounds": { type: "string", default: "3" },
      out: { type: "string" },
      "no-tape": { type: "boolean", default: false },
      "save-checkpoints": { type: "string" },
    },
  });
  const started = performance.now();
  const learners = values.learners.split(",").map((s) => s.trim()) as LearnerKind[];
  const unknown = learners.filter((l) => !(LEARNER_KINDS as readonly string[]).includes(l));
  if (unknown.length) throw new TypeError(`--learners: unknown ${unknown.join(", ")}`);
  if (values.backend !== "cpu" && values.backend !== "wasm") {
    throw new TypeError(`--backend: cpu or wasm, got ${values.backend}`);
  }
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      throw new TypeError(`--${name}: non-negative integer, got ${v}`);
    }
    return n;
  };
  if (values.speed) {
    const iterations = int("speed-iters", values["speed-iters"]) || 1;
    const rounds = int("speed-rounds", values["speed-rounds"]) || 1;
    const rows = await runMamlSpeed({
      iterations,
      rounds,
      tape: !values["no-tape"],
      onRow: (r) => console.error(`speed ${JSON.stringify(r)}`),
    });
    const seconds = (performance.now() - started) / 1000;
    const title =
      `maml-speed: Second-order MAML on sinusoids, ms per meta-iteration (median over ` +
      `${rounds} rounds of ${iterations} timed iterations; ours on wasm, PyTorch one thread, ` +
      `back to back in alternating order)`;
    console.log(`${title}; tfjs ${tf.version.tfjs}, ${seconds.toFixed(0)} s\n`);
    console.log(speedTable(rows));
    if (values.out) await writeSpeedOutput(values.out, title, rows, seconds);
    Deno.exit(0);
  }
  const iterationsFor: Partial<Record<LearnerKind, number>> = {};
  for (const pair of values["iters-for"].split(",").filter(Boolean)) {
    const [kind, n] = pair.split("=");
    if (!(LEARNER_KINDS as readonly string[]).includes(kind)) {
      throw new TypeError(`--iters-for: unknown learner ${kind}`);
    }
    iterationsFor[kind as LearnerKind] = int("iters-for", n ?? "");
  }
  const evalAt = values["eval-at"].split(",").filter(Boolean).map((v) => int("eval-at", v));
  const record: Record<string, unknown> = await runMamlBenchmark({
    iterationsFor,
    evalAt,
    onResult: (r) => console.error(`RESULT ${JSON.stringify(r)}`),
    iterations: int("iters", values.iters),
    learners,
    backend: values.backend,
    seed: int("seed", values.seed),
    evalTasks: int("eval-tasks", values["eval-tasks"]),
    timingIterations: int("timing-iters", values["timing-iters"]),
    logEvery: int("log-every", values["log-every"]),
    checkpointDir: values["save-checkpoints"],
  });
  if (values.peer) {
    record.peer = await runMamlPeers(values.peer, int("peer-iters", values["peer-iters"]));
  }
  console.log(JSON.stringify(record, null, 2));
  if (values.out) {
    // The record with where it came from, for committed results.
    const command = `deno run -A bench/maml.ts ${Deno.args.join(" ")}`;
    const provenance = await runProvenance(command, (performance.now() - started) / 1000);
    Deno.writeTextFileSync(values.out, JSON.stringify({ provenance, ...record }, null, 2) + "\n");
  }
}
