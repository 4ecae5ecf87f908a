/**
 * The store of past tasks that meta-learning strategies learn from. Each task has an id, its
 * trials (configuration, value; lower is better, whatever the direction the task was optimised
 * in: a score that was maximised is kept negated) and, when known, meta-features (named numbers).
 * Tasks come from finished studies ({@linkcode priorTaskFromStudy}), from the user's own records
 * ({@linkcode TaskStore.from}), or from a generated tabular meta-dataset
 * ({@linkcode priorTasksFromMetaDataset}); stores are saved and loaded as JSON
 * ({@linkcode saveTaskStore}, {@linkcode loadTaskStore}).
 *
 * JSON shape of a store (`version` 1):
 *
 * ```json
 * { "version": 1,
 *   "tasks": [{ "id": "iris", "metaFeatures": { "n_rows": 150, "skewness.mean": null },
 *               "trials": [{ "params": { "lr": 0.01, "units": 64 }, "value": 0.12 }] }] }
 * ```
 *
 * A `null` meta-feature stands for NaN (unavailable), which JSON cannot write.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "../deps/zod.ts";
import { formatIssues, ownRecordSchema, parseOrThrow } from "../validate.ts";
import { parseJson } from "../data/json.ts";
import { metaFeatureValueSchema } from "./warm_start.ts";
import {
  DEFAULT_DIRECTION,
  directionOf,
  directionSchema,
  minimised,
  type StudyDirection,
} from "../smbo/_direction.ts";

/** One evaluated configuration of a past task. */
export interface PriorTrial {
  /** The configuration in the search space's own units. */
  params: Record<string, unknown>;
  /**
   * Its objective value (finite; lower is better: a task whose score was maximised keeps it
   * negated, as {@linkcode priorTaskFromStudy} and `priorTasksFromStorage` do).
   */
  value: number;
}

/** A past task: its trials and, when known, its meta-features. */
export interface PriorTask {
  /** Unique id within a store. */
  id: string;
  /** Evaluated configurations (at least one). */
  trials: readonly PriorTrial[];
  /** Named meta-features (NaN when unavailable). */
  metaFeatures?: Record<string, number>;
}

/** The JSON form of a {@linkcode TaskStore}. */
export interface TaskStoreJSON {
  /** Format version. */
  version: 1;
  /** The tasks; meta-features that are NaN are written as `null`. */
  tasks: { id: string; trials: PriorTrial[]; metaFeatures?: Record<string, number | null> }[];
}

const finite = z.number({ error: "must be a finite number" });
// Ids, parameter and meta-feature names are arbitrary strings (`constructor`, `__proto__`
// included): records go through ownRecordSchema, lookups through Map or Object.hasOwn.
const trialSchema = z.strictObject({
  params: ownRecordSchema(z.unknown()),
  value: finite,
});
const taskSchema = z.strictObject({
  id: z.string().min(1, "must not be empty"),
  trials: z.array(trialSchema).min(1, "needs at least one trial"),
  metaFeatures: ownRecordSchema(metaFeatureValueSchema).optional(),
});
/**
 * Tasks that follow `before` (a store's tasks: valid, with unique ids) in one list: each task
 * valid, and every id unique in the whole list. Issue paths index the tasks given, from 0; a
 * duplicate id names the earlier task as `label[i]`.
 */
function tasksAfter(before: readonly PriorTask[], label = "tasks") {
  return z.array(taskSchema).superRefine((tasks, ctx) => {
    // Where each id was seen last (an id repeated twice more names the previous repeat).
    const seen = new Map<string, number>(before.map((task, i) => [task.id, i]));
    tasks.forEach((task, i) => {
      const first = seen.get(task.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "id"],
          message: `duplicate id "${task.id}" (also ${label}[${first}])`,
        });
      }
      seen.set(task.id, before.length + i);
    });
  });
}
const tasksSchema = tasksAfter([]);
const storeSchema = z.strictObject({ version: z.literal(1), tasks: tasksSchema });

