import assert from "node:assert/strict";
import {
  leaveOneTaskOut,
  normalizedRegretCurve,
  summariseTransferRuns,
  tabularProblems,
  TransferBenchmarkStopped,
  transferCurveFigure,
  transferCurves,
  type TransferMethod,
  type TransferRun,
} from "../../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior } from "../../lib/meta/transfer.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";

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
    methods: ["random", "config-model"],
    seeds: 1,
    budget: 8,
    heldOut: ["t1", "t2", "t3"],
    // config-model throws: its configurations come from its model, not a portfolio.
    strategyOptions: { warmStartFrom: "portfolio" },
  });
  assert.equal(runs.length, 6);
  for (const run of runs.filter((r) => r.method === "config-model")) {
    assert.equal(run.status, "failed");
    assert.match(run.error!, /warmStartFrom: config-model's configurations come from its model/);
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
  // A bad option of a strategy is refused before any run.
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        methods: ["fsbo", "gp"],
        seeds: 1,
        budget: 3,
        heldOut: ["t1"],
        strategyOptions: { fsbo: { ...fsbo, learningRate: -1 } },
      }),
    /leaveOneTaskOut options\.strategyOptions\.fsbo\.learningRate: must be > 0/,
  );
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

const depthSpace = defineSpace({ depth: int(1, 6) });
const bowl = (id: string, shift: number) => ({
  id,
  rows: [1, 2, 3, 4, 5, 6].map((depth) => ({ params: { depth }, value: (depth - shift) ** 2 })),
});

Deno.test("tabular problems average replicates of a configuration into one candidate", async () => {
  const a = {
    id: "a",
    rows: [
      { params: { depth: 1 }, value: 0 },
      { params: { depth: 2 }, value: 0.5 },
      { params: { depth: 3 }, value: 0.7 },
      { params: { depth: 1 }, value: 0.9 },
    ],
  };
  const [dup] = tabularProblems(depthSpace, [a, bowl("b", 3)]);
  assert.deepEqual(dup.candidates, [{ depth: 1 }, { depth: 2 }, { depth: 3 }]); // first rows' order
  assert.equal(dup.objective({ depth: 1 }), 0.45);
  assert.deepEqual(dup.history.map((t) => t.value), [0.45, 0.5, 0.7]);
  assert.equal(dup.minimum, 0.45);
  assert.equal(dup.maximum, 0.7);
  // The whole pool reaches the minimum: regret 0 (the lookup used to keep the last row, 0.9,
  // while the minimum was the first row's 0, out of reach).
  const runs = await leaveOneTaskOut(tabularProblems(depthSpace, [a, bowl("b", 3)]), {
    methods: ["random", "gp"],
    seeds: 1,
    budget: 3,
    heldOut: ["a"],
  });
  for (const run of runs) assert.equal(run.regret.at(-1), 0, run.method);
  // Without replicates the table is the rows themselves.
  const [plain] = tabularProblems(depthSpace, [bowl("p", 2)]);
  assert.deepEqual(plain.history, bowl("p", 2).rows);
});

