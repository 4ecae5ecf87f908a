import assert from "node:assert/strict";
import {
  type EncodedTask,
  encodePriorTasks,
  type GreedyPortfolio,
  greedyPortfolio,
  minMaxNormalise,
  PreparedPrior,
  TaskStore,
  transferOptions,
} from "../../lib/meta/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { SMBO_DEFAULTS } from "../../lib/smbo/study.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float } from "../../lib/space/mod.ts";

const x = [0, 0.25, 0.5, 0.75].map((v) => Float64Array.of(v));
const task = (id: string, values: number[], points = x): EncodedTask => ({
  id,
  points,
  values: Float64Array.from(values),
});

Deno.test("greedyPortfolio: the greedy choice of a hand-computed example", () => {
  const tasks = [
    task("a", [0, 5, 10, 10]), // range 10: losses 0, 0.5, 1, 1
    task("b", [3, 2, 1, 1.2]), // range 2: losses 1, 0.5, 0, 0.1
    task("c", [7, 4, 6.5, -3]),
  ];
  // Task b: (3, 2, 1, 1.2) → (1, 0.5, 0, 0.1); task c: (7, 4, 6.5, -3) → (1, 0.7, 0.95, 0).
  // Sums alone: x=0: 2, x=0.25: 1.7, x=0.5: 1.95, x=0.75: 1.1 → x=0.75 first (mean 1.1/3).
  // Then (1, 0.1, 0): x=0: 0+0.1+0 = 0.1; x=0.25: 0.5+0.1+0 = 0.6; x=0.5: 1+0+0 = 1 → x=0.
  // Then (0, 0.1, 0): x=0.5 gives 0 (mean 0), x=0.25 gives 0.1 → x=0.5.
  const { points, meanLoss } = greedyPortfolio(tasks, { size: 3 });
  assert.deepEqual(points.map((p) => p[0]), [0.75, 0, 0.5]);
  assert.deepEqual(meanLoss.map((v) => Number(v.toFixed(12))), [
    Number((1.1 / 3).toFixed(12)),
    Number((0.1 / 3).toFixed(12)),
    0,
  ]);
  // The size is capped at the number of distinct candidates.
  assert.equal(greedyPortfolio(tasks, { size: 10 }).points.length, 4);
});

Deno.test("greedyPortfolio: a task with max = min counts 0 for every candidate", () => {
  assert.deepEqual([...minMaxNormalise(Float64Array.of(2, 2, 2))], [0, 0, 0]);
  const flat = task("flat", [5, 5, 5, 5]);
  const a = task("a", [3, 0, 1, 2]);
  const { points, meanLoss } = greedyPortfolio([flat, a], { size: 2 });
  assert.equal(points[0][0], 0.25);
  assert.deepEqual(meanLoss, [0, 0]);
  assert.ok(meanLoss.every(Number.isFinite));
  // Overflowing ranges are scaled without Infinity or NaN.
  assert.deepEqual([...minMaxNormalise(Float64Array.of(-1e308, 1e308, 0))], [0, 1, 0.5]);
});

Deno.test("greedyPortfolio: deterministic, ties to the first candidate, nearest trial off-design", () => {
  const tasks = [task("a", [1, 0, 0, 1]), task("b", [0, 1, 1, 0])];
  const one = greedyPortfolio(tasks, { size: 4 });
  const two = greedyPortfolio(tasks, { size: 4 });
  assert.deepEqual(one, two);
  // x=0 and x=0.75 tie (sum 1), as do x=0.25 and x=0.5: the first in task/trial order wins.
  assert.deepEqual(one.points.map((p) => p[0]), [0, 0.25, 0.5, 0.75]);
  // A task that did not evaluate a candidate scores it by its nearest trial.
  const other = task("other", [0, 1], [Float64Array.of(0.2), Float64Array.of(0.9)]);
  const mixed = greedyPortfolio([other, task("a", [1, 0, 0, 1])], { size: 1 });
  // other's x=0.2 (loss 0 on other) is scored on a by a's nearest trial x=0.25 (a's best, loss 0):
  // mean 0, reached first.
  assert.deepEqual([mixed.points[0][0], mixed.meanLoss[0]], [0.2, 0]);
});

