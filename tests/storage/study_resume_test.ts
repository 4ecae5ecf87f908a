/**
 * Stored studies resume exactly: with the default GP proposer (a full refit every 5 fits, warm
 * starts in between) a study interrupted after k trials and resumed proposes what the
 * uninterrupted run proposed, whether its next fit is a full refit or a warm start; through
 * `minimize` and through `createStudy`/`loadStudy` with ask/tell; and workers that take turns
 * propose what one worker would. The uninterrupted runs are those recorded in
 * `tests/fixtures/bayes_opt_resume.json` (see `tests/smbo/_resume_cases.ts`; the stored ones equal
 * the in-memory ones, recorded from the code before stored studies kept the proposer's state). An invalid stored state is an error naming the study and the
 * field; hyperparameters the GP cannot start from mean a full refit.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { minimize, MinimizeStopped } from "../../lib/smbo/minimize.ts";
import { smac } from "../../lib/smbo/presets.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import { transferOptions } from "../../lib/meta/transfer.ts";
import { ABLR_DEFAULTS } from "../../lib/meta/ablr.ts";
import type { SurrogateFactory } from "../../lib/models/surrogate.ts";
import {
  createStudy,
  loadStudy,
  openStorage,
  type Storage,
  StorageError,
  type StoredStudy,
} from "../../lib/storage/mod.ts";
import { budgetedDesignSize } from "../../lib/space/design.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import {
  type RecordedTrial,
  recordTrials,
  RESUME_BUDGET,
  RESUME_SEEDS,
  RESUME_SPACE,
  type ResumeFixture,
  resumeObjective,
  type ResumeParams,
  tempSqlite,
} from "../smbo/_resume_cases.ts";
import { storageTest, withStorage } from "./_backends.ts";

const fixture: ResumeFixture = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/bayes_opt_resume.json", import.meta.url)),
);

// 7 design points; model fits at trials 7 (full), 8–11 (warm), 12 (full), 13 (warm). Stops
// inside the design, before the first fit, before warm starts (8, 10, 13), before a full refit.
const DESIGN = budgetedDesignSize(RESUME_SPACE, RESUME_BUDGET);
const STOPS = [3, 7, 8, 10, 12, 13];

/** The storage option of a test: the storage itself for `memory:` (a URL opens a new one). */
const target = (storage: Storage, url: string) => url === "memory:" ? storage : url;

/** Asks and tells `count` trials. */
async function evaluate(study: StoredStudy<ResumeParams>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const trial = await study.ask();
    await study.tell(trial, resumeObjective(trial.params));
  }
}

storageTest(
  "stored minimize with the default GP: uninterrupted, and interrupted after k trials and resumed, it proposes the recorded run",
  async (backend) => {
    assert.equal(DESIGN, 7);
    for (const seed of RESUME_SEEDS) {
      for (const k of [undefined, ...STOPS]) {
        await withStorage(backend, async (storage, url) => {
          const options = { seed, storage: target(storage, url), study: "resume" };
          if (k !== undefined) {
            // The same call, stopped after k trials (a smaller budget would draw a smaller design).
            let told = 0;
            const first = await minimize(resumeObjective, RESUME_SPACE, {
              ...options,
              budget: RESUME_BUDGET,
              onTrial: () => ++told < k,
            });
            await first.study.close();
          }
          const result = await minimize(resumeObjective, RESUME_SPACE, {
            ...options,
            budget: RESUME_BUDGET,
          });
          await result.study.close();
          assert.deepEqual(
            recordTrials(result.trials as Trial<ResumeParams>[]),
            fixture.stored[seed],
            k === undefined ? `seed ${seed}, uninterrupted` : `seed ${seed}, resumed after ${k}`,
          );
        });
      }
    }
  },
);

storageTest(
  "stored ask/tell with the default GP: closed after k trials and loaded again, it proposes the recorded study",
  async (backend) => {
    for (const seed of RESUME_SEEDS) {
      for (const k of [RESUME_BUDGET, ...STOPS]) {
        await withStorage(backend, async (storage, url) => {
          const first = await createStudy({
            storage: target(storage, url),
            name: "resume",
            space: RESUME_SPACE,
            seed,
          });
          await evaluate(first, k);
          const trials = first.trials;
          await first.close();
          if (k === RESUME_BUDGET) {
            assert.deepEqual(recordTrials(trials), fixture.askTell[seed], `seed ${seed}`);
            return;
          }
          const again = await loadStudy<ResumeParams>({
            storage: target(storage, url),
            name: "resume",
          });
          await evaluate(again, RESUME_BUDGET - k);
          assert.deepEqual(
            recordTrials(again.trials),
            fixture.askTell[seed],
            `seed ${seed}, k ${k}`,
          );
          await again.close();
        });
      }
    }
  },
);

