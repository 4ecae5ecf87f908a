/**
 * `poolDesign` of studies in pool mode: `"nearest"` takes the design's points to their nearest
 * unused candidates (in memory and stored alike), `"random"` (the default) a random subset of the
 * candidates; the option is refused outside pool mode and checked against a stored study's.
 */
import assert from "node:assert/strict";
import { SMBO } from "../../lib/smbo/study.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { nearestCandidates } from "../../lib/smbo/_proposal.ts";
import { defineSpace, float, initialDesign } from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { createStudy, loadStudy, minimizeStored, openStorage } from "../../lib/storage/mod.ts";

const space = defineSpace({ x: float(0, 1), y: float(0, 1) });

/**
 * 90 candidates crowded in the corner [0, 0.1]², and a 4 × 4 grid of 16 spread over the square:
 * a random subset is mostly in the corner, a space-filling design mostly on the grid.
 */
function crowdedPool(): { x: number; y: number }[] {
  const rng = new Rng(7);
  const corner = Array.from(
    { length: 90 },
    () => ({ x: 0.1 * rng.uniform(), y: 0.1 * rng.uniform() }),
  );
  const grid = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) grid.push({ x: 0.125 + 0.25 * i, y: 0.125 + 0.25 * j });
  }
  return [...corner, ...grid];
}

const inCorner = (p: { x: number; y: number }) => p.x <= 0.1 && p.y <= 0.1;

Deno.test("nearestCandidates: each point takes the nearest candidate not taken before it", () => {
  const pool = [[0.1], [0.2], [0.9], [0.21]].map((p) => Float64Array.from(p));
  const points = [[0.2], [0.2], [1.0], [0.0]].map((p) => Float64Array.from(p));
  // 0.2 → #1 (exact); 0.2 again → #3 (0.21, the nearest left); 1.0 → #2; 0.0 → #0.
  assert.deepEqual(nearestCandidates(pool, points), [1, 3, 2, 0]);
  // Equally near: the first.
  assert.deepEqual(
    nearestCandidates([[0.4], [0.6]].map((p) => Float64Array.from(p)), [Float64Array.of(0.5)]),
    [0],
  );
  assert.throws(
    () => nearestCandidates([Float64Array.of(0)], [[0], [1]].map((p) => Float64Array.from(p))),
    RangeError,
  );
});

Deno.test('poolDesign "nearest": the design points of the study, each at its nearest unused candidate', async () => {
  const pool = crowdedPool();
  const encoded = pool.map((c) => space.encode(c));
  for (const seed of [0, 1, 2]) {
    const result = await minimize((p) => p.x + p.y, space, {
      budget: 8,
      seed,
      initialDesignSize: 8,
      candidates: pool,
      poolDesign: "nearest",
      proposer: randomSearch(),
    });
    const design = result.trials.filter((t) => t.source === "initial");
    assert.equal(design.length, 8);
    // The same points as the space's Sobol design drawn from the study's first random stream.
    const points = initialDesign(space, 8, new Rng(seed).spawn(), "sobol", "test", {
      distinct: false,
    });
    const expected = nearestCandidates(encoded, points).map((i) => pool[i]);
    assert.deepEqual(design.map((t) => t.params), expected);
    // Spread over the square: at most 2 of 8 in the crowded corner (a quarter of a Sobol design
    // falls in [0, 0.5]², whose nearest candidates may be in the corner).
    assert.ok(design.filter((t) => inCorner(t.params)).length <= 2, `seed ${seed}`);
  }
  // The default draws candidates, not space: most of its 8 are in the corner.
  const random = await minimize((p) => p.x + p.y, space, {
    budget: 8,
    initialDesignSize: 8,
    candidates: pool,
    proposer: randomSearch(),
  });
  assert.ok(random.trials.filter((t) => inCorner(t.params)).length >= 5);
});

Deno.test('poolDesign "nearest": enqueued candidates are skipped, and asking one by one or in a batch agrees', () => {
  const pool = crowdedPool();
  const ask = (batch: boolean) => {
    const study = new SMBO(space, {
      seed: 3,
      initialDesignSize: 6,
      candidates: pool,
      poolDesign: "nearest",
      proposer: randomSearch(),
      initialConfigurations: [pool[95]],
    });
    const trials = batch ? study.ask(7) : Array.from({ length: 7 }, () => study.ask());
    return trials.map((t) => t.params);
  };
  const one = ask(false);
  assert.deepEqual(one, ask(true));
  assert.deepEqual(one[0], pool[95]);
  assert.equal(new Set(one.map((p) => JSON.stringify(p))).size, 7);
});

Deno.test('poolDesign "nearest": a stored study draws the same design as an in-memory one', async () => {
  const pool = crowdedPool();
  const options = {
    budget: 10,
    seed: 5,
    initialDesignSize: 6,
    candidates: pool,
    poolDesign: "nearest" as const,
    proposer: randomSearch(),
  };
  const memory = await minimize((p) => p.x * p.y, space, options);
  const stored = await minimizeStored((p) => p.x * p.y, space, {
    ...options,
    storage: "memory:",
    study: "nearest",
  });
  try {
    const design = (trials: readonly { source: string; params: unknown }[]) =>
      trials.filter((t) => t.source === "initial").map((t) => t.params);
    assert.equal(design(memory.trials).length, 6);
    assert.deepEqual(design(stored.trials), design(memory.trials));
  } finally {
    await stored.study.close();
  }
});

Deno.test("poolDesign: refused outside pool mode, checked against a stored study's, validated", async () => {
  assert.throws(
    () => new SMBO(space, { poolDesign: "nearest", proposer: randomSearch() }),
    /SMBO options\.poolDesign: only in pool mode/,
  );
  await assert.rejects(
    minimize((p) => p.x, space, { budget: 2, poolDesign: "random" }),
    /minimize options\.poolDesign: only in pool mode/,
  );
  assert.throws(
    () =>
      new SMBO(space, {
        candidates: [{ x: 0, y: 0 }],
        poolDesign: "sobol" as never,
        proposer: randomSearch(),
      }),
    /poolDesign/,
  );
  const storage = await openStorage("memory:");
  try {
    await assert.rejects(
      createStudy({ storage, name: "no-pool", space, poolDesign: "nearest" }),
      /createStudy options\.poolDesign: only in pool mode/,
    );
    const candidates = crowdedPool();
    const study = await createStudy({
      storage,
      name: "pool",
      space,
      candidates,
      poolDesign: "nearest",
      initialDesignSize: 4,
    });
    await study.close();
    await assert.rejects(
      loadStudy({ storage, name: "pool", poolDesign: "random" }),
      /options\.poolDesign is "random", but the study was created with "nearest"/,
    );
    const again = await loadStudy({ storage, name: "pool", poolDesign: "nearest" });
    await again.close();
    const plain = await createStudy({ storage, name: "plain", space, candidates });
    await plain.close();
    await assert.rejects(
      loadStudy({ storage, name: "plain", poolDesign: "nearest" }),
      /options\.poolDesign is "nearest", but the study was created with "random"/,
    );
  } finally {
    await storage.close();
  }
});
