import assert from "node:assert/strict";
import { minimize, MinimizeStopped } from "../../lib/smbo/minimize.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import { type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { smac } from "../../lib/smbo/presets.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { categorical, defineSpace, fixed, float, int } from "../../lib/space/mod.ts";

const mixed = defineSpace({
  lr: float(1e-5, 1e-1, { log: true }),
  units: int(8, 256),
  act: categorical(["relu", "tanh"]),
});
type Mixed = { lr: number; units: number; act: "relu" | "tanh" };
const mixedObjective = (p: Mixed) =>
  (Math.log10(p.lr) + 3) ** 2 + ((p.units - 64) / 64) ** 2 + (p.act === "tanh" ? 0.5 : 0);

Deno.test("minimize finds the optimum of a smooth mixed problem and stays in the space", async () => {
  const result = await minimize(mixedObjective, mixed, { budget: 30, seed: 0 });
  assert.equal(result.trials.length, 30);
  for (const trial of result.trials) {
    assert.equal(trial.status, "complete");
    assert.ok(mixed.contains(trial.params), `trial ${trial.id} outside the space`);
    assert.ok(Number.isInteger(trial.params.units));
  }
  assert.equal(result.best.params.act, "relu");
  assert.ok(result.best.value < 0.05, `best value ${result.best.value}`);
  const random = await minimize(mixedObjective, mixed, {
    budget: 30,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.ok(result.best.value < random.best.value, "GP-BO should beat random search here");
});

Deno.test("a failing objective makes failed trials and the study goes on", async () => {
  const space = defineSpace({ x: float(0, 1) });
  let calls = 0;
  const result = await minimize(
    (p) => {
      calls++;
      if (calls === 2) throw new Error("boom");
      if (calls === 3) return NaN;
      if (calls === 4) return Infinity;
      if (calls === 5) return -Infinity;
      if (calls === 6) return "oops" as unknown as number;
      if (p.x > 0.9) throw new RangeError("unstable region");
      return (p.x - 0.3) ** 2;
    },
    space,
    { budget: 15, seed: 3 },
  );
  assert.equal(result.trials.length, 15);
  const failed = result.trials.filter((t) => t.status === "failed");
  assert.ok(failed.length >= 5);
  assert.match(failed[0].error!, /boom/);
  assert.match(failed[1].error!, /NaN/);
  assert.match(failed[2].error!, /Infinity/);
  assert.match(failed[3].error!, /-Infinity/);
  assert.match(failed[4].error!, /string/);
  assert.ok(Math.abs(result.best.params.x - 0.3) < 0.05);
  assert.ok(result.trials.every((t) => t.status !== "running"));
  assert.ok(result.trials.every((t) => typeof t.seconds === "number"));
});

Deno.test("when every trial fails, the trials are kept and best explains why it is missing", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const result = await minimize(
    () => {
      throw new Error("always");
    },
    space,
    { budget: 8, seed: 0 },
  );
  assert.equal(result.trials.length, 8);
  assert.ok(result.trials.every((t) => t.status === "failed"));
  assert.throws(
    () => result.best,
    /no complete trial yet \(8 trials, 8 failed\); the first failed with Error: always$/,
  );
});

Deno.test("a result's trials and best stay as the run left them when its study goes on", async () => {
  const space = defineSpace({ x: float(0, 1) });
  for (const stored of [{}, { storage: "memory:", study: "settled" }]) {
    const options = { budget: 5, seed: 0, proposer: randomSearch(), ...stored };
    const result = await minimize(
      (p: { x: number }) => (p.x - 0.3) ** 2,
      space,
      options as never,
    ) as {
      trials: { id: number }[];
      best: { trial: { id: number } };
      study: unknown;
    };
    const { trials, best } = { trials: result.trials.slice(), best: result.best };
    // The study goes on and finds a better configuration.
    const study = result.study as unknown as {
      ask(): unknown;
      tell(t: unknown, v: number): unknown;
      readonly trials: unknown[];
    };
    await study.tell(await study.ask(), -1);
    assert.equal(study.trials.length, 6);
    assert.deepEqual(result.trials, trials);
    assert.deepEqual(result.best, best);
    assert.ok(result.trials.some((t) => t.id === result.best.trial.id));
    // All failed: best still throws after the study went on.
    const failed = await minimize(
      () => NaN,
      space,
      { ...options, budget: 2, ...("study" in stored ? { study: "failed" } : {}) } as never,
    ) as typeof result;
    const more = failed.study as unknown as typeof study;
    await more.tell(await more.ask(), 0.5);
    assert.throws(() => failed.best, /no complete trial yet \(2 trials, 2 failed\)/);
  }
});

Deno.test("best names the first failure's reason, e.g. a call to an undefined function", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const result = await minimize(
    // deno-lint-ignore no-explicit-any
    (p) => (globalThis as any).trainAndValidate(p),
    space,
    { budget: 4, seed: 0 },
  );
  assert.throws(
    () => result.best,
    /^Error: no complete trial yet \(4 trials, 4 failed\); the first failed with TypeError: .*trainAndValidate/,
  );
  const stored = await minimize(
    () => {
      throw new ReferenceError("evaluate is not defined\nat line 2");
    },
    space,
    { budget: 3, seed: 0, storage: "memory:", study: "s" },
  );
  assert.throws(
    () => stored.best,
    /study "s": no complete trial yet \(3 trials, 3 failed\); the first failed with ReferenceError: evaluate is not defined$/,
  );
});

