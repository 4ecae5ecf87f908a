/**
 * The numbers the default GP (`gpFactory()`, one-hot categoricals) gives on mixed spaces: fitted
 * log-hyperparameters, predictions with gradients, and short `bayesOpt` runs. Frozen in
 * `fixtures/gp_categorical_baseline.json` before the `categorical: "hamming"` option existed, so
 * tests/gp/gp_categorical_test.ts can show that the default stays bit-identical.
 *
 * Regenerate (only to freeze a deliberate change of the default):
 * `deno run -A tests/gp/_categorical_baseline.ts --write`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { gpFactory, type GpFactoryOptions } from "../../lib/gp/mod.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float, int, type Space } from "../../lib/space/mod.ts";
import { switchBH3H6 } from "../../lib/tasks/synthetic/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

/** Path of the frozen numbers. */
export const BASELINE_PATH = new URL("./fixtures/gp_categorical_baseline.json", import.meta.url);

/** A mixed space: two categoricals (3 and 4 levels), a float and an integer. */
export const MIXED_SPACE: Space = defineSpace({
  opt: categorical(["sgd", "adam", "rms"]),
  lr: float(1e-4, 1e-1, { log: true }),
  act: categorical(["relu", "tanh", "gelu", "silu"]),
  units: int(8, 64),
});

/** A smooth objective with categorical effects on {@linkcode MIXED_SPACE}. */
export function mixedObjective(p: Record<string, unknown>): number {
  const lr = Math.log10(p.lr as number) + 2.5;
  const opt = { sgd: 0.8, adam: 0, rms: 0.4 }[p.opt as string]!;
  const act = { relu: 0.2, tanh: 0.6, gelu: 0, silu: 0.1 }[p.act as string]!;
  return lr * lr + opt + act * (1 + 0.5 * lr) + Math.abs((p.units as number) - 40) / 40;
}

/** What the baseline records of one fit. */
export interface FitRecord {
  theta: number[];
  mean: number[];
  variance: number[];
  meanGradient: number[];
  varianceGradient: number[];
}

/** Fits `options`' factory on `n` design points of `space` and records its numbers. */
export function fitRecord(
  space: Space,
  objective: (u: Float64Array) => number,
  n: number,
  options: GpFactoryOptions | undefined,
  seed: number,
): FitRecord {
  const rng = new Rng(seed);
  const points = space.sampleEncoded(n, rng);
  const values = Float64Array.from(points, objective);
  const factory = options === undefined ? gpFactory() : gpFactory(options);
  const gp = factory.fit(points, values, new Rng(seed + 1), { space, mode: "full" });
  const queries = space.sampleEncoded(4, new Rng(seed + 2));
  // A fractional point too (as L-BFGS-B visits between one-hot corners).
  queries.push(Float64Array.from({ length: space.dim }, (_, j) => (0.37 + 0.13 * j) % 1));
  const { mean, variance } = gp.predict(queries);
  const at = gp.predictWithGradient(queries[4]);
  return {
    theta: Array.from((gp as unknown as { logHyperparameters: Float64Array }).logHyperparameters),
    mean: Array.from(mean),
    variance: Array.from(variance),
    meanGradient: Array.from(at.meanGradient),
    varianceGradient: Array.from(at.varianceGradient),
  };
}

/** Every number of the baseline, for `options` (undefined: `gpFactory()` itself). */
export async function baseline(
  options: GpFactoryOptions | undefined,
): Promise<Record<string, unknown>> {
  const mixed = (u: Float64Array) => mixedObjective(MIXED_SPACE.decode(u));
  const conditional = (u: Float64Array) => switchBH3H6.evaluate(u);
  const withGamma = { ...options, priors: "gamma", mean: "constant" } as GpFactoryOptions;
  const fits = {
    mixed: fitRecord(MIXED_SPACE, mixed, 14, options, 1),
    mixedGamma: fitRecord(MIXED_SPACE, mixed, 14, withGamma, 2),
    conditional: fitRecord(switchBH3H6.space, conditional, 16, options, 3),
  };
  // bayesOpt's own surrogate, or the same options through `options`' factory (a given surrogate
  // otherwise switches the default outcome transform off).
  const surrogate = options === undefined
    ? {}
    : { surrogate: gpFactory(withGamma), outcomeTransform: "yeo-johnson" as const };
  const run = await minimize(
    (p) => mixedObjective(p as Record<string, unknown>),
    MIXED_SPACE,
    {
      budget: 12,
      seed: 0,
      initialDesignSize: 6,
      proposer: bayesOpt({
        ...surrogate,
        rawSamples: 64,
        incumbentSamples: 64,
      }),
    },
  );
  return { fits, bayesOpt: run.trials.map((t) => ({ params: t.params, value: t.value })) };
}

if (import.meta.main && Deno.args.includes("--write")) {
  const numbers = await baseline(undefined);
  writeFileSync(BASELINE_PATH, JSON.stringify(numbers, null, 1) + "\n");
  console.log(`wrote ${BASELINE_PATH.pathname}`);
}
