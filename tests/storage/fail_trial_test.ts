/**
 * Failing a trial by number from any handle (`Storage.failTrial`, `StoredStudy.failTrial`): a
 * running trial of a worker that is still alive and heart-beating, or a waiting one, becomes an
 * ordinary failed trial (not lost) with the given reason; its worker's later tell is refused and
 * does not overwrite it, its heart-beats do not bring it back, other handles see it on refresh,
 * and the study goes on with the trial counted against the budget. Run against every backend.
 */
import assert from "node:assert/strict";
import {
  createStudy,
  loadStudy,
  minimizeStored,
  type Storage,
  TrialLostError,
} from "../../lib/storage/mod.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

/** The storage option of another handle: a new connection, except for `memory:`. */
const other = (storage: Storage, url: string) => url === "memory:" ? storage : url;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

storageTest(
  "failTrial: another handle fails a running trial; the owner's tell is refused, the failure stays",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const owner = await createStudy({
        storage,
        name: "f",
        space,
        initialDesignSize: 3,
        proposer: randomSearch(),
        heartbeatSeconds: 0.02,
      });
      const hung = await owner.ask();
      const operator = await loadStudy({ storage: other(storage, url), name: "f" });
      const third = await loadStudy({ storage: other(storage, url), name: "f" });
      assert.notEqual(operator.worker, owner.worker);
      const { seq: before } = await storage.trialsSince(owner.id, 0);
      const reason = "hung for 2 hours; failed by the operator";
      const failed = await operator.failTrial(hung.id, reason);
      assert.equal(failed.id, hung.id);
      assert.equal(failed.status, "failed");
      assert.equal(failed.error, reason);
      assert.equal(failed.value, undefined);
      assert.ok(Object.isFrozen(failed));

      // Stored as an ordinary failed trial of its worker, seen as a change since `before`.
      const changed = await storage.trialsSince(owner.id, before);
      assert.deepEqual(changed.trials.map((t) => t.number), [hung.id]);
      const stored = changed.trials[0];
      assert.equal(stored.status, "failed");
      assert.equal(stored.lost, false);
      assert.equal(stored.error, reason);
      assert.equal(stored.worker, owner.worker);
      assert.equal(stored.attempts, 1);
      assert.ok(stored.startedAt !== undefined && stored.finishedAt! >= stored.startedAt);
      assert.equal((await storage.getStudy("f"))!.finished, 1);

      // The owner still beats (it has not refreshed): its beats do not touch the failed trial.
      await sleep(150);
      const [after] = (await storage.trialsSince(owner.id, 0)).trials;
      assert.deepEqual(after, stored);

      await assert.rejects(owner.tell(hung, 0.5), {
        name: "TrialLostError",
        message: `tell: trial ${hung.id} cannot be told by worker ${owner.worker}: it is failed ` +
          `(${reason})`,
      });
      const [kept] = (await storage.trialsSince(owner.id, 0)).trials;
      assert.deepEqual(kept, stored, "the tell overwrote nothing");
      assert.equal((await storage.getStudy("f"))!.finished, 1);
      // Told again after a refresh: refused from the handle's own view, naming the reason.
      await owner.refresh();
      await assert.rejects(owner.tell(hung, 0.5), {
        name: "TrialLostError",
        message: `tell: trial ${hung.id} was already told (failed: ${reason})`,
      });

      // A third handle sees it on refresh.
      assert.equal(third.trials.find((t) => t.id === hung.id)!.status, "running");
      await third.refresh();
      assert.deepEqual(third.trials.find((t) => t.id === hung.id), failed);
      assert.equal(third.storedTrials[hung.id].lost, false);

      // Clear errors, and nothing changes.
      await assert.rejects(operator.failTrial(hung.id, "again"), {
        name: "TrialLostError",
        message: `failTrial: trial ${hung.id} of study "f" is already failed (${reason})`,
      });
      await assert.rejects(operator.failTrial(99), {
        name: "RangeError",
        message: 'failTrial: study "f" has no trial 99',
      });
      for (const bad of [-1, 1.5, NaN]) {
        await assert.rejects(operator.failTrial(bad), {
          name: "RangeError",
          message: `failTrial.number: must be a trial number (an integer >= 0), got ${bad}`,
        });
      }
      await assert.rejects(operator.failTrial(1, ""), {
        name: "TypeError",
        message: "failTrial.reason: must be a non-empty string",
      });
      assert.equal((await storage.getStudy("f"))!.finished, 1);

      // The study goes on: the owner's next ask and tell work, a complete trial cannot be failed.
      const next = await owner.ask();
      assert.notEqual(next.id, hung.id);
      await owner.tell(next, 0.25);
      await assert.rejects(operator.failTrial(next), {
        name: "TrialLostError",
        message: `failTrial: trial ${next.id} of study "f" is already complete (value 0.25)`,
      });

      // A waiting trial (here the last of the initial design) can be failed too: never asked.
      const waiting = owner.storedTrials.find((t) => t.status === "waiting")!;
      const dropped = await operator.failTrial(waiting.number);
      assert.equal(dropped.error, `failed by worker ${operator.worker}`);
      const [droppedStored] = (await storage.trialsSince(owner.id, 0)).trials.filter((t) =>
        t.number === waiting.number
      );
      assert.equal(droppedStored.attempts, 0);
      assert.equal(droppedStored.worker, undefined);
      const later = await owner.ask();
      assert.ok(later.id > waiting.number, "the failed waiting trial is not handed out");
      assert.equal(later.source, "random"); // proposed by random search
      await owner.tell(later, 0.75);

      const summary = (await storage.listStudies())[0];
      assert.deepEqual(summary.counts, { waiting: 0, running: 0, complete: 2, failed: 2, lost: 0 });
      assert.equal(summary.finished, 4);
      for (const study of [owner, operator, third]) await study.close();
    });
  },
);

