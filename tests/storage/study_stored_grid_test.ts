/**
 * Studies stored by earlier metahpo versions, whose on-grid check had a looser tolerance
 * (`STORED_GRID_TOLERANCE`) and whose spaces could have grids of 2^53 values: such a study is
 * resumed with its values as stored (encoded to their grid points), is experience with all its
 * trials, and what cannot be read is an error naming the storage, the study and the value.
 *
 * @module
 */
import assert from "node:assert/strict";
import { minimize } from "../../lib/smbo/minimize.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { createStudy, loadStudy, StorageError } from "../../lib/storage/mod.ts";
import { storedSpace } from "../../lib/storage/study.ts";
import { priorTasksFromStorage } from "../../lib/storage/experience.ts";
import type { Storage } from "../../lib/storage/storage.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ r: float(0, 1, { step: 1 / 3 }), w: float(0, 2, { step: 0.25 }) });
const f = (p: { r: number; w: number }) => (p.r - 0.6) ** 2 + (p.w - 1.2) ** 2;

/** The pool as an earlier version stored it: thirds written to ten digits. */
const candidates: { r: number; w: number }[] = [];
for (const r of [0, 0.3333333333, 0.6666666667, 1]) {
  for (const w of [0, 0.5, 1, 1.5, 2]) candidates.push({ r, w });
}

const settings = {
  seed: 0,
  initialDesign: "sobol",
  initialDesignSize: 5,
  failedTrials: "worst",
  leaseSeconds: 60,
  requeue: false,
};

/** Writes the "grid-pool" study as an earlier version left it: six complete trials. */
async function storeOldPoolStudy(storage: Storage): Promise<void> {
  const done = [
    { r: 1, w: 0.5 },
    { r: 0, w: 2 },
    { r: 0.6666666667, w: 1.5 },
    { r: 0.3333333333, w: 0.5 },
    { r: 0.6666666667, w: 1 },
    { r: 1, w: 2 },
  ];
  await storage.createStudy(
    { name: "grid-pool", space: space.toJSON(), settings: { ...settings, candidates } },
    done.map((params, i) => ({ params, source: i < 5 ? "initial" : "model", value: f(params) })),
  );
}

storageTest(
  "a pool study stored with grid values an earlier metahpo accepted resumes with the same call, its values as stored",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      await storeOldPoolStudy(storage);
      const result = await minimize(f, space, {
        storage,
        study: "grid-pool",
        budget: 8,
        seed: 0,
        candidates,
      });
      try {
        assert.equal(result.trials.length, 8);
        assert.deepEqual(result.trials[3].params, { r: 0.3333333333, w: 0.5 });
        for (const t of result.trials) {
          assert.ok(
            candidates.some((c) => c.r === t.params.r && c.w === t.params.w),
            JSON.stringify(t.params),
          );
        }
        assert.equal(result.study.remaining, 12);
      } finally {
        await result.study.close();
      }
      const study = await loadStudy({ storage, name: "grid-pool" });
      try {
        const trial = await study.ask();
        assert.ok(candidates.some((c) => c.r === trial.params.r && c.w === trial.params.w));
        await study.tell(trial, f(trial.params as { r: number; w: number }));
      } finally {
        await study.close();
      }
    });
  },
);

storageTest(
  "new input keeps the exact grid check: a new study's, or an off-grid value the study does not store",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      await assert.rejects(
        createStudy({ storage, name: "new", space, candidates }),
        (e: Error) =>
          e instanceof TypeError &&
          e.message.includes("options.candidates[5]: params.r: must be 0 + k * 0.333"),
      );
      await storeOldPoolStudy(storage);
      const moved = candidates.map((c, i) => i === 5 ? { ...c, r: 0.3333333334 } : c);
      await assert.rejects(
        minimize(f, space, { storage, study: "grid-pool", budget: 8, candidates: moved }),
        (e: Error) => e instanceof TypeError && e.message.includes("options.candidates[5]"),
      );
      const study = await loadStudy<{ r: number; w: number }>({ storage, name: "grid-pool" });
      try {
        // A value off the exact grid that is no stored candidate is refused; a stored candidate
        // is the study's own, as stored (see the retry test below).
        await assert.rejects(
          study.enqueue({ r: 0.3333333334, w: 1 }),
          (e: Error) => e instanceof TypeError && e.message.includes("params.r"),
        );
        await study.enqueue({ r: 0.3333333333, w: 1 });
      } finally {
        await study.close();
      }
    });
  },
);

