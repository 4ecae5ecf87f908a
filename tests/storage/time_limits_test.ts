/**
 * `minimize` on a stored study under time limits, as in memory: `trialTimeout` tells a hung
 * evaluation as a failed trial (counted, not lost; its heart-beat ends), `timeout` stops this
 * call from starting trials (also while it waits on other workers' running trials), and
 * `stopped` says why the call ended. The options belong to the call, not to the study.
 */
import assert from "node:assert/strict";
import { createStudy, openStorage } from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { wait } from "../_wait.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

storageTest(
  "stored minimize: trialTimeout fails a hung trial, which counts, and the run ends",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const signals: AbortSignal[] = [];
      const result = await minimize(
        (p, trial, { signal }) => {
          signals.push(signal);
          return trial.id === 1 ? new Promise<number>(() => {}) : p.x;
        },
        space,
        {
          storage,
          study: "hung",
          budget: 4,
          seed: 0,
          proposer: randomSearch(),
          trialTimeout: 0.05,
          heartbeatSeconds: 0.01,
        },
      );
      assert.equal(result.stopped, "budget");
      assert.deepEqual(
        result.trials.map((t) => t.status),
        ["complete", "failed", "complete", "complete"],
      );
      assert.equal(
        result.trials[1].error,
        "objective timed out: not settled within trialTimeout = 0.05 s",
      );
      assert.ok(signals[1].aborted && !signals[0].aborted);
      const stored = result.study.storedTrials[1];
      assert.equal(stored.lost, false, "a timed-out trial was evaluated: it counts");
      assert.equal(result.study.record.finished, 4);
      // The settings of the study do not include the per-call options.
      assert.equal("trialTimeout" in result.study.record.settings, false);
      await result.study.close();
    });
  },
);

storageTest(
  "stored minimize: timeout stops starting trials; a rerun resumes the budget",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const options = {
        storage,
        study: "slow",
        budget: 1000,
        seed: 0,
        proposer: randomSearch(),
        timeout: 0.15,
      };
      const objective = async (p: { x: number }) => {
        await wait(40);
        return p.x;
      };
      const first = await minimize(objective, space, options);
      assert.equal(first.stopped, "timeout");
      const n = first.trials.length;
      assert.ok(n >= 1 && n < 1000);
      assert.ok(first.trials.every((t) => t.status === "complete"), "trials in flight were told");
      assert.equal(first.study.record.finished, n);
      await first.study.close();
      const second = await minimize(objective, space, { ...options, budget: n + 2, timeout: 600 });
      assert.equal(second.stopped, "budget");
      assert.equal(second.trials.length, n + 2);
      await second.study.close();
    });
  },
  { backends: ["memory", "sqlite"] },
);

Deno.test("stored minimize: timeout ends a call waiting on another worker's running trial", async () => {
  const storage = await openStorage("memory:");
  const other = await createStudy({
    storage,
    name: "shared",
    space,
    seed: 0,
    proposer: randomSearch(),
    worker: "other",
  });
  const held = await other.ask(); // running, heart-beaten: the whole budget of 1
  let calls = 0;
  const result = await minimize(() => ++calls, space, {
    storage,
    study: "shared",
    budget: 1,
    seed: 0,
    proposer: randomSearch(),
    timeout: 0.1,
  });
  assert.equal(result.stopped, "timeout");
  assert.equal(calls, 0, "no trial of its own");
  assert.equal(result.trials.length, 1);
  assert.equal(result.trials[0].status, "running");
  await other.tell(held, 0.5);
  await result.study.close();
  await other.close();
  await storage.close();
});

Deno.test("stored minimize: a used-up pool stops as exhausted; the options are checked", async () => {
  const storage = await openStorage("memory:");
  const pool = await minimize((p) => p.a, defineSpace({ a: int(0, 9) }), {
    storage,
    study: "pool",
    budget: 5,
    candidates: [{ a: 1 }, { a: 2 }],
    timeout: 600,
    trialTimeout: 60,
  });
  assert.equal(pool.stopped, "exhausted");
  assert.equal(pool.trials.length, 2);
  await pool.study.close();
  for (const field of ["timeout", "trialTimeout"]) {
    await assert.rejects(
      minimize((p) => p.x, space, { storage, study: "bad", budget: 2, [field]: -1 } as never),
      new RegExp(`minimize options\\.${field}: must be a finite number of seconds > 0`),
    );
  }
  await storage.close();
});

Deno.test("stored minimize: a thrown non-Error keeps its content in the stored reason", async () => {
  const result = await minimize(
    () => {
      throw { code: 42 };
    },
    space,
    { storage: "memory:", study: "thrown", budget: 1, proposer: randomSearch() },
  );
  assert.equal(result.trials[0].error, 'objective threw {"code":42}');
  await result.study.close();
});
