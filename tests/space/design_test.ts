import assert from "node:assert/strict";
import {
  budgetedDesignSize,
  categorical,
  defineSpace,
  DESIGN_DEFAULTS,
  fixed,
  float,
  initialDesign,
  int,
  searchedParameters,
  unitCube,
  unitCubeDesign,
  when,
} from "../../lib/space/mod.ts";
import { Rng } from "../../lib/random/rng.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { smac } from "../../lib/smbo/presets.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { syntheticFunctions } from "../../lib/tasks/synthetic/mod.ts";

Deno.test("default design size counts parameters: a categorical once, fixed ones not", () => {
  const mixed = defineSpace({
    a: float(0, 1),
    b: float(0, 1, { log: false }),
    k: int(1, 8),
    act: categorical(["relu", "tanh", "gelu"]),
    epochs: fixed(3),
  });
  assert.equal(mixed.dim, 6);
  assert.equal(searchedParameters(mixed), 4);
  assert.equal(DESIGN_DEFAULTS.size(mixed), 9); // was max(5, 2·6 + 1) = 13
  const wide = defineSpace({ c: categorical(Array.from({ length: 40 }, (_, i) => `c${i}`)) });
  assert.equal(DESIGN_DEFAULTS.size(wide), 5); // was 81
  assert.equal(DESIGN_DEFAULTS.size(defineSpace({ e: fixed(1) })), 5);
  // A number is a parameter count; a space-like object without params counts its dimension.
  assert.equal(DESIGN_DEFAULTS.size(7), 15);
  assert.equal(DESIGN_DEFAULTS.size({ dim: 3 }), 7);
});

Deno.test("numeric spaces keep max(5, 2·dim + 1): synthetic functions draw the same designs", () => {
  for (const [name, fn] of Object.entries(syntheticFunctions)) {
    const old = Math.max(5, 2 * fn.space.dim + 1);
    assert.equal(DESIGN_DEFAULTS.size(fn.space), old, name);
    const byDefault = new SMBO(fn.space, { seed: 4, proposer: randomSearch() });
    const explicit = new SMBO(fn.space, {
      seed: 4,
      proposer: randomSearch(),
      initialDesignSize: old,
    });
    assert.deepEqual(
      byDefault.ask(old + 1).map((t) => t.params),
      explicit.ask(old + 1).map((t) => t.params),
      name,
    );
  }
  assert.equal(DESIGN_DEFAULTS.size(unitCube(6)), 13);
});

const keys = (points: readonly Float64Array[]) => points.map((u) => u.join(","));

Deno.test("initialDesign: a small discrete space gets distinct configurations (3 × 4 × 2, 7 points, seed 3)", async () => {
  const space = defineSpace({
    a: categorical(["x", "y", "z"]),
    b: categorical([1, 2, 3, 4]),
    c: categorical([true, false]),
  });
  // Through minimize: a design of 7 points (given: the default for a budget of 7 is 5), 7
  // distinct configurations.
  for (const proposer of [smac(), undefined]) {
    const f = (p: { a: string; b: number; c: boolean }) => (p.a === "y" ? 0 : 1) + p.b;
    const result = await minimize(f, space, { budget: 7, seed: 3, proposer, initialDesignSize: 7 });
    assert.ok(result.trials.every((t) => t.source === "initial"));
    assert.equal(new Set(result.trials.map((t) => JSON.stringify(t.params))).size, 7);
  }
  // Directly (a study spawns its design's rng from its seed): the Sobol points repeated two
  // configurations; only those two points change.
  const plain = initialDesign(space, 7, new Rng(3).spawn(), "sobol", "d", { distinct: false });
  const distinct = initialDesign(space, 7, new Rng(3).spawn());
  assert.equal(new Set(keys(plain)).size, 5);
  assert.equal(new Set(keys(distinct)).size, 7);
  const changed = distinct.flatMap((u, i) => (u.join() === plain[i].join() ? [] : [i]));
  assert.deepEqual(changed, [4, 5]);
  // Seeded: the same rng gives the same design; every method gives distinct points.
  assert.deepEqual(initialDesign(space, 7, new Rng(3).spawn()), distinct);
  for (const method of ["sobol", "lhs", "uniform"] as const) {
    for (let seed = 0; seed < 10; seed++) {
      const points = initialDesign(space, 12, new Rng(seed), method);
      assert.equal(new Set(keys(points)).size, 12, `${method} seed ${seed}`);
      for (const u of points) assert.deepEqual(space.project(u), u);
    }
  }
  // Integer grids and conditional spaces too.
  const grid = defineSpace({ a: int(1, 3), b: int(1, 3) });
  const cond = defineSpace({
    m: categorical(["a", "b", "c", "d"]),
    k: when({ m: "a" }, int(1, 50)),
    j: int(1, 6),
  });
  for (let seed = 0; seed < 20; seed++) {
    assert.equal(new Set(keys(initialDesign(grid, 5, new Rng(seed)))).size, 5, `grid ${seed}`);
    assert.equal(new Set(keys(initialDesign(cond, 5, new Rng(seed)))).size, 5, `cond ${seed}`);
  }
});

