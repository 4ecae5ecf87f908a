import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pmlbIndex } from "../../lib/data/mod.ts";
import type { HpoModel } from "../../lib/tasks/hpo/mod.ts";
import { leaveOneTaskOut, tabularProblems } from "../../lib/protocols/leave_one_task_out.ts";
import {
  formatMetaDataset,
  generatePmlbMetaDataset,
  loadMetaDataset,
  type MetaDatasetFile,
  normalizedRegret,
  PMLB_GENERATOR_DEFAULTS,
  pmlbDesigns,
  poolTasks,
} from "../../lib/tasks/metadataset/mod.ts";
import { generatorCli } from "./_generator_cli.ts";

const COMMITTED = new URL("../../datasets/pmlb-metadataset/", import.meta.url);
const readCommitted = () =>
  JSON.parse(readFileSync(new URL("metadataset.json", COMMITTED), "utf8")) as MetaDatasetFile;

Deno.test("PMLB meta-dataset: every dataset × every model × every configuration, < 5 MB", async () => {
  const bytes = ["metadataset.json", "provenance.json"]
    .reduce((total, f) => total + statSync(new URL(f, COMMITTED)).size, 0);
  assert.ok(bytes < 5e6, `${bytes} bytes`);
  const raw = readCommitted();
  const md = await loadMetaDataset({ name: "pmlb" });
  assert.equal(md.generator.source, "pmlb");
  assert.deepEqual(
    { ...md.generator, version: undefined, source: undefined },
    {
      ...PMLB_GENERATOR_DEFAULTS,
      version: undefined,
      source: undefined,
      variants: 0,
      variantRowFraction: 1,
      variantFeatureFraction: 1,
    },
    "the committed build uses the defaults",
  );
  assert.ok(md.models.length >= 2, `models: ${md.models}`);
  assert.deepEqual(md.models, Object.keys(raw.models));
  // The designs are the ones pmlbDesigns draws (the same Sobol set for every dataset).
  for (const { model, configurations } of pmlbDesigns(md.generator.seed, md.generator.designSize)) {
    if (!md.models.includes(model)) continue;
    assert.deepEqual(raw.models[model]!.configurations, configurations, model);
    assert.ok(configurations.length >= 64);
  }
  // README: "the linear and mlp designs are those of the built-in meta-dataset".
  const builtin = await loadMetaDataset();
  for (const model of ["linear", "mlp"] as const) {
    assert.deepEqual(
      raw.models[model]!.configurations,
      builtin.tasks.find((t) => t.model === model)!.configurations,
    );
  }
  const index = await pmlbIndex();
  assert.deepEqual(raw.datasets.map((d) => d.id), index.map((d) => d.name));
  assert.equal(md.tasks.length, index.length * md.models.length);
  for (const dataset of raw.datasets) {
    const info = index.find((d) => d.name === dataset.id)!;
    assert.equal(dataset.taskType, info.task);
    assert.equal(dataset.rows, Math.min(info.rows, md.generator.maxRows), dataset.id);
    assert.equal(dataset.features.length, info.features);
    assert.equal(dataset.classes, info.classes);
    assert.equal(dataset.metaFeatures.nr_inst, dataset.rows);
    assert.equal(Object.keys(dataset.metaFeatures).length, 84, "README: 84 meta-features");
    const finite = Object.values(dataset.metaFeatures).filter((v) => v !== null).length;
    assert.ok(finite > 50, `${dataset.id}: ${finite} meta-features`);
    for (const model of md.models) {
      assert.ok(md.tasks.some((t) => t.id === `${dataset.id}/${model}`), `${dataset.id}/${model}`);
    }
  }
  for (const task of md.tasks) {
    const size = md.generator.designSize;
    assert.equal(task.configurations.length, size, task.id);
    for (const field of ["validationError", "testError", "validationLoss", "testLoss"] as const) {
      assert.equal(task[field].length, size, `${task.id}.${field}`);
    }
    assert.equal(task.cost.length, size);
    assert.ok(task.cost.every((c) => c >= 0), `${task.id}: cost is measured`);
    assert.equal(task.metaFeatures.nr_inst, raw.datasets.find((d) => d.id === task.dataset)!.rows);
    const finite = task.validationError.filter(Number.isFinite);
    assert.ok(finite.length >= size / 2, `${task.id}: ${size - finite.length} failed runs`);
    for (const v of finite) {
      assert.ok(v >= 0 && (task.taskType === "regression" || v <= 1), `${task.id}: ${v}`);
      const r = normalizedRegret(task, v);
      assert.ok(r >= 0 && r <= 1);
    }
  }
  assert.ok(md.provenance && md.provenance.durationSeconds > 0);
});

