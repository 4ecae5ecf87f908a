import { tstr } from "../../lib/meta/tstr.ts";
import type { WeightedEnsemble } from "../../lib/meta/ensemble.ts";
import { Rng } from "../../lib/random/rng.ts";
import {
  assertBatchBelieves,
  assertFallbackRefit,
  objective,
  pastTasks,
  space,
} from "./_believer.ts";

const base = pastTasks();

Deno.test("tstr: a batch's kriging believer keeps the weights and the ensemble's mean (the target GP conditioned on its own mean), the variance not rising", () => {
  assertBatchBelieves(() => tstr(base, { bandwidth: 0.5 }), [0, 1]);
});

Deno.test("tstr: a fantasy on data that do not extend the previous fit's refits the target at its hyperparameters, weights kept", () => {
  const rng = new Rng(4);
  const params = Array.from({ length: 8 }, () => ({ a: rng.uniform(), b: rng.uniform() }));
  const points = params.map((p) => space.encode(p));
  const values = Float64Array.from(params, objective);
  const factory = tstr(base, { bandwidth: 0.5 });
  const first = factory.fit(points, values, new Rng(0)) as WeightedEnsemble;
  // A point moved: no prefix, so no conditioning.
  const more = [Float64Array.of(0.9, 0.9), ...points.slice(1), Float64Array.of(0.5, 0.5)];
  const moreValues = Float64Array.of(2, ...values.subarray(1), 0.1);
  assertFallbackRefit(factory, first, more, moreValues);
});
