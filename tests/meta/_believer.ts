/**
 * Test helper: a batch proposed by `bayesOpt` with a transfer surrogate (RGPE, TST-R), and the
 * checks that its kriging believer keeps the ensemble and its mean, conditioning the target GP on
 * its own mean.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type AcquisitionBuilder, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { logExpectedImprovement } from "../../lib/acquisition/mod.ts";
import { encodePriorTasks, fitBaseModels } from "../../lib/meta/base_models.ts";
import { WeightedEnsemble } from "../../lib/meta/ensemble.ts";
import type { BaseModel } from "../../lib/meta/base_models.ts";
import type { Surrogate, SurrogateFactory } from "../../lib/models/surrogate.ts";
import { Rng } from "../../lib/random/rng.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { conditioned, within } from "../gp/_conditioned.ts";
import { type GaussianProcess, gpFactory } from "../../lib/gp/gp.ts";

export const space = defineSpace({ a: float(0, 1), b: float(0, 1) });

const bowl = (ca: number, cb: number, wiggle: number) => (p: { a: number; b: number }) =>
  (p.a - ca) ** 2 + (p.b - cb) ** 2 + wiggle * Math.sin(7 * p.a + 3 * p.b);

/** The objective of the target task. */
export const objective = bowl(0.35, 0.55, 0.05);

/** Base models of two related past tasks (20 random trials each). */
export function pastTasks(): BaseModel[] {
  const rng = new Rng(11);
  const tasks = [bowl(0.3, 0.6, 0.05), bowl(0.7, 0.2, 0.1)].map((f, t) => ({
    id: `past${t}`,
    trials: Array.from({ length: 20 }, () => {
      const params = { a: rng.uniform(), b: rng.uniform() };
      return { params, value: f(params) };
    }),
  }));
  return fitBaseModels(encodePriorTasks(tasks, space));
}

/** LogEI, recording the surrogate it is built on. */
function recording(seen: Surrogate[]): AcquisitionBuilder {
  return (surrogate, { best }) => {
    seen.push(surrogate);
    return logExpectedImprovement(surrogate, { best });
  };
}

/**
 * Six observations, then a batch of three: the surrogates the acquisition was built on (the
 * fit, then the fit believing the first chosen point, then the first two) and the batch.
 */
export function batchOf(
  factory: SurrogateFactory,
  seed: number,
): { seen: WeightedEnsemble[]; batch: Float64Array[] } {
  const seen: Surrogate[] = [];
  const study = new SMBO(space, {
    seed,
    proposer: bayesOpt({ surrogate: factory, acquisition: recording(seen), rawSamples: 128 }),
  });
  for (const trial of study.ask(6)) study.tell(trial, objective(trial.params));
  const batch = study.ask(3).map((trial) => space.encode(trial.params));
  assert.equal(seen.length, 3);
  seen.forEach((s) => assert.ok(s instanceof WeightedEnsemble));
  return { seen: seen as WeightedEnsemble[], batch };
}

/** Far corners, random points and the batch itself: where the believer's model is compared. */
export function probes(extra: readonly Float64Array[], seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return [
    Float64Array.of(0, 0),
    Float64Array.of(1, 1),
    Float64Array.of(0, 1),
    Float64Array.of(1, 0),
    ...Array.from({ length: 4 }, () => rng.uniforms(2)),
    ...extra,
  ];
}

/**
 * Asserts that `believer` is `base` with its weights and the target GP conditioned on `extra` at
 * its own posterior mean there (Gaussian conditioning of `base.target`'s joint posterior at its
 * hyperparameters and standardisation): the target GP to 1e-10, its mean unchanged; the
 * ensemble's mean unchanged everywhere and equal to the believed `values` at `extra` (1e-10);
 * neither variance rising anywhere.
 */
