// The fused meta-gradient engine (lib/maml/fused.ts) against tfjs's tape on the task-batched
// inner loop, and the batched meta-gradient against the mean of per-task ones.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  type Activation,
  createLearner,
  disposeBatch,
  episodeBatch,
  type LearnerKind,
  type MetaLearner,
  mlp,
  mse,
  softmaxCrossEntropy,
  useBackend,
} from "../../lib/maml/mod.ts";
import { _engineCacheSize, DenseEngine, denseEngineFor } from "../../lib/maml/fused.ts";
import { episodeSampler, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { Arena } from "../../lib/maml/_axpy.ts";
import { simdKernels } from "./_simd.ts";

await useBackend("cpu");

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

const episodes = (seed: number, tasks: number) =>
  episodeSampler(sinusoid, { shots: 5, queryShots: 7 })(new Rng(seed), tasks);

function gradients(
  learner: MetaLearner,
  eps: ReturnType<typeof episodes>,
  engine: "fused" | "tape",
) {
  const batch = episodeBatch(eps, learner.model);
  const { loss, grads } = learner.metaGradients(batch, { engine });
  const out = { loss: loss.dataSync()[0], grads: flat(grads) };
  tf.dispose([loss, ...grads]);
  disposeBatch(batch);
  return out;
}

const KINDS: LearnerKind[] = [
  "maml",
  "fomaml",
  "anil",
  "metasgd",
  "learned-hp",
  "reptile",
  "pretrained",
];

for (const activation of ["relu", "tanh", "sigmoid", "elu"] as Activation[]) {
  Deno.test(`${activation}: fused meta-gradients equal the tape's for every learner`, () => {
    for (const kind of KINDS) {
      for (const innerSteps of [1, 3]) {
        const options = kind === "learned-hp"
          ? { innerLr: 0.05, innerSteps, seed: 2, weightDecay: 0.05, lrGranularity: "per-element" }
          : { innerLr: 0.05, innerSteps, seed: 2 };
        const learner = createLearner(kind, mlp({ sizes: [1, 6, 5, 1], activation }), options);
        const eps = episodes(innerSteps, 4);
        const before = tf.memory().numTensors;
        const fused = gradients(learner, eps, "fused");
        assert.equal(tf.memory().numTensors, before, `${kind}: no tensor leak`);
        const tape = gradients(learner, eps, "tape");
        const what = `${activation} ${kind} steps=${innerSteps}`;
        assert.ok(
          Math.abs(fused.loss - tape.loss) <= 1e-5 * Math.max(1, tape.loss),
          `${what} loss`,
        );
        assertClose(fused.grads, tape.grads, 1e-4, what);
        learner.dispose();
      }
    }
  });
}

Deno.test("batched meta-gradients equal the mean of per-task ones (both engines)", () => {
  for (const engine of ["fused", "tape"] as const) {
    for (const kind of KINDS) {
      const learner = createLearner(
        kind,
        mlp({ sizes: [1, 6, 5, 1], activation: "tanh" }),
        { innerLr: 0.05, innerSteps: 2, seed: 4 },
      );
      const eps = episodes(11, 4);
      const batched = gradients(learner, eps, engine);
      const perTask = eps.map((e) => gradients(learner, [e], engine));
      const mean = batched.grads.map((_, i) =>
        perTask.reduce((s, g) => s + g.grads[i], 0) / eps.length
      );
      const what = `${engine} ${kind}`;
      const meanLoss = perTask.reduce((s, g) => s + g.loss, 0) / eps.length;
      assert.ok(Math.abs(batched.loss - meanLoss) <= 1e-5 * Math.max(1, meanLoss), `${what} loss`);
      assertClose(batched.grads, Float64Array.from(mean), 1e-5, what);
      learner.dispose();
    }
  }
});

Deno.test("the fused engine needs a fully connected model and the mse or cross-entropy loss", () => {
  assert.equal(denseEngineFor(mlp({ sizes: [1, 4, 1] }), { value: mse.value }), undefined);
  const learner = createLearner("maml", mlp({ sizes: [1, 4, 1] }), {
    loss: { value: mse.value, outputGradient: mse.outputGradient },
  });
  const batch = episodeBatch(episodes(1, 2), learner.model);
  assert.throws(() => learner.metaGradients(batch, { engine: "fused" }), /engine "fused" needs/);
  const { loss, grads } = learner.metaGradients(batch); // "auto" falls back to the tape
  assert.ok(Number.isFinite(loss.dataSync()[0]));
  tf.dispose([loss, ...grads]);
  disposeBatch(batch);
  learner.dispose();
  // With softmaxCrossEntropy, "auto" is the fused engine: the same bits.
  const classifier = createLearner("maml", mlp({ sizes: [2, 8, 3], activation: "tanh" }), {
    loss: softmaxCrossEntropy,
    innerLr: 0.5,
  });
  const oneHot = (c: number[]) =>
    Float32Array.from(c.flatMap((k) => [0, 1, 2].map((j) => +(j === k))));
  const ep = {
    support: { x: new Float32Array([0.1, 0.2, -0.3, 0.5, 0.9, -0.7]), y: oneHot([0, 1, 2]) },
    query: { x: new Float32Array([0.3, -0.2, 0.6, 0.1, -0.9, 0.4]), y: oneHot([2, 1, 0]) },
  };
  const classes = episodeBatch([ep, ep], classifier.model);
  const bits = (engine: "auto" | "fused" | "tape") => {
    const g = classifier.metaGradients(classes, { engine });
    const values = flat([g.loss, ...g.grads]);
    tf.dispose([g.loss, ...g.grads]);
    return values;
  };
  assert.deepEqual(bits("auto"), bits("fused"));
  assert.notDeepEqual(bits("auto"), bits("tape"), "float64 fused vs float32 tape");
  disposeBatch(classes);
  classifier.dispose();
});

Deno.test("fused meta-training is seeded: the same seed gives the same parameters", async () => {
  const { metaTrain } = await import("../../lib/maml/mod.ts");
  const run = async () => {
    const learner = createLearner("metasgd", mlp({ sizes: [1, 8, 8, 1] }), { seed: 1 });
    await metaTrain(learner, { source: episodeSampler(sinusoid), iterations: 5, metaBatchSize: 3 });
    const values = flat(learner.variables);
    learner.dispose();
    return values;
  };
  assert.deepEqual(await run(), await run());
});

Deno.test("the fused engine's WebAssembly SIMD products equal its JavaScript loops", () => {
  // Where the runtime has WebAssembly SIMD the kernels must exist (they share one module with
  // the engines' arenas): otherwise both engines below run the JavaScript loops.
  simdKernels(new Arena(1 << 16));
  for (
    const [activation, sizes] of [
      ["relu", [1, 9, 7, 1]],
      ["tanh", [1, 9, 7, 1]],
      ["relu", [1, 17, 16, 1]],
      ["elu", [1, 24, 40, 1]],
    ] as [Activation, number[]][]
  ) {
    const architecture = { sizes, activation };
    const simd = new DenseEngine(architecture);
    const plain = new DenseEngine(architecture, { simd: false });
    const model = mlp({ ...architecture, sizes: [...architecture.sizes] });
    const theta = model.init(new Rng(3));
    const eps = episodes(5, 3);
    const set = (key: "support" | "query") => ({
      x: eps.flatMap((e) => Array.from(e[key].x)),
      y: eps.flatMap((e) => Array.from(e[key].y)),
      points: eps[0][key].x.length,
    });
    const rule = {
      adapts: theta.map(() => true),
      lrs: theta.map((t) => new Float64Array(t.length).fill(0.03)),
      stepScales: [1.1, 0.9],
      weightDecay: 0.01,
    };
    const a = simd.metaGradient(theta, 3, set("support"), set("query"), rule, { steps: 2 });
    const b = plain.metaGradient(theta, 3, set("support"), set("query"), rule, { steps: 2 });
    // The kernels add every element's terms in the loops' order: the same bits, not just close.
    const flatOf = (g: typeof a) =>
      Float64Array.from([...g.theta, ...g.lrs].flatMap((v) => Array.from(v)));
    assert.equal(a.loss, b.loss, `${activation} loss`);
    assert.deepEqual(flatOf(a), flatOf(b), `${activation} SIMD vs JS`);
    assert.deepEqual(a.stepScales, b.stepScales, `${activation} step scales`);
    assert.equal(a.weightDecay, b.weightDecay, `${activation} weight decay`);
  }
});

Deno.test("fused meta-gradients equal the tape's with several inputs and outputs", () => {
  const rng = new Rng(9);
  const set = (points: number, dim: number) =>
    Float64Array.from({ length: points * dim }, () => rng.uniformIn(-2, 2));
  const eps = Array.from({ length: 3 }, () => ({
    support: { x: set(4, 3), y: set(4, 2) },
    query: { x: set(6, 3), y: set(6, 2) },
  }));
  for (const kind of ["maml", "anil", "learned-hp", "reptile", "pretrained"] as LearnerKind[]) {
    const learner = createLearner(kind, mlp({ sizes: [3, 7, 2], activation: "tanh" }), {
      innerLr: 0.1,
      innerSteps: 2,
      seed: 8,
    });
    const fused = gradients(learner, eps, "fused");
    const tape = gradients(learner, eps, "tape");
    assert.ok(Math.abs(fused.loss - tape.loss) <= 1e-5 * Math.max(1, tape.loss), `${kind} loss`);
    assertClose(fused.grads, tape.grads, 1e-4, `${kind} [3, 7, 2]`);
    learner.dispose();
  }
});

Deno.test("live learners of one architecture share one engine; the last dispose drops it", () => {
  const sizes = [1, 13, 11, 1]; // used by no other test
  const base = _engineCacheSize();
  const eps = episodes(4, 3);
  const a = createLearner("maml", mlp({ sizes }), { seed: 2 });
  const b = createLearner("metasgd", mlp({ sizes }), { seed: 3 });
  assert.equal(_engineCacheSize(), base, "a learner takes an engine on its first fused use");
  gradients(a, eps, "tape");
  assert.equal(_engineCacheSize(), base, "nor does the tape take one");
  const first = gradients(a, eps, "fused");
  assert.equal(_engineCacheSize(), base + 1);
  const shared = denseEngineFor(a.model, mse);
  assert.equal(denseEngineFor(b.model, mse), shared, "the held engine is the one handed out");
  const fromB = gradients(b, eps, "fused");
  assert.equal(_engineCacheSize(), base + 1, "two live learners of one architecture: one engine");
  assert.equal(denseEngineFor(b.model, mse), shared);
  assert.deepEqual(gradients(a, eps, "fused"), first, "sharing changes no number");

  const ce = createLearner("maml", mlp({ sizes: [1, 13, 11, 2] }), { loss: softmaxCrossEntropy });
  const oneHot = (y: ArrayLike<number>) =>
    Float64Array.from(Array.from(y).flatMap((v) => v > 0 ? [1, 0] : [0, 1]));
  const classes = eps.map((e) => ({
    support: { x: e.support.x, y: oneHot(e.support.y) },
    query: { x: e.query.x, y: oneHot(e.query.y) },
  }));
  gradients(ce, classes, "fused");
  assert.equal(_engineCacheSize(), base + 2, "another loss and output width: another engine");
  ce.dispose();
  assert.equal(_engineCacheSize(), base + 1);

  a.dispose();
  assert.equal(_engineCacheSize(), base + 1, "b still holds the engine");
  assert.equal(denseEngineFor(b.model, mse), shared);
  assert.deepEqual(gradients(b, eps, "fused"), fromB);
  b.dispose();
  assert.equal(_engineCacheSize(), base, "disposing every learner empties the entry");
  b.dispose();
  assert.equal(_engineCacheSize(), base, "a second dispose gives nothing back twice");
  const batch = episodeBatch(eps, b.model);
  assert.throws(() => b.metaGradients(batch, { engine: "fused" }), /disposed/);
  disposeBatch(batch);
  assert.equal(_engineCacheSize(), base, "a disposed learner takes no engine");
  const other = denseEngineFor(b.model, mse);
  assert.notEqual(other, shared, "without a holder, a new engine the cache does not keep");
  assert.notEqual(denseEngineFor(b.model, mse), other);
  assert.equal(_engineCacheSize(), base);

  // A new learner of the architecture gets a new engine, with the same numbers.
  const again = createLearner("maml", mlp({ sizes }), { seed: 2 });
  assert.deepEqual(gradients(again, eps, "fused"), first);
  assert.equal(_engineCacheSize(), base + 1);
  assert.notEqual(denseEngineFor(again.model, mse), shared);
  again.dispose();
  assert.equal(_engineCacheSize(), base);
});

Deno.test("DenseEngine: a set holding too few values throws a RangeError naming it", () => {
  const engine = new DenseEngine({ sizes: [2, 4, 1], activation: "tanh" });
  const theta = [
    new Float64Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]),
    new Float64Array(4),
    new Float64Array([0.5, -0.5, 0.25, 1]),
    new Float64Array(1),
  ];
  const rule = {
    adapts: [true, true, true, true],
    lrs: [0.1, 0.1, 0.1, 0.1],
    stepScales: [],
    weightDecay: 0,
  };
  const full = {
    x: new Float32Array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]),
    y: new Float32Array([0, 1, 0, 1, 0, 1]),
    points: 3,
  };
  const shortX = { ...full, x: full.x.subarray(0, 10) };
  const shortY = { ...full, y: Array.from(full.y).slice(0, 5) };
  const xMessage = (name: string) =>
    new RangeError(`${name}.x: needs 12 values (2 tasks × 3 points × 2 inputs), got 10`);
  const yMessage = (name: string) =>
    new RangeError(`${name}.y: needs 6 values (2 tasks × 3 points × 1 outputs), got 5`);
  assert.throws(
    () => engine.metaGradient(theta, 2, shortX, full, rule, { steps: 1 }),
    xMessage("support"),
  );
  assert.throws(
    () => engine.metaGradient(theta, 2, full, shortY, rule, { steps: 1 }),
    yMessage("query"),
  );
  assert.throws(() => engine.adapt(theta, 2, shortX, rule, 1, full), xMessage("support"));
  assert.throws(() => engine.adapt(theta, 2, full, rule, 1, shortX), xMessage("query"));
  assert.throws(() => engine.pooledGradient(theta, 2, [full, shortY]), yMessage("sets[1]"));
  // Well-sized sets (a longer buffer too) still work, and the engine is usable after an error.
  const g = engine.metaGradient(theta, 2, full, full, rule, { steps: 1 });
  const longer = { ...full, x: new Float32Array([...full.x, 9, 9]) };
  assert.equal(engine.metaGradient(theta, 2, longer, full, rule, { steps: 1 }).loss, g.loss);
  assert.ok(Number.isFinite(g.loss));
  assert.equal(engine.adapt(theta, 1, shortX, rule, 1).params.length, 1, "one task needs 6 values");
});

