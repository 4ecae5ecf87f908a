import assert from "node:assert/strict";
import {
  loadTaskStore,
  type PriorTask,
  priorTaskFromStudy,
  priorTasksFromMetaDataset,
  type PriorTrial,
  saveTaskStore,
  TaskStore,
} from "../../lib/meta/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const tasks = [
  {
    id: "iris",
    trials: [{ params: { lr: 0.1, act: "relu" }, value: 0.05 }, {
      params: { lr: 0.01, act: "tanh" },
      value: 0.1,
    }],
    metaFeatures: { n_rows: 150, skew: NaN },
  },
  { id: "wine", trials: [{ params: { lr: 0.5, act: "relu" }, value: 0.3 }] },
];

Deno.test("a store survives save and load unchanged, NaN meta-features included", () => {
  const store = TaskStore.from(tasks);
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  saveTaskStore(store, path);
  const text = Deno.readTextFileSync(path);
  assert.match(text, /"skew":null/);
  const loaded = loadTaskStore(path);
  assert.deepEqual(loaded.tasks, store.tasks);
  assert.ok(Number.isNaN(loaded.get("iris")!.metaFeatures!.skew));
  assert.deepEqual(loaded.toJSON(), store.toJSON());
  Deno.removeSync(path);
});

Deno.test("the store copies its input and grows immutably", () => {
  const input = structuredClone(tasks);
  const store = TaskStore.from(input);
  input[0].trials[0].value = 99;
  assert.equal(store.tasks[0].trials[0].value, 0.05);
  const bigger = store.with({ id: "new", trials: [{ params: { lr: 1 }, value: 1 }] });
  assert.equal(store.tasks.length, 2);
  assert.equal(bigger.tasks.length, 3);
  assert.throws(
    () => bigger.with({ id: "iris", trials: [{ params: {}, value: 1 }] }),
    /duplicate id/,
  );
});

Deno.test("a store is frozen all the way down: tasks, trials, params and meta-features", () => {
  const input = structuredClone(tasks);
  const stores = [
    TaskStore.from(input),
    TaskStore.fromJSON(TaskStore.from(tasks).toJSON()),
    TaskStore.from([]).with(input),
  ];
  for (const store of stores) {
    const [task] = store.tasks;
    for (const part of [store.tasks, task, task.trials, task.trials[0], task.trials[0].params]) {
      assert.ok(Object.isFrozen(part));
    }
    assert.ok(Object.isFrozen(task.metaFeatures));
    // Module code is strict: every change throws, and the store keeps what it validated.
    assert.throws(() => (task.trials[0] as { value: number }).value = NaN, TypeError);
    assert.throws(
      // @ts-expect-error the list is read-only in its type too
      () => task.trials.push({ params: { lr: 0.5 }, value: Infinity }),
      TypeError,
    );
    assert.throws(() => (task.trials[0].params.lr = 7), TypeError);
    assert.throws(() => (task.metaFeatures!.n_rows = -1), TypeError);
    assert.throws(() => (task.id = "other"), TypeError);
    assert.equal(task.trials.length, 2);
    assert.equal(task.trials[0].value, 0.05);
  }
  // The caller's own objects are copied, not frozen.
  assert.ok(!Object.isFrozen(input[0]) && !Object.isFrozen(input[0].trials[0].params));
  // The JSON form is a copy: changing it leaves the store as it was.
  const json = stores[0].toJSON();
  json.tasks[0].trials[0].params.lr = 99;
  assert.equal(stores[0].tasks[0].trials[0].params.lr, 0.1);
});

Deno.test("a PriorTask takes its trials as a read-only list", () => {
  const trials: readonly PriorTrial[] = Object.freeze([{ params: { x: 0.1 }, value: 1 }]);
  const task: PriorTask = { id: "t", trials };
  assert.deepEqual(TaskStore.from([task]).tasks[0].trials, trials);
});

Deno.test("priorTaskFromStudy and priorTasksFromMetaDataset give the caller unfrozen tasks", () => {
  const task = priorTaskFromStudy("run", {
    trials: [{ params: { x: 0.1 }, status: "complete", value: 2 }],
  });
  const [fromRows] = priorTasksFromMetaDataset(
    { rows: [{ task: "a", config: { lr: 1 }, v: 0.5 }] },
    { metric: "v" },
  );
  for (const t of [task, fromRows]) {
    assert.ok(!Object.isFrozen(t) && !Object.isFrozen(t.trials));
    // A store made of them copies and freezes its own.
    assert.ok(Object.isFrozen(TaskStore.from([t]).tasks[0].trials[0]));
  }
});

