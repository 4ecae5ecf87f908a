import assert from "node:assert/strict";
import { regressionData } from "./_regression_data.ts";
import { prepareBuiltinDataset, type PreparedDataset } from "../../lib/data/mod.ts";
import { minimize, randomSearch } from "../../lib/smbo/mod.ts";
import {
  fitAndScoreBoosting,
  fitBoosting,
  gbtSpace,
  type GradientBoostingSettings,
  hpoSpace,
  hpoTask,
} from "../../lib/tasks/hpo/mod.ts";

const iris = await prepareBuiltinDataset("iris", { seed: 0 });

const CONFIG = {
  learningRate: 0.1,
  nRounds: 32,
  maxDepth: 3,
  minSamplesLeaf: 1,
  subsample: 1,
  l2: 1,
};

/** Settings of `fitBoosting` without subsampling or penalty (scikit-learn's TreeBoost). */
function plain(
  overrides: Partial<GradientBoostingSettings> & { classes: number },
): GradientBoostingSettings {
  return {
    learningRate: 1,
    nRounds: 1,
    maxDepth: 1,
    minSamplesLeaf: 1,
    subsample: 1,
    l2: 0,
    ...overrides,
  };
}

function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= tolerance * Math.max(1, Math.abs(want[i])),
      `${what}[${i}]: ${got[i]} vs ${want[i]}`,
    );
  }
}

/** Mean log-loss of class probabilities (row-major) against labels. */
function logLoss(proba: Float64Array, labels: ArrayLike<number>, classes: number): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s -= Math.log(proba[i * classes + labels[i]]);
  return s / labels.length;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

Deno.test("gbt space: the documented parameters, hpoSpace knows it", () => {
  assert.deepEqual([...gbtSpace.names], [
    "learningRate",
    "nRounds",
    "maxDepth",
    "minSamplesLeaf",
    "subsample",
    "l2",
  ]);
  assert.equal(hpoSpace("gbt"), gbtSpace);
  assert.deepEqual(gbtSpace.toJSON().params, [
    { name: "learningRate", kind: "float", low: 0.01, high: 1, log: true },
    { name: "nRounds", kind: "int", low: 8, high: 256, log: true },
    { name: "maxDepth", kind: "int", low: 1, high: 10 },
    { name: "minSamplesLeaf", kind: "int", low: 1, high: 32, log: true },
    { name: "subsample", kind: "float", low: 0.5, high: 1 },
    { name: "l2", kind: "float", low: 0.001, high: 10, log: true },
  ]);
  gbtSpace.validate(CONFIG);
});

Deno.test("fitBoosting regression: one round at learning rate 1 is F0 plus the least-squares stump of the residuals", () => {
  // x0 = 0 … 5 (x1 is noise the stump must not use), y = 1, 2, 3, 10, 11, 15. F0 = ȳ = 7; the
  // residuals −6, −5, −4, 3, 4, 8 are best split at x0 ≤ 2.5 (SSE 2 + 14 = 16, every other
  // threshold more), leaf means −5 and 5, so predictions 2 left and 12 right.
  const train = { data: [0, 0.3, 1, 0.1, 2, 0.5, 3, 0.2, 4, 0.6, 5, 0.4], rows: 6, cols: 2 };
  const y = [1, 2, 3, 10, 11, 15];
  const model = fitBoosting(train, y, plain({ classes: 0 }));
  assert.equal(model.outputs, 1);
  assert.deepEqual([...model.init], [7]);
  assert.equal(model.trees.length, 1);
  const tree = model.trees[0];
  assert.equal(tree.feature[0], 0);
  assert.equal(tree.threshold[0], 2.5);
  // The Newton steps Σr / (n + 0) are the leaf means, which the tree itself holds too.
  assert.deepEqual([...model.leafValues[0]], [0, -5, 5]);
  assert.deepEqual([tree.value[tree.left[0]], tree.value[tree.right[0]]], [-5, 5]);
  assert.deepEqual([...model.predict(train)], [2, 2, 2, 12, 12, 12]);
  assert.deepEqual([...model.predict({ data: [2.4, 9, 2.6, -9], rows: 2, cols: 2 })], [2, 12]);
  // No round: F0 everywhere.
  assert.deepEqual([...model.predict(train, 0)], [7, 7, 7, 7, 7, 7]);
  // Learning rate 0.5 goes half way.
  const half = fitBoosting(train, y, plain({ classes: 0, learningRate: 0.5 }));
  assert.deepEqual([...half.predict(train)], [4.5, 4.5, 4.5, 9.5, 9.5, 9.5]);
  assert.throws(() => model.predictProba(train), /regression model has no classes/);
});