Deno.test("tabular problems: non-finite values are failed runs, worst or dropped", () => {
  const rows = bowl("c", 4).rows.map((r, i) => ({
    ...r,
    value: i === 1 ? NaN : i === 5 ? Infinity : r.value,
  }));
  const replicate = { params: { depth: 3 }, value: -Infinity }; // a failed replicate
  const [worst] = tabularProblems(depthSpace, [{ id: "c", rows: [...rows, replicate] }]);
  // depth 1 has the worst finite value, 9; depth 3's replicates average 1 and 9.
  assert.deepEqual(worst.history.map((t) => t.value), [9, 9, 5, 0, 1, 9]);
  assert.equal(worst.objective({ depth: 2 }), 9);
  assert.deepEqual([worst.minimum, worst.maximum], [0, 9]);
  const [drop] = tabularProblems(depthSpace, [{ id: "c", rows: [...rows, replicate] }], {
    failed: "drop",
  });
  assert.deepEqual(drop.candidates, [{ depth: 1 }, { depth: 3 }, { depth: 4 }, { depth: 5 }]);
  assert.deepEqual(drop.history.map((t) => t.value), [9, 1, 0, 1]);
  assert.throws(() => drop.objective({ depth: 2 }), /c: configuration not in the table/);
  assert.deepEqual([drop.minimum, drop.maximum], [0, 9]);
  // No finite value at all (or no rows): no candidates, no history, NaN range.
  const dead = { id: "dead", rows: rows.map((r) => ({ ...r, value: NaN })) };
  for (const failed of ["worst", "drop"] as const) {
    for (const task of [dead, { id: "dead", rows: [] }]) {
      const [p] = tabularProblems(depthSpace, [task], { failed });
      assert.deepEqual([p.candidates, p.history], [[], []]);
      assert.ok(Number.isNaN(p.minimum) && Number.isNaN(p.maximum));
    }
  }
});

Deno.test("one non-finite value no longer aborts the protocol; a task without any is skipped", async () => {
  const tasks = [bowl("a", 2), bowl("b", 3), bowl("c", 4), {
    id: "dead",
    rows: bowl("d", 5).rows.map((r) => ({ ...r, value: NaN })),
  }];
  tasks[2].rows[5].value = NaN;
  tasks[1].rows[0].value = Infinity;
  const problems = tabularProblems(depthSpace, tasks);
  const runs = await leaveOneTaskOut(problems, {
    methods: ["gp", "rgpe-gp"],
    seeds: 1,
    budget: 4,
    heldOut: ["a", "dead"],
  });
  assert.deepEqual(runs.map((r) => [r.problem, r.status]), [
    ["a", "ok"],
    ["a", "ok"],
    ["dead", "skipped"],
    ["dead", "skipped"],
  ]);
  for (const run of runs.filter((r) => r.problem === "dead")) {
    assert.equal(
      run.error,
      "minimum (NaN) and maximum (NaN) must be finite to normalise regret " +
        "(a tabular task without any finite value has neither)",
    );
  }
  // Any non-finite range is skipped (an infinite maximum would make every regret 0).
  const unbounded = await leaveOneTaskOut(
    [...problems.slice(0, 3), { ...problems[0], id: "inf", maximum: Infinity }],
    { methods: ["gp"], seeds: 1, budget: 1, heldOut: ["inf"] },
  );
  assert.equal(unbounded[0].status, "skipped");
  assert.equal(
    unbounded[0].error,
    "minimum (0) and maximum (Infinity) must be finite to normalise regret",
  );
  // The dead task is no past task: a prepared prior over the others is the one to pass.
  const prior = PreparedPrior.from(
    problems.slice(0, 3).map((p) => ({ id: p.id, trials: p.history })),
    depthSpace,
  );
  const given = await leaveOneTaskOut(problems, {
    methods: ["rgpe-gp"],
    seeds: 1,
    budget: 4,
    heldOut: ["a"],
    prior,
  });
  assert.deepEqual(
    given.map((r) => r.regret),
    runs.filter((r) => r.problem === "a" && r.method === "rgpe-gp").map((r) => r.regret),
  );
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        methods: ["rgpe-gp"],
        seeds: 1,
        budget: 1,
        prior: PreparedPrior.from(
          problems.slice(0, 2).map((p) => ({ id: p.id, trials: p.history })),
          depthSpace,
        ),
      }),
    /options\.prior: its tasks must be the problems \(those with a history\)/,
  );
  // The right ids with other data (here the values negated, as a prior built from raw scores
  // next to problems built with direction "maximize" would be) are refused, not used.
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        methods: ["warm-start"],
        seeds: 1,
        budget: 1,
        prior: PreparedPrior.from(
          problems.slice(0, 3).map((p) => ({
            id: p.id,
            trials: p.history.map((t) => ({ ...t, value: -t.value })),
          })),
          depthSpace,
        ),
      }),
    /options\.prior: task "a" holds other trials than the problem's history/,
  );
  // A bad history after an empty one is still named by its index among the problems.
  const bad = [problems[3], problems[0], {
    ...problems[1],
    history: [{ params: { depth: 9 }, value: 1 }],
  }];
  await assert.rejects(
    () => leaveOneTaskOut(bad, { methods: ["gp"], seeds: 1, budget: 1 }),
    /^TypeError: leaveOneTaskOut problems\[2\]\.history\[0\]\.params/,
  );
});

