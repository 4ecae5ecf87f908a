import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  erf,
  erfc,
  erfcx,
  expectedImprovementFactor,
  expectedImprovementTerms,
  inverseMillsRatio,
  log1mexp,
  logExpectedImprovementFactor,
  logNormalCdf,
  logNormalPdf,
  normalCdf,
  normalPdf,
} from "../../lib/acquisition/normal.ts";

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/acquisition_reference.json", import.meta.url), "utf8"),
);
const special = fixture.special as Record<string, number[]>;

function assertRelative(actual: number, expected: number, tolerance: number, label: string) {
  if (actual === expected) return;
  const error = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(error <= tolerance, `${label}: ${actual} vs ${expected} (relative error ${error})`);
}

const cases: [string, (x: number) => number, string, "x" | "z", number][] = [
  ["erf", erf, "erf", "x", 1e-15],
  ["erfc", erfc, "erfc", "x", 5e-15],
  ["erfcx", erfcx, "erfcx", "x", 5e-15],
  ["normalCdf", normalCdf, "ndtr", "z", 1e-13],
  ["logNormalCdf", logNormalCdf, "logNdtr", "z", 1e-13],
  ["logExpectedImprovementFactor", logExpectedImprovementFactor, "logH", "z", 1e-13],
  ["expectedImprovementFactor", expectedImprovementFactor, "h", "z", 1e-12],
  ["inverseMillsRatio", inverseMillsRatio, "inverseMills", "z", 1e-12],
  ["φ/h", (z) => expectedImprovementTerms(z).pdfOverH, "pdfOverH", "z", 1e-12],
  ["Φ/h", (z) => expectedImprovementTerms(z).cdfOverH, "cdfOverH", "z", 1e-12],
];

for (const [name, fn, key, argument, tolerance] of cases) {
  Deno.test(`normal: ${name} matches scipy/mpmath to ${tolerance} relative`, () => {
    special[argument].forEach((x, i) => {
      assertRelative(fn(x), special[key][i], tolerance, `${name}(${x})`);
    });
  });
}

Deno.test("normal: tails, limits and NaN", () => {
  assert.equal(erfc(30), 0);
  assert.equal(erfc(-30), 2);
  assert.equal(erfcx(-27), Infinity);
  assert.ok(Math.abs(erfcx(1e10) * 1e10 * Math.sqrt(Math.PI) - 1) < 1e-15);
  assert.equal(normalCdf(-40), 0); // Φ underflows …
  assert.ok(Number.isFinite(logNormalCdf(-40))); // … its logarithm does not
  assert.equal(logNormalCdf(Infinity), 0);
  assert.equal(logNormalCdf(-Infinity), -Infinity);
  assertRelative(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 2e-16, "φ(0)");
  assertRelative(logNormalPdf(3), -4.5 - 0.5 * Math.log(2 * Math.PI), 2e-16, "log φ(3)");
  for (const fn of [erf, erfc, erfcx, logNormalCdf, logExpectedImprovementFactor]) {
    assert.ok(Number.isNaN(fn(NaN)));
  }
});

Deno.test("normal: log1mexp is accurate near 0 and for very negative arguments", () => {
  assertRelative(log1mexp(-1e-20), Math.log(1e-20), 1e-15, "log1mexp(-1e-20)");
  assertRelative(log1mexp(-50), -Math.exp(-50), 1e-15, "log1mexp(-50)");
  for (const a of [-0.1, -0.69, -0.7, -3]) {
    assertRelative(log1mexp(a), Math.log(1 - Math.exp(a)), 1e-13, `log1mexp(${a})`);
  }
});

Deno.test("normal: log h is continuous across its branch points and strictly increasing", () => {
  for (const z of [-1, -20]) {
    const left = logExpectedImprovementFactor(z * (1 + 1e-12));
    const right = logExpectedImprovementFactor(z * (1 - 1e-12));
    assertRelative(left, right, 1e-11, `log h around ${z}`);
  }
  let previous = -Infinity;
  for (let z = -1e8; z < 5; z = z < -10 ? z * 0.97 : z + 0.01) {
    const value = logExpectedImprovementFactor(z);
    assert.ok(Number.isFinite(value) && value > previous, `log h not increasing at ${z}`);
    previous = value;
  }
});

Deno.test("normal: d log h/dz = Φ/h (finite differences) on every branch", () => {
  for (const z of [2, 0.3, -0.5, -1.5, -7, -19.5, -20.5, -35, -300]) {
    const step = 1e-6 * Math.max(1, Math.abs(z));
    const numeric = (logExpectedImprovementFactor(z + step) -
      logExpectedImprovementFactor(z - step)) / (2 * step);
    assertRelative(expectedImprovementTerms(z).cdfOverH, numeric, 1e-6, `Φ/h at ${z}`);
  }
});

Deno.test("normal: the documentation examples print these values (mpmath: the same digits)", () => {
  // log h(−40) = −808.29856835661996… (mpmath, 50 digits): the float64 nearest is printed.
  assert.equal(String(expectedImprovementTerms(-40).logH), "-808.29856835662");
  assert.equal(String(logExpectedImprovementFactor(-40)), "-808.29856835662");
  // Φ(−10) = 7.6198530241605260660e-24 (mpmath); the code prints a value 4e-15 below it.
  assert.equal(String(normalCdf(-10)), "7.619853024160496e-24");
  assertRelative(normalCdf(-10), 7.619853024160526e-24, 1e-14, "Φ(−10)");
});
