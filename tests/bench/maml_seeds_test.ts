// bench/maml_seeds.ts: first-order MAML over meta-training seeds, ours against the PyTorch peer.
import assert from "node:assert/strict";
import {
  compareAcrossSeeds,
  readSeedRuns,
  SEED_CELLS,
  seedBlock,
  seedComparison,
  seedRows,
  type SeedRun,
  type SeedSpread,
  seedSpread,
  seedSpreadTable,
  spreadRecords,
} from "../../bench/maml_seeds.ts";
import { toCsv } from "../../lib/results/mod.ts";

const cell = (mean: number, ci95 = 0.05) => ({ mean, ci95, median: mean / 2, divergedTasks: 0 });
function run(implementation: "ours" | "peer", seed: number, k10: number): SeedRun {
  return {
    implementation,
    seed,
    iterations: 100,
    source: "",
    wallSeconds: 60,
    load: 1,
    commit: "0123456789",
    date: "2026-11-29T15:00:00Z",
    cells: {
      k5_steps1: cell(2 * k10),
      k5_steps10: cell(k10),
      k10_steps1: cell(k10),
      k10_steps10: cell(k10 / 4, 0.02),
    },
  };
}

Deno.test("seedSpread: mean, SD, range and t-interval over seeds; median task half-width", () => {
  const runs = [run("ours", 0, 0.5), run("ours", 1, 0.6), run("ours", 2, 0.7), run("peer", 0, 9)];
  const s = seedSpread(runs, "ours", "k10_steps1");
  assert.deepEqual(s.seeds, [0, 1, 2]);
  assert.ok(Math.abs(s.mean - 0.6) < 1e-12);
  assert.ok(Math.abs(s.sd - 0.1) < 1e-12);
  // t(0.975, 2) = 4.303
  assert.ok(Math.abs(s.halfWidth - 4.3027 * 0.1 / Math.sqrt(3)) < 1e-3);
  assert.deepEqual([s.min, s.max, s.taskHalfWidth], [0.5, 0.7, 0.05]);
  const one = seedSpread(runs, "peer", "k10_steps10");
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.halfWidth));
  assert.throws(() => seedSpread([run("ours", 0, 1)], "peer", "k5_steps1"), /no peer run/);
  // A seed whose mean blew up (one task, still finite) is left out and named.
  const blown = run("ours", 3, 0.6);
  blown.cells.k5_steps10 = cell(1.6e21, 3e21);
  const left = seedSpread([...runs, blown], "ours", "k5_steps10");
  assert.deepEqual([left.seeds, left.leftOut], [[0, 1, 2], [3]]);
  assert.ok(Math.abs(left.mean - 0.6) < 1e-12 && left.taskHalfWidth === 0.05);
  const table = seedSpreadTable([...runs, blown]);
  assert.match(
    table,
    /\| K=5, 10 steps \| metahpo \| 3 \(seed 3 above 10³ left out\) \| 0\.600 ± 0\.248 \| 0\.100 \| 0\.500–0\.700 \| ± 0\.050 \|/,
  );
  const none = seedSpread([blown], "ours", "k5_steps10");
  assert.deepEqual([none.seeds, none.leftOut, Number.isNaN(none.mean)], [[], [3], true]);
});

Deno.test("compareAcrossSeeds: both seed spreads and both task sets count", () => {
  const spread = (mean: number, sd: number, n: number, task = 0): SeedSpread => ({
    seeds: Array.from({ length: n }, (_, i) => i),
    leftOut: [],
    means: [],
    mean,
    sd,
    halfWidth: NaN,
    min: mean - sd,
    max: mean + sd,
    taskHalfWidth: task,
  });
  // Equal spreads and counts, no task noise: Welch's ν = 2(n − 1).
  const equal = compareAcrossSeeds(spread(1, 0.1, 5), spread(1, 0.1, 5));
  assert.ok(Math.abs(equal.dof - 8) < 1e-9);
  assert.equal(equal.verdict, "consistent");
  assert.ok(Math.abs(equal.halfWidth - 2.306 * Math.sqrt(0.004)) < 1e-3);
  // Far apart with small spreads: a clear side.
  assert.equal(
    compareAcrossSeeds(spread(0.7, 0.01, 5), spread(0.5, 0.01, 3)).verdict,
    "ours higher",
  );
  assert.equal(
    compareAcrossSeeds(spread(0.3, 0.01, 5), spread(0.5, 0.01, 3)).verdict,
    "ours lower",
  );
  // The same gap is consistent once each evaluation set's task noise (±0.25) is counted.
  const noisy = compareAcrossSeeds(spread(0.7, 0.01, 5, 0.25), spread(0.5, 0.01, 3, 0.25));
  assert.equal(noisy.verdict, "consistent");
  // On the same tasks the evaluation set is common: the seed spreads alone count.
  const same = spread(0.7, 0.01, 5, 0.25), peer = spread(0.5, 0.01, 3, 0.25);
  assert.equal(compareAcrossSeeds(same, peer, { sameTasks: true }).verdict, "ours higher");
  assert.ok(noisy.dof > 100, "the task terms are known variances");
  assert.equal(compareAcrossSeeds(spread(0.7, 0.01, 5), spread(0.5, 0.01, 3)).rangesOverlap, false);
  assert.throws(() => compareAcrossSeeds(spread(1, 0.1, 1), spread(1, 0.1, 3)), /two seeds/);
});

