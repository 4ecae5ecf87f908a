/**
 * How storages are opened: `sqlite:` URL forms (`sqlite:<path>` as written, `sqlite:///relative`
 * and `sqlite:////absolute` as SQLAlchemy reads them), `create: false` leaving a file that is not
 * a metahpo storage as it was, `readOnly` (also on a read-only file system, where the CLI lists
 * and exports, and writing is an error naming what is read-only), and PostgreSQL schemas with
 * upper-case letters.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createStudy, loadStudy, openStorage, StorageError } from "../../lib/storage/mod.ts";
import { studiesCommand } from "../../lib/storage/cli.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { POSTGRES_URL, postgresAdmin, withSchema } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

async function makeStudy(url: string, name = "s"): Promise<void> {
  const r = await minimize((p) => p.x, space, {
    storage: url,
    study: name,
    budget: 3,
    proposer: randomSearch(),
  });
  await r.study.close();
}

Deno.test("sqlite URLs: sqlite:<path> as written; sqlite:///relative and sqlite:////absolute as SQLAlchemy", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const cwd = Deno.cwd();
  try {
    Deno.chdir(dir);
    await Deno.mkdir(`${dir}/sub`);
    const cases: [string, string][] = [
      ["sqlite:///rel.db", `${dir}/rel.db`],
      ["sqlite:///sub/nested.db", `${dir}/sub/nested.db`],
      [`sqlite:///${dir}/abs.db`, `${dir}/abs.db`], // four slashes: dir starts with "/"
      ["sqlite:plain.db", `${dir}/plain.db`],
      [`sqlite:${dir}/plain-abs.db`, `${dir}/plain-abs.db`],
    ];
    for (const [url, file] of cases) {
      await makeStudy(url);
      assert.ok((await Deno.stat(file)).isFile, `${url} → ${file}`);
      const storage = await openStorage(url, { create: false });
      assert.equal((await storage.listStudies())[0].counts.complete, 3, url);
      await storage.close();
    }
    await assert.rejects(openStorage("sqlite://host/x.db"), {
      name: "StorageError",
      message: "storage sqlite://host/x.db: sqlite:// URLs take no host: write " +
        "sqlite:///relative/path.db or sqlite:////absolute/path.db (SQLAlchemy's form), or " +
        "sqlite:<path>",
    });
    await assert.rejects(openStorage("sqlite://"), /needs a file path/);
    await assert.rejects(openStorage("sqlite:///"), /needs a file path/);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqlite:///X that would create ./X while /X holds a metahpo storage (an earlier metahpo's reading) is an error naming both, and creates nothing", async () => {
  const old = await Deno.realPath(await Deno.makeTempDir()); // absolute: /tmp/...
  const work = await Deno.realPath(await Deno.makeTempDir());
  const cwd = Deno.cwd();
  try {
    await makeStudy(`sqlite:${old}/tune.db`);
    const relative = `${old.slice(1)}/tune.db`;
    const url = `sqlite:///${relative}`;
    Deno.chdir(work);
    await Deno.mkdir(`${work}/${old.slice(1)}`, { recursive: true });
    const opens = [
      () => openStorage(url),
      () => makeStudy(url),
      () => openStorage(url, { readOnly: true }), // a listing after the upgrade
      () => openStorage(url, { create: false }),
    ];
    for (const open of opens) {
      await assert.rejects(open(), (e: Error) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.ok(e.message.startsWith(`storage ${url}: the URL names the relative path `));
        for (
          const part of [
            `${work}/${relative}, which does not exist`,
            `while ${old}/tune.db holds a metahpo storage`,
            `sqlite:////${relative} (four slashes)`,
            `sqlite:${old}/tune.db`,
            `sqlite:${relative} for a new storage`,
          ]
        ) assert.ok(e.message.includes(part), `${part} in ${e.message}`);
        return true;
      });
      assert.equal(await Deno.stat(`${work}/${relative}`).catch(() => null), null);
    }
    // The absolute forms open the study; once ./X exists, sqlite:///X opens it.
    for (const u of [`sqlite:////${relative}`, `sqlite:${old}/tune.db`]) {
      const storage = await openStorage(u);
      assert.equal((await storage.listStudies())[0].counts.complete, 3);
      await storage.close();
    }
    await makeStudy(`sqlite:${relative}`, "new");
    const storage = await openStorage(url);
    assert.deepEqual((await storage.listStudies()).map((s) => s.name), ["new"]);
    await storage.close();
    // A file at /X that is not a metahpo storage does not stop sqlite:///X.
    await Deno.remove(`${work}/${old.slice(1)}`, { recursive: true });
    await Deno.mkdir(`${work}/${old.slice(1)}`, { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) {
      await Deno.remove(`${old}/tune.db${suffix}`).catch(() => {});
    }
    const db = new DatabaseSync(`${old}/tune.db`);
    db.exec("CREATE TABLE foo (a)");
    db.close();
    await makeStudy(url);
    assert.ok((await Deno.stat(`${work}/${relative}`)).isFile);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(old, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("create: false leaves another application's database and an empty file as they were", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const other = `${dir}/other.db`;
    const db = new DatabaseSync(other);
    db.exec("CREATE TABLE foo (a); INSERT INTO foo VALUES (1)");
    db.close();
    const empty = `${dir}/empty.db`;
    await Deno.writeFile(empty, new Uint8Array());
    for (const path of [other, empty]) {
      const before = await Deno.readFile(path);
      for (const options of [{ create: false }, { readOnly: true }]) {
        await assert.rejects(openStorage(`sqlite:${path}`, options), {
          name: "StorageError",
          message: `storage sqlite:${path}: holds no metahpo storage (no metahpo_schema table); ` +
            "nothing was created",
        });
      }
      assert.deepEqual(await Deno.readFile(path), before, path);
    }
    const check = new DatabaseSync(other);
    assert.deepEqual({ ...check.prepare("PRAGMA journal_mode").get() }, { journal_mode: "delete" });
    check.close();
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
      "empty.db",
      "other.db",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openStorage options are strict: a misspelt key is an error naming it, and nothing is created", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tune.db`;
    // e.g. options read from a configuration file
    const fromConfig = JSON.parse('{"readonly": true}') as { readOnly?: boolean };
    await assert.rejects(openStorage(`sqlite:${path}`, fromConfig), {
      name: "TypeError",
      message: "openStorage options.readonly: unknown key",
    });
    await assert.rejects(
      openStorage("memory:", { readOnly: true, busyTimeout: 10 } as never),
      { name: "TypeError", message: "openStorage options.busyTimeout: unknown key" },
    );
    // Malformed sizes and timeouts are errors naming them, before anything is opened.
    for (
      const [key, value, message] of [
        ["busyTimeoutMs", -5, "must be an integer ≥ 0"],
        ["maxConnections", 0, "must be a positive integer"],
        ["connectTimeoutSeconds", -1, "must be a finite number > 0"],
      ] as const
    ) {
      await assert.rejects(
        openStorage(`sqlite:${path}`, { [key]: value }),
        (e: Error) =>
          e instanceof TypeError && e.message.startsWith(`openStorage options.${key}: `) &&
          e.message.includes(message),
      );
    }
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no file was created");
    // The known keys open as before.
    const storage = await openStorage(`sqlite:${path}`, { busyTimeoutMs: 100, create: true });
    await storage.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openStorage readOnly: reads a storage (of an older schema too), changes nothing, refuses writes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tune.db`;
    const url = `sqlite:${path}`;
    await makeStudy(url);
    // an older schema (version 2) is read as it is, not upgraded
    const old = new DatabaseSync(path);
    old.exec("UPDATE metahpo_schema SET version = 2");
    old.close();
    const before = await Deno.readFile(path);
    const storage = await openStorage(url, { readOnly: true });
    const [study] = await storage.listStudies();
    assert.equal(study.counts.complete, 3);
    assert.equal((await storage.trialsSince(study.id, 0)).trials.length, 3);
    await assert.rejects(
      storage.createStudy({ name: "new", space: null, settings: {} }, []),
      (e: Error) => e instanceof StorageError && /the database is read-only/.test(e.message),
    );
    await assert.rejects(storage.setUserAttr(study.id, "k", 1), /read-only/);
    await storage.close();
    assert.deepEqual(await Deno.readFile(path), before);
    const check = new DatabaseSync(path);
    assert.deepEqual({ ...check.prepare("SELECT version FROM metahpo_schema").get() }, {
      version: 2,
    });
    check.close();
    await assert.rejects(openStorage(`sqlite:${dir}/missing.db`, { readOnly: true }), {
      name: "StorageError",
      message: `storage sqlite:${dir}/missing.db: no database file at ${dir}/missing.db ` +
        "(nothing was created)",
    });
    await assert.rejects(openStorage(url, { readOnly: "yes" as never }), {
      name: "TypeError",
      message: "openStorage options.readOnly: must be a boolean",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The names in `dir`, sorted. */
