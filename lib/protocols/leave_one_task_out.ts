/**
 * Leave-one-task-out evaluation of transfer strategies (HPO-B protocol, Pineda Arango et al.
 * 2021): for each held-out problem the strategy sees only the other problems' histories; it runs
 * for a budget on the held-out problem; the best value so far is turned into a min–max normalised
 * regret, (best − min)/(max − min) with the problem's known minimum and maximum, reported at given
 * steps per problem and seed, with the average rank of the methods per (problem, seed).
 *
 * Problems are either continuous (an objective over a space) or tabular (pool mode: a finite list
 * of candidates with their values, as in a generated meta-dataset); both go through the same
 * function, {@linkcode leaveOneTaskOut}.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { minimize } from "../smbo/minimize.ts";
import { randomSearch } from "../smbo/proposer.ts";
import { bayesOpt } from "../smbo/bayes_opt.ts";
import {
  type BaseModel,
  type EncodedTask,
  encodePriorTasks,
  fitBaseModels,
} from "../meta/base_models.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";
import { meanInterval } from "../stats/intervals.ts";
import type { PriorTrial } from "../meta/store.ts";
import {
  checkSameSpace,
  checkTransferOptions,
  PreparedPrior,
  TRANSFER_STRATEGIES,
  type TransferOptions,
  transferOptions,
  type TransferSpace,
  type TransferStrategy,
} from "../meta/transfer.ts";

/** One problem of a leave-one-task-out benchmark. */
export interface TransferProblem<P = Record<string, unknown>> {
  /** Unique id. */
  id: string;
  /** Its search space (all problems of a benchmark share one space). */
  space: TransferSpace<P>;
  /** The objective (for tabular problems: a lookup of the candidate's value). */
  objective: (params: P) => number;
  /** The trials other problems' strategies see when this problem is a prior task. */
  history: PriorTrial[];
  /** Meta-features, when known. */
  metaFeatures?: Record<string, number>;
  /** Known minimum over the space (or over the candidates). */
  minimum: number;
  /** Known maximum, for the normalisation. */
  maximum: number;
  /** Pool mode: the finite candidate list. */
  candidates?: readonly P[];
}

/** Methods of the benchmark: baselines and transfer strategies. */
export type TransferMethod = "random" | "gp" | TransferStrategy;

const optionsSchema = z.strictObject({
  methods: z.array(
    z.enum(["random", "gp", ...TRANSFER_STRATEGIES] as [TransferMethod, ...TransferMethod[]]),
  ).min(1, "must name at least one method"),
  seeds: positiveIntSchema,
  budget: positiveIntSchema,
  heldOut: z.array(z.string()).optional(),
  useMetaFeatures: z.boolean().optional(),
  prior: z.instanceof(PreparedPrior, { message: "must be a PreparedPrior" }).optional(),
  strategyOptions: z.record(z.string(), z.unknown()).optional(),
  onProgress: z.custom<(done: number, total: number, label: string) => void>(
    (f) => typeof f === "function",
    "must be a function",
  ).optional(),
});

/** Options of `transferOptions` that the protocol sets itself, per run. */
const PROTOCOL_KEYS = ["strategy", "metaFeatures", "candidates", "seed"] as const;

/** Options of {@linkcode leaveOneTaskOut}. */
export interface LeaveOneTaskOutOptions {
  /** Methods to compare. */
  methods: readonly TransferMethod[];
  /** Seeds 0 … seeds−1. */
  seeds: number;
  /** Evaluations per run. */
  budget: number;
  /** Held-out problems (default: all). */
  heldOut?: readonly string[];
  /** Whether strategies get the held-out problem's meta-features (default true when known). */
  useMetaFeatures?: boolean;
  /** Called after each run. */
  onProgress?: (done: number, total: number, label: string) => void;
  /**
   * Past-task models fitted beforehand, e.g. `PreparedPrior.from(…)` over the problems' histories
   * in the problems' order (ids must match), reused across calls so that each problem's GP is
   * fitted once per benchmark rather than once per call. Default: fitted here, once per call.
   */
  prior?: PreparedPrior;
  /**
   * Options passed on to every transfer strategy's `transferOptions` (e.g. `{ fsbo: {…} }` or
   * `{ rgpe: {…} }`); the strategy, meta-features, candidates and seed are the protocol's.
   */
  strategyOptions?: Omit<
    TransferOptions<Record<string, unknown>>,
    "strategy" | "metaFeatures" | "candidates" | "seed"
  >;
}

