/**
 * The one-exchange neighbourhood of a parameter on a grid lists distinct grid values: the values
 * it has taken are compared as the codec decodes them, not as current ± step computes them in
 * floats.
 */
import assert from "node:assert/strict";
import { oneExchangeNeighbourhood } from "../../lib/acquisition/local_search.ts";
import { Rng } from "../../lib/random/rng.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";

Deno.test("oneExchangeNeighbourhood: a float grid's neighbours are distinct decoded values", () => {
  const spaces = [
    defineSpace({ g: float(0, 1, { step: 0.1 }) }),
    defineSpace({ g: float(-1, 2, { step: 0.3 }) }),
    defineSpace({ g: float(0, 0.7, { step: 0.07 }) }),
  ];
  for (const space of spaces) {
    const points = space.sampleEncoded(8, new Rng(1), "uniform");
    if (space === spaces[0]) points.push(space.encode({ g: 0.3 }));
    for (const u of points) {
      const g = space.decode(u).g;
      for (let seed = 0; seed < 100; seed++) {
        const decoded = oneExchangeNeighbourhood(u, space, new Rng(seed)).map((n) =>
          space.decode(n).g
        );
        assert.equal(
          new Set(decoded).size,
          decoded.length,
          `g = ${g}, seed ${seed}: ${decoded.join(", ")}`,
        );
        assert.ok(!decoded.includes(g), `g = ${g}, seed ${seed}: the point itself`);
      }
    }
  }
});

Deno.test("oneExchangeNeighbourhood: an integer's neighbours are distinct values", () => {
  const space = defineSpace({ n: int(1, 20), m: int(2, 64, { log: true }) });
  for (let seed = 0; seed < 100; seed++) {
    const u = space.sampleEncoded(1, new Rng(seed), "uniform")[0];
    const point = space.decode(u);
    const decoded = oneExchangeNeighbourhood(u, space, new Rng(seed)).map((v) => space.decode(v));
    for (const name of ["n", "m"] as const) {
      const moved = decoded.filter((c) => c[name] !== point[name]).map((c) => c[name]);
      assert.equal(new Set(moved).size, moved.length, `seed ${seed}, ${name}: ${moved}`);
    }
  }
});
