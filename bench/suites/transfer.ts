/**
 * Suite `transfer`: leave-one-task-out evaluation of the meta-learning strategies of `lib/meta`
 * on the MetaBO function families (Volpp et al. 2020), against random search and plain GP-BO.
 *
 * Protocol: a family draws `tasks` tasks (seeded split, seed 0). Each task's history, what other
 * tasks' strategies see, is a 50-point scrambled Sobol design (seeded by the task index) with its
 * values. Each held-out task is optimised for `budget` evaluations per seed by every method; the
 * strategies get the held-out task's parameters (translation, scale) as meta-features. Regret is
 * min–max normalised with the task's known minimum and its maximum found by a dense search (4096
 * Sobol points plus the history); the tables give the mean normalised regret and the average rank
 * (per task and seed, HPO-B) at 1, 5, 10, 25 and 50 evaluations, those within the budget, and at
 * the budget itself ({@linkcode TRANSFER_STEPS}, `budgetSteps`).
 *
 * Tabular (pool-mode) problems, e.g. a generated meta-dataset, go through the same
 * `leaveOneTaskOut` with `candidates` set: see `tabularProblems` in `lib/protocols/leave_one_task_out.ts`.
 *
 * After the per-set tables, the suite checks `transferOptions`' default strategy against plain
 * GP-BO on every problem set ({@linkcode defaultVsGpTable}) and ranks every strategy by the rule
 * that chooses the default ({@linkcode defaultChoiceTable}): no worse than GP-BO at 10, 25 and 50
 * evaluations on every set, at most half GP-BO's regret at 10 wherever the greedy portfolio gets
 * there, then the lowest geometric-mean regret ratio at 10.
 *
 * @module
 */
import {
  isCompleteRun,
  leaveOneTaskOut,
  summariseTransferRuns,
  tabularProblems,
  type TransferMethod,
  type TransferProblem,
  type TransferRun,
} from "../../lib/protocols/leave_one_task_out.ts";
import {
  braninFamily,
  type FunctionTask,
  goldsteinPriceFamily,
  gpPriorFamily,
  hartmann3Family,
  type TaskFamily,
} from "../../lib/tasks/families/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { loadMetaDataset, type MetaDataset, poolTasks } from "../../lib/tasks/metadataset/mod.ts";
import type { HpoModel } from "../../lib/tasks/hpo/spaces.ts";
import { sobol } from "../../lib/random/sobol.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import type { PriorTrial } from "../../lib/meta/store.ts";
import { TRANSFER_DEFAULTS } from "../../lib/meta/transfer.ts";
import { budgetSteps } from "../../lib/bench/steps.ts";
import type { Suite, SuiteConfig, SummaryTable } from "./types.ts";

/**
 * Fixed steps at which regret is reported: those within the budget, then the budget itself when
 * it is not one of them (`budgetSteps`).
 */
export const TRANSFER_STEPS: readonly number[] = [1, 5, 10, 25, 50];

/** All methods, baselines first. */
export const TRANSFER_METHODS: readonly TransferMethod[] = [
  "random",
  "gp",
  "warm-start",
  "config-model",
  "rgpe",
  "tst-r",
  "taf",
  "portfolio",
  "rgpe-gp",
  "ablr",
  "ablr-fixed",
  "fsbo",
];

/** The function families of the suite by name (each call builds the family). */
export const TRANSFER_FAMILIES: Readonly<Record<string, () => TaskFamily>> = {
  branin: () => braninFamily(),
  "goldstein-price": () => goldsteinPriceFamily(),
  hartmann3: () => hartmann3Family(),
  "gp-prior": () => gpPriorFamily(),
};

/** Prefix of the built-in meta-dataset's task ids (`tabular-MODEL:ID`). */
const BUILTIN_PREFIX = "tabular";

/** A meta-dataset's problem set of one model, as the tables name it: `meta-dataset mlp`. */
function metaDatasetSetName(name: string, model: string): string {
  return `${name === "builtin" ? "meta-dataset" : `${name} meta-dataset`} ${model}`;
}

/** Family names of {@linkcode TRANSFER_FAMILIES}' tasks (`log-goldstein-price`) → their key. */
let familyKeys: Map<string, string> | undefined;

/**
 * The problem set of a task of this module's rows (`ResultRow.task`, the held-out problem's id),
 * named as the summary tables' titles name it before their parenthesis: a function family's task
 * `NAME/SEED/INDEX` is its family's key of {@linkcode TRANSFER_FAMILIES} (`log-goldstein-price/0/3`
 * → `goldstein-price`; a family not there is its `NAME`), a meta-dataset's task `PREFIX-MODEL:ID`
 * ({@linkcode metaDatasetProblems}) is `meta-dataset MODEL` or `NAME meta-dataset MODEL`.
 *
 * @example
 * ```ts
 * import { transferProblemSet } from "./transfer.ts";
 * transferProblemSet("branin/0/2"); // "branin"
 * transferProblemSet("tabular-mlp:iris/mlp"); // "meta-dataset mlp"
 * transferProblemSet("pmlb-rf:adult"); // "pmlb meta-dataset rf"
 * ```
 */
