/**
 * A user-defined, non-stationary kernel for the tests: the linear (dot-product) kernel
 * k(x, x') = s²·x·x' of GPyTorch's `LinearKernel`, whose prior variance k(x, x) = s²·|x|² depends
 * on x.
 *
 * @module
 */
import type { Kernel } from "../../lib/gp/mod.ts";

/**
 * The linear kernel on `dim` inputs (one hyperparameter, log s²); with `diagonalGradient` it has
 * the optional method (2s²·x), without it the GP falls back to finite differences.
 */
export function linearKernel(dim: number, diagonalGradient: boolean): Kernel {
  const dot = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let s = 0;
    for (let t = 0; t < dim; t++) s += a[i * dim + t] * b[j * dim + t];
    return s;
  };
  const kernel: Kernel = {
    dim,
    name: "linear",
    size: 1,
    names: ["outputscale"],
    kinds: ["outputscale"],
    cross(theta, a, na, b, nb, out = new Float64Array(na * nb)) {
      const s2 = Math.exp(theta[0]);
      for (let i = 0; i < na; i++) {
        for (let j = 0; j < nb; j++) out[i * nb + j] = s2 * dot(a, i, b, j);
      }
      return out;
    },
    gram(theta, x, n, out) {
      return this.cross(theta, x, n, x, n, out);
    },
    diagonal(theta, x, n, out = new Float64Array(n)) {
      const s2 = Math.exp(theta[0]);
      for (let i = 0; i < n; i++) out[i] = s2 * dot(x, i, x, i);
      return out;
    },
    accumulateGradient(theta, x, n, weights, out) {
      const s2 = Math.exp(theta[0]);
      let s = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) s += weights[i * n + j] * dot(x, i, x, j);
      }
      out[0] += s2 * s;
    },
    inputGradient(theta, _point, b, nb, out = new Float64Array(nb * dim)) {
      const s2 = Math.exp(theta[0]);
      for (let i = 0; i < nb * dim; i++) out[i] = s2 * b[i];
      return out;
    },
  };
  if (!diagonalGradient) return kernel;
  return {
    ...kernel,
    diagonalGradient(theta, point, out = new Float64Array(dim)) {
      for (let t = 0; t < dim; t++) out[t] = 2 * Math.exp(theta[0]) * point[t];
      return out;
    },
  };
}
