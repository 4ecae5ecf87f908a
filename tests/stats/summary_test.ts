import assert from "node:assert/strict";
import { medianInterval, signCounts, summarise, summariseFinite } from "../../lib/stats/mod.ts";

// Binomial(n, 1/2) tail, computed independently by summing exact binomial coefficients.
function binomialBelow(n: number, j: number): number {
  let total = 0;
  let coefficient = 1;
  for (let i = 0; i < j; i++) {
    total += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return total / 2 ** n;
}

Deno.test("medianInterval: order statistics of the exact binomial 95% interval", () => {
  // n = 10: P(B < 2) = 11/1024 ≤ 0.025 < P(B < 3) = 56/1024, so [x(2), x(9)].
  const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  assert.deepEqual(medianInterval(values), { center: 5.5, lower: 2, upper: 9, n: 10 });
  for (const n of [6, 7, 13, 20, 57, 200]) {
    const sorted = Array.from({ length: n }, (_, i) => i + 1);
    const { lower, upper } = medianInterval(sorted.toReversed());
    const j = lower; // values are 1…n, so the lower bound is its own order
    assert.equal(upper, n + 1 - j);
    assert.ok(binomialBelow(n, j) <= 0.025, `n=${n}: coverage below 95%`);
    assert.ok(binomialBelow(n, j + 1) > 0.025, `n=${n}: interval not the tightest`);
  }
});

Deno.test("medianInterval: too few values for 95% give NaN bounds; NaN values are dropped", () => {
  const small = medianInterval([3, 1, 2, 5, 4]);
  assert.equal(small.center, 3);
  assert.ok(Number.isNaN(small.lower) && Number.isNaN(small.upper));
  assert.equal(medianInterval([1, NaN, 2, 3, 4, 5, 6]).n, 6);
  assert.equal(medianInterval([1, 2, 3, 4, 5], 0.9).lower, 1); // 1/32 ≤ 0.05
});

Deno.test("summarise: mean uses the Student-t interval, geomean works in log10", () => {
  const mean = summarise([1, 2, 3, 4], "mean");
  // t(0.975, 3) = 3.182446305; sd = sqrt(5/3); half-width = t * sd / 2.
  const half = 3.182446305284263 * Math.sqrt(5 / 3) / 2;
  assert.ok(Math.abs(mean.center - 2.5) < 1e-12);
  assert.ok(Math.abs(mean.upper - (2.5 + half)) < 1e-5);
  const geo = summarise([1, 10, 100], "geomean");
  assert.ok(Math.abs(geo.center - 10) < 1e-9);
  // log10 values 0, 1, 2: sd 1, t(0.975, 2) = 4.302652730; bounds 10^(1 ± t/√3).
  assert.ok(Math.abs(Math.log10(geo.upper) - (1 + 4.302652729911275 / Math.sqrt(3))) < 1e-5);
  assert.equal(summarise([0, 0, 0], "geomean").center, 1e-12);
});

Deno.test("summarise and medianInterval reject bad inputs", () => {
  assert.throws(() => summarise([1], "mode" as never), /center must be mean, geomean or median/);
  assert.throws(() => medianInterval([1, 2], 1.5), /level must be in \(0, 1\)/);
});

Deno.test("summariseFinite: statistic over the finite values, diverged ones counted, clipped at 0", () => {
  const values = [0.1, 0.2, 5, NaN, Infinity, -Infinity];
  const s = summariseFinite(values, "mean");
  const reference = summarise([0.1, 0.2, 5], "mean");
  assert.equal(s.center, reference.center);
  assert.equal(s.upper, reference.upper);
  assert.ok(s.lower < 0); // the Student-t interval of a skewed sample
  assert.equal(s.diverged, 3);
  assert.equal(s.total, 6);
  assert.equal(s.n, 3);
  const clipped = summariseFinite(values, "mean", { nonNegative: true });
  assert.equal(clipped.lower, 0);
  assert.equal(clipped.upper, reference.upper);
  const none = summariseFinite([NaN, Infinity], "median");
  assert.ok(Number.isNaN(none.center));
  assert.equal(none.diverged, 2);
  assert.equal(none.total, 2);
});

Deno.test("signCounts: values above, equal to and below 0; NaN in none", () => {
  assert.deepEqual(signCounts([0.2, 0, -1, 3, -0, NaN]), { above: 2, zero: 2, below: 1 });
  assert.deepEqual(signCounts(new Float64Array()), { above: 0, zero: 0, below: 0 });
});

Deno.test("summarise and summariseFinite: a geometric mean of a negative value is refused, naming it", () => {
  assert.throws(() => summarise([-0.5, 0.01, 0.1], "geomean"), {
    name: "RangeError",
    message:
      "summarise values[0]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got -0.5",
  });
  assert.throws(() => summarise([1, 10, -Infinity], "geomean"), {
    name: "RangeError",
    message:
      "summarise values[2]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got -Infinity",
  });
  assert.throws(() => summariseFinite([NaN, -3, 2, 5], "geomean", { nonNegative: true }), {
    name: "RangeError",
    message:
      "summariseFinite values[1]: the geometric mean needs values ≥ 0 (−1e-12 for round-off), got -3",
  });
  // −∞ is a diverged value for summariseFinite, left out as NaN and +∞ are.
  const finite = summariseFinite([-Infinity, 1, 100], "geomean");
  assert.equal(finite.diverged, 1);
  assert.ok(Math.abs(finite.center - 10) < 1e-12);
  // 0 and values below the floor count as the floor; the mean and median take negatives.
  assert.ok(Math.abs(summarise([0, 1e-3], "geomean").center / Math.sqrt(1e-15) - 1) < 1e-12);
  assert.equal(summarise([-1e-13, 0, 1e-13], "median").center, 0);
  assert.equal(summarise([-2, 4], "mean").center, 1);
  // A regret round-off below 0 (Branin's minimiser is 2.2e-16 below its stated minimum) counts as
  // the floor; below −1e-12 is refused.
  assert.equal(summarise([-2.220446049250313e-16, 0], "geomean").center, 1e-12);
  assert.equal(summariseFinite([-1e-12, 0], "geomean").center, 1e-12);
  assert.throws(() => summarise([-1.1e-12, 0], "geomean"), /values\[0\]: the geometric mean/);
});

Deno.test("summaries: an empty sample gives NaN with n = 0; a sample that is not an array is refused", () => {
  for (const center of ["mean", "geomean", "median"] as const) {
    const s = summarise([], center);
    assert.ok(Number.isNaN(s.center) && Number.isNaN(s.lower) && Number.isNaN(s.upper));
    assert.equal(s.n, 0);
    const f = summariseFinite([NaN, Infinity], center);
    assert.ok(Number.isNaN(f.center));
    assert.deepEqual([f.n, f.diverged, f.total], [0, 2, 2]);
  }
  assert.equal(medianInterval([]).n, 0);
  const cases: [string, () => unknown][] = [
    ["summarise", () => summarise(undefined as unknown as number[], "median")],
    ["summariseFinite", () => summariseFinite(null as unknown as number[], "mean")],
    ["medianInterval", () => medianInterval(7 as unknown as number[])],
  ];
  for (const [name, call] of cases) {
    assert.throws(call, { name: "TypeError", message: new RegExp(`^${name} values: must be`) });
  }
  assert.throws(() => summarise([1, "2"] as unknown as number[], "mean"), {
    name: "TypeError",
    message: "summarise values[1]: must be a number, got string",
  });
});
