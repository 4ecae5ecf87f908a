import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lbfgsb, type LbfgsbOptions } from "../../lib/optim/lbfgsb.ts";

type Objective = (x: Float64Array) => { value: number; gradient: Float64Array };

const rosenbrock: Objective = (x) => {
  let value = 0;
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    value += 100 * a * a + b * b;
    gradient[i] += -400 * x[i] * a - 2 * b;
    gradient[i + 1] += 200 * a;
  }
  return { value, gradient };
};

function quadratic(a: number[][], b: number[]): Objective {
  return (x) => {
    const ax = a.map((row) => row.reduce((sum, v, j) => sum + v * x[j], 0));
    const value = ax.reduce((sum, v, i) => sum + 0.5 * v * x[i] - b[i] * x[i], 0);
    return { value, gradient: Float64Array.from(ax, (v, i) => v - b[i]) };
  };
}

const beale: Objective = (p) => {
  const [x, y] = p;
  const t1 = 1.5 - x + x * y;
  const t2 = 2.25 - x + x * y ** 2;
  const t3 = 2.625 - x + x * y ** 3;
  return {
    value: t1 ** 2 + t2 ** 2 + t3 ** 2,
    gradient: Float64Array.of(
      2 * t1 * (y - 1) + 2 * t2 * (y ** 2 - 1) + 2 * t3 * (y ** 3 - 1),
      2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y ** 2,
    ),
  };
};

const tight: LbfgsbOptions = { gradientTolerance: 1e-12, relativeTolerance: 0 };

/** Checks the KKT conditions of a box-constrained minimum: free gradients vanish, bound ones push out. */
function assertKkt(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  tol: number,
): void {
  for (let i = 0; i < x.length; i++) {
    assert.ok(x[i] >= lower[i] && x[i] <= upper[i], `x[${i}] = ${x[i]} outside the box`);
    if (lower[i] === upper[i]) continue;
    if (x[i] === lower[i]) assert.ok(g[i] >= -tol, `g[${i}] = ${g[i]} at the lower bound`);
    else if (x[i] === upper[i]) assert.ok(g[i] <= tol, `g[${i}] = ${g[i]} at the upper bound`);
    else assert.ok(Math.abs(g[i]) <= tol, `g[${i}] = ${g[i]} at a free variable`);
  }
}

Deno.test("lbfgsb: Rosenbrock from (−1.2, 1) converges to (1, 1)", () => {
  for (const options of [undefined, tight]) {
    const result = lbfgsb(rosenbrock, Float64Array.of(-1.2, 1), options);
    assert.ok(result.converged, result.message);
    assert.ok(Math.abs(result.x[0] - 1) < 1e-6 && Math.abs(result.x[1] - 1) < 1e-6, `${result.x}`);
    assert.ok(result.value < 1e-12);
  }
  const precise = lbfgsb(rosenbrock, Float64Array.of(-1.2, 1), tight);
  assert.ok(Math.abs(precise.x[0] - 1) < 1e-10 && Math.abs(precise.x[1] - 1) < 1e-10);
});

Deno.test("lbfgsb: 20-dimensional Rosenbrock converges to the all-ones point", () => {
  const x0 = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
  const result = lbfgsb(rosenbrock, x0, tight);
  assert.ok(result.converged, result.message);
  for (const v of result.x) assert.ok(Math.abs(v - 1) < 1e-7, `${result.x}`);
});

Deno.test("lbfgsb: bound-active quadratic has the known KKT solution", () => {
  // (x − 3)² + (y + 1)² + (z − 0.5)² with x ≤ 2, y ≥ 0, z free: solution (2, 0, 0.5)
  const f: Objective = (p) => ({
    value: (p[0] - 3) ** 2 + (p[1] + 1) ** 2 + (p[2] - 0.5) ** 2,
    gradient: Float64Array.of(2 * (p[0] - 3), 2 * (p[1] + 1), 2 * (p[2] - 0.5)),
  });
  const lower = Float64Array.of(-Infinity, 0, -Infinity);
  const upper = Float64Array.of(2, Infinity, Infinity);
  const result = lbfgsb(f, Float64Array.of(-5, 7, 4), { lower, upper });
  assert.ok(result.converged, result.message);
  assert.deepEqual(Array.from(result.x.subarray(0, 2)), [2, 0]);
  assert.ok(Math.abs(result.x[2] - 0.5) < 1e-8);
  assert.deepEqual(Array.from(result.gradient.subarray(0, 2)), [-2, 2]);
  assertKkt(result.x, result.gradient, lower, upper, 1e-8);
});