Deno.test("greedyPortfolio: a TaskStore or its tasks are refused, naming the argument and the encoding", () => {
  const store = TaskStore.from([
    { id: "a", trials: [{ params: { x: 0.1 }, value: 1 }, { params: { x: 0.9 }, value: 0 }] },
    { id: "b", trials: [{ params: { x: 0.1 }, value: 0 }, { params: { x: 0.9 }, value: 1 }] },
  ]);
  const hint = "encode past tasks first: encodePriorTasks(store, space), for a TaskStore or a " +
    "list of { id, trials }";
  assert.throws(() => greedyPortfolio(store as never, { size: 1 }), {
    name: "TypeError",
    message:
      `greedyPortfolio tasks: must be an array of encoded tasks { id, points, values }, got a TaskStore; ${hint}`,
  });
  assert.throws(() => greedyPortfolio(store.tasks as never, { size: 1 }), {
    name: "TypeError",
    message:
      `greedyPortfolio tasks[0]: must be an encoded task { id, points, values }, got a task with trials; ${hint}`,
  });
  assert.throws(() => greedyPortfolio([task("a", [0, 1, 2, 3]), null] as never, { size: 1 }), {
    name: "TypeError",
    message:
      `greedyPortfolio tasks[1]: must be an encoded task { id, points, values }, got null; ${hint}`,
  });
  assert.throws(() => greedyPortfolio([{ id: "a", points: x }] as never, { size: 1 }), {
    name: "TypeError",
    message: "greedyPortfolio tasks[0].values: must be a Float64Array of the trials' values",
  });
  // What the message says works.
  const space = defineSpace({ x: float(0, 1) });
  const { points } = greedyPortfolio(encodePriorTasks(store, space), { size: 1 });
  assert.equal(points.length, 1);
});

Deno.test("greedyPortfolio: bad input names the field", () => {
  assert.throws(() => greedyPortfolio([], { size: 1 }), /needs at least one prior task/);
  assert.throws(() => greedyPortfolio([task("a", [0, 1, 2, 3])], { size: 0 }), /size/);
  assert.throws(
    () => greedyPortfolio([task("a", [0, 1, 2, 3])], { size: 1, candidates: [] }),
    /candidates: must not be empty/,
  );
});

const space = defineSpace({ x: float(0, 1), act: categorical(["relu", "tanh", "gelu"]) });
const acts = ["relu", "tanh", "gelu"] as const;
const f = (c: number) => (p: { x: number; act: (typeof acts)[number] }) =>
  (p.x - c) ** 2 + (p.act === "tanh" ? 0 : 0.5);
const grid = [0.1, 0.3, 0.5, 0.7, 0.9].flatMap((v) => acts.map((act) => ({ x: v, act })));
const past = [0.3, 0.7, 0.5].map((c, i) => ({
  id: `task${i}`,
  trials: grid.map((params) => ({ params, value: f(c)(params) })),
}));

Deno.test('transferOptions "portfolio": the portfolio is asked first, then GP-BO', async () => {
  const setup = transferOptions(past, space, { strategy: "portfolio" });
  // Default size: the study's initial design size (2 parameters: 5), no random points after.
  assert.equal(setup.initialConfigurations.length, SMBO_DEFAULTS.initialDesignSize(space));
  assert.equal(setup.initialDesignSize, 0);
  const expected = greedyPortfolio(
    past.map((t) => ({
      id: t.id,
      points: t.trials.map((tr) => space.encode(tr.params)),
      values: Float64Array.from(t.trials, (tr) => tr.value),
    })),
    { size: 5 },
  ).points.map((p) => space.decode(p));
  assert.deepEqual(setup.initialConfigurations, expected);
  assert.deepEqual(setup.initialConfigurations[0], { x: 0.5, act: "tanh" });
  const result = await minimize(f(0.45), space, { budget: 7, seed: 0, ...setup });
  assert.deepEqual(result.trials.slice(0, 5).map((t) => t.params), expected);
  assert.equal(result.trials.length, 7);
  // Size given explicitly.
  assert.equal(
    transferOptions(past, space, { strategy: "portfolio", warmStart: 2 }).initialConfigurations
      .length,
    2,
  );
});

