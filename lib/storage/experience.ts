/**
 * Finished studies as experience: the prior tasks that transfer strategies learn from
 * ({@linkcode priorTasksFromStorage}, used by `transferOptionsFromStorage(storage, space, ...)`),
 * and the import of a `TaskStore` into a storage ({@linkcode importTaskStore}).
 *
 * Which studies of a storage become prior tasks for a search space:
 * 1. the study is finished, as of the moment it is read: at least one trial is complete and no
 *    trial is running under a live lease. A running trial whose worker's last heart-beat is older
 *    than the study's `leaseSeconds` (60 by default) counts as lost, as the next claim would give
 *    it up: a study whose process was killed and never resumed is experience once its lease has
 *    passed (its complete trials; the lost one is not). Drawn but unused `waiting` trials do not
 *    count (a study stopped by `timeout` is finished). The lease is judged on this process's
 *    clock against the heart-beats' times, which on PostgreSQL are the server's: clocks apart by
 *    more than a few seconds move that moment by as much. No study records that its run is over,
 *    so a study that another process is still running counts when it is read between two of its
 *    trials (no trial running) and not while one runs: read experience when the studies it
 *    should hold are done, or name the others in `exclude`;
 * 2. its stored space has the same parameter names as the target space, each of the same kind
 *    (`float`, `int`, `categorical`, `fixed`); bounds, scales and choices may differ;
 * 3. its complete trials whose configuration the target space accepts (inside its bounds, a
 *    known choice) are kept; a study with none left is skipped. A value of a grid parameter of
 *    the target space that the on-grid check of earlier metahpo versions accepts (within
 *    `STORED_GRID_TOLERANCE` · max(1, levels) steps of a grid point: `0.3333333333` for a step of
 *    1/3; on a grid so fine that this reaches half a step, any value inside the bounds, such as a
 *    continuous study's) is kept at that grid point;
 * 4. studies named in `exclude` are skipped. Name there the study about to run: resumed by
 *    rerunning the same call once it has stopped, it is finished, and would otherwise be one of
 *    its own past tasks (a stored study refuses a rerun whose options then differ from its own
 *    in their initial configurations or design size: see `createStudy`'s
 *    `initialConfigurations`).
 *
 * Meta-features follow the rule of a `TaskStore` (`alignMetaFeatures`): each study keeps the
 * meta-features it recorded, whatever their names. When the new task's meta-features are given,
 * a name a study lacks (every name, for a study without meta-features) is unavailable there (NaN,
 * left out of its distances) and names beyond the new task's are not used; when no study taken
 * has any of the new task's names, nothing could be compared, and that is a `RangeError` naming
 * the storage, as it is for a `TaskStore` whose tasks share no name with them. Meta-feature
 * names that differ never turn the transfer off silently.
 *
 * Past tasks are lower-is-better, as a `TaskStore`'s: the values of a study run with
 * `direction: "maximize"` are negated (an accuracy of 0.9 becomes −0.9), so that studies of either
 * direction are one kind of experience and transfer to a new study of either direction.
 *
 * No study left (a project's first study) gives an empty list, and
 * `transferOptionsFromStorage(storage, …)` then gives plain GP-BO.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import type { PriorTask } from "../meta/store.ts";
import { TaskStore } from "../meta/store.ts";
import type { EncodableSpace } from "../smbo/study.ts";
import {
  openStorage,
  type OpenStorageOptions,
  type Storage,
  type StoredTrial,
  type StudySummary,
} from "./storage.ts";
import { STORED_STUDY_DEFAULTS } from "./study.ts";
import { storedNameSchema } from "./_validate.ts";
import { SMBO_DEFAULTS } from "../smbo/study.ts";
import { minimised } from "../smbo/_direction.ts";
import { alignMetaFeatures, metaFeatureValuesSchema } from "../meta/warm_start.ts";
import { parseOrThrow } from "../validate.ts";
import { StorageError } from "./errors.ts";
import { Space } from "../space/space.ts";

/** Options of {@linkcode priorTasksFromStorage}. */
export interface PriorTasksFromStorageOptions {
  /**
   * Names of studies to leave out: the study about to run (a rerun that resumes it would
   * otherwise learn from it), and any other.
   */
  exclude?: readonly string[];
  /**
   * The new task's meta-features: checked against the studies taken (a `RangeError` when none of
   * them has any of these names, see the module docs); they select no study.
   */
  metaFeatures?: Record<string, number>;
}

