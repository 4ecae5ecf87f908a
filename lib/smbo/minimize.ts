/**
 * `minimize`: the one-call optimiser. It runs an {@linkcode SMBO} study to its budget, turning
 * every failure of the objective (a throw, NaN, ±Infinity, a non-number) into a failed trial.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { bayesOpt, type BayesOptOptions } from "./bayes_opt.ts";
import type { Proposer } from "./proposer.ts";
import {
  type BestTrial,
  type EncodableSpace,
  SMBO,
  SMBO_DEFAULTS,
  type SMBOOptions,
} from "./study.ts";
import type { Trial } from "./trial.ts";
import { studyBudgets } from "./_proposal.ts";
import { checkMinimizeCall, evaluateObjective, minimizeOptionFields } from "./_minimize.ts";
import {
  isStoredRun,
  minimizeStored,
  type StoredMinimizeOptions,
  type StoredMinimizeResult,
} from "../storage/run.ts";

/** The objective: a configuration in, a value to minimise out (sync or async). */
export type Objective<P> = (params: P, trial: Trial<P>) => number | Promise<number>;

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
  /** Called after every told trial, e.g. for progress bars. */
  onTrial?: (trial: Trial<P>, study: SMBO<P>) => void;
}

/** What {@linkcode minimize} returns. */
export interface MinimizeResult<P> {
  /** The best complete trial; reading it throws when every trial failed. */
  readonly best: BestTrial<P>;
  /** All trials in order, failed ones included. */
  readonly trials: Trial<P>[];
  /** The study, to continue with ask/tell or to inspect. */
  readonly study: SMBO<P>;
}

const schema = z.strictObject({
  ...minimizeOptionFields,
  // Left undefined, the storage options mean an in-memory study.
  storage: z.undefined().optional(),
  study: z.undefined().optional(),
});

/**
 * Minimises an objective over a search space with sequential model-based optimisation (by
 * default a Matérn-5/2 GP with LogEI after a scrambled Sobol design). With `storage` and `study`
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
    proposer,
    bayesOpt: bayesOptions,
    storage: _storage,
    study: _study,
    ...studyOptions
  } = options as MinimizeOptions<P> & { storage?: undefined; study?: undefined };
  // A design larger than the budget is never used up: it is drawn at the budget's size (the
  // same points for Sobol and uniform designs, whose prefixes do not depend on the size).
  const initialDesignSize = Math.min(
    studyOptions.initialDesignSize ?? SMBO_DEFAULTS.initialDesignSize(space),
    budget,
  );
  const study = new SMBO(space, {
    ...studyOptions,
    initialDesignSize,
    proposer: proposer ?? bayesOpt(bayesOptions),
  });
  studyBudgets.set(study, budget);
  while (study.trials.length < budget && !study.exhausted) {
    // In pool mode the batch is also bounded by the candidates left.
    const q = Math.min(batchSize, budget - study.trials.length, study.remaining);
    const batch = study.ask(q);
    const outcomes = await Promise.all(batch.map((trial) => evaluateObjective(objective, trial)));
    batch.forEach((trial, i) => {
      const told = study.tell(trial, outcomes[i].outcome, { seconds: outcomes[i].seconds });
      onTrial?.(told, study);
    });
  }
  return {
    get best() {
      return study.best;
    },
    trials: study.trials,
    study,
  };
}
