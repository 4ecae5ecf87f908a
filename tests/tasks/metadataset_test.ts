import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { builtinDatasets, loadBuiltinDataset, prepareDataset } from "../../lib/data/mod.ts";
import { averageRanks } from "../../lib/stats/mod.ts";
import { hpoTask } from "../../lib/tasks/hpo/mod.ts";
import { leaveOneTaskOut, tabularProblems } from "../../lib/protocols/leave_one_task_out.ts";
import {
  formatMetaDataset,
  generateMetaDataset,
  loadMetaDataset,
  type MetaDatasetFile,
  type MetaTask,
  normalizedRegret,
  poolTasks,
} from "../../lib/tasks/metadataset/mod.ts";
import { poolValues } from "../../lib/tasks/metadataset/load.ts";
import { generatorCli } from "./_generator_cli.ts";

const COMMITTED = new URL("../../datasets/metadataset/", import.meta.url);

Deno.test("committed meta-dataset: ≥ 30 tasks, every task has every configuration, < 5 MB", async () => {
  const files = ["metadataset.json", "provenance.json"].map((f) => new URL(f, COMMITTED));
  const bytes = files.reduce((total, f) => total + statSync(f).size, 0);
  assert.ok(bytes < 5e6, `${bytes} bytes`);
  const raw = JSON.parse(readFileSync(files[0], "utf8")) as MetaDatasetFile;
  const md = await loadMetaDataset();
  assert.ok(md.tasks.length >= 30, `${md.tasks.length} tasks`);
  assert.equal(md.tasks.length, raw.tasks.length);
  for (const model of ["linear", "mlp"] as const) {
    const design = raw.models[model]!.configurations;
    assert.ok(design.length >= 64);
    assert.equal(new Set(design.map((c) => JSON.stringify(c))).size, design.length, "distinct");
    for (const config of design) md.spaces[model].validate(config);
  }
  // Every built-in dataset appears, plus subsampled variants.
  const sources = new Set(md.tasks.map((t) => t.source));
  for (const d of builtinDatasets) assert.ok(sources.has(d.name), d.name);
  assert.ok(md.tasks.some((t) => t.dataset.includes("~")), "subsampled variants");
  for (const [t, task] of md.tasks.entries()) {
    const rawTask = raw.tasks[t];
    const size = raw.models[task.model]!.configurations.length;
    for (const field of ["validationError", "testError", "validationLoss", "testLoss"] as const) {
      assert.equal(rawTask[field].length, size, `${task.id}.${field}`);
      rawTask[field].forEach((v, i) => {
        // No missing value without a recorded failure, and no failure with a value.
        assert.equal(v === null, rawTask.failure[i] !== null, `${task.id}.${field}[${i}]`);
      });
    }
    assert.equal(task.cost.length, size);
    assert.ok(task.cost.every((c) => c >= 0), `${task.id}: cost is measured`);
    assert.ok(Object.keys(task.metaFeatures).length > 10, `${task.id}: meta-features`);
    assert.ok(Number.isFinite(task.metaFeatures.nr_inst));
    for (let i = 0; i < size; i++) {
      if (task.failure[i] !== null) continue;
      const r = normalizedRegret(task, task.validationError[i]);
      assert.ok(r >= 0 && r <= 1, `${task.id}[${i}] regret ${r}`);
      if (task.taskType === "classification") {
        assert.ok(task.validationError[i] >= 0 && task.validationError[i] <= 1);
      }
    }
    assert.equal(
      Math.min(
        ...task.validationError.filter(Number.isFinite).map((v) => normalizedRegret(task, v)),
      ),
      0,
    );
  }
  assert.ok(md.provenance && md.provenance.durationSeconds > 0);
  assert.equal(md.generator.designSize, raw.models.mlp!.configurations.length);
});

