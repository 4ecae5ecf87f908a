/**
 * Errors of the study storages. Every error names the storage it comes from (its URL with any
 * password removed), so that a failure in a run with several storages is never ambiguous.
 *
 * @module
 */

/**
 * A storage could not do what was asked: unreachable server, locked or corrupt file, a schema
 * newer than this version of metahpo, a query that failed. `storage` is the redacted URL.
 *
 * @example
 * ```ts
 * import { StorageError } from "./errors.ts";
 * const error = new StorageError("sqlite:/tmp/x.db", "database is locked");
 * error.message; // "storage sqlite:/tmp/x.db: database is locked"
 * ```
 */
export class StorageError extends Error {
  /** The storage URL, without password. */
  readonly storage: string;

  /** Creates an error about `storage`; `cause` is the driver's own error, when any. */
  constructor(storage: string, message: string, options: { cause?: unknown } = {}) {
    super(`storage ${storage}: ${message}`, options);
    this.name = "StorageError";
    this.storage = storage;
  }
}

/**
 * A trial can no longer be told by this worker: it was already told, it was marked failed
 * (or queued again) because its worker stopped heart-beating for a lease period, or any handle
 * failed it (`StoredStudy.failTrial`, which throws it too for a trial already complete or
 * failed).
 *
 * @example
 * ```ts
 * import { TrialLostError } from "./errors.ts";
 * const error = new TrialLostError("study a: trial 3 is failed (worker w1 stopped heart-beating)");
 * error.name; // "TrialLostError"
 * ```
 */
export class TrialLostError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TrialLostError";
  }
}

/** A URL fit for messages: the password of `scheme://user:password@host` replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
