/**
 * Transfer at the edges of the experience: unavailable (NaN) meta-features for the new task as for
 * the past ones, and no past task at all (a project's first study gives plain GP-BO).
 */
import assert from "node:assert/strict";
import {
  configurationModelPoints,
  type EncodedTask,
  predictConfiguration,
  PreparedPrior,
  type PriorTask,
  TaskStore,
  TRANSFER_STRATEGIES,
  transferOptions,
  transferOptionsFromStorage,
  type TransferStrategy,
  warmStartPoints,
} from "../../lib/meta/mod.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { SMBO_DEFAULTS } from "../../lib/smbo/study.ts";
import { openStorage } from "../../lib/storage/mod.ts";
import { priorTasksFromStorage } from "../../lib/storage/experience.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { budgetedDesignSize } from "../../lib/space/design.ts";

const space = defineSpace({ x: float(0, 1), k: int(1, 4) });
const f = (c: number) => (p: { x: number; k: number }) => (p.x - c) ** 2 + 0.1 * Math.abs(p.k - 2);
const past = (id: string, c: number, metaFeatures: Record<string, number>): PriorTask => ({
  id,
  metaFeatures,
  trials: [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95].flatMap((x) =>
    [1, 3].map((k) => ({ params: { x, k }, value: f(c)({ x, k }) }))
  ),
});
// Small networks and short fits: these tests are about inputs, not about ABLR's or FSBO's quality.
const fast = { ablr: { iterations: 30 }, fsbo: { metaIterations: 50 } };
const encoded = (
  id: string,
  best: number[],
  metaFeatures: Record<string, number>,
): EncodedTask => ({
  id,
  points: [Float64Array.from(best), Float64Array.from(best, (b) => 1 - b)],
  values: Float64Array.of(0, 1),
  metaFeatures,
});

Deno.test("NaN meta-features of the new task are accepted by every strategy", async () => {
  const prior = [
    past("a", 0.3, { n: 100, d: 3, skew: NaN }),
    past("b", 0.7, { n: 50, d: NaN, skew: 1 }),
    past("c", 0.5, { n: 80, d: 2, skew: 0.5 }),
  ];
  const metaFeatures = { n: 95, d: NaN, skew: NaN };
  for (const strategy of TRANSFER_STRATEGIES) {
    const setup = transferOptions(prior, space, { strategy, metaFeatures, ...fast });
    assert.ok(setup.initialConfigurations.length > 0, strategy);
  }
  for (const strategy of ["warm-start", "config-model", "rgpe-gp"] as const) {
    const result = await minimize(f(0.32), space, {
      budget: 7,
      seed: 0,
      ...transferOptions(prior, space, { strategy, metaFeatures }),
    });
    assert.ok(result.trials.every((t) => t.status === "complete"), strategy);
  }
  // Only the available meta-feature counts: task a (n = 100) is the nearest to n = 95.
  const [first] = transferOptions(prior, space, { strategy: "warm-start", metaFeatures })
    .initialConfigurations;
  assert.deepEqual(first, { x: 0.35, k: 1 });
});

Deno.test("±Infinity meta-features are refused with an error naming them", () => {
  const prior = [past("a", 0.3, { n: 100 }), past("b", 0.7, { n: 50 })];
  for (const strategy of ["warm-start", "config-model", "rgpe-gp", "portfolio"] as const) {
    for (const bad of [Infinity, -Infinity]) {
      assert.throws(
        () => transferOptions(prior, space, { strategy, metaFeatures: { n: bad } }),
        /transfer options\.metaFeatures\.n: must be a finite number, NaN or null/,
        `${strategy} ${bad}`,
      );
    }
  }
  const tasks = [encoded("a", [0.2], { n: 1 }), encoded("b", [0.8], { n: 2 })];
  assert.throws(
    () => warmStartPoints(tasks, { metaFeatures: { n: Infinity } }),
    /warmStart options\.metaFeatures\.n: must be a finite number, NaN or null/,
  );
  assert.throws(
    () => configurationModelPoints(tasks, { metaFeatures: { n: -Infinity } }),
    /configurationModel options\.metaFeatures\.n: must be a finite number, NaN or null/,
  );
  assert.throws(
    () => predictConfiguration(tasks, { n: Infinity }),
    /configurationModel\.metaFeatures\.n: must be a finite number, NaN or null/,
  );
});