Deno.test("DenseEngine: theta, tasks, the rule and the step counts are checked, errors name them", () => {
  const engine = new DenseEngine({ sizes: [1, 8, 1], activation: "tanh" });
  const theta = [
    new Float64Array(8).fill(0.5),
    new Float64Array(8),
    new Float64Array(8).fill(0.1),
    new Float64Array(1),
  ];
  const set = { x: [0.5, -1], y: [1, 0], points: 2 };
  const rule = {
    adapts: [true, true, true, true],
    lrs: [0.01, 0.01, 0.01, 0.01],
    stepScales: [] as number[],
    weightDecay: 0,
  };
  const meta = (
    r: Record<string, unknown>,
    th: ArrayLike<number>[] = theta,
    steps = 1,
    tasks = 1,
  ) => engine.metaGradient(th, tasks, set, set, { ...rule, ...r } as typeof rule, { steps });
  const cases: [string, () => unknown, RegExp][] = [
    [
      "short per-element rates",
      () => meta({ lrs: [new Float64Array(3).fill(0.01), 0.01, 0.01, 0.01] }),
      /^RangeError: rule\.lrs\[0\]: needs a number or 8 rates, one per element of layer 1 weights \[1, 8\], got 3 values$/,
    ],
    [
      "missing rates",
      () => meta({ lrs: [0.01] }),
      /^RangeError: rule\.lrs: needs one entry per parameter tensor \(4\), got 1$/,
    ],
    [
      "short adapts",
      () => meta({ adapts: [true] }),
      /^RangeError: rule\.adapts: needs one entry per parameter tensor \(4\), got 1$/,
    ],
    [
      "adapts not booleans",
      () => meta({ adapts: [1, 1, 1, 1] }),
      /^TypeError: rule\.adapts\[0\]: must be a boolean, got number$/,
    ],
    [
      "step scale not a number",
      () => meta({ stepScales: ["1"] }),
      /^TypeError: rule\.stepScales\[0\]: must be a number, got string$/,
    ],
    [
      "weight decay missing",
      () => meta({ weightDecay: undefined }),
      /^TypeError: rule\.weightDecay: must be a number, got undefined$/,
    ],
    [
      "short theta tensor",
      () => meta({}, [new Float64Array(3).fill(0.5), ...theta.slice(1)]),
      /^RangeError: theta\[0\]: needs 8 values \(layer 1 weights \[1, 8\]\), got 3$/,
    ],
    [
      "long theta tensor",
      () => meta({}, [...theta.slice(0, 3), new Float64Array(2)]),
      /^RangeError: theta\[3\]: needs 1 values \(layer 2 bias \[1\]\), got 2$/,
    ],
    [
      "missing theta tensor",
      () => meta({}, theta.slice(0, 3)),
      /^RangeError: theta: needs one array per parameter tensor \(4: \[W₁, b₁, …\]\), got 3$/,
    ],
    [
      "fractional steps",
      () => meta({}, theta, 1.5),
      /^TypeError: options\.steps: must be an integer ≥ 0$/,
    ],
    [
      "negative steps",
      () => meta({}, theta, -1),
      /^TypeError: options\.steps: must be an integer ≥ 0$/,
    ],
    ["NaN steps", () => meta({}, theta, NaN), /^TypeError: options\.steps: .*NaN/],
    [
      "fractional tasks",
      () => meta({}, theta, 1, 0.5),
      /^TypeError: tasks: must be a positive integer$/,
    ],
    ["no tasks", () => meta({}, theta, 1, 0), /^TypeError: tasks: must be a positive integer$/],
    [
      "fractional points",
      () => engine.metaGradient(theta, 1, { ...set, points: 1.5 }, set, rule, { steps: 1 }),
      /^TypeError: support\.points: must be a positive integer$/,
    ],
    [
      "adapt: short rates",
      () => engine.adapt(theta, 1, set, { ...rule, lrs: [new Float64Array(3), 0, 0, 0] }, 1),
      /^RangeError: rule\.lrs\[0\]: needs a number or 8 rates/,
    ],
    [
      "adapt: fractional steps",
      () => engine.adapt(theta, 1, set, rule, 1.5),
      /^TypeError: steps: must be an integer ≥ 0$/,
    ],
    [
      "adapt: negative first step",
      () => engine.adapt(theta, 1, set, rule, 1, undefined, -1),
      /^TypeError: firstStep: must be an integer ≥ 0$/,
    ],
    [
      "adapt: short theta tensor",
      () => engine.adapt([theta[0], theta[1], new Float64Array(3), theta[3]], 1, set, rule, 1),
      /^RangeError: theta\[2\]: needs 8 values \(layer 2 weights \[8, 1\]\), got 3$/,
    ],
    [
      "pooledGradient: short theta tensor",
      () => engine.pooledGradient([theta[0], new Float64Array(2), theta[2], theta[3]], 1, [set]),
      /^RangeError: theta\[1\]: needs 8 values \(layer 1 bias \[8\]\), got 2$/,
    ],
    [
      "pooledGradient: no sets",
      () => engine.pooledGradient(theta, 1, []),
      /^RangeError: sets: needs at least one set$/,
    ],
  ];
  const wrong = cases.flatMap(([what, call, message]) => {
    try {
      call();
      return [`${what}: no error`];
    } catch (e) {
      const got = `${(e as Error).name}: ${(e as Error).message}`;
      return message.test(got) ? [] : [`${what}: ${got}`];
    }
  });
  assert.deepEqual(wrong, []);
  // Valid arguments give the same results after any of these errors.
  const expected = new DenseEngine(engine.architecture).metaGradient(theta, 1, set, set, rule, {
    steps: 2,
  });
  const again = engine.metaGradient(theta, 1, set, set, rule, { steps: 2 });
  assert.equal(again.loss, expected.loss);
  assert.deepEqual(again.theta, expected.theta);
  const perElement = { ...rule, lrs: theta.map((t) => new Float64Array(t.length).fill(0.01)) };
  assert.deepEqual(
    engine.metaGradient(theta, 1, set, set, perElement, { steps: 2 }).theta,
    expected.theta,
  );
  assert.equal(engine.metaGradient(theta, 1, set, set, rule, { steps: 0 }).lrs.length, 4);
});

