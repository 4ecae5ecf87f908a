/**
 * `minimize` in memory under time limits: `trialTimeout` turns an evaluation that does not settle
 * in time into a failed trial (aborting the objective's signal, ignoring a late result), `timeout`
 * stops starting trials, `stopped` says why the study ended, and the reasons of failed trials keep
 * what the objective threw or returned. Deno's sanitizers check that no timer is left behind.
 */
import assert from "node:assert/strict";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { wait } from "../_wait.ts";

const space = defineSpace({ x: float(0, 1) });

Deno.test("trialTimeout: an objective that never settles is a failed trial and the study goes on", async () => {
  let calls = 0;
  const result = await minimize(
    (p) => {
      calls++;
      // The third evaluation never settles (and keeps no timer alive).
      return calls === 3 ? new Promise<number>(() => {}) : p.x;
    },
    space,
    { budget: 6, seed: 0, proposer: randomSearch(), trialTimeout: 0.05 },
  );
  assert.equal(result.stopped, "budget");
  assert.equal(result.trials.length, 6);
  assert.deepEqual(
    result.trials.map((t) => t.status),
    ["complete", "complete", "failed", "complete", "complete", "complete"],
  );
  assert.equal(
    result.trials[2].error,
    "objective timed out: not settled within trialTimeout = 0.05 s",
  );
  assert.equal(typeof result.trials[2].seconds, "number");
  assert.equal(result.trials[2].value, undefined);
});

Deno.test("trialTimeout: the objective's signal is aborted with a TimeoutError, and only then", async () => {
  const signals: AbortSignal[] = [];
  const result = await minimize(
    async (p, _trial, { signal }) => {
      signals.push(signal);
      assert.equal(signal.aborted, false, "not aborted when the evaluation starts");
      await wait(p.x > 0.5 ? 10_000 : 1, signal);
      return p.x;
    },
    space,
    { budget: 8, seed: 0, proposer: randomSearch(), trialTimeout: 0.1 },
  );
  assert.equal(signals.length, 8);
  for (const [i, trial] of result.trials.entries()) {
    if (trial.params.x > 0.5) {
      assert.equal(trial.status, "failed");
      assert.match(trial.error!, /trialTimeout = 0\.1 s/);
      assert.ok(signals[i].aborted);
      assert.ok(signals[i].reason instanceof DOMException);
      assert.equal(signals[i].reason.name, "TimeoutError");
      assert.match(signals[i].reason.message, /trialTimeout/);
    } else {
      assert.equal(trial.status, "complete");
      assert.equal(signals[i].aborted, false, "a trial in time keeps its signal");
    }
  }
  assert.ok(result.trials.some((t) => t.status === "failed"));
  assert.ok(result.trials.some((t) => t.status === "complete"));
});

Deno.test("trialTimeout: a value or a rejection arriving after the timeout is ignored", async () => {
  let late: Promise<unknown> = Promise.resolve();
  let calls = 0;
  const result = await minimize(
    (p) => {
      calls++;
      if (calls === 1) {
        const value = wait(150).then(() => 0.001);
        late = value;
        return value;
      }
      if (calls === 2) {
        const rejection = wait(150).then(() => Promise.reject(new Error("too late")));
        late = late.then(() => rejection.catch(() => {}));
        return rejection;
      }
      return p.x;
    },
    space,
    { budget: 4, seed: 0, proposer: randomSearch(), trialTimeout: 0.03 },
  );
  assert.equal(result.trials[0].status, "failed");
  assert.equal(result.trials[1].status, "failed");
  // Let the late outcomes arrive: the study's record does not change.
  await late;
  await wait(160);
  assert.match(result.study.trials[0].error!, /trialTimeout/);
  assert.match(result.study.trials[1].error!, /trialTimeout/);
  assert.notEqual(result.best.value, 0.001);
});

Deno.test("trialTimeout: a synchronous objective that blocks longer fails as timed out", async () => {
  // The blocked evaluation takes at least trialTimeout by construction (its clock starts before
  // the call), so it fails whatever the machine's load; the others return at once and have the
  // whole 0.25 s to spare.
  const result = await minimize(
    (p, trial) => {
      if (trial.id === 1) {
        const start = performance.now();
        while (performance.now() - start < 260) { /* blocks the event loop */ }
      }
      return p.x;
    },
    space,
    { budget: 3, seed: 0, proposer: randomSearch(), trialTimeout: 0.25 },
  );
  assert.deepEqual(result.trials.map((t) => t.status), ["complete", "failed", "complete"]);
  assert.match(result.trials[1].error!, /trialTimeout = 0\.25 s/);
});

Deno.test("trialTimeout applies to each evaluation of a batch", async () => {
  const result = await minimize(
    async (p, _trial, { signal }) => {
      await wait(p.x > 0.5 ? 10_000 : 1, signal);
      return p.x;
    },
    space,
    { budget: 8, seed: 1, proposer: randomSearch(), batchSize: 4, trialTimeout: 0.2 },
  );
  assert.equal(result.trials.length, 8);
  for (const trial of result.trials) {
    assert.equal(trial.status, trial.params.x > 0.5 ? "failed" : "complete");
  }
});

