// The MAML speed table of bench/maml.ts (`--speed`): its rows and Markdown, on a tiny setting
// without the PyTorch reference (correctness of the command, not timings).
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { useBackend } from "../../lib/maml/mod.ts";
import { runMamlSpeed, speedTable } from "../../bench/maml.ts";

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
