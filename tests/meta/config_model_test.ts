/**
 * The meta-feature → configuration model (`lib/meta/config_model.ts`) on large past tasks.
 */
import assert from "node:assert/strict";
import {
  configurationModelPoints,
  type EncodedTask,
  predictConfiguration,
  TaskStore,
  transferOptions,
} from "../../lib/meta/mod.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

/** A task of `n` trials on a grid of [0, 1] whose best configuration is the grid point nearest c. */
const bigTask = (id: string, n: number, c: number, m: number): EncodedTask => {
  const points = Array.from({ length: n }, (_, i) => Float64Array.of((i + 0.5) / n));
  return {
    id,
    points,
    values: Float64Array.from(points, (p) => (p[0] - c) ** 2),
    metaFeatures: { m },
  };
};

Deno.test("the configuration model takes past tasks of 200,000 trials (no argument spread)", () => {
  const n = 200_000;
  const tasks = [bigTask("a", n, 0.2, 0), bigTask("b", n, 0.6, 1)];
  const { mean } = predictConfiguration(tasks, { m: 0.5 });
  assert.ok(mean[0] > 0.2 && mean[0] < 0.6, `between the two tasks' best: ${mean[0]}`);
  assert.equal(configurationModelPoints(tasks, { metaFeatures: { m: 0.5 }, count: 2 }).length, 2);
});

Deno.test("the configuration model's best configuration is a task's first smallest value", () => {
  // Ties: the first of the equal values, as before (indexOf of the minimum).
  const task: EncodedTask = {
    id: "t",
    points: [0.1, 0.3, 0.5, 0.7].map((x) => Float64Array.of(x)),
    values: Float64Array.of(2, 0, 1, 0),
    metaFeatures: { m: 0 },
  };
  assert.deepEqual(Array.from(predictConfiguration([task], { m: 1 }).mean), [0.3]);
});

Deno.test("transferOptions' config-model strategy on a store of 130,000-trial tasks", () => {
  const space = defineSpace({ x: float(0, 1) });
  const n = 130_000;
  const store = TaskStore.from([0.2, 0.6].map((c, j) => ({
    id: `t${j}`,
    metaFeatures: { m: j },
    trials: Array.from({ length: n }, (_, i) => {
      const x = (i + 0.5) / n;
      return { params: { x }, value: (x - c) ** 2 };
    }),
  })));
  const setup = transferOptions(store, space, {
    strategy: "config-model",
    metaFeatures: { m: 0.5 },
    warmStart: 2,
  });
  assert.equal(setup.initialConfigurations.length, 2);
});

Deno.test("the configuration model and warm starts do not depend on the key order of the new task's meta-features", () => {
  // Past tasks whose best configuration depends on three meta-features, the new task's given in
  // two key orders: the same warm-start configurations (the model's inputs are in a canonical
  // order, not the record's).
  const space = defineSpace({ a: float(0, 1), b: float(0, 1) });
  const mfs = [[0.05, 3, 0.2], [-0.05, 1, 0.9], [0.1, 2, 0.4], [0.0, 5, 0.1], [0.2, 4, 0.7]];
  const store = TaskStore.from(mfs.map(([alpha, beta, gamma], i) => ({
    id: `past${i}`,
    metaFeatures: { alpha, beta, gamma },
    trials: Array.from({ length: 14 }, (_, k) => {
      const params = { a: (k * 0.618 + 0.05 * i) % 1, b: (k * 0.377 + 0.1) % 1 };
      return { params, value: (params.a - 0.5 - alpha) ** 2 + (params.b - gamma) ** 2 + beta };
    }),
  })));
  for (const strategy of ["config-model", "warm-start"] as const) {
    const [first, second] = [
      { alpha: 0.03, beta: 2.5, gamma: 0.5 },
      { gamma: 0.5, beta: 2.5, alpha: 0.03 },
    ].map((metaFeatures) =>
      transferOptions(store, space, { strategy, metaFeatures, warmStart: 3 })
        .initialConfigurations
    );
    assert.equal(first.length, 3, strategy);
    assert.deepEqual(second, first, strategy);
  }
});