Deno.test('transferOptions "portfolio" in pool mode picks pool members only', () => {
  const candidates = grid.filter((_, i) => i % 2 === 0);
  const setup = transferOptions(past, space, { strategy: "portfolio", candidates, warmStart: 4 });
  assert.equal(setup.initialConfigurations.length, 4);
  const keys = candidates.map((c) => JSON.stringify(c));
  const chosen = setup.initialConfigurations.map((c) => JSON.stringify(c));
  for (const c of chosen) assert.ok(keys.includes(c), c);
  assert.equal(new Set(chosen).size, 4);
  // Pool members that no past task evaluated are reached by the nearest mapping.
  const unseen = [{ x: 0.52, act: "tanh" as const }, { x: 0.05, act: "relu" as const }];
  const mapped = transferOptions(past, space, {
    strategy: "portfolio",
    candidates: unseen,
    warmStart: 1,
  });
  assert.deepEqual(mapped.initialConfigurations, [unseen[0]]);
});

// The direct computation (every candidate scanned against every trial of every task, scores
// summed candidate by candidate), against which the greedy portfolio must agree bit for bit.
function referencePortfolio(
  tasks: readonly EncodedTask[],
  options: { size: number; candidates?: readonly Float64Array[] },
): GreedyPortfolio {
  const keyOf = (p: Float64Array): string => Array.prototype.join.call(p, ",");
  const distance2 = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
    return s;
  };
  let candidates = options.candidates ? [...options.candidates] : undefined;
  if (!candidates) {
    const seen = new Set<string>();
    candidates = tasks.flatMap((t) =>
      t.points.filter((p: Float64Array) => {
        const key = keyOf(p);
        return seen.has(key) ? false : (seen.add(key), true);
      })
    );
  }
  const normalised = tasks.map((t) => minMaxNormalise(t.values));
  const losses = candidates.map(() => new Float64Array(tasks.length));
  tasks.forEach((t, j) => {
    // A configuration evaluated more than once: the best of its trials.
    const best = new Map<string, number>();
    t.points.forEach((p: Float64Array, i: number) => {
      const key = keyOf(p);
      best.set(key, Math.min(best.get(key) ?? Infinity, normalised[j][i]));
    });
    candidates.forEach((c, k) => {
      let nearest = best.has(keyOf(c)) ? c : undefined;
      if (nearest === undefined) {
        let bestD = Infinity;
        t.points.forEach((p: Float64Array) => {
          const d = distance2(c, p);
          if (d < bestD) [nearest, bestD] = [p, d];
        });
      }
      losses[k][j] = best.get(keyOf(nearest ?? t.points[0]))!;
    });
  });
  const reached = new Float64Array(tasks.length).fill(1);
  const used = new Uint8Array(candidates.length);
  const points: Float64Array[] = [], meanLoss: number[] = [];
  while (points.length < Math.min(options.size, candidates.length)) {
    let pick = -1, pickScore = Infinity;
    losses.forEach((row, k) => {
      if (used[k]) return;
      let score = 0;
      for (let j = 0; j < row.length; j++) score += Math.min(reached[j], row[j]);
      if (pick < 0 || score < pickScore) [pick, pickScore] = [k, score];
    });
    used[pick] = 1;
    losses[pick].forEach((s, j) => (reached[j] = Math.min(reached[j], s)));
    points.push(candidates[pick]);
    meanLoss.push(pickScore / tasks.length);
  }
  return { points, meanLoss };
}

/** Same configurations (the same objects) in the same order, and bit-identical mean losses. */
function assertIdentical(actual: GreedyPortfolio, expected: GreedyPortfolio, label: string) {
  assert.equal(actual.points.length, expected.points.length, label);
  actual.points.forEach((p, i) => assert.ok(p === expected.points[i], `${label}: point ${i}`));
  actual.meanLoss.forEach((v, i) =>
    assert.ok(Object.is(v, expected.meanLoss[i]), `${label}: meanLoss[${i}] ${v}`)
  );
}

