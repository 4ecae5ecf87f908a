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
import { directionSchema } from "../smbo/_direction.ts";
import { meanInterval } from "../stats/intervals.ts";
import { rangeFraction } from "../stats/scale.ts";
import { type CurveSummary, curveSummaryFigure } from "../viz/curves.ts";
import { type Figure, plotlyText } from "../viz/figure.ts";
import { ciNote } from "../viz/_validate.ts";
import type { PriorTrial } from "../meta/store.ts";
import { poolValues } from "../tasks/metadataset/load.ts";
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
  /**
   * The trials other problems' strategies see when this problem is a prior task. A problem with
   * an empty history (e.g. a tabular task without any finite value) is no other problem's prior
   * task.
   */
  history: PriorTrial[];
  /** Meta-features, when known. */
  metaFeatures?: Record<string, number>;
  /**
   * Known minimum over the space (or over the candidates). A problem whose minimum or maximum is
   * not finite (NaN for a tabular task without any finite value) cannot be normalised: its runs
   * are skipped.
   */
  minimum: number;
  /** Known maximum, for the normalisation. */
  maximum: number;
  /** Pool mode: the finite candidate list. */
  candidates?: readonly P[];
}

/** Methods of the benchmark: baselines and transfer strategies. */
export type TransferMethod = "random" | "gp" | TransferStrategy;

/** Refines a list so that an entry repeating an earlier one is an issue naming both. */
function eachOnce<T>(name: string, show: (entry: T) => string, hint = "") {
  return (list: readonly T[], ctx: z.RefinementCtx) => {
    list.forEach((entry, i) => {
      const first = list.indexOf(entry);
      if (first < i) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `repeats ${show(entry)} (also ${name}[${first}])${hint}`,
        });
      }
    });
  };
}

const methodsSchema = z.array(
  z.enum(["random", "gp", ...TRANSFER_STRATEGIES] as [TransferMethod, ...TransferMethod[]]),
).min(1, "must name at least one method")
  .superRefine(eachOnce<TransferMethod>("methods", (m) => `"${m}"`, ": each method once"));

