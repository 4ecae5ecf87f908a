/**
 * Internal: what the study plots read from a study, and how a study's trials are checked and
 * sorted into usable (complete, finite, inside the space) and excluded ones.
 *
 * @module
 */
import type { EncodableSpace } from "../smbo/study.ts";
import { directionOf, type StudyDirection } from "../smbo/_direction.ts";
import type { Trial } from "../smbo/trial.ts";
import {
  categorical,
  type Choice,
  fixed,
  float,
  int,
  type ParamDefinition,
} from "../space/params.ts";
import { defineSpace, type EncodedParam, Space, type SpaceReadOptions } from "../space/space.ts";
import type { Surrogate, SurrogateFactory } from "../models/surrogate.ts";
import { gpFactory } from "../gp/gp.ts";
import type { Rng } from "../random/rng.ts";

/**
 * What the study plots need of a study: its trials and, optionally, its search space (for log
 * axes, categorical labels and the surrogate's encoding) and a name for legends. An `SMBO` study,
 * a `MinimizeResult`, a stored study (`createStudy`, `loadStudy`: its trials as of its last
 * refresh, its stored space and its name) and the result of `minimize` on a storage are study
 * inputs, and so is `{ trials, space }` built from anything else; without a space, one is
 * inferred from the trials (numbers on linear axes, other values as categories, a parameter that
 * some trials lack conditional on the parameters whose values tell when it is there). Their
 * `direction` (a study's, or its `study`'s for a result) is the default direction of the plots.
 *
 * A plot reads trials as a storage reads its own (`SpaceReadOptions`, `storedGrid: "keep"`; the
 * README's "Studies that survive"): a grid value that earlier metahpo versions accepted (within
 * `STORED_GRID_TOLERANCE` of a grid point, e.g. `0.3333333333` on `float(0, 1, { step: 1 / 3 })`)
 * is drawn as given and encoded at its grid point; a value further off the grid is outside the
 * space and its trial is left out.
 */
export interface StudyInput<P = Record<string, unknown>> {
  /** Every trial, in the order they were asked (failed and running ones included). */
  readonly trials: readonly Trial<P>[];
  /**
   * The search space the trials were drawn from (the configuration type comes from the trials,
   * so that trials built by hand with looser types than the space's are accepted).
   */
  readonly space?: EncodableSpace<NoInfer<P>>;
  /** A name for legends and error messages. */
  readonly name?: string;
  /**
   * Which way the objective improves, as the study was run (`SMBO`, stored studies): the plots'
   * default direction. Absent means `"minimize"`.
   */
  readonly direction?: StudyDirection;
  /**
   * The study of a `MinimizeResult`, whose space (and direction) is used when `space` (or
   * `direction`) is absent.
   */
  readonly study?: {
    readonly space?: EncodableSpace<NoInfer<P>>;
    readonly direction?: StudyDirection;
  };
}

/** A study input, or a plain list of trials. */
export type StudySource<P = Record<string, unknown>> = StudyInput<P> | readonly Trial<P>[];

/** A usable trial: complete, with a finite value, its configuration inside the space. */
export interface UsableTrial {
  /** The trial's number (its id, else its position). */
  readonly number: number;
  /** Its configuration. */
  readonly params: Record<string, unknown>;
  /** Its objective value. */
  readonly value: number;
}

/**
 * A checked study's trials, as the plots that use no parameter (the history, the EDF) read them:
 * complete trials with a finite value, whatever their parameters.
 */
export interface StudyTrials {
  /** How errors name the study (`study`, `studies[1] ("gp")`). */
  readonly label: string;
  /** The name for legends. */
  readonly name: string;
  /** Usable trials, in order. */
  readonly complete: readonly UsableTrial[];
  /** Failed trials: number and reason. */
  readonly failed: readonly { number: number; error: string }[];
  /** Trials not told yet. */
  readonly running: number;
  /**
   * Complete trials left out: a non-finite value (and, for the plots of parameters, a
   * configuration outside the space).
   */
  readonly excluded: readonly { number: number; reason: string }[];
  /** All trials. */
  readonly total: number;
  /** The study's own direction, when it has one (a plot's `direction` option overrides it). */
  readonly direction?: StudyDirection;
}

/** A parameter of the trials that no plot axis can show, with the first trial showing why. */
export interface UnusableParam {
  /** The parameter. */
  readonly name: string;
  /** The first trial that has it. */
  readonly number: number;
  /** Its value there (a list, an object, null, …). */
  readonly value: unknown;
}

