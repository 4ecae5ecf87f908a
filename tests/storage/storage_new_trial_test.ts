/**
 * `Storage.createStudy`, `addTrials` and a claim's proposal take a trial's `params`, `source` and
 * `value` only: a misspelt or unknown field is a `TypeError` naming it, and nothing is stored
 * (rather than a trial stored `waiting`, to be evaluated again).
 */
import assert from "node:assert/strict";
import { storageTest, withStorage } from "./_backends.ts";
import type { NewTrial } from "../../lib/storage/storage.ts";

const settings = { seed: 0 };
const space = { x: { type: "float", low: 0, high: 1 } };

storageTest("createStudy: an unknown trial field is an error naming it", async (backend) => {
  await withStorage(backend, async (storage) => {
    const trials = [
      { params: { x: 0.1 }, source: "initial", valu: 0.5 },
      { params: { x: 0.2 }, source: "initial", status: "failed", error: "crashed" },
    ] as unknown as NewTrial[];
    await assert.rejects(storage.createStudy({ name: "imp", space, settings }, trials), {
      name: "TypeError",
      message: "createStudy.initialTrials[0].valu: unknown key; " +
        "createStudy.initialTrials[1].status: unknown key; " +
        "createStudy.initialTrials[1].error: unknown key",
    });
    assert.equal(await storage.getStudy("imp"), undefined);
    const { study } = await storage.createStudy({ name: "imp", space, settings }, [
      { params: { x: 0.1 }, source: "initial", value: 0.5 },
    ]);
    assert.equal((await storage.studySnapshot("imp"))!.trials[0].status, "complete");
    await assert.rejects(
      async () =>
        await storage.addTrials(study.id, [
          { params: { x: 0.3 }, source: "enqueued", vlaue: 1 } as unknown as NewTrial,
        ]),
      { name: "TypeError", message: "addTrials.trials[0].vlaue: unknown key" },
    );
    await assert.rejects(
      storage.claim(study.id, {
        worker: "w",
        leaseMs: 60_000,
        requeue: false,
        proposal: {
          params: { x: 0.4 },
          source: "model",
          basedOnSeq: 1,
          value: 2,
          extra: 1,
        } as unknown as NewTrial & { basedOnSeq: number },
      }),
      { name: "TypeError", message: "claim.proposal.extra: unknown key" },
    );
    for (const source of [7, "bogus"]) {
      await assert.rejects(
        async () =>
          await storage.addTrials(study.id, [
            { params: { x: 0.3 }, source } as unknown as NewTrial,
          ]),
        (e: Error) => e instanceof TypeError && /addTrials\.trials\[0\]\.source/.test(e.message),
      );
    }
    assert.equal((await storage.studySnapshot("imp"))!.trials.length, 1);
  });
});
