/**
 * One entry point that turns past tasks into options of `minimize` / `SMBO`: pick a strategy and
 * spread the result into the optimiser's options.
 *
 * | strategy       | initial configurations             | proposer                          |
 * | -------------- | ---------------------------------- | --------------------------------- |
 * | `warm-start`   | k nearest tasks' best (or portfolio) | GP-BO                           |
 * | `config-model` | meta-feature → configuration GP    | GP-BO                             |
 * | `rgpe`         | 1 warm-start configuration         | GP-BO on the RGPE surrogate       |
 * | `tst-r`        | 1 warm-start configuration         | GP-BO on the TST-R surrogate      |
 * | `taf`          | 1 warm-start configuration         | target GP with the TAF acquisition |
 * | `portfolio`    | greedy portfolio (Wistuba et al. 2015) | GP-BO                          |
 * | `rgpe-gp`      | 1 warm-start configuration         | RGPE, then GP-BO from `handover` (2 uncapped design lengths) on |
 * | `ablr`         | 1 warm-start configuration         | GP-BO on ABLR (Perrone et al. 2018), map refitted with the target |
 * | `ablr-fixed`   | 1 warm-start configuration         | GP-BO on ABLR, map learned once from the past tasks |
 * | `fsbo`         | 1 warm-start configuration         | GP-BO on FSBO's deep kernel GP (Wistuba & Grabocka 2021), fine-tuned at each step |
 *
 * **The default strategy** is `rgpe-gp` with RGPE's relevance test, chosen by measurement: the
 * `transfer` bench suite (`deno task bench --suite transfer`, results in `results/transfer/`) runs
 * every strategy leave-one-task-out on the Branin, Goldstein-Price, Hartmann-3 and GP-prior
 * families and on the MLP meta-dataset (and, with `--suite transfer-pmlb`, on the PMLB
 * meta-dataset of 53 real datasets) and ranks them by one rule (`defaultChoiceTable` in
 * `bench/suites/transfer.ts`): mean normalised regret no worse than plain GP-BO's after 10, 25
 * and 50 evaluations on every problem set, at most half of GP-BO's after 10 wherever the greedy
 * portfolio gets there, then the lowest geometric-mean ratio to GP-BO after 10. RGPE alone wins
 * early but stagnates late (see `rgpe`); RGPE for the first evaluations, in place of GP-BO's
 * space-filling design, then plain GP-BO on everything observed, keeps RGPE's early lead without
 * its late loss. The handover comes after twice the design's length: RGPE's points cluster where
 * past tasks' optima lie, so after only as many of them as the design has, the target GP has seen
 * less of the space than plain GP-BO after its design; in the suite, handing over after one
 * design length left the final regret on the Branin family above plain GP-BO's at 50 evaluations
 * more often than after two (numbers in `results/transfer/before_relevance/README.md`).
 *
 * The relevance test (`rgpe`'s `relevance`, 0.05 here, {@linkcode TRANSFER_DEFAULTS}) gives a
 * past task weight only once the new task's own observations show that it orders them better
 * than chance (one-sided Kendall tests, Holm-corrected over the past tasks). Without it, RGPE's
 * weights follow noise while the target has few observations, and on tasks unrelated to every
 * past one (the GP-prior family: independent draws) its first evaluations go to the past tasks'
 * optima, which is worse than GP-BO's design (`results/transfer/relevance/`). The price is on
 * related tasks whose observations are mostly tied (a discrete validation error): the test needs
 * more of them before it lets the past tasks in.
 *
 * **Without past tasks** (an empty list or store, a `PreparedPrior` of none, or, for
 * {@linkcode transferOptionsFromStorage}, a storage with no finished study that fits: the first
 * study of a project), every strategy gives plain GP-BO, the options of `minimize`'s default:
 * `bayesOpt({ acquisition })`, no initial configurations, and no `initialDesignSize` (unless
 * given), so that the optimiser's default design applies (`minimize`'s `budgetedDesignSize`,
 * `SMBO`'s `SMBO_DEFAULTS.initialDesignSize`).
 * Options are still checked. `requirePriorTasks: true` makes it an error instead; to know in
 * advance, count the tasks (`priorTasksFromStorage` applies the same rule to a storage).
 *
 * **FSBO** meta-trains on the past tasks with at least 2 trials; a task of one trial has no
 * marginal likelihood to learn from (its one standardised value is 0), and is left out, as
 * `fitFsbo` leaves it out. When no past task has 2 trials there is nothing to meta-train on: the
 * `fsbo` strategy's proposer is then plain GP-BO's, `bayesOpt({ acquisition })`, after the
 * warm-start configuration, which the past tasks still give.
 *
 * **Meta-features** are finite numbers, NaN for an unavailable one (what `extractMetaFeatures`
 * gives), for the new task as for the past ones; ±Infinity is refused, as in a `TaskStore` and in a
 * stored study. `warm-start` leaves an unavailable meta-feature out of the distances between tasks
 * (`warmStartPoints`), `config-model` out of its inputs (`predictConfiguration`, which imputes a
 * past task's gap with the past tasks' mean).
 *
 * The pieces stay composable: `rgpe`, `tstr` and `taf` are a surrogate factory / acquisition
 * builder for `bayesOpt`, and the warm-start lists are plain configurations for
 * `initialConfigurations`; this module only wires them.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { gpFactory, type GpFactoryOptions } from "../gp/gp.ts";
import { Rng } from "../random/rng.ts";
import { type AcquisitionName, bayesOpt } from "../smbo/bayes_opt.ts";
import { type Proposer, savedState } from "../smbo/proposer.ts";
import type { EncodableSpace } from "../smbo/study.ts";
import {
  type BaseModel,
  type BaseModelOptions,
  checkBaseModelOptions,
  type EncodedTask,
  encodePriorTasks,
  fitBaseModel,
  type PriorTasksInput,
} from "./base_models.ts";
import { configurationModelPoints } from "./config_model.ts";
import { rgpe, type RgpeOptions, rgpeOptionsSchema } from "./rgpe.ts";
import { taf } from "./taf.ts";
import { type KernelWeightOptions, kernelWeightOptionsSchema, tstr } from "./tstr.ts";
import {
  alignMetaFeatures,
  distinctPoints,
  metaFeatureValuesSchema,
  warmStartPoints,
} from "./warm_start.ts";
import { checkEncodedTasks, type GreedyPortfolio, greedyPortfolio } from "./portfolio.ts";
import { ablr, type AblrModel, type AblrOptions, ablrOptionsSchema, fitAblr } from "./ablr.ts";
import { fitFsbo, fsbo, type FsboModel, type FsboOptions, fsboOptionsSchema } from "./fsbo.ts";
import { DESIGN_DEFAULTS, type DesignSizeInput } from "../space/design.ts";
import { sameSpace, Space } from "../space/space.ts";
import { nonNegativeIntSchema, parseOrThrow } from "../validate.ts";
import type { Storage } from "../storage/storage.ts";
import { priorTasksFor } from "../storage/experience.ts";
import { redactUrl } from "../storage/errors.ts";
import { TaskStore } from "./store.ts";

/** The transfer strategies of {@linkcode transferOptions}. */
export type TransferStrategy =
  | "warm-start"
  | "config-model"
  | "rgpe"
  | "tst-r"
  | "taf"
  | "portfolio"
  | "rgpe-gp"
  | "ablr"
  | "ablr-fixed"
  | "fsbo";

