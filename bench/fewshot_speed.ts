/**
 * Milliseconds per meta-iteration of the few-shot protocol's meta-learners against its PyTorch
 * reference (`bench/peers/fewshot_torch.py --speed`), measured in the same run: 5-way 1- and
 * 5-shot MNIST (`fewShotEpisodes`, seed 0), a 196-64-64-5 ReLU MLP, meta-batch 8, one inner step
 * at 0.4, Adam 10⁻³; ours meta-trained by `fewShotMetaTrain` (the protocol's backend and engine),
 * the reference on the same class pool with one torch thread. A meta-iteration is what each
 * implementation does per step of meta-training: draw a meta-batch of episodes, compute the
 * meta-gradient, update.
 *
 * Each learner and K is timed in `--rounds` rounds; in each round ours and the reference run
 * `--warmup` untimed and `--iterations` timed meta-iterations back to back, in reversed order every
 * other round, so that a change in the machine's load falls on both. A setting reports the median
 * over its rounds of the process CPU milliseconds per meta-iteration (the fair figure on a shared
 * machine) and of the wall milliseconds, and the ratios ours / PyTorch.
 *
 * usage: deno run -A --lock=deno.lock bench/fewshot_speed.ts [--iterations 200] [--warmup 20]
 *        [--rounds 3] [--learners maml,fomaml,metasgd,anil] [--shots 1,5]
 *        [--python /usr/bin/python3] [--out DIR]
 *
 * With `--out`: `results.csv` (every round), `summary.md` (the table) and `provenance.json`.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../lib/deps/tf.ts";
import { FEWSHOT_SIZES, fewShotEpisodes, fewShotMetaTrain } from "../lib/protocols/fewshot.ts";
import type { LearnerKind } from "../lib/maml/mod.ts";
import { median } from "../lib/stats/mod.ts";
import { recordsMarkdown, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { runPeer } from "../lib/bench/peers.ts";
import { exportEpisodes } from "./fewshot_peer.ts";
import { loadNow, runProvenance } from "./provenance.ts";

const PEERS = fileURLToPath(new URL("./peers", import.meta.url));
const LEARNERS = ["maml", "fomaml", "metasgd", "anil"] as const;

/** Options of {@linkcode runFewShotSpeed}. */
export interface FewShotSpeedOptions {
  /** Timed meta-iterations per round (a multiple of `warmup`). */
  iterations: number;
  /** Untimed meta-iterations before each timed stretch. */
  warmup: number;
  /** Rounds per setting. */
  rounds: number;
  /** Learners (those the reference implements). */
  learners: readonly (typeof LEARNERS)[number][];
  /** Shots per class (5-way). */
  shots: readonly number[];
  /** Python interpreter of the reference. */
  python?: string;
  /** Progress callback. */
  progress?: (label: string) => void;
}

/** One timed stretch: wall and CPU milliseconds per meta-iteration. */
interface Timing {
  wall: number;
  cpu: number;
}

/**
 * The protocol's full size (meta-batch 8; the network, the inner rate 0.4 and Adam 10⁻³ are its
 * defaults, which the reference's command line repeats as `bench/fewshot_peer.ts` does).
 */
const PROTOCOL = FEWSHOT_SIZES.full;

async function timeOurs(
  kind: LearnerKind,
  episodes: Awaited<ReturnType<typeof fewShotEpisodes>>,
  warmup: number,
  iterations: number,
): Promise<Timing> {
  let began = 0;
  let cpuBefore = cpuUsage();
  let timing: Timing | undefined;
  const { learner } = await fewShotMetaTrain(kind, episodes, {
    seed: 0,
    metaIterations: warmup + iterations,
    metaBatchSize: PROTOCOL.metaBatchSize,
    checkpointEvery: warmup,
    onCheckpoint: (iteration) => {
      if (iteration === warmup) {
        began = performance.now();
        cpuBefore = cpuUsage();
      } else if (iteration === warmup + iterations) {
        const used = cpuUsage(cpuBefore);
        timing = {
          wall: (performance.now() - began) / iterations,
          cpu: (used.user + used.system) / 1000 / iterations,
        };
      }
    },
  });
  learner.dispose();
  if (!timing) throw new Error(`${kind}: meta-training stopped before ${warmup + iterations}`);
  return timing;
}

async function timeTorch(
  kind: string,
  dir: string,
  options: FewShotSpeedOptions,
): Promise<Timing & { torch: string }> {
  const run = await runPeer("fewshot_torch.py", [
    "--data",
    dir,
    "--seed",
    "0",
    "--iterations",
    String(options.iterations),
    "--learners",
    kind,
    "--meta-batch",
    String(PROTOCOL.metaBatchSize),
    "--inner-lr",
    "0.4",
    "--speed",
    String(options.warmup),
  ], { dir: PEERS, python: options.python });
  if (!run.ok) throw new Error(`fewshot_torch.py: ${run.reason}`);
  const answer = run.records[0] as {
    learners: Record<string, { ms_wall: number; ms_cpu: number }>;
    torch: string;
  };
  const r = answer.learners[kind];
  return { wall: r.ms_wall, cpu: r.ms_cpu, torch: answer.torch };
}

/**
 * Times every learner and K, ours against the PyTorch reference; returns every round's rows
 * (suite `fewshot-speed`, task `mnist-5w<K>s`, methods `ours-<learner>` and `torch-<learner>`,
 * metrics `ms_cpu_per_meta_iteration` and `ms_wall_per_meta_iteration` per round; method
 * `machine`, metric `load` per setting), the summary records and torch's version.
 */
