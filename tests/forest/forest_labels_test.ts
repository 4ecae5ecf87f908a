import assert from "node:assert/strict";
import { RandomForestClassifier } from "../../lib/forest/forest.ts";

const x = [[0], [1], [2], [3]];

Deno.test("RandomForestClassifier: labels beyond the rows without classes are an error naming y", () => {
  // Years as labels would make 2001 classes for 4 rows.
  assert.throws(
    () => new RandomForestClassifier({ nEstimators: 3 }).fit(x, [1990, 1990, 2000, 2000]),
    (e: unknown) =>
      e instanceof RangeError &&
      /RandomForestClassifier\.fit: y: the largest label 2000 would make 2001 classes for 4 rows/
        .test(e.message) &&
      /class indices 0 … classes−1/.test(e.message) &&
      /map the labels to indices/.test(e.message) &&
      /options\.classes/.test(e.message),
  );
  // One stray code: rejected at once, before any array of that width is made.
  const start = performance.now();
  assert.throws(
    () => new RandomForestClassifier({ nEstimators: 3 }).fit(x, [0, 3e8, 1, 1]),
    /y: the largest label 300000000 would make 300000001 classes for 4 rows/,
  );
  assert.ok(performance.now() - start < 1000);
});

Deno.test("RandomForestClassifier: labels within the rows, or with classes given, still fit", () => {
  // The largest label + 1 may be the number of rows, or 2.
  assert.equal(new RandomForestClassifier({ nEstimators: 2 }).fit(x, [0, 3, 1, 1]).classes, 4);
  assert.equal(new RandomForestClassifier({ nEstimators: 2 }).fit([[0]], [1]).classes, 2);
  assert.equal(new RandomForestClassifier({ nEstimators: 2 }).fit([[0], [1]], [0, 0]).classes, 2);
  assert.throws(
    () => new RandomForestClassifier({ nEstimators: 2 }).fit([[0], [1]], [0, 2]),
    /y: the largest label 2 would make 3 classes for 2 rows/,
  );
  // An explicit class count is taken as given (here a fold missing most classes).
  const forest = new RandomForestClassifier({ nEstimators: 2, classes: 10 }).fit(x, [0, 9, 9, 0]);
  assert.equal(forest.classes, 10);
  assert.equal(forest.predictProba([[0]]).length, 10);
  assert.deepEqual(Array.from(forest.predict([[0], [1.5]])), [0, 9]);
});