Deno.test("warm start compares tasks on the meta-features available to both", () => {
  const tasks = [
    encoded("far", [0.1], { m: 0, n: 0 }),
    encoded("near", [0.9], { m: 10, n: 0 }),
    encoded("blind", [0.5], { m: NaN, n: NaN }),
  ];
  // n is unavailable for the new task: m alone decides, and "blind" shares nothing with it.
  const points = warmStartPoints(tasks, { count: 3, metaFeatures: { m: 9, n: NaN } });
  assert.deepEqual(points.map((p) => p[0]), [0.9, 0.1, 0.5]);
});

Deno.test("the configuration model leaves out meta-features the new task lacks", () => {
  const ms = [0, 2, 4, 6, 8, 10];
  const junk = [3, -1, 7, 0, 5, 2];
  const withJunk = ms.map((m, i) => encoded(`t${i}`, [0.1 + 0.08 * m, 0.5], { m, junk: junk[i] }));
  const without = ms.map((m, i) => encoded(`t${i}`, [0.1 + 0.08 * m, 0.5], { m }));
  const a = predictConfiguration(withJunk, { m: 5, junk: NaN });
  const b = predictConfiguration(without, { m: 5 });
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a.mean[0] - 0.5) < 0.05, `${a.mean[0]}`);
  assert.deepEqual(
    configurationModelPoints(withJunk, { metaFeatures: { m: 5, junk: NaN }, count: 3 }),
    configurationModelPoints(without, { metaFeatures: { m: 5 }, count: 3 }),
  );
});

Deno.test("the configuration model imputes a past task's gap with the past tasks' mean", () => {
  const ms = [0, 2, 4, 6, 8];
  const ss = [0, 1, NaN, 2, 8];
  const tasks = (gap: number) =>
    ms.map((m, i) =>
      encoded(`t${i}`, [0.1 + 0.08 * m, 0.2 + 0.05 * i], { m, s: i === 2 ? gap : ss[i] })
    );
  // The other tasks' s are 0, 1, 2, 8: mean 2.75 (not the middle of their range, 4), inside the
  // range, so the scaling bounds do not move.
  const imputed = predictConfiguration(tasks(NaN), { m: 3, s: 1.5 });
  const filled = predictConfiguration(tasks(2.75), { m: 3, s: 1.5 });
  const middle = predictConfiguration(tasks(4), { m: 3, s: 1.5 });
  for (let d = 0; d < 2; d++) {
    assert.ok(Math.abs(imputed.mean[d] - filled.mean[d]) < 1e-9, `mean[${d}]`);
    assert.ok(Math.abs(imputed.sd[d] - filled.sd[d]) < 1e-9, `sd[${d}]`);
  }
  assert.ok(Math.abs(imputed.mean[1] - middle.mean[1]) > 1e-6);
});

Deno.test("the configuration model without a usable meta-feature or with one task", () => {
  const tasks = [
    encoded("a", [0.2, 1], { m: 1 }),
    encoded("b", [0.4, 0], { m: 2 }),
    encoded("c", [0.9, 1], { m: 3 }),
  ];
  const { mean, sd } = predictConfiguration(tasks, { m: NaN });
  assert.deepEqual([...mean].map((v) => +v.toFixed(12)), [0.5, 0.666666666667]);
  assert.ok(Math.abs(sd[0] - Math.sqrt(((0.3 ** 2) + (0.1 ** 2) + (0.4 ** 2)) / 2)) < 1e-12);
  // A meta-feature no past task has is no input either.
  const blind = tasks.map((t) => ({ ...t, metaFeatures: { m: NaN } }));
  assert.deepEqual(predictConfiguration(blind, { m: 2 }), { mean, sd });
  // One past task: its best configuration, without spread.
  const one = predictConfiguration(tasks.slice(0, 1), { m: 5 });
  assert.deepEqual([...one.mean], [0.2, 1]);
  assert.deepEqual([...one.sd], [0, 0]);
  assert.deepEqual(
    configurationModelPoints(tasks.slice(0, 1), { metaFeatures: { m: 5 }, count: 4 }),
    [
      one.mean,
    ],
  );
  assert.throws(() => predictConfiguration([], { m: 5 }), /at least one prior task/);
});

