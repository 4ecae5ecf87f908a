/**
 * Suite `smbo`: simple regret after the budget on the eight registered test functions, for our
 * GP-LogEI optimiser and random search, with Optuna (TPE, random), BoTorch (LogEI and EI; when
 * python3-torch is installed) and the scikit-learn GP-EI loop run side by side when available.
 * The peers run through `bench/peers/more_functions.py`, which adds the three functions the
 * shared peers lack (rosenbrock4, styblinski-tang4, goldstein-price) and measures every peer's
 * regret from the same global minima as ours (the shared peers' own are rounded).
 *
 * @module
 */
import { runSyntheticBenchmark } from "../../lib/protocols/synthetic.ts";
import { getSyntheticFunction } from "../../lib/tasks/synthetic/mod.ts";
import { median } from "../../lib/stats/mod.ts";
import { runPeer } from "../../lib/bench/peers.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import type { Suite, SuiteConfig, SuiteOutput } from "./types.ts";
import { HARTMANN6_SUCCESS } from "./ablation.ts";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const FUNCTIONS = [
  "branin",
  "hartmann3",
  "hartmann6",
  "levy4",
  "ackley5",
  "rosenbrock4",
  "styblinski-tang4",
  "goldstein-price",
];
const METHODS = ["gp-logei", "random"];

/** Folder of `more_functions.py`, the wrapper that runs a shared peer on all eight functions. */
const WRAPPER_DIR = fileURLToPath(new URL("../peers/", import.meta.url));

/**
 * Seeds of the BoTorch peers (about 0.2–0.3 s per trial here): all in the full run (LogEI and
 * EI), else 2 (LogEI only).
 */
function botorchSeeds(config: SuiteConfig, seeds: number): number {
  return config.size === "full" ? seeds : Math.min(seeds, 2);
}

/**
 * Functions of the BoTorch peers: all eight in the full run; at quick size the three standard
 * ones (Branin, Hartmann-3, Hartmann-6), so that the peer costs about a minute instead of four.
 */
function botorchFunctions(config: SuiteConfig): string[] {
  return config.size === "full" ? FUNCTIONS : ["branin", "hartmann3", "hartmann6"];
}

/**
 * The peers' rows, in the order of their runs below. The BoTorch runs (the longest: about 0.3–0.6
 * s per trial) start at once, one after the other, beside our own optimiser; the others (Optuna,
 * scikit-learn) start when `ours` has settled, one after the other, beside the BoTorch runs still
 * going: every process runs with at most one other single-threaded job, as before, and the suite
 * takes about the longest lane rather than the sum of the peers.
 */
async function peerRows(
  config: SuiteConfig,
  budget: number,
  seeds: number,
  ours: Promise<unknown>,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const torchSeeds = String(botorchSeeds(config, seeds));
  const torchFuncs = botorchFunctions(config);
  const runs: [string, string, string[], string[]][] = [
    ["optuna-tpe", "optuna_peer.py", ["--sampler", "tpe", "--seeds", String(seeds)], FUNCTIONS],
    [
      "optuna-random",
      "optuna_peer.py",
      ["--sampler", "random", "--seeds", String(seeds)],
      FUNCTIONS,
    ],
    ["botorch-logei", "botorch_peer.py", ["--acqf", "logei", "--seeds", torchSeeds], torchFuncs],
  ];
  if (config.size === "full") {
    runs.push([
      "botorch-ei",
      "botorch_peer.py",
      ["--acqf", "ei", "--seeds", torchSeeds],
      torchFuncs,
    ]);
  }
  // Said where it was said before the runs, once BoTorch LogEI has run (a peer that did not run
  // has its own note).
  const botorchNote = config.size === "full" ? undefined : {
    at: config.notes.length,
    text: `smbo: BoTorch LogEI runs ${torchSeeds} seeds on ${torchFuncs.join(", ")}, BoTorch EI ` +
      `not at all (both with all seeds on all eight functions with --full)`,
  };
  // The scikit-learn GP-EI loop costs about a second per trial here: 5 seeds (as the peers'
  // README figures) in the full run only, so that the quick run stays within minutes.
  if (config.size === "full") {
    runs.push(["sklearn-gp-ei", "sklearn_gp_peer.py", [
      "bo",
      "--seeds",
      String(Math.min(seeds, 5)),
    ], FUNCTIONS]);
  } else {
    config.notes.push(
      "smbo: the scikit-learn GP-EI peer runs with --full only (about 1 s per trial here)",
    );
  }
  const start = ([method, script, args, functions]: (typeof runs)[number]) => {
    config.progress(0, 1, `peer ${method}`);
    return runPeer(
      "more_functions.py",
      [
        "--peers-dir",
        resolve(config.peersDir),
        "--minima",
        JSON.stringify(
          Object.fromEntries(functions.map((f) => [f, getSyntheticFunction(f).minimum])),
        ),
        script,
        ...args,
        "--budget",
        String(budget),
        "--funcs",
        functions.join(","),
      ],
      { dir: WRAPPER_DIR, requires: [resolve(config.peersDir, script)] },
    );
  };
  /** Runs `lane`'s runs one after the other, after `after`, each into its slot of `outcomes`. */
  const runLane = async (lane: number[], after: Promise<unknown>) => {
    await after.catch(() => {});
    for (const i of lane) outcomes[i] = await start(runs[i]);
  };
  const outcomes: Awaited<ReturnType<typeof start>>[] = [];
  const botorch = runs.flatMap(([, script], i) => script === "botorch_peer.py" ? [i] : []);
  const others = runs.flatMap(([, script], i) => script === "botorch_peer.py" ? [] : [i]);
  await Promise.all([runLane(botorch, Promise.resolve()), runLane(others, ours)]);
  if (botorchNote && outcomes[runs.findIndex(([method]) => method === "botorch-logei")].ok) {
    config.notes.splice(botorchNote.at, 0, botorchNote.text);
  }
  for (const [i, [method]] of runs.entries()) {
    const run = outcomes[i];
    if (!run.ok) {
      config.notes.push(`peer ${method} did not run: ${run.reason}`);
      continue;
    }
    for (const record of run.records) {
      // Peers that print per-seed regrets (BoTorch) give per-seed rows, as our own methods.
      if (Array.isArray(record.regrets)) {
        const seed0 = Number(record.seed0 ?? 0);
        record.regrets.forEach((value, i) => {
          rows.push({
            suite: "smbo",
            task: String(record.func),
            method,
            seed: seed0 + i,
            step: budget,
            metric: "regret",
            value: Number(value),
          });
        });
      }
      for (const metric of ["median_regret", "mean_regret", "seconds_per_trial"]) {
        rows.push({
          suite: "smbo",
          task: String(record.func),
          method,
          seed: -1,
          step: budget,
          metric,
          value: Number(record[metric]),
        });
      }
    }
  }
  return rows;
}

