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
  useBackend,
} from "../../lib/maml/mod.ts";
import { denseEngineFor } from "../../lib/maml/fused.ts";
import { episodeSampler, sinusoid } from "../../lib/tasks/sinusoid/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

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
