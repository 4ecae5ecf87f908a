// The softmax cross-entropy task loss of lib/maml/inner.ts: its value and gradient against a
// float64 computation, and the second-order MAML meta-gradient through the hand-written inner
// backward pass (tape and fused engine) against float64 central finite differences; the argument
// checks of adaptParams.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  adaptParams,
  createLearner,
  disposeBatch,
  type Episode,
  episodeBatch,
  type LearnerKind,
  MAML,
  type MetaLearner,
  mlp,
  mse,
  softmaxCrossEntropy,
  tileTasks,
  useBackend,
} from "../../lib/maml/mod.ts";
import { denseEngineFor } from "../../lib/maml/fused.ts";
import { Rng } from "../../lib/random/rng.ts";

await useBackend("cpu");

const D = 2; // inputs
const H = 4; // hidden units (tanh)
const C = 3; // classes

/** Float64 network [W1 (D×H), b1 (H), W2 (H×C), b2 (C)], flattened as in mlp(). */
function unpack(theta: Float64Array) {
  let o = 0;
  const take = (n: number) => theta.slice(o, o += n);
  return { w1: take(D * H), b1: take(H), w2: take(H * C), b2: take(C) };
}

/** Mean softmax cross-entropy of the network on one set and its exact gradient (float64). */
function crossEntropy(theta: Float64Array, x: ArrayLike<number>, y: ArrayLike<number>) {
  const { w1, b1, w2, b2 } = unpack(theta);
  const n = x.length / D;
  const grad = new Float64Array(theta.length);
  const [gW1, gB1, gW2, gB2] = [0, D * H, D * H + H, D * H + H + H * C];
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const a = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let z = b1[j];
      for (let i = 0; i < D; i++) z += x[r * D + i] * w1[i * H + j];
      a[j] = Math.tanh(z);
    }
    const logits = Float64Array.from(b2);
    for (let c = 0; c < C; c++) for (let j = 0; j < H; j++) logits[c] += a[j] * w2[j * C + c];
    const max = Math.max(...logits);
    const total = logits.reduce((s, v) => s + Math.exp(v - max), 0);
    const p = logits.map((v) => Math.exp(v - max) / total);
    const delta = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const t = y[r * C + c];
      loss -= t * (logits[c] - max - Math.log(total));
      delta[c] = (p[c] - t) / n;
    }
    for (let c = 0; c < C; c++) {
      grad[gB2 + c] += delta[c];
      for (let j = 0; j < H; j++) grad[gW2 + j * C + c] += a[j] * delta[c];
    }
    for (let j = 0; j < H; j++) {
      let back = 0;
      for (let c = 0; c < C; c++) back += delta[c] * w2[j * C + c];
      const dz = back * (1 - a[j] * a[j]);
      grad[gB1 + j] += dz;
      for (let i = 0; i < D; i++) grad[gW1 + i * H + j] += x[r * D + i] * dz;
    }
  }
  return { loss: loss / n, grad };
}