Deno.test("DenseEngine: a NaN input gives a NaN loss and gradient through ReLU (SIMD and JS)", () => {
  const architecture = { sizes: [1, 4, 1], activation: "relu" as Activation };
  const theta = [
    new Float64Array([0.5, -0.3, 0.8, -0.1]),
    new Float64Array([0.1, 0.2, -0.2, 0.05]),
    new Float64Array([0.4, -0.6, 0.3, 0.9]),
    new Float64Array([0.1]),
  ];
  const rule = {
    adapts: [true, true, true, true],
    lrs: [0.1, 0.1, 0.1, 0.1],
    stepScales: [],
    weightDecay: 0,
  };
  const query = { x: [0.2, 0.7], y: [0.4, 1.4], points: 2 };
  for (const simd of [true, false]) {
    const engine = new DenseEngine(architecture, { simd });
    for (const bad of [NaN, Infinity, -Infinity]) {
      const support = { x: [bad, 0.5, 1], y: [0, 1, 2], points: 3 };
      const g = engine.metaGradient(theta, 1, support, query, rule, { steps: 1 });
      assert.ok(!Number.isFinite(g.loss), `simd ${simd}, input ${bad}: loss ${g.loss}`);
    }
    const support = { x: [NaN, 0.5, 1], y: [0, 1, 2], points: 3 };
    const g = engine.metaGradient(theta, 1, support, query, rule, { steps: 1 });
    assert.ok(Number.isNaN(g.loss), `simd ${simd}: NaN loss`);
    assert.ok(g.theta.some((t) => Array.from(t).some(Number.isNaN)), `simd ${simd}: NaN gradient`);
  }
});
