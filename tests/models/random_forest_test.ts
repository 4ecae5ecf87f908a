import assert from "node:assert/strict";
import { assertNear } from "../_assert.ts";
import { Rng } from "../../lib/random/rng.ts";
import {
  RANDOM_FOREST_SURROGATE_DEFAULTS,
  randomForest,
  type RandomForestSurrogate,
} from "../../lib/models/random_forest.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float, int, type Space, when } from "../../lib/space/mod.ts";

function data(n: number, dim: number, seed: number) {
  const rng = new Rng(seed);
  const points = Array.from({ length: n }, () => rng.uniforms(dim));
  const values = Float64Array.from(points, (p) => Math.sin(6 * p[0]) + p[1] * p[1] + 0.1 * p[2]);
  return { points, values };
}

Deno.test("randomForest: the defaults are SMAC3's", () => {
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.nTrees, 10);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.ratioFeatures, 5 / 6);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.minSamplesSplit, 3);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.minSamplesLeaf, 3);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.maxDepth, 2 ** 20);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.bootstrap, true);
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.splitValue, "uniform");
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.splitter, "best");
  assert.equal(RANDOM_FOREST_SURROGATE_DEFAULTS.splitZeroGain, false);
});

Deno.test("randomForest: splitZeroGain lets trees on all observations model XOR", () => {
  // XOR of two inputs: no single split lowers the squared error, so without the option each tree
  // grown on all observations stays one leaf and predicts the mean everywhere.
  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (const [a, b] of [[0.1, 0.1], [0.1, 0.9], [0.9, 0.1], [0.9, 0.9]]) {
      points.push(Float64Array.of(a, b));
      values.push(a > 0.5 !== b > 0.5 ? 1 : 0);
    }
  }
  const y = Float64Array.from(values);
  const corners = [[0.1, 0.1], [0.1, 0.9], [0.9, 0.1], [0.9, 0.9]].map((c) => Float64Array.from(c));
  const options = { nTrees: 3, ratioFeatures: 1, bootstrap: false, minSamplesLeaf: 1 };
  const flat = randomForest(options).fit(points, y, new Rng(0)).predict(corners);
  assert.deepEqual([...flat.mean], [0.5, 0.5, 0.5, 0.5]);
  const split = randomForest({ ...options, splitZeroGain: true }).fit(points, y, new Rng(0))
    .predict(corners);
  assert.deepEqual([...split.mean], [0, 1, 1, 0]);
  assert.throws(
    () => randomForest({ splitZeroGain: 1 as unknown as boolean }),
    /randomForest: options\.splitZeroGain/,
  );
});

Deno.test("randomForest: mean and variance equal a direct computation over the leaves", () => {
  // Without bootstrap every observation sits once in one leaf per tree; with half the inputs per
  // split the trees differ. The leaf of tree b at x holds the observations that reach it.
  const { points, values } = data(60, 3, 1);
  const options = { nTrees: 7, ratioFeatures: 0.5, bootstrap: false, minSamplesLeaf: 4 };
  const total = randomForest(options).fit(points, values, new Rng(2)) as RandomForestSurrogate;
  const trees = randomForest({ ...options, variance: "trees" }).fit(
    points,
    values,
    new Rng(2),
  ) as RandomForestSurrogate;
  const queries = data(15, 3, 3).points;
  const predicted = total.predict(queries);
  const spread = trees.predict(queries);
  queries.forEach((q, i) => {
    // The equally weighted mixture of the leaves' observations: its mean and variance.
    const means: number[] = [];
    let mixtureMean = 0;
    let mixtureSecond = 0;
    for (const tree of total.trees) {
      const leaf = tree.leaf(q);
      const members = values.filter((_, k) => tree.leaf(points[k]) === leaf);
      const m = members.reduce((a, b) => a + b, 0) / members.length;
      means.push(m);
      mixtureMean += m / total.trees.length;
      mixtureSecond += members.reduce((a, b) => a + b * b, 0) / members.length /
        total.trees.length;
    }
    assertNear(predicted.mean[i], mixtureMean, 1e-10);
    assertNear(predicted.variance[i], mixtureSecond - mixtureMean ** 2, 1e-9);
    // SMAC3's variance: the unbiased sample variance of the tree means.
    const sample = means.reduce((a, b) => a + (b - mixtureMean) ** 2, 0) / (means.length - 1);
    assertNear(spread.mean[i], mixtureMean, 1e-10);
    assertNear(spread.variance[i], sample, 1e-9);
    assert.ok(predicted.variance[i] >= spread.variance[i] * (6 / 7) - 1e-12);
  });
});

