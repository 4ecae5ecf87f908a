import assert from "node:assert/strict";
import { type AcquisitionBuilder, BAYES_OPT_DEFAULTS, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { logExpectedImprovement } from "../../lib/acquisition/mod.ts";
import { type GaussianProcess, gpFactory } from "../../lib/gp/gp.ts";
import { standardizeTargets } from "../../lib/gp/standardize.ts";
import { yeoJohnson } from "../../lib/models/outcome_transform.ts";
import type { Surrogate, SurrogateFactory } from "../../lib/models/surrogate.ts";
import { Rng } from "../../lib/random/rng.ts";
import { hartmann3 } from "../../lib/tasks/synthetic/mod.ts";
import { conditioned, within } from "../gp/_conditioned.ts";

/** LogEI, recording the surrogate it is built on. */
function recording(seen: Surrogate[]): AcquisitionBuilder {
  return (surrogate, { best }) => {
    seen.push(surrogate);
    return logExpectedImprovement(surrogate, { best });
  };
}

/** Far corners, random points and `extra` itself: where the believer's model is compared. */
function probes(extra: Float64Array[], seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return [
    Float64Array.of(0.95, 0.95, 0.05),
    Float64Array.of(0.05, 0.9, 0.9),
    Float64Array.of(0, 0, 0),
    ...Array.from({ length: 5 }, () => rng.uniforms(3)),
    ...extra,
  ];
}

/** The model `believer` must be: `base` conditioned on `extra` at its own posterior mean. */
function assertBelieves(
  believer: Surrogate,
  base: GaussianProcess,
  extra: Float64Array[],
  what: string,
) {
  const at = probes(extra, extra.length);
  const expected = conditioned(base, at, extra, base.predict(extra).mean);
  const got = believer.predict(at);
  within(got.mean, expected.mean, 1e-10, `${what} mean`);
  within(got.variance, expected.variance, 1e-10, `${what} variance`);
  // Conditioning on more data at fixed hyperparameters never raises the variance.
  const before = base.predict(at).variance;
  for (let i = 0; i < at.length; i++) {
    assert.ok(got.variance[i] <= before[i] * (1 + 1e-12), `${what}: variance rose at ${i}`);
  }
}

const encode = (params: Record<string, number>) => hartmann3.space.encode(params as never);
const value = (params: Record<string, number>) => hartmann3.evaluate(encode(params));

Deno.test("bayesOpt: a batch's kriging believer is the fitted GP conditioned on the chosen points, in its units", () => {
  for (const seed of [0, 1, 2]) {
    const seen: Surrogate[] = [];
    const study = new SMBO(hartmann3.space, {
      seed,
      proposer: bayesOpt({ acquisition: recording(seen), rawSamples: 256, restarts: 2 }),
    });
    for (const trial of study.ask(7)) study.tell(trial, value(trial.params));
    const batch = study.ask(4).map((trial) => encode(trial.params));
    assert.equal(seen.length, 4);
    const base = seen[0] as GaussianProcess;
    for (let k = 1; k < 4; k++) {
      assertBelieves(seen[k], base, batch.slice(0, k), `seed ${seed}, point ${k}`);
    }
  }
});

Deno.test("bayesOpt: pending trials are believed with the outcome transform fitted to the observations", () => {
  const fits: { values: Float64Array; surrogate: GaussianProcess }[] = [];
  const base = gpFactory(BAYES_OPT_DEFAULTS.surrogate);
  const factory: SurrogateFactory = {
    ...base,
    fit: (points, values, rng, hints) => {
      const surrogate = base.fit(points, values, rng, hints);
      if (hints?.mode !== "keep") {
        fits.push({ values: Float64Array.from(values), surrogate: surrogate as GaussianProcess });
      }
      return surrogate;
    },
  };
  const seen: Surrogate[] = [];
  const study = new SMBO(hartmann3.space, {
    seed: 3,
    proposer: bayesOpt({
      surrogate: factory,
      outcomeTransform: "yeo-johnson",
      acquisition: recording(seen),
      rawSamples: 256,
      restarts: 2,
    }),
  });
  const observed: number[] = [];
  for (const trial of study.ask(7)) {
    observed.push(value(trial.params));
    study.tell(trial, observed.at(-1)!);
  }
  const first = study.ask(); // still running: pending at the next ask
  const second = study.ask();
  assert.equal(fits.length, 2);
  assert.equal(seen.length, 2);
  // The model saw the observations standardised, then Yeo–Johnson transformed: the believed
  // value joins them in those units, with neither transform refitted.
  const transformed = yeoJohnson(standardizeTargets(observed).scaled).values;
  assert.deepEqual(fits[1].values, transformed);
  assertBelieves(seen[1], fits[1].surrogate, [encode(first.params)], "pending");
  study.tell(first, value(first.params));
  study.tell(second, value(second.params));
});
