import assert from "node:assert/strict";
import type { AcquisitionFunction } from "../../lib/acquisition/acquisition.ts";
import {
  expectedImprovement,
  logExpectedImprovement,
} from "../../lib/acquisition/expected_improvement.ts";
import { thompsonSampling } from "../../lib/acquisition/thompson.ts";
import {
  ACQUISITION_OPTIMIZER_DEFAULTS,
  optimizeAcquisition,
} from "../../lib/acquisition/optimize.ts";
import { Rng } from "../../lib/random/rng.ts";
import { fakeSurrogate, wavySurrogate } from "./_fake_surrogate.ts";

/**
 * Two Gaussian bumps in 3-d: the global maximum (height 1) sits at (0.3, 0.7, 0.55) and a lower
 * local one (height 0.6) at (0.8, 0.2, 0.2). Counts gradient calls.
 */
function twoBumps() {
  const centres = [[0.3, 0.7, 0.55], [0.8, 0.2, 0.2]];
  const heights = [1, 0.6];
  const width = 0.02;
  let gradientCalls = 0;
  const valueAndGradient = (p: Float64Array) => {
    gradientCalls++;
    let value = 0;
    const gradient = new Float64Array(3);
    centres.forEach((c, k) => {
      const d2 = c.reduce((s, v, j) => s + (p[j] - v) ** 2, 0);
      const bump = heights[k] * Math.exp(-d2 / (2 * width));
      value += bump;
      for (let j = 0; j < 3; j++) gradient[j] += -bump * (p[j] - c[j]) / width;
    });
    return { value, gradient };
  };
  const acquisition: AcquisitionFunction = {
    name: "bumps",
    dim: 3,
    evaluate: (points) => Float64Array.from(points, (p) => valueAndGradient(p).value),
    valueAndGradient,
  };
  return { acquisition, calls: () => gradientCalls };
}

Deno.test("optimizeAcquisition: finds the known global maximiser of a smooth acquisition", () => {
  const { acquisition } = twoBumps();
  const result = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(5) });
  [0.3, 0.7, 0.55].forEach((v, j) => assert.ok(Math.abs(result.point[j] - v) < 1e-4, `x${j}`));
  const atCentre = acquisition.evaluate([Float64Array.of(0.3, 0.7, 0.55)])[0];
  assert.ok(result.value >= atCentre - 1e-10, `${result.value} < ${atCentre}`);
  assert.equal(result.points.length, 1);
});

Deno.test("optimizeAcquisition: the gradient phase improves on the best raw sample", () => {
  const { acquisition, calls } = twoBumps();
  const result = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(5), rawSamples: 64 });
  const raw = optimizeAcquisition(
    { ...acquisition, valueAndGradient: undefined },
    { dim: 3, rng: new Rng(5), rawSamples: 64 },
  );
  assert.ok(calls() > 0);
  assert.ok(result.value > raw.value + 1e-3, `${result.value} vs raw ${raw.value}`);
});

Deno.test("optimizeAcquisition: a maximiser outside the cube ends on its boundary", () => {
  const slope: AcquisitionFunction = {
    name: "slope",
    dim: 2,
    evaluate: (points) => Float64Array.from(points, (p) => 2 * p[0] - (p[1] - 0.4) ** 2),
    valueAndGradient: (p) => ({
      value: 2 * p[0] - (p[1] - 0.4) ** 2,
      gradient: Float64Array.of(2, -2 * (p[1] - 0.4)),
    }),
  };
  const { point } = optimizeAcquisition(slope, { dim: 2, rng: new Rng(1) });
  assert.equal(point[0], 1);
  assert.ok(Math.abs(point[1] - 0.4) < 1e-6);
});