export function transferProblemSet(task: string): string {
  if (typeof task !== "string") {
    throw new TypeError(`transferProblemSet task: must be a string, got ${typeof task}`);
  }
  const pool = /^(.+)-([^-:]+):/.exec(task);
  if (pool) {
    return metaDatasetSetName(pool[1] === BUILTIN_PREFIX ? "builtin" : pool[1], pool[2]);
  }
  familyKeys ??= new Map(
    Object.entries(TRANSFER_FAMILIES).map(([key, make]) => [make().name, key]),
  );
  const name = task.includes("/") ? task.slice(0, task.indexOf("/")) : task;
  return familyKeys.get(name) ?? name;
}

/** Problems of a function family for `leaveOneTaskOut` (see the module docs). */
export function familyProblems(
  family: TaskFamily,
  options: { tasks: number; historySize?: number },
): TransferProblem<Record<string, unknown>>[] {
  const { train } = family.split(0, { train: options.tasks, test: 0 });
  return train.map((task: FunctionTask, i) => {
    const design = sobol(options.historySize ?? 50, task.dim, { rng: new Rng(1000 + i) });
    const history: PriorTrial[] = design.map((u) => ({
      params: task.space.decode(u),
      value: task.evaluate(u),
    }));
    const dense = sobol(4096, task.dim, { rng: new Rng(2000 + i) }).map((u) => task.evaluate(u));
    const maximum = Math.max(...dense, ...history.map((h) => h.value));
    return {
      id: task.id,
      space: task.space,
      objective: (params) => task.objective(params),
      history,
      metaFeatures: { ...task.metadata },
      minimum: task.minimum,
      maximum,
    };
  });
}

/** Settings shared by the leave-one-task-out runners of this suite. */
export interface LeaveOneOutSettings {
  /** How many tasks per problem set are held out in turn (the first ones). */
  heldOut: number;
  /** Seeds per held-out task. */
  seeds: number;
  /** Evaluations per run. */
  budget: number;
  /** Methods (default all). */
  methods?: readonly TransferMethod[];
  /** Progress callback. */
  onProgress?: (done: number, total: number, label: string) => void;
}

/** Options of {@linkcode runTransferBenchmark}. */
export interface TransferBenchmarkOptions extends LeaveOneOutSettings {
  /** Family names (branin, goldstein-price, hartmann3, gp-prior). */
  families: readonly string[];
  /** Tasks drawn per family. */
  tasks: number;
}

/**
 * Runs the protocol and returns long-format rows (`normalized_regret` per step, `seconds`) and
 * summary tables. Callable on its own, outside `deno task bench`.
 *
 * @example
 * ```ts
 * import { runTransferBenchmark } from "./transfer.ts";
 * const { rows, tables } = await runTransferBenchmark({
 *   families: ["branin"], tasks: 4, heldOut: 1, seeds: 1, budget: 5, methods: ["random", "warm-start"],
 * });
 * ```
 */
export async function runTransferBenchmark(
  options: TransferBenchmarkOptions,
): Promise<TransferBenchmarkResult> {
  const sets = options.families.map((name) => {
    if (!(name in TRANSFER_FAMILIES)) {
      throw new RangeError(
        `transfer: unknown family "${name}" (${Object.keys(TRANSFER_FAMILIES).join(", ")})`,
      );
    }
    return {
      label:
        `${name} (${options.heldOut} held-out of ${options.tasks} tasks, ${options.seeds} seeds)`,
      problems: familyProblems(TRANSFER_FAMILIES[name](), { tasks: options.tasks }),
    };
  });
  return await runTransferProblemSets(
    sets,
    options,
    options.families.length > 1 ? "all families" : "",
  );
}

/** Rows, summary tables and raw runs of a transfer benchmark. */
export interface TransferBenchmarkResult {
  /** Long-format rows: `normalized_regret` per step and `seconds` per run. */
  rows: ResultRow[];
  /** Summary tables per problem set (and pooled, when asked). */
  tables: SummaryTable[];
  /** Every run. */
  runs: TransferRun[];
  /** Each problem set's label and runs (what the default-strategy tables compare). */
  sets: { label: string; runs: TransferRun[] }[];
}

/**
 * Leave-one-task-out on problem sets (each set's first `settings.heldOut` problems held out in
 * turn, each seeing the rest of its set): the long-format rows, the summary tables per set (and
 * pooled under `pooledLabel` when it is not empty), and the runs.
 */
