/**
 * Property-based tests of the MAML-family learners: random small configurations (kind, widths,
 * depth, inner steps, rule options, batch sizes) meta-train, adapt and predict without leaking a
 * tensor, and bad configurations give errors naming the field, with nothing allocated. Run
 * counts: tests/_property.ts.
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import { tf } from "../../lib/deps/tf.ts";
import {
  createLearner,
  episodeBatch,
  LEARNER_KINDS,
  metaOptimizer,
  metaStep,
  mlp,
  useBackend,
} from "../../lib/maml/mod.ts";
import { disposeBatch } from "../../lib/maml/data.ts";
import { Rng } from "../../lib/random/rng.ts";

await useBackend("cpu");

const KINDS = LEARNER_KINDS;

const config = fc.record({
  kind: fc.constantFrom(...KINDS),
  input: fc.integer({ min: 1, max: 3 }),
  hidden: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
  output: fc.integer({ min: 1, max: 2 }),
  activation: fc.constantFrom("relu", "tanh", "sigmoid", "elu") as fc.Arbitrary<
    "relu" | "tanh" | "sigmoid" | "elu"
  >,
  innerSteps: fc.integer({ min: 1, max: 3 }),
  innerLr: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
  seed: fc.integer({ min: 0, max: 1000 }),
  learnedHp: fc.record({
    lrGranularity: fc.constantFrom("per-tensor", "per-element") as fc.Arbitrary<
      "per-tensor" | "per-element"
    >,
    learnStepScales: fc.boolean(),
    weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }),
    learnWeightDecay: fc.boolean(),
  }, { noNullPrototype: true }),
  tasks: fc.integer({ min: 1, max: 3 }),
  shots: fc.integer({ min: 1, max: 4 }),
  queries: fc.integer({ min: 1, max: 3 }),
  adaptSteps: fc.integer({ min: 0, max: 3 }),
}, { noNullPrototype: true });

function randomEpisodes(
  rng: Rng,
  tasks: number,
  shots: number,
  queries: number,
  input: number,
  output: number,
) {
  const set = (n: number) => ({
    x: Float64Array.from({ length: n * input }, () => rng.uniformIn(-2, 2)),
    y: Float64Array.from({ length: n * output }, () => rng.uniformIn(-1, 1)),
  });
  return Array.from({ length: tasks }, () => ({ support: set(shots), query: set(queries) }));
}

Deno.test("property: random small learners meta-train, adapt and predict without leaking tensors", () => {
  fc.assert(
    fc.property(config, (c) => {
      const before = tf.memory().numTensors;
      const model = mlp({ sizes: [c.input, ...c.hidden, c.output], activation: c.activation });
      const options = {
        innerLr: c.innerLr,
        innerSteps: c.innerSteps,
        seed: c.seed,
        ...(c.kind === "learned-hp" ? c.learnedHp : {}),
      };
      const learner = createLearner(c.kind, model, options);
      const optimizer = metaOptimizer({ kind: "adam", lr: 1e-3 });
      const rng = new Rng(c.seed);
      const batch = episodeBatch(
        randomEpisodes(rng, c.tasks, c.shots, c.queries, c.input, c.output),
        model,
      );
      try {
        const loss = metaStep(learner, batch, optimizer);
        assert.ok(Number.isFinite(loss), `meta-loss ${loss}`);
        const fast = learner.clone();
        fast.adapt(batch.supportX, batch.supportY, c.adaptSteps);
        const prediction = fast.predict(batch.queryX);
        assert.deepEqual(prediction.shape, [c.tasks, c.queries, c.output]);
        tf.dispose([prediction, fast.evaluate(batch.queryX, batch.queryY)]);
        fast.dispose();
      } finally {
        disposeBatch(batch);
        optimizer.dispose();
        learner.dispose();
      }
      assert.equal(tf.memory().numTensors, before, `leaked ${tf.memory().numTensors - before}`);
    }),
    propertyParams(25),
  );
});

/** One bad option: its name, its value and the learners that read it. */
const badOption = fc.oneof(
  fc.record({
    field: fc.constant("innerSteps"),
    value: fc.constantFrom(0, -1, 1.5, "2", null, NaN),
  }, { noNullPrototype: true }),
  fc.record({
    field: fc.constant("innerLr"),
    value: fc.constantFrom(0, -0.1, NaN, Infinity, "0.1", null),
  }, { noNullPrototype: true }),
  fc.record({
    field: fc.constant("seed"),
    value: fc.constantFrom(0.5, "1", NaN, null),
  }, { noNullPrototype: true }),
  fc.record({
    field: fc.constantFrom("unknownOption", "constructor", "__proto__x"),
    value: fc.constant(1),
  }, { noNullPrototype: true }),
);

Deno.test("property: bad learner configurations give errors naming the field, allocating nothing", () => {
  const badSizes = fc.oneof(
    fc.constant([1]),
    fc.constant([]),
    fc.array(fc.constantFrom(0, -1, 1.5, NaN), { minLength: 2, maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.constantFrom(...KINDS), badOption, badSizes, (kind, bad, sizes) => {
      const before = tf.memory().numTensors;
      assert.throws(
        () => createLearner(kind, mlp({ sizes: [1, 4, 1] }), { [bad.field]: bad.value }),
        (error: Error) =>
          error instanceof TypeError && error.message.includes(bad.field) &&
          /^(MAML|ANIL|MetaSGD|LearnedHyperparameters|Reptile|Pretrained)\b/.test(error.message),
        `${kind} ${bad.field}=${String(bad.value)}`,
      );
      assert.throws(() => mlp({ sizes }), /^TypeError: mlp\.sizes/);
      assert.equal(tf.memory().numTensors, before);
    }),
    propertyParams(100),
  );
});
