/**
 * Many workers on one study, and workers killed with SIGKILL at random instants (after a claim,
 * inside the objective, after a tell, and from outside at any moment): afterwards exactly
 * `budget` trials are complete, no configuration was handed out twice (but the proposal of a
 * trial lost with its worker, made again), nothing is left running, and every trial a worker saw
 * told is complete with its value. SQLite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import { canonicalJSON } from "../../lib/validate.ts";
import { loadStudy, runWorkers } from "../../lib/storage/mod.ts";
import { type Backend, storageTest } from "./_backends.ts";
import { faultObjective } from "./_fault_task.ts";

const WORKER = new URL("./_worker.ts", import.meta.url).pathname;
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-sys"];

function spawnWorker(
  url: string,
  study: string,
  budget: number,
  log: string,
  die: number,
  seed: number,
  requeue = false,
) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...PERMISSIONS,
      WORKER,
      url,
      study,
      String(budget),
      log,
      String(die),
      String(seed),
      requeue ? "requeue" : "fail",
    ],
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).spawn();
}

async function checkStudy(url: string, study: string, budget: number, log: string) {
  const stored = await loadStudy({ storage: url, name: study });
  try {
    const trials = stored.storedTrials;
    const complete = trials.filter((t) => t.status === "complete");
    assert.equal(complete.length, budget, "exactly budget complete trials");
    assert.equal(trials.filter((t) => t.status === "running").length, 0, "nothing running");
    // A lost trial was never evaluated: a proposal whose trial was lost before any later one is
    // made again (the same configuration, in a new trial).
    const keys = trials.filter((t) => !t.lost).map((t) => canonicalJSON(t.params));
    assert.equal(new Set(keys).size, keys.length, "no configuration handed out twice");
    for (const t of complete) {
      assert.equal(t.value, faultObjective(t.params as never), `trial ${t.number} value`);
    }
    assert.equal(trials.filter((t) => t.status === "waiting").length, 0, "nothing waiting");
    for (const t of trials.filter((t) => t.status === "failed")) {
      assert.ok(t.lost, `trial ${t.number} failed without being lost: ${t.error}`);
      assert.match(t.error!, /worker \S+ (stopped heart-beating|is no longer running)/);
    }
    const told = (await Deno.readTextFile(log).catch(() => "")).trim().split("\n").filter(
      Boolean,
    );
    for (const line of told) {
      const [id, value] = line.split(" ");
      const trial = trials.find((t) => t.number === Number(id));
      assert.equal(trial?.status, "complete", `told trial ${id} is complete`);
      assert.equal(trial?.value, Number(value), `told trial ${id} kept its value`);
    }
    return { trials, told: told.length };
  } finally {
    await stored.close();
  }
}

async function chaos(backend: Backend, seed: number, requeue = false) {
  const url = await backend.freshUrl();
  const log = await Deno.makeTempFile({ suffix: ".log" });
  const budget = 40;
  const rng = new Rng(seed);
  const live = new Set<Deno.ChildProcess>();
  let externalKills = 6;
  let spawned = 0;
  const spawn = () => {
    const child = spawnWorker(url, "chaos", budget, log, 0.04, seed * 100 + spawned++, requeue);
    live.add(child);
    child.status.then(() => live.delete(child));
    // drain stderr so that a crashing worker cannot block on a full pipe
    child.stderr.pipeTo(new WritableStream()).catch(() => {});
    return child;
  };
  try {
    for (let i = 0; i < 3; i++) spawn();
    for (let round = 0; round < 400; round++) {
      await new Promise((resolve) => setTimeout(resolve, 50 + rng.uniform() * 250));
      if (externalKills > 0 && live.size > 0) {
        const victims = [...live];
        const victim = victims[rng.integer(victims.length)];
        try {
          victim.kill("SIGKILL");
        } catch { /* it exited meanwhile */ }
        await victim.status;
        externalKills--;
        spawn();
      }
      if (live.size === 0) {
        // every worker ended (finished or killed itself): a rerun resumes, or finds it done
        const child = spawn();
        const status = await child.status;
        if (status.success) break;
      }
    }
    await Promise.all([...live].map((c) => c.status));
    const { trials, told } = await checkStudy(url, "chaos", budget, log);
    assert.ok(told > 0);
    return { trials, spawned };
  } finally {
    for (const child of live) {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    await Deno.remove(log).catch(() => {});
    await backend.cleanup(url);
  }
}