function summarise(rows: ResultRow[], budget: number): SuiteOutput["tables"] {
  const methods = [...new Set(rows.map((r) => r.method))];
  const medianOf = (task: string, method: string): number => {
    const own = rows.filter((r) =>
      r.task === task && r.method === method && r.metric === "regret" && r.step === budget
    );
    if (own.length > 0) return median(own.map((r) => r.value));
    return rows.find((r) => r.task === task && r.method === method && r.metric === "median_regret")
      ?.value ?? NaN;
  };
  const secondsOf = (task: string, method: string): number => {
    const own = rows.filter((r) =>
      r.task === task && r.method === method && r.metric === "seconds_per_trial"
    );
    return own.length ? median(own.map((r) => r.value)) : NaN;
  };
  const regret = FUNCTIONS.map((task) => {
    const record: Record<string, string | number> = { function: task };
    for (const method of methods) record[method] = medianOf(task, method);
    const ours = medianOf(task, "gp-logei");
    for (const peer of ["optuna-tpe", "botorch-logei", "botorch-ei", "sklearn-gp-ei"]) {
      if (methods.includes(peer)) record[`gp-logei / ${peer}`] = ours / medianOf(task, peer);
    }
    return record;
  });
  const cost = FUNCTIONS.map((task) => {
    const record: Record<string, string | number> = { function: task };
    for (const method of methods) record[`${method} s/trial`] = secondsOf(task, method);
    return record;
  });
  const finals = (method: string) =>
    rows.filter((r) =>
      r.task === "hartmann6" && r.method === method && r.metric === "regret" && r.step === budget
    ).map((r) => r.value);
  const successes = methods.filter((m) => finals(m).length > 0).map((method) => {
    const values = finals(method);
    return {
      method,
      runs: values.length,
      "regret ≤ 5e-3": values.filter((v) => v <= HARTMANN6_SUCCESS).length,
      median: median(values),
    };
  });
  return [
    { title: `Median simple regret after ${budget} evaluations`, records: regret },
    { title: "Seconds per trial (optimiser + objective)", records: cost },
    { title: "Hartmann-6 runs reaching the global basin (regret ≤ 5e-3)", records: successes },
  ];
}

/** The `smbo` suite. */
export const smboSuite: Suite = {
  name: "smbo",
  description: "simple regret of GP-LogEI vs random search and the peers on 8 test functions",
  budgetUse: "evaluations per run, ours and the peers' (default 50)",
  async run(config) {
    const budget = config.budget ?? 50;
    const seeds = config.seeds ?? (config.size === "full" ? 20 : 10);
    // The peers (separate processes, one thread each) run in two lanes (see `peerRows`): the
    // BoTorch runs beside ours from the start, the others after ours beside them, so that every
    // time per trial is measured with one other single-threaded job running, and the suite takes
    // about its longest lane rather than ours plus every peer.
    const ours = runSyntheticBenchmark({
      functions: FUNCTIONS,
      methods: METHODS,
      seeds,
      budget,
      onProgress: config.progress,
    });
    const peers = config.peers ? peerRows(config, budget, seeds, ours) : Promise.resolve([]);
    peers.catch(() => {}); // a failure surfaces at the await below, not as an unhandled rejection
    const rows = await ours;
    rows.push(...await peers);
    return { rows, tables: summarise(rows, budget) };
  },
};
