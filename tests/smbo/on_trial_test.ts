/**
 * `minimize`'s `onTrial` callback, in memory and on a stored study: awaited in trial order,
 * `false` stops the run (`stopped: "callback"`), and a callback that throws or rejects stops it
 * once the batch is told, with a `MinimizeStopped` error holding the result so far.
 */
import assert from "node:assert/strict";
import { minimize, MinimizeStopped } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { loadStudy, openStorage } from "../../lib/storage/mod.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import * as root from "../../mod.ts";

const space = defineSpace({ x: float(0, 1) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("onTrial: an async callback is awaited in trial order, and its rejection rejects minimize with the result so far", async () => {
  const events: string[] = [];
  const failure = new Error("progress file not writable");
  const error = await minimize(
    async (p) => {
      await sleep(1);
      return p.x;
    },
    space,
    {
      budget: 20,
      seed: 0,
      batchSize: 3,
      proposer: randomSearch(),
      onTrial: async (trial) => {
        events.push(`start ${trial.id}`);
        // Later trials of a batch finish their callback sooner: only awaiting keeps the order.
        await sleep(10 - 3 * (trial.id % 3));
        events.push(`end ${trial.id}`);
        if (trial.id === 4) throw failure;
      },
    },
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof MinimizeStopped, String(error));
  assert.equal(error.cause, failure);
  assert.equal(error.name, "MinimizeStopped");
  assert.match(error.message, /onTrial threw after 6 trials \(progress file not writable\)/);
  assert.deepEqual(events, [0, 1, 2, 3, 4].flatMap((id) => [`start ${id}`, `end ${id}`]));
  // The whole second batch was told before the run stopped; nothing is left running.
  const { result } = error;
  assert.equal(result.stopped, "callback");
  assert.equal(result.trials.length, 6);
  assert.ok(result.trials.every((t) => t.status === "complete"));
  assert.ok(result.study.trials.every((t) => t.status === "complete"));
  assert.equal(result.best.value, Math.min(...result.trials.map((t) => t.value!)));
  assert.equal(root.MinimizeStopped, MinimizeStopped, "exported from mod.ts");
});

Deno.test('onTrial: returning false (or a promise of false) stops the run after the batch, stopped: "callback"', async () => {
  const seen: number[] = [];
  const result = await minimize((p) => p.x, space, {
    budget: 20,
    seed: 0,
    proposer: randomSearch(),
    onTrial: (trial) => {
      seen.push(trial.id);
      return trial.id !== 6;
    },
  });
  assert.equal(result.stopped, "callback");
  assert.equal(result.trials.length, 7);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);

  // In a batch, the evaluated trials are all told and reported; a promise of false stops too.
  const batched: number[] = [];
  const stopped = await minimize((p) => p.x, space, {
    budget: 20,
    seed: 0,
    batchSize: 3,
    proposer: randomSearch(),
    onTrial: (trial) => {
      batched.push(trial.id);
      return Promise.resolve(trial.id === 4 ? false : undefined);
    },
  });
  assert.equal(stopped.stopped, "callback");
  assert.deepEqual(batched, [0, 1, 2, 3, 4, 5]);
  assert.ok(stopped.trials.every((t) => t.status === "complete"));

  // Other return values (true, a number) do not stop; false on the last trial is "budget".
  const full = await minimize((p) => p.x, space, {
    budget: 4,
    seed: 0,
    proposer: randomSearch(),
    onTrial: (trial) => trial.id === 3 ? false : true,
  });
  assert.equal(full.stopped, "budget");
  assert.equal(full.trials.length, 4);
});

Deno.test("onTrial: a synchronous throw in a batch stops once every evaluated trial is told", async () => {
  let evaluations = 0;
  const error = await minimize(
    (p) => {
      evaluations++;
      return p.x;
    },
    space,
    {
      budget: 20,
      seed: 0,
      batchSize: 4,
      proposer: randomSearch(),
      onTrial: (trial) => {
        if (trial.id === 4) throw "stop please";
      },
    },
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof MinimizeStopped);
  assert.equal(error.cause, "stop please");
  assert.equal(evaluations, 8);
  assert.deepEqual(
    error.result.study.trials.map((t: Trial) => t.status),
    Array(8).fill("complete"),
  );
});

Deno.test("onTrial on a stored study: awaited in trial order, false stops, a throw stores the batch first", async () => {
  const storage = await openStorage("memory:");
  try {
    const order: number[] = [];
    const stopped = await minimize(
      async (p) => {
        await sleep(p.x * 10); // the batch's evaluations finish out of order
        return p.x;
      },
      space,
      {
        storage,
        study: "stop",
        budget: 20,
        seed: 0,
        batchSize: 3,
        proposer: randomSearch(),
        onTrial: async (trial) => {
          await sleep(5 - trial.id % 3);
          order.push(trial.id);
          return trial.id !== 4;
        },
      },
    );
    assert.equal(stopped.stopped, "callback");
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(stopped.trials.length, 6);
    await stopped.study.close();

    const failure = new Error("callback failed");
    const error = await minimize((p) => p.x, space, {
      storage,
      study: "throw",
      budget: 20,
      seed: 0,
      batchSize: 4,
      proposer: randomSearch(),
      onTrial: (trial) => {
        if (trial.id === 5) return Promise.reject(failure);
      },
    }).then(() => undefined, (e) => e);
    assert.ok(error instanceof MinimizeStopped, String(error));
    assert.equal(error.cause, failure);
    assert.equal(error.result.stopped, "callback");
    assert.equal(error.result.trials.length, 8);
    const reloaded = await loadStudy({ storage, name: "throw" });
    assert.deepEqual(reloaded.trials.map((t) => t.status), Array(8).fill("complete"));
    await reloaded.close();
  } finally {
    await storage.close();
  }
});