Deno.test("randomForest: the surrogate contract (shapes, predictMean, zero gradients, samples)", () => {
  const { points, values } = data(80, 3, 4);
  const surrogate = randomForest().fit(points, values, new Rng(0));
  assert.equal(surrogate.dim, 3);
  const queries = data(25, 3, 5).points;
  const p = surrogate.predict(queries);
  assert.equal(p.mean.length, 25);
  assert.equal(p.variance.length, 25);
  for (const v of p.variance) assert.ok(v >= 0);
  assert.ok(p.variance.some((v) => v > 0));
  assert.deepEqual(surrogate.predictMean!(queries), p.mean);
  const g = surrogate.predictWithGradient(queries[0]);
  assert.equal(g.mean, p.mean[0]);
  assert.equal(g.variance, p.variance[0]);
  assert.deepEqual([...g.meanGradient], [0, 0, 0]);
  assert.deepEqual([...g.varianceGradient], [0, 0, 0]);
  const samples = surrogate.sampleJoint(queries.slice(0, 2), 4000, new Rng(9));
  assert.equal(samples.length, 4000);
  for (let i = 0; i < 2; i++) {
    const draws = samples.map((s) => s[i]);
    const m = draws.reduce((a, b) => a + b, 0) / draws.length;
    const v = draws.reduce((a, b) => a + (b - m) ** 2, 0) / draws.length;
    assert.ok(Math.abs(m - p.mean[i]) < 4 * Math.sqrt(p.variance[i] / 4000) + 1e-12);
    assert.ok(Math.abs(v / p.variance[i] - 1) < 0.1, `sample variance ${v} vs ${p.variance[i]}`);
  }
  // The forest models the function: better than predicting the mean.
  const truth = data(25, 3, 5).values;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  let err = 0;
  let base = 0;
  truth.forEach((t, i) => {
    err += (p.mean[i] - t) ** 2;
    base += (mean - t) ** 2;
  });
  assert.ok(err < 0.5 * base, `${err} vs ${base}`);
});

Deno.test("randomForest: the same rng gives the same forest; errors name the field", () => {
  const { points, values } = data(40, 3, 6);
  const queries = data(10, 3, 7).points;
  const a = randomForest().fit(points, values, new Rng(1)).predict(queries);
  // Explicit undefined options take the defaults.
  assert.deepEqual(
    randomForest({ nTrees: undefined }).fit(points, values, new Rng(1)).predict(queries),
    a,
  );
  const b = randomForest().fit(points, values, new Rng(1)).predict(queries);
  assert.deepEqual(a, b);
  const c = randomForest().fit(points, values, new Rng(2)).predict(queries);
  assert.notDeepEqual(a.mean, c.mean);
  assert.throws(() => randomForest({ nTrees: 0 }), /randomForest: options\.nTrees/);
  assert.throws(
    () => randomForest({ ratioFeatures: 1.5 }),
    /options\.ratioFeatures: must be a ratio/,
  );
  assert.throws(() => randomForest({ variance: "law" as "total" }), /options\.variance/);
  assert.throws(
    () => randomForest({ splitValue: "random" as "uniform" }),
    /options\.splitValue/,
  );
  assert.throws(() => randomForest({ trees: 3 } as never), /options\.trees: unknown key/);
  assert.throws(() => randomForest({ splitter: "extra" as "random" }), /options\.splitter/);
  const factory = randomForest();
  assert.throws(
    () => factory.fit([], new Float64Array(0), new Rng(0)),
    /fit: points: must be a non-empty/,
  );
  assert.throws(
    () => factory.fit(points, values.subarray(1), new Rng(0)),
    /fit: values: must be a Float64Array of 40 values/,
  );
  assert.throws(
    () => factory.fit([Float64Array.of(0, NaN, 0)], Float64Array.of(1), new Rng(0)),
    /fit: points\[0\]\[1\]: must be finite/,
  );
  const fitted = factory.fit(points, values, new Rng(0));
  assert.throws(() => fitted.predict([Float64Array.of(0.5)]), /predict: points\[0\]: expected 3/);
});

