import assert from "node:assert/strict";
import { centralDifference } from "../_assert.ts";
import { hasSamplePaths, thompsonSampling } from "../../lib/acquisition/thompson.ts";
import { optimizeAcquisition } from "../../lib/acquisition/optimize.ts";
import { fitGP, type GaussianProcess, gpFactory, type GpFactoryOptions } from "../../lib/gp/mod.ts";
import type { Surrogate, SurrogateFactory } from "../../lib/models/surrogate.ts";
import { Rng } from "../../lib/random/rng.ts";
import { BAYES_OPT_DEFAULTS, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { categorical, defineSpace, float, int, type Space, when } from "../../lib/space/mod.ts";
import { wavySurrogate } from "./_fake_surrogate.ts";

/** A GP on six points of a 1-d function, and one on ten points in 2-d. */
function gp1(): GaussianProcess {
  const x = [0.05, 0.2, 0.4, 0.55, 0.8, 0.95].map((v) => Float64Array.of(v));
  return fitGP(x, x.map((p) => Math.sin(9 * p[0]) + p[0]), { rng: new Rng(0) });
}
function gp2(): GaussianProcess {
  const rng = new Rng(6);
  const x = Array.from({ length: 10 }, () => rng.uniforms(2));
  return fitGP(x, x.map((p) => (p[0] - 0.3) ** 2 + Math.sin(4 * p[1])), { rng: new Rng(0) });
}

const points = [Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.5), Float64Array.of(0.9, 0.3)];

Deno.test('thompsonSampling: sampler "pathwise" is −(one posterior path), the same function at every call, with its gradient', () => {
  const gp = gp2();
  const ts = thompsonSampling(gp, { rng: new Rng(4), sampler: "pathwise" });
  assert.equal(ts.name, "TS");
  assert.equal(ts.sampled, undefined, "one fixed function: values compare across calls");
  assert.equal(typeof ts.valueAndGradient, "function");
  const [path] = gp.samplePaths!(1, new Rng(4));
  const values = ts.evaluate(points);
  assert.deepEqual(Array.from(values), Array.from(path.evaluate(points), (v) => -v));
  assert.deepEqual(ts.evaluate(points), values);
  assert.deepEqual(Array.from(ts.evaluate([points[2], points[0]])), [values[2], values[0]]);
  assert.equal(ts.evaluate([]).length, 0);
  for (const point of points) {
    const { value, gradient } = ts.valueAndGradient!(point);
    assert.ok(Math.abs(value - ts.evaluate([point])[0]) <= 1e-12 * Math.max(1, Math.abs(value)));
    const f = (x: Float64Array) => ts.evaluate([x])[0];
    gradient.forEach((g, t) => {
      const fd = centralDifference(f, point, t);
      assert.ok(Math.abs(g - fd) <= 1e-5 * Math.max(1, Math.abs(fd)), `${g} vs ${fd}`);
    });
  }
  // The number of random features is an option.
  const few = thompsonSampling(gp, { rng: new Rng(4), sampler: "pathwise", features: 16 });
  const [few16] = gp.samplePaths!(1, new Rng(4), { features: 16 });
  assert.deepEqual(Array.from(few.evaluate(points)), Array.from(few16.evaluate(points), (v) => -v));
});

Deno.test("thompsonSampling: the exact joint draw stays the default, bit for bit", () => {
  const gp = gp2();
  const ts = thompsonSampling(gp, { rng: new Rng(9) });
  const explicit = thompsonSampling(gp, { rng: new Rng(9), sampler: "exact" });
  assert.equal(ts.sampled, true);
  assert.equal(ts.valueAndGradient, undefined);
  const [sample] = gp.sampleJoint(points, 1, new Rng(9));
  const expected = Array.from(sample, (v) => -v);
  assert.deepEqual(Array.from(ts.evaluate(points)), expected);
  assert.deepEqual(Array.from(explicit.evaluate(points)), expected);
});

Deno.test("thompsonSampling: a pathwise sample is maximised over the continuous space, not over a fixed set", () => {
  const gp = gp1();
  for (const seed of [1, 2, 3]) {
    const ts = thompsonSampling(gp, { rng: new Rng(seed), sampler: "pathwise" });
    const found = optimizeAcquisition(ts, { dim: 1, rng: new Rng(0), rawSamples: 16 });
    // A fine grid of the same path: L-BFGS-B from 16 raw samples reaches its maximum.
    const grid = Array.from({ length: 5001 }, (_, i) => Float64Array.of(i / 5000));
    const best = Math.max(...ts.evaluate(grid));
    assert.ok(found.value >= best - 1e-7, `seed ${seed}: ${found.value} vs grid ${best}`);
    assert.equal(found.value, ts.evaluate([found.point])[0]);
  }
});