/** One run's normalised regret curve, or why there is none. */
export interface TransferRun {
  /** Held-out problem. */
  problem: string;
  /** Method. */
  method: TransferMethod;
  /** Seed. */
  seed: number;
  /**
   * Normalised regret after each evaluation 1 … budget; before the first complete trial (the
   * objective failed on every earlier one) it is 1. Empty unless `status` is `"ok"`.
   */
  regret: number[];
  /** Wall time of the run, seconds. */
  seconds: number;
  /**
   * `"ok"` (also when absent); `"failed"`: the strategy threw, or the objective failed on every
   * trial; `"skipped"`: the problem cannot be normalised (maximum ≤ minimum). Summaries use only
   * `"ok"` runs.
   */
  status?: "ok" | "failed" | "skipped";
  /** Why the run failed or was skipped; for an ok run, the first error of a failed trial. */
  error?: string;
  /** Trials the objective failed on (failed trials count towards the budget). */
  failedTrials?: number;
}

/** Whether a run has a regret curve (status `"ok"` or absent). */
export function isCompleteRun(run: TransferRun): boolean {
  return run.status === undefined || run.status === "ok";
}

/**
 * Runs every method on every held-out problem for every seed (see the module docs).
 *
 * @example
 * ```ts
 * import { leaveOneTaskOut } from "./leave_one_task_out.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const problem = (c: number) => ({
 *   id: `c${c}`,
 *   space,
 *   objective: (p: { x: number }) => (p.x - c) ** 2,
 *   history: [0.1, 0.5, 0.9].map((x) => ({ params: { x }, value: (x - c) ** 2 })),
 *   minimum: 0,
 *   maximum: Math.max(c, 1 - c) ** 2,
 * });
 * const runs = await leaveOneTaskOut([problem(0.3), problem(0.4)], {
 *   methods: ["random", "warm-start"], seeds: 1, budget: 3,
 * });
 * ```
 */
