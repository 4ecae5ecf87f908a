/**
 * A storage of one's own (the exported `Storage` interface) whose method throws an error outside
 * the contract (an `Error("disk full")`, a thrown string): a stored study reports it as a
 * `StorageError` naming the storage and the method, the original as its `cause`, so that stored
 * `minimize` rejects with it as with a built-in storage's failure, never as a failed proposer.
 * The contract's own errors (`StorageError`, `TrialLostError`, a bad argument's `TypeError` or
 * `RangeError`) pass as they are.
 */
import assert from "node:assert/strict";
import {
  createStudy,
  openStorage,
  type Storage,
  StorageError,
  TrialLostError,
} from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1) });
const objective = (p: { x: number }) => (p.x - 0.3) ** 2;

/** `inner`, whose method `method` throws `make()` on its `nth` call (rejecting, or at once). */
function failing(
  inner: Storage,
  method: keyof Storage,
  nth: number,
  make: () => unknown,
  sync = false,
): Storage {
  let calls = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (prop === method && ++calls === nth) {
          if (sync) throw make();
          return Promise.reject(make());
        }
        return value.apply(target, args);
      };
    },
  });
}

Deno.test("stored minimize: a custom storage's plain error is a StorageError naming the method, not a proposer failure", async () => {
  const inner = await openStorage("memory:");
  try {
    const cases: [keyof Storage, number, unknown, boolean][] = [
      ["claim", 9, new Error("disk full"), false],
      ["claim", 9, "disk full", true],
      ["claim", 9, new TypeError("cannot read the journal"), false],
      ["trialsSince", 6, new Error("disk full"), false],
      ["getStudy", 3, new Error("disk full"), false],
      ["finish", 6, new Error("disk full"), false],
    ];
    for (const [i, [method, nth, original, sync]] of cases.entries()) {
      const storage = failing(inner, method, nth, () => original, sync);
      const error = await minimize(objective, space, {
        budget: 10,
        seed: 0,
        storage,
        study: `${i}`,
      })
        .then(() => undefined, (e) => e);
      assert.ok(error instanceof StorageError, `${method}: ${error}`);
      assert.equal(error.name, "StorageError");
      assert.match(
        error.message,
        new RegExp(`^storage memory:: ${method} failed: (disk full|cannot read the journal)$`),
      );
      assert.equal(error.cause, original, "the storage's own error is the cause");
    }
  } finally {
    await inner.close();
  }
});

Deno.test("a stored study passes the storage contract's own errors as they are", async () => {
  const inner = await openStorage("memory:");
  try {
    const lost = new TrialLostError("gone");
    const down = new StorageError("custom:", "unreachable");
    // A StorageError or TrialLostError of the storage is the error itself.
    const a = await createStudy({
      storage: failing(inner, "claim", 1, () => down),
      name: "a",
      space,
    });
    await assert.rejects(a.ask(), (e) => e === down);
    await a.close();
    const b = await createStudy({
      storage: failing(inner, "finish", 1, () => lost),
      name: "b",
      space,
    });
    await assert.rejects(b.tell(await b.ask(), 1), (e) => e === lost);
    await b.close();
    // Bad arguments of the caller: the built-in storage's TypeError and RangeError.
    const c = await createStudy({ storage: inner, name: "c", space });
    await assert.rejects(c.tell(7, 1), { name: "RangeError", message: /no trial with id 7/ });
    await assert.rejects(c.setUserAttr("k", NaN), { name: "TypeError" });
    await assert.rejects(c.failTrial(7), { name: "RangeError" });
    await c.close();
  } finally {
    await inner.close();
  }
});
