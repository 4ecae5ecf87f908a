import assert from "node:assert/strict";
import { centralDifference } from "../_assert.ts";
import {
  type Kernel,
  kernelFromName,
  matern12Kernel,
  matern32Kernel,
  matern52Kernel,
  prepareKernel,
  productKernel,
  rbfKernel,
  sumKernel,
} from "../../lib/gp/mod.ts";
import { kernelDiagonalGradient, mixedCategoricalKernel } from "../../lib/gp/kernels.ts";
import { Rng } from "../../lib/random/rng.ts";
import { linearKernel } from "./_linear_kernel.ts";

const DIM = 3;

function kernels(): Record<string, Kernel> {
  return {
    rbf: rbfKernel(DIM),
    matern12: matern12Kernel(DIM),
    matern32: matern32Kernel(DIM),
    matern52: matern52Kernel(DIM),
    sum: sumKernel(matern52Kernel(DIM), rbfKernel(DIM, { dims: [2] })),
    product: productKernel(
      matern32Kernel(DIM, { dims: [0, 1] }),
      matern12Kernel(DIM, { dims: [2] }),
    ),
  };
}

function randomTheta(kernel: Kernel, rng: Rng): Float64Array {
  return Float64Array.from({ length: kernel.size }, () => rng.uniformIn(-1, 0.5));
}

Deno.test("stationary kernels match their closed forms", () => {
  const lengthscales = [0.5, 2, 1], s2 = 1.5;
  const theta = Float64Array.from([...lengthscales.map(Math.log), Math.log(s2)]);
  const a = new Float64Array([0, 0, 0.2]), b = new Float64Array([0.3, -1, 0.2]);
  const q = 0.09 / 0.25 + 1 / 4; // third coordinate equal
  const r = Math.sqrt(q);
  const expected: Record<string, number> = {
    rbf: s2 * Math.exp(-q / 2),
    matern12: s2 * Math.exp(-r),
    matern32: s2 * (1 + Math.sqrt(3) * r) * Math.exp(-Math.sqrt(3) * r),
    matern52: s2 * (1 + Math.sqrt(5) * r + (5 / 3) * q) * Math.exp(-Math.sqrt(5) * r),
  };
  for (const [name, value] of Object.entries(expected)) {
    const k = kernelFromName(name as "rbf", DIM);
    assert.ok(Math.abs(k.cross(theta, a, 1, b, 1)[0] - value) < 1e-14, name);
    assert.deepEqual(Array.from(k.diagonal(theta, a, 1)), [s2]);
  }
  // Inactive dimensions are ignored: a kernel on dims [1] sees only the second coordinate.
  const k1 = rbfKernel(DIM, { dims: [1] });
  const v = k1.cross(new Float64Array([Math.log(2), 0]), a, 1, b, 1)[0];
  assert.ok(Math.abs(v - Math.exp(-0.5 * (1 / 4))) < 1e-15);
});

Deno.test("gram is symmetric and equals cross(X, X); sums and products combine", () => {
  const rng = new Rng(4);
  const n = 7;
  const x = rng.uniforms(n * DIM);
  for (const [name, k] of Object.entries(kernels())) {
    const theta = randomTheta(k, rng);
    const gram = k.gram(theta, x, n);
    const cross = k.cross(theta, x, n, x, n);
    const diag = k.diagonal(theta, x, n);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(gram[i * n + i] - diag[i]) < 1e-14, name);
      for (let j = 0; j < n; j++) {
        assert.equal(gram[i * n + j], gram[j * n + i]);
        assert.ok(Math.abs(gram[i * n + j] - cross[i * n + j]) < 1e-14, name);
      }
    }
  }
  const a = matern52Kernel(DIM), b = rbfKernel(DIM);
  const ta = randomTheta(a, rng), tb = randomTheta(b, rng);
  const both = new Float64Array([...ta, ...tb]);
  const ka = a.gram(ta, x, n), kb = b.gram(tb, x, n);
  const sum = sumKernel(a, b).gram(both, x, n), product = productKernel(a, b).gram(both, x, n);
  for (let i = 0; i < n * n; i++) {
    assert.ok(Math.abs(sum[i] - (ka[i] + kb[i])) < 1e-14);
    assert.ok(Math.abs(product[i] - ka[i] * kb[i]) < 1e-14);
  }
});

