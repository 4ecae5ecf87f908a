import assert from "node:assert/strict";
import type { AcquisitionFunction } from "../../lib/acquisition/acquisition.ts";
import {
  LOCAL_SEARCH_DEFAULTS,
  localSearch,
  oneExchangeNeighbourhood,
} from "../../lib/acquisition/local_search.ts";
import { AllCandidatesExcludedError } from "../../lib/acquisition/optimize.ts";
import { Rng } from "../../lib/random/rng.ts";
import { categorical, defineSpace, float, int, when } from "../../lib/space/mod.ts";

const mixed = defineSpace({
  x: float(0, 1),
  lr: float(1e-4, 1, { log: true }),
  n: int(1, 9),
  layers: int(1, 64, { log: true }),
  act: categorical(["relu", "tanh", "gelu", "elu"]),
  bias: categorical([true, false]),
});

const conditional = defineSpace({
  optimizer: categorical(["sgd", "adam", "rmsprop"]),
  lr: float(1e-4, 1e-1, { log: true }),
  momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
  nesterov: when({ optimizer: "sgd" }, categorical([true, false])),
  beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
  units: int(8, 64),
});

/** Names whose values differ between two configurations (present in one only counts). */
function changed(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((k) => a[k] !== b[k]);
}

/** Parameters active in both configurations whose values differ. */
function changedActive(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a).filter((k) => k in b && a[k] !== b[k]);
}

Deno.test("oneExchangeNeighbourhood: each neighbour changes exactly one parameter of a mixed space", () => {
  const rng = new Rng(3);
  for (const u of mixed.sampleEncoded(20, rng, "uniform")) {
    const config = mixed.decode(u);
    const neighbours = oneExchangeNeighbourhood(u, mixed, rng);
    assert.ok(neighbours.length > 0);
    const perParam = new Map<string, unknown[]>();
    for (const v of neighbours) {
      // canonical: projecting changes nothing (to rounding of the log scales)
      mixed.project(v).forEach((x, j) => assert.ok(Math.abs(x - v[j]) < 1e-12, "canonical"));
      const diff = changed(config, mixed.decode(v));
      assert.equal(diff.length, 1, `neighbour changes ${diff.join(", ")}`);
      const name = diff[0];
      perParam.set(name, [...(perParam.get(name) ?? []), mixed.decode(v)[name as "x"]]);
    }
    // categoricals: every other level, once each
    for (
      const [name, choices] of [["act", ["relu", "tanh", "gelu", "elu"]], [
        "bias",
        [true, false],
      ]] as const
    ) {
      const others = (choices as readonly unknown[]).filter((c) =>
        c !== config[name as keyof typeof config]
      );
      assert.deepEqual(
        [...(perParam.get(name) ?? [])].sort(),
        [...others].sort(),
        `${name}: the other levels`,
      );
    }
    // integers: both neighbouring values when in range, and only distinct values
    const n = config.n;
    const ns = perParam.get("n") as number[];
    assert.equal(new Set(ns).size, ns.length);
    for (const next of [n - 1, n + 1]) {
      if (next >= 1 && next <= 9) assert.ok(ns.includes(next), `n = ${n}: ${next} is a neighbour`);
    }
    const layers = perParam.get("layers") as number[];
    for (const next of [config.layers - 1, config.layers + 1]) {
      if (next >= 1 && next <= 64) assert.ok(layers.includes(next));
    }
    // continuous: the default number of steps (fewer only if a step is 0)
    assert.ok((perParam.get("x") ?? []).length <= LOCAL_SEARCH_DEFAULTS.continuousNeighbours);
    assert.ok((perParam.get("x") ?? []).length >= LOCAL_SEARCH_DEFAULTS.continuousNeighbours - 1);
  }
});

Deno.test("oneExchangeNeighbourhood: continuous steps have the SMAC scale (σ = 0.2 in the unit column)", () => {
  const space = defineSpace({ x: float(0, 1) });
  const rng = new Rng(1);
  const steps: number[] = [];
  for (let i = 0; i < 500; i++) {
    for (const v of oneExchangeNeighbourhood(Float64Array.of(0.5), space, rng)) {
      steps.push(v[0] - 0.5);
    }
  }
  const sd = Math.sqrt(steps.reduce((s, d) => s + d * d, 0) / steps.length);
  assert.ok(Math.abs(sd - 0.2) < 0.02, `step sd ${sd}`);
  const wider = oneExchangeNeighbourhood(Float64Array.of(0.5), space, new Rng(1), {
    continuousNeighbours: 7,
  });
  assert.equal(wider.length, 7);
});

