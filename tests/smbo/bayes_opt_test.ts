import assert from "node:assert/strict";
import {
  type AcquisitionContext,
  BAYES_OPT_DEFAULTS,
  bayesOpt,
  type BayesOptOptions,
  chooseAcquisitionOptimizer,
} from "../../lib/smbo/bayes_opt.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { logExpectedImprovement, thompsonSampling } from "../../lib/acquisition/mod.ts";
import { LOCAL_SEARCH_DEFAULTS } from "../../lib/acquisition/local_search.ts";
import { categorical, defineSpace, float, int, when } from "../../lib/space/mod.ts";
import type { Space, SpaceDefinition } from "../../lib/space/space.ts";
import type { Surrogate } from "../../lib/models/surrogate.ts";
import { Rng } from "../../lib/random/rng.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import { randomForest } from "../../lib/models/random_forest.ts";
import { yeoJohnson } from "../../lib/models/outcome_transform.ts";
import { standardizeTargets } from "../../lib/gp/standardize.ts";
import {
  memoryRun,
  RESUME_SEEDS,
  RESUME_SPACE,
  type ResumeFixture,
  resumeObjective,
  type ResumeParams,
} from "./_resume_cases.ts";

const square = defineSpace({ x: float(0, 1), y: float(0, 1) });
const bowl = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2;

Deno.test("bayesOpt: exploration options are validated with the field named", () => {
  assert.throws(() => bayesOpt({ incumbentSamples: -1 }), /incumbentSamples/);
  assert.throws(() => bayesOpt({ incumbentScale: 0 }), /incumbentScale/);
  assert.throws(
    () => bayesOpt({ startSelection: "random" as "best" }),
    /startSelection/,
  );
  // A misspelt acquisition name lists the names (it was "Invalid input": the option is a union).
  assert.throws(
    () => bayesOpt({ acquisition: "logEI" as "logei" }),
    /^TypeError: bayesOpt options\.acquisition: must be one of "logei", "ei", "pi", "logpi", "lcb", "ts", "lognormal-ei", "lognei"$/,
  );
});

Deno.test("bayesOpt: incumbent-biased and Boltzmann settings are reproducible and refine the optimum", async () => {
  const run = (seed: number) =>
    minimize(bowl, square, {
      budget: 15,
      seed,
      proposer: bayesOpt({
        incumbentSamples: 128,
        incumbentScale: 1e-2,
        startSelection: "boltzmann",
      }),
    });
  const first = await run(3);
  const again = await run(3);
  assert.deepEqual(
    again.trials.map((t) => t.params),
    first.trials.map((t) => t.params),
  );
  assert.ok(first.best.value < 1e-4, `best value ${first.best.value}`);
});

