import assert from "node:assert/strict";
import {
  DataError,
  encodeFeatures,
  loadTable,
  prepareDataset,
  tableFromColumns,
  tableFromCsv,
  tableFromJson,
} from "../../lib/data/mod.ts";
import type { PreparedDataset, Table } from "../../lib/data/mod.ts";

const fixture = (name: string) => new URL(`../fixtures/data/${name}`, import.meta.url).pathname;
const expected = JSON.parse(await Deno.readTextFile(fixture("expected.json")));
const mixed = (await loadTable(fixture("mixed.csv"))).table;

function column(x: Float64Array, width: number, j: number): number[] {
  return Array.from({ length: x.length / width }, (_, i) => x[i * width + j]);
}

/** Population mean and standard deviation of the non-null values, computed directly. */
function stats(values: (number | null)[]): { mean: number; std: number } {
  const seen = values.filter((v): v is number => v !== null);
  const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
  const variance = seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length;
  return { mean, std: Math.sqrt(variance) };
}

function prepareMixed(seed = 1): PreparedDataset {
  return prepareDataset(mixed, { target: "label", exclude: ["id", "note"], seed, source: "mixed" });
}

Deno.test("prepareDataset: feature layout, classes and the report", () => {
  const data = prepareMixed();
  assert.equal(data.task, "classification");
  assert.deepEqual(data.classLabels, ["a", "b", "c"]);
  assert.deepEqual(data.featureNames, [
    "x1",
    "x1:missing",
    "x2",
    "x2:missing",
    "colour=blue",
    "colour=green",
    "colour=red",
  ]);
  assert.equal(data.numFeatures, 7);
  assert.equal(data.report.rows, 60);
  assert.equal(data.report.used, 60);
  assert.deepEqual(data.report.dropped, []);
  for (const c of data.report.columns) assert.equal(c.missing, expected.missing[c.name], c.name);
  assert.deepEqual(
    Object.fromEntries(data.report.columns.map((c) => [c.name, c.role])),
    {
      id: "ignored",
      x1: "feature",
      x2: "feature",
      colour: "feature",
      note: "ignored",
      label: "target",
    },
  );
  assert.deepEqual(data.report.imputed, { x1: 6, x2: 5, colour: 3 });
  for (const part of [data.train, data.validation, data.test]) {
    assert.equal(part.x.length, part.size * data.numFeatures);
    assert.equal(part.y.length, part.size);
    assert.equal(part.rows.length, part.size);
  }
});

Deno.test("prepareDataset: stratified, deterministic split over all rows", () => {
  const data = prepareMixed(4);
  const counts = (y: Float64Array) => [0, 1, 2].map((c) => y.filter((v) => v === c).length);
  assert.deepEqual(counts(data.train.y), [18, 12, 6]);
  assert.deepEqual(counts(data.validation.y), [6, 4, 2]);
  assert.deepEqual(counts(data.test.y), [6, 4, 2]);
  const labels = mixed.array("label") as string[];
  for (const part of [data.train, data.validation, data.test]) {
    part.rows.forEach((r, i) => assert.equal(data.classLabels[part.y[i]], labels[r]));
  }
  const again = prepareMixed(4);
  assert.deepEqual(again.test.rows, data.test.rows);
  assert.deepEqual(again.train.x, data.train.x);
  assert.notDeepEqual(prepareMixed(5).test.rows, data.test.rows);
});

Deno.test("prepareDataset: standardisation and imputation use training rows only", () => {
  const data = prepareMixed(2);
  const width = data.numFeatures;
  for (const [name, j] of [["x1", 0], ["x2", 2]] as const) {
    const raw = mixed.array(name) as (number | null)[];
    const train = stats(Array.from(data.train.rows, (r) => raw[r]));
    const all = stats(raw);
    assert.notEqual(train.mean.toFixed(6), all.mean.toFixed(6), "train and full means differ");
    const spec = data.transform.columns[name === "x1" ? 0 : 1];
    assert.ok(spec.kind === "numeric");
    assert.ok(Math.abs(spec.mean - train.mean) < 1e-12);
    assert.ok(Math.abs(spec.std - train.std) < 1e-12);
    for (const part of [data.train, data.validation, data.test]) {
      const values = column(part.x, width, j);
      const indicator = column(part.x, width, j + 1);
      part.rows.forEach((r, i) => {
        if (raw[r] === null) {
          assert.equal(values[i], 0, "missing → train mean → 0");
          assert.equal(indicator[i], 1);
        } else {
          assert.ok(Math.abs(values[i] - (raw[r]! - train.mean) / train.std) < 1e-12);
          assert.equal(indicator[i], 0);
        }
      });
    }
    // Observed training values standardise to mean 0 and variance 1.
    const observed = Array.from(
      data.train.rows,
      (r, i) => [raw[r], column(data.train.x, width, j)[i]],
    )
      .filter(([v]) => v !== null).map(([, z]) => z as number);
    const z = stats(observed);
    assert.ok(Math.abs(z.mean) < 1e-12 && Math.abs(z.std - 1) < 1e-12);
  }
});

