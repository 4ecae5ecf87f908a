/**
 * Small past tasks for the tests of the learned transfer surrogates (ABLR, FSBO): quadratics
 * along the anti-diagonal of the unit square, and an FSBO model meta-trained on three of them.
 *
 * @module
 */
import { fitFsbo, type FsboModel } from "../../lib/meta/fsbo.ts";

const xs = [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1];

/** A task of 9 points (x, 1 − x) with values (x − c)², named `c<c>`. */
export const quadraticTask = (c: number) => ({
  id: `c${c}`,
  points: xs.map((x) => Float64Array.of(x, 1 - x)),
  values: Float64Array.from(xs, (x) => (x - c) ** 2),
});

/** FSBO meta-trained on the quadratic tasks of c = 0.3, 0.5, 0.7 (4 hidden units, 3 features). */
export function smallFsbo(): FsboModel {
  return fitFsbo([quadraticTask(0.3), quadraticTask(0.5), quadraticTask(0.7)], {
    hidden: 4,
    features: 3,
    metaIterations: 30,
    seed: 1,
  });
}
