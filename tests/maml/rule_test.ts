import assert from "node:assert/strict";
import {
  createLearner,
  episodeSampler,
  learnedInnerRule,
  metaTrain,
  mlp,
  sinusoid,
  useBackend,
} from "../../maml.ts";

await useBackend("cpu");

Deno.test("learnedInnerRule: fixed α for MAML, per-tensor rates, step scales and λ for learned-hp", () => {
  const model = mlp({ sizes: [1, 8, 8, 1] });
  const maml = createLearner("maml", model, { innerLr: 0.02, seed: 0 });
  const rule = learnedInnerRule(maml);
  assert.deepEqual(rule.rates.map((r) => r.parameter), [
    "layer 1 weights",
    "layer 1 bias",
    "layer 2 weights",
    "layer 2 bias",
    "layer 3 weights",
    "layer 3 bias",
  ]);
  assert.ok(rule.rates.every((r) => !r.learned && r.mean === 0.02 && r.adapted));
  assert.deepEqual(rule.stepScales, []);
  assert.equal(rule.weightDecay, 0);
  assert.equal(rule.weightDecayLearned, false);
  maml.dispose();

  const anil = createLearner("anil", model, { innerLr: 0.01, seed: 0 });
  assert.deepEqual(learnedInnerRule(anil).rates.map((r) => r.adapted), [
    false,
    false,
    false,
    false,
    true,
    true,
  ]);
  anil.dispose();

  const lhp = createLearner("learned-hp", model, {
    innerLr: 0.01,
    innerSteps: 2,
    lrGranularity: "per-tensor",
    learnStepScales: true,
    weightDecay: 1e-3,
    seed: 0,
  });
  const before = learnedInnerRule(lhp);
  assert.ok(before.rates.every((r) => r.learned && Math.abs(r.mean - 0.01) < 1e-7));
  assert.deepEqual(before.stepScales, [1, 1]);
  assert.ok(Math.abs(before.weightDecay - 1e-3) < 1e-9);
  assert.equal(before.weightDecayLearned, true);
  lhp.dispose();
});

Deno.test("learnedInnerRule follows meta-training: Meta-SGD's per-element rates move and are summarised", async () => {
  const learner = createLearner("metasgd", mlp({ sizes: [1, 8, 8, 1] }), {
    innerLr: 0.01,
    seed: 1,
  });
  await metaTrain(learner, {
    source: episodeSampler(sinusoid),
    iterations: 30,
    metaBatchSize: 4,
    seed: 1,
  });
  const rule = learnedInnerRule(learner);
  const first = rule.rates[0];
  assert.equal(first.learned, true);
  assert.deepEqual(first.shape, [1, 8]);
  assert.ok(first.min < first.max, "per-element rates differ after training");
  assert.ok(first.min <= first.mean && first.mean <= first.max);
  assert.ok(first.negativeShare >= 0 && first.negativeShare <= 1);
  learner.dispose();
});
