/**
 * A stored `minimize` created with a budget below its `initialDesignSize` draws its design at the
 * budget's size, as the in-memory one does; resumed with a larger budget, it evaluates the design
 * that the in-memory `minimize` with that budget evaluates (the same points where the design's
 * first points do not depend on its size: scrambled Sobol, uniform), not the smaller one for good.
 */
import assert from "node:assert/strict";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1), n: int(1, 40) });
type P = { x: number; n: number };
const f = (p: P) => (p.x - 0.3) ** 2 + p.n / 100;
type T = { source: string; params: P; value?: number; status?: string };
const shown = (t: T) => `${t.source} ${JSON.stringify(t.params)} ${t.value}`;

for (const initialDesign of ["sobol", "uniform"] as const) {
  storageTest(
    `minimize resumed with a larger budget evaluates its whole design (${initialDesign})`,
    async (
      backend,
    ) => {
      const options = { seed: 4, initialDesignSize: 4, initialDesign };
      const memory = await minimize(f, space, { ...options, budget: 8, proposer: randomSearch() });
      await withStorage(backend, async (storage) => {
        let last;
        for (const budget of [2, 3, 8]) {
          last = await minimize(f, space, {
            ...options,
            budget,
            storage,
            study: "s",
            proposer: randomSearch(),
          });
          await last.study.close();
        }
        assert.deepEqual(last!.trials.map(shown), memory.trials.map(shown));
        assert.equal(last!.study.record.settings.initialDesignSize, 4);
      });
    },
  );
}

storageTest("minimize resumed with a larger budget: a Latin hypercube design gets its size", async (
  backend,
) => {
  await withStorage(backend, async (storage) => {
    const options = { seed: 1, initialDesignSize: 5, initialDesign: "lhs" as const };
    for (const budget of [2, 9]) {
      const result = await minimize(f, space, {
        ...options,
        budget,
        storage,
        study: "s",
        proposer: randomSearch(),
      });
      await result.study.close();
      if (budget === 9) {
        const design = result.trials.filter((t: T) => t.source === "initial");
        assert.equal(design.length, 5);
        assert.equal(new Set(design.map((t: T) => JSON.stringify(t.params))).size, 5);
        assert.equal(result.trials.length, 9);
      }
    }
  });
});

storageTest(
  "minimize resumed with a larger budget in pool mode: distinct unused candidates",
  async (
    backend,
  ) => {
    await withStorage(backend, async (storage) => {
      const candidates = Array.from({ length: 12 }, (_, i) => ({ x: i / 12, n: 1 + i }));
      const options = { seed: 2, initialDesignSize: 6, candidates };
      for (const budget of [3, 10]) {
        const result = await minimize(f, space, {
          ...options,
          budget,
          storage,
          study: "p",
          proposer: randomSearch(),
        });
        await result.study.close();
        if (budget === 10) {
          assert.equal(result.trials.filter((t: T) => t.source === "initial").length, 6);
          assert.equal(new Set(result.trials.map((t: T) => JSON.stringify(t.params))).size, 10);
        }
      }
    });
  },
);

storageTest("two workers resuming with a larger budget at once add the design once", async (
  backend,
) => {
  await withStorage(backend, async (storage) => {
    const options = { seed: 0, initialDesignSize: 5, storage, study: "s" };
    const first = await minimize(f, space, { ...options, budget: 2, proposer: randomSearch() });
    await first.study.close();
    const both = await Promise.all(
      [0, 1].map(() => minimize(f, space, { ...options, budget: 10, proposer: randomSearch() })),
    );
    for (const r of both) await r.study.close();
    const trials = both[0].study.storedTrials;
    assert.equal(trials.filter((t) => t.source === "initial").length, 5);
    assert.equal(trials.filter((t) => t.status === "complete").length, 10);
  });
});

storageTest(
  "a study continued past its design changes nothing on a rerun, nor adds design points on a larger budget",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const { loadStudy } = await import("../../lib/storage/mod.ts");
      const options = { seed: 4, initialDesignSize: 5, storage, study: "s" };
      (await minimize(f, space, { ...options, budget: 3, proposer: randomSearch() })).study.close();
      // Continued past the short design by ask/tell (as an earlier version's rerun did).
      const study = await loadStudy<P>({ storage, name: "s", proposer: randomSearch() });
      for (let i = 0; i < 3; i++) {
        const t = await study.ask();
        await study.tell(t, f(t.params));
      }
      const before = study.storedTrials.map((t) => `${t.number} ${t.source} ${t.status}`);
      await study.close();
      const rerun = await minimize(f, space, { ...options, budget: 6, proposer: randomSearch() });
      assert.deepEqual(
        rerun.study.storedTrials.map((t) => `${t.number} ${t.source} ${t.status}`),
        before,
      );
      await rerun.study.close();
      const larger = await minimize(f, space, { ...options, budget: 8, proposer: randomSearch() });
      assert.deepEqual(larger.trials.map((t) => t.source), [
        "initial",
        "initial",
        "initial",
        "random",
        "random",
        "random",
        "random",
        "random",
      ]);
      await larger.study.close();
    });
  },
);
