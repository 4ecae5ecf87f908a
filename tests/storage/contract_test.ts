/**
 * The storage contract, run against every backend (memory, SQLite, PostgreSQL): studies, trials,
 * attributes, exact round trips of hostile text, resume, leases, the budget and claims.
 */
import assert from "node:assert/strict";
import {
  createStudy,
  loadStudy,
  minimizeStored,
  openStorage,
  StorageError,
  TrialLostError,
} from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { type ProposalContext, randomSearch } from "../../lib/smbo/proposer.ts";
import { budgetedDesignSize, categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";
import { canonicalJSON } from "../../lib/validate.ts";

const space = defineSpace({ x: float(-2, 2), n: int(1, 10), c: categorical(["a", "b"]) });
const objective = (p: { x: number; n: number; c: string }) =>
  (p.x - 1) ** 2 + p.n / 10 + (p.c === "a" ? 0 : 1);

const HOSTILE = [
  `it's "quoted"`,
  "'; DROP TABLE studies; --",
  "'; DROP TABLE metahpo_studies; --",
  "ünïcödé ☃ 日本語 🚀 \t\n\r",
  "x".repeat(10_000) + "ü",
  "?",
  "$1",
];

storageTest("studies: create, load, load-if-exists, list, delete", async (backend) => {
  await withStorage(backend, async (storage) => {
    const a = await createStudy({ storage, name: "a", space, seed: 3, proposer: randomSearch() });
    assert.equal(a.name, "a");
    await assert.rejects(
      createStudy({ storage, name: "a", space }),
      (e: Error) => e instanceof StorageError && /already exists/.test(e.message),
    );
    const again = await createStudy({ storage, name: "a", space, loadIfExists: true });
    assert.equal(again.id, a.id);
    await assert.rejects(
      createStudy({ storage, name: "a", space, seed: 4, loadIfExists: true }),
      /options\.seed is 4, but the study was created with 3/,
    );
    await assert.rejects(
      createStudy({
        storage,
        name: "a",
        space: defineSpace({ x: float(0, 1) }),
        loadIfExists: true,
      }),
      /differs from the space/,
    );
    await assert.rejects(
      loadStudy({ storage, name: "missing" }),
      (e: Error) => e instanceof StorageError && /no study named "missing"/.test(e.message),
    );
    const loaded = await loadStudy({ storage, name: "a" });
    assert.deepEqual(
      loaded.space.encode({ x: 0, n: 5, c: "b" }),
      space.encode({ x: 0, n: 5, c: "b" }),
    );
    const t = await a.ask();
    await a.tell(t, 1.5);
    const list = await storage.listStudies();
    assert.deepEqual(list.map((s) => s.name), ["a"]);
    assert.equal(list[0].counts.complete, 1);
    assert.equal(
      list[0].counts.waiting,
      a.storedTrials.filter((s) => s.status === "waiting").length,
    );
    assert.equal(list[0].best, 1.5);
    assert.equal(await storage.deleteStudy("a"), true);
    assert.equal(await storage.deleteStudy("a"), false);
    assert.deepEqual(await storage.listStudies(), []);
  });
});

storageTest("ask/tell: values, failures and details round trip exactly", async (backend) => {
  await withStorage(backend, async (storage) => {
    const study = await createStudy({
      storage,
      name: "s",
      space,
      seed: 0,
      proposer: randomSearch(),
    });
    const values = [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 5e-324, -0];
    const told: { params: unknown }[] = [];
    for (const v of values) {
      const t = await study.ask();
      told.push(await study.tell(t, v, { seconds: 0.25 }));
    }
    const f1 = await study.ask();
    await study.tell(f1, new Error("boom"));
    const f2 = await study.ask();
    await study.tell(f2, NaN);
    await assert.rejects(study.tell(f2, 1), TrialLostError);
    await assert.rejects(study.tell(999, 1), /no trial with id 999/);
    const reread = await loadStudy({ storage, name: "s" });
    const trials = reread.trials;
    assert.equal(trials.length, 7);
    values.forEach((v, i) => {
      assert.ok(Object.is(trials[i].value, v === 0 ? 0 : v) || trials[i].value === v);
      assert.equal(trials[i].status, "complete");
      assert.equal(trials[i].seconds, 0.25);
      assert.deepEqual(trials[i].params, told[i].params);
    });
    assert.equal(trials[5].status, "failed");
    assert.equal(trials[5].error, "Error: boom");
    assert.equal(trials[6].error, "objective returned NaN");
    assert.equal(reread.best.value, -1e-300);
    await study.close();
    await reread.close();
  });
});

storageTest("hostile text round trips exactly; SQL in values is data", async (backend) => {
  await withStorage(backend, async (storage) => {
    const hostileSpace = defineSpace({
      [HOSTILE[0]]: categorical(HOSTILE),
      [HOSTILE[1]]: float(0, 1),
      [HOSTILE[3]]: int(0, 3),
    });
    for (const name of HOSTILE) {
      const study = await createStudy({
        storage,
        name,
        space: hostileSpace,
        seed: 1,
        proposer: randomSearch(),
        metaFeatures: { [HOSTILE[1]]: 1.25, [HOSTILE[3]]: NaN },
      });
      await study.setUserAttr(HOSTILE[2], { text: HOSTILE[4], list: HOSTILE });
      const params = { [HOSTILE[0]]: HOSTILE[4], [HOSTILE[1]]: 0.5, [HOSTILE[3]]: 2 };
      await study.enqueue(params as never);
      // the enqueued trial comes after the initial design: ask until it shows up
      let found;
      for (let i = 0; i < 20 && !found; i++) {
        const t = await study.ask();
        await study.setTrialUserAttr(t, HOSTILE[3], HOSTILE[4]);
        await study.tell(t, i);
        if (t.source === "enqueued") found = t;
      }
      assert.ok(found);
      await study.close();
      const back = await loadStudy({ storage, name });
      assert.equal(back.name, name);
      assert.deepEqual(back.userAttrs[HOSTILE[2]], { text: HOSTILE[4], list: HOSTILE });
      assert.equal(back.metaFeatures![HOSTILE[1]], 1.25);
      assert.ok(Number.isNaN(back.metaFeatures![HOSTILE[3]]));
      const trial = back.trials.find((t) => t.source === "enqueued")!;
      assert.deepEqual(trial.params, params);
      const stored = back.storedTrials.find((t) => t.number === trial.id)!;
      assert.equal(stored.userAttrs[HOSTILE[3]], HOSTILE[4]);
      await back.close();
    }
    const names = (await storage.listStudies()).map((s) => s.name);
    assert.deepEqual(names, HOSTILE);
  });
});

storageTest(
  "NUL: error texts round trip exactly; names, keys and workers with one are refused",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const texts = [
        "line1\u0000hidden tail",
        "a\\0b\u0000\\",
        "\u0000",
        "\uFDD0nul-escaped:x\\0", // the mark of an escaped text, without a NUL
        "plain \\0 text",
      ];
      const { study: raw } = await storage.createStudy(
        { name: "raw", space: null, settings: {} },
        texts.map((_, i) => ({ params: { i }, source: "enqueued" as const })),
      );
      for (const [i, text] of texts.entries()) {
        const claimed = await storage.claim(raw.id, {
          worker: "w",
          leaseMs: 60_000,
          requeue: false,
        });
        assert.equal(claimed.kind === "trial" && claimed.trial.number, i);
        const told = await storage.finish(raw.id, i, "w", { status: "failed", error: text });
        assert.equal(told.error, text);
      }
      assert.deepEqual((await storage.trialsSince(raw.id, 0)).trials.map((t) => t.error), texts);
      await assert.rejects(
        storage.finish(raw.id, 0, "w", { status: "complete", value: 1 }),
        {
          name: "TrialLostError",
          message: `tell: trial 0 cannot be told by worker w: it is failed (${texts[0]})`,
        },
      );
      const study = await createStudy({
        storage,
        name: "nul",
        space,
        initialDesignSize: 1,
        proposer: randomSearch(),
      });
      const told = await study.tell(await study.ask(), new Error(texts[0]));
      assert.equal(told.error, `Error: ${texts[0]}`);
      const nul = "must not contain a NUL character (U+0000)";
      await assert.rejects(createStudy({ storage, name: "run\u0000a", space }), {
        name: "TypeError",
        message: `createStudy options.name: ${nul}`,
      });
      await assert.rejects(
        storage.createStudy({ name: "run\u0000b", space: null, settings: {} }, []),
        { name: "TypeError", message: `createStudy.name: ${nul}` },
      );
      await assert.rejects(createStudy({ storage, name: "w", space, worker: "w\u00001" }), {
        name: "TypeError",
        message: `createStudy options.worker: ${nul}`,
      });
      await assert.rejects(
        storage.claim(raw.id, { worker: "w\u0000", leaseMs: 1000, requeue: false }),
        { name: "TypeError", message: `claim.worker: ${nul}` },
      );
      await assert.rejects(study.setUserAttr("k\u0000", 1), {
        name: "TypeError",
        message: `setUserAttr.key: ${nul}`,
      });
      const back = await loadStudy({ storage, name: "nul" });
      assert.equal(back.trials[0].error, `Error: ${texts[0]}`);
      assert.deepEqual(back.userAttrs, {});
      assert.deepEqual((await storage.listStudies()).map((s) => s.name), ["raw", "nul"]);
      await study.close();
      await back.close();
    });
  },
);