storageTest(
  "workers that take turns on a stored study propose what one worker does: the warm-start state is the study's",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const seed = RESUME_SEEDS[1];
      const open = (worker: string) =>
        createStudy({
          storage: target(storage, url),
          name: "turns",
          space: RESUME_SPACE,
          seed,
          worker,
          loadIfExists: true,
        });
      const workers = [await open("host/1/a"), await open("host/2/b"), await open("host/3/c")];
      // a, b, a, c, b, ...: each fit warm-starts from the fit another worker made
      const order = [0, 1, 0, 2, 1, 1, 2, 0, 2, 1, 0, 0, 2, 1];
      for (const w of order) await evaluate(workers[w], 1);
      await workers[0].refresh();
      assert.deepEqual(recordTrials(workers[0].trials), fixture.askTell[seed]);
      const state = JSON.parse(workers[0].record.proposerState!);
      assert.equal(state.bayesOpt.fits, RESUME_BUDGET - DESIGN);
      assert.equal(state.bayesOpt.surrogate.kernel.length, 4); // 3 lengthscales, 1 outputscale
      assert.ok(state.bayesOpt.surrogate.noise > 0);
      assert.deepEqual(workers[0].userAttrs, {}, "the state is no user attribute");
      for (const w of workers) await w.close();
    });
  },
);

const KILLED_RUN = new URL("./_killed_run.ts", import.meta.url).pathname;

/** Runs tests/storage/_killed_run.ts, which dies with SIGKILL while it evaluates trial `killAt`. */
async function killedRun(url: string, seed: number, killAt: number): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net",
      "--allow-sys",
      "--allow-run",
      KILLED_RUN,
      url,
      String(seed),
      String(killAt),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(out.signal, "SIGKILL", new TextDecoder().decode(out.stderr));
}

storageTest(
  "stored minimize killed with SIGKILL while it evaluates a trial (requeue: false), then rerun: the recorded run, the lost trial aside",
  async (backend) => {
    // Killed inside the first fit's trial (a fresh proposer), a warm start's, a full refit's.
    const cases = [{ seed: 0, kills: [8] }, { seed: 1, kills: [12] }];
    for (const { seed, kills } of cases) {
      const url = await backend.freshUrl();
      try {
        for (const killAt of kills) await killedRun(url, seed, killAt);
        const result = await minimize(resumeObjective, RESUME_SPACE, {
          seed,
          storage: url,
          study: "resume",
          budget: RESUME_BUDGET,
        });
        const stored = result.study.storedTrials;
        await result.study.close();
        const label = `seed ${seed}, killed in trials ${kills}`;
        const lost = stored.filter((t) => t.lost);
        assert.deepEqual(lost.map((t) => t.number), kills, label);
        for (const t of lost) {
          assert.match(t.error!, /^worker \S+ is no longer running/, label);
          // The configuration the uninterrupted run evaluated there, made again after it.
          assert.deepEqual(t.params, fixture.stored[seed][kills[0]].params, label);
        }
        const evaluated = result.trials.filter((t) => !lost.some((l) => l.number === t.id));
        assert.deepEqual(
          recordTrials(evaluated as Trial<ResumeParams>[]),
          fixture.stored[seed],
          label,
        );
      } finally {
        await backend.cleanup(url);
      }
    }
  },
  { backends: ["sqlite", "postgres"] },
);

storageTest(
  "stored minimize killed twice in a row in the same proposal (the lost one, then the trial that made it again), then rerun: that configuration is not proposed a third time",
  async (backend) => {
    const seed = 1;
    const url = await backend.freshUrl();
    try {
      await killedRun(url, seed, 7);
      await killedRun(url, seed, 8);
      const result = await minimize(resumeObjective, RESUME_SPACE, {
        seed,
        storage: url,
        study: "resume",
        budget: RESUME_BUDGET,
      });
      const stored = result.study.storedTrials;
      const record = result.study.record;
      await result.study.close();
      assert.equal(result.stopped, "budget");
      assert.deepEqual(stored.filter((t) => t.lost).map((t) => t.number), [7, 8]);
      // Trial 8 made the lost proposal of trial 7 again (the recorded run's trial 7); lost too, it
      // is not undone: trial 9 draws the next stream instead of the same configuration again.
      assert.deepEqual(stored[7].params, fixture.stored[seed][7].params);
      assert.deepEqual(stored[8].params, fixture.stored[seed][7].params);
      assert.notDeepEqual(stored[9].params, fixture.stored[seed][7].params);
      assert.deepEqual(record.undoneProposals, [7]);
      assert.deepEqual(record.redoneProposals, { 7: 8 });
      assert.deepEqual(
        recordTrials(result.trials.slice(0, 7) as Trial<ResumeParams>[]),
        fixture.stored[seed].slice(0, 7),
      );
      assert.equal(stored.filter((t) => t.status === "complete").length, RESUME_BUDGET);
    } finally {
      await backend.cleanup(url);
    }
  },
  { backends: ["sqlite", "postgres"] },
);

