/**
 * Runs the `fewshot` suite on its own and writes `results.csv`, `summary.md` and
 * `provenance.json` into `--out` (default `out/fewshot`):
 * `deno run -A --lock=deno.lock bench/fewshot.ts [--full] [--iterations N] [--seeds N] [--peers]
 * [--learners L1,L2] [--families F1,F2] [--smbo-budget N] [--out DIR]`
 * (`--seeds N`: seeds 0 … N−1, accuracy then averaged over seeds with a 95% CI over seeds;
 * `--first-seed S` starts them at S, so that seeds can run in separate processes, and
 * `--merge DIR1,DIR2,… --out DIR` merges such runs into one output; `--peers` with `--full` also
 * runs the PyTorch reference of `bench/fewshot_peer.ts` on the same seeds; `--learners L1,L2`,
 * `--families F1,F2` and `--smbo-budget N` (0 leaves the SMBO-tuned arm out) restrict a run to some
 * arms, e.g. to add seeds of one arm to a merged run); with `--cost N` it only times N meta-iterations of MAML with the cross-entropy and with the mean
 * squared error (`crossEntropyCost`) and writes `cost.md`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  readProvenance,
  readResultsCsv,
  recordsMarkdown,
  type ResultRow,
  toCsv,
} from "../lib/results/mod.ts";
import { runProvenance } from "./provenance.ts";
import { integerArg } from "./args.ts";
import { type FewShotArms, fewshotSuiteOf } from "./suites/fewshot.ts";
import { crossEntropyCost, fewShotTables } from "../lib/protocols/fewshot.ts";

/**
 * Merges runs of disjoint seeds (`--first-seed`, one process each) into one output in `out`:
 * their rows concatenated (the cross-entropy cost rows of part k get seed k), the tables over all
 * seeds, the cost table averaged over the parts, and a provenance that names the parts' common
 * command and keeps each part's provenance.
 */