storageTest(
  "user attributes: values JSON cannot keep are refused by path; nothing is stored",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const study = await createStudy({
        storage,
        name: "attrs",
        space,
        initialDesignSize: 1,
        proposer: randomSearch(),
      });
      const trial = await study.ask();
      const message = (path: string, got: string) =>
        `${path}: must be a JSON value (finite number, string, boolean, null, array or object), ` +
        `got ${got}`;
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      const cases: [string, unknown, string][] = [
        ["nan", NaN, message("userAttrs.nan", "NaN")],
        ["inf", Infinity, message("userAttrs.inf", "Infinity")],
        ["arr", [1, NaN], message("userAttrs.arr[1]", "NaN")],
        ["deep", { a: [{ b: -Infinity }] }, message("userAttrs.deep.a[0].b", "-Infinity")],
        ["big", 1n, message("userAttrs.big", "a BigInt (1n)")],
        ["fn", { f: () => 1 }, message("userAttrs.fn.f", "a function")],
        ["u", undefined, message("userAttrs.u", "undefined")],
        ["hole", { x: undefined }, message("userAttrs.hole.x", "undefined")],
        ["date", new Date(0), message("userAttrs.date", "a Date")],
        ["map", new Map([[1, 2]]), message("userAttrs.map", "a Map")],
        ["cycle", cyclic, message("userAttrs.cycle.self", "a circular reference")],
      ];
      for (const [key, value, expected] of cases) {
        await assert.rejects(study.setUserAttr(key, value), {
          name: "TypeError",
          message: expected,
        });
      }
      await assert.rejects(study.setTrialUserAttr(trial, "arr", [1, Infinity]), {
        name: "TypeError",
        message: message("trial userAttrs.arr[1]", "Infinity"),
      });
      const shared = [1, "x", null, true];
      await study.setUserAttr("ok", { a: shared, b: shared, c: { d: 0.5 } });
      await study.setTrialUserAttr(trial, "ok", [shared, shared]);
      const back = await loadStudy({ storage, name: "attrs" });
      assert.deepEqual(back.userAttrs, { ok: { a: shared, b: shared, c: { d: 0.5 } } });
      assert.deepEqual(back.storedTrials[0].userAttrs, { ok: [shared, shared] });
      await study.close();
      await back.close();
    });
  },
);