storageTest(
  "kill -9 at random instants: budget exact, nothing duplicated, lost or stuck",
  async (backend) => {
    const { trials, spawned } = await chaos(backend, 1);
    assert.ok(spawned > 3, "workers were replaced");
    // with 6 external kills and 4% self-kills per event, some trials were lost with their worker
    assert.ok(trials.filter((t) => t.lost).length >= 1, "the kills lost some running trials");
  },
  { backends: ["sqlite", "postgres"] },
);

storageTest("kill -9 with re-queue: lost trials are evaluated again, once", async (backend) => {
  const { trials } = await chaos(backend, 2, true);
  assert.equal(trials.filter((t) => t.status === "failed").length, 0, "nothing failed");
  assert.equal(trials.length, 40, "every trial completed, lost ones after a re-queue");
  assert.ok(trials.some((t) => t.attempts >= 2), "some trials were queued again");
}, { backends: ["sqlite", "postgres"] });

storageTest("8 workers, one study, 200 trials", async (backend) => {
  const url = await backend.freshUrl();
  const log = await Deno.makeTempFile({ suffix: ".log" });
  try {
    const exits = await runWorkers(WORKER, {
      workers: 8,
      args: [url, "many", "200", log, "0", "0"],
      permissions: PERMISSIONS,
      inheritOutput: false,
    });
    assert.deepEqual(exits.map((e) => e.code), Array(8).fill(0));
    const { trials, told } = await checkStudy(url, "many", 200, log);
    assert.equal(trials.length, 200);
    assert.equal(told, 200);
    const workers = new Set(trials.map((t) => t.worker));
    assert.ok(workers.size >= 2, `trials spread over workers (${workers.size})`);
  } finally {
    await Deno.remove(log).catch(() => {});
    await backend.cleanup(url);
  }
}, { backends: ["sqlite", "postgres"] });

Deno.test("SQLite: workers opening a new database file at the same instant all succeed", async () => {
  // Switching a new file to WAL takes a lock for which SQLite does not wait: without the retry
  // in `openSqlite`, one of two workers started together failed about one round in three.
  for (let round = 0; round < 8; round++) {
    const dir = await Deno.makeTempDir({ prefix: "metahpo-open-" });
    const log = await Deno.makeTempFile({ suffix: ".log" });
    try {
      const url = `sqlite:${dir}/new.db`;
      const children = [0, 1].map((seed) => spawnWorker(url, "opened", 10, log, 0, seed));
      const outputs = await Promise.all(children.map((c) => c.output()));
      outputs.forEach((o, i) =>
        assert.equal(
          o.code,
          0,
          `round ${round}, worker ${i}: ${new TextDecoder().decode(o.stderr)}`,
        )
      );
      await checkStudy(url, "opened", 10, log);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(log).catch(() => {});
    }
  }
});

Deno.test("runWorkers: an unknown option key is an error naming it, before any worker starts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-workers-" });
  try {
    // The script would leave a file behind if a worker ran it.
    const script = `${dir}/touch.ts`;
    await Deno.writeTextFile(
      script,
      `Deno.writeTextFileSync(${JSON.stringify(`${dir}/ran`)}, "");`,
    );
    const misspelt = { workers: 1, permission: ["--allow-read"] };
    await assert.rejects(
      () => runWorkers(script, misspelt as never),
      (error: Error) =>
        error instanceof TypeError &&
        error.message === "runWorkers options.permission: unknown key",
    );
    for (
      const [bad, message] of [
        [{ workers: 0 }, "runWorkers options.workers: must be a positive integer"],
        [{ workers: 1, args: "x" }, "runWorkers options.args: Invalid input: expected array"],
        [{ workers: 1, env: { A: 1 } }, "runWorkers options.env.A: Invalid input: expected string"],
        [{ workers: 1, inheritOutput: "no" }, "runWorkers options.inheritOutput: Invalid input"],
      ] as const
    ) {
      await assert.rejects(
        () => runWorkers(script, bad as never),
        (error: Error) => error instanceof TypeError && error.message.startsWith(message),
        JSON.stringify(bad),
      );
    }
    assert.equal(await Deno.stat(`${dir}/ran`).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
