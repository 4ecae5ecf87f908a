/** `deno task studies`: the study list, the CSV / JSON export and failing a trial by number. */
import assert from "node:assert/strict";
import { formatStudyList, studiesCommand } from "../../lib/storage/cli.ts";
import {
  createStudy,
  type StoredTrial,
  type StudySummary,
  TrialLostError,
} from "../../lib/storage/mod.ts";
import { trialsToCSV } from "../../mod.ts";
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
    assert.match(
      lines[0],
      /^name\s+complete\s+failed\s+lost\s+running\s+waiting\s+direction\s+best/,
    );
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^first\s+\d+\s+\d+\s+0\s+0\s+\d+\s+minimize\s+[\d.e-]+\s+\d{4}-/);
    const csv = await studiesCommand([url, "export", "second, with comma"]);
    const rows = csv.trim().split("\n");
    assert.equal(rows.length, 8);
    assert.equal(
      rows[0],
      "study,direction,number,status,value,error,source,seconds,worker,lost,attempts,created," +
        "started,finished,params.x,params.c,user_attrs",
    );
    assert.match(rows[1], /^"second, with comma",minimize,0,/);
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

Deno.test("studies fail: another process fails a running trial of a live worker by number", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/tune.db`;
  const cli = new URL("../../lib/storage/cli.ts", import.meta.url).pathname;
  const run = async (...args: string[]) => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-env", cli, url, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
  };
  const owner = await createStudy({
    storage: url,
    name: "my study",
    space,
    initialDesignSize: 2,
    proposer: randomSearch(),
    heartbeatSeconds: 0.05,
  });
  try {
    const hung = await owner.ask();
    const failed = await run("fail", "my study", String(hung.id), "--reason", "hung for 2 hours");
    assert.deepEqual(failed, {
      code: 0,
      stdout: `failed trial ${hung.id} of "my study" (it was running on worker ${owner.worker}): ` +
        "hung for 2 hours\n",
      stderr: "",
    });
    await assert.rejects(
      owner.tell(hung, 0.5),
      (e: Error) => e instanceof TrialLostError && e.message.endsWith("failed (hung for 2 hours)"),
    );
    // Failed again: exit 1 and the error, naming the trial.
    assert.deepEqual(await run("fail", "my study", String(hung.id)), {
      code: 1,
      stdout: "",
      stderr: `failTrial: trial ${hung.id} of study "my study" is already failed (hung for 2 ` +
        "hours)\n",
    });
    // A waiting trial, with the default reason.
    assert.equal(
      await studiesCommand([url, "fail", "my study", "1"]),
      'failed trial 1 of "my study" (it was waiting): failed with deno task studies fail',
    );
    const list = (await studiesCommand([url])).split("\n");
    assert.match(list[1], /^my study\s+0\s+2\s+0\s+0\s+0\s+minimize\s+-\s/);
    // The study goes on.
    const next = await owner.ask();
    await owner.tell(next, 0.5);
    await assert.rejects(studiesCommand([url, "fail", "my study", String(next.id)]), {
      name: "TrialLostError",
      message: `failTrial: trial ${next.id} of study "my study" is already complete (value 0.5)`,
    });
    const cases: [string[], string, string | RegExp][] = [
      [["fail", "my study", "7"], "RangeError", 'failTrial: study "my study" has no trial 7'],
      [["fail", "nope", "0"], "RangeError", 'studies fail: no study named "nope"'],
      [
        ["fail", "my study", "abc"],
        "TypeError",
        'studies fail <trial number>: must be an integer >= 0, got "abc"',
      ],
      [
        ["fail", "my study", "1.5"],
        "TypeError",
        'studies fail <trial number>: must be an integer >= 0, got "1.5"',
      ],
      [["fail", "my study"], "TypeError", /^studies fail: give a trial number\nusage:/],
      [["fail"], "TypeError", /^studies fail: name a study\nusage:/],
      [["fail", "my study", "0", "1"], "TypeError", /^studies: bad arguments\nusage:/],
      [
        ["fail", "my study", "0", "--format", "json"],
        "TypeError",
        "studies fail: --format applies to the list and export only",
      ],
      [
        ["fail", "my study", "0", "--out", "x.csv"],
        "TypeError",
        "studies fail: --out applies to the list and export only",
      ],
      [
        ["fail", "my study", "0", "--reason="],
        "TypeError",
        "studies fail --reason: must not be empty",
      ],
      [
        ["export", "my study", "--reason", "x"],
        "TypeError",
        "studies --reason: applies to fail only",
      ],
    ];
    for (const [args, name, message] of cases) {
      await assert.rejects(studiesCommand([url, ...args]), (e: Error) => {
        assert.equal(e.name, name, args.join(" "));
        if (typeof message === "string") assert.equal(e.message, message);
        else assert.match(e.message, message);
        return true;
      });
    }
    assert.match(
      await studiesCommand(["--help"]),
      /studies <storage url> fail <study> <trial number>/,
    );
    assert.equal((await studiesCommand([url, "export", "my study"])).trim().split("\n").length, 4);
  } finally {
    await owner.close();
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

Deno.test("studies: the list shows each study's direction and its best value in that direction", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  const url = `sqlite:${path}`;
  try {
    const x = defineSpace({ x: float(0, 1) });
    const values = [0.25, 0.75, 0.5];
    for (const direction of ["minimize", "maximize"] as const) {
      const r = await minimize((p) => p.x, x, {
        storage: url,
        study: `${direction} study`,
        budget: 3,
        direction,
        initialConfigurations: values.map((v) => ({ x: v })),
        initialDesignSize: 0,
        proposer: randomSearch(),
      });
      await r.study.close();
    }
    const [header, min, max] = (await studiesCommand([url])).split("\n");
    assert.match(header, /\sdirection\s+best\s/);
    assert.match(min, /^minimize study\s+3\s+0\s+0\s+0\s+0\s+minimize\s+0\.25\s/);
    assert.match(max, /^maximize study\s+3\s+0\s+0\s+0\s+0\s+maximize\s+0\.75\s/);
  } finally {
    await Deno.remove(path).catch(() => {});
    for (const suffix of ["-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
  }
});

Deno.test("trialsToCSV: each row names the study and its direction; ambiguous strings are JSON-quoted", () => {
  const base = {
    status: "complete",
    source: "initial",
    lost: false,
    attempts: 1,
    userAttrs: {},
    createdAt: 0,
    seq: 1,
  } as const;
  const choices = ["1", 1, "true", true, "null", null, "", "[1]", "plain", " 2"];
  const trials: StoredTrial[] = choices.map((c, i) => ({
    ...base,
    number: i,
    value: i,
    params: { c },
  }));
  trials.push({ ...base, number: 10, value: 10, params: {} }); // c inactive
  const csv = trialsToCSV(trials, { name: "accuracy", direction: "maximize" });
  const [header, ...rows] = csv.trim().split("\n");
  assert.equal(
    header,
    "study,direction,number,status,value,error,source,seconds,worker,lost,attempts,created," +
      "started,finished,params.c,user_attrs",
  );
  assert.ok(rows.every((row) => row.startsWith("accuracy,maximize,")));
  const cells = rows.map((row) => row.split(",").at(-2));
  assert.deepEqual(cells, [
    '"""1"""',
    "1",
    '"""true"""',
    "true",
    '"""null"""',
    "null",
    '""""""',
    '"""[1]"""',
    "plain",
    '""" 2"""',
    "",
  ]);
  assert.equal(new Set(cells).size, cells.length);
  // a name with a comma is quoted as any field; without a study, the columns are left out
  assert.ok(
    trialsToCSV(trials.slice(0, 1), { name: "a, b", direction: "minimize" }).includes(
      '\n"a, b",minimize,0,',
    ),
  );
  assert.ok(trialsToCSV(trials).startsWith("number,status,"));
});

Deno.test("studies list: a name with a line break stays on its row; long names sharing a prefix stay distinct", () => {
  const summary = (name: string): StudySummary => ({
    id: 1,
    name,
    direction: "minimize",
    space: null,
    settings: {},
    userAttrs: {},
    createdAt: 0,
    updatedAt: 0,
    seq: 1,
    finished: 0,
    counts: { waiting: 0, running: 0, complete: 0, failed: 0, lost: 0 },
  });
  const prefix = "a long study name ".repeat(5);
  const lines = formatStudyList([
    summary("two\nlines"),
    summary(`${prefix}one`),
    summary(`${prefix}two`),
    summary('"quoted"'),
    summary("tab\there\u0085"),
  ]).split("\n");
  assert.equal(lines.length, 6);
  assert.match(lines[1], /^"two\\nlines"\s+0\s/);
  assert.ok(lines[2].startsWith(`${prefix}one `), lines[2]);
  assert.ok(lines[3].startsWith(`${prefix}two `), lines[3]);
  assert.ok(lines[4].startsWith('"\\"quoted\\"" '), lines[4]);
  assert.ok(lines[5].startsWith('"tab\\there\\u0085" '), lines[5]);
});

Deno.test("studies: relative paths are taken from the folder the command was started in", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const elsewhere = await Deno.realPath(await Deno.makeTempDir());
  const cli = new URL("../../lib/storage/cli.ts", import.meta.url).pathname;
  // As `deno task studies` runs it: in another folder (the project root), the folder the
  // command was started in given as INIT_CWD; a script run directly has it as its cwd.
  const run = async (env: Record<string, string>, cwd: string, ...args: string[]) => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-env", cli, ...args],
      cwd,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
  };
  try {
    const r = await minimize((p) => p.x, defineSpace({ x: float(0, 1) }), {
      storage: `sqlite:${dir}/tune.db`,
      study: "my study",
      budget: 3,
      proposer: randomSearch(),
    });
    await r.study.close();
    for (
      const [env, cwd] of [[{ INIT_CWD: dir }, elsewhere], [{ INIT_CWD: "" }, dir]] as const
    ) {
      const where = JSON.stringify(env);
      for (const url of ["sqlite:tune.db", "sqlite:///tune.db", "sqlite:./sub/../tune.db"]) {
        const listed = await run(env, cwd, url);
        assert.equal(listed.code, 0, `${where} ${url}: ${listed.stderr}`);
        assert.match(listed.stdout, /^my study\s+3\s/m, `${where} ${url}`);
      }
      // An absolute path stays as written, in either form.
      for (const url of [`sqlite:${dir}/tune.db`, `sqlite:///${dir}/tune.db`]) {
        assert.equal((await run(env, cwd, url)).code, 0, `${where} ${url}`);
      }
      // A mistyped path: the error names the file where it was looked for, nothing is created.
      assert.deepEqual(await run(env, cwd, "sqlite:tunne.db"), {
        code: 1,
        stdout: "",
        stderr: `storage sqlite:${dir}/tunne.db: no database file at ${dir}/tunne.db ` +
          "(nothing was created)\n",
      });
      assert.deepEqual(await run(env, cwd, "sqlite:///tunne.db"), {
        code: 1,
        stdout: "",
        stderr: `storage sqlite:////${dir.slice(1)}/tunne.db: no database file at ` +
          `${dir}/tunne.db (nothing was created)\n`,
      });
      // --out, relative, lands in the same folder.
      const exported = await run(
        env,
        cwd,
        "sqlite:tune.db",
        "export",
        "my study",
        "--out",
        "t.csv",
      );
      assert.deepEqual(exported, {
        code: 0,
        stdout: `wrote 3 trials of "my study" to ${dir}/t.csv\n`,
        stderr: "",
      });
      assert.equal((await Deno.readTextFile(`${dir}/t.csv`)).trim().split("\n").length, 4);
      await Deno.remove(`${dir}/t.csv`);
      assert.deepEqual(await Array.fromAsync(Deno.readDir(elsewhere)), [], where);
    }
    // In code: relative to the folder given, else to the working directory.
    assert.match(await studiesCommand(["sqlite:tune.db"], dir), /^my study\s+3\s/m);
    await assert.rejects(studiesCommand(["sqlite:tune.db"], elsewhere), {
      name: "StorageError",
      message: `storage sqlite:${elsewhere}/tune.db: no database file at ${elsewhere}/tune.db ` +
        "(nothing was created)",
    });
    assert.equal(await studiesCommand(["memory:"], elsewhere), "no studies");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});

