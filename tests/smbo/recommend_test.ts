import assert from "node:assert/strict";
import { recommendBest } from "../../lib/smbo/recommend.ts";
import { BAYES_OPT_DEFAULTS } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import { categorical, defineSpace, fixed, float } from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import { standardizeTargets } from "../../lib/gp/standardize.ts";
import { yeoJohnson } from "../../lib/models/outcome_transform.ts";
import { randomForest } from "../../lib/models/random_forest.ts";
import { createStudy, loadStudy } from "../../lib/storage/study.ts";

const line = defineSpace({ x: float(0, 1) });

/**
 * Five replicates at x = 0.2 (true value 0, noise ±0.1), five at x = 0.8 (true value 1) of which
 * one is a lucky draw at −0.5, the lowest observation of all, points in between on the true
 * curve, and a failed trial at x = 0.5.
 */
function outlierTrials(): Trial<{ x: number }>[] {
  const rows: [number, number | undefined][] = [
    [0.2, 0.1],
    [0.8, 1.1],
    [0.2, -0.1],
    [0.8, 0.9],
    [0.2, 0.05],
    [0.8, -0.5],
    [0.2, -0.05],
    [0.8, 1.05],
    [0.2, 0],
    [0.8, 0.95],
    [0.5, undefined],
    [0, 0.2],
    [0.35, 0.12],
    [0.65, 0.75],
    [1, 1.2],
  ];
  return rows.map(([x, value], id) =>
    value === undefined
      ? { id, params: { x }, status: "failed", error: "boom", source: "initial" }
      : { id, params: { x }, status: "complete", value, source: "initial" }
  );
}

Deno.test("recommendBest: a noisy outlier among replicates loses to the truly better region", () => {
  const trials = outlierTrials();
  for (const outcomeTransform of ["yeo-johnson", "none"] as const) {
    const rec = recommendBest({ trials, space: line }, { outcomeTransform, seed: 0 });
    assert.equal(rec.observedBest.value, -0.5);
    assert.equal(rec.observedBest.params.x, 0.8);
    assert.equal(rec.params.x, 0.2, `${outcomeTransform}: recommended x = ${rec.params.x}`);
    assert.equal(rec.trial.id, 0, "the first replicate of the recommended configuration");
    assert.equal(rec.value, 0.1);
    assert.equal(rec.replicates, 5);
    assert.equal(rec.completed, 14, "the failed trial is left out");
    assert.ok(Math.abs(rec.mean) < 0.15, `${outcomeTransform}: mean ${rec.mean}`);
    assert.ok(rec.sd > 0 && rec.sd < 0.3, `${outcomeTransform}: sd ${rec.sd}`);
    assert.equal(rec.surrogate, "gp-matern52");
  }
});

/** A noisy study on a mixed space, run by the default optimiser. */
async function noisyStudy() {
  const space = defineSpace({ x: float(-2, 2), kind: categorical(["a", "b", "c"]) });
  const noise = new Rng(7);
  return await minimize(
    (p) => (p.x - 0.5) ** 2 + (p.kind === "b" ? 0 : 0.5) + 0.3 * noise.normal(),
    space,
    { budget: 14, seed: 3 },
  );
}

