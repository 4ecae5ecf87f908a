import assert from "node:assert/strict";
import {
  leaveOneTaskOut,
  summariseTransferRuns,
  tabularProblems,
} from "../../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior } from "../../lib/meta/transfer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1, { step: 0.05 }) });
const grid = Array.from({ length: 21 }, (_, i) => ({ x: i / 20 }));
const problems = tabularProblems(
  space,
  [0.2, 0.3, 0.35, 0.8].map((c, i) => ({
    id: `t${i}`,
    rows: grid.map((params) => ({ params, value: (params.x - c) ** 2 + i })),
    metaFeatures: { c },
  })),
);

Deno.test("tabular problems look configurations up and know their range", () => {
  assert.equal(problems[1].objective({ x: 0.3 }), 1);
  assert.equal(problems[1].minimum, 1);
  assert.ok(Math.abs(problems[1].maximum - (0.7 ** 2 + 1)) < 1e-12);
  const [sparse] = tabularProblems(space, [{ id: "s", rows: [{ params: { x: 0 }, value: 1 }] }]);
  assert.throws(() => sparse.objective({ x: 0.25 }), /s: configuration not in the table/);
});

Deno.test("leave-one-task-out in pool mode: regrets are normalised, monotone, from pool members", async () => {
  const runs = await leaveOneTaskOut(problems, {
    methods: ["random", "warm-start", "rgpe", "taf"],
    seeds: 2,
    budget: 6,
    heldOut: ["t1", "t2"],
  });
  assert.equal(runs.length, 2 * 4 * 2);
  for (const run of runs) {
    assert.equal(run.regret.length, 6);
    run.regret.forEach((r, i) => {
      assert.ok(r >= 0 && r <= 1, `${run.method}: ${r}`);
      if (i > 0) assert.ok(r <= run.regret[i - 1]);
    });
  }
  // Task t2 (c = 0.35) is nearest to t1 (c = 0.3) by meta-features: warm start's first
  // evaluation is t1's best configuration, x = 0.3, at normalised regret 0.05² / 0.65².
  const first = runs.find((r) => r.problem === "t2" && r.method === "warm-start")!.regret[0];
  assert.ok(Math.abs(first - 0.05 ** 2 / 0.65 ** 2) < 1e-12, `${first}`);
});

Deno.test("summaries give mean regret and average ranks with shared ties", () => {
  const runs = [
    { problem: "a", method: "gp" as const, seed: 0, regret: [0.5, 0.2], seconds: 1 },
    { problem: "a", method: "rgpe" as const, seed: 0, regret: [0.1, 0.2], seconds: 1 },
    { problem: "b", method: "gp" as const, seed: 0, regret: [0.3, 0.0], seconds: 1 },
    { problem: "b", method: "rgpe" as const, seed: 0, regret: [0.4, 0.1], seconds: 1 },
  ];
  const summary = summariseTransferRuns(runs, [1, 2]);
  const get = (method: string, step: number) =>
    summary.find((s) => s.method === method && s.step === step)!;
  assert.ok(Math.abs(get("gp", 1).meanRegret - 0.4) < 1e-12);
  assert.equal(get("gp", 1).averageRank, 1.5);
  assert.equal(get("rgpe", 1).averageRank, 1.5);
  assert.equal(get("gp", 2).averageRank, 1.25); // tie on a (1.5), first on b (1)
  assert.equal(get("rgpe", 2).averageRank, 1.75);
});

Deno.test("bad benchmark inputs are refused with the field named", async () => {
  await assert.rejects(
    () => leaveOneTaskOut(problems, { methods: ["magic" as never], seeds: 1, budget: 1 }),
    /leaveOneTaskOut options\.methods\[0\]/,
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems, { methods: ["gp"], seeds: 0, budget: 1 }),
    /options\.seeds: must be a positive integer/,
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems.slice(0, 1), { methods: ["gp"], seeds: 1, budget: 1 }),
    /at least two problems/,
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems, { methods: ["gp"], seeds: 1, budget: 1, heldOut: ["zz"] }),
    /unknown problem "zz"/,
  );
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        methods: ["rgpe"],
        seeds: 1,
        budget: 1,
        prior: PreparedPrior.from([{ id: "other", trials: problems[0].history }], space),
      }),
    /options\.prior: its tasks must be the problems/,
  );
});

Deno.test("a degenerate problem is skipped with its reason, and still serves as a prior task", async () => {
  const flat = [...problems, { ...problems[0], id: "flat", maximum: problems[0].minimum }];
  const runs = await leaveOneTaskOut(flat, {
    methods: ["gp", "rgpe"],
    seeds: 1,
    budget: 2,
    heldOut: ["t1", "flat"],
  });
  const skipped = runs.filter((r) => r.problem === "flat");
  assert.equal(skipped.length, 2);
  for (const run of skipped) {
    assert.equal(run.status, "skipped");
    assert.match(run.error!, /maximum .* must be > minimum/);
    assert.deepEqual(run.regret, []);
  }
  assert.ok(runs.filter((r) => r.problem === "t1").every((r) => r.status === "ok"));
});