Deno.test("the same seed gives the same trials; another seed other trials", async () => {
  const run = (seed: number) =>
    minimize(mixedObjective, mixed, { budget: 12, seed }).then((r) =>
      r.trials.map((t) => [t.params, t.value])
    );
  assert.deepEqual(await run(7), await run(7));
  assert.notDeepEqual(await run(7), await run(8));
});

Deno.test("a constant objective and repeated points do not break the GP", async () => {
  const constant = await minimize(() => 1, defineSpace({ x: float(0, 1), y: float(0, 1) }), {
    budget: 12,
    seed: 0,
  });
  assert.ok(constant.trials.every((t) => t.status === "complete"));
  const tiny = defineSpace({ k: int(0, 2), c: categorical(["a", "b"]) });
  const repeated = await minimize((p) => p.k + (p.c === "a" ? 0 : 0.5), tiny, {
    budget: 14,
    seed: 0,
  });
  assert.equal(repeated.trials.length, 14);
  assert.equal(repeated.best.value, 0);
});

Deno.test("batches are evaluated concurrently and are distinct", async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  let inFlight = 0, maxInFlight = 0;
  const result = await minimize(
    async (p) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return (p.x - 0.2) ** 2 + (p.y - 0.7) ** 2;
    },
    space,
    { budget: 16, seed: 1, batchSize: 4 },
  );
  assert.equal(maxInFlight, 4);
  assert.equal(result.trials.length, 16);
  const keys = new Set(result.trials.map((t) => `${t.params.x},${t.params.y}`));
  assert.equal(keys.size, 16);
});

Deno.test("pool mode suggests each candidate at most once and stops when the pool is used up", async () => {
  const space = defineSpace({ a: int(0, 9), b: int(0, 9) });
  const candidates = Array.from(
    { length: 12 },
    (_, i) => ({ a: i % 10, b: (i * 7 + Math.floor(i / 10)) % 10 }),
  );
  const result = await minimize((p) => (p.a - 4) ** 2 + (p.b - 8) ** 2, space, {
    budget: 50,
    seed: 0,
    candidates,
    initialDesignSize: 3,
  });
  assert.equal(result.trials.length, candidates.length);
  const seen = result.trials.map((t) => JSON.stringify(t.params));
  assert.equal(new Set(seen).size, candidates.length);
  for (const key of seen) assert.ok(candidates.some((c) => JSON.stringify(c) === key));
});

Deno.test("pool mode with GP-BO finds the best candidate early", async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const candidates = Array.from({ length: 200 }, (_, i) => ({
    x: (i % 20) / 19,
    y: Math.floor(i / 20) / 9,
  }));
  const f = (p: { x: number; y: number }) => (p.x - 0.6) ** 2 + (p.y - 0.3) ** 2;
  const bestPossible = Math.min(...candidates.map(f));
  const result = await minimize(f, space, { budget: 25, seed: 2, candidates });
  assert.ok(result.best.value - bestPossible < 0.01);
});