Deno.test("hyperparameter gradients match central finite differences for every kernel", () => {
  const rng = new Rng(5);
  const n = 6;
  const x = rng.uniforms(n * DIM);
  x.set(x.subarray(0, DIM), DIM); // a duplicated point: r = 0 off the diagonal
  const w = rng.normals(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) w[j * n + i] = w[i * n + j];
  const contract = (k: Kernel, theta: Float64Array) => {
    const g = k.gram(theta, x, n);
    let s = 0;
    for (let i = 0; i < n * n; i++) s += w[i] * g[i];
    return s;
  };
  for (const [name, k] of Object.entries(kernels())) {
    const theta = randomTheta(k, rng);
    const analytic = new Float64Array(k.size);
    k.accumulateGradient(theta, x, n, w, analytic);
    for (let j = 0; j < k.size; j++) {
      const fd = centralDifference((t) => contract(k, t), theta, j);
      assert.ok(Number.isFinite(analytic[j]), `${name} ${k.names[j]} finite`);
      assert.ok(
        Math.abs(analytic[j] - fd) < 1e-6 * Math.max(1, Math.abs(fd)),
        `${name} ${k.names[j]}: analytic ${analytic[j]} vs finite difference ${fd}`,
      );
    }
    // accumulate adds to what is there
    const twice = analytic.slice();
    k.accumulateGradient(theta, x, n, w, twice);
    for (let j = 0; j < k.size; j++) assert.ok(Math.abs(twice[j] - 2 * analytic[j]) < 1e-12);
  }
});

Deno.test("input gradients match central finite differences, and are finite at r = 0", () => {
  const rng = new Rng(6);
  const nb = 5;
  const b = rng.uniforms(nb * DIM);
  for (const [name, k] of Object.entries(kernels())) {
    const theta = randomTheta(k, rng);
    const point = rng.uniforms(DIM);
    const analytic = k.inputGradient(theta, point, b, nb);
    for (let t = 0; t < DIM; t++) {
      const h = 1e-6;
      const plus = point.slice(), minus = point.slice();
      plus[t] += h;
      minus[t] -= h;
      const kp = k.cross(theta, plus, 1, b, nb), km = k.cross(theta, minus, 1, b, nb);
      for (let r = 0; r < nb; r++) {
        const fd = (kp[r] - km[r]) / (2 * h);
        assert.ok(
          Math.abs(analytic[r * DIM + t] - fd) < 1e-6,
          `${name} row ${r} dim ${t}: ${analytic[r * DIM + t]} vs ${fd}`,
        );
      }
    }
    // At a training point itself (r = 0) every kernel's gradient is finite; the smooth kernels'
    // gradient there is 0 (a maximum of k), Matérn-1/2 returns its zero subgradient.
    const at = k.inputGradient(theta, b.slice(0, DIM), b, nb);
    for (let t = 0; t < DIM; t++) {
      assert.ok(Number.isFinite(at[t]), name);
      assert.equal(Math.abs(at[t]), 0, name);
    }
  }
});

Deno.test("diagonalGradient: zero for the built-in kernels, exact for sums and products", () => {
  const rng = new Rng(8);
  const point = Float64Array.of(0.3, -0.7, 1.4);
  const builtIn = {
    ...kernels(),
    mixed: mixedCategoricalKernel(DIM, { blocks: [[0, 1]] }),
    hamming: mixedCategoricalKernel(DIM, { blocks: [[0, 1, 2]] }),
  };
  for (const [name, kernel] of Object.entries(builtIn)) {
    assert.equal(typeof kernel.diagonalGradient, "function", name);
    const gradient = kernelDiagonalGradient(kernel, randomTheta(kernel, rng), point);
    assert.deepEqual(Array.from(gradient), [0, 0, 0], name);
  }
  // Composites with a non-stationary part: the parts' gradients combined (sum and product rule).
  const composites = [
    sumKernel(rbfKernel(DIM), linearKernel(DIM, false)),
    productKernel(matern52Kernel(DIM), linearKernel(DIM, true)),
    productKernel(linearKernel(DIM, false), rbfKernel(DIM, { dims: [1] }), linearKernel(DIM, true)),
  ];
  for (const kernel of [linearKernel(DIM, false), ...composites]) {
    const theta = randomTheta(kernel, rng);
    const gradient = kernelDiagonalGradient(kernel, theta, point);
    for (let t = 0; t < DIM; t++) {
      const numeric = centralDifference((p) => kernel.diagonal(theta, p, 1)[0], point, t, 1e-5);
      assert.ok(
        Math.abs(gradient[t] - numeric) < 1e-8,
        `${kernel.name}: ${gradient[t]} vs ${numeric}`,
      );
    }
  }
  assert.throws(
    () => kernelDiagonalGradient(rbfKernel(2), new Float64Array(3), new Float64Array(3)),
    /rbf\.diagonalGradient: point: expected 1×2 = 2 values, got 3/,
  );
});