/** A folder like results/maml_full/fomaml_seeds with a full run next to it. */
function fixture(
  options: {
    peerIters?: number;
    peerExit?: number;
    evalIteration?: number;
    rerun?: boolean;
    /** Float64 peer runs (`peer64_seed<S>.json`) of these seeds, query MSE per seed. */
    peer64?: Record<number, number>;
    /** The float64 runs' command (default: with `--float64`). */
    peer64Command?: string;
  } = {},
): string {
  const root = Deno.makeTempDirSync();
  const seeds = `${root}/seeds`;
  Deno.mkdirSync(seeds);
  const mse = (m: number) =>
    Object.fromEntries(
      SEED_CELLS.map((c) => [c.key, {
        finiteMean: m,
        finiteCi95: 0.05,
        median: m / 2,
        divergedTasks: 0,
      }]),
    );
  for (const [seed, m] of [[1, 0.6], [2, 0.65], ...(options.rerun ? [[0, 0.62]] : [])] as const) {
    Deno.writeTextFileSync(
      `${seeds}/ours_seed${seed}.json`,
      JSON.stringify({
        provenance: {
          wallSeconds: 90,
          loadAverage: [2.5, 2, 1],
          commit: "abcdef0123",
          date: "2026-11-29T15:00:00Z",
        },
        seed,
        results: [{ learner: "fomaml", iterations: 100, trainingDiverged: false, mse: mse(m) }],
      }),
    );
  }
  const perTask = (m: number) => Array.from({ length: 600 }, (_, i) => m + (i % 2 ? 0.1 : -0.1));
  // Python's json writes a diverged task as a bare NaN: one in the peer's K = 5, 10-step losses.
  const nan = (text: string) => text.replace(/"k5_steps10":\[[^,]+/, '"k5_steps10":[NaN');
  Deno.writeTextFileSync(
    `${seeds}/peer_seed1.json`,
    nan(JSON.stringify({
      provenance: {
        wallSeconds: 900,
        exitCode: options.peerExit ?? 0,
        loadAverageAfter: [3, 2, 1],
        commit: "abcdef0123",
        date: "2026-11-29T15:20:00Z",
      },
      peer: "torch-maml-fo",
      iters: options.peerIters ?? 100,
      mse: {},
      per_task: Object.fromEntries(SEED_CELLS.map((c) => [c.key, perTask(0.55)])),
    })),
  );
  // The peer in float64 (run.sh q:S): the same record, its command with --float64.
  for (const [seed, m] of Object.entries(options.peer64 ?? {})) {
    Deno.writeTextFileSync(
      `${seeds}/peer64_seed${seed}.json`,
      JSON.stringify({
        provenance: {
          command: options.peer64Command ??
            `python3 bench/peers/maml_per_task.py --float64 --peers-dir p maml_torch_peer.py ` +
              `--iters 100 --first-order --seed ${seed}`,
          wallSeconds: 600,
          exitCode: 0,
          loadAverageAfter: [2, 2, 1],
          commit: "abcdef0123",
          date: "2026-11-30T06:00:00Z",
        },
        peer: "torch-maml-fo",
        iters: 100,
        mse: {},
        per_task: Object.fromEntries(SEED_CELLS.map((c) => [c.key, perTask(m)])),
      }),
    );
  }
  // Our networks of seeds 1 and 2 through the peer's evaluation code.
  for (const [seed, m] of [[1, 0.7], [2, 0.8]] as const) {
    Deno.writeTextFileSync(
      `${seeds}/ours_seed${seed}.peer_tasks.jsonl`,
      JSON.stringify({
        checkpoint: `fomaml_seed${seed}.json`,
        kind: "fomaml",
        seed,
        iteration: options.evalIteration ?? 100,
        mse: {},
        per_task: Object.fromEntries(SEED_CELLS.map((c) => [c.key, perTask(m)])),
      }) + "\n",
    );
  }
  // The full run: summary.csv title with the iteration count, results.csv with seed 0 of both.
  Deno.writeTextFileSync(
    `${root}/summary.csv`,
    "# maml: Sinusoid MSE after 100 meta-iterations (mean ± 95% CI over tasks)\nmethod,x\nfomaml,1\n",
  );
  const rows = ["fomaml", "torch-fomaml"].flatMap((method, i) =>
    SEED_CELLS.flatMap((c) =>
      ([["mse", 0.62 - 0.05 * i], ["mse_ci95", 0.05], ["mse_median", 0.3], [
        "diverged_tasks",
        0,
      ]] as const).map(([metric, value]) => ({
        suite: "maml",
        task: `sinusoid-k${c.shots}`,
        method,
        seed: 0,
        step: c.steps,
        metric,
        value,
      }))
    )
  );
  Deno.writeTextFileSync(`${root}/results.csv`, toCsv(rows));
  Deno.writeTextFileSync(
    `${root}/provenance.json`,
    JSON.stringify({
      command: "full",
      commit: "5364e670ab",
      dirty: false,
      date: "2026-11-29T14:14:41Z",
      wallSeconds: 60,
      versions: { deno: "2.9.6" },
      machine: { os: "linux", arch: "x86_64", cpus: 2 },
    }),
  );
  return root;
}

const url = (p: string) => new URL(`file://${p}/`);

Deno.test("readSeedRuns: seed files, seed 0 of both from the full run, sorted", () => {
  const root = fixture();
  try {
    const runs = readSeedRuns(url(`${root}/seeds`), url(root));
    assert.deepEqual(runs.map((r) => [r.implementation, r.seed]), [
      ["ours", 0],
      ["ours", 1],
      ["ours", 2],
      ["ours-peer-eval", 1],
      ["ours-peer-eval", 2],
      ["peer", 0],
      ["peer", 1],
    ]);
    const [ours0, ours1, , eval1, , peer0, peer1] = runs;
    assert.equal(ours0.cells.k10_steps1.mean, 0.62);
    assert.equal(ours0.commit, "5364e670ab", "seed 0 carries the full run's provenance");
    assert.equal(peer0.cells.k10_steps1.mean, 0.57);
    // The peer's cells, and those of our networks through its code, follow the suite's rule
    // over the per-task losses.
    assert.ok(Math.abs(peer1.cells.k10_steps10.mean - 0.55) < 1e-9);
    assert.ok(peer1.cells.k10_steps10.ci95 > 0);
    assert.equal(peer1.cells.k5_steps10.divergedTasks, 1, "a bare NaN is a diverged task");
    assert.equal(peer1.cells.k10_steps10.divergedTasks, 0);
    assert.ok(Math.abs(eval1.cells.k10_steps1.mean - 0.7) < 1e-9);
    assert.equal(eval1.commit, "abcdef0123", "the provenance of the run that trained it");
    assert.deepEqual([ours1.wallSeconds, ours1.load, peer1.load], [90, 2.5, 3]);
    const block = seedBlock(runs);
    assert.match(block, /\| metahpo \| 1 \| 0\.600 ± 0\.050 \|/);
    assert.match(
      block,
      /\| metahpo, the peer's evaluation \| 1 \| 0\.700 ± [\d.]+ \|.*same network/,
    );
    assert.match(block, /\| K=10, 1 step \| PyTorch peer \| 2 \| 0\.560 ± [\d.]+ \| 0\.014 \|/);
    assert.match(
      block,
      /2 runs of ours \(3\.0 min wall in all\) and 1 of the peer \(15\.0 min\) by .*commit abcdef0, 2026-11-29, load 2\.5–3\.0 at their ends.*; 2 of our networks .* also evaluated by the peer's own code/,
    );
    assert.match(block, /K=10, 1 step: \+0\.063 ± 0\.069, 0 inside; seed ranges do not overlap/);
    assert.match(
      block,
      /The 2 networks of ours evaluated by the peer's own code on its tasks, minus the peer \(the same 600 tasks, which cancel when both run the same algorithm: seed spreads only\): K=5, 1 step: \+0\.190 ± [\d.]+, /,
    );
    assert.equal(seedRows(runs).length, 7 * 4 * 4);
    assert.equal(spreadRecords(runs).length, 3 * 4);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("readSeedRuns: the peer in float64, a fourth implementation compared with the rest", () => {
  const root = fixture({ peer64: { 1: 0.58, 2: 0.62 } });
  try {
    const runs = readSeedRuns(url(`${root}/seeds`), url(root));
    // After the float32 peer, seeds 1 and 2 only: the full run has no float64 peer.
    assert.deepEqual(runs.slice(5).map((r) => [r.implementation, r.seed]), [
      ["peer", 0],
      ["peer", 1],
      ["peer64", 1],
      ["peer64", 2],
    ]);
    const p64 = runs[7];
    assert.ok(Math.abs(p64.cells.k10_steps1.mean - 0.58) < 1e-9);
    assert.deepEqual([p64.wallSeconds, p64.load, p64.differsFromFullRun], [600, 2, undefined]);
    const block = seedBlock(runs);
    assert.match(
      block,
      /\| PyTorch peer, float64 \| 2 \| 0\.620 ± [\d.]+ \|.*\| 10\.0 min \| 2\.0 \|/,
    );
    assert.match(
      block,
      /\| K=10, 1 step \| PyTorch peer, float64 \| 2 \| 0\.600 ± [\d.]+ \| 0\.028 \| 0\.580–0\.620 \|/,
    );
    assert.match(
      block,
      /2 runs of ours \(3\.0 min wall in all\), 1 of the peer \(15\.0 min\) and 2 of the peer in float64 \(`maml_per_task\.py --float64`, 20\.0 min\) by .*commit abcdef0, 2026-11-29, 2026-11-30, load 2\.0–3\.0 at their ends; seed 0 of ours and the float32 peer not re-run is the full run's/,
    );
    // The existing sentences are unchanged; the float64 ones follow each of them.
    const comparison = seedComparison(runs);
    const paragraphs = comparison.split("\n\n");
    assert.equal(paragraphs.length, 5);
    assert.match(paragraphs[0], /^Ours minus the peer, means over seeds/);
    assert.match(
      paragraphs[1],
      /^Ours minus the peer in float64 \(2 seeds\), the same interval: K=5, 1 step: .* K=10, 1 step: \+0\.023 ± [\d.]+, 0 inside; seed ranges overlap;/,
    );
    assert.match(paragraphs[2], /^The 2 networks of ours evaluated by the peer's own code/);
    assert.match(
      paragraphs[3],
      /^The same 2 networks of ours through the peer's code, minus the peer in float64 \(.*both evaluation sets counted\): K=5, 1 step: /,
    );
    assert.match(
      paragraphs[4],
      /^The peer in float32 minus the peer in float64 .*: K=5, 1 step: .* K=10, 1 step: −0\.040 ± [\d.]+, /,
    );
    // Both evaluation sets count against the float64 peer: the interval of our networks through
    // the peer's code is the one compareAcrossSeeds gives without sameTasks.
    const expected = compareAcrossSeeds(
      seedSpread(runs, "ours-peer-eval", "k10_steps1"),
      seedSpread(runs, "peer64", "k10_steps1"),
    );
    assert.ok(
      paragraphs[3].includes(
        `K=10, 1 step: +${expected.difference.toFixed(3)} ± ${expected.halfWidth.toFixed(3)}`,
      ),
    );
    // A verdict on a side names the float32 peer, not "ours".
    const apart = readSeedRuns(url(`${root}/seeds`), url(root)).map((r) =>
      r.implementation === "peer64"
        ? { ...r, cells: { ...r.cells, k10_steps10: cell(5 + r.seed / 100, 0.001) } }
        : r
    );
    assert.match(seedComparison(apart), /K=10, 10 steps: −[\d.]+ ± [\d.]+, float32 lower;/);
    assert.equal(seedRows(runs).length, 9 * 4 * 4);
    assert.deepEqual(
      [...new Set(spreadRecords(runs).map((r) => r.method))],
      ["fomaml", "fomaml, peer evaluation", "torch-fomaml", "torch-fomaml-float64"],
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("readSeedRuns: a float64 peer file must come from a --float64 command", () => {
  const root = fixture({ peer64: { 1: 0.58 }, peer64Command: "python3 maml_per_task.py --seed 1" });
  try {
    assert.throws(
      () => readSeedRuns(url(`${root}/seeds`), url(root)),
      /peer64_seed1\.json: its command did not run the peer in float64/,
    );
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("readSeedRuns: a re-run of seed 0 is compared with the full run", () => {
  const root = fixture({ rerun: true });
  try {
    const runs = readSeedRuns(url(`${root}/seeds`), url(root));
    const ours0 = runs.find((r) => r.implementation === "ours" && r.seed === 0)!;
    assert.equal(ours0.commit, "abcdef0123", "the re-run, not the full run");
    // Full run: 0.62 in every cell (results.csv); the re-run: 0.62 too.
    assert.deepEqual(ours0.differsFromFullRun, []);
    assert.match(seedBlock(runs), /our seed 0 re-run gives the full run's 4 means/);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("readSeedRuns: a run of another length or an unfinished peer run is an error", () => {
  for (
    const [options, pattern] of [
      [{ peerIters: 50 }, /different meta-iteration counts: .*50/],
      [{ peerExit: 1 }, /peer_seed1\.json: not a finished first-order peer run \(exit 1/],
      [{ evalIteration: 99 }, /ours_seed1\.peer_tasks\.jsonl: no run of ours with seed 1 and 99/],
    ] as const
  ) {
    const root = fixture(options);
    try {
      assert.throws(() => readSeedRuns(url(`${root}/seeds`), url(root)), pattern);
    } finally {
      Deno.removeSync(root, { recursive: true });
    }
  }
});
