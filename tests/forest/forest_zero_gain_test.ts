import assert from "node:assert/strict";
import {
  RANDOM_FOREST_DEFAULTS,
  RandomForestClassifier,
  RandomForestRegressor,
} from "../../lib/forest/forest.ts";

/**
 * XOR of two binary features, each pattern 5 times. scikit-learn 1.2.1 on the same rows:
 * `DecisionTreeClassifier(random_state=0)` 4 leaves, training accuracy 1.0;
 * `DecisionTreeRegressor(random_state=0)` predicts [0, 1, 1, 0] at the four patterns;
 * `RandomForestClassifier(50, bootstrap=False, max_features=None)` accuracy 1.0 (its trees split
 * at zero gain, `min_impurity_decrease=0`).
 */
const patterns = [[0, 0], [0, 1], [1, 0], [1, 1]];
const x = Array.from({ length: 20 }, (_, i) => patterns[i % 4]);
const y = x.map(([a, b]) => (a !== b ? 1 : 0));
const single = { nEstimators: 1, bootstrap: false, maxFeatures: 1 } as const;

const accuracy = (predicted: ArrayLike<number>) =>
  y.filter((v, i) => v === predicted[i]).length / y.length;

Deno.test("forest learners: one tree without bootstrap fits XOR with splitZeroGain", () => {
  const classifier = new RandomForestClassifier({ ...single, splitZeroGain: true }).fit(x, y);
  assert.equal(accuracy(classifier.predict(x)), 1);
  assert.equal(classifier.trees[0].leafCount(), 4);
  const regressor = new RandomForestRegressor({ ...single, splitZeroGain: true }).fit(x, y);
  assert.deepEqual(Array.from(regressor.predict(patterns)), [0, 1, 1, 0]);
  // A forest without bootstrap, every feature or one per split: every tree fits it.
  for (const maxFeatures of [1, "sqrt"] as const) {
    const forest = new RandomForestClassifier({
      nEstimators: 20,
      bootstrap: false,
      maxFeatures,
      splitZeroGain: true,
      seed: 4,
    }).fit(x, y);
    assert.equal(accuracy(forest.predict(x)), 1);
  }
});

Deno.test("forest learners: by default (the meta-dataset's trees) one tree stays a leaf on XOR", () => {
  assert.equal(RANDOM_FOREST_DEFAULTS.splitZeroGain, false);
  for (const options of [single, { ...single, splitZeroGain: false }]) {
    const classifier = new RandomForestClassifier(options).fit(x, y);
    assert.equal(classifier.trees[0].leafCount(), 1);
    assert.equal(accuracy(classifier.predict(x)), 0.5);
    const regressor = new RandomForestRegressor(options).fit(x, y);
    assert.deepEqual(Array.from(regressor.predict(patterns)), [0.5, 0.5, 0.5, 0.5]);
  }
  // Without bootstrap no feature subset breaks the tie either.
  const forest = new RandomForestClassifier({ nEstimators: 20, bootstrap: false, seed: 4 })
    .fit(x, y);
  assert.ok(forest.trees.every((t) => t.leafCount() === 1));
});

Deno.test("forest learners: splitZeroGain must be a boolean", () => {
  assert.throws(
    () => new RandomForestClassifier({ splitZeroGain: "yes" } as never),
    /RandomForestClassifier: options\.splitZeroGain: .*expected boolean/,
  );
  assert.throws(
    () => new RandomForestRegressor({ splitZeroGain: 1 } as never),
    /RandomForestRegressor: options\.splitZeroGain: .*expected boolean/,
  );
});
