/**
 * The versioned relational schema of the study storage, shared by SQLite and PostgreSQL, and its
 * migrations, applied when a storage is opened. A database written by a newer metahpo (a higher
 * version) is refused with an error rather than read wrongly.
 *
 * Tables (prefixed `metahpo_` so that they can share a database with other tools):
 * - `metahpo_schema(version)`: one row;
 * - `metahpo_studies`: name (unique), direction (`minimize` or `maximize`: the way the study's
 *   objective improves, values being stored as the objective returned them; studies written by
 *   earlier versions are all `minimize`), space definition (JSON), settings (JSON: seed,
 *   initial design, failure policy, lease), meta-features (JSON), timestamps, `finished` (trials
 *   whose objective finished: complete, or failed but not lost) and `seq`, a per-study change
 *   counter that every write transaction increments (it also serialises writers on PostgreSQL,
 *   where the update locks the study row);
 * - `metahpo_trials`: per study, `number` from 0; status (`waiting`, `running`, `complete`,
 *   `failed`), params (JSON) and their SHA-256 key, value, error, source, seconds, worker,
 *   heartbeat, `lost` (failed because its worker stopped heart-beating), attempts, user attributes
 *   (JSON), timestamps (milliseconds since the epoch) and the `seq` of their creation and last
 *   change;
 * - `metahpo_study_attrs`: user attributes of a study (key → JSON), and metahpo's own state of the
 *   study under keys that start with U+FDD0, which user attributes cannot (the proposer's saved
 *   state, `\uFDD0proposer-state`, written with each model-based proposal, with
 *   `\uFDD0proposer-state-origin`, the trial it was recorded with and the state that proposal
 *   started from; `\uFDD0undone-proposals`, the lost trials whose proposals were made again;
 *   `\uFDD0redone-proposals`, which trial made each of them again);
 * - `metahpo_counters` (SQLite only, since version 2): `study_id`, the largest study id ever
 *   given. SQLite gives a new row the largest id in the table + 1, so without it a study created
 *   after the newest study was deleted would get the deleted study's id, and a handle of the
 *   deleted study would read and write the new one. PostgreSQL's `BIGSERIAL` never reuses an id.
 *
 * - version 3: no new table; a study's `direction` may be `"maximize"` (versions before read every
 *   study as minimising, so they refuse a version-3 database instead of reading it wrongly).
 *
 * Migrations only add (a table, never a changed or dropped column): a database of an older
 * version opens and is brought up to date in place, its data unchanged.
 *
 * @module
 */
import { StorageError } from "./errors.ts";
import type { SqlDriver, SqlTransaction } from "./sql.ts";

/** The schema version this metahpo writes and reads. */
export const SCHEMA_VERSION = 3;

function types(dialect: "sqlite" | "postgres") {
  return dialect === "sqlite"
    ? { id: "INTEGER PRIMARY KEY", big: "INTEGER", real: "REAL" }
    : { id: "BIGSERIAL PRIMARY KEY", big: "BIGINT", real: "DOUBLE PRECISION" };
}