Deno.test("oneExchangeNeighbourhood: conditional children appear and disappear canonically", () => {
  const rng = new Rng(5);
  let sawAppear = 0;
  let sawDisappear = 0;
  for (const u of conditional.sampleEncoded(30, rng, "uniform")) {
    const config = conditional.decode(u) as Record<string, unknown>;
    const active = conditional.activeColumns(u);
    for (const v of oneExchangeNeighbourhood(u, conditional, rng)) {
      // canonical: projecting again changes nothing, inactive columns hold the inactive value
      assert.deepEqual(Array.from(conditional.project(v)), Array.from(v));
      const next = conditional.decode(v) as Record<string, unknown>;
      const diff = changedActive(config, next);
      const children = changed(config, next).filter((k) => !diff.includes(k));
      if (diff.length === 0) {
        assert.fail(`a neighbour must change an active parameter: ${JSON.stringify(next)}`);
      }
      assert.equal(diff.length, 1, `one active parameter changes: ${diff.join(", ")}`);
      // Only the optimizer's change may make children appear or disappear.
      if (children.length > 0) assert.deepEqual(diff, ["optimizer"]);
      if (children.some((k) => !(k in config))) sawAppear++;
      if (children.some((k) => !(k in next))) sawDisappear++;
      // Inactive parameters of the point are never moved.
      const nextActive = conditional.activeColumns(v);
      conditional.params.forEach((p) => {
        if (p.columns.length === 0 || active[p.columns[0]] || nextActive[p.columns[0]]) return;
        for (const c of p.columns) assert.equal(v[c], u[c]);
      });
      assert.ok(conditional.contains(next));
    }
  }
  assert.ok(sawAppear > 0 && sawDisappear > 0);
});

/** A known acquisition on the mixed space, maximal at one configuration. */
function mixedBump(
  space: typeof mixed,
): { acquisition: AcquisitionFunction; optimum: Record<string, unknown> } {
  const optimum = { x: 0.73, lr: 1e-2, n: 7, layers: 12, act: "gelu", bias: false };
  const target = space.encode(optimum as never);
  const acquisition: AcquisitionFunction = {
    name: "bump",
    dim: space.dim,
    evaluate: (points) =>
      Float64Array.from(points, (p) => {
        let s = 0;
        for (let j = 0; j < p.length; j++) s += (p[j] - target[j]) ** 2;
        return -s;
      }),
  };
  return { acquisition, optimum };
}

Deno.test("localSearch: climbs to the optimum of a known acquisition on a mixed space", () => {
  const { acquisition, optimum } = mixedBump(mixed);
  for (const seed of [0, 1, 2]) {
    const result = localSearch(acquisition, {
      dim: mixed.dim,
      rng: new Rng(seed),
      space: mixed,
      randomSamples: 200,
    });
    const best = mixed.decode(result.point) as Record<string, unknown>;
    for (const name of ["n", "layers", "act", "bias"]) {
      assert.equal(best[name], optimum[name as "n"]);
    }
    assert.ok(Math.abs((best.x as number) - 0.73) < 0.05, `x = ${best.x}`);
    assert.ok(Math.abs(Math.log10(best.lr as number) + 2) < 0.2, `lr = ${best.lr}`);
    // from a bad start only, the climb still gets there
    const fromCorner = localSearch(acquisition, {
      dim: mixed.dim,
      rng: new Rng(seed),
      space: mixed,
      randomSamples: 0,
      starts: [mixed.encode({ x: 0, lr: 1, n: 1, layers: 64, act: "relu", bias: true })],
    });
    const climbed = mixed.decode(fromCorner.point) as Record<string, unknown>;
    for (const name of ["n", "act", "bias"]) assert.equal(climbed[name], optimum[name as "n"]);
    assert.ok(Math.abs((climbed.layers as number) - 12) <= 1);
  }
});

