/**
 * The SQLite driver of the study storage, on `node:sqlite`'s `DatabaseSync`: WAL journal (readers
 * never block the writer, a killed process loses no committed transaction), `BEGIN IMMEDIATE`
 * write transactions (one writer at a time across processes), a busy timeout, and prepared
 * statements cached per SQL text, and one connection per file and process (shared by every
 * storage of the process on that file). `memory:` storages use the same driver on `:memory:`.
 * With `readOnly`, a read-only connection of its own that changes nothing in the file (a WAL
 * database in a read-only directory, where SQLite cannot create its `-shm` file, is read from a
 * temporary copy).
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { StorageError } from "./errors.ts";
import { Mutex, type Row, type SqlDriver, type SqlTransaction, type SqlValue } from "./sql.ts";
import { noStorageError, SQLITE_SCHEMA_TABLE } from "./schema.ts";

/** Options of {@linkcode openSqlite}. */
export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing (default 30,000 ms). */
  busyTimeoutMs?: number;
  /**
   * Create the file when it is missing (default true); false: a missing file, or a file without
   * metahpo's tables, is an error, and the file is left as it was (its journal mode included).
   */
  create?: boolean;
  /**
   * Open the file read-only (default false): nothing is created or changed, and every write is
   * refused (SQLITE_READONLY). A missing file is an error.
   */
  readOnly?: boolean;
}

/** Default busy timeout of SQLite storages, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Whether a `node:sqlite` error is SQLITE_BUSY or SQLITE_LOCKED. */
function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number })?.errcode;
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

/**
 * Why SQLite cannot write the database file at `path` (resolved): the file, or its directory
 * (where SQLite creates the `-wal` and `-shm` files), is read-only (a read-only file system, or
 * no write permission); undefined when neither is. Tried, not guessed from permission bits: the
 * file is opened for writing (and closed, unchanged), and a temporary file is created in the
 * directory and removed.
 */
export function readOnlyReason(path: string): string | undefined {
  const file = resolve(path);
  const refused = (error: unknown) =>
    error instanceof Deno.errors.PermissionDenied ||
    ["EROFS", "EACCES", "EPERM"].includes((error as { code?: string })?.code ?? "");
  try {
    Deno.openSync(file, { write: true }).close();
  } catch (error) {
    if (refused(error)) return `the file ${file} is read-only`;
  }
  const dir = dirname(file);
  try {
    Deno.removeSync(Deno.makeTempFileSync({ dir, prefix: ".metahpo-write-test-" }));
  } catch (error) {
    if (refused(error)) {
      return `the directory ${dir} is read-only (SQLite creates ${basename(file)}-wal and ` +
        `${basename(file)}-shm next to the file)`;
    }
  }
  return undefined;
}

/**
 * Explains a `node:sqlite` error in a sentence that names the storage; given the database
 * `path`, a write that the file system refuses also names the read-only file or directory.
 */
