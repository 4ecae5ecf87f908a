/**
 * What an ask of random search costs does not grow with the study: `SMBO` keeps its proposer's
 * inputs, its best trial and its pool count up to date as trials are told, and `minimize` counts
 * the study's trials without copying them. Checked without timing: by the lists of every trial
 * that an ask walks, seen through spies on the built-in iterators.
 */
import assert from "node:assert/strict";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(-1, 1), n: int(1, 5), c: categorical(["a", "b", "c"]) });
const objective = (p: { x: number; n: number }) => p.x ** 2 + p.n;

/**
 * Runs `fn` with spies on the array methods that walk a whole list (`for … of`, spreading,
 * `map`, `filter`, `flatMap`, `forEach`, `reduce`, `every`, `some`, `find`, `findIndex`), and
 * returns how many calls walked an array of at least `length` elements.
 */
function walksOfArrays(length: number, fn: () => void): number {
  const proto = Array.prototype as unknown as Record<PropertyKey, unknown>;
  const names: PropertyKey[] = [
    Symbol.iterator,
    "map",
    "filter",
    "flatMap",
    "forEach",
    "reduce",
    "every",
    "some",
    "find",
    "findIndex",
  ];
  const originals = names.map((name) => proto[name] as (...args: unknown[]) => unknown);
  let walks = 0;
  names.forEach((name, i) => {
    const original = originals[i];
    proto[name] = function (this: unknown[], ...args: unknown[]) {
      if (this.length >= length) walks++;
      return original.apply(this, args);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((name, i) => proto[name] = originals[i]);
  }
  return walks;
}

Deno.test("SMBO: ask, tell and best walk no list of every trial (random search)", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch(), initialDesignSize: 2 });
  for (let i = 0; i < 300; i++) {
    const trial = study.ask();
    study.tell(trial, i % 9 === 4 ? new Error("failed") : objective(trial.params));
  }
  const bests: number[] = [];
  const walks = walksOfArrays(300, () => {
    for (let i = 0; i < 20; i++) {
      const [a, b] = study.ask(2);
      study.tell(b, objective(b.params));
      study.tell(a, i % 4 === 0 ? NaN : objective(a.params));
      bests.push(study.best.value);
    }
  });
  assert.equal(walks, 0);
  // The incremental lists are the trials' own: the best is the first of the lowest.
  const trials = study.trials;
  const lowest = Math.min(...trials.filter((t) => t.status === "complete").map((t) => t.value!));
  assert.equal(study.best.trial, trials.find((t) => t.value === lowest));
  assert.equal(bests.at(-1), lowest);
});

Deno.test("SMBO: an ask that is taken back leaves the pool count and the pending points", () => {
  const candidates = Array.from({ length: 12 }, (_, i) => ({ x: i / 12, n: 1 + (i % 5), c: "a" }));
  let calls = 0;
  const flaky = {
    name: "flaky",
    propose: (context: Parameters<ReturnType<typeof randomSearch>["propose"]>[0], q: number) => {
      if (++calls === 2) throw new Error("flaky");
      return randomSearch().propose(context, q);
    },
  };
  const study = new SMBO(space, { seed: 1, proposer: flaky, candidates, initialDesignSize: 2 });
  study.tell(study.ask(), 1);
  study.tell(study.ask(), 2);
  study.ask(); // the first proposal (pending)
  assert.equal(study.remaining, 9);
  assert.throws(() => study.ask(2), /flaky/);
  assert.equal(study.remaining, 9);
  assert.equal(study.trials.length, 3);
  const again = study.ask(2);
  assert.equal(study.remaining, 7);
  assert.deepEqual(again.map((t) => t.id), [3, 4]);
});

Deno.test("minimize reads its study's trials once, not on every trial", async () => {
  const descriptor = Object.getOwnPropertyDescriptor(SMBO.prototype, "trials")!;
  let reads = 0;
  Object.defineProperty(SMBO.prototype, "trials", {
    ...descriptor,
    get() {
      reads++;
      return descriptor.get!.call(this);
    },
  });
  try {
    const result = await minimize(objective, space, {
      budget: 40,
      seed: 0,
      proposer: randomSearch(),
    });
    assert.equal(result.trials.length, 40);
  } finally {
    Object.defineProperty(SMBO.prototype, "trials", descriptor);
  }
  assert.equal(reads, 1); // the result's
});