Deno.test("thompsonSampling: pathwise needs samplePaths; bad options and bad paths are named", () => {
  const fake = wavySurrogate(2);
  assert.equal(hasSamplePaths(fake), false);
  assert.equal(hasSamplePaths(gp2()), true);
  assert.throws(
    () => thompsonSampling(fake, { rng: new Rng(0), sampler: "pathwise" }),
    /thompsonSampling: options\.sampler: "pathwise" needs a surrogate with samplePaths/,
  );
  assert.throws(
    () => thompsonSampling(gp2(), { rng: new Rng(0), features: 64 }),
    /thompsonSampling: options\.features: only with sampler: "pathwise"/,
  );
  assert.throws(
    () => thompsonSampling(gp2(), { rng: new Rng(0), sampler: "joint" as never }),
    /thompsonSampling: options\.sampler/,
  );
  assert.throws(
    () => thompsonSampling(gp2(), { rng: new Rng(0), sampler: "pathwise", features: 0 }),
    /thompsonSampling: options\.features: must be a positive integer/,
  );
  assert.throws(
    () => thompsonSampling(gp2(), { sampler: "pathwise" } as never),
    /thompsonSampling: options\.rng: must be an Rng/,
  );
  const junk = (samplePaths: unknown): Surrogate => ({ ...fake, samplePaths } as Surrogate);
  assert.throws(
    () => thompsonSampling(junk(() => []), { rng: new Rng(0), sampler: "pathwise" }),
    /TS: surrogate\.samplePaths\(1, rng\): must return an array of one path/,
  );
  const nan = junk(() => [{
    dim: 2,
    features: 1,
    evaluate: (ps: Float64Array[]) => new Float64Array(ps.length).fill(NaN),
    valueAndGradient: () => ({ value: 0, gradient: Float64Array.of(0, Infinity) }),
  }]);
  const ts = thompsonSampling(nan, { rng: new Rng(0), sampler: "pathwise" });
  assert.throws(() => ts.evaluate(points), /samplePaths\(1, rng\)\[0\]\.evaluate: value\[0\]/);
  assert.throws(() => ts.valueAndGradient!(points[0]), /valueAndGradient: must be finite/);
  assert.throws(() => ts.evaluate([Float64Array.of(0.5)]), /TS\.evaluate: points\[0\]/);
});

/** The default GP factory of `bayesOpt`, counting the fitted GPs' joint draws and paths. */
function countingFactory(options: GpFactoryOptions = BAYES_OPT_DEFAULTS.surrogate) {
  const base = gpFactory(options);
  const calls = { joint: 0, paths: 0 };
  // Counts the draws of a fitted GP and of the GPs conditioned on it (a batch's kriging believer
  // conditions the fitted GP on the points chosen so far rather than fitting again).
  const count = (gp: GaussianProcess): GaussianProcess => {
    const condition = (gp as { condition?: (...args: unknown[]) => GaussianProcess }).condition;
    if (typeof condition === "function") {
      Object.defineProperty(gp, "condition", {
        value: (...args: unknown[]) => count(condition.apply(gp, args)),
      });
    }
    const joint = gp.sampleJoint.bind(gp);
    gp.sampleJoint = (...args) => {
      calls.joint++;
      return joint(...args);
    };
    const paths = gp.samplePaths;
    if (paths !== undefined) {
      Object.defineProperty(gp, "samplePaths", {
        value: (...args: Parameters<typeof paths>) => {
          calls.paths++;
          return paths(...args);
        },
      });
    }
    return gp;
  };
  const factory: SurrogateFactory = {
    ...base,
    fit(points, values, rng, hints) {
      return count(base.fit(points, values, rng, hints) as GaussianProcess);
    },
  };
  return { factory, calls };
}

const cube = defineSpace({
  a: float(-2, 3),
  b: float(0, 1),
  c: int(1, 20),
  d: float(1e-3, 1, { log: true }),
});
const bowl = (p: { a: number; b: number; c: number; d: number }) =>
  (p.a - 0.7) ** 2 + (p.b - 0.2) ** 2 + ((p.c - 7) / 10) ** 2 + Math.log10(p.d / 0.05) ** 2;