Deno.test("localSearch: best improvement reaches the optimum of a purely categorical space exactly", () => {
  const space = defineSpace({
    a: categorical(["p", "q", "r"]),
    b: categorical([1, 2, 3, 4]),
    c: categorical([true, false]),
  });
  const target = space.encode({ a: "r", b: 3, c: false });
  const acquisition: AcquisitionFunction = {
    name: "match",
    dim: space.dim,
    evaluate: (points) =>
      Float64Array.from(points, (p) => p.reduce((s, v, j) => s + (v === target[j] ? 1 : 0), 0)),
  };
  for (const improvement of ["first", "best"] as const) {
    const result = localSearch(acquisition, {
      dim: space.dim,
      rng: new Rng(0),
      space,
      randomSamples: 0,
      starts: [space.encode({ a: "p", b: 1, c: true })],
      improvement,
    });
    assert.deepEqual(space.decode(result.point), { a: "r", b: 3, c: false });
  }
});

Deno.test("localSearch: same seed, same proposals; other seed, other random samples", () => {
  const { acquisition } = mixedBump(mixed);
  const run = (seed: number) =>
    localSearch(acquisition, { dim: mixed.dim, rng: new Rng(seed), space: mixed, q: 3 }).points
      .map((p) => Array.from(p));
  assert.deepEqual(run(4), run(4));
  const flat: AcquisitionFunction = {
    name: "flat",
    dim: mixed.dim,
    evaluate: (points) => new Float64Array(points.length),
  };
  const runFlat = (seed: number) =>
    Array.from(localSearch(flat, { dim: mixed.dim, rng: new Rng(seed), space: mixed }).point);
  assert.notDeepEqual(runFlat(1), runFlat(2));
});

Deno.test("localSearch: excluded points are not returned; q distinct points; everything excluded throws", () => {
  const space = defineSpace({ a: categorical(["p", "q"]), b: categorical([1, 2]) });
  const all = [
    { a: "p", b: 1 },
    { a: "p", b: 2 },
    { a: "q", b: 1 },
    { a: "q", b: 2 },
  ].map((c) => space.encode(c as never));
  const acquisition: AcquisitionFunction = {
    name: "prefer-q2",
    dim: space.dim,
    evaluate: (points) => Float64Array.from(points, (p) => p[1] + p[3]),
  };
  const best = localSearch(acquisition, { dim: space.dim, rng: new Rng(0), space });
  assert.deepEqual(space.decode(best.point), { a: "q", b: 2 });
  const next = localSearch(acquisition, {
    dim: space.dim,
    rng: new Rng(0),
    space,
    exclude: [all[3]],
    q: 2,
  });
  assert.equal(next.points.length, 2);
  for (const p of next.points) assert.notDeepEqual(space.decode(p), { a: "q", b: 2 });
  assert.notDeepEqual(Array.from(next.points[0]), Array.from(next.points[1]));
  assert.throws(
    () => localSearch(acquisition, { dim: space.dim, rng: new Rng(0), space, exclude: all }),
    AllCandidatesExcludedError,
  );
});

Deno.test("localSearch: pool mode scores the pool and returns a member", () => {
  const { acquisition } = mixedBump(mixed);
  const pool = mixed.sampleEncoded(30, new Rng(2), "uniform");
  const values = acquisition.evaluate(pool);
  const bestIndex = values.indexOf(Math.max(...values));
  const result = localSearch(acquisition, { dim: mixed.dim, rng: new Rng(0), space: mixed, pool });
  assert.equal(result.point, pool[bestIndex]);
  const next = localSearch(acquisition, {
    dim: mixed.dim,
    rng: new Rng(0),
    space: mixed,
    pool,
    exclude: [pool[bestIndex]],
  });
  assert.ok(pool.includes(next.point) && next.point !== pool[bestIndex]);
});

