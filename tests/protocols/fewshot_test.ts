import assert from "node:assert/strict";
import {
  FEWSHOT_LEARNERS,
  fewShotAccuracy,
  type FewShotOptions,
  fewShotOwnStepsAccuracy,
  fewShotPairedDifference,
  fewShotSeedAccuracies,
  fewShotTables,
  LEARNER_KINDS,
  runComparison,
  runFewShot,
} from "../../lib/protocols/mod.ts";

Deno.test("the protocols' options take read-only lists (their own constants among them)", () => {
  // Type-level: these calls are built, not run.
  const steps = [1, 10] as const;
  const fewShot = () =>
    runFewShot({
      learners: FEWSHOT_LEARNERS,
      families: ["mnist"] as const,
      shots: [1, 5] as const,
      hidden: Object.freeze([64, 64]),
      testSteps: steps,
    });
  const comparison = () =>
    runComparison({
      learners: LEARNER_KINDS.filter((k) => k !== "pretrained") as readonly ("maml" | "fomaml")[],
      steps,
      families: [{ kind: "sinusoid", shots: steps }] as const,
    });
  const options: FewShotOptions = { learners: FEWSHOT_LEARNERS };
  assert.equal(typeof fewShot, "function");
  assert.equal(typeof comparison, "function");
  assert.equal(options.learners, FEWSHOT_LEARNERS);
});

Deno.test("runFewShot: every arm scored with accuracy, CI and loss on both families", async () => {
  const result = await runFewShot({
    families: ["mnist", "segmentation"],
    shots: [1, 2],
    learners: ["fomaml", "anil"],
    metaIterations: 3,
    metaBatchSize: 2,
    testTasks: 8,
    testSteps: [1, 3],
    smboBudget: 2,
    smboTasks: 2,
    maxScratchSteps: 4,
  });
  const tasks = [...new Set(result.rows.map((r) => r.task))].sort();
  assert.deepEqual(tasks, ["mnist-5w1s", "mnist-5w2s", "segmentation-3w1s", "segmentation-3w2s"]);
  for (const task of tasks) {
    const accuracy = result.rows.filter((r) => r.task === task && r.metric === "accuracy");
    const methods = [...new Set(accuracy.map((r) => r.method))].sort();
    assert.deepEqual(methods, ["anil", "fomaml", "scratch", "smbo-scratch"]);
    for (const r of accuracy) {
      assert.ok(r.value >= 0 && r.value <= 1, `${task} ${r.method}: ${r.value}`);
      const ci = result.rows.find((c) =>
        c.task === task && c.method === r.method && c.step === r.step &&
        c.metric === "accuracy_ci95"
      );
      assert.ok(ci && ci.value >= 0, `${task} ${r.method} step ${r.step}: CI`);
    }
    for (const method of ["anil", "fomaml"]) {
      assert.deepEqual(
        accuracy.filter((r) => r.method === method).map((r) => r.step),
        [1, 3],
      );
    }
    // Training from scratch is scored at the meta-learners' steps and at its own (10 by default).
    assert.deepEqual(accuracy.filter((r) => r.method === "scratch").map((r) => r.step), [1, 3, 10]);
    const tunedSteps = result.rows.find((r) =>
      r.task === task && r.method === "smbo-scratch" && r.metric === "tuned_steps"
    )!.value;
    assert.ok(tunedSteps >= 1 && tunedSteps <= 4);
  }
  const tables = fewShotTables(result);
  assert.equal(tables.length, 4);
  assert.match(String(tables[0].records[0]["accuracy %"]), /^\d+\.\d ± \d+\.\d$/);
});

Deno.test("runFewShot: options are validated, naming the field", async () => {
  await assert.rejects(() => runFewShot({ shots: [0] }), /shots/);
  await assert.rejects(
    () => runFewShot({ families: ["omniglot" as "mnist"] }),
    /families/,
  );
  await assert.rejects(() => runFewShot({ learners: ["pretrained"] }), /learners/);
});

