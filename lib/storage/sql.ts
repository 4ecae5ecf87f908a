/**
 * The small SQL driver interface the relational storage is written against: parameterised
 * queries (`?` placeholders, numbered for PostgreSQL by the driver) and serialised transactions.
 * SQLite (`node:sqlite`) and PostgreSQL (`postgres`) implement it; the storage logic exists once.
 *
 * @module
 */

/** A query result row. */
export type Row = Record<string, unknown>;

/** A value a query parameter may take. */
export type SqlValue = string | number | null;

/** Runs queries inside one transaction. */
export interface SqlTransaction {
  /** Runs a parameterised query (`?` placeholders) and returns its rows. */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

/** A connection (or pool) to one database. */
export interface SqlDriver {
  /** SQL dialect, for the few statements that differ. */
  readonly dialect: "sqlite" | "postgres";
  /** The redacted storage URL, for error messages. */
  readonly label: string;
  /**
   * Runs `fn` in a write transaction: committed when it returns, rolled back when it throws.
   * Write transactions on one database are serialised (SQLite `BEGIN IMMEDIATE`; on PostgreSQL
   * the storage locks the study row first).
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a read-only transaction, so that all its queries read one snapshot of the
   * database, whatever commits meanwhile (SQLite: a deferred `BEGIN`, whose first read fixes the
   * snapshot of the WAL; PostgreSQL: `REPEATABLE READ READ ONLY`). It takes no write lock.
   */
  read<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Runs a read-only query outside any explicit transaction. */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/** A promise-based mutex: one holder at a time, in call order. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier holder has finished. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise((resolve) => release = resolve);
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
