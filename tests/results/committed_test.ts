import assert from "node:assert/strict";
import {
  commitText,
  parseResultsCsv,
  parseSummaryCsv,
  provenanceLine,
  readProvenance,
  readResultsCsv,
  readSummaryCsv,
  recordsToCsv,
  summaryTable,
  toCsv,
} from "../../lib/results/mod.ts";
import { summaryCsv } from "../../lib/results/committed.ts";
import { provenanceRecord } from "../_provenance.ts";

Deno.test("parseSummaryCsv reads back what the bench writes (titles, numbers, quoted cells)", () => {
  const tables = [
    { title: "maml: MSE", records: [{ method: "maml", "k5 1 step": "0.9 ± 0.1", mse: 0.25 }] },
    { title: "comparison: configs", records: [{ task: "a,b", note: 'say "hi"', value: NaN }] },
  ];
  const text = tables.map((t) => `# ${t.title}\n${recordsToCsv(t.records)}`).join("\n");
  const parsed = parseSummaryCsv(text);
  assert.equal(parsed.length, 2);
  assert.deepEqual(parsed[0], tables[0]);
  assert.equal(parsed[1].records[0].task, "a,b");
  assert.equal(parsed[1].records[0].note, 'say "hi"');
  assert.ok(Number.isNaN(parsed[1].records[0].value));
  assert.equal(summaryTable(parsed, "comparison:").title, "comparison: configs");
  assert.throws(() => summaryTable(parsed, "nope"), /no table titled "nope…".*"maml: MSE"/);
  assert.throws(() => parseSummaryCsv("a,b\n1,2\n", "x.csv"), /x\.csv: line 1: text before/);
  assert.throws(() => parseSummaryCsv("# t\na,b\n1\n", "x.csv"), /x\.csv: table "t"/);
});

Deno.test("parseResultsCsv round-trips toCsv, NaN included, and names bad cells", () => {
  const rows = [
    {
      suite: "maml",
      task: "sinusoid-k5",
      method: "maml",
      seed: 0,
      step: 10,
      metric: "mse",
      value: 0.3,
    },
    {
      suite: "maml",
      task: "sinusoid-k5",
      method: "metasgd",
      seed: 0,
      step: 10,
      metric: "mse",
      value: NaN,
    },
  ];
  assert.deepEqual(parseResultsCsv(toCsv(rows)), rows);
  assert.throws(
    () => parseResultsCsv("suite,task,method,seed,step,metric,value\ns,t,m,x,1,mse,1\n", "r.csv"),
    /r\.csv: line 2: seed "x" is not a number/,
  );
  assert.throws(() => parseResultsCsv("suite,task\ns,t\n", "r.csv"), /no "method" column/);
});

