/**
 * Hard data for the GP at large n: exact duplicates, near-duplicates (1e-12 apart), constant
 * targets and 1e12 outliers. Shared by tests/gp/gp_test.ts (n = 1,000) and the timed command
 * tests/fuzz/gp_numerics.ts (n = 1,000 … 5,000).
 *
 * @module
 */
import assert from "node:assert/strict";
import { Rng } from "../../lib/random/rng.ts";
import type { GaussianProcess } from "../../lib/gp/gp.ts";

/** The kinds of hard targets. */
export type HardTargets = "outliers" | "constant";

/**
 * `n` points of [0, 1]^dim of which 10 % repeat an earlier point exactly and 10 % repeat one
 * up to 1e-12; targets smooth with 1 % outliers of ±1e12, or constant.
 */
export function hardData(
  n: number,
  dim: number,
  kind: HardTargets,
  seed = 0,
): { points: Float64Array[]; values: Float64Array } {
  const rng = new Rng(seed);
  const points: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.uniform();
    if (i > 0 && r < 0.1) points.push(points[rng.integer(i)].slice());
    else if (i > 0 && r < 0.2) {
      points.push(
        points[rng.integer(i)].map((v) => Math.min(1, Math.max(0, v + 1e-12 * rng.normal()))),
      );
    } else points.push(rng.uniforms(dim));
  }
  const values = Float64Array.from(points, (p, i) => {
    if (kind === "constant") return 3.25;
    const smooth = Math.sin(6 * p[0]) + p[1] ** 2 - 0.5 * p[dim - 1];
    return i % 100 === 7 ? (i % 200 === 7 ? 1e12 : -1e12) : smooth;
  });
  return { points, values };
}

/** Predictions at the training points and at fresh points are finite, variances ≥ 0. */
export function checkFinitePredictions(gp: GaussianProcess, points: readonly Float64Array[]): void {
  const rng = new Rng(99);
  const fresh = Array.from({ length: 200 }, () => rng.uniforms(gp.dim));
  for (const set of [points, fresh]) {
    const { mean, variance } = gp.predict(set);
    mean.forEach((m, i) => assert.ok(Number.isFinite(m), `mean[${i}] = ${m}`));
    variance.forEach((v, i) => assert.ok(Number.isFinite(v) && v >= 0, `variance[${i}] = ${v}`));
  }
  const at = gp.predictWithGradient(fresh[0]);
  assert.ok(Number.isFinite(at.mean) && Number.isFinite(at.variance));
  assert.ok(at.meanGradient.every(Number.isFinite) && at.varianceGradient.every(Number.isFinite));
}
