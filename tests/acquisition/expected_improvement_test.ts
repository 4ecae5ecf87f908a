import assert from "node:assert/strict";
import {
  expectedImprovement,
  expectedImprovementOf,
  lognormalExpectedImprovement,
  lognormalExpectedImprovementOf,
} from "../../lib/acquisition/expected_improvement.ts";
import { constantSurrogate } from "./_fake_surrogate.ts";

/**
 * [μ, σ, f*, EI, ∂/∂μ, ∂/∂σ] of the log-normal EI at small σ (σ·max(1, v) ≤ 0.2, v = (f* − μ)/σ),
 * where its two terms e^{f*}Φ(v) and e^{μ+σ²/2}Φ(v − σ) agree in up to 15 leading digits: printed
 * by `python3 tests/acquisition/expected_improvement_reference.py` (mpmath 1.2.1, 60 digits, at the
 * exact float64 inputs; the derivatives checked there against differences of the 60-digit EI).
 */
const LOGNORMAL_EI_SMALL_SD: readonly (readonly number[])[] = [
  [
    -0.9999999999999,
    1e-14,
    -1.0,
    2.663927665798459e-39,
    -2.7165230108255503e-24,
    2.7440069772398485e-23,
  ],
  [
    50.0000000000037,
    1e-13,
    50.0,
    3.9212438985586996e-293,
    -1.453729995876373e-278,
    5.3855245160797132e-277,
  ],
  [0.0, 1e-12, 0.0, 3.9894228040118267e-13, -0.49999999999960106, 0.39894228040093268],
  [
    49.999999999999,
    1e-12,
    50.0,
    5.6248103761750142e+9,
    -4.3644626269995988e+21,
    1.2522069028634922e+21,
  ],
  [
    10.0000000003,
    1e-11,
    10.0,
    3.5943556568664795e-206,
    -1.0806950971840387e-193,
    3.2456799154603213e-192,
  ],
  [
    50.00000000376,
    1e-10,
    50.0,
    1.4798064901357929e-299,
    -5.5719275529553657e-288,
    2.09652473974613e-286,
  ],
  [
    -50.000000002,
    1e-09,
    -50.0,
    3.8738764444026166e-31,
    -1.8848705477861772e-22,
    1.041350321041734e-23,
  ],
  [1.00000001, 1e-08, 1.0, 2.2647493132507696e-9, -0.43126969548410977, 0.65774462316418383],
  [
    -10.00002,
    1e-06,
    -10.0,
    9.0798949259039252e-10,
    -4.5399021772992261e-5,
    -4.5399021772992259e-11,
  ],
  [
    4.9999999999999996e-06,
    1e-06,
    0.0,
    5.3461645666682315e-14,
    -2.8665151841754856e-7,
    1.4867192280827809e-6,
  ],
  [0.996, 0.0001, 1.0, 0.010851396488090737, -2.7074304319709545, -2.7074304319709546e-4],
  [50.038, 0.001, 50.0, 3.9313302838126021e-299, -1.4959703239638165e-294, 5.6886184581063709e-293],
  [50.38, 0.01, 50.0, 3.9304013476211838e-298, -1.4956165969297869e-294, 5.6872724377738361e-293],
  [-1.05, 0.05, -1.0, 0.019071856557026818, -0.29044157845919788, 0.074493975992991503],
  [-0.0495, 0.099, 0.0, 0.064277794726073845, -0.62718466654793926, 0.28997404477605349],
  [2.6, 0.2, 2.0, 5.3613550351829889e-4, -0.0094383367800325218, 0.030859509181760117],
];

Deno.test("lognormalExpectedImprovementOf: relative error below 1e-11 at small σ (mpmath)", () => {
  for (const [mean, sd, threshold, ei, eiMean, eiSd] of LOGNORMAL_EI_SMALL_SD) {
    const { value, dMean, dSd } = lognormalExpectedImprovementOf(mean, sd, threshold);
    const close = (name: string, got: number, expected: number) =>
      assert.ok(
        Math.abs(got - expected) <= 1e-11 * Math.abs(expected),
        `(${mean}, ${sd}, ${threshold}) ${name}: ${got} vs ${expected}`,
      );
    close("EI", value, ei);
    close("∂/∂μ", dMean, eiMean);
    close("∂/∂σ", dSd, eiSd);
  }
  // Through the acquisition: a forest-like posterior whose trees agree to rounding (σ = 1e-8).
  const ei = lognormalExpectedImprovement(constantSurrogate(1, 1.00000001, 1e-16), { best: 1 });
  const [value] = ei.evaluate([Float64Array.of(0.5)]);
  assert.ok(Math.abs(value / 2.2647493132507696e-9 - 1) < 1e-11, `${value}`);
});

Deno.test("lognormalExpectedImprovementOf: σ so small that v is infinite", () => {
  // No improvement possible: 0, as at σ = 0.
  assert.equal(lognormalExpectedImprovementOf(1, Number.MIN_VALUE, 0).value, 0);
  // Certain improvement: e^{f*} − e^μ.
  const { value } = lognormalExpectedImprovementOf(0, Number.MIN_VALUE, 1);
  assert.ok(Math.abs(value - Math.expm1(1)) < 1e-15, `${value}`);
});

/**
 * [μ, σ, EI] below the threshold 0 where h(Z) = φ(Z) + ZΦ(Z) leaves the normal float64 range
 * (Z ≤ −37.5) but σ·h(Z) need not: mpmath 1.3.0 at 60 digits, at the exact float64 inputs.
 */
const EI_FAR_BELOW: readonly (readonly number[])[] = [
  [4e151, 1e150, 9.1283447229124408e-202], // Z = −40: h(Z) is 0 in float64
  [3.85e151, 1e150, 3.6526981300975844e-176], // Z = −38.5
  [5e301, 1e300, 2.159470384525213e-247], // Z = −50
  [3.8e11, 1e10, 7.5827518145492083e-308], // Z = −38: h(Z) subnormal
  [3750, 100, 1.2263536908721543e-307], // Z = −37.5
];

Deno.test("expectedImprovementOf: σ·h(Z) where h(Z) underflows (mpmath)", () => {
  for (const [mean, sd, expected] of EI_FAR_BELOW) {
    const { value } = expectedImprovementOf(mean, sd, 0);
    assert.ok(
      Math.abs(value - expected) <= 1e-12 * expected,
      `(${mean}, ${sd}): ${value} vs ${expected}`,
    );
  }
  // Below the float64 range it is 0: σ·h(Z) = 3.2e-329 at (77.4, 2), 3.7e-424 at (4.5e21, 1e20).
  assert.equal(expectedImprovementOf(77.4, 2, 0).value, 0);
  assert.equal(expectedImprovementOf(4.5e21, 1e20, 0).value, 0);
  // Through the acquisition (a surrogate of ordinary scale reporting these moments).
  const ei = expectedImprovement(constantSurrogate(1, 4e151, 1e300), { best: 0 });
  const [value] = ei.evaluate([Float64Array.of(0.5)]);
  assert.ok(Math.abs(value / 9.1283447229124408e-202 - 1) <= 1e-12, `${value}`);
});
