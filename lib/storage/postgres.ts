/**
 * The PostgreSQL driver of the study storage, on the `postgres` client (loaded on first use, so
 * that importing metahpo does not load it). A pool of connections; `?` placeholders become `$n`
 * parameters (values are never spliced into SQL text). `?schema=name` in the URL keeps the tables
 * in that schema (created when missing); the name is used exactly as written, upper case
 * included (a quoted identifier in `CREATE SCHEMA` and in the `search_path` alike).
 *
 * @module
 */
import { importPostgres } from "../deps/postgres.ts";
import { StorageError } from "./errors.ts";
import type { Row, SqlDriver, SqlTransaction, SqlValue } from "./sql.ts";

/** Options of {@linkcode openPostgres}. */
export interface PostgresOptions {
  /** Most connections in the pool (default 4). */
  maxConnections?: number;
  /** Seconds to wait for a connection to the server (default 10). */
  connectTimeoutSeconds?: number;
  /** Create the `?schema=` schema when it is missing (default true). */
  create?: boolean;
  /** Read-only sessions (`default_transaction_read_only`); creates nothing (default false). */
  readOnly?: boolean;
  /**
   * Seconds a transaction may stay idle between two of its statements (its process stopped, or
   * its event loop blocked) before the server ends it with its session (PostgreSQL's
   * `idle_in_transaction_session_timeout`; default
   * {@linkcode POSTGRES_IDLE_IN_TRANSACTION_SECONDS}). Every write to a study first locks the
   * study's row: without this, a worker frozen inside a transaction would stall every other worker
   * of the study for as long as it stays frozen. The transaction so ended commits nothing; when
   * its process goes on, it is run again (up to {@linkcode POSTGRES_TRANSACTION_ATTEMPTS} times in
   * all, then a {@linkcode StorageError}).
   */
  idleInTransactionTimeoutSeconds?: number;
}

/** Default {@linkcode PostgresOptions.idleInTransactionTimeoutSeconds}. */
export const POSTGRES_IDLE_IN_TRANSACTION_SECONDS = 10;

/** How many times a transaction that the server ended for idling is run in all. */
export const POSTGRES_TRANSACTION_ATTEMPTS = 3;

/** What a transaction of the `postgres` client is used for here. */
interface Unsafe {
  unsafe(query: string, parameters?: SqlValue[]): PromiseLike<Iterable<Row>>;
}