/** Central finite differences of f at v (float64). */
function finiteDifferences(f: (v: Float64Array) => number, v: Float64Array, h = 1e-5) {
  return Float64Array.from(v, (_, i) => {
    const plus = v.slice();
    const minus = v.slice();
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** Random N-way episodes with one-hot targets: `shots` support and `queries` query points per class. */
function episodes(seed: number, tasks: number, shots: number, queries: number): Episode[] {
  const rng = new Rng(seed);
  const set = (perClass: number) => {
    const x = new Float64Array(C * perClass * D);
    const y = new Float64Array(C * perClass * C);
    for (let r = 0; r < C * perClass; r++) {
      const c = r % C;
      for (let i = 0; i < D; i++) x[r * D + i] = rng.normal() + (i === c % D ? 1.5 : -0.5);
      y[r * C + c] = 1;
    }
    return { x, y };
  };
  return Array.from({ length: tasks }, () => ({ support: set(shots), query: set(queries) }));
}

const flat = (ts: readonly tf.Tensor[]) =>
  Float64Array.from(ts.flatMap((t) => Array.from(t.dataSync())));

function assertClose(actual: Float64Array, expected: Float64Array, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(1e-3, ...expected.map(Math.abs));
  actual.forEach((v, i) =>
    assert.ok(
      Math.abs(v - expected[i]) <= tol * scale,
      `${what}[${i}]: ${v} vs ${expected[i]} (tolerance ${tol * scale})`,
    )
  );
}

function metaGradient(learner: MetaLearner, eps: Episode[], engine: "tape" | "fused") {
  const batch = episodeBatch(eps, learner.model);
  const { loss, grads } = learner.metaGradients(batch, { engine });
  const out = { loss: loss.dataSync()[0], grads: flat(grads) };
  tf.dispose([loss, ...grads]);
  disposeBatch(batch);
  return out;
}

Deno.test("softmaxCrossEntropy: value and output gradient equal a float64 computation", () => {
  const rng = new Rng(4);
  const logits = Float32Array.from({ length: 2 * 5 * C }, () => 3 * rng.normal());
  const target = new Float32Array(2 * 5 * C);
  for (let r = 0; r < 10; r++) target[r * C + rng.integer(C)] = 1;
  const p = tf.tensor3d(logits, [2, 5, C]);
  const t = tf.tensor3d(target, [2, 5, C]);
  const value = softmaxCrossEntropy.value(p, t).dataSync();
  const gradient = softmaxCrossEntropy.outputGradient!(p, t).dataSync();
  const byTape = tf.grad((q: tf.Tensor) => tf.sum(softmaxCrossEntropy.value(q as tf.Tensor3D, t)))(
    p,
  ).dataSync();
  for (let task = 0; task < 2; task++) {
    let expected = 0;
    for (let r = task * 5; r < task * 5 + 5; r++) {
      const row = Array.from(logits.subarray(r * C, r * C + C));
      const max = Math.max(...row);
      const logTotal = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
      for (let c = 0; c < C; c++) {
        expected -= target[r * C + c] * (row[c] - logTotal);
        const want = (Math.exp(row[c] - logTotal) - target[r * C + c]) / 5;
        assert.ok(Math.abs(gradient[r * C + c] - want) < 1e-6, `∂L/∂ŷ[${r},${c}]`);
        assert.ok(Math.abs(byTape[r * C + c] - want) < 1e-6, `tape ∂L/∂ŷ[${r},${c}]`);
      }
    }
    assert.ok(Math.abs(value[task] - expected / 5) < 1e-5, `task ${task}: ${value[task]}`);
  }
  tf.dispose([p, t]);
});

Deno.test("softmaxCrossEntropy: a single logit is a RangeError, not a loss of 0", () => {
  const p = tf.zeros([2, 3, 1]) as tf.Tensor3D;
  const message = "softmaxCrossEntropy: predictions [2,3,1] have 1 output, " +
    "need at least 2 (one logit per class)";
  const named = (e: unknown) => e instanceof RangeError && e.message === message;
  assert.throws(() => softmaxCrossEntropy.value(p, p), named);
  assert.throws(() => softmaxCrossEntropy.outputGradient!(p, p), named);
  p.dispose();
});

Deno.test("softmaxCrossEntropy: the network's loss gradient equals finite differences", () => {
  const model = mlp({ sizes: [D, H, C], activation: "tanh" });
  const maml = new MAML(model, { innerLr: 0.5, seed: 1, loss: softmaxCrossEntropy });
  const theta = flat(maml.theta);
  const [e] = episodes(3, 1, 4, 1);
  const expected = finiteDifferences((v) => crossEntropy(v, e.support.x, e.support.y).loss, theta);
  assertClose(crossEntropy(theta, e.support.x, e.support.y).grad, expected, 1e-6, "reference");
  const x = tf.tensor3d(Float32Array.from(e.support.x), [1, 3 * 4, D]);
  const y = tf.tensor3d(Float32Array.from(e.support.y), [1, 3 * 4, C]);
  const params = maml.theta.map((v) => tf.expandDims(v, 0));
  const grads = model.parameterGradients!(
    params,
    x,
    (prediction) => softmaxCrossEntropy.outputGradient!(prediction, y),
  );
  assertClose(flat(grads), expected, 1e-4, "parameterGradients with cross-entropy");
  tf.dispose([x, y, ...params, ...grads]);
  maml.dispose();
});

for (const engine of ["tape", "fused"] as const) {
  Deno.test(`${engine}: second-order MAML with cross-entropy equals finite differences`, () => {
    const eps = episodes(11, 2, 2, 3);
    for (const steps of [1, 2]) {
      const maml = new MAML(mlp({ sizes: [D, H, C], activation: "tanh" }), {
        innerLr: 0.8,
        innerSteps: steps,
        seed: 6,
        loss: softmaxCrossEntropy,
      });
      const theta = flat(maml.theta);
      const metaLoss = (v: Float64Array) =>
        eps.reduce((sum, e) => {
          let p = v;
          for (let k = 0; k < steps; k++) {
            const { grad } = crossEntropy(p, e.support.x, e.support.y);
            p = Float64Array.from(p, (w, i) => w - 0.8 * grad[i]);
          }
          return sum + crossEntropy(p, e.query.x, e.query.y).loss;
        }, 0) / eps.length;
      const expected = finiteDifferences(metaLoss, theta);
      const got = metaGradient(maml, eps, engine);
      assert.ok(Math.abs(got.loss - metaLoss(theta)) < 1e-5, `steps=${steps} loss`);
      assertClose(got.grads, expected, 2e-4, `steps=${steps} dθ`);
      // The first-order gradient is measurably different: the test sees the second-order terms.
      const fo = createLearner("fomaml", maml.model, {
        innerLr: 0.8,
        innerSteps: steps,
        seed: 6,
        loss: softmaxCrossEntropy,
      });
      const first = metaGradient(fo, eps, engine).grads;
      const gap = Math.max(...first.map((v, i) => Math.abs(v - expected[i])));
      assert.ok(gap > 1e-3, `steps=${steps}: first and second order differ (gap ${gap})`);
      fo.dispose();
      maml.dispose();
    }
  });
}

Deno.test("cross-entropy: fused meta-gradients equal the tape's for every learner", () => {
  const kinds: LearnerKind[] = [
    "maml",
    "fomaml",
    "anil",
    "metasgd",
    "learned-hp",
    "reptile",
    "pretrained",
  ];
  for (const activation of ["relu", "elu"] as const) {
    for (const kind of kinds) {
      const options = kind === "learned-hp"
        ? { innerLr: 0.3, innerSteps: 2, seed: 2, weightDecay: 0.05, loss: softmaxCrossEntropy }
        : { innerLr: 0.3, innerSteps: 2, seed: 2, loss: softmaxCrossEntropy };
      const learner = createLearner(kind, mlp({ sizes: [D, 6, 5, C], activation }), options);
      const eps = episodes(kind.length, 3, 2, 4);
      const fused = metaGradient(learner, eps, "fused");
      const tape = metaGradient(learner, eps, "tape");
      const what = `${activation} ${kind}`;
      assert.ok(Math.abs(fused.loss - tape.loss) <= 1e-5 * Math.max(1, tape.loss), `${what} loss`);
      assertClose(fused.grads, tape.grads, 1e-4, what);
      learner.dispose();
    }
  }
});

Deno.test("denseEngineFor: one engine per loss, none for another loss", () => {
  const model = mlp({ sizes: [D, H, C] });
  assert.equal(denseEngineFor(model, softmaxCrossEntropy)?.loss, "softmax-ce");
  assert.equal(denseEngineFor(model, mse)?.loss, "mse");
  const custom = { value: softmaxCrossEntropy.value };
  assert.equal(denseEngineFor(model, custom), undefined);
  const learner = new MAML(model, { loss: custom, firstOrder: true }); // second order needs outputGradient
  const eps = episodes(1, 2, 1, 1);
  const batch = episodeBatch(eps, model);
  assert.throws(() => learner.metaGradients(batch, { engine: "fused" }), /softmaxCrossEntropy/);
  disposeBatch(batch);
  learner.dispose();
});

Deno.test("adaptParams: steps, params and the rule's lists are checked, errors name them", () => {
  const model = mlp({ sizes: [1, 8, 1] });
  const theta = model.init(new Rng(0)).map((v, i) => tf.tensor(v, [...model.paramShapes[i]]));
  const params = tileTasks(theta, 1);
  const x = tf.tensor3d([[[1], [2], [-1]]]);
  const y = tf.sin(x) as tf.Tensor3D;
  const rule = { lrs: theta.map(() => 0.1), adapts: theta.map(() => true) };
  const adapt = (steps: number, r = rule, p = params) => adaptParams(model, p, x, y, r, { steps });
  const before = tf.memory().numTensors;
  for (const steps of [1.5, -1, NaN, Infinity]) {
    assert.throws(() => adapt(steps), /^TypeError: adaptParams: options\.steps: /, `${steps}`);
  }
  assert.throws(
    () => adapt(1, { ...rule, lrs: [0.1] }),
    /^RangeError: adaptParams: rule\.lrs: needs one entry per parameter tensor \(4\), got 1$/,
  );
  assert.throws(
    () => adapt(1, { ...rule, adapts: [true] }),
    /^RangeError: adaptParams: rule\.adapts: needs one entry per parameter tensor \(4\), got 1$/,
  );
  assert.throws(
    () => adapt(1, rule, params.slice(0, 3)),
    /^RangeError: adaptParams: params: needs one entry per parameter tensor \(4\), got 3$/,
  );
  assert.equal(tf.memory().numTensors, before, "nothing computed");
  // Whole step counts: 0 returns the parameters, 2 steps are one step taken twice.
  assert.deepEqual(adapt(0), params);
  const once = adapt(1);
  const twice = adapt(2);
  const stepwise = adapt(1, rule, once);
  twice.forEach((t, i) => assert.deepEqual(t.dataSync(), stepwise[i].dataSync()));
  tf.dispose([...theta, ...params, x, y, ...once, ...twice, ...stepwise]);
});