Deno.test("with() checks only the added tasks, with the errors from() gives on the whole list", () => {
  const store = TaskStore.from(tasks);
  const task = (id: string, value = 1) => ({ id, trials: [{ params: { lr: 1 }, value }] });
  const bigger = store.with([task("a"), task("b")]);
  assert.deepEqual(bigger.tasks.map((t) => t.id), ["iris", "wine", "a", "b"]);
  // The store's own tasks are carried over as they are (neither copied nor checked again).
  assert.equal(bigger.tasks[0], store.tasks[0]);
  assert.equal(bigger.with(task("c")).tasks[3], bigger.tasks[3]);
  // The added tasks are copied.
  const added = task("d");
  const withD = store.with(added);
  added.trials[0].value = 99;
  assert.equal(withD.get("d")!.trials[0].value, 1);
  const bad: unknown[] = [
    task("iris"),
    [task("x"), task("wine")],
    [task("x"), task("x"), task("x")],
    [task("x", NaN), task("iris")],
    task(""),
    { id: "x", trials: [] },
    { ...task("x"), metaFeatures: { m: "no" } },
    { ...task("x"), extra: 1 },
    [
      undefined,
      3,
      { id: "wine", trials: [{ params: {}, value: "v" }] },
      task("y"),
      task("y"),
      task("y", Infinity),
    ],
    null,
  ];
  for (const input of bad) {
    const list = Array.isArray(input) ? input : [input];
    let expected = "";
    try {
      TaskStore.from([...bigger.tasks, ...list]);
    } catch (error) {
      expected = (error as Error).message;
    }
    assert.notEqual(expected, "", JSON.stringify(input));
    assert.throws(() => bigger.with(input as never), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message, expected);
      return true;
    });
  }
  assert.throws(
    () => bigger.with(task("a")),
    /^TypeError: tasks\[4\]\.id: duplicate id "a" \(also tasks\[2\]\)$/,
  );
});

Deno.test("validation errors name the path of the bad field", () => {
  assert.throws(
    () =>
      TaskStore.from([{ id: "a", trials: [{ params: {}, value: 1 }, { params: {}, value: NaN }] }]),
    /tasks\[0\]\.trials\[1\]\.value: must be a finite number/,
  );
  assert.throws(
    () => TaskStore.from([{ id: "", trials: [] }]),
    /tasks\[0\]\.id: must not be empty/,
  );
  assert.throws(
    () => TaskStore.from([{ id: "a", trials: [] }]),
    /tasks\[0\]\.trials: needs at least one/,
  );
  assert.throws(
    () =>
      TaskStore.from([{ id: "a", trials: [{ params: {}, value: 1 }] }, {
        id: "a",
        trials: [{ params: {}, value: 1 }],
      }]),
    /tasks\[1\]\.id: duplicate id "a" \(also tasks\[0\]\)/,
  );
  assert.throws(
    () =>
      TaskStore.from([{ id: "a", trials: [{ params: {}, value: 1 }], metaFeatures: { m: "x" } }]),
    /tasks\[0\]\.metaFeatures\.m/,
  );
  assert.throws(() => TaskStore.fromJSON({ version: 2, tasks: [] }), /taskStore\.version/);
  assert.throws(
    () =>
      TaskStore.fromJSON({
        version: 1,
        tasks: [{ id: "a", trials: [{ params: {}, value: 1 }], extra: 1 }],
      }),
    /taskStore\.tasks\[0\]/,
  );
});

Deno.test("loadTaskStore names the file on bad JSON and on a bad field", () => {
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.writeTextFileSync(path, "{ not json");
  assert.throws(() => loadTaskStore(path), new RegExp(`loadTaskStore\\(${path}\\)`));
  Deno.writeTextFileSync(
    path,
    JSON.stringify({ version: 1, tasks: [{ id: "a", trials: [{ params: {}, value: "x" }] }] }),
  );
  assert.throws(
    () => loadTaskStore(path),
    new RegExp(`${path}: taskStore\\.tasks\\[0\\]\\.trials\\[0\\]\\.value`),
  );
  Deno.removeSync(path);
  assert.throws(() => saveTaskStore({} as never, path), /must be a TaskStore/);
});