export async function leaveOneTaskOut<P>(
  problems: readonly TransferProblem<P>[],
  options: LeaveOneTaskOutOptions,
): Promise<TransferRun[]> {
  parseOrThrow(optionsSchema, options, "leaveOneTaskOut options");
  if (!Array.isArray(problems) || problems.length < 2) {
    throw new RangeError("leaveOneTaskOut: needs at least two problems");
  }
  const unknown = options.heldOut?.filter((id) => !problems.some((p) => p.id === id)) ?? [];
  if (unknown.length > 0) {
    throw new RangeError(`leaveOneTaskOut options.heldOut: unknown problem "${unknown[0]}"`);
  }
  const given = (options.strategyOptions ?? {}) as Record<string, unknown>;
  const reserved = PROTOCOL_KEYS.find((k) => given[k] !== undefined);
  if (reserved) {
    throw new TypeError(
      `leaveOneTaskOut options.strategyOptions.${reserved}: set by the protocol for each run`,
    );
  }
  if (options.strategyOptions) {
    checkTransferOptions(options.strategyOptions, "leaveOneTaskOut options.strategyOptions");
  }
  const space = problems[0].space;
  // Every history is encoded in the first problem's space: the others must be the same space.
  problems.forEach((p, i) =>
    checkSameSpace(
      space as TransferSpace<unknown>,
      p.space as TransferSpace<unknown>,
      `leaveOneTaskOut problems[${i}].space`,
    )
  );
  const tasks = encodePriorTasks(
    problems.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
    space,
    "problems",
  );
  const needsModels = options.methods.some((m) =>
    m === "rgpe" || m === "rgpe-gp" || m === "tst-r" || m === "taf"
  );
  if (
    options.prior &&
    (options.prior.tasks.length !== tasks.length ||
      options.prior.tasks.some((t, i) => t.id !== tasks[i].id))
  ) {
    throw new RangeError(
      "leaveOneTaskOut options.prior: its tasks must be the problems, by id and in order",
    );
  }
  // Each problem's base GP is fitted once and shared by every fold in which it is a prior task
  // (and by every call given the same `prior`).
  options.prior?.checkSpace(space as TransferSpace<unknown>, "leaveOneTaskOut options.prior");
  const all = options.prior ??
    new PreparedPrior(
      tasks,
      needsModels ? tryFit(tasks) : undefined,
      {},
      space as TransferSpace<unknown>,
    );
  const heldOut = problems.filter((p) => !options.heldOut || options.heldOut.includes(p.id));
  const total = heldOut.length * options.methods.length * options.seeds;
  const runs: TransferRun[] = [];
  for (const problem of heldOut) {
    const prior = all.without([problem.id]);
    const metaFeatures = options.useMetaFeatures === false ? undefined : problem.metaFeatures;
    const degenerate = !(problem.maximum > problem.minimum)
      ? `maximum (${problem.maximum}) must be > minimum (${problem.minimum}) to normalise regret`
      : undefined;
    for (const method of options.methods) {
      for (let seed = 0; seed < options.seeds; seed++) {
        const start = performance.now();
        const common = { problem: problem.id, method, seed };
        if (degenerate) {
          runs.push({ ...common, regret: [], seconds: 0, status: "skipped", error: degenerate });
        } else {
          try {
            runs.push({ ...common, ...(await runOne(problem, method, seed, prior, metaFeatures)) });
          } catch (error) {
            runs.push({
              ...common,
              regret: [],
              seconds: (performance.now() - start) / 1000,
              status: "failed",
              error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            });
          }
        }
        options.onProgress?.(runs.length, total, `${problem.id} ${method} seed ${seed}`);
      }
    }
  }
  return runs;

  async function runOne(
    problem: TransferProblem<P>,
    method: TransferMethod,
    seed: number,
    prior: PreparedPrior,
    metaFeatures: Record<string, number> | undefined,
  ): Promise<Omit<TransferRun, "problem" | "method" | "seed">> {
    const start = performance.now();
    const setup = method === "random"
      ? { proposer: randomSearch(), candidates: problem.candidates }
      : method === "gp"
      ? { proposer: bayesOpt(), candidates: problem.candidates }
      : transferOptions(prior, problem.space, {
        ...options.strategyOptions,
        strategy: method,
        metaFeatures,
        candidates: problem.candidates,
        seed,
      });
    const result = await minimize((params) => problem.objective(params), problem.space, {
      budget: options.budget,
      seed,
      ...setup,
    });
    const regret = normalizedRegretCurve(
      problem,
      result.trials.map((t) => t.status === "complete" ? t.value! : NaN),
    );
    const failed = result.trials.filter((t) => t.status === "failed");
    const seconds = (performance.now() - start) / 1000;
    const failure = failed.length > 0
      ? { failedTrials: failed.length, error: failed[0].error ?? "objective failed" }
      : {};
    if (!result.trials.some((t) => t.status === "complete")) {
      return { regret: [], seconds, status: "failed", ...failure };
    }
    return { regret, seconds, status: "ok", ...failure };
  }
}

/**
 * A run's normalised regret after each evaluation: `(best so far − minimum) / (maximum − minimum)`
 * of the problem, at least 0; 1 before the first finite value (a failed evaluation is NaN).
 *
 * @example
 * ```ts
 * import { normalizedRegretCurve } from "./leave_one_task_out.ts";
 * normalizedRegretCurve({ minimum: 0, maximum: 2 }, [NaN, 1, 1.5, 0]); // [1, 0.5, 0.5, 0]
 * ```
 */
export function normalizedRegretCurve(
  problem: { readonly minimum: number; readonly maximum: number },
  values: readonly number[],
): number[] {
  const span = problem.maximum - problem.minimum;
  let best = Infinity;
  return values.map((v) => {
    if (Number.isFinite(v)) best = Math.min(best, v);
    return best === Infinity ? 1 : Math.max(0, (best - problem.minimum) / span);
  });
}

/**
 * Every task's GP, or undefined when some task's fit fails: the folds then fit their own prior
 * tasks on first use, so a fold without the bad task runs and the others record the error as
 * failure rows.
 */
function tryFit(tasks: readonly EncodedTask[]): BaseModel[] | undefined {
  try {
    return fitBaseModels(tasks);
  } catch {
    return undefined;
  }
}

/** One line of {@linkcode summariseTransferRuns}. */
export interface TransferSummary {
  /** Method. */
  method: TransferMethod;
  /** Evaluations so far. */
  step: number;
  /** Mean normalised regret over the tasks, each task's regret first averaged over its seeds. */
  meanRegret: number;
  /**
   * Half-width of the 95% Student-t interval of `meanRegret` over the tasks (NaN with one task).
   * Seeds are averaged first: in pool mode the transfer strategies are nearly deterministic, so
   * seeds are not independent replicates and an interval over tasks × seeds would overstate the
   * confidence.
   */
  halfWidth95: number;
  /** Number of tasks with at least one complete run of the method. */
  tasks: number;
  /** Average rank of the method per (task, seed) among the methods (ties share the mean rank). */
  averageRank: number;
}

