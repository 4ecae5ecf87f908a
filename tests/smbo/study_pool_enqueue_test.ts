/**
 * `SMBO.enqueue` in pool mode: a configuration that is no candidate says so; an initial
 * configuration that is none says so with its usual cause (warm starts of `transferOptions` built
 * without the study's `candidates`, README "Pool mode"); a candidate taken already keeps its
 * message; one whose trials all failed can be retried.
 */
import assert from "node:assert/strict";
import { SMBO } from "../../lib/smbo/study.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { TaskStore } from "../../lib/meta/store.ts";
import { transferOptions } from "../../lib/meta/transfer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1) });
const candidates = [{ x: 0 }, { x: 0.31 }, { x: 0.6 }, { x: 1 }];
const HINT = "it is not one of the candidates (initial configurations from transferOptions " +
  "need the same candidates: pass them to transferOptions too)";

Deno.test("pool mode: enqueue of no candidate says so, of a taken one as before", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch(), candidates });
  assert.throws(() => study.enqueue({ x: 0.3 }), {
    name: "RangeError",
    message: "enqueue: in pool mode the configuration must be an unused candidate; it is not " +
      "one of the candidates",
  });
  assert.throws(
    () =>
      new SMBO(space, {
        proposer: randomSearch(),
        candidates,
        initialConfigurations: [{ x: 0.3 }],
      }),
    {
      name: "TypeError",
      message: "SMBO options.initialConfigurations[0]: enqueue: in pool mode the configuration " +
        `must be an unused candidate; ${HINT}`,
    },
  );
  study.enqueue({ x: 0.31 });
  assert.throws(() => study.enqueue({ x: 0.31 }), {
    name: "RangeError",
    message: "enqueue: in pool mode the configuration must be an unused candidate",
  });
});

Deno.test("pool mode: minimize, transferOptions without the candidates: says so", async () => {
  const store = TaskStore.from([{
    id: "t1",
    trials: [{ params: { x: 0.3 }, value: 0 }, { params: { x: 0.9 }, value: 1 }],
  }]);
  await assert.rejects(
    minimize((p) => p.x, space, {
      budget: 4,
      seed: 0,
      candidates,
      ...transferOptions(store, space, { strategy: "rgpe-gp" }),
    }),
    (error: Error) =>
      error.message.endsWith(HINT) && /initialConfigurations\[0\]/.test(error.message),
  );
});

Deno.test("pool mode: enqueue retries a candidate whose trials all failed, once at a time", () => {
  const pool = [{ x: 0.1 }, { x: 0.5 }, { x: 0.9 }];
  const study = new SMBO(space, {
    candidates: pool,
    initialDesignSize: 3,
    proposer: randomSearch(),
    seed: 0,
  });
  const first = study.ask();
  study.tell(first, new Error("flaky"));
  assert.equal(study.remaining, 2);
  study.enqueue(first.params);
  assert.equal(study.remaining, 3);
  // Queued once: a second retry waits for the first to fail.
  assert.throws(() => study.enqueue(first.params), /must be an unused candidate/);
  const retry = study.ask();
  assert.deepEqual(retry.params, first.params);
  assert.equal(retry.source, "enqueued");
  study.tell(retry, 1);
  // A candidate with a complete trial is not retried, and the others are proposed as before.
  assert.throws(() => study.enqueue(first.params), /must be an unused candidate/);
  const rest = study.ask(2).map((t) => t.params.x).sort();
  assert.deepEqual(rest, pool.map((c) => c.x).filter((x) => x !== first.params.x));
  assert.equal(study.remaining, 0);
});
