/**
 * Which trials a stored study's `tell` takes: its own trial objects (from any handle of the study
 * in the process) and their copies, or a trial number; a trial object of another study is refused
 * as `SMBO` refuses it, even when its number and configuration are equal (two studies of one space
 * and seed), before its value lands on the wrong study.
 */
import assert from "node:assert/strict";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { createStudy, loadStudy, openStorage } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });
const NOT_ASKED = /^tell: trial 0 was not asked by this study/;

storageTest(
  "a stored study refuses another study's trial of the same number and configuration",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const iris = await createStudy({ storage, name: "iris", space, seed: 0 });
      const wine = await createStudy({ storage, name: "wine", space, seed: 0 });
      try {
        const tIris = await iris.ask();
        const tWine = await wine.ask();
        assert.equal(tIris.id, tWine.id);
        assert.deepEqual(tIris.params, tWine.params, "same space and seed: the same configuration");
        for (const foreign of [tIris, { ...tIris }, { id: 0, params: { ...tWine.params } }]) {
          await assert.rejects(wine.tell(foreign as typeof tWine, 0.123), {
            name: "RangeError",
            message: NOT_ASKED,
          });
        }
        await wine.refresh();
        await iris.refresh();
        assert.equal(wine.storedTrials[0].status, "running");
        assert.equal(iris.storedTrials[0].status, "running");
        // Each study's own trial is told to it.
        assert.equal((await wine.tell(tWine, 0.9)).value, 0.9);
        assert.equal((await iris.tell(tIris, 0.123)).value, 0.123);
        await iris.refresh();
        assert.equal(iris.storedTrials[0].value, 0.123);
        assert.equal(wine.storedTrials[0].value, 0.9);
      } finally {
        await iris.close();
        await wine.close();
      }
    });
  },
);

storageTest(
  "a stored study takes its own trials: copies, numbers, `trials`, and another handle's",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const a = await createStudy({ storage, name: "s", space, seed: 0, worker: "w" });
      // Another handle of the same study, on the same storage and (a file or a server) on another
      // connection of its URL, with the same worker id.
      const other = backend.name === "memory" ? storage : await openStorage(url);
      const b = await loadStudy({ storage: other, name: "s", worker: "w" });
      try {
        const t0 = await a.ask();
        assert.equal((await a.tell({ ...t0 }, 0.5)).value, 0.5);
        const t1 = await a.ask();
        assert.equal((await a.tell(t1.id, 0.25)).value, 0.25);
        const t2 = await a.ask();
        const listed = a.trials.find((t) => t.id === t2.id)!;
        assert.equal((await a.tell(listed, 0.75)).value, 0.75);
        // A trial asked by one handle, told by another handle of the study (the same worker).
        const t3 = await a.ask();
        assert.equal((await b.tell(t3, 0.125)).value, 0.125);
        await assert.rejects(a.tell(t3, 1), { name: "TrialLostError" });
        // A handle that resumes the study takes its trials by number.
        const t4 = await a.ask();
        await a.close();
        const resumed = await loadStudy({ storage, name: "s", worker: "w" });
        assert.equal((await resumed.tell(t4.id, 0.0625)).value, 0.0625);
        await resumed.close();
        // A copy with another number is not that trial.
        await assert.rejects(b.tell({ ...t0, id: 4 }, 1), {
          name: "RangeError",
          message: /^tell: trial 4 was not asked by this study/,
        });
      } finally {
        await a.close();
        await b.close();
        if (other !== storage) await other.close();
      }
    });
  },
);
