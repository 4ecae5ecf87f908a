import assert from "node:assert/strict";
import {
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
