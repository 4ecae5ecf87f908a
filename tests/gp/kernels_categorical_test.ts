/**
 * The categorical (Hamming) kernel and BoTorch's mixed continuous–categorical kernel
 * (lib/gp/kernels.ts: `categoricalKernel`, `mixedCategoricalKernel`): values by hand, one-hot
 * Hamming distances, fractional and inactive blocks, positive semi-definiteness, hyperparameter,
 * likelihood and input gradients against finite differences, and validation.
 */
import assert from "node:assert/strict";
import { centralDifference } from "../_assert.ts";
import {
  categoricalKernel,
  type Kernel,
  MarginalLikelihood,
  mixedCategoricalKernel,
  prepareKernel,
} from "../../lib/gp/mod.ts";
import { symmetricEigenvalues } from "../../lib/linalg/eigen.ts";
import { Rng } from "../../lib/random/rng.ts";

// Columns: 0–2 a 3-level categorical, 3 a float, 4–7 a 4-level categorical, 8 a float.
const DIM = 9;
const BLOCKS = [[0, 1, 2], [4, 5, 6, 7]];
const CONTINUOUS = [3, 8];

const close = (actual: number, expected: number, tol: number, what = "") =>
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

/** A point with the given levels (−1: the block holds 0.5 everywhere, inactive) and floats. */
function point(levels: number[], floats: number[]): Float64Array {
  const u = new Float64Array(DIM);
  BLOCKS.forEach((block, b) =>
    block.forEach((column, k) => u[column] = levels[b] < 0 ? 0.5 : k === levels[b] ? 1 : 0)
  );
  CONTINUOUS.forEach((column, i) => u[column] = floats[i]);
  return u;
}

/** Random exact one-hot points (some with an inactive second block), row-major. */
function randomPoints(n: number, rng: Rng, inactive = false): Float64Array {
  const x = new Float64Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const second = inactive && rng.uniform() < 0.3 ? -1 : rng.integer(4);
    x.set(point([rng.integer(3), second], [rng.uniform(), rng.uniform()]), i * DIM);
  }
  return x;
}

/** The mask of a space where the second block is active only when its columns are not all 0.5. */
const activeColumns = (u: Float64Array) => {
  const mask = new Uint8Array(DIM).fill(1);
  if (BLOCKS[1].every((c) => u[c] === 0.5)) { for (const c of BLOCKS[1]) mask[c] = 0; }
  return mask;
};

function kernels(): Record<string, Kernel> {
  return {
    hamming: categoricalKernel(DIM, { blocks: BLOCKS }),
    "hamming-unscaled": categoricalKernel(DIM, { blocks: BLOCKS, outputscale: false }),
    mixed: mixedCategoricalKernel(DIM, { blocks: BLOCKS }),
    "mixed-rbf-conditional": mixedCategoricalKernel(DIM, {
      blocks: BLOCKS,
      activeColumns,
      continuous: "rbf",
    }),
  };
}

function randomTheta(kernel: Kernel, rng: Rng): Float64Array {
  return Float64Array.from({ length: kernel.size }, () => rng.uniformIn(-1, 0.5));
}

Deno.test("categoricalKernel: s²·exp(−(1/c)·Σ δ/ℓ) by hand, and the Hamming distance of one-hot blocks", () => {
  const k = categoricalKernel(DIM, { blocks: BLOCKS });
  const l1 = 0.5, l2 = 2, s2 = 1.7;
  const theta = Float64Array.of(Math.log(l1), Math.log(l2), Math.log(s2));
  const a = point([0, 1], [0.1, 0.2]);
  // Same levels, other floats: the floats are not looked at.
  assert.equal(k.cross(theta, a, 1, point([0, 1], [0.9, 0.7]), 1)[0], s2);
  // First parameter differs: s²·exp(−(1/2)·(1/0.5)) = s²·e⁻¹.
  close(k.cross(theta, a, 1, point([2, 1], [0.1, 0.2]), 1)[0], s2 * Math.exp(-1), 1e-15, "δ₁");
  // Both differ: s²·exp(−(1/2)·(2 + 0.5)).
  close(k.cross(theta, a, 1, point([1, 3], [0, 0]), 1)[0], s2 * Math.exp(-1.25), 1e-15, "δ₁δ₂");
  assert.deepEqual(Array.from(k.diagonal(theta, a, 1)), [s2]);
  // On exact one-hot points δⱼ = ½·Σ|u − u'| over block j.
  const rng = new Rng(1);
  const x = randomPoints(12, rng);
  const gram = k.gram(theta, x, 12);
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 12; j++) {
      let q = 0;
      BLOCKS.forEach((block, b) => {
        let d = 0;
        for (const c of block) d += Math.abs(x[i * DIM + c] - x[j * DIM + c]);
        q += (0.5 * d) / [l1, l2][b];
      });
      close(gram[i * 12 + j], s2 * Math.exp(-q / 2), 1e-15, `gram[${i}, ${j}]`);
    }
  }
  assert.deepEqual(k.names, ["categorical[0]", "categorical[1]", "outputscale"]);
  assert.deepEqual(k.kinds, ["categoricalLengthscale", "categoricalLengthscale", "outputscale"]);
  assert.equal(categoricalKernel(DIM, { blocks: BLOCKS, outputscale: false }).size, 2);
});

