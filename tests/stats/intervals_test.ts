import assert from "node:assert/strict";
import { meanCi95, meanInterval, studentTQuantile } from "../../lib/stats/mod.ts";

// scipy.stats.t.ppf(p, dof)
const T_REFERENCE: [number, number, number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 3, 3.1824463052837078],
  [0.975, 5, 2.5705818356363146],
  [0.975, 10, 2.228138851986274],
  [0.975, 30, 2.0422724563012378],
  [0.975, 1000, 1.9623390808264083],
  [0.995, 3, 5.840909309733355],
  [0.995, 10, 3.16927267261695],
  [0.995, 1000, 2.580754698065951],
];

Deno.test("studentTQuantile: scipy.stats.t.ppf to 1e-5, symmetric, bad input named", () => {
  for (const [p, dof, expected] of T_REFERENCE) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 1e-5 * expected, `t(${p}, ${dof}) = ${got}`);
    assert.equal(studentTQuantile(1 - p, dof), -got);
  }
  assert.throws(() => studentTQuantile(1, 3), /studentTQuantile: p must be in \(0, 1\)/);
  assert.throws(() => studentTQuantile(0.9, 0.5), /studentTQuantile: dof must be ≥ 1/);
});

Deno.test("meanInterval: Student-t half-width by hand; NaN values dropped and not counted", () => {
  const { mean, halfWidth, n } = meanInterval([1, 2, NaN, 3, 4]);
  assert.equal(mean, 2.5);
  assert.equal(n, 4);
  // s = √(5/3), t(0.975, 3) = 3.182446
  assert.ok(Math.abs(halfWidth - 3.1824463052837078 * Math.sqrt(5 / 3) / 2) < 1e-5);
  assert.throws(() => meanInterval([1, 2], 95), /meanInterval: level must be in \(0, 1\), got 95/);
  const one = meanInterval([7]);
  assert.equal(one.mean, 7);
  assert.ok(Number.isNaN(one.halfWidth));
});

Deno.test("meanCi95: the normal approximation 1.96·s/√n; non-finite values give NaN", () => {
  const { mean, halfWidth } = meanCi95(Float64Array.of(1, 2, 3, 4));
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(halfWidth - 1.96 * Math.sqrt(5 / 3) / 2) < 1e-12);
  assert.ok(Number.isNaN(meanCi95([1, Infinity]).halfWidth));
  assert.ok(Number.isNaN(meanCi95([3]).halfWidth));
  assert.throws(() => meanCi95([]), /meanCi95: no values/);
});

/** scipy.stats.t.ppf(p, dof) as in T_REFERENCE (scipy 1.17), dof 3–30 over the body and the upper tail. */
const T_GRID: readonly (readonly [number, number, number])[] = [
  [0.6, 3, 0.2766706623326898],
  [0.75, 3, 0.7648923284043444],
  [0.9, 3, 1.637744353696209],
  [0.936, 3, 2.088171787956071],
  [0.975, 3, 3.1824463052837078],
  [0.99, 3, 4.540702858568132],
  [0.999, 3, 10.214531852407383],
  [0.6, 4, 0.2707222947075976],
  [0.75, 4, 0.7406970841126829],
  [0.9, 4, 1.533206274058944],
  [0.936, 4, 1.9150434712661248],
  [0.975, 4, 2.7764451051977934],
  [0.99, 4, 3.746947387979196],
  [0.999, 4, 7.173182219782307],
  [0.6, 5, 0.2671808657041451],
  [0.75, 5, 0.7266868438004226],
  [0.9, 5, 1.4758840488244815],
  [0.936, 5, 1.8224804184189425],
  [0.975, 5, 2.5705818356363146],
  [0.99, 5, 3.3649299989072174],
  [0.999, 5, 5.893429531356009],
  [0.6, 6, 0.2648345329335734],
  [0.75, 6, 0.7175581964914126],
  [0.9, 6, 1.4397557472651483],
  [0.936, 6, 1.7650372893251964],
  [0.975, 6, 2.4469118511449786],
  [0.99, 6, 3.1426684032910064],
  [0.999, 6, 5.207626238725373],
  [0.6, 10, 0.2601848294920803],
  [0.75, 10, 0.6998120613124317],
  [0.9, 10, 1.372183641110336],
  [0.936, 10, 1.6595160566418938],
  [0.975, 10, 2.228138851986274],
  [0.99, 10, 2.7637694581126957],
  [0.999, 10, 4.143700494046589],
  [0.6, 30, 0.2556053649519128],
  [0.75, 30, 0.6827556933212927],
  [0.9, 30, 1.3104150253913955],
  [0.936, 30, 1.565305534191882],
  [0.975, 30, 2.0422724563012378],
  [0.99, 30, 2.457261542400591],
  [0.999, 30, 3.3851848668293045],
];

