import assert from "node:assert/strict";
import { regressionData } from "./_regression_data.ts";
import { prepareBuiltinDataset } from "../../lib/data/mod.ts";
import { solveDense } from "../../lib/linalg/dense.ts";
import { Rng } from "../../lib/random/rng.ts";
import { minimize, randomSearch } from "../../lib/smbo/mod.ts";
import {
  fitAndScoreKernelRidge,
  hpoSpace,
  hpoTask,
  KERNEL_RIDGE_KERNELS,
  kernelRidgeFit,
  krrSpace,
} from "../../lib/tasks/hpo/mod.ts";

Deno.test("krr space: the documented parameters, hpoSpace knows it", () => {
  assert.deepEqual([...krrSpace.names], ["alpha", "gamma", "kernel"]);
  assert.equal(hpoSpace("krr"), krrSpace);
  const json = krrSpace.toJSON();
  assert.deepEqual(json.params[0], {
    name: "alpha",
    kind: "float",
    low: 1e-4,
    high: 10,
    log: true,
  });
  assert.deepEqual(json.params[1], {
    name: "gamma",
    kind: "float",
    low: 1e-4,
    high: 10,
    log: true,
  });
  assert.deepEqual(json.params[2], {
    name: "kernel",
    kind: "categorical",
    choices: [...KERNEL_RIDGE_KERNELS],
  });
  assert.throws(() => krrSpace.validate({ alpha: 0, gamma: 1, kernel: "rbf" }), /params\.alpha/);
});

Deno.test("kernelRidgeFit: two points in closed form", () => {
  // x = 0 and 1, y = 1 and 3: ȳ = 2, centred targets −1 and 1; K = [[1, c], [c, 1]] with
  // c = exp(−γ), so (K + αI)⁻¹ [−1, 1] = [−1, 1] / (1 + α − c) and f(z) = 2 + (k(z,1) − k(z,0)) / (1 + α − c).
  const gamma = 0.7, alpha = 0.3;
  const c = Math.exp(-gamma);
  const model = kernelRidgeFit({ data: [0, 1], rows: 2, cols: 1 }, [1, 3], 1, {
    alpha,
    gamma,
    kernel: "rbf",
  });
  for (const z of [0, 0.25, 1, 2]) {
    const want = 2 + (Math.exp(-gamma * (z - 1) ** 2) - Math.exp(-gamma * z * z)) / (1 + alpha - c);
    const got = model.predict({ data: [z], rows: 1, cols: 1 })[0];
    assert.ok(Math.abs(got - want) < 1e-12, `z ${z}: ${got} vs ${want}`);
  }
  // A huge penalty predicts the training mean everywhere.
  const flat = kernelRidgeFit({ data: [0, 1], rows: 2, cols: 1 }, [1, 3], 1, {
    alpha: 1e12,
    gamma,
    kernel: "laplacian",
  });
  assert.ok(Math.abs(flat.predict({ data: [0.5], rows: 1, cols: 1 })[0] - 2) < 1e-9);
});

Deno.test("kernelRidgeFit: equals a dense solve of (K + αI)·A = Y − ȳ for both kernels and many outputs", () => {
  const rng = new Rng(5);
  const n = 30, cols = 3, outputs = 2, m = 7;
  const x = Array.from({ length: n * cols }, () => rng.normal());
  const y = Array.from({ length: n * outputs }, () => rng.normal());
  const z = Array.from({ length: m * cols }, () => rng.normal());
  for (const kernel of KERNEL_RIDGE_KERNELS) {
    const settings = { alpha: 0.05, gamma: 0.4, kernel };
    const k = (a: number[], i: number, b: number[], j: number) => {
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const d = a[i * cols + c] - b[j * cols + c];
        s += kernel === "rbf" ? d * d : Math.abs(d);
      }
      return Math.exp(-settings.gamma * s);
    };
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) gram[i * n + j] = k(x, i, x, j) + (i === j ? settings.alpha : 0);
    }
    const model = kernelRidgeFit({ data: x, rows: n, cols }, y, outputs, settings);
    const got = model.predict({ data: z, rows: m, cols });
    for (let o = 0; o < outputs; o++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += y[i * outputs + o] / n;
      const rhs = Float64Array.from({ length: n }, (_, i) => y[i * outputs + o] - mean);
      const a = solveDense(gram.slice(), rhs, n)!;
      for (let q = 0; q < m; q++) {
        let want = mean;
        for (let i = 0; i < n; i++) want += k(z, q, x, i) * a[i];
        assert.ok(
          Math.abs(got[q * outputs + o] - want) < 1e-9,
          `${kernel} output ${o} row ${q}: ${got[q * outputs + o]} vs ${want}`,
        );
      }
    }
  }
});

