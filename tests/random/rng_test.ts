import assert from "node:assert/strict";
import { fnv1a32, Rng } from "../../lib/random/rng.ts";

Deno.test("fnv1a32: the published FNV-1a test vectors", () => {
  assert.equal(fnv1a32(""), 0x811c9dc5);
  assert.equal(fnv1a32("a"), 0xe40c292c);
  assert.equal(fnv1a32("foobar"), 0xbf9cf968);
});

Deno.test("Rng.stream: a named stream depends on the seed and the name only", () => {
  const draw = (rng: Rng) => Array.from({ length: 5 }, () => rng.uniform());
  // the same (seed, name) gives the same numbers, whichever streams were drawn before
  const first = draw(Rng.stream(3, "task-a"));
  draw(Rng.stream(3, "task-b"));
  assert.deepEqual(draw(Rng.stream(3, "task-a")), first);
  // it is the generator seeded by the hash of "seed:name"
  assert.deepEqual(draw(new Rng(fnv1a32("3:task-a"))), first);
  // another name or another seed gives another stream
  assert.notDeepEqual(draw(Rng.stream(3, "task-b")), first);
  assert.notDeepEqual(draw(Rng.stream(4, "task-a")), first);
  assert.throws(() => Rng.stream(NaN, "a"), /Rng\.stream seed must be a finite number/);
});