Deno.test("PMLB meta-dataset: regenerating a slice reproduces the committed bytes", async () => {
  const raw = readCommitted();
  const names = ["hayes_roth", "210_cloud"];
  const positions = [0, 21, 42, 63];
  const { data } = await generatePmlbMetaDataset({
    seed: raw.generator.seed,
    designSize: raw.generator.designSize,
    maxRows: raw.generator.maxRows,
    backend: raw.generator.backend,
    metaFeatureFolds: raw.generator.metaFeatureFolds,
    models: Object.keys(raw.models) as HpoModel[],
    datasets: names,
    designIndices: positions,
  });
  const pick = <T>(values: readonly T[]) => positions.map((p) => values[p]);
  const expected: MetaDatasetFile = {
    format: raw.format,
    generator: raw.generator,
    models: Object.fromEntries(
      Object.entries(raw.models).map(([model, design]) => [
        model,
        { space: design!.space, configurations: pick(design!.configurations) },
      ]),
    ),
    datasets: names.map((name) => raw.datasets.find((d) => d.id === name)!),
    tasks: names.flatMap((name) =>
      raw.tasks.filter((t) => t.dataset === name).map((t) => ({
        ...t,
        validationError: pick(t.validationError),
        testError: pick(t.testError),
        validationLoss: pick(t.validationLoss),
        testLoss: pick(t.testLoss),
        steps: pick(t.steps),
        failure: pick(t.failure),
      }))
    ),
  };
  assert.equal(formatMetaDataset(data), formatMetaDataset(expected));
});

Deno.test("PMLB meta-dataset: pools plug into leave-one-task-out in pool mode", async () => {
  const md = await loadMetaDataset({ name: "pmlb" });
  for (const model of md.models) {
    const pools = poolTasks(md, { model });
    assert.equal(pools.length, 53);
    const names = Object.keys(pools[0].metaFeatures);
    assert.ok(names.length > 10, `${model}: ${names.length} shared meta-features`);
    for (const pool of pools) {
      assert.deepEqual(Object.keys(pool.metaFeatures), names);
      assert.equal(pool.rows.length, md.generator.designSize);
    }
    const problems = tabularProblems(md.spaces[model], pools);
    const runs = await leaveOneTaskOut(problems, {
      methods: ["random", "warm-start"],
      seeds: 1,
      budget: 3,
      heldOut: [problems[0].id],
    });
    assert.equal(runs.length, 2);
    for (const run of runs) assert.ok(run.regret.every((r) => r >= 0 && r <= 1));
  }
});