/** Error codes of the `postgres` client for a connection that the server closed. */
const LOST_CONNECTION = new Set(["CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]);

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "the server refused the connection",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "the host was not found",
  EHOSTUNREACH: "the host is unreachable",
  ETIMEDOUT: "the connection timed out",
  CONNECT_TIMEOUT: "the connection timed out",
  CONNECTION_CLOSED: "the server closed the connection",
  CONNECTION_DESTROYED: "the connection was destroyed",
  CONNECTION_ENDED: "the connection was ended",
  "57P01": "the server is shutting down",
  "57P02": "the server crashed",
  "57P03": "the server is not accepting connections yet",
  "3D000": "the database does not exist",
  "28P01": "password authentication failed",
  "28000": "the server rejected the login",
};

/** Explains a `postgres` client error in a sentence that names the storage. */
export function postgresError(label: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const code = String((error as { code?: string })?.code ?? "");
  const detail = (error as Error)?.message ?? String(error);
  const known = CONNECTION_CODES[code];
  return new StorageError(
    label,
    known ? `${known} (${code}: ${detail})` : `query failed: ${detail}`,
    { cause: error },
  );
}

function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Metahpo versions before schema names were quoted set the `search_path` unquoted, so that
 * PostgreSQL folded `?schema=MyProj` to `myproj`: opening a storage whose schema name has upper
 * case letters, where that schema holds no metahpo storage while the folded name holds one, is a
 * `StorageError` naming both, so that a rerun after an upgrade never starts a study over beside
 * the one it resumes (`create`: the open would create the schema), and a listing says where the
 * studies are.
 */
async function checkFoldedSchema(
  driver: SqlDriver,
  label: string,
  schema: string,
  create: boolean,
): Promise<void> {
  const folded = schema.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (folded === schema) return;
  const [row] = await driver.query(
    "SELECT to_regclass(?) IS NOT NULL AS named, to_regclass(?) IS NOT NULL AS folded",
    [`"${schema}".metahpo_schema`, `"${folded}".metahpo_schema`],
  );
  if (row.named || !row.folded) return;
  throw new StorageError(
    label,
    `schema "${schema}" holds no metahpo storage${
      create ? " (it would be created, empty)" : ""
    }, while schema ` +
      `"${folded}" holds one (metahpo versions before schema names were used as written folded ` +
      `?schema=${schema} to ${folded}): write ?schema=${folded} to open it (or rename the schema: ` +
      `ALTER SCHEMA ${folded} RENAME TO "${schema}"); nothing was created`,
  );
}

/** Opens a pool to `url` (`postgres://user[:password]@host[:port]/db[?schema=name]`). */
export async function openPostgres(
  url: string,
  label: string,
  options: PostgresOptions = {},
): Promise<SqlDriver> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError(label, "not a valid postgres:// URL");
  }
  const schema = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  if (schema !== null && !IDENTIFIER.test(schema)) {
    throw new StorageError(
      label,
      `schema ${JSON.stringify(schema)}: must be letters, digits and _ (not starting with a digit)`,
    );
  }
  const idleSeconds = options.idleInTransactionTimeoutSeconds ??
    POSTGRES_IDLE_IN_TRANSACTION_SECONDS;
  const idleMs = Math.max(1, Math.round(idleSeconds * 1000));
  const postgres = await importPostgres();
  const sql = postgres(parsed.toString(), {
    max: options.maxConnections ?? 4,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    idle_timeout: 30,
    onnotice: () => {},
    connection: {
      // Quoted, as in CREATE SCHEMA: unquoted, PostgreSQL would fold "MySchema" to "myschema".
      ...(schema ? { search_path: `"${schema}"` } : {}),
      ...(options.readOnly ? { default_transaction_read_only: true } : {}),
      // A frozen worker must not hold the study's row lock (and so every other worker) forever.
      idle_in_transaction_session_timeout: idleMs,
    },
  });
  /**
   * Runs `fn` in a transaction (`BEGIN <mode>`), again when the server ended it for idling (see
   * `idleInTransactionTimeoutSeconds`) before COMMIT was sent: it committed nothing then.
   */
  const inTransaction = async <T>(
    mode: string | undefined,
    fn: (tx: SqlTransaction) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 1;; attempt++) {
      const start = performance.now();
      // Whether COMMIT was sent: a transaction whose connection is lost before it committed
      // nothing, and runs again safely.
      let committing = false;
      const body = async (tx: Unsafe) => {
        const run = async (text: string, params: readonly SqlValue[] = []) =>
          [...await tx.unsafe(numbered(text), params as SqlValue[])] as Row[];
        const result = await fn({ query: run });
        // Long enough for the server to have ended it for idling (this process stopped, or its
        // event loop blocked, while a statement ran): a statement tells, before COMMIT.
        if (performance.now() - start >= idleMs) await run("SELECT 1");
        committing = true;
        return result;
      };
      try {
        return await (mode === undefined ? sql.begin(body) : sql.begin(mode, body)) as T;
      } catch (error) {
        if (error instanceof StorageError) throw error;
        if (error instanceof Error && !("code" in error)) throw error;
        const code = String((error as { code?: string }).code ?? "");
        const idled = LOST_CONNECTION.has(code) && performance.now() - start >= idleMs;
        if (idled && !committing && attempt < POSTGRES_TRANSACTION_ATTEMPTS) continue;
        if (idled && !committing) {
          throw new StorageError(
            label,
            `the server ended a transaction of this process ${attempt} times in a row, each ` +
              `idle for more than ${idleSeconds} s (idle_in_transaction_session_timeout: the ` +
              "process was stopped, or its event loop blocked, inside it); nothing of it was " +
              `committed (${code})`,
            { cause: error },
          );
        }
        throw postgresError(label, error);
      }
    }
  };
  const driver: SqlDriver = {
    dialect: "postgres",
    label,
    async query(text: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      try {
        return [...await sql.unsafe(numbered(text), params as SqlValue[])] as Row[];
      } catch (error) {
        throw postgresError(label, error);
      }
    },
    transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return inTransaction(undefined, fn);
    },
    read<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return inTransaction("ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
    },
    async close(): Promise<void> {
      await sql.end({ timeout: 5 });
    },
  };
  try {
    const create = options.create !== false && !options.readOnly;
    if (schema) await checkFoldedSchema(driver, label, schema, create);
    if (schema && create) {
      try {
        await driver.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      } catch (error) {
        // Two first openers at once: one creates it, the other hits the unique index.
        const code = ((error as Error).cause as { code?: string } | undefined)?.code;
        if (code !== "23505" && code !== "42P06") throw error;
      }
    } else {
      await driver.query("SELECT 1");
    }
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw error;
  }
  return driver;
}