Deno.test("initialDesign: repeats are kept only when the space has fewer configurations", () => {
  const tiny = defineSpace({ a: int(1, 2), b: categorical(["x", "y"]) }); // 4 configurations
  const points = initialDesign(tiny, 6, new Rng(1));
  assert.equal(points.length, 6);
  assert.equal(new Set(keys(points.slice(0, 4))).size, 4);
  assert.equal(new Set(keys(points)).size, 4);
  // Excluded (already evaluated) configurations are not drawn again while others remain.
  const exclude = [tiny.encode({ a: 1, b: "x" }), tiny.encode({ a: 2, b: "y" })];
  const rest = initialDesign(tiny, 2, new Rng(1), "sobol", "d", { exclude });
  assert.equal(new Set([...keys(rest), ...keys(exclude)]).size, 4);
  assert.throws(
    () => initialDesign(tiny, 2, new Rng(1), "sobol", "d", { exclude: [new Float64Array(1)] }),
    /d\.options\.exclude\[0\]: expected 3 coordinates, got 1/,
  );
  assert.throws(
    () =>
      initialDesign(tiny, 2, new Rng(1), "sobol", "d", { exclude: [Float64Array.of(0, NaN, 1)] }),
    /d\.options\.exclude\[0\]\[1\]: must be finite, got NaN/,
  );
  assert.throws(
    () => initialDesign(tiny, 2, new Rng(1), "sobol", "d", { distinct: 1 } as never),
    /d\.options\.distinct/,
  );
});

Deno.test("initialDesign: a space with a continuous parameter keeps exactly its projected Sobol, LHS or uniform points", () => {
  const spaces = [
    defineSpace({ x: float(0, 1), y: float(-2, 2) }),
    defineSpace({ x: float(1e-4, 1, { log: true }), k: int(1, 2), c: categorical(["a", "b"]) }),
  ];
  for (const space of spaces) {
    for (const method of ["sobol", "lhs", "uniform"] as const) {
      for (let seed = 0; seed < 5; seed++) {
        const n = 40;
        const raw = unitCubeDesign(n, space.dim, new Rng(seed), method);
        const design = initialDesign(space, n, new Rng(seed), method);
        assert.deepEqual(design, raw.map((u) => space.project(u)), `${method} seed ${seed}`);
      }
    }
  }
});

Deno.test("budgetedDesignSize: the capped default design; a budget that is not a positive integer is an error naming it", () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  assert.equal(budgetedDesignSize(space, 50), 5);
  assert.equal(budgetedDesignSize(13, 30), 15);
  assert.equal(budgetedDesignSize(space, 3), 3);
  assert.equal(budgetedDesignSize(space, 1), 1);
  for (const budget of [-4, 0, 2.5, NaN, Infinity, "3"]) {
    assert.throws(
      () => budgetedDesignSize(space, budget as number),
      (e: unknown) =>
        e instanceof TypeError && e.message.startsWith("budgetedDesignSize: budget: "),
      String(budget),
    );
  }
});
