// The few-shot PyTorch reference (`bench/peers/fewshot_torch.py --check`) against our learners on
// identical inputs: the meta-loss and meta-gradient of one meta-batch of 5-way MNIST episodes with
// the softmax cross-entropy, for MAML, first-order MAML, Meta-SGD (θ and its rates) and ANIL.
// Needs /usr/bin/python3 with torch; ignored without it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runPeer } from "../../lib/bench/peers.ts";
import { torchAvailable, WRAPPER_DIR } from "./_torch_peer.ts";
import {
  createLearner,
  disposeBatch,
  episodeBatch,
  type LearnerKind,
  mlp,
  Rng,
  softmaxCrossEntropy,
  useBackend,
} from "../../lib/maml/mod.ts";
import { tf } from "../../lib/deps/tf.ts";
import { fewShotEpisodes } from "../../lib/protocols/mod.ts";

const ignore = !torchAvailable();
const SIZES = [196, 64, 64, 5];

/** One-hot rows (`n × ways`) as their class indices. */
function labels(y: ArrayLike<number>, ways: number): number[] {
  return Array.from({ length: y.length / ways }, (_, i) => {
    for (let c = 0; c < ways; c++) if (y[i * ways + c] === 1) return c;
    throw new Error("not one-hot");
  });
}

/** Rows of `width` values. */
function rows(x: ArrayLike<number>, width: number): number[][] {
  return Array.from(
    { length: x.length / width },
    (_, i) => Array.from({ length: width }, (_, j) => x[i * width + j]),
  );
}

/** Largest |a − b| relative to the largest |b| (both flattened). */
function relativeGap(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let gap = 0, scale = 0;
  a.forEach((t, i) => {
    assert.equal(t.length, b[i].length, `tensor ${i}: length`);
    for (let e = 0; e < t.length; e++) {
      gap = Math.max(gap, Math.abs(t[e] - b[i][e]));
      scale = Math.max(scale, Math.abs(b[i][e]));
    }
  });
  return gap / scale;
}

for (const kind of ["maml", "fomaml", "metasgd", "anil"] as const satisfies LearnerKind[]) {
  Deno.test({
    name: `${kind}: meta-loss and meta-gradient equal the PyTorch few-shot reference's on one ` +
      "meta-batch of 5-way 1-shot MNIST episodes",
    ignore,
    fn: async () => {
      await useBackend("cpu");
      const { metaTrain } = await fewShotEpisodes("mnist", 1, { testTasks: 2, seed: 0 });
      const rng = new Rng(11);
      const episodes = Array.from({ length: 4 }, () => metaTrain.sample(rng));
      const model = mlp({ sizes: SIZES });
      const learner = createLearner(kind, model, {
        innerLr: 0.4,
        innerSteps: 1,
        seed: 5,
        loss: softmaxCrossEntropy,
      });
      const batch = episodeBatch(episodes, model);
      const dir = await Deno.makeTempDir();
      try {
        const theta = learner.variables.slice(0, SIZES.length * 2 - 2)
          .map((v) => Array.from(v.dataSync()));
        const file = join(dir, "check.json");
        await Deno.writeTextFile(
          file,
          JSON.stringify({
            kind,
            inner_lr: 0.4,
            sizes: SIZES,
            theta,
            batch: {
              sx: episodes.map((e) => rows(e.support.x, 196)),
              sy: episodes.map((e) => labels(e.support.y, 5)),
              qx: episodes.map((e) => rows(e.query.x, 196)),
              qy: episodes.map((e) => labels(e.query.y, 5)),
            },
          }),
        );
        const run = await runPeer("fewshot_torch.py", ["--check", file], { dir: WRAPPER_DIR });
        assert.ok(run.ok, run.ok ? "" : run.reason);
        const peer = run.records[0] as { loss: number; grads: number[][] };
        const { loss, grads } = learner.metaGradients(batch);
        try {
          const ours = grads.map((g) => g.dataSync());
          assert.equal(ours.length, peer.grads.length, "number of meta-parameters");
          assert.ok(
            Math.abs(loss.dataSync()[0] - peer.loss) < 1e-5 * Math.max(1, peer.loss),
            `meta-loss ${loss.dataSync()[0]} against ${peer.loss}`,
          );
          const gap = relativeGap(ours, peer.grads);
          assert.ok(gap < 1e-4, `meta-gradient differs by ${gap} of its largest entry`);
        } finally {
          tf.dispose([loss, ...grads]);
        }
      } finally {
        disposeBatch(batch);
        learner.dispose();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