Deno.test("fitBoosting binary log-loss: log-odds start, Newton leaf steps Σr / (Σp(1 − p) + λ), sigmoid probabilities", () => {
  // 5 of 8 rows are class 1: F0 = log(5/3), p = 5/8 on every row, h = p(1 − p) = 15/64. The
  // residuals are −5/8 (class 0) and 3/8 (class 1); the least-squares stump splits x ≤ 3.5
  // (left classes 0, 0, 1, 0; right 1, 1, 1, 1): S²/n summed over the sides is 2.25/4 + 2.25/4 =
  // 1.125 there against at most 1.0417 (x ≤ 1.5) elsewhere. Left Σr = 3/8 − 3·5/8 = −1.5,
  // right Σr = 4·3/8 = 1.5, Σh = 4·15/64 = 0.9375 on both sides.
  const x = [0, 1, 2, 3, 4, 5, 6, 7];
  const y = [0, 0, 1, 0, 1, 1, 1, 1];
  const train = { data: x, rows: 8, cols: 1 };
  const lambda = 0.5;
  const learningRate = 0.8;
  const model = fitBoosting(train, y, plain({ classes: 2, l2: lambda, learningRate }));
  assert.equal(model.outputs, 1);
  assertClose(model.init, [Math.log(5 / 3)], 1e-15, "F0");
  assert.equal(model.trees[0].threshold[0], 3.5);
  const step = 1.5 / (0.9375 + lambda);
  assertClose(model.leafValues[0], [0, -step, step], 1e-15, "Newton steps");
  // Without the penalty: Friedman's (and scikit-learn's) step Σr / Σp(1 − p) = ±1.6.
  const unpenalised = fitBoosting(train, y, plain({ classes: 2 }));
  assertClose(unpenalised.leafValues[0], [0, -1.6, 1.6], 1e-15, "TreeBoost steps");
  // Scores and probabilities.
  const f = model.decisionFunction(train);
  const proba = model.predictProba(train);
  for (let i = 0; i < 8; i++) {
    const want = Math.log(5 / 3) + learningRate * (x[i] <= 3.5 ? -step : step);
    assertClose([f[i]], [want], 1e-15, `F[${i}]`);
    assertClose([proba[2 * i + 1]], [sigmoid(want)], 1e-15, `p1[${i}]`);
    assertClose([proba[2 * i] + proba[2 * i + 1]], [1], 1e-15, `sum[${i}]`);
  }
  assertClose(model.decisionFunction(train, 0), new Array(8).fill(Math.log(5 / 3)), 1e-15, "F0");
  assert.deepEqual([...model.predict(train)], [0, 0, 0, 0, 1, 1, 1, 1]);
  // Extreme scores give probabilities in [0, 1] that still sum to 1 (computed without overflow).
  const sure = fitBoosting(train, y, plain({ classes: 2, learningRate: 1, nRounds: 200 }));
  const p = sure.predictProba(train);
  for (const v of p) assert.ok(v >= 0 && v <= 1 && Number.isFinite(v), `${v}`);
  for (let i = 0; i < 8; i++) assertClose([p[2 * i] + p[2 * i + 1]], [1], 1e-15, `sum[${i}]`);
});

