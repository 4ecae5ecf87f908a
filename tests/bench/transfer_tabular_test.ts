import assert from "node:assert/strict";
import {
  fileProblems,
  pmlbMetaFeatures,
  readTabularFile,
  type TabularFile,
} from "../../bench/transfer_tabular.ts";
import { loadMetaDataset } from "../../lib/tasks/metadataset/mod.ts";
import { readSummaryCsv } from "../../lib/results/mod.ts";
import { denoRun } from "../_deno_run.ts";

const SPACE = {
  version: 1,
  params: [
    { name: "kernel", kind: "categorical", choices: ["linear", "rbf"] },
    { name: "cost", kind: "float", low: 0.01, high: 100, log: true },
  ],
};

/** A small file: three datasets, six configurations each, the best cost depending on the dataset. */
function smallFile(): TabularFile {
  const ids = ["haberman", "vehicle", "not-a-pmlb-dataset"];
  return {
    learner: "svm",
    space: SPACE,
    tasks: ids.map((id, t) => ({
      id,
      rows: [0.01, 0.1, 1, 10, 100, 3].map((cost, i) => ({
        params: { kernel: i % 2 === 0 ? "rbf" : "linear", cost },
        value: i === 5 && t === 0 ? null : Math.abs(Math.log10(cost) - t) + 0.1 * (i % 2),
      })),
    })),
  };
}

Deno.test("pmlbMetaFeatures: the committed meta-features of named PMLB datasets, finite on all", async () => {
  const features = await pmlbMetaFeatures(["haberman", "vehicle", "not-a-pmlb-dataset"]);
  assert.deepEqual([...features.keys()], ["haberman", "vehicle"]);
  const [a, b] = [features.get("haberman")!, features.get("vehicle")!];
  assert.deepEqual(Object.keys(a), Object.keys(b));
  assert.ok(Object.keys(a).length > 20);
  assert.ok(Object.values(a).every(Number.isFinite) && Object.values(b).every(Number.isFinite));
  const committed = (await loadMetaDataset({ name: "pmlb" })).tasks.find((t) =>
    t.dataset === "vehicle"
  )!;
  for (const [name, value] of Object.entries(b)) assert.equal(value, committed.metaFeatures[name]);
  assert.equal((await pmlbMetaFeatures(["not-a-pmlb-dataset"])).size, 0);
});

Deno.test("fileProblems: ids prefixed by the learner, failed rows at the worst value, meta-features attached", async () => {
  const file = smallFile();
  const problems = fileProblems(file, await pmlbMetaFeatures(file.tasks.map((t) => t.id)));
  assert.deepEqual(problems.map((p) => p.id), [
    "svm:haberman",
    "svm:vehicle",
    "svm:not-a-pmlb-dataset",
  ]);
  // haberman: the null row counts as the task's worst finite value.
  const values = problems[0].history.map((t) => t.value);
  assert.equal(values.length, 6);
  assert.equal(values[5], Math.max(...values.slice(0, 5)));
  assert.equal(problems[0].minimum, 0);
  assert.ok(Object.keys(problems[1].metaFeatures ?? {}).length > 20);
  assert.equal(problems[2].metaFeatures, undefined);
  assert.throws(
    () =>
      fileProblems(
        {
          ...file,
          tasks: [{ id: "x", rows: [{ params: { kernel: "poly", cost: 1 }, value: 1 }] }],
        },
        new Map(),
      ),
    /rows\[0\]\.params\.kernel/,
  );
});

Deno.test("bench/transfer_tabular.ts: runs leave-one-task-out and writes the default's checks", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/svm.json`;
    await Deno.writeTextFile(path, JSON.stringify(smallFile()));
    const script = new URL("../../bench/transfer_tabular.ts", import.meta.url).pathname;
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const lock = new URL("../../deno.lock", import.meta.url).pathname;
    const run = (extra: string[]) =>
      denoRun([
        "run",
        "-A",
        `--config=${config}`,
        "--frozen",
        `--lock=${lock}`,
        script,
        "--tasks",
        path,
        ...extra,
      ]);
    const bad = await run(["--meta-features", "maybe"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--meta-features: "pmlb" or "none", got "maybe"/);
    const out = `${dir}/out`;
    const ok = await run([
      "--seeds",
      "1",
      "--budget",
      "5",
      "--methods",
      "gp,portfolio,rgpe-gp",
      "--out",
      out,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const titles = readSummaryCsv(out).map((t) => t.title);
    assert.ok(titles.includes("mean normalised regret, svm (3 held-out of 3 tasks, 1 seeds)"));
    assert.ok(titles.some((t) => t.startsWith("default strategy (rgpe-gp) vs plain GP-BO, svm")));
    const results = await Deno.readTextFile(`${out}/results.csv`);
    assert.match(results, /transfer-tabular,svm:haberman,rgpe-gp,0,5,normalized_regret,/);
    const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
    assert.match(provenance.command, /bench\/transfer_tabular\.ts --tasks /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTabularFile: the committed scikit-learn meta-data, 53 datasets of 100 configurations each", async () => {
  for (const learner of ["svm", "glmnet"]) {
    const path = new URL(
      `../../results/transfer_full/sklearn/data/${learner}.json.gz`,
      import.meta.url,
    ).pathname;
    const file = readTabularFile(path);
    assert.equal(file.learner, learner);
    assert.equal(file.tasks.length, 53);
    assert.ok(file.tasks.every((t) => t.rows.length === 100));
    const problems = fileProblems(file, await pmlbMetaFeatures(file.tasks.map((t) => t.id)));
    assert.ok(problems.every((p) => p.metaFeatures !== undefined));
    // The elastic net on `dis` predicts the majority class under every configuration: a constant
    // table, which leave-one-task-out skips when held out.
    const constant = problems.filter((p) => !(p.maximum > p.minimum)).map((p) => p.id);
    assert.deepEqual(constant, learner === "glmnet" ? ["glmnet:dis"] : []);
  }
});