/** A checked study with its space, as the plots of parameters read it. */
export interface ResolvedStudy extends StudyTrials {
  /** The space (given, or inferred from the trials). */
  readonly space: Space;
  /** Whether the space was inferred from the trials. */
  readonly inferred: boolean;
  /**
   * How the usable trials' configurations are read and encoded: `{ storedGrid: "keep" }` in a
   * `Space` (see {@linkcode StudyInput}), absent for a space of another kind (its `contains`).
   */
  readonly read?: SpaceReadOptions;
  /**
   * Parameters of the trials left out of an inferred space because none of their values is a
   * number, a string or a boolean (e.g. a list of layer sizes): not checked against the space,
   * and an error where a plot would draw them ({@linkcode selectParams}).
   */
  readonly unusable: readonly UnusableParam[];
}

const STATUSES = ["running", "complete", "failed"];

function isSpace(space: unknown): space is Space {
  const s = space as Partial<Space> | null;
  return s !== null && typeof s === "object" && Array.isArray(s.params) &&
    typeof s.encode === "function" && typeof s.contains === "function" &&
    s.params.every((p: EncodedParam) =>
      typeof p?.name === "string" && typeof p.definition === "object" && Array.isArray(p.columns)
    );
}

function isTrialList(value: unknown): value is readonly Trial[] {
  return Array.isArray(value);
}

/** Whether `value` is a list of study sources (as opposed to one study source). */
export function isStudyList(value: unknown): value is readonly StudyInput<unknown>[] {
  return Array.isArray(value) && value.length > 0 &&
    value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v) && "trials" in v);
}

function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
}

const has = (params: Record<string, unknown>, name: string) =>
  Object.hasOwn(params, name) && params[name] !== undefined;

/**
 * A space of the parameters seen in the trials: numbers as ranges, anything else as choices. A
 * parameter that some trials lack is conditional, as in a space with `when` (an inactive
 * parameter is absent from a trial): active where the categorical, int or fixed parameters seen
 * in every trial that has it take the values they take there, simplified to as few of them as
 * still tell exactly which trials have it. Parameters seen in more trials come first as parents,
 * so that the conditions have no cycle. A parameter whose presence no such condition tells stays
 * unconditional (the trials without it are then outside the space). A parameter none of whose
 * values is a number, a string or a boolean (a list of layer sizes) is left out and returned as
 * `unusable`.
 */
function inferSpace(
  configurations: readonly Record<string, unknown>[],
  label: string,
): { space: Space; unusable: string[] } {
  const unusable: string[] = [];
  const values = new Map<string, unknown[]>();
  for (const params of configurations) {
    for (const [name, value] of Object.entries(params)) {
      if (!values.has(name)) values.set(name, []);
      values.get(name)!.push(value);
    }
  }
  const definition: Record<string, ParamDefinition> = {};
  for (const [name, seen] of values) {
    const numbers = seen.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const choices = [
      ...new Set(
        seen.filter((v): v is Choice =>
          typeof v === "string" || typeof v === "boolean" ||
          (typeof v === "number" && Number.isFinite(v))
        ),
      ),
    ];
    if (choices.length === 0) {
      if (seen.some((v) => v !== undefined)) unusable.push(name);
      continue;
    }
    if (seen.every((v) => typeof v === "number")) {
      let low = Infinity, high = -Infinity;
      for (const v of numbers) [low, high] = [Math.min(low, v), Math.max(high, v)];
      if (low === high) definition[name] = fixed(low);
      else if (numbers.every(Number.isInteger)) definition[name] = int(low, high);
      else definition[name] = float(low, high);
    } else if (choices.length === 1) {
      definition[name] = fixed(choices[0]);
    } else {
      definition[name] = categorical(choices);
    }
  }
  if (Object.keys(definition).length === 0) {
    const none = unusable.length === 0
      ? ""
      : ` (${unusable.map((n) => JSON.stringify(n)).join(", ")}: no number, string or boolean)`;
    throw new TypeError(`${label}: no parameter with a usable value in its complete trials${none}`);
  }
  const count = (name: string) => configurations.filter((c) => has(c, name)).length;
  const order = Object.keys(definition).sort((a, b) => count(b) - count(a));
  order.forEach((name, rank) => {
    const withIt = configurations.filter((c) => has(c, name));
    if (withIt.length === configurations.length) return;
    // Candidate parents: earlier in the order, of a kind a condition may test, in every trial
    // with the parameter; each allowing the values it takes there.
    let condition: Record<string, Choice[]> = {};
    for (const parent of order.slice(0, rank)) {
      if (definition[parent].kind === "float" || !withIt.every((c) => has(c, parent))) continue;
      condition[parent] = [...new Set(withIt.map((c) => c[parent] as Choice))];
    }
    const holds = (c: Record<string, unknown>, when: Record<string, Choice[]>) =>
      Object.entries(when).every(([p, allowed]) => has(c, p) && allowed.includes(c[p] as Choice));
    // Exact: false wherever the parameter is absent (it holds wherever it is present).
    const exact = (when: Record<string, Choice[]>) =>
      configurations.every((c) => has(c, name) || !holds(c, when));
    if (!exact(condition)) return;
    for (const parent of Object.keys(condition).reverse()) {
      const { [parent]: _, ...fewer } = condition;
      if (exact(fewer)) condition = fewer;
    }
    definition[name] = { ...definition[name], when: condition };
  });
  return { space: defineSpace(definition), unusable };
}

