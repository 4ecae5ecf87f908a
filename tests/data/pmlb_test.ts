import assert from "node:assert/strict";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  DataError,
  loadPmlbDataset,
  loadTable,
  PMLB_DEFAULTS,
  pmlbIndex,
  prepareDataset,
} from "../../lib/data/mod.ts";

Deno.test("pmlbIndex: the committed index lists every committed file with its size", async () => {
  const index = await pmlbIndex();
  assert.equal(index.length, 53);
  const files = readdirSync(PMLB_DEFAULTS.directory).filter((f) => f.endsWith(".tsv.gz")).sort();
  assert.deepEqual(index.map((d) => `${d.name}.tsv.gz`).sort(), files);
  for (const d of index) {
    assert.equal(statSync(d.file).size, d.gzBytes, d.name);
    assert.equal(d.classes, d.task === "classification" ? d.distinctTargets : 0, d.name);
  }
  // Rule 2: the binary target of titanic makes it a classification dataset.
  const titanic = index.find((d) => d.name === "titanic")!;
  assert.equal(titanic.indexTask, "regression");
  assert.equal(titanic.task, "classification");
  assert.equal(titanic.classes, 2);
  assert.equal(index.filter((d) => d.task === "classification").length, 42);
  assert.equal(index.filter((d) => d.task !== d.indexTask).length, 1);
  // datasets/pmlb/README.md: "under 700 KB in all".
  assert.ok(index.reduce((total, d) => total + d.gzBytes, 0) < 700_000);
});

Deno.test("loadPmlbDataset: every file matches the index; the target is read by name", async () => {
  for (const info of await pmlbIndex()) {
    const { table, features, report } = await loadPmlbDataset(info.name);
    assert.equal(table.numRows(), info.rows, info.name);
    assert.equal(features.length, info.features, info.name);
    assert.deepEqual(table.columnNames(), [...features, "target"]);
    assert.equal(report.subsampled, false);
    const targets = new Set(Array.from(table.array("target") as ArrayLike<unknown>));
    assert.equal(targets.size, info.distinctTargets, info.name);
    if (info.task === "classification") {
      for (const t of targets) assert.equal(typeof t, "string", info.name);
    }
  }
  // flags and breast_cancer_wisconsin have the target first in the file, not last.
  const { table } = await loadPmlbDataset("flags");
  assert.equal(table.columnNames().at(-1), "target");
  const titanic = await loadPmlbDataset("titanic");
  assert.deepEqual([...new Set(titanic.table.array("target") as string[])].sort(), ["-1", "1"]);
});

Deno.test("loadPmlbDataset: subsamples are seeded, stratified and keep file order", async () => {
  const a = await loadPmlbDataset("wine_quality_white", { maxRows: 1000, seed: 3 });
  const b = await loadPmlbDataset("wine_quality_white", { maxRows: 1000, seed: 3 });
  const c = await loadPmlbDataset("wine_quality_white", { maxRows: 1000, seed: 4 });
  assert.equal(a.table.numRows(), 1000);
  assert.ok(a.report.subsampled);
  assert.equal(a.report.availableRows, 4898);
  assert.deepEqual(a.table.objects(), b.table.objects());
  assert.notDeepEqual(a.table.objects(), c.table.objects());
  const full = await loadPmlbDataset("wine_quality_white");
  const count = (labels: ArrayLike<unknown>) => {
    const counts = new Map<unknown, number>();
    for (const l of Array.from(labels)) counts.set(l, (counts.get(l) ?? 0) + 1);
    return counts;
  };
  const all = count(full.table.array("target") as string[]);
  const kept = count(a.table.array("target") as string[]);
  for (const [label, n] of all) {
    // Largest-remainder allocation: within one row of the proportional share, never empty.
    const share = (n * 1000) / 4898;
    assert.ok(Math.abs(kept.get(label)! - share) < 1, `class ${label}: ${kept.get(label)}`);
    assert.ok(kept.get(label)! >= 1);
  }
  // Kept rows are a subsequence of the file: match them in order.
  const keys = (t: typeof a.table) => {
    const columns = t.columnNames().map((c) => Array.from(t.array(c) as ArrayLike<unknown>));
    return Array.from({ length: t.numRows() }, (_, r) => columns.map((c) => c[r]).join("|"));
  };
  const [fullKeys, keptKeys] = [keys(full.table), keys(a.table)];
  let j = 0;
  for (let r = 0; r < fullKeys.length && j < 1000; r++) if (fullKeys[r] === keptKeys[j]) j++;
  assert.equal(j, 1000, "file order kept");
  // Regression: uniform, exact size.
  const pollen = await loadPmlbDataset("529_pollen", { maxRows: 300, seed: 1 });
  assert.equal(pollen.table.numRows(), 300);
  assert.ok(Array.from(pollen.table.array("target") as ArrayLike<unknown>).every(Number.isFinite));
  // The table prepares as is: numeric features, text class labels.
  const data = prepareDataset(a.table, { target: "target", task: a.info.task, seed: 0 });
  assert.equal(data.numFeatures, 11);
  assert.equal(data.classLabels.length, 7);
});

