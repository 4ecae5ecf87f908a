/**
 * A stored study's trials are frozen, as `SMBO`'s (README, "Storage"): those `ask` and `ask(q)`
 * hand out, and those `tell` and `failTrial` return. A write to a configuration throws at once
 * (ES modules are strict) instead of reaching the claim that `tell` compares.
 */
import assert from "node:assert/strict";
import { createStudy } from "../../lib/storage/mod.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });

storageTest(
  "stored trials and their configurations are frozen",
  (backend) =>
    withStorage(backend, async (storage) => {
      const study = await createStudy({ storage, name: "f", space, seed: 0, initialDesignSize: 4 });
      const one = await study.ask();
      const two = await study.ask(2);
      for (const trial of [one, ...two]) {
        assert.ok(Object.isFrozen(trial), "trial");
        assert.ok(Object.isFrozen(trial.params), "params");
      }
      const asked = one.params.x;
      assert.throws(() => {
        (one.params as { x: number }).x = 0.999;
      }, TypeError);
      assert.equal(one.params.x, asked);
      const told = await study.tell(one, 0.5);
      assert.equal(told.status, "complete");
      assert.deepEqual(told.params, { x: asked });
      assert.ok(Object.isFrozen(told.params), "tell's trial");
      const failed = await study.failTrial(two[0].id, "hung");
      assert.ok(Object.isFrozen(failed.params), "failTrial's trial");
      // The copies tell takes still work.
      await study.tell({ ...two[1] }, 0.25);
      assert.deepEqual(study.trials.map((t) => t.status), ["complete", "failed", "complete"]);
      await study.close();
    }),
);
