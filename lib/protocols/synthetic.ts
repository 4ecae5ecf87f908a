/**
 * The synthetic-function protocol: simple regret (best value so far minus the known minimum) of
 * each optimiser on each test function, per evaluation, over seeds.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { getSyntheticFunction } from "../tasks/synthetic/mod.ts";
import { randomSearch } from "../smbo/proposer.ts";
import type { Proposer } from "../smbo/proposer.ts";
import { bayesOpt } from "../smbo/bayes_opt.ts";
import { thompsonSampling } from "../acquisition/thompson.ts";
import { minimize } from "../smbo/minimize.ts";
import type { ResultRow } from "../results/mod.ts";
import { bestSoFar } from "../stats/mod.ts";
import type { ProgressCallback } from "../bench/progress.ts";
import { parseOrThrow, positiveIntSchema } from "../validate.ts";

/** Built-in optimisers of the protocol, by method name. */
export const SYNTHETIC_METHODS: Readonly<Record<string, () => Proposer>> = {
  "gp-logei": () => bayesOpt(),
  "gp-ei": () => bayesOpt({ acquisition: "ei" }),
  "gp-ucb": () => bayesOpt({ acquisition: "lcb" }),
  "gp-ts": () => bayesOpt({ acquisition: "ts" }),
  // Thompson sampling by one exact joint posterior draw over the raw samples (BoTorch's
  // `MaxPosteriorSampling`), where "gp-ts" maximises a pathwise sample.
  "gp-ts-exact": () =>
    bayesOpt({ acquisition: (surrogate, { rng }) => thompsonSampling(surrogate, { rng }) }),
  "random": () => randomSearch(),
};

/** Options of {@linkcode runSyntheticBenchmark}. */
export interface SyntheticBenchmarkOptions {
  /** Test-function names (see `syntheticFunctions`). */
  functions: readonly string[];
  /** Method names from {@linkcode SYNTHETIC_METHODS}. */
  methods: readonly string[];
  /** Seeds 0 … seeds−1. */
  seeds: number;
  /** Evaluations per run. */
  budget: number;
  /** Called after each run. */
  onProgress?: ProgressCallback;
}

const methodNames = Object.keys(SYNTHETIC_METHODS) as [string, ...string[]];
const optionsSchema = z.strictObject({
  functions: z.array(z.string()).min(1, "must name at least one function"),
  methods: z.array(z.enum(methodNames)).min(1, "must name at least one method"),
  seeds: positiveIntSchema,
  budget: positiveIntSchema,
  onProgress: z.custom<ProgressCallback>((f) => typeof f === "function", "must be a function")
    .optional(),
});

/**
 * Runs every method on every function for every seed. Rows: `regret` at each evaluation
 * 1 … budget (best so far minus the minimum) and `seconds_per_trial` (optimiser plus objective
 * time, the objective being negligible) at the budget.
 *
 * @throws {TypeError} naming the field for bad options, before any run
 * (`runSyntheticBenchmark.options.seeds: must be a positive integer`, a method not in
 * {@linkcode SYNTHETIC_METHODS}, an unknown key).
 * @throws {RangeError} for an unknown function name (`runSyntheticBenchmark.options.functions[0]:
 * unknown function "branim"; known: …`).
 * @example
 * ```ts
 * import { runSyntheticBenchmark } from "./synthetic.ts";
 * const rows = await runSyntheticBenchmark({
 *   functions: ["branin"], methods: ["random"], seeds: 2, budget: 10,
 * });
 * ```
 */
export async function runSyntheticBenchmark(
  options: SyntheticBenchmarkOptions,
): Promise<ResultRow[]> {
  parseOrThrow(optionsSchema, options, "runSyntheticBenchmark.options");
  const rows: ResultRow[] = [];
  const functions = options.functions.map((name, i) => {
    try {
      return getSyntheticFunction(name);
    } catch (error) {
      const message = (error as Error).message.replace(/^getSyntheticFunction\.name: /, "");
      throw new RangeError(`runSyntheticBenchmark.options.functions[${i}]: ${message}`, {
        cause: error,
      });
    }
  });
  const total = functions.length * options.methods.length * options.seeds;
  let done = 0;
  for (const fn of functions) {
    for (const method of options.methods) {
      for (let seed = 0; seed < options.seeds; seed++) {
        const start = performance.now();
        const result = await minimize((params) => fn.evaluate(fn.space.encode(params)), fn.space, {
          budget: options.budget,
          seed,
          proposer: SYNTHETIC_METHODS[method](),
        });
        const seconds = (performance.now() - start) / 1000;
        const values = result.trials.map((t) => t.status === "complete" ? t.value! : NaN);
        bestSoFar(values).forEach((best, i) => {
          rows.push({
            suite: "smbo",
            task: fn.name,
            method,
            seed,
            step: i + 1,
            metric: "regret",
            value: best - fn.minimum,
          });
        });
        rows.push({
          suite: "smbo",
          task: fn.name,
          method,
          seed,
          step: options.budget,
          metric: "seconds_per_trial",
          value: seconds / options.budget,
        });
        options.onProgress?.(++done, total, `${fn.name} ${method} seed ${seed}`);
        // A turn of the event loop between runs: a run awaits only promises that are already
        // settled (its objective is synchronous), so without it the processes started beside
        // the benchmark (the bench's peers) would not be seen to finish, nor their successors
        // started, until every run is done.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  }
  return rows;
}
