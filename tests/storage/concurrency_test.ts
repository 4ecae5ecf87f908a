/**
 * Workers of one study that race or stall each other: a worker frozen inside a write
 * transaction; two handles that enqueue the same pool candidate at once; workers opened with
 * another lease than the study's; a rerun that takes over a crashed worker's name; two processes
 * that create the same study at once; exports while workers write; and, in pool mode, a worker
 * that runs out of candidates while another one's trial may still be lost.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createStudy, loadStudy, openStorage, type Storage } from "../../lib/storage/mod.ts";
import { studiesCommand } from "../../lib/storage/cli.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const FROZEN = new URL("./_frozen_transaction.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-sys"];

const space = defineSpace({ x: float(0, 1) });

/** Resolves with `value` after `ms`, unless `cancel` (returned) is called first. */
function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<T>((resolve) => timer = setTimeout(() => resolve(value), ms));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Waits until process `pid` is stopped (state `T`, as `ps` shows it), or throws after `ms`. */
async function waitStopped(pid: number, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ps = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
    const state = new TextDecoder().decode(ps.stdout).trim();
    if (state === "" || state.startsWith("Z")) {
      throw new Error(`process ${pid} ended before it stopped`);
    }
    if (state.startsWith("T")) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} did not stop within ${ms} ms`);
}

storageTest(
  "a worker frozen (SIGSTOP) inside a write transaction does not stall the others: the server ends its transaction, which commits nothing and runs again once it goes on",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const study = await createStudy({
        storage,
        name: "frozen",
        space,
        initialDesignSize: 0,
        proposer: randomSearch(),
      });
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", ...PERMISSIONS, FROZEN, url, String(study.id), "1"],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = child.output();
      try {
        await waitStopped(child.pid);
        // Every write waits for the study's row lock, which the stopped process holds until the
        // server ends its transaction (after 1 s idle).
        const work = (async () => {
          for (let i = 0; i < 3; i++) {
            const trial = await study.ask();
            await study.tell(trial, trial.params.x);
          }
          return "went on";
        })();
        const timer = after(20_000, "stalled");
        const outcome = await Promise.race([work, timer.promise]);
        timer.cancel();
        assert.equal(outcome, "went on");
      } finally {
        child.kill("SIGCONT");
      }
      const out = await output;
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(new TextDecoder().decode(out.stdout).trim(), "attempts 2");
      await study.refresh();
      assert.deepEqual(study.storedTrials.map((t) => t.status), [
        "complete",
        "complete",
        "complete",
      ]);
      await study.close();
    });
  },
  { backends: ["postgres"] },
);

/** `storage`, whose `addTrials` first runs `before` (another handle's step, at that instant). */
function addingAfter(storage: Storage, before: () => Promise<unknown>): Storage {
  return new Proxy(storage, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== "addTrials") return typeof value === "function" ? value.bind(target) : value;
      return async (...args: Parameters<Storage["addTrials"]>) => {
        await before();
        return await target.addTrials(...args);
      };
    },
  });
}

storageTest(
  "pool mode: a candidate that another handle enqueues, or claims, after this handle checked it is unused is refused, not evaluated twice",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const poolSpace = defineSpace({ a: int(0, 9) });
      const options = {
        space: poolSpace,
        candidates: [{ a: 1 }, { a: 2 }],
        initialDesignSize: 0,
        proposer: randomSearch(),
        loadIfExists: true,
      };
      const target = url === "memory:" ? storage : url;
      // Another handle enqueues {a: 2} between this handle's check and its write.
      const other = await createStudy({ ...options, storage: target, name: "enqueue" });
      const racing = await createStudy({
        ...options,
        storage: addingAfter(storage, () => other.enqueue({ a: 2 })),
        name: "enqueue",
      });
      await assert.rejects(
        racing.enqueue({ a: 2 }),
        (error: Error) => {
          assert.ok(error instanceof RangeError);
          assert.match(
            error.message,
            /^enqueue: in pool mode the configuration must be an unused candidate; \{"a":2\} is taken by trial 0 \(waiting\)$/,
          );
          return true;
        },
      );
      await other.refresh();
      assert.deepEqual(other.storedTrials.map((t) => t.params), [{ a: 2 }]);
      // Another handle's ask takes the last candidate between this handle's check and its write.
      const single = { ...options, candidates: [{ a: 1 }], name: "ask" };
      const asker = await createStudy({ ...single, storage: target });
      let asked: unknown;
      const late = await createStudy({
        ...single,
        storage: addingAfter(storage, async () => asked = (await asker.ask()).params),
      });
      await assert.rejects(late.enqueue({ a: 1 }), /\{"a":1\} is taken by trial 0 \(running\)/);
      assert.deepEqual(asked, { a: 1 });
      await asker.refresh();
      assert.equal(asker.storedTrials.length, 1);
      for (const study of [other, racing, asker, late]) await study.close();
    });
  },
);

storageTest(
  "pool mode: a worker that finds every candidate taken waits while another worker's trial holds one, and evaluates it when that trial is lost",
  async (backend) => {
    // A worker of a process that runs until the test kills it.
    const sleeper = new Deno.Command(Deno.execPath(), {
      args: ["eval", "await new Promise((resolve) => setTimeout(resolve, 600_000))"],
    }).spawn();
    try {
      await withStorage(backend, async (storage) => {
        const poolSpace = defineSpace({ a: int(0, 9) });
        const candidates = [{ a: 1 }, { a: 2 }, { a: 3 }];
        const options = {
          seed: 1,
          candidates,
          initialDesignSize: 0,
          proposer: randomSearch(),
          leaseSeconds: 1,
        };
        const held = await createStudy({
          ...options,
          storage,
          name: "pool",
          space: poolSpace,
          worker: `${Deno.hostname()}/${sleeper.pid}/held`,
        });
        const heldTrial = await held.ask();
        let told = 0;
        let claims = 0;
        // Once the other two candidates are evaluated, the worker finds the pool taken; the
        // worker holding the last candidate dies after that, before the worker claims again.
        const claiming = new Proxy(storage, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver);
            if (key !== "claim") return typeof value === "function" ? value.bind(target) : value;
            return async (...args: Parameters<Storage["claim"]>) => {
              if (told === 2 && ++claims === 2) {
                sleeper.kill("SIGKILL");
                await sleeper.status;
              }
              return await target.claim(...args);
            };
          },
        });
        const result = await minimize((p) => p.a, poolSpace, {
          ...options,
          storage: claiming,
          study: "pool",
          budget: 10,
          onTrial: () => void told++,
        });
        const stored = result.study.storedTrials;
        await result.study.close();
        await held.close();
        assert.equal(result.stopped, "exhausted");
        assert.equal(result.study.record.finished, 3);
        assert.equal(stored[heldTrial.id].lost, true);
        assert.deepEqual(
          stored.filter((t) => t.status === "complete").map((t) => t.params.a).sort(),
          [1, 2, 3],
        );
      });
    } finally {
      try {
        sleeper.kill("SIGKILL");
      } catch { /* already ended */ }
      await sleeper.status;
    }
  },
);

storageTest(
  "two handles creating the same study at once (without loadIfExists): the second gets the error of a study that exists, as it would a moment later",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const options = { name: "race", space, seed: 1 };
      let first: Awaited<ReturnType<typeof createStudy>> | undefined;
      // The other handle creates the study right after this one looked it up (and found none).
      let looked = false;
      const late = new Proxy(storage, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key !== "getStudy") return typeof value === "function" ? value.bind(target) : value;
          return async (name: string) => {
            const found = await target.getStudy(name);
            if (!looked) {
              looked = true;
              first = await createStudy({ ...options, storage: target });
            }
            return found;
          };
        },
      });
      await assert.rejects(
        createStudy({ ...options, storage: late }),
        /storage \S+: study "race" already exists \(use loadStudy, or createStudy with loadIfExists\)/,
      );
      assert.equal(first?.name, "race");
      await assert.rejects(createStudy({ ...options, storage }), /study "race" already exists/);
      await first?.close();
    });
  },
);

storageTest(
  "the lease is the study's: a handle or a rerun that gives another leaseSeconds is refused (it would give up live workers' trials), one that gives none uses the study's",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const options = { storage, name: "lease", space, proposer: randomSearch() };
      const first = await createStudy({ ...options, leaseSeconds: 2 });
      await assert.rejects(
        loadStudy({ ...options, leaseSeconds: 1 }),
        /^TypeError: study "lease": options\.leaseSeconds is 1, but the study was created with 2$/,
      );
      await assert.rejects(
        minimize((p) => p.x, space, {
          storage,
          study: "lease",
          budget: 3,
          proposer: randomSearch(),
          leaseSeconds: 60,
        }),
        /options\.leaseSeconds is 60, but the study was created with 2/,
      );
      const same = await loadStudy({ ...options, leaseSeconds: 2 });
      const omitted = await loadStudy(options);
      assert.equal(omitted.pollMs, first.pollMs);
      assert.equal(omitted.pollMs, 500);
      for (const study of [first, same, omitted]) await study.close();
    });
  },
);

storageTest(
  "a rerun under a crashed worker's name heart-beats its own trials only: the crashed run's trial is given up after the lease",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const options = {
        storage,
        name: "name",
        space,
        initialDesignSize: 0,
        proposer: randomSearch(),
        leaseSeconds: 1,
        heartbeatSeconds: 0.1,
        worker: "gpu0",
      };
      const crashed = await createStudy(options);
      const orphan = await crashed.ask();
      await crashed.close(); // stops heart-beating, as a killed process: its trial stays running
      const rerun = await loadStudy(options);
      const own = await rerun.ask();
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the rerun beats meanwhile
      const other = await loadStudy({ ...options, worker: "gpu1" });
      const next = await other.ask(); // its claim gives up the trials whose lease expired
      const trials = other.storedTrials;
      assert.deepEqual(trials.map((t) => t.number), [orphan.id, own.id, next.id]);
      assert.equal(trials[0].lost, true);
      assert.match(trials[0].error!, /^worker gpu0 stopped heart-beating/);
      assert.equal(trials[1].status, "running");
      await rerun.tell(own, own.params.x);
      for (const study of [rerun, other]) await study.close();
      // The storage's own contract: given the trials, only those (in that attempt) are beaten.
      const { study } = await storage.createStudy({ name: "beats", space: null, settings: {} }, [
        { params: { x: 1 }, source: "enqueued" },
        { params: { x: 2 }, source: "enqueued" },
      ]);
      const claim = (now: number) =>
        storage.claim(study.id, { worker: "w", leaseMs: 1000, requeue: false, now });
      const first = await claim(0);
      const second = await claim(0);
      assert.ok(first.kind === "trial" && second.kind === "trial");
      await storage.heartbeat(study.id, "w", 900, [{ number: second.trial.number, attempts: 1 }]);
      await storage.heartbeat(study.id, "w", 900, [{ number: first.trial.number, attempts: 2 }]);
      await storage.heartbeat(study.id, "w", 900, []);
      await storage.claim(study.id, { worker: "v", leaseMs: 1000, requeue: false, now: 1500 });
      const stored = (await storage.trialsSince(study.id, 0)).trials;
      assert.deepEqual(stored.map((t) => [t.status, t.lost]), [["failed", true], [
        "running",
        false,
      ]]);
    });
  },
);

storageTest(
  "an export and a list read one snapshot while a worker writes: the study's seq and finished count agree with its trials",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const { study } = await storage.createStudy({ name: "s", space: null, settings: {} }, []);
      const finished = (trials: { status: string; lost: boolean }[]) =>
        trials.filter((t) => t.status === "complete" || (t.status === "failed" && !t.lost)).length;
      // The export and the list (read-only connections of their own) run while this process
      // adds complete trials, one transaction each, interleaved with their reads.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing || i < 20; i++) {
          await storage.addTrials(study.id, [{ params: { x: i }, source: "enqueued", value: i }]);
        }
      })();
      const reader = await openStorage(url, { readOnly: true });
      try {
        for (let round = 0; round < 5; round++) {
          const exported = JSON.parse(
            await studiesCommand([url, "export", "s", "--format", "json"]),
          );
          const seqs = exported.trials.map((t: { seq: number }) => t.seq);
          assert.ok(Math.max(0, ...seqs) <= exported.study.seq, `round ${round}: seq`);
          assert.equal(exported.study.finished, finished(exported.trials), `round ${round}`);
          const [listed] = await reader.listStudies();
          assert.equal(listed.finished, listed.counts.complete, `round ${round}: list`);
        }
      } finally {
        writing = false;
        await writer;
        await reader.close();
      }
    });
  },
  { backends: ["sqlite", "postgres"] },
);

Deno.test("SQLite: no timer or I/O callback of a worker runs inside its write transactions, so a worker holds the file's lock only while its statements run", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  const study = await createStudy({
    storage: `sqlite:${path}`,
    name: "window",
    space,
    initialDesignSize: 2,
    proposer: randomSearch(),
    heartbeatSeconds: 0.001,
  });
  // Another connection takes the write lock from a timer, as often as the event loop lets it:
  // a timer that ran between a transaction's BEGIN and COMMIT would find the lock taken.
  const probe = new DatabaseSync(path);
  probe.exec("PRAGMA busy_timeout = 0");
  let probes = 0;
  const busy: string[] = [];
  const timer = setInterval(() => {
    probes++;
    try {
      probe.exec("BEGIN IMMEDIATE");
      probe.exec("ROLLBACK");
    } catch (error) {
      busy.push((error as Error).message);
    }
  }, 0);
  try {
    for (let i = 0; i < 60; i++) {
      const trial = await study.ask();
      await new Promise((resolve) => setTimeout(resolve, 0)); // heart-beats and probes run
      await study.tell(trial, trial.params.x);
    }
  } finally {
    clearInterval(timer);
    probe.close();
    await study.close();
    for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
  }
  assert.ok(probes >= 30, `${probes} probes`);
  assert.deepEqual(busy, []);
});