Deno.test("priorTaskFromStudy keeps the complete trials of a finished minimize run", async () => {
  const space = defineSpace({ x: float(0, 1) });
  const result = await minimize((p) => p.x < 0.2 ? NaN : (p.x - 0.5) ** 2, space, {
    budget: 12,
    seed: 3,
    proposer: randomSearch(),
  });
  const task = priorTaskFromStudy("run", result, { metaFeatures: { n: 3 } });
  const complete = result.trials.filter((t) => t.status === "complete");
  assert.ok(complete.length < 12, "the objective should fail on some trials");
  assert.equal(task.trials.length, complete.length);
  assert.deepEqual(task.trials.map((t) => t.value), complete.map((t) => t.value));
  assert.deepEqual(task.metaFeatures, { n: 3 });
  assert.throws(() => priorTaskFromStudy("x", { trials: [] }), /no complete trial/);
  assert.throws(() => priorTaskFromStudy("x", {} as never), /must have a trials array/);
});

Deno.test("a tabular meta-dataset becomes prior tasks; failures are left out", () => {
  const json = {
    rows: [
      { task: "a", config: { lr: 0.1 }, validation_error: 0.2, test_error: 0.3 },
      { task: "b", config: { lr: 0.1 }, validation_error: null },
      { task: "a", config: { lr: 1 }, validation_error: 0.4 },
      { task: "b", config: { lr: 1 }, validation_error: 0.1 },
    ],
    metaFeatures: { a: { rows: 10 }, b: { rows: null } },
  };
  const prior = priorTasksFromMetaDataset(json, { metric: "validation_error" });
  assert.deepEqual(prior.map((t) => t.id), ["a", "b"]);
  assert.deepEqual(prior[0].trials.map((t) => t.value), [0.2, 0.4]);
  assert.deepEqual(prior[1].trials, [{ params: { lr: 1 }, value: 0.1 }]);
  assert.ok(Number.isNaN(prior[1].metaFeatures!.rows));
  assert.throws(
    () =>
      priorTasksFromMetaDataset({ rows: [{ task: "a", config: {}, v: "bad" }] }, { metric: "v" }),
    /metaDataset\.rows\[0\]\.v: must be a number or null/,
  );
  assert.throws(
    () => priorTasksFromMetaDataset({ rows: [{ config: {} }] }, { metric: "v" }),
    /metaDataset\.rows\[0\]\.task/,
  );
  assert.throws(
    () =>
      priorTasksFromMetaDataset({
        rows: [{ task: "a", config: {}, v: 1 }],
        metaFeatures: { z: {} },
      }, { metric: "v" }),
    /metaFeatures\.z: no rows/,
  );
  assert.throws(() => priorTasksFromMetaDataset(json, { metric: "" }), /options\.metric/);
  // No finite value of the metric in any row (here a misnamed metric): an error names it.
  assert.throws(
    () =>
      priorTasksFromMetaDataset({ rows: [{ task: "b", config: {}, v: null }] }, { metric: "v" }),
    (e) => e instanceof RangeError && /priorTasksFromMetaDataset: .*finite "v"/.test(e.message),
  );
  assert.throws(
    () => priorTasksFromMetaDataset(json, { metric: "validation_eror" }),
    /finite "validation_eror"/,
  );
});

Deno.test("priorTasksFromMetaDataset leaves out a task whose evaluations all failed", () => {
  const json = {
    rows: [
      { task: "iris", config: { lr: 0.1 }, err: 0.05 },
      { task: "iris", config: { lr: 1 }, err: 0.2 },
      { task: "wine", config: { lr: 0.1 }, err: null },
      { task: "wine", config: { lr: 1 }, err: NaN },
      { task: "wine", config: { lr: 2 } },
      { task: "digits", config: { lr: 0.1 }, err: 0.3 },
    ],
    metaFeatures: { iris: { n: 150 }, wine: { n: 178 }, digits: { n: 1797 } },
  };
  const prior = priorTasksFromMetaDataset(json, { metric: "err" });
  assert.deepEqual(prior.map((t) => `${t.id}:${t.trials.length}`), ["iris:2", "digits:1"]);
  assert.deepEqual(prior[1].metaFeatures, { n: 1797 });
  // The tasks left out are the rows' ids missing from the result (as the docs say).
  const named = new Set(json.rows.map((r) => r.task));
  const kept = new Set(prior.map((t) => t.id));
  assert.deepEqual([...named].filter((id) => !kept.has(id)), ["wine"]);
  // Its meta-features are still checked.
  assert.throws(
    () =>
      priorTasksFromMetaDataset({ ...json, metaFeatures: { wine: { n: Infinity } } }, {
        metric: "err",
      }),
    /metaDataset\.metaFeatures\.wine\.n/,
  );
});