/**
 * Random priors: continuous designs, coarse grids (many equal distances), one shared table, half
 * shared and half own designs; some tasks flat or with tied values.
 */
function randomPrior(rng: Rng, n: number): EncodedTask[] {
  const dim = 1 + Math.floor(rng.uniform() * 6);
  const tasks = 1 + Math.floor(rng.uniform() * 10);
  const trials = 1 + Math.floor(rng.uniform() * (n % 3 === 0 ? 160 : 50));
  const mode = n % 4;
  const grid = (levels: number) =>
    Float64Array.from(rng.uniforms(dim), (v) => Math.round(v * levels) / levels);
  const table = Array.from({ length: trials }, () => grid(4));
  return Array.from({ length: tasks }, (_, t) => {
    const count = mode === 2 ? trials : 1 + Math.floor(rng.uniform() * trials);
    const points = Array.from({ length: count }, (_, i) => {
      if (mode === 2) return table[i];
      if (mode === 1) return grid(3);
      if (mode === 3 && rng.uniform() < 0.5) return Float64Array.from(table[i % trials]);
      return Float64Array.from(rng.uniforms(dim));
    });
    const optimum = rng.uniforms(dim);
    const values = Float64Array.from(points, (p) => {
      const v = p.reduce((sum, x, i) => sum + (x - optimum[i]) ** 2, 0);
      // Coarse grids (mode 1, n odd) repeat configurations: their trials get noisy values, whole
      // numbers as the rounded values, so that ties remain.
      const noise = mode === 1 ? Math.floor(3 * rng.uniform()) : 0;
      return t % 5 === 3 ? 2 : n % 2 === 1 ? Math.round(3 * v) + noise : v;
    });
    return { id: `t${t}`, points, values };
  });
}

Deno.test("greedyPortfolio: bit-identical to the direct computation on random priors", () => {
  const rng = new Rng(20150);
  for (let n = 0; n < 120; n++) {
    const tasks = randomPrior(rng, n);
    const dim = tasks[0].points[0].length;
    const total = tasks.reduce((sum, t) => sum + t.points.length, 0);
    for (const size of [1 + Math.floor(rng.uniform() * 10), total + 1]) {
      const label = `prior ${n}, size ${size}`;
      assertIdentical(greedyPortfolio(tasks, { size }), referencePortfolio(tasks, { size }), label);
    }
    // Given candidates: repeated, evaluated, off-design, on a grid, outside the unit cube.
    const candidates = Array.from({ length: 1 + Math.floor(rng.uniform() * 25) }, () => {
      const r = rng.uniform();
      const t = tasks[Math.floor(rng.uniform() * tasks.length)];
      if (r < 0.3) return t.points[Math.floor(rng.uniform() * t.points.length)];
      if (r < 0.4) return Float64Array.from(rng.uniforms(dim), (v) => 3 * v - 1);
      if (r < 0.5) return Float64Array.from(rng.uniforms(dim), (v) => Math.round(3 * v) / 3);
      return Float64Array.from(rng.uniforms(dim));
    });
    candidates.push(candidates[0]);
    const options = { size: 1 + Math.floor(rng.uniform() * 30), candidates };
    assertIdentical(
      greedyPortfolio(tasks, options),
      referencePortfolio(tasks, options),
      `prior ${n}, given candidates`,
    );
  }
});

