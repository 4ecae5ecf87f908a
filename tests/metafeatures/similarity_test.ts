import assert from "node:assert/strict";
import {
  extractMetaFeatures,
  fitMetaFeatureScaler,
  kNearestTasks,
  metaFeatureDistance,
  scaleMetaFeatures,
} from "../../lib/metafeatures/mod.ts";

const vec = (names: string[], values: number[]) => ({ names, values: Float64Array.from(values) });
const N = ["a", "b", "c"];

Deno.test("min–max scaler and L1 distance by hand", () => {
  const tasks = [vec(N, [0, 10, 5]), vec(N, [2, 30, 5]), vec(N, [1, 20, NaN])];
  const scaler = fitMetaFeatureScaler(tasks);
  assert.deepEqual([...scaler.min], [0, 10, 5]);
  assert.deepEqual([...scaler.max], [2, 30, 5]);
  assert.deepEqual([...scaleMetaFeatures(tasks[2], scaler)], [0.5, 0.5, NaN]);
  // constant meta-feature c scales to 0: |0 − 1| + |0 − 1| + 0 = 2
  assert.equal(metaFeatureDistance(tasks[0], tasks[1], scaler), 2);
  // NaN coordinate skipped, sum rescaled by 3/2: (0.5 + 0.5) · 3/2
  assert.equal(metaFeatureDistance(tasks[0], tasks[2], scaler), 1.5);
  assert.equal(
    metaFeatureDistance(vec(N, [NaN, NaN, NaN]), tasks[0], scaler),
    Infinity,
    "nothing shared",
  );
});

Deno.test("kNearestTasks orders by distance, ties by index, and fits bounds by default", () => {
  const candidates = [vec(N, [0, 0, 0]), vec(N, [4, 4, 4]), vec(N, [2, 2, 2]), vec(N, [2, 2, 2])];
  const query = vec(N, [3, 3, 3]);
  const near = kNearestTasks(query, candidates, 3);
  assert.deepEqual(near.map((n) => n.index), [1, 2, 3]);
  // bounds 0..4 on every coordinate: |3 − 4| / 4 · 3 = 0.75
  assert.equal(near[0].distance, 0.75);
  assert.equal(near[1].distance, 0.75);
  const scaler = fitMetaFeatureScaler([vec(N, [0, 0, 0]), vec(N, [8, 8, 8])]);
  assert.equal(kNearestTasks(query, candidates, 1, scaler)[0].distance, 3 / 8);
  assert.equal(kNearestTasks(query, candidates, 10).length, 4);
});

Deno.test("similarity finds the dataset that was drawn like the query", () => {
  const table = (shift: number, noise: number, n: number) => {
    const x = Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 10 + shift);
    const z = x.map((v, i) => v * noise + ((i * 13) % 7));
    return { x, z, y: x.map((v, i) => (v + ((i * 7) % 5) * noise > 5 + shift ? "p" : "n")) };
  };
  const mf = (t: ReturnType<typeof table>) =>
    extractMetaFeatures(t, { target: "y", groups: ["general", "statistical", "info-theory"] });
  const candidates = [mf(table(0, 3, 300)), mf(table(0, 0.1, 60)), mf(table(50, 3, 40))];
  const query = mf(table(0, 0.12, 64));
  assert.equal(kNearestTasks(query, candidates, 1)[0].index, 1);
});

Deno.test("similarity rejects mismatched meta-feature names and bad k", () => {
  const a = vec(["x", "y"], [1, 2]);
  assert.throws(
    () => fitMetaFeatureScaler([a, vec(["x", "z"], [1, 2])]),
    /tasks\.1: meta-feature names do not match \(lacks 'y' and has extra 'z'\)/,
  );
  assert.throws(
    () => fitMetaFeatureScaler([a, vec(["y", "x"], [1, 2])]),
    /different order/,
  );
  const scaler = fitMetaFeatureScaler([a]);
  assert.throws(() => metaFeatureDistance(a, vec(["x"], [1]), scaler), /lacks 'y'/);
  assert.throws(() => kNearestTasks(a, [vec(["x"], [1])], 1, scaler), /candidates\.0/);
  assert.throws(() => kNearestTasks(a, [a], 0), /k: must be a positive integer/);
  assert.throws(() => fitMetaFeatureScaler([]), /at least one/);
  assert.throws(
    () => scaleMetaFeatures({ names: ["x", "y"], values: Float64Array.of(1) }, scaler),
    /2 names but 1 values/,
  );
});

Deno.test("±Infinity is not a bound and a non-finite coordinate counts as missing", () => {
  const v = (a: number, b: number) => vec(["a", "b"], [a, b]);
  const scaler = fitMetaFeatureScaler([v(0, 1), v(Infinity, 3), v(2, 5), v(1, -Infinity)]);
  assert.deepEqual([...scaler.min], [0, 1]);
  assert.deepEqual([...scaler.max], [2, 5]);
  assert.equal(metaFeatureDistance(v(0, 1), v(2, 5), scaler), 2);
  assert.deepEqual([...scaleMetaFeatures(v(-Infinity, 3), scaler)], [NaN, 0.5]);
  // a: left out, b: |0.5 − 1| = 0.5, rescaled by 2 coordinates / 1 used
  assert.equal(metaFeatureDistance(v(-Infinity, 3), v(2, 5), scaler), 1);
  // an infinite-only meta-feature has no bounds (NaN) and never enters a distance
  const onlyInf = fitMetaFeatureScaler([v(Infinity, 1), v(-Infinity, 5)]);
  assert.ok(Number.isNaN(onlyInf.min[0]) && Number.isNaN(onlyInf.max[0]));
  assert.equal(metaFeatureDistance(v(Infinity, 1), v(-Infinity, 5), onlyInf), 2);
});