Deno.test("ids and names equal to Object.prototype members keep their trials and meta-features", () => {
  const hostile = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
  // Built from JSON text, as a file would give it (an own "__proto__" key).
  const json = JSON.parse(
    JSON.stringify({
      rows: hostile.flatMap((id, i) => [
        { task: id, config: { lr: i }, err: i / 10 },
        { task: id, config: { lr: i + 1 }, err: null },
      ]),
      metaFeatures: Object.fromEntries(hostile.map((id, i) => [id, { n_rows: i, [id]: i + 0.5 }])),
    }).replaceAll('"lr"', '"__proto__"'),
  );
  const prior = priorTasksFromMetaDataset(json, { metric: "err" });
  assert.deepEqual(prior.map((t) => t.id), hostile);
  prior.forEach((task, i) => {
    assert.equal(task.trials.length, 1, task.id);
    assert.deepEqual(Object.keys(task.trials[0].params), ["__proto__"], task.id);
    assert.equal(task.trials[0].params["__proto__"], i, task.id);
    assert.deepEqual(Object.keys(task.metaFeatures!), ["n_rows", task.id], task.id);
    assert.equal(task.metaFeatures![task.id], i + 0.5, task.id);
  });
  // A task without meta-features among tasks with them gets none (not Object.prototype's).
  const partial = priorTasksFromMetaDataset({
    rows: [{ task: "constructor", config: {}, err: 1 }, { task: "b", config: {}, err: 2 }],
    metaFeatures: { b: { n: 1 } },
  }, { metric: "err" });
  assert.equal(partial[0].metaFeatures, undefined);
  assert.deepEqual(partial[1].metaFeatures, { n: 1 });
  // The metric itself may be such a name.
  const byProto = priorTasksFromMetaDataset(
    JSON.parse('{"rows": [{"task": "a", "config": {}, "__proto__": 3}]}'),
    { metric: "__proto__" },
  );
  assert.equal(byProto[0].trials[0].value, 3);
  // And the store round trips them exactly through its JSON text.
  const store = TaskStore.from(prior);
  const text = JSON.stringify(store.toJSON());
  assert.equal(JSON.stringify(TaskStore.fromJSON(JSON.parse(text)).toJSON()), text);
  assert.throws(
    () =>
      priorTasksFromMetaDataset({
        rows: [{ task: "a", config: {}, err: 1 }],
        metaFeatures: { toString: { n: 1 } },
      }, { metric: "err" }),
    /metaDataset\.metaFeatures\.toString: no rows for this task/,
  );
  assert.throws(
    () =>
      TaskStore.fromJSON(JSON.parse(
        '{"version": 1, "tasks": [{"id": "a", ' +
          '"trials": [{"params": {}, "value": 1}], "metaFeatures": {"__proto__": "x"}}]}',
      )),
    /taskStore\.tasks\[0\]\.metaFeatures\.__proto__: must be a finite number, NaN or null/,
  );
});

Deno.test("an infinite meta-feature is refused as not finite, wherever meta-features are read", () => {
  const task = (n: number) => ({
    id: "a",
    trials: [{ params: {}, value: 1 }],
    metaFeatures: { n },
  });
  for (const n of [Infinity, -Infinity]) {
    assert.throws(() => TaskStore.from([task(n)]), {
      name: "TypeError",
      message: "tasks[0].metaFeatures.n: must be a finite number, NaN or null",
    });
    assert.throws(
      () =>
        priorTasksFromMetaDataset({
          rows: [{ task: "a", config: {}, err: 1 }],
          metaFeatures: { a: { n } },
        }, { metric: "err" }),
      { message: "metaDataset.metaFeatures.a.n: must be a finite number, NaN or null" },
    );
  }
  // NaN and null stay allowed (unavailable), finite numbers as they are.
  assert.ok(Number.isNaN(TaskStore.from([task(NaN)]).tasks[0].metaFeatures!.n));
  assert.equal(TaskStore.from([task(-3.5)]).tasks[0].metaFeatures!.n, -3.5);
  assert.throws(
    () =>
      TaskStore.fromJSON({
        version: 1,
        tasks: [{ id: "a", trials: [{ params: {}, value: 1 }], metaFeatures: { n: "1" } }],
      }),
    { message: "taskStore.tasks[0].metaFeatures.n: must be a finite number, NaN or null" },
  );
});