function copyTask(task: z.output<typeof taskSchema>): PriorTask {
  return {
    id: task.id,
    trials: task.trials.map((t) => ({ params: { ...t.params }, value: t.value })),
    ...(task.metaFeatures ? { metaFeatures: { ...task.metaFeatures } } : {}),
  };
}

/**
 * Freezes a task the store owns (a copy made by `copyTask`): the task, its trials array, each
 * trial and its params record, and its meta-features. The values inside params are the caller's
 * own (a store copies the records, not what they hold) and are left as they are.
 */
function freezeTask(task: PriorTask): PriorTask {
  for (const trial of task.trials) {
    Object.freeze(trial.params);
    Object.freeze(trial);
  }
  Object.freeze(task.trials);
  if (task.metaFeatures) Object.freeze(task.metaFeatures);
  return Object.freeze(task);
}

/**
 * Validated copies of `tasks` (see {@linkcode TaskStore.from} for `naming` and the errors), not
 * frozen: what `priorTaskFromStudy` and `priorTasksFromMetaDataset` hand to their callers.
 */
function validatedTasks(
  tasks: unknown,
  naming: { label?: string; trials?: string } = {},
): PriorTask[] {
  const label = naming?.label ?? "tasks";
  const trials = naming?.trials ?? "trials";
  const schema = label === "tasks" ? tasksSchema : tasksAfter([], label);
  const result = schema.safeParse(tasks, { reportInput: true });
  if (!result.success) {
    const issues = trials === "trials"
      ? result.error.issues
      : result.error.issues.map((issue) =>
        typeof issue.path[0] === "number" && issue.path[1] === "trials"
          ? { ...issue, path: [issue.path[0], trials, ...issue.path.slice(2)] }
          : issue
      );
    throw new TypeError(formatIssues(label, issues));
  }
  return result.data.map(copyTask);
}

/**
 * An immutable, validated collection of past tasks. Immutable all the way down: the `tasks`
 * array, each task, its `trials` array, each trial and its `params` record, and its
 * `metaFeatures` are frozen (assigning to them throws in strict code, as in every module), so
 * that what was validated is what the strategies read. The store copies the records it is given
 * (the caller's objects stay its own and unfrozen); values inside `params` are not copied.
 *
 * @example
 * ```ts
 * import { TaskStore } from "./store.ts";
 * const store = TaskStore.from([
 *   { id: "a", trials: [{ params: { x: 0.2 }, value: 1.5 }], metaFeatures: { n: 100 } },
 * ]);
 * const bigger = store.with({ id: "b", trials: [{ params: { x: 0.7 }, value: 0.3 }] });
 * bigger.toJSON(); // { version: 1, tasks: [...] }
 * ```
 */
export class TaskStore {
  /** The tasks, in insertion order. */
  readonly tasks: readonly PriorTask[];

  /** `tasks` are the store's own: copies of validated tasks, or tasks of a store (frozen). */
  private constructor(tasks: PriorTask[]) {
    this.tasks = Object.freeze(tasks.map((t) => Object.isFrozen(t) ? t : freezeTask(t)));
  }

  /**
   * Validates tasks (the user's own records); errors name the path of every bad field, e.g.
   * `tasks[2].trials[0].value`. A caller that built the tasks from its own objects names them as
   * those objects do: `naming.label` for the list (default `"tasks"`) and `naming.trials` for each
   * task's trials field (default `"trials"`), e.g. `{ label: "problems", trials: "history" }`
   * gives `problems[2].history[0].value`, in every issue of the message.
   *
   * @example
   * ```ts
   * import { TaskStore } from "./store.ts";
   * const bad = [{ id: "a", trials: [{ params: {}, value: NaN }] }];
   * // TaskStore.from(bad) throws "tasks[0].trials[0].value: must be a finite number";
   * // TaskStore.from(bad, { label: "problems", trials: "history" }) throws
   * // "problems[0].history[0].value: must be a finite number"
   * TaskStore.from([{ id: "a", trials: [{ params: {}, value: 1 }] }]).tasks.length; // 1
   * ```
   */
  static from(tasks: unknown, naming: { label?: string; trials?: string } = {}): TaskStore {
    return new TaskStore(validatedTasks(tasks, naming));
  }

