/**
 * Property-based harness for the optimiser: fast-check generators of search spaces (floats and
 * ints on linear, log and step scales with extreme bounds, categoricals, fixed values, odd names)
 * and of hostile objectives (throws, NaN, ±Infinity, non-numbers, 1e±300, constants, duplicates,
 * async rejections, argument mutation), run through `minimize`, ask/tell with batches, pool mode,
 * enqueue and misuse of `tell`, with the invariants every run must keep. Shared by
 * tests/smbo/properties_test.ts (seeded, small) and tests/fuzz/smbo_fuzz.ts (`deno task fuzz`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import {
  categorical,
  type Choice,
  defineSpace,
  fixed,
  float,
  int,
  type ParamDefinition,
  type Space,
} from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { minimize, type MinimizeOptions } from "../../lib/smbo/minimize.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { type AcquisitionName, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import { transferOptions, type TransferStrategy } from "../../lib/meta/transfer.ts";

/** A configuration of a generated space. */
export type Params = Record<string, Choice>;

// ---------------------------------------------------------------------------------------------
// Spaces

const ODD_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "0",
  "1",
  "10",
  "2",
  "a b",
  "x.y",
  "ü",
  "lr",
];

const nameArb = fc.oneof(
  fc.constantFrom(...ODD_NAMES),
  fc.string({ minLength: 1, maxLength: 5 }),
);

const MAGNITUDES = [
  -Number.MAX_VALUE,
  -1e300,
  -1e10,
  -1,
  -1e-300,
  0,
  1e-300,
  1e-10,
  0.5,
  1,
  1e10,
  1e300,
  Number.MAX_VALUE,
];

const linearFloatArb: fc.Arbitrary<ParamDefinition> = fc.oneof(
  fc.tuple(fc.constantFrom(...MAGNITUDES), fc.constantFrom(...MAGNITUDES)),
  fc.tuple(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  ),
).filter(([a, b]) => a !== b).map(([a, b]) => float(Math.min(a, b), Math.max(a, b)));

const POSITIVE = [Number.MIN_VALUE, 1e-300, 1e-10, 1e-3, 1, 7, 1e5, 1e300, Number.MAX_VALUE];
const logFloatArb: fc.Arbitrary<ParamDefinition> = fc.tuple(
  fc.constantFrom(...POSITIVE),
  fc.constantFrom(...POSITIVE),
).filter(([a, b]) => a !== b).map(([a, b]) => float(Math.min(a, b), Math.max(a, b), { log: true }));

const stepFloatArb: fc.Arbitrary<ParamDefinition> = fc.tuple(
  fc.integer({ min: -100, max: 100 }),
  fc.constantFrom(0.25, 0.5, 1, 2, 1e3),
  fc.integer({ min: 1, max: 40 }),
).map(([low, step, k]) => float(low, low + k * step, { step }));

const intArb: fc.Arbitrary<ParamDefinition> = fc.oneof(
  fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 1000 })).map((
    [low, k],
  ) => int(low, low + k)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1e6 })).map((
    [low, k],
  ) => int(low, low + k, { log: true })),
  fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 2, max: 7 }), fc.nat(20)).map((
    [low, step, k],
  ) => int(low, low + (k + 1) * step, { step })),
  fc.constant(int(-(2 ** 51), 2 ** 51 - 1)), // 2^52 values, the most a grid may have
);

const choiceArb: fc.Arbitrary<Choice> = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constantFrom(1e300, -1e-300, 0.5),
);

const categoricalArb: fc.Arbitrary<ParamDefinition> = fc.uniqueArray(choiceArb, {
  minLength: 1,
  maxLength: 4,
  selector: (c) => `${typeof c}:${String(c)}`,
}).map((choices) => categorical(choices));

const fixedArb: fc.Arbitrary<ParamDefinition> = choiceArb.map((v) => fixed(v));

const paramArb: fc.Arbitrary<ParamDefinition> = fc.oneof(
  { arbitrary: linearFloatArb, weight: 3 },
  { arbitrary: logFloatArb, weight: 2 },
  { arbitrary: stepFloatArb, weight: 1 },
  { arbitrary: intArb, weight: 3 },
  { arbitrary: categoricalArb, weight: 2 },
  { arbitrary: fixedArb, weight: 1 },
);

/** A search space definition as (name, definition) pairs in declaration order. */
export const spaceArb: fc.Arbitrary<[string, ParamDefinition][]> = fc.uniqueArray(
  fc.tuple(nameArb, paramArb),
  { minLength: 1, maxLength: 4, selector: ([name]) => name },
);

