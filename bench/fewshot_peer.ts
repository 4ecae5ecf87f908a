/**
 * The few-shot protocol's PyTorch reference (`bench/peers/fewshot_torch.py`: MAML, first-order
 * MAML, Meta-SGD and ANIL written directly in PyTorch) on the MNIST tasks of `bench/fewshot.ts`,
 * meta-trained on the same class pools with the same sizes and scored on the very meta-test
 * episodes that `bench/fewshot.ts` draws for the same seed: one meta-training per K (1- and
 * 5-shot) and learner, as the full size does. Rows use the methods `torch-<learner>`, so that
 * they merge with the run's own (`bench/fewshot.ts --merge`) and `fewShotTables` puts them side
 * by side.
 *
 * usage: deno run -A --lock=deno.lock bench/fewshot_peer.ts [--full] [--iterations N] [--seeds N]
 *        [--first-seed S] [--learners maml,fomaml,metasgd,anil] [--python /usr/bin/python3]
 *        [--dtype float32|float64] [--out DIR]
 *
 * `--dtype float64` runs the reference in float64 throughout (ours computes in float64); its rows
 * are named `torch64-<learner>`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { FEWSHOT_SIZES, fewShotEpisodes, fewShotTables } from "../lib/protocols/fewshot.ts";
import { mnistClasses } from "../lib/data/mod.ts";
import { recordsMarkdown, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { runPeer } from "../lib/bench/peers.ts";
import { runProvenance } from "./provenance.ts";
import { integerArg } from "./args.ts";

const PEERS = fileURLToPath(new URL("./peers", import.meta.url));
const LEARNERS = ["maml", "fomaml", "metasgd", "anil"];

/** Writes `values` as little-endian binary (the byte order of every machine Deno runs on). */
async function writeArray(path: string, values: Float32Array | Int32Array): Promise<void> {
  await Deno.writeFile(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** The index of the 1 in each one-hot row of `y` (`rows × ways`). */
function labelsOf(y: ArrayLike<number>, ways: number): Int32Array {
  const out = new Int32Array(y.length / ways);
  for (let i = 0; i < out.length; i++) {
    for (let c = 0; c < ways; c++) if (y[i * ways + c] === 1) out[i] = c;
  }
  return out;
}

/**
 * Exports the meta-train class pool and the meta-test episodes of `bench/fewshot.ts` for `seed`
 * and `shots` into `dir`, in the layout `fewshot_torch.py` reads.
 */
export async function exportEpisodes(
  dir: string,
  shots: number,
  seed: number,
  testTasks: number,
): Promise<string> {
  const { task, ways, inputDim, metaTrain, metaTest } = await fewShotEpisodes("mnist", shots, {
    seed,
    testTasks,
  });
  const classes = await mnistClasses();
  if (classes.width !== inputDim || classes.metaTrain.labels.length !== metaTrain.rows.length) {
    throw new Error("mnistClasses and the run's meta-train pool disagree");
  }
  const names = [...new Set(classes.metaTrain.labels)].sort();
  if (names.join() !== metaTrain.classes.join()) {
    throw new Error("mnistClasses and the run's meta-train pool have different classes");
  }
  const index = new Map(names.map((name, i) => [name, i]));
  await Deno.mkdir(dir, { recursive: true });
  await writeArray(join(dir, "train_x.f32"), Float32Array.from(classes.metaTrain.x));
  await writeArray(
    join(dir, "train_class.i32"),
    Int32Array.from(classes.metaTrain.labels, (label) => index.get(label)!),
  );
  const queries = metaTest[0].query.size / ways;
  const concat = (parts: ArrayLike<number>[]) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const labels = (parts: ArrayLike<number>[]) => {
    const out = new Int32Array(parts.reduce((n, p) => n + p.length / ways, 0));
    let at = 0;
    for (const p of parts) {
      const l = labelsOf(p, ways);
      out.set(l, at);
      at += l.length;
    }
    return out;
  };
  await writeArray(join(dir, "test_support_x.f32"), concat(metaTest.map((e) => e.support.x)));
  await writeArray(join(dir, "test_support_y.i32"), labels(metaTest.map((e) => e.support.y)));
  await writeArray(join(dir, "test_query_x.f32"), concat(metaTest.map((e) => e.query.x)));
  await writeArray(join(dir, "test_query_y.i32"), labels(metaTest.map((e) => e.query.y)));
  await Deno.writeTextFile(
    join(dir, "meta.json"),
    JSON.stringify({
      inputDim,
      ways,
      shots,
      queries,
      trainRows: classes.metaTrain.labels.length,
      trainClasses: names.length,
      testEpisodes: metaTest.length,
    }),
  );
  return task;
}

/** Options of {@linkcode fewShotPeerRows}. */
export interface FewShotPeerOptions {
  /** Seeds (each: one meta-training per K and learner, scored on that seed's episodes). */
  seeds: readonly number[];
  /** Meta-iterations per learner. */
  iterations: number;
  /** Meta-test episodes per seed (the run's `testTasks`). */
  testTasks: number;
  /** Tasks per meta-batch. */
  metaBatchSize: number;
  /** Learners of the reference (default all four). */
  learners?: readonly string[];
  /** Python interpreter (default `/usr/bin/python3`). */
  python?: string;
  /**
   * Arithmetic of the reference (default `"float32"`, PyTorch's); with `"float64"` its methods are
   * named `torch64-<learner>`.
   */
  dtype?: "float32" | "float64";
  /** Progress callback. */
  progress?: (label: string) => void;
}

/**
 * Runs the PyTorch reference for every seed and K = 1, 5 on MNIST and returns its rows (methods
 * `torch-<learner>`: accuracy and its CI after 1 and 10 steps, meta-training seconds, ms per
 * meta-iteration, meta-iterations, whether it diverged) and torch's version. Throws with the
 * reason when Python, torch or the script fail.
 */
export async function fewShotPeerRows(
  options: FewShotPeerOptions,
): Promise<{ rows: ResultRow[]; torch: string }> {
  const learners = options.learners ?? LEARNERS;
  for (const l of learners) {
    if (!LEARNERS.includes(l)) {
      throw new Error(`learners: unknown learner "${l}" (known: ${LEARNERS.join(", ")})`);
    }
  }
  const rows: ResultRow[] = [];
  let torch = "";
  const scratch = await Deno.makeTempDir({ prefix: "fewshot_peer_" });
  try {
    for (const seed of options.seeds) {
      for (const shots of [1, 5]) {
        const dir = join(scratch, `s${seed}k${shots}`);
        const task = await exportEpisodes(dir, shots, seed, options.testTasks);
        options.progress?.(`seed ${seed}, ${task}, ${options.iterations} meta-iterations`);
        const run = await runPeer("fewshot_torch.py", [
          "--data",
          dir,
          "--seed",
          String(seed),
          "--iterations",
          String(options.iterations),
          "--learners",
          learners.join(","),
          "--meta-batch",
          String(options.metaBatchSize),
          "--inner-lr",
          "0.4",
          "--steps",
          "1,10",
          "--dtype",
          options.dtype ?? "float32",
        ], { dir: PEERS, python: options.python });
        if (!run.ok) throw new Error(`fewshot_torch.py: ${run.reason}`);
        const answer = run.records[0] as {
          learners: Record<
            string,
            {
              accuracy: Record<string, [number, number]>;
              seconds: number;
              ms_per_meta_iteration: number;
              diverged: boolean;
            }
          >;
          torch: string;
        };
        torch = answer.torch;
        for (const [kind, r] of Object.entries(answer.learners)) {
          const row = (step: number, metric: string, value: number): ResultRow => ({
            suite: "fewshot",
            task,
            method: `${options.dtype === "float64" ? "torch64" : "torch"}-${kind}`,
            seed,
            step,
            metric,
            value,
          });
          for (const [step, [mean, ci]] of Object.entries(r.accuracy)) {
            rows.push(row(Number(step), "accuracy", mean), row(Number(step), "accuracy_ci95", ci));
          }
          rows.push(
            row(0, "meta_seconds", r.seconds),
            row(0, "ms_per_meta_iteration", r.ms_per_meta_iteration),
            row(0, "train_shots", shots),
            row(0, "meta_iterations", options.iterations),
            row(0, "diverged", r.diverged ? 1 : 0),
          );
        }
        await Deno.remove(dir, { recursive: true });
      }
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  return { rows, torch };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      full: { type: "boolean", default: false },
      iterations: { type: "string" },
      seeds: { type: "string", default: "1" },
      "first-seed": { type: "string", default: "0" },
      learners: { type: "string", default: LEARNERS.join(",") },
      python: { type: "string", default: "/usr/bin/python3" },
      dtype: { type: "string", default: "float32" },
      out: { type: "string", default: "out/fewshot_peer" },
    },
  });
  const integer = (name: string, text: string | undefined, min: number) =>
    integerArg(text ?? "", name, min);
  const size = FEWSHOT_SIZES[values.full ? "full" : "quick"];
  const iterations = values.iterations === undefined
    ? size.metaIterations!
    : integer("iterations", values.iterations, 1);
  const seeds = integer("seeds", values.seeds, 1);
  const firstSeed = integer("first-seed", values["first-seed"], 0);
  const dtype = values.dtype;
  if (dtype !== "float32" && dtype !== "float64") {
    throw new Error(`--dtype must be float32 or float64, got "${dtype}"`);
  }
  const started = performance.now();
  const { rows, torch } = await fewShotPeerRows({
    seeds: Array.from({ length: seeds }, (_, i) => firstSeed + i),
    iterations,
    testTasks: size.testTasks!,
    metaBatchSize: size.metaBatchSize!,
    learners: values.learners!.split(",").filter(Boolean),
    python: values.python,
    dtype,
    progress: (label) => console.error(`fewshot peer: ${label}`),
  });
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/fewshot_peer.ts", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  const withTorch = { ...provenance, versions: { ...provenance.versions, torch } };
  const tables = fewShotTables({ rows });
  await Deno.mkdir(values.out!, { recursive: true });
  await Deno.writeTextFile(join(values.out!, "results.csv"), toCsv(rows));
  await Deno.writeTextFile(
    join(values.out!, "summary.md"),
    tables.map((t) => recordsMarkdown(t.title, t.records)).join("\n"),
  );
  await Deno.writeTextFile(
    join(values.out!, "provenance.json"),
    JSON.stringify(withTorch, null, 2) + "\n",
  );
  for (const t of tables) {
    console.log(t.title);
    console.table(t.records);
  }
  console.log(`wall time ${seconds.toFixed(1)} s`);
}