export async function runTransferProblemSets(
  sets: readonly { label: string; problems: TransferProblem<Record<string, unknown>>[] }[],
  settings: LeaveOneOutSettings,
  pooledLabel: string,
): Promise<TransferBenchmarkResult> {
  const methods = settings.methods ?? TRANSFER_METHODS;
  const steps = budgetSteps(TRANSFER_STEPS, settings.budget);
  const rows: ResultRow[] = [];
  const tables: SummaryTable[] = [];
  const allRuns: TransferRun[] = [];
  const perSet: { label: string; runs: TransferRun[] }[] = [];
  for (const { label, problems } of sets) {
    const runs = await leaveOneTaskOut(problems, {
      methods,
      seeds: settings.seeds,
      budget: settings.budget,
      heldOut: problems.slice(0, settings.heldOut).map((p) => p.id),
      onProgress: settings.onProgress,
    });
    allRuns.push(...runs);
    perSet.push({ label, runs });
    rows.push(...runRows(runs, steps, settings.budget));
    tables.push(...summaryTables(label, runs, steps));
  }
  if (pooledLabel) tables.push(...summaryTables(pooledLabel, allRuns, steps));
  return { rows, tables, runs: allRuns, sets: perSet };
}

function runRows(runs: readonly TransferRun[], steps: readonly number[], budget: number) {
  return runs.flatMap((run): ResultRow[] => {
    const common = { suite: "transfer", task: run.problem, method: run.method, seed: run.seed };
    // Failed and skipped runs have no regret curve (their reason is in `runs`).
    if (!isCompleteRun(run)) return [];
    return [
      ...steps.map((step) => ({
        ...common,
        step,
        metric: "normalized_regret",
        value: run.regret[step - 1],
      })),
      { ...common, step: budget, metric: "seconds", value: run.seconds },
    ];
  });
}

/** Options of {@linkcode runTabularTransferBenchmark}. */
export interface TabularTransferOptions extends LeaveOneOutSettings {
  /** Models of the meta-dataset whose tasks are used (each model is its own problem set). */
  models: readonly HpoModel[];
  /**
   * The committed meta-dataset: `"builtin"` (default: the built-in datasets and their variants) or
   * `"pmlb"` (53 real PMLB datasets).
   */
  metaDataset?: "builtin" | "pmlb";
}

/**
 * Pool-mode problems of one model of a meta-dataset for `leaveOneTaskOut`: each task's validation
 * errors as its table, ids prefixed `tabular-MODEL:` (the built-in meta-dataset) or `NAME-MODEL:`.
 */
export function metaDatasetProblems(
  metaDataset: MetaDataset,
  name: string,
  model: HpoModel,
): TransferProblem<Record<string, unknown>>[] {
  const prefix = name === "builtin" ? BUILTIN_PREFIX : name;
  return tabularProblems(
    metaDataset.spaces[model],
    poolTasks(metaDataset, { model, metric: "validationError" })
      .map((task) => ({ ...task, id: `${prefix}-${model}:${task.id}` })),
  ) as TransferProblem<Record<string, unknown>>[];
}

/**
 * Leave-one-task-out on the committed tabular meta-dataset in pool mode (HPO-B style): each
 * held-out task is optimised over its 64 evaluated configurations, seeing only the other tasks of
 * the same model (their trials and meta-features). Rows use the task name `tabular-<model>:<id>`.
 *
 * @example
 * ```ts
 * import { runTabularTransferBenchmark } from "./transfer.ts";
 * const { tables } = await runTabularTransferBenchmark({
 *   models: ["linear"], heldOut: 1, seeds: 1, budget: 5, methods: ["random", "warm-start"],
 * });
 * ```
 */
export async function runTabularTransferBenchmark(
  options: TabularTransferOptions,
): Promise<TransferBenchmarkResult> {
  const name = options.metaDataset ?? "builtin";
  const metaDataset = await loadMetaDataset({ name });
  const sets = options.models.map((model) => {
    const problems = metaDatasetProblems(metaDataset, name, model);
    const heldOut = Math.min(options.heldOut, problems.length);
    return {
      label: `${
        metaDatasetSetName(name, model)
      } (${heldOut} held-out of ${problems.length} tasks, ${options.seeds} seeds)`,
      problems,
    };
  });
  return await runTransferProblemSets(sets, options, "");
}

function summaryTables(
  title: string,
  runs: readonly TransferRun[],
  steps: readonly number[],
): SummaryTable[] {
  const summary = summariseTransferRuns(runs, steps);
  const methods = [...new Set(summary.map((s) => s.method))];
  const table = (field: "meanRegret" | "halfWidth95" | "averageRank") =>
    methods.map((method) => {
      const record: Record<string, string | number> = { method };
      for (const step of steps) {
        record[`@${step}`] = summary.find((s) => s.method === method && s.step === step)![field];
      }
      return record;
    });
  const seconds = methods.map((method) => {
    const own = runs.filter((r) => r.method === method && isCompleteRun(r)).map((r) => r.seconds);
    const evaluations = runs.filter((r) => r.method === method && isCompleteRun(r))
      .reduce((a, r) => a + (r.evaluations ?? r.regret.length), 0);
    const total = own.reduce((a, b) => a + b, 0);
    return {
      method,
      "seconds/run": total / own.length,
      // Wall time per evaluation, fitting included (the objective is a cheap function or lookup).
      "ms/ask": (1000 * total) / evaluations,
    };
  });
  const failures = runs.filter((r) => !isCompleteRun(r)).map((r) => ({
    problem: r.problem,
    method: r.method,
    seed: r.seed,
    status: r.status ?? "ok",
    error: r.error ?? "",
  }));
  return [
    { title: `mean normalised regret, ${title}`, records: table("meanRegret") },
    {
      title: `95% half-width of the mean regret over tasks (seeds averaged per task), ${title}`,
      records: table("halfWidth95"),
    },
    { title: `average rank, ${title}`, records: table("averageRank") },
    { title: `transfer vs plain GP-BO, ${title}`, records: transferVsGp(summary, steps) },
    { title: `seconds per run, ${title}`, records: seconds },
    ...(failures.length > 0
      ? [{ title: `failed or skipped runs, ${title}`, records: failures }]
      : []),
  ];
}

