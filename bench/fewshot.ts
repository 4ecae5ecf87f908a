/**
 * Runs the `fewshot` suite on its own and writes `results.csv`, `summary.md` and
 * `provenance.json` into `--out` (default `out/fewshot`):
 * `deno run -A --lock=deno.lock bench/fewshot.ts [--full] [--iterations N] [--seeds N] [--out DIR]`
 * (`--seeds N`: seeds 0 … N−1, accuracy then averaged over seeds with a 95% CI over seeds); with
 * `--cost N` it only times N meta-iterations of MAML with the cross-entropy and with the mean
 * squared error (`crossEntropyCost`) and writes `cost.md`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { toCsv } from "../lib/results/mod.ts";
import { runProvenance } from "./provenance.ts";
import { fewshotSuite } from "./suites/fewshot.ts";
import { crossEntropyCost } from "../lib/protocols/fewshot.ts";

function markdown(title: string, records: Record<string, string | number>[]): string {
  if (records.length === 0) return `### ${title}\n\n(no rows)\n`;
  const keys = Object.keys(records[0]);
  const lines = [
    `| ${keys.join(" | ")} |`,
    `| ${keys.map(() => "---").join(" | ")} |`,
    ...records.map((r) => `| ${keys.map((k) => String(r[k])).join(" | ")} |`),
  ];
  return `### ${title}\n\n${lines.join("\n")}\n`;
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
    },
  });
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
      markdown(title, records) + "\n```json\n" + JSON.stringify(provenance, null, 2) + "\n```\n",
    );
    console.log(title);
    console.table(records);
    Deno.exit(0);
  }
  const started = performance.now();
  const notes: string[] = [];
  const output = await fewshotSuite.run({
    size: values.full ? "full" : "quick",
    budget: values.iterations ? Number(values.iterations) : undefined,
    seeds: values.seeds ? Number(values.seeds) : undefined,
    firstSeed: values["first-seed"] ? Number(values["first-seed"]) : undefined,
    peers: false,
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
  const summary = output.tables.map((t) => markdown(t.title, t.records)).join("\n");
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
