/**
 * Stored studies keep the guarantees of `SMBO` (they share its proposal code, option fields and
 * outcome handling): strict options, checked proposals, fixed-only spaces, owned and frozen
 * outcomes, objectives that get their own copy.
 */
import assert from "node:assert/strict";
import { createStudy, loadStudy, openStorage, TrialLostError } from "../../lib/storage/mod.ts";
import { PoolIndex, type StoredStudy } from "../../lib/storage/study.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { samePoint } from "../../lib/smbo/_proposal.ts";
import { Rng } from "../../lib/random/rng.ts";
import { storageTest, withStorage } from "./_backends.ts";
import { categorical, defineSpace, fixed, float, int, when } from "../../lib/space/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { interleaveRandom } from "../../lib/smbo/presets.ts";
import type { Trial } from "../../lib/smbo/trial.ts";

const space = defineSpace({ x: float(0, 1) });

Deno.test("stored studies: misspelled or bad options are errors naming the option", async () => {
  await assert.rejects(
    createStudy({ name: "a", space, seeed: 1 } as never),
    /createStudy options\.seeed: unknown key/,
  );
  await assert.rejects(
    createStudy({ name: "a", space, initialDesignSize: 200_000 }),
    /initialDesignSize: must be at most 100000/,
  );
  await assert.rejects(
    createStudy({ name: "a", space, proposer: randomSearch(), bayesOpt: {} }),
    /bayesOpt: configures the default proposer/,
  );
  await assert.rejects(
    createStudy({ name: "a", space: { dim: 1 } as never }),
    /createStudy options\.space: must be a search space/,
  );
  await assert.rejects(
    minimize(
      (p) => p.x,
      space,
      { storage: "memory:", study: "s", budget: 3, batchsize: 2 } as never,
    ),
    /minimize options\.batchsize: unknown key/,
  );
  await assert.rejects(
    minimize((p) => p.x, space, { storage: "memory:", study: "s", budget: 3, leaseSeconds: -1 }),
    /leaseSeconds: must be a finite number > 0/,
  );
  // names the storage keeps are checked as the option the caller wrote, before any storage opens
  for (const [field, value] of [["study", "a\0b"], ["study", ""], ["worker", "w\0"]]) {
    await assert.rejects(
      minimize((p) => p.x, space, { storage: "memory:", study: "s", budget: 3, [field]: value }),
      new RegExp(
        `^TypeError: minimize options\\.${field}: must (not contain a NUL|be a non-empty string)`,
      ),
    );
  }
});

Deno.test("stored studies: proposals are checked, and a space of fixed parameters runs", async () => {
  const bad = {
    name: "nan",
    propose: (_: unknown, q: number) => Array.from({ length: q }, () => new Float64Array([NaN])),
  };
  const study = await createStudy({ name: "p", space, initialDesignSize: 1, proposer: bad });
  await study.tell(await study.ask(), 1);
  await assert.rejects(study.ask(), /proposer nan returned point 0 that is not a Float64Array/);
  await study.close();
  const only = defineSpace({ k: fixed(3) });
  const result = await minimize((p) => p.k, only, { storage: "memory:", study: "f", budget: 4 });
  assert.equal(result.trials.filter((t) => t.status === "complete").length, 4);
  await result.study.close();
});

Deno.test("stored studies: outcomes are owned, trials frozen, the objective edits its own copy", async () => {
  const storage = await openStorage("memory:");
  const result = await minimize(
    (p: { x: number }) => {
      const v = p.x;
      p.x = 99;
      return v;
    },
    space,
    { storage, study: "o", budget: 3, seed: 0 },
  );
  const study = result.study;
  for (const trial of result.trials) {
    assert.ok(space.contains(trial.params), "the record kept the configuration");
    assert.equal(trial.value, trial.params.x);
    assert.ok(Object.isFrozen(trial) && Object.isFrozen(trial.params));
    await assert.rejects(
      study.tell(trial, -1),
      (e: Error) => e instanceof TrialLostError && /already told \(complete\)/.test(e.message),
    );
  }
  const open = await study.ask();
  await assert.rejects(study.tell(open, 0, { value: -5 } as never), /tell details/);
  await assert.rejects(study.tell(open, 0, { seconds: -1 }), /tell details\.seconds/);
  assert.equal(study.trials[open.id].status, "running", "bad details changed nothing");
  assert.equal((await study.tell(open, 0.5, { seconds: 2 })).seconds, 2);
  await study.close();
  await storage.close();
});