Deno.test("localSearch: pool and exclude points must be finite, named as localSearch's options", () => {
  const { acquisition } = mixedBump(mixed);
  const pool = mixed.sampleEncoded(3, new Rng(2), "uniform");
  pool[1] = pool[1].slice();
  pool[1][0] = NaN;
  assert.throws(
    () => localSearch(acquisition, { dim: mixed.dim, rng: new Rng(0), space: mixed, pool }),
    /^RangeError: localSearch: options\.pool\[1\]\[0\]: must be finite, got NaN$/,
  );
  // Before: a NaN exclude point was accepted (and never matched anything).
  const exclude = [pool[0], pool[1]];
  assert.throws(
    () => localSearch(acquisition, { dim: mixed.dim, rng: new Rng(0), space: mixed, exclude }),
    /^RangeError: localSearch: options\.exclude\[1\]\[0\]: must be finite, got NaN$/,
  );
});

Deno.test("localSearch: without a space every column is continuous and project is applied", () => {
  const acquisition: AcquisitionFunction = {
    name: "bowl",
    dim: 2,
    evaluate: (points) =>
      Float64Array.from(points, (p) => -((p[0] - 0.25) ** 2) - (p[1] - 0.5) ** 2),
  };
  const result = localSearch(acquisition, {
    dim: 2,
    rng: new Rng(0),
    randomSamples: 50,
    project: (u) => Float64Array.of(Math.round(u[0] * 8) / 8, u[1]),
  });
  assert.equal(result.point[0], 0.25);
  assert.ok(Math.abs(result.point[1] - 0.5) < 0.02);
});

Deno.test("localSearch: bad options name the field", () => {
  const { acquisition } = mixedBump(mixed);
  assert.throws(
    () => localSearch(acquisition, { dim: mixed.dim, rng: new Rng(0), space: mixed, maxSteps: 0 }),
    /localSearch: options\.maxSteps/,
  );
  assert.throws(
    () =>
      localSearch(acquisition, {
        dim: mixed.dim,
        rng: new Rng(0),
        improvement: "steepest" as never,
      }),
    /localSearch: options\.improvement/,
  );
  assert.throws(
    () => localSearch(acquisition, { dim: 3, rng: new Rng(0) }),
    /options\.dim: 3 does not match/,
  );
  assert.throws(
    () => localSearch(acquisition, { dim: mixed.dim, rng: new Rng(0), stepScale: -1 }),
    /options\.stepScale/,
  );
  assert.throws(
    () => oneExchangeNeighbourhood(new Float64Array(2), mixed, new Rng(0)),
    /point: must be a Float64Array of length/,
  );
});

Deno.test('localSearch: candidates "ends" returns one point per local optimum, "visited" packs them around the best', () => {
  const line = defineSpace({ x: float(0, 1) });
  // Two peaks: 1 at x = 0.2, 0.8 at x = 0.8; below 0 between them.
  const acquisition: AcquisitionFunction = {
    name: "two-peaks",
    dim: 1,
    evaluate: (points) =>
      Float64Array.from(
        points,
        ([x]) => Math.max(1 - ((x - 0.2) / 0.05) ** 2, 0.8 - ((x - 0.8) / 0.05) ** 2),
      ),
  };
  const search = (candidates: "ends" | "visited") =>
    localSearch(acquisition, {
      dim: 1,
      rng: new Rng(3),
      space: line,
      randomSamples: 0,
      starts: [Float64Array.of(0.17), Float64Array.of(0.83)],
      stepScale: 0.05,
      q: 2,
      candidates,
    }).points.map(([x]) => x);
  const [first, second] = search("ends");
  assert.ok(Math.abs(first - 0.2) < 0.01, `first end ${first}`);
  assert.ok(Math.abs(second - 0.8) < 0.01, `second end ${second}`);
  // Every evaluated point a candidate: the two best are both on the higher peak.
  for (const x of search("visited")) assert.ok(Math.abs(x - 0.2) < 0.05, `visited ${x}`);
  assert.throws(
    () =>
      localSearch(acquisition, {
        dim: 1,
        rng: new Rng(0),
        space: line,
        candidates: "all" as never,
      }),
    /localSearch: options\.candidates/,
  );
});

/**
 * A `sampled` acquisition that records every `evaluate` call: its values are independent
 * uniforms, as a fresh posterior draw would be, so that only values of one call compare.
 */
function recordingSample(dim: number, seed = 9) {
  const calls: { points: Float64Array[]; values: Float64Array }[] = [];
  const rng = new Rng(seed);
  const acquisition: AcquisitionFunction = {
    name: "recorded-sample",
    dim,
    sampled: true,
    evaluate(points) {
      const values = rng.uniforms(points.length);
      calls.push({ points: [...points], values });
      return values;
    },
  };
  return { acquisition, calls };
}

