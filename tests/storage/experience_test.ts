/**
 * Finished studies as experience: which studies become prior tasks, meta-features recorded with
 * a study, transfer from a storage, and TaskStore JSON imported into a storage.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { importTaskStore, priorTasksFromStorage } from "../../lib/storage/experience.ts";
import { createStudy, openStorage } from "../../lib/storage/mod.ts";
import { transferOptions, transferOptionsFromStorage } from "../../lib/meta/transfer.ts";
import { TaskStore } from "../../lib/meta/store.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1), k: int(1, 5) });
const task = (c: number) => (p: { x: number; k: number }) => (p.x - c) ** 2 + p.k / 10;

Deno.test("priorTasksFromStorage: finished studies with a compatible space, with meta-features", async () => {
  const storage = await openStorage("memory:");
  for (const [name, c] of [["a", 0.2], ["b", 0.25]] as const) {
    const r = await minimize(task(c), space, {
      storage,
      study: name,
      budget: 8,
      proposer: randomSearch(),
      metaFeatures: { size: c * 1000, classes: 2 },
    });
    await r.study.close();
  }
  // recorded after the run, with setMetaFeatures; wider bounds are compatible
  const wide = await minimize(task(0.3), defineSpace({ x: float(-1, 2), k: int(0, 9) }), {
    storage,
    study: "c",
    budget: 8,
    proposer: randomSearch(),
  });
  await wide.study.setMetaFeatures({ size: 300, classes: 3 });
  await wide.study.close();
  // other parameter kinds: incompatible
  const other = await minimize((p) => p.x, defineSpace({ x: float(0, 1), k: float(1, 5) }), {
    storage,
    study: "other",
    budget: 3,
    proposer: randomSearch(),
  });
  await other.study.close();
  // unfinished: a trial is still running
  const open = await createStudy({ storage, name: "open", space, proposer: randomSearch() });
  await open.tell(await open.ask(), 1);
  await open.ask();
  // finished but without meta-features
  const plain = await minimize(task(0.9), space, {
    storage,
    study: "plain",
    budget: 4,
    proposer: randomSearch(),
  });
  await plain.study.close();

  const all = await priorTasksFromStorage(storage, space);
  assert.deepEqual(all.map((t) => t.id), ["a", "b", "c", "plain"]);
  // only the trials the target space accepts
  const c = all.find((t) => t.id === "c")!;
  for (const t of c.trials) {
    assert.ok((t.params.x as number) >= 0 && (t.params.x as number) <= 1);
    assert.ok((t.params.k as number) >= 1 && (t.params.k as number) <= 5);
  }
  assert.deepEqual(all[0].metaFeatures, { size: 200, classes: 2 });
  const withMf = await priorTasksFromStorage(storage, space, {
    metaFeatures: { size: 220, classes: 2 },
    exclude: ["b"],
  });
  // Meta-features select no study: "plain" (none recorded) is taken, its meta-features unavailable.
  assert.deepEqual(withMf.map((t) => t.id), ["a", "c", "plain"]);
  assert.deepEqual(await priorTasksFromStorage(storage, defineSpace({ y: float(0, 1) })), []);

  // transfer from the storage into a new study in the same storage
  const setup = await transferOptionsFromStorage(storage, space, {
    strategy: "warm-start",
    metaFeatures: { size: 210, classes: 2 },
    warmStart: 2,
  });
  assert.equal(setup.initialConfigurations.length, 2);
  const best = (ts: typeof all) =>
    ts.map((t) => t.trials.reduce((m, x) => x.value < m.value ? x : m));
  const bestOfNearest = best(withMf.filter((t) => t.id === "a"))[0].params;
  assert.deepEqual(setup.initialConfigurations[0], bestOfNearest);
  const result = await minimize(task(0.22), space, {
    storage,
    study: "new",
    budget: 6,
    seed: 0,
    ...await transferOptionsFromStorage(storage, space, { strategy: "rgpe", exclude: ["new"] }),
  });
  assert.equal(result.trials[0].source, "enqueued");
  assert.equal(result.trials.length, 6);
  await result.study.close();
  await open.close();
  await storage.close();
});

Deno.test("priorTasksFromStorage and transferOptionsFromStorage take a storage URL, open it and close it", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/tune.db`;
  try {
    const past = await minimize(task(0.2), space, {
      storage: url,
      study: "past",
      budget: 6,
      proposer: randomSearch(),
    });
    await past.study.close();
    const tasks = await priorTasksFromStorage(url, space);
    assert.deepEqual(tasks.map((t) => t.id), ["past"]);
    assert.equal(tasks[0].trials.length, 6);
    const setup = await transferOptionsFromStorage(url, space, {
      strategy: "warm-start",
      warmStart: 1,
    });
    assert.equal(setup.initialConfigurations.length, 1);
    // the storage was closed: a study in it runs on
    const next = await minimize(task(0.25), space, {
      storage: url,
      study: "next",
      budget: 3,
      seed: 0,
      ...await transferOptionsFromStorage(url, space, { exclude: ["next"] }),
    });
    assert.equal(next.trials[0].source, "enqueued");
    await next.study.close();
    await assert.rejects(
      transferOptionsFromStorage("memory:", space, { requirePriorTasks: true }),
      /storage memory: has no finished study/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transferOptions refuses a storage or a storage URL, naming transferOptionsFromStorage", async () => {
  const storage = await openStorage("memory:");
  try {
    const past = await minimize(task(0.2), space, {
      storage,
      study: "past",
      budget: 4,
      proposer: randomSearch(),
    });
    await past.study.close();
    const refused = (e: unknown) =>
      e instanceof TypeError &&
      e.message.startsWith("transferOptions.prior: ") &&
      e.message.includes("await transferOptionsFromStorage(");
    // Synchronous: spreading its result without `await` can no longer drop the transfer, and
    // the type of the storage form is an error.
    // @ts-expect-error a storage is read by transferOptionsFromStorage
    assert.throws(() => transferOptions(storage, space, { strategy: "warm-start" }), refused);
    // @ts-expect-error so is a storage URL
    assert.throws(() => transferOptions("memory:", space), refused);
    // The asynchronous form gives what the storage form gave.
    const setup = await transferOptionsFromStorage(storage, space, { strategy: "warm-start" });
    assert.equal(setup.initialConfigurations.length, 1);
    await assert.rejects(
      // @ts-expect-error past tasks in memory go to transferOptions
      transferOptionsFromStorage([], space),
      /^TypeError: transferOptionsFromStorage\.storage: must be a storage or a storage URL/,
    );
  } finally {
    await storage.close();
  }
});

Deno.test("transfer from a storage matches meta-features by name as a TaskStore does", async () => {
  const storage = await openStorage("memory:");
  try {
    const studies = [["a", 0.2, { m: 1, extra: 5 }], ["b", 0.7, { m: 2 }], ["c", 0.4, undefined]];
    for (const [name, c, metaFeatures] of studies as [string, number, { m: number }?][]) {
      const r = await minimize(task(c), space, {
        storage,
        study: name,
        budget: 5,
        seed: 0,
        proposer: randomSearch(),
        ...(metaFeatures ? { metaFeatures } : {}),
      });
      await r.study.close();
    }
    const tasks = await priorTasksFromStorage(storage, space);
    const store = TaskStore.from(tasks);
    // No study has any of the names: an error, as from the TaskStore of the same tasks.
    const other = { strategy: "rgpe", metaFeatures: { other: 1 } } as const;
    assert.throws(() => transferOptions(store, space, other), /no prior task has any/);
    await assert.rejects(
      transferOptionsFromStorage(storage, space, other),
      (e) =>
        e instanceof RangeError &&
        e.message.startsWith("transferOptionsFromStorage(memory:).options.metaFeatures: ") &&
        /no prior task has any of these meta-features \('other'\)/.test(e.message),
    );
    await assert.rejects(
      priorTasksFromStorage(storage, space, { metaFeatures: { other: 1 } }),
      /^RangeError: priorTasksFromStorage\(memory:\)\.options\.metaFeatures: no prior task has any/,
    );
    // Errors name the function called, not the one it reads the past tasks through.
    await assert.rejects(
      transferOptionsFromStorage(storage, space, { exclude: "a" as never }),
      /^TypeError: transferOptionsFromStorage options\.exclude: /,
    );
    await assert.rejects(
      transferOptionsFromStorage(storage, {} as never),
      /^TypeError: transferOptionsFromStorage\.space: must have a JSON form/,
    );
    // A new task with more names than the studies recorded (a superset), or fewer: every study
    // is taken and the transfer is the TaskStore's.
    const names: Record<string, number>[] = [{ m: 1.2, n_rows: 10 }, { m: 1.9 }, { extra: 4 }];
    for (const metaFeatures of names) {
      const listed = await priorTasksFromStorage(storage, space, { metaFeatures });
      assert.deepEqual(listed.map((t) => t.id), ["a", "b", "c"]);
      for (const strategy of ["warm-start", "rgpe", "config-model"] as const) {
        const options = { strategy, metaFeatures, warmStart: 2, seed: 0 };
        const fromStorage = await transferOptionsFromStorage(storage, space, options);
        const fromStore = transferOptions(store, space, options);
        assert.equal(fromStorage.initialConfigurations.length, 2);
        assert.deepEqual(fromStorage.initialConfigurations, fromStore.initialConfigurations);
      }
    }
    // The nearest study by m comes first.
    const nearest = await transferOptionsFromStorage(storage, space, {
      strategy: "warm-start",
      metaFeatures: { m: 1.9, n_rows: 10 },
      warmStart: 1,
    });
    const bestOf = (id: string) =>
      tasks.find((t) => t.id === id)!.trials.reduce((m, x) => x.value < m.value ? x : m).params;
    assert.deepEqual(nearest.initialConfigurations, [bestOf("b")]);
  } finally {
    await storage.close();
  }
});

Deno.test("importTaskStore: a TaskStore's JSON becomes finished studies, read back exactly", async () => {
  const storage = await openStorage("memory:");
  const store = TaskStore.from([
    {
      id: "iris",
      trials: [{ params: { x: 0.1, k: 2 }, value: 0.3 }, { params: { x: 0.7, k: 4 }, value: 0.1 }],
      metaFeatures: { n_rows: 150, skew: NaN },
    },
    { id: "wine", trials: [{ params: { x: 0.5, k: 1 }, value: 1e-9 }] },
  ]);
  const first = await importTaskStore(storage, JSON.parse(JSON.stringify(store.toJSON())), {
    space,
  });
  assert.deepEqual(first, { imported: ["iris", "wine"], skipped: [] });
  assert.deepEqual(await importTaskStore(storage, store, { space }), {
    imported: [],
    skipped: ["iris", "wine"],
  });
  const back = TaskStore.from(await priorTasksFromStorage(storage, space));
  assert.deepEqual(back.toJSON(), store.toJSON());
  await assert.rejects(
    importTaskStore(
      storage,
      TaskStore.from([{ id: "bad", trials: [{ params: { x: 3, k: 1 }, value: 1 }] }]),
      {
        space,
      },
    ),
    /tasks "bad".trials\[0\].params/,
  );
  await storage.close();
});

Deno.test("importTaskStore takes a storage URL, opens it and closes it; anything else names storage", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/import.db`;
  const store = TaskStore.from([{
    id: "iris",
    trials: [{ params: { x: 0.2, k: 1 }, value: 0.1 }],
  }]);
  try {
    assert.deepEqual(await importTaskStore(url, store, { space }), {
      imported: ["iris"],
      skipped: [],
    });
    // the storage was closed: the import is there for the next reader, and a rerun skips it
    assert.deepEqual((await priorTasksFromStorage(url, space)).map((t) => t.id), ["iris"]);
    assert.deepEqual(await importTaskStore(url, store, { space }), {
      imported: [],
      skipped: ["iris"],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (const storage of [undefined, null, {}, 3]) {
    await assert.rejects(
      importTaskStore(storage as never, store, { space }),
      /^TypeError: importTaskStore\.storage: must be a storage or a storage URL/,
    );
    await assert.rejects(
      priorTasksFromStorage(storage as never, space),
      /^TypeError: priorTasksFromStorage\.storage: must be a storage or a storage URL/,
    );
  }
});

Deno.test("a parameter and a meta-feature named __proto__ survive storage, TaskStore and transfer", async () => {
  const hostile = defineSpace(
    Object.fromEntries([["__proto__", float(0, 1)], ["constructor", int(1, 5)]]),
  );
  const f = (p: Record<string, unknown>) =>
    ((p["__proto__"] as number) - 0.3) ** 2 + (p["constructor"] as number) / 10;
  const storage = await openStorage("memory:");
  const metaFeatures = JSON.parse('{"__proto__": 1, "rows": 2}');
  const past = await minimize(f, hostile, {
    storage,
    study: "past",
    budget: 6,
    seed: 1,
    proposer: randomSearch(),
    metaFeatures,
  });
  assert.deepEqual(Object.keys(past.study.metaFeatures!), ["__proto__", "rows"]);
  for (const t of past.trials) {
    assert.deepEqual(Object.keys(t.params), ["__proto__", "constructor"]);
  }
  await past.study.close();
  const [prior] = await priorTasksFromStorage(storage, hostile, { metaFeatures });
  assert.equal(prior.trials.length, 6);
  for (const t of prior.trials) assert.equal(typeof t.params["__proto__"], "number");
  // through a TaskStore and its JSON, into another storage, and back out as transfer options
  const store = TaskStore.fromJSON(JSON.parse(JSON.stringify(TaskStore.from([prior]).toJSON())));
  assert.deepEqual(Object.keys(store.tasks[0].trials[0].params), ["__proto__", "constructor"]);
  const other = await openStorage("memory:");
  await importTaskStore(other, store, { space: hostile });
  const options = await transferOptionsFromStorage(other, hostile, { strategy: "rgpe" });
  const result = await minimize(f, hostile, { budget: 8, seed: 0, ...options });
  assert.equal(result.trials.filter((t) => t.status === "complete").length, 8);
  for (const t of result.trials) assert.ok(hostile.contains(t.params));
  await storage.close();
  await other.close();
});

Deno.test('transfer from a storage: a study run with direction "maximize" gives the prior task a minimising study of −f gives', async () => {
  const score = (c: number) => (p: { x: number; k: number }) => 1 - task(c)(p);
  const stores = [await openStorage("memory:"), await openStorage("memory:")];
  const [maximising, minimising] = stores;
  try {
    for (const [name, c] of [["a", 0.2], ["b", 0.6]] as const) {
      const common = { study: name, budget: 8, seed: 1, metaFeatures: { size: 1000 * c } };
      const max = await minimize(score(c), space, {
        ...common,
        storage: maximising,
        direction: "maximize",
      });
      const min = await minimize((p) => -score(c)(p), space, { ...common, storage: minimising });
      await max.study.close();
      await min.study.close();
    }
    const fromMax = await priorTasksFromStorage(maximising, space);
    const fromMin = await priorTasksFromStorage(minimising, space);
    assert.equal(fromMax.length, 2);
    // Lower is better in both: the maximised scores come negated.
    assert.deepEqual(fromMax, fromMin);
    assert.ok(fromMax[0].trials.every((t) => t.value < 0));
    // The same transfer, whichever way the past studies (and the new one) ran.
    const options = { strategy: "rgpe", metaFeatures: { size: 300 }, exclude: ["new"] } as const;
    const [setupMax, setupMin] = [
      await transferOptionsFromStorage(maximising, space, options),
      await transferOptionsFromStorage(minimising, space, options),
    ];
    assert.deepEqual(setupMax.initialConfigurations, setupMin.initialConfigurations);
    const common = { study: "new", budget: 7, seed: 0 };
    const newMax = await minimize(score(0.3), space, {
      ...common,
      storage: maximising,
      direction: "maximize",
      ...setupMax,
    });
    const newMin = await minimize((p) => -score(0.3)(p), space, {
      ...common,
      storage: minimising,
      ...setupMin,
    });
    assert.deepEqual(newMax.trials.map((t) => t.params), newMin.trials.map((t) => t.params));
    assert.ok(newMax.trials.some((t) => t.source === "model"));
    await newMax.study.close();
    await newMin.study.close();
  } finally {
    for (const storage of stores) await storage.close();
  }
});

Deno.test("importTaskStore: an import interrupted mid-study leaves no partial study; a rerun imports it whole", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  const url = `sqlite:${path}`;
  const x = defineSpace({ x: float(0, 1) });
  const store = TaskStore.from([
    { id: "small", trials: [{ params: { x: 0.5 }, value: 1 }] },
    {
      id: "big",
      trials: Array.from({ length: 1000 }, (_, i) => ({ params: { x: i / 1000 }, value: i })),
    },
  ]);
  try {
    await (await openStorage(url)).close();
    // The interruption: the 501st trial of "big" cannot be completed (inserted complete, or told).
    const db = new DatabaseSync(path);
    for (const event of ["INSERT", "UPDATE"]) {
      db.exec(
        `CREATE TRIGGER interrupt_${event} BEFORE ${event} ON metahpo_trials ` +
          "WHEN NEW.number = 500 AND NEW.status = 'complete' " +
          "BEGIN SELECT RAISE(ABORT, 'interrupted'); END",
      );
    }
    const storage = await openStorage(url);
    await assert.rejects(importTaskStore(storage, store, { space: x }), /interrupted/);
    assert.deepEqual((await storage.listStudies()).map((s) => [s.name, s.counts.complete]), [
      ["small", 1],
    ]);
    db.exec("DROP TRIGGER interrupt_INSERT; DROP TRIGGER interrupt_UPDATE");
    db.close();
    assert.deepEqual(await importTaskStore(storage, store, { space: x }), {
      imported: ["big"],
      skipped: ["small"],
    });
    const big = (await storage.listStudies()).find((s) => s.name === "big")!;
    assert.deepEqual(big.counts, { waiting: 0, running: 0, complete: 1000, failed: 0, lost: 0 });
    assert.equal(big.finished, 1000);
    const prior = await priorTasksFromStorage(storage, x);
    assert.deepEqual(
      prior.find((t) => t.id === "big")!.trials,
      store.tasks.find((t) => t.id === "big")!.trials,
    );
    await storage.close();
  } finally {
    for (const s of ["", "-wal", "-shm"]) await Deno.remove(path + s).catch(() => {});
  }
});
