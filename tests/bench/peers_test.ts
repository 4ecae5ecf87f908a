import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parsePythonJson, runPeer } from "../../lib/bench/peers.ts";
import { MAML_PEER_VARIANTS, runMamlPeers } from "../../bench/maml.ts";

const PYTHON = "/usr/bin/python3";
const noPython = !existsSync(PYTHON);

/** A stand-in for maml_torch_peer.py whose Meta-SGD run diverges, printed by json.dumps. */
const DIVERGING_PEER = `
import json, sys
meta_sgd = "--meta-sgd" in sys.argv
loss = float("nan") if meta_sgd else 0.5
print("training...")
print(json.dumps({"peer": "fake", "iters": int(sys.argv[sys.argv.index("--iters") + 1]),
                  "mse": {"k5_steps1": [loss, loss], "k5_steps10": [float("inf"), -float("inf")]},
                  "note": "NaN inside a string stays text"}))
`;

async function withScript(source: string, body: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "peer.py");
    await Deno.writeTextFile(path, source);
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("parsePythonJson: bare NaN and ±Infinity become numbers, strings are untouched", () => {
  const record = parsePythonJson('{"a": [NaN, Infinity, -Infinity, 1.5], "s": "NaN, Infinity"}');
  assert.deepEqual(record, { a: [NaN, Infinity, -Infinity, 1.5], s: "NaN, Infinity" });
});

Deno.test({
  name: "runPeer: an absolute script path; a diverged run's bare NaN is a result",
  ignore: noPython,
  fn: () =>
    withScript(DIVERGING_PEER, async (path) => {
      const run = await runPeer(path, ["--iters", "3", "--meta-sgd"], { dir: "/nonexistent" });
      assert.ok(run.ok, run.ok ? "" : run.reason);
      assert.equal(run.records.length, 1, "only JSON lines are records");
      const mse = run.records[0].mse as Record<string, number[]>;
      assert.ok(Number.isNaN(mse.k5_steps1[0]));
      assert.deepEqual(mse.k5_steps10, [Infinity, -Infinity]);
      assert.equal(run.records[0].note, "NaN inside a string stays text");
    }),
});

Deno.test({
  name: "runMamlPeers (bench/maml.ts --peer): a diverged Meta-SGD peer is recorded, not a crash",
  ignore: noPython,
  fn: () =>
    withScript(DIVERGING_PEER, async (path) => {
      const peers = await runMamlPeers(path, 7);
      assert.deepEqual(Object.keys(peers), MAML_PEER_VARIANTS.map((v) => v.learner));
      const metasgd = peers.metasgd as { iters: number; mse: Record<string, number[]> };
      assert.equal(metasgd.iters, 7);
      assert.ok(metasgd.mse.k5_steps1.every(Number.isNaN), "Meta-SGD diverged: NaN");
      assert.deepEqual((peers.maml as { mse: Record<string, number[]> }).mse.k5_steps1, [
        0.5,
        0.5,
      ]);
    }),
});

Deno.test({
  name: "runPeer and runMamlPeers: a missing or failing peer is a reason, never a throw",
  ignore: noPython,
  fn: async () => {
    const missing = await runPeer("no_such_peer.py", [], { dir: "/nonexistent" });
    assert.ok(!missing.ok && /no_such_peer\.py not found/.test(missing.reason));
    await withScript("import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n", async (path) => {
      const failed = await runPeer(path, []);
      assert.ok(!failed.ok && /exited with 3: boom/.test(failed.reason));
      const peers = await runMamlPeers(path, 1);
      assert.match((peers.fomaml as { error: string }).error, /exited with 3/);
    });
  },
});
