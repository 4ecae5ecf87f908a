// Our MAML and first-order MAML against the shared PyTorch peer's own code on identical inputs
// (`bench/peers/maml_step_check.py` runs the peer's `init`, `f` and `adapt` without its training
// loop): the meta-loss and meta-gradient of a meta-batch, the parameters after three meta-steps
// with Adam 1e-3, and the evaluation's query MSE after 1 and 10 inner steps. Needs /usr/bin/python3
// with torch and the peer (METAHPO_PEERS_DIR, default /work/shared/peers); ignored without them.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runPeer } from "../../lib/bench/peers.ts";
import { PEERS, torchPeerAvailable, WRAPPER_DIR } from "./_torch_peer.ts";
import {
  createLearner,
  disposeBatch,
  type Episode,
  episodeBatch,
  type LearnerKind,
  metaOptimizer,
  metaStep,
  metaTest,
  mlp,
  Rng,
  useBackend,
} from "../../lib/maml/mod.ts";
import { tf } from "../../lib/deps/tf.ts";
import { episodeSampler, evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";

const ignore = !torchPeerAvailable();

await useBackend("wasm");

const SIZES = [1, 40, 40, 1];

/** Our `W: [in, out]` row-major as the peer's `[out, in]` (biases unchanged). */
function toPeerLayout(values: readonly Float32Array[]): number[][] {
  return values.map((v, i) => {
    if (i % 2 === 1) return Array.from(v);
    const [fanIn, fanOut] = [SIZES[i / 2], SIZES[i / 2 + 1]];
    const out: number[] = [];
    for (let o = 0; o < fanOut; o++) for (let n = 0; n < fanIn; n++) out.push(v[n * fanOut + o]);
    return out;
  });
}

const nested = (a: ArrayLike<number>) => Array.from(a, (v) => [v]);
const sets = (episodes: readonly Episode[]) => ({
  xs: episodes.map((e) => nested(e.support.x)),
  ys: episodes.map((e) => nested(e.support.y)),
  xq: episodes.map((e) => nested(e.query.x)),
  yq: episodes.map((e) => nested(e.query.y)),
});

interface PeerCheck {
  meta_steps: { losses: number[]; grads: number[][]; params: number[][][] };
  evaluation: Record<string, number[]>;
  init_stats: ({ kind: "weight"; bound: number; max_abs: number } | {
    kind: "bias";
    all_zero: boolean;
  })[];
}

async function peerCheck(input: unknown): Promise<PeerCheck> {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "input.json");
    await Deno.writeTextFile(file, JSON.stringify(input));
    const run = await runPeer("maml_step_check.py", ["--peers-dir", PEERS, "--input", file], {
      dir: WRAPPER_DIR,
    });
    assert.ok(run.ok, run.ok ? "" : run.reason);
    return run.records[0] as unknown as PeerCheck;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Largest |a − b| relative to the largest |b| (both flattened). */
function relativeGap(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let gap = 0, scale = 0;
  a.forEach((t, i) => {
    for (let e = 0; e < t.length; e++) {
      gap = Math.max(gap, Math.abs(t[e] - b[i][e]));
      scale = Math.max(scale, Math.abs(b[i][e]));
    }
  });
  return gap / scale;
}

for (const kind of ["fomaml", "maml"] as const satisfies readonly LearnerKind[]) {
  Deno.test({
    name: `${kind} equals the PyTorch peer's code on identical inputs: meta-gradient, three Adam ` +
      "meta-steps, evaluation after 1 and 10 steps",
    ignore,
    fn: async () => {
      const model = mlp({ sizes: SIZES, activation: "relu" });
      const learner = createLearner(kind, model, { innerLr: 0.01, innerSteps: 1, seed: 5 });
      try {
        const rng = new Rng(17);
        const draw = episodeSampler(sinusoid, { shots: 10, queryShots: 10 });
        const batches = [draw(rng, 25), draw(rng, 25), draw(rng, 25)];
        const evaluation = evaluationSet(sinusoid, { shots: 10, tasks: 30 }).episodes;
        const theta0 = learner.variables.map((v) => v.dataSync() as Float32Array);
        const peer = await peerCheck({
          theta: toPeerLayout(theta0),
          first_order: kind === "fomaml",
          lr: 1e-3,
          batches: batches.map(sets),
          eval: { ...sets(evaluation), steps: [1, 10] },
        });

        // The evaluation at θ0: each task's query MSE after 1 and 10 plain SGD steps, α = 0.01.
        const [one, ten] = metaTest(learner, evaluation, { steps: [1, 10] });
        assert.ok(relativeGap([one.perTask], [peer.evaluation["1"]]) < 1e-4, "after 1 step");
        assert.ok(relativeGap([ten.perTask], [peer.evaluation["10"]]) < 1e-4, "after 10 steps");

        // The meta-loss and meta-gradient of the first meta-batch.
        const first = episodeBatch(batches[0], model);
        const { loss, grads } = learner.metaGradients(first);
        const ours = toPeerLayout(grads.map((g) => g.dataSync() as Float32Array));
        assert.ok(Math.abs(loss.dataSync()[0] - peer.meta_steps.losses[0]) < 1e-5);
        const gradGap = relativeGap(ours, peer.meta_steps.grads);
        assert.ok(gradGap < 1e-5, `meta-gradient differs by ${gradGap} of its largest entry`);
        tf.dispose([loss, ...grads]);
        disposeBatch(first);

        // Three meta-steps with Adam 1e-3 from the same θ0 on the same meta-batches.
        const optimizer = metaOptimizer({ kind: "adam", lr: 1e-3 });
        try {
          batches.forEach((episodes, step) => {
            const batch = episodeBatch(episodes, model);
            try {
              const value = metaStep(learner, batch, optimizer);
              assert.ok(Math.abs(value - peer.meta_steps.losses[step]) < 1e-5, `loss ${step}`);
            } finally {
              disposeBatch(batch);
            }
            const params = toPeerLayout(learner.variables.map((v) => v.dataSync() as Float32Array));
            let worst = 0;
            params.forEach((t, i) =>
              t.forEach((
                v,
                e,
              ) => (worst = Math.max(worst, Math.abs(v - peer.meta_steps.params[step][i][e]))))
            );
            assert.ok(worst < 1e-6, `step ${step + 1}: a parameter is off by ${worst}`);
          });
        } finally {
          optimizer.dispose();
        }

        // The peer's init: U(−1/√fan_in, 1/√fan_in) weights and zero biases, as mlp()'s default.
        const ourInit = model.init(new Rng(0));
        peer.init_stats.forEach((s, i) => {
          if (s.kind === "bias") {
            assert.ok(s.all_zero && ourInit[i].every((v) => v === 0), `bias ${i}`);
          } else {
            const bound = 1 / Math.sqrt(SIZES[i / 2]);
            assert.ok(Math.abs(s.bound - bound) < 1e-12 && s.max_abs <= bound, `weight ${i}`);
            assert.ok(ourInit[i].every((v) => Math.abs(v) <= bound), `our weight ${i}`);
            const largest = Math.max(...Array.from(ourInit[i], Math.abs));
            assert.ok(largest > 0.8 * bound, `our weight ${i} fills its interval`);
          }
        });
      } finally {
        learner.dispose();
      }
    },
  });
}