Deno.test("fitBoosting multiclass: K trees per round, Friedman's step (K − 1)/K · Σr / (Σ|r|(1 − |r|) + λ), softmax", () => {
  const x = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5];
  const y = [0, 0, 1, 0, 1, 1, 2, 2, 2];
  const train = { data: x, rows: 9, cols: 1 };
  const lambda = 0.25;
  const model = fitBoosting(train, y, plain({ classes: 3, l2: lambda, nRounds: 3, maxDepth: 2 }));
  assert.equal(model.outputs, 3);
  assert.equal(model.trees.length, 9);
  // Three rows per class: F0 = log(1/3) for each class, p = 1/3.
  assertClose(model.init, [Math.log(1 / 3), Math.log(1 / 3), Math.log(1 / 3)], 1e-15, "F0");
  // Round 1: every row has p = 1/3, r = 1{y = k} − 1/3; the leaf step from the rows in the leaf.
  for (let k = 0; k < 3; k++) {
    const tree = model.trees[k];
    const sums = new Map<number, { r: number; h: number }>();
    for (let i = 0; i < 9; i++) {
      const leaf = tree.leaf(x, i);
      const r = (y[i] === k ? 1 : 0) - 1 / 3;
      const s = sums.get(leaf) ?? { r: 0, h: 0 };
      s.r += r;
      s.h += Math.abs(r) * (1 - Math.abs(r));
      sums.set(leaf, s);
    }
    assert.ok(sums.size >= 2, `class ${k}: the tree splits`);
    for (const [leaf, s] of sums) {
      assertClose([model.leafValues[k][leaf]], [(2 / 3) * s.r / (s.h + lambda)], 1e-14, `k${k}`);
    }
  }
  const proba = model.predictProba(train);
  for (let i = 0; i < 9; i++) {
    assertClose([proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2]], [1], 1e-15, `sum[${i}]`);
  }
  assert.deepEqual([...model.predict(train)], y);
  // The softmax of the scores.
  const f = model.decisionFunction(train);
  const e = [0, 1, 2].map((k) => Math.exp(f[k]));
  const total = e[0] + e[1] + e[2];
  assertClose(proba.slice(0, 3), e.map((v) => v / total), 1e-15, "softmax");
});

