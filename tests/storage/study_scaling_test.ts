/**
 * What a stored study's ask of random search costs does not grow with the study: the proposals'
 * counts, the sorted trials and the best trial are kept up to date as trials are read, and the
 * study record read again after each change does not parse the settings (in pool mode, every
 * candidate) again. Checked without timing, through spies on the built-in `Map` iterators and on
 * `JSON.parse`; and the state kept so, read by a handle that saw every change as it came (other
 * workers' trials, lost, queued-again, released and failed ones), is the state a fresh handle
 * reads.
 */
import assert from "node:assert/strict";
import { createStudy, loadStudy } from "../../lib/storage/mod.ts";
import { releaseClaimed, type StoredStudy } from "../../lib/storage/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(-1, 1), n: int(1, 50), c: categorical(["a", "b", "c"]) });
type P = { x: number; n: number; c: string };
const objective = (p: P) => p.x ** 2 + p.n;

/**
 * Runs `fn` with spies on the `Map` methods that walk a whole map, and returns how many calls
 * walked a map of at least `size` entries.
 */
async function walksOfMaps(size: number, fn: () => Promise<void>): Promise<number> {
  const proto = Map.prototype as unknown as Record<PropertyKey, unknown>;
  const names: PropertyKey[] = [Symbol.iterator, "values", "entries", "keys", "forEach"];
  const originals = names.map((name) => proto[name] as (...args: unknown[]) => unknown);
  let walks = 0;
  names.forEach((name, i) => {
    const original = originals[i];
    proto[name] = function (this: Map<unknown, unknown>, ...args: unknown[]) {
      if (this.size >= size) walks++;
      return original.apply(this, args);
    };
  });
  try {
    await fn();
  } finally {
    names.forEach((name, i) => proto[name] = originals[i]);
  }
  return walks;
}

storageTest("stored study: ask, tell and best walk no map of every trial", async (backend) => {
  await withStorage(backend, async (storage) => {
    const study = await createStudy<P>({
      storage,
      name: "s",
      space,
      seed: 0,
      proposer: randomSearch(),
      initialDesignSize: 2,
    });
    for (let i = 0; i < 150; i++) {
      const trial = await study.ask();
      await study.tell(trial, i % 9 === 4 ? new Error("failed") : objective(trial.params));
    }
    const walks = await walksOfMaps(150, async () => {
      for (let i = 0; i < 5; i++) {
        const trial = await study.ask();
        await study.tell(trial, objective(trial.params));
        study.best;
      }
    });
    assert.equal(walks, 0);
    await study.close();
  });
});

storageTest("stored study: an ask in pool mode parses no settings again", async (backend) => {
  await withStorage(backend, async (storage) => {
    const candidates = Array.from({ length: 200 }, (_, i) => ({
      x: i / 200,
      n: 1 + (i % 50),
      c: "abc"[i % 3],
    }));
    const study = await createStudy<P>({
      storage,
      name: "pool",
      space,
      seed: 0,
      proposer: randomSearch(),
      candidates,
      initialDesignSize: 2,
    });
    assert.equal(await settingsParses(() => askAndTell(study, 5)), 0);
    // Read when asked for, as stored.
    assert.deepEqual((study.record.settings as { candidates: unknown[] }).candidates, candidates);
    assert.equal(study.record.settings, study.record.settings);
    const again = await storage.getStudy("pool");
    assert.notEqual(again!.settings, study.record.settings);
    assert.deepEqual(again!.settings, study.record.settings);
    assert.deepEqual(JSON.parse(JSON.stringify(again)).settings, again!.settings);
    await study.close();
  });
});

storageTest(
  "storage: the settings texts kept to recognise them unchanged are a few, the latest",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const candidates = Array.from({ length: 50 }, (_, i) => ({ x: i / 50, n: 1 + i, c: "a" }));
      const options = { storage, space, seed: 0, proposer: randomSearch(), initialDesignSize: 2 };
      const study = await createStudy<P>({ ...options, name: "pool", candidates });
      for (let i = 0; i < 20; i++) await createStudy<P>({ ...options, name: `other ${i}` });
      await storage.listStudies(); // reads all 21: the pool study's text is no longer kept
      // Parsed once again, then kept.
      assert.equal(await settingsParses(() => askAndTell(study, 3)), 1);
      assert.equal(await settingsParses(() => askAndTell(study, 3)), 0);
      await study.close();
    });
  },
);

/** How many settings texts holding candidates `JSON.parse` reads while `run` runs. */
async function settingsParses(run: () => Promise<void>): Promise<number> {
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = function (text: string, reviver?: (key: string, value: unknown) => unknown) {
    if (typeof text === "string" && text.includes('"candidates"')) parses++;
    return parse(text, reviver);
  };
  try {
    await run();
  } finally {
    JSON.parse = parse;
  }
  return parses;
}

/** `n` asks, each told the objective's value. */
async function askAndTell(study: StoredStudy<P>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const trial = await study.ask();
    await study.tell(trial, objective(trial.params));
  }
}

/** What a handle knows of its study, for comparing it with a fresh handle's. */
function state(study: StoredStudy<P>) {
  let best: unknown;
  try {
    best = study.best;
  } catch (error) {
    best = (error as Error).message;
  }
  return { stored: study.storedTrials, trials: study.trials, best, remaining: study.remaining };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const pool of [false, true]) {
  storageTest(
    `stored study: a handle's trials and best are a fresh handle's${pool ? " (pool mode)" : ""}`,
    async (backend) => {
      await withStorage(backend, async (storage) => {
        const candidates = pool
          ? Array.from({ length: 40 }, (_, i) => ({ x: i / 40, n: 1 + (i % 7), c: "ab"[i % 2] }))
          : undefined;
        const options = {
          storage,
          name: "s",
          space,
          seed: 3,
          proposer: randomSearch(),
          initialDesignSize: 3,
          leaseSeconds: 0.2,
          candidates,
        };
        const a = await createStudy<P>({ ...options, worker: "a" });
        const b = await loadStudy<P>({ ...options, worker: "b" });
        for (let i = 0; i < 8; i++) {
          const h = i % 3 === 1 ? b : a;
          const trial = await h.ask();
          // Equal values: the best is the first of them.
          await h.tell(trial, i % 4 === 2 ? new Error("failed") : i % 2);
        }
        // b dies with two trials (lost, then made again); a also releases one and fails one.
        await b.ask();
        await b.ask();
        await b.close();
        const released = await a.ask();
        await releaseClaimed(a, [released]);
        const hung = await a.ask();
        await a.failTrial(hung.id, "hung");
        if (pool) await a.enqueue(hung.params); // a retry
        await sleep(500);
        for (let i = 0; i < 6; i++) {
          const trial = await a.ask();
          await a.tell(trial, i === 3 ? -1 : 0.5);
        }
        const requeue = await loadStudy<P>({ ...options, worker: "r", requeue: true });
        await requeue.ask(); // lost, queued again
        await requeue.close();
        await sleep(500);
        for (let i = 0; i < 3; i++) {
          const trial = await a.ask();
          await a.tell(trial, -1);
        }
        await a.refresh();
        const fresh = await loadStudy<P>({ ...options, worker: "f" });
        assert.deepEqual(state(a), state(fresh));
        assert.ok(a.storedTrials.some((t) => t.lost));
        assert.ok(a.record.redoneProposals !== undefined);
        await a.close();
        await fresh.close();
      });
    },
  );
}