Deno.test("meta-features extracted from an all-numeric table transfer as they are", () => {
  const table = {
    f1: [1, 2, 3, 4, 5, 6, 7, 8],
    f2: [2, 1, 4, 3, 6, 5, 8, 7],
    y: ["a", "b", "a", "b", "a", "b", "a", "b"],
  };
  const mf = extractMetaFeatures(table, { target: "y", seed: 0 }).toObject();
  assert.ok(Object.values(mf).some(Number.isNaN), "some meta-feature is unavailable");
  const name = Object.keys(mf).find((k) => Number.isFinite(mf[k]))!;
  const prior = [past("p", 0.3, mf), past("q", 0.6, { ...mf, [name]: mf[name] + 1 })];
  for (const strategy of ["warm-start", "config-model", "rgpe-gp"] as const) {
    const setup = transferOptions(prior, space, { strategy, metaFeatures: mf });
    assert.ok(setup.initialConfigurations.length > 0, strategy);
  }
});

Deno.test("a stored study's NaN meta-features serve as the new task's", async () => {
  const storage = await openStorage("memory:");
  const metaFeatures = { n_rows: 150, "skewness.mean": NaN };
  await minimize(f(0.3), space, { storage, study: "past", budget: 6, seed: 0, metaFeatures });
  const [task] = await priorTasksFromStorage(storage, space, { metaFeatures });
  assert.ok(Number.isNaN(task.metaFeatures!["skewness.mean"]));
  const best = task.trials.reduce((m, t) => (t.value < m.value ? t : m)).params;
  for (const strategy of ["warm-start", "rgpe-gp"] as const) {
    const setup = await transferOptionsFromStorage(storage, space, { strategy, metaFeatures });
    assert.deepEqual(setup.initialConfigurations[0], best, strategy);
  }
  await storage.close();
});

const needsMetaFeatures = (strategy: TransferStrategy) =>
  strategy === "config-model" ? { metaFeatures: { n: 1 } } : {};

Deno.test("with no past task every strategy gives plain GP-BO", async () => {
  const plain = bayesOpt();
  const none = PreparedPrior.from([past("a", 0.3, { n: 1 })], space).without(["a"]);
  assert.equal(none.tasks.length, 0);
  for (const prior of [[], TaskStore.from([]), none]) {
    for (const strategy of TRANSFER_STRATEGIES) {
      const setup = transferOptions(prior, space, { strategy, ...needsMetaFeatures(strategy) });
      assert.deepEqual(setup.initialConfigurations, [], strategy);
      assert.equal("initialDesignSize" in setup, false, strategy); // the optimiser's default
      assert.equal(setup.proposer.name, plain.name, strategy);
      assert.equal("candidates" in setup, false);
    }
  }
  // The same run as minimize without transfer options.
  const reference = await minimize(f(0.3), space, { budget: 8, seed: 3 });
  for (const strategy of ["rgpe-gp", "portfolio", "fsbo"] as const) {
    const result = await minimize(f(0.3), space, {
      budget: 8,
      seed: 3,
      ...transferOptions([], space, { strategy }),
    });
    assert.deepEqual(result.trials.map((t) => t.params), reference.trials.map((t) => t.params));
    assert.deepEqual(result.trials.map((t) => t.source), reference.trials.map((t) => t.source));
  }
  // Where minimize's budgeted design is smaller than SMBO's default (9 points on four parameters,
  // 6 for a budget of 12), the same run too.
  const wide = defineSpace({
    x: float(-2, 2),
    lr: float(1e-4, 1, { log: true }),
    n: int(1, 16),
    k: int(1, 4),
  });
  const g = (p: { x: number; lr: number; n: number; k: number }) =>
    (p.x - 0.3) ** 2 + (Math.log10(p.lr) + 2) ** 2 / 4 + ((p.n - 5) / 4) ** 2 + 0.1 * p.k;
  assert.deepEqual([SMBO_DEFAULTS.initialDesignSize(wide), budgetedDesignSize(wide, 12)], [9, 6]);
  const wideReference = await minimize(g, wide, { budget: 12, seed: 0 });
  for (const strategy of ["rgpe-gp", "config-model"] as const) {
    const setup = transferOptions([], wide, { strategy, ...needsMetaFeatures(strategy) });
    const result = await minimize(g, wide, { budget: 12, seed: 0, ...setup });
    const shown = (trials: typeof result.trials) =>
      trials.map(({ params, value, source }) => ({ params, value, source }));
    assert.deepEqual(shown(result.trials), shown(wideReference.trials), strategy);
  }
  // The options still apply: acquisition, design size, pool.
  assert.equal(
    transferOptions([], space, { acquisition: "ei" }).proposer.name,
    bayesOpt({ acquisition: "ei" }).name,
  );
  assert.equal(transferOptions([], space, { initialDesignSize: 2 }).initialDesignSize, 2);
  const candidates = [{ x: 0.1, k: 1 }, { x: 0.9, k: 4 }];
  assert.deepEqual(transferOptions([], space, { candidates }).candidates, candidates);
});