// References from scikit-learn 1.2.1 (numpy 1.24.2), trees with criterion="squared_error", no
// subsampling, no L2 penalty (the same splits, checked invariant to random_state 0 … 39), made by
// `/usr/bin/python3 ref.py` with ref.py:
//   import json, numpy as np
//   from sklearn.ensemble import GradientBoostingRegressor as R, GradientBoostingClassifier as C
//   X = np.array([[0.12, 3.1], [0.47, 1.7], [0.93, 2.6], [1.35, 0.4], [1.72, 2.2], [2.08, 1.1], [2.51, 3.7], [2.96, 0.9], [3.33, 2.9], [3.79, 1.4], [4.18, 3.3], [4.64, 0.2]])
//   Q = np.array([[0.3, 2.0], [2.2, 3.5], [4.0, 0.5]])
//   y = [1.3, 0.7, 2.1, 0.2, 2.9, 1.8, 4.4, 2.2, 4.9, 3.1, 6.3, 3.0]
//   b = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0]
//   m = [0, 0, 1, 0, 2, 1, 2, 1, 2, 1, 2, 0]
//   A = dict(criterion="squared_error", subsample=1.0, random_state=0)
//   P = np.vstack([X, Q])
//   r1 = R(loss="squared_error", learning_rate=0.3, n_estimators=5, max_depth=2, min_samples_leaf=1, **A).fit(X, y).predict(P)
//   r2 = R(loss="squared_error", learning_rate=0.1, n_estimators=20, max_depth=3, min_samples_leaf=2, **A).fit(X, y).predict(P)
//   c1 = C(loss="log_loss", learning_rate=0.5, n_estimators=6, max_depth=2, min_samples_leaf=1, **A).fit(X, b).predict_proba(P)[:, 1]
//   c2 = C(loss="log_loss", learning_rate=0.3, n_estimators=4, max_depth=2, min_samples_leaf=1, **A).fit(X, m).predict_proba(P)
//   print(json.dumps(dict(r1=r1.tolist(), r2=r2.tolist(), c1=c1.tolist(), c2=c2.ravel().tolist())))
const SK_X = [
  [0.12, 3.1],
  [0.47, 1.7],
  [0.93, 2.6],
  [1.35, 0.4],
  [1.72, 2.2],
  [2.08, 1.1],
  [2.51, 3.7],
  [2.96, 0.9],
  [3.33, 2.9],
  [3.79, 1.4],
  [4.18, 3.3],
  [4.64, 0.2],
];
const SK_Q = [[0.3, 2.0], [2.2, 3.5], [4.0, 0.5]];
const SK_TRAIN = { data: SK_X.flat(), rows: 12, cols: 2 };
const SK_P = { data: [...SK_X, ...SK_Q].flat(), rows: 15, cols: 2 };
const SK_Y = [1.3, 0.7, 2.1, 0.2, 2.9, 1.8, 4.4, 2.2, 4.9, 3.1, 6.3, 3.0];
const SK_B = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0];
const SK_M = [0, 0, 1, 0, 2, 1, 2, 1, 2, 1, 2, 0];
const SK_R1 = [
  1.8934094166666668,
  1.1176341666666667,
  1.8934094166666668,
  0.8918191666666668,
  2.720135341666667,
  1.914239866666667,
  4.4344943416666665,
  2.4852398666666664,
  4.596119341666666,
  2.9077898666666666,
  5.137919341666666,
  2.9077898666666666,
  1.7385591666666669,
  2.982494341666667,
  2.9077898666666666,
];
const SK_R2 = [
  1.7747520850712122,
  0.7671020803231269,
  1.9007152455085983,
  0.7608963080738932,
  2.8395462999683088,
  1.97084217675251,
  4.458014547618319,
  2.304987698149433,
  4.728522149317062,
  3.050808354939047,
  5.289293286408054,
  3.054519767870438,
  1.0733634429132213,
  3.2910230698405405,
  3.054519767870438,
];
const SK_C1 = [
  0.1540534145226397,
  0.852338242273515,
  0.852338242273515,
  0.8969947762109872,
  0.1556278171968718,
  0.1556278171968718,
  0.9052832549535942,
  0.8277855227163966,
  0.07827323696756706,
  0.07827323696756706,
  0.9414679225295295,
  0.11356504864857803,
  0.852338242273515,
  0.8222690935334777,
  0.11356504864857803,
];
const SK_C2 = [
  [0.8392791269222021, 0.09628476362595227, 0.0644361094518457],
  [0.799610720730847, 0.14297554288246497, 0.05741373638668803],
  [0.1662124166737577, 0.6704348307543898, 0.1633527525718525],
  [0.860602617008713, 0.0693584073903344, 0.07003897560095257],
  [0.05964115625119138, 0.15283938102539268, 0.787519462723416],
  [0.09102763796160052, 0.8182196213659081, 0.09075274067249137],
  [0.06380101582165314, 0.09375150563750678, 0.84244747854084],
  [0.09102763796160052, 0.8182196213659081, 0.09075274067249137],
  [0.06380101582165314, 0.09375150563750678, 0.84244747854084],
  [0.09102763796160052, 0.8182196213659081, 0.09075274067249137],
  [0.06380101582165314, 0.09375150563750678, 0.84244747854084],
  [0.8624861128326521, 0.06951020366435554, 0.06800368350299241],
  [0.801680301748124, 0.14334559728745588, 0.054974100964420104],
  [0.06380101582165314, 0.09375150563750678, 0.84244747854084],
  [0.8624861128326521, 0.06951020366435554, 0.06800368350299241],
];

