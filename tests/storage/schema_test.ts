/**
 * The versioned schema: a database of an older version opens, is upgraded in place and keeps its
 * data (texts an older metahpo wrote with a NUL included), and study ids are never reused.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage, SCHEMA_VERSION } from "../../lib/storage/mod.ts";
import { BACKENDS, postgresAdmin } from "./_backends.ts";

const sqlite = BACKENDS.find((b) => b.name === "sqlite")!;

/** The rows of a query, as plain objects. */
function rows(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path);
  try {
    return db.prepare(sql).all().map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

Deno.test("sqlite: a version 1 database is upgraded in place, keeps its data and reuses no id", async () => {
  const url = await sqlite.freshUrl();
  const path = url.slice("sqlite:".length);
  try {
    const storage = await openStorage(url);
    for (const name of ["a", "b", "c"]) {
      await storage.createStudy({ name, space: null, settings: { name } }, [
        { params: { x: 1 }, source: "enqueued" },
      ]);
    }
    await storage.close();
    // Version 1 had no counter; an older metahpo wrote NUL into a name and an error text as is.
    const db = new DatabaseSync(path);
    db.exec("DROP TABLE metahpo_counters; UPDATE metahpo_schema SET version = 1");
    db.prepare("UPDATE metahpo_studies SET name = ? WHERE name = 'b'").run("b\u0000hidden");
    db.prepare(
      "UPDATE metahpo_trials SET status = 'failed', error = ?, finished_at = 1 WHERE study_id = 1",
    ).run("Error: line1\u0000hidden tail");
    db.close();

    const upgraded = await openStorage(url);
    assert.equal(SCHEMA_VERSION, 3);
    assert.deepEqual(rows(path, "SELECT version FROM metahpo_schema"), [{ version: 3 }]);
    assert.deepEqual(rows(path, "SELECT name, value FROM metahpo_counters"), [
      { name: "study_id", value: 3 },
    ]);
    const list = await upgraded.listStudies();
    assert.deepEqual(list.map((s) => [s.id, s.name, s.settings]), [
      [1, "a", { name: "a" }],
      [2, "b\u0000hidden", { name: "b" }],
      [3, "c", { name: "c" }],
    ]);
    // Studies of earlier versions minimise.
    assert.deepEqual(list.map((s) => s.direction), ["minimize", "minimize", "minimize"]);
    assert.equal((await upgraded.getStudy("b\u0000hidden"))?.id, 2);
    const { trials } = await upgraded.trialsSince(1, 0);
    assert.equal(trials[0].error, "Error: line1\u0000hidden tail");
    // the newest study deleted: its id is not given again
    assert.equal(await upgraded.deleteStudy("c"), true);
    const { study } = await upgraded.createStudy({ name: "d", space: null, settings: {} }, []);
    assert.equal(study.id, 4);
    assert.equal(await upgraded.deleteStudy("b\u0000hidden"), true);
    await upgraded.close();
    // reopening changes nothing
    const again = await openStorage(url);
    assert.deepEqual((await again.listStudies()).map((s) => [s.id, s.name]), [[1, "a"], [4, "d"]]);
    await again.close();
    assert.deepEqual(rows(path, "SELECT value FROM metahpo_counters"), [{ value: 4 }]);
  } finally {
    await sqlite.cleanup(url);
  }
});

Deno.test("sqlite: ids inserted without the counter (an older metahpo on an open file) are skipped", async () => {
  const url = await sqlite.freshUrl();
  const path = url.slice("sqlite:".length);
  try {
    const storage = await openStorage(url);
    await storage.createStudy({ name: "a", space: null, settings: {} }, []);
    const db = new DatabaseSync(path);
    db.exec(
      "INSERT INTO metahpo_studies (id, name, direction, settings, created_at, updated_at, seq) " +
        "VALUES (7, 'old', 'minimize', '{}', 0, 0, 1)",
    );
    db.close();
    const { study } = await storage.createStudy({ name: "b", space: null, settings: {} }, []);
    assert.equal(study.id, 8);
    await storage.close();
  } finally {
    await sqlite.cleanup(url);
  }
});

Deno.test("sqlite: a study row written by an older metahpo minimises; an unknown direction is an error naming the study", async () => {
  const url = await sqlite.freshUrl();
  const path = url.slice("sqlite:".length);
  try {
    const storage = await openStorage(url);
    const db = new DatabaseSync(path);
    db.exec(
      "INSERT INTO metahpo_studies (id, name, direction, settings, created_at, updated_at, seq) " +
        "VALUES (7, 'old', 'minimize', '{}', 0, 0, 1)",
    );
    db.close();
    assert.equal((await storage.getStudy("old"))?.direction, "minimize");
    const { study } = await storage.createStudy(
      { name: "new", space: null, direction: "maximize", settings: {} },
      [],
    );
    assert.equal(study.direction, "maximize");
    assert.deepEqual(rows(path, "SELECT name, direction FROM metahpo_studies ORDER BY id"), [
      { name: "old", direction: "minimize" },
      { name: "new", direction: "maximize" },
    ]);
    await assert.rejects(
      storage.createStudy({ name: "bad", space: null, direction: "up" as never, settings: {} }, []),
      /createStudy\.direction: must be one of "minimize", "maximize", got the string "up"/,
    );
    const raw = new DatabaseSync(path);
    raw.exec("UPDATE metahpo_studies SET direction = 'sideways' WHERE name = 'old'");
    raw.close();
    await assert.rejects(storage.getStudy("old"), {
      name: "StorageError",
      message:
        `storage ${url}: study "old": unknown direction "sideways" (expected "minimize" or "maximize")`,
    });
    await storage.close();
  } finally {
    await sqlite.cleanup(url);
  }
});

const postgres = BACKENDS.find((b) => b.name === "postgres")!;

Deno.test({
  name: "postgres: a version 1 schema is upgraded in place and keeps its data",
  ignore: postgres.ignore,
  fn: async () => {
    const url = await postgres.freshUrl();
    const schema = new URL(url).searchParams.get("schema")!;
    try {
      const storage = await openStorage(url);
      await storage.createStudy({ name: "a", space: null, settings: { k: 1 } }, [
        { params: { x: 1 }, source: "enqueued" },
      ]);
      await storage.close();
      await postgresAdmin((sql) => sql(`UPDATE "${schema}".metahpo_schema SET version = 1`));
      const upgraded = await openStorage(url);
      const [study] = await upgraded.listStudies();
      assert.deepEqual([study.name, study.settings, study.counts.waiting], ["a", { k: 1 }, 1]);
      assert.equal(await upgraded.deleteStudy("a"), true);
      const { study: next } = await upgraded.createStudy(
        { name: "b", space: null, settings: {} },
        [],
      );
      assert.ok(next.id > study.id);
      await upgraded.close();
      assert.deepEqual(
        await postgresAdmin((sql) => sql(`SELECT version FROM "${schema}".metahpo_schema`)),
        [{ version: 3 }],
      );
    } finally {
      await postgres.cleanup(url);
    }
  },
});