/** The fields of {@linkcode PriorTasksFromStorageOptions}; strict, so a misspelt key is an error. */
const priorTasksOptionsSchema = z.strictObject({
  exclude: z.array(z.string()).optional(),
  metaFeatures: metaFeatureValuesSchema.optional(),
});

/** The options of {@linkcode importTaskStore}; strict, so a misspelt key is an error. */
const importOptionsSchema = z.strictObject({
  space: z.custom<{ toJSON(): unknown }>(
    (space) => typeof (space as { toJSON?: unknown } | null)?.toJSON === "function",
    "required (a space from defineSpace)",
  ),
});

function kinds(json: unknown): Map<string, string> | undefined {
  const params = (json as { params?: unknown })?.params;
  if (!Array.isArray(params)) return undefined;
  return new Map(params.map((p) => [String(p?.name), String(p?.kind)]));
}

/** Whether a stored space has the target's parameter names, each of the same kind. */
export function compatibleSpaces(stored: unknown, target: unknown): boolean {
  const a = kinds(stored);
  const b = kinds(target);
  if (!a || !b || a.size !== b.size) return false;
  for (const [name, kind] of b) if (a.get(name) !== kind) return false;
  return true;
}

/**
 * The finished studies of a storage that fit `space`, as prior tasks (id = study name, with
 * their meta-features when recorded; NaN for an unavailable one; values lower-is-better, a
 * maximising study's negated); see the module docs for the rule, and for `options.metaFeatures`,
 * which throw a `RangeError` when no study taken has any of their names. An empty list when none
 * fits: the tasks `transferOptionsFromStorage(storage, …)` would learn from, so its length tells
 * whether a transfer will use any past task. `storage` is an open storage, used as it is, or a
 * URL (`sqlite:tune.db`, as `minimize`'s `storage` option takes), which is opened read-only for
 * the call and closed when done: reading creates nothing, so a URL of no storage (a missing
 * SQLite file, a file or PostgreSQL schema without metahpo's tables) is a `StorageError` naming
 * it, as `deno task studies` reports it, while a storage without studies gives an empty list.
 * Anything else is a `TypeError` naming `priorTasksFromStorage.storage`; an unknown or malformed
 * option is a `TypeError` naming it (`priorTasksFromStorage options.exlude: unknown key`), before
 * the storage is opened.
 *
 * @example
 * ```ts
 * import { priorTasksFromStorage } from "./experience.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { openStorage } from "./storage.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const space = defineSpace({ x: float(0, 1) });
 * const past = await minimize((p) => (p.x - 0.3) ** 2, space, {
 *   storage, study: "past", budget: 6, metaFeatures: { n_rows: 100 },
 * });
 * const tasks = await priorTasksFromStorage(storage, space);
 * tasks[0].id; // "past"
 * await past.study.close();
 * await storage.close();
 * ```
 *
 * @example A maximising study's values come negated
 * ```ts
 * import { priorTasksFromStorage } from "./experience.ts";
 * import { minimize } from "../smbo/minimize.ts";
 * import { openStorage } from "./storage.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const space = defineSpace({ x: float(0, 1) });
 * const past = await minimize((p) => 1 - (p.x - 0.3) ** 2, space, {
 *   storage, study: "accuracy", budget: 6, direction: "maximize",
 * });
 * const [task] = await priorTasksFromStorage(storage, space);
 * task.trials[0].value === -past.trials[0].value!; // true: lower is better
 * await past.study.close();
 * await storage.close();
 * ```
 */
export async function priorTasksFromStorage<P>(
  storage: Storage | string,
  space: EncodableSpace<P>,
  options: PriorTasksFromStorageOptions = {},
): Promise<PriorTask[]> {
  return await priorTasksFor("priorTasksFromStorage", storage, space, options);
}

/**
 * @internal {@linkcode priorTasksFromStorage} with its errors labelled `fn`, the function the
 * caller called (`transferOptionsFromStorage` reads its past tasks through it).
 */
export async function priorTasksFor<P>(
  fn: string,
  storage: Storage | string,
  space: EncodableSpace<P>,
  options: PriorTasksFromStorageOptions = {},
): Promise<PriorTask[]> {
  const parsed = parseOrThrow(priorTasksOptionsSchema, options, `${fn} options`);
  return await withStorage(
    storage,
    fn,
    (s) => priorTasksOf(fn, s, space, parsed),
    // A read: a mistyped path is an error, not a new empty database.
    { readOnly: true },
  );
}

/**
 * Runs `use` on `storage`: an open storage as it is, or a URL opened with `open` for the call and
 * closed when done; anything else is a `TypeError` naming `<fn>.storage`.
 */