export function sqliteError(
  label: string,
  error: unknown,
  busyTimeoutMs: number,
  path?: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const code = (error as { errcode?: number })?.errcode;
  const detail = (error as Error)?.message ?? String(error);
  const primary = code === undefined ? undefined : code & 0xff;
  const readOnly = (primary === SQLITE_READONLY || primary === SQLITE_CANTOPEN ||
      /readonly database|unable to open database file/.test(detail)) &&
      path !== undefined && path !== ":memory:"
    ? readOnlyReason(path)
    : undefined;
  let message: string;
  if (readOnly) {
    message = `${readOnly}: metahpo cannot write to it (read it with openStorage(url, ` +
      `{ readOnly: true }), as deno task studies list and export do): ${detail}`;
  } else if (primary === SQLITE_READONLY || /readonly database/.test(detail)) {
    message = `the database is read-only: ${detail}`;
  } else if (isBusy(error)) {
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
  /** The file, to name it when the file system refuses a write (undefined: read-only). */
  readonly #path?: string;
  /** Runs after the connection is closed (removes a temporary copy). */
  readonly #cleanup?: () => void;
  #closed = false;

  constructor(
    db: DatabaseSync,
    label: string,
    busyTimeoutMs: number,
    path?: string,
    cleanup?: () => void,
  ) {
    this.#db = db;
    this.label = label;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#path = path;
    this.#cleanup = cleanup;
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
        return Promise.reject(sqliteError(this.label, error, this.#busyTimeoutMs, this.#path));
      }
    });
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#inTransaction("BEGIN IMMEDIATE", fn);
  }

  read<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#inTransaction("BEGIN", fn);
  }

  /**
   * Runs `fn` between `begin` and COMMIT (ROLLBACK when it throws). The storage's transactions
   * await nothing but this connection's queries, which `DatabaseSync` runs at once: from BEGIN to
   * COMMIT no timer or I/O callback of the process runs, so a write transaction holds the file's
   * lock about as long as its statements take. (A process stopped meanwhile keeps holding it: the
   * others wait for the busy timeout, then fail.)
   */
  #inTransaction<T>(begin: string, fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      const wrap = (error: unknown) =>
        sqliteError(this.label, error, this.#busyTimeoutMs, this.#path);
      try {
        this.#run(begin, []);
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
        this.#cleanup?.();
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
 * `":memory:"`, an in-memory database, and sets WAL, `synchronous = NORMAL` and the busy timeout;
 * with `create: false`, only once the file is known to hold metahpo's tables, so that another
 * application's database is left as it was. With `readOnly`, a read-only connection of its own
 * that changes nothing. Errors name `label`.
 */
export function openSqlite(path: string, label: string, options: SqliteOptions = {}): SqlDriver {
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const readOnly = options.readOnly === true && path !== ":memory:";
  if ((options.create === false || readOnly) && path !== ":memory:") {
    try {
      Deno.statSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw sqliteError(label, error, busyTimeoutMs);
      throw new StorageError(label, `no database file at ${path} (nothing was created)`, {
        cause: error,
      });
    }
  }
  // A read-only connection is never shared: the writers of this process keep theirs.
  const key = path === ":memory:" ? undefined : `${readOnly ? "read-only " : ""}${resolve(path)}`;
  let entry = key === undefined ? undefined : shared.get(key);
  if (!entry) {
    const { db, cleanup } = readOnly
      ? connectReadOnly(path, label, busyTimeoutMs)
      : { db: connect(path, label, busyTimeoutMs, options.create !== false), cleanup: undefined };
    entry = {
      driver: new SqliteDriver(db, label, busyTimeoutMs, readOnly ? undefined : path, cleanup),
      handles: 0,
    };
    if (key !== undefined) shared.set(key, entry);
  }
  entry.handles++;
  const { driver } = entry;
  let closed = false;
  // A closed handle rejects every call; the shared connection may still serve other handles.
  const guarded = <T>(run: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(new StorageError(label, "the storage is closed")) : run();
  return {
    dialect: "sqlite",
    label,
    query: (sql, params) => guarded(() => driver.query(sql, params)),
    transaction: (fn) => guarded(() => driver.transaction(fn)),
    read: (fn) => guarded(() => driver.read(fn)),
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

/** Whether the database holds metahpo's tables (the `metahpo_schema` table). */
function holdsMetahpo(db: DatabaseSync): boolean {
  return db.prepare(SQLITE_SCHEMA_TABLE).get() !== undefined;
}

function connect(
  path: string,
  label: string,
  busyTimeoutMs: number,
  create: boolean,
): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    if (path !== ":memory:") {
      const wal = db;
      // Before anything that writes (the journal mode): another application's database, or an
      // empty file, opened with `create: false` must stay as it was.
      if (!create && !retryWhileBusy(() => holdsMetahpo(wal), busyTimeoutMs)) {
        throw noStorageError(label);
      }
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
    throw sqliteError(label, error, busyTimeoutMs, path);
  }
  return db;
}

/**
 * @internal Whether the file at `path` is a SQLite database holding metahpo's tables, read as
 * a read-only storage reads it (and changing nothing); false for a missing or unreadable file, or
 * any other database.
 */
export function holdsStorage(path: string): boolean {
  let connection: { db: DatabaseSync; cleanup?: () => void };
  try {
    // Without permission to read it, it is not known to hold one.
    if (!existsSync(path)) return false;
    connection = connectReadOnly(path, path, SQLITE_BUSY_TIMEOUT_MS);
  } catch {
    return false;
  }
  try {
    return connection.db.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metahpo_schema'",
    ).get() !== undefined;
  } catch {
    return false;
  } finally {
    connection.db.close();
    connection.cleanup?.();
  }
}

/**
 * A read-only connection to an existing file: no journal mode change, no write to the database.
 * It reads the file in place, so that it sees what writers commit while it is open. SQLite reads
 * a WAL database through its `-wal` and `-shm` files, which it creates next to the file when no
 * connection has them (as any SQLite reader does; they stay after it closes). In a directory
 * where it cannot create them (read-only, or without write permission: `SQLITE_CANTOPEN` or
 * `SQLITE_READONLY_DIRECTORY`), such a database, when it has no `-wal` or `-shm` file (no writer
 * has it open: every writer has both, and the last one to close folds the WAL into the file), is
 * read from a temporary copy, removed when the storage closes: a snapshot of the file as it was
 * opened. (`node:sqlite` under Deno's permissions opens no `file:` URI, so SQLite's `immutable`
 * flag is out of reach.)
 */
function connectReadOnly(
  path: string,
  label: string,
  busyTimeoutMs: number,
): { db: DatabaseSync; cleanup?: () => void } {
  const open = (target: string) => {
    const db = new DatabaseSync(target, { readOnly: true });
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
      // The first read opens the journal (and the -shm file of a WAL database).
      retryWhileBusy(() => db.prepare("SELECT count(*) FROM sqlite_master").get(), busyTimeoutMs);
    } catch (error) {
      try {
        db.close();
      } catch { /* already failing */ }
      throw error;
    }
    return db;
  };
  try {
    return { db: open(path) };
  } catch (error) {
    const file = resolve(path);
    const code = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    const cannotOpen = code === SQLITE_CANTOPEN || code === SQLITE_READONLY ||
      /unable to open database file/.test((error as Error).message ?? "");
    if (!cannotOpen || existsSync(`${file}-wal`) || existsSync(`${file}-shm`)) {
      throw sqliteError(label, error, busyTimeoutMs);
    }
  }
  let copy: string | undefined;
  const cleanup = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) {
      try {
        Deno.removeSync(copy + suffix);
      } catch { /* already gone */ }
    }
  };
  try {
    copy = Deno.makeTempFileSync({ prefix: "metahpo-read-only-", suffix: ".db" });
    Deno.copyFileSync(path, copy);
    // The copy has the file's mode: a read-only file's copy must be made writable to leave WAL.
    Deno.chmodSync(copy, 0o600);
    // The copy leaves WAL mode, so that reading it needs no -shm file either.
    const writable = new DatabaseSync(copy);
    try {
      writable.exec("PRAGMA journal_mode = DELETE");
    } finally {
      writable.close();
    }
    return { db: open(copy), cleanup };
  } catch (error) {
    if (copy !== undefined) cleanup();
    throw sqliteError(label, error, busyTimeoutMs);
  }
}
