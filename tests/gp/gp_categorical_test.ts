/**
 * `gpFactory({ categorical })` (lib/gp/gp.ts): the default `"one-hot"` is bit-identical to the
 * GP before the option existed (numbers frozen in fixtures/gp_categorical_baseline.json), and
 * `"hamming"` fits BoTorch's mixed kernel when the fit receives the space, with exact posterior
 * input gradients, warm starts, priors and bounds of its own, and deterministic `bayesOpt` runs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  fitGP,
  type GaussianProcess,
  GP_DEFAULTS,
  gpFactory,
  type GpOptions,
  matern52Kernel,
} from "../../lib/gp/mod.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { switchBH3H6 } from "../../lib/tasks/synthetic/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { baseline, BASELINE_PATH, MIXED_SPACE, mixedObjective } from "./_categorical_baseline.ts";

const frozen = JSON.parse(readFileSync(BASELINE_PATH, "utf8"));
/** Numbers as JSON keeps them: every float64 round-trips exactly. */
const asJSON = (value: unknown) => JSON.parse(JSON.stringify(value));

/** `n` design points of MIXED_SPACE and their values. */
function mixedData(n: number, seed: number) {
  const points = MIXED_SPACE.sampleEncoded(n, new Rng(seed));
  const values = Float64Array.from(points, (u) => mixedObjective(MIXED_SPACE.decode(u)));
  return { points, values };
}

Deno.test('gpFactory: the default and categorical: "one-hot" are bit-identical to the frozen baseline', async () => {
  assert.deepEqual(asJSON(await baseline(undefined)), frozen);
  assert.deepEqual(asJSON(await baseline({ categorical: "one-hot" })), frozen);
  // The comparison can fail: the Hamming kernel gives other numbers on the same cases.
  const hamming = asJSON(await baseline({ categorical: "hamming" }));
  assert.notDeepEqual(hamming.fits.mixed, frozen.fits.mixed);
  assert.notDeepEqual(hamming.fits.conditional, frozen.fits.conditional);
  assert.equal(GP_DEFAULTS.categorical, "one-hot");
  assert.equal(gpFactory().name, "gp-matern52");
  assert.equal(gpFactory({ categorical: "hamming" }).name, "gp-matern52-hamming");
});

Deno.test('categorical: "hamming" without a space, or on a space without categoricals, is the plain GP', () => {
  const { points, values } = mixedData(12, 1);
  const at = MIXED_SPACE.sampleEncoded(3, new Rng(9));
  const plain = gpFactory().fit(points, values, new Rng(2)) as GaussianProcess;
  const hamming = gpFactory({ categorical: "hamming" }).fit(points, values, new Rng(2));
  assert.deepEqual((hamming as GaussianProcess).logHyperparameters, plain.logHyperparameters);
  assert.deepEqual(hamming.predict(at), plain.predict(at));
  const numeric = defineSpace({
    a: float(0, 1),
    b: int(1, 9),
    c: float(-2, 2),
  });
  const x = numeric.sampleEncoded(10, new Rng(3));
  const y = Float64Array.from(x, (u) => Math.sin(5 * u[0]) + u[1] * u[2]);
  const a = gpFactory().fit(x, y, new Rng(4), { space: numeric }) as GaussianProcess;
  const b = gpFactory({ categorical: "hamming" }).fit(x, y, new Rng(4), { space: numeric });
  assert.deepEqual((b as GaussianProcess).logHyperparameters, a.logHyperparameters);
  assert.equal((b as GaussianProcess).kernel.name, "matern52");
});