/** Builds the space of generated pairs (an own property per name, `__proto__` included). */
export function buildSpace(entries: readonly [string, ParamDefinition][]): Space {
  return defineSpace(Object.fromEntries(entries));
}

// ---------------------------------------------------------------------------------------------
// Hostile objectives

/** How the objective answers a trial. */
export const OUTCOME_KINDS = [
  "value",
  "value",
  "value",
  "throw",
  "throwString",
  "nan",
  "inf",
  "-inf",
  "string",
  "undefined",
  "null",
  "object",
  "huge",
  "-huge",
  "tiny",
  "constant",
  "outlier",
  "asyncValue",
  "asyncReject",
  "mutate",
  "max",
  "-max",
  "bigint",
] as const;

/** One outcome kind. */
export type OutcomeKind = typeof OUTCOME_KINDS[number];

/** A deterministic objective: trial `id` answers with `script[id % script.length]`. */
export const scriptArb: fc.Arbitrary<OutcomeKind[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.constantFrom(...OUTCOME_KINDS), weight: 1 },
    { arbitrary: fc.constantFrom<OutcomeKind>("value", "asyncValue", "mutate"), weight: 1 },
  ),
  { minLength: 1, maxLength: 6 },
);

/** A finite (mostly) number computed from a configuration. */
function base(params: Params): number {
  let s = 0;
  for (const key of Object.keys(params)) {
    const v = params[key];
    s += typeof v === "number" ? v : typeof v === "string" ? v.length : v ? 1 : 0;
  }
  return s;
}

/** What the objective returned for a trial (to check the recorded outcome against). */
export interface Returned {
  kind: OutcomeKind;
  value: unknown;
  rejected: boolean;
}

