/**
 * The storage backends every contract test runs against. PostgreSQL runs only when
 * `METAHPO_TEST_POSTGRES` holds a server URL (e.g. `postgres://postgres@127.0.0.1:5432/test`);
 * otherwise its tests are reported as ignored. Each PostgreSQL test gets a fresh schema.
 *
 * @module
 */
import { importPostgres } from "../../lib/deps/postgres.ts";
import { openStorage, type OpenStorageOptions, type Storage } from "../../lib/storage/mod.ts";

/** The PostgreSQL server of the tests, if any. */
export const POSTGRES_URL = Deno.env.get("METAHPO_TEST_POSTGRES") ?? "";

/** A backend under test. */
export interface Backend {
  /** Name in test titles. */
  name: "memory" | "sqlite" | "postgres";
  /** True when the backend cannot run here (PostgreSQL without a server). */
  ignore: boolean;
  /** A fresh, empty storage URL (a new file, a new schema). */
  freshUrl(): Promise<string>;
  /** Drops what `freshUrl` created. */
  cleanup(url: string): Promise<void>;
}

let counter = 0;

/** A unique name for a PostgreSQL schema of one test. */
function schemaName(): string {
  return `mhpo_t_${Deno.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** `url` with a `schema` query parameter. */
export function withSchema(url: string, schema: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}schema=${schema}`;
}

/** Runs SQL on the test server directly (to drop schemas, break things). */
export async function postgresAdmin<T>(
  fn: (sql: (text: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>,
): Promise<T> {
  const postgres = await importPostgres();
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    return await fn(async (text, params = []) => [...await sql.unsafe(text, params as never[])]);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The three backends. */
export const BACKENDS: Backend[] = [
  {
    name: "memory",
    ignore: false,
    freshUrl: () => Promise.resolve("memory:"),
    cleanup: () => Promise.resolve(),
  },
  {
    name: "sqlite",
    ignore: false,
    freshUrl: async () => `sqlite:${await Deno.makeTempFile({ suffix: ".db" })}`,
    cleanup: async (url) => {
      const path = url.slice("sqlite:".length);
      for (const suffix of ["", "-wal", "-shm"]) {
        await Deno.remove(path + suffix).catch(() => {});
      }
    },
  },
  {
    name: "postgres",
    ignore: POSTGRES_URL === "",
    freshUrl: () => Promise.resolve(withSchema(POSTGRES_URL, schemaName())),
    cleanup: async (url) => {
      const schema = new URL(url).searchParams.get("schema")!;
      await postgresAdmin((sql) => sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  },
];

/** Opens a fresh storage of `backend`, runs `fn`, closes and cleans up. */
export async function withStorage(
  backend: Backend,
  fn: (storage: Storage, url: string) => Promise<void>,
  options: OpenStorageOptions = {},
): Promise<void> {
  const url = await backend.freshUrl();
  const storage = await openStorage(url, options);
  try {
    await fn(storage, url);
  } finally {
    await storage.close().catch(() => {});
    await backend.cleanup(url);
  }
}

/** Registers one test per backend, PostgreSQL ignored without a server. */
export function storageTest(
  name: string,
  fn: (backend: Backend) => Promise<void>,
  options: { backends?: Backend["name"][] } = {},
): void {
  for (const backend of BACKENDS) {
    if (options.backends && !options.backends.includes(backend.name)) continue;
    Deno.test({
      name: `${name} (${backend.name})`,
      ignore: backend.ignore,
      fn: () => fn(backend),
    });
  }
}
