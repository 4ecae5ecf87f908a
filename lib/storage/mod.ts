/**
 * Studies that survive: storages (`memory:`, `sqlite:<path>`, `postgres://...`), stored studies
 * with ask/tell, `minimize` on a stored study with many workers, the study listing, and the CSV
 * export of a study's trials ({@linkcode trialsToCSV}; JSON, the lossless form, is the study
 * record and its trials as `getStudy` and `trialsSince` give them).
 *
 * @example
 * ```ts
 * import { createStudy, openStorage } from "./mod.ts";
 * import { defineSpace, float } from "../space/mod.ts";
 * const storage = await openStorage("memory:");
 * const study = await createStudy({ storage, name: "a", space: defineSpace({ x: float(0, 1) }) });
 * const trial = await study.ask();
 * await study.tell(trial, trial.params.x);
 * (await storage.listStudies())[0].counts.complete; // 1
 * await storage.close();
 * ```
 *
 * @module
 */
export { redactUrl, StorageError, TrialLostError } from "./errors.ts";
export {
  type ClaimedTrial,
  type ClaimRequest,
  type ClaimResult,
  type FinishedOutcome,
  type NewStudy,
  type NewTrial,
  openStorage,
  type OpenStorageOptions,
  type Storage,
  type StoredTrial,
  type StoredTrialStatus,
  type StudyRecord,
  type StudySummary,
  workerId,
} from "./storage.ts";
export { SCHEMA_VERSION } from "./schema.ts";
export { trialsToCSV } from "./csv.ts";
export {
  createStudy,
  loadStudy,
  STORED_STUDY_DEFAULTS,
  StoredStudy,
  type StudyOptions,
} from "./study.ts";
export {
  minimizeStored,
  runWorkers,
  type RunWorkersOptions,
  type StoredMinimizeOptions,
  type StoredMinimizeResult,
  type StoredRunOptions,
  type WorkerExit,
} from "./run.ts";
export {
  compatibleSpaces,
  importTaskStore,
  priorTasksFromStorage,
  type PriorTasksFromStorageOptions,
} from "./experience.ts";

// Types that appear in this module's signatures (their home modules own them).
export type * from "../smbo/mod.ts";
export type { PriorTask, PriorTrial, TaskStore, TaskStoreJSON } from "../meta/mod.ts";
