/**
 * Property-based harness for stored studies: the generators of tests/smbo/_harness.ts (random
 * spaces × hostile objectives, ask/tell misuse) run through `minimize(..., { storage, study,
 * budget })` on `memory:` and `sqlite:<tmp>` storages, with interruptions and resumes, a worker
 * that died holding a trial, and `createStudy` + ask/tell sessions. Shared by
 * tests/storage/properties_test.ts (seeded, small) and tests/fuzz/smbo_fuzz.ts (`deno task fuzz`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import {
  type AskTellCase,
  askTellCaseArb,
  buildSpace,
  checkBest,
  checkTrials,
  drawPool,
  hostileObjective,
  type MinimizeCase,
  minimizeCaseArb,
  minimizeCaseSetup,
  type Params,
  type Returned,
  runSession,
} from "../smbo/_harness.ts";
import type { Space } from "../../lib/space/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import {
  createStudy,
  loadStudy,
  openStorage,
  type Storage,
  type StoredStudy,
  TrialLostError,
} from "../../lib/storage/mod.ts";
import { BACKENDS } from "./_backends.ts";
import { deadWorker } from "./_dead_worker.ts";

/**
 * The backends the properties run on: generated cases use `memory:` and SQLite; a property may
 * move its cases to PostgreSQL (`METAHPO_TEST_POSTGRES`, a fresh schema per case).
 */
export type CaseBackend = "memory" | "sqlite" | "postgres";

/**
 * Runs `fn` on a fresh storage: a `memory:` storage object, or the URL of a new SQLite file or
 * PostgreSQL schema (dropped afterwards).
 */
async function withCaseStorage<T>(
  backend: CaseBackend,
  fn: (storage: Storage | string) => Promise<T>,
): Promise<T> {
  if (backend === "memory") {
    const storage = await openStorage("memory:");
    try {
      return await fn(storage);
    } finally {
      await storage.close();
    }
  }
  const chosen = BACKENDS.find((b) => b.name === backend)!;
  const url = await chosen.freshUrl();
  try {
    return await fn(url);
  } finally {
    await chosen.cleanup(url);
  }
}

/** One generated `minimize` case of tests/smbo/_harness.ts, run on a stored study. */
export interface StoredMinimizeCase extends MinimizeCase {
  backend: CaseBackend;
  /** Stop after this many finished trials, close, and resume with the full budget. */
  interruptAt?: number;
  /** Before the (last) run, a worker asks a trial and dies without telling it. */
  orphan: boolean;
}

/** Generator of {@linkcode StoredMinimizeCase}s with budgets up to `maxBudget`. */
export function storedMinimizeCaseArb(maxBudget: number): fc.Arbitrary<StoredMinimizeCase> {
  return fc.tuple(
    minimizeCaseArb(maxBudget),
    fc.constantFrom<CaseBackend>("memory", "sqlite"),
    fc.option(fc.integer({ min: 1, max: maxBudget }), { nil: undefined }),
    fc.boolean(),
  ).map(([c, backend, interruptAt, orphan]) => ({
    ...c,
    backend,
    interruptAt: interruptAt !== undefined && interruptAt < c.budget ? interruptAt : undefined,
    orphan,
  }));
}

/** Finished trials: complete, or failed by the objective (not lost with a worker). */
function finished(study: StoredStudy<Params>): number {
  return study.storedTrials.filter((t) =>
    t.status === "complete" || (t.status === "failed" && !t.lost)
  ).length;
}

/** Told trials cannot be told again nor edited; misuse leaves the storage as it was. */
async function checkStoredOutcomesOwned(
  study: StoredStudy<Params>,
  storage: Storage | string,
): Promise<void> {
  const before = JSON.stringify(study.trials);
  for (const trial of study.trials) {
    if (trial.status === "running") continue;
    await assert.rejects(
      study.tell(trial, -1e9),
      (e: Error) => e instanceof TrialLostError && /already told|cannot be told/.test(e.message),
    );
    assert.throws(() => {
      (trial as { value?: number }).value = -1;
    }, TypeError);
    for (const key of Object.keys(trial.params)) {
      assert.throws(() => {
        (trial.params as Record<string, unknown>)[key] = "garbage";
      }, TypeError);
    }
  }
  assert.equal(JSON.stringify(study.trials), before, "misuse changed nothing");
  const reread = await loadStudy<Params>({ storage, name: study.name, space: study.space });
  try {
    assert.equal(JSON.stringify(reread.trials), before, "the storage holds the same trials");
  } finally {
    await reread.close();
  }
}

