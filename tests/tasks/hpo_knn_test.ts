import assert from "node:assert/strict";
import { regressionData } from "./_regression_data.ts";
import { prepareBuiltinDataset } from "../../lib/data/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { minimize, randomSearch } from "../../lib/smbo/mod.ts";
import {
  fitAndScoreKnn,
  hpoSpace,
  hpoTask,
  kknnClassify,
  kknnRegress,
  kknnWeights,
  KNN_KERNELS,
  type KnnKernel,
  knnSpace,
} from "../../lib/tasks/hpo/mod.ts";

/** The kernel of `kknn` written out from its R source, for a standardised distance d. */
function referenceKernel(kernel: KnnKernel, d: number, k: number): number {
  switch (kernel) {
    case "rectangular":
      return 1;
    case "triangular":
      return 1 - d;
    case "epanechnikov":
      return 0.75 * (1 - d * d);
    case "biweight": {
      // dbeta((d + 1) / 2, 3, 3) = x² (1 − x)² / B(3, 3), B(3, 3) = 1/30.
      const x = (d + 1) / 2;
      return 30 * x * x * (1 - x) * (1 - x);
    }
    case "gaussian": {
      // |qnorm(1 / (2 (k + 1)))| for k = 3: qnorm(0.125) = −1.1503493803760079.
      assert.equal(k, 3);
      const z = d * 1.1503493803760079;
      return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }
    case "inv":
      return 1 / d;
  }
}

/** Brute force: sort every training row by its Minkowski distance (stable: ties by row). */
function bruteForce(
  x: number[],
  rows: number,
  cols: number,
  query: number[],
  p: number,
  k: number,
): { rows: number[]; distances: number[] } {
  const all = Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.abs(query[c] - x[r * cols + c]) ** p;
    return { r, d: s ** (1 / p) };
  }).sort((a, b) => a.d - b.d || a.r - b.r);
  return {
    rows: all.slice(0, k + 1).map((e) => e.r),
    distances: all.slice(0, k + 1).map((e) => e.d),
  };
}

Deno.test("knn space: the documented parameters, every kernel a choice, hpoSpace knows it", () => {
  assert.deepEqual([...knnSpace.names], ["k", "p", "kernel"]);
  assert.equal(hpoSpace("knn"), knnSpace);
  const json = knnSpace.toJSON();
  assert.deepEqual(json.params[0], { name: "k", kind: "int", low: 1, high: 50, log: true });
  assert.deepEqual(json.params[1], { name: "p", kind: "float", low: 1, high: 5 });
  assert.deepEqual(json.params[2], {
    name: "kernel",
    kind: "categorical",
    choices: [...KNN_KERNELS],
  });
  assert.throws(() => knnSpace.validate({ k: 0, p: 2, kernel: "inv" }), /params\.k/);
  assert.throws(() => knnSpace.validate({ k: 3, p: 2, kernel: "cosine" }), /params\.kernel/);
});

Deno.test("kknnWeights: each kernel equals kknn's formula on standardised, clipped distances", () => {
  const distances = [0, 0.3, 1.2, 2];
  const next = 2.5;
  for (const kernel of KNN_KERNELS) {
    const w = kknnWeights(distances.slice(0, 3), next, kernel);
    assert.equal(w.length, 3);
    for (let j = 0; j < 3; j++) {
      const d = Math.min(Math.max(distances[j] / next, 1e-6), 1 - 1e-6);
      const want = referenceKernel(kernel, d, 3);
      // Φ⁻¹ comes from Acklam's approximation (relative error below 1.2e-9).
      const tolerance = kernel === "gaussian" ? 1e-8 : 1e-12;
      assert.ok(
        Math.abs(w[j] - want) <= tolerance * Math.abs(want),
        `${kernel}[${j}]: ${w[j]} vs ${want}`,
      );
    }
  }
  // A (k+1)-th distance of 0 is floored at 1e-6, so every neighbour is clipped to the edge.
  assert.deepEqual([...kknnWeights([0, 0], 0, "triangular")], [1 - 1e-6, 1 - 1e-6]);
  assert.throws(() => kknnWeights([], 1, "inv"), /kknnWeights\.distances/);
  assert.throws(
    () => kknnWeights([1], 2, "cosine" as KnnKernel),
    /kknnWeights\.kernel: must be one of rectangular/,
  );
});