Deno.test('categorical: "hamming" with the space fits the mixed kernel: one lengthscale per categorical per term', () => {
  const { points, values } = mixedData(16, 2);
  const factory = gpFactory({ categorical: "hamming", priors: "gamma", mean: "constant" });
  const gp = factory.fit(points, values, new Rng(3), { space: MIXED_SPACE }) as GaussianProcess;
  assert.equal(gp.kernel.name, "mixed(matern52,hamming)");
  // Columns: opt 0–2, lr 3, act 4–7, units 8. One-hot: 9 lengthscales + outputscale.
  assert.deepEqual(gp.hyperparameters.names, [
    "sum.lengthscale[3]",
    "sum.lengthscale[8]",
    "sum.outputscale",
    "sum.categorical[0]",
    "sum.categorical[1]",
    "sum.categorical.outputscale",
    "product.lengthscale[3]",
    "product.lengthscale[8]",
    "product.outputscale",
    "product.categorical[0]",
    "product.categorical[1]",
    "noise",
  ]);
  assert.equal(gp.hyperparameters.lengthscales.length, 4); // the continuous ones
  assert.equal(gp.hyperparameters.outputscales.length, 3);
  const { lower, upper } = { lower: Math.log(1e-3) - 1e-12, upper: Math.log(1e3) + 1e-12 };
  for (const t of gp.logHyperparameters.subarray(0, -1)) assert.ok(t >= lower && t <= upper);
  // It interpolates its data as well as the one-hot GP (a loose sanity bound).
  const { mean } = gp.predict(points);
  const rmse = Math.sqrt(mean.reduce((s, m, i) => s + (m - values[i]) ** 2, 0) / values.length);
  assert.ok(rmse < 0.1, `in-sample rmse ${rmse}`);
  // The posterior's input gradients: finite differences in the numeric columns, zero in the
  // one-hot columns (the kernel sees their argmax levels), at a fractional point.
  const u = Float64Array.of(0.2, 0.5, 0.3, 0.41, 0.1, 0.2, 0.6, 0.3, 0.55);
  const pred = gp.predictWithGradient(u);
  const direct = gp.predict([u]);
  assert.ok(Math.abs(pred.mean - direct.mean[0]) < 1e-12);
  for (let t = 0; t < u.length; t++) {
    const h = 1e-6;
    const plus = u.slice(), minus = u.slice();
    plus[t] += h;
    minus[t] -= h;
    const [p, m] = [gp.predict([plus]), gp.predict([minus])];
    const dm = (p.mean[0] - m.mean[0]) / (2 * h), dv = (p.variance[0] - m.variance[0]) / (2 * h);
    assert.ok(Math.abs(pred.meanGradient[t] - dm) < 1e-5 * Math.max(1, Math.abs(dm)), `dμ ${t}`);
    assert.ok(
      Math.abs(pred.varianceGradient[t] - dv) < 1e-5 * Math.max(1, Math.abs(dv)),
      `dσ² ${t}`,
    );
    if (t !== 3 && t !== 8) {
      assert.equal(pred.meanGradient[t], 0);
      assert.equal(pred.varianceGradient[t], 0);
    }
  }
  assert.ok(Math.abs(pred.meanGradient[3]) > 1e-3, "a numeric column moves the mean");
});

Deno.test('categorical: "hamming" warm starts and keeps hyperparameters as the one-hot GP does', () => {
  const { points, values } = mixedData(14, 4);
  const factory = gpFactory({ categorical: "hamming" });
  const hints = { space: MIXED_SPACE };
  const first = factory.fit(points.slice(0, 12), values.subarray(0, 12), new Rng(1), hints);
  const state = asJSON(factory.warmStartState!(first));
  assert.equal(state.kernel.length, 11);
  const at = MIXED_SPACE.sampleEncoded(3, new Rng(5));
  for (const mode of ["warm-start", "keep"] as const) {
    const a = factory.fit(points, values, new Rng(2), { ...hints, previous: first, mode });
    const b = factory.fit(points, values, new Rng(2), { ...hints, previousState: state, mode });
    assert.deepEqual(
      (b as GaussianProcess).logHyperparameters,
      (a as GaussianProcess).logHyperparameters,
    );
    assert.deepEqual(b.predict(at), a.predict(at));
  }
  const kept = factory.fit(points, values, new Rng(2), { ...hints, previous: first, mode: "keep" });
  assert.deepEqual(
    (kept as GaussianProcess).hyperparameters.kernel,
    (first as GaussianProcess).hyperparameters.kernel,
  );
  // A one-hot state (another kernel size) is ignored: a fit from scratch.
  const oneHot = gpFactory().fit(points, values, new Rng(1), hints);
  const scratch = factory.fit(points, values, new Rng(2), hints) as GaussianProcess;
  const fromOther = factory.fit(points, values, new Rng(2), {
    ...hints,
    previous: oneHot,
  }) as GaussianProcess;
  assert.deepEqual(fromOther.logHyperparameters, scratch.logHyperparameters);
});

