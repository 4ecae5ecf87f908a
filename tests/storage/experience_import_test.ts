/**
 * `importTaskStore` checks every task before writing anything: invalid data imports nothing and
 * the error names each task that is invalid; a storage that fails between two studies is an
 * error naming the tasks imported, skipped and not imported, which a rerun then imports.
 */
import assert from "node:assert/strict";
import { importTaskStore } from "../../lib/storage/experience.ts";
import { TaskStore } from "../../lib/meta/store.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { openStorage, type Storage, StorageError } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });
const names = async (storage: Storage) => (await storage.listStudies()).map((s) => s.name);

storageTest(
  "importTaskStore: an invalid task imports nothing, and the error names every invalid one",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const store = TaskStore.from([
        { id: "ok1", trials: [{ params: { x: 0.1 }, value: 1 }] },
        { id: "bad2", trials: [{ params: { x: 0.2 }, value: 1 }, { params: { x: 5 }, value: 1 }] },
        { id: "ok3", trials: [{ params: { x: 0.3 }, value: 1 }] },
        { id: "bad\u00004", trials: [{ params: { x: 0.4 }, value: 1 }] },
      ]);
      await assert.rejects(importTaskStore(storage, store, { space }), (error: Error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(
          error.message,
          /^importTaskStore: tasks "bad2"\.trials\[1\]\.params: params\.x/,
        );
        assert.match(error.message, /; tasks "bad\\u00004"\.id: must not contain a NUL character/);
        assert.match(error.message, /; no task was imported$/);
        return true;
      });
      assert.deepEqual(await names(storage), []);
      // Corrected, the import takes every task.
      const fixed = TaskStore.from(
        store.tasks.filter((t) => !t.id.includes("\0")).map((t) => ({
          ...t,
          trials: t.trials.filter((trial) => (trial.params.x as number) <= 1),
        })),
      );
      assert.deepEqual(await importTaskStore(storage, fixed, { space }), {
        imported: ["ok1", "bad2", "ok3"],
        skipped: [],
      });
    });
  },
);

Deno.test("importTaskStore: a storage failing between two studies is an error naming what was imported and what was not", async () => {
  const storage = await openStorage("memory:");
  let calls = 0;
  // The storage fails on its third study (e.g. a lost connection).
  const failing = new Proxy(storage, {
    get(target, key) {
      if (key === "createStudy") {
        return (...args: Parameters<Storage["createStudy"]>) =>
          ++calls === 3
            ? Promise.reject(new StorageError(target.url, "connection lost"))
            : target.createStudy(...args);
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  try {
    await importTaskStore(
      storage,
      TaskStore.from([{ id: "a", trials: [{ params: { x: 0.5 }, value: 0 }] }]),
      { space },
    );
    const store = TaskStore.from(
      ["a", "b", "c", "d"].map((id, i) => ({
        id,
        trials: [{ params: { x: i / 4 }, value: i }],
      })),
    );
    await assert.rejects(importTaskStore(failing, store, { space }), (error: Error) => {
      assert.ok(error instanceof StorageError, String(error));
      assert.equal(
        error.message,
        'storage memory:: importTaskStore: task "c" was not imported (storage memory:: ' +
          'connection lost); imported: "b"; skipped (already there): "a"; not imported: "c", ' +
          '"d" (a rerun imports them)',
      );
      return true;
    });
    assert.deepEqual(await names(storage), ["a", "b"]);
    assert.deepEqual(await importTaskStore(storage, store, { space }), {
      imported: ["c", "d"],
      skipped: ["a", "b"],
    });
  } finally {
    await storage.close();
  }
});