Deno.test("lbfgsb: coupled quadratic with an active bound matches the hand-solved KKT point", () => {
  // f = x² + xy + y² − 3x with x ≤ 1: the free minimum (2, −1) violates x ≤ 1; with x = 1,
  // ∂f/∂y = 1 + 2y = 0 → y = −0.5, and ∂f/∂x = 2 − 0.5 − 3 = −1.5 < 0 (pushes against the bound).
  const f = quadratic([[2, 1], [1, 2]], [3, 0]);
  const upper = Float64Array.of(1, Infinity);
  const result = lbfgsb(f, Float64Array.of(0, 0), { upper, ...tight });
  assert.equal(result.x[0], 1);
  assert.ok(Math.abs(result.x[1] + 0.5) < 1e-10);
  assert.ok(Math.abs(result.gradient[0] + 1.5) < 1e-10);
});

Deno.test("lbfgsb: a start outside the box is projected; the result stays inside", () => {
  const lower = Float64Array.of(-1, -1);
  const upper = Float64Array.of(0.5, 0.5);
  const result = lbfgsb(rosenbrock, Float64Array.of(10, -10), { lower, upper, ...tight });
  for (let i = 0; i < 2; i++) assert.ok(result.x[i] >= -1 && result.x[i] <= 0.5);
  assert.equal(result.x[0], 0.5);
  assert.ok(Math.abs(result.x[1] - 0.25) < 1e-9); // y = x² at the bound x = 0.5
  assertKkt(result.x, result.gradient, lower, upper, 1e-8);
});

Deno.test("lbfgsb: zero-width bounds keep a variable fixed", () => {
  const lower = Float64Array.of(-5, 0.7, -5);
  const upper = Float64Array.of(5, 0.7, 5);
  const result = lbfgsb(rosenbrock, Float64Array.of(0, 3, 0), { lower, upper, ...tight });
  assert.equal(result.x[1], 0.7);
  assert.ok(result.converged, result.message);
  assertKkt(result.x, result.gradient, lower, upper, 1e-8);
  // the free neighbours solve their own problems given x₁ = 0.7
  const free = lbfgsb(
    (p) => {
      const full = rosenbrock(Float64Array.of(p[0], 0.7, p[1]));
      return { value: full.value, gradient: Float64Array.of(full.gradient[0], full.gradient[2]) };
    },
    Float64Array.of(0, 0),
    { lower: Float64Array.of(-5, -5), upper: Float64Array.of(5, 5), ...tight },
  );
  assert.ok(Math.abs(free.value - result.value) < 1e-12);
});

Deno.test("lbfgsb: backtracks out of non-finite objective values", () => {
  // exp(x) − 50x is minimised at ln 50 ≈ 3.91; beyond x = 4.5 the objective is undefined (or
  // infinite), and the first trial step (unit length from x = 3.6) lands there.
  let nonFinite = 0;
  const f: Objective = (p) => {
    if (p[0] > 4.5) {
      nonFinite++;
      return { value: p[0] > 10 ? Infinity : NaN, gradient: Float64Array.of(NaN) };
    }
    return { value: Math.exp(p[0]) - 50 * p[0], gradient: Float64Array.of(Math.exp(p[0]) - 50) };
  };
  for (const start of [3.6, -20]) {
    nonFinite = 0;
    const result = lbfgsb(f, Float64Array.of(start), { gradientTolerance: 1e-8 });
    assert.ok(nonFinite > 0, "the test must reach the undefined region");
    assert.ok(result.converged, result.message);
    assert.ok(Math.abs(result.x[0] - Math.log(50)) < 1e-8);
  }
});

Deno.test("lbfgsb: a non-finite start ends the run unconverged without throwing", () => {
  const result = lbfgsb(
    (p) => ({ value: Math.log(p[0]), gradient: Float64Array.of(1 / p[0]) }),
    Float64Array.of(-1),
  );
  assert.equal(result.converged, false);
  assert.equal(result.evaluations, 1);
  assert.match(result.message, /not finite/);
});