Deno.test("tabular problems: bad cells and options name the task and the row", () => {
  const space = defineSpace({ x: float(0, 1), flag: categorical([true, false]) });
  const task = (id: string) => ({
    id,
    rows: Array.from({ length: 12 }, (_, i) => ({
      params: { x: i / 11, flag: i % 2 === 0 } as Record<string, unknown>,
      value: i,
    })),
  });
  const tasks = [task("a"), task("b"), task("c"), task("iris")];
  tasks[3].rows[9].params.flag = "True";
  assert.throws(() => tabularProblems(space, tasks), {
    name: "TypeError",
    message:
      'tabularProblems tasks[3] ("iris").rows[9].params.flag: must be one of true, false, got the string "True"',
  });
  tasks[3].rows[9].params = { x: 0.5, flag: true, seed: 0 };
  assert.throws(() => tabularProblems(space, tasks), {
    message: 'tabularProblems tasks[3] ("iris").rows[9].params.seed: unknown key',
  });
  const text = [task("a"), { id: "s", rows: [{ params: { x: 0, flag: true }, value: "0.5" }] }];
  assert.throws(() => tabularProblems(space, text as never), {
    name: "TypeError",
    message: 'tabularProblems tasks[1] ("s").rows[0].value: must be a number ' +
      "(NaN, ±Infinity or null for a failed evaluation), got string",
  });
  assert.throws(() => tabularProblems(space, [{ id: 3 }] as never), {
    message: "tabularProblems tasks[0].id: must be a string",
  });
  assert.throws(() => tabularProblems(space, [task("a")], { failed: "skip" as "drop" }), {
    message: 'tabularProblems options.failed: must be one of "worst", "drop"',
  });
  assert.throws(() => tabularProblems(space, [task("a")], { direction: "max" as "maximize" }), {
    message: 'tabularProblems options.direction: must be one of "minimize", "maximize"',
  });
});

Deno.test("a pool smaller than the budget: the regret curve is padded to the budget", async () => {
  const small = { id: "small", rows: bowl("s", 3).rows.slice(0, 4) }; // depth 1 … 4 of 6
  const problems = tabularProblems(depthSpace, [small, bowl("b", 3), bowl("c", 4)]);
  const runs = await leaveOneTaskOut(problems, {
    methods: ["random", "rgpe-gp"],
    seeds: 1,
    budget: 6,
    heldOut: ["small", "b"],
  });
  for (const run of runs) {
    assert.equal(run.regret.length, 6, `${run.problem} ${run.method}`);
    if (run.problem === "small") {
      assert.equal(run.evaluations, 4);
      assert.deepEqual(run.regret.slice(3), [0, 0, 0]); // the whole pool, padded
    } else {
      assert.equal(run.evaluations, undefined);
    }
  }
  const summary = summariseTransferRuns(runs, [4, 6]);
  for (const s of summary) {
    const own = runs.filter((r) => r.method === s.method);
    const mean = own.reduce((a, r) => a + r.regret[s.step - 1], 0) / own.length;
    assert.ok(Math.abs(s.meanRegret - mean) < 1e-15, `${s.method} @${s.step}`);
  }
});