const keyOf = (p: Float64Array) => Array.from(p).join(",");

Deno.test("localSearch: a sampled acquisition is evaluated once, on one capped candidate set, and its best is taken", () => {
  const starts = conditional.sampleEncoded(3, new Rng(5), "uniform");
  for (const maxCandidates of [200, undefined]) {
    const { acquisition, calls } = recordingSample(conditional.dim);
    const result = localSearch(acquisition, {
      dim: conditional.dim,
      rng: new Rng(1),
      space: conditional,
      starts,
      exclude: starts,
      q: 3,
      ...(maxCandidates === undefined ? {} : { maxCandidates }),
    });
    assert.equal(calls.length, 1, "one joint draw");
    const { points, values } = calls[0];
    const cap = maxCandidates ?? LOCAL_SEARCH_DEFAULTS.maxCandidates;
    assert.equal(points.length, cap, "filled up to the cap, not beyond");
    assert.equal(new Set(points.map(keyOf)).size, points.length, "no duplicates");
    for (const p of points) {
      assert.ok(!starts.some((s) => keyOf(s) === keyOf(p)), "excluded points are not drawn");
      conditional.project(p).forEach((x, j) => assert.ok(Math.abs(x - p[j]) < 1e-12));
    }
    // The one-exchange neighbourhoods of the starts are in the set.
    const neighbours = points.filter((p) =>
      starts.some((s) => changed(conditional.decode(s), conditional.decode(p)).length === 1)
    );
    assert.ok(neighbours.length >= 30, `${neighbours.length} neighbours of the starts`);
    // The q best of that one draw, best first.
    const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
    assert.deepEqual(result.points, order.slice(0, 3).map((i) => points[i]));
    assert.deepEqual(Array.from(result.values), order.slice(0, 3).map((i) => values[i]));
    assert.deepEqual(result.point, points[order[0]]);
  }
});

Deno.test("localSearch: a sampled acquisition on a small categorical space draws over every configuration left", () => {
  const space = defineSpace({
    a: categorical(["x", "y", "z"]),
    b: categorical([1, 2, 3, 4]),
    c: categorical([true, false]),
  });
  const evaluated = space.sampleEncoded(40, new Rng(2), "uniform").slice(0, 5);
  const left = 24 - new Set(evaluated.map(keyOf)).size;
  const { acquisition, calls } = recordingSample(space.dim);
  const result = localSearch(acquisition, {
    dim: space.dim,
    rng: new Rng(0),
    space,
    starts: evaluated,
    exclude: evaluated,
  });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].points.length, left);
  assert.equal(new Set(calls[0].points.map((p) => JSON.stringify(space.decode(p)))).size, left);
  const { points, values } = calls[0];
  assert.deepEqual(result.point, points[values.indexOf(Math.max(...values))]);
  // Everything excluded: no draw at all.
  const all = (["x", "y", "z"] as const).flatMap((a) =>
    ([1, 2, 3, 4] as const).flatMap((b) => [true, false].map((c) => space.encode({ a, b, c })))
  );
  const none = recordingSample(space.dim);
  assert.throws(
    () =>
      localSearch(none.acquisition, {
        dim: space.dim,
        rng: new Rng(0),
        space,
        randomSamples: 0,
        starts: all,
        exclude: all,
      }),
    AllCandidatesExcludedError,
  );
  assert.equal(none.calls.length, 0);
});

Deno.test("localSearch: a sampled acquisition's candidate set is reproducible for a seed", () => {
  const starts = mixed.sampleEncoded(2, new Rng(3), "uniform");
  const run = (seed: number) => {
    const { acquisition, calls } = recordingSample(mixed.dim);
    const result = localSearch(acquisition, {
      dim: mixed.dim,
      rng: new Rng(seed),
      space: mixed,
      starts,
      maxCandidates: 100,
    });
    return { point: Array.from(result.point), set: calls[0].points.map(keyOf) };
  };
  assert.deepEqual(run(4), run(4));
  assert.notDeepEqual(run(4).set, run(5).set);
  assert.throws(
    () =>
      localSearch(recordingSample(mixed.dim).acquisition, {
        dim: mixed.dim,
        rng: new Rng(0),
        maxCandidates: 0,
      }),
    /localSearch: options\.maxCandidates/,
  );
});