Deno.test("onTrial sees every told trial in order", async () => {
  const ids: number[] = [];
  await minimize((p) => p.x, defineSpace({ x: float(0, 1) }), {
    budget: 7,
    seed: 0,
    proposer: randomSearch(),
    onTrial: (trial) => ids.push(trial.id), // a returned number is ignored
  });
  assert.deepEqual(ids, [0, 1, 2, 3, 4, 5, 6]);
});

Deno.test("minimize rejects bad input with the path of the bad field", async () => {
  const space = defineSpace({ x: float(0, 1) });
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 0 }),
    /minimize options\.budget/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 5, batchSize: 1.5 }),
    /minimize options\.batchSize/,
  );
  await assert.rejects(
    () => minimize("f" as unknown as () => number, space, { budget: 5 }),
    /objective must be a function/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 5, candidates: [{ x: 2 }] }),
    /candidates\[0\]/,
  );
  assert.throws(
    () => bayesOpt({ acquisition: "eii" as "ei" }),
    /bayesOpt options\.acquisition/,
  );
  assert.throws(() => bayesOpt({ rawSamples: -1 }), /bayesOpt options\.rawSamples/);
});

Deno.test("objective values spanning 1e-300 … 1e300 and 1e200 outliers keep the model finite", async () => {
  const space = defineSpace({ x: float(0, 1) });
  // Once crashed the kriging believer (NaN targets) and Thompson sampling (Cholesky of NaN).
  const outliers = (p: { x: number }) => p.x < 0.5 ? 1e200 : p.x;
  for (const acquisition of ["logei", "ei", "pi", "logpi", "lcb", "ts"] as const) {
    for (const batchSize of acquisition === "ts" || acquisition === "logei" ? [1, 2] : [2]) {
      const result = await minimize(outliers, space, {
        budget: 12,
        seed: 0,
        batchSize,
        bayesOpt: { acquisition },
      });
      assert.equal(result.trials.length, 12);
      assert.ok(result.trials.every((t) => t.status === "complete"), acquisition);
      assert.ok(result.best.value < 1, `${acquisition}: best ${result.best.value}`);
      assert.ok(result.trials.some((t) => t.source === "model"));
    }
  }
  const spanning = await minimize(
    (p) => p.x < 0.3 ? 1e-300 * (1 + p.x) : p.x < 0.6 ? 1e300 * p.x : -1e300 * p.x,
    space,
    { budget: 14, seed: 1, batchSize: 2 },
  );
  assert.equal(spanning.trials.filter((t) => t.status === "complete").length, 14);
  assert.ok(spanning.best.value < -1e299);
});

Deno.test("pool mode sizes the last batch by the candidates left", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const candidates = [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }];
  const result = await minimize((p) => p.x, space, { budget: 10, batchSize: 2, candidates });
  assert.equal(result.trials.length, 3);
  assert.equal(result.study.remaining, 0);
  assert.deepEqual(result.trials.map((t) => t.params.x).sort(), [0.1, 0.2, 0.3]);
});

Deno.test("a space of fixed parameters only is optimised (one configuration, evaluated budget times)", async () => {
  const space = defineSpace({ a: fixed(1), b: fixed("x") });
  for (const initialDesignSize of [undefined, 0, 2]) {
    let calls = 0;
    const result = await minimize(() => ++calls, space, {
      budget: 6,
      seed: 0,
      ...(initialDesignSize === undefined ? {} : { initialDesignSize }),
    });
    assert.equal(result.trials.length, 6);
    assert.deepEqual(result.best.params, { a: 1, b: "x" });
    assert.equal(result.best.value, 1);
  }
});