/** The hostile objective of a script, recording what it returned per trial id. */
export function hostileObjective(script: readonly OutcomeKind[], log: Map<number, Returned>) {
  return (params: Params, trial: Trial<Params>): number | Promise<number> => {
    const kind = script[trial.id % script.length];
    const b = base(params);
    const note = (value: unknown, rejected = false) => log.set(trial.id, { kind, value, rejected });
    switch (kind) {
      case "value":
        note(b);
        return b;
      case "throw":
        note(undefined, true);
        throw new Error("objective failed on purpose");
      case "throwString":
        note(undefined, true);
        throw "a string thrown";
      case "nan":
        note(NaN);
        return NaN;
      case "inf":
        note(Infinity);
        return Infinity;
      case "-inf":
        note(-Infinity);
        return -Infinity;
      case "string":
        note("1.5");
        return "1.5" as unknown as number;
      case "undefined":
        note(undefined);
        return undefined as unknown as number;
      case "null":
        note(null);
        return null as unknown as number;
      case "object":
        note({ value: 1 });
        return { value: 1 } as unknown as number;
      case "huge":
        note(1e300);
        return 1e300;
      case "-huge":
        note(-1e300);
        return -1e300;
      case "tiny":
        note(1e-300 * Math.sign(b || 1));
        return 1e-300 * Math.sign(b || 1);
      case "constant":
        note(42);
        return 42;
      case "outlier": {
        const v = trial.id % 2 === 0 ? 1e200 : b;
        note(v);
        return v;
      }
      case "asyncValue":
        note(b);
        return Promise.resolve(b);
      case "asyncReject":
        note(undefined, true);
        return Promise.reject(new Error("async failure"));
      case "max":
        note(Number.MAX_VALUE);
        return Number.MAX_VALUE;
      case "-max":
        note(-Number.MAX_VALUE);
        return -Number.MAX_VALUE;
      case "bigint":
        note(1n);
        return 1n as unknown as number;
      case "mutate": {
        for (const key of Object.keys(params)) (params as Record<string, unknown>)[key] = "garbage";
        note(b);
        return b;
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Invariants

/**
 * Checks the invariants of a finished set of trials against what the objective returned; the
 * trials of `lost` (given up with their worker) need not be distinct pool candidates.
 */
export function checkTrials(
  space: Space,
  trials: readonly Trial<Params>[],
  log: Map<number, Returned>,
  pool?: readonly Params[],
  lost: ReadonlySet<number> = new Set(),
): void {
  trials.forEach((trial, i) => {
    assert.equal(trial.id, i, "trial ids are positions");
    assert.ok(space.contains(trial.params), `trial ${i} params inside the space`);
    assert.ok(Object.isFrozen(trial) && Object.isFrozen(trial.params), `trial ${i} is frozen`);
    const returned = log.get(trial.id);
    if (returned === undefined) return;
    const v = returned.value;
    if (!returned.rejected && typeof v === "number" && Number.isFinite(v)) {
      assert.equal(trial.status, "complete", `trial ${i} (${returned.kind}) completes`);
      assert.equal(trial.value, v, `trial ${i} keeps the returned value`);
    } else {
      assert.equal(trial.status, "failed", `trial ${i} (${returned.kind}) fails`);
      assert.ok(typeof trial.error === "string" && trial.error.length > 0, "with a reason");
      assert.equal(trial.value, undefined);
    }
  });
  if (pool) {
    const keys = pool.map((p) => JSON.stringify(Object.entries(p)));
    const seen = new Set<number>();
    for (const trial of trials) {
      // A trial lost with its worker (stored studies) frees its candidate.
      if (lost.has(trial.id)) continue;
      const key = JSON.stringify(Object.entries(trial.params));
      const index = keys.findIndex((k, j) => k === key && !seen.has(j));
      assert.ok(index >= 0, `pool trial ${trial.id} is an unused candidate`);
      seen.add(index);
    }
  }
}

/**
 * `best` is the first minimum of the complete trials (maximum, in a maximising study), or throws
 * when none completed.
 */
export function checkBest(
  study: {
    readonly trials: readonly Trial<Params>[];
    readonly best: { value: number; trial: Trial<Params> };
    readonly direction?: "minimize" | "maximize";
  },
): void {
  const complete = study.trials.filter((t) => t.status === "complete");
  if (complete.length === 0) {
    assert.throws(() => study.best, /no complete trial yet/);
    return;
  }
  let best = complete[0];
  const sign = study.direction === "maximize" ? -1 : 1;
  for (const t of complete) if (sign * t.value! < sign * best.value!) best = t;
  assert.equal(study.best.value, best.value);
  assert.equal(study.best.trial.id, best.id);
}

/** Told trials cannot be told again, edited, or overwritten through `tell` details. */
export function checkOutcomesOwned(study: SMBO<Params>): void {
  const before = JSON.stringify(study.trials);
  for (const trial of study.trials) {
    if (trial.status === "running") continue;
    assert.throws(() => study.tell(trial, 0), /already told/);
    assert.throws(() => {
      (trial as { value?: number }).value = -1;
    }, TypeError);
  }
  assert.equal(JSON.stringify(study.trials), before, "misuse changed nothing");
}

// ---------------------------------------------------------------------------------------------
// Cases

/** The built-in acquisitions. */
export const ACQUISITIONS: AcquisitionName[] = ["logei", "ei", "pi", "logpi", "lcb", "ts"];

/** One generated `minimize` run. */
export interface MinimizeCase {
  space: [string, ParamDefinition][];
  script: OutcomeKind[];
  seed: number;
  budget: number;
  batchSize: number;
  acquisition: AcquisitionName;
  failedTrials: "worst" | "ignore";
  initialDesignSize?: number;
  initialDesign: "sobol" | "lhs" | "uniform";
  poolSize?: number;
  enqueue: number;
  random: boolean;
  defaults: boolean;
  transfer?: TransferStrategy;
  direction?: "minimize" | "maximize";
}

/** Generator of {@linkcode MinimizeCase}s with budgets up to `maxBudget`. */
export function minimizeCaseArb(maxBudget: number): fc.Arbitrary<MinimizeCase> {
  return fc.record({
    space: spaceArb,
    script: scriptArb,
    seed: fc.integer({ min: 0, max: 1000 }),
    budget: fc.integer({ min: 1, max: maxBudget }),
    batchSize: fc.integer({ min: 1, max: 3 }),
    acquisition: fc.constantFrom(...ACQUISITIONS),
    failedTrials: fc.constantFrom("worst" as const, "ignore" as const),
    initialDesignSize: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    initialDesign: fc.constantFrom("sobol" as const, "lhs" as const, "uniform" as const),
    poolSize: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    enqueue: fc.integer({ min: 0, max: 2 }),
    random: fc.boolean(),
    defaults: fc.boolean(),
    transfer: fc.option(fc.constantFrom<TransferStrategy>("rgpe", "tst-r", "taf", "warm-start"), {
      nil: undefined,
      freq: 4,
    }),
    direction: fc.constantFrom("minimize" as const, "maximize" as const),
  }, { requiredKeys: ["space", "script", "seed", "budget", "batchSize", "acquisition"] }).map((
    c,
  ) => ({
    failedTrials: "worst" as const,
    initialDesign: "sobol" as const,
    enqueue: 0,
    random: false,
    defaults: false,
    ...c,
  }));
}

/** Distinct configurations of a space (a pool), drawn with a seed. */
export function drawPool(space: Space, size: number, seed: number): Params[] {
  const seen = new Set<string>();
  const pool: Params[] = [];
  for (const p of space.sample(size, new Rng(seed), "uniform") as Params[]) {
    const key = JSON.stringify(Object.entries(p));
    if (!seen.has(key)) {
      seen.add(key);
      pool.push(p);
    }
  }
  return pool;
}

/** Two past tasks on the space, with ordinary and extreme (±1e300, 1e-300) values. */
function priorTasks(space: Space, seed: number) {
  return [0, 1].map((task) => ({
    id: `prior-${task}`,
    trials: (space.sample(5, new Rng(seed + 10 + task), "uniform") as Params[]).map((
      params,
      i,
    ) => ({
      params,
      value: task === 1 && i % 2 === 0
        ? (i === 0 ? 1e300 : -1e-300)
        : base(params) * (task + 1) + i,
    })).filter((t) => Number.isFinite(t.value)),
  })).filter((t) => t.trials.length > 0);
}

/**
 * What a `minimize` case runs with: its pool, the configurations it enqueues (checked to come
 * first; none with a transfer strategy, whose warm starts are its own) and every option but the
 * budget.
 */
export function minimizeCaseSetup(c: MinimizeCase, space: Space): {
  pool?: Params[];
  enqueued: Params[];
  options: Omit<MinimizeOptions<Params>, "budget" | "onTrial">;
} {
  const pool = c.poolSize ? drawPool(space, c.poolSize, c.seed) : undefined;
  const enqueued = pool
    ? pool.slice(0, Math.min(c.enqueue, pool.length))
    : space.sample(c.enqueue, new Rng(c.seed + 1), "uniform") as Params[];
  const setup = c.transfer === undefined
    ? {
      ...(c.initialDesignSize === undefined ? {} : { initialDesignSize: c.initialDesignSize }),
      ...(pool ? { candidates: pool } : {}),
      ...(enqueued.length > 0 ? { initialConfigurations: enqueued } : {}),
      ...(c.random ? { proposer: randomSearch() } : {
        // The optimiser's own settings, or cheaper ones for more cases per second.
        bayesOpt: c.defaults
          ? { acquisition: c.acquisition }
          : { acquisition: c.acquisition, rawSamples: 64, restarts: 2 },
      }),
    }
    : transferOptions(priorTasks(space, c.seed), space, {
      strategy: c.transfer,
      ...(pool ? { candidates: pool } : {}),
    });
  return {
    pool,
    enqueued: c.transfer === undefined ? enqueued : [],
    options: {
      seed: c.seed,
      batchSize: c.batchSize,
      failedTrials: c.failedTrials,
      initialDesign: c.initialDesign,
      ...(c.direction ? { direction: c.direction } : {}),
      ...setup,
    } as Omit<MinimizeOptions<Params>, "budget" | "onTrial">,
  };
}

/** Runs a `minimize` case and checks every invariant; returns the trials (for determinism). */
export async function runMinimizeCase(c: MinimizeCase): Promise<Trial<Params>[]> {
  const space = buildSpace(c.space);
  const log = new Map<number, Returned>();
  const { pool, enqueued, options } = minimizeCaseSetup(c, space);
  const result = await minimize(hostileObjective(c.script, log), space as Space, {
    ...options,
    budget: c.budget,
  });
  const trials = result.trials as Trial<Params>[];
  const expected = pool ? Math.min(c.budget, pool.length) : c.budget;
  assert.equal(trials.length, expected, "minimize runs to its budget (or the pool's end)");
  checkTrials(space, trials, log, pool);
  enqueued.slice(0, trials.length).forEach((p, i) => {
    assert.deepEqual(Object.entries(trials[i].params), Object.entries(p), "enqueued come first");
  });
  checkBest(result.study as SMBO<Params>);
  checkOutcomesOwned(result.study as SMBO<Params>);
  return trials;
}

/** One step of an ask/tell session. */
export type Action =
  | { type: "ask"; q: number }
  | { type: "tell"; pick: number; outcome: OutcomeKind; seconds?: number }
  | { type: "tellTwice"; pick: number }
  | { type: "tellUnknown"; id: number }
  | { type: "tellBadDetails"; pick: number; details: Record<string, unknown> }
  | { type: "enqueue"; seed: number }
  | { type: "badEnqueue" }
  | { type: "badAsk"; q: unknown };

/** One generated ask/tell step. */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant("ask" as const), q: fc.integer({ min: 1, max: 3 }) }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      type: fc.constant("tell" as const),
      pick: fc.nat(50),
      outcome: fc.constantFrom(...OUTCOME_KINDS),
      seconds: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    }, { requiredKeys: ["type", "pick", "outcome"] }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ type: fc.constant("tellTwice" as const), pick: fc.nat(50) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      type: fc.constant("tellUnknown" as const),
      id: fc.oneof(fc.integer({ min: -3, max: 1000 }), fc.constant(NaN), fc.constant(1.5)),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      type: fc.constant("tellBadDetails" as const),
      pick: fc.nat(50),
      details: fc.constantFrom<Record<string, unknown>>(
        { status: "complete", value: -99 },
        { params: { x: 42 } },
        { status: "running" },
        { seconds: -1 },
        { seconds: NaN },
        { seconds: "3" },
        { seconds: Infinity },
        { error: "nope" },
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant("enqueue" as const), seed: fc.nat(100) }), weight: 1 },
  { arbitrary: fc.constant({ type: "badEnqueue" as const }), weight: 1 },
  {
    arbitrary: fc.record({
      type: fc.constant("badAsk" as const),
      q: fc.constantFrom<unknown>(0, -1, 1.5, NaN, "2", null),
    }),
    weight: 1,
  },
);