storageTest(
  "failTrial: the study's own worker can fail its trial; a lost one cannot be failed again",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      let beats = 0;
      const counting = new Proxy(storage, {
        get(target, key) {
          const value = Reflect.get(target, key);
          if (key === "heartbeat") beats++;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const study = await createStudy({
        storage: counting,
        name: "own",
        space,
        initialDesignSize: 1,
        proposer: randomSearch(),
        heartbeatSeconds: 0.01,
      });
      const trial = await study.ask();
      await sleep(60);
      assert.ok(beats > 0, "the running trial is beaten for");
      const failed = await study.failTrial(trial, "watchdog: no progress");
      assert.equal(failed.error, "watchdog: no progress");
      const stopped = beats;
      await sleep(60);
      assert.equal(beats, stopped, "no more beats for a failed trial");
      await assert.rejects(study.tell(trial, 1), {
        name: "TrialLostError",
        message: `tell: trial ${trial.id} was already told (failed: watchdog: no progress)`,
      });

      // Storage level: NUL kept exactly; a lost trial is already failed; a requeued one waits
      // and can be failed (keeping its attempts); the old worker's beats and tell change nothing.
      const { study: raw } = await storage.createStudy(
        { name: "raw", space: null, settings: {} },
        [0, 1, 2].map((i) => ({ params: { i }, source: "enqueued" as const })),
      );
      const claim = (worker: string, now: number, requeue = false) =>
        storage.claim(raw.id, { worker, leaseMs: 1000, requeue, now });
      const t0 = 1_000_000;
      assert.equal((await claim("w1", t0)).kind, "trial");
      assert.equal((await claim("w2", t0)).kind, "trial");
      const nul = "stuck\u0000in a syscall";
      const zero = await storage.failTrial(raw.id, 0, nul);
      assert.equal(zero.error, nul);
      assert.equal(zero.lost, false);
      await storage.heartbeat(raw.id, "w1", t0 + 500);
      assert.equal((await storage.trialsSince(raw.id, 0)).trials[0].heartbeat, t0);
      await assert.rejects(
        storage.finish(raw.id, 0, "w1", { status: "complete", value: 1 }),
        (e: Error) => e instanceof TrialLostError && e.message.endsWith(`it is failed (${nul})`),
      );
      // w2 stops beating: its trial is lost (failed), then cannot be failed again.
      assert.equal((await claim("w3", t0 + 2000)).kind, "trial");
      const lost = (await storage.trialsSince(raw.id, 0)).trials[1];
      assert.equal(lost.lost, true);
      await assert.rejects(storage.failTrial(raw.id, 1, "x"), {
        name: "TrialLostError",
        message: `failTrial: trial 1 of study "raw" is already failed (${lost.error})`,
      });
      // With re-queue, w3's lost trial waits again (the budget of 1 is reached, so nobody takes
      // it), and is failed from the queue.
      const requeued = await storage.claim(raw.id, {
        worker: "w4",
        leaseMs: 1000,
        requeue: true,
        budget: 1,
        now: t0 + 4000,
      });
      assert.equal(requeued.kind, "done");
      const waiting = (await storage.trialsSince(raw.id, 0)).trials[2];
      assert.equal(waiting.status, "waiting");
      assert.match(waiting.error!, /^queued again: worker w3 stopped heart-beating/);
      const dropped = await storage.failTrial(raw.id, 2, "crashes every worker");
      assert.deepEqual(
        [dropped.status, dropped.error, dropped.attempts, dropped.lost, dropped.worker],
        ["failed", "crashes every worker", 1, false, undefined],
      );
      assert.equal((await storage.getStudy("raw"))!.finished, 2);
      await study.close();
    });
  },
);

