/**
 * `minimize`'s `timeout` when proposing takes the time left: the clock is read again once the
 * next configurations are proposed, so no trial starts after the study's wall time; the ask is
 * undone (no running or failed trial is left behind), and a study continued with ask/tell
 * proposes what an uninterrupted run proposes.
 */
import assert from "node:assert/strict";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { slowOnce } from "./_slow.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1), y: float(-1, 1) });
const objective = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y + 0.2) ** 2;

Deno.test("timeout: a trial whose proposal outlasted the timeout does not start", async () => {
  let start = 0;
  // The first proposal (after the 2 initial points) ends 0.5 s after a 0.3 s timeout.
  const proposer = slowOnce(bayesOpt(), () => start + 800);
  const starts: number[] = [];
  start = performance.now();
  const result = await minimize(
    (p) => {
      starts.push(performance.now() - start);
      return objective(p);
    },
    space,
    { budget: 8, seed: 0, initialDesignSize: 2, timeout: 0.3, proposer },
  );
  assert.equal(proposer.calls, 1, "the proposer was asked once");
  assert.equal(result.stopped, "timeout");
  assert.equal(starts.length, 2, `evaluations started at ${starts.map(Math.round)} ms`);
  assert.ok(starts.every((ms) => ms < 300));
  assert.deepEqual(result.trials.map((t) => t.status), ["complete", "complete"]);
  assert.deepEqual(result.study.trials.map((t) => t.id), [0, 1], "no running trial is left");
});

Deno.test("timeout: the undone ask leaves the study as before it; continued, it repeats an uninterrupted run", async () => {
  for (const batchSize of [1, 2]) {
    const budget = 6;
    const options = { budget, seed: 3, initialDesignSize: 2, batchSize };
    const uninterrupted = await minimize(objective, space, { ...options, proposer: bayesOpt() });
    let start = 0;
    const proposer = slowOnce(bayesOpt(), () => start + 500);
    start = performance.now();
    const stopped = await minimize(objective, space, { ...options, timeout: 0.2, proposer });
    assert.equal(stopped.stopped, "timeout");
    assert.equal(stopped.trials.length, 2, `batchSize ${batchSize}`);
    const study = stopped.study;
    while (study.trials.length < budget) {
      for (const trial of study.ask(batchSize)) study.tell(trial, objective(trial.params));
    }
    assert.deepEqual(
      study.trials.map((t) => [t.params, t.value, t.source]),
      uninterrupted.trials.map((t) => [t.params, t.value, t.source]),
      `batchSize ${batchSize}`,
    );
  }
});

Deno.test("timeout: a pool candidate asked after the timeout stays unused", async () => {
  const candidates = Array.from({ length: 6 }, (_, i) => ({ x: i / 5, y: 0 }));
  let start = 0;
  const proposer = slowOnce(bayesOpt(), () => start + 500);
  start = performance.now();
  const result = await minimize(objective, space, {
    budget: 6,
    seed: 0,
    initialDesignSize: 2,
    timeout: 0.2,
    proposer,
    candidates,
  });
  assert.equal(result.stopped, "timeout");
  assert.equal(result.trials.length, 2);
  assert.equal(result.study.remaining, 4, "the undone ask's candidate is unused again");
});
