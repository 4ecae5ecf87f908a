// Meta-gradients against a float64 re-computation in plain JavaScript (tests/maml/reference.ts)
// differentiated by central finite differences.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  episodeBatch,
  LearnedHyperparameters,
  MAML,
  type MetaLearner,
  MetaSGD,
  mlp,
  useBackend,
} from "../../lib/maml/mod.ts";
import * as ref from "./reference.ts";

const H = 4;
const episodes = [
  {
    support: { x: new Float64Array([-1, 0.5, 2]), y: new Float64Array([0.3, -0.2, 1.1]) },
    query: { x: new Float64Array([0.1, -2]), y: new Float64Array([0.5, -1]) },
  },
  {
    support: { x: new Float64Array([1.5, -0.5, 0.2]), y: new Float64Array([-0.7, 0.4, 0.9]) },
    query: { x: new Float64Array([1, 3]), y: new Float64Array([0.2, 0.1]) },
  },
];
const flat = (ts: readonly tf.Tensor[]) =>
  Float64Array.from(ts.flatMap((t) => Array.from(t.dataSync())));

function metaGradient(learner: MetaLearner): Float64Array {
  const batch = episodeBatch(episodes, learner.model);
  const { loss, grads } = learner.metaGradients(batch);
  const out = flat(grads);
  tf.dispose([loss, ...grads, ...Object.values(batch)]);
  return out;
}

/** Mean query loss after `steps` SGD steps with rates `lrs`, in float64. */
function referenceMetaLoss(theta: Float64Array, lrs: number | Float64Array, steps = 1): number {
  return episodes.reduce((sum, e) => {
    let net = ref.unpack(theta, H);
    for (let k = 0; k < steps; k++) net = ref.sgdStep(net, e.support.x, e.support.y, lrs);
    return sum + ref.loss(net, e.query.x, e.query.y);
  }, 0) / episodes.length;
}

function assertClose(actual: Float64Array, expected: Float64Array, tol: number, what: string) {
  const scale = Math.max(...expected.map(Math.abs));
  actual.forEach((v, i) =>
    assert.ok(
      Math.abs(v - expected[i]) <= tol * scale,
      `${what}[${i}]: ${v} vs ${expected[i]} (tolerance ${tol * scale})`,
    )
  );
}

for (const backend of ["cpu", "wasm"] as const) {
  for (const activation of ["tanh", "relu"] as const) {
    Deno.test(`${backend}/${activation}: second-order MAML meta-gradient equals finite differences`, async () => {
      await useBackend(backend);
      ref.setActivation(activation);
      for (const steps of [1, 2]) {
        const maml = new MAML(mlp({ sizes: [1, H, 1], activation }), {
          innerLr: 0.3,
          innerSteps: steps,
          seed: 3,
        });
        const theta = flat(maml.theta);
        const expected = ref.finiteDifferences((t) => referenceMetaLoss(t, 0.3, steps), theta);
        assertClose(metaGradient(maml), expected, 2e-4, `steps=${steps} dθ`);
        maml.dispose();
      }
    });
  }

  Deno.test(`${backend}: first-order MAML differs from second order and equals ∇ at θ'`, async () => {
    await useBackend(backend);
    ref.setActivation("tanh");
    const model = mlp({ sizes: [1, H, 1], activation: "tanh" });
    const fo = new MAML(model, { innerLr: 0.3, seed: 3, firstOrder: true });
    const theta = flat(fo.theta);
    const firstOrder = metaGradient(fo);
    const secondOrder = ref.finiteDifferences((t) => referenceMetaLoss(t, 0.3), theta);
    const gap = Math.max(...firstOrder.map((v, i) => Math.abs(v - secondOrder[i])));
    assert.ok(gap > 0.05, `first- and second-order gradients should differ, max gap ${gap}`);
    // First order: the query-loss gradient at each task's adapted parameters, averaged.
    const expected = new Float64Array(theta.length);
    for (const e of episodes) {
      const adapted = ref.sgdStep(ref.unpack(theta, H), e.support.x, e.support.y, 0.3);
      const g = ref.gradient(adapted, e.query.x, e.query.y);
      [...g.w1, ...g.b1, ...g.w2, g.b2].forEach((v, i) => (expected[i] += v / episodes.length));
    }
    assertClose(firstOrder, expected, 2e-4, "FOMAML dθ");
    fo.dispose();
  });

  Deno.test(`${backend}: Meta-SGD learning rates receive the exact gradient`, async () => {
    await useBackend(backend);
    ref.setActivation("tanh");
    const metaSgd = new MetaSGD(mlp({ sizes: [1, H, 1], activation: "tanh" }), {
      innerLr: 0.2,
      seed: 5,
    });
    const theta = flat(metaSgd.theta);
    const nTheta = theta.length;
    const grads = metaGradient(metaSgd);
    const lrs = new Float64Array(nTheta).fill(0.2);
    const expected = ref.finiteDifferences((l) => referenceMetaLoss(theta, l), lrs);
    const lrGrads = grads.slice(nTheta);
    assert.equal(lrGrads.length, nTheta);
    assert.ok(Math.max(...lrGrads.map(Math.abs)) > 1e-3, "rates get a non-zero gradient");
    assertClose(lrGrads, expected, 2e-4, "Meta-SGD dα");
    metaSgd.dispose();
  });
}

Deno.test("learned hyperparameters: rates, step scales and weight decay get the exact gradient", async () => {
  await useBackend("cpu");
  ref.setActivation("tanh");
  const lhp = new LearnedHyperparameters(mlp({ sizes: [1, H, 1], activation: "tanh" }), {
    innerLr: 0.2,
    innerSteps: 2,
    weightDecay: 0.1,
    seed: 7,
  });
  assert.deepEqual(lhp.variableKeys.slice(4), [
    "lr.0",
    "lr.1",
    "lr.2",
    "lr.3",
    "stepScale.0",
    "stepScale.1",
    "weightDecay",
  ]);
  const theta = flat(lhp.theta);
  const sizes = [H, H, H, 1];
  // Meta-loss as a function of [α₀..α₃, s₀, s₁, λ] in float64.
  const f = (h: Float64Array) => {
    const [a0, a1, a2, a3, s0, s1, decay] = h;
    const rates = [a0, a1, a2, a3].flatMap((a, i) => Array(sizes[i]).fill(a));
    return episodes.reduce((sum, e) => {
      let net = ref.unpack(theta, H);
      for (const s of [s0, s1]) {
        const g = ref.gradient(net, e.support.x, e.support.y);
        const p = [...net.w1, ...net.b1, ...net.w2, net.b2];
        const gp = [...g.w1, ...g.b1, ...g.w2, g.b2];
        net = ref.unpack(Float64Array.from(p, (v, i) => v - rates[i] * s * (gp[i] + decay * v)), H);
      }
      return sum + ref.loss(net, e.query.x, e.query.y);
    }, 0) / episodes.length;
  };
  const expected = ref.finiteDifferences(f, Float64Array.from([0.2, 0.2, 0.2, 0.2, 1, 1, 0.1]));
  const actual = metaGradient(lhp).slice(theta.length);
  assertClose(actual, expected, 2e-4, "d(α, s, λ)");
  lhp.dispose();
});