  /** Reads the JSON form (see the module docs); errors name the path of the bad field. */
  static fromJSON(json: unknown): TaskStore {
    return new TaskStore(parseOrThrow(storeSchema, json, "taskStore").tasks.map(copyTask));
  }

  /**
   * A new store with more tasks appended (ids must stay unique). Only the added tasks are
   * checked (this store's are valid already), with the errors of `from` on the whole list
   * (`tasks[5].trials[0].value: …` for the first task added to a store of 5).
   */
  with(tasks: PriorTask | readonly PriorTask[]): TaskStore {
    const added = Array.isArray(tasks) ? tasks : [tasks];
    const offset = this.tasks.length;
    const result = tasksAfter(this.tasks).safeParse(added, { reportInput: true });
    if (!result.success) {
      const issues = result.error.issues.map((issue) =>
        typeof issue.path[0] === "number"
          ? { ...issue, path: [offset + issue.path[0], ...issue.path.slice(1)] }
          : issue
      );
      throw new TypeError(formatIssues("tasks", issues));
    }
    // This store's tasks are shared: the store never changes them.
    return new TaskStore([...this.tasks, ...result.data.map(copyTask)]);
  }

  /** The task with this id, if any. */
  get(id: string): PriorTask | undefined {
    return this.tasks.find((t) => t.id === id);
  }

  /** The JSON form (NaN meta-features written as `null`). */
  toJSON(): TaskStoreJSON {
    return {
      version: 1,
      tasks: this.tasks.map((task) => ({
        id: task.id,
        trials: task.trials.map((t) => ({ params: { ...t.params }, value: t.value })),
        ...(task.metaFeatures
          ? {
            metaFeatures: Object.fromEntries(
              Object.entries(task.metaFeatures).map(([k, v]) => [k, Number.isNaN(v) ? null : v]),
            ),
          }
          : {}),
      })),
    };
  }
}

/** Anything with trials: an `SMBO` study, a stored study or a `minimize` result. */
export interface StudyLike {
  /** Trials; only `complete` ones with a value are kept. */
  readonly trials: readonly { params: unknown; status: string; value?: number }[];
  /** Which way the study's objective improved (`SMBO` and stored studies have it). */
  readonly direction?: StudyDirection;
  /** The meta-features recorded with the study (a stored study has them when recorded). */
  readonly metaFeatures?: Record<string, number>;
  /**
   * The study of a `minimize` result, whose `direction` and `metaFeatures` are used when the
   * result has none.
   */
  readonly study?: {
    readonly direction?: StudyDirection;
    readonly metaFeatures?: Record<string, number>;
  };
}

/**
 * A past task from a finished study or `minimize` result: its complete trials (failed and
 * running ones are left out), with values lower-is-better as in every {@linkcode TaskStore}: the
 * values of a study whose `direction` (or its `study`'s, for a result) is `"maximize"` are
 * negated. A `direction` other than `"minimize"` or `"maximize"` is a `TypeError` naming it.
 * Its meta-features are `options.metaFeatures` when given, and otherwise those the study
 * records (a stored study's, or a stored `minimize` result's `study`'s), as
 * `priorTasksFromStorage` gives them; none when neither has any.
 *
 * @example
 * ```ts
 * import { priorTaskFromStudy } from "./store.ts";
 * const result = { trials: [{ params: { x: 0.1 }, status: "complete", value: 2 }] };
 * const task = priorTaskFromStudy("run-1", result, { metaFeatures: { n_rows: 500 } });
 * ```
 *
 * @example A maximised score is kept negated
 * ```ts
 * import { priorTaskFromStudy } from "./store.ts";
 * const study = {
 *   direction: "maximize" as const,
 *   trials: [{ params: { x: 0.1 }, status: "complete", value: 0.92 }],
 * };
 * priorTaskFromStudy("accuracy-run", study).trials[0].value; // -0.92
 * ```
 */
