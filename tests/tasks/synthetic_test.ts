import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Rng, sobol } from "../../lib/random/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import {
  ackley,
  branin,
  conditionalSwitch,
  conditionalSyntheticProblems,
  defineSynthetic,
  getSyntheticFunction,
  hartmann3,
  levy,
  rosenbrock,
  styblinskiTang,
  switchBH3H6,
  SYNTHETIC_MAX_DIM,
  syntheticFunctions,
} from "../../lib/tasks/synthetic/mod.ts";

interface SyntheticFixture {
  peerMinima: Record<string, number>;
  functions: Record<string, { points: number[][]; values: number[] }>;
}

const fixture: SyntheticFixture = JSON.parse(
  readFileSync(new URL("../fixtures/synthetic_peers.json", import.meta.url), "utf8"),
);

Deno.test("synthetic: the registry holds the eight functions with their dimensions", () => {
  assert.deepEqual(
    Object.fromEntries(Object.values(syntheticFunctions).map((f) => [f.name, f.dim])),
    {
      branin: 2,
      hartmann3: 3,
      hartmann6: 6,
      ackley5: 5,
      levy4: 4,
      rosenbrock4: 4,
      "styblinski-tang4": 4,
      "goldstein-price": 2,
    },
  );
  for (const [name, f] of Object.entries(syntheticFunctions)) {
    assert.equal(f.name, name);
    assert.equal(getSyntheticFunction(name), f);
    assert.equal(f.space.dim, f.dim);
    assert.equal(f.bounds.length, f.dim);
  }
});

Deno.test("synthetic: a function's space has number parameters, so an objective reads them as such", async () => {
  const result = await minimize((p) => branin.evaluate([p.x0, p.x1]), branin.space, {
    budget: 3,
    seed: 0,
  });
  const x0: number = result.best.params.x0;
  assert.ok(x0 >= 0 && x0 <= 1);
});

Deno.test("synthetic: values agree with the Python peer definitions", () => {
  for (const [name, { points, values }] of Object.entries(fixture.functions)) {
    const f = getSyntheticFunction(name);
    points.forEach((p, i) => {
      const ours = f.evaluate(Float64Array.from(p));
      const tolerance = 1e-12 * Math.max(1, Math.abs(values[i]));
      assert.ok(
        Math.abs(ours - values[i]) <= tolerance,
        `${name} at ${p}: ${ours} vs ${values[i]}`,
      );
    });
  }
});

Deno.test("synthetic: the minimisers attain the stated minimum", () => {
  for (const f of Object.values(syntheticFunctions)) {
    assert.ok(f.minimizers.length >= 1);
    for (const x of f.minimizers) {
      assert.equal(x.length, f.dim);
      assert.ok(Math.abs(f.evaluate(x) - f.minimum) <= 1e-12, `${f.name}: ${f.evaluate(x)}`);
    }
  }
  // The peers round their minima; ours agree to the digits they give.
  for (const [name, peerMinimum] of Object.entries(fixture.peerMinima)) {
    assert.ok(Math.abs(syntheticFunctions[name].minimum - peerMinimum) < 5e-6, name);
  }
  assert.equal(styblinskiTang(3).minimum, 3 * styblinskiTang(1).minimum);
});

Deno.test("synthetic: minimisers are local minima and nothing on a Sobol net goes below", () => {
  for (const f of Object.values(syntheticFunctions)) {
    for (const x of f.minimizers) {
      for (let i = 0; i < f.dim; i++) {
        for (const h of [-1e-4, 1e-4]) {
          const y = x.slice();
          y[i] = Math.min(1, Math.max(0, y[i] + h));
          assert.ok(f.evaluate(y) >= f.minimum - 1e-12, `${f.name} coordinate ${i} step ${h}`);
        }
      }
    }
    for (const u of sobol(4096, f.dim, { rng: new Rng(0) })) {
      assert.ok(f.evaluate(u) >= f.minimum - 1e-12, `${f.name} at ${u}`);
    }
  }
});