/** Statements that bring a database from version `i` to `i + 1`, per dialect. */
const MIGRATIONS: ((dialect: "sqlite" | "postgres") => string[])[] = [
  (dialect) => {
    const t = types(dialect);
    return [
      `CREATE TABLE metahpo_studies (
        id ${t.id},
        name TEXT NOT NULL UNIQUE,
        direction TEXT NOT NULL,
        space TEXT,
        settings TEXT NOT NULL,
        meta_features TEXT,
        created_at ${t.big} NOT NULL,
        updated_at ${t.big} NOT NULL,
        seq ${t.big} NOT NULL,
        finished ${t.big} NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE metahpo_trials (
        study_id ${t.big} NOT NULL REFERENCES metahpo_studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        status TEXT NOT NULL,
        params TEXT NOT NULL,
        params_key TEXT NOT NULL,
        value ${t.real},
        error TEXT,
        source TEXT NOT NULL,
        seconds ${t.real},
        worker TEXT,
        lost INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        user_attrs TEXT NOT NULL DEFAULT '{}',
        created_at ${t.big} NOT NULL,
        started_at ${t.big},
        finished_at ${t.big},
        heartbeat ${t.big},
        created_seq ${t.big} NOT NULL,
        seq ${t.big} NOT NULL,
        PRIMARY KEY (study_id, number)
      )`,
      "CREATE INDEX metahpo_trials_seq ON metahpo_trials (study_id, seq)",
      "CREATE INDEX metahpo_trials_status ON metahpo_trials (study_id, status, number)",
      "CREATE INDEX metahpo_trials_key ON metahpo_trials (study_id, params_key)",
      `CREATE TABLE metahpo_study_attrs (
        study_id ${t.big} NOT NULL REFERENCES metahpo_studies(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (study_id, key)
      )`,
    ];
  },
  // 1 → 2: study ids that are never reused on SQLite (see the module documentation). The counter
  // starts at the largest id in use: ids of studies deleted before the upgrade are unknown, but
  // only a process of an older metahpo can still hold a handle of one.
  (dialect) =>
    dialect === "sqlite"
      ? [
        "CREATE TABLE metahpo_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO metahpo_counters (name, value) SELECT 'study_id', coalesce(max(id), 0) " +
        "FROM metahpo_studies",
      ]
      : [],
  // 2 → 3: no table changes. `metahpo_studies.direction` may now hold "maximize"; metahpo
  // before version 3 read every study as minimising, so it must refuse such a database rather
  // than steer a maximising study towards its worst values.
  () => [],
];

/** @internal The SQLite query that finds the `metahpo_schema` table (a row when it exists). */
export const SQLITE_SCHEMA_TABLE =
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'metahpo_schema'";

/**
 * @internal The error of opening, without creating, a database that holds no metahpo storage.
 */
export function noStorageError(label: string): StorageError {
  return new StorageError(
    label,
    "holds no metahpo storage (no metahpo_schema table); nothing was created",
  );
}

async function tableExists(driver: SqlDriver | SqlTransaction, dialect: string) {
  const rows = dialect === "sqlite"
    ? await driver.query(SQLITE_SCHEMA_TABLE)
    : await driver.query("SELECT to_regclass('metahpo_schema') AS name");
  return rows.length > 0 && rows[0].name !== null;
}

async function readVersion(q: SqlDriver | SqlTransaction): Promise<number> {
  const rows = await q.query("SELECT version FROM metahpo_schema");
  return rows.length === 0 ? 0 : Number(rows[0].version);
}

function checkVersion(driver: SqlDriver, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new StorageError(
      driver.label,
      `schema version ${version} is newer than this metahpo supports (${SCHEMA_VERSION}); ` +
        "upgrade metahpo to open it (nothing was changed)",
    );
  }
}

/**
 * Brings the database to {@linkcode SCHEMA_VERSION}, in one transaction (concurrent openers wait
 * for each other); throws a {@linkcode StorageError} when the database is newer, and, with
 * `create: false` (or `readOnly`), when it holds no metahpo storage yet (then nothing is
 * created). With `readOnly`, an older version is read as it is: migrations only add tables that
 * reading does not need.
 */
export async function migrate(
  driver: SqlDriver,
  options: { create?: boolean; readOnly?: boolean } = {},
): Promise<void> {
  if (await tableExists(driver, driver.dialect)) {
    const version = await readVersion(driver);
    checkVersion(driver, version);
    if (version === SCHEMA_VERSION || options.readOnly) return;
  } else if (options.create === false || options.readOnly) {
    throw noStorageError(driver.label);
  }
  await driver.transaction(async (tx) => {
    if (driver.dialect === "postgres") {
      await tx.query("SELECT pg_advisory_xact_lock(7274835619)");
    }
    await tx.query("CREATE TABLE IF NOT EXISTS metahpo_schema (version INTEGER NOT NULL)");
    const version = await readVersion(tx);
    checkVersion(driver, version);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      for (const statement of MIGRATIONS[v](driver.dialect)) await tx.query(statement);
    }
    await tx.query("DELETE FROM metahpo_schema");
    await tx.query("INSERT INTO metahpo_schema (version) VALUES (?)", [SCHEMA_VERSION]);
  });
}