Deno.test("randomForest: huge targets scale the mean exactly and the variance by the square", () => {
  const { points, values } = data(40, 3, 11);
  const queries = data(10, 3, 12).points;
  const at = (factor: number, options = {}) =>
    randomForest(options).fit(points, values.map((v) => v * factor), new Rng(4)).predict(queries);
  for (const options of [{}, { variance: "trees" as const }]) {
    const plain = at(1, options);
    // 2^500 ≈ 3e150: variances (≈ 4^500) still representable, both exact.
    const k500 = at(2 ** 500, options);
    assert.deepEqual(k500.mean, plain.mean.map((v) => v * 2 ** 500));
    assert.deepEqual(k500.variance, plain.variance.map((v) => v * 2 ** 500 * 2 ** 500));
    // 2^600 ≈ 4e180: the mean is exact; the variance (≈ 4^600) exceeds float64: Infinity, not NaN.
    const k600 = at(2 ** 600, options);
    assert.deepEqual(k600.mean, plain.mean.map((v) => v * 2 ** 600));
    for (const [i, v] of k600.variance.entries()) {
      assert.equal(v, plain.variance[i] > 0 ? Infinity : 0);
    }
  }
  // Targets near the float64 limit: finite means.
  const extreme = randomForest().fit(
    points,
    values.map((v) => (v > 0.5 ? 1.7e308 : -1.7e308)),
    new Rng(4),
  ).predict(queries);
  assert.ok(extreme.mean.every(Number.isFinite), `${extreme.mean}`);
  assert.ok(extreme.variance.every((v) => !Number.isNaN(v)));
});

Deno.test("randomForest: predictions reject the non-finite points fit rejects; fit needs an rng", () => {
  const { points, values } = data(30, 3, 8);
  const fitted = randomForest().fit(points, values, new Rng(0));
  const bad = [Float64Array.of(0.5, 0.5, 0.5), Float64Array.of(NaN, 0.1, 0.2)];
  assert.throws(
    () => fitted.predict(bad),
    /RandomForestSurrogate\.predict: points\[1\]\[0\]: must be finite, got NaN/,
  );
  assert.throws(
    () => fitted.predictMean!([Float64Array.of(0.2, Infinity, 0)]),
    /predictMean: points\[0\]\[1\]: must be finite, got Infinity/,
  );
  assert.throws(
    () => fitted.predictWithGradient(Float64Array.of(-Infinity, 0, 0)),
    /predictWithGradient: point\[0\]: must be finite/,
  );
  assert.throws(
    () => fitted.treePredictions([Float64Array.of(NaN, NaN, 0)]),
    /treePredictions: points\[0\]\[0\]: must be finite/,
  );
  assert.throws(
    () => fitted.sampleJoint(points, 1, undefined as never),
    /sampleJoint: rng: must be an Rng/,
  );
  // Finite points still predict.
  assert.equal(fitted.predict([Float64Array.of(0.5, 0.5, 0.5)]).mean.length, 1);
  for (const rng of [undefined, {}, Math.random]) {
    assert.throws(
      () => randomForest().fit(points, values, rng as never),
      (e: Error) =>
        e instanceof TypeError && /randomForest\.fit: rng: must be an Rng/.test(e.message),
    );
  }
});