Deno.test("localSearch: an acquisition NaN at every candidate, of the wrong shape or async is an error naming it", () => {
  const space = defineSpace({ x: float(0, 1), c: categorical(["a", "b", "c"]) });
  const base = { dim: space.dim, rng: new Rng(0), space, randomSamples: 50, localStarts: 0 };
  const nan: AcquisitionFunction = {
    name: "nan",
    dim: space.dim,
    evaluate: (ps) => new Float64Array(ps.length).fill(NaN),
  };
  assert.throws(
    () => localSearch(nan, base),
    /localSearch: acquisition "nan" is NaN at every candidate/,
  );
  assert.throws(
    () => localSearch(nan, { ...base, candidates: "ends" }),
    /localSearch: acquisition "nan" is NaN at every candidate/,
  );
  assert.throws(
    () => localSearch({ ...nan, sampled: true }, base),
    /localSearch: acquisition "nan" is NaN at every candidate/,
  );
  const asyncAcquisition = { name: "async", dim: space.dim, evaluate: (async () => {}) as never };
  assert.throws(
    () => localSearch(asyncAcquisition, base),
    /localSearch: acquisition "async".evaluate: returned a Promise; acquisitions must evaluate synchronously/,
  );
  const short = { name: "short", dim: space.dim, evaluate: () => new Float64Array(1) };
  assert.throws(
    () => localSearch(short, base),
    /localSearch: acquisition "short".evaluate: must return a Float64Array of 50 values, got 1/,
  );
  // A few NaN values do not matter: the others are ranked.
  const partly: AcquisitionFunction = {
    name: "partly",
    dim: space.dim,
    evaluate: (ps) => Float64Array.from(ps, (p) => (p[0] < 0.5 ? NaN : -p[0])),
  };
  assert.ok(localSearch(partly, base).point[0] >= 0.5);
});

Deno.test("localSearch: the points it returns are arrays of their own, not views into its working memory", () => {
  // Neighbours and random samples live in shared blocks during the search; the result is copied.
  const acquisition: AcquisitionFunction = {
    name: "bowl",
    dim: mixed.dim,
    evaluate: (points) => Float64Array.from(points, (p) => -((p[0] - 0.4) ** 2) - p[1]),
  };
  for (const sampled of [false, true]) {
    const result = localSearch({ ...acquisition, sampled }, {
      dim: mixed.dim,
      rng: new Rng(3),
      space: mixed,
      starts: mixed.sampleEncoded(4, new Rng(4), "uniform"),
      q: 3,
    });
    assert.equal(result.points.length, 3);
    assert.equal(result.point, result.points[0]);
    for (const p of result.points) {
      assert.equal(p.buffer.byteLength, mixed.dim * 8, "a buffer of its own");
      assert.equal(p.byteOffset, 0);
    }
    const before = result.points.map((p) => Array.from(p));
    result.points[1].fill(0.5);
    assert.deepEqual(Array.from(result.points[0]), before[0], "writing one leaves the others");
    assert.deepEqual(Array.from(result.points[2]), before[2]);
  }
});

Deno.test("localSearch: a space whose project returns no Float64Array of the dimension is refused, naming it", () => {
  // A conditional space given as an object of its own (a SearchSpace), its projection wrong.
  const acquisition: AcquisitionFunction = {
    name: "sum",
    dim: 3,
    evaluate: (points) => Float64Array.from(points, (p) => p[0] + p[1] + p[2]),
  };
  for (const result of [(u: ArrayLike<number>) => Array.from(u), () => new Float64Array(2)]) {
    const space = {
      dim: 3,
      params: conditional.params.slice(0, 0),
      conditional: true,
      project: result as unknown as (u: ArrayLike<number>) => Float64Array,
      activeColumns: () => new Uint8Array(3).fill(1),
    };
    assert.throws(
      () => localSearch(acquisition, { dim: 3, rng: new Rng(0), space, randomSamples: 5 }),
      {
        name: "TypeError",
        message: "localSearch: options.project: must return a Float64Array of length 3",
      },
    );
  }
});