Deno.test("prepareDataset: one-hot categories come from training rows; unseen and missing → zeros", () => {
  const rows = Array.from(
    { length: 40 },
    (_, i) => `${i},${i < 39 ? ["u", "v"][i % 2] : "w"},${i % 2}`,
  );
  const { table } = tableFromCsv(`x,cat,y\n${rows.join("\n")}\n`);
  const data = prepareDataset(table, { target: "y", task: "classification", seed: 0 });
  const categories = data.transform.columns[1];
  assert.ok(categories.kind === "categorical");
  const trainValues = new Set(Array.from(data.train.rows, (r) => table.get("cat", r)));
  assert.deepEqual(categories.categories, [...trainValues].sort());
  const fresh = tableFromCsv("x,cat,y\n1,u,0\n2,zzz,1\n3,,0\n").table;
  const x = encodeFeatures(data.transform, fresh);
  const width = data.numFeatures;
  const oneHot = (i: number) => Array.from(x.subarray(i * width + 1, (i + 1) * width));
  assert.deepEqual(oneHot(0), categories.categories.map((c) => (c === "u" ? 1 : 0)));
  assert.deepEqual(oneHot(1), categories.categories.map(() => 0));
  assert.deepEqual(oneHot(2), categories.categories.map(() => 0));
  const spec = data.transform.columns[0];
  assert.ok(spec.kind === "numeric");
  assert.ok(Math.abs(x[0] - (1 - spec.mean) / spec.std) < 1e-12);
});

Deno.test("prepareDataset: the drop policy removes and lists rows with missing features", () => {
  const data = prepareDataset(mixed, { target: "label", exclude: ["id", "note"], missing: "drop" });
  const x1 = mixed.array("x1") as unknown[];
  const x2 = mixed.array("x2") as unknown[];
  const colour = mixed.array("colour") as unknown[];
  const bad = Array.from({ length: 60 }, (_, r) => r)
    .filter((r) => x1[r] === null || x2[r] === null || colour[r] === null);
  assert.deepEqual(data.report.dropped.map((d) => d.row), bad);
  assert.equal(data.report.used + data.report.dropped.length, 60);
  assert.equal(data.train.size + data.validation.size + data.test.size, data.report.used);
  assert.ok(!data.featureNames.some((n) => n.endsWith(":missing")));
  const first = data.report.dropped.find((d) => d.row === 4)!;
  assert.match(first.reason, /missing "x1"/);
});

Deno.test("prepareDataset: missing targets are dropped and reported; regression keeps raw y", () => {
  const { table } = tableFromJson({
    a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    y: [1.5, null, 2.5, 3.5, 4.5, 5.5, null, 7.5, 8.5, 9.5],
  });
  const data = prepareDataset(table, { target: 1, seed: 3 });
  assert.equal(data.task, "regression");
  assert.equal(data.target, "y");
  assert.deepEqual(data.report.dropped, [
    { row: 1, reason: 'missing target "y"' },
    { row: 6, reason: 'missing target "y"' },
  ]);
  assert.deepEqual(data.classLabels, []);
  assert.deepEqual([data.train.size, data.validation.size, data.test.size], [4, 2, 2]);
  for (const part of [data.train, data.validation, data.test]) {
    part.rows.forEach((r, i) => assert.equal(part.y[i], table.get("y", r)));
  }
  const raw = prepareDataset(table, { target: "y", standardize: false });
  raw.train.rows.forEach((r, i) => assert.equal(raw.train.x[i], table.get("a", r)));
});

Deno.test("prepareDataset: a missing target column names the file and column", async () => {
  const { table } = await loadTable(fixture("no_label.csv"));
  assert.throws(
    () => prepareDataset(table, { target: "label", source: "no_label.csv" }),
    (e: unknown) =>
      e instanceof DataError && e.column === "label" &&
      /no_label\.csv, column "label": target column not found; columns are x, y, z/.test(e.message),
  );
  assert.throws(
    () => prepareDataset(table, { target: 3 }),
    /target column index 3 is out of range/,
  );
});

