/**
 * A claim the database lost (acknowledged, then gone in a server crash) never lets a value land
 * on another configuration: claims commit durably on PostgreSQL, a tell checks that its trial
 * number still holds the configuration (and attempt) it claimed, and a stored `minimize` whose
 * trial was lost or given again records it as lost and goes on. The crash is simulated by
 * deleting the claimed trial's row behind the study's back.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createStudy, loadStudy, TrialLostError } from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { type Backend, postgresAdmin, storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

/** Runs SQL on the database of `url` (a SQLite file, or a PostgreSQL test schema). */
async function exec(backend: Backend, url: string, sql: string): Promise<unknown[]> {
  if (backend.name === "sqlite") {
    const db = new DatabaseSync(url.slice("sqlite:".length));
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  }
  const schema = new URL(url).searchParams.get("schema")!;
  return await postgresAdmin(async (run) => {
    await run(`SET search_path TO "${schema}"`);
    return await run(sql);
  });
}

/** What a server crash does to an acknowledged claim that was not durable: it is gone. */
function loseRunningTrials(backend: Backend, url: string) {
  return exec(backend, url, "DELETE FROM metahpo_trials WHERE status = 'running'");
}

storageTest(
  "a lost claim whose number is given again: the stale tell is refused, nothing is misrecorded",
  async (backend) => {
    const url = await backend.freshUrl();
    try {
      const study = await createStudy({
        storage: url,
        name: "s",
        space,
        initialDesignSize: 0,
        proposer: randomSearch(),
        seed: 1,
      });
      const a = await study.ask();
      await loseRunningTrials(backend, url);
      const b = await study.ask();
      assert.equal(b.id, a.id); // the number is given again ...
      assert.notEqual(b.params.x, a.params.x); // ... to another configuration
      await assert.rejects(study.tell(a, 111), (e: Error) => {
        assert.ok(e instanceof TrialLostError, String(e));
        assert.match(e.message, /^tell: trial 0 now holds another configuration \(\{"x":/);
        assert.match(e.message, /its claim was lost \(e\.g\. in a database server crash\)/);
        return true;
      });
      // The stale tell left the current claim running (and heart-beating): it is told normally.
      await study.tell(b, 222);
      await study.close();
      const reread = await loadStudy({ storage: url, name: "s" });
      assert.deepEqual(
        reread.storedTrials.map((t) => [t.number, t.params.x, t.status, t.value]),
        [[0, b.params.x, "complete", 222]],
      );
      await reread.close();
    } finally {
      await backend.cleanup(url);
    }
  },
  { backends: ["sqlite", "postgres"] },
);

storageTest(
  "a stored minimize whose trial was lost mid-objective records it as lost and goes on",
  async (backend) => {
    const url = await backend.freshUrl();
    try {
      let calls = 0;
      const objective = async (p: { x: number }) => {
        if (++calls === 3) await loseRunningTrials(backend, url);
        return p.x;
      };
      const result = await minimize(objective, space, {
        storage: url,
        study: "m",
        budget: 6,
        proposer: randomSearch(),
        seed: 2,
      });
      assert.equal(result.stopped, "budget");
      await result.study.close();
      const reread = await loadStudy({ storage: url, name: "m" });
      const complete = reread.storedTrials.filter((t) => t.status === "complete");
      assert.equal(complete.length, 6);
      assert.equal(calls, 7); // the lost evaluation is not counted
      // every value is its own configuration's (the objective returns x)
      for (const t of complete) assert.equal(t.value, t.params.x);
      await reread.close();
    } finally {
      await backend.cleanup(url);
    }
  },
  { backends: ["sqlite", "postgres"] },
);

storageTest("finish checks the claimed configuration and attempt", async (backend) => {
  await withStorage(backend, async (storage) => {
    const { study } = await storage.createStudy(
      { name: "s", space: null, settings: {} },
      [{ params: { x: 0.5 }, source: "enqueued" }],
    );
    const claim = await storage.claim(study.id, { worker: "w", leaseMs: 60_000, requeue: false });
    assert.equal(claim.kind, "trial");
    const outcome = { status: "complete", value: 1 } as const;
    await assert.rejects(storage.finish(study.id, 0, "w", outcome, { params: { x: 0.25 } }), {
      name: "TrialLostError",
      message: 'tell: trial 0 now holds another configuration ({"x":0.5}) than the one told ' +
        '({"x":0.25}): its claim was lost (e.g. in a database server crash) and the number given ' +
        "again; the value was not recorded",
    });
    await assert.rejects(
      storage.finish(study.id, 0, "w", outcome, { params: { x: 0.5 }, attempts: 2 }),
      {
        name: "TrialLostError",
        message: "tell: trial 0 was handed out again (attempt 1, told for attempt 2): the value " +
          "was not recorded",
      },
    );
    await assert.rejects(storage.finish(study.id, 7, "w", outcome, { params: { x: 0.5 } }), {
      name: "TrialLostError",
      message: "tell: trial 7 is not in the study: its claim was lost (e.g. in a database " +
        "server crash); the value was not recorded",
    });
    // without a claim, as before: an unknown number is a RangeError
    await assert.rejects(storage.finish(study.id, 7, "w", outcome), {
      name: "RangeError",
      message: "tell: no trial with id 7 in this study",
    });
    assert.equal((await storage.trialsSince(study.id, 0)).trials[0].status, "running");
    const told = await storage.finish(study.id, 0, "w", outcome, {
      params: { x: 0.5 },
      attempts: 1,
    });
    assert.equal(told.value, 1);
  });
});

storageTest(
  "postgres: claims commit synchronously (an acknowledged claim survives a server crash)",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      // A trigger records the synchronous_commit setting of every transaction that writes a trial.
      await exec(backend, url, "CREATE TABLE commit_modes (mode TEXT)");
      await exec(
        backend,
        url,
        "CREATE FUNCTION record_mode() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
          "INSERT INTO commit_modes VALUES (current_setting('synchronous_commit')); " +
          "RETURN NEW; END $$",
      );
      await exec(
        backend,
        url,
        "CREATE TRIGGER record_mode AFTER INSERT OR UPDATE ON metahpo_trials " +
          "FOR EACH ROW EXECUTE FUNCTION record_mode()",
      );
      const study = await createStudy({ storage, name: "s", space, proposer: randomSearch() });
      for (let i = 0; i < 3; i++) await study.tell(await study.ask(), i);
      await study.close();
      const modes = (await exec(backend, url, "SELECT DISTINCT mode FROM commit_modes")) as {
        mode: string;
      }[];
      assert.deepEqual(modes.map((m) => m.mode), ["on"]);
    });
  },
  { backends: ["postgres"] },
);

