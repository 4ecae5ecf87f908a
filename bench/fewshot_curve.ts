/**
 * Accuracy along meta-training in the few-shot protocol (`lib/protocols/fewshot.ts`, full size,
 * MNIST): a meta-learner is meta-trained exactly as `runFewShot` trains it for the seed
 * (`fewShotMetaTrain`: same initialisation, episode stream, Adam and meta-batch), and every `--every` meta-iterations its
 * query accuracy after 10 steps is measured on the run's meta-test episodes (digits 5–9, the
 * classes it never saw) and on as many fresh episodes of the meta-train classes (digits 0–4 and
 * their rotations). The first shows what the run's table shows at that length of meta-training; the
 * gap between the two shows how much the initialisation has fitted the classes it trained on.
 * Prints a markdown table with provenance; with `--out DIR` also writes it as `curve.md`, the rows
 * as `results.csv` (suite `fewshot-curve`, step = meta-iterations, metrics `accuracy_heldout`,
 * `accuracy_heldout_ci95`, `accuracy_metatrain`, `accuracy_metatrain_ci95`) and `provenance.json`.
 *
 * ```sh
 * deno run -A --lock=deno.lock bench/fewshot_curve.ts --learners maml,metasgd --shots 1,5 \
 *   --iterations 10000 --every 1000 --seed 0 --out results/fewshot/curve
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type LearnerKind, type MetaLearner, metaTest, useBackend } from "../lib/maml/mod.ts";
import { FEWSHOT_SIZES, fewShotEpisodes, fewShotMetaTrain } from "../lib/protocols/fewshot.ts";
import { Rng } from "../lib/random/rng.ts";
import { markdownTable, provenanceLine, type ResultRow, toCsv } from "../lib/results/mod.ts";
import { runProvenance } from "./provenance.ts";

const started = performance.now();
const { values } = parseArgs({
  args: Deno.args,
  options: {
    learners: { type: "string", default: "maml" },
    shots: { type: "string", default: "1,5" },
    iterations: { type: "string", default: String(FEWSHOT_SIZES.full.metaIterations) },
    every: { type: "string", default: "1000" },
    seed: { type: "string", default: "0" },
    out: { type: "string" },
  },
});
const positive = (name: string, text: string | undefined) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name}: a positive integer`);
  return n;
};
const iterations = positive("iterations", values.iterations);
const every = positive("every", values.every);
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) throw new RangeError("--seed: a non-negative integer");
const shots = values.shots!.split(",").map((k) => positive("shots", k));
const learners = values.learners!.split(",").filter(Boolean) as LearnerKind[];
const full = FEWSHOT_SIZES.full;
await useBackend("cpu");

const rows: string[][] = [];
const results: ResultRow[] = [];
for (const k of shots) {
  const episodes = await fewShotEpisodes("mnist", k, { seed, testTasks: full.testTasks });
  const { task, metaTrain: pool, metaTest: heldOut } = episodes;
  // Fresh episodes of the meta-train classes, from their own stream.
  const inRng = new Rng(seed + 2_000_003);
  const heldIn = Array.from({ length: heldOut.length }, () => pool.sample(inRng));
  for (const kind of learners) {
    const score = (iteration: number, learner: MetaLearner) => {
      const [unseen] = metaTest(learner, heldOut, { steps: [10], accuracy: true });
      const [seen] = metaTest(learner, heldIn, { steps: [10], accuracy: true });
      const pct = (x: number) => (100 * x).toFixed(1);
      for (
        const [metric, value] of [
          ["accuracy_heldout", unseen.accuracy!.mean],
          ["accuracy_heldout_ci95", unseen.accuracy!.ci95],
          ["accuracy_metatrain", seen.accuracy!.mean],
          ["accuracy_metatrain_ci95", seen.accuracy!.ci95],
        ] as const
      ) {
        results.push({
          suite: "fewshot-curve",
          task,
          method: kind,
          seed,
          step: iteration,
          metric,
          value,
        });
      }
      rows.push([
        task,
        kind,
        String(iteration),
        `${pct(unseen.accuracy!.mean)} ± ${pct(unseen.accuracy!.ci95)}`,
        `${pct(seen.accuracy!.mean)} ± ${pct(seen.accuracy!.ci95)}`,
      ]);
      console.error(`${task} ${kind} ${iteration}: ${rows.at(-1)!.slice(3).join(" | ")}`);
    };
    const { learner } = await fewShotMetaTrain(kind, episodes, {
      seed,
      metaIterations: iterations,
      metaBatchSize: full.metaBatchSize,
      checkpointEvery: every,
      onCheckpoint: score,
    });
    learner.dispose();
  }
}
const provenance = await runProvenance(
  ["deno run -A --lock=deno.lock bench/fewshot_curve.ts", ...Deno.args].join(" "),
  (performance.now() - started) / 1000,
);
const text = [
  `# Few-shot accuracy along meta-training (MNIST, seed ${seed})`,
  "",
  provenanceLine(provenance),
  "",
  `Query accuracy % after 10 steps (mean ± 95% CI over ${full.testTasks} episodes): on the run's ` +
  "meta-test episodes (digits 5–9, never seen in meta-training) and on as many fresh episodes " +
  "of the meta-train classes (digits 0–4 and their rotations).",
  "",
  markdownTable(
    ["task", "learner", "meta-iterations", "held-out digits", "meta-train classes"],
    rows,
  ),
].join("\n");
console.log(text);
if (values.out) {
  await Deno.mkdir(values.out, { recursive: true });
  await Deno.writeTextFile(`${values.out}/curve.md`, text + "\n");
  await Deno.writeTextFile(`${values.out}/results.csv`, toCsv(results));
  await Deno.writeTextFile(
    `${values.out}/provenance.json`,
    JSON.stringify(provenance, null, 2) + "\n",
  );
}