Deno.test("categoricalKernel: a fractional block counts as its argmax level (first on ties); an inactive block is its own level", () => {
  const k = categoricalKernel(DIM, { blocks: BLOCKS });
  const theta = new Float64Array(3); // ℓ = 1, s² = 1
  const exact = point([1, 2], [0, 0]);
  const fractional = exact.slice();
  fractional.set([0.2, 0.45, 0.35], 0); // argmax 1
  fractional.set([0.1, 0.3, 0.31, 0.29], 4); // argmax 2
  assert.equal(k.cross(theta, exact, 1, fractional, 1)[0], 1);
  const tie = exact.slice();
  tie.set([0.4, 0.4, 0.2], 0); // tie between levels 0 and 1: level 0
  close(k.cross(theta, point([0, 2], [0, 0]), 1, tie, 1)[0], 1, 1e-15, "tie → first");
  close(k.cross(theta, exact, 1, tie, 1)[0], Math.exp(-0.5), 1e-15, "tie ≠ level 1");
  // Inactive (conditional) blocks: equal to each other, different from every level.
  const conditional = categoricalKernel(DIM, { blocks: BLOCKS, activeColumns });
  const off = point([1, -1], [0.3, 0.3]);
  assert.equal(conditional.cross(theta, off, 1, point([1, -1], [0.9, 0]), 1)[0], 1);
  for (let level = 0; level < 4; level++) {
    const on = point([1, level], [0.3, 0.3]);
    close(conditional.cross(theta, off, 1, on, 1)[0], Math.exp(-0.5), 1e-15, `level ${level}`);
  }
  // Without the mask an all-0.5 block is read as its argmax, level 0.
  assert.equal(k.cross(theta, off, 1, point([1, 0], [0, 0]), 1)[0], 1);
});

