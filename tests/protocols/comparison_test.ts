import assert from "node:assert/strict";
import {
  COMPARISON_DEFAULTS,
  COMPARISON_SIZES,
  comparisonConclusion,
  comparisonCurves,
  type ComparisonOptions,
  type ComparisonResult,
  comparisonTables,
  runComparison,
  SCRATCH_DEFAULTS,
  scratchSpace,
} from "../../lib/protocols/comparison.ts";
import { tf } from "../../lib/deps/tf.ts";
import { curveSummaryFigure } from "../../lib/viz/mod.ts";
import { mlp } from "../../lib/maml/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { meanInterval } from "../../lib/stats/mod.ts";
import { evaluationSet, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";

const SCRATCH = { lr: 0.02, steps: 3, weightDecay: 0.05, initScale: 0.7 };

/** A run small enough for a unit test: one sinusoid task, two meta-learners, tiny budgets. */
const TINY: ComparisonOptions = {
  families: [{ kind: "sinusoid", shots: [5] }],
  seeds: 1,
  testTasks: 4,
  learners: ["maml", "reptile"],
  metaIterations: 3,
  metaBatchSize: 2,
  scratch: SCRATCH,
  maxScratchSteps: 5,
  smboBudget: 3,
  smboInitialDesign: 2,
  smboTasks: 2,
  priorGroups: 1,
  priorTrials: 2,
  transfer: "warm-start",
  tunedLearner: "fomaml",
  tuneBudget: 2,
  tuneIterations: 2,
  backend: "cpu",
};

let cached: ComparisonResult | undefined;
async function tinyRun(): Promise<ComparisonResult> {
  cached ??= await runComparison(TINY);
  return cached;
}

const TIMING = new Set(["meta_seconds", "adapt_seconds", "seconds"]);

/**
 * Independent float64 reference of training from scratch: the 1-40-40-1 ReLU MLP written out in
 * plain JavaScript with hand-derived backpropagation, SGD with weight decay on every parameter.
 */
function scratchReference(
  init: Float32Array[],
  scale: number,
  support: { x: ArrayLike<number>; y: ArrayLike<number> },
  query: { x: ArrayLike<number>; y: ArrayLike<number> },
  config: { lr: number; steps: number; weightDecay: number },
): number {
  const p = init.map((a) => Float64Array.from(a, (v) => v * scale));
  const [w1, b1, w2, b2, w3, b3] = p; // [1,40] [40] [40,40] [40] [40,1] [1]
  const H = 40;
  const forward = (x: number) => {
    const z1 = Array.from({ length: H }, (_, j) => x * w1[j] + b1[j]);
    const h1 = z1.map((v) => Math.max(v, 0));
    const z2 = Array.from({ length: H }, (_, k) => {
      let s = b2[k];
      for (let j = 0; j < H; j++) s += h1[j] * w2[j * H + k];
      return s;
    });
    const h2 = z2.map((v) => Math.max(v, 0));
    let out = b3[0];
    for (let k = 0; k < H; k++) out += h2[k] * w3[k];
    return { z1, h1, z2, h2, out };
  };
  const n = support.x.length;
  for (let step = 0; step < config.steps; step++) {
    const g = p.map((a) => new Float64Array(a.length));
    const [gw1, gb1, gw2, gb2, gw3, gb3] = g;
    for (let i = 0; i < n; i++) {
      const f = forward(support.x[i]);
      const d = (2 * (f.out - support.y[i])) / n;
      gb3[0] += d;
      const d2 = new Float64Array(H);
      for (let k = 0; k < H; k++) {
        gw3[k] += f.h2[k] * d;
        d2[k] = f.z2[k] > 0 ? w3[k] * d : 0;
        gb2[k] += d2[k];
      }
      for (let j = 0; j < H; j++) {
        let back = 0;
        for (let k = 0; k < H; k++) {
          gw2[j * H + k] += f.h1[j] * d2[k];
          back += w2[j * H + k] * d2[k];
        }
        const d1 = f.z1[j] > 0 ? back : 0;
        gw1[j] += support.x[i] * d1;
        gb1[j] += d1;
      }
    }
    p.forEach((a, t) => {
      for (let i = 0; i < a.length; i++) {
        a[i] -= config.lr * (g[t][i] + config.weightDecay * a[i]);
      }
    });
  }
  let loss = 0;
  for (let i = 0; i < query.x.length; i++) loss += (forward(query.x[i]).out - query.y[i]) ** 2;
  return loss / query.x.length;
}

Deno.test("runComparison: rows in the long format, one set per arm, compute consistent", async () => {
  const result = await tinyRun();
  const methods = [
    "maml",
    "reptile",
    "smbo-fomaml",
    "scratch",
    "smbo-scratch",
    "meta-smbo-scratch",
  ];
  assert.deepEqual([...new Set(result.rows.map((r) => r.method))].sort(), [...methods].sort());
  for (const row of result.rows) {
    assert.equal(row.suite, "comparison");
    assert.equal(row.task, "sinusoid-k5");
    assert.equal(row.seed, 0);
    assert.ok(Number.isInteger(row.step) && row.step >= 0);
  }
  const of = (method: string, metric: string) =>
    result.rows.filter((r) => r.method === method && r.metric === metric);
  for (const method of methods) {
    const steps = of(method, "mse").map((r) => r.step);
    assert.ok(steps.includes(1) && steps.includes(10), `${method}: mse at 1 and 10 steps`);
    const meta = of(method, "meta_gradient_steps");
    assert.equal(meta.length, 1);
    for (const metric of ["gradient_steps", "seconds", "adapt_seconds"]) {
      assert.deepEqual(of(method, metric).map((r) => r.step), steps, `${method} ${metric}`);
    }
    for (const row of of(method, "gradient_steps")) {
      assert.equal(row.value, meta[0].value + row.step);
    }
    for (const row of of(method, "mse")) assert.ok(row.value > 0);
  }
  // Meta-iterations × meta-batch × (inner steps + 1), Reptile: × 5 inner steps.
  assert.equal(of("maml", "meta_gradient_steps")[0].value, 3 * 2 * 2);
  assert.equal(of("reptile", "meta_gradient_steps")[0].value, 3 * 2 * 5);
  assert.equal(of("scratch", "meta_gradient_steps")[0].value, 0);
  // The default-configuration arm is also scored at its own 3 steps.
  assert.deepEqual(of("scratch", "mse").map((r) => r.step), [1, 10]);
  assert.deepEqual(of("scratch", "mse_own_steps").map((r) => r.step), [3]);
  assert.deepEqual(of("scratch", "own_gradient_steps").map((r) => r.value), [3]);
  assert.deepEqual(of("maml", "mse_own_steps").map((r) => r.value), [
    of("maml", "mse").find((r) => r.step === 10)!.value,
  ]);
  assert.ok(of("maml", "diverged_tasks").every((r) => r.value === 0));
  // Tuning spends between budget × 1 and budget × maxSteps steps on each of its 2 tasks
  // (plus the prior group's 2 trials for the transfer arm).
  const tuning = of("smbo-scratch", "meta_gradient_steps")[0].value;
  assert.ok(tuning >= 3 * 2 && tuning <= 3 * 5 * 2, `smbo-scratch spent ${tuning}`);
  const transfer = of("meta-smbo-scratch", "meta_gradient_steps")[0].value;
  assert.ok(transfer >= 5 * 2 && transfer <= 5 * 5 * 2, `meta-smbo-scratch spent ${transfer}`);
  // SMBO on the learner: 2 trials of 2 iterations + validation at 10 steps, then the final run.
  assert.equal(of("smbo-fomaml", "meta_gradient_steps")[0].value, 2 * (2 * 2 * 2 + 2 * 10) + 12);
  assert.equal(result.configurations.length, 3);
});

Deno.test("runComparison: the scratch arm matches an independent float64 SGD", async () => {
  const result = await tinyRun();
  const init = mlp({ sizes: [1, 40, 40, 1] }).init(new Rng(0));
  const { episodes } = evaluationSet(sinusoid, { shots: 5, tasks: 4 });
  for (const steps of [1, 3, 10]) {
    const ours = result.losses.find((l) => l.method === "scratch" && l.step === steps)!;
    episodes.forEach((episode, t) => {
      const expected = scratchReference(init, SCRATCH.initScale, episode.support, episode.query, {
        ...SCRATCH,
        steps,
      });
      assert.ok(
        Math.abs(ours.perTask[t] - expected) <= 1e-4 * expected + 1e-6,
        `steps ${steps} task ${t}: ${ours.perTask[t]} vs ${expected}`,
      );
    });
    const mean = result.rows.find((r) =>
      r.method === "scratch" && r.metric === (steps === 3 ? "mse_own_steps" : "mse") &&
      r.step === steps
    )!.value;
    assert.ok(
      Math.abs(
        mean - ours.perTask.reduce((a, b) =>
              a + b, 0) / 4,
      ) < 1e-12,
    );
  }
});

Deno.test("runComparison: same seed, same numbers; another seed, other numbers; no leak", async () => {
  const first = await tinyRun();
  const before = tf.memory().numTensors;
  const again = await runComparison(TINY);
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  const stable = (r: ComparisonResult) => r.rows.filter((row) => !TIMING.has(row.metric));
  assert.deepEqual(stable(again), stable(first));
  assert.deepEqual(again.configurations, first.configurations);
  const other = await runComparison({ ...TINY, firstSeed: 1 });
  const mse = (r: ComparisonResult, method: string) =>
    r.rows.find((row) => row.method === method && row.metric === "mse" && row.step === 10)!.value;
  assert.notEqual(mse(other, "maml"), mse(first, "maml"));
  assert.ok(other.rows.every((r) => r.seed === 1));
});

Deno.test("comparisonTables and comparisonConclusion follow the numbers", async () => {
  const result = await tinyRun();
  const [mse, compute, ...configs] = comparisonTables(result);
  assert.equal(mse.records.length, 6);
  assert.equal(compute.records.length, 6);
  assert.deepEqual(configs.map((c) => c.title).sort(), [
    "Configurations found by meta-smbo-scratch",
    "Configurations found by smbo-fomaml",
    "Configurations found by smbo-scratch",
  ]);
  const maml = mse.records.find((r) => r.method === "maml")!;
  const perTask = result.losses.find((l) => l.method === "maml" && l.step === 10)!.perTask;
  assert.ok(Math.abs(Number(maml["mse@10"]) - perTask.reduce((a, b) => a + b, 0) / 4) < 1e-12);
  assert.equal(mse.records.find((r) => r.method === "scratch")!["own steps"], "3");
  // The best arm named at 10 steps is the argmin of the per-seed means (one seed here).
  const at10 = result.rows.filter((r) =>
    r.metric === "mse" && r.step === 10 && Number.isFinite(r.value)
  );
  const best = at10.reduce((a, b) => (b.value < a.value ? b : a));
  const line = comparisonConclusion(result).find((l) => l.startsWith("sinusoid-k5, 10 steps"));
  assert.ok(line?.includes(`lowest query MSE ${best.method} (`), line);
});

Deno.test("runComparison: divergence is counted, reported and kept out of the ranking", async () => {
  const result = await runComparison({
    ...TINY,
    learners: ["fomaml"],
    tunedLearner: null,
    scratch: { ...SCRATCH, lr: 1e4 },
  });
  const mse = result.rows.find((r) =>
    r.method === "scratch" && r.metric === "mse" && r.step === 10
  )!;
  assert.ok(Number.isNaN(mse.value));
  const diverged = result.rows.find((r) =>
    r.method === "scratch" && r.metric === "diverged_tasks" && r.step === 10
  )!;
  assert.equal(diverged.value, 4);
  const table = comparisonTables(result)[0].records.find((r) => r.method === "scratch")!;
  assert.match(String(table.diverged), /10: 4\/4/);
  const line = comparisonConclusion(result).find((l) => l.startsWith("sinusoid-k5, 10 steps"))!;
  assert.match(line, /diverged on some tasks: scratch \(4\/4 tasks\)/);
  assert.doesNotMatch(line, /lowest query MSE scratch/);
});

Deno.test("runComparison and scratchSpace reject bad input, naming the field", async () => {
  await assert.rejects(() => runComparison({ ...TINY, seeds: 0 }), /comparison\.seeds/);
  await assert.rejects(
    () => runComparison({ ...TINY, families: [{ kind: "sinusoid", shots: [] }] }),
    /comparison\.families\.0\.shots/,
  );
  await assert.rejects(
    () => runComparison({ ...TINY, learners: ["mamla" as "maml"] }),
    /comparison\.learners\.0/,
  );
  await assert.rejects(
    () => runComparison({ ...TINY, scratch: { ...SCRATCH, lr: -1 } }),
    /comparison\.scratch\.lr/,
  );
  await assert.rejects(
    () => runComparison({ ...TINY, smboInitialDesign: 3 }),
    /comparison\.smboInitialDesign/,
  );
  await assert.rejects(() => runComparison({ ...TINY, bogus: 1 } as ComparisonOptions), /bogus/);
  await assert.rejects(
    () =>
      runComparison({
        ...TINY,
        families: [{ kind: "tabular", dataset: "iris", shots: 2, queries: 2 }],
      }),
    /iris is a classification dataset/,
  );
  assert.throws(() => scratchSpace(1), /maxSteps/);
  assert.equal(scratchSpace(50).dim, 4);
  assert.equal(SCRATCH_DEFAULTS.lr, 0.01);
  assert.equal(COMPARISON_DEFAULTS.seeds, COMPARISON_SIZES.quick.seeds);
  assert.ok((COMPARISON_SIZES.full.seeds ?? 0) >= 3 && (COMPARISON_SIZES.quick.seeds ?? 0) >= 3);
});

/**
 * A hand-made comparison result: 3 seeds × 4 meta-test tasks; on seed 1 `fomaml` diverges on one
 * task (NaN) while its other tasks blow up to large finite losses, and `smbo-fomaml` is slightly
 * behind `fomaml` on every task.
 */
function handMade(): ComparisonResult {
  const losses: ComparisonResult["losses"] = [];
  const rows: ComparisonResult["rows"] = [];
  for (const seed of [0, 1, 2]) {
    for (const step of [1, 10]) {
      const base = [0.5, 1, 1.5, 2].map((v) => v / step + seed / 10);
      const fomaml = seed === 1 && step === 1 ? [NaN, 1e10, 2e10, 3e10] : base;
      const arms: [string, number[]][] = [
        ["fomaml", fomaml],
        ["smbo-fomaml", base.map((v) => v + 0.3)],
        ["maml", base.map((v) => v * 0.9)],
      ];
      for (const [method, values] of arms) {
        losses.push({
          task: "sinusoid-k5",
          method,
          seed,
          step,
          perTask: Float64Array.from(values),
          own: step === 10,
        });
        rows.push({
          suite: "comparison",
          task: "sinusoid-k5",
          method,
          seed,
          step: 0,
          metric: "meta_gradient_steps",
          value: 100,
        });
      }
    }
  }
  return { rows, losses, configurations: [], steps: [1, 10], seeds: [0, 1, 2] };
}

Deno.test("comparisonCurves: the figure shows the table's numbers, diverged tasks counted", () => {
  const result = handMade();
  const table = comparisonTables(result)[0].records;
  for (const method of ["fomaml", "smbo-fomaml", "maml"]) {
    const record = table.find((r) => r.method === method)!;
    const curve = comparisonCurves(result, "sinusoid-k5").find((c) => c.method === method)!;
    assert.deepEqual(curve.steps, [1, 10]);
    curve.intervals.forEach((interval, i) => {
      const step = curve.steps[i];
      assert.equal(interval.center, record[`mse@${step}`]);
      assert.ok(Math.abs(interval.upper - interval.center - Number(record[`±@${step}`])) < 1e-6);
      assert.ok(interval.lower >= 0);
    });
  }
  const fomaml = table.find((r) => r.method === "fomaml")!;
  // Task 0 diverged in seed 1: one of the 4 distinct meta-test tasks, not 1 of 12 (task, seed).
  assert.match(String(fomaml.diverged), /1: 1\/4/);
  // The huge finite losses of the diverging seed are in both, not dropped from the figure.
  assert.ok(Number(fomaml["mse@1"]) > 1e9);
  const figure = curveSummaryFigure(comparisonCurves(result, "sinusoid-k5"), { center: "mean" });
  const line = figure.data.find((t) => String(t.name).startsWith("fomaml ("))!;
  assert.deepEqual(line.y, [fomaml["mse@1"], fomaml["mse@10"]]);
  assert.match(String(line.name), /diverged 1\/4/);
  assert.match(String(line.name), /off scale/);
  const range = (figure.layout.yaxis as { range: number[] }).range;
  assert.ok(range[0] >= 0 && range[1] < 10, `range ${range}`);
});

Deno.test("comparisonConclusion: a tuned arm behind its base arm is said, with its paired CI", () => {
  const lines = comparisonConclusion(handMade());
  const against = lines.find((l) => l.includes("against expectation"));
  assert.ok(against, lines.join("\n"));
  assert.match(against, /smbo-fomaml \([0-9.]+\) comes out behind fomaml/);
  assert.match(
    against,
    /after 10 steps: a real gap \(paired 95% CI of the difference 0\.300 to 0\.300\)/,
  );
  // Scratch arms are compared at their own number of steps too (paired over the same tasks).
  const result = handMade();
  for (const l of handMade().losses.filter((l) => l.method === "fomaml")) {
    for (const [method, shift] of [["scratch", 0], ["smbo-scratch", 0.5]] as const) {
      result.losses.push({ ...l, method, perTask: l.perTask.map((v) => 1 + v + shift) });
    }
  }
  const scratchLines = comparisonConclusion(result).filter((l) =>
    l.includes("against expectation, smbo-scratch")
  );
  assert.equal(scratchLines.length, 2, scratchLines.join("\n"));
  assert.match(scratchLines[0], /after 10 steps: a real gap/);
  assert.match(scratchLines[1], /at their own number of steps: a real gap/);
  // maml is ahead of fomaml: not a tuned pair, nothing said against expectation about it.
  assert.ok(!lines.some((l) => l.includes("against expectation, maml")));
  // A tuned arm lower on every task where both stayed finite, flagged for a diverged task: the
  // paired interval (below 0) says so, over the tasks where both stayed finite.
  const diverging = handMade();
  for (const l of diverging.losses.filter((l) => l.method === "smbo-fomaml")) {
    l.perTask = l.perTask.map((v, i) => (l.seed === 2 && l.step === 10 && i === 3 ? NaN : v - 0.5));
  }
  const flagged = comparisonConclusion(diverging).find((l) =>
    l.includes("against expectation, smbo-fomaml") && l.includes("after 10 steps")
  );
  assert.ok(flagged, comparisonConclusion(diverging).join("\n"));
  assert.match(flagged, /1\/4 tasks diverged/);
  assert.match(
    flagged,
    /ahead on the tasks where both stayed finite, behind through the others \(paired 95% CI of the difference over the 3 tasks where both stayed finite -0\.200 to -0\.200\)/,
  );
});

/**
 * Two arms A and B scored on the same 30 meta-test tasks by 5 seeds that barely differ (seed noise
 * 0.001): A − B is −0.07 on average with a spread of 0.3 between tasks, so over 30 tasks the two
 * are not separable, while 150 (task, seed) values taken as independent would separate them.
 */
function repeatedTasks(): ComparisonResult {
  const rng = new Rng(1);
  const tasks = 30;
  const base = Array.from({ length: tasks }, () => 1 + rng.uniform());
  const raw = Array.from({ length: tasks }, () => rng.normal());
  const mu = raw.reduce((a, b) => a + b, 0) / tasks;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mu) ** 2, 0) / (tasks - 1));
  const effect = raw.map((z) => 0.3 * (z - mu) / sd);
  const losses: ComparisonResult["losses"] = [];
  for (let seed = 0; seed < 5; seed++) {
    const b = base.map((x) => x + 0.001 * rng.normal());
    const a = base.map((x, t) => x + effect[t] - 0.07 + 0.001 * rng.normal());
    for (const [method, values] of [["A", a], ["B", b]] as const) {
      losses.push({
        task: "toy",
        method,
        seed,
        step: 10,
        perTask: Float64Array.from(values),
        own: true,
      });
    }
  }
  return { rows: [], losses, configurations: [], steps: [10], seeds: [0, 1, 2, 3, 4] };
}

