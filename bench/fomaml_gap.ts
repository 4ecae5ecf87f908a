/**
 * How far first-order MAML's meta-gradient is from second-order MAML's on the few-shot protocol's
 * MNIST episodes (`lib/protocols/fewshot.ts`: 5-way episodes of 14×14 digits, digits 0–4 and their
 * rotations for meta-training, a 196-64-64-5 ReLU MLP, the softmax cross-entropy, one inner SGD
 * step). First-order MAML drops the term −α·H·∇L_query(θ′) of the meta-gradient (H the Hessian of
 * the support loss at θ), so the gap grows with the inner learning rate α. For each α and each
 * number of shots, at the same parameters and on the same meta-batches, it prints the cosine
 * between the two meta-gradients and the ratio of their norms (mean over meta-batches, with the
 * range): at the initialisation, and after second-order MAML, then first-order MAML, has been
 * meta-trained for `--iters` iterations at the protocol's α = 0.4 (meta-batch 8, Adam 10⁻³).
 *
 * ```sh
 * deno run -A bench/fomaml_gap.ts [--iters 1000] [--batches 10] [--seed 0]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { tf } from "../lib/deps/tf.ts";
import { useBackend } from "../lib/tfjs/backend.ts";
import {
  createLearner,
  disposeBatch,
  episodeBatch,
  type MetaLearner,
  metaTrain,
  mlp,
  softmaxCrossEntropy,
} from "../lib/maml/mod.ts";
import { mnistEpisodes } from "../lib/data/mod.ts";
import { Rng } from "../lib/random/rng.ts";
import { provenanceLine } from "../lib/results/committed.ts";
import { runProvenance } from "./provenance.ts";

const started = performance.now();
const { values } = parseArgs({
  args: Deno.args,
  options: {
    iters: { type: "string", default: "1000" },
    batches: { type: "string", default: "10" },
    seed: { type: "string", default: "0" },
  },
});
const iters = Number(values.iters);
const batches = Number(values.batches);
const seed = Number(values.seed);
for (const [name, v] of [["iters", iters], ["batches", batches], ["seed", seed]] as const) {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`--${name}: must be an integer ≥ 0`);
}
await useBackend("cpu");

const RATES = [0.01, 0.1, 0.4];
const SHOTS = [1, 5];
const META_BATCH = 8;
const QUERIES = 15;
const HIDDEN = [64, 64];

const flat = (ts: readonly tf.Tensor[]) =>
  Float64Array.from(ts.flatMap((t) => Array.from(t.dataSync())));

function gradientOf(learner: MetaLearner, episodes: Parameters<typeof episodeBatch>[0]) {
  const batch = episodeBatch(episodes, learner.model);
  const { loss, grads } = learner.metaGradients(batch);
  const out = flat(grads);
  tf.dispose([loss, ...grads]);
  disposeBatch(batch);
  return out;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

const norm = (a: Float64Array) => Math.hypot(...a);
const fmt = (v: number) => Number(v.toPrecision(3)).toString();
const summary = (xs: number[]) =>
  `${fmt(xs.reduce((s, x) => s + x, 0) / xs.length)} (${fmt(Math.min(...xs))} to ${
    fmt(Math.max(...xs))
  })`;

const rows: string[] = [];
for (const shots of SHOTS) {
  const mnist = await mnistEpisodes({ ways: 5, shots, queries: QUERIES });
  const model = mlp({ sizes: [mnist.numFeatures, ...HIDDEN, 5] });
  const rng = new Rng(seed + 7);
  const evaluation = Array.from(
    { length: batches },
    () => Array.from({ length: META_BATCH }, () => mnist.metaTrain.sample(rng)),
  );
  // The parameters at which both meta-gradients are compared: the initialisation, then those of
  // second-order and of first-order MAML, each meta-trained at the protocol's rate.
  const initial = createLearner("maml", model, { innerLr: 0.4, seed, loss: softmaxCrossEntropy });
  const states: [string, readonly tf.Tensor[]][] = [[
    "initialisation",
    initial.variables.map((v) => v.clone()),
  ]];
  initial.dispose();
  if (iters > 0) {
    for (const kind of ["maml", "fomaml"] as const) {
      const trained = createLearner(kind, model, { innerLr: 0.4, seed, loss: softmaxCrossEntropy });
      await metaTrain(trained, {
        source: (r, n) => Array.from({ length: n }, () => mnist.metaTrain.sample(r)),
        iterations: iters,
        metaBatchSize: META_BATCH,
        optimizer: { kind: "adam", lr: 1e-3 },
        seed,
        progressEvery: iters + 1,
      });
      states.push([
        `after ${iters} ${kind === "maml" ? "MAML" : "first-order MAML"} meta-iterations`,
        trained.variables.map((v) => v.clone()),
      ]);
      trained.dispose();
    }
  }
  for (const [state, parameters] of states) {
    for (const alpha of RATES) {
      const second = createLearner("maml", model, {
        innerLr: alpha,
        seed,
        loss: softmaxCrossEntropy,
      });
      const first = createLearner("fomaml", model, {
        innerLr: alpha,
        seed,
        loss: softmaxCrossEntropy,
      });
      for (const learner of [second, first]) {
        learner.variables.forEach((v, i) => v.assign(parameters[i]));
      }
      const cosines: number[] = [];
      const ratios: number[] = [];
      for (const episodes of evaluation) {
        const g2 = gradientOf(second, episodes);
        const g1 = gradientOf(first, episodes);
        cosines.push(cosine(g1, g2));
        ratios.push(norm(g1) / norm(g2));
      }
      rows.push(
        `| ${shots} | ${state} | ${alpha} | ${summary(cosines)} | ${summary(ratios)} |`,
      );
      second.dispose();
      first.dispose();
    }
    tf.dispose(parameters as tf.Tensor[]);
  }
}
const provenance = await runProvenance(
  ["deno run -A bench/fomaml_gap.ts", ...Deno.args].join(" "),
  (performance.now() - started) / 1000,
);
console.log("# First-order against second-order MAML meta-gradients, MNIST few-shot episodes");
console.log("");
console.log(provenanceLine(provenance));
console.log("");
console.log(
  `5-way episodes of the meta-train classes (${QUERIES} queries per class), a 196-64-64-5 ReLU ` +
    `MLP, one inner SGD step at rate α; ${batches} meta-batches of ${META_BATCH} episodes, the ` +
    `same for both learners; mean over the meta-batches (range in brackets).`,
);
console.log("");
console.log(
  "| shots | parameters | α | cosine(first order, second order) | norm ratio first / second |",
);
console.log("|--:|:--|--:|:--|:--|");
console.log(rows.join("\n"));