Deno.test("randomForest: uniform split values make the mean a ramp between two observations", () => {
  // Two observations, no bootstrap: every tree splits once between them. With midpoint splits
  // the forest is a step at 0.5; with uniform split values the share of trees that send x right
  // grows with x, so the mean climbs from 0 to 1 across the gap (pyrfr, SMAC's forest).
  const points = [Float64Array.of(0), Float64Array.of(1)];
  const values = Float64Array.of(0, 1);
  const options = { nTrees: 200, bootstrap: false, minSamplesSplit: 2, minSamplesLeaf: 1 };
  const grid = [0.1, 0.3, 0.5, 0.7, 0.9].map((v) => Float64Array.of(v));
  const midpoint = randomForest({ ...options, splitValue: "midpoint" }).fit(
    points,
    values,
    new Rng(3),
  ).predictMean!(grid);
  assert.deepEqual(Array.from(midpoint), [0, 0, 0, 1, 1]);
  const uniform = randomForest({ ...options, splitValue: "uniform" });
  const ramp = uniform.fit(points, values, new Rng(3)).predictMean!(grid);
  for (let i = 1; i < ramp.length; i++) assert.ok(ramp[i] > ramp[i - 1], `${ramp}`);
  grid.forEach((x, i) => assertNear(ramp[i], x[0], 0.12));
  // Observed points keep their values, and the same rng gives the same forest.
  assert.deepEqual(Array.from(uniform.fit(points, values, new Rng(3)).predictMean!(points)), [
    0,
    1,
  ]);
  assert.deepEqual(uniform.fit(points, values, new Rng(3)).predictMean!(grid), ramp);
});

Deno.test("randomForest: a categorical one-hot block is one input split as a subset of choices", () => {
  const space = defineSpace({
    kind: categorical(["a", "b", "c", "d", "e"]),
    x: float(0, 1),
    n: int(1, 8),
  }) as unknown as Space;
  const effect: Record<string, number> = { a: 0, b: 3, c: 0, d: 3, e: 0 };
  const rng = new Rng(3);
  const configs = space.sample(80, rng, "uniform");
  const points = configs.map((c) => space.encode(c));
  const values = Float64Array.from(configs, (c) => effect[c.kind as string] + (c.x as number));
  const surrogate = randomForest({ bootstrap: false, ratioFeatures: 1 }).fit(
    points,
    values,
    new Rng(0),
    { space },
  ) as RandomForestSurrogate;
  assert.deepEqual(surrogate.features, [
    { type: "categorical", levels: 5 },
    { type: "numeric" },
    { type: "numeric" },
  ]);
  // The root splits the category {b, d} against the rest, in one step.
  for (const tree of surrogate.trees) {
    assert.equal(tree.feature[0], 0);
    const mask = tree.levelsLeft[0]!;
    assert.ok(mask[1] === mask[3] && mask[0] === mask[2] && mask[2] === mask[4]);
    assert.notEqual(mask[0], mask[1]);
  }
  const at = (kind: string) => surrogate.predict([space.encode({ kind, x: 0.5, n: 4 })]).mean[0];
  assert.ok(at("b") - at("a") > 2.5 && at("d") - at("e") > 2.5);
});

Deno.test("randomForest: inactive columns are missing values that the trees route together", () => {
  const base = defineSpace({ on: float(0, 1), lr: float(0, 1) }) as unknown as Space;
  // A conditional space in the shape of Space.activeColumns: lr is active when on ≥ 0.5.
  const space = Object.assign(Object.create(base), {
    conditional: true,
    activeColumns: (u: ArrayLike<number>) => Uint8Array.of(1, u[0] >= 0.5 ? 1 : 0),
  }) as Space;
  const rng = new Rng(8);
  const points = Array.from({ length: 60 }, () => rng.uniforms(2));
  // Inactive: 5 whatever lr holds; active: lr.
  const values = Float64Array.from(points, (p) => (p[0] >= 0.5 ? p[1] : 5));
  const surrogate = randomForest({ bootstrap: false, ratioFeatures: 1, minSamplesLeaf: 1 }).fit(
    points,
    values,
    new Rng(0),
    { space },
  );
  const inactive = surrogate.predict([Float64Array.of(0.2, 0.1), Float64Array.of(0.3, 0.9)]).mean;
  assertNear(inactive[0], 5);
  assertNear(inactive[1], 5);
  const active = surrogate.predict([Float64Array.of(0.9, 0.1), Float64Array.of(0.9, 0.9)]).mean;
  assert.ok(active[0] < 0.4 && active[1] > 0.6, `${active}`);
  assert.throws(
    () =>
      randomForest().fit([Float64Array.of(0.1, 0.2, 0.3)], Float64Array.of(1), new Rng(0), {
        space,
      }),
    /hints\.space has 2 columns, the points 3/,
  );
});