Deno.test("kernel names, kinds and sizes", () => {
  const k = kernels();
  assert.deepEqual(k.matern52.names, [
    "lengthscale[0]",
    "lengthscale[1]",
    "lengthscale[2]",
    "outputscale",
  ]);
  assert.deepEqual(k.sum.kinds, [
    "lengthscale",
    "lengthscale",
    "lengthscale",
    "outputscale",
    "lengthscale",
    "outputscale",
  ]);
  assert.deepEqual(k.product.names, [
    "k0.lengthscale[0]",
    "k0.lengthscale[1]",
    "k0.outputscale",
    "k1.lengthscale[2]",
    "k1.outputscale",
  ]);
  assert.equal(k.sum.name, "sum(matern52,rbf[2])");
});

Deno.test("kernels reject bad construction and bad arguments", () => {
  assert.throws(() => matern52Kernel(0), /matern52Kernel: dim: must be a positive integer/);
  assert.throws(() => rbfKernel(2.5), /dim: must be a positive integer/);
  assert.throws(() => rbfKernel(2, { dims: [2] }), /options.dims\[0\]: must be < dim = 2/);
  assert.throws(() => rbfKernel(3, { dims: [1, 1] }), /options.dims\[1\]: repeated/);
  assert.throws(() => rbfKernel(3, { dims: [] }), /options.dims: must name at least one/);
  assert.throws(() => rbfKernel(3, { dim: 3 } as never), /options.dim: unknown key/);
  assert.throws(() => kernelFromName("cosine" as never, 2), /name must be one of/);
  // Before: Object.prototype's members were accepted (and failed later, in gram or fitGP).
  for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__"]) {
    assert.throws(
      () => kernelFromName(name as never, 2),
      (e) => e instanceof RangeError && /kernelFromName: name must be one of rbf/.test(e.message),
      name,
    );
  }
  assert.throws(() => sumKernel(rbfKernel(2)), /at least two kernels/);
  assert.throws(() => productKernel(rbfKernel(2), rbfKernel(3)), /kernels\[1\].dim = 3 differs/);
  const k = matern32Kernel(2);
  const theta = new Float64Array(3);
  assert.throws(
    () => k.gram(new Float64Array(2), new Float64Array(4), 2),
    /theta must be a Float64Array of length 3/,
  );
  assert.throws(() => k.gram(theta, new Float64Array(5), 2), /expected 2×2 = 4 values, got 5/);
  assert.throws(
    () => k.cross(theta, new Float64Array(2), 1, new Float64Array(3), 2),
    /b: expected/,
  );
  assert.throws(
    () =>
      k.accumulateGradient(theta, new Float64Array(4), 2, new Float64Array(3), new Float64Array(3)),
    /weights: expected length 4/,
  );
  assert.throws(() => k.inputGradient(theta, new Float64Array(3), new Float64Array(4), 2), /point/);
  const s = sumKernel(k, rbfKernel(2));
  assert.throws(
    () => s.gram(new Float64Array(3), new Float64Array(4), 2),
    /theta must be a Float64Array of length 6/,
  );
});

Deno.test("prepared kernels equal the plain methods, whatever the order of calls", () => {
  const rng = new Rng(7);
  const n = 9;
  const x = rng.uniforms(n * DIM);
  x.set(x.subarray(0, DIM), 2 * DIM); // a duplicate
  const w = rng.normals(n * n);
  for (const [name, k] of Object.entries(kernels())) {
    const prepared = prepareKernel(k, x, n);
    const t1 = randomTheta(k, rng), t2 = randomTheta(k, rng);
    for (const [gramTheta, gradTheta] of [[t1, t1], [t1, t2], [t2, t2]]) {
      const expectedGram = k.gram(gramTheta, x, n);
      const gram = prepared.gram(gramTheta, new Float64Array(n * n));
      for (let i = 0; i < n * n; i++) assert.ok(Math.abs(gram[i] - expectedGram[i]) < 1e-14, name);
      const expected = new Float64Array(k.size), actual = new Float64Array(k.size);
      k.accumulateGradient(gradTheta, x, n, w, expected);
      prepared.accumulateGradient(gradTheta, w, actual);
      for (let j = 0; j < k.size; j++) {
        assert.ok(
          Math.abs(actual[j] - expected[j]) < 1e-12 * Math.max(1, Math.abs(expected[j])),
          name,
        );
      }
    }
  }
  const prepared = prepareKernel(matern52Kernel(DIM), x, n);
  assert.throws(() => prepared.gram(new Float64Array(2), new Float64Array(n * n)), /theta must be/);
  assert.throws(
    () => prepared.gram(new Float64Array(DIM + 1), new Float64Array(3)),
    /out: expected/,
  );
  assert.throws(() => prepareKernel(matern52Kernel(DIM), x, n + 1), /prepareKernel: x: expected/);
});