storageTest(
  "a handle of a deleted study fails clearly and never touches another study",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const old = await createStudy({
        storage,
        name: "old",
        space,
        initialDesignSize: 1,
        proposer: randomSearch(),
      });
      const trial = await old.ask();
      assert.equal(await storage.deleteStudy("old"), true);
      const options = { storage, space, initialDesignSize: 2, proposer: randomSearch() };
      const fresh = await createStudy({ ...options, name: "fresh" });
      const reborn = await createStudy({ ...options, name: "old" });
      assert.ok(fresh.id > old.id && reborn.id > fresh.id);
      const gone = {
        name: "StorageError",
        message: `storage ${storage.url}: no study with id ${old.id} (was it deleted?)`,
      };
      await assert.rejects(old.ask(), gone);
      await assert.rejects(old.tell(trial, 1), gone);
      await assert.rejects(old.enqueue({ x: 0, n: 1, c: "a" }), gone);
      await assert.rejects(old.setUserAttr("k", 1), gone);
      for (const study of [fresh, reborn]) {
        const { trials } = await storage.trialsSince(study.id, 0);
        assert.deepEqual(trials.map((t) => [t.number, t.status, t.attempts]), [
          [0, "waiting", 0],
          [1, "waiting", 0],
        ]);
        assert.deepEqual((await storage.getStudy(study.name))!.userAttrs, {});
        await study.close();
      }
      await old.close();
    });
  },
);

