import assert from "node:assert/strict";
import {
  checkSameSpace,
  checkTransferOptions,
  configurationModelPoints,
  defaultHandover,
  predictConfiguration,
  PreparedPrior,
  type PriorTask,
  TaskStore,
  TRANSFER_ACQUISITIONS,
  TRANSFER_DEFAULTS,
  TRANSFER_STRATEGIES,
  transferOptions,
  warmStartPoints,
} from "../../lib/meta/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { openStorage } from "../../lib/storage/mod.ts";
import type { TransferAcquisition, TransferOptions } from "../../lib/meta/transfer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { braninFamily, type FunctionTask } from "../../lib/tasks/families/mod.ts";
import { defineSpace, fixed, float, int } from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { DESIGN_DEFAULTS } from "../../lib/space/design.ts";
import { type EncodedTask, fitBaseModels } from "../../lib/meta/base_models.ts";

const { train, test } = braninFamily().split(0, { train: 6, test: 1 });
const history = (task: FunctionTask, n: number, seed: number, extra: Float64Array[] = []) => {
  const rng = new Rng(seed);
  const points = [...Array.from({ length: n }, () => rng.uniforms(2)), ...extra];
  return points.map((u) => ({ params: task.space.decode(u), value: task.evaluate(u) }));
};
const priorOf = (task: FunctionTask, i: number, extra: Float64Array[] = []): PriorTask => ({
  id: task.id,
  trials: history(task, 20, i, extra),
  metaFeatures: { ...task.metadata },
});

Deno.test("a prior task identical to the target makes warm start evaluate the optimum first", async () => {
  const target = test[0];
  const store = TaskStore.from([
    ...train.map((t, i) => priorOf(t, i)),
    { ...priorOf(target, 99, [target.minimizer]), id: "twin" },
  ]);
  const result = await minimize((p) => target.objective(p), target.space, {
    budget: 3,
    seed: 0,
    ...transferOptions(store, target.space, {
      strategy: "warm-start",
      metaFeatures: { ...target.metadata },
    }),
  });
  assert.equal(result.trials[0].source, "enqueued");
  assert.ok(Math.abs(result.trials[0].value! - target.minimum) < 1e-9, `${result.trials[0].value}`);
});

Deno.test("warm start takes the k nearest tasks' best configurations, nearest first", () => {
  const make = (id: string, best: number, m: number) => ({
    id,
    points: [Float64Array.of(best), Float64Array.of(0.5)],
    values: Float64Array.of(0, 1),
    metaFeatures: { m, n: 1 },
  });
  const tasks = [make("a", 0.1, 0), make("b", 0.9, 10), make("c", 0.7, 6), make("d", 0.7, 7)];
  const points = warmStartPoints(tasks, { count: 3, metaFeatures: { m: 6.4, n: 1 } });
  // c (distance 0.04) and d (0.06) share a best configuration: deduplicated.
  assert.deepEqual(points.map((p) => p[0]), [0.7, 0.9, 0.1]);
  // Pool mode: each maps to the nearest unused member.
  const pool = [Float64Array.of(0.68), Float64Array.of(0.72), Float64Array.of(0.2)];
  const mapped = warmStartPoints(tasks, { count: 3, metaFeatures: { m: 6.4, n: 1 }, pool });
  assert.deepEqual(mapped, [pool[0], pool[1], pool[2]]);
});

Deno.test("without meta-features the portfolio picks what is good across tasks", () => {
  // Configuration 0.5 is second best on every task; each task's own best is bad elsewhere.
  const xs = [0.1, 0.5, 0.9];
  const tasks = xs.map((own, i) => ({
    id: `t${i}`,
    points: xs.map((x) => Float64Array.of(x)),
    values: Float64Array.from(xs, (x) => (x === own ? 0 : x === 0.5 ? 0.1 : 1)),
  }));
  tasks[1].values[1] = 0; // task 1's best is 0.5 itself
  const [first] = warmStartPoints(tasks, { count: 1 });
  assert.equal(first[0], 0.5);
  assert.equal(warmStartPoints(tasks, { count: 5 }).length, 3);
});

Deno.test("the configuration model predicts a configuration from meta-features", () => {
  const tasks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((m, i) => ({
    id: `t${i}`,
    points: [Float64Array.of(0.1 + 0.8 * m, 0.5), Float64Array.of(0.5, 0.9)],
    values: Float64Array.of(0, 1),
    metaFeatures: { m: 10 * m, noise: i % 2 },
  }));
  const { mean, sd } = predictConfiguration(tasks, { m: 5, noise: 0 });
  assert.ok(Math.abs(mean[0] - 0.5) < 0.05, `predicted ${mean[0]}`);
  assert.ok(Math.abs(mean[1] - 0.5) < 0.05);
  assert.ok(sd[0] < 0.2);
  const points = configurationModelPoints(tasks, {
    metaFeatures: { m: 5, noise: 0 },
    count: 3,
    seed: 1,
  });
  assert.equal(points.length, 3);
  assert.deepEqual(points[0], mean);
  assert.deepEqual(
    configurationModelPoints(tasks, { metaFeatures: { m: 5, noise: 0 }, count: 3, seed: 1 }),
    points,
  );
  // One past task: nothing to learn a mapping from, its best configuration is the prediction.
  assert.deepEqual(
    predictConfiguration(tasks.slice(0, 1), { m: 5, noise: 0 }).mean,
    tasks[0].points[0],
  );
});

