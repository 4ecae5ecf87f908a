/**
 * Stored `minimize`'s `timeout` when asking takes the time left (a slow proposal): the trials this
 * call claimed are not started but handed back (`waiting`, neither running nor failed), and a rerun
 * evaluates them first, so that the resumed study repeats an uninterrupted one.
 */
import assert from "node:assert/strict";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { slowOnce } from "../smbo/_slow.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1), y: float(-1, 1) });
const objective = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y + 0.2) ** 2;

storageTest(
  "stored minimize: a trial claimed after the timeout is handed back, and a rerun repeats an uninterrupted run",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const options = { storage, budget: 5, seed: 3, initialDesignSize: 2 };
      const uninterrupted = await minimize(objective, space, {
        ...options,
        study: "uninterrupted",
        proposer: bayesOpt(),
      });
      await uninterrupted.study.close();

      let start = 0;
      const proposer = slowOnce(bayesOpt(), () => start + 700);
      const starts: number[] = [];
      start = performance.now();
      const stopped = await minimize(
        (p) => {
          starts.push(performance.now() - start);
          return objective(p);
        },
        space,
        { ...options, study: "s", timeout: 0.4, proposer },
      );
      await stopped.study.close();
      assert.equal(proposer.calls, 1);
      assert.equal(stopped.stopped, "timeout");
      assert.equal(starts.length, 2, `evaluations started at ${starts.map(Math.round)} ms`);
      assert.deepEqual(stopped.trials.map((t) => t.status), ["complete", "complete"]);
      const snapshot = await storage.studySnapshot("s");
      assert.deepEqual(
        snapshot!.trials.map((t) => [t.number, t.status, t.source, t.lost ?? false]),
        [[0, "complete", "initial", false], [1, "complete", "initial", false], [
          2,
          "waiting",
          "model",
          false,
        ]],
      );
      assert.equal(snapshot!.study.finished, 2);

      const resumed = await minimize(objective, space, {
        ...options,
        study: "s",
        proposer: bayesOpt(),
      });
      await resumed.study.close();
      assert.equal(resumed.stopped, "budget");
      assert.deepEqual(
        resumed.trials.map((t) => [t.id, t.params, t.value, t.source]),
        uninterrupted.trials.map((t) => [t.id, t.params, t.value, t.source]),
      );
    });
  },
);
