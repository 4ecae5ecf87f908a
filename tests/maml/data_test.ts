// Episode checks of lib/maml/data.ts: malformed episodes, mismatched sizes and non-finite values
// are named errors (episode index, field, value index), and a valid batch stacks unchanged.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import {
  checkEpisodes,
  disposeBatch,
  type Episode,
  episodeBatch,
  mlp,
  useBackend,
} from "../../lib/maml/mod.ts";
import { DataError } from "../../lib/data/errors.ts";

await useBackend("cpu");

const model = mlp({ sizes: [1, 8, 1] });
const episode = (shots = 3): Episode => ({
  support: {
    x: Float64Array.from({ length: shots }, (_, i) => i),
    y: Float64Array.from({ length: shots }, (_, i) => 2 * i),
  },
  query: { x: new Float32Array([0.5, 1.5]), y: new Float32Array([1, 3]) },
});

/** Asserts `f` throws an error of class `type` with exactly `message`. */
function throwsExactly(
  f: () => unknown,
  type: new (...args: never[]) => Error,
  message: string,
) {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof type, `${e} is not a ${type.name}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

Deno.test("checkEpisodes: missing or mistyped sets and fields are TypeErrors naming them", () => {
  const good = episode();
  throwsExactly(
    () => checkEpisodes(undefined, model, "metaTrain: iteration 1: source()"),
    TypeError,
    "metaTrain: iteration 1: source(): must be an array of episodes, got undefined",
  );
  throwsExactly(
    () => checkEpisodes([good, null], model, "episodes"),
    TypeError,
    "episodes[1]: must be an episode { support, query }, got null",
  );
  throwsExactly(
    () => checkEpisodes([good, { query: good.query }], model, "metaTest: episodes"),
    TypeError,
    "metaTest: episodes[1].support: must be a labelled set { x, y }, got undefined",
  );
  throwsExactly(
    () => checkEpisodes([{ support: good.support }], model, "episodes"),
    TypeError,
    "episodes[0].query: must be a labelled set { x, y }, got undefined",
  );
  throwsExactly(
    () => checkEpisodes([{ ...good, query: { x: [0.5], y: good.query.y } }], model, "episodes"),
    TypeError,
    "episodes[0].query.x: must be a Float64Array or Float32Array, got an Array",
  );
  throwsExactly(
    () => checkEpisodes([], model, "episodes"),
    RangeError,
    "episodes: empty meta-batch (0 episodes)",
  );
});

Deno.test("checkEpisodes: sizes are checked against the model and episode 0", () => {
  const good = episode();
  const wide = mlp({ sizes: [2, 8, 1] });
  throwsExactly(
    () => checkEpisodes([good], wide, "episodes"),
    RangeError,
    "episodes[0].support.x: length 3 is not a multiple of 2 (values per point)",
  );
  throwsExactly(
    () => checkEpisodes([good, good, episode(4)], model, "metaTest: episodes"),
    RangeError,
    "metaTest: episodes[2].support.x: length 4, expected 3 like episode 0",
  );
  throwsExactly(
    () =>
      checkEpisodes(
        [{ ...good, query: { x: good.query.x, y: new Float64Array(3) } }],
        model,
        "episodes",
      ),
    RangeError,
    "episodes[0].query: x has 2 points, y has 3",
  );
  throwsExactly(
    () =>
      checkEpisodes(
        [{ ...good, support: { x: new Float64Array(0), y: new Float64Array(0) } }],
        model,
        "episodes",
      ),
    RangeError,
    "episodes[0].support.x: empty set (0 points)",
  );
});

Deno.test("checkEpisodes: NaN, infinite and float32-overflowing values are DataErrors", () => {
  const good = episode();
  const withValue = (part: "support" | "query", key: "x" | "y", at: number, value: number) => {
    const set = { x: Float64Array.from(good[part].x), y: Float64Array.from(good[part].y) };
    set[key][at] = value;
    return { ...good, [part]: set } as Episode;
  };
  throwsExactly(
    () => checkEpisodes([good, withValue("support", "x", 1, NaN)], model, "metaTrain: source()"),
    DataError,
    "metaTrain: source()[1].support.x[1] (point 1): must be finite, got NaN",
  );
  throwsExactly(
    () => checkEpisodes([withValue("query", "y", 0, -Infinity)], model, "episodes"),
    DataError,
    "episodes[0].query.y[0] (point 0): must be finite, got -Infinity",
  );
  throwsExactly(
    () => checkEpisodes([withValue("support", "y", 2, 1e39)], model, "episodes"),
    DataError,
    "episodes[0].support.y[2] (point 2): must be finite in float32, got 1e+39",
  );
  // Point numbers count rows of `dim` values.
  const two = mlp({ sizes: [2, 8, 1] });
  const x = new Float64Array([0, 1, 2, NaN]);
  throwsExactly(
    () =>
      checkEpisodes(
        [{ support: { x, y: new Float64Array(2) }, query: { x, y: new Float64Array(2) } }],
        two,
        "episodes",
      ),
    DataError,
    "episodes[0].support.x[3] (point 1): must be finite, got NaN",
  );
  checkEpisodes([good, withValue("query", "x", 1, 3e38)], model, "episodes"); // finite in float32
});

Deno.test("episodeBatch: checks with its label, stacks valid episodes, leaks nothing", () => {
  const before = tf.memory().numTensors;
  throwsExactly(
    () => episodeBatch([episode(), episode(2)], model),
    RangeError,
    "episodes[1].support.x: length 2, expected 3 like episode 0",
  );
  throwsExactly(
    () => episodeBatch([episode(), { query: episode().query } as Episode], model, "mine"),
    TypeError,
    "mine[1].support: must be a labelled set { x, y }, got undefined",
  );
  assert.equal(tf.memory().numTensors, before);
  const batch = episodeBatch([episode(), episode()], model);
  assert.deepEqual(batch.supportX.shape, [2, 3, 1]);
  assert.deepEqual(Array.from(batch.supportY.dataSync()), [0, 2, 4, 0, 2, 4]);
  assert.deepEqual(Array.from(batch.queryX.dataSync()), [0.5, 1.5, 0.5, 1.5]);
  disposeBatch(batch);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("checkEpisodes: targets of more classes than the model's outputs name outputDim and ways", () => {
  // A 5-way 1-shot episode (5 points, one-hot rows of 5) for a model with 3 outputs.
  const fiveWay = (): Episode => ({
    support: { x: new Float64Array(5 * 2), y: new Float64Array(5 * 5) },
    query: { x: new Float64Array(10 * 2), y: new Float64Array(10 * 5) },
  });
  const message = (where: string, n: number, points: number) =>
    `${where}: 5 values per point (${n} for the ${points} points of x), the model's output ` +
    "dimension (model.outputDim) is 3: the model's outputs do not match the targets (for " +
    "classification, one output per class: the number of classes, ways)";
  throwsExactly(
    () => checkEpisodes([fiveWay()], mlp({ sizes: [2, 8, 3] }), "episodes"),
    RangeError,
    message("episodes[0].support.y", 25, 5),
  );
  // 3 shots: 15 points, 75 target values, a multiple of 3 that is still not 3 per point.
  const threeShot: Episode = {
    support: { x: new Float64Array(15 * 2), y: new Float64Array(15 * 5) },
    query: fiveWay().query,
  };
  throwsExactly(
    () => episodeBatch([threeShot], mlp({ sizes: [2, 8, 3] }), "metaTest: episodes"),
    RangeError,
    message("metaTest: episodes[0].support.y", 75, 15),
  );
  checkEpisodes([fiveWay()], mlp({ sizes: [2, 8, 5] }), "episodes"); // 5 outputs: fine
});