Deno.test('bayesOpt "ts": one pathwise sample per proposal, inside the bounds, none repeated, same seed same run', async () => {
  const run = async (seed: number) => {
    const { factory, calls } = countingFactory();
    const result = await minimize(bowl, cube, {
      budget: 16,
      seed,
      proposer: bayesOpt({
        acquisition: "ts",
        surrogate: factory,
        outcomeTransform: "yeo-johnson",
        rawSamples: 256,
        incumbentSamples: 256,
      }),
    });
    return { result, calls };
  };
  const { result, calls } = await run(0);
  const model = result.trials.filter((t) => t.source === "model");
  assert.ok(model.length >= 8, `${model.length} model trials`);
  // Every model proposal maximised a path; no exact joint draw at all.
  assert.equal(calls.paths, model.length);
  assert.equal(calls.joint, 0);
  for (const { params: p } of result.trials) {
    assert.ok(p.a >= -2 && p.a <= 3 && p.b >= 0 && p.b <= 1, JSON.stringify(p));
    assert.ok(Number.isInteger(p.c) && p.c >= 1 && p.c <= 20, JSON.stringify(p));
    assert.ok(p.d >= 1e-3 && p.d <= 1, JSON.stringify(p));
  }
  const keys = result.trials.map((t) => JSON.stringify(t.params));
  assert.equal(new Set(keys).size, keys.length, "no configuration proposed twice");
  const again = await run(0);
  assert.deepEqual(again.result.trials.map((t) => t.params), result.trials.map((t) => t.params));
  const other = await run(1);
  assert.notDeepEqual(other.result.trials.map((t) => t.params), result.trials.map((t) => t.params));
});

Deno.test('bayesOpt "ts": a batch draws one path per point after the kriging believer, and pools use paths too', () => {
  const { factory, calls } = countingFactory();
  const study = new SMBO(cube, {
    seed: 2,
    initialDesignSize: 6,
    proposer: bayesOpt({ acquisition: "ts", surrogate: factory, rawSamples: 128 }),
  });
  for (const trial of study.ask(6)) study.tell(trial, bowl(trial.params));
  const batch = study.ask(3);
  assert.ok(batch.every((t) => t.source === "model"));
  assert.equal(new Set(batch.map((t) => JSON.stringify(t.params))).size, 3);
  assert.deepEqual([calls.paths, calls.joint], [3, 0]);

  const pooled = countingFactory();
  const rng = new Rng(3);
  const candidates = Array.from({ length: 40 }, () => ({ x: rng.uniform(), y: rng.uniform() }));
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const pool = new SMBO(space, {
    seed: 0,
    initialDesignSize: 5,
    candidates,
    proposer: bayesOpt({ acquisition: "ts", surrogate: pooled.factory }),
  });
  for (const trial of pool.ask(5)) pool.tell(trial, (trial.params.x - 0.4) ** 2 + trial.params.y);
  const picked = pool.ask(2);
  assert.ok(picked.every((t) => candidates.some((c) => c.x === t.params.x && c.y === t.params.y)));
  assert.deepEqual([pooled.calls.paths, pooled.calls.joint], [2, 0]);
});

Deno.test('bayesOpt "ts": local search and the categorical (Hamming) kernel keep the exact joint draw', () => {
  const conditional = defineSpace({
    opt: categorical(["sgd", "adam", "rms"]),
    lr: float(1e-4, 1, { log: true }),
    momentum: when({ opt: "sgd" }, float(0, 0.99)),
  });
  const mixed = defineSpace({ c: categorical(["a", "b", "c"]), x: float(0, 1), y: float(0, 1) });
  const cases: {
    space: Space;
    options: Parameters<typeof countingFactory>[0];
    objective: (p: Record<string, unknown>) => number;
  }[] = [
    // A conditional space: local search, whose candidate set is one joint draw.
    {
      space: conditional as unknown as Space,
      options: BAYES_OPT_DEFAULTS.surrogate,
      objective: (p: Record<string, unknown>) => Math.log10(p.lr as number) ** 2,
    },
    // L-BFGS-B, but the mixed categorical kernel has no spectral density: exact draws.
    {
      space: mixed as unknown as Space,
      options: { ...BAYES_OPT_DEFAULTS.surrogate, categorical: "hamming" as const },
      objective: (p: Record<string, unknown>) => (p.x as number) + (p.c === "b" ? 0 : 1),
    },
  ];
  for (const { space, options, objective } of cases) {
    const { factory, calls } = countingFactory(options);
    const study = new SMBO(space, {
      seed: 1,
      initialDesignSize: 5,
      proposer: bayesOpt({ acquisition: "ts", surrogate: factory, rawSamples: 64 }),
    });
    for (const trial of study.ask(5)) study.tell(trial, objective(trial.params));
    assert.equal(study.ask().source, "model");
    assert.equal(calls.paths, 0);
    assert.ok(calls.joint >= 1);
  }
});
