import assert from "node:assert/strict";
import {
  categorical,
  defineSpace,
  DESIGN_DEFAULTS,
  fixed,
  float,
  int,
  searchedParameters,
  unitCube,
} from "../../lib/space/mod.ts";
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