Deno.test("kknnClassify and kknnRegress: hand-computed examples", () => {
  // 1-D training rows 0, 1, 2, 10 with labels 0, 0, 1, 1; query 1.4.
  const train = { data: [0, 1, 2, 10], rows: 4, cols: 1 };
  const query = { data: [1.4], rows: 1, cols: 1 };
  // k = 2, p = 1: neighbours 1 (0.4) and 2 (0.6), third 0 (1.4); triangular weights
  // 1 − 0.4/1.4 = 5/7 for class 0 and 1 − 0.6/1.4 = 4/7 for class 1.
  const proba = kknnClassify(train, [0, 0, 1, 1], query, 2, { k: 2, p: 1, kernel: "triangular" });
  assert.ok(Math.abs(proba[0] - 5 / 9) < 1e-12 && Math.abs(proba[1] - 4 / 9) < 1e-12, `${proba}`);
  // Rectangular: the plain vote, 1/2 each.
  const vote = kknnClassify(train, [0, 0, 1, 1], query, 2, { k: 2, p: 2, kernel: "rectangular" });
  assert.deepEqual([...vote], [0.5, 0.5]);
  // Regression with targets 0, 1, 2, 10: (5/7 · 1 + 4/7 · 2) / (9/7) = 13/9.
  const y = kknnRegress(train, [0, 1, 2, 10], query, { k: 2, p: 1, kernel: "triangular" });
  assert.ok(Math.abs(y[0] - 13 / 9) < 1e-12, `${y[0]}`);
  // 2-D, Minkowski p = 3: distance to (1, 1) from (0, 0) is 2^(1/3).
  const grid = { data: [1, 1, 3, 3, 0, 5], rows: 3, cols: 2 };
  const one = kknnRegress(grid, [7, 9, 11], { data: [0, 0], rows: 1, cols: 2 }, {
    k: 1,
    p: 3,
    kernel: "inv",
  });
  assert.equal(one[0], 7);
});

Deno.test("kknn: neighbours and predictions equal a brute-force sort, ties kept in row order", () => {
  const rng = new Rng(11);
  const rows = 40;
  const cols = 3;
  // Values on a coarse grid so that distances tie often; rows 0–4 repeated as rows 35–39.
  const x = Array.from({ length: rows * cols }, () => Math.round(4 * rng.uniform()) / 2);
  for (let i = 0; i < 5 * cols; i++) x[35 * cols + i] = x[i];
  const labels = Array.from({ length: rows }, () => Math.floor(3 * rng.uniform()));
  const targets = Array.from({ length: rows }, () => rng.normal());
  const queries = Array.from({ length: 12 * cols }, () => Math.round(4 * rng.uniform()) / 2);
  for (const p of [1, 2, 3.3]) {
    for (const k of [1, 4, 9]) {
      for (const kernel of KNN_KERNELS) {
        const settings = { k, p, kernel };
        const proba = kknnClassify(
          { data: x, rows, cols },
          labels,
          {
            data: queries,
            rows: 12,
            cols,
          },
          3,
          settings,
        );
        const mean = kknnRegress({ data: x, rows, cols }, targets, {
          data: queries,
          rows: 12,
          cols,
        }, settings);
        for (let q = 0; q < 12; q++) {
          const ref = bruteForce(x, rows, cols, queries.slice(q * cols, q * cols + cols), p, k);
          const w = kknnWeights(ref.distances.slice(0, k), ref.distances[k], kernel);
          const total = w.reduce((a, b) => a + b, 0);
          const want = [0, 0, 0];
          let yWant = 0;
          for (let j = 0; j < k; j++) {
            want[labels[ref.rows[j]]] += w[j] / total;
            yWant += (w[j] * targets[ref.rows[j]]) / total;
          }
          for (let c = 0; c < 3; c++) {
            assert.ok(
              Math.abs(proba[q * 3 + c] - want[c]) < 1e-9,
              `p ${p} k ${k} ${kernel} query ${q} class ${c}: ${proba[q * 3 + c]} vs ${want[c]}`,
            );
          }
          assert.ok(Math.abs(mean[q] - yWant) < 1e-9, `p ${p} k ${k} ${kernel} query ${q}`);
        }
      }
    }
  }
});