Deno.test("fitBoosting: scikit-learn's GradientBoostingRegressor and GradientBoostingClassifier predictions", () => {
  // Whatever the seed (it only orders the features searched, and the splits here have no ties).
  for (const seed of [0, 1, 7]) {
    const r1 = fitBoosting(SK_TRAIN, SK_Y, {
      ...plain({ classes: 0 }),
      learningRate: 0.3,
      nRounds: 5,
      maxDepth: 2,
      seed,
    });
    assertClose(r1.predict(SK_P), SK_R1, 1e-12, `r1 seed ${seed}`);
    const r2 = fitBoosting(SK_TRAIN, SK_Y, {
      ...plain({ classes: 0 }),
      learningRate: 0.1,
      nRounds: 20,
      maxDepth: 3,
      minSamplesLeaf: 2,
      seed,
    });
    assertClose(r2.predict(SK_P), SK_R2, 1e-12, `r2 seed ${seed}`);
    const c1 = fitBoosting(SK_TRAIN, SK_B, {
      ...plain({ classes: 2 }),
      learningRate: 0.5,
      nRounds: 6,
      maxDepth: 2,
      seed,
    });
    const p1 = c1.predictProba(SK_P).filter((_, i) => i % 2 === 1);
    assertClose(p1, SK_C1, 1e-12, `c1 seed ${seed}`);
    const c2 = fitBoosting(SK_TRAIN, SK_M, {
      ...plain({ classes: 3 }),
      learningRate: 0.3,
      nRounds: 4,
      maxDepth: 2,
      seed,
    });
    assertClose(c2.predictProba(SK_P), SK_C2.flat(), 1e-12, `c2 seed ${seed}`);
  }
});

Deno.test("fitBoosting regression: targets near the float64 range give the fit of the scaled targets, scaled back", () => {
  const train = { data: [0, 1, 2, 3, 4, 5], rows: 6, cols: 1 };
  const small = [1, 1.5, 1.25, -1, -1.5, -1.75];
  const settings = { ...plain({ classes: 0 }), nRounds: 3, learningRate: 0.5 };
  const reference = fitBoosting(train, small, settings);
  assert.equal(reference.scale, 1);
  const big = fitBoosting(train, small.map((v) => v * 2 ** 1020), settings);
  assert.equal(big.scale > 1, true);
  const query = { data: [0.5, 2.5, 4.5], rows: 3, cols: 1 };
  const want = reference.predict(query).map((v) => v * 2 ** 1020);
  assert.deepEqual([...big.predict(query)], [...want]); // powers of two: exact
  for (const v of want) assert.ok(Number.isFinite(v));
  // A constant target at the edge of the range is predicted as itself.
  const constant = fitBoosting(train, new Array(6).fill(-1.5e308), settings);
  assert.deepEqual([...constant.predict(query)], [-1.5e308, -1.5e308, -1.5e308]);
});

Deno.test("fitBoosting: a larger L2 penalty shrinks every leaf value towards 0", () => {
  const steps = [0, 0.1, 1, 10].map((l2) =>
    fitBoosting(SK_TRAIN, SK_B, { ...plain({ classes: 2 }), maxDepth: 2, l2 }).leafValues[0]
  );
  const regression = [0, 0.1, 1, 10].map((l2) =>
    fitBoosting(SK_TRAIN, SK_Y, { ...plain({ classes: 0 }), maxDepth: 2, l2 }).leafValues[0]
  );
  for (const values of [steps, regression]) {
    // The first round's tree does not depend on the penalty, only its leaf values do.
    let leaves = 0;
    for (let node = 0; node < values[0].length; node++) {
      if (values[0][node] === 0) continue;
      leaves++;
      for (let j = 1; j < values.length; j++) {
        assert.ok(
          Math.abs(values[j][node]) < Math.abs(values[j - 1][node]),
          `node ${node}: |${values[j][node]}| < |${values[j - 1][node]}|`,
        );
        assert.equal(Math.sign(values[j][node]), Math.sign(values[0][node]));
      }
    }
    assert.ok(leaves >= 3, `${leaves} leaves`);
  }
});

