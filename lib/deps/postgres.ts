/**
 * The pinned PostgreSQL client (`postgres`, porsager; Unlicense). The PostgreSQL storage loads it
 * on first use through a specifier built at run time, so that it stays out of the static module
 * graph: importing `mod.ts` does not download it unless a `postgres://` storage is opened.
 *
 * @module
 */
// deno-lint-ignore no-import-prefix -- type-only; the run-time import is below.
import type PostgresClient from "npm:postgres@3.4.9";

/** The npm package behind {@linkcode importPostgres}. */
export const POSTGRES_SOURCE = "npm:postgres@3.4.9";

/** The `postgres` client's factory function (`postgres(url, options)`). */
export type PostgresFactory = typeof PostgresClient;

/**
 * Loads the `postgres` client (installed into `DENO_DIR` on the first call, like any npm import).
 *
 * @example
 * ```ts ignore
 * import { importPostgres } from "./postgres.ts";
 * const postgres = await importPostgres();
 * const sql = postgres("postgres://postgres@127.0.0.1:5432/postgres");
 * ```
 */
export async function importPostgres(): Promise<PostgresFactory> {
  const specifier: string = POSTGRES_SOURCE;
  const module = await import(specifier) as { default: PostgresFactory };
  return module.default;
}