function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("openStorage readOnly reads in place: a handle opened on a closed storage sees later commits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // No connection has the storage open when the reader opens it; a writer then adds trials.
    const path = `${dir}/tune.db`;
    await makeStudy(`sqlite:${path}`);
    const reader = await openStorage(`sqlite:${path}`, { readOnly: true });
    assert.equal((await reader.listStudies())[0].counts.complete, 3);
    const writer = await loadStudy({
      storage: `sqlite:${path}`,
      name: "s",
      proposer: randomSearch(),
    });
    for (let i = 0; i < 2; i++) await writer.tell(await writer.ask(), i);
    assert.equal((await reader.listStudies())[0].counts.complete, 5);
    await writer.close();
    assert.equal((await reader.listStudies())[0].counts.complete, 5);
    await reader.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * How to run a command without write permission to a directory mode 0555: as is for a user other
 * than root; for root (whom permission bits do not bind), without its capabilities (util-linux's
 * `setpriv`, Linux); undefined when neither is possible.
 */
async function unprivilegedPrefix(): Promise<string[] | undefined> {
  if (Deno.build.os === "windows") return undefined;
  try {
    if (Deno.uid() !== 0) return [];
  } catch {
    return undefined;
  }
  const drop = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"];
  return Deno.build.os === "linux" && await run(drop[0], ...drop.slice(1), "true")
    ? drop
    : undefined;
}

const unprivileged = await unprivilegedPrefix();

for (const fileMode of [undefined, 0o444]) {
  Deno.test({
    name: `a storage${
      fileMode === undefined ? "" : " file without write permission"
    } in a directory without write permission: the CLI lists and exports it, and creates nothing`,
    ignore: unprivileged === undefined,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      const readOnlyDir = `${dir}/read-only`;
      try {
        await Deno.mkdir(readOnlyDir);
        await makeStudy(`sqlite:${readOnlyDir}/tune.db`, "my study");
        if (fileMode !== undefined) await Deno.chmod(`${readOnlyDir}/tune.db`, fileMode);
        await Deno.chmod(readOnlyDir, 0o555);
        const cli = new URL("../../lib/storage/cli.ts", import.meta.url).pathname;
        const studies = async (...args: string[]) => {
          const [command, ...prefix] = [...unprivileged!, Deno.execPath()];
          const { code, stdout, stderr } = await new Deno.Command(command, {
            args: [
              ...prefix,
              "run",
              "--allow-read",
              "--allow-write",
              "--allow-env",
              cli,
              `sqlite:${readOnlyDir}/tune.db`,
              ...args,
            ],
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = new TextDecoder();
          assert.equal(code, 0, text.decode(stderr));
          return text.decode(stdout);
        };
        assert.match(await studies(), /^my study\s+3\s/m);
        const json = JSON.parse(await studies("export", "my study", "--format", "json"));
        assert.equal(json.trials.length, 3);
        assert.equal((await studies("export", "my study")).trim().split("\n").length, 4);
        assert.deepEqual(names(readOnlyDir), ["tune.db"]);
      } finally {
        await Deno.chmod(readOnlyDir, 0o755).catch(() => {});
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

/** Runs a command; true when it exits 0. */
async function run(command: string, ...args: string[]): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .output();
    return code === 0;
  } catch {
    return false; // no such command, or no --allow-run
  }
}

/** Mounts `source` read-only at `target` (a bind mount: Linux, as root). */
async function mountReadOnly(source: string, target: string): Promise<boolean> {
  if (!await run("mount", "--bind", source, target)) return false;
  if (await run("mount", "-o", "remount,bind,ro", target)) return true;
  await run("umount", target);
  return false;
}

/** Whether this machine lets the test mount a read-only bind mount (root in most containers). */
async function canMountReadOnly(): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  try {
    if (Deno.uid() !== 0) return false;
  } catch {
    return false;
  }
  const source = await Deno.makeTempDir();
  const target = await Deno.makeTempDir();
  try {
    if (!await mountReadOnly(source, target)) return false;
    await run("umount", target);
    return true;
  } finally {
    await Deno.remove(source).catch(() => {});
    await Deno.remove(target).catch(() => {});
  }
}

Deno.test({
  name:
    "a storage on a read-only file system: the CLI lists and exports it; writing names the read-only file",
  ignore: !await canMountReadOnly(),
  fn: async () => {
    const source = await Deno.makeTempDir();
    const target = await Deno.makeTempDir();
    try {
      await makeStudy(`sqlite:${source}/tune.db`, "my study");
      assert.ok(await mountReadOnly(source, target));
      const url = `sqlite:${target}/tune.db`;
      assert.match(await studiesCommand([url]), /^my study\s+3\s/m);
      const json = JSON.parse(
        await studiesCommand([url, "export", "my study", "--format", "json"]),
      );
      assert.equal(json.trials.length, 3);
      const csv = await studiesCommand([url, "export", "my study"]);
      assert.equal(csv.trim().split("\n").length, 4);
      const readOnly = (e: Error) => {
        assert.ok(e instanceof StorageError, String(e));
        assert.ok(e.message.includes(`the file ${target}/tune.db is read-only`), e.message);
        return true;
      };
      await assert.rejects(studiesCommand([url, "fail", "my study", "0"]), readOnly);
      await assert.rejects(openStorage(url), readOnly);
      await assert.rejects(openStorage(`sqlite:${target}/new.db`), (e: Error) => {
        assert.ok(e.message.includes(`the directory ${target} is read-only`), e.message);
        return true;
      });
    } finally {
      await run("umount", target);
      await Deno.remove(source, { recursive: true });
      await Deno.remove(target, { recursive: true });
    }
  },
});

Deno.test({
  name: "postgres: a ?schema= name with upper-case letters is used as written",
  ignore: POSTGRES_URL === "",
  fn: async () => {
    const schema = `Mixed_Case_${Deno.pid}_${Date.now().toString(36)}`;
    const url = withSchema(POSTGRES_URL, schema);
    try {
      const study = await createStudy({ storage: url, name: "case", space });
      await study.tell(await study.ask(), 1);
      await study.close();
      const again = await openStorage(url, { create: false });
      assert.deepEqual((await again.listStudies()).map((s) => s.counts.complete), [1]);
      await again.close();
      const readOnly = await openStorage(url, { readOnly: true });
      assert.equal((await readOnly.listStudies()).length, 1);
      await assert.rejects(
        readOnly.createStudy({ name: "new", space: null, settings: {} }, []),
        /read-only transaction/,
      );
      await readOnly.close();
      const schemas = await postgresAdmin((sql) =>
        sql(
          "SELECT table_schema FROM information_schema.tables WHERE table_name = " +
            "'metahpo_studies' AND lower(table_schema) = lower($1)",
          [schema],
        )
      ) as { table_schema: string }[];
      assert.deepEqual(schemas.map((r) => r.table_schema), [schema]);
    } finally {
      await postgresAdmin(async (sql) => {
        await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await sql(`DROP SCHEMA IF EXISTS "${schema.toLowerCase()}" CASCADE`);
      });
    }
  },
});

Deno.test({
  name:
    "postgres: ?schema=MixedCase that would create an empty storage while the folded name holds one (an earlier metahpo's) is an error naming both, and creates nothing",
  ignore: POSTGRES_URL === "",
  fn: async () => {
    const schema = `Folded_${Deno.pid}_${Date.now().toString(36)}`;
    const folded = schema.toLowerCase();
    try {
      // As an earlier metahpo left it: the tables in the folded schema.
      await makeStudy(withSchema(POSTGRES_URL, folded));
      const url = withSchema(POSTGRES_URL, schema);
      const opens = [
        () => makeStudy(url),
        () => openStorage(url, { readOnly: true }), // a listing after the upgrade
        () => openStorage(url, { create: false }),
      ];
      for (const open of opens) {
        await assert.rejects(open(), (e: Error) => {
          assert.ok(e instanceof StorageError, String(e));
          for (
            const part of [
              `schema "${schema}" holds no metahpo storage`,
              `while schema "${folded}" holds one`,
              `write ?schema=${folded} to open it`,
              "nothing was created",
            ]
          ) assert.ok(e.message.includes(part), `${part} in ${e.message}`);
          return true;
        });
      }
      const exists = async () =>
        (await postgresAdmin((sql) =>
          sql("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema])
        )).length > 0;
      assert.equal(await exists(), false);
      // Once the named schema holds a storage, or with the folded name, it opens.
      await postgresAdmin((sql) => sql(`ALTER SCHEMA ${folded} RENAME TO "${schema}"`));
      await makeStudy(url, "again");
      const storage = await openStorage(url);
      assert.deepEqual((await storage.listStudies()).map((s) => s.name), ["s", "again"]);
      await storage.close();
    } finally {
      await postgresAdmin(async (sql) => {
        await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await sql(`DROP SCHEMA IF EXISTS "${folded}" CASCADE`);
      });
    }
  },
});