storageTest(
  "failTrial: a stored minimize goes on and counts the failed trial against its budget",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      let release!: (value: number) => void;
      let hungId: number | undefined;
      const run = minimizeStored(
        (p: { x: number }, trial) => {
          if (hungId !== undefined) return p.x;
          hungId = trial.id;
          return new Promise<number>((resolve) => release = resolve);
        },
        space,
        { storage, study: "m", budget: 5, seed: 1, proposer: randomSearch() },
      );
      while (hungId === undefined) await sleep(5);
      const operator = await loadStudy({ storage: other(storage, url), name: "m" });
      await operator.failTrial(hungId, "objective hangs");
      release(-100); // the objective returns at last: its tell is refused and skipped
      const result = await run;
      assert.equal(result.stopped, "budget");
      assert.equal(result.study.record.finished, 5);
      const statuses = result.trials.map((t) => t.status);
      assert.equal(statuses.filter((s) => s === "complete").length, 4);
      const failed = result.trials.find((t) => t.id === hungId)!;
      assert.deepEqual([failed.status, failed.error, failed.value], [
        "failed",
        "objective hangs",
        undefined,
      ]);
      assert.ok(result.best.value > -100, "the refused tell left no value");
      await result.study.close();
      await operator.close();
    });
  },
);

storageTest("failTrial in pool mode: the failed trial keeps its candidate", async (backend) => {
  await withStorage(backend, async (storage) => {
    const study = await createStudy({
      storage,
      name: "pool",
      space,
      candidates: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
      initialDesignSize: 1,
      proposer: randomSearch(),
    });
    const trial = await study.ask();
    assert.equal(study.remaining, 2);
    const operator = await loadStudy({ storage, name: "pool" });
    await operator.failTrial(trial.id, "hangs");
    await study.refresh();
    assert.equal(study.remaining, 2, "not freed, as a lost trial's would be");
    const rest = await study.ask(2);
    assert.deepEqual(
      [trial, ...rest].map((t) => t.params.x).sort(),
      [0.1, 0.2, 0.3],
    );
    await assert.rejects(study.ask(), /candidate pool/);
    await study.close();
    await operator.close();
  });
}, { backends: ["memory"] });