Deno.test("direction maximize: regret is (max − best) / (max − min) of the scores", async () => {
  const accuracy = (id: string, best: number) => ({
    id,
    rows: [1, 2, 3, 4, 5, 6].map((depth) => ({
      params: { depth },
      value: 0.9 - 0.05 * (depth - best) ** 2,
    })),
  });
  const tasks = [accuracy("a", 2), accuracy("b", 3), accuracy("c", 4)];
  const maximised = tabularProblems(depthSpace, tasks, { direction: "maximize" });
  const negated = tabularProblems(
    depthSpace,
    tasks.map((t) => ({ ...t, rows: t.rows.map((r) => ({ ...r, value: -r.value })) })),
  );
  assert.deepEqual(
    [maximised[1].minimum, maximised[1].maximum],
    [-0.9, -(0.9 - 0.05 * 9)],
  );
  assert.equal(maximised[1].objective({ depth: 3 }), -0.9);
  const options = { methods: ["random", "gp", "rgpe-gp"] as const, seeds: 2, budget: 6 };
  const runs = await leaveOneTaskOut(maximised, { ...options, methods: [...options.methods] });
  const byHand = await leaveOneTaskOut(negated, { ...options, methods: [...options.methods] });
  assert.deepEqual(runs.map((r) => r.regret), byHand.map((r) => r.regret));
  for (const run of runs) {
    assert.ok(run.regret.every((r) => r >= 0 && r <= 1));
    assert.equal(run.regret.at(-1), 0); // the whole pool: the best accuracy found
  }
  // The first evaluation's regret, by hand from the accuracies: (max − acc) / (max − min).
  const first = runs.find((r) => r.problem === "b" && r.method === "random")!;
  const accs = tasks[1].rows.map((r) => r.value);
  const span = Math.max(...accs) - Math.min(...accs);
  assert.ok(
    accs.some((acc) => Math.abs((Math.max(...accs) - acc) / span - first.regret[0]) < 1e-12),
  );
});

Deno.test("a method named twice and steps outside the runs are refused, naming the entry", async () => {
  await assert.rejects(
    () => leaveOneTaskOut(problems, { methods: ["gp", "rgpe-gp", "gp"], seeds: 1, budget: 2 }),
    /leaveOneTaskOut options\.methods\[2\]: repeats "gp" \(also methods\[0\]\)/,
  );
  const runs = [
    { problem: "a", method: "gp" as const, seed: 0, regret: [0.5, 0.2], seconds: 1 },
    { problem: "a", method: "rgpe" as const, seed: 0, regret: [0.1, 0.2], seconds: 1 },
  ];
  assert.throws(() => summariseTransferRuns(runs, [1, 0]), /steps\[1\]: must be/);
  assert.throws(() => summariseTransferRuns(runs, [1.5]), /steps\[0\]: must be a positive integer/);
  assert.throws(() => summariseTransferRuns(runs, []), /at least one step/);
  assert.throws(
    () => summariseTransferRuns(runs, [2, 3]),
    /summariseTransferRuns steps\[1\]: 3 is beyond the runs' 2 evaluations/,
  );
});

Deno.test("onProgress gets each run; if it throws, the runs finished so far come with the error", async () => {
  const seen: TransferRun[] = [];
  const all = await leaveOneTaskOut(problems, {
    methods: ["random", "gp"],
    seeds: 1,
    budget: 2,
    heldOut: ["t0"],
    onProgress: (_done, _total, _label, run) => seen.push(run),
  });
  assert.deepEqual(seen, all);
  const error = await leaveOneTaskOut(problems, {
    methods: ["random", "gp"],
    seeds: 2,
    budget: 2,
    onProgress: (done) => {
      if (done === 3) throw new RangeError("time is up");
    },
  }).then(() => undefined, (e) => e);
  assert.ok(error instanceof TransferBenchmarkStopped, String(error));
  assert.equal(error.runs.length, 3);
  assert.ok(error.runs.every((r: TransferRun) => r.status === "ok"));
  assert.match(error.message, /onProgress threw after 3 runs \(time is up\)/);
  assert.ok(error.cause instanceof RangeError);
});