Deno.test("bayesOpt: with incumbent samples a well-sampled bowl gets a proposal near its minimum", () => {
  // 40 random points of a bowl with its minimum at (0.5, 0.5): the raw samples drawn around the
  // best points by posterior mean join the Sobol ones; the proposal stays in the cube, near the
  // minimum.
  const rng = new Rng(0);
  const points = Array.from({ length: 40 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => (p[0] - 0.5) ** 2 + (p[1] - 0.5) ** 2);
  const proposer = bayesOpt({ incumbentSamples: 64, incumbentScale: 1e-3, rawSamples: 64 });
  const [point] = proposer.propose({
    dim: 2,
    points,
    values,
    pending: [],
    project: (u) => u,
    rng: new Rng(1),
    memory: new Map(),
  }, 1);
  assert.equal(point.length, 2);
  assert.ok(point.every((v) => v >= 0 && v <= 1));
  assert.ok(Math.hypot(point[0] - 0.5, point[1] - 0.5) < 0.25, `proposal ${point}`);
});

Deno.test("bayesOpt: documented defaults", () => {
  assert.equal(BAYES_OPT_DEFAULTS.acquisition, "logei");
  assert.equal(BAYES_OPT_DEFAULTS.startSelection, "best");
  assert.equal(BAYES_OPT_DEFAULTS.incumbentSamples, 1024);
  assert.deepEqual(BAYES_OPT_DEFAULTS.incumbentScale, [1e-3, 0.1]);
  assert.equal(BAYES_OPT_DEFAULTS.outcomeTransform, "yeo-johnson");
});

Deno.test("bayesOpt: the outcome transform applies to the default GP and on request only", () => {
  const seen: Float64Array[] = [];
  const spy = gpFactory({ kernel: "matern52", priors: "gamma" });
  const recording = {
    name: "spy",
    fit: (...args: Parameters<typeof spy.fit>) => {
      seen.push(Float64Array.from(args[1]));
      return spy.fit(...args);
    },
  };
  const rng = new Rng(0);
  const points = Array.from({ length: 12 }, () => rng.uniforms(2));
  const values = Float64Array.from(points, (p) => Math.exp(10 * p[0]));
  const context = () => ({
    dim: 2,
    points,
    values,
    pending: [],
    project: (u: Float64Array) => u,
    rng: new Rng(1),
    memory: new Map(),
  });
  bayesOpt({ surrogate: recording, rawSamples: 32 }).propose(context(), 1);
  const standardized = standardizeTargets(values).scaled;
  assert.deepEqual(
    seen.at(-1),
    standardized,
    "a custom surrogate gets the standardised, untransformed values by default",
  );
  bayesOpt({ surrogate: recording, rawSamples: 32, outcomeTransform: "yeo-johnson" })
    .propose(context(), 1);
  assert.deepEqual(seen.at(-1), yeoJohnson(standardized).values);
  assert.throws(() => bayesOpt({ outcomeTransform: "log" as "none" }), /outcomeTransform/);
});

Deno.test("acquisition builders see the observations standardised, and the pending points", () => {
  const seen: AcquisitionContext[] = [];
  const study = new SMBO(defineSpace({ x: float(0, 1) }), {
    seed: 0,
    initialDesignSize: 4,
    proposer: bayesOpt({
      acquisition: (surrogate, context) => {
        seen.push(context);
        return logExpectedImprovement(surrogate, { best: context.best });
      },
    }),
  });
  const values = [1e300, -1e300, 5, 1e-300];
  study.ask(4).forEach((t, i) => study.tell(t, values[i]));
  const running = study.ask(); // pending while the batch below is chosen
  study.ask(2);
  assert.equal(seen.length, 3, "one build for the single point, two for the batch");
  for (const context of seen) {
    assert.equal(context.points.length, 4);
    const v = Array.from(context.values);
    const mean = v.reduce((a, b) => a + b, 0) / 4;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(variance - 1) < 1e-12, `${v}`);
    assert.equal(context.best, Math.min(...v));
    assert.ok(v.every(Number.isFinite));
  }
  assert.equal(seen[0].pending.length, 0);
  // The batch: first the running trial, then also the point chosen before.
  assert.equal(seen[1].pending.length, 1);
  assert.deepEqual(Array.from(seen[1].pending[0]), [study.space.encode(running.params)[0]]);
  assert.equal(seen[2].pending.length, 2);
});

Deno.test('bayesOpt: incumbentValue "predicted" compares against the lowest posterior mean', () => {
  const bests: Record<string, number[]> = { observed: [], predicted: [] };
  const points = [0.1, 0.35, 0.6, 0.9].map((v) => Float64Array.of(v));
  const values = Float64Array.of(3, -2, 1, 4);
  const surrogate = randomForest({ nTrees: 5 });
  for (const incumbentValue of ["observed", "predicted"] as const) {
    const proposer = bayesOpt({
      surrogate,
      incumbentValue,
      acquisitionOptimizer: "local-search",
      localSearch: { randomSamples: 50, localStarts: 1, randomStarts: 1 },
      acquisition: (model, context) => {
        bests[incumbentValue].push(context.best);
        return logExpectedImprovement(model, { best: context.best });
      },
    });
    proposer.propose({
      dim: 1,
      points,
      values,
      pending: [],
      project: (u) => u,
      rng: new Rng(4),
      memory: new Map(),
    }, 1);
  }
  // Standardised values: the observed incumbent is the lowest of them.
  const standardized = standardizeTargets(values).scaled;
  assert.equal(bests.observed[0], Math.min(...standardized));
  // The same forest (same rng) fitted again: its lowest mean over the observed points, which
  // the bootstrap pulls above the lowest observation.
  const mean = surrogate.fit(points, standardized, new Rng(4)).predictMean!(points);
  assert.equal(bests.predicted[0], Math.min(...mean));
  assert.ok(bests.predicted[0] > bests.observed[0]);
  assert.throws(
    () => bayesOpt({ incumbentValue: "mean" as "observed" }),
    /bayesOpt options\.incumbentValue/,
  );
});

Deno.test("bayesOpt: acquisitionOptimizer is validated with the field named", () => {
  assert.throws(
    () => bayesOpt({ acquisitionOptimizer: "adam" as "auto" }),
    /bayesOpt options\.acquisitionOptimizer/,
  );
  assert.throws(() => bayesOpt({ localSearch: { maxSteps: 0 } }), /localSearch\.maxSteps/);
  assert.throws(
    () => bayesOpt({ localSearch: { improvement: "steepest" as "best" } }),
    /localSearch\.improvement/,
  );
  assert.throws(
    () => bayesOpt({ localSearch: { bogus: 1 } as never }),
    /localSearch\.bogus: unknown key/,
  );
});