/** Whether a configuration is in the space, read with `read` (see {@linkcode ResolvedStudy}). */
function fits(space: Space, params: Record<string, unknown>, read?: SpaceReadOptions): boolean {
  if (read === undefined) return space.contains(params);
  try {
    space.validate(params, read);
    return true;
  } catch {
    return false;
  }
}

/** Why a configuration is not in the space: its first issue, when the space can say. */
function outsideReason(
  space: Space,
  params: Record<string, unknown>,
  read?: SpaceReadOptions,
): string {
  if (typeof space.validate !== "function") return "configuration outside the space";
  try {
    if (read === undefined) space.validate(params);
    else space.validate(params, read);
  } catch (error) {
    return `configuration outside the space: ${(error as Error).message}`;
  }
  return "configuration outside the space";
}

/**
 * Checks a study source and sorts its trials by status and value alone, as the plots that use no
 * parameter (the history, the EDF) need them: complete trials with a finite value, whatever their
 * parameters. Throws a `TypeError` naming the bad field, and an error naming the study when
 * `requireComplete` (default 1) such trials are missing.
 */
export function resolveStudyTrials(
  source: unknown,
  label: string,
  fn: string,
  requireComplete = 1,
): StudyTrials {
  if (source === null || typeof source !== "object") {
    throw new TypeError(`${fn}: ${label}: must be a study (an object with trials) or a trial list`);
  }
  const like = studyLike(source);
  const trials = like.trials;
  if (!Array.isArray(trials)) {
    throw new TypeError(`${fn}: ${label}.trials: must be an array of trials`);
  }
  trials.forEach((trial, i) => {
    if (trial === null || typeof trial !== "object") {
      throw new TypeError(`${fn}: ${label}.trials[${i}]: must be a trial object`);
    }
    if (!STATUSES.includes(trial.status)) {
      throw new TypeError(
        `${fn}: ${label}.trials[${i}].status: must be "running", "complete" or "failed", got ${
          describeValue(trial.status)
        }`,
      );
    }
    if (trial.params === null || typeof trial.params !== "object" || Array.isArray(trial.params)) {
      throw new TypeError(`${fn}: ${label}.trials[${i}].params: must be an object`);
    }
  });
  if (like.name !== undefined && typeof like.name !== "string") {
    throw new TypeError(`${fn}: ${label}.name: must be a string`);
  }
  const direction = directionOf(like, `${fn}: ${label}`);
  const complete: UsableTrial[] = [];
  const failed: { number: number; error: string }[] = [];
  const excluded: { number: number; reason: string }[] = [];
  let running = 0;
  trials.forEach((trial, i) => {
    const number = Number.isInteger(trial.id) ? trial.id : i;
    if (trial.status === "running") running++;
    else if (trial.status === "failed") {
      failed.push({ number, error: typeof trial.error === "string" ? trial.error : "failed" });
    } else if (typeof trial.value !== "number" || !Number.isFinite(trial.value)) {
      excluded.push({ number, reason: `value ${describeValue(trial.value)} is not finite` });
    } else {
      complete.push({
        number,
        params: trial.params as Record<string, unknown>,
        value: trial.value,
      });
    }
  });
  const study = {
    label,
    name: like.name ?? label,
    complete,
    failed,
    running,
    excluded,
    total: trials.length,
    ...(direction === undefined ? {} : { direction }),
  };
  if (complete.length < requireComplete) throw tooFew(study, fn, requireComplete);
  return study;
}

