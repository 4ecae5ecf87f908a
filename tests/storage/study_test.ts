/**
 * Stored studies keep the guarantees of `SMBO` (they share its proposal code, option fields and
 * outcome handling): strict options, checked proposals, fixed-only spaces, owned and frozen
 * outcomes, objectives that get their own copy.
 */
import assert from "node:assert/strict";
import { createStudy, openStorage, TrialLostError } from "../../lib/storage/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { categorical, defineSpace, fixed, float } from "../../lib/space/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";

const space = defineSpace({ x: float(0, 1) });

Deno.test("stored studies: misspelled or bad options are errors naming the option", async () => {
  await assert.rejects(
    createStudy({ name: "a", space, seeed: 1 } as never),
    /createStudy options\.seeed: unknown key/,
  );
  await assert.rejects(
    createStudy({ name: "a", space, initialDesignSize: 200_000 }),
    /initialDesignSize: must be at most 100000/,
  );
  await assert.rejects(
    createStudy({ name: "a", space, proposer: randomSearch(), bayesOpt: {} }),
    /bayesOpt: configures the default proposer/,
  );
  await assert.rejects(
    createStudy({ name: "a", space: { dim: 1 } as never }),
    /createStudy options\.space: must be a search space/,
  );
  await assert.rejects(
    minimize(
      (p) => p.x,
      space,
      { storage: "memory:", study: "s", budget: 3, batchsize: 2 } as never,
    ),
    /minimize options\.batchsize: unknown key/,
  );
  await assert.rejects(
    minimize((p) => p.x, space, { storage: "memory:", study: "s", budget: 3, leaseSeconds: -1 }),
    /leaseSeconds: must be a finite number > 0/,
  );
});

Deno.test("stored studies: proposals are checked, and a space of fixed parameters runs", async () => {
  const bad = {
    name: "nan",
    propose: (_: unknown, q: number) => Array.from({ length: q }, () => new Float64Array([NaN])),
  };
  const study = await createStudy({ name: "p", space, initialDesignSize: 1, proposer: bad });
  await study.tell(await study.ask(), 1);
  await assert.rejects(study.ask(), /proposer nan returned point 0 that is not a Float64Array/);
  await study.close();
  const only = defineSpace({ k: fixed(3) });
  const result = await minimize((p) => p.k, only, { storage: "memory:", study: "f", budget: 4 });
  assert.equal(result.trials.filter((t) => t.status === "complete").length, 4);
  await result.study.close();
});

Deno.test("stored studies: outcomes are owned, trials frozen, the objective edits its own copy", async () => {
  const storage = await openStorage("memory:");
  const result = await minimize(
    (p: { x: number }) => {
      const v = p.x;
      p.x = 99;
      return v;
    },
    space,
    { storage, study: "o", budget: 3, seed: 0 },
  );
  const study = result.study;
  for (const trial of result.trials) {
    assert.ok(space.contains(trial.params), "the record kept the configuration");
    assert.equal(trial.value, trial.params.x);
    assert.ok(Object.isFrozen(trial) && Object.isFrozen(trial.params));
    await assert.rejects(
      study.tell(trial, -1),
      (e: Error) => e instanceof TrialLostError && /already told \(complete\)/.test(e.message),
    );
  }
  const open = await study.ask();
  await assert.rejects(study.tell(open, 0, { value: -5 } as never), /tell details/);
  await assert.rejects(study.tell(open, 0, { seconds: -1 }), /tell details\.seconds/);
  assert.equal(study.trials[open.id].status, "running", "bad details changed nothing");
  assert.equal((await study.tell(open, 0.5, { seconds: 2 })).seconds, 2);
  await study.close();
  await storage.close();
});

Deno.test("stored studies in pool mode: ask never claims more than is left; enqueue takes candidates only", async () => {
  const candidates = [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }];
  const study = await createStudy({
    name: "pool",
    space,
    candidates,
    initialDesignSize: 1,
    proposer: randomSearch(),
  });
  assert.equal(study.remaining, 3);
  await assert.rejects(study.ask(4), /candidate pool has only 3 unused configurations left/);
  assert.equal(study.trials.length, 0, "nothing was claimed");
  await assert.rejects(study.enqueue({ x: 0.5 }), /must be an unused candidate/);
  const [a, b] = await study.ask(2);
  await study.tell(a, 1);
  await study.tell(b, 2);
  assert.equal(study.remaining, 1);
  await study.close();
});

Deno.test("stored studies draw the initial design SMBO draws, without repeating an initial configuration", async () => {
  const small = defineSpace({ a: categorical(["x", "y", "z"]), b: categorical([1, 2]) });
  const first = { a: "x", b: 1 };
  const options = { seed: 3, initialDesignSize: 5, proposer: randomSearch() };
  const inMemory = new SMBO(small, { ...options, initialConfigurations: [first] });
  const asked = inMemory.ask(6).map((t) => JSON.stringify(t.params));
  const storage = await openStorage("memory:");
  const stored = await createStudy({
    storage,
    name: "s",
    space: small,
    ...options,
    initialConfigurations: [first],
  });
  const storedAsked = (await stored.ask(6)).map((t) => JSON.stringify(t.params));
  assert.deepEqual(storedAsked, asked);
  assert.equal(new Set(asked).size, 6, "six distinct configurations of the six");
  await stored.close();
  await storage.close();
});