Deno.test("a throwing strategy or objective is a failure row, not an abort nor Infinity", async () => {
  const broken = problems.map((p, i) =>
    i === 1
      ? {
        ...p,
        objective: () => {
          throw new Error("table offline");
        },
      }
      : i === 2
      ? { ...p, objective: (q: { x: number }) => q.x < 0.5 ? NaN : p.objective(q) }
      : p
  );
  const runs = await leaveOneTaskOut(broken, {
    methods: ["random", "config-model"], // config-model throws: no meta-features when disabled
    seeds: 1,
    budget: 8,
    heldOut: ["t1", "t2", "t3"],
    useMetaFeatures: false,
  });
  assert.equal(runs.length, 6);
  for (const run of runs.filter((r) => r.method === "config-model")) {
    assert.equal(run.status, "failed");
    assert.match(run.error!, /metaFeatures: required/);
  }
  const dead = runs.find((r) => r.problem === "t1" && r.method === "random")!;
  assert.equal(dead.status, "failed");
  assert.match(dead.error!, /table offline/);
  assert.equal(dead.failedTrials, 8);
  const partial = runs.find((r) => r.problem === "t2" && r.method === "random")!;
  assert.equal(partial.status, "ok");
  assert.ok(partial.regret.every((r) => Number.isFinite(r) && r >= 0 && r <= 1));
  assert.ok(partial.failedTrials! > 0);
  const summary = summariseTransferRuns(runs, [8]);
  assert.deepEqual(summary.map((s) => [s.method, s.tasks]), [["random", 2]]);
});

Deno.test("fitted past-task models are passed in and reused across calls", async () => {
  const prior = PreparedPrior.from(
    problems.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
    space,
  );
  const models = prior.baseModels;
  const options = { methods: ["rgpe", "tst-r"] as const, seeds: 1, budget: 4 };
  const given = await leaveOneTaskOut(problems, {
    ...options,
    methods: [...options.methods],
    prior,
  });
  const fresh = await leaveOneTaskOut(problems, { ...options, methods: [...options.methods] });
  assert.strictEqual(prior.baseModels, models); // not refitted
  // Same models (fitBaseModels's defaults), same runs.
  assert.deepEqual(given.map((r) => r.regret), fresh.map((r) => r.regret));
});

Deno.test("summaries average seeds per task before the 95% interval over tasks", () => {
  const run = (problem: string, seed: number, r: number) => ({
    problem,
    method: "gp" as const,
    seed,
    regret: [r],
    seconds: 0,
  });
  // Task means 0.2, 0.4, 0.6: mean 0.4, half-width t(0.975, 2)·0.2/√3.
  const summary = summariseTransferRuns([
    run("a", 0, 0.1),
    run("a", 1, 0.3),
    run("b", 0, 0.4),
    run("b", 1, 0.4),
    run("c", 0, 0.6),
    run("c", 1, 0.6),
  ], [1]);
  assert.equal(summary[0].tasks, 3);
  assert.ok(Math.abs(summary[0].meanRegret - 0.4) < 1e-12);
  assert.ok(Math.abs(summary[0].halfWidth95 - 4.302653 * 0.2 / Math.sqrt(3)) < 1e-5);
});

Deno.test("strategyOptions reach every transfer strategy (FSBO in pool mode here)", async () => {
  const fsbo = { hidden: 4, features: 2, metaIterations: 30, batchSize: 8, fineTuneSteps: 5 };
  const runs = await leaveOneTaskOut(problems, {
    methods: ["fsbo"],
    seeds: 1,
    budget: 4,
    heldOut: ["t1"],
    strategyOptions: { fsbo },
  });
  assert.equal(runs[0].status ?? "ok", "ok");
  assert.equal(runs[0].regret.length, 4);
  const bad = await leaveOneTaskOut(problems, {
    methods: ["fsbo", "gp"],
    seeds: 1,
    budget: 3,
    heldOut: ["t1"],
    strategyOptions: { fsbo: { ...fsbo, learningRate: -1 } },
  });
  const failed = bad.find((r) => r.method === "fsbo")!;
  assert.equal(failed.status, "failed");
  assert.match(failed.error ?? "", /learningRate/);
  assert.equal(bad.find((r) => r.method === "gp")!.regret.length, 3);
});

Deno.test("leaveOneTaskOut refuses misspelled options, protocol keys and mixed spaces before running", async () => {
  const base = { methods: ["warm-start" as const], seeds: 1, budget: 2 };
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...base, heldout: ["t0"] } as never),
    { message: "leaveOneTaskOut options.heldout: unknown key" },
  );
  let progress = 0;
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        ...base,
        onProgress: () => progress++,
        strategyOptions: { rgpee: {} } as never,
      }),
    /leaveOneTaskOut options\.strategyOptions\.rgpee: unknown key/,
  );
  assert.equal(progress, 0);
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...base, strategyOptions: { seed: 3 } as never }),
    /strategyOptions\.seed: set by the protocol/,
  );
  // A problem in another space (x in [0, 10]) would read the others' histories in its units.
  const wide = defineSpace({ x: float(0, 10, { step: 0.5 }) });
  const mixed = [...problems.slice(0, 2), { ...problems[2], space: wide }];
  await assert.rejects(
    () => leaveOneTaskOut(mixed as never, base),
    /leaveOneTaskOut problems\[2\]\.space: another space/,
  );
  const prior = PreparedPrior.from(
    problems.map((p) => ({ id: p.id, trials: p.history })),
    defineSpace({ x: float(0, 2, { step: 0.05 }) }),
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...base, prior }),
    /leaveOneTaskOut options\.prior: another space/,
  );
  // onProgress is accepted.
  const runs = await leaveOneTaskOut(problems, {
    ...base,
    heldOut: ["t0"],
    onProgress: () => progress++,
  });
  assert.equal(runs.length, 1);
  assert.equal(progress, 1);
});