Deno.test("chooseAcquisitionOptimizer: the auto rule", () => {
  const continuous = defineSpace({ a: float(0, 1), b: categorical(["x", "y"]), c: int(1, 4) });
  const mostlyCategorical = defineSpace({
    a: categorical([1, 2]),
    b: categorical(["x", "y"]),
    c: float(0, 1),
  });
  const conditional = defineSpace({
    opt: categorical(["sgd", "adam"]),
    momentum: when({ opt: "sgd" }, float(0, 1)),
    lr: float(0, 1),
    units: int(1, 8),
  });
  assert.equal(chooseAcquisitionOptimizer({}, continuous), "lbfgsb");
  assert.equal(chooseAcquisitionOptimizer({}), "lbfgsb");
  assert.equal(chooseAcquisitionOptimizer({}, mostlyCategorical), "local-search");
  assert.equal(chooseAcquisitionOptimizer({}, conditional), "local-search");
  assert.equal(chooseAcquisitionOptimizer({ gradients: false }, continuous), "local-search");
  assert.equal(chooseAcquisitionOptimizer({ fitted: { gradients: false } }), "local-search");
  assert.equal(chooseAcquisitionOptimizer({ gradients: true }, continuous), "lbfgsb");
  // the random forest declares that it has no useful gradients
  assert.equal(chooseAcquisitionOptimizer(randomForest(), continuous), "local-search");
});

const conditionalSpace = defineSpace({
  opt: categorical(["sgd", "adam", "rms"]),
  lr: float(1e-4, 1, { log: true }),
  momentum: when({ opt: "sgd" }, float(0, 0.99)),
  beta: when({ opt: "adam" }, float(0, 1)),
  n: int(1, 9),
});

function conditionalObjective(p: Record<string, unknown>): number {
  conditionalSpace.validate(p);
  const branch = p.opt === "sgd"
    ? ((p.momentum as number) - 0.9) ** 2
    : p.opt === "adam"
    ? 0.1 + ((p.beta as number) - 0.3) ** 2
    : 1;
  return (Math.log10(p.lr as number) + 2) ** 2 + branch + ((p.n as number) - 4) ** 2 / 10;
}

Deno.test("bayesOpt: local search on a conditional space is reproducible, beats random search and passes active parameters only", async () => {
  for (const acquisitionOptimizer of ["local-search", "auto"] as const) {
    const run = (seed: number) =>
      minimize(conditionalObjective, conditionalSpace, {
        budget: 25,
        seed,
        proposer: bayesOpt({ acquisitionOptimizer, localSearch: { randomSamples: 500 } }),
      });
    const first = await run(1);
    const again = await run(1);
    assert.deepEqual(again.trials.map((t) => t.params), first.trials.map((t) => t.params));
    assert.equal(first.trials.filter((t) => t.status === "failed").length, 0);
    const random = await minimize(conditionalObjective, conditionalSpace, {
      budget: 25,
      seed: 1,
      proposer: randomSearch(),
    });
    assert.ok(first.best.value < random.best.value, `${first.best.value} vs ${random.best.value}`);
  }
});

Deno.test("bayesOpt: local search with q > 1 gives distinct points and respects pending ones", () => {
  const study = new SMBO(conditionalSpace, {
    seed: 2,
    proposer: bayesOpt({
      acquisitionOptimizer: "local-search",
      localSearch: { randomSamples: 300 },
    }),
  });
  for (const trial of study.ask(12)) study.tell(trial, conditionalObjective(trial.params));
  const batch = study.ask(3);
  assert.ok(batch.every((t) => t.source === "model"));
  const pendingKeys = batch.map((t) => JSON.stringify(t.params));
  assert.equal(new Set(pendingKeys).size, 3);
  const next = study.ask(2);
  for (const t of next) assert.ok(!pendingKeys.includes(JSON.stringify(t.params)));
  for (const t of [...batch, ...next]) assert.ok(conditionalSpace.contains(t.params));
});

Deno.test("bayesOpt: gradient-free surrogates are searched without gradients, also with lbfgsb", () => {
  const gp = gpFactory({});
  let gradientCalls = 0;
  const factory = {
    name: "no-gradients",
    gradients: false,
    fit: (...args: Parameters<typeof gp.fit>) => {
      const fitted = gp.fit(...args);
      return {
        dim: fitted.dim,
        gradients: false,
        predict: (p: readonly Float64Array[]) => fitted.predict(p),
        predictWithGradient: (p: Float64Array) => {
          gradientCalls++;
          return fitted.predictWithGradient(p);
        },
        sampleJoint: fitted.sampleJoint.bind(fitted),
      };
    },
  };
  for (const acquisitionOptimizer of ["auto", "lbfgsb", "local-search"] as const) {
    const study = new SMBO(square, {
      seed: 0,
      proposer: bayesOpt({ surrogate: factory, acquisitionOptimizer, rawSamples: 64 }),
    });
    for (const trial of study.ask(6)) study.tell(trial, bowl(trial.params));
    const trial = study.ask();
    assert.ok(square.contains(trial.params));
  }
  assert.equal(gradientCalls, 0);
});