/** Runs a stored `minimize` case and checks every invariant; returns the trials. */
export async function runStoredMinimizeCase(c: StoredMinimizeCase): Promise<Trial<Params>[]> {
  const space = buildSpace(c.space);
  const log = new Map<number, Returned>();
  const { pool, enqueued, options } = minimizeCaseSetup(c, space);
  const objective = hostileObjective(c.script, log);
  const cap = (budget: number) => pool ? Math.min(budget, pool.length) : budget;
  return await withCaseStorage(c.backend, async (storage) => {
    const run = (budget: number) =>
      minimize(objective, space as Space, { ...options, storage, study: "property", budget });
    let before: Trial<Params>[] = [];
    if (c.interruptAt !== undefined) {
      const first = await run(c.interruptAt);
      assert.equal(finished(first.study as StoredStudy<Params>), cap(c.interruptAt));
      before = first.trials as Trial<Params>[];
      await first.study.close();
    }
    if (c.orphan) {
      // The same study settings; any proposer (a dead worker's choice is lost with it).
      const { batchSize: _b, bayesOpt: _o, proposer: _p, ...settings } = options;
      const dying = await createStudy<Params>({
        ...settings,
        proposer: randomSearch(),
        storage,
        name: "property",
        space: space as Space,
        worker: await deadWorker(),
        loadIfExists: true,
      });
      await dying.askWithin(1);
      await dying.close();
    }
    const result = await run(c.budget);
    const study = result.study as StoredStudy<Params>;
    try {
      const trials = result.trials as Trial<Params>[];
      const lost = new Set(study.storedTrials.filter((t) => t.lost).map((t) => t.number));
      assert.ok(lost.size <= (c.orphan ? 1 : 0), "only the orphan is lost");
      for (const id of lost) {
        assert.equal(trials[id].status, "failed");
        assert.match(trials[id].error!, /is no longer running/, "a lost trial names its worker");
        assert.equal(log.has(id), false, "a lost trial was never evaluated");
      }
      assert.equal(finished(study), cap(c.budget), "exactly the budget finishes");
      assert.deepEqual(trials.slice(0, before.length), before, "a resume keeps what was done");
      checkTrials(space, trials, log, pool, lost);
      enqueued.slice(0, trials.length).forEach((p, i) => {
        assert.deepEqual(Object.entries(trials[i].params), Object.entries(p), "enqueued first");
      });
      checkBest(study);
      await checkStoredOutcomesOwned(study, storage);
      return trials;
    } finally {
      await study.close();
    }
  });
}

/** One generated ask/tell session on a stored study. */
export interface StoredAskTellCase extends AskTellCase {
  backend: CaseBackend;
}

/** Generator of {@linkcode StoredAskTellCase}s with at most `maxActions` steps. */
export function storedAskTellCaseArb(maxActions: number): fc.Arbitrary<StoredAskTellCase> {
  return fc.tuple(askTellCaseArb(maxActions), fc.constantFrom<CaseBackend>("memory", "sqlite"))
    .map(([c, backend]) => ({ ...c, backend }));
}

/** Runs a stored ask/tell session; misuse must reject and change nothing. */
export async function runStoredAskTellCase(c: StoredAskTellCase): Promise<Trial<Params>[]> {
  const space = buildSpace(c.space);
  const pool = c.poolSize ? drawPool(space, c.poolSize, c.seed) : undefined;
  const log = new Map<number, Returned>();
  return await withCaseStorage(c.backend, async (storage) => {
    const study = await createStudy<Params>({
      storage,
      name: "session",
      space: space as Space,
      seed: c.seed,
      initialDesignSize: c.initialDesignSize,
      proposer: bayesOpt({ acquisition: c.acquisition, rawSamples: 64, restarts: 2 }),
      ...(pool ? { candidates: pool } : {}),
    });
    try {
      await runSession(study, space, pool, c.actions, log, () => study.storedTrials.length);
      checkTrials(space, study.trials, log, pool);
      checkBest(study);
      await checkStoredOutcomesOwned(study, storage);
      return study.trials;
    } finally {
      await study.close();
    }
  });
}