Deno.test("committed meta-dataset: a recorded score is what the objective returns", async () => {
  const md = await loadMetaDataset();
  const task = md.tasks.find((t) => t.id === "iris/linear")!;
  // Cheapest configuration of the design, rebuilt exactly as the generator does.
  const i = task.steps.indexOf(Math.min(...task.steps));
  const { table, info } = await loadBuiltinDataset("iris", {
    seed: md.generator.seed,
    maxRows: md.generator.maxRows,
  });
  const data = prepareDataset(table, {
    target: info.target,
    task: info.task,
    seed: md.generator.seed,
    source: "iris",
  });
  const run = await hpoTask(data, { model: "linear", seed: md.generator.seed, backend: "wasm" })
    .evaluate(task.configurations[i]);
  assert.equal(run.steps, task.steps[i]);
  assert.equal(Number(run.validation.error.toPrecision(6)), task.validationError[i]);
  assert.equal(Number(run.test.loss.toPrecision(6)), task.testLoss[i]);
});

async function tiny(out?: string) {
  return await generateMetaDataset({
    datasets: ["iris", "boston-housing"],
    designSize: 3,
    variants: 1,
    maxRows: 60,
    seed: 5,
    out,
  });
}

Deno.test("generateMetaDataset: regenerating reproduces the data file byte for byte", async () => {
  const [a, b] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const first = await tiny(a);
  await tiny(b);
  const textA = readFileSync(join(a, "metadataset.json"), "utf8");
  assert.equal(textA, readFileSync(join(b, "metadataset.json"), "utf8"));
  assert.equal(textA, formatMetaDataset(first.data));
  // 2 datasets + 1 variant, × 2 models; the resume file is gone.
  assert.equal(first.data.tasks.length, 6);
  assert.equal(first.data.datasets.length, 3);
  assert.throws(() => statSync(join(a, ".partial.jsonl")));
  const variant = first.data.datasets[2];
  assert.match(variant.id, /~1$/);
  const base = first.data.datasets.find((d) => d.id === variant.dataset)!;
  assert.ok(variant.rows < base.rows && variant.features.length < base.features.length);
  // The provenance file holds the date and the costs, one per configuration.
  const provenance = JSON.parse(readFileSync(join(a, "provenance.json"), "utf8"));
  assert.ok(!Number.isNaN(Date.parse(provenance.date)));
  assert.equal(provenance.seconds["iris/mlp"].length, 3);
  // A different seed gives a different design.
  const other = await generateMetaDataset({
    datasets: ["iris"],
    designSize: 3,
    variants: 0,
    maxRows: 60,
    seed: 6,
  });
  assert.notDeepEqual(other.data.models.mlp!.configurations, first.data.models.mlp!.configurations);
});

Deno.test("generateMetaDataset: resumes from finished tasks of an interrupted run", async () => {
  const dir = await Deno.makeTempDir();
  const { data } = await tiny();
  const key = JSON.stringify({ settings: data.generator, names: ["iris", "boston-housing"] });
  // Pretend a previous run finished iris and iris/linear, with a marker value the generator would
  // never produce; a truncated last line must be ignored.
  const marked = { ...data.tasks[0], validationError: [0.123456, 0.5, 0.5] };
  writeFileSync(
    join(dir, ".partial.jsonl"),
    [
      JSON.stringify({ key, record: data.datasets[0] }),
      JSON.stringify({ key, record: marked, seconds: [1, 2, 3] }),
      JSON.stringify({ key: "other settings", record: { ...data.tasks[1], steps: [0, 0, 0] } }),
      '{"key": "trunc',
    ].join("\n"),
  );
  const resumed = await tiny(dir);
  assert.deepEqual(resumed.data.tasks[0], marked);
  assert.deepEqual(resumed.data.tasks[1], data.tasks[1]);
  assert.deepEqual(resumed.provenance.seconds[marked.id], [1, 2, 3]);
});

