/**
 * `SMBO.enqueue` in pool mode: a configuration that is no candidate says so, with the usual cause
 * (warm starts of `transferOptions` built without the study's `candidates`, README "Pool mode");
 * a candidate taken already keeps its message.
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

Deno.test("pool mode: enqueue of no candidate names the cause, of a taken one as before", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch(), candidates });
  assert.throws(() => study.enqueue({ x: 0.3 }), {
    name: "RangeError",
    message: `enqueue: in pool mode the configuration must be an unused candidate; ${HINT}`,
  });
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