Deno.test("every strategy runs in pool mode and only evaluates distinct candidates", async () => {
  const space = defineSpace({ a: int(0, 7), b: float(0, 1, { step: 0.125 }) });
  type P = { a: number; b: number };
  const candidates: P[] = [];
  for (let a = 0; a <= 7; a++) for (let k = 0; k <= 8; k++) candidates.push({ a, b: k / 8 });
  const f = (c: number) => (p: P) => (p.a / 7 - c) ** 2 + (p.b - 0.5) ** 2;
  const prior = [0.2, 0.3, 0.4, 0.6].map((c, i) => ({
    id: `p${i}`,
    trials: candidates.filter((_, j) => j % 3 === i % 3).map((p) => ({
      params: p,
      value: f(c)(p),
    })),
    metaFeatures: { c },
  }));
  const target = f(0.35);
  for (const strategy of TRANSFER_STRATEGIES) {
    const result = await minimize(target, space, {
      budget: 8,
      seed: 1,
      ...transferOptions(prior, space, { strategy, metaFeatures: { c: 0.35 }, candidates }),
    });
    const keys = result.trials.map((t) => `${t.params.a},${t.params.b}`);
    assert.equal(new Set(keys).size, 8, strategy);
    for (const t of result.trials) {
      assert.ok(candidates.some((c) => c.a === t.params.a && c.b === t.params.b), strategy);
    }
  }
});

Deno.test("transfer runs are deterministic for a seed", async () => {
  const target = test[0];
  const prior = new PreparedPrior(train.map((t, i) => {
    const trials = history(t, 15, i);
    return {
      id: t.id,
      points: trials.map((x) => t.space.encode(x.params)),
      values: Float64Array.from(trials, (x) => x.value),
    };
  }));
  for (const strategy of ["rgpe", "taf"] as const) {
    const run = () =>
      minimize((p) => target.objective(p), target.space, {
        budget: 6,
        seed: 4,
        ...transferOptions(prior, target.space, { strategy }),
      });
    const [a, b] = [await run(), await run()];
    assert.deepEqual(a.trials.map((t) => t.params), b.trials.map((t) => t.params), strategy);
  }
});

Deno.test("meta-features a past task lacks are unavailable; names shared by none are refused", () => {
  const space = defineSpace({ x: float(0, 1) });
  const prior = [
    { id: "a", trials: [{ params: { x: 0.1 }, value: 1 }], metaFeatures: { rows: 1, cols: 2 } },
    { id: "b", trials: [{ params: { x: 0.2 }, value: 2 }], metaFeatures: { rows: 3, cols: 4 } },
  ];
  // 'skew' is unavailable for every past task: the tasks are compared on 'rows' alone, and the
  // past tasks' extra 'cols' is not used.
  const first = (options: TransferOptions<{ x: number }>) =>
    transferOptions(prior, space, options).initialConfigurations?.[0];
  assert.deepEqual(first({ strategy: "warm-start", metaFeatures: { rows: 3, skew: 0 } }), {
    x: 0.2,
  });
  assert.deepEqual(first({ strategy: "warm-start", metaFeatures: { rows: 1, skew: 0 } }), {
    x: 0.1,
  });
  // A past task without meta-features, or without the one that separates the tasks, comes last.
  const partial = [
    { id: "c", trials: [{ params: { x: 0.3 }, value: 0 }] },
    { id: "d", trials: [{ params: { x: 0.4 }, value: 0 }], metaFeatures: { cols: 9 } },
    ...prior,
  ];
  const nearest = transferOptions(partial, space, {
    strategy: "warm-start",
    warmStart: 4,
    metaFeatures: { rows: 3 },
  }).initialConfigurations;
  assert.deepEqual(nearest, [{ x: 0.2 }, { x: 0.1 }, { x: 0.3 }, { x: 0.4 }]);
  // null, as JSON writes an unavailable value, is read as NaN.
  assert.deepEqual(
    first({ strategy: "warm-start", metaFeatures: { rows: 3, cols: null as unknown as number } }),
    { x: 0.2 },
  );
  // No past task has any of the names: refused, for the model-based strategies too.
  for (const strategy of ["warm-start", "rgpe-gp", "config-model"] as const) {
    assert.throws(
      () => transferOptions(prior, space, { strategy, metaFeatures: { skew: 1, kurt: 2 } }),
      /^RangeError: transfer options\.metaFeatures: no prior task has any of these meta-features \('skew', 'kurt'\)/,
      strategy,
    );
  }
  // Without the new task's meta-features config-model predicts the past tasks' mean best, as
  // when none of them is available.
  const unknown = transferOptions(prior, space, { strategy: "config-model" });
  assert.ok(unknown.initialConfigurations.length > 0);
  assert.deepEqual(
    unknown.initialConfigurations,
    transferOptions(prior, space, { strategy: "config-model", metaFeatures: { rows: NaN } })
      .initialConfigurations,
  );
  assert.throws(() => warmStartPoints([], {}), /at least one prior task/);
  assert.throws(
    () => transferOptions(prior, space, { metaFeatures: {} }),
    /at least one meta-feature/,
  );
});

Deno.test("bad transfer inputs name the bad field", () => {
  const space = defineSpace({ x: float(0, 1) });
  const prior = [{
    id: "a",
    trials: [{ params: { x: 0.1 }, value: 1 }, { params: { x: 3 }, value: 2 }],
  }];
  assert.throws(() => transferOptions(prior, space), /priorTasks\[0\]\.trials\[1\]\.params: .*x/);
  assert.throws(
    () => transferOptions([{ id: "a", trials: [] }], space),
    /priorTasks\[0\]\.trials: needs at least one trial/,
  );
  const ok = [{ id: "a", trials: [{ params: { x: 0.1 }, value: 1 }] }];
  assert.throws(
    () => transferOptions(ok, space, { strategy: "magic" as never }),
    /transfer options\.strategy/,
  );
  assert.throws(() => transferOptions(ok, space, { warmStart: -1 }), /transfer options\.warmStart/);
  assert.throws(() => transferOptions(ok, space, { candidates: [{ x: 5 }] }), /candidates\[0\]/);
  const wide = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const prepared = PreparedPrior.from(ok, space);
  assert.throws(() => transferOptions(prepared, wide), /dimension 1, the space 2/);
  assert.equal(prepared.without(["a"]).tasks.length, 0);
});