/** One generated ask/tell session. */
export interface AskTellCase {
  space: [string, ParamDefinition][];
  seed: number;
  actions: Action[];
  acquisition: AcquisitionName;
  poolSize?: number;
  initialDesignSize: number;
}

/** Generator of {@linkcode AskTellCase}s with at most `maxActions` steps. */
export function askTellCaseArb(maxActions: number): fc.Arbitrary<AskTellCase> {
  return fc.record({
    space: spaceArb,
    seed: fc.integer({ min: 0, max: 1000 }),
    actions: fc.array(actionArb, { maxLength: maxActions }),
    acquisition: fc.constantFrom(...ACQUISITIONS),
    poolSize: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    initialDesignSize: fc.integer({ min: 0, max: 3 }),
  }, { requiredKeys: ["space", "seed", "actions", "acquisition", "initialDesignSize"] });
}

/**
 * What an ask/tell session drives: an `SMBO` study, or a stored study (asynchronous, with
 * `refresh` to read what the storage holds).
 */
export interface SessionStudy {
  /** The trials handed out, by id. */
  readonly trials: readonly Trial<Params>[];
  /** Configurations `ask` can still give. */
  readonly remaining: number;
  /** Asks for `q` configurations. */
  ask(q: number): Trial<Params>[] | Promise<Trial<Params>[]>;
  /** Tells an outcome. */
  tell(
    trial: Trial<Params> | number,
    outcome: unknown,
    details?: { seconds?: number },
  ): Trial<Params> | Promise<Trial<Params>>;
  /** Queues a configuration. */
  enqueue(params: Params): void | Promise<void>;
  /** Re-reads the study (stored studies). */
  refresh?(): Promise<void>;
}

