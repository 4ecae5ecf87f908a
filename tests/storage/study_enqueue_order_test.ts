/**
 * The order in which a stored study hands out its waiting trials, as `SMBO` asks (README, "Ask/
 * tell": `study.enqueue(...)` is asked before anything else): a configuration enqueued while the
 * initial design still waits is asked before the rest of the design, by every backend and every
 * handle; trials queued again after their worker was lost stay in number order with it; claims
 * handed back keep their place. Trial numbers count trials as they were added.
 */
import assert from "node:assert/strict";
import { createStudy, loadStudy } from "../../lib/storage/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";
import { deadWorker } from "./_dead_worker.ts";

const space = defineSpace({ x: float(0, 1) });
const options = { seed: 0, initialDesignSize: 3, proposer: randomSearch() };

storageTest("an enqueued configuration is asked before the rest of the design, as SMBO", async (
  backend,
) => {
  await withStorage(backend, async (storage) => {
    const memory = new SMBO(space, options);
    const stored = await createStudy({ storage, name: "s", space, ...options });
    const asked: { params: unknown; source: string }[][] = [[], []];
    const first = [memory.ask(), await stored.ask()];
    first.forEach((t, i) => asked[i].push({ params: t.params, source: t.source }));
    memory.enqueue({ x: 0.123 });
    await stored.enqueue({ x: 0.123 });
    // Another handle of the study (another worker) asks the queue first too.
    const other = await loadStudy({ storage, name: "s", proposer: randomSearch() });
    const next = [memory.ask(), await other.ask()];
    next.forEach((t, i) => asked[i].push({ params: t.params, source: t.source }));
    assert.deepEqual(next[1].params, { x: 0.123 });
    assert.equal(next[1].source, "enqueued");
    assert.equal(next[1].id, 3); // the number after the study's trials, asked before 1 and 2
    for (let k = 0; k < 3; k++) {
      const t = [memory.ask(), await stored.ask()];
      t.forEach((trial, i) => asked[i].push({ params: trial.params, source: trial.source }));
    }
    assert.deepEqual(asked[1], asked[0]);
    assert.deepEqual(asked[1].map((t) => t.source), [
      "initial",
      "enqueued",
      "initial",
      "initial",
      "random",
    ]);
    await other.close();
    await stored.close();
  });
});

storageTest("a batch takes the queue first, in the order enqueued", async (backend) => {
  await withStorage(backend, async (storage) => {
    const stored = await createStudy({ storage, name: "s", space, ...options });
    await stored.enqueue({ x: 0.5 });
    await stored.enqueue({ x: 0.25 });
    const batch = await stored.ask(3);
    assert.deepEqual(batch.map((t) => [t.id, t.source, t.params.x]), [
      [3, "enqueued", 0.5],
      [4, "enqueued", 0.25],
      [0, "initial", stored.storedTrials[0].params.x],
    ]);
    await stored.close();
  });
});

storageTest(
  "a design trial queued again after its worker was lost keeps its number's place",
  async (
    backend,
  ) => {
    await withStorage(backend, async (storage) => {
      const crashed = await createStudy({
        storage,
        name: "s",
        space,
        ...options,
        requeue: true,
        worker: await deadWorker(),
      });
      const lost = await crashed.ask(); // design trial 0, its worker gone
      await crashed.close();
      const study = await loadStudy({ storage, name: "s", proposer: randomSearch() });
      await study.enqueue({ x: 0.123 });
      const order = [];
      for (let k = 0; k < 4; k++) {
        const trial = await study.ask();
        order.push([trial.id, trial.source]);
        await study.tell(trial, k);
      }
      // Queued again (the queue, by number), then the enqueued one, then the rest of the design.
      assert.deepEqual(order, [[0, "initial"], [3, "enqueued"], [1, "initial"], [2, "initial"]]);
      assert.equal(study.storedTrials[0].attempts, 2);
      assert.deepEqual(study.storedTrials[0].params, lost.params);
      await study.close();
    });
  },
);

storageTest("claims handed back unrun keep their place in the order", async (backend) => {
  await withStorage(backend, async (storage) => {
    const study = await createStudy({ storage, name: "s", space, ...options });
    await study.enqueue({ x: 0.123 });
    const request = { worker: "w", leaseMs: 60_000, requeue: false };
    const claimed = [];
    for (let k = 0; k < 2; k++) {
      const result = await storage.claim(study.id, request);
      assert.equal(result.kind, "trial");
      if (result.kind === "trial") claimed.push(result.trial);
    }
    assert.deepEqual(claimed.map((t) => t.number), [3, 0]);
    await storage.release(study.id, "w", claimed.map((t) => ({ number: t.number, attempts: 1 })));
    const again = [];
    for (let k = 0; k < 3; k++) {
      const result = await storage.claim(study.id, request);
      if (result.kind === "trial") again.push(result.trial.number);
    }
    assert.deepEqual(again, [3, 0, 1]);
    await study.close();
  });
});