Deno.test("recommendBest: agrees with a direct fit of the same surrogate and its predict", async () => {
  const result = await noisyStudy();
  const space = result.study.space;
  const complete = result.trials.filter((t) => t.status === "complete");
  const points = complete.map((t) => space.encode(t.params));
  const values = Float64Array.from(complete, (t) => t.value!);
  const { mean: center, std: scale, scaled } = standardizeTargets(values);
  const argmin = (m: Float64Array) => m.indexOf(Math.min(...m));
  const hints = { space: space as never };

  // Default: the bayesOpt GP; ranked on Yeo–Johnson values, reported from the untransformed fit.
  const gp = gpFactory(BAYES_OPT_DEFAULTS.surrogate);
  const ranking = gp.fit(points, yeoJohnson(scaled).values, new Rng(5), hints);
  const plain = gp.fit(points, scaled, new Rng(5), hints);
  const chosen = argmin(ranking.predict(points).mean);
  const at = plain.predict([points[chosen]]);
  const rec = recommendBest(result, { seed: 5 });
  assert.equal(rec.trial, complete[chosen]);
  assert.equal(rec.mean, center + scale * at.mean[0]);
  assert.equal(rec.sd, scale * Math.sqrt(at.variance[0]));
  assert.equal(rec.observedBest.trial, result.best.trial);

  // Untransformed: one fit ranks and reports.
  const none = recommendBest(result, { seed: 5, outcomeTransform: "none" });
  const plainMeans = plain.predict(points).mean;
  assert.equal(none.trial, complete[argmin(plainMeans)]);
  assert.equal(none.mean, center + scale * plainMeans[argmin(plainMeans)]);

  // Any factory: a random forest, untransformed by default.
  const forest = randomForest();
  const fitted = forest.fit(points, scaled, new Rng(5), hints);
  const forestMeans = fitted.predict(points);
  const i = argmin(forestMeans.mean);
  const viaForest = recommendBest(result, { seed: 5, surrogate: forest });
  assert.equal(viaForest.trial, complete[i]);
  assert.equal(viaForest.mean, center + scale * forestMeans.mean[i]);
  assert.equal(viaForest.sd, scale * Math.sqrt(forestMeans.variance[i]));
  assert.equal(viaForest.surrogate, forest.name);
});

Deno.test("recommendBest: deterministic for a seed; the SMBO study and its minimize result agree", async () => {
  const result = await noisyStudy();
  const first = recommendBest(result, { seed: 11 });
  const again = recommendBest(result, { seed: 11 });
  assert.deepEqual(again, first);
  assert.deepEqual(recommendBest(result.study, { seed: 11 }), first);
  assert.deepEqual(
    recommendBest({ trials: result.trials, space: result.study.space }, {
      seed: 11,
    }),
    first,
  );
});