Deno.test("PMLB loaders reject bad options and malformed files, naming the field", async () => {
  await assert.rejects(
    () => loadPmlbDataset("nope"),
    /name: unknown PMLB dataset "nope"; known: 1027_ESL, /,
  );
  await assert.rejects(
    () => loadPmlbDataset("glass", { maxRows: 1 }),
    /loadPmlbDataset\.options\.maxRows: must be an integer ≥ 2 or Infinity/,
  );
  await assert.rejects(() => loadPmlbDataset("glass", { seed: 0.5 }), /options\.seed/);
  await assert.rejects(
    () => loadPmlbDataset("glass", { rows: 3 } as never),
    /options\.rows: unknown key/,
  );
  await assert.rejects(() => pmlbIndex({ directory: 7 } as never), /pmlbIndex\.options\.directory/);

  const dir = await Deno.makeTempDir();
  const header = "name\ttask\trows\tfeatures\tn_classes\tgz_bytes\thead_name";
  const writeIndex = (...lines: string[]) =>
    writeFileSync(join(dir, "index.tsv"), [header, ...lines].join("\n") + "\n");
  const writeData = (name: string, text: string) =>
    writeFileSync(join(dir, `${name}.tsv.gz`), gzipSync(new TextEncoder().encode(text)));

  writeIndex("good\tclassification\t4\t1\t2\t0\ttarget", "bad\tclassification\tmany\t1\t2\t0\tt");
  await assert.rejects(() => pmlbIndex({ directory: dir }), (error: Error) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /index\.tsv:3, column "rows": /);
    return true;
  });
  writeIndex("a\tclassification\t4\t1\t2\t0\ttarget", "a\tregression\t4\t1\t4\t0\ttarget");
  await assert.rejects(
    () => pmlbIndex({ directory: dir }),
    /index\.tsv:3, column "name": duplicate dataset name "a"/,
  );
  writeIndex("a\tclustering\t4\t1\t2\t0\ttarget");
  await assert.rejects(() => pmlbIndex({ directory: dir }), /index\.tsv:2, column "task": /);
  writeFileSync(join(dir, "index.tsv"), "name\ttask\trows\n");
  await assert.rejects(
    () => pmlbIndex({ directory: dir }),
    /index\.tsv, column "features": index column is missing/,
  );

  writeIndex(
    "text\tclassification\t4\t1\t2\t0\ttarget",
    "short\tclassification\t5\t1\t2\t0\ttarget",
    "untargeted\tregression\t4\t1\t4\t0\ty",
    "oneclass\tclassification\t4\t1\t2\t0\ttarget",
  );
  writeData("text", "x\ttarget\n1\t0\n2\t1\nthree\t0\n4\t1\n");
  await assert.rejects(
    () => loadPmlbDataset("text", { directory: dir }),
    /text\.tsv\.gz, column "x": PMLB columns must be numeric/,
  );
  writeData("short", "x\ttarget\n1\t0\n2\t1\n3\t0\n4\t1\n");
  await assert.rejects(
    () => loadPmlbDataset("short", { directory: dir }),
    /short\.tsv\.gz: has 4 rows and 1 features; the index says 5 and 1/,
  );
  writeData("untargeted", "x\ty\n1\t0\n2\t1\n3\t0\n4\t1\n");
  await assert.rejects(
    () => loadPmlbDataset("untargeted", { directory: dir }),
    /untargeted\.tsv\.gz, column "target": the target column is missing/,
  );
  writeData("oneclass", "x\ttarget\n1\t0\n2\t0\n3\t0\n4\t0\n");
  await assert.rejects(
    () => loadPmlbDataset("oneclass", { directory: dir }),
    /column "target": a classification target needs two classes/,
  );
  await assert.rejects(
    () => loadPmlbDataset("absent", { directory: dir }),
    /unknown PMLB dataset "absent"/,
  );
  // A directory without its data file: the loader names the file.
  writeIndex("gone\tregression\t4\t1\t4\t0\ttarget");
  await assert.rejects(
    () => loadPmlbDataset("gone", { directory: dir }),
    /gone\.tsv\.gz: cannot read file/,
  );
});

Deno.test("PMLB directories: '#', '%' and spaces in a path are file-name characters", async () => {
  const dir = join(await Deno.makeTempDir(), "pm#lb%41 x");
  await Deno.mkdir(dir);
  for (const f of ["index.tsv", "glass.tsv.gz"]) {
    await Deno.copyFile(new URL(f, PMLB_DEFAULTS.directory), join(dir, f));
  }
  const reference = await loadPmlbDataset("glass", { maxRows: 50 });
  for (const directory of [dir, `${dir}/`]) {
    const index = await pmlbIndex({ directory });
    assert.ok(index.some((d) => d.name === "glass"));
    const { table } = await loadPmlbDataset("glass", { directory, maxRows: 50 });
    assert.deepEqual(table.objects(), reference.table.objects());
  }
});

Deno.test("breast_cancer_wisconsin: loadTable keeps the file's column order; the target by index", async () => {
  const file = new URL("breast_cancer_wisconsin.tsv.gz", PMLB_DEFAULTS.directory);
  const { table } = await loadTable(file);
  const names = table.columnNames();
  // The file's header: target, 2, 3, …, 31.
  assert.deepEqual(names, ["target", ...Array.from({ length: 30 }, (_, k) => String(k + 2))]);
  const byIndex = prepareDataset(table, { target: 0, seed: 0 });
  assert.equal(byIndex.target, "target");
  assert.deepEqual(byIndex.classLabels, ["0", "1"]);
  // The PMLB loader puts the target last, features in file order.
  const { table: loaded, features } = await loadPmlbDataset("breast_cancer_wisconsin");
  assert.deepEqual(features, names.slice(1));
  assert.deepEqual(loaded.columnNames(), [...names.slice(1), "target"]);
});