storageTest(
  "a proposal is made again once: a configuration whose workers die, lost again when made again, is not proposed a third time, and the study goes on",
  async (backend) => {
    const exited = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await exited.status;
    // Workers of a process that has exited: their trials are lost at the next claim.
    const dead = (name: string) => `${Deno.hostname()}/${exited.pid}/${name}`;
    await withStorage(backend, async (storage, url) => {
      for (const q of [1, 2]) {
        const options = {
          name: `poison ${q}`,
          space: RESUME_SPACE,
          seed: 3,
          initialDesignSize: 0,
          proposer: randomSearch(),
          loadIfExists: true,
          storage: target(storage, url),
        };
        const open = (worker: string) => createStudy({ ...options, worker });
        const ask = async (worker: string) => {
          const study = await open(worker);
          const trials = await study.ask(q);
          await study.close();
          return trials;
        };
        const params = (trials: Trial<ResumeParams>[]) => trials.map((t) => t.params);
        const first = await ask(dead("a")); // lost: its worker's process exited
        const again = await ask(dead("b")); // made again, and lost again
        const next = await ask(dead("c")); // not made a third time: the next streams
        const label = `batches of ${q}`;
        assert.deepEqual(again.map((t) => t.id), first.map((t) => t.id + q), label);
        assert.deepEqual(params(again), params(first), label);
        assert.deepEqual(next.map((t) => t.id), first.map((t) => t.id + 2 * q), label);
        for (const t of next) {
          for (const p of params(first)) assert.notDeepEqual(t.params, p, label);
        }
        // A single loss after that is undone once again, as a first one: made again exactly.
        const live = await open("host/1/live");
        const after = await live.ask(q);
        assert.deepEqual(params(after), params(next), label);
        await live.refresh();
        const numbers = (trials: Trial<ResumeParams>[]) => trials.map((t) => t.id);
        assert.deepEqual(live.record.undoneProposals, [...numbers(first), ...numbers(next)], label);
        assert.deepEqual(
          live.record.redoneProposals,
          Object.fromEntries(
            [...first, ...next].map((t, i) => [t.id, [...again, ...after][i].id]),
          ),
          label,
        );
        for (const t of after) await live.tell(t, resumeObjective(t.params));
        await live.close();
        // The model sees the configurations lost when made again as failed (at the worst value),
        // so that it turns away from them; the other lost trials it does not see.
        const seen: number[][] = [];
        const random = randomSearch();
        const recording: Proposer = {
          name: "recording",
          propose(context, n) {
            seen.push([...context.values]);
            return random.propose(context, n);
          },
        };
        const last = await createStudy({ ...options, proposer: recording, worker: "host/2/x" });
        await last.ask();
        await last.close();
        const worst = Math.max(...after.map((t) => resumeObjective(t.params)));
        assert.deepEqual(seen, [[...after.map((t) => resumeObjective(t.params)), worst, worst]
          .slice(0, 2 * q)], label);
      }
    });
  },
);

storageTest(
  "a proposal whose trial is lost before any later proposal is made again; one that another worker's proposal follows keeps its random stream",
  async (backend) => {
    const options = {
      name: "lost",
      space: RESUME_SPACE,
      seed: 3,
      initialDesignSize: 0,
      proposer: randomSearch(),
      loadIfExists: true,
    };
    // A process that has exited, and one that runs until it is killed.
    const exited = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await exited.status;
    const sleeper = new Deno.Command(Deno.execPath(), {
      args: ["eval", "await new Promise((resolve) => setTimeout(resolve, 600_000))"],
    }).spawn();
    try {
      await withStorage(backend, async (storage, url) => {
        const open = (worker: string) =>
          createStudy({ ...options, storage: target(storage, url), worker });
        const dead = await open(`${Deno.hostname()}/${exited.pid}/dead`);
        const b = await open("host/1/b");
        // Lost before any later proposal: the next proposal makes it again.
        const lostFirst = await dead.ask();
        const again = await b.ask();
        assert.deepEqual([lostFirst.id, again.id], [0, 1]);
        assert.equal(b.storedTrials[0].lost, true);
        assert.deepEqual(again.params, lostFirst.params);
        await b.refresh();
        assert.deepEqual(b.record.undoneProposals, [0]);
        await b.tell(again, resumeObjective(again.params));
        // Lost after another worker's proposal (made while it ran): that worker's next proposal
        // draws a stream of its own, not its last one's again (no configuration twice).
        const alive = await open(`${Deno.hostname()}/${sleeper.pid}/alive`);
        const lostLater = await alive.ask();
        const third = await b.ask();
        sleeper.kill("SIGKILL");
        await sleeper.status;
        const fourth = await b.ask();
        assert.deepEqual([lostLater.id, third.id, fourth.id], [2, 3, 4]);
        assert.equal(b.storedTrials[2].lost, true);
        assert.notDeepEqual(fourth.params, third.params);
        await b.refresh();
        assert.deepEqual(b.record.undoneProposals, [0]);
        // One worker, alone: the same configurations, the trial lost first aside.
        const one = await createStudy({ ...options, storage: "memory:" });
        const first = await one.ask();
        await one.tell(first, resumeObjective(first.params));
        const rest = [await one.ask(), await one.ask(), await one.ask()];
        assert.deepEqual(
          [first, ...rest].map((t) => t.params),
          [again, lostLater, third, fourth].map((t) => t.params),
        );
        for (const study of [one, dead, alive, b]) await study.close();
      });
    } finally {
      try {
        sleeper.kill("SIGKILL");
      } catch { /* already ended */ }
      await sleeper.status;
    }
  },
);

