import assert from "node:assert/strict";
import { bestBranch, lateProposals, type TracedTrial } from "../../bench/rf_switch.ts";
import { switchBH3H6 } from "../../lib/tasks/synthetic/mod.ts";

const trial = (
  x: number,
  y: number,
  value: number,
  branch: string,
  model: boolean,
): TracedTrial => ({
  u: Float64Array.of(x, y),
  value,
  branch,
  model,
});

Deno.test("lateProposals: counts improvements, distances to the incumbent, branches and random configurations", () => {
  const trace = [
    trial(0, 0, 5, "hartmann3", false), // design
    trial(0.5, 0.5, 3, "hartmann6", false), // design: incumbent (0.5, 0.5)
    trial(0.6, 0.2, 4, "hartmann6", true), // late, no improvement, distance 0.3
    trial(0.5, 0.52, 2, "hartmann6", true), // late, improves, distance 0.02: incumbent moves
    trial(0.9, 0.9, 9, "branin", false), // late random
    trial(0.5, 0.5, 1, "hartmann6", true), // late, improves, distance 0.02 from (0.5, 0.52)
  ];
  const late = lateProposals(trace, 2);
  assert.equal(late.count, 3);
  assert.equal(late.improved, 2);
  assert.deepEqual(late.distances.map((d) => Math.round(d * 1000) / 1000), [0.3, 0.02, 0.02]);
  assert.deepEqual(late.perBranch, { hartmann6: 3, branin: 1 });
  assert.equal(late.random, 1);
  // Nothing late: all zero.
  assert.deepEqual(lateProposals(trace, 6), {
    count: 0,
    improved: 0,
    distances: [],
    perBranch: {},
    random: 0,
  });
});

Deno.test("bestBranch: the branch of the lowest value and its regret inside the branch", () => {
  const trace = [
    trial(0, 0, 0.9, "branin", true),
    trial(0, 0, 0.31, "hartmann3", true),
    trial(0, 0, 0.4, "hartmann6", true),
  ];
  const best = bestBranch(trace, switchBH3H6);
  assert.equal(best.branch, "hartmann3");
  assert.ok(Math.abs(best.within - 0.06) < 1e-12);
  assert.throws(() => bestBranch([trial(0, 0, 1, "levy", true)], switchBH3H6), /levy/);
});