Deno.test("a stored study refuses a trial of another study (or a hand-made one) under its number", async () => {
  const a = await createStudy({ name: "A", space, seed: 0 });
  const b = await createStudy({ name: "B", space, seed: 1 });
  try {
    const ta = await a.ask();
    const tb = await b.ask();
    assert.equal(ta.id, tb.id);
    assert.notEqual(ta.params.x, tb.params.x);
    for (const foreign of [tb, { ...ta, params: { x: tb.params.x } }]) {
      await assert.rejects(a.tell(foreign, 1), /tell: trial 0 was not asked by this study/);
    }
    assert.equal(a.trials[0].status, "running");
    // A copy of its own trial is its own trial.
    const told = await a.tell({ ...ta }, 0.5);
    assert.equal(told.value, 0.5);
    assert.equal(told.params.x, ta.params.x);
  } finally {
    await a.close();
    await b.close();
  }
});

storageTest(
  "pool mode: a number given again to another candidate frees the lost claim's candidate",
  async (backend) => {
    const url = await backend.freshUrl();
    try {
      const candidates = [{ x: 0 }, { x: 1 }, { x: 2 }];
      const study = await createStudy({
        storage: url,
        name: "s",
        space: defineSpace({ x: int(0, 9) }),
        candidates,
        initialDesignSize: 0,
        proposer: randomSearch(),
        seed: 1,
      });
      const a = await study.ask();
      await loseRunningTrials(backend, url);
      // The number is given again, to another candidate.
      await study.enqueue(candidates.find((c) => c.x !== a.params.x)!);
      const b = await study.ask();
      assert.equal(b.id, a.id);
      assert.notEqual(b.params.x, a.params.x);
      assert.equal(study.remaining, 2, "the lost claim's candidate is free again");
      await study.tell(b, b.params.x);
      while (study.remaining > 0) {
        const trial = await study.ask();
        await study.tell(trial, trial.params.x);
      }
      assert.deepEqual(study.storedTrials.map((t) => t.params.x).sort(), [0, 1, 2]);
      await study.close();
    } finally {
      await backend.cleanup(url);
    }
  },
  { backends: ["sqlite", "postgres"] },
);