Deno.test("a study whose lost proposal an earlier metahpo made again, without recording by which trial, goes on as with the record", async () => {
  const exited = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
  await exited.status;
  const { url, cleanup } = await tempSqlite();
  try {
    const options = {
      storage: url,
      name: "legacy",
      space: RESUME_SPACE,
      seed: 3,
      initialDesignSize: 0,
      proposer: randomSearch(),
      loadIfExists: true,
    };
    const dead = await createStudy({ ...options, worker: `${Deno.hostname()}/${exited.pid}/d` });
    const lost = await dead.ask();
    await dead.close();
    const b = await createStudy({ ...options, worker: "host/1/b" });
    const again = await b.ask(); // makes trial 0's proposal again
    await b.tell(again, resumeObjective(again.params));
    await b.close();
    assert.deepEqual(again.params, lost.params);
    // As metahpo before the record of the trials that made undone proposals again left it.
    const db = new DatabaseSync(url.slice("sqlite:".length));
    try {
      const removed = db.prepare("DELETE FROM metahpo_study_attrs WHERE key = ?")
        .run("\uFDD0redone-proposals");
      assert.equal(removed.changes, 1);
    } finally {
      db.close();
    }
    const resumed = await createStudy({ ...options, worker: "host/2/c" });
    assert.deepEqual(resumed.record.undoneProposals, [0]);
    assert.deepEqual(resumed.record.redoneProposals, { 0: null });
    const next = await resumed.ask();
    await resumed.close();
    // One worker, uninterrupted: its second proposal.
    const one = await createStudy({ ...options, storage: "memory:" });
    const first = await one.ask();
    await one.tell(first, resumeObjective(first.params));
    assert.deepEqual(next.params, (await one.ask()).params);
    await one.close();
  } finally {
    await cleanup();
  }
});

/** Replaces the stored proposer state of study `resume` in a closed SQLite file. */
function writeState(url: string, text: string): void {
  const db = new DatabaseSync(url.slice("sqlite:".length));
  try {
    const changed = db.prepare(
      "UPDATE metahpo_study_attrs SET value = ? WHERE key = ?",
    ).run(text, "\uFDD0proposer-state");
    assert.equal(changed.changes, 1);
  } finally {
    db.close();
  }
}

/** The trials of study `resume` stopped after 9 trials, its state replaced, then resumed. */
async function resumeWithState(seed: number, state: string): Promise<RecordedTrial[]> {
  const { url, cleanup } = await tempSqlite();
  try {
    const options = { seed, storage: url, study: "resume", initialDesignSize: DESIGN };
    const first = await minimize(resumeObjective, RESUME_SPACE, { ...options, budget: 9 });
    await first.study.close();
    writeState(url, state);
    const result = await minimize(resumeObjective, RESUME_SPACE, {
      ...options,
      budget: RESUME_BUDGET,
    });
    await result.study.close();
    return recordTrials(result.trials as Trial<ResumeParams>[]);
  } finally {
    await cleanup();
  }
}