Deno.test("committed run folders: summary, rows and provenance read from disk", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/summary.csv`, "# t\nm,v\nmaml,1\n");
    Deno.writeTextFileSync(
      `${dir}/results.csv`,
      "suite,task,method,seed,step,metric,value\ns,t,m,0,1,mse,2\n",
    );
    Deno.writeTextFileSync(
      `${dir}/provenance.json`,
      JSON.stringify(provenanceRecord({
        command: "deno task bench --full",
        commit: "abcdef0123",
        date: "2026-11-29T10:00:00Z",
        wallSeconds: 90,
        versions: { deno: "2.1.0", v8: "", typescript: "" },
        tfjs: "4.22.0",
      })),
    );
    assert.equal(readSummaryCsv(dir)[0].records[0].v, 1);
    assert.equal(readResultsCsv(dir)[0].value, 2);
    assert.equal(
      provenanceLine(readProvenance(dir)),
      "`deno task bench --full`, commit abcdef0, 2026-11-29, 1.5 min wall, deno 2.1.0, tfjs 4.22.0, linux x86_64 2 cores",
    );
    // What provenanceLine reads is checked too, naming the file and the field.
    const good = JSON.parse(Deno.readTextFileSync(`${dir}/provenance.json`));
    for (
      const [change, field] of [
        [{ loadAverage: "1.0" }, /"loadAverage" must be an array of finite numbers/],
        [{ loadAverage: [1, null] }, /"loadAverage" must be an array of finite numbers/],
        [{ wallSeconds: -3 }, /"wallSeconds" must be a finite number >= 0/],
        [{ commit: "" }, /"commit" is empty/],
        [{ tfjs: 4 }, /"tfjs" must be a string/],
      ] as const
    ) {
      Deno.writeTextFileSync(`${dir}/provenance.json`, JSON.stringify({ ...good, ...change }));
      assert.throws(() => readProvenance(dir), (e: Error) => {
        assert.ok(e.message.includes("provenance.json: "), e.message);
        assert.match(e.message, field);
        return true;
      });
    }
    Deno.writeTextFileSync(`${dir}/provenance.json`, "{}");
    assert.throws(() => readProvenance(dir), /"command" missing/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("parseSummaryCsv: titles only at record starts; a '# ' first cell round-trips quoted", () => {
  const tables = [
    {
      title: "table A",
      records: [
        { method: "# baseline", note: "two\n# lines", v: 1.5 },
        { method: "gp", note: "# not a title", v: NaN },
      ],
    },
    { title: "empty", records: [] },
    { title: "table B", records: [{ "# x": 1 }, { "# x": "# y" }] },
  ];
  const text = summaryCsv(tables);
  assert.equal(
    text,
    '# table A\nmethod,note,v\n"# baseline","two\n# lines",1.5\ngp,"# not a title",NaN\n' +
      '# empty\n# table B\n"# x"\n1\n"# y"\n',
  );
  assert.deepEqual(parseSummaryCsv(text), tables);
  // A blank line between tables (the layout of `deno task bench`) and CRLF read the same.
  assert.deepEqual(parseSummaryCsv(tables.map((t) => summaryCsv([t])).join("\n")), tables);
  assert.deepEqual(parseSummaryCsv(text.replaceAll("\n", "\r\n"))[2], tables[2]);
  // A quoted cell spanning lines whose next line starts with "# " is not split into a table.
  const spanning = parseSummaryCsv('# t\na,b\n"x\n# y",1\n');
  assert.deepEqual(spanning, [{ title: "t", records: [{ a: "x\n# y", b: 1 }] }]);
  assert.throws(() => summaryCsv([{ title: "two\nlines", records: [] }]), {
    name: "RangeError",
    message: 'summaryCsv.tables[0].title: must be one line of text, got "two\\nlines"',
  });
});

Deno.test("parseSummaryCsv: numbers as the writers emit them; other number-like text stays text", () => {
  const numbers = [0.1 + 0.2, 1e-300, 5e-324, 1e21, -3, 0, 1.7976931348623157e308, -Infinity];
  const text = `# t\n${recordsToCsv(numbers.map((v) => ({ v })))}`;
  assert.deepEqual(parseSummaryCsv(text)[0].records.map((r) => r.v), numbers);
  // Fixed decimals, as toFixed writes them, are numbers too.
  const fixed = parseSummaryCsv("# t\nv\n0.580\n2.0\n-0.50\n")[0].records.map((r) => r.v);
  assert.deepEqual(fixed, [0.58, 2, -0.5]);
  const texts = [
    "007",
    "0e12345",
    "0x1F",
    "1_000",
    "1e5",
    "+1",
    ".5",
    "5.",
    "0b11",
    "Inf",
    "1.5.2",
  ];
  const parsed = parseSummaryCsv(`# t\nv\n${texts.join("\n")}\n`)[0].records.map((r) => r.v);
  assert.deepEqual(parsed, texts);
});

