/**
 * How the experience functions take their arguments: strict options (a misspelt key is an error
 * naming it, before the storage is opened), and a storage URL that `priorTasksFromStorage` reads
 * without creating anything (a missing file, a file without metahpo's tables, a PostgreSQL schema
 * that does not exist are errors), while `importTaskStore`, a write, creates its storage.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { importTaskStore, priorTasksFromStorage } from "../../lib/storage/experience.ts";
import { openStorage } from "../../lib/storage/mod.ts";
import { TaskStore } from "../../lib/meta/store.ts";
import { transferOptionsFromStorage } from "../../lib/meta/transfer.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { type Backend, postgresAdmin, storageTest } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });
const store = TaskStore.from([{ id: "iris", trials: [{ params: { x: 0.2 }, value: 0.1 }] }]);

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

async function pastStudies(url: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const r = await minimize((p) => (p.x - 0.3) ** 2, space, {
      storage: url,
      study: name,
      budget: 3,
      proposer: randomSearch(),
    });
    await r.study.close();
  }
}

Deno.test("priorTasksFromStorage: an unknown or malformed option is an error naming it, before the storage opens", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sqlite:${dir}/tune.db`;
    await pastStudies(url, ["past", "current run"]);
    assert.deepEqual(
      (await priorTasksFromStorage(url, space, { exclude: ["current run"] })).map((t) => t.id),
      ["past"],
    );
    const cases: [unknown, string][] = [
      [{ exlude: ["current run"] }, "priorTasksFromStorage options.exlude: unknown key"],
      [{ exclude: "current run" }, "priorTasksFromStorage options.exclude: Invalid input"],
      [{ exclude: [1] }, "priorTasksFromStorage options.exclude[0]: Invalid input"],
      [{ metaFeatures: { n: "x" } }, "priorTasksFromStorage options.metaFeatures.n: must be"],
      [null, "priorTasksFromStorage options: Invalid input"],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(
        priorTasksFromStorage(url, space, options as never),
        (error: Error) => error instanceof TypeError && error.message.startsWith(message),
        JSON.stringify(options),
      );
    }
    // Checked before the storage is opened: a missing file is not reported, nor created.
    await assert.rejects(
      priorTasksFromStorage(`sqlite:${dir}/missing.db`, space, { exlude: [] } as never),
      { name: "TypeError", message: "priorTasksFromStorage options.exlude: unknown key" },
    );
    assert.equal(await exists(`${dir}/missing.db`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importTaskStore: a key other than space is an error naming it, and nothing is imported", async () => {
  const storage = await openStorage("memory:");
  try {
    await assert.rejects(
      importTaskStore(storage, store, { space, skipExisting: false } as never),
      { name: "TypeError", message: "importTaskStore options.skipExisting: unknown key" },
    );
    await assert.rejects(
      importTaskStore(storage, store, { spase: space } as never),
      {
        name: "TypeError",
        message: "importTaskStore options.space: required (a space from defineSpace); " +
          "importTaskStore options.spase: unknown key",
      },
    );
    await assert.rejects(
      importTaskStore(storage, store, undefined as never),
      /^TypeError: importTaskStore options: Invalid input: expected object/,
    );
    assert.deepEqual(await storage.listStudies(), []);
    assert.deepEqual(await importTaskStore(storage, store, { space }), {
      imported: ["iris"],
      skipped: [],
    });
  } finally {
    await storage.close();
  }
});

Deno.test("priorTasksFromStorage reads a storage URL without creating anything", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const cwd = Deno.cwd();
  try {
    // A mistyped path: an error naming it, as `deno task studies` gives, and no file.
    for (
      const [url, path] of [[`sqlite:${dir}/tunne.db`, `${dir}/tunne.db`], [
        `sqlite:///${dir}/tunne.db`,
        `${dir}/tunne.db`,
      ]]
    ) {
      await assert.rejects(priorTasksFromStorage(url, space), {
        name: "StorageError",
        message: `storage ${url}: no database file at ${path} (nothing was created)`,
      });
      assert.equal(await exists(path), false, url);
    }
    // Transfer reads through it: no silent fall-back to plain GP-BO on a mistyped path.
    await assert.rejects(
      transferOptionsFromStorage(`sqlite:${dir}/tunne.db`, space, { strategy: "rgpe-gp" }),
      { name: "StorageError", message: /no database file at .*tunne\.db \(nothing was created\)$/ },
    );
    assert.equal(await exists(`${dir}/tunne.db`), false);
    // A relative path is read from the working directory, as `minimize` writes it.
    Deno.chdir(dir);
    await assert.rejects(priorTasksFromStorage("sqlite:rel.db", space), {
      name: "StorageError",
      message: "storage sqlite:rel.db: no database file at rel.db (nothing was created)",
    });
    assert.equal(await exists(`${dir}/rel.db`), false);
    // Another application's database, and an empty file: an error, and each file as it was.
    const other = `${dir}/other.db`;
    const db = new DatabaseSync(other);
    db.exec("CREATE TABLE foo (a); INSERT INTO foo VALUES (1)");
    db.close();
    const empty = `${dir}/empty.db`;
    await Deno.writeFile(empty, new Uint8Array());
    for (const path of [other, empty]) {
      const before = await Deno.readFile(path);
      await assert.rejects(priorTasksFromStorage(`sqlite:${path}`, space), {
        name: "StorageError",
        message: `storage sqlite:${path}: holds no metahpo storage (no metahpo_schema table); ` +
          "nothing was created",
      });
      assert.deepEqual(await Deno.readFile(path), before, path);
      assert.equal(await exists(`${path}-wal`), false, path);
    }
    // A metahpo storage without studies: no past task.
    const fresh = `sqlite:${dir}/fresh.db`;
    await (await openStorage(fresh)).close();
    assert.deepEqual(await priorTasksFromStorage(fresh, space), []);
    // A storage with studies, read while this process has it open for writing.
    const url = `sqlite:${dir}/tune.db`;
    await pastStudies(url, ["past"]);
    const writer = await openStorage(url);
    try {
      assert.deepEqual((await priorTasksFromStorage(url, space)).map((t) => t.id), ["past"]);
      // An open storage is used as it is, and left open.
      assert.deepEqual((await priorTasksFromStorage(writer, space)).map((t) => t.id), ["past"]);
      assert.equal((await writer.listStudies()).length, 1);
    } finally {
      await writer.close();
    }
    // memory: is always a new, empty storage.
    assert.deepEqual(await priorTasksFromStorage("memory:", space), []);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importTaskStore creates the storage of a URL that names none yet", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sqlite:${dir}/new.db`;
    assert.deepEqual(await importTaskStore(url, store, { space }), {
      imported: ["iris"],
      skipped: [],
    });
    assert.deepEqual((await priorTasksFromStorage(url, space)).map((t) => t.id), ["iris"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

storageTest(
  "priorTasksFromStorage on a schema without metahpo's tables: an error, and nothing created",
  async (backend: Backend) => {
    const url = await backend.freshUrl();
    const schema = new URL(url).searchParams.get("schema")!;
    const schemas = () =>
      postgresAdmin((sql) =>
        sql("SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1", [schema])
      );
    try {
      await assert.rejects(priorTasksFromStorage(url, space), {
        name: "StorageError",
        message: /holds no metahpo storage \(no metahpo_schema table\); nothing was created$/,
      });
      assert.deepEqual(await schemas(), [], "the schema was not created");
      await (await openStorage(url)).close();
      assert.deepEqual(await priorTasksFromStorage(url, space), []);
      await pastStudies(url, ["past"]);
      assert.deepEqual((await priorTasksFromStorage(url, space)).map((t) => t.id), ["past"]);
    } finally {
      await backend.cleanup(url);
    }
  },
  { backends: ["postgres"] },
);

Deno.test("transferOptionsFromStorage checks its options before it reads the storage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = `${dir}/tunne.db`;
    // A misspelt key is reported as such, not hidden behind the missing file's error.
    await assert.rejects(
      transferOptionsFromStorage(`sqlite:${missing}`, space, { stratgy: "rgpe" } as never),
      (e: Error) =>
        e instanceof TypeError && /transfer options\.stratgy: unknown key/.test(e.message),
    );
    await assert.rejects(
      transferOptionsFromStorage(`sqlite:${missing}`, space, { warmStart: -1 }),
      /transfer options\.warmStart/,
    );
    assert.equal(await exists(missing), false);
    // Valid options on the missing file: the storage error names it, and nothing is created.
    await assert.rejects(
      transferOptionsFromStorage(`sqlite:${missing}`, space, { strategy: "rgpe" }),
      /no database file at .*tunne\.db \(nothing was created\)/,
    );
    assert.equal(await exists(missing), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
