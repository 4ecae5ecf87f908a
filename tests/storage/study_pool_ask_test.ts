/**
 * A stored study's `ask(q)` in pool mode claims all `q` trials or none, also when another handle
 * takes candidates between its check of `remaining` and its claims: the trials it had claimed are
 * handed back (`Storage.release`), waiting for the next ask. The race is driven in a fixed order:
 * the other handle's `ask` runs inside the first handle's claim.
 */
import assert from "node:assert/strict";
import {
  type ClaimRequest,
  createStudy,
  openStorage,
  type Storage,
} from "../../lib/storage/mod.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import { canonicalJSON } from "../../lib/validate.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

/** `storage`, whose `claim` first awaits `before(request)`. */
function hooked(storage: Storage, before: (request: ClaimRequest) => Promise<void>): Storage {
  return new Proxy(storage, {
    get(target, key) {
      if (key === "claim") {
        return async (studyId: number, request: ClaimRequest) => {
          await before(request);
          return target.claim(studyId, request);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A second handle's storage: the same one in memory, another connection otherwise. */
async function secondStorage(storage: Storage, url: string): Promise<Storage> {
  return storage.kind === "memory" ? storage : await openStorage(url);
}

const key = (params: unknown) => canonicalJSON(params);

storageTest(
  "stored pool ask(q) racing another handle claims nothing: its claimed proposal is waiting again, the candidate asked next",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const candidates = Array.from({ length: 7 }, (_, i) => ({ x: i / 6 }));
      let race: (() => Promise<void>) | undefined;
      const a = await createStudy({
        storage: hooked(storage, async (request) => {
          // Once armed: the other handle asks just before this handle claims its first proposal.
          if (race && request.proposal) {
            const run = race;
            race = undefined;
            await run();
          }
        }),
        name: "pool",
        space,
        seed: 0,
        worker: "A",
        candidates,
        initialDesignSize: 2,
      });
      const storageB = await secondStorage(storage, url);
      const b = await createStudy({
        storage: storageB,
        name: "pool",
        space,
        worker: "B",
        candidates,
        loadIfExists: true,
      });
      try {
        for (const t of await a.ask(4)) await a.tell(t, (t.params.x - 0.35) ** 2);
        assert.equal(a.remaining, 3);
        const before = (await storage.listStudies())[0];
        let taken: Trial<{ x: number }>[] = [];
        race = async () => {
          taken = await b.ask(2);
        };
        await assert.rejects(a.ask(2), {
          name: "RangeError",
          message: "ask(2): the candidate pool has only 1 unused configuration left",
        });
        assert.equal(taken.length, 2, "the other handle asked inside the race");
        await a.refresh();
        const open = a.storedTrials.filter((t) => t.status === "running" || t.status === "waiting");
        assert.deepEqual(
          open.filter((t) => t.status === "running").map((t) => t.worker),
          ["B", "B"],
          "no trial is left running on A",
        );
        const waiting = open.filter((t) => t.status === "waiting");
        assert.equal(waiting.length, 1, "A's claimed trial is waiting again");
        const [released] = waiting;
        assert.equal(released.worker, undefined);
        assert.equal(released.heartbeat, undefined);
        assert.equal(released.startedAt, undefined);
        assert.equal(released.lost, false);
        assert.equal(released.source, "model");
        // Its candidate is no other trial's: no configuration goes to two trials.
        const held = a.storedTrials.map((t) => key(t.params));
        assert.equal(new Set(held).size, held.length);
        // Nothing counted: finished trials (the budget) as before; none lost, none failed.
        const after = (await storage.listStudies())[0];
        assert.equal(after.finished, before.finished);
        assert.deepEqual(after.counts, { waiting: 1, running: 2, complete: 4, failed: 0, lost: 0 });
        assert.equal(a.remaining, 1);
        await b.refresh();
        assert.equal(b.remaining, 1);
        // A later ask gets it (the same trial, another attempt).
        const [next] = await a.ask(1);
        assert.equal(next.id, released.number);
        assert.deepEqual(next.params, released.params);
        assert.equal(a.storedTrials[next.id].attempts, released.attempts + 1);
        await a.tell(next, 0);
        for (const t of taken) await b.tell(t, 1);
        await a.refresh();
        // Every candidate evaluated once.
        assert.deepEqual(
          a.storedTrials.map((t) => t.status),
          Array(7).fill("complete"),
        );
        assert.deepEqual(
          a.storedTrials.map((t) => key(t.params)).sort(),
          candidates.map(key).sort(),
        );
        assert.equal(a.remaining, 0);
      } finally {
        await a.close();
        await b.close();
        if (storageB !== storage) await storageB.close();
      }
    });
  },
);

storageTest(
  "stored pool ask(q) racing another handle hands a claimed waiting trial back as it was",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const candidates = Array.from({ length: 5 }, (_, i) => ({ x: i / 4 }));
      let race: (() => Promise<void>) | undefined;
      // A's claims since the race was armed.
      let claims = 0;
      const a = await createStudy({
        storage: hooked(storage, async () => {
          // Once armed, before A's second claim of its ask (its first took the waiting trial).
          if (race && ++claims === 2) {
            const run = race;
            race = undefined;
            await run();
          }
        }),
        name: "pool",
        space,
        seed: 1,
        worker: "A",
        candidates,
        initialDesignSize: 3,
        proposer: randomSearch(),
      });
      const storageB = await secondStorage(storage, url);
      const b = await createStudy({
        storage: storageB,
        name: "pool",
        space,
        worker: "B",
        candidates,
        loadIfExists: true,
        proposer: randomSearch(),
      });
      try {
        for (const t of await a.ask(2)) await a.tell(t, t.params.x);
        const initial = a.storedTrials.find((t) => t.status === "waiting")!;
        assert.equal(initial.source, "initial");
        assert.equal(a.remaining, 3);
        let taken: Trial<{ x: number }>[] = [];
        race = async () => {
          taken = await b.ask(2);
        };
        await assert.rejects(a.ask(2), {
          name: "RangeError",
          message: "ask(2): the candidate pool has only 1 unused configuration left",
        });
        assert.equal(taken.length, 2, "the other handle asked inside the race");
        await a.refresh();
        const back = a.storedTrials[initial.number];
        assert.equal(back.status, "waiting", "the initial design's trial is waiting again");
        assert.equal(back.worker, undefined);
        assert.equal(back.source, "initial");
        assert.deepEqual(back.params, initial.params);
        assert.equal(back.attempts, 1, "claimed once, by the ask that handed it back");
        assert.equal(
          a.storedTrials.filter((t) => t.status === "running" && t.worker === "A").length,
          0,
        );
        const [next] = await b.ask(1);
        assert.equal(next.id, initial.number, "the next ask, of any handle, gets it");
      } finally {
        await a.close();
        await b.close();
        if (storageB !== storage) await storageB.close();
      }
    });
  },
);