Deno.test("fitBoosting: subsampling draws rows per round from the seed; bad settings are named", () => {
  const settings = { ...plain({ classes: 0 }), nRounds: 10, maxDepth: 2, subsample: 0.6 };
  const a = fitBoosting(SK_TRAIN, SK_Y, { ...settings, seed: 5 }).predict(SK_P);
  const b = fitBoosting(SK_TRAIN, SK_Y, { ...settings, seed: 5 }).predict(SK_P);
  const c = fitBoosting(SK_TRAIN, SK_Y, { ...settings, seed: 6 }).predict(SK_P);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // round(0.6 · 12) = 7 drawn rows per round: each tree holds 7 rows.
  const model = fitBoosting(SK_TRAIN, SK_Y, { ...settings, seed: 5 });
  for (const tree of model.trees) assert.equal(tree.samples[0], 7);
  // The leaf steps use the drawn rows only: for squared error Σr / (n + λ) over a leaf's drawn
  // rows, i.e. the tree's own leaf mean of the residuals (drawn rows) times n / (n + λ).
  for (const l2 of [0, 2]) {
    const penalised = fitBoosting(SK_TRAIN, SK_Y, { ...settings, l2, seed: 5 });
    penalised.trees.forEach((tree, t) => {
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.feature[node] >= 0) continue;
        const n = tree.samples[node];
        assertClose(
          [penalised.leafValues[t][node]],
          [tree.value[node] * n / (n + l2)],
          1e-12,
          `l2 ${l2} tree ${t} leaf ${node}`,
        );
      }
    });
  }
  // At least 2 rows, so that a split is possible.
  const tiny = fitBoosting(SK_TRAIN, SK_Y, { ...settings, subsample: 0.01 });
  for (const tree of tiny.trees) assert.equal(tree.samples[0], 2);
  for (
    const [key, value] of [
      ["learningRate", 0],
      ["nRounds", 1.5],
      ["maxDepth", 0],
      ["minSamplesLeaf", 0],
      ["subsample", 1.5],
      ["l2", -1],
      ["classes", 1],
    ] as const
  ) {
    assert.throws(
      () => fitBoosting(SK_TRAIN, SK_Y, { ...settings, [key]: value }),
      new RegExp(`^RangeError: fitBoosting\\.settings\\.${key}: `),
    );
  }
  assert.throws(
    () => fitBoosting(SK_TRAIN, SK_Y, plain({ classes: 3 })),
    /fitBoosting\.targets\[0\]: must be a class index in 0 … 2, got 1\.3/,
  );
  assert.throws(
    () => fitBoosting(SK_TRAIN, SK_Y.slice(1), plain({ classes: 0 })),
    /fitBoosting\.targets: must hold 12 values, got 11/,
  );
  assert.throws(
    () => model.predict({ data: [1, 2, 3], rows: 1, cols: 3 }),
    /query\.cols: must equal the training rows' \(2\), got 3/,
  );
  assert.throws(() => model.predict(SK_P, 11), /rounds: must be an integer in \[0, 10\]/);
});

Deno.test("fitBoosting on iris: 3 trees per round, training log-loss falls every round at a small learning rate", () => {
  const train = { data: iris.train.x, rows: iris.train.size, cols: iris.numFeatures };
  const rounds = 30;
  const model = fitBoosting(train, iris.train.y, {
    learningRate: 0.1,
    nRounds: rounds,
    maxDepth: 2,
    minSamplesLeaf: 1,
    subsample: 1,
    l2: 1,
    classes: 3,
  });
  assert.equal(model.trees.length, 3 * rounds);
  let previous = Infinity;
  const losses: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const proba = model.predictProba(train, r);
    for (let i = 0; i < train.rows; i++) {
      assertClose([proba[3 * i] + proba[3 * i + 1] + proba[3 * i + 2]], [1], 1e-15, `sum ${r}`);
    }
    const loss = logLoss(proba, iris.train.y, 3);
    assert.ok(loss < previous, `round ${r}: ${loss} after ${previous}`);
    previous = loss;
    losses.push(loss);
  }
  // From the log of the class shares (≈ log 3) to a small fraction of it.
  assert.ok(Math.abs(losses[0] - Math.log(3)) < 0.01, `initial loss ${losses[0]}`);
  assert.ok(losses[rounds] < 0.25 * losses[0], `final loss ${losses[rounds]}`);
});