Deno.test("optimizeAcquisition: projection keeps every suggestion on the grid", () => {
  const { acquisition } = twoBumps();
  // first coordinate: 5 integer levels; third: a one-hot-like snap to {0, 1}
  const project = (u: Float64Array) =>
    Float64Array.of(Math.round(u[0] * 4) / 4, u[1], u[2] < 0.5 ? 0 : 1);
  const result = optimizeAcquisition(acquisition, {
    dim: 3,
    rng: new Rng(2),
    project,
    q: 4,
  });
  for (const p of result.points) {
    assert.ok([0, 0.25, 0.5, 0.75, 1].includes(p[0]), `x0 = ${p[0]} off the grid`);
    assert.ok(p[2] === 0 || p[2] === 1, `x2 = ${p[2]} not snapped`);
    assert.deepEqual(project(p), p);
  }
  // the returned value is the acquisition AFTER projection
  assert.equal(result.value, acquisition.evaluate([result.point])[0]);
  // brute force over the 10 discrete combinations with a fine grid in the continuous x1
  let best = { value: -Infinity, x0: NaN, x2: NaN };
  for (const x0 of [0, 0.25, 0.5, 0.75, 1]) {
    for (const x2 of [0, 1]) {
      for (let k = 0; k <= 10000; k++) {
        const value = acquisition.evaluate([Float64Array.of(x0, k / 10000, x2)])[0];
        if (value > best.value) best = { value, x0, x2 };
      }
    }
  }
  assert.equal(result.point[0], best.x0);
  assert.equal(result.point[2], best.x2);
  assert.ok(result.value >= best.value - 1e-9, `${result.value} < brute force ${best.value}`);
  // q distinct candidates, best first
  assert.equal(result.points.length, 4);
  for (let i = 1; i < 4; i++) assert.ok(result.values[i] <= result.values[i - 1]);
  assert.equal(new Set(result.points.map((p) => p.join(","))).size, 4);
});

Deno.test("optimizeAcquisition: pool mode returns the best member of the pool by reference", () => {
  const { acquisition } = twoBumps();
  const rng = new Rng(9);
  const pool = Array.from({ length: 200 }, () => rng.uniforms(3));
  const values = acquisition.evaluate(pool);
  const bestIndex = values.indexOf(Math.max(...values));
  const result = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(0), pool });
  assert.equal(result.point, pool[bestIndex]);
  assert.equal(result.value, values[bestIndex]);
  // excluding the winner yields the runner-up; q returns members in order
  const without = optimizeAcquisition(acquisition, {
    dim: 3,
    rng: new Rng(0),
    pool,
    exclude: [pool[bestIndex].slice()],
    q: 3,
  });
  assert.ok(!without.points.includes(pool[bestIndex]));
  for (const p of without.points) assert.ok(pool.includes(p));
  const sorted = Array.from(values).sort((a, b) => b - a);
  assert.deepEqual(Array.from(without.values), sorted.slice(1, 4));
});

Deno.test("optimizeAcquisition: exclude keeps evaluated points from being suggested again", () => {
  const { acquisition } = twoBumps();
  const project = (u: Float64Array) => u.map((v) => Math.round(v * 10) / 10);
  const first = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(4), project });
  const second = optimizeAcquisition(acquisition, {
    dim: 3,
    rng: new Rng(4),
    project,
    exclude: [first.point],
  });
  assert.notDeepEqual(second.point, first.point);
  assert.ok(second.value <= first.value);
});

Deno.test("optimizeAcquisition: Thompson sampling is maximised over projected raw samples", () => {
  const surrogate = wavySurrogate(2);
  const project = (u: Float64Array) => u.map((v) => Math.round(v * 8) / 8);
  const run = (seed: number) =>
    optimizeAcquisition(thompsonSampling(surrogate, { rng: new Rng(seed) }), {
      dim: 2,
      rng: new Rng(seed),
      project,
      rawSamples: 256,
    });
  const result = run(1);
  assert.deepEqual(project(result.point), result.point);
  assert.deepEqual(run(1), result);
  // the winner maximises one joint sample over the distinct grid points
  assert.ok(Number.isFinite(result.value));
});

Deno.test("optimizeAcquisition: LogEI locates the maximiser where EI underflows everywhere", () => {
  // μ(x) = 100 + 50‖x − c‖², σ = 1: z ≤ −100 everywhere, EI is exactly 0, LogEI is not flat.
  const c = [0.62, 0.18];
  const surrogate = fakeSurrogate(2, {
    mean: (x) => ({
      value: 100 + 50 * ((x[0] - c[0]) ** 2 + (x[1] - c[1]) ** 2),
      gradient: Float64Array.of(100 * (x[0] - c[0]), 100 * (x[1] - c[1])),
    }),
    variance: () => ({ value: 1, gradient: new Float64Array(2) }),
  });
  const ei = expectedImprovement(surrogate, { best: 0 });
  assert.ok(ei.evaluate([Float64Array.of(0.62, 0.18)])[0] === 0);
  const { point } = optimizeAcquisition(logExpectedImprovement(surrogate, { best: 0 }), {
    dim: 2,
    rng: new Rng(0),
    rawSamples: 128,
  });
  assert.ok(Math.abs(point[0] - c[0]) < 1e-5 && Math.abs(point[1] - c[1]) < 1e-5, `${point}`);
});

