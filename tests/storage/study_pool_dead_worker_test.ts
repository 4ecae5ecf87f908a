/**
 * Pool mode: a candidate held by a trial whose worker's process on this host has exited is counted
 * by `remaining` and handed out by `ask`, as `minimize` (`askWithin`) hands it out; one whose
 * worker elsewhere stopped heart-beating goes to the next claim (README, "Many workers": such a trial is given up, and one lost with
 * its worker frees its candidate, which is then evaluated). A live worker's trial still holds its
 * candidate.
 */
import assert from "node:assert/strict";
import { createStudy, loadStudy } from "../../lib/storage/mod.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, int } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";
import { deadWorker } from "./_dead_worker.ts";
import type { Storage } from "../../lib/storage/storage.ts";

const space = defineSpace({ k: int(0, 9) });
const candidates = [{ k: 1 }, { k: 2 }];

/** A study whose last candidate is held by a running trial of `worker`, which then stops. */
async function heldByStoppedWorker(
  storage: Storage,
  worker: string,
  extra: { requeue?: boolean; leaseSeconds?: number } = {},
) {
  const a = await createStudy({
    storage,
    name: "p",
    space,
    candidates,
    initialDesignSize: 0,
    proposer: randomSearch(),
    worker,
    ...extra,
  });
  await a.tell(await a.ask(), 0.5);
  const held = await a.ask();
  await a.close(); // no more heart-beats
  return held;
}

for (const requeue of [false, true]) {
  storageTest(
    `pool: a dead local worker's candidate is remaining and asked (requeue ${requeue})`,
    async (
      backend,
    ) => {
      await withStorage(backend, async (storage) => {
        const held = await heldByStoppedWorker(storage, await deadWorker(), { requeue });
        const b = await loadStudy({ storage, name: "p", proposer: randomSearch() });
        assert.equal(b.remaining, 1);
        const trial = await b.ask();
        assert.deepEqual(trial.params, held.params);
        assert.equal(trial.id, requeue ? held.id : held.id + 1);
        const given = b.storedTrials[held.id];
        assert.equal(given.status, requeue ? "running" : "failed");
        assert.equal(given.lost, !requeue);
        assert.equal(b.remaining, 0);
        await b.tell(trial, 0.25);
        await assert.rejects(b.ask(), /only 0 unused configurations left/);
        await b.close();
      });
    },
  );
}

storageTest(
  "pool: a candidate whose worker elsewhere stopped heart-beating goes to the next claim (minimize)",
  async (
    backend,
  ) => {
    await withStorage(backend, async (storage) => {
      const held = await heldByStoppedWorker(storage, "another-host/1/w", { leaseSeconds: 0.3 });
      await new Promise((resolve) => setTimeout(resolve, 700));
      const b = await loadStudy({ storage, name: "p", proposer: randomSearch() });
      // The study keeps no heart-beats of other workers: their lease is judged by a claim.
      assert.equal(b.remaining, 0);
      await b.close();
      const { minimize } = await import("../../lib/smbo/minimize.ts");
      const result = await minimize(() => 0.25, space, {
        storage,
        study: "p",
        candidates,
        initialDesignSize: 0,
        proposer: randomSearch(),
        budget: 2,
      });
      assert.equal(result.study.storedTrials[held.id].lost, true);
      assert.deepEqual(result.trials.at(-1)!.params, held.params);
      await result.study.close();
    });
  },
);

storageTest(
  "pool: a live worker heart-beating past the lease keeps its candidate for remaining and ask",
  async (
    backend,
  ) => {
    await withStorage(backend, async (storage) => {
      const options = {
        storage,
        name: "p",
        space,
        candidates,
        initialDesignSize: 0,
        proposer: randomSearch(),
        leaseSeconds: 0.3,
      };
      const a = await createStudy(options);
      await a.tell(await a.ask(), 0.5);
      const held = await a.ask(); // a heart-beats it every 0.05 s
      const b = await loadStudy({ storage, name: "p", proposer: randomSearch() });
      await new Promise((resolve) => setTimeout(resolve, 800));
      assert.equal(b.remaining, 0);
      await b.refresh();
      assert.equal(b.remaining, 0);
      await assert.rejects(b.ask(), /only 0 unused configurations left/);
      await a.tell(held, 0.1);
      await a.close();
      await b.close();
    });
  },
);

storageTest("pool: a live worker's trial keeps its candidate", async (backend) => {
  await withStorage(backend, async (storage) => {
    const a = await createStudy({
      storage,
      name: "p",
      space,
      candidates,
      initialDesignSize: 0,
      proposer: randomSearch(),
    });
    await a.tell(await a.ask(), 0.5);
    const held = await a.ask();
    const b = await loadStudy({ storage, name: "p", proposer: randomSearch() });
    assert.equal(b.remaining, 0);
    await assert.rejects(b.ask(), /only 0 unused configurations left/);
    assert.equal(b.storedTrials[held.id].status, "running");
    await a.tell(held, 0.1);
    await b.close();
    await a.close();
  });
});