Deno.test("lbfgsb: iteration and evaluation budgets are respected", () => {
  const byIterations = lbfgsb(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3 });
  assert.equal(byIterations.iterations, 3);
  assert.equal(byIterations.converged, false);
  assert.match(byIterations.message, /maxIterations/);
  const byEvaluations = lbfgsb(rosenbrock, Float64Array.of(-1.2, 1), { maxEvaluations: 7 });
  assert.ok(byEvaluations.evaluations <= 7);
  assert.equal(byEvaluations.converged, false);
  assert.ok(byEvaluations.value < rosenbrock(Float64Array.of(-1.2, 1)).value);
});

Deno.test("lbfgsb: a line search cut short by its evaluations is never reported as convergence", () => {
  // The budget ends inside the first line search, whose tiny step passes the relative test.
  const far: Objective = (p) => ({
    value: (p[0] - 1e9) ** 2,
    gradient: Float64Array.of(2 * (p[0] - 1e9)),
  });
  const cut = lbfgsb(far, Float64Array.of(0), { maxEvaluations: 2 });
  assert.equal(cut.evaluations, 2);
  assert.equal(cut.converged, false);
  assert.equal(cut.message, "maxEvaluations reached");
  // An unbounded linear objective spends the budget; it does not converge.
  const linear = lbfgsb(
    (p) => ({ value: -p[0], gradient: Float64Array.of(-1) }),
    Float64Array.of(0),
  );
  assert.equal(linear.converged, false);
  assert.equal(linear.message, "maxEvaluations reached");
  // Next to a region where the objective is NaN (x0 > 0.6) the line searches use all their
  // evaluations backtracking; the point stopped at is not stationary (its x1 gradient is not 0).
  const wall: Objective = (p) =>
    p[0] > 0.6 ? { value: NaN, gradient: Float64Array.of(NaN, NaN) } : {
      value: (p[0] - 0.8) ** 2 + (p[1] - 0.5) ** 2,
      gradient: Float64Array.of(2 * (p[0] - 0.8), 2 * (p[1] - 0.5)),
    };
  const stuck = lbfgsb(wall, Float64Array.of(0.1, 0.9), {
    lower: Float64Array.of(0, 0),
    upper: Float64Array.of(1, 1),
  });
  assert.ok(stuck.x[0] <= 0.6 && Math.abs(stuck.gradient[1]) > 1e-3);
  assert.equal(stuck.converged, false);
  assert.match(stuck.message, /line search ran out of evaluations/);
});

Deno.test("lbfgsb: steps after the first may reach the box's edge while the memory is empty (as scipy)", () => {
  // Linear and concave objectives never store a curvature pair (sᵀy ≤ 0); scipy's L-BFGS-B caps
  // only the first step at 1 in a box, and reaches the far bound in 2 iterations.
  const cases: [Objective, number, number, number][] = [
    [(p) => ({ value: -p[0], gradient: Float64Array.of(-1) }), 0, 0, 100],
    [(p) => ({ value: -p[0] * p[0], gradient: Float64Array.of(-2 * p[0]) }), 0.1, -1, 10],
  ];
  for (const [f, x0, lower, upper] of cases) {
    const result = lbfgsb(f, Float64Array.of(x0), {
      lower: Float64Array.of(lower),
      upper: Float64Array.of(upper),
    });
    assert.equal(result.x[0], upper);
    assert.ok(result.converged, result.message);
    assert.ok(result.iterations <= 3, `${result.iterations} iterations`);
  }
  // A shallow linear acquisition over the unit cube: its maximum is the corner (1, …, 1).
  const d = 5;
  const result = lbfgsb(
    (p) => ({
      value: -1e-4 * p.reduce((a, b) => a + b, 0),
      gradient: new Float64Array(d).fill(-1e-4),
    }),
    new Float64Array(d).fill(0.5),
    { lower: new Float64Array(d), upper: new Float64Array(d).fill(1) },
  );
  assert.deepEqual(Array.from(result.x), new Array(d).fill(1));
});

Deno.test("lbfgsb: the objective cannot alias the iterate", () => {
  const result = lbfgsb((p) => {
    const out = { value: (p[0] - 1) ** 2, gradient: Float64Array.of(2 * (p[0] - 1)) };
    p[0] = 1e6; // scribbling on the argument must not change the optimiser's state
    return out;
  }, Float64Array.of(5));
  assert.ok(Math.abs(result.x[0] - 1) < 1e-6);
});