/** Names of the strategies. */
export const TRANSFER_STRATEGIES: readonly TransferStrategy[] = Object.freeze([
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
]);

/** What a search space must provide (the spaces of `defineSpace` do). */
export type TransferSpace<P> = EncodableSpace<P>;

/**
 * What a prior and every prior derived from it by {@linkcode PreparedPrior.without} share: the
 * models fitted on first use. They all have the same fitting options and the same encoded task
 * objects (a derived prior only drops tasks), so a model fitted through any of them is the model
 * each of the others would fit.
 */
interface PriorCache {
  /** Each task's base GP, by the encoded task (one object per task id in a family of priors). */
  readonly models: Map<EncodedTask, BaseModel>;
  /** ABLR's feature maps, by the ids of the tasks they were learned from and the options. */
  readonly ablr: Map<string, AblrModel>;
  /** FSBO's meta-trained deep kernels, keyed as `ablr`. */
  readonly fsbo: Map<string, FsboModel>;
  /** Greedy portfolios, by the tasks' ids, the size and the pool. */
  readonly portfolios: Map<string, GreedyPortfolio>;
}

/**
 * Prior tasks encoded in one space, with their base GPs fitted on first use, one task at a time,
 * and shared by every strategy built from this object and by every prior derived from it by
 * {@linkcode PreparedPrior.without} (in either direction: a task's GP fitted through a derived
 * prior serves this one and its other derived priors, e.g. every fold of leave-one-task-out and
 * every later call). The same holds for ABLR's and FSBO's learned models and for portfolios, per
 * set of tasks and options. Everything fitted is kept as long as the root prior is referenced,
 * including each fold's learned models after the fold is done (a network's parameters or a
 * portfolio's points, plain typed arrays with no TensorFlow.js memory). Shared models are the ones a fresh fit gives: a task's GP depends on
 * its trials, its id and the fitting options only (`fitBaseModels`), which the derived priors
 * share.
 *
 * @example
 * ```ts
 * import { PreparedPrior } from "./transfer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const prior = PreparedPrior.from(
 *   [{ id: "a", trials: [{ params: { x: 0.2 }, value: 1 }, { params: { x: 0.6 }, value: 0 }] }],
 *   space,
 * );
 * prior.baseModels.length; // 1
 * ```
 */