const optionsSchema = z.strictObject({
  methods: methodsSchema,
  seeds: z.union([
    positiveIntSchema,
    z.array(z.number().int("must be an integer")).min(1, "must name at least one seed")
      .superRefine(eachOnce<number>("seeds", String)),
  ]),
  budget: positiveIntSchema,
  heldOut: z.array(z.string()).optional(),
  useMetaFeatures: z.boolean().optional(),
  recordTrials: z.boolean().optional(),
  prior: z.instanceof(PreparedPrior, { message: "must be a PreparedPrior" }).optional(),
  strategyOptions: z.record(z.string(), z.unknown()).optional(),
  onProgress: z.custom<
    (done: number, total: number, label: string, run: TransferRun) => void
  >(
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
  /** The seeds: a count n for 0 … n−1, or the list of seeds (integers, each once). */
  seeds: number | readonly number[];
  /** Evaluations per run. */
  budget: number;
  /** Held-out problems (default: all). */
  heldOut?: readonly string[];
  /** Whether strategies get the held-out problem's meta-features (default true when known). */
  useMetaFeatures?: boolean;
  /**
   * Whether each run keeps its trials (`TransferRun.trials`: the configurations evaluated, in
   * order, with their values or errors), e.g. to see what a strategy started from. Default false.
   */
  recordTrials?: boolean;
  /**
   * Called after each run with the runs done so far, their total, a label and the run itself (to
   * save runs as they finish). If it throws, the benchmark stops: the protocol throws a
   * {@linkcode TransferBenchmarkStopped} holding the runs finished so far, the callback's error as
   * its `cause`.
   */
  onProgress?: (done: number, total: number, label: string, run: TransferRun) => void;
  /**
   * Past-task models fitted beforehand, e.g. `PreparedPrior.from(…)` over the problems' histories
   * in the problems' order (ids must match; problems with an empty history are no past tasks and
   * left out), reused across calls so that each problem's GP is fitted once per benchmark rather
   * than once per call. Default: fitted here, once per call.
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
   * objective failed on every earlier one) it is 1. When the run ends early because the pool has
   * fewer candidates than the budget, the curve is padded with its last value up to the budget
   * (the best so far stays as it is with nothing left to evaluate; `evaluations` says how many
   * were made). Empty unless `status` is `"ok"`.
   */
  regret: number[];
  /** Evaluations made, when fewer than the budget (the pool ran out); absent otherwise. */
  evaluations?: number;
  /**
   * Wall time of the run, seconds. Models shared between runs are counted in the first run that
   * fits them: the past tasks' base GPs are fitted before the runs (so in none), unless `prior`
   * holds unfitted ones, and a model learned from a fold's past tasks (ABLR's or FSBO's network,
   * the greedy portfolio) counts in that fold's first run that needs it.
   */
  seconds: number;
  /**
   * `"ok"` (also when absent); `"failed"`: the strategy threw, the objective failed on every
   * trial, or it returned a value below the problem's `minimum` (by more than round-off, 1e-9 of
   * maximum − minimum: the minimum is wrong, so the regret cannot be normalised); `"skipped"`: the problem cannot be normalised (maximum ≤ minimum, or either is not
   * finite, as for a tabular task without any finite value). Summaries use only `"ok"` runs.
   */
  status?: "ok" | "failed" | "skipped";
  /** Why the run failed or was skipped; for an ok run, the first error of a failed trial. */
  error?: string;
  /** Trials the objective failed on (failed trials count towards the budget). */
  failedTrials?: number;
  /**
   * With `recordTrials`, the run's trials in order (params, the problem's objective value or NaN
   * for a failed trial, and the source: `"enqueued"`, `"initial"`, `"model"` or `"random"`). The
   * problems of `tabularProblems` with `direction: "maximize"` minimise the negated score, so
   * their values here are negated scores.
   */
  trials?: { params: Record<string, unknown>; value: number; source: string; error?: string }[];
}

/**
 * Thrown by {@linkcode leaveOneTaskOut} when its `onProgress` callback throws (e.g. to stop a
 * benchmark early): `runs` holds every run finished so far, the one just reported included, and
 * `cause` the callback's error.
 *
 * @example
 * ```ts
 * import { leaveOneTaskOut, TransferBenchmarkStopped } from "./leave_one_task_out.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const problem = (c: number) => ({
 *   id: `c${c}`,
 *   space,
 *   objective: (p: { x: number }) => (p.x - c) ** 2,
 *   history: [0.1, 0.9].map((x) => ({ params: { x }, value: (x - c) ** 2 })),
 *   minimum: 0,
 *   maximum: 1,
 * });
 * try {
 *   await leaveOneTaskOut([problem(0.3), problem(0.4)], {
 *     methods: ["random"], seeds: 2, budget: 2,
 *     onProgress: (done) => { if (done === 1) throw new Error("enough"); },
 *   });
 * } catch (error) {
 *   if (error instanceof TransferBenchmarkStopped) console.log(error.runs.length); // 1
 * }
 * ```
 */
export class TransferBenchmarkStopped extends Error {
  /** The runs finished before the callback threw. */
  readonly runs: TransferRun[];

  /** Wraps the callback's error; `runs` are the runs finished so far. */
  constructor(runs: TransferRun[], cause: unknown) {
    super(
      `leaveOneTaskOut: options.onProgress threw after ${runs.length} runs (${
        cause instanceof Error ? cause.message : String(cause)
      }); the finished runs are in this error's runs`,
      { cause },
    );
    this.name = "TransferBenchmarkStopped";
    this.runs = runs;
  }
}

/** Whether a run has a regret curve (status `"ok"` or absent). */
export function isCompleteRun(run: TransferRun): boolean {
  return run.status === undefined || run.status === "ok";
}

/**
 * Runs every method on every held-out problem for every seed (see the module docs).
 *
 * A held-out problem that cannot be normalised is not run: its rows are `"skipped"` with the
 * reason, `maximum (…) must be > minimum (…) to normalise regret` for a flat problem, `minimum
 * (NaN) and maximum (NaN) must be finite to normalise regret (a tabular task without any finite
 * value has neither)` for a tabular task without any finite value. A flat problem still serves as
 * a past task of the others (its history is data); a problem with an empty history (such as that
 * tabular task) is no past task of any other. A run whose objective returns a value below the
 * problem's `minimum` (by more than 1e-9 of maximum − minimum) is `"failed"` with the reason
 * (`problems[2].minimum (1) is above the value 0.25 of evaluation 3: the regret cannot be
 * normalised …`), as the minimum is wrong; its trials are kept with `recordTrials`.
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
  let tasks: EncodedTask[];
  try {
    tasks = encodeHistories(problems, space as TransferSpace<unknown>);
  } catch (error) {
    // Named as leaveOneTaskOut's other errors: `leaveOneTaskOut problems[2].id: …`.
    if (error instanceof Error) {
      error.message = error.message.replaceAll(/(^|; )problems\[/g, "$1leaveOneTaskOut problems[");
    }
    throw error;
  }
  const needsModels = options.methods.some((m) =>
    m === "rgpe" || m === "rgpe-gp" || m === "tst-r" || m === "taf"
  );
  if (
    options.prior &&
    (options.prior.tasks.length !== tasks.length ||
      options.prior.tasks.some((t, i) => t.id !== tasks[i].id))
  ) {
    throw new RangeError(
      "leaveOneTaskOut options.prior: its tasks must be the problems (those with a history), by id and in order",
    );
  }
  // Each problem's base GP is fitted once and shared by every fold in which it is a prior task
  // (and by every call given the same `prior`).
  options.prior?.checkSpace(space as TransferSpace<unknown>, "leaveOneTaskOut options.prior");
  // The same ids are not enough: a prior built from other data (e.g. raw scores where the problems
  // are maximised, averaged or had failures replaced) would transfer the wrong information.
  options.prior?.tasks.forEach((t, i) => {
    const own = tasks[i];
    const same = t.values.length === own.values.length &&
      t.values.every((v, k) => Object.is(v, own.values[k])) &&
      t.points.every((p, k) =>
        p.length === own.points[k].length && p.every((x, j) => Object.is(x, own.points[k][j]))
      );
    const what = !same
      ? "other trials than the problem's history"
      : !sameMetaFeatures(t.metaFeatures, own.metaFeatures)
      ? "other meta-features than the problem's"
      : undefined;
    if (what !== undefined) {
      throw new RangeError(
        `leaveOneTaskOut options.prior: task ${
          JSON.stringify(t.id)
        } holds ${what} (build the prior from the problems' histories, e.g. PreparedPrior.from(problems.filter((p) => p.history.length > 0).map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })), space))`,
      );
    }
  });
  const all = options.prior ??
    new PreparedPrior(
      tasks,
      needsModels ? tryFit(tasks) : undefined,
      {},
      space as TransferSpace<unknown>,
    );
  const heldOut = problems.filter((p) => !options.heldOut || options.heldOut.includes(p.id));
  const seeds = typeof options.seeds === "number"
    ? Array.from({ length: options.seeds }, (_, i) => i)
    : [...options.seeds];
  const total = heldOut.length * options.methods.length * seeds.length;
  const runs: TransferRun[] = [];
  for (const problem of heldOut) {
    // A problem with an empty history is no past task (`encodeHistories`): nothing to hold out.
    const prior = all.without(all.tasks.some((t) => t.id === problem.id) ? [problem.id] : []);
    const metaFeatures = options.useMetaFeatures === false ? undefined : problem.metaFeatures;
    const degenerate = skipReason(problem);
    for (const method of options.methods) {
      for (const seed of seeds) {
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
        try {
          options.onProgress?.(
            runs.length,
            total,
            `${problem.id} ${method} seed ${seed}`,
            runs[runs.length - 1],
          );
        } catch (error) {
          throw new TransferBenchmarkStopped(runs, error);
        }
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
    // A pool smaller than the budget runs out: the best so far stays as it is.
    const evaluations = regret.length;
    while (regret.length > 0 && regret.length < options.budget) regret.push(regret.at(-1)!);
    const short = evaluations < options.budget ? { evaluations } : {};
    const failed = result.trials.filter((t) => t.status === "failed");
    const seconds = (performance.now() - start) / 1000;
    const failure = failed.length > 0
      ? { failedTrials: failed.length, error: failed[0].error ?? "objective failed" }
      : {};
    const recorded = options.recordTrials
      ? {
        trials: result.trials.map((t) => ({
          params: { ...t.params } as Record<string, unknown>,
          value: t.status === "complete" ? t.value! : NaN,
          source: t.source,
          ...(t.error !== undefined ? { error: t.error } : {}),
        })),
      }
      : {};
    if (!result.trials.some((t) => t.status === "complete")) {
      return { regret: [], seconds, status: "failed", ...failure, ...recorded };
    }
    const below = belowMinimum(problem, result.trials);
    if (below) {
      return {
        regret: [],
        seconds,
        status: "failed",
        ...failure,
        ...recorded,
        error: `problems[${problems.indexOf(problem)}].minimum (${problem.minimum}) is above ` +
          `${below}: the regret cannot be normalised (a regret below 0 would be counted as 0)`,
      };
    }
    return { regret, seconds, status: "ok", ...short, ...failure, ...recorded };
  }
}

/**
 * A run's normalised regret after each evaluation: `(best so far − minimum) / (maximum − minimum)`
 * of the problem, clipped to [0, 1]: 1 before the first finite value (a failed evaluation is NaN
 * or ±Infinity) and for values at or above `maximum` (which may be an estimate, e.g. the largest
 * value of a dense search).
 *
 * @throws {RangeError} when the problem cannot be normalised: its minimum or maximum is not finite,
 * or the maximum is not above the minimum (a flat problem, which {@linkcode leaveOneTaskOut}
 * skips with the same reason).
 * @example
 * ```ts
 * import { normalizedRegretCurve } from "./leave_one_task_out.ts";
 * normalizedRegretCurve({ minimum: 0, maximum: 2 }, [NaN, 1, 1.5, 0]); // [1, 0.5, 0.5, 0]
 * normalizedRegretCurve({ minimum: 0, maximum: 2 }, [3, NaN, 1]); // [1, 1, 0.5]
 * ```
 */
export function normalizedRegretCurve(
  problem: { readonly minimum: number; readonly maximum: number },
  values: readonly number[],
): number[] {
  const degenerate = skipReason(problem);
  if (degenerate) throw new RangeError(`normalizedRegretCurve problem: ${degenerate}`);
  const { minimum, maximum } = problem;
  let best = Infinity;
  return values.map((v) => {
    if (Number.isFinite(v)) best = Math.min(best, v);
    // Clipped to [0, 1]: a value above an estimated maximum is as bad as a failure.
    return best === Infinity ? 1 : Math.min(1, Math.max(0, rangeFraction(best, minimum, maximum)));
  });
}

/**
 * How far, relative to maximum − minimum, a value may be below a problem's minimum: round-off of
 * an objective at its minimiser, which the regret counts as 0.
 */
const MINIMUM_ROUNDOFF = 1e-9;

/**
 * The first complete trial whose value is below the problem's minimum by more than round-off, as
 * the message part `the value V of evaluation K`, or undefined when there is none.
 */
function belowMinimum(
  problem: { readonly minimum: number; readonly maximum: number },
  trials: readonly { status: string; value?: number }[],
): string | undefined {
  const k = trials.findIndex((t) =>
    t.status === "complete" &&
    rangeFraction(t.value!, problem.minimum, problem.maximum) < -MINIMUM_ROUNDOFF
  );
  return k < 0 ? undefined : `the value ${trials[k].value} of evaluation ${k + 1}`;
}

/**
 * Why a held-out problem cannot be normalised (its runs are skipped), or undefined when it can:
 * its minimum and maximum must be finite, the maximum above the minimum.
 */
function skipReason(problem: { readonly minimum: number; readonly maximum: number }) {
  const { minimum, maximum } = problem;
  if (!Number.isFinite(minimum) || !Number.isFinite(maximum)) {
    const tabular = Number.isNaN(minimum) && Number.isNaN(maximum)
      ? " (a tabular task without any finite value has neither)"
      : "";
    return `minimum (${minimum}) and maximum (${maximum}) must be finite to normalise regret${tabular}`;
  }
  if (!(maximum > minimum)) {
    return `maximum (${maximum}) must be > minimum (${minimum}) to normalise regret`;
  }
  return undefined;
}

/**
 * The problems' histories encoded as past tasks, in the problems' order, without the problems
 * whose history is empty (they have nothing to transfer); errors name the problem by its index in
 * `problems`.
 */
function encodeHistories<P>(
  problems: readonly TransferProblem<P>[],
  space: TransferSpace<unknown>,
): EncodedTask[] {
  // Ids are unique over all the problems, those left out below included: a problem with an empty
  // history still runs under its id and is held out by it.
  const seen = new Map<unknown, number>();
  problems.forEach((p, i) => {
    const first = seen.get(p.id);
    if (first !== undefined) {
      throw new RangeError(
        `problems[${i}].id: duplicate id ${JSON.stringify(p.id)} (also problems[${first}])`,
      );
    }
    seen.set(p.id, i);
  });
  const kept = problems.flatMap((p, i) =>
    Array.isArray(p.history) && p.history.length === 0 ? [] : [i]
  );
  try {
    return encodePriorTasks(
      kept.map((i) => problems[i]).map((p) => ({
        id: p.id,
        trials: p.history,
        metaFeatures: p.metaFeatures,
      })),
      space,
      "problems",
      "history",
    );
  } catch (error) {
    if (kept.length < problems.length && error instanceof Error) {
      error.message = error.message.replaceAll(
        /problems\[(\d+)\]/g,
        (_, k) => `problems[${kept[Number(k)]}]`,
      );
    }
    throw error;
  }
}

/** Whether two tasks' meta-features have the same names and values (`Object.is`). */
function sameMetaFeatures(
  a: Readonly<Record<string, number>> | undefined,
  b: Readonly<Record<string, number>> | undefined,
): boolean {
  const keysA = Object.keys(a ?? {}).sort();
  const keysB = Object.keys(b ?? {}).sort();
  return keysA.length === keysB.length &&
    keysA.every((key, i) => key === keysB[i] && Object.is(a![key], b![key]));
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
 * @throws {TypeError} when `runs` is not an array, or a complete run's regret is not a finite
 * number (`summariseTransferRuns runs[3].regret[2]: must be a finite number, got NaN`).
 * @throws {RangeError} when a step is beyond the runs' evaluations; when two complete runs have
 * the same problem, method and seed (e.g. the runs of two calls that both ran a method, merged:
 * each (problem, method, seed) is one run); or when the methods have complete runs but no
 * (problem, seed) has one of every method, so that no method can be ranked.
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
  const names = { runs: "summariseTransferRuns runs", steps: "summariseTransferRuns steps" };
  if (!Array.isArray(allRuns)) throw new TypeError(`${names.runs}: must be an array`);
  parseOrThrow(stepsSchema, steps, names.steps);
  const runs = completeRuns(allRuns, names.runs);
  checkSteps(runs, steps, names.steps);
  const methods = [...new Set(runs.map((r) => r.method))];
  const groups = new Map<string, TransferRun[]>();
  for (const run of runs) {
    const key = `${run.problem}\u0000${run.seed}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(run);
  }
  // Each method at most once per group: a group is complete when it holds every method.
  if (methods.length > 0 && ![...groups.values()].some((g) => g.length === methods.length)) {
    throw new RangeError(
      `summariseTransferRuns runs: no (problem, seed) has a complete run of every method (${
        methods.join(", ")
      }), so no method can be ranked`,
    );
  }
  const out: TransferSummary[] = [];
  for (const step of steps) {
    const at = (r: TransferRun) => regretAt(r, step);
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
      const { mean, halfWidth, tasks } = meanOverTasks(runs, method, step);
      out.push({
        method,
        step,
        meanRegret: mean,
        halfWidth95: halfWidth,
        tasks,
        averageRank: rankSum.get(method)! / complete,
      });
    }
  }
  return out;
}

/**
 * The complete runs of `allRuns`, after checking that `allRuns` is an array, that each complete
 * run's regret is an array of finite numbers and that no two complete runs have the same problem,
 * method and seed; errors name `label` (e.g. `summariseTransferRuns runs[3].regret[2]`).
 */
function completeRuns(allRuns: readonly TransferRun[], label: string): TransferRun[] {
  if (!Array.isArray(allRuns)) throw new TypeError(`${label}: must be an array`);
  const seen = new Map<string, number>();
  allRuns.forEach((run, i) => {
    if (!isCompleteRun(run)) return;
    const where = `${label}[${i}]`;
    const regret: unknown = run.regret;
    if (!Array.isArray(regret)) throw new TypeError(`${where}.regret: must be an array`);
    regret.forEach((value: unknown, k: number) => {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new TypeError(
          `${where}.regret[${k}]: must be a finite number, got ${
            typeof value === "number" ? value : value === null ? "null" : typeof value
          }`,
        );
      }
    });
    const key = JSON.stringify([run.problem, run.method, run.seed]);
    const first = seen.get(key);
    if (first !== undefined) {
      const what = `problem ${
        JSON.stringify(run.problem)
      }, method "${run.method}", seed ${run.seed}`;
      throw new RangeError(
        `${where}: repeats the run of ${what} (also runs[${first}]); each (problem, method, seed) ` +
          "is one run",
      );
    }
    seen.set(key, i);
  });
  return allRuns.filter(isCompleteRun);
}

/** Refuses a step past a curve's end (every complete curve holds the budget's evaluations). */
function checkSteps(runs: readonly TransferRun[], steps: readonly number[], label: string): void {
  const shortest = runs.reduce((m, r) => Math.min(m, r.regret.length), Infinity);
  steps.forEach((step, i) => {
    if (step > shortest) {
      throw new RangeError(`${label}[${i}]: ${step} is beyond the runs' ${shortest} evaluations`);
    }
  });
}