const LIST_HEADER = "name,direction,complete,failed,lost,running,waiting,best,created,updated";

Deno.test("studies list: --format csv or json gives the list as data, --out writes it", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const url = `sqlite:${dir}/tune.db`;
  try {
    for (
      const [study, direction] of [["a, b", "minimize"], ["#max", "maximize"], [
        "007",
        "minimize",
      ]] as const
    ) {
      const r = await minimize((p) => p.x, defineSpace({ x: float(0, 1) }), {
        storage: url,
        study,
        direction,
        budget: 3,
        proposer: randomSearch(),
      });
      await r.study.close();
    }
    const table = await studiesCommand([url]);
    assert.match(table, /^name\s+complete/);
    // CSV: the table's columns as data, the name by the CSV rules, best in full.
    const csv = await studiesCommand([url, "--format", "csv"]);
    const rows = csv.split("\n");
    assert.equal(rows.length, 4, csv);
    assert.equal(
      rows[0],
      "name,direction,complete,failed,lost,running,waiting,best,created,updated",
    );
    assert.match(rows[1], /^"a, b",minimize,3,0,0,0,0,0\.\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,\d{4}-/);
    assert.match(rows[2], /^"#max",maximize,3,0,0,0,0,0\.\d+,/);
    // A name that pandas or R would read as a number is JSON-quoted, as in the trials' export.
    assert.match(rows[3], /^"""007""",minimize,3,/);
    // JSON: the records listStudies gives, lossless.
    const json = JSON.parse(await studiesCommand([url, "--format", "json"]));
    assert.deepEqual(json.map((s: StudySummary) => [s.name, s.direction, s.counts.complete]), [
      ["a, b", "minimize", 3],
      ["#max", "maximize", 3],
      ["007", "minimize", 3],
    ]);
    assert.equal(Number(rows[2].split(",")[7]), json[1].best);
    // --out writes the list (relative to the folder given), in each format.
    for (const [format, expected] of [[[], table], [["--format", "csv"], csv]] as const) {
      const message = await studiesCommand([url, ...format, "--out", "list.txt"], dir);
      assert.equal(message, `wrote 3 studies to ${dir}/list.txt`);
      assert.equal(await Deno.readTextFile(`${dir}/list.txt`), `${expected}\n`);
    }
    await studiesCommand([url, "--format", "json", "--out", `${dir}/list.json`]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/list.json`)), json);
    // An empty storage: the CSV header alone, an empty JSON list.
    assert.equal(await studiesCommand(["memory:", "--format", "csv"]), LIST_HEADER);
    assert.equal(await studiesCommand(["memory:", "--format", "json"]), "[]");
    await assert.rejects(studiesCommand([url, "--format", "xml"]), /--format: must be csv or json/);
    await assert.rejects(studiesCommand([url, "--out", ""]), /--out: expected a path/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
