/**
 * The PMLB loader's task against the task `inferTaskType` reads from the target: they differ for
 * exactly the datasets the module documentation and the README name, and passing `task: info.task`
 * on, as both say, gives the index's task.
 */
import assert from "node:assert/strict";
import { inferTaskType, loadPmlbDataset, pmlbIndex, prepareDataset } from "../../lib/data/mod.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

const MODULE = Deno.readTextFileSync(new URL("../../lib/data/pmlb.ts", import.meta.url));
const README = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));

Deno.test("PMLB: the datasets whose inferred task differs are those the docs name", async () => {
  const differ: string[] = [];
  for (const info of await pmlbIndex()) {
    const { table } = await loadPmlbDataset(info.name);
    if (inferTaskType(table.array("target") as ArrayLike<unknown>) !== info.task) {
      differ.push(info.name);
    }
  }
  assert.deepEqual(differ, ["1027_ESL", "1028_SWD", "519_vinnie"]);
  const docs = MODULE.slice(0, MODULE.indexOf("@module"));
  for (const text of [docs, README]) {
    for (const name of differ) assert.ok(text.includes(`\`${name}\``), name);
    assert.ok(text.includes("task: info.task"));
  }
});

Deno.test("PMLB: with task: info.task, prepareDataset and extractMetaFeatures do regression", async () => {
  for (const name of ["1027_ESL", "1028_SWD", "519_vinnie"]) {
    const { table, info } = await loadPmlbDataset(name, { maxRows: 200 });
    assert.equal(info.task, "regression");
    const data = prepareDataset(table, { target: "target", task: info.task });
    assert.equal(data.task, "regression");
    assert.deepEqual(data.classLabels, []);
    const mf = extractMetaFeatures(table, {
      target: "target",
      task: info.task,
      groups: ["general"],
    });
    assert.ok(Number.isNaN(mf.get("nr_class")), `${name}: nr_class`);
  }
});