Deno.test("optimizeAcquisition: same seed, same result; different seeds, different raw samples", () => {
  const surrogate = wavySurrogate(3);
  const acquisition = logExpectedImprovement(surrogate, { best: -1.5 });
  const a = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(7), rawSamples: 128, q: 3 });
  const b = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(7), rawSamples: 128, q: 3 });
  assert.deepEqual(a, b);
  const pooled = (seed: number) =>
    optimizeAcquisition(thompsonSampling(surrogate, { rng: new Rng(seed) }), {
      dim: 3,
      rng: new Rng(seed),
      rawSamples: 16,
    });
  assert.notDeepEqual(pooled(1).point, pooled(2).point);
});

Deno.test("optimizeAcquisition: documented defaults", () => {
  assert.deepEqual({ ...ACQUISITION_OPTIMIZER_DEFAULTS }, {
    rawSamples: 1024,
    restarts: 5,
    q: 1,
    maxIterations: 200,
    duplicateTolerance: 1e-9,
    startSelection: "best",
    incumbentSamples: 0,
    incumbentScale: 1e-3,
  });
});

Deno.test("optimizeAcquisition: bad inputs throw errors that name the field", () => {
  const { acquisition } = twoBumps();
  const rng = new Rng(0);
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 2, rng }),
    /options\.dim: 2 does not match the acquisition's dim 3/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, rawSamples: 0 }),
    /options\.rawSamples: must be a positive integer/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3 } as { dim: number; rng: Rng }),
    /options\.rng: must be an Rng/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, pool: [] }),
    /options\.pool: must contain at least one point/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, pool: [Float64Array.of(1, 2)] }),
    /options\.pool\[0\]: expected 3 coordinates, got 2/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, exclude: [Float64Array.of(1)] }),
    /options\.exclude\[0\]: expected 3 coordinates, got 1/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, project: () => Float64Array.of(0) }),
    /options\.project: must return a Float64Array of length 3/,
  );
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, q: 0 }),
    /options\.q: must be a positive integer/,
  );
  assert.throws(
    () =>
      optimizeAcquisition(acquisition, { dim: 3, rng, restart: 2 } as { dim: number; rng: Rng }),
    /options/,
  );
  const pool = [Float64Array.of(0.1, 0.2, 0.3)];
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng, pool, exclude: [pool[0]] }),
    /every pool member is excluded/,
  );
  assert.throws(
    () => optimizeAcquisition({} as AcquisitionFunction, { dim: 3, rng }),
    /acquisition: must have an evaluate method/,
  );
});

Deno.test("optimizeAcquisition: pool, incumbent and exclude points must be finite", () => {
  const bump: AcquisitionFunction = {
    name: "bump",
    dim: 1,
    evaluate: (points) => Float64Array.from(points, (p) => -((p[0] - 0.3) ** 2)),
  };
  const rng = new Rng(0);
  // Before: a NaN pool point was accepted, and returned when alone.
  for (const pool of [[Float64Array.of(NaN), Float64Array.of(0.9)], [Float64Array.of(NaN)]]) {
    assert.throws(
      () => optimizeAcquisition(bump, { dim: 1, rng, pool }),
      /^RangeError: optimizeAcquisition: options\.pool\[0\]\[0\]: must be finite, got NaN$/,
    );
  }
  assert.throws(
    () =>
      optimizeAcquisition(bump, {
        dim: 1,
        rng,
        pool: [Float64Array.of(0.1), Float64Array.of(Infinity)],
      }),
    /options\.pool\[1\]\[0\]: must be finite, got Infinity/,
  );
  assert.throws(
    () =>
      optimizeAcquisition(bump, {
        dim: 1,
        rng,
        incumbents: [Float64Array.of(NaN)],
        incumbentSamples: 4,
      }),
    /options\.incumbents\[0\]\[0\]: must be finite, got NaN/,
  );
  // Before: a NaN exclude point was accepted (and never matched anything).
  assert.throws(
    () => optimizeAcquisition(bump, { dim: 1, rng, exclude: [Float64Array.of(NaN)] }),
    /^RangeError: optimizeAcquisition: options\.exclude\[0\]\[0\]: must be finite, got NaN$/,
  );
  assert.throws(
    () =>
      optimizeAcquisition(bump, {
        dim: 1,
        rng,
        pool: [Float64Array.of(0.1)],
        exclude: [Float64Array.of(0.5), Float64Array.of(-Infinity)],
      }),
    /options\.exclude\[1\]\[0\]: must be finite, got -Infinity/,
  );
});