/**
 * Plays `actions` on a study, checking after each step that misuse throws (or rejects) and
 * changes nothing; records what the objective returned in `log`. Ids below `knownIds()` (trials
 * the study holds, asked or not) are not "unknown".
 */
export async function runSession(
  study: SessionStudy,
  space: Space,
  pool: readonly Params[] | undefined,
  actions: readonly Action[],
  log: Map<number, Returned>,
  knownIds: () => number = () => study.trials.length,
): Promise<void> {
  const unchanged = async (f: () => unknown, pattern: RegExp) => {
    await study.refresh?.();
    const before = JSON.stringify(study.trials);
    const remaining = study.remaining;
    await assert.rejects(async () => await f(), pattern);
    await study.refresh?.();
    assert.equal(JSON.stringify(study.trials), before, `${pattern} changed nothing`);
    assert.equal(study.remaining, remaining);
  };
  const running = () => study.trials.filter((t) => t.status === "running");
  const told = () => study.trials.filter((t) => t.status !== "running");
  for (const action of actions) {
    switch (action.type) {
      case "ask": {
        await study.refresh?.();
        if (study.remaining < action.q) {
          await unchanged(() => study.ask(action.q), /candidate pool has only/);
        } else {
          const batch = await study.ask(action.q);
          assert.equal(batch.length, action.q);
          for (const t of batch) assert.ok(space.contains(t.params));
        }
        break;
      }
      case "tell": {
        const open = running();
        if (open.length === 0) break;
        const trial = open[action.pick % open.length];
        // A one-kind script: the objective answers this trial with `action.outcome`.
        let outcome: unknown;
        try {
          outcome = await hostileObjective([action.outcome], log)(
            structuredClone(trial.params),
            trial,
          );
        } catch (error) {
          outcome = error instanceof Error ? error : new Error(String(error));
        }
        const details = action.seconds === undefined ? {} : { seconds: action.seconds };
        if (typeof outcome !== "number" && !(outcome instanceof Error)) {
          // Not an outcome `tell` takes (a string, undefined, { value }): refused, changing
          // nothing; told as the failure `minimize` records for it.
          await unchanged(() => study.tell(trial, outcome, details), /tell: outcome must be/);
          outcome = { error: "objective returned a non-number" };
        }
        const result = await study.tell(trial, outcome, details);
        if (action.seconds !== undefined) {
          assert.equal(result.seconds, action.seconds);
          assert.equal(study.trials[trial.id].seconds, action.seconds);
        }
        break;
      }
      case "tellTwice": {
        const done = told();
        if (done.length === 0) break;
        await unchanged(() => study.tell(done[action.pick % done.length], -1e9), /already told/);
        break;
      }
      case "tellUnknown": {
        if (Number.isInteger(action.id) && action.id >= 0 && action.id < knownIds()) break;
        await unchanged(() => study.tell(action.id, 0), /no trial with id/);
        break;
      }
      case "tellBadDetails": {
        const open = running();
        if (open.length === 0) break;
        const trial = open[action.pick % open.length];
        await unchanged(
          () => study.tell(trial, NaN, action.details as { seconds?: number }),
          /tell details/,
        );
        break;
      }
      case "enqueue": {
        if (pool) {
          const used = new Set(study.trials.map((t) => JSON.stringify(Object.entries(t.params))));
          const free = pool.filter((p) => !used.has(JSON.stringify(Object.entries(p))));
          if (free.length === 0 || study.remaining === 0) break;
          // A candidate may already be queued: then enqueue throws and changes nothing.
          try {
            await study.enqueue(free[action.seed % free.length]);
          } catch (error) {
            assert.match((error as Error).message, /unused candidate/);
          }
        } else {
          await study.enqueue(space.sample(1, new Rng(action.seed), "uniform")[0] as Params);
        }
        break;
      }
      case "badEnqueue":
        await unchanged(() => study.enqueue({ __definitely_not_a_param__: 1 } as Params), /params/);
        break;
      case "badAsk":
        await unchanged(() => study.ask(action.q as number), /ask\(q\)/);
        break;
    }
  }
}

/** Runs an ask/tell session on an `SMBO` study and checks every invariant. */
export async function runAskTellCase(c: AskTellCase): Promise<Trial<Params>[]> {
  const space = buildSpace(c.space);
  const pool = c.poolSize ? drawPool(space, c.poolSize, c.seed) : undefined;
  const study = new SMBO<Params>(space as Space, {
    seed: c.seed,
    initialDesignSize: c.initialDesignSize,
    proposer: bayesOpt({ acquisition: c.acquisition, rawSamples: 64, restarts: 2 }),
    ...(pool ? { candidates: pool } : {}),
  });
  const log = new Map<number, Returned>();
  await runSession(study, space, pool, c.actions, log);
  checkTrials(space, study.trials, log, pool);
  checkBest(study);
  checkOutcomesOwned(study);
  return study.trials;
}

/** Same inputs ⇒ same trials (statuses, values and configurations; wall times aside). */
export function sameTrials(a: readonly Trial<Params>[], b: readonly Trial<Params>[]): void {
  const strip = (ts: readonly Trial<Params>[]) =>
    ts.map(({ seconds: _, ...rest }) => ({ ...rest, params: Object.entries(rest.params) }));
  assert.deepEqual(strip(a), strip(b), "same seed, same trials");
}
