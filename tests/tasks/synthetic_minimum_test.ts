import assert from "node:assert/strict";
import { defineSynthetic, syntheticFunctions } from "../../lib/tasks/synthetic/mod.ts";

const sphere = (minimum: number) => ({
  name: "sphere",
  bounds: [[-1, 1], [-1, 1]] as [number, number][],
  minimum,
  minimizersInDomain: [[0, 0]],
  f: (x: Float64Array) => x[0] ** 2 + x[1] ** 2 + 2,
});

Deno.test("defineSynthetic refuses a minimum that is not f at the stated minimiser, naming minimum", () => {
  assert.throws(() => defineSynthetic(sphere(1)), {
    name: "TypeError",
    message:
      "defineSynthetic.minimum: must be f at minimizersInDomain[0], which is 2 (to a relative 1e-6), got 1",
  });
  assert.throws(
    () => defineSynthetic({ ...sphere(0), f: () => NaN }),
    /defineSynthetic\.minimum: must be f at minimizersInDomain\[0\], which is NaN/,
  );
});

Deno.test("defineSynthetic takes a minimum given to the digits known (relative 1e-6)", () => {
  assert.equal(defineSynthetic(sphere(2 + 1e-7)).minimum, 2 + 1e-7);
  for (const fn of Object.values(syntheticFunctions)) {
    for (const u of fn.minimizers) {
      assert.ok(Math.abs(fn.evaluate(u) - fn.minimum) <= 1e-6 * Math.max(1, Math.abs(fn.minimum)));
    }
  }
});
