import assert from "node:assert/strict";
import {
  classCountIssue,
  DataError,
  inferTaskType,
  prepareDataset,
  tableFromColumns,
  TASK_TYPE_DEFAULTS,
} from "../../lib/data/mod.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

Deno.test("inferTaskType: labels, few integers, many integers, non-integers, missing values", () => {
  assert.equal(inferTaskType(["a", "b", "a"]), "classification");
  assert.equal(inferTaskType([true, false]), "classification");
  assert.equal(inferTaskType([0, 1, 1, 0]), "classification");
  assert.equal(inferTaskType([0, 1, null, NaN, Infinity, undefined, ""]), "classification");
  assert.equal(inferTaskType([1.5, 2, 3]), "regression");
  const ints = (n: number) => Array.from({ length: n }, (_, i) => i);
  assert.equal(inferTaskType(ints(TASK_TYPE_DEFAULTS.maxClasses)), "classification");
  assert.equal(inferTaskType(ints(TASK_TYPE_DEFAULTS.maxClasses + 1)), "regression");
  assert.equal(inferTaskType(ints(25), { maxClasses: 30 }), "classification");
  assert.equal(inferTaskType(Float64Array.of(0.5, 1)), "regression");
  assert.throws(() => inferTaskType(5 as never), /inferTaskType\.values/);
  assert.throws(() => inferTaskType([1], { maxClasses: 1 }), /maxClasses/);
});

Deno.test("prepareDataset and extractMetaFeatures infer the same task from the same target", () => {
  const n = 60;
  const x = Array.from({ length: n }, (_, i) => (i * 7) % 13);
  const targets: Record<string, (number | string)[]> = {
    codes: Array.from({ length: n }, (_, i) => i % 3), // numeric 0/1/2 codes: classes
    labels: Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b")),
    counts: Array.from({ length: n }, (_, i) => i), // 60 distinct integers: regression
    real: Array.from({ length: n }, (_, i) => i / 7),
  };
  const expected = {
    codes: "classification",
    labels: "classification",
    counts: "regression",
    real: "regression",
  };
  for (const [name, y] of Object.entries(targets)) {
    const { table } = tableFromColumns({ x, y }, { source: name, format: "json" });
    const prepared = prepareDataset(table, { target: "y", seed: 0 });
    const mf = extractMetaFeatures(table, { target: "y", groups: ["general"] });
    const metaTask = Number.isNaN(mf.get("nr_class")) ? "regression" : "classification";
    assert.equal(prepared.task, expected[name as keyof typeof expected], name);
    assert.equal(metaTask, prepared.task, name);
  }
});

Deno.test("prepareDataset and extractMetaFeatures refuse the same single-class targets", () => {
  assert.equal(classCountIssue(["a", "b"]), undefined);
  assert.equal(
    classCountIssue(["a"]),
    "has a single class 'a'; a classification target needs at least 2",
  );
  assert.match(classCountIssue([])!, /has no class/);
  const n = 20;
  const x = Array.from({ length: n }, (_, i) => i % 7);
  const cases: [string, (number | string | null)[], "classification" | undefined][] = [
    ["one label", Array.from({ length: n }, () => "a"), undefined],
    ["one code", Array.from({ length: n }, () => 1), undefined],
    [
      "one class among present values",
      Array.from({ length: n }, (_, i) => (i < 5 ? null : "b")),
      undefined,
    ],
    ["constant real, read as classes", Array.from({ length: n }, () => 0.5), "classification"],
  ];
  for (const [name, y, task] of cases) {
    const { table } = tableFromColumns({ x, y }, { source: name, format: "json" });
    assert.throws(
      () => prepareDataset(table, { target: "y", task, seed: 0 }),
      (error: Error) =>
        error instanceof DataError && error.column === "y" &&
        /target has a single class '.+'; a classification target needs at least 2$/.test(
          error.message,
        ),
      name,
    );
    assert.throws(
      () => extractMetaFeatures(table, { target: "y", task }),
      /^Error: target: column 'y' has a single class '.+'; a classification target needs at least 2$/,
      name,
    );
  }
  // two classes: both accept
  const { table } = tableFromColumns({ x, y: x.map((v) => v % 2) }, {
    source: "two classes",
    format: "json",
  });
  assert.deepEqual(prepareDataset(table, { target: "y", seed: 0 }).classLabels, ["0", "1"]);
  assert.equal(extractMetaFeatures(table, { target: "y", groups: ["general"] }).get("nr_class"), 2);
});