Deno.test("TaskStore.from names every issue as the caller's objects name the list and the trials", () => {
  const bad = [
    { id: "a", trials: [{ params: {}, value: 1 }, { params: {}, value: NaN }] },
    { id: "b", trials: [{ params: {}, value: Infinity }], metaFeatures: { n: Infinity } },
  ];
  assert.throws(() => TaskStore.from(bad, { label: "problems", trials: "history" }), {
    name: "TypeError",
    message: "problems[0].history[1].value: must be a finite number; " +
      "problems[1].history[0].value: must be a finite number; " +
      "problems[1].metaFeatures.n: must be a finite number, NaN or null",
  });
  // The defaults are the store's own names.
  assert.throws(() => TaskStore.from(bad), {
    message: "tasks[0].trials[1].value: must be a finite number; " +
      "tasks[1].trials[0].value: must be a finite number; " +
      "tasks[1].metaFeatures.n: must be a finite number, NaN or null",
  });
  // Ids are compared once every task is valid; a repeat names the first under the label too.
  const ok = { id: "a", trials: [{ params: {}, value: 1 }] };
  assert.throws(() => TaskStore.from([ok, { ...ok, id: "b" }, ok], { label: "problems" }), {
    message: 'problems[2].id: duplicate id "a" (also problems[0])',
  });
  assert.throws(() => TaskStore.from([{ id: "a", trials: [] }], { label: "p", trials: "h" }), {
    message: "p[0].h: needs at least one trial",
  });
  assert.throws(() => TaskStore.from("x", { label: "problems" }), /^TypeError: problems: /);
});

Deno.test('priorTaskFromStudy: a study run with direction "maximize" gives its values negated (lower is better)', async () => {
  const space = defineSpace({ x: float(0, 1) });
  const accuracy = (p: { x: number }) => p.x < 0.2 ? NaN : 0.9 - (p.x - 0.5) ** 2;
  const common = { budget: 10, seed: 2, proposer: randomSearch() };
  const max = await minimize(accuracy, space, { ...common, direction: "maximize" });
  const min = await minimize((p) => -accuracy(p), space, common);
  // A result (its study's direction), the study itself, and a plain { trials, direction }.
  const fromResult = priorTaskFromStudy("run", max);
  assert.deepEqual(fromResult, priorTaskFromStudy("run", min));
  assert.deepEqual(priorTaskFromStudy("run", max.study), fromResult);
  assert.deepEqual(
    priorTaskFromStudy("run", { trials: max.trials, direction: "maximize" }),
    fromResult,
  );
  assert.deepEqual(
    fromResult.trials.map((t) => t.value),
    max.trials.filter((t) => t.status === "complete").map((t) => -t.value!),
  );
  // Without a direction, the values are taken as lower-is-better already.
  assert.deepEqual(
    priorTaskFromStudy("run", { trials: max.trials }).trials.map((t) => t.value),
    max.trials.filter((t) => t.status === "complete").map((t) => t.value),
  );
  assert.throws(
    () => priorTaskFromStudy("run", { trials: max.trials, direction: "up" as never }),
    /priorTaskFromStudy\.study\.direction: must be one of "minimize", "maximize", got the string "up"/,
  );
});

Deno.test("priorTasksFromMetaDataset: a score to maximise is read negated (prior tasks are lower-is-better)", () => {
  const json = {
    rows: [
      { task: "iris", config: { lr: 0.1 }, accuracy: 0.9 },
      { task: "iris", config: { lr: 1 }, accuracy: 0.6 },
      { task: "iris", config: { lr: 10 }, accuracy: null },
    ],
  };
  const [task] = priorTasksFromMetaDataset(json, { metric: "accuracy", direction: "maximize" });
  assert.deepEqual(task.trials.map((t) => t.value), [-0.9, -0.6]);
  const [plain] = priorTasksFromMetaDataset(json, { metric: "accuracy" });
  assert.deepEqual(plain.trials.map((t) => t.value), [0.9, 0.6]);
  assert.throws(
    () => priorTasksFromMetaDataset(json, { metric: "accuracy", direction: "up" as never }),
    /priorTasksFromMetaDataset\.options\.direction: must be one of "minimize", "maximize"/,
  );
});