storageTest(
  "storage release: hands back the worker's running trials of the attempts given, and nothing else",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const { study } = await storage.createStudy(
        { name: "s", space: null, settings: {} },
        [0, 1, 2].map((x) => ({ params: { x }, source: "enqueued" as const })),
      );
      const claim = async (worker: string) => {
        const result = await storage.claim(study.id, { worker, leaseMs: 60_000, requeue: false });
        assert.equal(result.kind, "trial");
        return (result as { trial: { number: number; attempts: number } }).trial;
      };
      const t0 = await claim("W"), t1 = await claim("W"), t2 = await claim("V");
      await storage.failTrial(study.id, t1.number, "hung");
      const { seq } = await storage.trialsSince(study.id, 0);
      assert.deepEqual(
        await storage.release(study.id, "W", [
          { number: t0.number, attempts: t0.attempts + 1 }, // another attempt
          { number: t1.number, attempts: t1.attempts }, // failed meanwhile
          { number: t2.number, attempts: t2.attempts }, // another worker's
        ]),
        [],
      );
      const released = await storage.release(study.id, "W", [t0]);
      assert.equal(released.length, 1);
      assert.equal(released[0].number, t0.number);
      assert.equal(released[0].status, "waiting");
      assert.equal(released[0].worker, undefined);
      assert.equal(released[0].startedAt, undefined);
      assert.equal(released[0].heartbeat, undefined);
      assert.equal(released[0].attempts, 1);
      const changed = await storage.trialsSince(study.id, seq);
      assert.deepEqual(changed.trials.map((t) => [t.number, t.status]), [[t0.number, "waiting"]]);
      const after = (await storage.listStudies())[0];
      assert.equal(after.finished, 1, "the failed trial only");
      assert.deepEqual(after.counts, { waiting: 1, running: 1, complete: 0, failed: 1, lost: 0 });
      // Handed out again: another attempt.
      const again = await claim("V");
      assert.equal(again.number, t0.number);
      assert.equal(again.attempts, 2);
      assert.throws(() => storage.release(study.id, "", []), /release\.worker/);
      assert.throws(
        () => storage.release(study.id, "W", [{ number: -1, attempts: 1 }]),
        /release\.trials/,
      );
    });
  },
);