Deno.test("greedyPortfolio: points, candidates and values that do not fit are refused, naming the field", () => {
  const x2 = [0, 0.25, 0.5, 0.75].map((v) => Float64Array.of(v, v));
  const one = task("a", [1, 0, 0, 1]);
  const refused = (
    tasks: readonly EncodedTask[],
    options: { size: number; candidates?: Float64Array[] },
    message: string,
  ) => assert.throws(() => greedyPortfolio(tasks, options), { name: "RangeError", message });
  // Candidates of another dimension than the tasks' points (0-D included), or not finite.
  refused(
    [one],
    { size: 2, candidates: [Float64Array.of(0.9, 7)] },
    "greedyPortfolio options.candidates[0]: expected 1 coordinate, got 2",
  );
  refused(
    [one],
    { size: 1, candidates: [x[0], new Float64Array(0)] },
    "greedyPortfolio options.candidates[1]: expected 1 coordinate, got 0",
  );
  refused(
    [one],
    { size: 1, candidates: [Float64Array.of(NaN)] },
    "greedyPortfolio options.candidates[0][0]: must be finite, got NaN",
  );
  refused(
    [one],
    { size: 1, candidates: [Float64Array.of(-Infinity)] },
    "greedyPortfolio options.candidates[0][0]: must be finite, got -Infinity",
  );
  // Tasks of different dimensions, a non-finite coordinate, a task without trials.
  refused(
    [task("a", [1, 0, 0, 1], x2), one],
    { size: 1 },
    "greedyPortfolio tasks[1].points[0]: expected 2 coordinates, got 1",
  );
  refused(
    [one, task("b", [0, 1], [x[0], Float64Array.of(NaN)])],
    { size: 1 },
    "greedyPortfolio tasks[1].points[1][0]: must be finite, got NaN",
  );
  refused([task("a", [], [])], { size: 1 }, "greedyPortfolio tasks[0].points: must not be empty");
  // Values that are not one finite number per point.
  refused(
    [task("a", [0, 1])],
    { size: 3 },
    "greedyPortfolio tasks[0].values: expected 4 (one per point), got 2",
  );
  refused(
    [task("a", [0, NaN, 1, 2]), one],
    { size: 3 },
    "greedyPortfolio tasks[0].values[1]: must be finite, got NaN",
  );
  refused(
    [one, task("b", [0, 1, Infinity, 2])],
    { size: 3 },
    "greedyPortfolio tasks[1].values[2]: must be finite, got Infinity",
  );
  // A space of fixed parameters only encodes to 0-D points: tasks and candidates of that dimension.
  const fixedOnly = task("f", [2, 1], [new Float64Array(0), new Float64Array(0)]);
  assert.deepEqual(greedyPortfolio([fixedOnly], { size: 3 }), {
    points: [fixedOnly.points[0]],
    meanLoss: [0],
  });
  // Points outside the unit cube are finite, and scored as any other.
  const far = [Float64Array.of(3), Float64Array.of(-1e200)];
  assertIdentical(
    greedyPortfolio([one], { size: 2, candidates: far }),
    referencePortfolio([one], { size: 2, candidates: far }),
    "outside the cube",
  );
});

Deno.test("greedyPortfolio: a configuration evaluated more than once counts with its best trial, in any trial order", () => {
  // x = 0 evaluated twice (1, then -1), x = 1 once (0.5): x = 0 is the task's best configuration.
  const trials = [[0, 1], [1, 0.5], [0, -1]];
  for (const order of [trials, [trials[2], trials[1], trials[0]]]) {
    const one = task("a", order.map(([, v]) => v), order.map(([p]) => Float64Array.of(p)));
    const { points, meanLoss } = greedyPortfolio([one], { size: 2 });
    assert.deepEqual(points.map((p) => p[0]), [0, 1], `${order}`);
    assert.deepEqual(meanLoss, [0, 0]);
    // Through transferOptions' portfolio (and its warm start from the portfolio).
    const space1 = defineSpace({ x: float(0, 1) });
    const prior = [{ id: "a", trials: order.map(([x, value]) => ({ params: { x }, value })) }];
    for (const options of [{ strategy: "portfolio" }, { warmStartFrom: "portfolio" }] as const) {
      const setup = transferOptions(prior, space1, { ...options, warmStart: 1 });
      assert.deepEqual(
        setup.initialConfigurations,
        [{ x: 0 }],
        `${order} ${JSON.stringify(options)}`,
      );
    }
  }
  // Random repeats with noisy values: shuffling each task's trials changes nothing.
  const rng = new Rng(2015);
  for (let n = 0; n < 40; n++) {
    const dim = 1 + (n % 3);
    const configs = Array.from({ length: 3 + (n % 5) }, () => Float64Array.from(rng.uniforms(dim)));
    const tasks = Array.from({ length: 1 + (n % 4) }, (_, t) => {
      const points = Array.from(
        { length: 12 },
        () => configs[Math.floor(rng.uniform() * configs.length)],
      );
      return task(`t${t}`, points.map(() => rng.uniform()), points);
    });
    const shuffled = tasks.map((t) => {
      const order = t.points.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const values = Float64Array.from(order, (i) => t.values[i]);
      return { id: t.id, points: order.map((i) => t.points[i]), values };
    });
    const candidates = [
      ...configs,
      ...Array.from({ length: 4 }, () => Float64Array.from(rng.uniforms(dim))),
    ];
    const options = { size: candidates.length, candidates };
    const expected = referencePortfolio(tasks, options);
    assertIdentical(greedyPortfolio(tasks, options), expected, `repeats ${n}`);
    assertIdentical(greedyPortfolio(shuffled, options), expected, `repeats ${n}, shuffled`);
  }
});