Deno.test("generateMetaDataset: bad options name the field", async () => {
  await assert.rejects(
    () => generateMetaDataset({ designSize: 0 }),
    /generateMetaDataset\.options\.designSize/,
  );
  await assert.rejects(
    () => generateMetaDataset({ datasets: ["nope"] }),
    /generateMetaDataset\.options\.datasets\[0\]: must be a built-in dataset/,
  );
  await assert.rejects(
    () => generateMetaDataset({ variantRowFraction: 1.5 }),
    /options\.variantRowFraction/,
  );
});

Deno.test("loadMetaDataset: malformed files give errors naming the file and the field", async () => {
  const { data } = await tiny();
  const dir = await Deno.makeTempDir();
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
    return path;
  };
  await assert.rejects(() => loadMetaDataset({ path: join(dir, "absent.json") }), /not found/);
  await assert.rejects(() => loadMetaDataset({ path: write("bad.json", "{") }), /not JSON/);
  const short = structuredClone(data);
  short.tasks[1].testError.pop();
  await assert.rejects(
    () => loadMetaDataset({ path: write("short.json", short) }),
    /short\.json\.tasks\[1\]\.testError: has 2 entries, the mlp design has 3/,
  );
  const silentNaN = structuredClone(data);
  silentNaN.tasks[0].validationError[2] = null;
  await assert.rejects(
    () => loadMetaDataset({ path: write("nan.json", silentNaN) }),
    /tasks\[0\]\.validationError\[2\]: is null but no failure is recorded/,
  );
  const badConfig = structuredClone(data);
  badConfig.models.linear!.configurations[0].lr = 50;
  await assert.rejects(
    () => loadMetaDataset({ path: write("config.json", badConfig) }),
    /models\.linear\.configurations\[0\]: params\.lr/,
  );
  const orphan = structuredClone(data);
  orphan.tasks[0].dataset = "nowhere";
  await assert.rejects(
    () => loadMetaDataset({ path: write("orphan.json", orphan) }),
    /tasks\[0\]\.dataset: unknown dataset variant "nowhere"/,
  );
  // Task ids are (dataset, model) pairs: a mismatched, repeated or duplicated task is refused.
  const renamed = structuredClone(data);
  renamed.tasks[1].id = renamed.tasks[0].id;
  await assert.rejects(
    () => loadMetaDataset({ path: write("renamed.json", renamed) }),
    /renamed\.json\.tasks\[1\]\.id: "[^"]+" must be "[^"]+\/[a-z]+" \(<dataset>\/<model>\)/,
  );
  const twice = structuredClone(data);
  twice.tasks.push(structuredClone(twice.tasks[0]));
  await assert.rejects(
    () => loadMetaDataset({ path: write("twice.json", twice) }),
    new RegExp(
      `twice\\.json\\.tasks\\[${data.tasks.length}\\]\\.id: duplicate task .*tasks\\[0\\]`,
    ),
  );
  const sameVariant = structuredClone(data);
  sameVariant.datasets.push(structuredClone(sameVariant.datasets[0]));
  await assert.rejects(
    () => loadMetaDataset({ path: write("variant.json", sameVariant) }),
    new RegExp(`variant\\.json\\.datasets\\[${data.datasets.length}\\]\\.id: duplicate`),
  );
});

Deno.test("loadMetaDataset: '#', '%' and spaces in a path are file-name characters", async () => {
  const byName = await loadMetaDataset();
  const dir = join(await Deno.makeTempDir(), "a#b%41 c");
  await Deno.mkdir(dir);
  for (const f of ["metadataset.json", "provenance.json"]) {
    await Deno.copyFile(new URL(f, COMMITTED), join(dir, f));
  }
  for (const path of [dir, join(dir, "metadataset.json")]) {
    const md = await loadMetaDataset({ path });
    assert.deepEqual(md.tasks.map((t) => t.id), byName.tasks.map((t) => t.id));
    assert.deepEqual(md.provenance, byName.provenance);
  }
  // A file: URL string is still a URL (its "%23" and "%25" are an escaped "#" and "%").
  const url = pathToFileURL(join(dir, "metadataset.json"));
  assert.ok(url.href.includes("a%23b%2541%20c"));
  assert.equal((await loadMetaDataset({ path: url.href })).tasks.length, byName.tasks.length);
});