Deno.test("a handle whose study is deleted and recreated between two reads does not switch to the new one", async () => {
  const storage = await openStorage("memory:");
  let stale = false;
  // trialsSince as read just before the deletion; the study record read after the new one exists
  const racing = new Proxy(storage, {
    get(target, key) {
      if (key === "trialsSince" && stale) return () => Promise.resolve({ trials: [], seq: -1 });
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const old = await createStudy({ storage: racing, name: "a", space, proposer: randomSearch() });
  await storage.deleteStudy("a");
  const reborn = await createStudy({ storage, name: "a", space, proposer: randomSearch() });
  stale = true;
  await assert.rejects(old.refresh(), {
    name: "StorageError",
    message: `storage memory:: no study with id ${old.id} (was it deleted?); the study named ` +
      `"a" now is a new one`,
  });
  assert.notEqual(old.id, reborn.id);
  await reborn.close();
  await old.close();
  await storage.close();
});

storageTest(
  "resume: a rerun continues the study, the initial design is not redrawn",
  async (backend) => {
    await withStorage(backend, async (_storage, url) => {
      // A short lease, kept in the study: the rerun gives the dead worker's trial up soon.
      const first = await minimize(objective, space, {
        storage: url === "memory:" ? _storage : url,
        study: "resume",
        budget: 6,
        seed: 7,
        proposer: randomSearch(),
        leaseSeconds: 0.5,
      });
      const before = first.trials;
      await first.study.close();
      // a worker that asked and died: its trial is running and its heart-beat stops
      const dying = await loadStudy({
        storage: url === "memory:" ? _storage : url,
        name: "resume",
        space,
        worker: "elsewhere/1/dead",
        proposer: randomSearch(),
      });
      const orphan = await dying.ask();
      await dying.close();
      const second = await minimize(objective, space, {
        storage: url === "memory:" ? _storage : url,
        study: "resume",
        budget: 12,
        seed: 7,
        proposer: randomSearch(),
        leaseSeconds: 0.5,
      });
      const after = second.trials;
      assert.deepEqual(after.slice(0, 6), before);
      assert.equal(after.filter((t) => t.status === "complete").length, 12);
      const lost = after.find((t) => t.id === orphan.id)!;
      assert.equal(lost.status, "failed");
      assert.match(lost.error!, /worker elsewhere\/1\/dead stopped heart-beating/);
      // the initial design, drawn when the first call created the study (its budget of 6 caps
      // the default 9 points for dim 4 at 5), the same as a fresh study with the same seed and size
      const fresh = await createStudy({
        storage: "memory:",
        name: "x",
        space,
        seed: 7,
        initialDesignSize: budgetedDesignSize(space, 6),
      });
      const design = fresh.storedTrials.filter((t) => t.source === "initial").map((t) => t.params);
      await fresh.close();
      assert.deepEqual(
        after.filter((t) => t.source === "initial").map((t) => t.params),
        design,
      );
      // a third run with the same budget does nothing
      const third = await minimize(objective, space, {
        storage: url === "memory:" ? _storage : url,
        study: "resume",
        budget: 12,
        seed: 7,
        proposer: randomSearch(),
      });
      assert.deepEqual(third.trials, after);
      await second.study.close();
      await third.study.close();
    });
  },
);

storageTest("the same seed gives the same trials on every backend", async (backend) => {
  const memory = await minimizeStored(objective, space, {
    storage: "memory:",
    study: "d",
    budget: 12,
    seed: 5,
  });
  await withStorage(backend, async (storage) => {
    const stored = await minimize(objective, space, { storage, study: "d", budget: 12, seed: 5 });
    const strip = (trials: typeof memory.trials) => trials.map(({ seconds: _, ...t }) => t);
    assert.deepEqual(strip(stored.trials), strip(memory.trials));
    await stored.study.close();
  });
  await memory.study.close();
});

storageTest("claims: budget, leases, re-queue and stale proposals", async (backend) => {
  await withStorage(backend, async (storage) => {
    const { study } = await storage.createStudy(
      { name: "c", space: null, settings: {} },
      [{ params: { x: 1 }, source: "initial" }],
    );
    const t0 = 1_000_000;
    const lease = { leaseMs: 1000, requeue: false };
    const a = await storage.claim(study.id, { worker: "w1", ...lease, budget: 2, now: t0 });
    assert.equal(a.kind, "trial");
    const b = await storage.claim(study.id, { worker: "w2", ...lease, budget: 2, now: t0 });
    assert.equal(b.kind, "propose");
    const seq = (b as { seq: number }).seq;
    const proposal = { params: { x: 2 }, source: "model" as const, basedOnSeq: seq };
    const c = await storage.claim(study.id, {
      worker: "w2",
      ...lease,
      budget: 2,
      proposal,
      now: t0,
    });
    assert.equal(c.kind, "trial");
    // the same configuration, proposed from the same snapshot by another worker: stale
    const d = await storage.claim(study.id, { worker: "w3", ...lease, proposal, now: t0 });
    assert.equal(d.kind, "stale");
    // the budget is taken by running trials
    const e = await storage.claim(study.id, { worker: "w3", ...lease, budget: 2, now: t0 });
    assert.equal(e.kind, "wait");
    await storage.finish(study.id, 1, "w2", { status: "complete", value: 0.5 });
    await storage.heartbeat(study.id, "w2", t0 + 900);
    // w1 never beat: after the lease its trial fails, naming the worker
    const f = await storage.claim(study.id, { worker: "w3", ...lease, budget: 2, now: t0 + 1500 });
    assert.equal(f.kind, "propose");
    let trials = (await storage.trialsSince(study.id, 0)).trials;
    assert.equal(trials[0].status, "failed");
    assert.equal(trials[0].lost, true);
    assert.match(trials[0].error!, /worker w1 stopped heart-beating/);
    await assert.rejects(
      storage.finish(study.id, 0, "w1", { status: "complete", value: 1 }),
      (err: Error) => err instanceof TrialLostError && /stopped heart-beating/.test(err.message),
    );
    const g = await storage.claim(study.id, {
      worker: "w3",
      ...lease,
      budget: 2,
      proposal: { params: { x: 3 }, source: "model", basedOnSeq: (f as { seq: number }).seq },
      now: t0 + 1500,
    });
    assert.equal(g.kind, "trial");
    await storage.finish(study.id, 2, "w3", { status: "failed", error: "objective failed" });
    const h = await storage.claim(study.id, { worker: "w3", ...lease, budget: 2, now: t0 + 1600 });
    assert.equal(h.kind, "done");
    // re-queue: a lost trial waits again and goes to the next worker with its number
    const i = await storage.claim(study.id, {
      worker: "w4",
      leaseMs: 1000,
      requeue: true,
      proposal: { params: { x: 4 }, source: "model", basedOnSeq: 0 },
      now: t0 + 2000,
    });
    assert.equal(i.kind, "trial");
    const number = (i as { trial: { number: number } }).trial.number;
    const j = await storage.claim(study.id, {
      worker: "w5",
      leaseMs: 1000,
      requeue: true,
      now: t0 + 3500,
    });
    assert.equal(j.kind, "trial");
    const again = (j as { trial: { number: number; attempts: number; worker?: string } }).trial;
    assert.equal(again.number, number);
    assert.equal(again.attempts, 2);
    assert.equal(again.worker, "w5");
    trials = (await storage.trialsSince(study.id, 0)).trials;
    assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, trials.length);
  });
});

storageTest("changes are read incrementally", async (backend) => {
  await withStorage(backend, async (storage) => {
    const { study } = await storage.createStudy({ name: "inc", space: null, settings: {} }, []);
    const start = await storage.trialsSince(study.id, 0);
    assert.equal(start.trials.length, 0);
    await storage.addTrials(study.id, [
      { params: { x: 1 }, source: "enqueued" },
      { params: { x: 2 }, source: "enqueued" },
    ]);
    const next = await storage.trialsSince(study.id, start.seq);
    assert.deepEqual(next.trials.map((t) => t.number), [0, 1]);
    assert.deepEqual((await storage.trialsSince(study.id, next.seq)).trials, []);
  });
});

Deno.test("openStorage: unknown URLs and a missing path are clear errors", async () => {
  await assert.rejects(openStorage("mysql://x"), /unknown storage URL "mysql:\/\/x"/);
  await assert.rejects(openStorage("sqlite:"), /storage sqlite:: needs a file path/);
  await assert.rejects(
    openStorage("sqlite:/nonexistent-dir/x/y.db"),
    (e: Error) => e instanceof StorageError && /cannot open|unable to open/i.test(e.message),
  );
});

storageTest(
  "a worker's proposer sees the other workers' running trials as pending",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const seen: number[][][] = [];
      const spy = {
        name: "spy",
        propose(context: ProposalContext, q: number) {
          seen.push(context.pending.map((p) => Array.from(p)));
          return randomSearch().propose(context, q);
        },
      };
      const a = await createStudy({
        storage,
        name: "shared",
        space,
        initialDesignSize: 0,
        proposer: randomSearch(),
        worker: "a",
      });
      const b = await loadStudy({ storage, name: "shared", space, proposer: spy, worker: "b" });
      const first = await a.ask();
      await a.tell(first, 1);
      const running = await a.ask();
      await b.ask();
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0], [Array.from(space.encode(running.params))]);
      // b's trial is told by b only
      await assert.rejects(a.tell(running.id + 1, 1), TrialLostError);
      await a.close();
      await b.close();
    });
  },
);

