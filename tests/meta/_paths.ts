/**
 * Checks of posterior paths (`samplePaths`) against the surrogate they are drawn from, for the
 * transfer surrogates' tests.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { SamplePath } from "../../lib/gp/pathwise.ts";
import type { Prediction } from "../../lib/models/surrogate.ts";
import { centralDifference } from "../_assert.ts";

/**
 * The paths' values at each of `points` have the predicted mean (within four standard errors) and
 * variance (within a relative `varianceTolerance`).
 */
export function assertPathMoments(
  paths: readonly SamplePath[],
  points: readonly Float64Array[],
  { mean, variance }: Prediction,
  varianceTolerance: number,
): void {
  points.forEach((point, i) => {
    const values = paths.map((path) => path.evaluate([point])[0]);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
    assert.ok(Math.abs(m - mean[i]) < 4 * Math.sqrt(variance[i] / values.length), `mean ${i}`);
    assert.ok(
      Math.abs(v / variance[i] - 1) < varianceTolerance,
      `variance ${i}: ${v} vs ${variance[i]}`,
    );
  });
}

/** A path's value and gradient agree with `evaluate` and its central differences at `points`. */
export function assertPathGradients(path: SamplePath, points: readonly Float64Array[]): void {
  for (const point of points) {
    const { value, gradient } = path.valueAndGradient(point);
    assert.ok(Math.abs(value - path.evaluate([point])[0]) < 1e-10);
    for (let j = 0; j < point.length; j++) {
      const fd = centralDifference((p) => path.evaluate([p])[0], point, j, 1e-6);
      assert.ok(Math.abs(fd - gradient[j]) < 1e-4 * Math.max(1, Math.abs(fd)), `∂${j}`);
    }
  }
}