function studyLike(source: object): StudyInput<unknown> {
  return (isTrialList(source) ? { trials: source } : source) as StudyInput<unknown>;
}

// The error of a study with fewer usable trials than a plot needs.
function tooFew(study: StudyTrials, fn: string, requireComplete: number): RangeError {
  const what = requireComplete === 1
    ? "no complete trial with a finite value"
    : `${study.complete.length} complete trials with a finite value, at least ${requireComplete} needed`;
  return new RangeError(`${fn}: ${study.label} has ${what} (${countsText(study)})`);
}

/**
 * Checks a study source and sorts its trials into usable (complete, finite, inside the space)
 * and excluded ones, as the plots of parameters need them ({@linkcode resolveStudyTrials} first).
 * Without a space, one is inferred from the complete trials; a parameter of theirs that no axis
 * can show is left out of it and of the check against it, and listed as `unusable`.
 */
export function resolveStudy(
  source: unknown,
  label: string,
  fn: string,
  requireComplete = 1,
): ResolvedStudy {
  const trials = resolveStudyTrials(source, label, fn, requireComplete);
  const like = studyLike(source as object);
  const given = like.space ?? like.study?.space;
  const inferred = !isSpace(given);
  const { space, unusable: names } = inferred
    ? inferSpace(trials.complete.map((t) => t.params), `${fn}: ${label}`)
    : { space: given as unknown as Space, unusable: [] };
  // Trials are read as a storage reads its own (earlier versions' grid values at their points).
  const read: SpaceReadOptions | undefined = space instanceof Space
    ? { storedGrid: "keep" }
    : undefined;
  const unusable = names.map((name) => {
    const t = trials.complete.find((t) => has(t.params, name))!;
    return { name, number: t.number, value: t.params[name] };
  });
  // Complete trials whose configuration does not fit the space are left out and counted; the
  // parameters left out of an inferred space are not checked, nor kept.
  const complete: UsableTrial[] = [];
  const excluded = [...trials.excluded];
  for (const t of trials.complete) {
    const params = names.length === 0 ? t.params : withoutKeys(t.params, names);
    if (fits(space, params, read)) complete.push(params === t.params ? t : { ...t, params });
    else excluded.push({ number: t.number, reason: outsideReason(space, params, read) });
  }
  excluded.sort((a, b) => a.number - b.number);
  const study = {
    ...trials,
    complete,
    excluded,
    space,
    inferred,
    unusable,
    ...(read === undefined ? {} : { read }),
  };
  if (complete.length < requireComplete) throw tooFew(study, fn, requireComplete);
  return study;
}

function withoutKeys(
  params: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(params)) if (!names.includes(key)) kept[key] = params[key];
  return kept;
}

/** `12 trials: 9 complete, 2 failed, 1 running` (zero counts left out). */
export function countsText(
  study: Pick<ResolvedStudy, "complete" | "failed" | "running" | "excluded" | "total">,
): string {
  const parts = [
    `${study.complete.length} complete`,
    study.failed.length > 0 ? `${study.failed.length} failed` : "",
    study.running > 0 ? `${study.running} running` : "",
    study.excluded.length > 0 ? `${study.excluded.length} excluded` : "",
  ].filter((p) => p !== "");
  return `${study.total} trials: ${parts.join(", ")}`;
}

/**
 * Resolves one study source or a list of them for the plots that use no parameter
 * ({@linkcode resolveStudyTrials}); single sources are labelled `study`, list entries
 * `studies[i]`.
 */
export function resolveStudies(
  sources: unknown,
  fn: string,
): StudyTrials[] {
  if (isStudyList(sources)) {
    const studies = sources.map((s, i) => resolveStudyTrials(s, `studies[${i}]`, fn));
    return studies.map((s, i) =>
      (sources[i] as StudyInput<unknown>).name === undefined ? { ...s, name: `study ${i + 1}` } : s
    );
  }
  if (Array.isArray(sources) && sources.length === 0) {
    throw new RangeError(`${fn}: studies: must not be empty`);
  }
  const study = resolveStudyTrials(sources, "study", fn);
  return [
    (sources as StudyInput<unknown>).name === undefined ? { ...study, name: "study" } : study,
  ];
}

/**
 * The searchable parameters (fixed ones have no column), or the named ones, checked: each must be
 * a searchable parameter, named once. A parameter of the trials that no axis can show
 * (`study.unusable`) is a RangeError naming it where it would be drawn: named, or, without
 * `names`, among every parameter.
 */