Deno.test("without trialTimeout the objective still gets a signal, never aborted", async () => {
  const signals: AbortSignal[] = [];
  const result = await minimize(
    (p, _trial, context) => {
      signals.push(context.signal);
      return p.x;
    },
    space,
    { budget: 3, seed: 0, proposer: randomSearch() },
  );
  assert.equal(result.stopped, "budget");
  assert.equal(signals.length, 3);
  assert.ok(signals.every((s) => s instanceof AbortSignal && !s.aborted));
});

Deno.test("timeout: no trial starts after the study's wall time; every trial is kept and told", async () => {
  let calls = 0;
  const result = await minimize(
    async (p) => {
      calls++;
      await wait(40);
      return p.x;
    },
    space,
    { budget: 1000, seed: 0, proposer: randomSearch(), timeout: 0.15 },
  );
  assert.equal(result.stopped, "timeout");
  assert.ok(result.trials.length >= 1 && result.trials.length < 1000);
  assert.equal(result.trials.length, calls, "every started trial is kept");
  assert.ok(result.trials.every((t) => t.status === "complete"), "trials in flight finished");
  assert.equal(result.best.value, Math.min(...result.trials.map((t) => t.value!)));
});

Deno.test("timeout with trialTimeout: a hung trial in flight times out and the study stops", async () => {
  // The first trial starts as soon as minimize is set up (well within 0.2 s) and hangs; it is
  // failed 0.4 s after it started, past the study's 0.2 s, so no second trial starts.
  const result = await minimize(
    (p, trial) => trial.id === 0 ? new Promise<number>(() => {}) : p.x,
    space,
    { budget: 1000, seed: 0, proposer: randomSearch(), timeout: 0.2, trialTimeout: 0.4 },
  );
  assert.equal(result.stopped, "timeout");
  assert.equal(result.trials.length, 1);
  assert.equal(result.trials[0].status, "failed");
  assert.match(result.trials[0].error!, /trialTimeout/);
});

Deno.test("stopped: the budget, the timeout, or a pool used up", async () => {
  const quick = await minimize((p) => p.x, space, { budget: 3, seed: 0, timeout: 600 });
  assert.equal(quick.stopped, "budget");
  const pool = await minimize((p) => p.a, defineSpace({ a: int(0, 9) }), {
    budget: 10,
    seed: 0,
    candidates: [{ a: 1 }, { a: 2 }],
    timeout: 600,
  });
  assert.equal(pool.trials.length, 2);
  assert.equal(pool.stopped, "exhausted");
  const exact = await minimize((p) => p.a, defineSpace({ a: int(0, 9) }), {
    budget: 2,
    seed: 0,
    candidates: [{ a: 1 }, { a: 2 }],
  });
  assert.equal(exact.stopped, "budget", "the budget, when both end together");
});

Deno.test("timeout and trialTimeout are checked, with errors naming the option", async () => {
  for (const field of ["timeout", "trialTimeout"]) {
    for (const bad of [0, -1, NaN, Infinity, "1", null]) {
      await assert.rejects(
        () => minimize((p) => p.x, space, { budget: 3, [field]: bad } as never),
        new RegExp(`minimize options\\.${field}: `),
        `${field}: ${String(bad)}`,
      );
    }
  }
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, trialTimeout: 3e6 }),
    /minimize options\.trialTimeout: must be at most 2147483 seconds/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, timeLimit: 1 } as never),
    /minimize options\.timeLimit: unknown key/,
  );
});

Deno.test("failed trials name what the objective threw or returned", async () => {
  class Failure {
    constructor(readonly code: number) {}
  }
  const outcomes: (() => unknown)[] = [
    () => {
      throw { code: 42, detail: "disk full" };
    },
    () => {
      throw null;
    },
    () => {
      throw "a string thrown";
    },
    () => Promise.reject(undefined),
    () => {
      throw new Failure(7);
    },
    () => {
      throw { big: 10n };
    },
    () => 1n,
    () => {
      throw new RangeError("an Error keeps its name and message");
    },
  ];
  const result = await minimize(
    (_p, trial) => outcomes[trial.id]() as number,
    space,
    { budget: outcomes.length, seed: 0, proposer: randomSearch() },
  );
  assert.deepEqual(result.trials.map((t) => t.error), [
    'objective threw {"code":42,"detail":"disk full"}',
    "objective threw null",
    'objective threw "a string thrown"',
    "objective threw undefined",
    'objective threw Failure {"code":7}',
    'objective threw {"big":"10n"}',
    "objective returned a bigint (1n), expected a finite number",
    "RangeError: an Error keeps its name and message",
  ]);
});