Deno.test("synthetic: known values at hand-computed points", () => {
  // Goldstein–Price at the origin: (1 + 1·19)(30 + 0) = 600.
  assert.equal(syntheticFunctions["goldstein-price"].evaluate(Float64Array.of(0.5, 0.5)), 600);
  // Rosenbrock at x = 0: (0 - 1)^2 per term.
  assert.equal(rosenbrock(3).evaluate(new Float64Array(3).fill(1 / 3)), 2);
  // Branin at (0, 0): (−6)^2 + 10(1 − 1/(8π)) + 10.
  const b = syntheticFunctions.branin.evaluate(Float64Array.of(1 / 3, 0));
  assert.ok(Math.abs(b - (36 + 10 * (1 - 1 / (8 * Math.PI)) + 10)) < 1e-12);
  // Ackley at a corner: x = −32.768 in every coordinate.
  const a = ackley(2).evaluate(Float64Array.of(0, 0));
  const expected = -20 * Math.exp(-0.2 * 32.768) - Math.exp(Math.cos(2 * Math.PI * 32.768)) + 20 +
    Math.E;
  assert.ok(Math.abs(a - expected) < 1e-12);
});

Deno.test("synthetic: the unit-cube space encodes to the evaluation point", () => {
  const f = syntheticFunctions.hartmann6;
  const [params] = f.space.sample(1, new Rng(2));
  const u = f.space.encode(params);
  assert.deepEqual(Array.from(u), f.space.names.map((n) => params[n] as number));
  assert.equal(f.evaluate(u), f.evaluate(Float64Array.from(Object.values(params) as number[])));
});

Deno.test("synthetic: families and getSyntheticFunction", () => {
  assert.equal(getSyntheticFunction("ackley10").dim, 10);
  assert.equal(getSyntheticFunction("styblinski-tang3").name, "styblinski-tang3");
  assert.equal(levy(6).minimizers[0].length, 6);
  assert.throws(() => getSyntheticFunction("sphere"), /unknown function "sphere"; known: branin/);
  assert.throws(() => getSyntheticFunction("hartmann4"), /unknown function "hartmann4"/);
  assert.throws(() => getSyntheticFunction("toString"), /unknown function "toString"/);
  assert.throws(() => getSyntheticFunction(""), /getSyntheticFunction\.name: must not be empty/);
  assert.throws(() => getSyntheticFunction(3 as never), /getSyntheticFunction\.name: /);
  assert.throws(() => getSyntheticFunction("rosenbrock1"), /rosenbrock\.dim: must be >= 2/);
  assert.throws(() => ackley(0), /ackley\.dim: must be >= 1/);
  assert.throws(() => levy(2.5), /levy\.dim: must be an integer/);
  assert.throws(() => styblinskiTang(-1), /styblinskiTang\.dim: /);
  // A huge dimension is refused at once, naming the argument (it once built a 1e9-long array).
  assert.throws(
    () => getSyntheticFunction("rosenbrock999999999"),
    /getSyntheticFunction\.name: "rosenbrock999999999" asks for dimension 999999999; rosenbrock is defined for dimensions up to 1111/,
  );
  assert.throws(() => ackley(SYNTHETIC_MAX_DIM + 1), /ackley\.dim: must be <= 1111/);
  assert.equal(getSyntheticFunction(`levy${SYNTHETIC_MAX_DIM}`).dim, SYNTHETIC_MAX_DIM);
});

Deno.test("synthetic: evaluate rejects points of the wrong length or outside the cube", () => {
  const f = syntheticFunctions.branin;
  assert.throws(
    () => f.evaluate(new Float64Array(3)),
    /branin\.evaluate\.u: must be an array of 2/,
  );
  assert.throws(
    () => f.evaluate(Float64Array.of(0.5, 1.5)),
    /branin\.evaluate\.u\.1: must be a number in \[0, 1\]/,
  );
  assert.throws(() => f.evaluate(Float64Array.of(-0.1, 0.5)), /branin\.evaluate\.u\.0: /);
  assert.throws(() => f.evaluate(Float64Array.of(Number.NaN, 0.5)), /branin\.evaluate\.u\.0: /);
  assert.throws(() => f.evaluate(null as never), /branin\.evaluate\.u: /);
  assert.equal(f.evaluate([1 / 3, 0]), f.evaluate(Float64Array.of(1 / 3, 0)));
});

Deno.test("defineSynthetic maps the unit cube onto the stated box", () => {
  const f = defineSynthetic({
    name: "shifted",
    bounds: [[-1, 3], [10, 20]],
    minimum: 0,
    minimizersInDomain: [[2, 15]],
    f: ([x, y]) => (x - 2) ** 2 + (y - 15) ** 2,
  });
  assert.deepEqual(Array.from(f.minimizers[0]), [0.75, 0.5]);
  assert.equal(f.evaluate(Float64Array.of(0, 1)), 9 + 25);
  assert.ok(Object.isFrozen(f));
});