Deno.test("kernelRidgeFit: bad input names the field", () => {
  const train = { data: [0, 1], rows: 2, cols: 1 };
  const s = { alpha: 0.1, gamma: 1, kernel: "rbf" } as const;
  assert.throws(
    () => kernelRidgeFit(train, [1, 2], 1, { ...s, alpha: 0 }),
    /kernelRidgeFit\.settings\.alpha/,
  );
  assert.throws(
    () => kernelRidgeFit(train, [1, 2], 1, { ...s, gamma: NaN }),
    /kernelRidgeFit\.settings\.gamma/,
  );
  assert.throws(
    () => kernelRidgeFit(train, [1, 2], 1, { ...s, kernel: "poly" as "rbf" }),
    /kernelRidgeFit\.settings\.kernel: must be one of rbf, laplacian/,
  );
  assert.throws(
    () => kernelRidgeFit(train, [1], 1, s),
    /kernelRidgeFit\.targets: must hold rows × outputs = 2/,
  );
  assert.throws(
    () => kernelRidgeFit(train, [1, NaN], 1, s),
    /kernelRidgeFit\.targets\[1\]: must be finite/,
  );
  assert.throws(
    () => kernelRidgeFit(train, [1, 2], 1, s).predict({ data: [1, 2], rows: 1, cols: 2 }),
    /kernelRidge\.predict\.query\.cols: must equal the training rows' \(1\), got 2/,
  );
});

Deno.test("krr hpo task: iris and a smooth regression score as documented, deterministically", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const config = { alpha: 0.1, gamma: 0.2, kernel: "rbf" as const };
  const a = fitAndScoreKernelRidge(iris, config);
  assert.ok(a.validation.error < 0.15, `iris validation error ${a.validation.error}`);
  assert.ok(Number.isFinite(a.validation.loss) && a.validation.loss > 0);
  const n = iris.train.size;
  assert.equal(a.steps, n * (n + iris.validation.size + iris.test.size));
  assert.deepEqual(fitAndScoreKernelRidge(iris, config), a);
  const run = await hpoTask(iris, { model: "krr" }).evaluate(config);
  assert.equal(run.status, "complete");
  assert.deepEqual(run.validation, a.validation);
  const smooth = fitAndScoreKernelRidge(regressionData(), { alpha: 1e-3, gamma: 1, kernel: "rbf" });
  assert.ok(smooth.validation.error < 0.1, `standardised RMSE ${smooth.validation.error}`);
  assert.ok(Math.abs(smooth.validation.loss - smooth.validation.error ** 2) < 1e-12);
  // An overwhelming penalty predicts the training mean: RMSE about 1 on the standardised target.
  const flat = fitAndScoreKernelRidge(regressionData(), { alpha: 1e9, gamma: 1, kernel: "rbf" });
  assert.ok(flat.validation.error > 0.8 && flat.validation.error < 1.3, `${flat.validation.error}`);
});

Deno.test("krr hpo task: a study minimises it without TensorFlow.js; bad configurations name the field", async () => {
  const iris = await prepareBuiltinDataset("iris", { seed: 0 });
  const task = hpoTask(iris, { model: "krr" });
  const result = await minimize(task.objective, task.space, {
    budget: 5,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.equal(result.trials.length, 5);
  await assert.rejects(
    () => task.evaluate({ alpha: 1, gamma: 100, kernel: "rbf" }),
    /params\.gamma/,
  );
  assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined);
});
