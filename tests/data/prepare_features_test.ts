/** `prepareDataset`'s `features` option: each column once, and never one that `exclude` lists. */
import assert from "node:assert/strict";
import { DataError, prepareDataset, tableFromCsv } from "../../lib/data/mod.ts";

const { table } = tableFromCsv(
  "x,z,y\n" + Array.from({ length: 10 }, (_, i) => `${i},${i * i},${i % 2}`).join("\n"),
);

Deno.test("prepareDataset refuses a column listed twice in options.features", () => {
  assert.throws(
    () => prepareDataset(table, { target: "y", features: ["x", "z", "x"] }),
    (e: unknown) =>
      e instanceof DataError && e.column === "x" && /options\.features lists the column twice/
        .test(e.message),
  );
});

Deno.test("prepareDataset refuses a column in both options.features and options.exclude", () => {
  assert.throws(
    () => prepareDataset(table, { target: "y", features: ["x", "z"], exclude: ["z"] }),
    (e: unknown) =>
      e instanceof DataError && e.column === "z" &&
      /options\.features and options\.exclude both list the column/.test(e.message),
  );
});

Deno.test("prepareDataset accepts distinct features, and exclude without features", () => {
  const d = prepareDataset(table, { target: "y", features: ["z", "x"] });
  assert.deepEqual(d.featureNames, ["z", "x"]);
  assert.deepEqual(prepareDataset(table, { target: "y", exclude: ["z"] }).featureNames, ["x"]);
});
