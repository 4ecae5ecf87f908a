/**
 * A stored study in pool mode: a failed trial keeps its candidate (proposals never make it again),
 * and `enqueue` of that candidate retries it (README, "Failing a trial by number"), on every
 * backend; a candidate that a waiting, running or complete trial holds, or a configuration that is
 * no candidate, is still refused.
 */
import assert from "node:assert/strict";
import { createStudy, openStorage, type Storage } from "../../lib/storage/mod.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: int(0, 9) });
const candidates = [0, 1, 2, 3].map((x) => ({ x }));

storageTest(
  "pool mode: enqueue retries a candidate failed by number, and proposals never make it again",
  (backend) =>
    withStorage(backend, async (storage) => {
      const study = await createStudy({
        storage,
        name: "p",
        space,
        seed: 0,
        proposer: randomSearch(),
        candidates,
        initialDesignSize: 1,
      });
      const hung = await study.ask();
      assert.equal(study.remaining, 3);
      await study.failTrial(hung.id, "hung for 2 hours");
      assert.equal(study.remaining, 3, "a failed trial keeps its candidate");
      // Proposals never make the failed candidate again.
      const rest = await study.ask(3);
      assert.deepEqual(
        [hung, ...rest].map((t) => t.params.x).sort(),
        [0, 1, 2, 3],
      );
      for (const t of rest) await study.tell(t, t.params.x);
      assert.equal(study.remaining, 0);
      await assert.rejects(study.ask(), /has only 0 unused configurations left/);
      // The retry.
      await study.enqueue(hung.params);
      assert.equal(study.remaining, 1);
      const retry = await study.ask();
      assert.deepEqual(retry.params, hung.params);
      assert.equal(retry.source, "enqueued");
      assert.equal(study.remaining, 0);
      // While the retry runs, and once it completed, the candidate is taken.
      await assert.rejects(study.enqueue(hung.params), {
        name: "RangeError",
        message: `enqueue: in pool mode the configuration must be an unused candidate; ` +
          `{"x":${hung.params.x}} is taken by trial ${hung.id} (failed), trial ${retry.id} ` +
          "(running)",
      });
      await study.tell(retry, 0.5);
      await assert.rejects(study.enqueue(hung.params), /taken by .*\(complete\)/);
      assert.deepEqual(
        study.trials.map((t) => [t.params.x, t.status]).filter(([x]) => x === hung.params.x),
        [[hung.params.x, "failed"], [hung.params.x, "complete"]],
      );
      await study.close();
    }),
);

storageTest(
  "pool mode: enqueue retries a candidate whose objective failed, once at a time",
  (backend) =>
    withStorage(backend, async (storage) => {
      const study = await createStudy({
        storage,
        name: "p",
        space,
        seed: 1,
        proposer: randomSearch(),
        candidates,
        initialDesignSize: 1,
      });
      const first = await study.ask();
      // Running: not a retry.
      await assert.rejects(study.enqueue(first.params), /taken by trial 0 \(running\)/);
      await study.tell(first, new Error("boom"));
      await study.enqueue(first.params);
      assert.equal(study.remaining, 4);
      // Waiting: the retry is queued already.
      await assert.rejects(
        study.enqueue(first.params),
        /taken by trial 0 \(failed\), trial 1 \(waiting\)/,
      );
      const retry = await study.ask();
      assert.deepEqual(retry.params, first.params);
      // A retry that fails can be retried again.
      await study.tell(retry, new Error("boom again"));
      await study.enqueue(first.params);
      assert.deepEqual((await study.ask()).params, first.params);
      // No candidate at all, however close: refused as before.
      await assert.rejects(study.enqueue({ x: 7 }), /\{"x":7\} is not one of the candidates/);
      await study.close();
    }),
);

storageTest(
  "pool mode: enqueue of no candidate says so, without the hint about initial configurations",
  (backend) =>
    withStorage(backend, async (storage) => {
      const options = { storage, space, seed: 0, proposer: randomSearch(), candidates };
      const study = await createStudy({ ...options, name: "p" });
      await assert.rejects(study.enqueue({ x: 7 }), {
        name: "RangeError",
        message: 'enqueue: in pool mode the configuration must be an unused candidate; {"x":7} ' +
          "is not one of the candidates",
      });
      await study.close();
      // An initial configuration that is none keeps its usual cause.
      await assert.rejects(
        createStudy({ ...options, name: "q", initialConfigurations: [{ x: 7 }] }),
        {
          name: "RangeError",
          message: "createStudy options.initialConfigurations[0]: in pool mode it must be an " +
            "unused candidate; it is not one of the candidates (initial configurations from " +
            "transferOptions need the same candidates: pass them to transferOptions too)",
        },
      );
    }),
);

/** `storage`, whose `addTrials` first awaits `before()` (once). */
function hookedAddTrials(storage: Storage, before: () => Promise<void>): Storage {
  let hook: (() => Promise<void>) | undefined = before;
  return new Proxy(storage, {
    get(target, key) {
      if (key === "addTrials") {
        return async (...args: Parameters<Storage["addTrials"]>) => {
          const run = hook;
          hook = undefined;
          await run?.();
          return target.addTrials(...args);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

storageTest(
  "pool mode: two handles retrying the same failed candidate at once do not both succeed",
  (backend) =>
    withStorage(backend, async (storage, url) => {
      const a = await createStudy({
        storage,
        name: "p",
        space,
        seed: 0,
        proposer: randomSearch(),
        candidates,
        initialDesignSize: 1,
      });
      const failed = await a.ask();
      await a.tell(failed, new Error("boom"));
      const other = storage.kind === "memory" ? storage : await openStorage(url);
      const b = await createStudy({
        storage: hookedAddTrials(other, () => a.enqueue(failed.params)),
        name: "p",
        space,
        loadIfExists: true,
      });
      try {
        // b checks, then a enqueues the retry, then b's transaction refuses its own.
        await assert.rejects(
          b.enqueue(failed.params),
          /taken by trial 0 \(failed\), trial 1 \(waiting\)/,
        );
        await a.refresh();
        assert.deepEqual(
          a.storedTrials.map((t) => [t.number, t.status, t.source]),
          [[0, "failed", "initial"], [1, "waiting", "enqueued"]],
        );
      } finally {
        await b.close();
        if (other !== storage) await other.close();
        await a.close();
      }
    }),
);

storageTest(
  "pool mode: initial configurations that are no candidate say so",
  (backend) =>
    withStorage(backend, async (storage) => {
      const pooled = { storage, space: defineSpace({ x: float(0, 1) }), candidates: [{ x: 0.5 }] };
      await assert.rejects(
        createStudy({ ...pooled, name: "a", initialConfigurations: [{ x: 0.3 }] }),
        (error: Error) =>
          error.message.endsWith(
            "initialConfigurations[0]: in pool mode it must be an unused candidate; it is not " +
              "one of the candidates (initial configurations from transferOptions need the " +
              "same candidates: pass them to transferOptions too)",
          ),
      );
      // Listed once, given twice: taken, without the hint.
      await assert.rejects(
        createStudy({ ...pooled, name: "b", initialConfigurations: [{ x: 0.5 }, { x: 0.5 }] }),
        /initialConfigurations\[1\]: in pool mode it must be an unused candidate$/,
      );
    }),
  { backends: ["memory"] },
);