Deno.test("a pool sharing fewer configurations than asked with the past tasks still gives a full portfolio", () => {
  const space = defineSpace({ x: float(0, 1) });
  const xs = [0.1, 0.2, 0.3, 0.9];
  const task = (id: string, best: number) => ({
    id,
    trials: xs.map((x) => ({ params: { x }, value: Math.abs(x - best) })),
  });
  const prior = [task("a", 0.2), task("b", 0.25)];
  // Only 0.9, a poor configuration of both tasks, was evaluated in the past.
  const candidates = [{ x: 0.9 }, { x: 0.19 }, { x: 0.55 }, { x: 0.31 }, { x: 0.05 }];
  const setup = transferOptions(prior, space, { strategy: "portfolio", warmStart: 3, candidates });
  assert.equal(setup.initialConfigurations.length, 3);
  // Pool members are scored by each task's nearest trial: 0.19 (nearest 0.2) comes first.
  assert.deepEqual(setup.initialConfigurations[0], { x: 0.19 });
  const warm = transferOptions(prior, space, {
    warmStart: 2,
    warmStartFrom: "portfolio",
    candidates,
  });
  assert.deepEqual(warm.initialConfigurations, setup.initialConfigurations.slice(0, 2));
  // With enough shared configurations only those are candidates.
  const shared = [{ x: 0.9 }, { x: 0.2 }, { x: 0.3 }, { x: 0.19 }];
  const full = transferOptions(prior, space, {
    strategy: "portfolio",
    warmStart: 2,
    candidates: shared,
  });
  assert.ok(full.initialConfigurations.every((c) => xs.includes(c.x)), JSON.stringify(full));
});

Deno.test("warmStartFrom portfolio starts a model-based strategy from the portfolio's configurations", () => {
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), test[0].space);
  const metaFeatures = { ...test[0].metadata };
  const portfolio = transferOptions(prior, test[0].space, {
    strategy: "portfolio",
    warmStart: 3,
    metaFeatures,
  });
  for (const strategy of ["rgpe-gp", "rgpe", "tst-r"] as const) {
    const setup = transferOptions(prior, test[0].space, {
      strategy,
      warmStart: 3,
      warmStartFrom: "portfolio",
      metaFeatures,
    });
    assert.deepEqual(setup.initialConfigurations, portfolio.initialConfigurations);
    assert.ok(setup.proposer.name.startsWith(strategy), setup.proposer.name);
  }
  // The default source is the nearest task's best, which differs here.
  const nearest = transferOptions(prior, test[0].space, { warmStart: 3, metaFeatures });
  assert.notDeepEqual(nearest.initialConfigurations, portfolio.initialConfigurations);
  assert.throws(
    () =>
      transferOptions(prior, test[0].space, {
        strategy: "config-model",
        warmStartFrom: "portfolio",
        metaFeatures,
      }),
    /transfer options\.warmStartFrom: config-model/,
  );
  assert.throws(
    () => transferOptions(prior, test[0].space, { warmStartFrom: "best" as never }),
    /transfer options\.warmStartFrom/,
  );
});

Deno.test("SMBO initialConfigurations are asked first; bad ones name their index", () => {
  const space = defineSpace({ x: float(0, 1) });
  const study = new SMBO(space, {
    seed: 0,
    proposer: randomSearch(),
    initialConfigurations: [{ x: 0.25 }, { x: 0.75 }],
  });
  assert.deepEqual([study.ask().params, study.ask().params], [{ x: 0.25 }, { x: 0.75 }]);
  assert.equal(study.ask().source, "initial");
  assert.throws(
    () =>
      new SMBO(space, { proposer: randomSearch(), initialConfigurations: [{ x: 0.5 }, { x: 2 }] }),
    /SMBO options\.initialConfigurations\[1\]: /,
  );
  assert.throws(
    () =>
      new SMBO(space, {
        proposer: randomSearch(),
        candidates: [{ x: 0.5 }],
        initialConfigurations: [{ x: 0.25 }],
      }),
    /initialConfigurations\[0\]: enqueue: in pool mode/,
  );
});

Deno.test("every strategy runs on a space of fixed parameters only (nothing to transfer)", async () => {
  const space = defineSpace({ a: fixed(1), b: fixed("x") });
  const past = [{ id: "p", trials: [{ params: { a: 1, b: "x" }, value: 2 }] }];
  for (const strategy of ["rgpe", "tst-r", "taf", "warm-start"] as const) {
    const result = await minimize(() => 3, space, {
      budget: 3,
      seed: 0,
      ...transferOptions(past, space, { strategy }),
    });
    assert.equal(result.trials.length, 3, strategy);
    assert.deepEqual(result.best.params, { a: 1, b: "x" });
  }
});