Deno.test("bayesOpt: log-scaled outcomes with log-normal EI find the bowl", async () => {
  const result = await minimize((p) => bowl(p) + 1e-3, square, {
    budget: 20,
    seed: 0,
    proposer: bayesOpt({
      acquisition: "lognormal-ei",
      outcomeTransform: "log-scaled",
      acquisitionOptimizer: "local-search",
      localSearch: { randomSamples: 500 },
    }),
  });
  assert.ok(result.best.value < 0.01, `best ${result.best.value}`);
});

Deno.test("bayesOpt: retrainAfter k fits once per k proposals, proposes distinct unevaluated points, reproducibly", async () => {
  const run = async (retrainAfter: number | undefined, seed: number) => {
    const forest = randomForest({ nTrees: 5 });
    let fits = 0;
    const counting = {
      name: forest.name,
      gradients: false,
      fit: (...args: Parameters<typeof forest.fit>) => {
        fits++;
        return forest.fit(...args);
      },
    };
    const result = await minimize(bowl, square, {
      budget: 14,
      seed,
      initialDesignSize: 2,
      proposer: bayesOpt({
        surrogate: counting,
        acquisition: "lognormal-ei",
        outcomeTransform: "log-scaled",
        localSearch: { randomSamples: 200 },
        ...(retrainAfter === undefined ? {} : { retrainAfter }),
      }),
    });
    return { fits, points: result.trials.map((t) => [t.params.x, t.params.y]) };
  };
  // 12 model proposals: one fit each by default, one per 4 with retrainAfter 4.
  assert.equal((await run(undefined, 0)).fits, 12);
  const listed = await run(4, 0);
  assert.equal(listed.fits, 3);
  const keys = listed.points.map((p) => p.join(","));
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual((await run(4, 0)).points, listed.points);
  assert.notDeepEqual((await run(4, 1)).points, listed.points);
  assert.equal(BAYES_OPT_DEFAULTS.retrainAfter, 1);
  assert.throws(() => bayesOpt({ retrainAfter: 0 }), /retrainAfter/);
  assert.throws(() => bayesOpt({ retrainAfter: 1.5 }), /retrainAfter/);
});

Deno.test("bayesOpt: retrainAfter in pool mode proposes unused pool members, one fit per k", async () => {
  const rng = new Rng(5);
  const pool = Array.from({ length: 30 }, () => ({ x: rng.uniform(), y: rng.uniform() }));
  const forest = randomForest({ nTrees: 5 });
  let fits = 0;
  const result = await minimize(bowl, square, {
    budget: 12,
    seed: 0,
    initialDesignSize: 3,
    candidates: pool,
    proposer: bayesOpt({
      surrogate: {
        ...forest,
        fit: (...a: Parameters<typeof forest.fit>) => (fits++, forest.fit(...a)),
      },
      retrainAfter: 3,
    }),
  });
  assert.equal(fits, 3);
  const keys = result.trials.map((t) => `${t.params.x},${t.params.y}`);
  assert.equal(new Set(keys).size, 12);
  const members = new Set(pool.map((p) => `${p.x},${p.y}`));
  assert.ok(keys.every((k) => members.has(k)));
});

/**
 * Thompson sampling with the default proposer on `space` (local search by the auto rule): each
 * proposed point is the best of one joint posterior draw, and the recorded draws change nothing.
 */
function checkThompsonDraws<D extends SpaceDefinition>(
  space: Space<D>,
  objective: (p: Record<string, unknown>) => number,
): void {
  assert.equal(chooseAcquisitionOptimizer({}, space), "local-search");
  const draws: { points: Float64Array[]; values: Float64Array }[] = [];
  // Thompson sampling as `acquisition: "ts"` builds it, with its joint draws recorded.
  const recorded = (surrogate: Surrogate, context: AcquisitionContext) => {
    const ts = thompsonSampling(surrogate, { rng: context.rng });
    return {
      ...ts,
      evaluate: (points: readonly Float64Array[]) => {
        const values = ts.evaluate(points);
        draws.push({ points: [...points], values });
        return values;
      },
    };
  };
  const run = (acquisition: "ts" | typeof recorded) => {
    const study = new SMBO(space, {
      seed: 3,
      initialDesignSize: 6,
      proposer: bayesOpt({ acquisition }),
    });
    for (const trial of study.ask(6)) study.tell(trial, objective(trial.params));
    draws.length = 0;
    const single = study.ask();
    assert.equal(single.source, "model");
    const singleDraws = draws.splice(0);
    const batch = study.ask(3);
    return { single, singleDraws, batch, batchDraws: draws.splice(0) };
  };
  const { single, singleDraws, batch, batchDraws } = run(recorded);
  const argBest = ({ points, values }: (typeof draws)[number]) =>
    space.decode(points[values.indexOf(Math.max(...values))]);
  // One joint draw for the proposal, over at most maxCandidates points, and its best point.
  assert.equal(singleDraws.length, 1);
  assert.ok(singleDraws[0].points.length <= LOCAL_SEARCH_DEFAULTS.maxCandidates);
  assert.deepEqual(single.params, argBest(singleDraws[0]));
  // A batch: one fresh draw per point (kriging believer in between), distinct points.
  assert.equal(batchDraws.length, 3);
  batch.forEach((trial, i) => assert.deepEqual(trial.params, argBest(batchDraws[i])));
  assert.equal(new Set(batch.map((t) => JSON.stringify(t.params))).size, 3);
  // The recording changes nothing: `acquisition: "ts"` proposes the same points.
  const named = run("ts");
  assert.deepEqual(named.single.params, single.params);
  assert.deepEqual(named.batch.map((t) => t.params), batch.map((t) => t.params));
}