/** What the transfer suites read `--budget` as (`--help`). */
const TRANSFER_BUDGET_USE =
  "evaluations per held-out task and seed (default 50; a pool problem stops when its candidates run out)";

/** Steps at which the default strategy is checked against plain GP-BO. */
export const DEFAULT_CHECK_STEPS: readonly number[] = [10, 25, 50];

/**
 * The rule that chooses `transferOptions`' default strategy from a run of this suite: a strategy
 * qualifies when its mean normalised regret is at most plain GP-BO's at every checked step
 * ({@linkcode DEFAULT_CHECK_STEPS}, those within the budget) on every problem set, and, at 10
 * evaluations, at most 0.5× GP-BO's wherever the greedy portfolio reaches 0.5×; among the
 * qualifying strategies (or, when none qualifies, among all) the one with the fewest failed checks,
 * then the lowest geometric mean over the sets of its regret ratio to GP-BO at 10 evaluations, is
 * chosen. Returns one record per strategy, best first. A strategy with no check made (a budget
 * below 10 evaluations, or no GP-BO run to compare with) reads "not checked" with the reason, and
 * "–" for its ratios.
 *
 * @example
 * ```ts
 * import { defaultChoiceTable } from "./transfer.ts";
 * const run = (method: "gp" | "rgpe", regret: number) =>
 *   ({ problem: "a", method, seed: 0, regret: Array(50).fill(regret), seconds: 1 });
 * const table = defaultChoiceTable([{ label: "a", runs: [run("gp", 0.2), run("rgpe", 0.1)] }]);
 * table[0].strategy; // "rgpe"
 * ```
 */
export function defaultChoiceTable(
  sets: readonly { label: string; runs: readonly TransferRun[] }[],
): Record<string, string | number>[] {
  const perSet = sets.map(({ runs }) => {
    const budget = Math.max(...runs.map((r) => r.regret.length));
    const steps = DEFAULT_CHECK_STEPS.filter((s) => s <= budget);
    // A budget below the first checked step leaves nothing to check on this set.
    return { budget, steps, summary: steps.length > 0 ? summariseTransferRuns(runs, steps) : [] };
  });
  const strategies = [
    ...new Set(sets.flatMap((s) => s.runs.map((r) => r.method))),
  ].filter((m) => m !== "gp" && m !== "random");
  const records = strategies.map((strategy) => {
    let failed = 0, checks = 0, logRatio10 = 0, counted10 = 0, worst = 0;
    for (const { steps, summary } of perSet) {
      const at = (method: string, step: number) =>
        summary.find((s) => s.method === method && s.step === step)?.meanRegret;
      for (const step of steps) {
        const own = at(strategy, step), gp = at("gp", step);
        if (own === undefined || gp === undefined) continue;
        checks++;
        if (!(own <= gp)) failed++;
        const ratio = gp > 0 ? own / gp : own > 0 ? Infinity : 1;
        worst = Math.max(worst, ratio);
        if (step === 10) {
          logRatio10 += Math.log(Math.max(ratio, 1e-12));
          counted10++;
          const portfolio = at("portfolio", 10);
          if (portfolio !== undefined && portfolio <= 0.5 * gp) {
            checks++;
            if (!(own <= 0.5 * gp)) failed++;
          }
        }
      }
    }
    const geomean = counted10 > 0 ? Math.exp(logRatio10 / counted10) : NaN;
    return {
      strategy,
      "checks passed": checks > 0 ? `${checks - failed}/${checks}` : notChecked(perSet),
      failed,
      "worst regret / gp": checks > 0 ? worst : "–",
      "geomean regret / gp @10": counted10 > 0 ? geomean : "–",
      geomean,
    };
  });
  records.sort((a, b) => a.failed - b.failed || a.geomean - b.geomean);
  return records.map(({ geomean: _, ...record }) => record);
}

/**
 * Why no check of {@linkcode defaultChoiceTable} was made: every set's budget below the first
 * checked step, or no GP-BO run to compare with.
 */
function notChecked(perSet: readonly { budget: number; steps: readonly number[] }[]): string {
  if (perSet.every((s) => s.steps.length === 0)) {
    const budget = Math.max(0, ...perSet.map((s) => s.budget));
    return `not checked: budget ${budget} < ${DEFAULT_CHECK_STEPS[0]}, the first checked step`;
  }
  return "not checked: no GP-BO run at a checked step";
}