Deno.test("the proposal context carries minimize's budget, in memory and on a stored study", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const seen: [number | undefined, number | undefined][] = [];
  const spy = {
    name: "spy",
    propose(context: { budget?: number; evaluationsLeft?: number; dim: number }, q: number) {
      seen.push([context.budget, context.evaluationsLeft]);
      return randomSearch().propose(context as never, q);
    },
  };
  await minimize((p) => p.x, space, { budget: 5, seed: 0, initialDesignSize: 1, proposer: spy });
  assert.deepEqual(seen, [[5, 4], [5, 3], [5, 2], [5, 1]]);
  seen.length = 0;
  await minimize((p) => p.x, space, {
    budget: 4,
    seed: 0,
    initialDesignSize: 1,
    proposer: spy,
    storage: "memory:",
    study: "s",
  });
  assert.deepEqual(seen, [[4, 3], [4, 2], [4, 1]]);
  seen.length = 0;
  const study = new SMBO(space, { seed: 0, initialDesignSize: 1, proposer: spy });
  study.tell(study.ask(), 1);
  study.ask();
  assert.deepEqual(seen, [[undefined, undefined]]);
});

Deno.test('transferOptions with rgpe budget "study" prunes as with the budget given', async () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const run = (budget?: number | "study") =>
    minimize((p) => target.objective(p), target.space, {
      budget: 8,
      seed: 0,
      ...transferOptions(prior, target.space, {
        strategy: "rgpe",
        rgpe: budget === undefined ? {} : { budget },
      }),
    });
  const [given, study, none] = [await run(8), await run("study"), await run()];
  assert.deepEqual(study.trials.map((t) => t.value), given.trials.map((t) => t.value));
  assert.notDeepEqual(none.trials.map((t) => t.value), given.trials.map((t) => t.value));
});

Deno.test("a PreparedPrior fits each past task's GP once across transferOptions calls", async () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const models = prior.baseModels;
  const fold = prior.without([train[0].id]);
  assert.strictEqual(fold.baseModels[0], models[1]); // the others' fitted GPs are kept
  const runs = [];
  for (const strategy of ["rgpe", "tst-r", "taf"] as const) {
    runs.push(
      await minimize((p) => target.objective(p), target.space, {
        budget: 4,
        seed: 0,
        ...transferOptions(prior, target.space, { strategy }),
      }),
    );
  }
  assert.strictEqual(prior.baseModels, models);
  assert.ok(models.every((m, i) => m === prior.baseModels[i]));
  // The same strategy from raw tasks (refitted with the same defaults) gives the same trials.
  const raw = await minimize((p) => target.objective(p), target.space, {
    budget: 4,
    seed: 0,
    ...transferOptions(train.map((t, i) => priorOf(t, i)), target.space, { strategy: "rgpe" }),
  });
  assert.deepEqual(raw.trials.map((t) => t.value), runs[0].trials.map((t) => t.value));
});

Deno.test("rgpe-gp proposes with RGPE before the handover and with plain GP-BO from it on", async () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const run = (
    strategy: "rgpe" | "rgpe-gp",
    handover?: number,
    budget = 8,
    rgpe?: { relevance: number | false },
  ) =>
    minimize((p) => target.objective(p), target.space, {
      budget,
      seed: 2,
      ...transferOptions(prior, target.space, { strategy, handover, rgpe }),
    });
  // The default handover is twice plain GP-BO's initial design: the same trials as handover 2·n0.
  const design = DESIGN_DEFAULTS.size(target.space);
  assert.deepEqual(
    (await run("rgpe-gp", undefined, 2 * design + 2)).trials.map((t) => t.params),
    (await run("rgpe-gp", 2 * design, 2 * design + 2)).trials.map((t) => t.params),
  );
  assert.notDeepEqual(
    (await run("rgpe-gp", undefined, 2 * design + 2)).trials.map((t) => t.params),
    (await run("rgpe-gp", design, 2 * design + 2)).trials.map((t) => t.params),
  );
  // Before the handover the trials are RGPE's (with the relevance test of the default), one for
  // one; without the test, the paper's RGPE's.
  const relevance = { relevance: TRANSFER_DEFAULTS.relevance };
  const rgpeRun = await run("rgpe", undefined, 8, relevance);
  const early = await run("rgpe-gp", 8);
  assert.deepEqual(early.trials.map((t) => t.params), rgpeRun.trials.map((t) => t.params));
  assert.deepEqual(
    (await run("rgpe-gp", 8, 8, { relevance: false })).trials.map((t) => t.params),
    (await run("rgpe")).trials.map((t) => t.params),
  );
  const late = await run("rgpe-gp", 4);
  assert.deepEqual(
    late.trials.slice(0, 4).map((t) => t.params),
    rgpeRun.trials.slice(0, 4).map((t) => t.params),
  );
  assert.notDeepEqual(late.trials.map((t) => t.params), rgpeRun.trials.map((t) => t.params));
  assert.throws(
    () => transferOptions(prior, target.space, { strategy: "rgpe-gp", handover: -1 }),
    /handover/,
  );
});

Deno.test("rgpe-gp: a batch across the handover takes its first points from RGPE and the rest from GP-BO with those pending", () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const rng = new Rng(7);
  const points = Array.from({ length: 8 }, () => target.space.project(rng.uniforms(2)));
  const values = Float64Array.from(points, (u) => target.evaluate(u));
  const proposer = (handover: number) =>
    transferOptions(prior, target.space, { strategy: "rgpe-gp", handover }).proposer;
  const context = (random: Rng, memory: Map<string, unknown>, pending: Float64Array[] = []) => ({
    dim: 2,
    points,
    values,
    pending,
    project: (u: Float64Array) => target.space.project(u),
    rng: random,
    memory,
    space: target.space,
  });
  // 8 evaluations made, handover 10: the 9th and 10th points are RGPE's, the 11th and 12th
  // GP-BO's, given the first two as pending (the same random stream and memory, in that order).
  const batch = proposer(10).propose(context(new Rng(3), new Map()), 4);
  const random = new Rng(3), memory = new Map<string, unknown>();
  const rgpePoints = proposer(100).propose(context(random, memory), 2);
  const gpPoints = proposer(0).propose(context(random, memory, rgpePoints), 2);
  assert.deepEqual(batch, [...rgpePoints, ...gpPoints]);
  // Not the batch RGPE alone would give.
  assert.notDeepEqual(batch, proposer(100).propose(context(new Rng(3), new Map()), 4));
  // Wholly before or from the handover: one phase, as before.
  assert.deepEqual(
    proposer(10).propose(context(new Rng(3), new Map()), 2),
    proposer(100).propose(context(new Rng(3), new Map()), 2),
  );
  assert.deepEqual(
    proposer(8).propose(context(new Rng(3), new Map()), 3),
    proposer(0).propose(context(new Rng(3), new Map()), 3),
  );
  // Pending trials count as made: with two pending, the batch is GP-BO's from its first point.
  const pending = points.slice(0, 2).map((u) => u.map((x) => 1 - x));
  assert.deepEqual(
    proposer(10).propose(context(new Rng(3), new Map(), pending), 2),
    proposer(0).propose(context(new Rng(3), new Map(), pending), 2),
  );
});