async function mergeRuns(dirs: string[], out: string): Promise<void> {
  if (dirs.length < 2) throw new Error("--merge needs at least two run folders, comma-separated");
  const parts = dirs.map((dir) => ({
    rows: readResultsCsv(dir),
    provenance: readProvenance(dir),
  }));
  const isCost = (r: ResultRow) => r.metric.endsWith("per_meta_gradient");
  const seen = new Set<number>();
  for (const [k, part] of parts.entries()) {
    const seeds = new Set(part.rows.filter((r) => !isCost(r)).map((r) => Number(r.seed)));
    for (const seed of seeds) {
      if (seen.has(seed)) {
        throw new Error(`--merge: seed ${seed} is in more than one run (${dirs[k]})`);
      }
      seen.add(seed);
    }
  }
  const rows = parts.flatMap((part, k) =>
    part.rows.map((r) => (isCost(r) ? { ...r, seed: k } : r))
  );
  // The parts' command without its seed and folder, when they share it.
  const strip = (command: string) =>
    command.replace(/ --first-seed \d+/, "").replace(/ --out \S+/, "");
  const common = new Set(parts.map((p) => strip(p.provenance.command)));
  const firstSeeds = parts.map((p) => p.provenance.command.match(/--first-seed (\d+)/)?.[1] ?? "0");
  const mergeCommand = ["deno run -A --lock=deno.lock bench/fewshot.ts", ...Deno.args].join(" ");
  const command = common.size === 1
    ? `${[...common][0]} --first-seed S (S = ${firstSeeds.join(", ")}, one process each; ` +
      `each part's commit, date and wall time kept in its provenance), merged by ${mergeCommand}`
    : `${parts.map((p) => p.provenance.command).join("; ")}; merged by ${mergeCommand}`;
  const last = parts.map((p) => p.provenance).sort((a, b) => b.date.localeCompare(a.date))[0];
  const provenance = {
    ...last,
    command,
    wallSeconds: Math.max(...parts.map((p) => p.provenance.wallSeconds)),
    parts: parts.map((p) => p.provenance),
  };
  const costMethods = [...new Set(rows.filter(isCost).map((r) => r.method))];
  const costMean = (method: string, metric: string) => {
    const values = rows.filter((r) => r.method === method && r.metric === metric).map((r) =>
      r.value
    );
    return Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(2));
  };
  const costRecords = costMethods.map((method) => ({
    configuration: method,
    "ms / meta-gradient": costMean(method, "ms_per_meta_gradient"),
    "CPU ms / meta-gradient": costMean(method, "cpu_ms_per_meta_gradient"),
  }));
  const tables = [
    ...fewShotTables({ rows: rows.filter((r) => !isCost(r)) }),
    ...(costRecords.length > 0
      ? [{
        title: "Milliseconds per meta-gradient of second-order MAML at its initialisation, " +
          `meta-batch 8, 5-way 1-shot MNIST, 196-64-64-5 ReLU MLP (mean over the ${parts.length} ` +
          "processes; those started together shared the machine)",
        records: costRecords,
      }]
      : []),
  ];
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}/results.csv`, toCsv(rows));
  await Deno.writeTextFile(
    `${out}/summary.md`,
    tables.map((t) => recordsMarkdown(t.title, t.records)).join("\n"),
  );
  await Deno.writeTextFile(`${out}/provenance.json`, JSON.stringify(provenance, null, 2) + "\n");
  for (const table of tables) {
    console.log(table.title);
    console.table(table.records);
  }
  console.log(`merged ${parts.length} runs (${rows.length} rows) into ${out}/`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      full: { type: "boolean", default: false },
      iterations: { type: "string" },
      seeds: { type: "string" },
      "first-seed": { type: "string" },
      out: { type: "string", default: "out/fewshot" },
      cost: { type: "string" },
      merge: { type: "string" },
      peers: { type: "boolean", default: false },
      learners: { type: "string" },
      families: { type: "string" },
      "smbo-budget": { type: "string" },
    },
  });
  if (values.merge) {
    await mergeRuns(values.merge.split(",").filter(Boolean), values.out!);
    Deno.exit(0);
  }
  for (const [name, text] of [["iterations", values.iterations], ["seeds", values.seeds]]) {
    if (text !== undefined && !(Number.isInteger(Number(text)) && Number(text) >= 1)) {
      throw new Error(`--${name} must be a positive integer, got "${text}"`);
    }
  }
  const firstSeed = values["first-seed"];
  if (firstSeed !== undefined && !(Number.isInteger(Number(firstSeed)) && Number(firstSeed) >= 0)) {
    throw new Error(`--first-seed must be a non-negative integer, got "${firstSeed}"`);
  }
  if (values.cost) {
    const started = performance.now();
    const records = await crossEntropyCost({ iterations: Number(values.cost) });
    const seconds = (performance.now() - started) / 1000;
    const command = ["deno run -A --lock=deno.lock bench/fewshot.ts", ...Deno.args].join(" ");
    const provenance = await runProvenance(command, seconds);
    await Deno.mkdir(values.out!, { recursive: true });
    const title =
      "Milliseconds per meta-gradient of second-order MAML at its initialisation, meta-batch 8, " +
      "5-way 1-shot MNIST, 196-64-64-5 ReLU MLP";
    await Deno.writeTextFile(
      `${values.out}/cost.md`,
      recordsMarkdown(title, records) + "\n```json\n" + JSON.stringify(provenance, null, 2) +
        "\n```\n",
    );
    console.log(title);
    console.table(records);
    Deno.exit(0);
  }
  const started = performance.now();
  const notes: string[] = [];
  const arms: FewShotArms = {};
  if (values.learners) arms.learners = values.learners.split(",") as FewShotArms["learners"];
  if (values.families) arms.families = values.families.split(",") as FewShotArms["families"];
  if (values["smbo-budget"] !== undefined) {
    arms.smboBudget = integerArg(values["smbo-budget"], "smbo-budget", 0);
  }
  const output = await fewshotSuiteOf(arms).run({
    size: values.full ? "full" : "quick",
    budget: values.iterations ? Number(values.iterations) : undefined,
    seeds: values.seeds ? Number(values.seeds) : undefined,
    firstSeed: values["first-seed"] ? Number(values["first-seed"]) : undefined,
    peers: values.peers!,
    peersDir: "bench/peers",
    outDir: values.out!,
    progress: (done, total, label) => console.error(`fewshot ${done}/${total} ${label}`),
    notes,
  });
  const seconds = (performance.now() - started) / 1000;
  const command = ["deno run -A --lock=deno.lock bench/fewshot.ts", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  await Deno.mkdir(values.out!, { recursive: true });
  await Deno.writeTextFile(`${values.out}/results.csv`, toCsv(output.rows));
  const summary = output.tables.map((t) => recordsMarkdown(t.title, t.records)).join("\n");
  await Deno.writeTextFile(`${values.out}/summary.md`, summary);
  await Deno.writeTextFile(
    `${values.out}/provenance.json`,
    JSON.stringify(provenance, null, 2) + "\n",
  );
  for (const table of output.tables) {
    console.log(table.title);
    console.table(table.records);
  }
  console.log(`wall time ${seconds.toFixed(1)} s`);
}