/** Each meta-test task's loss averaged over the seeds, computed directly from the losses. */
function seedAveraged(result: ComparisonResult, method: string): number[] {
  const mine = result.losses.filter((l) => l.method === method);
  return Array.from(
    { length: mine[0].perTask.length },
    (_, i) => mine.reduce((sum, l) => sum + l.perTask[i], 0) / mine.length,
  );
}

Deno.test("comparison intervals: seeds of the same meta-test tasks are averaged, not more tasks", () => {
  const result = repeatedTasks();
  const [mse] = comparisonTables(result);
  assert.match(mse.title, /over meta-test tasks, each averaged over the seeds/);
  for (const method of ["A", "B"]) {
    const record = mse.records.find((r) => r.method === method)!;
    const expected = meanInterval(seedAveraged(result, method));
    assert.ok(Math.abs(Number(record["mse@10"]) - expected.mean) < 1e-12);
    assert.ok(Math.abs(Number(record["±@10"]) - expected.halfWidth) < 1e-12);
    assert.equal(record.tasks, 30);
    assert.equal(record.seeds, 5);
    const curve = comparisonCurves(result, "toy").find((c) => c.method === method)!;
    assert.equal(curve.intervals[0].center, record["mse@10"]);
    assert.equal(curve.intervals[0].n, 30);
  }
  // Over the 30 tasks the paired 95% CI of A − B is about (−0.18, 0.04): it includes 0.
  const a = seedAveraged(result, "A");
  const b = seedAveraged(result, "B");
  const diff = meanInterval(a.map((v, i) => v - b[i]));
  assert.ok(diff.mean - diff.halfWidth < 0 && diff.mean + diff.halfWidth > 0);
  const [line] = comparisonConclusion(result);
  assert.match(line, /^toy, 10 steps: lowest query MSE A \(1\.43 ± 0\.166\), not separable/);
});