export function priorTaskFromStudy(
  id: string,
  study: StudyLike,
  options: { metaFeatures?: Record<string, number> } = {},
): PriorTask {
  if (!Array.isArray(study?.trials)) {
    throw new TypeError("priorTaskFromStudy.study: must have a trials array (a study or result)");
  }
  const direction = directionOf(study, "priorTaskFromStudy.study") ?? DEFAULT_DIRECTION;
  const trials = study.trials
    .filter((t) => t.status === "complete" && Number.isFinite(t.value))
    .map((t) => ({ params: t.params, value: minimised(t.value!, direction) }));
  if (trials.length === 0) {
    throw new RangeError(`priorTaskFromStudy(${id}): the study has no complete trial`);
  }
  const metaFeatures = options.metaFeatures ?? recordedMetaFeatures(study);
  return validatedTasks([{ id, trials, metaFeatures }])[0];
}

/** The meta-features a study (or a result's `study`) records, if any. */
function recordedMetaFeatures(study: StudyLike): Record<string, number> | undefined {
  const own = (study as { metaFeatures?: unknown }).metaFeatures;
  if (own !== undefined && own !== null) return own as Record<string, number>;
  const inner = (study.study as { metaFeatures?: unknown } | undefined)?.metaFeatures;
  return inner === undefined || inner === null ? undefined : inner as Record<string, number>;
}

/**
 * The plain JSON shape of a tabular meta-dataset accepted by
 * {@linkcode priorTasksFromMetaDataset}: one row per (task, configuration), the metric named by
 * the caller (e.g. `validation_error`); `null`, a missing metric or a non-finite number (NaN,
 * ±Infinity) marks a failed evaluation, which is left out; a task whose evaluations all failed is
 * left out with them (see {@linkcode priorTasksFromMetaDataset}). Meta-features per task are
 * optional: finite numbers, `null` for an unavailable one (±Infinity is refused).
 */
export interface MetaDatasetJSON {
  /** One evaluation per row. */
  rows: ({ task: string; config: Record<string, unknown> } & Record<string, unknown>)[];
  /** Meta-features per task id (`null` for unavailable). */
  metaFeatures?: Record<string, Record<string, number | null>>;
}

// Rows are checked field by field below (not with a loose zod object, which would drop an own
// `__proto__` key that may be the metric's name).
const metaDatasetRowSchema = z.unknown().superRefine((row, ctx) => {
  if (row === null || typeof row !== "object" || Array.isArray(row)) {
    ctx.addIssue({ code: "custom", message: "must be an object" });
    return;
  }
  const task = Object.hasOwn(row, "task") ? (row as { task: unknown }).task : undefined;
  if (typeof task !== "string" || task === "") {
    ctx.addIssue({ code: "custom", path: ["task"], message: "must be a non-empty string" });
  }
  const config = Object.hasOwn(row, "config") ? (row as { config: unknown }).config : undefined;
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    ctx.addIssue({ code: "custom", path: ["config"], message: "must be an object" });
  }
}).transform((row) => row as Record<string, unknown>);
const metaDatasetSchema = z.object({
  rows: z.array(metaDatasetRowSchema).min(1, "needs at least one row"),
  metaFeatures: ownRecordSchema(ownRecordSchema(metaFeatureValueSchema)).optional(),
}).loose();

/**
 * Prior tasks from a tabular meta-dataset (see {@linkcode MetaDatasetJSON}): rows grouped by task
 * in order of first appearance, `metric` as the value to minimise, or, with
 * `direction: "maximize"` (a score such as an accuracy), to maximise: its values are then negated,
 * since prior tasks are lower-is-better.
 *
 * Failed evaluations (a `null`, missing or non-finite metric) are left out, and so is a task all
 * of whose rows failed: it has nothing to learn from (a prior task needs at least one trial), as
 * `tabularProblems` and `leaveOneTaskOut` leave out a task without a finite value. Such a task is
 * absent from the result, which therefore may hold fewer tasks than the rows name: the tasks left
 * out are the rows' task ids missing from the result's ids (its meta-features, if given, are
 * checked all the same). When no row at all has a finite value of `metric`, there is no prior
 * task, most likely because the metric is named otherwise in the rows: a `RangeError` naming it.
 *
 * @example
 * ```ts
 * import { priorTasksFromMetaDataset } from "./store.ts";
 * const tasks = priorTasksFromMetaDataset({
 *   rows: [
 *     { task: "iris", config: { lr: 0.1 }, validation_error: 0.05 },
 *     { task: "iris", config: { lr: 1 }, validation_error: null },
 *     { task: "wine", config: { lr: 0.1 }, validation_error: null },
 *   ],
 *   metaFeatures: { iris: { n_rows: 150 } },
 * }, { metric: "validation_error" });
 * tasks.map((t) => t.id); // ["iris"]: every evaluation of "wine" failed
 * ```
 */
