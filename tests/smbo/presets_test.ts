import assert from "node:assert/strict";
import {
  interleaveRandom,
  smac,
  SMAC_DEFAULTS,
  smacInitialDesignSize,
} from "../../lib/smbo/presets.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { type ProposalContext, type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { Rng } from "../../lib/random/rng.ts";
import { categorical, defineSpace, float, int, when } from "../../lib/space/mod.ts";
import { switchBH3H6 } from "../../lib/tasks/synthetic/mod.ts";

/** A proposer that always proposes the centre and counts its calls. */
function centre(): Proposer & { calls: number; asked: number } {
  const proposer = {
    name: "centre",
    calls: 0,
    asked: 0,
    propose(context: ProposalContext, q: number) {
      proposer.calls++;
      proposer.asked += q;
      return Array.from({ length: q }, () => new Float64Array(context.dim).fill(0.5));
    },
  };
  return proposer;
}

function context(seed: number, pool?: Float64Array[]): ProposalContext {
  return {
    dim: 2,
    points: [Float64Array.of(0.1, 0.1)],
    values: Float64Array.of(1),
    pending: [],
    project: (u) => u,
    rng: new Rng(seed),
    memory: new Map(),
    ...(pool ? { pool } : {}),
  };
}

Deno.test("interleaveRandom: the share of random points is the probability; the model is asked for the rest only", () => {
  const inner = centre();
  const proposer = interleaveRandom(inner, 0.2);
  let random = 0;
  const total = 2000;
  for (let i = 0; i < total / 4; i++) {
    const points = proposer.propose(context(i), 4);
    assert.equal(points.length, 4);
    random += points.filter((p) => p[0] !== 0.5).length;
  }
  assert.ok(Math.abs(random / total - 0.2) < 0.03, `random share ${random / total}`);
  assert.equal(inner.asked, total - random);
  const never = centre();
  interleaveRandom(never, 1).propose(context(0), 3);
  assert.equal(never.calls, 0);
  const always = centre();
  assert.ok(interleaveRandom(always, 0).propose(context(0), 3).every((p) => p[0] === 0.5));
});

Deno.test("interleaveRandom: same seed, same proposals; pool mode gives distinct unused members", () => {
  const proposer = interleaveRandom(randomSearch(), 0.5);
  assert.deepEqual(
    proposer.propose(context(7), 5).map((p) => Array.from(p)),
    proposer.propose(context(7), 5).map((p) => Array.from(p)),
  );
  const pool: Float64Array[] = Array.from({ length: 6 }, (_, i) => Float64Array.of(i / 6, 0.5));
  for (let seed = 0; seed < 20; seed++) {
    const points = interleaveRandom(randomSearch(), 0.5).propose(context(seed, pool), 6);
    assert.equal(new Set(points).size, 6);
    for (const p of points) assert.ok(pool.includes(p));
  }
});

Deno.test("interleaveRandom: bad arguments name the field", () => {
  assert.throws(() => interleaveRandom(randomSearch(), 1.5), /interleaveRandom: probability/);
  assert.throws(() => interleaveRandom({} as Proposer, 0.2), /interleaveRandom: proposer/);
});

Deno.test("smac: documented defaults and option validation", () => {
  assert.equal(SMAC_DEFAULTS.randomProbability, 0.2);
  assert.equal(SMAC_DEFAULTS.localSearch.randomSamples, 1000);
  assert.equal(SMAC_DEFAULTS.forest.nTrees, 10);
  assert.equal(SMAC_DEFAULTS.forest.splitValue, "uniform");
  // SMAC3 ≥ 2.4's forest: extremely randomised trees.
  assert.equal(SMAC_DEFAULTS.forest.splitter, "random");
  assert.equal(SMAC_DEFAULTS.incumbentValue, "predicted");
  assert.throws(() => smac({ incumbentValue: "best" as never }), /smac: options\.incumbentValue/);
  assert.equal(smac().name, "smac");
  assert.throws(() => smac({ randomProbability: -0.1 }), /smac: options\.randomProbability/);
  assert.throws(() => smac({ bogus: 1 } as never), /smac: options\.bogus: unknown key/);
  assert.equal(SMAC_DEFAULTS.retrainAfter, 1);
  assert.throws(() => smac({ retrainAfter: 0 }), /smac: options\.retrainAfter/);
});