Deno.test("prepareDataset and encodeFeatures reject bad inputs, naming the field", () => {
  const t: Table = mixed;
  assert.throws(
    () => prepareDataset({} as Table, { target: "label" }),
    /table: must be an arquero table/,
  );
  assert.throws(() => prepareDataset(t, {} as never), /options\.target/);
  assert.throws(() => prepareDataset(t, { target: "label", seed: 1.5 }), /options\.seed/);
  assert.throws(
    () => prepareDataset(t, { target: "label", missing: "zap" as "drop" }),
    /options\.missing/,
  );
  assert.throws(
    () => prepareDataset(t, { target: "label", split: { train: 0.9, validation: 0.2, test: 0 } }),
    /options\.split: train \+ validation \+ test must equal 1/,
  );
  assert.throws(() => prepareDataset(t, { target: "label", extra: 1 } as never), /options/);
  assert.throws(
    () => prepareDataset(t, { target: "label", features: ["label"] }),
    /column "label": options\.features contains the target/,
  );
  assert.throws(
    () => prepareDataset(t, { target: "label", exclude: ["nope"] }),
    /column "nope": options\.exclude/,
  );
  assert.throws(
    () => prepareDataset(t, { target: "label", categorical: ["nope"] }),
    /options\.categorical/,
  );
  assert.throws(
    () => prepareDataset(t, { target: "label", task: "regression" }),
    /column "label": regression target must be numeric/,
  );
  assert.throws(
    () => prepareDataset(t, { target: "label", exclude: ["id", "x1", "x2", "colour", "note"] }),
    /no feature columns left/,
  );
  const allMissing = tableFromJson({ a: [1, 2, 3], y: [null, null, 1] }).table;
  assert.throws(() => prepareDataset(allMissing, { target: "y" }), /only 1 usable row/);
  const data = prepareMixed();
  assert.throws(() => encodeFeatures({} as never, t), /transform: must be the transform/);
  assert.throws(
    () => encodeFeatures(data.transform, {} as Table),
    /table: must be an arquero table/,
  );
  assert.throws(
    () => encodeFeatures(data.transform, tableFromCsv("x1\n1\n").table),
    /column "x2": column of the transform is missing/,
  );
  assert.throws(() => encodeFeatures(data.transform, t, [0, 60]), /rows\[1\]/);
  const text = tableFromCsv("x1,x2,colour\nabc,1,red\n").table;
  assert.throws(() => encodeFeatures(data.transform, text), /column "x1": column must be numeric/);
});

Deno.test("prepareDataset: columns named like Object.prototype members are ordinary columns", () => {
  const n = 20;
  const { table } = tableFromJson(Object.fromEntries([
    ["__proto__", Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : i))],
    ["constructor", Array.from({ length: n }, (_, i) => (i % 3 ? "u" : "v"))],
    ["y", Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b"))],
  ]));
  const data = prepareDataset(table, { target: "y", seed: 0 });
  assert.deepEqual(data.featureNames, [
    "__proto__",
    "__proto__:missing",
    "constructor=u",
    "constructor=v",
  ]);
  assert.deepEqual(Object.keys(data.report.imputed), ["__proto__", "constructor"]);
  assert.equal(data.report.imputed["__proto__"], 5);
});

Deno.test("prepareDataset splits a table whose majority class has 270,000 rows", () => {
  const n = 300_000;
  const { table } = tableFromColumns({
    x: Array.from({ length: n }, (_, i) => (i * 7919) % 1000),
    y: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? "pos" : "neg")),
  }, { source: "inline", format: "csv" });
  const data = prepareDataset(table, { target: "y", seed: 0 });
  assert.deepEqual([data.train.size, data.validation.size, data.test.size], [
    180_000,
    60_000,
    60_000,
  ]);
  // Stratified: every part keeps the 9:1 ratio (classes sorted: "neg" is 0, "pos" is 1).
  for (const part of [data.train, data.validation, data.test]) {
    assert.equal(part.y.filter((c) => c === 1).length, part.size / 10);
  }
});

Deno.test("prepareDataset: a target by 0-based index counts columns in file order", () => {
  const rows = Array.from({ length: 12 }, (_, i) => `${"ab"[i % 2]},${i},${i * 10},${i / 2}`);
  const { table } = tableFromCsv(`label,3,1,x\n${rows.join("\n")}\n`);
  const data = prepareDataset(table, { target: 0, seed: 0 });
  assert.equal(data.target, "label");
  assert.equal(data.task, "classification");
  assert.deepEqual(data.featureNames, ["3", "1", "x"]);
  assert.equal(prepareDataset(table, { target: 2, task: "regression" }).target, "1");
});