Deno.test("rgpe-gp: in pool mode, the GP-BO part of a batch across the handover has the candidates RGPE chose pending, not in its pool", () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const rng = new Rng(8);
  const candidates = Array.from({ length: 30 }, () => target.space.decode(rng.uniforms(2)));
  const encoded = candidates.map((c) => target.space.encode(c));
  const points = encoded.slice(0, 8);
  const values = Float64Array.from(points, (u) => target.evaluate(u));
  const proposer = (handover: number) =>
    transferOptions(prior, target.space, { strategy: "rgpe-gp", handover, candidates })
      .proposer;
  const context = (
    random: Rng,
    memory: Map<string, unknown>,
    pending: Float64Array[] = [],
  ) => ({
    dim: 2,
    points,
    values,
    pending,
    project: (u: Float64Array) => target.space.project(u),
    rng: random,
    memory,
    pool: encoded.slice(8).filter((u) => !pending.includes(u)),
    space: target.space,
  });
  const batch = proposer(11).propose(context(new Rng(4), new Map()), 6);
  const random = new Rng(4), memory = new Map<string, unknown>();
  const rgpePoints = proposer(100).propose(context(random, memory), 3);
  const gpPoints = proposer(0).propose(context(random, memory, rgpePoints), 3);
  assert.deepEqual(batch, [...rgpePoints, ...gpPoints]);
  assert.equal(new Set(batch).size, 6);
  for (const u of batch) assert.ok(encoded.slice(8).includes(u));
});

Deno.test("the ablr strategy learns the feature map once per PreparedPrior and options", async () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const options = { hidden: 8, features: 8, iterations: 20 };
  const model = prior.ablrModel(options);
  assert.strictEqual(prior.ablrModel({ ...options }), model);
  const result = await minimize((p) => target.objective(p), target.space, {
    budget: 6,
    seed: 0,
    ...transferOptions(prior, target.space, { strategy: "ablr", ablr: options }),
  });
  assert.equal(result.trials.length, 6);
  assert.ok(result.trials.every((t) => Number.isFinite(t.value)));
  // The refit settings belong to the surrogate: the same learned map serves both variants.
  assert.strictEqual(prior.ablrModel({ ...options, refitEvery: 2, refitIterations: 3 }), model);
  const run = (strategy: "ablr" | "ablr-fixed") =>
    minimize((p) => target.objective(p), target.space, {
      budget: 8,
      seed: 0,
      ...transferOptions(prior, target.space, {
        strategy,
        ablr: { ...options, refitEvery: 3, refitIterations: 5 },
      }),
    });
  const joint = await run("ablr"), fixed = await run("ablr-fixed");
  // Identical until the first joint refit (the fit with 3 observations proposes the 4th trial).
  const params = (r: typeof joint) => r.trials.map((t) => t.params);
  assert.deepEqual(params(joint).slice(0, 3), params(fixed).slice(0, 3));
  assert.notDeepEqual(params(joint), params(fixed));
  assert.throws(
    () => transferOptions(prior, target.space, { strategy: "ablr", ablr: { hidden: 0 } }),
    /transfer options.ablr.hidden: must be a positive integer/,
  );
});