const fast = { localSearch: { randomSamples: 500 } };

Deno.test("smac: minimises on a continuous space, reproducibly, and beats random search", async () => {
  const space = defineSpace({ x: float(-5, 10), y: float(0, 15) });
  // Branin
  const f = (p: { x: number; y: number }) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    return (p.y - b * p.x ** 2 + (5 / Math.PI) * p.x - 6) ** 2 +
      10 * (1 - 1 / (8 * Math.PI)) * Math.cos(p.x) + 10;
  };
  const run = (seed: number, proposer: Proposer) =>
    minimize(f, space, { budget: 30, seed, proposer });
  const first = await run(0, smac(fast));
  const again = await run(0, smac(fast));
  assert.deepEqual(again.trials.map((t) => t.params), first.trials.map((t) => t.params));
  let wins = 0;
  for (const seed of [0, 1, 2, 3]) {
    const ours = seed === 0 ? first : await run(seed, smac(fast));
    const random = await run(seed, randomSearch());
    if (ours.best.value < random.best.value) wins++;
  }
  assert.ok(wins >= 3, `smac beat random search on ${wins} of 4 seeds`);
});

Deno.test("smac: inactive parameters never reach the objective on a conditional space", async () => {
  let calls = 0;
  const result = await minimize(
    (params) => {
      calls++;
      // validate throws on a present inactive (or a missing active) parameter
      switchBH3H6.space.validate(params);
      return switchBH3H6.objective(params);
    },
    switchBH3H6.space,
    { budget: 40, seed: 1, proposer: smac(fast) },
  );
  assert.equal(calls, 40);
  assert.equal(result.trials.filter((t) => t.status !== "complete").length, 0);
  for (const trial of result.trials) {
    const fn = trial.params.fn as string;
    for (const key of Object.keys(trial.params)) {
      assert.ok(key === "fn" || key.startsWith(`${fn}_`), `${key} is inactive for ${fn}`);
    }
  }
  assert.ok(result.trials.some((t) => t.source === "model"));
});

Deno.test("smac: mixed space with integers and categoricals, and pool mode", async () => {
  const space = defineSpace({
    lr: float(1e-4, 1, { log: true }),
    units: int(8, 256, { log: true }),
    layers: int(1, 4),
    act: categorical(["relu", "tanh", "gelu"]),
    optimizer: categorical(["sgd", "adam"]),
    momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
  });
  type P = Record<string, unknown>;
  const objective = (p: P) =>
    (Math.log10(p.lr as number) + 2.5) ** 2 + (Math.log2(p.units as number) - 6) ** 2 / 4 +
    Math.abs((p.layers as number) - 3) + (p.act === "gelu" ? 0 : 0.7) +
    (p.optimizer === "sgd" ? ((p.momentum as number) - 0.9) ** 2 : 0.3);
  const result = await minimize(objective, space, { budget: 30, seed: 0, proposer: smac(fast) });
  assert.equal(result.trials.filter((t) => t.status !== "complete").length, 0);
  const random = await minimize(objective, space, {
    budget: 30,
    seed: 0,
    proposer: randomSearch(),
  });
  assert.ok(result.best.value <= random.best.value, `${result.best.value} vs ${random.best.value}`);

  const candidates = space.sample(40, new Rng(3), "uniform");
  const pooled = await minimize(objective, space, {
    budget: 20,
    seed: 0,
    proposer: smac(fast),
    candidates,
  });
  const keys = pooled.trials.map((t) => JSON.stringify(t.params));
  assert.equal(new Set(keys).size, 20);
  const allowed = new Set(candidates.map((c) => JSON.stringify(space.validate(c))));
  for (const key of keys) assert.ok(allowed.has(key));
});

Deno.test("smac: batches of pending trials are distinct", () => {
  const study = new SMBO(switchBH3H6.space, { seed: 4, proposer: smac(fast) });
  for (const trial of study.ask(26)) study.tell(trial, switchBH3H6.objective(trial.params));
  const batch = study.ask(4);
  assert.ok(batch.some((t) => t.source === "model"));
  assert.equal(new Set(batch.map((t) => JSON.stringify(t.params))).size, 4);
});