export function assertBelieves(
  believer: WeightedEnsemble,
  base: WeightedEnsemble,
  extra: readonly Float64Array[],
  values: readonly number[],
  what: string,
) {
  // The probes and a 6 × 6 grid of the square.
  const grid = Array.from(
    { length: 36 },
    (_, i) => Float64Array.of((i % 6) / 5, Math.floor(i / 6) / 5),
  );
  const at = [...probes(extra, extra.length), ...grid];
  const before = base.target.predict(at);
  const own = base.target.predict(extra).mean;
  const expected = conditioned(base.target, at, [...extra], own);
  const got = believer.target.predict(at);
  within(got.mean, expected.mean, 1e-10, `${what}: target mean`);
  within(got.mean, before.mean, 1e-10, `${what}: target mean unchanged`);
  within(got.variance, expected.variance, 1e-10, `${what}: target variance`);
  for (let i = 0; i < at.length; i++) {
    assert.ok(
      got.variance[i] <= before.variance[i] * (1 + 1e-12),
      `${what}: the target's variance rose at ${i}`,
    );
  }
  assert.deepEqual(believer.weights, base.weights, `${what}: weights`);
  // Only the target member changed, its mean not: the ensemble's mean is where it was, which at
  // the believed points is the believed value; its variance moves by the target's.
  const target = base.members.find((m) => m.id === "target");
  const b = target?.varianceWeight ?? 0;
  const ensemble = base.predict(at);
  const now = believer.predict(at);
  within(now.mean, ensemble.mean, 1e-10, `${what}: ensemble mean`);
  within(believer.predict(extra).mean, values, 1e-10, `${what}: ensemble mean at believed points`);
  within(
    now.variance,
    ensemble.variance.map((v, i) => v + b * (expected.variance[i] - before.variance[i])),
    1e-10,
    `${what}: ensemble variance`,
  );
  for (let i = 0; i < at.length; i++) {
    assert.ok(
      now.variance[i] <= ensemble.variance[i] * (1 + 1e-12),
      `${what}: the ensemble's variance rose at ${i}`,
    );
  }
}

/** Checks every believed surrogate of a batch of `factory` (see {@linkcode assertBelieves}). */
export function assertBatchBelieves(make: () => SurrogateFactory, seeds: readonly number[]) {
  for (const seed of seeds) {
    const { seen, batch } = batchOf(make(), seed);
    // Each chosen point was believed at the mean of the surrogate it was chosen on.
    const believed = batch.slice(0, 2).map((p, k) => seen[k].predict([p]).mean[0]);
    for (let k = 1; k < 3; k++) {
      assertBelieves(
        seen[k],
        seen[0],
        batch.slice(0, k),
        believed.slice(0, k),
        `seed ${seed}, ${k}`,
      );
    }
  }
}

/**
 * A fantasy (`mode: "keep"`) on data that do not extend `first`'s: the target GP is `gpFactory`'s
 * keep refit, the weights are `first`'s, and a fit without hints would recompute other weights.
 */
export function assertFallbackRefit(
  factory: SurrogateFactory,
  first: WeightedEnsemble,
  more: Float64Array[],
  moreValues: Float64Array,
) {
  const kept = factory.fit(more, moreValues, new Rng(1), {
    previous: first,
    mode: "keep",
  }) as WeightedEnsemble;
  const refit = gpFactory().fit(more, moreValues, new Rng(1), {
    previous: first.target,
    mode: "keep",
  }) as GaussianProcess;
  const at = probes(more, 0);
  within(kept.target.predict(at).mean, refit.predict(at).mean, 0, "target mean");
  within(kept.target.predict(at).variance, refit.predict(at).variance, 0, "target variance");
  assert.deepEqual(kept.target.standardization, refit.standardization);
  assert.deepEqual(kept.weights, first.weights);
  // Recomputed, the weights would differ on these data (the fit without hints).
  const fresh = factory.fit(more, moreValues, new Rng(1)) as WeightedEnsemble;
  assert.notDeepEqual(fresh.weights, first.weights);
}