Deno.test("minimize: storage without a study name is a clear error; undefined options stay in memory", async () => {
  await assert.rejects(
    minimize(objective, space, { storage: "memory:", budget: 2 } as never),
    /minimize options\.study: /,
  );
  const result = await minimize(objective, space, {
    budget: 3,
    storage: undefined,
    study: undefined,
  } as never);
  assert.equal((result as { trials: unknown[] }).trials.length, 3);
  assert.equal("close" in result.study, false);
});

storageTest("workers in one process share a study through separate storages", async (backend) => {
  const url = await backend.freshUrl();
  try {
    const f = async (p: { x: number; n: number; c: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return objective(p);
    };
    const runs = await Promise.all([0, 1, 2].map((i) =>
      minimize(f, space, {
        storage: url,
        study: "together",
        budget: 30,
        seed: 0,
        worker: `w${i}`,
        proposer: randomSearch(),
      })
    ));
    for (const run of runs) await run.study.close();
    const study = await loadStudy({ storage: url, name: "together" });
    const trials = study.storedTrials;
    await study.close();
    assert.equal(trials.filter((t) => t.status === "complete").length, 30);
    assert.equal(new Set(trials.map((t) => canonicalJSON(t.params))).size, trials.length);
    assert.ok(new Set(trials.map((t) => t.worker)).size >= 2);
  } finally {
    await backend.cleanup(url);
  }
}, { backends: ["sqlite", "postgres"] });