Deno.test("mixedCategoricalKernel: BoTorch's sum-plus-product form by hand", () => {
  const k = mixedCategoricalKernel(DIM, { blocks: BLOCKS });
  assert.equal(k.name, "mixed(matern52,hamming)");
  assert.deepEqual(k.names, [
    "sum.lengthscale[3]",
    "sum.lengthscale[8]",
    "sum.outputscale",
    "sum.categorical[0]",
    "sum.categorical[1]",
    "sum.categorical.outputscale",
    "product.lengthscale[3]",
    "product.lengthscale[8]",
    "product.outputscale",
    "product.categorical[0]",
    "product.categorical[1]",
  ]);
  assert.deepEqual(k.kinds, [
    "lengthscale",
    "lengthscale",
    "outputscale",
    "categoricalLengthscale",
    "categoricalLengthscale",
    "outputscale",
    "lengthscale",
    "lengthscale",
    "outputscale",
    "categoricalLengthscale",
    "categoricalLengthscale",
  ]);
  const values = [0.3, 0.8, 1.5, 0.7, 2.5, 0.4, 0.2, 1.1, 0.9, 3, 0.6];
  const theta = Float64Array.from(values, Math.log);
  const a = point([0, 3], [0.1, 0.5]), b = point([2, 3], [0.4, 0.25]);
  const matern = (q: number) => {
    const r = Math.sqrt(5 * q);
    return (1 + r + (5 / 3) * q) * Math.exp(-r);
  };
  const [l1, l2, s1, c1, c2, s2, m1, m2, s3, d1, d2] = values;
  const q1 = (0.3 / l1) ** 2 + (0.25 / l2) ** 2, q2 = (0.3 / m1) ** 2 + (0.25 / m2) ** 2;
  const cat1 = Math.exp(-(1 / c1 + 0 / c2) / 2), cat2 = Math.exp(-(1 / d1 + 0 / d2) / 2);
  const expected = s1 * matern(q1) + s2 * cat1 + s3 * matern(q2) * cat2;
  close(k.cross(theta, a, 1, b, 1)[0], expected, 1e-14, "k(a, b)");
  close(k.diagonal(theta, a, 1)[0], s1 + s2 + s3, 1e-15, "k(a, a)");
  // Only categoricals: s·k_cat alone, as BoTorch's MixedSingleTaskGP without ordinal columns.
  const only = mixedCategoricalKernel(7, { blocks: [[0, 1, 2], [3, 4, 5, 6]] });
  assert.deepEqual(only.names, ["categorical[0]", "categorical[1]", "outputscale"]);
  const t = Float64Array.of(Math.log(0.5), Math.log(2), Math.log(1.3));
  const u = Float64Array.of(1, 0, 0, 0, 1, 0, 0), v = Float64Array.of(0, 0, 1, 0, 1, 0, 0);
  close(only.cross(t, u, 1, v, 1)[0], 1.3 * Math.exp(-1), 1e-15, "categorical only");
  // The continuous profile follows `continuous`.
  const rbf = mixedCategoricalKernel(DIM, { blocks: BLOCKS, continuous: "rbf" });
  const rbfValue = s1 * Math.exp(-q1 / 2) + s2 * cat1 + s3 * Math.exp(-q2 / 2) * cat2;
  close(rbf.cross(theta, a, 1, b, 1)[0], rbfValue, 1e-14, "rbf");
  assert.ok(Math.abs(rbfValue - expected) > 1e-3); // the check can tell the profiles apart
});

Deno.test("categorical and mixed kernels are positive semi-definite on random mixed points", () => {
  const rng = new Rng(2);
  const n = 40;
  for (const [name, k] of Object.entries(kernels())) {
    for (let trial = 0; trial < 5; trial++) {
      const x = randomPoints(n, rng, true);
      // Half of the rows fractional (as L-BFGS-B visits them): still a valid covariance.
      for (let i = 0; i < n; i += 2) for (const c of BLOCKS[0]) x[i * DIM + c] = rng.uniform();
      const theta = Float64Array.from({ length: k.size }, () => rng.uniformIn(-3, 3));
      const gram = k.gram(theta, x, n);
      const cross = k.cross(theta, x, n, x, n);
      let scale = 0;
      for (let i = 0; i < n; i++) {
        scale = Math.max(scale, gram[i * n + i]);
        for (let j = 0; j < n; j++) {
          assert.equal(gram[i * n + j], gram[j * n + i], `${name} symmetric`);
          close(cross[i * n + j], gram[i * n + j], 1e-14, `${name} cross = gram`);
        }
      }
      const smallest = symmetricEigenvalues(gram, n).reduce((a, b) => Math.min(a, b));
      assert.ok(smallest > -1e-10 * scale, `${name}: eigenvalue ${smallest}`);
    }
  }
  // The check can fail: a symmetric matrix with a negative eigenvalue is caught.
  const bad = Float64Array.of(1, 2, 2, 1);
  assert.ok(symmetricEigenvalues(bad, 2).some((e) => e < -0.5));
});

Deno.test("categorical and mixed kernels: hyperparameter gradients match finite differences", () => {
  const rng = new Rng(3);
  const n = 9;
  const x = randomPoints(n, rng, true);
  x.set(x.subarray(0, DIM), DIM); // a duplicated point
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
      close(analytic[j], fd, 1e-6, `${name} ${k.names[j]}`);
      assert.ok(Math.abs(fd) > 1e-8, `${name} ${k.names[j]}: a gradient that can be checked`);
    }
  }
});

Deno.test("the log marginal likelihood of the mixed kernel has exact gradients", () => {
  const rng = new Rng(4);
  const n = 14;
  const x = randomPoints(n, rng, true);
  const y = rng.normals(n);
  for (const [name, kernel] of Object.entries(kernels())) {
    for (const constantMean of [false, true]) {
      const ml = new MarginalLikelihood(kernel, x, y, { constantMean });
      const theta = Float64Array.from({ length: ml.size }, () => rng.uniformIn(-1.5, 0.5));
      theta[ml.size - 1] = Math.log(0.05);
      const { gradient, jitter } = ml.evaluate(theta, new Float64Array(ml.size));
      assert.equal(jitter, 0);
      for (let j = 0; j < ml.size; j++) {
        const fd = centralDifference((t) => ml.evaluate(t).value, theta, j);
        close(gradient[j], fd, 1e-6, `${name} θ${j} (constant mean ${constantMean})`);
      }
    }
  }
});

