/**
 * MAML-family benchmark on sinusoids, the protocol of Finn et al. 2017: 1-40-40-1 ReLU MLP,
 * inner SGD α = 0.01, one inner step in training, meta-batch 25, Adam 1e-3, K = 10 training
 * shots; evaluation on 600 fixed tasks with K = 5 and 10, MSE on 100 evenly spaced query points
 * after 1 and 10 steps, mean ± 95% CI half-width. Also milliseconds per meta-iteration on the
 * cpu and wasm backends, and optionally the PyTorch peer run in the same session.
 *
 * `deno run -A bench/maml.ts --iters 5000 --learners maml,metasgd --backend wasm`
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { tf } from "../lib/deps/tf.ts";
import {
  type Backend,
  createLearner,
  LEARNER_KINDS,
  type LearnerKind,
  type MetaLearner,
  metaTest,
  metaTrain,
  mlp,
  useBackend,
} from "../lib/maml/mod.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../lib/tasks/sinusoid/mod.ts";
import { mean } from "../lib/stats/mod.ts";
import { type PeerRecord, runPeer } from "../lib/bench/peers.ts";

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

const model = () => mlp({ sizes: [1, 40, 40, 1], activation: "relu" });

async function timeLearner(kind: LearnerKind, backend: Backend, iterations: number, seed: number) {
  await useBackend(backend);
  const learner = createLearner(kind, model(), benchLearnerOptions(kind, seed));
  try {
    // Warm-up outside the timed run (kernel set-up, JIT).
    await metaTrain(learner, { source: episodeSampler(sinusoid), iterations: 5, seed });
    const cpuBefore = cpuUsage();
    const result = await metaTrain(learner, {
      source: episodeSampler(sinusoid),
      iterations,
      seed: seed + 1,
    });
    const cpu = cpuUsage(cpuBefore);
    // Process CPU time is the fairer figure on a shared machine (wall time includes waiting).
    return { wall: result.msPerIteration, cpu: (cpu.user + cpu.system) / 1000 / iterations };
  } finally {
    learner.dispose();
  }
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
    },
  });
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
  });
  if (values.peer) {
    record.peer = await runMamlPeers(values.peer, int("peer-iters", values["peer-iters"]));
  }
  console.log(JSON.stringify(record, null, 2));
}