/** A run's normalised regret after `step` evaluations. */
function regretAt(run: TransferRun, step: number): number {
  return run.regret[Math.min(step, run.regret.length) - 1];
}

/**
 * Mean normalised regret of `method` after `step` evaluations over the tasks, each task's regret
 * first averaged over its seeds, with the half-width of its 95% Student-t interval over the tasks
 * (NaN with one task): the statistic of {@linkcode summariseTransferRuns} and of
 * {@linkcode transferCurves}.
 */
function meanOverTasks(runs: readonly TransferRun[], method: TransferMethod, step: number) {
  const byTask = new Map<string, number[]>();
  for (const run of runs) {
    if (run.method !== method) continue;
    if (!byTask.has(run.problem)) byTask.set(run.problem, []);
    byTask.get(run.problem)!.push(regretAt(run, step));
  }
  const taskMeans = [...byTask.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const { mean, halfWidth } = meanInterval(taskMeans);
  return { mean, halfWidth, tasks: taskMeans.length };
}

const stepsSchema = z.array(positiveIntSchema).min(1, "must name at least one step");

/** Options of {@linkcode transferCurves}: which methods and steps. */
export interface TransferCurveOptions {
  /**
   * Steps (evaluations) at which the curves are summarised, drawn in ascending order (default
   * every step, 1 … the shortest complete run of the methods drawn).
   */
  steps?: readonly number[];
  /**
   * The methods, in this order, each once (default: every method with a complete run, in order of
   * first appearance).
   */
  methods?: readonly TransferMethod[];
}

/** Options of {@linkcode transferCurveFigure}: {@linkcode TransferCurveOptions} and the drawing. */
export interface TransferCurveFigureOptions extends TransferCurveOptions {
  /** Logarithmic y axis (default false); a mean of 0 is marked at the axis floor. */
  logY?: boolean;
  /**
   * Figure title (default: `mean normalised regret over tasks, each task's seeds averaged first
   * (95% CI over tasks)`, or, with one task, `no 95% CI: 1 task, 2 needed`).
   */
  title?: string;
  /** x-axis title (default `evaluations`). */
  xTitle?: string;
  /** y-axis title (default `normalised regret`). */
  yTitle?: string;
}

const curveOptionsShape = {
  steps: stepsSchema.optional(),
  methods: methodsSchema.optional(),
};
const curveOptionsSchema = z.strictObject(curveOptionsShape);
const curveFigureOptionsSchema = z.strictObject({
  ...curveOptionsShape,
  logY: z.boolean().optional(),
  title: z.string().optional(),
  xTitle: z.string().optional(),
  yTitle: z.string().optional(),
});

/**
 * The mean normalised regret curves of leave-one-task-out runs, one per method, with the 95%
 * intervals over tasks of {@linkcode summariseTransferRuns}: at each step, `center` is its
 * `meanRegret` (each task's regret averaged over its seeds, then the mean over the tasks),
 * `lower` and `upper` are `meanRegret ∓ halfWidth95` (NaN with one task), `n` and `total` its
 * `tasks`. Only complete runs count, as there; unlike the summary, the methods need not share a
 * (problem, seed), since nothing is ranked. For a figure, {@linkcode transferCurveFigure}, or
 * `curveSummaryFigure` of `./viz` with `center: "mean"`.
 *
 * The runs as long-format rows drawn by `curveFigure` or `regretCurveFigure` would give intervals
 * over tasks × seeds instead, which overstate the confidence (see
 * {@linkcode TransferSummary.halfWidth95}).
 *
 * @throws {TypeError} for the runs {@linkcode summariseTransferRuns} refuses (its messages, named
 * `transferCurves runs`), and naming a bad option.
 * @throws {RangeError} when a method of `options.methods` has no complete run, or a step is
 * beyond the runs' evaluations.
 * @example
 * ```ts
 * import { summariseTransferRuns, transferCurves } from "./leave_one_task_out.ts";
 * const runs = [
 *   { problem: "a", method: "gp" as const, seed: 0, regret: [0.8, 0.4], seconds: 1 },
 *   { problem: "a", method: "gp" as const, seed: 1, regret: [0.6, 0.2], seconds: 1 },
 *   { problem: "b", method: "gp" as const, seed: 0, regret: [0.5, 0.1], seconds: 1 },
 * ];
 * const [gp] = transferCurves(runs);
 * gp.intervals[1].center; // 0.2: task a's seeds average 0.3, task b has 0.1
 * const [summary] = summariseTransferRuns(runs, [2]);
 * gp.intervals[1].upper === summary.meanRegret + summary.halfWidth95; // true
 * ```
 */
export function transferCurves(
  runs: readonly TransferRun[],
  options: TransferCurveOptions = {},
): CurveSummary[] {
  parseOrThrow(curveOptionsSchema, options ?? {}, "transferCurves options");
  return curvesOf(runs, options ?? {}, "transferCurves");
}

/**
 * A figure of leave-one-task-out runs: the curves of {@linkcode transferCurves} (mean normalised
 * regret over tasks, each task's seeds averaged first, with the 95% interval over tasks of
 * {@linkcode summariseTransferRuns}) drawn by `curveSummaryFigure` of `./viz`: one line per
 * method with its band, the band's lower bound clipped at 0 where `meanRegret − halfWidth95`
 * falls below (a regret is never negative), no band where a method has one task.
 *
 * @throws {TypeError} or {RangeError} as {@linkcode transferCurves}, naming `transferCurveFigure`.
 * @example
 * ```ts
 * import { transferCurveFigure } from "./leave_one_task_out.ts";
 * const run = (problem: string, method: "gp" | "rgpe-gp", seed: number, regret: number[]) =>
 *   ({ problem, method, seed, regret, seconds: 1 });
 * const figure = transferCurveFigure([
 *   run("a", "gp", 0, [0.9, 0.5, 0.3]),
 *   run("b", "gp", 0, [0.7, 0.6, 0.2]),
 *   run("a", "rgpe-gp", 0, [0.4, 0.2, 0.1]),
 *   run("b", "rgpe-gp", 0, [0.3, 0.3, 0.1]),
 * ], { methods: ["rgpe-gp", "gp"] });
 * figure.data.length; // 4: per method, its band and its line
 * ```
 */
export function transferCurveFigure(
  runs: readonly TransferRun[],
  options: TransferCurveFigureOptions = {},
): Figure {
  parseOrThrow(curveFigureOptionsSchema, options ?? {}, "transferCurveFigure options");
  const opts = options ?? {};
  const curves = curvesOf(runs, opts, "transferCurveFigure");
  const ci = ciNote(
    curves.map((c) => ({ name: plotlyText(c.method), intervals: c.intervals })),
    "mean",
    "task",
  );
  return curveSummaryFigure(curves, {
    center: "mean",
    logY: opts.logY,
    title: opts.title ??
      `mean normalised regret over tasks, each task's seeds averaged first (${
        ci.replace(/^95% CI/, "95% CI over tasks")
      })`,
    xTitle: opts.xTitle ?? "evaluations",
    yTitle: opts.yTitle ?? "normalised regret",
  });
}

/** {@linkcode transferCurves} with options already checked; errors name `label`. */
function curvesOf(
  allRuns: readonly TransferRun[],
  options: TransferCurveOptions,
  label: string,
): CurveSummary[] {
  const runs = completeRuns(allRuns, `${label} runs`);
  const present = [...new Set(runs.map((r) => r.method))];
  const methods = options.methods ? [...options.methods] : present;
  methods.forEach((method, i) => {
    if (!present.includes(method)) {
      throw new RangeError(`${label} options.methods[${i}]: no complete run of "${method}"`);
    }
  });
  if (methods.length === 0) throw new RangeError(`${label} runs: no complete run to draw`);
  const drawn = runs.filter((r) => methods.includes(r.method));
  const shortest = drawn.reduce((m, r) => Math.min(m, r.regret.length), Infinity);
  const steps = options.steps
    ? [...new Set(options.steps)].sort((a, b) => a - b)
    : Array.from({ length: shortest }, (_, i) => i + 1);
  if (options.steps) checkSteps(drawn, options.steps, `${label} options.steps`);
  return methods.map((method) => ({
    method,
    steps,
    intervals: steps.map((step) => {
      const { mean, halfWidth, tasks } = meanOverTasks(drawn, method, step);
      return {
        center: mean,
        lower: mean - halfWidth,
        upper: mean + halfWidth,
        n: tasks,
        diverged: 0,
        total: tasks,
      };
    }),
  }));
}

const tabularOptionsSchema = z.strictObject({
  failed: z.enum(["worst", "drop"]).optional(),
  direction: directionSchema.optional(),
});

/**
 * Problems of a tabular meta-dataset for {@linkcode leaveOneTaskOut} (pool mode): each task's
 * rows are its candidates, its history and its objective (a lookup by encoded configuration);
 * minimum and maximum over the rows' finite values.
 *
 * - Replicates of a configuration (rows whose params encode to the same point) are averaged: a
 *   tabular benchmark's lookup returns one value, so the configuration is one candidate, one
 *   trial of the history and one value, the mean of its rows' values. Candidates keep the order
 *   of each configuration's first row.
 * - A non-finite value (NaN, ±Infinity), or null (JSON's form of NaN), is a failed evaluation,
 *   handled as `options.failed` says, with `poolTasks`' meaning (one rule, `poolValues` of
 *   `lib/tasks/metadataset/load.ts`): `"worst"` (default) gives the row the task's worst finite
 *   value (SMAC's crash cost), `"drop"` leaves it out; replicates are averaged after that. A task
 *   without any finite value (or without rows) has no candidates, an empty history and NaN
 *   minimum and maximum: {@linkcode leaveOneTaskOut} skips it with a reason and leaves it out of
 *   the other problems' past tasks.
 * - `options.direction: "maximize"` (default `"minimize"`) is for scores to maximise, such as
 *   accuracy: values are negated, so that the regret is `(max − best) / (max − min)` of the
 *   original values, in [0, 1], and the objective and the history hold the negated values.
 * - Ids must be unique and meta-features finite numbers, or NaN or null for an unavailable one
 *   (±Infinity is refused): the checks that {@linkcode leaveOneTaskOut} makes of its past tasks
 *   (those of a `TaskStore`), made here, so they skip a task without any finite value too.
 *
 * @throws {TypeError} naming the field for bad options, a task without a string id or rows, a
 * value that is neither a number nor null (`tabularProblems tasks[3] ("iris").rows[9].value: must
 * be a number …`), a configuration that does not fit `space` (`tabularProblems tasks[3] ("iris")
 * .rows[9].params.flag: must be one of true, false`), an id given twice (`tabularProblems
 * tasks[4].id: duplicate id "iris" (also tasks[1])`) or a meta-feature that is ±Infinity or not a
 * number (`tabularProblems tasks[0].metaFeatures.ratio: must be a finite number, NaN or null`).
 * @example
 * ```ts
 * import { tabularProblems } from "./leave_one_task_out.ts";
 * import { defineSpace, int } from "../space/mod.ts";
 * const space = defineSpace({ depth: int(1, 4) });
 * const rows = (shift: number) => [1, 2, 3, 4].map((depth) => ({ params: { depth }, value: (depth - shift) ** 2 }));
 * const problems = tabularProblems(space, [{ id: "a", rows: rows(2) }, { id: "b", rows: rows(3) }]);
 * // Accuracies, to maximise: depth 3 is the best (regret 0), depth 1 the worst (regret 1).
 * const accuracy = [0.5, 0.7, 0.9, 0.8].map((value, i) => ({ params: { depth: i + 1 }, value }));
 * const [acc] = tabularProblems(space, [{ id: "acc", rows: accuracy }], { direction: "maximize" });
 * acc.minimum; // -0.9
 * acc.maximum; // -0.5
 * ```
 */
export function tabularProblems<P extends Record<string, unknown>>(
  space: TransferProblem<P>["space"],
  tasks: readonly {
    id: string;
    rows: readonly { params: P; value: number | null }[];
    metaFeatures?: Record<string, number>;
  }[],
  options: {
    /**
     * Failed evaluations (non-finite values, or null): `"worst"` (default) gives them the task's
     * worst finite value, `"drop"` leaves them out (as `poolTasks`' option of the same name).
     */
    failed?: "worst" | "drop";
    /** `"minimize"` (default) or `"maximize"` the values (maximised values are negated). */
    direction?: "minimize" | "maximize";
  } = {},
): TransferProblem<P>[] {
  const opts = parseOrThrow(tabularOptionsSchema, options ?? {}, "tabularProblems options");
  if (!Array.isArray(tasks as unknown)) {
    throw new TypeError("tabularProblems tasks: must be an array of { id, rows, metaFeatures? }");
  }
  const problems = tasks.map((task, t) => {
    if (typeof task?.id !== "string") {
      throw new TypeError(`tabularProblems tasks[${t}].id: must be a string`);
    }
    const where = `tabularProblems tasks[${t}] (${JSON.stringify(task.id)})`;
    if (!Array.isArray(task.rows as unknown)) {
      throw new TypeError(`${where}.rows: must be an array of { params, value }`);
    }
    const keys = task.rows.map((row, i) => {
      if (row === null || typeof row !== "object") {
        throw new TypeError(
          `${where}.rows[${i}]: must be { params, value }, got ${
            row === null ? "null" : typeof row
          }`,
        );
      }
      const value = row.value as unknown;
      if (typeof value !== "number" && value !== null) {
        throw new TypeError(
          `${where}.rows[${i}].value: must be a number (NaN, ±Infinity or null for a failed ` +
            `evaluation), got ${typeof value}`,
        );
      }
      try {
        return space.encode(row.params).join(",");
      } catch (error) {
        throw rowError(`${where}.rows[${i}]`, error);
      }
    });
    // Failed rows first (as poolTasks does per run), then replicates averaged, in the order of
    // each configuration's first row.
    const groups = new Map<string, { params: P; sum: number; count: number }>();
    task.rows.forEach((row, i) => {
      if (!groups.has(keys[i])) groups.set(keys[i], { params: row.params, sum: 0, count: 0 });
    });
    // null (JSON's form of NaN) is a failed evaluation, as NaN is.
    const values = task.rows.map((r) => {
      const value = r.value ?? NaN;
      return opts.direction === "maximize" ? -value : value;
    });
    for (const { index, value } of poolValues(values, opts.failed)) {
      const group = groups.get(keys[index])!;
      group.sum = group.count === 0 ? value : group.sum + value;
      group.count++;
    }
    const lookup = new Map<string, number>();
    const table: { params: P; value: number }[] = [];
    for (const [key, { params, sum, count }] of groups) {
      if (count === 0) continue;
      const value = count === 1 ? sum : sum / count;
      lookup.set(key, value);
      table.push({ params, value });
    }
    let minimum = table.length > 0 ? Infinity : NaN;
    let maximum = table.length > 0 ? -Infinity : NaN;
    for (const { value } of table) {
      minimum = Math.min(minimum, value);
      maximum = Math.max(maximum, value);
    }
    return {
      id: task.id,
      space,
      objective: (params: P) => {
        const value = lookup.get(space.encode(params).join(","));
        if (value === undefined) throw new RangeError(`${task.id}: configuration not in the table`);
        return value;
      },
      history: table.map(({ params, value }) => ({ params, value })),
      metaFeatures: task.metaFeatures,
      minimum,
      maximum,
      candidates: table.map((r) => r.params),
    };
  });
  // Ids and meta-features as leaveOneTaskOut checks them (the problems with a history are the
  // past tasks), named as the caller's tasks: `problems[4].id` is `tasks[4].id`.
  try {
    encodeHistories(problems, space as TransferSpace<unknown>);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw new TypeError(
      error.message.replaceAll("problems[", "tasks[")
        .replaceAll(/(^|; )tasks\[/g, "$1tabularProblems tasks["),
      { cause: error },
    );
  }
  return problems;
}

/**
 * A row's configuration error prefixed with where the row is: `params.flag: …` becomes
 * `tabularProblems tasks[3] ("iris").rows[9].params.flag: …`.
 */
function rowError(where: string, error: unknown): TypeError {
  const message = error instanceof Error ? error.message : String(error);
  return new TypeError(
    /^params[.[:]/.test(message)
      ? message.replaceAll(/(^|; )params(?=[.[:])/g, `$1${where}.params`)
      : `${where}.params: ${message}`,
    { cause: error },
  );
}
