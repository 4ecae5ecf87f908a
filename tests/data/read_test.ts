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

Deno.test("non-finite cells follow one rule in every loader: missing, counted in nonFinite", () => {
  const csv = tableFromCsv("a,b\n1e999,x\n-2e308,y\ninf,z\n-Infinity,w\n2,v\n");
  const tsv = tableFromTsv("a\tb\n1e999\tx\n-2e308\ty\ninf\tz\n-Infinity\tw\n2\tv\n");
  const json = tableFromJson(
    '[{"a":1e999,"b":"x"},{"a":-2e308,"b":"y"},{"a":null,"b":"z"},' +
      '{"a":-1e400,"b":"w"},{"a":2,"b":"v"}]',
  );
  const columns = tableFromColumns(
    { a: [Infinity, -Infinity, NaN, "+INF", 2], b: ["x", "y", "z", "w", "v"] },
    { source: "cols", format: "json" },
  );
  for (
    const [name, loaded, nonFinite] of [
      ["csv", csv, 4],
      ["tsv", tsv, 4],
      ["json", json, 3],
      ["columns", columns, 4],
    ] as const
  ) {
    assert.deepEqual(Array.from(loaded.table.array("a")), [null, null, null, null, 2], name);
    assert.equal(loaded.report.columns[0].type, "numeric", name);
    assert.equal(loaded.report.columns[0].missing, 4, name);
    assert.equal(loaded.report.columns[0].nonFinite, nonFinite, name);
  }
  // Large but finite numbers stay numbers.
  assert.deepEqual(Array.from(tableFromCsv("a\n1.7e308\n-4.9e-324\n").table.array("a")), [
    1.7e308,
    -4.9e-324,
  ]);
});

Deno.test("column names equal to Object.prototype members load like any other name", () => {
  const csv = tableFromCsv("__proto__,constructor,toString\n1,a,x\n2,b,y\n", {
    types: { constructor: "categorical", __proto__: "numeric" } as never,
  });
  assert.deepEqual(csv.table.columnNames(), ["__proto__", "constructor", "toString"]);
  assert.deepEqual(Array.from(csv.table.array("__proto__")), [1, 2]);
  assert.deepEqual(csv.report.columns.map((c) => c.type), [
    "numeric",
    "categorical",
    "categorical",
  ]);
  // A record without the key has a missing cell, not Object.prototype's member.
  const json = tableFromJson('[{"a": 1, "constructor": "x", "__proto__": 5}, {"a": 2}]');
  assert.deepEqual(json.table.columnNames(), ["a", "constructor", "__proto__"]);
  assert.deepEqual(Array.from(json.table.array("constructor")), ["x", null]);
  assert.deepEqual(Array.from(json.table.array("__proto__")), [5, null]);
  // options.types may not name an inherited member as a column.
  assert.throws(
    () => tableFromCsv("a\n1\n", { types: { toString: "numeric" } as never }),
    /column "toString": options\.types names a column that does not exist/,
  );
});

Deno.test("loadTable names a path or options argument of the wrong type", async () => {
  await assert.rejects(() => loadTable(null as never), /loadTable: path: must be a non-empty/);
  await assert.rejects(() => loadTable(5 as never), /loadTable: path: must be/);
  await assert.rejects(() => loadTable("", {}), /loadTable: path: must be/);
  await assert.rejects(
    () => loadTable("x.csv", { format: "xls" as never }),
    /loadTable: options\.format/,
  );
  await assert.rejects(() => loadTable("x.csv", 7 as never), /loadTable: options/);
});

Deno.test("deeply nested JSON gives a DataError, never a stack overflow", () => {
  for (const text of ["[".repeat(100_000), "{".repeat(100_000), '{"a":' + "[".repeat(100_000)]) {
    assert.throws(() => tableFromJson(text), DataError);
  }
  assert.throws(
    () => tableFromJson("[" + "[".repeat(100_000) + "]".repeat(100_000) + "]"),
    /record 0 is not an object/,
  );
});