Deno.test('categorical: "hamming" priors and bounds of the categorical lengthscales', () => {
  const { points, values } = mixedData(14, 6);
  const hints = { space: MIXED_SPACE, mode: "full" as const };
  const categoricalAt = [3, 4, 9, 10];
  const fit = (options: Parameters<typeof gpFactory>[0]) =>
    gpFactory({ categorical: "hamming", ...options }).fit(
      points,
      values,
      new Rng(1),
      hints,
    ) as GaussianProcess;
  const flat = fit({});
  const narrow = fit({ bounds: { categoricalLengthscale: [0.5, 2] } });
  for (const j of categoricalAt) {
    const v = narrow.hyperparameters.kernel[j];
    assert.ok(v >= 0.5 - 1e-12 && v <= 2 + 1e-12, `${narrow.hyperparameters.names[j]} = ${v}`);
  }
  const tight = fit({
    priors: { categoricalLengthscale: { type: "lognormal", loc: 0, scale: 0.05 } },
  });
  for (const j of categoricalAt) {
    assert.ok(Math.abs(tight.logHyperparameters[j]) < 0.3, tight.hyperparameters.names[j]);
  }
  assert.notDeepEqual(tight.logHyperparameters, flat.logHyperparameters);
  assert.deepEqual(GP_DEFAULTS.categoricalLengthscalePrior, { type: "flat" });
  assert.deepEqual(GP_DEFAULTS.bounds.categoricalLengthscale, [1e-3, 1e3]);
  // The continuous lengthscales' log-normal prior is scaled by the 2 continuous columns.
  const fixed = gpFactory({
    categorical: "hamming",
    hyperparameters: { kernel: Array.from(flat.hyperparameters.kernel), noise: 1e-3 },
  }).fit(points, values, new Rng(1), hints) as GaussianProcess;
  const manual = fitGP(points, values, {
    kernel: fixed.kernel,
    priors: {
      lengthscale: { type: "lognormal", loc: Math.SQRT2 + 0.5 * Math.log(2), scale: Math.sqrt(3) },
    },
    hyperparameters: { kernel: Array.from(flat.hyperparameters.kernel), noise: 1e-3 },
  });
  assert.equal(fixed.fit.logPosterior, manual.fit.logPosterior);
});

Deno.test("gpFactory and fitGP reject categorical options they cannot honour", () => {
  assert.throws(
    () => gpFactory({ categorical: "hamming", kernel: matern52Kernel(2) }),
    /gpFactory: options.kernel: categorical: "hamming" needs a kernel name/,
  );
  assert.throws(() => gpFactory({ categorical: "binary" as "hamming" }), /options.categorical/);
  assert.throws(
    () => fitGP([Float64Array.of(0)], [1], { categorical: "hamming" } as GpOptions),
    /fitGP: options.*categorical/,
  );
  const { points, values } = mixedData(6, 7);
  const other = defineSpace({ a: categorical(["x", "y"]), b: float(0, 1) });
  assert.throws(
    () => gpFactory({ categorical: "hamming" }).fit(points, values, new Rng(0), { space: other }),
    /gpFactory: hints.space has 3 columns, the points 9/,
  );
});

Deno.test("bayesOpt with the Hamming GP completes and is deterministic with a seed", async () => {
  const run = async (seed: number) => {
    const result = await minimize(
      (p) => mixedObjective(p as Record<string, unknown>),
      MIXED_SPACE,
      {
        budget: 14,
        seed,
        initialDesignSize: 6,
        proposer: bayesOpt({
          surrogate: gpFactory({ categorical: "hamming", priors: "gamma", mean: "constant" }),
          rawSamples: 128,
          incumbentSamples: 128,
        }),
      },
    );
    return result.trials.map((t) => ({ params: t.params, value: t.value }));
  };
  const a = await run(0), b = await run(0), c = await run(1);
  assert.equal(a.length, 14);
  assert.ok(a.every((t) => Number.isFinite(t.value)));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // The conditional switch (local search; inactive categoricals are their own level).
  const conditional = async () =>
    (await minimize((p) => switchBH3H6.objective(p as never), switchBH3H6.space, {
      budget: 10,
      seed: 3,
      initialDesignSize: 6,
      proposer: bayesOpt({ surrogate: gpFactory({ categorical: "hamming" }) }),
    })).trials.map((t) => t.value);
  const first = await conditional();
  assert.equal(first.length, 10);
  assert.deepEqual(await conditional(), first);
});