Deno.test("stored studies: an invalid proposer state is an error naming the study and the field", async () => {
  const cases: [string, RegExp][] = [
    ["{not json", /not JSON/],
    ["[1, 2]", /the stored proposer state is invalid: must be an object/],
    ['{"bayesOpt": 3}', /invalid: bayesOpt: must be an object/],
    ['{"bayesOpt": {"fits": -1}}', /invalid: bayesOpt\.fits: must be a non-negative integer/],
    ['{"bayesOpt": {"fits": 1.5}}', /invalid: bayesOpt\.fits: must be a non-negative integer/],
    ['{"bayesOpt": {"fits": 2, "queue": [[0.5, "x"]]}}', /invalid: bayesOpt\.queue\[0\]\[1\]/],
    ['{"bayesOpt": {"fits": 2, "fitz": 3}}', /invalid: bayesOpt.*fitz/],
  ];
  for (const [state, message] of cases) {
    await assert.rejects(
      resumeWithState(0, state),
      (error: Error) =>
        error instanceof StorageError && /study "resume": the stored proposer state/.test(
          error.message,
        ) && message.test(error.message),
      state,
    );
  }
});

Deno.test("stored studies: hyperparameters the GP cannot start from mean a full refit, deterministically", async () => {
  const recorded = fixture.stored[0];
  // After 9 trials the stored state is that of fit 2 (a warm start comes next); without usable
  // hyperparameters that fit is made from scratch, the same whatever the unusable state.
  const noHyperparameters = await resumeWithState(0, '{"bayesOpt": {"fits": 2}}');
  assert.deepEqual(noHyperparameters.slice(0, 9), recorded.slice(0, 9));
  assert.notDeepEqual(noHyperparameters.slice(9), recorded.slice(9), "the fit differs");
  for (
    const surrogate of [
      '{"kernel": [0.5, 0.5], "noise": 0.01}', // another kernel size
      '{"kernel": [0.5, 0.5, -1, 1], "noise": 0.01}', // not positive
      '{"kernel": [0.5, 0.5, 0.5, 1], "noise": 0.01, "mean": 2}', // not the GP's
      '"hyperparameters"',
    ]
  ) {
    assert.deepEqual(
      await resumeWithState(0, `{"bayesOpt": {"fits": 2, "surrogate": ${surrogate}}}`),
      noHyperparameters,
      surrogate,
    );
  }
  // a state without the proposer's key: a fresh proposer (the first fit, a full one)
  const fresh = await resumeWithState(0, '{"other": 1}');
  assert.deepEqual(fresh, await resumeWithState(0, '{"other": 1}'));
});

storageTest(
  "stored studies: user attributes cannot use the proposer state's keys",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const study = await createStudy({ storage, name: "attrs", space: RESUME_SPACE });
      await assert.rejects(
        study.setUserAttr("\uFDD0proposer-state", 1),
        /setUserAttr\.key: must not start with U\+FDD0/,
      );
      await study.setUserAttr("note", "kept");
      await evaluate(study, DESIGN + 1);
      await study.refresh();
      assert.deepEqual(study.userAttrs, { note: "kept" });
      assert.equal(JSON.parse(study.record.proposerState!).bayesOpt.fits, 1);
      const listed = await storage.listStudies();
      assert.deepEqual(listed[0].userAttrs, { note: "kept" });
      await study.close();
    });
  },
  { backends: ["memory", "postgres"] },
);

Deno.test("stored minimize with smac({ retrainAfter: 4 }): resumed in the middle of a fit's list, it proposes what the uninterrupted run does", async () => {
  const run = async (stops: number[]) => {
    const { url, cleanup } = await tempSqlite();
    try {
      let result;
      for (const budget of [...stops, RESUME_BUDGET]) {
        result = await minimize(resumeObjective, RESUME_SPACE, {
          seed: 3,
          storage: url,
          study: "smac",
          budget,
          initialDesignSize: DESIGN,
          proposer: smac({ retrainAfter: 4 }),
        });
        await result.study.close();
      }
      return recordTrials(result!.trials as Trial<ResumeParams>[]);
    } finally {
      await cleanup();
    }
  };
  const uninterrupted = await run([]);
  // the fits at trials 7 and 11 list 4 candidates each: resume after the first, second, third
  assert.deepEqual(await run([8, 10]), uninterrupted);
  assert.deepEqual(await run([9, 13]), uninterrupted);
});

/**
 * A GP factory without `warmStartState` (a user's, say) that logs, for each fit that is not a
 * fantasy, its mode and whether it was given the previous surrogate.
 */
function loggingFactory(log: string[]): SurrogateFactory {
  const gp = gpFactory();
  return {
    name: "logged-gp",
    gradients: true,
    fit(points, values, rng, hints) {
      if (hints?.mode !== "keep") {
        log.push(`${hints?.mode}:${hints?.previous ? "previous" : "none"}`);
      }
      return gp.fit(points, values, rng, hints);
    },
  };
}

/** `proposer` without `saveState`/`restoreState`: a stored study keeps its memory in the process. */
function inProcess(proposer: Proposer): Proposer {
  return { name: proposer.name, propose: (context, q) => proposer.propose(context, q) };
}