export function selectParams(
  study: ResolvedStudy,
  names: readonly string[] | undefined,
  fn: string,
): EncodedParam[] {
  const searchable = study.space.params.filter((p) => p.definition.kind !== "fixed");
  const unusable = (param: UnusableParam, where: string, remedy: string) =>
    new RangeError(
      `${fn}: ${where}: parameter ${JSON.stringify(param.name)} cannot be plotted: it has no ` +
        `number, string or boolean value (trial ${param.number}: ${
          describeValue(param.value)
        })${remedy}`,
    );
  if (names === undefined) {
    if (study.unusable.length > 0) {
      throw unusable(
        study.unusable[0],
        study.label,
        `; name the parameters to plot in options.params (${
          searchable.map((p) => p.name).join(", ") || "none left"
        })`,
      );
    }
    return searchable;
  }
  if (!Array.isArray(names)) throw new TypeError(`${fn}: options.params: must be an array`);
  return names.map((name, i) => {
    const bad = study.unusable.find((p) => p.name === name);
    if (bad) throw unusable(bad, `options.params[${i}]`, "");
    const first = names.indexOf(name);
    if (first < i) {
      throw new RangeError(
        `${fn}: options.params[${i}]: ${JSON.stringify(name)} is named twice (also ` +
          `options.params[${first}])`,
      );
    }
    const param = searchable.find((p) => p.name === name);
    if (!param) {
      throw new RangeError(
        `${fn}: options.params[${i}]: unknown parameter ${JSON.stringify(name)} (parameters: ${
          searchable.map((p) => p.name).join(", ")
        })`,
      );
    }
    return param;
  });
}

/**
 * The encoded point of a usable trial's configuration, read as the study reads it
 * (`study.read`: a storage's grid values at their grid points).
 */
function encodeTrial(
  study: Pick<ResolvedStudy, "space" | "read">,
  params: Record<string, unknown>,
): Float64Array {
  return study.read === undefined
    ? study.space.encode(params as never)
    : study.space.encode(params as never, study.read);
}

/** Whether a parameter is searched on a log scale. */
export function isLog(param: EncodedParam): boolean {
  const d = param.definition;
  return (d.kind === "float" || d.kind === "int") && d.log === true;
}

/** A surrogate fitted to a study's usable trials, on the space's encoding. */
export interface StudySurrogate {
  /** The fitted model. */
  readonly model: Surrogate;
  /** The factory's name. */
  readonly name: string;
  /** Encoded points of the usable trials. */
  readonly points: Float64Array[];
  /** Their values, divided by `scale`. */
  readonly values: Float64Array;
  /**
   * The divisor of the values: 1, unless they are so large that their squares overflow or so small
   * that their squares underflow (then the largest magnitude).
   */
  readonly scale: number;
}

/**
 * Fits `factory` (default: the float64 GP of `gpFactory()`) to the usable trials. Values beyond
 * 1e100 in magnitude, or all below 1e-100 (and not all 0), are divided by the largest magnitude
 * first, so that squares stay finite and do not underflow to 0; the importances and the mean
 * surface's shape do not depend on that scale.
 */
export function fitStudySurrogate(
  study: ResolvedStudy,
  factory: SurrogateFactory | undefined,
  rng: Rng,
  fn: string,
): StudySurrogate {
  if (study.space.dim === 0) {
    throw new RangeError(`${fn}: ${study.label} has no searchable parameter`);
  }
  const points = study.complete.map((t) => encodeTrial(study, t.params));
  let scale = 0;
  for (const t of study.complete) scale = Math.max(scale, Math.abs(t.value));
  scale = scale > 1e100 || (scale > 0 && scale < 1e-100) ? scale : 1;
  const values = Float64Array.from(study.complete, (t) => t.value / scale);
  const chosen = factory ?? gpFactory();
  let model: Surrogate;
  try {
    model = chosen.fit(points, values, rng);
  } catch (error) {
    throw new Error(
      `${fn}: fitting the surrogate ${chosen.name} to ${study.label} failed: ${
        (error as Error).message
      }`,
    );
  }
  return { model, name: chosen.name, points, values, scale };
}

/** Whether `value` looks like a SurrogateFactory. */
export function isSurrogateFactory(value: unknown): value is SurrogateFactory {
  const f = value as SurrogateFactory | null;
  return f !== null && typeof f === "object" && typeof f.fit === "function" &&
    typeof f.name === "string";
}
