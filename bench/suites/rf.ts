/**
 * Suite `rf`: SMAC-style random-forest SMBO (`smac()`: random forest on log-scaled costs,
 * log-normal EI, local and sorted random search, 20% random configurations) against random
 * search, Optuna's TPE (run over a pipe, `bench/peers/optuna_asktell.py`, define-by-run with
 * conditional suggestions) and the default GP optimiser, on
 * - the synthetic functions (continuous): branin, hartmann3, hartmann6, levy4, ackley5;
 * - pool problems of the MLP meta-dataset (integer and float parameters, fixed tables);
 * - the conditional synthetic problem and the tfjs MLP task with a conditional space (optimiser →
 *   momentum or betas), when present;
 * and the cost of the random forest: fit + one ask at n = 500, d = 10, a fit on 10,000
 * observations, and one ask at n = 100, 1,000, 10,000 next to the GP's (n ≤ 1,000, or ≤ 100 in
 * the quick size), as ratios measured in the same run.
 *
 * Regret is the best value so far minus the problem's minimum (a pool's best member; the
 * tfjs task's best value found by any method in the run), summarised at 10, 25 and 50 evaluations
 * (those within the budget) and at the budget itself by its median over seeds
 * with the distribution-free 95% interval (`medianInterval`; NaN bounds below 6 seeds) over 20
 * seeds at full size (3 in the quick size, without intervals; the tfjs task runs on one seed in
 * the quick size and at most 12 evaluations, 30 at full size, and a `--seeds` or `--budget` it
 * does not follow is noted, {@linkcode rfPartlyUsed}). In pool
 * mode TPE's suggestions are mapped to the nearest unused pool member (Euclidean in the unit
 * cube), whose value TPE is told: Optuna has no notion of a fixed candidate set.
 *
 * @module
 */