Deno.test("stored minimize with a surrogate without warmStartState: an uninterrupted process gives each fit the previous surrogate, as in memory", async () => {
  const run = async (stored: boolean, wrap: (p: Proposer) => Proposer = (p) => p) => {
    const log: string[] = [];
    const { url, cleanup } = await tempSqlite();
    try {
      const result = await minimize(resumeObjective, RESUME_SPACE, {
        budget: RESUME_BUDGET,
        seed: 1,
        proposer: wrap(bayesOpt({ surrogate: loggingFactory(log) })),
        ...(stored ? { storage: url, study: "logged" } : {}),
      });
      if (stored) await (result.study as unknown as StoredStudy<ResumeParams>).close();
      return { log, trials: recordTrials(result.trials as Trial<ResumeParams>[]) };
    } finally {
      await cleanup();
    }
  };
  const memory = await run(false);
  const stored = await run(true);
  // a full fit, warm starts from the previous fit, a full refit every 5 fits
  assert.deepEqual(memory.log.slice(0, 6), [
    "full:none",
    "warm-start:previous",
    "warm-start:previous",
    "warm-start:previous",
    "warm-start:previous",
    "full:previous",
  ]);
  assert.deepEqual(stored.log, memory.log);
  // and it proposes what a stored study that keeps the proposer's memory in the process does
  assert.deepEqual(stored.trials, (await run(true, inProcess)).trials);
});

Deno.test("stored studies: a proposer whose saveState is not a plain JSON object is an error naming it, and nothing is stored", async () => {
  const base = randomSearch();
  for (
    const [state, message] of [
      [[1, 2], /proposer "mine": saveState\(\): must return a plain JSON object, got an array/],
      [null, /got null/],
      [new Map(), /got a Map/],
      [{ mine: { n: NaN } }, /proposer "mine": saveState\(\)\.mine\.n: must be a JSON value/],
    ] as const
  ) {
    const mine: Proposer = {
      name: "mine",
      propose: (context, q) => base.propose(context, q),
      saveState: () => state as unknown as Record<string, unknown>,
      restoreState: () => {},
    };
    const study = await createStudy({
      name: "p",
      space: RESUME_SPACE,
      seed: 0,
      initialDesignSize: 1,
      proposer: mine,
    });
    await evaluate(study, 1);
    await assert.rejects(
      study.ask(),
      (error: Error) => error instanceof TypeError && message.test(error.message),
    );
    await study.refresh();
    assert.equal(study.record.proposerState, undefined);
    assert.equal(study.storedTrials.length, 1, "no trial recorded");
    // the storage refuses such a state too
    await assert.rejects(
      study.storage.claim(study.id, {
        worker: "w",
        leaseMs: 60_000,
        requeue: false,
        proposal: { params: { x: 0, lr: 0.01, n: 3 }, source: "model", basedOnSeq: 0 },
        proposerState: [1] as unknown as Record<string, unknown>,
      }),
      /claim\.proposerState: must be a JSON object, got an array/,
    );
    const request = {
      worker: "w",
      leaseMs: 60_000,
      requeue: false,
      proposal: { params: { x: 0, lr: 0.01, n: 3 }, source: "model" as const, basedOnSeq: 0 },
      proposerState: { fits: 1 },
    };
    await assert.rejects(
      study.storage.claim(study.id, { ...request, proposerStateBase: null as never }),
      /claim\.proposerStateBase: must be a JSON object, got null/,
    );
    await assert.rejects(
      study.storage.claim(study.id, { ...request, undone: [1.5] }),
      /claim\.undone\[0\]: must be an integer/,
    );
    await study.refresh();
    assert.equal(study.storedTrials.length, 1, "no trial recorded");
    await study.close();
  }
});

storageTest(
  "stored studies: resetProposerState clears a state the proposer cannot restore, and later proposals record theirs again",
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const options = { storage: target(storage, url), study: "reset", seed: 0 };
      // the default GP's state, then a proposer that cannot restore it
      const first = await minimize(resumeObjective, RESUME_SPACE, {
        ...options,
        budget: DESIGN + 2,
        initialDesignSize: DESIGN,
      });
      await first.study.close();
      const broken = await loadStudy<ResumeParams>({
        storage: target(storage, url),
        name: "reset",
        proposer: {
          name: "strict",
          propose: (context, q) => randomSearch().propose(context, q),
          saveState: () => ({ strict: 1 }),
          restoreState: (_memory, state) => {
            if (!Object.hasOwn(state, "strict")) throw new TypeError("strict: missing");
          },
        },
      });
      await assert.rejects(
        evaluate(broken, 1),
        (error: Error) =>
          error instanceof StorageError &&
          /study "reset": the stored proposer state is invalid: strict: missing/.test(
            error.message,
          ) &&
          /study\.resetProposerState\(\) clears it/.test(error.message),
      );
      const trials = broken.storedTrials.length;
      await broken.resetProposerState();
      assert.equal(broken.record.proposerState, undefined);
      assert.equal(broken.storedTrials.length, trials, "trials are kept");
      await evaluate(broken, 2);
      await broken.refresh();
      assert.deepEqual(JSON.parse(broken.record.proposerState!), { strict: 1 });
      await broken.close();
    });
  },
);