Deno.test("optimizeAcquisition: one-hot categoricals are snapped and the continuous part polished", () => {
  // coordinates 0–2 one-hot encode a categorical, coordinate 3 is continuous
  const project = (u: Float64Array) => {
    const k = [0, 1, 2].reduce((a, b) => (u[b] > u[a] ? b : a), 0);
    return Float64Array.of(k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, u[3]);
  };
  // category c has a peak of height (1, 0.5, 2)[c] at x3 = (0.2, 0.5, 0.83)[c]; the relaxation
  // also rewards interior one-hot weights, which projection must not keep
  const peaks = [[1, 0.2], [0.5, 0.5], [2, 0.83]];
  const valueAndGradient = (p: Float64Array) => {
    let value = 0;
    const gradient = new Float64Array(4);
    peaks.forEach(([height, at], c) => {
      const bump = Math.exp(-((p[3] - at) ** 2) / 0.01);
      value += height * p[c] * bump;
      gradient[c] += height * bump;
      gradient[3] += height * p[c] * bump * (-2 * (p[3] - at) / 0.01);
    });
    return { value, gradient };
  };
  const acquisition: AcquisitionFunction = {
    name: "categorical",
    dim: 4,
    evaluate: (points) => Float64Array.from(points, (p) => valueAndGradient(p).value),
    valueAndGradient,
  };
  const result = optimizeAcquisition(acquisition, { dim: 4, rng: new Rng(6), project });
  assert.deepEqual(Array.from(result.point.subarray(0, 3)), [0, 0, 1]);
  assert.ok(Math.abs(result.point[3] - 0.83) < 1e-5, `x3 = ${result.point[3]}`);
  assert.ok(Math.abs(result.value - 2) < 1e-9);
});

/** A needle of width 1e-4 at `centre`: zero (to machine precision) a few widths away. */
function needle(centre: readonly number[]): AcquisitionFunction {
  const width = 1e-4;
  const valueAndGradient = (p: Float64Array) => {
    const d2 = centre.reduce((s, v, j) => s + (p[j] - v) ** 2, 0);
    const value = Math.exp(-d2 / (2 * width * width));
    return {
      value,
      gradient: Float64Array.from(centre, (c, j) => -value * (p[j] - c) / (width * width)),
    };
  };
  return {
    name: "needle",
    dim: centre.length,
    evaluate: (points) => Float64Array.from(points, (p) => valueAndGradient(p).value),
    valueAndGradient,
  };
}

Deno.test("optimizeAcquisition: raw samples around an incumbent find a needle Sobol points miss", () => {
  const centre = [0.61803, 0.31415, 0.27182];
  const acquisition = needle(centre);
  const plain = optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(2), rawSamples: 256 });
  assert.ok(plain.value < 1e-6, `Sobol points alone should miss the needle, got ${plain.value}`);
  const incumbent = Float64Array.from(centre, (c) => c + 5e-5);
  const biased = optimizeAcquisition(acquisition, {
    dim: 3,
    rng: new Rng(2),
    rawSamples: 256,
    incumbents: [Float64Array.of(0.9, 0.9, 0.9), incumbent],
    incumbentSamples: 64,
    incumbentScale: 1e-4,
  });
  assert.ok(biased.value > 0.999, `the needle's top should be found, got ${biased.value}`);
  biased.point.forEach((v, j) => assert.ok(Math.abs(v - centre[j]) < 1e-5));
});

