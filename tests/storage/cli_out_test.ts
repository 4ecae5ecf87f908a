/** `deno task studies --out`: never the storage's own files; stdout equals the `--out` file. */
import assert from "node:assert/strict";
import { studiesCommand } from "../../lib/storage/cli.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

async function makeStorage(dir: string): Promise<string> {
  const url = `sqlite:${dir}/tune.db`;
  const r = await minimize((p) => p.x, defineSpace({ x: float(0, 1) }), {
    storage: url,
    study: "s",
    budget: 3,
    proposer: randomSearch(),
  });
  await r.study.close();
  return url;
}

Deno.test("studies --out: refuses the storage's own file and its journals, links resolved", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const url = await makeStorage(dir);
    const before = await Deno.readFile(`${dir}/tune.db`);
    await Deno.symlink(`${dir}/tune.db`, `${dir}/link.db`);
    await Deno.symlink(`${dir}/tune.db-wal`, `${dir}/dangling`);
    await Deno.mkdir(`${dir}/sub`);
    const outs = [
      "tune.db",
      `${dir}/tune.db`,
      "sub/../tune.db",
      "link.db",
      "tune.db-wal",
      "tune.db-shm",
      "tune.db-journal",
      "dangling",
    ];
    for (const out of outs) {
      for (const args of [["export", "s"], ["export", "s", "--format", "json"], []]) {
        for (const format of [[], ["--format", "json"]]) {
          await assert.rejects(
            studiesCommand([url, ...args, ...format, "--out", out], dir),
            (e: Error) => {
              assert.ok(e instanceof RangeError, String(e));
              assert.match(e.message, /^studies --out: .* is the storage's own file /, out);
              assert.ok(e.message.includes(`${dir}/tune.db`), e.message);
              return true;
            },
          );
        }
      }
    }
    // The relative SQLite URL form is checked too.
    await assert.rejects(
      studiesCommand(["sqlite:tune.db", "--out", "tune.db"], dir),
      /is the storage's own file/,
    );
    assert.deepEqual(await Deno.readFile(`${dir}/tune.db`), before);
    for (const journal of ["-journal"]) {
      await assert.rejects(Deno.stat(`${dir}/tune.db${journal}`), Deno.errors.NotFound);
    }
    // Another file in the same folder is written as before.
    assert.equal(
      await studiesCommand([url, "export", "s", "--out", "tune.csv"], dir),
      `wrote 3 trials of "s" to ${dir}/tune.csv`,
    );
    assert.match(await studiesCommand([url], dir), /^s\s+3\s/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("studies export: what is printed equals the --out file; fail names what takes --format", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const url = await makeStorage(dir);
    const cli = new URL("../../lib/storage/cli.ts", import.meta.url).pathname;
    for (const format of [[], ["--format", "json"]]) {
      for (const command of [["export", "s"], []]) {
        const args = [url, ...command, ...format];
        const { code, stdout } = await new Deno.Command(Deno.execPath(), {
          args: ["run", "--allow-read", "--allow-write", "--allow-env", cli, ...args],
          stdout: "piped",
          stderr: "null",
        }).output();
        assert.equal(code, 0);
        await studiesCommand([...args, "--out", `${dir}/out.txt`]);
        assert.equal(
          new TextDecoder().decode(stdout),
          await Deno.readTextFile(`${dir}/out.txt`),
          args.join(" "),
        );
      }
    }
    await assert.rejects(
      studiesCommand([url, "fail", "s", "0", "--format", "csv"]),
      { message: "studies fail: --format applies to the list and export only" },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
