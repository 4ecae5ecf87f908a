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

/**
 * The methods of a storage that take the caller's values and report bad ones as a `TypeError` or
 * `RangeError` naming them (see the `Storage` interface); the others take what a stored study
 * builds itself.
 */
const ARGUMENT_CHECKING_METHODS: ReadonlySet<string> = new Set([
  "createStudy",
  "addTrials",
  "setMetaFeatures",
  "setUserAttr",
  "setTrialUserAttr",
  "finish",
  "failTrial",
]);

/**
 * @internal What a stored study reports when method `method` of the storage at `url` threw
 * `error`: a {@linkcode StorageError} or {@linkcode TrialLostError} as it is, and so a `TypeError`
 * or `RangeError` of a method that takes the caller's values (a bad argument); any other error (a
 * custom storage's `Error("disk full")`, a thrown string) a `StorageError` naming the storage and
 * the method, with the original as its `cause`, so that it is reported as the built-in storages'
 * failures are.
 *
 * @example
 * ```ts
 * import { storageFailure } from "./errors.ts";
 * const error = storageFailure("custom:", "claim", new Error("disk full")) as Error;
 * error.message; // "storage custom:: claim failed: disk full"
 * ```
 */
export function storageFailure(url: string, method: string, error: unknown): unknown {
  if (error instanceof StorageError || error instanceof TrialLostError) return error;
  if (
    (error instanceof TypeError || error instanceof RangeError) &&
    ARGUMENT_CHECKING_METHODS.has(method)
  ) {
    return error;
  }
  let reason: string;
  try {
    reason = error instanceof Error ? String(error.message) : String(error);
  } catch {
    reason = "an error that cannot be described";
  }
  return new StorageError(redactUrl(String(url)), `${method} failed: ${reason}`, { cause: error });
}

/** A URL fit for messages: the password of `scheme://user:password@host` replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