/**
 * The default strategy against plain GP-BO on one problem set: mean normalised regret of both at
 * 10, 25 and 50 evaluations, their ratio, whether the default is at most GP-BO's (and, at 10, at
 * most 0.5× where the portfolio reaches 0.5×), and the best strategy against the portfolio. A
 * budget below 10 evaluations leaves nothing to check: one record says so, its other cells "–".
 */
export function defaultVsGpTable(
  runs: readonly TransferRun[],
  defaultStrategy: string,
): Record<string, string | number>[] {
  const budget = Math.max(...runs.map((r) => r.regret.length));
  const steps = DEFAULT_CHECK_STEPS.filter((s) => s <= budget);
  if (steps.length === 0) {
    return [{
      step: "–",
      default: defaultStrategy,
      "default regret": "–",
      "gp regret": "–",
      "default / gp": "–",
      "default <= gp": `not checked: budget ${budget} < ${
        DEFAULT_CHECK_STEPS[0]
      }, the first checked step`,
      "portfolio / gp": "–",
      "needs <= 0.5 gp": "–",
      "best strategy": "–",
      "best <= portfolio": "–",
    }];
  }
  const summary = summariseTransferRuns(runs, steps);
  return steps.flatMap((step) => {
    const at = (method: string) =>
      summary.find((s) => s.method === method && s.step === step)?.meanRegret;
    const own = at(defaultStrategy), gp = at("gp"), portfolio = at("portfolio");
    if (own === undefined || gp === undefined) return [];
    const transfer = summary.filter((s) =>
      s.step === step && s.method !== "gp" && s.method !== "random"
    );
    const best = transfer.reduce((a, b) => (b.meanRegret < a.meanRegret ? b : a));
    const halve = step === 10 && portfolio !== undefined && portfolio <= 0.5 * gp;
    return [{
      step,
      default: defaultStrategy,
      "default regret": own,
      "gp regret": gp,
      "default / gp": gp > 0 ? own / gp : own > 0 ? Infinity : 1,
      "default <= gp": own <= gp ? "yes" : "NO",
      "portfolio / gp": portfolio !== undefined && gp > 0 ? portfolio / gp : NaN,
      "needs <= 0.5 gp": halve ? (own <= 0.5 * gp ? "yes, met" : "yes, MISSED") : "no",
      "best strategy": best.method,
      "best <= portfolio": portfolio === undefined
        ? "n/a"
        : best.meanRegret <= portfolio
        ? "yes"
        : "NO",
    }];
  });
}

/**
 * Transfer against plain GP-BO per step: the best transfer strategy's mean regret over plain
 * GP-BO's (below 0.5 when transfer at least halves the regret) and the method with the best
 * average rank.
 */
function transferVsGp(
  summary: ReturnType<typeof summariseTransferRuns>,
  steps: readonly number[],
): Record<string, string | number>[] {
  return steps.flatMap((step) => {
    const at = summary.filter((s) => s.step === step);
    const gp = at.find((s) => s.method === "gp");
    const transfer = at.filter((s) => s.method !== "gp" && s.method !== "random");
    if (!gp || transfer.length === 0) return [];
    const best = transfer.reduce((a, b) => (b.meanRegret < a.meanRegret ? b : a));
    const ranked = at.reduce((a, b) => (b.averageRank < a.averageRank ? b : a));
    return [{
      step,
      "best transfer (regret)": best.method,
      "regret / gp": best.meanRegret / gp.meanRegret,
      "best average rank": ranked.method,
      "its rank": ranked.averageRank,
      "gp rank": gp.averageRank,
    }];
  });
}

/**
 * Settings of the suite per size: `quick` (about 3–4 minutes on 2 idle cores with every method):
 * Branin and Hartmann-3, 8 tasks each, the first 3 held out in turn, 3 seeds, 50 evaluations (so
 * that the default strategy is checked at 10, 25 and 50); `full`: all four families, 16
 * tasks each, the first 8 held out in turn (each seeing the other 15), 3 seeds, 50 evaluations
 * (about half an hour of one idle core; intervals are taken over the held-out tasks, each task's
 * seeds averaged).
 */
export const TRANSFER_SUITE_SIZES: Readonly<
  Record<
    "quick" | "full",
    Omit<TransferBenchmarkOptions, "seeds" | "onProgress" | "methods"> & {
      seeds: number;
    }
  >
> = Object.freeze({
  quick: { families: ["branin", "hartmann3"], tasks: 8, heldOut: 3, seeds: 3, budget: 50 },
  full: {
    families: ["branin", "goldstein-price", "hartmann3", "gp-prior"],
    tasks: 16,
    heldOut: 8,
    seeds: 3,
    budget: 50,
  },
});

/**
 * Settings of the tabular part per size: `quick`: the first 6 of the 20 MLP tasks held out in
 * turn (each seeing the other 19), 3 seeds, 50 evaluations; `full`: both models, every task held
 * out, 3 seeds, 50 evaluations.
 */