const encoded = (prior: typeof past): EncodedTask[] =>
  prior.map((t) => ({
    id: t.id,
    points: t.trials.map((tr) => space.encode(tr.params)),
    values: Float64Array.from(t.trials, (tr) => tr.value),
  }));

Deno.test("PreparedPrior.portfolio: computed once per size and pool, not reused by without", () => {
  const prior = new PreparedPrior(encoded(past), undefined, {}, space);
  const first = prior.portfolio(5);
  assertIdentical(first, referencePortfolio(prior.tasks, { size: 5 }), "portfolio");
  // A later call is served from the first computation (changing a task's values changes nothing).
  const saved = Float64Array.from(prior.tasks[0].values);
  prior.tasks[0].values.reverse();
  assertIdentical(prior.portfolio(5), first, "cached");
  assert.equal(prior.portfolio(2).points.length, 2);
  prior.tasks[0].values.set(saved);
  // Callers get their own arrays.
  prior.portfolio(5).points.length = 0;
  assert.equal(prior.portfolio(5).points.length, 5);
  // A pool changes the candidates: its own entry.
  const pool = grid.filter((_, i) => i % 2 === 1).map((c) => space.encode(c));
  const pooled = prior.portfolio(3, pool);
  const poolKeys = new Set(pool.map((p) => p.join(",")));
  assert.ok(pooled.points.every((p) => poolKeys.has(p.join(","))));
  assert.deepEqual(prior.portfolio(3, pool), pooled);
  // Without a task: the portfolio of the remaining tasks, never the cached one.
  for (const id of ["task0", "task1", "task2"]) {
    const rest = prior.without([id]);
    assertIdentical(
      rest.portfolio(5),
      referencePortfolio(rest.tasks, { size: 5 }),
      `without ${id}`,
    );
  }
  const fold = prior.without(["task2"]).portfolio(5);
  assert.notDeepEqual(fold.meanLoss, first.meanLoss);
});

Deno.test('transferOptions "portfolio": unchanged configurations, repeated calls agree', () => {
  const prior = new PreparedPrior(encoded(past), undefined, {}, space);
  const expected = referencePortfolio(prior.tasks, { size: 4 }).points.map((p) => space.decode(p));
  for (let call = 0; call < 2; call++) {
    const setup = transferOptions(prior, space, { strategy: "portfolio", warmStart: 4 });
    assert.deepEqual(setup.initialConfigurations, expected);
  }
  // Pool mode: the candidates are the past configurations in the pool.
  const candidates = grid.filter((_, i) => i % 3 !== 0);
  const inPool = new Set(candidates.map((c) => space.encode(c).join(",")));
  const seen = new Set<string>();
  const pastInPool = prior.tasks.flatMap((t) =>
    t.points.filter((p) =>
      inPool.has(p.join(",")) && !seen.has(p.join(",")) && seen.add(p.join(","))
    )
  );
  const pooled = referencePortfolio(prior.tasks, { size: 3, candidates: pastInPool }).points
    .map((p) => space.decode(p));
  for (let call = 0; call < 2; call++) {
    const setup = transferOptions(prior, space, {
      strategy: "portfolio",
      warmStart: 3,
      candidates,
    });
    assert.deepEqual(setup.initialConfigurations, pooled);
  }
});
