/**
 * Storage failures are clear errors naming the storage, and lose nothing: a locked or corrupt
 * SQLite file, a schema newer than this metahpo, a PostgreSQL server going away mid-study (and
 * the study continuing once it is back).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createStudy, loadStudy, openStorage, StorageError } from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { BACKENDS, POSTGRES_URL, postgresAdmin, withSchema } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + p.y;

async function tempDb(): Promise<string> {
  return await Deno.makeTempFile({ suffix: ".db" });
}

async function removeDb(path: string) {
  for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
}

Deno.test("sqlite: a locked file is a clear error, and the study goes on once it is free", async () => {
  const path = await tempDb();
  try {
    const storage = await openStorage(`sqlite:${path}`, { busyTimeoutMs: 100 });
    const study = await createStudy({ storage, name: "s", space, proposer: randomSearch() });
    await study.tell(await study.ask(), 1);
    const locker = new DatabaseSync(path);
    locker.exec("BEGIN EXCLUSIVE");
    await assert.rejects(
      study.ask(),
      (e: Error) =>
        e instanceof StorageError && e.message.startsWith(`storage sqlite:${path}: `) &&
        /database is locked by another connection \(waited 100 ms\)/.test(e.message),
    );
    locker.exec("ROLLBACK");
    locker.close();
    await study.tell(await study.ask(), 2);
    assert.equal(study.trials.filter((t) => t.status === "complete").length, 2);
    await study.close();
    await storage.close();
    // a new file locked before the schema exists: opening it fails clearly
    const fresh = await tempDb();
    const holder = new DatabaseSync(fresh);
    holder.exec("PRAGMA journal_mode = WAL; CREATE TABLE other (x); BEGIN EXCLUSIVE");
    await assert.rejects(
      openStorage(`sqlite:${fresh}`, { busyTimeoutMs: 50 }),
      /database is locked/,
    );
    holder.exec("ROLLBACK");
    holder.close();
    (await openStorage(`sqlite:${fresh}`)).close();
    await removeDb(fresh);
  } finally {
    await removeDb(path);
  }
});

Deno.test("sqlite: a corrupt file is a clear error and is left as it was", async () => {
  const path = await tempDb();
  try {
    const junk = "this is not a SQLite database, it is a text file. ".repeat(200);
    await Deno.writeTextFile(path, junk);
    await assert.rejects(
      openStorage(`sqlite:${path}`),
      (e: Error) =>
        e instanceof StorageError && e.message.includes(path) &&
        /not a SQLite database/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(path), junk);
  } finally {
    await removeDb(path);
  }
});

Deno.test("sqlite: a newer schema is refused and left untouched", async () => {
  const path = await tempDb();
  try {
    const first = await minimize(f, space, {
      storage: `sqlite:${path}`,
      study: "s",
      budget: 3,
      proposer: randomSearch(),
    });
    await first.study.close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE metahpo_schema SET version = 99");
    db.close();
    await assert.rejects(
      openStorage(`sqlite:${path}`),
      (e: Error) =>
        e instanceof StorageError &&
        e.message === `storage sqlite:${path}: schema version 99 is newer than this metahpo ` +
            "supports (3); upgrade metahpo to open it (nothing was changed)",
    );
    const check = new DatabaseSync(path);
    assert.deepEqual(
      { ...check.prepare("SELECT version FROM metahpo_schema").get() },
      { version: 99 },
    );
    assert.deepEqual(
      {
        ...check.prepare("SELECT count(*) AS n FROM metahpo_trials WHERE status = 'complete'")
          .get(),
      },
      { n: 3 },
    );
    check.close();
  } finally {
    await removeDb(path);
  }
});

Deno.test("openStorage create: false opens an existing storage only and creates nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/typo.db`;
    await assert.rejects(openStorage(`sqlite:${missing}`, { create: false }), {
      name: "StorageError",
      message: `storage sqlite:${missing}: no database file at ${missing} (nothing was created)`,
    });
    const empty = `${dir}/empty.db`;
    await Deno.writeFile(empty, new Uint8Array());
    await assert.rejects(openStorage(`sqlite:${empty}`, { create: false }), {
      name: "StorageError",
      message: `storage sqlite:${empty}: holds no metahpo storage (no metahpo_schema table); ` +
        "nothing was created",
    });
    const check = new DatabaseSync(empty);
    assert.deepEqual({ ...check.prepare("SELECT count(*) AS n FROM sqlite_master").get() }, {
      n: 0,
    });
    check.close();
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
      "empty.db",
    ]);
    await assert.rejects(openStorage("sqlite:x.db", { create: "no" as never }), {
      name: "TypeError",
      message: "openStorage options.create: must be a boolean",
    });
    // an existing storage opens; memory: is always a new, empty one
    const path = `${dir}/tune.db`;
    await (await openStorage(`sqlite:${path}`)).close();
    const existing = await openStorage(`sqlite:${path}`, { create: false });
    assert.deepEqual(await existing.listStudies(), []);
    await existing.close();
    const memory = await openStorage("memory:", { create: false });
    assert.deepEqual(await memory.listStudies(), []);
    await memory.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const postgres = BACKENDS.find((b) => b.name === "postgres")!;

Deno.test({
  name: "postgres: a newer schema is refused; an unreachable server is a clear error",
  ignore: postgres.ignore,
  fn: async () => {
    const url = await postgres.freshUrl();
    try {
      (await openStorage(url)).close();
      const schema = new URL(url).searchParams.get("schema")!;
      await postgresAdmin((sql) => sql(`UPDATE "${schema}".metahpo_schema SET version = 99`));
      await assert.rejects(
        openStorage(url),
        (e: Error) => e instanceof StorageError && /schema version 99 is newer/.test(e.message),
      );
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      listener.close(); // nothing listens there now
      const target = new URL(POSTGRES_URL);
      await assert.rejects(
        openStorage(`postgres://${target.username}:secret@127.0.0.1:${port}/db`),
        (e: Error) =>
          e instanceof StorageError &&
          e.message.startsWith(
            `storage postgres://${target.username}:***@127.0.0.1:${port}/db: `,
          ) &&
          /refused/.test(e.message) && !e.message.includes("secret"),
      );
    } finally {
      await postgres.cleanup(url);
    }
  },
});

Deno.test({
  name: "postgres: create: false needs an existing schema and creates none",
  ignore: postgres.ignore,
  fn: async () => {
    const url = await postgres.freshUrl();
    const schema = new URL(url).searchParams.get("schema")!;
    const schemas = () =>
      postgresAdmin((sql) =>
        sql("SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1", [schema])
      );
    try {
      await assert.rejects(openStorage(url, { create: false }), {
        name: "StorageError",
        message: `storage ${url}: holds no metahpo storage (no metahpo_schema table); ` +
          "nothing was created",
      });
      assert.deepEqual(await schemas(), []);
      await (await openStorage(url)).close();
      const existing = await openStorage(url, { create: false });
      assert.deepEqual(await existing.listStudies(), []);
      await existing.close();
    } finally {
      await postgres.cleanup(url);
    }
  },
});

/** A TCP relay to the test server that can be cut and restored on the same port. */
class Relay {
  #listener?: Deno.Listener;
  #conns = new Set<Deno.Conn>();
  port = 0;
  readonly #target: { hostname: string; port: number };

