import assert from "node:assert/strict";
import {
  type EncodedTask,
  greedyPortfolio,
  minMaxNormalise,
  transferOptions,
} from "../../lib/meta/mod.ts";
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
