/**
 * The SQLite driver of the study storage, on `node:sqlite`'s `DatabaseSync`: WAL journal (readers
 * never block the writer, a killed process loses no committed transaction), `BEGIN IMMEDIATE`
 * write transactions (one writer at a time across processes), a busy timeout, and prepared
 * statements cached per SQL text, and one connection per file and process (shared by every
 * storage of the process on that file). `memory:` storages use the same driver on `:memory:`.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { resolve } from "node:path";
import { StorageError } from "./errors.ts";
import { Mutex, type Row, type SqlDriver, type SqlTransaction, type SqlValue } from "./sql.ts";

/** Options of {@linkcode openSqlite}. */
export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing (default 30,000 ms). */
  busyTimeoutMs?: number;
  /** Create the file when it is missing (default true); false: a missing file is an error. */
  create?: boolean;
}

/** Default busy timeout of SQLite storages, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CORRUPT = 11;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Whether a `node:sqlite` error is SQLITE_BUSY or SQLITE_LOCKED. */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number })?.errcode;
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

/** Explains a `node:sqlite` error in a sentence that names the storage. */
export function sqliteError(label: string, error: unknown, busyTimeoutMs: number): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as { errcode?: number })?.errcode;
  const detail = (error as Error)?.message ?? String(error);
  let message: string;
  if (isBusy(error)) {
    message = `database is locked by another connection (waited ${busyTimeoutMs} ms): ${detail}`;
  } else if (code === SQLITE_NOTADB) {
    message = `not a SQLite database (the file is corrupt or of another format): ${detail}`;
  } else if (code === SQLITE_CORRUPT) {
    message = `the database file is corrupt: ${detail}`;
  } else if (code === SQLITE_CANTOPEN) {
    message = `cannot open the database file: ${detail}`;
  } else {
    message = detail;
  }
  return new StorageError(label, message, { cause: error });
}

class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  readonly label: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #mutex = new Mutex();
  readonly #busyTimeoutMs: number;
  #closed = false;

  constructor(db: DatabaseSync, label: string, busyTimeoutMs: number) {
    this.#db = db;
    this.label = label;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  #run(sql: string, params: readonly SqlValue[]): Row[] {
    if (this.#closed) throw new StorageError(this.label, "the storage is closed");
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement.all(...params) as Row[];
  }

  query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.#mutex.run(() => {
      try {
        return Promise.resolve(this.#run(sql, params));
      } catch (error) {
        return Promise.reject(sqliteError(this.label, error, this.#busyTimeoutMs));
      }
    });
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      const wrap = (error: unknown) => sqliteError(this.label, error, this.#busyTimeoutMs);
      try {
        this.#run("BEGIN IMMEDIATE", []);
      } catch (error) {
        throw wrap(error);
      }
      let result: T;
      try {
        result = await fn({
          query: (sql, params = []) => {
            try {
              return Promise.resolve(this.#run(sql, params));
            } catch (error) {
              return Promise.reject(wrap(error));
            }
          },
        });
      } catch (error) {
        try {
          if (this.#db.isTransaction) this.#run("ROLLBACK", []);
        } catch { /* the original error says more */ }
        throw error;
      }
      try {
        this.#run("COMMIT", []);
      } catch (error) {
        try {
          if (this.#db.isTransaction) this.#run("ROLLBACK", []);
        } catch { /* the original error says more */ }
        throw wrap(error);
      }
      return result;
    });
  }

  close(): Promise<void> {
    return this.#mutex.run(() => {
      if (!this.#closed) {
        this.#closed = true;
        this.#statements.clear();
        this.#db.close();
      }
      return Promise.resolve();
    });
  }
}

interface Shared {
  driver: SqliteDriver;
  handles: number;
}

/**
 * One connection per database file and process. `DatabaseSync` is synchronous: a second
 * connection of this process waiting on the first one's lock would block the only thread the
 * first needs to finish, so every storage of a process on one file shares a connection (and its
 * mutex, which serialises their transactions).
 */
const shared = new Map<string, Shared>();

/**
 * Opens a SQLite database file (created when missing, unless `create` is false) or, with `path`
 * `":memory:"`, an in-memory database, and sets WAL, `synchronous = NORMAL` and the busy timeout.
 * Errors name `label`.
 */
export function openSqlite(path: string, label: string, options: SqliteOptions = {}): SqlDriver {
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  if (options.create === false && path !== ":memory:") {
    try {
      Deno.statSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw sqliteError(label, error, busyTimeoutMs);
      throw new StorageError(label, `no database file at ${path} (nothing was created)`, {
        cause: error,
      });
    }
  }
  const key = path === ":memory:" ? undefined : resolve(path);
  let entry = key === undefined ? undefined : shared.get(key);
  if (!entry) {
    entry = {
      driver: new SqliteDriver(connect(path, label, busyTimeoutMs), label, busyTimeoutMs),
      handles: 0,
    };
    if (key !== undefined) shared.set(key, entry);
  }
  entry.handles++;
  const { driver } = entry;
  let closed = false;
  const check = () => {
    if (closed) throw new StorageError(label, "the storage is closed");
  };
  return {
    dialect: "sqlite",
    label,
    query: (sql, params) => {
      try {
        check();
      } catch (error) {
        return Promise.reject(error);
      }
      return driver.query(sql, params);
    },
    transaction: (fn) => {
      try {
        check();
      } catch (error) {
        return Promise.reject(error);
      }
      return driver.transaction(fn);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (--entry.handles === 0) {
        if (key !== undefined && shared.get(key) === entry) shared.delete(key);
        await driver.close();
      }
    },
  };
}

/**
 * Runs `fn`, retrying it while SQLite reports the database busy, with waits growing from 5 to
 * 100 ms, until `timeoutMs` have passed. Switching a new database file to WAL takes an exclusive
 * lock for which SQLite does not call the busy handler: when several processes open a new file
 * at once, all but one get SQLITE_BUSY at once, whatever the busy timeout.
 */
function retryWhileBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let wait = 5;; wait = Math.min(2 * wait, 100)) {
    try {
      return fn();
    } catch (error) {
      const left = deadline - Date.now();
      if (!isBusy(error) || left <= 0) throw error;
      // A synchronous sleep: the connection is opened synchronously (DatabaseSync).
      Atomics.wait(pause, 0, 0, Math.min(wait, left));
    }
  }
}

function connect(path: string, label: string, busyTimeoutMs: number): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    if (path !== ":memory:") {
      const wal = db;
      const mode = retryWhileBusy(
        () => wal.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode?: string },
        busyTimeoutMs,
      );
      if (mode?.journal_mode?.toLowerCase() !== "wal") {
        throw new StorageError(
          label,
          `could not switch to WAL (journal_mode ${mode?.journal_mode})`,
        );
      }
      db.exec("PRAGMA synchronous = NORMAL");
    }
    db.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    try {
      db?.close();
    } catch { /* already failing */ }
    throw sqliteError(label, error, busyTimeoutMs);
  }
  return db;
}