  constructor(target: { hostname: string; port: number }) {
    this.#target = target;
  }

  start(): void {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.port = (this.#listener.addr as Deno.NetAddr).port;
    const listener = this.#listener;
    (async () => {
      try {
        for await (const conn of listener) {
          const upstream = await Deno.connect(this.#target);
          this.#conns.add(conn);
          this.#conns.add(upstream);
          const close = () => {
            for (const c of [conn, upstream]) {
              try {
                c.close();
              } catch { /* closed */ }
              this.#conns.delete(c);
            }
          };
          conn.readable.pipeTo(upstream.writable).catch(() => {}).finally(close);
          upstream.readable.pipeTo(conn.writable).catch(() => {}).finally(close);
        }
      } catch { /* listener closed */ }
    })();
  }

  stop(): void {
    try {
      this.#listener?.close();
    } catch { /* closed */ }
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    this.#conns.clear();
  }
}

Deno.test({
  name: "postgres: the server going away mid-study is a clear error; the study continues after",
  ignore: postgres.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const direct = await postgres.freshUrl();
    const target = new URL(POSTGRES_URL);
    const relay = new Relay({ hostname: target.hostname, port: Number(target.port || 5432) });
    relay.start();
    const viaRelay = new URL(direct);
    viaRelay.host = `127.0.0.1:${relay.port}`;
    const url = viaRelay.toString();
    try {
      const study = await createStudy({ storage: url, name: "s", space, proposer: randomSearch() });
      for (let i = 0; i < 3; i++) {
        const t = await study.ask();
        await study.tell(t, f(t.params));
      }
      const running = await study.ask();
      relay.stop();
      await assert.rejects(
        study.tell(running, f(running.params)),
        (e: Error) =>
          e instanceof StorageError && e.message.includes(`127.0.0.1:${relay.port}`) &&
          /closed|refused|reset|ended|destroyed/.test(e.message),
      );
      await assert.rejects(study.ask(), StorageError);
      relay.start();
      // the trial is still running and ours: telling it again succeeds
      await study.tell(running, f(running.params));
      await study.close();
      const result = await minimize(f, space, {
        storage: url,
        study: "s",
        budget: 8,
        proposer: randomSearch(),
      });
      assert.equal(result.trials.filter((t) => t.status === "complete").length, 8);
      await result.study.close();
      const reloaded = await loadStudy({ storage: direct, name: "s" });
      assert.equal(reloaded.trials.length, 8);
      await reloaded.close();
    } finally {
      relay.stop();
      await postgres.cleanup(direct);
    }
  },
});

Deno.test("with METAHPO_TEST_POSTGRES unset, the PostgreSQL tests are ignored, not passed", () => {
  assert.equal(postgres.ignore, POSTGRES_URL === "");
  assert.equal(withSchema("postgres://u@h/db", "s"), "postgres://u@h/db?schema=s");
  assert.equal(withSchema("postgres://u@h/db?a=1", "s"), "postgres://u@h/db?a=1&schema=s");
});