Deno.test("kknn: k above the training rows uses all but one; bad input names the field", () => {
  const train = { data: [0, 1, 2], rows: 3, cols: 1 };
  const q = { data: [0.2], rows: 1, cols: 1 };
  // k = 50 on 3 rows: the 2 nearest (0 and 1), the third (2) scales the distances.
  const all = kknnRegress(train, [4, 8, 100], q, { k: 50, p: 2, kernel: "rectangular" });
  assert.equal(all[0], 6);
  const s = { k: 1, p: 2, kernel: "inv" } as const;
  assert.throws(() => kknnRegress(train, [1, 2, 3], q, { ...s, k: 0 }), /kknnRegress\.settings\.k/);
  assert.throws(
    () => kknnRegress(train, [1, 2, 3], q, { ...s, p: 0.5 }),
    /kknnRegress\.settings\.p/,
  );
  assert.throws(
    () => kknnRegress(train, [1, 2], q, s),
    /kknnRegress\.targets: must hold train\.rows = 3/,
  );
  assert.throws(
    () => kknnRegress(train, [1, 2, 3], { data: [1, 2], rows: 1, cols: 2 }, s),
    /kknnRegress\.query\.cols: must equal train\.cols \(1\), got 2/,
  );
  assert.throws(
    () => kknnClassify(train, [0, 1, 2], q, 2, s),
    /kknnClassify\.labels\[2\]: must be a class index in \[0, 2\), got 2/,
  );
  assert.throws(
    () => kknnRegress({ data: [0], rows: 1, cols: 1 }, [1], q, s),
    /kknnRegress\.train\.rows: needs at least 2, got 1/,
  );
});

Deno.test("knn hpo task: iris and a regression task score as documented, deterministically", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const config = { k: 7, p: 2, kernel: "triangular" as const };
  const a = fitAndScoreKnn(iris, config);
  assert.ok(a.validation.error < 0.15, `iris validation error ${a.validation.error}`);
  assert.equal(a.steps, iris.train.size * (iris.validation.size + iris.test.size));
  assert.deepEqual(fitAndScoreKnn(iris, config), a);
  const task = hpoTask(iris, { model: "knn" });
  const run = await task.evaluate(config);
  assert.equal(run.status, "complete");
  assert.deepEqual(run.validation, a.validation);
  assert.equal(
    await hpoTask(iris, { model: "knn", metric: "loss" }).objective(config),
    a.validation.loss,
  );
  const data = regressionData();
  const outcome = fitAndScoreKnn(data, { k: 5, p: 2, kernel: "gaussian" });
  assert.ok(outcome.validation.error < 0.5, `standardised RMSE ${outcome.validation.error}`);
  assert.ok(Math.abs(outcome.validation.loss - outcome.validation.error ** 2) < 1e-12);
});

Deno.test("knn hpo task: a study minimises it without TensorFlow.js; bad configurations name the field", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const task = hpoTask(iris, { model: "knn" });
  const result = await minimize(task.objective, task.space, {
    budget: 5,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.equal(result.trials.length, 5);
  assert.ok(result.best.value < 0.5);
  await assert.rejects(() => task.evaluate({ k: 3, p: 9, kernel: "inv" }), /params\.p/);
  assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined);
});