Deno.test('stored minimize with acquisition "lognei": interrupted after k trials and resumed, it proposes what the uninterrupted run does', async () => {
  // Noisy EI draws its posterior samples from the proposal's random stream: a resumed study must
  // draw the same ones.
  const run = async (k?: number) => {
    const { url, cleanup } = await tempSqlite();
    const options = {
      seed: 3,
      storage: url,
      study: "nei",
      initialDesignSize: DESIGN,
      proposer: bayesOpt({ acquisition: "lognei" }),
    };
    try {
      if (k !== undefined) {
        const first = await minimize(resumeObjective, RESUME_SPACE, { ...options, budget: k });
        await (first.study as unknown as StoredStudy<ResumeParams>).close();
        options.proposer = bayesOpt({ acquisition: "lognei" });
      }
      const result = await minimize(resumeObjective, RESUME_SPACE, {
        ...options,
        budget: RESUME_BUDGET,
      });
      await (result.study as unknown as StoredStudy<ResumeParams>).close();
      return recordTrials(result.trials as Trial<ResumeParams>[]);
    } finally {
      await cleanup();
    }
  };
  const uninterrupted = await run();
  assert.ok(uninterrupted.some((t) => t.source === "model"));
  for (const k of [DESIGN, DESIGN + 2, RESUME_BUDGET - 1]) {
    assert.deepEqual(await run(k), uninterrupted, `resumed after ${k}`);
  }
});

Deno.test('stored minimize with transfer strategy "ablr": interrupted after k trials and resumed, it proposes what the uninterrupted run does', async () => {
  // ABLR refits its feature map jointly with the target every `refitEvery` observations, each
  // refit warm-started from the previous one: a resumed study must start from the saved map, on
  // the same refit schedule. "ablr-fixed" (no refit) saves nothing of its surrogate.
  const grid: ResumeParams[] = [
    { x: -1.5, lr: 1e-3, n: 2 },
    { x: -0.5, lr: 3e-2, n: 12 },
    { x: 0.1, lr: 1e-2, n: 5 },
    { x: 0.6, lr: 0.3, n: 8 },
    { x: 1.2, lr: 2e-4, n: 15 },
    { x: 1.8, lr: 5e-2, n: 3 },
  ];
  const past = [0.1, 0.5, -0.3].map((shift, i) => ({
    id: `past${i}`,
    trials: grid.map((params) => ({
      params,
      value: resumeObjective({ ...params, x: params.x - shift }),
    })),
  }));
  const budget = 12;
  const run = async (
    strategy: "ablr" | "ablr-fixed",
    refitEvery: number,
    stops: number[],
    batchSize = 1,
  ) => {
    const { url, cleanup } = await tempSqlite();
    try {
      let result;
      let state;
      for (const stop of [...stops, budget]) {
        // each part in a "new process": a new proposer and a new ABLR factory
        result = await minimize(resumeObjective, RESUME_SPACE, {
          seed: 2,
          storage: url,
          study: "ablr",
          budget: stop,
          batchSize,
          ...transferOptions(past, RESUME_SPACE, {
            strategy,
            ablr: { hidden: 6, features: 6, iterations: 30, refitEvery, refitIterations: 4 },
          }),
        });
        const study = result.study as unknown as StoredStudy<ResumeParams>;
        await study.refresh();
        const saved = study.record.proposerState;
        state = saved === undefined ? undefined : JSON.parse(saved).bayesOpt;
        await study.close();
      }
      return { trials: recordTrials(result!.trials as Trial<ResumeParams>[]), state };
    } finally {
      await cleanup();
    }
  };
  for (
    const [strategy, refitEvery] of [
      ["ablr", 2],
      ["ablr", 3],
      ["ablr", ABLR_DEFAULTS.refitEvery],
      ["ablr-fixed", 0],
    ] as const
  ) {
    const label = `${strategy}, refitEvery ${refitEvery}`;
    const { trials: uninterrupted, state } = await run(strategy, refitEvery, []);
    assert.equal(uninterrupted[0].source, "enqueued");
    assert.ok(uninterrupted.slice(1).every((t) => t.source === "model"), label);
    assert.equal(state.fits, budget - 1, label);
    if (strategy === "ablr-fixed") {
      assert.equal(state.surrogate, undefined, "ablr-fixed: nothing of its surrogate is saved");
    } else {
      // the last fit (11 observations) used the map refitted at 10 (every 2 or 5, the default)
      // or 9 (every 3): a 3→6→6 network and the heads of 3 prior tasks and the target
      assert.equal(state.surrogate.refitted, refitEvery === 3 ? 9 : 10, label);
      assert.equal(state.surrogate.theta.length, 3 * 6 + 6 + 6 * 6 + 6 + 2 * 4, label);
    }
    // before the first fit, before a refit, between refits, and several times in one run
    for (const stops of [[1], [2], [3], [4], [5, 8], [6, 7, 10, 11]]) {
      assert.deepEqual(
        (await run(strategy, refitEvery, stops)).trials,
        uninterrupted,
        `${label}, resumed after ${stops}`,
      );
    }
  }
  // In batches of 3 the fits of a proposal's later points add the earlier ones at their believed
  // values and may refit the map on them; the next proposal continues from the proposal's first
  // fit (the one whose state is saved), in a resumed study as in the uninterrupted run.
  const batched = (await run("ablr", 2, [], 3)).trials;
  for (const stops of [[3], [6], [3, 9]]) {
    assert.deepEqual((await run("ablr", 2, stops, 3)).trials, batched, `batches, after ${stops}`);
  }
});

