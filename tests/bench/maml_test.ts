// The MAML speed table of bench/maml.ts (`--speed`): its rows and Markdown, on a tiny setting
// without the PyTorch reference (correctness of the command, not timings).
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { loadCheckpoint, metaTest, mlp, useBackend } from "../../lib/maml/mod.ts";
import { evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";
import { runMamlBenchmark, runMamlSpeed, speedTable } from "../../bench/maml.ts";

await useBackend("wasm");

Deno.test("runMamlSpeed: one row per setting, finite ours, NaN for a skipped reference", async () => {
  const before = tf.memory().numTensors;
  const rows = await runMamlSpeed({
    iterations: 2,
    metaBatchSizes: [2, 3],
    widths: [40, 8],
    rounds: 3,
    python: null,
  });
  assert.deepEqual(rows.map((r) => [r.metaBatchSize, r.width]), [[2, 40], [3, 40], [25, 8]]);
  for (const r of rows) {
    assert.ok(r.fusedCpu > 0 && r.fusedWall > 0 && r.tapeCpu > 0, JSON.stringify(r));
    assert.ok(Number.isNaN(r.torchCpu));
    // Three rounds of fused, tape and the (skipped) reference, every other round reversed.
    assert.deepEqual(r.rounds.map((m) => m.engine), [
      "fused",
      "tape",
      "torch",
      "torch",
      "tape",
      "fused",
      "fused",
      "tape",
      "torch",
    ]);
    const fused = r.rounds.filter((m) => m.engine === "fused").map((m) => m.cpu).sort((a, b) =>
      a - b
    );
    assert.equal(r.fusedCpu, Number(fused[1].toFixed(3)), "the median over rounds");
  }
  const table = speedTable(rows).split("\n");
  assert.equal(table.length, 2 + rows.length);
  assert.match(
    table[2],
    /^\| 2 \| 40 \| [\d.]+ \([\d.]+\) \| [\d.]+ \([\d.]+\) \| — \| — \| — \| [\d.]+ \|$/,
  );
  assert.equal(tf.memory().numTensors, before, "no tensor leak");
});

Deno.test("runMamlBenchmark: checkpointDir saves each trained learner, which evaluates the same", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const result = await runMamlBenchmark({
      iterations: 3,
      learners: ["fomaml"],
      seed: 4,
      evalTasks: 5,
      logEvery: 0,
      checkpointDir: `${dir}/checkpoints`,
    });
    const record = result.results[0] as {
      checkpoint: string;
      mse: Record<string, { mean: number }>;
    };
    assert.equal(record.checkpoint, `${dir}/checkpoints/fomaml_seed4.json`);
    const saved = JSON.parse(Deno.readTextFileSync(record.checkpoint));
    assert.equal(saved.kind, "fomaml");
    assert.equal(saved.iteration, 3);
    assert.equal(saved.options.seed, 4);
    const learner = loadCheckpoint(
      record.checkpoint,
      mlp({ sizes: [1, 40, 40, 1], activation: "relu" }),
    );
    try {
      const episodes = evaluationSet(sinusoid, { shots: 10, tasks: 5 }).episodes;
      const [one] = metaTest(learner, episodes, { steps: [1] });
      assert.ok(Math.abs(one.mean - record.mse.k10_steps1.mean) < 1e-4);
    } finally {
      learner.dispose();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