Deno.test('randomForest: inactive: "impute" puts inactive inputs below the range (SMAC3)', () => {
  const space = defineSpace({
    on: categorical([false, true]),
    lr: when({ on: true }, float(0, 1)),
    kind: when({ on: true }, categorical(["a", "b", "c"])),
  }) as unknown as Space;
  const lr = space.params[1].columns[0];
  const rng = new Rng(8);
  const points = Array.from({ length: 80 }, () => space.project(rng.uniforms(space.dim)));
  const active = (p: Float64Array) => space.activeColumns(p)[lr] === 1;
  // Inactive: 1, as high as the highest active values (lr itself).
  const values = Float64Array.from(points, (p) => (active(p) ? p[lr] : 1));
  const options = {
    nTrees: 1,
    bootstrap: false,
    ratioFeatures: 1,
    minSamplesLeaf: 1,
    minSamplesSplit: 2,
    splitValue: "midpoint" as const,
  };
  const missing = randomForest(options).fit(points, values, new Rng(0), { space });
  const imputed = randomForest({ ...options, inactive: "impute" }).fit(
    points,
    values,
    new Rng(0),
    { space },
  );
  // The conditional categorical has one more level (SMAC3's `get_types`), the others are kept.
  assert.deepEqual(missing.features.map((f) => f.type === "categorical" ? f.levels : 0), [2, 0, 3]);
  assert.deepEqual(imputed.features.map((f) => f.type === "categorical" ? f.levels : 0), [2, 0, 4]);
  // Missing values join the high values of lr at the root; imputed at −1 they cannot, so the root
  // separates inactive from active points (on itself, lr below 0, or kind's imputed level).
  const m = missing.trees[0];
  assert.equal(m.feature[0], 1);
  assert.ok(m.threshold[0] > 0 && m.threshold[0] < 1 && m.missingLeft[0] === 0);
  const t = imputed.trees[0];
  assert.ok(
    t.feature[0] === 0 ||
      (t.feature[0] === 1 && t.threshold[0] < 0) ||
      (t.feature[0] === 2 && [0, 1, 2].every((k) => t.levelsLeft[0]![k] !== t.levelsLeft[0]![3])),
    `root: feature ${t.feature[0]}, threshold ${t.threshold[0]}`,
  );
  // Both interpolate the data.
  for (const surrogate of [missing, imputed]) {
    const { mean } = surrogate.predict(points);
    points.forEach((_, i) => assertNear(mean[i], values[i], 1e-9));
  }
  assert.throws(
    () => randomForest({ inactive: "drop" as never }),
    /randomForest: options\.inactive/,
  );
});

Deno.test("randomForest: logY predicts in the original units", () => {
  const { points } = data(50, 3, 10);
  const values = Float64Array.from(points, (p) => Math.exp(8 * p[0]));
  // An interpolating forest: every tree's leaf at a training point holds that point alone.
  const options = { bootstrap: false, ratioFeatures: 1, minSamplesLeaf: 1, minSamplesSplit: 2 };
  const surrogate = randomForest({ ...options, logY: true }).fit(points, values, new Rng(0));
  const p = surrogate.predict(points.slice(0, 10));
  for (let i = 0; i < 10; i++) {
    assertNear(p.mean[i], values[i], 1e-9);
    assert.ok(p.variance[i] < 1e-12 * values[i] ** 2 + 1e-12);
  }
  const plain = randomForest({ logY: true }).fit(points, values, new Rng(0));
  const q = plain.predict(data(5, 3, 11).points);
  for (let i = 0; i < 5; i++) {
    assert.ok(q.mean[i] >= Math.min(...values) - 1e-9 && q.variance[i] >= 0);
  }
  assert.deepEqual(plain.predictMean!(data(5, 3, 11).points), q.mean);
});