Deno.test("stored minimize: a proposer that throws stops it with MinimizeStopped, every stored trial kept", async () => {
  const { url, cleanup } = await tempSqlite();
  try {
    const cause = new RangeError("no more ideas");
    const base = randomSearch();
    let calls = 0;
    const broken: Proposer = {
      name: "broken",
      propose: (context, q) => {
        if (++calls === 3) throw cause;
        return base.propose(context, q);
      },
    };
    const run = () =>
      minimize(resumeObjective, RESUME_SPACE, {
        seed: 0,
        storage: url,
        study: "broken",
        budget: 10,
        initialDesignSize: 2,
        proposer: broken,
      });
    const error = await run().then(() => undefined, (e) => e);
    assert.ok(error instanceof MinimizeStopped, `rejected with ${error}`);
    assert.equal(error.cause, cause);
    assert.equal(error.result.stopped, "proposer");
    assert.match(
      error.message,
      /^minimize: proposer "broken" failed after 4 trials \(no more ideas\)/,
    );
    assert.equal(error.result.trials.length, 4);
    // Stored: a rerun resumes the study (the proposer works again) and ends at the budget.
    const resumed = await run();
    assert.equal(resumed.trials.length, 10);
    assert.deepEqual(
      resumed.trials.slice(0, 4).map((t) => t.params),
      error.result.trials.map((t) => t.params),
    );
    await resumed.study.close();
  } finally {
    await cleanup();
  }
});

Deno.test("a resumed study given another initialDesignSize: the error says that leaving it out resumes with the study's own, and that a size computed from the budget moves with it", async () => {
  const storage = await openStorage("memory:");
  try {
    const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
    const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + p.y;
    const first = await minimize(f, space, {
      storage,
      study: "s",
      budget: 3,
      initialDesignSize: 1,
    });
    await first.study.close();
    await assert.rejects(
      minimize(f, space, { storage, study: "s", budget: 5, initialDesignSize: 4 }),
      (e: Error) => {
        assert.ok(e instanceof TypeError, String(e));
        assert.ok(
          e.message.startsWith(
            'study "s": options.initialDesignSize is 4, but the study was created with 1; leave ' +
              "options.initialDesignSize out to resume with the study's own (1). A size computed " +
              "from the budget, such as smacInitialDesignSize(space, budget), differs when the " +
              "budget does",
          ),
          e.message,
        );
        return true;
      },
    );
    const resumed = await minimize(f, space, { storage, study: "s", budget: 5 });
    assert.equal(resumed.trials.length, 5);
    await resumed.study.close();
  } finally {
    await storage.close();
  }
});

Deno.test("a study resumed with another proposer is not refused: smac() starts from the default GP's stored state, as the README says", async () => {
  const storage = await openStorage("memory:");
  try {
    const space = defineSpace({ x: float(-5, 10), y: float(0, 15) });
    const f = (p: { x: number; y: number }) => (p.x - 1) ** 2 + (p.y - 2) ** 2;
    const first = await minimize(f, space, { storage, study: "s", budget: 7, seed: 1 });
    await first.study.close();
    const resumed = await minimize(f, space, {
      storage,
      study: "s",
      budget: 9,
      seed: 1,
      proposer: smac(),
    });
    assert.deepEqual(resumed.trials.slice(5).map((t) => t.source), [
      "model",
      "model",
      "model",
      "model",
    ]);
    await resumed.study.close();
  } finally {
    await storage.close();
  }
});