async function withStorage<T>(
  storage: Storage | string,
  fn: string,
  use: (storage: Storage) => Promise<T>,
  open: OpenStorageOptions = {},
): Promise<T> {
  if (typeof storage !== "string") {
    const s = storage as Partial<Storage> | null | undefined;
    if (
      typeof s !== "object" || s === null || typeof s.createStudy !== "function" ||
      typeof s.listStudies !== "function" || typeof s.trialsSince !== "function"
    ) {
      throw new TypeError(
        `${fn}.storage: must be a storage or a storage URL (memory:, sqlite:<path>, ` +
          `postgres://...), got ${
            s === null
              ? "null"
              : Array.isArray(s)
              ? "an array"
              : typeof s === "object"
              ? "an object without a storage's methods"
              : typeof s
          }`,
      );
    }
    return await use(storage);
  }
  const opened = await openStorage(storage, open);
  try {
    return await use(opened);
  } finally {
    await opened.close();
  }
}

async function priorTasksOf<P>(
  fn: string,
  storage: Storage,
  space: EncodableSpace<P>,
  options: PriorTasksFromStorageOptions,
): Promise<PriorTask[]> {
  const target = (space as { toJSON?: () => unknown }).toJSON?.();
  if (target === undefined) {
    throw new TypeError(`${fn}.space: must have a JSON form (use defineSpace)`);
  }
  const tasks: PriorTask[] = [];
  for (const study of await storage.listStudies()) {
    if (study.counts.complete === 0 || options.exclude?.includes(study.name)) continue;
    if (!compatibleSpaces(study.space, target)) continue;
    const { trials } = await storage.trialsSince(study.id, 0);
    if (!finished(study, trials, Date.now())) continue;
    const kept = trials.flatMap((t) => {
      if (t.status !== "complete" || !Number.isFinite(t.value)) return [];
      // A grid value that earlier metahpo versions accepted (SpaceReadOptions) is kept, at its
      // grid point of the target space; a configuration outside it is left out (rule 3).
      const params = readConfiguration(space, t.params);
      return params === undefined ? [] : [{ params, value: minimised(t.value!, study.direction) }];
    });
    if (kept.length === 0) continue;
    tasks.push({
      id: study.name,
      trials: kept,
      ...(study.metaFeatures ? { metaFeatures: study.metaFeatures } : {}),
    });
  }
  if (options.metaFeatures !== undefined && tasks.length > 0) {
    // The rule and the error of a TaskStore's tasks (see the module docs).
    try {
      alignMetaFeatures(
        options.metaFeatures,
        tasks.map((t) => ({ ...t, points: [], values: new Float64Array(0) })),
      );
    } catch (error) {
      throw new RangeError(
        `${fn}(${storage.url}).options.${(error as Error).message}`,
      );
    }
  }
  return tasks;
}

/**
 * A stored configuration as the target space reads it: a `Space` takes a grid value that earlier
 * metahpo versions accepted at its grid point (`SpaceReadOptions`, `storedGrid: "snap"`, so that
 * the transfer encodes it as new input); undefined when the space refuses it.
 */
