/** `deno task studies`: the study list and the CSV / JSON export. */
import assert from "node:assert/strict";
import { studiesCommand, trialsToCSV } from "../../lib/storage/cli.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { categorical, defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1), c: categorical(['a,"b"', "plain"]) });

Deno.test("studies: lists studies and exports trials as CSV and JSON", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  const url = `sqlite:${path}`;
  try {
    for (const name of ["first", "second, with comma"]) {
      const r = await minimize(
        (p) => {
          if (p.c !== "plain") throw new Error('bad "choice"');
          return p.x;
        },
        space,
        { storage: url, study: name, budget: 7, proposer: randomSearch() },
      );
      await r.study.close();
    }
    const list = await studiesCommand([url]);
    const lines = list.split("\n");
    assert.match(lines[0], /^name\s+complete\s+failed\s+lost\s+running\s+waiting\s+best/);
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^first\s+\d+\s+\d+\s+0\s+0\s+\d+\s+[\d.e-]+\s+\d{4}-/);
    const csv = await studiesCommand([url, "export", "second, with comma"]);
    const rows = csv.trim().split("\n");
    assert.equal(rows.length, 8);
    assert.equal(
      rows[0],
      "number,status,value,error,source,seconds,worker,lost,attempts,created,started,finished," +
        "params.x,params.c,user_attrs",
    );
    assert.ok(csv.includes('"Error: bad ""choice"""'));
    const out = await Deno.makeTempFile({ suffix: ".json" });
    const message = await studiesCommand([
      url,
      "export",
      "first",
      "--format",
      "json",
      "--out",
      out,
    ]);
    assert.match(message, /wrote 7 trials of "first"/);
    const json = JSON.parse(await Deno.readTextFile(out));
    assert.equal(json.study.name, "first");
    assert.equal(json.trials.length, 7);
    await Deno.remove(out);
    await assert.rejects(studiesCommand([url, "export", "nope"]), /no study named "nope"/);
    await assert.rejects(
      studiesCommand([url, "export", "first", "--format", "xml"]),
      /csv or json/,
    );
    await assert.rejects(studiesCommand([]), /bad arguments/);
  } finally {
    for (const s of ["", "-wal", "-shm"]) await Deno.remove(path + s).catch(() => {});
  }
});

Deno.test("studies: a mistyped path is an error, exits 1 and creates nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/typo.db`;
    const message = `storage sqlite:${path}: no database file at ${path} (nothing was created)`;
    await assert.rejects(studiesCommand([`sqlite:${path}`]), { name: "StorageError", message });
    await assert.rejects(studiesCommand([`sqlite:${path}`, "export", "my study"]), {
      name: "StorageError",
      message,
    });
    const cli = new URL("../../lib/storage/cli.ts", import.meta.url).pathname;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        cli,
        `sqlite:${path}`,
        "export",
        "my study",
        "--out",
        `${dir}/trials.csv`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 1);
    assert.equal(new TextDecoder().decode(stdout), "");
    assert.equal(new TextDecoder().decode(stderr), `${message}\n`);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trialsToCSV: quotes fields with commas, quotes and newlines", () => {
  const csv = trialsToCSV([{
    number: 0,
    status: "failed",
    error: 'a "quoted",\nmultiline error',
    source: "initial",
    params: { s: "x,y" },
    lost: false,
    attempts: 1,
    userAttrs: { note: "n" },
    createdAt: 0,
    seq: 1,
  }]);
  assert.equal(
    csv.split("\n").slice(1).join("\n"),
    '0,failed,,"a ""quoted"",\nmultiline error",initial,,,false,1,1970-01-01T00:00:00.000Z,,,' +
      '"x,y","{""note"":""n""}"\n',
  );
});