Deno.test("PMLB generator and loader: bad input names the field", async () => {
  const gen = generatePmlbMetaDataset;
  await assert.rejects(
    () => gen({ datasets: ["glass", "nope"] }),
    /generatePmlbMetaDataset\.options\.datasets\[1\]: unknown PMLB dataset "nope"; known: /,
  );
  await assert.rejects(
    () => gen({ datasets: ["glass", "glass"] }),
    /options\.datasets\[1\]: duplicate "glass"/,
  );
  await assert.rejects(
    () => gen({ designIndices: [3, 64] }),
    /options\.designIndices\[1\]: must be < designSize \(64\), got 64/,
  );
  await assert.rejects(
    () => gen({ designIndices: [3, 3] }),
    /options\.designIndices\[1\]: must be ascending and distinct/,
  );
  await assert.rejects(() => gen({ models: ["svm" as "mlp"] }), /options\.models\[0\]/);
  await assert.rejects(() => gen({ maxRows: 5 }), /options\.maxRows: must be ≥ 20/);
  await assert.rejects(() => gen({ designSize: 0 }), /options\.designSize/);
  await assert.rejects(() => gen({ variants: 2 } as never), /options\.variants: unknown key/);
  await assert.rejects(
    () => loadMetaDataset({ name: "openml" as "pmlb" }),
    /loadMetaDataset\.options\.name/,
  );
  await assert.rejects(
    () => loadMetaDataset({ path: 3 } as never),
    /loadMetaDataset\.options\.path/,
  );

  // A file whose task names a model without a design, or that has no model at all.
  const raw = readCommitted();
  const small: MetaDatasetFile = {
    ...raw,
    models: { [raw.tasks[0].model]: raw.models[raw.tasks[0].model] },
    datasets: [raw.datasets[0]],
    tasks: raw.tasks.filter((t) => t.dataset === raw.datasets[0].id),
  };
  const dir = await Deno.makeTempDir();
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const other = small.tasks.findIndex((t) => t.model !== raw.tasks[0].model);
  await assert.rejects(
    () => loadMetaDataset({ path: write("orphan.json", small) }),
    new RegExp(
      `orphan\\.json\\.tasks\\[${other}\\]\\.model: model "${
        small.tasks[other].model
      }" has no design in models`,
    ),
  );
  await assert.rejects(
    () => loadMetaDataset({ path: write("none.json", { ...small, models: {} }) }),
    /none\.json\.models: must hold at least one model/,
  );
  const only = { ...small, tasks: small.tasks.filter((t) => t.model === raw.tasks[0].model) };
  const md = await loadMetaDataset({ path: write("only.json", only), provenance: false });
  assert.deepEqual(md.models, [raw.tasks[0].model]);
  const absent = raw.tasks.find((t) => t.model !== raw.tasks[0].model)!.model;
  assert.throws(
    () => poolTasks(md, { model: absent }),
    new RegExp(`poolTasks\\.options\\.model: the meta-dataset has no "${absent}" tasks`),
  );
});

Deno.test("generatePmlbMetaDataset: a finished build is extended with another model", async () => {
  const small = {
    datasets: ["hayes_roth", "210_cloud"],
    designIndices: [0, 1],
    maxRows: 100,
  } as const;
  const dir = await Deno.makeTempDir();
  const first = await generatePmlbMetaDataset({ ...small, models: ["linear"], out: dir });
  assert.deepEqual(first.data.tasks.map((t) => t.id), ["hayes_roth/linear", "210_cloud/linear"]);
  const logs: string[] = [];
  const extended = await generatePmlbMetaDataset({
    ...small,
    models: ["linear", "rf"],
    out: dir,
    reuse: true,
    log: (m) => logs.push(m),
  });
  assert.ok(logs.includes(`reusing 2 tasks of the build of ${first.provenance.date}`), logs[0]);
  // The reused tasks keep their recorded costs; the duration adds the first session's.
  assert.deepEqual(
    extended.provenance.seconds["hayes_roth/linear"],
    first.provenance.seconds["hayes_roth/linear"],
  );
  assert.ok(extended.provenance.durationSeconds >= first.provenance.durationSeconds);
  // The same bytes as a build of both models at once.
  const direct = await generatePmlbMetaDataset({ ...small, models: ["linear", "rf"] });
  assert.equal(readFileSync(join(dir, "metadataset.json"), "utf8"), formatMetaDataset(direct.data));
  assert.deepEqual(
    extended.data.tasks.map((t) => t.id),
    ["hayes_roth/linear", "hayes_roth/rf", "210_cloud/linear", "210_cloud/rf"],
  );
  // Other settings cannot be reused.
  await assert.rejects(
    () => generatePmlbMetaDataset({ ...small, seed: 1, out: dir, reuse: true }),
    /reuse: the build to reuse has other settings/,
  );
  await assert.rejects(
    () => generatePmlbMetaDataset({ ...small, reuse: true }),
    /options\.reuse: needs options\.out/,
  );
  await assert.rejects(
    () => generatePmlbMetaDataset({ ...small, out: join(dir, "absent"), reuse: true }),
    /options\.reuse: cannot read .*absent\/metadataset\.json/,
  );
});

