import assert from "node:assert/strict";
import { armCounts } from "../../tools/arm_counts.ts";

const figures = (rows: Record<string, Record<string, Record<string, number>>>) =>
  new Map(
    Object.entries(rows).map(([family, arms]) => [
      family,
      new Map(Object.entries(arms).map(([arm, steps]) => [arm, new Map(Object.entries(steps))])),
    ]),
  );

Deno.test("armCounts: no-worse counts against the reference (ties count), head to head, missing figures skipped", () => {
  const values = figures({
    f: {
      gp: { "@10": 0.2, "@25": 0.1 },
      a: { "@10": 0.2, "@25": 0.3 },
      b: { "@10": 0.1, "@25": 0.3 },
    },
    g: { gp: { "@10": 0.5 }, a: { "@10": 0.4 }, b: { "@10": 0.6 } },
    // no figure for b: skipped
    h: { gp: { "@10": 0.5 }, a: { "@10": 0.4 } },
  });
  const counts = armCounts(values, "a", "b", "gp", ["@10", "@25"]);
  assert.equal(counts.pairs.length, 3);
  assert.deepEqual(counts.noWorse, [2, 1]);
  assert.deepEqual(counts.headToHead, { lower: 1, higher: 1, equal: 1 });
});

Deno.test("arm_counts: the committed pairwise study reads as its README says", async () => {
  const run = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "tools/arm_counts.ts",
      "--arms",
      "rgpe-gp targetLoss=pairwise,rgpe-gp",
      "results/transfer/nohandover",
      "results/transfer/nohandover/gbt",
      "results/transfer/pairwise",
      "results/transfer/pairwise/repro",
    ],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await run.output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(text, /no worse than gp, of 39 pairs: rgpe-gp targetLoss=pairwise 34, rgpe-gp 35/);
  assert.match(text, /lower in 15, higher in 9, equal in 15/);
});