Deno.test("loadMetaDataset: a directory is its metadataset.json; unreadable paths and URLs are named", async () => {
  const byName = await loadMetaDataset();
  // The committed directory, as a URL with a trailing slash and as a path without one.
  const asPath = COMMITTED.pathname.replace(/\/$/, "");
  for (const path of [COMMITTED, asPath]) {
    const md = await loadMetaDataset({ path });
    assert.deepEqual(md.tasks.map((t) => t.id), byName.tasks.map((t) => t.id));
    // provenance.json next to the resolved data file is read too.
    assert.deepEqual(md.provenance, byName.provenance);
    assert.ok(md.provenance !== undefined);
  }
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    () => loadMetaDataset({ path: empty }),
    (e: Error) =>
      e.message === `loadMetaDataset: ${empty} is a directory without a metadataset.json`,
  );
  // A server that serves the committed directory: a URL ending in "/" is its metadataset.json.
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (request) => {
      const name = new URL(request.url).pathname.replace(/^\/md\//, "");
      try {
        return new Response(await Deno.readFile(new URL(name, COMMITTED)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}/md/`;
  try {
    const remote = await loadMetaDataset({ path: base });
    assert.deepEqual(remote.tasks.map((t) => t.id), byName.tasks.map((t) => t.id));
    assert.deepEqual(remote.provenance, byName.provenance);
  } finally {
    controller.abort();
    await server.finished;
  }
  // The server is gone: fetching fails, and the error names the URL and keeps fetch's error.
  const gone = `${base}metadataset.json`;
  await assert.rejects(
    () => loadMetaDataset({ path: gone }),
    (e: Error) =>
      e.message.startsWith(`loadMetaDataset: fetching ${gone} failed: `) &&
      e.cause instanceof TypeError,
  );
});

Deno.test("poolTasks and normalizedRegret: failures, metrics and hand-computed regrets", async () => {
  const { data } = await tiny();
  const failed = structuredClone(data);
  const t = failed.tasks[0];
  for (const f of ["validationError", "testError", "validationLoss", "testLoss"] as const) {
    t[f][1] = null;
  }
  t.failure[1] = "training diverged: loss NaN at the end of epoch 1";
  const dir = await Deno.makeTempDir();
  const path = join(dir, "failed.json");
  writeFileSync(path, formatMetaDataset(failed));
  const md = await loadMetaDataset({ path });
  assert.equal(md.provenance, undefined);
  const task = md.tasks[0];
  assert.ok(Number.isNaN(task.validationError[1]) && Number.isNaN(task.cost[0]));

  const worst = poolTasks(md, { model: "linear" });
  assert.equal(worst.length, 3);
  assert.equal(worst[0].rows.length, 3);
  const finite = [task.validationError[0], task.validationError[2]];
  assert.equal(worst[0].rows[1].value, Math.max(...finite));
  const dropped = poolTasks(md, { model: "linear", failed: "drop", metric: "testLoss" });
  assert.deepEqual(dropped[0].rows.map((r) => r.value), [task.testLoss[0], task.testLoss[2]]);
  assert.deepEqual(dropped[0].rows[1].params, task.configurations[2]);
  assert.throws(() => poolTasks(md, { model: "svm" as "mlp" }), /poolTasks\.options\.model/);

  const fake = {
    id: "fake",
    validationError: Float64Array.of(0.2, NaN, 0.6, 0.4),
  } as unknown as MetaTask;
  assert.equal(normalizedRegret(fake, 0.2), 0);
  assert.equal(normalizedRegret(fake, 0.6), 1);
  assert.ok(Math.abs(normalizedRegret(fake, 0.3) - 0.25) < 1e-12);
  assert.equal(normalizedRegret(fake, 0.9), 1, "clamped");
  const flat = { id: "flat", validationError: Float64Array.of(0.3, 0.3) } as unknown as MetaTask;
  assert.equal(normalizedRegret(flat, 0.3), 0);
  const empty = { id: "e", validationError: Float64Array.of(NaN) } as unknown as MetaTask;
  assert.throws(() => normalizedRegret(empty, 0.3), /task e has no finite validationError/);
  assert.throws(() => normalizedRegret(fake, NaN), /normalizedRegret\.value/);
  assert.throws(() => normalizedRegret(fake, 0.1, "auc" as "testLoss"), /normalizedRegret\.metric/);
  // The task argument is named when it is the problem (a pool task has rows, not scores).
  const pool = poolTasks(md, { model: "linear" })[0] as unknown as MetaTask;
  for (const bad of [pool, undefined as unknown as MetaTask]) {
    assert.throws(() => normalizedRegret(bad, 0.5), /^TypeError: normalizedRegret\.task: must be/);
  }
  assert.throws(
    () => poolTasks(null as never, { model: "linear" }),
    (e: Error) => e instanceof TypeError && /^poolTasks\.metaDataset: must be/.test(e.message),
  );
  // Average ranks of methods over tasks come from lib/stats (not duplicated here).
  assert.deepEqual(averageRanks([[normalizedRegret(fake, 0.2), normalizedRegret(fake, 0.4)]]), [
    1,
    2,
  ]);
});

Deno.test("committed meta-dataset: pools plug into lib/meta's leave-one-task-out in pool mode", async () => {
  const md = await loadMetaDataset();
  for (const model of ["linear", "mlp"] as const) {
    const pools = poolTasks(md, { model });
    assert.ok(pools.length >= 15);
    const names = Object.keys(pools[0].metaFeatures);
    assert.ok(names.length > 10);
    for (const pool of pools) {
      assert.deepEqual(Object.keys(pool.metaFeatures), names, `${pool.id}: same meta-features`);
      assert.ok(Object.values(pool.metaFeatures).every(Number.isFinite));
      assert.equal(pool.rows.length, md.generator.designSize);
    }
    const problems = tabularProblems(md.spaces[model], pools);
    const task = md.tasks.find((t) => t.id === problems[1].id)!;
    assert.equal(problems[1].objective(task.configurations[7]), task.validationError[7]);
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

Deno.test("poolTasks: a task whose runs all failed has no rows, and leave-one-task-out skips it", async () => {
  assert.deepEqual(poolValues([0.2, NaN, 0.5, -Infinity]), [
    { index: 0, value: 0.2 },
    { index: 1, value: 0.5 },
    { index: 2, value: 0.5 },
    { index: 3, value: 0.5 },
  ]);
  assert.deepEqual(poolValues(Float64Array.of(0.2, Infinity, 0.5), "drop"), [
    { index: 0, value: 0.2 },
    { index: 2, value: 0.5 },
  ]);
  assert.deepEqual(poolValues([NaN, Infinity]), []);
  const md = await loadMetaDataset();
  const mine = md.tasks.filter((t) => t.model === "linear").slice(0, 4);
  const dead = { ...mine[2], validationError: new Float64Array(mine[2].validationError.length) };
  dead.validationError.fill(NaN);
  const broken = { ...md, tasks: [mine[0], mine[1], dead, mine[3]] };
  for (const failed of ["worst", "drop"] as const) {
    const pools = poolTasks(broken, { model: "linear", failed });
    assert.deepEqual(pools.map((p) => p.rows.length), [64, 64, 0, 64], failed);
    assert.ok(pools.every((p) => p.rows.every((r) => Number.isFinite(r.value))));
    const runs = await leaveOneTaskOut(tabularProblems(md.spaces.linear, pools), {
      methods: ["gp", "rgpe-gp"],
      seeds: 1,
      budget: 3,
      heldOut: [dead.id, mine[0].id],
    });
    assert.deepEqual(runs.map((r) => r.status), ["ok", "ok", "skipped", "skipped"], failed);
    assert.match(runs[2].error!, /must be finite to normalise regret \(a tabular task without/);
  }
});

/** `deno task datasets` as the command line runs it, writing into a fresh temporary folder. */
function datasetsCli(...args: string[]) {
  const script = new URL("../../lib/tasks/metadataset/generate.ts", import.meta.url);
  return generatorCli(script, [
    "--datasets",
    "iris",
    "--design",
    "2",
    "--variants",
    "0",
    "--max-rows",
    "40",
  ], args);
}

Deno.test("deno task datasets: a bad argument is one line naming the option and what it takes, exit 2", async () => {
  const cases: [string[], string][] = [
    [["--design", "abc"], '--design: expected an integer ≥ 1, got "abc"'],
    [["--design", "0"], '--design: expected an integer ≥ 1, got "0"'],
    [["--design", "1.5"], '--design: expected an integer ≥ 1, got "1.5"'],
    [["--seed="], '--seed: expected an integer, got ""'],
    [["--seed", "1e3"], '--seed: expected an integer, got "1e3"'],
    [["--seed", "abc"], '--seed: expected an integer, got "abc"'],
    [["--max-rows", "19"], '--max-rows: expected an integer ≥ 20, got "19"'],
    [["--variants=-1"], '--variants: expected an integer ≥ 0, got "-1"'],
    [["--variants", "0x2"], '--variants: expected an integer ≥ 0, got "0x2"'],
    [["--backend", "gpu"], '--backend: expected one of cpu, wasm, got "gpu"'],
    [["--datasets", "iris,iris"], '--datasets: "iris" is given twice'],
    [
      ["--datasets", "iris,"],
      '--datasets: expected comma-separated names, got "iris," (an empty name)',
    ],
    [["--out="], "--out: expected a path, got an empty text"],
    [["--bogus"], "Unknown option '--bogus'"],
  ];
  for (const [args, message] of cases) {
    const run = await datasetsCli(...args);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr, written: run.written },
      { code: 2, stdout: "", stderr: `datasets: ${message}\n`, written: [] },
      args.join(" "),
    );
  }
  // An unknown dataset lists the known ones; `--seed -1` (read as an option) is one line too.
  const unknown = await datasetsCli("--datasets", "nope");
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /^datasets: --datasets: unknown "nope" \(known: iris, penguins, .*\)\n$/,
  );
  const negative = await datasetsCli("--seed", "-1");
  assert.equal(negative.code, 2);
  assert.match(
    negative.stderr,
    /^datasets: Option '--seed' argument is ambiguous\..*--seed=-XYZ'\.\n$/,
  );
});

Deno.test("deno task datasets: --help lists the options with their ranges; good arguments build", async () => {
  const help = await datasetsCli("--help");
  assert.equal(help.code, 0, help.stderr);
  assert.deepEqual(help.written, []);
  for (
    const line of ["--design N", "an integer ≥ 1 (default 64)", "≥ 20 (default 400)", "cpu or wasm"]
  ) {
    assert.ok(help.stdout.includes(line), line);
  }
  const built = await datasetsCli("--seed=-1", "--design", "3");
  assert.equal(built.code, 0, built.stderr);
  assert.deepEqual(built.written.sort(), ["metadataset.json", "provenance.json"]);
  assert.match(built.stdout, /"tasks":2,"datasets":1/);
  assert.deepEqual(
    [built.generator?.seed, built.generator?.designSize, built.generator?.backend],
    [-1, 3, "cpu"],
  );
});