Deno.test("optimizeAcquisition: incumbent samples stay in the cube even at the boundary", () => {
  const { acquisition } = twoBumps();
  const evaluated: Float64Array[] = [];
  const recording: AcquisitionFunction = {
    ...acquisition,
    evaluate: (points) => {
      evaluated.push(...points);
      return acquisition.evaluate(points);
    },
  };
  optimizeAcquisition(recording, {
    dim: 3,
    rng: new Rng(4),
    rawSamples: 16,
    incumbents: [Float64Array.of(0, 1, 0)],
    incumbentSamples: 200,
    incumbentScale: 0.5,
  });
  assert.ok(evaluated.length >= 216);
  for (const p of evaluated) assert.ok(p.every((v) => v >= 0 && v <= 1));
});

Deno.test("optimizeAcquisition: Boltzmann-drawn starts still find the global maximiser", () => {
  const { acquisition } = twoBumps();
  for (const seed of [0, 1, 2]) {
    const result = optimizeAcquisition(acquisition, {
      dim: 3,
      rng: new Rng(seed),
      startSelection: "boltzmann",
    });
    assert.ok(Math.abs(result.value - 1) < 1e-6, `seed ${seed}: ${result.value}`);
    const again = optimizeAcquisition(acquisition, {
      dim: 3,
      rng: new Rng(seed),
      startSelection: "boltzmann",
    });
    assert.deepEqual(again.point, result.point);
  }
});

Deno.test("optimizeAcquisition: bad exploration options name the field", () => {
  const { acquisition } = twoBumps();
  assert.throws(
    () => optimizeAcquisition(acquisition, { dim: 3, rng: new Rng(0), incumbentScale: 0 }),
    /incumbentScale/,
  );
  assert.throws(
    () =>
      optimizeAcquisition(acquisition, {
        dim: 3,
        rng: new Rng(0),
        startSelection: "softmax" as "best",
      }),
    /startSelection/,
  );
  assert.throws(
    () =>
      optimizeAcquisition(acquisition, {
        dim: 3,
        rng: new Rng(0),
        incumbents: [Float64Array.of(0.5, 0.5)],
        incumbentSamples: 4,
      }),
    /options\.incumbents\[0\]: expected 3 coordinates, got 2/,
  );
});

Deno.test("optimizeAcquisition: a sampled acquisition is scored in one call, gradient or not", () => {
  let calls = 0, gradientCalls = 0;
  const acquisition: AcquisitionFunction = {
    name: "sampled-with-gradient",
    dim: 2,
    sampled: true,
    evaluate: (points) => {
      calls++;
      return Float64Array.from(points, (p) => -((p[0] - 0.3) ** 2) - (p[1] - 0.6) ** 2);
    },
    valueAndGradient: (p) => {
      gradientCalls++;
      return { value: 0, gradient: Float64Array.of(-2 * (p[0] - 0.3), -2 * (p[1] - 0.6)) };
    },
  };
  optimizeAcquisition(acquisition, { dim: 2, rng: new Rng(0), rawSamples: 64 });
  assert.equal(calls, 1);
  assert.equal(gradientCalls, 0);
});