Deno.test("columns keep the file's order, also when names look like numbers", () => {
  // Header `label,3,1,x`: an object would enumerate "1" and "3" first.
  const rows = ["a,10,100,0.5", "b,20,200,1.5", "a,30,300,2.5", "b,40,400,3.5"];
  const csv = tableFromCsv(`label,3,1,x\n${rows.join("\n")}\n`);
  const tsv = tableFromTsv(
    `label\t3\t1\tx\n${rows.map((r) => r.replaceAll(",", "\t")).join("\n")}`,
  );
  const records = tableFromJson('[{"label": "a", "3": 10, "1": 100, "x": 0.5}, {"x": 1, "0": 2}]');
  const columns = tableFromJson('{"label": ["a"], "3": [10], "1": [100], "x": [0.5]}');
  const escaped = tableFromJson('{"l\\u0061bel": ["a"], "3": [10], "\\n": [1], "1": [100]}');
  const map = tableFromColumns(
    new Map([["label", ["a"]], ["3", ["10"]], ["1", ["100"]], ["x", ["0.5"]]]),
    { source: "map", format: "csv" },
  );
  for (const [name, loaded] of [["csv", csv], ["tsv", tsv], ["columns", columns], ["map", map]]) {
    const { table, report } = loaded as typeof csv;
    assert.deepEqual(table.columnNames(), ["label", "3", "1", "x"], name as string);
    assert.deepEqual(report.columns.map((c) => c.name), ["label", "3", "1", "x"], name as string);
    assert.deepEqual(Array.from(table.array("3")).slice(0, 1), [10], name as string);
  }
  assert.deepEqual(records.table.columnNames(), ["label", "3", "1", "x", "0"]);
  assert.deepEqual(Array.from(records.table.array("0")), [null, 2]);
  assert.deepEqual(escaped.table.columnNames(), ["label", "3", "\n", "1"]);
  // An already parsed object enumerates index-like keys first, as JavaScript does.
  assert.deepEqual(tableFromJson({ label: ["a"], 3: [10] }).table.columnNames(), ["3", "label"]);
});

Deno.test("a CSV file with numeric column names loads in file order", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(
      path,
      "label,3,1,x\na,10,100,0.5\nb,20,200,1.5\na,30,300,2.5\nb,40,400,3.5\na,50,500,4.5\n" +
        "b,60,600,5.5\n",
    );
    const { table } = await loadTable(path);
    assert.deepEqual(table.columnNames(), ["label", "3", "1", "x"]);
    assert.deepEqual(Array.from(table.array("1")), [100, 200, 300, 400, 500, 600]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("NaN in any letter case and with a sign is missing, like Infinity", () => {
  for (const token of ["NaN", "nan", "-nan", "+nan", "NAN", "-NaN", " nAn "]) {
    const { table, report } = tableFromCsv(`x\n1.5\n${token}\n2.5\n`);
    assert.deepEqual(Array.from(table.array("x")), [1.5, null, 2.5], token);
    assert.deepEqual(report.columns[0], {
      name: "x",
      type: "numeric",
      missing: 1,
      distinct: 2,
      nonFinite: 0,
    }, token);
  }
  // Whatever the missing tokens.
  const custom = tableFromTsv("x\n-nan\n1\n", { missingTokens: ["-"] });
  assert.deepEqual(Array.from(custom.table.array("x")), [null, 1]);
  // Text merely containing nan is a label.
  assert.equal(tableFromCsv("x\nnano\n1\n").report.columns[0].type, "categorical");
});

Deno.test("labels are kept exactly as written; numbers and missing tokens may have spaces", () => {
  const { table, report } = tableFromCsv('c,y\n" yes",1\nyes,0\n"no ",1\nno,0\n NA ,1\n');
  assert.deepEqual(Array.from(table.array("c")), [" yes", "yes", "no ", "no", null]);
  assert.equal(report.columns[0].distinct, 4);
  const numbers = tableFromCsv("n\n 1\n2 \n");
  assert.deepEqual(Array.from(numbers.table.array("n")), [1, 2]);
  // A number in a categorical column keeps its text, spaces included.
  assert.deepEqual(Array.from(tableFromCsv("c\n 007\nx\n").table.array("c")), [" 007", "x"]);
});

Deno.test("a column without any value is numeric in every loader", () => {
  const csv = tableFromCsv("a,b\n,1\n,2\nNA,3\n");
  const json = tableFromJson('[{"a": null, "b": 1}, {"b": 2}]');
  for (const loaded of [csv, json]) {
    assert.equal(loaded.report.columns[0].type, "numeric");
    assert.equal(loaded.report.columns[0].missing, loaded.table.numRows());
  }
  // Forcing it categorical is still possible.
  assert.equal(
    tableFromCsv("a,b\n,1\n", { types: { a: "categorical" } }).report.columns[0].type,
    "categorical",
  );
});
