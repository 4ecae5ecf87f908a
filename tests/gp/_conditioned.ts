/**
 * Test helper: a GP's posterior conditioned on more observations, computed directly from its joint
 * posterior (the reference of the kriging believer's model).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { GaussianProcess } from "../../lib/gp/gp.ts";

/**
 * The posterior of `gp` at `at` given `values` observed at `extra` with the GP's own noise, by
 * Gaussian conditioning of its joint posterior (original units):
 * μ' = μ_T + Σ_TB (Σ_BB + σ²s²I)⁻¹ (y_B − μ_B), σ'² = diag(Σ_TT − Σ_TB (Σ_BB + σ²s²I)⁻¹ Σ_BT).
 */
export function conditioned(
  gp: GaussianProcess,
  at: Float64Array[],
  extra: Float64Array[],
  values: ArrayLike<number>,
): { mean: number[]; variance: number[] } {
  const all = [...at, ...extra];
  const t = at.length, b = extra.length, m = all.length;
  const cov = gp.covariance(all);
  const mu = gp.predict(all).mean;
  const noise = gp.hyperparameters.noise * gp.standardization.std ** 2;
  // S = Σ_BB + noise·I, then solve S [w | W] = [y_B − μ_B | Σ_BT] by Gauss–Jordan (b is small).
  const cols = 1 + t;
  const aug = Array.from({ length: b }, (_, i) => {
    const row = new Array<number>(b + cols).fill(0);
    for (let j = 0; j < b; j++) row[j] = cov[(t + i) * m + t + j] + (i === j ? noise : 0);
    row[b] = values[i] - mu[t + i];
    for (let k = 0; k < t; k++) row[b + 1 + k] = cov[(t + i) * m + k];
    return row;
  });
  for (let p = 0; p < b; p++) {
    let pivot = p;
    for (let r = p + 1; r < b; r++) if (Math.abs(aug[r][p]) > Math.abs(aug[pivot][p])) pivot = r;
    [aug[p], aug[pivot]] = [aug[pivot], aug[p]];
    for (let r = 0; r < b; r++) {
      if (r === p) continue;
      const f = aug[r][p] / aug[p][p];
      for (let c = p; c < b + cols; c++) aug[r][c] -= f * aug[p][c];
    }
  }
  const solved = aug.map((row, i) => row.slice(b).map((v) => v / aug[i][i]));
  const mean: number[] = [], variance: number[] = [];
  for (let k = 0; k < t; k++) {
    let dm = 0, dv = 0;
    for (let i = 0; i < b; i++) {
      const c = cov[k * m + t + i];
      dm += c * solved[i][0];
      dv += c * solved[i][1 + k];
    }
    mean.push(mu[k] + dm);
    variance.push(cov[k * m + k] - dv);
  }
  return { mean, variance };
}

/** Asserts |actual − expected| ≤ tol·max(1, |expected|) entrywise, naming the entry. */
export const within = (
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
) => {
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
};
