import assert from "node:assert/strict";
import {
  builtinDatasets,
  loadBuiltinDataset,
  poolDigits,
  prepareBuiltinDataset,
} from "../../lib/data/mod.ts";

Deno.test("the registry holds at least 8 classification and 5 regression datasets", () => {
  const tasks = builtinDatasets.map((d) => d.task);
  assert.ok(tasks.filter((t) => t === "classification").length >= 8);
  assert.ok(tasks.filter((t) => t === "regression").length >= 5);
  assert.equal(new Set(builtinDatasets.map((d) => d.name)).size, builtinDatasets.length);
  for (const d of builtinDatasets) {
    assert.ok(d.source.startsWith("npm:"), d.name);
    assert.ok(d.licence.length > 0 && d.description.length > 0, d.name);
    assert.ok(!d.features.includes(d.target), d.name);
    assert.ok(d.rows <= 2000 && d.rows <= d.availableRows, d.name);
  }
});

const readme = await Deno.readTextFile(new URL("../../datasets/README.md", import.meta.url));

/** The README table row of a dataset as numbers: rows, available, features, encoded[, classes]. */
function readmeRow(name: string): number[] {
  const line = readme.split("\n").find((l) => l.split("|")[1]?.trim() === `\`${name}\``);
  assert.ok(line, `README lists ${name}`);
  const cells = line.split("|").slice(3).map((c) => c.trim().replaceAll(",", ""));
  return cells.slice(0, cells.findIndex((c) => c.startsWith("`npm:"))).map(Number);
}

for (const info of builtinDatasets) {
  Deno.test(`built-in ${info.name}: documented rows, features and target type`, async () => {
    const { table, report, info: returned } = await loadBuiltinDataset(info.name);
    assert.equal(returned, info);
    assert.equal(table.numRows(), info.rows);
    assert.equal(report.rows, info.rows);
    assert.equal(report.availableRows, info.availableRows);
    assert.equal(report.subsampled, info.rows < info.availableRows);
    assert.deepEqual(table.columnNames(), [...info.features, info.target]);
    const target = table.array(info.target) as unknown[];
    assert.ok(target.every((v) => v !== null && v !== undefined), "no missing target");
    if (info.task === "classification") {
      assert.ok(target.every((v) => typeof v === "string"));
      assert.equal(new Set(target).size, info.classes);
    } else {
      assert.ok(target.every((v) => typeof v === "number" && Number.isFinite(v)));
      assert.equal(info.classes, 0);
    }
    const data = await prepareBuiltinDataset(info.name);
    const documented = [info.rows, info.availableRows, info.features.length, data.numFeatures];
    if (info.task === "classification") documented.push(info.classes);
    assert.deepEqual(readmeRow(info.name), documented, "README table matches");
    assert.equal(data.task, info.task);
    assert.equal(data.report.used, info.rows);
    assert.equal(data.train.size + data.validation.size + data.test.size, info.rows);
    for (const part of [data.train, data.validation, data.test]) {
      assert.ok(part.x.every(Number.isFinite), "finite features");
    }
  });
}

Deno.test("subsamples are seeded, stratified and keep source order", async () => {
  const a = await loadBuiltinDataset("sensor-anomaly", { seed: 3 });
  const b = await loadBuiltinDataset("sensor-anomaly", { seed: 3 });
  const c = await loadBuiltinDataset("sensor-anomaly", { seed: 4 });
  assert.deepEqual(a.table.objects(), b.table.objects());
  assert.notDeepEqual(a.table.objects(), c.table.objects());
  // 149 of 18,914 rows are anomalies: a proportional 2,000-row sample holds round(15.76) = 16.
  const positives = (a.table.array("label") as string[]).filter((l) => l === "1").length;
  assert.equal(positives, 16);
  const full = await loadBuiltinDataset("sensor-anomaly", { maxRows: Infinity });
  assert.equal(full.table.numRows(), 18914);
  const small = await loadBuiltinDataset("cars-mpg", { maxRows: 100, seed: 2 });
  assert.equal(small.table.numRows(), 100);
  assert.equal(small.report.droppedMissingTarget, 8);
  const years = small.table.array("Year") as number[];
  for (let i = 1; i < years.length; i++) assert.ok(years[i - 1] <= years[i], "source order kept");
});

Deno.test("mnist pooling averages 2x2 blocks", () => {
  const image = Array.from({ length: 784 }, (_, k) => (Math.floor(k / 28) * 28 + (k % 28)) / 784);
  const [pooled] = poolDigits(image);
  assert.equal(pooled.length, 196);
  // Block (i, j) averages pixels (2i, 2j), (2i, 2j+1), (2i+1, 2j), (2i+1, 2j+1).
  const at = (r: number, c: number) => (r * 28 + c) / 784;
  const expected = (at(6, 10) + at(6, 11) + at(7, 10) + at(7, 11)) / 4;
  assert.ok(Math.abs(pooled[3 * 14 + 5] - expected) < 1e-15);
  assert.throws(() => poolDigits([1, 2, 3]), /flat: length must be a multiple of 784/);
});

Deno.test("built-in loaders reject bad inputs, naming the field", async () => {
  await assert.rejects(
    () => loadBuiltinDataset("nope"),
    /name: unknown built-in dataset "nope"; known: iris/,
  );
  await assert.rejects(() => loadBuiltinDataset("iris", { seed: 0.5 }), /options\.seed/);
  await assert.rejects(() => loadBuiltinDataset("iris", { maxRows: 1 }), /options\.maxRows/);
  // One schema for both forms: the message says what is accepted, not "must be Infinity".
  await assert.rejects(
    () => loadBuiltinDataset("iris", { maxRows: 1.5 }),
    /options\.maxRows: must be an integer ≥ 2 or Infinity/,
  );
  // Every class keeps a row: fewer rows than classes cannot be honoured, so it is refused.
  await assert.rejects(
    () => loadBuiltinDataset("iris", { maxRows: 2 }),
    (e: Error) => e instanceof RangeError && /maxRows: 2 is below the 3 classes/.test(e.message),
  );
  assert.equal((await loadBuiltinDataset("iris", { maxRows: 3 })).table.numRows(), 3);
  await assert.rejects(() => loadBuiltinDataset("iris", { rows: 3 } as never), /options/);
  await assert.rejects(() => prepareBuiltinDataset("nope"), /unknown built-in dataset/);
  await assert.rejects(
    () => prepareBuiltinDataset("iris", { missing: "x" as "drop" }),
    /options\.missing/,
  );
});