Deno.test("stored studies in pool mode: ask never claims more than is left; enqueue takes candidates only", async () => {
  const candidates = [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }];
  const study = await createStudy({
    name: "pool",
    space,
    candidates,
    initialDesignSize: 1,
    proposer: randomSearch(),
  });
  assert.equal(study.remaining, 3);
  await assert.rejects(study.ask(4), /candidate pool has only 3 unused configurations left/);
  assert.equal(study.trials.length, 0, "nothing was claimed");
  await assert.rejects(study.enqueue({ x: 0.5 }), /must be an unused candidate/);
  const [a, b] = await study.ask(2);
  await study.tell(a, 1);
  await study.tell(b, 2);
  assert.equal(study.remaining, 1);
  await assert.rejects(study.ask(2), {
    name: "RangeError",
    message: "ask(2): the candidate pool has only 1 unused configuration left",
  });
  assert.equal(study.trials.length, 2, "nothing was claimed");
  await study.close();
});

Deno.test("stored studies in pool mode: distinct candidates stay distinct however close their points", async () => {
  const wide = defineSpace({ x: float(0, 1e9) });
  const candidates = [{ x: 5 }, { x: 5.0005 }, { x: 7 }];
  for (const seed of [0, 1, 2]) {
    const study = await createStudy({
      name: "near",
      space: wide,
      candidates,
      seed,
      initialDesignSize: 1,
      proposer: randomSearch(),
    });
    const asked: number[] = [];
    for (let i = 0; i < 3; i++) {
      const trial = await study.ask();
      asked.push(trial.params.x);
      await study.tell(trial, i);
    }
    assert.deepEqual(asked.sort(), [5, 5.0005, 7]);
    assert.equal(study.remaining, 0);
    await study.close();
  }
  const study = await createStudy({
    name: "enqueued",
    space: wide,
    candidates: [{ x: 5 }, { x: 5.0005 }],
    initialDesignSize: 0,
    proposer: randomSearch(),
  });
  await study.enqueue({ x: 5.0005 });
  assert.equal(study.remaining, 2);
  const first = await study.ask();
  assert.deepEqual(first.params, { x: 5.0005 });
  await study.tell(first, 0);
  assert.deepEqual((await study.ask()).params, { x: 5 });
  await study.close();
});

Deno.test("stored studies reopen with the same space written otherwise (explicit defaults, condition order)", async () => {
  const storage = await openStorage("memory:");
  const created = await createStudy({
    storage,
    name: "s",
    space: defineSpace({
      lr: float(0.1, 0.7),
      k: int(1, 10),
      c: categorical(["a", "b"]),
      m: when({ c: "a", k: [1, 2] }, float(0, 1)),
    }),
  });
  await created.close();
  const same = defineSpace({
    lr: float(0.1, 0.7, { log: false }),
    k: int(1, 10, { step: 1 }),
    c: categorical(["a", "b"]),
    m: when({ k: [2, 1], c: ["a"] }, float(0, 1)),
  });
  const reopened = await loadStudy({ storage, name: "s", space: same });
  await reopened.close();
  await assert.rejects(
    loadStudy({ storage, name: "s", space: defineSpace({ lr: float(0.1, 0.7), k: int(1, 9) }) }),
    /options\.space differs from the space the study was created with/,
  );
  await storage.close();
});