Deno.test("optimizeAcquisition: an acquisition's wrong shape, promise or NaN everywhere is an error naming it", () => {
  const ok = (points: readonly Float64Array[]) => Float64Array.from(points, (p) => -p[0]);
  const cases: [string, AcquisitionFunction, RegExp][] = [
    [
      "short",
      { name: "short", dim: 2, evaluate: () => new Float64Array(3) },
      /optimizeAcquisition: acquisition "short".evaluate: must return a Float64Array of 64 values, got 3/,
    ],
    [
      "array",
      { name: "plain", dim: 2, evaluate: ((ps: Float64Array[]) => ps.map(() => 0)) as never },
      /acquisition "plain".evaluate: must return a Float64Array of 64 values, got an array/,
    ],
    [
      "promise",
      { name: "async", dim: 2, evaluate: (async () => {}) as never },
      /acquisition "async".evaluate: returned a Promise; acquisitions must evaluate synchronously/,
    ],
    [
      "NaN",
      { name: "nan", dim: 2, evaluate: (ps) => new Float64Array(ps.length).fill(NaN) },
      /optimizeAcquisition: acquisition "nan" is NaN at every candidate \(64\)/,
    ],
    [
      "gradient promise",
      { name: "asyncgrad", dim: 2, evaluate: ok, valueAndGradient: (async () => {}) as never },
      /acquisition "asyncgrad".valueAndGradient: returned a Promise/,
    ],
    [
      "short gradient",
      {
        name: "gradlen",
        dim: 2,
        evaluate: ok,
        valueAndGradient: (p) => ({ value: -p[0], gradient: new Float64Array(1) }),
      },
      /acquisition "gradlen".valueAndGradient: gradient must be a Float64Array of 2 values, got 1/,
    ],
    [
      "no value",
      {
        name: "novalue",
        dim: 2,
        evaluate: ok,
        valueAndGradient: (() => ({ gradient: new Float64Array(2) })) as never,
      },
      /acquisition "novalue".valueAndGradient: must return \{ value: number, gradient \}/,
    ],
  ];
  for (const [label, acquisition, message] of cases) {
    assert.throws(
      () => optimizeAcquisition(acquisition, { dim: 2, rng: new Rng(0), rawSamples: 64 }),
      message,
      label,
    );
  }
  // Pool mode checks alike.
  const pool = [Float64Array.of(0.1, 0.2), Float64Array.of(0.3, 0.4)];
  assert.throws(
    () => optimizeAcquisition(cases[0][1], { dim: 2, rng: new Rng(0), pool }),
    /acquisition "short".evaluate: must return a Float64Array of 2 values, got 3/,
  );
  assert.throws(
    () => optimizeAcquisition(cases[3][1], { dim: 2, rng: new Rng(0), pool }),
    /acquisition "nan" is NaN at every candidate \(2\)/,
  );
  // Some NaN values are fine: the best of the others is taken.
  const partly: AcquisitionFunction = {
    name: "partly",
    dim: 2,
    evaluate: (ps) => Float64Array.from(ps, (p) => (p[0] < 0.2 ? NaN : -p[0])),
  };
  const best = optimizeAcquisition(partly, { dim: 2, rng: new Rng(0), pool });
  assert.equal(best.point, pool[1]);
});

Deno.test("optimizeAcquisition: a finite value with a NaN or ±Infinity in its gradient is an error naming the acquisition", () => {
  const value = (p: Float64Array) => -((p[0] - 0.3) ** 2) - (p[1] - 0.7) ** 2;
  const withGradient = (
    name: string,
    second: (p: Float64Array) => number,
  ): AcquisitionFunction => ({
    name,
    dim: 2,
    evaluate: (points) => Float64Array.from(points, value),
    valueAndGradient: (p) => ({
      value: value(p),
      gradient: Float64Array.of(-2 * (p[0] - 0.3), second(p)),
    }),
  });
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () =>
        optimizeAcquisition(withGradient("broken", () => bad), {
          dim: 2,
          rng: new Rng(0),
          rawSamples: 64,
        }),
      {
        name: "RangeError",
        message: new RegExp(
          `^optimizeAcquisition: acquisition "broken".valueAndGradient: gradient\\[1\\] must be ` +
            `finite where the value is \\(-?[0-9.e-]+\\), got ${String(bad).replace("+", "")}$`,
        ),
      },
    );
  }
  // The same acquisition with its true gradient finds the maximiser; a non-finite value (which
  // L-BFGS-B backs off from) with any gradient is not an error.
  const good = withGradient("bump", (p) => -2 * (p[1] - 0.7));
  const found = optimizeAcquisition(good, { dim: 2, rng: new Rng(0), rawSamples: 64 }).point;
  assert.ok(Math.abs(found[0] - 0.3) < 1e-6 && Math.abs(found[1] - 0.7) < 1e-6);
  let walls = 0;
  const wall: AcquisitionFunction = {
    ...good,
    valueAndGradient: (p) => {
      if (p[1] < 0.7) return good.valueAndGradient!(p);
      walls++;
      return { value: -Infinity, gradient: Float64Array.of(NaN, NaN) };
    },
  };
  optimizeAcquisition(wall, { dim: 2, rng: new Rng(0), rawSamples: 64 });
  assert.ok(walls > 0);
});
