import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AcquisitionFunction } from "../../lib/acquisition/acquisition.ts";
import { marginalAcquisition } from "../../lib/acquisition/acquisition.ts";
import {
  expectedImprovement,
  expectedImprovementOf,
  logExpectedImprovement,
  logExpectedImprovementOf,
  lognormalExpectedImprovement,
  lognormalExpectedImprovementOf,
} from "../../lib/acquisition/expected_improvement.ts";
import {
  logProbabilityOfImprovement,
  probabilityOfImprovement,
} from "../../lib/acquisition/probability_of_improvement.ts";
import { lowerConfidenceBound } from "../../lib/acquisition/confidence_bound.ts";
import { fitGP } from "../../lib/gp/gp.ts";
import type { Surrogate } from "../../lib/models/surrogate.ts";
import {
  constantSurrogate,
  fakeSurrogate,
  finiteDifference,
  wavySurrogate,
} from "./_fake_surrogate.ts";

interface Case {
  mean: number;
  sd: number;
  best: number;
  xi: number;
  z: number;
  ei: number;
  logEi: number;
  pi: number;
  logPi: number;
  lcbBeta4: number;
  lcbBeta0_5: number;
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/acquisition_reference.json", import.meta.url), "utf8"),
);
const cases = fixture.acquisitions as Case[];

function assertClose(actual: number, expected: number, rel: number, label: string, abs = 0) {
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= rel * Math.abs(expected) + abs,
    `${label}: ${actual} vs ${expected} (error ${error})`,
  );
}

const point = Float64Array.of(0.3, 0.6);

Deno.test("acquisitions: values match scipy.stats / mpmath references", () => {
  for (const c of cases) {
    const surrogate = constantSurrogate(2, c.mean, c.sd * c.sd);
    const options = { best: c.best, xi: c.xi };
    const label = `μ=${c.mean} σ=${c.sd} best=${c.best} xi=${c.xi}`;
    const [ei] = expectedImprovement(surrogate, options).evaluate([point]);
    const [logEi] = logExpectedImprovement(surrogate, options).evaluate([point]);
    const [pi] = probabilityOfImprovement(surrogate, options).evaluate([point]);
    const [logPi] = logProbabilityOfImprovement(surrogate, options).evaluate([point]);
    const [lcb4] = lowerConfidenceBound(surrogate).evaluate([point]);
    const [lcbHalf] = lowerConfidenceBound(surrogate, { beta: 0.5 }).evaluate([point]);
    assertClose(ei, c.ei, 1e-12, `EI ${label}`, 1e-300);
    assertClose(logEi, c.logEi, 1e-12, `LogEI ${label}`);
    assertClose(pi, c.pi, 1e-12, `PI ${label}`, 1e-300);
    assertClose(logPi, c.logPi, 1e-12, `LogPI ${label}`);
    assertClose(lcb4, c.lcbBeta4, 1e-14, `LCB(β=4) ${label}`, 1e-15);
    assertClose(lcbHalf, c.lcbBeta0_5, 1e-14, `LCB(β=0.5) ${label}`, 1e-15);
  }
});

Deno.test("acquisitions: EI uses f_min − μ (minimisation), not the seed's μ − f_min", () => {
  // a point predicted well below the incumbent must have a large EI (≈ the improvement)
  const [good] = expectedImprovement(constantSurrogate(2, -5, 1e-4), { best: 0 }).evaluate([point]);
  const [bad] = expectedImprovement(constantSurrogate(2, 5, 1e-4), { best: 0 }).evaluate([point]);
  assertClose(good, 5, 1e-12, "EI below the incumbent");
  assert.equal(bad, 0);
});

const builders: [string, (s: Surrogate) => AcquisitionFunction][] = [
  ["EI", (s) => expectedImprovement(s, { best: 0.4 })],
  ["LogEI", (s) => logExpectedImprovement(s, { best: 0.4 })],
  ["LogEI (deep tail)", (s) => logExpectedImprovement(s, { best: -6 })],
  ["PI", (s) => probabilityOfImprovement(s, { best: 0.4, xi: 0.05 })],
  ["LogPI", (s) => logProbabilityOfImprovement(s, { best: 0.4 })],
  ["LogPI (deep tail)", (s) => logProbabilityOfImprovement(s, { best: -6 })],
  ["LCB", (s) => lowerConfidenceBound(s, { beta: 3 })],
];