Deno.test("with no past task the options are still checked, and requirePriorTasks refuses", () => {
  assert.throws(() => transferOptions([], space, { strategy: "magic" as never }), /strategy/);
  assert.throws(() => transferOptions([], space, { stratgy: "rgpe" } as never), /stratgy/);
  assert.throws(
    () => transferOptions([], space, { candidates: [{ x: 5, k: 1 }] }),
    /candidates\[0\]/,
  );
  // A first study with config-model and no meta-features is plain GP-BO too.
  assert.deepEqual(
    transferOptions([], space, { strategy: "config-model" }).initialConfigurations,
    [],
  );
  assert.throws(
    () => transferOptions([], space, { metaFeatures: { n: Infinity } }),
    /metaFeatures\.n: must be a finite number, NaN or null/,
  );
  assert.throws(
    () => transferOptions([], space, { metaFeatures: {} }),
    /at least one meta-feature/,
  );
  assert.throws(
    () => transferOptions([], space, { requirePriorTasks: true }),
    /transfer: no past task \(requirePriorTasks\)/,
  );
  const other = PreparedPrior.from([past("a", 0.3, {})], space).without(["a"]);
  assert.throws(
    () => transferOptions(other, defineSpace({ y: float(0, 1) })),
    /another space than the one the data were encoded in/,
  );
});

Deno.test("a storage without a usable past study gives plain GP-BO (the first study)", async () => {
  const storage = await openStorage("memory:");
  const plain = bayesOpt().name;
  for (const strategy of TRANSFER_STRATEGIES) {
    const setup = await transferOptionsFromStorage(storage, space, {
      strategy,
      ...needsMetaFeatures(strategy),
    });
    assert.deepEqual(setup.initialConfigurations, [], strategy);
    assert.equal(setup.proposer.name, plain, strategy);
  }
  assert.deepEqual(await priorTasksFromStorage(storage, space), []);
  await assert.rejects(
    transferOptionsFromStorage(storage, space, { requirePriorTasks: true }),
    /storage memory: has no finished study with a compatible space$/,
  );
  // A study in another space is no past task for this one.
  await minimize((p) => p.y, defineSpace({ y: float(0, 1) }), {
    storage,
    study: "other",
    budget: 2,
  });
  const first = await minimize(f(0.3), space, {
    storage,
    study: "new",
    budget: 6,
    seed: 0,
    ...await transferOptionsFromStorage(storage, space, {
      metaFeatures: { n: 1 },
      exclude: ["new"],
    }),
  });
  assert.equal(first.trials.length, 6);
  assert.ok(first.trials.every((t) => t.source !== "enqueued"));
  await assert.rejects(
    transferOptionsFromStorage(storage, space, {
      metaFeatures: { n: 1 },
      exclude: ["new"],
      requirePriorTasks: true,
    }),
    /storage memory: has no finished study with a compatible space$/,
  );
  // A study without meta-features is a past task; meta-features that no past study has are
  // refused, as for a TaskStore of the same tasks (never silently left unused).
  await minimize(f(0.3), space, { storage, study: "plain", budget: 3, seed: 0 });
  await assert.rejects(
    transferOptionsFromStorage(storage, space, { metaFeatures: { n: 1 }, exclude: ["new"] }),
    /^RangeError: transferOptionsFromStorage\(memory:\)\.options\.metaFeatures: no prior task has any/,
  );
  const tasks = await priorTasksFromStorage(storage, space, { exclude: ["new"] });
  assert.throws(
    () => transferOptions(TaskStore.from(tasks), space, { metaFeatures: { n: 1 } }),
    /^RangeError: transfer options\.metaFeatures: no prior task has any/,
  );
  // Once a past study fits, it is used.
  const used = await transferOptionsFromStorage(storage, space, {
    strategy: "warm-start",
    exclude: ["new"],
  });
  assert.ok(used.initialConfigurations.length > 0);
  await storage.close();
});
