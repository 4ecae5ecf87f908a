// bench/peers/maml_peer_eval.py: a network of ours through the shared PyTorch peer's own
// evaluation on the peer's tasks (A·sin(x + φ)), after mirroring it into the peer's family, gives
// each task the loss our own evaluation gives on the mirror image of that task (A·sin(x − φ) at
// −x). Needs /usr/bin/python3 with torch and the peer (METAHPO_PEERS_DIR, default
// /work/shared/peers); ignored without them.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runPeer } from "../../lib/bench/peers.ts";
import { PEERS, torchPeerAvailable, WRAPPER_DIR } from "./_torch_peer.ts";
import {
  createLearner,
  type Episode,
  metaTest,
  metaTrain,
  mlp,
  saveCheckpoint,
  useBackend,
} from "../../lib/maml/mod.ts";
import { episodeSampler, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";

const ignore = !torchPeerAvailable();

await useBackend("wasm");

Deno.test({
  name: "maml_peer_eval.py: the peer's evaluation of a mirrored network of ours equals ours on " +
    "the mirrored tasks, task by task",
  ignore,
  fn: async () => {
    const model = mlp({ sizes: [1, 40, 40, 1], activation: "relu" });
    const learner = createLearner("fomaml", model, { innerLr: 0.01, seed: 2 });
    const dir = await Deno.makeTempDir();
    try {
      // A few meta-steps, so that the network is not its symmetric-in-law initialisation.
      await metaTrain(learner, { source: episodeSampler(sinusoid), iterations: 30, seed: 2 });
      const path = join(dir, "fomaml_seed2.json");
      saveCheckpoint(path, learner, 30);
      const run = await runPeer("maml_peer_eval.py", ["--peers-dir", PEERS, "--tasks", path], {
        dir: WRAPPER_DIR,
      });
      assert.ok(run.ok, run.ok ? "" : run.reason);
      const record = run.records[0] as {
        kind: string;
        seed: number;
        iteration: number;
        mse: Record<string, [number, number]>;
        per_task: Record<string, number[]>;
        tasks: { amplitude: number[]; phase: number[]; support_x_k10: number[][] };
      };
      assert.deepEqual([record.kind, record.seed, record.iteration], ["fomaml", 2, 30]);
      const perTask = record.per_task.k10_steps10;
      assert.equal(perTask.length, 600);
      const mean = perTask.reduce((a, b) => a + b, 0) / 600;
      assert.ok(Math.abs(mean - record.mse.k10_steps10[0]) < 1e-3, "the peer's own mean");

      // The mirror image of the peer's first 100 tasks in our family: x → −x, y → −y.
      const grid = Array.from({ length: 100 }, (_, i) => -5 + 10 * i / 99);
      const episodes: Episode[] = record.tasks.amplitude.slice(0, 100).map((amplitude, t) => {
        const task = { amplitude, phase: record.tasks.phase[t] };
        const x = Float64Array.from(record.tasks.support_x_k10[t], (v) => -v);
        const xq = Float64Array.from(grid, (v) => -v);
        return {
          support: { x, y: x.map((v) => sinusoid.value(task, v)) },
          query: { x: xq, y: xq.map((v) => sinusoid.value(task, v)) },
        };
      });
      const [one, ten] = metaTest(learner, episodes, { steps: [1, 10] });
      for (const [ours, theirs] of [[one, "k10_steps1"], [ten, "k10_steps10"]] as const) {
        const peer = record.per_task[theirs];
        ours.perTask.forEach((v, t) =>
          assert.ok(
            Math.abs(v - peer[t]) <= 1e-4 * Math.max(1, peer[t]),
            `${theirs}, task ${t}: ours ${v}, the peer's code ${peer[t]}`,
          )
        );
      }
    } finally {
      learner.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
