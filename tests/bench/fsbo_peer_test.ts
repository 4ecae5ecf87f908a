// The FSBO reference peer (`bench/fsbo_peer.ts` exporting jobs, `bench/peers/fsbo_torch.py` running
// them): the job's export format round trip (always; through Python's `--validate` when
// /usr/bin/python3 exists, which needs no torch), and a tiny job run by the peer when torch and
// GPyTorch (vendored under METAHPO_PEERS_DIR) import; ignored otherwise.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  firstConfigurations,
  JOB_FORMAT,
  peerJob,
  peerRegret,
  readPeerJob,
  runFsboPeer,
} from "../../bench/fsbo_peer.ts";
import { tabularProblems } from "../../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior, transferOptions } from "../../lib/meta/transfer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { runPeer } from "../../lib/bench/peers.ts";
import { PEERS, PYTHON, torchAvailable, WRAPPER_DIR } from "./_torch_peer.ts";

const space = defineSpace({ lr: float(1e-4, 1, { log: true }), depth: int(1, 8) });

/** Three tasks over one 8-point pool (values shifted per task), as a tabular meta-dataset. */
function problems() {
  const pool = [1e-4, 1e-3, 1e-2, 0.1, 0.3, 1, 0.05, 0.5].map((lr, i) => ({
    lr,
    depth: 1 + i % 8,
  }));
  const rows = (shift: number) =>
    pool.map((params) => ({
      params,
      value: (Math.log10(params.lr) + 2 + shift) ** 2 + 0.1 * params.depth,
    }));
  return tabularProblems(space, [
    { id: "a", rows: rows(0) },
    { id: "b", rows: rows(0.5) },
    { id: "c", rows: rows(-0.3) },
  ]);
}

/** The fold of `c` held out: the prior over a and b, c's job. */
function fold() {
  const all = problems();
  const prior = PreparedPrior.from(
    all.map((p) => ({ id: p.id, trials: p.history })),
    space,
  ).without(["c"]);
  const target = all[2];
  const initial = firstConfigurations(target, prior, 0);
  const job = peerJob(target, prior, {
    seed: 0,
    budget: 3,
    initial,
    settings: { epochs: 2, modes: ["mll"] },
  });
  return { target, prior, initial, job };
}

Deno.test("fsbo peer job: exported, written and read back unchanged, in the unit cube", () => {
  const { target, prior, initial, job } = fold();
  assert.equal(job.format, JOB_FORMAT);
  assert.deepEqual(job.past.map((t) => t.id), ["a", "b"]);
  assert.equal(job.pool.points.length, 8);
  assert.ok(job.pool.points.flat().every((x) => x >= 0 && x <= 1));
  // Past points are the prior's encoding, the pool is the space's encoding of the candidates.
  assert.deepEqual(job.past[0].points, prior.tasks[0].points.map((p) => Array.from(p)));
  assert.deepEqual(job.pool.points[3], Array.from(space.encode(target.candidates![3])));
  assert.deepEqual(job.pool.values, target.candidates!.map((c) => target.objective(c)));
  assert.equal(job.pool.minimum, Math.min(...job.pool.values));
  assert.equal(job.pool.maximum, Math.max(...job.pool.values));
  // The warm start is our fsbo strategy's first configuration, as a pool index.
  const setup = transferOptions(prior, space, {
    strategy: "fsbo",
    candidates: target.candidates,
    seed: 0,
    fsbo: { metaIterations: 0 },
  });
  assert.deepEqual(
    initial.map((i) => target.candidates![i]),
    setup.initialConfigurations,
  );
  const back = readPeerJob(JSON.stringify(job));
  assert.deepEqual(back, job);
  assert.throws(
    () => readPeerJob(JSON.stringify({ ...job, initial: [0, 0] })),
    /initial: needs distinct/,
  );
  assert.throws(
    () => readPeerJob(JSON.stringify({ ...job, pool: { ...job.pool, points: [[2, 0]] } })),
    /pool/,
  );
  // The regret curve uses the problem's normalisation.
  const order = job.pool.values.map((v, i) => [v, i]).sort((x, y) => y[0] - x[0]).map((x) => x[1]);
  const regret = peerRegret(target, order.slice(0, 3));
  assert.equal(regret[0], 1);
  assert.ok(regret[1] <= regret[0] && regret[2] <= regret[1]);
  assert.equal(peerRegret(target, [order.at(-1)!])[0], 0);
});

Deno.test({
  name: "fsbo peer job: Python reads the same counts and sums (--validate, no torch needed)",
  ignore: !existsSync(PYTHON),
  fn: async () => {
    const { job } = fold();
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, "job.json");
      await Deno.writeTextFile(path, JSON.stringify(job));
      const run = await runPeer("fsbo_torch.py", ["--job", path, "--validate"], {
        dir: WRAPPER_DIR,
      });
      assert.ok(run.ok, run.ok ? "" : run.reason);
      const seen = run.records[0] as Record<string, number | number[] | string>;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      assert.equal(seen.task, "c");
      assert.equal(seen.dim, 2);
      assert.equal(seen.past_tasks, 2);
      assert.equal(seen.past_points, 16);
      assert.equal(seen.pool, 8);
      assert.deepEqual(seen.initial, job.initial);
      const points = sum(job.past.flatMap((t) => t.points.flat())) + sum(job.pool.points.flat());
      const values = sum(job.past.flatMap((t) => t.values)) + sum(job.pool.values);
      assert.ok(Math.abs((seen.points_sum as number) - points) < 1e-9 * Math.abs(points));
      assert.ok(Math.abs((seen.values_sum as number) - values) < 1e-9 * Math.abs(values));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Whether the peer can import torch and GPyTorch (vendored from METAHPO_PEERS_DIR). */
function gpytorchAvailable(): boolean {
  if (!torchAvailable()) return false;
  return new Deno.Command(PYTHON, {
    args: [join(WRAPPER_DIR, "fsbo_torch.py"), "--imports"],
    env: { METAHPO_PEERS_DIR: PEERS },
    stdout: "null",
    stderr: "null",
  }).outputSync().success;
}

Deno.test({
  name: "fsbo_torch.py runs a tiny job: 2 past tasks, an 8-point pool, budget 3, distinct indices",
  ignore: !gpytorchAvailable(),
  fn: async () => {
    const { job, initial } = fold();
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, "job.json");
      await Deno.writeTextFile(path, JSON.stringify(job));
      const result = await runFsboPeer(path);
      const run = result.runs.mll!;
      assert.equal(run.indices.length, 3);
      assert.equal(new Set(run.indices).size, 3);
      assert.ok(run.indices.every((i) => Number.isInteger(i) && i >= 0 && i < 8));
      assert.equal(run.indices[0], initial[0]);
      assert.equal(run.finetune_epochs.length, 2);
      assert.equal(result.meta.epochs, 2);
      assert.equal(result.meta.train_tasks + result.meta.valid_tasks, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