export function priorTasksFromMetaDataset(
  json: unknown,
  options: { metric: string; direction?: StudyDirection },
): PriorTask[] {
  const { metric, direction = "minimize" } = parseOrThrow(
    z.strictObject({
      metric: z.string().min(1, "must not be empty"),
      direction: directionSchema.optional(),
    }),
    options,
    "priorTasksFromMetaDataset.options",
  );
  const data = parseOrThrow(metaDatasetSchema, json, "metaDataset");
  const byTask = new Map<string, PriorTrial[]>();
  data.rows.forEach((row, i) => {
    const task = row.task as string;
    const value = Object.hasOwn(row, metric) ? row[metric] : undefined;
    if (value !== null && value !== undefined && typeof value !== "number") {
      throw new TypeError(
        `metaDataset.rows[${i}]${pathKey(metric)}: must be a number or null`,
      );
    }
    if (!byTask.has(task)) byTask.set(task, []);
    if (typeof value === "number" && Number.isFinite(value)) {
      byTask.get(task)!.push({
        params: row.config as Record<string, unknown>,
        value: minimised(value, direction),
      });
    }
  });
  const metaFeatures = new Map(Object.entries(data.metaFeatures ?? {}));
  for (const id of metaFeatures.keys()) {
    if (!byTask.has(id)) {
      throw new RangeError(`metaDataset.metaFeatures${pathKey(id)}: no rows for this task`);
    }
  }
  if (![...byTask.values()].some((trials) => trials.length > 0)) {
    // Nothing at all to learn from: more likely a misnamed metric than a meta-dataset of failures.
    throw new RangeError(
      `priorTasksFromMetaDataset: no row of metaDataset has a finite ${
        JSON.stringify(metric)
      } (every evaluation failed, or the metric is named otherwise in the rows)`,
    );
  }
  // A task whose rows all failed has no trial: left out (see the docs above).
  return validatedTasks(
    [...byTask].filter(([, trials]) => trials.length > 0).map(([id, trials]) => ({
      id,
      trials,
      ...(metaFeatures.has(id) ? { metaFeatures: metaFeatures.get(id) } : {}),
    })),
  );
}

/** `.key` for an identifier, `["any key"]` otherwise (error paths that stay unambiguous). */
function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Writes a store as JSON.
 *
 * @example
 * ```ts
 * import { saveTaskStore, TaskStore } from "./store.ts";
 * const store = TaskStore.from([{ id: "a", trials: [{ params: { x: 1 }, value: 0 }] }]);
 * saveTaskStore(store, await Deno.makeTempFile({ suffix: ".json" }));
 * ```
 */
export function saveTaskStore(store: TaskStore, path: string): void {
  if (!(store instanceof TaskStore)) {
    throw new TypeError("saveTaskStore.store: must be a TaskStore");
  }
  writeFileSync(path, JSON.stringify(store.toJSON()));
}

/**
 * Reads a store written by {@linkcode saveTaskStore}; errors name the file and the bad field.
 *
 * @example
 * ```ts
 * import { loadTaskStore, saveTaskStore, TaskStore } from "./store.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * saveTaskStore(TaskStore.from([{ id: "a", trials: [{ params: { x: 1 }, value: 0 }] }]), path);
 * loadTaskStore(path).tasks.length; // 1
 * ```
 */
export function loadTaskStore(path: string): TaskStore {
  let json: unknown;
  try {
    json = parseJson(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`loadTaskStore(${path}): ${(error as Error).message}`);
  }
  try {
    return TaskStore.fromJSON(json);
  } catch (error) {
    throw new TypeError(`${path}: ${(error as Error).message}`);
  }
}