Deno.test("bayesOpt: Thompson sampling on a conditional or mostly categorical space proposes the best of one joint draw per point", () => {
  checkThompsonDraws(conditionalSpace, conditionalObjective);
  const mostlyCategorical = defineSpace({
    a: categorical(["x", "y", "z"]),
    b: categorical([1, 2, 3, 4]),
    c: categorical([true, false]),
    n: int(1, 20),
  });
  checkThompsonDraws(
    mostlyCategorical,
    (p) =>
      (p.a === "y" ? 0 : 1) + Math.abs((p.b as number) - 3) + (p.c ? 0.5 : 0) +
      Math.abs((p.n as number) - 7) / 10,
  );
  assert.throws(
    () => bayesOpt({ localSearch: { maxCandidates: 0 } }),
    /localSearch\.maxCandidates/,
  );
});

Deno.test("bayesOpt: in-memory minimize with the default GP proposes what it proposed before states were saved", async () => {
  const fixture: ResumeFixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/bayes_opt_resume.json", import.meta.url)),
  );
  for (const seed of RESUME_SEEDS) assert.deepEqual(await memoryRun(seed), fixture.memory[seed]);
});

/**
 * Proposals of `proposer` on RESUME_SPACE after a 5-point random design; with `viaJSON`, its
 * memory is rebuilt before each proposal from its saved state, through JSON text.
 */
function proposeInLoop(
  options: BayesOptOptions,
  viaJSON: boolean | "without-hyperparameters",
  steps = 9,
): Float64Array[] {
  const proposer = bayesOpt(options);
  const space = RESUME_SPACE;
  const rng = new Rng(5);
  const points = Array.from({ length: 5 }, () => space.project(rng.uniforms(space.dim)));
  const value = (u: Float64Array) => resumeObjective(space.decode(u) as ResumeParams);
  const values = points.map(value);
  let memory = new Map<string, unknown>();
  for (let step = 0; step < steps; step++) {
    if (viaJSON) {
      const saved = JSON.parse(JSON.stringify(proposer.saveState!(memory)));
      if (viaJSON === "without-hyperparameters") delete saved.bayesOpt?.surrogate;
      memory = new Map();
      proposer.restoreState!(memory, saved);
    }
    const [point] = proposer.propose({
      dim: space.dim,
      points: [...points],
      values: Float64Array.from(values),
      pending: [],
      project: (u) => space.project(u),
      rng: new Rng(100 + step),
      memory,
      space: space as unknown as Space,
    }, 1);
    points.push(point);
    values.push(value(point));
  }
  return points;
}

Deno.test("bayesOpt: a memory restored from the saved JSON state proposes what the in-process memory does", () => {
  for (
    const options of [
      {},
      { fullRefitEvery: 3 },
      { retrainAfter: 3, acquisitionOptimizer: "local-search" as const },
    ]
  ) {
    assert.deepEqual(
      proposeInLoop(options, true),
      proposeInLoop(options, false),
      JSON.stringify(options),
    );
  }
  // (The warm starts matter: without the hyperparameters they are fits from scratch.)
  assert.notDeepEqual(proposeInLoop({}, "without-hyperparameters"), proposeInLoop({}, false));
  const proposer = bayesOpt();
  assert.deepEqual(proposer.saveState!(new Map()), {});
  const memory = new Map<string, unknown>([["bayesOpt", 1], ["other", 2]]);
  proposer.restoreState!(memory, { other: 3 });
  assert.deepEqual([...memory], [["other", 2]], "no state of its own: a fresh start");
  for (
    const [state, message] of [
      [{ bayesOpt: null }, /^TypeError: bayesOpt: must be an object/],
      [{ bayesOpt: {} }, /bayesOpt\.fits/],
      [{ bayesOpt: { fits: -2 } }, /bayesOpt\.fits: must be a non-negative integer/],
      [{ bayesOpt: { fits: 1, queue: [[NaN]] } }, /bayesOpt\.queue\[0\]\[0\]: must be a finite/],
      [{ bayesOpt: { fits: 1, queuedAt: 0.5 } }, /bayesOpt\.queuedAt/],
    ] as const
  ) {
    assert.throws(() => proposer.restoreState!(new Map(), state), message);
  }
});