Deno.test("stored studies reopen with the meta-features they record, as the storage writes them; others are an error naming the option", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/m.db`;
  try {
    const features = { rows: 100, skew: NaN, cols: 4 };
    const first = await minimize((p) => p.x, space, {
      storage: url,
      study: "m",
      budget: 2,
      seed: 0,
      metaFeatures: features,
    });
    await first.study.close();
    // the same ones: keys in another order, NaN as the storage keeps it (null)
    const same = await minimize((p) => p.x, space, {
      storage: url,
      study: "m",
      budget: 3,
      seed: 0,
      metaFeatures: { cols: 4, skew: NaN, rows: 100 },
    });
    assert.deepEqual(same.study.metaFeatures, features);
    await same.study.close();
    // not given: the recorded ones stay
    const quiet = await loadStudy({ storage: url, name: "m" });
    assert.deepEqual(quiet.metaFeatures, features);
    await quiet.close();
    for (
      const [other, message] of [
        [
          { ...features, rows: 5000 },
          "options.metaFeatures.rows is 5000, but the study records 100",
        ],
        [{ ...features, skew: 0 }, "options.metaFeatures.skew is 0, but the study records NaN"],
        [{ rows: 100, skew: NaN }, "options.metaFeatures.cols is absent, but the study records 4"],
        [
          { ...features, extra: 1 },
          "options.metaFeatures.extra is 1, but the study records none",
        ],
      ] as const
    ) {
      await assert.rejects(
        minimize((p) => p.x, space, {
          storage: url,
          study: "m",
          budget: 4,
          seed: 0,
          metaFeatures: other,
        }),
        (e: unknown) => e instanceof TypeError && e.message.startsWith(`study "m": ${message}`),
      );
      await assert.rejects(
        loadStudy({ storage: url, name: "m", metaFeatures: other }),
        (e: unknown) => e instanceof TypeError && e.message.startsWith(`study "m": ${message}`),
      );
    }
    // a study created without meta-features records those given when resumed
    const bare = await minimize((p) => p.x, space, { storage: url, study: "b", budget: 2 });
    await bare.study.close();
    const recorded = await minimize((p) => p.x, space, {
      storage: url,
      study: "b",
      budget: 3,
      metaFeatures: { rows: 7 },
    });
    assert.deepEqual(recorded.study.metaFeatures, { rows: 7 });
    await recorded.study.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pool index: the candidates samePoint matches, in order, duplicates and near ones included", () => {
  const rng = new Rng(5);
  for (const dim of [0, 1, 3, 7]) {
    // Random points, grid points (integers, one-hot columns), exact and near duplicates (within
    // 1e-12 of a coordinate, and just outside), zeros of either sign.
    const points: Float64Array[] = [];
    for (let i = 0; i < 300; i++) {
      const kind = rng.integer(4);
      if (kind === 0 || points.length === 0) points.push(Float64Array.from(rng.uniforms(dim)));
      else if (kind === 1) {
        points.push(Float64Array.from({ length: dim }, () => rng.integer(3) / 2));
      } else {
        const near = Float64Array.from(points[rng.integer(points.length)]);
        if (dim > 0 && kind === 3) {
          near[rng.integer(dim)] += [-1e-12, -6e-13, 4e-13, 9e-13, 1.1e-12, 3e-12][rng.integer(6)];
        }
        points.push(near);
      }
    }
    points.push(new Float64Array(dim).fill(-0));
    const index = new PoolIndex(points, dim);
    const brute = (u: Float64Array) => points.flatMap((c, i) => samePoint(c, u) ? [i] : []);
    const queries = [...points, new Float64Array(dim + 1), new Float64Array(dim).fill(NaN)];
    for (let i = 0; i < 200; i++) {
      const u = Float64Array.from(points[rng.integer(points.length)]);
      if (dim > 0) u[rng.integer(dim)] += (rng.uniform() - 0.5) * 4e-12;
      queries.push(u);
    }
    let total = 0;
    for (const u of queries) {
      const found = index.matches(u);
      assert.deepEqual(found, brute(u), `dim ${dim}, query ${u}`);
      total += found.length;
    }
    assert.ok(total > queries.length, "the queries met duplicates");
  }
  // A pool with a coordinate out of reach of the sums is compared with every candidate.
  const odd = [Float64Array.of(NaN, 0.5), Float64Array.of(0.2, 0.5), Float64Array.of(Infinity, 1)];
  const index = new PoolIndex(odd, 2);
  for (const u of [...odd, Float64Array.of(0.2, 0.5 + 1e-13), Float64Array.of(NaN, NaN)]) {
    assert.deepEqual(index.matches(u), odd.flatMap((c, i) => samePoint(c, u) ? [i] : []));
  }
  assert.deepEqual(index.matches(Float64Array.of(0.2, 0.5)), [0, 1]);
});

Deno.test("stored studies in pool mode: the pool proposed from and remaining are the candidates no trial is, in pool order", async () => {
  const storage = await openStorage("memory:");
  // A grid with an exact duplicate (two candidates, as in SMBO: a trial takes the first one free),
  // and near candidates within 1e-12 in the unit cube and just outside (other configurations).
  const candidates = [
    ...Array.from({ length: 24 }, (_, i) => ({ x: i / 24 })),
    { x: 0.5 },
    { x: 0.5 + 4e-13 },
    { x: 0.5 + 3e-12 },
    { x: 0.25 + 1e-13 },
  ];
  const points = candidates.map((c) => space.encode(c));
  const unused = (study: StoredStudy<{ x: number }>) => {
    const free = candidates.map(() => true);
    for (const t of study.storedTrials) {
      if (t.status === "failed" && t.lost) continue;
      const x = (t.params as { x: number }).x;
      const i = candidates.findIndex((c, j) => free[j] && c.x === x);
      if (i >= 0) free[i] = false;
    }
    return points.filter((_, i) => free[i]);
  };
  const waiting = (study: StoredStudy<{ x: number }>) =>
    study.storedTrials.filter((t) => t.status === "waiting").length;
  let proposals = 0;
  const handles: StoredStudy<{ x: number }>[] = [];
  const recorder = (handle: number): Proposer => ({
    name: "recorder",
    propose(context, q) {
      proposals++;
      assert.deepEqual(context.pool, unused(handles[handle]));
      return randomSearch().propose(context, q);
    },
  });
  const check = (study: StoredStudy<{ x: number }>) => {
    assert.equal(study.remaining, unused(study).length + waiting(study));
  };
  const a = await createStudy({
    storage,
    name: "pool",
    space,
    candidates,
    initialDesignSize: 2,
    // It takes one of 0.5's two candidates, not 0.5 + 4e-13.
    initialConfigurations: [{ x: 0.5 }],
    proposer: recorder(0),
    worker: "a",
    leaseSeconds: 0.05,
    heartbeatSeconds: 1000,
  });
  handles.push(a);
  check(a);
  assert.equal(a.remaining, 28 - 2 - 1 + 3, "the design's 2 and the initial configuration's 1");
  await a.enqueue({ x: 0.25 + 1e-13 }); // takes 0.25 + 1e-13, not 0.25
  check(a);
  await assert.rejects(a.enqueue({ x: 0.5 + 2e-13 }), /must be an unused candidate/);
  // Listed twice, as in `SMBO`: the initial configuration's trial holds one copy, so 0.5 can be
  // enqueued once more, not twice.
  await a.enqueue({ x: 0.5 });
  check(a);
  await assert.rejects(a.enqueue({ x: 0.5 }), /must be an unused candidate/);
  for (let i = 0; i < 6; i++) {
    const trial = await a.ask();
    check(a);
    await a.tell(trial, i % 3 === 0 ? NaN : trial.params.x);
    check(a);
  }
  // A trial whose worker stops heart-beating is lost, and frees its candidates.
  const hanging = await a.ask();
  check(a);
  await new Promise((resolve) => setTimeout(resolve, 120));
  const b = await loadStudy<{ x: number }>({
    storage,
    name: "pool",
    proposer: recorder(1),
    worker: "b",
  });
  handles.push(b);
  // Its lease has passed, which the next claim judges (the study keeps no other worker's
  // heart-beats): until then it holds its candidate.
  check(b);
  const next = await b.ask();
  const lost = b.storedTrials.find((t) => t.number === hanging.id)!;
  assert.equal(lost.status, "failed");
  assert.ok(lost.lost);
  check(b);
  const freed = (lost.params as { x: number }).x;
  assert.ok(
    next.params.x === freed || unused(b).some((c) => samePoint(c, space.encode({ x: freed }))),
    "the lost trial's candidate is free again",
  );
  await b.tell(next, 0);
  while (b.remaining > 0) {
    const [trial] = await b.ask(1);
    check(b);
    await b.tell(trial, 1);
  }
  assert.deepEqual(unused(b), []);
  await assert.rejects(b.ask(), /candidate pool has only 0 unused configurations left/);
  // A handle loaded afresh counts the same.
  const c = await loadStudy<{ x: number }>({ storage, name: "pool", worker: "c" });
  assert.equal(c.remaining, 0);
  assert.ok(proposals >= 15, `${proposals} proposals checked`);
  for (const study of [a, b, c]) await study.close();
  await storage.close();
});

Deno.test("stored studies draw the initial design SMBO draws, without repeating an initial configuration", async () => {
  const small = defineSpace({ a: categorical(["x", "y", "z"]), b: categorical([1, 2]) });
  const first = { a: "x", b: 1 };
  const options = { seed: 3, initialDesignSize: 5, proposer: randomSearch() };
  const inMemory = new SMBO(small, { ...options, initialConfigurations: [first] });
  const asked = inMemory.ask(6).map((t) => JSON.stringify(t.params));
  const storage = await openStorage("memory:");
  const stored = await createStudy({
    storage,
    name: "s",
    space: small,
    ...options,
    initialConfigurations: [first],
  });
  const storedAsked = (await stored.ask(6)).map((t) => JSON.stringify(t.params));
  assert.deepEqual(storedAsked, asked);
  assert.equal(new Set(asked).size, 6, "six distinct configurations of the six");
  await stored.close();
  await storage.close();
});

Deno.test("stored minimize: the study it creates gets the budget's design size, as in memory", async () => {
  // 13 parameters: the uncapped design would be 27 of a budget of 30.
  const space = defineSpace(
    Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`x${i}`, float(0, 1)])),
  );
  const f = (p: Record<string, number>) => Object.values(p).reduce((s, v) => s + v, 0);
  const storage = await openStorage("memory:");
  try {
    const stored = await minimize(f, space, {
      storage,
      study: "capped",
      budget: 30,
      proposer: randomSearch(),
    });
    const initial = stored.trials.filter((t) => t.source === "initial").length;
    assert.equal(initial, 15);
    const inMemory = await minimize(f, space, { budget: 30, proposer: randomSearch() });
    assert.equal(inMemory.trials.filter((t) => t.source === "initial").length, initial);
    await stored.study.close();
    // Reopening with another budget neither fails nor changes the stored design.
    const again = await minimize(f, space, {
      storage,
      study: "capped",
      budget: 40,
      proposer: randomSearch(),
    });
    assert.equal(again.trials.filter((t) => t.source === "initial").length, 15);
    await again.study.close();
    // createStudy knows no budget: the uncapped default.
    const created = await createStudy({ storage, name: "uncapped", space });
    const asked = await created.ask(27);
    assert.equal(asked.filter((t) => t.source === "initial").length, 27);
    await created.close();
  } finally {
    await storage.close();
  }
});

Deno.test("a stored study gives the model its data in trial-number order: batches told out of order propose alike in a running process and in resumed ones", async () => {
  const batchSpace = defineSpace({ x: float(-2, 2), y: float(-2, 2) });
  const f = (p: { x: number; y: number }) =>
    (p.x - 0.3) ** 2 + (p.y + 0.5) ** 2 + 0.1 * Math.sin(5 * p.x);
  const run = async (reload: boolean) => {
    const storage = await openStorage("memory:");
    const open = () =>
      createStudy({
        storage,
        name: "batches",
        space: batchSpace,
        seed: 3,
        initialDesignSize: 4,
        worker: "w",
        loadIfExists: true,
      });
    let study = await open();
    for (let batch = 0; batch < 6; batch++) {
      if (reload) {
        await study.close();
        study = await open();
      }
      const trials = await study.ask(3);
      // told last first: the evaluations finish out of trial-number order
      for (const trial of [...trials].reverse()) await study.tell(trial, f(trial.params));
    }
    const params = study.trials.map((t) => t.params);
    await study.close();
    await storage.close();
    return params;
  };
  assert.deepEqual(await run(true), await run(false));
});

const scoreSpace = defineSpace({ x: float(0, 1), y: float(-1, 1) });
type ScoreParams = { x: number; y: number };
/** A score to maximise (peak 1 at x = 0.3, y = 0.2), failing on part of the space. */
const score = (p: ScoreParams) => {
  if (p.x > 0.9) throw new Error("diverged");
  return 1 - (p.x - 0.3) ** 2 - (p.y - 0.2) ** 2;
};

storageTest(
  'stored studies: direction "maximize" is stored, read back and kept; a resume with another direction is refused and changes nothing',
  async (backend) => {
    await withStorage(backend, async (storage, url) => {
      const run = await minimize(score, scoreSpace, {
        storage,
        study: "accuracy",
        budget: 6,
        seed: 0,
        proposer: randomSearch(),
        direction: "maximize",
      });
      assert.equal(run.study.direction, "maximize");
      const values = run.trials.filter((t) => t.status === "complete").map((t) => t.value!);
      assert.equal(run.best.value, Math.max(...values));
      await run.study.close();
      // Read back, also from a new connection to the same file.
      const reopened = backend.name === "memory" ? storage : await openStorage(url);
      try {
        assert.equal((await reopened.getStudy("accuracy"))?.direction, "maximize");
        const [summary] = await reopened.listStudies();
        assert.equal(summary.direction, "maximize");
        assert.equal(summary.best, Math.max(...values));
        const loaded = await loadStudy({ storage: reopened, name: "accuracy" });
        assert.equal(loaded.direction, "maximize");
        assert.equal(loaded.record.direction, "maximize");
        assert.equal(loaded.best.value, Math.max(...values));
        await loaded.close();
      } finally {
        if (reopened !== storage) await reopened.close();
      }
      const before = await storage.getStudy("accuracy");
      const mismatch = (error: Error) =>
        error instanceof TypeError &&
        error.message ===
          'study "accuracy": options.direction is "minimize", but the study was created with "maximize"';
      await assert.rejects(
        minimize(score, scoreSpace, {
          storage,
          study: "accuracy",
          budget: 10,
          seed: 0,
          proposer: randomSearch(),
          direction: "minimize",
        }),
        mismatch,
      );
      await assert.rejects(
        loadStudy({ storage, name: "accuracy", direction: "minimize" }),
        mismatch,
      );
      await assert.rejects(
        createStudy({
          storage,
          name: "accuracy",
          space: scoreSpace,
          loadIfExists: true,
          direction: "minimize",
        }),
        mismatch,
      );
      assert.deepEqual(await storage.getStudy("accuracy"), before);
      assert.equal((await storage.trialsSince(before!.id, 0)).trials.length, 6);
      // Without a direction a resume keeps the study's own.
      const resumed = await minimize(score, scoreSpace, {
        storage,
        study: "accuracy",
        budget: 8,
        seed: 0,
        proposer: randomSearch(),
      });
      assert.equal(resumed.study.direction, "maximize");
      assert.equal(resumed.trials.length, 8);
      await resumed.study.close();
      // A study created without a direction minimises, and refuses "maximize" alike.
      const plain = await createStudy({ storage, name: "loss", space: scoreSpace });
      assert.equal(plain.direction, "minimize");
      await plain.close();
      assert.equal((await storage.getStudy("loss"))?.direction, "minimize");
      await assert.rejects(
        loadStudy({ storage, name: "loss", direction: "maximize" }),
        /options\.direction is "maximize", but the study was created with "minimize"/,
      );
    });
  },
  { backends: ["memory", "sqlite", "postgres"] },
);

storageTest(
  "stored minimize with the GP default: maximising f, interrupted and resumed, is minimising −f uninterrupted, trial for trial",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const common = { storage, budget: 12, seed: 4 };
      const first = await minimize(score, scoreSpace, {
        ...common,
        budget: 8,
        study: "max",
        direction: "maximize",
      });
      await first.study.close();
      const max = await minimize(score, scoreSpace, { ...common, study: "max" });
      const min = await minimize((p: ScoreParams) => -score(p), scoreSpace, {
        ...common,
        study: "min",
      });
      assert.deepEqual(
        max.trials.map((t) => [t.params, t.status, t.source]),
        min.trials.map((t) => [t.params, t.status, t.source]),
      );
      assert.ok(max.trials.filter((t) => t.source === "model").length >= 4);
      assert.deepEqual(
        max.trials.map((t) => t.value),
        min.trials.map((t) => t.value === undefined ? undefined : -t.value),
      );
      assert.equal(max.best.value, -min.best.value);
      await max.study.close();
      await min.study.close();
    });
  },
  { backends: ["memory", "sqlite", "postgres"] },
);

Deno.test("stored tell refuses an outcome that is not a number, an Error or { error }; ask names a string q", async () => {
  const storage = await openStorage("memory:");
  try {
    const study = await createStudy({ storage, name: "t", space, proposer: randomSearch() });
    const trial = await study.ask();
    for (const outcome of [{ value: 0.5 }, "0.5", undefined]) {
      await assert.rejects(
        study.tell(trial, outcome as never),
        /^TypeError: tell: outcome must be a number .*tell\(trial, 0\.5\)/,
      );
    }
    assert.equal(study.trials[trial.id].status, "running", "a refused outcome changed nothing");
    await study.refresh();
    assert.equal(study.trials[trial.id].status, "running");
    assert.equal((await study.tell(trial, { error: "oom" })).error, "oom");
    await assert.rejects(
      study.ask("2" as never),
      /q must be a positive integer, got the string "2"/,
    );
    await study.close();
  } finally {
    await storage.close();
  }
});

Deno.test('stored studies label interleaved random configurations "random", and keep the label', async () => {
  const storage = await openStorage("memory:");
  try {
    const plane = defineSpace({ x: float(0, 1), y: float(0, 1) });
    const f = (p: { x: number; y: number }) => p.x + p.y;
    const options = { budget: 14, seed: 0, batchSize: 3, initialDesignSize: 5 };
    const proposer = () => interleaveRandom(bayesOpt(), 0.5);
    const stored = await minimize(f, plane, {
      ...options,
      storage,
      study: "r",
      proposer: proposer(),
    });
    const sources = stored.trials.slice(5).map((t) => t.source);
    assert.ok(sources.includes("random") && sources.includes("model"), sources.join(","));
    await stored.study.close();
    const reloaded = await loadStudy({ storage, name: "r" });
    assert.deepEqual(reloaded.trials.map((t) => t.source), stored.trials.map((t) => t.source));
    await reloaded.close();
  } finally {
    await storage.close();
  }
});

Deno.test("stored minimize caps an initialDesignSize larger than the budget as the in-memory one does", async () => {
  const plane = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2;
  const small = defineSpace({ a: categorical(["x", "y", "z"]), b: int(1, 3) });
  const g = (p: { a: string; b: number }) => (p.a === "y" ? 0 : 1) + (p.b - 2) ** 2;
  type Run = (options: object) => Promise<{ trials: Trial<unknown>[]; study?: unknown }>;
  const key = (trials: readonly Trial<unknown>[]) =>
    trials.map((t) => JSON.stringify([t.params, t.value, t.status, t.source]));
  // A Latin hypercube depends on its size; in a small discrete space, so do the replacements of
  // repeated configurations.
  const cases: { run: Run; budget: number; design: number; initialDesign: string }[] = [
    { run: (o) => minimize(f, plane, o as never), budget: 6, design: 10, initialDesign: "lhs" },
    { run: (o) => minimize(g, small, o as never), budget: 5, design: 8, initialDesign: "sobol" },
  ];
  for (const { run, budget, design, initialDesign } of cases) {
    const options = { budget, seed: 1, initialDesignSize: design, initialDesign };
    const memory = await run(options);
    const storage = await openStorage("memory:");
    try {
      const stored = await run({ ...options, storage, study: "s" });
      const study = stored.study as StoredStudy<unknown>;
      assert.deepEqual(key(stored.trials), key(memory.trials), initialDesign);
      const initial = study.storedTrials.filter((t) => t.source === "initial");
      assert.equal(initial.length, budget, `${initialDesign}: the design drawn at the budget`);
      await study.close();
      // The same call with a larger budget goes on (the study keeps the size it was given).
      const more = await run({ ...options, budget: budget + 1, storage, study: "s" });
      const again = more.study as StoredStudy<unknown>;
      assert.equal(more.trials.length, budget + 1);
      assert.equal(again.record.settings.initialDesignSize, design);
      await again.close();
    } finally {
      await storage.close();
    }
  }
});

Deno.test("stored minimize gives the in-memory minimize's trials (same seed, batchSize 1), resumed or not", async () => {
  const plane = defineSpace({ x: float(-2, 2), y: float(-2, 2) });
  const f = (p: { x: number; y: number }) => {
    if (p.x > 1.5) throw new Error("diverged");
    return (p.x - 0.7) ** 2 + (p.y + 0.2) ** 2;
  };
  const key = (trials: readonly Trial<unknown>[]) =>
    trials.map((t) => JSON.stringify([t.params, t.value, t.status, t.error, t.source]));
  for (const extra of [{}, { direction: "maximize" as const }]) {
    const options = { budget: 12, seed: 5, ...extra };
    const memory = await minimize(f, plane, options);
    const stored = await minimize(f, plane, { ...options, storage: "memory:", study: "s" });
    assert.deepEqual(key(stored.trials), key(memory.trials));
    await stored.study.close();
    // Interrupted after 7 trials (the first call creates the study with the full run's design).
    const path = await Deno.makeTempFile({ suffix: ".db" });
    try {
      const url = `sqlite:${path}`;
      const design = memory.trials.filter((t) => t.source === "initial").length;
      const first = await minimize(f, plane, {
        ...options,
        budget: 7,
        initialDesignSize: design,
        storage: url,
        study: "s",
      });
      await first.study.close();
      const resumed = await minimize(f, plane, { ...options, storage: url, study: "s" });
      assert.deepEqual(key(resumed.trials), key(memory.trials));
      await resumed.study.close();
    } finally {
      await Deno.remove(path);
    }
  }
});

storageTest(
  "stored studies in pool mode: a configuration listed twice is enqueued as often as SMBO takes it",
  (backend) =>
    withStorage(backend, async (storage) => {
      const grid = defineSpace({ x: int(0, 9) });
      const candidates = [{ x: 1 }, { x: 1 }, { x: 2 }];
      const options = { seed: 0, proposer: randomSearch(), candidates, initialDesignSize: 0 };
      const memory = new SMBO(grid, options);
      const stored = await createStudy({ storage, name: "twice", space: grid, ...options });
      // Whether each study accepts enqueueing x = 1 now: the stored one as the in-memory one.
      const enqueue = async () => {
        let inMemory = true;
        try {
          memory.enqueue({ x: 1 });
        } catch (error) {
          assert.match((error as Error).message, /must be an unused candidate/);
          inMemory = false;
        }
        let inStorage = true;
        try {
          await stored.enqueue({ x: 1 });
        } catch (error) {
          assert.match((error as Error).message, /must be an unused candidate; \{"x":1\} is taken/);
          inStorage = false;
        }
        assert.equal(inStorage, inMemory, "the stored study accepts what SMBO accepts");
        assert.equal(stored.remaining, memory.remaining, "remaining counts both copies");
        return inStorage;
      };
      const both = async (outcome: number | Error) => {
        const [m, s] = [memory.ask(), await stored.ask()];
        assert.deepEqual([m.params, s.params], [{ x: 1 }, { x: 1 }]);
        memory.tell(m, outcome);
        await stored.tell(s, outcome);
        assert.equal(stored.remaining, memory.remaining, "remaining counts both copies");
      };
      assert.equal(await enqueue(), true);
      await both(0.5);
      // One copy complete: the other is still a candidate.
      assert.equal(await enqueue(), true);
      assert.equal(await enqueue(), false, "both copies queued or complete");
      await both(new Error("diverged"));
      // A retry of the copy whose trial failed.
      assert.equal(await enqueue(), true);
      assert.equal(await enqueue(), false);
      await stored.close();
    }),
);

storageTest(
  "stored minimize in pool mode: a configuration listed twice is evaluated twice, as in memory",
  (backend) =>
    withStorage(backend, async (storage) => {
      const grid = defineSpace({ x: float(0, 1) });
      const candidates = [{ x: 0.25 }, { x: 0.25 }, { x: 0.75 }, { x: 0.5 }];
      const f = (p: { x: number }) => (p.x - 0.3) ** 2;
      const options = { budget: 10, seed: 1, candidates, initialDesignSize: 1 };
      const inMemory = await minimize(f, grid, options);
      const stored = await minimize(f, grid, { ...options, storage, study: "twice" });
      for (const run of [inMemory, stored]) {
        assert.equal(run.stopped, "exhausted");
        assert.deepEqual(
          run.trials.map((t) => t.params.x).sort(),
          [0.25, 0.25, 0.5, 0.75],
          "every candidate evaluated once, the configuration listed twice twice",
        );
      }
      await stored.study.close();
    }),
);