/** `deno task datasets:pmlb` as the command line runs it, writing into a fresh temporary folder. */
function pmlbCli(...args: string[]) {
  const script = new URL("../../lib/tasks/metadataset/pmlb.ts", import.meta.url);
  return generatorCli(script, [
    "--datasets",
    "hayes_roth",
    "--models",
    "linear",
    "--design",
    "2",
    "--max-rows",
    "40",
  ], args);
}

Deno.test("deno task datasets:pmlb: a bad argument is one line naming the option and what it takes, exit 2", async () => {
  const cases: [string[], string][] = [
    [["--design", "abc"], '--design: expected an integer ≥ 1, got "abc"'],
    [["--design=-0"], '--design: expected an integer ≥ 1, got "-0"'],
    [["--seed="], '--seed: expected an integer, got ""'],
    [["--seed", "2.5"], '--seed: expected an integer, got "2.5"'],
    [["--max-rows", "1e3"], '--max-rows: expected an integer ≥ 20, got "1e3"'],
    [["--max-rows", " 40"], '--max-rows: expected an integer ≥ 20, got " 40"'],
    [["--backend", "webgl"], '--backend: expected one of cpu, wasm, got "webgl"'],
    [
      ["--models", "linear,svm"],
      '--models: unknown "svm" (known: linear, mlp, rf, knn, krr, tree, gbt)',
    ],
    [["--models", "knn,knn"], '--models: "knn" is given twice'],
    [["--datasets", ""], '--datasets: expected comma-separated names, got "" (an empty name)'],
    [["--out="], "--out: expected a path, got an empty text"],
    [["--reuse=yes"], "Option '--reuse' does not take an argument"],
    [["extra"], "Unexpected argument 'extra'. This command does not take positional arguments"],
  ];
  for (const [args, message] of cases) {
    const run = await pmlbCli(...args);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr, written: run.written },
      { code: 2, stdout: "", stderr: `datasets:pmlb: ${message}\n`, written: [] },
      args.join(" "),
    );
  }
  const unknown = await pmlbCli("--datasets", "hayes_roth,iris");
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /^datasets:pmlb: --datasets: unknown "iris" \(known: 1027_ESL, .*\)\n$/,
  );
  // --reuse without a finished build in --out: one line naming it, exit 1.
  const reuse = await pmlbCli("--reuse");
  assert.equal(reuse.code, 1);
  assert.match(
    reuse.stderr,
    /^datasets:pmlb: generatePmlbMetaDataset\.options\.reuse: cannot read .*\n$/,
  );
});

Deno.test("deno task datasets:pmlb: --help lists the options; good arguments build", async () => {
  const help = await pmlbCli("--help");
  assert.equal(help.code, 0, help.stderr);
  assert.deepEqual(help.written, []);
  for (const line of ["--design N", "≥ 20 (default 1000)", "linear, mlp, rf", "--reuse"]) {
    assert.ok(help.stdout.includes(line), line);
  }
  const built = await pmlbCli("--seed=-2", "--design", "3", "--models", "knn,linear");
  assert.equal(built.code, 0, built.stderr);
  assert.deepEqual(built.written.sort(), ["metadataset.json", "provenance.json"]);
  assert.match(built.stdout, /"tasks":2,"datasets":1/);
  assert.deepEqual([built.generator?.seed, built.generator?.designSize], [-2, 3]);
});
