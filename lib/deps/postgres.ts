/**
 * The pinned PostgreSQL client (`postgres`, porsager). Imported lazily by the PostgreSQL storage
 * only (`import("../deps/postgres.ts")`), so that `mod.ts` does not load it unless a
 * `postgres://` storage is opened.
 *
 * @module
 */
export { default as postgres } from "npm:postgres@3.4.9";