export class PreparedPrior {
  /** The encoded tasks. */
  readonly tasks: readonly EncodedTask[];
  /** This prior's base models, in task order, once all are fitted. */
  #models?: readonly BaseModel[];
  /** Fitted models shared with the priors derived from this one or that it derives from. */
  #cache: PriorCache = {
    models: new Map(),
    ablr: new Map(),
    fsbo: new Map(),
    portfolios: new Map(),
  };
  readonly #gp: BaseModelOptions;
  readonly #space?: EncodableSpace<unknown>;
  /** Set while {@linkcode PreparedPrior.without} derives a prior from tasks checked already. */
  static #deriving = false;

  /**
   * Wraps encoded tasks (and, optionally, base models already fitted to them, in order, with
   * `options`); with no task, {@linkcode transferOptions} gives plain GP-BO (see its docs). A new
   * prior shares no fitted model with another one built by this constructor, only with those
   * derived from it ({@linkcode PreparedPrior.without}). With
   * `space`, the space the tasks were encoded in, {@linkcode transferOptions} refuses this prior
   * in any other space (other names, kinds or bounds); without it, only the dimension is checked.
   *
   * The tasks are checked here, as `checkEncodedTasks` checks them (each with at least one point,
   * every point the same number of finite coordinates, one finite value per point), and every
   * coordinate must lie in the unit cube [0, 1], where encoded configurations live; errors name the
   * field: `PreparedPrior.tasks[1].values: expected 3 (one per point), got 2`,
   * `PreparedPrior.tasks[0].points[1][0]: must be in [0, 1] (an encoded configuration), got 5`.
   *
   * @throws {TypeError} When `tasks` is not an array of encoded tasks, naming the field.
   * @throws {RangeError} On a task without points, a point of another dimension or outside the unit
   * cube, a missing or non-finite value, or models that do not match the tasks.
   */
  constructor(
    tasks: readonly EncodedTask[],
    models?: readonly BaseModel[],
    options: BaseModelOptions = {},
    space?: EncodableSpace<unknown>,
  ) {
    if (!Array.isArray(tasks)) {
      throw new TypeError("PreparedPrior.tasks: must be an array of encoded tasks");
    }
    if (tasks.length > 0 && !PreparedPrior.#deriving) {
      checkUnitCubeTasks(tasks, "PreparedPrior.tasks");
    }
    if (models && (models.length !== tasks.length || models.some((m, i) => m.id !== tasks[i].id))) {
      throw new RangeError("PreparedPrior: models must match the tasks one to one, in order");
    }
    this.tasks = tasks;
    this.#gp = checkBaseModelOptions(options, "PreparedPrior options");
    this.#space = space;
    if (models) {
      this.#models = models;
      models.forEach((model, i) => this.#cache.models.set(tasks[i], model));
    }
  }

  /** Encodes prior tasks in a space (errors name the bad trial or option). */
  static from<P>(
    tasks: PriorTasksInput,
    space: TransferSpace<P>,
    options: BaseModelOptions = {},
  ): PreparedPrior {
    return new PreparedPrior(
      encodePriorTasks(tasks, space),
      undefined,
      options,
      space as EncodableSpace<unknown>,
    );
  }

  /**
   * Throws unless `space` is the one these tasks were encoded in (the same object, or a space with
   * the same JSON form: names, kinds and bounds); a prior built without its space only checks the
   * dimension (nothing, when it has no task).
   *
   * @param space The space of the study about to use this prior.
   * @param label How the error names it.
   * @throws {RangeError} When the dimension or the space differs.
   */
  checkSpace(space: EncodableSpace<unknown>, label = "transfer"): void {
    const dim = this.tasks[0]?.points[0].length ?? space.dim;
    if (dim !== space.dim) {
      throw new RangeError(`${label}: prior tasks have dimension ${dim}, the space ${space.dim}`);
    }
    if (this.#space) checkSameSpace(this.#space, space, label);
  }

  /**
   * One GP per task, in task order: each fitted on first use through this prior or any prior
   * derived from the same one ({@linkcode PreparedPrior.without}), then reused. Fitting errors
   * are those of `fitBaseModels` on this prior's tasks.
   */
  get baseModels(): readonly BaseModel[] {
    if (this.#models) return this.#models;
    const cache = this.#cache.models;
    this.#models = this.tasks.map((task, i) => {
      let model = cache.get(task);
      if (!model) cache.set(task, model = fitBaseModel(task, this.#gp, i));
      return model;
    });
    return this.#models;
  }

  /** Key of a model learned from all of this prior's tasks (ids in order) with `rest`. */
  #key(rest: string): string {
    return `${JSON.stringify(this.tasks.map((t) => t.id))}|${rest}`;
  }

  /**
   * ABLR's feature map learned from these tasks (`fitAblr`), fitted on first use per options of
   * the network and its fit (`refitEvery` and `refitIterations` are the surrogate's, see `ablr`),
   * and shared with every prior of the same tasks derived from the same one.
   */
  ablrModel(options: AblrOptions = {}): AblrModel {
    const { refitEvery: _every, refitIterations: _iterations, ...fit } = options;
    const key = this.#key(JSON.stringify(fit));
    let model = this.#cache.ablr.get(key);
    if (!model) this.#cache.ablr.set(key, model = fitAblr(this.tasks, fit));
    return model;
  }

  /**
   * FSBO's deep kernel meta-trained on these tasks (`fitFsbo`), on first use per options of the
   * network and its meta-training (the fine-tuning options are the surrogate's, see `fsbo`; the
   * noise floor is both's), shared as {@linkcode PreparedPrior.ablrModel}'s. A `RangeError` when
   * no task has 2 trials (nothing to meta-train on).
   */
  fsboModel(options: FsboOptions = {}): FsboModel {
    const {
      fineTuneSteps: _steps,
      fineTuneLearningRate: _rate,
      patience: _patience,
      tolerance: _tolerance,
      ...fit
    } = options;
    const key = this.#key(JSON.stringify(fit));
    let model = this.#cache.fsbo.get(key);
    if (!model) this.#cache.fsbo.set(key, model = fitFsbo(this.tasks, fit));
    return model;
  }

  /**
   * The greedy portfolio of `size` configurations over these tasks (`greedyPortfolio`), computed
   * on first use per size and pool. The candidates are the tasks' distinct evaluated
   * configurations (encoded); with `pool`, those of them in the pool, or, when fewer than `size`
   * pool members were evaluated by some task, every pool member (a task scores a configuration
   * it did not evaluate by its nearest trial), so that a pool sharing few configurations with
   * the past tasks still gives `size` of them. Shared as {@linkcode PreparedPrior.ablrModel}'s.
   */
  portfolio(size: number, pool?: readonly Float64Array[]): GreedyPortfolio {
    const key = (p: Float64Array) => p.join(",");
    const cacheKey = this.#key(`${size}|${pool ? pool.map(key).join(";") : "all"}`);
    let portfolio = this.#cache.portfolios.get(cacheKey);
    if (!portfolio) {
      const inPool = pool && new Set(pool.map(key));
      const seen = new Set<string>();
      const past = this.tasks.flatMap((t) =>
        t.points.filter((p) =>
          inPool?.has(key(p)) !== false && !seen.has(key(p)) && seen.add(key(p))
        )
      );
      const candidates = pool && past.length < size ? pool : past;
      portfolio = greedyPortfolio(this.tasks, {
        size,
        ...(candidates.length > 0 ? { candidates } : {}),
      });
      this.#cache.portfolios.set(cacheKey, portfolio);
    }
    return { points: [...portfolio.points], meanLoss: [...portfolio.meanLoss] };
  }

  /**
   * The same prior without some tasks (e.g. the held-out task of leave-one-task-out); without
   * every one of them it is a prior of no task. Every id must name a task of this prior: an unknown
   * one (a misspelt held-out id would leave that task in its own prior) is a `RangeError` naming
   * it, and `ids` must be an array (a bare string is a `TypeError`). It shares this prior's fitted models both ways:
   * a task's GP fitted through either (or through any other prior derived from this one, at any
   * depth) is fitted once and reused by all (see {@linkcode PreparedPrior.baseModels}).
   *
   * @example
   * ```ts
   * import { PreparedPrior } from "./transfer.ts";
   * import { defineSpace, float } from "../space/mod.ts";
   * const space = defineSpace({ x: float(0, 1) });
   * const trials = [{ params: { x: 0.2 }, value: 1 }, { params: { x: 0.6 }, value: 0 }];
   * const prior = PreparedPrior.from([{ id: "a", trials }, { id: "b", trials }], space);
   * const fold = prior.without(["a"]); // nothing fitted yet
   * fold.baseModels[0] === prior.baseModels[1]; // true: "b" was fitted once, through the fold
   * ```
   */
  without(ids: readonly string[]): PreparedPrior {
    if (!Array.isArray(ids)) {
      throw new TypeError(
        `PreparedPrior.without: expects an array of ids, got ${
          typeof ids === "string" ? `the string ${JSON.stringify(ids)}` : describe(ids)
        }`,
      );
    }
    const known = new Set(this.tasks.map((t) => t.id));
    ids.forEach((id, i) => {
      if (typeof id !== "string") {
        throw new TypeError(
          `PreparedPrior.without: ids[${i}] must be a string, got ${describe(id)}`,
        );
      }
      if (!known.has(id)) {
        const shown = [...known].slice(0, 5).map((k) => JSON.stringify(k)).join(", ");
        throw new RangeError(
          `PreparedPrior.without: ids[${i}] ${JSON.stringify(id)} names no task of this prior (${
            known.size === 0
              ? "it has none"
              : `its ${known.size} task${known.size === 1 ? "" : "s"}: ${shown}${
                known.size > 5 ? ", …" : ""
              }`
          })`,
        );
      }
    });
    const drop = new Set(ids);
    const keep = this.tasks.flatMap((t, i) => drop.has(t.id) ? [] : [i]);
    // Some of this prior's tasks, checked when it was built.
    PreparedPrior.#deriving = true;
    let derived: PreparedPrior;
    try {
      derived = new PreparedPrior(
        keep.map((i) => this.tasks[i]),
        this.#models && keep.map((i) => this.#models![i]),
        this.#gp,
        this.#space,
      );
    } finally {
      PreparedPrior.#deriving = false;
    }
    derived.#cache = this.#cache;
    return derived;
  }
}

/** How an error names an unexpected value: its type, or null. */
function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * Checks encoded prior tasks with `checkEncodedTasks` (errors under `label`), and that every
 * coordinate lies in the unit cube, where `Space.encode` puts configurations (a point outside it
 * would be decoded to a clipped configuration, another one than the task evaluated).
 */
function checkUnitCubeTasks(tasks: readonly EncodedTask[], label: string): void {
  checkEncodedTasks(tasks, label);
  tasks.forEach((task, t) =>
    task.points.forEach((point, i) => {
      for (let j = 0; j < point.length; j++) {
        if (!(point[j] >= 0 && point[j] <= 1)) {
          throw new RangeError(
            `${label}[${t}].points[${i}][${j}]: must be in [0, 1] (an encoded configuration), got ${
              point[j]
            }`,
          );
        }
      }
    })
  );
}

/**
 * Throws unless `actual` is the space `expected` (the same object, or a space with the same JSON
 * form, `Space.toJSON()`: names, kinds and bounds). Configurations encoded in one space and read
 * in another would come back in the wrong units.
 *
 * @param expected The space the data were encoded in.
 * @param actual The space about to read them.
 * @param label How the error names `actual`.
 * @throws {RangeError} When the spaces differ, or differ in object and one has no JSON form.
 *
 * @example
 * ```ts
 * import { checkSameSpace } from "./transfer.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * checkSameSpace(defineSpace({ x: float(0, 1) }), defineSpace({ x: float(0, 1) }), "space"); // passes
 * // with float(0, 10) it throws "space: another space than the one the data were encoded in …"
 * ```
 */
export function checkSameSpace(
  expected: EncodableSpace<unknown>,
  actual: EncodableSpace<unknown>,
  label: string,
): void {
  if (expected === actual) return;
  const a = spaceJson(expected);
  const b = spaceJson(actual);
  // The same space written out alike or not (`log: false`, an int's `step: 1`, the parents of a
  // condition in another order): `sameSpace`.
  if (
    expected.dim !== actual.dim || a === undefined || b === undefined ||
    !sameSpace(JSON.parse(a), JSON.parse(b))
  ) {
    throw new RangeError(
      `${label}: another space than the one the data were encoded in (${
        a ?? `a space of dimension ${expected.dim} without a JSON form`
      }, here ${
        b ?? `a space of dimension ${actual.dim} without a JSON form`
      }): past configurations would be read in the wrong units`,
    );
  }
}

function spaceJson(space: EncodableSpace<unknown>): string | undefined {
  const toJSON = (space as { toJSON?: () => unknown }).toJSON;
  return typeof toJSON === "function" ? JSON.stringify(toJSON.call(space)) : undefined;
}

/** Options of {@linkcode transferOptions}; defaults in {@linkcode TRANSFER_DEFAULTS}. */
export interface TransferOptions<P> {
  /** The strategy (default `rgpe-gp`, see the module docs). */
  strategy?: TransferStrategy;
  /**
   * The current task's meta-features (names must match the prior tasks'): finite numbers, NaN for
   * an unavailable one (as `extractMetaFeatures` gives; see the module docs), ±Infinity refused.
   * `portfolio` is the same for every task and only checks them; without them `config-model`
   * predicts the past tasks' mean best configuration (no usable meta-feature).
   */
  metaFeatures?: Record<string, number>;
  /**
   * Warm-start configurations asked first: the k nearest tasks' best with `metaFeatures`, else
   * the first k of a greedy portfolio over the tasks' best configurations (`warmStartPoints`,
   * which ranks them by min–max normalised scores, not by their raw values). Default: 5 for
   * `warm-start` and `config-model`, 1 for the model-based strategies, whose first point would
   * otherwise be a random one. For `portfolio`, the
   * portfolio size (default: the study's default initial design size, `SMBO_DEFAULTS`).
   */
  warmStart?: number;
  /**
   * Where the warm-start configurations come from (not `config-model`, whose configurations come
   * from its model, nor `portfolio`): `"nearest"` (default) the nearest tasks' best as above,
   * `"portfolio"` the first configurations of the greedy portfolio of the past tasks (Wistuba,
   * Schilling & Schmidt-Thieme 2015), as the `portfolio` strategy asks them, here followed by the
   * strategy's own proposer.
   */
  warmStartFrom?: "nearest" | "portfolio";
  /** Space-filling points after the warm start (default: 0 with a warm start, else 1). */
  initialDesignSize?: number;
  /** Pool mode: the finite candidate list (passed on to the study). */
  candidates?: readonly P[];
  /**
   * Acquisition of the GP-BO strategies (ignored by `taf`), default `logei`: one of
   * {@linkcode TransferAcquisition}. Not `"lognormal-ei"` (it needs SMAC's log-scaled costs) nor
   * `"lognei"` (it needs the plain GP surrogate, which the transfer surrogates are not).
   */
  acquisition?: TransferAcquisition;
  /** Options of the RGPE surrogate. */
  rgpe?: RgpeOptions;
  /** Options of TST-R and TAF. */
  kernelWeights?: KernelWeightOptions;
  /**
   * `rgpe-gp`: the number of evaluations (pending ones included) from which plain GP-BO replaces
   * RGPE (default {@linkcode defaultHandover}: twice the size of plain GP-BO's uncapped initial
   * design, 2·`DESIGN_DEFAULTS.size(space)` = 2·max(5, 2·p + 1) for p searched parameters: RGPE
   * takes the place of the space-filling design and of as many model-based steps, see the module
   * docs). It is not capped by the budget as `minimize`'s design is (`budgetedDesignSize`), so a
   * study whose budget is at most the handover runs RGPE throughout (p = 6: handover 26). Point
   * by point: a batch asked with m evaluations made takes its first max(0, handover − m) points
   * from RGPE and the rest from GP-BO, with those first points pending.
   */
  handover?: number;
  /**
   * Options of ABLR's feature map (`fitAblr`) and of its joint refits with the target (`ablr`;
   * `ablr-fixed` never refits).
   */
  ablr?: AblrOptions;
  /**
   * Options of FSBO's meta-training (`fitFsbo`) and of its fine-tuning on the target (`fsbo`).
   * Past tasks of one trial are left out of the meta-training; with none of 2 trials or more, the
   * `fsbo` strategy proposes with plain GP-BO (see the module docs).
   */
  fsbo?: FsboOptions;
  /** Seed of the configuration-model draws. */
  seed?: number;
  /**
   * Throw a `RangeError` when there is no past task, instead of giving plain GP-BO (default
   * `false`: a project's first study runs plain GP-BO, see the module docs).
   */
  requirePriorTasks?: boolean;
}

/**
 * Defaults of {@linkcode transferOptions}: strategy `rgpe-gp` (chosen by measurement, see the
 * module docs); 5 warm-start configurations for the initial-design strategies (`warm-start`,
 * `config-model`) and 1 for the model-based ones (`rgpe`, `rgpe-gp`, `tst-r`, `taf`, `ablr`, `ablr-fixed`, `fsbo`),
 * which then take over from the first observation on; `portfolio`
 * evaluates as many configurations as the default initial design of the space
 * (`DESIGN_DEFAULTS.size`, `max(5, 2·p + 1)`); `rgpe-gp` runs RGPE with the relevance test at
 * level 0.05 (`rgpe: { relevance: false }` turns it off, see the module docs).
 *
 * @example
 * ```ts
 * import { TRANSFER_DEFAULTS } from "./transfer.ts";
 * console.log(TRANSFER_DEFAULTS.strategy); // "rgpe-gp"
 * ```
 */
export const TRANSFER_DEFAULTS: Readonly<{
  strategy: TransferStrategy;
  warmStart: number;
  modelWarmStart: number;
  relevance: number;
}> = Object.freeze({ strategy: "rgpe-gp", warmStart: 5, modelWarmStart: 1, relevance: 0.05 });

/**
 * The number of evaluations from which `rgpe-gp` hands over from RGPE to plain GP-BO when its
 * `handover` option is not given: twice the length of plain GP-BO's initial design,
 * 2·`DESIGN_DEFAULTS.size(space)` = 2·max(5, 2·p + 1) for p searched parameters. The budget does
 * not enter it: under `minimize`, whose plain GP-BO design is capped at max(5, ⌊budget / 2⌋)
 * (`budgetedDesignSize`), the handover can exceed twice that design and the budget itself (p = 6
 * and budget 16: design 8, handover 26), and a study whose budget is at most the handover never
 * hands over.
 *
 * @example
 * ```ts
 * import { defaultHandover } from "./transfer.ts";
 * console.log(defaultHandover(2)); // 10 (a space of 2 searched parameters)
 * console.log(defaultHandover(6)); // 26, more than a budget of 16
 * ```
 */
export function defaultHandover(space: DesignSizeInput): number {
  return 2 * DESIGN_DEFAULTS.size(space);
}

/** The part of `minimize` / `SMBO` options that {@linkcode transferOptions} fills in. */
export interface TransferSetup<P> {
  /** The model-based step. */
  proposer: Proposer;
  /** Configurations to ask first. */
  initialConfigurations: P[];
  /**
   * Space-filling points after them. Absent with no past task (and no `initialDesignSize`
   * option): the optimiser's default design size then applies, as without these options.
   */
  initialDesignSize?: number;
  /** The pool, when in pool mode. */
  candidates?: readonly P[];
}

/**
 * The acquisitions {@linkcode transferOptions} accepts: those of `bayesOpt` that work on every
 * strategy's surrogate. Thompson sampling (`"ts"`) draws posterior paths of RGPE's and TST-R's
 * ensembles (each member's random-Fourier-feature path, Wilson et al. 2020) and of FSBO's
 * deep-kernel GP (its feature GP's path through the feature map) and maximises one as a GP's;
 * ABLR draws exact joint samples over a candidate set.
 *
 * @example
 * ```ts
 * import { TRANSFER_ACQUISITIONS } from "./transfer.ts";
 * TRANSFER_ACQUISITIONS.includes("logei"); // true
 * ```
 */
export const TRANSFER_ACQUISITIONS: readonly TransferAcquisition[] = Object.freeze([
  "logei",
  "ei",
  "pi",
  "logpi",
  "lcb",
  "ts",
]);

/** One of {@linkcode TRANSFER_ACQUISITIONS}: a `bayesOpt` acquisition name. */
export type TransferAcquisition = Extract<
  AcquisitionName,
  "logei" | "ei" | "pi" | "logpi" | "lcb" | "ts"
>;

const optionsSchema = z.strictObject({
  strategy: z.enum(TRANSFER_STRATEGIES as [TransferStrategy, ...TransferStrategy[]]).optional(),
  metaFeatures: metaFeatureValuesSchema.optional(),
  warmStart: nonNegativeIntSchema.optional(),
  warmStartFrom: z.enum(["nearest", "portfolio"]).optional(),
  initialDesignSize: nonNegativeIntSchema.optional(),
  candidates: z.array(z.unknown()).min(1, "must not be empty").optional(),
  acquisition: z.enum(TRANSFER_ACQUISITIONS as [TransferAcquisition, ...TransferAcquisition[]])
    .optional(),
  rgpe: rgpeOptionsSchema.optional(),
  handover: nonNegativeIntSchema.optional(),
  ablr: ablrOptionsSchema.optional(),
  fsbo: fsboOptionsSchema.optional(),
  kernelWeights: kernelWeightOptionsSchema.optional(),
  seed: z.number().int("must be an integer").optional(),
  requirePriorTasks: z.boolean().optional(),
});

/**
 * Checks options of {@linkcode transferOptions} without building anything: unknown keys and bad
 * values are errors naming the option under `label`, a strategy's own options (`rgpe`, `ablr`, `fsbo`,
 * `kernelWeights`) included, and the target GP's settings in them (`rgpe.gp`, `kernelWeights.gp`)
 * by `gpFactory`'s own rules (`transfer options.rgpe.gp.kernel: must be one of …`).
 *
 * @param options The options to check.
 * @param label How the error names them.
 * @throws {TypeError} On a bad option, naming it.
 *
 * @example
 * ```ts
 * import { checkTransferOptions } from "./transfer.ts";
 * checkTransferOptions({ strategy: "rgpe", warmStart: 2 }); // passes
 * // checkTransferOptions({ stratgy: "rgpe" }) throws "transfer options.stratgy: unknown key"
 * ```
 */
export function checkTransferOptions(options: unknown, label = "transfer options"): void {
  parseOrThrow(optionsSchema, options, label);
}

/**
 * Options for `minimize` / `SMBO` that transfer knowledge from past tasks with the chosen
 * strategy; spread them into the optimiser's options. With no past task, whatever the strategy,
 * plain GP-BO: `bayesOpt({ acquisition })`, no initial configuration and no `initialDesignSize`
 * (unless given), so that the optimiser's default design size applies (`minimize`'s
 * `budgetedDesignSize(space, budget)`, `SMBO`'s `SMBO_DEFAULTS.initialDesignSize(space)`): the
 * same as `minimize` without these options; `requirePriorTasks: true` throws a `RangeError`
 * instead. Meta-features may be NaN (unavailable), see the module docs. The experience kept in a
 * storage is read asynchronously: {@linkcode transferOptionsFromStorage} takes a storage or a
 * storage URL; given one, this function throws a `TypeError` that says so.
 *
 * @example
 * ```ts
 * import { transferOptions } from "./transfer.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const space = defineSpace({ x: float(0, 1) });
 * const f = (c: number) => (p: { x: number }) => (p.x - c) ** 2;
 * const past = [0.3, 0.35].map((c, i) => ({
 *   id: `task${i}`,
 *   trials: [0.1, 0.3, 0.5, 0.7, 0.9].map((x) => ({ params: { x }, value: f(c)({ x }) })),
 * }));
 * const result = await minimize(f(0.32), space, {
 *   budget: 6,
 *   seed: 0,
 *   ...transferOptions(past, space, { strategy: "rgpe" }),
 * });
 * ```
 */
export function transferOptions<P>(
  prior: PriorTasksInput | PreparedPrior,
  space: TransferSpace<P>,
  options: TransferOptions<P> = {},
): TransferSetup<P> {
  if (isStorage(prior) || typeof prior === "string") {
    throw new TypeError(
      "transferOptions.prior: a storage or a storage URL is read asynchronously; use " +
        "`await transferOptionsFromStorage(storage, space, options)`",
    );
  }
  const parsed = parseOrThrow(optionsSchema, options, "transfer options");
  const none = prior instanceof TaskStore
    ? prior.tasks.length === 0
    : Array.isArray(prior) && prior.length === 0;
  const prepared = prior instanceof PreparedPrior
    ? prior
    : none
    ? new PreparedPrior([], undefined, {}, space as EncodableSpace<unknown>)
    : PreparedPrior.from(prior, space);
  prepared.checkSpace(space as EncodableSpace<unknown>);
  const strategy = parsed.strategy ?? TRANSFER_DEFAULTS.strategy;
  const designStrategy = strategy === "warm-start" || strategy === "config-model";
  const warmCount = parsed.warmStart ??
    (strategy === "portfolio"
      ? DESIGN_DEFAULTS.size(space)
      : designStrategy
      ? TRANSFER_DEFAULTS.warmStart
      : TRANSFER_DEFAULTS.modelWarmStart);
  if (parsed.warmStartFrom === "portfolio" && strategy === "config-model") {
    throw new RangeError(
      "transfer options.warmStartFrom: config-model's configurations come from its model",
    );
  }
  const candidates = options.candidates?.map((c, i) => {
    try {
      return space.validate(c);
    } catch (error) {
      throw new TypeError(`transfer options.candidates[${i}]: ${(error as Error).message}`);
    }
  });
  checkTargetGpOptions(options.rgpe?.gp, space, "transfer options.rgpe.gp");
  checkTargetGpOptions(options.kernelWeights?.gp, space, "transfer options.kernelWeights.gp");
  if (parsed.metaFeatures && Object.keys(parsed.metaFeatures).length === 0) {
    throw new RangeError("transfer options.metaFeatures: must name at least one meta-feature");
  }
  if (prepared.tasks.length === 0) {
    if (parsed.requirePriorTasks === true) {
      throw new RangeError("transfer: no past task (requirePriorTasks)");
    }
    // A first study: plain GP-BO, as `minimize` runs it without these options (its own default
    // design size, which knows the budget, unless one is given).
    return {
      proposer: bayesOpt({ acquisition: parsed.acquisition }),
      initialConfigurations: [],
      ...(parsed.initialDesignSize !== undefined
        ? { initialDesignSize: parsed.initialDesignSize }
        : {}),
      ...(candidates ? { candidates } : {}),
    };
  }
  // Checked for every strategy, used or not, so that mismatched meta-features never pass
  // silently.
  if (parsed.metaFeatures) {
    alignMetaFeatures(parsed.metaFeatures, prepared.tasks, "transfer options.metaFeatures");
  }
  const pool = candidates?.map((c) => space.encode(c));
  let points: Float64Array[] = [];
  if (warmCount > 0 && strategy === "config-model") {
    points = configurationModelPoints(prepared.tasks, {
      // Without the new task's meta-features none is usable: the past tasks' mean best.
      metaFeatures: parsed.metaFeatures ?? {},
      count: warmCount,
      seed: parsed.seed,
      pool,
    });
  } else if (
    warmCount > 0 && (strategy === "portfolio" || parsed.warmStartFrom === "portfolio")
  ) {
    // Past configurations are the candidates (all inside the space: encodePriorTasks validated
    // them); in pool mode those in the pool, or every pool member when too few of them are.
    const chosen = prepared.portfolio(warmCount, pool).points;
    points = distinctPoints(chosen, pool).slice(0, warmCount);
  } else if (warmCount > 0) {
    points = warmStartPoints(prepared.tasks, {
      count: warmCount,
      metaFeatures: parsed.metaFeatures,
      pool,
    });
  }
  const initialConfigurations = points.map((p) =>
    pool ? candidates![pool.indexOf(p)] : space.decode(p)
  );
  const acquisition = parsed.acquisition;
  let proposer: Proposer;
  if (space.dim === 0) {
    // Fixed parameters only: one configuration, nothing to model or to transfer (and no base
    // GP can be fitted on 0-dimensional points).
    proposer = bayesOpt({ acquisition });
  } else if (strategy === "rgpe") {
    // With `budget: "study"`, the surrogate reads the budget of the proposal context at each fit.
    let budget: number | undefined;
    const inner = bayesOpt({
      surrogate: rgpe(prepared.baseModels, options.rgpe, () => budget),
      acquisition,
    });
    // The wrapper keeps nothing between proposals (the budget is the context's): its state is
    // the inner proposer's.
    proposer = options.rgpe?.budget === "study"
      ? {
        name: inner.name,
        propose(context, q) {
          budget = context.budget;
          return inner.propose(context, q);
        },
        ...savedState(inner),
      }
      : inner;
  } else if (strategy === "rgpe-gp") {
    const handover = parsed.handover ?? defaultHandover(space);
    let budget: number | undefined;
    const early = bayesOpt({
      surrogate: rgpe(
        prepared.baseModels,
        { relevance: TRANSFER_DEFAULTS.relevance, ...options.rgpe },
        () => budget,
      ),
      acquisition,
    });
    const late = bayesOpt({ acquisition });
    proposer = {
      name: "rgpe-gp",
      propose(context, q) {
        budget = context.budget;
        // Evaluations so far, pending ones included: RGPE before the handover, GP-BO from it on,
        // point by point. A batch across the handover takes its first points from RGPE and the
        // rest from GP-BO with those pending, as asks one at a time with pending trials would.
        const seen = context.points.length + context.pending.length;
        const fromRgpe = Math.min(q, Math.max(0, handover - seen));
        if (fromRgpe === q) return early.propose(context, q);
        if (fromRgpe === 0) return late.propose(context, q);
        const first = early.propose(context, fromRgpe);
        return [
          ...first,
          ...late.propose({
            ...context,
            pending: [...context.pending, ...first],
            // Pool mode: the candidates RGPE chose are pending now, no longer in the pool.
            ...(context.pool === undefined
              ? {}
              : { pool: context.pool.filter((c) => !first.includes(c)) }),
            ...(context.evaluationsLeft === undefined
              ? {}
              : { evaluationsLeft: Math.max(0, context.evaluationsLeft - fromRgpe) }),
          }, q - fromRgpe),
        ];
      },
      // The wrapper keeps nothing between proposals (the phase and the budget come from the
      // context). Both phases keep their state under the one `bayesOpt` memory key, so that the
      // fit count runs on across the handover; the last fit is RGPE's or the GP's, and each
      // phase's surrogate saves only its own (RGPE's target GP under `target`, which the GP
      // ignores as it ignores the RGPE ensemble in memory), so the state is the one that saves it.
      saveState(memory) {
        const state = early.saveState!(memory);
        const saved = state.bayesOpt as { surrogate?: unknown } | undefined;
        return saved?.surrogate !== undefined ? state : late.saveState!(memory);
      },
      restoreState: (memory, state) => early.restoreState!(memory, state),
    };
  } else if (strategy === "ablr" || strategy === "ablr-fixed") {
    const { refitEvery, refitIterations } = options.ablr ?? {};
    proposer = bayesOpt({
      surrogate: ablr(
        prepared.ablrModel(options.ablr),
        strategy === "ablr" ? { refitEvery, refitIterations } : { refitEvery: 0 },
      ),
      acquisition,
    });
  } else if (strategy === "fsbo" && prepared.tasks.every((t) => t.points.length < 2)) {
    // Nothing to meta-train on (fitFsbo leaves out tasks of one trial): plain GP-BO.
    proposer = bayesOpt({ acquisition });
  } else if (strategy === "fsbo") {
    const { fineTuneSteps, fineTuneLearningRate, patience, tolerance, noiseFloor } = options.fsbo ??
      {};
    proposer = bayesOpt({
      surrogate: fsbo(prepared.fsboModel(options.fsbo), {
        fineTuneSteps,
        fineTuneLearningRate,
        patience,
        tolerance,
        noiseFloor,
      }),
      acquisition,
    });
  } else if (strategy === "tst-r") {
    proposer = bayesOpt({
      surrogate: tstr(prepared.baseModels, options.kernelWeights),
      acquisition,
    });
  } else if (strategy === "taf") {
    proposer = bayesOpt({
      surrogate: gpFactory(options.kernelWeights?.gp ?? {}),
      acquisition: taf(prepared.baseModels, options.kernelWeights),
    });
  } else {
    proposer = bayesOpt({ acquisition });
  }
  return {
    proposer,
    initialConfigurations,
    initialDesignSize: parsed.initialDesignSize ?? (initialConfigurations.length > 0 ? 0 : 1),
    ...(candidates ? { candidates } : {}),
  };
}

/**
 * Options for `minimize` / `SMBO` from the experience kept in a storage, as
 * {@linkcode transferOptions} makes them from a list of past tasks: every finished study whose
 * space fits becomes a prior task, with its recorded meta-features (the rule is in
 * `priorTasksFromStorage`); `metaFeatures` are matched by name as for a `TaskStore` (a name a
 * study lacks is unavailable there; no study with any of the names is a `RangeError` naming the
 * storage); `exclude` names studies to leave out, e.g. the one about to run. With no such study
 * (a project's first study), plain GP-BO: the options of `minimize`'s default, no initial
 * configuration, whatever the strategy (`requirePriorTasks: true` rejects instead, with a
 * `RangeError` naming the storage). `storage` is an open storage, used as it is and left open,
 * or a URL (`sqlite:tune.db`, as `minimize`'s `storage` option takes), which is opened read-only
 * for the call and closed when done: a URL naming no storage (a missing SQLite file, a file or a
 * PostgreSQL schema without metahpo's tables) is a `StorageError` naming it, and nothing is
 * created. The options are checked before the storage is read.
 *
 * @example
 * ```ts
 * import { transferOptionsFromStorage } from "./transfer.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { openStorage } from "../storage/storage.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const space = defineSpace({ x: float(0, 1) });
 * const f = (c: number) => (p: { x: number }) => (p.x - c) ** 2;
 * const past = await minimize(f(0.3), space, { storage, study: "past", budget: 6, seed: 0 });
 * await past.study.close();
 * const result = await minimize(f(0.32), space, {
 *   budget: 6,
 *   seed: 0,
 *   ...(await transferOptionsFromStorage(storage, space, { strategy: "warm-start" })),
 * });
 * result.trials[0].source; // "enqueued": the past study's best configuration comes first
 * await storage.close();
 * ```
 */
export async function transferOptionsFromStorage<P>(
  storage: Storage | string,
  space: TransferSpace<P>,
  options: TransferOptions<P> & { exclude?: readonly string[] } = {},
): Promise<TransferSetup<P>> {
  if (!isStorage(storage) && typeof storage !== "string") {
    throw new TypeError(
      "transferOptionsFromStorage.storage: must be a storage or a storage URL (past tasks in a " +
        "list, a TaskStore or a PreparedPrior go to transferOptions)",
    );
  }
  const url = typeof storage === "string" ? redactUrl(storage) : storage.url;
  const { exclude, ...rest } = options;
  checkTransferOptions(rest);
  const tasks = await priorTasksFor("transferOptionsFromStorage", storage, space, {
    exclude,
    metaFeatures: rest.metaFeatures,
  });
  if (tasks.length === 0 && rest.requirePriorTasks === true) {
    throw new RangeError(`transfer: storage ${url} has no finished study with a compatible space`);
  }
  return transferOptions(tasks, space, rest);
}

/**
 * Checks the target GP's fixed or initial hyperparameters (`hyperparameters`, `initial`) against
 * the space, by the rules of the fit itself: a fit of `gpFactory(gp)` at those values on two
 * points of the space's dimension (in the space, for `categorical: "hamming"`), so that a vector
 * of the wrong length (the kernel's hyperparameters depend on the dimension) is an error naming
 * the option now, not at the study's first model fit.
 */
function checkTargetGpOptions(
  gp: GpFactoryOptions | undefined,
  space: EncodableSpace<unknown>,
  label: string,
): void {
  if (gp === undefined || space.dim === 0) return;
  const points = [0.25, 0.75].map((u) => new Float64Array(space.dim).fill(u));
  const hints = space instanceof Space ? { space } : undefined;
  for (const field of ["hyperparameters", "initial"] as const) {
    if (gp[field] === undefined) continue;
    const fixed: GpFactoryOptions = { ...gp, initial: undefined, hyperparameters: gp[field] };
    try {
      gpFactory(fixed).fit(points, Float64Array.of(0, 1), new Rng(0), hints);
    } catch (error) {
      const message = (error as Error).message;
      const own = /options\.hyperparameters(\.[^:]*)?: ([^]*)$/.exec(message);
      throw new RangeError(
        own
          ? `${label}.${field}${own[1] ?? ""}: ${own[2]} (a space of dimension ${space.dim})`
          : `${label}: ${message}`,
      );
    }
  }
}

function isStorage(prior: unknown): prior is Storage {
  return typeof prior === "object" && prior !== null && !Array.isArray(prior) &&
    typeof (prior as Storage).listStudies === "function" &&
    typeof (prior as Storage).trialsSince === "function";
}