Deno.test("defineSynthetic: a bad definition names the field", () => {
  const good = {
    name: "g",
    bounds: [[0, 1]] as [number, number][],
    minimum: 0,
    minimizersInDomain: [[0.5]],
    f: (x: Float64Array) => x[0],
  };
  const cases: [unknown, RegExp][] = [
    [{ ...good, name: "" }, /defineSynthetic\.name: must not be empty/],
    [{ ...good, bounds: [] }, /defineSynthetic\.bounds: must not be empty/],
    [{ ...good, bounds: [[1, 0]] }, /defineSynthetic\.bounds\[0\]: low must be < high/],
    [{ ...good, minimum: Number.NaN }, /defineSynthetic\.minimum: /],
    [
      { ...good, minimizersInDomain: [[2]] },
      /defineSynthetic\.minimizersInDomain\[0\]: must be a point/,
    ],
    [{ ...good, minimizersInDomain: [[0.5, 0.5]] }, /defineSynthetic\.minimizersInDomain\[0\]: /],
    [{ ...good, f: 3 }, /defineSynthetic\.f: must be a function/],
    [{ ...good, extra: 1 }, /defineSynthetic\.extra: unknown key/],
  ];
  for (const [definition, message] of cases) {
    assert.throws(() => defineSynthetic(definition as never), message);
  }
});

Deno.test("conditional switch: branches, offsets, known minimum, inactive parameters refused", () => {
  const p = switchBH3H6;
  assert.equal(p.space.conditional, true);
  assert.equal(p.space.dim, 3 + 2 + 3 + 6);
  assert.equal(p.minimum, 0);
  assert.equal(conditionalSyntheticProblems["switch-bh3h6"], p);
  for (const m of p.minimizers) {
    assert.equal(m.fn, "hartmann6");
    assert.ok(Math.abs(p.objective(m) - p.minimum) < 1e-6, `${p.objective(m)}`);
  }
  // Each branch's own optimum is its offset.
  for (const { fn, offset } of p.branches) {
    for (const u of fn.minimizers) {
      const config: Record<string, string | number> = { fn: fn.name };
      fn.bounds.forEach(([low, high], j) => config[`${fn.name}_x${j}`] = low + u[j] * (high - low));
      assert.ok(Math.abs(p.objective(config) - offset) < 1e-6, fn.name);
      assert.ok(Math.abs(p.evaluate(p.space.encode(config)) - offset) < 1e-6, fn.name);
    }
  }
  // Random configurations are never below the minimum; only active parameters are accepted.
  const rng = new Rng(0);
  for (const config of p.space.sample(64, rng)) {
    assert.ok(p.objective(config) >= p.minimum);
    assert.deepEqual(
      Object.keys(config).filter((k) => k !== "fn").every((k) => k.startsWith(`${config.fn}_`)),
      true,
    );
  }
  assert.throws(
    () => p.objective({ fn: "branin", branin_x0: 0, branin_x1: 0, hartmann3_x0: 0.5 }),
    /params\.hartmann3_x0: inactive \(requires fn = "hartmann3"\)/,
  );
  assert.throws(
    () => conditionalSwitch("s", [{ fn: branin, offset: 0 }]),
    /conditionalSwitch\.branches: must list at least two branches/,
  );
  assert.throws(
    () => conditionalSwitch("s", [{ fn: branin, offset: 0 }, { fn: branin, offset: 1 }]),
    /conditionalSwitch\.branches\[1\]\.fn: duplicate function "branin"/,
  );
  assert.throws(
    () => conditionalSwitch("s", [{ fn: branin, offset: NaN }, { fn: hartmann3, offset: 1 }]),
    /conditionalSwitch\.branches\[0\]\.offset/,
  );
});

Deno.test("conditional switch: minimize finds a good branch and never passes inactive parameters", async () => {
  const p = switchBH3H6;
  const result = await minimize((config) => p.objective(config), p.space, {
    budget: 24,
    seed: 0,
    initialDesignSize: 8,
    bayesOpt: { rawSamples: 128, restarts: 2 },
  });
  assert.equal(result.trials.filter((t) => t.status === "complete").length, 24);
  assert.ok(result.best.value - p.minimum < 1, `regret ${result.best.value - p.minimum}`);
});