/**
 * A factory of a simple surrogate (a quadratic bowl at 0.3 with variance growing away from the
 * data's centre) whose predictions `tweak` may break, and whose `fit` `wrap` may replace.
 */
function bowlFactory(
  name: string,
  tweak: (p: { mean: Float64Array; variance: Float64Array }) => void = () => {},
) {
  return {
    name,
    fit(points: readonly Float64Array[]): Surrogate {
      const dim = points[0].length;
      const meanAt = (x: Float64Array) => x.reduce((s, v) => s + (v - 0.3) ** 2, 0);
      const varianceAt = (x: Float64Array) => 0.1 + x.reduce((s, v) => s + (v - 0.5) ** 2, 0);
      return {
        dim,
        predict(ps) {
          const out = {
            mean: Float64Array.from(ps, meanAt),
            variance: Float64Array.from(ps, varianceAt),
          };
          tweak(out);
          return out;
        },
        predictWithGradient(x) {
          const out = {
            mean: Float64Array.of(meanAt(x)),
            variance: Float64Array.of(varianceAt(x)),
          };
          tweak(out);
          return {
            mean: out.mean[0],
            variance: out.variance[0],
            meanGradient: Float64Array.from(x, (v) => 2 * (v - 0.3)),
            varianceGradient: Float64Array.from(x, (v) => 2 * (v - 0.5)),
          };
        },
        sampleJoint(ps, count, rng) {
          const { mean, variance } = this.predict(ps);
          return Array.from(
            { length: count },
            () =>
              Float64Array.from(
                mean,
                (m, i) => m + Math.sqrt(Math.max(variance[i], 0)) * rng.normal(),
              ),
          );
        },
      };
    },
  };
}

/** A study of 4 design points told, whose next ask is the first model-based proposal. */
function studyAtModel(options: BayesOptOptions, dims = 2) {
  const space = defineSpace(
    Object.fromEntries(Array.from({ length: dims }, (_, j) => [`x${j}`, float(0, 1)])),
  );
  const study = new SMBO(space, {
    seed: 0,
    initialDesignSize: 4,
    proposer: bayesOpt({ rawSamples: 64, restarts: 2, incumbentSamples: 8, ...options }),
  });
  for (const trial of study.ask(4)) study.tell(trial, Object.values(trial.params)[0] as number);
  return study;
}

Deno.test("bayesOpt: a custom surrogate's bad fit or predictions are errors naming it and the field", () => {
  const cases: [string, BayesOptOptions["surrogate"], RegExp][] = [
    [
      "NaN mean",
      bowlFactory("blr", (o) => o.mean.fill(NaN)),
      /bayesOpt: surrogate "blr" predict: mean\[0\] must be finite, got NaN/,
    ],
    [
      "-Infinity mean",
      bowlFactory("blr", (o) => o.mean.fill(-Infinity)),
      /surrogate "blr" predict: mean\[0\] must be finite, got -Infinity/,
    ],
    [
      "NaN variance",
      bowlFactory("blr", (o) => o.variance.fill(NaN)),
      /LogEI: surrogate.predict: variance\[0\] must be a number ≥ 0, got NaN/,
    ],
    [
      "negative variance",
      bowlFactory("blr", (o) => o.variance.fill(-1)),
      /LogEI: surrogate.predict: variance\[0\] must be a number ≥ 0, got -1/,
    ],
    [
      "short arrays",
      bowlFactory("blr", (o) => {
        (o as { mean: Float64Array }).mean = o.mean.subarray(1);
      }),
      /surrogate "blr" predict: mean: must return 4 values \(one per point\), got 3/,
    ],
    [
      "throwing fit",
      {
        name: "thrower",
        fit: () => {
          throw new RangeError("singular matrix");
        },
      },
      /RangeError: bayesOpt: surrogate "thrower" fit: singular matrix$/,
    ],
    [
      "async fit",
      { name: "asyncfit", fit: (async () => {}) as never },
      /surrogate "asyncfit" fit: returned a Promise; fit must return the fitted surrogate synchronously/,
    ],
    [
      "fit returning undefined",
      { name: "undef", fit: (() => undefined) as never },
      /surrogate "undef" fit: must return a Surrogate \(an object with dim, predict and predictWithGradient\), got undefined/,
    ],
    [
      "wrong dim",
      { name: "dimwrong", fit: (...a: never[]) => ({ ...bowlFactory("x").fit(a[0]), dim: 3 }) },
      /surrogate "dimwrong" fit: returned a surrogate of dim 3 for points of 2 coordinates/,
    ],
    [
      "async predict",
      {
        name: "asyncpredict",
        fit: (...a: never[]) =>
          ({ ...bowlFactory("x").fit(a[0]), predict: async () => {} }) as never,
      },
      /surrogate "asyncpredict" predict: returned a Promise; a surrogate must predict synchronously/,
    ],
    [
      "async predictWithGradient",
      {
        name: "asyncpwg",
        fit: (...a: never[]) =>
          ({ ...bowlFactory("x").fit(a[0]), predictWithGradient: async () => {} }) as never,
      },
      /LogEI: surrogate.predictWithGradient: returned a Promise/,
    ],
    [
      "short gradient",
      {
        name: "gradlen",
        fit: (...a: never[]) => {
          const s = bowlFactory("x").fit(a[0]);
          return {
            ...s,
            predictWithGradient: (x: Float64Array) => ({
              ...s.predictWithGradient(x),
              meanGradient: new Float64Array(1),
            }),
          };
        },
      },
      /LogEI: surrogate.predictWithGradient: meanGradient: must return 2 values/,
    ],
  ];
  for (const [label, surrogate, message] of cases) {
    const study = studyAtModel({ surrogate, acquisitionOptimizer: "lbfgsb" });
    assert.throws(() => study.ask(), message, label);
    assert.equal(study.trials.length, 4, label);
  }
  // Round-off below zero passes (counted as 0), as does a variance of exactly 0.
  for (const tiny of [-1e-15, 0]) {
    const study = studyAtModel({
      surrogate: bowlFactory("roundoff", (o) => o.variance.fill(tiny)),
      acquisitionOptimizer: "lbfgsb",
    });
    assert.equal(study.ask().source, "model");
  }
  // Without gradients (local search) the predictions are checked too.
  const local = studyAtModel({
    surrogate: bowlFactory("blr", (o) => o.variance.fill(NaN)),
    acquisitionOptimizer: "local-search",
  });
  assert.throws(() => local.ask(), /variance\[0\] must be a number ≥ 0, got NaN/);
});