Deno.test("smacInitialDesignSize: 10 per parameter, at most 25% of the budget (SMAC3 2.x), at least 1", () => {
  const space = defineSpace({ a: float(0, 1), b: int(1, 3), c: categorical(["x", "y"]) });
  // max(1, min(10·3, ⌊0.25·budget⌋)), SMAC3 2.x's HPO facade (max_ratio = 0.25).
  assert.equal(smacInitialDesignSize(space, 50), 12);
  assert.equal(smacInitialDesignSize(space, 30), 7);
  assert.equal(smacInitialDesignSize(space, 100), 25);
  assert.equal(smacInitialDesignSize(space, 1000), 30);
  assert.equal(smacInitialDesignSize(space, 5), 1);
  assert.equal(smacInitialDesignSize(space, 3), 1);
  // SMAC3's 2.0.0 pre-releases (max_ratio = 0.1), and another count per parameter.
  assert.equal(smacInitialDesignSize(space, 50, { maxRatio: 0.1 }), 5);
  assert.equal(smacInitialDesignSize(space, 1000, { maxRatio: 0.1 }), 30);
  assert.equal(smacInitialDesignSize(space, 1000, { perParameter: 2 }), 6);
  assert.equal(smacInitialDesignSize(space, 1000, { perParameter: 2, maxRatio: 1 }), 6);
  assert.throws(() => smacInitialDesignSize(space, 0), /smacInitialDesignSize: budget/);
});

Deno.test("smacInitialDesignSize: a bad space or option is an error naming it", () => {
  const space = defineSpace({ a: float(0, 1) });
  for (const bad of [null, undefined, 3, {}, { params: "x" }, { params: [1] }]) {
    assert.throws(
      () => smacInitialDesignSize(bad as never, 10),
      (e: unknown) => e instanceof TypeError && /^smacInitialDesignSize: space/.test(e.message),
      JSON.stringify(bad),
    );
  }
  for (
    const [options, field] of [
      [{ maxRatio: 0 }, "options.maxRatio"],
      [{ maxRatio: 1.5 }, "options.maxRatio"],
      [{ maxRatio: NaN }, "options.maxRatio"],
      [{ perParameter: 0 }, "options.perParameter"],
      [{ perParameter: 2.5 }, "options.perParameter"],
      [{ ratio: 0.1 }, "options.ratio"],
      [null, "options"],
    ] as const
  ) {
    assert.throws(
      () => smacInitialDesignSize(space, 10, options as never),
      (e: unknown) =>
        e instanceof TypeError && e.message.startsWith(`smacInitialDesignSize: ${field}`),
      JSON.stringify(options),
    );
  }
});

Deno.test('interleaved random configurations are labelled source "random", per point of a batch', async () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const f = (p: { x: number; y: number }) => p.x + p.y;
  const all = await minimize(f, space, {
    budget: 12,
    seed: 0,
    proposer: interleaveRandom(bayesOpt(), 1),
  });
  assert.deepEqual(new Set(all.trials.slice(5).map((t) => t.source)), new Set(["random"]));
  // A batch mixing model and random points labels each point by how it was chosen.
  const half = await minimize(f, space, {
    budget: 17,
    seed: 0,
    batchSize: 4,
    proposer: interleaveRandom(bayesOpt(), 0.5),
    initialDesignSize: 5,
  });
  const sources = half.trials.slice(5).map((t) => t.source);
  assert.ok(sources.includes("random") && sources.includes("model"), sources.join(","));
  const smacRun = await minimize(f, space, { budget: 30, seed: 0, proposer: smac() });
  assert.ok(smacRun.trials.some((t) => t.source === "random"));
  assert.ok(smacRun.trials.some((t) => t.source === "model"));
  // In pool mode too.
  const pool = space.sample(40, new Rng(1), "uniform");
  const pooled = await minimize(f, space, {
    budget: 12,
    seed: 0,
    candidates: pool,
    proposer: interleaveRandom(bayesOpt(), 1),
  });
  assert.deepEqual(new Set(pooled.trials.slice(5).map((t) => t.source)), new Set(["random"]));
});

