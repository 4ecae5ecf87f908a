import assert from "node:assert/strict";
import { PreparedPrior, transferOptions } from "../../lib/meta/transfer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1) });
const P = (...v: number[]) => v.map((x) => Float64Array.of(x));
const ok = { id: "b", points: P(0.1, 0.5), values: Float64Array.of(1, 2) };

Deno.test("new PreparedPrior checks its encoded tasks, naming PreparedPrior.tasks[i]", () => {
  const cases: [unknown[], RegExp][] = [
    // Before: a TypeError reading 'length' of undefined, later, in checkSpace.
    [
      [{ id: "a", points: [], values: new Float64Array() }, ok],
      /^PreparedPrior\.tasks\[0\]\.points: must not be empty$/,
    ],
    [
      [ok, { id: "a", points: [], values: new Float64Array() }],
      /^PreparedPrior\.tasks\[1\]\.points: must not be empty$/,
    ],
    [
      [{ ...ok, values: Float64Array.of(1, NaN) }],
      /^PreparedPrior\.tasks\[0\]\.values\[1\]: must be finite, got NaN$/,
    ],
    [
      [{ ...ok, points: P(0.1, 0.5, 0.9) }],
      /^PreparedPrior\.tasks\[0\]\.values: expected 3 \(one per point\), got 2$/,
    ],
    [
      [ok, { id: "c", points: [Float64Array.of(0.1, 0.2)], values: Float64Array.of(1) }],
      /^PreparedPrior\.tasks\[1\]\.points\[0\]: expected 1 coordinate, got 2$/,
    ],
    // Before: accepted, and the warm start decoded the best point, 5, to the clipped { x: 1 }.
    [
      [{ ...ok, points: P(0.1, 5) }],
      /^PreparedPrior\.tasks\[0\]\.points\[1\]\[0\]: must be in \[0, 1\] \(an encoded configuration\), got 5$/,
    ],
    [
      [{ ...ok, points: P(-0.5, 0.5) }],
      /^PreparedPrior\.tasks\[0\]\.points\[0\]\[0\]: must be in \[0, 1\]/,
    ],
  ];
  for (const [tasks, message] of cases) {
    assert.throws(() => new PreparedPrior(tasks as never), { name: "RangeError", message });
  }
  assert.throws(() => new PreparedPrior("a" as never), TypeError);
  // Good tasks and no task at all still make a prior.
  assert.equal(new PreparedPrior([ok]).tasks.length, 1);
  assert.equal(transferOptions(new PreparedPrior([]), space).initialConfigurations.length, 0);
  const warm = transferOptions(new PreparedPrior([ok]), space, { strategy: "warm-start" });
  assert.deepEqual(warm.initialConfigurations, [{ x: 0.1 }]);
});

Deno.test("PreparedPrior.without refuses an id that names no task, and a bare string", () => {
  const trials = [{ params: { x: 0.2 }, value: 1 }, { params: { x: 0.6 }, value: 0 }];
  const prior = PreparedPrior.from(
    [{ id: "dataset-1", trials }, { id: "dataset-2", trials }],
    space,
  );
  // Before: a misspelt held-out id left its task in the prior.
  assert.throws(() => prior.without(["dataset_1"]), {
    name: "RangeError",
    message:
      'PreparedPrior.without: ids[0] "dataset_1" names no task of this prior (its 2 tasks: "dataset-1", "dataset-2")',
  });
  // Before: String.includes, a substring match.
  assert.throws(() => prior.without("dataset-1" as never), {
    name: "TypeError",
    message: 'PreparedPrior.without: expects an array of ids, got the string "dataset-1"',
  });
  assert.throws(() => prior.without([1] as never), /ids\[0\] must be a string, got number/);
  const fold = prior.without(["dataset-1"]);
  assert.deepEqual(fold.tasks.map((t) => t.id), ["dataset-2"]);
  assert.throws(() => fold.without(["dataset-1"]), /"dataset-1" names no task of this prior/);
  assert.equal(prior.without(["dataset-1", "dataset-2"]).tasks.length, 0);
  assert.deepEqual(prior.without([]).tasks, prior.tasks);
});

Deno.test("transferOptions checks the target GP's fixed hyperparameters against the space, and names metaFeatures", () => {
  const past = [{ id: "a", trials: [0.1, 0.5, 0.9].map((x) => ({ params: { x }, value: x * x })) }];
  const wrong = { hyperparameters: { kernel: [1], noise: 0.1 } };
  for (const strategy of ["taf", "tst-r"] as const) {
    // Before: accepted here, a failure at the study's first model fit.
    assert.throws(() => transferOptions(past, space, { strategy, kernelWeights: { gp: wrong } }), {
      name: "RangeError",
      message: "transfer options.kernelWeights.gp.hyperparameters.kernel: expected 2 values " +
        "(lengthscale[0], outputscale), got 1 (a space of dimension 1)",
    });
  }
  assert.throws(
    () =>
      transferOptions(past, space, {
        rgpe: { gp: { initial: { kernel: [1, 1, 1], noise: 0.1 } } },
      }),
    /^RangeError: transfer options\.rgpe\.gp\.initial\.kernel: expected 2 values/,
  );
  const right = { hyperparameters: { kernel: [0.3, 1], noise: 0.01 } };
  transferOptions(past, space, { strategy: "taf", kernelWeights: { gp: right } });
  transferOptions(past, space, { strategy: "tst-r", kernelWeights: { gp: right } });
  // Before: "metaFeatures: must name …" without the prefix.
  assert.throws(() => transferOptions(past, space, { metaFeatures: {} }), {
    message: "transfer options.metaFeatures: must name at least one meta-feature",
  });
});