Deno.test("bayesOpt: a custom acquisition's bad answer is an error naming it, on every optimiser", () => {
  const builders: [string, BayesOptOptions["acquisition"], RegExp][] = [
    [
      "NaN everywhere",
      (s) => ({ name: "nan", dim: s.dim, evaluate: (ps) => new Float64Array(ps.length).fill(NaN) }),
      /acquisition "nan" is NaN at every candidate/,
    ],
    [
      "short",
      (s) => ({ name: "short", dim: s.dim, evaluate: () => new Float64Array(3) }),
      /acquisition "short".evaluate: must return a Float64Array of \d+ values, got 3/,
    ],
    [
      "plain array",
      (s) => ({
        name: "plain",
        dim: s.dim,
        evaluate: ((ps: Float64Array[]) => ps.map((p) => -p[0])) as never,
      }),
      /acquisition "plain".evaluate: must return a Float64Array of \d+ values, got an array/,
    ],
    [
      "async evaluate",
      (s) => ({ name: "async", dim: s.dim, evaluate: (async () => {}) as never }),
      /acquisition "async".evaluate: returned a Promise; acquisitions must evaluate synchronously/,
    ],
    [
      "async builder",
      (async () => {}) as never,
      /bayesOpt: acquisition "custom": the builder returned a Promise/,
    ],
    [
      "no acquisition",
      (() => ({ name: "none" })) as never,
      /bayesOpt: acquisition "custom": the builder must return an AcquisitionFunction \(with evaluate\), got object/,
    ],
    [
      "short gradient",
      (s) => ({
        name: "gradlen",
        dim: s.dim,
        evaluate: (ps) => Float64Array.from(ps, (p) => -p[0]),
        valueAndGradient: (p) => ({ value: -p[0], gradient: new Float64Array(1) }),
      }),
      /acquisition "gradlen".valueAndGradient: gradient must be a Float64Array of 2 values, got 1/,
    ],
  ];
  for (const optimizer of ["lbfgsb", "local-search"] as const) {
    for (const [label, acquisition, message] of builders) {
      if (optimizer === "local-search" && label === "short gradient") continue;
      const study = studyAtModel({ acquisition, acquisitionOptimizer: optimizer });
      assert.throws(() => study.ask(), message, `${optimizer} ${label}`);
      assert.equal(study.trials.length, 4);
    }
  }
});