Deno.test("provenanceLine: wall time in seconds below a minute, in minutes from one on", () => {
  const line = (wallSeconds: number) =>
    provenanceLine(provenanceRecord({ command: "deno run -A bench/x.ts", wallSeconds }))
      .split(", ")[3];
  assert.deepEqual(
    [0.04, 2.5, 45.5, 59.94, 59.95, 60, 90, 1800].map(line),
    [
      "0.04 s wall",
      "2.5 s wall",
      "45.5 s wall",
      "59.9 s wall",
      "1.0 min wall",
      "1.0 min wall",
      "1.5 min wall",
      "30.0 min wall",
    ],
  );
});

Deno.test("commitText: local changes, none, or not known (null) outside a git checkout", () => {
  assert.equal(
    commitText({ commit: "0123456789abcdef", dirty: true }),
    "0123456 (+ local changes)",
  );
  assert.equal(commitText({ commit: "0123456789abcdef", dirty: false }), "0123456");
  assert.equal(commitText({ commit: "unknown", dirty: null }), "unknown (not a git checkout)");
  assert.equal(
    commitText({ commit: "0123456789abcdef", dirty: null }),
    "0123456 (local changes not known)",
  );
  assert.match(
    provenanceLine(provenanceRecord({ commit: "unknown", dirty: null })),
    /^`deno task bench`, commit unknown \(not a git checkout\), 2026-11-29, /,
  );
});

Deno.test("readProvenance names a missing field that provenanceLine needs", () => {
  const dir = Deno.makeTempDirSync();
  const full = provenanceRecord({
    commit: "abcdef0123",
    date: "2026-11-29T10:00:00Z",
    wallSeconds: 60,
    versions: { deno: "2.1.0", v8: "", typescript: "" },
  });
  try {
    const write = (value: unknown) =>
      Deno.writeTextFileSync(`${dir}/provenance.json`, JSON.stringify(value));
    write(full);
    assert.equal(
      provenanceLine(readProvenance(dir)),
      "`deno task bench`, commit abcdef0, 2026-11-29, 1.0 min wall, deno 2.1.0, linux x86_64 2 cores",
    );
    const { versions: _v, machine: _m, ...minimal } = full;
    write({ command: "x", commit: "abc", date: "2026-01-01" });
    assert.throws(
      () => readProvenance(dir),
      /provenance\.json: "wallSeconds" missing or not a number/,
    );
    write(minimal);
    assert.throws(
      () => readProvenance(dir),
      /provenance\.json: "versions\.deno" missing or not a string/,
    );
    write({ ...full, machine: { ...full.machine, arch: undefined } });
    assert.throws(() => readProvenance(dir), /"machine\.arch" missing or not a string/);
    // Whether there were local changes: a boolean, or null when not known; not a string.
    write({ ...full, dirty: "false" });
    assert.throws(() => readProvenance(dir), /"dirty" missing or not a boolean or null/);
    write({ ...full, dirty: null });
    assert.equal(readProvenance(dir).dirty, null);
    write({ ...full, machine: null });
    assert.throws(() => readProvenance(dir), /"machine\.os" missing or not a string/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("recordsToCsv and parseResultsCsv: no column dropped, numbers only as the writers write them", () => {
  // A key first seen in a later record is a column too; a record without it has an empty field.
  assert.equal(
    recordsToCsv([{ method: "a", v: 1 }, { method: "b", v: 2, extra: "kept" }]),
    "method,v,extra\na,1,\nb,2,kept\n",
  );
  const header = "suite,task,method,seed,step,metric,value\n";
  assert.throws(() => parseResultsCsv(`${header}s,t,m,0,1,x,0x10\n`, "r.csv"), {
    message: 'r.csv: line 2: value "0x10" is not a number',
  });
  assert.throws(() => parseResultsCsv(`${header}s,t,m,1.5,1,x,2\n`, "r.csv"), {
    message: "r.csv: line 2: seed 1.5 is not a run seed (an integer ≥ 0) or -1",
  });
  assert.deepEqual(
    parseResultsCsv(`${header}s,t,m,-1,50,x,-Infinity\ns,t,m,3,1,x,1e-7\n`).map((r) => [
      r.seed,
      r.value,
    ]),
    [[-1, -Infinity], [3, 1e-7]],
  );
});