export async function runFewShotSpeed(options: FewShotSpeedOptions): Promise<{
  rows: ResultRow[];
  records: Record<string, string | number>[];
  torch: string;
}> {
  if (options.iterations % options.warmup !== 0) {
    throw new Error(`iterations (${options.iterations}) must be a multiple of warmup`);
  }
  const rows: ResultRow[] = [];
  const records: Record<string, string | number>[] = [];
  let torch = "";
  const scratch = await Deno.makeTempDir({ prefix: "fewshot_speed_" });
  try {
    for (const shots of options.shots) {
      const episodes = await fewShotEpisodes("mnist", shots, { seed: 0, testTasks: 10 });
      const dir = join(scratch, `k${shots}`);
      const task = await exportEpisodes(dir, shots, 0, 10);
      for (const kind of options.learners) {
        const ours: Timing[] = [];
        const theirs: Timing[] = [];
        const loads: number[] = [];
        for (let round = 0; round < options.rounds; round++) {
          options.progress?.(`${task} ${kind}, round ${round + 1} of ${options.rounds}`);
          const order = round % 2 === 0 ? ["ours", "torch"] : ["torch", "ours"];
          for (const who of order) {
            if (who === "ours") {
              ours.push(await timeOurs(kind, episodes, options.warmup, options.iterations));
            } else {
              const t = await timeTorch(kind, dir, options);
              torch = t.torch;
              theirs.push(t);
            }
          }
          loads.push(loadNow());
          for (
            const [method, t] of [[`ours-${kind}`, ours.at(-1)!], [
              `torch-${kind}`,
              theirs.at(-1)!,
            ]] as const
          ) {
            const row = (metric: string, value: number): ResultRow => ({
              suite: "fewshot-speed",
              task,
              method,
              seed: 0,
              step: round,
              metric,
              value,
            });
            rows.push(
              row("ms_cpu_per_meta_iteration", t.cpu),
              row("ms_wall_per_meta_iteration", t.wall),
            );
          }
        }
        const load = median(loads);
        rows.push({
          suite: "fewshot-speed",
          task,
          method: "machine",
          seed: 0,
          step: 0,
          metric: "load",
          value: load,
        });
        const m = (ts: Timing[], key: keyof Timing) => median(ts.map((t) => t[key]));
        const fixed = (v: number, digits = 2) => Number(v.toFixed(digits));
        records.push({
          task,
          learner: kind,
          "ours CPU ms": fixed(m(ours, "cpu")),
          "PyTorch CPU ms": fixed(m(theirs, "cpu")),
          "ours / PyTorch, CPU": fixed(m(ours, "cpu") / m(theirs, "cpu")),
          "ours wall ms": fixed(m(ours, "wall")),
          "PyTorch wall ms": fixed(m(theirs, "wall")),
          "ours / PyTorch, wall": fixed(m(ours, "wall") / m(theirs, "wall")),
          load: fixed(load, 1),
        });
      }
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  return { rows, records, torch };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      iterations: { type: "string", default: "200" },
      warmup: { type: "string", default: "20" },
      rounds: { type: "string", default: "3" },
      learners: { type: "string", default: LEARNERS.join(",") },
      shots: { type: "string", default: "1,5" },
      python: { type: "string" },
      out: { type: "string" },
    },
  });
  const positive = (name: string, text: string) => {
    const n = Number(text);
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new Error(`--${name} must be a positive integer, got "${text}"`);
    }
    return n;
  };
  const learners = values.learners.split(",").filter(Boolean);
  for (const l of learners) {
    if (!(LEARNERS as readonly string[]).includes(l)) {
      throw new Error(`--learners: unknown learner "${l}" (known: ${LEARNERS.join(", ")})`);
    }
  }
  const started = performance.now();
  const { rows, records, torch } = await runFewShotSpeed({
    iterations: positive("iterations", values.iterations),
    warmup: positive("warmup", values.warmup),
    rounds: positive("rounds", values.rounds),
    learners: learners as (typeof LEARNERS)[number][],
    shots: values.shots.split(",").filter(Boolean).map((s) => positive("shots", s)),
    python: values.python,
    progress: (label) => console.error(label),
  });
  const title =
    `Milliseconds per meta-iteration, median over ${values.rounds} rounds of ${values.iterations} ` +
    `timed meta-iterations: ours (tfjs ${tf.version.tfjs}) against the PyTorch reference (torch ${torch}, one thread)`;
  console.log(title);
  console.table(records);
  if (values.out) {
    const command = ["deno run -A --lock=deno.lock bench/fewshot_speed.ts", ...Deno.args].join(" ");
    const provenance = {
      ...(await runProvenance(command, (performance.now() - started) / 1000)),
      tfjs: tf.version.tfjs,
      torch,
    };
    await Deno.mkdir(values.out, { recursive: true });
    await Deno.writeTextFile(`${values.out}/results.csv`, toCsv(rows));
    await Deno.writeTextFile(`${values.out}/summary.md`, recordsMarkdown(title, records));
    await Deno.writeTextFile(
      `${values.out}/provenance.json`,
      JSON.stringify(provenance, null, 2) + "\n",
    );
    console.log(`written to ${values.out}/`);
  }
}