Deno.test("bayesOpt: Thompson sampling refuses a sampleJoint without samples or of the wrong length", () => {
  const base = bowlFactory("x");
  const cases: [string, (s: Surrogate) => Surrogate["sampleJoint"], RegExp][] = [
    [
      "no sample",
      () => () => [],
      /TS: surrogate.sampleJoint\(points, 1, rng\): must return an array of one sample/,
    ],
    [
      "short sample",
      (s) => (ps, c, r) => s.sampleJoint(ps.slice(0, 2), c, r),
      /TS: surrogate.sampleJoint\(points, 1, rng\)\[0\]: must return \d+ values \(one per point\), got 2/,
    ],
  ];
  for (const [label, sampler, message] of cases) {
    const surrogate = {
      name: "samples",
      fit: (points: readonly Float64Array[]) => {
        const s = base.fit(points);
        return { ...s, sampleJoint: sampler(s) };
      },
    };
    for (const optimizer of ["lbfgsb", "local-search"] as const) {
      const study = studyAtModel({ surrogate, acquisition: "ts", acquisitionOptimizer: optimizer });
      assert.throws(() => study.ask(), message, `${label} ${optimizer}`);
    }
  }
});

Deno.test("bayesOpt: an out-of-range count or scale names the option and what it takes, as smac does", () => {
  const cases: [BayesOptOptions, string][] = [
    [{ retrainAfter: 0 }, "retrainAfter: must be a positive integer"],
    [{ retrainAfter: 1.5 }, "retrainAfter: must be a positive integer"],
    [{ rawSamples: 0 }, "rawSamples: must be a positive integer"],
    [{ restarts: -1 }, "restarts: must be a positive integer"],
    [{ fullRefitEvery: 0 }, "fullRefitEvery: must be a positive integer"],
    [{ incumbentSamples: -1 }, "incumbentSamples: must be an integer ≥ 0"],
    [{ incumbentSamples: 0.5 }, "incumbentSamples: must be an integer ≥ 0"],
    [{ incumbentScale: 0 }, "incumbentScale: must be > 0"],
    [{ incumbentScale: [] }, "incumbentScale: must not be empty"],
    [{ incumbentScale: [0.1, -1] }, "incumbentScale[1]: must be > 0"],
    [{ localSearch: { maxSteps: 0 } }, "localSearch.maxSteps: must be a positive integer"],
    [{ localSearch: { randomSamples: -1 } }, "localSearch.randomSamples: must be an integer ≥ 0"],
    [{ localSearch: { stepScale: 0 } }, "localSearch.stepScale: must be > 0"],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => bayesOpt(options), {
      name: "TypeError",
      message: `bayesOpt options.${message}`,
    }, JSON.stringify(options));
  }
});

Deno.test('bayesOpt: acquisition "ts" draws no raw samples around the incumbents', () => {
  // Five points of a 2-D function, a Matérn-1/2 GP with fixed hyperparameters (rough paths).
  const points = [[0.1, 0.2], [0.8, 0.3], [0.5, 0.9], [0.3, 0.6], [0.7, 0.7]].map((p) =>
    Float64Array.from(p)
  );
  const values = Float64Array.of(0.3, -0.5, 0.1, -0.2, 0.4);
  const fixed = gpFactory({
    kernel: "matern12",
    hyperparameters: { kernel: [0.25, 0.5, 1.5], noise: 1e-4 },
    mean: "zero",
  });
  // The same GP without `samplePaths`: Thompson sampling by one exact joint draw over the raw
  // samples.
  const exact = {
    name: "exact",
    fit: (...args: Parameters<typeof fixed.fit>) => {
      const s = fixed.fit(...args) as Surrogate;
      return {
        dim: s.dim,
        predict: (x: readonly Float64Array[]) => s.predict(x),
        predictWithGradient: (x: Float64Array) => s.predictWithGradient(x),
        sampleJoint: (x: readonly Float64Array[], c: number, r: Rng) => s.sampleJoint(x, c, r),
      };
    },
  };
  const propose = (options: BayesOptOptions, seed: number) =>
    bayesOpt({ rawSamples: 64, restarts: 2, outcomeTransform: "none", ...options }).propose({
      dim: 2,
      points,
      values,
      pending: [],
      project: (u) => u,
      rng: new Rng(seed),
      memory: new Map(),
    }, 2);
  for (const surrogate of [fixed, exact]) {
    for (const seed of [0, 1, 2]) {
      const ts = { surrogate, acquisition: "ts", acquisitionOptimizer: "lbfgsb" } as const;
      // The option is ignored: the proposals are those without incumbent samples, exactly.
      assert.deepEqual(
        propose({ ...ts, incumbentSamples: 256, incumbentScale: [1e-3, 0.1] }, seed),
        propose({ ...ts, incumbentSamples: 0 }, seed),
        `${surrogate.name}, seed ${seed}`,
      );
    }
  }
  // Other acquisitions keep them: their raw samples (and so the rng's stream) differ.
  const ei = { surrogate: fixed, acquisition: "ei", acquisitionOptimizer: "lbfgsb" } as const;
  assert.notDeepEqual(
    propose({ ...ei, incumbentSamples: 256 }, 0),
    propose({ ...ei, incumbentSamples: 0 }, 0),
  );
});
