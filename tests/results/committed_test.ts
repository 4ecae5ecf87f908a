import assert from "node:assert/strict";
import {
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
      JSON.stringify({
        command: "deno task bench --full",
        commit: "abcdef0123",
        dirty: false,
        date: "2026-11-29T10:00:00Z",
        wallSeconds: 90,
        versions: { deno: "2.1.0", v8: "", typescript: "" },
        tfjs: "4.22.0",
        machine: { os: "linux", arch: "x86_64", cpus: 2, cpuModel: "c", memoryGiB: 24 },
      }),
    );
    assert.equal(readSummaryCsv(dir)[0].records[0].v, 1);
    assert.equal(readResultsCsv(dir)[0].value, 2);
    assert.equal(
      provenanceLine(readProvenance(dir)),
      "`deno task bench --full`, commit abcdef0, 2026-11-29, 1.5 min wall, deno 2.1.0, tfjs 4.22.0, linux x86_64 2 cores",
    );
    Deno.writeTextFileSync(`${dir}/provenance.json`, "{}");
    assert.throws(() => readProvenance(dir), /"command" missing/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