for (const [name, build] of builders) {
  Deno.test(`acquisitions: ${name} gradient matches central finite differences`, () => {
    const surrogate = wavySurrogate(3);
    const acquisition = build(surrogate);
    const f = (x: Float64Array) => acquisition.evaluate([x])[0];
    for (const x of [[0.1, 0.2, 0.3], [0.8, 0.5, 0.05], [0.45, 0.9, 0.7], [0.0, 1.0, 0.5]]) {
      const at = Float64Array.from(x);
      const { value, gradient } = acquisition.valueAndGradient!(at);
      assertClose(value, f(at), 1e-14, `${name} value at ${x}`, 1e-300);
      const numeric = finiteDifference(f, at);
      const scale = Math.max(...numeric.map(Math.abs), 1e-300);
      gradient.forEach((g, j) => {
        assertClose(g, numeric[j], 1e-5, `${name} ∂/∂x${j} at ${x}`, 1e-6 * scale);
      });
    }
  });
}

Deno.test("acquisitions: EI and exp(LogEI) agree wherever EI > 1e-10", () => {
  let compared = 0;
  for (let mean = -3; mean <= 8; mean += 0.05) {
    for (const sd of [1e-3, 0.1, 0.5, 1, 2]) {
      const ei = expectedImprovementOf(mean, sd, 0).value;
      const logEi = logExpectedImprovementOf(mean, sd, 0).value;
      if (ei > 1e-10) {
        assertClose(Math.exp(logEi), ei, 1e-12, `μ=${mean} σ=${sd}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 500);
});

Deno.test("acquisitions: LogEI is finite and monotone where EI underflows to 0", () => {
  const ei = expectedImprovementOf(40, 1, 0); // z = −40
  assert.equal(ei.value, 0);
  let previous = Infinity;
  for (let mean = 39; mean <= 1e6; mean *= 1.05) {
    const { value, dMean } = logExpectedImprovementOf(mean, 1, 0);
    assert.ok(Number.isFinite(value) && Number.isFinite(dMean), `LogEI at z = ${-mean}`);
    assert.ok(value < previous, `LogEI must decrease as μ grows (μ = ${mean})`);
    assert.ok(dMean < 0);
    previous = value;
  }
  // and it is informative: the gradient points back towards improvement
  const surrogate = constantSurrogate(1, 50, 1);
  assert.ok(Number.isFinite(
    logExpectedImprovement(surrogate, { best: 0 }).evaluate([
      Float64Array.of(0.5),
    ])[0],
  ));
});

Deno.test("expectedImprovementOf at σ = 0: the derivatives are the limits as σ → 0⁺", () => {
  // At μ = threshold, EI(σ) = σ·φ(0) exactly, so ∂EI/∂σ = φ(0) (= one-sided finite differences);
  // elsewhere φ(Z) → 0 as |Z| → ∞, and ∂EI/∂μ = −Φ(Z) → −1 below the threshold, 0 above it.
  const phi0 = 1 / Math.sqrt(2 * Math.PI);
  for (const threshold of [0, 1.5, -3]) {
    const at = expectedImprovementOf(threshold, 0, threshold);
    assert.equal(at.value, 0);
    assertClose(at.dSd, phi0, 1e-15, `∂EI/∂σ at μ = threshold = ${threshold}`);
    for (const h of [1e-4, 1e-8]) {
      const slope = (expectedImprovementOf(threshold, h, threshold).value - at.value) / h;
      assertClose(at.dSd, slope, 1e-12, `one-sided difference, h = ${h}`);
    }
  }
  for (const [mean, dMean] of [[-0.5, -1], [0.5, 0]] as const) {
    const at = expectedImprovementOf(mean, 0, 0);
    assert.equal(at.value, Math.max(-mean, 0));
    assert.equal(at.dSd, 0, `∂EI/∂σ at μ = ${mean}`);
    assert.equal(at.dMean, dMean, `∂EI/∂μ at μ = ${mean}`);
    // The limit from σ > 0: at σ = 1e-3, Z = ∓500.
    const near = expectedImprovementOf(mean, 1e-3, 0);
    assert.ok(Math.abs(near.dSd) < 1e-300 && near.dMean === dMean, JSON.stringify(near));
  }
});

Deno.test("acquisitions: σ = 0 gives finite values and gradients (no NaN)", () => {
  const flat = (mean: number) =>
    fakeSurrogate(2, {
      mean: (x) => ({ value: mean + x[0], gradient: Float64Array.of(1, 0) }),
      variance: () => ({ value: 0, gradient: new Float64Array(2) }),
    });
  const at = Float64Array.of(0.25, 0.5);
  for (const mean of [-1, -0.25, 1]) {
    const surrogate = flat(mean);
    const improvement = 0 - (mean + 0.25);
    const expected: Record<string, number> = {
      EI: Math.max(improvement, 0),
      LogEI: improvement > 0 ? Math.log(improvement) : -Infinity,
      PI: improvement > 0 ? 1 : 0,
      LogPI: improvement > 0 ? 0 : -Infinity,
      LCB: 0 - (mean + 0.25),
    };
    for (
      const acquisition of [
        expectedImprovement(surrogate, { best: 0 }),
        logExpectedImprovement(surrogate, { best: 0 }),
        probabilityOfImprovement(surrogate, { best: 0 }),
        logProbabilityOfImprovement(surrogate, { best: 0 }),
        lowerConfidenceBound(surrogate),
      ]
    ) {
      const { value, gradient } = acquisition.valueAndGradient!(at);
      assert.equal(value, expected[acquisition.name], `${acquisition.name} at μ = ${mean}`);
      assert.equal(acquisition.evaluate([at])[0], value);
      for (const g of gradient) assert.ok(!Number.isNaN(g), `${acquisition.name} gradient`);
    }
  }
  // a slightly negative variance from round-off is treated as 0
  const negative = constantSurrogate(1, -1, -1e-18);
  assert.equal(expectedImprovement(negative, { best: 0 }).evaluate([Float64Array.of(0)])[0], 1);
});

Deno.test("acquisitions: evaluate handles many points and agrees with valueAndGradient", () => {
  const surrogate = wavySurrogate(2);
  const acquisition = logExpectedImprovement(surrogate, { best: -1 });
  const points = Array.from({ length: 50 }, (_, i) => Float64Array.of(i / 49, 1 - i / 49));
  const values = acquisition.evaluate(points);
  assert.equal(values.length, 50);
  points.forEach((p, i) => assert.equal(values[i], acquisition.valueAndGradient!(p).value));
  assert.equal(acquisition.evaluate([]).length, 0);
});

Deno.test("acquisitions: marginalAcquisition applies the chain rule of a custom utility", () => {
  const acquisition = marginalAcquisition("mean+sd²", wavySurrogate(2), (mean, sd) => ({
    value: -mean + sd * sd,
    dMean: -1,
    dSd: 2 * sd,
  }));
  const at = Float64Array.of(0.3, 0.8);
  const numeric = finiteDifference((x) => acquisition.evaluate([x])[0], at);
  acquisition.valueAndGradient!(at).gradient.forEach((g, j) =>
    assertClose(g, numeric[j], 1e-6, `∂/∂x${j}`, 1e-9)
  );
});

Deno.test("acquisitions: bad inputs throw errors that name the field", () => {
  const s = wavySurrogate(2);
  assert.throws(() => expectedImprovement(s, { best: NaN }), /expectedImprovement: options\.best/);
  assert.throws(
    () => logExpectedImprovement(s, { best: 0, xi: Infinity }),
    /logExpectedImprovement: options\.xi/,
  );
  assert.throws(
    () => probabilityOfImprovement(s, {} as { best: number }),
    /probabilityOfImprovement: options\.best/,
  );
  assert.throws(
    () => logProbabilityOfImprovement(s, { best: 0, gamma: 1 } as { best: number }),
    /logProbabilityOfImprovement: options/,
  );
  assert.throws(() => lowerConfidenceBound(s, { beta: -1 }), /lowerConfidenceBound: options\.beta/);
  assert.throws(
    () => expectedImprovement({ dim: 2 } as Surrogate, { best: 0 }),
    /EI: surrogate\.predict: must be a function/,
  );
  assert.throws(
    () => expectedImprovement({ ...s, dim: 0 } as Surrogate, { best: 0 }),
    /EI: surrogate\.dim/,
  );
  const ei = expectedImprovement(s, { best: 0 });
  assert.throws(
    () => ei.evaluate([Float64Array.of(0.1)]),
    /EI\.evaluate: points\[0\]: expected 2 coordinates, got 1/,
  );
  assert.throws(
    () => ei.evaluate([[0.1, 0.2]] as unknown as Float64Array[]),
    /must be a Float64Array/,
  );
  assert.throws(
    () => ei.valueAndGradient!(Float64Array.of(0.1, 0.2, 0.3)),
    /EI\.valueAndGradient: point: expected 2 coordinates, got 3/,
  );
});

Deno.test("lognormalExpectedImprovementOf: EI of e^Y by quadrature, its derivatives, σ = 0", () => {
  // E[max(e^t − e^Y, 0)], Y ~ N(μ, σ²), by the trapezoid rule on ±12σ
  const quadrature = (mean: number, sd: number, threshold: number) => {
    const steps = 200_000;
    const lo = mean - 12 * sd;
    const h = (24 * sd) / steps;
    let sum = 0;
    for (let k = 0; k <= steps; k++) {
      const y = lo + k * h;
      const density = Math.exp(-0.5 * ((y - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
      const gain = Math.max(Math.exp(threshold) - Math.exp(y), 0);
      sum += (k === 0 || k === steps ? 0.5 : 1) * gain * density;
    }
    return sum * h;
  };
  for (const [mean, sd, threshold] of [[0, 1, 0], [-2, 0.5, -1.5], [1, 2, -1], [-3, 0.1, -3.2]]) {
    const { value, dMean, dSd } = lognormalExpectedImprovementOf(mean, sd, threshold);
    const reference = quadrature(mean, sd, threshold);
    assert.ok(
      Math.abs(value - reference) < 1e-6 * Math.max(1, reference),
      `${value} vs ${reference}`,
    );
    const h = 1e-6;
    const fdMean = (lognormalExpectedImprovementOf(mean + h, sd, threshold).value -
      lognormalExpectedImprovementOf(mean - h, sd, threshold).value) / (2 * h);
    const fdSd = (lognormalExpectedImprovementOf(mean, sd + h, threshold).value -
      lognormalExpectedImprovementOf(mean, sd - h, threshold).value) / (2 * h);
    assert.ok(Math.abs(dMean - fdMean) < 1e-5, `dMean ${dMean} vs ${fdMean}`);
    assert.ok(Math.abs(dSd - fdSd) < 1e-5, `dSd ${dSd} vs ${fdSd}`);
  }
  assert.ok(Math.abs(lognormalExpectedImprovementOf(0, 0, Math.log(3)).value - 2) < 1e-12);
  assert.equal(lognormalExpectedImprovementOf(1, 0, 0).value, 0);
});

/**
 * mpmath 1.2.1 (50 digits): [μ, σ, f*, EI, ∂/∂μ, ∂/∂σ] with EI = e^{f*}Φ(v) − e^{μ+σ²/2}Φ(v − σ),
 * ∂/∂μ = −e^{μ+σ²/2}Φ(v − σ), ∂/∂σ = e^{f*}φ(v) − σe^{μ+σ²/2}Φ(v − σ), v = (f* − μ)/σ.
 */
const LOGNORMAL_EI_EXTREME: readonly (readonly number[])[] = [
  [0, 38, 0, 0.48950877430036002, -0.010491225699639976, 0.00027570381511358649],
  [-5, 40, -3, 0.025389984861319417, -0.00049624401206116883, -1.2406090651430134e-5],
  [-2, 40.8248290463863, -3, 0.023921267728924617, -0.00048579336950588632, 2.3777570963266605e-5],
  [0, 1000, 0, 0.49960105811853965, -0.0003989418814603491, 3.9894108358057557e-7],
  [712, 0.1, 710, 3.0454853895193915e+217, -6.1211270150479237e+219, 1.2272558475163776e+221],
];

Deno.test("lognormalExpectedImprovementOf: finite where e^{μ+σ²/2} or e^{f*} overflows (mpmath)", () => {
  for (const [mean, sd, threshold, ei, eiMean, eiSd] of LOGNORMAL_EI_EXTREME) {
    const { value, dMean, dSd } = lognormalExpectedImprovementOf(mean, sd, threshold);
    const close = (got: number, expected: number, tolerance: number) =>
      assert.ok(
        Math.abs(got - expected) <= tolerance * Math.abs(expected),
        `(${mean}, ${sd}, ${threshold}): ${got} vs ${expected}`,
      );
    close(value, ei, 1e-9);
    close(dMean, eiMean, 1e-9);
    close(dSd, eiSd, 1e-9);
  }
  // Through the acquisition: a posterior sd of 40 far from the data.
  const surrogate = constantSurrogate(1, -2, 40.8248290463863 ** 2);
  const ei = lognormalExpectedImprovement(surrogate, { best: -3 });
  const [value] = ei.evaluate([Float64Array.of(0.9)]);
  assert.ok(Math.abs(value - 0.023921267728924617) < 1e-12 * 0.024, `${value}`);
});

Deno.test("acquisitions on a GP of huge or tiny targets: finite, with finite gradients", () => {
  const x = [[0.1, 0.2], [0.5, 0.7], [0.9, 0.4], [0.3, 0.95], [0.7, 0.1]].map((p) =>
    Float64Array.from(p)
  );
  const y = [1, 2, 0, -0.5, 1.5];
  const unit = fitGP(x, y);
  const at = [Float64Array.of(0.3, 0.3), Float64Array.of(0.6, 0.5), Float64Array.of(1, 1)];
  // Powers of two: the GPs agree exactly in standardised units, so each acquisition is the
  // unit-scale one moved by the known law (σ² overflows at 2^600 and underflows at 2^-600).
  for (const scale of [2 ** 600, 2 ** -600]) {
    const gp = fitGP(x, y.map((v) => v * scale));
    const laws = [
      { build: logExpectedImprovement, value: (v: number) => v + Math.log(scale), factor: 1 },
      { build: expectedImprovement, value: (v: number) => v * scale, factor: scale },
      { build: probabilityOfImprovement, value: (v: number) => v, factor: 1 },
      { build: logProbabilityOfImprovement, value: (v: number) => v, factor: 1 },
    ];
    for (const law of laws) {
      const expected = law.build(unit, { best: 0.2 });
      const actual = law.build(gp, { best: 0.2 * scale });
      const label = `${actual.name} at scale ${scale}`;
      const values = actual.evaluate(at), reference = expected.evaluate(at);
      for (let i = 0; i < at.length; i++) {
        assert.ok(Number.isFinite(values[i]), `${label}: ${values[i]}`);
        assertClose(values[i], law.value(reference[i]), 1e-9, label, 1e-300);
        const { value, gradient } = actual.valueAndGradient!(at[i]);
        const ref = expected.valueAndGradient!(at[i]);
        assertClose(value, law.value(ref.value), 1e-9, label, 1e-300);
        for (let j = 0; j < 2; j++) {
          assert.ok(Number.isFinite(gradient[j]), `${label}: gradient ${gradient[j]}`);
          assertClose(gradient[j], ref.gradient[j] * law.factor, 1e-9, label, 1e-300);
        }
      }
    }
    const lcb = lowerConfidenceBound(gp).valueAndGradient!(at[0]);
    const lcbUnit = lowerConfidenceBound(unit).valueAndGradient!(at[0]);
    assertClose(lcb.value, lcbUnit.value * scale, 1e-9, "LCB", 1e-300);
    assertClose(lcb.gradient[1], lcbUnit.gradient[1] * scale, 1e-9, "LCB gradient", 1e-300);
  }
  // The audit's case: LogEI stayed +Infinity with a zero gradient from targets of 1e160 on.
  for (const scale of [1e160, 1e200, 1e300]) {
    const gp = fitGP([Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)], [
      scale,
      2 * scale,
      0,
    ]);
    const { value, gradient } = logExpectedImprovement(gp, { best: 0 }).valueAndGradient!(
      Float64Array.of(0.3),
    );
    assert.ok(Number.isFinite(value) && Number.isFinite(gradient[0]) && gradient[0] !== 0);
  }
});

Deno.test("marginalAcquisition checks the surrogate's predictions: length, finite mean, variance ≥ 0, no promise", () => {
  const base = wavySurrogate(2);
  const points = [Float64Array.of(0.1, 0.2), Float64Array.of(0.6, 0.3)];
  const at = Float64Array.of(0.4, 0.7);
  const broken = (predict: Surrogate["predict"]) =>
    logExpectedImprovement({ ...base, predict }, { best: 0 });
  const good = base.predict(points);
  const cases: [string, Surrogate["predict"], RegExp][] = [
    [
      "NaN mean",
      () => ({ ...good, mean: Float64Array.of(0, NaN) }),
      /LogEI: surrogate.predict: mean\[1\] must be finite, got NaN/,
    ],
    [
      "infinite mean",
      () => ({ ...good, mean: Float64Array.of(Infinity, 0) }),
      /mean\[0\] must be finite, got Infinity/,
    ],
    [
      "NaN variance",
      () => ({ ...good, variance: Float64Array.of(NaN, 1) }),
      /variance\[0\] must be a number ≥ 0, got NaN/,
    ],
    [
      "negative variance",
      () => ({ ...good, variance: Float64Array.of(1, -1e-6) }),
      /variance\[1\] must be a number ≥ 0, got -0.000001/,
    ],
    [
      "short mean",
      () => ({ ...good, mean: good.mean.subarray(1) }),
      /LogEI: surrogate.predict: mean: must return 2 values \(one per point\), got 1/,
    ],
    [
      "short variance",
      () => ({ ...good, variance: new Float64Array(0) }),
      /variance: must return 2 values \(one per point\), got 0/,
    ],
    [
      "promise",
      (() => Promise.resolve(good)) as never,
      /LogEI: surrogate.predict: returned a Promise; a surrogate must predict synchronously/,
    ],
    [
      "undefined",
      (() => undefined) as never,
      /must return \{ mean, variance \} \(Float64Arrays\), got undefined/,
    ],
  ];
  for (const [label, predict, message] of cases) {
    assert.throws(() => broken(predict).evaluate(points), message, label);
  }
  // Round-off below zero (within 1e-12·max(1, μ²)) counts as 0; +Infinity (a GP beyond float64) passes.
  const tiny = broken(() => ({ ...good, variance: Float64Array.of(-1e-14, Infinity) }));
  const values = tiny.evaluate(points);
  assert.equal(values.length, 2);
  assert.equal(
    values[0],
    logExpectedImprovement(constantSurrogate(2, good.mean[0], 0), { best: 0 }).evaluate([
      points[0],
    ])[0],
  );
  // The gradient path: a promise, a wrong-length gradient, a NaN mean or variance.
  const gradientCases: [string, Surrogate["predictWithGradient"], RegExp][] = [
    [
      "promise",
      (async () => {}) as never,
      /LogEI: surrogate.predictWithGradient: returned a Promise/,
    ],
    [
      "short gradient",
      (p) => ({ ...base.predictWithGradient(p), varianceGradient: new Float64Array(1) }),
      /predictWithGradient: varianceGradient: must return 2 values/,
    ],
    [
      "NaN mean",
      (p) => ({ ...base.predictWithGradient(p), mean: NaN }),
      /predictWithGradient: mean must be finite, got NaN/,
    ],
    [
      "undefined",
      (() => undefined) as never,
      /predictWithGradient: must return \{ mean, variance, meanGradient, varianceGradient \}, got undefined/,
    ],
    [
      "no gradient",
      (p) => ({ ...base.predictWithGradient(p), meanGradient: undefined }) as never,
      /predictWithGradient: meanGradient: must return 2 values \(one per input dimension\), got undefined/,
    ],
    [
      "negative variance",
      (p) => ({ ...base.predictWithGradient(p), variance: -1 }),
      /predictWithGradient: variance must be a number ≥ 0, got -1/,
    ],
  ];
  for (const [label, predictWithGradient, message] of gradientCases) {
    const acquisition = logExpectedImprovement({ ...base, predictWithGradient }, { best: 0 });
    assert.throws(() => acquisition.valueAndGradient!(at), message, label);
  }
});