Deno.test("encodeFeatures: categories spelled like numbers match a new file read as numeric", () => {
  const zips = ["007", "012", "A12", "007", "012", "A12", "007", "012", "A12", "007"];
  const train = zips.map((z, i) => `${z},${i % 2 ? "a" : "b"}`).join("\n");
  const data = prepareDataset(tableFromCsv(`zip,y\n${train}\n`).table, { target: "y" });
  assert.deepEqual(data.featureNames, ["zip=007", "zip=012", "zip=A12"]);
  // No letter code in the new file, so its zip column is numeric (7, 12, 5).
  const fresh = tableFromCsv("zip,y\n007,a\n012,b\n005,a\n,b\n").table;
  assert.deepEqual(Array.from(encodeFeatures(data.transform, fresh)), [
    ...[1, 0, 0],
    ...[0, 1, 0],
    ...[0, 0, 0], // unseen
    ...[0, 0, 0], // missing
  ]);
  // Text matches exactly: "7" is not the category "007".
  const text = tableFromCsv("zip,y\n007,a\n7,b\nA12,a\n").table;
  assert.deepEqual(Array.from(encodeFeatures(data.transform, text)), [
    ...[1, 0, 0],
    ...[0, 0, 0],
    ...[0, 0, 1],
  ]);
  // Two fitted categories that read as the same number cannot be told apart.
  const both = ["7", "007", "x", "7", "007", "x", "7", "007", "x", "7"]
    .map((z, i) => `${z},${i % 2 ? "a" : "b"}`).join("\n");
  const ambiguous = prepareDataset(tableFromCsv(`zip,y\n${both}\n`).table, {
    target: "y",
    split: { train: 1, validation: 0, test: 0 },
  });
  assert.throws(
    () => encodeFeatures(ambiguous.transform, tableFromCsv("zip,y\n7,a\n").table),
    (error: Error) =>
      error instanceof DataError &&
      /column "zip": value 7 reads as more than one fitted category \("007", "7"\)/.test(
        error.message,
      ),
  );
  // Codes forced categorical still match themselves.
  const codes =
    tableFromCsv(`c,y\n${Array.from({ length: 10 }, (_, i) => `${i % 3},${i % 2}`).join("\n")}\n`)
      .table;
  const coded = prepareDataset(codes, { target: "y", categorical: ["c"], seed: 2 });
  const again = encodeFeatures(coded.transform, codes, coded.train.rows);
  assert.deepEqual(Array.from(again), Array.from(coded.train.x));
});

Deno.test("prepareDataset: a feature column without values in the training rows is left out", () => {
  const csv = "a,x,y\n" + Array.from({ length: 10 }, (_, i) => `,${i},${i % 2}`).join("\n") + "\n";
  const { table, report } = tableFromCsv(csv);
  assert.equal(report.columns[0].type, "numeric");
  const data = prepareDataset(table, { target: "y" });
  assert.deepEqual(data.featureNames, ["x"]);
  assert.deepEqual(data.report.columns.map((c) => [c.name, c.type, c.role, c.missing]), [
    ["a", "numeric", "empty", 10],
    ["x", "numeric", "feature", 0],
    ["y", "numeric", "target", 0],
  ]);
  assert.deepEqual(data.report.imputed, { x: 0 });
  assert.deepEqual(data.transform.columns.map((c) => c.name), ["x"]);
  // New data need not have the column.
  assert.equal(encodeFeatures(data.transform, tableFromCsv("x\n3\n").table).length, 1);
  // Under the drop policy the column does not drop every row.
  const dropped = prepareDataset(table, { target: "y", missing: "drop" });
  assert.equal(dropped.report.used, 10);
  assert.equal(dropped.report.columns[0].role, "empty");
  // Values only outside the training rows: left out too.
  const late = tableFromJson({
    a: [...Array(9).fill(null), 5],
    c: ["u", "v", ...Array(8).fill(null)],
    x: Array.from({ length: 10 }, (_, i) => i),
    y: Array.from({ length: 10 }, (_, i) => i),
  }).table;
  const split = { train: 0.8, validation: 0, test: 0.2 };
  const seeds = [0, 1, 2, 3, 4, 5, 6, 7].map((seed) =>
    prepareDataset(late, { target: "y", task: "regression", seed, split })
  );
  for (const d of seeds) {
    const inTrain = Array.from(d.train.rows).includes(9);
    assert.equal(d.report.columns[0].role, inTrain ? "feature" : "empty");
  }
  assert.ok(seeds.some((d) => d.report.columns[0].role === "empty"));
  // Nothing left: an error naming the columns.
  assert.throws(
    () => prepareDataset(table, { target: "y", features: ["a"] }),
    /no feature columns left: no value in the training rows for "a"/,
  );
});
