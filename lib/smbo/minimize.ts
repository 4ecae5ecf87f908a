/**
 * `minimize`: the one-call optimiser. It runs an {@linkcode SMBO} study to its budget (or its
 * time limit), turning every failure of the objective (a throw, NaN, ±Infinity, a non-number, no
 * result within `trialTimeout`) into a failed trial.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { bayesOpt, type BayesOptOptions } from "./bayes_opt.ts";
import type { Proposer } from "./proposer.ts";
import {
  askUndoable,
  type BestTrial,
  type EncodableSpace,
  SMBO,
  type SMBOOptions,
  studyCallers,
  trialCount,
} from "./study.ts";
import { budgetedDesignSize } from "../space/design.ts";
import type { Trial } from "./trial.ts";
import { studyBudgets } from "./_proposal.ts";
import {
  checkMinimizeCall,
  deadline,
  evaluateObjective,
  minimizeOptionFields,
  MinimizeStopped,
  reportTrials,
  settledResult,
  type StopReason,
} from "./_minimize.ts";
import {
  isStoredRun,
  minimizeStored,
  type StoredMinimizeOptions,
  type StoredMinimizeResult,
} from "../storage/run.ts";

export { MinimizeStopped } from "./_minimize.ts";

/**
 * The objective: a configuration in, a value out (sync or async), minimised, or maximised with
 * `direction: "maximize"`. It receives its own
 * copy of the configuration, the trial, and a context whose `signal` (an `AbortSignal`) is
 * aborted when the evaluation exceeds `trialTimeout` (its `reason` is a `TimeoutError`
 * `DOMException`): pass it to `fetch`, or check `signal.aborted` in a training loop, to stop work
 * whose result would be ignored. Objectives that do not need it take one or two parameters.
 */
export type Objective<P> = (
  params: P,
  trial: Trial<P>,
  context: ObjectiveContext,
) => number | Promise<number>;

/**
 * What an objective receives besides its configuration and trial: `signal`, aborted when the
 * evaluation exceeds `trialTimeout` (see {@linkcode Objective}).
 *
 * @example
 * ```ts
 * import type { ObjectiveContext } from "./minimize.ts";
 * const train = async (_params: { lr: number }, _trial: unknown, { signal }: ObjectiveContext) => {
 *   for (let epoch = 0; epoch < 10 && !signal.aborted; epoch++) await Promise.resolve();
 *   return 0;
 * };
 * ```
 */
export interface ObjectiveContext {
  /** Aborted (reason: a `TimeoutError` `DOMException`) when the evaluation exceeds `trialTimeout`. */
  readonly signal: AbortSignal;
}

/** Options of {@linkcode minimize}. */
export interface MinimizeOptions<P> extends Omit<SMBOOptions<P>, "proposer"> {
  /** Number of evaluations of the objective, failed ones included. */
  budget: number;
  /** The model-based step; by default {@linkcode bayesOpt} with `bayesOpt` options below. */
  proposer?: Proposer;
  /** Options of the default GP proposer (an error together with `proposer`). */
  bayesOpt?: BayesOptOptions;
  /** Evaluations run concurrently: the study asks for batches of this size. Default 1. */
  batchSize?: number;
  /**
   * Called after every told trial, in trial order, e.g. for progress bars or to save results as
   * they come; an async callback is awaited before the next one (and before the next batch is
   * asked). Returning `false` (or a promise of `false`) stops the run early, as SMAC3's `on_tell`
   * callbacks do: the trials already evaluated are told (and reported to the callback), and the
   * result's `stopped` is `"callback"`. A callback that throws or rejects stops the run too, once
   * every evaluated trial of the batch is told: `minimize` then rejects with a
   * {@linkcode MinimizeStopped} holding the result so far, the callback's error as its `cause`.
   * Any other return value (e.g. of `(t) => ids.push(t.id)`) is ignored. The callback may read
   * `study` but must not `ask` or `tell` it: a trial it asked would count against the budget and
   * never be evaluated.
   *
   * A proposer that throws (a custom surrogate, acquisition or proposer failing) stops the run
   * the same way: `minimize` rejects with a {@linkcode MinimizeStopped} holding every trial told
   * so far (`stopped: "proposer"`), the proposer's error as its `cause`.
   */
  onTrial?: (trial: Trial<P>, study: SMBO<P>) => unknown;
  /**
   * Wall time of the study, in seconds (a finite number > 0; default none): once it has passed
   * since the call, no new trial is started; the trials in flight finish (or reach their
   * `trialTimeout`), are told and kept, and the result's `stopped` is `"timeout"`. The clock is
   * read again once the next configurations are proposed: when proposing took the time left,
   * they are not evaluated, and the ask is undone (no running trial is left, and a study
   * continued with ask/tell proposes them again). It does not interrupt a running evaluation
   * or proposal: bound evaluations with `trialTimeout`.
   */
  timeout?: number;
  /**
   * Seconds one evaluation may take (a finite number > 0, at most 2,147,483; default none): an
   * evaluation not settled by then becomes a failed trial whose `error` names `trialTimeout`, and
   * the objective's `context.signal` is aborted so that a cooperative objective can stop. A value
   * or error the objective settles with later is ignored. JavaScript cannot interrupt a
   * synchronous objective that blocks the event loop: it runs to its end, and fails as timed out
   * when that took longer than `trialTimeout`; to bound such work, run it in a `Worker` or a
   * subprocess (`Deno.Command`) and await its answer in an async objective that terminates the
   * worker or kills the process when the signal aborts.
   */
  trialTimeout?: number;
}

