/**
 * `priorTaskFromStudy` on a stored study (or a stored `minimize` result) gives the task the
 * meta-features the study records, as `priorTasksFromStorage` does, unless others are given.
 */
import assert from "node:assert/strict";
import { priorTaskFromStudy } from "../../lib/meta/store.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { loadStudy, openStorage } from "../../lib/storage/mod.ts";
import { priorTasksFromStorage } from "../../lib/storage/experience.ts";

const space = defineSpace({ x: float(0, 1) });

Deno.test("priorTaskFromStudy: a stored study's recorded meta-features, as priorTasksFromStorage gives them", async () => {
  const storage = await openStorage("memory:");
  try {
    const result = await minimize((p) => 1 - p.x, space, {
      storage,
      study: "past",
      budget: 4,
      proposer: randomSearch(),
      direction: "maximize",
      metaFeatures: { rows: 150, skew: NaN },
    });
    const [fromStorage] = await priorTasksFromStorage(storage, space);
    const study = await loadStudy({ storage, name: "past" });
    for (const like of [study, result]) {
      const task = priorTaskFromStudy("past", like);
      assert.deepEqual(task.metaFeatures, { rows: 150, skew: NaN });
      assert.deepEqual(task, fromStorage);
    }
    // Given meta-features win.
    assert.deepEqual(
      priorTaskFromStudy("past", study, { metaFeatures: { rows: 1 } }).metaFeatures,
      { rows: 1 },
    );
    await study.close();
    await result.study.close();
    // A study without recorded meta-features, and an in-memory result: none.
    const plain = await minimize((p) => p.x, space, {
      storage,
      study: "plain",
      budget: 2,
      proposer: randomSearch(),
    });
    assert.equal(priorTaskFromStudy("plain", plain).metaFeatures, undefined);
    await plain.study.close();
    const inMemory = await minimize((p) => p.x, space, { budget: 2, proposer: randomSearch() });
    assert.equal(priorTaskFromStudy("memory", inMemory).metaFeatures, undefined);
  } finally {
    await storage.close();
  }
});