export const TABULAR_TRANSFER_SIZES: Readonly<
  Record<"quick" | "full", Omit<TabularTransferOptions, "onProgress" | "methods">>
> = Object.freeze({
  quick: { models: ["mlp"], heldOut: 6, seeds: 3, budget: 50 },
  full: { models: ["linear", "mlp"], heldOut: 20, seeds: 3, budget: 50 },
});

/**
 * Settings of the PMLB part per size (the meta-dataset of 53 real PMLB datasets): `quick`: the
 * first 5 MLP tasks held out in turn (each seeing the other 52), 3 seeds, 50 evaluations; `full`:
 * every task of the three models held out, 3 seeds (a seed varies a run only through the
 * method's random draws: random search, GP-BO's initial design, the GP's restarts, RGPE's
 * bootstrap weights, `config-model`'s draws; TAF's and TST-R's weights are deterministic;
 * intervals are taken over tasks, each task's seeds averaged first).
 */
export const PMLB_TRANSFER_SIZES: Readonly<
  Record<"quick" | "full", Omit<TabularTransferOptions, "onProgress" | "methods">>
> = Object.freeze({
  quick: { metaDataset: "pmlb", models: ["mlp"], heldOut: 5, seeds: 3, budget: 50 },
  full: { metaDataset: "pmlb", models: ["linear", "mlp", "rf"], heldOut: 53, seeds: 3, budget: 50 },
});

/**
 * Settings per size of the suites on one PMLB model added after the default strategy was chosen
 * (`transfer-knn`, `transfer-krr`, `transfer-tree`, `transfer-gbt`): `quick`: the model's first 10 tasks held out in turn (each
 * seeing the other 52), 3 seeds, 50 evaluations; `full`: every one of its 53 tasks held out, 3
 * seeds.
 */
export const HELD_OUT_MODEL_TRANSFER_SIZES: Readonly<
  Record<"quick" | "full", Omit<TabularTransferOptions, "onProgress" | "methods" | "models">>
> = Object.freeze({
  quick: { metaDataset: "pmlb", heldOut: 10, seeds: 3, budget: 50 },
  full: { metaDataset: "pmlb", heldOut: 53, seeds: 3, budget: 50 },
});

/**
 * Rows labelled with the suite that made them: suites that share problem sets (`transfer` and
 * `transfer-ablr`, `transfer-pmlb` and `transfer-fsbo-pmlb`, …) can run in one bench run without
 * their rows taking each other's keys.
 */
function ownSuite(rows: readonly ResultRow[], suite: string): ResultRow[] {
  return rows.map((r) => ({ ...r, suite }));
}

/** The default-strategy tables of problem sets: the check per set, then the choice. */
export function defaultStrategyTables(
  sets: readonly { label: string; runs: TransferRun[] }[],
): SummaryTable[] {
  return [
    ...sets.map(({ label, runs }) => ({
      title: `default strategy (${TRANSFER_DEFAULTS.strategy}) vs plain GP-BO, ${label}`,
      records: defaultVsGpTable(runs, TRANSFER_DEFAULTS.strategy),
    })),
    {
      title: "choice of the default strategy over every problem set (defaultChoiceTable)",
      records: defaultChoiceTable(sets),
    },
  ];
}

/**
 * The `transfer-pmlb` suite: leave-one-task-out on the PMLB meta-dataset, with its
 * default-strategy tables. The quick default bench leaves it out (`--suite transfer-pmlb` runs
 * it); `deno task bench --full` runs it next to `transfer`.
 */
export const transferPmlbSuite: Suite = {
  name: "transfer-pmlb",
  description:
    "leave-one-task-out transfer BO on the PMLB meta-dataset (53 real datasets), pool mode",
  budgetUse: TRANSFER_BUDGET_USE,
  async run(config) {
    const size = PMLB_TRANSFER_SIZES[config.size];
    const pmlb = await runTabularTransferBenchmark({
      ...size,
      methods: methodsForSize(config, "transfer-pmlb"),
      seeds: config.seeds ?? size.seeds,
      budget: config.budget ?? size.budget,
      onProgress: config.progress,
    });
    return {
      rows: ownSuite(pmlb.rows, "transfer-pmlb"),
      tables: [...pmlb.tables, ...defaultStrategyTables(pmlb.sets)],
    };
  },
};

/**
 * A suite of leave-one-task-out on one model of the PMLB meta-dataset that was added after the
 * default strategy was chosen on the other problem sets, so a check of that choice on tasks it
 * never saw: every strategy of `transfer-pmlb` at {@linkcode HELD_OUT_MODEL_TRANSFER_SIZES}, with
 * the default-strategy tables.
 */