Deno.test("smac: a misspelled localSearch setting is an error naming smac", () => {
  assert.throws(
    () => smac({ localSearch: { randomSample: 10 } as never }),
    /^TypeError: smac: options\.localSearch\.randomSample: unknown key$/,
  );
});

Deno.test("smac, bayesOpt: a local search with neither a start nor a random sample is rejected at construction", () => {
  const empty = /options\.localSearch: localStarts and randomSamples must not both be 0/;
  for (
    const localSearch of [
      { localStarts: 0, randomStarts: 0, randomSamples: 0 },
      { localStarts: 0, randomSamples: 0 },
      { localStarts: 0, randomStarts: 5, randomSamples: 0 },
    ]
  ) {
    assert.throws(
      () => smac({ localSearch }),
      (e: unknown) => e instanceof TypeError && /^smac: /.test(e.message) && empty.test(e.message),
    );
    assert.throws(() => bayesOpt({ localSearch }), empty);
  }
  // A start or a sample is enough (the other settings' defaults are positive).
  smac({ localSearch: { localStarts: 0 } });
  smac({ localSearch: { randomSamples: 0 } });
  smac({ localSearch: { localStarts: 0, randomStarts: 0, randomSamples: 1 } });
  bayesOpt({ localSearch: { localStarts: 1, randomSamples: 0 } });
});

Deno.test("smac: a bad forest option is an error naming smac", () => {
  assert.throws(
    () => smac({ forest: { nTres: 3 } as never }),
    /^TypeError: smac: options\.forest\.nTres: unknown key/,
  );
  assert.throws(() => smac({ forest: { nTrees: 0 } }), /smac: options\.forest\.nTrees/);
});

Deno.test("interleaveRandom: in pool mode a model returning pool members by value is never drawn again at random", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const candidates = Array.from({ length: 6 }, (_, i) => ({ x: i / 5 }));
  // The pool members with the smallest x, returned as copies (allowed: "by value").
  const greedy: Proposer = {
    name: "greedy-copy",
    propose: (context, q) =>
      [...context.pool!].sort((a, b) => a[0] - b[0]).slice(0, q).map((p) => Float64Array.from(p)),
  };
  const proposer = interleaveRandom(greedy, 0.5);
  for (let seed = 0; seed < 20; seed++) {
    const study = new SMBO(space, { seed, proposer, candidates, initialDesignSize: 1 });
    study.tell(study.ask(), 1);
    const batch = study.ask(3);
    assert.equal(new Set(batch.map((t) => t.params.x)).size, 3, `seed ${seed}`);
    for (const trial of batch) study.tell(trial, 0);
  }
  // Through minimize, with batches, to the end of the pool.
  const pool = Array.from({ length: 30 }, (_, i) => ({ x: i / 29 }));
  for (const seed of [0, 1, 2, 3]) {
    const result = await minimize((p) => p.x, space, {
      budget: 30,
      seed,
      batchSize: 3,
      candidates: pool,
      proposer: interleaveRandom(greedy, 0.5),
    });
    assert.equal(result.trials.length, 30);
    assert.equal(new Set(result.trials.map((t) => t.params.x)).size, 30);
    assert.equal(result.stopped, "budget");
  }
});

Deno.test("interleaveRandom: a wrapped proposer's Promise or wrong count is an error naming it", () => {
  const context: ProposalContext = {
    dim: 1,
    points: [Float64Array.of(0.5)],
    values: Float64Array.of(1),
    pending: [],
    project: (u) => u,
    rng: new Rng(0),
    memory: new Map(),
  };
  const asyncInner = {
    name: "async-inner",
    propose: (() => Promise.resolve([Float64Array.of(0.1)])) as unknown as Proposer["propose"],
  };
  assert.throws(
    () => interleaveRandom(asyncInner, 0).propose(context, 1),
    /proposer async-inner returned a Promise/,
  );
  const short: Proposer = { name: "short", propose: () => [] };
  assert.throws(
    () => interleaveRandom(short, 0).propose(context, 2),
    /proposer short returned 0 points, expected 2/,
  );
});