Deno.test("comparison intervals: a task diverged in any seed is left out once and counted once", () => {
  const result = repeatedTasks();
  // Task 3 diverges in seed 2 only, task 7 in seeds 0 and 4.
  for (const l of result.losses.filter((l) => l.method === "A")) {
    if (l.seed === 2) l.perTask[3] = NaN;
    if (l.seed === 0 || l.seed === 4) l.perTask[7] = Infinity;
  }
  const record = comparisonTables(result)[0].records.find((r) => r.method === "A")!;
  assert.equal(record.diverged, "10: 2/30, own: 2/30");
  const finite = seedAveraged(result, "A").filter(Number.isFinite);
  assert.equal(finite.length, 28);
  assert.ok(Math.abs(Number(record["mse@10"]) - meanInterval(finite).mean) < 1e-12);
  const lines = comparisonConclusion(result);
  assert.match(lines[0], /lowest query MSE B .*diverged on some tasks: A \(2\/30 tasks\)/);
});

Deno.test("comparison summaries refuse seeds that do not score the same meta-test tasks", () => {
  const result = repeatedTasks();
  const a = result.losses.find((l) => l.method === "A" && l.seed === 3)!;
  a.perTask = a.perTask.slice(0, 29);
  const message =
    /comparisonTables: result\.losses \(toy, A, step 10\): seed 3 has 29 meta-test tasks, seed 0 has 30/;
  assert.throws(() => comparisonTables(result), message);
  assert.throws(() => comparisonCurves(result, "toy"), /^RangeError: comparisonCurves: /);
  const twice = repeatedTasks();
  twice.losses.push({ ...twice.losses[0] });
  assert.throws(
    () => comparisonConclusion(twice),
    /comparisonConclusion: result\.losses \(toy, A, step 10\): seed 0 is scored twice/,
  );
});

Deno.test("comparisonConclusion: smbo-<learner> is held against <learner> for any tuned learner", () => {
  for (const learner of ["fomaml", "maml", "reptile"]) {
    const losses: ComparisonResult["losses"] = [];
    for (const seed of [0, 1]) {
      const base = [1, 1.1, 0.9, 1.05];
      for (const [method, shift] of [[learner, 0], [`smbo-${learner}`, 1]] as const) {
        losses.push({
          task: "toy",
          method,
          seed,
          step: 10,
          perTask: Float64Array.from(base, (v) => v + shift),
          own: true,
        });
      }
    }
    const lines = comparisonConclusion({
      rows: [],
      losses,
      configurations: [],
      steps: [10],
      seeds: [0, 1],
    });
    const against = lines.find((l) => l.includes("against expectation"));
    assert.ok(against, lines.join("\n"));
    assert.match(against, new RegExp(`smbo-${learner} \\(2\\.01\\) comes out behind ${learner} `));
    assert.match(against, /a real gap/);
  }
});