Deno.test("PreparedPrior is tied to its space and checks its options up front", () => {
  const unit = defineSpace({ lr: float(0, 1) });
  const tasks = [{
    id: "a",
    trials: [{ params: { lr: 0.3 }, value: 0 }, { params: { lr: 0.8 }, value: 1 }],
  }];
  const prior = PreparedPrior.from(tasks, unit);
  const warm = (space: typeof unit) =>
    transferOptions(prior, space, { strategy: "warm-start", warmStart: 1 }).initialConfigurations;
  // The same space, or another object with the same definition: past configurations as they were.
  assert.deepEqual(warm(unit), [{ lr: 0.3 }]);
  assert.deepEqual(warm(defineSpace({ lr: float(0, 1) })), [{ lr: 0.3 }]);
  // ... or the same space written otherwise (an explicit default).
  assert.deepEqual(warm(defineSpace({ lr: float(0, 1, { log: false }) })), [{ lr: 0.3 }]);
  // Other bounds or names: refused, where the encoded points would have read lr = 3 or depth = 0.3.
  assert.throws(
    () => warm(defineSpace({ lr: float(0, 10) })),
    /transfer: another space than the one the data were encoded in .*wrong units/,
  );
  assert.throws(
    () => transferOptions(prior, defineSpace({ depth: float(0, 1) }) as never),
    /transfer: another space/,
  );
  // `without` keeps the space.
  const two = PreparedPrior.from([...tasks, { ...tasks[0], id: "b" }], unit);
  assert.throws(
    () => transferOptions(two.without(["b"]), defineSpace({ lr: float(0, 10) })),
    /another space/,
  );
  // A prior built from encoded tasks without a space checks the dimension only.
  const bare = new PreparedPrior(prior.tasks);
  assert.doesNotThrow(() => transferOptions(bare, defineSpace({ lr: float(0, 10) })));
  assert.throws(
    () => checkSameSpace(unit, defineSpace({ lr: float(0, 1, { log: false, step: 0.5 }) }), "s"),
    /^RangeError: s: another space/,
  );
  // Options: misspelled keys, non-integer seeds and bad GP settings name the option at once.
  assert.throws(() => PreparedPrior.from(tasks, unit, { seeed: 1 } as never), {
    message: "PreparedPrior options.seeed: unknown key",
  });
  assert.throws(
    () => PreparedPrior.from(tasks, unit, { maxpoints: 5 } as never),
    /maxpoints: unknown key/,
  );
  assert.throws(
    () => PreparedPrior.from(tasks, unit, { seed: 1.5 }),
    /PreparedPrior options\.seed/,
  );
  assert.throws(
    () => PreparedPrior.from(tasks, unit, { gp: { kernell: "rbf" } as never }),
    /PreparedPrior options\.gp: .*kernell: unknown key/,
  );
  assert.doesNotThrow(() => checkTransferOptions({ strategy: "rgpe", warmStart: 2 }));
  assert.throws(() => checkTransferOptions({ stratgy: "rgpe" }, "o"), {
    message: "o.stratgy: unknown key",
  });
});

Deno.test("checkTransferOptions checks the target GP's settings with gpFactory's rules, naming each", () => {
  assert.throws(
    () => checkTransferOptions({ rgpe: { gp: { kernel: "matern-52", restart: 2 } } }),
    {
      name: "TypeError",
      message: 'transfer options.rgpe.gp.kernel: must be one of "rbf", "matern12", "matern32", ' +
        '"matern52"; transfer options.rgpe.gp.restart: unknown key',
    },
  );
  assert.throws(
    () => checkTransferOptions({ kernelWeights: { gp: { bounds: { noise: [2, 1] } } } }, "o"),
    { message: "o.kernelWeights.gp.bounds.noise: low must be ≤ high" },
  );
  assert.doesNotThrow(() =>
    checkTransferOptions({
      rgpe: { gp: { kernel: "matern32", restarts: 1, mean: "constant", categorical: "hamming" } },
      kernelWeights: { gp: { priors: "gamma" } },
    })
  );
  // transferOptions and the surrogates refuse them when reading their options, before any fit.
  const unit = defineSpace({ x: float(0, 1) });
  const past = [{ id: "a", trials: [{ params: { x: 0.5 }, value: 1 }] }];
  for (const strategy of ["rgpe", "rgpe-gp"] as const) {
    assert.throws(
      () => transferOptions(past, unit, { strategy, rgpe: { gp: { kernel: "x" } as never } }),
      /^TypeError: transfer options\.rgpe\.gp\.kernel: must be one of/,
    );
  }
  for (const strategy of ["tst-r", "taf"] as const) {
    assert.throws(
      () =>
        transferOptions(past, unit, { strategy, kernelWeights: { gp: { restart: 1 } as never } }),
      /transfer options\.kernelWeights\.gp\.restart: unknown key/,
    );
  }
});

/** Stored-study resume of transfer strategies: a small problem with three past tasks. */
const resumeSpace = defineSpace({ x: float(-2, 2), y: float(-2, 2) });
const resumeTask = (a: number) => (p: { x: number; y: number }) =>
  (p.x - a) ** 2 + (p.y + 0.5) ** 2 + 0.1 * Math.sin(5 * p.x);
const resumePrior: PriorTask[] = [0.1, 0.5, -0.4].map((a, k) => ({
  id: `t${k}`,
  trials: Array.from({ length: 12 }, (_, i) => {
    const x = -2 + 4 * (((i + k) * 0.618) % 1), y = -2 + 4 * (((i + 2 * k) * 0.377) % 1);
    return { params: { x, y }, value: resumeTask(a)({ x, y }) };
  }),
}));

/**
 * A stored `minimize` of 14 evaluations with fresh `transferOptions` at each call (a new
 * process), stopped after each of `stops` evaluations; `inProcess` strips the proposer's
 * saveState/restoreState (its memory then stays in the process, as before stored studies kept
 * it). The configurations of its trials.
 */
async function storedTransferRun(
  options: TransferOptions<{ x: number; y: number }>,
  stops: number[],
  inProcess = false,
): Promise<unknown[]> {
  const storage = await openStorage("memory:");
  try {
    let trials: readonly { params: unknown }[] = [];
    for (const budget of [...stops, 14]) {
      const setup = transferOptions(resumePrior, resumeSpace, options);
      const proposer = setup.proposer;
      const result = await minimize(resumeTask(0.3), resumeSpace, {
        ...setup,
        proposer: inProcess
          ? { name: proposer.name, propose: (context, q) => proposer.propose(context, q) }
          : proposer,
        storage,
        study: "transfer",
        budget,
        seed: 2,
      });
      trials = result.trials;
      await result.study.close();
    }
    return trials.map((t) => t.params);
  } finally {
    await storage.close();
  }
}

Deno.test("transfer strategies rgpe and tst-r on a stored study: uninterrupted as with the memory in the process, and resumed exactly", async () => {
  for (const strategy of ["rgpe", "tst-r"] as const) {
    const uninterrupted = await storedTransferRun({ strategy }, []);
    assert.deepEqual(uninterrupted, await storedTransferRun({ strategy }, [], true), strategy);
    for (const k of [4, 9]) {
      assert.deepEqual(
        await storedTransferRun({ strategy }, [k]),
        uninterrupted,
        `${strategy} ${k}`,
      );
    }
  }
});

