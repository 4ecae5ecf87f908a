/**
 * Meta-features of a stored study take what `transferOptions` takes: finite numbers, or NaN or
 * null (as JSON writes NaN) for an unavailable one, kept as NaN; ±Infinity and other values are
 * errors naming the meta-feature, worded as `transferOptions` words them.
 */
import assert from "node:assert/strict";
import { priorTasksFromStorage } from "../../lib/storage/experience.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { createStudy, loadStudy } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });
/** Meta-features as `extractMetaFeatures` gives them after a trip through JSON. */
const fromJson = () => JSON.parse('{"a": null, "b": 2}') as Record<string, number>;

storageTest(
  "stored studies take null meta-features as unavailable (NaN), as transferOptions does",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const run = (metaFeatures: Record<string, number>, budget: number) =>
        minimize((p) => p.x, space, {
          storage,
          study: "s",
          budget,
          proposer: randomSearch(),
          metaFeatures,
        });
      const first = await run(fromJson(), 2);
      assert.deepEqual(first.study.metaFeatures, { a: NaN, b: 2 });
      await first.study.close();
      // Resumed with the same meta-features, null or NaN.
      for (const metaFeatures of [fromJson(), { a: NaN, b: 2 }]) {
        const again = await run(metaFeatures, 3);
        assert.deepEqual(again.study.metaFeatures, { a: NaN, b: 2 });
        await again.study.close();
      }
      const [task] = await priorTasksFromStorage(storage, space);
      assert.deepEqual(task.metaFeatures, { a: NaN, b: 2 });

      const created = await createStudy({ storage, name: "t", space, metaFeatures: fromJson() });
      assert.deepEqual(created.metaFeatures, { a: NaN, b: 2 });
      await created.setMetaFeatures(JSON.parse('{"c": null}'));
      assert.deepEqual(created.metaFeatures, { c: NaN });
      await created.close();
      const loaded = await loadStudy({
        storage,
        name: "t",
        metaFeatures: JSON.parse('{"c": null}'),
      });
      assert.deepEqual(loaded.metaFeatures, { c: NaN });
      await loaded.close();
    });
  },
);

Deno.test("stored studies refuse ±Infinity and other values as meta-features, naming them", async () => {
  const message = (label: string) =>
    new RegExp(`^${label}\\.a: must be a finite number, NaN or null`);
  await assert.rejects(
    minimize((p) => p.x, space, {
      storage: "memory:",
      study: "s",
      budget: 2,
      metaFeatures: { a: Infinity },
    }),
    { name: "TypeError", message: message("minimize options\\.metaFeatures") },
  );
  await assert.rejects(
    createStudy({ name: "s", space, metaFeatures: { a: "1" } as never }),
    { name: "TypeError", message: message("createStudy options\\.metaFeatures") },
  );
  const study = await createStudy({ name: "s", space });
  try {
    await assert.rejects(study.setMetaFeatures({ a: -Infinity }), {
      name: "TypeError",
      message: message("setMetaFeatures\\.metaFeatures"),
    });
    assert.equal(study.metaFeatures, undefined);
  } finally {
    await study.close();
  }
});