Deno.test("fewShotAccuracy: one seed keeps its episode CI, several seeds get a CI over seeds", () => {
  const row = (seed: number, step: number, metric: string, value: number) => ({
    suite: "fewshot",
    task: "mnist-5w1s",
    method: "maml",
    seed,
    step,
    metric,
    value,
  });
  const one = [row(0, 10, "accuracy", 0.5), row(0, 10, "accuracy_ci95", 0.02)];
  assert.deepEqual(fewShotAccuracy(one, "mnist-5w1s", "maml", 10), {
    mean: 0.5,
    ci95: 0.02,
    seeds: 1,
  });
  assert.equal(fewShotAccuracy(one, "mnist-5w1s", "maml", 1), undefined);
  assert.equal(fewShotAccuracy(one, "mnist-5w5s", "maml", 10), undefined);
  const three = [
    ...one,
    row(1, 10, "accuracy", 0.6),
    row(1, 10, "accuracy_ci95", 0.02),
    row(2, 10, "accuracy", 0.7),
    row(2, 10, "accuracy_ci95", 0.02),
    row(0, 0, "meta_seconds", 3),
    row(1, 0, "meta_seconds", 5),
  ];
  const over = fewShotAccuracy(three, "mnist-5w1s", "maml", 10)!;
  assert.equal(over.seeds, 3);
  assert.ok(Math.abs(over.mean - 0.6) < 1e-12);
  // Student t with 2 degrees of freedom: 4.303 · s/√3 with s = 0.1.
  assert.ok(Math.abs(over.ci95 - 4.302653 * 0.1 / Math.sqrt(3)) < 1e-5, String(over.ci95));
  const [table] = fewShotTables({ rows: three });
  assert.match(table.title, /mean over 3 seeds ± 95% CI over seeds/);
  assert.deepEqual(table.records, [
    { method: "maml", steps: 10, "accuracy %": "60.0 ± 24.8", seconds: "4.0" },
  ]);
  // Merged runs with more seeds of one arm than of another: the counts go in a column.
  const other = [0, 1].map((seed) => ({ ...row(seed, 10, "accuracy", 0.4), method: "anil" }));
  const [mixed] = fewShotTables({ rows: [...three, ...other] });
  assert.match(mixed.title, /mean over each arm's seeds ± 95% CI over seeds/);
  assert.deepEqual(mixed.records.map((r) => [r.method, r.seeds]), [["maml", 3], ["anil", 2]]);
});

Deno.test("fewShotTables: an arm's own steps over several seeds get one record", () => {
  const row = (seed: number, method: string, step: number, metric: string, value: number) => ({
    suite: "fewshot",
    task: "t",
    method,
    seed,
    step,
    metric,
    value,
  });
  const rows = [0, 1].flatMap((seed) => [
    row(seed, "maml", 10, "accuracy", 0.5 + 0.1 * seed),
    row(seed, "smbo-scratch", 10, "accuracy", 0.4 + 0.1 * seed),
    row(seed, "smbo-scratch", 40 + 10 * seed, "accuracy", 0.6 + 0.1 * seed),
    row(seed, "smbo-scratch", 0, "tuned_steps", 40 + 10 * seed),
  ]);
  const own = fewShotOwnStepsAccuracy(rows, "t")!;
  assert.deepEqual(own.steps, [40, 50]);
  assert.ok(Math.abs(own.mean - 0.65) < 1e-12);
  const [table] = fewShotTables({ rows });
  assert.deepEqual(table.records.map((r) => [r.method, r.steps]), [
    ["maml", 10],
    ["smbo-scratch", 10],
    ["smbo-scratch", "own (40, 50)"],
  ]);
});

Deno.test("fewShotEpisodes: seeded meta-test episodes over the held-out classes", async () => {
  const { fewShotEpisodes } = await import("../../lib/protocols/mod.ts");
  const a = await fewShotEpisodes("mnist", 5, { seed: 3, testTasks: 6 });
  const b = await fewShotEpisodes("mnist", 5, { seed: 3, testTasks: 6 });
  const c = await fewShotEpisodes("mnist", 5, { seed: 4, testTasks: 6 });
  assert.equal(a.task, "mnist-5w5s");
  assert.equal(a.metaTest.length, 6);
  assert.equal(a.metaTest[0].support.size, 25);
  assert.equal(a.metaTest[0].query.size, 75);
  assert.deepEqual(a.metaTest.map((e) => e.query.x), b.metaTest.map((e) => e.query.x));
  assert.notDeepEqual(a.metaTest.map((e) => e.query.x), c.metaTest.map((e) => e.query.x));
  for (const episode of a.metaTest) {
    for (const label of episode.classes) {
      assert.ok(["5", "6", "7", "8", "9"].includes(label), label);
    }
  }
  await assert.rejects(() => fewShotEpisodes("mnist", 0), /shots/);
});

Deno.test("fewShotPairedDifference: differences over the seeds both runs have", () => {
  const row = (method: string, seed: number, value: number, step = 10) => ({
    suite: "fewshot",
    task: "t",
    method,
    seed,
    step,
    metric: "accuracy",
    value,
  });
  const rows = [
    row("a", 0, 0.50),
    row("a", 1, 0.60),
    row("a", 2, 0.70),
    row("a", 0, 0.99, 1), // another step: ignored
    row("b", 0, 0.46),
    row("b", 1, 0.58),
    row("b", 3, 0.10), // a seed only the reference has: ignored
  ];
  assert.deepEqual([...fewShotSeedAccuracies(rows, "t", "a", 10)], [[0, 0.5], [1, 0.6], [2, 0.7]]);
  const paired = fewShotPairedDifference(rows, "t", "a", "b", 10)!;
  assert.equal(paired.seeds, 2);
  assert.ok(Math.abs(paired.mean - 0.03) < 1e-12);
  // Differences 0.04 and 0.02: sd √2·0.01, half-width t(0.975, 1) · 0.01 = 12.706 · 0.01.
  assert.ok(Math.abs(paired.halfWidth - 0.12706) < 1e-4);
  assert.equal(fewShotPairedDifference(rows, "t", "a", "missing", 10), undefined);
});

Deno.test("runFewShot: accuracy_ci95 is the Student-t interval over the meta-test episodes", async () => {
  const { fewShotEpisodes, fewShotMetaTrain } = await import("../../lib/protocols/fewshot.ts");
  const { metaTest } = await import("../../lib/maml/mod.ts");
  const { meanInterval, studentTQuantile } = await import("../../lib/stats/mod.ts");
  const o = { hidden: [8], metaIterations: 2, metaBatchSize: 2, seed: 0, innerLr: 0.4 };
  const { rows } = await runFewShot({
    ...o,
    families: ["mnist"],
    shots: [1],
    learners: ["maml"],
    testTasks: 4,
    queries: 3,
    smboBudget: 0,
    testSteps: [10],
  });
  const value = (metric: string) =>
    rows.find((r) => r.method === "maml" && r.step === 10 && r.metric === metric)!.value;
  // The same learner and episodes, scored directly.
  const episodes = await fewShotEpisodes("mnist", 1, { testTasks: 4, queries: 3, seed: 0 });
  const { learner } = await fewShotMetaTrain("maml", episodes, o);
  const perTask = [
    ...metaTest(learner, episodes.metaTest, { steps: [10], accuracy: true })[0].accuracy!.perTask,
  ];
  learner.dispose();
  const n = perTask.length;
  const mean = perTask.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(perTask.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  assert.ok(s > 0, "the episodes' accuracies differ");
  assert.ok(Math.abs(value("accuracy") - mean) < 1e-12);
  // t(0.975, 3) = 3.182, not the normal 1.96 (38% narrower at 4 episodes).
  assert.ok(
    Math.abs(value("accuracy_ci95") - studentTQuantile(0.975, 3) * s / Math.sqrt(n)) < 1e-9,
  );
  assert.equal(value("accuracy_ci95"), meanInterval(perTask).halfWidth);
  assert.equal(value("diverged_tasks"), 0);
  const training = rows.filter((r) => r.method === "maml" && r.step === 0);
  assert.deepEqual(
    training.filter((r) => ["diverged", "meta_iterations"].includes(r.metric))
      .map((r) => [r.metric, r.value]),
    [["meta_iterations", 2], ["diverged", 0]],
  );
});

Deno.test("runFewShot: a diverged meta-training is recorded, its accuracy is NaN", async () => {
  const { rows } = await runFewShot({
    families: ["mnist"],
    shots: [1],
    learners: ["maml"],
    hidden: [8],
    metaIterations: 5,
    metaBatchSize: 2,
    testTasks: 6,
    queries: 3,
    smboBudget: 0,
    testSteps: [1],
    innerLr: 0.4,
    metaLr: 1e30,
  });
  const maml = Object.fromEntries(
    rows.filter((r) => r.method === "maml").map((r) => [`${r.metric}@${r.step}`, r.value]),
  );
  assert.equal(maml["diverged@0"], 1);
  assert.ok(maml["meta_iterations@0"] < 5, `meta_iterations ${maml["meta_iterations@0"]}`);
  assert.equal(maml["diverged_tasks@1"], 6);
  assert.ok(Number.isNaN(maml["accuracy@1"]), `accuracy ${maml["accuracy@1"]}`);
  assert.ok(Number.isNaN(maml["accuracy_ci95@1"]));
  assert.ok(Number.isNaN(maml["loss@1"]));
  const scratch = rows.find((r) => r.method === "scratch" && r.metric === "diverged_tasks");
  assert.equal(scratch?.value, 0);
  const [table] = fewShotTables({ rows });
  assert.equal(table.records.find((r) => r.method === "maml")?.["accuracy %"], "diverged");
});

Deno.test("fewShotAccuracy and co: a NaN seed makes the aggregate NaN, not a finite subset", () => {
  const row = (method: string, seed: number, step: number, metric: string, value: number) => ({
    suite: "fewshot",
    task: "t",
    method,
    seed,
    step,
    metric,
    value,
  });
  const rows = [
    row("a", 0, 10, "accuracy", 0.5),
    row("a", 1, 10, "accuracy", NaN),
    row("a", 2, 10, "accuracy", 0.7),
    row("b", 0, 10, "accuracy", 0.4),
    row("b", 1, 10, "accuracy", 0.5),
    row("b", 2, 10, "accuracy", 0.6),
    ...[0, 1].flatMap((seed) => [
      row("smbo-scratch", seed, 0, "tuned_steps", 20),
      row("smbo-scratch", seed, 20, "accuracy", seed === 0 ? 0.3 : NaN),
    ]),
  ];
  const a = fewShotAccuracy(rows, "t", "a", 10)!;
  assert.ok(Number.isNaN(a.mean) && Number.isNaN(a.ci95), `${a.mean} ± ${a.ci95}`);
  assert.equal(a.seeds, 3);
  const paired = fewShotPairedDifference(rows, "t", "a", "b", 10)!;
  assert.ok(Number.isNaN(paired.mean) && Number.isNaN(paired.halfWidth));
  const own = fewShotOwnStepsAccuracy(rows, "t")!;
  assert.ok(Number.isNaN(own.mean) && Number.isNaN(own.ci95));
  assert.ok(Math.abs(fewShotAccuracy(rows, "t", "b", 10)!.mean - 0.5) < 1e-12);
});

Deno.test("fewShotEpisodes: a bad shots argument is named as the argument", async () => {
  const { fewShotEpisodes } = await import("../../lib/protocols/mod.ts");
  for (const shots of [0, 1.5, Number.NaN]) {
    await assert.rejects(() => fewShotEpisodes("mnist", shots), /fewShotEpisodes: shots/);
  }
});

Deno.test("fewShotAccuracy counts distinct seeds: a seed's rows twice count once, conflicting ones throw", () => {
  const row = (seed: number, metric: string, value: number) => ({
    suite: "fewshot",
    task: "t",
    method: "maml",
    seed,
    step: 10,
    metric,
    value,
  });
  const seed0 = [row(0, "accuracy", 0.5), row(0, "accuracy_ci95", 0.08)];
  // Seed 0's rows present twice (a run folder merged twice): still one seed, its episode CI kept.
  const twice = [...seed0, ...seed0];
  assert.deepEqual(fewShotAccuracy(twice, "t", "maml", 10), { mean: 0.5, ci95: 0.08, seeds: 1 });
  assert.equal(fewShotSeedAccuracies(twice, "t", "maml", 10).size, 1);
  const [table] = fewShotTables({ rows: twice });
  assert.deepEqual(table.records, [
    { method: "maml", steps: 10, "accuracy %": "50.0 ± 8.0", seconds: "" },
  ]);
  // Two seeds, one of them duplicated: the CI over 2 seeds, not over 3 rows.
  const two = [...twice, row(1, "accuracy", 0.7)];
  const over = fewShotAccuracy(two, "t", "maml", 10)!;
  assert.equal(over.seeds, 2);
  assert.ok(Math.abs(over.mean - 0.6) < 1e-12);
  assert.ok(Math.abs(over.ci95 - 12.7062 * 0.1) < 1e-3, String(over.ci95));
  // One seed with two different accuracies: which one is meant cannot be told.
  const conflicting = [...seed0, row(0, "accuracy", 0.6)];
  for (
    const [call, name] of [
      [() => fewShotAccuracy(conflicting, "t", "maml", 10), "fewShotAccuracy"],
      [() => fewShotSeedAccuracies(conflicting, "t", "maml", 10), "fewShotSeedAccuracies"],
      [
        () =>
          fewShotPairedDifference([...conflicting, row(1, "accuracy", 0.7)], "t", "maml", "b", 10),
        "fewShotPairedDifference",
      ],
    ] as const
  ) {
    assert.throws(call, {
      name: "RangeError",
      message: `${name} rows: seed 0 has two accuracy values for maml on t after 10 steps: ` +
        "0.5 and 0.6 (one run per seed)",
    });
  }
  const ownRows = [
    { ...row(0, "tuned_steps", 20), method: "smbo-scratch", step: 0 },
    { ...row(0, "tuned_steps", 30), method: "smbo-scratch", step: 0 },
  ];
  assert.throws(
    () => fewShotOwnStepsAccuracy(ownRows, "t"),
    /fewShotOwnStepsAccuracy rows: seed 0 has two tuned_steps values for smbo-scratch on t: 20 and 30/,
  );
});