Deno.test("an objective that edits its argument cannot change the study's record", async () => {
  const space = defineSpace({ x: float(0, 1), c: categorical(["a", "b"]) });
  const result = await minimize(
    (p) => {
      const value = p.x;
      (p as Record<string, unknown>).x = "garbage";
      (p as Record<string, unknown>).extra = 1;
      return value;
    },
    space,
    { budget: 6, seed: 0 },
  );
  for (const trial of result.trials) assert.ok(space.contains(trial.params));
  assert.equal(typeof result.best.params.x, "number");
  assert.throws(() => {
    (result.best.params as { x: number }).x = 5;
  }, TypeError);
});

Deno.test("minimize rejects a misspelled option, a missing space and bayesOpt with a proposer", async () => {
  const space = defineSpace({ x: float(0, 1) });
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, budjet: 10 } as never),
    /minimize options\.budjet: unknown key/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, bayesOpt: { acquisiton: "ei" } } as never),
    /bayesOpt options\.acquisiton: unknown key/,
  );
  await assert.rejects(
    () => minimize((p: { x: number }) => p.x, null as never, { budget: 3 }),
    /minimize: space: must be a search space .*got null/,
  );
  await assert.rejects(
    () => minimize((p: { x: number }) => p.x, {} as never, { budget: 3 }),
    /minimize: space: must be a search space/,
  );
  await assert.rejects(
    () =>
      minimize((p) => p.x, space, {
        budget: 3,
        proposer: randomSearch(),
        bayesOpt: { acquisition: "ei" },
      }),
    /cannot be combined with options\.proposer/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, null as never),
    /minimize options/,
  );
});

Deno.test("a space above Sobol's largest dimension (a categorical with 1,200 choices) is optimised", async () => {
  const space = defineSpace({
    c: categorical(Array.from({ length: 1200 }, (_, i) => i)),
    x: float(0, 1),
  });
  assert.ok(space.dim > 1111);
  const result = await minimize((p) => p.c / 1000 + p.x, space, {
    budget: 4,
    seed: 0,
    initialDesignSize: 2,
    bayesOpt: { rawSamples: 32, restarts: 1 },
  });
  assert.deepEqual(result.trials.map((t) => t.source), ["initial", "initial", "model", "model"]);
  for (const trial of result.trials) assert.ok(space.contains(trial.params));
});

Deno.test("an initial design larger than the budget is drawn at the budget's size", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const big = await minimize((p) => p.x, space, { budget: 3, seed: 0, initialDesignSize: 100_000 });
  const small = await minimize((p) => p.x, space, { budget: 3, seed: 0, initialDesignSize: 3 });
  assert.deepEqual(big.trials.map((t) => t.params), small.trials.map((t) => t.params));
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, initialDesignSize: 1e9 }),
    /minimize options\.initialDesignSize: must be at most 100000/,
  );
});

Deno.test("minimize: the default design leaves the model at least half of a small budget", async () => {
  // 13 parameters: the uncapped design would be 2·13 + 1 = 27 of a budget of 30.
  const params = Object.fromEntries(
    Array.from({ length: 13 }, (_, i) => [`x${i}`, float(0, 1)]),
  );
  const space = defineSpace(params);
  const f = (p: Record<string, number>) => Object.values(p).reduce((s, v) => s + (v - 0.3) ** 2, 0);
  const result = await minimize(f, space, { budget: 30, seed: 0, proposer: randomSearch() });
  const sources = result.trials.map((t) => t.source);
  assert.equal(sources.filter((s) => s === "initial").length, 15);
  assert.equal(sources.length, 30);
  // An explicit size is kept, and a large budget keeps the uncapped default.
  const explicit = await minimize(f, space, {
    budget: 30,
    seed: 0,
    proposer: randomSearch(),
    initialDesignSize: 27,
  });
  assert.equal(explicit.trials.filter((t) => t.source === "initial").length, 27);
  const large = await minimize(f, space, { budget: 60, seed: 0, proposer: randomSearch() });
  assert.equal(large.trials.filter((t) => t.source === "initial").length, 27);
});

/** An objective that fails on part of the space (failed trials enter the model as the worst). */
const score = (p: Mixed) => {
  if (p.units > 230) throw new Error("out of memory");
  return 1 - mixedObjective(p);
};