Deno.test("gbt hpo task: iris and regression scores, seeds, steps, refused configurations, failures, no TensorFlow.js", async () => {
  const outcome = fitAndScoreBoosting(iris, CONFIG, 3);
  assert.equal(outcome.steps, 3 * CONFIG.nRounds);
  assert.ok(outcome.validation.error < 0.15, `iris validation error ${outcome.validation.error}`);
  assert.ok(outcome.validation.loss < 0.5, `iris validation loss ${outcome.validation.loss}`);
  const run = await hpoTask(iris, { model: "gbt", seed: 3 }).evaluate(CONFIG);
  assert.equal(run.status, "complete");
  assert.deepEqual({ v: run.validation, t: run.test, s: run.steps }, {
    v: outcome.validation,
    t: outcome.test,
    s: outcome.steps,
  });
  // With subsampling the seed draws the rows: the same seed repeats, another differs.
  const sub = { ...CONFIG, subsample: 0.6 };
  const a = await hpoTask(iris, { model: "gbt", seed: 3 }).evaluate(sub);
  const b = await hpoTask(iris, { model: "gbt", seed: 3 }).evaluate(sub);
  const c = await hpoTask(iris, { model: "gbt", seed: 4 }).evaluate(sub);
  assert.deepEqual({ v: a.validation, t: a.test }, { v: b.validation, t: b.test });
  assert.notEqual(a.validation.loss, c.validation.loss);
  // Regression: the RMSE of the standardised target (1 ≈ predicting the mean).
  const reg = fitAndScoreBoosting(regressionData(), { ...CONFIG, nRounds: 128 }, 0);
  assert.equal(reg.steps, 128);
  assert.ok(reg.validation.error < 0.3, `standardised RMSE ${reg.validation.error}`);
  // One round at a tiny learning rate barely moves from the mean.
  const flat = fitAndScoreBoosting(regressionData(), {
    ...CONFIG,
    learningRate: 0.01,
    nRounds: 1,
  }, 0);
  assert.ok(flat.validation.error > 0.9, `one tiny step: ${flat.validation.error}`);
  // The space refuses out-of-range values, naming the field.
  const task = hpoTask(iris, { model: "gbt" });
  await assert.rejects(() => task.evaluate({ ...CONFIG, subsample: 0.2 }), /params\.subsample/);
  await assert.rejects(() => task.evaluate({ ...CONFIG, maxDepth: 11 }), /params\.maxDepth/);
  await assert.rejects(() => task.evaluate({ ...CONFIG, nRounds: 4 }), /params\.nRounds/);
  // A run that throws is a failed evaluation with the reason (a label broken after the task
  // was built).
  const broken: PreparedDataset = {
    ...iris,
    train: { ...iris.train, y: Float64Array.from(iris.train.y) },
  };
  const brokenTask = hpoTask(broken, { model: "gbt" });
  (broken.train.y as Float64Array)[0] = 7;
  const failed = await brokenTask.evaluate(CONFIG);
  assert.equal(failed.status, "failed");
  assert.match(failed.reason!, /^gradient boosting failed: fitBoosting\.targets\[0\]/);
  assert.ok(Number.isNaN(failed.validation.error));
  // A short random search through the objective.
  const result = await minimize(task.objective, task.space, {
    budget: 3,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.equal(result.trials.length, 3);
  assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined);
});