Deno.test("meta-features read from JSON (null for unavailable, some missing) reach every strategy", async () => {
  const json = tabularProblems(
    space,
    [0.2, 0.3, 0.35].map((c, i) => ({
      id: `j${i}`,
      rows: grid.map((params) => ({ params, value: (params.x - c) ** 2 })),
      // As a JSON meta-dataset gives them: null where unavailable, a name missing on one task.
      metaFeatures: JSON.parse([`{"c":${c}}`, `{"c":${c},"skew":null}`, `{"skew":null}`][i]),
    })),
  );
  const runs = await leaveOneTaskOut(json, {
    methods: ["warm-start", "rgpe-gp", "config-model"],
    seeds: 1,
    budget: 3,
  });
  assert.deepEqual(runs.filter((r) => r.status !== "ok"), []);
});

Deno.test("a strategy's own options are checked before any run", async () => {
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, {
        methods: ["gp", "rgpe"],
        seeds: 1,
        budget: 2,
        strategyOptions: { rgpe: { samplez: 8 } as never },
      }),
    /leaveOneTaskOut options\.strategyOptions\.rgpe\.samplez/,
  );
});

Deno.test("seeds may be a list: each run is the run of that seed in a count", async () => {
  const base = { methods: ["random" as const, "rgpe-gp" as const], budget: 3, heldOut: ["t1"] };
  const counted = await leaveOneTaskOut(problems, { ...base, seeds: 3 });
  const listed = await leaveOneTaskOut(problems, { ...base, seeds: [2, 0] });
  assert.deepEqual(listed.map((r) => [r.method, r.seed]), [
    ["random", 2],
    ["random", 0],
    ["rgpe-gp", 2],
    ["rgpe-gp", 0],
  ]);
  for (const run of listed) {
    const same = counted.find((r) => r.method === run.method && r.seed === run.seed)!;
    assert.deepEqual(run.regret, same.regret);
  }
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...base, seeds: [1, 1] }),
    /options\.seeds\[1\]: repeats 1 \(also seeds\[0\]\)/,
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...base, seeds: [] }),
    /options\.seeds/,
  );
});

Deno.test("recordTrials keeps each run's configurations, values and sources in order", async () => {
  const base = { methods: ["warm-start" as const, "gp" as const], seeds: 1, budget: 4 };
  const runs = await leaveOneTaskOut(problems, { ...base, heldOut: ["t2"], recordTrials: true });
  for (const run of runs) {
    assert.equal(run.trials!.length, 4);
    const problem = problems.find((p) => p.id === run.problem)!;
    // The regret curve is the best so far of the recorded values.
    let best = Infinity;
    run.trials!.forEach((t, i) => {
      assert.equal(t.value, problem.objective(t.params as { x: number }));
      best = Math.min(best, t.value);
      const regret = (best - problem.minimum) / (problem.maximum - problem.minimum);
      assert.ok(Math.abs(run.regret[i] - regret) < 1e-12);
    });
  }
  // Warm start on t2 (c = 0.35) begins with the nearest task's best, t1's x = 0.3.
  const warm = runs.find((r) => r.method === "warm-start")!;
  assert.deepEqual(warm.trials![0], {
    params: { x: 0.3 },
    value: 0.05 ** 2 + 2,
    source: "enqueued",
  });
  const plain = await leaveOneTaskOut(problems, { ...base, heldOut: ["t2"] });
  assert.ok(plain.every((r) => r.trials === undefined));
  assert.deepEqual(plain.map((r) => r.regret), runs.map((r) => r.regret));
});

