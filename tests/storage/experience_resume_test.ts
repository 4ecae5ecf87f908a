/**
 * A study that learns from the storage it is kept in (`transferOptionsFromStorage` spread into a
 * stored `minimize`), resumed by rerunning the same call: with its own name in `exclude` the rerun
 * proposes what the uninterrupted run proposed; a rerun whose transfer options took the stopped
 * study itself (or a study that finished meanwhile) as a past task is refused with an error that
 * names that cause and the fix, instead of resuming with other options.
 */
import assert from "node:assert/strict";
import { transferOptionsFromStorage } from "../../lib/meta/transfer.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { createStudy, openStorage, type Storage } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
const task = (s: number) => (p: { x: number; y: number }) => (p.x - s) ** 2 + (p.y - s) ** 2;

/** The cause and the fix the refusal names. */
const SELF_PRIOR =
  /A rerun resumes a study with the options it was created with: transfer options read from a storage \(transferOptionsFromStorage\) differ .* Name the study itself in `exclude`/;

/**
 * The README's call: study `name` of `storage`, learning from the storage's finished studies but
 * those in `exclude`; `stopAfter` trials stops it (as a `timeout` or a crash would).
 */
async function run(
  storage: Storage,
  name: string,
  options: { exclude?: string[]; stopAfter?: number; metaFeatures?: Record<string, number> },
): Promise<string[]> {
  let told = 0;
  const result = await minimize(task(0.75), space, {
    storage,
    study: name,
    budget: 12,
    seed: 0,
    ...(options.metaFeatures ? { metaFeatures: options.metaFeatures } : {}),
    ...(options.stopAfter ? { onTrial: () => ++told < options.stopAfter! } : {}),
    ...(await transferOptionsFromStorage(storage, space, {
      ...(options.metaFeatures ? { metaFeatures: options.metaFeatures } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
    })),
  });
  const trials = result.trials.map((t) => JSON.stringify([t.params, t.source]));
  await result.study.close();
  return trials;
}

async function pastStudies(storage: Storage, shifts: readonly number[]): Promise<void> {
  for (const [i, s] of shifts.entries()) {
    const r = await minimize(task(s), space, {
      storage,
      study: `past${i}`,
      budget: 6,
      seed: i,
      proposer: randomSearch(),
      metaFeatures: { shift: s },
    });
    await r.study.close();
  }
}

storageTest(
  "a project's first study, stopped and rerun: refused when it would learn from itself, exact when it names itself in exclude",
  async (backend) => {
    let uninterrupted: string[] = [];
    await withStorage(backend, async (storage) => {
      uninterrupted = await run(storage, "first", { exclude: ["first"] });
    });
    await withStorage(backend, async (storage) => {
      await run(storage, "first", { stopAfter: 6 });
      // The stopped study is finished: the rerun's transfer options would learn from it.
      await assert.rejects(run(storage, "first", {}), (error: Error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(
          error.message,
          /^study "first": options\.initialDesignSize is 0, but the study/,
        );
        assert.match(error.message, SELF_PRIOR);
        return true;
      });
      // Named in exclude, the rerun reads what the first run read, and resumes it exactly.
      assert.deepEqual(await run(storage, "first", { exclude: ["first"] }), uninterrupted);
    });
  },
);

storageTest(
  "a study learning from past studies, stopped and rerun: refused when it would learn from itself, exact when it names itself in exclude",
  async (backend) => {
    const metaFeatures = { shift: 0.75 };
    let uninterrupted: string[] = [];
    await withStorage(backend, async (storage) => {
      await pastStudies(storage, [0.2, 0.5, 0.8]);
      uninterrupted = await run(storage, "new", { exclude: ["new"], metaFeatures });
    });
    await withStorage(backend, async (storage) => {
      await pastStudies(storage, [0.2, 0.5, 0.8]);
      await run(storage, "new", { stopAfter: 6, metaFeatures });
      // Left in, the stopped study is its own nearest past task: another warm start.
      await assert.rejects(run(storage, "new", { metaFeatures }), (error: Error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, /^study "new": options\.initialConfigurations\[0\] is \{/);
        assert.match(error.message, SELF_PRIOR);
        return true;
      });
      assert.deepEqual(
        await run(storage, "new", { exclude: ["new"], metaFeatures }),
        uninterrupted,
      );
    });
  },
);

Deno.test("a first study resumed after another study finished in its storage: refused naming the cause; exact with both excluded", async () => {
  const storage = await openStorage("memory:");
  const other = await openStorage("memory:");
  try {
    const uninterrupted = await run(other, "first", { exclude: ["first"] });
    await run(storage, "first", { exclude: ["first"], stopAfter: 5 });
    // A colleague's study finishes before the rerun: the first study ran plain GP-BO, the
    // rerun's options would transfer from the colleague's.
    await pastStudies(storage, [0.4]);
    await assert.rejects(run(storage, "first", { exclude: ["first"] }), (error: Error) => {
      assert.match(error.message, /options\.initialDesignSize is 0, but the study was created/);
      assert.match(error.message, SELF_PRIOR);
      assert.match(error.message, /and the studies that finished since it was created/);
      return true;
    });
    assert.deepEqual(await run(storage, "first", { exclude: ["first", "past0"] }), uninterrupted);
  } finally {
    await storage.close();
    await other.close();
  }
});

Deno.test("a stored study opened again with other initial configurations is an error naming them", async () => {
  const storage = await openStorage("memory:");
  const open = (initialConfigurations?: { x: number; y: number }[], initialDesignSize?: number) =>
    createStudy({
      storage,
      name: "s",
      space,
      loadIfExists: true,
      proposer: randomSearch(),
      ...(initialConfigurations ? { initialConfigurations } : {}),
      ...(initialDesignSize !== undefined ? { initialDesignSize } : {}),
    });
  try {
    const first = [{ x: 0.1, y: 0.2 }, { x: 0.3, y: 0.4 }];
    await (await open(first, 2)).close();
    // The same ones, or none given: the study as it is.
    await (await open(first)).close();
    await (await open()).close();
    await assert.rejects(open([{ x: 0.1, y: 0.2 }, { x: 0.3, y: 0.5 }]), {
      name: "TypeError",
      message: new RegExp(
        '^study "s": options\\.initialConfigurations\\[1\\] is \\{"x":0\\.3,"y":0\\.5\\}, but ' +
          'the study was created with \\{"x":0\\.3,"y":0\\.4\\} there\\. A rerun resumes',
      ),
    });
    await assert.rejects(open(first.slice(0, 1)), {
      name: "TypeError",
      message: /options\.initialConfigurations has 1, but the study was created with 2 initial/,
    });
    await assert.rejects(open([...first, { x: 0.5, y: 0.5 }]), {
      name: "TypeError",
      message: /initialConfigurations\[2\] is .*, but the study was created with 2 initial conf/,
    });
    await assert.rejects(open([{ x: 2, y: 0 }]), {
      name: "TypeError",
      message: /^createStudy options\.initialConfigurations\[0\]: params\.x/,
    });
  } finally {
    await storage.close();
  }
});