for (
  const [name, proposer, budget] of [
    ["the GP default", () => undefined, 14],
    ["random search", () => randomSearch(), 10],
    ["smac()", () => smac(), 22],
  ] as const
) {
  Deno.test(`direction "maximize" with ${name}: maximising f is minimising −f, trial for trial`, async () => {
    for (const seed of [0, 1]) {
      const common = { budget, seed, ...(proposer() ? { proposer: proposer()! } : {}) };
      const max = await minimize(score, mixed, { ...common, direction: "maximize" });
      const min = await minimize((p: Mixed) => -score(p), mixed, common);
      assert.equal(max.study.direction, "maximize");
      assert.deepEqual(
        max.trials.map((t) => [t.params, t.status, t.source, t.error]),
        min.trials.map((t) => [t.params, t.status, t.source, t.error]),
      );
      assert.ok(max.trials.some((t) => t.source === "model" || t.source === "random")); // proposed
      // Trials keep the objective's own values: negated between the two runs.
      assert.deepEqual(
        max.trials.map((t) => t.value),
        min.trials.map((t) => t.value === undefined ? undefined : -t.value),
      );
      const complete = max.trials.filter((t) => t.status === "complete").map((t) => t.value!);
      assert.equal(max.best.value, Math.max(...complete));
      assert.equal(max.best.value, -min.best.value);
      assert.equal(max.best.trial.id, min.best.trial.id);
    }
  });
}

Deno.test('direction "maximize": failed trials with failedTrials "worst" are imputed at the lowest value', async () => {
  const seen: number[][] = [];
  const recording: Proposer = {
    name: "recording",
    propose(context, q) {
      seen.push([...context.values]);
      return randomSearch().propose(context, q);
    },
  };
  const result = await minimize(score, mixed, {
    budget: 12,
    seed: 3,
    proposer: recording,
    initialDesignSize: 4,
    direction: "maximize",
    initialConfigurations: [{ lr: 1e-3, units: 250, act: "relu" }],
  });
  assert.equal(result.trials[0].status, "failed");
  // The last proposal (trial 11) saw trials 0–10: the complete values negated, in trial order,
  // then each failure at the worst of them (the lowest score).
  const told = result.trials.slice(0, 11);
  const values = told.filter((t) => t.status === "complete").map((t) => -t.value!);
  const failed = told.filter((t) => t.status === "failed").length;
  assert.ok(failed >= 1);
  assert.deepEqual(seen.at(-1), [...values, ...Array(failed).fill(Math.max(...values))]);
  assert.equal(result.best.value, Math.max(...values.map((v) => -v)));
});

Deno.test("minimize: a bad direction is a TypeError naming it, in memory and stored", async () => {
  await assert.rejects(
    minimize(mixedObjective, mixed, { budget: 2, direction: "up" as never }),
    (error: Error) =>
      error instanceof TypeError && /minimize options\.direction/.test(error.message),
  );
  await assert.rejects(
    minimize(mixedObjective, mixed, {
      budget: 2,
      storage: "memory:",
      study: "s",
      direction: "up" as never,
    }),
    (error: Error) =>
      error instanceof TypeError && /minimize options\.direction/.test(error.message),
  );
});

Deno.test("an objective that throws a value that cannot be described fails its trial, and the study goes on", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const badMessage = new Error("disk full");
  Object.defineProperty(badMessage, "message", {
    get() {
      throw new Error("message getter failed");
    },
  });
  const cyclic = Object.create(null); // JSON.stringify and String both throw
  cyclic.self = cyclic;
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (
    const [thrown, reason] of [
      [badMessage, "objective threw an Error whose message cannot be read"],
      [cyclic, "objective threw a value that cannot be described"],
      [proxy, "objective threw a value that cannot be described"],
    ] as const
  ) {
    let n = 0;
    const result = await minimize(
      (p) => {
        if (++n === 2) throw thrown;
        return p.x;
      },
      space,
      { budget: 4, seed: 0, proposer: randomSearch() },
    );
    assert.equal(result.trials.length, 4);
    assert.deepEqual(result.trials.map((t) => t.status), [
      "complete",
      "failed",
      "complete",
      "complete",
    ]);
    assert.equal(result.trials[1].error, reason);
  }
  // An object returned by the objective (Optuna's { value }) is still a failed trial.
  const returned = await minimize(() => ({ value: 0.5 }) as unknown as number, space, {
    budget: 2,
    seed: 0,
  });
  assert.deepEqual(returned.trials.map((t) => t.error), [
    "objective returned an object, expected a finite number",
    "objective returned an object, expected a finite number",
  ]);
});