function heldOutModelSuite(name: string, model: HpoModel, what: string): Suite {
  return {
    name,
    description:
      `leave-one-task-out transfer BO on the PMLB meta-dataset's ${what} tasks (a model the default was not chosen on)`,
    budgetUse: TRANSFER_BUDGET_USE,
    async run(config) {
      const size = HELD_OUT_MODEL_TRANSFER_SIZES[config.size];
      const result = await runTabularTransferBenchmark({
        ...size,
        models: [model],
        methods: methodsForSize(config, name),
        seeds: config.seeds ?? size.seeds,
        budget: config.budget ?? size.budget,
        onProgress: config.progress,
      });
      return {
        rows: ownSuite(result.rows, name),
        tables: [...result.tables, ...defaultStrategyTables(result.sets)],
      };
    },
  };
}

/**
 * The `transfer-knn` suite (`--suite transfer-knn`, not run by default): the k-NN tasks of the
 * PMLB meta-dataset, added after the default strategy was chosen (see `heldOutModelSuite`).
 */
export const transferKnnSuite: Suite = heldOutModelSuite("transfer-knn", "knn", "k-NN");

/**
 * The `transfer-krr` suite (`--suite transfer-krr`, not run by default): the kernel-ridge tasks
 * of the PMLB meta-dataset, added after the default strategy was chosen and after the k-NN tasks
 * had been measured (see `heldOutModelSuite`).
 */
export const transferKrrSuite: Suite = heldOutModelSuite("transfer-krr", "krr", "kernel-ridge");

/**
 * The `transfer-tree` suite (`--suite transfer-tree`, not run by default): the decision-tree tasks
 * of the PMLB meta-dataset, added after the default strategy was chosen and after the k-NN and
 * kernel-ridge tasks had been measured (see `heldOutModelSuite`).
 */
export const transferTreeSuite: Suite = heldOutModelSuite("transfer-tree", "tree", "decision-tree");

/**
 * The `transfer-gbt` suite (`--suite transfer-gbt`, not run by default): the gradient-boosting
 * tasks of the PMLB meta-dataset, added after the default strategy was chosen and after the k-NN,
 * kernel-ridge and decision-tree tasks had been measured (see `heldOutModelSuite`).
 */
export const transferGbtSuite: Suite = heldOutModelSuite(
  "transfer-gbt",
  "gbt",
  "gradient-boosting",
);

/** Methods of the `transfer-ablr` suite: the baselines, the default and both ABLR variants. */
export const ABLR_SUITE_METHODS: readonly TransferMethod[] = [
  "gp",
  "portfolio",
  "rgpe-gp",
  "ablr",
  "ablr-fixed",
];

/** Methods of the `transfer-fsbo` suite: the baselines, the default and FSBO. */
export const FSBO_SUITE_METHODS: readonly TransferMethod[] = ["gp", "portfolio", "rgpe-gp", "fsbo"];

/** The problem sets a model suite runs: the function families, the MLP and the PMLB meta-datasets. */
type ProblemSetName = "families" | "mlp" | "pmlb";

/**
 * A suite that runs `methods` leave-one-task-out on the named problem sets at the sizes of the
 * `transfer` suite (families, MLP meta-dataset) and of `transfer-pmlb` (PMLB meta-dataset), with
 * the default-strategy tables over those sets.
 */
function modelSuite(
  name: string,
  description: string,
  methods: readonly TransferMethod[],
  sets: readonly ProblemSetName[],
): Suite {
  return {
    name,
    description,
    budgetUse: TRANSFER_BUDGET_USE,
    async run(config) {
      const common = (s: { seeds: number; budget: number }) => ({
        methods,
        seeds: config.seeds ?? s.seeds,
        budget: config.budget ?? s.budget,
        onProgress: config.progress,
      });
      const parts: TransferBenchmarkResult[] = [];
      if (sets.includes("families")) {
        const size = TRANSFER_SUITE_SIZES[config.size];
        parts.push(await runTransferBenchmark({ ...size, ...common(size) }));
      }
      if (sets.includes("mlp")) {
        const size = TABULAR_TRANSFER_SIZES[config.size];
        parts.push(await runTabularTransferBenchmark({ ...size, ...common(size) }));
      }
      if (sets.includes("pmlb")) {
        const size = PMLB_TRANSFER_SIZES[config.size];
        parts.push(await runTabularTransferBenchmark({ ...size, ...common(size) }));
      }
      return {
        rows: ownSuite(parts.flatMap((p) => p.rows), name),
        tables: [
          ...parts.flatMap((p) => p.tables),
          ...defaultStrategyTables(parts.flatMap((p) => p.sets)),
        ],
      };
    },
  };
}

/**
 * The `transfer-ablr` suite (`--suite transfer-ablr`, not run by default): ABLR with its feature
 * map learned jointly with the target task (`ablr`, Perrone et al. 2018) and learned once from the
 * past tasks (`ablr-fixed`), against plain GP-BO, the greedy portfolio and the default strategy,
 * on the problem sets of `transfer` at the same sizes (the quick `transfer` suite leaves ABLR out
 * for its cost; `transfer-pmlb` runs every strategy at quick size, both ABLR variants included),
 * with the default-strategy tables.
 */
