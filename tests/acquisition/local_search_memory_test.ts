import assert from "node:assert/strict";
import type { AcquisitionFunction } from "../../lib/acquisition/acquisition.ts";
import { KeptCandidates, localSearchWithStats } from "../../lib/acquisition/local_search.ts";
import { type AcquisitionOptimum, selectBest } from "../../lib/acquisition/optimize.ts";
import { Rng } from "../../lib/random/rng.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";

/** The pick, or the name of the error thrown. */
function pick(run: () => AcquisitionOptimum): AcquisitionOptimum | string {
  try {
    return run();
  } catch (error) {
    return (error as Error).name;
  }
}

Deno.test("KeptCandidates: picks what selectBest picks over every point offered", () => {
  const rng = new Rng(7);
  for (let t = 0; t < 600; t++) {
    const dim = 1 + rng.integer(3);
    const tolerance = [0, 1e-9, 0.01, 0.05, 0.2, 1e300][rng.integer(6)];
    const q = 1 + rng.integer(6);
    // Points on a grid of 0.6·tolerance: chains of points each within tolerance of the next.
    const spacing = tolerance > 0 && tolerance < 1 && rng.uniform() < 0.7
      ? 0.6 * tolerance
      : 1 / (1 + rng.integer(6));
    const levels = 1 + rng.integer(8);
    const points: Float64Array[] = [];
    const values: number[] = [];
    for (let i = 0; i < 200; i++) {
      let point: Float64Array;
      if (points.length > 0 && rng.uniform() < 0.15) {
        // An exact copy (a slice or the same array) of an earlier point.
        const earlier = points[rng.integer(points.length)];
        point = rng.uniform() < 0.5 ? earlier : earlier.slice();
      } else {
        point = Float64Array.from(
          { length: dim },
          () => Math.round(rng.uniform() * 8) * spacing + (rng.uniform() < 0.02 ? -0 : 0),
        );
        if (rng.uniform() < 0.02) point[rng.integer(dim)] = NaN;
      }
      const u = rng.uniform();
      const value = u < 0.05 ? -Infinity : u < 0.08 ? Infinity : rng.integer(levels) / levels;
      points.push(point);
      values.push(value === 0 && rng.uniform() < 0.3 ? -0 : value);
    }
    const exclude = rng.uniform() < 0.5
      ? Array.from({ length: rng.integer(6) }, () => points[rng.integer(points.length)].slice())
      : [];
    const kept = new KeptCandidates(q, tolerance, exclude);
    points.forEach((p, i) => kept.offer(p, values[i]));
    const expected = pick(() =>
      selectBest(points, Float64Array.from(values), exclude, q, tolerance)
    );
    const actual = pick(() => kept.best());
    const label = `case ${t}: dim ${dim}, q ${q}, tolerance ${tolerance}, spacing ${spacing}`;
    if (typeof expected === "string" || typeof actual === "string") {
      assert.equal(actual, expected, label);
      continue;
    }
    assert.equal(actual.points.length, expected.points.length, label);
    // The very same arrays, in the same order, with the same values (bit for bit).
    actual.points.forEach((p, i) => assert.ok(p === expected.points[i], label));
    assert.deepEqual(
      new Uint8Array(actual.values.buffer),
      new Uint8Array(expected.values.buffer),
      label,
    );
  }
});

Deno.test("KeptCandidates: holds at most q distinct points however many are offered", () => {
  const rng = new Rng(3);
  for (const q of [1, 4, 10]) {
    const kept = new KeptCandidates(q, 1e-9, []);
    for (let i = 0; i < 20_000; i++) {
      // Ties and exact copies too: a few values, points on a coarse grid.
      const point = Float64Array.from({ length: 3 }, () => rng.integer(5) / 4);
      kept.offer(point, rng.integer(10));
    }
    assert.ok(kept.peak <= q, `q ${q}: peak ${kept.peak}`);
    assert.equal(kept.best().points.length, q);
  }
});

Deno.test("localSearch: keeps the best q evaluated points, not every one", () => {
  const levels = 10;
  const space = defineSpace(
    Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `c${i}`,
        categorical(Array.from({ length: levels }, (_, j) => `l${j}`)),
      ]),
    ),
  );
  // Plateaus (as a random forest's): depends on three of the categoricals only.
  const plateau: AcquisitionFunction = {
    name: "plateau",
    dim: space.dim,
    evaluate: (points) =>
      Float64Array.from(
        points,
        (p) => p[0] + p[levels + 1] + p[2 * levels + 2],
      ),
  };
  for (const q of [1, 4]) {
    const { optimum, evaluated, peakKept } = localSearchWithStats(plateau, {
      dim: space.dim,
      rng: new Rng(q),
      space,
      q,
    });
    assert.ok(evaluated > 10_000, `${evaluated} evaluations`);
    assert.ok(peakKept <= q, `q ${q}: ${peakKept} points kept of ${evaluated}`);
    assert.equal(optimum.points.length, q);
    assert.equal(optimum.value, 3);
  }
  // SMAC3's list needs no other points than the random samples and the searches' ends.
  const ends = localSearchWithStats(plateau, {
    dim: space.dim,
    rng: new Rng(0),
    space,
    q: 4,
    candidates: "ends",
  });
  assert.equal(ends.peakKept, 0);
  // Fewer configurations than q: each is kept once, however often it is evaluated.
  const tiny = defineSpace({ c: categorical(["a", "b", "c"]) });
  const level: AcquisitionFunction = {
    name: "level",
    dim: tiny.dim,
    evaluate: (points) => Float64Array.from(points, (p) => p[1]),
  };
  const few = localSearchWithStats(level, { dim: tiny.dim, rng: new Rng(2), space: tiny, q: 4 });
  assert.ok(few.evaluated >= 5_000, `${few.evaluated} evaluations`);
  assert.equal(few.peakKept, 3);
  assert.equal(few.optimum.points.length, 3);
  // A mixed space: continuous steps give distinct values and points.
  const mixed = defineSpace({ x: float(0, 1), y: float(0, 1), n: int(1, 20) });
  const smooth: AcquisitionFunction = {
    name: "smooth",
    dim: mixed.dim,
    evaluate: (points) => Float64Array.from(points, (p) => Math.sin(5 * p[0]) * p[1] + p[2]),
  };
  const run = localSearchWithStats(smooth, { dim: mixed.dim, rng: new Rng(1), space: mixed, q: 3 });
  assert.ok(run.evaluated > 5_000, `${run.evaluated} evaluations`);
  assert.ok(run.peakKept <= 3, `${run.peakKept} points kept`);
});