interface Fixture {
  scipy: string;
  problems: {
    name: string;
    kind: "rosenbrock" | "quadratic" | "beale";
    A?: number[][];
    b?: number[];
    x0: number[];
    lower: (number | null)[];
    upper: (number | null)[];
    x: number[];
    fun: number;
    defaultFun: number;
    defaultNit: number;
    defaultNfev: number;
  }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/optim_lbfgsb_scipy.json", import.meta.url), "utf8"),
);

for (const problem of fixture.problems) {
  Deno.test(`lbfgsb: matches scipy ${fixture.scipy} L-BFGS-B on ${problem.name}`, () => {
    const f = problem.kind === "rosenbrock"
      ? rosenbrock
      : problem.kind === "beale"
      ? beale
      : quadratic(problem.A!, problem.b!);
    const lower = Float64Array.from(problem.lower, (v) => v ?? -Infinity);
    const upper = Float64Array.from(problem.upper, (v) => v ?? Infinity);
    const x0 = Float64Array.from(problem.x0);
    const precise = lbfgsb(f, x0, { lower, upper, ...tight, maxIterations: 10000 });
    assert.ok(
      precise.value <= problem.fun + 1e-10 * (1 + Math.abs(problem.fun)),
      `${precise.value} vs scipy ${problem.fun}`,
    );
    problem.x.forEach((v, i) => assert.ok(Math.abs(precise.x[i] - v) < 1e-6, `x[${i}]`));
    assertKkt(precise.x, precise.gradient, lower, upper, 1e-6);

    const usual = lbfgsb(f, x0, { lower, upper });
    assert.ok(usual.converged, usual.message);
    assert.ok(
      usual.value <= problem.defaultFun + 1e-6 * (1 + Math.abs(problem.defaultFun)),
      `${usual.value} vs scipy ${problem.defaultFun}`,
    );
    // comparable efficiency: no more than twice scipy's evaluations (plus a small constant)
    assert.ok(usual.evaluations <= 2 * problem.defaultNfev + 5, `${usual.evaluations} evaluations`);
  });
}

Deno.test("lbfgsb: bad inputs throw errors that name the field", () => {
  const f = rosenbrock;
  const x0 = Float64Array.of(0, 0);
  assert.throws(() => lbfgsb(f, Float64Array.of(0, NaN)), /x0\[1\]: must not be NaN/);
  assert.throws(() => lbfgsb(f, new Float64Array(0)), /x0: must have at least one entry/);
  assert.throws(() => lbfgsb(f, Float64Array.of(0, Infinity)), /x0\[1\]: must be finite/);
  assert.equal(
    lbfgsb(f, Float64Array.of(0, Infinity), { upper: Float64Array.of(Infinity, 2) }).converged,
    true,
  );
  assert.throws(() => lbfgsb(f, [0, 0] as unknown as Float64Array), /x0: must be a Float64Array/);
  assert.throws(
    () => lbfgsb(f, x0, { lower: Float64Array.of(0) }),
    /options\.lower: length 1 does not match x0 length 2/,
  );
  assert.throws(
    () => lbfgsb(f, x0, { lower: Float64Array.of(0, 2), upper: Float64Array.of(1, 1) }),
    /options\.lower\[1\]: must be <= options\.upper\[1\]/,
  );
  assert.throws(
    () => lbfgsb(f, x0, { upper: Float64Array.of(1, NaN) }),
    /options\.upper\[1\]: must not be NaN/,
  );
  assert.throws(() => lbfgsb(f, x0, { memory: 0 }), /options\.memory: must be a positive integer/);
  assert.throws(
    () => lbfgsb(f, x0, { maxIterations: 1.5 }),
    /options\.maxIterations: must be a positive integer/,
  );
  assert.throws(() => lbfgsb(f, x0, { gradientTolerance: -1 }), /options\.gradientTolerance/);
  assert.throws(() => lbfgsb(f, x0, { tolerance: 1 } as LbfgsbOptions), /options/);
  assert.throws(
    () => lbfgsb(() => ({ value: 0, gradient: new Float64Array(3) }), x0),
    /gradient of length 2/,
  );
  assert.throws(() => lbfgsb(null as unknown as Objective, x0), /objective: must be a function/);
});