Deno.test("summaries refuse a run given twice, naming the problem, method and seed", () => {
  const run = (problem: string, method: "random" | "gp" | "rgpe", seed: number, r: number) => ({
    problem,
    method,
    seed,
    regret: [r],
    seconds: 0,
  });
  const first = [run("t0", "random", 0, 0.5), run("t0", "gp", 0, 0.2)];
  const second = [run("t0", "random", 0, 0.5), run("t0", "rgpe", 0, 0.1)];
  // The runs of two calls that both ran "random", merged: random's run of (t0, seed 0) twice.
  assert.throws(
    () => summariseTransferRuns([...first, ...second], [1]),
    {
      name: "RangeError",
      message: 'summariseTransferRuns runs[2]: repeats the run of problem "t0", method "random", ' +
        "seed 0 (also runs[0]); each (problem, method, seed) is one run",
    },
  );
  // A failed run and its complete re-run are one complete run.
  const retried = [{ ...run("t0", "gp", 0, 0.9), regret: [], status: "failed" as const }, ...first];
  const summary = summariseTransferRuns(retried, [1]);
  assert.deepEqual(summary.map((s) => [s.method, s.averageRank, s.tasks]), [
    ["random", 2, 1],
    ["gp", 1, 1],
  ]);
});

Deno.test("summaries refuse a non-finite regret instead of NaN ranks and means", () => {
  const runs: TransferRun[] = [
    { problem: "flat", method: "gp", seed: 0, regret: [0.4, NaN], seconds: 0 },
    { problem: "flat", method: "random", seed: 0, regret: [0.5, 0.5], seconds: 0 },
    { problem: "b", method: "gp", seed: 0, regret: [0.2, 0.2], seconds: 0 },
    { problem: "b", method: "random", seed: 0, regret: [0.5, Infinity], seconds: 0 },
  ];
  assert.throws(() => summariseTransferRuns(runs, [1]), {
    name: "TypeError",
    message: "summariseTransferRuns runs[0].regret[1]: must be a finite number, got NaN",
  });
  runs[0].regret[1] = 0.4;
  assert.throws(
    () => summariseTransferRuns(runs, [1]),
    /summariseTransferRuns runs\[3\]\.regret\[1\]: must be a finite number, got Infinity/,
  );
  // Runs that are not complete carry no curve and are not checked.
  runs[3] = { ...runs[3], status: "failed", regret: [NaN] };
  assert.equal(summariseTransferRuns(runs, [1]).find((s) => s.method === "random")!.tasks, 1);
});

Deno.test("summaries refuse runs where no (problem, seed) has every method: nothing to rank", () => {
  const run = (problem: string, method: "gp" | "rgpe", seed: number) => ({
    problem,
    method,
    seed,
    regret: [0.5],
    seconds: 0,
  });
  // gp ran seed 0 only, rgpe seed 1 only.
  const runs = [run("a", "gp", 0), run("a", "rgpe", 1), run("b", "gp", 0), run("b", "rgpe", 1)];
  assert.throws(() => summariseTransferRuns(runs, [1]), {
    name: "RangeError",
    message: "summariseTransferRuns runs: no (problem, seed) has a complete run of every method " +
      "(gp, rgpe), so no method can be ranked",
  });
  // One (problem, seed) with both: ranked over that one.
  const summary = summariseTransferRuns([...runs, run("a", "rgpe", 0)], [1]);
  assert.ok(summary.every((s) => s.averageRank === 1.5));
  assert.deepEqual(summariseTransferRuns([], [1]), []);
});