/** What {@linkcode minimize} returns. */
export interface MinimizeResult<P> {
  /** The best complete trial; reading it throws when every trial failed. */
  readonly best: BestTrial<P>;
  /** All trials in order, failed ones included. */
  readonly trials: Trial<P>[];
  /**
   * The study, to continue with ask/tell or to inspect (`trials` and `best` stay as the run left
   * them; the study's own `trials` and `best` follow it).
   */
  readonly study: SMBO<P>;
  /**
   * Why the study stopped: `"budget"` (`budget` trials evaluated), `"timeout"` (the `timeout`
   * passed first; `trials` keeps every trial told until then), `"exhausted"` (pool mode: no
   * candidate left before the budget) or `"callback"` (`onTrial` returned `false` before the
   * budget was used up). `"proposer"` is found only on the result of a {@linkcode MinimizeStopped}
   * error: asking for the next configurations threw (the proposer, its surrogate or its
   * acquisition failed), and the run stopped with the trials told until then.
   */
  readonly stopped: "budget" | "timeout" | "exhausted" | "callback" | "proposer";
}

const schema = z.strictObject({
  ...minimizeOptionFields,
  // Left undefined, the storage options mean an in-memory study.
  storage: z.undefined().optional(),
  study: z.undefined().optional(),
});

/**
 * Minimises an objective over a search space with sequential model-based optimisation (by
 * default a Matérn-5/2 GP with LogEI after a scrambled Sobol design of
 * `budgetedDesignSize(space, budget)` points unless `initialDesignSize` is given); with
 * `direction: "maximize"` it maximises it instead (trials keep the values returned, `best` is the
 * highest). With `storage` and `study`
 * options the study is kept in a storage (`memory:`, `sqlite:<path>`, `postgres://...`): a rerun
 * resumes it and several workers can share it (see `minimizeStored`).
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, int } from "../space/mod.ts";
 * import { minimize } from "./minimize.ts";
 *
 * const space = defineSpace({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   units: int(8, 256),
 *   act: categorical(["relu", "tanh"]),
 * });
 * const result = await minimize(
 *   (p) => (Math.log10(p.lr) + 3) ** 2 + (p.units - 64) ** 2 / 1e4 + (p.act === "tanh" ? 0.1 : 0),
 *   space,
 *   { budget: 20, seed: 0 },
 * );
 * result.best.params;
 * ```
 *
 * @example Maximising a score: `direction: "maximize"`
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { minimize } from "./minimize.ts";
 *
 * const space = defineSpace({ c: float(1e-3, 1e3, { log: true }) });
 * const accuracy = (p: { c: number }) => 0.9 - 0.05 * Math.log10(p.c) ** 2;
 * const result = await minimize(accuracy, space, { budget: 12, seed: 0, direction: "maximize" });
 * result.best.value; // the highest accuracy found, close to 0.9
 * ```
 *
 * @example Time limits: `timeout` for the study, `trialTimeout` for each evaluation
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { minimize } from "./minimize.ts";
 *
 * const space = defineSpace({ x: float(0, 1) });
 * const result = await minimize(
 *   async (p, _trial, { signal }) => {
 *     // Slow for x > 0.5; stops waiting as soon as the trial times out.
 *     await new Promise<void>((resolve) => {
 *       const timer = setTimeout(resolve, p.x > 0.5 ? 10_000 : 1);
 *       signal.addEventListener("abort", () => {
 *         clearTimeout(timer);
 *         resolve();
 *       }, { once: true });
 *     });
 *     return p.x;
 *   },
 *   space,
 *   { budget: 6, seed: 0, timeout: 600, trialTimeout: 0.1 },
 * );
 * result.stopped; // "budget" ("timeout" had 600 s passed first)
 * result.trials.filter((t) => t.status === "failed").map((t) => t.error);
 * // ["objective timed out: not settled within trialTimeout = 0.1 s", ...]
 * ```
 */