Deno.test("input gradients: those of the continuous kernel, zero in the categorical columns", () => {
  const rng = new Rng(5);
  const nb = 6;
  const b = randomPoints(nb, rng);
  for (const [name, k] of Object.entries(kernels())) {
    const theta = randomTheta(k, rng);
    // A fractional point with clear argmaxes: moving one coordinate by h changes no level.
    const at = randomPoints(1, rng);
    for (const c of [...BLOCKS[0], ...BLOCKS[1]]) at[c] = 0.6 * at[c] + 0.2 * rng.uniform();
    const analytic = k.inputGradient(theta, at, b, nb);
    let largest = 0;
    for (let t = 0; t < DIM; t++) {
      const h = 1e-6;
      const plus = at.slice(), minus = at.slice();
      plus[t] += h;
      minus[t] -= h;
      const kp = k.cross(theta, plus, 1, b, nb), km = k.cross(theta, minus, 1, b, nb);
      for (let r = 0; r < nb; r++) {
        const fd = (kp[r] - km[r]) / (2 * h);
        assert.ok(Math.abs(analytic[r * DIM + t] - fd) < 1e-6, `${name} row ${r} col ${t}`);
        if (!CONTINUOUS.includes(t)) assert.equal(analytic[r * DIM + t], 0);
        largest = Math.max(largest, Math.abs(fd));
      }
    }
    if (name.startsWith("mixed")) assert.ok(largest > 1e-3, `${name}: non-zero gradients`);
  }
});

Deno.test("categorical kernels reject bad blocks and arguments, naming the field", () => {
  assert.throws(
    () => categoricalKernel(DIM, { blocks: [[0, 1], [1, 2]] }),
    /categoricalKernel: options.blocks\[1\]\[0\]: column 1 repeated/,
  );
  assert.throws(
    () => categoricalKernel(3, { blocks: [[0, 1, 3]] }),
    /categoricalKernel: options.blocks\[0\]\[2\]: must be < dim = 3/,
  );
  assert.throws(() => categoricalKernel(3, { blocks: [] }), /options.blocks/);
  assert.throws(() => categoricalKernel(3, { blocks: [[]] }), /options.blocks/);
  assert.throws(
    () => mixedCategoricalKernel(DIM, { blocks: BLOCKS, continuous: "cubic" as "rbf" }),
    /mixedCategoricalKernel: options.continuous/,
  );
  const k = categoricalKernel(DIM, { blocks: BLOCKS });
  assert.throws(() => k.gram(new Float64Array(2), new Float64Array(DIM), 1), /theta/);
  assert.throws(() => k.gram(new Float64Array(3), new Float64Array(DIM - 1), 1), /hamming.gram/);
});

Deno.test("the prepared mixed kernel equals its plain methods, whatever the order of calls", () => {
  const rng = new Rng(6);
  const n = 11;
  const x = randomPoints(n, rng, true);
  x.set(x.subarray(0, DIM), 2 * DIM); // a duplicated point
  for (const [name, k] of Object.entries(kernels())) {
    const prepared = prepareKernel(k, x, n);
    for (let trial = 0; trial < 3; trial++) {
      const theta = randomTheta(k, rng);
      const w = rng.normals(n * n);
      const plainGradient = new Float64Array(k.size);
      k.accumulateGradient(theta, x, n, w, plainGradient);
      // Gradient first (nothing cached yet at this theta), then the gram, then the gradient again.
      const first = new Float64Array(k.size);
      prepared.accumulateGradient(theta, w, first);
      const gram = prepared.gram(theta, new Float64Array(n * n));
      const second = new Float64Array(k.size);
      prepared.accumulateGradient(theta, w, second);
      const plain = k.gram(theta, x, n);
      for (let i = 0; i < n * n; i++) close(gram[i], plain[i], 1e-14, `${name} gram[${i}]`);
      for (let j = 0; j < k.size; j++) {
        close(first[j], plainGradient[j], 1e-12, `${name} ${k.names[j]}`);
        assert.equal(second[j], first[j]);
      }
    }
  }
});