storageTest(
  "experience keeps every trial of a study stored with grid values an earlier metahpo accepted, at their grid points",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      await storeOldPoolStudy(storage);
      const [task] = await priorTasksFromStorage(storage, space);
      assert.equal(task.trials.length, 6);
      assert.deepEqual(task.trials[3].params, { r: 1 / 3, w: 0.5 });
      assert.deepEqual(task.trials[2].params, { r: 2 / 3, w: 1.5 });
      for (const t of task.trials) space.validate(t.params);
      // A configuration outside the target space is left out, as before (rule 3).
      const narrow = defineSpace({
        r: float(0, 0.5, { step: 1 / 6 }),
        w: float(0, 2, { step: 0.25 }),
      });
      const [small] = await priorTasksFromStorage(storage, narrow);
      assert.deepEqual(small.trials.map((t) => t.params), [{ r: 0, w: 2 }, { r: 1 / 3, w: 0.5 }]);
    });
  },
);

storageTest(
  "a stored space the rules of spaces now refuse is a StorageError naming the study, the field and what to do",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const json = {
        version: 1,
        params: [
          { name: "seed", kind: "int", low: 0, high: Number.MAX_SAFE_INTEGER },
          { name: "x", kind: "float", low: 0, high: 1 },
        ],
      };
      const { study: record } = await storage.createStudy(
        { name: "seedparam", space: json, settings },
        [{ params: { seed: 5448193410072576, x: 0.7 }, source: "initial", value: 0.18 }],
      );
      await assert.rejects(
        loadStudy({ storage, name: "seedparam" }),
        (e: Error) =>
          e instanceof StorageError && e.message.includes(`storage ${storage.url}`) &&
          e.message.includes('study "seedparam": its stored space') &&
          e.message.includes("spaceJSON.params[0].high: the grid from low to high has more than") &&
          e.message.includes(`deno task studies ${url === "memory:" ? "memory:" : storage.url}`) &&
          e.message.includes("export"),
      );
      assert.throws(
        () => storedSpace(record),
        (e: Error) => e instanceof TypeError && e.message.startsWith('study "seedparam": '),
      );
      // The caller's own int(0, MAX_SAFE_INTEGER) stays an error about the caller's input.
      assert.throws(() => defineSpace({ seed: int(0, Number.MAX_SAFE_INTEGER) }), TypeError);
    });
  },
);

storageTest(
  "a stored candidate or trial that no version accepted is a StorageError naming the study, the candidate or trial and the value",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      await storage.createStudy(
        {
          name: "bad-pool",
          space: space.toJSON(),
          settings: { ...settings, candidates: [{ r: 0, w: 0 }, { r: 0.5, w: 1 }] },
        },
        [],
      );
      await assert.rejects(
        loadStudy({ storage, name: "bad-pool" }),
        (e: Error) =>
          e instanceof StorageError &&
          e.message.includes('study "bad-pool": its stored candidates[1] {"r":0.5,"w":1}') &&
          e.message.includes("params.r: must be 0 + k * 0.333") && e.message.includes("export"),
      );
      await storage.createStudy(
        {
          name: "bad-trial",
          space: space.toJSON(),
          settings: { ...settings, initialDesignSize: 0 },
        },
        [
          { params: { r: 0, w: 1 }, source: "enqueued", value: 1 },
          { params: { r: 0.5, w: 1 }, source: "enqueued", value: 2 },
        ],
      );
      await assert.rejects(
        loadStudy({ storage, name: "bad-trial" }),
        (e: Error) =>
          e instanceof StorageError &&
          e.message.includes('study "bad-trial": its stored trial 1 {"r":0.5,"w":1}'),
      );
    });
  },
);

storageTest(
  "a candidate an earlier metahpo stored off the exact grid can be enqueued again as stored once its trial failed",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      await storeOldPoolStudy(storage);
      const study = await loadStudy<{ r: number; w: number }>({ storage, name: "grid-pool" });
      try {
        const old = { r: 0.6666666667, w: 0.5 };
        await study.enqueue(old);
        const trial = await study.ask();
        assert.deepEqual(trial.params, old);
        await study.tell(trial, new Error("crashed"));
        // The retry of the failed candidate, as stored.
        await study.enqueue(old);
        assert.deepEqual((await study.ask()).params, old);
        // New input keeps the exact check: a value off the grid that is no stored candidate.
        await assert.rejects(study.enqueue({ r: 0.6666666666, w: 0.5 }), /params\.r: must be/);
      } finally {
        await study.close();
      }
    });
  },
);