Deno.test("minimize's errors about candidates and initial configurations name minimize", async () => {
  const space = defineSpace({ x: float(0, 1) });
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, candidates: [{ x: 2 }] }),
    /^TypeError: minimize options\.candidates\[0\]: params\.x: must be in \[0, 1\]/,
  );
  await assert.rejects(
    () => minimize((p) => p.x, space, { budget: 3, initialConfigurations: [{ x: -1 }] }),
    /^TypeError: minimize options\.initialConfigurations\[0\]: params\.x/,
  );
  for (const options of [{ candidates: [{ x: 2 }] }, { initialConfigurations: [{ x: -1 }] }]) {
    await assert.rejects(
      () => minimize((p) => p.x, space, { budget: 3, storage: "memory:", study: "s", ...options }),
      /^TypeError: minimize options\.(candidates|initialConfigurations)\[0\]: params\.x/,
    );
  }
});

Deno.test("random search labels its trials source random, in memory and in pool mode", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const flat = await minimize((p) => p.x, space, { budget: 8, seed: 0, proposer: randomSearch() });
  assert.deepEqual(
    [
      ...new Set(
        flat.trials.slice(flat.trials.findIndex((t) => t.source !== "initial")).map((t) =>
          t.source
        ),
      ),
    ],
    ["random"],
  );
  const candidates = Array.from({ length: 12 }, (_, i) => ({ x: i / 12 }));
  const pool = await minimize((p) => p.x, space, {
    budget: 10,
    seed: 0,
    candidates,
    proposer: randomSearch(),
  });
  assert.ok(pool.trials.some((t) => t.source === "random"));
  assert.ok(pool.trials.every((t) => t.source === "random" || t.source === "initial"));
});

Deno.test("a proposer or surrogate that throws stops minimize with MinimizeStopped keeping every trial", async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + p.y;
  // A surrogate whose second fit fails: the trials evaluated before are in the error's result.
  const inner = gpFactory({ restarts: 0 });
  let fits = 0;
  const flaky = {
    name: "flaky",
    fit: (...args: Parameters<typeof inner.fit>) => {
      if (++fits === 2) throw new Error("singular matrix");
      return inner.fit(...args);
    },
  };
  let evaluations = 0;
  const error = await minimize(
    (p) => {
      evaluations++;
      return f(p);
    },
    space,
    {
      budget: 12,
      seed: 1,
      initialDesignSize: 4,
      proposer: bayesOpt({ surrogate: flaky, rawSamples: 64, restarts: 1, incumbentSamples: 0 }),
    },
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof MinimizeStopped, `rejected with ${error}`);
  assert.equal(error.result.stopped, "proposer");
  assert.equal(error.result.trials.length, 5);
  assert.equal(evaluations, 5);
  assert.ok(error.result.trials.every((t) => t.status === "complete"));
  assert.equal(error.result.best.value, Math.min(...error.result.trials.map((t) => t.value!)));
  assert.match(
    error.message,
    /^minimize: proposer "flaky-logei" failed after 5 trials \(bayesOpt: surrogate "flaky" fit: singular matrix\)/,
  );
  assert.equal(((error.cause as Error).cause as Error).message, "singular matrix");
  // A custom proposer that throws: the same, the cause kept as it was thrown.
  const cause = new RangeError("no more ideas");
  const broken: Proposer = {
    name: "broken",
    propose: () => {
      throw cause;
    },
  };
  const stopped = await minimize(f, space, {
    budget: 10,
    seed: 0,
    initialDesignSize: 3,
    batchSize: 2,
    proposer: broken,
  }).then(() => undefined, (e) => e);
  assert.ok(stopped instanceof MinimizeStopped);
  assert.equal(stopped.cause, cause);
  assert.equal(stopped.result.stopped, "proposer");
  // The second batch (the design's last point and one from the proposer) left nothing behind.
  assert.equal(stopped.result.trials.length, 2);
  assert.ok(stopped.result.trials.every((t) => t.status === "complete"));
  assert.match(
    stopped.message,
    /^minimize: proposer "broken" failed after 2 trials \(no more ideas\)/,
  );
  // The study goes on with another ask once the cause is dealt with: its state is intact.
  assert.throws(() => stopped.result.study.ask(2), /no more ideas/);
  assert.equal(stopped.result.study.trials.length, 2);
});

