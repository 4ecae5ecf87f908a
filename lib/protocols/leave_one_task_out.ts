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
import { encodePriorTasks, fitBaseModels } from "../meta/base_models.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";
import type { PriorTrial } from "../meta/store.ts";
import {
  PreparedPrior,
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

const optionsSchema = z.object({
  methods: z.array(
    z.enum(["random", "gp", "warm-start", "config-model", "rgpe", "tst-r", "taf"]),
  ).min(1, "must name at least one method"),
  seeds: positiveIntSchema,
  budget: positiveIntSchema,
  heldOut: z.array(z.string()).optional(),
  useMetaFeatures: z.boolean().optional(),
}).loose();

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
}

/** One run's normalised regret curve. */
export interface TransferRun {
  /** Held-out problem. */
  problem: string;
  /** Method. */
  method: TransferMethod;
  /** Seed. */
  seed: number;
  /** Normalised regret after each evaluation 1 … budget. */
  regret: number[];
  /** Wall time of the run, seconds. */
  seconds: number;
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
  problems.forEach((p, i) => {
    if (!(p.maximum > p.minimum)) {
      throw new RangeError(
        `leaveOneTaskOut: problems[${i}] ("${p.id}"): maximum must be > minimum`,
      );
    }
  });
  const unknown = options.heldOut?.filter((id) => !problems.some((p) => p.id === id)) ?? [];
  if (unknown.length > 0) {
    throw new RangeError(`leaveOneTaskOut options.heldOut: unknown problem "${unknown[0]}"`);
  }
  const space = problems[0].space;
  const tasks = encodePriorTasks(
    problems.map((p) => ({ id: p.id, trials: p.history, metaFeatures: p.metaFeatures })),
    space,
    "problems",
  );
  const needsModels = options.methods.some((m) => m === "rgpe" || m === "tst-r" || m === "taf");
  // Each problem's base GP is fitted once and shared by every fold in which it is a prior task.
  const all = new PreparedPrior(tasks, needsModels ? fitBaseModels(tasks) : undefined);
  const heldOut = problems.filter((p) => !options.heldOut || options.heldOut.includes(p.id));
  const total = heldOut.length * options.methods.length * options.seeds;
  const runs: TransferRun[] = [];
  for (const problem of heldOut) {
    const prior = all.without([problem.id]);
    const metaFeatures = options.useMetaFeatures === false ? undefined : problem.metaFeatures;
    for (const method of options.methods) {
      for (let seed = 0; seed < options.seeds; seed++) {
        const start = performance.now();
        const setup = method === "random"
          ? { proposer: randomSearch(), candidates: problem.candidates }
          : method === "gp"
          ? { proposer: bayesOpt(), candidates: problem.candidates }
          : transferOptions(prior, problem.space, {
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
        let best = Infinity;
        const span = problem.maximum - problem.minimum;
        const regret = result.trials.map((t) => {
          if (t.status === "complete") best = Math.min(best, t.value!);
          return Math.max(0, (best - problem.minimum) / span);
        });
        runs.push({
          problem: problem.id,
          method,
          seed,
          regret,
          seconds: (performance.now() - start) / 1000,
        });
        options.onProgress?.(runs.length, total, `${problem.id} ${method} seed ${seed}`);
      }
    }
  }
  return runs;
}

/**
 * Mean normalised regret and average rank (ranks of the methods per problem and seed, ties
 * sharing the mean rank, then averaged) at each step.
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
  runs: readonly TransferRun[],
  steps: readonly number[],
): { method: TransferMethod; step: number; meanRegret: number; averageRank: number }[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  const groups = new Map<string, TransferRun[]>();
  for (const run of runs) {
    const key = `${run.problem}\u0000${run.seed}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(run);
  }
  const out = [];
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
      const own = runs.filter((r) => r.method === method).map(at);
      out.push({
        method,
        step,
        meanRegret: own.reduce((a, b) => a + b, 0) / own.length,
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