import { minimize } from "../../lib/smbo/minimize.ts";
import { type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { smac, smacInitialDesignSize } from "../../lib/smbo/presets.ts";
import { getSyntheticFunction, switchBH3H6 } from "../../lib/tasks/synthetic/mod.ts";
import { hpoTask } from "../../lib/tasks/hpo/mod.ts";
import { prepareBuiltinDataset } from "../../lib/data/mod.ts";
import { loadMetaDataset, poolTasks } from "../../lib/tasks/metadataset/mod.ts";
import type { HpoModel } from "../../lib/tasks/hpo/mod.ts";
import { bestSoFar, median, medianInterval } from "../../lib/stats/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import type { Space } from "../../lib/space/mod.ts";
import { unitCube } from "../../lib/space/mod.ts";
import { randomForest } from "../../lib/models/random_forest.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import { formatInterval, formatNumber } from "../../lib/viz/table.ts";
import { runOptunaAskTell } from "../asktell_peer.ts";
import { budgetSteps } from "../../lib/bench/steps.ts";
import type { Suite, SuiteConfig, SuiteOutput, SummaryTable } from "./types.ts";

const SYNTHETIC = ["branin", "hartmann3", "hartmann6", "levy4", "ackley5"];
const METHODS = ["rf-smbo", "gp", "random", "optuna-tpe"] as const;
/**
 * Fixed steps of the regret tables: those within the budget, then the budget itself when it is
 * not one of them (`budgetSteps`).
 */
const STEPS = [10, 25, 50];
/** Evaluations per run without `--budget`. */
const DEFAULT_BUDGET = 50;
/** Seeds per problem at full size. */
const FULL_SEEDS = 20;
/** Dataset of the tfjs task (small: one evaluation takes 0.05–0.7 s here). */
const TFJS_DATASET = "iris";
/** Seeds of the tfjs task at quick size, whatever `--seeds` says (at full size: `--seeds`). */
const TFJS_QUICK_SEEDS = 1;
/** Largest evaluation budget of the tfjs task per size (a smaller `--budget` is used as given). */
const TFJS_BUDGET_CAP = { quick: 12, full: 30 } as const;
/** The tfjs task's name in the tables. */
const TFJS_TASK = `tfjs/mlp-opt/${TFJS_DATASET}`;

/** One benchmark problem. */
export interface RfProblem {
  /** Problem family, for the tables. */
  group: "synthetic" | "pool" | "conditional" | "tfjs";
  /** Problem name. */
  name: string;
  /** Its space. */
  space: Space;
  /** The objective (a throw is a failed trial). */
  objective: (params: Record<string, unknown>) => number | Promise<number>;
  /** Known minimum; NaN: the best value any method found in the run. */
  minimum: number;
  /** Pool mode: the candidates. */
  candidates?: Record<string, unknown>[];
  /** Evaluations per run. */
  budget: number;
  /** Seeds 0 … seeds − 1. */
  seeds: number;
  /** Methods to run (default all). */
  methods?: readonly string[];
}

const PROPOSERS: Record<string, () => Proposer> = {
  "rf-smbo": () => smac(),
  "gp": () => bayesOpt(),
  "random": () => randomSearch(),
};

/** Runs one of our methods; the values of the trials in order (NaN for failures). */
async function runOurs(
  problem: RfProblem,
  method: string,
  seed: number,
): Promise<{ values: number[]; seconds: number }> {
  const start = performance.now();
  const result = await minimize(
    (params) => problem.objective(params as Record<string, unknown>),
    problem.space,
    {
      budget: problem.budget,
      seed,
      proposer: PROPOSERS[method](),
      // SMAC's own initial design (at most a quarter of the budget) for its preset; the study's
      // default else.
      ...(method === "rf-smbo"
        ? { initialDesignSize: smacInitialDesignSize(problem.space, problem.budget) }
        : {}),
      ...(problem.candidates ? { candidates: problem.candidates } : {}),
    },
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    values: result.trials.map((t) => (t.status === "complete" ? t.value! : NaN)),
    seconds,
  };
}

/**
 * Runs Optuna's TPE through the pipe on seeds `firstSeed …`, pool members matched by nearest
 * unused neighbour; undefined (and a note) when the peer cannot run.
 */
export async function runTpe(
  problem: RfProblem,
  config: Pick<SuiteConfig, "notes">,
  firstSeed = 0,
): Promise<{ seed: number; values: number[]; seconds: number }[] | undefined> {
  const seeds = Array.from({ length: problem.seeds }, (_, s) => firstSeed + s);
  let objective = (params: Record<string, unknown>, _seed: number) => problem.objective(params);
  if (problem.candidates) {
    const encoded = problem.candidates.map((c) => problem.space.encode(c as never));
    const used = new Map<number, Set<number>>();
    objective = (params, seed) => {
      const u = problem.space.encode(params as never);
      const taken = used.get(seed) ?? new Set<number>();
      used.set(seed, taken);
      let best = -1;
      let bestDistance = Infinity;
      encoded.forEach((c, i) => {
        if (taken.has(i)) return;
        let d = 0;
        for (let j = 0; j < c.length; j++) d += (c[j] - u[j]) ** 2;
        if (d < bestDistance) [best, bestDistance] = [i, d];
      });
      taken.add(best);
      return problem.objective(problem.candidates![best]);
    };
  }
  const run = await runOptunaAskTell({
    space: problem.space.toJSON(),
    seeds,
    budget: problem.budget,
    objective,
  });
  if (!run.ok) {
    config.notes.push(`rf: Optuna TPE did not run on ${problem.name}: ${run.reason}`);
    return undefined;
  }
  return run.runs;
}

/** Regret rows of every method on every problem. */
async function regretRows(
  problems: readonly RfProblem[],
  config: SuiteConfig,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const total = problems.reduce((s, p) => s + (p.methods ?? METHODS).length * p.seeds, 0);
  let done = 0;
  for (const problem of problems) {
    const runs: { method: string; seed: number; values: number[]; seconds: number }[] = [];
    for (const method of problem.methods ?? METHODS) {
      if (method === "optuna-tpe") {
        if (!config.peers) continue;
        const tpe = await runTpe(problem, config);
        for (const r of tpe ?? []) runs.push({ method, ...r });
        done += problem.seeds;
        config.progress(done, total, `${problem.name} ${method}`);
        continue;
      }
      for (let seed = 0; seed < problem.seeds; seed++) {
        runs.push({ method, seed, ...await runOurs(problem, method, seed) });
        config.progress(++done, total, `${problem.name} ${method} seed ${seed}`);
      }
    }
    let minimum = problem.minimum;
    if (Number.isNaN(minimum)) {
      minimum = Math.min(...runs.flatMap((r) => r.values.filter(Number.isFinite)));
    }
    for (const run of runs) {
      const curve = bestSoFar(run.values.map((v) => (Number.isFinite(v) ? v : Infinity)));
      curve.forEach((best, i) => {
        rows.push({
          suite: "rf",
          task: `${problem.group}/${problem.name}`,
          method: run.method,
          seed: run.seed,
          step: i + 1,
          metric: "regret",
          value: Math.max(0, best - minimum),
        });
      });
      rows.push({
        suite: "rf",
        task: `${problem.group}/${problem.name}`,
        method: run.method,
        seed: run.seed,
        step: problem.budget,
        metric: "seconds_per_trial",
        value: run.seconds / problem.budget,
      });
    }
  }
  return rows;
}

function cell(values: number[]): string {
  if (values.length === 0) return "—";
  const { center, lower, upper } = medianInterval(values);
  return Number.isNaN(lower)
    ? `${formatNumber(center)} (n=${values.length})`
    : formatInterval({ center, lower, upper });
}

/**
 * The summary tables of the suite's rows: median regret per problem and method at 10, 25 and 50
 * evaluations, those within `budget`, and at `budget` itself (`budgetSteps`; a problem run on a
 * smaller budget, such as the tfjs task, appears at the steps it reached), then seconds per
 * trial.
 *
 * @example
 * ```ts
 * import { regretTables } from "./rf.ts";
 * const rows = [10, 30].map((step) => ({
 *   suite: "rf", task: "synthetic/branin", method: "random", seed: 0, step, metric: "regret",
 *   value: 1 / step,
 * }));
 * regretTables(rows, 30).map((t) => t.title)[1]; // "Median regret @30 [95% interval over seeds]"
 * ```
 */
export function regretTables(rows: readonly ResultRow[], budget: number): SummaryTable[] {
  const tasks = [...new Set(rows.filter((r) => r.metric === "regret").map((r) => r.task))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const at = (task: string, method: string, step: number) =>
    rows.filter((r) =>
      r.task === task && r.method === method && r.metric === "regret" && r.step === step
    ).map((r) => r.value);
  const tables: SummaryTable[] = [];
  for (const step of budgetSteps(STEPS, budget)) {
    const records = tasks.filter((task) => methods.some((m) => at(task, m, step).length > 0))
      .map((task) => {
        const record: Record<string, string | number> = { problem: task };
        for (const method of methods) record[method] = cell(at(task, method, step));
        const rf = median(at(task, "rf-smbo", step));
        for (const peer of ["optuna-tpe", "gp"]) {
          const other = median(at(task, peer, step));
          if (at(task, peer, step).length > 0) {
            record[`rf ≤ ${peer}`] = rf <= other ? "yes" : "no";
          }
        }
        return record;
      });
    if (records.length > 0) {
      tables.push({
        title: `Median regret @${step} [95% interval over seeds]`,
        records,
      });
    }
  }
  const cost = tasks.map((task) => {
    const record: Record<string, string | number> = { problem: task };
    for (const method of methods) {
      const s = rows.filter((r) =>
        r.task === task && r.method === method && r.metric === "seconds_per_trial"
      ).map((r) => r.value);
      record[`${method} s/trial`] = s.length ? median(s) : NaN;
    }
    return record;
  });
  tables.push({
    title: "Seconds per trial (median over seeds; optimiser + objective)",
    records: cost,
  });
  return tables;
}

/** Median seconds of `reps` calls of `f` after one warm-up. */
function timeIt(f: () => void, reps: number): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    f();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/** A context of n observations of a smooth function on the unit cube of dimension d. */
function speedContext(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const space = unitCube(d);
  const points = Array.from({ length: n }, () => rng.uniforms(d));
  const values = Float64Array.from(
    points,
    (p) => p.reduce((s, v, j) => s + (v - 0.3) ** 2 * (j + 1), 0) + 0.1 * Math.sin(20 * p[0]),
  );
  return {
    space,
    points,
    values,
    context: (askSeed: number) => ({
      dim: d,
      points,
      values,
      pending: [] as Float64Array[],
      project: (u: Float64Array) => space.project(u),
      rng: new Rng(askSeed),
      memory: new Map<string, unknown>(),
      space,
    }),
  };
}

function speedRows(config: SuiteConfig): { rows: ResultRow[]; tables: SummaryTable[] } {
  const rows: ResultRow[] = [];
  const quick = config.size === "quick";
  const reps = quick ? 3 : 7;
  const add = (task: string, method: string, value: number) =>
    rows.push({ suite: "rf", task, method, seed: -1, step: 0, metric: "seconds", value });
  // The model-based step of smac() without its random interleaving: every ask fits and searches.
  const smacModel = () => smac({ randomProbability: 0 });
  const d10 = speedContext(500, 10, 1);
  let askSeed = 0;
  add(
    "fit + ask, n=500, d=10",
    "rf-smbo",
    timeIt(() => smacModel().propose(d10.context(askSeed++), 1), reps),
  );
  const big = speedContext(10_000, 10, 2);
  const forest = randomForest();
  add(
    "fit, n=10000, d=10",
    "rf-smbo",
    timeIt(() => forest.fit(big.points, big.values, new Rng(0), { space: big.space }), reps),
  );
  const sizes = quick ? [100, 1000, 10_000] : [100, 1000, 10_000];
  const gpMax = quick ? 100 : 1000;
  for (const n of sizes) {
    const problem = speedContext(n, 10, 3);
    add(
      `ask, n=${n}, d=10`,
      "rf-smbo",
      timeIt(() => smacModel().propose(problem.context(askSeed++), 1), reps),
    );
    if (n <= gpMax) {
      add(
        `ask, n=${n}, d=10`,
        "gp",
        timeIt(() => bayesOpt().propose(problem.context(askSeed++), 1), quick ? 1 : 3),
      );
    }
  }
  config.progress(1, 1, "speed");
  const tasks = [...new Set(rows.map((r) => r.task))];
  const records = tasks.map((task) => {
    const rf = rows.find((r) => r.task === task && r.method === "rf-smbo")?.value ?? NaN;
    const gp = rows.find((r) => r.task === task && r.method === "gp")?.value ?? NaN;
    return {
      measurement: task,
      "rf-smbo ms": rf * 1000,
      "gp ms": gp * 1000,
      "rf / gp": rf / gp,
    };
  });
  return {
    rows,
    tables: [{
      title: "Cost of the random forest (median seconds ×1000; ask = fit + acquisition search)",
      records,
    }],
  };
}

/**
 * The pool problems of one meta-dataset's `model` tasks (the ids `take` keeps, in the
 * meta-dataset's order): each configuration of a task's table is a candidate, its validation loss
 * the value. Throws when the meta-dataset cannot be loaded or has no `model` tasks.
 */
export async function poolProblems(
  source: "builtin" | "pmlb",
  model: HpoModel,
  take: (ids: string[]) => string[],
  budget: number,
  seeds: number,
): Promise<RfProblem[]> {
  const md = await loadMetaDataset({ name: source });
  if (!md.models.includes(model)) {
    throw new RangeError(`the ${source} meta-dataset has no ${model} tasks`);
  }
  const space = md.spaces[model];
  const tasks = poolTasks(md, { model, metric: "validationLoss" });
  const chosen = new Set(take(tasks.map((t) => t.id)));
  return tasks.filter((t) => chosen.has(t.id)).map((task) => {
    const lookup = new Map(
      task.rows.map((r) => [space.encode(r.params as never).join(","), r.value]),
    );
    return {
      group: "pool" as const,
      name: `${source}:${task.id}`,
      space,
      objective: (params: Record<string, unknown>) => {
        const value = lookup.get(space.encode(params as never).join(","));
        if (value === undefined) {
          throw new RangeError(`${task.id}: configuration not in the table`);
        }
        return value;
      },
      minimum: Math.min(...task.rows.map((r) => r.value)),
      candidates: task.rows.map((r) => r.params),
      budget: Math.min(budget, task.rows.length),
      seeds,
    };
  });
}

/** The problems of the run. */
async function problems(config: SuiteConfig): Promise<RfProblem[]> {
  const quick = config.size === "quick";
  // 20 seeds at full size: with 8, the medians of the pool tasks after 10 evaluations changed
  // sides against TPE's on 5 of 7 tasks when the seeds changed (results/rf/README.md), and the
  // distribution-free 95% interval of a median needs at least 6 seeds to exist at all.
  const seeds = config.seeds ?? (quick ? 3 : FULL_SEEDS);
  const budget = config.budget ?? DEFAULT_BUDGET;
  const list: RfProblem[] = [];
  for (const name of quick ? ["branin", "hartmann6"] : SYNTHETIC) {
    const fn = getSyntheticFunction(name);
    list.push({
      group: "synthetic",
      name,
      space: fn.space,
      objective: (params) => fn.evaluate(fn.space.encode(params as never)),
      minimum: fn.minimum,
      budget,
      seeds,
    });
  }
  // Pools: the built-in meta-dataset's MLP tasks (integer and log-scaled float parameters) and,
  // when its data file is committed, the PMLB meta-dataset's random-forest tasks (a categorical
  // among integers and floats). Tasks whose initial design already holds the best member for
  // every seed (iris) tell nothing: the quick size takes two that do not.
  const pools: { name: "builtin" | "pmlb"; model: HpoModel; take: (ids: string[]) => string[] }[] =
    [
      {
        name: "builtin",
        model: "mlp",
        take: (ids) => quick ? ["penguins/mlp", "cars-origin/mlp"] : ids.slice(0, 10),
      },
      { name: "pmlb", model: "rf", take: (ids) => ids.slice(0, quick ? 2 : 10) },
    ];
  for (const source of pools) {
    try {
      list.push(...await poolProblems(source.name, source.model, source.take, budget, seeds));
    } catch (error) {
      config.notes.push(
        `rf: ${source.name} meta-dataset pool problems skipped: ${(error as Error).message}`,
      );
    }
  }
  list.push({
    group: "conditional",
    name: switchBH3H6.name,
    space: switchBH3H6.space,
    objective: (params) => switchBH3H6.objective(params as never),
    minimum: switchBH3H6.minimum,
    budget,
    seeds,
  });
  // The MLP with its optimiser searched (conditional: momentum/nesterov for SGD, betas for Adam,
  // rho for RMSProp), validation loss on iris; the minimum is the best value found in the run.
  const data = await prepareBuiltinDataset(TFJS_DATASET, { seed: 0, maxRows: 400 });
  const task = hpoTask(data, { model: "mlp-opt", metric: "loss" });
  list.push({
    group: "tfjs",
    name: `mlp-opt/${TFJS_DATASET}`,
    space: task.space,
    objective: (params) => task.objective(params),
    minimum: NaN,
    budget: Math.min(budget, TFJS_BUDGET_CAP[config.size]),
    seeds: quick ? TFJS_QUICK_SEEDS : seeds,
  });
  return list;
}

/**
 * The notes for a `--seeds` or `--budget` that the tfjs task does not follow: at quick size it
 * runs on one seed, and its budget is capped (12 evaluations at quick size, 30 at full size).
 */
export function rfPartlyUsed(
  flags: { size: "quick" | "full"; seeds?: number; budget?: number },
): string[] {
  const notes: string[] = [];
  if (flags.size === "quick" && flags.seeds !== undefined && flags.seeds !== TFJS_QUICK_SEEDS) {
    notes.push(
      `rf: --seeds ${flags.seeds} not used for ${TFJS_TASK}: at quick size it runs on ` +
        `${TFJS_QUICK_SEEDS} seed (--full runs it on every seed)`,
    );
  }
  const cap = TFJS_BUDGET_CAP[flags.size];
  if (flags.budget !== undefined && flags.budget > cap) {
    notes.push(
      `rf: --budget ${flags.budget} not used for ${TFJS_TASK}: its budget is at most ${cap} ` +
        `evaluations at ${flags.size} size`,
    );
  }
  return notes;
}

/** The `rf` suite. */
export const rfSuite: Suite = {
  name: "rf",
  description: "random-forest SMBO (smac()) vs TPE, GP and random search; RF cost",
  budgetUse:
    `evaluations per run (default ${DEFAULT_BUDGET}; the tfjs task at most ${TFJS_BUDGET_CAP.quick}, ${TFJS_BUDGET_CAP.full} with --full; a pool at most its size)`,
  partlyUsed: rfPartlyUsed,
  async run(config): Promise<SuiteOutput> {
    const rows = await regretRows(await problems(config), config);
    const speed = speedRows(config);
    rows.push(...speed.rows);
    return {
      rows,
      tables: [...regretTables(rows, config.budget ?? DEFAULT_BUDGET), ...speed.tables],
    };
  },
};