// A 15-configuration space whose best configuration crashes, and a continuous one whose lower
// end crashes (its best value is next to the failing region).
const small = defineSpace({ a: int(0, 4), c: categorical(["r", "g", "b"]) });
type Small = { a: number; c: string };
const crashAtBest = (p: Small) => {
  if (p.a === 2 && p.c === "g") throw new Error("crash");
  return (p.a - 2) ** 2 + (p.c === "g" ? 0 : 1);
};
const unit = defineSpace({ x: float(0, 1) });
const crashBelow = (p: { x: number }) => {
  if (p.x < 0.3) throw new Error("crash");
  return p.x;
};

Deno.test('failedTrials "ignore": a failed configuration is not proposed again while others remain', async () => {
  // deno-lint-ignore no-explicit-any
  const cases: [string, any][] = [
    ["gp", {}],
    ["smac", { proposer: smac() }],
    ["ts", { proposer: bayesOpt({ acquisition: "ts" }) }],
    ["batch of 4", { batchSize: 4 }],
    ["stored study", { storage: "memory:", study: "ignore" }],
  ];
  for (const [name, options] of cases) {
    const discrete = await minimize(crashAtBest, small, {
      budget: 15,
      seed: 0,
      failedTrials: "ignore",
      ...options,
    });
    const keys = discrete.trials.map((t) => JSON.stringify(t.params));
    assert.equal(new Set(keys).size, 15, `${name}: ${keys.join(" ")}`);
    assert.equal(discrete.trials.filter((t) => t.status === "failed").length, 1, name);
    const continuous = await minimize(crashBelow, unit, {
      budget: 20,
      seed: 0,
      failedTrials: "ignore",
      ...options,
    });
    const trials = continuous.trials;
    for (const trial of trials.filter((t) => t.source === "model")) {
      for (const failed of trials.filter((t) => t.status === "failed" && t.id < trial.id)) {
        const gap = Math.abs(trial.params.x - failed.params.x);
        assert.ok(
          gap >= 1e-4 - 1e-12,
          `${name}: trial ${trial.id} is ${gap} from failed ${failed.id}`,
        );
      }
    }
  }
});

Deno.test("a first batch larger than the initial design holds distinct configurations", async () => {
  const f = (p: Small) => (p.a - 2) ** 2 + (p.c === "g" ? 0 : 1);
  for (const storage of [{}, { storage: "memory:", study: "batch" }]) {
    const run = () => minimize(f, small, { budget: 15, seed: 3, batchSize: 8, ...storage });
    const result = await run();
    const keys = result.trials.map((t) => JSON.stringify(t.params));
    assert.equal(new Set(keys.slice(0, 8)).size, 8, keys.slice(0, 8).join(" "));
    assert.equal(new Set(keys).size, 15);
    assert.deepEqual((await run()).trials.map((t) => t.params), result.trials.map((t) => t.params));
  }
  // After an initial design that failed throughout, the next batch avoids it and repeats nothing.
  for (const failedTrials of ["worst", "ignore"] as const) {
    const study = new SMBO(small, {
      proposer: bayesOpt(),
      seed: 0,
      initialDesignSize: 5,
      failedTrials,
    });
    for (const trial of study.ask(5)) study.tell(trial, new Error("crash"));
    const keys = study.trials.map((t) => JSON.stringify(t.params));
    const next = study.ask(10).map((t) => JSON.stringify(t.params));
    assert.equal(new Set([...keys, ...next]).size, 15, `${failedTrials}: ${next.join(" ")}`);
  }
});
