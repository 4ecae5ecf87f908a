import assert from "node:assert/strict";
import {
  DataError,
  loadTable,
  parseDelimited,
  tableFromColumns,
  tableFromCsv,
  tableFromJson,
  tableFromTsv,
} from "../../lib/data/mod.ts";

const FIXTURES = new URL("../fixtures/data/", import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const expected = JSON.parse(await Deno.readTextFile(fixture("expected.json")));

function assertMatchesExpected(
  report: { rows: number; columns: { name: string; type: string; missing: number }[] },
  missing: Record<string, number>,
) {
  assert.equal(report.rows, expected.rows);
  for (const column of report.columns) {
    assert.equal(column.type, expected.types[column.name], `type of ${column.name}`);
    assert.equal(column.missing, missing[column.name], `missing in ${column.name}`);
  }
}

Deno.test("parseDelimited handles quotes, doubled quotes, embedded newlines and CRLF", () => {
  const text = 'a,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",3\r\n';
  const { header, rows, lines, blankLines } = parseDelimited(text, ",", "t.csv");
  assert.equal(blankLines, 1);
  assert.deepEqual(header, ["a", "b"]);
  assert.deepEqual(rows, [["x, y", 'say "hi"'], ["two\nlines", "3"]]);
  assert.deepEqual(lines, [2, 4]);
});

Deno.test("parseDelimited rejects bad headers and delimiters", () => {
  assert.throws(() => parseDelimited("", ",", "e.csv"), /e\.csv: empty input/);
  assert.throws(() => parseDelimited("a,,c\n", ",", "h.csv"), /h\.csv:1, column 2: empty column/);
  assert.throws(() => parseDelimited("a,a\n", ",", "d.csv"), /column "a": duplicate/);
  assert.throws(() => parseDelimited("a\n", '"', "q.csv"), /delimiter/);
  assert.throws(
    () => parseDelimited('a,b\n"x"y,2\n', ",", "after.csv"),
    /after\.csv:2, column 1: unexpected character "y" after closing quote/,
  );
});

Deno.test("CSV file: types and missing counts match the Python reference", async () => {
  const { table, report } = await loadTable(fixture("mixed.csv"));
  assert.equal(report.format, "csv");
  assert.equal(report.source, fixture("mixed.csv"));
  assertMatchesExpected(report, expected.missing);
  assert.equal(table.numRows(), 60);
  assert.equal(table.get("note", 0), "two\nlines");
  assert.equal(table.get("x1", 4), null);
});

Deno.test("TSV plain and gzip files load the same table as the CSV", async () => {
  const csv = await loadTable(fixture("mixed.csv"));
  for (const name of ["mixed.tsv", "mixed.tsv.gz"]) {
    const tsv = await loadTable(fixture(name));
    assert.equal(tsv.report.format, "tsv");
    assertMatchesExpected(tsv.report, expected.missing);
    assert.deepEqual(tsv.table.objects(), csv.table.objects());
  }
});

Deno.test("JSON records and JSON columns load with absent keys counted missing", async () => {
  const records = await loadTable(fixture("records.json"));
  assertMatchesExpected(records.report, expected.missingRecords);
  // Record 0 lacks "colour", so it comes last in order of first appearance.
  assert.deepEqual(records.table.columnNames(), ["id", "x1", "x2", "note", "label", "colour"]);
  const columns = await loadTable(fixture("columns.json"));
  assertMatchesExpected(columns.report, expected.missing);
  const csv = await loadTable(fixture("mixed.csv"));
  assert.deepEqual(columns.table.objects(), csv.table.objects());
});

Deno.test("malformed files give errors naming the file and line", async () => {
  await assert.rejects(
    () => loadTable(fixture("ragged.csv")),
    (e: unknown) =>
      e instanceof DataError && e.line === 3 && /ragged\.csv:3: row has 2 fields, header has 3/
        .test(e.message),
  );
  await assert.rejects(
    () => loadTable(fixture("bad_quote.csv")),
    (e: unknown) =>
      e instanceof DataError && e.line === 3 && /bad_quote\.csv:3, column 2: unterminated/
        .test(e.message),
  );
  await assert.rejects(
    () => loadTable(fixture("bad.json")),
    (e: unknown) =>
      e instanceof DataError && e.line === 3 &&
      /bad\.json:3, column 17: invalid JSON near \"}/.test(e.message),
  );
  await assert.rejects(
    () => loadTable(fixture("uneven_columns.json")),
    /uneven_columns\.json, column "b": has 2 values, expected 3/,
  );
  await assert.rejects(() => loadTable(fixture("absent.csv")), /absent\.csv: cannot read file/);
  await assert.rejects(() => loadTable(fixture("expected.json.txt")), /cannot tell the format/);
});

Deno.test("a corrupt gzip file is reported by name", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv.gz" });
  try {
    await Deno.writeFile(path, new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4]));
    await assert.rejects(() => loadTable(path), /cannot decompress gzip/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("string loaders infer types, keep text of categorical cells and honour options", () => {
  const { table, report } = tableFromCsv("zip,v,flag\n007,1.5,true\n010,?,false\n", {
    types: { zip: "categorical" },
  });
  assert.deepEqual(table.array("zip"), ["007", "010"]);
  assert.deepEqual(table.array("v"), [1.5, null]);
  assert.deepEqual(report.columns.map((c) => c.type), ["categorical", "numeric", "categorical"]);
  const custom = tableFromTsv("a\tb\n-\t1\n2\t-\n", { missingTokens: ["-"] });
  assert.deepEqual(custom.report.columns.map((c) => c.missing), [1, 1]);
  assert.equal(custom.report.columns[0].type, "numeric");
  assert.throws(
    () => tableFromCsv("a,b\n1,x\n2,3\n", { types: { b: "numeric" }, source: "f.csv" }),
    /f\.csv:2, column "b": value "x" is not a number/,
  );
  assert.throws(
    () => tableFromJson([{ a: 1 }, { a: "x" }], { types: { a: "numeric" }, source: "r.json" }),
    /r\.json, column "a": record 1: value "x" is not a number/,
  );
});

Deno.test("loaders reject bad inputs and options with the field named", async () => {
  assert.throws(() => tableFromCsv(42 as unknown as string), /text: must be a string/);
  assert.throws(() => tableFromTsv(null as unknown as string), /text: must be a string/);
  assert.throws(
    () => tableFromCsv("a\n1\n", { missingTokens: "NA" as unknown as string[] }),
    /options\.missingTokens/,
  );
  assert.throws(
    () => tableFromCsv("a\n1\n", { types: { a: "text" as "numeric" } }),
    /options\.types\.a/,
  );
  assert.throws(() => tableFromCsv("a\n1\n", { bogus: 1 } as never), /options/);
  assert.throws(() => tableFromCsv("a\n1\n", { types: { b: "numeric" } }), /column "b"/);
  assert.throws(() => tableFromJson("3"), /array of records or an object of column arrays/);
  assert.throws(() => tableFromJson([1, 2]), /record 0 is not an object/);
  assert.throws(() => tableFromJson({ a: 1 }), /column "a": is not an array/);
  assert.throws(
    () => tableFromJson([{ a: { b: 1 } }]),
    /column "a": record 0: value of type object/,
  );
  assert.throws(
    () => tableFromJson("[1,", { source: "s.json" }),
    /s\.json:1, column 4: invalid JSON at end of input/,
  );
  assert.throws(
    () => tableFromColumns({ a: [1, 2], b: [1] }, { source: "cols", format: "json" }),
    /cols, column "b": has 1 values, expected 2/,
  );
  await assert.rejects(() => loadTable(""), /path/);
  await assert.rejects(() => loadTable("x.csv", { format: "xml" as "csv" }), /options\.format/);
});