Deno.test("normalizedRegretCurve refuses a problem it cannot normalise, with leaveOneTaskOut's reason", () => {
  assert.throws(() => normalizedRegretCurve({ minimum: 0.7, maximum: 0.7 }, [0.7, 0.7]), {
    name: "RangeError",
    message:
      "normalizedRegretCurve problem: maximum (0.7) must be > minimum (0.7) to normalise regret",
  });
  assert.throws(
    () => normalizedRegretCurve({ minimum: 1, maximum: 0 }, [0.5]),
    /maximum \(0\) must be > minimum \(1\)/,
  );
  assert.throws(
    () => normalizedRegretCurve({ minimum: NaN, maximum: NaN }, [0.9]),
    /normalizedRegretCurve problem: minimum \(NaN\) and maximum \(NaN\) must be finite/,
  );
  assert.throws(
    () => normalizedRegretCurve({ minimum: 0, maximum: Infinity }, [0.9]),
    /must be finite/,
  );
  assert.deepEqual(normalizedRegretCurve({ minimum: 0, maximum: 2 }, [NaN, 1, 1.5, 0]), [
    1,
    0.5,
    0.5,
    0,
  ]);
  // A problem whose range overflows (values spanning ±1.5e308) still normalises.
  assert.deepEqual(
    normalizedRegretCurve({ minimum: -1.5e308, maximum: 1.5e308 }, [1.5e308, 0, -1.5e308]),
    [1, 0.5, 0],
  );
});

