import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  type Checkpoint,
  checkpoint,
  createLearner,
  fromCheckpoint,
  type FunctionalModel,
  type LearnerKind,
  loadCheckpoint,
  mlp,
  restore,
  saveCheckpoint,
  useBackend,
} from "../../lib/maml/mod.ts";

await useBackend("cpu");

/** Asserts that `f` throws a `TypeError` whose message starts with `start`. */
function throwsStarting(f: () => unknown, start: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof TypeError, String(e));
    assert.ok(e.message.startsWith(start), `"${e.message}" does not start with "${start}"`);
    return true;
  });
}

const values = (vs: readonly tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));

Deno.test("checkpoint records an mlp's sizes and activation; a different activation is refused", () => {
  const relu = mlp({ sizes: [1, 8, 8, 1], activation: "relu" });
  const saved = createLearner("maml", relu, { seed: 1 });
  const c = JSON.parse(JSON.stringify(checkpoint(saved, 3))) as Checkpoint;
  assert.deepEqual(c.architecture, { sizes: [1, 8, 8, 1], activation: "relu" });
  const before = tf.memory().numTensors;
  for (const activation of ["tanh", "sigmoid", "elu"] as const) {
    const other = mlp({ sizes: [1, 8, 8, 1], activation });
    assert.throws(
      () => fromCheckpoint(c, other),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message ===
          `checkpoint.architecture.activation: "relu", but the model has "${activation}"`,
    );
    const target = createLearner("maml", other, { seed: 2 });
    const kept = values(target.variables);
    throwsStarting(() => restore(target, c), "checkpoint.architecture.activation: ");
    assert.deepEqual(values(target.variables), kept, "nothing written");
    target.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "the refusals leave no tensor behind");
  // Sizes are named as such, before the variables' shapes.
  throwsStarting(
    () => fromCheckpoint({ ...c, architecture: { sizes: [1, 8, 1], activation: "relu" } }, relu),
    "checkpoint.architecture.sizes: [1,8,1], but the model has [1,8,8,1]",
  );
  // A model that is not an mlp cannot repeat an mlp checkpoint's architecture.
  const { architecture: _, ...plain } = relu;
  throwsStarting(() => fromCheckpoint(c, plain as FunctionalModel), "checkpoint.architecture: ");
  const back = fromCheckpoint(c, mlp({ sizes: [1, 8, 8, 1] }));
  assert.deepEqual(values(back.variables), values(saved.variables));
  back.dispose();
  saved.dispose();
});

Deno.test("checkpoints without an architecture (older ones, other models) still load", () => {
  const model = mlp({ sizes: [1, 8, 1] });
  const saved = createLearner("fomaml", model, { seed: 4 });
  const { architecture: _, ...old } = checkpoint(saved, 0);
  const back = fromCheckpoint(old, mlp({ sizes: [1, 8, 1], activation: "tanh" }));
  assert.deepEqual(values(back.variables), values(saved.variables));
  back.dispose();
  // A model without an architecture writes none.
  const { architecture: __, ...custom } = model;
  const onCustom = createLearner("fomaml", custom as FunctionalModel, { seed: 4 });
  assert.equal(checkpoint(onCustom, 0).architecture, undefined);
  onCustom.dispose();
  saved.dispose();
});

Deno.test("the committed checkpoints (written before the architecture field) load", () => {
  const dir = new URL("../../results/maml_full/fomaml_seeds/checkpoints/", import.meta.url);
  const files = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json"));
  assert.ok(files.length > 0);
  for (const { name } of files) {
    const learner = loadCheckpoint(new URL(name, dir).pathname, mlp({ sizes: [1, 40, 40, 1] }));
    assert.equal(learner.kind, "fomaml");
    learner.dispose();
  }
});

Deno.test("restore refuses options that differ from the checkpoint's, all but seed", () => {
  const model = mlp({ sizes: [1, 8, 1] });
  const cases: [LearnerKind, Record<string, unknown>, Record<string, unknown>, string][] = [
    [
      "maml",
      { innerLr: 0.01 },
      { innerLr: 0.1 },
      "checkpoint.options.innerLr: 0.01, but the learner has 0.1",
    ],
    ["reptile", {}, { innerSteps: 1 }, "checkpoint.options.innerSteps: 5, but the learner has 1"],
    [
      "anil",
      {},
      { firstOrder: true },
      "checkpoint.options.firstOrder: false, but the learner has true",
    ],
    [
      "learned-hp",
      { lrGranularity: "per-tensor", learnWeightDecay: false, weightDecay: 0.1 },
      { lrGranularity: "per-tensor", learnWeightDecay: false, weightDecay: 0.2 },
      "checkpoint.options.weightDecay: 0.1, but the learner has 0.2",
    ],
  ];
  for (const [kind, savedOptions, ownOptions, message] of cases) {
    const saved = createLearner(kind, model, { ...savedOptions, seed: 1 } as never);
    const target = createLearner(kind, model, { ...ownOptions, seed: 2 } as never);
    const kept = values(target.variables);
    throwsStarting(() => restore(target, checkpoint(saved, 0)), message);
    assert.deepEqual(values(target.variables), kept, `${kind}: nothing written`);
    // The same options but the seed: restored.
    const same = createLearner(kind, model, { ...savedOptions, seed: 9 } as never);
    restore(same, checkpoint(saved, 0));
    assert.deepEqual(values(same.variables), values(saved.variables));
    for (const l of [saved, target, same]) l.dispose();
  }
});

Deno.test("a bad option inside a checkpoint is named under checkpoint.options", () => {
  const model = mlp({ sizes: [1, 8, 1] });
  const learner = createLearner("maml", model);
  const c = JSON.parse(JSON.stringify(checkpoint(learner, 0)));
  const before = tf.memory().numTensors;
  throwsStarting(
    () => fromCheckpoint({ ...c, options: { ...c.options, innerLr: -1 } }, model),
    "checkpoint.options.innerLr: ",
  );
  throwsStarting(
    () => fromCheckpoint({ ...c, options: { ...c.options, innerLR: 0.1 } }, model),
    "checkpoint.options.innerLR: unknown key",
  );
  throwsStarting(
    () => fromCheckpoint({ ...c, options: { ...c.options, firstOrder: true } }, model),
    'checkpoint.options.firstOrder: true contradicts kind "maml"',
  );
  throwsStarting(
    () => restore(learner, { ...c, options: { ...c.options, innerSteps: 0 } }),
    "checkpoint.options.innerSteps: ",
  );
  assert.equal(tf.memory().numTensors, before, "nothing allocated by the refusals");
  learner.dispose();
});

Deno.test("saveCheckpoint: a file that cannot be written is an error naming saveCheckpoint", () => {
  const learner = createLearner("maml", mlp({ sizes: [1, 4, 1] }));
  const path = `${Deno.makeTempDirSync()}/missing/x.json`;
  assert.throws(
    () => saveCheckpoint(path, learner, 0),
    (e: unknown) =>
      e instanceof Error && e.message.startsWith(`saveCheckpoint: cannot write ${path}: `),
  );
  learner.dispose();
});
