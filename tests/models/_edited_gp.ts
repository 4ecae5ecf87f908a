/**
 * The default GP with some of its fitted surrogate's methods replaced: a misbehaving plug-in for
 * the tests of what checks a surrogate's answers.
 *
 * @module
 */
import { gpFactory } from "../../lib/gp/gp.ts";
import type { Surrogate, SurrogateFactory } from "../../lib/models/surrogate.ts";

/**
 * A factory named `name` fitting the default GP, whose surrogates have the methods `edit` gives
 * (from the fitted GP) in place of the GP's; `extra` adds fields to the factory.
 */
export function editedGp(
  name: string,
  edit: (fitted: Surrogate) => Partial<Surrogate>,
  extra: Partial<SurrogateFactory> = {},
): SurrogateFactory {
  const gp = gpFactory();
  return {
    name,
    ...extra,
    fit(points, values, rng, hints) {
      const s = gp.fit(points, values, rng, hints);
      return {
        dim: s.dim,
        predict: (x) => s.predict(x),
        predictWithGradient: (x) => s.predictWithGradient(x),
        sampleJoint: (x, c, r) => s.sampleJoint(x, c, r),
        ...edit(s),
      };
    },
  };
}