Deno.test("studentTQuantile: within a relative 2e-5 of scipy for dof ≥ 3, 3e-6 at p = 0.975", () => {
  for (const [p, dof, expected] of T_GRID) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 2e-5 * Math.abs(expected), `t(${p}, ${dof}) = ${got}`);
    if (p === 0.975) assert.ok(Math.abs(got - expected) <= 3e-6, `t(0.975, ${dof}) = ${got}`);
  }
});

Deno.test("meanCi95: an infinite value makes the mean infinite and the half-width NaN", () => {
  const { mean, halfWidth } = meanCi95([1, 2, Infinity]);
  assert.equal(mean, Infinity);
  assert.ok(Number.isNaN(halfWidth));
});

/**
 * scipy.stats.t.ppf(p, dof) (scipy 1.10.1, /usr/bin/python3) for non-integer dof near 1–2, where
 * Hill's algorithm alone is off by up to a factor 6 near the median; mpmath's inversion of the
 * regularized incomplete beta function (60 digits) agrees with each to 2e-9.
 */
const T_FRACTIONAL: readonly (readonly [number, number, number])[] = [
  [0.51, 1.05, 0.031135852505060225],
  [0.6, 1.05, 0.32146645466712787],
  [0.75, 1.05, 0.9804362698414129],
  [0.9, 1.05, 2.925697273196246],
  [0.975, 1.05, 11.361907673388336],
  [0.999, 1.05, 244.34478087685935],
  [0.51, 1.1, 0.030870225919716377],
  [0.6, 1.1, 0.31832702251390543],
  [0.75, 1.1, 0.9630663216360775],
  [0.9, 1.1, 2.79594555084304],
  [0.975, 1.1, 10.276801295708555],
  [0.999, 1.1, 192.41251771754992],
  [0.51, 1.3, 0.030001755515869245],
  [0.6, 1.3, 0.3081832765664919],
  [0.75, 1.3, 0.9095175281355719],
  [0.9, 1.3, 2.4259474107945747],
  [0.975, 1.3, 7.500529335167913],
  [0.999, 1.3, 89.92242898205944],
  [0.51, 1.5, 0.029355346304290132],
  [0.6, 1.5, 0.30074539256979615],
  [0.75, 1.5, 0.8725946625416114],
  [0.9, 1.5, 2.1963984175668427],
  [0.975, 1.5, 6.016663107990447],
  [0.999, 1.5, 52.184430008992784],
  [0.51, 1.7, 0.028856074803209883],
  [0.6, 1.7, 0.2950611272978274],
  [0.75, 1.7, 0.8456138715378009],
  [0.9, 1.7, 2.0413497586257767],
  [0.975, 1.7, 5.118838989314295],
  [0.999, 1.7, 34.77419785850679],
  [0.51, 1.9, 0.028459224840465445],
  [0.6, 1.9, 0.2905783450800498],
  [0.75, 1.9, 0.8250469582876407],
  [0.9, 1.9, 1.9301261917666168],
  [0.975, 1.9, 4.527118077402538],
  [0.999, 1.9, 25.437638173429495],
  [0.51, 2.2, 0.027996738522016763],
  [0.6, 2.2, 0.28539154533966876],
  [0.75, 2.2, 0.8019900942112838],
  [0.9, 2.2, 1.812384921776358],
  [0.975, 2.2, 3.9487207497602386],
  [0.999, 2.2, 17.893611839528628],
  [0.51, 2.5, 0.027643841331097763],
  [0.6, 2.5, 0.2814595125866358],
  [0.75, 2.5, 0.7850136812811753],
  [0.9, 2.5, 1.730250928807177],
  [0.975, 2.5, 3.5746548420118773],
  [0.999, 2.5, 13.822193110834316],
];

Deno.test("studentTQuantile: within a relative 2e-5 of scipy for non-integer dof near 1–2", () => {
  for (const [p, dof, expected] of T_FRACTIONAL) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 2e-5 * expected, `t(${p}, ${dof}) = ${got}`);
    assert.equal(studentTQuantile(1 - p, dof), -got);
  }
});

/**
 * Tails and the median: mpmath 1.2.1 (60 digits), t solving ½·I_x(ν/2, ½) = q with x = ν/(ν + t²)
 * at the double p (scipy 1.10.1's t.ppf clamps at ±1e100 and is off by up to a factor 4 at
 * p = 1e-300, and by 14% at p = ½ + 2⁻⁵³ with dof 5).
 */