Deno.test("randomForest: logY's mean is the log-normal mean of the log-unit moments", () => {
  // The documented back-transform min + range·(e^{m+v/2} − 1e-3), m and v those of the same
  // forest grown on the log-scaled values; a leaf holding 1, 2 and 3 of 1…6 predicts 8.78.
  const points = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v) => Float64Array.of(v));
  const values = Float64Array.of(1, 2, 3, 4, 5, 6);
  const logScaled = values.map((v) => Math.log((v - 1) / 5 + 1e-3));
  const at = [Float64Array.of(0.1), Float64Array.of(0.6)];
  for (const variance of ["total", "trees"] as const) {
    const options = { bootstrap: false, variance };
    const p = randomForest({ ...options, logY: true }).fit(points, values, new Rng(0)).predict(at);
    const q = randomForest(options).fit(points, logScaled, new Rng(0)).predict(at);
    for (let i = 0; i < at.length; i++) {
      assertNear(p.mean[i], 1 + 5 * (Math.exp(q.mean[i] + q.variance[i] / 2) - 1e-3), 1e-12);
    }
    if (variance === "total") assertNear(p.mean[0], 8.781699861529427, 1e-9);
    // The variance of the log-normal: range²·(e^v − 1)·e^{2m+v}.
    for (let i = 0; i < at.length; i++) {
      const expected = 25 * Math.expm1(q.variance[i]) * Math.exp(2 * q.mean[i] + q.variance[i]);
      assertNear(p.variance[i], expected, 1e-12);
    }
    // The leaf {1, 2, 3}: m and v the mean and population variance of the three log-scaled
    // values, 25·(e^v − 1)·e^{2m+v} = 78749.1466999494 (mpmath, 40 digits).
    if (variance === "total") assertNear(p.variance[0], 78749.1466999494, 1e-12);
  }
});

Deno.test("randomForest: with bootstrap, a two-valued target's variance is (μ − a)(b − μ)", () => {
  // Every leaf holds drawn copies of a and b only: its bootstrap-weighted distribution is a
  // two-point one, with variance (m − a)(b − m) for its mean m whatever the multiplicities. The
  // forest's "total" variance, that of the equal mixture of the trees' leaves, is again that of a
  // two-point distribution: (μ − a)(b − μ) for the forest's mean μ.
  const [a, b] = [1, 4];
  const rng = new Rng(21);
  const points = Array.from({ length: 80 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => (p[0] + 0.6 * rng.uniform() > 0.8 ? b : a));
  const forest = randomForest({ nTrees: 8 }).fit(
    points,
    values,
    new Rng(4),
  ) as RandomForestSurrogate;
  const queries = Array.from({ length: 40 }, () => rng.uniforms(2));
  const { mean, variance } = forest.predict(queries);
  let mixed = 0;
  queries.forEach((q, i) => {
    for (const tree of forest.trees) {
      const leaf = tree.leaf(q);
      const m = tree.value[leaf];
      assertNear(tree.variance[leaf], (m - a) * (b - m), 1e-12);
      if (m > a && m < b) mixed++;
    }
    assertNear(variance[i], (mean[i] - a) * (b - mean[i]), 1e-12);
  });
  assert.ok(mixed >= 20, `${mixed} leaves holding both values`);
});

Deno.test("bayesOpt with the random forest and EI runs a study end to end", async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1), kind: categorical(["a", "b", "c"]) });
  const objective = (p: { x: number; y: number; kind: string }) =>
    (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2 + (p.kind === "b" ? 0 : 0.5);
  const run = () =>
    minimize(objective, space, {
      budget: 30,
      seed: 4,
      proposer: bayesOpt({ surrogate: randomForest(), acquisition: "ei", rawSamples: 256 }),
    });
  const result = await run();
  assert.equal(result.trials.length, 30);
  assert.ok(result.trials.every((t) => t.status === "complete"));
  assert.equal(result.best.params.kind, "b");
  assert.ok(result.best.value < 0.05, `best ${result.best.value}`);
  const again = await run();
  assert.deepEqual(again.trials.map((t) => t.params), result.trials.map((t) => t.params));
});