function readConfiguration<P>(
  space: EncodableSpace<P>,
  params: unknown,
): Record<string, unknown> | undefined {
  try {
    return (space instanceof Space
      ? space.validate(params, { storedGrid: "snap" })
      : space.validate(params)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Whether a study is finished at time `now` (ms since the epoch): a trial is complete, and every
 * running trial's worker stopped heart-beating for longer than the study's lease, as a claim
 * judges it (see the module docs).
 */
function finished(study: StudySummary, trials: readonly StoredTrial[], now: number): boolean {
  const lease = (study.settings as { leaseSeconds?: unknown }).leaseSeconds;
  const leaseMs = 1000 *
    (typeof lease === "number" && lease > 0 ? lease : STORED_STUDY_DEFAULTS.leaseSeconds);
  return trials.some((t) => t.status === "complete") &&
    trials.every((t) => t.status !== "running" || now - (t.heartbeat ?? 0) > leaseMs);
}

/**
 * Imports a {@linkcode TaskStore} (or its JSON form) into a storage: each task becomes a finished
 * study named after its id, in `space`, with its trials complete and its meta-features recorded;
 * the studies minimise, as a store's values are lower-is-better.
 * Every task is checked before anything is written: a configuration outside `space` or a task id
 * a storage cannot keep as a study name (empty, or with NUL) is a `TypeError` naming each such
 * task and field (`importTaskStore: tasks "b".trials[0].params: params.x: must be in [0, 1]; no
 * task was imported`), and nothing is imported. Each study is then imported in one transaction,
 * with all its trials: an import interrupted (even by `kill -9`) leaves each study whole or
 * absent, and a rerun imports the missing ones; a storage failing meanwhile is an error naming
 * the tasks imported, skipped and not imported.
 * Tasks whose study exists already are skipped (returned in `skipped`). `storage` is an open
 * storage or a URL (`sqlite:tune.db`, as `minimize`'s `storage` option takes), which is opened
 * (created when missing, as `minimize` creates it) for the call and closed when done; anything
 * else is a `TypeError` naming `importTaskStore.storage`. `options` takes `space` only: another
 * key is a `TypeError` naming it (`importTaskStore options.spase: unknown key`).
 *
 * @example
 * ```ts
 * import { importTaskStore } from "./experience.ts";
 * import { TaskStore } from "../meta/store.ts";
 * import { openStorage } from "./storage.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const store = TaskStore.from([{ id: "iris", trials: [{ params: { x: 0.2 }, value: 0.1 }] }]);
 * await importTaskStore(storage, store, { space: defineSpace({ x: float(0, 1) }) });
 * (await storage.listStudies())[0].counts.complete; // 1
 * await storage.close();
 * ```
 */
export async function importTaskStore<P>(
  storage: Storage | string,
  store: TaskStore | unknown,
  options: { space: EncodableSpace<P> },
): Promise<{ imported: string[]; skipped: string[] }> {
  const json = parseOrThrow(importOptionsSchema, options, "importTaskStore options").space.toJSON();
  const space = options.space;
  const tasks = store instanceof TaskStore ? store : TaskStore.fromJSON(store);
  return await withStorage(storage, "importTaskStore", (s) => importTasks(s, tasks, space, json));
}

async function importTasks<P>(
  storage: Storage,
  tasks: TaskStore,
  space: EncodableSpace<P>,
  json: unknown,
): Promise<{ imported: string[]; skipped: string[] }> {
  // Every task is checked before anything is written: bad data imports nothing.
  const problems: string[] = [];
  const checked = tasks.tasks.map((task) => {
    const id = JSON.stringify(task.id);
    const name = storedNameSchema.safeParse(task.id);
    if (!name.success) problems.push(`tasks ${id}.id: ${name.error.issues[0].message}`);
    const params = task.trials.map((t, i) => {
      try {
        return space.validate(t.params) as Record<string, unknown>;
      } catch (error) {
        problems.push(`tasks ${id}.trials[${i}].params: ${(error as Error).message}`);
        return {};
      }
    });
    return { task, params };
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join("; ") +
      (problems.length > 5 ? `; and ${problems.length - 5} more` : "");
    throw new TypeError(`importTaskStore: ${shown}; no task was imported`);
  }
  const imported: string[] = [];
  const skipped: string[] = [];
  for (const [k, { task, params }] of checked.entries()) {
    let created: boolean;
    try {
      ({ created } = await storage.createStudy(
        {
          name: task.id,
          space: json,
          settings: {
            seed: 0,
            initialDesign: SMBO_DEFAULTS.initialDesign,
            initialDesignSize: 0,
            failedTrials: SMBO_DEFAULTS.failedTrials,
            leaseSeconds: 60,
            requeue: false,
            imported: true,
          },
          metaFeatures: task.metaFeatures,
        },
        // The trials complete with their values, in the transaction that creates the study: an
        // import interrupted at any point leaves either no study or the whole one, so that a rerun
        // imports what is missing.
        params.map((p, i) => ({ params: p, source: "enqueued", value: task.trials[i].value })),
        { loadIfExists: true },
      ));
    } catch (error) {
      // The storage failed (unreachable, locked, ...): the error says what it holds now.
      const names = (ids: readonly string[]) =>
        ids.length === 0 ? "none" : ids.map((id) => JSON.stringify(id)).join(", ");
      const message =
        `importTaskStore: task ${JSON.stringify(task.id)} was not imported (${
          (error as Error).message
        }); imported: ${names(imported)}; skipped (already there): ${names(skipped)}; not ` +
        `imported: ${names(checked.slice(k).map((c) => c.task.id))} (a rerun imports them)`;
      throw error instanceof StorageError
        ? new StorageError(storage.url, message, { cause: error })
        : new Error(message, { cause: error });
    }
    if (!created) {
      skipped.push(task.id);
      continue;
    }
    imported.push(task.id);
  }
  return { imported, skipped };
}