const T_TAILS: readonly (readonly [number, number, number])[] = [
  [1e-16, 5, -2485.7338279612054],
  [1e-20, 5, -15683.925454365775],
  [1e-100, 3, -2.225769823822442e+33],
  [1e-300, 1, -3.1830988618379066e+299],
  [1e-300, 2, -7.071067811865475e+149],
  [1e-300, 5, -1.5683925590993378e+60],
  [1e-300, 30, -50178575360.50508],
  [1e-300, 1.5, -5.219469427344636e+199],
  [5e-324, 10, -5.490711096791307e+32],
  [1e-12, 1, -318309886183.79065],
  [0.99999999999999, 1, 31856450773459.215],
  [1 - 2 ** -53, 1, 2867080569611329.5],
  [1 - 2 ** -53, 2, 67108863.999999985],
  [1 - 2 ** -53, 4, 12821.172749967061],
  [0.5 + 1e-10, 2, 2.8284273587713e-10],
  [0.5 + 2 ** -53, 5, 2.9246666467977716e-16],
  [0.5 + 1e-12, 7.5, 2.591282643752722e-12],
  [0.5 - 2 ** -54, 3, -1.5102913621674746e-16],
];

Deno.test("studentTQuantile: tiny p, p near 1 and p near ½ within a relative 2e-5 (mpmath)", () => {
  for (const [p, dof, expected] of T_TAILS) {
    const got = studentTQuantile(p, dof);
    assert.ok(Math.abs(got - expected) <= 2e-5 * Math.abs(expected), `t(${p}, ${dof}) = ${got}`);
  }
});

Deno.test("studentTQuantile: infinite dof is the normal quantile; beyond float64, ±Infinity", () => {
  // scipy.stats.t.ppf(0.975, inf), scipy.stats.t.ppf(1e-300, inf)
  assert.ok(Math.abs(studentTQuantile(0.975, Infinity) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(studentTQuantile(1e-300, Infinity) + 37.0470962993612) < 1e-7);
  // the quantiles of dof 1 at 1e-320 (3.2e319) and of dof 1.01 at 5e-324 exceed the largest double
  assert.equal(studentTQuantile(1e-320, 1), -Infinity);
  assert.equal(studentTQuantile(5e-324, 1.01), -Infinity);
});

/**
 * Hill's values for integer dof, as the intervals of committed results print them: the refinement
 * leaves them bit for bit (it applies only where they are off by more than 1.8e-5).
 */
const T_HILL_INTEGER: readonly (readonly [number, number, number])[] = [
  [0.975, 1, 12.706204736174696],
  [0.975, 2, 4.302652729749462],
  [0.975, 3, 3.182449116291139],
  [0.975, 4, 2.7764450369237434],
  [0.975, 5, 2.5705816889790754],
  [0.975, 9, 2.262157153217786],
  [0.975, 19, 2.093024055960007],
  [0.975, 29, 2.045229643858892],
  [0.975, 99, 1.984216953217429],
  [0.975, 599, 1.9639322505337051],
  [0.995, 3, 5.840909412547478],
  [0.9, 7, 1.4149239224730814],
  [0.75, 12, 0.6954828655489851],
  [0.6, 2, 0.28867513459481314],
];

Deno.test("studentTQuantile: integer dof give Hill's values unchanged", () => {
  for (const [p, dof, expected] of T_HILL_INTEGER) assert.equal(studentTQuantile(p, dof), expected);
});

Deno.test("meanInterval and meanCi95 of finite values whose squares or sums overflow", () => {
  // s = √2·1e300 (its square overflows), t(0.975, 1) = 12.706204736174694: half-width t·s/√2.
  const a = meanInterval([1e300, 3e300]);
  assert.equal(a.mean, 2e300);
  assert.ok(Math.abs(a.halfWidth / (12.706204736174694 * 1e300) - 1) < 1e-12, `${a.halfWidth}`);
  // The mean of three values near 1.5e308 (their sum overflows), s = 1e307/√3.
  const b = meanCi95([1.5e308, 1.5e308, 1.4e308]);
  assert.ok(Math.abs(b.mean / 1.4666666666666667e308 - 1) < 1e-15, `${b.mean}`);
  assert.ok(Math.abs(b.halfWidth / (1.96 * 1e307 / 3) - 1) < 1e-14, `${b.halfWidth}`);
  // Ordinary values: the formulas as before.
  assert.equal(meanCi95([1, 2, 3, 4]).halfWidth, 1.96 * Math.sqrt(5 / 3) / Math.sqrt(4));
});

Deno.test("meanInterval and meanCi95: a sample that is not an array is refused, naming the field", () => {
  assert.throws(() => meanInterval(undefined as unknown as number[]), {
    name: "TypeError",
    message: "meanInterval values: must be an array of numbers, got undefined",
  });
  assert.throws(() => meanCi95(null as unknown as number[]), {
    name: "TypeError",
    message: "meanCi95 values: must be an array of numbers, got null",
  });
  // An empty sample (or only NaN): NaN with n = 0 from meanInterval, an error from meanCi95.
  const empty = meanInterval([NaN]);
  assert.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.halfWidth));
  assert.equal(empty.n, 0);
  assert.throws(() => meanCi95([]), { name: "RangeError", message: "meanCi95: no values" });
  assert.equal(meanInterval(Float64Array.of(1, 2, 3) as unknown as number[]).mean, 2);
});