export const transferAblrSuite: Suite = modelSuite(
  "transfer-ablr",
  "ABLR (joint and one-off feature map) vs GP-BO, portfolio and the default on the transfer problem sets",
  ABLR_SUITE_METHODS,
  ["families", "mlp"],
);

/**
 * The `transfer-ablr-pmlb` suite (`--suite transfer-ablr-pmlb`, not run by default): the methods of
 * `transfer-ablr` on the PMLB meta-dataset at the sizes of `transfer-pmlb`, so that ABLR learned
 * jointly with the target task (`ablr`), which `transfer-pmlb` leaves out at full size for its
 * cost, is measured there too, next to plain GP-BO, the portfolio, the default and `ablr-fixed`.
 */
export const transferAblrPmlbSuite: Suite = modelSuite(
  "transfer-ablr-pmlb",
  "ABLR (joint and one-off feature map) vs GP-BO, portfolio and the default on the PMLB meta-dataset",
  ABLR_SUITE_METHODS,
  ["pmlb"],
);

/**
 * The `transfer-fsbo` suite (`--suite transfer-fsbo`, not run by default): FSBO's deep-kernel GP
 * (`fsbo`, Wistuba & Grabocka 2021), meta-trained per held-out task on the other tasks and
 * fine-tuned at every step, against plain GP-BO, the greedy portfolio and the default strategy on
 * the function families and the MLP meta-dataset at the sizes of `transfer`, with the
 * default-strategy tables; `transfer-fsbo-pmlb` does the same on the PMLB meta-dataset.
 */
export const transferFsboSuite: Suite = modelSuite(
  "transfer-fsbo",
  "FSBO (deep-kernel GP, meta-trained and fine-tuned) vs GP-BO, portfolio and the default on the transfer problem sets",
  FSBO_SUITE_METHODS,
  ["families", "mlp"],
);

/**
 * The `transfer-fsbo-pmlb` suite (`--suite transfer-fsbo-pmlb`, not run by default): the methods
 * of `transfer-fsbo` on the PMLB meta-dataset at the sizes of `transfer-pmlb`.
 */
export const transferFsboPmlbSuite: Suite = modelSuite(
  "transfer-fsbo-pmlb",
  "FSBO (deep-kernel GP, meta-trained and fine-tuned) vs GP-BO, portfolio and the default on the PMLB meta-dataset",
  FSBO_SUITE_METHODS,
  ["pmlb"],
);

/**
 * Methods of the `transfer` and `transfer-pmlb` suites per size. The quick `transfer` suite leaves
 * both ABLR variants out (its feature map is meta-trained per held-out task); the quick
 * `transfer-pmlb` suite runs every method. At
 * `full` size every method runs but ABLR with its feature map learned jointly with the target task
 * (`ablr`), which re-trains the network at every step (about 9 s of CPU per 50-evaluation run
 * here, some 3 hours over the full protocol); `ablr-fixed` and `--suite transfer-ablr` cover it.
 */
function methodsForSize(
  config: SuiteConfig,
  suite: string,
): readonly TransferMethod[] {
  if (config.size === "full") {
    config.notes.push(
      `${suite}: joint ABLR (\`ablr\`) is left out at full size for its cost; \`ablr-fixed\` runs, and \`--suite transfer-ablr\` compares both`,
    );
    config.notes.push(
      `${suite}: FSBO (\`fsbo\`) is left out at full size; \`--suite transfer-fsbo\` runs it`,
    );
    return TRANSFER_METHODS.filter((m) => m !== "ablr" && m !== "fsbo");
  }
  if (suite !== "transfer") return TRANSFER_METHODS;
  config.notes.push(
    "transfer: ABLR and FSBO run with --full only or in their own suites (their networks are meta-trained per held-out task)",
  );
  return TRANSFER_METHODS.filter((m) => m !== "ablr" && m !== "ablr-fixed" && m !== "fsbo");
}

/** The `transfer` suite. */
export const transferSuite: Suite = {
  name: "transfer",
  description:
    "leave-one-task-out transfer BO (RGPE, RGPE then GP, ABLR, TST-R, TAF, warm starts, portfolio) on MetaBO families and the MLP meta-dataset",
  budgetUse: TRANSFER_BUDGET_USE,
  async run(config) {
    const size = TRANSFER_SUITE_SIZES[config.size];
    const methods = methodsForSize(config, "transfer");
    const families = await runTransferBenchmark({
      ...size,
      methods,
      seeds: config.seeds ?? size.seeds,
      budget: config.budget ?? size.budget,
      onProgress: config.progress,
    });
    const tabularSize = TABULAR_TRANSFER_SIZES[config.size];
    const tabular = await runTabularTransferBenchmark({
      ...tabularSize,
      methods,
      seeds: config.seeds ?? tabularSize.seeds,
      budget: config.budget ?? tabularSize.budget,
      onProgress: config.progress,
    });
    const sets = [...families.sets, ...tabular.sets];
    return {
      rows: [...families.rows, ...tabular.rows],
      tables: [...families.tables, ...tabular.tables, ...defaultStrategyTables(sets)],
    };
  },
};