Deno.test("recommendBest: a stored SQLite study gives the in-memory study's recommendation", async () => {
  const space = defineSpace({ x: float(0, 1), kind: categorical(["a", "b"]) });
  const memory = new SMBO(space, { seed: 2, proposer: randomSearch() });
  const noise = new Rng(3);
  type Params = (typeof memory.trials)[number]["params"];
  const objective = (p: Params) =>
    (p.x - 0.3) ** 2 + (p.kind === "a" ? 0 : 0.2) + 0.05 * noise.normal();
  const told: { params: Params; outcome: number | Error }[] = [];
  for (let i = 0; i < 12; i++) {
    const trial = memory.ask();
    const outcome = i === 4 ? new Error("crashed") : objective(trial.params);
    memory.tell(trial, outcome);
    told.push({ params: trial.params, outcome });
  }
  const expected = recommendBest(memory, { seed: 1 });

  const dir = await Deno.makeTempDir({ prefix: "metahpo-recommend-" });
  const storage = `sqlite:${dir}/study.db`;
  try {
    const stored = await createStudy({
      storage,
      name: "noisy",
      space,
      seed: 2,
      initialConfigurations: told.map((t) => t.params),
    });
    for (const { outcome } of told) await stored.tell(await stored.ask(), outcome);
    const direct = recommendBest(stored, { seed: 1 });
    await stored.close();
    const loaded = await loadStudy({ storage, name: "noisy" });
    try {
      const reloaded = recommendBest(loaded, { seed: 1 });
      for (const rec of [direct, reloaded]) {
        assert.deepEqual(rec.params, expected.params);
        assert.equal(rec.trial.id, expected.trial.id);
        assert.equal(rec.value, expected.value);
        assert.equal(rec.mean, expected.mean);
        assert.equal(rec.sd, expected.sd);
        assert.equal(rec.completed, 11);
        assert.deepEqual(rec.observedBest.params, expected.observedBest.params);
      }
    } finally {
      await loaded.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recommendBest: errors name the problem", () => {
  const failed: Trial<{ x: number }>[] = [
    { id: 0, params: { x: 0.1 }, status: "failed", error: "boom", source: "initial" },
    { id: 1, params: { x: 0.2 }, status: "running", source: "initial" },
  ];
  assert.throws(
    () => recommendBest({ trials: failed, space: line }),
    {
      name: "RangeError",
      message: "recommendBest: study has no completed trial to recommend from (2 trials, 1 failed)",
    },
  );
  assert.throws(() => recommendBest({ trials: [], space: line }), RangeError);
  const trials = outlierTrials();
  assert.throws(
    () => recommendBest({ trials, space: line }, { sed: 1 } as never),
    { name: "TypeError", message: "recommendBest: options.sed: unknown key" },
  );
  assert.throws(
    () => recommendBest({ trials, space: line }, { outcomeTransform: "log-scaled" as "none" }),
    /^TypeError: recommendBest: options\.outcomeTransform: must be one of "yeo-johnson", "none"$/,
  );
  assert.throws(
    () => recommendBest({ trials, space: line }, { seed: 0.5 }),
    /recommendBest: options\.seed: must be an integer/,
  );
  assert.throws(
    () => recommendBest({ trials, space: line }, { surrogate: {} as never }),
    /recommendBest: options\.surrogate: must be a SurrogateFactory/,
  );
  assert.throws(() => recommendBest({ trials } as never), /recommendBest: study\.space: must be/);
  assert.throws(() => recommendBest({ space: line } as never), /recommendBest: study\.trials/);
  assert.throws(
    () =>
      recommendBest({
        trials: [{ id: 0, params: { x: 2 }, status: "complete", value: 1, source: "initial" }],
        space: line,
      }),
    /^TypeError: recommendBest: study\.trials\[0\]\.params\.x/,
  );
});

Deno.test("recommendBest: values sharing a large offset keep their order (no false constant)", () => {
  const xs = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  for (const offset of [0, 1e10, 1e12]) {
    const trials: Trial<{ x: number }>[] = xs.map((x, id) => ({
      id,
      params: { x },
      status: "complete",
      value: offset + (x - 0.3) ** 2,
      source: "initial",
    }));
    const rec = recommendBest({ trials, space: line }, { seed: 0 });
    assert.equal(rec.observedBest.params.x, 0.3);
    assert.equal(rec.params.x, 0.3, `offset ${offset}: recommended x = ${rec.params.x}`);
    assert.ok(Math.abs(rec.mean - offset) < 0.01, `offset ${offset}: mean ${rec.mean - offset}`);
    assert.ok(rec.sd > 0 && rec.sd < 0.05, `offset ${offset}: sd ${rec.sd}`);
  }
});

Deno.test("recommendBest: no scale in the values, no sd; a space of fixed parameters averages replicates", () => {
  const trial = (id: number, x: number, value: number): Trial<{ x: number }> => ({
    id,
    params: { x },
    status: "complete",
    value,
    source: "initial",
  });
  for (const value of [1e-9, 1, 1e9]) {
    const one = recommendBest({ trials: [trial(0, 0.4, value)], space: line });
    assert.ok(Number.isNaN(one.sd), `one trial at ${value}: sd ${one.sd}`);
    assert.ok(Math.abs(one.mean - value) <= 1e-9 * Math.abs(value), `mean ${one.mean}`);
    const equal = recommendBest({
      trials: [trial(0, 0.1, value), trial(1, 0.5, value), trial(2, 0.9, value)],
      space: line,
    });
    assert.ok(Number.isNaN(equal.sd), `equal values ${value}: sd ${equal.sd}`);
  }
  // Equal up to round-off (0.1 + 0.2 is one unit in the last place above 0.3): no scale either.
  const roundOff = recommendBest({
    trials: [trial(0, 0.1, 0.3), trial(1, 0.5, 0.1 + 0.2), trial(2, 0.9, 0.3)],
    space: line,
  });
  assert.ok(Number.isNaN(roundOff.sd), `values equal up to round-off: sd ${roundOff.sd}`);
  const fixedSpace = defineSpace({ lr: fixed(0.01), name: fixed("adam") });
  const values = [1, 3, 2, 6];
  const trials: Trial<{ lr: number; name: string }>[] = values.map((value, id) => ({
    id,
    params: { lr: 0.01, name: "adam" },
    status: "complete",
    value,
    source: "initial",
  }));
  const rec = recommendBest({ trials, space: fixedSpace });
  assert.equal(rec.mean, 3);
  // Standard error of the mean: s = √(14/3), s/√4.
  assert.ok(Math.abs(rec.sd - Math.sqrt(14 / 3) / 2) < 1e-12, `sd ${rec.sd}`);
  assert.equal(rec.replicates, 4);
  assert.equal(rec.observedBest.value, 1);
  assert.equal(rec.surrogate, "replicate mean");
  assert.ok(Number.isNaN(recommendBest({ trials: trials.slice(0, 1), space: fixedSpace }).sd));
});

Deno.test('recommendBest on a study run with direction "maximize": the highest posterior mean, in the objective\'s own units', async () => {
  // The outlier trials as scores: the lucky draw (now +0.5) is the highest observation.
  const scores = outlierTrials().map((t) => t.value === undefined ? t : { ...t, value: -t.value });
  for (const outcomeTransform of ["yeo-johnson", "none"] as const) {
    const loss = recommendBest({ trials: outlierTrials(), space: line }, { outcomeTransform });
    const rec = recommendBest(
      { trials: scores, space: line, direction: "maximize" },
      { outcomeTransform },
    );
    assert.equal(rec.observedBest.value, 0.5);
    assert.equal(rec.params.x, 0.2, `${outcomeTransform}: recommended x = ${rec.params.x}`);
    assert.equal(rec.trial.id, loss.trial.id);
    assert.equal(rec.value, -loss.value);
    assert.equal(rec.mean, -loss.mean);
    assert.equal(rec.sd, loss.sd);
    // Without the direction, the same scores would be taken as losses.
    assert.notEqual(
      recommendBest({ trials: scores, space: line }, { outcomeTransform }).params.x,
      0.2,
    );
  }
  // An SMBO study, its minimize result and a stored study carry their direction.
  const space = defineSpace({ x: float(-2, 2), kind: categorical(["a", "b", "c"]) });
  const noise = new Rng(7);
  const score = (p: { x: number; kind: string }) =>
    -((p.x - 0.5) ** 2) - (p.kind === "b" ? 0 : 0.5) + 0.3 * noise.normal();
  const max = await minimize(score, space, { budget: 14, seed: 3, direction: "maximize" });
  const fromResult = recommendBest(max, { seed: 0 });
  assert.deepEqual(recommendBest(max.study, { seed: 0 }), fromResult);
  const complete = max.trials.filter((t) => t.status === "complete").map((t) => t.value!);
  assert.equal(fromResult.observedBest.value, Math.max(...complete));
  const stored = await createStudy({
    name: "scores",
    space,
    direction: "maximize",
    initialConfigurations: max.trials.map((t) => t.params),
  });
  try {
    for (const t of max.trials) await stored.tell(await stored.ask(), t.value ?? new Error("x"));
    const fromStored = recommendBest(stored, { seed: 0 });
    assert.deepEqual(fromStored.params, fromResult.params);
    assert.equal(fromStored.mean, fromResult.mean);
  } finally {
    await stored.close();
  }
  assert.throws(
    () => recommendBest({ trials: scores, space: line, direction: "max" as never }),
    /recommendBest: study\.direction: must be one of "minimize", "maximize"/,
  );
});

Deno.test("recommendBest: an array of trials is refused with what to pass instead", async () => {
  const result = await minimize((p) => p.x, line, { budget: 3, seed: 0 });
  assert.throws(
    () => recommendBest(result.trials as never),
    /^TypeError: recommendBest: study: an array of trials is not accepted; pass the minimize result, the study \(SMBO or stored\), or \{ trials, space \}$/,
  );
  assert.ok(line.contains(recommendBest(result).params), "the result itself is accepted");
});