/**
 * Mean normalised regret with its 95% interval over tasks, and average rank (ranks of the methods
 * per problem and seed, ties sharing the mean rank, then averaged) at each step. Only complete
 * runs count (failed and skipped ones are left out; a (task, seed) is ranked only when every
 * method has a complete run on it).
 *
 * @example
 * ```ts
 * import { summariseTransferRuns } from "./leave_one_task_out.ts";
 * const summary = summariseTransferRuns([
 *   { problem: "a", method: "gp", seed: 0, regret: [0.5, 0.2], seconds: 1 },
 *   { problem: "a", method: "rgpe", seed: 0, regret: [0.1, 0.1], seconds: 1 },
 * ], [1, 2]);
 * ```
 */
export function summariseTransferRuns(
  allRuns: readonly TransferRun[],
  steps: readonly number[],
): TransferSummary[] {
  const runs = allRuns.filter(isCompleteRun);
  const methods = [...new Set(runs.map((r) => r.method))];
  const groups = new Map<string, TransferRun[]>();
  for (const run of runs) {
    const key = `${run.problem}\u0000${run.seed}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(run);
  }
  const out: TransferSummary[] = [];
  for (const step of steps) {
    const at = (r: TransferRun) => r.regret[Math.min(step, r.regret.length) - 1];
    const rankSum = new Map<TransferMethod, number>(methods.map((m) => [m, 0]));
    let complete = 0;
    for (const group of groups.values()) {
      if (group.length !== methods.length) continue;
      complete++;
      for (const run of group) {
        const value = at(run);
        const below = group.filter((o) => at(o) < value).length;
        const equal = group.filter((o) => at(o) === value).length;
        rankSum.set(run.method, rankSum.get(run.method)! + below + (equal + 1) / 2);
      }
    }
    for (const method of methods) {
      const byTask = new Map<string, number[]>();
      for (const run of runs) {
        if (run.method !== method) continue;
        if (!byTask.has(run.problem)) byTask.set(run.problem, []);
        byTask.get(run.problem)!.push(at(run));
      }
      const taskMeans = [...byTask.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
      const { mean, halfWidth } = meanInterval(taskMeans);
      out.push({
        method,
        step,
        meanRegret: mean,
        halfWidth95: halfWidth,
        tasks: taskMeans.length,
        averageRank: rankSum.get(method)! / complete,
      });
    }
  }
  return out;
}

/**
 * Problems of a tabular meta-dataset for {@linkcode leaveOneTaskOut} (pool mode): each task's
 * rows are its candidates, its history and its objective (a lookup by encoded configuration);
 * minimum and maximum over the rows.
 *
 * @example
 * ```ts
 * import { tabularProblems } from "./leave_one_task_out.ts";
 * import { defineSpace, int } from "../space/mod.ts";
 * const space = defineSpace({ depth: int(1, 4) });
 * const rows = (shift: number) => [1, 2, 3, 4].map((depth) => ({ params: { depth }, value: (depth - shift) ** 2 }));
 * const problems = tabularProblems(space, [{ id: "a", rows: rows(2) }, { id: "b", rows: rows(3) }]);
 * ```
 */
export function tabularProblems<P extends Record<string, unknown>>(
  space: TransferProblem<P>["space"],
  tasks: readonly {
    id: string;
    rows: readonly { params: P; value: number }[];
    metaFeatures?: Record<string, number>;
  }[],
): TransferProblem<P>[] {
  return tasks.map((task) => {
    const lookup = new Map(task.rows.map((r) => [space.encode(r.params).join(","), r.value]));
    const values = task.rows.map((r) => r.value);
    return {
      id: task.id,
      space,
      objective: (params: P) => {
        const value = lookup.get(space.encode(params).join(","));
        if (value === undefined) throw new RangeError(`${task.id}: configuration not in the table`);
        return value;
      },
      history: task.rows.map((r) => ({ params: r.params, value: r.value })),
      metaFeatures: task.metaFeatures,
      minimum: Math.min(...values),
      maximum: Math.max(...values),
      candidates: task.rows.map((r) => r.params),
    };
  });
}