Deno.test("transfer strategy rgpe-gp on a stored study: resumed before, at and after the handover, it proposes the uninterrupted run", async () => {
  const options = { strategy: "rgpe-gp" } as const;
  assert.equal(defaultHandover(resumeSpace), 10);
  const uninterrupted = await storedTransferRun(options, []);
  assert.deepEqual(uninterrupted, await storedTransferRun(options, [], true));
  // after 3 (RGPE next), 10 (RGPE's fit stored, GP-BO next), 11 and 12 (GP-BO's)
  for (const stops of [[3], [10], [11, 12]]) {
    assert.deepEqual(await storedTransferRun(options, stops), uninterrupted, `${stops}`);
  }
});

Deno.test('transfer strategy rgpe with budget "study": the wrapper saves the RGPE proposer\'s state', () => {
  const { proposer } = transferOptions(resumePrior, resumeSpace, {
    strategy: "rgpe",
    rgpe: { budget: "study" },
  });
  assert.equal(typeof proposer.saveState, "function");
  assert.equal(typeof proposer.restoreState, "function");
  const memory = new Map<string, unknown>();
  proposer.restoreState!(memory, { bayesOpt: { fits: 3 } });
  assert.deepEqual(proposer.saveState!(memory), { bayesOpt: { fits: 3 } });
});

Deno.test("transferOptions accepts the acquisitions of TRANSFER_ACQUISITIONS and names the option otherwise", () => {
  const space = defineSpace({ x: float(0, 1) });
  const prior = [{ id: "a", trials: [{ params: { x: 0.1 }, value: 1 }] }];
  for (const acquisition of TRANSFER_ACQUISITIONS) {
    assert.ok(transferOptions(prior, space, { strategy: "warm-start", acquisition }).proposer);
  }
  for (const acquisition of ["lognei", "lognormal-ei", "nope"]) {
    assert.throws(
      () =>
        transferOptions(prior, space, {
          strategy: "warm-start",
          acquisition: acquisition as TransferAcquisition,
        }),
      /acquisition/,
    );
  }
});

/**
 * Encoded 1-d tasks whose `points` getter counts its reads per task id: fitting a task's base GP
 * reads them, handing out a model already fitted does not.
 */
function countedTasks(ids: readonly string[]) {
  const reads = new Map<string, number>();
  const tasks: EncodedTask[] = ids.map((id, k) => {
    const points = [0.05, 0.3, 0.45, 0.6, 0.8, 0.95].map((x) => Float64Array.of(x));
    const values = Float64Array.from(points, (p) => (p[0] - 0.1 - 0.15 * k) ** 2);
    return {
      id,
      get points() {
        reads.set(id, (reads.get(id) ?? 0) + 1);
        return points;
      },
      values,
    };
  });
  const fitted = () => {
    const ids = [...reads.keys()].sort();
    reads.clear();
    return ids;
  };
  return { tasks, fitted };
}

Deno.test("a PreparedPrior and the priors derived by without() fit each task's GP once, through whichever asks first", () => {
  const { tasks, fitted } = countedTasks(["a", "b", "c", "d", "e"]);
  const space = defineSpace({ x: float(0, 1) });
  const prior = new PreparedPrior(tasks, undefined, {}, space);
  fitted(); // the constructor checks the tasks (it reads their points) and fits nothing
  const foldA = prior.without(["a"]);
  const foldB = prior.without(["b"]);
  assert.deepEqual(fitted(), []); // nothing is fitted up front
  const modelsA = foldA.baseModels;
  assert.deepEqual(fitted(), ["b", "c", "d", "e"]);
  const modelsB = foldB.baseModels;
  assert.deepEqual(fitted(), ["a"]); // only the task foldA did not have
  assert.deepEqual(modelsB.slice(1), modelsA.slice(1)); // c, d, e: the same objects
  assert.ok(modelsB.slice(1).every((m, i) => m === modelsA[i + 1]));
  // The parent, later siblings, derived priors of derived priors: no fit, the same models.
  const all = prior.baseModels;
  assert.deepEqual(fitted(), []);
  assert.deepEqual(all.map((m) => m.id), ["a", "b", "c", "d", "e"]);
  assert.strictEqual(all[0], modelsB[0]);
  assert.ok(all.slice(1).every((m, i) => m === modelsA[i]));
  const grandchild = foldA.without(["c"]).baseModels;
  const again = prior.without(["a"]).baseModels;
  assert.deepEqual(fitted(), []);
  assert.deepEqual(grandchild.map((m) => m.id), ["b", "d", "e"]);
  assert.ok([all[1], all[3], all[4]].every((m, i) => m === grandchild[i]));
  assert.ok(again.every((m, i) => m === modelsA[i]));
  assert.strictEqual(prior.baseModels, all); // the same list on every access
  // The shared models are those a fresh fit of the whole list gives, value for value.
  const fresh = fitBaseModels(tasks);
  fitted();
  const grid = Array.from({ length: 11 }, (_, i) => Float64Array.of(i / 10));
  all.forEach((m, i) => assert.deepEqual(m.gp.predict(grid), fresh[i].gp.predict(grid)));
  // Another prior built from the same tasks by the constructor shares nothing.
  const other = new PreparedPrior(tasks, undefined, {}, space);
  fitted();
  other.without(["a", "b", "c", "d"]).baseModels;
  assert.deepEqual(fitted(), ["e"]);
  // Nor does one with other fitting options, whose models differ.
  const seeded = new PreparedPrior(tasks, undefined, { seed: 7 }, space);
  fitted();
  seeded.without(["e"]).baseModels;
  assert.deepEqual(fitted(), ["a", "b", "c", "d"]);
});