export async function minimize<P>(
  objective: Objective<P>,
  space: EncodableSpace<P>,
  options: StoredMinimizeOptions<P>,
): Promise<StoredMinimizeResult<P>>;
/** Minimises an objective in memory (see above). */
export async function minimize<P>(
  objective: Objective<P>,
  space: EncodableSpace<P>,
  options: MinimizeOptions<P>,
): Promise<MinimizeResult<P>>;
export async function minimize<P>(
  objective: Objective<P>,
  space: EncodableSpace<P>,
  options: MinimizeOptions<P> | StoredMinimizeOptions<P>,
): Promise<MinimizeResult<P> | StoredMinimizeResult<P>> {
  // With `storage` and `study`, the study lives in a storage (resumable, shared by workers).
  if (isStoredRun(options)) {
    return await minimizeStored(objective, space, options);
  }
  checkMinimizeCall(objective, space, options, schema);
  const {
    budget,
    batchSize = 1,
    onTrial,
    timeout,
    trialTimeout,
    proposer,
    bayesOpt: bayesOptions,
    storage: _storage,
    study: _study,
    ...studyOptions
  } = options as MinimizeOptions<P> & { storage?: undefined; study?: undefined };
  const limit = deadline(timeout);
  // The default design is capped at max(5, ⌊budget / 2⌋) (budgetedDesignSize), so a budget of 10
  // or more leaves the model at least half of it; a design larger than the budget is never used
  // up: it is drawn at the budget's size (the same points for Sobol and uniform designs, whose
  // prefixes do not depend on the size).
  const initialDesignSize = Math.min(
    studyOptions.initialDesignSize ?? budgetedDesignSize(space, budget),
    budget,
  );
  const smboOptions: SMBOOptions<P> = {
    ...studyOptions,
    initialDesignSize,
    proposer: proposer ?? bayesOpt(bayesOptions),
  };
  studyCallers.set(smboOptions, "minimize options");
  const study = new SMBO(space, smboOptions);
  studyBudgets.set(study, budget);
  const resultOf = (stopped: MinimizeResult<P>["stopped"]): MinimizeResult<P> =>
    settledResult(study, stopped);
  let callbackStop = false;
  while (true) {
    // The trial count, not `study.trials` (a copy of every trial): each loop costs the same
    // however many trials the study has.
    const count = trialCount(study);
    const stopped: StopReason | undefined = count >= budget
      ? "budget"
      : study.exhausted
      ? "exhausted"
      : callbackStop
      ? "callback"
      : limit.expired()
      ? "timeout"
      : undefined;
    if (stopped !== undefined) return resultOf(stopped);
    // In pool mode the batch is also bounded by the candidates left.
    const q = Math.min(batchSize, budget - count, study.remaining);
    let asked: { trials: Trial<P>[]; undo: () => void };
    try {
      asked = askUndoable(study, q);
    } catch (error) {
      // The proposer (or its surrogate or acquisition) failed: the ask left nothing behind, and
      // every trial told so far is kept in the error's result.
      throw new MinimizeStopped(resultOf("proposer"), error);
    }
    if (limit.expired()) {
      // The time limit passed while the proposer worked: no new trial starts, and the study is
      // left as before the ask (a study continued with ask/tell proposes the same trials).
      asked.undo();
      return resultOf("timeout");
    }
    const batch = asked.trials;
    // Evaluated concurrently, then told in order, then reported to the callback in order.
    const outcomes = await Promise.all(
      batch.map((trial) => evaluateObjective(objective, trial, trialTimeout)),
    );
    const told = batch.map((trial, i) =>
      study.tell(trial, outcomes[i].outcome, { seconds: outcomes[i].seconds })
    );
    const report = await reportTrials(told, study, onTrial);
    if (typeof report === "object") throw new MinimizeStopped(resultOf("callback"), report.error);
    callbackStop = report === "stop";
  }
}