Deno.test("transferCurveFigure draws summariseTransferRuns' mean and 95% interval over tasks at every step", () => {
  // Three tasks, three seeds each, two methods; the seeds of a task differ, so an interval over
  // tasks × seeds would be narrower than the one over tasks.
  const runs: TransferRun[] = [];
  ["a", "b", "c"].forEach((problem, t) => {
    for (const [m, method] of (["gp", "rgpe-gp"] as TransferMethod[]).entries()) {
      for (let seed = 0; seed < 3; seed++) {
        const regret = [1, 2, 3, 4].map((step) => (0.9 - 0.1 * t - 0.05 * seed - 0.1 * m) / step);
        runs.push({ problem, method, seed, regret, seconds: 0 });
      }
    }
  });
  runs.push({ problem: "c", method: "gp", seed: 9, regret: [], seconds: 0, status: "failed" });
  const steps = [1, 2, 3, 4];
  const summary = summariseTransferRuns(runs, steps);
  const figure = transferCurveFigure(runs);
  const title = (figure.layout.title as { text: string }).text.replaceAll("<br>", " ");
  assert.match(title, /each task's seeds averaged first \(95% CI over tasks\)/);
  for (const method of ["gp", "rgpe-gp"] as const) {
    const at = steps.map((step) => summary.find((s) => s.method === method && s.step === step)!);
    const [curve] = transferCurves(runs, { methods: [method] });
    assert.deepEqual(curve.steps, steps);
    assert.deepEqual(curve.intervals.map((i) => i.center), at.map((s) => s.meanRegret));
    assert.deepEqual(
      curve.intervals.map((i) => i.lower),
      at.map((s) => s.meanRegret - s.halfWidth95),
    );
    assert.deepEqual(
      curve.intervals.map((i) => i.upper),
      at.map((s) => s.meanRegret + s.halfWidth95),
    );
    assert.deepEqual(curve.intervals.map((i) => i.n), at.map((s) => s.tasks));
    // The figure: the line at the means, the band between mean ∓ half-width (clipped at 0).
    const line = figure.data.find((d) => d.name === method)!;
    const band = figure.data.find((d) => d.name === `${method} band`)!;
    assert.deepEqual(line.x, steps);
    assert.deepEqual(line.y, at.map((s) => s.meanRegret));
    assert.deepEqual(band.y, [
      ...at.map((s) => s.meanRegret + s.halfWidth95),
      ...at.toReversed().map((s) => Math.max(0, s.meanRegret - s.halfWidth95)),
    ]);
  }
  // Steps and methods chosen, in their order; one task: no band, and the title says why.
  const chosen = transferCurveFigure(runs, { methods: ["rgpe-gp", "gp"], steps: [4, 1] });
  assert.deepEqual(chosen.data.filter((d) => !d.fill).map((d) => [d.name, d.x]), [
    ["rgpe-gp", [1, 4]],
    ["gp", [1, 4]],
  ]);
  const one = transferCurveFigure(runs.filter((r) => r.problem === "a"));
  assert.match((one.layout.title as { text: string }).text, /no 95% CI: 1 task, 2 needed/);
  assert.deepEqual(one.data.filter((d) => d.fill).map((d) => d.y), [[], []]);
  assert.throws(() => transferCurveFigure(runs, { methods: ["gp", "taf"] }), {
    name: "RangeError",
    message: 'transferCurveFigure options.methods[1]: no complete run of "taf"',
  });
  assert.throws(() => transferCurveFigure(runs, { steps: [2, 5] }), {
    name: "RangeError",
    message: "transferCurveFigure options.steps[1]: 5 is beyond the runs' 4 evaluations",
  });
  assert.throws(
    () => transferCurves([{ ...runs[0], regret: [0.5, NaN, 0.2, 0.1] }]),
    { message: "transferCurves runs[0].regret[1]: must be a finite number, got NaN" },
  );
  assert.throws(
    () => transferCurveFigure(runs, { logy: true } as never),
    /^TypeError: transferCurveFigure options\.logy: unknown key/,
  );
});

Deno.test("tabular problems: a failed evaluation may be null, as JSON writes NaN", () => {
  const json = JSON.parse(JSON.stringify([bowl("a", 2), bowl("b", 4)]));
  json[0].rows[1].value = null;
  json[1].rows[5].value = null;
  const nan = structuredClone(json);
  nan[0].rows[1].value = NaN;
  nan[1].rows[5].value = NaN;
  const table = (
    p: { history: unknown; minimum: number; maximum: number; candidates?: unknown },
  ) => [p.history, p.minimum, p.maximum, p.candidates];
  for (const failed of ["worst", "drop"] as const) {
    for (const direction of ["minimize", "maximize"] as const) {
      assert.deepEqual(
        tabularProblems(depthSpace, json, { failed, direction }).map(table),
        tabularProblems(depthSpace, nan, { failed, direction }).map(table),
        `${failed}, ${direction}`,
      );
    }
  }
  // A failed row is the task's worst value (not 0, nor −0 when maximising).
  const [a] = tabularProblems(depthSpace, json, { direction: "maximize" });
  assert.deepEqual(a.history.map((t) => t.value), [-1, -1, -1, -4, -9, -16]);
  const text = [{ id: "s", rows: [{ params: { depth: 1 }, value: undefined }] }];
  assert.throws(() => tabularProblems(depthSpace, text as never), {
    name: "TypeError",
    message: 'tabularProblems tasks[0] ("s").rows[0].value: must be a number ' +
      "(NaN, ±Infinity or null for a failed evaluation), got undefined",
  });
});

Deno.test("tabular problems: a repeated id or an infinite meta-feature is refused, naming the field", () => {
  const tasks = [bowl("a", 2), bowl("b", 3), bowl("c", 4), bowl("b", 5)];
  assert.throws(() => tabularProblems(depthSpace, tasks), {
    name: "TypeError",
    message: 'tabularProblems tasks[3].id: duplicate id "b" (also tasks[1])',
  });
  const infinite = [bowl("a", 2), { ...bowl("b", 3), metaFeatures: { n: 3, ratio: Infinity } }];
  assert.throws(() => tabularProblems(depthSpace, infinite), {
    name: "TypeError",
    message: "tabularProblems tasks[1].metaFeatures.ratio: must be a finite number, NaN or null",
  });
  // Indices are the caller's, past a task without any finite value (no past task).
  const dead = { id: "dead", rows: [{ params: { depth: 1 }, value: NaN }] };
  assert.throws(() => tabularProblems(depthSpace, [dead, ...infinite]), {
    message: "tabularProblems tasks[2].metaFeatures.ratio: must be a finite number, NaN or null",
  });
  // NaN and null are unavailable meta-features, as everywhere.
  const unavailable = JSON.parse('{"n": null, "skew": 1}');
  const [, b] = tabularProblems(depthSpace, [bowl("a", 2), {
    ...bowl("b", 3),
    metaFeatures: unavailable,
  }]);
  assert.equal(b.metaFeatures, unavailable);
});