Deno.test("transferOptions on a prior's fold fits the fold's GPs into the prior (leave-one-task-out, repeated calls)", async () => {
  const { tasks, fitted } = countedTasks(["a", "b", "c", "d"]);
  const space = defineSpace({ x: float(0, 1) });
  const prior = new PreparedPrior(tasks, undefined, {}, space);
  const run = async (heldOut: string) =>
    (await minimize((p) => (p.x - 0.4) ** 2, space, {
      budget: 3,
      seed: 0,
      ...transferOptions(prior.without([heldOut]), space, { strategy: "rgpe" }),
    })).trials.map((t) => t.value);
  const first = await run("a");
  fitted();
  const models = prior.baseModels;
  assert.deepEqual(fitted(), ["a"]); // b, c and d were fitted in the fold, once
  // A second run on the same fold (a later call of the protocol) fits nothing and repeats the run.
  assert.deepEqual(await run("a"), first);
  fitted();
  assert.strictEqual(prior.baseModels, models);
  assert.deepEqual(fitted(), []);
});

Deno.test("ABLR's learned map and portfolios are shared by the priors of the same tasks derived from one prior", () => {
  const target = test[0];
  const prior = PreparedPrior.from(train.map((t, i) => priorOf(t, i)), target.space);
  const options = { hidden: 4, features: 4, iterations: 5 };
  const model = prior.without([train[0].id]).ablrModel(options);
  assert.strictEqual(prior.without([train[0].id]).ablrModel({ ...options }), model);
  assert.strictEqual(
    prior.without([train[1].id]).without([train[0].id]).ablrModel(options),
    prior.without([train[0].id, train[1].id]).ablrModel(options),
  );
  // Other tasks or other options: another model.
  assert.notStrictEqual(prior.ablrModel(options), model);
  assert.notStrictEqual(prior.without([train[1].id]).ablrModel(options), model);
  assert.notStrictEqual(prior.without([train[0].id]).ablrModel({ ...options, seed: 1 }), model);
  assert.equal(prior.ablrModel(options).heads.length, train.length);
  assert.equal(model.heads.length, train.length - 1);
  // Portfolios are handed out as copies; a fold's equals the one of a prior of its tasks alone.
  const fold = prior.without([train[0].id]).portfolio(3);
  assert.deepEqual(prior.without([train[0].id]).portfolio(3), fold);
  assert.deepEqual(
    PreparedPrior.from(train.slice(1).map((t, i) => priorOf(t, i + 1)), target.space).portfolio(3),
    fold,
  );
  assert.notDeepEqual(prior.portfolio(3), fold);
});

Deno.test("rgpe, tst-r and rgpe-gp run on past tasks with tiny values as on the same tasks unscaled", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const past = (scale: number) =>
    [0.3, 0.32].map((c, i) => ({
      id: `p${i}`,
      trials: [0, 0.25, 0.5, 0.75, 1].map((x) => ({ params: { x }, value: scale * (x - c) ** 2 })),
    }));
  const run = async (scale: number, strategy: "rgpe" | "tst-r" | "rgpe-gp") =>
    (await minimize((p) => (p.x - 0.35) ** 2, space, {
      budget: 6,
      seed: 0,
      ...transferOptions(past(scale), space, { strategy }),
    })).trials.map((t) => t.params.x);
  for (const strategy of ["rgpe", "tst-r", "rgpe-gp"] as const) {
    const unscaled = await run(1, strategy);
    // a power of two scales the values exactly: the same proposals, bit for bit
    assert.deepEqual(await run(2 ** -1000, strategy), unscaled, strategy);
    // 1e-300 rounds each value: the same proposals up to that round-off
    const tiny = await run(1e-300, strategy);
    assert.equal(tiny.length, unscaled.length, strategy);
    tiny.forEach((x, i) => assert.ok(Math.abs(x - unscaled[i]) < 1e-6, `${strategy} trial ${i}`));
  }
});

Deno.test("fsbo leaves out past tasks of one trial, and proposes with plain GP-BO when every task has one", async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const single = [
    { id: "t0", trials: [{ params: { x: 0.2, y: 0.2 }, value: 1 }] },
    { id: "t1", trials: [{ params: { x: 0.7, y: 0.2 }, value: 0.5 }] },
  ];
  const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2;
  const setup = transferOptions(single, space, { strategy: "fsbo", fsbo: { metaIterations: 5 } });
  // the past tasks still give the warm-start configuration
  assert.equal(setup.initialConfigurations.length, 1);
  assert.ok(single.some((t) => t.trials[0].params.x === setup.initialConfigurations[0].x));
  assert.equal(setup.proposer.name, bayesOpt().name);
  const run = await minimize(f, space, { budget: 5, seed: 0, ...setup });
  const plain = await minimize(f, space, { budget: 5, seed: 0, ...setup, proposer: bayesOpt() });
  assert.deepEqual(run.trials.map((t) => t.params), plain.trials.map((t) => t.params));
  // one task of 2 trials is enough to meta-train on; the task of one trial is left out
  const mixed = [{
    ...single[0],
    trials: [...single[0].trials, { params: { x: 0.5, y: 0.5 }, value: 2 }],
  }, single[1]];
  const learned = transferOptions(mixed, space, { strategy: "fsbo", fsbo: { metaIterations: 5 } });
  assert.match(learned.proposer.name, /^fsbo/);
  // the options are checked either way
  assert.throws(
    () => transferOptions(single, space, { strategy: "fsbo", fsbo: { hidden: 0 } }),
    /fsbo\.hidden/,
  );
});
