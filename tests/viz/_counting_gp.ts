/** A test fixture shared by the viz tests: the default GP, counting the predictions asked of it. */
import { gpFactory } from "../../lib/gp/gp.ts";
import { predictMean, type SurrogateFactory } from "../../lib/models/surrogate.ts";

/** The default GP's factory, wrapped so that `calls` counts `predict` and `predictMean` calls. */
export function countingGp(calls: { predict: number; predictMean: number }): SurrogateFactory {
  return {
    name: "counting GP",
    fit: (points, values, rng, hints) => {
      const gp = gpFactory().fit(points, values, rng, hints);
      return {
        dim: gp.dim,
        predict: (xs) => (calls.predict++, gp.predict(xs)),
        predictMean: (xs) => (calls.predictMean++, predictMean(gp, xs)),
        predictWithGradient: (x) => gp.predictWithGradient(x),
        sampleJoint: (xs, count, r) => gp.sampleJoint(xs, count, r),
      };
    },
  };
}
